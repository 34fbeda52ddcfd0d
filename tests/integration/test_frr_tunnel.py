# SPDX-License-Identifier: GPL-2.0-or-later
"""Tunnel devices follow their IPsec SAs, and RIP follows the tunnels.

Two routers (namespaces), each a zebra with the module and a ripd; each
zebra's VICI client talks to its own fake charon (tests/lab/fake_vici.py).
This kernel has no GRE, so the module runs with tunnel-device=adopt: the
test pre-creates a veth pair whose ends are both named Tunnel0, one in each
router, and the module manages only its address, MTU and up/down (the one
seam, doc/frr-module.md "Tunnel devices").  The GRE path itself is tested
in the VM (tests/vm/tests/frr-tunnel-gre.sh, test_vm_frr_tunnel.py).

    r1 lo 192.168.1.1/24                     r2 lo 172.16.1.1/24
    r1 Tunnel0 10.10.10.1/30 ==== veth ==== r2 Tunnel0 10.10.10.2/30
    r1 eth0 20.1.1.1/24 -------- veth ------ r2 eth0 20.1.1.2/24

RIPv2 runs on Tunnel0.  With the veth stand-in, a device set down on one
side takes the carrier of the other side away as well: that is how the
peer's ripd loses the route here (with GRE over IPsec the peer's charon
reports the deleted SA itself).
"""

import json
import os
import re
import signal
import subprocess
from pathlib import Path

import pytest

import lab as lablib
from fake_vici import FakeVici, child_sa, child_updown_event, ike_sa

MODULEDIR = Path(os.environ.get("SUITE_FRR_MODULEDIR")
                 or "/usr/lib/x86_64-linux-gnu/frr/modules")
MODULE = MODULEDIR / "zebra_ios_crypto.so"

ADDR = {"r1": "20.1.1.1", "r2": "20.1.1.2"}
TUN = {"r1": "10.10.10.1", "r2": "10.10.10.2"}
LAN = {"r1": "192.168.1.0/24", "r2": "172.16.1.0/24"}
LAN_IP = {"r1": "192.168.1.1/24", "r2": "172.16.1.1/24"}
PEER = {"r1": "r2", "r2": "r1"}
MARK = re.compile(r"^ios-ipsec-suite adopted mtu=1500$")


@pytest.fixture(autouse=True)
def require_module():
    if not MODULE.exists():
        pytest.fail(f"{MODULE} missing: run scripts/build (and set SUITE_FRR_MODULEDIR) "
                    "or scripts/build --install")


def ios_config(name):
    """The IOS commands of one router, as typed in zebra's vty."""
    me, peer = ADDR[name], ADDR[PEER[name]]
    return [
        "crypto ipsec transform-set test esp-des esp-sha-hmac", "mode transport", "exit",
        f"access-list 101 permit gre host {me} host {peer}",
        "crypto map test 10 ipsec-isakmp", f"set peer {peer}",
        "set transform-set test", "match address 101", "exit",
        "interface Tunnel0", f"ip address {TUN[name]} 255.255.255.252", "ip mtu 1420",
        "tunnel source eth0", f"tunnel destination {peer}", "crypto map test", "exit",
    ]


def ripd_config(name, timers="5 30 20"):
    return (f"router rip\n version 2\n network 10.10.10.0/30\n network {LAN[name]}\n"
            f" passive-interface lo\n timers basic {timers}\n")


def sa_of(name):
    """The IKE SA and CHILD SA of crypto map entry test 10 as charon reports it."""
    ike = ike_sa("test-10", 1, local=ADDR[name], remote=ADDR[PEER[name]])
    child = child_sa("test-10", 2, reqid=1,
                     local_ts=(f"{ADDR[name]}/32[gre]",),
                     remote_ts=(f"{ADDR[PEER[name]]}/32[gre]",))
    return ike, child


class TunnelRouter:
    """One router of the pair: its lab router and its fake charon."""

    def __init__(self, lab, name, tunnel_device="adopt", rip_timers="5 30 20"):
        self.name = name
        self.vici = FakeVici(lab.dir / f"{name}.vici").start()
        self.router = lab.add_router(
            name, charon=False, daemons=("zebra", "ripd"), start=False,
            daemon_args={"zebra": ["-M", f"ios_crypto:vici={self.vici.path},"
                                         f"tunnel-device={tunnel_device}"]},
            frr_conf={"ripd": ripd_config(name, rip_timers)})

    def vty(self, *commands, check=True):
        return self.router.vty("zebra", *commands, check=check)

    def configure(self, *commands):
        return self.vty("configure terminal", *commands)

    def link(self, ifname="Tunnel0"):
        out = self.router.ip("-d", "-j", "link", "show", "dev", ifname)
        return json.loads(out)[0]

    def link_up(self, ifname="Tunnel0"):
        return "UP" in self.link(ifname)["flags"]

    def addresses(self, ifname="Tunnel0"):
        out = self.router.ip("-j", "-4", "addr", "show", "dev", ifname)
        return sorted(f"{a['local']}/{a['prefixlen']}"
                      for i in json.loads(out) for a in i.get("addr_info", []))

    def routes(self):
        return json.loads(self.vty("show ip route json") or "{}")

    def rip_route(self, prefix):
        """The RIP route to prefix over Tunnel0 in zebra's RIB, or None."""
        for route in self.routes().get(prefix, []):
            if route.get("protocol") == "rip" and route.get("selected"):
                return route
        return None

    def tunnel(self):
        [t] = json.loads(self.vty("show tunnel interface Tunnel0 json"))["tunnels"]
        return t

    def device_error(self, ifname):
        tunnels = json.loads(self.vty(f"show tunnel interface {ifname} json"))["tunnels"]
        return tunnels[0]["deviceError"] if tunnels else ""

    def sa_up(self):
        ike, child = sa_of(self.name)
        self.vici.sas[:] = [ike_sa("test-10", 1, local=ADDR[self.name],
                                   remote=ADDR[PEER[self.name]], children=[child])]
        self.vici.emit("child-updown", child_updown_event(True, ike, child))

    def sa_down(self):
        ike, child = sa_of(self.name)
        self.vici.sas[:] = []
        self.vici.emit("child-updown", child_updown_event(False, ike, child))

    def wait(self, predicate, what, timeout=30):
        return lablib.wait_until(predicate, timeout, 0.1, f"{self.name}: {what}")

    def wait_vici(self):
        self.wait(lambda: json.loads(self.vty("show crypto vici json"))["state"]
                  == "established", "VICI established")


def make_pair(lab, tunnel_device="adopt"):
    routers = {n: TunnelRouter(lab, n, tunnel_device) for n in ("r1", "r2")}
    r1, r2 = routers["r1"].router, routers["r2"].router
    lab.link(r1, "eth0", f"{ADDR['r1']}/24", r2, "eth0", f"{ADDR['r2']}/24")
    # the stand-in for GRE: created down, as the module would create it
    lablib.run(["ip", "-n", r1.ns, "link", "add", "Tunnel0", "type", "veth",
                "peer", "name", "Tunnel0", "netns", r2.ns])
    for t in routers.values():
        t.router.addr("lo", LAN_IP[t.name])
        t.router.start()
        t.wait_vici()
        t.configure(*ios_config(t.name))
    return routers


@pytest.fixture
def pair(lab):
    routers = make_pair(lab)
    yield routers
    for t in routers.values():
        t.vici.stop()


def wait_routes(pair, present):
    for name, t in pair.items():
        far = LAN[PEER[name]]
        t.wait(lambda: (t.rip_route(far) is not None) == present,
               f"RIP route to {far} {'learned' if present else 'gone'}", timeout=60)


def wait_link(t, up):
    t.wait(lambda: t.link_up() == up, f"Tunnel0 {'up' if up else 'down'}")


def test_tunnel_down_without_sa_then_follows_sa(pair):
    r1, r2 = pair["r1"], pair["r2"]
    for t in pair.values():
        t.wait(lambda: t.addresses() == [f"{TUN[t.name]}/30"], "tunnel address on the device")
        link = t.link()
        assert "UP" not in link["flags"]
        assert link["mtu"] == 1420
        assert MARK.match(link.get("ifalias", "")), link
        tunnel = t.tunnel()
        assert tunnel["lineProtocol"] == "down"
        assert tunnel["reason"] == f"no IPsec SA to {ADDR[PEER[t.name]]}"
        assert tunnel["device"]["owned"] and not tunnel["device"]["adminUp"]
        assert t.rip_route(LAN[PEER[t.name]]) is None

    # charon reports the CHILD SA of "test 10" up: tunnels up, RIP learns
    for t in pair.values():
        t.sa_up()
    for t in pair.values():
        wait_link(t, True)
        assert t.tunnel()["lineProtocol"] == "up"
    wait_routes(pair, True)
    assert r1.rip_route("172.16.1.0/24")["nexthops"][0]["interfaceName"] == "Tunnel0"
    assert "Tunnel line protocol is up" in r1.vty("show interface Tunnel0")

    # the SA goes down on r1: its device goes down, r2 loses the route too
    r1.sa_down()
    wait_link(r1, False)
    r2.wait(lambda: r2.rip_route("192.168.1.0/24") is None, "route to r1's LAN gone")
    r1.wait(lambda: r1.rip_route("172.16.1.0/24") is None, "route to r2's LAN gone")
    assert r1.tunnel()["reason"] == "no IPsec SA to 20.1.1.2"
    shown = r1.vty("show interface Tunnel0")
    assert "Tunnel line protocol is down: no IPsec SA to 20.1.1.2" in shown
    r1.router.wait_log(r"tunnel Tunnel0: device Tunnel0 down: no IPsec SA to 20\.1\.1\.2",
                       log="zebra", timeout=5)

    # and up again: relearned
    r1.sa_up()
    wait_link(r1, True)
    wait_routes(pair, True)

    # charon gone: nobody vouches for the SA, fail closed
    r1.vici.stop()
    wait_link(r1, False)
    r2.wait(lambda: r2.rip_route("192.168.1.0/24") is None, "route gone after VICI loss")
    assert r1.tunnel()["reason"] == "no IPsec SA to 20.1.1.2"
    r1.vici.start()
    r1.wait_vici()
    wait_link(r1, True)
    wait_routes(pair, True)


def rip_running_on(t, ifname="Tunnel0"):
    """ripd runs RIP on ifname: `show ip rip status` lists only such interfaces."""
    out = t.router.vty("ripd", "show ip rip status")
    return re.search(rf"^\s+{ifname}\s+2\s+2\s*$", out, re.M) is not None


def test_first_up_side_relearns_without_waiting_for_a_periodic_update(lab):
    """The tunnel end whose ripd starts first still learns the peer's routes.

    ripd sends its one request for the peer's table 1 s after the tunnel
    comes up and drops RIP packets until then.  Here r2's SA comes up only
    after r1's ripd runs on Tunnel0 (as when the IKEv1 Quick Mode responder
    installs its SA after the initiator): r1's request is lost, r2's is
    answered.  With RIP's update timer at an hour, only another request
    from r1 brings r2's routes: the module announces the tunnel up to ripd
    again after it came up (ios_crypto_tunnel_rip.c).

    The stand-in for GRE: each Tunnel0 is a veth to a bridge in a third
    namespace, so that, as with GRE, each end is operative on its own (a
    veth pair would give both ends their carrier at the same moment).
    """
    routers = {n: TunnelRouter(lab, n, rip_timers="3600 10800 7200") for n in ("r1", "r2")}
    r1, r2 = routers["r1"], routers["r2"]
    wire = lab.add_router("wire", charon=False, daemons=())
    lab.link(r1.router, "eth0", f"{ADDR['r1']}/24", r2.router, "eth0", f"{ADDR['r2']}/24")
    wire.ip("link", "add", "br0", "type", "bridge")
    wire.ip("link", "set", "br0", "up")
    for name, t in routers.items():
        lablib.run(["ip", "-n", t.router.ns, "link", "add", "Tunnel0", "type", "veth",
                    "peer", "name", name, "netns", wire.ns])
        wire.ip("link", "set", name, "master", "br0", "up")
    try:
        for t in routers.values():
            t.router.addr("lo", LAN_IP[t.name])
            t.router.start()
            t.wait_vici()
            t.configure(*ios_config(t.name))
            t.wait(lambda: t.addresses() == [f"{TUN[t.name]}/30"], "tunnel address")

        r1.sa_up()
        wait_link(r1, True)
        r1.wait(lambda: rip_running_on(r1), "ripd runs RIP on Tunnel0 (its request sent)")
        assert not r2.link_up() and not rip_running_on(r2)

        r2.sa_up()
        wait_link(r2, True)
        # r2's request reaches a running ripd
        r2.wait(lambda: r2.rip_route(LAN["r1"]) is not None, "route to r1's LAN", timeout=60)
        # r1's was lost; the announcement makes r1's ripd ask again
        r1.wait(lambda: r1.rip_route(LAN["r2"]) is not None, "route to r2's LAN", timeout=60)
        r1.router.wait_log(r"tunnel Tunnel0: announced up to ripd again \(\d of 5\)",
                           log="zebra", timeout=5)
        assert r1.rip_route(LAN["r2"])["nexthops"][0]["interfaceName"] == "Tunnel0"

        # the SA lost and back on both ends at once: both relearn, whichever
        # ripd starts first
        for t in routers.values():
            t.sa_down()
        for t in routers.values():
            t.wait(lambda: t.rip_route(LAN[PEER[t.name]]) is None, "route gone")
        for t in routers.values():
            t.sa_up()
        for t in routers.values():
            t.wait(lambda: t.rip_route(LAN[PEER[t.name]]) is not None,
                   "route back", timeout=60)
    finally:
        for t in routers.values():
            t.vici.stop()


def test_address_and_mtu_follow_the_configuration(pair):
    r1 = pair["r1"]
    r1.wait(lambda: r1.addresses() == ["10.10.10.1/30"], "initial address")
    r1.configure("interface Tunnel0", "ip address 10.20.30.1 255.255.255.0", "exit")
    r1.wait(lambda: r1.addresses() == ["10.20.30.1/24"], "changed address only")
    r1.configure("interface Tunnel0", "no ip address", "exit")
    r1.wait(lambda: r1.addresses() == [], "no address")
    r1.configure("interface Tunnel0", "ip address 10.10.10.1 255.255.255.252", "exit")
    r1.wait(lambda: r1.addresses() == ["10.10.10.1/30"], "address back")

    r1.configure("interface Tunnel0", "ip mtu 1400", "exit")
    r1.wait(lambda: r1.link()["mtu"] == 1400, "MTU 1400")
    r1.configure("interface Tunnel0", "no ip mtu", "exit")
    r1.wait(lambda: r1.link()["mtu"] == 1500, "MTU back to the device's own 1500")

    # an address someone else puts on the tunnel device does not stay
    r1.router.ip("addr", "add", "10.99.0.1/24", "dev", "Tunnel0")
    r1.wait(lambda: r1.addresses() == ["10.10.10.1/30"], "foreign address removed")

    # no tunnel destination: the tunnel cannot be up, whatever the SA says
    r1.sa_up()
    wait_link(r1, True)
    r1.configure("interface Tunnel0", "no tunnel destination", "exit")
    wait_link(r1, False)
    assert r1.tunnel()["reason"] == "no tunnel destination"
    r1.configure("interface Tunnel0", "tunnel destination 20.1.1.2", "exit")
    wait_link(r1, True)


def test_no_interface_releases_the_device(pair):
    r1 = pair["r1"]
    r1.sa_up()
    wait_link(r1, True)
    r1.configure("no interface Tunnel0")
    r1.wait(lambda: not r1.link_up() and r1.addresses() == [], "device released: down, no address")
    link = r1.link()
    assert "ifalias" not in link or link["ifalias"] == ""
    assert link["mtu"] == 1500
    assert "interface Tunnel0\n ip address" not in r1.vty("show running-config")
    assert json.loads(r1.vty("show tunnel interface json"))["tunnels"] == []
    r1.router.wait_log(r"released adopted device Tunnel0", log="zebra", timeout=5)
    # and back
    r1.configure(*ios_config("r1"))
    r1.wait(lambda: r1.link_up() and r1.addresses() == ["10.10.10.1/30"], "tunnel back up")


def test_foreign_devices_are_never_touched(lab):
    t = TunnelRouter(lab, "r1")
    lablib.run(["ip", "-n", t.router.ns, "link", "add", "Tunnel5", "type", "veth",
                "peer", "name", "other5"])
    t.router.ip("link", "set", "Tunnel5", "alias", "someone else's")
    t.router.ip("addr", "add", "10.5.5.5/24", "dev", "Tunnel5")
    t.router.start()
    t.wait_vici()
    t.configure("interface Tunnel5", "ip address 10.6.6.6 255.255.255.0",
                "tunnel source 20.1.1.1", "tunnel destination 20.1.1.2", "exit")
    t.wait(lambda: t.device_error("Tunnel5") == "device Tunnel5 has a foreign alias: left alone",
           "foreign device refused")
    assert t.addresses("Tunnel5") == ["10.5.5.5/24"]
    assert t.link("Tunnel5")["ifalias"] == "someone else's"
    t.vici.stop()


def running_config(t):
    """zebra's running configuration without the lines of the header."""
    out = t.vty("show running-config")
    lines = [line for line in out.splitlines()
             if line and not line.startswith(("Building", "Current configuration", "frr ",
                                              "hostname ", "end"))]
    return "\n".join(lines) + "\n"


def test_zebra_restart_adopts_its_devices_and_releases_stale_ones(pair):
    r1, r2 = pair["r1"], pair["r2"]
    for t in pair.values():
        t.sa_up()
    wait_routes(pair, True)
    ifindex = r1.link()["ifindex"]

    # a second tunnel device, marked by the module, that the restarted
    # zebra's configuration will no longer have
    lablib.run(["ip", "-n", r1.router.ns, "link", "add", "Tunnel1", "type", "veth",
                "peer", "name", "stub1"])
    r1.configure("interface Tunnel1", "ip address 10.1.1.1 255.255.255.0",
                 "tunnel source eth0", "tunnel destination 20.1.1.9", "exit")
    r1.wait(lambda: MARK.match(r1.link("Tunnel1").get("ifalias", "")), "Tunnel1 adopted")
    r1.wait(lambda: r1.addresses("Tunnel1") == ["10.1.1.1/24"], "Tunnel1 address")
    config = running_config(r1)
    config = config.replace("interface Tunnel1\n ip address 10.1.1.1 255.255.255.0\n"
                            " tunnel source eth0\n tunnel destination 20.1.1.9\nexit\n", "")
    assert "Tunnel1" not in config.replace("interface Tunnel1\nexit\n", "")

    # zebra dies without a word: the device stays as it was
    zebra = r1.router.processes["zebra"]
    zebra.signal_group(signal.SIGKILL)
    zebra.popen.wait(10)
    assert r1.link_up()

    r1.router.frr_conf["zebra"] = config
    log_offset = r1.router.log_size("zebra")
    r1.router.start_frr_daemon("zebra")
    r1.wait_vici()
    r1.router.wait_log(r"released adopted device Tunnel1", log="zebra", timeout=20,
                       since=log_offset)
    assert r1.addresses("Tunnel1") == [] and not r1.link_up("Tunnel1")
    # its own device: adopted again, not recreated, and it follows the SA
    # that charon still lists
    wait_link(r1, True)
    assert r1.link()["ifindex"] == ifindex
    assert r1.addresses() == ["10.10.10.1/30"] and r1.link()["mtu"] == 1420
    log = r1.router.log_path("zebra").read_text()[log_offset:]
    assert "adopted device Tunnel0" not in log
    assert re.search(r"IPsec SA up \(CHILD SA test-10", log)
    # ripd does not give a new zebra its routes again; watchfrr restarts
    # every daemon after zebra for that reason, and so does the test
    r1.router.processes["ripd"].stop()
    r1.router.start_frr_daemon("ripd")
    wait_routes(pair, True)

    # a clean stop takes the tunnel down (fail closed)
    r1.router.processes["zebra"].stop()
    assert not r1.link_up()


def kernel_has_gre(lab):
    ns = f"{lablib.NS_PREFIX}{lab.run_id}-gre-probe"
    lablib.run(["ip", "netns", "add", ns])
    lab.namespaces.append(ns)
    probe = subprocess.run(["ip", "-n", ns, "link", "add", "probe", "type", "gre",
                            "local", "127.0.0.1", "remote", "127.0.0.2"],
                           capture_output=True, text=True)
    return probe.returncode == 0, probe.stderr.strip()


def test_gre_mode_names_the_kernel_reason(lab):
    has_gre, said = kernel_has_gre(lab)
    t = TunnelRouter(lab, "r1", tunnel_device="gre")
    lablib.run(["ip", "-n", t.router.ns, "link", "add", "eth0", "type", "veth",
                "peer", "name", "eth1"])
    t.router.addr("eth0", "20.1.1.1/24")
    t.router.start()
    t.wait_vici()
    t.configure(*ios_config("r1"))
    if has_gre:
        t.wait(lambda: t.link()["linkinfo"]["info_kind"] == "gre", "GRE device created")
        assert not t.link_up()
    else:
        assert "Unknown device type" in said
        expected = "GRE device Tunnel0 not created: Unknown device type (Operation not supported)"
        # logged and shown at once, the tunnel's reason once the SA is up
        t.router.wait_log(re.escape(f"tunnel Tunnel0: {expected}"), log="zebra", timeout=10)
        tunnel = t.tunnel()
        assert tunnel["deviceError"] == expected and "device" not in tunnel
        assert tunnel["reason"] == "no IPsec SA to 20.1.1.2"
        assert "Device mode gre: no device" in t.vty("show tunnel interface")
        t.sa_up()
        t.wait(lambda: t.tunnel()["reason"] == expected, "creation failure as the reason")
        assert t.tunnel()["lineProtocol"] == "down"
    t.vici.stop()
