# SPDX-License-Identifier: GPL-2.0-or-later
"""Traffic counters of IPsec SAs in the IOS show commands.

charon keeps per-CHILD-SA counters (bytes-in, packets-in, bytes-out,
packets-out of list-sas) that move without any VICI event, so zebra's VICI
client asks again with a periodic list-sas (module argument
vici-refresh=SECONDS). tests/lab/fake_vici.py plays charon: the tests
change the counters in the SA list it answers with, and read them back
from "show crypto ipsec sa", "show crypto engine connections active", the
YANG operational state and "show crypto vici sas", each also as JSON.
A refresh is a resync: counters alone are no SA change, SAs gone or new
are reported as the resync after a connect reports them.
"""

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

import lab as lablib
from fake_vici import CMD_REQUEST, EVENT_REGISTER, FakeVici, child_sa, ike_sa

MODULE = Path("/usr/lib/x86_64-linux-gnu/frr/modules/zebra_ios_crypto.so")
EVENTS = ["ike-updown", "child-updown", "ike-rekey", "child-rekey", "list-sa"]

SEED = ["crypto isakmp policy 10", "encryption des", "hash sha",
        "authentication rsa-encr", "group 1", "exit",
        "crypto ipsec transform-set test esp-des esp-sha-hmac", "mode transport", "exit",
        "access-list 101 permit gre host 20.1.1.1 host 20.1.1.2",
        "crypto map test 10 ipsec-isakmp", "set peer 20.1.1.2",
        "set transform-set test", "match address 101", "exit",
        "interface Tunnel0", "tunnel source 20.1.1.1", "tunnel destination 20.1.1.2",
        "crypto map test", "exit"]


@pytest.fixture(autouse=True)
def require_module():
    if not MODULE.exists():
        pytest.fail(f"{MODULE} is not installed: run scripts/build --install")


@pytest.fixture
def peer(lab):
    fake = FakeVici(lab.dir / "fake.vici").start()
    yield fake
    fake.stop()


def start_zebra(lab, peer, args=""):
    # this kernel has no GRE: the tunnel adopts a stand-in device
    router = lab.add_router(
        "r1", start=False, charon=False, daemons=("zebra",),
        daemon_args={"zebra": ["-M", f"ios_crypto:vici={peer.path},"
                                     f"tunnel-device=adopt{args}"]},
        frr_conf={"zebra": "debug crypto vici\n"})
    router.ip("link", "add", "Tunnel0", "type", "veth", "peer", "name", "Tunnel0-peer")
    router.start()
    wait_vici(router, "zebra established with the fake peer", state="established")
    return router


def vici_status(router):
    return json.loads(router.vty("zebra", "show crypto vici json"))


def wait_vici(router, what, timeout=20, **expected):
    def check():
        st = vici_status(router)
        return st if all(st.get(k) == v for k, v in expected.items()) else None
    return lablib.wait_until(check, timeout, 0.1, what)


def show_json(router, cmd):
    return json.loads(router.vty("zebra", cmd + " json"))


def ipsec_sa(router):
    [blk] = show_json(router, "show crypto ipsec sa")["interfaces"]
    return blk


def oper_state(router):
    out = router.vty("zebra",
                     "show yang operational-data /ios-ipsec-suite:ios format json")
    return json.loads(out or "{}").get("ios-ipsec-suite:ios", {})


def map_state(router):
    [entry] = oper_state(router)["crypto"]["map"]
    return entry["state"]


def tunnel_state(router):
    [ifc] = [i for i in oper_state(router)["interface"] if i["name"] == "Tunnel0"]
    return ifc["tunnel"]["state"]


def since_epoch(date_and_time):
    return datetime.fromisoformat(date_and_time).timestamp()


def listed(uniqueid=2, **counters):
    """The fake's list-sas: one IKE SA with the map entry's CHILD SA."""
    child = child_sa("test-10", uniqueid, reqid=1, spi_in="7221d7d2",
                     spi_out="7fb7a347", **counters)
    return [ike_sa("test-10", 14, local="20.1.1.1", remote="20.1.1.2", children=[child])]


def wait_encaps(router, packets, what):
    return lablib.wait_until(
        lambda: (lambda b: b if b["pktsEncaps"] == packets else None)(ipsec_sa(router)),
        15, 0.2, what)


def test_counters_rise_in_show_commands_without_sa_changes(lab, peer):
    peer.sas = listed(packets_out=5, bytes_out=700, packets_in=4, bytes_in=560)
    router = start_zebra(lab, peer, ",vici-refresh=1")
    router.vty("zebra", "configure terminal", *SEED)
    blk = wait_encaps(router, 5, "counters of the resync")
    assert (blk["pktsEncaps"], blk["pktsEncrypt"], blk["pktsDigest"]) == (5, 5, 5)
    assert (blk["pktsDecaps"], blk["pktsDecrypt"], blk["pktsVerify"]) == (4, 4, 4)
    assert (blk["bytesEncrypted"], blk["bytesDecrypted"]) == (700, 560)
    assert 0 <= blk["countersAge"] <= 5
    state = map_state(router)
    assert state["sa-state"] == "up" and state["sa-changes"] == 1
    last_change = since_epoch(state["last-change"])
    transitions = tunnel_state(router)["transitions"]
    assert tunnel_state(router)["oper-status"] == "up"

    # traffic flows in charon's kernel SAs: no event, only the next refresh tells
    peer.sas = listed(packets_out=1234, bytes_out=172760, packets_in=1200,
                      bytes_in=168000)
    wait_encaps(router, 1234, "counters of a refresh")
    out = router.vty("zebra", "show crypto ipsec sa")
    assert "#pkts encaps: 1234, #pkts encrypt: 1234, #pkts digest 1234" in out
    assert "#pkts decaps: 1200, #pkts decrypt: 1200, #pkts verify 1200" in out
    blk = ipsec_sa(router)
    assert (blk["bytesEncrypted"], blk["bytesDecrypted"]) == (172760, 168000)

    out = router.vty("zebra", "show crypto engine connections active")
    rows = [l.split() for l in out.splitlines()[1:] if l.strip()]
    assert rows == [["14", "Tunnel0", "20.1.1.1", "set", "HMAC_SHA+DES_56_CB", "0", "0"],
                    ["2002", "Tunnel0", "20.1.1.1", "set", "HMAC_SHA+DES_56_CB", "0",
                     "1200"],
                    ["2003", "Tunnel0", "20.1.1.1", "set", "HMAC_SHA+DES_56_CB", "1234",
                     "0"]]
    conns = show_json(router, "show crypto engine connections active")["connections"]
    assert [(c["id"], c["encrypt"], c["decrypt"]) for c in conns] == [
        (14, 0, 0), (2002, 0, 1200), (2003, 1234, 0)]

    state = map_state(router)
    assert state["counters"] == {"packets-encrypted": "1234", "packets-decrypted": "1200",
                                 "bytes-encrypted": "172760", "bytes-decrypted": "168000"}
    # counters are no SA change: nothing moved but them
    assert state["sa-changes"] == 1
    # (last-change is rendered from a monotonic second: microseconds jitter)
    assert abs(since_epoch(state["last-change"]) - last_change) < 0.5
    assert tunnel_state(router)["transitions"] == transitions
    log = router.log_path("zebra").read_text()
    assert len(re.findall(r"crypto map test 10: IPsec SA (up|down)", log)) == 1

    [ike] = show_json(router, "show crypto vici sas")["ikeSas"]
    [child] = ike["childSas"]
    assert (child["packetsOut"], child["bytesOut"], child["packetsIn"],
            child["bytesIn"]) == (1234, 172760, 1200, 168000)
    out = router.vty("zebra", "show crypto vici sas")
    assert re.search(r"in 1200 packets 168000 bytes, out 1234 packets 172760 bytes "
                     r"\(\d+ s ago\)", out)
    st = vici_status(router)
    assert st["refreshInterval"] == 1 and st["refreshes"] >= 1
    assert 0 <= st["lastRefreshAge"] <= 5
    assert st["resyncs"] == 1 and st["reconnects"] == 0
    assert peer.violations == []


def test_refresh_reports_vanished_and_new_sas_like_a_resync(lab, peer):
    peer.sas = listed(packets_out=3)
    router = start_zebra(lab, peer, ",vici-refresh=1")
    router.vty("zebra", "configure terminal", *SEED)
    wait_encaps(router, 3, "SA of the resync")

    # the SA vanished in charon without an event reaching us
    peer.sas = []
    lablib.wait_until(lambda: map_state(router)["sa-state"] == "down" or None, 15, 0.2,
                      "refresh takes the SA down")
    router.wait_log(r"vici: CHILD SA test-10\{2\} of test-10\[14\] down \(resync\)",
                    log="zebra", timeout=5)
    assert map_state(router)["sa-changes"] == 2
    assert tunnel_state(router)["oper-status"] == "down"
    assert ipsec_sa(router)["pktsEncaps"] == 0

    # a rekeyed SA appears: up, counters from 0 again (its own)
    peer.sas = listed(uniqueid=3, packets_out=7)
    wait_encaps(router, 7, "refresh brings the new SA")
    router.wait_log(r"vici: CHILD SA test-10\{3\} of test-10\[14\] up \(resync\)",
                    log="zebra", timeout=5)
    state = map_state(router)
    assert state["sa-state"] == "up" and state["sa-changes"] == 3
    assert vici_status(router)["resyncs"] == 1
    assert peer.violations == []


def test_counters_missing_from_charon_keep_the_last(lab, peer):
    peer.sas = listed(packets_out=9, packets_in=8)
    router = start_zebra(lab, peer, ",vici-refresh=1")
    router.vty("zebra", "configure terminal", *SEED)
    wait_encaps(router, 9, "counters of the resync")
    refreshes = vici_status(router)["refreshes"]
    peer.sas = listed(packets_out=None, packets_in=None, bytes_in=None, bytes_out=None)
    wait_vici(router, "two more refreshes", refreshes=refreshes + 2)
    blk = ipsec_sa(router)
    assert (blk["pktsEncaps"], blk["pktsDecaps"]) == (9, 8)


def test_default_refresh_keeps_the_connect_sequence(lab, peer):
    peer.sas = listed(packets_out=2)
    router = start_zebra(lab, peer)
    st = vici_status(router)
    assert st["refreshInterval"] == 10 and st["lastRefreshAge"] == -1
    packets = peer.packets(connection=1)
    assert [(p.type, p.name) for p in packets] == (
        [(EVENT_REGISTER, e) for e in EVENTS] + [(CMD_REQUEST, "list-sas")])

    # the first refresh comes one interval later, as one more list-sas
    peer.sas = listed(packets_out=20)
    router.vty("zebra", "configure terminal", *SEED)
    wait_encaps(router, 20, "first periodic refresh")
    names = [p.name for p in peer.packets(connection=1) if p.type == CMD_REQUEST]
    assert names[:2] == ["list-sas", "list-sas"]
    assert vici_status(router)["refreshes"] >= 1
    assert peer.violations == []


def test_refresh_off(lab, peer):
    peer.sas = listed(packets_out=2)
    router = start_zebra(lab, peer, ",vici-refresh=0")
    router.vty("zebra", "configure terminal", *SEED)
    wait_encaps(router, 2, "counters of the resync")
    peer.sas = listed(packets_out=50)
    # a few seconds in which a refresh of 1 s would have run several times
    lablib.wait_until(lambda: vici_status(router)["stateAge"] >= 3 or None, 10, 0.2,
                      "three seconds established")
    st = vici_status(router)
    assert st["refreshInterval"] == 0 and st["refreshes"] == 0
    assert len(peer.requests("list-sas")) == 1
    assert ipsec_sa(router)["pktsEncaps"] == 2
    assert "SA refresh:      off" in router.vty("zebra", "show crypto vici")


def test_refresh_waits_for_queued_commands(lab, peer):
    """A refresh never goes between commands or delays one: one at a time."""
    peer.sas = listed(packets_out=1)
    router = start_zebra(lab, peer, ",vici-refresh=1")
    peer.delays = {"reload-settings": 1.5}
    router.vty("zebra", *["crypto vici request reload-settings"] * 3)
    lablib.wait_until(lambda: len(peer.requests("reload-settings")) == 3
                      and vici_status(router)["commands"]["queued"] == 0 or None,
                      20, 0.1, "three commands answered")
    peer.delays = {}
    refreshes = vici_status(router)["refreshes"]
    wait_vici(router, "a refresh after the commands", refreshes=refreshes + 1)
    names = [p.name for p in peer.packets(connection=1) if p.type == CMD_REQUEST]
    first = names.index("reload-settings")
    assert names[first:first + 3] == ["reload-settings"] * 3
    assert peer.violations == []
    st = vici_status(router)
    assert st["commands"]["failed"] == 0 and st["reconnects"] == 0


def test_bad_refresh_argument_falls_back_to_the_default(lab, peer):
    router = start_zebra(lab, peer, ",vici-refresh=soon")
    assert vici_status(router)["refreshInterval"] == 10
    router.wait_log(r"vici-refresh=soon is not 0\.\.3600 seconds; using 10", log="zebra",
                    timeout=5)
