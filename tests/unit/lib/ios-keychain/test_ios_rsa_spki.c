/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/*
 * Unit tests: decoding, checking and encoding RSA SubjectPublicKeyInfo DER
 * with the library's own strict DER code.
 */

#include "ios_keychain_testing.h"

#include <stdlib.h>
#include <string.h>

static const uint8_t rsa_oid[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
};

/** id-ecPublicKey, 1.2.840.10045.2.1 */
static const uint8_t ec_oid[] = {
	0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
};

static const uint8_t der_null[] = { 0x05, 0x00 };

/**
 * Append an element with minimal length encoding; written here by hand,
 * independent of the library's DER writer.
 */
static size_t put(uint8_t *out, uint8_t tag, const uint8_t *content,
				  size_t len)
{
	size_t header = 2;

	out[0] = tag;
	if (len < 0x80)
	{
		out[1] = (uint8_t)len;
	}
	else if (len < 0x100)
	{
		out[1] = 0x81;
		out[2] = (uint8_t)len;
		header = 3;
	}
	else
	{
		out[1] = 0x82;
		out[2] = (uint8_t)(len >> 8);
		out[3] = (uint8_t)len;
		header = 4;
	}
	memmove(out + header, content, len);
	return header + len;
}

typedef struct {
	const uint8_t *oid;
	size_t oid_len;
	/** whole params element, NULL for none */
	const uint8_t *params;
	size_t params_len;
	uint8_t unused_bits;
	/** INTEGER contents as they go into the DER */
	const uint8_t *modulus;
	size_t modulus_len;
	const uint8_t *exponent;
	size_t exponent_len;
} spki_parts_t;

/**
 * Build an SPKI from parts, for malformed variants.
 */
static uint8_t *build_spki(const spki_parts_t *parts, size_t *len)
{
	uint8_t key[1200], ints[1200], bits[1200], alg[256], all[1500];
	size_t key_len = 0, alg_len = 0, bits_len, all_len;
	uint8_t *der;

	key_len += put(ints, 0x02, parts->modulus, parts->modulus_len);
	key_len += put(ints + key_len, 0x02, parts->exponent, parts->exponent_len);
	key_len = put(key, 0x30, ints, key_len);
	bits[0] = parts->unused_bits;
	memcpy(bits + 1, key, key_len);
	bits_len = put(key, 0x03, bits, key_len + 1);

	alg_len = put(alg, 0x06, parts->oid, parts->oid_len);
	if (parts->params)
	{
		memcpy(alg + alg_len, parts->params, parts->params_len);
		alg_len += parts->params_len;
	}
	all_len = put(all, 0x30, alg, alg_len);
	memcpy(all + all_len, key, bits_len);
	all_len += bits_len;

	der = malloc(all_len + 4);
	assert_non_null(der);
	*len = put(der, 0x30, all, all_len);
	return der;
}

/** the modulus INTEGER content IOS writes for the Cisco key */
static uint8_t cisco_modulus_content[sizeof(cisco_modulus) + 1];
static const uint8_t f4_content[] = { 0x01, 0x00, 0x01 };

/** parts of the valid Cisco key */
static spki_parts_t cisco_parts(void)
{
	cisco_modulus_content[0] = 0;
	memcpy(cisco_modulus_content + 1, cisco_modulus, sizeof(cisco_modulus));
	return (spki_parts_t){
		.oid = rsa_oid, .oid_len = sizeof(rsa_oid),
		.params = der_null, .params_len = sizeof(der_null),
		.modulus = cisco_modulus_content,
		.modulus_len = sizeof(cisco_modulus_content),
		.exponent = f4_content, .exponent_len = sizeof(f4_content),
	};
}

/**
 * Decode DER from an exactly sized heap copy, so that ASan sees any read
 * beyond its end.
 */
static ios_rsa_status_t decode_copy(const uint8_t *der, size_t len,
									char *why, size_t why_len)
{
	uint8_t *copy = malloc(len ? len : 1);
	ios_rsa_public_t rsa;
	ios_rsa_status_t status;

	assert_non_null(copy);
	if (len)
	{
		memcpy(copy, der, len);
	}
	status = ios_rsa_spki_decode(copy, len, &rsa, why, why_len);
	free(copy);
	return status;
}

static void assert_decodes_as(const spki_parts_t *parts,
							  ios_rsa_status_t expected, const char *message)
{
	char why[256];
	size_t len;
	uint8_t *der = build_spki(parts, &len);

	assert_int_equal(decode_copy(der, len, why, sizeof(why)), expected);
	if (!strstr(why, message))
	{
		fail_msg("message \"%s\" lacks \"%s\"", why, message);
	}
	free(der);
}

static void cisco_example_key_decodes_to_openssl_modulus_and_exponent(void **state)
{
	ios_rsa_public_t rsa;
	size_t len;
	uint8_t *der = hex_decode(cisco_key_hex, &len);

	assert_int_equal(len, 94);
	assert_int_equal(ios_rsa_spki_decode(der, len, &rsa, NULL, 0), IOS_RSA_OK);
	assert_int_equal(rsa.bits, 512);
	assert_int_equal(rsa.modulus_len, sizeof(cisco_modulus));
	assert_memory_equal(rsa.modulus, cisco_modulus, sizeof(cisco_modulus));
	assert_int_equal(magnitude_value(rsa.exponent, rsa.exponent_len),
					 cisco_exponent);
	assert_int_equal(ios_rsa_public_check(&rsa, NULL, 0), IOS_RSA_OK);
	free(der);
}

static void openssl_generated_keys_decode_to_openssl_values(void **state)
{
	ios_rsa_public_t rsa;
	fixture_key_t key;
	size_t i;

	for (i = 0; i < FIXTURE_KEY_COUNT; i++)
	{
		fixture_key_load(fixture_keys[i], &key);
		assert_int_equal(ios_rsa_spki_decode(key.der, key.der_len, &rsa,
											 NULL, 0), IOS_RSA_OK);
		assert_int_equal(rsa.bits, key.bits);
		assert_int_equal(rsa.modulus_len, key.modulus_len);
		assert_memory_equal(rsa.modulus, key.modulus, key.modulus_len);
		assert_int_equal(magnitude_value(rsa.exponent, rsa.exponent_len),
						 key.exponent);
		assert_int_equal(ios_rsa_public_check(&rsa, NULL, 0), IOS_RSA_OK);
		fixture_key_free(&key);
	}
}

static void encoding_modulus_and_exponent_reproduces_openssl_der(void **state)
{
	uint8_t exponent[8], *der;
	fixture_key_t key;
	size_t i, len;

	for (i = 0; i < FIXTURE_KEY_COUNT; i++)
	{
		fixture_key_load(fixture_keys[i], &key);
		exponent[0] = (uint8_t)(key.exponent >> 16);
		exponent[1] = (uint8_t)(key.exponent >> 8);
		exponent[2] = (uint8_t)key.exponent;
		assert_int_equal(ios_rsa_spki_encode(key.modulus, key.modulus_len,
											 exponent, 3, &der, &len), 0);
		assert_int_equal(len, key.der_len);
		assert_memory_equal(der, key.der, len);
		free(der);
		fixture_key_free(&key);
	}
}

static void encoding_ignores_leading_zeros_of_inputs(void **state)
{
	uint8_t modulus[sizeof(cisco_modulus) + 3] = { 0, 0, 0 };
	const uint8_t exponent[] = { 0, 0, 0, 0, 0, 1, 0, 1 };
	uint8_t *der, *expected;
	size_t len, expected_len;

	memcpy(modulus + 3, cisco_modulus, sizeof(cisco_modulus));
	assert_int_equal(ios_rsa_spki_encode(modulus, sizeof(modulus), exponent,
										 sizeof(exponent), &der, &len), 0);
	expected = hex_decode(cisco_key_hex, &expected_len);
	assert_int_equal(len, expected_len);
	assert_memory_equal(der, expected, len);
	free(der);
	free(expected);
}

static void every_cut_of_the_der_is_reported_as_truncated(void **state)
{
	char why[256];
	size_t len, cut;
	uint8_t *der = hex_decode(cisco_key_hex, &len);

	for (cut = 0; cut < len; cut++)
	{
		assert_int_equal(decode_copy(der, cut, why, sizeof(why)),
						 IOS_RSA_TRUNCATED);
		assert_non_null(strstr(why, "truncated DER"));
	}
	assert_int_equal(decode_copy(der, len, why, sizeof(why)), IOS_RSA_OK);
	free(der);
}

static void truncation_message_says_how_many_bytes_are_missing(void **state)
{
	char why[256];
	size_t len;
	uint8_t *der = hex_decode(cisco_key_hex, &len);

	assert_int_equal(decode_copy(der, 50, why, sizeof(why)),
					 IOS_RSA_TRUNCATED);
	assert_string_equal(why, "truncated DER: SubjectPublicKeyInfo SEQUENCE "
						"at offset 0 declares 92 bytes, only 48 are left");
	free(der);
}

static void trailing_bytes_are_invalid_der(void **state)
{
	uint8_t der[200];
	char why[256];
	size_t len;
	uint8_t *seed = hex_decode(cisco_key_hex, &len);

	memcpy(der, seed, len);
	der[len] = 0x00;
	assert_int_equal(decode_copy(der, len + 1, why, sizeof(why)),
					 IOS_RSA_MALFORMED);
	assert_string_equal(why, "invalid DER: 1 unexpected bytes at offset 94 "
						"behind the SubjectPublicKeyInfo");
	free(seed);
}

static void indefinite_length_is_invalid_der(void **state)
{
	char why[256];
	size_t len;
	uint8_t *der = hex_decode(cisco_key_hex, &len);

	der[1] = 0x80;
	assert_int_equal(decode_copy(der, len, why, sizeof(why)),
					 IOS_RSA_MALFORMED);
	assert_non_null(strstr(why, "indefinite length"));
	free(der);
}

static void long_form_of_a_short_length_is_invalid_der(void **state)
{
	uint8_t der[200] = { 0x30, 0x81 };
	char why[256];
	size_t len;
	uint8_t *seed = hex_decode(cisco_key_hex, &len);

	memcpy(der + 2, seed + 1, len - 1);
	assert_int_equal(decode_copy(der, len + 1, why, sizeof(why)),
					 IOS_RSA_MALFORMED);
	assert_non_null(strstr(why, "long form used for a short length"));

	der[1] = 0x82;
	der[2] = 0x00;
	memcpy(der + 3, seed + 1, len - 1);
	assert_int_equal(decode_copy(der, len + 2, why, sizeof(why)),
					 IOS_RSA_MALFORMED);
	assert_non_null(strstr(why, "leading zero byte"));
	free(seed);
}

static void inner_element_longer_than_its_parent_is_invalid_der(void **state)
{
	char why[256];
	size_t len;
	uint8_t *der = hex_decode(cisco_key_hex, &len);

	/* the RSAPublicKey SEQUENCE at offset 20 claims one byte more */
	assert_int_equal(der[20], 0x30);
	der[21]++;
	assert_int_equal(decode_copy(der, len, why, sizeof(why)),
					 IOS_RSA_MALFORMED);
	assert_string_equal(why, "invalid DER: RSAPublicKey SEQUENCE at offset "
						"20: exceeds its enclosing element");
	free(der);
}

static void ec_public_key_is_not_rsa(void **state)
{
	spki_parts_t parts = cisco_parts();

	parts.oid = ec_oid;
	parts.oid_len = sizeof(ec_oid);
	assert_decodes_as(&parts, IOS_RSA_NOT_RSA, "algorithm 1.2.840.10045.2.1 "
					  "is not rsaEncryption (1.2.840.113549.1.1.1)");
}

static void missing_null_parameters_is_not_rsa(void **state)
{
	spki_parts_t parts = cisco_parts();

	parts.params = NULL;
	parts.params_len = 0;
	assert_decodes_as(&parts, IOS_RSA_NOT_RSA, "NULL parameters of "
					  "rsaEncryption missing at offset 15");
}

static void bit_string_with_unused_bits_is_not_rsa(void **state)
{
	spki_parts_t parts = cisco_parts();

	parts.unused_bits = 3;
	assert_decodes_as(&parts, IOS_RSA_NOT_RSA, "has 3 unused bits");
}

static void negative_modulus_is_not_rsa(void **state)
{
	spki_parts_t parts = cisco_parts();

	/* without the 00 IOS puts before a modulus with the top bit set */
	parts.modulus = cisco_modulus;
	parts.modulus_len = sizeof(cisco_modulus);
	assert_decodes_as(&parts, IOS_RSA_NOT_RSA, "modulus INTEGER at offset "
					  "22 is negative");
}

static void integer_with_redundant_zero_byte_is_invalid_der(void **state)
{
	const uint8_t padded_exponent[] = { 0x00, 0x01, 0x00, 0x01 };
	spki_parts_t parts = cisco_parts();

	parts.exponent = padded_exponent;
	parts.exponent_len = sizeof(padded_exponent);
	assert_decodes_as(&parts, IOS_RSA_MALFORMED, "publicExponent INTEGER at "
					  "offset 89: INTEGER not minimally encoded");
}

static void sequence_where_integer_belongs_is_not_rsa(void **state)
{
	char why[256];
	size_t len;
	uint8_t *der = hex_decode(cisco_key_hex, &len);

	der[89] = 0x30;
	assert_int_equal(decode_copy(der, len, why, sizeof(why)),
					 IOS_RSA_NOT_RSA);
	assert_string_equal(why, "not an RSA SubjectPublicKeyInfo: expected "
						"publicExponent INTEGER at offset 89, found tag 0x30");
	free(der);
}

/** check a key with an all-ones modulus of some bits and an exponent */
static ios_rsa_status_t check_key(unsigned bits, const uint8_t *exponent,
								  size_t exponent_len, char *why)
{
	uint8_t modulus[600];
	ios_rsa_public_t rsa = {
		.modulus = modulus,
		.modulus_len = (bits + 7) / 8,
		.exponent = exponent,
		.exponent_len = exponent_len,
		.bits = bits,
	};

	memset(modulus, 0xff, sizeof(modulus));
	return ios_rsa_public_check(&rsa, why, 256);
}

static void key_sizes_from_512_to_4096_bits_are_accepted(void **state)
{
	const uint8_t f4[] = { 0x01, 0x00, 0x01 };
	char why[256];

	assert_int_equal(check_key(512, f4, 3, why), IOS_RSA_OK);
	assert_int_equal(check_key(4096, f4, 3, why), IOS_RSA_OK);
	assert_int_equal(check_key(511, f4, 3, why), IOS_RSA_TOO_SMALL);
	assert_string_equal(why, "RSA key of 511 bits is too small, accepted are "
						"512 to 4096 bits");
	assert_int_equal(check_key(4097, f4, 3, why), IOS_RSA_TOO_LARGE);
	assert_string_equal(why, "RSA key of 4097 bits is too large, accepted are "
						"512 to 4096 bits");
}

static void exponents_must_be_odd_and_at_least_3(void **state)
{
	const uint8_t three[] = { 3 }, one[] = { 1 }, two[] = { 2 };
	const uint8_t even[] = { 0x01, 0x00, 0x00 };
	char why[256];

	assert_int_equal(check_key(1024, three, 1, why), IOS_RSA_OK);
	assert_int_equal(check_key(1024, one, 1, why), IOS_RSA_EXPONENT_TOO_SMALL);
	assert_string_equal(why, "RSA public exponent 1 is smaller than 3");
	assert_int_equal(check_key(1024, two, 1, why), IOS_RSA_EXPONENT_TOO_SMALL);
	assert_int_equal(check_key(1024, NULL, 0, why),
					 IOS_RSA_EXPONENT_TOO_SMALL);
	assert_string_equal(why, "RSA public exponent 0 is smaller than 3");
	assert_int_equal(check_key(1024, even, 3, why), IOS_RSA_EXPONENT_EVEN);
	assert_string_equal(why, "RSA public exponent is even");
}

static void bits_count_from_the_highest_set_bit(void **state)
{
	const uint8_t modulus[] = { 0x01, 0xff, 0xff };
	const uint8_t exponent[] = { 3 };
	ios_rsa_public_t rsa;
	uint8_t *der;
	size_t len;

	assert_int_equal(ios_rsa_spki_encode(modulus, sizeof(modulus), exponent,
										 1, &der, &len), 0);
	assert_int_equal(ios_rsa_spki_decode(der, len, &rsa, NULL, 0), IOS_RSA_OK);
	assert_int_equal(rsa.bits, 17);
	free(der);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cisco_example_key_decodes_to_openssl_modulus_and_exponent),
		cmocka_unit_test(openssl_generated_keys_decode_to_openssl_values),
		cmocka_unit_test(encoding_modulus_and_exponent_reproduces_openssl_der),
		cmocka_unit_test(encoding_ignores_leading_zeros_of_inputs),
		cmocka_unit_test(every_cut_of_the_der_is_reported_as_truncated),
		cmocka_unit_test(truncation_message_says_how_many_bytes_are_missing),
		cmocka_unit_test(trailing_bytes_are_invalid_der),
		cmocka_unit_test(indefinite_length_is_invalid_der),
		cmocka_unit_test(long_form_of_a_short_length_is_invalid_der),
		cmocka_unit_test(inner_element_longer_than_its_parent_is_invalid_der),
		cmocka_unit_test(ec_public_key_is_not_rsa),
		cmocka_unit_test(missing_null_parameters_is_not_rsa),
		cmocka_unit_test(bit_string_with_unused_bits_is_not_rsa),
		cmocka_unit_test(negative_modulus_is_not_rsa),
		cmocka_unit_test(integer_with_redundant_zero_byte_is_invalid_der),
		cmocka_unit_test(sequence_where_integer_belongs_is_not_rsa),
		cmocka_unit_test(key_sizes_from_512_to_4096_bits_are_accepted),
		cmocka_unit_test(exponents_must_be_odd_and_at_least_3),
		cmocka_unit_test(bits_count_from_the_highest_set_bit),
	};

	return cmocka_run_group_tests_name("ios_rsa_spki", tests, NULL, NULL);
}
