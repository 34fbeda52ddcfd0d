// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Operational state callbacks of the ios-ipsec-suite YANG model (config
 * false nodes): crypto map entries and tunnels.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include "northbound.h"
#include "yang_wrappers.h"

#include "ios_crypto_config.h"
#include "ios_crypto_nb.h"

/*
 * XPath: /ios-ipsec-suite:ios/crypto/map
 */
const void *ios_map_get_next(struct nb_cb_get_next_args *args)
{
	const struct ios_crypto_map_entry *map = args->list_entry;

	if (!map)
		return ios_crypto_maps_const_first(&ios_crypto_cfg.maps);
	return ios_crypto_maps_const_next(&ios_crypto_cfg.maps, map);
}

int ios_map_get_keys(struct nb_cb_get_keys_args *args)
{
	const struct ios_crypto_map_entry *map = args->list_entry;

	args->keys->num = 2;
	strlcpy(args->keys->key[0], map->name, sizeof(args->keys->key[0]));
	snprintf(args->keys->key[1], sizeof(args->keys->key[1]), "%u",
		 map->sequence);
	return NB_OK;
}

const void *ios_map_lookup_entry(struct nb_cb_lookup_entry_args *args)
{
	unsigned long sequence = strtoul(args->keys->key[1], NULL, 10);

	if (sequence == 0 || sequence > UINT16_MAX)
		return NULL;
	return ios_crypto_map_find(args->keys->key[0], sequence);
}

struct yang_data *ios_map_state_status_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct ios_crypto_map_entry *map = args->list_entry;

	return yang_data_new_string(args->xpath,
				    map->complete ? "active" : "incomplete");
}

struct yang_data *ios_map_state_reason_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct ios_crypto_map_entry *map = args->list_entry;

	return yang_data_new_string(args->xpath, map->reason);
}

struct yang_data *
ios_map_state_sa_state_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct ios_crypto_map_entry *map = args->list_entry;
	const char *state = "down";

	switch (map->sa.state) {
	case IOS_SA_UP:
		state = "up";
		break;
	case IOS_SA_NEGOTIATING:
		state = "negotiating";
		break;
	case IOS_SA_DOWN:
		break;
	}
	return yang_data_new_string(args->xpath, state);
}

struct yang_data *ios_map_state_spi_in_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct ios_crypto_map_entry *map = args->list_entry;

	if (map->sa.state != IOS_SA_UP)
		return NULL;
	return yang_data_new_uint32(args->xpath, map->sa.spi_in);
}

struct yang_data *
ios_map_state_spi_out_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct ios_crypto_map_entry *map = args->list_entry;

	if (map->sa.state != IOS_SA_UP)
		return NULL;
	return yang_data_new_uint32(args->xpath, map->sa.spi_out);
}

struct yang_data *
ios_map_state_packets_encrypted_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct ios_crypto_map_entry *map = args->list_entry;

	return yang_data_new_uint64(args->xpath, map->sa.packets_encrypted);
}

struct yang_data *
ios_map_state_packets_decrypted_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct ios_crypto_map_entry *map = args->list_entry;

	return yang_data_new_uint64(args->xpath, map->sa.packets_decrypted);
}

struct yang_data *
ios_map_state_bytes_encrypted_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct ios_crypto_map_entry *map = args->list_entry;

	return yang_data_new_uint64(args->xpath, map->sa.bytes_encrypted);
}

struct yang_data *
ios_map_state_bytes_decrypted_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct ios_crypto_map_entry *map = args->list_entry;

	return yang_data_new_uint64(args->xpath, map->sa.bytes_decrypted);
}

struct yang_data *
ios_map_state_sa_changes_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct ios_crypto_map_entry *map = args->list_entry;

	return yang_data_new_uint32(args->xpath, map->sa_changes);
}

struct yang_data *
ios_map_state_last_change_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct ios_crypto_map_entry *map = args->list_entry;

	if (!map->sa_last_change)
		return NULL;
	return yang_data_new_date_and_time(args->xpath, map->sa_last_change);
}

/*
 * XPath: /ios-ipsec-suite:ios/interface
 */
const void *ios_interface_get_next(struct nb_cb_get_next_args *args)
{
	const struct ios_interface *ifc = args->list_entry;

	if (!ifc)
		return ios_interfaces_const_first(&ios_crypto_cfg.interfaces);
	return ios_interfaces_const_next(&ios_crypto_cfg.interfaces, ifc);
}

int ios_interface_get_keys(struct nb_cb_get_keys_args *args)
{
	const struct ios_interface *ifc = args->list_entry;

	args->keys->num = 1;
	strlcpy(args->keys->key[0], ifc->name, sizeof(args->keys->key[0]));
	return NB_OK;
}

const void *ios_interface_lookup_entry(struct nb_cb_lookup_entry_args *args)
{
	return ios_interface_find(args->keys->key[0]);
}

/*
 * XPath: /ios-ipsec-suite:ios/interface/tunnel/state
 * Only TunnelN interfaces have a tunnel (the model's "when").
 */
struct yang_data *
ios_tunnel_state_oper_status_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct ios_interface *ifc = args->list_entry;

	if (!ifc->is_tunnel)
		return NULL;
	return yang_data_new_string(args->xpath,
				    ifc->tunnel.up ? "up" : "down");
}

struct yang_data *
ios_tunnel_state_reason_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct ios_interface *ifc = args->list_entry;

	if (!ifc->is_tunnel)
		return NULL;
	return yang_data_new_string(args->xpath, ifc->tunnel.reason);
}

struct yang_data *
ios_tunnel_state_transitions_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct ios_interface *ifc = args->list_entry;

	if (!ifc->is_tunnel)
		return NULL;
	return yang_data_new_uint32(args->xpath, ifc->tunnel.transitions);
}

struct yang_data *
ios_tunnel_state_last_change_get_elem(struct nb_cb_get_elem_args *args)
{
	const struct ios_interface *ifc = args->list_entry;

	if (!ifc->is_tunnel || !ifc->tunnel.last_change)
		return NULL;
	return yang_data_new_date_and_time(args->xpath,
					   ifc->tunnel.last_change);
}
