// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The NETCONF thread: libnetconf2 accepts SSH connections (public keys of
 * the configured users only), frames messages (RFC 6242), parses RPCs in
 * its own libyang context and calls rpc_dispatch(), which answers from
 * FRR's northbound through the main thread. Subscribed sessions get the
 * model's notifications queued by ios_netconf_notif.c.
 *
 * This file is built into a library of its own, ios_netconf_server.so,
 * which zebra_ios_netconf.so loads with RTLD_DEEPBIND and which is not
 * linked with libfrr: libfrr exports its own SHA256_Init/_Update/_Final,
 * and in zebra's global symbol scope they replace OpenSSL's for every
 * caller, OpenSSL's own sha256 digest included - libssh then computes
 * wrong exchange hashes and no SSH key exchange succeeds. With deep
 * binding, libssh's and libcrypto's lookups search this library's own
 * dependencies (OpenSSL) before zebra's global scope.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include <pthread.h>
#include <stdatomic.h>

#define NC_ENABLED_SSH
#include <nc_server.h>

#include "frr_pthread.h"
#include "lib_errors.h"
#include "log.h"

#include "ios_netconf.h"
#include "ios_netconf_yang.h"

DEFINE_MTYPE_STATIC(IOS_NETCONF, IOS_NC_CLIENT, "NETCONF session");

#define ENDPOINT "ssh"
/* how long the thread blocks in one poll: bounds the notification delay */
#define POLL_MS 50

static struct ly_ctx *nc_ctx;
static struct ios_nc_settings server_settings, *settings = &server_settings;
static struct frr_pthread *server_thread;
static atomic_bool server_stopping;
static struct nc_pollsession *poll_sessions;

/* --- the NETCONF context ------------------------------------------------ */

static LY_ERR yang_import(const char *mod_name, const char *mod_rev,
			  const char *submod_name, const char *submod_rev,
			  void *user_data, LYS_INFORMAT *format,
			  const char **module_data,
			  ly_module_imp_data_free_clb *free_module_data)
{
	const struct ios_nc_yang *yang;

	if (submod_name)
		return LY_ENOTFOUND;
	for (yang = ios_nc_yang_modules; yang->name; yang++) {
		if (!strmatch(yang->name, mod_name))
			continue;
		if (mod_rev && !strmatch(yang->revision, mod_rev))
			continue;
		*format = LYS_IN_YANG;
		*module_data = yang->text;
		*free_module_data = NULL;
		return LY_SUCCESS;
	}
	return LY_ENOTFOUND;
}

static bool context_create(void)
{
	static const char *netconf_features[] = { "writable-running",
						  "candidate", "validate",
						  NULL };

	if (ly_ctx_new(NULL, LY_CTX_DISABLE_SEARCHDIRS, &nc_ctx)) {
		flog_err(EC_LIB_LIBYANG, "netconf: cannot create a context");
		return false;
	}
	ly_ctx_set_module_imp_clb(nc_ctx, yang_import, NULL);
	if (!ly_ctx_load_module(nc_ctx, "ietf-netconf", NULL, netconf_features)
	    || !ly_ctx_load_module(nc_ctx, "ietf-netconf-monitoring", NULL,
				   NULL)
	    || !ly_ctx_load_module(nc_ctx, "notifications", NULL, NULL)) {
		flog_err(EC_LIB_LIBYANG,
			 "netconf: cannot load the NETCONF modules: %s",
			 ly_errmsg(nc_ctx));
		ly_ctx_destroy(nc_ctx);
		nc_ctx = NULL;
		return false;
	}
	return true;
}

/*
 * Add the model to a context libnetconf2 already uses: should libyang
 * recompile the schema, the callback nc_server_init() left in the schema
 * node of <close-session> must survive. Its <get-schema> callback is not
 * used: with it (restored here like that of <close-session>), from the
 * second <get-schema> of a server on the replies held freed memory
 * (libyang: 'Value "..." was not found in the dictionary', bytes that are
 * no UTF-8 in the reply; the cause was not traced further).
 * rpc_get_schema() answers instead.
 */
static bool context_add_model(const char *model_yang)
{
	static const char *const rpcs[] = {
		"/ietf-netconf:close-session",
	};
	void *callbacks[array_size(rpcs)];
	struct lysc_node *node;

	for (size_t i = 0; i < array_size(rpcs); i++) {
		node = (struct lysc_node *)lys_find_path(nc_ctx, NULL, rpcs[i],
							 0);
		callbacks[i] = node ? node->priv : NULL;
	}
	if (lys_parse_mem(nc_ctx, model_yang, LYS_IN_YANG, NULL)) {
		flog_err(EC_LIB_LIBYANG, "netconf: cannot load %s: %s",
			 IOS_NC_MODULE, ly_errmsg(nc_ctx));
		return false;
	}
	for (size_t i = 0; i < array_size(rpcs); i++) {
		node = (struct lysc_node *)lys_find_path(nc_ctx, NULL, rpcs[i],
							 0);
		if (node && !node->priv)
			node->priv = callbacks[i];
	}
	/* <get-schema> goes to rpc_dispatch() */
	node = (struct lysc_node *)lys_find_path(
		nc_ctx, NULL, "/ietf-netconf-monitoring:get-schema", 0);
	if (node)
		node->priv = NULL;
	return true;
}

/* --- replies ------------------------------------------------------------ */

static struct nc_server_reply *reply_error(const struct ios_nc_error *err)
{
	struct lyd_node *node;

	switch (err->tag) {
	case NC_ERR_LOCK_DENIED:
		node = nc_err(nc_ctx, NC_ERR_LOCK_DENIED, (uint32_t)0);
		break;
	case NC_ERR_DATA_EXISTS:
	case NC_ERR_DATA_MISSING:
		node = nc_err(nc_ctx, err->tag);
		break;
	case NC_ERR_IN_USE:
	case NC_ERR_INVALID_VALUE:
	case NC_ERR_OP_NOT_SUPPORTED:
	case NC_ERR_RES_DENIED:
		node = nc_err(nc_ctx, err->tag, NC_ERR_TYPE_APP);
		break;
	default:
		node = nc_err(nc_ctx, NC_ERR_OP_FAILED, NC_ERR_TYPE_APP);
		break;
	}
	if (err->message[0])
		nc_err_set_msg(node, err->message, "en");
	if (err->path[0])
		nc_err_set_path(node, err->path);
	if (err->app_tag[0])
		nc_err_set_app_tag(node, err->app_tag);
	return nc_server_reply_err(node);
}

static struct nc_server_reply *reply_error_msg(int tag, const char *message)
{
	struct ios_nc_error err = { .tag = tag };

	strlcpy(err.message, message, sizeof(err.message));
	return reply_error(&err);
}

/* the last libyang error of the NETCONF context, naming its data path */
static void error_from_libyang(struct ios_nc_error *err, const char *what)
{
	struct ly_err_item *item = ly_err_last(nc_ctx);

	memset(err, 0, sizeof(*err));
	err->tag = NC_ERR_INVALID_VALUE;
	snprintf(err->message, sizeof(err->message), "%s: %s", what,
		 item && item->msg ? item->msg : "invalid data");
	if (!item)
		return;
	(void)ios_nc_ly_error_path(item, err->path, sizeof(err->path));
	if (item->apptag)
		strlcpy(err->app_tag, item->apptag, sizeof(err->app_tag));
}

/* <rpc-reply><data>: data is consumed */
static struct nc_server_reply *reply_data(const struct lyd_node *rpc,
					  struct lyd_node *data)
{
	struct lyd_node *output = NULL;

	if (lyd_dup_single(rpc, NULL, 0, &output)
	    || lyd_new_any(output, NULL, "data", data, 1,
			   LYD_ANYDATA_DATATREE, 1, NULL)) {
		lyd_free_all(data);
		lyd_free_all(output);
		return reply_error_msg(NC_ERR_OP_FAILED,
				       "cannot build the reply");
	}
	return nc_server_reply_data(output, NC_WD_EXPLICIT,
				    NC_PARAMTYPE_FREE);
}

static struct nc_server_reply *reply_request(struct ios_nc_request *req)
{
	return req->ok ? nc_server_reply_ok() : reply_error(&req->err);
}

/* --- RPC parameters ----------------------------------------------------- */

static bool param_ds(const struct lyd_node *rpc, const char *container,
		     enum ios_nc_ds *ds)
{
	char path[64];

	snprintf(path, sizeof(path), "%s/candidate", container);
	if (!lyd_find_path(rpc, path, 0, NULL)) {
		*ds = IOS_NC_DS_CANDIDATE;
		return true;
	}
	snprintf(path, sizeof(path), "%s/running", container);
	if (!lyd_find_path(rpc, path, 0, NULL)) {
		*ds = IOS_NC_DS_RUNNING;
		return true;
	}
	return false;
}

static const char *param_value(const struct lyd_node *rpc, const char *name)
{
	struct lyd_node *node = NULL;

	if (lyd_find_path(rpc, name, 0, &node))
		return NULL;
	return lyd_get_value(node);
}

static const struct lyd_node_any *param_any(const struct lyd_node *rpc,
					    const char *name)
{
	struct lyd_node *node = NULL;

	if (lyd_find_path(rpc, name, 0, &node) || !node->schema
	    || !(node->schema->nodetype & LYD_NODE_ANY))
		return NULL;
	return (const struct lyd_node_any *)node;
}

/*
 * data of an anyxml parameter parsed as our model's data; leaves without
 * a valid value are kept as opaque nodes if the edit deletes them
 */
static bool param_config(const struct lyd_node_any *any,
			 enum ios_nc_edit_op default_op,
			 struct lyd_node **tree, struct ios_nc_error *err)
{
	const uint32_t options = LYD_PARSE_ONLY | LYD_PARSE_STRICT
				 | LYD_PARSE_NO_STATE;
	char *xml = NULL;
	bool ok = true;

	*tree = NULL;
	if (lyd_any_value_str(&any->node, &xml)) {
		error_from_libyang(err, "config");
		return false;
	}
	if (!xml)
		return true;
	ly_err_clean(nc_ctx, NULL);
	if (lyd_parse_data_mem(nc_ctx, xml, LYD_XML, options, 0, tree)) {
		error_from_libyang(err, "config");
		ly_err_clean(nc_ctx, NULL);
		ok = !lyd_parse_data_mem(nc_ctx, xml, LYD_XML,
					 options | LYD_PARSE_OPAQ, 0, tree)
		     && ios_nc_edit_check(*tree, default_op);
		if (!ok) {
			lyd_free_all(*tree);
			*tree = NULL;
		}
	}
	free(xml);
	return ok;
}

static bool xml_to_tree(const char *xml, struct lyd_node **tree,
			struct ios_nc_error *err)
{
	*tree = NULL;
	if (!xml || !*xml)
		return true;
	ly_err_clean(nc_ctx, NULL);
	if (lyd_parse_data_mem(nc_ctx, xml, LYD_XML,
			       LYD_PARSE_ONLY | LYD_PARSE_STRICT, 0, tree)) {
		error_from_libyang(err, "datastore");
		return false;
	}
	return true;
}

static bool tree_to_xml(const struct lyd_node *tree, char **xml)
{
	*xml = NULL;
	if (!tree) {
		*xml = strdup("");
		return true;
	}
	return lyd_print_mem(xml, tree, LYD_XML,
			     LYD_PRINT_SHRINK | LYD_PRINT_WITHSIBLINGS)
	       == LY_SUCCESS;
}

/* --- <get>, <get-config> ------------------------------------------------ */

static struct ios_nc_client *session_client(struct nc_session *session)
{
	return nc_session_get_data(session);
}

/* FRR's configuration (and state) of the model, in the NETCONF context */
static bool model_data(struct ios_nc_client *client, enum ios_nc_ds ds,
		       bool with_state, struct lyd_node **tree,
		       struct ios_nc_error *err)
{
	struct ios_nc_request req = { .ds = ds, .client = client };
	struct lyd_node *state = NULL;
	bool ok;

	if (!ios_nc_call_main(ios_nc_ds_get_config, &req)) {
		strlcpy(err->message, "zebra is stopping", sizeof(err->message));
		err->tag = NC_ERR_OP_FAILED;
		return false;
	}
	ok = xml_to_tree(req.xml_out, tree, err);
	free(req.xml_out);
	if (!ok || !with_state)
		return ok;

	memset(&req, 0, sizeof(req));
	req.client = client;
	if (!ios_nc_call_main(ios_nc_ds_get_state, &req) || !req.ok) {
		free(req.xml_out);
		*err = req.err;
		return false;
	}
	ok = xml_to_tree(req.xml_out, &state, err);
	free(req.xml_out);
	if (ok && state)
		ok = !lyd_merge_siblings(tree, state, LYD_MERGE_DESTRUCT);
	return ok;
}

/* ietf-netconf-monitoring: the schemas <get-schema> serves */
static struct lyd_node *monitoring_data(void)
{
	const struct lys_module *module;
	struct lyd_node *root = NULL;
	uint32_t index = 0;
	char xpath[512];

	while ((module = ly_ctx_get_module_iter(nc_ctx, &index))) {
		if (!module->implemented)
			continue;
		snprintf(xpath, sizeof(xpath),
			 "/ietf-netconf-monitoring:netconf-state/schemas/schema[identifier='%s'][version='%s'][format='ietf-netconf-monitoring:yang']/",
			 module->name, module->revision ? module->revision : "");
		strlcat(xpath, "namespace", sizeof(xpath));
		if (lyd_new_path(root, nc_ctx, xpath, module->ns, 0,
				 root ? NULL : &root))
			continue;
		xpath[strlen(xpath) - strlen("namespace")] = '\0';
		strlcat(xpath, "location", sizeof(xpath));
		(void)lyd_new_path(root, nc_ctx, xpath, "NETCONF", 0, NULL);
	}
	return root;
}

static struct lyd_node *filter_tree(const struct lyd_node_any *filter,
				    bool *ok)
{
	struct lyd_node *tree = NULL;

	*ok = true;
	switch (filter->value_type) {
	case LYD_ANYDATA_DATATREE:
		return filter->value.tree;
	case LYD_ANYDATA_STRING:
	case LYD_ANYDATA_XML:
		if (filter->value.str
		    && lyd_parse_data_mem(nc_ctx, filter->value.str, LYD_XML,
					  LYD_PARSE_ONLY | LYD_PARSE_OPAQ, 0,
					  &tree))
			*ok = false;
		return tree;
	default:
		*ok = false;
		return NULL;
	}
}

static struct nc_server_reply *rpc_get(struct lyd_node *rpc,
				       struct nc_session *session,
				       bool with_state)
{
	const struct lyd_node_any *filter = param_any(rpc, "filter");
	struct ios_nc_error err = {};
	struct lyd_node *data = NULL, *more = NULL, *selected, *ftree;
	enum ios_nc_ds ds = IOS_NC_DS_RUNNING;
	struct lyd_meta *meta;
	bool ok;

	if (!with_state && !param_ds(rpc, "source", &ds))
		return reply_error_msg(NC_ERR_OP_NOT_SUPPORTED,
				       "only the running and candidate datastores exist");
	if (filter) {
		meta = lyd_find_meta(filter->meta, NULL, "ietf-netconf:type");
		if (meta && strmatch(lyd_get_meta_value(meta), "xpath"))
			return reply_error_msg(NC_ERR_OP_NOT_SUPPORTED,
					       "xpath filters are not supported, use subtree filters");
	}
	if (!model_data(session_client(session), ds, with_state, &data, &err))
		return reply_error(&err);
	if (with_state) {
		more = monitoring_data();
		if (more)
			lyd_merge_siblings(&data, more, LYD_MERGE_DESTRUCT);
		more = NULL;
		if (!ly_ctx_get_yanglib_data(nc_ctx, &more, "%u",
					     ly_ctx_get_change_count(nc_ctx)))
			lyd_merge_siblings(&data, more, LYD_MERGE_DESTRUCT);
	}
	if (!filter)
		return reply_data(rpc, data);

	ftree = filter_tree(filter, &ok);
	if (!ok) {
		lyd_free_all(data);
		return reply_error_msg(NC_ERR_INVALID_VALUE,
				       "cannot read the subtree filter");
	}
	ok = ios_nc_filter_subtree(data, ftree, &selected);
	if (ftree != filter->value.tree)
		lyd_free_all(ftree);
	lyd_free_all(data);
	if (!ok)
		return reply_error_msg(NC_ERR_OP_FAILED,
				       "subtree filtering failed");
	return reply_data(rpc, selected);
}

/* --- <edit-config>, <validate> ------------------------------------------ */

static struct nc_server_reply *rpc_edit_config(struct lyd_node *rpc,
					       struct nc_session *session)
{
	struct ios_nc_client *client = session_client(session);
	const char *default_op = param_value(rpc, "default-operation");
	const char *test_option = param_value(rpc, "test-option");
	const struct lyd_node_any *config = param_any(rpc, "config");
	struct ios_nc_request req = { .client = client };
	struct lyd_node *target = NULL, *edit = NULL;
	enum ios_nc_edit_op op = IOS_NC_OP_MERGE;
	struct ios_nc_error err = {};
	char *xml = NULL;
	bool ok;

	if (!param_ds(rpc, "target", &req.ds))
		return reply_error_msg(NC_ERR_OP_NOT_SUPPORTED,
				       "only the running and candidate datastores exist");
	if (!config)
		return reply_error_msg(NC_ERR_OP_NOT_SUPPORTED,
				       "<url> is not supported, use <config>");
	if (default_op && !ios_nc_edit_op_parse(default_op, &op))
		return reply_error_msg(NC_ERR_INVALID_VALUE,
				       "unknown default-operation");
	if (!param_config(config, op, &edit, &err))
		return reply_error(&err);
	if (!model_data(client, req.ds, false, &target, &err)) {
		lyd_free_all(edit);
		return reply_error(&err);
	}
	ok = ios_nc_edit_apply(&target, edit, op, &err);
	lyd_free_all(edit);
	if (ok)
		ok = tree_to_xml(target, &xml);
	lyd_free_all(target);
	if (!ok) {
		free(xml);
		return err.message[0] ? reply_error(&err)
				      : reply_error_msg(NC_ERR_OP_FAILED,
							"cannot apply the edit");
	}
	req.xml_in = xml;
	if (test_option && strmatch(test_option, "test-only"))
		ok = ios_nc_call_main(ios_nc_ds_validate, &req);
	else
		ok = ios_nc_call_main(ios_nc_ds_load, &req);
	free(xml);
	if (!ok)
		return reply_error_msg(NC_ERR_OP_FAILED, "zebra is stopping");
	return reply_request(&req);
}

static struct nc_server_reply *rpc_validate(struct lyd_node *rpc,
					    struct nc_session *session)
{
	const struct lyd_node_any *config = param_any(rpc, "source/config");
	struct ios_nc_request req = { .client = session_client(session) };
	struct lyd_node *tree = NULL;
	char *xml = NULL;

	if (config) {
		if (!param_config(config, IOS_NC_OP_MERGE, &tree, &req.err))
			return reply_error(&req.err);
		if (!tree_to_xml(tree, &xml)) {
			lyd_free_all(tree);
			return reply_error_msg(NC_ERR_OP_FAILED,
					       "cannot print the configuration");
		}
		lyd_free_all(tree);
		req.xml_in = xml;
	} else if (!param_ds(rpc, "source", &req.ds)) {
		return reply_error_msg(NC_ERR_OP_NOT_SUPPORTED,
				       "only running, candidate or <config> can be validated");
	}
	if (!ios_nc_call_main(ios_nc_ds_validate, &req))
		req.ok = false;
	free(xml);
	return reply_request(&req);
}

/* --- locks, commit ------------------------------------------------------ */

static struct nc_server_reply *rpc_datastore(struct lyd_node *rpc,
					     struct nc_session *session,
					     void (*fn)(void *))
{
	struct ios_nc_request req = { .client = session_client(session),
				      .ds = IOS_NC_DS_CANDIDATE };

	if ((fn == ios_nc_ds_lock || fn == ios_nc_ds_unlock)
	    && !param_ds(rpc, "target", &req.ds))
		return reply_error_msg(NC_ERR_OP_NOT_SUPPORTED,
				       "only running and candidate can be locked");
	if (!ios_nc_call_main(fn, &req))
		return reply_error_msg(NC_ERR_OP_FAILED, "zebra is stopping");
	return reply_request(&req);
}

/* --- notifications ------------------------------------------------------ */

static struct nc_server_reply *rpc_create_subscription(
	struct lyd_node *rpc, struct nc_session *session)
{
	const char *stream = param_value(rpc, "stream");

	if (stream && !strmatch(stream, "NETCONF"))
		return reply_error_msg(NC_ERR_INVALID_VALUE,
				       "only the NETCONF stream exists");
	if (param_value(rpc, "startTime"))
		return reply_error_msg(NC_ERR_OP_NOT_SUPPORTED,
				       "replay is not supported (no startTime)");
	if (param_any(rpc, "filter"))
		return reply_error_msg(NC_ERR_OP_NOT_SUPPORTED,
				       "notification filters are not supported");
	if (nc_session_get_notif_status(session))
		return reply_error_msg(NC_ERR_IN_USE,
				       "this session has a subscription already");
	nc_session_inc_notif_status(session);
	ios_nc_notif_set_listening(true);
	return nc_server_reply_ok();
}

static struct lyd_node *event_tree(const struct ios_nc_event *event)
{
	struct lyd_node *notif = NULL;
	char xpath[128];

	snprintf(xpath, sizeof(xpath), "/%s:%s", IOS_NC_MODULE, event->name);
	if (lyd_new_path(NULL, nc_ctx, xpath, NULL, 0, &notif))
		return NULL;
	for (size_t i = 0; i < event->leaf_count; i++)
		if (lyd_new_term(notif, NULL, event->leaves[i].leaf,
				 event->leaves[i].value, 0, NULL)) {
			zlog_warn("netconf: notification %s: bad %s '%s'",
				  event->name, event->leaves[i].leaf,
				  event->leaves[i].value);
		}
	return notif;
}

static void notifications_send(void)
{
	struct ios_nc_event *events = ios_nc_notif_take(), *event;

	for (event = events; event; event = event->next) {
		struct lyd_node *tree = event_tree(event);
		struct nc_server_notif *notif;
		char *when = NULL;

		if (!tree || ly_time_time2str(event->when, NULL, &when)) {
			lyd_free_all(tree);
			free(when);
			continue;
		}
		notif = nc_server_notif_new(tree, when, NC_PARAMTYPE_FREE);
		for (uint16_t i = 0; i < nc_ps_session_count(poll_sessions);
		     i++) {
			struct nc_session *session =
				nc_ps_get_session(poll_sessions, i);

			if (nc_session_get_status(session) == NC_STATUS_RUNNING
			    && nc_session_get_notif_status(session))
				nc_server_notif_send(session, notif, 1000);
		}
		nc_server_notif_free(notif);
	}
	ios_nc_notif_free(events);
}

static void listening_update(void)
{
	bool listening = false;

	for (uint16_t i = 0; i < nc_ps_session_count(poll_sessions); i++)
		if (nc_session_get_notif_status(
			    nc_ps_get_session(poll_sessions, i)))
			listening = true;
	ios_nc_notif_set_listening(listening);
}

/* --- <get-schema> (RFC 6022 3.1) ---------------------------------------- */

static struct nc_server_reply *rpc_get_schema(struct lyd_node *rpc)
{
	const char *identifier = param_value(rpc, "identifier");
	const char *version = param_value(rpc, "version");
	const char *format = param_value(rpc, "format");
	const struct lys_module *module;
	struct lyd_node *output = NULL;
	char *text = NULL;
	char message[300];
	LY_ERR ret;

	/* ietf-netconf-monitoring:yang, as netconf-state/schemas lists */
	if (format && !strstr(format, "yang"))
		return reply_error_msg(NC_ERR_INVALID_VALUE,
				       "only the yang format is served");
	if (!identifier)
		return reply_error_msg(NC_ERR_INVALID_VALUE,
				       "get-schema without identifier");
	if (version && *version)
		module = ly_ctx_get_module(nc_ctx, identifier, version);
	else
		module = ly_ctx_get_module_latest(nc_ctx, identifier);
	if (!module) {
		snprintf(message, sizeof(message), "no schema %s%s%s",
			 identifier, version && *version ? "@" : "",
			 version && *version ? version : "");
		return reply_error_msg(NC_ERR_INVALID_VALUE, message);
	}
	if (lys_print_mem(&text, module, LYS_OUT_YANG, 0))
		return reply_error_msg(NC_ERR_OP_FAILED,
				       "cannot print the schema");
	/* the text is copied (use_value 0), the reply owns its copy */
	ret = lyd_dup_single(rpc, NULL, 0, &output);
	if (!ret)
		ret = lyd_new_any(output, NULL, "data", text, 0,
				  LYD_ANYDATA_STRING, 1, NULL);
	free(text);
	if (ret) {
		lyd_free_all(output);
		return reply_error_msg(NC_ERR_OP_FAILED,
				       "cannot build the reply");
	}
	return nc_server_reply_data(output, NC_WD_EXPLICIT, NC_PARAMTYPE_FREE);
}

/* --- dispatch ----------------------------------------------------------- */

static struct nc_server_reply *rpc_dispatch(struct lyd_node *rpc,
					    struct nc_session *session)
{
	const char *name = LYD_NAME(rpc);
	const char *module = lyd_owner_module(rpc)->name;

	if (strmatch(module, "notifications")
	    && strmatch(name, "create-subscription"))
		return rpc_create_subscription(rpc, session);
	if (strmatch(module, "ietf-netconf-monitoring")
	    && strmatch(name, "get-schema"))
		return rpc_get_schema(rpc);
	if (!strmatch(module, "ietf-netconf"))
		return reply_error_msg(NC_ERR_OP_NOT_SUPPORTED,
				       "unknown operation");
	if (strmatch(name, "get"))
		return rpc_get(rpc, session, true);
	if (strmatch(name, "get-config"))
		return rpc_get(rpc, session, false);
	if (strmatch(name, "edit-config"))
		return rpc_edit_config(rpc, session);
	if (strmatch(name, "validate"))
		return rpc_validate(rpc, session);
	if (strmatch(name, "commit")) {
		if (lyd_child(rpc))
			return reply_error_msg(NC_ERR_OP_NOT_SUPPORTED,
					       "confirmed commit is not supported");
		return rpc_datastore(rpc, session, ios_nc_ds_commit);
	}
	if (strmatch(name, "discard-changes"))
		return rpc_datastore(rpc, session, ios_nc_ds_discard);
	if (strmatch(name, "lock"))
		return rpc_datastore(rpc, session, ios_nc_ds_lock);
	if (strmatch(name, "unlock"))
		return rpc_datastore(rpc, session, ios_nc_ds_unlock);
	return reply_error_msg(NC_ERR_OP_NOT_SUPPORTED,
			       "operation not supported by this server");
}

/* --- sessions ----------------------------------------------------------- */

static int pubkey_check(const struct nc_session *session, ssh_key key,
			void *user_data)
{
	const char *user = nc_session_get_username(session);
	bool ok = ios_nc_settings_authorized(settings, user, key);

	if (!ok)
		zlog_warn("netconf: refused public key of user '%s' from %s",
			  user ? user : "", nc_session_get_host(session));
	return ok ? 0 : 1;
}

static int host_key_path(const char *name, void *user_data,
			 char **privkey_path, char **privkey_data,
			 NC_SSH_KEY_TYPE *privkey_type)
{
	*privkey_path = strdup(settings->host_key);
	return *privkey_path ? 0 : 1;
}

static void session_start(struct nc_session *session)
{
	struct ios_nc_client *client =
		XCALLOC(MTYPE_IOS_NC_CLIENT, sizeof(*client));

	client->session_id = nc_session_get_id(session);
	strlcpy(client->username, nc_session_get_username(session),
		sizeof(client->username));
	nc_session_set_data(session, client);
	nc_ps_add_session(poll_sessions, session);
	zlog_info("netconf: session %u of user %s from %s", client->session_id,
		  client->username, nc_session_get_host(session));
}

static void session_end(struct nc_session *session)
{
	struct ios_nc_client *client = session_client(session);
	struct ios_nc_request req = { .client = client };

	(void)ios_nc_call_main(ios_nc_ds_client_gone, &req);
	nc_ps_del_session(poll_sessions, session);
	zlog_info("netconf: session %u ended", client->session_id);
	nc_session_free(session, NULL);
	XFREE(MTYPE_IOS_NC_CLIENT, client);
	listening_update();
}

static void *server_main(void *arg)
{
	struct frr_pthread *fpt = arg;

	frr_pthread_set_name(fpt);
	while (!atomic_load(&server_stopping)) {
		struct nc_session *session = NULL;
		uint16_t count = nc_ps_session_count(poll_sessions);
		int ret;

		if (nc_accept(count ? 0 : POLL_MS, &session) == NC_MSG_HELLO)
			session_start(session);
		if (count) {
			session = NULL;
			ret = nc_ps_poll(poll_sessions, POLL_MS, &session);
			if ((ret & (NC_PSPOLL_SESSION_TERM
				    | NC_PSPOLL_SESSION_ERROR))
			    && session)
				session_end(session);
			else if (ret & NC_PSPOLL_RPC)
				listening_update();
		}
		notifications_send();
	}
	while (nc_ps_session_count(poll_sessions))
		session_end(nc_ps_get_session(poll_sessions, 0));
	nc_thread_destroy();
	return NULL;
}

static bool endpoint_setup(void)
{
	if (nc_server_add_endpt(ENDPOINT, NC_TI_LIBSSH)
	    || nc_server_endpt_set_address(ENDPOINT, settings->address)
	    || nc_server_endpt_set_port(ENDPOINT, settings->port)) {
		flog_err(EC_LIB_SOCKET,
			 "netconf: cannot listen on %s port %u (%s)",
			 settings->address, settings->port, settings->path);
		return false;
	}
	nc_server_ssh_set_hostkey_clb(host_key_path, NULL, NULL);
	nc_server_ssh_set_pubkey_auth_clb(pubkey_check, NULL, NULL);
	/* public keys of the configured users, nothing else */
	if (nc_server_ssh_endpt_add_hostkey(ENDPOINT, "host-key", -1)
	    || nc_server_ssh_endpt_set_auth_methods(ENDPOINT,
						    NC_SSH_AUTH_PUBLICKEY)
	    || nc_server_ssh_endpt_set_auth_attempts(ENDPOINT, 3)
	    || nc_server_ssh_endpt_set_auth_timeout(ENDPOINT, 10)) {
		flog_err(EC_LIB_SOCKET, "netconf: SSH setup failed");
		return false;
	}
	return true;
}

static int server_main_stop(struct frr_pthread *fpt, void **result)
{
	atomic_store(&server_stopping, true);
	pthread_join(fpt->thread, result);
	return 0;
}

static void server_shutdown(void);

/* libnetconf2's messages (SSH handshakes, framing) into zebra's log */
static void nc_log(const struct nc_session *session, NC_VERB_LEVEL level,
		   const char *msg)
{
	uint32_t id = session ? nc_session_get_id(session) : 0;

	switch (level) {
	case NC_VERB_ERROR:
		zlog_warn("netconf: session %u: %s", id, msg);
		break;
	case NC_VERB_WARNING:
		zlog_info("netconf: session %u: %s", id, msg);
		break;
	default:
		zlog_debug("netconf: session %u: %s", id, msg);
		break;
	}
}

static void log_setup(void)
{
	/* libnetconf2 takes libyang's log callback too: FRR's stays */
	ly_log_clb frr_ly_log = ly_get_log_clb();

	nc_set_print_clb_session(nc_log);
	ly_set_log_clb(frr_ly_log, 1);
}

static bool server_listen(const char *config_path)
{
	char err[1024];

	log_setup();

	if (!ios_nc_settings_load(settings, config_path, err, sizeof(err))) {
		flog_err(EC_LIB_UNAVAILABLE,
			 "netconf: server not started: %s", err);
		ios_nc_settings_free(settings);
		return false;
	}
	if (!context_create()) {
		ios_nc_settings_free(settings);
		return false;
	}
	nc_server_init(nc_ctx);
	nc_set_global_rpc_clb(rpc_dispatch);
	nc_server_set_capability(
		"urn:ietf:params:netconf:capability:notification:1.0");
	nc_server_set_capability(
		"urn:ietf:params:netconf:capability:interleave:1.0");
	if (!endpoint_setup()) {
		server_shutdown();
		return false;
	}
	return true;
}

static bool server_start(const char *model_yang)
{
	static const struct frr_pthread_attr attr = {
		.start = server_main,
		.stop = server_main_stop,
	};

	if (!nc_ctx || !context_add_model(model_yang))
		return false;
	poll_sessions = nc_ps_new();
	atomic_store(&server_stopping, false);
	server_thread = frr_pthread_new(&attr, "NETCONF server", "netconf");
	if (frr_pthread_run(server_thread, NULL) < 0) {
		flog_err(EC_LIB_SYSTEM_CALL, "netconf: cannot start a thread");
		frr_pthread_destroy(server_thread);
		server_thread = NULL;
		nc_ps_free(poll_sessions);
		poll_sessions = NULL;
		return false;
	}
	zlog_info("netconf: listening on %s port %u, %zu user(s)",
		  settings->address, settings->port, settings->user_count);
	return true;
}

static void server_shutdown(void)
{
	if (server_thread) {
		frr_pthread_stop(server_thread, NULL);
		frr_pthread_destroy(server_thread);
		server_thread = NULL;
		nc_ps_free(poll_sessions);
		poll_sessions = NULL;
	}
	if (nc_ctx) {
		nc_server_destroy();
		ly_ctx_destroy(nc_ctx);
		nc_ctx = NULL;
	}
	ios_nc_settings_free(settings);
}

const struct ios_nc_server_api ios_nc_server_api = {
	.listen = server_listen,
	.start = server_start,
	.stop = server_shutdown,
};
