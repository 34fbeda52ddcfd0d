#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The zebra module's GRE devices on a kernel that has GRE (VM lab).

    r1 eth0 20.1.1.1/24 ------- veth ------- r2 eth0 20.1.1.2/24
    r1 Tunnel0 (GRE, made by zebra_ios_crypto) 10.10.10.1/30

r1 runs zebra with the module in its default mode (tunnel-device=gre) and
a fake charon (tests/lab/fake_vici.py); r2 only answers on the veth.
Checks, with `ip -d -j link show Tunnel0`: the device is GRE with the
configured local (tunnel source eth0 resolved to its address), remote,
ttl 255, MTU and address, multicast on, marked by the module; down until
the fake charon reports the CHILD SA of the crypto map entry up, down
again when it goes down; a new destination or a new address of the
source interface recreates it with the new endpoints; a zebra killed and
started again adopts the same device (same ifindex); `no interface
Tunnel0` deletes it.  Writes its lab's logs to $VM_RESULTS.
"""

import json
import os
import shutil
import signal
import sys
import time
from pathlib import Path

TOP = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(TOP / "tests" / "lab"))

BUILD_MODULES = TOP / "build" / "frr-integration" / "zebra" / ".libs"
if (BUILD_MODULES / "zebra_ios_crypto.so").exists():
    os.environ.setdefault("SUITE_FRR_MODULEDIR", str(BUILD_MODULES))

import lab as lablib  # noqa: E402
from fake_vici import FakeVici, child_sa, child_updown_event, ike_sa  # noqa: E402

RESULTS = Path(os.environ.get("VM_RESULTS", "/tmp/frr-tunnel-gre-results"))
T0 = time.monotonic()


def step(text):
    print(f"[{time.monotonic() - T0:7.2f}s] == {text}", flush=True)


def check(condition, text):
    if not condition:
        raise AssertionError(text)
    print(f"            ok: {text}", flush=True)


CONFIG = [
    "crypto ipsec transform-set test esp-des esp-sha-hmac", "mode transport", "exit",
    "access-list 101 permit gre host 20.1.1.1 host 20.1.1.2",
    "crypto map test 10 ipsec-isakmp", "set peer 20.1.1.2",
    "set transform-set test", "match address 101", "exit",
    "interface Tunnel0", "ip address 10.10.10.1 255.255.255.252", "ip mtu 1400",
    "tunnel source eth0", "tunnel destination 20.1.1.2", "crypto map test", "exit",
]


class Router:
    def __init__(self, lab, vici):
        self.vici = vici
        self.r = lab.add_router(
            "r1", charon=False, daemons=("zebra",), start=False,
            daemon_args={"zebra": ["-M", f"ios_crypto:vici={vici.path}"]})

    def vty(self, *cmds):
        return self.r.vty("zebra", *cmds)

    def link(self):
        out = self.r.exec(["ip", "-d", "-j", "link", "show", "dev", "Tunnel0"],
                          check=False)
        return json.loads(out.stdout)[0] if out.returncode == 0 else None

    def addresses(self):
        out = self.r.ip("-j", "-4", "addr", "show", "dev", "Tunnel0")
        return sorted(f"{a['local']}/{a['prefixlen']}"
                      for i in json.loads(out) for a in i.get("addr_info", []))

    def wait(self, predicate, what, timeout=60):
        return lablib.wait_until(predicate, timeout, 0.2, what)

    def wait_up(self, up):
        self.wait(lambda: (lambda l: l and ("UP" in l["flags"]) == up)(self.link()),
                  f"Tunnel0 {'up' if up else 'down'}")

    def wait_vici(self):
        self.wait(lambda: json.loads(self.vty("show crypto vici json"))["state"]
                  == "established", "VICI established")


def sa(up, local="20.1.1.1", remote="20.1.1.2"):
    ike = ike_sa("test-10", 1, local=local, remote=remote)
    child = child_sa("test-10", 2, reqid=1)
    return child_updown_event(up, ike, child), ike_sa(
        "test-10", 1, local=local, remote=remote, children=[child])


def run(lab):
    vici = FakeVici(lab.dir / "r1.vici").start()
    r1 = Router(lab, vici)
    r2 = lab.add_router("r2", charon=False, daemons=())
    lab.link(r1.r, "eth0", "20.1.1.1/24", r2, "eth0", "20.1.1.2/24")
    r1.r.start()
    r1.wait_vici()

    step("IOS configuration of Tunnel0: GRE device created, down")
    r1.vty("configure terminal", *CONFIG)
    r1.wait(lambda: r1.link() is not None, "Tunnel0 created")
    r1.wait(lambda: r1.addresses() == ["10.10.10.1/30"], "address on Tunnel0")
    link = r1.link()
    (RESULTS / "tunnel0-link.json").write_text(json.dumps(link, indent=1) + "\n")
    info = link["linkinfo"]
    check(info["info_kind"] == "gre", f"kind gre ({info['info_kind']})")
    check(info["info_data"]["local"] == "20.1.1.1", "local 20.1.1.1 (tunnel source eth0)")
    check(info["info_data"]["remote"] == "20.1.1.2", "remote 20.1.1.2")
    check(info["info_data"].get("ttl") == 255, f"ttl 255 ({info['info_data'].get('ttl')})")
    check(link["mtu"] == 1400, f"MTU 1400 ({link['mtu']})")
    check("MULTICAST" in link["flags"], "multicast on (RIPv2)")
    check("UP" not in link["flags"], "down: no IPsec SA yet")
    check(link.get("ifalias", "").startswith("ios-ipsec-suite gre mtu="),
          f"marked ({link.get('ifalias')})")
    shown = json.loads(r1.vty("show tunnel interface Tunnel0 json"))["tunnels"][0]
    check(shown["reason"] == "no IPsec SA to 20.1.1.2", f"reason: {shown['reason']}")
    check(shown["device"]["kind"] == "gre" and shown["device"]["owned"], "shown as ours")

    step("CHILD SA up -> Tunnel0 up; down -> down")
    event, listed = sa(True)
    vici.sas[:] = [listed]
    vici.emit("child-updown", event)
    r1.wait_up(True)
    check("Tunnel line protocol is up" in r1.vty("show interface Tunnel0"),
          "show interface: line protocol up")
    vici.sas[:] = []
    vici.emit("child-updown", sa(False)[0])
    r1.wait_up(False)

    step("ip mtu and no ip mtu")
    r1.vty("configure terminal", "interface Tunnel0", "no ip mtu", "exit")
    default_mtu = int(r1.link()["ifalias"].rsplit("=", 1)[1])
    r1.wait(lambda: r1.link()["mtu"] == default_mtu, f"the kernel's MTU {default_mtu}")
    check(default_mtu == 1476, f"GRE's own MTU over a 1500 veth is 1476 ({default_mtu})")

    step("new tunnel destination -> device recreated")
    r1.vty("configure terminal", "crypto map test 10", "set peer 20.1.1.3", "exit",
           "interface Tunnel0", "tunnel destination 20.1.1.3", "exit")
    r1.wait(lambda: r1.link()["linkinfo"]["info_data"]["remote"] == "20.1.1.3",
            "remote 20.1.1.3")
    r1.wait(lambda: r1.addresses() == ["10.10.10.1/30"], "address kept")

    step("tunnel source eth0 gets another address -> local follows")
    r1.r.ip("addr", "del", "20.1.1.1/24", "dev", "eth0")
    r1.r.ip("addr", "add", "20.1.1.5/24", "dev", "eth0")
    r1.wait(lambda: r1.link()["linkinfo"]["info_data"]["local"] == "20.1.1.5",
            "local 20.1.1.5")
    ifindex = r1.link()["ifindex"]

    step("zebra killed and started again: the same device is adopted")
    config = r1.vty("show running-config")
    body = "\n".join(line for line in config.splitlines()
                     if not line.startswith(("Building", "Current configuration",
                                             "frr ", "hostname ", "end")))
    zebra = r1.r.processes["zebra"]
    zebra.signal_group(signal.SIGKILL)
    zebra.popen.wait(10)
    r1.r.frr_conf["zebra"] = body + "\n"
    r1.r.start_frr_daemon("zebra")
    r1.wait_vici()
    r1.r.wait_log(r"tunnel devices: configuration read", log="zebra", timeout=30)
    time.sleep(1)
    check(r1.link()["ifindex"] == ifindex, "same ifindex after the restart")
    check(r1.addresses() == ["10.10.10.1/30"], "address kept")

    step("no interface Tunnel0 -> device deleted")
    r1.vty("configure terminal", "no interface Tunnel0")
    r1.wait(lambda: r1.link() is None, "Tunnel0 deleted")
    vici.stop()


def main():
    RESULTS.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("LAB_DIR", "/tmp/islab")
    step(f"module from {os.environ.get('SUITE_FRR_MODULEDIR', 'the installed FRR')}")
    lab = lablib.Lab(keep=True)
    rc = 1
    try:
        run(lab)
        rc = 0
        step("PASS")
    except Exception as exc:  # noqa: BLE001 - reported with the logs
        print(f"FAIL: {exc}\n{lab.log_tails()}", flush=True)
    finally:
        for path in lab.dir.glob("*/*"):
            if path.suffix in (".log", ".out", ".conf"):
                dest = RESULTS / path.parent.name
                dest.mkdir(exist_ok=True)
                shutil.copy(path, dest / path.name)
        lab.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
