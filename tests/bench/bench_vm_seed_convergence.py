#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""SA loss -> RIP route withdrawn at the peer, and SA up -> route back, on
the IOS example's two routers in the VM lab (real GRE, ESP, charon), with
the zebra module and without it (the baseline: tunnel made by hand, the SA
lost by hand, RIP's 180 s timeout), in one VM run; prints median and worst
of each and the ratios baseline/module.

The guest half is tests/vm/tests/seed-convergence.py (what is measured and
how: its docstring). A baseline repetition costs about 3.5 minutes (RIP's
timeout, then the next periodic update), so it defaults to 2 repetitions
against 20 with the module; the whole run took 8 min 40 s under TCG on a
loaded 2-core machine.

Usage: tests/bench/bench_vm_seed_convergence.py [--repetitions 20]
           [--baseline-repetitions 2] [--results DIR]
(run from the source tree after scripts/build and scripts/build-vtysh;
tests/vm/README.md for the lab)
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent.parent


def fmt(seconds):
    return f"{seconds:8.3f} s"


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repetitions", type=int, default=20)
    p.add_argument("--baseline-repetitions", type=int, default=2)
    p.add_argument("--results", type=Path,
                   default=TOP / "build" / "vm-results" / "bench-seed-convergence")
    args = p.parse_args(argv)
    args.results.mkdir(parents=True, exist_ok=True)
    # the guest sees the host's tree, not the host's /tmp
    wrapper = TOP / "build" / "bench-seed-convergence.sh"
    wrapper.write_text("#!/bin/bash\nexec /usr/bin/python3 "
                       f"{TOP / 'tests' / 'vm' / 'tests' / 'seed-convergence.py'} "
                       f"--repetitions {args.repetitions} "
                       f"--baseline-repetitions {args.baseline_repetitions}\n")
    wrapper.chmod(0o755)
    budget = 300 + 30 * args.repetitions + 300 * args.baseline_repetitions
    start = time.monotonic()
    res = subprocess.run([str(TOP / "tests" / "vm" / "run-vm-test"), str(wrapper),
                          "--timeout", str(budget), "--results", str(args.results)])
    wall = time.monotonic() - start
    if res.returncode != 0:
        print(f"VM run failed ({res.returncode}): {args.results}/test.log", file=sys.stderr)
        return 1
    data = json.loads((args.results / "convergence.json").read_text())
    print(f"seed routers in the VM lab, {args.repetitions} repetitions with the module, "
          f"{args.baseline_repetitions} without; VM run {wall:.0f} s")
    print(f"{'':28} {'median':>10} {'worst':>10}  n")
    for setup in ("module", "baseline"):
        for key, what in (("withdrawn_s", "SA lost -> withdrawn"), ("back_s", "SA up -> back")):
            v = data[setup][key]
            print(f"{setup + ' ' + what:28} {fmt(statistics.median(v))} {fmt(max(v))}  {len(v)}")
    if data["module"].get("overtaken"):
        print(f"module: {len(data['module']['overtaken'])} deletions overtaken by a Quick "
              "Mode under way (no outage, not counted)")
    for key, what in (("withdrawn_s", "withdrawn"), ("back_s", "back")):
        ratio = statistics.median(data["baseline"][key]) / statistics.median(data["module"][key])
        print(f"ratio baseline/module, {what} (medians): {ratio:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
