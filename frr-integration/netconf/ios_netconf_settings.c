// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The NETCONF server's configuration file (default
 * /etc/frr/ios-netconf.conf): where it listens, its SSH host key, and the
 * users allowed in, each with an OpenSSH authorized_keys file. Nobody else
 * gets in: there is no anonymous access and no password authentication.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include "ios_netconf.h"

#define SETTINGS_LINE_MAX 4096

static void settings_error(char *err, size_t err_len, const char *path,
			   unsigned line, const char *what)
{
	if (line)
		snprintf(err, err_len, "%s:%u: %s", path, line, what);
	else
		snprintf(err, err_len, "%s: %s", path, what);
}

/* one "type base64 [comment]" line, options in front are not supported */
static bool authorized_key_parse(char *line, ssh_key *key)
{
	char *saveptr = NULL;
	char *type = strtok_r(line, " \t", &saveptr);
	char *base64 = strtok_r(NULL, " \t", &saveptr);
	enum ssh_keytypes_e keytype;

	if (!type || !base64)
		return false;
	keytype = ssh_key_type_from_name(type);
	if (keytype == SSH_KEYTYPE_UNKNOWN)
		return false;
	return ssh_pki_import_pubkey_base64(base64, keytype, key) == SSH_OK;
}

static bool user_keys_load(struct ios_nc_user *user, const char *keys_path,
			   char *err, size_t err_len)
{
	char line[SETTINGS_LINE_MAX];
	unsigned lineno = 0;
	FILE *file = fopen(keys_path, "r");

	if (!file) {
		snprintf(err, err_len, "%s: %s", keys_path, strerror(errno));
		return false;
	}
	while (fgets(line, sizeof(line), file)) {
		char *text = line + strspn(line, " \t");
		ssh_key key = NULL;

		lineno++;
		text[strcspn(text, "\r\n")] = '\0';
		if (!*text || *text == '#')
			continue;
		if (!authorized_key_parse(text, &key)) {
			settings_error(err, err_len, keys_path, lineno,
				       "not an OpenSSH public key line (TYPE BASE64 [COMMENT])");
			fclose(file);
			return false;
		}
		user->keys = XREALLOC(MTYPE_TMP, user->keys,
				      (user->key_count + 1) * sizeof(ssh_key));
		user->keys[user->key_count++] = key;
	}
	fclose(file);
	return true;
}

static bool settings_line(struct ios_nc_settings *settings, char *text,
			  char *why, size_t why_len)
{
	char *saveptr = NULL;
	char *keyword = strtok_r(text, " \t", &saveptr);
	char *arg1 = strtok_r(NULL, " \t", &saveptr);
	char *arg2 = strtok_r(NULL, " \t", &saveptr);
	char *extra = strtok_r(NULL, " \t", &saveptr);

	if (!arg1 || extra) {
		snprintf(why, why_len, "'%s': wrong number of arguments",
			 keyword);
		return false;
	}
	if (strmatch(keyword, "listen")) {
		unsigned long port = IOS_NC_DEFAULT_PORT;
		char *end = NULL;

		if (arg2) {
			port = strtoul(arg2, &end, 10);
			if (*end || port == 0 || port > 65535) {
				snprintf(why, why_len, "invalid port '%s'",
					 arg2);
				return false;
			}
		}
		XFREE(MTYPE_TMP, settings->address);
		settings->address = XSTRDUP(MTYPE_TMP, arg1);
		settings->port = port;
		return true;
	}
	if (strmatch(keyword, "host-key") && !arg2) {
		XFREE(MTYPE_TMP, settings->host_key);
		settings->host_key = XSTRDUP(MTYPE_TMP, arg1);
		return true;
	}
	if (strmatch(keyword, "user") && arg2) {
		struct ios_nc_user *user;

		settings->users = XREALLOC(MTYPE_TMP, settings->users,
					   (settings->user_count + 1)
						   * sizeof(*user));
		user = &settings->users[settings->user_count++];
		memset(user, 0, sizeof(*user));
		user->name = XSTRDUP(MTYPE_TMP, arg1);
		return user_keys_load(user, arg2, why, why_len);
	}
	snprintf(why, why_len,
		 "unknown line (expected: listen ADDRESS [PORT], host-key PATH, user NAME AUTHORIZED_KEYS)");
	return false;
}

bool ios_nc_settings_load(struct ios_nc_settings *settings, const char *path,
			  char *err, size_t err_len)
{
	char line[SETTINGS_LINE_MAX];
	unsigned lineno = 0;
	FILE *file;

	memset(settings, 0, sizeof(*settings));
	settings->path = XSTRDUP(MTYPE_TMP, path);
	settings->address = XSTRDUP(MTYPE_TMP, IOS_NC_DEFAULT_ADDRESS);
	settings->port = IOS_NC_DEFAULT_PORT;

	file = fopen(path, "r");
	if (!file) {
		settings_error(err, err_len, path, 0, strerror(errno));
		return false;
	}
	while (fgets(line, sizeof(line), file)) {
		char why[512];
		char *text = line + strspn(line, " \t");

		lineno++;
		text[strcspn(text, "\r\n")] = '\0';
		if (!*text || *text == '#')
			continue;
		if (!settings_line(settings, text, why, sizeof(why))) {
			settings_error(err, err_len, path, lineno, why);
			fclose(file);
			return false;
		}
	}
	fclose(file);
	if (!settings->host_key) {
		settings_error(err, err_len, path, 0, "no host-key line");
		return false;
	}
	if (access(settings->host_key, R_OK)) {
		snprintf(err, err_len, "%s: host key %s: %s", path,
			 settings->host_key, strerror(errno));
		return false;
	}
	if (!settings->user_count) {
		settings_error(err, err_len, path, 0,
			       "no user line: nobody could log in");
		return false;
	}
	return true;
}

void ios_nc_settings_free(struct ios_nc_settings *settings)
{
	for (size_t i = 0; i < settings->user_count; i++) {
		struct ios_nc_user *user = &settings->users[i];

		for (size_t k = 0; k < user->key_count; k++)
			ssh_key_free(user->keys[k]);
		XFREE(MTYPE_TMP, user->keys);
		XFREE(MTYPE_TMP, user->name);
	}
	XFREE(MTYPE_TMP, settings->users);
	XFREE(MTYPE_TMP, settings->path);
	XFREE(MTYPE_TMP, settings->address);
	XFREE(MTYPE_TMP, settings->host_key);
	memset(settings, 0, sizeof(*settings));
}

bool ios_nc_settings_authorized(const struct ios_nc_settings *settings,
				const char *user, const ssh_key key)
{
	if (!user)
		return false;
	for (size_t i = 0; i < settings->user_count; i++) {
		const struct ios_nc_user *entry = &settings->users[i];

		if (!strmatch(entry->name, user))
			continue;
		for (size_t k = 0; k < entry->key_count; k++)
			if (!ssh_key_cmp(entry->keys[k], key,
					 SSH_KEY_CMP_PUBLIC))
				return true;
	}
	return false;
}
