# SPDX-License-Identifier: GPL-2.0-or-later
"""The vtysh that scripts/build-vtysh rebuilds from Debian's FRR source:
it knows the IOS crypto commands of the zebra module and their sub-modes
((config-isakmp)#, (cfg-crypto-trans)#, (config-crypto-map)#,
(config-pubkey-chain)#, (config-pubkey-key)#, (config-pubkey)#), with help
on "?", and shows and reads the configuration in IOS form. Debian's own
vtysh does not know the commands at all.

The interactive tests drive vtysh through a pseudo terminal, as a user
would; vtysh reaches zebra through the lab router's vty socket (a file, so
vtysh itself runs outside the namespace). --install/--uninstall are tested
against a scratch root (dpkg-divert --root), not the host's /usr/bin.
"""

import os
import pty
import re
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from test_frr_ios_cli import (KEY_101, SEED_102_PAGE, SEED_102_RUNNING,
                              ios_section, start_zebra)

TOP = Path(__file__).resolve().parents[2]
BUILD_VTYSH = TOP / "scripts" / "build-vtysh"
VTYSH = TOP / "build-vtysh" / "vtysh"
DEBIAN_VTYSH = Path("/usr/bin/vtysh")
MODULE = Path("/usr/lib/x86_64-linux-gnu/frr/modules/zebra_ios_crypto.so")
CLI_SOURCE = TOP / "frr-integration" / "zebra" / "ios_crypto_cli.c"
VTYSH_SOURCE = TOP / "frr-integration" / "vtysh" / "ios_crypto_vtysh.c"

ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "TERM": "dumb",
       "VTYSH_PAGER": "cat", "HOME": "/root"}


@pytest.fixture(scope="module", autouse=True)
def rebuilt_vtysh():
    """Build (or bring up to date) build-vtysh/vtysh once for this file."""
    if not MODULE.exists():
        pytest.fail(f"{MODULE} is not installed: run scripts/build --install")
    proc = subprocess.run([str(BUILD_VTYSH)], capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert VTYSH.exists()
    return VTYSH


def vtysh(router, *commands, binary=VTYSH, check=True):
    argv = [str(binary), "--vty_socket", str(router.dir),
            "--config_dir", str(router.dir)]
    for command in commands:
        argv += ["-c", command]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                          env=ENV)
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


class Terminal:
    """vtysh on a pseudo terminal, read up to a prompt."""

    def __init__(self, router):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            [str(VTYSH), "--vty_socket", str(router.dir),
             "--config_dir", str(router.dir)],
            stdin=slave, stdout=slave, stderr=slave, env=ENV,
            start_new_session=True, close_fds=True)
        os.close(slave)
        self.pending = ""

    def read_until(self, pattern, timeout=10):
        """Output up to and including the first match of pattern."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while True:
            match = regex.search(self.pending)
            if match:
                out = self.pending[:match.end()]
                self.pending = self.pending[match.end():]
                return out
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {pattern!r} in vtysh output:\n"
                                     f"{self.pending}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    data = b""
                if not data:
                    raise AssertionError(f"vtysh ended; output:\n{self.pending}")
                self.pending += data.decode(errors="replace").replace("\r", "")

    def type(self, text):
        os.write(self.master, text.encode())

    def command(self, line, prompt):
        """Type a line; return its output up to the expected prompt."""
        self.type(line + "\n")
        return self.read_until(re.escape(prompt) + r" $")

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        os.close(self.master)


@pytest.fixture
def terminal(lab):
    router = start_zebra(lab)
    term = Terminal(router)
    try:
        term.read_until(r"# $")
        yield router, term
    finally:
        term.close()


def test_debian_vtysh_does_not_know_the_commands(lab):
    """Why vtysh is rebuilt at all."""
    if vtysh_is_ours(DEBIAN_VTYSH):
        pytest.skip("/usr/bin/vtysh is the rebuilt one (installed)")
    router = start_zebra(lab)
    proc = vtysh(router, "configure terminal", "crypto isakmp policy 1",
                 binary=DEBIAN_VTYSH, check=False)
    assert "Unknown command: crypto isakmp policy 1" in proc.stdout + proc.stderr


def test_rebuilt_vtysh_knows_the_show_and_vici_commands(lab):
    """The module's show commands are reachable from vtysh, not only zebra's vty."""
    router = start_zebra(lab)
    out = vtysh(router, "show crypto isakmp sa", "show crypto map",
                "show crypto vici", "show crypto engine connections active",
                "show tunnel interface", "show crypto key pubkey-chain rsa").stdout
    assert "Unknown command" not in out
    assert "Code Usage        IP-Address/VRF  Keyring   Name" in out
    assert "dst             src             state          conn-id slot status" in out
    assert "VICI client (strongSwan control socket)" in out
    assert "ID     Interface       IP-Address      State Algorithm" in out


def test_rebuilt_vtysh_knows_the_suite_extensions(lab):
    """crypto isakmp key and authentication rsa-encr revised through vtysh."""
    router = start_zebra(lab, conf=SEED_102_PAGE)
    vtysh(router, "configure terminal", "crypto isakmp key s3cret address 20.1.1.3",
          "crypto isakmp policy 2", "authentication rsa-encr revised")
    shown = vtysh(router, "show running-config").stdout
    assert "crypto isakmp key s3cret address 20.1.1.3\n" in shown, shown
    assert "crypto isakmp policy 2\n authentication rsa-encr revised\n" in shown, shown
    out = vtysh(router, "show crypto key pubkey-chain rsa name 101.cisco.com").stdout
    assert out.startswith("Key name: 101.cisco.com\nKey address: 20.1.1.1\n"), out


def assert_vtysh_shows(shown, running):
    """vtysh shows each block of the daemon's configuration, reordered as
    vtysh does it: top-level sections (our crypto lines with them) first,
    interfaces, then access lists, as IOS; "!" lines dropped; and lines
    inside an interface block sorted alphabetically (vtysh_config.c)."""
    text = "\n".join(without_frames(shown))
    for block in re.split(r"\n!\n", running):
        lines = without_frames(block)
        if lines[0].startswith("interface "):
            lines = lines[:1] + sorted(lines[1:])
        assert "\n".join(lines) in text, "\n".join(lines) + "\n--- in ---\n" + text
    order = [text.index(marker) for marker in
             ("crypto isakmp policy", "crypto map", "crypto key pubkey-chain",
              "interface Tunnel0", "access-list 101")]
    assert order == sorted(order), text


def without_frames(text):
    """Lines of a configuration without "!" and "exit" lines."""
    return [line for line in text.strip().splitlines()
            if line.strip() not in ("!", "exit")]


def vtysh_is_ours(binary):
    return b"ios_vtysh_isakmp_policy" in Path(binary).read_bytes()


def test_rebuilt_vtysh_links_debians_libfrr():
    ldd = subprocess.run(["ldd", str(VTYSH)], capture_output=True, text=True,
                         check=True).stdout
    assert re.search(r"libfrr\.so\.0 => /usr/lib/x86_64-linux-gnu/frr/libfrr\.so\.0",
                     ldd), ldd


def test_interactive_session_enters_the_ios_sub_modes(terminal):
    router, term = terminal
    term.command("configure terminal", "(config)#")
    term.command("crypto isakmp policy 1", "(config-isakmp)#")
    term.command("authentication rsa-encr", "(config-isakmp)#")
    term.command("exit", "(config)#")
    term.command("crypto isakmp identity hostname", "(config)#")
    term.command("crypto isakmp keepalive 20 5", "(config)#")
    term.command("crypto ipsec transform-set test esp-des esp-sha-hmac",
                 "(cfg-crypto-trans)#")
    term.command("mode transport", "(cfg-crypto-trans)#")
    term.command("exit", "(config)#")
    out = term.command("crypto map test 10 ipsec-isakmp", "(config-crypto-map)#")
    assert "% NOTE: This new crypto map will remain disabled until a peer" in out
    term.command("set peer 20.1.1.1", "(config-crypto-map)#")
    term.command("set transform-set test", "(config-crypto-map)#")
    term.command("match address 101", "(config-crypto-map)#")
    term.command("exit", "(config)#")
    term.command("crypto key pubkey-chain rsa", "(config-pubkey-chain)#")
    term.command("named-key 101.cisco.com", "(config-pubkey-key)#")
    term.command("address 20.1.1.1", "(config-pubkey-key)#")
    out = term.command("key-string", "(config-pubkey)#")
    assert "Enter a public key as a hexadecimal number" in out
    for line in KEY_101:
        term.command(line, "(config-pubkey)#")
    term.command("quit", "(config-pubkey-key)#")
    term.command("exit", "(config-pubkey-chain)#")
    term.command("exit", "(config)#")
    term.command("interface Tunnel0", "(config-if)#")
    for line in ("ip address 10.10.10.2 255.255.255.252", "ip mtu 1420",
                 "tunnel source eth0", "tunnel destination 20.1.1.1",
                 "crypto map test"):
        term.command(line, "(config-if)#")
    term.command("exit", "(config)#")
    term.command("interface eth0", "(config-if)#")
    term.command("crypto map test", "(config-if)#")
    # IOS style: the next top-level command leaves the sub-mode
    term.command("access-list 101 permit gre host 20.1.1.2 host 20.1.1.1",
                 "(config)#")
    term.command("crypto isakmp policy 1", "(config-isakmp)#")
    term.command("end", "#")

    out = term.command("show running-config", "#")
    crypto = out[out.index("crypto isakmp policy 1"):]
    assert_vtysh_shows(crypto, SEED_102_RUNNING)
    # zebra's view is the same configuration
    assert ios_section(router) == SEED_102_RUNNING


def test_question_mark_shows_ios_help(terminal):
    router, term = terminal
    term.command("configure terminal", "(config)#")
    term.type("crypto ?")
    out = term.read_until(r"\(config\)# crypto $")
    for keyword, text in (("isakmp", "Configure ISAKMP policy"),
                          ("ipsec", "Configure IPSEC policy"),
                          ("map", "Enter a crypto map"),
                          ("key", "Long term key operations")):
        assert re.search(rf"^\s+{keyword}\s+{re.escape(text)}$", out, re.M), out
    # (the help, then the prompt: the echo of the typed words alone may
    # arrive first)
    term.type("isakmp key ?")
    term.read_until(r"(?s)\n\s+WORD\s+pre-shared key\n.*\(config\)# crypto isakmp key $")
    term.type("s3cret ?")
    term.read_until(r"(?s)\n\s+address\s+define shared key with IP address\n"
                    r".*\(config\)# crypto isakmp key s3cret $")
    term.type("\x15crypto isakmp ?")
    term.read_until(r"(?s)\n\s+key\s+Set pre-shared key for remote peer\n"
                    r".*\(config\)# crypto isakmp $")
    term.type("policy ?")
    out = term.read_until(r"\(config\)# crypto isakmp policy $")
    assert re.search(r"\(1-10000\)\s+Priority of protection suite", out), out
    term.type("1\n")
    term.read_until(r"\(config-isakmp\)# $")
    term.type("authentication ?")
    out = term.read_until(r"\(config-isakmp\)# authentication $")
    for keyword, text in (("pre-share", "Pre-Shared Key"),
                          ("rsa-encr", "Rivest-Shamir-Adleman Encryption"),
                          ("rsa-sig", "Rivest-Shamir-Adleman Signature")):
        assert re.search(rf"^\s+{keyword}\s+{re.escape(text)}$", out, re.M), out
    term.type("rsa-encr ?")
    out = term.read_until(r"(?s)\n\s+revised\s.*\(config-isakmp\)# authentication rsa-encr $")
    # (vtysh justifies help texts to the terminal width)
    assert ("revised Revised mode, RFC 2409 5.3 (IKE auth method 5; not in IOS)"
            in " ".join(out.split())), out
    term.type("\x15exit\n")   # ^U: clear the line
    term.read_until(r"\(config\)# $")
    term.command("interface Tunnel0", "(config-if)#")
    term.type("tunnel ?")
    out = term.read_until(r"\(config-if\)# tunnel $")
    for keyword in ("destination", "mode", "source"):
        assert re.search(rf"^\s+{keyword}\s+\S", out, re.M), out


def test_invalid_input_is_refused_in_the_sub_modes(terminal):
    router, term = terminal
    term.command("configure terminal", "(config)#")
    term.command("crypto isakmp policy 1", "(config-isakmp)#")
    out = term.command("group 3", "(config-isakmp)#")
    assert "% Unknown command: group 3" in out
    out = term.command("crypto map test 10", "(config-crypto-map)#")
    out = term.command("set transform-set nosuch", "(config-crypto-map)#")
    assert 'Invalid leafref value "nosuch"' in out
    term.command("end", "#")
    assert "set transform-set" not in ios_section(router)


def test_configuration_from_file_and_show_running_config(lab, tmp_path):
    """vtysh -f: the example's running-config as its web page shows it."""
    router = start_zebra(lab)
    conf = tmp_path / "seed.conf"
    conf.write_text(SEED_102_PAGE)
    proc = subprocess.run([str(VTYSH), "--vty_socket", str(router.dir),
                           "--config_dir", str(router.dir), "-f", str(conf)],
                          capture_output=True, text=True, timeout=60, env=ENV)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ios_section(router) == SEED_102_RUNNING
    shown = vtysh(router, "show running-config").stdout
    assert_vtysh_shows(shown, SEED_102_RUNNING)


def test_boot_from_the_integrated_configuration(lab):
    """vtysh -b, as FRR's init script starts a router: frr.conf applied in
    one batch (XFRR_start_configuration), quietly."""
    router = start_zebra(lab)
    (router.dir / "vtysh.conf").write_text("service integrated-vtysh-config\n")
    (router.dir / "frr.conf").write_text("hostname r1\n" + SEED_102_PAGE)
    proc = subprocess.run([str(VTYSH), "--vty_socket", str(router.dir),
                           "--config_dir", str(router.dir), "-b"],
                          capture_output=True, text=True, timeout=60, env=ENV)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "NOTE" not in proc.stdout and "Enter a public key" not in proc.stdout
    assert ios_section(router) == SEED_102_RUNNING


def test_vtysh_output_reads_back_into_a_fresh_zebra(lab, tmp_path):
    r1 = start_zebra(lab, "r1", conf=SEED_102_PAGE)
    shown = vtysh(r1, "show running-config").stdout
    conf = tmp_path / "shown.conf"
    conf.write_text("\n".join(line for line in shown.splitlines()
                              if not line.startswith(("Building", "Current"))))
    r2 = start_zebra(lab, "r2")
    proc = subprocess.run([str(VTYSH), "--vty_socket", str(r2.dir),
                           "--config_dir", str(r2.dir), "-f", str(conf)],
                          capture_output=True, text=True, timeout=60, env=ENV)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ios_section(r2) == ios_section(r1)


def test_vtysh_copies_of_mode_changing_commands_match_the_module():
    """extract.pl skips the module's _NOSH commands: vtysh has its own."""
    module = set(re.findall(r'DEF(?:PY|UN)_YANG_NOSH\s*\(\s*\w+,\s*\w+,\s*"([^"]+)"',
                            CLI_SOURCE.read_text()))
    ours = set(re.findall(r'DEF(?:UN)?SH\((?:VTYSH_\w+,\s*)(?:\w+,\s*){1,2}"([^"]+)"',
                          VTYSH_SOURCE.read_text()))
    assert module, "no _NOSH commands found in the module"
    assert module <= ours, module - ours


def test_install_and_uninstall_divert_debians_vtysh(tmp_path):
    root = tmp_path / "root"
    (root / "usr/bin").mkdir(parents=True)
    (root / "var/lib/dpkg").mkdir(parents=True)
    shutil.copy2(DEBIAN_VTYSH, root / "usr/bin/vtysh")
    original = (root / "usr/bin/vtysh").read_bytes()

    def run(*args):
        proc = subprocess.run([str(BUILD_VTYSH), *args, "--root", str(root)],
                              capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout

    for _ in range(2):                      # idempotent
        run("--install")
        assert vtysh_is_ours(root / "usr/bin/vtysh")
        assert (root / "usr/bin/vtysh.distrib").read_bytes() == original
        assert "vtysh of ios-ipsec-suite" in run("--status")
        listing = subprocess.run(["dpkg-divert", "--root", str(root), "--list"],
                                 capture_output=True, text=True).stdout
        assert ("diversion of /usr/bin/vtysh to /usr/bin/vtysh.distrib "
                "by ios-ipsec-suite") in listing
    for _ in range(2):
        run("--uninstall")
        assert (root / "usr/bin/vtysh").read_bytes() == original
        assert not (root / "usr/bin/vtysh.distrib").exists()
        assert "Debian's vtysh" in run("--status")
