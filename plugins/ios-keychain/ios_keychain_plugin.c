/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "ios_keychain_plugin.h"
#include "ios_keychain_loader.h"
#include "ios_keychain_store.h"

#include <daemon.h>

#include "suite_version.h"

#define PLUGIN_NAME "ios-keychain"

/**
 * Where the chains live unless strongswan.conf says otherwise.
 */
/* the administrator's chains, then those zebra's ios_crypto module writes
 * from the router's running configuration */
#define DEFAULT_PATH "/etc/swanctl/pubkey-chain, /run/frr/ios-crypto/pubkey-chain"

typedef struct private_ios_keychain_plugin_t private_ios_keychain_plugin_t;

/**
 * Private data of the ios-keychain plugin
 */
struct private_ios_keychain_plugin_t {

	/**
	 * Public interface
	 */
	ios_keychain_plugin_t public;

	/**
	 * Keys of the chains, served as a credential set
	 */
	ios_keychain_store_t *store;

	/**
	 * Reads the chain files into the store
	 */
	ios_keychain_loader_t *loader;
};

METHOD(plugin_t, get_name, char*,
	private_ios_keychain_plugin_t *this)
{
	return PLUGIN_NAME;
}

/**
 * The configured file or directory, read anew on every (re)load.
 */
static char *chain_path()
{
	return lib->settings->get_str(lib->settings, "%s.plugins.%s.path",
								  DEFAULT_PATH, lib->ns, PLUGIN_NAME);
}

/**
 * Feature callback: the chains are loaded once the RSA public key
 * constructors exist, and served from then on.
 */
static bool register_keychain(private_ios_keychain_plugin_t *this,
							  plugin_feature_t *feature, bool reg, void *data)
{
	if (reg)
	{
		this->store = ios_keychain_store_create();
		this->loader = ios_keychain_loader_create(this->store);
		this->loader->load(this->loader, chain_path());
		lib->credmgr->add_set(lib->credmgr, &this->store->set);
		lib->set(lib, IOS_KEYCHAIN_STORE_NAME, this->store);
	}
	else
	{
		lib->set(lib, IOS_KEYCHAIN_STORE_NAME, NULL);
		lib->credmgr->remove_set(lib->credmgr, &this->store->set);
		this->loader->destroy(this->loader);
		this->store->destroy(this->store);
		this->loader = NULL;
		this->store = NULL;
	}
	return TRUE;
}

METHOD(plugin_t, get_features, int,
	private_ios_keychain_plugin_t *this, plugin_feature_t *features[])
{
	static plugin_feature_t f[] = {
		PLUGIN_CALLBACK((plugin_feature_callback_t)register_keychain, NULL),
			PLUGIN_PROVIDE(CUSTOM, PLUGIN_NAME),
				PLUGIN_DEPENDS(PUBKEY, KEY_RSA),
				PLUGIN_DEPENDS(CERT_DECODE, CERT_TRUSTED_PUBKEY),
	};
	*features = f;
	return countof(f);
}

METHOD(plugin_t, reload, bool,
	private_ios_keychain_plugin_t *this)
{
	if (!this->loader)
	{
		return FALSE;
	}
	DBG1(DBG_CFG, "ios-keychain: reloading '%s'", chain_path());
	this->loader->load(this->loader, chain_path());
	return TRUE;
}

METHOD(plugin_t, destroy, void,
	private_ios_keychain_plugin_t *this)
{
	free(this);
}

/**
 * Plugin constructor, see plugin.h
 */
plugin_t *ios_keychain_plugin_create()
{
	private_ios_keychain_plugin_t *this;

	if (!suite_version_check(PLUGIN_NAME))
	{
		return NULL;
	}

	INIT(this,
		.public = {
			.plugin = {
				.get_name = _get_name,
				.get_features = _get_features,
				.reload = _reload,
				.destroy = _destroy,
			},
		},
	);
	return &this->public.plugin;
}
