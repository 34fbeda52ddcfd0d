#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""NETCONF against the vty: TUNNELS GRE tunnels committed in one
<edit-config>, and a <get> of their state, with the same configuration
typed into zebra's vty as the baseline measured in the same run.

A tunnel is what the IOS example configures per peer: a crypto map entry
(set peer, set transform-set, match address) and an interface TunnelN
(ip address, tunnel source, tunnel destination, crypto map). Every run
starts from a fresh zebra (-M ios_crypto -M ios_netconf) per method.

Figures: wall-clock seconds of the edit (NETCONF: one edit-config to
running, i.e. one FRR commit; vty: one command per line as an operator or
a script types them, each committed on its own by FRR), of a full <get>
with operational state (vty: "show yang operational-data"), and of a
subtree-filtered <get> of the tunnels' state. Median of ROUNDS rounds.

The vty baseline grows faster than linearly (every command is one FRR
commit of the whole configuration): 1000 tunnels take many minutes.

Usage: bench_netconf [--tunnels 1000] [--rounds 1]
(run as root; tests/bench/run builds and runs it)
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

TOP = Path("@TOP_SRCDIR@")
if not (TOP / "tests" / "lab" / "lab.py").exists():     # run from the source tree
    TOP = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(TOP / "tests" / "lab"))

# the modules of this build, unless told otherwise (lab.py reads this)
BUILD_MODULES = TOP / "build" / "frr-integration" / "zebra" / ".libs"
if BUILD_MODULES.is_dir():
    os.environ.setdefault("SUITE_FRR_MODULEDIR", str(BUILD_MODULES))

import lab as lablib  # noqa: E402
import netconf_lab as nl  # noqa: E402

NS = nl.NS_SUITE


def peer(n):
    return f"10.{100 + n // 250}.{n % 250 + 1}.2"


def local(n):
    return f"10.{100 + n // 250}.{n % 250 + 1}.1"


def tunnel_xml(count):
    maps, interfaces = [], []
    for n in range(1, count + 1):
        maps.append(f"<map><name>bench</name><sequence>{n}</sequence><peer>{peer(n)}</peer>"
                    "<transform-set>ts</transform-set><match-address>101</match-address></map>")
        interfaces.append(
            f"<interface><name>Tunnel{n}</name><tunnel><ipv4-address>"
            f"<address>172.{16 + n // 250}.{n % 250}.1</address>"
            "<netmask>255.255.255.252</netmask></ipv4-address>"
            f"<source-address>{local(n)}</source-address>"
            f"<destination>{peer(n)}</destination></tunnel>"
            "<crypto-map>bench</crypto-map></interface>")
    return ('<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">'
            f'<ios xmlns="{NS}"><crypto><ipsec><transform-set><name>ts</name>'
            "<esp-encryption>esp-des</esp-encryption><esp-integrity>esp-sha-hmac"
            "</esp-integrity><mode>transport</mode></transform-set></ipsec>"
            + "".join(maps) + "</crypto>"
            "<access-list><number>101</number><entry><sequence>10</sequence>"
            "<action>permit</action><source-host>20.1.1.1</source-host>"
            "<destination-host>20.1.1.2</destination-host></entry></access-list>"
            + "".join(interfaces) + "</ios></config>")


def tunnel_commands(count):
    lines = ["crypto ipsec transform-set ts esp-des esp-sha-hmac", "mode transport", "exit",
             "access-list 101 permit gre host 20.1.1.1 host 20.1.1.2"]
    for n in range(1, count + 1):
        lines += [f"crypto map bench {n} ipsec-isakmp", f"set peer {peer(n)}",
                  "set transform-set ts", "match address 101", "exit"]
    for n in range(1, count + 1):
        lines += [f"interface Tunnel{n}",
                  f"ip address 172.{16 + n // 250}.{n % 250}.1 255.255.255.252",
                  f"tunnel source {local(n)}", f"tunnel destination {peer(n)}",
                  "crypto map bench", "exit"]
    return lines


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run_netconf(lab, count, name):
    router, server = nl.start_router(lab, name=name)
    nl.wait_listening(router, server)
    manager = nl.connect(router, server, timeout=600)
    config = tunnel_xml(count)
    edit, _ = timed(lambda: manager.edit_config(target="running", config=config))
    running = router.vty("zebra", "show running-config", timeout=600)
    assert running.count("interface Tunnel") == count, "not all tunnels committed"
    get, reply = timed(lambda: manager.get())
    assert reply.data_xml.count("<oper-status>") == count
    filtered, reply = timed(lambda: manager.get(filter=(
        "subtree", f'<ios xmlns="{NS}"><interface><tunnel><state/></tunnel></interface></ios>')))
    assert reply.data_xml.count("<oper-status>") == count
    manager.close_session()
    return edit, get, filtered


def run_vty(lab, count, name):
    router = lab.add_router(name, charon=False, daemons=("zebra",),
                            daemon_args={"zebra": ["-M", "ios_crypto"]})
    commands = tunnel_commands(count)
    edit, _ = timed(lambda: router.vty("zebra", "configure terminal", *commands,
                                       timeout=3600))
    running = router.vty("zebra", "show running-config", timeout=600)
    assert running.count("interface Tunnel") == count, "not all tunnels configured"
    get, out = timed(lambda: router.vty(
        "zebra", "show yang operational-data /ios-ipsec-suite:ios format xml", timeout=600))
    assert out.count("<oper-status>") == count
    return edit, get


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tunnels", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench_netconf: needs root (network namespaces)")

    nc_edit, nc_get, nc_filtered, vty_edit, vty_get = [], [], [], [], []
    for rnd in range(args.rounds):
        with lablib.Lab() as lab:
            edit, get, filtered = run_netconf(lab, args.tunnels, f"nc{rnd}")
            nc_edit.append(edit)
            nc_get.append(get)
            nc_filtered.append(filtered)
            edit, get = run_vty(lab, args.tunnels, f"vty{rnd}")
            vty_edit.append(edit)
            vty_get.append(get)
        print(f"round {rnd + 1}: netconf edit {nc_edit[-1]:.2f} s, get {nc_get[-1]:.2f} s, "
              f"filtered get {nc_filtered[-1]:.2f} s; vty edit {vty_edit[-1]:.2f} s, "
              f"oper-data {vty_get[-1]:.2f} s", flush=True)

    med = statistics.median
    print(f"\n{args.tunnels} tunnels, median of {args.rounds} rounds:")
    print(f"  commit, NETCONF <edit-config> (one commit): {med(nc_edit):8.2f} s")
    print(f"  commit, vty commands (baseline)           : {med(vty_edit):8.2f} s"
          f"   NETCONF/vty = {med(nc_edit) / med(vty_edit):.3f}")
    print(f"  state, NETCONF <get> (config + state)     : {med(nc_get):8.2f} s")
    print(f"  state, NETCONF <get> subtree tunnel state : {med(nc_filtered):8.2f} s")
    print(f"  state, vty show yang operational-data     : {med(vty_get):8.2f} s"
          f"   NETCONF/vty = {med(nc_get) / med(vty_get):.3f}")


if __name__ == "__main__":
    main()
