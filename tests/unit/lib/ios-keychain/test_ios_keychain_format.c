/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/*
 * Unit tests: writing keys as IOS does, and reading back what we write;
 * address text forms.
 */

#include "ios_keychain_testing.h"

#include <stdlib.h>
#include <string.h>

/** the Cisco key as IOS shows it: 8 groups per line, two space indent */
static const char cisco_key_lines[] =
	"  305C300D 06092A86 4886F70D 01010105 00034B00 30480241 00A7D24F E6E15787\n"
	"  5EE1434A A76A3DC1 ADE96A4D C6B4D0F3 A7DDAD10 446EF83A 89D1115F 0C517118\n"
	"  ECAF418E F4C84823 2A017B97 F85690EF EBCF3414 AB3E81F6 A5020301 0001\n";

static ios_keychain_t *parse_fixture(const char *name)
{
	char *text = fixture_read(name, NULL);
	ios_keychain_t *chain = parse_expecting(text, 0);

	free(text);
	return chain;
}

/**
 * Check that two chains hold the same keys with the same data.
 */
static void assert_same_keys(const ios_keychain_t *a, const ios_keychain_t *b)
{
	size_t i, j;

	assert_int_equal(a->key_count, b->key_count);
	for (i = 0; i < a->key_count; i++)
	{
		const ios_key_t *x = &a->keys[i], *y = &b->keys[i];

		assert_int_equal(x->kind, y->kind);
		assert_string_equal(x->name, y->name);
		assert_int_equal(x->usage, y->usage);
		assert_int_equal(x->address_count, y->address_count);
		for (j = 0; j < x->address_count; j++)
		{
			assert_true(ios_address_equals(&x->addresses[j], &y->addresses[j]));
		}
		if (x->serial || y->serial)
		{
			assert_non_null(x->serial);
			assert_non_null(y->serial);
			assert_string_equal(x->serial, y->serial);
		}
		assert_int_equal(x->der_len, y->der_len);
		assert_memory_equal(x->der, y->der, x->der_len);
		assert_int_equal(x->rsa.bits, y->rsa.bits);
	}
}

static void key_data_is_written_in_ios_layout(void **state)
{
	size_t len;
	uint8_t *der = hex_decode(cisco_key_hex, &len);
	char *text = ios_keychain_format_hex(der, len);

	assert_string_equal(text, cisco_key_lines);
	free(text);
	free(der);
}

static void key_data_layout_matches_the_openssl_fixtures(void **state)
{
	fixture_key_t key;
	char *text;
	size_t i;

	for (i = 0; i < FIXTURE_KEY_COUNT; i++)
	{
		fixture_key_load(fixture_keys[i], &key);
		text = ios_keychain_format_hex(key.der, key.der_len);
		assert_string_equal(text, key.hex_text);
		free(text);
		fixture_key_free(&key);
	}
}

static void line_of_exactly_eight_groups_ends_without_blank(void **state)
{
	uint8_t der[64];
	char *text;

	memset(der, 0xab, sizeof(der));
	text = ios_keychain_format_hex(der, 32);
	assert_string_equal(text, "  ABABABAB ABABABAB ABABABAB ABABABAB "
						"ABABABAB ABABABAB ABABABAB ABABABAB\n");
	free(text);
	text = ios_keychain_format_hex(der, 33);
	assert_string_equal(text + strlen(text) - 6, "\n  AB\n");
	free(text);
	text = ios_keychain_format_hex(der, 0);
	assert_string_equal(text, "");
	free(text);
}

static void named_key_is_written_as_in_running_config(void **state)
{
	ios_keychain_t *chain = parse_format(0,
		"crypto key pubkey-chain rsa\n"
		"named-key 101.cisco.com\n"
		"address 20.1.1.1\n"
		"serial-number 0A0B\n"
		"key-string\n%s\nquit\n", cisco_key_hex);
	char *text = ios_keychain_format_key(&chain->keys[0]);

	assert_string_equal(text,
		" named-key 101.cisco.com\n"
		"  address 20.1.1.1\n"
		"  serial-number 0A0B\n"
		"  key-string\n"
		"  305C300D 06092A86 4886F70D 01010105 00034B00 30480241 00A7D24F E6E15787\n"
		"  5EE1434A A76A3DC1 ADE96A4D C6B4D0F3 A7DDAD10 446EF83A 89D1115F 0C517118\n"
		"  ECAF418E F4C84823 2A017B97 F85690EF EBCF3414 AB3E81F6 A5020301 0001\n"
		"  quit\n");
	free(text);
	ios_keychain_free(chain);
}

static void addressed_key_is_written_with_usage_and_its_address(void **state)
{
	ios_keychain_t *chain = parse_format(0,
		"crypto key pubkey-chain rsa\n"
		" addressed-key 2001:db8::0:2 encryption\n"
		"  key-string\n  %s\n  quit\n"
		" addressed-key 20.1.1.2 signature\n"
		"  address 20.1.1.3\n"
		"  key-string\n  %s\n  quit\n", cisco_key_hex, cisco_key_hex);
	char *text = ios_keychain_format(chain);

	assert_string_equal(text,
		"crypto key pubkey-chain rsa\n"
		" addressed-key 2001:DB8::2 encryption\n"
		"  address 2001:DB8::2\n"
		"  key-string\n"
		"  305C300D 06092A86 4886F70D 01010105 00034B00 30480241 00A7D24F E6E15787\n"
		"  5EE1434A A76A3DC1 ADE96A4D C6B4D0F3 A7DDAD10 446EF83A 89D1115F 0C517118\n"
		"  ECAF418E F4C84823 2A017B97 F85690EF EBCF3414 AB3E81F6 A5020301 0001\n"
		"  quit\n"
		" addressed-key 20.1.1.2 signature\n"
		"  address 20.1.1.2\n"
		"  address 20.1.1.3\n"
		"  key-string\n"
		"  305C300D 06092A86 4886F70D 01010105 00034B00 30480241 00A7D24F E6E15787\n"
		"  5EE1434A A76A3DC1 ADE96A4D C6B4D0F3 A7DDAD10 446EF83A 89D1115F 0C517118\n"
		"  ECAF418E F4C84823 2A017B97 F85690EF EBCF3414 AB3E81F6 A5020301 0001\n"
		"  quit\n");
	free(text);
	ios_keychain_free(chain);
}

static void empty_chain_is_just_the_chain_command(void **state)
{
	ios_keychain_t *chain = parse_expecting("", 0);
	char *text = ios_keychain_format(chain);

	assert_string_equal(text, "crypto key pubkey-chain rsa\n");
	free(text);
	ios_keychain_free(chain);
}

static void formatted_chain_parses_back_to_the_same_keys(void **state)
{
	ios_keychain_t *first = parse_fixture("running-config.cfg"), *second;
	char *text, *again;

	text = ios_keychain_format(first);
	second = parse_expecting(text, 0);
	assert_same_keys(first, second);

	/* and writing it once more gives the same text */
	again = ios_keychain_format(second);
	assert_string_equal(again, text);

	free(again);
	free(text);
	ios_keychain_free(second);
	ios_keychain_free(first);
}

static void keys_of_every_size_survive_format_and_parse(void **state)
{
	ios_keychain_t *chain, *back;
	fixture_key_t key;
	char *text;
	size_t i;

	for (i = 0; i < FIXTURE_KEY_COUNT; i++)
	{
		fixture_key_load(fixture_keys[i], &key);
		chain = parse_format(0, "crypto key pubkey-chain rsa\n"
							 " addressed-key 10.0.0.%zu\n  key-string\n"
							 "%s  quit\n", i, key.hex_text);
		text = ios_keychain_format(chain);
		back = parse_expecting(text, 0);
		assert_same_keys(chain, back);
		assert_int_equal(back->keys[0].der_len, key.der_len);
		assert_memory_equal(back->keys[0].der, key.der, key.der_len);
		free(text);
		ios_keychain_free(back);
		ios_keychain_free(chain);
		fixture_key_free(&key);
	}
}

static void cisco_example_reformatted_has_whole_lines(void **state)
{
	ios_keychain_t *chain = parse_fixture("cisco-example.cfg");
	char *text = ios_keychain_format_key(&chain->keys[0]);

	assert_non_null(strstr(text, cisco_key_lines));
	free(text);
	ios_keychain_free(chain);
}

static void assert_address_text(const char *in, const char *out)
{
	char text[IOS_ADDRESS_TEXT_LEN];
	ios_address_t address;

	if (!ios_address_parse(in, strlen(in), &address))
	{
		fail_msg("'%s' not parsed", in);
	}
	assert_true(ios_address_format(&address, text, sizeof(text)));
	assert_string_equal(text, out);
}

static void addresses_are_written_as_ios_shows_them(void **state)
{
	assert_address_text("20.1.1.1", "20.1.1.1");
	assert_address_text("0.0.0.0", "0.0.0.0");
	assert_address_text("255.255.255.255", "255.255.255.255");
	assert_address_text("2001:db8:0:0:0:0:0:1", "2001:DB8::1");
	assert_address_text("2001:DB8:0:1:0:0:0:1", "2001:DB8:0:1::1");
	assert_address_text("fe80::", "FE80::");
	assert_address_text("::ffff:10.0.0.1", "::FFFF:10.0.0.1");
}

static void address_text_needs_no_terminator(void **state)
{
	const char text[] = "10.0.0.12";
	ios_address_t address;
	char out[IOS_ADDRESS_TEXT_LEN];

	assert_true(ios_address_parse(text, 8, &address));
	assert_true(ios_address_format(&address, out, sizeof(out)));
	assert_string_equal(out, "10.0.0.1");
}

static void malformed_addresses_are_rejected(void **state)
{
	const char *bad[] = {
		"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4/24", "a.b.c.d",
		"fe80::1%eth0", "2001:db8::g", "1:2:3:4:5:6:7:8:9", "::1::2",
		" 1.2.3.4", "1.2.3.4 ",
		"0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000",
	};
	ios_address_t address;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		if (ios_address_parse(bad[i], strlen(bad[i]), &address))
		{
			fail_msg("'%s' accepted", bad[i]);
		}
	}
	assert_false(ios_address_parse("1.2.3.4\0", 8, &address));
}

static void too_small_buffer_is_refused(void **state)
{
	ios_address_t address;
	char text[16];

	/* "10.0.0.1" needs 9 bytes with its terminator */
	assert_true(ios_address_parse("10.0.0.1", 8, &address));
	assert_false(ios_address_format(&address, text, 8));
	assert_true(ios_address_format(&address, text, 9));
	assert_string_equal(text, "10.0.0.1");
}

static void usage_keywords_are_those_of_ios(void **state)
{
	assert_string_equal(ios_key_usage_keyword(IOS_KEY_USAGE_GENERAL), "");
	assert_string_equal(ios_key_usage_keyword(IOS_KEY_USAGE_ENCRYPTION),
						"encryption");
	assert_string_equal(ios_key_usage_keyword(IOS_KEY_USAGE_SIGNATURE),
						"signature");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key_data_is_written_in_ios_layout),
		cmocka_unit_test(key_data_layout_matches_the_openssl_fixtures),
		cmocka_unit_test(line_of_exactly_eight_groups_ends_without_blank),
		cmocka_unit_test(named_key_is_written_as_in_running_config),
		cmocka_unit_test(addressed_key_is_written_with_usage_and_its_address),
		cmocka_unit_test(empty_chain_is_just_the_chain_command),
		cmocka_unit_test(formatted_chain_parses_back_to_the_same_keys),
		cmocka_unit_test(keys_of_every_size_survive_format_and_parse),
		cmocka_unit_test(cisco_example_reformatted_has_whole_lines),
		cmocka_unit_test(addresses_are_written_as_ios_shows_them),
		cmocka_unit_test(address_text_needs_no_terminator),
		cmocka_unit_test(malformed_addresses_are_rejected),
		cmocka_unit_test(too_small_buffer_is_refused),
		cmocka_unit_test(usage_keywords_are_those_of_ios),
	};

	return cmocka_run_group_tests_name("ios_keychain_format", tests, NULL,
									   NULL);
}
