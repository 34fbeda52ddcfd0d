// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CLI nodes (IOS sub-modes) of the ios-ipsec-suite zebra module, shared by
 * the module and the rebuilt vtysh.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#ifndef IOS_CRYPTO_NODES_H
#define IOS_CRYPTO_NODES_H

/*
 * FRR's node numbers are an enum that ends at NODE_TYPE_MAX (92 in FRR
 * 8.4.4); install_node() grows the node vector, so nodes past it work in
 * the daemon and in vtysh. They are plain numbers, not enum constants, on
 * purpose: vtysh/extract.pl copies the first argument of install_element()
 * from the preprocessed source into the generated vtysh_cmd.c, which
 * includes none of our headers, so it must be a literal there. The module
 * checks at compile time that they lie past NODE_TYPE_MAX; the range
 * 120-139 leaves room for FRR to grow and is reserved for this suite
 * (other components of the suite: take numbers from 130 up).
 */
#define IOS_NODE_FIRST 120

/* crypto isakmp policy N           -> (config-isakmp)# */
#define IOS_ISAKMP_NODE 120
/* crypto ipsec transform-set ...   -> (cfg-crypto-trans)# */
#define IOS_TRANSFORM_SET_NODE 121
/* crypto map NAME SEQ ipsec-isakmp -> (config-crypto-map)# */
#define IOS_CRYPTO_MAP_NODE 122
/* crypto key pubkey-chain rsa      -> (config-pubkey-chain)# */
#define IOS_PUBKEY_CHAIN_NODE 123
/* named-key / addressed-key        -> (config-pubkey-key)# */
#define IOS_PUBKEY_KEY_NODE 124
/* key-string                       -> (config-pubkey)#, hex lines, quit */
#define IOS_PUBKEY_DATA_NODE 125

#define IOS_NODE_LAST 125

#endif /* IOS_CRYPTO_NODES_H */
