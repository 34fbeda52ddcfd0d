#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""zebra with the IOS crypto module at scale: TUNNELS tunnels, each with
its crypto map entry, access-list line and interface TunnelN, typed into
zebra's vty one command at a time (each command is one northbound commit),
against a baseline of as many FRR-native interface stanzas (interface X /
description) typed through the same vty path into a second zebra that
loads the same module.

Per tunnel (12 commands):
    crypto map bench SEQ ipsec-isakmp / set peer / set transform-set /
    match address 1NN / exit
    access-list 1NN permit gre host SRC host PEER
    interface TunnelN / ip address A MASK / tunnel source / tunnel
    destination / crypto map bench / exit
(one map "bench" with an entry per peer, as an IOS hub applies one map;
access lists are 100-199 only, so list 100 + N % 100 collects the lines of
every hundredth tunnel). Baseline per stanza (3 commands): interface benchN
/ description / exit.

Reported: apply time in total, per tunnel and per command (first and last
batch too: each commit validates the whole candidate, so a command costs
more the larger the configuration), RSS delta of zebra (/proc) and the
module's MTYPE bytes (show memory) per tunnel, and "show running-config"
time; then, for FILE_TUNNELS tunnels and as many native stanzas written as
a configuration file, zebra's start-up on that file and the same file fed
through the rebuilt vtysh (-f) when there is one; with --boot-tunnels,
an integrated frr.conf applied by "vtysh -b" (FRR's boot path: zebra
batches the commands into one commit until a command forces one, see
doc/frr-module.md), with its memory and "show running-config" figures,
and with --baseline the same for another build of the module. Ratios:
crypto / native, and crypto / baseline. The figures of the module grow faster than linearly with
the number of tunnels (see doc/frr-module.md, "Scale and restarts"):
1000 tunnels through the vty take over an hour of zebra CPU, hence 1000
by vtysh -b and 300 through the vty by default (about 30 minutes in all).

Usage: bench_frr_scale [--tunnels 300] [--batch 100] [--file-tunnels 200]
                       [--boot-tunnels 1000] [--vici fake|off] [--vtysh PATH]
                       [--baseline MODULEDIR]
(run as root; tests/bench/run builds and runs it; the module is taken from
the build tree unless SUITE_FRR_MODULEDIR says otherwise)
"""

import argparse
import ipaddress
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

TOP = Path("@TOP_SRCDIR@")
if not (TOP / "tests" / "lab" / "lab.py").exists():     # run from the source tree
    TOP = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(TOP / "tests" / "lab"))

import lab as lablib  # noqa: E402
from fake_vici import FakeVici  # noqa: E402

BUILD_MODULEDIR = TOP / "build" / "frr-integration" / "zebra" / ".libs"
TREE_VTYSH = TOP / "build-vtysh" / "vtysh"
SOURCE = "20.1.1.1"
PEERS = ipaddress.IPv4Address("20.2.0.1")
TUNNEL_NETS = ipaddress.IPv4Address("10.0.0.0")
MODULE_GROUPS = ("ios-ipsec-suite",)
PRELUDE = ["crypto ipsec transform-set bench esp-aes 256 esp-sha-hmac",
           "mode transport", "exit"]


# --- the configurations -------------------------------------------------------

def tunnel_commands(i):
    """The 12 commands of tunnel i (0-based)."""
    peer = PEERS + i
    acl = 100 + i % 100
    local = TUNNEL_NETS + 4 * i + 1
    return [f"crypto map bench {i + 1} ipsec-isakmp", f"set peer {peer}",
            "set transform-set bench", f"match address {acl}", "exit",
            f"access-list {acl} permit gre host {SOURCE} host {peer}",
            f"interface Tunnel{i}", f"ip address {local} 255.255.255.252",
            f"tunnel source {SOURCE}", f"tunnel destination {peer}",
            "crypto map bench", "exit"]


def native_commands(i):
    """The 3 commands of FRR-native interface stanza i."""
    return [f"interface bench{i}", f"description bench interface {i}", "exit"]


# --- zebra --------------------------------------------------------------------

def zebra_pid(router):
    return int((router.dir / "zebra.pid").read_text())


def rss_kib(router):
    status = Path(f"/proc/{zebra_pid(router)}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1))


def cpu_seconds(router):
    """zebra's CPU time so far (user + system): what zebra did, whatever
    else shares the machine."""
    stat = Path(f"/proc/{zebra_pid(router)}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


MEM_LINE = re.compile(r"^(.*?)\s*:\s+(\d+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$")


def memory_groups(router):
    """{group: {mtype: (count, total bytes)}} of zebra's 'show memory'."""
    groups, current = {}, None
    for line in router.vty("zebra", "show memory").splitlines():
        head = re.match(r"^--- qmem (.*) ---$", line)
        if head:
            current = groups.setdefault(head.group(1), {})
            continue
        m = MEM_LINE.match(line)
        if m and current is not None:
            current[m.group(1)] = (int(m.group(2)), int(m.group(4)))
    return groups


def group_bytes(groups, names=None):
    return sum(total for name, types in groups.items()
               if names is None or name in names
               for _, total in types.values())


def apply(router, commands, per_item, batch):
    """Type commands in batches of one vty session each; per-batch times."""
    times, cpu, step = [], [], batch * per_item
    for start in range(0, len(commands), step):
        chunk = commands[start:start + step]
        began, cpu0 = time.perf_counter(), cpu_seconds(router)
        router.vty("zebra", "configure terminal", *chunk, timeout=3600)
        times.append(time.perf_counter() - began)
        cpu.append(cpu_seconds(router) - cpu0)
        print(f"  {router.name}: {(start + step) // per_item} applied, last {batch}: "
              f"{ms(times[-1] / batch)} per item, zebra CPU {ms(cpu[-1] / batch)}",
              flush=True)
    return times, cpu


def running_config_time(router, rounds=5):
    times, text = [], ""
    for _ in range(rounds):
        began = time.perf_counter()
        text = router.vty("zebra", "show running-config", timeout=600)
        times.append(time.perf_counter() - began)
    return statistics.median(times), text


def start_zebra(lab, name, vici, conf=None, moduledir=None):
    """A zebra loading the module (from moduledir if given)."""
    saved = os.environ["SUITE_FRR_MODULEDIR"]
    if moduledir:
        os.environ["SUITE_FRR_MODULEDIR"] = str(moduledir)
    try:
        return lab.add_router(name, charon=False, daemons=("zebra",),
                              daemon_args={"zebra": ["-M", f"ios_crypto:vici={vici}"]},
                              frr_conf={"zebra": conf} if conf else None)
    finally:
        os.environ["SUITE_FRR_MODULEDIR"] = saved


def count_stanzas(text, kind):
    pattern = r"^interface Tunnel\d+$" if kind == "crypto" else r"^interface bench\d+$"
    return len(re.findall(pattern, text, re.M))


def startup_time(lab, name, vici, conf, kind, count):
    """zebra started with conf as its file, until all stanzas are running."""
    began = time.perf_counter()
    router = start_zebra(lab, name, vici, conf=conf)
    lablib.wait_until(lambda: count_stanzas(router.vty("zebra", "show running-config",
                                                       timeout=3600), kind) == count,
                      timeout=3600, interval=0.05, what=f"{name}: configuration loaded")
    return time.perf_counter() - began


def find_vtysh(explicit):
    """The rebuilt vtysh: --vtysh, the installed one, or build-vtysh/vtysh."""
    if explicit:
        return Path(explicit)
    status = subprocess.run([str(TOP / "scripts" / "build-vtysh"), "--status"],
                            capture_output=True, text=True).stdout
    if "ios-ipsec-suite" in status:
        return Path("/usr/bin/vtysh")
    return TREE_VTYSH if TREE_VTYSH.exists() else None


def vtysh_file_time(vtysh, router, lines, kind, count):
    conf = router.dir / "bench-input.conf"
    conf.write_text("\n".join(lines) + "\n")
    began = time.perf_counter()
    proc = subprocess.run([str(vtysh), "--vty_socket", str(router.dir),
                           "--config_dir", str(router.dir), "-f", str(conf)],
                          capture_output=True, text=True, timeout=3600,
                          env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
                               "VTYSH_PAGER": "cat", "HOME": "/root"})
    elapsed = time.perf_counter() - began
    if proc.returncode != 0:
        raise SystemExit(f"vtysh -f {conf} failed ({proc.returncode}):\n"
                         f"{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    shown = count_stanzas(router.vty("zebra", "show running-config", timeout=600), kind)
    if shown != count:
        raise SystemExit(f"vtysh -f: {shown} of {count} stanzas in the running-config")
    return elapsed


# --- the run --------------------------------------------------------------------

def measure(lab, name, vici, prelude, commands, per_item, count, kind, batch):
    router = start_zebra(lab, name, vici)
    if prelude:
        router.vty("zebra", "configure terminal", *prelude)
    rss0, mem0 = rss_kib(router), memory_groups(router)
    times, cpu = apply(router, commands, per_item, batch)
    rss1, mem1 = rss_kib(router), memory_groups(router)
    show, text = running_config_time(router)
    if count_stanzas(text, kind) != count:
        raise SystemExit(f"{name}: {count_stanzas(text, kind)} of {count} stanzas "
                         "in the running-config")
    return {
        "router": router, "apply": sum(times), "first": times[0] / batch,
        "last": times[-1] / batch, "commands": len(commands), "cpu": sum(cpu),
        "cpu_first": cpu[0] / batch, "cpu_last": cpu[-1] / batch,
        "rss": (rss1 - rss0) * 1024, "module": group_bytes(mem1, MODULE_GROUPS)
        - group_bytes(mem0, MODULE_GROUPS), "mtypes": group_bytes(mem1)
        - group_bytes(mem0), "show": show,
        "module_types": mem1.get("ios-ipsec-suite", {}),
    }


def bench_vty(args, lab, vici):
    n = args.tunnels
    native = measure(lab, "native", vici, [],
                     [c for i in range(n) for c in native_commands(i)], 3, n, "native",
                     args.batch)
    crypto = measure(lab, "crypto", vici, PRELUDE,
                     [c for i in range(n) for c in tunnel_commands(i)], 12, n, "crypto",
                     args.batch)
    return native, crypto


def bench_files(args, lab, vici):
    """Start-up from a file and vtysh -f, for --file-tunnels of each kind."""
    m = args.file_tunnels
    files = {"native": [c for i in range(m) for c in native_commands(i)],
             "crypto": PRELUDE + [c for i in range(m) for c in tunnel_commands(i)]}
    boot = {kind: startup_time(lab, f"{kind}-boot", vici, "\n".join(lines), kind, m)
            for kind, lines in files.items()}
    vtysh = find_vtysh(args.vtysh)
    fed = {}
    if vtysh:
        fed = {kind: vtysh_file_time(vtysh, start_zebra(lab, f"{kind}-file", vici),
                                     lines, kind, m)
               for kind, lines in files.items()}
    return boot, fed, vtysh


def ms(seconds):
    return f"{seconds * 1000:.2f} ms"


def boot_measure(lab, name, vici, vtysh, lines, count, kind, moduledir=None):
    """vtysh -b (FRR's boot path: the integrated frr.conf, commands batched
    between the commands that force a commit)."""
    router = start_zebra(lab, name, vici, moduledir=moduledir)
    (router.dir / "vtysh.conf").write_text("service integrated-vtysh-config\n")
    (router.dir / "frr.conf").write_text("\n".join(lines) + "\n")
    rss0, mem0, cpu0 = rss_kib(router), memory_groups(router), cpu_seconds(router)
    began = time.perf_counter()
    proc = subprocess.run([str(vtysh), "--vty_socket", str(router.dir),
                           "--config_dir", str(router.dir), "-b"],
                          capture_output=True, text=True, timeout=7200,
                          env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
                               "VTYSH_PAGER": "cat", "HOME": "/root"})
    elapsed = time.perf_counter() - began
    if proc.returncode != 0:
        raise SystemExit(f"{name}: vtysh -b failed ({proc.returncode}):\n"
                         f"{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    rss1, mem1, cpu1 = rss_kib(router), memory_groups(router), cpu_seconds(router)
    show, text = running_config_time(router)
    if count_stanzas(text, kind) != count:
        raise SystemExit(f"{name}: {count_stanzas(text, kind)} of {count} stanzas "
                         "in the running-config after vtysh -b")
    print(f"  {name}: vtysh -b {elapsed:.2f} s, zebra CPU {cpu1 - cpu0:.2f} s", flush=True)
    return {"apply": elapsed, "cpu": cpu1 - cpu0, "rss": (rss1 - rss0) * 1024,
            "mtypes": group_bytes(mem1) - group_bytes(mem0),
            "module": group_bytes(mem1, MODULE_GROUPS) - group_bytes(mem0, MODULE_GROUPS),
            "show": show}


def bench_boot(args, lab, vici):
    vtysh = find_vtysh(args.vtysh)
    if not vtysh:
        return None
    k = args.boot_tunnels
    native = boot_measure(lab, "native-b", vici, vtysh,
                          [c for i in range(k) for c in native_commands(i)], k, "native")
    lines = PRELUDE + [c for i in range(k) for c in tunnel_commands(i)]
    crypto = boot_measure(lab, "crypto-b", vici, vtysh, lines, k, "crypto")
    base = None
    if args.baseline:
        base = boot_measure(lab, "base-b", vici, vtysh, lines, k, "crypto",
                            moduledir=args.baseline)
    return native, crypto, base


def report_boot(args, results):
    if results is None:
        print("vtysh -b: skipped, no rebuilt vtysh (scripts/build-vtysh [--install])")
        return
    native, crypto, base = results
    k = args.boot_tunnels
    print(f"{k} tunnels vs {k} native stanzas in frr.conf, applied by vtysh -b"
          + (f"; baseline: the module in {args.baseline}" if base else "") + ":")
    rows = (("vtysh -b, total", "apply", lambda v: f"{v:.2f} s"),
            ("  per tunnel/stanza", "apply", lambda v: ms(v / k)),
            ("zebra CPU, total", "cpu", lambda v: f"{v:.2f} s"),
            ("  per tunnel/stanza", "cpu", lambda v: ms(v / k)),
            ("RSS delta per tunnel", "rss", lambda v: f"{v / k / 1024:.1f} KiB"),
            ("all MTYPEs per tunnel", "mtypes", lambda v: f"{v / k / 1024:.2f} KiB"),
            ("module MTYPEs per tunnel", "module", lambda v: f"{v / k:.0f} B"),
            ("show running-config", "show", ms))
    head = f"{'':<28} {'crypto':>12} {'native':>12} {'ratio':>8}"
    if base:
        head += f" {'baseline':>12} {'vs base':>8}"
    print(head)
    for label, key, fmt in rows:
        ratio = f"{crypto[key] / native[key]:.2f}x" if native[key] > 0 else ""
        line = f"{label:<28} {fmt(crypto[key]):>12} {fmt(native[key]):>12} {ratio:>8}"
        if base:
            vs = f"{crypto[key] / base[key]:.2f}x" if base[key] > 0 else ""
            line += f" {fmt(base[key]):>12} {vs:>8}"
        print(line)
    sys.stdout.flush()


def report_vty(args, native, crypto):
    n = args.tunnels
    print(f"{n} tunnels (12 commands each) vs {n} FRR-native interface stanzas "
          f"(3 commands each) typed into zebra's vty, one commit per command, "
          f"vici={args.vici}, {os.cpu_count()} cores")
    rows = (
        ("apply, total", lambda r: f"{r['apply']:.2f} s"),
        ("apply, per tunnel/stanza", lambda r: ms(r["apply"] / n)),
        ("apply, per command", lambda r: ms(r["apply"] / r["commands"])),
        (f"  first {args.batch}, per tunnel", lambda r: ms(r["first"])),
        (f"  last {args.batch}, per tunnel", lambda r: ms(r["last"])),
        ("zebra CPU, total", lambda r: f"{r['cpu']:.2f} s"),
        (f"  first {args.batch}, CPU per tunnel", lambda r: ms(r["cpu_first"])),
        (f"  last {args.batch}, CPU per tunnel", lambda r: ms(r["cpu_last"])),
        ("RSS delta per tunnel", lambda r: f"{r['rss'] / n / 1024:.1f} KiB"),
        ("all MTYPEs per tunnel", lambda r: f"{r['mtypes'] / n / 1024:.2f} KiB"),
        ("module MTYPEs per tunnel", lambda r: f"{r['module'] / n:.0f} B"),
        ("show running-config", lambda r: ms(r["show"])),
    )
    ratios = {
        "apply, total": crypto["apply"] / native["apply"],
        "zebra CPU, total": crypto["cpu"] / native["cpu"] if native["cpu"] else None,
        "apply, per command": (crypto["apply"] / crypto["commands"])
        / (native["apply"] / native["commands"]),
        "RSS delta per tunnel": crypto["rss"] / native["rss"] if native["rss"] > 0 else None,
        "all MTYPEs per tunnel": crypto["mtypes"] / native["mtypes"],
        "show running-config": crypto["show"] / native["show"],
    }
    print(f"{'':<28} {'crypto':>12} {'native':>12} {'ratio':>8}")
    for label, fmt in rows:
        ratio = ratios.get(label.strip())
        ratio = f"{ratio:.2f}x" if ratio else ""
        print(f"{label:<28} {fmt(crypto):>12} {fmt(native):>12} {ratio:>8}")
    print("module MTYPEs at the end (count, bytes):")
    for mtype, (count, total) in sorted(crypto["module_types"].items()):
        print(f"  {mtype:<34} {count:>7} {total:>10}")
    sys.stdout.flush()


def report_files(args, boot, fed, vtysh):
    m = args.file_tunnels
    print(f"{m} tunnels vs {m} native stanzas as a configuration file:")
    print(f"{'zebra -f, start-up':<28} {boot['crypto']:>10.2f} s "
          f"{boot['native']:>10.2f} s {boot['crypto'] / boot['native']:>7.2f}x")
    if fed:
        print(f"{'vtysh -f':<28} {fed['crypto']:>10.2f} s "
              f"{fed['native']:>10.2f} s {fed['crypto'] / fed['native']:>7.2f}x"
              f"   ({vtysh})")
    else:
        print("vtysh -f: skipped, no rebuilt vtysh (scripts/build-vtysh [--install])")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tunnels", type=int, default=300,
                        help="tunnels (and native stanzas) typed into the vty; 0: skip")
    parser.add_argument("--batch", type=int, default=100,
                        help="tunnels per vty session (and per reported batch)")
    parser.add_argument("--vici", choices=("fake", "off"), default="fake",
                        help="module's VICI client: a fake charon without SAs, or off")
    parser.add_argument("--file-tunnels", type=int, default=200,
                        help="tunnels (and native stanzas) in the configuration "
                        "files for the start-up and vtysh -f figures; 0: skip")
    parser.add_argument("--boot-tunnels", type=int, default=1000,
                        help="tunnels (and native stanzas) in an integrated frr.conf "
                        "applied with vtysh -b, with memory and show running-config "
                        "figures; 0: skip")
    parser.add_argument("--vtysh", help="rebuilt vtysh for the -f/-b figures")
    parser.add_argument("--baseline", metavar="MODULEDIR",
                        help="another build of the module (e.g. an older commit): "
                        "the vtysh -b figures of the crypto configuration with it too, "
                        "in the same run")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("bench_frr_scale: needs root (network namespaces)")
    if args.tunnels % args.batch:
        raise SystemExit("bench_frr_scale: --tunnels must be a multiple of --batch")
    os.environ.setdefault("SUITE_FRR_MODULEDIR", str(BUILD_MODULEDIR))
    with lablib.Lab() as lab:
        peer = FakeVici(lab.dir / "fake.vici").start() if args.vici == "fake" else None
        vici = peer.path if peer else "off"
        try:
            if args.tunnels:
                report_vty(args, *bench_vty(args, lab, vici))
            if args.file_tunnels:
                report_files(args, *bench_files(args, lab, vici))
            if args.boot_tunnels:
                report_boot(args, bench_boot(args, lab, vici))
        finally:
            if peer:
                peer.stop()


if __name__ == "__main__":
    main()
