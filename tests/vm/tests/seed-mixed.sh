#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The IOS example's two routers plus router 103 with pre-shared keys on a
# second tunnel (tests/vm/run-vm-test seed-mixed). See seed-mixed.py.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec /usr/bin/python3 "$here/seed-mixed.py"
