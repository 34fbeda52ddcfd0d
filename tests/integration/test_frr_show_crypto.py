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

    # CHILD SA down: IPsec rows gone, the IKE SA stays
    peer.sas[:] = [IKE]
    peer.emit("child-updown", child_updown_event(False, IKE, CHILD))
    wait_children(router, 0)
    out = show(router, "show crypto ipsec sa")
    assert "spi: 0x" not in out and "current outbound spi: 0\n" in out
    assert [c["id"] for c in show_json(router, "show crypto engine connections active")
            ["connections"]] == [14]
    assert [s["connId"] for s in show_json(router, "show crypto isakmp sa")["sas"]] == [14]

    # IKE SA down: everything gone
    peer.emit("ike-updown", ike_updown_event(False, IKE))
    lablib.wait_until(lambda: show_json(router, "show crypto isakmp sa")["sas"] == [] or None,
                      10, 0.1, "IKE SA gone")
    assert show_json(router, "show crypto engine connections active") == {"connections": []}
    out = show(router, "show crypto isakmp sa detail")
    assert not re.search(r"^14 ", out, re.M)
    assert "Current peer" not in show(router, "show crypto map")


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
