// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * <edit-config> semantics (RFC 6241 7.2) on libyang trees of the NETCONF
 * context: merge, replace, create, delete, remove and none, given as
 * ietf-netconf:operation metadata on any node of the edit or as the
 * default-operation. The result is loaded into FRR's northbound as a
 * whole (ios_netconf_datastore.c), which validates it.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include <libnetconf2/messages_server.h>

#include "ios_netconf.h"

static const char *const op_names[] = {
	[IOS_NC_OP_MERGE] = "merge",	[IOS_NC_OP_REPLACE] = "replace",
	[IOS_NC_OP_CREATE] = "create",	[IOS_NC_OP_DELETE] = "delete",
	[IOS_NC_OP_REMOVE] = "remove",	[IOS_NC_OP_NONE] = "none",
};

bool ios_nc_edit_op_parse(const char *name, enum ios_nc_edit_op *op)
{
	for (size_t i = 0; i < array_size(op_names); i++)
		if (strmatch(op_names[i], name)) {
			*op = i;
			return true;
		}
	return false;
}

static void edit_error(struct ios_nc_error *err, int tag,
		       const struct lyd_node *node, const char *app_tag,
		       const char *message)
{
	char *path = lyd_path(node, LYD_PATH_STD, NULL, 0);

	err->tag = tag;
	strlcpy(err->path, path ? path : "", sizeof(err->path));
	snprintf(err->message, sizeof(err->message), "%s: %s", message,
		 path ? path : LYD_NAME(node));
	strlcpy(err->app_tag, app_tag ? app_tag : "", sizeof(err->app_tag));
	free(path);
}

/* the node's own operation attribute, if any */
static bool node_op(const struct lyd_node *node, enum ios_nc_edit_op inherited,
		    enum ios_nc_edit_op *op, struct ios_nc_error *err)
{
	const char *value = NULL;

	*op = inherited;
	if (node->schema) {
		struct lyd_meta *meta;

		for (meta = node->meta; meta; meta = meta->next)
			if (strmatch(meta->name, "operation")
			    && strmatch(meta->annotation->module->name,
					"ietf-netconf"))
				value = lyd_get_meta_value(meta);
	} else {
		/* a leaf without a valid value (see ios_nc_edit_check) */
		const struct lyd_attr *attr;

		for (attr = ((const struct lyd_node_opaq *)node)->attr; attr;
		     attr = attr->next)
			if (strmatch(attr->name.name, "operation"))
				value = attr->value;
	}
	if (value && !ios_nc_edit_op_parse(value, op)) {
		edit_error(err, NC_ERR_INVALID_VALUE, node, NULL,
			   "unknown operation");
		return false;
	}
	return true;
}

/*
 * "<peer nc:operation="delete"/>" has no valid value: the edit is parsed
 * with such leaves as opaque nodes, which only delete and remove accept.
 */
static bool edit_check_node(const struct lyd_node *node,
			    enum ios_nc_edit_op inherited)
{
	const struct lyd_node *child;
	enum ios_nc_edit_op op;
	struct ios_nc_error ignored;

	if (!node_op(node, inherited, &op, &ignored))
		return false;
	if (!node->schema)
		return (op == IOS_NC_OP_DELETE || op == IOS_NC_OP_REMOVE)
		       && !lyd_child(node);
	LY_LIST_FOR (lyd_child(node), child)
		if (!edit_check_node(child, op))
			return false;
	return true;
}

bool ios_nc_edit_check(const struct lyd_node *edit,
		       enum ios_nc_edit_op default_op)
{
	const struct lyd_node *node;

	LY_LIST_FOR (edit, node)
		if (!edit_check_node(node, default_op))
			return false;
	return true;
}

/* the target's leaf an opaque edit node names */
static struct lyd_node *opaque_match(struct lyd_node *siblings,
				     const struct lyd_node *edit)
{
	const struct lyd_node_opaq *opaq = (const struct lyd_node_opaq *)edit;
	struct lyd_node *node;

	LY_LIST_FOR (siblings, node)
		if (node->schema && node->schema->nodetype == LYS_LEAF
		    && strmatch(node->schema->name, opaq->name.name)
		    && (!opaq->name.module_ns
			|| strmatch(node->schema->module->ns,
				    opaq->name.module_ns)))
			return node;
	return NULL;
}

/* edit nodes are copied without their operation attributes */
static struct lyd_node *edit_copy(const struct lyd_node *edit, bool recursive)
{
	struct lyd_node *copy = NULL;

	/* list keys are copied in any case */
	if (lyd_dup_single(edit, NULL,
			   (recursive ? LYD_DUP_RECURSIVE : 0)
				   | LYD_DUP_NO_META,
			   &copy))
		return NULL;
	return copy;
}

static bool node_insert(struct lyd_node *parent, struct lyd_node **siblings,
			struct lyd_node *node)
{
	struct lyd_node *first = NULL;

	if (parent)
		return lyd_insert_child(parent, node) == LY_SUCCESS;
	if (lyd_insert_sibling(*siblings, node, &first))
		return false;
	*siblings = first;
	return true;
}

/* free node; *siblings stays a valid pointer into the sibling list */
static void node_remove(struct lyd_node **siblings, struct lyd_node *node)
{
	if (*siblings == node) {
		*siblings = node->next;
		if (!*siblings && node->prev != node)
			*siblings = lyd_first_sibling(node->prev);
	}
	lyd_free_tree(node);
	if (*siblings)
		*siblings = lyd_first_sibling(*siblings);
}

static bool edit_children(struct lyd_node *target_parent,
			  const struct lyd_node *edit_parent,
			  enum ios_nc_edit_op op, struct ios_nc_error *err);

static bool edit_node(struct lyd_node *parent, struct lyd_node **siblings,
		      const struct lyd_node *edit, enum ios_nc_edit_op inherited,
		      struct ios_nc_error *err)
{
	struct lyd_node *match = NULL, *copy;
	enum ios_nc_edit_op op;
	bool created = false;

	if (!node_op(edit, inherited, &op, err))
		return false;
	/* keys name the instance: they are neither edited nor removed */
	if (edit->schema && lysc_is_key(edit->schema))
		return true;
	if (!edit->schema)
		match = opaque_match(*siblings, edit);
	else if (*siblings && edit->schema->nodetype == LYS_LEAF)
		/* a leaf has one instance, whatever value the edit gives it */
		(void)lyd_find_sibling_val(*siblings, edit->schema, NULL, 0,
					   &match);
	else if (*siblings)
		(void)lyd_find_sibling_first(*siblings, edit, &match);
	if (!edit->schema && op != IOS_NC_OP_DELETE && op != IOS_NC_OP_REMOVE) {
		edit_error(err, NC_ERR_INVALID_VALUE, edit, NULL,
			   "no valid value");
		return false;
	}

	switch (op) {
	case IOS_NC_OP_CREATE:
		if (match) {
			edit_error(err, NC_ERR_DATA_EXISTS, edit, NULL,
				   "create: the data exists already");
			return false;
		}
		/* fallthrough */
	case IOS_NC_OP_REPLACE:
		if (match)
			node_remove(siblings, match);
		copy = edit_copy(edit, true);
		if (!copy || !node_insert(parent, siblings, copy)) {
			lyd_free_tree(copy);
			edit_error(err, NC_ERR_OP_FAILED, edit, NULL,
				   "cannot insert");
			return false;
		}
		return true;
	case IOS_NC_OP_DELETE:
		if (!match) {
			edit_error(err, NC_ERR_DATA_MISSING, edit, NULL,
				   "delete: the data does not exist");
			return false;
		}
		/* fallthrough */
	case IOS_NC_OP_REMOVE:
		if (match)
			node_remove(siblings, match);
		return true;
	case IOS_NC_OP_MERGE:
	case IOS_NC_OP_NONE:
		break;
	}

	if (edit->schema->nodetype & LYD_NODE_TERM) {
		if (op == IOS_NC_OP_NONE)
			return true;
		if (match && (match->schema->nodetype == LYS_LEAF)) {
			LY_ERR ret = lyd_change_term(match, lyd_get_value(edit));

			/* LY_EEXIST: same value, LY_ENOT: was the default */
			if (ret != LY_SUCCESS && ret != LY_EEXIST
			    && ret != LY_ENOT) {
				edit_error(err, NC_ERR_INVALID_VALUE, edit,
					   NULL, "cannot set the value");
				return false;
			}
			return true;
		}
		if (match)
			return true;
		copy = edit_copy(edit, false);
		if (!copy || !node_insert(parent, siblings, copy)) {
			lyd_free_tree(copy);
			edit_error(err, NC_ERR_OP_FAILED, edit, NULL,
				   "cannot insert");
			return false;
		}
		return true;
	}

	/* container or list: create it if needed, then edit its children */
	if (!match) {
		match = edit_copy(edit, false);
		if (!match || !node_insert(parent, siblings, match)) {
			lyd_free_tree(match);
			edit_error(err, NC_ERR_OP_FAILED, edit, NULL,
				   "cannot insert");
			return false;
		}
		created = true;
	}
	if (!edit_children(match, edit, op, err))
		return false;
	/* "none" creates no ancestors of something it did not create */
	if (created && op == IOS_NC_OP_NONE) {
		struct lyd_node *child;
		bool content = false;

		LY_LIST_FOR (lyd_child(match), child)
			if (!lysc_is_key(child->schema))
				content = true;
		if (!content)
			node_remove(siblings, match);
	}
	return true;
}

static bool edit_children(struct lyd_node *target_parent,
			  const struct lyd_node *edit_parent,
			  enum ios_nc_edit_op op, struct ios_nc_error *err)
{
	const struct lyd_node *edit;
	struct lyd_node *siblings = lyd_child(target_parent);

	LY_LIST_FOR (lyd_child(edit_parent), edit) {
		if (!edit_node(target_parent, &siblings, edit, op, err))
			return false;
		siblings = lyd_child(target_parent);
	}
	return true;
}

bool ios_nc_edit_apply(struct lyd_node **target, const struct lyd_node *edit,
		       enum ios_nc_edit_op default_op,
		       struct ios_nc_error *err)
{
	const struct lyd_node *node;

	LY_LIST_FOR (edit, node)
		if (!edit_node(NULL, target, node, default_op, err))
			return false;
	return true;
}
