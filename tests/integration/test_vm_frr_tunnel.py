# SPDX-License-Identifier: GPL-2.0-or-later
"""The zebra module's real GRE devices, in the VM lab.

This machine's kernel has no GRE, so the module's default path
(tunnel-device=gre) is tested in QEMU with Debian's own kernel
(tests/vm/run-vm-test frr-tunnel-gre): zebra with zebra_ios_crypto (the
build tree's when built there, else the installed one) and a fake charon
create a GRE device with the configured endpoints, address and MTU, down
until the CHILD SA is up; see tests/vm/tests/frr-tunnel-gre.py.

Skipped only when scripts/setup-deps has not prepared the VM kernel.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
RUNNER = TOP / "tests" / "vm" / "run-vm-test"
KERNEL_DIR = Path(os.environ.get("UPSTREAM_DIR") or TOP / "upstream") / "vm-kernel"
RESULTS = TOP / "build" / "vm-results" / "frr-tunnel-gre"
BUILT = TOP / "build" / "frr-integration" / "zebra" / ".libs" / "zebra_ios_crypto.so"
INSTALLED = Path("/usr/lib/x86_64-linux-gnu/frr/modules/zebra_ios_crypto.so")

# ~35 s on an idle 2-core machine under TCG
VM_TIMEOUT = 600


def tail(path, lines):
    try:
        text = path.read_bytes()[-128 * 1024:].decode(errors="replace")
    except OSError:
        return f"({path} not written)"
    return "\n".join(text.splitlines()[-lines:])


def test_gre_devices_of_the_module_in_the_vm():
    if not KERNEL_DIR.is_dir():
        pytest.skip(f"VM kernel not prepared ({KERNEL_DIR} missing): run scripts/setup-deps")
    if not BUILT.exists() and not INSTALLED.exists():
        pytest.fail("zebra_ios_crypto.so neither built (scripts/build) nor installed")
    proc = subprocess.run(
        [str(RUNNER), "frr-tunnel-gre", "--timeout", str(VM_TIMEOUT),
         "--results", str(RESULTS)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=VM_TIMEOUT + 120)
    if proc.returncode == 0:
        return
    try:
        summary = json.dumps(json.loads((RESULTS / "summary.json").read_text()), indent=1)
    except (OSError, ValueError):
        summary = "(no summary.json)"
    pytest.fail(
        f"run-vm-test frr-tunnel-gre exited with {proc.returncode}\n"
        f"results: {RESULTS}\n--- runner ---\n{proc.stderr.strip()[-3000:]}\n"
        f"--- summary.json ---\n{summary}\n"
        f"--- test.log (last 80 lines) ---\n{tail(RESULTS / 'test.log', 80)}",
        pytrace=False)
