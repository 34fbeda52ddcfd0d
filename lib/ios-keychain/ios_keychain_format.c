/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/*
 * The text IOS writes for keys, e.g. in "show running-config":
 *
 *   crypto key pubkey-chain rsa
 *    named-key 101.cisco.com
 *     address 20.1.1.1
 *     key-string
 *     305C300D 06092A86 4886F70D 01010105 00034B00 30480241 00A7D24F E6E15787
 *     5EE1434A A76A3DC1 ADE96A4D C6B4D0F3 A7DDAD10 446EF83A 89D1115F 0C517118
 *     ECAF418E F4C84823 2A017B97 F85690EF EBCF3414 AB3E81F6 A5020301 0001
 *     quit
 */

#include "ios_keychain.h"

#include <stdlib.h>
#include <string.h>

/** bytes per group of hex digits */
#define GROUP_BYTES 4

/** bytes per line of key data: 8 groups */
#define LINE_BYTES (8 * GROUP_BYTES)

/** indentation of key data and of the commands inside a key */
#define KEY_INDENT "  "

typedef struct text_t text_t;

/**
 * A growing NUL-terminated text; any allocation failure sticks.
 */
struct text_t {

	/** the text, NULL after a failure */
	char *buf;

	/** characters used, without the NUL */
	size_t len;

	/** allocated size */
	size_t size;
};

/**
 * Start a text with room for size characters.
 */
static void text_init(text_t *text, size_t size)
{
	text->len = 0;
	text->size = size + 1;
	text->buf = malloc(text->size);
	if (text->buf)
	{
		text->buf[0] = '\0';
	}
}

/**
 * Append characters, growing the text as needed.
 */
static void text_add_len(text_t *text, const char *add, size_t len)
{
	size_t wanted;
	char *grown;

	if (!text->buf)
	{
		return;
	}
	if (text->len + len + 1 > text->size)
	{
		wanted = (text->len + len + 1) * 2;
		grown = realloc(text->buf, wanted);
		if (!grown)
		{
			free(text->buf);
			text->buf = NULL;
			return;
		}
		text->buf = grown;
		text->size = wanted;
	}
	memcpy(text->buf + text->len, add, len);
	text->len += len;
	text->buf[text->len] = '\0';
}

static void text_add(text_t *text, const char *add)
{
	text_add_len(text, add, strlen(add));
}

/**
 * Append key data lines, see ios_keychain_format_hex().
 */
static void add_hex(text_t *text, const uint8_t *der, size_t len)
{
	static const char digits[] = "0123456789ABCDEF";
	char byte[2];
	size_t i;

	for (i = 0; i < len; i++)
	{
		if (i % LINE_BYTES == 0)
		{
			text_add(text, KEY_INDENT);
		}
		else if (i % GROUP_BYTES == 0)
		{
			text_add(text, " ");
		}
		byte[0] = digits[der[i] >> 4];
		byte[1] = digits[der[i] & 0x0f];
		text_add_len(text, byte, sizeof(byte));
		if (i % LINE_BYTES == LINE_BYTES - 1 || i == len - 1)
		{
			text_add(text, "\n");
		}
	}
}

char *ios_keychain_format_hex(const uint8_t *der, size_t len)
{
	text_t text;

	/* two digits per byte, a blank per group, indentation per line */
	text_init(&text, len * 2 + len / GROUP_BYTES + len / LINE_BYTES * 3 + 4);
	add_hex(&text, der, len);
	return text.buf;
}

const char *ios_key_usage_keyword(ios_key_usage_t usage)
{
	switch (usage)
	{
		case IOS_KEY_USAGE_ENCRYPTION:
			return "encryption";
		case IOS_KEY_USAGE_SIGNATURE:
			return "signature";
		case IOS_KEY_USAGE_GENERAL:
		default:
			return "";
	}
}

/**
 * Append " named-key NAME [usage]" or " addressed-key ADDRESS [usage]".
 */
static void add_key_line(text_t *text, const ios_key_t *key)
{
	const char *usage = ios_key_usage_keyword(key->usage);
	char address[IOS_ADDRESS_TEXT_LEN] = "";

	if (key->kind == IOS_KEY_NAMED)
	{
		text_add(text, " named-key ");
		text_add(text, key->name ? key->name : "");
	}
	else
	{
		if (key->address_count)
		{
			ios_address_format(&key->addresses[0], address, sizeof(address));
		}
		text_add(text, " addressed-key ");
		text_add(text, address);
	}
	if (usage[0])
	{
		text_add(text, " ");
		text_add(text, usage);
	}
	text_add(text, "\n");
}

/**
 * Append the key block to a text.
 */
static void add_key(text_t *text, const ios_key_t *key)
{
	char address[IOS_ADDRESS_TEXT_LEN];
	size_t i;

	add_key_line(text, key);
	for (i = 0; i < key->address_count; i++)
	{
		if (ios_address_format(&key->addresses[i], address, sizeof(address)))
		{
			text_add(text, KEY_INDENT "address ");
			text_add(text, address);
			text_add(text, "\n");
		}
	}
	if (key->serial)
	{
		text_add(text, KEY_INDENT "serial-number ");
		text_add(text, key->serial);
		text_add(text, "\n");
	}
	text_add(text, KEY_INDENT "key-string\n");
	add_hex(text, key->der, key->der_len);
	text_add(text, KEY_INDENT "quit\n");
}

/**
 * A guess of a key block's size, to allocate once in the common case.
 */
static size_t key_size(const ios_key_t *key)
{
	return 128 + key->address_count * 64 + key->der_len * 3;
}

char *ios_keychain_format_key(const ios_key_t *key)
{
	text_t text;

	text_init(&text, key_size(key));
	add_key(&text, key);
	return text.buf;
}

char *ios_keychain_format(const ios_keychain_t *chain)
{
	size_t i, size = 64;
	text_t text;

	for (i = 0; i < chain->key_count; i++)
	{
		size += key_size(&chain->keys[i]);
	}
	text_init(&text, size);
	text_add(&text, "crypto key pubkey-chain rsa\n");
	for (i = 0; i < chain->key_count; i++)
	{
		add_key(&text, &chain->keys[i]);
	}
	return text.buf;
}
