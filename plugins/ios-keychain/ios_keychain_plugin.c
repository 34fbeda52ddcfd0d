/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "ios_keychain_plugin.h"

#include <daemon.h>

#include "suite_version.h"

#define PLUGIN_NAME "ios-keychain"

typedef struct private_ios_keychain_plugin_t private_ios_keychain_plugin_t;

/**
 * Private data of the ios-keychain plugin
 */
struct private_ios_keychain_plugin_t {

	/**
	 * Public interface
	 */
	ios_keychain_plugin_t public;
};

METHOD(plugin_t, get_name, char*,
	private_ios_keychain_plugin_t *this)
{
	return PLUGIN_NAME;
}

/**
 * Feature callback: the chain is loaded once charon's credential manager
 * and the public key decoders exist.
 */
static bool register_keychain(private_ios_keychain_plugin_t *this,
							  plugin_feature_t *feature, bool reg, void *data)
{
	DBG2(DBG_CFG, "%s: %sregistered", PLUGIN_NAME, reg ? "" : "un");
	return TRUE;
}

METHOD(plugin_t, get_features, int,
	private_ios_keychain_plugin_t *this, plugin_feature_t *features[])
{
	static plugin_feature_t f[] = {
		PLUGIN_CALLBACK((plugin_feature_callback_t)register_keychain, NULL),
			PLUGIN_PROVIDE(CUSTOM, PLUGIN_NAME),
				PLUGIN_SDEPEND(PUBKEY, KEY_RSA),
	};
	*features = f;
	return countof(f);
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
				.reload = (void*)return_false,
				.destroy = _destroy,
			},
		},
	);
	return &this->public.plugin;
}
