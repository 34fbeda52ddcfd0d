/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/**
 * Helpers shared by the ios-keychain unit tests: fixture files, hex
 * conversion and checks of parse results. They fail the running cmocka
 * test on any problem.
 */

#ifndef IOS_KEYCHAIN_TESTING_H_
#define IOS_KEYCHAIN_TESTING_H_

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ios_keychain.h"

#ifndef IOS_KEYCHAIN_FIXTURES
#error "IOS_KEYCHAIN_FIXTURES must name tests/fixtures/ios-keychain"
#endif

/** the key sizes of the generated fixtures, rsaN.hex/rsaN.expected */
#define FIXTURE_KEY_COUNT 5
extern const char *const fixture_keys[FIXTURE_KEY_COUNT];

typedef struct {
	/** DER of the key, decoded from rsaN.hex (with od, not our code) */
	uint8_t *der;
	size_t der_len;
	/** the same file as text, in IOS layout */
	char *hex_text;
	/** what openssl says about it, from rsaN.expected */
	unsigned bits;
	uint8_t *modulus;
	size_t modulus_len;
	unsigned long exponent;
} fixture_key_t;

/**
 * Read a fixture file as NUL-terminated text.
 */
char *fixture_read(const char *name, size_t *len);

/**
 * Load rsaN.hex and rsaN.expected of a generated key.
 */
void fixture_key_load(const char *name, fixture_key_t *key);

void fixture_key_free(fixture_key_t *key);

/**
 * Decode hex digits, skipping blanks and newlines.
 */
uint8_t *hex_decode(const char *hex, size_t *len);

/**
 * Value of a big-endian magnitude of up to 8 bytes.
 */
unsigned long magnitude_value(const uint8_t *magnitude, size_t len);

/**
 * Parse text with filename "test.cfg" and check the number of errors.
 */
ios_keychain_t *parse_expecting(const char *text, int errors);

/**
 * Like parse_expecting(), for text built with printf().
 */
ios_keychain_t *parse_format(int errors, const char *fmt, ...);

/**
 * Check that the chain has a diagnostic on a line whose message contains
 * a text; prints all diagnostics if not.
 */
void assert_diagnostic(const ios_keychain_t *chain, unsigned line,
					   const char *text);

/**
 * Find a key by name (addressed keys by their address text) and usage.
 */
const ios_key_t *find_key(const ios_keychain_t *chain, const char *name,
						  ios_key_usage_t usage);

/**
 * Key-string text (IOS layout) of an RSA key built from a modulus of the
 * given size with the top bit set, and an exponent. Free the result.
 */
char *synthetic_key_hex(unsigned bits, unsigned long exponent);

/**
 * The key data of Cisco's example: router 101's 512 bit key, one line.
 */
#define CISCO_KEY_HEX_SIZE 212
extern const char cisco_key_hex[CISCO_KEY_HEX_SIZE];

/**
 * Modulus and exponent of cisco_key_hex, decoded independently of this
 * library, see ios_keychain_testing.c.
 */
extern const uint8_t cisco_modulus[64];
extern const unsigned long cisco_exponent;

#endif
