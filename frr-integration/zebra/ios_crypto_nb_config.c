// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Configuration callbacks of the ios-ipsec-suite YANG model: they keep
 * ios_crypto_cfg, the applied configuration, in step with the running
 * configuration. Validation beyond what the model itself says (the RSA key
 * data of a key-string) happens in NB_EV_VALIDATE; everything else only
 * changes ios_crypto_cfg in NB_EV_APPLY.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include "command.h"
#include "lib_errors.h"
#include "log.h"
#include "northbound.h"
#include "prefix.h"
#include "yang_wrappers.h"

#include "ios_crypto_config.h"
#include "ios_crypto_nb.h"

DEFINE_MGROUP(IOS_CRYPTO, "ios-ipsec-suite");
DEFINE_MTYPE_STATIC(IOS_CRYPTO, IOS_POLICY, "ISAKMP policy");
DEFINE_MTYPE_STATIC(IOS_CRYPTO, IOS_ISAKMP_KEY, "ISAKMP pre-shared key");
DEFINE_MTYPE_STATIC(IOS_CRYPTO, IOS_TRANSFORM_SET, "IPsec transform set");
DEFINE_MTYPE_STATIC(IOS_CRYPTO, IOS_CRYPTO_MAP, "Crypto map entry");
DEFINE_MTYPE_STATIC(IOS_CRYPTO, IOS_ACL, "GRE access list");
DEFINE_MTYPE_STATIC(IOS_CRYPTO, IOS_ACL_ENTRY, "GRE access list entry");
DEFINE_MTYPE_STATIC(IOS_CRYPTO, IOS_PUBKEY, "RSA public key");
DEFINE_MTYPE_STATIC(IOS_CRYPTO, IOS_PUBKEY_DER, "RSA public key data");
DEFINE_MTYPE_STATIC(IOS_CRYPTO, IOS_INTERFACE, "Crypto interface");

DEFINE_HOOK(ios_crypto_config_applied, (), ());

struct ios_crypto_config ios_crypto_cfg;

/* a YANG enumeration and the C enum it maps to */
struct keyword_map {
	const char *keyword;
	int value;
};

static int keyword_value(const struct keyword_map *map, const char *keyword)
{
	for (; map->keyword; map++)
		if (strmatch(map->keyword, keyword))
			return map->value;
	/* the model only lets known values through */
	assert(!"unknown enumeration value");
	return 0;
}

static const struct keyword_map auth_keywords[] = {
	{ "pre-share", IOS_AUTH_PRE_SHARE },
	{ "rsa-sig", IOS_AUTH_RSA_SIG },
	{ "rsa-encr", IOS_AUTH_RSA_ENCR },
	{ "rsa-encr-revised", IOS_AUTH_RSA_ENCR_REVISED },
	{ NULL },
};

static const struct keyword_map ike_cipher_keywords[] = {
	{ "des", IOS_IKE_DES },
	{ "3des", IOS_IKE_3DES },
	{ "aes-128", IOS_IKE_AES_128 },
	{ "aes-192", IOS_IKE_AES_192 },
	{ "aes-256", IOS_IKE_AES_256 },
	{ NULL },
};

static const struct keyword_map hash_keywords[] = {
	{ "sha", IOS_IKE_SHA },
	{ "md5", IOS_IKE_MD5 },
	{ NULL },
};

static const struct keyword_map identity_keywords[] = {
	{ "address", IOS_IDENTITY_ADDRESS },
	{ "hostname", IOS_IDENTITY_HOSTNAME },
	{ NULL },
};

static const struct keyword_map esp_cipher_keywords[] = {
	{ "esp-des", IOS_ESP_DES },
	{ "esp-3des", IOS_ESP_3DES },
	{ "esp-aes-128", IOS_ESP_AES_128 },
	{ "esp-aes-192", IOS_ESP_AES_192 },
	{ "esp-aes-256", IOS_ESP_AES_256 },
	{ NULL },
};

static const struct keyword_map esp_integrity_keywords[] = {
	{ "esp-sha-hmac", IOS_ESP_SHA_HMAC },
	{ "esp-md5-hmac", IOS_ESP_MD5_HMAC },
	{ NULL },
};

static const struct keyword_map mode_keywords[] = {
	{ "tunnel", IOS_MODE_TUNNEL },
	{ "transport", IOS_MODE_TRANSPORT },
	{ NULL },
};

static const struct keyword_map usage_keywords[] = {
	{ "general", IOS_KEY_USAGE_GENERAL },
	{ "encryption", IOS_KEY_USAGE_ENCRYPTION },
	{ "signature", IOS_KEY_USAGE_SIGNATURE },
	{ NULL },
};

#define DNODE_KEYWORD(map, dnode)                                              \
	keyword_value(map, yang_dnode_get_string(dnode, NULL))

void ios_crypto_config_init(void)
{
	memset(&ios_crypto_cfg, 0, sizeof(ios_crypto_cfg));
	ios_crypto_cfg.isakmp_enable = true;
	ios_crypto_cfg.identity = IOS_IDENTITY_ADDRESS;
	ios_crypto_cfg.keepalive_retry = 2;
	ios_policies_init(&ios_crypto_cfg.policies);
	ios_isakmp_keys_init(&ios_crypto_cfg.isakmp_keys);
	ios_transform_sets_init(&ios_crypto_cfg.transform_sets);
	ios_crypto_maps_init(&ios_crypto_cfg.maps);
	ios_map_conns_init(&ios_crypto_cfg.map_conns);
	ios_pubkeys_init(&ios_crypto_cfg.pubkeys);
	ios_acls_init(&ios_crypto_cfg.acls);
	ios_interfaces_init(&ios_crypto_cfg.interfaces);
}

static void isakmp_key_free(struct ios_isakmp_key *key)
{
	/* a secret does not linger in freed memory */
	explicit_bzero(key->secret, sizeof(key->secret));
	XFREE(MTYPE_IOS_ISAKMP_KEY, key);
}

static void pubkey_free(struct ios_pubkey *key)
{
	XFREE(MTYPE_IOS_PUBKEY_DER, key->der);
	XFREE(MTYPE_IOS_PUBKEY, key);
}

static void acl_free(struct ios_acl *acl)
{
	struct ios_acl_entry *entry;

	while ((entry = ios_acl_entries_pop(&acl->entries)))
		XFREE(MTYPE_IOS_ACL_ENTRY, entry);
	ios_acl_entries_fini(&acl->entries);
	XFREE(MTYPE_IOS_ACL, acl);
}

/*
 * At shutdown: the objects are still referenced from FRR's table of running
 * configuration entries, which libfrr frees without looking into them.
 */
void ios_crypto_config_fini(void)
{
	struct ios_isakmp_policy *policy;
	struct ios_isakmp_key *psk;
	struct ios_transform_set *tset;
	struct ios_crypto_map_entry *map;
	struct ios_pubkey *key;
	struct ios_acl *acl;
	struct ios_interface *ifc;

	while ((policy = ios_policies_pop(&ios_crypto_cfg.policies)))
		XFREE(MTYPE_IOS_POLICY, policy);
	while ((psk = ios_isakmp_keys_pop(&ios_crypto_cfg.isakmp_keys)))
		isakmp_key_free(psk);
	ios_isakmp_keys_fini(&ios_crypto_cfg.isakmp_keys);
	while ((tset = ios_transform_sets_pop(&ios_crypto_cfg.transform_sets)))
		XFREE(MTYPE_IOS_TRANSFORM_SET, tset);
	while ((map = ios_crypto_maps_pop(&ios_crypto_cfg.maps))) {
		ios_map_conns_del(&ios_crypto_cfg.map_conns, map);
		XFREE(MTYPE_IOS_CRYPTO_MAP, map);
	}
	while ((key = ios_pubkeys_pop(&ios_crypto_cfg.pubkeys)))
		pubkey_free(key);
	while ((acl = ios_acls_pop(&ios_crypto_cfg.acls)))
		acl_free(acl);
	while ((ifc = ios_interfaces_pop(&ios_crypto_cfg.interfaces)))
		XFREE(MTYPE_IOS_INTERFACE, ifc);
	ios_policies_fini(&ios_crypto_cfg.policies);
	ios_transform_sets_fini(&ios_crypto_cfg.transform_sets);
	ios_crypto_maps_fini(&ios_crypto_cfg.maps);
	ios_map_conns_fini(&ios_crypto_cfg.map_conns);
	ios_pubkeys_fini(&ios_crypto_cfg.pubkeys);
	ios_acls_fini(&ios_crypto_cfg.acls);
	ios_interfaces_fini(&ios_crypto_cfg.interfaces);
}

/*
 * XPath: /ios-ipsec-suite:ios
 */
void ios_crypto_apply_finish(struct nb_cb_apply_finish_args *args)
{
	ios_crypto_state_update();
	hook_call(ios_crypto_config_applied);
}

/*
 * XPath: /ios-ipsec-suite:ios/crypto/isakmp/policy
 */
int ios_isakmp_policy_create(struct nb_cb_create_args *args)
{
	struct ios_isakmp_policy *policy;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	policy = XCALLOC(MTYPE_IOS_POLICY, sizeof(*policy));
	policy->priority = yang_dnode_get_uint16(args->dnode, "./priority");
	/* the IOS defaults; the leaves' modify callbacks follow */
	policy->authentication = IOS_AUTH_RSA_SIG;
	policy->encryption = IOS_IKE_DES;
	policy->hash = IOS_IKE_SHA;
	policy->group = 1;
	policy->lifetime = 86400;
	ios_policies_add(&ios_crypto_cfg.policies, policy);
	nb_running_set_entry(args->dnode, policy);
	return NB_OK;
}

int ios_isakmp_policy_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_isakmp_policy *policy;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	policy = nb_running_unset_entry(args->dnode);
	ios_policies_del(&ios_crypto_cfg.policies, policy);
	XFREE(MTYPE_IOS_POLICY, policy);
	return NB_OK;
}

int ios_isakmp_policy_authentication_modify(struct nb_cb_modify_args *args)
{
	struct ios_isakmp_policy *policy;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	policy = nb_running_get_entry(args->dnode, NULL, true);
	policy->authentication = DNODE_KEYWORD(auth_keywords, args->dnode);
	return NB_OK;
}

int ios_isakmp_policy_encryption_modify(struct nb_cb_modify_args *args)
{
	struct ios_isakmp_policy *policy;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	policy = nb_running_get_entry(args->dnode, NULL, true);
	policy->encryption = DNODE_KEYWORD(ike_cipher_keywords, args->dnode);
	return NB_OK;
}

int ios_isakmp_policy_hash_modify(struct nb_cb_modify_args *args)
{
	struct ios_isakmp_policy *policy;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	policy = nb_running_get_entry(args->dnode, NULL, true);
	policy->hash = DNODE_KEYWORD(hash_keywords, args->dnode);
	return NB_OK;
}

int ios_isakmp_policy_group_modify(struct nb_cb_modify_args *args)
{
	struct ios_isakmp_policy *policy;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	policy = nb_running_get_entry(args->dnode, NULL, true);
	policy->group = yang_dnode_get_uint8(args->dnode, NULL);
	return NB_OK;
}

int ios_isakmp_policy_lifetime_modify(struct nb_cb_modify_args *args)
{
	struct ios_isakmp_policy *policy;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	policy = nb_running_get_entry(args->dnode, NULL, true);
	policy->lifetime = yang_dnode_get_uint32(args->dnode, NULL);
	return NB_OK;
}

/*
 * XPath: /ios-ipsec-suite:ios/crypto/isakmp/key
 */
int ios_isakmp_key_create(struct nb_cb_create_args *args)
{
	struct ios_isakmp_key *key;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	key = XCALLOC(MTYPE_IOS_ISAKMP_KEY, sizeof(*key));
	yang_dnode_get_ipv4(&key->address, args->dnode, "./address");
	key->mask.s_addr = INADDR_NONE;
	ios_isakmp_keys_add(&ios_crypto_cfg.isakmp_keys, key);
	nb_running_set_entry(args->dnode, key);
	return NB_OK;
}

int ios_isakmp_key_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_isakmp_key *key;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	key = nb_running_unset_entry(args->dnode);
	ios_isakmp_keys_del(&ios_crypto_cfg.isakmp_keys, key);
	isakmp_key_free(key);
	return NB_OK;
}

/* IOS refuses a network with host bits set; so does the model here */
int ios_isakmp_key_mask_modify(struct nb_cb_modify_args *args)
{
	struct in_addr address, mask;
	struct ios_isakmp_key *key;

	yang_dnode_get_ipv4(&address, args->dnode, "../address");
	inet_pton(AF_INET, yang_dnode_get_string(args->dnode, NULL), &mask);
	if (args->event == NB_EV_VALIDATE &&
	    (address.s_addr & ~mask.s_addr) != 0) {
		snprintfrr(args->errmsg, args->errmsg_len,
			   "crypto isakmp key address %pI4 %pI4: the address has bits outside the mask",
			   &address, &mask);
		return NB_ERR_VALIDATION;
	}
	if (args->event != NB_EV_APPLY)
		return NB_OK;

	key = nb_running_get_entry(args->dnode, NULL, true);
	key->mask = mask;
	return NB_OK;
}

int ios_isakmp_key_key_string_modify(struct nb_cb_modify_args *args)
{
	struct ios_isakmp_key *key;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	key = nb_running_get_entry(args->dnode, NULL, true);
	explicit_bzero(key->secret, sizeof(key->secret));
	strlcpy(key->secret, yang_dnode_get_string(args->dnode, NULL),
		sizeof(key->secret));
	return NB_OK;
}

const struct ios_isakmp_key *ios_isakmp_key_for(struct in_addr peer)
{
	const struct ios_isakmp_key *key, *best = NULL;

	frr_each (ios_isakmp_keys_const, &ios_crypto_cfg.isakmp_keys, key) {
		if ((peer.s_addr & key->mask.s_addr) != key->address.s_addr)
			continue;
		if (!best || ntohl(key->mask.s_addr) > ntohl(best->mask.s_addr))
			best = key;
	}
	return best;
}

/*
 * XPath: /ios-ipsec-suite:ios/crypto/isakmp/{enable,identity,keepalive}
 */
int ios_isakmp_enable_modify(struct nb_cb_modify_args *args)
{
	if (args->event == NB_EV_APPLY)
		ios_crypto_cfg.isakmp_enable =
			yang_dnode_get_bool(args->dnode, NULL);
	return NB_OK;
}

/*
 * XPath: /ios-ipsec-suite:ios/domain-name
 * FRR keeps the domain in its host settings (cmd_domainname_get()).
 */
int ios_domain_name_modify(struct nb_cb_modify_args *args)
{
	if (args->event == NB_EV_APPLY)
		cmd_domainname_set(yang_dnode_get_string(args->dnode, NULL));
	return NB_OK;
}

int ios_domain_name_destroy(struct nb_cb_destroy_args *args)
{
	if (args->event == NB_EV_APPLY)
		cmd_domainname_set(NULL);
	return NB_OK;
}

int ios_isakmp_identity_modify(struct nb_cb_modify_args *args)
{
	if (args->event == NB_EV_APPLY)
		ios_crypto_cfg.identity =
			DNODE_KEYWORD(identity_keywords, args->dnode);
	return NB_OK;
}

int ios_isakmp_keepalive_create(struct nb_cb_create_args *args)
{
	if (args->event == NB_EV_APPLY)
		ios_crypto_cfg.keepalive = true;
	return NB_OK;
}

int ios_isakmp_keepalive_destroy(struct nb_cb_destroy_args *args)
{
	if (args->event == NB_EV_APPLY) {
		ios_crypto_cfg.keepalive = false;
		ios_crypto_cfg.keepalive_seconds = 0;
		ios_crypto_cfg.keepalive_retry = 2;
	}
	return NB_OK;
}

int ios_isakmp_keepalive_seconds_modify(struct nb_cb_modify_args *args)
{
	if (args->event == NB_EV_APPLY)
		ios_crypto_cfg.keepalive_seconds =
			yang_dnode_get_uint16(args->dnode, NULL);
	return NB_OK;
}

int ios_isakmp_keepalive_retry_modify(struct nb_cb_modify_args *args)
{
	if (args->event == NB_EV_APPLY)
		ios_crypto_cfg.keepalive_retry =
			yang_dnode_get_uint16(args->dnode, NULL);
	return NB_OK;
}

/*
 * XPath: /ios-ipsec-suite:ios/crypto/ipsec/transform-set
 */
int ios_transform_set_create(struct nb_cb_create_args *args)
{
	struct ios_transform_set *tset;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	tset = XCALLOC(MTYPE_IOS_TRANSFORM_SET, sizeof(*tset));
	strlcpy(tset->name, yang_dnode_get_string(args->dnode, "./name"),
		sizeof(tset->name));
	tset->mode = IOS_MODE_TUNNEL;
	ios_transform_sets_add(&ios_crypto_cfg.transform_sets, tset);
	nb_running_set_entry(args->dnode, tset);
	return NB_OK;
}

int ios_transform_set_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_transform_set *tset;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	tset = nb_running_unset_entry(args->dnode);
	ios_transform_sets_del(&ios_crypto_cfg.transform_sets, tset);
	XFREE(MTYPE_IOS_TRANSFORM_SET, tset);
	return NB_OK;
}

int ios_transform_set_esp_encryption_modify(struct nb_cb_modify_args *args)
{
	struct ios_transform_set *tset;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	tset = nb_running_get_entry(args->dnode, NULL, true);
	tset->cipher = DNODE_KEYWORD(esp_cipher_keywords, args->dnode);
	return NB_OK;
}

int ios_transform_set_esp_integrity_modify(struct nb_cb_modify_args *args)
{
	struct ios_transform_set *tset;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	tset = nb_running_get_entry(args->dnode, NULL, true);
	tset->integrity = DNODE_KEYWORD(esp_integrity_keywords, args->dnode);
	return NB_OK;
}

int ios_transform_set_mode_modify(struct nb_cb_modify_args *args)
{
	struct ios_transform_set *tset;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	tset = nb_running_get_entry(args->dnode, NULL, true);
	tset->mode = DNODE_KEYWORD(mode_keywords, args->dnode);
	return NB_OK;
}

/*
 * XPath: /ios-ipsec-suite:ios/crypto/map
 */
int ios_map_create(struct nb_cb_create_args *args)
{
	struct ios_crypto_map_entry *map;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	map = XCALLOC(MTYPE_IOS_CRYPTO_MAP, sizeof(*map));
	strlcpy(map->name, yang_dnode_get_string(args->dnode, "./name"),
		sizeof(map->name));
	map->sequence = yang_dnode_get_uint16(args->dnode, "./sequence");
	map->sa.state = IOS_SA_DOWN;
	ios_crypto_map_conn_name(map, map->conn_name, sizeof(map->conn_name));
	ios_crypto_maps_add(&ios_crypto_cfg.maps, map);
	ios_map_conns_add(&ios_crypto_cfg.map_conns, map);
	nb_running_set_entry(args->dnode, map);
	return NB_OK;
}

int ios_map_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_crypto_map_entry *map;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	map = nb_running_unset_entry(args->dnode);
	ios_crypto_maps_del(&ios_crypto_cfg.maps, map);
	ios_map_conns_del(&ios_crypto_cfg.map_conns, map);
	XFREE(MTYPE_IOS_CRYPTO_MAP, map);
	return NB_OK;
}

int ios_map_peer_modify(struct nb_cb_modify_args *args)
{
	struct ios_crypto_map_entry *map;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	map = nb_running_get_entry(args->dnode, NULL, true);
	yang_dnode_get_ipv4(&map->peer, args->dnode, NULL);
	map->has_peer = true;
	return NB_OK;
}

int ios_map_peer_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_crypto_map_entry *map;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	map = nb_running_get_entry(args->dnode, NULL, true);
	map->has_peer = false;
	map->peer.s_addr = INADDR_ANY;
	return NB_OK;
}

int ios_map_transform_set_modify(struct nb_cb_modify_args *args)
{
	struct ios_crypto_map_entry *map;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	map = nb_running_get_entry(args->dnode, NULL, true);
	strlcpy(map->transform_set, yang_dnode_get_string(args->dnode, NULL),
		sizeof(map->transform_set));
	return NB_OK;
}

int ios_map_transform_set_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_crypto_map_entry *map;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	map = nb_running_get_entry(args->dnode, NULL, true);
	map->transform_set[0] = '\0';
	return NB_OK;
}

int ios_map_match_address_modify(struct nb_cb_modify_args *args)
{
	struct ios_crypto_map_entry *map;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	map = nb_running_get_entry(args->dnode, NULL, true);
	map->acl = yang_dnode_get_uint16(args->dnode, NULL);
	return NB_OK;
}

int ios_map_match_address_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_crypto_map_entry *map;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	map = nb_running_get_entry(args->dnode, NULL, true);
	map->acl = 0;
	return NB_OK;
}

/*
 * XPath: /ios-ipsec-suite:ios/crypto/pubkey-chain/{named,addressed}-key
 */
static int pubkey_create(struct nb_cb_create_args *args, ios_key_kind_t kind,
			 const char *name_leaf)
{
	struct ios_pubkey *key;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	key = XCALLOC(MTYPE_IOS_PUBKEY, sizeof(*key));
	key->kind = kind;
	strlcpy(key->name, yang_dnode_get_string(args->dnode, name_leaf),
		sizeof(key->name));
	key->usage = keyword_value(usage_keywords,
				   yang_dnode_get_string(args->dnode,
							 "./usage"));
	ios_pubkeys_add(&ios_crypto_cfg.pubkeys, key);
	nb_running_set_entry(args->dnode, key);
	return NB_OK;
}

int ios_named_key_create(struct nb_cb_create_args *args)
{
	return pubkey_create(args, IOS_KEY_NAMED, "./name");
}

int ios_addressed_key_create(struct nb_cb_create_args *args)
{
	return pubkey_create(args, IOS_KEY_ADDRESSED, "./key-address");
}

int ios_pubkey_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_pubkey *key;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	key = nb_running_unset_entry(args->dnode);
	ios_pubkeys_del(&ios_crypto_cfg.pubkeys, key);
	pubkey_free(key);
	return NB_OK;
}

int ios_pubkey_address_create(struct nb_cb_create_args *args)
{
	struct ios_pubkey *key;
	const char *text;
	ios_address_t address;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	key = nb_running_get_entry(args->dnode, NULL, true);
	text = yang_dnode_get_string(args->dnode, NULL);
	/* max-elements of the model equals the array size */
	if (ios_address_parse(text, strlen(text), &address)
	    && key->address_count < array_size(key->addresses))
		key->addresses[key->address_count++] = address;
	return NB_OK;
}

int ios_pubkey_address_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_pubkey *key;
	const char *text;
	ios_address_t address;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	key = nb_running_get_entry(args->dnode, NULL, true);
	text = yang_dnode_get_string(args->dnode, NULL);
	if (!ios_address_parse(text, strlen(text), &address))
		return NB_OK;
	for (size_t i = 0; i < key->address_count; i++) {
		if (!ios_address_equals(&key->addresses[i], &address))
			continue;
		memmove(&key->addresses[i], &key->addresses[i + 1],
			(key->address_count - i - 1) *
				sizeof(key->addresses[0]));
		key->address_count--;
		break;
	}
	return NB_OK;
}

int ios_pubkey_serial_number_modify(struct nb_cb_modify_args *args)
{
	struct ios_pubkey *key;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	key = nb_running_get_entry(args->dnode, NULL, true);
	strlcpy(key->serial, yang_dnode_get_string(args->dnode, NULL),
		sizeof(key->serial));
	return NB_OK;
}

int ios_pubkey_serial_number_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_pubkey *key;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	key = nb_running_get_entry(args->dnode, NULL, true);
	key->serial[0] = '\0';
	return NB_OK;
}

/*
 * The key-string is checked by the suite's one IOS key chain parser
 * (lib/ios-keychain), the same that charon's ios-keychain plugin uses:
 * the key entry is written out as an IOS chain and parsed. So a key the
 * router accepts here is a key charon accepts from a chain file, with the
 * same messages for the same mistakes.
 */
/*
 * Room for the longest entry the model admits: name (255), 64 addresses,
 * serial-number (64) and key-string (16384 digits), plus keywords.
 */
#define PUBKEY_TEXT_SIZE                                                       \
	(1024 + IOS_KEYCHAIN_MAX_ADDRESSES * (INET6_ADDRSTRLEN + 16) +         \
	 IOS_KEYCHAIN_MAX_HEX_DIGITS)

static char *pubkey_chain_text(const struct lyd_node *key_dnode,
			       const char *key_string)
{
	const struct lyd_node *child;
	const char *usage = yang_dnode_get_string(key_dnode, "./usage");
	bool named = strmatch(key_dnode->schema->name, "named-key");
	char *text = XMALLOC(MTYPE_TMP, PUBKEY_TEXT_SIZE);
	size_t len;

	len = snprintf(text, PUBKEY_TEXT_SIZE,
		       "crypto key pubkey-chain rsa\n %s %s%s%s\n",
		       named ? "named-key" : "addressed-key",
		       yang_dnode_get_string(key_dnode, named ? "./name"
							       : "./key-address"),
		       strmatch(usage, "general") ? "" : " ",
		       strmatch(usage, "general") ? "" : usage);
	LY_LIST_FOR (lyd_child(key_dnode), child) {
		const char *keyword = NULL;

		if (strmatch(child->schema->name, "address"))
			keyword = "address";
		else if (strmatch(child->schema->name, "serial-number"))
			keyword = "serial-number";
		if (keyword && len < PUBKEY_TEXT_SIZE)
			len += snprintf(text + len, PUBKEY_TEXT_SIZE - len,
					"  %s %s\n", keyword,
					yang_dnode_get_string(child, NULL));
	}
	if (len < PUBKEY_TEXT_SIZE)
		snprintf(text + len, PUBKEY_TEXT_SIZE - len,
			 "  key-string\n  %s\n  quit\n", key_string);
	return text;
}

static int pubkey_parse(const struct lyd_node *key_string_dnode,
			ios_keychain_t **chain, char *errmsg,
			size_t errmsg_len)
{
	char *text = pubkey_chain_text(lyd_parent(key_string_dnode),
				       yang_dnode_get_string(key_string_dnode,
							     NULL));
	int errors = ios_keychain_parse(text, strlen(text), "key-string",
					chain);

	XFREE(MTYPE_TMP, text);
	if (errors < 0 || !*chain) {
		snprintf(errmsg, errmsg_len, "out of memory parsing key-string");
		return NB_ERR_RESOURCE;
	}
	if (errors > 0 || (*chain)->key_count != 1) {
		snprintf(errmsg, errmsg_len, "invalid key-string: %s",
			 (*chain)->diagnostic_count
				 ? (*chain)->diagnostics[0].message
				 : "no key");
		ios_keychain_free(*chain);
		*chain = NULL;
		return NB_ERR_VALIDATION;
	}
	return NB_OK;
}

int ios_pubkey_key_string_modify(struct nb_cb_modify_args *args)
{
	ios_keychain_t *chain = NULL;
	struct ios_pubkey *key;
	int ret;

	if (args->event == NB_EV_PREPARE || args->event == NB_EV_ABORT)
		return NB_OK;

	ret = pubkey_parse(args->dnode, &chain, args->errmsg,
			   args->errmsg_len);
	if (ret != NB_OK || args->event == NB_EV_VALIDATE) {
		ios_keychain_free(chain);
		return ret;
	}

	key = nb_running_get_entry(args->dnode, NULL, true);
	XFREE(MTYPE_IOS_PUBKEY_DER, key->der);
	key->der = XMALLOC(MTYPE_IOS_PUBKEY_DER, chain->keys[0].der_len);
	memcpy(key->der, chain->keys[0].der, chain->keys[0].der_len);
	key->der_len = chain->keys[0].der_len;
	key->bits = chain->keys[0].rsa.bits;
	ios_keychain_free(chain);
	return NB_OK;
}

int ios_pubkey_key_string_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_pubkey *key;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	key = nb_running_get_entry(args->dnode, NULL, true);
	XFREE(MTYPE_IOS_PUBKEY_DER, key->der);
	key->der_len = 0;
	key->bits = 0;
	return NB_OK;
}

/*
 * XPath: /ios-ipsec-suite:ios/interface
 */
int ios_interface_create(struct nb_cb_create_args *args)
{
	struct ios_interface *ifc;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	ifc = XCALLOC(MTYPE_IOS_INTERFACE, sizeof(*ifc));
	strlcpy(ifc->name, yang_dnode_get_string(args->dnode, "./name"),
		sizeof(ifc->name));
	/* the model's "when" of the tunnel container */
	ifc->is_tunnel = strncmp(ifc->name, "Tunnel", 6) == 0;
	ios_interfaces_add(&ios_crypto_cfg.interfaces, ifc);
	nb_running_set_entry(args->dnode, ifc);
	return NB_OK;
}

int ios_interface_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_interface *ifc;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	ifc = nb_running_unset_entry(args->dnode);
	ios_interfaces_del(&ios_crypto_cfg.interfaces, ifc);
	XFREE(MTYPE_IOS_INTERFACE, ifc);
	return NB_OK;
}

/* the child of 'parent' named 'name' (a container or list entry), or NULL */
static const struct lyd_node *dnode_child(const struct lyd_node *parent,
					  const char *name)
{
	const struct lyd_node *child;

	LY_LIST_FOR (lyd_child(parent), child)
		if (strcmp(child->schema->name, name) == 0)
			return child;
	return NULL;
}

/* does the candidate hold an entry of crypto map set 'name'? */
static bool crypto_map_set_exists(const struct lyd_node *ios, const char *name)
{
	const struct lyd_node *crypto = dnode_child(ios, "crypto");
	const struct lyd_node *entry;

	if (!crypto)
		return false;
	/* the key "name" is an entry's first child; one pass, no xpath */
	LY_LIST_FOR (lyd_child(crypto), entry)
		if (strcmp(entry->schema->name, "map") == 0 &&
		    strcmp(lyd_get_value(lyd_child(entry)), name) == 0)
			return true;
	return false;
}

/*
 * XPath: /ios-ipsec-suite:ios/interface/crypto-map
 *
 * The set must exist. The model's leafref has require-instance false: the
 * set is the first of two keys of the map list, and libyang resolves such
 * a reference through its XPath engine over every entry, for every
 * interface, on every commit (most of a commit's time at a few hundred
 * tunnels). Checked here on every validation of the candidate, the same
 * rule costs one plain pass over the entries per interface.
 */
int ios_interface_crypto_map_pre_validate(struct nb_cb_pre_validate_args *args)
{
	const char *name = yang_dnode_get_string(args->dnode, NULL);
	const struct lyd_node *ios = lyd_parent(lyd_parent(args->dnode));

	if (ios && crypto_map_set_exists(ios, name))
		return NB_OK;
	snprintf(args->errmsg, args->errmsg_len,
		 "Invalid leafref value \"%s\": crypto map %s does not exist",
		 name, name);
	return NB_ERR_VALIDATION;
}

int ios_interface_crypto_map_modify(struct nb_cb_modify_args *args)
{
	struct ios_interface *ifc;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	ifc = nb_running_get_entry(args->dnode, NULL, true);
	strlcpy(ifc->crypto_map, yang_dnode_get_string(args->dnode, NULL),
		sizeof(ifc->crypto_map));
	return NB_OK;
}

int ios_interface_crypto_map_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_interface *ifc;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	ifc = nb_running_get_entry(args->dnode, NULL, true);
	ifc->crypto_map[0] = '\0';
	return NB_OK;
}

int ios_tunnel_ipv4_address_create(struct nb_cb_create_args *args)
{
	struct ios_interface *ifc;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	ifc = nb_running_get_entry(args->dnode, NULL, true);
	ifc->tunnel.has_address = true;
	return NB_OK;
}

int ios_tunnel_ipv4_address_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_interface *ifc;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	ifc = nb_running_get_entry(args->dnode, NULL, true);
	ifc->tunnel.has_address = false;
	ifc->tunnel.address.s_addr = INADDR_ANY;
	ifc->tunnel.prefixlen = 0;
	return NB_OK;
}

int ios_tunnel_ipv4_address_address_modify(struct nb_cb_modify_args *args)
{
	struct ios_interface *ifc;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	ifc = nb_running_get_entry(args->dnode, NULL, true);
	yang_dnode_get_ipv4(&ifc->tunnel.address, args->dnode, NULL);
	return NB_OK;
}

int ios_tunnel_ipv4_address_netmask_modify(struct nb_cb_modify_args *args)
{
	struct ios_interface *ifc;
	struct in_addr mask;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	ifc = nb_running_get_entry(args->dnode, NULL, true);
	/* the model only admits contiguous masks */
	(void)inet_pton(AF_INET, yang_dnode_get_string(args->dnode, NULL),
			&mask);
	ifc->tunnel.prefixlen = ip_masklen(mask);
	return NB_OK;
}

int ios_tunnel_mtu_modify(struct nb_cb_modify_args *args)
{
	struct ios_interface *ifc;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	ifc = nb_running_get_entry(args->dnode, NULL, true);
	ifc->tunnel.mtu = yang_dnode_get_uint16(args->dnode, NULL);
	return NB_OK;
}

int ios_tunnel_mtu_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_interface *ifc;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	ifc = nb_running_get_entry(args->dnode, NULL, true);
	ifc->tunnel.mtu = 0;
	return NB_OK;
}

int ios_tunnel_source_interface_modify(struct nb_cb_modify_args *args)
{
	struct ios_interface *ifc;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	ifc = nb_running_get_entry(args->dnode, NULL, true);
	ifc->tunnel.source = IOS_TUNNEL_SOURCE_INTERFACE;
	strlcpy(ifc->tunnel.source_interface,
		yang_dnode_get_string(args->dnode, NULL),
		sizeof(ifc->tunnel.source_interface));
	ifc->tunnel.source_address.s_addr = INADDR_ANY;
	return NB_OK;
}

/*
 * The two cases of the choice replace each other in one transaction: the
 * destroy of one case may come after the modify of the other, so it only
 * clears what is still its own.
 */
int ios_tunnel_source_interface_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_interface *ifc;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	ifc = nb_running_get_entry(args->dnode, NULL, true);
	if (ifc->tunnel.source == IOS_TUNNEL_SOURCE_INTERFACE)
		ifc->tunnel.source = IOS_TUNNEL_SOURCE_NONE;
	ifc->tunnel.source_interface[0] = '\0';
	return NB_OK;
}

int ios_tunnel_source_address_modify(struct nb_cb_modify_args *args)
{
	struct ios_interface *ifc;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	ifc = nb_running_get_entry(args->dnode, NULL, true);
	ifc->tunnel.source = IOS_TUNNEL_SOURCE_ADDRESS;
	yang_dnode_get_ipv4(&ifc->tunnel.source_address, args->dnode, NULL);
	ifc->tunnel.source_interface[0] = '\0';
	return NB_OK;
}

int ios_tunnel_source_address_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_interface *ifc;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	ifc = nb_running_get_entry(args->dnode, NULL, true);
	if (ifc->tunnel.source == IOS_TUNNEL_SOURCE_ADDRESS)
		ifc->tunnel.source = IOS_TUNNEL_SOURCE_NONE;
	ifc->tunnel.source_address.s_addr = INADDR_ANY;
	return NB_OK;
}

int ios_tunnel_destination_modify(struct nb_cb_modify_args *args)
{
	struct ios_interface *ifc;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	ifc = nb_running_get_entry(args->dnode, NULL, true);
	yang_dnode_get_ipv4(&ifc->tunnel.destination, args->dnode, NULL);
	ifc->tunnel.has_destination = true;
	return NB_OK;
}

int ios_tunnel_destination_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_interface *ifc;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	ifc = nb_running_get_entry(args->dnode, NULL, true);
	ifc->tunnel.has_destination = false;
	ifc->tunnel.destination.s_addr = INADDR_ANY;
	return NB_OK;
}

int ios_tunnel_mode_modify(struct nb_cb_modify_args *args)
{
	/* gre-ip is the only mode */
	return NB_OK;
}

/*
 * XPath: /ios-ipsec-suite:ios/access-list
 */
int ios_acl_create(struct nb_cb_create_args *args)
{
	struct ios_acl *acl;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	acl = XCALLOC(MTYPE_IOS_ACL, sizeof(*acl));
	acl->number = yang_dnode_get_uint16(args->dnode, "./number");
	ios_acl_entries_init(&acl->entries);
	ios_acls_add(&ios_crypto_cfg.acls, acl);
	nb_running_set_entry(args->dnode, acl);
	return NB_OK;
}

int ios_acl_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_acl *acl;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	acl = nb_running_unset_entry(args->dnode);
	ios_acls_del(&ios_crypto_cfg.acls, acl);
	acl_free(acl);
	return NB_OK;
}

int ios_acl_entry_create(struct nb_cb_create_args *args)
{
	struct ios_acl *acl;
	struct ios_acl_entry *entry;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	acl = nb_running_get_entry(args->dnode, NULL, true);
	entry = XCALLOC(MTYPE_IOS_ACL_ENTRY, sizeof(*entry));
	entry->sequence = yang_dnode_get_uint32(args->dnode, "./sequence");
	ios_acl_entries_add(&acl->entries, entry);
	nb_running_set_entry(args->dnode, entry);
	return NB_OK;
}

int ios_acl_entry_destroy(struct nb_cb_destroy_args *args)
{
	struct ios_acl *acl;
	struct ios_acl_entry *entry;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	entry = nb_running_unset_entry(args->dnode);
	acl = nb_running_get_entry(lyd_parent(args->dnode), NULL, true);
	ios_acl_entries_del(&acl->entries, entry);
	XFREE(MTYPE_IOS_ACL_ENTRY, entry);
	return NB_OK;
}

int ios_acl_entry_action_modify(struct nb_cb_modify_args *args)
{
	struct ios_acl_entry *entry;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	entry = nb_running_get_entry(args->dnode, NULL, true);
	entry->permit = strmatch(yang_dnode_get_string(args->dnode, NULL),
				 "permit");
	return NB_OK;
}

int ios_acl_entry_protocol_modify(struct nb_cb_modify_args *args)
{
	/* gre is the only protocol */
	return NB_OK;
}

int ios_acl_entry_source_host_modify(struct nb_cb_modify_args *args)
{
	struct ios_acl_entry *entry;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	entry = nb_running_get_entry(args->dnode, NULL, true);
	yang_dnode_get_ipv4(&entry->source, args->dnode, NULL);
	return NB_OK;
}

int ios_acl_entry_destination_host_modify(struct nb_cb_modify_args *args)
{
	struct ios_acl_entry *entry;

	if (args->event != NB_EV_APPLY)
		return NB_OK;

	entry = nb_running_get_entry(args->dnode, NULL, true);
	yang_dnode_get_ipv4(&entry->destination, args->dnode, NULL);
	return NB_OK;
}

/* lookups for the rest of the module */
struct ios_crypto_map_entry *ios_crypto_map_find(const char *name,
						 uint16_t sequence)
{
	struct ios_crypto_map_entry key = { .sequence = sequence };

	strlcpy(key.name, name, sizeof(key.name));
	return ios_crypto_maps_find(&ios_crypto_cfg.maps, &key);
}

struct ios_crypto_map_entry *ios_crypto_map_find_conn(const char *conn)
{
	struct ios_crypto_map_entry key = {};

	if (strlcpy(key.conn_name, conn, sizeof(key.conn_name))
	    >= sizeof(key.conn_name))
		return NULL;
	return ios_map_conns_find(&ios_crypto_cfg.map_conns, &key);
}

struct ios_transform_set *ios_transform_set_find(const char *name)
{
	struct ios_transform_set key = {};

	strlcpy(key.name, name, sizeof(key.name));
	return ios_transform_sets_find(&ios_crypto_cfg.transform_sets, &key);
}

struct ios_acl *ios_acl_find(uint16_t number)
{
	struct ios_acl key = { .number = number };

	return ios_acls_find(&ios_crypto_cfg.acls, &key);
}

struct ios_interface *ios_interface_find(const char *name)
{
	struct ios_interface key = {};

	strlcpy(key.name, name, sizeof(key.name));
	return ios_interfaces_find(&ios_crypto_cfg.interfaces, &key);
}

const char *ios_ike_cipher_keyword(enum ios_ike_cipher cipher)
{
	switch (cipher) {
	case IOS_IKE_DES:
		return "des";
	case IOS_IKE_3DES:
		return "3des";
	case IOS_IKE_AES_128:
		return "aes";
	case IOS_IKE_AES_192:
		return "aes 192";
	case IOS_IKE_AES_256:
		return "aes 256";
	}
	return "?";
}

const char *ios_esp_cipher_keyword(enum ios_esp_cipher cipher)
{
	switch (cipher) {
	case IOS_ESP_DES:
		return "esp-des";
	case IOS_ESP_3DES:
		return "esp-3des";
	case IOS_ESP_AES_128:
		return "esp-aes";
	case IOS_ESP_AES_192:
		return "esp-aes 192";
	case IOS_ESP_AES_256:
		return "esp-aes 256";
	}
	return "?";
}
