/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/**
 * @defgroup rsa_encr_creds rsa_encr_creds
 * @{ @ingroup rsa_encr
 */

#ifndef RSA_ENCR_CREDS_H_
#define RSA_ENCR_CREDS_H_

#include <credentials/credential_set.h>

typedef struct rsa_encr_creds_t rsa_encr_creds_t;

/**
 * A stand-in IKE "pre-shared key" for rsa-encr IKE_SAs.
 *
 * charon's PSK Main Mode looks a shared key up before it derives the
 * keys and gives up without one. For an IKE_SA doing rsa-encr (the thread's
 * checked-out IKE_SA, with the plugin's keymat) this set answers with a
 * random key; for any other IKE_SA it has nothing. The value is never
 * used: rsa-encr's keymat derives SKEYID from the nonces instead, and a
 * real PSK charon may find for such an IKE_SA is ignored the same way.
 */
struct rsa_encr_creds_t {

	/**
	 * Implements credential_set_t.
	 */
	credential_set_t set;

	/**
	 * Destroy the set.
	 */
	void (*destroy)(rsa_encr_creds_t *this);
};

/**
 * Create the set.
 *
 * @return			credential set
 */
rsa_encr_creds_t *rsa_encr_creds_create();

#endif /** RSA_ENCR_CREDS_H_ @}*/
