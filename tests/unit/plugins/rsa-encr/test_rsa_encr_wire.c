/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Unit tests: byte-level access to unencrypted ISAKMP messages (RFC 2408
 * 3, RFC 2409 appendix A), on messages written out by hand here.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <library.h>

#include "rsa_encr_wire.h"

/**
 * Message 1 as IOS sends it with three "crypto isakmp policy" entries:
 * pre-share/AES-128/SHA/group 14, rsa-encr/3DES/SHA/group 2 and
 * rsa-sig/DES/SHA/group 1 with a variable-length (TLV) life duration,
 * then a vendor ID.
 */
static u_char msg1[] = {
	/* ISAKMP header: cookies, next SA, version 1.0, Main Mode, flags 0 */
	0x01,0x02,0x03,0x04,0x05,0x06,0x07,0x08, 0,0,0,0,0,0,0,0,
	0x01, 0x10, 0x02, 0x00, 0,0,0,0, 0,0,0,140,
	/* SA: next VID, length 104, DOI IPsec, situation identity only */
	0x0d, 0x00, 0x00, 104, 0,0,0,1, 0,0,0,1,
	/* proposal #1: last, length 92, ISAKMP, no SPI, 3 transforms */
	0x00, 0x00, 0x00, 92, 0x01, 0x01, 0x00, 0x03,
	/* transform #1 (offset 48): more, length 28, KEY_IKE */
	0x03, 0x00, 0x00, 28, 0x01, 0x01, 0x00, 0x00,
	0x80,0x01, 0x00,0x07,		/* encryption AES-CBC (value at 58) */
	0x80,0x0e, 0x00,0x80,		/* key length 128 */
	0x80,0x02, 0x00,0x02,		/* hash SHA */
	0x80,0x03, 0x00,0x01,		/* auth pre-shared key (value at 70) */
	0x80,0x04, 0x00,0x0e,		/* group 14 */
	/* transform #2 (offset 76): more, length 24 */
	0x03, 0x00, 0x00, 24, 0x02, 0x01, 0x00, 0x00,
	0x80,0x01, 0x00,0x05,		/* encryption 3DES (value at 86) */
	0x80,0x02, 0x00,0x02,		/* hash SHA */
	0x80,0x03, 0x00,0x04,		/* auth RSA encryption (value at 94) */
	0x80,0x04, 0x00,0x02,		/* group 2 */
	/* transform #3 (offset 100): last, length 32 */
	0x00, 0x00, 0x00, 32, 0x03, 0x01, 0x00, 0x00,
	0x80,0x0b, 0x00,0x01,		/* life type seconds */
	0x00,0x0c, 0x00,0x04, 0x00,0x01,0x51,0x80, /* life duration, TLV */
	0x80,0x01, 0x00,0x01,		/* encryption DES (value at 122) */
	0x80,0x03, 0x00,0x03,		/* auth RSA signature (value at 126) */
	0x80,0x04, 0x00,0x01,		/* group 1 */
	/* vendor ID (offset 132): last, length 8 */
	0x00, 0x00, 0x00, 8, 0xaf,0xca,0xd7,0x13,
};

/**
 * Message 3 of rsa-encr: KE, HASH(1), ID, nonce (short fake bodies).
 */
static u_char msg3[] = {
	0x01,0x02,0x03,0x04,0x05,0x06,0x07,0x08, 0x11,0x12,0x13,0x14,0x15,0x16,0x17,0x18,
	0x04, 0x10, 0x02, 0x00, 0,0,0,0, 0,0,0,60,
	0x08, 0x00, 0x00, 8, 0xaa,0xaa,0xaa,0xaa,			/* KE at 28 */
	0x05, 0x00, 0x00, 8, 0xbb,0xbb,0xbb,0xbb,			/* HASH at 36 */
	0x0a, 0x00, 0x00, 8, 0xcc,0xcc,0xcc,0xcc,			/* ID at 44 */
	0x00, 0x00, 0x00, 8, 0xdd,0xdd,0xdd,0xdd,			/* nonce at 52 */
};

#define chunk_of(array) chunk_create((u_char*)array, sizeof(array))

static void walks_payloads_and_where_their_types_are(void **state)
{
	rsa_encr_wire_payload_t p[RSA_ENCR_WIRE_MAX_PAYLOADS];

	assert_int_equal(rsa_encr_wire_walk(chunk_of(msg3), p, countof(p)), 4);
	assert_int_equal(p[0].type, 4);
	assert_int_equal(p[0].type_pos, 16);
	assert_int_equal(p[0].offset, 28);
	assert_int_equal(p[1].type, 8);
	assert_int_equal(p[1].type_pos, 28);
	assert_int_equal(p[2].type, 5);
	assert_int_equal(p[2].type_pos, 36);
	assert_int_equal(p[3].type, 10);
	assert_int_equal(p[3].type_pos, 44);
	assert_int_equal(p[3].offset, 52);
	assert_int_equal(p[3].length, 8);
}

static void retags_in_place_and_body_follows_header(void **state)
{
	rsa_encr_wire_payload_t p[RSA_ENCR_WIRE_MAX_PAYLOADS];
	u_char msg[sizeof(msg3)];
	chunk_t body;

	memcpy(msg, msg3, sizeof(msg));
	assert_int_equal(rsa_encr_wire_walk(chunk_of(msg), p, countof(p)), 4);
	rsa_encr_wire_retag(chunk_of(msg), &p[2], RSA_ENCR_TAG_ID);
	rsa_encr_wire_retag(chunk_of(msg), &p[3], RSA_ENCR_TAG_NONCE);
	assert_int_equal(msg[36], RSA_ENCR_TAG_ID);
	assert_int_equal(msg[44], RSA_ENCR_TAG_NONCE);
	assert_int_equal(rsa_encr_wire_walk(chunk_of(msg), p, countof(p)), 4);
	assert_int_equal(p[2].type, RSA_ENCR_TAG_ID);
	assert_int_equal(p[3].type, RSA_ENCR_TAG_NONCE);
	body = rsa_encr_wire_body(chunk_of(msg), &p[2]);
	assert_int_equal(body.len, 4);
	assert_ptr_equal(body.ptr, msg + 48);
	/* nothing but the two type bytes changed */
	msg[36] = 0x05;
	msg[44] = 0x0a;
	assert_memory_equal(msg, msg3, sizeof(msg));
}

static void finds_auth_and_encryption_of_every_ike_transform(void **state)
{
	rsa_encr_wire_payload_t p[RSA_ENCR_WIRE_MAX_PAYLOADS];
	rsa_encr_wire_transform_t t[RSA_ENCR_WIRE_MAX_TRANSFORMS];

	assert_int_equal(rsa_encr_wire_walk(chunk_of(msg1), p, countof(p)), 2);
	assert_int_equal(p[0].type, 1);
	assert_int_equal(p[1].type, 13);
	assert_int_equal(rsa_encr_wire_sa_transforms(chunk_of(msg1), &p[0], t,
												 countof(t)), 3);
	assert_int_equal(t[0].proposal, 1);
	assert_int_equal(t[0].number, 1);
	assert_int_equal(t[0].auth, 1);
	assert_int_equal(t[0].auth_pos, 70);
	assert_int_equal(t[0].encr_pos, 58);
	assert_int_equal(t[1].number, 2);
	assert_int_equal(t[1].auth, 4);
	assert_int_equal(t[1].auth_pos, 94);
	assert_int_equal(t[1].encr_pos, 86);
	assert_int_equal(t[2].number, 3);
	assert_int_equal(t[2].auth, 3);
	assert_int_equal(t[2].auth_pos, 126);
	assert_int_equal(t[2].encr_pos, 122);
	assert_int_equal(rsa_encr_wire_get16(chunk_of(msg1), t[1].encr_pos), 5);
}

static void patches_attribute_values(void **state)
{
	rsa_encr_wire_payload_t p[RSA_ENCR_WIRE_MAX_PAYLOADS];
	rsa_encr_wire_transform_t t[RSA_ENCR_WIRE_MAX_TRANSFORMS];
	u_char msg[sizeof(msg1)];

	memcpy(msg, msg1, sizeof(msg));
	rsa_encr_wire_walk(chunk_of(msg), p, countof(p));
	rsa_encr_wire_sa_transforms(chunk_of(msg), &p[0], t, countof(t));
	rsa_encr_wire_set16(chunk_of(msg), t[1].auth_pos, 1);
	rsa_encr_wire_set16(chunk_of(msg), t[0].encr_pos, 0);
	assert_int_equal(msg[94], 0x00);
	assert_int_equal(msg[95], 0x01);
	assert_int_equal(msg[58], 0x00);
	assert_int_equal(msg[59], 0x00);
	rsa_encr_wire_sa_transforms(chunk_of(msg), &p[0], t, countof(t));
	assert_int_equal(t[1].auth, 1);
}

static void rejects_payload_longer_than_message(void **state)
{
	rsa_encr_wire_payload_t p[RSA_ENCR_WIRE_MAX_PAYLOADS];
	u_char msg[sizeof(msg3)];

	memcpy(msg, msg3, sizeof(msg));
	msg[52 + 3] = 9;
	assert_int_equal(rsa_encr_wire_walk(chunk_of(msg), p, countof(p)), -1);
	msg[52 + 3] = 3;
	assert_int_equal(rsa_encr_wire_walk(chunk_of(msg), p, countof(p)), -1);
	/* more payloads than room for them */
	assert_int_equal(rsa_encr_wire_walk(chunk_of(msg3), p, 3), -1);
	/* truncated header */
	assert_int_equal(rsa_encr_wire_walk(chunk_create(msg3, 20), p,
										countof(p)), -1);
}

static void encrypted_message_is_not_walked(void **state)
{
	rsa_encr_wire_payload_t p[RSA_ENCR_WIRE_MAX_PAYLOADS];
	u_char msg[sizeof(msg3)];

	memcpy(msg, msg3, sizeof(msg));
	msg[19] = 0x01;
	assert_true(rsa_encr_wire_is_encrypted(chunk_of(msg)));
	assert_int_equal(rsa_encr_wire_walk(chunk_of(msg), p, countof(p)), -1);
}

static void rejects_inconsistent_sa(void **state)
{
	rsa_encr_wire_payload_t p[RSA_ENCR_WIRE_MAX_PAYLOADS];
	rsa_encr_wire_transform_t t[RSA_ENCR_WIRE_MAX_TRANSFORMS];
	u_char msg[sizeof(msg1)];

	memcpy(msg, msg1, sizeof(msg));
	rsa_encr_wire_walk(chunk_of(msg), p, countof(p));
	msg[47] = 4;		/* claims four transforms */
	assert_int_equal(rsa_encr_wire_sa_transforms(chunk_of(msg), &p[0], t,
												 countof(t)), -1);
	msg[47] = 3;
	msg[39] = 2;		/* other situation */
	assert_int_equal(rsa_encr_wire_sa_transforms(chunk_of(msg), &p[0], t,
												 countof(t)), -1);
	msg[39] = 1;
	msg[100 + 8 + 4 + 3] = 0x40;	/* TLV attribute runs past its transform */
	assert_int_equal(rsa_encr_wire_sa_transforms(chunk_of(msg), &p[0], t,
												 countof(t)), -1);
	msg[100 + 8 + 4 + 3] = 0x04;
	assert_int_equal(rsa_encr_wire_sa_transforms(chunk_of(msg), &p[0], t, 2),
					 -1);
}

static void chains_payloads_with_next_types(void **state)
{
	u_char ke[] = { 1, 2, 3 }, hash[] = { 4 }, id[] = { 5, 6 }, nonce[] = { 7 };
	uint8_t types[] = { 4, 8, 5, 10 };
	chunk_t bodies[] = { chunk_of(ke), chunk_of(hash), chunk_of(id),
						 chunk_of(nonce) };
	u_char expected[] = {
		8, 0, 0, 7, 1, 2, 3,
		5, 0, 0, 5, 4,
		10, 0, 0, 6, 5, 6,
		0, 0, 0, 5, 7,
	};
	size_t last_next = 0;
	chunk_t encoding;

	encoding = rsa_encr_wire_chain(4, types, bodies, &last_next);
	assert_int_equal(encoding.len, sizeof(expected));
	assert_memory_equal(encoding.ptr, expected, sizeof(expected));
	assert_int_equal(last_next, 18);
	chunk_free(&encoding);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walks_payloads_and_where_their_types_are),
		cmocka_unit_test(retags_in_place_and_body_follows_header),
		cmocka_unit_test(finds_auth_and_encryption_of_every_ike_transform),
		cmocka_unit_test(patches_attribute_values),
		cmocka_unit_test(rejects_payload_longer_than_message),
		cmocka_unit_test(encrypted_message_is_not_walked),
		cmocka_unit_test(rejects_inconsistent_sa),
		cmocka_unit_test(chains_payloads_with_next_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
