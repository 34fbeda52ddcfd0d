#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The IOS example plus a third router on pre-shared keys (VM lab).

    101 Loopback0 192.168.1.1/24   102 Loopback0 172.16.1.1/24   103 Loopback0 10.3.3.3/24
    101 Tunnel0 10.10.10.1/30 == rsa-encr == 102 Tunnel0 10.10.10.2/30
    101 Tunnel1 10.10.10.5/30 == pre-share == 103 Tunnel1 10.10.10.6/30
    eth0 20.1.1.1, 20.1.1.2, 20.1.1.3 on one segment (a bridge in namespace sw)

101 and 102 are the seed's routers (tests/fixtures/seed/mixed/: 102's file
is the seed's, 101's adds a second ISAKMP policy with pre-share, a crypto
isakmp key for 103, a second crypto map entry and Tunnel1); 103 has only a
pre-shared key. Everything is loaded with vtysh -f; the zebra module picks
for each crypto map entry the policy that can authenticate its peer.

Asserts and prints: both IKE SAs on 101, renc with 102 and psk with 103
(show crypto isakmp sa detail), and the rsa-encr SA authenticated by RSA
encryption, not by the PSK (charon's "authentication of '102.cisco.com'
with RSA encryption (IKEv1 auth method 4" on 101 and its mirror on 102);
ESP transport SAs for GRE on both tunnels; RIP routes across both tunnels
(103 learns 172.16.1.0/24 and 102 10.3.3.0/24 through 101); pings between
the three LANs; show crypto ipsec sa counters of Tunnel0 and Tunnel1 rising;
a capture on the segment's bridge with ESP between 101 and each peer and
zero clear GRE. Run it with tests/vm/run-vm-test seed-mixed.
"""

import importlib.util
import json
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load_seed():
    """seed-routers.py as a module: its router, show and check helpers."""
    spec = importlib.util.spec_from_file_location("seed_routers", HERE / "seed-routers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


seed = load_seed()
lablib = seed.lablib
step, check, show = seed.step, seed.check, seed.show
FIXTURES = seed.FIXTURES / "mixed"
RESULTS = seed.RESULTS
TOP = seed.TOP

# each router's addresses and the RIP routes it must learn:
# prefix -> (next hop, tunnel)
ROUTERS = {
    "101": {"eth0": "20.1.1.1", "lan": "192.168.1.1",
            "routes": {"172.16.1.0/24": ("10.10.10.2", "Tunnel0"),
                       "10.3.3.0/24": ("10.10.10.6", "Tunnel1")}},
    "102": {"eth0": "20.1.1.2", "lan": "172.16.1.1",
            "routes": {"192.168.1.0/24": ("10.10.10.1", "Tunnel0"),
                       "10.3.3.0/24": ("10.10.10.1", "Tunnel0")}},
    "103": {"eth0": "20.1.1.3", "lan": "10.3.3.3",
            "routes": {"192.168.1.0/24": ("10.10.10.5", "Tunnel1"),
                       "172.16.1.0/24": ("10.10.10.5", "Tunnel1")}},
}
# 101's IKE SAs: peer -> (auth in show crypto isakmp sa detail, tunnel)
PEERS_OF_101 = {"20.1.1.2": ("renc", "Tunnel0"), "20.1.1.3": ("psk", "Tunnel1")}
# name -> (source, destination) of each LAN-to-LAN ping
PINGS = {"101 -> 102": ("101", "172.16.1.1"),
         "103 -> 101": ("103", "192.168.1.1"),
         "103 -> 102 (both tunnels)": ("103", "172.16.1.1")}


def rip_route(router, prefix, nexthop, tunnel):
    """The selected RIP route to prefix via nexthop on tunnel, or None."""
    routes = router.json(f"show ip route {prefix} json")
    for entry in routes.get(prefix, []):
        if entry.get("protocol") != "rip" or not entry.get("selected"):
            continue
        if any(hop.get("ip") == nexthop and hop.get("interfaceName") == tunnel
               for hop in entry.get("nexthops", [])):
            return entry
    return None


def isakmp_auth(detail):
    """remote address -> Auth column of show crypto isakmp sa detail."""
    rows = re.finditer(r"^\d+\s+(\S+)\s+(\S+)\s+\S+\s+\S+\s+(\S+)\s", detail, re.MULTILINE)
    return {m.group(2): m.group(3) for m in rows}


def ipsec_sa_counters(text, tunnel, peer):
    """#pkts encaps / decaps of the block of show crypto ipsec sa under
    interface ``tunnel`` for ``peer`` (one crypto map applied to Tunnel0,
    Tunnel1 and eth0: each interface lists the SAs of both entries)."""
    for block in text.split("interface: ")[1:]:
        if block.startswith(f"{tunnel}\n") and f"current_peer: {peer}:" in block:
            break
    else:
        raise AssertionError(f"no block for {tunnel} and peer {peer} in show crypto "
                             f"ipsec sa:\n{text}")
    counters = {}
    for counter in ("encaps", "decaps"):
        m = re.search(rf"#pkts {counter}: (\d+)", block)
        if not m:
            raise AssertionError(f"no #pkts {counter} for {tunnel} in:\n{text}")
        counters[counter] = int(m.group(1))
    return counters


def segment(lab, routers):
    """20.1.1.0/24: each router's eth0 on a bridge in namespace sw."""
    sw = lab.add_router("sw", start=False, charon=False, daemons=())
    sw.ip("link", "add", "br0", "type", "bridge")
    for name, r in routers.items():
        lab.link(r.router, "eth0", None, sw, f"p{name}", None)
        sw.ip("link", "set", f"p{name}", "master", "br0")
    sw.ip("link", "set", "br0", "up")
    return sw


def capture(sw):
    pcap = RESULTS / "segment.pcap"
    proc = subprocess.Popen(
        ["ip", "netns", "exec", sw.ns, "tcpdump", "-i", "br0", "-n", "-U", "-w",
         str(pcap), "net 20.1.1.0/24"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1)
    return proc, pcap


def count_packets(pcap, expr):
    res = subprocess.run(["tcpdump", "-n", "-r", str(pcap), expr],
                         capture_output=True, text=True)
    return len(res.stdout.splitlines())


def check_ike_sas(routers):
    """101: renc with 102, psk with 103; 102 renc; 103 psk; the rsa-encr
    SA authenticated by RSA encryption on both of its ends."""
    detail = show(routers["101"].router, "show crypto isakmp sa detail")
    auths = isakmp_auth(detail)
    for peer, (auth, _) in PEERS_OF_101.items():
        check(auths.get(peer) == auth, f"101: IKE SA with {peer} authenticated with {auth}"
              f" (detail says {auths.get(peer)})")
    for name, peer, auth in (("102", "20.1.1.1", "renc"), ("103", "20.1.1.1", "psk")):
        auths = isakmp_auth(show(routers[name].router, "show crypto isakmp sa detail"))
        check(auths.get(peer) == auth, f"{name}: IKE SA with {peer} authenticated with {auth}"
              f" (detail says {auths.get(peer)})")
    for name, peer in (("101", "102"), ("102", "101")):
        line = routers[name].router.wait_log(
            rf"authentication of '{peer}\.cisco\.com' with RSA encryption "
            r"\(IKEv1 auth method 4, \d+ bit key\) successful", timeout=5).group(0)
        check(True, f"{name}: charon: {line}")
    # the PSK connection never went through the rsa-encr plugin
    log = routers["101"].router.log_path("charon").read_text(errors="replace")
    check(not re.search(r"RSA encryption authentication of '[^']*' not accepted", log),
          "101: no rejected RSA encryption authentication")
    established = re.findall(r"IKE_SA (\S+)\[\d+\] established between "
                             r"20\.1\.1\.1\[[^\]]*\]\.\.\.(20\.1\.1\.[23])\[([^\]]*)\]", log)
    check({peer for _, peer, _ in established} == set(PEERS_OF_101),
          f"101: charon: IKE SAs established with {sorted(set(established))}")


def check_esp(routers):
    for name, r in routers.items():
        states = seed.kernel_esp_states(r.router)
        check("mode transport" in states and "proto esp" in states,
              f"{name}: kernel ESP SAs in transport mode")
        policies = r.router.exec(["ip", "xfrm", "policy"]).stdout
        check(re.search(r"proto gre", policies), f"{name}: IPsec policy for proto 47")
    states = seed.kernel_esp_states(routers["101"].router)
    for peer, cipher in (("20.1.1.2", "cbc(des)"), ("20.1.1.3", "cbc(aes)")):
        block = re.search(rf"^src 20\.1\.1\.1 dst {re.escape(peer)}\n(?:\s.*\n)*", states,
                          re.MULTILINE)
        check(block and cipher in block.group(0) and "hmac(sha1)" in block.group(0),
              f"101: ESP SA to {peer} with {cipher} and HMAC-SHA1")


def run(lab):
    step("routers 101, 102, 103: namespaces, eth0 on one segment, Loopback0")
    routers = {name: seed.SeedRouter(lab, name, FIXTURES, addr)
               for name, addr in ROUTERS.items()}
    sw = segment(lab, routers)
    for r in routers.values():
        r.hardware()
        r.router.start()
    step("keys into charon (swanctl --load-creds): 101 and 102 (103 has none)")
    for name in ("101", "102"):
        routers[name].keys()
    tcpdump, pcap = capture(sw)

    step("configuration: vtysh -f tests/fixtures/seed/mixed/router-10x.conf")
    for r in routers.values():
        r.configure()
    show(routers["101"].router, "show running-config")

    step("IKE SAs (rsa-encr 101-102, pre-share 101-103), Tunnel0/1 up, RIP routes")
    for name, r in routers.items():
        for prefix, (nexthop, tunnel) in ROUTERS[name]["routes"].items():
            lablib.wait_until(lambda: rip_route(r, prefix, nexthop, tunnel), 180, 0.5,
                              f"{name}: RIP route to {prefix} via {nexthop} {tunnel}")
            check(True, f"{name}: {prefix} via {nexthop} {tunnel} learnt by RIP")
    show(routers["101"].router, "show crypto charon")
    check_ike_sas(routers)
    check_esp(routers)
    for r in routers.values():
        show(r.router, "show ip route")

    shown_before = show(routers["101"].router, "show crypto ipsec sa")
    before = {peer: ipsec_sa_counters(shown_before, tunnel, peer)
              for peer, (_, tunnel) in PEERS_OF_101.items()}
    for what, (src, dst) in PINGS.items():
        step(f"ping {what}: {ROUTERS[src]['lan']} -> {dst}")
        out = routers[src].router.exec(["ping", "-c", "5", "-i", "0.3", "-W", "3", "-I",
                                        ROUTERS[src]["lan"], dst], check=False)
        print(out.stdout, flush=True)
        check(out.returncode == 0 and " 0% packet loss" in out.stdout,
              f"ping {what} over the protected tunnels")

    def counters(text):
        return {peer: ipsec_sa_counters(text, tunnel, peer)
                for peer, (_, tunnel) in PEERS_OF_101.items()}
    # zebra refreshes SA counters from charon every 10 s; each SA carried
    # 10 pings each way (5 to or from 101, 5 between 103 and 102)
    lablib.wait_until(
        lambda: all(n >= before[peer][c] + 10
                    for peer, got in counters(
                        routers["101"].router.vtysh("show crypto ipsec sa")).items()
                    for c, n in got.items()),
        30, 1.0, "101: show crypto ipsec sa counters rising with the pings")
    after = counters(show(routers["101"].router, "show crypto ipsec sa"))
    for peer, (_, tunnel) in PEERS_OF_101.items():
        for c in ("encaps", "decaps"):
            check(after[peer][c] >= before[peer][c] + 10,
                  f"101: SA with {peer} ({tunnel}) #pkts {c} {before[peer][c]} -> "
                  f"{after[peer][c]} with 10 pings each way")

    step("capture on the segment: ESP between 101 and each peer, no clear GRE")
    time.sleep(1)
    tcpdump.terminate()
    tcpdump.wait(timeout=20)
    esp = {peer: count_packets(pcap, f"esp and host 20.1.1.1 and host {peer}")
           for peer in PEERS_OF_101}
    gre = count_packets(pcap, "proto gre")
    for peer, n in esp.items():
        check(n >= 10, f"{n} ESP packets between 20.1.1.1 and {peer}")
    check(gre == 0, "no clear GRE on the segment")
    summary = {"esp_packets": esp, "clear_gre_packets": gre,
               "wall_seconds": round(time.monotonic() - seed.T0, 2)}
    (RESULTS / "mixed-summary.json").write_text(json.dumps(summary, indent=1))
    step(f"done: {summary}")


def main():
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "show-output.txt").write_text("")
    step("kernel modules")
    seed.load_kernel_modules("bridge", "aes_generic", "cbc")
    seed.in_lab(run, ROUTERS)


if __name__ == "__main__":
    sys.exit(main())
