#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The zebra module's real GRE path, inside the VM lab
# (tests/vm/run-vm-test frr-tunnel-gre): the driver next to this script
# starts zebra with zebra_ios_crypto (from the build tree when it has
# been built there, else the installed one) and a fake charon, and checks
# the GRE device it creates. See frr-tunnel-gre.py.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
modprobe -a ip_gre veth
exec /usr/bin/python3 "$here/frr-tunnel-gre.py"
