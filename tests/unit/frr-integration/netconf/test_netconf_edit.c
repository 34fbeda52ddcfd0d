// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: <edit-config> operations (ios_netconf_edit.c) and subtree
 * filters (ios_netconf_filter.c) on libyang trees of the ios-ipsec-suite
 * model, with ietf-netconf loaded for the operation attribute, as the
 * NETCONF server's context has them.
 */

#include <zebra.h>

#include <setjmp.h>
#include <cmocka.h>

#include <libnetconf2/messages_server.h>

#include "ios_netconf.h"

#define NC_ATTR "xmlns:nc=\"urn:ietf:params:xml:ns:netconf:base:1.0\""
#define IOS_OPEN "<ios xmlns=\"urn:ios-ipsec-suite:yang:ios-ipsec-suite\" " NC_ATTR ">"
#define IOS_CLOSE "</ios>"

#define TS(name, cipher)                                                       \
	"<transform-set><name>" name "</name><esp-encryption>" cipher           \
	"</esp-encryption><esp-integrity>esp-sha-hmac</esp-integrity>"       \
	"</transform-set>"

static struct ly_ctx *ctx;

static int ctx_setup(void **state)
{
	static const char *features[] = { "candidate", NULL };

	assert_int_equal(ly_ctx_new(SUITE_YANG_DIR ":" NETCONF_YANG_DIR, 0,
				    &ctx),
			 LY_SUCCESS);
	assert_non_null(ly_ctx_load_module(ctx, "ietf-netconf", NULL, features));
	assert_non_null(ly_ctx_load_module(ctx, "ios-ipsec-suite", NULL, NULL));
	return 0;
}

static int ctx_teardown(void **state)
{
	ly_ctx_destroy(ctx);
	return 0;
}

static struct lyd_node *parse(const char *xml, bool opaque)
{
	struct lyd_node *tree = NULL;
	uint32_t options = LYD_PARSE_ONLY | LYD_PARSE_STRICT
			   | LYD_PARSE_NO_STATE;

	assert_int_equal(lyd_parse_data_mem(ctx, xml, LYD_XML,
					    options
						    | (opaque ? LYD_PARSE_OPAQ
							      : 0),
					    0, &tree),
			 LY_SUCCESS);
	return tree;
}

/* the tree as shrunk XML, for substring checks */
static char *print(const struct lyd_node *tree)
{
	char *xml = NULL;

	if (!tree)
		return strdup("");
	assert_int_equal(lyd_print_mem(&xml, tree, LYD_XML,
				       LYD_PRINT_SHRINK
					       | LYD_PRINT_WITHSIBLINGS),
			 LY_SUCCESS);
	return xml;
}

static const char *BASE = IOS_OPEN "<crypto><ipsec>" TS("a", "esp-des")
	TS("b", "esp-3des") "</ipsec><map><name>m</name><sequence>10</sequence>"
	"<peer>20.1.1.2</peer><transform-set>a</transform-set></map></crypto>"
	IOS_CLOSE;

/* apply edit_xml to BASE; returns the result XML (or NULL on error) */
static char *apply(const char *edit_xml, enum ios_nc_edit_op op,
		   struct ios_nc_error *err)
{
	struct lyd_node *target = parse(BASE, false);
	struct lyd_node *edit = parse(edit_xml, false);
	char *xml = NULL;

	memset(err, 0, sizeof(*err));
	if (ios_nc_edit_apply(&target, edit, op, err))
		xml = print(target);
	lyd_free_all(edit);
	lyd_free_all(target);
	return xml;
}

static void merge_adds_and_changes(void **state)
{
	struct ios_nc_error err;
	char *xml = apply(IOS_OPEN "<crypto><ipsec>" TS("c", "esp-des")
			  "<transform-set><name>a</name><mode>transport</mode>"
			  "</transform-set></ipsec></crypto>" IOS_CLOSE,
			  IOS_NC_OP_MERGE, &err);

	assert_non_null(xml);
	assert_non_null(strstr(xml, "<name>c</name>"));
	assert_non_null(strstr(xml, "<name>a</name><esp-encryption>esp-des</esp-encryption><esp-integrity>esp-sha-hmac</esp-integrity><mode>transport</mode>"));
	assert_non_null(strstr(xml, "<name>b</name>"));
	free(xml);
}

static void create_of_existing_data_fails(void **state)
{
	struct ios_nc_error err;
	char *xml = apply(IOS_OPEN "<crypto><ipsec><transform-set nc:operation=\"create\">"
			  "<name>a</name><esp-encryption>esp-des</esp-encryption>"
			  "<esp-integrity>esp-sha-hmac</esp-integrity>"
			  "</transform-set></ipsec></crypto>" IOS_CLOSE,
			  IOS_NC_OP_MERGE, &err);

	assert_null(xml);
	assert_int_equal(err.tag, NC_ERR_DATA_EXISTS);
	assert_string_equal(err.path,
			    "/ios-ipsec-suite:ios/crypto/ipsec/transform-set[name='a']");
}

static void delete_needs_data_remove_does_not(void **state)
{
	struct ios_nc_error err;
	const char *edit = IOS_OPEN "<crypto><ipsec><transform-set nc:operation=\"%s\">"
			   "<name>%s</name></transform-set></ipsec></crypto>" IOS_CLOSE;
	char buf[512];
	char *xml;

	snprintf(buf, sizeof(buf), edit, "delete", "zz");
	assert_null(apply(buf, IOS_NC_OP_MERGE, &err));
	assert_int_equal(err.tag, NC_ERR_DATA_MISSING);
	assert_non_null(strstr(err.path, "transform-set[name='zz']"));

	snprintf(buf, sizeof(buf), edit, "remove", "zz");
	xml = apply(buf, IOS_NC_OP_MERGE, &err);
	assert_non_null(xml);
	free(xml);

	snprintf(buf, sizeof(buf), edit, "delete", "b");
	xml = apply(buf, IOS_NC_OP_MERGE, &err);
	assert_non_null(xml);
	assert_null(strstr(xml, "<name>b</name>"));
	assert_non_null(strstr(xml, "<name>a</name>"));
	free(xml);
}

static void replace_drops_what_is_not_sent(void **state)
{
	struct ios_nc_error err;
	char *xml = apply(IOS_OPEN "<crypto><map nc:operation=\"replace\"><name>m</name>"
			  "<sequence>10</sequence><peer>20.1.1.9</peer></map></crypto>"
			  IOS_CLOSE,
			  IOS_NC_OP_MERGE, &err);

	assert_non_null(xml);
	assert_non_null(strstr(xml, "<peer>20.1.1.9</peer>"));
	assert_null(strstr(xml, "<transform-set>a</transform-set>"));
	free(xml);

	/* default-operation replace: the whole model */
	xml = apply(IOS_OPEN "<crypto><ipsec>" TS("only", "esp-des")
		    "</ipsec></crypto>" IOS_CLOSE,
		    IOS_NC_OP_REPLACE, &err);
	assert_non_null(xml);
	assert_non_null(strstr(xml, "<name>only</name>"));
	assert_null(strstr(xml, "<name>a</name>"));
	assert_null(strstr(xml, "<map>"));
	free(xml);
}

static void none_creates_nothing_it_does_not_need(void **state)
{
	struct ios_nc_error err;
	char *xml = apply(IOS_OPEN "<crypto><map><name>x</name><sequence>1</sequence>"
			  "<peer nc:operation=\"remove\">1.2.3.4</peer></map></crypto>"
			  IOS_CLOSE,
			  IOS_NC_OP_NONE, &err);

	assert_non_null(xml);
	assert_null(strstr(xml, "<name>x</name>"));
	free(xml);
}

static void valueless_leaf_only_for_delete(void **state)
{
	struct lyd_node *target = parse(BASE, false);
	struct lyd_node *edit = parse(IOS_OPEN "<crypto><map><name>m</name><sequence>10</sequence>"
				      "<peer nc:operation=\"delete\"/></map></crypto>" IOS_CLOSE,
				      true);
	struct lyd_node *bad = parse(IOS_OPEN "<crypto><map><name>m</name><sequence>10</sequence>"
				     "<peer/></map></crypto>" IOS_CLOSE,
				     true);
	struct ios_nc_error err;
	char *xml;

	assert_true(ios_nc_edit_check(edit, IOS_NC_OP_MERGE));
	assert_false(ios_nc_edit_check(bad, IOS_NC_OP_MERGE));
	assert_true(ios_nc_edit_apply(&target, edit, IOS_NC_OP_MERGE, &err));
	xml = print(target);
	assert_null(strstr(xml, "<peer>"));
	free(xml);
	lyd_free_all(bad);
	lyd_free_all(edit);
	lyd_free_all(target);
}

static char *filtered(const char *filter_xml)
{
	struct lyd_node *data = parse(BASE, false), *filter = NULL, *result;
	char *xml;

	assert_int_equal(lyd_parse_data_mem(ctx, filter_xml, LYD_XML,
					    LYD_PARSE_ONLY | LYD_PARSE_OPAQ, 0,
					    &filter),
			 LY_SUCCESS);
	assert_true(ios_nc_filter_subtree(data, filter, &result));
	xml = print(result);
	lyd_free_all(result);
	lyd_free_all(filter);
	lyd_free_all(data);
	return xml;
}

static void subtree_filter_selects(void **state)
{
	char *xml;

	/* content match on a key, selection of one leaf */
	xml = filtered(IOS_OPEN "<crypto><ipsec><transform-set><name>b</name>"
		       "<esp-encryption/></transform-set></ipsec></crypto>" IOS_CLOSE);
	assert_non_null(strstr(xml, "<transform-set><name>b</name><esp-encryption>esp-3des</esp-encryption></transform-set>"));
	assert_null(strstr(xml, "<name>a</name>"));
	assert_null(strstr(xml, "esp-integrity"));
	assert_null(strstr(xml, "<map>"));
	free(xml);

	/* a selection node: the whole subtree */
	xml = filtered(IOS_OPEN "<crypto><map/></crypto>" IOS_CLOSE);
	assert_non_null(strstr(xml, "<peer>20.1.1.2</peer>"));
	assert_null(strstr(xml, "<ipsec>"));
	free(xml);

	/* no match, nothing */
	xml = filtered(IOS_OPEN "<crypto><map><name>nope</name></map></crypto>" IOS_CLOSE);
	assert_string_equal(xml, "");
	free(xml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(merge_adds_and_changes),
		cmocka_unit_test(create_of_existing_data_fails),
		cmocka_unit_test(delete_needs_data_remove_does_not),
		cmocka_unit_test(replace_drops_what_is_not_sent),
		cmocka_unit_test(none_creates_nothing_it_does_not_need),
		cmocka_unit_test(valueless_leaf_only_for_delete),
		cmocka_unit_test(subtree_filter_selects),
	};

	return cmocka_run_group_tests(tests, ctx_setup, ctx_teardown);
}
