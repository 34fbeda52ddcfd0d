// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Northbound callbacks of the ios-ipsec-suite YANG model: which callback
 * serves which data path. The callbacks live in ios_crypto_nb_config.c
 * (configuration), ios_crypto_nb_state.c (operational state) and
 * ios_crypto_cli.c (printers of the running configuration).
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include "northbound.h"

#include "ios_crypto_nb.h"

#define X(path) IOS_XPATH path

/* clang-format off */
const struct frr_yang_module_info ios_crypto_nb_info = {
	.name = IOS_YANG_MODULE,
	.nodes = {
		{
			.xpath = X(""),
			.cbs = {
				.apply_finish = ios_crypto_apply_finish,
			},
		},
		{
			.xpath = X("/crypto/isakmp"),
			.cbs = {
				.cli_show_end = cli_show_ios_isakmp_end,
			},
		},
		{
			.xpath = X("/crypto/isakmp/policy"),
			.cbs = {
				.create = ios_isakmp_policy_create,
				.destroy = ios_isakmp_policy_destroy,
				.cli_show = cli_show_ios_isakmp_policy,
				.cli_cmp = cli_cmp_ios_isakmp_policy,
			},
		},
		{
			.xpath = X("/crypto/isakmp/policy/authentication"),
			.cbs = {
				.modify = ios_isakmp_policy_authentication_modify,
				.cli_show = cli_show_ios_isakmp_policy_authentication,
			},
		},
		{
			.xpath = X("/crypto/isakmp/policy/encryption"),
			.cbs = {
				.modify = ios_isakmp_policy_encryption_modify,
				.cli_show = cli_show_ios_isakmp_policy_encryption,
			},
		},
		{
			.xpath = X("/crypto/isakmp/policy/hash"),
			.cbs = {
				.modify = ios_isakmp_policy_hash_modify,
				.cli_show = cli_show_ios_isakmp_policy_hash,
			},
		},
		{
			.xpath = X("/crypto/isakmp/policy/group"),
			.cbs = {
				.modify = ios_isakmp_policy_group_modify,
				.cli_show = cli_show_ios_isakmp_policy_group,
			},
		},
		{
			.xpath = X("/crypto/isakmp/policy/lifetime"),
			.cbs = {
				.modify = ios_isakmp_policy_lifetime_modify,
				.cli_show = cli_show_ios_isakmp_policy_lifetime,
			},
		},
		{
			.xpath = X("/crypto/isakmp/key"),
			.cbs = {
				.create = ios_isakmp_key_create,
				.destroy = ios_isakmp_key_destroy,
				.cli_show = cli_show_ios_isakmp_key,
				.cli_cmp = cli_cmp_ios_isakmp_key,
			},
		},
		{
			.xpath = X("/crypto/isakmp/key/mask"),
			.cbs = {
				.modify = ios_isakmp_key_mask_modify,
			},
		},
		{
			.xpath = X("/crypto/isakmp/key/key-string"),
			.cbs = {
				.modify = ios_isakmp_key_key_string_modify,
			},
		},
		{
			.xpath = X("/domain-name"),
			.cbs = {
				.modify = ios_domain_name_modify,
				.destroy = ios_domain_name_destroy,
				.cli_show = cli_show_ios_domain_name,
			},
		},
		{
			.xpath = X("/crypto/isakmp/enable"),
			.cbs = {
				.modify = ios_isakmp_enable_modify,
				.cli_show = cli_show_ios_isakmp_enable,
			},
		},
		{
			.xpath = X("/crypto/isakmp/identity"),
			.cbs = {
				.modify = ios_isakmp_identity_modify,
				.cli_show = cli_show_ios_isakmp_identity,
			},
		},
		{
			.xpath = X("/crypto/isakmp/keepalive"),
			.cbs = {
				.create = ios_isakmp_keepalive_create,
				.destroy = ios_isakmp_keepalive_destroy,
				.cli_show = cli_show_ios_isakmp_keepalive,
			},
		},
		{
			.xpath = X("/crypto/isakmp/keepalive/seconds"),
			.cbs = {
				.modify = ios_isakmp_keepalive_seconds_modify,
			},
		},
		{
			.xpath = X("/crypto/isakmp/keepalive/retry"),
			.cbs = {
				.modify = ios_isakmp_keepalive_retry_modify,
			},
		},
		{
			.xpath = X("/crypto/ipsec/transform-set"),
			.cbs = {
				.create = ios_transform_set_create,
				.destroy = ios_transform_set_destroy,
				.cli_show = cli_show_ios_transform_set,
				.cli_show_end = cli_show_ios_section_end,
				.cli_cmp = cli_cmp_ios_transform_set,
			},
		},
		{
			.xpath = X("/crypto/ipsec/transform-set/esp-encryption"),
			.cbs = {
				.modify = ios_transform_set_esp_encryption_modify,
			},
		},
		{
			.xpath = X("/crypto/ipsec/transform-set/esp-integrity"),
			.cbs = {
				.modify = ios_transform_set_esp_integrity_modify,
			},
		},
		{
			.xpath = X("/crypto/ipsec/transform-set/mode"),
			.cbs = {
				.modify = ios_transform_set_mode_modify,
				.cli_show = cli_show_ios_transform_set_mode,
			},
		},
		{
			.xpath = X("/crypto/map"),
			.cbs = {
				.create = ios_map_create,
				.destroy = ios_map_destroy,
				.get_next = ios_map_get_next,
				.get_keys = ios_map_get_keys,
				.lookup_entry = ios_map_lookup_entry,
				.cli_show = cli_show_ios_map,
				.cli_show_end = cli_show_ios_section_end,
				.cli_cmp = cli_cmp_ios_map,
			},
		},
		{
			.xpath = X("/crypto/map/peer"),
			.cbs = {
				.modify = ios_map_peer_modify,
				.destroy = ios_map_peer_destroy,
				.cli_show = cli_show_ios_map_peer,
			},
		},
		{
			.xpath = X("/crypto/map/transform-set"),
			.cbs = {
				.modify = ios_map_transform_set_modify,
				.destroy = ios_map_transform_set_destroy,
				.cli_show = cli_show_ios_map_transform_set,
			},
		},
		{
			.xpath = X("/crypto/map/match-address"),
			.cbs = {
				.modify = ios_map_match_address_modify,
				.destroy = ios_map_match_address_destroy,
				.cli_show = cli_show_ios_map_match_address,
			},
		},
		{
			.xpath = X("/crypto/map/state/status"),
			.cbs = {
				.get_elem = ios_map_state_status_get_elem,
			},
		},
		{
			.xpath = X("/crypto/map/state/reason"),
			.cbs = {
				.get_elem = ios_map_state_reason_get_elem,
			},
		},
		{
			.xpath = X("/crypto/map/state/sa-state"),
			.cbs = {
				.get_elem = ios_map_state_sa_state_get_elem,
			},
		},
		{
			.xpath = X("/crypto/map/state/spi-in"),
			.cbs = {
				.get_elem = ios_map_state_spi_in_get_elem,
			},
		},
		{
			.xpath = X("/crypto/map/state/spi-out"),
			.cbs = {
				.get_elem = ios_map_state_spi_out_get_elem,
			},
		},
		{
			.xpath = X("/crypto/map/state/counters/packets-encrypted"),
			.cbs = {
				.get_elem = ios_map_state_packets_encrypted_get_elem,
			},
		},
		{
			.xpath = X("/crypto/map/state/counters/packets-decrypted"),
			.cbs = {
				.get_elem = ios_map_state_packets_decrypted_get_elem,
			},
		},
		{
			.xpath = X("/crypto/map/state/counters/bytes-encrypted"),
			.cbs = {
				.get_elem = ios_map_state_bytes_encrypted_get_elem,
			},
		},
		{
			.xpath = X("/crypto/map/state/counters/bytes-decrypted"),
			.cbs = {
				.get_elem = ios_map_state_bytes_decrypted_get_elem,
			},
		},
		{
			.xpath = X("/crypto/map/state/sa-changes"),
			.cbs = {
				.get_elem = ios_map_state_sa_changes_get_elem,
			},
		},
		{
			.xpath = X("/crypto/map/state/last-change"),
			.cbs = {
				.get_elem = ios_map_state_last_change_get_elem,
			},
		},
		{
			.xpath = X("/crypto/pubkey-chain"),
			.cbs = {
				.cli_show = cli_show_ios_pubkey_chain,
				.cli_show_end = cli_show_ios_section_end,
			},
		},
		{
			.xpath = X("/crypto/pubkey-chain/named-key"),
			.cbs = {
				.create = ios_named_key_create,
				.destroy = ios_pubkey_destroy,
				.cli_show = cli_show_ios_pubkey,
				.cli_cmp = cli_cmp_ios_pubkey,
			},
		},
		{
			.xpath = X("/crypto/pubkey-chain/named-key/address"),
			.cbs = {
				.create = ios_pubkey_address_create,
				.destroy = ios_pubkey_address_destroy,
				.cli_show = cli_show_ios_pubkey_address,
			},
		},
		{
			.xpath = X("/crypto/pubkey-chain/named-key/serial-number"),
			.cbs = {
				.modify = ios_pubkey_serial_number_modify,
				.destroy = ios_pubkey_serial_number_destroy,
				.cli_show = cli_show_ios_pubkey_serial_number,
			},
		},
		{
			.xpath = X("/crypto/pubkey-chain/named-key/key-string"),
			.cbs = {
				.modify = ios_pubkey_key_string_modify,
				.destroy = ios_pubkey_key_string_destroy,
				.cli_show = cli_show_ios_pubkey_key_string,
			},
		},
		{
			.xpath = X("/crypto/pubkey-chain/addressed-key"),
			.cbs = {
				.create = ios_addressed_key_create,
				.destroy = ios_pubkey_destroy,
				.cli_show = cli_show_ios_pubkey,
				.cli_cmp = cli_cmp_ios_pubkey,
			},
		},
		{
			.xpath = X("/crypto/pubkey-chain/addressed-key/address"),
			.cbs = {
				.create = ios_pubkey_address_create,
				.destroy = ios_pubkey_address_destroy,
				.cli_show = cli_show_ios_pubkey_address,
			},
		},
		{
			.xpath = X("/crypto/pubkey-chain/addressed-key/serial-number"),
			.cbs = {
				.modify = ios_pubkey_serial_number_modify,
				.destroy = ios_pubkey_serial_number_destroy,
				.cli_show = cli_show_ios_pubkey_serial_number,
			},
		},
		{
			.xpath = X("/crypto/pubkey-chain/addressed-key/key-string"),
			.cbs = {
				.modify = ios_pubkey_key_string_modify,
				.destroy = ios_pubkey_key_string_destroy,
				.cli_show = cli_show_ios_pubkey_key_string,
			},
		},
		{
			.xpath = X("/interface"),
			.cbs = {
				.create = ios_interface_create,
				.destroy = ios_interface_destroy,
				.get_next = ios_interface_get_next,
				.get_keys = ios_interface_get_keys,
				.lookup_entry = ios_interface_lookup_entry,
				.cli_show = cli_show_ios_interface,
				.cli_show_end = cli_show_ios_interface_end,
				.cli_cmp = cli_cmp_ios_interface,
			},
		},
		{
			.xpath = X("/interface/tunnel/ipv4-address"),
			.cbs = {
				.create = ios_tunnel_ipv4_address_create,
				.destroy = ios_tunnel_ipv4_address_destroy,
				.cli_show = cli_show_ios_tunnel_ipv4_address,
			},
		},
		{
			.xpath = X("/interface/tunnel/ipv4-address/address"),
			.cbs = {
				.modify = ios_tunnel_ipv4_address_address_modify,
			},
		},
		{
			.xpath = X("/interface/tunnel/ipv4-address/netmask"),
			.cbs = {
				.modify = ios_tunnel_ipv4_address_netmask_modify,
			},
		},
		{
			.xpath = X("/interface/tunnel/mtu"),
			.cbs = {
				.modify = ios_tunnel_mtu_modify,
				.destroy = ios_tunnel_mtu_destroy,
				.cli_show = cli_show_ios_tunnel_mtu,
			},
		},
		{
			.xpath = X("/interface/tunnel/source-interface"),
			.cbs = {
				.modify = ios_tunnel_source_interface_modify,
				.destroy = ios_tunnel_source_interface_destroy,
				.cli_show = cli_show_ios_tunnel_source,
			},
		},
		{
			.xpath = X("/interface/tunnel/source-address"),
			.cbs = {
				.modify = ios_tunnel_source_address_modify,
				.destroy = ios_tunnel_source_address_destroy,
				.cli_show = cli_show_ios_tunnel_source,
			},
		},
		{
			.xpath = X("/interface/tunnel/destination"),
			.cbs = {
				.modify = ios_tunnel_destination_modify,
				.destroy = ios_tunnel_destination_destroy,
				.cli_show = cli_show_ios_tunnel_destination,
			},
		},
		{
			.xpath = X("/interface/tunnel/mode"),
			.cbs = {
				.modify = ios_tunnel_mode_modify,
			},
		},
		{
			.xpath = X("/interface/tunnel/state/oper-status"),
			.cbs = {
				.get_elem = ios_tunnel_state_oper_status_get_elem,
			},
		},
		{
			.xpath = X("/interface/tunnel/state/reason"),
			.cbs = {
				.get_elem = ios_tunnel_state_reason_get_elem,
			},
		},
		{
			.xpath = X("/interface/tunnel/state/transitions"),
			.cbs = {
				.get_elem = ios_tunnel_state_transitions_get_elem,
			},
		},
		{
			.xpath = X("/interface/tunnel/state/last-change"),
			.cbs = {
				.get_elem = ios_tunnel_state_last_change_get_elem,
			},
		},
		{
			.xpath = X("/interface/crypto-map"),
			.cbs = {
				.pre_validate = ios_interface_crypto_map_pre_validate,
				.modify = ios_interface_crypto_map_modify,
				.destroy = ios_interface_crypto_map_destroy,
				.cli_show = cli_show_ios_interface_crypto_map,
			},
		},
		{
			.xpath = X("/access-list"),
			.cbs = {
				.create = ios_acl_create,
				.destroy = ios_acl_destroy,
				.cli_cmp = cli_cmp_ios_acl,
			},
		},
		{
			.xpath = X("/access-list/entry"),
			.cbs = {
				.create = ios_acl_entry_create,
				.destroy = ios_acl_entry_destroy,
				.cli_show = cli_show_ios_acl_entry,
				.cli_cmp = cli_cmp_ios_acl_entry,
			},
		},
		{
			.xpath = X("/access-list/entry/action"),
			.cbs = {
				.modify = ios_acl_entry_action_modify,
			},
		},
		{
			.xpath = X("/access-list/entry/protocol"),
			.cbs = {
				.modify = ios_acl_entry_protocol_modify,
			},
		},
		{
			.xpath = X("/access-list/entry/source-host"),
			.cbs = {
				.modify = ios_acl_entry_source_host_modify,
			},
		},
		{
			.xpath = X("/access-list/entry/destination-host"),
			.cbs = {
				.modify = ios_acl_entry_destination_host_modify,
			},
		},
		{
			.xpath = NULL,
		},
	}
};
