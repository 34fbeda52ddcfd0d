/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/*
 * libFuzzer target for lib/ios-keychain. Besides looking for crashes,
 * leaks and undefined behaviour, it checks properties that must hold for
 * any input, and aborts when one does not:
 *  - every loaded key decodes and passes the key policy, its modulus and
 *    exponent point into its DER, the diagnostics stay bounded;
 *  - a chain written with ios_keychain_format() parses back without
 *    errors to the same keys, and writes as the same text again;
 *  - DER that decodes as an RSA SubjectPublicKeyInfo encodes back to the
 *    very same bytes (DER is canonical, and the decoder strict);
 *  - an address that parses writes and parses back to itself.
 */

#include "ios_keychain.h"

#include <stdlib.h>
#include <string.h>

/** abort with a condition that must never be false */
#define require(condition) do { if (!(condition)) { abort(); } } while (0)

static bool points_into(const uint8_t *ptr, size_t len, const ios_key_t *key)
{
	return len == 0 ||
		   (ptr >= key->der && ptr + len <= key->der + key->der_len);
}

static void check_key(const ios_key_t *key)
{
	ios_rsa_public_t rsa;

	require(key->name);
	require(key->kind == IOS_KEY_NAMED || key->address_count >= 1);
	require(key->address_count <= IOS_KEYCHAIN_MAX_ADDRESSES);
	require(ios_rsa_spki_decode(key->der, key->der_len, &rsa, NULL, 0) ==
			IOS_RSA_OK);
	require(ios_rsa_public_check(&rsa, NULL, 0) == IOS_RSA_OK);
	require(rsa.bits == key->rsa.bits);
	require(points_into(key->rsa.modulus, key->rsa.modulus_len, key));
	require(points_into(key->rsa.exponent, key->rsa.exponent_len, key));
}

static bool same_key(const ios_key_t *a, const ios_key_t *b)
{
	size_t i;

	if (a->kind != b->kind || a->usage != b->usage ||
		strcmp(a->name, b->name) != 0 ||
		a->address_count != b->address_count ||
		a->der_len != b->der_len ||
		memcmp(a->der, b->der, a->der_len) != 0 ||
		!a->serial != !b->serial ||
		(a->serial && strcmp(a->serial, b->serial) != 0))
	{
		return false;
	}
	for (i = 0; i < a->address_count; i++)
	{
		if (!ios_address_equals(&a->addresses[i], &b->addresses[i]))
		{
			return false;
		}
	}
	return true;
}

/**
 * Write the chain, parse it back, write it again.
 */
static void check_round_trip(const ios_keychain_t *chain)
{
	ios_keychain_t *back = NULL;
	char *text, *again;
	size_t i;

	text = ios_keychain_format(chain);
	require(text);
	require(ios_keychain_parse(text, strlen(text), "formatted", &back) == 0);
	require(back->key_count == chain->key_count);
	for (i = 0; i < chain->key_count; i++)
	{
		require(same_key(&chain->keys[i], &back->keys[i]));
	}
	again = ios_keychain_format(back);
	require(again && strcmp(text, again) == 0);
	free(again);
	free(text);
	ios_keychain_free(back);
}

static void fuzz_chain(const uint8_t *data, size_t size)
{
	ios_keychain_t *chain = NULL;
	ios_keychain_counts_t counts;
	int errors;
	size_t i;

	errors = ios_keychain_parse((const char*)data, size, "fuzz", &chain);
	require(errors >= 0 && chain);
	require((size_t)errors == chain->error_count);
	require(chain->diagnostic_count <= IOS_KEYCHAIN_MAX_DIAGNOSTICS + 1);
	require(chain->diagnostic_count <= chain->error_count + 1);
	for (i = 0; i < chain->diagnostic_count; i++)
	{
		require(chain->diagnostics[i].text && chain->diagnostics[i].message);
	}
	for (i = 0; i < chain->key_count; i++)
	{
		check_key(&chain->keys[i]);
	}
	ios_keychain_count(chain, &counts);
	require(counts.named + counts.ipv4 + counts.ipv6 == chain->key_count);
	check_round_trip(chain);
	ios_keychain_free(chain);
}

static void fuzz_der(const uint8_t *data, size_t size)
{
	ios_rsa_public_t rsa;
	uint8_t *der;
	size_t len;
	char why[256];

	if (ios_rsa_spki_decode(data, size, &rsa, why, sizeof(why)) != IOS_RSA_OK)
	{
		require(why[0]);
		return;
	}
	ios_rsa_public_check(&rsa, why, sizeof(why));
	require(ios_rsa_spki_encode(rsa.modulus, rsa.modulus_len, rsa.exponent,
								rsa.exponent_len, &der, &len) == 0);
	require(len == size && memcmp(der, data, size) == 0);
	free(der);
}

static void fuzz_address(const uint8_t *data, size_t size)
{
	char text[IOS_ADDRESS_TEXT_LEN];
	ios_address_t address, back;

	if (!ios_address_parse((const char*)data, size, &address))
	{
		return;
	}
	require(ios_address_format(&address, text, sizeof(text)));
	require(ios_address_parse(text, strlen(text), &back));
	require(ios_address_equals(&address, &back));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_chain(data, size);
	fuzz_der(data, size);
	fuzz_address(data, size);
	return 0;
}
