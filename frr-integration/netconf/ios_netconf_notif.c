// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RFC 5277 notifications of the ios-ipsec-suite model: the crypto module
 * reports tunnel and SA state changes through hooks on the main thread;
 * they are queued here as plain values and turned into notifications by
 * the NETCONF thread, in its own libyang context.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include <dlfcn.h>
#include <pthread.h>

#include "lib_errors.h"
#include "printfrr.h"

#include "frr-integration/zebra/ios_crypto_config.h"
#include "ios_netconf.h"

DEFINE_MTYPE_STATIC(IOS_NETCONF, IOS_NC_EVENT, "NETCONF notification");

/* events nobody reads are not queued, and the queue is bounded */
#define EVENT_QUEUE_MAX 10000

static pthread_mutex_t queue_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct ios_nc_event *queue_head, **queue_tail = &queue_head;
static size_t queue_length;
static bool listening;

static void leaf_add(struct ios_nc_event *event, const char *leaf,
		     const char *fmt, ...) PRINTFRR(3, 4);
static void leaf_add(struct ios_nc_event *event, const char *leaf,
		     const char *fmt, ...)
{
	va_list ap;

	if (event->leaf_count >= array_size(event->leaves))
		return;
	event->leaves[event->leaf_count].leaf = leaf;
	va_start(ap, fmt);
	vsnprintfrr(event->leaves[event->leaf_count].value,
		    sizeof(event->leaves[0].value), fmt, ap);
	va_end(ap);
	event->leaf_count++;
}

static void event_queue(struct ios_nc_event *event)
{
	pthread_mutex_lock(&queue_mutex);
	if (!listening || queue_length >= EVENT_QUEUE_MAX) {
		pthread_mutex_unlock(&queue_mutex);
		XFREE(MTYPE_IOS_NC_EVENT, event);
		return;
	}
	*queue_tail = event;
	queue_tail = &event->next;
	queue_length++;
	pthread_mutex_unlock(&queue_mutex);
}

static struct ios_nc_event *event_new(const char *name)
{
	struct ios_nc_event *event = XCALLOC(MTYPE_IOS_NC_EVENT, sizeof(*event));

	event->name = name;
	event->when = time(NULL);
	return event;
}

static int tunnel_changed(struct ios_interface *ifc)
{
	struct ios_nc_event *event = event_new("tunnel-state-change");

	leaf_add(event, "name", "%s", ifc->name);
	leaf_add(event, "oper-status", "%s", ifc->tunnel.up ? "up" : "down");
	leaf_add(event, "reason", "%s", ifc->tunnel.reason);
	event_queue(event);
	return 0;
}

static const char *sa_state_name(enum ios_sa_state state)
{
	switch (state) {
	case IOS_SA_UP:
		return "up";
	case IOS_SA_NEGOTIATING:
		return "negotiating";
	case IOS_SA_DOWN:
		break;
	}
	return "down";
}

static int sa_changed(struct ios_crypto_map_entry *map)
{
	struct ios_nc_event *event = event_new("sa-state-change");

	leaf_add(event, "name", "%s", map->name);
	leaf_add(event, "sequence", "%u", map->sequence);
	if (map->has_peer)
		leaf_add(event, "peer", "%pI4", &map->peer);
	leaf_add(event, "sa-state", "%s", sa_state_name(map->sa.state));
	if (map->sa.state == IOS_SA_UP) {
		leaf_add(event, "spi-in", "%u", map->sa.spi_in);
		leaf_add(event, "spi-out", "%u", map->sa.spi_out);
	}
	event_queue(event);
	return 0;
}

struct ios_nc_event *ios_nc_notif_take(void)
{
	struct ios_nc_event *events;

	pthread_mutex_lock(&queue_mutex);
	events = queue_head;
	queue_head = NULL;
	queue_tail = &queue_head;
	queue_length = 0;
	pthread_mutex_unlock(&queue_mutex);
	return events;
}

void ios_nc_notif_free(struct ios_nc_event *events)
{
	while (events) {
		struct ios_nc_event *next = events->next;

		XFREE(MTYPE_IOS_NC_EVENT, events);
		events = next;
	}
}

void ios_nc_notif_set_listening(bool on)
{
	pthread_mutex_lock(&queue_mutex);
	listening = on;
	pthread_mutex_unlock(&queue_mutex);
}

/*
 * The hooks are zebra_ios_crypto's: found by name once every module is
 * loaded, not linked against, so that this module loads whatever the
 * order of -M options (a reference to the crypto module's symbols would
 * make dlopen() fail when this module comes first).
 */
static struct hook *tunnel_hook, *sa_hook;

static struct hook *crypto_hook(const char *symbol)
{
	struct hook *hook = dlsym(RTLD_DEFAULT, symbol);

	if (!hook)
		flog_err(EC_LIB_UNAVAILABLE,
			 "zebra_ios_netconf: %s not found (zebra_ios_crypto not loaded?): no notifications",
			 symbol);
	return hook;
}

void ios_nc_notif_init(void)
{
	static struct hookent tunnel_entry, sa_entry;

	tunnel_hook = crypto_hook("_hook_ios_tunnel_oper_changed");
	sa_hook = crypto_hook("_hook_ios_crypto_map_sa_changed");
	if (tunnel_hook)
		_hook_register(tunnel_hook, &tunnel_entry,
			       _hook_typecheck_ios_tunnel_oper_changed(
				       tunnel_changed),
			       NULL, false, THIS_MODULE, "tunnel_changed",
			       HOOK_DEFAULT_PRIORITY);
	if (sa_hook)
		_hook_register(sa_hook, &sa_entry,
			       _hook_typecheck_ios_crypto_map_sa_changed(
				       sa_changed),
			       NULL, false, THIS_MODULE, "sa_changed",
			       HOOK_DEFAULT_PRIORITY);
}

void ios_nc_notif_fini(void)
{
	if (tunnel_hook)
		_hook_unregister(tunnel_hook,
				 _hook_typecheck_ios_tunnel_oper_changed(
					 tunnel_changed),
				 NULL, false);
	if (sa_hook)
		_hook_unregister(sa_hook,
				 _hook_typecheck_ios_crypto_map_sa_changed(
					 sa_changed),
				 NULL, false);
	tunnel_hook = sa_hook = NULL;
	ios_nc_notif_free(ios_nc_notif_take());
}
