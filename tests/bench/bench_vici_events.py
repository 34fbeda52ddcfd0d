#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""VICI events per second processed by zebra's VICI client (zebra_ios_crypto
module), against minimal Python readers of the same bytes on a socket
pair, so the ratio says how close zebra comes to the socket's speed.

tests/lab/fake_vici.py plays charon and writes N events in one go (the real
wire protocol, encoded before the clock starts): for S SAs named
bench-SEQ, S ike-updown up, S child-updown up, S child-updown down, S
ike-updown down (N = 4 S; the SA table grows to S and empties again).
zebra has processed an event when its "show crypto vici json" counter
events.total has counted it: the client counts and handles each event in
one go on zebra's single thread, and the vty is served by the same thread.
The clock stops when the counter reaches N (polled every POLL seconds).

Scenarios: no crypto configuration; then, for each count in MAPS, as
many crypto map entries with their tunnels, the first of the SAs
belonging to them (name bench-SEQ, remote host = set peer), so each of
their CHILD SA events moves a map entry and its tunnel. The configuration
is entered in one transaction (zebra runs with --tcli and the vty session
ends with "commit"): with one commit per command, 1000 tunnels take zebra
half an hour (doc/frr-module.md), and how the configuration got there does
not matter to the events. Baselines: raw recv() of the bytes, a Python
reader that splits the frames, and one that also decodes every message
(fake_vici.decode_packet, the full parse zebra does too).

With --baseline DIR, every zebra scenario runs a second time with the
module in DIR (e.g. an older commit built into another build directory),
in the same run, and the table shows both and their ratio.

Usage: bench_vici_events [--sas 2500] [--maps 10,100,1000] [--rounds 3]
                         [--baseline MODULEDIR]
(run as root; tests/bench/run builds and runs it; the module is taken from
the build tree unless SUITE_FRR_MODULEDIR says otherwise)
"""

import argparse
import ipaddress
import json
import os
import socket
import statistics
import struct
import sys
import threading
import time
from pathlib import Path

TOP = Path("@TOP_SRCDIR@")
if not (TOP / "tests" / "lab" / "lab.py").exists():     # run from the source tree
    TOP = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(TOP / "tests" / "lab"))

import lab as lablib  # noqa: E402
from fake_vici import (FakeVici, child_sa, child_updown_event, decode_packet,  # noqa: E402
                       event_frames, ike_sa, ike_updown_event)

BUILD_MODULEDIR = TOP / "build" / "frr-integration" / "zebra" / ".libs"
LOCAL = "20.1.1.1"
PEERS = ipaddress.IPv4Address("20.2.0.1")
POLL = 0.01


# --- the events ------------------------------------------------------------------

def sa_pair(i):
    name = f"bench-{i + 1}"
    ike = ike_sa(name, 2 * i + 1, local=LOCAL, remote=str(PEERS + i))
    child = child_sa(name, i + 1, reqid=i + 1, local_ts=(f"{LOCAL}/32[gre]",),
                     remote_ts=(f"{PEERS + i}/32[gre]",))
    return ike, child


def events(sas):
    pairs = [sa_pair(i) for i in range(sas)]
    return ([("ike-updown", ike_updown_event(True, ike)) for ike, _ in pairs]
            + [("child-updown", child_updown_event(True, ike, c)) for ike, c in pairs]
            + [("child-updown", child_updown_event(False, ike, c)) for ike, c in pairs]
            + [("ike-updown", ike_updown_event(False, ike)) for ike, _ in pairs])


def map_commands(count):
    """count crypto map entries bench SEQ with a tunnel each."""
    cmds = ["crypto ipsec transform-set bench esp-aes 256 esp-sha-hmac",
            "mode transport", "exit"]
    for i in range(count):
        peer, acl = PEERS + i, 100 + i % 100
        cmds += [f"crypto map bench {i + 1} ipsec-isakmp", f"set peer {peer}",
                 "set transform-set bench", f"match address {acl}", "exit",
                 f"access-list {acl} permit gre host {LOCAL} host {peer}",
                 f"interface Tunnel{i}", f"tunnel source {LOCAL}",
                 f"tunnel destination {peer}", "crypto map bench", "exit"]
    return cmds


# --- zebra -------------------------------------------------------------------------

def vici_status(router):
    return json.loads(router.vty("zebra", "show crypto vici json"))


def zebra_rate(router, peer, frames):
    """Events per second zebra processes, from the first byte sent."""
    before = vici_status(router)
    if before["state"] != "established":
        raise SystemExit(f"VICI client not established: {before}")
    target = before["events"]["total"] + len(frames)
    sender = threading.Thread(target=peer.emit_many, args=(frames,))
    began = time.perf_counter()
    sender.start()
    while True:
        st = vici_status(router)
        if st["events"]["total"] >= target:
            elapsed = time.perf_counter() - began
            break
        if time.perf_counter() - began > 1800:
            raise SystemExit(f"zebra processed {st['events']['total'] - target + len(frames)}"
                             f" of {len(frames)} events in 1800 s")
        time.sleep(POLL)
    sender.join()
    if st["ikeSas"] or st["childSas"] or st["protocolErrors"] != before["protocolErrors"] \
            or st["state"] != "established":
        raise SystemExit(f"zebra's table is not empty after the events: {st}")
    return len(frames) / elapsed


def map_entries(router):
    out = router.vty("zebra",
                     "show yang operational-data /ios-ipsec-suite:ios format json")
    maps = json.loads(out or "{}").get("ios-ipsec-suite:ios", {}).get(
        "crypto", {}).get("map", [])
    return maps


# --- baselines ------------------------------------------------------------------------

def over_socketpair(blob, reader):
    """Time reader(sock, len(blob)) while a thread writes blob."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    sender = threading.Thread(target=theirs.sendall, args=(blob,))
    try:
        began = time.perf_counter()
        sender.start()
        count = reader(ours, len(blob))
        elapsed = time.perf_counter() - began
        sender.join()
    finally:
        ours.close()
        theirs.close()
    return count, elapsed


def raw_reader(sock, size):
    got = 0
    while got < size:
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError
        got += len(chunk)
    return None


def frame_reader(decode):
    def read(sock, size):
        stream = sock.makefile("rb")
        count = got = 0
        while got < size:
            (length,) = struct.unpack(">I", stream.read(4))
            payload = stream.read(length)
            if decode:
                decode_packet(payload)
            count += 1
            got += 4 + length
        return count
    return read


def baseline_rates(frames, rounds):
    blob = b"".join(frame for _, frame in frames)
    rates = {}
    for label, reader in (("raw recv()", raw_reader),
                          ("Python frame reader", frame_reader(False)),
                          ("Python frames + decode", frame_reader(True))):
        samples = []
        for _ in range(rounds):
            count, elapsed = over_socketpair(blob, reader)
            if count is not None and count != len(frames):
                raise SystemExit(f"{label}: {count} of {len(frames)} frames")
            samples.append(len(frames) / elapsed)
        rates[label] = statistics.median(samples)
    return rates, len(blob)


# --- the run -----------------------------------------------------------------------------

def start_zebra(lab, name, peer, moduledir):
    """A zebra with the module from moduledir, established with peer.

    Without the periodic list-sas (vici-refresh=0): it is no part of what
    is measured, and behind a backlog of events its answer comes late - a
    slow build (the old one at 1000 entries) timed out on it, reconnected
    and lost the rest of the events."""
    os.environ["SUITE_FRR_MODULEDIR"] = str(moduledir)
    router = lab.add_router(
        name, charon=False, daemons=("zebra",),
        daemon_args={"zebra": ["--tcli", "-M",
                               f"ios_crypto:vici={peer.path},vici-refresh=0"]})
    lablib.wait_until(lambda: vici_status(router)["state"] == "established",
                      20, 0.1, f"{name}: zebra established with the fake peer")
    return router


def configure(router, maps):
    """maps entries with tunnels, in one transaction."""
    router.vty("zebra", "configure terminal", *map_commands(maps), "commit",
               timeout=1800)
    entries = map_entries(router)
    if len(entries) != maps or any(e["state"]["status"] != "active" for e in entries):
        raise SystemExit(f"{router.name}: crypto map entries not all active")


def scenario_rate(router, peer, frames, rounds, maps):
    """Median events/s; checks that every round moved every entry twice."""
    before = sum(e["state"].get("sa-changes", 0) for e in map_entries(router))
    rate = statistics.median(zebra_rate(router, peer, frames) for _ in range(rounds))
    changes = sum(e["state"].get("sa-changes", 0) for e in map_entries(router)) - before
    if changes != 2 * maps * rounds:
        raise SystemExit(f"{router.name}: {changes} SA changes of the map entries, "
                         f"expected {2 * maps * rounds}")
    return rate


def bench_module(lab, name, moduledir, frames, args):
    """{scenario: events/s} for one build of the module; a zebra and a fake
    peer per scenario (the peer stops afterwards, so that zebra idles)."""
    results = {}
    for maps in [0] + args.maps:
        label = f"{maps} map entries" if maps else "no crypto config"
        with FakeVici(lab.dir / f"{name}{maps}.vici") as peer:
            router = start_zebra(lab, f"{name}{maps}", peer, moduledir)
            if maps:
                configure(router, maps)
            results[label] = scenario_rate(router, peer, frames, args.rounds, maps)
        print(f"  {name}: {label}: {results[label]:.0f} events/s", flush=True)
    return results


def bench(args):
    frames = event_frames(events(args.sas))
    modules = {"new": Path(os.environ.get("SUITE_FRR_MODULEDIR", BUILD_MODULEDIR))}
    if args.baseline:
        modules["base"] = Path(args.baseline)
    with lablib.Lab() as lab:
        results = {name: bench_module(lab, name, moduledir, frames, args)
                   for name, moduledir in modules.items()}
    baselines, size = baseline_rates(frames, args.rounds)
    return results, baselines, len(frames), size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sas", type=int, default=2500,
                        help="SAs; 4 events each (default 2500: 10000 events)")
    parser.add_argument("--maps", default="10,100,1000",
                        type=lambda v: [int(n) for n in v.split(",") if n],
                        help="crypto map entry counts (with tunnels), comma-separated")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", metavar="MODULEDIR",
                        help="another build of the module to run every scenario with")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("bench_vici_events: needs root (network namespaces)")
    if any(maps > args.sas for maps in args.maps):
        raise SystemExit("bench_vici_events: --maps must not exceed --sas")
    os.environ.setdefault("SUITE_FRR_MODULEDIR", str(BUILD_MODULEDIR))

    results, baselines, count, size = bench(args)
    print(f"{count} VICI events ({args.sas} SAs: ike-updown up, child-updown up/down, "
          f"ike-updown down), {size / count:.0f} bytes each on average, "
          f"median of {args.rounds} rounds")
    raw = baselines["raw recv()"]
    decode = baselines["Python frames + decode"]
    head = f"{'scenario':<24} {'zebra ev/s':>11}"
    if args.baseline:
        head += f" {'baseline ev/s':>14} {'ratio':>8}"
    print(head + f" {'vs raw recv':>12} {'vs decode':>10}")
    for label, rate in results["new"].items():
        line = f"{label:<24} {rate:>11.0f}"
        if args.baseline:
            base = results["base"][label]
            line += f" {base:>14.0f} {rate / base:>7.2f}x"
        print(line + f" {rate / raw:>11.3f}x {rate / decode:>9.2f}x")
    for label, rate in baselines.items():
        print(f"{label:<24} {rate:>11.0f} {'':>{24 if args.baseline else 0}}"
              f"{rate / raw:>11.3f}x {rate / decode:>9.2f}x")


if __name__ == "__main__":
    main()
