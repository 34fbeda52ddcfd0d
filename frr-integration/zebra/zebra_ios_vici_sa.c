// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VICI client of the zebra module: the SAs charon reported, kept current by
 * ike-updown, child-updown, ike-rekey and child-rekey events and rebuilt by
 * a list-sas resync after every (re)connect; subscribers hear every change.
 * Periodic list-sas refreshes (zebra_ios_vici.c) run the same resync: they
 * bring charon's traffic counters, which change without any event, and
 * correct the table should an event have been missed.
 *
 * The table holds only what matters to a router: IKE SAs that are up and
 * CHILD SAs that are installed. charon's messages are trusted for their
 * wire format (the codec checked it) but not for their contents: an SA
 * without a usable uniqueid is ignored, strings are copied with bounds.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include "log.h"
#include "memory.h"
#include "monotime.h"
#include "typerb.h"
#include "typesafe.h"

#include "frr-integration/zebra/zebra_ios_vici_internal.h"

DEFINE_MTYPE_STATIC(IOS_VICI, IOS_VICI_IKE_SA, "VICI IKE SA");
DEFINE_MTYPE_STATIC(IOS_VICI, IOS_VICI_CHILD_SA, "VICI CHILD SA");
DEFINE_MTYPE_STATIC(IOS_VICI, IOS_VICI_SA_STRING, "VICI SA strings");
DEFINE_MTYPE_STATIC(IOS_VICI, IOS_VICI_SA_SUBSCRIBER, "VICI SA subscriber");
DEFINE_MTYPE_STATIC(IOS_VICI, IOS_VICI_COUNTERS_SUBSCRIBER,
		    "VICI counters subscriber");

/* more traffic selectors than this per side are not kept */
#define VICI_TS_MAX 32

PREDECL_RBTREE_UNIQ(vici_ike_sas);
PREDECL_DLIST(vici_child_sas);
PREDECL_RBTREE_NONUNIQ(vici_child_names);
PREDECL_DLIST(vici_sa_subs);
PREDECL_DLIST(vici_counters_subs);

struct vici_ike_entry {
	struct vici_ike_sas_item item;
	struct zebra_ios_vici_ike_sa sa;
	struct vici_child_sas_head children;
	/* resync generation in which charon last reported it */
	uint64_t seen;
	char *name, *state, *local_id, *remote_id;
};

struct vici_child_entry {
	struct vici_child_sas_item item;
	/* in child_names (by CHILD config name) while 'named' */
	struct vici_child_names_item name_item;
	bool named;
	struct zebra_ios_vici_child_sa sa;
	uint64_t seen;
	char *name, *state, *mode, *protocol;
	char **local_ts, **remote_ts;
};

struct vici_sa_sub {
	struct vici_sa_subs_item item;
	zebra_ios_vici_sa_cb cb;
	void *arg;
};

struct vici_counters_sub {
	struct vici_counters_subs_item item;
	zebra_ios_vici_counters_cb cb;
	void *arg;
};

static int vici_ike_cmp(const struct vici_ike_entry *a,
			const struct vici_ike_entry *b)
{
	return numcmp(a->sa.uniqueid, b->sa.uniqueid);
}

DECLARE_RBTREE_UNIQ(vici_ike_sas, struct vici_ike_entry, item, vici_ike_cmp);
DECLARE_DLIST(vici_child_sas, struct vici_child_entry, item);

static int vici_child_name_cmp(const struct vici_child_entry *a,
			       const struct vici_child_entry *b)
{
	return strcmp(a->sa.name ? a->sa.name : "",
		      b->sa.name ? b->sa.name : "");
}

DECLARE_RBTREE_NONUNIQ(vici_child_names, struct vici_child_entry, name_item,
		       vici_child_name_cmp);
DECLARE_DLIST(vici_sa_subs, struct vici_sa_sub, item);
DECLARE_DLIST(vici_counters_subs, struct vici_counters_sub, item);

static struct vici_ike_sas_head ike_sas = INIT_RBTREE_UNIQ(ike_sas);
/*
 * every CHILD SA of every IKE SA, by name: what a crypto map entry's SAs
 * are found by, without a walk over the whole table
 */
static struct vici_child_names_head child_names =
	INIT_RBTREE_NONUNIQ(child_names);
static struct vici_sa_subs_head sa_subs = INIT_DLIST(sa_subs);
static struct vici_counters_subs_head counters_subs =
	INIT_DLIST(counters_subs);
static uint64_t resync_generation;
static bool resync_running;
/*
 * Set while a change comes from list-sas (a list-sa event, or the end of
 * the listing): only those are flagged resync, events that arrive while a
 * list-sas is on the way are events like any other.
 */
static bool from_listing;
/* a counter changed during the running list-sas */
static bool counters_changed;

/* ---------------------------------------------------------- subscribers */

void zebra_ios_vici_sa_subscribe(zebra_ios_vici_sa_cb cb, void *arg)
{
	struct vici_sa_sub *sub;

	sub = XCALLOC(MTYPE_IOS_VICI_SA_SUBSCRIBER, sizeof(*sub));
	sub->cb = cb;
	sub->arg = arg;
	vici_sa_subs_add_tail(&sa_subs, sub);
}

void zebra_ios_vici_sa_unsubscribe(zebra_ios_vici_sa_cb cb, void *arg)
{
	struct vici_sa_sub *sub;

	frr_each_safe (vici_sa_subs, &sa_subs, sub) {
		if (sub->cb == cb && sub->arg == arg) {
			vici_sa_subs_del(&sa_subs, sub);
			XFREE(MTYPE_IOS_VICI_SA_SUBSCRIBER, sub);
		}
	}
}

void zebra_ios_vici_counters_subscribe(zebra_ios_vici_counters_cb cb,
				       void *arg)
{
	struct vici_counters_sub *sub;

	sub = XCALLOC(MTYPE_IOS_VICI_COUNTERS_SUBSCRIBER, sizeof(*sub));
	sub->cb = cb;
	sub->arg = arg;
	vici_counters_subs_add_tail(&counters_subs, sub);
}

void zebra_ios_vici_counters_unsubscribe(zebra_ios_vici_counters_cb cb,
					 void *arg)
{
	struct vici_counters_sub *sub;

	frr_each_safe (vici_counters_subs, &counters_subs, sub) {
		if (sub->cb == cb && sub->arg == arg) {
			vici_counters_subs_del(&counters_subs, sub);
			XFREE(MTYPE_IOS_VICI_COUNTERS_SUBSCRIBER, sub);
		}
	}
}

static void vici_counters_notify(void)
{
	struct vici_counters_sub *sub;

	frr_each_safe (vici_counters_subs, &counters_subs, sub)
		sub->cb(sub->arg);
}

const char *zebra_ios_vici_sa_change_name(enum zebra_ios_vici_sa_change c)
{
	switch (c) {
	case ZEBRA_IOS_VICI_SA_UP:
		return "up";
	case ZEBRA_IOS_VICI_SA_DOWN:
		return "down";
	case ZEBRA_IOS_VICI_SA_REKEYED:
		return "rekeyed";
	}
	return "?";
}

static void vici_sa_notify(enum zebra_ios_vici_sa_change change,
			   const struct vici_ike_entry *ike,
			   const struct vici_child_entry *child,
			   uint32_t old_uniqueid)
{
	struct zebra_ios_vici_sa_event ev = {
		.change = change,
		.resync = from_listing,
		.ike = &ike->sa,
		.child = child ? &child->sa : NULL,
		.old_uniqueid = old_uniqueid,
	};
	struct vici_sa_sub *sub;

	if (child)
		VICI_DEBUG("CHILD SA %s{%u} of %s[%u] %s%s reqid %u",
			   child->sa.name, child->sa.uniqueid, ike->sa.name,
			   ike->sa.uniqueid,
			   zebra_ios_vici_sa_change_name(change),
			   from_listing ? " (resync)" : "", child->sa.reqid);
	else
		VICI_DEBUG("IKE SA %s[%u] %s%s %pIA - %pIA", ike->sa.name,
			   ike->sa.uniqueid,
			   zebra_ios_vici_sa_change_name(change),
			   from_listing ? " (resync)" : "",
			   &ike->sa.local_host, &ike->sa.remote_host);
	frr_each_safe (vici_sa_subs, &sa_subs, sub)
		sub->cb(&ev, sub->arg);
}

/* --------------------------------------------------- reading charon's data */

/* what an IKE SA section says, before it goes into the table */
struct ike_info {
	const char *name;
	uint32_t uniqueid;
	const char *state;
	unsigned int version;
	const char *local_host, *remote_host, *local_id, *remote_id;
};

struct child_info {
	const char *name;
	uint32_t uniqueid;
	uint32_t reqid;
	const char *state, *mode, *protocol;
	uint32_t spi_in, spi_out;
	const struct vici_node *local_ts, *remote_ts;
	/* charon sent all four counters */
	bool has_counters;
	uint64_t bytes_in, packets_in, bytes_out, packets_out;
};

static bool get_u32(const struct vici_node *section, const char *key,
		    uint32_t *value)
{
	uint64_t v;

	if (!vici_node_get_u64(section, key, &v) || v > UINT32_MAX)
		return false;
	*value = (uint32_t)v;
	return true;
}

/* charon prints SPIs as 8 hex digits */
static uint32_t get_spi(const struct vici_node *section, const char *key)
{
	const char *str = vici_node_get_str(section, key);
	uint32_t spi = 0;
	int digits = 0;

	if (!str)
		return 0;
	for (; *str && digits < 8; str++, digits++) {
		if (!isxdigit((unsigned char)*str))
			return 0;
		spi = spi << 4 |
		      (uint32_t)(isdigit((unsigned char)*str)
					 ? *str - '0'
					 : tolower((unsigned char)*str) - 'a' + 10);
	}
	return *str ? 0 : spi;
}

static const char *get_str(const struct vici_node *section, const char *key)
{
	const char *str = vici_node_get_str(section, key);

	return str ? str : "";
}

static bool parse_ike(const struct vici_node *section, const char *name,
		      struct ike_info *info)
{
	uint32_t version = 0;

	memset(info, 0, sizeof(*info));
	if (section->type != VICI_NODE_SECTION ||
	    !get_u32(section, "uniqueid", &info->uniqueid)) {
		VICI_DEBUG("IKE SA section '%s' without a uniqueid ignored",
			   name);
		return false;
	}
	info->name = name;
	info->state = get_str(section, "state");
	if (get_u32(section, "version", &version))
		info->version = version;
	info->local_host = get_str(section, "local-host");
	info->remote_host = get_str(section, "remote-host");
	info->local_id = get_str(section, "local-id");
	info->remote_id = get_str(section, "remote-id");
	return true;
}

static bool parse_child(const struct vici_node *section,
			struct child_info *info)
{
	memset(info, 0, sizeof(*info));
	if (section->type != VICI_NODE_SECTION ||
	    !get_u32(section, "uniqueid", &info->uniqueid)) {
		VICI_DEBUG("CHILD SA section '%s' without a uniqueid ignored",
			   section->name);
		return false;
	}
	info->name = vici_node_get_str(section, "name");
	if (!info->name)
		info->name = section->name;	/* "<name>-<uniqueid>" */
	get_u32(section, "reqid", &info->reqid);
	info->state = get_str(section, "state");
	info->mode = get_str(section, "mode");
	info->protocol = get_str(section, "protocol");
	info->spi_in = get_spi(section, "spi-in");
	info->spi_out = get_spi(section, "spi-out");
	info->local_ts = vici_node_get(section, "local-ts");
	info->remote_ts = vici_node_get(section, "remote-ts");
	/* vici_query.c's list_child(): in every listing and up event */
	info->has_counters =
		vici_node_get_u64(section, "bytes-in", &info->bytes_in) &&
		vici_node_get_u64(section, "packets-in", &info->packets_in) &&
		vici_node_get_u64(section, "bytes-out", &info->bytes_out) &&
		vici_node_get_u64(section, "packets-out", &info->packets_out);
	return true;
}

/* IKE SA states in which its CHILD SAs carry traffic */
static bool ike_state_up(const char *state)
{
	return strcmp(state, "ESTABLISHED") == 0 ||
	       strcmp(state, "REKEYING") == 0;
}

/*
 * CHILD SA states in which it is installed in the kernel and stays so
 * until charon says otherwise. REKEYED (the predecessor after a rekey) is
 * not: its deletion raises no child-updown.
 */
static bool child_state_up(const char *state)
{
	return strcmp(state, "INSTALLED") == 0 ||
	       strcmp(state, "UPDATING") == 0 ||
	       strcmp(state, "REKEYING") == 0;
}

/* ----------------------------------------------------------- the table */

static void set_string(char **store, const char **public, const char *value)
{
	if (*store && strcmp(*store, value) == 0)
		return;
	XFREE(MTYPE_IOS_VICI_SA_STRING, *store);
	*store = XSTRDUP(MTYPE_IOS_VICI_SA_STRING, value);
	*public = *store;
}

static void set_address(struct ipaddr *addr, const char *str)
{
	if (!*str || str2ipaddr(str, addr) != 0) {
		memset(addr, 0, sizeof(*addr));
		addr->ipa_type = IPADDR_NONE;
	}
}

static void free_ts(char ***list, size_t *count)
{
	size_t i;

	for (i = 0; *list && i < *count; i++)
		XFREE(MTYPE_IOS_VICI_SA_STRING, (*list)[i]);
	XFREE(MTYPE_IOS_VICI_SA_STRING, *list);
	*count = 0;
}

static void set_ts(char ***list, size_t *count, const char *const **public,
		   const struct vici_node *node)
{
	const struct vici_node *item;
	size_t n = 0;

	free_ts(list, count);
	*public = NULL;
	if (!node || node->type != VICI_NODE_LIST)
		return;
	*list = XCALLOC(MTYPE_IOS_VICI_SA_STRING,
			(VICI_TS_MAX + 1) * sizeof(char *));
	for (item = node->first; item && n < VICI_TS_MAX; item = item->next) {
		const char *str = vici_node_str(item);

		if (str)
			(*list)[n++] = XSTRDUP(MTYPE_IOS_VICI_SA_STRING, str);
	}
	*count = n;
	*public = (const char *const *)*list;
}

static void ike_update(struct vici_ike_entry *ike, const struct ike_info *info)
{
	set_string(&ike->name, &ike->sa.name, info->name);
	set_string(&ike->state, &ike->sa.state, info->state);
	set_string(&ike->local_id, &ike->sa.local_id, info->local_id);
	set_string(&ike->remote_id, &ike->sa.remote_id, info->remote_id);
	if (info->version)
		ike->sa.version = info->version;
	set_address(&ike->sa.local_host, info->local_host);
	set_address(&ike->sa.remote_host, info->remote_host);
	ike->seen = resync_generation;
}

static struct vici_ike_entry *ike_find(uint32_t uniqueid)
{
	struct vici_ike_entry key = { .sa.uniqueid = uniqueid };

	return vici_ike_sas_find(&ike_sas, &key);
}

/* the IKE SA for 'info': updated if known, else added and announced */
static struct vici_ike_entry *ike_upsert(const struct ike_info *info)
{
	struct vici_ike_entry *ike = ike_find(info->uniqueid);

	if (ike) {
		ike_update(ike, info);
		return ike;
	}
	ike = XCALLOC(MTYPE_IOS_VICI_IKE_SA, sizeof(*ike));
	ike->sa.uniqueid = info->uniqueid;
	vici_child_sas_init(&ike->children);
	ike_update(ike, info);
	vici_ike_sas_add(&ike_sas, ike);
	vici_sa_notify(ZEBRA_IOS_VICI_SA_UP, ike, NULL, 0);
	return ike;
}

static void child_unindex(struct vici_child_entry *child)
{
	if (!child->named)
		return;
	vici_child_names_del(&child_names, child);
	child->named = false;
}

static void child_index(struct vici_child_entry *child)
{
	child_unindex(child);
	vici_child_names_add(&child_names, child);
	child->named = true;
}

static void child_free(struct vici_child_entry *child)
{
	child_unindex(child);
	XFREE(MTYPE_IOS_VICI_SA_STRING, child->name);
	XFREE(MTYPE_IOS_VICI_SA_STRING, child->state);
	XFREE(MTYPE_IOS_VICI_SA_STRING, child->mode);
	XFREE(MTYPE_IOS_VICI_SA_STRING, child->protocol);
	free_ts(&child->local_ts, &child->sa.local_ts_count);
	free_ts(&child->remote_ts, &child->sa.remote_ts_count);
	XFREE(MTYPE_IOS_VICI_CHILD_SA, child);
}

static void ike_free(struct vici_ike_entry *ike)
{
	struct vici_child_entry *child;

	while ((child = vici_child_sas_pop(&ike->children)))
		child_free(child);
	vici_child_sas_fini(&ike->children);
	XFREE(MTYPE_IOS_VICI_SA_STRING, ike->name);
	XFREE(MTYPE_IOS_VICI_SA_STRING, ike->state);
	XFREE(MTYPE_IOS_VICI_SA_STRING, ike->local_id);
	XFREE(MTYPE_IOS_VICI_SA_STRING, ike->remote_id);
	XFREE(MTYPE_IOS_VICI_IKE_SA, ike);
}

static void child_remove(struct vici_ike_entry *ike,
			 struct vici_child_entry *child)
{
	/* out of both lists before the news: subscribers look it up by name */
	vici_child_sas_del(&ike->children, child);
	child_unindex(child);
	vici_sa_notify(ZEBRA_IOS_VICI_SA_DOWN, ike, child, 0);
	child_free(child);
}

/* an IKE SA goes: its CHILD SAs first, each announced */
static void ike_remove(struct vici_ike_entry *ike)
{
	struct vici_child_entry *child;

	while ((child = vici_child_sas_first(&ike->children)))
		child_remove(ike, child);
	vici_ike_sas_del(&ike_sas, ike);
	vici_sa_notify(ZEBRA_IOS_VICI_SA_DOWN, ike, NULL, 0);
	ike_free(ike);
}

static struct vici_child_entry *child_find(struct vici_ike_entry *ike,
					   uint32_t uniqueid)
{
	struct vici_child_entry *child;

	frr_each (vici_child_sas, &ike->children, child)
		if (child->sa.uniqueid == uniqueid)
			return child;
	return NULL;
}

/* counters without a change of state: no SA notification */
static void child_set_counters(struct vici_child_entry *child,
			       const struct child_info *info)
{
	struct zebra_ios_vici_child_sa *sa = &child->sa;

	if (!info->has_counters)
		return;	/* keep what charon said last */
	if (sa->bytes_in != info->bytes_in ||
	    sa->packets_in != info->packets_in ||
	    sa->bytes_out != info->bytes_out ||
	    sa->packets_out != info->packets_out)
		counters_changed = true;
	sa->bytes_in = info->bytes_in;
	sa->packets_in = info->packets_in;
	sa->bytes_out = info->bytes_out;
	sa->packets_out = info->packets_out;
	sa->counters_time = monotime(NULL);
}

static void child_update(struct vici_ike_entry *ike,
			 struct vici_child_entry *child,
			 const struct child_info *info)
{
	/* a different SA (rekeyed): the old one's counters do not carry on */
	if (child->sa.uniqueid != info->uniqueid) {
		child->sa.bytes_in = child->sa.packets_in = 0;
		child->sa.bytes_out = child->sa.packets_out = 0;
		child->sa.counters_time = 0;
	}
	child_set_counters(child, info);
	child->sa.uniqueid = info->uniqueid;
	child->sa.reqid = info->reqid;
	child->sa.spi_in = info->spi_in;
	child->sa.spi_out = info->spi_out;
	child->sa.ike = &ike->sa;
	set_string(&child->name, &child->sa.name, info->name);
	set_string(&child->state, &child->sa.state, info->state);
	set_string(&child->mode, &child->sa.mode, info->mode);
	set_string(&child->protocol, &child->sa.protocol, info->protocol);
	set_ts(&child->local_ts, &child->sa.local_ts_count,
	       &child->sa.local_ts, info->local_ts);
	set_ts(&child->remote_ts, &child->sa.remote_ts_count,
	       &child->sa.remote_ts, info->remote_ts);
	child->seen = resync_generation;
}

static void child_upsert(struct vici_ike_entry *ike,
			 const struct child_info *info)
{
	struct vici_child_entry *child = child_find(ike, info->uniqueid);

	if (child) {
		child_unindex(child);	/* the name may change */
		child_update(ike, child, info);
		child_index(child);
		return;
	}
	child = XCALLOC(MTYPE_IOS_VICI_CHILD_SA, sizeof(*child));
	child_update(ike, child, info);
	child_index(child);
	vici_child_sas_add_tail(&ike->children, child);
	vici_sa_notify(ZEBRA_IOS_VICI_SA_UP, ike, child, 0);
}

/* ------------------------------------------------------------- the events */

/* the IKE SA sections of an event: every section of the root */
#define frr_each_ike_section(root, node)                                       \
	for ((node) = (root)->first; (node); (node) = (node)->next)            \
		if ((node)->type == VICI_NODE_SECTION)

static void handle_ike_updown(const struct vici_node *root)
{
	bool up = vici_node_get_str(root, "up") != NULL &&
		  strcmp(vici_node_get_str(root, "up"), "yes") == 0;
	const struct vici_node *section;
	struct ike_info info;

	frr_each_ike_section (root, section) {
		struct vici_ike_entry *ike;

		if (!parse_ike(section, section->name, &info))
			continue;
		if (up) {
			ike_upsert(&info);
			continue;
		}
		ike = ike_find(info.uniqueid);
		if (ike)
			ike_remove(ike);
	}
}

static void handle_child_updown(const struct vici_node *root)
{
	bool up = vici_node_get_str(root, "up") != NULL &&
		  strcmp(vici_node_get_str(root, "up"), "yes") == 0;
	const struct vici_node *section, *node;
	struct ike_info ike_info;
	struct child_info info;

	frr_each_ike_section (root, section) {
		struct vici_ike_entry *ike;

		if (!parse_ike(section, section->name, &ike_info))
			continue;
		/* a CHILD SA up implies its IKE SA, even if we missed it */
		ike = up ? ike_upsert(&ike_info) : ike_find(ike_info.uniqueid);
		if (!ike)
			continue;
		for (node = vici_node_get(section, "child-sas")
				    ? vici_node_get(section, "child-sas")->first
				    : NULL;
		     node; node = node->next) {
			struct vici_child_entry *child;

			if (!parse_child(node, &info))
				continue;
			if (up) {
				child_upsert(ike, &info);
				continue;
			}
			child = child_find(ike, info.uniqueid);
			if (child)
				child_remove(ike, child);
		}
	}
}

static void handle_ike_rekey(const struct vici_node *root)
{
	const struct vici_node *section;
	struct ike_info old_info, new_info;

	frr_each_ike_section (root, section) {
		struct vici_ike_entry *ike, *other;

		if (!parse_ike(vici_node_get(section, "old")
				       ? vici_node_get(section, "old")
				       : section,
			       section->name, &old_info) ||
		    !vici_node_get(section, "new") ||
		    !parse_ike(vici_node_get(section, "new"), section->name,
			       &new_info))
			continue;
		ike = ike_find(old_info.uniqueid);
		if (!ike) {
			ike_upsert(&new_info);
			continue;
		}
		other = ike_find(new_info.uniqueid);
		if (other && other != ike) {
			/* the new one is known already: it inherits */
			struct vici_child_entry *child;

			while ((child = vici_child_sas_pop(&ike->children))) {
				child->sa.ike = &other->sa;
				vici_child_sas_add_tail(&other->children,
							child);
			}
			vici_ike_sas_del(&ike_sas, ike);
			ike_free(ike);
			ike_update(other, &new_info);
			vici_sa_notify(ZEBRA_IOS_VICI_SA_REKEYED, other, NULL,
				       old_info.uniqueid);
			continue;
		}
		vici_ike_sas_del(&ike_sas, ike);
		ike->sa.uniqueid = new_info.uniqueid;
		ike_update(ike, &new_info);
		vici_ike_sas_add(&ike_sas, ike);
		vici_sa_notify(ZEBRA_IOS_VICI_SA_REKEYED, ike, NULL,
			       old_info.uniqueid);
	}
}

static void handle_child_rekey(const struct vici_node *root)
{
	const struct vici_node *section, *node;
	struct ike_info ike_info;
	struct child_info old_info, new_info;

	frr_each_ike_section (root, section) {
		struct vici_ike_entry *ike;

		if (!parse_ike(section, section->name, &ike_info))
			continue;
		ike = ike_upsert(&ike_info);
		for (node = vici_node_get(section, "child-sas")
				    ? vici_node_get(section, "child-sas")->first
				    : NULL;
		     node; node = node->next) {
			const struct vici_node *old = vici_node_get(node, "old");
			const struct vici_node *new = vici_node_get(node, "new");
			struct vici_child_entry *child;

			if (!old || !new || !parse_child(old, &old_info) ||
			    !parse_child(new, &new_info))
				continue;
			child = child_find(ike, old_info.uniqueid);
			if (!child) {
				child_upsert(ike, &new_info);
				continue;
			}
			child_unindex(child);
			child_update(ike, child, &new_info);
			child_index(child);
			vici_sa_notify(ZEBRA_IOS_VICI_SA_REKEYED, ike, child,
				       old_info.uniqueid);
		}
	}
}

/* one IKE SA (with its CHILD SAs) as streamed during list-sas */
static void handle_list_sa(const struct vici_node *root)
{
	const struct vici_node *section, *node;
	struct ike_info ike_info;
	struct child_info info;

	from_listing = true;
	frr_each_ike_section (root, section) {
		struct vici_ike_entry *ike;

		if (!parse_ike(section, section->name, &ike_info) ||
		    !ike_state_up(ike_info.state))
			continue;
		ike = ike_upsert(&ike_info);
		for (node = vici_node_get(section, "child-sas")
				    ? vici_node_get(section, "child-sas")->first
				    : NULL;
		     node; node = node->next) {
			if (parse_child(node, &info) &&
			    child_state_up(info.state))
				child_upsert(ike, &info);
		}
	}
	from_listing = false;
}

void zebra_ios_vici_sa_event(const char *event, const struct vici_node *root)
{
	if (strcmp(event, "ike-updown") == 0)
		handle_ike_updown(root);
	else if (strcmp(event, "child-updown") == 0)
		handle_child_updown(root);
	else if (strcmp(event, "ike-rekey") == 0)
		handle_ike_rekey(root);
	else if (strcmp(event, "child-rekey") == 0)
		handle_child_rekey(root);
	else if (strcmp(event, "list-sa") == 0)
		handle_list_sa(root);
	else
		VICI_DEBUG("event %s ignored", event);
}

void zebra_ios_vici_sa_resync_begin(void)
{
	resync_generation++;
	resync_running = true;
	counters_changed = false;
}

void zebra_ios_vici_sa_resync_end(bool complete)
{
	struct vici_ike_entry *ike;
	struct vici_child_entry *child;

	if (complete) {
		from_listing = true;
		/* what charon did not list is gone */
		frr_each_safe (vici_ike_sas, &ike_sas, ike) {
			if (ike->seen != resync_generation) {
				ike_remove(ike);
				continue;
			}
			frr_each_safe (vici_child_sas, &ike->children, child)
				if (child->seen != resync_generation)
					child_remove(ike, child);
		}
		from_listing = false;
	}
	resync_running = false;
	if (complete && counters_changed)
		vici_counters_notify();
	counters_changed = false;
}

/* ---------------------------------------------------------------- queries */

size_t zebra_ios_vici_sa_ike_count(void)
{
	return vici_ike_sas_count(&ike_sas);
}

size_t zebra_ios_vici_sa_child_count(void)
{
	struct vici_ike_entry *ike;
	size_t count = 0;

	frr_each (vici_ike_sas, &ike_sas, ike)
		count += vici_child_sas_count(&ike->children);
	return count;
}

const struct zebra_ios_vici_ike_sa *zebra_ios_vici_ike_sa_find(const char *name)
{
	struct vici_ike_entry *ike, *found = NULL;

	/* ordered by uniqueid: the last match is the newest */
	frr_each (vici_ike_sas, &ike_sas, ike)
		if (strcmp(ike->sa.name, name) == 0)
			found = ike;
	return found ? &found->sa : NULL;
}

const struct zebra_ios_vici_child_sa *
zebra_ios_vici_child_sa_find(const char *ike_name, const char *child_name)
{
	struct vici_ike_entry *ike;
	struct vici_child_entry *child;
	const struct zebra_ios_vici_child_sa *found = NULL;

	frr_each (vici_ike_sas, &ike_sas, ike) {
		if (strcmp(ike->sa.name, ike_name) != 0)
			continue;
		frr_each (vici_child_sas, &ike->children, child)
			if (strcmp(child->sa.name, child_name) == 0 &&
			    (!found || child->sa.uniqueid > found->uniqueid))
				found = &child->sa;
	}
	return found;
}

const struct zebra_ios_vici_child_sa *
zebra_ios_vici_child_sa_find_reqid(uint32_t reqid)
{
	struct vici_ike_entry *ike;
	struct vici_child_entry *child;

	frr_each (vici_ike_sas, &ike_sas, ike)
		frr_each (vici_child_sas, &ike->children, child)
			if (child->sa.reqid == reqid)
				return &child->sa;
	return NULL;
}

void zebra_ios_vici_sa_walk(zebra_ios_vici_sa_walk_cb cb, void *arg)
{
	struct vici_ike_entry *ike;
	struct vici_child_entry *child;

	frr_each (vici_ike_sas, &ike_sas, ike) {
		if (vici_child_sas_count(&ike->children) == 0) {
			cb(&ike->sa, NULL, arg);
			continue;
		}
		frr_each (vici_child_sas, &ike->children, child)
			cb(&ike->sa, &child->sa, arg);
	}
}

void zebra_ios_vici_child_sa_walk_name(const char *name,
				       zebra_ios_vici_sa_walk_cb cb, void *arg)
{
	struct vici_child_entry key = { .sa.name = name };
	struct vici_child_entry *child;

	/* find_gteq finds any of equal ones: start after the last smaller */
	child = vici_child_names_find_lt(&child_names, &key);
	child = child ? vici_child_names_next(&child_names, child)
		      : vici_child_names_first(&child_names);
	for (; child && vici_child_name_cmp(child, &key) == 0;
	     child = vici_child_names_next(&child_names, child))
		cb(child->sa.ike, &child->sa, arg);
}

void zebra_ios_vici_ike_sa_children_walk(uint32_t uniqueid,
					 zebra_ios_vici_sa_walk_cb cb,
					 void *arg)
{
	struct vici_ike_entry *ike = ike_find(uniqueid);
	struct vici_child_entry *child;

	if (!ike)
		return;
	frr_each (vici_child_sas, &ike->children, child)
		cb(&ike->sa, &child->sa, arg);
}

void zebra_ios_vici_sa_fini(void)
{
	struct vici_ike_entry *ike;
	struct vici_sa_sub *sub;
	struct vici_counters_sub *csub;

	while ((ike = vici_ike_sas_pop(&ike_sas)))
		ike_free(ike);

	while ((sub = vici_sa_subs_pop(&sa_subs)))
		XFREE(MTYPE_IOS_VICI_SA_SUBSCRIBER, sub);
	while ((csub = vici_counters_subs_pop(&counters_subs)))
		XFREE(MTYPE_IOS_VICI_COUNTERS_SUBSCRIBER, csub);
	resync_running = false;
	from_listing = false;
}
