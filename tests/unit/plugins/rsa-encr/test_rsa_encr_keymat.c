/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Unit tests: the "PSK-shaped" key derivation. charon's own IKEv1 keymat,
 * fed by rsa_encr_keymat_derive(), must yield the SKEYID_d, SKEYID_a, Ka,
 * HASH_I and HASH_R of RFC 2409 5.2 as computed independently
 * (rsa_encr_vectors.h). The keymat wrapper must be invisible to other
 * IKE_SAs and fail closed for rsa-encr ones without a connection.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <daemon.h>
#include <sa/ikev1/keymat_v1.h>

#include "rsa_encr_keymat.h"
#include "rsa_encr_vectors.h"

#define PLUGINS "random nonce openssl pem pkcs1 sha1 sha2 hmac des aes"

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

/** keys charon publishes on the bus after deriving them */
static chunk_t derived_d, derived_a, derived_ka;

static bool derived_keys(listener_t *listener, ike_sa_t *ike_sa, chunk_t sk_d,
						 chunk_t sk_ai, chunk_t sk_ar, chunk_t sk_ei,
						 chunk_t sk_er, chunk_t sk_pi, chunk_t sk_pr)
{
	chunk_free(&derived_d);
	chunk_free(&derived_a);
	chunk_free(&derived_ka);
	derived_d = chunk_clone(sk_d);
	derived_a = chunk_clone(sk_ai);
	derived_ka = chunk_clone(sk_ei);
	return TRUE;
}

static listener_t capture = {
	.ike_derived_keys = derived_keys,
};

/**
 * A key exchange with the fixed values of the vectors (initiator side).
 */
static bool dh_shared(key_exchange_t *this, chunk_t *secret)
{
	*secret = chunk_clone(chunk_of(g_xy));
	return TRUE;
}

static bool dh_public(key_exchange_t *this, chunk_t *value)
{
	*value = chunk_clone(chunk_of(g_xi));
	return TRUE;
}

static bool dh_set(key_exchange_t *this, chunk_t value)
{
	return TRUE;
}

static key_exchange_method_t dh_method(key_exchange_t *this)
{
	return MODP_1024_BIT;
}

static key_exchange_t fixed_dh = {
	.get_shared_secret = dh_shared,
	.set_public_key = dh_set,
	.get_public_key = dh_public,
	.set_private_key = dh_set,
	.get_method = dh_method,
};

static proposal_t *proposal;
static ike_sa_id_t *ike_sa_id;

static int setup_charon(void **state)
{
	if (!library_init(NULL, "rsa-encr-test") ||
		!lib->plugins->load(lib->plugins, PLUGINS) || !libcharon_init())
	{
		return -1;
	}
	charon->bus->add_listener(charon->bus, &capture);
	proposal = proposal_create_from_string(PROTO_IKE, "3des-sha1-modp1024");
	/* CKY-I and CKY-R as on the wire: 01..08 and 11..18 */
	ike_sa_id = ike_sa_id_create(IKEV1_MAJOR_VERSION,
								 htobe64(0x0102030405060708ULL),
								 htobe64(0x1112131415161718ULL), TRUE);
	return proposal ? 0 : -1;
}

static int teardown_charon(void **state)
{
	charon->bus->remove_listener(charon->bus, &capture);
	chunk_free(&derived_d);
	chunk_free(&derived_a);
	chunk_free(&derived_ka);
	proposal->destroy(proposal);
	ike_sa_id->destroy(ike_sa_id);
	libcharon_deinit();
	library_deinit();
	return 0;
}

static void assert_chunk_equal(chunk_t a, chunk_t b)
{
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.ptr, b.ptr, a.len);
}

static void psk_shaped_derivation_yields_rfc2409_public_key_keys(void **state)
{
	keymat_v1_t *keymat;
	chunk_t hash;

	keymat = keymat_v1_create(TRUE);
	assert_true(keymat->create_hasher(keymat, proposal));
	assert_true(rsa_encr_keymat_derive(keymat, proposal, &fixed_dh,
									   chunk_of(g_xr), chunk_of(nonce_i),
									   chunk_of(nonce_r), ike_sa_id));
	assert_chunk_equal(derived_d, chunk_of(skeyid_d));
	assert_chunk_equal(derived_a, chunk_of(skeyid_a));
	assert_chunk_equal(derived_ka, chunk_of(ka_3des));

	assert_true(keymat->get_hash(keymat, TRUE, chunk_of(g_xi), chunk_of(g_xr),
								 ike_sa_id, chunk_of(sa_i),
								 chunk_of(idii_body), &hash, NULL));
	assert_chunk_equal(hash, chunk_of(hash_i));
	chunk_free(&hash);
	assert_true(keymat->get_hash(keymat, FALSE, chunk_of(g_xr), chunk_of(g_xi),
								 ike_sa_id, chunk_of(sa_i),
								 chunk_of(idir_body), &hash, NULL));
	assert_chunk_equal(hash, chunk_of(hash_r));
	chunk_free(&hash);
	keymat->keymat.destroy(&keymat->keymat);
}

static void derivation_needs_both_nonces(void **state)
{
	keymat_v1_t *keymat;

	keymat = keymat_v1_create(TRUE);
	assert_true(keymat->create_hasher(keymat, proposal));
	assert_false(rsa_encr_keymat_derive(keymat, proposal, &fixed_dh,
										chunk_of(g_xr), chunk_empty,
										chunk_of(nonce_r), ike_sa_id));
	keymat->keymat.destroy(&keymat->keymat);
}

/**
 * HASH_I of a PSK exchange through a keymat
 */
static chunk_t psk_hash_i(keymat_v1_t *keymat)
{
	shared_key_t *psk;
	chunk_t hash;

	psk = shared_key_create(SHARED_IKE, chunk_clone(chunk_from_str("cisco123")));
	assert_true(keymat->create_hasher(keymat, proposal));
	assert_true(keymat->derive_ike_keys(keymat, proposal, &fixed_dh,
										chunk_of(g_xr), chunk_of(nonce_i),
										chunk_of(nonce_r), ike_sa_id, AUTH_PSK,
										psk));
	assert_true(keymat->get_hash(keymat, TRUE, chunk_of(g_xi), chunk_of(g_xr),
								 ike_sa_id, chunk_of(sa_i),
								 chunk_of(idii_body), &hash, NULL));
	psk->destroy(psk);
	return hash;
}

static void wrapper_is_invisible_to_psk_exchanges(void **state)
{
	keymat_v1_t *plain, *wrapped;
	chunk_t expected, hash;

	plain = keymat_v1_create(TRUE);
	wrapped = (keymat_v1_t*)rsa_encr_keymat_create(TRUE);
	expected = psk_hash_i(plain);
	hash = psk_hash_i(wrapped);
	assert_chunk_equal(hash, expected);
	assert_int_equal(wrapped->keymat.get_version(&wrapped->keymat), IKEV1);
	chunk_free(&expected);
	chunk_free(&hash);
	plain->keymat.destroy(&plain->keymat);
	wrapped->keymat.destroy(&wrapped->keymat);
}

static void rsa_encr_exchange_without_connection_computes_no_hash(void **state)
{
	rsa_encr_keymat_t *wrapped;
	rsa_encr_exchange_t *exchange;
	chunk_t hash = chunk_empty;

	wrapped = (rsa_encr_keymat_t*)rsa_encr_keymat_create(TRUE);
	exchange = wrapped->get_exchange(wrapped);
	exchange->start(exchange, 4);
	assert_true(wrapped->keymat_v1.create_hasher(&wrapped->keymat_v1,
												 proposal) == FALSE);
	assert_false(wrapped->keymat_v1.get_hash(&wrapped->keymat_v1, TRUE,
								chunk_of(g_xi), chunk_of(g_xr), ike_sa_id,
								chunk_of(sa_i), chunk_of(idii_body), &hash,
								NULL));
	assert_null(hash.ptr);
	wrapped->keymat_v1.keymat.destroy(&wrapped->keymat_v1.keymat);
}

static void exchange_of_foreign_or_missing_ike_sa_is_none(void **state)
{
	assert_null(rsa_encr_keymat_get_exchange(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(psk_shaped_derivation_yields_rfc2409_public_key_keys),
		cmocka_unit_test(derivation_needs_both_nonces),
		cmocka_unit_test(wrapper_is_invisible_to_psk_exchanges),
		cmocka_unit_test(rsa_encr_exchange_without_connection_computes_no_hash),
		cmocka_unit_test(exchange_of_foreign_or_missing_ike_sa_is_none),
	};

	return cmocka_run_group_tests(tests, setup_charon, teardown_charon);
}
