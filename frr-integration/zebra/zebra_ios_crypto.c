// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zebra module of ios-ipsec-suite: IOS crypto configuration, GRE tunnels
 * that follow their IPsec SAs.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include <dlfcn.h>

#include "command.h"
#include "json.h"
#include "libfrr.h"
#include "lib_errors.h"
#include "log.h"
#include "module.h"
#include "lib/version.h"

/* vtysh's extract.pl preprocesses this file with FRR's include path only */
#ifndef VTYSH_EXTRACT_PL
#include "frr-integration/zebra/ios_crypto_charon.h"
#include "frr-integration/zebra/zebra_ios_crypto.h"
#include "frr-integration/zebra/zebra_ios_vici.h"
#include "frr-integration/zebra/ios_crypto_nb.h"
#include "frr-integration/zebra/ios_crypto_tunnel.h"

#ifndef SUITE_VERSION
#error "SUITE_VERSION must be defined by the build"
#endif
#endif

#define MODULE_NAME "zebra_ios_crypto"

/*
 * libfrr registers itself as the first entry of the module list, with the
 * FRR_VERSION it was compiled with: that is the running FRR.
 */
static const char *running_frr_version(void)
{
	if (!frrmod_list || !frrmod_list->info)
		return NULL;
	return frrmod_list->info->version;
}

/*
 * Our code is compiled against the headers of one FRR release; struct
 * layouts and northbound internals differ between releases, so another
 * release would crash zebra later instead of failing here.
 */
static bool frr_version_matches(void)
{
	const char *running = running_frr_version();

	if (running && strmatch(running, FRR_VERSION))
		return true;

	flog_err(EC_LIB_UNAVAILABLE,
		 "%s: refusing to load: built for FRR %s, running FRR %s; rebuild the suite against this version",
		 MODULE_NAME, FRR_VERSION, running ? running : "(unknown)");
	return false;
}

bool zebra_ios_crypto_module_arg(const char *key, char *value, size_t size)
{
	const char *args = THIS_MODULE->load_args;
	const char *pos, *end;
	size_t key_len = strlen(key);

	for (pos = args; pos && *pos; pos = end + (*end ? 1 : 0)) {
		end = strchrnul(pos, ',');
		if (strncmp(pos, key, key_len) == 0 && pos[key_len] == '=') {
			pos += key_len + 1;
			if ((size_t)(end - pos) >= size)
				return false;
			memcpy(value, pos, end - pos);
			value[end - pos] = '\0';
			return true;
		}
	}
	return false;
}

#ifndef VTYSH_EXTRACT_PL
#include "frr-integration/zebra/zebra_ios_crypto_clippy.c"
#endif

DEFPY (show_crypto_suite,
       show_crypto_suite_cmd,
       "show crypto suite [json]$json",
       SHOW_STR
       "Encryption and security information\n"
       "ios-ipsec-suite build and runtime versions\n"
       JSON_STR)
{
	const char *running = running_frr_version();

	if (json) {
		vty_out(vty,
			"{\"suite\":\"%s\",\"builtForFrr\":\"%s\",\"runningFrr\":\"%s\"}\n",
			SUITE_VERSION, FRR_VERSION, running ? running : "");
		return CMD_SUCCESS;
	}
	vty_out(vty, "ios-ipsec-suite %s\n", SUITE_VERSION);
	vty_out(vty, "  built for FRR %s, running FRR %s\n", FRR_VERSION,
		running ? running : "(unknown)");
	return CMD_SUCCESS;
}

/* Commands may only be installed once cmd_init() has run. */
static int ios_crypto_late_init(struct thread_master *master)
{
	install_element(VIEW_NODE, &show_crypto_suite_cmd);
	ios_crypto_northbound_init();
	zebra_ios_vici_init(master);
	ios_crypto_sa_init();
	ios_crypto_charon_init(master);
	ios_crypto_show_init();
	ios_crypto_tunnel_init(master);
	zlog_info("%s: ios-ipsec-suite %s loaded (FRR %s)", MODULE_NAME,
		  SUITE_VERSION, FRR_VERSION);
	return 0;
}

/*
 * After a failed .init, FRR 8.4's frrmod_load() dlclose()s the module and
 * then frees fields of its frrmod_runtime, which lives in the unmapped
 * module: zebra would crash instead of exiting with its error message.
 * Pinning the module in memory lets FRR's own failure path run.
 */
static void pin_module_in_memory(void)
{
	Dl_info self;

	if (dladdr((void *)pin_module_in_memory, &self) && self.dli_fname)
		dlopen(self.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
}

static int ios_crypto_early_fini(void)
{
	ios_crypto_charon_finish();
	ios_crypto_tunnel_finish();
	zebra_ios_vici_finish();
	return 0;
}

static int ios_crypto_module_init(void)
{
	if (!frr_version_matches()) {
		pin_module_in_memory();
		return -1;
	}
	hook_register(frr_late_init, ios_crypto_late_init);
	hook_register(frr_early_fini, ios_crypto_early_fini);
	return 0;
}

FRR_MODULE_SETUP(.name = MODULE_NAME, .version = SUITE_VERSION,
		 .description = "IOS crypto and IPsec-bound GRE tunnels",
		 .init = ios_crypto_module_init,
);
