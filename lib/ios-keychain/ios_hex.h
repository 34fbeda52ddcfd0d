/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/**
 * @defgroup ios_hex ios_hex
 * @{ @ingroup ios_keychain_lib
 *
 * Collects the hex digits of a key-string, line by line, into bytes.
 * Groups may have any width and lines may break anywhere, even inside a
 * byte, so digits are counted over the whole key-string. Internal to the
 * library.
 */

#ifndef IOS_HEX_H_
#define IOS_HEX_H_

#include "ios_keychain.h"

typedef struct ios_hex_t ios_hex_t;

/**
 * Result of adding a line.
 */
typedef enum {
	/** all characters were hex digits or blanks */
	IOS_HEX_OK,
	/** a character is neither a hex digit nor a blank */
	IOS_HEX_NOT_HEX,
	/** more than IOS_KEYCHAIN_MAX_HEX_DIGITS digits in all */
	IOS_HEX_TOO_LONG,
} ios_hex_result_t;

/**
 * Bytes of one key-string.
 */
struct ios_hex_t {

	/** decoded bytes; the last one is half filled for an odd digit count */
	uint8_t bytes[IOS_KEYCHAIN_MAX_HEX_DIGITS / 2];

	/** hex digits seen so far */
	size_t digits;
};

/**
 * Start a new key-string.
 *
 * @param hex			collector
 */
void ios_hex_reset(ios_hex_t *hex);

/**
 * Add the digits of one line. Blanks (space, tab) are skipped. Stops at
 * the first character that is not a hex digit, or at the first digit
 * beyond IOS_KEYCHAIN_MAX_HEX_DIGITS.
 *
 * @param hex			collector
 * @param line			characters of the line
 * @param len			length of line
 * @param stop			receives the index of the character stopped at
 * @return				IOS_HEX_OK, IOS_HEX_NOT_HEX or IOS_HEX_TOO_LONG
 */
ios_hex_result_t ios_hex_add_line(ios_hex_t *hex, const char *line,
								  size_t len, size_t *stop);

/**
 * Value of a hex digit.
 *
 * @param c				character
 * @return				0..15, or -1 if c is no hex digit
 */
int ios_hex_digit(char c);

#endif /** IOS_HEX_H_ @}*/
