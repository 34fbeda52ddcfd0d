/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "rsa_encr_exchange.h"
#include "rsa_encr_config.h"
#include "rsa_encr_crypto.h"

#include <encoding/parser.h>
#include <encoding/payloads/id_payload.h>
#include <threading/mutex.h>

/**
 * Length of the random substitute for an identity that cannot be
 * decrypted: an ID payload body of a typical FQDN.
 */
#define SUBSTITUTE_ID_LEN 20

/**
 * Length of the random substitute for a nonce (what charon sends).
 */
#define SUBSTITUTE_NONCE_LEN 32

/**
 * Smallest ID payload body: type, protocol, port and one byte of data.
 */
#define MIN_ID_LEN 5

/**
 * Number of groups whose substitute KE value is kept
 */
#define SUBSTITUTE_KE_SLOTS 8

/**
 * Substitute KE values by group, drawn once (one Diffie-Hellman key
 * generation each): see substitute_ke()
 */
static struct {
	uint16_t group;
	chunk_t value;
} substitute_kes[SUBSTITUTE_KE_SLOTS];

/**
 * Number of our private keys whose public half is kept
 */
#define PUBLIC_KEY_SLOTS 8

/**
 * The public halves of our private keys, by key ID: see public_half()
 */
static struct {
	chunk_t keyid;
	public_key_t *key;
} public_keys[PUBLIC_KEY_SLOTS];

/**
 * The slot of public_keys to take next when none is free
 */
static u_int public_key_next;

/**
 * Protects substitute_kes and public_keys, NULL if not initialized
 */
static mutex_t *cache_mutex;

typedef struct private_rsa_encr_exchange_t private_rsa_encr_exchange_t;

/**
 * Private data of a rsa_encr_exchange_t object.
 */
struct private_rsa_encr_exchange_t {

	/**
	 * Public interface
	 */
	rsa_encr_exchange_t public;

	/**
	 * rsa-encr method, 0 if not used
	 */
	int method;

	/**
	 * Are we the initiator?
	 */
	bool initiator;

	/**
	 * Did the peer's payloads get processed?
	 */
	bool processed;

	/**
	 * Is the exchange bound to fail?
	 */
	bool failed;

	/**
	 * Responder: connections marked with our method, from message 1
	 */
	linked_list_t *candidates;

	/**
	 * Responder: config selected at message 3
	 */
	peer_cfg_t *peer_cfg;

	/**
	 * Our private key
	 */
	private_key_t *private;

	/**
	 * The peer's public key we encrypt to
	 */
	public_key_t *peer_key;

	/**
	 * Body of the ID payload we send
	 */
	chunk_t my_id;

	/**
	 * The peer's identity, decrypted
	 */
	identification_t *peer_id;

	/**
	 * Body of the peer's ID payload, decrypted
	 */
	chunk_t peer_id_body;

	/**
	 * The peer's nonce, decrypted
	 */
	chunk_t peer_nonce;

	/**
	 * HASH(1) sent (initiator) or received (responder)
	 */
	chunk_t hash1;

	/**
	 * Encrypted ID payload body received
	 */
	chunk_t id_crypto;

	/**
	 * Encrypted nonce received
	 */
	chunk_t nonce_crypto;

	/**
	 * Encrypted KE value received (revised mode)
	 */
	chunk_t ke_crypto;

	/**
	 * The peer's KE value, decrypted (revised mode)
	 */
	chunk_t peer_ke;

	/**
	 * Responder: placeholder nonce payload of message 3
	 */
	nonce_payload_t *nonce_payload;

	/**
	 * Original bytes of a received message and their offset
	 */
	chunk_t original;
	size_t original_offset;
};

/*
 * Described in header
 */
chunk_t rsa_encr_exchange_encode_id(identification_t *id)
{
	id_payload_t *payload;
	chunk_t body;

	payload = id_payload_create_from_identification(PLV1_ID, id);
	body = payload->get_encoded(payload);
	payload->destroy(payload);
	return body;
}

/*
 * Described in header
 */
identification_t *rsa_encr_exchange_decode_id(chunk_t body)
{
	identification_t *id = NULL;
	payload_t *payload;
	parser_t *parser;
	chunk_t raw;

	if (body.len < 4 || body.len > 0xffff - 4)
	{
		return NULL;
	}
	/* let charon's own parser read it, behind a generic payload header */
	raw = chunk_alloc(4 + body.len);
	raw.ptr[0] = PL_NONE;
	raw.ptr[1] = 0;
	htoun16(raw.ptr + 2, raw.len);
	memcpy(raw.ptr + 4, body.ptr, body.len);
	parser = parser_create(raw);
	if (parser->parse_payload(parser, PLV1_ID, &payload) == SUCCESS)
	{
		if (payload->verify(payload) == SUCCESS)
		{
			id = ((id_payload_t*)payload)->get_identification(
														(id_payload_t*)payload);
		}
		payload->destroy(payload);
	}
	parser->destroy(parser);
	chunk_free(&raw);
	return id;
}

METHOD(rsa_encr_exchange_t, get_method, int,
	private_rsa_encr_exchange_t *this)
{
	return this->method;
}

METHOD(rsa_encr_exchange_t, start, void,
	private_rsa_encr_exchange_t *this, int method)
{
	this->method = method;
}

METHOD(rsa_encr_exchange_t, set_candidates, void,
	private_rsa_encr_exchange_t *this, linked_list_t *peer_cfgs)
{
	DESTROY_OFFSET_IF(this->candidates, offsetof(peer_cfg_t, destroy));
	this->candidates = peer_cfgs;
}

METHOD(rsa_encr_exchange_t, keep_original, void,
	private_rsa_encr_exchange_t *this, chunk_t bytes, size_t offset)
{
	chunk_free(&this->original);
	this->original = chunk_clone(bytes);
	this->original_offset = offset;
}

METHOD(rsa_encr_exchange_t, restore_original, void,
	private_rsa_encr_exchange_t *this, chunk_t packet)
{
	if (this->original.len &&
		this->original_offset + this->original.len <= packet.len)
	{
		memcpy(packet.ptr + this->original_offset, this->original.ptr,
			   this->original.len);
	}
	chunk_free(&this->original);
}

/**
 * Mark the exchange as failing and say so, once.
 */
static void fail(private_rsa_encr_exchange_t *this)
{
	if (!this->failed)
	{
		DBG1(DBG_IKE, "continuing the RSA encryption exchange with random "
			 "values, the peer's authentication will fail");
	}
	this->failed = TRUE;
}

/**
 * What one PKCS#1 block of the peer's key must carry: our nonce, and our
 * identity unless the revised mode encrypts it symmetrically.
 */
static size_t rsa_encr_needed_capacity(private_rsa_encr_exchange_t *this)
{
	if (this->method == RSA_ENCR_METHOD_ENC)
	{
		return max(this->my_id.len, (size_t)SUBSTITUTE_NONCE_LEN);
	}
	return SUBSTITUTE_NONCE_LEN;
}

METHOD(rsa_encr_exchange_t, prepare_initiator, bool,
	private_rsa_encr_exchange_t *this, ike_sa_t *ike_sa, hasher_t *hasher)
{
	identification_t *my_id, *lookup;
	peer_cfg_t *peer_cfg;
	size_t capacity;

	peer_cfg = ike_sa->get_peer_cfg(ike_sa);
	my_id = ike_sa->get_my_id(ike_sa);
	if (!peer_cfg || !my_id)
	{
		return FALSE;
	}
	chunk_free(&this->my_id);
	this->my_id = rsa_encr_exchange_encode_id(my_id);

	DESTROY_IF(this->private);
	this->private = rsa_encr_config_private_key(peer_cfg, my_id);
	if (!this->private)
	{
		DBG1(DBG_IKE, "no RSA private key found for '%Y' (connection '%s'), "
			 "RSA encryption authentication needs one", my_id,
			 peer_cfg->get_name(peer_cfg));
		return FALSE;
	}
	if (rsa_encr_crypto_private_capacity(this->private) <
												SUBSTITUTE_NONCE_LEN)
	{
		DBG1(DBG_IKE, "our private key for '%Y' is no RSA key of 512 to 4096 "
			 "bits", my_id);
		return FALSE;
	}

	lookup = rsa_encr_config_peer_lookup_id(peer_cfg,
											ike_sa->get_other_host(ike_sa));
	DESTROY_IF(this->peer_key);
	this->peer_key = rsa_encr_config_peer_key(lookup);
	if (!this->peer_key)
	{
		DBG1(DBG_IKE, "no RSA encryption key for '%Y' in the IOS key chains, "
			 "cannot encrypt to the responder", lookup);
		lookup->destroy(lookup);
		return FALSE;
	}
	capacity = rsa_encr_crypto_capacity(this->peer_key);
	if (capacity < rsa_encr_needed_capacity(this))
	{
		DBG1(DBG_IKE, "the %d bit RSA key of '%Y' cannot carry our identity "
			 "'%Y' (%zu bytes) in one PKCS#1 block",
			 this->peer_key->get_keysize(this->peer_key), lookup, my_id,
			 this->my_id.len);
		lookup->destroy(lookup);
		return FALSE;
	}
	chunk_free(&this->hash1);
	if (rsa_encr_config_send_hash1(peer_cfg) &&
		!rsa_encr_crypto_key_hash(hasher, this->peer_key, &this->hash1))
	{
		lookup->destroy(lookup);
		return FALSE;
	}
	DBG2(DBG_IKE, "RSA encryption: encrypting to the %d bit key of '%Y'%s",
		 this->peer_key->get_keysize(this->peer_key), lookup,
		 this->hash1.len ? ", sending HASH(1)" : "");
	lookup->destroy(lookup);
	return TRUE;
}

/**
 * The cipher of the revised mode (RFC 2409 5.3) for the payloads one side
 * sends, keyed with Ke from that side's nonce and cookie.
 */
static crypter_t *revised_crypter(ike_sa_t *ike_sa, chunk_t nonce,
								  bool initiator)
{
	proposal_t *proposal;
	crypter_t *crypter;
	ike_sa_id_t *id;
	uint16_t alg, size, prf_alg;
	uint64_t cky;
	chunk_t key;
	prf_t *prf;
	bool success;

	proposal = ike_sa->get_proposal(ike_sa);
	if (!proposal ||
		!proposal->get_algorithm(proposal, ENCRYPTION_ALGORITHM, &alg, &size) ||
		!proposal->get_algorithm(proposal, PSEUDO_RANDOM_FUNCTION, &prf_alg,
								 NULL))
	{
		return NULL;
	}
	crypter = lib->crypto->create_crypter(lib->crypto, alg, size / 8);
	prf = lib->crypto->create_prf(lib->crypto, prf_alg);
	if (!crypter || !prf)
	{
		DBG1(DBG_IKE, "%N or %N not supported for the revised RSA encryption "
			 "mode", encryption_algorithm_names, alg,
			 pseudo_random_function_names, prf_alg);
		DESTROY_IF(crypter);
		DESTROY_IF(prf);
		return NULL;
	}
	id = ike_sa->get_id(ike_sa);
	cky = initiator ? id->get_initiator_spi(id) : id->get_responder_spi(id);
	success = rsa_encr_crypto_revised_key(prf, nonce, chunk_from_thing(cky),
								crypter->get_key_size(crypter), &key) &&
			  crypter->set_key(crypter, key);
	DBG4(DBG_IKE, "Ke_%c %B", initiator ? 'i' : 'r', &key);
	chunk_clear(&key);
	prf->destroy(prf);
	if (!success)
	{
		crypter->destroy(crypter);
		return NULL;
	}
	return crypter;
}

METHOD(rsa_encr_exchange_t, encrypt_payloads, bool,
	private_rsa_encr_exchange_t *this, ike_sa_t *ike_sa, chunk_t nonce,
	chunk_t ke, chunk_t *hash1, chunk_t *id, chunk_t *encrypted_nonce,
	chunk_t *encrypted_ke)
{
	crypter_t *crypter;
	chunk_t iv;
	bool success;

	*encrypted_ke = chunk_empty;
	*hash1 = this->initiator ? this->hash1 : chunk_empty;
	if (!this->peer_key || !this->my_id.len ||
		!rsa_encr_crypto_encrypt(this->peer_key, nonce, encrypted_nonce))
	{
		return FALSE;
	}
	if (this->method == RSA_ENCR_METHOD_ENC)
	{
		if (!rsa_encr_crypto_encrypt(this->peer_key, this->my_id, id))
		{
			chunk_free(encrypted_nonce);
			return FALSE;
		}
		return TRUE;
	}
	/* revised mode: KE and ID with Ke, chained, the first IV zero */
	crypter = revised_crypter(ike_sa, nonce, this->initiator);
	if (!crypter)
	{
		chunk_free(encrypted_nonce);
		return FALSE;
	}
	iv = chunk_alloca(crypter->get_iv_size(crypter));
	memset(iv.ptr, 0, iv.len);
	success = rsa_encr_crypto_revised_encrypt(crypter, iv, ke, encrypted_ke);
	if (success &&
		!rsa_encr_crypto_revised_encrypt(crypter, iv, this->my_id, id))
	{
		chunk_free(encrypted_ke);
		success = FALSE;
	}
	crypter->destroy(crypter);
	if (!success)
	{
		chunk_free(encrypted_nonce);
	}
	return success;
}

METHOD(rsa_encr_exchange_t, set_received, void,
	private_rsa_encr_exchange_t *this, chunk_t hash1, chunk_t id,
	chunk_t nonce, chunk_t ke)
{
	chunk_free(&this->hash1);
	chunk_free(&this->id_crypto);
	chunk_free(&this->nonce_crypto);
	chunk_free(&this->ke_crypto);
	this->hash1 = chunk_clone(hash1);
	this->id_crypto = chunk_clone(id);
	this->nonce_crypto = chunk_clone(nonce);
	this->ke_crypto = chunk_clone(ke);
}

METHOD(rsa_encr_exchange_t, set_nonce_payload, void,
	private_rsa_encr_exchange_t *this, nonce_payload_t *payload)
{
	this->nonce_payload = payload;
}

/**
 * The public half of one of our private keys. Extracting it is an
 * encoding and a parse (a few hundred microseconds with OpenSSL 3, more
 * than the rest of the responder's lookups), so it is done once per key
 * and process: a failed exchange, which encrypts to our own key, would
 * otherwise take measurably longer than a good one.
 */
static public_key_t *public_half(private_key_t *private)
{
	public_key_t *public = NULL;
	chunk_t keyid;
	u_int i;

	if (!cache_mutex ||
		!private->get_fingerprint(private, KEYID_PUBKEY_SHA1, &keyid))
	{
		return private->get_public_key(private);
	}
	cache_mutex->lock(cache_mutex);
	for (i = 0; i < PUBLIC_KEY_SLOTS && !public; i++)
	{
		if (public_keys[i].key && chunk_equals(public_keys[i].keyid, keyid))
		{
			public = public_keys[i].key->get_ref(public_keys[i].key);
		}
	}
	cache_mutex->unlock(cache_mutex);
	if (public)
	{
		return public;
	}
	public = private->get_public_key(private);
	if (public)
	{	/* two threads may both store it, that is harmless */
		cache_mutex->lock(cache_mutex);
		i = public_key_next++ % PUBLIC_KEY_SLOTS;
		DESTROY_IF(public_keys[i].key);
		chunk_free(&public_keys[i].keyid);
		public_keys[i].keyid = chunk_clone(keyid);
		public_keys[i].key = public->get_ref(public);
		cache_mutex->unlock(cache_mutex);
	}
	return public;
}

/**
 * The body of an ID payload with a random key ID.
 */
static chunk_t random_id_body()
{
	identification_t *id;
	chunk_t keyid, body;
	rng_t *rng;

	keyid = chunk_alloca(16);
	memset(keyid.ptr, 0, keyid.len);
	rng = lib->crypto->create_rng(lib->crypto, RNG_WEAK);
	if (rng)
	{
		if (!rng->get_bytes(rng, keyid.len, keyid.ptr))
		{
			memset(keyid.ptr, 0, keyid.len);
		}
		rng->destroy(rng);
	}
	id = identification_create_from_encoding(ID_KEY_ID, keyid);
	body = rsa_encr_exchange_encode_id(id);
	id->destroy(id);
	return body;
}

/**
 * A fresh valid KE value of a group nobody knows the secret of,
 * chunk_empty if the group is not supported.
 */
static chunk_t draw_ke(uint16_t group)
{
	key_exchange_t *ke;
	chunk_t value = chunk_empty;

	ke = lib->crypto->create_ke(lib->crypto, group);
	if (!ke || !ke->get_public_key(ke, &value))
	{
		value = chunk_empty;
	}
	DESTROY_IF(ke);
	return value;
}

/**
 * A valid KE value of the negotiated group nobody knows the secret of,
 * chunk_empty if there is no group. It is drawn once per group and kept
 * (its secret is gone): a key generation per exchange doubled the
 * Diffie-Hellman work of the revised mode. Every exchange fetches it,
 * before decrypting, whether it is used or not.
 */
static chunk_t substitute_ke(ike_sa_t *ike_sa)
{
	proposal_t *proposal;
	uint16_t group;
	chunk_t value = chunk_empty;
	int i;

	proposal = ike_sa->get_proposal(ike_sa);
	if (!proposal ||
		!proposal->get_algorithm(proposal, KEY_EXCHANGE_METHOD, &group, NULL))
	{
		return chunk_empty;
	}
	if (!cache_mutex)
	{
		return draw_ke(group);
	}
	cache_mutex->lock(cache_mutex);
	for (i = 0; i < SUBSTITUTE_KE_SLOTS; i++)
	{
		if (!substitute_kes[i].value.len)
		{	/* first use of this group (not under the bus lock) */
			substitute_kes[i].value = draw_ke(group);
			substitute_kes[i].group = group;
		}
		if (substitute_kes[i].group == group)
		{
			value = chunk_clone(substitute_kes[i].value);
			break;
		}
	}
	cache_mutex->unlock(cache_mutex);
	if (i == SUBSTITUTE_KE_SLOTS)
	{	/* more groups than slots: a fresh one */
		value = draw_ke(group);
	}
	return value;
}

/*
 * Described in header
 */
void rsa_encr_exchange_init()
{
	if (!cache_mutex)
	{
		cache_mutex = mutex_create(MUTEX_TYPE_DEFAULT);
	}
}

/*
 * Described in header
 */
void rsa_encr_exchange_deinit()
{
	int i;

	if (cache_mutex)
	{
		cache_mutex->lock(cache_mutex);
		for (i = 0; i < SUBSTITUTE_KE_SLOTS; i++)
		{
			chunk_free(&substitute_kes[i].value);
			substitute_kes[i].group = 0;
		}
		for (i = 0; i < PUBLIC_KEY_SLOTS; i++)
		{
			DESTROY_IF(public_keys[i].key);
			public_keys[i].key = NULL;
			chunk_free(&public_keys[i].keyid);
		}
		public_key_next = 0;
		cache_mutex->unlock(cache_mutex);
		cache_mutex->destroy(cache_mutex);
		cache_mutex = NULL;
	}
}

/**
 * Revised mode: decrypt the peer's KE value and identity with the key
 * derived from its (decrypted or substituted) nonce. A KE value that does
 * not decrypt is replaced by a valid one of the group, drawn beforehand,
 * so that charon accepts it and the exchange goes on.
 */
static bool decrypt_revised(private_rsa_encr_exchange_t *this,
							ike_sa_t *ike_sa)
{
	crypter_t *crypter;
	chunk_t iv, substitute;
	bool ke_valid = FALSE, id_valid = FALSE;

	substitute = substitute_ke(ike_sa);
	chunk_free(&this->peer_ke);
	crypter = revised_crypter(ike_sa, this->peer_nonce, !this->initiator);
	if (crypter)
	{
		iv = chunk_alloca(crypter->get_iv_size(crypter));
		memset(iv.ptr, 0, iv.len);
		ke_valid = rsa_encr_crypto_revised_decrypt(crypter, iv,
										this->ke_crypto, &this->peer_ke) &&
				   this->peer_ke.len == substitute.len;
		id_valid = rsa_encr_crypto_revised_decrypt(crypter, iv,
										this->id_crypto, &this->peer_id_body) &&
				   this->peer_id_body.len >= MIN_ID_LEN;
		crypter->destroy(crypter);
	}
	if (ke_valid)
	{
		chunk_free(&substitute);
	}
	else
	{
		DBG1(DBG_IKE, "decrypting the peer's KE payload failed (wrong nonce, "
			 "or corrupted)");
		fail(this);
		chunk_free(&this->peer_ke);
		this->peer_ke = substitute;
	}
	return id_valid;
}

/**
 * Decrypt the peer's identity and nonce with a key; substitutes are
 * random. Both are always decrypted, whatever happens to the first.
 */
static void decrypt_payloads(private_rsa_encr_exchange_t *this,
							 private_key_t *key, ike_sa_t *ike_sa)
{
	bool id_valid, nonce_valid;
	size_t capacity;

	capacity = rsa_encr_crypto_private_capacity(key);
	chunk_free(&this->peer_id_body);
	chunk_clear(&this->peer_nonce);
	nonce_valid = rsa_encr_crypto_decrypt(key, this->nonce_crypto,
									   RSA_ENCR_MIN_NONCE, RSA_ENCR_MAX_NONCE,
									   SUBSTITUTE_NONCE_LEN, &this->peer_nonce);
	DBG4(DBG_IKE, "peer's nonce %B", &this->peer_nonce);
	if (this->method == RSA_ENCR_METHOD_ENC)
	{
		id_valid = rsa_encr_crypto_decrypt(key, this->id_crypto, MIN_ID_LEN,
										   capacity, SUBSTITUTE_ID_LEN,
										   &this->peer_id_body);
	}
	else
	{
		id_valid = decrypt_revised(this, ike_sa);
	}
	if (!nonce_valid)
	{
		DBG1(DBG_IKE, "decrypting the peer's nonce failed (not encrypted "
			 "to our key, or corrupted)");
		fail(this);
	}
	if (!id_valid)
	{
		DBG1(DBG_IKE, "decrypting the peer's identity failed (%s)",
			 this->method == RSA_ENCR_METHOD_ENC
				? "not encrypted to our key, or corrupted"
				: "wrong nonce, or corrupted");
		fail(this);
	}
	DESTROY_IF(this->peer_id);
	this->peer_id = NULL;
	if (id_valid)
	{
		this->peer_id = rsa_encr_exchange_decode_id(this->peer_id_body);
		if (!this->peer_id)
		{
			DBG1(DBG_IKE, "the peer's encrypted identity is malformed");
			fail(this);
		}
	}
	if (!this->peer_id)
	{
		/* keep a well-formed identity nobody has, so that charon's own
		 * checks run as usual and fail */
		chunk_free(&this->peer_id_body);
		this->peer_id_body = random_id_body();
	}
}

/**
 * Responder: the private keys of all connections marked with our method
 * between the addresses (found at message 1: another pass over all
 * connections costs as much as the RSA decryption with a few hundred of
 * them), and the first such connection.
 */
static linked_list_t *candidate_keys(private_rsa_encr_exchange_t *this,
									 host_t *me, peer_cfg_t **first)
{
	enumerator_t *enumerator, *keys;
	linked_list_t *list, *ids;
	identification_t *my_id, *seen;
	private_key_t *private, *current;
	peer_cfg_t *peer_cfg;
	bool known;

	list = linked_list_create();
	ids = linked_list_create();
	enumerator = this->candidates ? this->candidates->create_enumerator(
										this->candidates)
								  : enumerator_create_empty();
	while (enumerator->enumerate(enumerator, &peer_cfg))
	{
		if (rsa_encr_config_get_method(peer_cfg) != this->method ||
			!rsa_encr_config_check(peer_cfg))
		{
			continue;
		}
		if (!*first)
		{
			*first = peer_cfg->get_ref(peer_cfg);
		}
		my_id = rsa_encr_config_my_id(peer_cfg, me);
		if (!my_id)
		{
			continue;
		}
		/* one lookup per identity, connections often share it */
		known = FALSE;
		keys = ids->create_enumerator(ids);
		while (keys->enumerate(keys, &seen))
		{
			known = known || seen->equals(seen, my_id);
		}
		keys->destroy(keys);
		if (known)
		{
			my_id->destroy(my_id);
			continue;
		}
		ids->insert_last(ids, my_id);
		private = rsa_encr_config_private_key(peer_cfg, my_id);
		if (!private)
		{
			DBG1(DBG_CFG, "no RSA private key found for '%Y' (connection "
				 "'%s')", my_id, peer_cfg->get_name(peer_cfg));
			continue;
		}
		known = FALSE;
		keys = list->create_enumerator(list);
		while (keys->enumerate(keys, &current))
		{
			known = known || current->equals(current, private);
		}
		keys->destroy(keys);
		if (known)
		{
			private->destroy(private);
		}
		else
		{
			list->insert_last(list, private);
		}
	}
	enumerator->destroy(enumerator);
	ids->destroy_offset(ids, offsetof(identification_t, destroy));
	return list;
}

/**
 * Responder: the key HASH(1) names, NULL if none of them.
 */
static private_key_t *key_by_hash1(private_rsa_encr_exchange_t *this,
								   linked_list_t *keys, hasher_t *hasher)
{
	enumerator_t *enumerator;
	private_key_t *current, *selected = NULL;
	public_key_t *public;
	chunk_t hash;

	enumerator = keys->create_enumerator(keys);
	while (enumerator->enumerate(enumerator, &current))
	{
		public = public_half(current);
		if (public && rsa_encr_crypto_key_hash(hasher, public, &hash))
		{
			if (chunk_equals_const(hash, this->hash1) && !selected)
			{
				selected = current;
			}
			chunk_free(&hash);
		}
		DESTROY_IF(public);
	}
	enumerator->destroy(enumerator);
	return selected;
}

/**
 * Responder: pick the key the initiator encrypted to. With HASH(1) the
 * one it names. Else (or if it names none: a peer may hash something
 * else than we do), with several keys, the first one that decrypts the
 * RSA-encrypted payload, trying all of them every time.
 */
static private_key_t *select_key(private_rsa_encr_exchange_t *this,
								 linked_list_t *keys, hasher_t *hasher)
{
	enumerator_t *enumerator;
	private_key_t *current, *selected = NULL, *first = NULL;
	chunk_t plain;

	if (this->hash1.len)
	{
		selected = key_by_hash1(this, keys, hasher);
		if (selected)
		{
			DBG1(DBG_IKE, "HASH(1) of the initiator names our %d bit RSA key, "
				 "using it", selected->get_keysize(selected));
			return selected;
		}
		DBG1(DBG_IKE, "HASH(1) of the initiator names none of our keys, "
			 "trying them");
	}
	keys->get_first(keys, (void**)&first);
	if (keys->get_count(keys) == 1)
	{
		return first;
	}
	enumerator = keys->create_enumerator(keys);
	while (enumerator->enumerate(enumerator, &current))
	{
		/* method 4 encrypts the identity, 5 only the nonce to the key */
		if (rsa_encr_crypto_decrypt(current,
				this->method == RSA_ENCR_METHOD_ENC ? this->id_crypto
													: this->nonce_crypto,
				1, 0xffff, SUBSTITUTE_ID_LEN, &plain) && !selected)
		{
			selected = current;
		}
		chunk_clear(&plain);
	}
	enumerator->destroy(enumerator);
	if (!selected)
	{	/* decrypting with it fails as well and says so */
		selected = first;
	}
	return selected;
}

METHOD(rsa_encr_exchange_t, process_initiator, bool,
	private_rsa_encr_exchange_t *this, ike_sa_t *ike_sa, hasher_t *hasher)
{
	enumerator_t *enumerator;
	linked_list_t *keys;
	private_key_t *key, *private;
	peer_cfg_t *peer_cfg, *first = NULL;
	identification_t *my_id = NULL;
	host_t *me, *other;
	size_t capacity;
	bool success = TRUE;

	if (this->processed)
	{
		return TRUE;
	}
	this->processed = TRUE;
	me = ike_sa->get_my_host(ike_sa);
	other = ike_sa->get_other_host(ike_sa);

	keys = candidate_keys(this, me, &first);
	if (!keys->get_count(keys))
	{
		DBG1(DBG_IKE, "no RSA private key for any connection marked "
			 "rsa-encr %d between %H and %H", this->method, me, other);
		keys->destroy(keys);
		DESTROY_IF(first);
		return FALSE;
	}
	if (!this->id_crypto.len || !this->nonce_crypto.len ||
		(this->method == RSA_ENCR_METHOD_ENC_REV && !this->ke_crypto.len))
	{
		DBG1(DBG_IKE, "message 3 lacks the initiator's encrypted identity, "
			 "nonce or KE");
		fail(this);
	}
	key = select_key(this, keys, hasher);
	this->private = key->get_ref(key);
	keys->destroy_offset(keys, offsetof(private_key_t, destroy));

	decrypt_payloads(this, this->private, ike_sa);

	if (this->peer_id)
	{
		DBG1(DBG_IKE, "received identity '%Y', encrypted to our %d bit RSA "
			 "key", this->peer_id, this->private->get_keysize(this->private));
		enumerator = rsa_encr_config_create_peer_cfg_enumerator(me, other,
												this->peer_id, this->method);
		if (enumerator->enumerate(enumerator, &peer_cfg))
		{
			this->peer_cfg = peer_cfg->get_ref(peer_cfg);
		}
		enumerator->destroy(enumerator);
		if (!this->peer_cfg)
		{
			DBG1(DBG_CFG, "no connection marked rsa-encr %d matches "
				 "%H...%H[%Y]", this->method, me, other, this->peer_id);
			fail(this);
		}
		else
		{
			DBG1(DBG_CFG, "selected peer config '%s' for RSA encryption "
				 "authentication", this->peer_cfg->get_name(this->peer_cfg));
			my_id = rsa_encr_config_my_id(this->peer_cfg, me);
			private = my_id ? rsa_encr_config_private_key(this->peer_cfg,
														  my_id) : NULL;
			if (!private || !private->equals(private, this->private))
			{
				DBG1(DBG_CFG, "connection '%s' uses another key than the one "
					 "the initiator encrypted to",
					 this->peer_cfg->get_name(this->peer_cfg));
				fail(this);
			}
			DESTROY_IF(private);
		}
		this->peer_key = rsa_encr_config_peer_key(this->peer_id);
		if (!this->peer_key)
		{
			DBG1(DBG_IKE, "no RSA encryption key for '%Y' in the IOS key "
				 "chains", this->peer_id);
			fail(this);
		}
	}

	/* a failed exchange answers like a good one: with the identity of the
	 * first matching connection, encrypted to our own key */
	if (!my_id)
	{
		my_id = rsa_encr_config_my_id(this->peer_cfg ?: first, me);
	}
	if (!this->peer_key)
	{
		this->peer_key = public_half(this->private);
	}
	if (my_id)
	{
		this->my_id = rsa_encr_exchange_encode_id(my_id);
	}
	capacity = this->peer_key ? rsa_encr_crypto_capacity(this->peer_key) : 0;
	if (!my_id || capacity < rsa_encr_needed_capacity(this))
	{
		DBG1(DBG_IKE, "the initiator's RSA key cannot carry our identity "
			 "'%Y' in one PKCS#1 block", my_id);
		success = FALSE;
	}
	DESTROY_IF(my_id);
	DESTROY_IF(first);

	if (this->nonce_payload)
	{
		this->nonce_payload->set_nonce(this->nonce_payload, this->peer_nonce);
		this->nonce_payload = NULL;
	}
	return success;
}

METHOD(rsa_encr_exchange_t, process_responder, bool,
	private_rsa_encr_exchange_t *this, ike_sa_t *ike_sa)
{
	if (this->processed)
	{
		return TRUE;
	}
	this->processed = TRUE;
	if (!this->private)
	{
		return FALSE;
	}
	if (!this->id_crypto.len || !this->nonce_crypto.len ||
		(this->method == RSA_ENCR_METHOD_ENC_REV && !this->ke_crypto.len))
	{
		DBG1(DBG_IKE, "message 4 lacks the responder's encrypted identity, "
			 "nonce or KE");
		fail(this);
	}
	decrypt_payloads(this, this->private, ike_sa);
	if (this->peer_id)
	{
		DBG1(DBG_IKE, "received identity '%Y', encrypted to our %d bit RSA "
			 "key", this->peer_id, this->private->get_keysize(this->private));
		if (!rsa_encr_config_key_bound(this->peer_key, this->peer_id))
		{
			DBG1(DBG_IKE, "the key we encrypted to is not bound to '%Y' in "
				 "the IOS key chains", this->peer_id);
			fail(this);
		}
	}
	return TRUE;
}

METHOD(rsa_encr_exchange_t, get_peer_ke, chunk_t,
	private_rsa_encr_exchange_t *this)
{
	ike_sa_t *ike_sa;

	if (this->initiator && !this->processed)
	{
		ike_sa = charon->bus->get_sa(charon->bus);
		if (ike_sa)
		{
			this->public.process_responder(&this->public, ike_sa);
		}
	}
	return this->peer_ke;
}

METHOD(rsa_encr_exchange_t, get_peer_nonce, chunk_t,
	private_rsa_encr_exchange_t *this)
{
	return this->peer_nonce;
}

METHOD(rsa_encr_exchange_t, get_my_id, chunk_t,
	private_rsa_encr_exchange_t *this)
{
	return this->my_id;
}

METHOD(rsa_encr_exchange_t, get_peer_id, chunk_t,
	private_rsa_encr_exchange_t *this)
{
	return this->peer_id_body;
}

METHOD(rsa_encr_exchange_t, get_peer_identity, identification_t*,
	private_rsa_encr_exchange_t *this)
{
	return this->peer_id;
}

METHOD(rsa_encr_exchange_t, get_peer_cfg, peer_cfg_t*,
	private_rsa_encr_exchange_t *this)
{
	return this->peer_cfg;
}

METHOD(rsa_encr_exchange_t, get_peer_key, public_key_t*,
	private_rsa_encr_exchange_t *this)
{
	return this->peer_key;
}

METHOD(rsa_encr_exchange_t, has_failed, bool,
	private_rsa_encr_exchange_t *this)
{
	return this->failed;
}

METHOD(rsa_encr_exchange_t, destroy, void,
	private_rsa_encr_exchange_t *this)
{
	DESTROY_OFFSET_IF(this->candidates, offsetof(peer_cfg_t, destroy));
	DESTROY_IF(this->peer_cfg);
	DESTROY_IF(this->private);
	DESTROY_IF(this->peer_key);
	DESTROY_IF(this->peer_id);
	chunk_free(&this->my_id);
	chunk_free(&this->peer_id_body);
	chunk_clear(&this->peer_nonce);
	chunk_free(&this->hash1);
	chunk_free(&this->id_crypto);
	chunk_free(&this->nonce_crypto);
	chunk_free(&this->ke_crypto);
	chunk_free(&this->peer_ke);
	chunk_free(&this->original);
	free(this);
}

/*
 * Described in header
 */
rsa_encr_exchange_t *rsa_encr_exchange_create(bool initiator)
{
	private_rsa_encr_exchange_t *this;

	INIT(this,
		.public = {
			.get_method = _get_method,
			.start = _start,
			.set_candidates = _set_candidates,
			.keep_original = _keep_original,
			.restore_original = _restore_original,
			.prepare_initiator = _prepare_initiator,
			.encrypt_payloads = _encrypt_payloads,
			.set_received = _set_received,
			.set_nonce_payload = _set_nonce_payload,
			.process_initiator = _process_initiator,
			.process_responder = _process_responder,
			.get_peer_ke = _get_peer_ke,
			.get_peer_nonce = _get_peer_nonce,
			.get_my_id = _get_my_id,
			.get_peer_id = _get_peer_id,
			.get_peer_identity = _get_peer_identity,
			.get_peer_cfg = _get_peer_cfg,
			.get_peer_key = _get_peer_key,
			.has_failed = _has_failed,
			.destroy = _destroy,
		},
		.initiator = initiator,
	);
	return &this->public;
}
