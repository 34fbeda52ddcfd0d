/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/**
 * @defgroup rsa_encr_translator rsa_encr_translator
 * @{ @ingroup rsa_encr
 */

#ifndef RSA_ENCR_TRANSLATOR_H_
#define RSA_ENCR_TRANSLATOR_H_

#include <bus/listeners/listener.h>

typedef struct rsa_encr_translator_t rsa_encr_translator_t;

/**
 * Translates Main Mode messages between rsa-encr on the wire and the PSK
 * Main Mode charon runs, and vetoes IKE_SAs whose authentication does not
 * fit their connection.
 *
 * On the wire (RFC 2409 5.2)              charon sees (PSK, 5.4)
 *   1  SA (auth method 4)                   SA (auth method 1)
 *   2  SA (4)                               SA (1)
 *   3  KE, [HASH(1)], <IDii_b>PubKey_r,     KE, Ni
 *        <Ni_b>PubKey_r
 *   4  KE, <IDir_b>PubKey_i, <Nr_b>PubKey_i KE, Nr
 *   5  HDR*, HASH_I                         HDR*, IDii, HASH_I
 *   6  HDR*, HASH_R                         HDR*, IDir, HASH_R
 *
 * Outgoing messages are changed as payload objects before charon
 * generates them; incoming ones as raw bytes before charon parses them
 * (only types and attribute values, in place) and as payload objects
 * after. The listener runs under charon's bus lock, so it does no RSA
 * private key operation: those run in the keymat. The revised mode (5.3)
 * sends [HASH(1)], <Ni_b>PubKey_r, <KE_b>Ke_i, <IDii_b>Ke_i in message 3:
 * a leading HASH(1) is switched to its type by the keymat while charon
 * generates the message.
 */
struct rsa_encr_translator_t {

	/**
	 * Implements listener_t.
	 */
	listener_t listener;

	/**
	 * Destroy the translator.
	 */
	void (*destroy)(rsa_encr_translator_t *this);
};

/**
 * Create the translator.
 *
 * @return			translator
 */
rsa_encr_translator_t *rsa_encr_translator_create();

#endif /** RSA_ENCR_TRANSLATOR_H_ @}*/
