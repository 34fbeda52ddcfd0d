// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IOS crypto commands of the ios-ipsec-suite zebra module, as an IOS user
 * types them, and the printers that show them back in the running
 * configuration in IOS order and form.
 *
 * The commands only enqueue changes of the ios-ipsec-suite YANG model;
 * what is valid is decided by the model (ranges, leafrefs, when/must) and
 * by the configuration callbacks (RSA key data), on commit. The sub-modes
 * are CLI nodes of their own (ios_crypto_nodes.h), which the rebuilt vtysh
 * knows as well (frr-integration/vtysh/).
 *
 * This file lives in a directory named zebra/ because vtysh/extract.pl,
 * which scans it when vtysh is rebuilt, takes the daemon a command is sent
 * to from that directory name.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include "command.h"
#include "if.h"
#include "northbound_cli.h"
#include "vty.h"
#include "yang_wrappers.h"

/*
 * vtysh/extract.pl runs only the preprocessor over this file, with FRR's
 * include paths: everything it must see (command strings, node numbers)
 * comes from FRR's headers and from this directory.
 */
#ifndef VTYSH_EXTRACT_PL
#include "ios_crypto_config.h"
#endif
#include "ios_crypto_cli_help.h"
#include "ios_crypto_nb.h"
#include "ios_crypto_nodes.h"

#ifndef VTYSH_EXTRACT_PL
#include "frr-integration/zebra/ios_crypto_cli_clippy.c"
#endif

DEFINE_MTYPE_STATIC(IOS_CRYPTO, IOS_KEY_INPUT, "key-string being entered");

/* ------------------------------------------------------------------ */
/* helpers                                                            */

/*
 * Enqueue a leaf below an absolute xpath. Absolute paths throughout: in
 * (config-if) a relative path would be taken relative to FRR's interface
 * (frr-interface), not to this model.
 */
static void cli_enqueue_leaf(struct vty *vty, const char *base,
			     const char *leaf, const char *value)
{
	char xpath[XPATH_MAXLEN];

	if (snprintf(xpath, sizeof(xpath), "%s/%s", base, leaf)
	    >= (int)sizeof(xpath))
		return;
	nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, value);
}

static int cli_apply(struct vty *vty);

static const char *usage_of(const char *keyword)
{
	return keyword ? keyword : "general";
}

/* the name of the interface of an (config-if) node, from the candidate */
static bool cli_interface_name(struct vty *vty, char *name, size_t size)
{
	const struct lyd_node *dnode;

	if (vty->node != INTERFACE_NODE || vty->xpath_index == 0)
		return false;
	dnode = yang_dnode_get(vty->candidate_config->dnode, VTY_CURR_XPATH);
	if (!dnode)
		return false;
	yang_dnode_get_string_buf(name, size, dnode, "./name");
	if (strchr(name, ':')) {
		vty_out(vty,
			"%% %s: crypto commands are only supported in the default VRF\n",
			name);
		return false;
	}
	return true;
}

/* a user typing, not a configuration being read (file, vtysh -b/-f) */
static bool cli_interactive(const struct vty *vty)
{
	return vty->type != VTY_FILE && !vty->pending_allowed;
}

static bool is_tunnel_name(const char *name)
{
	return strncmp(name, "Tunnel", 6) == 0;
}

static int cli_require_tunnel(struct vty *vty, const char *ifname)
{
	if (is_tunnel_name(ifname))
		return CMD_SUCCESS;
	vty_out(vty,
		"%% %s is not a tunnel interface: this command applies to TunnelN interfaces only\n",
		ifname);
	return CMD_WARNING_CONFIG_FAILED;
}

/*
 * Would the interface entry still hold configuration once everything at
 * and below removed_xpath is gone? If not, the entry itself is removed, so
 * that "no" commands leave no empty interface behind.
 */
static bool interface_keeps_config(struct vty *vty, const char *if_xpath,
				   const char *removed_xpath)
{
	struct lyd_node *ifdnode, *child, *iter;
	char path[XPATH_MAXLEN];
	size_t removed_len = strlen(removed_xpath);

	ifdnode = yang_dnode_get(vty->candidate_config->dnode, if_xpath);
	if (!ifdnode)
		return false;
	LY_LIST_FOR (lyd_child(ifdnode), child) {
		LYD_TREE_DFS_BEGIN (child, iter) {
			if ((iter->schema->nodetype & (LYS_LEAF | LYS_LEAFLIST))
			    && (iter->schema->flags & LYS_CONFIG_W)
			    && !lysc_is_key(iter->schema)
			    && !yang_dnode_is_default(iter, NULL)) {
				yang_dnode_get_path(iter, path, sizeof(path));
				if (strncmp(path, removed_xpath, removed_len))
					return true;
			}
			LYD_TREE_DFS_END(child, iter);
		}
	}
	return false;
}

/* remove an interface-level setting, and the entry if nothing is left */
static int cli_interface_remove(struct vty *vty, const char *ifname,
				const char *relative)
{
	char if_xpath[XPATH_MAXLEN], xpath[XPATH_MAXLEN];

	snprintf(if_xpath, sizeof(if_xpath), IOS_INTERFACE_XPATH, ifname);
	if (snprintf(xpath, sizeof(xpath), "%s%s", if_xpath, relative)
	    >= (int)sizeof(xpath))
		return CMD_WARNING_CONFIG_FAILED;
	if (interface_keeps_config(vty, if_xpath, xpath))
		nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	else
		nb_cli_enqueue_change(vty, if_xpath, NB_OP_DESTROY, NULL);
	return cli_apply(vty);
}

/*
 * Apply the enqueued changes, after checking their paths and values
 * against the model on a scratch tree. FRR's nb_cli_apply_changes() only
 * logs a value the model refuses ("% Failed to edit configuration") and
 * then commits nothing with success; this turns that into a failed
 * command with libyang's message, which names the rule that was broken.
 */
static int cli_apply(struct vty *vty)
{
	for (size_t i = 0; i < vty->num_cfg_changes; i++) {
		const struct vty_cfg_change *change = &vty->cfg_changes[i];
		struct lyd_node *tree = NULL;
		char xpath[XPATH_MAXLEN];
		LY_ERR err;

		if ((change->operation != NB_OP_CREATE
		     && change->operation != NB_OP_MODIFY)
		    || !change->value)
			continue;
		if (change->xpath[0] == '.' && vty->xpath_index > 0)
			snprintf(xpath, sizeof(xpath), "%s%s", VTY_CURR_XPATH,
				 change->xpath + 1);
		else
			strlcpy(xpath, change->xpath, sizeof(xpath));
		err = lyd_new_path2(NULL, ly_native_ctx, xpath, change->value,
				    0, 0, 0, &tree, NULL);
		if (tree)
			lyd_free_all(tree);
		if (err != LY_SUCCESS) {
			const char *path = ly_errpath(ly_native_ctx);

			vty_out(vty, "%% Invalid value: %s\n",
				ly_errmsg(ly_native_ctx));
			if (path)
				vty_out(vty, "  YANG path: %s\n", path);
			return CMD_WARNING_CONFIG_FAILED;
		}
	}
	return nb_cli_apply_changes(vty, NULL);
}

/* ------------------------------------------------------------------ */
/* crypto isakmp                                                      */

DEFPY_YANG_NOSH (ios_crypto_isakmp_policy,
		 ios_crypto_isakmp_policy_cmd,
		 "crypto isakmp policy (1-10000)$priority",
		 CRYPTO_STR
		 ISAKMP_STR
		 ISAKMP_POLICY_STR
		 ISAKMP_PRIORITY_STR)
{
	char xpath[XPATH_MAXLEN];
	int ret;

	snprintf(xpath, sizeof(xpath), IOS_POLICY_XPATH,
		 (unsigned)priority);
	nb_cli_enqueue_change(vty, xpath, NB_OP_CREATE, NULL);
	ret = cli_apply(vty);
	if (ret == CMD_SUCCESS)
		VTY_PUSH_XPATH(IOS_ISAKMP_NODE, xpath);
	return ret;
}

DEFPY_YANG (no_ios_crypto_isakmp_policy,
	    no_ios_crypto_isakmp_policy_cmd,
	    "no crypto isakmp policy (1-10000)$priority",
	    NO_STR
	    CRYPTO_STR
	    ISAKMP_STR
	    "Set policy for an ISAKMP protection suite\n"
	    "Priority of protection suite\n")
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), IOS_POLICY_XPATH,
		 (unsigned)priority);
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	return cli_apply(vty);
}

/*
 * 'rsa-encr revised' is the suite's extension for RFC 2409 5.3 (IKE auth
 * method 5), which IOS cannot configure; the model calls it
 * rsa-encr-revised.
 */
DEFPY_YANG (ios_isakmp_authentication,
	    ios_isakmp_authentication_cmd,
	    "authentication <pre-share$psk|rsa-sig$sig|rsa-encr [revised$revised]>",
	    "Set authentication method for protection suite\n"
	    "Pre-Shared Key\n"
	    "Rivest-Shamir-Adleman Signature\n"
	    "Rivest-Shamir-Adleman Encryption\n"
	    ISAKMP_REVISED_STR)
{
	const char *method = psk	   ? "pre-share"
			     : sig	   ? "rsa-sig"
			     : revised ? "rsa-encr-revised"
				       : "rsa-encr";

	nb_cli_enqueue_change(vty, "./authentication", NB_OP_MODIFY, method);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_isakmp_authentication,
	    no_ios_isakmp_authentication_cmd,
	    "no authentication [<pre-share|rsa-sig|rsa-encr [revised]>]",
	    NO_STR
	    "Set authentication method for protection suite\n"
	    "Pre-Shared Key\n"
	    "Rivest-Shamir-Adleman Signature\n"
	    "Rivest-Shamir-Adleman Encryption\n"
	    ISAKMP_REVISED_STR)
{
	nb_cli_enqueue_change(vty, "./authentication", NB_OP_MODIFY, NULL);
	return cli_apply(vty);
}

DEFPY_YANG (ios_isakmp_encryption,
	    ios_isakmp_encryption_cmd,
	    "encryption <des$des|3des$tdes|aes$aes [<128|192|256>$bits]>",
	    "Set encryption algorithm for protection suite\n"
	    "DES - Data Encryption Standard (56 bit keys)\n"
	    "Three key triple DES\n"
	    "AES - Advanced Encryption Standard\n"
	    "128 bit keys\n"
	    "192 bit keys\n"
	    "256 bit keys\n")
{
	const char *value = "des";

	if (tdes)
		value = "3des";
	else if (aes && bits && strmatch(bits, "192"))
		value = "aes-192";
	else if (aes && bits && strmatch(bits, "256"))
		value = "aes-256";
	else if (aes)
		value = "aes-128";
	nb_cli_enqueue_change(vty, "./encryption", NB_OP_MODIFY, value);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_isakmp_encryption,
	    no_ios_isakmp_encryption_cmd,
	    "no encryption [<des|3des|aes [<128|192|256>]>]",
	    NO_STR
	    "Set encryption algorithm for protection suite\n"
	    "DES - Data Encryption Standard (56 bit keys)\n"
	    "Three key triple DES\n"
	    "AES - Advanced Encryption Standard\n"
	    "128 bit keys\n"
	    "192 bit keys\n"
	    "256 bit keys\n")
{
	nb_cli_enqueue_change(vty, "./encryption", NB_OP_MODIFY, NULL);
	return cli_apply(vty);
}

DEFPY_YANG (ios_isakmp_hash,
	    ios_isakmp_hash_cmd,
	    "hash <sha|md5>$hash",
	    "Set hash algorithm for protection suite\n"
	    "Secure Hash Standard\n"
	    "Message Digest 5\n")
{
	nb_cli_enqueue_change(vty, "./hash", NB_OP_MODIFY, hash);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_isakmp_hash,
	    no_ios_isakmp_hash_cmd,
	    "no hash [<sha|md5>]",
	    NO_STR
	    "Set hash algorithm for protection suite\n"
	    "Secure Hash Standard\n"
	    "Message Digest 5\n")
{
	nb_cli_enqueue_change(vty, "./hash", NB_OP_MODIFY, NULL);
	return cli_apply(vty);
}

DEFPY_YANG (ios_isakmp_group,
	    ios_isakmp_group_cmd,
	    "group <1|2|5|14>$group",
	    "Set the Diffie-Hellman group\n"
	    "Diffie-Hellman group 1 (768 bit)\n"
	    "Diffie-Hellman group 2 (1024 bit)\n"
	    "Diffie-Hellman group 5 (1536 bit)\n"
	    "Diffie-Hellman group 14 (2048 bit)\n")
{
	nb_cli_enqueue_change(vty, "./group", NB_OP_MODIFY, group);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_isakmp_group,
	    no_ios_isakmp_group_cmd,
	    "no group [<1|2|5|14>]",
	    NO_STR
	    "Set the Diffie-Hellman group\n"
	    "Diffie-Hellman group 1 (768 bit)\n"
	    "Diffie-Hellman group 2 (1024 bit)\n"
	    "Diffie-Hellman group 5 (1536 bit)\n"
	    "Diffie-Hellman group 14 (2048 bit)\n")
{
	nb_cli_enqueue_change(vty, "./group", NB_OP_MODIFY, NULL);
	return cli_apply(vty);
}

DEFPY_YANG (ios_isakmp_lifetime,
	    ios_isakmp_lifetime_cmd,
	    "lifetime (60-86400)$seconds",
	    "Set lifetime for ISAKMP security association\n"
	    "lifetime in seconds\n")
{
	nb_cli_enqueue_change(vty, "./lifetime", NB_OP_MODIFY, seconds_str);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_isakmp_lifetime,
	    no_ios_isakmp_lifetime_cmd,
	    "no lifetime [(60-86400)]",
	    NO_STR
	    "Set lifetime for ISAKMP security association\n"
	    "lifetime in seconds\n")
{
	nb_cli_enqueue_change(vty, "./lifetime", NB_OP_MODIFY, NULL);
	return cli_apply(vty);
}

DEFPY_YANG (ios_crypto_isakmp_enable,
	    ios_crypto_isakmp_enable_cmd,
	    "[no] crypto isakmp enable",
	    NO_STR
	    CRYPTO_STR
	    ISAKMP_STR
	    "Enable ISAKMP\n")
{
	nb_cli_enqueue_change(vty, IOS_ISAKMP_XPATH "/enable", NB_OP_MODIFY,
			      no ? "false" : "true");
	return cli_apply(vty);
}

/*
 * crypto isakmp key: a list keyed by address. Typing it again for the same
 * address replaces the secret and the mask (no mask: the address alone).
 */
DEFPY_YANG (ios_crypto_isakmp_key,
	    ios_crypto_isakmp_key_cmd,
	    "crypto isakmp key WORD$secret address A.B.C.D$address [A.B.C.D$mask]",
	    CRYPTO_STR
	    ISAKMP_STR
	    ISAKMP_KEY_STR)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), IOS_ISAKMP_KEY_XPATH, address_str);
	nb_cli_enqueue_change(vty, xpath, NB_OP_CREATE, NULL);
	cli_enqueue_leaf(vty, xpath, "key-string", secret);
	cli_enqueue_leaf(vty, xpath, "mask", mask_str);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_crypto_isakmp_key,
	    no_ios_crypto_isakmp_key_cmd,
	    "no crypto isakmp key WORD address A.B.C.D$address [A.B.C.D]",
	    NO_STR
	    CRYPTO_STR
	    ISAKMP_STR
	    ISAKMP_KEY_STR)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), IOS_ISAKMP_KEY_XPATH, address_str);
	if (!yang_dnode_exists(vty->candidate_config->dnode, xpath)) {
		vty_out(vty, "%% crypto isakmp key: no key for address %s\n",
			address_str);
		return CMD_WARNING_CONFIG_FAILED;
	}
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	return cli_apply(vty);
}

DEFPY_YANG (ios_crypto_isakmp_identity,
	    ios_crypto_isakmp_identity_cmd,
	    "crypto isakmp identity <address|hostname>$identity",
	    CRYPTO_STR
	    ISAKMP_STR
	    "Set the identity which ISAKMP will use\n"
	    "Use the IP address of the interface for the identity\n"
	    "Use the hostname of the router for the identity\n")
{
	nb_cli_enqueue_change(vty, IOS_ISAKMP_XPATH "/identity", NB_OP_MODIFY,
			      identity);
	return cli_apply(vty);
}

DEFPY_YANG (ios_ip_domain_name,
	    ios_ip_domain_name_cmd,
	    "ip domain name WORD$name",
	    IP_STR
	    "IP DNS Resolver\n"
	    "Define the default domain name\n"
	    "Default domain name\n")
{
	nb_cli_enqueue_change(vty, IOS_XPATH "/domain-name", NB_OP_MODIFY,
			      name);
	return cli_apply(vty);
}

DEFPY_YANG (ios_ip_domain_dash_name,
	    ios_ip_domain_dash_name_cmd,
	    "ip domain-name WORD$name",
	    IP_STR
	    "Define the default domain name\n"
	    "Default domain name\n")
{
	nb_cli_enqueue_change(vty, IOS_XPATH "/domain-name", NB_OP_MODIFY,
			      name);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_ip_domain_name,
	    no_ios_ip_domain_name_cmd,
	    "no ip <domain name|domain-name> [WORD]",
	    NO_STR
	    IP_STR
	    "IP DNS Resolver\n"
	    "Define the default domain name\n"
	    "Define the default domain name\n"
	    "Default domain name\n")
{
	nb_cli_enqueue_change(vty, IOS_XPATH "/domain-name", NB_OP_DESTROY,
			      NULL);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_crypto_isakmp_identity,
	    no_ios_crypto_isakmp_identity_cmd,
	    "no crypto isakmp identity [<address|hostname>]",
	    NO_STR
	    CRYPTO_STR
	    ISAKMP_STR
	    "Set the identity which ISAKMP will use\n"
	    "Use the IP address of the interface for the identity\n"
	    "Use the hostname of the router for the identity\n")
{
	nb_cli_enqueue_change(vty, IOS_ISAKMP_XPATH "/identity", NB_OP_MODIFY,
			      NULL);
	return cli_apply(vty);
}

DEFPY_YANG (ios_crypto_isakmp_keepalive,
	    ios_crypto_isakmp_keepalive_cmd,
	    "crypto isakmp keepalive (10-3600)$seconds [(2-60)$retry]",
	    CRYPTO_STR
	    ISAKMP_STR
	    "Set a keepalive interval for use with IOS peers\n"
	    "Number of seconds between keep alives\n"
	    "Number of seconds between retries if keepalive fails\n")
{
	nb_cli_enqueue_change(vty, IOS_ISAKMP_XPATH "/keepalive", NB_OP_CREATE,
			      NULL);
	nb_cli_enqueue_change(vty, IOS_ISAKMP_XPATH "/keepalive/seconds",
			      NB_OP_MODIFY, seconds_str);
	nb_cli_enqueue_change(vty, IOS_ISAKMP_XPATH "/keepalive/retry",
			      NB_OP_MODIFY, retry_str);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_crypto_isakmp_keepalive,
	    no_ios_crypto_isakmp_keepalive_cmd,
	    "no crypto isakmp keepalive [(10-3600) [(2-60)]]",
	    NO_STR
	    CRYPTO_STR
	    ISAKMP_STR
	    "Set a keepalive interval for use with IOS peers\n"
	    "Number of seconds between keep alives\n"
	    "Number of seconds between retries if keepalive fails\n")
{
	nb_cli_enqueue_change(vty, IOS_ISAKMP_XPATH "/keepalive",
			      NB_OP_DESTROY, NULL);
	return cli_apply(vty);
}

/* ------------------------------------------------------------------ */
/* crypto ipsec transform-set                                         */

DEFPY_YANG_NOSH (ios_crypto_ipsec_transform_set,
		 ios_crypto_ipsec_transform_set_cmd,
		 "crypto ipsec transform-set WORD$name <esp-des$des|esp-3des$tdes|esp-aes$aes [<128|192|256>$bits]> <esp-sha-hmac|esp-md5-hmac>$integrity",
		 CRYPTO_STR
		 IPSEC_STR
		 TRANSFORM_SET_STR
		 TRANSFORM_SET_NAME_STR
		 TRANSFORM_SET_CIPHERS_STR)
{
	char xpath[XPATH_MAXLEN];
	const char *cipher = "esp-des";
	int ret;

	if (tdes)
		cipher = "esp-3des";
	else if (aes && bits && strmatch(bits, "192"))
		cipher = "esp-aes-192";
	else if (aes && bits && strmatch(bits, "256"))
		cipher = "esp-aes-256";
	else if (aes)
		cipher = "esp-aes-128";

	snprintf(xpath, sizeof(xpath), IOS_TRANSFORM_SET_XPATH, name);
	nb_cli_enqueue_change(vty, xpath, NB_OP_CREATE, NULL);
	cli_enqueue_leaf(vty, xpath, "esp-encryption", cipher);
	cli_enqueue_leaf(vty, xpath, "esp-integrity", integrity);
	ret = cli_apply(vty);
	if (ret == CMD_SUCCESS)
		VTY_PUSH_XPATH(IOS_TRANSFORM_SET_NODE, xpath);
	return ret;
}

DEFPY_YANG (no_ios_crypto_ipsec_transform_set,
	    no_ios_crypto_ipsec_transform_set_cmd,
	    "no crypto ipsec transform-set WORD$name",
	    NO_STR
	    CRYPTO_STR
	    IPSEC_STR
	    TRANSFORM_SET_STR
	    TRANSFORM_SET_NAME_STR)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), IOS_TRANSFORM_SET_XPATH, name);
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	return cli_apply(vty);
}

DEFPY_YANG (ios_transform_set_mode,
	    ios_transform_set_mode_cmd,
	    "mode <transport|tunnel>$mode",
	    "encapsulation mode (transport/tunnel)\n"
	    "transport (payload encapsulation)\n"
	    "tunnel (datagram encapsulation)\n")
{
	nb_cli_enqueue_change(vty, "./mode", NB_OP_MODIFY, mode);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_transform_set_mode,
	    no_ios_transform_set_mode_cmd,
	    "no mode [<transport|tunnel>]",
	    NO_STR
	    "encapsulation mode (transport/tunnel)\n"
	    "transport (payload encapsulation)\n"
	    "tunnel (datagram encapsulation)\n")
{
	nb_cli_enqueue_change(vty, "./mode", NB_OP_MODIFY, NULL);
	return cli_apply(vty);
}

/* ------------------------------------------------------------------ */
/* crypto map                                                         */

DEFPY_YANG_NOSH (ios_crypto_map,
		 ios_crypto_map_cmd,
		 "crypto map WORD$name (1-65535)$seq [ipsec-isakmp]",
		 CRYPTO_STR
		 CRYPTO_MAP_STR
		 CRYPTO_MAP_NAME_STR
		 CRYPTO_MAP_SEQ_STR
		 CRYPTO_MAP_ISAKMP_STR)
{
	char xpath[XPATH_MAXLEN];
	bool is_new;
	int ret;

	snprintf(xpath, sizeof(xpath), IOS_MAP_XPATH, name, (unsigned)seq);
	is_new = !yang_dnode_exists(vty->candidate_config->dnode, xpath);
	nb_cli_enqueue_change(vty, xpath, NB_OP_CREATE, NULL);
	ret = cli_apply(vty);
	if (ret != CMD_SUCCESS)
		return ret;
	if (is_new && cli_interactive(vty))
		vty_out(vty,
			"%% NOTE: This new crypto map will remain disabled until a peer\n"
			"        and a valid access list have been configured.\n");
	VTY_PUSH_XPATH(IOS_CRYPTO_MAP_NODE, xpath);
	return CMD_SUCCESS;
}

DEFPY_YANG (no_ios_crypto_map,
	    no_ios_crypto_map_cmd,
	    "no crypto map WORD$name [(1-65535)$seq [ipsec-isakmp]]",
	    NO_STR
	    CRYPTO_STR
	    CRYPTO_MAP_STR
	    CRYPTO_MAP_NAME_STR
	    "Sequence to insert into crypto map entry\n"
	    "IPSEC w/ISAKMP\n")
{
	char xpath[XPATH_MAXLEN];
	const struct lyd_node *dnode;

	if (seq_str) {
		snprintf(xpath, sizeof(xpath), IOS_MAP_XPATH, name,
			 (unsigned)seq);
		nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
		return cli_apply(vty);
	}

	/* without a sequence number: every entry of the set */
	dnode = yang_dnode_get(vty->candidate_config->dnode, IOS_CRYPTO_XPATH);
	if (dnode) {
		const struct lyd_node *child;

		LY_LIST_FOR (lyd_child(dnode), child) {
			if (!strmatch(child->schema->name, "map")
			    || !strmatch(yang_dnode_get_string(child, "./name"),
					 name))
				continue;
			yang_dnode_get_path(child, xpath, sizeof(xpath));
			nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
		}
	}
	return cli_apply(vty);
}

DEFPY_YANG (ios_map_set_peer,
	    ios_map_set_peer_cmd,
	    "set peer A.B.C.D$peer",
	    "Set values for encryption/decryption\n"
	    "Allowed Encryption/Decryption peer\n"
	    "IP address of peer\n")
{
	nb_cli_enqueue_change(vty, "./peer", NB_OP_MODIFY, peer_str);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_map_set_peer,
	    no_ios_map_set_peer_cmd,
	    "no set peer [A.B.C.D]",
	    NO_STR
	    "Set values for encryption/decryption\n"
	    "Allowed Encryption/Decryption peer\n"
	    "IP address of peer\n")
{
	nb_cli_enqueue_change(vty, "./peer", NB_OP_DESTROY, NULL);
	return cli_apply(vty);
}

DEFPY_YANG (ios_map_set_transform_set,
	    ios_map_set_transform_set_cmd,
	    "set transform-set WORD$name",
	    "Set values for encryption/decryption\n"
	    "Specify list of transform sets in priority order\n"
	    TRANSFORM_SET_NAME_STR)
{
	nb_cli_enqueue_change(vty, "./transform-set", NB_OP_MODIFY, name);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_map_set_transform_set,
	    no_ios_map_set_transform_set_cmd,
	    "no set transform-set [WORD]",
	    NO_STR
	    "Set values for encryption/decryption\n"
	    "Specify list of transform sets in priority order\n"
	    TRANSFORM_SET_NAME_STR)
{
	nb_cli_enqueue_change(vty, "./transform-set", NB_OP_DESTROY, NULL);
	return cli_apply(vty);
}

DEFPY_YANG (ios_map_match_address,
	    ios_map_match_address_cmd,
	    "match address (100-199)$acl",
	    "Match values.\n"
	    "Match address of packets to encrypt.\n"
	    ACL_NUMBER_STR)
{
	nb_cli_enqueue_change(vty, "./match-address", NB_OP_MODIFY, acl_str);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_map_match_address,
	    no_ios_map_match_address_cmd,
	    "no match address [(100-199)]",
	    NO_STR
	    "Match values.\n"
	    "Match address of packets to encrypt.\n"
	    ACL_NUMBER_STR)
{
	nb_cli_enqueue_change(vty, "./match-address", NB_OP_DESTROY, NULL);
	return cli_apply(vty);
}

/* ------------------------------------------------------------------ */
/* access-list 100-199 permit|deny gre host A.B.C.D host A.B.C.D      */

/*
 * The sequence number of an existing identical entry, else 0; *next
 * receives the number a new entry gets (10 past the last one), *count the
 * number of entries.
 */
static uint32_t acl_entry_lookup(struct vty *vty, long number,
				 const char *action, const char *src,
				 const char *dst, uint32_t *next,
				 uint32_t *count)
{
	char xpath[XPATH_MAXLEN];
	const struct lyd_node *acl, *entry;
	uint32_t found = 0, last = 0, entries = 0;

	snprintf(xpath, sizeof(xpath), IOS_ACL_XPATH, (unsigned)number);
	acl = yang_dnode_get(vty->candidate_config->dnode, xpath);
	LY_LIST_FOR (acl ? lyd_child(acl) : NULL, entry) {
		uint32_t sequence;

		if (!strmatch(entry->schema->name, "entry"))
			continue;
		sequence = yang_dnode_get_uint32(entry, "./sequence");
		last = MAX(last, sequence);
		entries++;
		if (strmatch(yang_dnode_get_string(entry, "./action"), action)
		    && strmatch(yang_dnode_get_string(entry, "./source-host"),
				src)
		    && strmatch(yang_dnode_get_string(entry,
						      "./destination-host"),
				dst))
			found = sequence;
	}
	if (next)
		*next = last + 10;
	if (count)
		*count = entries;
	return found;
}

DEFPY_YANG (ios_access_list_gre,
	    ios_access_list_gre_cmd,
	    "access-list (100-199)$number <permit|deny>$action gre host A.B.C.D$src host A.B.C.D$dst",
	    ACL_STR
	    ACL_NUMBER_STR
	    "Specify packets to forward\n"
	    "Specify packets to reject\n"
	    "Cisco's GRE tunneling\n"
	    "A single source host\n"
	    "Source address\n"
	    "A single destination host\n"
	    "Destination address\n")
{
	char xpath[XPATH_MAXLEN];
	uint32_t next;

	/* IOS ignores an entry that is in the list already */
	if (acl_entry_lookup(vty, number, action, src_str, dst_str, &next,
			     NULL))
		return CMD_SUCCESS;

	snprintf(xpath, sizeof(xpath), IOS_ACL_XPATH "/entry[sequence='%u']",
		 (unsigned)number, next);
	nb_cli_enqueue_change(vty, xpath, NB_OP_CREATE, NULL);
	cli_enqueue_leaf(vty, xpath, "action", action);
	cli_enqueue_leaf(vty, xpath, "source-host", src_str);
	cli_enqueue_leaf(vty, xpath, "destination-host", dst_str);
	return cli_apply(vty);
}

/*
 * "no access-list N" removes access list N whatever it holds: our GRE
 * entries and FRR's own "access-list N ... ip ..." entries (frr-filter),
 * as on IOS, where both are one list. In zebra this command shadows FRR's
 * "no access-list WORD" for 100-199 (a range is a better match than a
 * word), hence the second change. It is _NOSH: the rebuilt vtysh has its
 * own copy that goes to every daemon with access lists, as FRR's does
 * (the others take it as their "no access-list WORD").
 */
DEFPY_YANG_NOSH (no_ios_access_list,
		 no_ios_access_list_cmd,
		 "no access-list (100-199)$number",
		 NO_STR
		 ACL_STR
		 ACL_NUMBER_STR)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), IOS_ACL_XPATH, (unsigned)number);
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	snprintf(xpath, sizeof(xpath),
		 "/frr-filter:lib/access-list[type='ipv4'][name='%s']",
		 number_str);
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	return cli_apply(vty);
}

/* one entry; the last one takes the list with it, as on IOS */
DEFPY_YANG (no_ios_access_list_gre,
	    no_ios_access_list_gre_cmd,
	    "no access-list (100-199)$number <permit|deny>$action gre host A.B.C.D$src host A.B.C.D$dst",
	    NO_STR
	    ACL_STR
	    ACL_NUMBER_STR
	    "Specify packets to forward\n"
	    "Specify packets to reject\n"
	    "Cisco's GRE tunneling\n"
	    "A single source host\n"
	    "Source address\n"
	    "A single destination host\n"
	    "Destination address\n")
{
	char xpath[XPATH_MAXLEN];
	uint32_t sequence, count;

	sequence = acl_entry_lookup(vty, number, action, src_str, dst_str,
				    NULL, &count);
	if (!sequence) {
		vty_out(vty, "%% access-list %ld has no such entry\n", number);
		return CMD_WARNING_CONFIG_FAILED;
	}
	if (count == 1)
		snprintf(xpath, sizeof(xpath), IOS_ACL_XPATH,
			 (unsigned)number);
	else
		snprintf(xpath, sizeof(xpath),
			 IOS_ACL_XPATH "/entry[sequence='%u']",
			 (unsigned)number, sequence);
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	return cli_apply(vty);
}

/* ------------------------------------------------------------------ */
/* crypto key pubkey-chain rsa                                        */

DEFPY_YANG_NOSH (ios_crypto_key_pubkey_chain,
		 ios_crypto_key_pubkey_chain_cmd,
		 "crypto key pubkey-chain rsa",
		 CRYPTO_STR
		 PUBKEY_CHAIN_STR)
{
	VTY_PUSH_XPATH(IOS_PUBKEY_CHAIN_NODE, IOS_PUBKEY_CHAIN_XPATH);
	return CMD_SUCCESS;
}

static int cli_pubkey_enter(struct vty *vty, const char *xpath)
{
	int ret;

	nb_cli_enqueue_change(vty, xpath, NB_OP_CREATE, NULL);
	ret = cli_apply(vty);
	if (ret == CMD_SUCCESS)
		VTY_PUSH_XPATH(IOS_PUBKEY_KEY_NODE, xpath);
	return ret;
}

DEFPY_YANG_NOSH (ios_named_key,
		 ios_named_key_cmd,
		 "named-key WORD$name [<encryption|signature>$usage]",
		 NAMED_KEY_STR
		 KEY_USAGE_STR)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), IOS_NAMED_KEY_XPATH, name,
		 usage_of(usage));
	return cli_pubkey_enter(vty, xpath);
}

DEFPY_YANG_NOSH (ios_addressed_key,
		 ios_addressed_key_cmd,
		 "addressed-key <A.B.C.D$addr4|X:X::X:X$addr6> [<encryption|signature>$usage]",
		 ADDRESSED_KEY_STR
		 KEY_USAGE_STR)
{
	char xpath[XPATH_MAXLEN], addr[INET6_ADDRSTRLEN];

	if (addr4_str)
		strlcpy(addr, addr4_str, sizeof(addr));
	else
		inet_ntop(AF_INET6, &addr6, addr, sizeof(addr));
	snprintf(xpath, sizeof(xpath), IOS_ADDRESSED_KEY_XPATH, addr,
		 usage_of(usage));
	return cli_pubkey_enter(vty, xpath);
}

DEFPY_YANG (no_ios_named_key,
	    no_ios_named_key_cmd,
	    "no named-key WORD$name [<encryption|signature>$usage]",
	    NO_STR
	    "Public key associated with the name of the peer\n"
	    "Name of the peer (FQDN)\n"
	    KEY_USAGE_STR)
{
	char xpath[XPATH_MAXLEN];

	snprintf(xpath, sizeof(xpath), IOS_NAMED_KEY_XPATH, name,
		 usage_of(usage));
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_addressed_key,
	    no_ios_addressed_key_cmd,
	    "no addressed-key <A.B.C.D$addr4|X:X::X:X$addr6> [<encryption|signature>$usage]",
	    NO_STR
	    "Public key associated with the address of the peer\n"
	    "IP address of the peer\n"
	    "IPv6 address of the peer\n"
	    KEY_USAGE_STR)
{
	char xpath[XPATH_MAXLEN], addr[INET6_ADDRSTRLEN];

	if (addr4_str)
		strlcpy(addr, addr4_str, sizeof(addr));
	else
		inet_ntop(AF_INET6, &addr6, addr, sizeof(addr));
	snprintf(xpath, sizeof(xpath), IOS_ADDRESSED_KEY_XPATH, addr,
		 usage_of(usage));
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	return cli_apply(vty);
}

DEFPY_YANG (ios_pubkey_address,
	    ios_pubkey_address_cmd,
	    "[no] address <A.B.C.D$addr4|X:X::X:X$addr6>",
	    NO_STR
	    "Assign an address to this key\n"
	    "IP address of the peer\n"
	    "IPv6 address of the peer\n")
{
	char addr[INET6_ADDRSTRLEN];

	if (addr4_str)
		strlcpy(addr, addr4_str, sizeof(addr));
	else
		inet_ntop(AF_INET6, &addr6, addr, sizeof(addr));
	/* a leaf-list entry is named by its value, for both operations */
	nb_cli_enqueue_change(vty, "./address",
			      no ? NB_OP_DESTROY : NB_OP_CREATE, addr);
	return cli_apply(vty);
}

DEFPY_YANG (ios_pubkey_serial_number,
	    ios_pubkey_serial_number_cmd,
	    "serial-number WORD$serial",
	    "Assign a serial number to this key\n"
	    "Serial number of the peer's certificate\n")
{
	nb_cli_enqueue_change(vty, "./serial-number", NB_OP_MODIFY, serial);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_pubkey_serial_number,
	    no_ios_pubkey_serial_number_cmd,
	    "no serial-number [WORD]",
	    NO_STR
	    "Assign a serial number to this key\n"
	    "Serial number of the peer's certificate\n")
{
	nb_cli_enqueue_change(vty, "./serial-number", NB_OP_DESTROY, NULL);
	return cli_apply(vty);
}

/*
 * key-string: the hex lines that follow are collected per vty until
 * "quit", then stored in one change, so that the key is checked (by
 * lib/ios-keychain, in the configuration callbacks) as a whole.
 */
PREDECL_RBTREE_UNIQ(key_inputs);
struct key_input {
	struct key_inputs_item item;
	const struct vty *vty;
	size_t digits;
	char hex[IOS_KEYCHAIN_MAX_HEX_DIGITS + 1];
};

static int key_input_cmp(const struct key_input *a, const struct key_input *b)
{
	return numcmp((uintptr_t)a->vty, (uintptr_t)b->vty);
}
DECLARE_RBTREE_UNIQ(key_inputs, struct key_input, item, key_input_cmp);

static struct key_inputs_head key_inputs;

/*
 * A vty that leaves key-string mode without quit, exit or end (it walks up
 * to another mode, or closes) leaves its input behind; keep a bounded
 * number of them.
 */
#define KEY_INPUTS_MAX 16

static struct key_input *key_input_find(const struct vty *vty)
{
	struct key_input ref = { .vty = vty };

	return key_inputs_find(&key_inputs, &ref);
}

static void key_input_start(struct vty *vty)
{
	struct key_input *input = key_input_find(vty);

	if (!input) {
		if (key_inputs_count(&key_inputs) >= KEY_INPUTS_MAX) {
			input = key_inputs_pop(&key_inputs);
			XFREE(MTYPE_IOS_KEY_INPUT, input);
		}
		input = XCALLOC(MTYPE_IOS_KEY_INPUT, sizeof(*input));
		input->vty = vty;
		key_inputs_add(&key_inputs, input);
	}
	input->digits = 0;
	input->hex[0] = '\0';
}

/* end the key-string: store it if apply, else forget it */
static int key_input_finish(struct vty *vty, bool apply)
{
	struct key_input *input = key_input_find(vty);
	int ret;

	if (!input)
		return CMD_SUCCESS;
	key_inputs_del(&key_inputs, input);
	if (!apply) {
		XFREE(MTYPE_IOS_KEY_INPUT, input);
		return CMD_SUCCESS;
	}
	if (input->digits == 0) {
		XFREE(MTYPE_IOS_KEY_INPUT, input);
		vty_out(vty, "%% No key data entered; key-string unchanged\n");
		return CMD_SUCCESS;
	}
	if (input->digits % 2) {
		vty_out(vty,
			"%% Invalid key-string: %zu hex digits, an odd number; key-string unchanged\n",
			input->digits);
		XFREE(MTYPE_IOS_KEY_INPUT, input);
		return CMD_WARNING_CONFIG_FAILED;
	}
	vty->num_cfg_changes = 0;
	nb_cli_enqueue_change(vty, "./key-string", NB_OP_MODIFY, input->hex);
	ret = cli_apply(vty);
	XFREE(MTYPE_IOS_KEY_INPUT, input);
	return ret;
}

DEFPY_YANG_NOSH (ios_pubkey_key_string,
		 ios_pubkey_key_string_cmd,
		 "key-string",
		 KEY_STRING_STR)
{
	key_input_start(vty);
	if (cli_interactive(vty))
		vty_out(vty, "Enter a public key as a hexadecimal number ....\n");
	vty->node = IOS_PUBKEY_DATA_NODE;
	return CMD_SUCCESS;
}

DEFPY_YANG (no_ios_pubkey_key_string,
	    no_ios_pubkey_key_string_cmd,
	    "no key-string",
	    NO_STR
	    "Enter a public key\n")
{
	nb_cli_enqueue_change(vty, "./key-string", NB_OP_DESTROY, NULL);
	return cli_apply(vty);
}

/* a line of hex digits; blanks anywhere, groups of any width */
DEFUN_YANG (ios_pubkey_data,
	    ios_pubkey_data_cmd,
	    "LINE...",
	    "Public key data in hexadecimal, ended by quit\n")
{
	struct key_input *input = key_input_find(vty);

	if (!input) {
		key_input_start(vty);
		input = key_input_find(vty);
	}
	for (int i = 0; i < argc; i++) {
		for (const char *c = argv[i]->arg; *c; c++) {
			if (!isxdigit((unsigned char)*c)) {
				/*
				 * In a file a missing quit ends the key-string
				 * at the next command: let the reader try the
				 * line in the parent modes.
				 */
				if (vty->type == VTY_FILE)
					return CMD_ERR_NO_MATCH;
				vty_out(vty,
					"%% Invalid key data '%s': only hex digits; end the key with quit\n",
					argv[i]->arg);
				return CMD_WARNING_CONFIG_FAILED;
			}
			if (input->digits >= IOS_KEYCHAIN_MAX_HEX_DIGITS) {
				vty_out(vty,
					"%% Key data too long: more than %d hex digits\n",
					IOS_KEYCHAIN_MAX_HEX_DIGITS);
				return CMD_WARNING_CONFIG_FAILED;
			}
			input->hex[input->digits++] = toupper((unsigned char)*c);
			input->hex[input->digits] = '\0';
		}
	}
	return CMD_SUCCESS;
}

DEFUN_YANG_NOSH (ios_pubkey_data_quit,
	    ios_pubkey_data_quit_cmd,
	    "quit",
	    EXIT_STR)
{
	int ret = key_input_finish(vty, true);

	cmd_exit(vty);
	return ret;
}

DEFUN_YANG_NOSH (ios_pubkey_data_exit,
	    ios_pubkey_data_exit_cmd,
	    "exit",
	    EXIT_STR)
{
	int ret = key_input_finish(vty, true);

	cmd_exit(vty);
	return ret;
}

DEFUN_YANG_NOSH (ios_pubkey_data_end,
	    ios_pubkey_data_end_cmd,
	    "end",
	    END_STR)
{
	int ret = key_input_finish(vty, true);

	vty_config_exit(vty);
	vty->node = ENABLE_NODE;
	return ret;
}

/*
 * Leaving key-string mode otherwise: reading a file, the key-string ends at
 * the next command that belongs to a parent mode; a closing vty drops it.
 */
static int ios_pubkey_data_node_exit(struct vty *vty)
{
	(void)key_input_finish(vty, vty->type == VTY_FILE);
	return 1;
}

/* ------------------------------------------------------------------ */
/* interface-level commands (interface NAME -> (config-if)#)          */

DEFPY_YANG (ios_interface_ip_address,
	    ios_interface_ip_address_cmd,
	    "ip address A.B.C.D$address A.B.C.D$mask",
	    IP_STR
	    "Set the IP address of an interface\n"
	    "IP address\n"
	    "IP subnet mask\n")
{
	char ifname[IOS_IFNAME_SIZE * 2], xpath[XPATH_MAXLEN];

	if (!cli_interface_name(vty, ifname, sizeof(ifname)))
		return CMD_WARNING_CONFIG_FAILED;
	if (!is_tunnel_name(ifname)) {
		vty_out(vty,
			"%% %s: 'ip address A.B.C.D MASK' is for TunnelN interfaces; use 'ip address %s/%d'\n",
			ifname, address_str, ip_masklen(mask));
		return CMD_WARNING_CONFIG_FAILED;
	}
	snprintf(xpath, sizeof(xpath), IOS_INTERFACE_XPATH "/tunnel/ipv4-address",
		 ifname);
	nb_cli_enqueue_change(vty, xpath, NB_OP_CREATE, NULL);
	cli_enqueue_leaf(vty, xpath, "address", address_str);
	cli_enqueue_leaf(vty, xpath, "netmask", mask_str);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_interface_ip_address,
	    no_ios_interface_ip_address_cmd,
	    "no ip address [A.B.C.D A.B.C.D]",
	    NO_STR
	    IP_STR
	    "Set the IP address of an interface\n"
	    "IP address\n"
	    "IP subnet mask\n")
{
	char ifname[IOS_IFNAME_SIZE * 2];
	int ret;

	if (!cli_interface_name(vty, ifname, sizeof(ifname)))
		return CMD_WARNING_CONFIG_FAILED;
	ret = cli_require_tunnel(vty, ifname);
	if (ret != CMD_SUCCESS)
		return ret;
	return cli_interface_remove(vty, ifname, "/tunnel/ipv4-address");
}

DEFPY_YANG (ios_interface_ip_mtu,
	    ios_interface_ip_mtu_cmd,
	    "ip mtu (68-9976)$mtu",
	    IP_STR
	    "Set IP Maximum Transmission Unit\n"
	    "MTU (bytes)\n")
{
	char ifname[IOS_IFNAME_SIZE * 2], xpath[XPATH_MAXLEN];
	int ret;

	if (!cli_interface_name(vty, ifname, sizeof(ifname)))
		return CMD_WARNING_CONFIG_FAILED;
	ret = cli_require_tunnel(vty, ifname);
	if (ret != CMD_SUCCESS)
		return ret;
	snprintf(xpath, sizeof(xpath), IOS_INTERFACE_XPATH "/tunnel/mtu",
		 ifname);
	nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, mtu_str);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_interface_ip_mtu,
	    no_ios_interface_ip_mtu_cmd,
	    "no ip mtu [(68-9976)]",
	    NO_STR
	    IP_STR
	    "Set IP Maximum Transmission Unit\n"
	    "MTU (bytes)\n")
{
	char ifname[IOS_IFNAME_SIZE * 2];
	int ret;

	if (!cli_interface_name(vty, ifname, sizeof(ifname)))
		return CMD_WARNING_CONFIG_FAILED;
	ret = cli_require_tunnel(vty, ifname);
	if (ret != CMD_SUCCESS)
		return ret;
	return cli_interface_remove(vty, ifname, "/tunnel/mtu");
}

static int cli_tunnel_source(struct vty *vty, const char *leaf,
			     const char *value)
{
	char ifname[IOS_IFNAME_SIZE * 2], xpath[XPATH_MAXLEN];
	int ret;

	if (!cli_interface_name(vty, ifname, sizeof(ifname)))
		return CMD_WARNING_CONFIG_FAILED;
	ret = cli_require_tunnel(vty, ifname);
	if (ret != CMD_SUCCESS)
		return ret;
	/* the two cases of the model's choice replace each other */
	snprintf(xpath, sizeof(xpath), IOS_INTERFACE_XPATH "/tunnel/%s",
		 ifname, leaf);
	nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, value);
	return cli_apply(vty);
}

DEFPY_YANG (ios_interface_tunnel_source_address,
	    ios_interface_tunnel_source_address_cmd,
	    "tunnel source A.B.C.D$addr",
	    TUNNEL_STR
	    "source of tunnel packets\n"
	    "ip address\n")
{
	return cli_tunnel_source(vty, "source-address", addr_str);
}

/*
 * nhrpd has the same two commands ("tunnel source INTERFACE", "no tunnel
 * source", for the same thing: the GRE source of the interface). The
 * command strings are exactly nhrpd's, so that the rebuilt vtysh merges
 * them into one command sent to both daemons, instead of refusing the line
 * as ambiguous.
 */
DEFPY_YANG (ios_interface_tunnel_source_interface,
	    ios_interface_tunnel_source_interface_cmd,
	    "tunnel source INTERFACE",
	    TUNNEL_STR
	    "source of tunnel packets\n"
	    "Interface name\n")
{
	return cli_tunnel_source(vty, "source-interface", interface);
}

DEFPY_YANG (no_ios_interface_tunnel_source,
	    no_ios_interface_tunnel_source_cmd,
	    "no tunnel source",
	    NO_STR
	    TUNNEL_STR
	    "source of tunnel packets\n")
{
	char ifname[IOS_IFNAME_SIZE * 2], xpath[XPATH_MAXLEN];
	int ret;

	if (!cli_interface_name(vty, ifname, sizeof(ifname)))
		return CMD_WARNING_CONFIG_FAILED;
	ret = cli_require_tunnel(vty, ifname);
	if (ret != CMD_SUCCESS)
		return ret;
	snprintf(xpath, sizeof(xpath),
		 IOS_INTERFACE_XPATH "/tunnel/source-address", ifname);
	if (!yang_dnode_exists(vty->candidate_config->dnode, xpath))
		return cli_interface_remove(vty, ifname,
					    "/tunnel/source-interface");
	return cli_interface_remove(vty, ifname, "/tunnel/source-address");
}

DEFPY_YANG (ios_interface_tunnel_destination,
	    ios_interface_tunnel_destination_cmd,
	    "tunnel destination A.B.C.D$destination",
	    TUNNEL_STR
	    "destination of tunnel\n"
	    "ip address\n")
{
	char ifname[IOS_IFNAME_SIZE * 2], xpath[XPATH_MAXLEN];
	int ret;

	if (!cli_interface_name(vty, ifname, sizeof(ifname)))
		return CMD_WARNING_CONFIG_FAILED;
	ret = cli_require_tunnel(vty, ifname);
	if (ret != CMD_SUCCESS)
		return ret;
	snprintf(xpath, sizeof(xpath), IOS_INTERFACE_XPATH "/tunnel/destination",
		 ifname);
	nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, destination_str);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_interface_tunnel_destination,
	    no_ios_interface_tunnel_destination_cmd,
	    "no tunnel destination [A.B.C.D]",
	    NO_STR
	    TUNNEL_STR
	    "destination of tunnel\n"
	    "ip address\n")
{
	char ifname[IOS_IFNAME_SIZE * 2];
	int ret;

	if (!cli_interface_name(vty, ifname, sizeof(ifname)))
		return CMD_WARNING_CONFIG_FAILED;
	ret = cli_require_tunnel(vty, ifname);
	if (ret != CMD_SUCCESS)
		return ret;
	return cli_interface_remove(vty, ifname, "/tunnel/destination");
}

DEFPY_YANG (ios_interface_tunnel_mode,
	    ios_interface_tunnel_mode_cmd,
	    "[no] tunnel mode gre ip",
	    NO_STR
	    TUNNEL_STR
	    "tunnel encapsulation method\n"
	    "generic route encapsulation protocol\n"
	    "over IP\n")
{
	char ifname[IOS_IFNAME_SIZE * 2], xpath[XPATH_MAXLEN];
	int ret;

	if (!cli_interface_name(vty, ifname, sizeof(ifname)))
		return CMD_WARNING_CONFIG_FAILED;
	ret = cli_require_tunnel(vty, ifname);
	if (ret != CMD_SUCCESS)
		return ret;
	/* gre ip is the default and only mode: nothing to store */
	snprintf(xpath, sizeof(xpath), IOS_INTERFACE_XPATH, ifname);
	if (no || !yang_dnode_exists(vty->candidate_config->dnode, xpath))
		return CMD_SUCCESS;
	snprintf(xpath, sizeof(xpath), IOS_INTERFACE_XPATH "/tunnel/mode",
		 ifname);
	nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, "gre-ip");
	return cli_apply(vty);
}

DEFPY_YANG (ios_interface_crypto_map,
	    ios_interface_crypto_map_cmd,
	    "crypto map WORD$name",
	    CRYPTO_STR
	    "Assign a Crypto Map\n"
	    CRYPTO_MAP_NAME_STR)
{
	char ifname[IOS_IFNAME_SIZE * 2], xpath[XPATH_MAXLEN];

	if (!cli_interface_name(vty, ifname, sizeof(ifname)))
		return CMD_WARNING_CONFIG_FAILED;
	snprintf(xpath, sizeof(xpath), IOS_INTERFACE_XPATH "/crypto-map",
		 ifname);
	nb_cli_enqueue_change(vty, xpath, NB_OP_MODIFY, name);
	return cli_apply(vty);
}

DEFPY_YANG (no_ios_interface_crypto_map,
	    no_ios_interface_crypto_map_cmd,
	    "no crypto map [WORD]",
	    NO_STR
	    CRYPTO_STR
	    "Assign a Crypto Map\n"
	    CRYPTO_MAP_NAME_STR)
{
	char ifname[IOS_IFNAME_SIZE * 2];

	if (!cli_interface_name(vty, ifname, sizeof(ifname)))
		return CMD_WARNING_CONFIG_FAILED;
	return cli_interface_remove(vty, ifname, "/crypto-map");
}

/* ------------------------------------------------------------------ */
/* running-config printers, IOS form                                  */

void cli_show_ios_section_end(struct vty *vty, const struct lyd_node *dnode)
{
	vty_out(vty, "!\n");
}

void cli_show_ios_isakmp_end(struct vty *vty, const struct lyd_node *dnode)
{
	vty_out(vty, "!\n");
}

void cli_show_ios_isakmp_policy(struct vty *vty, const struct lyd_node *dnode,
				bool show_defaults)
{
	vty_out(vty, "crypto isakmp policy %u\n",
		yang_dnode_get_uint16(dnode, "./priority"));
}

int cli_cmp_ios_isakmp_policy(const struct lyd_node *dnode1,
			      const struct lyd_node *dnode2)
{
	return numcmp(yang_dnode_get_uint16(dnode1, "./priority"),
		      yang_dnode_get_uint16(dnode2, "./priority"));
}

void cli_show_ios_isakmp_policy_authentication(struct vty *vty,
					       const struct lyd_node *dnode,
					       bool show_defaults)
{
	const char *value = yang_dnode_get_string(dnode, NULL);

	if (strmatch(value, "rsa-encr-revised"))
		value = "rsa-encr revised";
	vty_out(vty, " authentication %s\n", value);
}

void cli_show_ios_isakmp_policy_encryption(struct vty *vty,
					   const struct lyd_node *dnode,
					   bool show_defaults)
{
	const char *value = yang_dnode_get_string(dnode, NULL);

	if (strmatch(value, "aes-128"))
		value = "aes";
	else if (strmatch(value, "aes-192"))
		value = "aes 192";
	else if (strmatch(value, "aes-256"))
		value = "aes 256";
	vty_out(vty, " encryption %s\n", value);
}

void cli_show_ios_isakmp_policy_hash(struct vty *vty,
				     const struct lyd_node *dnode,
				     bool show_defaults)
{
	vty_out(vty, " hash %s\n", yang_dnode_get_string(dnode, NULL));
}

void cli_show_ios_isakmp_policy_group(struct vty *vty,
				      const struct lyd_node *dnode,
				      bool show_defaults)
{
	vty_out(vty, " group %u\n", yang_dnode_get_uint8(dnode, NULL));
}

void cli_show_ios_isakmp_policy_lifetime(struct vty *vty,
					 const struct lyd_node *dnode,
					 bool show_defaults)
{
	vty_out(vty, " lifetime %u\n", yang_dnode_get_uint32(dnode, NULL));
}

/* the secret in clear, as IOS prints it without password encryption */
void cli_show_ios_isakmp_key(struct vty *vty, const struct lyd_node *dnode,
			     bool show_defaults)
{
	vty_out(vty, "crypto isakmp key %s address %s",
		yang_dnode_get_string(dnode, "./key-string"),
		yang_dnode_get_string(dnode, "./address"));
	if (show_defaults || !yang_dnode_is_default(dnode, "./mask"))
		vty_out(vty, " %s", yang_dnode_get_string(dnode, "./mask"));
	vty_out(vty, "\n");
}

int cli_cmp_ios_isakmp_key(const struct lyd_node *dnode1,
			   const struct lyd_node *dnode2)
{
	struct in_addr a, b;

	yang_dnode_get_ipv4(&a, dnode1, "./address");
	yang_dnode_get_ipv4(&b, dnode2, "./address");
	return numcmp(ntohl(a.s_addr), ntohl(b.s_addr));
}

void cli_show_ios_isakmp_enable(struct vty *vty, const struct lyd_node *dnode,
				bool show_defaults)
{
	if (!yang_dnode_get_bool(dnode, NULL))
		vty_out(vty, "no ");
	vty_out(vty, "crypto isakmp enable\n");
}

void cli_show_ios_domain_name(struct vty *vty, const struct lyd_node *dnode,
			      bool show_defaults)
{
	vty_out(vty, "ip domain name %s\n", yang_dnode_get_string(dnode, NULL));
}

void cli_show_ios_isakmp_identity(struct vty *vty,
				  const struct lyd_node *dnode,
				  bool show_defaults)
{
	vty_out(vty, "crypto isakmp identity %s\n",
		yang_dnode_get_string(dnode, NULL));
}

void cli_show_ios_isakmp_keepalive(struct vty *vty,
				   const struct lyd_node *dnode,
				   bool show_defaults)
{
	vty_out(vty, "crypto isakmp keepalive %u",
		yang_dnode_get_uint16(dnode, "./seconds"));
	if (show_defaults || !yang_dnode_is_default(dnode, "./retry"))
		vty_out(vty, " %u", yang_dnode_get_uint16(dnode, "./retry"));
	vty_out(vty, "\n");
}

void cli_show_ios_transform_set(struct vty *vty, const struct lyd_node *dnode,
				bool show_defaults)
{
	const char *cipher = yang_dnode_get_string(dnode, "./esp-encryption");

	if (strmatch(cipher, "esp-aes-128"))
		cipher = "esp-aes";
	else if (strmatch(cipher, "esp-aes-192"))
		cipher = "esp-aes 192";
	else if (strmatch(cipher, "esp-aes-256"))
		cipher = "esp-aes 256";
	vty_out(vty, "crypto ipsec transform-set %s %s %s\n",
		yang_dnode_get_string(dnode, "./name"), cipher,
		yang_dnode_get_string(dnode, "./esp-integrity"));
}

int cli_cmp_ios_transform_set(const struct lyd_node *dnode1,
			      const struct lyd_node *dnode2)
{
	return strcmp(yang_dnode_get_string(dnode1, "./name"),
		      yang_dnode_get_string(dnode2, "./name"));
}

void cli_show_ios_transform_set_mode(struct vty *vty,
				     const struct lyd_node *dnode,
				     bool show_defaults)
{
	vty_out(vty, " mode %s\n", yang_dnode_get_string(dnode, NULL));
}

void cli_show_ios_map(struct vty *vty, const struct lyd_node *dnode,
		      bool show_defaults)
{
	vty_out(vty, "crypto map %s %u ipsec-isakmp\n",
		yang_dnode_get_string(dnode, "./name"),
		yang_dnode_get_uint16(dnode, "./sequence"));
}

int cli_cmp_ios_map(const struct lyd_node *dnode1,
		    const struct lyd_node *dnode2)
{
	int ret = strcmp(yang_dnode_get_string(dnode1, "./name"),
			 yang_dnode_get_string(dnode2, "./name"));

	if (ret)
		return ret;
	return numcmp(yang_dnode_get_uint16(dnode1, "./sequence"),
		      yang_dnode_get_uint16(dnode2, "./sequence"));
}

void cli_show_ios_map_peer(struct vty *vty, const struct lyd_node *dnode,
			   bool show_defaults)
{
	vty_out(vty, " set peer %s\n", yang_dnode_get_string(dnode, NULL));
}

void cli_show_ios_map_transform_set(struct vty *vty,
				    const struct lyd_node *dnode,
				    bool show_defaults)
{
	vty_out(vty, " set transform-set %s\n",
		yang_dnode_get_string(dnode, NULL));
}

void cli_show_ios_map_match_address(struct vty *vty,
				    const struct lyd_node *dnode,
				    bool show_defaults)
{
	vty_out(vty, " match address %s\n", yang_dnode_get_string(dnode, NULL));
}

void cli_show_ios_pubkey_chain(struct vty *vty, const struct lyd_node *dnode,
			       bool show_defaults)
{
	vty_out(vty, "crypto key pubkey-chain rsa\n");
}

void cli_show_ios_pubkey(struct vty *vty, const struct lyd_node *dnode,
			 bool show_defaults)
{
	bool named = strmatch(dnode->schema->name, "named-key");
	const char *usage = yang_dnode_get_string(dnode, "./usage");

	vty_out(vty, " %s %s%s%s\n", named ? "named-key" : "addressed-key",
		yang_dnode_get_string(dnode, named ? "./name" : "./key-address"),
		strmatch(usage, "general") ? "" : " ",
		strmatch(usage, "general") ? "" : usage);
}

int cli_cmp_ios_pubkey(const struct lyd_node *dnode1,
		       const struct lyd_node *dnode2)
{
	const char *key = strmatch(dnode1->schema->name, "named-key")
				  ? "./name"
				  : "./key-address";
	int ret = strcmp(yang_dnode_get_string(dnode1, key),
			 yang_dnode_get_string(dnode2, key));

	if (ret)
		return ret;
	return strcmp(yang_dnode_get_string(dnode1, "./usage"),
		      yang_dnode_get_string(dnode2, "./usage"));
}

void cli_show_ios_pubkey_address(struct vty *vty, const struct lyd_node *dnode,
				 bool show_defaults)
{
	vty_out(vty, "  address %s\n", yang_dnode_get_string(dnode, NULL));
}

void cli_show_ios_pubkey_serial_number(struct vty *vty,
				       const struct lyd_node *dnode,
				       bool show_defaults)
{
	vty_out(vty, "  serial-number %s\n",
		yang_dnode_get_string(dnode, NULL));
}

/* as IOS shows it: groups of 8 digits, 8 groups per line */
void cli_show_ios_pubkey_key_string(struct vty *vty,
				    const struct lyd_node *dnode,
				    bool show_defaults)
{
	const char *hex = yang_dnode_get_string(dnode, NULL);
	size_t len = strlen(hex) / 2;
	uint8_t *der = XMALLOC(MTYPE_TMP, len ? len : 1);
	char *text;

	for (size_t i = 0; i < len; i++) {
		char byte[3] = { hex[2 * i], hex[2 * i + 1], '\0' };

		der[i] = strtoul(byte, NULL, 16);
	}
	text = ios_keychain_format_hex(der, len);
	XFREE(MTYPE_TMP, der);
	vty_out(vty, "  key-string\n%s  quit\n", text ? text : "");
	free(text);
}

void cli_show_ios_interface(struct vty *vty, const struct lyd_node *dnode,
			    bool show_defaults)
{
	vty_out(vty, "interface %s\n", yang_dnode_get_string(dnode, "./name"));
}

void cli_show_ios_interface_end(struct vty *vty, const struct lyd_node *dnode)
{
	vty_out(vty, "exit\n!\n");
}

int cli_cmp_ios_interface(const struct lyd_node *dnode1,
			  const struct lyd_node *dnode2)
{
	return if_cmp_name_func(yang_dnode_get_string(dnode1, "./name"),
				yang_dnode_get_string(dnode2, "./name"));
}

void cli_show_ios_interface_crypto_map(struct vty *vty,
				       const struct lyd_node *dnode,
				       bool show_defaults)
{
	vty_out(vty, " crypto map %s\n", yang_dnode_get_string(dnode, NULL));
}

void cli_show_ios_tunnel_ipv4_address(struct vty *vty,
				      const struct lyd_node *dnode,
				      bool show_defaults)
{
	vty_out(vty, " ip address %s %s\n",
		yang_dnode_get_string(dnode, "./address"),
		yang_dnode_get_string(dnode, "./netmask"));
}

void cli_show_ios_tunnel_mtu(struct vty *vty, const struct lyd_node *dnode,
			     bool show_defaults)
{
	vty_out(vty, " ip mtu %u\n", yang_dnode_get_uint16(dnode, NULL));
}

void cli_show_ios_tunnel_source(struct vty *vty, const struct lyd_node *dnode,
				bool show_defaults)
{
	vty_out(vty, " tunnel source %s\n", yang_dnode_get_string(dnode, NULL));
}

void cli_show_ios_tunnel_destination(struct vty *vty,
				     const struct lyd_node *dnode,
				     bool show_defaults)
{
	vty_out(vty, " tunnel destination %s\n",
		yang_dnode_get_string(dnode, NULL));
}

int cli_cmp_ios_acl(const struct lyd_node *dnode1,
		    const struct lyd_node *dnode2)
{
	return numcmp(yang_dnode_get_uint16(dnode1, "./number"),
		      yang_dnode_get_uint16(dnode2, "./number"));
}

void cli_show_ios_acl_entry(struct vty *vty, const struct lyd_node *dnode,
			    bool show_defaults)
{
	vty_out(vty, "access-list %u %s gre host %s host %s\n",
		yang_dnode_get_uint16(lyd_parent(dnode), "./number"),
		yang_dnode_get_string(dnode, "./action"),
		yang_dnode_get_string(dnode, "./source-host"),
		yang_dnode_get_string(dnode, "./destination-host"));
}

int cli_cmp_ios_acl_entry(const struct lyd_node *dnode1,
			  const struct lyd_node *dnode2)
{
	return numcmp(yang_dnode_get_uint32(dnode1, "./sequence"),
		      yang_dnode_get_uint32(dnode2, "./sequence"));
}

/*
 * The whole model in one piece, after FRR's own sections: crypto first
 * (the interfaces refer to crypto maps), then the interface-level lines
 * in "interface NAME" blocks of their own (vtysh merges them with zebra's
 * block of the same interface), then the access lists, as IOS orders them.
 */
static int ios_crypto_config_write(struct vty *vty)
{
	const struct lyd_node *dnode;

	dnode = yang_dnode_get(running_config->dnode, IOS_XPATH);
	if (!dnode || yang_dnode_is_default_recursive(dnode))
		return 0;
	nb_cli_show_dnode_cmds(vty, dnode, false);
	return 1;
}

/* ------------------------------------------------------------------ */
/* nodes                                                              */

static struct cmd_node ios_isakmp_node = {
	.name = "crypto isakmp policy",
	.node = IOS_ISAKMP_NODE,
	.parent_node = CONFIG_NODE,
	.prompt = "%s(config-isakmp)# ",
	.config_write = ios_crypto_config_write,
};

static struct cmd_node ios_transform_set_node = {
	.name = "crypto ipsec transform-set",
	.node = IOS_TRANSFORM_SET_NODE,
	.parent_node = CONFIG_NODE,
	.prompt = "%s(cfg-crypto-trans)# ",
};

static struct cmd_node ios_crypto_map_node = {
	.name = "crypto map",
	.node = IOS_CRYPTO_MAP_NODE,
	.parent_node = CONFIG_NODE,
	.prompt = "%s(config-crypto-map)# ",
};

static struct cmd_node ios_pubkey_chain_node = {
	.name = "crypto key pubkey-chain rsa",
	.node = IOS_PUBKEY_CHAIN_NODE,
	.parent_node = CONFIG_NODE,
	.prompt = "%s(config-pubkey-chain)# ",
};

static struct cmd_node ios_pubkey_key_node = {
	.name = "pubkey-chain key",
	.node = IOS_PUBKEY_KEY_NODE,
	.parent_node = IOS_PUBKEY_CHAIN_NODE,
	.prompt = "%s(config-pubkey-key)# ",
};

/* key-string keeps the key's xpath: it has none of its own */
static struct cmd_node ios_pubkey_data_node = {
	.name = "pubkey-chain key-string",
	.node = IOS_PUBKEY_DATA_NODE,
	.parent_node = IOS_PUBKEY_KEY_NODE,
	.prompt = "%s(config-pubkey)# ",
	.no_xpath = true,
	.node_exit = ios_pubkey_data_node_exit,
};

/*
 * Leaving a sub-mode. FRR's "exit" and "quit" (install_default) are plain
 * commands, and before a plain command a vty that batches its commands
 * (XFRR_start_configuration: vtysh -b and -f) commits what it has pending:
 * one commit, that is one validation of the whole candidate, per crypto
 * map, isakmp policy, transform set, key or interface stanza. Nothing
 * needs it: the next stanza's commands edit the candidate as well, and a
 * plain command after them commits first anyway. These are YANG commands,
 * so the batch goes on; typed in a terminal, every command has committed
 * already and they do the same as FRR's.
 */
DEFUN_YANG_NOSH (ios_node_exit,
		 ios_node_exit_cmd,
		 "exit",
		 EXIT_STR)
{
	cmd_exit(vty);
	return CMD_SUCCESS;
}

DEFUN_YANG_NOSH (ios_node_quit,
		 ios_node_quit_cmd,
		 "quit",
		 EXIT_STR)
{
	cmd_exit(vty);
	return CMD_SUCCESS;
}

/* FRR's exit and quit in a node replaced by the ones above */
static void install_batching_exit(enum node_type node)
{
	struct cmd_node *cnode = vector_lookup(cmdvec, node);

	for (unsigned int i = 0; i < vector_active(cnode->cmd_vector); i++) {
		const struct cmd_element *cmd =
			vector_slot(cnode->cmd_vector, i);

		if (cmd && (strcmp(cmd->string, "exit") == 0 ||
			    strcmp(cmd->string, "quit") == 0))
			uninstall_element(node, cmd);
	}
	_install_element(node, &ios_node_exit_cmd);
	_install_element(node, &ios_node_quit_cmd);
}

static void install_default_batching(enum node_type node)
{
	install_default(node);
	install_batching_exit(node);
}

_Static_assert(IOS_NODE_FIRST > NODE_TYPE_MAX,
	       "IOS CLI node numbers collide with FRR's");

void ios_crypto_cli_init(void)
{
	key_inputs_init(&key_inputs);

	install_node(&ios_isakmp_node);
	install_node(&ios_transform_set_node);
	install_node(&ios_crypto_map_node);
	install_node(&ios_pubkey_chain_node);
	install_node(&ios_pubkey_key_node);
	install_node(&ios_pubkey_data_node);
	install_default_batching(IOS_ISAKMP_NODE);
	install_default_batching(IOS_TRANSFORM_SET_NODE);
	install_default_batching(IOS_CRYPTO_MAP_NODE);
	install_default_batching(IOS_PUBKEY_CHAIN_NODE);
	install_default_batching(IOS_PUBKEY_KEY_NODE);
	/*
	 * (config-if)# too: "interface NAME" commits (FRR's legacy interface
	 * commands need the interface to exist), its exit need not, so a
	 * file's tunnel costs one commit instead of two.
	 */
	install_batching_exit(INTERFACE_NODE);
	/* no defaults in key-string mode: every line but quit is key data */

	install_element(CONFIG_NODE, &ios_crypto_isakmp_policy_cmd);
	install_element(CONFIG_NODE, &no_ios_crypto_isakmp_policy_cmd);
	install_element(CONFIG_NODE, &ios_crypto_isakmp_enable_cmd);
	install_element(CONFIG_NODE, &ios_crypto_isakmp_key_cmd);
	install_element(CONFIG_NODE, &no_ios_crypto_isakmp_key_cmd);
	install_element(CONFIG_NODE, &ios_ip_domain_name_cmd);
	install_element(CONFIG_NODE, &ios_ip_domain_dash_name_cmd);
	install_element(CONFIG_NODE, &no_ios_ip_domain_name_cmd);
	install_element(CONFIG_NODE, &ios_crypto_isakmp_identity_cmd);
	install_element(CONFIG_NODE, &no_ios_crypto_isakmp_identity_cmd);
	install_element(CONFIG_NODE, &ios_crypto_isakmp_keepalive_cmd);
	install_element(CONFIG_NODE, &no_ios_crypto_isakmp_keepalive_cmd);
	install_element(CONFIG_NODE, &ios_crypto_ipsec_transform_set_cmd);
	install_element(CONFIG_NODE, &no_ios_crypto_ipsec_transform_set_cmd);
	install_element(CONFIG_NODE, &ios_crypto_map_cmd);
	install_element(CONFIG_NODE, &no_ios_crypto_map_cmd);
	install_element(CONFIG_NODE, &ios_crypto_key_pubkey_chain_cmd);
	install_element(CONFIG_NODE, &ios_access_list_gre_cmd);
	install_element(CONFIG_NODE, &no_ios_access_list_cmd);
	install_element(CONFIG_NODE, &no_ios_access_list_gre_cmd);

	install_element(IOS_ISAKMP_NODE, &ios_isakmp_authentication_cmd);
	install_element(IOS_ISAKMP_NODE, &no_ios_isakmp_authentication_cmd);
	install_element(IOS_ISAKMP_NODE, &ios_isakmp_encryption_cmd);
	install_element(IOS_ISAKMP_NODE, &no_ios_isakmp_encryption_cmd);
	install_element(IOS_ISAKMP_NODE, &ios_isakmp_hash_cmd);
	install_element(IOS_ISAKMP_NODE, &no_ios_isakmp_hash_cmd);
	install_element(IOS_ISAKMP_NODE, &ios_isakmp_group_cmd);
	install_element(IOS_ISAKMP_NODE, &no_ios_isakmp_group_cmd);
	install_element(IOS_ISAKMP_NODE, &ios_isakmp_lifetime_cmd);
	install_element(IOS_ISAKMP_NODE, &no_ios_isakmp_lifetime_cmd);

	install_element(IOS_TRANSFORM_SET_NODE, &ios_transform_set_mode_cmd);
	install_element(IOS_TRANSFORM_SET_NODE, &no_ios_transform_set_mode_cmd);

	install_element(IOS_CRYPTO_MAP_NODE, &ios_map_set_peer_cmd);
	install_element(IOS_CRYPTO_MAP_NODE, &no_ios_map_set_peer_cmd);
	install_element(IOS_CRYPTO_MAP_NODE, &ios_map_set_transform_set_cmd);
	install_element(IOS_CRYPTO_MAP_NODE, &no_ios_map_set_transform_set_cmd);
	install_element(IOS_CRYPTO_MAP_NODE, &ios_map_match_address_cmd);
	install_element(IOS_CRYPTO_MAP_NODE, &no_ios_map_match_address_cmd);

	install_element(IOS_PUBKEY_CHAIN_NODE, &ios_named_key_cmd);
	install_element(IOS_PUBKEY_CHAIN_NODE, &ios_addressed_key_cmd);
	install_element(IOS_PUBKEY_CHAIN_NODE, &no_ios_named_key_cmd);
	install_element(IOS_PUBKEY_CHAIN_NODE, &no_ios_addressed_key_cmd);

	install_element(IOS_PUBKEY_KEY_NODE, &ios_pubkey_address_cmd);
	install_element(IOS_PUBKEY_KEY_NODE, &ios_pubkey_serial_number_cmd);
	install_element(IOS_PUBKEY_KEY_NODE, &no_ios_pubkey_serial_number_cmd);
	install_element(IOS_PUBKEY_KEY_NODE, &ios_pubkey_key_string_cmd);
	install_element(IOS_PUBKEY_KEY_NODE, &no_ios_pubkey_key_string_cmd);

	install_element(IOS_PUBKEY_DATA_NODE, &ios_pubkey_data_cmd);
	install_element(IOS_PUBKEY_DATA_NODE, &ios_pubkey_data_quit_cmd);
	install_element(IOS_PUBKEY_DATA_NODE, &ios_pubkey_data_exit_cmd);
	install_element(IOS_PUBKEY_DATA_NODE, &ios_pubkey_data_end_cmd);

	install_element(INTERFACE_NODE, &ios_interface_ip_address_cmd);
	install_element(INTERFACE_NODE, &no_ios_interface_ip_address_cmd);
	install_element(INTERFACE_NODE, &ios_interface_ip_mtu_cmd);
	install_element(INTERFACE_NODE, &no_ios_interface_ip_mtu_cmd);
	install_element(INTERFACE_NODE,
			&ios_interface_tunnel_source_address_cmd);
	install_element(INTERFACE_NODE,
			&ios_interface_tunnel_source_interface_cmd);
	install_element(INTERFACE_NODE, &no_ios_interface_tunnel_source_cmd);
	install_element(INTERFACE_NODE, &ios_interface_tunnel_destination_cmd);
	install_element(INTERFACE_NODE,
			&no_ios_interface_tunnel_destination_cmd);
	install_element(INTERFACE_NODE, &ios_interface_tunnel_mode_cmd);
	install_element(INTERFACE_NODE, &ios_interface_crypto_map_cmd);
	install_element(INTERFACE_NODE, &no_ios_interface_crypto_map_cmd);
}

void ios_crypto_cli_fini(void)
{
	struct key_input *input;

	while ((input = key_inputs_pop(&key_inputs)))
		XFREE(MTYPE_IOS_KEY_INPUT, input);
	key_inputs_fini(&key_inputs);
}
