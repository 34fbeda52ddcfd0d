/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "rsa_encr_config.h"

#include "ios_keychain_store.h"

#include <errno.h>
#include <sys/stat.h>

#include <collections/hashtable.h>
#include <threading/rwlock.h>

/**
 * The settings section of the plugin
 */
#define SETTINGS "%s.plugins.rsa-encr"

/**
 * Where zebra's ios_crypto module marks the connections it generates from
 * the router's running configuration (same syntax as strongswan.conf)
 */
#define DEFAULT_ROUTER_MARKS "/run/frr/ios-crypto/rsa-encr.conf"

/**
 * A marked connection
 */
typedef struct {
	/** connection name */
	char *name;
	/** 4 or 5 */
	int method;
	/** send HASH(1) as initiator */
	bool send_hash1;
} conn_mark_t;

/**
 * Marks read from the settings (char* -> conn_mark_t*), NULL if not loaded:
 * charon looks connections up often during an exchange (every candidate
 * of its config selection), one hash lookup each is cheap.
 */
static hashtable_t *marks;

/**
 * Protects marks
 */
static rwlock_t *marks_lock;

static void conn_mark_destroy(conn_mark_t *mark)
{
	free(mark->name);
	free(mark);
}

/**
 * The method in some settings for a connection name
 */
static int settings_method(settings_t *settings, char *name)
{
	int method;

	method = settings->get_int(settings, SETTINGS ".connections.%s", 0,
							   lib->ns, name);
	if (!method)
	{
		method = settings->get_int(settings, SETTINGS ".connections.%s.method",
								   0, lib->ns, name);
	}
	return method;
}

/**
 * Whether to send HASH(1) for a connection name, from some settings
 */
static bool settings_send_hash1(settings_t *settings, char *name)
{
	bool global;

	global = lib->settings->get_bool(lib->settings, SETTINGS ".send_hash1",
									 FALSE, lib->ns);
	return settings->get_bool(settings, SETTINGS ".connections.%s.send_hash1",
							  global, lib->ns, name);
}

/**
 * Add the mark of a connection name to a table
 */
static void add_mark(hashtable_t *table, settings_t *settings, char *name)
{
	conn_mark_t *mark;

	if (table->get(table, name) || strchr(name, '.'))
	{
		return;
	}
	INIT(mark,
		.name = strdup(name),
		.method = settings_method(settings, name),
		.send_hash1 = settings_send_hash1(settings, name),
	);
	switch (mark->method)
	{
		case RSA_ENCR_METHOD_ENC:
		case RSA_ENCR_METHOD_ENC_REV:
			table->put(table, mark->name, mark);
			break;
		default:
			DBG1(DBG_CFG, "connection '%s' is marked with rsa-encr method %s, "
				 "only 4 (RSA encryption) and 5 (revised) exist, ignored",
				 name, settings->get_str(settings, SETTINGS ".connections.%s",
										 "?", lib->ns, name));
			conn_mark_destroy(mark);
			break;
	}
}

/**
 * Add the marks of some settings to a table (the first mark of a name wins)
 */
static void add_marks(hashtable_t *table, settings_t *settings)
{
	enumerator_t *enumerator;
	char *name, *value;

	enumerator = settings->create_key_value_enumerator(settings,
										SETTINGS ".connections", lib->ns);
	while (enumerator->enumerate(enumerator, &name, &value))
	{
		add_mark(table, settings, name);
	}
	enumerator->destroy(enumerator);
	enumerator = settings->create_section_enumerator(settings,
										SETTINGS ".connections", lib->ns);
	while (enumerator->enumerate(enumerator, &name))
	{
		add_mark(table, settings, name);
	}
	enumerator->destroy(enumerator);
}

/**
 * The router's marks file, NULL if there is none or it is not safe: only
 * its owner may write it (a mark decides how peers authenticate)
 */
static settings_t *open_router_marks(char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
	{
		if (errno != ENOENT)
		{
			DBG1(DBG_CFG, "rsa-encr: cannot read '%s': %s", path,
				 strerror(errno));
		}
		return NULL;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH))
	{
		DBG1(DBG_CFG, "rsa-encr: '%s' is writable by others than its owner, "
			 "its marks are ignored", path);
		return NULL;
	}
	return settings_create(path);
}

/*
 * Described in header
 */
void rsa_encr_config_load()
{
	enumerator_t *enumerator;
	hashtable_t *table, *old;
	settings_t *router;
	char *name, *path;
	conn_mark_t *mark;
	u_int count[RSA_ENCR_METHOD_ENC_REV + 1] = {};

	table = hashtable_create(hashtable_hash_str, hashtable_equals_str, 32);
	add_marks(table, lib->settings);
	path = lib->settings->get_str(lib->settings, SETTINGS ".router_marks",
								  DEFAULT_ROUTER_MARKS, lib->ns);
	router = path && *path ? open_router_marks(path) : NULL;
	if (router)
	{
		add_marks(table, router);
		router->destroy(router);
	}

	enumerator = table->create_enumerator(table);
	while (enumerator->enumerate(enumerator, &name, &mark))
	{
		count[mark->method]++;
	}
	enumerator->destroy(enumerator);
	DBG1(DBG_CFG, "rsa-encr: %u connections marked for RSA encryption (4), "
		 "%u for the revised mode (5)", count[RSA_ENCR_METHOD_ENC],
		 count[RSA_ENCR_METHOD_ENC_REV]);

	if (!marks_lock)
	{
		marks_lock = rwlock_create(RWLOCK_TYPE_DEFAULT);
	}
	marks_lock->write_lock(marks_lock);
	old = marks;
	marks = table;
	marks_lock->unlock(marks_lock);
	if (old)
	{
		old->destroy_function(old, (void*)conn_mark_destroy);
	}
}

/*
 * Described in header
 */
void rsa_encr_config_unload()
{
	if (marks_lock)
	{
		marks_lock->write_lock(marks_lock);
		if (marks)
		{
			marks->destroy_function(marks, (void*)conn_mark_destroy);
			marks = NULL;
		}
		marks_lock->unlock(marks_lock);
		marks_lock->destroy(marks_lock);
		marks_lock = NULL;
	}
}

/**
 * Look a mark up, FALSE if the marks are not loaded
 */
static bool get_mark(char *name, int *method, bool *send_hash1)
{
	conn_mark_t *mark;
	bool loaded = FALSE;

	if (marks_lock)
	{
		marks_lock->read_lock(marks_lock);
		if (marks)
		{
			loaded = TRUE;
			mark = marks->get(marks, name);
			*method = mark ? mark->method : 0;
			*send_hash1 = mark ? mark->send_hash1 : FALSE;
		}
		marks_lock->unlock(marks_lock);
	}
	return loaded;
}

/*
 * Described in header
 */
int rsa_encr_config_get_method(peer_cfg_t *peer_cfg)
{
	char *name = peer_cfg->get_name(peer_cfg);
	bool send_hash1;
	int method;

	/* a dot would be taken as a section separator */
	if (!name || strchr(name, '.'))
	{
		return 0;
	}
	if (get_mark(name, &method, &send_hash1))
	{
		return method;
	}
	method = settings_method(lib->settings, name);
	return method == RSA_ENCR_METHOD_ENC || method == RSA_ENCR_METHOD_ENC_REV
			? method : 0;
}

/*
 * Described in header
 */
bool rsa_encr_config_send_hash1(peer_cfg_t *peer_cfg)
{
	char *name = peer_cfg->get_name(peer_cfg);
	bool send_hash1;
	int method;

	if (get_mark(name, &method, &send_hash1))
	{
		return send_hash1;
	}
	return settings_send_hash1(lib->settings, name);
}

/**
 * Whether one side of a connection authenticates with a PSK in a single
 * round, as charon's PSK Main Mode requires.
 */
static bool psk_only(peer_cfg_t *peer_cfg, bool local)
{
	enumerator_t *enumerator;
	auth_cfg_t *auth;
	int rounds = 0;
	bool psk = FALSE;

	enumerator = peer_cfg->create_auth_cfg_enumerator(peer_cfg, local);
	while (enumerator->enumerate(enumerator, &auth))
	{
		if (rounds++ == 0)
		{
			psk = (uintptr_t)auth->get(auth, AUTH_RULE_AUTH_CLASS) ==
															AUTH_CLASS_PSK;
		}
	}
	enumerator->destroy(enumerator);
	return psk && rounds == 1;
}

/*
 * Described in header
 */
bool rsa_encr_config_check(peer_cfg_t *peer_cfg)
{
	char *name = peer_cfg->get_name(peer_cfg);

	if (peer_cfg->get_ike_version(peer_cfg) != IKEV1)
	{
		DBG1(DBG_CFG, "connection '%s' is marked rsa-encr, but is not IKEv1",
			 name);
		return FALSE;
	}
	if (peer_cfg->use_aggressive(peer_cfg))
	{
		DBG1(DBG_CFG, "connection '%s' is marked rsa-encr, but uses "
			 "Aggressive Mode; rsa-encr is implemented for Main Mode", name);
		return FALSE;
	}
	if (!psk_only(peer_cfg, TRUE) || !psk_only(peer_cfg, FALSE))
	{
		DBG1(DBG_CFG, "connection '%s' is marked rsa-encr, but does not "
			 "say auth = psk (one round) in its local and remote sections",
			 name);
		return FALSE;
	}
	return TRUE;
}

/**
 * Data of a config enumerator
 */
typedef struct {
	int method;
} marked_filter_t;

CALLBACK(marked_filter, bool,
	marked_filter_t *data, enumerator_t *orig, va_list args)
{
	peer_cfg_t *peer_cfg, **out;

	VA_ARGS_VGET(args, out);

	while (orig->enumerate(orig, &peer_cfg))
	{
		if (rsa_encr_config_get_method(peer_cfg) == data->method &&
			rsa_encr_config_check(peer_cfg))
		{
			*out = peer_cfg;
			return TRUE;
		}
	}
	return FALSE;
}

/*
 * Described in header
 */
enumerator_t *rsa_encr_config_create_peer_cfg_enumerator(host_t *me,
							host_t *other, identification_t *other_id,
							int method)
{
	marked_filter_t *data;

	INIT(data,
		.method = method,
	);
	return enumerator_create_filter(
				charon->backends->create_peer_cfg_enumerator(charon->backends,
											me, other, NULL, other_id, IKEV1),
				marked_filter, data, free);
}

/**
 * First auth config of a side of a connection
 */
static auth_cfg_t *first_auth_cfg(peer_cfg_t *peer_cfg, bool local)
{
	enumerator_t *enumerator;
	auth_cfg_t *auth = NULL;

	enumerator = peer_cfg->create_auth_cfg_enumerator(peer_cfg, local);
	enumerator->enumerate(enumerator, &auth);
	enumerator->destroy(enumerator);
	return auth;
}

/*
 * Described in header
 */
identification_t *rsa_encr_config_my_id(peer_cfg_t *peer_cfg, host_t *me)
{
	identification_t *id = NULL;
	auth_cfg_t *auth;

	auth = first_auth_cfg(peer_cfg, TRUE);
	if (auth)
	{
		id = auth->get(auth, AUTH_RULE_IDENTITY);
	}
	if ((!id || id->get_type(id) == ID_ANY) && !me->is_anyaddr(me))
	{
		return identification_create_from_sockaddr(me->get_sockaddr(me));
	}
	return id ? id->clone(id) : NULL;
}

/*
 * Described in header
 */
private_key_t *rsa_encr_config_private_key(peer_cfg_t *peer_cfg,
										   identification_t *my_id)
{
	private_key_t *private;
	auth_cfg_t *auth;

	/* the credential manager merges trust chains into the auth config it
	 * gets, never hand it the shared one of the connection */
	auth = first_auth_cfg(peer_cfg, TRUE);
	auth = auth ? auth->clone(auth) : NULL;
	private = lib->credmgr->get_private(lib->credmgr, KEY_RSA, my_id, auth);
	DESTROY_IF(auth);
	return private;
}

/*
 * Described in header
 */
identification_t *rsa_encr_config_peer_lookup_id(peer_cfg_t *peer_cfg,
												 host_t *other)
{
	identification_t *id = NULL;
	auth_cfg_t *auth;

	auth = first_auth_cfg(peer_cfg, FALSE);
	if (auth)
	{
		id = auth->get(auth, AUTH_RULE_IDENTITY);
	}
	if (id && id->get_type(id) != ID_ANY && !id->contains_wildcards(id))
	{
		return id->clone(id);
	}
	return identification_create_from_sockaddr(other->get_sockaddr(other));
}

/**
 * The store of the ios-keychain plugin, if loaded
 */
static ios_keychain_store_t *get_store()
{
	ios_keychain_store_t *store;

	store = lib->get(lib, IOS_KEYCHAIN_STORE_NAME);
	if (!store)
	{
		DBG1(DBG_CFG, "peer keys for rsa-encr come from IOS key chains, but "
			 "the ios-keychain plugin is not loaded");
	}
	return store;
}

/*
 * Described in header
 */
public_key_t *rsa_encr_config_peer_key(identification_t *id)
{
	ios_keychain_store_t *store;
	enumerator_t *enumerator;
	public_key_t *key, *found = NULL;

	store = get_store();
	if (!store)
	{
		return NULL;
	}
	enumerator = store->create_encryption_key_enumerator(store, id);
	while (enumerator->enumerate(enumerator, &key))
	{
		if (key->get_type(key) == KEY_RSA)
		{
			found = key->get_ref(key);
			break;
		}
	}
	enumerator->destroy(enumerator);
	return found;
}

/*
 * Described in header
 */
bool rsa_encr_config_key_bound(public_key_t *key, identification_t *id)
{
	ios_keychain_store_t *store;
	enumerator_t *enumerator;
	public_key_t *current;
	bool bound = FALSE;

	store = get_store();
	if (!store)
	{
		return FALSE;
	}
	enumerator = store->create_encryption_key_enumerator(store, id);
	while (enumerator->enumerate(enumerator, &current))
	{
		if (current->equals(current, key))
		{
			bound = TRUE;
			break;
		}
	}
	enumerator->destroy(enumerator);
	return bound;
}
