/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "ios_keychain_store.h"

#include <collections/array.h>
#include <collections/hashtable.h>
#include <credentials/certificates/certificate.h>
#include <threading/rwlock.h>
#include <utils/debug.h>

typedef struct private_ios_keychain_store_t private_ios_keychain_store_t;
typedef struct binding_t binding_t;

/**
 * Private data of an ios_keychain_store_t object.
 */
struct private_ios_keychain_store_t {

	/**
	 * Public interface
	 */
	ios_keychain_store_t public;

	/**
	 * Entries per source: char* -> linked_list_t* of ios_keychain_entry_t*
	 */
	hashtable_t *sources;

	/**
	 * Bindings per identity: identification_t* -> array_t* of binding_t*
	 */
	hashtable_t *by_id;

	/**
	 * All bindings, for lookups without a concrete identity
	 */
	linked_list_t *bindings;

	/**
	 * Number of keys
	 */
	u_int key_count;

	/**
	 * Lookups hold the read lock while they enumerate
	 */
	rwlock_t *lock;
};

/**
 * A key bound to one of its identities, as the trusted raw public key
 * charon verifies signatures with.
 */
struct binding_t {

	/** identity, owned by the entry */
	identification_t *id;

	/** trusted public key "certificate" with id as subject */
	certificate_t *cert;

	/** the key's entry */
	ios_keychain_entry_t *entry;
};

/**
 * Identity types that are looked up in the index. Anything else (a
 * wildcard, a DN) is matched against every binding.
 */
static bool is_indexed(identification_t *id)
{
	switch (id->get_type(id))
	{
		case ID_FQDN:
		case ID_IPV4_ADDR:
		case ID_IPV6_ADDR:
		case ID_KEY_ID:
			return !id->contains_wildcards(id);
		default:
			return FALSE;
	}
}

static u_int id_hash(const void *key)
{
	identification_t *id = (identification_t*)key;

	return id->hash(id, 0);
}

static bool id_equals(const void *key, const void *other)
{
	identification_t *id = (identification_t*)key;

	return id->equals(id, (identification_t*)other);
}

/**
 * Add a binding under an index key (an identity or a key fingerprint).
 */
static void index_binding(private_ios_keychain_store_t *this,
						  identification_t *key, binding_t *binding)
{
	array_t *list;

	list = this->by_id->get(this->by_id, key);
	if (!list)
	{
		list = array_create(0, 1);
		this->by_id->put(this->by_id, key, list);
	}
	array_insert(list, ARRAY_TAIL, binding);
}

/**
 * The key IDs charon may ask for (e.g. a peer that sends ID_KEY_ID).
 */
static linked_list_t *fingerprint_ids(public_key_t *key)
{
	linked_list_t *ids = linked_list_create();
	cred_encoding_type_t types[] = { KEYID_PUBKEY_SHA1, KEYID_PUBKEY_INFO_SHA1 };
	chunk_t fp;
	u_int i;

	for (i = 0; i < countof(types); i++)
	{
		if (key->get_fingerprint(key, types[i], &fp))
		{
			ids->insert_last(ids, identification_create_from_encoding(ID_KEY_ID, fp));
		}
	}
	return ids;
}

/**
 * Create a binding of an entry's key to one identity and index it.
 */
static binding_t *bind_identity(private_ios_keychain_store_t *this,
								ios_keychain_entry_t *entry,
								identification_t *id)
{
	binding_t *binding;

	INIT(binding,
		.id = id,
		.cert = lib->creds->create(lib->creds, CRED_CERTIFICATE,
								   CERT_TRUSTED_PUBKEY,
								   BUILD_PUBLIC_KEY, entry->key,
								   BUILD_SUBJECT, id, BUILD_END),
		.entry = entry,
	);
	if (!binding->cert)
	{
		DBG1(DBG_CFG, "ios-keychain: %s: cannot bind key to '%Y'",
			 entry->origin, id);
		free(binding);
		return NULL;
	}
	this->bindings->insert_last(this->bindings, binding);
	index_binding(this, id, binding);
	return binding;
}

/**
 * Bind an entry's key to each of its identities, and make it findable by
 * its key IDs too (through its first binding).
 */
static void add_entry(private_ios_keychain_store_t *this,
					  ios_keychain_entry_t *entry)
{
	enumerator_t *enumerator;
	identification_t *id;
	binding_t *binding, *first = NULL;
	linked_list_t *fps;

	enumerator = entry->ids->create_enumerator(entry->ids);
	while (enumerator->enumerate(enumerator, &id))
	{
		binding = bind_identity(this, entry, id);
		first = first ?: binding;
	}
	enumerator->destroy(enumerator);
	this->key_count++;
	if (!first)
	{
		return;
	}
	fps = fingerprint_ids(entry->key);
	while (fps->remove_first(fps, (void**)&id) == SUCCESS)
	{
		/* the entry owns the key ID like its other identities */
		entry->ids->insert_last(entry->ids, id);
		index_binding(this, id, first);
	}
	fps->destroy(fps);
}

/**
 * Remove the index entries of an entry's identities.
 */
static void unindex_entry(private_ios_keychain_store_t *this,
						  ios_keychain_entry_t *entry)
{
	enumerator_t *enumerator;
	identification_t *id;
	binding_t *indexed;
	array_t *list;
	int i;

	enumerator = entry->ids->create_enumerator(entry->ids);
	while (enumerator->enumerate(enumerator, &id))
	{
		list = this->by_id->get(this->by_id, id);
		if (!list)
		{
			continue;
		}
		for (i = array_count(list) - 1; i >= 0; i--)
		{
			array_get(list, i, &indexed);
			if (indexed->entry == entry)
			{
				array_remove(list, i, NULL);
			}
		}
		if (!array_count(list))
		{
			this->by_id->remove(this->by_id, id);
			array_destroy(list);
		}
	}
	enumerator->destroy(enumerator);
	this->key_count--;
}

/**
 * Destroy the bindings of a set of entries in one pass over all bindings.
 */
static void unbind_entries(private_ios_keychain_store_t *this,
						   hashtable_t *entries)
{
	enumerator_t *enumerator;
	binding_t *binding;

	enumerator = this->bindings->create_enumerator(this->bindings);
	while (enumerator->enumerate(enumerator, &binding))
	{
		if (entries->get(entries, binding->entry))
		{
			this->bindings->remove_at(this->bindings, enumerator);
			binding->cert->destroy(binding->cert);
			free(binding);
		}
	}
	enumerator->destroy(enumerator);
}

/*
 * Described in header
 */
ios_keychain_entry_t *ios_keychain_entry_create(public_key_t *key,
												ios_key_usage_t usage,
												const char *origin)
{
	ios_keychain_entry_t *entry;

	INIT(entry,
		.key = key,
		.usage = usage,
		.ids = linked_list_create(),
		.origin = strdup(origin),
	);
	return entry;
}

/*
 * Described in header
 */
void ios_keychain_entry_destroy(ios_keychain_entry_t *entry)
{
	entry->ids->destroy_offset(entry->ids,
							   offsetof(identification_t, destroy));
	entry->key->destroy(entry->key);
	free(entry->origin);
	free(entry);
}

/**
 * Drop the entries of a source; caller holds the write lock.
 */
static void drop_source(private_ios_keychain_store_t *this, const char *source)
{
	linked_list_t *entries;
	ios_keychain_entry_t *entry;
	hashtable_t *dropped;
	char *key = NULL;
	enumerator_t *enumerator;

	enumerator = this->sources->create_enumerator(this->sources);
	while (enumerator->enumerate(enumerator, &key, &entries))
	{
		if (streq(key, source))
		{
			this->sources->remove_at(this->sources, enumerator);
			break;
		}
		key = NULL;
	}
	enumerator->destroy(enumerator);
	if (!key)
	{
		return;
	}
	dropped = hashtable_create(hashtable_hash_ptr, hashtable_equals_ptr, 64);
	enumerator = entries->create_enumerator(entries);
	while (enumerator->enumerate(enumerator, &entry))
	{
		unindex_entry(this, entry);
		dropped->put(dropped, entry, entry);
	}
	enumerator->destroy(enumerator);
	unbind_entries(this, dropped);
	dropped->destroy(dropped);
	entries->destroy_function(entries, (void*)ios_keychain_entry_destroy);
	free(key);
}

METHOD(ios_keychain_store_t, replace, void,
	private_ios_keychain_store_t *this, const char *source,
	linked_list_t *entries)
{
	enumerator_t *enumerator;
	ios_keychain_entry_t *entry;

	this->lock->write_lock(this->lock);
	drop_source(this, source);
	if (entries && entries->get_count(entries))
	{
		enumerator = entries->create_enumerator(entries);
		while (enumerator->enumerate(enumerator, &entry))
		{
			add_entry(this, entry);
		}
		enumerator->destroy(enumerator);
		this->sources->put(this->sources, strdup(source), entries);
	}
	else if (entries)
	{
		entries->destroy(entries);
	}
	this->lock->unlock(this->lock);
}

/**
 * Data of a certificate lookup
 */
typedef struct {
	private_ios_keychain_store_t *this;
	certificate_type_t cert;
	key_type_t key;
	identification_t *id;
	/** only general purpose and encryption keys, else signature ones */
	bool encryption;
} lookup_t;

CALLBACK(lookup_destroy, void,
	lookup_t *lookup)
{
	lookup->this->lock->unlock(lookup->this->lock);
	free(lookup);
}

/**
 * Whether a binding fits a lookup; the caller checked cert and key type.
 */
static bool binding_fits(lookup_t *lookup, binding_t *binding)
{
	ios_key_usage_t unwanted;

	unwanted = lookup->encryption ? IOS_KEY_USAGE_SIGNATURE
								  : IOS_KEY_USAGE_ENCRYPTION;
	if (binding->entry->usage == unwanted)
	{
		return FALSE;
	}
	return !lookup->id || is_indexed(lookup->id) ||
		   binding->cert->has_subject(binding->cert, lookup->id);
}

/**
 * Yields the binding's certificate (credential set lookups) or its public
 * key (rsa-encr lookups), whichever the lookup is for.
 */
CALLBACK(binding_filter, bool,
	lookup_t *lookup, enumerator_t *orig, va_list args)
{
	binding_t *binding;
	void **out;

	VA_ARGS_VGET(args, out);

	while (orig->enumerate(orig, &binding))
	{
		if (binding_fits(lookup, binding))
		{
			*out = lookup->encryption ? (void*)binding->entry->key
									  : (void*)binding->cert;
			return TRUE;
		}
	}
	return FALSE;
}

/**
 * Bindings to look at for an identity: one hash bucket for a concrete
 * identity, all of them otherwise. Caller holds the read lock.
 */
static enumerator_t *candidates(private_ios_keychain_store_t *this,
								identification_t *id)
{
	array_t *list;

	if (id && is_indexed(id))
	{
		list = this->by_id->get(this->by_id, id);
		return list ? array_create_enumerator(list) : enumerator_create_empty();
	}
	return this->bindings->create_enumerator(this->bindings);
}

static lookup_t *lookup_create(private_ios_keychain_store_t *this,
							   identification_t *id, bool encryption)
{
	lookup_t *lookup;

	INIT(lookup,
		.this = this,
		.id = id,
		.encryption = encryption,
	);
	return lookup;
}

METHOD(credential_set_t, create_cert_enumerator, enumerator_t*,
	private_ios_keychain_store_t *this, certificate_type_t cert,
	key_type_t key, identification_t *id, bool trusted)
{
	if ((cert != CERT_ANY && cert != CERT_TRUSTED_PUBKEY) ||
		(key != KEY_ANY && key != KEY_RSA))
	{
		return enumerator_create_empty();
	}
	this->lock->read_lock(this->lock);
	return enumerator_create_filter(candidates(this, id), binding_filter,
									lookup_create(this, id, FALSE),
									lookup_destroy);
}

METHOD(ios_keychain_store_t, create_encryption_key_enumerator, enumerator_t*,
	private_ios_keychain_store_t *this, identification_t *id)
{
	this->lock->read_lock(this->lock);
	return enumerator_create_filter(candidates(this, id), binding_filter,
									lookup_create(this, id, TRUE),
									lookup_destroy);
}

CALLBACK(source_filter, bool,
	void *data, enumerator_t *orig, va_list args)
{
	linked_list_t *entries;
	char *source, **out;

	VA_ARGS_VGET(args, out);

	if (orig->enumerate(orig, &source, &entries))
	{
		*out = source;
		return TRUE;
	}
	return FALSE;
}

CALLBACK(unlock_store, void,
	private_ios_keychain_store_t *this)
{
	this->lock->unlock(this->lock);
}

METHOD(ios_keychain_store_t, create_source_enumerator, enumerator_t*,
	private_ios_keychain_store_t *this)
{
	this->lock->read_lock(this->lock);
	return enumerator_create_filter(
						this->sources->create_enumerator(this->sources),
						source_filter, this, unlock_store);
}

METHOD(ios_keychain_store_t, get_key_count, u_int,
	private_ios_keychain_store_t *this)
{
	u_int count;

	this->lock->read_lock(this->lock);
	count = this->key_count;
	this->lock->unlock(this->lock);
	return count;
}

METHOD(ios_keychain_store_t, destroy, void,
	private_ios_keychain_store_t *this)
{
	enumerator_t *enumerator;
	linked_list_t *entries;
	array_t *list;
	char *source;
	identification_t *id;
	ios_keychain_entry_t *entry;
	binding_t *binding;

	enumerator = this->by_id->create_enumerator(this->by_id);
	while (enumerator->enumerate(enumerator, &id, &list))
	{
		array_destroy(list);
	}
	enumerator->destroy(enumerator);
	this->by_id->destroy(this->by_id);

	while (this->bindings->remove_first(this->bindings,
										(void**)&binding) == SUCCESS)
	{
		binding->cert->destroy(binding->cert);
		free(binding);
	}
	this->bindings->destroy(this->bindings);

	enumerator = this->sources->create_enumerator(this->sources);
	while (enumerator->enumerate(enumerator, &source, &entries))
	{
		while (entries->remove_first(entries, (void**)&entry) == SUCCESS)
		{
			ios_keychain_entry_destroy(entry);
		}
		entries->destroy(entries);
		free(source);
	}
	enumerator->destroy(enumerator);
	this->sources->destroy(this->sources);
	this->lock->destroy(this->lock);
	free(this);
}

/*
 * Described in header
 */
ios_keychain_store_t *ios_keychain_store_create()
{
	private_ios_keychain_store_t *this;

	INIT(this,
		.public = {
			.set = {
				.create_private_enumerator = (void*)return_null,
				.create_cert_enumerator = _create_cert_enumerator,
				.create_shared_enumerator = (void*)return_null,
				.create_cdp_enumerator = (void*)return_null,
				.cache_cert = (void*)nop,
			},
			.replace = _replace,
			.create_source_enumerator = _create_source_enumerator,
			.create_encryption_key_enumerator = _create_encryption_key_enumerator,
			.get_key_count = _get_key_count,
			.destroy = _destroy,
		},
		.sources = hashtable_create(hashtable_hash_str, hashtable_equals_str, 8),
		.by_id = hashtable_create(id_hash, id_equals, 1024),
		.bindings = linked_list_create(),
		.lock = rwlock_create(RWLOCK_TYPE_DEFAULT),
	);
	return &this->public;
}
