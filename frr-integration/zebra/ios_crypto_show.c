// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IOS show commands of the crypto state:
 *   show crypto isakmp sa [detail] [json]
 *   show crypto ipsec sa [json]
 *   show crypto map [json]
 *   show crypto engine connections active [json]
 *   show crypto key pubkey-chain rsa ... (ios_crypto_show_pubkey.c)
 *   show crypto charon [json]     (what charon got from this configuration)
 *
 * They print, in the layout of IOS, what the VICI client's SA table
 * (zebra_ios_vici.h) and the running crypto configuration
 * (ios_crypto_config.h) know. The SA table holds no algorithms: they come
 * from the configuration (the policy of the SA's connection, the entry's transform set,
 * IOS defaults without them). Counters charon did not report are 0.
 *
 * Conn ids: an IKE SA's is its charon uniqueid; a CHILD SA with uniqueid U
 * has 2000 + 2 (U - 1) inbound and that + 1 outbound (as IOS numbers its
 * IPsec SAs from 2000).
 *
 * A CHILD SA belongs to crypto map entry NAME SEQ as in ios_crypto_sa.c:
 * CHILD config "NAME-SEQ", IKE remote host = the entry's peer, newest.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include "command.h"
#include "json.h"
#include "monotime.h"
#include "printfrr.h"
#include "vty.h"

/* vtysh's extract.pl preprocesses this file with FRR's include path only */
#ifndef VTYSH_EXTRACT_PL
#include "frr-integration/zebra/ios_crypto_charon.h"
#include "frr-integration/zebra/ios_crypto_config.h"
#include "frr-integration/zebra/ios_crypto_nb.h"
#include "frr-integration/zebra/zebra_ios_vici.h"
#endif

#define CRYPTO_STR "Encryption and security information\n"

#ifndef VTYSH_EXTRACT_PL
#include "frr-integration/zebra/ios_crypto_show_clippy.c"
#endif

/* ------------------------------------------------------------- helpers */

static const char *addr_str(const struct ipaddr *a, char *buf, size_t size)
{
	if (a->ipa_type == IPADDR_NONE)
		snprintf(buf, size, "0.0.0.0");
	else
		snprintfrr(buf, size, "%pIA", a);
	return buf;
}

static const char *in_str(struct in_addr a, char *buf, size_t size)
{
	snprintfrr(buf, size, "%pI4", &a);
	return buf;
}

static uint32_t child_conn_id(const struct zebra_ios_vici_child_sa *c,
			      bool outbound)
{
	uint32_t u = c->uniqueid ? c->uniqueid : 1;

	return 2000 + 2 * (u - 1) + (outbound ? 1 : 0);
}

/*
 * The policy an IKE SA was negotiated with, as far as the configuration
 * tells: the first policy of the auth method its connection uses
 * (ios_crypto_charon.c chooses one per peer); for SAs of no connection
 * of ours, the first policy.
 */
static const struct ios_isakmp_policy *
ike_policy(const struct zebra_ios_vici_ike_sa *ike)
{
	const struct ios_isakmp_policy *p = NULL;

	if (ike && ike->name)
		p = ios_crypto_charon_conn_policy(ike->name);
	return p ? p : ios_policies_first(&ios_crypto_cfg.policies);
}

static const char *ike_encr(const struct ios_isakmp_policy *p)
{
	return ios_ike_cipher_keyword(p ? p->encryption : IOS_IKE_DES);
}

static const char *ike_hash(const struct ios_isakmp_policy *p)
{
	return (p && p->hash == IOS_IKE_MD5) ? "md5" : "sha";
}

static const char *ike_auth(const struct ios_isakmp_policy *p)
{
	switch (p ? p->authentication : IOS_AUTH_RSA_SIG) {
	case IOS_AUTH_PRE_SHARE:
		return "psk";
	case IOS_AUTH_RSA_SIG:
		return "rsig";
	case IOS_AUTH_RSA_ENCR:
		return "renc";
	case IOS_AUTH_RSA_ENCR_REVISED:
		/* not in IOS: the suite's name for method 5 */
		return "rrev";
	}
	return "rsig";
}

static unsigned int ike_group(const struct ios_isakmp_policy *p)
{
	return p && p->group ? p->group : 1;
}

static uint32_t ike_lifetime(const struct ios_isakmp_policy *p)
{
	return p && p->lifetime ? p->lifetime : 86400;
}

static const char *ike_engine_alg(const struct ios_isakmp_policy *p,
				  char *buf, size_t size)
{
	static const char *const ciphers[] = {
		[IOS_IKE_DES] = "DES_56_CB",	   [IOS_IKE_3DES] = "3DES_168_CB",
		[IOS_IKE_AES_128] = "AES_128_CB", [IOS_IKE_AES_192] = "AES_192_CB",
		[IOS_IKE_AES_256] = "AES_256_CB",
	};
	enum ios_ike_cipher c = p ? p->encryption : IOS_IKE_DES;

	snprintf(buf, size, "%s+%s",
		 ike_hash(p)[0] == 'm' ? "HMAC_MD5" : "HMAC_SHA", ciphers[c]);
	return buf;
}

static const char *esp_integrity_keyword(enum ios_esp_integrity i)
{
	return i == IOS_ESP_MD5_HMAC ? "esp-md5-hmac" : "esp-sha-hmac";
}

static const char *esp_transform(const struct ios_transform_set *ts,
				 char *buf, size_t size)
{
	snprintf(buf, size, "%s %s",
		 ios_esp_cipher_keyword(ts ? ts->cipher : IOS_ESP_DES),
		 esp_integrity_keyword(ts ? ts->integrity : IOS_ESP_SHA_HMAC));
	return buf;
}

static const char *esp_engine_alg(const struct ios_transform_set *ts,
				  char *buf, size_t size)
{
	static const char *const ciphers[] = {
		[IOS_ESP_DES] = "DES_56_CB",	   [IOS_ESP_3DES] = "3DES_168_CB",
		[IOS_ESP_AES_128] = "AES_128_CB", [IOS_ESP_AES_192] = "AES_192_CB",
		[IOS_ESP_AES_256] = "AES_256_CB",
	};

	snprintf(buf, size, "%s+%s",
		 ts && ts->integrity == IOS_ESP_MD5_HMAC ? "HMAC_MD5"
							 : "HMAC_SHA",
		 ciphers[ts ? ts->cipher : IOS_ESP_DES]);
	return buf;
}

static const char *sa_mode(const struct zebra_ios_vici_child_sa *c,
			   const struct ios_transform_set *ts)
{
	if (c && c->mode && *c->mode)
		return strcasecmp(c->mode, "TRANSPORT") ? "Tunnel"
							: "Transport";
	return ts && ts->mode == IOS_MODE_TRANSPORT ? "Transport" : "Tunnel";
}

/* the crypto map entry whose connection name is 'name', or NULL */
static const struct ios_crypto_map_entry *map_by_conn(const char *name)
{
	struct ios_crypto_map_entry *map;
	char conn[IOS_CONN_NAME_SIZE];

	if (!name)
		return NULL;
	frr_each (ios_crypto_maps, &ios_crypto_cfg.maps, map) {
		ios_crypto_map_conn_name(map, conn, sizeof(conn));
		if (strmatch(conn, name))
			return map;
	}
	return NULL;
}

/* the first interface the crypto map is applied to, or NULL */
static const struct ios_interface *map_interface(const char *map_name)
{
	struct ios_interface *ifc;

	frr_each (ios_interfaces, &ios_crypto_cfg.interfaces, ifc)
		if (strmatch(ifc->crypto_map, map_name))
			return ifc;
	return NULL;
}

struct sa_match {
	const struct ios_crypto_map_entry *map;
	char conn_name[IOS_CONN_NAME_SIZE];
	const struct zebra_ios_vici_child_sa *child;
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
	if (!m->child || child->uniqueid > m->child->uniqueid)
		m->child = child;
}

static const struct zebra_ios_vici_child_sa *
map_child_sa(const struct ios_crypto_map_entry *map)
{
	struct sa_match m = { .map = map };

	ios_crypto_map_conn_name(map, m.conn_name, sizeof(m.conn_name));
	zebra_ios_vici_sa_walk(sa_match_cb, &m);
	return m.child;
}

/* ---------------------------------------------------- show crypto isakmp */

struct sa_list {
	struct vty *vty;
	json_object *json;	/* array, or NULL */
	bool detail;
	/* the walk visits an IKE SA once per child, children one after the
	 * other: the IKE SA of the previous visit was printed already */
	const struct zebra_ios_vici_ike_sa *last_ike;
};

static bool seen_ike(struct sa_list *l, const struct zebra_ios_vici_ike_sa *ike)
{
	if (l->last_ike == ike)
		return true;
	l->last_ike = ike;
	return false;
}

static void isakmp_sa_cb(const struct zebra_ios_vici_ike_sa *ike,
			 const struct zebra_ios_vici_child_sa *child, void *arg)
{
	struct sa_list *l = arg;
	const struct ios_isakmp_policy *p = ike_policy(ike);
	char local[INET6_ADDRSTRLEN + 8], remote[INET6_ADDRSTRLEN + 8];
	char lifetime[32];
	uint32_t lt = ike_lifetime(p);
	const char *caps = ios_crypto_cfg.keepalive ? "D" : "";
	const char *state = "QM_IDLE";

	if (seen_ike(l, ike))
		return;
	addr_str(&ike->local_host, local, sizeof(local));
	addr_str(&ike->remote_host, remote, sizeof(remote));
	snprintf(lifetime, sizeof(lifetime), "%02u:%02u:%02u", lt / 3600,
		 (lt / 60) % 60, lt % 60);
	if (ike->state && !strmatch(ike->state, "ESTABLISHED"))
		state = "MM_NO_STATE";

	if (l->json) {
		json_object *o = json_object_new_object();

		json_object_int_add(o, "connId", ike->uniqueid);
		json_object_string_add(o, "name", ike->name ? ike->name : "");
		json_object_string_add(o, "local", local);
		json_object_string_add(o, "remote", remote);
		json_object_string_add(o, "state", state);
		json_object_string_add(o, "charonState",
				       ike->state ? ike->state : "");
		json_object_int_add(o, "version", ike->version);
		json_object_string_add(o, "encr", ike_encr(p));
		json_object_string_add(o, "hash", ike_hash(p));
		json_object_string_add(o, "auth", ike_auth(p));
		json_object_int_add(o, "authMethod",
				    ios_auth_ike_method(p ? p->authentication
							  : IOS_AUTH_RSA_SIG));
		json_object_int_add(o, "dh", ike_group(p));
		json_object_string_add(o, "lifetime", lifetime);
		json_object_string_add(o, "capabilities", caps);
		json_object_array_add(l->json, o);
		return;
	}
	if (l->detail)
		vty_out(l->vty, "%-7u %-15s %-15s %-5s %-4s %-4s %-2u %-9s %s\n",
			ike->uniqueid, local, remote, ike_encr(p), ike_hash(p),
			ike_auth(p), ike_group(p), lifetime, caps);
	else
		vty_out(l->vty, "%-15s %-15s %-14s %7u %4u %s\n", remote, local,
			state, ike->uniqueid, 0, "ACTIVE");
}

DEFPY (show_crypto_isakmp_sa,
       show_crypto_isakmp_sa_cmd,
       "show crypto isakmp sa [detail]$detail [json]$json",
       SHOW_STR
       CRYPTO_STR
       "Internet Security Association and Key Management Protocol\n"
       "Security associations\n"
       "Detailed information\n"
       JSON_STR)
{
	struct sa_list l = { .vty = vty, .detail = !!detail };

	if (json) {
		json_object *obj = json_object_new_object();

		l.json = json_object_new_array();
		zebra_ios_vici_sa_walk(isakmp_sa_cb, &l);
		json_object_object_add(obj, "sas", l.json);
		return vty_json(vty, obj);
	}
	if (detail) {
		vty_out(vty,
			"Codes: C - IKE configuration mode, D - Dead Peer Detection\n"
			"       K - Keepalives, N - NAT-traversal\n"
			"       X - IKE Extended Authentication\n"
			"       psk - Preshared key, rsig - RSA signature\n"
			"       renc - RSA encryption\n"
			"       rrev - RSA encryption, revised mode (method 5)\n\n");
		vty_out(vty,
			"Conn id Local           Remote          Encr  Hash Auth DH Lifetime  Capabilities\n");
	} else {
		vty_out(vty,
			"dst             src             state          conn-id slot status\n");
	}
	zebra_ios_vici_sa_walk(isakmp_sa_cb, &l);
	return CMD_SUCCESS;
}

/* ----------------------------------------------------- show crypto ipsec */

static const struct ios_acl_entry *
map_acl_entry(const struct ios_crypto_map_entry *map)
{
	struct ios_acl *acl = map->acl ? ios_acl_find(map->acl) : NULL;
	struct ios_acl_entry *e;

	if (!acl)
		return NULL;
	frr_each (ios_acl_entries, &acl->entries, e)
		if (e->permit)
			return e;
	return NULL;
}

static json_object *ident_json(struct in_addr a, bool gre)
{
	json_object *o = json_object_new_object();
	char buf[INET_ADDRSTRLEN];

	json_object_string_add(o, "addr", in_str(a, buf, sizeof(buf)));
	json_object_string_add(o, "mask", gre ? "255.255.255.255" : "0.0.0.0");
	json_object_int_add(o, "prot", gre ? 47 : 0);
	json_object_int_add(o, "port", 0);
	return o;
}

static json_object *esp_sa_json(uint32_t spi, const char *transform,
				const char *mode, uint32_t conn_id,
				const char *map)
{
	json_object *o = json_object_new_object();
	char buf[16];

	snprintf(buf, sizeof(buf), "0x%08X", spi);
	json_object_string_add(o, "spi", buf);
	json_object_int_add(o, "spiDecimal", spi);
	json_object_string_add(o, "transform", transform);
	json_object_string_add(o, "mode", mode);
	json_object_int_add(o, "connId", conn_id);
	json_object_string_add(o, "cryptoMap", map);
	return o;
}

static void esp_sa_vty(struct vty *vty, uint32_t spi, const char *transform,
		       const char *mode, uint32_t conn_id, uint32_t flow_id,
		       const char *map)
{
	vty_out(vty, "     spi: 0x%08X(%u)\n", spi, spi);
	vty_out(vty, "       transform: %s ,\n", transform);
	vty_out(vty, "       in use settings ={%s, }\n", mode);
	vty_out(vty,
		"       slot: 0, conn id: %u, flow_id: %u, crypto map: %s\n",
		conn_id, flow_id, map);
}

static void ipsec_sa_entry(struct vty *vty, json_object *jarr,
			   const struct ios_interface *ifc,
			   const struct ios_crypto_map_entry *map)
{
	const struct zebra_ios_vici_child_sa *c = map_child_sa(map);
	const struct ios_transform_set *ts =
		*map->transform_set ? ios_transform_set_find(map->transform_set)
				    : NULL;
	const struct ios_acl_entry *acl = map_acl_entry(map);
	struct in_addr lid = { 0 }, rid = { 0 };
	char local[INET6_ADDRSTRLEN + 8], remote[INET6_ADDRSTRLEN + 8];
	char lbuf[INET_ADDRSTRLEN], rbuf[INET_ADDRSTRLEN];
	char transform[64];
	const char *mode = sa_mode(c, ts);
	const struct ios_sa_report *r = &map->sa;
	uint64_t enc = c ? r->packets_encrypted : 0;
	uint64_t dec = c ? r->packets_decrypted : 0;

	if (acl) {
		lid = acl->source;
		rid = acl->destination;
	}
	esp_transform(ts, transform, sizeof(transform));
	if (c && c->ike)
		addr_str(&c->ike->local_host, local, sizeof(local));
	else if (ifc->is_tunnel &&
		 ifc->tunnel.source == IOS_TUNNEL_SOURCE_ADDRESS)
		in_str(ifc->tunnel.source_address, local, sizeof(local));
	else
		snprintf(local, sizeof(local), "0.0.0.0");
	if (c && c->ike)
		addr_str(&c->ike->remote_host, remote, sizeof(remote));
	else if (map->has_peer)
		in_str(map->peer, remote, sizeof(remote));
	else
		snprintf(remote, sizeof(remote), "0.0.0.0");

	if (jarr) {
		json_object *o = json_object_new_object();
		json_object *in = json_object_new_array();
		json_object *out = json_object_new_array();
		char spi[16];

		json_object_string_add(o, "interface", ifc->name);
		json_object_string_add(o, "cryptoMapTag", map->name);
		json_object_int_add(o, "sequence", map->sequence);
		json_object_string_add(o, "localAddr", local);
		json_object_object_add(o, "localIdent", ident_json(lid, !!acl));
		json_object_object_add(o, "remoteIdent",
				       ident_json(rid, !!acl));
		json_object_string_add(o, "currentPeer", remote);
		json_object_int_add(o, "pktsEncaps", enc);
		json_object_int_add(o, "pktsEncrypt", enc);
		json_object_int_add(o, "pktsDigest", enc);
		json_object_int_add(o, "pktsDecaps", dec);
		json_object_int_add(o, "pktsDecrypt", dec);
		json_object_int_add(o, "pktsVerify", dec);
		json_object_int_add(o, "bytesEncrypted",
				    c ? r->bytes_encrypted : 0);
		json_object_int_add(o, "bytesDecrypted",
				    c ? r->bytes_decrypted : 0);
		/* counters are charon's as of the last VICI refresh */
		json_object_int_add(o, "countersAge",
				    c && c->counters_time
					    ? MAX(monotime(NULL) -
							  c->counters_time,
						  0)
					    : -1);
		json_object_int_add(o, "sendErrors", 0);
		json_object_int_add(o, "recvErrors", 0);
		json_object_string_add(o, "localCryptoEndpt", local);
		json_object_string_add(o, "remoteCryptoEndpt", remote);
		snprintf(spi, sizeof(spi), "0x%08X", c ? c->spi_out : 0);
		json_object_string_add(o, "currentOutboundSpi", spi);
		if (c) {
			json_object_array_add(
				in, esp_sa_json(c->spi_in, transform, mode,
						child_conn_id(c, false),
						map->name));
			json_object_array_add(
				out, esp_sa_json(c->spi_out, transform, mode,
						 child_conn_id(c, true),
						 map->name));
		}
		json_object_object_add(o, "inboundEspSas", in);
		json_object_object_add(o, "outboundEspSas", out);
		json_object_array_add(jarr, o);
		return;
	}

	vty_out(vty, "\ninterface: %s\n", ifc->name);
	vty_out(vty, "    Crypto map tag: %s, local addr. %s\n\n", map->name,
		local);
	vty_out(vty, "   local  ident (addr/mask/prot/port): (%s/%s/%u/0)\n",
		in_str(lid, lbuf, sizeof(lbuf)),
		acl ? "255.255.255.255" : "0.0.0.0", acl ? 47 : 0);
	vty_out(vty, "   remote ident (addr/mask/prot/port): (%s/%s/%u/0)\n",
		in_str(rid, rbuf, sizeof(rbuf)),
		acl ? "255.255.255.255" : "0.0.0.0", acl ? 47 : 0);
	vty_out(vty, "   current_peer: %s:500\n", remote);
	vty_out(vty, "     PERMIT, flags={origin_is_acl,}\n");
	vty_out(vty,
		"    #pkts encaps: %" PRIu64 ", #pkts encrypt: %" PRIu64
		", #pkts digest %" PRIu64 "\n",
		enc, enc, enc);
	vty_out(vty,
		"    #pkts decaps: %" PRIu64 ", #pkts decrypt: %" PRIu64
		", #pkts verify %" PRIu64 "\n",
		dec, dec, dec);
	vty_out(vty, "    #pkts compressed: 0, #pkts decompressed: 0\n");
	vty_out(vty, "    #pkts not compressed: 0, #pkts compr. failed: 0\n");
	vty_out(vty,
		"    #pkts not decompressed: 0, #pkts decompress failed: 0\n");
	vty_out(vty, "    #send errors 0, #recv errors 0\n\n");
	vty_out(vty, "     local crypto endpt.: %s, remote crypto endpt.: %s\n",
		local, remote);
	vty_out(vty, "     current outbound spi: %X\n\n", c ? c->spi_out : 0);
	vty_out(vty, "     inbound esp sas:\n");
	if (c)
		esp_sa_vty(vty, c->spi_in, transform, mode,
			   child_conn_id(c, false), 1, map->name);
	vty_out(vty, "\n     inbound ah sas:\n\n     inbound pcp sas:\n\n");
	vty_out(vty, "     outbound esp sas:\n");
	if (c)
		esp_sa_vty(vty, c->spi_out, transform, mode,
			   child_conn_id(c, true), 2, map->name);
	vty_out(vty, "\n     outbound ah sas:\n\n     outbound pcp sas:\n");
}

DEFPY (show_crypto_ipsec_sa,
       show_crypto_ipsec_sa_cmd,
       "show crypto ipsec sa [json]$json",
       SHOW_STR
       CRYPTO_STR
       "IPsec information\n"
       "IPsec security associations\n"
       JSON_STR)
{
	json_object *arr = json ? json_object_new_array() : NULL;
	struct ios_interface *ifc;
	struct ios_crypto_map_entry *map;

	frr_each (ios_interfaces, &ios_crypto_cfg.interfaces, ifc) {
		if (!*ifc->crypto_map)
			continue;
		frr_each (ios_crypto_maps, &ios_crypto_cfg.maps, map)
			if (strmatch(map->name, ifc->crypto_map))
				ipsec_sa_entry(vty, arr, ifc, map);
	}
	if (arr) {
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, "interfaces", arr);
		return vty_json(vty, obj);
	}
	return CMD_SUCCESS;
}

/* ------------------------------------------------------- show crypto map */

DEFPY (show_crypto_map,
       show_crypto_map_cmd,
       "show crypto map [json]$json",
       SHOW_STR
       CRYPTO_STR
       "Crypto maps\n"
       JSON_STR)
{
	json_object *arr = json ? json_object_new_array() : NULL;
	struct ios_crypto_map_entry *map;
	char buf[INET_ADDRSTRLEN], buf2[INET_ADDRSTRLEN];

	frr_each (ios_crypto_maps, &ios_crypto_cfg.maps, map) {
		struct ios_acl *acl =
			map->acl ? ios_acl_find(map->acl) : NULL;
		const struct zebra_ios_vici_child_sa *c = map_child_sa(map);
		struct ios_acl_entry *e;
		struct ios_interface *ifc;
		char cur[INET6_ADDRSTRLEN + 8] = "";

		if (c && c->ike)
			addr_str(&c->ike->remote_host, cur, sizeof(cur));
		if (arr) {
			json_object *o = json_object_new_object();
			json_object *aes = json_object_new_array();
			json_object *tss = json_object_new_array();
			json_object *ifs = json_object_new_array();

			json_object_string_add(o, "name", map->name);
			json_object_int_add(o, "sequence", map->sequence);
			json_object_string_add(o, "type", "ipsec-isakmp");
			json_object_string_add(
				o, "peer",
				map->has_peer ? in_str(map->peer, buf,
						       sizeof(buf))
					      : "");
			json_object_int_add(o, "accessList", map->acl);
			if (acl)
				frr_each (ios_acl_entries, &acl->entries, e) {
					char line[128];

					snprintf(line, sizeof(line),
						 "access-list %u %s gre host %s host %s",
						 map->acl,
						 e->permit ? "permit" : "deny",
						 in_str(e->source, buf,
							sizeof(buf)),
						 in_str(e->destination, buf2,
							sizeof(buf2)));
					json_object_array_add(
						aes,
						json_object_new_string(line));
				}
			json_object_object_add(o, "accessListEntries", aes);
			json_object_string_add(o, "currentPeer", cur);
			json_object_int_add(o, "lifetimeKilobytes", 4608000);
			json_object_int_add(o, "lifetimeSeconds", 3600);
			json_object_boolean_false_add(o, "pfs");
			if (*map->transform_set)
				json_object_array_add(
					tss, json_object_new_string(
						     map->transform_set));
			json_object_object_add(o, "transformSets", tss);
			frr_each (ios_interfaces, &ios_crypto_cfg.interfaces,
				  ifc)
				if (strmatch(ifc->crypto_map, map->name))
					json_object_array_add(
						ifs, json_object_new_string(
							     ifc->name));
			json_object_object_add(o, "interfaces", ifs);
			json_object_array_add(arr, o);
			continue;
		}

		vty_out(vty, "\nCrypto Map \"%s\" %u ipsec-isakmp\n", map->name,
			map->sequence);
		if (map->has_peer)
			vty_out(vty, "\tPeer = %s\n",
				in_str(map->peer, buf, sizeof(buf)));
		if (map->acl) {
			vty_out(vty, "\tExtended IP access list %u\n", map->acl);
			if (acl)
				frr_each (ios_acl_entries, &acl->entries, e)
					vty_out(vty,
						"\t    access-list %u %s gre host %s host %s\n",
						map->acl,
						e->permit ? "permit" : "deny",
						in_str(e->source, buf,
						       sizeof(buf)),
						in_str(e->destination, buf2,
						       sizeof(buf2)));
		}
		if (*cur)
			vty_out(vty, "\tCurrent peer: %s\n", cur);
		vty_out(vty,
			"\tSecurity association lifetime: 4608000 kilobytes/3600 seconds\n");
		vty_out(vty, "\tPFS (Y/N): N\n");
		vty_out(vty, "\tTransform sets={ %s%s}\n", map->transform_set,
			*map->transform_set ? ", " : "");
		vty_out(vty, "\tInterfaces using crypto map %s:\n", map->name);
		frr_each (ios_interfaces, &ios_crypto_cfg.interfaces, ifc)
			if (strmatch(ifc->crypto_map, map->name))
				vty_out(vty, "\t\t%s\n", ifc->name);
	}
	if (arr) {
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, "maps", arr);
		return vty_json(vty, obj);
	}
	return CMD_SUCCESS;
}

/* ---------------------------------- show crypto engine connections active */

static void engine_row(struct sa_list *l, uint32_t id, const char *ifname,
		       const char *addr, const char *alg, uint64_t enc,
		       uint64_t dec)
{
	if (l->json) {
		json_object *o = json_object_new_object();

		json_object_int_add(o, "id", id);
		json_object_string_add(o, "interface", ifname);
		json_object_string_add(o, "ipAddress", addr);
		json_object_string_add(o, "state", "set");
		json_object_string_add(o, "algorithm", alg);
		json_object_int_add(o, "encrypt", enc);
		json_object_int_add(o, "decrypt", dec);
		json_object_array_add(l->json, o);
		return;
	}
	vty_out(l->vty, "%-6u %-15s %-15s %-5s %-20s %7" PRIu64 " %7" PRIu64 "\n",
		id, ifname, addr, "set", alg, enc, dec);
}

static void engine_cb(const struct zebra_ios_vici_ike_sa *ike,
		      const struct zebra_ios_vici_child_sa *child, void *arg)
{
	struct sa_list *l = arg;
	const struct ios_crypto_map_entry *map =
		map_by_conn(child ? child->name : ike->name);
	const struct ios_interface *ifc = map ? map_interface(map->name) : NULL;
	const char *ifname = ifc ? ifc->name : "unassigned";
	char local[INET6_ADDRSTRLEN + 8], alg[48];

	addr_str(&ike->local_host, local, sizeof(local));
	if (!seen_ike(l, ike))
		engine_row(l, ike->uniqueid, ifname, local,
			   ike_engine_alg(ike_policy(ike), alg, sizeof(alg)), 0,
			   0);
	if (child) {
		const struct ios_transform_set *ts =
			map && *map->transform_set
				? ios_transform_set_find(map->transform_set)
				: NULL;
		bool mine = map && map_child_sa(map) == child;
		uint64_t enc = mine ? map->sa.packets_encrypted : 0;
		uint64_t dec = mine ? map->sa.packets_decrypted : 0;

		esp_engine_alg(ts, alg, sizeof(alg));
		engine_row(l, child_conn_id(child, false), ifname, local, alg,
			   0, dec);
		engine_row(l, child_conn_id(child, true), ifname, local, alg,
			   enc, 0);
	}
}

DEFPY (show_crypto_engine_connections_active,
       show_crypto_engine_connections_active_cmd,
       "show crypto engine connections active [json]$json",
       SHOW_STR
       CRYPTO_STR
       "Crypto engine information\n"
       "Crypto engine connections\n"
       "Active connections\n"
       JSON_STR)
{
	struct sa_list l = { .vty = vty };

	if (json) {
		json_object *obj = json_object_new_object();

		l.json = json_object_new_array();
		zebra_ios_vici_sa_walk(engine_cb, &l);
		json_object_object_add(obj, "connections", l.json);
		return vty_json(vty, obj);
	}
	vty_out(vty,
		"ID     Interface       IP-Address      State Algorithm            Encrypt Decrypt\n");
	zebra_ios_vici_sa_walk(engine_cb, &l);
	return CMD_SUCCESS;
}

DEFPY (show_crypto_charon,
       show_crypto_charon_cmd,
       "show crypto charon [json]$json",
       SHOW_STR
       CRYPTO_STR
       "Connections generated for strongSwan's charon from this configuration\n"
       JSON_STR)
{
	ios_crypto_charon_show(vty, !!json);
	return CMD_SUCCESS;
}

void ios_crypto_show_init(void)
{
	install_element(VIEW_NODE, &show_crypto_charon_cmd);
	install_element(VIEW_NODE, &show_crypto_isakmp_sa_cmd);
	install_element(VIEW_NODE, &show_crypto_ipsec_sa_cmd);
	install_element(VIEW_NODE, &show_crypto_map_cmd);
	install_element(VIEW_NODE, &show_crypto_engine_connections_active_cmd);
	ios_crypto_show_pubkey_init();
}
