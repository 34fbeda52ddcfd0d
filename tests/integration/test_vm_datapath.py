# SPDX-License-Identifier: GPL-2.0-or-later
"""The real data path, in the VM lab: GRE over ESP transport with RIPv2.

This machine's kernel has no GRE and no ESP, so the test boots Debian's own
kernel in QEMU (tests/vm/run-vm-test) and runs tests/vm/tests/gre-esp-rip.sh
inside: two Debian charons (IKEv1 des-sha1-modp768, ESP des-sha1 transport
for GRE) and two FRR ripd exchanging routes over the protected tunnel.

Skipped only when scripts/setup-deps has not prepared the VM kernel
(upstream/vm-kernel missing); any other problem fails the test.
"""

# ~40 s on an idle 2-core machine under TCG; several times that when the
# host is busy.
VM_TIMEOUT = 600


def test_gre_esp_rip_datapath(vm_run):
    vm_run("gre-esp-rip", VM_TIMEOUT, log="console.log", lines=60)
