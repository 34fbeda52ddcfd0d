# SPDX-License-Identifier: GPL-2.0-or-later
"""NETCONF management of the ios-ipsec-suite model with a real client.

zebra runs both modules (-M ios_crypto -M ios_netconf:CONF) in a lab
namespace; python3-ncclient talks to it over SSH on the namespace's
loopback (tests/lab/netconf_lab.py). What is shown here:

- the seed's configuration of router 101 (yang/examples/seed-router-101.xml)
  pushed in one <edit-config> gives the same "show running-config" as the
  IOS commands typed into the vty, and reads back as the same instance data;
- invalid edits (bad value, broken must, unknown crypto map or transform
  set) get an <rpc-error> naming the path, and nothing changes;
- edit-config operations, candidate/commit/discard/validate, locks against
  vtysh (and the reverse), concurrent sessions, get-schema and the YANG
  library, subtree filters;
- a wrong key, an unknown user and passwords are refused;
- an SA event from (fake) charon sends sa-state-change and
  tunnel-state-change notifications.
"""

import json
import os
import socket
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from ncclient.operations.rpc import RPCError
from ncclient.transport.errors import AuthenticationError, SSHError

import lab as lablib
import netconf_lab as nl
from fake_vici import FakeVici, child_sa, child_updown_event, ike_sa

TOP = Path(__file__).resolve().parents[2]
SEED_101_XML = TOP / "yang" / "examples" / "seed-router-101.xml"
NS = nl.NS_SUITE
Q = f"{{{NS}}}"
TRANSFORM_SETS = f"{Q}crypto/{Q}ipsec/{Q}transform-set"

KEY_102_HEX = ("305C300D06092A864886F70D0101010500034B003048024100DB4FEBEF0C0D3D72"
               "FC5BD329C8E94B726161BCF1AF337CE5F2D11DFBFC224595EA2AB79D09156C08A5"
               "A7CD36E43D94F1E3C97837A79379384D2A72CE575E913F0203010001")

# Router 101's configuration of the IOS example as its operator types it
SEED_101_COMMANDS = [
    "crypto isakmp policy 1", "authentication rsa-encr", "exit",
    "crypto isakmp identity hostname",
    "crypto isakmp keepalive 20 5",
    "crypto ipsec transform-set test esp-des esp-sha-hmac", "mode transport", "exit",
    "crypto map test 10 ipsec-isakmp", "set peer 20.1.1.2", "set transform-set test",
    "match address 101", "exit",
    "crypto key pubkey-chain rsa", "named-key 102.cisco.com", "address 20.1.1.2",
    "key-string",
    *[" ".join(KEY_102_HEX[i:i + 64][j:j + 8] for j in range(0, 64, 8))
      for i in range(0, len(KEY_102_HEX), 64)],
    "quit", "exit", "exit",
    "access-list 101 permit gre host 20.1.1.1 host 20.1.1.2",
    "interface Tunnel0", "ip address 10.10.10.1 255.255.255.252", "ip mtu 1420",
    "tunnel source eth0", "tunnel destination 20.1.1.2", "crypto map test", "exit",
    "interface eth0", "crypto map test", "exit",
]


def seed_config():
    """The seed's instance data as an edit-config <config> element."""
    root = ET.fromstring(SEED_101_XML.read_text())
    return f'<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">' \
           f'{ET.tostring(root, encoding="unicode")}</config>'


def config(body):
    return f'<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" ' \
           f'xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0">' \
           f'<ios xmlns="{NS}">{body}</ios></config>'


def canonical(element):
    """An element tree as nested sorted tuples (order-independent compare)."""
    tag = element.tag
    text = (element.text or "").strip()
    children = sorted(canonical(child) for child in element)
    return (tag, text, tuple(children))


def ios_element(reply):
    """The <ios> element of a get/get-config reply (None if empty)."""
    data = ET.fromstring(reply.data_xml)
    return data.find(f"{Q}ios")


def running_ios(manager, source="running"):
    return ios_element(manager.get_config(source))


def ios_section(router):
    """'show running-config' from its first crypto/access-list line on."""
    lines = router.vty("zebra", "show running-config").splitlines()
    for i, line in enumerate(lines):
        if line.startswith(("crypto ", "access-list ", "interface ")):
            lines = lines[i:]
            break
    while lines and lines[-1] in ("!", "end"):
        lines.pop()
    return "\n".join(lines) + "\n"


@pytest.fixture(autouse=True)
def require_modules():
    moduledir = Path(os.environ.get("SUITE_FRR_MODULEDIR",
                                    "/usr/lib/x86_64-linux-gnu/frr/modules"))
    for name in ("zebra_ios_crypto.so", "zebra_ios_netconf.so", "ios_netconf_server.so"):
        if not (moduledir / name).exists():
            pytest.fail(f"{moduledir / name} is missing: run scripts/build and set "
                        "SUITE_FRR_MODULEDIR, or scripts/build --install")


@pytest.fixture
def server(lab):
    router, srv = nl.start_router(lab, users=("admin", "operator"))
    nl.wait_listening(router, srv)
    return router, srv


@pytest.fixture
def session(server):
    router, srv = server
    manager = nl.connect(router, srv)
    yield manager
    if manager.connected:
        manager.close_session()


@pytest.fixture(scope="module")
def rebuilt_vtysh():
    """build-vtysh/vtysh (scripts/build-vtysh): Debian's vtysh does not know
    the module's commands."""
    import subprocess

    proc = subprocess.run([str(TOP / "scripts" / "build-vtysh")], capture_output=True,
                          text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return TOP / "build-vtysh" / "vtysh"


def vtysh_typed(router, binary, commands):
    """commands typed into vtysh (one -c each, as a script would)."""
    import subprocess

    argv = [str(binary), "--vty_socket", str(router.dir), "--config_dir", str(router.dir)]
    for command in commands:
        argv += ["-c", command]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "TERM": "dumb",
                               "VTYSH_PAGER": "cat", "HOME": "/root"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_seed_pushed_over_netconf_equals_typing_it(lab, server, session, rebuilt_vtysh):
    router, _ = server
    session.edit_config(target="running", config=seed_config())

    typed = lab.add_router("typed", charon=False, daemons=("zebra",),
                           daemon_args={"zebra": ["-M", "ios_crypto"]})
    vtysh_typed(typed, rebuilt_vtysh, ["configure terminal", *SEED_101_COMMANDS])
    assert ios_section(router) == ios_section(typed)
    assert "crypto map test 10 ipsec-isakmp" in ios_section(router)
    # and vtysh shows both the same
    shown = [vtysh_typed(r, rebuilt_vtysh, ["show running-config"]) for r in (router, typed)]
    assert shown[0].split("crypto ", 1)[1] == shown[1].split("crypto ", 1)[1]

    # read back: the same instance data as the seed file
    seed = ET.fromstring(SEED_101_XML.read_text())
    assert canonical(running_ios(session)) == canonical(seed)


def test_get_has_state_and_schema_data(server, session):
    session.edit_config(target="running", config=seed_config())
    data = ET.fromstring(session.get().data_xml)
    ios = data.find(f"{Q}ios")
    state = ios.find(f"{Q}crypto/{Q}map/{Q}state")
    assert state.find(f"{Q}status").text == "active"
    assert state.find(f"{Q}sa-state").text == "down"
    tunnel = [i for i in ios.findall(f"{Q}interface")
              if i.find(f"{Q}name").text == "Tunnel0"][0]
    assert tunnel.find(f"{Q}tunnel/{Q}state/{Q}oper-status").text == "down"

    mon = "{urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring}"
    schemas = {s.find(f"{mon}identifier").text
               for s in data.iter(f"{mon}schema")}
    assert {"ios-ipsec-suite", "ietf-netconf", "notifications"} <= schemas
    yanglib = "{urn:ietf:params:xml:ns:yang:ietf-yang-library}"
    modules = {m.find(f"{yanglib}name").text for m in data.iter(f"{yanglib}module")}
    assert "ios-ipsec-suite" in modules

    # the client downloads the very model FRR uses, as often as it likes
    for _ in range(3):
        text = session.get_schema("ios-ipsec-suite").data
        assert "module ios-ipsec-suite" in text
        assert "notification sa-state-change" in text
    revision = [s.find(f"{mon}version").text for s in data.iter(f"{mon}schema")
                if s.find(f"{mon}identifier").text == "ios-ipsec-suite"][0]
    assert session.get_schema("ios-ipsec-suite", version=revision).data == text
    assert "module ietf-netconf " in session.get_schema("ietf-netconf").data
    with pytest.raises(RPCError) as error:
        session.get_schema("no-such-module")
    assert error.value.tag == "invalid-value"
    assert "no schema no-such-module" in error.value.message


def test_subtree_filter_selects_one_map_state(server, session):
    session.edit_config(target="running", config=seed_config())
    reply = session.get(filter=("subtree", f'<ios xmlns="{NS}"><crypto><map><name>test</name>'
                                           '<state><status/></state></map></crypto></ios>'))
    ios = ios_element(reply)
    entry = ios.find(f"{Q}crypto/{Q}map")
    assert [child.tag for child in entry] == [f"{Q}name", f"{Q}sequence", f"{Q}state"]
    assert [child.tag for child in entry.find(f"{Q}state")] == [f"{Q}status"]
    assert ios.find(f"{Q}interface") is None
    nothing = session.get(filter=("subtree", f'<ios xmlns="{NS}"><crypto><map>'
                                             '<name>other</name></map></crypto></ios>'))
    assert ios_element(nothing) is None


TOP_PATH = "/ios-ipsec-suite:ios"
INVALID_EDITS = [
    # (what, edit, the nodes error-path may name: the offending node, or the list
    #  entry holding it, where a check runs on the entry; fragment of the message).
    # Whether the model (libyang) or the module's own validation callbacks
    # refuse - a leafref may be checked in either - the path is the node's.
    ("value out of range",
     "<crypto><isakmp><policy><priority>1</priority><lifetime>5</lifetime></policy>"
     "</isakmp></crypto>",
     [f"{TOP_PATH}/crypto/isakmp/policy[priority='1']/lifetime"], "out of the allowed range"),
    ("unknown enumeration value",
     "<crypto><ipsec><transform-set><name>t2</name><esp-encryption>esp-rot13"
     "</esp-encryption><esp-integrity>esp-sha-hmac</esp-integrity></transform-set>"
     "</ipsec></crypto>",
     [f"{TOP_PATH}/crypto/ipsec/transform-set[name='t2']/esp-encryption"], "esp-rot13"),
    ("unknown crypto map on an interface",
     "<interface><name>eth1</name><crypto-map>nomap</crypto-map></interface>",
     [f"{TOP_PATH}/interface[name='eth1']/crypto-map", f"{TOP_PATH}/interface[name='eth1']"],
     "nomap"),
    ("unknown transform set",
     "<crypto><map><name>test</name><sequence>20</sequence>"
     "<transform-set>missing</transform-set></map></crypto>",
     [f"{TOP_PATH}/crypto/map[name='test'][sequence='20']/transform-set",
      f"{TOP_PATH}/crypto/map[name='test'][sequence='20']"], "missing"),
    ("deleting a transform set a crypto map entry uses",
     '<crypto><ipsec><transform-set nc:operation="delete"><name>test</name>'
     "</transform-set></ipsec></crypto>",
     [f"{TOP_PATH}/crypto/map[name='test'][sequence='10']/transform-set",
      f"{TOP_PATH}/crypto/map[name='test'][sequence='10']",
      f"{TOP_PATH}/crypto/ipsec/transform-set[name='test']"], "test"),
    ("broken must: tunnel source = destination",
     "<interface><name>Tunnel5</name><tunnel><source-address>1.1.1.1</source-address>"
     "<destination>1.1.1.1</destination></tunnel></interface>",
     [f"{TOP_PATH}/interface[name='Tunnel5']/tunnel"], "must differ"),
    # the module's own check (the key chain parser, a validation callback)
    ("key data the key chain parser refuses",
     "<crypto><pubkey-chain><named-key><name>x.example</name><usage>general</usage>"
     "<key-string>300D06092A864886F70D0101010500</key-string></named-key>"
     "</pubkey-chain></crypto>",
     [f"{TOP_PATH}/crypto/pubkey-chain/named-key[name='x.example'][usage='general']"
      "/key-string"], "not an RSA SubjectPublicKeyInfo"),
    ("a pre-shared key for a network with host bits set",
     "<crypto><isakmp><key><address>10.1.0.0</address><mask>255.0.0.0</mask>"
     "<key-string>k</key-string></key></isakmp></crypto>",
     [f"{TOP_PATH}/crypto/isakmp/key[address='10.1.0.0']/mask"],
     "the address has bits outside the mask"),
    ("a configured key changed to key data the parser refuses",
     "<crypto><pubkey-chain><named-key><name>102.cisco.com</name><usage>general</usage>"
     "<key-string>300D06092A864886F70D0101010500</key-string></named-key>"
     "</pubkey-chain></crypto>",
     [f"{TOP_PATH}/crypto/pubkey-chain/named-key[name='102.cisco.com'][usage='general']"
      "/key-string"], "not an RSA SubjectPublicKeyInfo"),
]


@pytest.mark.parametrize("what,edit,paths,message", INVALID_EDITS,
                         ids=[e[0] for e in INVALID_EDITS])
@pytest.mark.parametrize("target", ["running", "candidate", "validate"])
def test_invalid_edit_names_the_path_and_changes_nothing(server, session, what, edit,
                                                         paths, message, target):
    router, _ = server
    session.edit_config(target="running", config=seed_config())
    before_data = canonical(running_ios(session))
    before_cli = ios_section(router)

    with pytest.raises(RPCError) as error:
        if target == "validate":
            # <validate> of the candidate holding the edit
            session.edit_config(target="candidate", config=config(edit))
            session.validate(source="candidate")
        else:
            session.edit_config(target=target, config=config(edit))
        if target == "candidate":
            session.commit()
    assert error.value.path in paths, (error.value.path, error.value.message)
    assert message in (error.value.message or ""), error.value.message
    assert error.value.tag in ("invalid-value", "data-missing", "operation-failed")
    if target != "running":
        session.discard_changes()
    assert canonical(running_ios(session)) == before_data
    assert ios_section(router) == before_cli


def test_suite_extensions_over_netconf(server, session):
    """rsa-encr-revised and crypto isakmp key: the same model as the CLI."""
    router, _ = server
    session.edit_config(target="running", config=seed_config())
    session.edit_config(target="running", config=config(
        "<crypto><isakmp><policy><priority>2</priority>"
        "<authentication>rsa-encr-revised</authentication></policy>"
        "<key><address>20.1.1.3</address><key-string>s3cret</key-string></key>"
        "</isakmp></crypto>"))
    section = ios_section(router)
    assert "crypto isakmp policy 2\n authentication rsa-encr revised\n" in section
    assert "crypto isakmp key s3cret address 20.1.1.3\n" in section
    # a leaf set before (the seed's rsa-encr) changed by a merge
    session.edit_config(target="running", config=config(
        "<crypto><isakmp><policy><priority>1</priority>"
        "<authentication>rsa-encr-revised</authentication><lifetime>3600</lifetime>"
        "</policy></isakmp></crypto>"))
    session.edit_config(target="running", config=config(
        "<crypto><isakmp><policy><priority>1</priority><lifetime>7200</lifetime>"
        "</policy></isakmp></crypto>"))
    assert "crypto isakmp policy 1\n authentication rsa-encr revised\n lifetime 7200\n" \
        in ios_section(router)
    key = running_ios(session).find(f"{Q}crypto/{Q}isakmp/{Q}key")
    assert key.find(f"{Q}key-string").text == "s3cret"
    router.vty("zebra", "configure terminal", "no crypto isakmp key s3cret address 20.1.1.3")
    assert running_ios(session).find(f"{Q}crypto/{Q}isakmp/{Q}key") is None


def test_edit_operations(server, session):
    session.edit_config(target="running", config=seed_config())
    ts = '<crypto><ipsec><transform-set nc:operation="{op}"><name>{name}</name>' \
         '<esp-encryption>esp-3des</esp-encryption><esp-integrity>esp-md5-hmac' \
         '</esp-integrity></transform-set></ipsec></crypto>'

    session.edit_config(target="running", config=config(ts.format(op="create", name="t2")))
    with pytest.raises(RPCError) as error:
        session.edit_config(target="running", config=config(ts.format(op="create", name="t2")))
    assert error.value.tag == "data-exists"
    assert "transform-set[name='t2']" in error.value.path

    # replace: the entry becomes exactly what is sent (mode back to default)
    session.edit_config(target="running", config=config(
        '<crypto><ipsec><transform-set><name>t2</name><mode>transport</mode>'
        '</transform-set></ipsec></crypto>'))
    session.edit_config(target="running", config=config(ts.format(op="replace", name="t2")))
    entry = [t for t in running_ios(session).findall(TRANSFORM_SETS)
             if t.find(f"{Q}name").text == "t2"][0]
    assert entry.find(f"{Q}mode") is None

    session.edit_config(target="running", config=config(ts.format(op="delete", name="t2")))
    with pytest.raises(RPCError) as error:
        session.edit_config(target="running", config=config(ts.format(op="delete", name="t2")))
    assert error.value.tag == "data-missing"
    # remove of something absent is fine
    session.edit_config(target="running", config=config(ts.format(op="remove", name="t2")))

    # merge a leaf, delete a leaf
    session.edit_config(target="running", config=config(
        '<crypto><map><name>test</name><sequence>10</sequence>'
        '<peer>20.1.1.9</peer></map></crypto>'))
    assert running_ios(session).find(f"{Q}crypto/{Q}map/{Q}peer").text == "20.1.1.9"
    session.edit_config(target="running", config=config(
        '<crypto><map><name>test</name><sequence>10</sequence>'
        '<peer nc:operation="delete"/></map></crypto>'))
    assert running_ios(session).find(f"{Q}crypto/{Q}map/{Q}peer") is None

    # default-operation replace: the whole model becomes the edit
    session.edit_config(target="running", default_operation="replace", config=config(
        '<crypto><ipsec><transform-set><name>only</name><esp-encryption>esp-des'
        '</esp-encryption><esp-integrity>esp-sha-hmac</esp-integrity></transform-set>'
        '</ipsec></crypto>'))
    ios = running_ios(session)
    assert [t.find(f"{Q}name").text for t in ios.findall(TRANSFORM_SETS)] == ["only"]
    assert ios.find(f"{Q}crypto/{Q}map") is None


def test_candidate_validate_commit_discard(server, session):
    router, _ = server
    ts = config('<crypto><ipsec><transform-set><name>cand</name><esp-encryption>esp-des'
                '</esp-encryption><esp-integrity>esp-sha-hmac</esp-integrity>'
                '</transform-set></ipsec></crypto>')
    session.edit_config(target="candidate", config=ts)
    assert "transform-set cand" not in ios_section(router)
    session.validate(source="candidate")
    session.commit()
    assert "crypto ipsec transform-set cand esp-des esp-sha-hmac" in ios_section(router)

    session.edit_config(target="candidate", config=config(
        '<crypto><ipsec><transform-set nc:operation="delete"><name>cand</name>'
        '</transform-set></ipsec></crypto>'))
    session.discard_changes()
    session.commit()
    assert "transform-set cand" in ios_section(router)

    # an invalid candidate: validate and commit fail, running stays, candidate too
    session.edit_config(target="candidate", config=config(
        '<interface><name>eth1</name><crypto-map>nomap</crypto-map></interface>'))
    with pytest.raises(RPCError):
        session.validate(source="candidate")
    with pytest.raises(RPCError):
        session.commit()
    cand = running_ios(session, "candidate")
    assert any(i.find(f"{Q}name").text == "eth1" for i in cand.findall(f"{Q}interface"))
    assert "eth1" not in ios_section(router)
    session.discard_changes()

    # an untouched candidate follows changes made in the vty
    router.vty("zebra", "configure terminal", "crypto isakmp identity hostname")
    cand = running_ios(session, "candidate")
    assert cand.find(f"{Q}crypto/{Q}isakmp/{Q}identity").text == "hostname"


def test_vtysh_edit_refused_while_netconf_holds_the_lock(server, session):
    router, srv = server
    session.lock("running")
    out = router.vty("zebra", "configure terminal",
                     "crypto ipsec transform-set locked esp-des esp-sha-hmac", check=False)
    assert "locked by another client" in out
    assert "transform-set locked" not in ios_section(router)
    # vtysh itself (SUITE_VTYSH or Debian's, which knows FRR's own commands)
    out = router.vtysh("configure terminal", "interface eth0", "description locked",
                       check=False)
    assert "locked by another client" in out, out
    assert "description locked" not in router.vty("zebra", "show running-config")

    other = nl.connect(router, srv, user="operator")
    try:
        with pytest.raises(RPCError) as error:
            other.lock("running")
        assert error.value.tag == "lock-denied"
        with pytest.raises(RPCError) as error:
            other.edit_config(target="running", config=config(
                '<crypto><isakmp><identity>hostname</identity></isakmp></crypto>'))
        assert error.value.tag == "in-use"
        # the holder edits
        session.edit_config(target="running", config=config(
            '<crypto><isakmp><identity>hostname</identity></isakmp></crypto>'))
        session.unlock("running")
        router.vty("zebra", "configure terminal",
                   "crypto ipsec transform-set unlocked esp-des esp-sha-hmac")
        assert "transform-set unlocked" in ios_section(router)
        router.vtysh("configure terminal", "interface eth0", "description unlocked")
        assert "description unlocked" in router.vty("zebra", "show running-config")

        # a lock dies with its session
        other.lock("running")
        other.close_session()
        session.lock("running")
        session.unlock("running")
    finally:
        if other.connected:
            other.close_session()


def test_netconf_lock_denied_while_vty_configures_exclusively(lab):
    """FRR's CLI can lock only in transactional mode (zebra --tcli)."""
    router, srv = nl.start_router(lab, extra_args=["--tcli"])
    nl.wait_listening(router, srv)
    session = nl.connect(router, srv)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as vty:
        vty.settimeout(30)
        vty.connect(str(router.vty_path("zebra")))
        lablib._vty_exchange(vty, "enable")
        status, out = lablib._vty_exchange(vty, "configure exclusive")
        assert status == 0, out
        with pytest.raises(RPCError) as error:
            session.lock("running")
        assert error.value.tag == "lock-denied"
        assert "configure exclusive" in error.value.message
        with pytest.raises(RPCError) as error:
            session.edit_config(target="running", config=config(
                '<crypto><isakmp><identity>hostname</identity></isakmp></crypto>'))
        assert error.value.tag == "in-use"
    # the vty session is gone, and its lock with it
    lablib.wait_until(lambda: _lock_ok(session), 10, 0.2, "running lock free")
    session.unlock("running")
    session.close_session()


def _lock_ok(session):
    try:
        session.lock("running")
        return True
    except RPCError:
        return False


def test_concurrent_sessions(server):
    router, srv = server
    count = 6
    errors = []

    def worker(n):
        try:
            manager = nl.connect(router, srv, user="admin" if n % 2 else "operator")
            for k in range(5):
                manager.edit_config(target="running", config=config(
                    f'<crypto><ipsec><transform-set><name>s{n}-{k}</name>'
                    '<esp-encryption>esp-des</esp-encryption><esp-integrity>esp-sha-hmac'
                    '</esp-integrity></transform-set></ipsec></crypto>'))
                manager.get()
            manager.close_session()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(f"session {n}: {exc!r}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors
    section = ios_section(router)
    for n in range(count):
        for k in range(5):
            assert f"crypto ipsec transform-set s{n}-{k} " in section


def test_wrong_key_unknown_user_and_passwords_are_refused(server, tmp_path):
    router, srv = server
    stranger = nl.ssh_keygen(tmp_path / "stranger")
    with pytest.raises((AuthenticationError, SSHError)):
        nl.connect(router, srv, user="admin", key=stranger)
    # operator's key is not admin's
    with pytest.raises((AuthenticationError, SSHError)):
        nl.connect(router, srv, user="admin", key=srv.keys["operator"])
    with pytest.raises((AuthenticationError, SSHError)):
        nl.connect(router, srv, user="nobody", key=srv.keys["admin"])
    from ncclient import manager as ncmanager
    with pytest.raises((AuthenticationError, SSHError)):
        ncmanager.connect(host="127.0.0.1", port=srv.port,
                          sock=nl.ns_connect(router.ns, port=srv.port),
                          username="admin", password="admin", allow_agent=False,
                          look_for_keys=False, hostkey_verify=False, timeout=30)
    router.wait_log(r"refused public key of user 'admin'", log="zebra", timeout=10)
    # and the right key still works
    nl.connect(router, srv).close_session()


def test_no_anonymous_access_only_public_keys(server):
    """SSH 'none' authentication is refused; publickey is all that is offered."""
    import paramiko

    router, srv = server
    transport = paramiko.Transport(nl.ns_connect(router.ns, port=srv.port))
    try:
        transport.start_client(timeout=30)
        with pytest.raises(paramiko.BadAuthenticationType) as error:
            transport.auth_none("admin")
        assert error.value.allowed_types == ["publickey"]
        assert not transport.is_authenticated()
    finally:
        transport.close()


def _listening(router):
    """The TCP sockets listening in the router's namespace, as ss prints them."""
    return router.exec(["ss", "-Hltn"]).stdout


def test_listens_on_loopback_by_default(lab):
    """No 'listen' line: 127.0.0.1 port 830, and no other address."""
    srv = nl.NetconfServer(lab.dir / "default", listen=None)
    assert not [line for line in srv.config.read_text().splitlines() if line.startswith("listen")]
    router = lab.add_router("r1", start=False, charon=False, daemons=("zebra",),
                            daemon_args={"zebra": srv.zebra_args()})
    router.ip("addr", "add", "192.0.2.1/32", "dev", "lo")
    router.start()
    nl.wait_listening(router, srv)
    sockets = [line.split()[3] for line in _listening(router).splitlines()]
    assert "127.0.0.1:830" in sockets
    assert not [s for s in sockets if s.endswith(":830") and s != "127.0.0.1:830"], sockets
    with pytest.raises(OSError):
        nl.ns_connect(router.ns, host="192.0.2.1", port=830, timeout=2)
    nl.connect(router, srv).close_session()


def test_listens_where_configured(lab):
    srv = nl.NetconfServer(lab.dir / "listen", listen="192.0.2.1", port=8300)
    router = lab.add_router("r1", start=False, charon=False, daemons=("zebra",),
                            daemon_args={"zebra": srv.zebra_args()})
    router.ip("addr", "add", "192.0.2.1/32", "dev", "lo")
    router.start()
    lablib.wait_until(lambda: "192.0.2.1:8300" in _listening(router), 20, 0.1,
                      "NETCONF on 192.0.2.1 port 8300")
    assert ":830 " not in _listening(router)
    with pytest.raises(OSError):
        nl.ns_connect(router.ns, host="127.0.0.1", port=8300, timeout=2)
    session = nl.connect(router, srv, host="192.0.2.1")
    assert session.get_config("running") is not None
    session.close_session()


@pytest.mark.parametrize("order", ["crypto-first", "netconf-first"])
def test_notifications_follow_sa_events(lab, order):
    """Also: the order of the two -M options does not matter."""
    peer = FakeVici(lab.dir / "fake.vici").start()
    try:
        router, srv = nl.start_router(lab, vici=peer.path, stand_in_tunnels=["Tunnel0"],
                                      netconf_first=order == "netconf-first")
        nl.wait_listening(router, srv)
        manager = nl.connect(router, srv)
        manager.edit_config(target="running", config=seed_config())
        manager.create_subscription()

        ike = ike_sa("test-10", 1, local="20.1.1.1", remote="20.1.1.2")
        child = child_sa("test-10", 2, reqid=1, spi_in="c0000abc", spi_out="d0000def")
        lablib.wait_until(lambda: json.loads(router.vty("zebra", "show crypto vici json"))
                          ["state"] == "established", 20, 0.1, "VICI established")
        peer.emit("child-updown", child_updown_event(True, ike, child))

        seen = {}
        attempts = 4
        while len(seen) < 2 and attempts:
            notif = manager.take_notification(timeout=15)
            assert notif is not None, f"no notification, got {seen}"
            root = ET.fromstring(notif.notification_xml)
            for event in root:
                if event.tag.startswith(Q):
                    seen[event.tag[len(Q):]] = {c.tag[len(Q):]: c.text for c in event}
            attempts -= 1
        assert seen["sa-state-change"]["sa-state"] == "up"
        assert seen["sa-state-change"]["name"] == "test"
        assert seen["sa-state-change"]["spi-in"] == str(0xc0000abc)
        assert seen["tunnel-state-change"] == {"name": "Tunnel0", "oper-status": "up",
                                               "reason": None}

        peer.emit("child-updown", child_updown_event(False, ike, child))
        notif = manager.take_notification(timeout=15)
        assert notif is not None
        assert "down" in notif.notification_xml
        manager.close_session()
    finally:
        peer.stop()


def test_server_refuses_to_start_without_users(lab):
    srv = nl.NetconfServer(lab.dir / "nousers", users=())
    router = lab.add_router("r1", charon=False, daemons=("zebra",),
                            daemon_args={"zebra": srv.zebra_args()})
    router.wait_log(r"server not started: .*no user line", log="zebra", timeout=10)
    with pytest.raises(OSError):
        nl.ns_connect(router.ns, port=srv.port, timeout=2)


GUIDE = TOP / "doc" / "netconf.md"


def guide_blocks(language):
    """The fenced code blocks of the user guide in one language, in order."""
    blocks, current = [], None
    for line in GUIDE.read_text().splitlines():
        if current is None and line == f"```{language}":
            current = []
        elif current is not None and line == "```":
            blocks.append("\n".join(current) + "\n")
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def test_user_guide_examples(lab, tmp_path):
    """doc/netconf.md's examples, as written there, against a lab router."""
    import subprocess

    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    env = {**os.environ, "HOME": str(home)}
    keys_block = [b for b in guide_blocks("sh") if "ssh-keyscan" in b][0].splitlines()
    ssh_block = [b for b in guide_blocks("sh") if "-s netconf" in b][0]
    python_blocks = guide_blocks("python")
    assert len(python_blocks) >= 8

    # the client's key (the guide's first command), authorized for admin
    assert keys_block[0].startswith("ssh-keygen ")
    subprocess.run(["bash", "-ec", keys_block[0]], env=env, check=True, timeout=60)
    srv = nl.NetconfServer(lab.dir / "guide-netconf")
    authorized = srv.dir / "admin.authorized_keys"
    authorized.write_text((home / ".ssh" / "netconf.pub").read_text())
    router = lab.add_router("r1", charon=False, daemons=("zebra",),
                            daemon_args={"zebra": srv.zebra_args()})
    nl.wait_listening(router, srv)

    def in_router(argv, **kwargs):
        return subprocess.run(["ip", "netns", "exec", router.ns, *argv], env=env,
                              cwd=TOP, capture_output=True, text=True, timeout=300, **kwargs)

    # the host key into known_hosts, its fingerprint (the guide's other commands)
    for command in keys_block[1:]:
        done = in_router(["bash", "-ec", command])
        assert done.returncode == 0, done.stderr
    assert "ecdsa-sha2-nistp256" in (home / ".ssh" / "known_hosts").read_text()

    # the Python examples, one script, host key verified
    script = tmp_path / "guide.py"
    script.write_text("".join(python_blocks))
    done = in_router(["/usr/bin/python3", str(script)])
    assert done.returncode == 0, done.stdout + done.stderr
    printed = GUIDE.read_text().split("\nprints\n\n", 1)[1].splitlines()[0].strip()
    assert printed.startswith("refused: ")
    assert printed in done.stdout.splitlines(), done.stdout
    assert "<oper-status>" in done.stdout                 # <get> has the state
    assert "no tunnel or SA changed state in 5 s" in done.stdout
    assert "module ios-ipsec-suite" in (home / "ios-ipsec-suite.yang").read_text()
    section = ios_section(router)
    assert "crypto map test 10 ipsec-isakmp" in section          # the seed
    assert "crypto ipsec transform-set cand esp-des esp-sha-hmac" in section  # committed
    assert "transform-set t2" not in section                      # deleted
    assert "crypto isakmp identity hostname" in section           # discarded change
    assert "set peer 20.1.1.2" in section

    # the OpenSSH example; OpenSSH reads the account's ~/.ssh, not $HOME's
    assert "ssh -p 830" in ssh_block
    ssh_block = ssh_block.replace(
        "ssh -p 830", f"ssh -F /dev/null -o UserKnownHostsFile={home}/.ssh/known_hosts "
        "-o BatchMode=yes -p 830")
    done = in_router(["bash", "-ec", ssh_block])
    # the server closes the connection after <close-session>: ssh may exit with 255
    assert done.returncode in (0, 255), done.stderr
    assert f'<ios xmlns="{NS}"' in done.stdout, done.stdout
    assert 'message-id="2"><ok/></rpc-reply>' in done.stdout, done.stdout


def test_server_refuses_to_start_without_the_crypto_module(lab):
    srv = nl.NetconfServer(lab.dir / "nocrypto")
    router = lab.add_router("r1", charon=False, daemons=("zebra",),
                            daemon_args={"zebra": ["-M", f"ios_netconf:{srv.config}"]})
    router.wait_log(r"ios-ipsec-suite model is not loaded: zebra needs the crypto module "
                    r"too \(-M ios_crypto -M ios_netconf\); NETCONF server not started",
                    log="zebra", timeout=10)
    with pytest.raises(OSError):
        nl.ns_connect(router.ns, port=srv.port, timeout=2)
    # zebra itself runs on
    assert "FRRouting" in router.vty("zebra", "show version")


def test_install_generates_the_host_key_once(tmp_path):
    build = TOP / "build"

    def install():
        import subprocess
        subprocess.run(["make", "-C", str(build), "-s", "install", f"DESTDIR={tmp_path}"],
                       check=True, capture_output=True, timeout=600)
    install()
    key = tmp_path / "etc/frr/ios-netconf/ssh_host_ecdsa_key"
    assert key.read_text().startswith("-----BEGIN EC PRIVATE KEY-----")
    assert key.stat().st_mode & 0o077 == 0
    conf = (tmp_path / "etc/frr/ios-netconf.conf").read_text()
    assert "listen 127.0.0.1 830" in conf
    assert not [line for line in conf.splitlines() if line.startswith("user ")]
    modules = tmp_path / "usr/lib/x86_64-linux-gnu/frr/modules"
    assert (modules / "zebra_ios_netconf.so").exists()
    assert (modules / "ios_netconf_server.so").exists()
    before = key.read_bytes()
    install()
    assert key.read_bytes() == before
