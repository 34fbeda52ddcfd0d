#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The IOS example's two routers, then faults: the SA deleted on 101, charon
# on 101 killed and restarted, the link cut and restored, 100 SA deletions
# in a row (tests/vm/run-vm-test seed-faults). See seed-faults.py.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec /usr/bin/python3 "$here/seed-faults.py" "$@"
