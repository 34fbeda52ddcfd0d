/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Unit tests: the crypto pieces of rsa-encr against values computed
 * independently (rsa_encr_vectors.h, from gen_vectors.py): PKCS#1 v1.5
 * decryption that never tells how it failed, encryption limits,
 * hash(Ni_b | Nr_b) and HASH(1).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <library.h>

#include "rsa_encr_crypto.h"
#include "rsa_encr_vectors.h"

/** plugins of Debian's charon the tests use */
#define PLUGINS "random nonce openssl pem pkcs1 sha1 sha2 hmac des aes"

static private_key_t *key;

static int setup_library(void **state)
{
	if (!library_init(NULL, "rsa-encr-test") ||
		!lib->plugins->load(lib->plugins, PLUGINS))
	{
		return -1;
	}
	key = lib->creds->create(lib->creds, CRED_PRIVATE_KEY, KEY_RSA,
							 BUILD_BLOB_PEM, chunk_from_str((char*)key1024_pem),
							 BUILD_END);
	return key ? 0 : -1;
}

static int teardown_library(void **state)
{
	key->destroy(key);
	library_deinit();
	return 0;
}

/**
 * OpenSSL 3 keeps state the openssl plugin creates at load time (provider
 * caches) where LeakSanitizer does not find it; only it is ignored.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libcrypto.so\n";
}

#define chunk_of(array) chunk_create((u_char*)array, sizeof(array))

static void assert_chunk_equal(chunk_t a, chunk_t b)
{
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.ptr, b.ptr, a.len);
}

static void decrypts_nonce_encrypted_by_another_implementation(void **state)
{
	chunk_t plain;

	assert_true(rsa_encr_crypto_decrypt(key, chunk_of(ct_nonce_ok),
										RSA_ENCR_MIN_NONCE, RSA_ENCR_MAX_NONCE,
										32, &plain));
	assert_chunk_equal(plain, chunk_of(nonce_i));
	chunk_free(&plain);
}

static void decrypts_identity_encrypted_by_another_implementation(void **state)
{
	chunk_t plain;

	assert_true(rsa_encr_crypto_decrypt(key, chunk_of(ct_id_ok), 5, 117, 20,
										&plain));
	assert_chunk_equal(plain, chunk_of(idii_body));
	chunk_free(&plain);
}

/**
 * Every failure returns a random substitute of the fallback length, and
 * two failures return different substitutes.
 */
static void assert_substitute(chunk_t crypto, size_t min, size_t max)
{
	chunk_t first, second;

	assert_false(rsa_encr_crypto_decrypt(key, crypto, min, max, 32, &first));
	assert_false(rsa_encr_crypto_decrypt(key, crypto, min, max, 32, &second));
	assert_int_equal(first.len, 32);
	assert_int_equal(second.len, 32);
	assert_false(chunk_equals(first, second));
	chunk_free(&first);
	chunk_free(&second);
}

static void bad_block_type_yields_random_substitute(void **state)
{
	assert_substitute(chunk_of(ct_nonce_bt1), 8, 256);
}

static void missing_separator_yields_random_substitute(void **state)
{
	assert_substitute(chunk_of(ct_no_separator), 8, 256);
}

static void tampered_ciphertext_yields_random_substitute(void **state)
{
	u_char tampered[sizeof(ct_nonce_ok)];
	chunk_t plain;
	bool valid;

	memcpy(tampered, ct_nonce_ok, sizeof(tampered));
	tampered[sizeof(tampered) / 2] ^= 0x01;
	/* a tampered block almost never has valid padding; if it has, the
	 * plaintext is not the nonce */
	valid = rsa_encr_crypto_decrypt(key, chunk_of(tampered), 8, 256, 32,
									&plain);
	assert_false(valid && chunk_equals(plain, chunk_of(nonce_i)));
	chunk_free(&plain);
}

static void wrong_length_yields_random_substitute(void **state)
{
	assert_substitute(chunk_create((u_char*)ct_nonce_ok,
								   sizeof(ct_nonce_ok) - 1), 8, 256);
}

static void nonce_outside_rfc_length_yields_random_substitute(void **state)
{
	assert_substitute(chunk_of(ct_nonce_short), 8, 256);
}

static void capacity_is_modulus_minus_eleven(void **state)
{
	public_key_t *public = key->get_public_key(key);

	assert_int_equal(rsa_encr_crypto_capacity(public), 128 - 11);
	assert_int_equal(rsa_encr_crypto_private_capacity(key), 128 - 11);
	public->destroy(public);
}

static void encryption_roundtrip_and_limit(void **state)
{
	public_key_t *public = key->get_public_key(key);
	u_char fits[117] = { 1 }, too_long[118] = { 1 };
	chunk_t crypto, plain;

	assert_true(rsa_encr_crypto_encrypt(public, chunk_of(fits), &crypto));
	assert_int_equal(crypto.len, 128);
	assert_true(rsa_encr_crypto_decrypt(key, crypto, 1, 117, 32, &plain));
	assert_chunk_equal(plain, chunk_of(fits));
	chunk_free(&crypto);
	chunk_free(&plain);
	assert_false(rsa_encr_crypto_encrypt(public, chunk_of(too_long), &crypto));
	public->destroy(public);
}

static void skeyid_key_is_hash_of_both_nonces(void **state)
{
	hasher_t *hasher;
	chunk_t hash;

	hasher = lib->crypto->create_hasher(lib->crypto, HASH_SHA1);
	assert_true(rsa_encr_crypto_skeyid_key(hasher, chunk_of(nonce_i),
										   chunk_of(nonce_r), &hash));
	assert_chunk_equal(hash, chunk_of(skeyid_key_sha1));
	chunk_free(&hash);
	hasher->destroy(hasher);

	hasher = lib->crypto->create_hasher(lib->crypto, HASH_SHA256);
	assert_true(rsa_encr_crypto_skeyid_key(hasher, chunk_of(nonce_i),
										   chunk_of(nonce_r), &hash));
	assert_chunk_equal(hash, chunk_of(skeyid_key_sha256));
	chunk_free(&hash);
	hasher->destroy(hasher);
}

static void hash1_is_hash_of_the_key_string(void **state)
{
	public_key_t *public = key->get_public_key(key);
	hasher_t *hasher;
	chunk_t hash;

	hasher = lib->crypto->create_hasher(lib->crypto, HASH_SHA1);
	assert_true(rsa_encr_crypto_key_hash(hasher, public, &hash));
	assert_chunk_equal(hash, chunk_of(hash1_sha1));
	chunk_free(&hash);
	hasher->destroy(hasher);
	public->destroy(public);
}

/** CKY-I of the vectors, as on the wire */
static const u_char cky_i[] = { 1, 2, 3, 4, 5, 6, 7, 8 };

static prf_t *hmac_sha1()
{
	return lib->crypto->create_prf(lib->crypto, PRF_HMAC_SHA1);
}

static void revised_key_is_cut_from_ne(void **state)
{
	prf_t *prf = hmac_sha1();
	chunk_t key;

	assert_true(rsa_encr_crypto_revised_key(prf, chunk_of(nonce_i),
											chunk_of(cky_i), 16, &key));
	assert_chunk_equal(key, chunk_of(ke_i_aes128));
	chunk_free(&key);
	prf->destroy(prf);
}

static void revised_key_is_expanded_as_in_appendix_b(void **state)
{
	prf_t *prf = hmac_sha1();
	chunk_t key;

	assert_true(rsa_encr_crypto_revised_key(prf, chunk_of(nonce_i),
											chunk_of(cky_i), 24, &key));
	assert_chunk_equal(key, chunk_of(ke_i_3des));
	chunk_free(&key);
	prf->destroy(prf);
}

static crypter_t *keyed(encryption_algorithm_t alg, size_t size, chunk_t key)
{
	crypter_t *crypter;

	crypter = lib->crypto->create_crypter(lib->crypto, alg, size);
	assert_non_null(crypter);
	assert_true(crypter->set_key(crypter, key));
	return crypter;
}

static void revised_payloads_are_chained_and_padded(void **state)
{
	crypter_t *crypter = keyed(ENCR_3DES, 0, chunk_of(ke_i_3des));
	u_char ivbuf[8] = {};
	chunk_t iv = chunk_of(ivbuf), ct;

	/* a full block of KE gets a whole block of padding */
	assert_true(rsa_encr_crypto_revised_encrypt(crypter, iv, chunk_of(ke_value),
												&ct));
	assert_chunk_equal(ct, chunk_of(revised_ct_ke_3des));
	chunk_free(&ct);
	/* the ID continues with the last block as IV */
	assert_true(rsa_encr_crypto_revised_encrypt(crypter, iv, chunk_of(idii_body),
												&ct));
	assert_chunk_equal(ct, chunk_of(revised_ct_id_3des));
	chunk_free(&ct);
	crypter->destroy(crypter);

	crypter = keyed(ENCR_AES_CBC, 16, chunk_of(ke_i_aes128));
	memset(ivbuf, 0, sizeof(ivbuf));
	iv = chunk_alloca(16);
	memset(iv.ptr, 0, iv.len);
	assert_true(rsa_encr_crypto_revised_encrypt(crypter, iv, chunk_of(idii_body),
												&ct));
	assert_chunk_equal(ct, chunk_of(revised_ct_id_aes128));
	chunk_free(&ct);
	crypter->destroy(crypter);
}

static void revised_payloads_decrypt_and_lose_their_padding(void **state)
{
	crypter_t *crypter = keyed(ENCR_3DES, 0, chunk_of(ke_i_3des));
	u_char ivbuf[8] = {};
	chunk_t iv = chunk_of(ivbuf), plain;

	assert_true(rsa_encr_crypto_revised_decrypt(crypter, iv,
								chunk_of(revised_ct_ke_3des), &plain));
	assert_chunk_equal(plain, chunk_of(ke_value));
	chunk_free(&plain);
	assert_true(rsa_encr_crypto_revised_decrypt(crypter, iv,
								chunk_of(revised_ct_id_3des), &plain));
	assert_chunk_equal(plain, chunk_of(idii_body));
	chunk_free(&plain);
	crypter->destroy(crypter);
}

static void revised_decryption_rejects_bad_length_and_padding(void **state)
{
	crypter_t *crypter = keyed(ENCR_3DES, 0, chunk_of(ke_i_3des));
	u_char ivbuf[8] = {}, wrong_key[24] = { 1 };
	chunk_t iv = chunk_of(ivbuf), plain;

	/* not a multiple of the block size */
	assert_false(rsa_encr_crypto_revised_decrypt(crypter, iv,
				chunk_create((u_char*)revised_ct_ke_3des, 12), &plain));
	crypter->destroy(crypter);
	/* another key: the padding byte is (almost always) too large */
	crypter = keyed(ENCR_3DES, 0, chunk_of(wrong_key));
	memset(ivbuf, 0, sizeof(ivbuf));
	if (rsa_encr_crypto_revised_decrypt(crypter, iv,
								chunk_of(revised_ct_ke_3des), &plain))
	{
		assert_false(chunk_equals(plain, chunk_of(ke_value)));
		chunk_free(&plain);
	}
	crypter->destroy(crypter);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decrypts_nonce_encrypted_by_another_implementation),
		cmocka_unit_test(decrypts_identity_encrypted_by_another_implementation),
		cmocka_unit_test(bad_block_type_yields_random_substitute),
		cmocka_unit_test(missing_separator_yields_random_substitute),
		cmocka_unit_test(tampered_ciphertext_yields_random_substitute),
		cmocka_unit_test(wrong_length_yields_random_substitute),
		cmocka_unit_test(nonce_outside_rfc_length_yields_random_substitute),
		cmocka_unit_test(capacity_is_modulus_minus_eleven),
		cmocka_unit_test(encryption_roundtrip_and_limit),
		cmocka_unit_test(skeyid_key_is_hash_of_both_nonces),
		cmocka_unit_test(hash1_is_hash_of_the_key_string),
		cmocka_unit_test(revised_key_is_cut_from_ne),
		cmocka_unit_test(revised_key_is_expanded_as_in_appendix_b),
		cmocka_unit_test(revised_payloads_are_chained_and_padded),
		cmocka_unit_test(revised_payloads_decrypt_and_lose_their_padding),
		cmocka_unit_test(revised_decryption_rejects_bad_length_and_padding),
	};

	return cmocka_run_group_tests(tests, setup_library, teardown_library);
}
