#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""How fast the peer's RIB follows a lost and a returning IPsec SA, with the
zebra module's tunnels following their SAs and without (the baseline), in
one run; prints median and worst of each and the ratios baseline/module.

Two routers in the namespace lab, zebra + ripd each, RIPv2 over Tunnel0
(a veth pair standing in for GRE: this kernel has none), stub networks on
lo; the figure is the time until r2's zebra (`show ip route json`, polled)
no longer has / again has the RIP route to r1's 192.168.1.0/24.

- module: zebra_ios_crypto with tunnel-device=adopt and a fake charon per
  router; the SA is lost by a child-updown event (down) and comes back by
  one with up = yes, reported by both routers' charons at once (IKEv1
  deletes a CHILD SA on both ends with a Delete notification). Each
  Tunnel0 goes down, each ripd withdraws at once.
- module, one side: only r1's charon reports; r2 then sees the veth's
  carrier go. That is a veth artefact (the kernel's linkwatch delivers
  carrier changes up to 1 s late), shown for completeness.
- baseline: plain zebra, Tunnel0 up and addressed by hand, as IOS keeps a
  tunnel up whatever its SA does. The SA loss is what a dead SA does to
  GRE: packets black-holed, here by an xfrm "block" policy on Tunnel0's
  traffic on both routers; r2 keeps the route until RIP's timeout (180 s
  unless --rip-timers says otherwise) and relearns it with the next
  update after the block is lifted.

Usage: bench_tunnel_convergence [--repetitions 20] [--baseline-repetitions 3]
                                [--rip-timers UPDATE,TIMEOUT,GARBAGE]
(run as root; tests/bench/run builds and runs it; a quick run:
 --repetitions 5 --baseline-repetitions 2 --rip-timers 5,15,10)
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

TOP = Path("@TOP_SRCDIR@")
if not (TOP / "tests" / "lab" / "lab.py").exists():     # run from the source tree
    TOP = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(TOP / "tests" / "lab"))

BUILD_MODULES = TOP / "build" / "frr-integration" / "zebra" / ".libs"
if (BUILD_MODULES / "zebra_ios_crypto.so").exists():
    os.environ.setdefault("SUITE_FRR_MODULEDIR", str(BUILD_MODULES))

import lab as lablib  # noqa: E402
from fake_vici import FakeVici, child_sa, child_updown_event, ike_sa  # noqa: E402

ADDR = {"r1": "20.1.1.1", "r2": "20.1.1.2"}
TUN = {"r1": "10.10.10.1", "r2": "10.10.10.2"}
LAN = {"r1": "192.168.1.0/24", "r2": "172.16.1.0/24"}
LAN_IP = {"r1": "192.168.1.1/24", "r2": "172.16.1.1/24"}
PEER = {"r1": "r2", "r2": "r1"}
WATCHED = LAN["r1"]          # r1's LAN as r2 sees it
POLL = 0.01


def ios_config(name):
    me, peer = ADDR[name], ADDR[PEER[name]]
    return [
        "crypto ipsec transform-set test esp-des esp-sha-hmac", "mode transport", "exit",
        f"access-list 101 permit gre host {me} host {peer}",
        "crypto map test 10 ipsec-isakmp", f"set peer {peer}",
        "set transform-set test", "match address 101", "exit",
        "interface Tunnel0", f"ip address {TUN[name]} 255.255.255.252",
        "tunnel source eth0", f"tunnel destination {peer}", "crypto map test", "exit",
    ]


def ripd_config(name, timers):
    return (f"router rip\n version 2\n network 10.10.10.0/30\n network {LAN[name]}\n"
            f" passive-interface lo\n timers basic {' '.join(map(str, timers))}\n")


class Pair:
    """Two routers joined by eth0 and by the Tunnel0 stand-in."""

    def __init__(self, lab, with_module, timers):
        self.lab = lab
        self.with_module = with_module
        self.vici = {}
        self.routers = {}
        for name in ("r1", "r2"):
            args = {}
            if with_module:
                self.vici[name] = FakeVici(lab.dir / f"{name}.vici").start()
                args = {"zebra": ["-M", f"ios_crypto:vici={self.vici[name].path},"
                                        "tunnel-device=adopt"]}
            self.routers[name] = lab.add_router(
                name, charon=False, daemons=("zebra", "ripd"), start=False,
                daemon_args=args, frr_conf={"ripd": ripd_config(name, timers)})
        r1, r2 = self.routers["r1"], self.routers["r2"]
        lab.link(r1, "eth0", f"{ADDR['r1']}/24", r2, "eth0", f"{ADDR['r2']}/24")
        lablib.run(["ip", "-n", r1.ns, "link", "add", "Tunnel0", "type", "veth",
                    "peer", "name", "Tunnel0", "netns", r2.ns])
        for name, router in self.routers.items():
            router.addr("lo", LAN_IP[name])
            if not with_module:
                router.addr("Tunnel0", f"{TUN[name]}/30")
            router.start()
            if with_module:
                lablib.wait_until(lambda: json.loads(router.vty(
                    "zebra", "show crypto vici json"))["state"] == "established",
                    30, 0.1, f"{name}: VICI established")
                router.vty("zebra", "configure terminal", *ios_config(name))
                self.sa(name, True)
        self.wait_converged()

    def sa(self, name, up):
        """charon (the fake) reports the CHILD SA of test 10 up or down."""
        ike = ike_sa("test-10", 1, local=ADDR[name], remote=ADDR[PEER[name]])
        child = child_sa("test-10", 2, reqid=1)
        listed = ike_sa("test-10", 1, local=ADDR[name], remote=ADDR[PEER[name]],
                        children=[child])
        self.vici[name].sas[:] = [listed] if up else []
        self.vici[name].emit("child-updown", child_updown_event(up, ike, child))

    def sa_both(self, up):
        for name in ("r1", "r2"):
            self.sa(name, up)

    def black_hole(self, on):
        """A dead SA without tunnel following: GRE traffic dropped both ways."""
        for router in self.routers.values():
            router.ip("xfrm", "policy", "add" if on else "delete",
                      "src", "10.10.10.0/30", "dst", "0.0.0.0/0", "dir", "out",
                      *(["action", "block"] if on else []))

    def has_route(self, name, prefix):
        out = self.routers[name].vty("zebra", f"show ip route {prefix} json", check=False)
        routes = json.loads(out or "{}").get(prefix, [])
        return any(r.get("protocol") == "rip" and r.get("selected") for r in routes)

    def wait_converged(self, timeout=300):
        for name in ("r1", "r2"):
            far = LAN[PEER[name]]
            lablib.wait_until(lambda: self.has_route(name, far), timeout, 0.1,
                              f"{name}: RIP route to {far}")

    def time_until(self, present, timeout):
        """Seconds until r2's RIB has (or no longer has) the watched route."""
        start = time.monotonic()
        while self.has_route("r2", WATCHED) != present:
            if time.monotonic() - start > timeout:
                raise lablib.LabError(f"route still {'absent' if present else 'present'} "
                                      f"after {timeout:.0f}s")
            time.sleep(POLL)
        return time.monotonic() - start

    def stop(self):
        for vici in self.vici.values():
            vici.stop()


def measure(pair, repetitions, lose, restore, timeout, label):
    downs, ups = [], []
    for i in range(repetitions):
        lose()
        downs.append(pair.time_until(False, timeout))
        restore()
        ups.append(pair.time_until(True, timeout))
        pair.wait_converged()
        print(f"  {label} {i + 1}/{repetitions}: down {downs[-1] * 1000:8.1f} ms, "
              f"up {ups[-1] * 1000:8.1f} ms", flush=True)
    return downs, ups


def summary(values):
    return statistics.median(values), max(values)


def fmt(seconds):
    return f"{seconds * 1000:9.1f} ms" if seconds < 10 else f"{seconds:9.2f} s "


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repetitions", type=int, default=20)
    p.add_argument("--baseline-repetitions", type=int, default=3,
                   help="each takes up to the RIP timeout plus an update interval")
    p.add_argument("--rip-timers", default="30,180,120",
                   help="UPDATE,TIMEOUT,GARBAGE seconds for both runs (RIP's defaults)")
    args = p.parse_args(argv)
    timers = tuple(int(x) for x in args.rip_timers.split(","))
    if len(timers) != 3:
        p.error("--rip-timers takes UPDATE,TIMEOUT,GARBAGE")
    update, rip_timeout, _ = timers
    print(f"module: {os.environ.get('SUITE_FRR_MODULEDIR', 'installed')}, "
          f"RIP timers {timers}, {args.repetitions} + {args.baseline_repetitions} repetitions")

    with lablib.Lab() as lab:
        pair = Pair(lab, True, timers)
        module = measure(pair, args.repetitions,
                         lambda: pair.sa_both(False), lambda: pair.sa_both(True),
                         60, "module  ")
        one_sided = measure(pair, args.repetitions,
                            lambda: pair.sa("r1", False), lambda: pair.sa("r1", True),
                            60, "r1 only ")
        pair.stop()
    with lablib.Lab() as lab:
        pair = Pair(lab, False, timers)
        limit = rip_timeout + 2 * update + 30
        baseline = measure(pair, args.baseline_repetitions,
                           lambda: pair.black_hole(True), lambda: pair.black_hole(False),
                           limit, "baseline")

    print("\nroute to 192.168.1.0/24 in r2's RIB after r1's SA is lost / back")
    print(f"{'':24}{'median':>12}{'worst':>12}")
    rows = (("module   SA lost", module[0]), ("module   SA back", module[1]),
            ("r1 only  SA lost", one_sided[0]), ("r1 only  SA back", one_sided[1]),
            ("baseline SA lost", baseline[0]), ("baseline SA back", baseline[1]))
    for label, values in rows:
        med, worst = summary(values)
        print(f"{label:24}{fmt(med):>12}{fmt(worst):>12}")
    for what, i in (("lost", 0), ("back", 1)):
        ratio = statistics.median(baseline[i]) / statistics.median(module[i])
        print(f"ratio baseline/module, SA {what} (medians): {ratio:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
