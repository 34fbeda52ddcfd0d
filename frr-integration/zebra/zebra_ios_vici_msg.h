// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VICI wire format: frames, packets and messages of strongSwan's control
 * protocol (strongswan/src/libcharon/plugins/vici/README.md).
 *
 * Plain C11 without FRR, so that the unit tests (and the sanitizers) see
 * exactly the code zebra runs. Everything read from the socket is treated
 * as hostile: every length is checked against what is left, the structure
 * rules of the README are enforced, and a message that breaks any of them
 * is rejected as a whole with an error code (never a partial tree).
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#ifndef ZEBRA_IOS_VICI_MSG_H
#define ZEBRA_IOS_VICI_MSG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Largest frame payload charon sends or accepts (VICI_MESSAGE_SIZE_MAX in
 * vici_socket.h); a larger length header is a protocol error.
 */
#define VICI_FRAME_MAX (512 * 1024)

/* the big-endian length header in front of every frame */
#define VICI_FRAME_HEADER_LEN 4

/*
 * Deepest section nesting we accept. charon's messages nest 4 levels
 * (event > IKE SA > child-sas > CHILD SA, +1 for child-rekey's old/new);
 * the limit keeps recursive consumers and the formatter bounded.
 */
#define VICI_DEPTH_MAX 16

/* packet types, the first byte of a frame */
enum vici_packet_type {
	VICI_CMD_REQUEST = 0,
	VICI_CMD_RESPONSE = 1,
	VICI_CMD_UNKNOWN = 2,
	VICI_EVENT_REGISTER = 3,
	VICI_EVENT_UNREGISTER = 4,
	VICI_EVENT_CONFIRM = 5,
	VICI_EVENT_UNKNOWN = 6,
	VICI_EVENT = 7,
};

/* message element types */
enum vici_element_type {
	VICI_SECTION_START = 1,
	VICI_SECTION_END = 2,
	VICI_KEY_VALUE = 3,
	VICI_LIST_START = 4,
	VICI_LIST_ITEM = 5,
	VICI_LIST_END = 6,
};

enum vici_error {
	VICI_OK = 0,
	/** frame, name or value shorter than its length field says */
	VICI_ERR_TRUNCATED,
	/** frame length over VICI_FRAME_MAX, or an empty frame */
	VICI_ERR_FRAME_LENGTH,
	/** packet type byte outside 0..7 */
	VICI_ERR_PACKET_TYPE,
	/** element type byte outside 1..6 */
	VICI_ERR_ELEMENT_TYPE,
	/** section end without start, or sections/list left open */
	VICI_ERR_UNBALANCED,
	/** element where the README forbids it (nested list, key in list...) */
	VICI_ERR_MISPLACED,
	/** sections nested deeper than VICI_DEPTH_MAX */
	VICI_ERR_TOO_DEEP,
	/** a name with a NUL byte; encoder: a name longer than 255 bytes */
	VICI_ERR_NAME_LENGTH,
	/** encoder: value longer than 65535 bytes */
	VICI_ERR_VALUE_LENGTH,
	/** out of memory */
	VICI_ERR_NOMEM,
};

/** a short English description of an error code */
const char *vici_strerror(enum vici_error error);

/** name of a packet type ("CMD_REQUEST", ...), "?" if out of range */
const char *vici_packet_type_name(unsigned int type);

/**
 * Allocation functions used by this file; zebra plugs in its MTYPE
 * accounting, the tests leave libc's. NULL restores malloc/realloc/free.
 */
struct vici_allocator {
	void *(*alloc)(size_t size);
	void *(*realloc)(void *ptr, size_t size);
	void (*free)(void *ptr);
};
void vici_set_allocator(const struct vici_allocator *allocator);

/** free memory handed out by this file (frames of vici_builder_finish) */
void vici_free(void *ptr);

/* ---------------------------------------------------------------- frames */

/**
 * Check a frame's length header.
 *
 * @param header	the first VICI_FRAME_HEADER_LEN bytes of a frame
 * @param len		receives the payload length
 * @return		VICI_OK, or VICI_ERR_FRAME_LENGTH if it is 0 or over
 *			VICI_FRAME_MAX
 */
enum vici_error vici_frame_length(const uint8_t *header, uint32_t *len);

/* --------------------------------------------------------------- packets */

struct vici_packet {
	enum vici_packet_type type;
	/** command or event name (NUL-terminated), "" for unnamed types */
	char name[256];
	/** message bytes after type and name (points into the frame) */
	const uint8_t *body;
	size_t body_len;
};

/** true for the packet types that carry a name */
bool vici_packet_type_named(enum vici_packet_type type);

/**
 * Split a frame payload into packet type, name and message bytes.
 *
 * @param frame		payload (without the length header)
 * @param len		payload length
 * @param packet	filled on success; body points into frame
 */
enum vici_error vici_packet_parse(const uint8_t *frame, size_t len,
				  struct vici_packet *packet);

/* -------------------------------------------------------- message trees */

enum vici_node_type {
	VICI_NODE_SECTION,	/* the root, or a named section */
	VICI_NODE_KEY_VALUE,
	VICI_NODE_LIST,
	VICI_NODE_LIST_ITEM,	/* unnamed, child of a list */
};

/**
 * One element of a parsed message. Names and values are copies that are
 * always NUL-terminated (values may contain NULs themselves: value_len is
 * authoritative; vici_node_str() refuses such values).
 */
struct vici_node {
	enum vici_node_type type;
	const char *name;		/* "" for the root and list items */
	const char *value;		/* key/values and list items, else NULL */
	size_t value_len;
	const struct vici_node *parent;
	const struct vici_node *first;	/* children of sections and lists */
	const struct vici_node *next;	/* next sibling */
};

/** a parsed message: one allocation holding all nodes and strings */
struct vici_msg;

/**
 * Parse and validate a message.
 *
 * @param data		message bytes (e.g. vici_packet.body)
 * @param len		their length (0 is a valid, empty message)
 * @param msg		receives the tree on success, free with vici_msg_free()
 * @param error_offset	if not NULL, receives the offset of the offending
 *			element on failure
 */
enum vici_error vici_msg_parse(const uint8_t *data, size_t len,
			       struct vici_msg **msg, size_t *error_offset);

void vici_msg_free(struct vici_msg *msg);

/** the implicit root section */
const struct vici_node *vici_msg_root(const struct vici_msg *msg);

/** child of a section (any type) by name, NULL if there is none */
const struct vici_node *vici_node_get(const struct vici_node *section,
				      const char *name);

/**
 * The value of a key/value or list item as a C string; NULL for other
 * nodes and for values with an embedded NUL.
 */
const char *vici_node_str(const struct vici_node *node);

/** vici_node_str() of the key/value 'name' of a section */
const char *vici_node_get_str(const struct vici_node *section,
			      const char *name);

/**
 * Parse the decimal value of key/value 'name' (as charon encodes numbers).
 * @return		false if missing, not decimal, or over UINT64_MAX
 */
bool vici_node_get_u64(const struct vici_node *section, const char *name,
		       uint64_t *value);

/** number of children of a section or list */
size_t vici_node_count(const struct vici_node *node);

/**
 * Render a section's contents as one line of text for logs, e.g.
 * "up=yes smoke{uniqueid=1 local-ts=[10.0.0.0/24]}". Non-printable bytes
 * are escaped as \xNN; values of keys listed in 'redact' (NULL-terminated
 * array, or NULL) are written as "<N bytes>".
 *
 * @return		the length of the full text (like snprintf); output
 *			that did not fit is cut and ends in "..."
 */
size_t vici_node_format(const struct vici_node *section, char *buf,
			size_t size, const char *const *redact);

/* -------------------------------------------------------------- encoder */

/**
 * Builds one frame (length header included). The first error sticks: the
 * following calls do nothing and vici_builder_finish() reports it, so a
 * caller may add all elements and check once.
 */
struct vici_builder {
	uint8_t *buf;
	size_t len;
	size_t cap;
	unsigned int depth;
	bool in_list;
	enum vici_error error;
};

/**
 * Start a packet. 'name' is required for the named types (command and
 * event names), ignored for the others.
 */
void vici_builder_init(struct vici_builder *b, enum vici_packet_type type,
		       const char *name);
void vici_builder_section_start(struct vici_builder *b, const char *name);
void vici_builder_section_end(struct vici_builder *b);
void vici_builder_kv(struct vici_builder *b, const char *key,
		     const void *value, size_t len);
void vici_builder_kv_str(struct vici_builder *b, const char *key,
			 const char *value);
void vici_builder_kv_printf(struct vici_builder *b, const char *key,
			    const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void vici_builder_list_start(struct vici_builder *b, const char *name);
void vici_builder_list_item(struct vici_builder *b, const void *value,
			    size_t len);
void vici_builder_list_item_str(struct vici_builder *b, const char *value);
void vici_builder_list_end(struct vici_builder *b);

/**
 * Finish the packet and take its frame.
 *
 * @param frame		receives the frame (free with vici_free()), or NULL
 *			on error
 * @param len		receives the frame length, header included
 * @return		VICI_OK or the first error; the builder is empty
 *			afterwards either way
 */
enum vici_error vici_builder_finish(struct vici_builder *b, uint8_t **frame,
				    size_t *len);

/** drop a builder's contents without finishing it */
void vici_builder_discard(struct vici_builder *b);

#endif /* ZEBRA_IOS_VICI_MSG_H */
