# SPDX-License-Identifier: GPL-2.0-or-later
"""The rsa-encr plugin in running charons: IKEv1 Main Mode authenticated
with RSA encryption (RFC 2409 5.2, IKEv1 auth method 4) between two
Debian charons in namespaces, phase 1 only (this kernel has no ESP).

r1 = 101.cisco.com at 20.1.1.1, r2 = 102.cisco.com at 20.1.1.2, the
routers of the Cisco seed. Each charon has its own key pair in swanctl's
store (swanctl/rsa, loaded with --load-all) and knows the peer's public
key only from an IOS key chain, pasted the way an IOS user does
(ios-rsa-key chain-entry). The wire format is checked with tshark.

The helpers here are shared by the other test_rsa_encr*.py modules.
"""

import os
import re
import subprocess
import time
from pathlib import Path

import pytest

import lab as lablib

TOP = Path(__file__).resolve().parent.parent.parent
TOOL = TOP / "build" / "tools" / "ios-rsa-key" / "ios-rsa-key"
R1_ADDR, R2_ADDR = "20.1.1.1", "20.1.1.2"
R1_NAME, R2_NAME = "101.cisco.com", "102.cisco.com"
CONN = "rsa"
SEED_PROPOSAL = "des-sha1-modp768"

# RFC 2409 appendix A, and the ISAKMP payload types of RFC 2408 3.1
AUTH_PSK, AUTH_RSA_ENC, AUTH_RSA_ENC_REV = 1, 4, 5
SA, KE, ID, HASH, NONCE, NAT_D = 1, 4, 5, 8, 10, 20
FRAGMENT = 132      # IKEv1 fragmentation (Cisco's format, which charon uses)


def tool(*args):
    return subprocess.run([str(TOOL), *args], check=True, capture_output=True,
                          text=True).stdout


class Peer:
    """One side of an exchange: its router, address, key and identity."""

    def __init__(self, router, addr, name, identity):
        self.router = router
        self.addr = addr
        self.name = name            # key label
        self.identity = identity    # what this side calls itself in IKE

    @property
    def key(self):
        return self.router.swanctl_dir / "rsa" / f"{self.name}.pem"

    @property
    def pubkey(self):
        return self.router.swanctl_dir / "pubkey" / f"{self.name}.pem"

    def make_key(self, bits):
        """A fresh key pair in the router's swanctl store (old ones go)."""
        rsa = self.router.swanctl_dir / "rsa"
        for old in rsa.glob("*.pem"):
            old.unlink()
        tool("generate", "--modulus", str(bits), "--label", self.name,
             "--dir", str(rsa), "--force")
        subprocess.run(["openssl", "pkey", "-in", str(self.key), "-pubout",
                        "-out", str(self.pubkey)], check=True)


def charon_conf(router, method=AUTH_RSA_ENC, conns=(CONN,), extra="",
                charon_extra=""):
    marks = "\n".join(f"                {c} = {method}" for c in conns)
    return f"""
charon {{
{charon_extra}
    plugins {{
        ios-keychain {{
            path = {router.dir / 'pubkey-chain'}
        }}
        rsa-encr {{
            connections {{
{marks}
            }}
{extra}
        }}
    }}
}}
"""


def write_chain(router, *blocks, name="chain.cfg"):
    chain = router.dir / "pubkey-chain"
    chain.mkdir(exist_ok=True)
    (chain / name).write_text("crypto key pubkey-chain rsa\n" + "".join(blocks) + "!\n")


def chain_entry(peer, by_address=False, usage=None, key=None):
    """The block an IOS user pastes into the other router's chain."""
    extra = ["--usage", usage] if usage else []
    key = str(key or peer.key)
    if by_address:
        return tool("chain-entry", "--addressed", peer.addr, *extra, key)
    return tool("chain-entry", "--named", peer.name, "--address", peer.addr,
                *extra, key)


def reload_settings(*peers):
    for p in peers:
        since = p.router.log_size()
        p.router.swanctl("--reload-settings")
        p.router.wait_log(r"ios-keychain: (loaded|no key loaded)", since=since)


def exchange_keys(a, b, by_address=False):
    write_chain(b.router, chain_entry(a, by_address))
    write_chain(a.router, chain_entry(b, by_address))
    reload_settings(a, b)


def conn(me, peer, proposal=SEED_PROPOSAL, auth="psk", remote_id=None,
         name=CONN, secret=None):
    secrets = ""
    if secret:
        secrets = f"""
secrets {{
    ike-{name} {{
        id-a = {me.identity}
        id-b = {remote_id or peer.identity}
        secret = "{secret}"
    }}
}}
"""
    return f"""
connections {{
    {name} {{
        version = 1
        local_addrs = {me.addr}
        remote_addrs = {peer.addr}
        proposals = {proposal}
        local {{
            auth = {auth}
            id = {me.identity}
            pubkeys = {me.name}.pem
        }}
        remote {{
            auth = {auth}
            id = {remote_id or peer.identity}
        }}
    }}
}}
{secrets}"""


def load(a, b, **kw):
    a.router.load_swanctl(conn(a, b, **kw))
    b.router.load_swanctl(conn(b, a, **kw))


def established(router, name=CONN):
    out = router.swanctl("--list-sas", "--ike", name)
    return out if re.search(r"ESTABLISHED[^\n]*IKEv1", out) else None


def initiate(a, name=CONN, timeout=30, check=True):
    return a.router.swanctl("--initiate", "--ike", name, "--timeout",
                            str(timeout), check=check)


def wait_established(*peers, name=CONN):
    for p in peers:
        lablib.wait_until(lambda: established(p.router, name), 30,
                          what=f"{p.router.name}: IKE SA {name} ESTABLISHED")


def auth_line(peer_id, bits, method=AUTH_RSA_ENC):
    return (rf"authentication of '{re.escape(peer_id)}' with RSA encryption "
            rf"\(IKEv1 auth method {method}, {bits} bit key\) successful")


def make_pair(lab, r1_id=R1_NAME, r2_id=R2_NAME, r1_secrets=False, **conf):
    """Routers 101 and 102 of the seed, charons running, no keys yet;
    r1_secrets: r1 logs secrets (ike level 4), for decrypting captures."""
    levels = dict(lablib.DEFAULT_CHARON_LOG_LEVELS, ike=4) if r1_secrets else None
    r1 = lab.add_router("r1", start=False, daemons=(), charon_log_levels=levels)
    r2 = lab.add_router("r2", start=False, daemons=())
    for r in (r1, r2):
        r.charon_conf = charon_conf(r, **conf)
        (r.dir / "pubkey-chain").mkdir()
    lab.link(r1, "eth0", f"{R1_ADDR}/24", r2, "eth0", f"{R2_ADDR}/24")
    lab.start()
    return (Peer(r1, R1_ADDR, R1_NAME, r1_id),
            Peer(r2, R2_ADDR, R2_NAME, r2_id))


def prepare(a, b, bits=1024, by_address=False, **kw):
    for p in (a, b):
        p.make_key(bits)
    exchange_keys(a, b, by_address)
    load(a, b, **kw)


class Capture:
    """tcpdump on a router's interface, decoded by tshark afterwards."""

    def __init__(self, router, ifname="eth0"):
        self.path = router.dir / f"ike-{time.monotonic_ns()}.pcap"
        self.proc = router.spawn(
            "tcpdump", ["tcpdump", "-i", ifname, "-U", "--immediate-mode",
                        "-Z", "root", "-w", str(self.path), "udp port 500"])
        lablib.wait_until(lambda: self.path.exists() and
                          "listening" in (router.dir / "tcpdump.out").read_text(),
                          10, what="tcpdump listening")

    def stop(self):
        time.sleep(0.3)
        self.proc.stop()

    def messages(self, ka=None):
        """Per packet: (exchange type, flag_e, [top-level payload types],
        [auth methods]); with ka (the IKE_SA's encryption key), tshark
        decrypts messages 5 and 6 too."""
        decrypt = []
        if ka:
            cookie = subprocess.run(
                ["tshark", "-r", str(self.path), "-c", "1", "-T", "fields",
                 "-e", "isakmp.ispi"], check=True, capture_output=True,
                text=True).stdout.strip().replace(":", "")
            decrypt = ["-o", f"uat:ikev1_decryption_table:{cookie},{ka}"]
        out = subprocess.run(
            ["tshark", "-r", str(self.path), *decrypt, "-T", "fields",
             "-E", "separator=|",
             "-e", "isakmp.exchangetype", "-e", "isakmp.flag_e",
             "-e", "isakmp.typepayload", "-e",
             "isakmp.ike.attr.authentication_method"],
            check=True, capture_output=True, text=True).stdout
        result = []
        for line in out.splitlines():
            exch, enc, types, auths = line.split("|")
            types = [int(t) for t in types.split(",") if t]
            if "," in exch:
                # the last IKEv1 fragment: tshark decodes the reassembled
                # message after it, with its own header
                exch, enc = exch.split(",")[-1], enc.split(",")[-1]
                types = types[types.index(FRAGMENT) + 1:]
            # proposal and transform substructures are not top-level payloads
            top = [t for t in types if t not in (2, 3)]
            result.append((int(exch), enc in ("1", "True"), top,
                           [int(a) for a in auths.split(",") if a]))
        return result

    def verbose(self):
        return subprocess.run(["tshark", "-r", str(self.path), "-V"], check=True,
                              capture_output=True, text=True).stdout


def logged_chunk(router, label):
    """The last chunk charon logged (as a hex dump) after label, in hex."""
    log = router.log_path("charon").read_text()
    start = log.rindex(label)
    size = int(re.search(r"=> (\d+) bytes", log[start:]).group(1))
    hexbytes = re.findall(r"^\S+ \S+ <[^>]*>\s+\d+: ((?:[0-9A-F]{2} ?)+)",
                          log[start:], re.M)
    return "".join("".join(line.split()) for line in hexbytes)[:2 * size].lower()


def logged_ka(router):
    """Ka of the last IKE_SA, from charon's log at ike level 4."""
    return logged_chunk(router, "encryption key Ka =>")


NOTIFY = 11


def only_hash(types):
    """Message 5/6 of RFC 2409 5.2/5.3: HASH_I/HASH_R and no ID payload
    (charon adds an INITIAL-CONTACT notify to message 5 on first contact,
    as IOS does)."""
    return types[0] == HASH and set(types) <= {HASH, NOTIFY}


@pytest.fixture
def pair(lab):
    return make_pair(lab)


# --- establishing --------------------------------------------------------


@pytest.mark.parametrize("bits,proposal", [
    (512, SEED_PROPOSAL),
    (1024, SEED_PROPOSAL),
    (2048, SEED_PROPOSAL),
    (4096, SEED_PROPOSAL),
    (1024, "3des-sha1-modp1024"),
    (2048, "aes128-sha1-modp2048"),
    (512, "aes128-sha1-modp2048"),
    (4096, "aes128-sha1-modp2048"),
])
def test_method4_establishes_with_fqdn_identities(pair, bits, proposal):
    a, b = pair
    prepare(a, b, bits=bits, proposal=proposal)
    initiate(a)
    wait_established(a, b)
    b.router.wait_log(auth_line(R1_NAME, bits))
    a.router.wait_log(auth_line(R2_NAME, bits))
    out = a.router.swanctl("--list-sas", "--ike", CONN)
    assert f"local  '{R1_NAME}' @ {R1_ADDR}" in out
    assert f"remote '{R2_NAME}' @ {R2_ADDR}" in out


@pytest.mark.parametrize("bits", [512, 2048])
def test_method4_establishes_with_address_identities(lab, bits):
    a, b = make_pair(lab, r1_id=R1_ADDR, r2_id=R2_ADDR)
    prepare(a, b, bits=bits, by_address=True)
    initiate(a)
    wait_established(a, b)
    b.router.wait_log(auth_line(R1_ADDR, bits))
    a.router.wait_log(auth_line(R2_ADDR, bits))


def test_initiator_without_peer_identity_finds_the_key_by_address(pair):
    """remote id = %any: the key comes from the named-key's address line,
    and the responder's encrypted identity must be bound to that key."""
    a, b = pair
    for p in (a, b):
        p.make_key(1024)
    exchange_keys(a, b)
    a.router.load_swanctl(conn(a, b, remote_id="%any"))
    b.router.load_swanctl(conn(b, a))
    initiate(a)
    wait_established(a, b)
    a.router.wait_log(auth_line(R2_NAME, 1024))


def test_wire_format_is_rfc2409_public_key_encryption(lab):
    """tshark, not our code, reads the messages: auth method 4 in both SA
    payloads, KE/ID/Nonce in messages 3 and 4, and in messages 5 and 6
    (decrypted by tshark with the key charon logs at level 4) only the
    HASH payloads."""
    a, b = make_pair(lab, r1_secrets=True)
    prepare(a, b, bits=1024)
    cap = Capture(a.router)
    initiate(a)
    wait_established(a, b)
    cap.stop()
    msgs = [m for m in cap.messages(ka=logged_ka(a.router)) if m[0] == 2]
    assert len(msgs) == 6, msgs
    assert "Encryption with RSA" in cap.verbose()
    for enc, types, auths in (m[1:] for m in msgs[:2]):
        assert not enc and types[0] == SA and auths == [AUTH_RSA_ENC]
    for enc, types, auths in (m[1:] for m in msgs[2:4]):
        assert not enc
        assert types == [KE, ID, NONCE, NAT_D, NAT_D]
    assert msgs[4][1] and only_hash(msgs[4][2]), msgs[4]
    assert msgs[5][1] and msgs[5][2] == [HASH]


def test_hash1_is_sent_when_configured_and_accepted(lab):
    a, b = make_pair(lab, extra="            send_hash1 = yes")
    prepare(a, b, bits=1024)
    cap = Capture(a.router)
    initiate(a)
    wait_established(a, b)
    cap.stop()
    msgs = [m for m in cap.messages() if m[0] == 2]
    assert msgs[2][2] == [KE, HASH, ID, NONCE, NAT_D, NAT_D]
    assert msgs[3][2] == [KE, ID, NONCE, NAT_D, NAT_D]


def test_several_proposals_of_our_own_all_carry_method4(pair):
    a, b = pair
    prepare(a, b, bits=1024,
            proposal="aes128-sha1-modp2048, 3des-sha1-modp1024, des-sha1-modp768")
    b.router.load_swanctl(conn(b, a, proposal="3des-sha1-modp1024"))
    cap = Capture(a.router)
    initiate(a)
    wait_established(a, b)
    cap.stop()
    msgs = [m for m in cap.messages() if m[0] == 2]
    assert msgs[0][3] == [AUTH_RSA_ENC] * 3
    assert msgs[1][3] == [AUTH_RSA_ENC]
    assert "3DES" in a.router.swanctl("--list-sas", "--ike", CONN)


def test_rekeyed_identity_keys_keep_working_after_reload(pair):
    """New keys on both sides, pasted again: the next exchange uses them."""
    a, b = pair
    prepare(a, b, bits=1024)
    initiate(a)
    wait_established(a, b)
    a.router.swanctl("--terminate", "--ike", CONN, "--timeout", "10")
    prepare(a, b, bits=2048)
    initiate(a)
    wait_established(a, b)
    b.router.wait_log(auth_line(R1_NAME, 2048))


@pytest.mark.parametrize("send_hash1,method", [("no", AUTH_RSA_ENC),
                                              ("yes", AUTH_RSA_ENC),
                                              ("no", AUTH_RSA_ENC_REV)])
def test_responder_with_several_keys_uses_the_one_encrypted_to(lab, send_hash1,
                                                              method):
    """r2 serves two identities with two keys on the same address; r1
    encrypts to 102.cisco.com's. With HASH(1) r2 knows the key at once,
    without it r2 tries its keys (all of them, every time)."""
    a, b = make_pair(lab, conns=(CONN, "rsa2"), method=method,
                     extra=f"            send_hash1 = {send_hash1}")
    prepare_several_keys(a, b)
    initiate(a)
    wait_established(a, b)
    b.router.wait_log(auth_line(R1_NAME, 1024, method))


def prepare_several_keys(a, b, bits=1024, proposal=SEED_PROPOSAL):
    """r2 serves two identities with two keys on the same address: its own
    (102.cisco.com, bits) and 202.cisco.com's (2048 bits), whose connection
    comes first, so that a responder trying its keys tries that one first."""
    for p in (a, b):
        p.make_key(bits)
    other = Peer(b.router, b.addr, "202.cisco.com", "202.cisco.com")
    tool("generate", "--modulus", "2048", "--label", other.name, "--dir",
         str(b.router.swanctl_dir / "rsa"))
    subprocess.run(["openssl", "pkey", "-in", str(other.key), "-pubout",
                    "-out", str(other.pubkey)], check=True)
    exchange_keys(a, b)
    stranger = Peer(a.router, a.addr, a.name, "201.cisco.com")
    b.router.load_swanctl(conn(other, stranger, name="rsa2", proposal=proposal)
                          + conn(b, a, proposal=proposal))
    a.router.load_swanctl(conn(a, b, proposal=proposal))


HASH1_USED = r"HASH\(1\) of the initiator names our (\d+) bit RSA key, using it"


@pytest.mark.parametrize("bits,proposal", [
    (1024, SEED_PROPOSAL),
    (2048, "aes128-sha1-modp2048"),
])
def test_method5_initiator_sends_hash1_first_in_the_clear(lab, bits, proposal):
    """send_hash1 = yes in the revised mode: message 3 is [HASH(1)],
    <Ni_b>PubKey_r, <KE_b>Ke_i, <IDii_b>Ke_i (RFC 2409 5.3), unencrypted,
    as tshark reads it; the responder, with two keys on its address, picks
    its key by the HASH(1) it received instead of trying them."""
    a, b = make_pair(lab, conns=(CONN, "rsa2"), method=AUTH_RSA_ENC_REV,
                     extra="            send_hash1 = yes")
    prepare_several_keys(a, b, bits=bits, proposal=proposal)
    cap = Capture(a.router)
    since = b.router.log_size()
    initiate(a)
    wait_established(a, b)
    cap.stop()
    b.router.wait_log(auth_line(R1_NAME, bits, AUTH_RSA_ENC_REV))
    a.router.wait_log(auth_line(R2_NAME, bits, AUTH_RSA_ENC_REV))
    used = b.router.wait_log(HASH1_USED, since=since)
    assert used.group(1) == str(bits)
    log = b.router.log_path("charon").read_bytes()[since:].decode(errors="replace")
    assert "names none of our keys" not in log
    msgs = [m for m in cap.messages() if m[0] == 2]
    assert len(msgs) == 6, msgs
    enc, types, auths = msgs[2][1:]
    assert not enc
    assert types == [HASH, NONCE, KE, ID, NAT_D, NAT_D]
    assert msgs[3][1:3] == (False, [NONCE, KE, ID, NAT_D, NAT_D])


# --- the revised mode (RFC 2409 5.3, method 5) -----------------------------


@pytest.mark.parametrize("bits,proposal", [
    (512, SEED_PROPOSAL),
    (1024, "3des-sha1-modp1024"),
    (2048, "aes128-sha1-modp2048"),
    (4096, "aes256-sha1-modp2048"),
])
def test_method5_establishes(lab, bits, proposal):
    a, b = make_pair(lab, method=AUTH_RSA_ENC_REV)
    prepare(a, b, bits=bits, proposal=proposal)
    initiate(a)
    wait_established(a, b)
    b.router.wait_log(auth_line(R1_NAME, bits, AUTH_RSA_ENC_REV))
    a.router.wait_log(auth_line(R2_NAME, bits, AUTH_RSA_ENC_REV))


def test_method5_with_address_identities(lab):
    a, b = make_pair(lab, r1_id=R1_ADDR, r2_id=R2_ADDR, method=AUTH_RSA_ENC_REV)
    prepare(a, b, bits=1024, by_address=True)
    initiate(a)
    wait_established(a, b)
    b.router.wait_log(auth_line(R1_ADDR, 1024, AUTH_RSA_ENC_REV))


def test_method5_wire_format(lab):
    """tshark: auth method 5, messages 3 and 4 carry Nonce, KE, ID (RFC
    2409 5.3 order: the nonce first, KE and ID encrypted with Ke), 5 and
    6 only the HASH payloads."""
    a, b = make_pair(lab, method=AUTH_RSA_ENC_REV, r1_secrets=True)
    prepare(a, b, bits=1024)
    cap = Capture(a.router)
    initiate(a)
    wait_established(a, b)
    cap.stop()
    msgs = [m for m in cap.messages(ka=logged_ka(a.router)) if m[0] == 2]
    assert len(msgs) == 6, msgs
    assert "Revised encryption with RSA" in cap.verbose()
    for enc, types, auths in (m[1:] for m in msgs[:2]):
        assert not enc and types[0] == SA and auths == [AUTH_RSA_ENC_REV]
    for enc, types, auths in (m[1:] for m in msgs[2:4]):
        assert not enc
        assert types == [NONCE, KE, ID, NAT_D, NAT_D]
    assert msgs[4][1] and only_hash(msgs[4][2]), msgs[4]
    assert msgs[5][1] and msgs[5][2] == [HASH]


def test_method4_initiator_and_method5_responder_do_not_agree(lab):
    """The marks differ: r1 proposes 4 only, r2 accepts 5 only."""
    a, b = make_pair(lab)
    b.router.charon_conf = charon_conf(b.router, method=AUTH_RSA_ENC_REV)
    b.router.write_strongswan_conf()
    prepare(a, b, bits=1024)
    reload_settings(b)
    since = b.router.log_size()
    assert initiate(a, timeout=10, check=False) is None
    b.router.wait_log(r"proposes RSA encryption authentication, but none of its "
                      r"transforms is acceptable", since=since)


@pytest.mark.parametrize("method,message3", [
    (AUTH_RSA_ENC_REV, [HASH, NONCE, KE, ID, NAT_D, NAT_D]),
    (AUTH_RSA_ENC, [KE, HASH, ID, NONCE, NAT_D, NAT_D]),
])
def test_hash1_in_fragments(lab, method, message3):
    """4096-bit keys and a small charon.fragment_size: message 3 with
    HASH(1) goes out as IKEv1 fragments (charon's fragmenting path
    generates the message the same way, the revised mode's switch of the
    first payload type included); reassembled by tshark, it is unencrypted
    and in RFC 2409 order, and the responder uses the HASH(1)."""
    a, b = make_pair(lab, conns=(CONN, "rsa2"), method=method,
                     extra="            send_hash1 = yes",
                     charon_extra="    fragment_size = 576")
    prepare_several_keys(a, b, bits=4096, proposal="aes128-sha1-modp2048")
    cap = Capture(a.router)
    since_a, since_b = a.router.log_size(), b.router.log_size()
    initiate(a)
    wait_established(a, b)
    cap.stop()
    a.router.wait_log(r"generating ID_PROT request 0 \[ (No|KE) NAT-D NAT-D \]\n"
                      r".*splitting IKE message \(\d+ bytes\) into \d+ fragments",
                      since=since_a)
    used = b.router.wait_log(HASH1_USED, since=since_b)
    assert used.group(1) == "4096"
    b.router.wait_log(auth_line(R1_NAME, 4096, method))
    msgs = [m for m in cap.messages() if m[0] == 2]
    fragments = [m for m in msgs if m[2] == [FRAGMENT]]
    whole = [m for m in msgs if m[2] != [FRAGMENT]]
    assert fragments, msgs
    assert len(whole) == 6, whole
    enc, types, auths = whole[2][1:]
    assert not enc
    assert types == message3


@pytest.mark.parametrize("method", [AUTH_RSA_ENC, AUTH_RSA_ENC_REV])
def test_logs_leak_no_secrets_at_default_levels(lab, method):
    """r1 logs its secrets (ike level 4); r2, at the default levels, logs
    why and how it authenticated but none of the values both know: the
    decrypted nonces, hash(Ni_b | Nr_b), the revised mode's Ke, Ka."""
    a, b = make_pair(lab, method=method, r1_secrets=True)
    prepare(a, b, bits=1024)
    initiate(a)
    wait_established(a, b)
    b.router.wait_log(auth_line(R1_NAME, 1024, method))
    labels = ["peer's nonce", "hash(Ni_b | Nr_b)", "encryption key Ka =>"]
    if method == AUTH_RSA_ENC_REV:
        labels.append("Ke_r")
    secrets = {label: logged_chunk(a.router, label) for label in labels}
    log = b.router.log_path("charon").read_text().lower()
    spaced = re.sub(r"\s+", " ", log)
    for label, value in secrets.items():
        assert len(value) >= 16, (label, value)
        head = value[:32]       # 16 bytes, as %B and as a hex dump shows them
        assert head not in log, label
        assert " ".join(head[i:i + 2] for i in range(0, 32, 2)) not in spaced, label


def test_section_form_marks_method_and_hash1_per_connection(lab):
    """rsa-encr.connections.<name> { method = 5  send_hash1 = yes }: the
    connection runs the revised mode and sends HASH(1) (nothing global)."""
    section = f"""
            connections {{
                {CONN} {{
                    method = {AUTH_RSA_ENC_REV}
                    send_hash1 = yes
                }}
                rsa2 = {AUTH_RSA_ENC_REV}
            }}"""
    a, b = make_pair(lab, conns=(), extra=section)
    prepare_several_keys(a, b)
    since = b.router.log_size()
    initiate(a)
    wait_established(a, b)
    b.router.wait_log(auth_line(R1_NAME, 1024, AUTH_RSA_ENC_REV))
    b.router.wait_log(HASH1_USED, since=since)
    for p in (a, b):
        p.router.wait_log(r"rsa-encr: 0 connections marked for RSA encryption "
                          r"\(4\), 2 for the revised mode \(5\)")


OUR_PLUGINS = ("libstrongswan-rsa-encr.so", "libstrongswan-ios-keychain.so")


def test_runs_in_debians_unmodified_charon(pair):
    """No patched strongSwan: the charon that just authenticated with
    rsa-encr is Debian's binary, every strongSwan library it has mapped
    except our plugins belongs to a Debian package, and dpkg finds none of
    those packages' files changed."""
    a, b = pair
    prepare(a, b, bits=1024)
    initiate(a)
    wait_established(a, b)
    b.router.wait_log(auth_line(R1_NAME, 1024))
    charons = [pid for pid in lablib.namespace_pids(b.router.ns)
               if os.readlink(f"/proc/{pid}/exe") == "/usr/lib/ipsec/charon"]
    assert charons
    maps = Path(f"/proc/{charons[0]}/maps").read_text().splitlines()
    mapped = {line.split()[-1] for line in maps if "/usr/lib/ipsec/" in line}
    ours = {m for m in mapped if m.endswith(OUR_PLUGINS)}
    assert {Path(m).name for m in ours} == set(OUR_PLUGINS)
    owners = subprocess.run(["dpkg", "-S", "/usr/lib/ipsec/charon",
                             *sorted(mapped - ours)], capture_output=True,
                            text=True, check=True).stdout
    packages = {line.split(":")[0] for line in owners.splitlines()}
    assert {"strongswan-charon", "strongswan-libcharon",
            "libstrongswan"} <= packages
    version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}",
                              "strongswan-charon"], capture_output=True,
                             text=True, check=True).stdout
    assert version.startswith("5.9.8-")
    verify = subprocess.run(["dpkg", "--verify", *sorted(packages)],
                            capture_output=True, text=True)
    assert verify.returncode == 0 and not verify.stdout, verify.stdout
