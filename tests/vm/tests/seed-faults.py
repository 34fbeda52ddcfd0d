#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Faults in the IOS example (VM lab): tests/vm/run-vm-test seed-faults.

The two routers of seed-routers.py (same bring-up, same configuration
files), then, with a ping 192.168.1.1 -> 172.16.1.1 running all along:

  (a) the CHILD SA deleted on 101 (a Delete notification reaches 102),
  (b) charon on 101 killed (SIGKILL), restarted 2 s later,
  (c) the link cut (netem 100 % loss on both eth0) and restored once both
      charons have declared the peer dead (DPD, "keepalive 20 5"),
  (d) FLAPS SA deletions in a row (default 100, --flaps N).

For (a)-(c): each Tunnel0 goes down, the peer's FIB loses the route (times
from the kernel's own timestamps, ip -ts monitor: an RTM_DELROUTE of the
prefix or Tunnel0 going down, which flushes its routes), no clear GRE on
either eth0 during the outage (tcpdump, proto 47), and afterwards the RIP
routes and the ping come back. For (d): after the flaps the xfrm state and
policy counts are those of before, each router holds one CHILD SA of
test-10, zebra's memory (show memory) has not grown per flap beyond noise,
the tunnel is up and the routes are present. The figures (printed, and in
$VM_RESULTS/faults-summary.json) are measurements, not assertions.
"""

import importlib.util
import json
import re
import signal
import socket
import struct
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("seed_routers", HERE / "seed-routers.py")
seed = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(seed)

import fake_vici  # noqa: E402  (tests/lab, on the path through seed-routers)

lablib = seed.lablib
step, check, until = seed.step, seed.check, seed.until
RESULTS = seed.RESULTS
PREFIX = {"101": "172.16.1.0/24", "102": "192.168.1.0/24"}
OTHER = {"101": "102", "102": "101"}


class Vici:
    """A bare VICI client: swanctl costs a second of TCG per call."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(str(path))

    def request(self, name, msg):
        self.sock.sendall(fake_vici.encode_packet(fake_vici.CMD_REQUEST, name, msg))
        while True:
            length = struct.unpack(">I", self._read(4))[0]
            ptype, _, reply = fake_vici.decode_packet(self._read(length))
            if ptype in (fake_vici.CMD_RESPONSE, fake_vici.CMD_UNKNOWN):
                return reply

    def _read(self, count):
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise ConnectionError("vici socket closed")
            data += chunk
        return data

    def close(self):
        self.sock.close()


class Watch:
    """ip -ts monitor on both routers and tcpdump on both eth0 for one
    scenario; the kernel's timestamps say when a route left a FIB."""

    def __init__(self, routers, name):
        self.routers, self.name, self.procs = routers, name, []
        self.logs, self.pcaps, self.xfrm_logs = {}, {}, {}

    def __enter__(self):
        for rname, r in self.routers.items():
            log = RESULTS / f"{self.name}-monitor-{rname}.log"
            pcap = RESULTS / f"{self.name}-eth0-{rname}.pcap"
            self.logs[rname], self.pcaps[rname] = log, pcap
            self.procs.append(subprocess.Popen(
                ["ip", "netns", "exec", r.router.ns, "ip", "-ts", "monitor", "link",
                 "route"], stdout=open(log, "w"), stderr=subprocess.DEVNULL))
            xfrm = RESULTS / f"{self.name}-xfrm-{rname}.log"
            self.xfrm_logs[rname] = xfrm
            self.procs.append(subprocess.Popen(
                ["ip", "netns", "exec", r.router.ns, "ip", "-ts", "xfrm", "monitor"],
                stdout=open(xfrm, "w"), stderr=subprocess.DEVNULL))
            self.procs.append(subprocess.Popen(
                ["ip", "netns", "exec", r.router.ns, "tcpdump", "-i", "eth0", "-n", "-U",
                 "-w", str(pcap), "host 20.1.1.1 and host 20.1.1.2"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        # tcpdump and the monitors need a moment under TCG
        time.sleep(2)
        return self

    def __exit__(self, *exc):
        time.sleep(0.5)
        for proc in self.procs:
            proc.terminate()
            proc.wait(timeout=20)

    def tunnel_up(self, rname, since, timeout):
        """Wall time at which router rname's Tunnel0 came up (its SA)."""
        up = re.compile(r"^\[(\S+)\] \d+: Tunnel0@\S+: <([^>]*)>", re.MULTILINE)

        def seen():
            stamps = [datetime.fromisoformat(m.group(1)).timestamp()
                      for m in up.finditer(self.logs[rname].read_text())
                      if "UP" in m.group(2).split(",")]
            stamps = [t for t in stamps if t >= since]
            return min(stamps) if stamps else None
        return lablib.wait_until(seen, timeout, 0.05, f"{rname}: Tunnel0 up")

    def esp_deleted(self, rname, since, timeout):
        """Wall time at which router rname's kernel lost an ESP SA."""
        deleted = re.compile(r"^\[(\S+)\] Deleted src \S+ dst \S+\s*\n\s*proto esp",
                             re.MULTILINE)

        def seen():
            stamps = [datetime.fromisoformat(m.group(1)).timestamp()
                      for m in deleted.finditer(self.xfrm_logs[rname].read_text())]
            stamps = [t for t in stamps if t >= since]
            return min(stamps) if stamps else None
        return lablib.wait_until(seen, timeout, 0.05, f"{rname}: ESP SA deleted")

    def withdrawn_or_overtaken(self, rname, since, timeout):
        """(time, False) when rname's FIB lost the route; (time of its SA's
        deletion, True) when a Quick Mode under way (the peer's charon
        initiating from its trap policy) installed a new SA before the
        tunnel went down, so that it never did."""
        deleted = self.esp_deleted(rname, since, timeout)
        try:
            return self.withdrawn(rname, since, 3), False
        except lablib.LabError:
            return deleted, True

    def withdrawn(self, rname, since, timeout):
        """Wall time at which router rname's FIB lost the route to the far LAN."""
        return seed.route_deleted(self.logs[rname], PREFIX[rname], since, timeout)

    def route_back(self, rname, since, timeout):
        """Wall time of the first RTM_NEWROUTE of the far LAN via Tunnel0
        after ``since``."""
        added = re.compile(r"^\[(\S+)\] " + re.escape(PREFIX[rname]) + r" .*dev Tunnel0",
                           re.MULTILINE)

        def seen():
            stamps = [datetime.fromisoformat(m.group(1)).timestamp()
                      for m in added.finditer(self.logs[rname].read_text())]
            stamps = [t for t in stamps if t >= since]
            return min(stamps) if stamps else None
        return lablib.wait_until(seen, timeout, 0.05, f"{rname}: {PREFIX[rname]} back")

    def count(self, expr):
        total = 0
        for pcap in self.pcaps.values():
            res = subprocess.run(["tcpdump", "-n", "-r", str(pcap), expr],
                                 capture_output=True, text=True)
            total += len(res.stdout.splitlines())
        return total


def ping_ok(routers, count=3):
    out = routers["101"].router.exec(["ping", "-c", str(count), "-i", "0.3", "-W", "3", "-I",
                                      "192.168.1.1", "172.16.1.1"], check=False)
    return out.returncode == 0


def recovered(routers, what, timeout=120):
    """RIP routes on both routers and the LAN-to-LAN ping; seconds."""
    took = until(lambda: routers["101"].rip_route() and routers["102"].rip_route(),
                 timeout, f"{what}: RIP routes back on both routers")
    lablib.wait_until(lambda: ping_ok(routers, 1), 30, 0.5, f"{what}: ping back")
    check(ping_ok(routers), f"{what}: routes back after {took:.1f} s, ping works")
    return took


def child_sas(router):
    """INSTALLED CHILD SAs of test-10 as charon lists them."""
    sas = router.swanctl("--list-sas", check=False) or ""
    return len(re.findall(r"test-10: #\d+, reqid \d+, INSTALLED", sas))


def tunnel_down(router):
    link = router.exec(["ip", "link", "show", "Tunnel0"]).stdout
    return ",UP" not in link and "<UP" not in link


def outage_checks(watch, what, esp_min=0):
    gre = watch.count("proto gre")
    check(gre == 0, f"{what}: no clear GRE on either eth0 ({watch.count('esp')} ESP packets)")
    return gre


def bring_up(lab):
    step("routers 101 and 102 from tests/fixtures/seed (as seed-routers)")
    routers = {name: seed.SeedRouter(lab, name) for name in seed.ROUTERS}
    lab.link(routers["101"].router, "eth0", None, routers["102"].router, "eth0", None)
    for r in routers.values():
        r.hardware()
        r.router.start()
    for r in routers.values():
        r.keys()
    for r in routers.values():
        r.configure()
    for r in routers.values():
        lablib.wait_until(lambda: r.rip_route(), 180, 0.5,
                          f"{r.name}: RIP route to {r.addr['far_lan']} via Tunnel0")
    check(ping_ok(routers), "routers up: RIP routes on both, ping 192.168.1.1 -> 172.16.1.1")
    return routers


def start_pinger(routers):
    return subprocess.Popen(
        ["ip", "netns", "exec", routers["101"].router.ns, "ping", "-i", "0.2", "-I",
         "192.168.1.1", "172.16.1.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def scenario_sa_deleted(routers):
    step("(a) CHILD SA deleted on 101 (swanctl --terminate --child test-10)")
    with Watch(routers, "a-sa-deleted") as w:
        t0 = time.time()
        routers["101"].router.swanctl("--terminate", "--child", "test-10")
        local = w.withdrawn("101", t0, 30)
        peer = w.withdrawn("102", t0, 30)
        check(True, f"(a) 101 withdrew 172.16.1.0/24 {local - t0:.3f} s after the "
                    f"terminate; 102 withdrew 192.168.1.0/24 {peer - local:+.3f} s after 101")
        back = recovered(routers, "(a)")
    outage_checks(w, "(a)")
    return {"a_peer_after_local_s": round(peer - local, 3),
            "a_local_after_terminate_s": round(local - t0, 3),
            "a_routes_back_s": round(back, 2)}


def scenario_charon_killed(routers):
    step("(b) charon on 101 killed (SIGKILL), restarted 2 s later")
    r101 = routers["101"].router
    states_before = seed.kernel_counts(r101)["xfrm_states"]
    with Watch(routers, "b-charon-killed") as w:
        t0 = time.time()
        r101.processes["charon"].signal_group(signal.SIGKILL)
        local = w.withdrawn("101", t0, 30)
        check(tunnel_down(r101), f"(b) 101: Tunnel0 down {local - t0:.3f} s after the kill")
        time.sleep(max(0.0, t0 + 2 - time.time()))
        r101.processes["charon"].stop()
        t1 = time.time()
        r101.start_charon()
        r101.swanctl("--load-creds", "--noprompt")
        peer = w.withdrawn("102", t0, 120)
        check(True, f"(b) 102 withdrew 192.168.1.0/24 {peer - t0:.3f} s after the kill, "
                    f"{peer - t1:+.3f} s after charon's restart on 101")
        back = recovered(routers, "(b)")
    outage_checks(w, "(b)")
    # the killed charon's kernel SAs stay until their hard lifetime
    states_after = seed.kernel_counts(r101)["xfrm_states"]
    print(f"            (b) 101 xfrm states {states_before} before the kill, "
          f"{states_after} after the recovery", flush=True)
    return {"b_xfrm_states_before_after": [states_before, states_after],"b_local_after_kill_s": round(local - t0, 3),
            "b_peer_after_kill_s": round(peer - t0, 3),
            "b_peer_after_restart_s": round(peer - t1, 3),
            "b_routes_back_s": round(back, 2)}


def netem(routers, on):
    for r in routers.values():
        args = ["tc", "qdisc", "add" if on else "del", "dev", "eth0", "root"]
        r.router.exec(args + (["netem", "loss", "100%"] if on else []))


def scenario_link_cut(routers):
    step("(c) link cut: netem loss 100% on both eth0, restored after DPD")
    with Watch(routers, "c-link-cut") as w:
        t0 = time.time()
        netem(routers, True)
        first = min(w.withdrawn("101", t0, 150), w.withdrawn("102", t0, 150))
        both = max(w.withdrawn("101", t0, 150), w.withdrawn("102", t0, 150))
        check(tunnel_down(routers["101"].router) and tunnel_down(routers["102"].router),
              f"(c) both Tunnel0 down: first {first - t0:.1f} s after the cut (DPD), "
              f"the other {both - first:+.3f} s later")
        netem(routers, False)
        # charon retries its Main Mode with backoff (default 5 retransmits,
        # 165 s): the SA returns at the first one after the restore
        back = recovered(routers, "(c)", timeout=300)
    outage_checks(w, "(c)")
    return {"c_first_withdraw_after_cut_s": round(first - t0, 2),
            "c_second_after_first_s": round(both - first, 3),
            "c_routes_back_after_restore_s": round(back, 2)}


def state_counts(routers):
    counts = {}
    for name, r in routers.items():
        k = seed.kernel_counts(r.router)
        k["test10_child_sas"] = child_sas(r.router)
        counts[name] = k
    return counts


def zebra_memory(router):
    """zebra: current allocations of the module's memory groups (all
    qmem types), and the heap in KiB (mallinfo, printed only)."""
    text = router.router.vtysh("show memory")
    # zebra's part only (vtysh asks every daemon)
    text = text.split("Memory statistics for ripd", 1)[0]
    with open(RESULTS / f"show-memory-{router.name}.txt", "a") as f:
        f.write(text + "\n")
    count = 0
    in_ours = False
    for line in text.splitlines():
        if line.startswith("--- qmem "):
            in_ours = "ios-ipsec-suite" in line
            continue
        if not line.strip() or line.startswith(("Memory statistics", "System allocator")):
            in_ours = False
        m = re.match(r"\s*(.+?)\s*:\s*(\d+)", line)
        if in_ours and m:
            count += int(m.group(2))
    heap = re.search(r"Total heap allocated:\s*(\d+) KiB", text)
    return count, int(heap.group(1)) if heap else None


def scenario_flaps(routers, flaps):
    step(f"(d) {flaps} CHILD SA deletions on 101 in a row")
    vici = Vici(routers["101"].router.dir / "charon.vici")
    before = state_counts(routers)
    withdraw, back, mem, overtaken_flaps = [], [], {}, []
    # memory after a warm-up (the first flaps allocate what later ones reuse)
    warm = min(10, flaps // 2)
    started = time.monotonic()
    with Watch(routers, "d-flaps") as w:
        try:
            for i in range(1, flaps + 1):
                t0 = time.time()
                reply = vici.request("terminate", {"child": "test-10", "timeout": "-1"})
                if reply.get("success") != "yes":
                    raise AssertionError(f"flap {i}: terminate: {reply}")
                local, local_over = w.withdrawn_or_overtaken("101", t0, 30)
                peer, peer_over = w.withdrawn_or_overtaken("102", t0, 30)
                if local_over or peer_over:
                    overtaken_flaps.append(i)
                else:
                    withdraw.append(peer - local)
                # the next deletion as soon as both ends have their SA again:
                # flaps faster than RIP reconverges
                up = t0
                if not local_over:
                    up = max(up, w.tunnel_up("101", local, 120))
                if not peer_over:
                    up = max(up, w.tunnel_up("102", peer, 120))
                back.append(up - t0)
                if i in (warm, flaps):
                    # the module's state settles with the next SA refresh
                    until(lambda: routers["101"].rip_route() and routers["102"].rip_route(),
                          60, f"flap {i}: routes in zebra")
                    mem[i] = {n: zebra_memory(r) for n, r in routers.items()}
                if i % 10 == 0:
                    print(f"            flap {i}: 102 withdrew {withdraw[-1]:+.3f} s after "
                          f"101, both tunnels up {back[-1]:.2f} s after the deletion",
                          flush=True)
        finally:
            vici.close()
    took = time.monotonic() - started
    outage_checks(w, "(d)")
    # let the last SA settle: IKEv1 twins, the module's listing
    time.sleep(12)
    after = state_counts(routers)
    for name in routers:
        a, b = after[name], before[name]
        check(a["xfrm_states"] == b["xfrm_states"] and
              a["xfrm_policies"] == b["xfrm_policies"],
              f"{name}: after {flaps} flaps xfrm states/policies {a['xfrm_states']}/"
              f"{a['xfrm_policies']} as before ({b['xfrm_states']}/{b['xfrm_policies']})")
        check(a["test10_child_sas"] == 1, f"{name}: one CHILD SA of test-10 ({after[name]})")
    for name, r in routers.items():
        (c10, h10), (cn, hn) = mem[warm][name], mem[flaps][name]
        # noise: a few allocations per SA event in flight; a leak grows per flap
        check(cn - c10 <= max(10, (flaps - warm) // 10),
              f"{name}: zebra module allocations {c10} after {warm} flaps, {cn} after {flaps} "
              f"(zebra heap {h10} KiB -> {hn} KiB)")
        check(not tunnel_down(r.router) and r.rip_route(), f"{name}: tunnel up, route present")
    check(ping_ok(routers), "ping after the flaps")
    return {"flaps": flaps, "flaps_seconds": round(took, 1),
            "d_overtaken_flaps": overtaken_flaps,
            "d_peer_after_local_median_s": round(seed.median(withdraw), 3),
            "d_peer_after_local_worst_s": round(max(withdraw), 3),
            "d_tunnels_up_median_s": round(seed.median(back), 2),
            "d_tunnels_up_worst_s": round(max(back), 2),
            "d_memory": {str(k): v for k, v in mem.items()},
            "d_state_before": before, "d_state_after": after}


def run(lab, flaps, only):
    routers = bring_up(lab)
    pinger = start_pinger(routers)
    figures = {}
    try:
        for key, fn in (("a", scenario_sa_deleted), ("b", scenario_charon_killed),
                        ("c", scenario_link_cut)):
            if not only or key in only:
                figures.update(fn(routers))
        if flaps and (not only or "d" in only):
            figures.update(scenario_flaps(routers, flaps))
    finally:
        pinger.terminate()
        pinger.wait()
    figures["wall_seconds"] = round(time.monotonic() - seed.T0, 1)
    (RESULTS / "faults-summary.json").write_text(json.dumps(figures, indent=1))
    step(f"done: {json.dumps(figures)}")


def main():
    argv = sys.argv[1:]
    flaps = int(argv[argv.index("--flaps") + 1]) if "--flaps" in argv else 100
    only = argv[argv.index("--only") + 1] if "--only" in argv else ""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "show-output.txt").write_text("")
    step("kernel modules")
    seed.load_kernel_modules("sch_netem")
    seed.in_lab(lambda lab: run(lab, flaps, only))


if __name__ == "__main__":
    main()
