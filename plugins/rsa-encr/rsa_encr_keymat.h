/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/**
 * @defgroup rsa_encr_keymat rsa_encr_keymat
 * @{ @ingroup rsa_encr
 */

#ifndef RSA_ENCR_KEYMAT_H_
#define RSA_ENCR_KEYMAT_H_

#include <sa/ikev1/keymat_v1.h>

#include "rsa_encr_exchange.h"
#include "rsa_encr_payload.h"

typedef struct rsa_encr_keymat_t rsa_encr_keymat_t;

/**
 * charon's IKEv1 keymat with rsa-encr around it.
 *
 * Registered with keymat_register_constructor(), it wraps the keymat_v1_t
 * of every IKEv1 IKE_SA and delegates everything to it, except:
 *
 * - derive_ike_keys() of an rsa-encr IKE_SA calls the PSK derivation with
 *   "psk" = hash(Ni_b | Nr_b) and "nonces" = CKY-I | CKY-R, which yields
 *   SKEYID = prf(hash(Ni_b | Nr_b), CKY-I | CKY-R) of RFC 2409 5.2 and all
 *   keys derived from it. The shared key charon looked up is ignored.
 * - get_hash(), the one place HASH_I/HASH_R are computed (their formula
 *   is the same for PSK and rsa-encr), refuses to work when the IKE_SA's
 *   authentication and its connection do not match: an rsa-encr exchange
 *   with a connection not marked for it or not selected for it, a PSK
 *   exchange with a connection marked rsa-encr, or an ID other than the
 *   one encrypted in message 3/4.
 * - create_hasher() does the RSA work that must precede message 3 (both
 *   roles), derive_ike_keys() that of message 4 (initiator).
 * - get_aead(FALSE) switches the type of a payload handed to
 *   rsa_encr_keymat_switch_type_on_aead() (HASH(1) of the revised mode).
 *
 * It carries the rsa_encr_exchange_t of its IKE_SA, so the state of an
 * exchange lives exactly as long as the IKE_SA's keys.
 */
struct rsa_encr_keymat_t {

	/**
	 * Implements keymat_v1_t.
	 */
	keymat_v1_t keymat_v1;

	/**
	 * The rsa-encr exchange of this IKE_SA.
	 *
	 * @return			exchange
	 */
	rsa_encr_exchange_t *(*get_exchange)(rsa_encr_keymat_t *this);

	/**
	 * Switch the type of a payload of the next outgoing message when
	 * charon's generator asks for the outbound AEAD, i.e. between its
	 * encryption check and the next payload fields (see
	 * rsa_encr_payload_create_switching()). One payload waits at a time:
	 * the first get_aead(FALSE) after this call switches it and forgets
	 * it; a payload given later replaces one still waiting.
	 *
	 * @param payload	payload, referenced until switched
	 */
	void (*switch_type_on_aead)(rsa_encr_keymat_t *this,
								rsa_encr_payload_t *payload);
};

/**
 * Create a keymat; a keymat_constructor_t for IKEv1.
 *
 * @param initiator		TRUE if we initiate the IKE_SA
 * @return				keymat
 */
keymat_t *rsa_encr_keymat_create(bool initiator);

/**
 * Derive the IKE_SA keys of the public key encryption methods with
 * charon's IKEv1 keymat: its PSK derivation with "psk" = hash(Ni_b | Nr_b)
 * and "nonces" = CKY-I | CKY-R yields SKEYID = prf(hash(Ni_b | Nr_b),
 * CKY-I | CKY-R) of RFC 2409 5.2 and everything derived from it.
 *
 * @param keymat		charon's keymat, with its hasher created
 * @param proposal		selected proposal
 * @param dh			key exchange
 * @param dh_other		peer's public DH value
 * @param nonce_i		Ni_b
 * @param nonce_r		Nr_b
 * @param id			IKE_SA ID with both SPIs (cookies)
 * @return				TRUE if derived
 */
bool rsa_encr_keymat_derive(keymat_v1_t *keymat, proposal_t *proposal,
							key_exchange_t *dh, chunk_t dh_other,
							chunk_t nonce_i, chunk_t nonce_r, ike_sa_id_t *id);

/**
 * switch_type_on_aead() on the keymat of an IKE_SA.
 *
 * @param ike_sa		IKE_SA whose message it is
 * @param payload		payload, referenced until switched
 * @return				FALSE if the IKE_SA's keymat is not ours
 */
bool rsa_encr_keymat_switch_type_on_aead(ike_sa_t *ike_sa,
										 rsa_encr_payload_t *payload);

/**
 * The rsa-encr exchange of an IKE_SA.
 *
 * @param ike_sa		IKE_SA, may be NULL
 * @return				exchange, NULL if the IKE_SA's keymat is not ours
 */
rsa_encr_exchange_t *rsa_encr_keymat_get_exchange(ike_sa_t *ike_sa);

#endif /** RSA_ENCR_KEYMAT_H_ @}*/
