// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The crypto configuration as charon runs it: the router's running
 * configuration is the one source of truth, charon gets what it implies.
 *
 * - Every crypto map entry that is complete and whose map is applied to
 *   an interface becomes a swanctl connection "<map>-<seq>" with one CHILD
 *   config of the same name (the name ios_crypto_sa.c matches SAs by),
 *   loaded with load-conn; entries that go away are terminated and
 *   unloaded. A connection is sent again only when its load-conn message
 *   changes.
 * - The key chain ("crypto key pubkey-chain rsa") and the connections that
 *   authenticate with rsa-encr are written as files charon's ios-keychain
 *   and rsa-encr plugins read (charon-dir, default /run/frr/ios-crypto),
 *   then reload-settings makes charon read them: key chains typed in vtysh
 *   reach charon without a restart, in the IOS format that the one parser
 *   of the project (lib/ios-keychain) reads on both sides.
 * - Pre-shared keys ("crypto isakmp key") go to charon with load-shared,
 *   one per peer address whose connection uses pre-share, owned by that
 *   address, and only for such peers: a peer whose entry uses rsa-encr or
 *   rsa-sig never has a PSK in charon. unload-shared removes them.
 * - Connections whose SA is down are initiated (charon answers at once,
 *   the outcome arrives as SA events), and again every RETRY seconds while
 *   they stay down: a tunnel without SA is down and sends nothing that
 *   could trigger charon's trap policy, as traffic would on IOS.
 * - One CHILD SA per entry: when both peers initiate at once, charon
 *   (IKEv1) builds two SA pairs and keeps both. So after a loss the peer
 *   with the lower address initiates at once and the other only when the
 *   SA has stayed down for PASSIVE seconds (the first may have lost its
 *   charon, or its route to us); and the lower-address side closes the
 *   older CHILD SAs of an entry that has several (IKEv2's "unique" in
 *   spirit), so that a later deletion on either side takes the tunnel down
 *   on both.
 * - After every (re)connect to charon, everything is sent again: a charon
 *   restart forgets what was loaded over VICI.
 *
 * Our own public key (named after the router: hostname.domainname, as
 * IOS names its key pair) is read from rsa-keys/<name>.pem, default
 * /etc/swanctl/pubkey, as ios-rsa-key generate leaves it; charon holds the
 * private half (swanctl --load-creds).
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include <sys/stat.h>

#include "command.h"
#include "hook.h"
#include "json.h"
#include "lib_errors.h"
#include "log.h"
#include "memory.h"
#include "monotime.h"
#include "printfrr.h"
#include "thread.h"
#include "typesafe.h"
#include "vty.h"

#include "frr-integration/zebra/ios_crypto_charon.h"
#include "frr-integration/zebra/ios_crypto_config.h"
#include "frr-integration/zebra/zebra_ios_crypto.h"
#include "frr-integration/zebra/zebra_ios_vici.h"

DEFINE_MTYPE_STATIC(IOS_CRYPTO, IOS_CHARON_CONN, "IOS crypto charon connection");
DEFINE_MTYPE_STATIC(IOS_CRYPTO, IOS_CHARON_DATA, "IOS crypto charon data");
DEFINE_MTYPE_STATIC(IOS_CRYPTO, IOS_CHARON_PSK, "IOS crypto charon PSK");

#define CHARON_DEFAULT_DIR "/run/frr/ios-crypto"
#define CHARON_DEFAULT_KEY_DIR "/etc/swanctl/pubkey"
#define CHARON_CHAIN_FILE "pubkey-chain"
#define CHARON_MARKS_FILE "rsa-encr.conf"
/* seconds between attempts to bring up a connection whose SA is down */
#define CHARON_RETRY_SECONDS 5
/*
 * How long the higher-address peer leaves the first attempt to the other:
 * a Main Mode with rsa-encr and the Quick Mode after it take seconds on a
 * busy machine, and two Quick Modes at once on one IKE SA are what IKEv1
 * in charon handles worst.
 */
#define CHARON_PASSIVE_SECONDS 30
/*
 * charon retransmits a Main Mode that gets no answer with a growing
 * backoff (5 retransmits over 165 s by default) and queues our initiates
 * onto it, so after a cut link comes back the SA would wait for the next
 * retransmit. Without an established IKE SA, the attempt is dropped after
 * this long and the next one starts afresh, as IOS retries a dead peer.
 */
#define CHARON_STALE_SECONDS 30
/* our public key file: a PEM SubjectPublicKeyInfo, a few KB at most */
#define CHARON_KEY_FILE_MAX 16384
#define CHARON_FQDN_SIZE 256
#define CHARON_REASON_SIZE 512
#define CHARON_PSK_ID_SIZE 48

enum charon_conn_status {
	/* the entry cannot be a connection yet (reason) */
	CHARON_CONN_NOT_LOADABLE,
	/* load-conn sent, no answer yet */
	CHARON_CONN_LOADING,
	CHARON_CONN_LOADED,
	/* charon refused it (reason: its errmsg) */
	CHARON_CONN_FAILED,
};

PREDECL_RBTREE_UNIQ(charon_conns);
struct charon_conn {
	struct charon_conns_item item;
	char name[IOS_CONN_NAME_SIZE];
	enum charon_conn_status status;
	char reason[CHARON_REASON_SIZE];
	/* the load-conn message last sent, to send only changes */
	uint8_t *msg;
	size_t msg_len;
	/* set while reconciling: the configuration still wants it, with
	 * this load-conn message (pending) for this crypto map entry */
	bool wanted;
	bool has_pending;
	struct vici_builder pending;
	struct ios_crypto_map_entry *map;
	/* while loadable: the auth method and its first policy */
	bool has_auth;
	enum ios_isakmp_auth auth;
	uint16_t policy_priority;
	/* rsa-encr's IKE auth method (4, or 5 for the revised mode), 0 if
	 * the connection does not use rsa-encr */
	unsigned rsa_encr;
	/* the peer has the lower address: it initiates first after a loss */
	bool passive;
	time_t loaded_at;
	time_t last_initiate;
	/* since when we initiate without an established IKE SA (0: not) */
	time_t main_mode_since;
	/* CHILD SAs below this uniqueid have been closed as duplicates */
	uint32_t closed_below;
	uint32_t loads;
	uint32_t initiates;
	uint32_t duplicates_closed;
};

static int charon_conn_cmp(const struct charon_conn *a,
			   const struct charon_conn *b)
{
	return strcmp(a->name, b->name);
}
DECLARE_RBTREE_UNIQ(charon_conns, struct charon_conn, item, charon_conn_cmp);

/* a pre-shared key in charon: the secret of one peer address */
PREDECL_RBTREE_UNIQ(charon_psks);
struct charon_psk {
	struct charon_psks_item item;
	struct in_addr peer;
	char secret[IOS_PSK_SIZE];
	/* set while reconciling: a pre-share connection needs it */
	bool wanted;
	/* load-shared sent with this secret since the last (re)connect, as
	 * the sent_seq-th load-shared */
	bool sent;
	uint64_t sent_seq;
	/* charon's answer to the last load-shared, "" if it took it */
	char error[128];
};

static int charon_psk_cmp(const struct charon_psk *a,
			  const struct charon_psk *b)
{
	return numcmp(ntohl(a->peer.s_addr), ntohl(b->peer.s_addr));
}
DECLARE_RBTREE_UNIQ(charon_psks, struct charon_psk, item, charon_psk_cmp);

static struct {
	struct thread_master *master;
	char dir[PATH_MAX];
	char key_dir[PATH_MAX];
	struct charon_conns_head conns;
	struct charon_psks_head psks;
	/* contents of the files as last written, NULL: not yet */
	char *chain_text;
	char *marks_text;
	bool reload_needed;
	char files_error[256];
	struct thread *t_retry;
	uint32_t reloads;
	/* load-shared commands sent so far, and how many of them the
	 * get-shared under way will know about */
	uint64_t psk_seq;
	uint64_t psk_check_seq;
	bool psk_check_pending;
	uint32_t psk_reloads;
} charon;

/* -------------------------------------------------------------- helpers */

static struct charon_conn *charon_conn_get(const char *name)
{
	struct charon_conn key = {}, *conn;

	strlcpy(key.name, name, sizeof(key.name));
	conn = charon_conns_find(&charon.conns, &key);
	if (conn)
		return conn;
	conn = XCALLOC(MTYPE_IOS_CHARON_CONN, sizeof(*conn));
	strlcpy(conn->name, name, sizeof(conn->name));
	charon_conns_add(&charon.conns, conn);
	return conn;
}

static void charon_conn_forget_msg(struct charon_conn *conn)
{
	XFREE(MTYPE_IOS_CHARON_DATA, conn->msg);
	conn->msg_len = 0;
}

static void charon_conn_free(struct charon_conn *conn)
{
	if (conn->has_pending)
		vici_builder_discard(&conn->pending);
	zebra_ios_vici_cancel(conn);
	charon_conn_forget_msg(conn);
	XFREE(MTYPE_IOS_CHARON_CONN, conn);
}

/* the router's name as IOS forms it: hostname.domainname */
static bool router_fqdn(char *buf, size_t size)
{
	const char *host = cmd_hostname_get();
	const char *domain = cmd_domainname_get();

	if (!host || !*host)
		return false;
	if (domain && *domain)
		snprintf(buf, size, "%s.%s", host, domain);
	else
		snprintf(buf, size, "%s", host);
	return true;
}

static bool map_applied(const char *name)
{
	struct ios_interface *ifc;

	frr_each (ios_interfaces, &ios_crypto_cfg.interfaces, ifc)
		if (strcmp(ifc->crypto_map, name) == 0)
			return true;
	return false;
}

/* the first "permit gre host A host B" of an access list */
static const struct ios_acl_entry *acl_first_permit(const struct ios_acl *acl)
{
	const struct ios_acl_entry *entry;

	frr_each (ios_acl_entries_const, &acl->entries, entry)
		if (entry->permit)
			return entry;
	return NULL;
}

static bool key_usable(const struct ios_pubkey *key, bool encryption)
{
	if (!key->der)
		return false;
	if (encryption)
		return key->usage != IOS_KEY_USAGE_SIGNATURE;
	return key->usage != IOS_KEY_USAGE_ENCRYPTION;
}

static bool key_has_address(const struct ios_pubkey *key, struct in_addr a)
{
	ios_address_t want = { .family = IOS_ADDRESS_IPV4 };

	memcpy(want.bytes, &a, sizeof(a));
	for (size_t i = 0; i < key->address_count; i++)
		if (ios_address_equals(&key->addresses[i], &want))
			return true;
	return false;
}

/*
 * The peer's key as IOS finds it: with identity hostname a named-key
 * bound to the peer's address (its name is the peer's identity), with
 * identity address an addressed-key of that address or a named-key bound
 * to it.
 */
static const struct ios_pubkey *peer_key(struct in_addr peer, bool encryption)
{
	bool by_name = ios_crypto_cfg.identity == IOS_IDENTITY_HOSTNAME;
	const struct ios_pubkey *key;

	frr_each (ios_pubkeys_const, &ios_crypto_cfg.pubkeys, key) {
		if (!key_usable(key, encryption) || !key_has_address(key, peer))
			continue;
		if (by_name && key->kind != IOS_KEY_NAMED)
			continue;
		return key;
	}
	return NULL;
}

/* ------------------------------------------------------ IOS -> swanctl */

static const char *ike_cipher_proposal(enum ios_ike_cipher cipher)
{
	switch (cipher) {
	case IOS_IKE_DES:
		return "des";
	case IOS_IKE_3DES:
		return "3des";
	case IOS_IKE_AES_128:
		return "aes128";
	case IOS_IKE_AES_192:
		return "aes192";
	case IOS_IKE_AES_256:
		return "aes256";
	}
	return "des";
}

static const char *esp_cipher_proposal(enum ios_esp_cipher cipher)
{
	switch (cipher) {
	case IOS_ESP_DES:
		return "des";
	case IOS_ESP_3DES:
		return "3des";
	case IOS_ESP_AES_128:
		return "aes128";
	case IOS_ESP_AES_192:
		return "aes192";
	case IOS_ESP_AES_256:
		return "aes256";
	}
	return "des";
}

static const char *dh_group_proposal(uint8_t group)
{
	switch (group) {
	case 1:
		return "modp768";
	case 2:
		return "modp1024";
	case 5:
		return "modp1536";
	case 14:
		return "modp2048";
	}
	return "modp768";
}

static void add_proposals(struct vici_builder *b, enum ios_isakmp_auth auth)
{
	const struct ios_isakmp_policy *policy;

	vici_builder_list_start(b, "proposals");
	frr_each (ios_policies_const, &ios_crypto_cfg.policies, policy) {
		if (policy->authentication != auth)
			continue;
		vici_builder_list_item_str(
			b, ios_crypto_charon_ike_proposal(policy));
	}
	vici_builder_list_end(b);
}

const char *ios_crypto_charon_ike_proposal(const struct ios_isakmp_policy *p)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s-%s-%s",
		 ike_cipher_proposal(p->encryption),
		 p->hash == IOS_IKE_MD5 ? "md5" : "sha1",
		 dh_group_proposal(p->group));
	return buf;
}

/* what a connection needs that is not in the crypto map entry itself */
struct conn_inputs {
	const struct ios_crypto_map_entry *map;
	/* the first policy of the connection's auth method */
	const struct ios_isakmp_policy *policy;
	const struct ios_transform_set *ts;
	const struct ios_acl_entry *acl;
	/* rsa-sig, rsa-encr: the peer's key; pre-share: its secret */
	const struct ios_pubkey *peer_key;
	const struct ios_isakmp_key *psk;
	char local_id[CHARON_FQDN_SIZE];
	char remote_id[CHARON_FQDN_SIZE];
	/* our public key, PEM */
	const char *local_key;
	size_t local_key_len;
};

static const char *auth_keyword(enum ios_isakmp_auth auth)
{
	switch (auth) {
	case IOS_AUTH_PRE_SHARE:
		return "pre-share";
	case IOS_AUTH_RSA_SIG:
		return "rsa-sig";
	case IOS_AUTH_RSA_ENCR:
		return "rsa-encr";
	case IOS_AUTH_RSA_ENCR_REVISED:
		return "rsa-encr revised";
	}
	return "?";
}

/*
 * Whether a method can authenticate the entry's peer: rsa-encr needs the
 * peer's key for encryption (usage general or encryption), rsa-sig for
 * signatures (general or signature), pre-share a crypto isakmp key for
 * the peer's address. If not, 'why' says what is missing.
 */
static bool method_usable(enum ios_isakmp_auth auth, struct conn_inputs *in,
			  char *why, size_t size)
{
	struct in_addr peer = in->map->peer;
	bool encr = ios_auth_is_rsa_encr(auth);

	if (auth == IOS_AUTH_PRE_SHARE) {
		in->psk = ios_isakmp_key_for(peer);
		if (!in->psk)
			snprintfrr(why, size,
				   "no crypto isakmp key for peer %pI4 (pre-share)",
				   &peer);
		return in->psk != NULL;
	}
	in->peer_key = peer_key(peer, encr);
	if (!in->peer_key)
		snprintfrr(why, size,
			   "no RSA %s public key for peer %pI4 in crypto key pubkey-chain rsa (%s with address %pI4)",
			   encr ? "encryption" : "signature", &peer,
			   ios_crypto_cfg.identity == IOS_IDENTITY_HOSTNAME
				   ? "named-key"
				   : "addressed-key or named-key",
			   &peer);
	return in->peer_key != NULL;
}

/*
 * The policy a crypto map entry's connection uses: the highest-priority
 * one whose method can authenticate the peer, as IOS would find it
 * (charon offers one method per connection; the proposals are then the
 * policies with that method). Each method is judged once; if none works,
 * 'reason' lists what each one lacks.
 */
static const struct ios_isakmp_policy *select_policy(struct conn_inputs *in,
						     char *reason, size_t size)
{
	const struct ios_isakmp_policy *policy;
	unsigned tried = 0, methods = 0;
	char why[256];
	size_t len = 0;

	reason[0] = '\0';
	frr_each (ios_policies_const, &ios_crypto_cfg.policies, policy) {
		unsigned bit = 1u << policy->authentication;

		if (tried & bit)
			continue;
		tried |= bit;
		in->peer_key = NULL;
		in->psk = NULL;
		if (method_usable(policy->authentication, in, why, sizeof(why)))
			return policy;
		methods++;
		if (len < size)
			len += snprintf(reason + len, size - len, "%s%s",
					len ? "; " : "", why);
	}
	if (!methods)
		snprintf(reason, size, "no crypto isakmp policy");
	else if (methods > 1) {
		char list[512];

		strlcpy(list, reason, sizeof(list));
		snprintfrr(reason, size,
			   "no crypto isakmp policy can authenticate peer %pI4: %s",
			   &in->map->peer, list);
	}
	return NULL;
}

static bool conn_inputs_get(const struct ios_crypto_map_entry *map,
			    const char *local_key, size_t local_key_len,
			    const char *key_error, struct conn_inputs *in,
			    char *reason, size_t size)
{
	const struct ios_acl *acl;
	bool hostname = ios_crypto_cfg.identity == IOS_IDENTITY_HOSTNAME;
	char fqdn[CHARON_FQDN_SIZE];

	memset(in, 0, sizeof(*in));
	in->map = map;
	if (!ios_crypto_cfg.isakmp_enable) {
		snprintf(reason, size, "crypto isakmp is disabled");
		return false;
	}
	if (!map->complete) {
		snprintf(reason, size, "%s", map->reason);
		return false;
	}
	if (!map_applied(map->name)) {
		snprintf(reason, size,
			 "crypto map %s is not applied to an interface",
			 map->name);
		return false;
	}
	in->ts = ios_transform_set_find(map->transform_set);
	acl = ios_acl_find(map->acl);
	in->acl = acl ? acl_first_permit(acl) : NULL;
	if (!in->ts || !in->acl) {
		snprintf(reason, size, "access list %u has no permit entry",
			 map->acl);
		return false;
	}
	in->policy = select_policy(in, reason, size);
	if (!in->policy)
		return false;
	/* our own key signs or decrypts; a pre-shared key needs none */
	if (in->policy->authentication != IOS_AUTH_PRE_SHARE) {
		if (!local_key) {
			snprintf(reason, size, "%s", key_error);
			return false;
		}
		in->local_key = local_key;
		in->local_key_len = local_key_len;
	}
	if (hostname) {
		if (!router_fqdn(fqdn, sizeof(fqdn))) {
			snprintf(reason, size,
				 "identity hostname, but no hostname is set");
			return false;
		}
		strlcpy(in->local_id, fqdn, sizeof(in->local_id));
		/* the peer's name is that of its named-key */
		if (in->peer_key)
			strlcpy(in->remote_id, in->peer_key->name,
				sizeof(in->remote_id));
	} else {
		snprintfrr(in->local_id, sizeof(in->local_id), "%pI4",
			   &in->acl->source);
		snprintfrr(in->remote_id, sizeof(in->remote_id), "%pI4",
			   &map->peer);
	}
	/*
	 * A pre-shared key is bound to the peer's address alone (charon finds
	 * it by address), so the peer may send any identity, whatever ours
	 * is: IOS with identity address accepts a peer sending its hostname.
	 */
	if (in->policy->authentication == IOS_AUTH_PRE_SHARE)
		strlcpy(in->remote_id, "%any", sizeof(in->remote_id));
	return true;
}

static void add_auth(struct vici_builder *b, const char *section,
		     const struct conn_inputs *in, bool local)
{
	enum ios_isakmp_auth auth = in->policy->authentication;

	vici_builder_section_start(b, section);
	/* rsa-encr runs in the shape of charon's PSK exchange (doc/rsa-encr.md) */
	vici_builder_kv_str(b, "auth",
			    auth == IOS_AUTH_RSA_SIG ? "pubkey" : "psk");
	vici_builder_kv_str(b, "id", local ? in->local_id : in->remote_id);
	if (auth == IOS_AUTH_PRE_SHARE) {
		/* the secret is loaded apart, with load-shared */
	} else if (local) {
		/* finds our private key in charon */
		vici_builder_list_start(b, "pubkeys");
		vici_builder_list_item(b, in->local_key, in->local_key_len);
		vici_builder_list_end(b);
	} else if (auth == IOS_AUTH_RSA_SIG) {
		vici_builder_list_start(b, "pubkeys");
		vici_builder_list_item(b, in->peer_key->der,
				       in->peer_key->der_len);
		vici_builder_list_end(b);
	}
	vici_builder_section_end(b);
}

static void add_child(struct vici_builder *b, const char *name,
		      const struct conn_inputs *in)
{
	const struct ios_transform_set *ts = in->ts;

	vici_builder_section_start(b, "children");
	vici_builder_section_start(b, name);
	vici_builder_kv_str(b, "mode", ts->mode == IOS_MODE_TRANSPORT
					       ? "transport"
					       : "tunnel");
	vici_builder_list_start(b, "esp_proposals");
	vici_builder_list_item_str(b, ios_crypto_charon_esp_proposal(ts));
	vici_builder_list_end(b);
	vici_builder_list_start(b, "local_ts");
	vici_builder_list_item_str(b, ios_crypto_charon_ts(in->acl->source));
	vici_builder_list_end(b);
	vici_builder_list_start(b, "remote_ts");
	vici_builder_list_item_str(b,
				   ios_crypto_charon_ts(in->acl->destination));
	vici_builder_list_end(b);
	/*
	 * Trap policies: until an SA exists, the kernel drops what the ACL
	 * matches instead of sending it in the clear (and asks charon).
	 */
	vici_builder_kv_str(b, "start_action", "trap");
	if (ios_crypto_cfg.keepalive)
		vici_builder_kv_str(b, "dpd_action", "restart");
	vici_builder_section_end(b);
	vici_builder_section_end(b);
}

const char *ios_crypto_charon_esp_proposal(const struct ios_transform_set *ts)
{
	static char buf[32];

	snprintf(buf, sizeof(buf), "%s-%s", esp_cipher_proposal(ts->cipher),
		 ts->integrity == IOS_ESP_MD5_HMAC ? "md5" : "sha1");
	return buf;
}

const char *ios_crypto_charon_ts(struct in_addr host)
{
	static char buf[40];

	snprintfrr(buf, sizeof(buf), "%pI4/32[gre]", &host);
	return buf;
}

static void add_address(struct vici_builder *b, const char *list,
			struct in_addr addr)
{
	char buf[INET_ADDRSTRLEN];

	vici_builder_list_start(b, list);
	vici_builder_list_item_str(b, inet_ntop(AF_INET, &addr, buf,
						sizeof(buf)));
	vici_builder_list_end(b);
}

static void build_load_conn(struct vici_builder *b, const char *name,
			    const struct conn_inputs *in)
{
	zebra_ios_vici_load_conn_begin(b, name);
	vici_builder_kv_str(b, "version", "1");
	vici_builder_kv_str(b, "aggressive", "no");
	add_address(b, "local_addrs", in->acl->source);
	add_address(b, "remote_addrs", in->map->peer);
	add_proposals(b, in->policy->authentication);
	vici_builder_kv_printf(b, "rekey_time", "%us", in->policy->lifetime);
	if (ios_crypto_cfg.keepalive) {
		vici_builder_kv_printf(b, "dpd_delay", "%us",
				       ios_crypto_cfg.keepalive_seconds);
		/* IOS declares a peer dead after 5 unanswered retries */
		vici_builder_kv_printf(b, "dpd_timeout", "%us",
				       ios_crypto_cfg.keepalive_seconds +
					       5 * ios_crypto_cfg.keepalive_retry);
	}
	add_auth(b, "local", in, true);
	add_auth(b, "remote", in, false);
	add_child(b, name, in);
	/* the section <name> is closed by zebra_ios_vici_load_conn_send() */
}

/* --------------------------------------------------------------- files */

static char *chain_text(void)
{
	const struct ios_pubkey *pk;
	struct buffer_text {
		char *buf;
		size_t len, cap;
	} t = {};
	const char *head = "crypto key pubkey-chain rsa\n";

	t.cap = 4096;
	t.buf = XMALLOC(MTYPE_IOS_CHARON_DATA, t.cap);
	t.len = strlcpy(t.buf, head, t.cap);
	frr_each (ios_pubkeys_const, &ios_crypto_cfg.pubkeys, pk) {
		ios_key_t key = {
			.kind = pk->kind,
			.name = (char *)pk->name,
			.usage = pk->usage,
			.addresses = (ios_address_t *)pk->addresses,
			.address_count = pk->address_count,
			.serial = pk->serial[0] ? (char *)pk->serial : NULL,
			.der = pk->der,
			.der_len = pk->der_len,
		};
		char *text;
		size_t len;

		/* an entry without key-string is nothing charon could use */
		if (!pk->der)
			continue;
		text = ios_keychain_format_key(&key);
		if (!text)
			continue;
		len = strlen(text);
		if (t.len + len + 1 > t.cap) {
			t.cap = (t.len + len + 1) * 2;
			t.buf = XREALLOC(MTYPE_IOS_CHARON_DATA, t.buf, t.cap);
		}
		memcpy(t.buf + t.len, text, len + 1);
		t.len += len;
		free(text);
	}
	return t.buf;
}

static char *marks_text(void)
{
	const struct charon_conn *conn;
	size_t cap = 256, len;
	char *text = XMALLOC(MTYPE_IOS_CHARON_DATA, cap);

	len = snprintf(text, cap,
		       "# written by zebra's ios_crypto module: do not edit\n"
		       "charon {\n plugins {\n  rsa-encr {\n   connections {\n");
	frr_each (charon_conns_const, &charon.conns, conn) {
		if (!conn->wanted || !conn->rsa_encr)
			continue;
		if (len + IOS_CONN_NAME_SIZE + 64 > cap) {
			cap *= 2;
			text = XREALLOC(MTYPE_IOS_CHARON_DATA, text, cap);
		}
		len += snprintf(text + len, cap - len, "    %s = %u\n",
				conn->name, conn->rsa_encr);
	}
	if (len + 32 > cap)
		text = XREALLOC(MTYPE_IOS_CHARON_DATA, text, len + 32);
	strlcpy(text + len, "   }\n  }\n }\n}\n", 32);
	return text;
}

/* write 'text' to dir/name through a temporary file and rename */
static bool write_file(const char *name, const char *text)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	size_t len = strlen(text);
	int fd;

	snprintfrr(path, sizeof(path), "%s/%s", charon.dir, name);
	snprintfrr(tmp, sizeof(tmp), "%s/.%s.tmp", charon.dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len || fsync(fd) < 0) {
		snprintfrr(charon.files_error, sizeof(charon.files_error),
			 "cannot write %s: %s", tmp, safe_strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		return false;
	}
	/* the plugins ignore files others may write; umask must not decide */
	fchmod(fd, 0644);
	close(fd);
	if (rename(tmp, path) < 0) {
		snprintfrr(charon.files_error, sizeof(charon.files_error),
			 "cannot rename %s to %s: %s", tmp, path,
			 safe_strerror(errno));
		unlink(tmp);
		return false;
	}
	return true;
}

static bool text_changed(char **last, char *now)
{
	if (*last && strcmp(*last, now) == 0) {
		XFREE(MTYPE_IOS_CHARON_DATA, now);
		return false;
	}
	XFREE(MTYPE_IOS_CHARON_DATA, *last);
	*last = now;
	return true;
}

/* write the files that changed; reload-settings is then needed */
static void update_files(void)
{
	bool chain_new = text_changed(&charon.chain_text, chain_text());
	bool marks_new = text_changed(&charon.marks_text, marks_text());

	if (!chain_new && !marks_new)
		return;
	if (mkdir(charon.dir, 0755) < 0 && errno != EEXIST) {
		snprintfrr(charon.files_error, sizeof(charon.files_error),
			 "cannot create %s: %s", charon.dir,
			 safe_strerror(errno));
	} else {
		charon.files_error[0] = '\0';
		if (chain_new)
			write_file(CHARON_CHAIN_FILE, charon.chain_text);
		if (marks_new)
			write_file(CHARON_MARKS_FILE, charon.marks_text);
	}
	if (charon.files_error[0]) {
		zlog_err("crypto: %s; charon keeps the key chain and rsa-encr connections it has",
			 charon.files_error);
		/* try again next time */
		XFREE(MTYPE_IOS_CHARON_DATA, charon.chain_text);
		XFREE(MTYPE_IOS_CHARON_DATA, charon.marks_text);
		return;
	}
	charon.reload_needed = true;
}

/* our public key file: NULL and 'error' set if there is none */
static char *read_local_key(size_t *len, char *error, size_t size)
{
	char fqdn[CHARON_FQDN_SIZE], path[PATH_MAX];
	struct stat st;
	char *data;
	int fd;

	if (!router_fqdn(fqdn, sizeof(fqdn))) {
		snprintfrr(error, size, "no hostname: the router's key is named after it");
		return NULL;
	}
	snprintfrr(path, sizeof(path), "%s/%s.pem", charon.key_dir, fqdn);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size <= 0 ||
	    st.st_size > CHARON_KEY_FILE_MAX) {
		snprintfrr(error, size,
			 "no RSA public key of this router in %s (ios-rsa-key generate --label %s)",
			 path, fqdn);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	data = XMALLOC(MTYPE_IOS_CHARON_DATA, st.st_size);
	if (read(fd, data, st.st_size) != st.st_size) {
		snprintfrr(error, size, "cannot read %s: %s", path,
			 safe_strerror(errno));
		XFREE(MTYPE_IOS_CHARON_DATA, data);
		close(fd);
		return NULL;
	}
	close(fd);
	*len = st.st_size;
	return data;
}

/* ------------------------------------------------------------ commands */

static void load_conn_result(const char *command,
			     const struct zebra_ios_vici_result *result,
			     void *arg)
{
	struct charon_conn *conn = arg;

	if (result->status == ZEBRA_IOS_VICI_RESULT_OK) {
		conn->status = CHARON_CONN_LOADED;
		conn->loaded_at = monotime(NULL);
		conn->reason[0] = '\0';
		zlog_info("crypto: connection %s loaded into charon",
			  conn->name);
		ios_crypto_charon_reconcile();
		return;
	}
	conn->status = CHARON_CONN_FAILED;
	snprintf(conn->reason, sizeof(conn->reason), "load-conn: %s",
		 result->errmsg[0] ? result->errmsg
				   : zebra_ios_vici_status_name(result->status));
	/* sent again on the next change or reconnect */
	if (result->status != ZEBRA_IOS_VICI_RESULT_FAILED)
		charon_conn_forget_msg(conn);
	zlog_warn("crypto: charon refused connection %s: %s", conn->name,
		  conn->reason);
}

static void reload_result(const char *command,
			  const struct zebra_ios_vici_result *result, void *arg)
{
	if (result->status == ZEBRA_IOS_VICI_RESULT_OK)
		return;
	zlog_warn("crypto: reload-settings failed: %s; key chain changes wait for the next one",
		  result->errmsg[0] ? result->errmsg
				    : zebra_ios_vici_status_name(result->status));
	charon.reload_needed = true;
}

static void initiate_result(const char *command,
			    const struct zebra_ios_vici_result *result,
			    void *arg)
{
	struct charon_conn *conn = arg;

	if (result->status != ZEBRA_IOS_VICI_RESULT_OK)
		zlog_info("crypto: initiating %s: %s", conn->name,
			  result->errmsg[0]
				  ? result->errmsg
				  : zebra_ios_vici_status_name(result->status));
}

static void send_load_conn(struct charon_conn *conn, struct vici_builder *b)
{
	/* only what changed goes to charon */
	if (conn->msg && conn->msg_len == b->len &&
	    memcmp(conn->msg, b->buf, b->len) == 0 &&
	    conn->status != CHARON_CONN_NOT_LOADABLE) {
		vici_builder_discard(b);
		return;
	}
	charon_conn_forget_msg(conn);
	conn->msg = XMALLOC(MTYPE_IOS_CHARON_DATA, b->len);
	memcpy(conn->msg, b->buf, b->len);
	conn->msg_len = b->len;
	zebra_ios_vici_cancel(conn);
	if (zebra_ios_vici_load_conn_send(b, load_conn_result, conn) < 0) {
		charon_conn_forget_msg(conn);
		return;
	}
	conn->status = CHARON_CONN_LOADING;
	conn->loads++;
}

static void unload_conn(struct charon_conn *conn)
{
	zebra_ios_vici_cancel(conn);
	/* removing a crypto map entry clears its SAs, as on IOS */
	zebra_ios_vici_terminate(conn->name, NULL, -1, NULL, NULL);
	zebra_ios_vici_unload_conn(conn->name, NULL, NULL);
	zlog_info("crypto: connection %s unloaded from charon", conn->name);
}

static void initiate_if_down(struct charon_conn *conn,
			     const struct ios_crypto_map_entry *map)
{
	const struct zebra_ios_vici_ike_sa *ike;
	time_t now = monotime(NULL);

	if (conn->status != CHARON_CONN_LOADED || map->sa.state == IOS_SA_UP)
		return;
	/* the lower-address peer has the first go (see the top) */
	if (conn->passive &&
	    now - MAX(map->sa_last_change, conn->loaded_at) <
		    CHARON_PASSIVE_SECONDS)
		return;
	/*
	 * A Main Mode under way brings its CHILD SA itself. An established
	 * IKE SA without one (its CHILD SA deleted, here or by the peer) gets
	 * a Quick Mode: charon's initiate reuses the IKE SA.
	 */
	ike = zebra_ios_vici_ike_sa_find(conn->name);
	if (ike && !(ike->state && strcmp(ike->state, "ESTABLISHED") == 0))
		return;
	if (ike) {
		conn->main_mode_since = 0;
	} else if (!conn->main_mode_since ||
		   map->sa_last_change > conn->main_mode_since) {
		conn->main_mode_since = now;
	} else if (now - conn->main_mode_since >= CHARON_STALE_SECONDS) {
		zlog_info("crypto: %s: no IKE SA after %d s: a new Main Mode",
			  conn->name, CHARON_STALE_SECONDS);
		zebra_ios_vici_terminate(conn->name, NULL, -1, NULL, NULL);
		conn->main_mode_since = now;
		/* the next retry initiates, once charon has dropped it */
		return;
	}
	/*
	 * Attempts that bring nothing are RETRY seconds apart; one that
	 * succeeded (the SA changed state since) does not hold back the next
	 * loss's.
	 */
	if (conn->last_initiate &&
	    now - conn->last_initiate < CHARON_RETRY_SECONDS &&
	    map->sa_last_change <= conn->last_initiate)
		return;
	conn->last_initiate = now;
	conn->initiates++;
	zebra_ios_vici_initiate(conn->name, conn->name, -1, initiate_result,
				conn);
}

/* ------------------------------------------------------ pre-shared keys */

static void psk_id(const struct charon_psk *psk, char *buf, size_t size)
{
	snprintfrr(buf, size, "ios-crypto-psk-%pI4", &psk->peer);
}

static void psk_free(struct charon_psk *psk)
{
	zebra_ios_vici_cancel(psk);
	explicit_bzero(psk->secret, sizeof(psk->secret));
	XFREE(MTYPE_IOS_CHARON_PSK, psk);
}

/* a pre-share connection to 'peer' needs this secret in charon */
static void psk_want(struct in_addr peer, const char *secret)
{
	struct charon_psk key = { .peer = peer }, *psk;

	psk = charon_psks_find(&charon.psks, &key);
	if (!psk) {
		psk = XCALLOC(MTYPE_IOS_CHARON_PSK, sizeof(*psk));
		psk->peer = peer;
		charon_psks_add(&charon.psks, psk);
	}
	if (strcmp(psk->secret, secret) != 0) {
		explicit_bzero(psk->secret, sizeof(psk->secret));
		strlcpy(psk->secret, secret, sizeof(psk->secret));
		psk->sent = false;
	}
	psk->wanted = true;
}

static void load_shared_result(const char *command,
			       const struct zebra_ios_vici_result *result,
			       void *arg)
{
	struct charon_psk *psk = arg;

	if (result->status == ZEBRA_IOS_VICI_RESULT_OK) {
		psk->error[0] = '\0';
		return;
	}
	snprintf(psk->error, sizeof(psk->error), "load-shared: %s",
		 result->errmsg[0] ? result->errmsg
				   : zebra_ios_vici_status_name(result->status));
	zlog_warn("crypto: charon refused the pre-shared key for %pI4: %s",
		  &psk->peer, psk->error);
}

/*
 * Load the secrets charon lacks, unload those no connection needs any
 * more. Before the connections: commands run in order, so a connection
 * never starts without its secret.
 */
static void sync_psks(void)
{
	struct charon_psk *psk;
	char id[CHARON_PSK_ID_SIZE], owner[INET_ADDRSTRLEN];
	const char *owners[] = { owner };

	frr_each_safe (charon_psks, &charon.psks, psk) {
		psk_id(psk, id, sizeof(id));
		if (!psk->wanted) {
			if (psk->sent)
				zebra_ios_vici_unload_shared(id, NULL, NULL);
			charon_psks_del(&charon.psks, psk);
			psk_free(psk);
			continue;
		}
		if (psk->sent)
			continue;
		inet_ntop(AF_INET, &psk->peer, owner, sizeof(owner));
		zebra_ios_vici_cancel(psk);
		if (zebra_ios_vici_load_shared(id, "IKE", psk->secret,
					       strlen(psk->secret), owners, 1,
					       load_shared_result, psk) == 0) {
			psk->sent = true;
			psk->sent_seq = ++charon.psk_seq;
		}
	}
}

struct duplicates {
	const struct charon_conn *conn;
	const struct ios_crypto_map_entry *map;
	unsigned int count;
	uint32_t newest;
	/* second walk: the uniqueids to close */
	uint32_t close[8];
	unsigned int nclose;
};

static bool child_of_entry(const struct zebra_ios_vici_ike_sa *ike,
			   const struct zebra_ios_vici_child_sa *child,
			   const struct duplicates *d)
{
	return child && child->name && strcmp(child->name, d->conn->name) == 0 &&
	       d->map->has_peer && ike->remote_host.ipa_type == IPADDR_V4 &&
	       ike->remote_host.ipaddr_v4.s_addr == d->map->peer.s_addr;
}

static void count_duplicates(const struct zebra_ios_vici_ike_sa *ike,
			     const struct zebra_ios_vici_child_sa *child,
			     void *arg)
{
	struct duplicates *d = arg;

	if (!child_of_entry(ike, child, d))
		return;
	d->count++;
	d->newest = MAX(d->newest, child->uniqueid);
}

static void pick_duplicates(const struct zebra_ios_vici_ike_sa *ike,
			    const struct zebra_ios_vici_child_sa *child,
			    void *arg)
{
	struct duplicates *d = arg;

	if (!child_of_entry(ike, child, d) || child->uniqueid == d->newest ||
	    child->uniqueid < d->conn->closed_below ||
	    d->nclose == array_size(d->close))
		return;
	d->close[d->nclose++] = child->uniqueid;
}

static void duplicate_closed(const char *command,
			     const struct zebra_ios_vici_result *result,
			     void *arg)
{
	/* charon deletes a CHILD SA that has a twin without an event */
	zebra_ios_vici_relist();
}

/*
 * An entry with several CHILD SAs keeps the newest; the lower-address
 * peer closes the others, so that the two never close different ones.
 */
static void close_duplicates(struct charon_conn *conn,
			     const struct ios_crypto_map_entry *map)
{
	struct duplicates d = { .conn = conn, .map = map };

	if (conn->status != CHARON_CONN_LOADED || conn->passive)
		return;
	zebra_ios_vici_child_sa_walk_name(conn->name, count_duplicates, &d);
	if (d.count < 2)
		return;
	zebra_ios_vici_child_sa_walk_name(conn->name, pick_duplicates, &d);
	for (unsigned int i = 0; i < d.nclose; i++) {
		zlog_info("crypto map %s %u: closing CHILD SA %s{%u}, a duplicate of {%u}",
			  map->name, map->sequence, conn->name, d.close[i],
			  d.newest);
		zebra_ios_vici_terminate_child_id(d.close[i], duplicate_closed,
						  NULL);
		conn->duplicates_closed++;
	}
	conn->closed_below = d.newest;
}

/*
 * A Quick Mode for an entry that has a CHILD SA already counts as its
 * rekey in charon (IKEv1): the old one stays installed, inbound, until it
 * expires, an hour of a stale SA pair per such event (e.g. the peer's
 * charon initiating from its trap policy just as our new SA came up). As
 * IOS does after a rekey, the old SA is deleted; by the lower-address peer.
 */
static void close_rekeyed(const struct zebra_ios_vici_sa_event *ev)
{
	struct charon_conn key = {}, *conn;
	struct duplicates d = {};

	if (!ev->child || !ev->child->name || !ev->old_uniqueid)
		return;
	strlcpy(key.name, ev->child->name, sizeof(key.name));
	conn = charon_conns_find(&charon.conns, &key);
	if (!conn || conn->status != CHARON_CONN_LOADED || conn->passive ||
	    !conn->map)
		return;
	d.conn = conn;
	d.map = conn->map;
	if (!child_of_entry(ev->ike, ev->child, &d))
		return;
	zlog_info("crypto map %s %u: closing CHILD SA %s{%u}, rekeyed by {%u}",
		  conn->map->name, conn->map->sequence, conn->name,
		  ev->old_uniqueid, ev->child->uniqueid);
	zebra_ios_vici_terminate_child_id(ev->old_uniqueid, NULL, NULL);
	conn->duplicates_closed++;
}

static bool list_has(const struct vici_node *list, const char *value)
{
	const struct vici_node *item;

	for (item = list->first; item; item = item->next)
		if (item->value && strlen(value) == item->value_len &&
		    memcmp(item->value, value, item->value_len) == 0)
			return true;
	return false;
}

/*
 * charon's list of shared keys: one loaded before the get-shared and not
 * in it is gone (swanctl --load-creds unloads every key it did not load
 * itself) and is loaded again.
 */
static void get_shared_result(const char *command,
			      const struct zebra_ios_vici_result *result,
			      void *arg)
{
	const struct vici_node *keys;
	struct charon_psk *psk;
	char id[CHARON_PSK_ID_SIZE];
	unsigned lost = 0;

	charon.psk_check_pending = false;
	if (result->status != ZEBRA_IOS_VICI_RESULT_OK || !result->response)
		return;
	keys = vici_node_get(result->response, "keys");
	if (!keys || keys->type != VICI_NODE_LIST)
		return;
	frr_each (charon_psks, &charon.psks, psk) {
		if (!psk->sent || psk->sent_seq > charon.psk_check_seq)
			continue;
		psk_id(psk, id, sizeof(id));
		if (list_has(keys, id))
			continue;
		psk->sent = false;
		lost++;
	}
	if (!lost)
		return;
	charon.psk_reloads++;
	zlog_info("crypto: charon lost %u pre-shared key(s) zebra loaded (swanctl --load-creds?); loading them again",
		  lost);
	ios_crypto_charon_reconcile();
}

static void check_psks(void)
{
	struct vici_builder b;

	if (!charon_psks_count(&charon.psks) || charon.psk_check_pending)
		return;
	vici_builder_init(&b, VICI_CMD_REQUEST, "get-shared");
	charon.psk_check_seq = charon.psk_seq;
	if (zebra_ios_vici_send(&b, 0, get_shared_result, NULL) == 0)
		charon.psk_check_pending = true;
}

/* ----------------------------------------------------------- reconcile */

/*
 * First pass: what charon should have for one crypto map entry. A
 * loadable entry gets its load-conn message built (sent in the second
 * pass, after the files it may depend on), another one its reason.
 */
static void plan_entry(struct ios_crypto_map_entry *map, const char *local_key,
		       size_t local_key_len, const char *key_error)
{
	char name[IOS_CONN_NAME_SIZE];
	struct conn_inputs in;
	struct charon_conn *conn;
	char reason[CHARON_REASON_SIZE];

	ios_crypto_map_conn_name(map, name, sizeof(name));
	conn = charon_conn_get(name);
	conn->wanted = true;
	conn->map = map;
	if (!conn_inputs_get(map, local_key, local_key_len, key_error, &in,
			     reason, sizeof(reason))) {
		if (conn->status == CHARON_CONN_LOADED ||
		    conn->status == CHARON_CONN_LOADING)
			unload_conn(conn);
		charon_conn_forget_msg(conn);
		conn->has_auth = false;
		conn->rsa_encr = 0;
		conn->status = CHARON_CONN_NOT_LOADABLE;
		strlcpy(conn->reason, reason, sizeof(conn->reason));
		return;
	}
	conn->has_auth = true;
	conn->auth = in.policy->authentication;
	conn->policy_priority = in.policy->priority;
	conn->rsa_encr = ios_auth_is_rsa_encr(conn->auth)
				 ? ios_auth_ike_method(conn->auth)
				 : 0;
	if (in.psk)
		psk_want(map->peer, in.psk->secret);
	conn->passive = ntohl(map->peer.s_addr) < ntohl(in.acl->source.s_addr);
	build_load_conn(&conn->pending, name, &in);
	conn->has_pending = true;
}

void ios_crypto_charon_reconcile(void)
{
	struct ios_crypto_map_entry *map;
	struct charon_conn *conn;
	struct charon_psk *psk;
	char key_error[256] = "";
	size_t key_len = 0;
	char *key;

	if (zebra_ios_vici_get_state() != ZEBRA_IOS_VICI_ESTABLISHED)
		return;

	key = read_local_key(&key_len, key_error, sizeof(key_error));
	frr_each (charon_conns, &charon.conns, conn)
		conn->wanted = false;
	frr_each (charon_psks, &charon.psks, psk)
		psk->wanted = false;
	frr_each (ios_crypto_maps, &ios_crypto_cfg.maps, map)
		plan_entry(map, key, key_len, key_error);
	XFREE(MTYPE_IOS_CHARON_DATA, key);
	sync_psks();

	/* commands run in order: connections load after the files' reload */
	update_files();
	if (charon.reload_needed &&
	    zebra_ios_vici_reload_settings(reload_result, NULL) == 0) {
		charon.reload_needed = false;
		charon.reloads++;
	}

	frr_each_safe (charon_conns, &charon.conns, conn) {
		if (!conn->wanted) {
			if (conn->status == CHARON_CONN_LOADED ||
			    conn->status == CHARON_CONN_LOADING)
				unload_conn(conn);
			charon_conns_del(&charon.conns, conn);
			charon_conn_free(conn);
			continue;
		}
		if (!conn->has_pending)
			continue;
		conn->has_pending = false;
		send_load_conn(conn, &conn->pending);
		initiate_if_down(conn, conn->map);
		close_duplicates(conn, conn->map);
	}
}

/* ----------------------------------------------------------- triggers */

static int charon_config_applied(void)
{
	ios_crypto_charon_reconcile();
	return 0;
}

static void charon_vici_state(enum zebra_ios_vici_state state, void *arg)
{
	struct charon_conn *conn;
	struct charon_psk *psk;

	if (state != ZEBRA_IOS_VICI_ESTABLISHED) {
		/* whatever charon had may be gone: send it all again */
		frr_each (charon_psks, &charon.psks, psk)
			psk->sent = false;
		frr_each (charon_conns, &charon.conns, conn) {
			charon_conn_forget_msg(conn);
			if (conn->status != CHARON_CONN_NOT_LOADABLE)
				conn->status = CHARON_CONN_LOADING;
			conn->last_initiate = 0;
			conn->main_mode_since = 0;
			/* charon numbers its SAs from 1 again */
			conn->closed_below = 0;
		}
		return;
	}
	ios_crypto_charon_reconcile();
}

/*
 * SA events act on the one connection the SA is named after: an SA up may
 * leave it with a duplicate CHILD SA to close, a rekey an old one, and an
 * SA gone down is brought up again without waiting for the timer. The
 * configuration has not changed, so nothing else is re-planned (the timer
 * retries the others).
 */
static void charon_sa_event(const struct zebra_ios_vici_sa_event *ev,
			    void *arg)
{
	struct charon_conn key = {}, *conn;

	/* an SA event concerns the connection it is named after, and only it */
	strlcpy(key.name, ev->child ? ev->child->name : ev->ike->name,
		sizeof(key.name));
	conn = charon_conns_find(&charon.conns, &key);
	if (!conn || !conn->map)
		return;
	switch (ev->change) {
	case ZEBRA_IOS_VICI_SA_UP:
		if (conn->wanted)
			close_duplicates(conn, conn->map);
		break;
	case ZEBRA_IOS_VICI_SA_REKEYED:
		if (!ev->resync)
			close_rekeyed(ev);
		break;
	case ZEBRA_IOS_VICI_SA_DOWN:
		/* bring it up again at once */
		if (!ev->resync)
			initiate_if_down(conn, conn->map);
		break;
	}
}

static void charon_retry(struct thread *t)
{
	ios_crypto_charon_reconcile();
	check_psks();
	thread_add_timer(charon.master, charon_retry, NULL,
			 CHARON_RETRY_SECONDS, &charon.t_retry);
}

/* ---------------------------------------------------------------- show */

static const char *status_name(enum charon_conn_status status)
{
	switch (status) {
	case CHARON_CONN_NOT_LOADABLE:
		return "not loaded";
	case CHARON_CONN_LOADING:
		return "loading";
	case CHARON_CONN_LOADED:
		return "loaded";
	case CHARON_CONN_FAILED:
		return "refused";
	}
	return "?";
}

static const char *conn_auth(const struct charon_conn *conn)
{
	return conn->has_auth ? auth_keyword(conn->auth) : "-";
}

/* the pre-shared keys in charon: peers only, never the secrets */
static void show_psks(struct vty *vty, json_object *json)
{
	const struct charon_psk *psk;
	json_object *list = NULL;

	if (json) {
		list = json_object_new_array();
		json_object_object_add(json, "preSharedKeys", list);
	} else if (charon_psks_count(&charon.psks)) {
		vty_out(vty, "\nPre-shared keys loaded into charon (load-shared)\n");
		vty_out(vty, "%-16s %s\n", "Peer", "Status");
	}
	frr_each (charon_psks_const, &charon.psks, psk) {
		const char *status = !psk->sent	      ? "not sent"
				     : psk->error[0] ? psk->error
						     : "loaded";

		if (json) {
			json_object *o = json_object_new_object();

			json_object_string_addf(o, "peer", "%pI4", &psk->peer);
			json_object_string_add(o, "status", status);
			json_object_array_add(list, o);
			continue;
		}
		vty_out(vty, "%-16pI4 %s\n", &psk->peer, status);
	}
}

void ios_crypto_charon_show(struct vty *vty, bool use_json)
{
	const struct charon_conn *conn;
	json_object *json = NULL, *list = NULL;

	if (use_json) {
		json = json_object_new_object();
		list = json_object_new_array();
		json_object_string_add(json, "directory", charon.dir);
		json_object_string_add(json, "filesError", charon.files_error);
		json_object_int_add(json, "reloadSettings", charon.reloads);
		json_object_int_add(json, "preSharedKeysLost",
				    charon.psk_reloads);
		json_object_object_add(json, "connections", list);
	} else {
		vty_out(vty, "Connections generated for charon (files in %s, %u reload-settings)\n",
			charon.dir, charon.reloads);
		if (charon.files_error[0])
			vty_out(vty, "  %% %s\n", charon.files_error);
		vty_out(vty, "%-24s %-10s %-16s %6s %9s  %s\n", "Name",
			"Status", "Auth", "Loads", "Initiates", "Reason");
	}
	frr_each (charon_conns_const, &charon.conns, conn) {
		if (use_json) {
			json_object *o = json_object_new_object();

			json_object_string_add(o, "name", conn->name);
			json_object_string_add(o, "status",
					       status_name(conn->status));
			json_object_string_add(o, "auth", conn_auth(conn));
			if (conn->has_auth)
				json_object_int_add(o, "policy",
						    conn->policy_priority);
			json_object_int_add(o, "loads", conn->loads);
			json_object_int_add(o, "initiates", conn->initiates);
			json_object_boolean_add(o, "initiatesFirst",
						!conn->passive);
			json_object_int_add(o, "duplicatesClosed",
					    conn->duplicates_closed);
			json_object_string_add(o, "reason", conn->reason);
			json_object_array_add(list, o);
			continue;
		}
		vty_out(vty, "%-24s %-10s %-16s %6u %9u  %s\n", conn->name,
			status_name(conn->status), conn_auth(conn), conn->loads,
			conn->initiates, conn->reason);
	}
	show_psks(vty, json);
	if (use_json)
		vty_json(vty, json);
}

const struct ios_isakmp_policy *ios_crypto_charon_conn_policy(const char *name)
{
	struct charon_conn key = {};
	const struct charon_conn *conn;
	struct ios_isakmp_policy pkey = {};

	strlcpy(key.name, name, sizeof(key.name));
	conn = charon_conns_find(&charon.conns, &key);
	if (!conn || !conn->has_auth)
		return NULL;
	/* by priority: the policy itself may have changed since */
	pkey.priority = conn->policy_priority;
	return ios_policies_find(&ios_crypto_cfg.policies, &pkey);
}

/* ----------------------------------------------------------- lifecycle */

/* a file of charon-dir as text, NULL if it cannot be read */
static char *read_text_file(const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	char *text;
	int fd;

	snprintfrr(path, sizeof(path), "%s/%s", charon.dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || st.st_size > 64 * 1024 * 1024) {
		close(fd);
		return NULL;
	}
	text = XMALLOC(MTYPE_IOS_CHARON_DATA, st.st_size + 1);
	if (read(fd, text, st.st_size) != st.st_size) {
		XFREE(MTYPE_IOS_CHARON_DATA, text);
		close(fd);
		return NULL;
	}
	text[st.st_size] = '\0';
	close(fd);
	return text;
}

void ios_crypto_charon_init(struct thread_master *master)
{
	charon.master = master;
	charon_conns_init(&charon.conns);
	charon_psks_init(&charon.psks);
	if (!zebra_ios_crypto_module_arg("charon-dir", charon.dir, sizeof(charon.dir)))
		strlcpy(charon.dir, CHARON_DEFAULT_DIR, sizeof(charon.dir));
	if (!zebra_ios_crypto_module_arg("rsa-keys", charon.key_dir,
				   sizeof(charon.key_dir)))
		strlcpy(charon.key_dir, CHARON_DEFAULT_KEY_DIR,
			sizeof(charon.key_dir));
	/*
	 * What is on disk is what charon reads: rewrite (and reload) only on
	 * change. No file reads as no keys and no marks.
	 */
	charon.chain_text = read_text_file(CHARON_CHAIN_FILE);
	if (!charon.chain_text)
		charon.chain_text = chain_text();
	charon.marks_text = read_text_file(CHARON_MARKS_FILE);
	if (!charon.marks_text)
		charon.marks_text = marks_text();
	hook_register(ios_crypto_config_applied, charon_config_applied);
	zebra_ios_vici_state_subscribe(charon_vici_state, NULL);
	zebra_ios_vici_sa_subscribe(charon_sa_event, NULL);
	thread_add_timer(master, charon_retry, NULL, CHARON_RETRY_SECONDS,
			 &charon.t_retry);
}

void ios_crypto_charon_finish(void)
{
	struct charon_conn *conn;
	struct charon_psk *psk;

	THREAD_OFF(charon.t_retry);
	hook_unregister(ios_crypto_config_applied, charon_config_applied);
	zebra_ios_vici_state_unsubscribe(charon_vici_state, NULL);
	zebra_ios_vici_sa_unsubscribe(charon_sa_event, NULL);
	while ((conn = charon_conns_pop(&charon.conns)))
		charon_conn_free(conn);
	charon_conns_fini(&charon.conns);
	while ((psk = charon_psks_pop(&charon.psks)))
		psk_free(psk);
	charon_psks_fini(&charon.psks);
	XFREE(MTYPE_IOS_CHARON_DATA, charon.chain_text);
	XFREE(MTYPE_IOS_CHARON_DATA, charon.marks_text);
}
