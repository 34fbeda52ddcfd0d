/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/*
 * Unit tests: parsing "crypto key pubkey-chain rsa" from IOS configuration
 * text, the accepted variants and every error, each reported on its line
 * while the rest of the chain still loads.
 */

#include "ios_keychain_testing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/** upper bound of CPU time for 2 MB of input; it takes a few ms */
#define HUGE_INPUT_SECONDS 2.0

/** size of the huge inputs */
#define HUGE_INPUT (2 * 1024 * 1024)

/** a key entry of four lines that loads */
#define GOOD_KEY(name) \
	" named-key " name "\n" \
	"  key-string\n" \
	"  %s\n" \
	"  quit\n"

#define CHAIN "crypto key pubkey-chain rsa\n"

/**
 * Lines 1-5 a good key, lines 6-9 a key with the given key-string (7 is
 * key-string, 8 the data), then a good key again.
 */
static ios_keychain_t *parse_bad_key_data(const char *data, int errors)
{
	return parse_format(errors,
		CHAIN										/* 1 */
		GOOD_KEY("before.example")					/* 2-5 */
		" named-key bad.example\n"					/* 6 */
		"  key-string\n"							/* 7 */
		"%s\n"										/* 8... */
		"  quit\n"
		GOOD_KEY("after.example"),
		cisco_key_hex, data, cisco_key_hex);
}

/**
 * The keys around a bad one loaded, and the bad one did not.
 */
static void assert_only_good_keys(const ios_keychain_t *chain)
{
	assert_int_equal(chain->key_count, 2);
	assert_string_equal(chain->keys[0].name, "before.example");
	assert_string_equal(chain->keys[1].name, "after.example");
}

/**
 * Check that a bad key-string is reported with a message on a line, and
 * that the keys around it loaded.
 */
static void assert_bad_key_data(const char *data, unsigned line,
								const char *message)
{
	ios_keychain_t *chain = parse_bad_key_data(data, 1);

	assert_diagnostic(chain, line, message);
	assert_only_good_keys(chain);
	ios_keychain_free(chain);
}

/**
 * Line number of the line containing a text.
 */
static unsigned line_of(const char *text, const char *needle)
{
	const char *pos = strstr(text, needle), *c;
	unsigned line = 1;

	assert_non_null(pos);
	for (c = text; c < pos; c++)
	{
		line += *c == '\n';
	}
	return line;
}

static void assert_der_equals_hex(const ios_key_t *key, const char *hex)
{
	size_t len;
	uint8_t *der = hex_decode(hex, &len);

	assert_int_equal(key->der_len, len);
	assert_memory_equal(key->der, der, len);
	free(der);
}

static void assert_address(const ios_address_t *address, const char *text)
{
	char formatted[IOS_ADDRESS_TEXT_LEN];

	assert_true(ios_address_format(address, formatted, sizeof(formatted)));
	assert_string_equal(formatted, text);
}

static double cpu_seconds_since(clock_t start)
{
	return (double)(clock() - start) / CLOCKS_PER_SEC;
}

/** deterministic noise for the huge inputs */
static uint32_t next_random(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

static void cisco_example_loads_router_101_key(void **state)
{
	char *text = fixture_read("cisco-example.cfg", NULL);
	ios_keychain_t *chain = parse_expecting(text, 0);
	const ios_key_t *key = &chain->keys[0];

	assert_int_equal(chain->key_count, 1);
	assert_int_equal(key->kind, IOS_KEY_NAMED);
	assert_string_equal(key->name, "101.cisco.com");
	assert_int_equal(key->usage, IOS_KEY_USAGE_GENERAL);
	assert_int_equal(key->line, 5);
	assert_int_equal(key->address_count, 1);
	assert_address(&key->addresses[0], "20.1.1.1");
	assert_null(key->serial);
	assert_der_equals_hex(key, cisco_key_hex);
	assert_int_equal(key->rsa.bits, 512);
	assert_int_equal(key->rsa.modulus_len, sizeof(cisco_modulus));
	assert_memory_equal(key->rsa.modulus, cisco_modulus,
						sizeof(cisco_modulus));
	assert_int_equal(magnitude_value(key->rsa.exponent, key->rsa.exponent_len),
					 cisco_exponent);
	ios_keychain_free(chain);
	free(text);
}

static void assert_fixture_key(const ios_key_t *key, const char *fixture)
{
	fixture_key_t expected;

	fixture_key_load(fixture, &expected);
	assert_int_equal(key->der_len, expected.der_len);
	assert_memory_equal(key->der, expected.der, expected.der_len);
	assert_int_equal(key->rsa.bits, expected.bits);
	assert_int_equal(key->rsa.modulus_len, expected.modulus_len);
	assert_memory_equal(key->rsa.modulus, expected.modulus,
						expected.modulus_len);
	assert_int_equal(magnitude_value(key->rsa.exponent, key->rsa.exponent_len),
					 expected.exponent);
	fixture_key_free(&expected);
}

static void running_config_loads_every_key_of_the_chain_only(void **state)
{
	char *text = fixture_read("running-config.cfg", NULL);
	ios_keychain_t *chain = parse_expecting(text, 0);
	ios_keychain_counts_t counts;
	const ios_key_t *key;

	assert_int_equal(chain->key_count, 5);

	key = find_key(chain, "r101.example.com", IOS_KEY_USAGE_GENERAL);
	assert_int_equal(key->kind, IOS_KEY_NAMED);
	assert_int_equal(key->line, line_of(text, " named-key r101"));
	assert_int_equal(key->address_count, 2);
	assert_address(&key->addresses[0], "20.1.1.1");
	assert_address(&key->addresses[1], "20.1.1.5");
	assert_fixture_key(key, "rsa2048");

	key = find_key(chain, "20.1.1.2", IOS_KEY_USAGE_ENCRYPTION);
	assert_int_equal(key->kind, IOS_KEY_ADDRESSED);
	assert_int_equal(key->address_count, 1);
	assert_fixture_key(key, "rsa1024");

	key = find_key(chain, "20.1.1.2", IOS_KEY_USAGE_SIGNATURE);
	assert_string_equal(key->serial, "1A2B3C4D");
	assert_fixture_key(key, "rsa1024e3");

	key = find_key(chain, "2001:DB8::2", IOS_KEY_USAGE_GENERAL);
	assert_int_equal(key->addresses[0].family, IOS_ADDRESS_IPV6);
	assert_fixture_key(key, "rsa4096");

	key = find_key(chain, "r103.example.com", IOS_KEY_USAGE_SIGNATURE);
	assert_int_equal(key->address_count, 0);
	assert_fixture_key(key, "rsa512");

	ios_keychain_count(chain, &counts);
	assert_int_equal(counts.named, 2);
	assert_int_equal(counts.ipv4, 2);
	assert_int_equal(counts.ipv6, 1);
	ios_keychain_free(chain);
	free(text);
}

static void openssl_keys_of_512_to_4096_bits_load_with_their_modulus(void **state)
{
	ios_keychain_t *chain;
	fixture_key_t key;
	size_t i;

	for (i = 0; i < FIXTURE_KEY_COUNT; i++)
	{
		fixture_key_load(fixture_keys[i], &key);
		chain = parse_format(0, CHAIN " named-key %s.example\n  key-string\n"
							 "%s  quit\n", fixture_keys[i], key.hex_text);
		assert_int_equal(chain->key_count, 1);
		assert_fixture_key(&chain->keys[0], fixture_keys[i]);
		ios_keychain_free(chain);
		fixture_key_free(&key);
	}
}

static void typed_config_without_indentation_and_with_exit_loads(void **state)
{
	ios_keychain_t *chain = parse_format(0,
		CHAIN
		"named-key a.example\n"
		"address 10.0.0.1\n"
		"key-string\n"
		"%s\n"
		"quit\n"
		"exit\n"
		"addressed-key 10.0.0.2 encryption\n"
		"key-string\n"
		"%s\n"
		"quit\n"
		"exit\n"
		"exit\n"
		/* outside the chain again: ignored */
		GOOD_KEY("ignored.example"),
		cisco_key_hex, cisco_key_hex, cisco_key_hex);

	assert_int_equal(chain->key_count, 2);
	assert_string_equal(chain->keys[0].name, "a.example");
	assert_address(&chain->keys[0].addresses[0], "10.0.0.1");
	assert_string_equal(chain->keys[1].name, "10.0.0.2");
	assert_int_equal(chain->keys[1].usage, IOS_KEY_USAGE_ENCRYPTION);
	ios_keychain_free(chain);
}

static void keywords_and_hex_digits_are_case_insensitive(void **state)
{
	char lower[sizeof(cisco_key_hex)];
	ios_keychain_t *chain;
	size_t i;

	for (i = 0; i < sizeof(cisco_key_hex); i++)
	{
		lower[i] = (char)(cisco_key_hex[i] >= 'A' && cisco_key_hex[i] <= 'F' ?
						  cisco_key_hex[i] - 'A' + 'a' : cisco_key_hex[i]);
	}
	chain = parse_format(0,
		"CRYPTO KEY PUBKEY-CHAIN RSA\n"
		" NAMED-KEY Mixed.Example ENCRYPTION\n"
		"  ADDRESS 10.0.0.1\n"
		"  Key-String\n"
		"  %s\n"
		"  QUIT\n", lower);

	assert_int_equal(chain->key_count, 1);
	assert_string_equal(chain->keys[0].name, "Mixed.Example");
	assert_int_equal(chain->keys[0].usage, IOS_KEY_USAGE_ENCRYPTION);
	assert_der_equals_hex(&chain->keys[0], cisco_key_hex);
	ios_keychain_free(chain);
}

static void hex_groups_of_any_width_may_wrap_inside_a_byte(void **state)
{
	char wrapped[1024];
	ios_keychain_t *chain;
	const char *c;
	size_t used = 0, digits = 0;

	/* groups of 3 digits, 7 digits per line: breaks inside bytes */
	for (c = cisco_key_hex; *c; c++)
	{
		if (*c == ' ')
		{
			continue;
		}
		if (digits % 7 == 0)
		{
			used += (size_t)snprintf(wrapped + used, sizeof(wrapped) - used,
									 digits ? "\n%s" : "%s",
									 digits % 2 ? "" : "   ");
		}
		else if (digits % 3 == 0)
		{
			wrapped[used++] = ' ';
		}
		wrapped[used++] = *c;
		digits++;
	}
	wrapped[used] = '\0';

	chain = parse_format(0, CHAIN " named-key w.example\n  key-string\n%s\n"
						 "  quit\n", wrapped);
	assert_int_equal(chain->key_count, 1);
	assert_der_equals_hex(&chain->keys[0], cisco_key_hex);
	ios_keychain_free(chain);
}

static void comments_blank_lines_and_crlf_are_ignored(void **state)
{
	ios_keychain_t *chain = parse_format(0,
		"crypto key pubkey-chain rsa\r\n"
		"! a comment\r\n"
		"\r\n"
		" named-key a.example\r\n"
		"  ! a comment inside the key\r\n"
		"  key-string\r\n"
		"  ! a comment inside the key data\r\n"
		"  %s\r\n"
		"\r\n"
		"  quit\r\n"
		"!\r\n", cisco_key_hex);

	assert_int_equal(chain->key_count, 1);
	assert_string_equal(chain->keys[0].name, "a.example");
	assert_der_equals_hex(&chain->keys[0], cisco_key_hex);
	ios_keychain_free(chain);
}

static void top_level_command_ends_the_chain(void **state)
{
	ios_keychain_t *chain = parse_format(0,
		CHAIN
		GOOD_KEY("a.example")
		"!\n"
		"interface Tunnel0\n"
		GOOD_KEY("ignored.example")
		" address 10.0.0.1\n"
		"end\n",
		cisco_key_hex, cisco_key_hex);

	assert_int_equal(chain->key_count, 1);
	assert_string_equal(chain->keys[0].name, "a.example");
	ios_keychain_free(chain);
}

static void chain_opened_twice_collects_the_keys_of_both(void **state)
{
	ios_keychain_t *chain = parse_format(0,
		CHAIN
		GOOD_KEY("a.example")
		"interface Tunnel0\n"
		" tunnel mode gre ip\n"
		CHAIN
		GOOD_KEY("b.example"),
		cisco_key_hex, cisco_key_hex);

	assert_int_equal(chain->key_count, 2);
	assert_string_equal(chain->keys[1].name, "b.example");
	ios_keychain_free(chain);
}

static void addressed_key_address_comes_first_and_repeats_fold(void **state)
{
	ios_keychain_t *chain = parse_format(0,
		CHAIN
		" addressed-key 10.0.0.2\n"
		"  address 10.0.0.2\n"
		"  address 10.0.0.3\n"
		"  address 10.0.0.3\n"
		"  key-string\n"
		"  %s\n"
		"  quit\n", cisco_key_hex);
	const ios_key_t *key = &chain->keys[0];

	assert_int_equal(key->kind, IOS_KEY_ADDRESSED);
	assert_string_equal(key->name, "10.0.0.2");
	assert_int_equal(key->address_count, 2);
	assert_address(&key->addresses[0], "10.0.0.2");
	assert_address(&key->addresses[1], "10.0.0.3");
	ios_keychain_free(chain);
}

static void ipv6_keys_and_addresses_are_kept_in_canonical_form(void **state)
{
	ios_keychain_t *chain = parse_format(0,
		CHAIN
		" addressed-key 2001:db8:0:0::0:1 signature\n"
		"  key-string\n"
		"  %s\n"
		"  quit\n"
		" named-key v6.example\n"
		"  address fe80::a:0:0:1\n"
		"  key-string\n"
		"  %s\n"
		"  quit\n", cisco_key_hex, cisco_key_hex);
	ios_keychain_counts_t counts;

	assert_int_equal(chain->key_count, 2);
	assert_string_equal(chain->keys[0].name, "2001:DB8::1");
	assert_int_equal(chain->keys[0].usage, IOS_KEY_USAGE_SIGNATURE);
	assert_int_equal(chain->keys[0].addresses[0].family, IOS_ADDRESS_IPV6);
	assert_address(&chain->keys[1].addresses[0], "FE80::A:0:0:1");
	ios_keychain_count(chain, &counts);
	assert_int_equal(counts.named, 1);
	assert_int_equal(counts.ipv4, 0);
	assert_int_equal(counts.ipv6, 1);
	ios_keychain_free(chain);
}

static void same_identity_with_other_usage_is_another_key(void **state)
{
	ios_keychain_t *chain = parse_format(0,
		CHAIN
		" named-key a.example\n  key-string\n  %s\n  quit\n"
		" named-key a.example encryption\n  key-string\n  %s\n  quit\n"
		" named-key a.example signature\n  key-string\n  %s\n  quit\n",
		cisco_key_hex, cisco_key_hex, cisco_key_hex);

	assert_int_equal(chain->key_count, 3);
	assert_int_equal(chain->keys[0].usage, IOS_KEY_USAGE_GENERAL);
	assert_int_equal(chain->keys[1].usage, IOS_KEY_USAGE_ENCRYPTION);
	assert_int_equal(chain->keys[2].usage, IOS_KEY_USAGE_SIGNATURE);
	ios_keychain_free(chain);
}

static void serial_number_is_kept(void **state)
{
	ios_keychain_t *chain = parse_format(0,
		CHAIN
		" named-key a.example\n"
		"  serial-number 00c0ffee\n"
		"  key-string\n  %s\n  quit\n", cisco_key_hex);

	assert_string_equal(chain->keys[0].serial, "00c0ffee");
	ios_keychain_free(chain);
}

static void text_without_a_chain_has_no_keys_and_no_errors(void **state)
{
	ios_keychain_t *chain = NULL;

	assert_int_equal(ios_keychain_parse("", 0, NULL, &chain), 0);
	assert_int_equal(chain->key_count, 0);
	assert_int_equal(chain->diagnostic_count, 0);
	ios_keychain_free(chain);

	chain = parse_expecting(
		"hostname R1\n"
		"crypto key pubkey-chain dsa\n"
		" named-key a.example\n"
		"  key-string\n"
		"  quit\n"
		"interface Tunnel0\n"
		" ip address 10.0.0.1 255.255.255.252\n"
		"end\n", 0);
	assert_int_equal(chain->key_count, 0);
	ios_keychain_free(chain);
}

static void input_is_read_up_to_its_length_only(void **state)
{
	char text[1024];
	ios_keychain_t *chain = NULL;
	int len;

	/* no newline after quit, and garbage behind the length */
	len = snprintf(text, sizeof(text), CHAIN " named-key a.example\n"
				   "  key-string\n  %s\n  quit", cisco_key_hex);
	snprintf(text + len, sizeof(text) - (size_t)len, "\n garbage here\n");
	assert_int_equal(ios_keychain_parse(text, (size_t)len, "t", &chain), 0);
	assert_int_equal(chain->key_count, 1);
	ios_keychain_free(chain);
}

static void diagnostics_read_file_line_message(void **state)
{
	const char *text = CHAIN " address 10.0.0.1\n";
	ios_keychain_t *chain = parse_expecting(text, 1);

	assert_string_equal(chain->diagnostics[0].text, "test.cfg:2: address "
						"outside a named-key or addressed-key");
	assert_string_equal(chain->diagnostics[0].message, "address outside a "
						"named-key or addressed-key");
	assert_int_equal(chain->diagnostics[0].line, 2);
	ios_keychain_free(chain);

	assert_int_equal(ios_keychain_parse(text, strlen(text), NULL, &chain), 1);
	assert_string_equal(chain->diagnostics[0].text, "<input>:2: address "
						"outside a named-key or addressed-key");
	ios_keychain_free(chain);
}

static void odd_number_of_hex_digits_is_reported(void **state)
{
	char data[sizeof(cisco_key_hex)];

	/* drop the last digit */
	snprintf(data, sizeof(data), "%s", cisco_key_hex);
	data[strlen(data) - 1] = '\0';
	assert_bad_key_data(data, 7, "key-string of named-key bad.example has "
						"an odd number of hex digits (187)");
}

static void non_hex_character_is_reported_with_its_column(void **state)
{
	assert_bad_key_data("  305C300D 06G92A86", 8, "non-hex character 'G' at "
						"column 14 in key-string of named-key bad.example");
	assert_bad_key_data("  305C300D\t06\x01", 8, "non-hex character '\\x01' "
						"at column 14");
}

static void truncated_der_is_reported(void **state)
{
	char data[sizeof(cisco_key_hex)];

	/* the first 50 bytes: 112 characters with the blanks */
	snprintf(data, sizeof(data), "%.112s", cisco_key_hex);
	assert_bad_key_data(data, 7, "key-string of named-key bad.example: "
						"truncated DER: SubjectPublicKeyInfo SEQUENCE at "
						"offset 0 declares 92 bytes, only 48 are left");
}

static void der_that_is_not_an_rsa_key_is_reported(void **state)
{
	/* SEQUENCE { INTEGER 1 } */
	assert_bad_key_data("3003020101", 7, "key-string of named-key "
						"bad.example: not an RSA SubjectPublicKeyInfo: "
						"expected AlgorithmIdentifier SEQUENCE at offset 2, "
						"found tag 0x02");
}

static void invalid_der_is_reported(void **state)
{
	char data[sizeof(cisco_key_hex) + 8];

	snprintf(data, sizeof(data), "%s 00", cisco_key_hex);
	assert_bad_key_data(data, 7, "key-string of named-key bad.example: "
						"invalid DER: 1 unexpected bytes at offset 94");
}

static void key_below_512_bits_is_reported(void **state)
{
	char *data = synthetic_key_hex(511, 65537);

	assert_bad_key_data(data, 7, "key-string of named-key bad.example: RSA "
						"key of 511 bits is too small, accepted are 512 to "
						"4096 bits");
	free(data);
	data = synthetic_key_hex(384, 65537);
	assert_bad_key_data(data, 7, "RSA key of 384 bits is too small");
	free(data);
}

static void key_above_4096_bits_is_reported(void **state)
{
	char *data = synthetic_key_hex(4097, 65537);

	assert_bad_key_data(data, 7, "key-string of named-key bad.example: RSA "
						"key of 4097 bits is too large, accepted are 512 to "
						"4096 bits");
	free(data);
}

static void even_exponent_is_reported(void **state)
{
	char *data = synthetic_key_hex(1024, 65536);

	assert_bad_key_data(data, 7, "key-string of named-key bad.example: RSA "
						"public exponent is even");
	free(data);
}

static void exponent_below_3_is_reported(void **state)
{
	char *data = synthetic_key_hex(1024, 1);

	assert_bad_key_data(data, 7, "key-string of named-key bad.example: RSA "
						"public exponent 1 is smaller than 3");
	free(data);
}

static void empty_key_string_is_reported(void **state)
{
	assert_bad_key_data("", 7, "key-string of named-key bad.example is "
						"empty");
}

static void key_string_beyond_the_hex_limit_is_reported_once(void **state)
{
	char *data = malloc(HUGE_INPUT + 1);
	clock_t start = clock();
	size_t i;

	assert_non_null(data);
	/* 2 MB of digits in lines of 64 */
	for (i = 0; i < HUGE_INPUT; i++)
	{
		data[i] = i % 65 == 64 ? '\n' : "0123456789ABCDEF"[i % 16];
	}
	data[HUGE_INPUT] = '\0';
	assert_bad_key_data(data, 8 + IOS_KEYCHAIN_MAX_HEX_DIGITS / 64,
						"key-string of named-key bad.example is longer than "
						"16384 hex digits");
	assert_true(cpu_seconds_since(start) < HUGE_INPUT_SECONDS);

	/* the same in a single line */
	memset(data, 'a', HUGE_INPUT);
	assert_bad_key_data(data, 8, "is longer than 16384 hex digits");
	free(data);
}

static void key_string_without_quit_at_end_of_input_is_reported(void **state)
{
	ios_keychain_t *chain = parse_format(1,
		CHAIN										/* 1 */
		GOOD_KEY("before.example")					/* 2-5 */
		" named-key bad.example\n"					/* 6 */
		"  key-string\n"							/* 7 */
		"  %s\n", cisco_key_hex, cisco_key_hex);

	assert_diagnostic(chain, 7, "key-string of named-key bad.example has no "
					  "quit before the end of the input");
	assert_int_equal(chain->key_count, 1);
	assert_string_equal(chain->keys[0].name, "before.example");
	ios_keychain_free(chain);
}

static void key_string_without_quit_before_top_level_command_is_reported(void **state)
{
	ios_keychain_t *chain = parse_format(1,
		CHAIN										/* 1 */
		GOOD_KEY("before.example")					/* 2-5 */
		" named-key bad.example\n"					/* 6 */
		"  key-string\n"							/* 7 */
		"  %s\n"									/* 8 */
		"interface Tunnel0\n"						/* 9 */
		" ip address 10.0.0.1 255.255.255.252\n"
		"  quit\n", cisco_key_hex, cisco_key_hex);

	assert_diagnostic(chain, 7, "key-string of named-key bad.example has no "
					  "quit before line 9");
	assert_int_equal(chain->key_count, 1);
	ios_keychain_free(chain);
}

static void key_string_without_quit_before_next_key_is_reported(void **state)
{
	ios_keychain_t *chain = parse_format(1,
		CHAIN										/* 1 */
		GOOD_KEY("before.example")					/* 2-5 */
		" named-key bad.example\n"					/* 6 */
		"  key-string\n"							/* 7 */
		"  %s\n"									/* 8 */
		GOOD_KEY("after.example"),					/* 9-12 */
		cisco_key_hex, cisco_key_hex, cisco_key_hex);

	assert_diagnostic(chain, 7, "key-string of named-key bad.example has no "
					  "quit before line 9");
	assert_only_good_keys(chain);
	ios_keychain_free(chain);
}

static void address_outside_a_key_is_reported(void **state)
{
	ios_keychain_t *chain = parse_format(1,
		CHAIN
		" address 10.0.0.1\n"
		GOOD_KEY("after.example"), cisco_key_hex);

	assert_diagnostic(chain, 2, "address outside a named-key or "
					  "addressed-key");
	assert_int_equal(chain->key_count, 1);
	ios_keychain_free(chain);
}

static void key_string_outside_a_key_is_reported_once(void **state)
{
	ios_keychain_t *chain = parse_format(1,
		CHAIN
		" key-string\n"
		"  %s\n"
		"  not hex\n"
		"  quit\n"
		GOOD_KEY("after.example"), cisco_key_hex, cisco_key_hex);

	assert_diagnostic(chain, 2, "key-string outside a named-key or "
					  "addressed-key");
	assert_int_equal(chain->key_count, 1);
	ios_keychain_free(chain);

	chain = parse_format(2, CHAIN " key-string\n  %s\n", cisco_key_hex);
	assert_diagnostic(chain, 2, "key-string outside a key has no quit "
					  "before the end of the input");
	ios_keychain_free(chain);
}

static void duplicate_key_is_reported(void **state)
{
	ios_keychain_t *chain = parse_format(2,
		CHAIN										/* 1 */
		GOOD_KEY("before.example")					/* 2-5 */
		GOOD_KEY("BEFORE.Example")					/* 6-9 */
		" addressed-key 2001:db8::1 encryption\n"	/* 10 */
		"  key-string\n  %s\n  quit\n"
		" addressed-key 2001:DB8:0::1 encryption\n"	/* 14 */
		"  key-string\n  %s\n  quit\n"
		GOOD_KEY("after.example"),
		cisco_key_hex, cisco_key_hex, cisco_key_hex, cisco_key_hex,
		cisco_key_hex);

	assert_diagnostic(chain, 6, "duplicate named-key BEFORE.Example "
					  "(general purpose), first defined on line 2");
	assert_diagnostic(chain, 14, "duplicate addressed-key 2001:DB8:0::1 "
					  "(encryption), first defined on line 10");
	assert_int_equal(chain->key_count, 3);
	assert_string_equal(chain->keys[0].name, "before.example");
	assert_string_equal(chain->keys[1].name, "2001:DB8::1");
	assert_string_equal(chain->keys[2].name, "after.example");
	ios_keychain_free(chain);
}

static void invalid_address_is_reported(void **state)
{
	ios_keychain_t *chain = parse_format(3,
		CHAIN										/* 1 */
		GOOD_KEY("before.example")					/* 2-5 */
		" named-key bad.example\n"					/* 6 */
		"  address 10.0.0.256\n"					/* 7 */
		"  key-string\n  %s\n  quit\n"
		" addressed-key 10.1.2\n"					/* 11 */
		"  key-string\n  %s\n  quit\n"
		" addressed-key fe80::1%%eth0\n"			/* 15 */
		"  key-string\n  %s\n  quit\n"
		GOOD_KEY("after.example"),
		cisco_key_hex, cisco_key_hex, cisco_key_hex, cisco_key_hex,
		cisco_key_hex);

	assert_diagnostic(chain, 7, "invalid address '10.0.0.256' in named-key "
					  "bad.example, expected IPv4 or IPv6");
	assert_diagnostic(chain, 11, "invalid address '10.1.2' in addressed-key, "
					  "expected IPv4 or IPv6");
	assert_diagnostic(chain, 15, "invalid address 'fe80::1%eth0'");
	assert_only_good_keys(chain);
	ios_keychain_free(chain);
}

static void unknown_sub_command_in_a_key_is_reported(void **state)
{
	ios_keychain_t *chain = parse_format(1,
		CHAIN										/* 1 */
		GOOD_KEY("before.example")					/* 2-5 */
		" named-key bad.example\n"					/* 6 */
		"  storage nvram:\n"						/* 7 */
		"  key-string\n  %s\n  quit\n"
		GOOD_KEY("after.example"),
		cisco_key_hex, cisco_key_hex, cisco_key_hex);

	assert_diagnostic(chain, 7, "unknown sub-command 'storage' in named-key "
					  "bad.example");
	assert_only_good_keys(chain);
	ios_keychain_free(chain);
}

static void unknown_command_in_the_chain_is_reported(void **state)
{
	ios_keychain_t *chain = parse_format(2,
		CHAIN
		" frobnicate 1\n"
		"quit\n"
		GOOD_KEY("after.example"), cisco_key_hex);

	assert_diagnostic(chain, 2, "unknown command 'frobnicate' in crypto key "
					  "pubkey-chain rsa");
	assert_diagnostic(chain, 3, "quit outside a key-string");
	assert_int_equal(chain->key_count, 1);
	ios_keychain_free(chain);
}

static void key_without_key_string_is_reported(void **state)
{
	ios_keychain_t *chain = parse_format(1,
		CHAIN										/* 1 */
		GOOD_KEY("before.example")					/* 2-5 */
		" named-key bad.example\n"					/* 6 */
		"  address 10.0.0.1\n"
		GOOD_KEY("after.example"),
		cisco_key_hex, cisco_key_hex);

	assert_diagnostic(chain, 6, "named-key bad.example has no key-string");
	assert_only_good_keys(chain);
	ios_keychain_free(chain);
}

static void second_key_string_is_reported(void **state)
{
	ios_keychain_t *chain = parse_format(1,
		CHAIN										/* 1 */
		GOOD_KEY("before.example")					/* 2-5 */
		" named-key bad.example\n"					/* 6 */
		"  key-string\n  %s\n  quit\n"				/* 7-9 */
		"  key-string\n  %s\n  quit\n"				/* 10-12 */
		GOOD_KEY("after.example"),
		cisco_key_hex, cisco_key_hex, cisco_key_hex, cisco_key_hex);

	assert_diagnostic(chain, 10, "second key-string in named-key "
					  "bad.example, the first is on line 7");
	assert_only_good_keys(chain);
	ios_keychain_free(chain);
}

static void bad_key_headers_are_reported(void **state)
{
	char name[300];
	ios_keychain_t *chain;

	memset(name, 'n', 256);
	name[256] = '\0';
	chain = parse_format(5,
		CHAIN										/* 1 */
		GOOD_KEY("before.example")					/* 2-5 */
		" named-key bad.example both\n"				/* 6 */
		"  key-string\n  %s\n  quit\n"
		" named-key\n"								/* 10 */
		" named-key bad\x01name\n"					/* 11 */
		" named-key %s\n"							/* 12 */
		" named-key bad.example signature extra\n"	/* 13 */
		"  key-string\n  %s\n  quit\n"
		GOOD_KEY("after.example"),
		cisco_key_hex, cisco_key_hex, name, cisco_key_hex, cisco_key_hex);

	assert_diagnostic(chain, 6, "unknown key usage 'both' for named-key "
					  "bad.example, expected encryption or signature");
	assert_diagnostic(chain, 10, "named-key without a name");
	assert_diagnostic(chain, 11, "invalid named-key name 'bad\\x01name': only "
					  "printable ASCII is allowed");
	assert_diagnostic(chain, 12, "named-key name is longer than 255 "
					  "characters");
	assert_diagnostic(chain, 13, "unexpected 'extra' after named-key "
					  "bad.example");
	assert_only_good_keys(chain);
	ios_keychain_free(chain);
}

static void invalid_serial_number_is_reported(void **state)
{
	ios_keychain_t *chain = parse_format(2,
		CHAIN										/* 1 */
		GOOD_KEY("before.example")					/* 2-5 */
		" named-key bad.example\n"					/* 6 */
		"  serial-number 12-34\n"					/* 7 */
		"  key-string\n  %s\n  quit\n"
		" named-key bad2.example\n"					/* 11 */
		"  serial-number\n"							/* 12 */
		"  key-string\n  %s\n  quit\n"
		GOOD_KEY("after.example"),
		cisco_key_hex, cisco_key_hex, cisco_key_hex, cisco_key_hex);

	assert_diagnostic(chain, 7, "invalid serial-number '12-34' in named-key "
					  "bad.example, expected up to 64 letters and digits");
	assert_diagnostic(chain, 12, "serial-number without a value in "
					  "named-key bad2.example");
	assert_only_good_keys(chain);
	ios_keychain_free(chain);
}

static void too_many_addresses_are_reported(void **state)
{
	char addresses[100 * 32];
	ios_keychain_t *chain;
	size_t used = 0, i;

	for (i = 0; i <= IOS_KEYCHAIN_MAX_ADDRESSES; i++)
	{
		used += (size_t)snprintf(addresses + used, sizeof(addresses) - used,
								 "  address 10.0.1.%zu\n", i);
	}
	chain = parse_format(1,
		CHAIN										/* 1 */
		GOOD_KEY("before.example")					/* 2-5 */
		" named-key bad.example\n"					/* 6 */
		"%s"										/* 7-71 */
		"  key-string\n  %s\n  quit\n"
		GOOD_KEY("after.example"),
		cisco_key_hex, addresses, cisco_key_hex, cisco_key_hex);

	assert_diagnostic(chain, 71, "named-key bad.example has more than 64 "
					  "addresses");
	assert_only_good_keys(chain);
	ios_keychain_free(chain);
}

static void diagnostics_are_capped_but_errors_counted(void **state)
{
	size_t len = strlen(CHAIN) + 1000 * 6, i;
	char *text = malloc(len + 1);
	ios_keychain_t *chain;

	assert_non_null(text);
	strcpy(text, CHAIN);
	for (i = 0; i < 1000; i++)
	{
		strcat(text, " bad!\n");
	}
	chain = parse_expecting(text, 1000);
	assert_int_equal(chain->error_count, 1000);
	assert_int_equal(chain->diagnostic_count, IOS_KEYCHAIN_MAX_DIAGNOSTICS + 1);
	assert_diagnostic(chain, 2, "unknown command 'bad!'");
	assert_diagnostic(chain, 0, "900 more errors not shown");
	assert_string_equal(chain->diagnostics[IOS_KEYCHAIN_MAX_DIAGNOSTICS].text,
						"test.cfg: 900 more errors not shown");
	ios_keychain_free(chain);
	free(text);
}

/**
 * Parse 2 MB of input and check it took little time.
 */
static ios_keychain_t *parse_huge(const char *text, size_t len)
{
	ios_keychain_t *chain = NULL;
	clock_t start = clock();
	double seconds;
	int errors;

	errors = ios_keychain_parse(text, len, "huge.cfg", &chain);
	seconds = cpu_seconds_since(start);
	assert_true(errors >= 0);
	assert_non_null(chain);
	if (seconds >= HUGE_INPUT_SECONDS)
	{
		fail_msg("parsing %zu bytes took %.2f s", len, seconds);
	}
	assert_true(chain->diagnostic_count <= IOS_KEYCHAIN_MAX_DIAGNOSTICS + 1);
	assert_int_equal((size_t)errors, chain->error_count);
	return chain;
}

/**
 * The chain command, then 2 MB of random bytes.
 *
 * @param indented		start every line with a blank, so that the noise
 *						stays inside the chain
 */
static char *random_chain(bool indented)
{
	char *text = malloc(HUGE_INPUT);
	uint32_t seed = 0x1badb002;
	size_t i;

	assert_non_null(text);
	memcpy(text, CHAIN, strlen(CHAIN));
	for (i = strlen(CHAIN); i < HUGE_INPUT; i++)
	{
		text[i] = (char)next_random(&seed);
		if (indented && text[i - 1] == '\n')
		{
			text[i] = ' ';
		}
	}
	return text;
}

static void two_megabytes_of_random_bytes_return_quickly(void **state)
{
	char *text = random_chain(false);
	ios_keychain_t *chain;

	/* the first line of noise is a top-level command that ends the chain */
	chain = parse_huge(text, HUGE_INPUT);
	assert_int_equal(chain->key_count, 0);
	ios_keychain_free(chain);
	free(text);

	text = random_chain(true);
	chain = parse_huge(text, HUGE_INPUT);
	assert_int_equal(chain->key_count, 0);
	assert_true(chain->error_count > 1000);
	ios_keychain_free(chain);
	free(text);
}

static void two_megabytes_of_chain_like_garbage_return_quickly(void **state)
{
	static const char *const lines[] = {
		" named-key x.example\n", " addressed-key 10.0.0.1 encryption\n",
		"  key-string\n", "  quit\n", "exit\n", "  address 10.0.0.2\n",
		"  305C300D 06092A86\n", "00A7D24F E6E15787 5EE1\n", "zz\n", "!\n",
		"\n", CHAIN, "  serial-number 1\n", "  bogus\n", "interface x\n",
		"  0001 G\n", "\x00\xff\n",
	};
	char *text = malloc(HUGE_INPUT + 64);
	ios_keychain_t *chain;
	uint32_t seed = 42;
	size_t len = 0;

	assert_non_null(text);
	while (len < HUGE_INPUT)
	{
		const char *line = lines[next_random(&seed) %
								 (sizeof(lines) / sizeof(lines[0]))];
		size_t line_len = line[0] ? strlen(line) : 3;

		memcpy(text + len, line, line_len);
		len += line_len;
	}
	chain = parse_huge(text, len);
	assert_true(chain->error_count > 0);
	ios_keychain_free(chain);
	free(text);
}

/**
 * 2 MB of key entries, all with the same name or each with its own.
 */
static ios_keychain_t *parse_many_keys(bool distinct, size_t *count)
{
	char *text = malloc(HUGE_INPUT + 1024), name[64];
	ios_keychain_t *chain;
	size_t len;

	assert_non_null(text);
	len = (size_t)sprintf(text, CHAIN);
	for (*count = 0; len < HUGE_INPUT; (*count)++)
	{
		snprintf(name, sizeof(name), "host%zu.example",
				 distinct ? *count : 0);
		len += (size_t)sprintf(text + len, GOOD_KEY("%s"), name,
							   cisco_key_hex);
	}
	chain = parse_huge(text, len);
	free(text);
	return chain;
}

static void two_megabytes_of_distinct_keys_load_quickly(void **state)
{
	ios_keychain_t *chain;
	size_t count;

	chain = parse_many_keys(true, &count);
	assert_int_equal(chain->error_count, 0);
	assert_int_equal(chain->key_count, count);
	assert_true(count > 7000);
	ios_keychain_free(chain);
}

static void two_megabytes_of_duplicate_keys_return_quickly(void **state)
{
	ios_keychain_t *chain;
	size_t count;

	chain = parse_many_keys(false, &count);
	assert_int_equal(chain->key_count, 1);
	assert_int_equal(chain->error_count, count - 1);
	ios_keychain_free(chain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cisco_example_loads_router_101_key),
		cmocka_unit_test(running_config_loads_every_key_of_the_chain_only),
		cmocka_unit_test(openssl_keys_of_512_to_4096_bits_load_with_their_modulus),
		cmocka_unit_test(typed_config_without_indentation_and_with_exit_loads),
		cmocka_unit_test(keywords_and_hex_digits_are_case_insensitive),
		cmocka_unit_test(hex_groups_of_any_width_may_wrap_inside_a_byte),
		cmocka_unit_test(comments_blank_lines_and_crlf_are_ignored),
		cmocka_unit_test(top_level_command_ends_the_chain),
		cmocka_unit_test(chain_opened_twice_collects_the_keys_of_both),
		cmocka_unit_test(addressed_key_address_comes_first_and_repeats_fold),
		cmocka_unit_test(ipv6_keys_and_addresses_are_kept_in_canonical_form),
		cmocka_unit_test(same_identity_with_other_usage_is_another_key),
		cmocka_unit_test(serial_number_is_kept),
		cmocka_unit_test(text_without_a_chain_has_no_keys_and_no_errors),
		cmocka_unit_test(input_is_read_up_to_its_length_only),
		cmocka_unit_test(diagnostics_read_file_line_message),
		cmocka_unit_test(odd_number_of_hex_digits_is_reported),
		cmocka_unit_test(non_hex_character_is_reported_with_its_column),
		cmocka_unit_test(truncated_der_is_reported),
		cmocka_unit_test(der_that_is_not_an_rsa_key_is_reported),
		cmocka_unit_test(invalid_der_is_reported),
		cmocka_unit_test(key_below_512_bits_is_reported),
		cmocka_unit_test(key_above_4096_bits_is_reported),
		cmocka_unit_test(even_exponent_is_reported),
		cmocka_unit_test(exponent_below_3_is_reported),
		cmocka_unit_test(empty_key_string_is_reported),
		cmocka_unit_test(key_string_beyond_the_hex_limit_is_reported_once),
		cmocka_unit_test(key_string_without_quit_at_end_of_input_is_reported),
		cmocka_unit_test(key_string_without_quit_before_top_level_command_is_reported),
		cmocka_unit_test(key_string_without_quit_before_next_key_is_reported),
		cmocka_unit_test(address_outside_a_key_is_reported),
		cmocka_unit_test(key_string_outside_a_key_is_reported_once),
		cmocka_unit_test(duplicate_key_is_reported),
		cmocka_unit_test(invalid_address_is_reported),
		cmocka_unit_test(unknown_sub_command_in_a_key_is_reported),
		cmocka_unit_test(unknown_command_in_the_chain_is_reported),
		cmocka_unit_test(key_without_key_string_is_reported),
		cmocka_unit_test(second_key_string_is_reported),
		cmocka_unit_test(bad_key_headers_are_reported),
		cmocka_unit_test(invalid_serial_number_is_reported),
		cmocka_unit_test(too_many_addresses_are_reported),
		cmocka_unit_test(diagnostics_are_capped_but_errors_counted),
		cmocka_unit_test(two_megabytes_of_random_bytes_return_quickly),
		cmocka_unit_test(two_megabytes_of_chain_like_garbage_return_quickly),
		cmocka_unit_test(two_megabytes_of_distinct_keys_load_quickly),
		cmocka_unit_test(two_megabytes_of_duplicate_keys_return_quickly),
	};

	return cmocka_run_group_tests_name("ios_keychain_parse", tests, NULL,
									   NULL);
}
