# SPDX-License-Identifier: GPL-2.0-or-later
"""The router's crypto configuration becomes charon's (ios_crypto_charon.c).

First against tests/lab/fake_vici.py, which records what zebra sends:
the seed's crypto map entry typed into zebra's vty must arrive as the
swanctl connection "test-10" (load-conn), the key chain and the rsa-encr
mark as files for charon's plugins (then reload-settings), and an
initiate; changes are sent again, unchanged entries are not, removed ones
are terminated and unloaded, and everything is sent again after charon
comes back.

Then with two real charons: routers 101 and 102 configured only through
zebra's vty (the seed's IOS lines) bring up their IKEv1 rsa-encr SA by
themselves (phase 1: the host kernel has no ESP for the CHILD SA).
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import lab as lablib
from fake_vici import FakeVici, child_rekey_event, child_sa, child_updown_event, ike_sa

TOP = Path(__file__).resolve().parent.parent.parent
TOOL = TOP / "build" / "tools" / "ios-rsa-key" / "ios-rsa-key"
ADDR = {"101": "20.1.1.1", "102": "20.1.1.2"}


def tool(*args):
    return subprocess.run([str(TOOL), *args], check=True, capture_output=True,
                          text=True).stdout


class Keys:
    """A router's key pair, as ios-rsa-key generate leaves it."""

    def __init__(self, base, name, bits=1024):
        self.fqdn = f"{name}.cisco.com"
        self.rsa = base / "rsa"
        self.pubdir = base / "pubkey"
        self.rsa.mkdir(parents=True, exist_ok=True)
        self.pubdir.mkdir(parents=True, exist_ok=True)
        tool("generate", "--modulus", str(bits), "--label", self.fqdn,
             "--dir", str(self.rsa), "--force")
        self.private = self.rsa / f"{self.fqdn}.pem"
        self.public = self.pubdir / f"{self.fqdn}.pem"
        subprocess.run(["openssl", "pkey", "-in", str(self.private), "-pubout",
                        "-out", str(self.public)], check=True)

    def chain_lines(self, addr):
        """The lines an IOS user types for this key in the peer's chain."""
        entry = tool("chain-entry", "--named", self.fqdn, "--address", addr,
                     str(self.private))
        lines = [l.strip() for l in entry.splitlines()]
        return [l for l in lines if l and l != "crypto key pubkey-chain rsa"
                and l != "!"]


def seed_lines(me, peer, peer_keys, chain=True):
    """Router <me>'s crypto configuration, typed as in the IOS example."""
    a, b = ADDR[me], ADDR[peer]
    keys = (["crypto key pubkey-chain rsa", *peer_keys.chain_lines(b), "exit"]
            if chain else [])
    return ["crypto isakmp enable", "crypto isakmp identity hostname",
            "crypto isakmp policy 1", "authentication rsa-encr", "exit",
            f"access-list 101 permit gre host {a} host {b}",
            "crypto ipsec transform-set test esp-des esp-sha-hmac",
            "mode transport", "exit",
            "crypto map test 10 ipsec-isakmp", "set transform-set test",
            "match address 101", f"set peer {b}", "exit",
            *keys,
            "interface Tunnel0", f"tunnel source {a}", f"tunnel destination {b}",
            "crypto map test", "exit",
            "interface eth0", "crypto map test", "exit"]


def charon_files(lab, name):
    """Where router <name>'s zebra writes the files for charon."""
    return lab.dir / f"{name}-ios-crypto"


def keys_dir(lab, name):
    return lab.dir / f"{name}-keys"


def show_charon(router):
    return json.loads(router.vty("zebra", "show crypto charon json"))


def conn_status(router, name="test-10"):
    conns = {c["name"]: c for c in show_charon(router)["connections"]}
    return conns.get(name)


def wait_conn(router, status, name="test-10", timeout=20):
    def check():
        c = conn_status(router, name)
        return c if c and c["status"] == status else None
    try:
        return lablib.wait_until(check, timeout, 0.1, f"{name} {status}")
    except lablib.LabError:
        raise AssertionError(f"{name} not {status}: {show_charon(router)}") from None


# ------------------------------------------------------------ fake charon

@pytest.fixture
def fake(lab):
    peer = FakeVici(lab.dir / "fake.vici").start()
    yield peer
    peer.stop()


def zebra_args(lab, name, vici, keys):
    return {"zebra": ["-M", f"ios_crypto:vici={vici},charon-dir={charon_files(lab, name)},"
                            f"rsa-keys={keys.pubdir}"]}


@pytest.fixture
def r101(lab, fake):
    keys = Keys(keys_dir(lab, "101"), "101")
    router = lab.add_router("101", charon=False, daemons=("zebra",),
                            daemon_args=zebra_args(lab, "101", fake.path, keys),
                            frr_conf={"zebra": "domainname cisco.com\n"})
    router.keys = keys
    lablib.wait_until(lambda: json.loads(router.vty("zebra", "show crypto vici json"))
                      ["state"] == "established", 20, 0.1, "VICI established")
    return router


def last(fake, command):
    reqs = fake.requests(command)
    return reqs[-1] if reqs else None


def test_seed_entry_becomes_a_connection(r101, fake, lab):
    keys102 = Keys(keys_dir(lab, "102"), "102")
    r101.vty("zebra", "configure terminal", *seed_lines("101", "102", keys102))
    wait_conn(r101, "loaded")

    assert len(fake.requests("load-conn")) == 1, fake.requests("load-conn")
    conn = last(fake, "load-conn")["test-10"]
    assert conn["version"] == "1"
    assert conn["aggressive"] == "no"
    assert conn["local_addrs"] == ["20.1.1.1"]
    assert conn["remote_addrs"] == ["20.1.1.2"]
    assert conn["proposals"] == ["des-sha1-modp768"]      # IOS policy defaults
    assert conn["rekey_time"] == "86400s"
    assert conn["local"]["auth"] == "psk"                 # rsa-encr's shape
    assert conn["local"]["id"] == "101.cisco.com"         # identity hostname
    pem = r101.keys.public.read_text()
    assert conn["local"]["pubkeys"] == [pem]
    assert conn["remote"] == {"auth": "psk", "id": "102.cisco.com"}
    child = conn["children"]["test-10"]
    assert child["mode"] == "transport"
    assert child["esp_proposals"] == ["des-sha1"]
    assert child["local_ts"] == ["20.1.1.1/32[gre]"]
    assert child["remote_ts"] == ["20.1.1.2/32[gre]"]
    assert child["start_action"] == "trap"

    files = charon_files(lab, "101")
    marks = (files / "rsa-encr.conf").read_text()
    assert re.search(r"connections \{\n\s+test-10 = 4\n", marks), marks
    chain = (files / "pubkey-chain").read_text()
    assert "named-key 102.cisco.com\n  address 20.1.1.2\n  key-string\n" in chain
    for f in ("rsa-encr.conf", "pubkey-chain"):
        assert (files / f).stat().st_mode & 0o777 == 0o644

    names = [p.name for p in fake.packets() if p.type == 0]
    assert "reload-settings" in names
    assert names.index("reload-settings") < names.index("load-conn")
    fake.wait_for(lambda: last(fake, "initiate"), what="initiate")
    assert last(fake, "initiate")["ike"] == "test-10"
    assert last(fake, "initiate")["child"] == "test-10"


def test_revised_mode_is_marked_as_method_5(r101, fake, lab):
    keys102 = Keys(keys_dir(lab, "102"), "102")
    lines = ["authentication rsa-encr revised" if l == "authentication rsa-encr"
             else l for l in seed_lines("101", "102", keys102)]
    r101.vty("zebra", "configure terminal", *lines)
    wait_conn(r101, "loaded")
    conn = last(fake, "load-conn")["test-10"]
    # the same shape as method 4 (doc/rsa-encr.md): the mark decides
    assert conn["local"]["auth"] == "psk"
    assert conn["remote"] == {"auth": "psk", "id": "102.cisco.com"}
    marks_file = charon_files(lab, "101") / "rsa-encr.conf"
    marks = marks_file.read_text()
    assert re.search(r"connections \{\n\s+test-10 = 5\n", marks), marks
    reloads = len(fake.requests("reload-settings"))

    r101.vty("zebra", "configure terminal", "crypto isakmp policy 1",
             "authentication rsa-encr", "exit")
    fake.wait_for(lambda: len(fake.requests("reload-settings")) > reloads,
                  what="reload-settings after the method changed")
    marks = marks_file.read_text()
    assert re.search(r"connections \{\n\s+test-10 = 4\n", marks), marks


THIRD = "20.1.1.3"

# a second entry of map test, to a third router without an RSA key here
THIRD_ENTRY = [f"access-list 102 permit gre host 20.1.1.1 host {THIRD}",
               "crypto map test 20 ipsec-isakmp", "set transform-set test",
               "match address 102", f"set peer {THIRD}", "exit"]

MIXED_POLICIES = ["crypto isakmp policy 5", "authentication pre-share",
                  "encryption aes 256", "group 14", "exit",
                  "crypto isakmp policy 9", "authentication pre-share",
                  "encryption 3des", "exit"]


def shared(fake, peer, connection=None):
    """The load-shared requests zebra sent for a peer's address."""
    return [r for r in fake.requests("load-shared", connection)
            if r.get("id") == f"ios-crypto-psk-{peer}"]


def test_each_peer_gets_the_first_policy_that_can_authenticate_it(r101, fake, lab):
    """101 talks rsa-encr to 102 (whose key it has) and pre-share to a
    third router (for which it has a crypto isakmp key only)."""
    keys102 = Keys(keys_dir(lab, "102"), "102")
    r101.vty("zebra", "configure terminal", *seed_lines("101", "102", keys102),
             *MIXED_POLICIES, *THIRD_ENTRY,
             f"crypto isakmp key s3cret-3 address {THIRD}",
             # a key for 102 as well: rsa-encr comes first for 102, so this
             # secret must never reach charon
             "crypto isakmp key never-for-102 address 20.1.1.2")
    wait_conn(r101, "loaded")
    wait_conn(r101, "loaded", name="test-20")

    conns = {c["name"]: c for c in show_charon(r101)["connections"]}
    assert (conns["test-10"]["auth"], conns["test-10"]["policy"]) == ("rsa-encr", 1)
    assert (conns["test-20"]["auth"], conns["test-20"]["policy"]) == ("pre-share", 5)

    loads = {name: msg[name] for msg in fake.requests("load-conn") for name in msg}
    rsa, psk = loads["test-10"], loads["test-20"]
    assert rsa["proposals"] == ["des-sha1-modp768"]
    assert rsa["remote"] == {"auth": "psk", "id": "102.cisco.com"}
    # pre-share: the policies with that method, in priority order
    assert psk["proposals"] == ["aes256-sha1-modp2048", "3des-sha1-modp768"]
    assert psk["local"] == {"auth": "psk", "id": "101.cisco.com"}
    assert psk["remote"] == {"auth": "psk", "id": "%any"}
    assert psk["remote_addrs"] == [THIRD]

    [req] = shared(fake, THIRD)
    assert req["type"] == "IKE"
    assert req["data"] in ("s3cret-3", b"s3cret-3")
    assert req["owners"] == [THIRD]
    assert not shared(fake, "20.1.1.2")
    names = [p.name for p in fake.packets() if p.type == 0]
    assert names.index("load-shared") < max(
        i for i, n in enumerate(names) if n == "load-conn")
    # only the rsa-encr connection is marked
    marks = (charon_files(lab, "101") / "rsa-encr.conf").read_text()
    assert re.search(r"connections \{\n\s+test-10 = 4\n   \}", marks), marks
    out = r101.vty("zebra", "show crypto charon")
    assert re.search(r"test-20 +loaded +pre-share +", out), out
    assert re.search(rf"^{re.escape(THIRD)} +loaded$", out, re.M), out
    assert "s3cret" not in out and "never-for-102" not in out
    assert "s3cret" not in r101.log_path("zebra").read_text()

    # a new secret replaces the old one under the same id
    r101.vty("zebra", "configure terminal", f"crypto isakmp key other-3 address {THIRD}")
    fake.wait_for(lambda: len(shared(fake, THIRD)) == 2, what="load-shared again")
    assert shared(fake, THIRD)[-1]["data"] in ("other-3", b"other-3")

    # charon restarted: the secret is loaded again
    fake.stop()
    fake.start()
    fake.wait_for(lambda: shared(fake, THIRD, connection=2), timeout=30,
                  what="load-shared on the new connection")

    # the key gone: no policy can authenticate the third router
    r101.vty("zebra", "configure terminal", f"no crypto isakmp key other-3 address {THIRD}")
    fake.wait_for(lambda: fake.requests("unload-shared", connection=2),
                  what="unload-shared")
    assert fake.requests("unload-shared", connection=2)[-1] == {
        "id": f"ios-crypto-psk-{THIRD}"}
    c = wait_conn(r101, "not loaded", name="test-20")
    assert c["auth"] == "-"
    assert c["reason"] == (
        f"no crypto isakmp policy can authenticate peer {THIRD}: "
        f"no RSA encryption public key for peer {THIRD} in crypto key pubkey-chain rsa "
        f"(named-key with address {THIRD}); no crypto isakmp key for peer {THIRD} "
        "(pre-share)")
    assert conn_status(r101)["status"] == "loaded"


def test_pre_shared_keys_unloaded_behind_zebras_back_come_back(r101, fake, lab):
    """swanctl --load-creds unloads every shared key it did not load."""
    keys102 = Keys(keys_dir(lab, "102"), "102")
    fake.responses["get-shared"] = {"keys": [f"ios-crypto-psk-{THIRD}"]}
    r101.vty("zebra", "configure terminal", *seed_lines("101", "102", keys102),
             *MIXED_POLICIES, *THIRD_ENTRY,
             f"crypto isakmp key s3cret-3 address {THIRD}")
    wait_conn(r101, "loaded", name="test-20")
    fake.wait_for(lambda: len(fake.requests("get-shared")) >= 2, timeout=20,
                  what="get-shared on the retry timer")
    assert len(shared(fake, THIRD)) == 1
    fake.responses["get-shared"] = {"keys": []}
    fake.wait_for(lambda: len(shared(fake, THIRD)) == 2, timeout=20,
                  what="load-shared after the key went missing")
    assert show_charon(r101)["preSharedKeysLost"] >= 1


def test_pre_share_first_and_a_wildcard_key(r101, fake, lab):
    """The first policy decides when it can: pre-share before rsa-encr
    even for 102, with the key of the longest matching mask."""
    keys102 = Keys(keys_dir(lab, "102"), "102")
    r101.vty("zebra", "configure terminal", *seed_lines("101", "102", keys102),
             "crypto isakmp policy 1", "authentication pre-share", "exit",
             "crypto isakmp policy 2", "authentication rsa-encr", "exit",
             "crypto isakmp key any address 0.0.0.0 0.0.0.0",
             "crypto isakmp key net address 20.1.0.0 255.255.0.0",
             "crypto isakmp key far address 30.0.0.0 255.0.0.0")
    c = wait_conn(r101, "loaded")
    assert c["auth"] == "pre-share"
    fake.wait_for(lambda: shared(fake, "20.1.1.2"), what="load-shared")
    assert shared(fake, "20.1.1.2")[-1]["data"] in ("net", b"net")
    marks = (charon_files(lab, "101") / "rsa-encr.conf").read_text()
    assert "test-10" not in marks

    # without any key for it, 102 falls back to rsa-encr: its PSK goes
    r101.vty("zebra", "configure terminal",
             "no crypto isakmp key net address 20.1.0.0 255.255.0.0",
             "no crypto isakmp key any address 0.0.0.0 0.0.0.0")
    fake.wait_for(lambda: fake.requests("unload-shared"), what="unload-shared")
    fake.wait_for(lambda: conn_status(r101)["auth"] == "rsa-encr" or None,
                  what="rsa-encr for 102")
    fake.wait_for(lambda: "test-10 = 4" in
                  (charon_files(lab, "101") / "rsa-encr.conf").read_text(),
                  what="test-10 marked")


def test_duplicate_child_sas_are_closed_keeping_the_newest(r101, fake, lab):
    """Both peers initiated at once: charon (IKEv1) holds two CHILD SAs of
    the entry. 101 has the lower address: it closes the older one."""
    keys102 = Keys(keys_dir(lab, "102"), "102")
    r101.vty("zebra", "configure terminal", *seed_lines("101", "102", keys102))
    c = wait_conn(r101, "loaded")
    assert c["initiatesFirst"] is True
    older, newer = child_sa("test-10", 2, reqid=1), child_sa("test-10", 3, reqid=1)
    ike = ike_sa("test-10", 1)
    fake.sas[:] = [ike_sa("test-10", 1, children=[older, newer])]
    fake.emit("child-updown", child_updown_event(True, ike, older))
    fake.emit("child-updown", child_updown_event(True, ike, newer))
    fake.wait_for(lambda: last(fake, "terminate"), what="terminate of the duplicate")
    assert [r.get("child-id") for r in fake.requests("terminate")] == ["2"]
    assert conn_status(r101)["duplicatesClosed"] == 1


def test_rekeyed_child_sa_is_closed(r101, fake, lab):
    """A second Quick Mode of the entry counts as a rekey in charon, which
    keeps the old SA installed until it expires: 101 deletes it."""
    keys102 = Keys(keys_dir(lab, "102"), "102")
    r101.vty("zebra", "configure terminal", *seed_lines("101", "102", keys102))
    wait_conn(r101, "loaded")
    old, new = child_sa("test-10", 2, reqid=1), child_sa("test-10", 3, reqid=1)
    ike = ike_sa("test-10", 1)
    fake.sas[:] = [ike_sa("test-10", 1, children=[new])]
    fake.emit("child-updown", child_updown_event(True, ike, old))
    fake.emit("child-rekey", child_rekey_event(ike, old, new))
    fake.wait_for(lambda: last(fake, "terminate"), what="terminate of the rekeyed SA")
    assert [r.get("child-id") for r in fake.requests("terminate")] == ["2"]


def test_the_higher_address_lets_the_peer_initiate_first(lab, fake):
    """102 (20.1.1.2) leaves the first attempt to 101: no initiate at
    once, one after its SA has stayed down for a while."""
    keys = Keys(keys_dir(lab, "102"), "102")
    r102 = lab.add_router("102", charon=False, daemons=("zebra",),
                          daemon_args=zebra_args(lab, "102", fake.path, keys),
                          frr_conf={"zebra": "domainname cisco.com\n"})
    lablib.wait_until(lambda: json.loads(r102.vty("zebra", "show crypto vici json"))
                      ["state"] == "established", 20, 0.1, "VICI established")
    keys101 = Keys(keys_dir(lab, "101"), "101")
    r102.vty("zebra", "configure terminal", *seed_lines("102", "101", keys101))
    c = wait_conn(r102, "loaded")
    assert c["initiatesFirst"] is False
    assert c["initiates"] == 0 and not fake.requests("initiate")
    fake.wait_for(lambda: last(fake, "initiate"), timeout=60,
                  what="initiate once the SA stayed down")


def test_only_changes_are_sent_again(r101, fake, lab):
    keys102 = Keys(keys_dir(lab, "102"), "102")
    r101.vty("zebra", "configure terminal", *seed_lines("101", "102", keys102))
    wait_conn(r101, "loaded")
    loads = len(fake.requests("load-conn"))
    reloads = len(fake.requests("reload-settings"))

    # a change that does not concern charon, and a repeated line
    r101.vty("zebra", "configure terminal", "interface Tunnel0", "ip mtu 1420",
             "exit", "crypto map test 10 ipsec-isakmp", "set peer 20.1.1.2", "exit")
    assert len(fake.requests("load-conn")) == loads

    r101.vty("zebra", "configure terminal", "crypto ipsec transform-set test "
             "esp-3des esp-md5-hmac", "exit")
    fake.wait_for(lambda: len(fake.requests("load-conn")) == loads + 1,
                  what="load-conn after the transform set changed")
    assert last(fake, "load-conn")["test-10"]["children"]["test-10"][
        "esp_proposals"] == ["3des-md5"]
    # the key chain did not change: no reload-settings
    assert len(fake.requests("reload-settings")) == reloads

    r101.vty("zebra", "configure terminal", "crypto isakmp policy 5",
             "encryption aes 128", "group 14", "authentication rsa-encr", "exit",
             "crypto isakmp policy 9", "authentication rsa-sig", "exit")
    fake.wait_for(lambda: last(fake, "load-conn")["test-10"]["proposals"] ==
                  ["des-sha1-modp768", "aes128-sha1-modp2048"],
                  what="proposals of the rsa-encr policies in priority order")


def test_removed_entry_is_terminated_and_unloaded(r101, fake, lab):
    keys102 = Keys(keys_dir(lab, "102"), "102")
    r101.vty("zebra", "configure terminal", *seed_lines("101", "102", keys102))
    wait_conn(r101, "loaded")
    # the map stays applied (the model refuses removing an applied map)
    r101.vty("zebra", "configure terminal", "crypto map test 20 ipsec-isakmp",
             "set peer 20.1.1.3", "exit", "no crypto map test 10")
    fake.wait_for(lambda: last(fake, "unload-conn"), what="unload-conn")
    assert last(fake, "unload-conn") == {"name": "test-10"}
    assert last(fake, "terminate")["ike"] == "test-10"
    assert conn_status(r101) is None
    assert conn_status(r101, "test-20")["status"] == "not loaded"
    marks = (charon_files(lab, "101") / "rsa-encr.conf").read_text()
    assert "test-10" not in marks


def test_entries_that_cannot_load_say_why(r101, fake, lab):
    keys102 = Keys(keys_dir(lab, "102"), "102")
    lines = seed_lines("101", "102", keys102)
    chain = lines.index("crypto key pubkey-chain rsa")
    end = lines.index("exit", chain)
    without_chain = lines[:chain] + lines[end + 1:]
    r101.vty("zebra", "configure terminal", *without_chain)
    c = wait_conn(r101, "not loaded")
    assert c["reason"].startswith("no RSA encryption public key for peer 20.1.1.2 "
                                  "in crypto key pubkey-chain rsa")
    assert not fake.requests("load-conn")

    r101.vty("zebra", "configure terminal", "crypto key pubkey-chain rsa",
             *keys102.chain_lines("20.1.1.2"), "exit")
    wait_conn(r101, "loaded")

    # the router's own key is named after it
    r101.vty("zebra", "configure terminal", "hostname other")
    r101.vty("zebra", "configure terminal", "crypto isakmp policy 1", "lifetime 3600")
    c = wait_conn(r101, "not loaded")
    assert "no RSA public key of this router in" in c["reason"]
    assert "other.cisco.com.pem" in c["reason"]
    fake.wait_for(lambda: last(fake, "unload-conn"), what="unload-conn")

    r101.vty("zebra", "configure terminal", "interface eth0", "no crypto map test",
             "exit", "interface Tunnel0", "no crypto map test", "exit",
             "hostname 101")
    r101.vty("zebra", "configure terminal", "crypto isakmp policy 1", "lifetime 7200")
    c = wait_conn(r101, "not loaded")
    assert c["reason"] == "crypto map test is not applied to an interface"

    out = r101.vty("zebra", "show crypto charon")
    assert re.search(r"test-10 +not loaded +- +\d+ +\d+  crypto map test is not applied",
                     out), out


def test_everything_is_sent_again_after_charon_returns(r101, fake, lab):
    keys102 = Keys(keys_dir(lab, "102"), "102")
    r101.vty("zebra", "configure terminal", *seed_lines("101", "102", keys102))
    wait_conn(r101, "loaded")
    fake.stop()
    fake.start()
    fake.wait_for(lambda: fake.requests("load-conn", connection=2),
                  timeout=30, what="load-conn on the new connection")
    wait_conn(r101, "loaded")
    # a restarted charon reads the files itself: reload only on a change
    assert not fake.requests("reload-settings", connection=2)
    r101.vty("zebra", "configure terminal", "crypto key pubkey-chain rsa",
             "named-key 102.cisco.com", "address 20.1.1.9", "exit", "exit")
    fake.wait_for(lambda: fake.requests("reload-settings", connection=2),
                  what="reload-settings after the key chain changed")


def test_refused_connection_shows_charon_error(r101, fake, lab):
    fake.responses["load-conn"] = {"success": "no", "errmsg": "invalid value for: proposals"}
    keys102 = Keys(keys_dir(lab, "102"), "102")
    r101.vty("zebra", "configure terminal", *seed_lines("101", "102", keys102))
    c = wait_conn(r101, "refused")
    assert c["reason"] == "load-conn: invalid value for: proposals"
    r101.wait_log(r"charon refused connection test-10: load-conn: invalid value",
                  log="zebra", timeout=5)


# ------------------------------------------------------------ real charons

def charon_conf(files):
    """Read the files zebra writes (each daemon has a private /run)."""
    return f"""
charon {{
    plugins {{
        ios-keychain {{
            path = {files / 'pubkey-chain'}
        }}
        rsa-encr {{
            router_marks = {files / 'rsa-encr.conf'}
        }}
    }}
}}
"""


def test_two_routers_configured_in_vty_establish_rsa_encr(lab):
    routers, keys = real_routers(lab)
    for name, peer in (("101", "102"), ("102", "101")):
        routers[name].vty("zebra", "configure terminal",
                          *seed_lines(name, peer, keys[peer]))

    for name, router in routers.items():
        wait_conn(router, "loaded", timeout=30)
        out = router.swanctl("--list-conns")
        assert re.search(r"test-10: IKEv1", out), out
        assert "local pre-shared key authentication" in out
        router.wait_log(r"rsa-encr: 1 connections marked for RSA encryption \(4\)",
                        timeout=20)
    # zebra initiates by itself; the IKE SA comes up with rsa-encr
    for router in routers.values():
        router.wait_log(r"authentication of '10\d\.cisco\.com' with RSA encryption "
                        r"\(IKEv1 auth method 4, 1024 bit key\) successful", timeout=40)
    # loaded once: the lines typed after it changed nothing charon sees
    for router in routers.values():
        log = router.log_path("charon").read_text()
        assert len(re.findall(r"(added|updated) vici connection: test-10", log)) == 1
    sas = routers["101"].swanctl("--list-sas", "--ike", "test-10")
    assert re.search(r"test-10: #\d+, ESTABLISHED, IKEv1", sas), sas
    assert "101.cisco.com" in sas and "102.cisco.com" in sas


def pre_share_lines(me, peer, secret):
    """The seed's entry with pre-shared keys instead of rsa-encr."""
    lines = [l for l in seed_lines(me, peer, None, chain=False)
             if l != "authentication rsa-encr"]
    policy = lines.index("crypto isakmp policy 1")
    lines[policy + 1:policy + 1] = ["authentication pre-share"]
    return lines + [f"crypto isakmp key {secret} address {ADDR[peer]}"]


def real_routers(lab, names=("101", "102")):
    keys = {name: Keys(keys_dir(lab, name), name) for name in names}
    routers = {}
    for name in names:
        routers[name] = lab.add_router(
            name, charon_conf=charon_conf(charon_files(lab, name)), daemons=("zebra",),
            daemon_args=zebra_args(lab, name, lab.dir / name / "charon.vici", keys[name]),
            frr_conf={"zebra": "domainname cisco.com\n"})
    lab.link(routers["101"], "eth0", "20.1.1.1/24", routers["102"], "eth0", "20.1.1.2/24")
    for name, router in routers.items():
        # the router's private key into charon, as swanctl --load-creds does
        shutil.copy(keys[name].private, router.swanctl_dir / "rsa")
        router.swanctl("--load-creds", "--noprompt")
    return routers, keys


def established(router):
    sas = router.swanctl("--list-sas") or ""
    return re.findall(r"test-10: #\d+, ESTABLISHED, IKEv1", sas)


def test_two_routers_establish_with_pre_shared_keys(lab):
    routers, _ = real_routers(lab)
    for name, peer in (("101", "102"), ("102", "101")):
        routers[name].vty("zebra", "configure terminal",
                          *pre_share_lines(name, peer, "Gre-0ver-IPsec"))
    for router in routers.values():
        c = wait_conn(router, "loaded", timeout=30)
        assert c["auth"] == "pre-share"
    for router in routers.values():
        router.wait_log(r"IKE_SA test-10\[\d+\] established between "
                        r"20\.1\.1\.\d\[10\d\.cisco\.com\]\.\.\.20\.1\.1\.\d"
                        r"\[10\d\.cisco\.com\]", timeout=40)
        assert established(router)
        # the secret went over VICI only
        assert "Gre-0ver-IPsec" not in router.log_path("charon").read_text()


def test_pre_shared_keys_between_identity_hostname_and_identity_address(lab):
    """A pre-shared key is bound to the peer's address: 102 (identity
    address, IOS's default) accepts 101 sending its hostname, as IOS does
    (the VM lab's mixed scenario: tests/fixtures/seed/mixed/router-103.conf)."""
    routers, _ = real_routers(lab)
    for name, peer in (("101", "102"), ("102", "101")):
        lines = pre_share_lines(name, peer, "Gre-0ver-IPsec")
        if name == "102":
            lines.remove("crypto isakmp identity hostname")
        routers[name].vty("zebra", "configure terminal", *lines)
    for router in routers.values():
        c = wait_conn(router, "loaded", timeout=30)
        assert c["auth"] == "pre-share"
    for router in routers.values():
        router.wait_log(r"IKE_SA test-10\[\d+\] established between "
                        r"20\.1\.1\.\d\[(101\.cisco\.com|20\.1\.1\.2)\]\.\.\."
                        r"20\.1\.1\.\d\[(101\.cisco\.com|20\.1\.1\.2)\]", timeout=40)
        assert established(router)


def test_rsa_encr_entry_is_never_authenticated_by_a_pre_shared_key(lab):
    """102 has an rsa-encr entry for 101 and also a crypto isakmp key for
    101's address; 101 (the attacker) knows that key and insists on
    pre-share. No IKE SA may come up: zebra gives charon no PSK for a
    peer whose entry uses rsa-encr, and even with one in charon the
    rsa-encr plugin refuses PSK for the marked connection."""
    routers, keys = real_routers(lab)
    victim, attacker = routers["102"], routers["101"]
    victim.vty("zebra", "configure terminal", *seed_lines("102", "101", keys["101"]),
               "crypto isakmp key stolen-secret address 20.1.1.1")
    attacker.vty("zebra", "configure terminal",
                 *pre_share_lines("101", "102", "stolen-secret"))
    assert wait_conn(victim, "loaded", timeout=30)["auth"] == "rsa-encr"
    assert wait_conn(attacker, "loaded", timeout=30)["auth"] == "pre-share"
    assert show_charon(victim)["preSharedKeys"] == []

    # the attacker's Main Mode finds no secret for it in the victim's charon
    victim.wait_log(r"no shared key found for 20\.1\.1\.2 - 20\.1\.1\.1", timeout=40)
    assert not established(victim) and not established(attacker)

    # the same secret put into the victim's charon by hand, for 101's
    # address: the marked connection still refuses it
    (victim.swanctl_dir / "conf.d" / "attacker.conf").write_text(
        "secrets {\n ike-101 {\n  id = 20.1.1.1\n  secret = stolen-secret\n }\n}\n")
    since = victim.log_size()
    victim.swanctl("--load-creds", "--noprompt")
    victim.wait_log(r"connection 'test-10' requires RSA encryption authentication "
                    r"\(rsa-encr 4\), refusing the peer's other authentication",
                    timeout=40, since=since)
    assert not established(victim) and not established(attacker)
    assert not re.search(r"IKE_SA test-10\[\d+\] established",
                         victim.log_path("charon").read_text())


def test_two_routers_establish_rsa_encr_revised(lab):
    """'authentication rsa-encr revised' typed into both zebras: method 5."""
    routers, keys = real_routers(lab)
    for name, peer in (("101", "102"), ("102", "101")):
        lines = ["authentication rsa-encr revised" if l == "authentication rsa-encr"
                 else l for l in seed_lines(name, peer, keys[peer])]
        routers[name].vty("zebra", "configure terminal", *lines)
    for router in routers.values():
        assert wait_conn(router, "loaded", timeout=30)["auth"] == "rsa-encr revised"
        router.wait_log(r"rsa-encr: 0 connections marked for RSA encryption \(4\), "
                        r"1 for the revised mode \(5\)", timeout=20)
    for router in routers.values():
        router.wait_log(r"authentication of '10\d\.cisco\.com' with RSA encryption "
                        r"\(IKEv1 auth method 5, 1024 bit key\) successful", timeout=40)
        assert established(router)
