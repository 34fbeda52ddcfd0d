# SPDX-License-Identifier: GPL-2.0-or-later
"""Smoke tests of the namespace lab itself.

Two routers r1 and r2 joined by 20.1.1.0/24 prove that each router's charon
and FRR really work (IKEv1 Main Mode, RIPv2 route exchange), and the
teardown tests prove that a lab leaves nothing behind, even when the body
fails or its owner dies.
"""

import contextlib
import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest

import lab as lablib

LAB_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lab")

R1_ADDR, R2_ADDR = "20.1.1.1", "20.1.1.2"
R1_NET, R2_NET = "192.168.1.0/24", "172.16.1.0/24"
# The seed configuration's phase 1 proposal.  Debian's charon gets DES and
# MODP768 from the openssl plugin, which loads OpenSSL 3's legacy provider.
IKE_PROPOSAL = "des-sha1-modp768"
PSK = "lab-smoke-secret"

# Short update timer: the daemons start with the topology in place and the
# startup requests and triggered updates converge in a few seconds; should a
# packet be lost anyway, the next periodic update is ~5 s away instead of 30.
RIPD_CONF = """\
debug rip events
debug rip zebra
!
router rip
 version 2
 timers basic 5 30 20
 network 20.1.1.0/24
 redistribute connected
!
"""


def ikev1_psk_conf(me, peer):
    """swanctl.conf for a PSK IKEv1 Main Mode peer, ids = addresses.

    No children: Quick Mode cannot install SAs in a kernel without ESP, and
    phase 1 is all this smoke test is about.
    """
    return f"""\
connections {{
    smoke {{
        version = 1
        aggressive = no
        local_addrs = {me}
        remote_addrs = {peer}
        proposals = {IKE_PROPOSAL}
        local {{
            auth = psk
            id = {me}
        }}
        remote {{
            auth = psk
            id = {peer}
        }}
    }}
}}
secrets {{
    ike-smoke {{
        id-me = {me}
        id-peer = {peer}
        secret = "{PSK}"
    }}
}}
"""


@pytest.fixture
def pair(lab):
    """r1 (stub 192.168.1.1/24 on lo) -- 20.1.1.0/24 -- r2 (172.16.1.1/24 on lo).

    The topology is built before the daemons start, so they find their
    interfaces and addresses at startup, as on a booting router.
    """
    r1 = lab.add_router("r1", start=False, frr_conf={"ripd": RIPD_CONF})
    r2 = lab.add_router("r2", start=False, frr_conf={"ripd": RIPD_CONF})
    lab.link(r1, "eth0", f"{R1_ADDR}/24", r2, "eth0", f"{R2_ADDR}/24")
    r1.addr("lo", "192.168.1.1/24")
    r2.addr("lo", "172.16.1.1/24")
    lab.start()
    return r1, r2


def ike_sa_established(router, conn="smoke"):
    """The router's '--list-sas' text if it shows ``conn`` ESTABLISHED with IKEv1."""
    out = router.swanctl("--list-sas", "--ike", conn)
    return out if f"{conn}: #" in out and "ESTABLISHED, IKEv1" in out else None


def test_ikev1_psk_main_mode(pair):
    r1, r2 = pair
    r1.load_swanctl(ikev1_psk_conf(R1_ADDR, R2_ADDR))
    r2.load_swanctl(ikev1_psk_conf(R2_ADDR, R1_ADDR))

    # --ike without --child brings up phase 1 only (swanctl 5.9.8)
    out = r1.swanctl("--initiate", "--ike", "smoke", "--timeout", "30")
    assert "initiating Main Mode IKE_SA smoke" in out

    for router, me in ((r1, R1_ADDR), (r2, R2_ADDR)):
        sas = lablib.wait_until(lambda: ike_sa_established(router), 30,
                                what=f"{router.name}: IKE SA established")
        assert f"local  '{me}' @ {me}[500]" in sas
        assert "DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_768" in sas
    r2.wait_log(r"IKE_SA smoke\[\d+\] established between 20\.1\.1\.2")


def rip_route(router, prefix):
    """The selected RIP entry for ``prefix`` in the router's zebra RIB, or None."""
    routes = router.vtysh_json(f"show ip route {prefix} json").get(prefix, [])
    return next((r for r in routes if r.get("protocol") == "rip" and r.get("selected")),
                None)


def test_rip_exchanges_routes(pair):
    r1, r2 = pair
    for router, prefix, nexthop in ((r2, R1_NET, R1_ADDR), (r1, R2_NET, R2_ADDR)):
        route = lablib.wait_until(lambda: rip_route(router, prefix), 30,
                                  what=f"{router.name}: RIP route to {prefix}")
        assert route["nexthops"][0]["ip"] == nexthop
        assert route["metric"] == 2
        # zebra really installed it in the namespace's kernel table
        assert "proto rip" in router.ip("route", "show", prefix)
    # the direct vty path reaches ripd too
    assert R1_NET in r2.vty("ripd", "show ip rip")


# --------------------------------------------------------------------------
# teardown


def lab_footprint(the_lab):
    """What a started lab owns: run id, run dir, namespaces, daemon pids."""
    pids = [p.pid for p in the_lab.processes]
    assert pids and all(lablib.pid_alive(p) for p in pids)
    return the_lab.run_id, the_lab.dir, list(the_lab.namespaces), pids


def assert_nothing_left(run_id, run_dir, namespaces, pids):
    assert namespaces and all(ns.startswith(f"islab-{run_id}-") for ns in namespaces)
    left_ns = [ns for ns in lablib.list_namespaces() if ns.startswith(f"islab-{run_id}-")]
    assert left_ns == []
    assert [p for p in pids if lablib.pid_alive(p)] == []
    assert lablib.pids_with_env(lablib.RUN_ENV, [run_id]) == {}
    assert not run_dir.exists()


def test_teardown_leaves_nothing():
    with lablib.Lab(keep=False) as the_lab:
        the_lab.add_router("r1")
        footprint = lab_footprint(the_lab)
    assert_nothing_left(*footprint)


@pytest.mark.parametrize("exc_type", [RuntimeError, KeyboardInterrupt])
def test_failing_body_still_tears_down(exc_type):
    footprint = None
    with pytest.raises(exc_type, match="boom"):
        with lablib.Lab(keep=False) as the_lab:
            the_lab.add_router("r1")
            footprint = lab_footprint(the_lab)
            raise exc_type("boom")
    assert_nothing_left(*footprint)


@contextlib.contextmanager
def adopting_orphans():
    """Be the reaper of orphaned descendants while simulating a dead owner.

    Otherwise the stray run's daemons are re-parented to PID 1 and, once
    cleanup has killed them, linger as zombies until PID 1 gets round to
    reaping them (they would show up in 'pgrep charon').  Yields a list to
    put the adopted pids in; those that are dead by then are reaped on exit
    (never blocking: if cleanup failed, the test has failed already).
    """
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_child_subreaper = 36
    libc.prctl(pr_set_child_subreaper, 1, 0, 0, 0)
    adopted = []
    try:
        yield adopted
    finally:
        libc.prctl(pr_set_child_subreaper, 0, 0, 0, 0)
        for pid in adopted:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)


# A lab owner that builds a router, reports its run, then waits to be killed.
STRAY_OWNER = """\
import sys, lab
l = lab.Lab(keep=False)
l.add_router("r1")
print(l.run_id, l.dir, flush=True)
sys.stdin.readline()
"""


def test_cleanup_removes_stray_run(lab):
    """A run whose owner was SIGKILLed is removed; a live lab is left alone."""
    live = lab.add_router("r1", daemons=("zebra",))
    with adopting_orphans() as adopted:
        owner = subprocess.Popen([sys.executable, "-c", STRAY_OWNER], cwd=LAB_DIR,
                                 env={**os.environ, "PYTHONPATH": LAB_DIR}, text=True,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        try:
            run_id, run_dir = owner.stdout.readline().split()
            # counted while the owner lives, so no parallel cleanup interferes
            stray = list(lablib.pids_with_env(lablib.RUN_ENV, [run_id]))
            adopted += stray
        finally:
            owner.kill()                # no teardown: charon, zebra, ripd stay
            owner.wait()
        assert len(stray) >= 3

        subprocess.run([os.path.join(LAB_DIR, "cleanup"), "-q"], check=True, timeout=120)

        assert_nothing_left(run_id, Path(run_dir), [f"islab-{run_id}-r1"], stray)
    assert live.vty("zebra", "show version").startswith("FRRouting")
    assert live.ns in lablib.list_namespaces()
