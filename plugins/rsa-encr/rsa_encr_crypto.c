/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "rsa_encr_crypto.h"

#include <utils/debug.h>

/** PKCS#1 v1.5 encryption padding overhead */
#define PKCS1_OVERHEAD 11

/**
 * What one PKCS#1 v1.5 block of a key of a type and size carries
 */
static size_t capacity_of(key_type_t type, int bits)
{
	if (type != KEY_RSA ||
		bits < RSA_ENCR_MIN_KEY_BITS || bits > RSA_ENCR_MAX_KEY_BITS)
	{
		return 0;
	}
	return (bits + 7) / 8 - PKCS1_OVERHEAD;
}

/*
 * Described in header
 */
size_t rsa_encr_crypto_capacity(public_key_t *key)
{
	return capacity_of(key->get_type(key), key->get_keysize(key));
}

/*
 * Described in header
 */
size_t rsa_encr_crypto_private_capacity(private_key_t *key)
{
	return capacity_of(key->get_type(key), key->get_keysize(key));
}

/*
 * Described in header
 */
bool rsa_encr_crypto_encrypt(public_key_t *key, chunk_t plain, chunk_t *crypto)
{
	size_t capacity;

	capacity = rsa_encr_crypto_capacity(key);
	if (plain.len > capacity)
	{
		DBG1(DBG_IKE, "%zu bytes do not fit into a PKCS#1 block of a %d bit "
			 "RSA key (at most %zu)", plain.len, key->get_keysize(key),
			 capacity);
		return FALSE;
	}
	if (!key->encrypt(key, ENCRYPT_RSA_PKCS1, NULL, plain, crypto))
	{
		DBG1(DBG_IKE, "RSA encryption with the peer's public key failed");
		return FALSE;
	}
	return TRUE;
}

/*
 * Described in header
 */
bool rsa_encr_crypto_decrypt(private_key_t *key, chunk_t crypto, size_t min,
							 size_t max, size_t fallback, chunk_t *plain)
{
	chunk_t substitute, decrypted = chunk_empty;
	rng_t *rng;
	bool valid;

	/* draw the substitute first, whatever the outcome */
	rng = lib->crypto->create_rng(lib->crypto, RNG_STRONG);
	if (!rng || !rng->allocate_bytes(rng, fallback, &substitute))
	{
		DESTROY_IF(rng);
		substitute = chunk_alloc(fallback);
		memset(substitute.ptr, 0, substitute.len);
	}
	else
	{
		rng->destroy(rng);
	}

	valid = crypto.len == (size_t)(key->get_keysize(key) + 7) / 8;
	valid = key->decrypt(key, ENCRYPT_RSA_PKCS1, NULL, crypto, &decrypted) &&
			valid;
	valid = valid && decrypted.len >= min && decrypted.len <= max;
	if (valid)
	{
		chunk_clear(&substitute);
		*plain = decrypted;
	}
	else
	{
		chunk_clear(&decrypted);
		*plain = substitute;
	}
	return valid;
}

/*
 * Described in header
 */
bool rsa_encr_crypto_skeyid_key(hasher_t *hasher, chunk_t nonce_i,
								chunk_t nonce_r, chunk_t *key)
{
	return hasher->get_hash(hasher, nonce_i, NULL) &&
		   hasher->allocate_hash(hasher, nonce_r, key);
}

/*
 * Described in header
 */
bool rsa_encr_crypto_key_hash(hasher_t *hasher, public_key_t *key,
							  chunk_t *hash)
{
	chunk_t spki;
	bool success;

	if (!key->get_encoding(key, PUBKEY_SPKI_ASN1_DER, &spki))
	{
		return FALSE;
	}
	success = hasher->allocate_hash(hasher, spki, hash);
	chunk_free(&spki);
	return success;
}

/*
 * Described in header
 */
bool rsa_encr_crypto_revised_key(prf_t *prf, chunk_t nonce, chunk_t cky,
								 size_t key_size, chunk_t *key)
{
	chunk_t ne, block, seed = chunk_from_chars(0x00);
	size_t bs, done;

	if (!prf->set_key(prf, nonce) || !prf->allocate_bytes(prf, cky, &ne))
	{
		return FALSE;
	}
	if (ne.len >= key_size)
	{
		*key = chunk_clone(chunk_create(ne.ptr, key_size));
		chunk_clear(&ne);
		return TRUE;
	}
	bs = prf->get_block_size(prf);
	*key = chunk_alloc((key_size / bs + 1) * bs);
	if (!prf->set_key(prf, ne))
	{
		chunk_clear(&ne);
		chunk_free(key);
		return FALSE;
	}
	for (done = 0; done < key_size; done += bs)
	{
		block = chunk_create(key->ptr + done, bs);
		if (!prf->get_bytes(prf, seed, block.ptr))
		{
			chunk_clear(&ne);
			chunk_clear(key);
			return FALSE;
		}
		seed = block;
	}
	key->len = key_size;
	chunk_clear(&ne);
	return TRUE;
}

/*
 * Described in header
 */
bool rsa_encr_crypto_revised_encrypt(crypter_t *crypter, chunk_t iv,
									 chunk_t plain, chunk_t *crypto)
{
	size_t bs, pad;

	bs = crypter->get_block_size(crypter);
	if (iv.len != bs)
	{
		return FALSE;
	}
	pad = bs - plain.len % bs;
	*crypto = chunk_alloc(plain.len + pad);
	if (plain.len)
	{
		memcpy(crypto->ptr, plain.ptr, plain.len);
	}
	memset(crypto->ptr + plain.len, 0, pad);
	crypto->ptr[crypto->len - 1] = pad - 1;
	if (!crypter->encrypt(crypter, *crypto, iv, NULL))
	{
		chunk_free(crypto);
		return FALSE;
	}
	memcpy(iv.ptr, crypto->ptr + crypto->len - bs, bs);
	return TRUE;
}

/*
 * Described in header
 */
bool rsa_encr_crypto_revised_decrypt(crypter_t *crypter, chunk_t iv,
									 chunk_t crypto, chunk_t *plain)
{
	u_char next_iv[64];
	size_t bs, pad;

	bs = crypter->get_block_size(crypter);
	if (iv.len != bs || bs > sizeof(next_iv) || !crypto.len ||
		crypto.len % bs)
	{
		return FALSE;
	}
	memcpy(next_iv, crypto.ptr + crypto.len - bs, bs);
	*plain = chunk_clone(crypto);
	if (!crypter->decrypt(crypter, *plain, iv, NULL))
	{
		chunk_free(plain);
		return FALSE;
	}
	memcpy(iv.ptr, next_iv, bs);
	pad = plain->ptr[plain->len - 1] + 1;
	if (pad > bs || pad > plain->len)
	{
		chunk_clear(plain);
		return FALSE;
	}
	plain->len -= pad;
	return TRUE;
}
