/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/**
 * @defgroup rsa_encr_config rsa_encr_config
 * @{ @ingroup rsa_encr
 *
 * Which connections use rsa-encr, and the keys and configs an exchange
 * needs.
 *
 * A swanctl.conf connection uses rsa-encr when strongswan.conf marks it:
 *
 *   charon.plugins.rsa-encr.connections.<name> = 4 | 5
 *   charon.plugins.rsa-encr.connections.<name>.method = 4 | 5
 *
 * Such a connection must be IKEv1 Main Mode with "auth = psk" in its
 * local and remote section (and no second round): rsa-encr runs in the
 * shape of charon's PSK exchange. The settings are read on every use, so
 * "swanctl --reload-settings" changes them for new exchanges.
 */

#ifndef RSA_ENCR_CONFIG_H_
#define RSA_ENCR_CONFIG_H_

#include <daemon.h>

/** RFC 2409 appendix A authentication methods the plugin implements */
#define RSA_ENCR_METHOD_ENC 4
#define RSA_ENCR_METHOD_ENC_REV 5

/**
 * Read the marks from strongswan.conf (again): at plugin load and on
 * "swanctl --reload-settings". Until the first call, the marks are looked
 * up in the settings directly.
 */
void rsa_encr_config_load();

/**
 * Forget the marks read by rsa_encr_config_load().
 */
void rsa_encr_config_unload();

/**
 * The rsa-encr method a connection is marked with.
 *
 * @param peer_cfg	connection
 * @return			4, 5, or 0 if not marked
 */
int rsa_encr_config_get_method(peer_cfg_t *peer_cfg);

/**
 * Whether we send HASH(1) as initiator of a connection.
 *
 * @param peer_cfg	connection
 * @return			TRUE to send HASH(1)
 */
bool rsa_encr_config_send_hash1(peer_cfg_t *peer_cfg);

/**
 * Check that a marked connection has the shape rsa-encr needs (IKEv1,
 * Main Mode, auth = psk on both sides, one round), logging why not.
 *
 * @param peer_cfg	marked connection
 * @return			TRUE if usable
 */
bool rsa_encr_config_check(peer_cfg_t *peer_cfg);

/**
 * Enumerate usable connections marked with a method that match the
 * addresses and optionally the peer's identity, in the order charon's
 * backends rank them (the order charon's own config selection uses).
 *
 * @param me		local address
 * @param other		remote address
 * @param other_id	peer identity, NULL for any
 * @param method	4 or 5
 * @return			enumerator over peer_cfg_t*
 */
enumerator_t *rsa_encr_config_create_peer_cfg_enumerator(host_t *me,
							host_t *other, identification_t *other_id,
							int method);

/**
 * Our identity in a connection, as charon's Main Mode sends it: the
 * configured one, or our address if none is configured.
 *
 * @param peer_cfg	connection
 * @param me		local address
 * @return			identity (new object), NULL if none
 */
identification_t *rsa_encr_config_my_id(peer_cfg_t *peer_cfg, host_t *me);

/**
 * Our RSA private key for a connection: the key of the connection's
 * local "pubkeys"/"certs" (swanctl loads the private half from its rsa/,
 * private/ or pkcs8/ directory with --load-creds), or any key found for
 * our identity.
 *
 * @param peer_cfg	connection
 * @param my_id		our identity
 * @return			private key (new reference), NULL if none
 */
private_key_t *rsa_encr_config_private_key(peer_cfg_t *peer_cfg,
										   identification_t *my_id);

/**
 * The identity to look the peer's public key up by, before the peer has
 * told it: the connection's remote identity, or the peer's address if
 * that is not a concrete FQDN or address (IOS named-key with address).
 *
 * @param peer_cfg	connection
 * @param other		remote address
 * @return			identity (new object)
 */
identification_t *rsa_encr_config_peer_lookup_id(peer_cfg_t *peer_cfg,
												 host_t *other);

/**
 * The peer's RSA encryption key bound to an identity in the IOS key
 * chains (ios-keychain plugin): a general purpose or encryption key,
 * never one marked "signature".
 *
 * @param id		peer identity
 * @return			public key (new reference), NULL if none
 */
public_key_t *rsa_encr_config_peer_key(identification_t *id);

/**
 * Whether a key is bound to an identity in the IOS key chains as a key
 * rsa-encr may use.
 *
 * @param key		public key
 * @param id		identity
 * @return			TRUE if bound
 */
bool rsa_encr_config_key_bound(public_key_t *key, identification_t *id);

#endif /** RSA_ENCR_CONFIG_H_ @}*/
