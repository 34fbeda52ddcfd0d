#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Guest half of tests/bench/bench_vm_seed_convergence.py (VM lab).

Usage: seed-convergence.py [--repetitions 20] [--baseline-repetitions 2]

Module: the routers of the IOS example (tests/fixtures/seed, as
seed-routers.py), the CHILD SA deleted on 101 over VICI, repetitions
times. Per repetition, from the kernels' own timestamps (ip -ts monitor
xfrm/route/link): "SA lost" is 101's first ESP state deleted, "withdrawn"
the moment 102's FIB loses 192.168.1.0/24 (RTM_DELROUTE or Tunnel0 down);
"SA up" is the last ESP state added on either router, "back" 102's
RTM_NEWROUTE of 192.168.1.0/24 via Tunnel0.

Baseline: the same routers without the module (zebra without -M
ios_crypto): Tunnel0 a GRE device made with ip, the IPsec connection
loaded into charon by hand (swanctl, pre-shared key: the authentication
does not matter here), RIP configured in vtysh. The SA deleted by hand
stays lost: a "block" policy for GRE on both routers stands for the SA
charon would otherwise bring back at the first packet; 102 keeps the
route until RIP's timeout (180 s); "SA up" is the block lifted and the
SA initiated again, "back" the route relearnt.

Writes $VM_RESULTS/convergence.json: {"module": {...}, "baseline": {...}}
with the lists of seconds per measurement.
"""

import importlib.util
import json
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("seed_faults", HERE / "seed-faults.py")
faults = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(faults)
seed = faults.seed
lablib = seed.lablib
step, check = seed.step, seed.check
RESULTS = seed.RESULTS


class Monitor:
    """ip -ts monitor of one router, to a file; events by regex and time."""

    def __init__(self, router, what, name):
        self.log = RESULTS / f"{name}.log"
        # ip monitor knows no xfrm: ip xfrm monitor does
        argv = ["xfrm", "monitor"] if what == ["xfrm"] else ["monitor", *what]
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", router.ns, "ip", "-ts", *argv],
            stdout=open(self.log, "w"), stderr=subprocess.DEVNULL)

    def times(self, regex, since):
        stamps = [datetime.fromisoformat(m.group(1)).timestamp()
                  for m in re.finditer(r"^\[(\S+)\] " + regex, self.log.read_text(),
                                       re.MULTILINE)]
        return [t for t in stamps if t >= since]

    def first(self, regex, since, timeout, what):
        return lablib.wait_until(lambda: (self.times(regex, since) or [None])[0],
                                 timeout, 0.05, what)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)


LAN101 = re.escape("192.168.1.0/24")
WITHDRAWN = rf"(?:Deleted {LAN101} |\d+: Tunnel0@\S+: <(?![^>]*\bUP\b)[^>]*>)"
BACK = rf"{LAN101} .*dev Tunnel0"
SA_DELETED = r"Deleted src \S+ dst \S+\s*\n\s*proto esp"
SA_ADDED = r"src \S+ dst \S+\s*\n\s*proto esp"


def monitors(routers, tag):
    return {name: {"xfrm": Monitor(r.router if hasattr(r, "router") else r, ["xfrm"],
                                   f"{tag}-xfrm-{name}"),
                   "route": Monitor(r.router if hasattr(r, "router") else r,
                                    ["link", "route"], f"{tag}-route-{name}")}
            for name, r in routers.items()}


def repetition(mons, lose, restore, timeout_lost, what):
    """(withdrawn - SA lost, back - SA up) in seconds, kernel clocks."""
    t0 = time.time()
    lose()
    lost = mons["101"]["xfrm"].first(SA_DELETED, t0, 30, f"{what}: 101 SA deleted")
    gone = mons["102"]["route"].first(WITHDRAWN, t0, timeout_lost, f"{what}: 102 withdrew")
    restore()
    back = mons["102"]["route"].first(BACK, gone, 300, f"{what}: 102 route back")
    # the SA up that the route waited for: the last ESP state added before it
    ups = [t for name in mons for t in mons[name]["xfrm"].times(SA_ADDED, lost) if t <= back]
    if not ups:
        raise AssertionError(f"{what}: no ESP SA added before the route came back")
    return gone - lost, back - max(ups)


def module_run(lab, repetitions):
    step(f"module: the seed's routers, {repetitions} SA deletions on 101")
    routers = faults.bring_up(lab)
    mons = monitors(routers, "module")
    vici = faults.Vici(routers["101"].router.dir / "charon.vici")
    time.sleep(2)
    lost, back, overtaken = [], [], []
    try:
        i = 0
        while len(lost) < repetitions and i < 2 * repetitions:
            i += 1

            def lose():
                reply = vici.request("terminate", {"child": "test-10", "timeout": "-1"})
                if reply.get("success") != "yes":
                    raise AssertionError(f"terminate: {reply}")
            # the module initiates again by itself
            try:
                w, b = repetition(mons, lose, lambda: None, 10, f"module {i}")
            except lablib.LabError as e:
                # a Quick Mode under way replaced the SA: no outage to time
                overtaken.append(i)
                print(f"            module {i}: overtaken ({e})", flush=True)
            else:
                lost.append(w)
                back.append(b)
                print(f"            module {i}: withdrawn {w:.3f} s after the SA loss, "
                      f"back {b:.3f} s after the SA", flush=True)
            # both routers' RIB settled before the next one
            seed.until(lambda: routers["101"].rip_route() and routers["102"].rip_route(),
                       60, f"module {i}: routes in both RIBs")
    finally:
        vici.close()
        for m in mons.values():
            for mon in m.values():
                mon.stop()
    return {"withdrawn_s": lost, "back_s": back, "overtaken": overtaken}


BASELINE_SWANCTL = """
connections {{
    test-10 {{
        version = 1
        local_addrs = {me}
        remote_addrs = {peer}
        proposals = des-sha1-modp768
        local {{
            auth = psk
            id = {me}
        }}
        remote {{
            auth = psk
            id = {peer}
        }}
        children {{
            test-10 {{
                mode = transport
                esp_proposals = des-sha1
                local_ts = {me}/32[gre]
                remote_ts = {peer}/32[gre]
            }}
        }}
    }}
}}
secrets {{
    ike-1 {{
        id-1 = {me}
        id-2 = {peer}
        secret = baseline-only
    }}
}}
"""

BASELINE_PLUGINS = ("random nonce openssl pem pkcs1 x509 pubkey hmac sha1 "
                    "kernel-netlink socket-default vici")


def baseline_router(lab, name):
    a = seed.ROUTERS[name]
    return lab.add_router(
        f"b{name}", start=False, daemons=("zebra", "ripd"),
        charon_conf=f"charon {{\n load_modular = no\n load = {BASELINE_PLUGINS}\n}}\n"
                    f"swanctl {{\n load = random openssl pem pkcs1 x509 pubkey\n}}\n"), a


def block(router, me, peer, on):
    """A block policy for GRE out of this router (the lost SA's traffic).
    Its selector differs from charon's (the kernel keeps one policy per
    selector), priority 1 puts it first."""
    verb = "add" if on else "delete"
    net = me.rsplit(".", 1)[0] + ".0/24"
    args = ["ip", "xfrm", "policy", verb, "src", net, "dst", f"{peer}/32",
            "proto", "gre", "dir", "out"]
    if on:
        args += ["action", "block", "priority", "1"]
    router.exec(args)


def baseline_run(lab, repetitions):
    step(f"baseline: no module, tunnel by hand, {repetitions} SA deletions (RIP timeout)")
    routers = {}
    for name in ("101", "102"):
        routers[name] = baseline_router(lab, name)
    r1, a1 = routers["101"]
    r2, a2 = routers["102"]
    lab.link(r1, "eth0", f"{a1['eth0']}/24", r2, "eth0", f"{a2['eth0']}/24")
    for r, a in routers.values():
        peer = a2["eth0"] if a is a1 else a1["eth0"]
        r.ip("link", "add", "Loopback0", "type", "dummy")
        r.ip("addr", "add", f"{a['lan']}/24", "dev", "Loopback0")
        r.ip("link", "set", "Loopback0", "up")
        r.ip("link", "add", "Tunnel0", "type", "gre", "local", a["eth0"], "remote", peer)
        r.ip("addr", "add", f"{a['tunnel']}/30", "dev", "Tunnel0")
        # Linux makes point-to-point GRE devices without IFF_MULTICAST, and
        # ripd would neither join 224.0.0.9 nor send on them
        r.ip("link", "set", "Tunnel0", "mtu", "1420", "multicast", "on", "up")
        r.start()
        r.load_swanctl(BASELINE_SWANCTL.format(me=a["eth0"], peer=peer))
    for r, a in routers.values():
        lan = "192.168.1.0/24" if a is a1 else "172.16.1.0/24"
        r.vtysh("configure terminal", "router rip", "version 2", "network 10.10.10.0/30",
                f"network {lan}", "passive-interface eth0")
    r1.swanctl("--initiate", "--child", "test-10")
    byname = {"101": r1, "102": r2}

    def has_route(r, prefix):
        routes = r.vtysh_json(f"show ip route {prefix} json").get(prefix, [])
        return any(e.get("protocol") == "rip" and e.get("selected") for e in routes)
    lablib.wait_until(lambda: has_route(r2, "192.168.1.0/24") and
                      has_route(r1, "172.16.1.0/24"), 180, 0.5, "baseline: RIP routes")
    mons = monitors(byname, "baseline")
    time.sleep(2)
    lost, back = [], []
    try:
        for i in range(1, repetitions + 1):
            def lose():
                block(r1, a1["eth0"], a2["eth0"], True)
                block(r2, a2["eth0"], a1["eth0"], True)
                r1.swanctl("--terminate", "--child", "test-10")

            def restore():
                block(r1, a1["eth0"], a2["eth0"], False)
                block(r2, a2["eth0"], a1["eth0"], False)
                r1.swanctl("--initiate", "--child", "test-10")
            w, b = repetition(mons, lose, restore, 400, f"baseline {i}")
            lost.append(w)
            back.append(b)
            print(f"            baseline {i}: withdrawn {w:.2f} s after the SA loss, "
                  f"back {b:.2f} s after the SA", flush=True)
            lablib.wait_until(lambda: has_route(r1, "172.16.1.0/24"), 300, 0.5,
                              f"baseline {i}: 101 route back")
    finally:
        for m in mons.values():
            for mon in m.values():
                mon.stop()
    return {"withdrawn_s": lost, "back_s": back}


def main():
    argv = sys.argv[1:]
    reps = int(argv[argv.index("--repetitions") + 1]) if "--repetitions" in argv else 20
    breps = (int(argv[argv.index("--baseline-repetitions") + 1])
             if "--baseline-repetitions" in argv else 2)
    RESULTS.mkdir(parents=True, exist_ok=True)
    seed.load_kernel_modules()
    out = {"module": seed.in_lab(lambda lab: module_run(lab, reps))}
    with lablib.Lab() as lab:
        out["baseline"] = baseline_run(lab, breps)
    out["wall_seconds"] = round(time.monotonic() - seed.T0, 1)
    (RESULTS / "convergence.json").write_text(json.dumps(out, indent=1))
    step(f"done in {out['wall_seconds']} s")


if __name__ == "__main__":
    main()
