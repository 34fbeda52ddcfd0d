/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/*
 * Line by line state machine over IOS configuration text:
 *
 *   top ----"crypto key pubkey-chain rsa"----> chain
 *   chain --"named-key"/"addressed-key"------> key
 *   key ----"key-string"---------------------> key-string
 *   key-string --"quit"----------------------> key
 *   key --"exit"--> chain --"exit"--> top
 *
 * Any unindented line that is no chain command ends the chain, as the
 * next top-level command of a running-config does. Errors mark the key
 * entry they occur in as bad; a bad entry is dropped when it ends, so the
 * rest of the chain still loads. Every line is looked at a bounded number
 * of times and memory only grows with keys actually loaded, so garbage of
 * any size is handled in linear time.
 */

#include "ios_keychain.h"
#include "ios_keychain_builder.h"
#include "ios_hex.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** tokens we look at; a line with more has "unexpected" arguments */
#define MAX_TOKENS 4

/** longest quoted text from the input in a message, before "..." */
#define MAX_QUOTED 40

/** size of a buffer for one quoted text */
#define QUOTE_SIZE (MAX_QUOTED * 4 + 8)

/** size of the buffer describing the current key in messages */
#define LABEL_SIZE (QUOTE_SIZE + 32)

typedef struct token_t token_t;
typedef struct line_t line_t;
typedef struct parser_t parser_t;

/**
 * Where in the chain the parser is.
 */
typedef enum {
	/** outside any chain: lines are ignored */
	MODE_TOP,
	/** in "crypto key pubkey-chain rsa", no key open */
	MODE_CHAIN,
	/** in a named-key or addressed-key */
	MODE_KEY,
	/** reading the hex lines of a key-string */
	MODE_KEY_STRING,
} parse_mode_t;

/**
 * A word of a line.
 */
struct token_t {

	/** first character */
	const char *ptr;

	/** number of characters */
	size_t len;
};

/**
 * One input line.
 */
struct line_t {

	/** the whole line, without the newline */
	const char *raw;

	/** the line without leading and trailing blanks */
	const char *text;

	/** length of text */
	size_t len;

	/** whether the line starts with a blank */
	bool indented;

	/** line number, from 1 */
	unsigned number;

	/** the first words of the line */
	token_t tokens[MAX_TOKENS + 1];

	/** number of words, MAX_TOKENS + 1 meaning "at least that many" */
	size_t token_count;
};

/**
 * Parser state.
 */
struct parser_t {

	/** collects keys and diagnostics */
	ios_keychain_builder_t *builder;

	/** where we are */
	parse_mode_t mode;

	/** whether a key entry is open (in MODE_KEY and its key-string) */
	bool in_key;

	/** the key entry being read */
	ios_key_t key;

	/** allocated entries of key.addresses */
	size_t address_capacity;

	/** an error was reported for the entry: it is dropped when it ends */
	bool key_bad;

	/** more addresses than allowed were reported for the entry */
	bool key_addresses_reported;

	/** line of the key's key-string, 0 if none yet */
	unsigned key_string_of_key;

	/** "named-key NAME" or the like, for messages */
	char label[LABEL_SIZE];

	/** line of the key-string command being read */
	unsigned key_string_line;

	/** whether the key-string belongs to a key (or is read to skip it) */
	bool key_string_kept;

	/** "key-string of named-key NAME" or the like, for messages */
	char key_string_label[LABEL_SIZE + 16];

	/** an error was reported for the key-string, ignore its other lines */
	bool key_string_bad;

	/** digits of the key-string */
	ios_hex_t hex;

	/** an allocation failed, give up */
	bool out_of_memory;
};

/**
 * Report an error, remembering an allocation failure.
 */
#define report(parser, line, ...) do { \
	if (!ios_keychain_builder_error((parser)->builder, line, __VA_ARGS__)) \
	{ \
		(parser)->out_of_memory = true; \
	} \
} while (0)

/**
 * Report an error of the open key entry and drop the entry.
 */
#define reject_key(parser, line, ...) do { \
	report(parser, line, __VA_ARGS__); \
	(parser)->key_bad = true; \
} while (0)

/**
 * Blanks separate words; IOS itself writes spaces only.
 */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/**
 * ASCII letter, whatever the locale.
 */
static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/**
 * Copy input text for a message: printable ASCII as is, anything else
 * escaped as \xNN, cut at MAX_QUOTED characters.
 */
static const char *quote(char buf[QUOTE_SIZE], const char *text, size_t len)
{
	size_t i, used = 0;

	for (i = 0; i < len && i < MAX_QUOTED; i++)
	{
		unsigned char c = (unsigned char)text[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
		{
			buf[used++] = (char)c;
		}
		else
		{
			used += (size_t)snprintf(buf + used, QUOTE_SIZE - used,
									 "\\x%02X", c);
		}
	}
	if (len > MAX_QUOTED)
	{
		memcpy(buf + used, "...", 3);
		used += 3;
	}
	buf[used] = '\0';
	return buf;
}

/**
 * Copy a word for a message, see quote().
 */
static const char *quote_token(char buf[QUOTE_SIZE], const token_t *token)
{
	return quote(buf, token->ptr, token->len);
}

/**
 * Whether a word is a keyword; IOS keywords ignore case.
 */
static bool token_is(const token_t *token, const char *keyword)
{
	return ios_ascii_equal_nocase(token->ptr, token->len, keyword);
}

/**
 * Copy text into a new NUL-terminated string.
 */
static char *copy_text(const char *text, size_t len)
{
	char *copy = malloc(len + 1);

	if (copy)
	{
		memcpy(copy, text, len);
		copy[len] = '\0';
	}
	return copy;
}

/**
 * Split a raw line into trimmed text and its first words.
 */
static void split_line(line_t *line, const char *raw, size_t len,
					   unsigned number)
{
	const char *pos = raw, *end = raw + len;

	while (end > pos && is_blank(end[-1]))
	{
		end--;
	}
	while (pos < end && is_blank(*pos))
	{
		pos++;
	}
	*line = (line_t){
		.raw = raw,
		.text = pos,
		.len = (size_t)(end - pos),
		.indented = len > 0 && is_blank(raw[0]) && raw[0] != '\r',
		.number = number,
	};
	while (pos < end && line->token_count <= MAX_TOKENS)
	{
		token_t *token = &line->tokens[line->token_count++];

		token->ptr = pos;
		while (pos < end && !is_blank(*pos))
		{
			pos++;
		}
		token->len = (size_t)(pos - token->ptr);
		while (pos < end && is_blank(*pos))
		{
			pos++;
		}
	}
}

/**
 * Whether a line is "crypto key pubkey-chain rsa".
 */
static bool is_chain_start(const line_t *line)
{
	return line->token_count == 4 &&
		   token_is(&line->tokens[0], "crypto") &&
		   token_is(&line->tokens[1], "key") &&
		   token_is(&line->tokens[2], "pubkey-chain") &&
		   token_is(&line->tokens[3], "rsa");
}

/**
 * Whether a line is a command of the chain or its keys, which may also be
 * typed unindented.
 */
static bool is_chain_command(const line_t *line)
{
	static const char *const commands[] = {
		"named-key", "addressed-key", "address", "serial-number",
		"key-string", "quit", "exit",
	};
	size_t i;

	if (line->token_count == 0)
	{
		return false;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
	{
		if (token_is(&line->tokens[0], commands[i]))
		{
			return true;
		}
	}
	return is_chain_start(line);
}

/**
 * Text of a key's usage for messages.
 */
static const char *usage_text(ios_key_usage_t usage)
{
	switch (usage)
	{
		case IOS_KEY_USAGE_ENCRYPTION:
			return "encryption";
		case IOS_KEY_USAGE_SIGNATURE:
			return "signature";
		case IOS_KEY_USAGE_GENERAL:
		default:
			return "general purpose";
	}
}

/**
 * Make room for one more address of the open key.
 */
static bool grow_addresses(parser_t *parser)
{
	ios_address_t *grown;
	size_t wanted;

	if (parser->key.address_count < parser->address_capacity)
	{
		return true;
	}
	wanted = parser->address_capacity ? parser->address_capacity * 2 : 2;
	grown = realloc(parser->key.addresses, wanted * sizeof(*grown));
	if (!grown)
	{
		parser->out_of_memory = true;
		return false;
	}
	parser->key.addresses = grown;
	parser->address_capacity = wanted;
	return true;
}

/**
 * Add an address to the open key, unless it has it already.
 */
static void add_address(parser_t *parser, const line_t *line,
						const ios_address_t *address)
{
	size_t i;

	for (i = 0; i < parser->key.address_count; i++)
	{
		if (ios_address_equals(&parser->key.addresses[i], address))
		{
			return;
		}
	}
	if (parser->key.address_count >= IOS_KEYCHAIN_MAX_ADDRESSES)
	{
		if (!parser->key_addresses_reported)
		{
			reject_key(parser, line->number, "%s has more than %d addresses",
					   parser->label, IOS_KEYCHAIN_MAX_ADDRESSES);
			parser->key_addresses_reported = true;
		}
		return;
	}
	if (grow_addresses(parser))
	{
		parser->key.addresses[parser->key.address_count++] = *address;
	}
}

/**
 * End the open key entry: add it to the chain unless it is bad, has no
 * key data or duplicates a key loaded before.
 */
static void close_key(parser_t *parser)
{
	const ios_key_t *first;

	if (!parser->in_key)
	{
		return;
	}
	parser->in_key = false;
	parser->mode = MODE_CHAIN;
	if (parser->key_bad)
	{
		ios_key_clear(&parser->key);
		return;
	}
	if (!parser->key.der)
	{
		report(parser, parser->key.line, "%s has no key-string",
			   parser->label);
		ios_key_clear(&parser->key);
		return;
	}
	first = ios_keychain_builder_find(parser->builder, &parser->key);
	if (first)
	{
		report(parser, parser->key.line, "duplicate %s (%s), first defined "
			   "on line %u", parser->label, usage_text(parser->key.usage),
			   first->line);
		ios_key_clear(&parser->key);
		return;
	}
	if (!ios_keychain_builder_add(parser->builder, &parser->key))
	{
		parser->out_of_memory = true;
		ios_key_clear(&parser->key);
	}
}

/**
 * Leave the chain.
 */
static void end_chain(parser_t *parser)
{
	close_key(parser);
	parser->mode = MODE_TOP;
}

/**
 * Whether a named-key name is acceptable: printable ASCII without blanks.
 */
static bool valid_name(const token_t *name)
{
	size_t i;

	for (i = 0; i < name->len; i++)
	{
		if (name->ptr[i] <= 0x20 || name->ptr[i] >= 0x7f)
		{
			return false;
		}
	}
	return true;
}

/**
 * Take the name of a named-key.
 */
static void set_key_name(parser_t *parser, const line_t *line)
{
	const token_t *name = &line->tokens[1];
	char quoted[QUOTE_SIZE];

	snprintf(parser->label, sizeof(parser->label), "named-key %s",
			 quote_token(quoted, name));
	if (name->len > IOS_KEYCHAIN_MAX_NAME_LEN)
	{
		reject_key(parser, line->number, "named-key name is longer than %d "
				   "characters", IOS_KEYCHAIN_MAX_NAME_LEN);
		return;
	}
	if (!valid_name(name))
	{
		reject_key(parser, line->number, "invalid named-key name '%s': only "
				   "printable ASCII is allowed", quoted);
		return;
	}
	parser->key.name = copy_text(name->ptr, name->len);
	if (!parser->key.name)
	{
		parser->out_of_memory = true;
	}
}

/**
 * Take the address of an addressed-key, which is also its first address.
 */
static void set_key_address(parser_t *parser, const line_t *line)
{
	const token_t *token = &line->tokens[1];
	char quoted[QUOTE_SIZE], text[IOS_ADDRESS_TEXT_LEN];
	ios_address_t address;

	snprintf(parser->label, sizeof(parser->label), "addressed-key %s",
			 quote_token(quoted, token));
	if (!ios_address_parse(token->ptr, token->len, &address))
	{
		reject_key(parser, line->number, "invalid address '%s' in "
				   "addressed-key, expected IPv4 or IPv6", quoted);
		return;
	}
	add_address(parser, line, &address);
	if (ios_address_format(&address, text, sizeof(text)))
	{
		parser->key.name = copy_text(text, strlen(text));
		if (!parser->key.name)
		{
			parser->out_of_memory = true;
		}
	}
}

/**
 * Take the optional usage keyword behind a key's name.
 */
static void set_key_usage(parser_t *parser, const line_t *line)
{
	char quoted[QUOTE_SIZE];

	if (line->token_count < 3)
	{
		parser->key.usage = IOS_KEY_USAGE_GENERAL;
	}
	else if (token_is(&line->tokens[2], "encryption"))
	{
		parser->key.usage = IOS_KEY_USAGE_ENCRYPTION;
	}
	else if (token_is(&line->tokens[2], "signature"))
	{
		parser->key.usage = IOS_KEY_USAGE_SIGNATURE;
	}
	else
	{
		reject_key(parser, line->number, "unknown key usage '%s' for %s, "
				   "expected encryption or signature",
				   quote_token(quoted, &line->tokens[2]), parser->label);
	}
	if (line->token_count > 3)
	{
		reject_key(parser, line->number, "unexpected '%s' after %s",
				   quote_token(quoted, &line->tokens[3]), parser->label);
	}
}

/**
 * named-key NAME [encryption|signature]
 * addressed-key ADDRESS [encryption|signature]
 */
static void open_key(parser_t *parser, const line_t *line,
					 ios_key_kind_t kind)
{
	const char *command = kind == IOS_KEY_NAMED ? "named-key"
												: "addressed-key";

	close_key(parser);
	parser->in_key = true;
	parser->mode = MODE_KEY;
	parser->key = (ios_key_t){ .kind = kind, .line = line->number };
	parser->address_capacity = 0;
	parser->key_bad = false;
	parser->key_addresses_reported = false;
	parser->key_string_of_key = 0;
	snprintf(parser->label, sizeof(parser->label), "%s", command);

	if (line->token_count < 2)
	{
		reject_key(parser, line->number, "%s without a%s", command,
				   kind == IOS_KEY_NAMED ? " name" : "n address");
		return;
	}
	if (kind == IOS_KEY_NAMED)
	{
		set_key_name(parser, line);
	}
	else
	{
		set_key_address(parser, line);
	}
	set_key_usage(parser, line);
}

/**
 * address A.B.C.D|IPv6
 */
static void key_address(parser_t *parser, const line_t *line)
{
	char quoted[QUOTE_SIZE];
	ios_address_t address;

	if (line->token_count < 2)
	{
		reject_key(parser, line->number, "address without an address in %s",
				   parser->label);
		return;
	}
	if (line->token_count > 2)
	{
		reject_key(parser, line->number, "unexpected '%s' after address",
				   quote_token(quoted, &line->tokens[2]));
		return;
	}
	if (!ios_address_parse(line->tokens[1].ptr, line->tokens[1].len,
						   &address))
	{
		reject_key(parser, line->number, "invalid address '%s' in %s, "
				   "expected IPv4 or IPv6",
				   quote_token(quoted, &line->tokens[1]), parser->label);
		return;
	}
	add_address(parser, line, &address);
}

/**
 * Whether a serial number is acceptable: letters and digits. IOS writes
 * hex; letters beyond F are accepted too, as router serial numbers have
 * them.
 */
static bool valid_serial(const token_t *serial)
{
	size_t i;

	if (serial->len > IOS_KEYCHAIN_MAX_SERIAL_LEN)
	{
		return false;
	}
	for (i = 0; i < serial->len; i++)
	{
		char c = serial->ptr[i];

		if (!is_letter(c) && !(c >= '0' && c <= '9'))
		{
			return false;
		}
	}
	return true;
}

/**
 * serial-number SERIAL; a later one replaces an earlier one, as in IOS.
 */
static void key_serial(parser_t *parser, const line_t *line)
{
	char quoted[QUOTE_SIZE];

	if (line->token_count != 2)
	{
		reject_key(parser, line->number, line->token_count < 2 ?
				   "serial-number without a value in %s" :
				   "serial-number takes one value in %s", parser->label);
		return;
	}
	if (!valid_serial(&line->tokens[1]))
	{
		reject_key(parser, line->number, "invalid serial-number '%s' in %s, "
				   "expected up to %d letters and digits",
				   quote_token(quoted, &line->tokens[1]), parser->label,
				   IOS_KEYCHAIN_MAX_SERIAL_LEN);
		return;
	}
	free(parser->key.serial);
	parser->key.serial = copy_text(line->tokens[1].ptr, line->tokens[1].len);
	if (!parser->key.serial)
	{
		parser->out_of_memory = true;
	}
}

/**
 * Start reading key-string lines, for the open key or just to skip them.
 */
static void start_key_string(parser_t *parser, const line_t *line, bool kept)
{
	parser->mode = MODE_KEY_STRING;
	parser->key_string_line = line->number;
	parser->key_string_kept = kept;
	parser->key_string_bad = false;
	ios_hex_reset(&parser->hex);
	if (kept)
	{
		snprintf(parser->key_string_label, sizeof(parser->key_string_label),
				 "key-string of %s", parser->label);
	}
	else
	{
		snprintf(parser->key_string_label, sizeof(parser->key_string_label),
				 "key-string outside a key");
	}
}

/**
 * key-string, followed by hex lines and quit
 */
static void key_string(parser_t *parser, const line_t *line)
{
	char quoted[QUOTE_SIZE];

	if (line->token_count > 1)
	{
		reject_key(parser, line->number, "unexpected '%s' after key-string, "
				   "key data goes on the following lines",
				   quote_token(quoted, &line->tokens[1]));
	}
	if (parser->key_string_of_key)
	{
		reject_key(parser, line->number, "second key-string in %s, the "
				   "first is on line %u", parser->label,
				   parser->key_string_of_key);
	}
	parser->key_string_of_key = line->number;
	start_key_string(parser, line, true);
}

/**
 * Keep the DER of a complete key-string in the open key, if it holds an
 * acceptable RSA key.
 */
static void take_key_data(parser_t *parser)
{
	size_t len = parser->hex.digits / 2;
	ios_rsa_public_t rsa;
	char why[256];

	if (ios_rsa_spki_decode(parser->hex.bytes, len, &rsa, why,
							sizeof(why)) != IOS_RSA_OK ||
		ios_rsa_public_check(&rsa, why, sizeof(why)) != IOS_RSA_OK)
	{
		reject_key(parser, parser->key_string_line, "%s: %s",
				   parser->key_string_label, why);
		return;
	}
	parser->key.der = malloc(len);
	if (!parser->key.der)
	{
		parser->out_of_memory = true;
		return;
	}
	memcpy(parser->key.der, parser->hex.bytes, len);
	parser->key.der_len = len;
	/* point into our copy instead of the parser's buffer */
	rsa.modulus = parser->key.der + (rsa.modulus - parser->hex.bytes);
	rsa.exponent = parser->key.der + (rsa.exponent - parser->hex.bytes);
	parser->key.rsa = rsa;
}

/**
 * The quit line of a key-string.
 */
static void finish_key_string(parser_t *parser, const line_t *line)
{
	char quoted[QUOTE_SIZE];

	parser->mode = parser->in_key ? MODE_KEY : MODE_CHAIN;
	if (line->token_count > 1)
	{
		reject_key(parser, line->number, "unexpected '%s' after quit",
				   quote_token(quoted, &line->tokens[1]));
	}
	if (!parser->key_string_kept || parser->key_string_bad ||
		parser->key_bad)
	{
		return;
	}
	if (parser->hex.digits == 0)
	{
		reject_key(parser, parser->key_string_line, "%s is empty",
				   parser->key_string_label);
		return;
	}
	if (parser->hex.digits % 2)
	{
		reject_key(parser, parser->key_string_line, "%s has an odd number "
				   "of hex digits (%zu)", parser->key_string_label,
				   parser->hex.digits);
		return;
	}
	take_key_data(parser);
}

/**
 * A key-string was left without quit: the entry it belongs to is
 * incomplete.
 *
 * @param line			line that shows the key data ended, NULL at the end
 *						of the input
 */
static void key_string_without_quit(parser_t *parser, const line_t *line)
{
	char where[32];

	if (line)
	{
		snprintf(where, sizeof(where), "line %u", line->number);
	}
	else
	{
		snprintf(where, sizeof(where), "the end of the input");
	}
	report(parser, parser->key_string_line, "%s has no quit before %s",
		   parser->key_string_label, where);
	if (parser->key_string_kept)
	{
		parser->key_bad = true;
	}
	parser->mode = parser->in_key ? MODE_KEY : MODE_CHAIN;
}

/**
 * Whether a line inside a key-string is really a command, so that quit is
 * missing: a word starting with a letter that is no hex, either unindented
 * (a top-level command) or a command of the chain. Key data may be
 * unindented, as pasted text often is, and may start with A-F.
 */
static bool ends_key_string(const line_t *line)
{
	const token_t *first = &line->tokens[0];
	size_t i;

	if (!is_letter(first->ptr[0]))
	{
		return false;
	}
	for (i = 0; i < first->len && ios_hex_digit(first->ptr[i]) >= 0; i++)
	{
	}
	if (i == first->len)
	{
		return false;
	}
	return !line->indented || is_chain_command(line);
}

/**
 * A line while reading a key-string.
 *
 * @return				true if the line was taken, false if it ended the
 *						key-string and must be handled as a command
 */
static bool key_string_line(parser_t *parser, const line_t *line)
{
	char quoted[QUOTE_SIZE];
	size_t stop, column;

	if (line->len == 0 || line->text[0] == '!')
	{
		return true;
	}
	if (token_is(&line->tokens[0], "quit"))
	{
		finish_key_string(parser, line);
		return true;
	}
	if (ends_key_string(line))
	{
		key_string_without_quit(parser, line);
		return false;
	}
	/*
	 * one error per key-string and key entry, not one per line; data of a
	 * key-string outside a key was reported with its key-string line
	 */
	if (!parser->key_string_kept || parser->key_string_bad ||
		parser->key_bad)
	{
		return true;
	}
	switch (ios_hex_add_line(&parser->hex, line->text, line->len, &stop))
	{
		case IOS_HEX_OK:
			break;
		case IOS_HEX_NOT_HEX:
			column = (size_t)(line->text - line->raw) + stop + 1;
			report(parser, line->number, "non-hex character '%s' at column "
				   "%zu in %s", quote(quoted, &line->text[stop], 1), column,
				   parser->key_string_label);
			parser->key_string_bad = true;
			break;
		case IOS_HEX_TOO_LONG:
			report(parser, line->number, "%s is longer than %d hex digits",
				   parser->key_string_label, IOS_KEYCHAIN_MAX_HEX_DIGITS);
			parser->key_string_bad = true;
			break;
	}
	if (parser->key_string_bad && parser->key_string_kept)
	{
		parser->key_bad = true;
	}
	return true;
}

/**
 * address, serial-number and key-string need an open key.
 */
static void key_command(parser_t *parser, const line_t *line,
						void (*handler)(parser_t*, const line_t*))
{
	char quoted[QUOTE_SIZE];

	if (parser->in_key)
	{
		handler(parser, line);
		return;
	}
	report(parser, line->number, "%s outside a named-key or addressed-key",
		   quote_token(quoted, &line->tokens[0]));
	if (handler == key_string)
	{
		/* skip its key data rather than report every line of it */
		start_key_string(parser, line, false);
	}
}

/**
 * exit: leave the key, or the chain.
 */
static void exit_mode(parser_t *parser)
{
	if (parser->in_key)
	{
		close_key(parser);
	}
	else
	{
		end_chain(parser);
	}
}

/**
 * A command in the chain or in a key.
 */
static void run_command(parser_t *parser, const line_t *line)
{
	const token_t *command = &line->tokens[0];
	char quoted[QUOTE_SIZE];

	if (is_chain_start(line))
	{
		close_key(parser);
	}
	else if (token_is(command, "named-key"))
	{
		open_key(parser, line, IOS_KEY_NAMED);
	}
	else if (token_is(command, "addressed-key"))
	{
		open_key(parser, line, IOS_KEY_ADDRESSED);
	}
	else if (token_is(command, "address"))
	{
		key_command(parser, line, key_address);
	}
	else if (token_is(command, "serial-number"))
	{
		key_command(parser, line, key_serial);
	}
	else if (token_is(command, "key-string"))
	{
		key_command(parser, line, key_string);
	}
	else if (token_is(command, "exit"))
	{
		exit_mode(parser);
	}
	else if (token_is(command, "quit"))
	{
		report(parser, line->number, "quit outside a key-string");
	}
	else if (parser->in_key)
	{
		reject_key(parser, line->number, "unknown sub-command '%s' in %s",
				   quote_token(quoted, command), parser->label);
	}
	else
	{
		report(parser, line->number, "unknown command '%s' in crypto key "
			   "pubkey-chain rsa", quote_token(quoted, command));
	}
}

/**
 * One line of input.
 */
static void parse_line(parser_t *parser, const line_t *line)
{
	if (parser->mode == MODE_TOP)
	{
		if (is_chain_start(line))
		{
			parser->mode = MODE_CHAIN;
		}
		return;
	}
	if (parser->mode == MODE_KEY_STRING && key_string_line(parser, line))
	{
		return;
	}
	if (line->len == 0 || line->text[0] == '!')
	{
		return;
	}
	if (!line->indented && !is_chain_command(line))
	{
		end_chain(parser);
		return;
	}
	run_command(parser, line);
}

/**
 * The input ended: close what is open.
 */
static void parse_end(parser_t *parser)
{
	if (parser->mode == MODE_KEY_STRING)
	{
		key_string_without_quit(parser, NULL);
	}
	end_chain(parser);
}

int ios_keychain_parse(const char *text, size_t len, const char *filename,
					   ios_keychain_t **chain)
{
	size_t pos = 0, line_len;
	unsigned number = 0;
	const char *newline;
	parser_t *parser;
	line_t line;

	*chain = NULL;
	parser = calloc(1, sizeof(*parser));
	if (!parser)
	{
		return -1;
	}
	parser->builder = ios_keychain_builder_create(filename);
	if (!parser->builder)
	{
		free(parser);
		return -1;
	}
	while (pos < len && !parser->out_of_memory)
	{
		newline = memchr(text + pos, '\n', len - pos);
		line_len = newline ? (size_t)(newline - (text + pos)) : len - pos;
		if (number < UINT_MAX)
		{
			number++;
		}
		split_line(&line, text + pos, line_len, number);
		parse_line(parser, &line);
		pos += line_len + 1;
	}
	if (!parser->out_of_memory)
	{
		parse_end(parser);
	}
	ios_key_clear(&parser->key);
	if (parser->out_of_memory)
	{
		ios_keychain_builder_destroy(parser->builder);
		free(parser);
		return -1;
	}
	*chain = ios_keychain_builder_finish(parser->builder);
	free(parser);
	if (!*chain)
	{
		return -1;
	}
	return (*chain)->error_count > INT_MAX ? INT_MAX
										   : (int)(*chain)->error_count;
}
