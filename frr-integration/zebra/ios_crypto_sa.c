// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The IPsec SA state of crypto map entries, from the SAs charon reports
 * over VICI (zebra_ios_vici.h).
 *
 * A CHILD SA belongs to crypto map entry NAME SEQ when
 * - its CHILD config name is "NAME-SEQ" (the name the module gives the
 *   swanctl connection and CHILD config it generates for the entry), and
 * - the remote host of its IKE SA is the entry's "set peer" address.
 * The newest such SA (highest uniqueid) gives the entry's SPIs and its
 * traffic counters: packets/bytes encrypted are charon's packets-out/
 * bytes-out of that SA, decrypted its packets-in/bytes-in. They are as of
 * the VICI client's last list-sas (periodic refresh) or SA event, and
 * start from 0 after a rekey, like the per-SA counters of IOS.
 *
 * Fail closed: SAs count only while the VICI client is ESTABLISHED (the
 * SA table is resynchronised and events flow). On disconnect, and until
 * the resync after a reconnect has completed, every entry's SA is down,
 * so no tunnel carries traffic on the strength of an SA nobody vouches for.
 *
 * The state is recomputed from the VICI client's SA table: for the entries
 * an SA change names (found by connection name in ios_crypto_cfg.map_conns,
 * their SAs by name in the VICI client's index), and for every entry on
 * every VICI state change, after every configuration change (a new entry,
 * a changed peer) and after every counter refresh, so it never depends on
 * event order. A change of counters alone is not an SA change:
 * ios_crypto_map_sa_report() counts only changes of state.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include "hook.h"
#include "log.h"
#include "printfrr.h"

#include "ios_crypto_config.h"
#include "ios_crypto_nb.h"
#include "zebra_ios_vici.h"

struct sa_match {
	const struct ios_crypto_map_entry *map;
	char conn_name[IOS_CONN_NAME_SIZE];
	const struct zebra_ios_vici_child_sa *child;
	/*
	 * the counters of every CHILD SA of the entry: IOS counts per flow,
	 * and two SA pairs coexist when both peers initiated at once (the
	 * kernel sends on the newest, the peer may send on the other one)
	 */
	uint64_t packets_in, packets_out, bytes_in, bytes_out;
};

static void sa_match_cb(const struct zebra_ios_vici_ike_sa *ike,
			const struct zebra_ios_vici_child_sa *child, void *arg)
{
	struct sa_match *m = arg;

	if (!child || !child->name || strcmp(child->name, m->conn_name))
		return;
	if (!m->map->has_peer || ike->remote_host.ipa_type != IPADDR_V4 ||
	    ike->remote_host.ipaddr_v4.s_addr != m->map->peer.s_addr)
		return;
	m->packets_in += child->packets_in;
	m->packets_out += child->packets_out;
	m->bytes_in += child->bytes_in;
	m->bytes_out += child->bytes_out;
	if (!m->child || child->uniqueid > m->child->uniqueid)
		m->child = child;
}

static bool sa_report_equal(const struct ios_sa_report *a,
			    const struct ios_sa_report *b)
{
	return a->state == b->state && a->spi_in == b->spi_in &&
	       a->spi_out == b->spi_out &&
	       a->packets_encrypted == b->packets_encrypted &&
	       a->packets_decrypted == b->packets_decrypted &&
	       a->bytes_encrypted == b->bytes_encrypted &&
	       a->bytes_decrypted == b->bytes_decrypted;
}

static void sa_entry_recompute(struct ios_crypto_map_entry *map, bool live)
{
	struct sa_match m = { .map = map };
	struct ios_sa_report report = { .state = IOS_SA_DOWN };

	strlcpy(m.conn_name, map->conn_name, sizeof(m.conn_name));
	if (live)
		zebra_ios_vici_child_sa_walk_name(map->conn_name, sa_match_cb,
						  &m);
	if (m.child) {
		report.state = IOS_SA_UP;
		report.spi_in = m.child->spi_in;
		report.spi_out = m.child->spi_out;
		report.packets_encrypted = m.packets_out;
		report.packets_decrypted = m.packets_in;
		report.bytes_encrypted = m.bytes_out;
		report.bytes_decrypted = m.bytes_in;
	}
	if (sa_report_equal(&report, &map->sa))
		return;
	if (report.state == map->sa.state && report.spi_in == map->sa.spi_in &&
	    report.spi_out == map->sa.spi_out) {
		/* only the counters moved: nothing to log */
		ios_crypto_map_sa_report(map, &report);
		return;
	}

	if (m.child)
		zlog_info("crypto map %s %u: IPsec SA up (CHILD SA %s{%u}, reqid %u, peer %pI4)",
			  map->name, map->sequence, m.child->name,
			  m.child->uniqueid, m.child->reqid, &map->peer);
	else
		zlog_info("crypto map %s %u: IPsec SA down%s", map->name,
			  map->sequence,
			  live ? "" : " (VICI not established)");
	ios_crypto_map_sa_report(map, &report);
}

static bool sa_live(void)
{
	return zebra_ios_vici_get_state() == ZEBRA_IOS_VICI_ESTABLISHED;
}

static void ios_crypto_sa_recompute(void)
{
	bool live = sa_live();
	struct ios_crypto_map_entry *map;

	frr_each_safe (ios_crypto_maps, &ios_crypto_cfg.maps, map)
		sa_entry_recompute(map, live);
}

/* the entry (if any) whose connection is named 'conn' */
static void sa_conn_recompute(const char *conn)
{
	struct ios_crypto_map_entry *map;

	if (!conn)
		return;
	map = ios_crypto_map_find_conn(conn);
	if (map)
		sa_entry_recompute(map, sa_live());
}

static void sa_child_recompute(const struct zebra_ios_vici_ike_sa *ike,
			       const struct zebra_ios_vici_child_sa *child,
			       void *arg)
{
	sa_conn_recompute(child->name);
}

/*
 * An SA event can only change the entries its SAs are named after: the
 * CHILD SA's, or for an IKE SA (its remote host may have changed, which
 * decides whether its CHILD SAs count) its own and its CHILD SAs'.
 */
static void ios_crypto_sa_event(const struct zebra_ios_vici_sa_event *ev,
				void *arg)
{
	if (ev->child) {
		sa_conn_recompute(ev->child->name);
		return;
	}
	sa_conn_recompute(ev->ike->name);
	zebra_ios_vici_ike_sa_children_walk(ev->ike->uniqueid,
					    sa_child_recompute, NULL);
}

static void ios_crypto_sa_state(enum zebra_ios_vici_state state, void *arg)
{
	ios_crypto_sa_recompute();
}

static void ios_crypto_sa_counters(void *arg)
{
	ios_crypto_sa_recompute();
}

static int ios_crypto_sa_config_applied(void)
{
	ios_crypto_sa_recompute();
	return 0;
}

void ios_crypto_sa_init(void)
{
	zebra_ios_vici_sa_subscribe(ios_crypto_sa_event, NULL);
	zebra_ios_vici_state_subscribe(ios_crypto_sa_state, NULL);
	zebra_ios_vici_counters_subscribe(ios_crypto_sa_counters, NULL);
	hook_register(ios_crypto_config_applied, ios_crypto_sa_config_applied);
}
