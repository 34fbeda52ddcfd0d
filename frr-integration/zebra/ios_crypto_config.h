// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The IOS crypto configuration as the zebra module keeps it: the applied
 * state of the ios-ipsec-suite YANG model (running configuration), in
 * typesafe containers keyed like the YANG lists. Only the northbound
 * configuration callbacks (ios_crypto_nb_config.c) change it; the rest of
 * the module (VICI client, tunnels) reads it and reports SA state into it.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#ifndef IOS_CRYPTO_CONFIG_H
#define IOS_CRYPTO_CONFIG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "hook.h"
#include "jhash.h"
#include "memory.h"
#include "typesafe.h"
#include "typerb.h"

#include "ios_keychain.h"

DECLARE_MGROUP(IOS_CRYPTO);

/* names of transform sets and crypto maps (YANG name-string) */
#define IOS_NAME_SIZE 65
/* Linux interface names (IFNAMSIZ) */
#define IOS_IFNAME_SIZE 16
/* reasons shown in operational state */
#define IOS_REASON_SIZE 128
/* "<map>-<seq>": see ios_crypto_map_conn_name() */
#define IOS_CONN_NAME_SIZE (IOS_NAME_SIZE + 8)

enum ios_isakmp_auth {
	IOS_AUTH_PRE_SHARE,
	IOS_AUTH_RSA_SIG,
	IOS_AUTH_RSA_ENCR,
	/* revised mode, RFC 2409 5.3: the suite's 'rsa-encr revised' */
	IOS_AUTH_RSA_ENCR_REVISED,
};

/* rsa-encr in either mode: needs the peer's encryption key */
static inline bool ios_auth_is_rsa_encr(enum ios_isakmp_auth auth)
{
	return auth == IOS_AUTH_RSA_ENCR || auth == IOS_AUTH_RSA_ENCR_REVISED;
}

/* the IKEv1 authentication method number (RFC 2409 appendix A) */
static inline unsigned ios_auth_ike_method(enum ios_isakmp_auth auth)
{
	switch (auth) {
	case IOS_AUTH_PRE_SHARE:
		return 1;
	case IOS_AUTH_RSA_SIG:
		return 3;
	case IOS_AUTH_RSA_ENCR:
		return 4;
	case IOS_AUTH_RSA_ENCR_REVISED:
		return 5;
	}
	return 3;
}

enum ios_ike_cipher {
	IOS_IKE_DES,
	IOS_IKE_3DES,
	IOS_IKE_AES_128,
	IOS_IKE_AES_192,
	IOS_IKE_AES_256,
};

enum ios_ike_hash {
	IOS_IKE_SHA,
	IOS_IKE_MD5,
};

enum ios_identity {
	IOS_IDENTITY_ADDRESS,
	IOS_IDENTITY_HOSTNAME,
};

enum ios_esp_cipher {
	IOS_ESP_DES,
	IOS_ESP_3DES,
	IOS_ESP_AES_128,
	IOS_ESP_AES_192,
	IOS_ESP_AES_256,
};

enum ios_esp_integrity {
	IOS_ESP_SHA_HMAC,
	IOS_ESP_MD5_HMAC,
};

enum ios_ipsec_mode {
	IOS_MODE_TUNNEL,
	IOS_MODE_TRANSPORT,
};

enum ios_sa_state {
	IOS_SA_DOWN,
	IOS_SA_NEGOTIATING,
	IOS_SA_UP,
};

enum ios_tunnel_source {
	IOS_TUNNEL_SOURCE_NONE,
	IOS_TUNNEL_SOURCE_INTERFACE,
	IOS_TUNNEL_SOURCE_ADDRESS,
};

/* crypto isakmp policy PRIORITY */
PREDECL_RBTREE_UNIQ(ios_policies);
struct ios_isakmp_policy {
	struct ios_policies_item item;
	uint16_t priority;
	enum ios_isakmp_auth authentication;
	enum ios_ike_cipher encryption;
	enum ios_ike_hash hash;
	uint8_t group;
	uint32_t lifetime;
};

/* crypto isakmp key KEYSTRING address A.B.C.D [MASK] */
#define IOS_PSK_SIZE 129
PREDECL_RBTREE_UNIQ(ios_isakmp_keys);
struct ios_isakmp_key {
	struct ios_isakmp_keys_item item;
	struct in_addr address;
	struct in_addr mask;
	char secret[IOS_PSK_SIZE];
};

/* crypto ipsec transform-set NAME ... */
PREDECL_RBTREE_UNIQ(ios_transform_sets);
struct ios_transform_set {
	struct ios_transform_sets_item item;
	char name[IOS_NAME_SIZE];
	enum ios_esp_cipher cipher;
	enum ios_esp_integrity integrity;
	enum ios_ipsec_mode mode;
};

/* What charon reports about the IPsec SAs of a crypto map entry. */
struct ios_sa_report {
	enum ios_sa_state state;
	uint32_t spi_in;
	uint32_t spi_out;
	uint64_t packets_encrypted;
	uint64_t packets_decrypted;
	uint64_t bytes_encrypted;
	uint64_t bytes_decrypted;
};

/* crypto map NAME SEQ ipsec-isakmp */
PREDECL_RBTREE_UNIQ(ios_crypto_maps);
PREDECL_HASH(ios_map_conns);
struct ios_crypto_map_entry {
	struct ios_crypto_maps_item item;
	/* in ios_crypto_cfg.map_conns: SA events find their entry by name */
	struct ios_map_conns_item conn_item;
	char name[IOS_NAME_SIZE];
	uint16_t sequence;
	/* the name of its swanctl connection and CHILD config */
	char conn_name[IOS_CONN_NAME_SIZE];
	bool has_peer;
	struct in_addr peer;
	/* "" if none */
	char transform_set[IOS_NAME_SIZE];
	/* 0 if none */
	uint16_t acl;

	/* operational state */
	bool complete;
	char reason[IOS_REASON_SIZE];
	struct ios_sa_report sa;
	uint32_t sa_changes;
	time_t sa_last_change;
};

/* one "access-list N permit|deny gre host A host B" */
PREDECL_RBTREE_UNIQ(ios_acl_entries);
struct ios_acl_entry {
	struct ios_acl_entries_item item;
	uint32_t sequence;
	bool permit;
	struct in_addr source;
	struct in_addr destination;
};

PREDECL_RBTREE_UNIQ(ios_acls);
struct ios_acl {
	struct ios_acls_item item;
	uint16_t number;
	struct ios_acl_entries_head entries;
};

/* named-key / addressed-key of crypto key pubkey-chain rsa */
PREDECL_RBTREE_UNIQ(ios_pubkeys);
struct ios_pubkey {
	struct ios_pubkeys_item item;
	ios_key_kind_t kind;
	/* named-key: the name; addressed-key: the address as configured */
	char name[IOS_KEYCHAIN_MAX_NAME_LEN + 1];
	ios_key_usage_t usage;
	ios_address_t addresses[IOS_KEYCHAIN_MAX_ADDRESSES];
	size_t address_count;
	/* "" if none */
	char serial[IOS_KEYCHAIN_MAX_SERIAL_LEN + 1];
	/* DER SubjectPublicKeyInfo, checked by lib/ios-keychain; NULL if none */
	uint8_t *der;
	size_t der_len;
	unsigned bits;
};

/* interface NAME: the suite's interface-level commands */
struct ios_tunnel {
	bool has_address;
	struct in_addr address;
	uint8_t prefixlen;
	/* 0 if not configured */
	uint16_t mtu;
	enum ios_tunnel_source source;
	char source_interface[IOS_IFNAME_SIZE];
	struct in_addr source_address;
	bool has_destination;
	struct in_addr destination;

	/* operational state */
	bool up;
	char reason[IOS_REASON_SIZE];
	uint32_t transitions;
	time_t last_change;
	/*
	 * why the Linux device cannot carry the tunnel ("" if it can); set
	 * by the tunnel device code (ios_crypto_tunnel.c), keeps it down
	 */
	char device_error[IOS_REASON_SIZE];
};

PREDECL_RBTREE_UNIQ(ios_interfaces);
struct ios_interface {
	struct ios_interfaces_item item;
	char name[IOS_IFNAME_SIZE];
	/* "" if none */
	char crypto_map[IOS_NAME_SIZE];
	/* interfaces named TunnelN are GRE tunnels */
	bool is_tunnel;
	struct ios_tunnel tunnel;
};

struct ios_crypto_config {
	/* crypto isakmp enable / identity / keepalive */
	bool isakmp_enable;
	enum ios_identity identity;
	bool keepalive;
	uint16_t keepalive_seconds;
	uint16_t keepalive_retry;

	struct ios_policies_head policies;
	struct ios_isakmp_keys_head isakmp_keys;
	struct ios_transform_sets_head transform_sets;
	struct ios_crypto_maps_head maps;
	struct ios_map_conns_head map_conns;
	struct ios_pubkeys_head pubkeys;
	struct ios_acls_head acls;
	struct ios_interfaces_head interfaces;
};

/* the running configuration */
extern struct ios_crypto_config ios_crypto_cfg;

static inline int ios_policy_cmp(const struct ios_isakmp_policy *a,
				 const struct ios_isakmp_policy *b)
{
	return numcmp(a->priority, b->priority);
}
DECLARE_RBTREE_UNIQ(ios_policies, struct ios_isakmp_policy, item,
		    ios_policy_cmp);

static inline int ios_isakmp_key_cmp(const struct ios_isakmp_key *a,
				     const struct ios_isakmp_key *b)
{
	return numcmp(ntohl(a->address.s_addr), ntohl(b->address.s_addr));
}
DECLARE_RBTREE_UNIQ(ios_isakmp_keys, struct ios_isakmp_key, item,
		    ios_isakmp_key_cmp);

static inline int ios_transform_set_cmp(const struct ios_transform_set *a,
					const struct ios_transform_set *b)
{
	return strcmp(a->name, b->name);
}
DECLARE_RBTREE_UNIQ(ios_transform_sets, struct ios_transform_set, item,
		    ios_transform_set_cmp);

static inline int ios_crypto_map_cmp(const struct ios_crypto_map_entry *a,
				     const struct ios_crypto_map_entry *b)
{
	int ret = strcmp(a->name, b->name);

	return ret ? ret : numcmp(a->sequence, b->sequence);
}
DECLARE_RBTREE_UNIQ(ios_crypto_maps, struct ios_crypto_map_entry, item,
		    ios_crypto_map_cmp);

static inline int ios_map_conn_cmp(const struct ios_crypto_map_entry *a,
				   const struct ios_crypto_map_entry *b)
{
	return strcmp(a->conn_name, b->conn_name);
}

static inline uint32_t ios_map_conn_hash(const struct ios_crypto_map_entry *a)
{
	return jhash(a->conn_name, strlen(a->conn_name), 0x1e5c0a11);
}
DECLARE_HASH(ios_map_conns, struct ios_crypto_map_entry, conn_item,
	     ios_map_conn_cmp, ios_map_conn_hash);

static inline int ios_acl_entry_cmp(const struct ios_acl_entry *a,
				    const struct ios_acl_entry *b)
{
	return numcmp(a->sequence, b->sequence);
}
DECLARE_RBTREE_UNIQ(ios_acl_entries, struct ios_acl_entry, item,
		    ios_acl_entry_cmp);

static inline int ios_acl_cmp(const struct ios_acl *a, const struct ios_acl *b)
{
	return numcmp(a->number, b->number);
}
DECLARE_RBTREE_UNIQ(ios_acls, struct ios_acl, item, ios_acl_cmp);

static inline int ios_pubkey_cmp(const struct ios_pubkey *a,
				 const struct ios_pubkey *b)
{
	int ret = numcmp(a->kind, b->kind);

	if (!ret)
		ret = strcmp(a->name, b->name);
	return ret ? ret : numcmp(a->usage, b->usage);
}
DECLARE_RBTREE_UNIQ(ios_pubkeys, struct ios_pubkey, item, ios_pubkey_cmp);

static inline int ios_interface_cmp(const struct ios_interface *a,
				    const struct ios_interface *b)
{
	return strcmp(a->name, b->name);
}
DECLARE_RBTREE_UNIQ(ios_interfaces, struct ios_interface, item,
		    ios_interface_cmp);

/*
 * Hooks for the rest of the module (VICI client, GRE devices):
 * - ios_crypto_config_applied: after each committed change of the model;
 * - ios_tunnel_oper_changed: a tunnel went up or down (tunnel.up, reason);
 * - ios_crypto_map_sa_changed: the SA state of a crypto map entry changed
 *   (sa.state), before the tunnels that use it are updated.
 */
DECLARE_HOOK(ios_crypto_config_applied, (), ());
DECLARE_HOOK(ios_tunnel_oper_changed, (struct ios_interface *ifc), (ifc));
DECLARE_HOOK(ios_crypto_map_sa_changed, (struct ios_crypto_map_entry *map),
	     (map));

/*
 * The name of the swanctl connection and CHILD config generated for a
 * crypto map entry, "<map>-<seq>": how its SAs are recognised. The name
 * is unique: the sequence number follows the last dash.
 */
void ios_crypto_map_conn_name(const struct ios_crypto_map_entry *map,
			      char *buf, size_t size);

/* lookups in the running configuration; NULL if not configured */
struct ios_crypto_map_entry *ios_crypto_map_find(const char *name,
						 uint16_t sequence);
/* the entry whose connection is named 'conn' ("<map>-<seq>") */
struct ios_crypto_map_entry *ios_crypto_map_find_conn(const char *conn);
struct ios_transform_set *ios_transform_set_find(const char *name);
/* the crypto isakmp key of a peer: the longest mask that contains it */
const struct ios_isakmp_key *ios_isakmp_key_for(struct in_addr peer);
struct ios_acl *ios_acl_find(uint16_t number);
struct ios_interface *ios_interface_find(const char *name);

/*
 * Report the IPsec SA state of a crypto map entry (from charon, via VICI).
 * Updates the operational state of the entry and of the tunnels that use
 * its crypto map, and runs ios_tunnel_oper_changed for tunnels that change.
 */
void ios_crypto_map_sa_report(struct ios_crypto_map_entry *entry,
			      const struct ios_sa_report *report);

/*
 * Recompute the derived operational state (completeness of crypto map
 * entries, tunnel status and reasons) from configuration and SA state.
 */
void ios_crypto_state_update(void);

/* keywords as IOS writes them, for printing */
const char *ios_ike_cipher_keyword(enum ios_ike_cipher cipher);
const char *ios_esp_cipher_keyword(enum ios_esp_cipher cipher);

/* set up and tear down ios_crypto_cfg */
void ios_crypto_config_init(void);
void ios_crypto_config_fini(void);

#endif /* IOS_CRYPTO_CONFIG_H */
