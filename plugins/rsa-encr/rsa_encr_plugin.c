/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "rsa_encr_plugin.h"
#include "rsa_encr_config.h"
#include "rsa_encr_creds.h"
#include "rsa_encr_exchange.h"
#include "rsa_encr_keymat.h"
#include "rsa_encr_translator.h"

#include <daemon.h>
#include <sa/keymat.h>

#include "suite_version.h"

#define PLUGIN_NAME "rsa-encr"

typedef struct private_rsa_encr_plugin_t private_rsa_encr_plugin_t;

/**
 * Private data of the rsa-encr plugin
 */
struct private_rsa_encr_plugin_t {

	/**
	 * Public interface
	 */
	rsa_encr_plugin_t public;

	/**
	 * Message translator and authorization check
	 */
	rsa_encr_translator_t *translator;

	/**
	 * Stand-in PSK for rsa-encr IKE_SAs
	 */
	rsa_encr_creds_t *creds;
};

METHOD(plugin_t, get_name, char*,
	private_rsa_encr_plugin_t *this)
{
	return PLUGIN_NAME;
}

/**
 * Feature callback: hook into charon once RSA encryption is available.
 */
static bool register_rsa_encr(private_rsa_encr_plugin_t *this,
							  plugin_feature_t *feature, bool reg, void *data)
{
	if (reg)
	{
		rsa_encr_config_load();
		rsa_encr_exchange_init();
		this->translator = rsa_encr_translator_create();
		this->creds = rsa_encr_creds_create();
		/* one slot for all: a plugin registering after us replaces us,
		 * and rsa_encr_keymat_get_exchange() then finds no exchange */
		keymat_register_constructor(IKEV1, rsa_encr_keymat_create);
		lib->credmgr->add_set(lib->credmgr, &this->creds->set);
		charon->bus->add_listener(charon->bus, &this->translator->listener);
	}
	else
	{
		charon->bus->remove_listener(charon->bus, &this->translator->listener);
		lib->credmgr->remove_set(lib->credmgr, &this->creds->set);
		keymat_register_constructor(IKEV1, NULL);
		this->translator->destroy(this->translator);
		this->creds->destroy(this->creds);
		this->translator = NULL;
		this->creds = NULL;
		rsa_encr_exchange_deinit();
		rsa_encr_config_unload();
	}
	return TRUE;
}

METHOD(plugin_t, get_features, int,
	private_rsa_encr_plugin_t *this, plugin_feature_t *features[])
{
	static plugin_feature_t f[] = {
		PLUGIN_CALLBACK((plugin_feature_callback_t)register_rsa_encr, NULL),
			PLUGIN_PROVIDE(CUSTOM, PLUGIN_NAME),
				PLUGIN_DEPENDS(PRIVKEY_DECRYPT, ENCRYPT_RSA_PKCS1),
				PLUGIN_DEPENDS(PUBKEY_ENCRYPT, ENCRYPT_RSA_PKCS1),
				PLUGIN_SDEPEND(CUSTOM, "ios-keychain"),
	};
	*features = f;
	return countof(f);
}

METHOD(plugin_t, reload, bool,
	private_rsa_encr_plugin_t *this)
{
	if (!this->translator)
	{
		return FALSE;
	}
	rsa_encr_config_load();
	return TRUE;
}

METHOD(plugin_t, destroy, void,
	private_rsa_encr_plugin_t *this)
{
	free(this);
}

/**
 * Plugin constructor, see plugin.h
 */
plugin_t *rsa_encr_plugin_create()
{
	private_rsa_encr_plugin_t *this;

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
