// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VICI client of the zebra module: talks to strongSwan's charon over its
 * control socket from zebra's event loop, without ever blocking it.
 *
 * - connects to the socket (module argument "vici=PATH", default
 *   /run/charon.vici; "vici=off" disables the client), reconnecting with
 *   exponential backoff (0.5 s doubling to 30 s) while charon is absent;
 *   "vici-timeout=SECONDS" (default 60) bounds the wait for a response;
 * - keeps charon's traffic counters of every CHILD SA, refreshed by a
 *   periodic list-sas while ESTABLISHED ("vici-refresh=SECONDS", default
 *   10, 0 = off): counters change in the kernel without any event;
 * - registers for ike-updown, child-updown, ike-rekey and child-rekey and
 *   resynchronises its SA table with list-sas after every (re)connect;
 * - tells subscribers when an IKE or CHILD SA comes up, goes down or is
 *   rekeyed, and answers queries about the SAs it knows;
 * - sends commands one at a time (VICI matches responses by order) and
 *   reports each result to a callback.
 *
 * Commands are accepted only while the socket is connected; a charon
 * restart forgets everything loaded over VICI, so a user of this API loads
 * its configuration whenever the state callback reports
 * ZEBRA_IOS_VICI_ESTABLISHED, not once at startup.
 *
 * Every pointer handed to a callback is valid during the callback only.
 * Callbacks may send commands; they must not call zebra_ios_vici_finish().
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#ifndef ZEBRA_IOS_VICI_H
#define ZEBRA_IOS_VICI_H

#include "ipaddr.h"
#include "zebra_ios_vici_msg.h"

struct thread_master;

#define ZEBRA_IOS_VICI_DEFAULT_SOCKET "/run/charon.vici"

/* ------------------------------------------------------------ lifecycle */

/**
 * Start the client and install its commands. Call once from the module's
 * frr_late_init hook (commands need cmd_init). Reads the module argument
 * (-M ios_crypto:vici=PATH) for the socket path.
 */
void zebra_ios_vici_init(struct thread_master *master);

/** Close the connection and free everything, without calling callbacks. */
void zebra_ios_vici_finish(void);

/* ----------------------------------------------------- connection state */

enum zebra_ios_vici_state {
	/** disabled by "vici=off" or an unusable socket path */
	ZEBRA_IOS_VICI_DISABLED,
	/** not connected, waiting for the next attempt (backoff) */
	ZEBRA_IOS_VICI_DISCONNECTED,
	/** non-blocking connect in progress */
	ZEBRA_IOS_VICI_CONNECTING,
	/** connected; registering for events and resynchronising SAs */
	ZEBRA_IOS_VICI_SYNCING,
	/** resynchronised: the SA table is current, events are flowing */
	ZEBRA_IOS_VICI_ESTABLISHED,
};

const char *zebra_ios_vici_state_name(enum zebra_ios_vici_state state);
enum zebra_ios_vici_state zebra_ios_vici_get_state(void);

/**
 * Called on every state change, e.g. to (re)load connections into charon
 * when it becomes ZEBRA_IOS_VICI_ESTABLISHED.
 */
typedef void (*zebra_ios_vici_state_cb)(enum zebra_ios_vici_state state,
					void *arg);
void zebra_ios_vici_state_subscribe(zebra_ios_vici_state_cb cb, void *arg);
void zebra_ios_vici_state_unsubscribe(zebra_ios_vici_state_cb cb, void *arg);

/* ------------------------------------------------------------------ SAs */

/** an IKE SA charon reported as established */
struct zebra_ios_vici_ike_sa {
	const char *name;		/* connection (IKE config) name */
	uint32_t uniqueid;
	unsigned int version;		/* IKE version 1 or 2, 0 if unknown */
	const char *state;		/* charon's state name, e.g. ESTABLISHED */
	struct ipaddr local_host;	/* IPADDR_NONE if charon sent none */
	struct ipaddr remote_host;
	const char *local_id;		/* "" if charon sent none */
	const char *remote_id;
};

/** a CHILD SA charon reported as installed */
struct zebra_ios_vici_child_sa {
	const char *name;		/* CHILD config name */
	uint32_t uniqueid;
	uint32_t reqid;
	const char *state;		/* e.g. INSTALLED */
	const char *mode;		/* TUNNEL, TRANSPORT, BEET */
	const char *protocol;		/* ESP, AH */
	uint32_t spi_in, spi_out;
	size_t local_ts_count, remote_ts_count;
	const char *const *local_ts;	/* as charon prints them */
	const char *const *remote_ts;	/* e.g. "20.1.1.2/32[gre]" */
	const struct zebra_ios_vici_ike_sa *ike;	/* the IKE SA it is under */
	/*
	 * charon's counters of this SA (kernel state as of counters_time,
	 * the monotime of the list-sas or event that carried them; 0 if
	 * charon never sent any). A rekeyed SA starts again from 0.
	 */
	uint64_t bytes_in, packets_in, bytes_out, packets_out;
	time_t counters_time;
};

enum zebra_ios_vici_sa_change {
	ZEBRA_IOS_VICI_SA_UP,
	ZEBRA_IOS_VICI_SA_DOWN,
	/** replaced by a new SA (uniqueid changed, old_uniqueid is the old) */
	ZEBRA_IOS_VICI_SA_REKEYED,
};

const char *zebra_ios_vici_sa_change_name(enum zebra_ios_vici_sa_change c);

struct zebra_ios_vici_sa_event {
	enum zebra_ios_vici_sa_change change;
	/** learnt from a list-sas resync instead of an event */
	bool resync;
	const struct zebra_ios_vici_ike_sa *ike;
	/** NULL for an IKE SA change */
	const struct zebra_ios_vici_child_sa *child;
	/** ZEBRA_IOS_VICI_SA_REKEYED: uniqueid of the replaced SA */
	uint32_t old_uniqueid;
};

/**
 * Called for every SA change. When an IKE SA goes down, its CHILD SAs are
 * reported down first. After a reconnect, the resync reports what changed
 * while the client was away (SAs gone: DOWN, new SAs: UP); SAs that are
 * still there are not reported again. While disconnected the table keeps
 * its last contents (charon may still be running, the kernel SAs too).
 */
typedef void (*zebra_ios_vici_sa_cb)(const struct zebra_ios_vici_sa_event *ev,
				     void *arg);
void zebra_ios_vici_sa_subscribe(zebra_ios_vici_sa_cb cb, void *arg);
void zebra_ios_vici_sa_unsubscribe(zebra_ios_vici_sa_cb cb, void *arg);

/**
 * Called after a list-sas (resync or periodic refresh) updated the traffic
 * counters of at least one CHILD SA. Counters are not SA changes: no
 * zebra_ios_vici_sa_cb runs for them.
 */
typedef void (*zebra_ios_vici_counters_cb)(void *arg);
void zebra_ios_vici_counters_subscribe(zebra_ios_vici_counters_cb cb,
				       void *arg);
void zebra_ios_vici_counters_unsubscribe(zebra_ios_vici_counters_cb cb,
					 void *arg);

/** an established IKE SA of connection 'name' (the newest), or NULL */
const struct zebra_ios_vici_ike_sa *zebra_ios_vici_ike_sa_find(const char *name);

/** an installed CHILD SA named 'child' under connection 'ike', or NULL */
const struct zebra_ios_vici_child_sa *
zebra_ios_vici_child_sa_find(const char *ike, const char *child);

/** an installed CHILD SA with this reqid, or NULL */
const struct zebra_ios_vici_child_sa *
zebra_ios_vici_child_sa_find_reqid(uint32_t reqid);

/** visit every known CHILD SA (child NULL: an IKE SA without children) */
typedef void (*zebra_ios_vici_sa_walk_cb)(
	const struct zebra_ios_vici_ike_sa *ike,
	const struct zebra_ios_vici_child_sa *child, void *arg);
void zebra_ios_vici_sa_walk(zebra_ios_vici_sa_walk_cb cb, void *arg);

/**
 * visit the CHILD SAs named 'name' (CHILD config name), in no particular
 * order; an index lookup, not a walk over the table
 */
void zebra_ios_vici_child_sa_walk_name(const char *name,
				       zebra_ios_vici_sa_walk_cb cb, void *arg);

/** visit the CHILD SAs of the IKE SA with this uniqueid */
void zebra_ios_vici_ike_sa_children_walk(uint32_t uniqueid,
					 zebra_ios_vici_sa_walk_cb cb,
					 void *arg);

/* ------------------------------------------------------------- commands */

enum zebra_ios_vici_status {
	ZEBRA_IOS_VICI_RESULT_OK,
	/** charon answered success = no */
	ZEBRA_IOS_VICI_RESULT_FAILED,
	/** charon does not know the command (CMD_UNKNOWN) */
	ZEBRA_IOS_VICI_RESULT_UNKNOWN_COMMAND,
	/** the connection was lost before the response */
	ZEBRA_IOS_VICI_RESULT_DISCONNECTED,
	/** no response in time; the connection is reset */
	ZEBRA_IOS_VICI_RESULT_TIMEOUT,
};

const char *zebra_ios_vici_status_name(enum zebra_ios_vici_status status);

struct zebra_ios_vici_result {
	enum zebra_ios_vici_status status;
	/** charon's errmsg, or why the command failed; "" if none */
	const char *errmsg;
	/** the response message (NULL unless charon answered) */
	const struct vici_node *response;
};

typedef void (*zebra_ios_vici_result_cb)(
	const char *command, const struct zebra_ios_vici_result *result,
	void *arg);

/**
 * Generic command: vici_builder_init(b, VICI_CMD_REQUEST, "<command>"),
 * add the arguments with the vici_builder_* functions, then send.
 *
 * @param b		the request; emptied whether it is sent or not
 * @param timeout_ms	time charon has to answer before the connection is
 *			reset (0: the default, vici-timeout or 60 s)
 * @param cb		result callback (may be NULL), called exactly once
 *			if and only if this returns 0; never from inside
 *			this call
 * @return		0 if queued, -1 if not connected or 'b' holds an
 *			encoding error (logged)
 */
int zebra_ios_vici_send(struct vici_builder *b, unsigned int timeout_ms,
			zebra_ios_vici_result_cb cb, void *arg);

/**
 * load-conn: zebra_ios_vici_load_conn_begin() opens the request and the
 * section <name>; the caller adds the connection's settings (swanctl.conf
 * keys, "local"/"remote"/"children" sub-sections), then
 * zebra_ios_vici_load_conn_send() closes the section and sends it.
 */
void zebra_ios_vici_load_conn_begin(struct vici_builder *b, const char *name);
int zebra_ios_vici_load_conn_send(struct vici_builder *b,
				  zebra_ios_vici_result_cb cb, void *arg);

int zebra_ios_vici_unload_conn(const char *name, zebra_ios_vici_result_cb cb,
			       void *arg);

/**
 * initiate/terminate by configuration name ('ike' and/or 'child' may be
 * NULL). timeout_ms < 0 asks charon to answer at once (the outcome then
 * arrives as SA events), > 0 to wait for the outcome that long.
 */
int zebra_ios_vici_initiate(const char *ike, const char *child,
			    int timeout_ms, zebra_ios_vici_result_cb cb,
			    void *arg);
int zebra_ios_vici_terminate(const char *ike, const char *child,
			     int timeout_ms, zebra_ios_vici_result_cb cb,
			     void *arg);

/** terminate one CHILD SA by its uniqueid; charon answers at once */
int zebra_ios_vici_terminate_child_id(uint32_t uniqueid,
				     zebra_ios_vici_result_cb cb, void *arg);

/**
 * list the SAs again as soon as possible (after one under way), to drop
 * SAs charon deleted without an event
 */
void zebra_ios_vici_relist(void);

/** load-key: 'type' rsa|ecdsa|ed25519|any, PEM or DER data */
int zebra_ios_vici_load_key(const char *type, const void *data, size_t len,
			    zebra_ios_vici_result_cb cb, void *arg);

/**
 * load-shared: a shared secret ('type' IKE, EAP, XAUTH...) for 'owners'
 * (identities; none: any). 'id' (may be NULL) names it for replacement.
 * The secret never appears in logs.
 */
int zebra_ios_vici_load_shared(const char *id, const char *type,
			       const void *data, size_t len,
			       const char *const *owners, size_t owner_count,
			       zebra_ios_vici_result_cb cb, void *arg);

/** unload-shared: remove the shared secret loaded with this 'id' */
int zebra_ios_vici_unload_shared(const char *id, zebra_ios_vici_result_cb cb,
				 void *arg);

int zebra_ios_vici_reload_settings(zebra_ios_vici_result_cb cb, void *arg);

/**
 * Forget the callbacks of queued commands whose arg is 'arg' (e.g. before
 * freeing it); the commands themselves still run.
 */
void zebra_ios_vici_cancel(void *arg);

/* ------------------------------------------------------------ statistics */

struct zebra_ios_vici_stats {
	uint64_t connect_attempts;
	uint64_t connects;		/* successful connects */
	uint64_t disconnects;		/* connections lost or dropped */
	uint64_t events;		/* all EVENT packets */
	uint64_t ike_updown, child_updown, ike_rekey, child_rekey, list_sa;
	uint64_t commands_sent, commands_ok, commands_failed;
	uint64_t resyncs;		/* completed list-sas resyncs */
	uint64_t refreshes;		/* completed periodic list-sas */
	uint64_t protocol_errors;	/* malformed or unexpected input */
};

const struct zebra_ios_vici_stats *zebra_ios_vici_get_stats(void);

#endif /* ZEBRA_IOS_VICI_H */
