/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "rsa_encr_wire.h"

/** offsets in the ISAKMP header (RFC 2408 3.1) */
#define HDR_NEXT_PAYLOAD 16
#define HDR_FLAGS 19
#define HDR_FLAG_ENCRYPTION 0x01

/** generic payload header length */
#define GENERIC_HEADER_LEN 4

/** IPsec DOI and the only situation charon supports (RFC 2407 4.2, 4.6.1) */
#define DOI_IPSEC 1
#define SIT_IDENTITY_ONLY 1

/** payload types of SA substructures */
#define TYPE_PROPOSAL 2
#define TYPE_TRANSFORM 3

/** attribute format bit and the phase 1 attribute classes we look at */
#define ATTR_FORMAT_TV 0x8000
#define ATTR_ENCRYPTION_ALGORITHM 1
#define ATTR_AUTHENTICATION_METHOD 3

/*
 * Described in header
 */
uint16_t rsa_encr_wire_get16(chunk_t msg, size_t pos)
{
	return untoh16(msg.ptr + pos);
}

/*
 * Described in header
 */
void rsa_encr_wire_set16(chunk_t msg, size_t pos, uint16_t value)
{
	htoun16(msg.ptr + pos, value);
}

/*
 * Described in header
 */
bool rsa_encr_wire_is_encrypted(chunk_t msg)
{
	if (msg.len < RSA_ENCR_WIRE_HEADER_LEN)
	{
		return TRUE;
	}
	return (msg.ptr[HDR_FLAGS] & HDR_FLAG_ENCRYPTION) != 0;
}

/*
 * Described in header
 */
int rsa_encr_wire_walk(chunk_t msg, rsa_encr_wire_payload_t *out, int max)
{
	size_t pos = RSA_ENCR_WIRE_HEADER_LEN, type_pos = HDR_NEXT_PAYLOAD, len;
	uint8_t type;
	int count = 0;

	if (rsa_encr_wire_is_encrypted(msg))
	{
		return -1;
	}
	type = msg.ptr[type_pos];
	while (type != 0)
	{
		if (count >= max || pos + GENERIC_HEADER_LEN > msg.len)
		{
			return -1;
		}
		len = untoh16(msg.ptr + pos + 2);
		if (len < GENERIC_HEADER_LEN || pos + len > msg.len)
		{
			return -1;
		}
		out[count++] = (rsa_encr_wire_payload_t){
			.type = type,
			.type_pos = type_pos,
			.offset = pos,
			.length = len,
		};
		type_pos = pos;
		type = msg.ptr[pos];
		pos += len;
	}
	return count;
}

/*
 * Described in header
 */
void rsa_encr_wire_retag(chunk_t msg, rsa_encr_wire_payload_t *payload,
						 uint8_t type)
{
	msg.ptr[payload->type_pos] = type;
	payload->type = type;
}

/*
 * Described in header
 */
chunk_t rsa_encr_wire_body(chunk_t msg, rsa_encr_wire_payload_t *payload)
{
	return chunk_create(msg.ptr + payload->offset + GENERIC_HEADER_LEN,
						payload->length - GENERIC_HEADER_LEN);
}

/**
 * Find the auth method and encryption attributes of one transform whose
 * attributes are in [pos, end).
 */
static bool parse_attributes(chunk_t msg, size_t pos, size_t end,
							 rsa_encr_wire_transform_t *transform)
{
	uint16_t type, len;

	*transform = (rsa_encr_wire_transform_t){};
	while (pos < end)
	{
		if (pos + 4 > end)
		{
			return FALSE;
		}
		type = untoh16(msg.ptr + pos);
		if (type & ATTR_FORMAT_TV)
		{
			switch (type & ~ATTR_FORMAT_TV)
			{
				case ATTR_AUTHENTICATION_METHOD:
					transform->auth = untoh16(msg.ptr + pos + 2);
					transform->auth_pos = pos + 2;
					break;
				case ATTR_ENCRYPTION_ALGORITHM:
					transform->encr_pos = pos + 2;
					break;
				default:
					break;
			}
			pos += 4;
			continue;
		}
		len = untoh16(msg.ptr + pos + 2);
		pos += 4 + len;
	}
	return pos == end;
}

/*
 * Described in header
 */
int rsa_encr_wire_sa_transforms(chunk_t msg, rsa_encr_wire_payload_t *sa,
								rsa_encr_wire_transform_t *out, int max)
{
	size_t pos, end, prop_end, trans_len, prop_len;
	uint8_t next_prop, next_trans, spi_size, transforms, number;
	int count = 0, i;

	pos = sa->offset + GENERIC_HEADER_LEN;
	end = sa->offset + sa->length;
	if (pos + 8 > end || untoh32(msg.ptr + pos) != DOI_IPSEC ||
		untoh32(msg.ptr + pos + 4) != SIT_IDENTITY_ONLY)
	{
		return -1;
	}
	pos += 8;
	next_prop = TYPE_PROPOSAL;
	while (next_prop == TYPE_PROPOSAL)
	{
		if (pos + 8 > end)
		{
			return -1;
		}
		next_prop = msg.ptr[pos];
		number = msg.ptr[pos + 4];
		prop_len = untoh16(msg.ptr + pos + 2);
		spi_size = msg.ptr[pos + 6];
		transforms = msg.ptr[pos + 7];
		prop_end = pos + prop_len;
		if (prop_len < 8 || prop_end > end || pos + 8 + spi_size > prop_end)
		{
			return -1;
		}
		pos += 8 + spi_size;
		next_trans = TYPE_TRANSFORM;
		for (i = 0; i < transforms; i++)
		{
			if (next_trans != TYPE_TRANSFORM || pos + 8 > prop_end ||
				count >= max)
			{
				return -1;
			}
			next_trans = msg.ptr[pos];
			trans_len = untoh16(msg.ptr + pos + 2);
			if (trans_len < 8 || pos + trans_len > prop_end ||
				!parse_attributes(msg, pos + 8, pos + trans_len, &out[count]))
			{
				return -1;
			}
			out[count].proposal = number;
			out[count].number = msg.ptr[pos + 4];
			count++;
			pos += trans_len;
		}
		if (next_trans != 0 || pos != prop_end)
		{
			return -1;
		}
	}
	if (next_prop != 0 || pos != end)
	{
		return -1;
	}
	return count;
}

/*
 * Described in header
 */
chunk_t rsa_encr_wire_chain(int count, uint8_t types[], chunk_t bodies[],
							size_t *last_next)
{
	chunk_t encoding;
	size_t len = 0, pos = 0;
	int i;

	for (i = 0; i < count; i++)
	{
		if (bodies[i].len > 0xffff - GENERIC_HEADER_LEN)
		{
			return chunk_empty;
		}
		len += GENERIC_HEADER_LEN + bodies[i].len;
	}
	encoding = chunk_alloc(len);
	for (i = 0; i < count; i++)
	{
		encoding.ptr[pos] = i + 1 < count ? types[i + 1] : 0;
		encoding.ptr[pos + 1] = 0;
		htoun16(encoding.ptr + pos + 2, GENERIC_HEADER_LEN + bodies[i].len);
		if (bodies[i].len)
		{
			memcpy(encoding.ptr + pos + GENERIC_HEADER_LEN, bodies[i].ptr,
				   bodies[i].len);
		}
		if (last_next)
		{
			*last_next = pos;
		}
		pos += GENERIC_HEADER_LEN + bodies[i].len;
	}
	return encoding;
}
