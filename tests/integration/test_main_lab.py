# SPDX-License-Identifier: GPL-2.0-or-later
"""The README's first command: scripts/lab up (the IOS example in the VM
lab), and the namespace variant scripts/lab up --netns / status / down.

--no-install: the build tree's zebra module and build-vtysh/vtysh (tests
never install; tests/run-all has installed the same build before)."""

import os
import subprocess
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parent.parent.parent
LAB = TOP / "scripts" / "lab"


KERNEL_DIR = Path(os.environ.get("UPSTREAM_DIR") or TOP / "upstream") / "vm-kernel"


def lab_cmd(*args, state_dir, timeout=180):
    env = dict(os.environ, IOS_LAB_STATE=str(state_dir))
    return subprocess.run([str(LAB), *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.fixture
def state_dir(tmp_path):
    yield tmp_path
    lab_cmd("down", state_dir=tmp_path)


def test_lab_up_routes_and_negotiates_then_down_removes_it(state_dir):
    up = lab_cmd("up", "--netns", "--no-setup", "--no-install", state_dir=state_dir,
                 timeout=900)
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


def test_lab_up_runs_the_ios_example_in_the_vm(state_dir):
    if not KERNEL_DIR.is_dir():
        pytest.skip(f"VM kernel not prepared ({KERNEL_DIR} missing): run scripts/setup-deps")
    up = lab_cmd("up", "--no-setup", "--no-install", state_dir=state_dir, timeout=1800)
    assert up.returncode == 0, up.stdout[-6000:] + up.stderr[-3000:]
    out = up.stdout
    # the example's Verification, as the lab prints it
    assert out.count("renc 1  24:00:00") >= 2, out[-6000:]
    assert "R>* 172.16.1.0/24 [120/2] via 10.10.10.2, Tunnel0" in out
    assert "R>* 192.168.1.0/24 [120/2] via 10.10.10.1, Tunnel0" in out
    assert "transform: esp-des esp-sha-hmac" in out
    assert "in use settings ={Transport, }" in out
    assert "5 packets transmitted, 5 received, 0% packet loss" in out
    assert "ok: no clear GRE on eth0" in out
    assert "== lab: wall times:" in out
