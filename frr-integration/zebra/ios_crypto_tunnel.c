// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Linux devices of the tunnel interfaces (TunnelN), reconciled with
 * the configuration and the tunnels' operational state:
 *
 * - tunnel-device=gre (default): the module creates a GRE device named
 *   like the interface (local = tunnel source, or the primary IPv4 address
 *   of the source interface; remote = tunnel destination; ttl 255),
 *   recreates it when an endpoint changes and deletes it when the tunnel
 *   is no longer configured;
 * - tunnel-device=adopt: the module creates nothing and adopts an existing
 *   device of the interface's name (a stand-in where the kernel has no
 *   GRE, e.g. the veth pairs of the namespace lab).
 *
 * In both modes the module owns the device's IPv4 addresses (ip address),
 * its MTU (ip mtu; "no ip mtu" restores the MTU the device had when the
 * module took it) and IFF_UP: a device is up only while its tunnel is up,
 * i.e. while the IPsec SA protecting it is up (ios_crypto_state.c), so
 * that GRE never leaves unprotected and RIP withdraws routes at once.
 *
 * Devices the module owns carry an alias ("ios-ipsec-suite gre mtu=1476",
 * "ios-ipsec-suite adopted mtu=1500") recording that and their default
 * MTU: after a restart zebra adopts its own devices, deletes (or releases)
 * its own ones that are no longer configured, and never touches others.
 *
 * The kernel is the only record: every pass reads the devices back, so
 * the reconciliation is idempotent and runs after every configuration
 * commit and every link or address change rtnetlink reports.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include "hook.h"
#include "if.h"
#include "vrf.h"
#include "lib_errors.h"
#include "libfrr.h"
#include "log.h"
#include "printfrr.h"
#include "thread.h"

#include "ios_crypto_config.h"
#include "ios_crypto_gre.h"
#include "ios_crypto_tunnel.h"
#include "zebra_ios_crypto.h"

#define MARK_PREFIX "ios-ipsec-suite "
#define MARK_CREATED "gre"
#define MARK_ADOPTED "adopted"
/* how often a pass is retried while zebra has not learnt a new device */
#define ZEBRA_WAIT_MSEC 50
/* devices released in one pass at most (more wait for the next pass) */
#define RELEASE_BATCH 32
#define ADDRS_MAX 16

enum tunnel_device_mode {
	TUNNEL_DEVICE_GRE,
	TUNNEL_DEVICE_ADOPT,
};

static struct {
	struct thread_master *master;
	enum tunnel_device_mode mode;
	/* the configuration has been read: devices may be touched */
	bool ready;
	/* "" once rtnetlink is open */
	char netlink_error[IOS_REASON_SIZE];
	struct thread *t_reconcile;
	/* a pass waits for zebra to learn a device (zebra_knows_device) */
	struct thread *t_zebra_wait;
	bool zebra_waiting;
} tun;

/* what the alias of a device says about it */
struct device_mark {
	bool ours;
	/* a GRE device the module created (else one it adopted) */
	bool created;
	/* the MTU the device had when the module took it; 0 unknown */
	uint32_t default_mtu;
};

static const char *mode_name(void)
{
	return tun.mode == TUNNEL_DEVICE_GRE ? "gre" : "adopt";
}

static struct device_mark mark_parse(const char *alias)
{
	struct device_mark mark = {};
	char kind[16];
	unsigned int mtu;

	if (strncmp(alias, MARK_PREFIX, strlen(MARK_PREFIX)) ||
	    sscanf(alias + strlen(MARK_PREFIX), "%15s mtu=%u", kind, &mtu) != 2)
		return mark;
	if (strcmp(kind, MARK_CREATED) && strcmp(kind, MARK_ADOPTED))
		return mark;
	mark.ours = true;
	mark.created = strcmp(kind, MARK_CREATED) == 0;
	mark.default_mtu = mtu;
	return mark;
}

static void mark_format(char *buf, size_t size, bool created, uint32_t mtu)
{
	snprintf(buf, size, MARK_PREFIX "%s mtu=%u",
		 created ? MARK_CREATED : MARK_ADOPTED, mtu);
}

/* ------------------------------------------------------------ a device */

static void tunnels_reconcile_event(struct thread *t);

/*
 * Zebra learns a device's addresses only from rtnetlink, and it reads
 * them on another socket than links: RTM_NEWADDR in the dplane pthread,
 * RTM_NEWLINK in the main pthread (zebra/kernel_netlink.c). An address
 * event for an ifindex zebra does not know yet is dropped
 * (zebra_if_dplane_result: "can't find ifp"), and zebra never asks again.
 * A device this module has just created (or recreated) is unknown to zebra
 * until the main pthread - this one - has read its RTM_NEWLINK, which it
 * cannot do while this pass runs: adding the address at once lost it to
 * zebra, so RIP never saw Tunnel0's subnet. The address therefore waits
 * until zebra has the device under the kernel's ifindex; the pass is
 * retried shortly (and on every rtnetlink change anyway).
 */
static bool zebra_knows_device(struct ios_interface *ifc,
			       const struct ios_link *link)
{
	struct interface *ifp = if_lookup_by_name(link->name, VRF_DEFAULT);

	if (ifp && ifp->ifindex == link->ifindex) {
		if (tun.zebra_waiting)
			zlog_info("tunnel %s: zebra knows device %s (ifindex %d): adding its address",
				  ifc->name, link->name, link->ifindex);
		tun.zebra_waiting = false;
		return true;
	}
	if (!tun.zebra_waiting)
		zlog_info("tunnel %s: device %s (ifindex %d) not yet known to zebra: its address waits",
			  ifc->name, link->name, link->ifindex);
	tun.zebra_waiting = true;
	thread_add_timer_msec(tun.master, tunnels_reconcile_event, NULL,
			      ZEBRA_WAIT_MSEC, &tun.t_zebra_wait);
	return false;
}

/*
 * IPv4 addresses: exactly the configured one (ip address) and no other,
 * so that a changed or removed address leaves nothing behind.
 */
static bool device_sync_addresses(struct ios_interface *ifc,
				  const struct ios_link *link, char *why,
				  size_t size)
{
	const struct ios_tunnel *t = &ifc->tunnel;
	struct ios_link_addr addrs[ADDRS_MAX];
	char err[IOS_GRE_ERR_SIZE];
	bool present = false;
	int count, i;

	count = ios_link_addrs(link->ifindex, addrs, array_size(addrs), err,
			       sizeof(err));
	if (count < 0) {
		snprintfrr(why, size, "device %s: %s", link->name, err);
		return false;
	}
	for (i = 0; i < count; i++) {
		if (t->has_address &&
		    addrs[i].address.s_addr == t->address.s_addr &&
		    addrs[i].prefixlen == t->prefixlen) {
			present = true;
			continue;
		}
		if (ios_link_addr_del(link->ifindex, addrs[i].address,
				      addrs[i].prefixlen, err, sizeof(err))) {
			snprintfrr(why, size, "device %s: removing %pI4/%u: %s",
				   link->name, &addrs[i].address,
				   addrs[i].prefixlen, err);
			return false;
		}
		zlog_info("tunnel %s: removed address %pI4/%u from device %s",
			  ifc->name, &addrs[i].address,
			  addrs[i].prefixlen, link->name);
	}
	if (!t->has_address || present)
		return true;
	if (!zebra_knows_device(ifc, link))
		return true;
	if (ios_link_addr_add(link->ifindex, t->address, t->prefixlen, err,
			      sizeof(err))) {
		snprintfrr(why, size, "device %s: adding %pI4/%u: %s",
			   link->name, &t->address, t->prefixlen, err);
		return false;
	}
	zlog_info("tunnel %s: address %pI4/%u on device %s", ifc->name,
		  &t->address, t->prefixlen, link->name);
	return true;
}

static bool device_sync_mtu(struct ios_interface *ifc,
			    const struct ios_link *link,
			    const struct device_mark *mark, char *why,
			    size_t size)
{
	uint32_t mtu = ifc->tunnel.mtu ? ifc->tunnel.mtu : mark->default_mtu;
	char err[IOS_GRE_ERR_SIZE];

	if (!mtu || link->mtu == mtu)
		return true;
	if (ios_link_set_mtu(link->ifindex, mtu, err, sizeof(err))) {
		snprintfrr(why, size, "device %s: MTU %u: %s", link->name, mtu,
			 err);
		return false;
	}
	zlog_info("tunnel %s: MTU %u on device %s%s", ifc->name, mtu,
		  link->name, ifc->tunnel.mtu ? "" : " (its default)");
	return true;
}

/* IFF_UP follows the tunnel's operational state, nothing else */
static void device_sync_updown(struct ios_interface *ifc,
			       const struct ios_link *link)
{
	bool up = ifc->tunnel.up;
	char err[IOS_GRE_ERR_SIZE];

	if (!!(link->flags & IFF_UP) == up)
		return;
	if (ios_link_set_up(link->ifindex, up, err, sizeof(err))) {
		flog_err(EC_LIB_SYSTEM_CALL, "tunnel %s: setting device %s %s: %s",
			 ifc->name, link->name, up ? "up" : "down", err);
		return;
	}
	zlog_info("tunnel %s: device %s %s%s%s", ifc->name, link->name,
		  up ? "up" : "down", up ? "" : ": ",
		  up ? "" : ifc->tunnel.reason);
}

/*
 * Operative as zebra and ripd will see it: up and running (the kernel's
 * IFF_RUNNING: carrier, e.g. both ends of a veth stand-in up), and the
 * tunnel up. The flags are as read before this pass changed them; the
 * kernel echoes the change and the next pass sees it.
 */
static void device_track_operative(struct ios_interface *ifc,
				   const struct ios_link *link)
{
	ios_crypto_tunnel_rip_track(ifc->name,
				    ifc->tunnel.up && (link->flags & IFF_UP) &&
					    (link->flags & IFF_RUNNING));
}

static void device_sync(struct ios_interface *ifc, const struct ios_link *link,
			const struct device_mark *mark, char *why, size_t size)
{
	if (device_sync_mtu(ifc, link, mark, why, size))
		device_sync_addresses(ifc, link, why, size);
	device_sync_updown(ifc, link);
	device_track_operative(ifc, link);
}

/* the GRE endpoints; false (why says why, or "") while one is unknown */
static bool tunnel_endpoints(struct ios_interface *ifc, struct in_addr *local,
			     char *why, size_t size)
{
	const struct ios_tunnel *t = &ifc->tunnel;
	char err[IOS_GRE_ERR_SIZE];
	int ret;

	switch (t->source) {
	case IOS_TUNNEL_SOURCE_NONE:
		return false;
	case IOS_TUNNEL_SOURCE_ADDRESS:
		*local = t->source_address;
		break;
	case IOS_TUNNEL_SOURCE_INTERFACE:
		ret = ios_link_primary_ipv4(t->source_interface, local, err,
					    sizeof(err));
		if (ret == -ENODEV)
			snprintfrr(why, size, "tunnel source %s does not exist",
				 t->source_interface);
		else if (ret == -EADDRNOTAVAIL)
			snprintfrr(why, size,
				 "tunnel source %s has no IPv4 address",
				 t->source_interface);
		else if (ret < 0)
			snprintfrr(why, size, "tunnel source %s: %s",
				 t->source_interface, err);
		if (ret < 0)
			return false;
		break;
	}
	return t->has_destination;
}

static bool gre_device_create(struct ios_interface *ifc, struct in_addr local,
			      char *why, size_t size)
{
	const struct ios_tunnel *t = &ifc->tunnel;
	char err[IOS_GRE_ERR_SIZE], alias[IOS_GRE_ALIAS_SIZE];
	struct device_mark mark = { .ours = true, .created = true };
	struct ios_link link;

	/* marked at once: a crash right after must not leave a foreign one */
	mark_format(alias, sizeof(alias), true, 0);
	if (ios_gre_create(ifc->name, local, t->destination, 0, alias, err,
			   sizeof(err))) {
		snprintfrr(why, size, "GRE device %s not created: %s", ifc->name,
			 err);
		return false;
	}
	if (ios_link_get(ifc->name, &link, err, sizeof(err))) {
		snprintfrr(why, size, "GRE device %s: %s", ifc->name, err);
		return false;
	}
	/* the kernel's MTU for it (from the underlay) is "no ip mtu" */
	mark.default_mtu = link.mtu;
	mark_format(alias, sizeof(alias), true, link.mtu);
	if (ios_link_set_alias(link.ifindex, alias, err, sizeof(err))) {
		snprintfrr(why, size, "GRE device %s: %s", ifc->name, err);
		return false;
	}
	zlog_info("tunnel %s: created GRE device %s %pI4 -> %pI4 (down, MTU %u)",
		  ifc->name, ifc->name, &local, &t->destination,
		  link.mtu);
	device_sync(ifc, &link, &mark, why, size);
	return true;
}

static void gre_device_reconcile(struct ios_interface *ifc, char *why,
				 size_t size)
{
	const struct ios_tunnel *t = &ifc->tunnel;
	char err[IOS_GRE_ERR_SIZE];
	struct device_mark mark;
	struct in_addr local = {};
	struct ios_link link;
	bool endpoints;
	int ret;

	endpoints = tunnel_endpoints(ifc, &local, why, size);
	ret = ios_link_get(ifc->name, &link, err, sizeof(err));
	if (ret == -ENODEV) {
		if (endpoints)
			gre_device_create(ifc, local, why, size);
		return;
	}
	if (ret < 0) {
		snprintfrr(why, size, "device %s: %s", ifc->name, err);
		return;
	}
	mark = mark_parse(link.alias);
	if (!mark.ours || !mark.created || strcmp(link.kind, "gre")) {
		snprintfrr(why, size,
			 "device %s exists and is not a GRE device of ios-ipsec-suite: left alone",
			 ifc->name);
		return;
	}
	if (endpoints && (link.local.s_addr != local.s_addr ||
			  link.remote.s_addr != t->destination.s_addr)) {
		zlog_info("tunnel %s: endpoints now %pI4 -> %pI4 (device had %pI4 -> %pI4): recreating it",
			  ifc->name, &local, &t->destination,
			  &link.local, &link.remote);
		if (ios_link_delete(link.ifindex, err, sizeof(err))) {
			snprintfrr(why, size, "device %s: %s", ifc->name, err);
			return;
		}
		gre_device_create(ifc, local, why, size);
		return;
	}
	/* without endpoints the device stays, down (the tunnel is down) */
	device_sync(ifc, &link, &mark, why, size);
}

static void adopted_device_reconcile(struct ios_interface *ifc, char *why,
				     size_t size)
{
	char err[IOS_GRE_ERR_SIZE], alias[IOS_GRE_ALIAS_SIZE];
	struct device_mark mark;
	struct ios_link link;
	int ret;

	ret = ios_link_get(ifc->name, &link, err, sizeof(err));
	if (ret == -ENODEV) {
		snprintfrr(why, size, "no device %s to adopt (tunnel-device=adopt)",
			 ifc->name);
		return;
	}
	if (ret < 0) {
		snprintfrr(why, size, "device %s: %s", ifc->name, err);
		return;
	}
	mark = mark_parse(link.alias);
	if (!mark.ours && link.alias[0]) {
		snprintfrr(why, size,
			 "device %s has a foreign alias: left alone", ifc->name);
		return;
	}
	if (!mark.ours) {
		mark = (struct device_mark){ .ours = true,
					     .default_mtu = link.mtu };
		mark_format(alias, sizeof(alias), false, link.mtu);
		if (ios_link_set_alias(link.ifindex, alias, err, sizeof(err))) {
			snprintfrr(why, size, "device %s: %s", ifc->name, err);
			return;
		}
		zlog_info("tunnel %s: adopted device %s (%s, MTU %u)",
			  ifc->name, link.name,
			  link.kind[0] ? link.kind : "no kind", link.mtu);
	}
	device_sync(ifc, &link, &mark, why, size);
}

/* device_error as found in this pass; true if it changed */
static bool tunnel_device_error_set(struct ios_interface *ifc, const char *why)
{
	struct ios_tunnel *t = &ifc->tunnel;

	if (strcmp(t->device_error, why) == 0)
		return false;
	if (why[0])
		flog_err(EC_LIB_SYSTEM_CALL, "tunnel %s: %s", ifc->name, why);
	else
		zlog_info("tunnel %s: device ready (was: %s)", ifc->name,
			  t->device_error);
	strlcpy(t->device_error, why, sizeof(t->device_error));
	return true;
}

static bool tunnel_device_reconcile(struct ios_interface *ifc)
{
	char why[IOS_REASON_SIZE] = "";

	if (tun.netlink_error[0])
		strlcpy(why, tun.netlink_error, sizeof(why));
	else if (tun.mode == TUNNEL_DEVICE_GRE)
		gre_device_reconcile(ifc, why, sizeof(why));
	else
		adopted_device_reconcile(ifc, why, sizeof(why));
	return tunnel_device_error_set(ifc, why);
}

/* ------------------------------------------- devices nobody configures */

struct stale_devices {
	struct ios_link links[RELEASE_BATCH];
	int count;
};

static void stale_device_cb(const struct ios_link *link, void *arg)
{
	struct stale_devices *stale = arg;
	struct ios_interface *ifc;

	if (!mark_parse(link->alias).ours || stale->count >= RELEASE_BATCH)
		return;
	ifc = ios_interface_find(link->name);
	if (ifc && ifc->is_tunnel)
		return;
	stale->links[stale->count++] = *link;
}

/* an adopted device goes back as it was found: down, no address, no alias */
static void device_release(const struct ios_link *link)
{
	struct device_mark mark = mark_parse(link->alias);
	struct ios_link_addr addrs[ADDRS_MAX];
	char err[IOS_GRE_ERR_SIZE] = "";
	int count, i;

	if (mark.created) {
		if (ios_link_delete(link->ifindex, err, sizeof(err)))
			flog_err(EC_LIB_SYSTEM_CALL,
				 "deleting GRE device %s (no tunnel configured): %s",
				 link->name, err);
		else
			zlog_info("deleted GRE device %s: no tunnel %s configured",
				  link->name, link->name);
		return;
	}
	ios_link_set_up(link->ifindex, false, err, sizeof(err));
	count = ios_link_addrs(link->ifindex, addrs, array_size(addrs), err,
			       sizeof(err));
	for (i = 0; i < count; i++)
		ios_link_addr_del(link->ifindex, addrs[i].address,
				  addrs[i].prefixlen, err, sizeof(err));
	if (mark.default_mtu && link->mtu != mark.default_mtu)
		ios_link_set_mtu(link->ifindex, mark.default_mtu, err,
				 sizeof(err));
	if (ios_link_set_alias(link->ifindex, "", err, sizeof(err)))
		flog_err(EC_LIB_SYSTEM_CALL, "releasing device %s: %s",
			 link->name, err);
	else
		zlog_info("released adopted device %s: no tunnel %s configured",
			  link->name, link->name);
}

static void stale_devices_release(void)
{
	struct stale_devices stale = {};
	char err[IOS_GRE_ERR_SIZE];
	int i;

	if (ios_link_walk(stale_device_cb, &stale, err, sizeof(err))) {
		flog_err(EC_LIB_SYSTEM_CALL, "tunnel devices: %s", err);
		return;
	}
	for (i = 0; i < stale.count; i++)
		device_release(&stale.links[i]);
}

/* ------------------------------------------------------------ reconcile */

static void tunnels_reconcile(void)
{
	struct ios_interface *ifc;
	bool changed = false;

	if (!tun.ready)
		return;
	frr_each (ios_interfaces, &ios_crypto_cfg.interfaces, ifc)
		if (ifc->is_tunnel)
			changed |= tunnel_device_reconcile(ifc);
	if (!tun.netlink_error[0])
		stale_devices_release();
	ios_crypto_tunnel_rip_sweep();
	/* a device problem found or gone moves the tunnel (and the hook) */
	if (changed)
		ios_crypto_state_update();
}

static void tunnels_reconcile_event(struct thread *t)
{
	tunnels_reconcile();
}

/* coalesces bursts (a commit, our own changes echoed by rtnetlink) */
static void tunnels_reconcile_schedule(void)
{
	if (tun.ready)
		thread_add_event(tun.master, tunnels_reconcile_event, NULL, 0,
				 &tun.t_reconcile);
}

static int tunnel_config_applied(void)
{
	tunnels_reconcile_schedule();
	return 0;
}

static int tunnel_config_post(struct thread_master *master)
{
	tun.ready = true;
	zlog_info("tunnel devices: configuration read, reconciling (tunnel-device=%s)",
		  mode_name());
	tunnels_reconcile();
	return 0;
}

/*
 * The tunnel went up or down: move the device at once (this is the path
 * that makes RIP withdraw or relearn), not on the next reconcile pass.
 */
static int tunnel_oper_changed(struct ios_interface *ifc)
{
	char err[IOS_GRE_ERR_SIZE];
	struct ios_link link;

	/* a tunnel going down announces nothing more */
	if (!ifc->tunnel.up)
		ios_crypto_tunnel_rip_track(ifc->name, false);
	if (!tun.ready || tun.netlink_error[0])
		return 0;
	if (ios_link_get(ifc->name, &link, err, sizeof(err)) ||
	    !mark_parse(link.alias).ours)
		return 0;
	device_sync_updown(ifc, &link);
	return 0;
}

/* ------------------------------------------------------- for the shows */

const char *ios_crypto_tunnel_device_mode(void)
{
	return mode_name();
}

int ios_crypto_tunnel_device(const char *name, struct ios_link *link,
			     bool *owned)
{
	char err[IOS_GRE_ERR_SIZE];
	int ret;

	*owned = false;
	if (tun.netlink_error[0])
		return -ENOTCONN;
	ret = ios_link_get(name, link, err, sizeof(err));
	if (ret == 0)
		*owned = mark_parse(link->alias).ours;
	return ret;
}

/* ------------------------------------------------------------ lifecycle */

static void tunnel_read_module_args(void)
{
	char value[16];

	tun.mode = TUNNEL_DEVICE_GRE;
	if (!zebra_ios_crypto_module_arg("tunnel-device", value, sizeof(value)))
		return;
	if (strcmp(value, "adopt") == 0)
		tun.mode = TUNNEL_DEVICE_ADOPT;
	else if (strcmp(value, "gre"))
		flog_err(EC_LIB_DEVELOPMENT,
			 "tunnel-device=%s is neither gre nor adopt; using gre",
			 value);
}

void ios_crypto_tunnel_init(struct thread_master *master)
{
	char err[IOS_GRE_ERR_SIZE];

	tun.master = master;
	tunnel_read_module_args();
	ios_crypto_tunnel_rip_init(master);
	if (ios_gre_init(master, tunnels_reconcile_schedule, err, sizeof(err))) {
		snprintfrr(tun.netlink_error, sizeof(tun.netlink_error),
			 "no tunnel devices: %s", err);
		flog_err(EC_LIB_SOCKET, "%s", tun.netlink_error);
	}
	hook_register(frr_config_post, tunnel_config_post);
	hook_register(ios_crypto_config_applied, tunnel_config_applied);
	hook_register(ios_tunnel_oper_changed, tunnel_oper_changed);
	ios_crypto_tunnel_vty_init();
	zlog_info("tunnel devices: tunnel-device=%s", mode_name());
}

void ios_crypto_tunnel_finish(void)
{
	char err[IOS_GRE_ERR_SIZE];
	struct ios_interface *ifc;
	struct ios_link link;

	THREAD_OFF(tun.t_reconcile);
	THREAD_OFF(tun.t_zebra_wait);
	/* fail closed: without zebra nobody follows the SAs */
	if (tun.ready && !tun.netlink_error[0]) {
		frr_each (ios_interfaces, &ios_crypto_cfg.interfaces, ifc) {
			if (!ifc->is_tunnel ||
			    ios_link_get(ifc->name, &link, err, sizeof(err)) ||
			    !mark_parse(link.alias).ours ||
			    !(link.flags & IFF_UP))
				continue;
			if (ios_link_set_up(link.ifindex, false, err,
					    sizeof(err)) == 0)
				zlog_info("tunnel %s: device %s down: zebra stops",
					  ifc->name, link.name);
		}
	}
	tun.ready = false;
	ios_crypto_tunnel_rip_finish();
	hook_unregister(frr_config_post, tunnel_config_post);
	hook_unregister(ios_crypto_config_applied, tunnel_config_applied);
	hook_unregister(ios_tunnel_oper_changed, tunnel_oper_changed);
	ios_gre_fini();
}
