# SPDX-License-Identifier: GPL-2.0-or-later
"""zebra with the NETCONF module in a lab router, and ncclient sessions to it.

The server listens on the router namespace's loopback (its default); the
client's TCP socket is opened inside that namespace (setns on the calling
thread only) and handed to ncclient, so the test process itself stays in
the host namespace. Keys and the server's configuration file are made per
router with ssh-keygen, in the router's directory.
"""

import ctypes
import os
import socket
import subprocess
import threading
from pathlib import Path

from ncclient import manager

NS_SUITE = "urn:ios-ipsec-suite:yang:ios-ipsec-suite"
NETCONF_PORT = 830
CLONE_NEWNET = 0x40000000

_libc = ctypes.CDLL(None, use_errno=True)
_setns_lock = threading.Lock()


def _setns(fd):
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"setns: {os.strerror(err)}")


def ns_connect(ns, host="127.0.0.1", port=NETCONF_PORT, timeout=10):
    """A TCP connection made inside network namespace ``ns``."""
    with _setns_lock:
        own = os.open(f"/proc/thread-self/ns/net", os.O_RDONLY)
        target = os.open(f"/run/netns/{ns}", os.O_RDONLY)
        try:
            _setns(target)
            try:
                return socket.create_connection((host, port), timeout=timeout)
            finally:
                _setns(own)
        finally:
            os.close(own)
            os.close(target)


def ssh_keygen(path, key_type="ecdsa"):
    """A passphrase-less key pair: ``path`` and ``path.pub``."""
    path = Path(path)
    if not path.exists():
        subprocess.run(["ssh-keygen", "-q", "-t", key_type, "-m", "PEM", "-N", "", "-C", path.name,
                        "-f", str(path)], check=True, timeout=60)
    return path


class NetconfServer:
    """The NETCONF settings of one router: host key, users and their keys."""

    def __init__(self, directory, users=("admin",), port=NETCONF_PORT, listen="127.0.0.1"):
        """listen: the address of the 'listen' line; None: no such line
        (the server's default, 127.0.0.1 port 830)."""
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = port
        self.host_key = ssh_keygen(self.dir / "ssh_host_ecdsa_key")
        self.keys = {}
        lines = [f"host-key {self.host_key}"]
        if listen is not None:
            lines.insert(0, f"listen {listen} {port}")
        for user in users:
            key = ssh_keygen(self.dir / f"{user}_key")
            authorized = self.dir / f"{user}.authorized_keys"
            authorized.write_text(Path(f"{key}.pub").read_text())
            self.keys[user] = key
            lines.append(f"user {user} {authorized}")
        self.config = self.dir / "ios-netconf.conf"
        self.config.write_text("\n".join(lines) + "\n")

    def zebra_args(self, vici=None, netconf_first=False):
        # this kernel has no GRE: tunnels adopt stand-in devices (the crypto
        # module ignores arguments it does not know)
        crypto = ["-M", f"ios_crypto:vici={vici},tunnel-device=adopt" if vici else "ios_crypto"]
        netconf = ["-M", f"ios_netconf:{self.config}"]
        return netconf + crypto if netconf_first else crypto + netconf


def connect(router, server, user="admin", key=None, timeout=60, host="127.0.0.1"):
    """An ncclient session to ``router``'s server as ``user``."""
    sock = ns_connect(router.ns, host=host, port=server.port)
    return manager.connect(host=host, port=server.port, sock=sock,
                           username=user, key_filename=str(key or server.keys[user]),
                           allow_agent=False, look_for_keys=False,
                           hostkey_verify=False, timeout=timeout)


def start_router(lab, name="r1", users=("admin",), vici=None, frr_conf=None,
                 extra_args=(), stand_in_tunnels=(), netconf_first=False):
    """A router running zebra with both modules; returns (router, server).

    stand_in_tunnels: names of veth devices made before zebra starts, for
    the crypto module's tunnel-device=adopt. netconf_first: -M ios_netconf
    before -M ios_crypto.
    """
    server = NetconfServer(lab.dir / f"{name}-netconf", users=users)
    router = lab.add_router(name, start=False, charon=False, daemons=("zebra",),
                            daemon_args={"zebra": [*server.zebra_args(vici, netconf_first),
                                                   *extra_args]},
                            frr_conf={"zebra": frr_conf} if frr_conf else None)
    for tunnel in stand_in_tunnels:
        router.ip("link", "add", tunnel, "type", "veth", "peer", "name", f"{tunnel}-peer")
    router.start()
    return router, server


def wait_listening(router, server, timeout=20):
    """Wait until the server accepts TCP connections."""
    import lab as lablib

    def accepts():
        try:
            ns_connect(router.ns, port=server.port, timeout=2).close()
            return True
        except OSError:
            return False
    lablib.wait_until(accepts, timeout, 0.1, f"{router.name}: NETCONF port {server.port}")
