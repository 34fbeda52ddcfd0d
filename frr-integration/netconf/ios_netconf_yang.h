// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The YANG modules of the NETCONF protocol (ietf-netconf,
 * ietf-netconf-monitoring, notifications, ...), compiled into the module
 * by yang-embed.py so that the server needs no files at run time.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#ifndef IOS_NETCONF_YANG_H
#define IOS_NETCONF_YANG_H

struct ios_nc_yang {
	const char *name;
	const char *revision;
	const char *text;
};

/* terminated by an entry without name */
extern const struct ios_nc_yang ios_nc_yang_modules[];

#endif /* IOS_NETCONF_YANG_H */
