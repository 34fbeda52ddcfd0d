// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: derived operational state of the zebra module's IOS crypto
 * configuration (ios_crypto_state.c): when a crypto map entry is complete,
 * when a tunnel may carry traffic and why not, and that SA reports move
 * tunnels up and down (with transitions counted and the hook run).
 *
 * The configuration is built directly in ios_crypto_cfg, as the northbound
 * callbacks leave it; libfrr provides the containers, hooks and printfrr.
 */

#include <zebra.h>

#include <setjmp.h>
#include <cmocka.h>

#include "ios_crypto_config.h"

/* what ios_tunnel_oper_changed reported */
static struct ios_interface *changed_ifc;
static int changed_calls;

static int on_tunnel_change(struct ios_interface *ifc)
{
	changed_ifc = ifc;
	changed_calls++;
	return 0;
}

static struct in_addr ipv4(const char *text)
{
	struct in_addr addr;

	assert_int_equal(inet_pton(AF_INET, text, &addr), 1);
	return addr;
}

static struct ios_crypto_map_entry *add_map(const char *name, uint16_t seq)
{
	struct ios_crypto_map_entry *map = calloc(1, sizeof(*map));

	strlcpy(map->name, name, sizeof(map->name));
	map->sequence = seq;
	ios_crypto_maps_add(&ios_crypto_cfg.maps, map);
	return map;
}

static void complete_map(struct ios_crypto_map_entry *map, const char *peer,
			 uint16_t acl)
{
	map->has_peer = true;
	map->peer = ipv4(peer);
	strlcpy(map->transform_set, "test", sizeof(map->transform_set));
	map->acl = acl;
}

static struct ios_acl *add_acl(uint16_t number)
{
	struct ios_acl *acl = calloc(1, sizeof(*acl));

	acl->number = number;
	ios_acl_entries_init(&acl->entries);
	ios_acls_add(&ios_crypto_cfg.acls, acl);
	return acl;
}

static struct ios_interface *add_interface(const char *name)
{
	struct ios_interface *ifc = calloc(1, sizeof(*ifc));

	strlcpy(ifc->name, name, sizeof(ifc->name));
	ifc->is_tunnel = strncmp(name, "Tunnel", 6) == 0;
	ios_interfaces_add(&ios_crypto_cfg.interfaces, ifc);
	return ifc;
}

/* Tunnel0 of router 102: source eth0, destination 20.1.1.1, map test */
static struct ios_interface *add_seed_tunnel(void)
{
	struct ios_interface *ifc = add_interface("Tunnel0");

	ifc->tunnel.source = IOS_TUNNEL_SOURCE_INTERFACE;
	strlcpy(ifc->tunnel.source_interface, "eth0",
		sizeof(ifc->tunnel.source_interface));
	ifc->tunnel.has_destination = true;
	ifc->tunnel.destination = ipv4("20.1.1.1");
	strlcpy(ifc->crypto_map, "test", sizeof(ifc->crypto_map));
	return ifc;
}

static void report(struct ios_crypto_map_entry *map, enum ios_sa_state state)
{
	struct ios_sa_report sa = {
		.state = state,
		.spi_in = 0x1D25013E,
		.spi_out = 0x92F52EF2,
		.packets_encrypted = 4,
		.packets_decrypted = 3,
	};

	ios_crypto_map_sa_report(map, &sa);
}

static int setup(void **state)
{
	ios_crypto_config_init();
	changed_ifc = NULL;
	changed_calls = 0;
	return 0;
}

static int teardown(void **state)
{
	struct ios_crypto_map_entry *map;
	struct ios_acl *acl;
	struct ios_interface *ifc;

	while ((map = ios_crypto_maps_pop(&ios_crypto_cfg.maps)))
		free(map);
	while ((acl = ios_acls_pop(&ios_crypto_cfg.acls)))
		free(acl);
	while ((ifc = ios_interfaces_pop(&ios_crypto_cfg.interfaces)))
		free(ifc);
	return 0;
}

static void test_map_entry_is_incomplete_until_peer_transform_set_and_acl(
	void **state)
{
	struct ios_crypto_map_entry *map = add_map("test", 10);

	ios_crypto_state_update();
	assert_false(map->complete);
	assert_string_equal(map->reason, "no peer (set peer)");

	map->has_peer = true;
	map->peer = ipv4("20.1.1.1");
	ios_crypto_state_update();
	assert_string_equal(map->reason, "no transform set (set transform-set)");

	strlcpy(map->transform_set, "test", sizeof(map->transform_set));
	ios_crypto_state_update();
	assert_string_equal(map->reason, "no access list (match address)");

	map->acl = 101;
	ios_crypto_state_update();
	assert_string_equal(map->reason, "access list 101 is not defined");
	assert_false(map->complete);

	add_acl(101);
	ios_crypto_state_update();
	assert_true(map->complete);
	assert_string_equal(map->reason, "");
}

static void test_tunnel_says_what_keeps_it_down(void **state)
{
	struct ios_interface *ifc = add_interface("Tunnel0");
	struct ios_crypto_map_entry *map;

	ios_crypto_state_update();
	assert_false(ifc->tunnel.up);
	assert_string_equal(ifc->tunnel.reason, "no tunnel destination");

	ifc->tunnel.has_destination = true;
	ifc->tunnel.destination = ipv4("20.1.1.1");
	ios_crypto_state_update();
	assert_string_equal(ifc->tunnel.reason, "no tunnel source");

	ifc->tunnel.source = IOS_TUNNEL_SOURCE_ADDRESS;
	ifc->tunnel.source_address = ipv4("20.1.1.2");
	ios_crypto_state_update();
	assert_string_equal(ifc->tunnel.reason,
			    "no crypto map: GRE is never sent unprotected");

	strlcpy(ifc->crypto_map, "test", sizeof(ifc->crypto_map));
	ios_crypto_state_update();
	assert_string_equal(ifc->tunnel.reason,
			    "crypto map test has no entry for peer 20.1.1.1");

	/* an entry for another peer does not count */
	map = add_map("test", 10);
	complete_map(map, "20.1.1.9", 101);
	ios_crypto_state_update();
	assert_string_equal(ifc->tunnel.reason,
			    "crypto map test has no entry for peer 20.1.1.1");

	map = add_map("test", 20);
	map->has_peer = true;
	map->peer = ipv4("20.1.1.1");
	ios_crypto_state_update();
	assert_string_equal(ifc->tunnel.reason,
			    "crypto map test 20: no transform set (set transform-set)");

	complete_map(map, "20.1.1.1", 101);
	add_acl(101);
	ios_crypto_state_update();
	assert_string_equal(ifc->tunnel.reason, "no IPsec SA to 20.1.1.1");

	report(map, IOS_SA_NEGOTIATING);
	assert_string_equal(ifc->tunnel.reason,
			    "IPsec SA to 20.1.1.1 is being negotiated");
	assert_false(ifc->tunnel.up);
	assert_int_equal(changed_calls, 0);
}

static void test_tunnel_follows_its_ipsec_sa(void **state)
{
	struct ios_interface *ifc = add_seed_tunnel();
	struct ios_crypto_map_entry *map = add_map("test", 10);

	complete_map(map, "20.1.1.1", 101);
	add_acl(101);
	ios_crypto_state_update();
	assert_false(ifc->tunnel.up);
	assert_int_equal(ifc->tunnel.transitions, 0);
	assert_true(ifc->tunnel.last_change > 0);

	report(map, IOS_SA_UP);
	assert_true(ifc->tunnel.up);
	assert_string_equal(ifc->tunnel.reason, "");
	assert_int_equal(ifc->tunnel.transitions, 1);
	assert_int_equal(changed_calls, 1);
	assert_ptr_equal(changed_ifc, ifc);
	assert_int_equal(map->sa_changes, 1);
	assert_int_equal(map->sa.spi_out, 0x92F52EF2);
	assert_int_equal(map->sa.packets_encrypted, 4);

	/* counters only: no transition, no hook */
	report(map, IOS_SA_UP);
	assert_int_equal(changed_calls, 1);
	assert_int_equal(map->sa_changes, 1);

	report(map, IOS_SA_DOWN);
	assert_false(ifc->tunnel.up);
	assert_string_equal(ifc->tunnel.reason, "no IPsec SA to 20.1.1.1");
	assert_int_equal(ifc->tunnel.transitions, 2);
	assert_int_equal(changed_calls, 2);
	assert_int_equal(map->sa_changes, 2);
}

static void test_tunnel_goes_down_when_its_configuration_breaks(void **state)
{
	struct ios_interface *ifc = add_seed_tunnel();
	struct ios_crypto_map_entry *map = add_map("test", 10);

	complete_map(map, "20.1.1.1", 101);
	add_acl(101);
	report(map, IOS_SA_UP);
	assert_true(ifc->tunnel.up);

	/* "no crypto map" on the tunnel: GRE would leave in clear text */
	ifc->crypto_map[0] = '\0';
	ios_crypto_state_update();
	assert_false(ifc->tunnel.up);
	assert_int_equal(changed_calls, 2);

	strlcpy(ifc->crypto_map, "test", sizeof(ifc->crypto_map));
	ios_crypto_state_update();
	assert_true(ifc->tunnel.up);

	/* "no set peer" on the map entry */
	map->has_peer = false;
	ios_crypto_state_update();
	assert_false(ifc->tunnel.up);
	assert_string_equal(ifc->tunnel.reason,
			    "crypto map test has no entry for peer 20.1.1.1");
	assert_int_equal(ifc->tunnel.transitions, 4);
}

static void test_a_device_problem_keeps_the_tunnel_down_whatever_the_sa(
	void **state)
{
	struct ios_interface *ifc = add_seed_tunnel();
	struct ios_crypto_map_entry *map = add_map("test", 10);
	const char *problem =
		"GRE device Tunnel0 not created: Unknown device type (Operation not supported)";

	complete_map(map, "20.1.1.1", 101);
	add_acl(101);
	strlcpy(ifc->tunnel.device_error, problem,
		sizeof(ifc->tunnel.device_error));
	/* configuration and SA come first: the device is the last reason */
	ios_crypto_state_update();
	assert_string_equal(ifc->tunnel.reason, "no IPsec SA to 20.1.1.1");
	report(map, IOS_SA_UP);
	assert_false(ifc->tunnel.up);
	assert_string_equal(ifc->tunnel.reason, problem);
	assert_int_equal(changed_calls, 0);

	/* the device is fixed: the SA that is up brings the tunnel up */
	ifc->tunnel.device_error[0] = '\0';
	ios_crypto_state_update();
	assert_true(ifc->tunnel.up);
	assert_int_equal(changed_calls, 1);

	/* and a new problem takes it down again */
	strlcpy(ifc->tunnel.device_error, "tunnel source eth0 has no IPv4 address",
		sizeof(ifc->tunnel.device_error));
	ios_crypto_state_update();
	assert_false(ifc->tunnel.up);
	assert_string_equal(ifc->tunnel.reason,
			    "tunnel source eth0 has no IPv4 address");
	assert_int_equal(changed_calls, 2);
}

static void test_interfaces_that_are_no_tunnels_have_no_tunnel_state(
	void **state)
{
	struct ios_interface *eth0 = add_interface("eth0");

	strlcpy(eth0->crypto_map, "test", sizeof(eth0->crypto_map));
	ios_crypto_state_update();
	assert_false(eth0->tunnel.up);
	assert_string_equal(eth0->tunnel.reason, "");
	assert_int_equal(eth0->tunnel.last_change, 0);
	assert_int_equal(changed_calls, 0);
}

static void test_lookups_find_configured_objects(void **state)
{
	struct ios_crypto_map_entry *map = add_map("test", 10);
	struct ios_acl *acl = add_acl(101);
	struct ios_interface *ifc = add_interface("Tunnel0");

	assert_ptr_equal(ios_crypto_map_find("test", 10), map);
	assert_null(ios_crypto_map_find("test", 20));
	assert_null(ios_crypto_map_find("other", 10));
	assert_ptr_equal(ios_acl_find(101), acl);
	assert_null(ios_acl_find(102));
	assert_ptr_equal(ios_interface_find("Tunnel0"), ifc);
	assert_null(ios_interface_find("Tunnel1"));
	assert_string_equal(ios_ike_cipher_keyword(IOS_IKE_AES_256), "aes 256");
	assert_string_equal(ios_esp_cipher_keyword(IOS_ESP_AES_128), "esp-aes");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_map_entry_is_incomplete_until_peer_transform_set_and_acl,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_tunnel_says_what_keeps_it_down, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tunnel_follows_its_ipsec_sa,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_tunnel_goes_down_when_its_configuration_breaks,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_a_device_problem_keeps_the_tunnel_down_whatever_the_sa,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_interfaces_that_are_no_tunnels_have_no_tunnel_state,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_lookups_find_configured_objects, setup, teardown),
	};

	hook_register(ios_tunnel_oper_changed, on_tunnel_change);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
