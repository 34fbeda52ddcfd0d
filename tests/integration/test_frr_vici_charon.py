# SPDX-License-Identifier: GPL-2.0-or-later
"""zebra's VICI client against a real charon (strongSwan 5.9.8).

r1 runs charon and zebra (module argument vici=<r1's charon socket>), r2 a
charon only; they are joined by 20.1.1.0/24 and bring up an IKEv1 PSK Main
Mode SA (phase 1 only: the lab kernel has no ESP). zebra must see the SA
come and go through charon's events, survive charon being killed, and
resynchronise when charon is back.
"""

import json
import signal

import pytest

import lab as lablib

R1_ADDR, R2_ADDR = "20.1.1.1", "20.1.1.2"
PROPOSAL = "des-sha1-modp768"       # the seed's phase 1, as in test_lab_smoke
PSK = "vici-lab-secret"


def ikev1_psk_conf(me, peer):
    return f"""\
connections {{
    vici {{
        version = 1
        aggressive = no
        local_addrs = {me}
        remote_addrs = {peer}
        proposals = {PROPOSAL}
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
    ike-vici {{
        id-me = {me}
        id-peer = {peer}
        secret = "{PSK}"
    }}
}}
"""


def status(router):
    return json.loads(router.vty("zebra", "show crypto vici json"))


def sas(router):
    return json.loads(router.vty("zebra", "show crypto vici sas json"))["ikeSas"]


def wait_status(router, what, timeout=30, **expected):
    def check():
        st = status(router)
        return st if all(st.get(k) == v for k, v in expected.items()) else None
    try:
        return lablib.wait_until(check, timeout, 0.1, what)
    except lablib.LabError as exc:
        raise AssertionError(f"{exc}\nlast status: {status(router)}") from None


def wait_ike_sa(router, timeout=30):
    """zebra's entry for the established 'vici' IKE SA."""
    def find():
        return next((i for i in sas(router) if i["name"] == "vici"), None)
    return lablib.wait_until(find, timeout, 0.2, f"{router.name}: zebra sees IKE SA vici")


@pytest.fixture
def pair(lab):
    """r1 (charon + zebra with the VICI client) -- 20.1.1.0/24 -- r2 (charon)."""
    socket_path = lab.dir / "r1" / "charon.vici"
    r1 = lab.add_router("r1", start=False, daemons=("zebra",),
                        daemon_args={"zebra": ["-M", f"ios_crypto:vici={socket_path}"]},
                        frr_conf={"zebra": "debug crypto vici\n"})
    r2 = lab.add_router("r2", start=False, daemons=())
    lab.link(r1, "eth0", f"{R1_ADDR}/24", r2, "eth0", f"{R2_ADDR}/24")
    lab.start()
    assert r1.vici_uri == f"unix://{socket_path}"
    wait_status(r1, "zebra synchronised with charon", state="established", resyncs=1)
    r2.load_swanctl(ikev1_psk_conf(R2_ADDR, R1_ADDR))
    return r1, r2


def kill_charon(router):
    """SIGKILL, like a crash: no DELETE, no event, the socket file stays."""
    proc = router.processes["charon"]
    proc.signal_group(signal.SIGKILL)
    proc.popen.wait(10)


def test_zebra_sees_ikev1_sa_up_and_down(pair):
    r1, _ = pair
    r1.load_swanctl(ikev1_psk_conf(R1_ADDR, R2_ADDR))
    since = r1.log_size("zebra")
    r1.swanctl("--initiate", "--ike", "vici", "--timeout", "30")

    ike = wait_ike_sa(r1)
    assert (ike["version"], ike["state"]) == (1, "ESTABLISHED")
    assert (ike["localHost"], ike["remoteHost"]) == (R1_ADDR, R2_ADDR)
    assert (ike["localId"], ike["remoteId"]) == (R1_ADDR, R2_ADDR)
    match = r1.wait_log(r"vici: event ike-updown \{up=yes vici\{uniqueid=(\d+) version=1 "
                        r"state=ESTABLISHED", log="zebra", since=since)
    assert int(match.group(1)) == ike["uniqueid"]
    r1.wait_log(rf"vici: IKE SA vici\[{ike['uniqueid']}\] up {R1_ADDR} - {R2_ADDR}",
                log="zebra", since=since)
    assert status(r1)["events"]["ikeUpdown"] == 1

    since = r1.log_size("zebra")
    r1.swanctl("--terminate", "--ike", "vici", "--timeout", "30")
    lablib.wait_until(lambda: sas(r1) == [], 30, 0.2, "zebra sees the SA gone")
    # the down event carries no 'up' key
    r1.wait_log(r"vici: event ike-updown \{vici\{uniqueid=" + str(ike["uniqueid"]),
                log="zebra", since=since)
    r1.wait_log(rf"vici: IKE SA vici\[{ike['uniqueid']}\] down [0-9]", log="zebra",
                since=since)
    st = status(r1)
    assert st["events"]["ikeUpdown"] == 2
    assert st["protocolErrors"] == 0 and st["state"] == "established"


def test_charon_killed_and_back_resyncs(pair):
    r1, _ = pair
    r1.load_swanctl(ikev1_psk_conf(R1_ADDR, R2_ADDR))
    r1.swanctl("--initiate", "--ike", "vici", "--timeout", "30")
    old = wait_ike_sa(r1)

    kill_charon(r1)
    st = wait_status(r1, "zebra notices charon is gone", state="disconnected")
    assert st["disconnects"] == 1
    assert "closed by the daemon" in st["lastError"]
    # reconnect attempts fail (the socket file is stale) and back off
    lablib.wait_until(lambda: status(r1)["connectAttempts"] >= st["connectAttempts"] + 2,
                      10, what="two failed attempts")
    st = status(r1)
    assert st["state"] == "disconnected" and st["backoffMs"] >= 2000
    assert "Connection refused" in st["lastError"]
    # the table is kept while charon is away
    assert [i["uniqueid"] for i in sas(r1)] == [old["uniqueid"]]

    since = r1.log_size("zebra")
    r1.start_charon()
    st = wait_status(r1, "zebra back with the new charon", state="established",
                     resyncs=2)
    assert st["reconnects"] == 1
    # the new charon has no SA: the resync says the old one is gone
    assert sas(r1) == []
    r1.wait_log(rf"vici: IKE SA vici\[{old['uniqueid']}\] down \(resync\)", log="zebra",
                since=since)

    # and events flow again on the new connection
    r1.swanctl("--load-all")
    r1.swanctl("--initiate", "--ike", "vici", "--timeout", "30")
    new = wait_ike_sa(r1)
    assert new["state"] == "ESTABLISHED"
    r1.wait_log(r"vici: event ike-updown \{up=yes vici\{", log="zebra", since=since)


def test_zebra_configures_charon_over_vici(pair):
    """load-shared, load-conn and initiate sent by zebra bring the SA up."""
    r1, _ = pair
    requests = [
        f"crypto vici request load-shared id=ike-vici type=IKE data={PSK} "
        f"owners=[{R1_ADDR},{R2_ADDR}]",
        f"crypto vici request load-conn vici{{ version=1 aggressive=no "
        f"local_addrs=[{R1_ADDR}] remote_addrs=[{R2_ADDR}] proposals=[{PROPOSAL}] "
        f"local{{ auth=psk id={R1_ADDR} }} remote{{ auth=psk id={R2_ADDR} }} }}",
        "crypto vici request initiate ike=vici timeout=30000",
    ]
    since = r1.log_size("zebra")
    r1.vty("zebra", *requests)
    r1.wait_log(r"vici: request #3 initiate: success", log="zebra", since=since)
    log = r1.log_path("zebra").read_text()[since:]
    assert "request #1 load-shared: success" in log
    assert "request #2 load-conn: success" in log
    assert PSK not in log
    assert "data=<15 bytes>" in log

    ike = wait_ike_sa(r1)
    assert ike["state"] == "ESTABLISHED"
    conns = r1.swanctl("--list-conns")
    assert conns.startswith("vici: IKEv1, ")
    assert f"remote: {R2_ADDR}" in conns

    # charon's refusal comes back with its reason
    r1.vty("zebra", "crypto vici request load-conn bad{ proposals=[nonsense] }",
           "crypto vici request terminate ike=vici timeout=30000",
           "crypto vici request unload-conn name=vici",
           "crypto vici request reload-settings")
    r1.wait_log(r"vici: request #7 reload-settings: success", log="zebra", since=since)
    log = r1.log_path("zebra").read_text()[since:]
    assert "request #4 load-conn: failed: " in log
    assert "request #5 terminate: success" in log
    assert "request #6 unload-conn: success" in log
    lablib.wait_until(lambda: sas(r1) == [], 30, 0.2, "SA terminated")
    assert "vici:" not in (r1.swanctl("--list-conns") or "")
    st = status(r1)
    assert st["commands"]["succeeded"] == 6 and st["commands"]["failed"] == 1
    assert st["protocolErrors"] == 0
