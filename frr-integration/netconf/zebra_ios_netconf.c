// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zebra module of ios-ipsec-suite: a NETCONF server (RFC 6241 over SSH,
 * RFC 6242 framing, libnetconf2) whose datastore is FRR's northbound, for
 * the ios-ipsec-suite YANG model that zebra_ios_crypto loads. Load both
 * (in either order):
 *
 *   zebra -M ios_crypto -M ios_netconf[:CONFIG_FILE]
 *
 * CONFIG_FILE defaults to /etc/frr/ios-netconf.conf (doc/netconf.md).
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include <dlfcn.h>

#include "lib_errors.h"
#include "libfrr.h"
#include "log.h"
#include "module.h"
#include "thread.h"
#include "yang.h"
#include "lib/version.h"

#include "ios_netconf.h"

#define MODULE_NAME "zebra_ios_netconf"

DEFINE_MGROUP(IOS_NETCONF, "ios-ipsec-suite NETCONF");

/* after zebra_ios_crypto's frr_late_init, which loads the model */
#define LATE_INIT_PRIORITY (HOOK_DEFAULT_PRIORITY + 1000)

static const struct ios_nc_server_api *server;
static char *model;
static bool listening, started;

static const char *config_path(void)
{
	const char *args = THIS_MODULE->load_args;

	return args && *args ? args : IOS_NC_DEFAULT_CONFIG;
}

/* ios_netconf_server.so, next to this module (ios_netconf_server.c) */
static const struct ios_nc_server_api *server_load(void)
{
	char path[PATH_MAX];
	Dl_info self;
	void *library;
	const struct ios_nc_server_api *api;
	char *slash;

	if (!dladdr((void *)server_load, &self) || !self.dli_fname) {
		flog_err(EC_LIB_SYSTEM_CALL, "%s: cannot find my own path",
			 MODULE_NAME);
		return NULL;
	}
	strlcpy(path, self.dli_fname, sizeof(path));
	slash = strrchr(path, '/');
	if (slash)
		slash[1] = '\0';
	else
		path[0] = '\0';
	strlcat(path, IOS_NC_SERVER_LIBRARY, sizeof(path));

	library = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
	if (!library) {
		flog_err(EC_LIB_SYSTEM_CALL, "%s: %s", MODULE_NAME, dlerror());
		return NULL;
	}
	api = dlsym(library, IOS_NC_SERVER_API);
	if (!api) {
		flog_err(EC_LIB_SYSTEM_CALL, "%s: %s: no %s", MODULE_NAME,
			 path, IOS_NC_SERVER_API);
		dlclose(library);
	}
	return api;
}

/* the model as FRR compiled it: both contexts know the very same model */
static char *model_text(void)
{
	const struct lys_module *module =
		ly_ctx_get_module_implemented(ly_native_ctx, IOS_NC_MODULE);
	char *text = NULL;

	if (!module) {
		flog_err(EC_LIB_YANG_MODULE_LOAD,
			 "%s: the %s model is not loaded: zebra needs the crypto module too (-M ios_crypto -M ios_netconf); NETCONF server not started",
			 MODULE_NAME, IOS_NC_MODULE);
		return NULL;
	}
	if (lys_print_mem(&text, module, LYS_OUT_YANG, 0)) {
		flog_err(EC_LIB_LIBYANG, "%s: cannot print the %s model",
			 MODULE_NAME, IOS_NC_MODULE);
		return NULL;
	}
	return text;
}

static void server_stop(void)
{
	/* the NETCONF thread may wait for us: release it before joining */
	ios_nc_main_stop();
	server->stop();
	if (started) {
		ios_nc_notif_fini();
		ios_nc_ds_fini();
	}
	started = listening = false;
}

/* threads do not survive daemonizing: start once the event loop runs */
static void ios_netconf_start(struct thread *thread)
{
	ios_nc_ds_init();
	ios_nc_notif_init();
	started = server->start(model);
	free(model);
	model = NULL;
	if (!started) {
		flog_err(EC_LIB_UNAVAILABLE, "%s: NETCONF server not started",
			 MODULE_NAME);
		server_stop();
	}
}

static int ios_netconf_late_init(struct thread_master *master)
{
	ios_nc_main_init(master);
	if (!listening)
		return 0;
	model = model_text();
	if (!model) {
		server_stop();
		return 0;
	}
	thread_add_event(master, ios_netconf_start, NULL, 0, NULL);
	return 0;
}

static int ios_netconf_early_fini(void)
{
	if (listening)
		server_stop();
	free(model);
	model = NULL;
	return 0;
}

static int ios_netconf_module_init(void)
{
	const char *running = frrmod_list && frrmod_list->info
				      ? frrmod_list->info->version
				      : NULL;

	/* northbound internals differ between FRR releases */
	if (!running || !strmatch(running, FRR_VERSION)) {
		flog_err(EC_LIB_UNAVAILABLE,
			 "%s: refusing to load: built for FRR %s, running FRR %s",
			 MODULE_NAME, FRR_VERSION,
			 running ? running : "(unknown)");
		return -1;
	}
	/* still root with all capabilities here: port 830 can be bound */
	server = server_load();
	listening = server && server->listen(config_path());
	hook_register_prio(frr_late_init, LATE_INIT_PRIORITY,
			   ios_netconf_late_init);
	hook_register(frr_early_fini, ios_netconf_early_fini);
	return 0;
}

FRR_MODULE_SETUP(.name = MODULE_NAME, .version = SUITE_VERSION,
		 .description = "NETCONF server for the ios-ipsec-suite model",
		 .init = ios_netconf_module_init,
);
