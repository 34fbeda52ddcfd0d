# SPDX-License-Identifier: GPL-2.0-or-later
"""The zebra module across restarts of zebra and of charon.

- IOS crypto configuration typed into zebra's vty and written with "write
  file" comes back unchanged when zebra is killed and started again on
  that file (key chains, ISAKMP policies, transform sets, maps, ACLs,
  tunnel interfaces); the same with the rebuilt vtysh, "write memory"
  into the integrated frr.conf and "vtysh -b" after the restart.
- zebra killed while charon (tests/lab/fake_vici.py) keeps its SAs: the
  map entries' SA state after the restart comes from list-sas alone,
  including SAs charon rekeyed while zebra was away.
- charon gone: every entry fails closed; charon back with another set of
  SAs: each entry follows the new set (test_frr_sa_state.py covers one
  entry whose SA is unchanged across the outage).
"""

import json
import os
import re
import signal
import subprocess
from pathlib import Path

import pytest

import lab as lablib
from fake_vici import FakeVici, child_sa, child_updown_event, ike_sa, ike_updown_event
from test_frr_ios_cli import KEY_101

TOP = Path(__file__).resolve().parents[2]
INSTALLED_MODULE = Path("/usr/lib/x86_64-linux-gnu/frr/modules/zebra_ios_crypto.so")
TREE_VTYSH = TOP / "build-vtysh" / "vtysh"
VTYSH_ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "TERM": "dumb",
             "VTYSH_PAGER": "cat", "HOME": "/root"}

# Router 102 of the IOS example and more: everything the module keeps,
# next to FRR-native lines of zebra (a description, an FRR access list
# sharing a number with the GRE entries).
CONFIG = [
    "crypto isakmp identity hostname",
    "crypto isakmp keepalive 20 5",
    "no crypto isakmp enable",
    "crypto isakmp policy 1", "authentication rsa-encr", "exit",
    "crypto isakmp policy 20", "encryption aes 256", "hash md5", "group 14",
    "lifetime 3600", "authentication pre-share", "exit",
    "crypto isakmp policy 30", "authentication rsa-encr revised", "exit",
    "crypto isakmp key s3cret address 20.1.1.3",
    "crypto isakmp key any address 0.0.0.0 0.0.0.0",
    "crypto ipsec transform-set test esp-des esp-sha-hmac", "mode transport", "exit",
    "crypto ipsec transform-set strong esp-aes 256 esp-md5-hmac", "exit",
    "access-list 101 seq 5 permit ip host 1.1.1.1 host 2.2.2.2",
    "access-list 101 permit gre host 20.1.1.2 host 20.1.1.1",
    "access-list 102 deny gre host 20.1.1.2 host 20.1.1.9",
    "access-list 102 permit gre host 20.1.1.2 host 20.1.1.3",
    "crypto map test 10 ipsec-isakmp", "set peer 20.1.1.1",
    "set transform-set test", "match address 101", "exit",
    "crypto map test 20 ipsec-isakmp", "set peer 20.1.1.3",
    "set transform-set strong", "match address 102", "exit",
    "crypto key pubkey-chain rsa",
    "named-key 101.cisco.com", "address 20.1.1.1", "key-string", *KEY_101, "quit",
    "exit",
    "addressed-key 20.1.1.3 encryption", "serial-number 0123ABC", "key-string",
    *KEY_101, "quit", "exit",
    "exit",
    "interface Tunnel0", "ip address 10.10.10.2 255.255.255.252", "ip mtu 1420",
    "tunnel source eth0", "tunnel destination 20.1.1.1", "crypto map test", "exit",
    "interface Tunnel1", "ip address 10.10.11.2 255.255.255.252",
    "tunnel source 20.1.1.2", "tunnel destination 20.1.1.3", "crypto map test", "exit",
    "interface eth0", "description uplink", "crypto map test", "exit",
]

# what the running-config must hold for the comparison to mean anything
MUST_SHOW = [
    "crypto isakmp identity hostname", "crypto isakmp keepalive 20 5",
    "no crypto isakmp enable", "crypto isakmp policy 20\n authentication pre-share\n",
    "crypto isakmp policy 30\n authentication rsa-encr revised\n",
    "crypto isakmp key any address 0.0.0.0 0.0.0.0\ncrypto isakmp key s3cret address 20.1.1.3\n",
    "crypto ipsec transform-set strong esp-aes 256 esp-md5-hmac",
    "crypto map test 10 ipsec-isakmp\n set peer 20.1.1.1\n",
    "crypto map test 20 ipsec-isakmp\n set peer 20.1.1.3\n",
    " named-key 101.cisco.com\n  address 20.1.1.1\n  key-string\n",
    " addressed-key 20.1.1.3 encryption\n", "  serial-number 0123ABC\n",
    "interface Tunnel1\n ip address 10.10.11.2 255.255.255.252\n",
    " ip mtu 1420\n", " description uplink\n",
    "access-list 101 seq 5 permit ip host 1.1.1.1 host 2.2.2.2",
    "access-list 102 deny gre host 20.1.1.2 host 20.1.1.9",
]

# (crypto map entry, peer, tunnel)
ENTRIES = [(("test", 10), "20.1.1.1", "Tunnel0"), (("test", 20), "20.1.1.3", "Tunnel1")]


def module():
    moduledir = os.environ.get("SUITE_FRR_MODULEDIR")
    return Path(moduledir) / "zebra_ios_crypto.so" if moduledir else INSTALLED_MODULE


@pytest.fixture(autouse=True)
def require_module():
    if not module().exists():
        pytest.fail(f"{module()} is missing: run scripts/build --install, or "
                    "scripts/build and set SUITE_FRR_MODULEDIR to its .libs")


@pytest.fixture
def peer(lab):
    fake = FakeVici(lab.dir / "fake.vici").start()
    yield fake
    fake.stop()


def start_zebra(lab, vici="off"):
    # this kernel has no GRE: the tunnels adopt veth stand-ins
    router = lab.add_router("r1", start=False, charon=False, daemons=("zebra",),
                            daemon_args={"zebra": ["-M", f"ios_crypto:vici={vici},"
                                                         "tunnel-device=adopt"]})
    for name in ("Tunnel0", "Tunnel1"):
        router.ip("link", "add", name, "type", "veth", "peer", "name", f"{name}-peer")
    router.start()
    return router


def running(router):
    return router.vty("zebra", "show running-config")


def oper_state(router):
    out = router.vty("zebra",
                     "show yang operational-data /ios-ipsec-suite:ios format json")
    return json.loads(out or "{}").get("ios-ipsec-suite:ios", {})


def map_states(router):
    """{(name, seq): state} of the crypto map entries."""
    return {(m["name"], m["sequence"]): m["state"]
            for m in oper_state(router).get("crypto", {}).get("map", [])}


def tunnel_states(router):
    return {i["name"]: i["tunnel"]["state"]
            for i in oper_state(router).get("interface", []) if "tunnel" in i}


def vici_status(router):
    return json.loads(router.vty("zebra", "show crypto vici json"))


def wait_vici(router, state, what, **more):
    def check():
        st = vici_status(router)
        return st if st["state"] == state and all(st.get(k) == v for k, v in more.items()) \
            else None
    return lablib.wait_until(check, 20, 0.1, what)


def wait_entries(router, wanted, what):
    """Wait until each entry's sa-state is wanted[entry]; return the states."""
    def check():
        states = map_states(router)
        return states if all(states[e]["sa-state"] == s for e, s in wanted.items()) \
            else None
    return lablib.wait_until(check, 10, 0.1, what)


def show_json(router, command):
    return json.loads(router.vty("zebra", command + " json"))


def without_comments(conf):
    """A saved file without its "! ... saved from vty / date" header."""
    return [line for line in conf.splitlines() if not re.match(r"!\s+\S", line)]


def summary(router):
    """What the configuration makes of the entries and tunnels (no times)."""
    maps = {e: (s["status"], s.get("reason"), s["sa-state"])
            for e, s in map_states(router).items()}
    tunnels = {n: (s["oper-status"], s.get("reason")) for n, s in tunnel_states(router).items()}
    return maps, tunnels


# --------------------------------------------------------------------------
# the configuration


def test_written_configuration_survives_a_zebra_crash(lab):
    router = start_zebra(lab)
    router.vty("zebra", "configure terminal", *CONFIG)
    before = running(router)
    for text in MUST_SHOW:
        assert text in before, text
    state = summary(router)
    assert state[0][("test", 20)][0] == "active"

    out = router.vty("zebra", "write file")
    assert f"Configuration saved to {router.frr_conf_path('zebra')}" in out
    saved = router.frr_conf_path("zebra").read_text()
    assert "crypto map test 20 ipsec-isakmp" in saved

    router.restart_frr_daemon("zebra", signal.SIGKILL)
    assert running(router) == before
    assert summary(router) == state
    assert "on config line" not in router.log_path("zebra").read_text()

    # written again from what it read, the file does not change
    router.vty("zebra", "write file")
    assert without_comments(router.frr_conf_path("zebra").read_text()) == \
        without_comments(saved)


def rebuilt_vtysh():
    """The rebuilt vtysh: installed (scripts/build-vtysh --status), else the
    one scripts/build-vtysh left in build-vtysh/; None without either."""
    status = subprocess.run([str(TOP / "scripts" / "build-vtysh"), "--status"],
                            capture_output=True, text=True).stdout
    if "ios-ipsec-suite" in status:
        return Path("/usr/bin/vtysh")
    return TREE_VTYSH if TREE_VTYSH.exists() else None


def vtysh(binary, router, *args):
    argv = [str(binary), "--vty_socket", str(router.dir), "--config_dir", str(router.dir),
            *args]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                          env=VTYSH_ENV)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_integrated_configuration_survives_a_zebra_crash(lab):
    binary = rebuilt_vtysh()
    if binary is None:
        pytest.skip("no rebuilt vtysh: /usr/bin/vtysh is Debian's (scripts/build-vtysh "
                    "--status) and build-vtysh/vtysh is not built (scripts/build-vtysh)")
    router = start_zebra(lab)
    (router.dir / "vtysh.conf").write_text("service integrated-vtysh-config\n")
    commands = [arg for line in ["configure terminal", *CONFIG] for arg in ("-c", line)]
    vtysh(binary, router, *commands)
    shown = vtysh(binary, router, "-c", "show running-config")
    before = running(router)
    for text in MUST_SHOW:
        assert text in before, text

    vtysh(binary, router, "-c", "write memory")
    integrated = (router.dir / "frr.conf").read_text()
    assert "crypto map test 20 ipsec-isakmp" in integrated
    assert "crypto map test" not in router.frr_conf_path("zebra").read_text()

    router.restart_frr_daemon("zebra", signal.SIGKILL)
    assert "crypto map" not in running(router)
    out = vtysh(binary, router, "-b")
    assert "NOTE" not in out and "Enter a public key" not in out
    assert vtysh(binary, router, "-c", "show running-config") == shown
    assert running(router) == before


# --------------------------------------------------------------------------
# SA state across restarts


def sa(index, ike_id, child_id, reqid, spi):
    """An IKE SA of ENTRIES[index] with one CHILD SA (SPIs c/d + spi)."""
    (name, seq), remote, _ = ENTRIES[index]
    conn = f"{name}-{seq}"
    child = child_sa(conn, child_id, reqid=reqid, spi_in=f"c{spi:07x}",
                     spi_out=f"d{spi:07x}", local_ts=("20.1.1.2/32[gre]",),
                     remote_ts=(f"{remote}/32[gre]",))
    ike = ike_sa(conn, ike_id, local="20.1.1.2", remote=remote)
    return ike, child


def listed(ike, child):
    """The IKE SA as list-sas streams it, with its CHILD SA."""
    name, body = next(iter(ike.items()))
    return {name: dict(body, **{"child-sas": dict(child)})}


def configured_zebra(lab, peer):
    router = start_zebra(lab, peer.path)
    wait_vici(router, "established", "zebra established with the fake peer")
    router.vty("zebra", "configure terminal", *CONFIG)
    return router


def assert_entry_sa(router, entry, spi, ike_id):
    (key, remote, tunnel) = entry
    state = map_states(router)[key]
    assert state["sa-state"] == "up"
    assert (state["spi-in"], state["spi-out"]) == (0xc0000000 | spi, 0xd0000000 | spi)
    assert tunnel_states(router)[tunnel]["oper-status"] == "up"
    [row] = [s for s in show_json(router, "show crypto isakmp sa")["sas"]
             if s["remote"] == remote]
    assert row["connId"] == ike_id


def test_sa_state_is_rebuilt_from_list_sas_after_a_zebra_crash(lab, peer):
    router = configured_zebra(lab, peer)
    router.vty("zebra", "write file")
    first = [sa(0, 1, 2, 1, 0xa), sa(1, 3, 4, 2, 0xb)]
    for ike, child in first:
        peer.emit("ike-updown", ike_updown_event(True, ike))
        peer.emit("child-updown", child_updown_event(True, ike, child))
    wait_entries(router, {ENTRIES[0][0]: "up", ENTRIES[1][0]: "up"}, "both entries up")
    assert_entry_sa(router, ENTRIES[0], 0xa, 1)

    # charon keeps its SAs while zebra is away, and rekeys one of them
    rekeyed = sa(0, 1, 5, 1, 0xc)
    peer.sas[:] = [listed(*rekeyed), listed(*first[1])]
    router.restart_frr_daemon("zebra", signal.SIGKILL)
    st = wait_vici(router, "established", "restarted zebra established", resyncs=1)
    assert st["events"]["ikeUpdown"] == 0 and st["events"]["childUpdown"] == 0
    assert peer.requests("list-sas", connection=2) == [{}]

    wait_entries(router, {ENTRIES[0][0]: "up", ENTRIES[1][0]: "up"},
                 "both entries up from list-sas")
    assert_entry_sa(router, ENTRIES[0], 0xc, 1)
    assert_entry_sa(router, ENTRIES[1], 0xb, 3)
    crypto_map = router.vty("zebra", "show crypto map")
    assert "Current peer: 20.1.1.1" in crypto_map
    assert "Current peer: 20.1.1.3" in crypto_map
    spis = {blk["currentPeer"]: blk["currentOutboundSpi"]
            for blk in show_json(router, "show crypto ipsec sa")["interfaces"]
            if blk["interface"].startswith("Tunnel")}
    assert spis == {"20.1.1.1": "0xD000000C", "20.1.1.3": "0xD000000B"}


def test_charon_loss_fails_closed_and_resync_follows_the_new_sas(lab, peer):
    a = sa(0, 1, 2, 1, 0xa)
    b = sa(1, 3, 4, 2, 0xb)
    peer.sas[:] = [listed(*a), listed(*b)]
    router = configured_zebra(lab, peer)
    both = {ENTRIES[0][0]: "up", ENTRIES[1][0]: "up"}
    wait_entries(router, both, "both entries up from the first list-sas")

    peer.stop()
    wait_vici(router, "disconnected", "VICI disconnected")
    states = wait_entries(router, {ENTRIES[0][0]: "down", ENTRIES[1][0]: "down"},
                          "every entry down without charon")
    assert all("spi-in" not in s for s in states.values())
    for _, remote, tunnel in ENTRIES:
        tunnel_state = tunnel_states(router)[tunnel]
        assert tunnel_state["oper-status"] == "down"
        assert tunnel_state["reason"] == f"no IPsec SA to {remote}"

    # charon is back: the SA of entry 10 did not survive, entry 20's peer
    # negotiated a new one
    b_new = sa(1, 6, 7, 3, 0xd)
    peer.sas[:] = [listed(*b_new)]
    peer.start()
    wait_vici(router, "established", "VICI re-established", resyncs=2)
    states = wait_entries(router, {ENTRIES[0][0]: "down", ENTRIES[1][0]: "up"},
                          "entry 20 up on its new SA, entry 10 down")
    assert states[ENTRIES[0][0]]["sa-changes"] == 2
    assert states[ENTRIES[1][0]]["sa-changes"] == 3
    assert_entry_sa(router, ENTRIES[1], 0xd, 6)
    assert tunnel_states(router)["Tunnel0"]["oper-status"] == "down"
    assert [s["connId"] for s in show_json(router, "show crypto isakmp sa")["sas"]] == [6]
    crypto_map = router.vty("zebra", "show crypto map")
    assert "Current peer: 20.1.1.3" in crypto_map
    assert "Current peer: 20.1.1.1" not in crypto_map
