# SPDX-License-Identifier: GPL-2.0-or-later
"""The ios-keychain plugin in a running charon: keys from IOS key chains
authenticate real IKEv1 exchanges (RSA signatures), by FQDN and by address,
nothing else does, and reloads keep what works.

r1 = 101.cisco.com (identity hostname) at 20.1.1.1, r2 = 20.1.1.2 (identity
address). Each charon knows the other's public key only from an IOS chain.
"""

import re
import subprocess
from pathlib import Path

import pytest

import lab as lablib

TOP = Path(__file__).resolve().parent.parent.parent
TOOL = TOP / "build" / "tools" / "ios-rsa-key" / "ios-rsa-key"
R1_ADDR, R2_ADDR = "20.1.1.1", "20.1.1.2"
R1_ID, R2_ID = "101.cisco.com", R2_ADDR


def tool(*args):
    return subprocess.run([str(TOOL), *args], check=True, capture_output=True,
                          text=True).stdout


def chain_conf(router):
    return f"""
charon {{
    plugins {{
        ios-keychain {{
            path = {router.dir / 'pubkey-chain'}
        }}
    }}
}}
"""


def make_key(router, label, bits=1024):
    """A key pair in the router's swanctl store, public half in pubkey/."""
    rsa = router.swanctl_dir / "rsa"
    tool("generate", "--modulus", str(bits), "--label", label, "--dir", str(rsa))
    key = rsa / f"{label}.pem"
    pub = router.swanctl_dir / "pubkey" / f"{label}.pem"
    subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-out", str(pub)],
                   check=True)
    return key


def write_chain(router, *blocks, name="chain.cfg"):
    chain = router.dir / "pubkey-chain"
    chain.mkdir(exist_ok=True)
    (chain / name).write_text("crypto key pubkey-chain rsa\n" + "".join(blocks) + "!\n")
    return chain / name


def conn(me, my_id, my_key, peer, peer_id):
    return f"""
connections {{
    kc {{
        version = 1
        local_addrs = {me}
        remote_addrs = {peer}
        proposals = aes128-sha1-modp2048
        local {{
            auth = pubkey
            id = {my_id}
            pubkeys = {my_key}.pem
        }}
        remote {{
            auth = pubkey
            id = {peer_id}
        }}
    }}
}}
"""


def established(router):
    out = router.swanctl("--list-sas", "--ike", "kc")
    return out if "ESTABLISHED, IKEv1" in out else None


@pytest.fixture
def pair(lab):
    r1 = lab.add_router("r1", start=False, daemons=())
    r2 = lab.add_router("r2", start=False, daemons=())
    for r in (r1, r2):
        r.charon_conf = chain_conf(r)
        (r.dir / "pubkey-chain").mkdir()
    lab.link(r1, "eth0", f"{R1_ADDR}/24", r2, "eth0", f"{R2_ADDR}/24")
    lab.start()
    for r in (r1, r2):
        r.prepare_swanctl_dir()
    make_key(r1, R1_ID)
    make_key(r2, "r2")
    return r1, r2


def exchange_keys(r1, r2, r1_usage=None):
    """As an IOS user would: print each key as a chain entry for the peer."""
    usage = ["--usage", r1_usage] if r1_usage else []
    r1_entry = tool("chain-entry", "--named", R1_ID, "--address", R1_ADDR, *usage,
                    str(r1.swanctl_dir / "rsa" / f"{R1_ID}.pem"))
    r2_entry = tool("chain-entry", "--addressed", R2_ADDR,
                    str(r2.swanctl_dir / "rsa" / "r2.pem"))
    write_chain(r2, r1_entry)
    write_chain(r1, r2_entry)
    for r in (r1, r2):
        r.swanctl("--reload-settings")


def load_conns(r1, r2, r1_id=R1_ID):
    r1.load_swanctl(conn(R1_ADDR, r1_id, R1_ID, R2_ADDR, R2_ID))
    r2.load_swanctl(conn(R2_ADDR, R2_ID, "r2", R1_ADDR, r1_id))


def test_keys_from_chains_authenticate_by_fqdn_and_address(pair):
    r1, r2 = pair
    exchange_keys(r1, r2)
    r2.wait_log(r"ios-keychain: loaded 1 of 1 keys from '.*chain\.cfg': 1 FQDN, "
                r"0 IPv4, 0 IPv6 \(0 errors\)")
    r1.wait_log(r"ios-keychain: loaded 1 of 1 keys from '.*chain\.cfg': 0 FQDN, "
                r"1 IPv4, 0 IPv6 \(0 errors\)")
    load_conns(r1, r2)
    r1.swanctl("--initiate", "--ike", "kc", "--timeout", "30")
    for r in (r1, r2):
        lablib.wait_until(lambda: established(r), 30, what=f"{r.name}: IKE SA")
    # r2 verified 101.cisco.com's signature with the chain's named-key
    r2.wait_log(r"authentication of '101\.cisco\.com' with RSA.* successful")
    r1.wait_log(r"authentication of '20\.1\.1\.2' with RSA.* successful")


def listed_subjects(router, subject):
    out = router.swanctl("--list-certs", "--type", "pubkey", "--subject", subject)
    return re.findall(r'subject:\s+"([^"]*)"', out)


def test_charon_finds_chain_keys_by_name_and_address_only(pair):
    r1, r2 = pair
    exchange_keys(r1, r2)
    assert listed_subjects(r2, "101.cisco.com") == ["101.cisco.com"]
    assert listed_subjects(r2, "20.1.1.1") == ["20.1.1.1"]
    assert listed_subjects(r2, "102.cisco.com") == []
    assert listed_subjects(r2, "20.1.1.3") == []


def test_unknown_identity_finds_no_key(pair):
    r1, r2 = pair
    exchange_keys(r1, r2)
    load_conns(r1, r2, r1_id="103.cisco.com")
    since = r2.log_size()
    r1.swanctl("--initiate", "--ike", "kc", "--timeout", "15", check=False)
    r2.wait_log(r"no trusted RSA public key found for '103\.cisco\.com'",
                since=since)
    assert "ESTABLISHED" not in r2.swanctl("--list-sas")


def test_encryption_key_never_verifies_signatures(pair):
    r1, r2 = pair
    exchange_keys(r1, r2, r1_usage="encryption")
    load_conns(r1, r2)
    since = r2.log_size()
    r1.swanctl("--initiate", "--ike", "kc", "--timeout", "15", check=False)
    r2.wait_log(r"no trusted RSA public key found for '101\.cisco\.com'",
                since=since)
    assert "ESTABLISHED" not in r2.swanctl("--list-sas")


def test_reload_reports_bad_entry_and_loads_the_rest(pair):
    r1, r2 = pair
    exchange_keys(r1, r2)
    good = tool("chain-entry", "--named", R1_ID, "--address", R1_ADDR,
                str(r1.swanctl_dir / "rsa" / f"{R1_ID}.pem"))
    bad = " named-key broken.cisco.com\n  key-string\n  305C300D 06092A8\n  quit\n"
    chain = write_chain(r2, bad, good)
    since = r2.log_size()
    r2.swanctl("--reload-settings")
    r2.wait_log(rf"{re.escape(str(chain))}:3: key-string of named-key broken.cisco.com has an odd number of hex digits",
                since=since)
    r2.wait_log(r"loaded 1 of 1 keys from .* \(1 errors\)", since=since)
    assert listed_subjects(r2, "101.cisco.com") == ["101.cisco.com"]
    assert listed_subjects(r2, "broken.cisco.com") == []


def test_unparsable_chain_keeps_keys_in_service(pair):
    r1, r2 = pair
    exchange_keys(r1, r2)
    chain = r2.dir / "pubkey-chain" / "chain.cfg"
    chain.write_text("crypto key pubkey-chain rsa\n named-key x.cisco.com\n"
                     "  key-string\n  ZZZZ\n  quit\n")
    since = r2.log_size()
    r2.swanctl("--reload-settings")
    r2.wait_log(r"no key loaded from .*chain\.cfg.* stay in service", since=since)
    assert listed_subjects(r2, "101.cisco.com") == ["101.cisco.com"]
    load_conns(r1, r2)
    r1.swanctl("--initiate", "--ike", "kc", "--timeout", "30")
    lablib.wait_until(lambda: established(r2), 30, what="r2: IKE SA")


def test_removed_chain_file_removes_its_keys(pair):
    r1, r2 = pair
    exchange_keys(r1, r2)
    (r2.dir / "pubkey-chain" / "chain.cfg").unlink()
    since = r2.log_size()
    r2.swanctl("--reload-settings")
    r2.wait_log(r"chain\.cfg' is gone, its keys are removed", since=since)
    assert listed_subjects(r2, "101.cisco.com") == []
