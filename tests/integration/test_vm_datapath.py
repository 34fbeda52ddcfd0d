# SPDX-License-Identifier: GPL-2.0-or-later
"""The real data path, in the VM lab: GRE over ESP transport with RIPv2.

This machine's kernel has no GRE and no ESP, so the test boots Debian's own
kernel in QEMU (tests/vm/run-vm-test) and runs tests/vm/tests/gre-esp-rip.sh
inside: two Debian charons (IKEv1 des-sha1-modp768, ESP des-sha1 transport
for GRE) and two FRR ripd exchanging routes over the protected tunnel.

Skipped only when scripts/setup-deps has not prepared the VM kernel
(upstream/vm-kernel missing); any other problem fails the test.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
RUNNER = TOP / "tests" / "vm" / "run-vm-test"
KERNEL_DIR = Path(os.environ.get("UPSTREAM_DIR") or TOP / "upstream") / "vm-kernel"
RESULTS = TOP / "build" / "vm-results" / "gre-esp-rip"

# ~40 s on an idle 2-core machine under TCG; several times that when the
# host is busy.  The runner kills QEMU at its timeout, pytest's is a backstop.
VM_TIMEOUT = 600

RUNNER_CODES = {
    120: "the guest wrote no exit code (boot failure or guest crash)",
    124: f"timeout: QEMU killed after {VM_TIMEOUT}s",
    125: "runner error (kernel incomplete, QEMU not starting, ...)",
    130: "runner interrupted",
}


def tail(path, lines):
    try:
        text = path.read_bytes()[-128 * 1024:].decode(errors="replace")
    except OSError:
        return f"({path} not written)"
    return "\n".join(text.splitlines()[-lines:])


def test_gre_esp_rip_datapath():
    if not KERNEL_DIR.is_dir():
        pytest.skip(f"VM kernel not prepared ({KERNEL_DIR} missing): run scripts/setup-deps")
    proc = subprocess.run(
        [str(RUNNER), "gre-esp-rip", "--timeout", str(VM_TIMEOUT), "--results", str(RESULTS)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=VM_TIMEOUT + 120)
    if proc.returncode == 0:
        return
    meaning = RUNNER_CODES.get(proc.returncode, "the guest test script failed")
    try:
        summary = json.dumps(json.loads((RESULTS / "summary.json").read_text()), indent=1)
    except (OSError, ValueError):
        summary = "(no summary.json)"
    # the runner prints a console tail too: the longer one below replaces it
    runner_said = proc.stderr.split("run-vm-test: console tail")[0].strip()
    pytest.fail(
        f"run-vm-test gre-esp-rip exited with {proc.returncode}: {meaning}\n"
        f"results: {RESULTS}\n"
        f"--- runner ---\n{runner_said}\n"
        f"--- summary.json ---\n{summary}\n"
        f"--- serial console (last 60 lines) ---\n{tail(RESULTS / 'console.log', 60)}",
        pytrace=False)
