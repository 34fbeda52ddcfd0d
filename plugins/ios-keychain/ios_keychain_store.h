/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/**
 * @defgroup ios_keychain_store ios_keychain_store
 * @{ @ingroup ios_keychain
 */

#ifndef IOS_KEYCHAIN_STORE_H_
#define IOS_KEYCHAIN_STORE_H_

#include <library.h>
#include <credentials/credential_set.h>
#include <collections/linked_list.h>

#include "ios_keychain.h"

typedef struct ios_keychain_store_t ios_keychain_store_t;
typedef struct ios_keychain_entry_t ios_keychain_entry_t;

/**
 * Name under which the plugin registers the store with lib->set(), so the
 * rsa-encr plugin finds the peers' encryption keys.
 */
#define IOS_KEYCHAIN_STORE_NAME "ios-keychain-store"

/**
 * One key of a chain, bound to its identities.
 */
struct ios_keychain_entry_t {

	/** the RSA public key */
	public_key_t *key;

	/** general purpose, encryption or signature key */
	ios_key_usage_t usage;

	/** identities of the key (identification_t*): name and addresses */
	linked_list_t *ids;

	/** where the key was configured, "file:line" */
	char *origin;
};

/**
 * Keys of IOS public key chains, grouped by the source they came from and
 * indexed by identity.
 *
 * As a credential set it serves charon a trusted raw public key for each
 * identity of every general purpose or signature key (RSA signatures).
 * Encryption keys are never offered there: they are only for rsa-encr,
 * which asks for them with create_encryption_key_enumerator().
 *
 * Lookups by a concrete identity (FQDN, IPv4, IPv6, key ID) are hash
 * lookups, so they do not get slower with the number of keys.
 */
struct ios_keychain_store_t {

	/**
	 * Implements credential_set_t.
	 */
	credential_set_t set;

	/**
	 * Replace all keys of a source by new ones.
	 *
	 * @param source	name of the source, e.g. a file name
	 * @param entries	new entries (ios_keychain_entry_t*), adopted with
	 *					the list; NULL or empty to remove the source
	 */
	void (*replace)(ios_keychain_store_t *this, const char *source,
					linked_list_t *entries);

	/**
	 * Names of the sources that currently have keys.
	 *
	 * @return			enumerator over char*, holds a read lock
	 */
	enumerator_t *(*create_source_enumerator)(ios_keychain_store_t *this);

	/**
	 * Enumerate the keys a peer may be sent encrypted data with
	 * (rsa-encr): general purpose and encryption keys bound to an
	 * identity.
	 *
	 * @param id		identity of the peer
	 * @return			enumerator over public_key_t*, holds a read lock
	 */
	enumerator_t *(*create_encryption_key_enumerator)(ios_keychain_store_t *this,
													  identification_t *id);

	/**
	 * Number of keys in the store.
	 *
	 * @return			number of keys
	 */
	u_int (*get_key_count)(ios_keychain_store_t *this);

	/**
	 * Destroy the store and all keys.
	 */
	void (*destroy)(ios_keychain_store_t *this);
};

/**
 * Create an empty store.
 *
 * @return			store
 */
ios_keychain_store_t *ios_keychain_store_create();

/**
 * Create an entry for a key; identities are added to entry->ids.
 *
 * @param key		public key, adopted
 * @param usage		usage of the key
 * @param origin	"file:line" of the key, copied
 * @return			entry
 */
ios_keychain_entry_t *ios_keychain_entry_create(public_key_t *key,
												ios_key_usage_t usage,
												const char *origin);

/**
 * Destroy an entry that was not handed to a store.
 *
 * @param entry		entry to destroy
 */
void ios_keychain_entry_destroy(ios_keychain_entry_t *entry);

#endif /** IOS_KEYCHAIN_STORE_H_ @}*/
