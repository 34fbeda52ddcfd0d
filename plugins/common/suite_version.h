/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/**
 * @defgroup suite_version suite_version
 * @{ @ingroup ios_ipsec_suite
 *
 * Guards every plugin of the suite against running in a charon of another
 * strongSwan version than the one its headers came from.
 *
 * The plugins are compiled against the headers and config.h of Debian's
 * source package. Structures such as ike_sa_t or peer_cfg_t change with the
 * version and with configure flags, so a plugin loaded into another charon
 * corrupts memory instead of failing. libstrongswan exports no version, but
 * every strongSwan daemon embeds "(strongSwan <VERSION>," in its startup
 * banner, so the running version is read from the executable itself.
 */

#ifndef SUITE_VERSION_H_
#define SUITE_VERSION_H_

#include <library.h>

/**
 * Find the strongSwan version in the image of a strongSwan daemon.
 *
 * @param image		bytes of the executable
 * @param buf		receives the version, e.g. "5.9.8"
 * @param len		size of buf
 * @return			TRUE if a version was found and fits into buf
 */
bool suite_version_find(chunk_t image, char *buf, size_t len);

/**
 * Read the strongSwan version of the running daemon (/proc/self/exe).
 *
 * @param buf		receives the version
 * @param len		size of buf
 * @return			TRUE if found
 */
bool suite_version_running(char *buf, size_t len);

/**
 * Check that the running strongSwan is the one the plugin was built for,
 * logging why it is not.
 *
 * @param plugin	name of the plugin, for the log line
 * @return			TRUE if the versions match
 */
bool suite_version_check(const char *plugin);

#endif /** SUITE_VERSION_H_ @}*/
