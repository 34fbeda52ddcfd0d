/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "ios_keychain_builder.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** longest message before the "file:line: " prefix */
#define MAX_MESSAGE 512

/** first size of the duplicate index, a power of two */
#define INITIAL_SLOTS 16

/**
 * Builder state, private to this file.
 */
struct ios_keychain_builder_t {

	/** chain being built */
	ios_keychain_t *chain;

	/** allocated entries of chain->keys */
	size_t key_capacity;

	/** allocated entries of chain->diagnostics */
	size_t diagnostic_capacity;

	/** file name for diagnostics, not owned */
	const char *filename;

	/**
	 * Open addressing hash index of chain->keys by identity and usage:
	 * key index + 1, 0 for a free slot. A power of two in size, at most half
	 * full, so that finding duplicates stays linear over the whole input.
	 */
	size_t *slots;

	/** number of slots */
	size_t slot_count;
};

ios_keychain_builder_t *ios_keychain_builder_create(const char *filename)
{
	ios_keychain_builder_t *builder;

	builder = calloc(1, sizeof(*builder));
	if (!builder)
	{
		return NULL;
	}
	builder->chain = calloc(1, sizeof(*builder->chain));
	builder->slots = calloc(INITIAL_SLOTS, sizeof(*builder->slots));
	if (!builder->chain || !builder->slots)
	{
		free(builder->chain);
		free(builder->slots);
		free(builder);
		return NULL;
	}
	builder->slot_count = INITIAL_SLOTS;
	builder->filename = filename ? filename : "<input>";
	return builder;
}

/**
 * Make room for one more element of an array, doubling its capacity.
 */
static bool grow(void **array, size_t *capacity, size_t used, size_t size)
{
	size_t wanted;
	void *grown;

	if (used < *capacity)
	{
		return true;
	}
	wanted = *capacity ? *capacity * 2 : 8;
	if (wanted > SIZE_MAX / size)
	{
		return false;
	}
	grown = realloc(*array, wanted * size);
	if (!grown)
	{
		return false;
	}
	*array = grown;
	*capacity = wanted;
	return true;
}

/**
 * Store a diagnostic "file:line: message" (or "file: message" for line 0).
 */
static bool store_diagnostic(ios_keychain_builder_t *builder, unsigned line,
							 const char *message)
{
	ios_keychain_t *chain = builder->chain;
	ios_diagnostic_t *diagnostic;
	char prefix[32] = "";
	size_t len;
	char *text;

	if (!grow((void**)&chain->diagnostics, &builder->diagnostic_capacity,
			  chain->diagnostic_count, sizeof(*chain->diagnostics)))
	{
		return false;
	}
	if (line)
	{
		snprintf(prefix, sizeof(prefix), "%u", line);
	}
	len = strlen(builder->filename) + 1 + strlen(prefix) + 2 + strlen(message);
	text = malloc(len + 1);
	if (!text)
	{
		return false;
	}
	snprintf(text, len + 1, "%s:%s%s%s", builder->filename, prefix,
			 line ? ": " : " ", message);
	diagnostic = &chain->diagnostics[chain->diagnostic_count++];
	diagnostic->line = line;
	diagnostic->text = text;
	diagnostic->message = text + strlen(text) - strlen(message);
	return true;
}

bool ios_keychain_builder_error(ios_keychain_builder_t *builder,
								unsigned line, const char *fmt, ...)
{
	ios_keychain_t *chain = builder->chain;
	char message[MAX_MESSAGE];
	va_list args;

	chain->error_count++;
	if (chain->diagnostic_count >= IOS_KEYCHAIN_MAX_DIAGNOSTICS)
	{
		return true;
	}
	va_start(args, fmt);
	vsnprintf(message, sizeof(message), fmt, args);
	va_end(args);
	return store_diagnostic(builder, line, message);
}

bool ios_ascii_equal_nocase(const char *a, size_t a_len, const char *b)
{
	size_t i;

	for (i = 0; i < a_len; i++)
	{
		char x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
		{
			x = (char)(x - 'A' + 'a');
		}
		if (y >= 'A' && y <= 'Z')
		{
			y = (char)(y - 'A' + 'a');
		}
		if (x != y || y == '\0')
		{
			return false;
		}
	}
	return b[a_len] == '\0';
}

/**
 * FNV-1a over one byte.
 */
static uint64_t hash_byte(uint64_t hash, uint8_t byte)
{
	return (hash ^ byte) * 0x100000001b3ull;
}

/**
 * Hash a key's identity and usage; names in lower case, as they are
 * compared ignoring case.
 */
static uint64_t hash_key(const ios_key_t *key)
{
	uint64_t hash = 0xcbf29ce484222325ull;
	const char *c;
	size_t i, len;

	hash = hash_byte(hash, (uint8_t)key->kind);
	hash = hash_byte(hash, (uint8_t)key->usage);
	if (key->kind == IOS_KEY_NAMED)
	{
		for (c = key->name; *c; c++)
		{
			hash = hash_byte(hash, (uint8_t)(*c >= 'A' && *c <= 'Z' ?
											 *c - 'A' + 'a' : *c));
		}
		return hash;
	}
	hash = hash_byte(hash, (uint8_t)key->addresses[0].family);
	len = key->addresses[0].family == IOS_ADDRESS_IPV4 ? 4 : 16;
	for (i = 0; i < len; i++)
	{
		hash = hash_byte(hash, key->addresses[0].bytes[i]);
	}
	return hash;
}

/**
 * Whether two keys have the same identity and usage.
 */
static bool same_key(const ios_key_t *a, const ios_key_t *b)
{
	if (a->kind != b->kind || a->usage != b->usage)
	{
		return false;
	}
	if (a->kind == IOS_KEY_NAMED)
	{
		return ios_ascii_equal_nocase(a->name, strlen(a->name), b->name);
	}
	return ios_address_equals(&a->addresses[0], &b->addresses[0]);
}

/**
 * Slot of the index where key is, or where it would go.
 */
static size_t find_slot(ios_keychain_builder_t *builder, const ios_key_t *key)
{
	size_t mask = builder->slot_count - 1, slot;

	slot = (size_t)hash_key(key) & mask;
	while (builder->slots[slot] &&
		   !same_key(&builder->chain->keys[builder->slots[slot] - 1], key))
	{
		slot = (slot + 1) & mask;
	}
	return slot;
}

const ios_key_t *ios_keychain_builder_find(ios_keychain_builder_t *builder,
										   const ios_key_t *key)
{
	size_t slot = find_slot(builder, key);

	if (!builder->slots[slot])
	{
		return NULL;
	}
	return &builder->chain->keys[builder->slots[slot] - 1];
}

/**
 * Double the index once it is half full, and put all keys back in.
 */
static bool grow_index(ios_keychain_builder_t *builder)
{
	size_t *old = builder->slots, old_count = builder->slot_count, i;

	if (builder->chain->key_count * 2 < builder->slot_count)
	{
		return true;
	}
	if (old_count > SIZE_MAX / 2 / sizeof(*old))
	{
		return false;
	}
	builder->slots = calloc(old_count * 2, sizeof(*old));
	if (!builder->slots)
	{
		builder->slots = old;
		return false;
	}
	builder->slot_count = old_count * 2;
	for (i = 0; i < old_count; i++)
	{
		if (old[i])
		{
			const ios_key_t *key = &builder->chain->keys[old[i] - 1];

			builder->slots[find_slot(builder, key)] = old[i];
		}
	}
	free(old);
	return true;
}

bool ios_keychain_builder_add(ios_keychain_builder_t *builder,
							  ios_key_t *key)
{
	ios_keychain_t *chain = builder->chain;
	size_t slot;

	if (!grow_index(builder) ||
		!grow((void**)&chain->keys, &builder->key_capacity, chain->key_count,
			  sizeof(*chain->keys)))
	{
		return false;
	}
	slot = find_slot(builder, key);
	chain->keys[chain->key_count++] = *key;
	builder->slots[slot] = chain->key_count;
	*key = (ios_key_t){ .kind = IOS_KEY_NAMED };
	return true;
}

ios_keychain_t *ios_keychain_builder_finish(ios_keychain_builder_t *builder)
{
	ios_keychain_t *chain = builder->chain;
	size_t hidden = chain->error_count - chain->diagnostic_count;
	char message[64];

	if (hidden)
	{
		snprintf(message, sizeof(message), "%zu more error%s not shown",
				 hidden, hidden == 1 ? "" : "s");
		if (!store_diagnostic(builder, 0, message))
		{
			ios_keychain_builder_destroy(builder);
			return NULL;
		}
	}
	free(builder->slots);
	free(builder);
	return chain;
}

void ios_keychain_builder_destroy(ios_keychain_builder_t *builder)
{
	if (builder)
	{
		ios_keychain_free(builder->chain);
		free(builder->slots);
		free(builder);
	}
}

void ios_key_clear(ios_key_t *key)
{
	free(key->name);
	free(key->addresses);
	free(key->serial);
	free(key->der);
	*key = (ios_key_t){ .kind = IOS_KEY_NAMED };
}

void ios_keychain_free(ios_keychain_t *chain)
{
	size_t i;

	if (!chain)
	{
		return;
	}
	for (i = 0; i < chain->key_count; i++)
	{
		ios_key_clear(&chain->keys[i]);
	}
	for (i = 0; i < chain->diagnostic_count; i++)
	{
		free(chain->diagnostics[i].text);
	}
	free(chain->keys);
	free(chain->diagnostics);
	free(chain);
}

void ios_keychain_count(const ios_keychain_t *chain,
						ios_keychain_counts_t *counts)
{
	size_t i;

	*counts = (ios_keychain_counts_t){ .named = 0 };
	for (i = 0; i < chain->key_count; i++)
	{
		const ios_key_t *key = &chain->keys[i];

		if (key->kind == IOS_KEY_NAMED)
		{
			counts->named++;
		}
		else if (key->addresses[0].family == IOS_ADDRESS_IPV4)
		{
			counts->ipv4++;
		}
		else
		{
			counts->ipv6++;
		}
	}
}
