/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "ios_keychain_testing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const fixture_keys[FIXTURE_KEY_COUNT] = {
	"rsa512", "rsa1024", "rsa1024e3", "rsa2048", "rsa4096",
};

const char cisco_key_hex[CISCO_KEY_HEX_SIZE] =
	"305C300D 06092A86 4886F70D 01010105 00034B00 30480241 00A7D24F "
	"E6E15787 5EE1434A A76A3DC1 ADE96A4D C6B4D0F3 A7DDAD10 446EF83A "
	"89D1115F 0C517118 ECAF418E F4C84823 2A017B97 F85690EF EBCF3414 "
	"AB3E81F6 A5020301 0001";
_Static_assert(sizeof("305C300D 06092A86 4886F70D 01010105 00034B00 30480241 "
					  "00A7D24F E6E15787 5EE1434A A76A3DC1 ADE96A4D C6B4D0F3 "
					  "A7DDAD10 446EF83A 89D1115F 0C517118 ECAF418E F4C84823 "
					  "2A017B97 F85690EF EBCF3414 AB3E81F6 A5020301 0001") ==
			   CISCO_KEY_HEX_SIZE, "CISCO_KEY_HEX_SIZE is the text's size");

/*
 * Router 101's key from Cisco's example, decoded independently with
 *   echo "$hex" | tr -d ' ' | xxd -r -p > seed.der
 *   openssl pkey -pubin -inform DER -in seed.der -text -noout
 * which says "Public-Key: (512 bit)", "Exponent: 65537 (0x10001)" and the
 * modulus below (without openssl's leading 00 sign byte).
 */
const uint8_t cisco_modulus[64] = {
	0xa7, 0xd2, 0x4f, 0xe6, 0xe1, 0x57, 0x87, 0x5e, 0xe1, 0x43, 0x4a, 0xa7,
	0x6a, 0x3d, 0xc1, 0xad, 0xe9, 0x6a, 0x4d, 0xc6, 0xb4, 0xd0, 0xf3, 0xa7,
	0xdd, 0xad, 0x10, 0x44, 0x6e, 0xf8, 0x3a, 0x89, 0xd1, 0x11, 0x5f, 0x0c,
	0x51, 0x71, 0x18, 0xec, 0xaf, 0x41, 0x8e, 0xf4, 0xc8, 0x48, 0x23, 0x2a,
	0x01, 0x7b, 0x97, 0xf8, 0x56, 0x90, 0xef, 0xeb, 0xcf, 0x34, 0x14, 0xab,
	0x3e, 0x81, 0xf6, 0xa5,
};
const unsigned long cisco_exponent = 65537;

char *fixture_read(const char *name, size_t *len)
{
	char path[512];
	long size;
	char *text;
	FILE *file;

	snprintf(path, sizeof(path), "%s/%s", IOS_KEYCHAIN_FIXTURES, name);
	file = fopen(path, "rb");
	if (!file)
	{
		fail_msg("fixture %s missing", path);
	}
	assert_int_equal(fseek(file, 0, SEEK_END), 0);
	size = ftell(file);
	assert_true(size >= 0);
	rewind(file);
	text = malloc((size_t)size + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)size, file), (size_t)size);
	text[size] = '\0';
	fclose(file);
	if (len)
	{
		*len = (size_t)size;
	}
	return text;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
	{
		return c - '0';
	}
	if (c >= 'a' && c <= 'f')
	{
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F')
	{
		return c - 'A' + 10;
	}
	return -1;
}

uint8_t *hex_decode(const char *hex, size_t *len)
{
	uint8_t *out = calloc(strlen(hex) / 2 + 1, 1);
	size_t digits = 0;

	assert_non_null(out);
	for (; *hex; hex++)
	{
		int value = digit_value(*hex);

		if (value < 0)
		{
			assert_non_null(strchr(" \t\r\n", *hex));
			continue;
		}
		out[digits / 2] |= (uint8_t)(digits % 2 ? value : value << 4);
		digits++;
	}
	assert_int_equal(digits % 2, 0);
	*len = digits / 2;
	return out;
}

unsigned long magnitude_value(const uint8_t *magnitude, size_t len)
{
	unsigned long value = 0;
	size_t i;

	assert_true(len <= sizeof(value));
	for (i = 0; i < len; i++)
	{
		value = value << 8 | magnitude[i];
	}
	return value;
}

/**
 * Value of "key=" in an .expected file.
 */
static const char *expected_value(const char *text, const char *key)
{
	const char *pos = strstr(text, key);

	if (!pos)
	{
		fail_msg("no %s in expected values", key);
	}
	return pos + strlen(key);
}

void fixture_key_load(const char *name, fixture_key_t *key)
{
	char file[64], *expected, *modulus_hex, *end;
	const char *modulus;

	snprintf(file, sizeof(file), "%s.hex", name);
	key->hex_text = fixture_read(file, NULL);
	key->der = hex_decode(key->hex_text, &key->der_len);

	snprintf(file, sizeof(file), "%s.expected", name);
	expected = fixture_read(file, NULL);
	key->bits = (unsigned)strtoul(expected_value(expected, "bits="), NULL, 10);
	key->exponent = strtoul(expected_value(expected, "exponent="), NULL, 10);
	modulus = expected_value(expected, "modulus=");
	modulus_hex = strdup(modulus);
	assert_non_null(modulus_hex);
	end = strchr(modulus_hex, '\n');
	if (end)
	{
		*end = '\0';
	}
	key->modulus = hex_decode(modulus_hex, &key->modulus_len);
	free(modulus_hex);
	free(expected);
}

void fixture_key_free(fixture_key_t *key)
{
	free(key->der);
	free(key->hex_text);
	free(key->modulus);
}

ios_keychain_t *parse_expecting(const char *text, int errors)
{
	ios_keychain_t *chain = NULL;
	int found;
	size_t i;

	found = ios_keychain_parse(text, strlen(text), "test.cfg", &chain);
	assert_non_null(chain);
	if (found != errors)
	{
		for (i = 0; i < chain->diagnostic_count; i++)
		{
			print_message("  %s\n", chain->diagnostics[i].text);
		}
		fail_msg("%d errors, expected %d", found, errors);
	}
	return chain;
}

ios_keychain_t *parse_format(int errors, const char *fmt, ...)
{
	ios_keychain_t *chain;
	va_list args;
	char *text;
	int len;

	va_start(args, fmt);
	len = vsnprintf(NULL, 0, fmt, args);
	va_end(args);
	text = malloc((size_t)len + 1);
	assert_non_null(text);
	va_start(args, fmt);
	vsnprintf(text, (size_t)len + 1, fmt, args);
	va_end(args);
	chain = parse_expecting(text, errors);
	free(text);
	return chain;
}

void assert_diagnostic(const ios_keychain_t *chain, unsigned line,
					   const char *text)
{
	size_t i;

	for (i = 0; i < chain->diagnostic_count; i++)
	{
		if (chain->diagnostics[i].line == line &&
			strstr(chain->diagnostics[i].message, text))
		{
			return;
		}
	}
	for (i = 0; i < chain->diagnostic_count; i++)
	{
		print_message("  %s\n", chain->diagnostics[i].text);
	}
	fail_msg("no diagnostic on line %u with \"%s\"", line, text);
}

const ios_key_t *find_key(const ios_keychain_t *chain, const char *name,
						  ios_key_usage_t usage)
{
	size_t i;

	for (i = 0; i < chain->key_count; i++)
	{
		if (strcmp(chain->keys[i].name, name) == 0 &&
			chain->keys[i].usage == usage)
		{
			return &chain->keys[i];
		}
	}
	fail_msg("key %s (usage %d) not loaded", name, (int)usage);
	return NULL;
}

char *synthetic_key_hex(unsigned bits, unsigned long exponent)
{
	size_t modulus_len = (bits + 7) / 8, der_len, i;
	uint8_t *modulus, exponent_bytes[sizeof(exponent)], *der;
	char *hex;

	modulus = malloc(modulus_len);
	assert_non_null(modulus);
	for (i = 0; i < modulus_len; i++)
	{
		modulus[i] = (uint8_t)(0x5b + 31 * i) | 1;
	}
	/* exactly "bits" bits: clear above the top bit, then set it */
	modulus[0] &= (uint8_t)(0xff >> (modulus_len * 8 - bits));
	modulus[0] |= (uint8_t)(0x80 >> (modulus_len * 8 - bits));
	for (i = 0; i < sizeof(exponent); i++)
	{
		exponent_bytes[i] = (uint8_t)(exponent >> (8 * (sizeof(exponent) - 1 - i)));
	}
	assert_int_equal(ios_rsa_spki_encode(modulus, modulus_len, exponent_bytes,
										 sizeof(exponent_bytes), &der,
										 &der_len), 0);
	hex = ios_keychain_format_hex(der, der_len);
	assert_non_null(hex);
	free(der);
	free(modulus);
	return hex;
}
