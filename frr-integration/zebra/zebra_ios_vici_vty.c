// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VICI client of the zebra module: its commands.
 *
 *   show crypto vici [json]        connection state and counters
 *   show crypto vici sas [json]    the SAs the client knows
 *   [no] debug crypto vici         connection, frames, events, SA changes
 *   clear crypto vici              drop the connection, reconnect at once
 *   crypto vici request ...        (hidden) send any command, for tests
 *                                  and diagnosis
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include <zebra.h>

#include "command.h"
#include "json.h"
#include "log.h"
#include "monotime.h"
#include "vty.h"
#include "zebra/debug.h"

/* vtysh's extract.pl preprocesses this file with FRR's include path only */
#ifndef VTYSH_EXTRACT_PL
#include "frr-integration/zebra/zebra_ios_vici_internal.h"
#endif

/* the outcome of the last "crypto vici request", for show crypto vici */
static char last_request[512];
static unsigned int request_counter;

static const char *interval(int64_t seconds, char *buf, size_t size)
{
	return frrtime_to_interval(seconds > 0 ? seconds : 0, buf, size);
}

static void show_text(struct vty *vty)
{
	const struct zebra_ios_vici_stats *st = zebra_ios_vici_get_stats();
	struct zebra_ios_vici_info info;
	char age[32];

	zebra_ios_vici_get_info(&info);
	vty_out(vty, "VICI client (strongSwan control socket)\n");
	vty_out(vty, "  Socket:          %s\n", info.socket_path);
	vty_out(vty, "  State:           %s for %s\n",
		zebra_ios_vici_state_name(info.state),
		interval(info.state_age, age, sizeof(age)));
	if (info.state == ZEBRA_IOS_VICI_DISCONNECTED)
		vty_out(vty,
			"  Reconnect:       next attempt in %" PRId64
			" ms, then backoff %u ms\n",
			info.next_attempt_ms, info.backoff_ms);
	vty_out(vty,
		"  Connections:     %" PRIu64 " connects (%" PRIu64
		" reconnects), %" PRIu64 " attempts, %" PRIu64
		" disconnects\n",
		st->connects, st->connects ? st->connects - 1 : 0,
		st->connect_attempts, st->disconnects);
	vty_out(vty,
		"  Events received: %" PRIu64 " (ike-updown %" PRIu64
		", child-updown %" PRIu64 ", ike-rekey %" PRIu64
		", child-rekey %" PRIu64 ", list-sa %" PRIu64 ")\n",
		st->events, st->ike_updown, st->child_updown, st->ike_rekey,
		st->child_rekey, st->list_sa);
	vty_out(vty,
		"  Commands:        %" PRIu64 " sent, %" PRIu64
		" succeeded, %" PRIu64 " failed, %zu queued%s%s\n",
		st->commands_sent, st->commands_ok, st->commands_failed,
		info.pending, *info.in_flight ? ", in flight: " : "",
		info.in_flight);
	vty_out(vty, "  Resyncs:         %" PRIu64 "\n", st->resyncs);
	if (!info.refresh_interval)
		vty_out(vty, "  SA refresh:      off\n");
	else if (info.last_refresh_age < 0)
		vty_out(vty,
			"  SA refresh:      every %u s, %" PRIu64 " done\n",
			info.refresh_interval, st->refreshes);
	else
		vty_out(vty,
			"  SA refresh:      every %u s, %" PRIu64
			" done, last %s ago\n",
			info.refresh_interval, st->refreshes,
			interval(info.last_refresh_age, age, sizeof(age)));
	vty_out(vty, "  Protocol errors: %" PRIu64 "\n", st->protocol_errors);
	if (*info.last_error)
		vty_out(vty, "  Last error:      %s (%s ago)\n",
			info.last_error,
			interval(info.last_error_age, age, sizeof(age)));
	else
		vty_out(vty, "  Last error:      none\n");
	if (*last_request)
		vty_out(vty, "  Last request:    %s\n", last_request);
	vty_out(vty, "  SAs:             %zu IKE, %zu CHILD\n",
		zebra_ios_vici_sa_ike_count(), zebra_ios_vici_sa_child_count());
}

static int show_json(struct vty *vty)
{
	const struct zebra_ios_vici_stats *st = zebra_ios_vici_get_stats();
	struct zebra_ios_vici_info info;
	json_object *json = json_object_new_object();
	json_object *events = json_object_new_object();
	json_object *commands = json_object_new_object();

	zebra_ios_vici_get_info(&info);
	json_object_string_add(json, "socket", info.socket_path);
	json_object_string_add(json, "state",
			       zebra_ios_vici_state_name(info.state));
	json_object_int_add(json, "stateAge", info.state_age);
	json_object_int_add(json, "nextAttemptMs", info.next_attempt_ms);
	json_object_int_add(json, "backoffMs", info.backoff_ms);
	json_object_int_add(json, "connectAttempts", st->connect_attempts);
	json_object_int_add(json, "connects", st->connects);
	json_object_int_add(json, "reconnects",
			    st->connects ? st->connects - 1 : 0);
	json_object_int_add(json, "disconnects", st->disconnects);
	json_object_int_add(events, "total", st->events);
	json_object_int_add(events, "ikeUpdown", st->ike_updown);
	json_object_int_add(events, "childUpdown", st->child_updown);
	json_object_int_add(events, "ikeRekey", st->ike_rekey);
	json_object_int_add(events, "childRekey", st->child_rekey);
	json_object_int_add(events, "listSa", st->list_sa);
	json_object_object_add(json, "events", events);
	json_object_int_add(commands, "sent", st->commands_sent);
	json_object_int_add(commands, "succeeded", st->commands_ok);
	json_object_int_add(commands, "failed", st->commands_failed);
	json_object_int_add(commands, "queued", info.pending);
	json_object_string_add(commands, "inFlight", info.in_flight);
	json_object_object_add(json, "commands", commands);
	json_object_int_add(json, "resyncs", st->resyncs);
	json_object_int_add(json, "refreshInterval", info.refresh_interval);
	json_object_int_add(json, "refreshes", st->refreshes);
	json_object_int_add(json, "lastRefreshAge", info.last_refresh_age);
	json_object_int_add(json, "protocolErrors", st->protocol_errors);
	json_object_string_add(json, "lastError", info.last_error);
	json_object_int_add(json, "lastErrorAge", info.last_error_age);
	json_object_string_add(json, "lastRequest", last_request);
	json_object_int_add(json, "ikeSas", zebra_ios_vici_sa_ike_count());
	json_object_int_add(json, "childSas", zebra_ios_vici_sa_child_count());
	return vty_json(vty, json);
}

/* ------------------------------------------------------------- the SAs */

struct sa_show {
	struct vty *vty;
	const struct zebra_ios_vici_ike_sa *last_ike;
	json_object *ike_list;
	json_object *children;	/* of last_ike, JSON only */
};

static void ts_json(json_object *obj, const char *key, const char *const *ts,
		    size_t count)
{
	json_object *list = json_object_new_array();
	size_t i;

	for (i = 0; i < count; i++)
		json_object_array_add(list, json_object_new_string(ts[i]));
	json_object_object_add(obj, key, list);
}

/* seconds since charon reported the counters, -1 if it never did */
static int64_t counters_age(const struct zebra_ios_vici_child_sa *child)
{
	if (!child->counters_time)
		return -1;
	return MAX(monotime(NULL) - child->counters_time, 0);
}

static void sa_show_json(const struct zebra_ios_vici_ike_sa *ike,
			 const struct zebra_ios_vici_child_sa *child,
			 void *arg)
{
	struct sa_show *show = arg;
	json_object *obj;

	if (ike != show->last_ike) {
		obj = json_object_new_object();
		json_object_string_add(obj, "name", ike->name);
		json_object_int_add(obj, "uniqueid", ike->uniqueid);
		json_object_int_add(obj, "version", ike->version);
		json_object_string_add(obj, "state", ike->state);
		json_object_string_addf(obj, "localHost", "%pIA",
					&ike->local_host);
		json_object_string_addf(obj, "remoteHost", "%pIA",
					&ike->remote_host);
		json_object_string_add(obj, "localId", ike->local_id);
		json_object_string_add(obj, "remoteId", ike->remote_id);
		show->children = json_object_new_array();
		json_object_object_add(obj, "childSas", show->children);
		json_object_array_add(show->ike_list, obj);
		show->last_ike = ike;
	}
	if (!child)
		return;
	obj = json_object_new_object();
	json_object_string_add(obj, "name", child->name);
	json_object_int_add(obj, "uniqueid", child->uniqueid);
	json_object_int_add(obj, "reqid", child->reqid);
	json_object_string_add(obj, "state", child->state);
	json_object_string_add(obj, "mode", child->mode);
	json_object_string_add(obj, "protocol", child->protocol);
	json_object_string_addf(obj, "spiIn", "%08x", child->spi_in);
	json_object_string_addf(obj, "spiOut", "%08x", child->spi_out);
	ts_json(obj, "localTs", child->local_ts, child->local_ts_count);
	ts_json(obj, "remoteTs", child->remote_ts, child->remote_ts_count);
	json_object_int_add(obj, "bytesIn", child->bytes_in);
	json_object_int_add(obj, "packetsIn", child->packets_in);
	json_object_int_add(obj, "bytesOut", child->bytes_out);
	json_object_int_add(obj, "packetsOut", child->packets_out);
	json_object_int_add(obj, "countersAge", counters_age(child));
	json_object_array_add(show->children, obj);
}

static void sa_show_text(const struct zebra_ios_vici_ike_sa *ike,
			 const struct zebra_ios_vici_child_sa *child,
			 void *arg)
{
	struct sa_show *show = arg;
	struct vty *vty = show->vty;
	size_t i;

	if (ike != show->last_ike) {
		vty_out(vty, "IKE SA %s[%u] IKEv%u %s %pIA - %pIA (%s - %s)\n",
			ike->name, ike->uniqueid, ike->version, ike->state,
			&ike->local_host, &ike->remote_host, ike->local_id,
			ike->remote_id);
		show->last_ike = ike;
	}
	if (!child)
		return;
	vty_out(vty,
		"  CHILD SA %s{%u} reqid %u %s %s %s, SPIs in %08x out %08x\n",
		child->name, child->uniqueid, child->reqid, child->state,
		child->mode, child->protocol, child->spi_in, child->spi_out);
	for (i = 0; i < child->local_ts_count; i++)
		vty_out(vty, "    local  %s\n", child->local_ts[i]);
	for (i = 0; i < child->remote_ts_count; i++)
		vty_out(vty, "    remote %s\n", child->remote_ts[i]);
	if (child->counters_time)
		vty_out(vty,
			"    in %" PRIu64 " packets %" PRIu64 " bytes, out %" PRIu64
			" packets %" PRIu64 " bytes (%" PRId64 " s ago)\n",
			child->packets_in, child->bytes_in, child->packets_out,
			child->bytes_out, counters_age(child));
}

/* ------------------------------------------------------ crypto vici request */

/*
 * Arguments of "crypto vici request COMMAND ARGS...", one VICI element per
 * word: "key=value", "key=[item,item]", "name{" opens a section, "}"
 * closes it. Enough to write load-conn, initiate, terminate and the like
 * on one line; values cannot contain spaces.
 */
static bool request_args(struct vici_builder *b, struct cmd_token **argv,
			 int argc, int first, char *err, size_t errsize)
{
	int i;

	for (i = first; i < argc; i++) {
		const char *word = argv[i]->arg;
		size_t len = strlen(word);
		const char *eq = strchr(word, '=');
		char name[256];

		if (strcmp(word, "}") == 0) {
			vici_builder_section_end(b);
		} else if (!eq && len > 1 && word[len - 1] == '{' &&
			   len - 1 < sizeof(name)) {
			snprintf(name, sizeof(name), "%.*s", (int)(len - 1),
				 word);
			vici_builder_section_start(b, name);
		} else if (eq && eq - word < (ptrdiff_t)sizeof(name)) {
			const char *value = eq + 1;
			size_t vlen = strlen(value);

			snprintf(name, sizeof(name), "%.*s", (int)(eq - word),
				 word);
			if (vlen >= 2 && value[0] == '[' &&
			    value[vlen - 1] == ']') {
				const char *item = value + 1;
				const char *end = value + vlen - 1;

				vici_builder_list_start(b, name);
				while (item < end) {
					const char *comma = memchr(item, ',',
								   end - item);
					const char *stop = comma ? comma : end;

					vici_builder_list_item(b, item,
							       stop - item);
					item = stop + 1;
				}
				vici_builder_list_end(b);
			} else {
				vici_builder_kv_str(b, name, value);
			}
		} else {
			snprintf(err, errsize, "cannot use '%s'", word);
			return false;
		}
		if (b->error != VICI_OK) {
			snprintf(err, errsize, "at '%s': %s", word,
				 vici_strerror(b->error));
			return false;
		}
	}
	if (b->depth || b->in_list) {
		snprintf(err, errsize, "unbalanced: %s left open",
			 b->in_list ? "a list" : "a section");
		return false;
	}
	return true;
}

static void request_done(const char *command,
			 const struct zebra_ios_vici_result *result, void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg;
	char text[1024] = "";

	if (result->response)
		vici_node_format(result->response, text, sizeof(text),
				 zebra_ios_vici_secret_keys);
	snprintf(last_request, sizeof(last_request), "#%u %s: %s%s%s", id,
		 command, zebra_ios_vici_status_name(result->status),
		 *result->errmsg ? ": " : "", result->errmsg);
	zlog_info("vici: request #%u %s: %s%s%s {%s}", id, command,
		  zebra_ios_vici_status_name(result->status),
		  *result->errmsg ? ": " : "", result->errmsg, text);
}

/* ---------------------------------------------------------------- commands */

#ifndef VTYSH_EXTRACT_PL
#include "frr-integration/zebra/zebra_ios_vici_vty_clippy.c"
#endif

DEFPY (show_crypto_vici,
       show_crypto_vici_cmd,
       "show crypto vici [json]$json",
       SHOW_STR
       "Encryption and security information\n"
       "Client of strongSwan's control socket (VICI)\n"
       JSON_STR)
{
	if (json)
		return show_json(vty);
	show_text(vty);
	return CMD_SUCCESS;
}

DEFPY (show_crypto_vici_sas,
       show_crypto_vici_sas_cmd,
       "show crypto vici sas [json]$json",
       SHOW_STR
       "Encryption and security information\n"
       "Client of strongSwan's control socket (VICI)\n"
       "Security associations reported by charon\n"
       JSON_STR)
{
	struct sa_show show = { .vty = vty };

	if (json) {
		json_object *obj = json_object_new_object();

		show.ike_list = json_object_new_array();
		zebra_ios_vici_sa_walk(sa_show_json, &show);
		json_object_object_add(obj, "ikeSas", show.ike_list);
		return vty_json(vty, obj);
	}
	zebra_ios_vici_sa_walk(sa_show_text, &show);
	if (!show.last_ike)
		vty_out(vty, "No SAs known\n");
	return CMD_SUCCESS;
}

DEFPY (debug_crypto_vici,
       debug_crypto_vici_cmd,
       "[no] debug crypto vici",
       NO_STR
       DEBUG_STR
       "Encryption and security debugging\n"
       "Client of strongSwan's control socket (VICI)\n")
{
	uint32_t mode = DEBUG_NODE2MODE(vty->node);

	DEBUG_MODE_SET(&zebra_ios_vici_debug, mode, !no);
	return CMD_SUCCESS;
}

DEFPY (clear_crypto_vici,
       clear_crypto_vici_cmd,
       "clear crypto vici",
       CLEAR_STR
       "Encryption and security\n"
       "Reconnect to strongSwan's control socket now and resynchronise\n")
{
	if (zebra_ios_vici_get_state() == ZEBRA_IOS_VICI_DISABLED) {
		vty_out(vty, "%% VICI client is disabled\n");
		return CMD_WARNING;
	}
	zebra_ios_vici_reconnect();
	return CMD_SUCCESS;
}

static int send_request(struct vty *vty, const char *command,
			struct cmd_token **argv, int argc, int first)
{
	struct vici_builder b;
	char err[300];
	unsigned int id;

	vici_builder_init(&b, VICI_CMD_REQUEST, command);
	if (!request_args(&b, argv, argc, first, err, sizeof(err))) {
		vici_builder_discard(&b);
		vty_out(vty, "%% %s\n", err);
		return CMD_WARNING;
	}
	id = ++request_counter;
	if (zebra_ios_vici_send(&b, 0, request_done,
				(void *)(uintptr_t)id) < 0) {
		vty_out(vty, "%% not sent: VICI client %s\n",
			zebra_ios_vici_state_name(zebra_ios_vici_get_state()));
		return CMD_WARNING;
	}
	vty_out(vty, "request #%u queued: %s\n", id, command);
	return CMD_SUCCESS;
}

#define REQUEST_HELP                                                           \
	"Encryption and security\n"                                           \
	"Client of strongSwan's control socket (VICI)\n"                      \
	"Send a command to charon (result in the log and show crypto vici)\n" \
	"VICI command name, e.g. load-conn\n"

DEFPY_HIDDEN (crypto_vici_request,
	      crypto_vici_request_cmd,
	      "crypto vici request WORD$command",
	      REQUEST_HELP)
{
	return send_request(vty, command, argv, argc, argc);
}

/* FRR's grammar has no optional variadic token: a second command */
DEFPY_HIDDEN (crypto_vici_request_args,
	      crypto_vici_request_args_cmd,
	      "crypto vici request WORD$command ARGS...",
	      REQUEST_HELP
	      "Arguments: key=value, key=[a,b], name{ ... }\n")
{
	return send_request(vty, command, argv, argc, 4);
}

/* zebra's "show debugging" asks its modules through this hook */
static int vici_show_debugging(struct vty *vty)
{
	if (VICI_DEBUGGING())
		vty_out(vty, "  IOS crypto VICI client debugging is on\n");
	return 0;
}

void zebra_ios_vici_vty_init(void)
{
	hook_register(zebra_debug_show_debugging, vici_show_debugging);
	install_element(VIEW_NODE, &show_crypto_vici_cmd);
	install_element(VIEW_NODE, &show_crypto_vici_sas_cmd);
	install_element(ENABLE_NODE, &debug_crypto_vici_cmd);
	install_element(CONFIG_NODE, &debug_crypto_vici_cmd);
	install_element(ENABLE_NODE, &clear_crypto_vici_cmd);
	install_element(ENABLE_NODE, &crypto_vici_request_cmd);
	install_element(ENABLE_NODE, &crypto_vici_request_args_cmd);
}
