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

#include <pthread.h>

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

void ios_nc_notif_init(void)
{
	hook_register(ios_tunnel_oper_changed, tunnel_changed);
	hook_register(ios_crypto_map_sa_changed, sa_changed);
}

void ios_nc_notif_fini(void)
{
	hook_unregister(ios_tunnel_oper_changed, tunnel_changed);
	hook_unregister(ios_crypto_map_sa_changed, sa_changed);
	ios_nc_notif_free(ios_nc_notif_take());
}
