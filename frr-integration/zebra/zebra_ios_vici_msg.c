// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VICI wire format: frames, packets and messages (see the header).
 *
 * Parsing runs in two passes over the bytes: the first validates the
 * structure and counts nodes and string bytes, the second builds the tree
 * in a single allocation. Only the first pass looks at lengths coming from
 * the peer; the second relies on what it proved.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "zebra_ios_vici_msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vici_msg {
	struct vici_node root;
	size_t node_count;
	struct vici_node nodes[];	/* followed by the string area */
};

static void *libc_alloc(size_t size)
{
	return malloc(size);
}

static void *libc_realloc(void *ptr, size_t size)
{
	return realloc(ptr, size);
}

static void libc_free(void *ptr)
{
	free(ptr);
}

static const struct vici_allocator libc_allocator = {
	.alloc = libc_alloc,
	.realloc = libc_realloc,
	.free = libc_free,
};

static const struct vici_allocator *allocator = &libc_allocator;

void vici_set_allocator(const struct vici_allocator *a)
{
	allocator = a ? a : &libc_allocator;
}

void vici_free(void *ptr)
{
	if (ptr)
		allocator->free(ptr);
}

const char *vici_strerror(enum vici_error error)
{
	switch (error) {
	case VICI_OK:
		return "no error";
	case VICI_ERR_TRUNCATED:
		return "data ends inside an element";
	case VICI_ERR_FRAME_LENGTH:
		return "frame length out of range";
	case VICI_ERR_PACKET_TYPE:
		return "unknown packet type";
	case VICI_ERR_ELEMENT_TYPE:
		return "unknown element type";
	case VICI_ERR_UNBALANCED:
		return "unbalanced sections or lists";
	case VICI_ERR_MISPLACED:
		return "element not allowed here";
	case VICI_ERR_TOO_DEEP:
		return "sections nested too deep";
	case VICI_ERR_NAME_LENGTH:
		return "name too long or with a NUL byte";
	case VICI_ERR_VALUE_LENGTH:
		return "value too long";
	case VICI_ERR_NOMEM:
		return "out of memory";
	}
	return "unknown error";
}

const char *vici_packet_type_name(unsigned int type)
{
	static const char *const names[] = {
		[VICI_CMD_REQUEST] = "CMD_REQUEST",
		[VICI_CMD_RESPONSE] = "CMD_RESPONSE",
		[VICI_CMD_UNKNOWN] = "CMD_UNKNOWN",
		[VICI_EVENT_REGISTER] = "EVENT_REGISTER",
		[VICI_EVENT_UNREGISTER] = "EVENT_UNREGISTER",
		[VICI_EVENT_CONFIRM] = "EVENT_CONFIRM",
		[VICI_EVENT_UNKNOWN] = "EVENT_UNKNOWN",
		[VICI_EVENT] = "EVENT",
	};

	if (type >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[type];
}

/* ---------------------------------------------------------------- frames */

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

enum vici_error vici_frame_length(const uint8_t *header, uint32_t *len)
{
	uint32_t value = get_be32(header);

	/* a frame holds at least its packet type */
	if (value == 0 || value > VICI_FRAME_MAX)
		return VICI_ERR_FRAME_LENGTH;
	*len = value;
	return VICI_OK;
}

/* --------------------------------------------------------------- packets */

bool vici_packet_type_named(enum vici_packet_type type)
{
	return type == VICI_CMD_REQUEST || type == VICI_EVENT_REGISTER ||
	       type == VICI_EVENT_UNREGISTER || type == VICI_EVENT;
}

enum vici_error vici_packet_parse(const uint8_t *frame, size_t len,
				  struct vici_packet *packet)
{
	size_t pos = 0;

	if (len < 1)
		return VICI_ERR_TRUNCATED;
	if (frame[0] > VICI_EVENT)
		return VICI_ERR_PACKET_TYPE;
	packet->type = frame[pos++];
	packet->name[0] = '\0';
	if (vici_packet_type_named(packet->type)) {
		size_t name_len;

		if (pos >= len)
			return VICI_ERR_TRUNCATED;
		name_len = frame[pos++];
		if (name_len > len - pos)
			return VICI_ERR_TRUNCATED;
		if (memchr(frame + pos, '\0', name_len))
			return VICI_ERR_NAME_LENGTH;
		memcpy(packet->name, frame + pos, name_len);
		packet->name[name_len] = '\0';
		pos += name_len;
	}
	packet->body = frame + pos;
	packet->body_len = len - pos;
	return VICI_OK;
}

/* ------------------------------------------------------------ the parser */

/* a name or value found by the validating pass */
struct span {
	const uint8_t *ptr;
	size_t len;
};

struct reader {
	const uint8_t *data;
	size_t len;
	size_t pos;
};

static enum vici_error read_name(struct reader *r, struct span *name)
{
	if (r->pos >= r->len)
		return VICI_ERR_TRUNCATED;
	name->len = r->data[r->pos++];
	if (name->len > r->len - r->pos)
		return VICI_ERR_TRUNCATED;
	name->ptr = r->data + r->pos;
	r->pos += name->len;
	/* names are ASCII strings: a NUL would cut them short */
	if (memchr(name->ptr, '\0', name->len))
		return VICI_ERR_NAME_LENGTH;
	return VICI_OK;
}

static bool read_value(struct reader *r, struct span *value)
{
	if (r->len - r->pos < 2)
		return false;
	value->len = (size_t)r->data[r->pos] << 8 | r->data[r->pos + 1];
	r->pos += 2;
	if (value->len > r->len - r->pos)
		return false;
	value->ptr = r->data + r->pos;
	r->pos += value->len;
	return true;
}

/* what the validating pass learns about a message */
struct msg_shape {
	size_t nodes;
	size_t string_bytes;
};

/* where the reader is in the structure */
struct parse_state {
	unsigned int depth;
	bool in_list;
};

struct element {
	uint8_t type;
	struct span name;
	struct span value;
};

/* read one element, or fail if it breaks the README's rules */
static enum vici_error next_element(struct reader *r, struct parse_state *s,
				    struct element *e)
{
	enum vici_error error;

	e->type = r->data[r->pos++];
	e->name.len = e->value.len = 0;
	e->name.ptr = e->value.ptr = NULL;

	switch (e->type) {
	case VICI_SECTION_START:
		if (s->in_list)
			return VICI_ERR_MISPLACED;
		error = read_name(r, &e->name);
		if (error != VICI_OK)
			return error;
		if (++s->depth > VICI_DEPTH_MAX)
			return VICI_ERR_TOO_DEEP;
		return VICI_OK;
	case VICI_SECTION_END:
		if (s->in_list)
			return VICI_ERR_MISPLACED;
		if (s->depth == 0)
			return VICI_ERR_UNBALANCED;
		s->depth--;
		return VICI_OK;
	case VICI_KEY_VALUE:
		if (s->in_list)
			return VICI_ERR_MISPLACED;
		error = read_name(r, &e->name);
		if (error != VICI_OK)
			return error;
		if (!read_value(r, &e->value))
			return VICI_ERR_TRUNCATED;
		return VICI_OK;
	case VICI_LIST_START:
		if (s->in_list)
			return VICI_ERR_MISPLACED;
		error = read_name(r, &e->name);
		if (error != VICI_OK)
			return error;
		s->in_list = true;
		return VICI_OK;
	case VICI_LIST_ITEM:
		if (!s->in_list)
			return VICI_ERR_MISPLACED;
		if (!read_value(r, &e->value))
			return VICI_ERR_TRUNCATED;
		return VICI_OK;
	case VICI_LIST_END:
		if (!s->in_list)
			return VICI_ERR_MISPLACED;
		s->in_list = false;
		return VICI_OK;
	default:
		return VICI_ERR_ELEMENT_TYPE;
	}
}

static enum vici_error validate(const uint8_t *data, size_t len,
				struct msg_shape *shape, size_t *error_offset)
{
	struct reader r = { .data = data, .len = len };
	struct parse_state s = { 0 };
	struct element e;

	shape->nodes = shape->string_bytes = 0;
	while (r.pos < r.len) {
		size_t start = r.pos;
		enum vici_error error = next_element(&r, &s, &e);

		if (error != VICI_OK) {
			if (error_offset)
				*error_offset = start;
			return error;
		}
		switch (e.type) {
		case VICI_SECTION_START:
		case VICI_LIST_START:
		case VICI_KEY_VALUE:
		case VICI_LIST_ITEM:
			shape->nodes++;
			/* NUL-terminated copies of name and value */
			shape->string_bytes += e.name.len + 1;
			if (e.type == VICI_KEY_VALUE ||
			    e.type == VICI_LIST_ITEM)
				shape->string_bytes += e.value.len + 1;
			break;
		default:
			break;
		}
	}
	if (s.depth || s.in_list) {
		if (error_offset)
			*error_offset = len;
		return VICI_ERR_UNBALANCED;
	}
	return VICI_OK;
}

static const char *copy_string(char **area, const struct span *span)
{
	char *copy = *area;

	if (span->len)
		memcpy(copy, span->ptr, span->len);
	copy[span->len] = '\0';
	*area += span->len + 1;
	return copy;
}

/* append 'node' to the children of 'parent' */
static void link_child(struct vici_node *parent, struct vici_node **last,
		       struct vici_node *node)
{
	node->parent = parent;
	if (*last)
		(*last)->next = node;
	else
		parent->first = node;
	*last = node;
}

enum vici_error vici_msg_parse(const uint8_t *data, size_t len,
			       struct vici_msg **msgp, size_t *error_offset)
{
	struct msg_shape shape;
	struct vici_msg *msg;
	struct reader r = { .data = data, .len = len };
	struct parse_state s = { 0 };
	/* the open section or list and the last child of every open level */
	struct vici_node *open[VICI_DEPTH_MAX + 2];
	struct vici_node *last[VICI_DEPTH_MAX + 2];
	unsigned int level = 0;
	struct element e;
	enum vici_error error;
	size_t size, used = 0;
	char *area;

	*msgp = NULL;
	error = validate(data, len, &shape, error_offset);
	if (error != VICI_OK)
		return error;

	/* bounded by VICI_FRAME_MAX via the caller's frame, cannot overflow */
	size = sizeof(*msg) + shape.nodes * sizeof(struct vici_node) +
	       shape.string_bytes;
	msg = allocator->alloc(size);
	if (!msg)
		return VICI_ERR_NOMEM;
	memset(msg, 0, sizeof(*msg) + shape.nodes * sizeof(struct vici_node));
	msg->node_count = shape.nodes;
	msg->root.type = VICI_NODE_SECTION;
	msg->root.name = "";
	area = (char *)&msg->nodes[shape.nodes];

	open[0] = &msg->root;
	last[0] = NULL;
	while (r.pos < r.len) {
		struct vici_node *node;

		/* validated above: cannot fail */
		next_element(&r, &s, &e);
		switch (e.type) {
		case VICI_SECTION_END:
		case VICI_LIST_END:
			level--;
			continue;
		default:
			break;
		}
		node = &msg->nodes[used++];
		node->name = copy_string(&area, &e.name);
		switch (e.type) {
		case VICI_SECTION_START:
			node->type = VICI_NODE_SECTION;
			break;
		case VICI_LIST_START:
			node->type = VICI_NODE_LIST;
			break;
		case VICI_KEY_VALUE:
			node->type = VICI_NODE_KEY_VALUE;
			break;
		default:
			node->type = VICI_NODE_LIST_ITEM;
			break;
		}
		if (e.type == VICI_KEY_VALUE || e.type == VICI_LIST_ITEM) {
			node->value = copy_string(&area, &e.value);
			node->value_len = e.value.len;
		}
		link_child(open[level], &last[level], node);
		if (e.type == VICI_SECTION_START || e.type == VICI_LIST_START) {
			level++;
			open[level] = node;
			last[level] = NULL;
		}
	}
	*msgp = msg;
	return VICI_OK;
}

void vici_msg_free(struct vici_msg *msg)
{
	vici_free(msg);
}

const struct vici_node *vici_msg_root(const struct vici_msg *msg)
{
	return &msg->root;
}

const struct vici_node *vici_node_get(const struct vici_node *section,
				      const char *name)
{
	const struct vici_node *child;

	if (!section || section->type != VICI_NODE_SECTION)
		return NULL;
	for (child = section->first; child; child = child->next)
		if (strcmp(child->name, name) == 0)
			return child;
	return NULL;
}

const char *vici_node_str(const struct vici_node *node)
{
	if (!node || !node->value)
		return NULL;
	if (memchr(node->value, '\0', node->value_len))
		return NULL;
	return node->value;
}

const char *vici_node_get_str(const struct vici_node *section,
			      const char *name)
{
	const struct vici_node *node = vici_node_get(section, name);

	if (!node || node->type != VICI_NODE_KEY_VALUE)
		return NULL;
	return vici_node_str(node);
}

bool vici_node_get_u64(const struct vici_node *section, const char *name,
		       uint64_t *value)
{
	const char *str = vici_node_get_str(section, name);
	uint64_t result = 0;

	if (!str || !*str)
		return false;
	for (; *str; str++) {
		unsigned int digit;

		if (*str < '0' || *str > '9')
			return false;
		digit = (unsigned int)(*str - '0');
		if (result > (UINT64_MAX - digit) / 10)
			return false;
		result = result * 10 + digit;
	}
	*value = result;
	return true;
}

size_t vici_node_count(const struct vici_node *node)
{
	const struct vici_node *child;
	size_t count = 0;

	if (!node)
		return 0;
	for (child = node->first; child; child = child->next)
		count++;
	return count;
}

/* ------------------------------------------------------------ formatting */

struct text {
	char *buf;
	size_t size;
	size_t len;	/* length of the full text, even past size */
};

static void text_putc(struct text *t, char c)
{
	if (t->len + 1 < t->size)
		t->buf[t->len] = c;
	t->len++;
}

static void text_puts(struct text *t, const char *s)
{
	while (*s)
		text_putc(t, *s++);
}

static void text_escaped(struct text *t, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			text_putc(t, (char)c);
			continue;
		}
		text_putc(t, '\\');
		text_putc(t, 'x');
		text_putc(t, hex[c >> 4]);
		text_putc(t, hex[c & 0xf]);
	}
}

static bool redacted(const char *name, const char *const *redact)
{
	for (; redact && *redact; redact++)
		if (strcmp(name, *redact) == 0)
			return true;
	return false;
}

static void format_children(struct text *t, const struct vici_node *parent,
			    const char *const *redact)
{
	const struct vici_node *node;
	char count[32];

	for (node = parent->first; node; node = node->next) {
		if (node != parent->first)
			text_putc(t, parent->type == VICI_NODE_LIST ? ',' : ' ');
		text_escaped(t, node->name, strlen(node->name));
		switch (node->type) {
		case VICI_NODE_SECTION:
			text_putc(t, '{');
			format_children(t, node, redact);
			text_putc(t, '}');
			break;
		case VICI_NODE_LIST:
			text_puts(t, "=[");
			format_children(t, node, redact);
			text_putc(t, ']');
			break;
		case VICI_NODE_KEY_VALUE:
			text_putc(t, '=');
			/* fall through */
		case VICI_NODE_LIST_ITEM:
			if (redacted(node->name, redact) ||
			    (node->type == VICI_NODE_LIST_ITEM &&
			     redacted(parent->name, redact))) {
				snprintf(count, sizeof(count), "<%zu bytes>",
					 node->value_len);
				text_puts(t, count);
			} else {
				text_escaped(t, node->value, node->value_len);
			}
			break;
		}
	}
}

size_t vici_node_format(const struct vici_node *section, char *buf,
			size_t size, const char *const *redact)
{
	struct text t = { .buf = buf, .size = size };

	if (section)
		format_children(&t, section, redact);
	if (size) {
		if (t.len < size) {
			buf[t.len] = '\0';
		} else {
			size_t end = size - 1, dots = end < 3 ? end : 3;

			buf[end] = '\0';
			memset(buf + end - dots, '.', dots);
		}
	}
	return t.len;
}

/* --------------------------------------------------------------- encoder */

static void builder_fail(struct vici_builder *b, enum vici_error error)
{
	if (b->error == VICI_OK)
		b->error = error;
}

static bool builder_reserve(struct vici_builder *b, size_t more)
{
	size_t cap;
	uint8_t *buf;

	if (b->error != VICI_OK)
		return false;
	/* the payload may not exceed what charon accepts */
	if (more > VICI_FRAME_HEADER_LEN + VICI_FRAME_MAX - b->len) {
		builder_fail(b, VICI_ERR_FRAME_LENGTH);
		return false;
	}
	if (b->len + more <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + more)
		cap *= 2;
	buf = allocator->realloc(b->buf, cap);
	if (!buf) {
		builder_fail(b, VICI_ERR_NOMEM);
		return false;
	}
	b->buf = buf;
	b->cap = cap;
	return true;
}

static void put_u8(struct vici_builder *b, uint8_t value)
{
	b->buf[b->len++] = value;
}

static void put_bytes(struct vici_builder *b, const void *data, size_t len)
{
	if (len)
		memcpy(b->buf + b->len, data, len);
	b->len += len;
}

/* check a name before anything is written for its element */
static bool name_ok(struct vici_builder *b, const char *name, size_t *len)
{
	if (b->error != VICI_OK)
		return false;
	if (!name) {
		builder_fail(b, VICI_ERR_NAME_LENGTH);
		return false;
	}
	*len = strlen(name);
	if (*len > UINT8_MAX) {
		builder_fail(b, VICI_ERR_NAME_LENGTH);
		return false;
	}
	return true;
}

static bool value_ok(struct vici_builder *b, const void *value, size_t len)
{
	if (b->error != VICI_OK)
		return false;
	if (len > UINT16_MAX || (len && !value)) {
		builder_fail(b, VICI_ERR_VALUE_LENGTH);
		return false;
	}
	return true;
}

void vici_builder_init(struct vici_builder *b, enum vici_packet_type type,
		       const char *name)
{
	size_t name_len = 0;

	memset(b, 0, sizeof(*b));
	if ((unsigned int)type > VICI_EVENT) {
		builder_fail(b, VICI_ERR_PACKET_TYPE);
		return;
	}
	if (vici_packet_type_named(type) && !name_ok(b, name, &name_len))
		return;
	if (!builder_reserve(b, VICI_FRAME_HEADER_LEN + 2 + name_len))
		return;
	/* filled by finish; zero until then, so equal messages compare equal */
	memset(b->buf, 0, VICI_FRAME_HEADER_LEN);
	b->len = VICI_FRAME_HEADER_LEN;
	put_u8(b, type);
	if (vici_packet_type_named(type)) {
		put_u8(b, (uint8_t)name_len);
		put_bytes(b, name, name_len);
	}
}

static void element_with_name(struct vici_builder *b, uint8_t type,
			      const char *name)
{
	size_t name_len;

	if (!name_ok(b, name, &name_len) || !builder_reserve(b, 2 + name_len))
		return;
	put_u8(b, type);
	put_u8(b, (uint8_t)name_len);
	put_bytes(b, name, name_len);
}

void vici_builder_section_start(struct vici_builder *b, const char *name)
{
	if (b->in_list || b->depth >= VICI_DEPTH_MAX) {
		builder_fail(b, b->in_list ? VICI_ERR_MISPLACED
					   : VICI_ERR_TOO_DEEP);
		return;
	}
	element_with_name(b, VICI_SECTION_START, name);
	if (b->error == VICI_OK)
		b->depth++;
}

void vici_builder_section_end(struct vici_builder *b)
{
	if (b->in_list || b->depth == 0) {
		builder_fail(b, b->in_list ? VICI_ERR_MISPLACED
					   : VICI_ERR_UNBALANCED);
		return;
	}
	if (!builder_reserve(b, 1))
		return;
	put_u8(b, VICI_SECTION_END);
	b->depth--;
}

void vici_builder_kv(struct vici_builder *b, const char *key,
		     const void *value, size_t len)
{
	size_t name_len;

	if (b->in_list) {
		builder_fail(b, VICI_ERR_MISPLACED);
		return;
	}
	if (!name_ok(b, key, &name_len) || !value_ok(b, value, len) ||
	    !builder_reserve(b, 1 + 1 + name_len + 2 + len))
		return;
	put_u8(b, VICI_KEY_VALUE);
	put_u8(b, (uint8_t)name_len);
	put_bytes(b, key, name_len);
	put_u8(b, (uint8_t)(len >> 8));
	put_u8(b, (uint8_t)len);
	put_bytes(b, value, len);
}

void vici_builder_kv_str(struct vici_builder *b, const char *key,
			 const char *value)
{
	if (!value) {
		builder_fail(b, VICI_ERR_VALUE_LENGTH);
		return;
	}
	vici_builder_kv(b, key, value, strlen(value));
}

void vici_builder_kv_printf(struct vici_builder *b, const char *key,
			    const char *fmt, ...)
{
	char value[256];
	va_list args;
	int len;

	va_start(args, fmt);
	len = vsnprintf(value, sizeof(value), fmt, args);
	va_end(args);
	if (len < 0 || (size_t)len >= sizeof(value)) {
		builder_fail(b, VICI_ERR_VALUE_LENGTH);
		return;
	}
	vici_builder_kv(b, key, value, (size_t)len);
}

void vici_builder_list_start(struct vici_builder *b, const char *name)
{
	if (b->in_list) {
		builder_fail(b, VICI_ERR_MISPLACED);
		return;
	}
	element_with_name(b, VICI_LIST_START, name);
	if (b->error == VICI_OK)
		b->in_list = true;
}

void vici_builder_list_item(struct vici_builder *b, const void *value,
			    size_t len)
{
	if (!b->in_list) {
		builder_fail(b, VICI_ERR_MISPLACED);
		return;
	}
	if (!value_ok(b, value, len) || !builder_reserve(b, 1 + 2 + len))
		return;
	put_u8(b, VICI_LIST_ITEM);
	put_u8(b, (uint8_t)(len >> 8));
	put_u8(b, (uint8_t)len);
	put_bytes(b, value, len);
}

void vici_builder_list_item_str(struct vici_builder *b, const char *value)
{
	if (!value) {
		builder_fail(b, VICI_ERR_VALUE_LENGTH);
		return;
	}
	vici_builder_list_item(b, value, strlen(value));
}

void vici_builder_list_end(struct vici_builder *b)
{
	if (!b->in_list) {
		builder_fail(b, VICI_ERR_MISPLACED);
		return;
	}
	if (!builder_reserve(b, 1))
		return;
	put_u8(b, VICI_LIST_END);
	b->in_list = false;
}

enum vici_error vici_builder_finish(struct vici_builder *b, uint8_t **frame,
				    size_t *len)
{
	enum vici_error error = b->error;
	uint32_t payload;

	*frame = NULL;
	*len = 0;
	if (error == VICI_OK && (b->depth || b->in_list))
		error = VICI_ERR_UNBALANCED;
	if (error == VICI_OK && !b->buf)
		error = VICI_ERR_TRUNCATED;	/* never initialised */
	if (error != VICI_OK) {
		vici_builder_discard(b);
		return error;
	}
	payload = (uint32_t)(b->len - VICI_FRAME_HEADER_LEN);
	b->buf[0] = (uint8_t)(payload >> 24);
	b->buf[1] = (uint8_t)(payload >> 16);
	b->buf[2] = (uint8_t)(payload >> 8);
	b->buf[3] = (uint8_t)payload;
	*frame = b->buf;
	*len = b->len;
	memset(b, 0, sizeof(*b));
	return VICI_OK;
}

void vici_builder_discard(struct vici_builder *b)
{
	vici_free(b->buf);
	memset(b, 0, sizeof(*b));
}
