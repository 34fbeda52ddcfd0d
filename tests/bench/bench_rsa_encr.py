#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""IKEv1 Main Mode handshakes per second between two charons on this host
(namespace lab), for rsa-encr method 4, method 5, RSA signatures and PSK in
one run, with ratios to RSA signatures and the bound `openssl speed rsa`
puts on the RSA methods.

Each method gets CONNS identical connections; a round initiates all of
them at once over VICI (CONCURRENCY requests in flight), waits until
every IKE_SA is up (phase 1 only) and tears them down again. The figure
is the median over ROUNDS rounds. Both charons share this machine's
cores, so a handshake costs both sides' work.

Usage: bench_rsa_encr [--bits 2048] [--proposal aes128-sha1-modp1024]
                      [--conns 32] [--rounds 5] [--concurrency 8]
                      [--methods m4,m5,sig,psk]
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


def connections(me, peer, my_id, peer_id, my_key, proposal, conns):
    out = ["connections {"]
    for _, prefix, auth, _ in METHODS:
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
        lab.start()
        k1 = make_key(r1, R1_NAME, args.bits)
        k2 = make_key(r2, R2_NAME, args.bits)
        for r, name, addr, key in ((r2, R1_NAME, R1_ADDR, k1),
                                   (r1, R2_NAME, R2_ADDR, k2)):
            (r.dir / "pubkey-chain" / "peer.cfg").write_text(
                "crypto key pubkey-chain rsa\n" + chain_entry(name, addr, key))
            r.swanctl("--reload-settings")
        r1.load_swanctl(connections(R1_ADDR, R2_ADDR, R1_NAME, R2_NAME, R1_NAME,
                                    args.proposal, args.conns))
        r2.load_swanctl(connections(R2_ADDR, R1_ADDR, R2_NAME, R1_NAME, R2_NAME,
                                    args.proposal, args.conns))
        vici = r1.dir / "charon.vici"

        results = {}
        for label, prefix, _, _ in METHODS:
            if args.methods and prefix not in args.methods.split(","):
                continue
            names = [f"{prefix}_{i}" for i in range(args.conns)]
            rates = []
            for _ in range(args.rounds + 1):        # the first one warms up
                start = time.perf_counter()
                failed = run_all(vici, "initiate", names, args.concurrency,
                                 timeout="60000", **{"init-limits": "no"})
                elapsed = time.perf_counter() - start
                if failed:
                    raise SystemExit(f"{label}: {len(failed)} failed, e.g. {failed[0]}")
                rates.append(len(names) / elapsed)
                run_all(vici, "terminate", names, args.concurrency,
                        timeout="60000")
            results[label] = statistics.median(rates[1:])
        return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bits", type=int, default=2048)
    parser.add_argument("--proposal", default="aes128-sha1-modp1024")
    parser.add_argument("--conns", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--methods", default="",
                        help="only these, of m4,m5,sig,psk (comma-separated)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("bench_rsa_encr: needs root (network namespaces)")

    results = bench(args)
    sign = openssl_speed(args.bits)
    cores = os.cpu_count() or 1
    print(f"IKEv1 Main Mode (phase 1), {args.bits} bit RSA keys, {args.proposal}, "
          f"{args.conns} IKE_SAs per round, {args.concurrency} in flight, "
          f"median of {args.rounds} rounds, both charons on {cores} cores")
    base = results.get("rsa-sig") or next(iter(results.values()))
    # RSA private key operations per handshake, both sides together:
    # method 4 decrypts ID and nonce on each side, 5 the nonce only,
    # signatures sign once per side
    private_ops = {"rsa-encr 4": 4, "rsa-encr 5": 2, "rsa-sig": 2, "psk": 0}
    print(f"{'method':<12} {'handshakes/s':>13} {'vs rsa-sig':>11} "  # noqa: E501
          f"{'RSA bound/s':>12} {'of bound':>9}")
    for label, rate in results.items():
        bound = ""
        share = ""
        if sign and private_ops[label]:
            b = sign * cores / private_ops[label]
            bound = f"{b:.0f}"
            share = f"{100 * rate / b:.0f}%"
        print(f"{label:<12} {rate:>13.1f} {rate / base:>10.2f}x {bound:>12} {share:>9}")
    if sign:
        print(f"openssl speed rsa{args.bits}: {sign:.0f} private key operations/s "
              f"per core")


if __name__ == "__main__":
    main()
