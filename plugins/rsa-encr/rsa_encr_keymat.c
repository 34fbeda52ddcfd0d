/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "rsa_encr_keymat.h"
#include "rsa_encr_config.h"
#include "rsa_encr_crypto.h"

#include <daemon.h>

typedef struct private_rsa_encr_keymat_t private_rsa_encr_keymat_t;

/**
 * Private data of a rsa_encr_keymat_t object.
 */
struct private_rsa_encr_keymat_t {

	/**
	 * Public interface
	 */
	rsa_encr_keymat_t public;

	/**
	 * charon's own IKEv1 keymat
	 */
	keymat_v1_t *keymat;

	/**
	 * Are we the initiator?
	 */
	bool initiator;

	/**
	 * rsa-encr state of the IKE_SA
	 */
	rsa_encr_exchange_t *exchange;

	/**
	 * Payload whose type get_aead(FALSE) switches, if any
	 */
	rsa_encr_payload_t *switching;
};

/**
 * The IKE_SA this keymat belongs to: the one the calling thread has
 * checked out.
 */
static ike_sa_t *get_ike_sa(private_rsa_encr_keymat_t *this)
{
	ike_sa_t *ike_sa;

	ike_sa = charon->bus->get_sa(charon->bus);
	if (ike_sa && ike_sa->get_keymat(ike_sa) == &this->public.keymat_v1.keymat)
	{
		return ike_sa;
	}
	return NULL;
}

METHOD(keymat_t, get_version, ike_version_t,
	private_rsa_encr_keymat_t *this)
{
	return IKEV1;
}

METHOD(keymat_t, create_ke, key_exchange_t*,
	private_rsa_encr_keymat_t *this, key_exchange_method_t method)
{
	return this->keymat->keymat.create_ke(&this->keymat->keymat, method);
}

METHOD(keymat_t, create_nonce_gen, nonce_gen_t*,
	private_rsa_encr_keymat_t *this)
{
	return this->keymat->keymat.create_nonce_gen(&this->keymat->keymat);
}

METHOD(keymat_t, get_aead, aead_t*,
	private_rsa_encr_keymat_t *this, bool in)
{
	if (!in && this->switching)
	{	/* the generator has decided on encryption, the next payload fields
		 * come next */
		this->switching->switch_type(this->switching);
		this->switching->payload_interface.destroy(
										&this->switching->payload_interface);
		this->switching = NULL;
	}
	return this->keymat->keymat.get_aead(&this->keymat->keymat, in);
}

/*
 * Described in header
 */
bool rsa_encr_keymat_derive(keymat_v1_t *keymat, proposal_t *proposal,
							key_exchange_t *dh, chunk_t dh_other,
							chunk_t nonce_i, chunk_t nonce_r, ike_sa_id_t *id)
{
	shared_key_t *skeyid_key;
	hasher_t *hasher;
	uint64_t spi_i, spi_r;
	chunk_t key;
	bool success;

	hasher = keymat->get_hasher(keymat);
	if (!hasher || !nonce_i.len || !nonce_r.len ||
		!rsa_encr_crypto_skeyid_key(hasher, nonce_i, nonce_r, &key))
	{
		return FALSE;
	}
	DBG4(DBG_IKE, "hash(Ni_b | Nr_b) %B", &key);

	/* SKEYID = prf(hash(Ni_b | Nr_b), CKY-I | CKY-R) is the PSK formula
	 * prf(psk, Ni_b | Nr_b) with these inputs; the SPIs are kept in
	 * network order, as on the wire */
	skeyid_key = shared_key_create(SHARED_IKE, key);
	spi_i = id->get_initiator_spi(id);
	spi_r = id->get_responder_spi(id);
	success = keymat->derive_ike_keys(keymat, proposal, dh, dh_other,
								chunk_from_thing(spi_i),
								chunk_from_thing(spi_r), id, AUTH_PSK,
								skeyid_key);
	skeyid_key->destroy(skeyid_key);
	return success;
}

METHOD(keymat_v1_t, derive_ike_keys, bool,
	private_rsa_encr_keymat_t *this, proposal_t *proposal, key_exchange_t *dh,
	chunk_t dh_other, chunk_t nonce_i, chunk_t nonce_r, ike_sa_id_t *id,
	auth_method_t auth, shared_key_t *shared_key)
{
	ike_sa_t *ike_sa;
	chunk_t peer_nonce;

	if (!this->exchange->get_method(this->exchange))
	{
		return this->keymat->derive_ike_keys(this->keymat, proposal, dh,
								dh_other, nonce_i, nonce_r, id, auth,
								shared_key);
	}
	if (auth != AUTH_PSK)
	{
		DBG1(DBG_IKE, "RSA encryption authentication runs as %N, not %N",
			 auth_method_names, AUTH_PSK, auth_method_names, auth);
		return FALSE;
	}
	if (this->initiator)
	{
		ike_sa = get_ike_sa(this);
		if (!ike_sa ||
			!this->exchange->process_responder(this->exchange, ike_sa))
		{
			return FALSE;
		}
	}
	/* the real nonce of the peer, charon only saw a placeholder */
	peer_nonce = this->exchange->get_peer_nonce(this->exchange);
	return rsa_encr_keymat_derive(this->keymat, proposal, dh, dh_other,
								  this->initiator ? nonce_i : peer_nonce,
								  this->initiator ? peer_nonce : nonce_r, id);
}

METHOD(keymat_v1_t, derive_child_keys, bool,
	private_rsa_encr_keymat_t *this, proposal_t *proposal, key_exchange_t *dh,
	uint32_t spi_i, uint32_t spi_r, chunk_t nonce_i, chunk_t nonce_r,
	chunk_t *encr_i, chunk_t *integ_i, chunk_t *encr_r, chunk_t *integ_r)
{
	return this->keymat->derive_child_keys(this->keymat, proposal, dh, spi_i,
								spi_r, nonce_i, nonce_r, encr_i, integ_i,
								encr_r, integ_r);
}

METHOD(keymat_v1_t, create_hasher, bool,
	private_rsa_encr_keymat_t *this, proposal_t *proposal)
{
	hasher_t *hasher;
	ike_sa_t *ike_sa;

	if (!this->keymat->create_hasher(this->keymat, proposal))
	{
		return FALSE;
	}
	if (!this->exchange->get_method(this->exchange))
	{
		return TRUE;
	}
	ike_sa = get_ike_sa(this);
	hasher = this->keymat->get_hasher(this->keymat);
	if (!ike_sa || !hasher)
	{
		return FALSE;
	}
	if (this->initiator)
	{
		return this->exchange->prepare_initiator(this->exchange, ike_sa,
												 hasher);
	}
	return this->exchange->process_initiator(this->exchange, ike_sa, hasher);
}

METHOD(keymat_v1_t, get_hasher, hasher_t*,
	private_rsa_encr_keymat_t *this)
{
	return this->keymat->get_hasher(this->keymat);
}

/**
 * Whether the IKE_SA may compute an authentication hash with its current
 * connection and the given ID payload body.
 */
static bool hash_allowed(private_rsa_encr_keymat_t *this, bool own,
						 chunk_t id)
{
	peer_cfg_t *peer_cfg, *selected;
	ike_sa_t *ike_sa;
	int method, marked;

	method = this->exchange->get_method(this->exchange);
	ike_sa = get_ike_sa(this);
	peer_cfg = ike_sa ? ike_sa->get_peer_cfg(ike_sa) : NULL;
	marked = peer_cfg ? rsa_encr_config_get_method(peer_cfg) : 0;

	if (!method)
	{
		if (marked)
		{
			DBG1(DBG_IKE, "connection '%s' requires RSA encryption "
				 "authentication (rsa-encr %d), refusing the peer's other "
				 "authentication (e.g. a pre-shared key)",
				 peer_cfg->get_name(peer_cfg), marked);
			return FALSE;
		}
		return TRUE;
	}
	if (!peer_cfg)
	{
		return FALSE;
	}
	selected = this->exchange->get_peer_cfg(this->exchange);
	if (!this->initiator && selected && selected != peer_cfg &&
		!(streq(selected->get_name(selected), peer_cfg->get_name(peer_cfg)) &&
		  selected->equals(selected, peer_cfg)))
	{	/* charon tries its candidates in turn, ours comes */
		DBG2(DBG_IKE, "connection '%s' is not the one selected by the "
			 "encrypted identity, skipping it", peer_cfg->get_name(peer_cfg));
		return FALSE;
	}
	if (marked != method)
	{
		DBG1(DBG_IKE, "connection '%s' is not marked for RSA encryption "
			 "authentication (rsa-encr %d), refusing it for this exchange",
			 peer_cfg->get_name(peer_cfg), method);
		return FALSE;
	}
	if (!this->initiator && !selected)
	{
		return FALSE;
	}
	if (!chunk_equals(id, own ? this->exchange->get_my_id(this->exchange)
							  : this->exchange->get_peer_id(this->exchange)))
	{
		DBG1(DBG_IKE, "%s ID differs from the one sent encrypted",
			 own ? "our" : "the peer's");
		return FALSE;
	}
	return !this->exchange->has_failed(this->exchange);
}

METHOD(keymat_v1_t, get_hash, bool,
	private_rsa_encr_keymat_t *this, bool initiator, chunk_t dh,
	chunk_t dh_other, ike_sa_id_t *ike_sa_id, chunk_t sa_i, chunk_t id,
	chunk_t *hash, signature_scheme_t *scheme)
{
	if (!hash_allowed(this, initiator == this->initiator, id))
	{
		return FALSE;
	}
	return this->keymat->get_hash(this->keymat, initiator, dh, dh_other,
								  ike_sa_id, sa_i, id, hash, scheme);
}

METHOD(keymat_v1_t, get_hash_phase2, bool,
	private_rsa_encr_keymat_t *this, message_t *message, chunk_t *hash)
{
	return this->keymat->get_hash_phase2(this->keymat, message, hash);
}

METHOD(keymat_v1_t, get_iv, bool,
	private_rsa_encr_keymat_t *this, uint32_t mid, chunk_t *iv)
{
	return this->keymat->get_iv(this->keymat, mid, iv);
}

METHOD(keymat_v1_t, update_iv, bool,
	private_rsa_encr_keymat_t *this, uint32_t mid, chunk_t last_block)
{
	return this->keymat->update_iv(this->keymat, mid, last_block);
}

METHOD(keymat_v1_t, confirm_iv, bool,
	private_rsa_encr_keymat_t *this, uint32_t mid)
{
	return this->keymat->confirm_iv(this->keymat, mid);
}

METHOD(rsa_encr_keymat_t, get_exchange, rsa_encr_exchange_t*,
	private_rsa_encr_keymat_t *this)
{
	return this->exchange;
}

METHOD(rsa_encr_keymat_t, switch_type_on_aead, void,
	private_rsa_encr_keymat_t *this, rsa_encr_payload_t *payload)
{
	if (this->switching)
	{	/* the message it belonged to was never generated */
		this->switching->payload_interface.destroy(
										&this->switching->payload_interface);
	}
	this->switching = payload->get_ref(payload);
}

METHOD(keymat_t, destroy, void,
	private_rsa_encr_keymat_t *this)
{
	if (this->switching)
	{
		this->switching->payload_interface.destroy(
										&this->switching->payload_interface);
	}
	this->exchange->destroy(this->exchange);
	this->keymat->keymat.destroy(&this->keymat->keymat);
	free(this);
}

/*
 * Described in header
 */
keymat_t *rsa_encr_keymat_create(bool initiator)
{
	private_rsa_encr_keymat_t *this;

	INIT(this,
		.public = {
			.keymat_v1 = {
				.keymat = {
					.get_version = _get_version,
					.create_ke = _create_ke,
					.create_nonce_gen = _create_nonce_gen,
					.get_aead = _get_aead,
					.destroy = _destroy,
				},
				.derive_ike_keys = _derive_ike_keys,
				.derive_child_keys = _derive_child_keys,
				.create_hasher = _create_hasher,
				.get_hasher = _get_hasher,
				.get_hash = _get_hash,
				.get_hash_phase2 = _get_hash_phase2,
				.get_iv = _get_iv,
				.update_iv = _update_iv,
				.confirm_iv = _confirm_iv,
			},
			.get_exchange = _get_exchange,
			.switch_type_on_aead = _switch_type_on_aead,
		},
		.keymat = keymat_v1_create(initiator),
		.initiator = initiator,
		.exchange = rsa_encr_exchange_create(initiator),
	);
	return &this->public.keymat_v1.keymat;
}

/**
 * The keymat of an IKE_SA, NULL if it is not ours.
 */
static private_rsa_encr_keymat_t *keymat_of(ike_sa_t *ike_sa)
{
	private_rsa_encr_keymat_t *keymat;

	if (!ike_sa || ike_sa->get_version(ike_sa) != IKEV1)
	{
		return NULL;
	}
	keymat = (private_rsa_encr_keymat_t*)ike_sa->get_keymat(ike_sa);
	/* ours if it has our vtable, another plugin may have replaced us */
	if (!keymat ||
		keymat->public.keymat_v1.keymat.destroy != (void*)_destroy)
	{
		return NULL;
	}
	return keymat;
}

/*
 * Described in header
 */
bool rsa_encr_keymat_switch_type_on_aead(ike_sa_t *ike_sa,
										 rsa_encr_payload_t *payload)
{
	private_rsa_encr_keymat_t *keymat;

	keymat = keymat_of(ike_sa);
	if (!keymat)
	{
		return FALSE;
	}
	keymat->public.switch_type_on_aead(&keymat->public, payload);
	return TRUE;
}

/*
 * Described in header
 */
rsa_encr_exchange_t *rsa_encr_keymat_get_exchange(ike_sa_t *ike_sa)
{
	private_rsa_encr_keymat_t *keymat;

	keymat = keymat_of(ike_sa);
	return keymat ? keymat->exchange : NULL;
}
