// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Linux devices of the tunnel interfaces (TunnelN): kept in step with
 * the configuration, up only while the tunnel's IPsec SA is up.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#ifndef IOS_CRYPTO_TUNNEL_H
#define IOS_CRYPTO_TUNNEL_H

#include <stdbool.h>

struct ios_link;
struct thread_master;

/*
 * Reads the module argument tunnel-device=gre|adopt, opens rtnetlink and
 * registers the hooks; devices are first touched once the configuration
 * has been read (frr_config_post).
 */
void ios_crypto_tunnel_init(struct thread_master *master);

/* zebra stops: every tunnel device goes down (fail closed), none is deleted */
void ios_crypto_tunnel_finish(void);

/* "gre" or "adopt" (module argument tunnel-device) */
const char *ios_crypto_tunnel_device_mode(void);

/*
 * The device of tunnel interface name as the kernel has it: 0, -ENODEV,
 * or -errno; owned says whether it carries the module's mark.
 */
int ios_crypto_tunnel_device(const char *name, struct ios_link *link,
			     bool *owned);

/*
 * Tunnels announced up to ripd again after they come up, so that ripd's
 * request for the peer's routes is not lost (ios_crypto_tunnel_rip.c).
 * track: the device of tunnel name is (not) operative while the tunnel is
 * up; sweep: forget tunnels no longer configured.
 */
void ios_crypto_tunnel_rip_init(struct thread_master *master);
void ios_crypto_tunnel_rip_track(const char *name, bool operative);
void ios_crypto_tunnel_rip_sweep(void);
void ios_crypto_tunnel_rip_finish(void);

/* show tunnel interface, show interface lines, no interface TunnelN */
void ios_crypto_tunnel_vty_init(void);

#endif /* IOS_CRYPTO_TUNNEL_H */
