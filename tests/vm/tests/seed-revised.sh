#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The IOS example's two routers with the revised mode of RSA encryption
# (IKEv1 auth method 5): tests/fixtures/seed/revised/
# (tests/vm/run-vm-test seed-revised). See seed-routers.py.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec /usr/bin/python3 "$here/seed-routers.py" --variant revised
