/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "rsa_encr_creds.h"
#include "rsa_encr_keymat.h"

#include <daemon.h>

/** length of the stand-in key */
#define STAND_IN_LEN 32

typedef struct private_rsa_encr_creds_t private_rsa_encr_creds_t;

/**
 * Private data of a rsa_encr_creds_t object.
 */
struct private_rsa_encr_creds_t {

	/**
	 * Public interface
	 */
	rsa_encr_creds_t public;
};

/**
 * Enumerator yielding one shared key
 */
typedef struct {

	/** implements enumerator_t */
	enumerator_t public;

	/** the key, NULL once enumerated */
	shared_key_t *key;

	/** the key handed out last */
	shared_key_t *current;
} stand_in_enumerator_t;

METHOD(enumerator_t, stand_in_enumerate, bool,
	stand_in_enumerator_t *this, va_list args)
{
	shared_key_t **key;
	id_match_t *me, *other;

	VA_ARGS_VGET(args, key, me, other);

	if (!this->key)
	{
		return FALSE;
	}
	this->current = this->key;
	this->key = NULL;
	*key = this->current;
	if (me)
	{
		*me = ID_MATCH_PERFECT;
	}
	if (other)
	{
		*other = ID_MATCH_PERFECT;
	}
	return TRUE;
}

METHOD(enumerator_t, stand_in_destroy, void,
	stand_in_enumerator_t *this)
{
	DESTROY_IF(this->key);
	DESTROY_IF(this->current);
	free(this);
}

/**
 * A random stand-in key, NULL if no random bytes
 */
static shared_key_t *stand_in_key()
{
	chunk_t value;
	rng_t *rng;

	rng = lib->crypto->create_rng(lib->crypto, RNG_WEAK);
	if (!rng || !rng->allocate_bytes(rng, STAND_IN_LEN, &value))
	{
		DESTROY_IF(rng);
		return NULL;
	}
	rng->destroy(rng);
	return shared_key_create(SHARED_IKE, value);
}

METHOD(credential_set_t, create_shared_enumerator, enumerator_t*,
	private_rsa_encr_creds_t *this, shared_key_type_t type,
	identification_t *me, identification_t *other)
{
	rsa_encr_exchange_t *exchange;
	stand_in_enumerator_t *enumerator;
	shared_key_t *key;

	if (type != SHARED_IKE && type != SHARED_ANY)
	{
		return NULL;
	}
	exchange = rsa_encr_keymat_get_exchange(charon->bus->get_sa(charon->bus));
	if (!exchange || !exchange->get_method(exchange))
	{
		return NULL;
	}
	key = stand_in_key();
	if (!key)
	{
		return NULL;
	}
	INIT(enumerator,
		.public = {
			.enumerate = enumerator_enumerate_default,
			.venumerate = _stand_in_enumerate,
			.destroy = _stand_in_destroy,
		},
		.key = key,
	);
	return &enumerator->public;
}

METHOD(rsa_encr_creds_t, destroy, void,
	private_rsa_encr_creds_t *this)
{
	free(this);
}

/*
 * Described in header
 */
rsa_encr_creds_t *rsa_encr_creds_create()
{
	private_rsa_encr_creds_t *this;

	INIT(this,
		.public = {
			.set = {
				.create_shared_enumerator = _create_shared_enumerator,
				.create_private_enumerator = (void*)return_null,
				.create_cert_enumerator = (void*)return_null,
				.create_cdp_enumerator = (void*)return_null,
				.cache_cert = (void*)nop,
			},
			.destroy = _destroy,
		},
	);
	return &this->public;
}
