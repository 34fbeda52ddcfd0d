// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtysh side of the ios-ipsec-suite zebra module: the IOS sub-modes
 * ((config-isakmp)#, (cfg-crypto-trans)#, (config-crypto-map)#,
 * (config-pubkey-chain)#, (config-pubkey-key)#, (config-pubkey)#).
 *
 * vtysh keeps its own copy of every command; scripts/build-vtysh generates
 * the copies of the module's commands with FRR's vtysh/extract.pl (they
 * are sent to zebra). What extract.pl cannot know is which commands enter
 * a sub-mode, and the sub-modes themselves: that is this file. It is
 * compiled into the rebuilt vtysh without changing any FRR file: the link
 * wraps vtysh_init_cmd() (ld --wrap), so that the nodes and the commands
 * below are installed before the generated ones.
 *
 * As in FRR's own daemons (ripd's "router rip"), the module defines the
 * commands that change the mode with the _NOSH variants of DEFPY/DEFUN, so
 * that extract.pl leaves them out and vtysh has only the copies below,
 * which change vtysh's mode as well and send the line to zebra. Their
 * command strings are those of ios_crypto_cli.c, so that vtysh accepts
 * what zebra accepts (tests/integration/test_frr_vtysh.py checks them).
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include "command.h"

#include "vtysh/vtysh.h"

#include "ios_crypto_cli_help.h"
#include "ios_crypto_nodes.h"

static struct cmd_node ios_isakmp_node = {
	.name = "crypto isakmp policy",
	.node = IOS_ISAKMP_NODE,
	.parent_node = CONFIG_NODE,
	.prompt = "%s(config-isakmp)# ",
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

static struct cmd_node ios_pubkey_data_node = {
	.name = "pubkey-chain key-string",
	.node = IOS_PUBKEY_DATA_NODE,
	.parent_node = IOS_PUBKEY_KEY_NODE,
	.prompt = "%s(config-pubkey)# ",
};

/* commands that enter a sub-mode: sent to zebra, and vtysh follows */

DEFUNSH(VTYSH_ZEBRA, ios_vtysh_isakmp_policy, ios_vtysh_isakmp_policy_cmd,
	"crypto isakmp policy (1-10000)$priority",
	CRYPTO_STR
	ISAKMP_STR
	ISAKMP_POLICY_STR
	ISAKMP_PRIORITY_STR)
{
	vty->node = IOS_ISAKMP_NODE;
	return CMD_SUCCESS;
}

DEFUNSH(VTYSH_ZEBRA, ios_vtysh_transform_set, ios_vtysh_transform_set_cmd,
	"crypto ipsec transform-set WORD$name <esp-des$des|esp-3des$tdes|esp-aes$aes [<128|192|256>$bits]> <esp-sha-hmac|esp-md5-hmac>$integrity",
	CRYPTO_STR
	IPSEC_STR
	TRANSFORM_SET_STR
	TRANSFORM_SET_NAME_STR
	TRANSFORM_SET_CIPHERS_STR)
{
	vty->node = IOS_TRANSFORM_SET_NODE;
	return CMD_SUCCESS;
}

DEFUNSH(VTYSH_ZEBRA, ios_vtysh_crypto_map, ios_vtysh_crypto_map_cmd,
	"crypto map WORD$name (1-65535)$seq [ipsec-isakmp]",
	CRYPTO_STR
	CRYPTO_MAP_STR
	CRYPTO_MAP_NAME_STR
	CRYPTO_MAP_SEQ_STR
	CRYPTO_MAP_ISAKMP_STR)
{
	vty->node = IOS_CRYPTO_MAP_NODE;
	return CMD_SUCCESS;
}

DEFUNSH(VTYSH_ZEBRA, ios_vtysh_pubkey_chain, ios_vtysh_pubkey_chain_cmd,
	"crypto key pubkey-chain rsa",
	CRYPTO_STR
	PUBKEY_CHAIN_STR)
{
	vty->node = IOS_PUBKEY_CHAIN_NODE;
	return CMD_SUCCESS;
}

DEFUNSH(VTYSH_ZEBRA, ios_vtysh_named_key, ios_vtysh_named_key_cmd,
	"named-key WORD$name [<encryption|signature>$usage]",
	NAMED_KEY_STR
	KEY_USAGE_STR)
{
	vty->node = IOS_PUBKEY_KEY_NODE;
	return CMD_SUCCESS;
}

DEFUNSH(VTYSH_ZEBRA, ios_vtysh_addressed_key, ios_vtysh_addressed_key_cmd,
	"addressed-key <A.B.C.D$addr4|X:X::X:X$addr6> [<encryption|signature>$usage]",
	ADDRESSED_KEY_STR
	KEY_USAGE_STR)
{
	vty->node = IOS_PUBKEY_KEY_NODE;
	return CMD_SUCCESS;
}

DEFUNSH(VTYSH_ZEBRA, ios_vtysh_key_string, ios_vtysh_key_string_cmd,
	"key-string",
	KEY_STRING_STR)
{
	vty->node = IOS_PUBKEY_DATA_NODE;
	return CMD_SUCCESS;
}

/*
 * "no access-list 100-199" removes the whole list, in zebra also the
 * suite's GRE entries; it goes to every daemon with access lists, which
 * take it as FRR's "no access-list WORD" (a range would otherwise win
 * over FRR's word in vtysh and send the line to zebra only).
 */
DEFSH(VTYSH_ACL, ios_vtysh_no_access_list_cmd,
      "no access-list (100-199)$number",
      NO_STR
      ACL_STR
      ACL_NUMBER_STR)

/* leaving the sub-modes: zebra leaves its node as well */

DEFUNSH(VTYSH_ZEBRA, ios_vtysh_exit, ios_vtysh_exit_cmd,
	"exit",
	EXIT_STR)
{
	struct cmd_node *cnode = vector_lookup(cmdvec, vty->node);

	if (cnode && cnode->parent_node)
		vty->node = cnode->parent_node;
	return CMD_SUCCESS;
}

DEFUNSH(VTYSH_ZEBRA, ios_vtysh_quit, ios_vtysh_quit_cmd,
	"quit",
	EXIT_STR)
{
	return ios_vtysh_exit(self, vty, argc, argv);
}

/* all daemons: the other daemons are in CONFIG_NODE and leave it too */
DEFUNSH(VTYSH_REALLYALL, ios_vtysh_end, ios_vtysh_end_cmd,
	"end",
	END_STR)
{
	vty->node = ENABLE_NODE;
	return CMD_SUCCESS;
}

/* install_element() needs a constant node: it records it at compile time */
#define INSTALL_LEAVING_COMMANDS(node)                                         \
	do {                                                                   \
		install_element(node, &ios_vtysh_exit_cmd);                    \
		install_element(node, &ios_vtysh_quit_cmd);                    \
		install_element(node, &ios_vtysh_end_cmd);                     \
	} while (0)

static void ios_crypto_vtysh_init(void)
{
	install_node(&ios_isakmp_node);
	install_node(&ios_transform_set_node);
	install_node(&ios_crypto_map_node);
	install_node(&ios_pubkey_chain_node);
	install_node(&ios_pubkey_key_node);
	install_node(&ios_pubkey_data_node);

	install_element(CONFIG_NODE, &ios_vtysh_isakmp_policy_cmd);
	install_element(CONFIG_NODE, &ios_vtysh_transform_set_cmd);
	install_element(CONFIG_NODE, &ios_vtysh_crypto_map_cmd);
	install_element(CONFIG_NODE, &ios_vtysh_pubkey_chain_cmd);
	install_element(CONFIG_NODE, &ios_vtysh_no_access_list_cmd);
	install_element(IOS_PUBKEY_CHAIN_NODE, &ios_vtysh_named_key_cmd);
	install_element(IOS_PUBKEY_CHAIN_NODE, &ios_vtysh_addressed_key_cmd);
	install_element(IOS_PUBKEY_KEY_NODE, &ios_vtysh_key_string_cmd);

	INSTALL_LEAVING_COMMANDS(IOS_ISAKMP_NODE);
	INSTALL_LEAVING_COMMANDS(IOS_TRANSFORM_SET_NODE);
	INSTALL_LEAVING_COMMANDS(IOS_CRYPTO_MAP_NODE);
	INSTALL_LEAVING_COMMANDS(IOS_PUBKEY_CHAIN_NODE);
	INSTALL_LEAVING_COMMANDS(IOS_PUBKEY_KEY_NODE);
	INSTALL_LEAVING_COMMANDS(IOS_PUBKEY_DATA_NODE);
}

/* the generated vtysh_init_cmd(), which the link renames (ld --wrap) */
void __real_vtysh_init_cmd(void);
void __wrap_vtysh_init_cmd(void);

void __wrap_vtysh_init_cmd(void)
{
	ios_crypto_vtysh_init();
	__real_vtysh_init_cmd();
}
