// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Linux network devices of the tunnel interfaces, over rtnetlink (libmnl):
 * create and delete GRE devices, read a device back, change its flags,
 * MTU, alias and IPv4 addresses, and learn about link and address changes.
 *
 * Only mechanism lives here; what a device should look like is decided in
 * ios_crypto_tunnel.c. Every call that fails fills an error buffer with
 * the kernel's own words (its extended ack message where it gives one).
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#ifndef IOS_CRYPTO_GRE_H
#define IOS_CRYPTO_GRE_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

struct thread_master;

/* error texts passed back to callers */
#define IOS_GRE_ERR_SIZE 96
/* the kernel's IFALIASZ */
#define IOS_GRE_ALIAS_SIZE 256

/* a network device as the kernel reports it */
struct ios_link {
	int ifindex;
	char name[IFNAMSIZ];
	/* IFLA_INFO_KIND: "gre", "veth", ...; "" for none */
	char kind[16];
	/* IFF_* */
	unsigned int flags;
	uint32_t mtu;
	/* IFLA_IFALIAS, "" if none */
	char alias[IOS_GRE_ALIAS_SIZE];
	/* GRE endpoints (kind "gre") */
	struct in_addr local;
	struct in_addr remote;
	uint8_t ttl;
};

/* an IPv4 address of a device */
struct ios_link_addr {
	struct in_addr address;
	uint8_t prefixlen;
	/* IFA_F_SECONDARY etc. */
	uint32_t flags;
};

/*
 * Open the request socket and the listener for link and IPv4 address
 * changes; changed() runs in zebra's event loop after such a change.
 * Returns 0 or -errno (err says what failed).
 */
int ios_gre_init(struct thread_master *master, void (*changed)(void),
		 char *err, size_t err_size);
void ios_gre_fini(void);

/* The device called name: 0, -ENODEV if there is none, or -errno. */
int ios_link_get(const char *name, struct ios_link *link, char *err,
		 size_t err_size);

/* Every device of the namespace; cb may not call back into this file. */
int ios_link_walk(void (*cb)(const struct ios_link *link, void *arg),
		  void *arg, char *err, size_t err_size);

/*
 * Create GRE device name (ttl 255, down, multicast on so that RIPv2
 * multicast works over it as over an IOS tunnel) with alias. mtu 0 leaves
 * the kernel's choice.
 */
int ios_gre_create(const char *name, struct in_addr local,
		   struct in_addr remote, uint32_t mtu, const char *alias,
		   char *err, size_t err_size);

int ios_link_delete(int ifindex, char *err, size_t err_size);
int ios_link_set_up(int ifindex, bool up, char *err, size_t err_size);
int ios_link_set_mtu(int ifindex, uint32_t mtu, char *err, size_t err_size);
/* alias "" removes it */
int ios_link_set_alias(int ifindex, const char *alias, char *err,
		       size_t err_size);

/* The IPv4 addresses of a device (at most max); returns the count or -errno. */
int ios_link_addrs(int ifindex, struct ios_link_addr *addrs, int max,
		   char *err, size_t err_size);
int ios_link_addr_add(int ifindex, struct in_addr address, uint8_t prefixlen,
		      char *err, size_t err_size);
int ios_link_addr_del(int ifindex, struct in_addr address, uint8_t prefixlen,
		      char *err, size_t err_size);

/* The primary IPv4 address of device name: 0, -ENODEV, -EADDRNOTAVAIL. */
int ios_link_primary_ipv4(const char *name, struct in_addr *address,
			  char *err, size_t err_size);

#endif /* IOS_CRYPTO_GRE_H */
