/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Unit tests: the VICI codec of the zebra module (zebra_ios_vici_msg.c).
 *
 * The decoder reads what arrives on zebra's control socket, so besides
 * round trips every class of malformed input is fed to it; the build-asan
 * run of these tests proves that none of them reads out of bounds.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "zebra_ios_vici_msg.h"

/* ------------------------------------------------------------- helpers */

/** encode a packet built by 'fill' and return its frame */
static uint8_t *finish_ok(struct vici_builder *b, size_t *len)
{
	uint8_t *frame;

	assert_int_equal(vici_builder_finish(b, &frame, len), VICI_OK);
	assert_non_null(frame);
	return frame;
}

/** split a frame into header length and packet, checking the header */
static void frame_packet(const uint8_t *frame, size_t len,
			 struct vici_packet *packet)
{
	uint32_t payload;

	assert_true(len >= VICI_FRAME_HEADER_LEN);
	assert_int_equal(vici_frame_length(frame, &payload), VICI_OK);
	assert_int_equal(payload, len - VICI_FRAME_HEADER_LEN);
	assert_int_equal(vici_packet_parse(frame + VICI_FRAME_HEADER_LEN,
					   payload, packet),
			 VICI_OK);
}

static enum vici_error parse_bytes(const uint8_t *data, size_t len,
				   size_t *offset)
{
	struct vici_msg *msg = (struct vici_msg *)0x1;
	enum vici_error error;

	error = vici_msg_parse(data, len, &msg, offset);
	if (error == VICI_OK) {
		assert_non_null(msg);
		vici_msg_free(msg);
	} else {
		assert_null(msg);
	}
	return error;
}

static char *format(const struct vici_node *node)
{
	static char text[1024];

	vici_node_format(node, text, sizeof(text), NULL);
	return text;
}

/* re-encode a parsed tree with the builder (for the round-trip property) */
static void encode_children(struct vici_builder *b,
			    const struct vici_node *parent)
{
	const struct vici_node *node;

	for (node = parent->first; node; node = node->next) {
		switch (node->type) {
		case VICI_NODE_SECTION:
			vici_builder_section_start(b, node->name);
			encode_children(b, node);
			vici_builder_section_end(b);
			break;
		case VICI_NODE_LIST:
			vici_builder_list_start(b, node->name);
			encode_children(b, node);
			vici_builder_list_end(b);
			break;
		case VICI_NODE_KEY_VALUE:
			vici_builder_kv(b, node->name, node->value,
					node->value_len);
			break;
		case VICI_NODE_LIST_ITEM:
			vici_builder_list_item(b, node->value, node->value_len);
			break;
		}
	}
}

/* the example of the README's "Encoding example" section */
static const uint8_t readme_example[] = {
	3, 4, 'k', 'e', 'y', '1', 0, 6, 'v', 'a', 'l', 'u', 'e', '1',
	1, 8, 's', 'e', 'c', 't', 'i', 'o', 'n', '1',
	1, 11, 's', 'u', 'b', '-', 's', 'e', 'c', 't', 'i', 'o', 'n',
	3, 4, 'k', 'e', 'y', '2', 0, 6, 'v', 'a', 'l', 'u', 'e', '2',
	2,
	4, 5, 'l', 'i', 's', 't', '1',
	5, 0, 5, 'i', 't', 'e', 'm', '1',
	5, 0, 5, 'i', 't', 'e', 'm', '2',
	6,
	2,
};

/* a child-updown event as charon 5.9.8 sends it (abridged) */
static uint8_t *child_updown_event(size_t *len)
{
	struct vici_builder b;

	vici_builder_init(&b, VICI_EVENT, "child-updown");
	vici_builder_kv_str(&b, "up", "yes");
	vici_builder_section_start(&b, "gre1");
	vici_builder_kv_str(&b, "uniqueid", "3");
	vici_builder_kv_str(&b, "version", "1");
	vici_builder_kv_str(&b, "state", "ESTABLISHED");
	vici_builder_kv_str(&b, "local-host", "20.1.1.1");
	vici_builder_kv_str(&b, "remote-host", "20.1.1.2");
	vici_builder_section_start(&b, "child-sas");
	vici_builder_section_start(&b, "gre1-7");
	vici_builder_kv_str(&b, "name", "gre1");
	vici_builder_kv_printf(&b, "uniqueid", "%u", 7u);
	vici_builder_kv_str(&b, "reqid", "1");
	vici_builder_kv_str(&b, "state", "INSTALLED");
	vici_builder_kv_str(&b, "spi-in", "c1a2b3c4");
	vici_builder_list_start(&b, "local-ts");
	vici_builder_list_item_str(&b, "20.1.1.1/32[gre]");
	vici_builder_list_end(&b);
	vici_builder_list_start(&b, "remote-ts");
	vici_builder_list_item_str(&b, "20.1.1.2/32[gre]");
	vici_builder_list_end(&b);
	vici_builder_section_end(&b);
	vici_builder_section_end(&b);
	vici_builder_section_end(&b);
	return finish_ok(&b, len);
}

/* --------------------------------------------------------- round trips */

static void event_round_trip_keeps_structure(void **state)
{
	struct vici_packet packet;
	const struct vici_node *root, *ike, *child, *ts;
	struct vici_msg *msg;
	uint64_t uniqueid;
	uint8_t *frame;
	size_t len;

	frame = child_updown_event(&len);
	frame_packet(frame, len, &packet);
	assert_int_equal(packet.type, VICI_EVENT);
	assert_string_equal(packet.name, "child-updown");
	assert_int_equal(vici_msg_parse(packet.body, packet.body_len, &msg,
					NULL),
			 VICI_OK);

	root = vici_msg_root(msg);
	assert_string_equal(vici_node_get_str(root, "up"), "yes");
	ike = vici_node_get(root, "gre1");
	assert_non_null(ike);
	assert_int_equal(ike->type, VICI_NODE_SECTION);
	assert_true(vici_node_get_u64(ike, "uniqueid", &uniqueid));
	assert_int_equal(uniqueid, 3);
	child = vici_node_get(vici_node_get(ike, "child-sas"), "gre1-7");
	assert_non_null(child);
	assert_ptr_equal(child->parent->parent, ike);
	assert_string_equal(vici_node_get_str(child, "state"), "INSTALLED");
	ts = vici_node_get(child, "local-ts");
	assert_int_equal(ts->type, VICI_NODE_LIST);
	assert_int_equal(vici_node_count(ts), 1);
	assert_string_equal(vici_node_str(ts->first), "20.1.1.1/32[gre]");
	/* a list is not a key/value */
	assert_null(vici_node_get_str(child, "local-ts"));
	assert_null(vici_node_get(root, "missing"));

	assert_string_equal(format(root),
		"up=yes gre1{uniqueid=3 version=1 state=ESTABLISHED "
		"local-host=20.1.1.1 remote-host=20.1.1.2 child-sas{gre1-7{"
		"name=gre1 uniqueid=7 reqid=1 state=INSTALLED spi-in=c1a2b3c4 "
		"local-ts=[20.1.1.1/32[gre]] remote-ts=[20.1.1.2/32[gre]]}}}");
	vici_msg_free(msg);
	vici_free(frame);
}

static void readme_example_encodes_and_decodes(void **state)
{
	struct vici_builder b;
	struct vici_packet packet;
	struct vici_msg *msg;
	uint8_t *frame;
	size_t len;

	assert_int_equal(vici_msg_parse(readme_example, sizeof(readme_example),
					&msg, NULL),
			 VICI_OK);
	assert_string_equal(format(vici_msg_root(msg)),
		"key1=value1 section1{sub-section{key2=value2} "
		"list1=[item1,item2]}");

	vici_builder_init(&b, VICI_CMD_RESPONSE, NULL);
	encode_children(&b, vici_msg_root(msg));
	frame = finish_ok(&b, &len);
	frame_packet(frame, len, &packet);
	assert_int_equal(packet.type, VICI_CMD_RESPONSE);
	assert_string_equal(packet.name, "");
	assert_int_equal(packet.body_len, sizeof(readme_example));
	assert_memory_equal(packet.body, readme_example, sizeof(readme_example));
	vici_free(frame);
	vici_msg_free(msg);
}

static void binary_and_empty_values_round_trip(void **state)
{
	static const uint8_t blob[] = { 0x00, 0xff, 'a', 0x00, 0x7f };
	struct vici_builder b;
	struct vici_packet packet;
	const struct vici_node *root, *node;
	struct vici_msg *msg;
	uint8_t *frame;
	size_t len;

	vici_builder_init(&b, VICI_CMD_REQUEST, "load-shared");
	vici_builder_kv(&b, "data", blob, sizeof(blob));
	vici_builder_kv(&b, "empty", NULL, 0);
	vici_builder_list_start(&b, "owners");
	vici_builder_list_end(&b);
	vici_builder_section_start(&b, "");
	vici_builder_section_end(&b);
	frame = finish_ok(&b, &len);
	frame_packet(frame, len, &packet);
	assert_string_equal(packet.name, "load-shared");
	assert_int_equal(vici_msg_parse(packet.body, packet.body_len, &msg,
					NULL),
			 VICI_OK);
	root = vici_msg_root(msg);
	node = vici_node_get(root, "data");
	assert_int_equal(node->value_len, sizeof(blob));
	assert_memory_equal(node->value, blob, sizeof(blob));
	/* an embedded NUL is no C string */
	assert_null(vici_node_str(node));
	assert_string_equal(vici_node_get_str(root, "empty"), "");
	assert_int_equal(vici_node_count(vici_node_get(root, "owners")), 0);
	assert_int_equal(vici_node_get(root, "")->type, VICI_NODE_SECTION);
	vici_msg_free(msg);
	vici_free(frame);
}

static void largest_value_and_name_are_accepted(void **state)
{
	char name[256];
	struct vici_builder b;
	struct vici_packet packet;
	struct vici_msg *msg;
	uint8_t *value, *frame;
	size_t len;

	memset(name, 'n', 255);
	name[255] = '\0';
	value = calloc(1, UINT16_MAX);
	assert_non_null(value);
	vici_builder_init(&b, VICI_EVENT, name);
	vici_builder_kv(&b, name, value, UINT16_MAX);
	frame = finish_ok(&b, &len);
	frame_packet(frame, len, &packet);
	assert_string_equal(packet.name, name);
	assert_int_equal(vici_msg_parse(packet.body, packet.body_len, &msg,
					NULL),
			 VICI_OK);
	assert_int_equal(vici_node_get(vici_msg_root(msg), name)->value_len,
			 UINT16_MAX);
	vici_msg_free(msg);
	vici_free(frame);
	free(value);
}

static void unnamed_packets_carry_no_name(void **state)
{
	static const uint8_t confirm[] = { VICI_EVENT_CONFIRM };
	static const uint8_t unknown[] = { VICI_CMD_UNKNOWN };
	struct vici_packet packet;

	assert_int_equal(vici_packet_parse(confirm, 1, &packet), VICI_OK);
	assert_int_equal(packet.type, VICI_EVENT_CONFIRM);
	assert_string_equal(packet.name, "");
	assert_int_equal(packet.body_len, 0);
	assert_int_equal(vici_packet_parse(unknown, 1, &packet), VICI_OK);
	assert_int_equal(packet.type, VICI_CMD_UNKNOWN);
}

static void event_registration_is_name_only(void **state)
{
	static const uint8_t expected[] = {
		0, 0, 0, 14, VICI_EVENT_REGISTER, 12,
		'c', 'h', 'i', 'l', 'd', '-', 'u', 'p', 'd', 'o', 'w', 'n',
	};
	struct vici_builder b;
	uint8_t *frame;
	size_t len;

	vici_builder_init(&b, VICI_EVENT_REGISTER, "child-updown");
	frame = finish_ok(&b, &len);
	assert_int_equal(len, sizeof(expected));
	assert_memory_equal(frame, expected, sizeof(expected));
	vici_free(frame);
}

static void empty_message_is_valid(void **state)
{
	struct vici_msg *msg;

	assert_int_equal(vici_msg_parse(NULL, 0, &msg, NULL), VICI_OK);
	assert_null(vici_msg_root(msg)->first);
	assert_string_equal(format(vici_msg_root(msg)), "");
	vici_msg_free(msg);
}

static void numbers_are_parsed_strictly(void **state)
{
	static const uint8_t data[] = {
		3, 1, 'a', 0, 2, '4', '2',
		3, 1, 'b', 0, 20, '1', '8', '4', '4', '6', '7', '4', '4', '0',
			'7', '3', '7', '0', '9', '5', '5', '1', '6', '1', '5',
		3, 1, 'c', 0, 20, '1', '8', '4', '4', '6', '7', '4', '4', '0',
			'7', '3', '7', '0', '9', '5', '5', '1', '6', '1', '6',
		3, 1, 'd', 0, 2, '-', '1',
		3, 1, 'e', 0, 0,
		3, 1, 'f', 0, 3, '1', 0, '2',
	};
	const struct vici_node *root;
	struct vici_msg *msg;
	uint64_t value;

	assert_int_equal(vici_msg_parse(data, sizeof(data), &msg, NULL),
			 VICI_OK);
	root = vici_msg_root(msg);
	assert_true(vici_node_get_u64(root, "a", &value));
	assert_int_equal(value, 42);
	assert_true(vici_node_get_u64(root, "b", &value));
	assert_true(value == UINT64_MAX);
	assert_false(vici_node_get_u64(root, "c", &value));	/* overflow */
	assert_false(vici_node_get_u64(root, "d", &value));
	assert_false(vici_node_get_u64(root, "e", &value));
	assert_false(vici_node_get_u64(root, "f", &value));	/* NUL */
	assert_false(vici_node_get_u64(root, "missing", &value));
	vici_msg_free(msg);
}

/* -------------------------------------------------------------- frames */

static void frame_length_limits(void **state)
{
	uint8_t header[4];
	uint32_t len = 12345;

	memcpy(header, "\0\0\0\0", 4);
	assert_int_equal(vici_frame_length(header, &len),
			 VICI_ERR_FRAME_LENGTH);
	assert_int_equal(len, 12345);
	memcpy(header, "\0\0\0\1", 4);
	assert_int_equal(vici_frame_length(header, &len), VICI_OK);
	assert_int_equal(len, 1);
	/* 512 KiB is the largest frame, one more byte is over the limit */
	memcpy(header, "\0\x08\0\0", 4);
	assert_int_equal(vici_frame_length(header, &len), VICI_OK);
	assert_int_equal(len, VICI_FRAME_MAX);
	memcpy(header, "\0\x08\0\1", 4);
	assert_int_equal(vici_frame_length(header, &len),
			 VICI_ERR_FRAME_LENGTH);
	memcpy(header, "\xff\xff\xff\xff", 4);
	assert_int_equal(vici_frame_length(header, &len),
			 VICI_ERR_FRAME_LENGTH);
	memcpy(header, "\x80\0\0\x10", 4);
	assert_int_equal(vici_frame_length(header, &len),
			 VICI_ERR_FRAME_LENGTH);
}

static void malformed_packets_are_rejected(void **state)
{
	static const uint8_t bad_type[] = { 8, 0 };
	static const uint8_t huge_type[] = { 0xff };
	static const uint8_t no_name_len[] = { VICI_EVENT };
	static const uint8_t name_past_end[] = { VICI_EVENT, 5, 'a', 'b' };
	static const uint8_t cmd_name_past_end[] = { VICI_CMD_REQUEST, 255 };
	static const uint8_t exact_name[] = { VICI_EVENT, 2, 'a', 'b' };
	static const uint8_t nul_in_name[] = { VICI_EVENT, 2, 'a', 0 };
	struct vici_packet packet;

	assert_int_equal(vici_packet_parse(bad_type, 0, &packet),
			 VICI_ERR_TRUNCATED);
	assert_int_equal(vici_packet_parse(bad_type, sizeof(bad_type), &packet),
			 VICI_ERR_PACKET_TYPE);
	assert_int_equal(vici_packet_parse(huge_type, 1, &packet),
			 VICI_ERR_PACKET_TYPE);
	assert_int_equal(vici_packet_parse(no_name_len, 1, &packet),
			 VICI_ERR_TRUNCATED);
	assert_int_equal(vici_packet_parse(name_past_end,
					   sizeof(name_past_end), &packet),
			 VICI_ERR_TRUNCATED);
	assert_int_equal(vici_packet_parse(cmd_name_past_end,
					   sizeof(cmd_name_past_end), &packet),
			 VICI_ERR_TRUNCATED);
	assert_int_equal(vici_packet_parse(exact_name, sizeof(exact_name),
					   &packet),
			 VICI_OK);
	assert_string_equal(packet.name, "ab");
	assert_int_equal(packet.body_len, 0);
	assert_int_equal(vici_packet_parse(nul_in_name, sizeof(nul_in_name),
					   &packet),
			 VICI_ERR_NAME_LENGTH);
}

static void names_with_nul_are_rejected(void **state)
{
	static const uint8_t section[] = { 1, 2, 's', 0, 2 };
	static const uint8_t key[] = { 3, 1, 0, 0, 1, 'v' };
	static const uint8_t list[] = { 4, 3, 'a', 0, 'b', 6 };
	size_t offset;

	assert_int_equal(parse_bytes(section, sizeof(section), &offset),
			 VICI_ERR_NAME_LENGTH);
	assert_int_equal(offset, 0);
	assert_int_equal(parse_bytes(key, sizeof(key), NULL),
			 VICI_ERR_NAME_LENGTH);
	assert_int_equal(parse_bytes(list, sizeof(list), NULL),
			 VICI_ERR_NAME_LENGTH);
}

/* ---------------------------------------------------- malformed messages */

static void every_truncation_is_rejected(void **state)
{
	struct vici_packet packet;
	uint8_t *frame;
	size_t len, cut, offset;

	/* everything in one section: no strict prefix is a valid message */
	frame = child_updown_event(&len);
	frame_packet(frame, len, &packet);
	for (cut = 1; cut < packet.body_len; cut++) {
		enum vici_error error;

		/* "up=yes" (9 bytes) is a complete message on its own */
		if (cut == 9)
			continue;
		error = parse_bytes(packet.body, cut, &offset);

		assert_true(error == VICI_ERR_TRUNCATED ||
			    error == VICI_ERR_UNBALANCED);
		assert_true(offset <= cut);
	}
	assert_int_equal(parse_bytes(packet.body, packet.body_len, NULL),
			 VICI_OK);
	vici_free(frame);
}

static void name_and_value_lengths_past_the_end(void **state)
{
	static const uint8_t section_name[] = { 1, 10, 'a', 'b' };
	static const uint8_t section_no_len[] = { 1 };
	static const uint8_t key_name[] = { 3, 200, 'k' };
	static const uint8_t value_len_cut[] = { 3, 1, 'k', 0 };
	static const uint8_t value_no_len[] = { 3, 1, 'k' };
	static const uint8_t value_past_end[] = { 3, 1, 'k', 0, 5, 'v' };
	static const uint8_t value_huge[] = { 3, 1, 'k', 0xff, 0xff, 'v' };
	static const uint8_t list_name[] = { 4, 3, 'l' };
	static const uint8_t item_past_end[] = { 4, 1, 'l', 5, 0, 5, 'x', 6 };
	size_t offset;

	assert_int_equal(parse_bytes(section_name, sizeof(section_name),
				     &offset),
			 VICI_ERR_TRUNCATED);
	assert_int_equal(offset, 0);
	assert_int_equal(parse_bytes(section_no_len, 1, NULL),
			 VICI_ERR_TRUNCATED);
	assert_int_equal(parse_bytes(key_name, sizeof(key_name), NULL),
			 VICI_ERR_TRUNCATED);
	assert_int_equal(parse_bytes(value_len_cut, sizeof(value_len_cut),
				     NULL),
			 VICI_ERR_TRUNCATED);
	assert_int_equal(parse_bytes(value_no_len, sizeof(value_no_len), NULL),
			 VICI_ERR_TRUNCATED);
	assert_int_equal(parse_bytes(value_past_end, sizeof(value_past_end),
				     NULL),
			 VICI_ERR_TRUNCATED);
	assert_int_equal(parse_bytes(value_huge, sizeof(value_huge), NULL),
			 VICI_ERR_TRUNCATED);
	assert_int_equal(parse_bytes(list_name, sizeof(list_name), NULL),
			 VICI_ERR_TRUNCATED);
	assert_int_equal(parse_bytes(item_past_end, sizeof(item_past_end),
				     &offset),
			 VICI_ERR_TRUNCATED);
	assert_int_equal(offset, 3);
}

static void unknown_element_types_are_rejected(void **state)
{
	static const uint8_t zero[] = { 0 };
	static const uint8_t seven[] = { 3, 1, 'k', 0, 1, 'v', 7, 0 };
	static const uint8_t high[] = { 1, 1, 's', 0xff, 2 };
	size_t offset;

	assert_int_equal(parse_bytes(zero, sizeof(zero), &offset),
			 VICI_ERR_ELEMENT_TYPE);
	assert_int_equal(offset, 0);
	assert_int_equal(parse_bytes(seven, sizeof(seven), &offset),
			 VICI_ERR_ELEMENT_TYPE);
	assert_int_equal(offset, 6);
	assert_int_equal(parse_bytes(high, sizeof(high), &offset),
			 VICI_ERR_ELEMENT_TYPE);
	assert_int_equal(offset, 3);
}

static void unbalanced_sections_are_rejected(void **state)
{
	static const uint8_t end_at_root[] = { 2 };
	static const uint8_t extra_end[] = { 1, 1, 's', 2, 2 };
	static const uint8_t unclosed[] = { 1, 1, 's', 1, 1, 't', 2 };
	static const uint8_t unclosed_list[] = { 4, 1, 'l', 5, 0, 0 };
	size_t offset;

	assert_int_equal(parse_bytes(end_at_root, 1, &offset),
			 VICI_ERR_UNBALANCED);
	assert_int_equal(offset, 0);
	assert_int_equal(parse_bytes(extra_end, sizeof(extra_end), &offset),
			 VICI_ERR_UNBALANCED);
	assert_int_equal(offset, 4);
	assert_int_equal(parse_bytes(unclosed, sizeof(unclosed), &offset),
			 VICI_ERR_UNBALANCED);
	assert_int_equal(offset, sizeof(unclosed));
	assert_int_equal(parse_bytes(unclosed_list, sizeof(unclosed_list),
				     NULL),
			 VICI_ERR_UNBALANCED);
}

static void misplaced_elements_are_rejected(void **state)
{
	static const uint8_t key_in_list[] = { 4, 1, 'l', 3, 1, 'k', 0, 0, 6 };
	static const uint8_t section_in_list[] = { 4, 1, 'l', 1, 1, 's', 2, 6 };
	static const uint8_t nested_list[] = { 4, 1, 'l', 4, 1, 'm', 6, 6 };
	static const uint8_t item_outside[] = { 5, 0, 1, 'x' };
	static const uint8_t list_end_outside[] = { 6 };
	static const uint8_t section_end_in_list[] = { 1, 1, 's', 4, 1, 'l',
						       2, 6, 2 };
	size_t offset;

	assert_int_equal(parse_bytes(key_in_list, sizeof(key_in_list),
				     &offset),
			 VICI_ERR_MISPLACED);
	assert_int_equal(offset, 3);
	assert_int_equal(parse_bytes(section_in_list, sizeof(section_in_list),
				     NULL),
			 VICI_ERR_MISPLACED);
	assert_int_equal(parse_bytes(nested_list, sizeof(nested_list), NULL),
			 VICI_ERR_MISPLACED);
	assert_int_equal(parse_bytes(item_outside, sizeof(item_outside), NULL),
			 VICI_ERR_MISPLACED);
	assert_int_equal(parse_bytes(list_end_outside, 1, NULL),
			 VICI_ERR_MISPLACED);
	assert_int_equal(parse_bytes(section_end_in_list,
				     sizeof(section_end_in_list), NULL),
			 VICI_ERR_MISPLACED);
}

static void nesting_depth_is_limited(void **state)
{
	uint8_t data[3 * (VICI_DEPTH_MAX + 1)];
	size_t len = 0, i;

	for (i = 0; i < VICI_DEPTH_MAX + 1; i++) {
		data[len++] = VICI_SECTION_START;
		data[len++] = 0;
	}
	for (i = 0; i < VICI_DEPTH_MAX + 1; i++)
		data[len++] = VICI_SECTION_END;
	/* VICI_DEPTH_MAX levels are fine, one more is not */
	assert_int_equal(parse_bytes(data + 2, len - 3, NULL), VICI_OK);
	assert_int_equal(parse_bytes(data, len, NULL), VICI_ERR_TOO_DEEP);
}

/* a small deterministic generator: the same inputs on every run */
static uint32_t lcg_next(uint32_t *seed)
{
	*seed = *seed * 1664525u + 1013904223u;
	return *seed >> 8;
}

static void mutated_messages_never_crash(void **state)
{
	struct vici_packet packet;
	uint8_t *frame, *data;
	size_t len, body_len, round;
	uint32_t seed = 0x5eed;
	unsigned int accepted = 0;

	frame = child_updown_event(&len);
	frame_packet(frame, len, &packet);
	body_len = packet.body_len;
	data = malloc(body_len + 8);
	assert_non_null(data);

	for (round = 0; round < 20000; round++) {
		size_t data_len = body_len, flips = 1 + lcg_next(&seed) % 4, i;
		struct vici_msg *msg;

		memcpy(data, packet.body, body_len);
		for (i = 0; i < flips; i++)
			data[lcg_next(&seed) % body_len] = (uint8_t)lcg_next(&seed);
		if (lcg_next(&seed) % 4 == 0)
			data_len = lcg_next(&seed) % body_len;
		if (vici_msg_parse(data, data_len, &msg, NULL) != VICI_OK)
			continue;
		/* what is accepted is well-formed: it encodes to the same bytes */
		{
			struct vici_builder b;
			struct vici_packet again;
			uint8_t *reencoded;
			size_t reencoded_len;

			vici_builder_init(&b, VICI_CMD_RESPONSE, NULL);
			encode_children(&b, vici_msg_root(msg));
			reencoded = finish_ok(&b, &reencoded_len);
			frame_packet(reencoded, reencoded_len, &again);
			assert_int_equal(again.body_len, data_len);
			assert_memory_equal(again.body, data, data_len);
			vici_free(reencoded);
		}
		accepted++;
		vici_msg_free(msg);
	}
	/* the mutations must have exercised both paths */
	assert_true(accepted > 0 && accepted < 20000);
	free(data);
	vici_free(frame);
}

/* -------------------------------------------------------------- encoder */

static void encoder_rejects_long_names_and_values(void **state)
{
	char name[257];
	struct vici_builder b;
	uint8_t *frame, *big;
	size_t len;

	memset(name, 'x', 256);
	name[256] = '\0';
	vici_builder_init(&b, VICI_CMD_REQUEST, name);
	assert_int_equal(vici_builder_finish(&b, &frame, &len),
			 VICI_ERR_NAME_LENGTH);
	assert_null(frame);
	assert_int_equal(len, 0);

	vici_builder_init(&b, VICI_CMD_REQUEST, "load-conn");
	vici_builder_section_start(&b, name);
	assert_int_equal(vici_builder_finish(&b, &frame, &len),
			 VICI_ERR_NAME_LENGTH);

	vici_builder_init(&b, VICI_CMD_REQUEST, NULL);
	assert_int_equal(vici_builder_finish(&b, &frame, &len),
			 VICI_ERR_NAME_LENGTH);

	big = calloc(1, UINT16_MAX + 1);
	assert_non_null(big);
	vici_builder_init(&b, VICI_CMD_REQUEST, "load-key");
	vici_builder_kv(&b, "data", big, UINT16_MAX + 1);
	assert_int_equal(vici_builder_finish(&b, &frame, &len),
			 VICI_ERR_VALUE_LENGTH);
	vici_builder_init(&b, VICI_CMD_REQUEST, "load-shared");
	vici_builder_list_start(&b, "owners");
	vici_builder_list_item(&b, big, UINT16_MAX + 1);
	assert_int_equal(vici_builder_finish(&b, &frame, &len),
			 VICI_ERR_VALUE_LENGTH);
	vici_builder_init(&b, VICI_CMD_REQUEST, "x");
	vici_builder_kv_str(&b, "k", NULL);
	assert_int_equal(vici_builder_finish(&b, &frame, &len),
			 VICI_ERR_VALUE_LENGTH);
	free(big);
}

static void encoder_limits_frame_size(void **state)
{
	struct vici_builder b;
	uint8_t *value, *frame;
	size_t len, i;

	value = calloc(1, UINT16_MAX);
	assert_non_null(value);
	vici_builder_init(&b, VICI_CMD_REQUEST, "load-conn");
	for (i = 0; i < 7; i++)
		vici_builder_kv(&b, "k", value, UINT16_MAX);
	assert_int_equal(b.error, VICI_OK);
	/* the 8th value passes 512 KiB */
	vici_builder_kv(&b, "k", value, UINT16_MAX);
	assert_int_equal(vici_builder_finish(&b, &frame, &len),
			 VICI_ERR_FRAME_LENGTH);
	free(value);
}

static void encoder_enforces_structure(void **state)
{
	struct vici_builder b;
	uint8_t *frame;
	size_t len;

	vici_builder_init(&b, VICI_CMD_REQUEST, "c");
	vici_builder_section_start(&b, "s");
	assert_int_equal(vici_builder_finish(&b, &frame, &len),
			 VICI_ERR_UNBALANCED);

	vici_builder_init(&b, VICI_CMD_REQUEST, "c");
	vici_builder_section_end(&b);
	/* the first error sticks, later valid calls change nothing */
	vici_builder_kv_str(&b, "k", "v");
	assert_int_equal(vici_builder_finish(&b, &frame, &len),
			 VICI_ERR_UNBALANCED);

	vici_builder_init(&b, VICI_CMD_REQUEST, "c");
	vici_builder_list_start(&b, "l");
	vici_builder_kv_str(&b, "k", "v");
	assert_int_equal(vici_builder_finish(&b, &frame, &len),
			 VICI_ERR_MISPLACED);

	vici_builder_init(&b, VICI_CMD_REQUEST, "c");
	vici_builder_list_start(&b, "l");
	vici_builder_list_start(&b, "m");
	assert_int_equal(vici_builder_finish(&b, &frame, &len),
			 VICI_ERR_MISPLACED);

	vici_builder_init(&b, VICI_CMD_REQUEST, "c");
	vici_builder_list_item_str(&b, "i");
	assert_int_equal(vici_builder_finish(&b, &frame, &len),
			 VICI_ERR_MISPLACED);

	vici_builder_init(&b, VICI_CMD_REQUEST, "c");
	vici_builder_list_start(&b, "l");
	assert_int_equal(vici_builder_finish(&b, &frame, &len),
			 VICI_ERR_UNBALANCED);

	vici_builder_init(&b, 8, "c");
	assert_int_equal(vici_builder_finish(&b, &frame, &len),
			 VICI_ERR_PACKET_TYPE);

	/* a builder that was never initialised yields no frame */
	memset(&b, 0, sizeof(b));
	assert_int_equal(vici_builder_finish(&b, &frame, &len),
			 VICI_ERR_TRUNCATED);
}

static void kv_printf_refuses_truncation(void **state)
{
	char longer[300];
	struct vici_builder b;
	uint8_t *frame;
	size_t len;

	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	vici_builder_init(&b, VICI_CMD_REQUEST, "c");
	vici_builder_kv_printf(&b, "k", "%s", longer);
	assert_int_equal(vici_builder_finish(&b, &frame, &len),
			 VICI_ERR_VALUE_LENGTH);
}

/* ----------------------------------------------------------- formatting */

static void format_escapes_redacts_and_truncates(void **state)
{
	static const uint8_t data[] = {
		3, 3, 'k', '\n', 'y', 0, 3, 'a', 0, '\\',
		3, 4, 'd', 'a', 't', 'a', 0, 6, 's', 'e', 'c', 'r', 'e', 't',
		4, 4, 'd', 'a', 't', 'a', 5, 0, 2, 'p', 'w', 6,
	};
	static const char *const redact[] = { "data", NULL };
	struct vici_msg *msg;
	char text[64], small[8];
	size_t len;

	assert_int_equal(vici_msg_parse(data, sizeof(data), &msg, NULL),
			 VICI_OK);
	len = vici_node_format(vici_msg_root(msg), text, sizeof(text), redact);
	assert_string_equal(text,
		"k\\x0ay=a\\x00\\x5c data=<6 bytes> data=[<2 bytes>]");
	assert_int_equal(len, strlen(text));

	len = vici_node_format(vici_msg_root(msg), small, sizeof(small),
			       redact);
	assert_string_equal(small, "k\\x0...");
	assert_true(len > sizeof(small));
	assert_int_equal(vici_node_format(vici_msg_root(msg), small, 1, NULL),
			 len - 10 /* "secret" and "pw" shown, not redacted */);
	assert_string_equal(small, "");
	vici_msg_free(msg);
}

/* ----------------------------------------------------------- allocation */

static size_t live_blocks;
static bool fail_allocations;

static void *counting_alloc(size_t size)
{
	if (fail_allocations)
		return NULL;
	live_blocks++;
	return malloc(size);
}

static void *counting_realloc(void *ptr, size_t size)
{
	if (fail_allocations)
		return NULL;
	if (!ptr)
		live_blocks++;
	return realloc(ptr, size);
}

static void counting_free(void *ptr)
{
	live_blocks--;
	free(ptr);
}

static const struct vici_allocator counting = {
	.alloc = counting_alloc,
	.realloc = counting_realloc,
	.free = counting_free,
};

static void allocator_is_used_and_balanced(void **state)
{
	struct vici_packet packet;
	struct vici_msg *msg;
	uint8_t *frame;
	size_t len;

	vici_set_allocator(&counting);
	live_blocks = 0;
	frame = child_updown_event(&len);
	frame_packet(frame, len, &packet);
	assert_int_equal(vici_msg_parse(packet.body, packet.body_len, &msg,
					NULL),
			 VICI_OK);
	assert_int_equal(live_blocks, 2);
	vici_msg_free(msg);
	vici_free(frame);
	assert_int_equal(live_blocks, 0);

	fail_allocations = true;
	assert_int_equal(vici_msg_parse(readme_example, sizeof(readme_example),
					&msg, NULL),
			 VICI_ERR_NOMEM);
	assert_null(msg);
	{
		struct vici_builder b;

		vici_builder_init(&b, VICI_CMD_REQUEST, "list-sas");
		assert_int_equal(vici_builder_finish(&b, &frame, &len),
				 VICI_ERR_NOMEM);
	}
	fail_allocations = false;
	assert_int_equal(live_blocks, 0);
	vici_set_allocator(NULL);
}

static void error_strings_exist(void **state)
{
	int error;

	for (error = VICI_OK; error <= VICI_ERR_NOMEM; error++)
		assert_string_not_equal(vici_strerror(error), "unknown error");
	assert_string_equal(vici_packet_type_name(VICI_EVENT), "EVENT");
	assert_string_equal(vici_packet_type_name(200), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(event_round_trip_keeps_structure),
		cmocka_unit_test(readme_example_encodes_and_decodes),
		cmocka_unit_test(binary_and_empty_values_round_trip),
		cmocka_unit_test(largest_value_and_name_are_accepted),
		cmocka_unit_test(unnamed_packets_carry_no_name),
		cmocka_unit_test(event_registration_is_name_only),
		cmocka_unit_test(empty_message_is_valid),
		cmocka_unit_test(numbers_are_parsed_strictly),
		cmocka_unit_test(frame_length_limits),
		cmocka_unit_test(malformed_packets_are_rejected),
		cmocka_unit_test(every_truncation_is_rejected),
		cmocka_unit_test(name_and_value_lengths_past_the_end),
		cmocka_unit_test(unknown_element_types_are_rejected),
		cmocka_unit_test(unbalanced_sections_are_rejected),
		cmocka_unit_test(misplaced_elements_are_rejected),
		cmocka_unit_test(names_with_nul_are_rejected),
		cmocka_unit_test(nesting_depth_is_limited),
		cmocka_unit_test(mutated_messages_never_crash),
		cmocka_unit_test(encoder_rejects_long_names_and_values),
		cmocka_unit_test(encoder_limits_frame_size),
		cmocka_unit_test(encoder_enforces_structure),
		cmocka_unit_test(kv_printf_refuses_truncation),
		cmocka_unit_test(format_escapes_redacts_and_truncates),
		cmocka_unit_test(allocator_is_used_and_balanced),
		cmocka_unit_test(error_strings_exist),
	};

	return cmocka_run_group_tests_name("vici_msg", tests, NULL, NULL);
}
