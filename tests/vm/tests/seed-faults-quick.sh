#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# seed-faults with 10 SA deletions in a row instead of 100: the suite's
# run (tests/integration/test_vm_seed.py). See seed-faults.py.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec /usr/bin/python3 "$here/seed-faults.py" --flaps 10
