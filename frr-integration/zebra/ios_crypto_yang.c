// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ios-ipsec-suite YANG model in zebra: loaded from a module, late.
 *
 * nb_init() only loads the YANG modules compiled into the daemon and runs
 * before modules could add theirs to the list; it is also over when a
 * module's frr_late_init hook runs. So this file does for one module what
 * nb_init() does for the daemon's own: load the model (embedded into the
 * module by FRR's yang/embedmodel.py), give each schema node its
 * northbound node and callbacks, validate them, and make the datastores
 * know the model's top container.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include "lib_errors.h"
#include "libfrr.h"
#include "log.h"
#include "northbound.h"
#include "northbound_cli.h"
#include "yang.h"

#include "ios_crypto_config.h"
#include "ios_crypto_nb.h"

/*
 * Our northbound nodes are freed by us, in frr_fini before nb_terminate(),
 * which would otherwise free them as libfrr's own "Northbound Node" type
 * (and its memory statistics would go negative).
 */
DEFINE_MTYPE_STATIC(IOS_CRYPTO, IOS_NB_NODE, "Northbound node (ios-ipsec-suite)");

static const struct lys_module *ios_module;

static int snode_not_config_only(const struct lysc_node *snode, void *arg)
{
	bool *config_only = arg;

	if (CHECK_FLAG(snode->flags, LYS_CONFIG_R)) {
		*config_only = false;
		return YANG_ITER_STOP;
	}
	return YANG_ITER_CONTINUE;
}

/* what nb_init() gives every schema node of the daemon's own models */
static int ios_nb_node_new(const struct lysc_node *snode, void *arg)
{
	struct nb_node *nb_node;
	struct lysc_node *sparent;

	if (snode->priv) {
		flog_err(EC_LIB_NB_CB_CONFIG_VALIDATE,
			 "%s: schema node %s has a northbound node already",
			 __func__, snode->name);
		return YANG_ITER_STOP;
	}

	nb_node = XCALLOC(MTYPE_IOS_NB_NODE, sizeof(*nb_node));
	yang_snode_get_path(snode, YANG_PATH_DATA, nb_node->xpath,
			    sizeof(nb_node->xpath));
	nb_node->priority = NB_DFLT_PRIORITY;
	sparent = yang_snode_real_parent(snode);
	if (sparent)
		nb_node->parent = sparent->priv;
	sparent = yang_snode_parent_list(snode);
	if (sparent)
		nb_node->parent_list = sparent->priv;

	if (CHECK_FLAG(snode->nodetype, LYS_CONTAINER | LYS_LIST)) {
		bool config_only = true;

		(void)yang_snodes_iterate_subtree(snode, NULL,
						  snode_not_config_only, 0,
						  &config_only);
		if (config_only)
			SET_FLAG(nb_node->flags, F_NB_NODE_CONFIG_ONLY);
	}
	if (CHECK_FLAG(snode->nodetype, LYS_LIST)
	    && yang_snode_num_keys(snode) == 0)
		SET_FLAG(nb_node->flags, F_NB_NODE_KEYLESS_LIST);

	nb_node->snode = snode;
	((struct lysc_node *)snode)->priv = nb_node;
	return YANG_ITER_CONTINUE;
}

static int ios_nb_node_free(const struct lysc_node *snode, void *arg)
{
	struct nb_node *nb_node = snode->priv;

	if (nb_node) {
		((struct lysc_node *)snode)->priv = NULL;
		XFREE(MTYPE_IOS_NB_NODE, nb_node);
	}
	return YANG_ITER_CONTINUE;
}

static void ios_nb_load_callbacks(const struct frr_yang_module_info *info)
{
	for (size_t i = 0; info->nodes[i].xpath; i++) {
		struct nb_node *nb_node = nb_node_find(info->nodes[i].xpath);

		if (!nb_node) {
			flog_err(EC_LIB_YANG_UNKNOWN_DATA_PATH,
				 "%s: unknown data path: %s", __func__,
				 info->nodes[i].xpath);
			exit(1);
		}
		nb_node->cbs = info->nodes[i].cbs;
		if (info->nodes[i].priority)
			nb_node->priority = info->nodes[i].priority;
	}
}

/*
 * The datastores were created before the model was loaded. Give them the
 * model's top container (with its defaults) now, and keep their root
 * pointer on the first top-level sibling: libyang may insert the new
 * module's nodes before the node the datastore points to, and FRR walks
 * the datastore from that pointer, so they would never be seen (edits of
 * the model were committed without effect).
 */
static void ios_datastore_prepare(struct nb_config *config)
{
	LY_ERR err;

	if (!config)
		return;
	err = lyd_new_implicit_module(&config->dnode, ios_module,
				      LYD_IMPLICIT_NO_STATE, NULL);
	if (err != LY_SUCCESS) {
		flog_err(EC_LIB_LIBYANG,
			 "%s: cannot add %s to a datastore: %s", __func__,
			 IOS_YANG_MODULE, ly_errmsg(ly_native_ctx));
		exit(1);
	}
	config->dnode = lyd_first_sibling(config->dnode);
}

static void ios_crypto_yang_load(void)
{
	struct yang_module *module;

	/* exits the daemon if the model does not compile */
	module = yang_module_load(IOS_YANG_MODULE);
	ios_module = module->info;

	yang_snodes_iterate(ios_module, ios_nb_node_new, 0, NULL);
	ios_nb_load_callbacks(&ios_crypto_nb_info);
	/* exits the daemon if a callback is missing */
	nb_validate_callbacks();

	ios_datastore_prepare(running_config);
	ios_datastore_prepare(vty_shared_candidate_config);
}

static int ios_crypto_northbound_fini(void)
{
	ios_crypto_cli_fini();
	ios_crypto_config_fini();
	if (ios_module)
		yang_snodes_iterate(ios_module, ios_nb_node_free, 0, NULL);
	ios_module = NULL;
	return 0;
}

void ios_crypto_northbound_init(void)
{
	ios_crypto_config_init();
	ios_crypto_yang_load();
	ios_crypto_cli_init();
	hook_register(frr_fini, ios_crypto_northbound_fini);
}
