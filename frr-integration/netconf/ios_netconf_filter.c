// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Subtree filtering (RFC 6241 section 6) of <get> and <get-config>
 * replies. Filter nodes come from an anyxml parameter: opaque nodes, or
 * typed ones where libyang recognised them, so both kinds are read
 * through the helpers below.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include "ios_netconf.h"

static const char *filter_ns(const struct lyd_node *filter)
{
	if (filter->schema)
		return filter->schema->module->ns;
	/* XML opaque nodes keep their namespace URI here */
	return ((const struct lyd_node_opaq *)filter)->name.module_ns;
}

static const char *filter_text(const struct lyd_node *filter)
{
	const char *text;

	if (filter->schema)
		text = (filter->schema->nodetype & LYD_NODE_TERM)
			       ? lyd_get_value(filter)
			       : NULL;
	else
		text = ((const struct lyd_node_opaq *)filter)->value;
	if (!text)
		return NULL;
	text += strspn(text, " \t\r\n");
	return *text ? text : NULL;
}

/* a leaf with a value: selects its parent only if the data matches */
static bool filter_is_content_match(const struct lyd_node *filter)
{
	return !lyd_child(filter) && filter_text(filter);
}

static bool filter_names(const struct lyd_node *filter,
			 const struct lyd_node *data)
{
	const char *ns = filter_ns(filter);

	if (!strmatch(LYD_NAME(filter), LYD_NAME(data)))
		return false;
	/* without a namespace the name alone selects */
	return !ns || !*ns || strmatch(ns, data->schema->module->ns);
}

static bool value_matches(const struct lyd_node *data, const char *text)
{
	size_t len = strlen(text);
	const char *value;

	if (!(data->schema->nodetype & LYD_NODE_TERM))
		return false;
	value = lyd_get_value(data);
	while (len && strchr(" \t\r\n", text[len - 1]))
		len--;
	return strlen(value) == len && !strncmp(value, text, len);
}

static bool content_matches(const struct lyd_node *data,
			    const struct lyd_node *filter)
{
	const struct lyd_node *child;

	LY_LIST_FOR (lyd_child(data), child)
		if (filter_names(filter, child)
		    && value_matches(child, filter_text(filter)))
			return true;
	return false;
}

static struct lyd_node *copy_all(const struct lyd_node *data)
{
	struct lyd_node *copy = NULL;

	(void)lyd_dup_single(data, NULL, LYD_DUP_RECURSIVE, &copy);
	return copy;
}

static struct lyd_node *filter_node(const struct lyd_node *data,
				    const struct lyd_node *filter);

/* what the filter children select below one data child */
static struct lyd_node *filter_child(const struct lyd_node *child,
				     const struct lyd_node *filter_parent)
{
	const struct lyd_node *filter;
	struct lyd_node *result = NULL, *part;

	LY_LIST_FOR (lyd_child(filter_parent), filter) {
		if (!filter_names(filter, child))
			continue;
		part = filter_node(child, filter);
		if (!part)
			continue;
		if (!result)
			result = part;
		else
			(void)lyd_merge_tree(&result, part,
					     LYD_MERGE_DESTRUCT);
	}
	return result;
}

static struct lyd_node *filter_node(const struct lyd_node *data,
				    const struct lyd_node *filter)
{
	const struct lyd_node *fchild, *child;
	struct lyd_node *copy = NULL, *part;
	bool only_content = true, selected = false;

	if (!lyd_child(filter)) {
		const char *text = filter_text(filter);

		if (text && !value_matches(data, text))
			return NULL;
		return copy_all(data);
	}
	LY_LIST_FOR (lyd_child(filter), fchild) {
		if (!filter_is_content_match(fchild)) {
			only_content = false;
			continue;
		}
		if (!content_matches(data, fchild))
			return NULL;
	}
	if (only_content)
		return copy_all(data);

	/* list keys are copied with the list entry */
	if (lyd_dup_single(data, NULL, 0, &copy))
		return NULL;
	LY_LIST_FOR (lyd_child(data), child) {
		if (lysc_is_key(child->schema))
			continue;
		part = filter_child(child, filter);
		if (!part)
			continue;
		if (lyd_insert_child(copy, part))
			lyd_free_tree(part);
		else
			selected = true;
	}
	if (!selected) {
		lyd_free_tree(copy);
		return NULL;
	}
	return copy;
}

bool ios_nc_filter_subtree(const struct lyd_node *data,
			   const struct lyd_node *filter,
			   struct lyd_node **result)
{
	const struct lyd_node *top, *ftop;
	struct lyd_node *part;

	*result = NULL;
	LY_LIST_FOR (data, top) {
		LY_LIST_FOR (filter, ftop) {
			if (!filter_names(ftop, top))
				continue;
			part = filter_node(top, ftop);
			if (part && lyd_merge_siblings(result, part,
						       LYD_MERGE_DESTRUCT))
				return false;
		}
	}
	return true;
}
