/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/**
 * @defgroup ios_keychain_lib ios_keychain
 * @{
 *
 * Parser and formatter for Cisco IOS RSA public key chains:
 *
 * @code
 * crypto key pubkey-chain rsa
 *  named-key 101.cisco.com
 *   address 20.1.1.1
 *   key-string
 *   305C300D 06092A86 4886F70D 01010105 00034B00 30480241 00A7D24F E6E15787
 *   ...
 *   quit
 *  addressed-key 20.1.1.2 encryption
 *   ...
 * @endcode
 *
 * Plain C11 (plus POSIX inet_pton/inet_ntop) without global state: the
 * same code is linked into a strongSwan plugin, an FRR zebra module and a
 * command line tool. Nothing is printed; problems end up as diagnostics of
 * the parsed chain, formatted as "file:line: message".
 *
 * Accepted RSA key sizes are IOS_KEYCHAIN_MIN_BITS to IOS_KEYCHAIN_MAX_BITS.
 * IOS itself allows 360 to 4096 bits. We reject keys below 512 bits:
 *  - 512 bits is the IOS default for "crypto key generate rsa", so real
 *    peers never have less unless configured on purpose;
 *  - keys below 512 bits are factorable with modest effort today;
 *  - with rsa-encr (IKEv1 authentication with public key encryption,
 *    RFC 2409 5.2) the peer encrypts the bodies of its nonce and its ID
 *    payload to our key, each in one PKCS#1 v1.5 block that carries at
 *    most (bits / 8 - 11) bytes: 34 bytes for a 360 bit key, too few for
 *    the 4 byte ID header plus the FQDN of many real routers, where a 512
 *    bit key carries 53.
 * Keys above 4096 bits cannot be configured on IOS, so they are rejected as
 * well; this also bounds the cost of RSA operations done with a key that
 * came from a configuration file.
 */

#ifndef IOS_KEYCHAIN_H_
#define IOS_KEYCHAIN_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** smallest accepted RSA modulus in bits (see above for why) */
#define IOS_KEYCHAIN_MIN_BITS 512

/** largest accepted RSA modulus in bits, the IOS maximum */
#define IOS_KEYCHAIN_MAX_BITS 4096

/**
 * Most hex digits kept of one key-string. A 4096 bit SubjectPublicKeyInfo
 * has 1100 digits; 16 KiB leaves ample room while bounding memory on
 * garbage input. Longer key-strings are reported and skipped.
 */
#define IOS_KEYCHAIN_MAX_HEX_DIGITS 16384

/** longest accepted named-key name (the longest DNS name is 253) */
#define IOS_KEYCHAIN_MAX_NAME_LEN 255

/** longest accepted serial-number */
#define IOS_KEYCHAIN_MAX_SERIAL_LEN 64

/** most distinct addresses kept per key; more are reported */
#define IOS_KEYCHAIN_MAX_ADDRESSES 64

/**
 * Most diagnostics stored per parse. Further errors are still counted;
 * one last diagnostic then says how many were left out. This bounds memory
 * on garbage input.
 */
#define IOS_KEYCHAIN_MAX_DIAGNOSTICS 100

/** buffer size that holds any address formatted by ios_address_format() */
#define IOS_ADDRESS_TEXT_LEN 46

typedef struct ios_address_t ios_address_t;
typedef struct ios_rsa_public_t ios_rsa_public_t;
typedef struct ios_key_t ios_key_t;
typedef struct ios_diagnostic_t ios_diagnostic_t;
typedef struct ios_keychain_t ios_keychain_t;
typedef struct ios_keychain_counts_t ios_keychain_counts_t;

/**
 * How a key is identified: by the name of "named-key" or by the address of
 * "addressed-key".
 */
typedef enum {
	/** named-key NAME: an FQDN (or any hostname) identity */
	IOS_KEY_NAMED,
	/** addressed-key ADDRESS: an IPv4 or IPv6 address identity */
	IOS_KEY_ADDRESSED,
} ios_key_kind_t;

/**
 * What a key may be used for: the optional keyword after the key's name.
 */
typedef enum {
	/** no keyword: general purpose key, both encryption and signatures */
	IOS_KEY_USAGE_GENERAL,
	/** "encryption": for rsa-encr only */
	IOS_KEY_USAGE_ENCRYPTION,
	/** "signature": for rsa-sig only */
	IOS_KEY_USAGE_SIGNATURE,
} ios_key_usage_t;

/**
 * Address family of an ios_address_t.
 */
typedef enum {
	IOS_ADDRESS_IPV4 = 4,
	IOS_ADDRESS_IPV6 = 6,
} ios_address_family_t;

/**
 * Status of decoding or checking an RSA public key.
 */
typedef enum {
	/** well-formed and acceptable */
	IOS_RSA_OK = 0,
	/** the input ends inside the SubjectPublicKeyInfo */
	IOS_RSA_TRUNCATED,
	/**
	 * not valid DER: indefinite or non-minimal lengths, an element longer
	 * than the one it is in, non-minimal INTEGERs, trailing bytes...
	 */
	IOS_RSA_MALFORMED,
	/** valid DER, but not an RSA SubjectPublicKeyInfo */
	IOS_RSA_NOT_RSA,
	/** modulus smaller than IOS_KEYCHAIN_MIN_BITS */
	IOS_RSA_TOO_SMALL,
	/** modulus larger than IOS_KEYCHAIN_MAX_BITS */
	IOS_RSA_TOO_LARGE,
	/** public exponent smaller than 3 */
	IOS_RSA_EXPONENT_TOO_SMALL,
	/** public exponent even */
	IOS_RSA_EXPONENT_EVEN,
} ios_rsa_status_t;

/**
 * An IPv4 or IPv6 address.
 */
struct ios_address_t {

	/** IOS_ADDRESS_IPV4 or IOS_ADDRESS_IPV6 */
	ios_address_family_t family;

	/** network byte order; 4 bytes used for IPv4, 16 for IPv6 */
	uint8_t bytes[16];
};

/**
 * An RSA public key as big-endian unsigned magnitudes, without the sign
 * byte DER adds (no leading zero bytes at all).
 */
struct ios_rsa_public_t {

	/** modulus n; points into the DER it was decoded from */
	const uint8_t *modulus;

	/** length of modulus in bytes */
	size_t modulus_len;

	/** public exponent e; points into the DER it was decoded from */
	const uint8_t *exponent;

	/** length of exponent in bytes */
	size_t exponent_len;

	/** size of the modulus in bits (position of its highest set bit) */
	unsigned bits;
};

/**
 * One key of a chain.
 */
struct ios_key_t {

	/** named-key or addressed-key */
	ios_key_kind_t kind;

	/**
	 * named-key: the name as written. addressed-key: the key's address in
	 * the text form ios_address_format() produces.
	 */
	char *name;

	/** general purpose, encryption or signature key */
	ios_key_usage_t usage;

	/**
	 * Distinct addresses of the key, in the order written. For an
	 * addressed-key the first one is the key's own address.
	 */
	ios_address_t *addresses;

	/** number of addresses */
	size_t address_count;

	/** serial-number as written, NULL if none */
	char *serial;

	/** DER encoded X.509 SubjectPublicKeyInfo of the key-string */
	uint8_t *der;

	/** length of der */
	size_t der_len;

	/** modulus and exponent, pointing into der */
	ios_rsa_public_t rsa;

	/** line of the named-key/addressed-key command */
	unsigned line;
};

/**
 * One problem found while parsing.
 */
struct ios_diagnostic_t {

	/** line the problem was found on, 0 if it concerns no single line */
	unsigned line;

	/** complete text, "file:line: message" */
	char *text;

	/** message alone; points into text, behind "file:line: " */
	const char *message;
};

/**
 * A parsed chain: the keys that were loaded and what was wrong with the
 * rest. All members are read-only for users.
 */
struct ios_keychain_t {

	/** keys loaded, in the order of the input */
	ios_key_t *keys;

	/** number of keys */
	size_t key_count;

	/** problems found, in the order of the input */
	ios_diagnostic_t *diagnostics;

	/** number of diagnostics (at most IOS_KEYCHAIN_MAX_DIAGNOSTICS + 1) */
	size_t diagnostic_count;

	/** number of errors, including those not stored as diagnostics */
	size_t error_count;
};

/**
 * Number of keys per kind of identity.
 */
struct ios_keychain_counts_t {

	/** named-key entries (FQDN identities) */
	size_t named;

	/** addressed-key entries with an IPv4 address */
	size_t ipv4;

	/** addressed-key entries with an IPv6 address */
	size_t ipv6;
};

/**
 * Parse the RSA public key chains in a text.
 *
 * The text may be a whole IOS configuration: everything outside
 * "crypto key pubkey-chain rsa" is ignored. A bad entry is reported and
 * skipped; the rest of the chain still loads. Runs in time linear in len
 * and allocates memory linear in the keys found, whatever the text holds.
 *
 * @param text			configuration text, need not be NUL-terminated
 * @param len			length of text in bytes
 * @param filename		name used in diagnostics, NULL for "<input>"
 * @param chain			receives the parsed chain, free with
 *						ios_keychain_free(); NULL on allocation failure
 * @return				number of errors (0 if everything loaded, capped at
 *						INT_MAX), or -1 on allocation failure
 */
int ios_keychain_parse(const char *text, size_t len, const char *filename,
					   ios_keychain_t **chain);

/**
 * Free a chain returned by ios_keychain_parse().
 *
 * @param chain			chain to free, may be NULL
 */
void ios_keychain_free(ios_keychain_t *chain);

/**
 * Count the keys of a chain per kind of identity.
 *
 * @param chain			parsed chain
 * @param counts		receives the counts
 */
void ios_keychain_count(const ios_keychain_t *chain,
						ios_keychain_counts_t *counts);

/**
 * Format DER bytes as IOS shows key data ("show crypto key mypubkey rsa",
 * and in the running-config below key-string): upper case hex, groups of 8
 * digits separated by one space, 8 groups per line, every line indented by
 * two spaces and ended by a newline. The last group may be shorter.
 *
 * @param der			bytes to format
 * @param len			number of bytes
 * @return				allocated NUL-terminated text ("" if len is 0),
 *						NULL on allocation failure
 */
char *ios_keychain_format_hex(const uint8_t *der, size_t len);

/**
 * Format one key as "show running-config" prints it inside
 * "crypto key pubkey-chain rsa": the named-key/addressed-key line indented
 * by one space, address, serial-number, key-string, the key data and quit
 * indented by two.
 *
 * @param key			key to format
 * @return				allocated NUL-terminated text, NULL on allocation
 *						failure
 */
char *ios_keychain_format_key(const ios_key_t *key);

/**
 * Format a whole chain: "crypto key pubkey-chain rsa" and every key as
 * ios_keychain_format_key() does. No "!" is added at the end.
 *
 * @param chain			chain to format
 * @return				allocated NUL-terminated text, NULL on allocation
 *						failure
 */
char *ios_keychain_format(const ios_keychain_t *chain);

/**
 * Keyword IOS writes after a key's name for its usage.
 *
 * @param usage			key usage
 * @return				"encryption", "signature" or "" for general purpose
 */
const char *ios_key_usage_keyword(ios_key_usage_t usage);

/**
 * Decode a DER encoded X.509 SubjectPublicKeyInfo holding an RSA key.
 *
 * Strict DER: definite minimal lengths, lengths checked against the end of
 * the buffer and of every enclosing element, no trailing bytes, minimal
 * non-negative INTEGERs, the rsaEncryption OID with NULL parameters.
 * No policy is applied here; see ios_rsa_public_check().
 *
 * @param der			DER bytes
 * @param len			length of der
 * @param rsa			receives modulus and exponent, pointing into der
 * @param why			receives a message on failure, may be NULL
 * @param why_len		size of why
 * @return				IOS_RSA_OK, IOS_RSA_TRUNCATED, IOS_RSA_MALFORMED or
 *						IOS_RSA_NOT_RSA
 */
ios_rsa_status_t ios_rsa_spki_decode(const uint8_t *der, size_t len,
									 ios_rsa_public_t *rsa,
									 char *why, size_t why_len);

/**
 * Check a decoded RSA public key against our policy: modulus of
 * IOS_KEYCHAIN_MIN_BITS to IOS_KEYCHAIN_MAX_BITS, odd exponent >= 3.
 *
 * @param rsa			decoded key
 * @param why			receives a message on failure, may be NULL
 * @param why_len		size of why
 * @return				IOS_RSA_OK, IOS_RSA_TOO_SMALL, IOS_RSA_TOO_LARGE,
 *						IOS_RSA_EXPONENT_TOO_SMALL or IOS_RSA_EXPONENT_EVEN
 */
ios_rsa_status_t ios_rsa_public_check(const ios_rsa_public_t *rsa,
									  char *why, size_t why_len);

/**
 * Encode an RSA public key as DER SubjectPublicKeyInfo, as IOS expects it
 * in a key-string. Leading zero bytes of the inputs are ignored.
 *
 * @param modulus		big-endian unsigned modulus
 * @param modulus_len	length of modulus
 * @param exponent		big-endian unsigned public exponent
 * @param exponent_len	length of exponent
 * @param der			receives the allocated DER, free() it
 * @param der_len		receives the length of der
 * @return				0 on success, -1 on allocation failure or if an
 *						input is too large to encode
 */
int ios_rsa_spki_encode(const uint8_t *modulus, size_t modulus_len,
						const uint8_t *exponent, size_t exponent_len,
						uint8_t **der, size_t *der_len);

/**
 * Parse an IPv4 address in dotted decimal or an IPv6 address in any
 * RFC 4291 text form (without zone or prefix length).
 *
 * @param text			address text, need not be NUL-terminated
 * @param len			length of text
 * @param address		receives the address
 * @return				true if text is a valid address
 */
bool ios_address_parse(const char *text, size_t len, ios_address_t *address);

/**
 * Format an address as IOS prints it: dotted decimal, or IPv6 in RFC 5952
 * compressed form with upper case hex digits.
 *
 * @param address		address to format
 * @param buf			receives the NUL-terminated text
 * @param buf_len		size of buf, IOS_ADDRESS_TEXT_LEN is always enough
 * @return				true on success, false if buf is too small
 */
bool ios_address_format(const ios_address_t *address, char *buf,
						size_t buf_len);

/**
 * Compare two addresses.
 *
 * @param a				first address
 * @param b				second address
 * @return				true if both have the same family and bytes
 */
bool ios_address_equals(const ios_address_t *a, const ios_address_t *b);

#endif /** IOS_KEYCHAIN_H_ @}*/
