# SPDX-License-Identifier: GPL-2.0-or-later
"""pytest glue for the namespace lab (tests/lab/lab.py).

Provides the ``lab`` fixture (a fresh Lab per test, always torn down) and
attaches the routers' log tails to the report of a failing test, so CI
output shows what charon and FRR were doing while the lab still exists.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lab"))

import lab as lablib  # noqa: E402


def pytest_collection_modifyitems(config, items):
    """Labs need root (namespaces, mounts): skip clearly instead of failing."""
    if os.geteuid() == 0:
        return
    skip = pytest.mark.skip(reason="namespace lab tests need root")
    for item in items:
        item.add_marker(skip)


@pytest.fixture
def lab():
    """A Lab for one test; teardown runs even if the test fails."""
    the_lab = lablib.Lab()
    try:
        yield the_lab
    finally:
        the_lab.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, add a 'lab logs' section with every router's log tails.

    This runs before fixture teardown, so the run dir still exists.
    """
    outcome = yield
    report = outcome.get_result()
    the_lab = getattr(item, "funcargs", {}).get("lab")
    if report.failed and isinstance(the_lab, lablib.Lab) and not the_lab.closed:
        tails = the_lab.log_tails()
        if tails:
            report.sections.append((f"lab {the_lab.run_id} logs ({report.when})", tails))
