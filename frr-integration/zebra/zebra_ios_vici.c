// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VICI client of the zebra module: the connection to charon's control
 * socket, framing, and the command queue.
 *
 * One connection, driven by zebra's event loop:
 *
 *   DISCONNECTED --timer--> connect() --EINPROGRESS--> CONNECTING
 *        ^                     |                           |
 *        |                     +------ connected ----------+
 *        |                     v
 *        +---- error ----  SYNCING: event registrations, list-sas
 *                              |  (list-sa events rebuild the SA table)
 *                              v  list-sas response
 *                          ESTABLISHED <--+
 *                              |          | list-sas response
 *                              +----------+
 *                            refresh timer: list-sas
 *                            CHILD SA down event: list-sas at once
 *
 * The periodic refresh is the resync again, queued like any command: it
 * brings charon's traffic counters (which change without events) and
 * reports SAs that appeared or vanished unnoticed, exactly as a resync.
 * A CHILD SA reported down brings one at once: its IKEv1 twins vanish
 * without events (vici_child_down()).
 *
 * VICI has no request ids: a response belongs to the oldest request, so
 * only the head of the queue is ever on the wire. A request that charon
 * never answers would block the queue forever; its timer resets the
 * connection instead, since a late answer could not be matched any more.
 * Anything malformed from the socket is a protocol error that drops the
 * connection: after it the byte stream cannot be trusted.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include <sys/socket.h>
#include <sys/un.h>

#include "lib_errors.h"
#include "log.h"
#include "memory.h"
#include "module.h"
#include "monotime.h"
#include "network.h"
#include "printfrr.h"
#include "thread.h"
#include "typesafe.h"

#include "frr-integration/zebra/zebra_ios_crypto.h"
#include "frr-integration/zebra/zebra_ios_vici_internal.h"

DEFINE_MGROUP(IOS_VICI, "ios-ipsec-suite VICI client");
DEFINE_MTYPE_STATIC(IOS_VICI, IOS_VICI_REQUEST, "VICI request");
DEFINE_MTYPE_STATIC(IOS_VICI, IOS_VICI_WIRE, "VICI frames and messages");
DEFINE_MTYPE_STATIC(IOS_VICI, IOS_VICI_SUBSCRIBER, "VICI state subscriber");
DEFINE_MTYPE_STATIC(IOS_VICI, IOS_VICI_PATH, "VICI socket path");

/* backoff between connection attempts */
#define VICI_BACKOFF_MIN_MS 500
#define VICI_BACKOFF_MAX_MS 30000
/*
 * How long charon has to answer a request before the connection is reset,
 * unless the module argument vici-timeout=SECONDS says otherwise.
 */
#define VICI_REQUEST_TIMEOUT_MS 60000
#define VICI_REQUEST_TIMEOUT_MAX_S 3600
/*
 * Periodic list-sas while ESTABLISHED, unless vici-refresh=SECONDS says
 * otherwise (0: off). The first runs one interval after the resync.
 */
#define VICI_REFRESH_S 10
#define VICI_REFRESH_MAX_S 3600
/* a refresh due while commands are queued waits this long and retries */
#define VICI_REFRESH_BUSY_MS 1000
/* receive buffer: grown for large frames, shrunk again when idle */
#define VICI_IBUF_DEFAULT (16 * 1024)

struct debug zebra_ios_vici_debug = { .desc = "crypto vici" };

const char *const zebra_ios_vici_secret_keys[] = {
	"data", "secret", "pin", NULL,
};

/* events we register for, in this order, after connecting */
static const char *const vici_events[] = {
	"ike-updown", "child-updown", "ike-rekey", "child-rekey", "list-sa",
};

PREDECL_DLIST(vici_requests);

struct vici_request;
/* what the client itself does with a response (registration, resync) */
typedef void (*vici_internal_cb)(struct vici_request *req,
				 const struct vici_packet *packet,
				 const struct vici_node *response);

struct vici_request {
	struct vici_requests_item item;
	enum vici_packet_type type;	/* CMD_REQUEST or EVENT_REGISTER */
	char name[256];
	uint8_t *frame;
	size_t frame_len;
	size_t written;
	unsigned int timeout_ms;
	zebra_ios_vici_result_cb cb;
	void *arg;
	vici_internal_cb internal;
};

DECLARE_DLIST(vici_requests, struct vici_request, item);

PREDECL_DLIST(vici_state_subs);

struct vici_state_sub {
	struct vici_state_subs_item item;
	zebra_ios_vici_state_cb cb;
	void *arg;
};

DECLARE_DLIST(vici_state_subs, struct vici_state_sub, item);

static struct vici_client {
	struct thread_master *master;
	char *socket_path;
	enum zebra_ios_vici_state state;
	struct timeval state_since;
	int fd;
	/* bumped on every disconnect: stale loops notice they lost the fd */
	uint64_t generation;

	struct thread *t_reconnect;
	struct thread *t_connect;	/* write-ready of a pending connect */
	struct thread *t_read;
	struct thread *t_write;
	struct thread *t_timeout;
	struct thread *t_refresh;

	unsigned int request_timeout_ms;
	unsigned int backoff_ms;
	struct timeval next_attempt;
	/* connect failures in a row; only the first is logged at info */
	unsigned int failures;

	/* received bytes not yet processed */
	uint8_t *ibuf;
	size_t ibuf_len;
	size_t ibuf_cap;

	/* the head is on the wire once it has been (partly) written */
	struct vici_requests_head requests;
	bool head_sent;

	/* a list-sas (resync or refresh) is queued or on the wire */
	bool resyncing;
	/* a CHILD SA went down meanwhile: list again when it is done */
	bool relist;

	unsigned int refresh_s;
	struct timeval last_refresh;	/* zero: none yet */

	struct vici_state_subs_head state_subs;
	struct zebra_ios_vici_stats stats;
	char last_error[256];
	struct timeval last_error_time;
	bool initialised;
} vici = {
	.fd = -1,
};

static void vici_reconnect_timer(struct thread *t);
static void vici_connect_done(struct thread *t);
static void vici_read(struct thread *t);
static void vici_write(struct thread *t);
static void vici_send_next(void);
static void vici_schedule_refresh(unsigned int delay_ms);
static void vici_list_sas(void);

/* --------------------------------------------------------- memory hooks */

static void *vici_wire_alloc(size_t size)
{
	return XMALLOC(MTYPE_IOS_VICI_WIRE, size);
}

static void *vici_wire_realloc(void *ptr, size_t size)
{
	return XREALLOC(MTYPE_IOS_VICI_WIRE, ptr, size);
}

static void vici_wire_free(void *ptr)
{
	XFREE(MTYPE_IOS_VICI_WIRE, ptr);
}

static const struct vici_allocator vici_wire_allocator = {
	.alloc = vici_wire_alloc,
	.realloc = vici_wire_realloc,
	.free = vici_wire_free,
};

/* ------------------------------------------------------------------ state */

const char *zebra_ios_vici_state_name(enum zebra_ios_vici_state state)
{
	switch (state) {
	case ZEBRA_IOS_VICI_DISABLED:
		return "disabled";
	case ZEBRA_IOS_VICI_DISCONNECTED:
		return "disconnected";
	case ZEBRA_IOS_VICI_CONNECTING:
		return "connecting";
	case ZEBRA_IOS_VICI_SYNCING:
		return "syncing";
	case ZEBRA_IOS_VICI_ESTABLISHED:
		return "established";
	}
	return "?";
}

enum zebra_ios_vici_state zebra_ios_vici_get_state(void)
{
	return vici.state;
}

void zebra_ios_vici_state_subscribe(zebra_ios_vici_state_cb cb, void *arg)
{
	struct vici_state_sub *sub;

	sub = XCALLOC(MTYPE_IOS_VICI_SUBSCRIBER, sizeof(*sub));
	sub->cb = cb;
	sub->arg = arg;
	vici_state_subs_add_tail(&vici.state_subs, sub);
}

void zebra_ios_vici_state_unsubscribe(zebra_ios_vici_state_cb cb, void *arg)
{
	struct vici_state_sub *sub;

	frr_each_safe (vici_state_subs, &vici.state_subs, sub) {
		if (sub->cb == cb && sub->arg == arg) {
			vici_state_subs_del(&vici.state_subs, sub);
			XFREE(MTYPE_IOS_VICI_SUBSCRIBER, sub);
		}
	}
}

static void vici_set_state(enum zebra_ios_vici_state state)
{
	struct vici_state_sub *sub;

	if (vici.state == state)
		return;
	VICI_DEBUG("state %s -> %s", zebra_ios_vici_state_name(vici.state),
		   zebra_ios_vici_state_name(state));
	vici.state = state;
	monotime(&vici.state_since);
	frr_each_safe (vici_state_subs, &vici.state_subs, sub)
		sub->cb(state, sub->arg);
}

static void vici_record_error(const char *fmt, ...) PRINTFRR(1, 2);
static void vici_record_error(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintfrr(vici.last_error, sizeof(vici.last_error), fmt, args);
	va_end(args);
	monotime(&vici.last_error_time);
}

/* ------------------------------------------------------------- requests */

static void vici_request_free(struct vici_request *req)
{
	vici_free(req->frame);
	XFREE(MTYPE_IOS_VICI_REQUEST, req);
}

/* tell a request's owner how it ended and free it (already dequeued) */
static void vici_request_complete(struct vici_request *req,
				  const struct vici_packet *packet,
				  const struct vici_node *response,
				  enum zebra_ios_vici_status status,
				  const char *errmsg)
{
	struct zebra_ios_vici_result result = {
		.status = status,
		.errmsg = errmsg ? errmsg : "",
		.response = response,
	};

	if (req->internal)
		req->internal(req, packet, response);
	if (req->type == VICI_CMD_REQUEST && !req->internal) {
		if (status == ZEBRA_IOS_VICI_RESULT_OK)
			vici.stats.commands_ok++;
		else
			vici.stats.commands_failed++;
		VICI_DEBUG("command %s: %s%s%s", req->name,
			   zebra_ios_vici_status_name(status),
			   *result.errmsg ? ": " : "", result.errmsg);
	}
	if (req->cb)
		req->cb(req->name, &result, req->arg);
	vici_request_free(req);
}

static int vici_enqueue(enum vici_packet_type type, const char *name,
			struct vici_builder *b, unsigned int timeout_ms,
			zebra_ios_vici_result_cb cb, void *arg,
			vici_internal_cb internal)
{
	struct vici_request *req;
	enum vici_error error;
	uint8_t *frame;
	size_t len;

	/* the client's own requests are queued while connecting */
	if (vici.fd < 0 || (!internal && vici.state < ZEBRA_IOS_VICI_SYNCING)) {
		vici_builder_discard(b);
		VICI_DEBUG("%s not sent: not connected", name);
		return -1;
	}
	error = vici_builder_finish(b, &frame, &len);
	if (error != VICI_OK) {
		flog_warn(EC_LIB_DEVELOPMENT,
			  "vici: cannot encode request %s: %s", name,
			  vici_strerror(error));
		return -1;
	}
	req = XCALLOC(MTYPE_IOS_VICI_REQUEST, sizeof(*req));
	req->type = type;
	strlcpy(req->name, name, sizeof(req->name));
	req->frame = frame;
	req->frame_len = len;
	req->timeout_ms = timeout_ms ? timeout_ms : vici.request_timeout_ms;
	req->cb = cb;
	req->arg = arg;
	req->internal = internal;
	vici_requests_add_tail(&vici.requests, req);
	if (type == VICI_CMD_REQUEST && !internal)
		vici.stats.commands_sent++;
	vici_send_next();
	return 0;
}

/* the command name of a request built with vici_builder_init */
static bool vici_builder_command(const struct vici_builder *b, char *name,
				 size_t size)
{
	struct vici_packet packet;

	if (b->error != VICI_OK || b->len < VICI_FRAME_HEADER_LEN + 1)
		return false;
	if (vici_packet_parse(b->buf + VICI_FRAME_HEADER_LEN,
			      b->len - VICI_FRAME_HEADER_LEN, &packet) != VICI_OK
	    || packet.type != VICI_CMD_REQUEST)
		return false;
	strlcpy(name, packet.name, size);
	return true;
}

int zebra_ios_vici_send(struct vici_builder *b, unsigned int timeout_ms,
			zebra_ios_vici_result_cb cb, void *arg)
{
	char name[256];

	if (!vici_builder_command(b, name, sizeof(name))) {
		flog_warn(EC_LIB_DEVELOPMENT,
			  "vici: request not sent: %s",
			  b->error != VICI_OK ? vici_strerror(b->error)
					      : "not a command request");
		vici_builder_discard(b);
		return -1;
	}
	return vici_enqueue(VICI_CMD_REQUEST, name, b, timeout_ms, cb, arg,
			    NULL);
}

void zebra_ios_vici_cancel(void *arg)
{
	struct vici_request *req;

	frr_each (vici_requests, &vici.requests, req) {
		if (req->arg == arg) {
			req->cb = NULL;
			req->arg = NULL;
		}
	}
}

/* ------------------------------------------------------------ the socket */

static void vici_close_socket(void)
{
	THREAD_OFF(vici.t_connect);
	THREAD_OFF(vici.t_read);
	THREAD_OFF(vici.t_write);
	THREAD_OFF(vici.t_timeout);
	THREAD_OFF(vici.t_refresh);
	if (vici.fd >= 0) {
		close(vici.fd);
		vici.fd = -1;
	}
	vici.generation++;
	vici.ibuf_len = 0;
	if (vici.ibuf_cap > VICI_IBUF_DEFAULT) {
		XFREE(MTYPE_IOS_VICI_WIRE, vici.ibuf);
		vici.ibuf_cap = 0;
	}
}

static void vici_schedule_reconnect(void)
{
	unsigned int delay = vici.backoff_ms;

	thread_add_timer_msec(vici.master, vici_reconnect_timer, NULL, delay,
			      &vici.t_reconnect);
	monotime(&vici.next_attempt);
	vici.next_attempt.tv_sec += delay / 1000;
	vici.next_attempt.tv_usec += (delay % 1000) * 1000;
	if (vici.next_attempt.tv_usec >= 1000000) {
		vici.next_attempt.tv_sec++;
		vici.next_attempt.tv_usec -= 1000000;
	}
	VICI_DEBUG("next connection attempt in %u ms", delay);
	vici.backoff_ms = MIN(vici.backoff_ms * 2, VICI_BACKOFF_MAX_MS);
}

/*
 * Drop the connection: everything queued fails with DISCONNECTED (the
 * callbacks see the client disconnected already, so they cannot queue
 * anything new on the dead socket), the resync is abandoned, and the next
 * attempt is scheduled.
 */
static void vici_disconnect(enum zebra_ios_vici_status status,
			    const char *why)
{
	struct vici_request *req;
	bool was_connected = vici.state >= ZEBRA_IOS_VICI_SYNCING;

	if (was_connected) {
		vici.stats.disconnects++;
		zlog_info("vici: connection to %s lost: %s", vici.socket_path,
			  why);
	}
	vici_close_socket();
	if (vici.resyncing) {
		vici.resyncing = false;
		zebra_ios_vici_sa_resync_end(false);
	}
	vici.relist = false;
	/* an established session earns a quick first retry */
	if (vici.state == ZEBRA_IOS_VICI_ESTABLISHED)
		vici.backoff_ms = VICI_BACKOFF_MIN_MS;
	vici_set_state(ZEBRA_IOS_VICI_DISCONNECTED);
	vici.head_sent = false;
	while ((req = vici_requests_pop(&vici.requests)))
		vici_request_complete(req, NULL, NULL, status, why);
	if (vici.state == ZEBRA_IOS_VICI_DISCONNECTED &&
	    !vici.t_reconnect)
		vici_schedule_reconnect();
}

static void vici_protocol_error(const char *fmt, ...) PRINTFRR(1, 2);
static void vici_protocol_error(const char *fmt, ...)
{
	char why[256];
	va_list args;

	va_start(args, fmt);
	vsnprintfrr(why, sizeof(why), fmt, args);
	va_end(args);
	vici.stats.protocol_errors++;
	vici_record_error("%s", why);
	flog_warn(EC_LIB_SOCKET,
		  "vici: protocol error from %s: %s; dropping the connection",
		  vici.socket_path, why);
	vici_disconnect(ZEBRA_IOS_VICI_RESULT_DISCONNECTED, why);
}

static void vici_register_events(void);

static void vici_connected(void)
{
	vici.stats.connects++;
	vici.failures = 0;
	zlog_info("vici: connected to %s", vici.socket_path);
	thread_add_read(vici.master, vici_read, NULL, vici.fd, &vici.t_read);
	/*
	 * Registrations and the resync go first in the queue: commands that
	 * state subscribers send on SYNCING must not overtake them.
	 */
	vici_register_events();
	vici_set_state(ZEBRA_IOS_VICI_SYNCING);
	vici_send_next();
}

static void vici_connect_failed(const char *why)
{
	vici_record_error("connect to %s: %s", vici.socket_path, why);
	if (vici.failures++ == 0)
		zlog_info("vici: cannot connect to %s: %s; retrying with backoff",
			  vici.socket_path, why);
	else
		VICI_DEBUG("cannot connect to %s: %s", vici.socket_path, why);
	vici_close_socket();
	vici_set_state(ZEBRA_IOS_VICI_DISCONNECTED);
	vici_schedule_reconnect();
}

static void vici_connect(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	vici.stats.connect_attempts++;
	VICI_DEBUG("connecting to %s", vici.socket_path);
	strlcpy(addr.sun_path, vici.socket_path, sizeof(addr.sun_path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		vici_connect_failed(safe_strerror(errno));
		return;
	}
	vici.fd = fd;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
		vici_connected();
		return;
	}
	if (errno == EINPROGRESS) {
		/* completes when the socket becomes writable */
		vici_set_state(ZEBRA_IOS_VICI_CONNECTING);
		thread_add_write(vici.master, vici_connect_done, NULL, fd,
				 &vici.t_connect);
		return;
	}
	/* ENOENT, ECONNREFUSED, EACCES, and EAGAIN (charon's backlog full) */
	vici_connect_failed(safe_strerror(errno));
}

static void vici_connect_done(struct thread *t)
{
	int error = 0;
	socklen_t len = sizeof(error);

	if (getsockopt(vici.fd, SOL_SOCKET, SO_ERROR, &error, &len) < 0)
		error = errno;
	if (error) {
		vici_connect_failed(safe_strerror(error));
		return;
	}
	vici_connected();
}

static void vici_reconnect_timer(struct thread *t)
{
	if (vici.fd >= 0 || vici.state == ZEBRA_IOS_VICI_DISABLED)
		return;
	vici_connect();
}

void zebra_ios_vici_reconnect(void)
{
	if (vici.state == ZEBRA_IOS_VICI_DISABLED)
		return;
	if (vici.fd >= 0)
		vici_disconnect(ZEBRA_IOS_VICI_RESULT_DISCONNECTED,
				"reconnect requested");
	THREAD_OFF(vici.t_reconnect);
	vici.backoff_ms = VICI_BACKOFF_MIN_MS;
	vici_connect();
}

/* ---------------------------------------------------------------- output */

static void vici_request_timeout(struct thread *t)
{
	struct vici_request *req = vici_requests_first(&vici.requests);
	char why[300];

	snprintf(why, sizeof(why), "no response to %s within %u ms",
		 req ? req->name : "?", req ? req->timeout_ms : 0);
	vici_record_error("%s", why);
	flog_warn(EC_LIB_SOCKET, "vici: %s; resetting the connection", why);
	vici_disconnect(ZEBRA_IOS_VICI_RESULT_TIMEOUT, why);
}

static void vici_write(struct thread *t)
{
	struct vici_request *req = vici_requests_first(&vici.requests);
	ssize_t n;

	if (!req || vici.fd < 0)
		return;
	n = send(vici.fd, req->frame + req->written,
		 req->frame_len - req->written, MSG_NOSIGNAL);
	if (n < 0) {
		if (ERRNO_IO_RETRY(errno)) {
			thread_add_write(vici.master, vici_write, NULL, vici.fd,
					 &vici.t_write);
			return;
		}
		vici_record_error("send: %s", safe_strerror(errno));
		vici_disconnect(ZEBRA_IOS_VICI_RESULT_DISCONNECTED,
				safe_strerror(errno));
		return;
	}
	req->written += n;
	if (req->written < req->frame_len) {
		thread_add_write(vici.master, vici_write, NULL, vici.fd,
				 &vici.t_write);
		return;
	}
	VICI_DEBUG("sent %s %s (%zu bytes)", vici_packet_type_name(req->type),
		   req->name, req->frame_len);
}

/*
 * Put the head of the queue on the wire, unless one is there already. The
 * write itself runs from the event loop: a failing write drops the
 * connection and completes every request, which must not happen inside
 * zebra_ios_vici_send().
 */
static void vici_send_next(void)
{
	struct vici_request *req = vici_requests_first(&vici.requests);

	if (!req || vici.head_sent || vici.fd < 0 ||
	    vici.state < ZEBRA_IOS_VICI_SYNCING)
		return;
	vici.head_sent = true;
	thread_add_timer_msec(vici.master, vici_request_timeout, NULL,
			      req->timeout_ms, &vici.t_timeout);
	if (VICI_DEBUGGING()) {
		struct vici_packet packet;
		struct vici_msg *msg;
		char text[1024] = "";

		if (vici_packet_parse(req->frame + VICI_FRAME_HEADER_LEN,
				      req->frame_len - VICI_FRAME_HEADER_LEN,
				      &packet) == VICI_OK &&
		    vici_msg_parse(packet.body, packet.body_len, &msg,
				   NULL) == VICI_OK) {
			vici_node_format(vici_msg_root(msg), text, sizeof(text),
					 zebra_ios_vici_secret_keys);
			vici_msg_free(msg);
		}
		zlog_debug("vici: sending %s %s {%s}",
			   vici_packet_type_name(req->type), req->name, text);
	}
	thread_add_write(vici.master, vici_write, NULL, vici.fd, &vici.t_write);
}

/* ----------------------------------------------------------------- input */

static void vici_handle_response(const struct vici_packet *packet)
{
	struct vici_request *req = vici_requests_first(&vici.requests);
	struct vici_msg *msg = NULL;
	enum zebra_ios_vici_status status = ZEBRA_IOS_VICI_RESULT_OK;
	const char *errmsg = NULL;
	enum vici_error error;
	size_t offset = 0;
	bool is_event_reply = packet->type == VICI_EVENT_CONFIRM ||
			      packet->type == VICI_EVENT_UNKNOWN;

	if (!req || !vici.head_sent ||
	    req->written < req->frame_len) {
		vici_protocol_error("unexpected %s: no request is waiting",
				    vici_packet_type_name(packet->type));
		return;
	}
	if (is_event_reply != (req->type == VICI_EVENT_REGISTER)) {
		vici_protocol_error("%s in reply to %s %s",
				    vici_packet_type_name(packet->type),
				    vici_packet_type_name(req->type),
				    req->name);
		return;
	}
	if (packet->type == VICI_CMD_RESPONSE) {
		error = vici_msg_parse(packet->body, packet->body_len, &msg,
				       &offset);
		if (error != VICI_OK) {
			vici_protocol_error("malformed response to %s: %s at byte %zu",
					    req->name, vici_strerror(error),
					    offset);
			return;
		}
		if (VICI_DEBUGGING()) {
			char text[1024];

			vici_node_format(vici_msg_root(msg), text, sizeof(text),
					 zebra_ios_vici_secret_keys);
			zlog_debug("vici: response to %s {%s}", req->name,
				   text);
		}
		{
			const char *success = vici_node_get_str(
				vici_msg_root(msg), "success");

			if (success && strcmp(success, "yes") != 0) {
				status = ZEBRA_IOS_VICI_RESULT_FAILED;
				errmsg = vici_node_get_str(vici_msg_root(msg),
							   "errmsg");
			}
		}
	} else if (packet->type == VICI_CMD_UNKNOWN) {
		status = ZEBRA_IOS_VICI_RESULT_UNKNOWN_COMMAND;
		errmsg = "command not supported by the daemon";
		VICI_DEBUG("charon does not know command %s", req->name);
	} else if (packet->type == VICI_EVENT_UNKNOWN) {
		status = ZEBRA_IOS_VICI_RESULT_FAILED;
		errmsg = "unknown event";
	} else {
		VICI_DEBUG("registered for %s", req->name);
	}

	THREAD_OFF(vici.t_timeout);
	vici_requests_pop(&vici.requests);
	vici.head_sent = false;
	vici_request_complete(req, packet, msg ? vici_msg_root(msg) : NULL,
			      status, errmsg);
	vici_msg_free(msg);
	vici_send_next();
}

/*
 * charon deletes an IKEv1 CHILD SA that has an installed twin (same
 * config and selectors, as when both peers initiate at once) without a
 * child-updown, here and at the peer that receives its Delete. So when a
 * CHILD SA is reported down, its twins may be gone unnoticed: the client
 * lists the SAs again at once rather than at the next refresh.
 */
static bool vici_child_down(const char *event, const struct vici_node *root)
{
	const char *up;

	if (strcmp(event, "child-updown") != 0)
		return false;
	up = vici_node_get_str(root, "up");
	return !up || strcmp(up, "yes") != 0;
}

void zebra_ios_vici_relist(void)
{
	if (vici.resyncing) {
		/* the listing under way may predate the deletion */
		vici.relist = true;
		return;
	}
	if (vici.state != ZEBRA_IOS_VICI_ESTABLISHED)
		return;
	THREAD_OFF(vici.t_refresh);
	vici_list_sas();
}

static void vici_handle_event(const struct vici_packet *packet)
{
	struct vici_msg *msg;
	enum vici_error error;
	size_t offset = 0;

	vici.stats.events++;
	error = vici_msg_parse(packet->body, packet->body_len, &msg, &offset);
	if (error != VICI_OK) {
		vici_protocol_error("malformed %s event: %s at byte %zu",
				    packet->name, vici_strerror(error), offset);
		return;
	}
	if (VICI_DEBUGGING()) {
		char text[1024];

		vici_node_format(vici_msg_root(msg), text, sizeof(text),
				 zebra_ios_vici_secret_keys);
		zlog_debug("vici: event %s {%s}", packet->name, text);
	}
	if (strcmp(packet->name, "ike-updown") == 0)
		vici.stats.ike_updown++;
	else if (strcmp(packet->name, "child-updown") == 0)
		vici.stats.child_updown++;
	else if (strcmp(packet->name, "ike-rekey") == 0)
		vici.stats.ike_rekey++;
	else if (strcmp(packet->name, "child-rekey") == 0)
		vici.stats.child_rekey++;
	else if (strcmp(packet->name, "list-sa") == 0)
		vici.stats.list_sa++;

	if (strcmp(packet->name, "list-sa") == 0 && !vici.resyncing)
		VICI_DEBUG("list-sa event outside a resync ignored");
	else
		zebra_ios_vici_sa_event(packet->name, vici_msg_root(msg));
	if (vici_child_down(packet->name, vici_msg_root(msg)))
		zebra_ios_vici_relist();
	vici_msg_free(msg);
}

static void vici_handle_frame(const uint8_t *frame, size_t len)
{
	struct vici_packet packet;
	enum vici_error error;

	error = vici_packet_parse(frame, len, &packet);
	if (error != VICI_OK) {
		vici_protocol_error("malformed packet: %s",
				    vici_strerror(error));
		return;
	}
	VICI_DEBUG("received %s%s%s (%zu bytes)",
		   vici_packet_type_name(packet.type), *packet.name ? " " : "",
		   packet.name, len);
	switch (packet.type) {
	case VICI_EVENT:
		vici_handle_event(&packet);
		break;
	case VICI_CMD_RESPONSE:
	case VICI_CMD_UNKNOWN:
	case VICI_EVENT_CONFIRM:
	case VICI_EVENT_UNKNOWN:
		vici_handle_response(&packet);
		break;
	default:
		/* requests and registrations only go the other way */
		vici_protocol_error("unexpected %s from the daemon",
				    vici_packet_type_name(packet.type));
		break;
	}
}

/*
 * Process the complete frames in the receive buffer. Returns false if the
 * connection was dropped meanwhile (by an error, or by a callback).
 */
static bool vici_process_input(void)
{
	uint64_t generation = vici.generation;
	size_t pos = 0;

	while (vici.ibuf_len - pos >= VICI_FRAME_HEADER_LEN) {
		uint32_t len;

		if (vici_frame_length(vici.ibuf + pos, &len) != VICI_OK) {
			uint32_t raw = (uint32_t)vici.ibuf[pos] << 24 |
				       (uint32_t)vici.ibuf[pos + 1] << 16 |
				       (uint32_t)vici.ibuf[pos + 2] << 8 |
				       vici.ibuf[pos + 3];

			vici_protocol_error("frame length %u outside 1..%u",
					    raw, VICI_FRAME_MAX);
			return false;
		}
		if (vici.ibuf_len - pos - VICI_FRAME_HEADER_LEN < len) {
			/* make room for the rest of this frame */
			size_t need = VICI_FRAME_HEADER_LEN + len;

			if (need > vici.ibuf_cap) {
				memmove(vici.ibuf, vici.ibuf + pos,
					vici.ibuf_len - pos);
				vici.ibuf_len -= pos;
				pos = 0;
				vici.ibuf = XREALLOC(MTYPE_IOS_VICI_WIRE,
						     vici.ibuf, need);
				vici.ibuf_cap = need;
			}
			break;
		}
		vici_handle_frame(vici.ibuf + pos + VICI_FRAME_HEADER_LEN, len);
		if (vici.generation != generation)
			return false;
		pos += VICI_FRAME_HEADER_LEN + len;
	}
	if (pos) {
		memmove(vici.ibuf, vici.ibuf + pos, vici.ibuf_len - pos);
		vici.ibuf_len -= pos;
	}
	return true;
}

static void vici_read(struct thread *t)
{
	ssize_t n;

	if (vici.fd < 0)
		return;
	if (!vici.ibuf) {
		vici.ibuf = XMALLOC(MTYPE_IOS_VICI_WIRE, VICI_IBUF_DEFAULT);
		vici.ibuf_cap = VICI_IBUF_DEFAULT;
	}
	/*
	 * One read per wakeup, at most a buffer's worth: a chatty daemon
	 * gets its turn like everything else in zebra's loop.
	 */
	n = read(vici.fd, vici.ibuf + vici.ibuf_len,
		 vici.ibuf_cap - vici.ibuf_len);
	if (n < 0) {
		if (ERRNO_IO_RETRY(errno)) {
			thread_add_read(vici.master, vici_read, NULL, vici.fd,
					&vici.t_read);
			return;
		}
		vici_record_error("read: %s", safe_strerror(errno));
		vici_disconnect(ZEBRA_IOS_VICI_RESULT_DISCONNECTED,
				safe_strerror(errno));
		return;
	}
	if (n == 0) {
		vici_record_error("connection closed by the daemon");
		vici_disconnect(ZEBRA_IOS_VICI_RESULT_DISCONNECTED,
				"connection closed by the daemon");
		return;
	}
	vici.ibuf_len += n;
	if (!vici_process_input())
		return;
	/* a large frame grew the buffer: give the memory back */
	if (vici.ibuf_len == 0 && vici.ibuf_cap > VICI_IBUF_DEFAULT) {
		XFREE(MTYPE_IOS_VICI_WIRE, vici.ibuf);
		vici.ibuf_cap = 0;
	}
	thread_add_read(vici.master, vici_read, NULL, vici.fd, &vici.t_read);
}

/* ------------------------------------------------------------ the resync */

static void vici_list_sas_done(struct vici_request *req,
			       const struct vici_packet *packet,
			       const struct vici_node *response)
{
	if (!packet) {
		/* connection lost: vici_disconnect() ends the resync */
		return;
	}
	vici.resyncing = false;
	vici.stats.resyncs++;
	zebra_ios_vici_sa_resync_end(true);
	vici.backoff_ms = VICI_BACKOFF_MIN_MS;
	zlog_info("vici: synchronised with %s: %zu IKE SAs, %zu CHILD SAs",
		  vici.socket_path, zebra_ios_vici_sa_ike_count(),
		  zebra_ios_vici_sa_child_count());
	vici_set_state(ZEBRA_IOS_VICI_ESTABLISHED);
	if (vici.relist) {
		vici.relist = false;
		vici_list_sas();
		return;
	}
	vici_schedule_refresh(vici.refresh_s * 1000);
}

static void vici_refresh_done(struct vici_request *req,
			      const struct vici_packet *packet,
			      const struct vici_node *response)
{
	if (!packet) {
		/* connection lost: vici_disconnect() ends the resync */
		return;
	}
	vici.resyncing = false;
	vici.stats.refreshes++;
	monotime(&vici.last_refresh);
	zebra_ios_vici_sa_resync_end(true);
	VICI_DEBUG("refreshed: %zu IKE SAs, %zu CHILD SAs",
		   zebra_ios_vici_sa_ike_count(),
		   zebra_ios_vici_sa_child_count());
	if (vici.relist) {
		vici.relist = false;
		vici_list_sas();
		return;
	}
	vici_schedule_refresh(vici.refresh_s * 1000);
}

/*
 * Counters move in the kernel without events: ask charon again. Only when
 * the queue is idle, so that a refresh never delays a command.
 */
static void vici_refresh_timer(struct thread *t)
{
	if (vici.state != ZEBRA_IOS_VICI_ESTABLISHED || vici.resyncing)
		return;
	if (vici_requests_count(&vici.requests)) {
		vici_schedule_refresh(VICI_REFRESH_BUSY_MS);
		return;
	}
	vici_list_sas();
}

/* a refresh (or relist): the same list-sas as the resync, queued */
static void vici_list_sas(void)
{
	struct vici_builder b;

	vici.resyncing = true;
	zebra_ios_vici_sa_resync_begin();
	vici_builder_init(&b, VICI_CMD_REQUEST, "list-sas");
	if (vici_enqueue(VICI_CMD_REQUEST, "list-sas", &b, 0, NULL, NULL,
			 vici_refresh_done) < 0) {
		vici.resyncing = false;
		zebra_ios_vici_sa_resync_end(false);
	}
}

static void vici_schedule_refresh(unsigned int delay_ms)
{
	if (!vici.refresh_s || vici.state != ZEBRA_IOS_VICI_ESTABLISHED)
		return;
	thread_add_timer_msec(vici.master, vici_refresh_timer, NULL, delay_ms,
			      &vici.t_refresh);
}

static void vici_registered(struct vici_request *req,
			    const struct vici_packet *packet,
			    const struct vici_node *response)
{
	if (packet && packet->type == VICI_EVENT_UNKNOWN) {
		vici_record_error("daemon does not know event %s", req->name);
		flog_warn(EC_LIB_SOCKET,
			  "vici: %s does not know event %s: SA state may be incomplete",
			  vici.socket_path, req->name);
	}
}

static void vici_register_events(void)
{
	struct vici_builder b;
	size_t i;

	for (i = 0; i < array_size(vici_events); i++) {
		vici_builder_init(&b, VICI_EVENT_REGISTER, vici_events[i]);
		vici_enqueue(VICI_EVENT_REGISTER, vici_events[i], &b, 0, NULL,
			     NULL, vici_registered);
	}
	/*
	 * list-sa events stream before the list-sas response; resync_begin
	 * runs now so that events arriving meanwhile count as seen.
	 */
	vici.resyncing = true;
	zebra_ios_vici_sa_resync_begin();
	vici_builder_init(&b, VICI_CMD_REQUEST, "list-sas");
	vici_enqueue(VICI_CMD_REQUEST, "list-sas", &b, 0, NULL, NULL,
		     vici_list_sas_done);
}

/* -------------------------------------------------------------- commands */

const char *zebra_ios_vici_status_name(enum zebra_ios_vici_status status)
{
	switch (status) {
	case ZEBRA_IOS_VICI_RESULT_OK:
		return "success";
	case ZEBRA_IOS_VICI_RESULT_FAILED:
		return "failed";
	case ZEBRA_IOS_VICI_RESULT_UNKNOWN_COMMAND:
		return "unknown command";
	case ZEBRA_IOS_VICI_RESULT_DISCONNECTED:
		return "disconnected";
	case ZEBRA_IOS_VICI_RESULT_TIMEOUT:
		return "timeout";
	}
	return "?";
}

void zebra_ios_vici_load_conn_begin(struct vici_builder *b, const char *name)
{
	vici_builder_init(b, VICI_CMD_REQUEST, "load-conn");
	vici_builder_section_start(b, name);
}

int zebra_ios_vici_load_conn_send(struct vici_builder *b,
				  zebra_ios_vici_result_cb cb, void *arg)
{
	vici_builder_section_end(b);
	return zebra_ios_vici_send(b, 0, cb, arg);
}

/* a command whose request is one key and its value */
static int vici_send_named(const char *command, const char *key,
			   const char *value, zebra_ios_vici_result_cb cb,
			   void *arg)
{
	struct vici_builder b;

	vici_builder_init(&b, VICI_CMD_REQUEST, command);
	vici_builder_kv_str(&b, key, value);
	return zebra_ios_vici_send(&b, 0, cb, arg);
}

int zebra_ios_vici_unload_conn(const char *name, zebra_ios_vici_result_cb cb,
			       void *arg)
{
	return vici_send_named("unload-conn", "name", name, cb, arg);
}

/* our own deadline: charon's plus a margin for its answer */
static unsigned int vici_deadline(int timeout_ms)
{
	if (timeout_ms <= 0)
		return 0;
	return MAX((unsigned int)timeout_ms + 10000, vici.request_timeout_ms);
}

static int vici_control(const char *command, const char *ike,
			const char *child, int timeout_ms,
			zebra_ios_vici_result_cb cb, void *arg)
{
	struct vici_builder b;

	vici_builder_init(&b, VICI_CMD_REQUEST, command);
	if (child)
		vici_builder_kv_str(&b, "child", child);
	if (ike)
		vici_builder_kv_str(&b, "ike", ike);
	/* charon's default of 0 would wait forever */
	vici_builder_kv_printf(&b, "timeout", "%d",
			       timeout_ms > 0 ? timeout_ms : -1);
	return zebra_ios_vici_send(&b, vici_deadline(timeout_ms), cb, arg);
}

int zebra_ios_vici_initiate(const char *ike, const char *child,
			    int timeout_ms, zebra_ios_vici_result_cb cb,
			    void *arg)
{
	return vici_control("initiate", ike, child, timeout_ms, cb, arg);
}

int zebra_ios_vici_terminate(const char *ike, const char *child,
			     int timeout_ms, zebra_ios_vici_result_cb cb,
			     void *arg)
{
	return vici_control("terminate", ike, child, timeout_ms, cb, arg);
}

int zebra_ios_vici_terminate_child_id(uint32_t uniqueid,
				     zebra_ios_vici_result_cb cb, void *arg)
{
	struct vici_builder b;

	vici_builder_init(&b, VICI_CMD_REQUEST, "terminate");
	vici_builder_kv_printf(&b, "child-id", "%u", uniqueid);
	vici_builder_kv_printf(&b, "timeout", "%d", -1);
	return zebra_ios_vici_send(&b, 0, cb, arg);
}

int zebra_ios_vici_load_key(const char *type, const void *data, size_t len,
			    zebra_ios_vici_result_cb cb, void *arg)
{
	struct vici_builder b;

	vici_builder_init(&b, VICI_CMD_REQUEST, "load-key");
	vici_builder_kv_str(&b, "type", type);
	vici_builder_kv(&b, "data", data, len);
	return zebra_ios_vici_send(&b, 0, cb, arg);
}

int zebra_ios_vici_load_shared(const char *id, const char *type,
			       const void *data, size_t len,
			       const char *const *owners, size_t owner_count,
			       zebra_ios_vici_result_cb cb, void *arg)
{
	struct vici_builder b;
	size_t i;

	vici_builder_init(&b, VICI_CMD_REQUEST, "load-shared");
	if (id)
		vici_builder_kv_str(&b, "id", id);
	vici_builder_kv_str(&b, "type", type);
	vici_builder_kv(&b, "data", data, len);
	vici_builder_list_start(&b, "owners");
	for (i = 0; i < owner_count; i++)
		vici_builder_list_item_str(&b, owners[i]);
	vici_builder_list_end(&b);
	return zebra_ios_vici_send(&b, 0, cb, arg);
}

int zebra_ios_vici_unload_shared(const char *id, zebra_ios_vici_result_cb cb,
				 void *arg)
{
	return vici_send_named("unload-shared", "id", id, cb, arg);
}

int zebra_ios_vici_reload_settings(zebra_ios_vici_result_cb cb, void *arg)
{
	struct vici_builder b;

	vici_builder_init(&b, VICI_CMD_REQUEST, "reload-settings");
	return zebra_ios_vici_send(&b, 0, cb, arg);
}

/* ----------------------------------------------------------- information */

const struct zebra_ios_vici_stats *zebra_ios_vici_get_stats(void)
{
	return &vici.stats;
}

void zebra_ios_vici_get_info(struct zebra_ios_vici_info *info)
{
	struct vici_request *head = vici_requests_first(&vici.requests);

	memset(info, 0, sizeof(*info));
	info->socket_path = vici.socket_path ? vici.socket_path : "";
	info->state = vici.state;
	info->state_age = monotime_since(&vici.state_since, NULL) / 1000000;
	if (vici.state == ZEBRA_IOS_VICI_DISCONNECTED && vici.t_reconnect)
		info->next_attempt_ms =
			MAX(monotime_until(&vici.next_attempt, NULL) / 1000, 0);
	info->backoff_ms = vici.backoff_ms;
	info->pending = vici_requests_count(&vici.requests);
	info->in_flight = head && vici.head_sent ? head->name : "";
	info->last_error = vici.last_error;
	info->last_error_age =
		*vici.last_error
			? monotime_since(&vici.last_error_time, NULL) / 1000000
			: 0;
	info->refresh_interval = vici.refresh_s;
	info->last_refresh_age =
		vici.last_refresh.tv_sec
			? monotime_since(&vici.last_refresh, NULL) / 1000000
			: -1;
}

/* -------------------------------------------------------------- lifecycle */

static void vici_read_module_args(void)
{
	char value[PATH_MAX];
	char *end;
	unsigned long seconds;

	if (!zebra_ios_crypto_module_arg("vici", value, sizeof(value)))
		strlcpy(value, ZEBRA_IOS_VICI_DEFAULT_SOCKET, sizeof(value));
	vici.socket_path = XSTRDUP(MTYPE_IOS_VICI_PATH, value);

	vici.request_timeout_ms = VICI_REQUEST_TIMEOUT_MS;
	if (zebra_ios_crypto_module_arg("vici-timeout", value, sizeof(value))) {
		errno = 0;
		seconds = strtoul(value, &end, 10);
		if (errno || end == value || *end || seconds < 1 ||
		    seconds > VICI_REQUEST_TIMEOUT_MAX_S)
			flog_err(EC_LIB_DEVELOPMENT,
				 "vici: vici-timeout=%s is not 1..%u seconds; using %u",
				 value, VICI_REQUEST_TIMEOUT_MAX_S,
				 VICI_REQUEST_TIMEOUT_MS / 1000);
		else
			vici.request_timeout_ms = seconds * 1000;
	}

	vici.refresh_s = VICI_REFRESH_S;
	if (zebra_ios_crypto_module_arg("vici-refresh", value, sizeof(value))) {
		errno = 0;
		seconds = strtoul(value, &end, 10);
		if (errno || end == value || *end ||
		    seconds > VICI_REFRESH_MAX_S)
			flog_err(EC_LIB_DEVELOPMENT,
				 "vici: vici-refresh=%s is not 0..%u seconds; using %u",
				 value, VICI_REFRESH_MAX_S, VICI_REFRESH_S);
		else
			vici.refresh_s = seconds;
	}
}

void zebra_ios_vici_init(struct thread_master *master)
{
	struct sockaddr_un addr;

	if (vici.initialised)
		return;
	vici.initialised = true;
	vici.master = master;
	vici.fd = -1;
	vici.backoff_ms = VICI_BACKOFF_MIN_MS;
	vici_requests_init(&vici.requests);
	vici_state_subs_init(&vici.state_subs);
	vici_set_allocator(&vici_wire_allocator);
	monotime(&vici.state_since);
	vici_read_module_args();
	zebra_ios_vici_vty_init();

	if (strcmp(vici.socket_path, "off") == 0) {
		zlog_info("vici: client disabled by the module argument");
		vici.state = ZEBRA_IOS_VICI_DISABLED;
		return;
	}
	if (vici.socket_path[0] == '\0' ||
	    strlen(vici.socket_path) >= sizeof(addr.sun_path)) {
		flog_err(EC_LIB_SOCKET,
			 "vici: socket path '%s' is empty or longer than %zu bytes; client disabled",
			 vici.socket_path, sizeof(addr.sun_path) - 1);
		vici_record_error("unusable socket path");
		vici.state = ZEBRA_IOS_VICI_DISABLED;
		return;
	}
	zlog_info("vici: client for %s, commands time out after %u s, SA refresh every %u s (0: off)",
		  vici.socket_path, vici.request_timeout_ms / 1000,
		  vici.refresh_s);
	vici.state = ZEBRA_IOS_VICI_DISCONNECTED;
	/* first attempt as soon as the event loop runs */
	thread_add_timer_msec(master, vici_reconnect_timer, NULL, 0,
			      &vici.t_reconnect);
}

void zebra_ios_vici_finish(void)
{
	struct vici_request *req;
	struct vici_state_sub *sub;

	if (!vici.initialised)
		return;
	THREAD_OFF(vici.t_reconnect);
	vici_close_socket();
	XFREE(MTYPE_IOS_VICI_WIRE, vici.ibuf);
	vici.ibuf_cap = 0;
	while ((req = vici_requests_pop(&vici.requests)))
		vici_request_free(req);
	vici_requests_fini(&vici.requests);
	while ((sub = vici_state_subs_pop(&vici.state_subs)))
		XFREE(MTYPE_IOS_VICI_SUBSCRIBER, sub);
	vici_state_subs_fini(&vici.state_subs);
	zebra_ios_vici_sa_fini();
	XFREE(MTYPE_IOS_VICI_PATH, vici.socket_path);
	vici_set_allocator(NULL);
	vici.state = ZEBRA_IOS_VICI_DISABLED;
	vici.initialised = false;
}
