// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * show crypto key pubkey-chain rsa [name NAME | address A.B.C.D] [json]
 *
 * The peers' public keys of "crypto key pubkey-chain rsa" as IOS shows
 * them: without arguments the summary table (IOS 12.x/15.x)
 *
 *   Codes: M - Manually configured, C - Extracted from certificate
 *
 *   Code Usage        IP-Address/VRF  Keyring   Name
 *   M    General      20.1.1.2        default   102.cisco.com
 *
 * and with a name or an address every matching key in detail, its data
 * formatted by lib/ios-keychain (the one formatter of IOS key data).
 * Every key here was typed in (code M); the suite has one keyring.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include "command.h"
#include "json.h"
#include "vty.h"

/* vtysh's extract.pl preprocesses this file with FRR's include path only */
#ifndef VTYSH_EXTRACT_PL
#include "frr-integration/zebra/ios_crypto_config.h"
#include "frr-integration/zebra/ios_crypto_nb.h"
#endif

#define CRYPTO_STR "Encryption and security information\n"

#ifndef VTYSH_EXTRACT_PL
#include "frr-integration/zebra/ios_crypto_show_pubkey_clippy.c"
#endif

#define KEYRING "default"

/* which keys a detail request names */
struct pubkey_filter {
	const char *name;
	bool has_address;
	ios_address_t address;
};

static const char *usage_column(ios_key_usage_t usage)
{
	switch (usage) {
	case IOS_KEY_USAGE_ENCRYPTION:
		return "Encrypt";
	case IOS_KEY_USAGE_SIGNATURE:
		return "Signing";
	case IOS_KEY_USAGE_GENERAL:
		break;
	}
	return "General";
}

static const char *usage_detail(ios_key_usage_t usage)
{
	switch (usage) {
	case IOS_KEY_USAGE_ENCRYPTION:
		return "Encryption Key";
	case IOS_KEY_USAGE_SIGNATURE:
		return "Signature Key";
	case IOS_KEY_USAGE_GENERAL:
		break;
	}
	return "General Purpose Key";
}

static const char *usage_json(ios_key_usage_t usage)
{
	switch (usage) {
	case IOS_KEY_USAGE_ENCRYPTION:
		return "encryption";
	case IOS_KEY_USAGE_SIGNATURE:
		return "signature";
	case IOS_KEY_USAGE_GENERAL:
		break;
	}
	return "general";
}

/* the address an IOS table shows for a key, "" if it has none */
static const char *key_address(const struct ios_pubkey *key, char *buf,
			       size_t size)
{
	buf[0] = '\0';
	if (key->kind == IOS_KEY_ADDRESSED)
		strlcpy(buf, key->name, size);
	else if (key->address_count)
		ios_address_format(&key->addresses[0], buf, size);
	return buf;
}

static bool key_matches(const struct ios_pubkey *key,
			const struct pubkey_filter *f)
{
	ios_address_t own;

	if (f->name)
		return key->kind == IOS_KEY_NAMED &&
		       strcasecmp(key->name, f->name) == 0;
	if (!f->has_address)
		return true;
	if (key->kind == IOS_KEY_ADDRESSED &&
	    ios_address_parse(key->name, strlen(key->name), &own) &&
	    ios_address_equals(&own, &f->address))
		return true;
	for (size_t i = 0; i < key->address_count; i++)
		if (ios_address_equals(&key->addresses[i], &f->address))
			return true;
	return false;
}

/* the key data as lib/ios-keychain formats it; NULL if there is none */
static char *key_data(const struct ios_pubkey *key)
{
	return key->der ? ios_keychain_format_hex(key->der, key->der_len)
			: NULL;
}

static void show_row(struct vty *vty, const struct ios_pubkey *key)
{
	char addr[IOS_ADDRESS_TEXT_LEN];

	vty_out(vty, "%-4s %-12s %-15s %-9s %s\n", "M",
		usage_column(key->usage), key_address(key, addr, sizeof(addr)),
		KEYRING, key->kind == IOS_KEY_NAMED ? key->name : "");
}

static void show_detail(struct vty *vty, const struct ios_pubkey *key)
{
	char addr[IOS_ADDRESS_TEXT_LEN];
	char *data = key_data(key);

	if (key->kind == IOS_KEY_NAMED)
		vty_out(vty, "Key name: %s\n", key->name);
	else
		vty_out(vty, "Key address: %s\n", key->name);
	for (size_t i = 0; i < key->address_count; i++) {
		ios_address_format(&key->addresses[i], addr, sizeof(addr));
		if (key->kind == IOS_KEY_NAMED || strcmp(addr, key->name))
			vty_out(vty, "Key address: %s\n", addr);
	}
	vty_out(vty, "Usage: %s\n", usage_detail(key->usage));
	vty_out(vty, "Source: Manually entered\n");
	vty_out(vty, "Data:\n%s", data ? data : "");
	free(data);
}

static json_object *key_json(const struct ios_pubkey *key)
{
	json_object *o = json_object_new_object();
	json_object *addresses = json_object_new_array();
	char addr[IOS_ADDRESS_TEXT_LEN];
	char *data = key_data(key);

	json_object_string_add(o, "code", "M");
	json_object_string_add(o, "kind",
			       key->kind == IOS_KEY_NAMED ? "named-key"
							  : "addressed-key");
	json_object_string_add(
		o, key->kind == IOS_KEY_NAMED ? "name" : "keyAddress",
		key->name);
	json_object_string_add(o, "usage", usage_json(key->usage));
	for (size_t i = 0; i < key->address_count; i++) {
		ios_address_format(&key->addresses[i], addr, sizeof(addr));
		json_object_array_add(addresses, json_object_new_string(addr));
	}
	json_object_object_add(o, "addresses", addresses);
	json_object_string_add(o, "keyring", KEYRING);
	json_object_string_add(o, "source", "manual");
	if (key->serial[0])
		json_object_string_add(o, "serialNumber", key->serial);
	if (data) {
		/* the IOS groups without blanks and line breaks */
		char *in, *out;

		for (in = out = data; *in; in++)
			if (!isspace((unsigned char)*in))
				*out++ = *in;
		*out = '\0';
		json_object_int_add(o, "bits", key->bits);
		json_object_string_add(o, "data", data);
	}
	free(data);
	return o;
}

DEFPY (show_crypto_key_pubkey_chain_rsa,
       show_crypto_key_pubkey_chain_rsa_cmd,
       "show crypto key pubkey-chain rsa [<name WORD$name|address A.B.C.D$address>] [json]$json",
       SHOW_STR
       CRYPTO_STR
       "Show long term public keys\n"
       "Peer public key chain\n"
       "Peer RSA public key chain\n"
       "Show the keys of a peer name\n"
       "Name of the peer (FQDN)\n"
       "Show the keys of a peer address\n"
       "IP address of the peer\n"
       JSON_STR)
{
	struct pubkey_filter f = { .name = name };
	const struct ios_pubkey *key;
	json_object *obj = NULL, *list = NULL;
	bool detail = name || address_str;
	unsigned found = 0;

	if (address_str) {
		f.has_address = true;
		ios_address_parse(address_str, strlen(address_str), &f.address);
	}
	if (json) {
		obj = json_object_new_object();
		list = json_object_new_array();
		json_object_object_add(obj, "keys", list);
	} else if (!detail) {
		vty_out(vty,
			"Codes: M - Manually configured, C - Extracted from certificate\n\n");
		vty_out(vty, "%-4s %-12s %-15s %-9s %s\n", "Code", "Usage",
			"IP-Address/VRF", "Keyring", "Name");
	}
	frr_each (ios_pubkeys_const, &ios_crypto_cfg.pubkeys, key) {
		if (!key_matches(key, &f))
			continue;
		if (json)
			json_object_array_add(list, key_json(key));
		else if (!detail)
			show_row(vty, key);
		else {
			if (found)
				vty_out(vty, "\n");
			show_detail(vty, key);
		}
		found++;
	}
	if (detail && !found) {
		char msg[160];

		if (name)
			snprintf(msg, sizeof(msg),
				 "No public key named %s in crypto key pubkey-chain rsa",
				 name);
		else
			snprintf(msg, sizeof(msg),
				 "No public key with address %s in crypto key pubkey-chain rsa",
				 address_str);
		if (json) {
			json_object_string_add(obj, "error", msg);
			vty_json(vty, obj);
		} else
			vty_out(vty, "%% %s\n", msg);
		return CMD_WARNING;
	}
	if (json)
		return vty_json(vty, obj);
	return CMD_SUCCESS;
}

void ios_crypto_show_pubkey_init(void)
{
	install_element(VIEW_NODE, &show_crypto_key_pubkey_chain_rsa_cmd);
}
