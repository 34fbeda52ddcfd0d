/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/**
 * @defgroup rsa_encr rsa_encr
 * @ingroup cplugins
 *
 * @defgroup rsa_encr_plugin rsa_encr_plugin
 * @{ @ingroup rsa_encr
 */

#ifndef RSA_ENCR_PLUGIN_H_
#define RSA_ENCR_PLUGIN_H_

#include <plugins/plugin.h>

typedef struct rsa_encr_plugin_t rsa_encr_plugin_t;

/**
 * IKEv1 Main Mode authentication with public key encryption (RFC 2409
 * 5.2, "authentication rsa-encr" on Cisco IOS) for charon, without
 * changing charon: a keymat wrapper, a message translator on the bus and
 * a stand-in PSK credential set around charon's own PSK Main Mode.
 */
struct rsa_encr_plugin_t {

	/**
	 * Implements plugin interface
	 */
	plugin_t plugin;
};

#endif /** RSA_ENCR_PLUGIN_H_ @}*/
