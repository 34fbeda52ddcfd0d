#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The IOS example end to end, configured only through the product (VM lab).

    101 Loopback0 192.168.1.1/24                 102 Loopback0 172.16.1.1/24
    101 Tunnel0 10.10.10.1/30 == GRE in ESP == 102 Tunnel0 10.10.10.2/30
    101 eth0 20.1.1.1/24 ------- veth -------- 102 eth0 20.1.1.2/24

Each router runs Debian's charon (with the suite's ios-keychain and
rsa-encr plugins), zebra with zebra_ios_crypto and ripd. The test creates
only what a router's hardware would be (namespaces, the veth, the dummy
Loopback0) and puts each router's key pair where ios-rsa-key generate
leaves it; everything else comes from tests/fixtures/seed/router-10x.conf,
loaded with vtysh -f: the module creates the GRE device, generates and
loads the IKEv1 rsa-encr connection into charon and initiates it, brings
Tunnel0 up when the IPsec SA is installed, and ripd exchanges the LANs.

Asserts and prints what the example's Verification section shows:
show crypto isakmp sa detail (renc), show crypto ipsec sa, show crypto
engine connections active, show ip route; the kernel's ESP SAs are DES /
HMAC-SHA1 transport for proto 47; a LAN-to-LAN ping works; a capture on
eth0 holds only ESP between 20.1.1.1 and 20.1.1.2 (no clear GRE); the SA
counters rise with the pings. Logs and outputs go to $VM_RESULTS.

--variant revised runs the same with tests/fixtures/seed/revised/: the
revised mode of RSA encryption (IKEv1 auth method 5), expected in show
crypto isakmp sa detail and in charon's log. The mixed scenario (a third
router with pre-shared keys) is seed-mixed.py.
"""

import json
import os
from datetime import datetime
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

TOP = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(TOP / "tests" / "lab"))

BUILD_MODULES = TOP / "build" / "frr-integration" / "zebra" / ".libs"
if (BUILD_MODULES / "zebra_ios_crypto.so").exists():
    os.environ.setdefault("SUITE_FRR_MODULEDIR", str(BUILD_MODULES))
# the vtysh that knows the module's commands (scripts/build-vtysh)
BUILD_VTYSH = TOP / "build-vtysh" / "vtysh"
if BUILD_VTYSH.exists():
    os.environ.setdefault("SUITE_VTYSH", str(BUILD_VTYSH))
os.environ.setdefault("LAB_STARTUP_TIMEOUT", "90")

import lab as lablib  # noqa: E402

FIXTURES = TOP / "tests" / "fixtures" / "seed"
RESULTS = Path(os.environ.get("VM_RESULTS", "/tmp/seed-routers-results"))
T0 = time.monotonic()

ROUTERS = {
    "101": {"eth0": "20.1.1.1", "lan": "192.168.1.1", "tunnel": "10.10.10.1",
            "far_lan": "172.16.1.0/24", "far_tunnel": "10.10.10.2"},
    "102": {"eth0": "20.1.1.2", "lan": "172.16.1.1", "tunnel": "10.10.10.2",
            "far_lan": "192.168.1.0/24", "far_tunnel": "10.10.10.1"},
}


# what each variant loads and expects: the fixtures directory, the
# abbreviation show crypto isakmp sa detail prints for the IKE SA's
# authentication, and the auth method the rsa-encr plugin logs
VARIANTS = {
    "seed": {"fixtures": FIXTURES, "auth": "renc", "method": 4},
    "revised": {"fixtures": FIXTURES / "revised", "auth": "rrev", "method": 5},
}


def step(text):
    print(f"[{time.monotonic() - T0:7.2f}s] == {text}", flush=True)


def check(condition, text):
    if not condition:
        raise AssertionError(text)
    print(f"            ok: {text}", flush=True)


def show(router, command):
    """Run a show command through vtysh, print it like the example does."""
    out = router.vtysh(command)
    text = f"{router.name}#{command}\n{out}"
    print(text, flush=True)
    with open(RESULTS / "show-output.txt", "a") as f:
        f.write(text + "\n")
    return out


# under TCG every plugin costs; these are what the example needs
CHARON_PLUGINS = ("random nonce openssl pem pkcs1 pkcs8 x509 pubkey hmac sha1 "
                  "kernel-netlink socket-default vici updown ios-keychain rsa-encr")


# swanctl (--stats, --load-creds of the PEM key, --list-sas) needs few
SWANCTL_PLUGINS = "random openssl pem pkcs1 pkcs8 x509 pubkey"


def charon_conf(files):
    return f"""
swanctl {{
    load = {SWANCTL_PLUGINS}
}}
charon {{
    load_modular = no
    load = {CHARON_PLUGINS}
    plugins {{
        ios-keychain {{
            path = {files / 'pubkey-chain'}
        }}
        rsa-encr {{
            router_marks = {files / 'rsa-encr.conf'}
        }}
    }}
}}
"""


class SeedRouter:
    """One router: namespace, keys, daemons; configured by its file."""

    def __init__(self, lab, name, fixtures=FIXTURES, addr=None):
        self.name = name
        self.fixtures = fixtures
        self.addr = addr or ROUTERS[name]
        self.fqdn = f"{name}.cisco.com"
        self.files = lab.dir / f"{name}-ios-crypto"
        self.pubkeys = lab.dir / f"{name}-pubkey"
        self.router = lab.add_router(
            name, start=False, charon_conf=charon_conf(self.files),
            daemons=("zebra", "ripd"),
            daemon_args={"zebra": ["-M", f"ios_crypto:vici={lab.dir / name / 'charon.vici'},"
                                         f"charon-dir={self.files},rsa-keys={self.pubkeys}"]})

    def hardware(self):
        """What the router's chassis has: a loopback-like dummy device."""
        self.router.ip("link", "add", "Loopback0", "type", "dummy")
        self.router.ip("link", "set", "Loopback0", "up")

    def keys(self):
        """The key pair, as ios-rsa-key generate --label <fqdn> leaves it."""
        private = FIXTURES / f"{self.fqdn}.pem"
        rsa = self.router.swanctl_dir / "rsa"
        rsa.mkdir(parents=True, exist_ok=True)
        shutil.copy(private, rsa / private.name)
        self.pubkeys.mkdir(parents=True, exist_ok=True)
        subprocess.run(["openssl", "pkey", "-in", str(private), "-pubout", "-out",
                        str(self.pubkeys / f"{self.fqdn}.pem")], check=True)
        self.router.swanctl("--load-creds", "--noprompt")

    def configure(self):
        conf = self.fixtures / f"router-{self.name}.conf"
        self.router.exec([os.environ.get("SUITE_VTYSH", "vtysh"), "--vty_socket",
                          str(self.router.dir), "--config_dir", str(self.router.dir),
                          "-f", str(conf)], timeout=120)

    def json(self, command):
        return self.router.vtysh_json(command)

    def rip_route(self):
        routes = self.json(f"show ip route {self.addr['far_lan']} json")
        for entry in routes.get(self.addr["far_lan"], []):
            if entry.get("protocol") != "rip" or not entry.get("selected"):
                continue
            for hop in entry.get("nexthops", []):
                if hop.get("ip") == self.addr["far_tunnel"] and \
                        hop.get("interfaceName") == "Tunnel0":
                    return entry
        return None


def kernel_esp_states(router):
    return router.exec(["ip", "-s", "xfrm", "state"]).stdout


def esp_packets(router):
    out = kernel_esp_states(router)
    return sum(int(n) for n in re.findall(r"\d+\(bytes\), (\d+)\(packets\)", out))


def ipsec_sa_counters(text):
    """#pkts encaps / decaps of Tunnel0's block of show crypto ipsec sa."""
    block = text.split("interface: Tunnel0", 1)[-1].split("interface: ", 1)[0]
    counters = {}
    for counter in ("encaps", "decaps"):
        m = re.search(rf"#pkts {counter}: (\d+)", block)
        if not m:
            raise AssertionError(f"no #pkts {counter} for Tunnel0 in:\n{text}")
        counters[counter] = int(m.group(1))
    return counters


def dump_state(lab):
    """What each router's kernel and daemons say, for a failed run."""
    for name, router in lab.routers.items():
        with open(RESULTS / f"state-{name}.txt", "w") as f:
            for argv in (["ip", "-d", "-s", "link"], ["ip", "addr"], ["ip", "route"],
                         ["ip", "-s", "xfrm", "state"], ["ip", "xfrm", "policy"],
                         ["nstat", "-az"]):
                res = router.exec(argv, check=False)
                f.write(f"### {' '.join(argv)}\n{res.stdout}{res.stderr}\n")
            for cmd in ("show ip rip", "show ip rip status", "show ip route",
                        "show interface Tunnel0", "show crypto charon",
                        "show crypto ipsec sa", "show crypto isakmp sa detail"):
                out = router.vtysh(cmd, check=False)
                f.write(f"### {cmd}\n{out}\n")
            res = router.swanctl("--list-sas", check=False)
            f.write(f"### swanctl --list-sas\n{res}\n")


# what the routers need of the kernel: the veth link, the dummy loopback,
# GRE, ESP transport with DES/HMAC-SHA1 and the RNGs charon's openssl uses
KERNEL_MODULES = ["veth", "dummy", "ip_gre", "esp4", "xfrm_user", "des_generic",
                  "authenc", "echainiv", "ctr", "sha512_generic", "drbg",
                  "sha3_generic", "jitterentropy_rng"]


def load_kernel_modules(*extra):
    subprocess.run(["modprobe", "-a", *KERNEL_MODULES, *extra], check=True)


def in_lab(body, names=ROUTERS):
    """Run body(lab) in a lab of its own: the lab's state printed when it
    fails, each router's daemon logs kept in the results either way."""
    with lablib.Lab() as lab:
        try:
            return body(lab)
        except BaseException:
            dump_state(lab)
            raise
        finally:
            for name in names:
                for log in ("charon.log", "zebra.log", "ripd.log"):
                    src = lab.dir / name / log
                    if src.exists():
                        (RESULTS / name).mkdir(exist_ok=True)
                        shutil.copy(src, RESULTS / name / log)


def until(predicate, timeout, what):
    """Poll as fast as vtysh answers; seconds from now until predicate."""
    start = time.monotonic()
    lablib.wait_until(predicate, timeout, 0.02, what)
    return time.monotonic() - start


def kernel_counts(router):
    states = len(re.findall(r"^src ", router.exec(["ip", "xfrm", "state"]).stdout,
                            re.MULTILINE))
    policies = len(re.findall(r"^src ", router.exec(["ip", "xfrm", "policy"]).stdout,
                              re.MULTILINE))
    sas = router.swanctl("--list-sas", check=False) or ""
    return {"xfrm_states": states, "xfrm_policies": policies,
            "ike_sas": len(re.findall(r"^\S+: #\d+, ESTABLISHED", sas, re.MULTILINE)),
            "child_sas": len(re.findall(r"INSTALLED, TRANSPORT", sas))}


def route_deleted(log, prefix, since, timeout):
    """Wall time of the first event ip -ts monitor logged after ``since``
    that takes ``prefix`` out of the FIB: its RTM_DELROUTE, or Tunnel0 going
    down (the kernel flushes the routes over a device that goes down without
    reporting each one)."""
    deleted = re.compile(r"^\[(\S+)\] Deleted " + re.escape(prefix) + " ", re.MULTILINE)
    down = re.compile(r"^\[(\S+)\] \d+: Tunnel0@\S+: <([^>]*)>", re.MULTILINE)

    def seen():
        text = log.read_text()
        stamps = [m.group(1) for m in deleted.finditer(text)]
        stamps += [m.group(1) for m in down.finditer(text)
                   if "UP" not in m.group(2).split(",")]
        stamps = [t for t in (datetime.fromisoformat(x).timestamp() for x in stamps)
                  if t >= since]
        return min(stamps) if stamps else None
    return lablib.wait_until(seen, timeout, 0.05, f"{log.name}: {prefix} out of the FIB")


def check_rsa_encr(routers, variant):
    """Each router's IKE SA authenticated with the variant's method: in
    show crypto isakmp sa detail and in the line the rsa-encr plugin logs
    when the peer's identity decrypted and matched its key."""
    for r in routers.values():
        detail = show(r.router, "show crypto isakmp sa detail")
        check(re.search(rf"\b{variant['auth']}\b", detail),
              f"{r.name}: IKE SA authenticated with {variant['auth']}")
    for r in routers.values():
        peer = next(n for n in routers if n != r.name)
        line = r.router.wait_log(
            rf"authentication of '{peer}\.cisco\.com' with RSA encryption "
            rf"\(IKEv1 auth method {variant['method']}, \d+ bit key\) successful",
            timeout=5).group(0)
        check(True, f"{r.name}: charon: {line}")


def median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def option(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def main():
    variant = VARIANTS[option("--variant", "seed")]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "show-output.txt").write_text("")
    step("kernel modules")
    load_kernel_modules()
    in_lab(lambda lab: run(lab, variant))


def run(lab, variant):
    step("routers 101 and 102: namespaces, eth0 veth, Loopback0")
    routers = {name: SeedRouter(lab, name, variant["fixtures"]) for name in ROUTERS}
    lab.link(routers["101"].router, "eth0", None, routers["102"].router, "eth0", None)
    for r in routers.values():
        r.hardware()
        r.router.start()
    step("keys into charon (swanctl --load-creds)")
    for r in routers.values():
        r.keys()

    step("capture on 101 eth0")
    pcap = RESULTS / "eth0.pcap"
    tcpdump = subprocess.Popen(
        ["ip", "netns", "exec", routers["101"].router.ns, "tcpdump", "-i", "eth0", "-n",
         "-U", "-w", str(pcap), "host 20.1.1.1 and host 20.1.1.2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1)

    step(f"configuration: vtysh -f {variant['fixtures'].relative_to(TOP)}/router-10x.conf")
    for r in routers.values():
        r.configure()
    show(routers["101"].router, "show running-config")

    step(f"IKE SA (rsa-encr, method {variant['method']}), IPsec SA, Tunnel0 up, RIP routes")
    for r in routers.values():
        lablib.wait_until(lambda: r.rip_route(), 120, 0.5,
                          f"{r.name}: RIP route to {r.addr['far_lan']} via Tunnel0")
        check(True, f"{r.name}: {r.addr['far_lan']} via {r.addr['far_tunnel']} "
                    "Tunnel0 learnt by RIP")

    check_rsa_encr(routers, variant)
    for r in routers.values():
        states = kernel_esp_states(r.router)
        check("mode transport" in states and "proto esp" in states,
              f"{r.name}: kernel ESP SAs in transport mode")
        check("cbc(des)" in states and "hmac(sha1)" in states,
              f"{r.name}: ESP with DES and HMAC-SHA1")
        policies = r.router.exec(["ip", "xfrm", "policy"]).stdout
        check(re.search(r"proto gre", policies), f"{r.name}: IPsec policy for proto 47")
        show(r.router, "show ip route")

    before = {n: esp_packets(r.router) for n, r in routers.items()}
    shown_before = ipsec_sa_counters(show(routers["101"].router, "show crypto ipsec sa"))
    step("ping 172.16.1.1 from 192.168.1.1")
    out = routers["101"].router.exec(["ping", "-c", "5", "-i", "0.3", "-W", "3", "-I",
                                      "192.168.1.1", "172.16.1.1"], check=False)
    print(out.stdout, flush=True)
    check(out.returncode == 0 and " 0% packet loss" in out.stdout,
          "LAN to LAN ping over the protected tunnel")
    after = {n: esp_packets(r.router) for n, r in routers.items()}
    for name in routers:
        check(after[name] >= before[name] + 10,
              f"{name}: kernel SA packets {before[name]} -> {after[name]}")
    # zebra refreshes SA counters from charon every 10 s (vici: SA refresh)
    lablib.wait_until(
        lambda: all(ipsec_sa_counters(routers["101"].router.vtysh("show crypto ipsec sa"))[c]
                    >= shown_before[c] + 5 for c in ("encaps", "decaps")),
        30, 1.0, "101: show crypto ipsec sa counters rising with the pings")
    shown_after = ipsec_sa_counters(show(routers["101"].router, "show crypto ipsec sa"))
    for counter in ("encaps", "decaps"):
        check(shown_after[counter] >= shown_before[counter] + 5,
              f"101: show crypto ipsec sa #pkts {counter} "
              f"{shown_before[counter]} -> {shown_after[counter]} with 5 pings")
    show(routers["101"].router, "show crypto engine connections active")
    show(routers["102"].router, "show crypto isakmp sa")

    step("capture: only ESP between 20.1.1.1 and 20.1.1.2")
    time.sleep(1)
    tcpdump.terminate()
    tcpdump.wait(timeout=20)

    def count(expr):
        res = subprocess.run(["tcpdump", "-n", "-r", str(pcap), expr],
                             capture_output=True, text=True)
        return len(res.stdout.splitlines())
    esp, gre = count("esp"), count("proto gre")
    check(esp >= 10, f"{esp} ESP packets captured")
    check(gre == 0, "no clear GRE on eth0")
    summary = {"esp_packets": esp, "clear_gre_packets": gre,
               "wall_seconds": round(time.monotonic() - T0, 2)}
    (RESULTS / "seed-summary.json").write_text(json.dumps(summary, indent=1))
    step(f"done: {summary}")


if __name__ == "__main__":
    main()
