// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Northbound of the ios-ipsec-suite zebra module: the callbacks of the
 * ios-ipsec-suite YANG model (yang/ios-ipsec-suite.yang).
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#ifndef IOS_CRYPTO_NB_H
#define IOS_CRYPTO_NB_H

#include "northbound.h"

#define IOS_YANG_MODULE "ios-ipsec-suite"
#define IOS_XPATH "/ios-ipsec-suite:ios"
#define IOS_CRYPTO_XPATH IOS_XPATH "/crypto"
#define IOS_ISAKMP_XPATH IOS_CRYPTO_XPATH "/isakmp"
#define IOS_POLICY_XPATH IOS_ISAKMP_XPATH "/policy[priority='%u']"
#define IOS_ISAKMP_KEY_XPATH IOS_ISAKMP_XPATH "/key[address='%s']"
#define IOS_TRANSFORM_SET_XPATH                                                \
	IOS_CRYPTO_XPATH "/ipsec/transform-set[name='%s']"
#define IOS_MAP_XPATH IOS_CRYPTO_XPATH "/map[name='%s'][sequence='%u']"
#define IOS_PUBKEY_CHAIN_XPATH IOS_CRYPTO_XPATH "/pubkey-chain"
#define IOS_NAMED_KEY_XPATH                                                    \
	IOS_PUBKEY_CHAIN_XPATH "/named-key[name='%s'][usage='%s']"
#define IOS_ADDRESSED_KEY_XPATH                                                \
	IOS_PUBKEY_CHAIN_XPATH "/addressed-key[key-address='%s'][usage='%s']"
#define IOS_ACL_XPATH IOS_XPATH "/access-list[number='%u']"
#define IOS_INTERFACE_XPATH IOS_XPATH "/interface[name='%s']"

extern const struct frr_yang_module_info ios_crypto_nb_info;

/*
 * ios_crypto_yang.c: load the model, attach the callbacks, install the
 * commands; from frr_late_init, once cmd_init() and nb_init() have run.
 */
void ios_crypto_northbound_init(void);

/*
 * ios_crypto_sa.c: crypto map entries follow the SAs the VICI client
 * reports; after zebra_ios_vici_init().
 */
void ios_crypto_sa_init(void);

/* ios_crypto_show.c: the IOS "show crypto ..." commands; after cmd_init */
void ios_crypto_show_init(void);
/* show crypto key pubkey-chain rsa (ios_crypto_show_pubkey.c) */
void ios_crypto_show_pubkey_init(void);

/* ios_crypto_cli.c */
void ios_crypto_cli_init(void);
void ios_crypto_cli_fini(void);

/* /ios-ipsec-suite:ios */
void ios_crypto_apply_finish(struct nb_cb_apply_finish_args *args);

/* /ios-ipsec-suite:ios/crypto/isakmp */
int ios_isakmp_policy_create(struct nb_cb_create_args *args);
int ios_isakmp_policy_destroy(struct nb_cb_destroy_args *args);
int ios_isakmp_policy_authentication_modify(struct nb_cb_modify_args *args);
int ios_isakmp_policy_encryption_modify(struct nb_cb_modify_args *args);
int ios_isakmp_policy_hash_modify(struct nb_cb_modify_args *args);
int ios_isakmp_policy_group_modify(struct nb_cb_modify_args *args);
int ios_isakmp_policy_lifetime_modify(struct nb_cb_modify_args *args);
int ios_isakmp_key_create(struct nb_cb_create_args *args);
int ios_isakmp_key_destroy(struct nb_cb_destroy_args *args);
int ios_isakmp_key_mask_modify(struct nb_cb_modify_args *args);
int ios_isakmp_key_key_string_modify(struct nb_cb_modify_args *args);
int ios_isakmp_enable_modify(struct nb_cb_modify_args *args);
int ios_isakmp_identity_modify(struct nb_cb_modify_args *args);
int ios_domain_name_modify(struct nb_cb_modify_args *args);
int ios_domain_name_destroy(struct nb_cb_destroy_args *args);
int ios_isakmp_keepalive_create(struct nb_cb_create_args *args);
int ios_isakmp_keepalive_destroy(struct nb_cb_destroy_args *args);
int ios_isakmp_keepalive_seconds_modify(struct nb_cb_modify_args *args);
int ios_isakmp_keepalive_retry_modify(struct nb_cb_modify_args *args);

/* /ios-ipsec-suite:ios/crypto/ipsec/transform-set */
int ios_transform_set_create(struct nb_cb_create_args *args);
int ios_transform_set_destroy(struct nb_cb_destroy_args *args);
int ios_transform_set_esp_encryption_modify(struct nb_cb_modify_args *args);
int ios_transform_set_esp_integrity_modify(struct nb_cb_modify_args *args);
int ios_transform_set_mode_modify(struct nb_cb_modify_args *args);

/* /ios-ipsec-suite:ios/crypto/map */
int ios_map_create(struct nb_cb_create_args *args);
int ios_map_destroy(struct nb_cb_destroy_args *args);
int ios_map_peer_modify(struct nb_cb_modify_args *args);
int ios_map_peer_destroy(struct nb_cb_destroy_args *args);
int ios_map_transform_set_modify(struct nb_cb_modify_args *args);
int ios_map_transform_set_destroy(struct nb_cb_destroy_args *args);
int ios_map_match_address_modify(struct nb_cb_modify_args *args);
int ios_map_match_address_destroy(struct nb_cb_destroy_args *args);
const void *ios_map_get_next(struct nb_cb_get_next_args *args);
int ios_map_get_keys(struct nb_cb_get_keys_args *args);
const void *ios_map_lookup_entry(struct nb_cb_lookup_entry_args *args);
struct yang_data *ios_map_state_status_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *ios_map_state_reason_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *
ios_map_state_sa_state_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *ios_map_state_spi_in_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *
ios_map_state_spi_out_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *
ios_map_state_packets_encrypted_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *
ios_map_state_packets_decrypted_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *
ios_map_state_bytes_encrypted_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *
ios_map_state_bytes_decrypted_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *
ios_map_state_sa_changes_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *
ios_map_state_last_change_get_elem(struct nb_cb_get_elem_args *args);

/* /ios-ipsec-suite:ios/crypto/pubkey-chain/{named,addressed}-key */
int ios_named_key_create(struct nb_cb_create_args *args);
int ios_addressed_key_create(struct nb_cb_create_args *args);
int ios_pubkey_destroy(struct nb_cb_destroy_args *args);
int ios_pubkey_address_create(struct nb_cb_create_args *args);
int ios_pubkey_address_destroy(struct nb_cb_destroy_args *args);
int ios_pubkey_serial_number_modify(struct nb_cb_modify_args *args);
int ios_pubkey_serial_number_destroy(struct nb_cb_destroy_args *args);
int ios_pubkey_key_string_modify(struct nb_cb_modify_args *args);
int ios_pubkey_key_string_destroy(struct nb_cb_destroy_args *args);

/* /ios-ipsec-suite:ios/interface */
int ios_interface_create(struct nb_cb_create_args *args);
int ios_interface_destroy(struct nb_cb_destroy_args *args);
int ios_interface_crypto_map_pre_validate(
	struct nb_cb_pre_validate_args *args);
int ios_interface_crypto_map_modify(struct nb_cb_modify_args *args);
int ios_interface_crypto_map_destroy(struct nb_cb_destroy_args *args);
int ios_tunnel_ipv4_address_create(struct nb_cb_create_args *args);
int ios_tunnel_ipv4_address_destroy(struct nb_cb_destroy_args *args);
int ios_tunnel_ipv4_address_address_modify(struct nb_cb_modify_args *args);
int ios_tunnel_ipv4_address_netmask_modify(struct nb_cb_modify_args *args);
int ios_tunnel_mtu_modify(struct nb_cb_modify_args *args);
int ios_tunnel_mtu_destroy(struct nb_cb_destroy_args *args);
int ios_tunnel_source_interface_modify(struct nb_cb_modify_args *args);
int ios_tunnel_source_interface_destroy(struct nb_cb_destroy_args *args);
int ios_tunnel_source_address_modify(struct nb_cb_modify_args *args);
int ios_tunnel_source_address_destroy(struct nb_cb_destroy_args *args);
int ios_tunnel_destination_modify(struct nb_cb_modify_args *args);
int ios_tunnel_destination_destroy(struct nb_cb_destroy_args *args);
int ios_tunnel_mode_modify(struct nb_cb_modify_args *args);
const void *ios_interface_get_next(struct nb_cb_get_next_args *args);
int ios_interface_get_keys(struct nb_cb_get_keys_args *args);
const void *ios_interface_lookup_entry(struct nb_cb_lookup_entry_args *args);
struct yang_data *
ios_tunnel_state_oper_status_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *
ios_tunnel_state_reason_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *
ios_tunnel_state_transitions_get_elem(struct nb_cb_get_elem_args *args);
struct yang_data *
ios_tunnel_state_last_change_get_elem(struct nb_cb_get_elem_args *args);

/* /ios-ipsec-suite:ios/access-list */
int ios_acl_create(struct nb_cb_create_args *args);
int ios_acl_destroy(struct nb_cb_destroy_args *args);
int ios_acl_entry_create(struct nb_cb_create_args *args);
int ios_acl_entry_destroy(struct nb_cb_destroy_args *args);
int ios_acl_entry_action_modify(struct nb_cb_modify_args *args);
int ios_acl_entry_protocol_modify(struct nb_cb_modify_args *args);
int ios_acl_entry_source_host_modify(struct nb_cb_modify_args *args);
int ios_acl_entry_destination_host_modify(struct nb_cb_modify_args *args);

/* ios_crypto_cli.c: printers of the running configuration, IOS form */
void cli_show_ios_isakmp_end(struct vty *vty, const struct lyd_node *dnode);
void cli_show_ios_isakmp_policy(struct vty *vty, const struct lyd_node *dnode,
				bool show_defaults);
int cli_cmp_ios_isakmp_policy(const struct lyd_node *dnode1,
			      const struct lyd_node *dnode2);
void cli_show_ios_isakmp_policy_authentication(struct vty *vty,
					       const struct lyd_node *dnode,
					       bool show_defaults);
void cli_show_ios_isakmp_policy_encryption(struct vty *vty,
					   const struct lyd_node *dnode,
					   bool show_defaults);
void cli_show_ios_isakmp_policy_hash(struct vty *vty,
				     const struct lyd_node *dnode,
				     bool show_defaults);
void cli_show_ios_isakmp_policy_group(struct vty *vty,
				      const struct lyd_node *dnode,
				      bool show_defaults);
void cli_show_ios_isakmp_policy_lifetime(struct vty *vty,
					 const struct lyd_node *dnode,
					 bool show_defaults);
void cli_show_ios_isakmp_key(struct vty *vty, const struct lyd_node *dnode,
			     bool show_defaults);
int cli_cmp_ios_isakmp_key(const struct lyd_node *dnode1,
			   const struct lyd_node *dnode2);
void cli_show_ios_isakmp_enable(struct vty *vty, const struct lyd_node *dnode,
				bool show_defaults);
void cli_show_ios_domain_name(struct vty *vty, const struct lyd_node *dnode,
			      bool show_defaults);
void cli_show_ios_isakmp_identity(struct vty *vty,
				  const struct lyd_node *dnode,
				  bool show_defaults);
void cli_show_ios_isakmp_keepalive(struct vty *vty,
				   const struct lyd_node *dnode,
				   bool show_defaults);
void cli_show_ios_transform_set(struct vty *vty, const struct lyd_node *dnode,
				bool show_defaults);
void cli_show_ios_section_end(struct vty *vty, const struct lyd_node *dnode);
int cli_cmp_ios_transform_set(const struct lyd_node *dnode1,
			      const struct lyd_node *dnode2);
void cli_show_ios_transform_set_mode(struct vty *vty,
				     const struct lyd_node *dnode,
				     bool show_defaults);
void cli_show_ios_map(struct vty *vty, const struct lyd_node *dnode,
		      bool show_defaults);
int cli_cmp_ios_map(const struct lyd_node *dnode1,
		    const struct lyd_node *dnode2);
void cli_show_ios_map_peer(struct vty *vty, const struct lyd_node *dnode,
			   bool show_defaults);
void cli_show_ios_map_transform_set(struct vty *vty,
				    const struct lyd_node *dnode,
				    bool show_defaults);
void cli_show_ios_map_match_address(struct vty *vty,
				    const struct lyd_node *dnode,
				    bool show_defaults);
void cli_show_ios_pubkey_chain(struct vty *vty, const struct lyd_node *dnode,
			       bool show_defaults);
void cli_show_ios_pubkey(struct vty *vty, const struct lyd_node *dnode,
			 bool show_defaults);
int cli_cmp_ios_pubkey(const struct lyd_node *dnode1,
		       const struct lyd_node *dnode2);
void cli_show_ios_pubkey_address(struct vty *vty, const struct lyd_node *dnode,
				 bool show_defaults);
void cli_show_ios_pubkey_serial_number(struct vty *vty,
				       const struct lyd_node *dnode,
				       bool show_defaults);
void cli_show_ios_pubkey_key_string(struct vty *vty,
				    const struct lyd_node *dnode,
				    bool show_defaults);
void cli_show_ios_interface(struct vty *vty, const struct lyd_node *dnode,
			    bool show_defaults);
void cli_show_ios_interface_end(struct vty *vty, const struct lyd_node *dnode);
int cli_cmp_ios_interface(const struct lyd_node *dnode1,
			  const struct lyd_node *dnode2);
void cli_show_ios_interface_crypto_map(struct vty *vty,
				       const struct lyd_node *dnode,
				       bool show_defaults);
void cli_show_ios_tunnel_ipv4_address(struct vty *vty,
				      const struct lyd_node *dnode,
				      bool show_defaults);
void cli_show_ios_tunnel_mtu(struct vty *vty, const struct lyd_node *dnode,
			     bool show_defaults);
void cli_show_ios_tunnel_source(struct vty *vty, const struct lyd_node *dnode,
				bool show_defaults);
void cli_show_ios_tunnel_destination(struct vty *vty,
				     const struct lyd_node *dnode,
				     bool show_defaults);
int cli_cmp_ios_acl(const struct lyd_node *dnode1,
		    const struct lyd_node *dnode2);
void cli_show_ios_acl_entry(struct vty *vty, const struct lyd_node *dnode,
			    bool show_defaults);
int cli_cmp_ios_acl_entry(const struct lyd_node *dnode1,
			  const struct lyd_node *dnode2);

#endif /* IOS_CRYPTO_NB_H */
