/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "ios_hex.h"

void ios_hex_reset(ios_hex_t *hex)
{
	hex->digits = 0;
}

int ios_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
	{
		return c - '0';
	}
	if (c >= 'a' && c <= 'f')
	{
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F')
	{
		return c - 'A' + 10;
	}
	return -1;
}

/**
 * Store one digit as the high or low half of the current byte.
 */
static void add_digit(ios_hex_t *hex, int value)
{
	size_t i = hex->digits / 2;

	if (hex->digits % 2 == 0)
	{
		hex->bytes[i] = (uint8_t)(value << 4);
	}
	else
	{
		hex->bytes[i] |= (uint8_t)value;
	}
	hex->digits++;
}

ios_hex_result_t ios_hex_add_line(ios_hex_t *hex, const char *line,
								  size_t len, size_t *stop)
{
	size_t i;
	int value;

	for (i = 0; i < len; i++)
	{
		if (line[i] == ' ' || line[i] == '\t')
		{
			continue;
		}
		value = ios_hex_digit(line[i]);
		*stop = i;
		if (value < 0)
		{
			return IOS_HEX_NOT_HEX;
		}
		if (hex->digits >= IOS_KEYCHAIN_MAX_HEX_DIGITS)
		{
			return IOS_HEX_TOO_LONG;
		}
		add_digit(hex, value);
	}
	*stop = len;
	return IOS_HEX_OK;
}
