#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The IOS example's two routers (seed-routers), then faults: the SA deleted
# on 101 5 times in a row, charon on 101 killed and restarted
# (tests/vm/run-vm-test seed-faults). See seed-routers.py.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec /usr/bin/python3 "$here/seed-routers.py" --faults 5
