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

from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
BUILT = TOP / "build" / "frr-integration" / "zebra" / ".libs" / "zebra_ios_crypto.so"
INSTALLED = Path("/usr/lib/x86_64-linux-gnu/frr/modules/zebra_ios_crypto.so")

# ~35 s on an idle 2-core machine under TCG
VM_TIMEOUT = 600


def test_gre_devices_of_the_module_in_the_vm(vm_run):
    if not BUILT.exists() and not INSTALLED.exists():
        pytest.fail("zebra_ios_crypto.so neither built (scripts/build) nor installed")
    vm_run("frr-tunnel-gre", VM_TIMEOUT, lines=80)
