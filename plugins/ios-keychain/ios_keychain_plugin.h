/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/**
 * @defgroup ios_keychain ios_keychain
 * @ingroup cplugins
 *
 * @defgroup ios_keychain_plugin ios_keychain_plugin
 * @{ @ingroup ios_keychain
 */

#ifndef IOS_KEYCHAIN_PLUGIN_H_
#define IOS_KEYCHAIN_PLUGIN_H_

#include <plugins/plugin.h>

typedef struct ios_keychain_plugin_t ios_keychain_plugin_t;

/**
 * Serves Cisco IOS RSA public key chains (crypto key pubkey-chain rsa)
 * to charon as a credential set.
 */
struct ios_keychain_plugin_t {

	/**
	 * Implements plugin interface
	 */
	plugin_t plugin;
};

#endif /** IOS_KEYCHAIN_PLUGIN_H_ @}*/
