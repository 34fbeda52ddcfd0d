/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/*
 * RSA SubjectPublicKeyInfo (RFC 5280 4.1, RFC 8017 A.1.1):
 *
 *   SEQUENCE {
 *     SEQUENCE { OID 1.2.840.113549.1.1.1, NULL }
 *     BIT STRING (0 unused bits) containing
 *       SEQUENCE { INTEGER modulus, INTEGER publicExponent }
 *   }
 */

#include "ios_keychain.h"
#include "ios_der.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** content of the rsaEncryption OID, 1.2.840.113549.1.1.1 */
static const uint8_t rsa_encryption_oid[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
};

/** size of the AlgorithmIdentifier content: the OID and a NULL */
#define ALGORITHM_CONTENT_LEN (2 + sizeof(rsa_encryption_oid) + 2)

/** largest modulus or exponent we encode, keeps all lengths in 4 bytes */
#define MAX_ENCODED_INTEGER (1u << 24)

/**
 * Write a message into the caller's buffer, if there is one.
 */
static void explain(char *why, size_t why_len, const char *fmt, ...)
{
	va_list args;

	if (why && why_len)
	{
		va_start(args, fmt);
		vsnprintf(why, why_len, fmt, args);
		va_end(args);
	}
}

/**
 * Read one element of the SubjectPublicKeyInfo and explain any failure in
 * the terms of the structure.
 *
 * @param what			name of the element, for messages
 */
static ios_rsa_status_t read_element(ios_der_cursor_t *cursor, uint8_t tag,
									 const char *what,
									 ios_der_cursor_t *content,
									 char *why, size_t why_len)
{
	ios_der_error_t error;

	switch (ios_der_read(cursor, tag, content, &error))
	{
		case IOS_DER_READ_OK:
			return IOS_RSA_OK;
		case IOS_DER_READ_TRUNCATED:
			if (error.declared > error.available)
			{
				explain(why, why_len, "truncated DER: %s at offset %zu "
						"declares %zu bytes, only %zu are left", what,
						error.offset, error.declared, error.available);
			}
			else
			{
				explain(why, why_len, "truncated DER: %s at offset %zu: %s",
						what, error.offset, error.reason);
			}
			return IOS_RSA_TRUNCATED;
		case IOS_DER_READ_MISSING:
			explain(why, why_len, "not an RSA SubjectPublicKeyInfo: %s "
					"missing at offset %zu", what, error.offset);
			return IOS_RSA_NOT_RSA;
		case IOS_DER_READ_MALFORMED:
			explain(why, why_len, "invalid DER: %s at offset %zu: %s",
					what, error.offset, error.reason);
			return IOS_RSA_MALFORMED;
		case IOS_DER_READ_WRONG_TAG:
		default:
			explain(why, why_len, "not an RSA SubjectPublicKeyInfo: "
					"expected %s at offset %zu, found tag 0x%02X", what,
					error.offset, error.tag);
			return IOS_RSA_NOT_RSA;
	}
}

/**
 * Complain about bytes left behind the last element of a structure.
 */
static ios_rsa_status_t expect_end(const ios_der_cursor_t *cursor,
								   const char *what, char *why,
								   size_t why_len)
{
	size_t left = ios_der_remaining(cursor);

	if (left == 0)
	{
		return IOS_RSA_OK;
	}
	explain(why, why_len, "invalid DER: %zu unexpected bytes at offset %zu "
			"behind the %s", left, ios_der_offset(cursor), what);
	return IOS_RSA_MALFORMED;
}

/**
 * Write an OID as dotted decimal text, for messages. Arcs too large to
 * print end the text with "...".
 */
static void oid_to_text(const ios_der_cursor_t *oid, char *buf, size_t len)
{
	const uint8_t *pos = oid->pos;
	uint64_t arc = 0;
	size_t used = 0;
	bool first = true;
	int written;

	buf[0] = '\0';
	for (; pos < oid->end && used < len; pos++)
	{
		if (arc > (UINT64_MAX >> 7))
		{
			snprintf(buf + used, len - used, "...");
			return;
		}
		arc = (arc << 7) | (*pos & 0x7f);
		if (*pos & 0x80)
		{
			continue;
		}
		if (first)
		{
			uint64_t top = arc < 80 ? arc / 40 : 2;

			written = snprintf(buf + used, len - used, "%u.%llu",
							   (unsigned)top,
							   (unsigned long long)(arc - top * 40));
			first = false;
		}
		else
		{
			written = snprintf(buf + used, len - used, ".%llu",
							   (unsigned long long)arc);
		}
		used += written > 0 ? (size_t)written : 0;
		arc = 0;
	}
}

/**
 * Read the AlgorithmIdentifier: the rsaEncryption OID with NULL parameters.
 */
static ios_rsa_status_t read_algorithm(ios_der_cursor_t *spki, char *why,
									   size_t why_len)
{
	ios_der_cursor_t algorithm, oid, params;
	ios_rsa_status_t status;
	size_t offset;
	char text[64];

	status = read_element(spki, IOS_DER_SEQUENCE, "AlgorithmIdentifier "
						  "SEQUENCE", &algorithm, why, why_len);
	if (status != IOS_RSA_OK)
	{
		return status;
	}
	status = read_element(&algorithm, IOS_DER_OID, "algorithm OID", &oid,
						  why, why_len);
	if (status != IOS_RSA_OK)
	{
		return status;
	}
	if (ios_der_remaining(&oid) != sizeof(rsa_encryption_oid) ||
		memcmp(oid.pos, rsa_encryption_oid, sizeof(rsa_encryption_oid)) != 0)
	{
		oid_to_text(&oid, text, sizeof(text));
		explain(why, why_len, "not an RSA SubjectPublicKeyInfo: algorithm "
				"%s is not rsaEncryption (1.2.840.113549.1.1.1)",
				text[0] ? text : "(empty OID)");
		return IOS_RSA_NOT_RSA;
	}
	offset = ios_der_offset(&algorithm);
	status = read_element(&algorithm, IOS_DER_NULL, "NULL parameters of "
						  "rsaEncryption", &params, why, why_len);
	if (status != IOS_RSA_OK)
	{
		return status;
	}
	if (ios_der_remaining(&params))
	{
		explain(why, why_len, "invalid DER: NULL with content at offset %zu",
				offset);
		return IOS_RSA_MALFORMED;
	}
	return expect_end(&algorithm, "AlgorithmIdentifier", why, why_len);
}

/**
 * Read one INTEGER of the RSAPublicKey as an unsigned magnitude.
 */
static ios_rsa_status_t read_integer(ios_der_cursor_t *key, const char *what,
									 const uint8_t **magnitude, size_t *len,
									 char *why, size_t why_len)
{
	ios_der_cursor_t integer;
	ios_rsa_status_t status;
	size_t offset = ios_der_offset(key);
	const char *reason;

	status = read_element(key, IOS_DER_INTEGER, what, &integer, why,
						  why_len);
	if (status != IOS_RSA_OK)
	{
		return status;
	}
	/* valid DER, but no RSA key has a negative modulus or exponent */
	if (ios_der_remaining(&integer) && (integer.pos[0] & 0x80))
	{
		explain(why, why_len, "not an RSA SubjectPublicKeyInfo: %s at "
				"offset %zu is negative", what, offset);
		return IOS_RSA_NOT_RSA;
	}
	reason = ios_der_unsigned_integer(&integer, magnitude, len);
	if (reason)
	{
		explain(why, why_len, "invalid DER: %s at offset %zu: %s", what,
				offset, reason);
		return IOS_RSA_MALFORMED;
	}
	return IOS_RSA_OK;
}

/**
 * Number of significant bits of a magnitude without leading zero bytes.
 */
static unsigned bit_length(const uint8_t *magnitude, size_t len)
{
	unsigned bits = 0;
	uint8_t top;

	if (len == 0)
	{
		return 0;
	}
	/* absurd, but keep the arithmetic defined: "too large" anyway */
	if (len > UINT_MAX / 8)
	{
		return UINT_MAX;
	}
	for (top = magnitude[0]; top; top >>= 1)
	{
		bits++;
	}
	return (unsigned)(len - 1) * 8 + bits;
}

/**
 * Read the BIT STRING and the RSAPublicKey it wraps.
 */
static ios_rsa_status_t read_public_key(ios_der_cursor_t *spki,
										ios_rsa_public_t *rsa, char *why,
										size_t why_len)
{
	ios_der_cursor_t bits, key;
	ios_rsa_status_t status;
	size_t offset = ios_der_offset(spki);

	status = read_element(spki, IOS_DER_BIT_STRING, "subjectPublicKey BIT "
						  "STRING", &bits, why, why_len);
	if (status != IOS_RSA_OK)
	{
		return status;
	}
	if (ios_der_remaining(&bits) == 0)
	{
		explain(why, why_len, "invalid DER: BIT STRING without content at "
				"offset %zu", offset);
		return IOS_RSA_MALFORMED;
	}
	if (bits.pos[0] != 0)
	{
		explain(why, why_len, "not an RSA SubjectPublicKeyInfo: BIT STRING "
				"at offset %zu has %u unused bits", offset, bits.pos[0]);
		return IOS_RSA_NOT_RSA;
	}
	bits.pos++;
	status = read_element(&bits, IOS_DER_SEQUENCE, "RSAPublicKey SEQUENCE",
						  &key, why, why_len);
	if (status == IOS_RSA_OK)
	{
		status = expect_end(&bits, "RSAPublicKey", why, why_len);
	}
	if (status == IOS_RSA_OK)
	{
		status = read_integer(&key, "modulus INTEGER", &rsa->modulus,
							  &rsa->modulus_len, why, why_len);
	}
	if (status == IOS_RSA_OK)
	{
		status = read_integer(&key, "publicExponent INTEGER", &rsa->exponent,
							  &rsa->exponent_len, why, why_len);
	}
	if (status == IOS_RSA_OK)
	{
		status = expect_end(&key, "publicExponent", why, why_len);
	}
	return status;
}

ios_rsa_status_t ios_rsa_spki_decode(const uint8_t *der, size_t len,
									 ios_rsa_public_t *rsa,
									 char *why, size_t why_len)
{
	ios_der_cursor_t all, spki;
	ios_rsa_public_t decoded = { .bits = 0 };
	ios_rsa_status_t status;

	explain(why, why_len, "%s", "");
	ios_der_cursor_init(&all, der, len);
	status = read_element(&all, IOS_DER_SEQUENCE, "SubjectPublicKeyInfo "
						  "SEQUENCE", &spki, why, why_len);
	if (status == IOS_RSA_OK)
	{
		status = read_algorithm(&spki, why, why_len);
	}
	if (status == IOS_RSA_OK)
	{
		status = read_public_key(&spki, &decoded, why, why_len);
	}
	if (status == IOS_RSA_OK)
	{
		status = expect_end(&spki, "subjectPublicKey", why, why_len);
	}
	if (status == IOS_RSA_OK)
	{
		status = expect_end(&all, "SubjectPublicKeyInfo", why, why_len);
	}
	if (status != IOS_RSA_OK)
	{
		return status;
	}
	decoded.bits = bit_length(decoded.modulus, decoded.modulus_len);
	*rsa = decoded;
	return IOS_RSA_OK;
}

/**
 * Whether a magnitude is smaller than a small value.
 */
static bool smaller_than(const uint8_t *magnitude, size_t len, uint8_t value)
{
	return len == 0 || (len == 1 && magnitude[0] < value);
}

ios_rsa_status_t ios_rsa_public_check(const ios_rsa_public_t *rsa,
									  char *why, size_t why_len)
{
	explain(why, why_len, "%s", "");
	if (rsa->bits < IOS_KEYCHAIN_MIN_BITS)
	{
		explain(why, why_len, "RSA key of %u bits is too small, accepted "
				"are %d to %d bits", rsa->bits, IOS_KEYCHAIN_MIN_BITS,
				IOS_KEYCHAIN_MAX_BITS);
		return IOS_RSA_TOO_SMALL;
	}
	if (rsa->bits > IOS_KEYCHAIN_MAX_BITS)
	{
		explain(why, why_len, "RSA key of %u bits is too large, accepted "
				"are %d to %d bits", rsa->bits, IOS_KEYCHAIN_MIN_BITS,
				IOS_KEYCHAIN_MAX_BITS);
		return IOS_RSA_TOO_LARGE;
	}
	if (smaller_than(rsa->exponent, rsa->exponent_len, 3))
	{
		explain(why, why_len, "RSA public exponent %u is smaller than 3",
				rsa->exponent_len ? rsa->exponent[0] : 0);
		return IOS_RSA_EXPONENT_TOO_SMALL;
	}
	if (!(rsa->exponent[rsa->exponent_len - 1] & 1))
	{
		explain(why, why_len, "RSA public exponent is even");
		return IOS_RSA_EXPONENT_EVEN;
	}
	return IOS_RSA_OK;
}

/**
 * Skip leading zero bytes of a big-endian number.
 */
static const uint8_t *strip_zeros(const uint8_t *number, size_t *len)
{
	while (*len && number[0] == 0)
	{
		number++;
		(*len)--;
	}
	return number;
}

/**
 * Size of a whole element with content of the given length.
 */
static size_t element_size(size_t content_len)
{
	return ios_der_header_size(content_len) + content_len;
}

int ios_rsa_spki_encode(const uint8_t *modulus, size_t modulus_len,
						const uint8_t *exponent, size_t exponent_len,
						uint8_t **der, size_t *der_len)
{
	size_t modulus_size, exponent_size, key_len, bits_len, spki_len, total;
	uint8_t *out, *pos;

	modulus = strip_zeros(modulus, &modulus_len);
	exponent = strip_zeros(exponent, &exponent_len);
	if (modulus_len > MAX_ENCODED_INTEGER ||
		exponent_len > MAX_ENCODED_INTEGER)
	{
		return -1;
	}
	modulus_size = ios_der_unsigned_integer_size(modulus, modulus_len);
	exponent_size = ios_der_unsigned_integer_size(exponent, exponent_len);
	key_len = element_size(modulus_size) + element_size(exponent_size);
	bits_len = 1 + element_size(key_len);
	spki_len = element_size(ALGORITHM_CONTENT_LEN) + element_size(bits_len);
	total = element_size(spki_len);

	out = malloc(total);
	if (!out)
	{
		return -1;
	}
	pos = ios_der_write_header(out, IOS_DER_SEQUENCE, spki_len);
	pos = ios_der_write_header(pos, IOS_DER_SEQUENCE, ALGORITHM_CONTENT_LEN);
	pos = ios_der_write_header(pos, IOS_DER_OID, sizeof(rsa_encryption_oid));
	memcpy(pos, rsa_encryption_oid, sizeof(rsa_encryption_oid));
	pos += sizeof(rsa_encryption_oid);
	pos = ios_der_write_header(pos, IOS_DER_NULL, 0);
	pos = ios_der_write_header(pos, IOS_DER_BIT_STRING, bits_len);
	*pos++ = 0;
	pos = ios_der_write_header(pos, IOS_DER_SEQUENCE, key_len);
	pos = ios_der_write_unsigned_integer(pos, modulus, modulus_len);
	ios_der_write_unsigned_integer(pos, exponent, exponent_len);

	*der = out;
	*der_len = total;
	return 0;
}
