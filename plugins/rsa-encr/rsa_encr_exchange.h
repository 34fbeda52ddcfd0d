/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/**
 * @defgroup rsa_encr_exchange rsa_encr_exchange
 * @{ @ingroup rsa_encr
 */

#ifndef RSA_ENCR_EXCHANGE_H_
#define RSA_ENCR_EXCHANGE_H_

#include <daemon.h>
#include <encoding/payloads/nonce_payload.h>

typedef struct rsa_encr_exchange_t rsa_encr_exchange_t;

/**
 * What one IKE_SA's Main Mode needs for authentication with public key
 * encryption (RFC 2409 5.2): the keys, the identities and nonces that
 * travel RSA-encrypted in messages 3 and 4, and whether anything went
 * wrong on the way.
 *
 * charon runs its own PSK Main Mode meanwhile. This object does the RSA
 * work at the points where charon calls the keymat (outside the bus lock):
 * the initiator looks up keys when charon creates the hasher before
 * message 3 and decrypts message 4 when charon derives the keys; the
 * responder decrypts message 3 and selects its config when charon creates
 * the hasher while processing it.
 *
 * Failures that depend on what the peer sent (bad PKCS#1 padding, wrong
 * key, unknown identity, no key for the identity) never stop the
 * exchange: the values are replaced by random ones, the exchange goes on
 * like a good one and fails when the peer's HASH is checked. Only a
 * missing local key or configuration makes it fail at once.
 */
struct rsa_encr_exchange_t {

	/**
	 * The method in use.
	 *
	 * @return			4 or 5, 0 if this IKE_SA does not use rsa-encr
	 */
	int (*get_method)(rsa_encr_exchange_t *this);

	/**
	 * Start rsa-encr for this IKE_SA (message 1 sent or received).
	 *
	 * @param method	4 or 5
	 */
	void (*start)(rsa_encr_exchange_t *this, int method);

	/**
	 * Responder: the connections between the addresses marked with our
	 * method, as found at message 1 in charon's backend order; message 3
	 * takes the candidate private keys from them.
	 *
	 * @param peer_cfgs	list of peer_cfg_t, adopted (with the references)
	 */
	void (*set_candidates)(rsa_encr_exchange_t *this, linked_list_t *peer_cfgs);

	/**
	 * Keep bytes of a received message that are changed before charon
	 * parses it, to put them back before charon saves them.
	 *
	 * @param bytes		original bytes, copied
	 * @param offset	their offset in the message
	 */
	void (*keep_original)(rsa_encr_exchange_t *this, chunk_t bytes,
						  size_t offset);

	/**
	 * Put kept bytes back into the received message.
	 *
	 * @param packet	data of the received message
	 */
	void (*restore_original)(rsa_encr_exchange_t *this, chunk_t packet);

	/**
	 * Initiator: look up our key, the responder's key and our identity
	 * before message 3; compute HASH(1) if configured.
	 *
	 * @param ike_sa	IKE_SA, with peer config and our identity set
	 * @param hasher	negotiated hash algorithm
	 * @return			FALSE if a key is missing or unsuitable
	 */
	bool (*prepare_initiator)(rsa_encr_exchange_t *this, ike_sa_t *ike_sa,
							  hasher_t *hasher);

	/**
	 * Encrypt our identity and nonce for message 3 (initiator) or 4
	 * (responder), and our KE value in the revised mode.
	 *
	 * @param ike_sa	IKE_SA (proposal and cookies)
	 * @param nonce		our nonce (Ni_b or Nr_b)
	 * @param ke		our KE value
	 * @param hash1		receives HASH(1) to send, chunk_empty if none
	 *					(not allocated)
	 * @param id		receives the allocated encrypted ID payload body
	 * @param encrypted_nonce	receives the allocated encrypted nonce
	 * @param encrypted_ke	receives the allocated encrypted KE value
	 *					(revised mode), else chunk_empty
	 * @return			TRUE if encrypted
	 */
	bool (*encrypt_payloads)(rsa_encr_exchange_t *this, ike_sa_t *ike_sa,
							 chunk_t nonce, chunk_t ke, chunk_t *hash1,
							 chunk_t *id, chunk_t *encrypted_nonce,
							 chunk_t *encrypted_ke);

	/**
	 * Keep the encrypted payload bodies the peer sent in message 3 or 4.
	 *
	 * @param hash1		HASH(1) body, chunk_empty if none
	 * @param id		encrypted ID payload body
	 * @param nonce		encrypted nonce payload body
	 * @param ke		encrypted KE payload body (revised mode)
	 */
	void (*set_received)(rsa_encr_exchange_t *this, chunk_t hash1,
						 chunk_t id, chunk_t nonce, chunk_t ke);

	/**
	 * The peer's KE value of the revised mode, decrypted (or a random
	 * substitute); decrypts message 4 as initiator if not done yet.
	 *
	 * @return			KE value, chunk_empty if none
	 */
	chunk_t (*get_peer_ke)(rsa_encr_exchange_t *this);

	/**
	 * Responder: the nonce payload given to charon for message 3, which
	 * gets the initiator's nonce once it is decrypted.
	 *
	 * @param payload	placeholder nonce payload, not owned
	 */
	void (*set_nonce_payload)(rsa_encr_exchange_t *this,
							  nonce_payload_t *payload);

	/**
	 * Responder: decrypt message 3 and select the config by the
	 * initiator's identity and address.
	 *
	 * @param ike_sa	IKE_SA
	 * @param hasher	negotiated hash algorithm
	 * @return			FALSE only if we have no usable key at all
	 */
	bool (*process_initiator)(rsa_encr_exchange_t *this, ike_sa_t *ike_sa,
							  hasher_t *hasher);

	/**
	 * Initiator: decrypt message 4.
	 *
	 * @param ike_sa	IKE_SA
	 * @return			TRUE (failures continue with random values)
	 */
	bool (*process_responder)(rsa_encr_exchange_t *this, ike_sa_t *ike_sa);

	/**
	 * The peer's nonce, decrypted (or its random substitute).
	 *
	 * @return			nonce, chunk_empty if not received yet
	 */
	chunk_t (*get_peer_nonce)(rsa_encr_exchange_t *this);

	/**
	 * The body of the ID payload we sent encrypted.
	 *
	 * @return			IDii_b (initiator) or IDir_b (responder)
	 */
	chunk_t (*get_my_id)(rsa_encr_exchange_t *this);

	/**
	 * The body of the ID payload the peer sent encrypted.
	 *
	 * @return			decrypted ID payload body, chunk_empty if none
	 */
	chunk_t (*get_peer_id)(rsa_encr_exchange_t *this);

	/**
	 * The peer's identity, decrypted.
	 *
	 * @return			identity, NULL if unknown
	 */
	identification_t *(*get_peer_identity)(rsa_encr_exchange_t *this);

	/**
	 * The config the responder selected at message 3.
	 *
	 * @return			config, NULL if none (or initiator)
	 */
	peer_cfg_t *(*get_peer_cfg)(rsa_encr_exchange_t *this);

	/**
	 * The peer's public key we encrypted to.
	 *
	 * @return			key, NULL if none
	 */
	public_key_t *(*get_peer_key)(rsa_encr_exchange_t *this);

	/**
	 * Whether the exchange is bound to fail (decryption, identity or key
	 * problems were found).
	 *
	 * @return			TRUE if failed
	 */
	bool (*has_failed)(rsa_encr_exchange_t *this);

	/**
	 * Destroy the exchange.
	 */
	void (*destroy)(rsa_encr_exchange_t *this);
};

/**
 * Create the (idle) exchange of an IKE_SA.
 *
 * @param initiator		TRUE if we initiate the IKE_SA
 * @return				exchange
 */
rsa_encr_exchange_t *rsa_encr_exchange_create(bool initiator);

/**
 * Encode an identity as the body of an IKEv1 ID payload.
 *
 * @param id			identity
 * @return				allocated body
 */
chunk_t rsa_encr_exchange_encode_id(identification_t *id);

/**
 * Decode the body of an IKEv1 ID payload.
 *
 * @param body			ID payload body
 * @return				identity (new object), NULL if malformed
 */
identification_t *rsa_encr_exchange_decode_id(chunk_t body);

/**
 * Set up the substitute KE values shared by all exchanges (plugin load).
 */
void rsa_encr_exchange_init();

/**
 * Forget the substitute KE values (plugin unload).
 */
void rsa_encr_exchange_deinit();

#endif /** RSA_ENCR_EXCHANGE_H_ @}*/
