# SPDX-License-Identifier: GPL-2.0-or-later
"""zebra's VICI client (zebra_ios_crypto module) against a scripted peer.

tests/lab/fake_vici.py plays charon on a UNIX socket in the lab's run dir;
zebra (in its namespace, module argument vici=<that socket>) connects to
it. The tests script what a charon does, and what it should never do, and
check zebra's view through 'show crypto vici [sas] json' and its debug log
('debug crypto vici' is in zebra's startup config).
"""

import json
import re
import struct
import threading
import time
from pathlib import Path

import pytest

import lab as lablib
from fake_vici import (CMD_REQUEST, CMD_RESPONSE, EVENT, EVENT_REGISTER, FRAME_MAX,
                       FakeVici, child_rekey_event, child_sa, child_updown_event,
                       encode_message, encode_packet, ike_rekey_event, ike_sa,
                       ike_updown_event)

EVENTS = ["ike-updown", "child-updown", "ike-rekey", "child-rekey", "list-sa"]


@pytest.fixture
def peer(lab):
    """A fake charon listening in the lab's run dir."""
    fake = FakeVici(lab.dir / "fake.vici").start()
    yield fake
    fake.stop()


def start_zebra(lab, socket_path, name="r1", debug=True, args="", conf=""):
    conf = ("debug crypto vici\n" if debug else "") + conf
    return lab.add_router(name, charon=False, daemons=("zebra",),
                          daemon_args={"zebra": ["-M", f"ios_crypto:vici={socket_path}{args}"]},
                          frr_conf={"zebra": conf})


def status(router):
    return json.loads(router.vty("zebra", "show crypto vici json"))


def sas(router):
    return json.loads(router.vty("zebra", "show crypto vici sas json"))["ikeSas"]


def wait_status(router, what="condition", timeout=20, **expected):
    """Wait until every key of 'show crypto vici json' has the expected value."""
    def check():
        st = status(router)
        return st if all(st.get(k) == v for k, v in expected.items()) else None
    try:
        return lablib.wait_until(check, timeout, 0.1, what)
    except lablib.LabError as exc:
        raise AssertionError(f"{exc}\nlast status: {status(router)}") from None


def wait_sas(router, predicate, what, timeout=10):
    return lablib.wait_until(lambda: predicate(sas(router)), timeout, 0.1, what)


def zebra_alive(router):
    router.processes["zebra"].check_running()
    assert router.vty("zebra", "show version").startswith("FRRouting")


@pytest.fixture
def zebra(lab, peer):
    """zebra connected to the fake peer and synchronised."""
    router = start_zebra(lab, peer.path)
    wait_status(router, "zebra established with the fake peer", state="established")
    return router


# --------------------------------------------------------------------------
# connecting


def test_registers_events_then_resyncs_with_list_sas(lab, peer):
    peer.sas.append(ike_sa("gre1", 1, children=[child_sa("gre1", 2, reqid=1)]))
    router = start_zebra(lab, peer.path)
    st = wait_status(router, "established", state="established", resyncs=1)

    packets = peer.packets(connection=1)
    assert [(p.type, p.name) for p in packets] == (
        [(EVENT_REGISTER, e) for e in EVENTS] + [(CMD_REQUEST, "list-sas")])
    assert packets[-1].msg == {}
    assert st["connects"] == 1 and st["reconnects"] == 0
    assert st["events"]["listSa"] == 1
    assert st["ikeSas"] == 1 and st["childSas"] == 1
    assert st["socket"] == peer.path
    assert peer.violations == []

    [ike] = sas(router)
    assert (ike["name"], ike["uniqueid"], ike["state"]) == ("gre1", 1, "ESTABLISHED")
    assert (ike["localHost"], ike["remoteHost"]) == ("20.1.1.1", "20.1.1.2")
    [child] = ike["childSas"]
    assert (child["name"], child["uniqueid"], child["reqid"]) == ("gre1", 2, 1)
    assert child["localTs"] == ["20.1.1.1/32[gre]"]
    assert child["remoteTs"] == ["20.1.1.2/32[gre]"]
    assert child["spiIn"] == "c0000002"

    router.wait_log(r"vici: IKE SA gre1\[1\] up \(resync\) 20\.1\.1\.1 - 20\.1\.1\.2",
                    log="zebra", timeout=5)
    router.wait_log(r"vici: CHILD SA gre1\{2\} of gre1\[1\] up \(resync\) reqid 1",
                    log="zebra", timeout=5)
    text = router.vty("zebra", "show crypto vici")
    assert "State:           established" in text
    assert "SAs:             1 IKE, 1 CHILD" in text


def test_resync_lists_only_sas_that_are_up(lab, peer):
    peer.sas += [
        ike_sa("up", 1, children=[child_sa("up", 10, 1),
                                  child_sa("up", 11, 2, state="REKEYED"),
                                  child_sa("up", 12, 3, state="INSTALLING")]),
        ike_sa("connecting", 2, state="CONNECTING"),
        ike_sa("deleting", 3, state="DELETING"),
    ]
    router = start_zebra(lab, peer.path)
    wait_status(router, "established", state="established")
    assert [(i["name"], [c["uniqueid"] for c in i["childSas"]]) for i in sas(router)] == [
        ("up", [10])]


# --------------------------------------------------------------------------
# events


def test_sa_events_update_the_table(zebra, peer):
    router = zebra
    ike = ike_sa("gre1", 5)
    child = child_sa("gre1", 7, reqid=3, local_ts=["10.0.0.1/32[gre]"],
                     remote_ts=["10.0.0.2/32[gre]", "10.9.0.0/16"])

    since = router.log_size("zebra")
    assert peer.emit("ike-updown", ike_updown_event(True, ike)) == 1
    wait_sas(router, lambda s: [i["uniqueid"] for i in s] == [5], "IKE SA up")
    router.wait_log(r"vici: event ike-updown \{up=yes gre1\{uniqueid=5 ", log="zebra",
                    since=since)
    router.wait_log(r"vici: IKE SA gre1\[5\] up 20\.1\.1\.1 - 20\.1\.1\.2", log="zebra",
                    since=since)

    peer.emit("child-updown", child_updown_event(True, ike, child))
    [entry] = wait_sas(router, lambda s: s if s and s[0]["childSas"] else None,
                       "CHILD SA up")
    [c] = entry["childSas"]
    assert (c["uniqueid"], c["reqid"], c["state"]) == (7, 3, "INSTALLED")
    assert c["remoteTs"] == ["10.0.0.2/32[gre]", "10.9.0.0/16"]

    # rekeying replaces the CHILD SA: same reqid, new uniqueid and SPIs
    new_child = child_sa("gre1", 8, reqid=3, spi_in="c1234567")
    peer.emit("child-rekey", child_rekey_event(ike, child, new_child))
    [entry] = wait_sas(router, lambda s: s if s[0]["childSas"][0]["uniqueid"] == 8
                       else None, "CHILD SA rekeyed")
    assert entry["childSas"][0]["spiIn"] == "c1234567"
    assert len(entry["childSas"]) == 1
    router.wait_log(r"vici: CHILD SA gre1\{8\} of gre1\[5\] rekeyed reqid 3", log="zebra")

    new_ike = ike_sa("gre1", 6)
    peer.emit("ike-rekey", ike_rekey_event(ike, new_ike))
    [entry] = wait_sas(router, lambda s: s if s[0]["uniqueid"] == 6 else None,
                       "IKE SA rekeyed")
    assert [c["uniqueid"] for c in entry["childSas"]] == [8]
    router.wait_log(r"vici: IKE SA gre1\[6\] rekeyed", log="zebra")

    # a CHILD SA down makes the client list again: the peer lists the IKE SA
    peer.sas[:] = [new_ike]
    peer.emit("child-updown", child_updown_event(False, new_ike, new_child))
    wait_sas(router, lambda s: s and s[0]["childSas"] == [], "CHILD SA down")
    router.wait_log(r"vici: event child-updown \{gre1\{", log="zebra")
    router.wait_log(r"vici: CHILD SA gre1\{8\} of gre1\[6\] down reqid 3", log="zebra")

    peer.emit("ike-updown", ike_updown_event(False, new_ike))
    wait_sas(router, lambda s: s == [], "IKE SA down")
    router.wait_log(r"vici: IKE SA gre1\[6\] down", log="zebra")

    st = status(router)
    assert st["events"] == {"total": 6 + st["events"]["listSa"], "ikeUpdown": 2,
                            "childUpdown": 2, "ikeRekey": 1, "childRekey": 1,
                            "listSa": st["events"]["listSa"]}
    assert st["protocolErrors"] == 0


def test_ike_sa_down_takes_its_child_sas(zebra, peer):
    ike = ike_sa("gre1", 5)
    peer.emit("child-updown", child_updown_event(True, ike, child_sa("gre1", 7, 1)))
    peer.emit("child-updown", child_updown_event(True, ike, child_sa("gre1", 9, 2)))
    wait_sas(zebra, lambda s: s and len(s[0]["childSas"]) == 2, "two CHILD SAs")
    since = zebra.log_size("zebra")
    peer.emit("ike-updown", ike_updown_event(False, ike))
    wait_sas(zebra, lambda s: s == [], "all gone")
    log = zebra.wait_log(r"IKE SA gre1\[5\] down", log="zebra", since=since)
    text = log.string
    assert text.index("CHILD SA gre1{7} of gre1[5] down") < log.start()
    assert text.index("CHILD SA gre1{9} of gre1[5] down") < log.start()


def test_event_split_across_writes_and_coalesced_events(zebra, peer):
    first = encode_packet(EVENT, "ike-updown", ike_updown_event(True, ike_sa("a", 1)))
    second = encode_packet(EVENT, "ike-updown", ike_updown_event(True, ike_sa("b", 2)))
    third = encode_packet(EVENT, "ike-updown", ike_updown_event(True, ike_sa("c", 3)))
    # byte by byte across the length header and the body
    for i in range(len(first)):
        peer.send_raw(first[i:i + 1])
        if i < 12:
            time.sleep(0.01)
    # two frames in one write, the second cut in the middle of its header
    peer.send_raw(second + third[:2])
    time.sleep(0.2)
    peer.send_raw(third[2:])
    wait_sas(zebra, lambda s: [i["name"] for i in s] == ["a", "b", "c"], "three SAs")
    assert status(zebra)["protocolErrors"] == 0


def test_unknown_events_and_sections_without_uniqueid_are_ignored(zebra, peer):
    peer.send_raw(encode_packet(EVENT, "ike-update", {"local-host": "1.2.3.4"}))
    peer.emit("ike-updown", {"up": "yes", "broken": {"state": "ESTABLISHED"},
                             "odd": {"uniqueid": "99999999999"}})
    peer.emit("ike-updown", ike_updown_event(True, ike_sa("fine", 4)))
    wait_sas(zebra, lambda s: [i["name"] for i in s] == ["fine"], "only the valid SA")
    st = status(zebra)
    assert st["protocolErrors"] == 0 and st["state"] == "established"


# --------------------------------------------------------------------------
# the peer going away


def test_resync_after_peer_restart(zebra, peer):
    router = zebra
    peer.sas.append(ike_sa("stays", 1, children=[child_sa("stays", 2, 1)]))
    peer.emit("child-updown", child_updown_event(True, ike_sa("stays", 1),
                                                 child_sa("stays", 2, 1)))
    peer.emit("ike-updown", ike_updown_event(True, ike_sa("goes", 3)))
    wait_sas(router, lambda s: len(s) == 2, "two IKE SAs")

    peer.stop()
    st = wait_status(router, "disconnected", state="disconnected")
    assert st["disconnects"] == 1
    # while away the table keeps what it knew: charon may well be alive
    assert len(sas(router)) == 2

    # charon comes back: one SA gone, a new one, a CHILD SA rekeyed meanwhile
    peer.sas[:] = [ike_sa("stays", 1, children=[child_sa("stays", 4, 1)]),
                   ike_sa("new", 5)]
    since = router.log_size("zebra")
    peer.start()
    st = wait_status(router, "re-established", state="established", resyncs=2)
    assert st["reconnects"] == 1
    assert peer.connections == 2
    assert [(p.type, p.name) for p in peer.packets(connection=2)] == (
        [(EVENT_REGISTER, e) for e in EVENTS] + [(CMD_REQUEST, "list-sas")])
    assert [(i["name"], [c["uniqueid"] for c in i["childSas"]]) for i in sas(router)] == [
        ("stays", [4]), ("new", [])]
    for line in (r"IKE SA goes\[3\] down \(resync\)",
                 r"CHILD SA stays\{2\} of stays\[1\] down \(resync\)",
                 r"CHILD SA stays\{4\} of stays\[1\] up \(resync\)",
                 r"IKE SA new\[5\] up \(resync\)"):
        router.wait_log("vici: " + line, log="zebra", since=since, timeout=5)
    assert "IKE SA stays[1] up" not in router.log_path("zebra").read_text()[since:]


def test_reconnects_with_backoff_while_peer_is_down(zebra, peer):
    router = zebra
    attempts = status(router)["connectAttempts"]
    since = router.log_size("zebra")
    peer.stop()
    wait_status(router, "disconnected", state="disconnected")
    # commands are refused while there is no connection
    out = router.vty("zebra", "crypto vici request list-sas", check=False)
    assert "not sent: VICI client disconnected" in out

    # 0.5 s, then doubling: attempts at +0.5, +1.5, +3.5 s, the next at +7.5 s
    lablib.wait_until(lambda: status(router)["connectAttempts"] >= attempts + 3, 10,
                      what="three attempts")
    st = status(router)
    assert st["connectAttempts"] == attempts + 3
    assert st["backoffMs"] == 8000
    assert 0 <= st["nextAttemptMs"] <= 4000
    assert "No such file or directory" in st["lastError"]
    log = router.log_path("zebra").read_text()[since:]
    delays = [int(d) for d in
              re.findall(r"next connection attempt in (\d+) ms", log)]
    assert delays[:4] == [500, 1000, 2000, 4000]
    # only the first failure is logged without debugging
    assert log.count("cannot connect to") >= 3
    assert log.count("retrying with backoff") == 1
    zebra_alive(router)

    peer.start()
    st = wait_status(router, "reconnected after backoff", timeout=15,
                     state="established", resyncs=2)
    assert st["reconnects"] == 1
    # a successful session resets the backoff
    assert st["backoffMs"] == 500


def test_peer_absent_at_startup(lab):
    path = lab.dir / "later.vici"
    router = start_zebra(lab, path)
    wait_status(router, "disconnected", state="disconnected")
    assert status(router)["connects"] == 0
    with FakeVici(path) as fake:
        wait_status(router, "connected once the peer exists", state="established")
        assert fake.connections == 1


def test_clear_reconnects_and_resyncs(zebra, peer):
    zebra.vty("zebra", "clear crypto vici")
    st = wait_status(zebra, "resynced", state="established", resyncs=2)
    assert st["connects"] == 2 and st["disconnects"] == 1
    assert peer.connections == 2


# --------------------------------------------------------------------------
# garbage


def frame(payload):
    return struct.pack(">I", len(payload)) + bytes(payload)


def event_frame(name, body):
    return frame(bytes([EVENT, len(name)]) + name.encode() + bytes(body))


GARBAGE = {
    "length over the limit": (struct.pack(">I", FRAME_MAX + 1), "frame length 524289"),
    "length 4 GiB": (b"\xff\xff\xff\xff", "frame length 4294967295"),
    "empty frame": (b"\0\0\0\0", "frame length 0"),
    "unknown packet type": (frame([9, 0]), "unknown packet type"),
    "name past the end": (frame([EVENT, 40, ord("x")]), "malformed packet"),
    "unknown element type": (event_frame("ike-updown", [9, 1, ord("a")]),
                             "unknown element type"),
    "unbalanced section": (event_frame("ike-updown", [1, 1, ord("s"), 3, 1, ord("k"), 0,
                                                      0]), "unbalanced"),
    "section end at root": (event_frame("ike-updown", [2]), "unbalanced"),
    "value past the end": (event_frame("child-updown", [3, 2, ord("u"), ord("p"),
                                                        0, 200, ord("y")]),
                           "data ends inside an element"),
    "key/value in a list": (event_frame("list-sa", [4, 1, ord("l"), 3, 1, ord("k"),
                                                    0, 0, 6]), "not allowed here"),
    "response nobody asked for": (encode_packet(CMD_RESPONSE, msg={"success": "yes"}),
                                  "unexpected CMD_RESPONSE"),
    "request from the daemon": (encode_packet(CMD_REQUEST, "list-sas"),
                                "unexpected CMD_REQUEST"),
}


@pytest.mark.parametrize("kind", list(GARBAGE))
def test_garbage_drops_the_connection_and_zebra_reconnects(zebra, peer, kind):
    data, error = GARBAGE[kind]
    peer.emit("ike-updown", ike_updown_event(True, ike_sa("kept", 1)))
    wait_sas(zebra, lambda s: len(s) == 1, "an SA before the garbage")
    peer.sas.append(ike_sa("kept", 1))

    assert peer.send_raw(data) == 1
    peer.wait_connections(2)
    st = wait_status(zebra, "re-established", state="established", resyncs=2)
    assert st["protocolErrors"] == 1
    assert error in st["lastError"], st["lastError"]
    assert st["disconnects"] == 1
    zebra.wait_log(r"vici: protocol error from .*" + error.replace("/", "."),
                   log="zebra", timeout=5)
    assert [i["name"] for i in sas(zebra)] == ["kept"]
    zebra_alive(zebra)


def test_largest_frame_is_accepted(zebra, peer):
    """An event of exactly 512 KiB: an IKE SA padded with a long list."""
    msg = ike_updown_event(True, ike_sa("big", 1))
    header = 1 + 1 + len("ike-updown")
    list_overhead = 1 + 1 + len("pad") + 1
    filler = FRAME_MAX - header - len(encode_message(msg)) - list_overhead
    items, size = [], 0
    while filler - size > 200:
        items.append("x" * 100)
        size += 3 + 100
    items.append("y" * (filler - size - 3))
    msg["big"]["pad"] = items
    data = encode_packet(EVENT, "ike-updown", msg)
    assert len(data) == 4 + FRAME_MAX
    assert peer.send_raw(data) == 1
    wait_sas(zebra, lambda s: [i["name"] for i in s] == ["big"], "the big SA")
    assert status(zebra)["protocolErrors"] == 0


def test_flood_of_events_does_not_starve_the_vty(zebra, peer):
    zebra.vty("zebra", "no debug crypto vici")
    ike = ike_sa("flood", 1)
    up = encode_packet(EVENT, "ike-updown", ike_updown_event(True, ike))
    down = encode_packet(EVENT, "ike-updown", ike_updown_event(False, ike))
    sender = threading.Thread(target=peer.send_raw, args=((up + down) * 5000,))
    sender.start()
    try:
        # zebra answers its vty while it works through 5 MB of events
        for _ in range(5):
            started = time.monotonic()
            assert zebra.vty("zebra", "show version").startswith("FRRouting")
            assert time.monotonic() - started < 5
    finally:
        sender.join(60)
    lablib.wait_until(lambda: status(zebra)["events"]["ikeUpdown"] == 10000, 60,
                      what="all 10000 events")
    assert sas(zebra) == []
    assert status(zebra)["protocolErrors"] == 0


# --------------------------------------------------------------------------
# commands


def test_commands_one_at_a_time_in_order(zebra, peer):
    peer.delays = {"load-conn": 0.3, "initiate": 0.3}
    peer.responses["unload-conn"] = {"success": "no", "errmsg": "no such connection"}
    peer.responses["bogus"] = None          # CMD_UNKNOWN
    commands = [
        "crypto vici request load-conn gre1{ version=1 local_addrs=[20.1.1.1] "
        "remote_addrs=[20.1.1.2] proposals=[des-sha1-modp768] local{ auth=psk "
        "id=20.1.1.1 } remote{ auth=psk id=20.1.1.2 } children{ gre1{ mode=transport "
        "local_ts=[dynamic[gre]] remote_ts=[dynamic[gre]] } } }",
        "crypto vici request initiate ike=gre1 child=gre1 timeout=-1",
        "crypto vici request unload-conn name=other",
        "crypto vici request bogus",
        "crypto vici request reload-settings",
    ]
    since = zebra.log_size("zebra")
    out = zebra.vty("zebra", *commands)
    for i in range(1, 6):
        assert f"request #{i} queued" in out

    lablib.wait_until(lambda: status(zebra)["commands"]["queued"] == 0
                      and len(peer.requests()) == 6, 10, what="all answered")
    assert peer.violations == []
    names = [p.name for p in peer.packets(connection=1) if p.type == CMD_REQUEST]
    assert names == ["list-sas", "load-conn", "initiate", "unload-conn", "bogus",
                     "reload-settings"]
    assert peer.requests("load-conn") == [{"gre1": {
        "version": "1", "local_addrs": ["20.1.1.1"], "remote_addrs": ["20.1.1.2"],
        "proposals": ["des-sha1-modp768"],
        "local": {"auth": "psk", "id": "20.1.1.1"},
        "remote": {"auth": "psk", "id": "20.1.1.2"},
        "children": {"gre1": {"mode": "transport", "local_ts": ["dynamic[gre]"],
                              "remote_ts": ["dynamic[gre]"]}}}}]
    assert peer.requests("initiate") == [{"ike": "gre1", "child": "gre1",
                                          "timeout": "-1"}]
    assert peer.requests("reload-settings") == [{}]

    log = zebra.log_path("zebra").read_text()[since:]
    results = [line.split("vici: ", 1)[1] for line in log.splitlines()
               if "vici: request #" in line]
    assert results == [
        "request #1 load-conn: success {success=yes}",
        "request #2 initiate: success {success=yes}",
        "request #3 unload-conn: failed: no such connection "
        "{success=no errmsg=no such connection}",
        "request #4 bogus: unknown command: command not supported by the daemon {}",
        "request #5 reload-settings: success {success=yes}",
    ]
    st = status(zebra)
    assert st["commands"] == {"sent": 5, "succeeded": 3, "failed": 2, "queued": 0,
                              "inFlight": ""}
    assert st["lastRequest"] == "#5 reload-settings: success"
    assert st["state"] == "established"


def test_pending_commands_fail_when_the_peer_goes(zebra, peer):
    peer.delays = {"initiate": 2}
    since = zebra.log_size("zebra")
    zebra.vty("zebra", "crypto vici request initiate ike=x",
              "crypto vici request terminate ike=x")
    peer.wait_for(lambda: peer.requests("initiate"), what="initiate arrived")
    peer.stop()
    zebra.wait_log(r"request #1 initiate: disconnected: connection closed by the daemon",
                   log="zebra", since=since)
    zebra.wait_log(r"request #2 terminate: disconnected", log="zebra", since=since)
    assert status(zebra)["commands"]["queued"] == 0


def test_unanswered_command_times_out_and_resets_the_connection(lab, peer):
    peer.delays = {"initiate": 3}
    router = start_zebra(lab, peer.path, args=",vici-timeout=1")
    wait_status(router, "established", state="established")
    router.wait_log(r"vici: client for .*, commands time out after 1 s", log="zebra",
                    timeout=5)
    router.vty("zebra", "crypto vici request initiate ike=slow",
               "crypto vici request terminate ike=slow")
    router.wait_log(r"vici: no response to initiate within 1000 ms; resetting the "
                    r"connection", log="zebra")
    router.wait_log(r"request #1 initiate: timeout: no response to initiate within "
                    r"1000 ms", log="zebra")
    # what was queued behind it fails too: its answer could not be matched
    router.wait_log(r"request #2 terminate: timeout", log="zebra")
    st = wait_status(router, "re-established", state="established", resyncs=2)
    assert st["commands"]["failed"] == 2
    assert "no response to initiate" in st["lastError"]
    assert peer.requests("terminate") == []


def test_bad_timeout_argument_falls_back_to_default(lab, peer):
    router = start_zebra(lab, peer.path, args=",vici-timeout=0")
    router.wait_log(r"vici: vici-timeout=0 is not 1\.\.3600 seconds; using 60",
                    log="zebra", timeout=5)
    router.wait_log(r"commands time out after 60 s", log="zebra", timeout=5)


def test_no_memory_left_at_exit(lab, peer):
    """FRR's exit memstats list nothing of the client's memory group."""
    peer.sas.append(ike_sa("m", 1, children=[child_sa("m", 2, 1)]))
    router = start_zebra(lab, peer.path, conf="debug memstats-at-exit\n")
    wait_status(router, "established", state="established")
    peer.emit("child-updown", child_updown_event(True, ike_sa("m", 3),
                                                 child_sa("m", 4, 2)))
    peer.delays = {"initiate": 5}
    router.vty("zebra", "crypto vici request load-conn x{ version=1 }",
               "crypto vici request initiate ike=x",
               "crypto vici request reload-settings")
    peer.wait_for(lambda: peer.requests("initiate"), what="initiate in flight")
    peer.send_raw(encode_packet(EVENT, "ike-updown", {"up": "yes"})[:-1])
    # exit with SAs in the table, a command in flight, one queued, a partial frame
    zebra = router.processes["zebra"]
    pid = zebra.pid
    zebra.stop()
    assert zebra.popen.returncode == 0
    out = (router.dir / "zebra.out").read_text()
    assert "showing active allocations in memory group ios-ipsec-suite VICI client" in out
    section = out.split("memory group ios-ipsec-suite VICI client", 1)[1]
    section = section.split("showing active allocations", 1)[0]
    assert "memstats" not in section, section
    for leftover in Path("/tmp").glob(f"frr-memstats-zebra-{pid}-*"):
        leftover.unlink()


def test_secrets_stay_out_of_the_log(zebra, peer):
    zebra.vty("zebra", "crypto vici request load-shared id=psk1 type=IKE "
                       "data=TopSecret owners=[20.1.1.1,20.1.1.2]")
    peer.wait_for(lambda: peer.requests("load-shared"), what="load-shared")
    assert peer.requests("load-shared") == [{
        "id": "psk1", "type": "IKE", "data": "TopSecret",
        "owners": ["20.1.1.1", "20.1.1.2"]}]
    zebra.wait_log(r"request #1 load-shared: success", log="zebra")
    assert "TopSecret" not in zebra.log_path("zebra").read_text()
    zebra.wait_log(r"sending CMD_REQUEST load-shared \{id=psk1 type=IKE "
                   r"data=<9 bytes> owners=\[20\.1\.1\.1,20\.1\.1\.2\]\}", log="zebra")


def test_bad_request_arguments_are_refused(zebra, peer):
    out = zebra.vty("zebra", "crypto vici request load-conn gre1{ version=1",
                    check=False)
    assert "unbalanced" in out
    out = zebra.vty("zebra", "crypto vici request load-conn }", check=False)
    assert "unbalanced" in out
    out = zebra.vty("zebra", "crypto vici request load-conn junk", check=False)
    assert "cannot use 'junk'" in out
    time.sleep(0.3)
    assert peer.requests("load-conn") == []


# --------------------------------------------------------------------------
# odd peers and settings


def test_unknown_event_registration_is_tolerated(lab, peer):
    peer.unknown_events.add("ike-rekey")
    router = start_zebra(lab, peer.path)
    st = wait_status(router, "established", state="established")
    assert "does not know event ike-rekey" in st["lastError"]
    assert peer.registered() == set(EVENTS) - {"ike-rekey"}
    router.wait_log(r"does not know event ike-rekey: SA state may be incomplete",
                    log="zebra", timeout=5)


def test_client_disabled_by_module_argument(lab):
    router = start_zebra(lab, "off")
    st = status(router)
    assert st["state"] == "disabled" and st["connectAttempts"] == 0
    out = router.vty("zebra", "clear crypto vici", check=False)
    assert "VICI client is disabled" in out


def test_default_socket_is_run_charon_vici(lab):
    router = lab.add_router("r1", charon=False, daemons=("zebra",),
                            daemon_args={"zebra": ["-M", "ios_crypto"]})
    st = status(router)
    assert st["socket"] == "/run/charon.vici"
    # the lab's private /run has no charon: retrying, quietly
    lablib.wait_until(lambda: status(router)["state"] == "disconnected", 10,
                      what="disconnected")


def test_debug_can_be_switched_at_runtime(lab, peer):
    router = start_zebra(lab, peer.path, debug=False)
    wait_status(router, "established", state="established")
    assert "vici: event" not in router.log_path("zebra").read_text()
    assert "VICI" not in router.vty("zebra", "show debugging")
    router.vty("zebra", "debug crypto vici")
    assert "IOS crypto VICI client debugging is on" in router.vty("zebra", "show debugging")
    since = router.log_size("zebra")
    peer.emit("ike-updown", ike_updown_event(True, ike_sa("dbg", 1)))
    router.wait_log(r"vici: event ike-updown \{up=yes dbg\{", log="zebra", since=since)
    router.vty("zebra", "no debug crypto vici")
    since = router.log_size("zebra")
    peer.emit("ike-updown", ike_updown_event(False, ike_sa("dbg", 1)))
    wait_sas(router, lambda s: s == [], "SA down")
    assert "vici: event" not in router.log_path("zebra").read_text()[since:]
