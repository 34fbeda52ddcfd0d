# SPDX-License-Identifier: GPL-2.0-or-later
"""The README's first command: scripts/lab up / status / down."""

import os
import subprocess
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parent.parent.parent
LAB = TOP / "scripts" / "lab"


def lab_cmd(*args, state_dir, timeout=180):
    env = dict(os.environ, IOS_LAB_STATE=str(state_dir))
    return subprocess.run([str(LAB), *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.fixture
def state_dir(tmp_path):
    yield tmp_path
    lab_cmd("down", state_dir=tmp_path)


def test_lab_up_routes_and_negotiates_then_down_removes_it(state_dir):
    up = lab_cmd("up", "--no-setup", state_dir=state_dir)
    assert up.returncode == 0, up.stdout + up.stderr
    # 101 learned 102's loopback over RIP and the reverse
    assert "R>* 172.16.1.0/24 [120/2] via 20.1.1.2, eth0" in up.stdout
    assert "R>* 192.168.1.0/24 [120/2] via 20.1.1.1, eth0" in up.stdout
    assert "local  '101.cisco.com' @ 20.1.1.1[500]" in up.stdout
    assert up.stdout.count("ESTABLISHED, IKEv1") == 2
    assert "zebra_ios_crypto" in up.stdout

    namespaces = subprocess.run(["ip", "netns", "list"], capture_output=True,
                                text=True).stdout
    assert "-r101" in namespaces and "-r102" in namespaces

    status = lab_cmd("status", state_dir=state_dir)
    assert status.returncode == 0 and "ESTABLISHED, IKEv1" in status.stdout

    down = lab_cmd("down", state_dir=state_dir)
    assert down.returncode == 0, down.stderr
    namespaces = subprocess.run(["ip", "netns", "list"], capture_output=True,
                                text=True).stdout
    assert "-r101" not in namespaces and "-r102" not in namespaces
    assert lab_cmd("status", state_dir=state_dir).returncode == 1
