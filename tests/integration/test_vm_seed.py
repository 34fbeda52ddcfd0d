# SPDX-License-Identifier: GPL-2.0-or-later
"""The IOS example end to end on a real kernel, in the VM lab.

Routers 101 and 102 of the seed, configured only through the product
(vtysh -f tests/fixtures/seed/router-10x.conf) in QEMU with Debian's own
kernel (tests/vm/run-vm-test seed-routers): the zebra module creates the
GRE device Tunnel0, charon negotiates IKEv1 Main Mode with rsa-encr and an
ESP transport SA for GRE, RIPv2 exchanges the LANs over Tunnel0, a
LAN-to-LAN ping crosses, the outside link carries only ESP, show crypto
ipsec sa counters rise with the pings. See tests/vm/tests/seed-routers.py
for what is asserted. (test_main_lab runs the same scenario through
scripts/lab up and checks what it prints; the fault scenarios,
seed-faults, are not part of the suite yet: tests/vm/README.md.)

The guest shares this host's root: charon's plugins are the installed ones;
zebra's module is the build tree's when built there (else the installed
one), vtysh is build-vtysh/vtysh (rebuilt here when needed, as
test_frr_vtysh does). Skipped only when scripts/setup-deps has not
prepared the VM kernel.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
RUNNER = TOP / "tests" / "vm" / "run-vm-test"
KERNEL_DIR = Path(os.environ.get("UPSTREAM_DIR") or TOP / "upstream") / "vm-kernel"
RESULTS = TOP / "build" / "vm-results" / "seed-routers"
BUILT = TOP / "build" / "frr-integration" / "zebra" / ".libs" / "zebra_ios_crypto.so"
INSTALLED = Path("/usr/lib/x86_64-linux-gnu/frr/modules/zebra_ios_crypto.so")
PLUGIN = Path("/usr/lib/ipsec/plugins/libstrongswan-rsa-encr.so")
BUILD_VTYSH = TOP / "scripts" / "build-vtysh"

# ~1.5-4 min under TCG on the loaded 2-core machine
VM_TIMEOUT = 600


def tail(path, lines):
    try:
        text = path.read_bytes()[-128 * 1024:].decode(errors="replace")
    except OSError:
        return f"({path} not written)"
    return "\n".join(text.splitlines()[-lines:])


def test_seed_routers_in_the_vm():
    if not KERNEL_DIR.is_dir():
        pytest.skip(f"VM kernel not prepared ({KERNEL_DIR} missing): run scripts/setup-deps")
    if not BUILT.exists() and not INSTALLED.exists():
        pytest.fail("zebra_ios_crypto.so neither built (scripts/build) nor installed")
    if not PLUGIN.exists():
        pytest.fail(f"{PLUGIN} is not installed: run scripts/build --install")
    built = subprocess.run([str(BUILD_VTYSH)], capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stdout + built.stderr
    proc = subprocess.run(
        [str(RUNNER), "seed-routers", "--timeout", str(VM_TIMEOUT),
         "--results", str(RESULTS)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=VM_TIMEOUT + 120)
    if proc.returncode == 0:
        summary = json.loads((RESULTS / "seed-summary.json").read_text())
        # figures the guest measured, for the log of the run
        print(json.dumps(summary, indent=1))
        return
    try:
        summary = json.dumps(json.loads((RESULTS / "summary.json").read_text()), indent=1)
    except (OSError, ValueError):
        summary = "(no summary.json)"
    pytest.fail(
        f"run-vm-test seed-routers exited with {proc.returncode}\n"
        f"results: {RESULTS}\n--- runner ---\n{proc.stderr.strip()[-3000:]}\n"
        f"--- summary.json ---\n{summary}\n"
        f"--- test.log (last 100 lines) ---\n{tail(RESULTS / 'test.log', 100)}",
        pytrace=False)
