/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "ios_der.h"

#include <string.h>

/** tag bits that announce a multi-byte tag */
#define HIGH_TAG_NUMBER 0x1f

/** most length bytes of the long form we read and write */
#define MAX_LENGTH_BYTES 4

void ios_der_cursor_init(ios_der_cursor_t *cursor, const uint8_t *der,
						 size_t len)
{
	cursor->base = der;
	cursor->pos = der;
	cursor->end = der + len;
	cursor->depth = 0;
}

size_t ios_der_remaining(const ios_der_cursor_t *cursor)
{
	return (size_t)(cursor->end - cursor->pos);
}

size_t ios_der_offset(const ios_der_cursor_t *cursor)
{
	return (size_t)(cursor->pos - cursor->base);
}

/**
 * Fill in an error, if the caller wants one, and pass the result on.
 */
static ios_der_read_t fail(ios_der_error_t *error, ios_der_read_t result,
						   const char *reason)
{
	if (error)
	{
		error->reason = reason;
	}
	return result;
}

/**
 * Report that an element needs more bytes than there are: a truncation of
 * the input for the outermost element, an encoding error inside.
 */
static ios_der_read_t cut_off(const ios_der_cursor_t *cursor,
							  ios_der_error_t *error, const char *reason)
{
	if (cursor->depth == 0)
	{
		return fail(error, IOS_DER_READ_TRUNCATED, reason);
	}
	return fail(error, IOS_DER_READ_MALFORMED,
				"exceeds its enclosing element");
}

/**
 * Decode the length octets at pos (left bytes available).
 *
 * @param length		receives the content length
 * @param size			receives the number of length octets
 */
static ios_der_read_t read_length(const ios_der_cursor_t *cursor,
								  const uint8_t *pos, size_t left,
								  size_t *length, size_t *size,
								  ios_der_error_t *error)
{
	size_t count, i, value = 0;

	if (left < 1)
	{
		return cut_off(cursor, error, "length cut off");
	}
	if (pos[0] < 0x80)
	{
		*length = pos[0];
		*size = 1;
		return IOS_DER_READ_OK;
	}
	if (pos[0] == 0x80)
	{
		return fail(error, IOS_DER_READ_MALFORMED,
					"indefinite length (BER, not DER)");
	}
	count = pos[0] & 0x7f;
	if (count > MAX_LENGTH_BYTES)
	{
		return fail(error, IOS_DER_READ_MALFORMED,
					"length of more than 4 bytes");
	}
	if (left < 1 + count)
	{
		return cut_off(cursor, error, "length cut off");
	}
	if (pos[1] == 0)
	{
		return fail(error, IOS_DER_READ_MALFORMED,
					"length with a leading zero byte");
	}
	for (i = 1; i <= count; i++)
	{
		value = (value << 8) | pos[i];
	}
	if (value < 0x80)
	{
		return fail(error, IOS_DER_READ_MALFORMED,
					"long form used for a short length");
	}
	*length = value;
	*size = 1 + count;
	return IOS_DER_READ_OK;
}

ios_der_read_t ios_der_read(ios_der_cursor_t *cursor, uint8_t tag,
							ios_der_cursor_t *content,
							ios_der_error_t *error)
{
	size_t left = ios_der_remaining(cursor), length = 0, length_size = 0;
	ios_der_read_t result;

	if (error)
	{
		*error = (ios_der_error_t){
			.offset = ios_der_offset(cursor),
		};
	}
	if (left == 0)
	{
		if (cursor->depth == 0)
		{
			return fail(error, IOS_DER_READ_TRUNCATED, "no data");
		}
		return fail(error, IOS_DER_READ_MISSING, "element missing");
	}
	if (error)
	{
		error->tag = cursor->pos[0];
	}
	if ((cursor->pos[0] & HIGH_TAG_NUMBER) == HIGH_TAG_NUMBER)
	{
		return fail(error, IOS_DER_READ_MALFORMED, "multi-byte tag");
	}
	/* a wrong tag says more about garbage than any length problem behind it */
	if (cursor->pos[0] != tag)
	{
		return fail(error, IOS_DER_READ_WRONG_TAG, "unexpected tag");
	}
	result = read_length(cursor, cursor->pos + 1, left - 1, &length,
						 &length_size, error);
	if (result != IOS_DER_READ_OK)
	{
		return result;
	}
	left -= 1 + length_size;
	if (error)
	{
		error->declared = length;
		error->available = left;
	}
	if (length > left)
	{
		return cut_off(cursor, error, "content runs past the end");
	}
	content->base = cursor->base;
	content->depth = cursor->depth + 1;
	content->pos = cursor->pos + 1 + length_size;
	content->end = content->pos + length;
	cursor->pos = content->end;
	return IOS_DER_READ_OK;
}

const char *ios_der_unsigned_integer(const ios_der_cursor_t *content,
									 const uint8_t **magnitude,
									 size_t *magnitude_len)
{
	const uint8_t *pos = content->pos;
	size_t len = ios_der_remaining(content);

	if (len == 0)
	{
		return "INTEGER without content";
	}
	if (pos[0] & 0x80)
	{
		return "negative INTEGER";
	}
	/* DER allows a leading zero byte only to clear the sign bit */
	if (len > 1 && pos[0] == 0 && !(pos[1] & 0x80))
	{
		return "INTEGER not minimally encoded";
	}
	if (pos[0] == 0)
	{
		pos++;
		len--;
	}
	*magnitude = pos;
	*magnitude_len = len;
	return NULL;
}

size_t ios_der_header_size(size_t content_len)
{
	size_t size = 2;

	if (content_len < 0x80)
	{
		return size;
	}
	while (content_len)
	{
		size++;
		content_len >>= 8;
	}
	return size;
}

uint8_t *ios_der_write_header(uint8_t *out, uint8_t tag, size_t content_len)
{
	size_t count = ios_der_header_size(content_len) - 2, i;

	*out++ = tag;
	if (count == 0)
	{
		*out++ = (uint8_t)content_len;
		return out;
	}
	*out++ = (uint8_t)(0x80 | count);
	for (i = count; i > 0; i--)
	{
		*out++ = (uint8_t)(content_len >> (8 * (i - 1)));
	}
	return out;
}

size_t ios_der_unsigned_integer_size(const uint8_t *magnitude, size_t len)
{
	if (len == 0 || (magnitude[0] & 0x80))
	{
		return len + 1;
	}
	return len;
}

uint8_t *ios_der_write_unsigned_integer(uint8_t *out,
										const uint8_t *magnitude, size_t len)
{
	size_t size = ios_der_unsigned_integer_size(magnitude, len);

	out = ios_der_write_header(out, IOS_DER_INTEGER, size);
	if (size > len)
	{
		*out++ = 0;
	}
	if (len)
	{
		memcpy(out, magnitude, len);
	}
	return out + len;
}
