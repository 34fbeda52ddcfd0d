/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/* inet_pton() and inet_ntop() are POSIX, not C11 */
#define _POSIX_C_SOURCE 200809L

#include "ios_keychain.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

/** longer text is no address: full IPv6 with embedded IPv4 is 45 chars */
#define MAX_ADDRESS_TEXT 64

bool ios_address_parse(const char *text, size_t len, ios_address_t *address)
{
	char buf[MAX_ADDRESS_TEXT];
	ios_address_t parsed = { .family = IOS_ADDRESS_IPV4 };

	if (len == 0 || len >= sizeof(buf) || memchr(text, '\0', len))
	{
		return false;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	if (memchr(buf, ':', len))
	{
		parsed.family = IOS_ADDRESS_IPV6;
		if (inet_pton(AF_INET6, buf, parsed.bytes) != 1)
		{
			return false;
		}
	}
	else if (inet_pton(AF_INET, buf, parsed.bytes) != 1)
	{
		return false;
	}
	*address = parsed;
	return true;
}

/**
 * IOS shows IPv6 addresses with upper case hex digits.
 */
static void to_upper_hex(char *text)
{
	for (; *text; text++)
	{
		if (*text >= 'a' && *text <= 'f')
		{
			*text = (char)(*text - 'a' + 'A');
		}
	}
}

bool ios_address_format(const ios_address_t *address, char *buf,
						size_t buf_len)
{
	char text[IOS_ADDRESS_TEXT_LEN];
	const uint8_t *b = address->bytes;

	switch (address->family)
	{
		case IOS_ADDRESS_IPV4:
			snprintf(text, sizeof(text), "%u.%u.%u.%u", b[0], b[1], b[2],
					 b[3]);
			break;
		case IOS_ADDRESS_IPV6:
			if (!inet_ntop(AF_INET6, b, text, sizeof(text)))
			{
				return false;
			}
			to_upper_hex(text);
			break;
		default:
			return false;
	}
	if (strlen(text) >= buf_len)
	{
		return false;
	}
	memcpy(buf, text, strlen(text) + 1);
	return true;
}

bool ios_address_equals(const ios_address_t *a, const ios_address_t *b)
{
	size_t len = a->family == IOS_ADDRESS_IPV4 ? 4 : 16;

	return a->family == b->family && memcmp(a->bytes, b->bytes, len) == 0;
}
