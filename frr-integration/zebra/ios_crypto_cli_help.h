// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Help texts of the IOS crypto commands, shared by the zebra module and
 * the rebuilt vtysh: vtysh shows the help of its own copy of a command, so
 * both must say the same. The texts follow IOS 12.2.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#ifndef IOS_CRYPTO_CLI_HELP_H
#define IOS_CRYPTO_CLI_HELP_H

#define CRYPTO_STR "Encryption module\n"
#define ISAKMP_STR "Configure ISAKMP policy\n"
#define IPSEC_STR "Configure IPSEC policy\n"
#define CRYPTO_MAP_STR "Enter a crypto map\n"
#define CRYPTO_MAP_NAME_STR "Crypto map tag\n"
#define TRANSFORM_SET_STR "Define transform and settings\n"
#define TRANSFORM_SET_NAME_STR "Transform set tag\n"
#define ACL_STR "Add an access list entry\n"
#define ACL_NUMBER_STR "IP extended access list\n"
#define KEY_USAGE_STR                                                          \
	"Key is to be used for encryption\n"                                   \
	"Key is to be used for signatures\n"
#define TUNNEL_STR "protocol-over-protocol tunneling\n"

#define ISAKMP_POLICY_STR "Set policy for an ISAKMP protection suite\n"
#define ISAKMP_PRIORITY_STR "Priority of protection suite\n"
#define ISAKMP_KEY_STR                                                         \
	"Set pre-shared key for remote peer\n"                                 \
	"pre-shared key\n"                                                     \
	"define shared key with IP address\n"                                  \
	"IP address of remote peer\n"                                          \
	"Peer address mask\n"
#define ISAKMP_REVISED_STR                                                     \
	"Revised mode, RFC 2409 5.3 (IKE auth method 5; not in IOS)\n"
#define TRANSFORM_SET_CIPHERS_STR                                              \
	"ESP transform using DES cipher (56 bits)\n"                           \
	"ESP transform using 3DES(EDE) cipher (168 bits)\n"                    \
	"ESP transform using AES cipher\n"                                     \
	"128 bit keys\n"                                                       \
	"192 bit keys\n"                                                       \
	"256 bit keys\n"                                                       \
	"ESP transform using HMAC-SHA auth\n"                                  \
	"ESP transform using HMAC-MD5 auth\n"
#define CRYPTO_MAP_SEQ_STR "Sequence to insert into crypto map entry\n"
#define CRYPTO_MAP_ISAKMP_STR "IPSEC w/ISAKMP\n"
#define PUBKEY_CHAIN_STR                                                       \
	"Long term key operations\n"                                           \
	"Peer public key chain management\n"                                   \
	"Peer RSA public key chain management\n"
#define NAMED_KEY_STR                                                          \
	"Public key associated with the name of the peer\n"                    \
	"Name of the peer (FQDN)\n"
#define ADDRESSED_KEY_STR                                                      \
	"Public key associated with the address of the peer\n"                 \
	"IP address of the peer\n"                                             \
	"IPv6 address of the peer\n"
#define KEY_STRING_STR "Enter a public key\n"
#define EXIT_STR "Exit current mode and down to previous mode\n"
#define END_STR "End current mode and change to enable mode.\n"

#endif /* IOS_CRYPTO_CLI_HELP_H */
