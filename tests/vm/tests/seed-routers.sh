#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The IOS example's two routers, configured only through the product
# (tests/vm/run-vm-test seed-routers). See seed-routers.py.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec /usr/bin/python3 "$here/seed-routers.py"
