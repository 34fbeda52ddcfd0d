/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/**
 * @defgroup ios_keychain_builder ios_keychain_builder
 * @{ @ingroup ios_keychain_lib
 *
 * Collects the keys and diagnostics of a chain while it is parsed, and
 * finds duplicate keys in constant time. Internal to the library.
 */

#ifndef IOS_KEYCHAIN_BUILDER_H_
#define IOS_KEYCHAIN_BUILDER_H_

#include "ios_keychain.h"

#if defined(__GNUC__) || defined(__clang__)
#define IOS_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define IOS_PRINTF(fmt, args)
#endif

typedef struct ios_keychain_builder_t ios_keychain_builder_t;

/**
 * Create a builder for an empty chain.
 *
 * @param filename		name used in diagnostics, NULL for "<input>"
 * @return				builder, NULL on allocation failure
 */
ios_keychain_builder_t *ios_keychain_builder_create(const char *filename);

/**
 * Report an error. It is counted, and stored as "file:line: message" while
 * fewer than IOS_KEYCHAIN_MAX_DIAGNOSTICS are stored.
 *
 * @param builder		builder
 * @param line			line the error is about, 0 for none
 * @param fmt			printf() format of the message
 * @return				false on allocation failure
 */
bool ios_keychain_builder_error(ios_keychain_builder_t *builder,
								unsigned line, const char *fmt, ...)
								IOS_PRINTF(3, 4);

/**
 * Find a key added before with the same identity (name or address) and the
 * same usage. Names are compared ignoring ASCII case, as DNS does.
 *
 * @param builder		builder
 * @param key			key to look for
 * @return				key with the same identity and usage, or NULL
 */
const ios_key_t *ios_keychain_builder_find(ios_keychain_builder_t *builder,
										   const ios_key_t *key);

/**
 * Add a key to the chain. The chain takes over the memory of its members;
 * on success key is cleared.
 *
 * @param builder		builder
 * @param key			key to add, not a duplicate
 * @return				false on allocation failure (key is left as is)
 */
bool ios_keychain_builder_add(ios_keychain_builder_t *builder,
							  ios_key_t *key);

/**
 * Finish the chain and destroy the builder.
 *
 * @param builder		builder
 * @return				chain, NULL on allocation failure (all freed)
 */
ios_keychain_t *ios_keychain_builder_finish(ios_keychain_builder_t *builder);

/**
 * Destroy a builder and the chain it collected, after a failure.
 *
 * @param builder		builder, may be NULL
 */
void ios_keychain_builder_destroy(ios_keychain_builder_t *builder);

/**
 * Free the members of a key and zero it.
 *
 * @param key			key to clear
 */
void ios_key_clear(ios_key_t *key);

/**
 * Compare two strings ignoring ASCII case (locale independent).
 *
 * @param a				first string
 * @param a_len			length of a
 * @param b				second string, NUL-terminated
 * @return				true if equal
 */
bool ios_ascii_equal_nocase(const char *a, size_t a_len, const char *b);

#endif /** IOS_KEYCHAIN_BUILDER_H_ @}*/
