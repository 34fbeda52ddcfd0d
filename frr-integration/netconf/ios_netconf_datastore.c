// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The NETCONF datastores are FRR's northbound itself, never a copy that
 * could drift: <running> is FRR's running configuration, <candidate> one
 * nb_config shared by all NETCONF sessions (RFC 6241 8.3), committed with
 * nb_candidate_commit() like any vtysh change, so FRR validates it with
 * the model and the module's callbacks. Only the subtree of the
 * ios-ipsec-suite model is served. Everything here runs on zebra's main
 * thread (ios_nc_call_main()).
 *
 * Locks: <lock> on running takes FRR's running-configuration lock
 * (nb_running_lock()), the one vtysh's "configure exclusive" takes; while
 * a NETCONF session holds it, every commit of another client - each
 * vtysh configuration command - fails with "running configuration is
 * locked by another client", and while vtysh holds it NETCONF's <lock>
 * is denied and edits of running fail with in-use.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include <libnetconf2/messages_server.h>

#include "lib_errors.h"
#include "northbound.h"
#include "northbound_cli.h"
#include "yang.h"

#include "ios_netconf.h"

/* FRR 8.4 has no NETCONF client in enum nb_client: the next free value */
#define IOS_NB_CLIENT_NETCONF ((enum nb_client)(NB_CLIENT_PCEP + 1))

static struct nb_config *candidate;
/* edited since the last commit or discard */
static bool candidate_dirty;
static const struct ios_nc_client *candidate_lock_owner;
static const struct ios_nc_client *running_lock_owner;

static void error_set(struct ios_nc_error *err, int tag, const char *path,
		      const char *fmt, ...) PRINTFRR(4, 5);
static void error_set(struct ios_nc_error *err, int tag, const char *path,
		      const char *fmt, ...)
{
	va_list ap;

	err->tag = tag;
	strlcpy(err->path, path ? path : "", sizeof(err->path));
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

/* the last libyang error of FRR's context, with the data path it names */
static void error_from_libyang(struct ios_nc_error *err, const char *what)
{
	struct ly_err_item *item = ly_err_last(ly_native_ctx);

	if (!item) {
		error_set(err, NC_ERR_OP_FAILED, IOS_NC_TOP_XPATH,
			  "%s failed", what);
		return;
	}
	error_set(err, NC_ERR_INVALID_VALUE, IOS_NC_TOP_XPATH, "%s",
		  item->msg ? item->msg : what);
	(void)ios_nc_ly_error_path(item, err->path, sizeof(err->path));
	if (item->apptag)
		strlcpy(err->app_tag, item->apptag, sizeof(err->app_tag));
	/* RFC 6241 appendix A: a missing instance is data-missing */
	if (item->apptag && strmatch(item->apptag, "instance-required"))
		err->tag = NC_ERR_DATA_MISSING;
	else if (item->apptag && strmatch(item->apptag, "must-violation"))
		err->tag = NC_ERR_OP_FAILED;
}

static struct nb_config *candidate_get(void)
{
	/* an untouched candidate follows running, also vtysh's changes */
	if (!candidate)
		candidate = nb_config_dup(running_config);
	else if (!candidate_dirty)
		nb_config_replace(candidate, running_config, true);
	return candidate;
}

static struct nb_config *datastore(enum ios_nc_ds ds)
{
	return ds == IOS_NC_DS_CANDIDATE ? candidate_get() : running_config;
}

static char *subtree_print(const struct nb_config *config)
{
	struct lyd_node *top = yang_dnode_get(config->dnode, IOS_NC_TOP_XPATH);
	char *xml = NULL;

	/* explicit mode: defaults the user never set are not printed */
	if (top && lyd_print_mem(&xml, top, LYD_XML, LYD_PRINT_SHRINK))
		xml = NULL;
	return xml ? xml : strdup("");
}

/* the model's subtree of config replaced by tree (which is consumed) */
static void subtree_replace(struct nb_config *config, struct lyd_node *tree)
{
	struct lyd_node *old = yang_dnode_get(config->dnode, IOS_NC_TOP_XPATH);
	struct lyd_node *first = NULL;

	if (old) {
		if (config->dnode == old)
			config->dnode = old->next ? old->next : NULL;
		lyd_free_tree(old);
		if (config->dnode)
			config->dnode = lyd_first_sibling(config->dnode);
	}
	if (!tree) {
		const struct lys_module *module =
			ly_ctx_get_module_implemented(ly_native_ctx,
						      IOS_NC_MODULE);

		if (lyd_new_inner(NULL, module, "ios", 0, &tree)) {
			flog_err(EC_LIB_LIBYANG, "%s: cannot create %s",
				 __func__, IOS_NC_TOP_XPATH);
			return;
		}
	}
	lyd_insert_sibling(config->dnode, tree, &first);
	/* FRR walks a datastore from dnode: keep it on the first sibling */
	config->dnode = lyd_first_sibling(first);
}

static bool xml_parse(const char *xml, struct lyd_node **tree,
		      struct ios_nc_error *err)
{
	*tree = NULL;
	ly_err_clean(ly_native_ctx, NULL);
	if (!xml || !*xml)
		return true;
	if (lyd_parse_data_mem(ly_native_ctx, xml, LYD_XML,
			       LYD_PARSE_ONLY | LYD_PARSE_STRICT
				       | LYD_PARSE_NO_STATE,
			       0, tree)) {
		error_from_libyang(err, "parsing the edited configuration");
		return false;
	}
	return true;
}

/*
 * Where the module's own checks refuse a configuration. FRR's
 * nb_candidate_validate() and nb_candidate_commit() only return the
 * message of the validation callback that refused; which node it was
 * they log, but do not return. So after FRR has refused a configuration,
 * its validation callbacks (NB_EV_VALIDATE, free of side effects) are run
 * again here, node by node, on the changes of the model's subtree, in the
 * way nb_candidate_validate_code() runs them: pre_validate on every node,
 * then create/modify/destroy/move on what changed. The first node they
 * refuse is the error's path. This costs nothing while configurations are
 * valid, and it does not matter to it which check refuses - a check the
 * model leaves to the module's callbacks (a leafref with
 * require-instance false, say) gets the path of the node whose callback
 * refuses it.
 */
struct refusal {
	struct nb_context *context;
	struct ios_nc_error *err;
	bool found;
};

static bool refused(struct refusal *r, const struct lyd_node *dnode,
		    int (*check)(struct refusal *r,
				 const struct lyd_node *dnode,
				 const struct nb_node *nb_node, char *errmsg,
				 size_t errmsg_len))
{
	const struct nb_node *nb_node = dnode->schema->priv;
	char errmsg[BUFSIZ] = "";
	char path[XPATH_MAXLEN];

	if (!nb_node || check(r, dnode, nb_node, errmsg, sizeof(errmsg))
				== NB_OK)
		return false;
	yang_dnode_get_path(dnode, path, sizeof(path));
	error_set(r->err, NC_ERR_INVALID_VALUE, path, "%s",
		  errmsg[0] ? errmsg : "refused by the module's checks");
	r->found = true;
	return true;
}

static int check_pre_validate(struct refusal *r, const struct lyd_node *dnode,
			      const struct nb_node *nb_node, char *errmsg,
			      size_t errmsg_len)
{
	struct nb_cb_pre_validate_args args = {
		.context = r->context,
		.dnode = dnode,
		.errmsg = errmsg,
		.errmsg_len = errmsg_len,
	};

	return nb_node->cbs.pre_validate ? nb_node->cbs.pre_validate(&args)
					 : NB_OK;
}

static int check_create(struct refusal *r, const struct lyd_node *dnode,
			const struct nb_node *nb_node, char *errmsg,
			size_t errmsg_len)
{
	struct nb_cb_create_args args = {
		.context = r->context,
		.event = NB_EV_VALIDATE,
		.dnode = dnode,
		.errmsg = errmsg,
		.errmsg_len = errmsg_len,
	};

	return nb_node->cbs.create ? nb_node->cbs.create(&args) : NB_OK;
}

static int check_modify(struct refusal *r, const struct lyd_node *dnode,
			const struct nb_node *nb_node, char *errmsg,
			size_t errmsg_len)
{
	struct nb_cb_modify_args args = {
		.context = r->context,
		.event = NB_EV_VALIDATE,
		.dnode = dnode,
		.errmsg = errmsg,
		.errmsg_len = errmsg_len,
	};

	return nb_node->cbs.modify ? nb_node->cbs.modify(&args) : NB_OK;
}

/* a leaf without create callback is created by its modify callback */
static int check_leaf_set(struct refusal *r, const struct lyd_node *dnode,
			  const struct nb_node *nb_node, char *errmsg,
			  size_t errmsg_len)
{
	if (nb_node->cbs.create)
		return check_create(r, dnode, nb_node, errmsg, errmsg_len);
	return check_modify(r, dnode, nb_node, errmsg, errmsg_len);
}

static int check_destroy(struct refusal *r, const struct lyd_node *dnode,
			 const struct nb_node *nb_node, char *errmsg,
			 size_t errmsg_len)
{
	struct nb_cb_destroy_args args = {
		.context = r->context,
		.event = NB_EV_VALIDATE,
		.dnode = dnode,
		.errmsg = errmsg,
		.errmsg_len = errmsg_len,
	};

	return nb_node->cbs.destroy ? nb_node->cbs.destroy(&args) : NB_OK;
}

static int check_move(struct refusal *r, const struct lyd_node *dnode,
		      const struct nb_node *nb_node, char *errmsg,
		      size_t errmsg_len)
{
	struct nb_cb_move_args args = {
		.context = r->context,
		.event = NB_EV_VALIDATE,
		.dnode = dnode,
		.errmsg = errmsg,
		.errmsg_len = errmsg_len,
	};

	return nb_node->cbs.move ? nb_node->cbs.move(&args) : NB_OK;
}

/* a node that is new: its own callback, then its descendants' */
static bool created_refused(struct refusal *r, const struct lyd_node *dnode)
{
	const struct lyd_node *child;

	if (!dnode->schema->priv)
		return false;
	switch (dnode->schema->nodetype) {
	case LYS_LEAF:
	case LYS_LEAFLIST:
		return !lyd_is_default(dnode)
		       && refused(r, dnode, check_leaf_set);
	case LYS_CONTAINER:
	case LYS_LIST:
		if (refused(r, dnode, check_create))
			return true;
		LY_LIST_FOR (lyd_child(dnode), child)
			if (created_refused(r, child))
				return true;
		return false;
	default:
		return false;
	}
}

/* a node that goes: its destroy callback, or its children's (containers) */
static bool deleted_refused(struct refusal *r, const struct lyd_node *dnode)
{
	const struct nb_node *nb_node = dnode->schema->priv;
	const struct lyd_node *child;

	if (!nb_node)
		return false;
	if (nb_node->cbs.destroy)
		return refused(r, dnode, check_destroy);
	if (dnode->schema->nodetype == LYS_CONTAINER)
		LY_LIST_FOR (lyd_child(dnode), child)
			if (deleted_refused(r, child))
				return true;
	return false;
}

static char diff_operation(const struct lyd_node *dnode)
{
	const struct lyd_meta *meta;

	LY_LIST_FOR (dnode->meta, meta)
		if (strmatch(meta->name, "operation")
		    && strmatch(meta->annotation->module->name, "yang"))
			return lyd_get_meta_value(meta)[0];
	return 'n';
}

static bool changes_refused(struct refusal *r, struct nb_config *config)
{
	const struct lyd_node *old_top =
		yang_dnode_get(running_config->dnode, IOS_NC_TOP_XPATH);
	const struct lyd_node *new_top =
		yang_dnode_get(config->dnode, IOS_NC_TOP_XPATH);
	struct lyd_node *diff = NULL, *dnode;
	const struct lyd_node *target;
	bool found = false;
	char *path;

	if (lyd_diff_tree(old_top, new_top, LYD_DIFF_DEFAULTS, &diff))
		return false;
	LYD_TREE_DFS_BEGIN (diff, dnode) {
		char op = diff_operation(dnode);

		if (op == 'c' || op == 'd' || op == 'r') {
			path = lyd_path(dnode, LYD_PATH_STD, NULL, 0);
			target = yang_dnode_get(op == 'd' ? running_config->dnode
							  : config->dnode,
						path);
			free(path);
			if (target && op == 'c')
				found = created_refused(r, target);
			else if (target && op == 'd')
				found = deleted_refused(r, target);
			else if (target)
				found = refused(r, target,
						target->schema->nodetype
								& LYD_NODE_TERM
							? check_modify
							: check_move);
			if (found)
				break;
			if (op != 'r')
				LYD_TREE_DFS_continue = 1;
		}
		LYD_TREE_DFS_END(diff, dnode);
	}
	lyd_free_all(diff);
	return found;
}

/*
 * After FRR refused config with message errmsg: name the node its
 * validation callbacks refuse; the model's root if none does (again).
 */
static void refusal_locate(struct nb_config *config, const char *errmsg,
			   struct ios_nc_error *err)
{
	struct nb_context context = { .client = IOS_NB_CLIENT_NETCONF };
	struct refusal r = { .context = &context, .err = err };
	struct lyd_node *top = yang_dnode_get(config->dnode, IOS_NC_TOP_XPATH);
	struct lyd_node *dnode;

	if (top) {
		LYD_TREE_DFS_BEGIN (top, dnode) {
			if (refused(&r, dnode, check_pre_validate))
				return;
			LYD_TREE_DFS_END(top, dnode);
		}
	}
	if (changes_refused(&r, config))
		return;
	error_set(err, NC_ERR_INVALID_VALUE, IOS_NC_TOP_XPATH, "%s",
		  errmsg[0] ? errmsg : "validation failed");
}

/*
 * YANG validation first: libyang names the failing path, FRR does not.
 * The module's own checks (key data, ...) run in nb_candidate_validate(),
 * or in the commit, which does them anyway.
 */
static bool config_validate(struct nb_config *config, bool module_checks,
			    struct ios_nc_error *err)
{
	struct nb_context context = { .client = IOS_NB_CLIENT_NETCONF };
	char errmsg[BUFSIZ] = "";
	LY_ERR ret;

	ly_err_clean(ly_native_ctx, NULL);
	ret = lyd_validate_all(&config->dnode, NULL, LYD_VALIDATE_NO_STATE,
			       NULL);
	if (config->dnode)
		config->dnode = lyd_first_sibling(config->dnode);
	if (ret) {
		error_from_libyang(err, "validation");
		return false;
	}
	if (module_checks
	    && nb_candidate_validate(&context, config, errmsg, sizeof(errmsg))
		       != NB_OK) {
		refusal_locate(config, errmsg, err);
		return false;
	}
	return true;
}

static void running_changed(void)
{
	/*
	 * vtysh edits FRR's shared candidate and commits all of it with each
	 * command: a stale copy would undo our change with the next one.
	 */
	if (vty_shared_candidate_config)
		nb_config_replace(vty_shared_candidate_config, running_config,
				  true);
}

static bool config_commit(struct nb_config *config,
			  const struct ios_nc_client *client,
			  struct ios_nc_error *err)
{
	struct nb_context context = {
		.client = IOS_NB_CLIENT_NETCONF,
		.user = client,
	};
	char errmsg[BUFSIZ] = "";
	int ret;

	if (nb_running_lock_check(context.client, context.user)) {
		error_set(err, NC_ERR_IN_USE, NULL,
			  "running configuration is locked by another client");
		return false;
	}
	if (!config_validate(config, false, err))
		return false;
	ret = nb_candidate_commit(&context, config, true, "NETCONF", NULL,
				  errmsg, sizeof(errmsg));
	switch (ret) {
	case NB_OK:
		running_changed();
		return true;
	case NB_ERR_NO_CHANGES:
		return true;
	case NB_ERR_LOCKED:
		error_set(err, NC_ERR_IN_USE, NULL, "%s", errmsg);
		return false;
	case NB_ERR_VALIDATION:
		refusal_locate(config, errmsg, err);
		return false;
	case NB_ERR_RESOURCE:
		error_set(err, NC_ERR_RES_DENIED, NULL, "%s", errmsg);
		return false;
	default:
		error_set(err, NC_ERR_OP_FAILED, NULL, "commit failed: %s",
			  errmsg);
		return false;
	}
}

static bool candidate_usable(const struct ios_nc_client *client,
			     struct ios_nc_error *err)
{
	if (candidate_lock_owner && candidate_lock_owner != client) {
		error_set(err, NC_ERR_IN_USE, NULL,
			  "the candidate is locked by session %u",
			  candidate_lock_owner->session_id);
		return false;
	}
	return true;
}

void ios_nc_ds_get_config(void *arg)
{
	struct ios_nc_request *req = arg;

	req->xml_out = subtree_print(datastore(req->ds));
	req->ok = true;
}

static int state_node_add(const struct lysc_node *snode,
			  struct yang_translator *translator,
			  struct yang_data *data, void *arg)
{
	struct lyd_node **root = arg;
	struct lyd_node *node = NULL;
	LY_ERR ret;

	ret = lyd_new_path(*root, ly_native_ctx, data->xpath, data->value,
			   LYD_NEW_PATH_UPDATE, &node);
	if (ret == LY_SUCCESS && !*root && node)
		*root = lyd_first_sibling(node);
	yang_data_free(data);
	return ret == LY_SUCCESS ? NB_OK : NB_ERR;
}

void ios_nc_ds_get_state(void *arg)
{
	struct ios_nc_request *req = arg;
	struct lyd_node *root = NULL;

	if (nb_oper_data_iterate(IOS_NC_TOP_XPATH, NULL, 0, state_node_add,
				 &root) != NB_OK) {
		lyd_free_all(root);
		error_set(&req->err, NC_ERR_OP_FAILED, IOS_NC_TOP_XPATH,
			  "cannot read the operational state");
		req->ok = false;
		return;
	}
	while (root && root->parent)
		root = lyd_parent(root);
	if (!root || lyd_print_mem(&req->xml_out, root, LYD_XML,
				   LYD_PRINT_SHRINK | LYD_PRINT_WITHSIBLINGS))
		req->xml_out = strdup("");
	lyd_free_all(root);
	req->ok = true;
}

void ios_nc_ds_load(void *arg)
{
	struct ios_nc_request *req = arg;
	struct lyd_node *tree;
	struct nb_config *config;

	req->ok = false;
	if (req->ds == IOS_NC_DS_CANDIDATE
	    && !candidate_usable(req->client, &req->err))
		return;
	if (!xml_parse(req->xml_in, &tree, &req->err))
		return;
	if (req->ds == IOS_NC_DS_CANDIDATE) {
		/* checked by <validate> and <commit>, as RFC 6241 allows */
		subtree_replace(candidate_get(), tree);
		candidate_dirty = true;
		req->ok = true;
		return;
	}
	config = nb_config_dup(running_config);
	subtree_replace(config, tree);
	req->ok = config_commit(config, req->client, &req->err);
	nb_config_free(config);
}

void ios_nc_ds_commit(void *arg)
{
	struct ios_nc_request *req = arg;
	struct nb_config *config;

	req->ok = false;
	if (!candidate_usable(req->client, &req->err))
		return;
	/* the candidate survives a failed commit (RFC 6241 8.3.4.1) */
	config = nb_config_dup(candidate_get());
	req->ok = config_commit(config, req->client, &req->err);
	nb_config_free(config);
	if (req->ok)
		candidate_dirty = false;
}

void ios_nc_ds_discard(void *arg)
{
	struct ios_nc_request *req = arg;

	req->ok = candidate_usable(req->client, &req->err);
	if (req->ok) {
		candidate_dirty = false;
		(void)candidate_get();
	}
}

void ios_nc_ds_validate(void *arg)
{
	struct ios_nc_request *req = arg;
	struct nb_config *config = nb_config_dup(datastore(req->ds));
	struct lyd_node *tree;

	req->ok = false;
	if (req->xml_in) {
		if (!xml_parse(req->xml_in, &tree, &req->err)) {
			nb_config_free(config);
			return;
		}
		subtree_replace(config, tree);
	}
	req->ok = config_validate(config, true, &req->err);
	nb_config_free(config);
}

void ios_nc_ds_lock(void *arg)
{
	struct ios_nc_request *req = arg;

	req->ok = false;
	if (req->ds == IOS_NC_DS_RUNNING) {
		if (nb_running_lock(IOS_NB_CLIENT_NETCONF, req->client)) {
			if (running_lock_owner)
				error_set(&req->err, NC_ERR_LOCK_DENIED, NULL,
					  "running is locked by NETCONF session %u",
					  running_lock_owner->session_id);
			else
				error_set(&req->err, NC_ERR_LOCK_DENIED, NULL,
					  "running configuration is locked by another client (vtysh 'configure exclusive')");
			return;
		}
		running_lock_owner = req->client;
		req->ok = true;
		return;
	}
	if (candidate_lock_owner) {
		error_set(&req->err, NC_ERR_LOCK_DENIED, NULL,
			  "the candidate is locked by session %u",
			  candidate_lock_owner->session_id);
		return;
	}
	if (candidate_dirty) {
		/* RFC 6241 7.5: not while it holds changes nobody committed */
		error_set(&req->err, NC_ERR_LOCK_DENIED, NULL,
			  "the candidate has uncommitted changes (commit or discard-changes first)");
		return;
	}
	candidate_lock_owner = req->client;
	req->ok = true;
}

void ios_nc_ds_unlock(void *arg)
{
	struct ios_nc_request *req = arg;

	req->ok = false;
	if (req->ds == IOS_NC_DS_RUNNING) {
		if (running_lock_owner != req->client
		    || nb_running_unlock(IOS_NB_CLIENT_NETCONF, req->client)) {
			error_set(&req->err, NC_ERR_OP_FAILED, NULL,
				  "running is not locked by this session");
			return;
		}
		running_lock_owner = NULL;
		req->ok = true;
		return;
	}
	if (candidate_lock_owner != req->client) {
		error_set(&req->err, NC_ERR_OP_FAILED, NULL,
			  "the candidate is not locked by this session");
		return;
	}
	candidate_lock_owner = NULL;
	req->ok = true;
}

void ios_nc_ds_client_gone(void *arg)
{
	struct ios_nc_request *req = arg;

	if (running_lock_owner == req->client) {
		nb_running_unlock(IOS_NB_CLIENT_NETCONF, req->client);
		running_lock_owner = NULL;
	}
	if (candidate_lock_owner == req->client) {
		/* RFC 6241 7.5: the lock holder's uncommitted edits go */
		candidate_lock_owner = NULL;
		candidate_dirty = false;
	}
	req->ok = true;
}

void ios_nc_ds_init(void)
{
	candidate = NULL;
	candidate_dirty = false;
}

void ios_nc_ds_fini(void)
{
	if (running_lock_owner)
		nb_running_unlock(IOS_NB_CLIENT_NETCONF, running_lock_owner);
	running_lock_owner = NULL;
	candidate_lock_owner = NULL;
	if (candidate)
		nb_config_free(candidate);
	candidate = NULL;
}
