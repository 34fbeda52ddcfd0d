# SPDX-License-Identifier: GPL-2.0-or-later
"""pytest glue for the namespace lab (tests/lab/lab.py).

Provides the ``lab`` fixture (a fresh Lab per test, always torn down) and
attaches the routers' log tails to the report of a failing test, so CI
output shows what charon and FRR were doing while the lab still exists;
and the ``vm_run`` fixture, which runs a test of the VM lab (tests/vm).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lab"))

import lab as lablib  # noqa: E402


def pytest_collection_modifyitems(config, items):
    """Labs need root (namespaces, mounts): skip clearly instead of failing."""
    if os.geteuid() == 0:
        return
    skip = pytest.mark.skip(reason="namespace lab tests need root")
    for item in items:
        item.add_marker(skip)


@pytest.fixture
def lab():
    """A Lab for one test; teardown runs even if the test fails."""
    the_lab = lablib.Lab()
    try:
        yield the_lab
    finally:
        the_lab.close()


TOP = Path(__file__).resolve().parents[2]
VM_RUNNER = TOP / "tests" / "vm" / "run-vm-test"
VM_KERNEL_DIR = Path(os.environ.get("UPSTREAM_DIR") or TOP / "upstream") / "vm-kernel"
VM_RUNNER_CODES = {
    120: "the guest wrote no exit code (boot failure or guest crash)",
    124: "timeout: QEMU killed",
    125: "runner error (kernel incomplete, QEMU not starting, ...)",
    130: "runner interrupted",
}


def _tail(path, lines):
    try:
        text = path.read_bytes()[-128 * 1024:].decode(errors="replace")
    except OSError:
        return f"({path} not written)"
    return "\n".join(text.splitlines()[-lines:])


@pytest.fixture
def vm_run():
    """run(name, timeout, log="test.log", lines=100): tests/vm/run-vm-test
    NAME with results in build/vm-results/NAME; returns that folder.

    Skips only when scripts/setup-deps has not prepared the VM kernel; any
    other problem fails the test with the runner's words, summary.json and
    the tail of ``log`` (the guest's test.log, or console.log).
    """
    def run(name, timeout, log="test.log", lines=100):
        if not VM_KERNEL_DIR.is_dir():
            pytest.skip(f"VM kernel not prepared ({VM_KERNEL_DIR} missing): "
                        "run scripts/setup-deps")
        results = TOP / "build" / "vm-results" / name
        # the runner kills QEMU at its timeout, pytest's is a backstop
        proc = subprocess.run(
            [str(VM_RUNNER), name, "--timeout", str(timeout), "--results", str(results)],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout + 120)
        if proc.returncode == 0:
            return results
        meaning = VM_RUNNER_CODES.get(proc.returncode, "the guest test script failed")
        try:
            summary = json.dumps(json.loads((results / "summary.json").read_text()), indent=1)
        except (OSError, ValueError):
            summary = "(no summary.json)"
        # the runner prints a console tail too: the longer one below replaces it
        runner_said = proc.stderr.split("run-vm-test: console tail")[0].strip()[-3000:]
        pytest.fail(
            f"run-vm-test {name} exited with {proc.returncode}: {meaning}\n"
            f"results: {results}\n--- runner ---\n{runner_said}\n"
            f"--- summary.json ---\n{summary}\n"
            f"--- {log} (last {lines} lines) ---\n{_tail(results / log, lines)}",
            pytrace=False)
    return run


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, add a 'lab logs' section with every router's log tails.

    This runs before fixture teardown, so the run dir still exists.
    """
    outcome = yield
    report = outcome.get_result()
    the_lab = getattr(item, "funcargs", {}).get("lab")
    if report.failed and isinstance(the_lab, lablib.Lab) and not the_lab.closed:
        tails = the_lab.log_tails()
        if tails:
            report.sections.append((f"lab {the_lab.run_id} logs ({report.when})", tails))
