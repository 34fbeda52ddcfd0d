/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/**
 * @defgroup ios_keychain_loader ios_keychain_loader
 * @{ @ingroup ios_keychain
 */

#ifndef IOS_KEYCHAIN_LOADER_H_
#define IOS_KEYCHAIN_LOADER_H_

#include "ios_keychain_store.h"

typedef struct ios_keychain_loader_t ios_keychain_loader_t;

/**
 * Loads IOS key chain files into a store, and reloads them on request.
 *
 * The configured path is a comma separated list of files and directories
 * (the administrator's chains, and those the router's zebra module writes
 * from its running configuration); in a directory every
 * regular file not starting with '.' and not ending in '~' is read, in
 * name order. A bad entry is reported with file:line and skipped, the rest
 * of its file loads. A file that cannot be read, or that yields errors and
 * no key at all, leaves the keys loaded from it before in service.
 */
struct ios_keychain_loader_t {

	/**
	 * (Re)load all files below the paths.
	 *
	 * @param paths		files or directories with the chains, separated by
	 *					commas
	 * @return			TRUE if every file loaded without error
	 */
	bool (*load)(ios_keychain_loader_t *this, char *paths);

	/**
	 * Destroy the loader (not the store).
	 */
	void (*destroy)(ios_keychain_loader_t *this);
};

/**
 * Create a loader filling a store.
 *
 * @param store		store to fill
 * @return			loader
 */
ios_keychain_loader_t *ios_keychain_loader_create(ios_keychain_store_t *store);

#endif /** IOS_KEYCHAIN_LOADER_H_ @}*/
