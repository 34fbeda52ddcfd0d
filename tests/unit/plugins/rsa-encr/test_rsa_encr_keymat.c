/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Unit tests: the "PSK-shaped" key derivation. charon's own IKEv1 keymat,
 * fed by rsa_encr_keymat_derive(), must yield the SKEYID_d, SKEYID_a, Ka,
 * HASH_I and HASH_R of RFC 2409 5.2 as computed independently
 * (rsa_encr_vectors.h). The keymat wrapper must be invisible to other
 * IKE_SAs and fail closed for rsa-encr ones without a connection. And
 * charon's own message generator, with the wrapper as keymat, must send a
 * revised-mode message 3 starting with HASH(1) in the clear, whole or in
 * fragments (the payload type switched in get_aead()).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <daemon.h>
#include <sa/ikev1/keymat_v1.h>

#include "rsa_encr_keymat.h"
#include "rsa_encr_wire.h"
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

/* offsets in an ISAKMP message: header's next payload and flags, first
 * payload; an IKEv1 fragment's data follows its 8 byte payload header */
#define NEXT_PAYLOAD 16
#define FLAGS 19
#define FLAG_ENCRYPTION 0x01
#define HEADER_LEN 28
#define FRAGMENT_HEADER_LEN 8

/**
 * A revised-mode message 3 without keys yet: HASH(1), a nonce of nonce_len
 * bytes, as one raw payload. switching: announced as the nonce until our
 * keymat's get_aead(FALSE), else as HASH throughout.
 */
static message_t *revised_message3(rsa_encr_keymat_t *keymat, bool switching,
								   size_t nonce_len)
{
	rsa_encr_payload_t *raw;
	message_t *message;
	uint8_t types[] = { PLV1_HASH, PLV1_NONCE };
	chunk_t bodies[2], encoding;
	size_t last_next;

	bodies[0] = chunk_alloca(20);
	memset(bodies[0].ptr, 0x48, bodies[0].len);
	bodies[1] = chunk_alloca(nonce_len);
	memset(bodies[1].ptr, 0x4e, bodies[1].len);
	encoding = rsa_encr_wire_chain(2, types, bodies, &last_next);
	assert_true(encoding.len == 4 + 20 + 4 + nonce_len);
	if (switching)
	{
		raw = rsa_encr_payload_create_switching(PLV1_NONCE, PLV1_HASH,
												encoding, last_next);
		keymat->switch_type_on_aead(keymat, raw);
	}
	else
	{
		raw = rsa_encr_payload_create(PLV1_HASH, encoding, last_next);
	}
	message = message_create(IKEV1_MAJOR_VERSION, IKEV1_MINOR_VERSION);
	message->set_exchange_type(message, ID_PROT);
	message->set_request(message, TRUE);
	message->set_message_id(message, 0);
	message->set_ike_sa_id(message, ike_sa_id);
	message->set_source(message, host_create_from_string("20.1.1.1", 500));
	message->set_destination(message, host_create_from_string("20.1.1.2", 500));
	message->add_payload(message, &raw->payload_interface);
	return message;
}

static void revised_hash1_goes_out_first_and_in_the_clear(void **state)
{
	rsa_encr_keymat_t *keymat;
	message_t *message;
	packet_t *packet;
	chunk_t data;

	keymat = (rsa_encr_keymat_t*)rsa_encr_keymat_create(TRUE);
	message = revised_message3(keymat, TRUE, 32);
	assert_int_equal(message->generate(message, &keymat->keymat_v1.keymat,
									   &packet), SUCCESS);
	data = packet->get_data(packet);
	assert_int_equal(data.len, HEADER_LEN + 4 + 20 + 4 + 32);
	assert_int_equal(data.ptr[NEXT_PAYLOAD], PLV1_HASH);
	assert_int_equal(data.ptr[FLAGS] & FLAG_ENCRYPTION, 0);
	/* HASH(1)'s own header names the nonce, which ends the chain */
	assert_int_equal(data.ptr[HEADER_LEN], PLV1_NONCE);
	assert_int_equal(data.ptr[HEADER_LEN + 4 + 20], PL_NONE);
	packet->destroy(packet);
	message->destroy(message);
	keymat->keymat_v1.keymat.destroy(&keymat->keymat_v1.keymat);
}

static void unswitched_hash_payload_needs_keys(void **state)
{
	rsa_encr_keymat_t *keymat;
	message_t *message;
	packet_t *packet = NULL;

	/* what the switch avoids: a HASH payload makes charon encrypt */
	keymat = (rsa_encr_keymat_t*)rsa_encr_keymat_create(TRUE);
	message = revised_message3(keymat, FALSE, 32);
	assert_int_equal(message->generate(message, &keymat->keymat_v1.keymat,
									   &packet), FAILED);
	assert_null(packet);
	message->destroy(message);
	keymat->keymat_v1.keymat.destroy(&keymat->keymat_v1.keymat);
}

static void revised_hash1_in_fragments_goes_out_first(void **state)
{
	rsa_encr_keymat_t *keymat;
	enumerator_t *fragments;
	message_t *message;
	packet_t *packet;
	chunk_t data, first = chunk_empty;
	int count = 0;

	keymat = (rsa_encr_keymat_t*)rsa_encr_keymat_create(TRUE);
	/* a 4096 bit RSA block as nonce, 576 byte datagrams */
	message = revised_message3(keymat, TRUE, 512);
	assert_int_equal(message->fragment(message, &keymat->keymat_v1.keymat,
									   576, &fragments), SUCCESS);
	while (fragments->enumerate(fragments, &packet))
	{
		data = packet->get_data(packet);
		assert_int_equal(data.ptr[NEXT_PAYLOAD], PLV1_FRAGMENT);
		if (!count++)
		{
			first = chunk_clone(data);
		}
	}
	fragments->destroy(fragments);
	assert_true(count > 1);
	/* the reassembled message starts in the first fragment's data */
	assert_true(first.len > HEADER_LEN + FRAGMENT_HEADER_LEN + FLAGS);
	data = chunk_skip(first, HEADER_LEN + FRAGMENT_HEADER_LEN);
	assert_int_equal(data.ptr[NEXT_PAYLOAD], PLV1_HASH);
	assert_int_equal(data.ptr[FLAGS] & FLAG_ENCRYPTION, 0);
	chunk_free(&first);
	message->destroy(message);
	keymat->keymat_v1.keymat.destroy(&keymat->keymat_v1.keymat);
}

static void switch_waits_for_outbound_aead_only(void **state)
{
	rsa_encr_keymat_t *keymat;
	rsa_encr_payload_t *raw, *stale;
	payload_t *payload;
	keymat_t *km;

	keymat = (rsa_encr_keymat_t*)rsa_encr_keymat_create(TRUE);
	km = &keymat->keymat_v1.keymat;
	stale = rsa_encr_payload_create_switching(PLV1_NONCE, PLV1_HASH,
									chunk_clone(chunk_from_chars(0, 0, 0, 4)), 0);
	keymat->switch_type_on_aead(keymat, stale);
	raw = rsa_encr_payload_create_switching(PLV1_NONCE, PLV1_HASH,
									chunk_clone(chunk_from_chars(0, 0, 0, 4)), 0);
	keymat->switch_type_on_aead(keymat, raw);
	payload = &raw->payload_interface;
	km->get_aead(km, TRUE);
	assert_int_equal(payload->get_type(payload), PLV1_NONCE);
	km->get_aead(km, FALSE);
	assert_int_equal(payload->get_type(payload), PLV1_HASH);
	/* replaced before its message was generated: never switched */
	assert_int_equal(stale->payload_interface.get_type(
										&stale->payload_interface), PLV1_NONCE);
	/* once per message: the keymat lets go of it */
	payload->destroy(payload);
	stale->payload_interface.destroy(&stale->payload_interface);
	km->get_aead(km, FALSE);
	km->destroy(km);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(psk_shaped_derivation_yields_rfc2409_public_key_keys),
		cmocka_unit_test(derivation_needs_both_nonces),
		cmocka_unit_test(wrapper_is_invisible_to_psk_exchanges),
		cmocka_unit_test(rsa_encr_exchange_without_connection_computes_no_hash),
		cmocka_unit_test(exchange_of_foreign_or_missing_ike_sa_is_none),
		cmocka_unit_test(revised_hash1_goes_out_first_and_in_the_clear),
		cmocka_unit_test(unswitched_hash_payload_needs_keys),
		cmocka_unit_test(revised_hash1_in_fragments_goes_out_first),
		cmocka_unit_test(switch_waits_for_outbound_aead_only),
	};

	return cmocka_run_group_tests(tests, setup_charon, teardown_charon);
}
