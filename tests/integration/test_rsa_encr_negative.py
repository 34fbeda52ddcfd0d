# SPDX-License-Identifier: GPL-2.0-or-later
"""rsa-encr exchanges that must fail, between two Debian charons: a wrong
peer key on either side, a signature-only key, an unknown identity, a PSK
peer against a connection marked rsa-encr and the reverse. Each fails
cleanly with a log line that says why, no IKE_SA comes up, and the same
charons establish a good exchange right afterwards.
"""

import subprocess

import pytest

from test_rsa_encr import (R1_NAME, Peer, auth_line, chain_entry, conn,
                           established, exchange_keys, initiate, load,
                           make_pair, prepare, reload_settings, tool,
                           wait_established, write_chain)


# a failing initiator retransmits message 5 once, then gives up
QUICK_GIVE_UP = """
    retransmit_tries = 1
    retransmit_timeout = 1.5
"""
# charon's answer to a message 5 encrypted with other keys than its own: as
# for a wrong pre-shared key, nothing is sent back
UNDECRYPTABLE = r"invalid HASH_V1 payload length, decryption failed\?"


@pytest.fixture
def pair(lab):
    return make_pair(lab, charon_extra=QUICK_GIVE_UP)


def attempt(a, b, timeout=10):
    """Initiate, expect no IKE_SA on either side; return log offsets."""
    since = (a.router.log_size(), b.router.log_size())
    assert initiate(a, timeout=timeout, check=False) is None
    return since


def assert_down(*peers):
    for p in peers:
        assert not established(p.router)


def good_exchange_follows(a, b):
    """Repair the key chains and show that both charons still serve."""
    exchange_keys(a, b)
    load(a, b)
    initiate(a)
    wait_established(a, b)
    b.router.wait_log(auth_line(R1_NAME, 1024))


def stale_key(peer, tmp):
    """Another key pair under the peer's name (the key it had before)."""
    old = Peer(peer.router, peer.addr, peer.name, peer.identity)
    path = tmp / f"{peer.name}.old.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(path), "1024"], check=True,
                   capture_output=True)
    return chain_entry(old, key=path)


def test_responder_with_a_stale_key_of_the_initiator(pair, tmp_path):
    """r2 encrypts its nonce to a key r1 no longer has: r1 cannot decrypt
    it, goes on with a random nonce, and r2 rejects HASH_I."""
    a, b = pair
    prepare(a, b)
    write_chain(b.router, stale_key(a, tmp_path))
    reload_settings(b)
    sa, sb = attempt(a, b)
    a.router.wait_log(r"decrypting the peer's nonce failed", since=sa)
    b.router.wait_log(UNDECRYPTABLE, since=sb)
    assert_down(a, b)
    good_exchange_follows(a, b)


def test_initiator_with_a_stale_key_of_the_responder(pair, tmp_path):
    """r1 encrypts to a key r2 no longer has: r2 cannot decrypt, answers
    like always (random values) and rejects HASH_I."""
    a, b = pair
    prepare(a, b)
    write_chain(a.router, stale_key(b, tmp_path))
    reload_settings(a)
    sa, sb = attempt(a, b)
    b.router.wait_log(r"decrypting the peer's identity failed", since=sb)
    b.router.wait_log(r"decrypting the peer's nonce failed", since=sb)
    b.router.wait_log(r"continuing the RSA encryption exchange with random "
                      r"values", since=sb)
    b.router.wait_log(UNDECRYPTABLE, since=sb)
    assert_down(a, b)
    good_exchange_follows(a, b)


def test_initiator_refuses_an_identity_bound_to_another_key(pair, tmp_path):
    """r1 knows r2 only by its address (remote id %any) and encrypts to the
    key bound to 20.1.1.2; r2 answers as 202.cisco.com, whose key in r1's
    chain is another one: r1 refuses the identity, nothing comes up."""
    a, b = pair
    for p in (a, b):
        p.make_key(1024)
    other = tmp_path / "202.cisco.com.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(other), "1024"],
                   check=True, capture_output=True)
    write_chain(b.router, chain_entry(a))
    write_chain(a.router, chain_entry(b),
                tool("chain-entry", "--named", "202.cisco.com", str(other)))
    reload_settings(a, b)
    a.router.load_swanctl(conn(a, b, remote_id="%any"))
    b.router.load_swanctl(conn(Peer(b.router, b.addr, b.name, "202.cisco.com"),
                               a))
    sa, _ = attempt(a, b)
    a.router.wait_log(r"received identity '202\.cisco\.com'", since=sa)
    a.router.wait_log(r"the key we encrypted to is not bound to "
                      r"'202\.cisco\.com' in the IOS key chains", since=sa)
    assert_down(a, b)
    good_exchange_follows(a, b)


def test_signature_key_is_never_used_for_encryption(pair):
    """The responder only has a signature key of 101.cisco.com."""
    a, b = pair
    prepare(a, b)
    write_chain(b.router, chain_entry(a, usage="signature"))
    reload_settings(b)
    sa, sb = attempt(a, b)
    b.router.wait_log(r"no RSA encryption key for '101\.cisco\.com' in the IOS "
                      r"key chains", since=sb)
    b.router.wait_log(UNDECRYPTABLE, since=sb)
    assert_down(a, b)
    good_exchange_follows(a, b)


def test_initiator_refuses_to_encrypt_to_a_signature_key(pair):
    a, b = pair
    prepare(a, b)
    write_chain(a.router, chain_entry(b, usage="signature"))
    reload_settings(a)
    sa, _ = attempt(a, b)
    a.router.wait_log(r"no RSA encryption key for '102\.cisco\.com' in the IOS "
                      r"key chains, cannot encrypt to the responder", since=sa)
    assert_down(a, b)
    good_exchange_follows(a, b)


def test_encryption_usage_key_is_used(pair):
    """IOS usage-keys: the key marked encryption is the one for rsa-encr."""
    a, b = pair
    prepare(a, b)
    write_chain(b.router, chain_entry(a, usage="encryption"))
    write_chain(a.router, chain_entry(b, usage="encryption"))
    reload_settings(a, b)
    initiate(a)
    wait_established(a, b)


def test_unknown_identity_is_refused(pair):
    a, b = pair
    prepare(a, b)
    a.router.load_swanctl(conn(Peer(a.router, a.addr, a.name, "103.cisco.com"), b))
    sa, sb = attempt(a, b)
    b.router.wait_log(r"received identity '103\.cisco\.com'", since=sb)
    b.router.wait_log(r"no connection marked rsa-encr 4 matches "
                      r"20\.1\.1\.2\.\.\.20\.1\.1\.1\[103\.cisco\.com\]", since=sb)
    b.router.wait_log(UNDECRYPTABLE, since=sb)
    assert_down(a, b)
    good_exchange_follows(a, b)


def test_psk_peer_cannot_authenticate_an_rsa_encr_connection(lab):
    """r1 speaks PSK (its connection is not marked), r2's connection is
    marked rsa-encr; both even know the same real PSK."""
    a, b = make_pair(lab, conns=("other",), charon_extra=QUICK_GIVE_UP)
    for p in (a, b):
        p.make_key(1024)
    exchange_keys(a, b)
    a.router.load_swanctl(conn(a, b, secret="cisco123"))
    b.router.load_swanctl(conn(b, a, secret="cisco123", name="other"))
    since = (a.router.log_size(), b.router.log_size())
    assert initiate(a, timeout=10, check=False) is None
    b.router.wait_log(r"connection 'other' requires RSA encryption authentication "
                      r"\(rsa-encr 4\), refusing the peer's other authentication",
                      since=since[1])
    a.router.wait_log(r"received AUTHENTICATION_FAILED error notify",
                      since=since[0])
    assert not established(b.router, "other")
    # the same charons, with connections marked on both sides: works
    a.router.load_swanctl(conn(a, b, name="other"))
    b.router.load_swanctl(conn(b, a, name="other"))
    initiate(a, name="other")
    wait_established(a, b, name="other")


def test_rsa_encr_peer_cannot_authenticate_a_psk_connection(lab):
    """r1 is marked rsa-encr, r2's only connection to it is a PSK one."""
    a, b = make_pair(lab, charon_extra=QUICK_GIVE_UP)
    for p in (a, b):
        p.make_key(1024)
    exchange_keys(a, b)
    a.router.load_swanctl(conn(a, b, secret="cisco123"))
    b.router.load_swanctl(conn(b, a, secret="cisco123", name="plain"))
    since = (a.router.log_size(), b.router.log_size())
    assert initiate(a, timeout=10, check=False) is None
    b.router.wait_log(r"proposes RSA encryption authentication, but no connection "
                      r"between 20\.1\.1\.2 and 20\.1\.1\.1 is marked rsa-encr",
                      since=since[1])
    a.router.wait_log(r"received NO_PROPOSAL_CHOSEN error notify", since=since[0])
    assert not established(b.router, "plain")
    b.router.load_swanctl(conn(b, a))
    initiate(a)
    wait_established(a, b)


def test_psk_connection_is_never_selected_by_an_rsa_encr_identity(lab):
    """r2 has an rsa-encr connection, but for another peer identity; its
    PSK connection for 101.cisco.com must not be used by rsa-encr."""
    a, b = make_pair(lab, charon_extra=QUICK_GIVE_UP)
    for p in (a, b):
        p.make_key(1024)
    exchange_keys(a, b)
    a.router.load_swanctl(conn(a, b, secret="cisco123"))
    b.router.load_swanctl(
        conn(b, Peer(a.router, a.addr, a.name, "104.cisco.com")) +
        conn(b, a, secret="cisco123", name="plain"))
    since = (a.router.log_size(), b.router.log_size())
    assert initiate(a, timeout=10, check=False) is None
    b.router.wait_log(r"no connection marked rsa-encr 4 matches "
                      r"20\.1\.1\.2\.\.\.20\.1\.1\.1\[101\.cisco\.com\]",
                      since=since[1])
    b.router.wait_log(r"connection 'plain' is not marked for RSA encryption "
                      r"authentication \(rsa-encr 4\), refusing it", since=since[1])
    a.router.wait_log(r"received AUTHENTICATION_FAILED error notify",
                      since=since[0])
    assert not established(b.router, "plain")
    assert not established(b.router)


def test_marked_connection_without_psk_auth_is_refused(pair):
    """auth = pubkey in a connection marked rsa-encr is a config error."""
    a, b = pair
    prepare(a, b)
    a.router.load_swanctl(conn(a, b, auth="pubkey"))
    sa, _ = attempt(a, b)
    a.router.wait_log(r"connection 'rsa' is marked rsa-encr, but does not say "
                      r"auth = psk", since=sa)
    assert_down(a, b)
