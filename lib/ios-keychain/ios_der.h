/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/**
 * @defgroup ios_der ios_der
 * @{ @ingroup ios_keychain_lib
 *
 * A small strict DER reader and writer, just what an RSA
 * SubjectPublicKeyInfo needs: single byte tags, definite lengths of up to
 * four length bytes, everything checked against the end of the enclosing
 * element. Internal to the library.
 */

#ifndef IOS_DER_H_
#define IOS_DER_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** universal tags used by SubjectPublicKeyInfo */
#define IOS_DER_INTEGER		0x02
#define IOS_DER_BIT_STRING	0x03
#define IOS_DER_NULL		0x05
#define IOS_DER_OID			0x06
#define IOS_DER_SEQUENCE	0x30

/** longest content length the reader and writer handle (4 length bytes) */
#define IOS_DER_MAX_LENGTH	0xffffffffu

typedef struct ios_der_cursor_t ios_der_cursor_t;
typedef struct ios_der_error_t ios_der_error_t;

/**
 * Result of reading one element.
 */
typedef enum {
	/** element read */
	IOS_DER_READ_OK,
	/** the input ends inside the outermost element */
	IOS_DER_READ_TRUNCATED,
	/** no element left in a complete enclosing element */
	IOS_DER_READ_MISSING,
	/**
	 * invalid encoding: indefinite or non-minimal length, long tag, an
	 * element exceeding the element it is in
	 */
	IOS_DER_READ_MALFORMED,
	/** a valid element, but not the tag expected */
	IOS_DER_READ_WRONG_TAG,
} ios_der_read_t;

/**
 * Position inside a DER encoding, limited to the content of one element.
 */
struct ios_der_cursor_t {

	/** start of the whole encoding, to give offsets in messages */
	const uint8_t *base;

	/** next byte to read */
	const uint8_t *pos;

	/** end of the enclosing element's content */
	const uint8_t *end;

	/**
	 * Nesting depth, 0 for the whole encoding. Only the outermost element
	 * can be cut off by the end of the input: inside a complete element a
	 * short element is an encoding error, not a truncation.
	 */
	unsigned depth;
};

/**
 * Where and why reading failed.
 */
struct ios_der_error_t {

	/** offset of the element's tag from the start of the encoding */
	size_t offset;

	/** tag found, if any */
	uint8_t tag;

	/** content length the element declares (if it could be read) */
	size_t declared;

	/** bytes left behind the element's header */
	size_t available;

	/** what is wrong, a short static text */
	const char *reason;
};

/**
 * Start reading a DER encoding.
 *
 * @param cursor		cursor to initialize
 * @param der			DER bytes
 * @param len			length of der
 */
void ios_der_cursor_init(ios_der_cursor_t *cursor, const uint8_t *der,
						 size_t len);

/**
 * Read the next element, which must carry the expected tag.
 *
 * On success the cursor moves behind the element and content is limited
 * to the element's content. On failure the cursor does not move.
 *
 * @param cursor		where to read
 * @param tag			expected tag
 * @param content		receives a cursor over the element's content
 * @param error			receives details on failure, may be NULL
 * @return				result of reading
 */
ios_der_read_t ios_der_read(ios_der_cursor_t *cursor, uint8_t tag,
							ios_der_cursor_t *content,
							ios_der_error_t *error);

/**
 * Bytes left between the cursor and the end of its element.
 *
 * @param cursor		cursor
 * @return				number of bytes not read yet
 */
size_t ios_der_remaining(const ios_der_cursor_t *cursor);

/**
 * Offset of the cursor from the start of the whole encoding.
 *
 * @param cursor		cursor
 * @return				offset in bytes
 */
size_t ios_der_offset(const ios_der_cursor_t *cursor);

/**
 * Check the content of an INTEGER for minimal encoding and a non-negative
 * value, and get its magnitude without leading zero bytes.
 *
 * @param content		content of the INTEGER
 * @param magnitude		receives the first byte of the magnitude
 * @param magnitude_len	receives the length of the magnitude, 0 for zero
 * @return				NULL if valid, or a short static reason
 */
const char *ios_der_unsigned_integer(const ios_der_cursor_t *content,
									 const uint8_t **magnitude,
									 size_t *magnitude_len);

/**
 * Size of the header (tag and length bytes) of an element.
 *
 * @param content_len	length of the element's content
 * @return				header size in bytes
 */
size_t ios_der_header_size(size_t content_len);

/**
 * Write the header of an element.
 *
 * @param out			where to write, ios_der_header_size() bytes
 * @param tag			tag of the element
 * @param content_len	length of the element's content
 * @return				first byte behind the header
 */
uint8_t *ios_der_write_header(uint8_t *out, uint8_t tag, size_t content_len);

/**
 * Content length of an INTEGER holding an unsigned magnitude.
 *
 * @param magnitude		big-endian magnitude without leading zeros
 * @param len			length of magnitude
 * @return				content length: a zero byte is added when the top
 *						bit is set, and zero is encoded as one zero byte
 */
size_t ios_der_unsigned_integer_size(const uint8_t *magnitude, size_t len);

/**
 * Write an INTEGER holding an unsigned magnitude.
 *
 * @param out			where to write, header and content
 * @param magnitude		big-endian magnitude without leading zeros
 * @param len			length of magnitude
 * @return				first byte behind the element
 */
uint8_t *ios_der_write_unsigned_integer(uint8_t *out,
										const uint8_t *magnitude, size_t len);

#endif /** IOS_DER_H_ @}*/
