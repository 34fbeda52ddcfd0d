// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the VICI client's files share among themselves: the connection
 * (zebra_ios_vici.c), the SA table (zebra_ios_vici_sa.c) and the vty
 * commands (zebra_ios_vici_vty.c). Not for the rest of the module: it uses
 * zebra_ios_vici.h.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#ifndef ZEBRA_IOS_VICI_INTERNAL_H
#define ZEBRA_IOS_VICI_INTERNAL_H

#include "debug.h"
#include "memory.h"
#include "zebra_ios_vici.h"

DECLARE_MGROUP(IOS_VICI);

/* "debug crypto vici" */
extern struct debug zebra_ios_vici_debug;

#define VICI_DEBUGGING()                                                       \
	DEBUG_MODE_CHECK(&zebra_ios_vici_debug, DEBUG_MODE_ALL)

#define VICI_DEBUG(fmt, ...)                                                   \
	do {                                                                   \
		if (VICI_DEBUGGING())                                          \
			zlog_debug("vici: " fmt, ##__VA_ARGS__);               \
	} while (0)

/* values never written to logs (load-key, load-shared, ...) */
extern const char *const zebra_ios_vici_secret_keys[];

/* ------------------------------------------- SA table (zebra_ios_vici_sa.c) */

/** handle one of the SA events (ike-updown, child-updown, *-rekey, list-sa) */
void zebra_ios_vici_sa_event(const char *event, const struct vici_node *root);

/**
 * A list-sas starts (the resync after a connect, or a periodic refresh);
 * list-sa events follow. Both work alike: what is new is reported UP,
 * what charon no longer lists DOWN, both flagged as resync.
 */
void zebra_ios_vici_sa_resync_begin(void);

/**
 * The resync ended: 'complete' (the list-sas response arrived) removes
 * what was not listed; otherwise (disconnected) the table stays as it is.
 */
void zebra_ios_vici_sa_resync_end(bool complete);

size_t zebra_ios_vici_sa_ike_count(void);
size_t zebra_ios_vici_sa_child_count(void);

/** drop the table and the subscribers, without notifications */
void zebra_ios_vici_sa_fini(void);

/* ---------------------------------- vty commands (zebra_ios_vici_vty.c) */

void zebra_ios_vici_vty_init(void);

/* ---------------------------------------- connection (zebra_ios_vici.c) */

/** what "show crypto vici" shows besides the counters */
struct zebra_ios_vici_info {
	const char *socket_path;
	enum zebra_ios_vici_state state;
	/** seconds in the current state */
	int64_t state_age;
	/** DISCONNECTED: milliseconds until the next attempt */
	int64_t next_attempt_ms;
	/** the backoff the next failure will wait */
	unsigned int backoff_ms;
	/** queued commands, including the one in flight */
	size_t pending;
	/** name of the command in flight, "" if none */
	const char *in_flight;
	/** the last error, "" if none, and its age in seconds */
	const char *last_error;
	int64_t last_error_age;
	/* periodic list-sas: interval (0: off), age of the last one (-1: none) */
	unsigned int refresh_interval;
	int64_t last_refresh_age;
};

void zebra_ios_vici_get_info(struct zebra_ios_vici_info *info);

/** drop the connection (if any) and connect again at once */
void zebra_ios_vici_reconnect(void);

#endif /* ZEBRA_IOS_VICI_INTERNAL_H */
