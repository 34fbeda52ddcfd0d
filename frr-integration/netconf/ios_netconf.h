// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NETCONF server of ios-ipsec-suite inside zebra (zebra_ios_netconf.so).
 *
 * Two threads, two libyang contexts:
 * - the NETCONF thread (ios_netconf_server.c) runs libnetconf2: SSH,
 *   framing, sessions, and every tree it handles lives in a libyang
 *   context of its own (libnetconf2 keeps its RPC callbacks in
 *   lysc_node->priv, which FRR uses for its northbound nodes);
 * - zebra's main thread owns FRR's northbound, the one datastore
 *   (ios_netconf_datastore.c). The NETCONF thread asks it for data and
 *   edits through ios_nc_call_main(), and data crosses between the two
 *   contexts as XML text.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#ifndef IOS_NETCONF_H
#define IOS_NETCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libyang/libyang.h>
#include <libssh/libssh.h>

#include "memory.h"

DECLARE_MGROUP(IOS_NETCONF);

struct thread_master;

#define IOS_NC_MODULE "ios-ipsec-suite"
#define IOS_NC_TOP_XPATH "/ios-ipsec-suite:ios"
#define IOS_NC_DEFAULT_CONFIG "/etc/frr/ios-netconf.conf"
#define IOS_NC_DEFAULT_ADDRESS "127.0.0.1"
#define IOS_NC_DEFAULT_PORT 830

/* --- settings (ios_netconf_settings.c) --------------------------------- */

struct ios_nc_user {
	char *name;
	/* the public keys of the user's authorized_keys file */
	ssh_key *keys;
	size_t key_count;
};

struct ios_nc_settings {
	char *path;
	char *address;
	uint16_t port;
	char *host_key;
	struct ios_nc_user *users;
	size_t user_count;
};

/*
 * Read the server's configuration file (format: doc/netconf.md):
 *   listen ADDRESS [PORT]
 *   host-key PATH
 *   user NAME AUTHORIZED_KEYS_PATH
 * Returns false with a message naming file and line in err.
 */
bool ios_nc_settings_load(struct ios_nc_settings *settings, const char *path,
			  char *err, size_t err_len);
void ios_nc_settings_free(struct ios_nc_settings *settings);

/* Whether user may log in with key (one of the user's authorized keys). */
bool ios_nc_settings_authorized(const struct ios_nc_settings *settings,
				const char *user, const ssh_key key);

/* --- calls into zebra's main thread (ios_netconf_main.c) --------------- */

/* Run fn(arg) on zebra's main thread and wait for it; false if zebra stops. */
bool ios_nc_call_main(void (*fn)(void *arg), void *arg);
void ios_nc_main_init(struct thread_master *master);
/* wake up and refuse every waiting and later call: zebra stops */
void ios_nc_main_stop(void);

/* --- the datastore: FRR's northbound (ios_netconf_datastore.c) --------- */

enum ios_nc_ds {
	IOS_NC_DS_RUNNING,
	IOS_NC_DS_CANDIDATE,
};

/* An error for an <rpc-error>: NC_ERR tag, error-path, message. */
struct ios_nc_error {
	int tag;
	char path[1024];
	char message[1024];
	char app_tag[64];
};

/*
 * The data path a libyang error names: in the error's path, or, for
 * parser errors, as 'Data location "PATH"' in its message. False if none.
 */
static inline bool ios_nc_ly_error_path(const struct ly_err_item *item,
					char *path, size_t size)
{
	const char *sources[] = { item->path, item->msg };

	for (size_t i = 0; i < 2; i++) {
		const char *text = sources[i], *start, *end;

		if (!text)
			continue;
		if (text[0] == '/') {
			snprintf(path, size, "%s", text);
			return true;
		}
		start = strstr(text, "ata location \"");
		if (!start)
			continue;
		start += strlen("ata location \"");
		end = strchr(start, '"');
		if (!end)
			continue;
		snprintf(path, size, "%.*s", (int)(end - start), start);
		return true;
	}
	return false;
}

/* One NETCONF session as the datastore knows it (lock owner, user). */
struct ios_nc_client {
	uint32_t session_id;
	char username[64];
};

/*
 * Each request below is made by the NETCONF thread and runs on the main
 * thread. XML strings are malloc()ed; the caller frees them.
 */
struct ios_nc_request {
	enum ios_nc_ds ds;
	struct ios_nc_client *client;
	/* in: new content of the model's subtree (load, validate) */
	const char *xml_in;
	/* out: the datastore's configuration, or operational state */
	char *xml_out;
	/* out: whether the request succeeded; err says why not */
	bool ok;
	struct ios_nc_error err;
};

void ios_nc_ds_get_config(void *request);
void ios_nc_ds_get_state(void *request);
/* replace the model's subtree of ds by xml_in (running: commit at once) */
void ios_nc_ds_load(void *request);
void ios_nc_ds_commit(void *request);
void ios_nc_ds_discard(void *request);
/* validate ds, or xml_in if given */
void ios_nc_ds_validate(void *request);
void ios_nc_ds_lock(void *request);
void ios_nc_ds_unlock(void *request);
/* the session ended: release its locks (and its candidate changes) */
void ios_nc_ds_client_gone(void *request);

void ios_nc_ds_init(void);
void ios_nc_ds_fini(void);

/* --- edit-config semantics (ios_netconf_edit.c) ------------------------ */

enum ios_nc_edit_op {
	IOS_NC_OP_MERGE,
	IOS_NC_OP_REPLACE,
	IOS_NC_OP_CREATE,
	IOS_NC_OP_DELETE,
	IOS_NC_OP_REMOVE,
	IOS_NC_OP_NONE,
};

/*
 * Apply an <edit-config> <config> tree to target (both in the NETCONF
 * context, target being the configuration of the datastore): nodes carry
 * their operation as ietf-netconf:operation metadata, default_op applies
 * where none is given (RFC 6241 7.2). On error the target may be partly
 * changed (the caller drops it) and err names the node.
 */
bool ios_nc_edit_apply(struct lyd_node **target, const struct lyd_node *edit,
		       enum ios_nc_edit_op default_op,
		       struct ios_nc_error *err);
bool ios_nc_edit_op_parse(const char *name, enum ios_nc_edit_op *op);
/* opaque nodes (leaves without a valid value) only under delete/remove */
bool ios_nc_edit_check(const struct lyd_node *edit,
		       enum ios_nc_edit_op default_op);

/* --- subtree filters (ios_netconf_filter.c) ---------------------------- */

/*
 * The part of data that an RFC 6241 6 subtree filter selects; filter is
 * the content of <filter type="subtree"> (opaque nodes). *result is NULL
 * if nothing matches.
 */
bool ios_nc_filter_subtree(const struct lyd_node *data,
			   const struct lyd_node *filter,
			   struct lyd_node **result);

/* --- notifications (ios_netconf_notif.c) ------------------------------- */

/* An event for the subscribed sessions, queued by the main thread. */
struct ios_nc_event {
	struct ios_nc_event *next;
	/* "tunnel-state-change" or "sa-state-change" */
	const char *name;
	time_t when;
	/* leaf name/value pairs of the notification, in schema order */
	size_t leaf_count;
	struct {
		const char *leaf;
		char value[128];
	} leaves[6];
};

void ios_nc_notif_init(void);
void ios_nc_notif_fini(void);
/* take all queued events (NETCONF thread) */
struct ios_nc_event *ios_nc_notif_take(void);
void ios_nc_notif_free(struct ios_nc_event *events);
/* whether notifications should be queued: a session has subscribed */
void ios_nc_notif_set_listening(bool listening);

/* --- the server (ios_netconf_server.c, in ios_netconf_server.so) ------- */

/*
 * The module loads the server library with RTLD_DEEPBIND and finds this
 * table in it (IOS_NC_SERVER_API): see ios_netconf_server.c for why.
 */
struct ios_nc_server_api {
	/*
	 * Read the configuration file and listen (from the module's init:
	 * binding port 830 needs privileges zebra drops later).
	 */
	bool (*listen)(const char *config_path);
	/* serve the model (its YANG text): from the event loop, after fork */
	bool (*start)(const char *model_yang);
	/* stop serving, close the sockets, forget the settings */
	void (*stop)(void);
};

#define IOS_NC_SERVER_LIBRARY "ios_netconf_server.so"
#define IOS_NC_SERVER_API "ios_nc_server_api"

#endif /* IOS_NETCONF_H */
