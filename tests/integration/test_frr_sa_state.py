# SPDX-License-Identifier: GPL-2.0-or-later
"""Crypto map entries follow the SAs the VICI client reports.

zebra (module argument vici=<socket>) talks to tests/lab/fake_vici.py; the
crypto configuration of the IOS example is entered over zebra's vty and the
SA state of the map entry read back with "show yang operational-data".
A CHILD SA belongs to entry NAME SEQ when its CHILD config is "NAME-SEQ"
and its IKE SA's remote host is the entry's "set peer" (doc/frr-module.md);
without an established VICI session every entry's SA is down.
"""

import json
from pathlib import Path

import pytest

import lab as lablib
from fake_vici import FakeVici, child_sa, child_updown_event, ike_sa, ike_updown_event

MODULE = Path("/usr/lib/x86_64-linux-gnu/frr/modules/zebra_ios_crypto.so")

SEED = ["crypto ipsec transform-set test esp-des esp-sha-hmac", "mode transport", "exit",
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


def vici_status(router):
    return json.loads(router.vty("zebra", "show crypto vici json"))


def wait_vici(router, state, what, timeout=20, **more):
    def check():
        st = vici_status(router)
        return st if st["state"] == state and all(st.get(k) == v for k, v in more.items()) \
            else None
    return lablib.wait_until(check, timeout, 0.1, what)


@pytest.fixture
def zebra(lab, peer):
    # this kernel has no GRE: the tunnel adopts a stand-in device
    router = lab.add_router("r1", start=False, charon=False, daemons=("zebra",),
                            daemon_args={"zebra": ["-M", f"ios_crypto:vici={peer.path},"
                                                         "tunnel-device=adopt"]},
                            frr_conf={"zebra": "debug crypto vici\n"})
    router.ip("link", "add", "Tunnel0", "type", "veth", "peer", "name", "Tunnel0-peer")
    router.start()
    wait_vici(router, "established", "zebra established with the fake peer")
    router.vty("zebra", "configure terminal", *SEED)
    return router


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


def wait_sa(router, state, what, timeout=10):
    return lablib.wait_until(
        lambda: (lambda s: s if s["sa-state"] == state else None)(map_state(router)),
        timeout, 0.1, what)


def wait_child_count(router, count, what):
    def check():
        st = vici_status(router)
        return st if st["childSas"] == count else None
    return lablib.wait_until(check, 10, 0.1, what)


IKE = ike_sa("test-10", 1, local="20.1.1.1", remote="20.1.1.2")
CHILD = child_sa("test-10", 2, reqid=1, spi_in="c0000abc", spi_out="d0000def")


def test_child_sa_up_and_down_drive_the_map_entry(zebra, peer):
    router = zebra
    state = map_state(router)
    assert state["status"] == "active"
    assert state["sa-state"] == "down"
    assert tunnel_state(router)["reason"] == "no IPsec SA to 20.1.1.2"

    peer.emit("ike-updown", ike_updown_event(True, IKE))
    peer.emit("child-updown", child_updown_event(True, IKE, CHILD))
    state = wait_sa(router, "up", "map entry SA up")
    assert state["spi-in"] == 0xc0000abc
    assert state["spi-out"] == 0xd0000def
    assert state["sa-changes"] == 1
    tunnel = tunnel_state(router)
    assert tunnel["oper-status"] == "up"
    router.wait_log(r"crypto map test 10: IPsec SA up \(CHILD SA test-10\{2\}, reqid 1, "
                    r"peer 20\.1\.1\.2\)", log="zebra", timeout=5)

    peer.emit("child-updown", child_updown_event(False, IKE, CHILD))
    state = wait_sa(router, "down", "map entry SA down")
    assert state["sa-changes"] == 2
    assert "spi-in" not in state
    tunnel = tunnel_state(router)
    assert tunnel["oper-status"] == "down"
    assert tunnel["reason"] == "no IPsec SA to 20.1.1.2"


def test_sas_matching_no_map_entry_change_nothing(zebra, peer):
    router = zebra
    other_name = ike_sa("other-10", 3)
    wrong_peer = ike_sa("test-10", 5, remote="20.1.1.9")
    # what the peer lists (a CHILD SA down makes the client list again)
    peer.sas[:] = [ike_sa("other-10", 3, children=[child_sa("other-10", 4, reqid=2)]),
                   ike_sa("test-20", 7, children=[child_sa("test-20", 8, reqid=3)]),
                   ike_sa("test-10", 5, remote="20.1.1.9",
                          children=[child_sa("test-10", 6, reqid=4)])]
    peer.emit("child-updown", child_updown_event(True, other_name,
                                                 child_sa("other-10", 4, reqid=2)))
    peer.emit("child-updown", child_updown_event(True, ike_sa("test-20", 7),
                                                 child_sa("test-20", 8, reqid=3)))
    peer.emit("child-updown", child_updown_event(True, wrong_peer,
                                                 child_sa("test-10", 6, reqid=4)))
    wait_child_count(router, 3, "three CHILD SAs known to the VICI client")
    state = map_state(router)
    assert state["sa-state"] == "down"
    assert state["sa-changes"] == 0
    assert tunnel_state(router)["oper-status"] == "down"

    # the right one still counts, and going down of the others changes nothing
    peer.sas.append(ike_sa("test-10", 1, children=[CHILD]))
    peer.emit("child-updown", child_updown_event(True, IKE, CHILD))
    wait_sa(router, "up", "map entry SA up")
    peer.sas[0] = other_name
    peer.emit("child-updown", child_updown_event(False, other_name,
                                                 child_sa("other-10", 4, reqid=2)))
    wait_child_count(router, 3, "other-10 gone")
    state = map_state(router)
    assert state["sa-state"] == "up" and state["sa-changes"] == 1


def test_peer_disconnect_takes_every_sa_down(zebra, peer):
    router = zebra
    peer.sas.append(ike_sa("test-10", 1, children=[CHILD]))
    peer.emit("child-updown", child_updown_event(True, IKE, CHILD))
    wait_sa(router, "up", "map entry SA up")

    peer.stop()
    wait_vici(router, "disconnected", "VICI disconnected")
    # the VICI client keeps its table, but nobody vouches for it: fail closed
    assert vici_status(router)["childSas"] == 1
    state = wait_sa(router, "down", "map entry SA down after disconnect")
    assert state["sa-changes"] == 2
    assert tunnel_state(router)["oper-status"] == "down"
    router.wait_log(r"crypto map test 10: IPsec SA down \(VICI not established\)",
                    log="zebra", timeout=5)

    # charon is back with the SA still installed: the resync brings it back
    peer.start()
    wait_vici(router, "established", "VICI re-established", resyncs=2)
    state = wait_sa(router, "up", "map entry SA up after resync")
    assert state["sa-changes"] == 3


def test_config_change_rematches(zebra, peer):
    router = zebra
    peer.emit("child-updown", child_updown_event(True, IKE, CHILD))
    wait_sa(router, "up", "map entry SA up")
    router.vty("zebra", "configure terminal", "crypto map test 10", "set peer 20.1.1.3",
               "exit")
    wait_sa(router, "down", "SA to the old peer no longer counts")
    router.vty("zebra", "configure terminal", "crypto map test 10", "set peer 20.1.1.2",
               "exit")
    wait_sa(router, "up", "SA counts again")


def test_twin_deleted_without_event_goes_with_the_reported_one(zebra, peer):
    """charon (IKEv1) deletes a CHILD SA that has an installed twin without
    a child-updown: when the last one is reported down, the client lists
    again and the entry's SA is down, not held up by the twin."""
    router = zebra
    twin = child_sa("test-10", 3, reqid=1)
    peer.sas[:] = [ike_sa("test-10", 1, children=[CHILD, twin])]
    peer.emit("child-updown", child_updown_event(True, IKE, CHILD))
    peer.emit("child-updown", child_updown_event(True, IKE, twin))
    wait_child_count(router, 2, "two CHILD SAs of test-10")
    wait_sa(router, "up", "map entry SA up")
    # both gone in charon, only one reported
    peer.sas[:] = [IKE]
    peer.emit("child-updown", child_updown_event(False, IKE, CHILD))
    wait_sa(router, "down", "map entry SA down with its twin")
    assert vici_status(router)["childSas"] == 0
    assert tunnel_state(router)["oper-status"] == "down"
