// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Linux network devices of the tunnel interfaces over rtnetlink (libmnl).
 *
 * Two sockets: requests are answered synchronously (each a few
 * microseconds of kernel work, like zebra's own netlink_talk), and a
 * listener on RTNLGRP_LINK and RTNLGRP_IPV4_IFADDR tells the tunnel code
 * that devices or addresses changed, so that it can reconcile (a tunnel
 * source interface that gets another address, a device someone deleted).
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

/* the kernel's headers would redefine what glibc's already did */
#define _LINUX_IN6_H
#define _LINUX_IF_H
#define _LINUX_IP_H

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/if_tunnel.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "log.h"
#include "privs.h"
#include "thread.h"

#include "ios_crypto_gre.h"

/* zebra's privileges: CAP_NET_ADMIN for rtnetlink changes */
extern struct zebra_privs_t zserv_privs;

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

/* large enough for a dump batch of many devices */
#define GRE_NL_BUFSIZE (64 * 1024)
#define GRE_TTL 255

static struct {
	struct mnl_socket *request;
	struct mnl_socket *monitor;
	uint32_t seq;
	struct thread_master *master;
	struct thread *t_monitor;
	void (*changed)(void);
	/* the kernel's extended ack message of the last failed request */
	char ext_ack[IOS_GRE_ERR_SIZE];
} gre;

/*
 * The kernel's reason: its extended ack message with the error code's
 * text, e.g. "Unknown device type (Operation not supported)".
 */
static int gre_fail(int error, const char *what, char *err, size_t err_size)
{
	if (!err)
		return -error;
	if (gre.ext_ack[0])
		snprintf(err, err_size, "%s (%s)", gre.ext_ack,
			 safe_strerror(error));
	else
		snprintf(err, err_size, "%s: %s", what, safe_strerror(error));
	return -error;
}

/* ------------------------------------------------------------- requests */

static int ext_ack_attr_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		strlcpy(gre.ext_ack, mnl_attr_get_str(attr),
			sizeof(gre.ext_ack));
	return MNL_CB_OK;
}

/* NLMSG_ERROR: an ack (error 0) ends a request, an error fails it */
static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	unsigned int offset = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (e->error == 0)
		return MNL_CB_STOP;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			offset += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		if (mnl_nlmsg_size(offset) <= nlh->nlmsg_len)
			mnl_attr_parse(nlh, offset, ext_ack_attr_cb, NULL);
	}
	errno = -e->error;
	return MNL_CB_ERROR;
}

static int noop_cb(const struct nlmsghdr *nlh, void *data)
{
	return MNL_CB_OK;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	return MNL_CB_STOP;
}

static mnl_cb_t control_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP] = noop_cb,
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
	[NLMSG_OVERRUN] = noop_cb,
};

/*
 * Send one request and run cb on each answer until the ack, the end of
 * the dump or an error. Returns 0 or -errno.
 */
static int gre_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	static char buf[GRE_NL_BUFSIZE];
	unsigned int portid = mnl_socket_get_portid(gre.request);
	ssize_t len;
	int ret;

	gre.ext_ack[0] = '\0';
	/* an ack ends every request that is no dump, even a successful get */
	if (!(nlh->nlmsg_flags & NLM_F_DUMP))
		nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = ++gre.seq;
	frr_with_privs (&zserv_privs) {
		len = mnl_socket_sendto(gre.request, nlh, nlh->nlmsg_len);
	}
	if (len < 0)
		return -errno;
	for (;;) {
		len = mnl_socket_recvfrom(gre.request, buf, sizeof(buf));
		if (len < 0)
			return -errno;
		ret = mnl_cb_run2(buf, len, nlh->nlmsg_seq, portid, cb, data,
				  control_cbs, array_size(control_cbs));
		if (ret < 0)
			return -errno;
		if (ret == MNL_CB_STOP)
			return 0;
	}
}

static struct nlmsghdr *link_request(char *buf, uint16_t type, uint16_t flags,
				     int ifindex, unsigned int ifi_flags,
				     unsigned int ifi_change)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = ifi_flags;
	ifi->ifi_change = ifi_change;
	return nlh;
}

/* ---------------------------------------------------------------- links */

static int gre_data_attr_cb(const struct nlattr *attr, void *data)
{
	struct ios_link *link = data;

	switch (mnl_attr_get_type(attr)) {
	case IFLA_GRE_LOCAL:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			link->local.s_addr = mnl_attr_get_u32(attr);
		break;
	case IFLA_GRE_REMOTE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			link->remote.s_addr = mnl_attr_get_u32(attr);
		break;
	case IFLA_GRE_TTL:
		if (mnl_attr_validate(attr, MNL_TYPE_U8) == 0)
			link->ttl = mnl_attr_get_u8(attr);
		break;
	}
	return MNL_CB_OK;
}

static int link_info_attr_cb(const struct nlattr *attr, void *data)
{
	struct ios_link *link = data;

	switch (mnl_attr_get_type(attr)) {
	case IFLA_INFO_KIND:
		if (mnl_attr_validate(attr, MNL_TYPE_STRING) == 0)
			strlcpy(link->kind, mnl_attr_get_str(attr),
				sizeof(link->kind));
		break;
	case IFLA_INFO_DATA:
		/* kind comes first; only GRE's data is ours to read */
		if (strcmp(link->kind, "gre") == 0)
			mnl_attr_parse_nested(attr, gre_data_attr_cb, link);
		break;
	}
	return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	struct ios_link *link = data;

	switch (mnl_attr_get_type(attr)) {
	case IFLA_IFNAME:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			strlcpy(link->name, mnl_attr_get_str(attr),
				sizeof(link->name));
		break;
	case IFLA_MTU:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			link->mtu = mnl_attr_get_u32(attr);
		break;
	case IFLA_IFALIAS:
		strlcpy(link->alias, mnl_attr_get_payload(attr),
			MIN(sizeof(link->alias),
			    mnl_attr_get_payload_len(attr) + 1u));
		break;
	case IFLA_LINKINFO:
		mnl_attr_parse_nested(attr, link_info_attr_cb, link);
		break;
	}
	return MNL_CB_OK;
}

static void link_parse(const struct nlmsghdr *nlh, struct ios_link *link)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	memset(link, 0, sizeof(*link));
	link->ifindex = ifi->ifi_index;
	link->flags = ifi->ifi_flags;
	mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, link);
}

static int link_one_cb(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type == RTM_NEWLINK)
		link_parse(nlh, data);
	return MNL_CB_OK;
}

int ios_link_get(const char *name, struct ios_link *link, char *err,
		 size_t err_size)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int ret;

	nlh = link_request(buf, RTM_GETLINK, 0, 0, 0, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	memset(link, 0, sizeof(*link));
	ret = gre_talk(nlh, link_one_cb, link);
	if (ret == 0 && link->ifindex == 0)
		ret = -ENODEV;
	if (ret == -ENODEV)
		return ret;
	if (ret < 0)
		return gre_fail(-ret, "reading a device", err, err_size);
	return 0;
}

struct link_walk {
	void (*cb)(const struct ios_link *link, void *arg);
	void *arg;
};

static int link_walk_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_walk *walk = data;
	struct ios_link link;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	link_parse(nlh, &link);
	walk->cb(&link, walk->arg);
	return MNL_CB_OK;
}

int ios_link_walk(void (*cb)(const struct ios_link *link, void *arg),
		  void *arg, char *err, size_t err_size)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct link_walk walk = { .cb = cb, .arg = arg };
	int ret;

	ret = gre_talk(link_request(buf, RTM_GETLINK, NLM_F_DUMP, 0, 0, 0),
		       link_walk_cb, &walk);
	return ret < 0 ? gre_fail(-ret, "listing devices", err, err_size) : 0;
}

int ios_gre_create(const char *name, struct in_addr local,
		   struct in_addr remote, uint32_t mtu, const char *alias,
		   char *err, size_t err_size)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlattr *linkinfo, *data;
	struct nlmsghdr *nlh;
	struct ios_link link;
	int ret;

	/* created down: it goes up only while its IPsec SA is up */
	nlh = link_request(buf, RTM_NEWLINK,
			   NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, 0,
			   IFF_MULTICAST, IFF_MULTICAST | IFF_UP);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "gre");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_GRE_LOCAL, local.s_addr);
	mnl_attr_put_u32(nlh, IFLA_GRE_REMOTE, remote.s_addr);
	mnl_attr_put_u8(nlh, IFLA_GRE_TTL, GRE_TTL);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	ret = gre_talk(nlh, NULL, NULL);
	if (ret < 0)
		return gre_fail(-ret, "creating a GRE device", err, err_size);

	/* the kernel takes an alias only on existing devices */
	ret = ios_link_get(name, &link, err, err_size);
	if (ret < 0)
		return ret;
	return ios_link_set_alias(link.ifindex, alias, err, err_size);
}

int ios_link_delete(int ifindex, char *err, size_t err_size)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int ret;

	ret = gre_talk(link_request(buf, RTM_DELLINK, NLM_F_ACK, ifindex, 0, 0),
		       NULL, NULL);
	return ret < 0 ? gre_fail(-ret, "deleting a device", err, err_size)
		       : 0;
}

int ios_link_set_up(int ifindex, bool up, char *err, size_t err_size)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int ret;

	ret = gre_talk(link_request(buf, RTM_NEWLINK, NLM_F_ACK, ifindex,
				    up ? IFF_UP : 0, IFF_UP),
		       NULL, NULL);
	return ret < 0 ? gre_fail(-ret, up ? "setting a device up"
					   : "setting a device down",
				  err, err_size)
		       : 0;
}

int ios_link_set_mtu(int ifindex, uint32_t mtu, char *err, size_t err_size)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int ret;

	nlh = link_request(buf, RTM_NEWLINK, NLM_F_ACK, ifindex, 0, 0);
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	ret = gre_talk(nlh, NULL, NULL);
	return ret < 0 ? gre_fail(-ret, "setting the MTU", err, err_size) : 0;
}

int ios_link_set_alias(int ifindex, const char *alias, char *err,
		       size_t err_size)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int ret;

	nlh = link_request(buf, RTM_NEWLINK, NLM_F_ACK, ifindex, 0, 0);
	/* no terminating NUL: an empty payload removes the alias */
	mnl_attr_put(nlh, IFLA_IFALIAS, strlen(alias), alias);
	ret = gre_talk(nlh, NULL, NULL);
	return ret < 0 ? gre_fail(-ret, "setting the alias", err, err_size)
		       : 0;
}

/* ------------------------------------------------------------ addresses */

struct addr_list {
	int ifindex;
	struct ios_link_addr *addrs;
	int max;
	int count;
};

static int addr_attr_cb(const struct nlattr *attr, void *data)
{
	struct ios_link_addr *addr = data;

	switch (mnl_attr_get_type(attr)) {
	case IFA_LOCAL:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			addr->address.s_addr = mnl_attr_get_u32(attr);
		break;
	case IFA_ADDRESS:
		/* the peer's on point-to-point links; IFA_LOCAL wins */
		if (!addr->address.s_addr &&
		    mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			addr->address.s_addr = mnl_attr_get_u32(attr);
		break;
	case IFA_FLAGS:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			addr->flags = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

static int addr_list_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct addr_list *list = data;
	struct ios_link_addr addr = {};

	if (nlh->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != AF_INET ||
	    (int)ifa->ifa_index != list->ifindex || list->count >= list->max)
		return MNL_CB_OK;
	addr.prefixlen = ifa->ifa_prefixlen;
	addr.flags = ifa->ifa_flags;
	/* IFA_LOCAL must win over IFA_ADDRESS whatever their order */
	mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, &addr);
	list->addrs[list->count++] = addr;
	return MNL_CB_OK;
}

int ios_link_addrs(int ifindex, struct ios_link_addr *addrs, int max,
		   char *err, size_t err_size)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct addr_list list = { .ifindex = ifindex, .addrs = addrs,
				  .max = max };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	int ret;

	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_index = ifindex;
	ret = gre_talk(nlh, addr_list_cb, &list);
	if (ret < 0)
		return gre_fail(-ret, "listing addresses", err, err_size);
	return list.count;
}

static int addr_change(uint16_t type, uint16_t flags, int ifindex,
		       struct in_addr address, uint8_t prefixlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = prefixlen;
	ifa->ifa_index = ifindex;
	mnl_attr_put_u32(nlh, IFA_LOCAL, address.s_addr);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, address.s_addr);
	if (type == RTM_NEWADDR && prefixlen < 31) {
		uint32_t host = prefixlen ? 0xffffffffu >> prefixlen
					  : 0xffffffffu;

		mnl_attr_put_u32(nlh, IFA_BROADCAST,
				 address.s_addr | htonl(host));
	}
	return gre_talk(nlh, NULL, NULL);
}

int ios_link_addr_add(int ifindex, struct in_addr address, uint8_t prefixlen,
		      char *err, size_t err_size)
{
	int ret = addr_change(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifindex,
			      address, prefixlen);

	return ret < 0 ? gre_fail(-ret, "adding an address", err, err_size)
		       : 0;
}

int ios_link_addr_del(int ifindex, struct in_addr address, uint8_t prefixlen,
		      char *err, size_t err_size)
{
	int ret = addr_change(RTM_DELADDR, 0, ifindex, address, prefixlen);

	return ret < 0 ? gre_fail(-ret, "removing an address", err, err_size)
		       : 0;
}

int ios_link_primary_ipv4(const char *name, struct in_addr *address,
			  char *err, size_t err_size)
{
	struct ios_link_addr addrs[16];
	struct ios_link link;
	int count, i, ret;

	ret = ios_link_get(name, &link, err, err_size);
	if (ret < 0)
		return ret;
	count = ios_link_addrs(link.ifindex, addrs, array_size(addrs), err,
			       err_size);
	if (count < 0)
		return count;
	for (i = 0; i < count; i++) {
		if (addrs[i].flags & IFA_F_SECONDARY)
			continue;
		*address = addrs[i].address;
		return 0;
	}
	return -EADDRNOTAVAIL;
}

/* -------------------------------------------------------------- monitor */

static void gre_monitor_read(struct thread *t)
{
	static char buf[GRE_NL_BUFSIZE];
	int fd = mnl_socket_get_fd(gre.monitor);
	bool seen = false;
	ssize_t len;

	thread_add_read(gre.master, gre_monitor_read, NULL, fd,
			&gre.t_monitor);
	/* what changed does not matter: the tunnel code reconciles all */
	for (;;) {
		len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (len > 0 || (len < 0 && errno == ENOBUFS)) {
			seen = true;
			continue;
		}
		if (len < 0 && errno == EINTR)
			continue;
		break;
	}
	if (seen && gre.changed)
		gre.changed();
}

static struct mnl_socket *gre_socket_open(unsigned int groups)
{
	struct mnl_socket *nl;
	int on = 1;

	frr_with_privs (&zserv_privs) {
		nl = mnl_socket_open(NETLINK_ROUTE);
	}
	if (!nl)
		return NULL;
	/* the kernel's reason for a refusal, without our request echoed */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &on, sizeof(on));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &on, sizeof(on));
	if (mnl_socket_bind(nl, groups, MNL_SOCKET_AUTOPID) < 0) {
		int saved = errno;

		mnl_socket_close(nl);
		errno = saved;
		return NULL;
	}
	return nl;
}

int ios_gre_init(struct thread_master *master, void (*changed)(void),
		 char *err, size_t err_size)
{
	gre.master = master;
	gre.changed = changed;
	gre.request = gre_socket_open(0);
	if (!gre.request)
		return gre_fail(errno, "opening an rtnetlink socket", err,
				err_size);
	gre.monitor = gre_socket_open(RTMGRP_LINK | RTMGRP_IPV4_IFADDR);
	if (!gre.monitor) {
		int ret = gre_fail(errno, "listening to rtnetlink", err,
				   err_size);

		ios_gre_fini();
		return ret;
	}
	thread_add_read(master, gre_monitor_read, NULL,
			mnl_socket_get_fd(gre.monitor), &gre.t_monitor);
	return 0;
}

void ios_gre_fini(void)
{
	THREAD_OFF(gre.t_monitor);
	if (gre.monitor)
		mnl_socket_close(gre.monitor);
	if (gre.request)
		mnl_socket_close(gre.request);
	gre.monitor = gre.request = NULL;
	gre.changed = NULL;
}
