// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the user sees of the tunnel devices, and `no interface TunnelN`:
 *
 * - show tunnel interface [IFNAME] [json]: per TunnelN its line protocol
 *   (up/down and why), the device (mode, kind, admin state, MTU,
 *   endpoints), source, destination and crypto map;
 * - show interface TunnelN (zebra's): the same in four lines, once zebra
 *   knows the device;
 * - no interface TunnelN: as on IOS, removes the tunnel (and so its
 *   device). FRR's own command refuses to delete an interface whose device
 *   exists; the module's takes its place in zebra and hands everything but
 *   tunnels to FRR's.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include "command.h"
#include "if.h"
#include "json.h"
#include "northbound_cli.h"
#include "printfrr.h"
#include "vty.h"

/* vtysh's extract.pl preprocesses this file with FRR's include path only */
#ifndef VTYSH_EXTRACT_PL
#include "zebra/interface.h"

#include "frr-integration/zebra/ios_crypto_config.h"
#include "frr-integration/zebra/ios_crypto_gre.h"
#include "frr-integration/zebra/ios_crypto_tunnel.h"
#endif

#ifndef VTYSH_EXTRACT_PL
#include "frr-integration/zebra/ios_crypto_tunnel_vty_clippy.c"
#endif

/* FRR's "no interface IFNAME [vrf NAME]", for everything but tunnels */
static const struct cmd_element *frr_no_interface;

static void endpoint_source_str(const struct ios_tunnel *t, char *buf,
				size_t size)
{
	switch (t->source) {
	case IOS_TUNNEL_SOURCE_ADDRESS:
		snprintfrr(buf, size, "%pI4", &t->source_address);
		return;
	case IOS_TUNNEL_SOURCE_INTERFACE:
		strlcpy(buf, t->source_interface, size);
		return;
	case IOS_TUNNEL_SOURCE_NONE:
		break;
	}
	strlcpy(buf, "none", size);
}

static void tunnel_show_text(struct vty *vty, const struct ios_interface *ifc)
{
	const struct ios_tunnel *t = &ifc->tunnel;
	char source[IOS_IFNAME_SIZE + INET_ADDRSTRLEN];
	struct ios_link link;
	bool owned;
	int ret;

	endpoint_source_str(t, source, sizeof(source));
	vty_out(vty, "%s\n", ifc->name);
	vty_out(vty, "  Line protocol is %s%s%s\n", t->up ? "up" : "down",
		t->up ? "" : ": ", t->up ? "" : t->reason);
	vty_out(vty, "  Tunnel source %s, destination ", source);
	if (t->has_destination)
		vty_out(vty, "%pI4\n", &t->destination);
	else
		vty_out(vty, "none\n");
	vty_out(vty, "  Tunnel protection via crypto map %s\n",
		ifc->crypto_map[0] ? ifc->crypto_map : "(none)");
	if (t->has_address)
		vty_out(vty, "  Internet address is %pI4/%u\n", &t->address,
			t->prefixlen);
	vty_out(vty, "  Device mode %s: ", ios_crypto_tunnel_device_mode());
	ret = ios_crypto_tunnel_device(ifc->name, &link, &owned);
	if (ret == -ENODEV) {
		vty_out(vty, "no device\n");
	} else if (ret < 0) {
		vty_out(vty, "unknown (%s)\n", safe_strerror(-ret));
	} else {
		vty_out(vty, "%s index %d, %s, admin %s, MTU %u", link.name,
			link.ifindex, link.kind[0] ? link.kind : "no kind",
			link.flags & IFF_UP ? "up" : "down", link.mtu);
		if (strcmp(link.kind, "gre") == 0)
			vty_out(vty, ", %pI4 -> %pI4, ttl %u", &link.local,
				&link.remote, link.ttl);
		vty_out(vty, "%s\n", owned ? "" : ", not the module's");
	}
	vty_out(vty, "  %u transitions, last %lld s ago\n", t->transitions,
		(long long)(monotime(NULL) - t->last_change));
}

static json_object *tunnel_show_json(const struct ios_interface *ifc)
{
	const struct ios_tunnel *t = &ifc->tunnel;
	json_object *o = json_object_new_object(), *dev;
	char source[IOS_IFNAME_SIZE + INET_ADDRSTRLEN];
	struct ios_link link;
	bool owned;
	int ret;

	endpoint_source_str(t, source, sizeof(source));
	json_object_string_add(o, "interface", ifc->name);
	json_object_string_add(o, "lineProtocol", t->up ? "up" : "down");
	json_object_string_add(o, "reason", t->reason);
	json_object_string_add(o, "deviceError", t->device_error);
	json_object_string_add(o, "source", source);
	if (t->has_destination)
		json_object_string_addf(o, "destination", "%pI4",
					&t->destination);
	json_object_string_add(o, "cryptoMap", ifc->crypto_map);
	if (t->has_address)
		json_object_string_addf(o, "address", "%pI4/%u", &t->address,
					t->prefixlen);
	json_object_int_add(o, "mtu", t->mtu);
	json_object_int_add(o, "transitions", t->transitions);
	json_object_string_add(o, "deviceMode",
			       ios_crypto_tunnel_device_mode());
	ret = ios_crypto_tunnel_device(ifc->name, &link, &owned);
	if (ret < 0)
		return o;
	dev = json_object_new_object();
	json_object_int_add(dev, "ifindex", link.ifindex);
	json_object_string_add(dev, "kind", link.kind);
	json_object_boolean_add(dev, "adminUp", !!(link.flags & IFF_UP));
	json_object_int_add(dev, "mtu", link.mtu);
	json_object_boolean_add(dev, "owned", owned);
	if (strcmp(link.kind, "gre") == 0) {
		json_object_string_addf(dev, "local", "%pI4", &link.local);
		json_object_string_addf(dev, "remote", "%pI4", &link.remote);
		json_object_int_add(dev, "ttl", link.ttl);
	}
	json_object_object_add(o, "device", dev);
	return o;
}

DEFPY (show_tunnel_interface,
       show_tunnel_interface_cmd,
       "show tunnel interface [IFNAME$ifname] [json$json]",
       SHOW_STR
       "Tunnel information\n"
       "Tunnel interfaces and their devices\n"
       "Tunnel interface name (TunnelN)\n"
       JSON_STR)
{
	json_object *arr = json ? json_object_new_array() : NULL;
	struct ios_interface *ifc;

	frr_each (ios_interfaces, &ios_crypto_cfg.interfaces, ifc) {
		if (!ifc->is_tunnel || (ifname && strcmp(ifname, ifc->name)))
			continue;
		if (arr)
			json_object_array_add(arr, tunnel_show_json(ifc));
		else
			tunnel_show_text(vty, ifc);
	}
	if (arr) {
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, "tunnels", arr);
		return vty_json(vty, obj);
	}
	return CMD_SUCCESS;
}

/* zebra's show interface, once it knows the device */
static int tunnel_show_interface(struct vty *vty, struct interface *ifp)
{
	struct ios_interface *ifc = ios_interface_find(ifp->name);
	const struct ios_tunnel *t;
	char source[IOS_IFNAME_SIZE + INET_ADDRSTRLEN];

	if (!ifc || !ifc->is_tunnel)
		return 0;
	t = &ifc->tunnel;
	endpoint_source_str(t, source, sizeof(source));
	vty_out(vty, "  Tunnel protocol/transport GRE/IP, device mode %s\n",
		ios_crypto_tunnel_device_mode());
	vty_out(vty, "  Tunnel source %s, destination ", source);
	if (t->has_destination)
		vty_out(vty, "%pI4\n", &t->destination);
	else
		vty_out(vty, "none\n");
	vty_out(vty, "  Tunnel protection via crypto map %s\n",
		ifc->crypto_map[0] ? ifc->crypto_map : "(none)");
	vty_out(vty, "  Tunnel line protocol is %s%s%s\n",
		t->up ? "up" : "down", t->up ? "" : ": ",
		t->up ? "" : t->reason);
	return 0;
}

DEFPY_YANG_NOSH (ios_no_interface,
		 ios_no_interface_cmd,
		 "no interface IFNAME [vrf NAME$vrf_name]",
		 NO_STR
		 "Delete a pseudo interface's configuration\n"
		 "Interface's name\n"
		 VRF_CMD_HELP_STR)
{
	struct ios_interface *ifc = ios_interface_find(ifname);
	char xpath[XPATH_MAXLEN];
	struct interface *ifp;
	int ret;

	if (!ifc || !ifc->is_tunnel || vrf_name)
		return frr_no_interface->func(frr_no_interface, vty, argc, argv);

	snprintf(xpath, sizeof(xpath),
		 "/ios-ipsec-suite:ios/interface[name='%s']", ifname);
	nb_cli_enqueue_change(vty, xpath, NB_OP_DESTROY, NULL);
	ret = nb_cli_apply_changes(vty, NULL);
	if (ret != CMD_SUCCESS)
		return ret;
	/*
	 * FRR's part of the interface can go only once zebra no longer sees
	 * the device (FRR refuses while it exists); until then zebra keeps
	 * an empty "interface TunnelN" of its own.
	 */
	ifp = if_lookup_by_name(ifname, VRF_DEFAULT);
	if (ifp && CHECK_FLAG(ifp->status, ZEBRA_INTERFACE_ACTIVE))
		return CMD_SUCCESS;
	return frr_no_interface->func(frr_no_interface, vty, argc, argv);
}

static const struct cmd_element *config_command_find(const char *string)
{
	struct cmd_node *node = vector_slot(cmdvec, CONFIG_NODE);
	const struct cmd_element *cmd;
	unsigned int i;

	for (i = 0; node && i < vector_active(node->cmd_vector); i++) {
		cmd = vector_slot(node->cmd_vector, i);
		if (cmd && strcmp(cmd->string, string) == 0)
			return cmd;
	}
	return NULL;
}

void ios_crypto_tunnel_vty_init(void)
{
	install_element(VIEW_NODE, &show_tunnel_interface_cmd);
	hook_register(zebra_if_extra_info, tunnel_show_interface);

	frr_no_interface = config_command_find(ios_no_interface_cmd.string);
	if (!frr_no_interface) {
		zlog_warn("tunnel devices: FRR's \"%s\" not found: no interface TunnelN keeps the tunnel",
			  ios_no_interface_cmd.string);
		return;
	}
	uninstall_element(CONFIG_NODE, frr_no_interface);
	install_element(CONFIG_NODE, &ios_no_interface_cmd);
}
