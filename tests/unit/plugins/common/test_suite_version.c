/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Unit tests: finding the strongSwan version in a daemon's image.
 *
 * Test images are assembled at run time so that this test binary itself
 * does not contain a banner (suite_version_running() reads it).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "suite_version.h"

/** make an image: some binary noise, then the text, then more noise */
static chunk_t image_with(const char *fmt, ...)
{
	char text[256];
	va_list args;
	chunk_t image;
	int len;

	va_start(args, fmt);
	len = vsnprintf(text, sizeof(text), fmt, args);
	va_end(args);

	image = chunk_alloc(16 + len + 16);
	memset(image.ptr, 0xa5, 16);
	memcpy(image.ptr + 16, text, len);
	memset(image.ptr + 16 + len, 0, 16);
	return image;
}

static void finds_version_in_charon_banner(void **state)
{
	chunk_t image = image_with("Starting IKE charon daemon (%s %s, %%s %%s, %%s)",
							   "strongSwan", "5.9.8");
	char version[32];

	assert_true(suite_version_find(image, version, sizeof(version)));
	assert_string_equal(version, "5.9.8");
	chunk_free(&image);
}

static void finds_version_closed_by_parenthesis(void **state)
{
	chunk_t image = image_with("charon-cmd (%s %s)", "strongSwan", "6.0.10");
	char version[32];

	assert_true(suite_version_find(image, version, sizeof(version)));
	assert_string_equal(version, "6.0.10");
	chunk_free(&image);
}

static void skips_marker_not_followed_by_version(void **state)
{
	chunk_t image = image_with("(%s %%s) and (%s 5.x, ...) then (%s 5.9.7,",
							   "strongSwan", "strongSwan", "strongSwan");
	char version[32];

	assert_true(suite_version_find(image, version, sizeof(version)));
	assert_string_equal(version, "5.9.7");
	chunk_free(&image);
}

static void no_banner_means_no_version(void **state)
{
	chunk_t image = image_with("libstrongswan without a banner");
	char version[32];

	assert_false(suite_version_find(image, version, sizeof(version)));
	chunk_free(&image);
}

static void version_cut_by_end_of_image_is_rejected(void **state)
{
	char text[64];
	char version[32];
	int len;

	/* exactly the bytes, no terminator after the digits */
	len = snprintf(text, sizeof(text), "(%s 5.9.8", "strongSwan");
	assert_false(suite_version_find(chunk_create((u_char*)text, len),
									version, sizeof(version)));
}

static void version_longer_than_buffer_is_rejected(void **state)
{
	chunk_t image = image_with("(%s 5.9.8,", "strongSwan");
	char version[5];

	assert_false(suite_version_find(image, version, sizeof(version)));
	chunk_free(&image);
}

static void empty_image_has_no_version(void **state)
{
	char version[32];

	assert_false(suite_version_find(chunk_empty, version, sizeof(version)));
}

static void test_binary_is_not_a_strongswan_daemon(void **state)
{
	char version[32];

	assert_false(suite_version_running(version, sizeof(version)));
	assert_false(suite_version_check("unit-test"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_version_in_charon_banner),
		cmocka_unit_test(finds_version_closed_by_parenthesis),
		cmocka_unit_test(skips_marker_not_followed_by_version),
		cmocka_unit_test(no_banner_means_no_version),
		cmocka_unit_test(version_cut_by_end_of_image_is_rejected),
		cmocka_unit_test(version_longer_than_buffer_is_rejected),
		cmocka_unit_test(empty_image_has_no_version),
		cmocka_unit_test(test_binary_is_not_a_strongswan_daemon),
	};

	return cmocka_run_group_tests_name("suite_version", tests, NULL, NULL);
}
