// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Derived operational state of the IOS crypto configuration: whether a
 * crypto map entry is complete, and whether a tunnel may carry traffic.
 * A tunnel is up only while its configuration is complete and the IPsec SA
 * of its crypto map entry is up: GRE must never leave unprotected, and
 * routing protocols over the tunnel must see a lost SA at once.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include "monotime.h"
#include "printfrr.h"

#include "ios_crypto_config.h"

DEFINE_HOOK(ios_tunnel_oper_changed, (struct ios_interface *ifc), (ifc));
DEFINE_HOOK(ios_crypto_map_sa_changed, (struct ios_crypto_map_entry *map),
	    (map));

static bool map_entry_check(struct ios_crypto_map_entry *map)
{
	char *reason = map->reason;
	size_t size = sizeof(map->reason);

	if (!map->has_peer)
		snprintf(reason, size, "no peer (set peer)");
	else if (!map->transform_set[0])
		snprintf(reason, size, "no transform set (set transform-set)");
	else if (!map->acl)
		snprintf(reason, size, "no access list (match address)");
	else if (!ios_acl_find(map->acl))
		snprintf(reason, size, "access list %u is not defined",
			 map->acl);
	else
		reason[0] = '\0';
	map->complete = reason[0] == '\0';
	return map->complete;
}

/* the entry of a crypto map set that protects traffic to a peer */
static struct ios_crypto_map_entry *map_entry_for_peer(const char *name,
						       struct in_addr peer)
{
	struct ios_crypto_map_entry key = {}, *map;

	/* the entries of a set are adjacent, ordered by sequence */
	strlcpy(key.name, name, sizeof(key.name));
	for (map = ios_crypto_maps_find_gteq(&ios_crypto_cfg.maps, &key);
	     map && strcmp(map->name, name) == 0;
	     map = ios_crypto_maps_next(&ios_crypto_cfg.maps, map))
		if (map->has_peer && map->peer.s_addr == peer.s_addr)
			return map;
	return NULL;
}

static bool tunnel_check(struct ios_interface *ifc, char *reason, size_t size)
{
	struct ios_tunnel *tunnel = &ifc->tunnel;
	struct ios_crypto_map_entry *map;

	if (!tunnel->has_destination) {
		snprintf(reason, size, "no tunnel destination");
		return false;
	}
	if (tunnel->source == IOS_TUNNEL_SOURCE_NONE) {
		snprintf(reason, size, "no tunnel source");
		return false;
	}
	if (!ifc->crypto_map[0]) {
		snprintf(reason, size,
			 "no crypto map: GRE is never sent unprotected");
		return false;
	}
	map = map_entry_for_peer(ifc->crypto_map, tunnel->destination);
	if (!map) {
		snprintfrr(reason, size, "crypto map %s has no entry for peer %pI4",
			 ifc->crypto_map, &tunnel->destination);
		return false;
	}
	if (!map->complete) {
		snprintf(reason, size, "crypto map %.32s %u: %.64s", map->name,
			 map->sequence, map->reason);
		return false;
	}
	switch (map->sa.state) {
	case IOS_SA_UP:
		/*
		 * last: configuration and SA first, the device (its own
		 * problems are logged and shown at once) once nothing else
		 * keeps the tunnel down
		 */
		if (tunnel->device_error[0]) {
			strlcpy(reason, tunnel->device_error, size);
			return false;
		}
		reason[0] = '\0';
		return true;
	case IOS_SA_NEGOTIATING:
		snprintfrr(reason, size, "IPsec SA to %pI4 is being negotiated",
			 &tunnel->destination);
		return false;
	case IOS_SA_DOWN:
		break;
	}
	snprintfrr(reason, size, "no IPsec SA to %pI4", &tunnel->destination);
	return false;
}

static void tunnel_update(struct ios_interface *ifc)
{
	struct ios_tunnel *tunnel = &ifc->tunnel;
	bool up;

	up = tunnel_check(ifc, tunnel->reason, sizeof(tunnel->reason));
	if (!tunnel->last_change)
		tunnel->last_change = monotime(NULL);
	if (up == tunnel->up)
		return;
	tunnel->up = up;
	tunnel->transitions++;
	tunnel->last_change = monotime(NULL);
	hook_call(ios_tunnel_oper_changed, ifc);
}

void ios_crypto_state_update(void)
{
	struct ios_crypto_map_entry *map;
	struct ios_interface *ifc;

	frr_each (ios_crypto_maps, &ios_crypto_cfg.maps, map)
		map_entry_check(map);

	frr_each (ios_interfaces, &ios_crypto_cfg.interfaces, ifc)
		if (ifc->is_tunnel)
			tunnel_update(ifc);
}

/*
 * The SA of one entry changed: the entry and the tunnels towards its peer
 * under its crypto map are all that can follow it.
 */
static void state_update_sa(struct ios_crypto_map_entry *map)
{
	struct ios_interface *ifc;

	map_entry_check(map);
	if (!map->has_peer)
		return;
	frr_each (ios_interfaces, &ios_crypto_cfg.interfaces, ifc)
		if (ifc->is_tunnel && ifc->tunnel.has_destination &&
		    ifc->tunnel.destination.s_addr == map->peer.s_addr &&
		    strcmp(ifc->crypto_map, map->name) == 0)
			tunnel_update(ifc);
}

void ios_crypto_map_conn_name(const struct ios_crypto_map_entry *map,
			      char *buf, size_t size)
{
	snprintf(buf, size, "%s-%u", map->name, map->sequence);
}

void ios_crypto_map_sa_report(struct ios_crypto_map_entry *map,
			      const struct ios_sa_report *report)
{
	bool changed = map->sa.state != report->state;

	if (changed) {
		map->sa_changes++;
		map->sa_last_change = monotime(NULL);
	}
	map->sa = *report;
	if (changed)
		hook_call(ios_crypto_map_sa_changed, map);
	state_update_sa(map);
}
