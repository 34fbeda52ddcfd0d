/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "ios_keychain_loader.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include <collections/array.h>
#include <utils/debug.h>

/**
 * Files larger than this are not key chains; refuse them before reading.
 */
#define MAX_CHAIN_FILE_SIZE (16 * 1024 * 1024)

typedef struct private_ios_keychain_loader_t private_ios_keychain_loader_t;

/**
 * Private data of an ios_keychain_loader_t object.
 */
struct private_ios_keychain_loader_t {

	/**
	 * Public interface
	 */
	ios_keychain_loader_t public;

	/**
	 * Store to fill
	 */
	ios_keychain_store_t *store;
};

/**
 * Build the identity of an address of a key.
 */
static identification_t *address_id(ios_address_t *address)
{
	size_t len = address->family == IOS_ADDRESS_IPV4 ? 4 : 16;

	return identification_create_from_encoding(
					address->family == IOS_ADDRESS_IPV4 ? ID_IPV4_ADDR
														: ID_IPV6_ADDR,
					chunk_create(address->bytes, len));
}

/**
 * Turn a parsed key into a store entry bound to its identities: the name of
 * a named-key as FQDN, and every address.
 */
static ios_keychain_entry_t *entry_from_key(ios_key_t *key, char *file)
{
	ios_keychain_entry_t *entry;
	public_key_t *public;
	char origin[PATH_MAX + 16];
	size_t i;

	snprintf(origin, sizeof(origin), "%s:%u", file, key->line);
	public = lib->creds->create(lib->creds, CRED_PUBLIC_KEY, KEY_RSA,
					BUILD_RSA_MODULUS,
					chunk_create((u_char*)key->rsa.modulus, key->rsa.modulus_len),
					BUILD_RSA_PUB_EXP,
					chunk_create((u_char*)key->rsa.exponent, key->rsa.exponent_len),
					BUILD_END);
	if (!public)
	{
		DBG1(DBG_CFG, "%s: RSA key of '%s' not usable by charon (no RSA "
			 "plugin loaded?)", origin, key->name);
		return NULL;
	}
	entry = ios_keychain_entry_create(public, key->usage, origin);
	if (key->kind == IOS_KEY_NAMED)
	{
		entry->ids->insert_last(entry->ids,
				identification_create_from_encoding(ID_FQDN,
										chunk_from_str(key->name)));
	}
	for (i = 0; i < key->address_count; i++)
	{
		entry->ids->insert_last(entry->ids, address_id(&key->addresses[i]));
	}
	return entry;
}

/**
 * Parse one file; NULL if it could not be read at all.
 */
static ios_keychain_t *parse_file(char *file)
{
	ios_keychain_t *chain = NULL;
	struct stat st;
	chunk_t *text;

	if (stat(file, &st) != 0)
	{
		DBG1(DBG_CFG, "ios-keychain: cannot read '%s': %s", file,
			 strerror(errno));
		return NULL;
	}
	if (st.st_size > MAX_CHAIN_FILE_SIZE)
	{
		DBG1(DBG_CFG, "ios-keychain: '%s' is %jd bytes, more than a key "
			 "chain can be (%d); ignored", file, (intmax_t)st.st_size,
			 MAX_CHAIN_FILE_SIZE);
		return NULL;
	}
	text = chunk_map(file, FALSE);
	if (!text)
	{
		DBG1(DBG_CFG, "ios-keychain: cannot read '%s': %s", file,
			 strerror(errno));
		return NULL;
	}
	if (ios_keychain_parse((char*)text->ptr, text->len, file, &chain) < 0)
	{
		DBG1(DBG_CFG, "ios-keychain: out of memory parsing '%s'", file);
	}
	chunk_unmap(text);
	return chain;
}

/**
 * Load one file into the store; returns TRUE if it had no errors.
 */
static bool load_file(private_ios_keychain_loader_t *this, char *file)
{
	ios_keychain_counts_t counts;
	ios_keychain_t *chain;
	linked_list_t *entries;
	ios_keychain_entry_t *entry;
	size_t i;

	chain = parse_file(file);
	if (!chain)
	{
		DBG1(DBG_CFG, "ios-keychain: keys loaded from '%s' before stay in "
			 "service", file);
		return FALSE;
	}
	for (i = 0; i < chain->diagnostic_count; i++)
	{
		DBG1(DBG_CFG, "ios-keychain: %s", chain->diagnostics[i].text);
	}
	if (chain->error_count && !chain->key_count)
	{
		DBG1(DBG_CFG, "ios-keychain: no key loaded from '%s' (%zu errors), "
			 "keys loaded from it before stay in service", file,
			 chain->error_count);
		ios_keychain_free(chain);
		return FALSE;
	}
	entries = linked_list_create();
	for (i = 0; i < chain->key_count; i++)
	{
		entry = entry_from_key(&chain->keys[i], file);
		if (entry)
		{
			entries->insert_last(entries, entry);
		}
	}
	ios_keychain_count(chain, &counts);
	DBG1(DBG_CFG, "ios-keychain: loaded %d of %zu keys from '%s': %zu FQDN, "
		 "%zu IPv4, %zu IPv6 (%zu errors)", entries->get_count(entries),
		 chain->key_count, file, counts.named, counts.ipv4, counts.ipv6,
		 chain->error_count);
	this->store->replace(this->store, file, entries);
	i = chain->error_count;
	ios_keychain_free(chain);
	return i == 0;
}

static int compare_names(const void *a, const void *b, void *user)
{
	return strcmp(a, b);
}

/**
 * Files of a directory to read, sorted by name.
 */
static array_t *list_directory(char *dir)
{
	enumerator_t *enumerator;
	char *rel, *abs;
	struct stat st;
	array_t *files;
	size_t len;

	files = array_create(0, 0);
	enumerator = enumerator_create_directory(dir);
	if (!enumerator)
	{
		DBG1(DBG_CFG, "ios-keychain: cannot open directory '%s': %s", dir,
			 strerror(errno));
		return files;
	}
	while (enumerator->enumerate(enumerator, &rel, &abs, &st))
	{
		len = strlen(rel);
		if (!S_ISREG(st.st_mode) || rel[0] == '.' || rel[len - 1] == '~')
		{
			continue;
		}
		array_insert(files, ARRAY_TAIL, strdup(abs));
	}
	enumerator->destroy(enumerator);
	array_sort(files, compare_names, NULL);
	return files;
}

/**
 * Sources in the store that are not among the files any more.
 */
static void drop_vanished(private_ios_keychain_loader_t *this, array_t *files)
{
	enumerator_t *enumerator;
	linked_list_t *gone;
	char *source, *file;
	bool found;
	int i;

	gone = linked_list_create();
	enumerator = this->store->create_source_enumerator(this->store);
	while (enumerator->enumerate(enumerator, &source))
	{
		found = FALSE;
		for (i = 0; i < array_count(files) && !found; i++)
		{
			array_get(files, i, &file);
			found = streq(file, source);
		}
		if (!found)
		{
			gone->insert_last(gone, strdup(source));
		}
	}
	enumerator->destroy(enumerator);
	while (gone->remove_first(gone, (void**)&source) == SUCCESS)
	{
		DBG1(DBG_CFG, "ios-keychain: '%s' is gone, its keys are removed",
			 source);
		this->store->replace(this->store, source, NULL);
		free(source);
	}
	gone->destroy(gone);
}

/**
 * Add the files of one configured path (a file or a directory) to a list;
 * FALSE if it exists but cannot be read.
 */
static bool collect_files(char *path, array_t *files)
{
	struct stat st;
	array_t *found;
	char *file;

	if (stat(path, &st) != 0)
	{
		DBG1(DBG_CFG, "ios-keychain: no key chain at '%s': %s", path,
			 strerror(errno));
		return errno == ENOENT;
	}
	if (!S_ISDIR(st.st_mode))
	{
		array_insert(files, ARRAY_TAIL, strdup(path));
		return TRUE;
	}
	found = list_directory(path);
	while (array_remove(found, ARRAY_HEAD, &file))
	{
		array_insert(files, ARRAY_TAIL, file);
	}
	array_destroy(found);
	return TRUE;
}

METHOD(ios_keychain_loader_t, load, bool,
	private_ios_keychain_loader_t *this, char *paths)
{
	enumerator_t *enumerator;
	array_t *files;
	char *path, *file;
	bool ok = TRUE;
	int i;

	files = array_create(0, 0);
	enumerator = enumerator_create_token(paths, ",", " ");
	while (enumerator->enumerate(enumerator, &path))
	{
		ok = collect_files(path, files) && ok;
	}
	enumerator->destroy(enumerator);
	for (i = 0; i < array_count(files); i++)
	{
		array_get(files, i, &file);
		ok = load_file(this, file) && ok;
	}
	drop_vanished(this, files);
	DBG1(DBG_CFG, "ios-keychain: %u keys in service from '%s'",
		 this->store->get_key_count(this->store), paths);
	array_destroy_function(files, (void*)free, NULL);
	return ok;
}

METHOD(ios_keychain_loader_t, destroy, void,
	private_ios_keychain_loader_t *this)
{
	free(this);
}

/*
 * Described in header
 */
ios_keychain_loader_t *ios_keychain_loader_create(ios_keychain_store_t *store)
{
	private_ios_keychain_loader_t *this;

	INIT(this,
		.public = {
			.load = _load,
			.destroy = _destroy,
		},
		.store = store,
	);
	return &this->public;
}
