#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""IKEv1 Main Mode handshakes per second between two charons on this host
(namespace lab), for rsa-encr method 4, method 5, RSA signatures and PSK in
one run, with ratios to RSA signatures and the bound `openssl speed rsa`
puts on the RSA methods.

Each method gets CONNS identical connections; a batch initiates all of
them over VICI (CONCURRENCY requests in flight, the same for every
method), waits until every IKE_SA is up (phase 1 only) and tears them
down again (not timed). A round is BATCHES batches of each method in
turn; the methods take turns within a round, starting with another one
each round, so load from elsewhere on the host hits all of them alike.
Printed per method: the median rate over ROUNDS rounds (after one
warm-up round) with the lowest and highest, the median of the per-round
ratios to RSA signatures (the rounds' neighbouring measurements), the
CPU time each charon spent per handshake (initiator, responder) and the
two together relative to RSA signatures: on a host shared with other
work the rates vary from round to round, the CPU time much less, and
with both cores busy the rate follows it. Both charons share this
machine's cores, so a handshake costs both sides' work; the RSA keys are
the same for every method (rsa-sig signs with the keys rsa-encr encrypts
to, taken from the same IOS key chains).

Each method's connections run between their own pair of addresses, as
connections to different peers would: with all 4 * CONNS connections
between the same two addresses (--shared-addresses, the layout of the
first versions of this benchmark), every lookup by address matches and
sorts the other methods' connections as well, and charon's responder,
which tries its candidate connections in turn until one authenticates,
first tries (and refuses) the connections of the methods loaded before
(method 5 those of method 4, PSK those of methods 4 and 5).

Usage: bench_rsa_encr [--bits 2048] [--proposal aes128-sha1-modp1024]
                      [--conns 32] [--batches 4] [--rounds 15]
                      [--concurrency 8] [--methods m4,m5,sig,psk]
                      [--shared-addresses]
(run as root; tests/bench/run builds and runs it)
"""

import argparse
import os
import re
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

TOP = Path("@TOP_SRCDIR@")
if not (TOP / "tests" / "lab" / "lab.py").exists():     # run from the source tree
    TOP = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(TOP / "tests" / "lab"))

import lab as lablib  # noqa: E402

TOOL = TOP / "build" / "tools" / "ios-rsa-key" / "ios-rsa-key"
R1_ADDR, R2_ADDR = "20.1.1.1", "20.1.1.2"
R1_NAME, R2_NAME = "101.cisco.com", "102.cisco.com"
METHODS = (
    ("rsa-encr 4", "m4", "psk", 4),
    ("rsa-encr 5", "m5", "psk", 5),
    ("rsa-sig", "sig", "pubkey", 0),
    ("psk", "psk", "psk", 0),
)


# --- a minimal VICI client (strongSwan's control socket protocol) ----------

def vici_encode(msg):
    out = b""
    for key, value in msg.items():
        name = key.encode()
        value = value.encode() if isinstance(value, str) else value
        out += bytes([3, len(name)]) + name + struct.pack("!H", len(value)) + value
    return out


class Vici:
    """Just enough VICI for command requests with key/value arguments."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(str(path))

    def _recv(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("vici closed")
            data += chunk
        return data

    def request(self, command, **args):
        cmd = command.encode()
        body = bytes([0, len(cmd)]) + cmd + vici_encode(args)
        self.sock.sendall(struct.pack("!I", len(body)) + body)
        while True:
            (length,) = struct.unpack("!I", self._recv(4))
            packet = self._recv(length)
            if packet[0] == 1:                  # CMD_RESPONSE
                return self._errmsg(packet[1:])
            if packet[0] in (2, 6):             # CMD_UNKNOWN, EVENT_UNKNOWN
                raise RuntimeError(f"vici: unknown command {command}")

    @staticmethod
    def _errmsg(msg):
        """'' on success, else the error message of a response."""
        ok = re.search(rb"\x07success\x00\x03yes", msg)
        if ok:
            return ""
        err = re.search(rb"\x06errmsg\x00.(.*)", msg, re.S)
        return err.group(1).decode(errors="replace") if err else "failed"

    def close(self):
        self.sock.close()


def run_all(path, command, names, concurrency, **args):
    """Send one request per name, `concurrency` at a time; return failures."""
    failures, lock, pending = [], threading.Lock(), list(names)

    def worker():
        vici = Vici(path)
        try:
            while True:
                with lock:
                    if not pending:
                        return
                    name = pending.pop()
                err = vici.request(command, ike=name, **args)
                if err:
                    with lock:
                        failures.append(f"{name}: {err}")
        finally:
            vici.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return failures


# --- the lab ----------------------------------------------------------------

def tool(*args):
    subprocess.run([str(TOOL), *args], check=True, capture_output=True)


def make_key(router, name, bits):
    rsa = router.swanctl_dir / "rsa"
    tool("generate", "--modulus", str(bits), "--label", name, "--dir", str(rsa),
         "--force")
    subprocess.run(["openssl", "pkey", "-in", str(rsa / f"{name}.pem"), "-pubout",
                    "-out", str(router.swanctl_dir / "pubkey" / f"{name}.pem")],
                   check=True)
    return rsa / f"{name}.pem"


def chain_entry(name, addr, key):
    return subprocess.run([str(TOOL), "chain-entry", "--named", name, "--address",
                           addr, str(key)], check=True, capture_output=True,
                          text=True).stdout


def addresses(index, shared):
    """Addresses of R1 and R2 for the connections of METHODS[index]."""
    step = 0 if shared else 10 * index
    return f"20.1.1.{1 + step}", f"20.1.1.{2 + step}"


def connections(side, my_id, peer_id, my_key, proposal, conns, shared):
    out = ["connections {"]
    for index, (_, prefix, auth, _) in enumerate(METHODS):
        me, peer = addresses(index, shared)[::1 if side == 0 else -1]
        for i in range(conns):
            out.append(f"""
    {prefix}_{i} {{
        version = 1
        local_addrs = {me}
        remote_addrs = {peer}
        proposals = {proposal}
        unique = never
        # charon reuses a connecting IKE_SA of an equal connection:
        # make each one differ
        rekey_time = {14400 + i}s
        local {{
            auth = {auth}
            id = {my_id}
            pubkeys = {my_key}.pem
        }}
        remote {{
            auth = {auth}
            id = {peer_id}
        }}
    }}""")
    out.append("}")
    out.append(f"""
secrets {{
    ike-bench {{
        id-a = {my_id}
        id-b = {peer_id}
        secret = "bench-pre-shared-key-0123456789"
    }}
}}""")
    return "\n".join(out)


def charon_conf(router, conns):
    marks = "\n".join(f"                {prefix}_{i} = {method}"
                      for _, prefix, _, method in METHODS if method
                      for i in range(conns))
    return f"""
charon {{
    block_threshold = 100000
    init_limit_half_open = 0
    plugins {{
        ios-keychain {{
            path = {router.dir / 'pubkey-chain'}
        }}
        rsa-encr {{
            connections {{
{marks}
            }}
        }}
    }}
}}
"""


def openssl_speed(bits):
    """RSA private key operations (sign) per second on one core."""
    out = subprocess.run(["openssl", "speed", "-seconds", "2", f"rsa{bits}"],
                         capture_output=True, text=True).stdout
    m = re.search(rf"rsa\s+{bits} bits\s+\S+s\s+\S+s\s+([\d.]+)\s+([\d.]+)", out)
    return float(m.group(1)) if m else None


def bench(args):
    with lablib.Lab() as lab:
        # quiet logs: logging is not what is measured
        levels = {"default": int(os.environ.get("BENCH_LOG", 0)), "ike": int(os.environ.get("BENCH_LOG", 0)), "cfg": 0, "lib": 0}
        r1 = lab.add_router("b1", start=False, daemons=(), charon_log_levels=levels)
        r2 = lab.add_router("b2", start=False, daemons=(), charon_log_levels=levels)
        for r in (r1, r2):
            r.charon_conf = charon_conf(r, args.conns)
            (r.dir / "pubkey-chain").mkdir()
        lab.link(r1, "eth0", f"{R1_ADDR}/24", r2, "eth0", f"{R2_ADDR}/24")
        for index in range(1, 1 if args.shared_addresses else len(METHODS)):
            for r, addr in zip((r1, r2), addresses(index, False)):
                r.ip("addr", "add", f"{addr}/24", "dev", "eth0")
        lab.start()
        k1 = make_key(r1, R1_NAME, args.bits)
        k2 = make_key(r2, R2_NAME, args.bits)
        for r, name, addr, key in ((r2, R1_NAME, R1_ADDR, k1),
                                   (r1, R2_NAME, R2_ADDR, k2)):
            (r.dir / "pubkey-chain" / "peer.cfg").write_text(
                "crypto key pubkey-chain rsa\n" + chain_entry(name, addr, key))
            r.swanctl("--reload-settings")
        r1.load_swanctl(connections(0, R1_NAME, R2_NAME, R1_NAME, args.proposal,
                                    args.conns, args.shared_addresses))
        r2.load_swanctl(connections(1, R2_NAME, R1_NAME, R2_NAME, args.proposal,
                                    args.conns, args.shared_addresses))
        vici = r1.dir / "charon.vici"
        pids = [r.processes["charon"].pid for r in (r1, r2)]
        methods = [m for m in METHODS
                   if not args.methods or m[1] in args.methods.split(",")]
        return measure(args, vici, pids, methods)


def cpu_seconds(pids):
    """User and system CPU time of each process (all its threads)."""
    times = []
    for pid in pids:
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()
        times.append((int(fields[11]) + int(fields[12]))     # utime, stime
                     / os.sysconf("SC_CLK_TCK"))
    return times


def batch(args, vici, names):
    """Initiate all connections (timed), then terminate them again."""
    start = time.perf_counter()
    failed = run_all(vici, "initiate", names, args.concurrency,
                     timeout="60000", **{"init-limits": "no"})
    elapsed = time.perf_counter() - start
    if failed:
        raise SystemExit(f"{names[0]}...: {len(failed)} failed, e.g. {failed[0]}")
    run_all(vici, "terminate", names, args.concurrency, timeout="60000")
    return elapsed


def measure(args, vici, pids, methods):
    """Rounds of BATCHES batches per method, the methods taking turns."""
    rates = {m[0]: [] for m in methods}
    cpu = {m[0]: [0.0] * len(pids) for m in methods}
    for rnd in range(args.rounds + 1):          # round 0 warms up
        first = rnd % len(methods)
        for label, prefix, _, _ in methods[first:] + methods[:first]:
            names = [f"{prefix}_{i}" for i in range(args.conns)]
            elapsed, used = 0.0, cpu_seconds(pids)
            for _ in range(args.batches):
                elapsed += batch(args, vici, names)
            if rnd:
                rates[label].append(args.batches * len(names) / elapsed)
                # teardown included: each side's work per handshake
                cpu[label] = [c + after - before for c, before, after
                              in zip(cpu[label], used, cpu_seconds(pids))]
    handshakes = args.rounds * args.batches * args.conns
    return {label: {"rates": r,
                    "cpu_ms": [1000 * c / handshakes for c in cpu[label]]}
            for label, r in rates.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bits", type=int, default=2048)
    parser.add_argument("--proposal", default="aes128-sha1-modp1024")
    parser.add_argument("--conns", type=int, default=32)
    parser.add_argument("--batches", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--shared-addresses", action="store_true",
                        help="all connections between the same two addresses")
    parser.add_argument("--methods", default="",
                        help="only these, of m4,m5,sig,psk (comma-separated)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("bench_rsa_encr: needs root (network namespaces)")

    results = bench(args)
    sign = openssl_speed(args.bits)
    cores = os.cpu_count() or 1
    print(f"IKEv1 Main Mode (phase 1), {args.bits} bit RSA keys, {args.proposal}, "
          f"{args.conns} IKE_SAs per batch, {args.concurrency} in flight, "
          f"{args.batches} batches per method and round, median of "
          f"{args.rounds} rounds, both charons on {cores} cores, "
          f"{'all connections between the same addresses' if args.shared_addresses else 'an address pair per method'}")
    base = results.get("rsa-sig")
    # RSA private key operations per handshake, both sides together:
    # method 4 decrypts ID and nonce on each side, 5 the nonce only,
    # signatures sign once per side
    private_ops = {"rsa-encr 4": 4, "rsa-encr 5": 2, "rsa-sig": 2, "psk": 0}
    print(f"{'method':<11} {'handshakes/s':>12} {'(min-max)':>13} "
          f"{'vs rsa-sig':>10} {'(min-max)':>13} {'CPU ms/hs i+r':>15} "
          f"{'CPU vs sig':>10} "
          f"{'RSA bound/s':>11} {'of bound':>8}")
    for label, res in results.items():
        rates = res["rates"]
        rate = statistics.median(rates)
        ratio = spread = ""
        if base:
            ratios = [r / b for r, b in zip(rates, base["rates"])]
            ratio = f"{statistics.median(ratios):.2f}x"
            spread = f"({min(ratios):.2f}-{max(ratios):.2f})"
        cpu = "{:.2f}+{:.2f}".format(*res["cpu_ms"])
        cpu_ratio = (f"{sum(res['cpu_ms']) / sum(base['cpu_ms']):.2f}x"
                     if base else "")
        bound = share = ""
        if sign and private_ops[label]:
            b = sign * cores / private_ops[label]
            bound = f"{b:.0f}"
            share = f"{100 * rate / b:.0f}%"
        print(f"{label:<11} {rate:>12.1f} {f'({min(rates):.0f}-{max(rates):.0f})':>13} "
              f"{ratio:>10} {spread:>13} {cpu:>15} {cpu_ratio:>10} {bound:>11} "
              f"{share:>8}")
    if sign:
        print(f"openssl speed rsa{args.bits}: {sign:.0f} private key operations/s "
              f"per core")

if __name__ == "__main__":
    main()
