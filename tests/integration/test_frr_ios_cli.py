# SPDX-License-Identifier: GPL-2.0-or-later
"""The IOS crypto commands of the zebra module, through zebra's own vty
socket (no vtysh needed): the configuration of the IOS example is accepted
as an IOS user types it, "show running-config" prints it back in IOS form
and order, the printed configuration loads again, and invalid commands are
refused with a clear message and leave the running configuration as it was.

The model behind the commands is yang/ios-ipsec-suite.yang; "show yang
operational-data" shows its operational state.
"""

import json
import re
from pathlib import Path

import pytest

import lab as lablib

MODULE = Path("/usr/lib/x86_64-linux-gnu/frr/modules/zebra_ios_crypto.so")

KEY_101 = [
    "305C300D 06092A86 4886F70D 01010105 00034B00 30480241 00A7D24F E6E15787",
    "5EE1434A A76A3DC1 ADE96A4D C6B4D0F3 A7DDAD10 446EF83A 89D1115F 0C517118",
    "ECAF418E F4C84823 2A017B97 F85690EF EBCF3414 AB3E81F6 A5020301 0001",
]

# Router 102 of the IOS example, in the order and form IOS prints it
# ("Ethernet0/0" is eth0 on Linux). The "!" lines are IOS's separators.
SEED_102_RUNNING = """\
crypto isakmp policy 1
 authentication rsa-encr
crypto isakmp identity hostname
crypto isakmp keepalive 20 5
!
crypto ipsec transform-set test esp-des esp-sha-hmac
 mode transport
!
crypto map test 10 ipsec-isakmp
 set peer 20.1.1.1
 set transform-set test
 match address 101
!
crypto key pubkey-chain rsa
 named-key 101.cisco.com
  address 20.1.1.1
  key-string
  {key0}
  {key1}
  {key2}
  quit
!
interface Tunnel0
 ip address 10.10.10.2 255.255.255.252
 ip mtu 1420
 tunnel source eth0
 tunnel destination 20.1.1.1
 crypto map test
exit
!
interface eth0
 crypto map test
exit
!
access-list 101 permit gre host 20.1.1.2 host 20.1.1.1
""".format(key0=KEY_101[0], key1=KEY_101[1], key2=KEY_101[2])

# The running-config of router 102 exactly as the example's web page shows
# it (hex lines wrapped and partly unindented, no "exit"), cut to what this
# module configures.
SEED_102_PAGE = """\
crypto isakmp policy 1
 authentication rsa-encr
crypto isakmp identity hostname
crypto isakmp keepalive 20 5
!
!
crypto ipsec transform-set test esp-des esp-sha-hmac
 mode transport
!
crypto map test 10 ipsec-isakmp
 set peer 20.1.1.1
 set transform-set test
 match address 101
!
!
crypto key pubkey-chain rsa
 named-key 101.cisco.com
 address 20.1.1.1
 key-string
 305C300D 06092A86 4886F70D 01010105 00034B00 30480241
00A7D24F E6E15787
 5EE1434A A76A3DC1 ADE96A4D C6B4D0F3 A7DDAD10 446EF83A
89D1115F 0C517118
 ECAF418E F4C84823 2A017B97 F85690EF EBCF3414 AB3E81F6
A5020301 0001
 quit
!
interface Tunnel0
 ip address 10.10.10.2 255.255.255.252
 ip mtu 1420
 tunnel source eth0
 tunnel destination 20.1.1.1
 crypto map test
!
interface eth0
 crypto map test
!
access-list 101 permit gre host 20.1.1.2 host 20.1.1.1
"""

# What router 101's operator types in the example ("Ethernet 1/0" is eth0),
# IOS abbreviations and walking out of sub-modes included.
SEED_101_TYPED = [
    "crypto isakmp enable",
    "crypto isakmp identity hostname",
    "crypto isakmp policy 1",
    "authentication rsa-encr",
    "access-list 101 permit gre host 20.1.1.1 host 20.1.1.2",
    "crypto ipsec transform-set test esp-des esp-sha-hmac",
    "mode transport",
    "crypto map test 10 ipsec-is",
    "set transform-set test",
    "match address 101",
    "set peer 20.1.1.2",
    "access-list 101 permit gre host 20.1.1.1 host 20.1.1.2",
    "interface Tunnel0",
    "crypto map test",
    "interface eth0",
    "crypto map test",
]


@pytest.fixture(autouse=True)
def require_module():
    if not MODULE.exists():
        pytest.fail(f"{MODULE} is not installed: run scripts/build --install")


def start_zebra(lab, name="r1", conf=None):
    return lab.add_router(name, charon=False, daemons=("zebra",),
                          daemon_args={"zebra": ["-M", "ios_crypto"]},
                          frr_conf={"zebra": conf} if conf else None)


def configure(router, *lines, check=True):
    return router.vty("zebra", "configure terminal", *lines, check=check)


def ios_section(router):
    """The running configuration from its first crypto command on."""
    lines = router.vty("zebra", "show running-config").splitlines()
    for i, line in enumerate(lines):
        if re.match(r"(no )?crypto |access-list \d+ \S+ gre ", line):
            lines = lines[i:]
            break
    else:
        return ""
    while lines and lines[-1] in ("!", "end"):
        lines.pop()
    return "\n".join(lines) + "\n"


def without_separators(text):
    return [line for line in text.splitlines() if line.strip() != "!"]


def oper_state(router):
    out = router.vty("zebra",
                     "show yang operational-data /ios-ipsec-suite:ios format json")
    return json.loads(out or "{}").get("ios-ipsec-suite:ios", {})


def test_seed_configuration_is_printed_back_in_ios_form(lab):
    r102 = start_zebra(lab)
    configure(r102,
              "crypto isakmp enable",
              "crypto isakmp identity hostname",
              "crypto isakmp keepalive 20 5",
              "crypto isakmp policy 1", "authentication rsa-encr", "exit",
              "crypto ipsec transform-set test esp-des esp-sha-hmac",
              "mode transport", "exit",
              "crypto map test 10 ipsec-isakmp", "set peer 20.1.1.1",
              "set transform-set test", "match address 101", "exit",
              "crypto key pubkey-chain rsa", "named-key 101.cisco.com",
              "address 20.1.1.1", "key-string", *KEY_101, "quit", "exit",
              "exit",
              "interface Tunnel0", "ip address 10.10.10.2 255.255.255.252",
              "ip mtu 1420", "tunnel source eth0",
              "tunnel destination 20.1.1.1", "tunnel mode gre ip",
              "crypto map test", "exit",
              "interface eth0", "crypto map test", "exit",
              "access-list 101 permit gre host 20.1.1.2 host 20.1.1.1")
    assert ios_section(r102) == SEED_102_RUNNING


def test_seed_as_typed_on_router_101(lab):
    """Sub-modes are left by typing the next top-level command, as on IOS."""
    r101 = start_zebra(lab)
    out = configure(r101, *SEED_101_TYPED)
    assert ("% NOTE: This new crypto map will remain disabled until a peer\n"
            "        and a valid access list have been configured.") in out
    expected = SEED_102_RUNNING
    for old, new in (("20.1.1.1", "@"), ("20.1.1.2", "20.1.1.1"),
                     ("@", "20.1.1.2")):
        expected = expected.replace(old, new)
    # 101 has typed neither the keepalive, the key nor the tunnel details
    expected = re.sub(r"crypto isakmp keepalive .*\n", "", expected)
    expected = re.sub(r"crypto key pubkey-chain rsa\n(.*\n)*?  quit\n!\n", "",
                      expected)
    expected = re.sub(r"interface Tunnel0\n(.*\n)*? crypto map test",
                      "interface Tunnel0\n crypto map test", expected)
    assert ios_section(r101) == expected


def test_seed_running_config_from_the_example_page_loads(lab):
    """zebra -f with the text of the example's running-config."""
    r102 = start_zebra(lab, conf=SEED_102_PAGE)
    assert ios_section(r102) == SEED_102_RUNNING
    log = r102.log_path("zebra").read_text()
    assert "on config line" not in log
    assert "failed to read configuration" not in log


def test_printed_configuration_loads_again_unchanged(lab):
    r1 = start_zebra(lab, "r1", conf=SEED_102_PAGE)
    configure(r1, "crypto isakmp policy 20", "encryption aes 256", "hash md5",
              "group 14", "lifetime 3600", "authentication pre-share", "exit",
              "crypto ipsec transform-set strong esp-aes 256 esp-md5-hmac",
              "exit",
              "crypto map test 20", "set peer 20.1.1.9",
              "set transform-set strong", "match address 150", "exit",
              "crypto key pubkey-chain rsa",
              "addressed-key 20.1.1.2 encryption", "serial-number 0123ABC",
              "address 20.1.1.3", "key-string", *KEY_101, "quit", "exit",
              "exit",
              "access-list 150 deny gre host 20.1.1.2 host 20.1.1.9",
              "access-list 150 permit gre host 20.1.1.2 host 20.1.1.10",
              "no crypto isakmp enable")
    printed = r1.vty("zebra", "show running-config")
    r2 = start_zebra(lab, "r2", conf=printed)
    assert ios_section(r2) == ios_section(r1)
    section = ios_section(r1)
    for line in ("crypto isakmp policy 20\n authentication pre-share\n"
                 " encryption aes 256\n hash md5\n group 14\n lifetime 3600\n",
                 "no crypto isakmp enable\n",
                 "crypto ipsec transform-set strong esp-aes 256 esp-md5-hmac\n!",
                 "crypto map test 20 ipsec-isakmp\n set peer 20.1.1.9\n",
                 " addressed-key 20.1.1.2 encryption\n  address 20.1.1.3\n"
                 "  serial-number 0123ABC\n  key-string\n",
                 "access-list 150 deny gre host 20.1.1.2 host 20.1.1.9\n"
                 "access-list 150 permit gre host 20.1.1.2 host 20.1.1.10\n"):
        assert line in section, line


def test_revised_mode_is_an_extension_of_rsa_encr(lab):
    """'authentication rsa-encr revised': RFC 2409 5.3, not in IOS."""
    r1 = start_zebra(lab, "r1", conf=SEED_102_PAGE)
    configure(r1, "crypto isakmp policy 5", "authentication rsa-encr revised",
              "encryption aes 128", "exit")
    section = ios_section(r1)
    assert ("crypto isakmp policy 5\n authentication rsa-encr revised\n"
            " encryption aes\n") in section, section
    # the model's value behind it
    out = r1.vty("zebra", "show configuration running json")
    assert '"authentication": "rsa-encr-revised"' in out, out
    # printed back, it loads again
    r2 = start_zebra(lab, "r2", conf=r1.vty("zebra", "show running-config"))
    assert ios_section(r2) == section
    # the plain method again, then the default
    configure(r1, "crypto isakmp policy 5", "authentication rsa-encr")
    assert "crypto isakmp policy 5\n authentication rsa-encr\n" in ios_section(r1)
    configure(r1, "crypto isakmp policy 5", "authentication rsa-encr revised")
    configure(r1, "crypto isakmp policy 5", "no authentication rsa-encr revised")
    assert "crypto isakmp policy 5\n encryption aes\n" in ios_section(r1)


def test_isakmp_keys_are_printed_back_as_ios_prints_them(lab):
    r1 = start_zebra(lab, "r1", conf=SEED_102_PAGE)
    configure(r1, "crypto isakmp key cisco123 address 20.1.1.3",
              "crypto isakmp key wild!card address 0.0.0.0 0.0.0.0",
              "crypto isakmp key net address 10.0.0.0 255.0.0.0",
              "crypto isakmp key host address 10.1.1.1 255.255.255.255")
    section = ios_section(r1)
    # after the policies, before identity; by address; secrets in clear
    assert section.startswith(
        "crypto isakmp policy 1\n authentication rsa-encr\n"
        "crypto isakmp key wild!card address 0.0.0.0 0.0.0.0\n"
        "crypto isakmp key net address 10.0.0.0 255.0.0.0\n"
        "crypto isakmp key host address 10.1.1.1\n"
        "crypto isakmp key cisco123 address 20.1.1.3\n"
        "crypto isakmp identity hostname\n"), section
    # printed back, it loads again
    r2 = start_zebra(lab, "r2", conf=r1.vty("zebra", "show running-config"))
    assert ios_section(r2) == section

    # typed again for the same address: replaced, mask and all
    configure(r1, "crypto isakmp key other address 10.0.0.0",
              "no crypto isakmp key cisco123 address 20.1.1.3",
              "no crypto isakmp key x address 0.0.0.0 0.0.0.0")
    section = ios_section(r1)
    assert ("crypto isakmp key other address 10.0.0.0\n"
            "crypto isakmp key host address 10.1.1.1\n"
            "crypto isakmp identity hostname\n") in section, section
    for gone in ("cisco123", "wild", "255.0.0.0"):
        assert gone not in section, gone


def test_ios_defaults_are_not_printed(lab):
    r1 = start_zebra(lab)
    configure(r1, "crypto isakmp policy 7", "authentication rsa-sig",
              "encryption des", "hash sha", "group 1", "lifetime 86400",
              "exit", "crypto isakmp identity address",
              "crypto isakmp keepalive 10 2",
              "crypto ipsec transform-set t esp-3des esp-sha-hmac",
              "mode tunnel")
    assert ios_section(r1) == (
        "crypto isakmp policy 7\n"
        "crypto isakmp keepalive 10\n"
        "!\n"
        "crypto ipsec transform-set t esp-3des esp-sha-hmac\n")


def test_no_forms_remove_what_they_name(lab):
    r1 = start_zebra(lab, conf=SEED_102_PAGE)
    configure(r1, "crypto isakmp policy 1", "no authentication", "exit",
              "crypto ipsec transform-set test esp-des esp-sha-hmac",
              "no mode", "exit",
              "crypto map test 10", "no set peer", "no match address", "exit",
              "crypto key pubkey-chain rsa", "named-key 101.cisco.com",
              "no address 20.1.1.1", "no key-string", "exit", "exit",
              "no crypto isakmp keepalive", "no crypto isakmp identity",
              "interface Tunnel0", "no ip mtu", "no tunnel source",
              "no ip address", "exit")
    section = ios_section(r1)
    assert section.startswith("crypto isakmp policy 1\n!\n")
    assert "crypto map test 10 ipsec-isakmp\n set transform-set test\n!" in section
    assert " named-key 101.cisco.com\n!" in section
    assert "interface Tunnel0\n tunnel destination 20.1.1.1\n crypto map test\n" in section
    for gone in ("authentication", "identity", "keepalive", "mode transport",
                 "set peer", "match address", "address 20.1.1.1",
                 "key-string", "ip mtu", "tunnel source", "ip address"):
        assert gone not in section, gone

    # a crypto map in use by an interface cannot go; the interfaces first
    out = configure(r1, "no crypto map test", check=False)
    assert 'Invalid leafref value "test"' in out
    configure(r1, "interface Tunnel0", "no crypto map", "no tunnel destination",
              "exit", "interface eth0", "no crypto map test", "exit",
              "no crypto map test", "no crypto ipsec transform-set test",
              "no access-list 101", "no crypto isakmp policy 1",
              "crypto key pubkey-chain rsa", "no named-key 101.cisco.com")
    assert ios_section(r1) == ""
    assert oper_state(r1) == {}


def test_no_access_list_removes_frr_entries_of_the_same_number(lab):
    r1 = start_zebra(lab)
    configure(r1, "access-list 101 seq 5 permit ip host 1.1.1.1 host 2.2.2.2",
              "access-list 101 permit gre host 20.1.1.1 host 20.1.1.2",
              "access-list 101 permit gre host 20.1.1.1 host 20.1.1.3",
              "no access-list 101 permit gre host 20.1.1.1 host 20.1.1.2")
    running = r1.vty("zebra", "show running-config")
    assert "access-list 101 seq 5 permit ip host 1.1.1.1 host 2.2.2.2" in running
    assert "access-list 101 permit gre host 20.1.1.1 host 20.1.1.2" not in running
    assert "access-list 101 permit gre host 20.1.1.1 host 20.1.1.3" in running
    configure(r1, "no access-list 101")
    assert "access-list 101" not in r1.vty("zebra", "show running-config")


def test_operational_state_explains_what_is_missing(lab):
    # this kernel has no GRE: the tunnel adopts a stand-in device
    r1 = lab.add_router("r1", start=False, charon=False, daemons=("zebra",),
                        daemon_args={"zebra": ["-M", "ios_crypto:tunnel-device=adopt"]})
    r1.ip("link", "add", "Tunnel0", "type", "veth", "peer", "name", "Tunnel0-peer")
    r1.start()
    configure(r1, "crypto ipsec transform-set test esp-des esp-sha-hmac",
              "crypto map test 10 ipsec-isakmp",
              "interface Tunnel0", "tunnel source 20.1.1.2",
              "tunnel destination 20.1.1.1", "crypto map test")
    state = oper_state(r1)
    entry = state["crypto"]["map"][0]
    assert entry["state"]["status"] == "incomplete"
    assert entry["state"]["reason"] == "no peer (set peer)"
    assert entry["state"]["sa-state"] == "down"
    tunnel = state["interface"][0]["tunnel"]["state"]
    assert tunnel["oper-status"] == "down"
    assert tunnel["reason"] == "crypto map test has no entry for peer 20.1.1.1"

    configure(r1, "crypto map test 10", "set peer 20.1.1.1",
              "set transform-set test", "match address 101")
    entry = oper_state(r1)["crypto"]["map"][0]["state"]
    assert entry["reason"] == "access list 101 is not defined"

    configure(r1, "access-list 101 permit gre host 20.1.1.2 host 20.1.1.1")
    state = oper_state(r1)
    assert state["crypto"]["map"][0]["state"]["status"] == "active"
    tunnel = state["interface"][0]["tunnel"]["state"]
    assert tunnel["oper-status"] == "down"
    assert tunnel["reason"] == "no IPsec SA to 20.1.1.1"
    assert "last-change" in tunnel

    configure(r1, "interface Tunnel0", "no crypto map")
    tunnel = oper_state(r1)["interface"][0]["tunnel"]["state"]
    assert tunnel["reason"] == "no crypto map: GRE is never sent unprotected"


BASE = SEED_102_PAGE

# (commands after "configure terminal", text the error must contain)
INVALID = {
    "policy-priority-0": (["crypto isakmp policy 0"], "Unknown command"),
    "auth-unknown": (["crypto isakmp policy 1", "authentication rsa-foo"],
                     "Unknown command"),
    "revised-without-rsa-encr": (
        ["crypto isakmp policy 1", "authentication rsa-sig revised"],
        "Unknown command"),
    "revised-twice": (
        ["crypto isakmp policy 1", "authentication rsa-encr revised revised"],
        "Unknown command"),
    "isakmp-key-host-bits": (
        ["crypto isakmp key k address 10.1.0.0 255.0.0.0"],
        "crypto isakmp key address 10.1.0.0 255.0.0.0: the address has bits "
        "outside the mask"),
    "isakmp-key-bad-mask": (
        ["crypto isakmp key k address 10.0.0.0 255.0.255.0"], "255.0.255.0"),
    "isakmp-key-too-long": (
        ["crypto isakmp key " + "k" * 129 + " address 10.0.0.1"],
        "a pre-shared key has 1 to 128 characters"),
    "isakmp-key-not-configured": (
        ["no crypto isakmp key k address 10.0.0.9"],
        "crypto isakmp key: no key for address 10.0.0.9"),
    "isakmp-key-without-address": (
        ["crypto isakmp key k"], "Command incomplete"),
    "dh-group-3": (["crypto isakmp policy 1", "group 3"], "Unknown command"),
    "lifetime-too-short": (["crypto isakmp policy 1", "lifetime 59"],
                           "Unknown command"),
    "keepalive-too-short": (["crypto isakmp keepalive 9"], "Unknown command"),
    "transform-set-no-integrity": (
        ["crypto ipsec transform-set x esp-des"], "Command incomplete"),
    "transform-set-bad-name": (
        ["crypto ipsec transform-set a!b esp-des esp-sha-hmac"],
        'Unsatisfied pattern - "a!b"'),
    "dangling-transform-set": (
        ["crypto map test 10", "set transform-set nosuch"],
        'Invalid leafref value "nosuch"'),
    "acl-out-of-range": (
        ["access-list 200 permit gre host 1.1.1.1 host 2.2.2.2"],
        "Unknown command"),
    "match-address-out-of-range": (["crypto map test 10", "match address 99"],
                                   "Unknown command"),
    "peer-not-an-address": (["crypto map test 10", "set peer 20.1.1.300"],
                            "Unknown command"),
    "mtu-too-large": (["interface Tunnel0", "ip mtu 9977"], "Unknown command"),
    "mtu-on-ethernet": (["interface eth0", "ip mtu 1400"],
                        "eth0 is not a tunnel interface"),
    "mask-address-on-ethernet": (
        ["interface eth0", "ip address 20.1.1.2 255.255.255.0"],
        "use 'ip address 20.1.1.2/24'"),
    "non-contiguous-mask": (
        ["interface Tunnel0", "ip address 10.10.10.2 255.0.255.0"],
        "not a contiguous IPv4 network mask"),
    "source-is-destination": (
        ["interface Tunnel0", "tunnel source 20.1.1.1"],
        "tunnel source and tunnel destination must differ"),
    "source-interface-name-too-long": (
        ["interface Tunnel0", "tunnel source ThisNameIsTooLong"],
        "an interface name has 1 to 15 characters"),
    "dangling-interface-crypto-map": (["interface eth0", "crypto map other"],
                                      'Invalid leafref value "other"'),
    "transform-set-in-use": (["no crypto ipsec transform-set test"],
                             'Invalid leafref value "test"'),
    "key-string-not-hex": (
        ["crypto key pubkey-chain rsa", "named-key 101.cisco.com",
         "key-string", "305C300D XYZ"],
        "Invalid key data 'XYZ': only hex digits"),
    "key-string-truncated": (
        ["crypto key pubkey-chain rsa", "named-key 101.cisco.com",
         "key-string", "305C300D 06092A86", "quit"],
        "invalid key-string: key-string of named-key 101.cisco.com: "
        "truncated DER"),
    "key-string-odd-digits": (
        ["crypto key pubkey-chain rsa", "named-key 101.cisco.com",
         "key-string", "305C3", "quit"],
        "odd number; key-string unchanged"),
    "no-such-acl-entry": (
        ["no access-list 101 permit gre host 9.9.9.9 host 20.1.1.1"],
        "access-list 101 has no such entry"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_command_is_refused_and_changes_nothing(lab, case):
    commands, message = INVALID[case]
    r1 = start_zebra(lab, conf=BASE)
    before = r1.vty("zebra", "show running-config")
    with pytest.raises(lablib.LabError) as refused:
        configure(r1, *commands)
    assert message in str(refused.value)
    assert r1.vty("zebra", "show running-config") == before
