# SPDX-License-Identifier: GPL-2.0-or-later
"""IOS show commands of the zebra module (ios_crypto_show.c).

zebra talks to tests/lab/fake_vici.py; the seed's crypto configuration is
entered over zebra's vty. "show crypto isakmp sa [detail]", "show crypto
ipsec sa", "show crypto map" and "show crypto engine connections active"
(and their json variants) follow the SAs the fake peer reports.
"""

import json
import re
from pathlib import Path

import pytest

import lab as lablib
from fake_vici import FakeVici, child_sa, child_updown_event, ike_sa, ike_updown_event

MODULE = Path("/usr/lib/x86_64-linux-gnu/frr/modules/zebra_ios_crypto.so")

SEED = ["crypto isakmp policy 10", "encryption des", "hash sha",
        "authentication rsa-encr", "group 1", "exit",
        "crypto ipsec transform-set test esp-des esp-sha-hmac", "mode transport", "exit",
        "access-list 101 permit gre host 20.1.1.1 host 20.1.1.2",
        "crypto map test 10 ipsec-isakmp", "set peer 20.1.1.2",
        "set transform-set test", "match address 101", "exit",
        "interface Tunnel0", "tunnel source 20.1.1.1", "tunnel destination 20.1.1.2",
        "crypto map test", "exit"]

IKE = ike_sa("test-10", 14, local="20.1.1.1", remote="20.1.1.2")
CHILD = child_sa("test-10", 1, reqid=1, spi_in="7221d7d2", spi_out="7fb7a347")


@pytest.fixture(autouse=True)
def require_module():
    if not MODULE.exists():
        pytest.fail(f"{MODULE} is not installed: run scripts/build --install")


@pytest.fixture
def peer(lab):
    fake = FakeVici(lab.dir / "fake.vici").start()
    yield fake
    fake.stop()


def vici_status(router):
    return json.loads(router.vty("zebra", "show crypto vici json"))


@pytest.fixture
def zebra(lab, peer):
    router = lab.add_router("r1", charon=False, daemons=("zebra",),
                            daemon_args={"zebra": ["-M", f"ios_crypto:vici={peer.path}"]})
    lablib.wait_until(lambda: vici_status(router)["state"] == "established" or None,
                      20, 0.1, "zebra established with the fake peer")
    out = router.vty("zebra", "configure terminal", *SEED)
    assert not re.search(r"% (Unknown|Invalid|Ambiguous|Incomplete)", out), out
    return router


def show(router, cmd):
    return router.vty("zebra", cmd)


def show_json(router, cmd):
    return json.loads(show(router, cmd + " json"))


def wait_children(router, count):
    lablib.wait_until(lambda: vici_status(router)["childSas"] == count or None,
                      10, 0.1, f"{count} CHILD SAs")


def bring_up(router, peer):
    # what the peer lists too (a CHILD SA down makes the client list again)
    peer.sas[:] = [ike_sa("test-10", 14, local="20.1.1.1", remote="20.1.1.2",
                          children=[CHILD])]
    peer.emit("ike-updown", ike_updown_event(True, IKE))
    peer.emit("child-updown", child_updown_event(True, IKE, CHILD))
    wait_children(router, 1)


def test_no_sas_headers_only(zebra):
    router = zebra
    out = show(router, "show crypto isakmp sa detail")
    assert "Codes: C - IKE configuration mode, D - Dead Peer Detection" in out
    assert "psk - Preshared key, rsig - RSA signature" in out
    assert "renc - RSA encryption" in out
    lines = [l for l in out.splitlines() if l.strip()]
    assert lines[-1].split() == ["Conn", "id", "Local", "Remote", "Encr", "Hash",
                                 "Auth", "DH", "Lifetime", "Capabilities"]
    out = show(router, "show crypto isakmp sa")
    assert [l for l in out.splitlines() if l.strip()] == \
        ["dst             src             state          conn-id slot status"]
    out = show(router, "show crypto engine connections active")
    assert [l.split() for l in out.splitlines() if l.strip()] == \
        [["ID", "Interface", "IP-Address", "State", "Algorithm", "Encrypt", "Decrypt"]]
    assert show_json(router, "show crypto isakmp sa") == {"sas": []}
    assert show_json(router, "show crypto engine connections active") == {"connections": []}

    # the interface block is there, without SAs
    out = show(router, "show crypto ipsec sa")
    assert "interface: Tunnel0" in out
    assert "Crypto map tag: test, local addr. 20.1.1.1" in out
    assert "spi: 0x" not in out
    [blk] = show_json(router, "show crypto ipsec sa")["interfaces"]
    assert blk["inboundEspSas"] == [] and blk["outboundEspSas"] == []


def test_show_crypto_map(zebra):
    router = zebra
    out = show(router, "show crypto map")
    assert 'Crypto Map "test" 10 ipsec-isakmp' in out
    assert "Peer = 20.1.1.2" in out
    assert "Extended IP access list 101" in out
    assert "access-list 101 permit gre host 20.1.1.1 host 20.1.1.2" in out
    assert "PFS (Y/N): N" in out
    assert "Transform sets={ test, }" in out
    assert re.search(r"Interfaces using crypto map test:\n\s+Tunnel0", out)
    [m] = show_json(router, "show crypto map")["maps"]
    assert m["name"] == "test" and m["sequence"] == 10
    assert m["peer"] == "20.1.1.2" and m["accessList"] == 101
    assert m["transformSets"] == ["test"] and m["interfaces"] == ["Tunnel0"]
    assert m["pfs"] is False and m["currentPeer"] == ""


def test_sas_up_and_down(zebra, peer):
    router = zebra
    bring_up(router, peer)

    out = show(router, "show crypto isakmp sa detail")
    [row] = [l.split() for l in out.splitlines() if l.startswith("14 ")]
    assert row == ["14", "20.1.1.1", "20.1.1.2", "des", "sha", "renc", "1", "24:00:00"]
    [sa] = show_json(router, "show crypto isakmp sa")["sas"]
    assert sa["connId"] == 14 and sa["local"] == "20.1.1.1" and sa["remote"] == "20.1.1.2"
    assert (sa["encr"], sa["hash"], sa["auth"], sa["dh"]) == ("des", "sha", "renc", 1)
    out = show(router, "show crypto isakmp sa")
    assert re.search(r"^20\.1\.1\.2\s+20\.1\.1\.1\s+QM_IDLE\s+14\s+0 ACTIVE$", out, re.M)

    out = show(router, "show crypto ipsec sa")
    assert "interface: Tunnel0" in out
    assert "Crypto map tag: test, local addr. 20.1.1.1" in out
    assert "local  ident (addr/mask/prot/port): (20.1.1.1/255.255.255.255/47/0)" in out
    assert "remote ident (addr/mask/prot/port): (20.1.1.2/255.255.255.255/47/0)" in out
    assert "current_peer: 20.1.1.2:500" in out
    assert "#pkts encaps: 0, #pkts encrypt: 0, #pkts digest 0" in out
    assert "local crypto endpt.: 20.1.1.1, remote crypto endpt.: 20.1.1.2" in out
    assert "current outbound spi: 7FB7A347" in out
    assert "spi: 0x7221D7D2(1914820562)" in out
    assert "spi: 0x7FB7A347(2142741319)" in out
    assert out.count("transform: esp-des esp-sha-hmac ,") == 2
    assert out.count("in use settings ={Transport, }") == 2
    assert "conn id: 2000, flow_id: 1, crypto map: test" in out
    assert "conn id: 2001, flow_id: 2, crypto map: test" in out
    assert out.index("inbound esp sas:") < out.index("0x7221D7D2") \
        < out.index("outbound esp sas:") < out.index("0x7FB7A347")

    [blk] = show_json(router, "show crypto ipsec sa")["interfaces"]
    assert blk["interface"] == "Tunnel0" and blk["cryptoMapTag"] == "test"
    assert blk["localAddr"] == "20.1.1.1" and blk["currentPeer"] == "20.1.1.2"
    assert blk["localIdent"] == {"addr": "20.1.1.1", "mask": "255.255.255.255",
                                 "prot": 47, "port": 0}
    assert blk["remoteIdent"]["addr"] == "20.1.1.2"
    assert blk["currentOutboundSpi"] == "0x7FB7A347"
    assert blk["pktsEncaps"] == 0 and blk["pktsDecaps"] == 0
    [esp_in] = blk["inboundEspSas"]
    [esp_out] = blk["outboundEspSas"]
    assert esp_in == {"spi": "0x7221D7D2", "spiDecimal": 1914820562,
                      "transform": "esp-des esp-sha-hmac", "mode": "Transport",
                      "connId": 2000, "cryptoMap": "test"}
    assert esp_out["spi"] == "0x7FB7A347" and esp_out["spiDecimal"] == 2142741319
    assert esp_out["connId"] == 2001

    out = show(router, "show crypto engine connections active")
    rows = [l.split() for l in out.splitlines()[1:] if l.strip()]
    assert rows == [["14", "Tunnel0", "20.1.1.1", "set", "HMAC_SHA+DES_56_CB", "0", "0"],
                    ["2000", "Tunnel0", "20.1.1.1", "set", "HMAC_SHA+DES_56_CB", "0", "0"],
                    ["2001", "Tunnel0", "20.1.1.1", "set", "HMAC_SHA+DES_56_CB", "0", "0"]]
    conns = show_json(router, "show crypto engine connections active")["connections"]
    assert [c["id"] for c in conns] == [14, 2000, 2001]
    assert all(c["interface"] == "Tunnel0" and c["ipAddress"] == "20.1.1.1" and
               c["state"] == "set" and c["algorithm"] == "HMAC_SHA+DES_56_CB"
               for c in conns)

    assert "Current peer: 20.1.1.2" in show(router, "show crypto map")
    assert show_json(router, "show crypto map")["maps"][0]["currentPeer"] == "20.1.1.2"

    # CHILD SA down: IPsec rows gone, the IKE SA stays (zebra lists the
    # SAs again at once after a CHILD SA went down: charon still has the
    # IKE SA then)
    peer.sas = [IKE]
    peer.emit("child-updown", child_updown_event(False, IKE, CHILD))
    wait_children(router, 0)
    out = show(router, "show crypto ipsec sa")
    assert "spi: 0x" not in out and "current outbound spi: 0\n" in out
    assert [c["id"] for c in show_json(router, "show crypto engine connections active")
            ["connections"]] == [14]
    assert [s["connId"] for s in show_json(router, "show crypto isakmp sa")["sas"]] == [14]

    # IKE SA down: everything gone
    peer.sas = []
    peer.emit("ike-updown", ike_updown_event(False, IKE))
    lablib.wait_until(lambda: show_json(router, "show crypto isakmp sa")["sas"] == [] or None,
                      10, 0.1, "IKE SA gone")
    assert show_json(router, "show crypto engine connections active") == {"connections": []}
    out = show(router, "show crypto isakmp sa detail")
    assert not re.search(r"^14 ", out, re.M)
    assert "Current peer" not in show(router, "show crypto map")


def test_revised_mode_is_shown_as_method_5(zebra, peer):
    router = zebra
    router.vty("zebra", "configure terminal", "crypto isakmp policy 10",
               "authentication rsa-encr revised", "exit")
    bring_up(router, peer)
    out = show(router, "show crypto isakmp sa detail")
    assert "rrev - RSA encryption, revised mode (method 5)" in out
    [row] = [l.split() for l in out.splitlines() if l.startswith("14 ")]
    assert row == ["14", "20.1.1.1", "20.1.1.2", "des", "sha", "rrev", "1", "24:00:00"]
    [sa] = show_json(router, "show crypto isakmp sa detail")["sas"]
    assert (sa["auth"], sa["authMethod"]) == ("rrev", 5)
    router.vty("zebra", "configure terminal", "crypto isakmp policy 10",
               "authentication rsa-encr", "exit")
    [sa] = show_json(router, "show crypto isakmp sa detail")["sas"]
    assert (sa["auth"], sa["authMethod"]) == ("renc", 4)


def test_isakmp_sa_shows_the_policy_of_its_connection(zebra, peer):
    """Without 20.1.1.2's RSA key the entry uses the pre-share policy 20,
    not the first policy (rsa-encr): the SA is shown with policy 20."""
    router = zebra
    router.vty("zebra", "configure terminal", "crypto isakmp policy 20",
               "authentication pre-share", "encryption 3des", "hash md5", "group 2",
               "lifetime 3600", "exit", "crypto isakmp key k address 20.1.1.2")
    lablib.wait_until(lambda: any(c["name"] == "test-10" and c["auth"] == "pre-share"
                                  for c in json.loads(router.vty(
                                      "zebra", "show crypto charon json"))["connections"])
                      or None, 10, 0.1, "test-10 with pre-share")
    bring_up(router, peer)
    out = show(router, "show crypto isakmp sa detail")
    [row] = [l.split() for l in out.splitlines() if l.startswith("14 ")]
    assert row == ["14", "20.1.1.1", "20.1.1.2", "3des", "md5", "psk", "2", "01:00:00"]
    [sa] = show_json(router, "show crypto isakmp sa detail")["sas"]
    assert (sa["auth"], sa["authMethod"]) == ("psk", 1)
    rows = [l.split() for l in show(router, "show crypto engine connections active")
            .splitlines()[1:] if l.strip()]
    assert rows[0][4] == "HMAC_MD5+3DES_168_CB", rows


def test_psk_policy_and_other_sas(zebra, peer):
    router = zebra
    router.vty("zebra", "configure terminal", "crypto isakmp policy 10",
               "authentication pre-share", "exit")
    other = ike_sa("other-10", 3, local="20.1.1.1", remote="20.1.1.9")
    peer.emit("child-updown", child_updown_event(True, other, child_sa("other-10", 4, reqid=2)))
    wait_children(router, 1)
    [sa] = show_json(router, "show crypto isakmp sa detail")["sas"]
    assert sa["auth"] == "psk" and sa["remote"] == "20.1.1.9"
    # an SA of no crypto map entry is not shown under the map's interface
    [blk] = show_json(router, "show crypto ipsec sa")["interfaces"]
    assert blk["inboundEspSas"] == []
    conns = show_json(router, "show crypto engine connections active")["connections"]
    assert [c["id"] for c in conns] == [3, 2006, 2007]
    assert conns[0]["interface"] == "unassigned"


# ------------------------------------------- show crypto key pubkey-chain rsa

def pubkey_router(lab):
    from test_frr_ios_cli import KEY_101, SEED_102_PAGE, start_zebra
    router = start_zebra(lab, conf=SEED_102_PAGE)
    out = router.vty("zebra", "configure terminal", "crypto key pubkey-chain rsa",
                     "addressed-key 20.1.1.3 encryption", "address 20.1.1.4",
                     "key-string", *KEY_101, "quit", "exit",
                     "named-key 103.cisco.com signature", "exit", "exit")
    assert not re.search(r"% (Unknown|Invalid|Ambiguous|Incomplete)", out), out
    return router, KEY_101


def test_pubkey_chain_summary(lab):
    router, _ = pubkey_router(lab)
    out = show(router, "show crypto key pubkey-chain rsa")
    assert out.splitlines() == [
        "Codes: M - Manually configured, C - Extracted from certificate",
        "",
        "Code Usage        IP-Address/VRF  Keyring   Name",
        "M    General      20.1.1.1        default   101.cisco.com",
        "M    Signing                      default   103.cisco.com",
        "M    Encrypt      20.1.1.3        default   ",
    ], out
    keys = show_json(router, "show crypto key pubkey-chain rsa")["keys"]
    assert [(k["kind"], k.get("name", k.get("keyAddress")), k["usage"]) for k in keys] == [
        ("named-key", "101.cisco.com", "general"),
        ("named-key", "103.cisco.com", "signature"),
        ("addressed-key", "20.1.1.3", "encryption")]
    assert keys[0]["addresses"] == ["20.1.1.1"] and keys[0]["bits"] == 512
    assert keys[0]["keyring"] == "default" and keys[0]["code"] == "M"
    assert "data" not in keys[1]


def test_pubkey_chain_detail_by_name_and_address(lab):
    router, key_lines = pubkey_router(lab)
    data = "".join(key_lines).replace(" ", "")
    groups = [data[i:i + 8] for i in range(0, len(data), 8)]
    hex_lines = ["  " + " ".join(groups[i:i + 8]) for i in range(0, len(groups), 8)]

    out = show(router, "show crypto key pubkey-chain rsa name 101.cisco.com")
    assert out.splitlines() == ["Key name: 101.cisco.com", "Key address: 20.1.1.1",
                                "Usage: General Purpose Key",
                                "Source: Manually entered", "Data:", *hex_lines], out
    # IOS data lines: 8 groups of 8 digits
    assert len(hex_lines[0].split()) == 8 and all(
        len(g) == 8 for g in hex_lines[0].split())

    out = show(router, "show crypto key pubkey-chain rsa address 20.1.1.4")
    assert out.splitlines() == ["Key address: 20.1.1.3", "Key address: 20.1.1.4",
                                "Usage: Encryption Key", "Source: Manually entered",
                                "Data:", *hex_lines], out
    out = show(router, "show crypto key pubkey-chain rsa address 20.1.1.1")
    assert out.startswith("Key name: 101.cisco.com\n")
    [k] = show_json(router, "show crypto key pubkey-chain rsa name 101.CISCO.com")["keys"]
    assert k["data"] == data


def test_pubkey_chain_unknown_name_or_address(lab):
    router, _ = pubkey_router(lab)
    with pytest.raises(lablib.LabError) as refused:
        show(router, "show crypto key pubkey-chain rsa name nosuch.example")
    assert "% No public key named nosuch.example in crypto key pubkey-chain rsa" \
        in str(refused.value)
    with pytest.raises(lablib.LabError) as refused:
        show(router, "show crypto key pubkey-chain rsa address 9.9.9.9")
    assert "% No public key with address 9.9.9.9 in crypto key pubkey-chain rsa" \
        in str(refused.value)
    out = router.vty("zebra", "show crypto key pubkey-chain rsa name x json", check=False)
    assert json.loads(out) == {
        "keys": [], "error": "No public key named x in crypto key pubkey-chain rsa"}
