// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A tunnel that comes up is announced up to ripd again, a few times, so
 * that ripd asks the peer for its routes once more (ripd itself is not
 * modified).
 *
 * Why: 1 s after an interface becomes operative, ripd joins 224.0.0.9 on
 * it, starts running RIP on it and sends one request for the peer's whole
 * table (rip_interface_wakeup). Until then it drops every RIP packet that
 * arrives on the interface ("RIP is not enabled on interface"). When both
 * ends of a tunnel come up, the end whose ripd starts first therefore
 * loses its request: the other ripd does not run yet (or its tunnel is not
 * even up, e.g. the IKEv1 Quick Mode responder installs its SA after the
 * initiator). The later end's request is answered, so it has the routes;
 * the earlier end gets the peer's routes only with the peer's next
 * periodic update (30 s by default), since a triggered update carries only
 * changed routes and split horizon keeps the peer's own routes out of it.
 * One of the two requests is lost whenever the two wakeups are further
 * apart than a packet's transit, which is almost always.
 *
 * What the module does: once a tunnel's device is operative (up, and
 * running as the kernel says), it resends zebra's "interface up" message
 * for it to the RIP clients only, at ANNOUNCE_AFTER_MS after the device
 * became operative. ripd handles it like any "up": rip_enable_apply()
 * schedules another wakeup 1 s later (the address and connected route are
 * unchanged, so nothing else moves), which rejoins the group and sends a
 * new request, by then received by a peer that came up with us. An
 * announcement that reaches ripd while its first wakeup is still pending
 * is a no-op (the timer is not rescheduled): the second one covers a ripd
 * that was slow to see the first "up"; the later ones cover a peer whose
 * SA came up seconds later. Each effective announcement costs one RIP
 * request and the peer's answer, i.e. one full table, as a periodic update
 * would.
 *
 * Fail closed and the down path are untouched: nothing is announced
 * unless the module's tunnel is up (its SA installed) and zebra itself
 * has the interface operative; a tunnel going down cancels what is left.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include "if.h"
#include "log.h"
#include "memory.h"
#include "thread.h"
#include "typesafe.h"
#include "vrf.h"

#include "zebra/zapi_msg.h"
#include "zebra/zebra_router.h"
#include "zebra/zserv.h"

#include "ios_crypto_config.h"
#include "ios_crypto_tunnel.h"

DEFINE_MTYPE_STATIC(IOS_CRYPTO, IOS_TUNNEL_ANNOUNCE,
		    "tunnel up announcements to ripd");

/*
 * When to announce, in ms after the device became operative: just after
 * ripd's own first wakeup (1 s) and once more in case ripd saw the "up"
 * late, then for peers that come up later, with doubling gaps.
 */
static const unsigned int announce_after_ms[] = {
	1050, 1300, 3100, 7100, 15100,
};
#define ANNOUNCE_COUNT array_size(announce_after_ms)

PREDECL_RBTREE_UNIQ(announces);
struct announce {
	struct announces_item item;
	char name[IOS_IFNAME_SIZE];
	/* the device is operative and the tunnel up, as last seen */
	bool operative;
	/* announcements made since it became operative */
	unsigned int sent;
	struct thread *t_next;
};

static int announce_cmp(const struct announce *a, const struct announce *b)
{
	return strcmp(a->name, b->name);
}
DECLARE_RBTREE_UNIQ(announces, struct announce, item, announce_cmp);

static struct {
	struct thread_master *master;
	struct announces_head announces;
} ann;

static void announce_fire(struct thread *t);

static struct announce *announce_find(const char *name)
{
	struct announce key = {};

	strlcpy(key.name, name, sizeof(key.name));
	return announces_find(&ann.announces, &key);
}

static void announce_free(struct announce *a)
{
	THREAD_OFF(a->t_next);
	announces_del(&ann.announces, a);
	XFREE(MTYPE_IOS_TUNNEL_ANNOUNCE, a);
}

/* zebra's ZEBRA_INTERFACE_UP for ifp, to ripd (each instance) only */
static unsigned int announce_to_rip(struct interface *ifp)
{
	struct listnode *node;
	struct zserv *client;
	unsigned int count = 0;

	for (ALL_LIST_ELEMENTS_RO(zrouter.client_list, node, client)) {
		if (client->proto != ZEBRA_ROUTE_RIP || client->synchronous)
			continue;
		zsend_interface_update(ZEBRA_INTERFACE_UP, client, ifp);
		count++;
	}
	return count;
}

static void announce_schedule(struct announce *a)
{
	unsigned int prev = a->sent ? announce_after_ms[a->sent - 1] : 0;

	if (a->sent >= ANNOUNCE_COUNT)
		return;
	thread_add_timer_msec(ann.master, announce_fire, a,
			      announce_after_ms[a->sent] - prev, &a->t_next);
}

static void announce_fire(struct thread *t)
{
	struct announce *a = THREAD_ARG(t);
	struct ios_interface *ifc = ios_interface_find(a->name);
	struct interface *ifp;
	unsigned int clients;

	if (!ifc || !ifc->is_tunnel || !ifc->tunnel.up) {
		a->operative = false;
		return;
	}
	a->sent++;
	/* zebra's view is what ripd gets: never announce what zebra lacks */
	ifp = if_lookup_by_name(a->name, VRF_DEFAULT);
	if (ifp && if_is_operative(ifp)) {
		clients = announce_to_rip(ifp);
		if (clients)
			zlog_info("tunnel %s: announced up to ripd again (%u of %zu): ripd asks the peer for its routes",
				  a->name, a->sent, ANNOUNCE_COUNT);
	}
	announce_schedule(a);
}

void ios_crypto_tunnel_rip_track(const char *name, bool operative)
{
	struct announce *a = announce_find(name);

	if (!a) {
		if (!operative)
			return;
		a = XCALLOC(MTYPE_IOS_TUNNEL_ANNOUNCE, sizeof(*a));
		strlcpy(a->name, name, sizeof(a->name));
		announces_add(&ann.announces, a);
	}
	if (operative == a->operative)
		return;
	a->operative = operative;
	a->sent = 0;
	THREAD_OFF(a->t_next);
	if (operative)
		announce_schedule(a);
}

void ios_crypto_tunnel_rip_sweep(void)
{
	struct announce *a;
	struct ios_interface *ifc;

	frr_each_safe (announces, &ann.announces, a) {
		ifc = ios_interface_find(a->name);
		if (ifc && ifc->is_tunnel && (a->operative || a->t_next))
			continue;
		announce_free(a);
	}
}

void ios_crypto_tunnel_rip_init(struct thread_master *master)
{
	ann.master = master;
	announces_init(&ann.announces);
}

void ios_crypto_tunnel_rip_finish(void)
{
	struct announce *a;

	while ((a = announces_first(&ann.announces)))
		announce_free(a);
	announces_fini(&ann.announces);
}
