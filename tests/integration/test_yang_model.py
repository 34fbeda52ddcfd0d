# SPDX-License-Identifier: GPL-2.0-or-later
"""The YANG model yang/ios-ipsec-suite.yang: it compiles with Debian's
libyang 2 (yanglint), the IOS example's configuration of both routers is
valid instance data, and invalid configurations are refused with a message
that names the offending data path.

These tests need neither root nor a lab: they only run yanglint.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
MODULE = TOP / "yang" / "ios-ipsec-suite.yang"
EXAMPLES = TOP / "yang" / "examples"
SEED = {name: EXAMPLES / f"seed-router-{name}.xml" for name in ("101", "102")}
YANGLINT = shutil.which("yanglint") or "/usr/bin/yanglint"


def yanglint(*args):
    """Run yanglint; return (returncode, stdout + stderr)."""
    proc = subprocess.run([YANGLINT, *map(str, args)], capture_output=True,
                          text=True, timeout=60)
    return proc.returncode, proc.stdout + proc.stderr


def validate(xml_text, tmp_path, datatype="config"):
    path = tmp_path / "instance.xml"
    path.write_text(xml_text)
    return yanglint("-t", datatype, MODULE, path)


def edited(router, old, new, count=1):
    """The seed instance of a router with one textual edit."""
    text = SEED[router].read_text()
    assert text.count(old) >= count, f"{old!r} not in {SEED[router].name}"
    return text.replace(old, new, count)


@pytest.fixture(autouse=True)
def require_yanglint():
    if not Path(YANGLINT).exists():
        pytest.fail("yanglint is missing: apt-get install libyang2-tools")


def test_module_compiles_without_warnings():
    rc, out = yanglint(MODULE)
    assert rc == 0, out
    assert out.strip() == "", out


def test_module_is_standalone():
    """Only IETF type modules are imported: importing frr-interface breaks
    FRR's northbound when zebra loads the model at run time."""
    imports = re.findall(r"^\s*import\s+(\S+)", MODULE.read_text(), re.M)
    assert sorted(imports) == ["ietf-inet-types", "ietf-yang-types"]
    assert not re.search(r"^\s*(augment|deviation)\s", MODULE.read_text(), re.M)


def test_tree_has_the_ios_command_hierarchy():
    rc, tree = yanglint("-f", "tree", MODULE)
    assert rc == 0, tree
    for node in ("policy* [priority]", "keepalive!", "transform-set* [name]",
                 "map* [name sequence]", "named-key* [name usage]",
                 "addressed-key* [key-address usage]", "access-list* [number]",
                 "interface* [name]", "ipv4-address!", "(source)?",
                 "-> ../../ipsec/transform-set/name",
                 "-> ../../../access-list/number", "-> ../../crypto/map/name"):
        assert node in tree, node
    # operational state is config false
    for node in ("+--ro state", "+--ro sa-state?", "+--ro oper-status?",
                 "+--ro packets-encrypted?", "+--ro last-change?"):
        assert node in tree, node


@pytest.mark.parametrize("router", ["101", "102"])
def test_seed_configuration_is_valid(router, tmp_path):
    rc, out = yanglint("-t", "config", MODULE, SEED[router])
    assert rc == 0, out
    assert out.strip() == "", out


@pytest.mark.parametrize("router", ["101", "102"])
def test_seed_configuration_gets_the_ios_defaults(router):
    """What the IOS running-config leaves out is the model's default."""
    rc, out = yanglint("-t", "config", "-f", "json", "-d", "all", MODULE,
                       SEED[router])
    assert rc == 0, out
    for expected in ('"encryption": "des"', '"hash": "sha"', '"group": 1',
                     '"lifetime": 86400', '"enable": true',
                     '"mode": "gre-ip"', '"protocol": "gre"'):
        assert expected in out, expected


def test_operational_state_is_valid_in_get_replies(tmp_path):
    text = edited("102", "<match-address>101</match-address>",
                  "<match-address>101</match-address>"
                  "<state><status>active</status><sa-state>up</sa-state>"
                  "<spi-in>488964414</spi-in><spi-out>2465541874</spi-out>"
                  "<counters><packets-encrypted>4</packets-encrypted>"
                  "<packets-decrypted>3</packets-decrypted></counters>"
                  "<last-change>2026-01-20T10:00:00Z</last-change></state>")
    text = text.replace("<destination>20.1.1.1</destination>",
                        "<destination>20.1.1.1</destination>"
                        "<state><oper-status>down</oper-status>"
                        "<reason>no IPsec SA</reason></state>")
    rc, out = validate(text, tmp_path, datatype="get")
    assert rc == 0, out
    # ... and refused as configuration
    rc, out = validate(text, tmp_path, datatype="config")
    assert rc != 0
    assert "state" in out


# IOS accepts these partial configurations, one command at a time; so does
# the model (the operational status explains why nothing happens yet).
@pytest.mark.parametrize("old,new", [
    ("<peer>20.1.1.1</peer>", ""),                     # map without peer
    ("<match-address>101</match-address>",
     "<match-address>150</match-address>"),            # ACL defined later
    ("<destination>20.1.1.1</destination>", ""),       # tunnel half done
], ids=["map-without-peer", "acl-not-yet-defined", "tunnel-without-destination"])
def test_partial_ios_configuration_is_valid(old, new, tmp_path):
    rc, out = validate(edited("102", old, new), tmp_path)
    assert rc == 0, out


INVALID = {
    "dangling-transform-set": (
        "<transform-set>test</transform-set>",
        "<transform-set>nosuch</transform-set>",
        "/ios-ipsec-suite:ios/crypto/map[name='test'][sequence='10']/transform-set",
        'Invalid leafref value "nosuch"'),
    "acl-out-of-range": (
        "<number>101</number>", "<number>200</number>",
        "/ios-ipsec-suite:ios/access-list/number",
        'value "200" is out of the allowed range'),
    "match-address-out-of-range": (
        "<match-address>101</match-address>", "<match-address>99</match-address>",
        "/ios-ipsec-suite:ios/crypto/map[name='test'][sequence='10']/match-address",
        'value "99" is out of the allowed range'),
    "mtu-too-large": (
        "<mtu>1420</mtu>", "<mtu>9977</mtu>",
        "/ios-ipsec-suite:ios/interface[name='Tunnel0']/tunnel/mtu",
        'value "9977" is out of the allowed range'),
    "mtu-too-small": (
        "<mtu>1420</mtu>", "<mtu>67</mtu>",
        "/ios-ipsec-suite:ios/interface[name='Tunnel0']/tunnel/mtu",
        'value "67" is out of the allowed range'),
    "unknown-auth-method": (
        "<authentication>rsa-encr</authentication>",
        "<authentication>rsa-foo</authentication>",
        "/ios-ipsec-suite:ios/crypto/isakmp/policy[priority='1']/authentication",
        'Invalid enumeration value "rsa-foo"'),
    "policy-priority-out-of-range": (
        "<priority>1</priority>", "<priority>10001</priority>",
        "/ios-ipsec-suite:ios/crypto/isakmp/policy/priority",
        'value "10001" is out of the allowed range'),
    "dh-group-3": (
        "<authentication>rsa-encr</authentication>",
        "<authentication>rsa-encr</authentication><group>3</group>",
        "/ios-ipsec-suite:ios/crypto/isakmp/policy[priority='1']/group",
        'value "3" is out of the allowed range'),
    "lifetime-too-short": (
        "<authentication>rsa-encr</authentication>",
        "<authentication>rsa-encr</authentication><lifetime>59</lifetime>",
        "/ios-ipsec-suite:ios/crypto/isakmp/policy[priority='1']/lifetime",
        'value "59" is out of the allowed range'),
    "keepalive-without-seconds": (
        "<seconds>20</seconds>", "",
        "/ios-ipsec-suite:ios/crypto/isakmp/keepalive/seconds",
        'Mandatory node "seconds" instance does not exist'),
    "tunnel-on-non-tunnel-interface": (
        "<name>eth0</name>", "<name>eth0</name><tunnel><mtu>1400</mtu></tunnel>",
        "/ios-ipsec-suite:ios/interface[name='eth0']/tunnel",
        "When condition \"starts-with(../name, 'Tunnel')\" not satisfied"),
    "non-contiguous-netmask": (
        "<netmask>255.255.255.252</netmask>", "<netmask>255.0.255.0</netmask>",
        "/ios-ipsec-suite:ios/interface[name='Tunnel0']/tunnel/ipv4-address/netmask",
        "not a contiguous IPv4 network mask"),
    "address-without-netmask": (
        "<netmask>255.255.255.252</netmask>", "",
        "/ios-ipsec-suite:ios/interface/tunnel/ipv4-address/netmask",
        'Mandatory node "netmask" instance does not exist'),
    "tunnel-source-equals-destination": (
        "<source-interface>eth0</source-interface>",
        "<source-address>20.1.1.1</source-address>",
        "/ios-ipsec-suite:ios/interface[name='Tunnel0']/tunnel",
        "tunnel source and tunnel destination must differ"),
    "interface-name-with-slash": (
        "<name>eth0</name>", "<name>Ethernet0/0</name>",
        "/ios-ipsec-suite:ios/interface/name",
        "an interface name cannot contain '/'"),
    "key-string-odd-digits": (
        "<key-string>305C", "<key-string>305",
        "/ios-ipsec-suite:ios/crypto/pubkey-chain/named-key"
        "[name='101.cisco.com'][usage='general']/key-string",
        "key data must be upper case hex digits"),
    "key-usage-unknown": (
        "<usage>general</usage>", "<usage>both</usage>",
        "/ios-ipsec-suite:ios/crypto/pubkey-chain/named-key",
        'Invalid enumeration value "both"'),
    "acl-protocol-not-gre": (
        "<protocol>gre</protocol>", "<protocol>ip</protocol>",
        "/ios-ipsec-suite:ios/access-list[number='101']/entry[sequence='10']/protocol",
        'Invalid enumeration value "ip"'),
    "acl-entry-without-source": (
        "<source-host>20.1.1.2</source-host>", "",
        "/ios-ipsec-suite:ios/access-list/entry/source-host",
        'Mandatory node "source-host" instance does not exist'),
    "transform-set-without-cipher": (
        "<esp-encryption>esp-des</esp-encryption>", "",
        "/ios-ipsec-suite:ios/crypto/ipsec/transform-set/esp-encryption",
        'Mandatory node "esp-encryption" instance does not exist'),
    "isakmp-key-without-secret": (
        "<identity>hostname</identity>",
        "<key><address>20.1.1.9</address></key><identity>hostname</identity>",
        "/ios-ipsec-suite:ios/crypto/isakmp/key/key-string",
        'Mandatory node "key-string" instance does not exist'),
    "isakmp-key-with-blank": (
        "<identity>hostname</identity>",
        "<key><address>20.1.1.9</address><key-string>a b</key-string></key>"
        "<identity>hostname</identity>",
        "/ios-ipsec-suite:ios/crypto/isakmp/key[address='20.1.1.9']/key-string",
        "a pre-shared key is printable ASCII without blanks"),
    "isakmp-key-too-long": (
        "<identity>hostname</identity>",
        "<key><address>20.1.1.9</address><key-string>" + "k" * 129 +
        "</key-string></key><identity>hostname</identity>",
        "/ios-ipsec-suite:ios/crypto/isakmp/key[address='20.1.1.9']/key-string",
        "a pre-shared key has 1 to 128 characters"),
    "isakmp-key-bad-mask": (
        "<identity>hostname</identity>",
        "<key><address>20.1.0.0</address><mask>255.0.255.0</mask>"
        "<key-string>k</key-string></key><identity>hostname</identity>",
        "/ios-ipsec-suite:ios/crypto/isakmp/key[address='20.1.0.0']/mask",
        "255.0.255.0"),
    "peer-not-an-address": (
        "<peer>20.1.1.1</peer>", "<peer>20.1.1.300</peer>",
        "/ios-ipsec-suite:ios/crypto/map[name='test'][sequence='10']/peer",
        "20.1.1.300"),
}


def test_suite_extensions_are_valid(tmp_path):
    """rsa-encr revised and pre-shared keys (a wildcard one included)."""
    text = edited("102", "<authentication>rsa-encr</authentication>",
                  "<authentication>rsa-encr-revised</authentication>")
    text = text.replace("<identity>hostname</identity>",
                        "<key><address>20.1.1.9</address>"
                        "<key-string>cisco123</key-string></key>"
                        "<key><address>0.0.0.0</address><mask>0.0.0.0</mask>"
                        "<key-string>any!</key-string></key>"
                        "<identity>hostname</identity>")
    rc, out = validate(text, tmp_path)
    assert rc == 0, out
    rc, out = yanglint("-t", "config", "-f", "json", "-d", "all", MODULE,
                       tmp_path / "instance.xml")
    assert rc == 0, out
    assert '"mask": "255.255.255.255"' in out, out


# The crypto map set an interface names must exist, but the model leaves
# that check to the zebra module (a pre_validate callback): the set is the
# first of the map list's two keys, and libyang resolves such a leafref by
# visiting every entry, for every interface, on every commit. The leaf stays
# a leafref (require-instance false) to say what it names; the refusal is
# tested where the module runs (test_frr_ios_cli.py, test_netconf.py).
def test_interface_crypto_map_existence_is_left_to_the_module(tmp_path):
    text = edited("102", "<name>eth0</name>\n    <crypto-map>test</crypto-map>",
                  "<name>eth0</name>\n    <crypto-map>other</crypto-map>")
    rc, out = validate(text, tmp_path)
    assert rc == 0, out
    model = (TOP / "yang" / "ios-ipsec-suite.yang").read_text()
    leaf = model[model.index("leaf crypto-map {"):]
    leaf = leaf[:leaf.index("description")]
    assert 'path "../../crypto/map/name";' in leaf
    assert "require-instance false;" in leaf


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_configuration_is_refused_naming_the_path(case, tmp_path):
    old, new, path, message = INVALID[case]
    rc, out = validate(edited("102", old, new), tmp_path)
    assert rc != 0, f"{case} was accepted"
    assert message in out, out
    assert path in out, out


def test_duplicate_acl_entry_is_refused(tmp_path):
    entry = ("<entry>\n      <sequence>10</sequence>\n      <action>permit</action>\n"
             "      <protocol>gre</protocol>\n"
             "      <source-host>20.1.1.2</source-host>\n"
             "      <destination-host>20.1.1.1</destination-host>\n    </entry>")
    twice = entry + "\n    " + entry.replace("<sequence>10<", "<sequence>20<")
    rc, out = validate(edited("102", entry, twice), tmp_path)
    assert rc != 0
    assert "Unique data leaf(s)" in out, out
    assert "/ios-ipsec-suite:ios/access-list[number='101']/entry" in out, out
