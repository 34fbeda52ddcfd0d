# SPDX-License-Identifier: GPL-2.0-or-later
"""Network-namespace lab: routers made of a namespace, a charon and FRR.

Every router is a Linux network namespace running its own strongSwan charon
(with its own strongswan.conf, vici socket, swanctl dir and private /run) and
its own FRR daemons (zebra, ripd, ... in the foreground, owned by the lab).
Routers are joined by veth pairs.  Everything a lab creates carries its run
id, so parallel runs never collide and leftovers of killed runs can be found
and removed (see ``cleanup()`` and the ``cleanup`` script next to this file).

Typical use::

    with Lab() as lab:
        r1, r2 = lab.add_router("r1"), lab.add_router("r2")
        lab.link(r1, "eth0", "20.1.1.1/24", r2, "eth0", "20.1.1.2/24")
        r1.vtysh("show ip route")

Environment: LAB_DIR (base directory, default /tmp/islab), LAB_KEEP=1 (keep
the run dir with configs and logs after teardown and print where it is).
"""

import atexit
import errno
import grp
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from pathlib import Path

NS_PREFIX = "islab-"
DEFAULT_BASE_DIR = "/tmp/islab"
# Every process the lab spawns carries this variable in its environment, so
# a process can be traced back to its run even outside any known namespace.
RUN_ENV = "ISLAB_RUN"
OWNER_FILE = "owner"
TMP_PREFIX = ".new-"     # run dirs being created (see Lab._make_run_dir)

CHARON = "/usr/lib/ipsec/charon"
SWANCTL = "swanctl"
FRR_SBIN = "/usr/lib/frr"
# SUITE_VTYSH: e.g. build-vtysh/vtysh, the rebuilt one that knows the module
VTYSH = os.environ.get("SUITE_VTYSH") or "vtysh"
DEFAULT_DAEMONS = ("zebra", "ripd")
# lib 2 logs which plugins loaded or refused to load: what this suite needs
DEFAULT_CHARON_LOG_LEVELS = {"default": 1, "ike": 2, "cfg": 2, "lib": 2}

# LAB_STARTUP_TIMEOUT: more for slow guests (the VM lab runs under TCG)
STARTUP_TIMEOUT = float(os.environ.get("LAB_STARTUP_TIMEOUT") or 20.0)
TERM_GRACE = 5.0

# Daemons get a tmpfs /run (charon writes /run/charon.pid, charon.ctl, ...
# unconditionally) and /var/tmp (FRR keeps per-pid crash buffers there) in a
# private mount namespace, so routers never see each other's or the host's.
PRIVATE_MOUNTS_SH = (
    "mount -t tmpfs -o mode=0755 lab-run /run && "
    "mount -t tmpfs -o mode=1777 lab-tmp /var/tmp && "
    'exec "$@"'
)


class LabError(Exception):
    """Anything that went wrong while building, using or tearing down a lab."""


class CommandError(LabError):
    """A command run inside a router failed; carries its output."""

    def __init__(self, argv, returncode, stdout, stderr):
        self.argv = list(argv)
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        super().__init__(
            f"command {shlex.join(self.argv)} exited with {returncode}\n"
            f"--- stderr ---\n{stderr.rstrip()}\n--- stdout ---\n{stdout.rstrip()}"
        )


# --------------------------------------------------------------------------
# small helpers


def base_dir():
    """The directory holding all run dirs (env LAB_DIR or /tmp/islab)."""
    return Path(os.environ.get("LAB_DIR") or DEFAULT_BASE_DIR)


def wait_until(predicate, timeout=30.0, interval=0.2, what="condition"):
    """Poll ``predicate`` until it returns something truthy and return that.

    Tests must poll instead of sleeping a fixed time: convergence speed varies
    with machine load.  Raises LabError naming ``what`` on timeout; an
    exception raised by the predicate counts as "not yet" and the last one is
    reported.
    """
    deadline = time.monotonic() + timeout
    last_exc = None
    while True:
        try:
            result = predicate()
            if result:
                return result
        except Exception as exc:  # noqa: BLE001 - reported on timeout
            last_exc = exc
        if time.monotonic() >= deadline:
            detail = f": last error: {last_exc}" if last_exc else ""
            raise LabError(f"timed out after {timeout:.0f}s waiting for {what}{detail}")
        time.sleep(interval)


def run(argv, check=True, timeout=60, env=None, input=None):
    """Run a host command, capture text output, raise CommandError on failure."""
    proc = subprocess.run(
        argv,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        stdin=None if input is not None else subprocess.DEVNULL,
    )
    if check and proc.returncode != 0:
        raise CommandError(argv, proc.returncode, proc.stdout, proc.stderr)
    return proc


def tail(path, lines=40):
    """Last ``lines`` lines of a text file ('' if it does not exist)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 256 * 1024))
            data = f.read().decode(errors="replace")
    except OSError:
        return ""
    return "\n".join(data.splitlines()[-lines:])


def unix_socket_accepts(path):
    """True if something listens on the UNIX stream socket ``path``."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(2)
        try:
            s.connect(str(path))
        except OSError:
            return False
    return True


def list_namespaces():
    """Names of all named network namespaces (``ip netns list``)."""
    out = run(["ip", "netns", "list"]).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def namespace_pids(ns):
    """Pids of the processes living in namespace ``ns``."""
    proc = run(["ip", "netns", "pids", ns], check=False)
    return [int(p) for p in proc.stdout.split() if p.isdigit()]


def process_start_time(pid):
    """Start time of ``pid`` in clock ticks, or None if it does not exist.

    Stored next to the pid of a run's owner, so a recycled pid is not taken
    for a still-running lab.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name may contain spaces and parentheses: split after it
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[19])


def pids_with_env(var, values):
    """Pids of live processes whose initial environment has var=<one of values>."""
    wanted = {f"{var}={v}".encode() for v in values}
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            env = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        for item in env:
            if item in wanted:
                found[int(entry.name)] = item.decode().split("=", 1)[1]
                break
    return found


def kill_pids(pids, grace=TERM_GRACE):
    """SIGTERM the pids, give them ``grace`` seconds, then SIGKILL the rest.

    Zombies (already dead, waiting for a parent that is gone) are ignored:
    nothing can kill them any further.
    """
    pids = [p for p in pids if pid_alive(p)]
    for pid in pids:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while pids and time.monotonic() < deadline:
        time.sleep(0.05)
        pids = [p for p in pids if pid_alive(p)]
    for pid in pids:
        _signal(pid, signal.SIGKILL)


def _signal(pid, sig):
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def pid_alive(pid):
    """True if ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZX"


def delete_namespace(ns):
    """Kill whatever still lives in ``ns``, then delete the namespace."""
    kill_pids(namespace_pids(ns), grace=1.0)
    run(["ip", "netns", "delete", ns], check=False)


def moduledir_args():
    """``--moduledir DIR`` when SUITE_FRR_MODULEDIR is set.

    Lets a test run FRR modules from a build tree (e.g. build/.libs)
    instead of the installed ones, so parallel builds do not have to
    install into the system to be tested.
    """
    moduledir = os.environ.get("SUITE_FRR_MODULEDIR")
    return ["--moduledir", moduledir] if moduledir else []


def frr_group():
    """The group FRR daemons run under.

    Debian's FRR is built with vty group 'frrvty' and refuses to start
    ("privs_init: user(root) is not part of vty group") unless the daemon's
    user is in it.  root is not, but the -g group counts, so '-u root
    -g frrvty' runs as root without touching /etc/group.
    """
    try:
        grp.getgrnam("frrvty")
    except KeyError:
        return "root"
    return "frrvty"


# --------------------------------------------------------------------------
# processes


class Process:
    """A long-running process the lab owns (its own session/process group)."""

    def __init__(self, name, argv, popen, log_paths):
        self.name = name
        self.argv = argv
        self.popen = popen
        self.log_paths = log_paths

    @property
    def pid(self):
        return self.popen.pid

    def running(self):
        return self.popen.poll() is None

    def check_running(self):
        """Raise LabError with the log tails if the process has died."""
        if not self.running():
            raise LabError(
                f"{self.name} exited with {self.popen.returncode}\n" + self.log_tails()
            )

    def log_tails(self, lines=40):
        parts = []
        for path in self.log_paths:
            text = tail(path, lines)
            if text:
                parts.append(f"--- {path} (last {lines} lines) ---\n{text}")
        return "\n".join(parts)

    def signal_group(self, sig):
        try:
            os.killpg(self.popen.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def stop(self, grace=TERM_GRACE):
        """SIGTERM the process group, SIGKILL it after ``grace`` seconds.

        The group is only signalled while its leader is unreaped, so the
        pgid cannot have been recycled; stragglers of a dead leader are
        found later through the namespace and the run tag.
        """
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if not self.running():
                return
            self.signal_group(sig)
            try:
                self.popen.wait(grace)
            except subprocess.TimeoutExpired:
                pass


# --------------------------------------------------------------------------
# routers


class Router:
    """One router: a network namespace with a charon and FRR daemons.

    Created (and by default started) by ``Lab.add_router``.  All files live
    in ``self.dir``: strongswan.conf, charon.log, charon.vici, swanctl/,
    <daemon>.conf/.log/.vty/.pid, zserv.api, and *.out (stdout/stderr).
    """

    def __init__(self, lab, name, charon=True, daemons=DEFAULT_DAEMONS,
                 charon_conf="", charon_log_levels=None, frr_conf=None,
                 daemon_args=None):
        self.lab = lab
        self.name = name
        self.ns = f"{NS_PREFIX}{lab.run_id}-{name}"
        self.dir = lab.dir / name
        self.use_charon = charon
        self.daemons = list(daemons)
        self.charon_conf = charon_conf
        self.charon_log_levels = dict(charon_log_levels or DEFAULT_CHARON_LOG_LEVELS)
        self.frr_conf = dict(frr_conf or {})
        self.daemon_args = {k: list(v) for k, v in (daemon_args or {}).items()}
        self.processes = {}
        self.started = False

    def __repr__(self):
        return f"<Router {self.name} ns={self.ns}>"

    # -- paths -------------------------------------------------------------

    @property
    def strongswan_conf(self):
        return self.dir / "strongswan.conf"

    @property
    def vici_uri(self):
        return f"unix://{self.dir / 'charon.vici'}"

    @property
    def swanctl_dir(self):
        return self.dir / "swanctl"

    def log_path(self, what):
        """Log file of 'charon' or an FRR daemon name."""
        return self.dir / f"{what}.log"

    # -- namespace ---------------------------------------------------------

    def create_namespace(self):
        """Create the namespace and bring its loopback up."""
        self.dir.mkdir(parents=True)
        run(["ip", "netns", "add", self.ns])
        self.lab.namespaces.append(self.ns)
        self.ip("link", "set", "lo", "up")

    def ip(self, *args):
        """Run ``ip -n <ns> args`` (no process is started inside)."""
        return run(["ip", "-n", self.ns, *args]).stdout

    def addr(self, ifname, prefix):
        """Add ``prefix`` (e.g. '192.168.1.1/24') to ``ifname`` and set it up.

        Stub networks go on 'lo': this kernel has no dummy devices.
        """
        self.ip("addr", "add", prefix, "dev", ifname)
        self.ip("link", "set", ifname, "up")

    def env(self, extra=None):
        """Environment for processes in this router (tagged with the run id)."""
        env = dict(os.environ)
        env.update({
            RUN_ENV: self.lab.run_id,
            "STRONGSWAN_CONF": str(self.strongswan_conf),
            "SWANCTL_DIR": str(self.swanctl_dir),
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        })
        env.update(extra or {})
        return env

    def netns_argv(self, argv, private_mounts=False):
        """Wrap ``argv`` to run inside the namespace (optionally private /run)."""
        wrapped = ["ip", "netns", "exec", self.ns]
        if private_mounts:
            wrapped += ["unshare", "-m", "--propagation", "private",
                        "sh", "-c", PRIVATE_MOUNTS_SH, "sh"]
        return wrapped + list(argv)

    def exec(self, argv, check=True, timeout=60, input=None, env=None):
        """Run a command in the namespace; returns subprocess.CompletedProcess."""
        return run(self.netns_argv(argv), check=check, timeout=timeout,
                   input=input, env=self.env(env))

    def spawn(self, name, argv, private_mounts=False, log_paths=()):
        """Start a long-running lab-owned process in the namespace.

        Its stdout/stderr go to <dir>/<name>.out; it is killed at teardown.
        """
        out = self.dir / f"{name}.out"
        full = self.netns_argv(argv, private_mounts)
        with open(out, "wb") as f:
            popen = subprocess.Popen(
                full, stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT,
                env=self.env(), start_new_session=True, close_fds=True)
        proc = Process(f"{self.name}/{name}", full, popen, [*log_paths, out])
        self.processes[name] = proc
        self.lab.processes.append(proc)
        return proc

    # -- startup -----------------------------------------------------------

    def start(self):
        """Start charon and the FRR daemons; return when all of them answer."""
        if self.started:
            return self
        self.started = True
        if self.use_charon:
            self.start_charon()
        for daemon in self.daemons:
            self.start_frr_daemon(daemon)
        return self

    def _await(self, proc, ready, what):
        """Wait until ``ready()``; fail at once (with its logs) if ``proc`` dies."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            proc.check_running()
            if ready():
                return
            if time.monotonic() >= deadline:
                raise LabError(f"timed out after {STARTUP_TIMEOUT:.0f}s waiting for "
                               f"{what}\n{proc.log_tails()}")
            time.sleep(0.05)

    # -- charon ------------------------------------------------------------

    def write_strongswan_conf(self):
        """Write the router's strongswan.conf.

        The stock /etc/strongswan.d files are included first so installed
        plugins load with their packaged settings; the lab's settings (log,
        vici socket) come after them and the caller's extra text last, since
        later definitions win.
        """
        levels = "\n".join(f"                {k} = {v}"
                           for k, v in self.charon_log_levels.items())
        self.strongswan_conf.write_text(f"""\
# generated by tests/lab for router {self.name}
charon {{
    load_modular = yes
    plugins {{
        include /etc/strongswan.d/charon/*.conf
    }}
}}
include /etc/strongswan.d/*.conf

charon {{
    plugins {{
        vici {{
            socket = {self.vici_uri}
        }}
        # legacy interface: would read the host's /etc/ipsec.secrets
        stroke {{
            load = no
        }}
    }}
    # append: reload-settings reopens the log, and "append = no" would then
    # truncate it under wait_log(since=...)
    filelog {{
        lab {{
            path = {self.log_path('charon')}
            append = yes
            flush_line = yes
            time_format = %H:%M:%S
            time_add_ms = yes
            ike_name = yes
{levels}
        }}
    }}
    syslog {{
    }}
}}

{self.charon_conf}
""")

    def prepare_swanctl_dir(self):
        """Create swanctl/ with the subdirs swanctl --load-all looks into."""
        for sub in ("conf.d", "x509", "x509ca", "x509aa", "x509ac", "x509crl",
                    "x509ocsp", "pubkey", "private", "rsa", "ecdsa", "bliss",
                    "pkcs8", "pkcs12"):
            (self.swanctl_dir / sub).mkdir(parents=True, exist_ok=True)
        (self.swanctl_dir / "swanctl.conf").write_text("include conf.d/*.conf\n")

    def start_charon(self):
        self.write_strongswan_conf()
        self.prepare_swanctl_dir()
        proc = self.spawn("charon", [CHARON], private_mounts=True,
                          log_paths=[self.log_path("charon")])
        self._await(proc, lambda: unix_socket_accepts(self.dir / "charon.vici"),
                    f"{self.name}: charon vici socket")
        # the socket exists before charon's worker threads answer requests
        self._await(proc, lambda: self.swanctl("--stats", check=False) is not None,
                    f"{self.name}: charon answering vici")

    def swanctl(self, command, *args, check=True, timeout=60):
        """Run ``swanctl <command> args`` against this router's charon.

        Returns stdout; raises CommandError (with stderr) on failure, or
        returns None on failure if check=False.
        """
        argv = [SWANCTL, command, *args, "--uri", self.vici_uri]
        proc = self.exec(argv, check=check, timeout=timeout)
        return proc.stdout if proc.returncode == 0 else None

    def load_swanctl(self, conf, name="lab"):
        """Install a swanctl.conf fragment and load everything.

        ``conf`` may hold 'connections { }' and 'secrets { }' sections; it
        is written to swanctl/conf.d/<name>.conf, then 'swanctl --load-all'
        runs.  Returns swanctl's output.
        """
        (self.swanctl_dir / "conf.d" / f"{name}.conf").write_text(conf)
        return self.swanctl("--load-all")

    def wait_log(self, regex, timeout=30.0, log="charon", since=0):
        """Wait until ``regex`` matches the log (from byte offset ``since``).

        Returns the match.  Use ``log_size()`` before an action to get a
        ``since`` that only looks at what the action caused.
        """
        pattern = re.compile(regex, re.MULTILINE)
        path = self.log_path(log)

        def search():
            try:
                with open(path, "rb") as f:
                    f.seek(since)
                    return pattern.search(f.read().decode(errors="replace"))
            except FileNotFoundError:
                return None

        try:
            return wait_until(search, timeout, 0.1, f"{self.name}: /{regex}/ in {path}")
        except LabError as exc:
            raise LabError(f"{exc}\n--- tail of {path} ---\n{tail(path)}") from None

    def log_size(self, log="charon"):
        """Current size of a log, for ``wait_log(..., since=...)``."""
        try:
            return self.log_path(log).stat().st_size
        except FileNotFoundError:
            return 0

    # -- FRR ---------------------------------------------------------------

    def frr_conf_path(self, daemon):
        return self.dir / f"{daemon}.conf"

    def start_frr_daemon(self, daemon):
        """Start one FRR daemon in the foreground and wait for its vty socket."""
        conf = self.frr_conf.get(daemon, "")
        self.frr_conf_path(daemon).write_text(
            f"hostname {self.name}\n!\n{conf}\n")
        return self._run_frr_daemon(daemon)

    def restart_frr_daemon(self, daemon, sig=signal.SIGTERM):
        """Stop ``daemon`` with ``sig`` (SIGKILL: as if it crashed) and start
        it again with its configuration file as it is now, e.g. after a
        'write file' - unlike start_frr_daemon, which writes the file."""
        proc = self.processes[daemon]
        proc.signal_group(sig)
        try:
            proc.popen.wait(TERM_GRACE)
        except subprocess.TimeoutExpired:
            pass
        proc.stop()
        return self._run_frr_daemon(daemon)

    def _run_frr_daemon(self, daemon):
        """Spawn ``daemon`` on its configuration file, wait for its vty."""
        argv = [
            f"{FRR_SBIN}/{daemon}",
            "-u", "root", "-g", frr_group(),
            "-P", "0",                         # no TCP vty: only the UNIX one
            "--vty_socket", str(self.dir),
            "-z", str(self.dir / "zserv.api"),
            "-i", str(self.dir / f"{daemon}.pid"),
            "-f", str(self.frr_conf_path(daemon)),
            "--log", f"file:{self.log_path(daemon)}",
            *moduledir_args(),
            *self.daemon_args.get(daemon, []),
        ]
        proc = self.spawn(daemon, argv, private_mounts=True,
                          log_paths=[self.log_path(daemon)])
        self._await(proc, lambda: unix_socket_accepts(self.vty_path(daemon)),
                    f"{self.name}: {daemon} vty socket")
        return proc

    def vty_path(self, daemon):
        return self.dir / f"{daemon}.vty"

    def vtysh(self, *commands, check=True, timeout=60):
        """Run Debian's vtysh with one -c per command; returns its stdout.

        --config_dir points into the router dir so a stray 'write' can never
        clobber the host's /etc/frr.
        """
        argv = [VTYSH, "--vty_socket", str(self.dir), "--config_dir", str(self.dir)]
        for cmd in commands:
            argv += ["-c", cmd]
        return self.exec(argv, check=check, timeout=timeout).stdout

    def vtysh_json(self, command):
        """vtysh for a '... json' command, parsed ({} for empty output)."""
        out = self.vtysh(command).strip()
        return json.loads(out) if out else {}

    def vty(self, daemon, *commands, check=True, timeout=30):
        """Send commands straight to ``daemon``'s vty socket; return outputs.

        This bypasses vtysh, so commands vtysh does not know (e.g. ones
        added by our modules) work.  The session is put into enable mode
        first, like vtysh does.  Returns the concatenated output; raises
        LabError if a command's status is not 0 (CMD_SUCCESS) and check.
        """
        outputs = []
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(str(self.vty_path(daemon)))
            _vty_exchange(s, "enable")
            for cmd in commands:
                status, out = _vty_exchange(s, cmd)
                if status != 0 and check:
                    raise LabError(f"{self.name}/{daemon}: '{cmd}' failed with "
                                   f"status {status}: {out.strip()}")
                outputs.append(out)
        return "".join(outputs)

    # -- teardown / diagnostics -------------------------------------------

    def log_tails(self, lines=40):
        """Tails of every log/output file of this router, for failure reports."""
        parts = []
        for path in sorted(self.dir.glob("*.log")) + sorted(self.dir.glob("*.out")):
            text = tail(path, lines)
            if text:
                parts.append(f"--- {self.name}: {path.name} (last {lines} lines) ---\n{text}")
        return "\n".join(parts)


def _vty_exchange(sock, cmd):
    """One FRR vty round trip: send cmd + NUL; reply ends in 3 NULs + status."""
    sock.sendall(cmd.encode() + b"\0")
    buf = b""
    while True:
        end = buf.find(b"\0\0\0")
        if end >= 0 and len(buf) > end + 3:
            return buf[end + 3], buf[:end].decode(errors="replace")
        data = sock.recv(65536)
        if not data:
            raise LabError(f"vty connection closed while running '{cmd}'")
        buf += data


# --------------------------------------------------------------------------
# the lab


_live_labs = weakref.WeakSet()


@atexit.register
def _close_live_labs():
    """Last resort: close labs nobody closed (e.g. interrupted pytest)."""
    for lab in list(_live_labs):
        lab.close()


class Lab:
    """A set of routers and links with one run id and one run dir.

    Use as a context manager (or call close()): teardown kills every process
    the lab started, anything left in its namespaces, deletes the namespaces
    and removes the run dir (kept with LAB_KEEP=1).  If the body raises, the
    routers' log tails are written to stderr before teardown.
    """

    def __init__(self, keep=None):
        self.keep = os.environ.get("LAB_KEEP") == "1" if keep is None else keep
        self.routers = {}
        self.processes = []
        self.namespaces = []
        self.closed = False
        self._saved_sigterm = None
        self.run_id, self.dir = self._make_run_dir()
        _live_labs.add(self)
        self._trap_sigterm()

    def __repr__(self):
        return f"<Lab {self.run_id} dir={self.dir}>"

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and not issubclass(exc_type, KeyboardInterrupt):
            tails = self.log_tails()
            if tails:
                print(f"=== lab {self.run_id}: logs at failure ===\n{tails}",
                      file=sys.stderr)
        self.close()
        return False

    @staticmethod
    def _make_run_dir():
        """Create <base>/<run id> with its owner file, atomically.

        The dir is filled under a hidden temporary name and renamed into
        place, so a cleanup running in parallel never sees a run dir
        without an owner (which it would take for a stale one).
        """
        base = base_dir()
        base.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=base))
        tmp.chmod(0o755)
        (tmp / OWNER_FILE).write_text(f"{os.getpid()} {process_start_time(os.getpid())}\n")
        while True:
            run_id = secrets.token_hex(3)
            if any(ns.startswith(f"{NS_PREFIX}{run_id}-") for ns in list_namespaces()):
                continue
            try:
                os.rename(tmp, base / run_id)   # fails if that run dir exists
            except OSError as exc:
                if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
                    continue
                raise
            return run_id, base / run_id

    def _trap_sigterm(self):
        """Turn SIGTERM (e.g. a CI timeout) into an exception so teardown runs."""
        if threading.current_thread() is not threading.main_thread():
            return
        if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
            return

        def on_sigterm(signum, frame):
            raise KeyboardInterrupt("SIGTERM")

        self._saved_sigterm = signal.signal(signal.SIGTERM, on_sigterm)

    # -- building ----------------------------------------------------------

    def add_router(self, name, start=True, **options):
        """Create router ``name`` (namespace, dirs) and start its daemons.

        Options (see Router): charon=True, daemons=("zebra", "ripd"),
        charon_conf (extra strongswan.conf text), charon_log_levels,
        frr_conf={daemon: config text}, daemon_args={daemon: [argv...]}
        e.g. {"zebra": ["-M", "/path/module.so"]}.  With start=False call
        router.start() later, e.g. after links and addresses exist.
        """
        if self.closed:
            raise LabError("lab is closed")
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,15}", name) or name in self.routers:
            raise LabError(f"bad or duplicate router name {name!r}")
        router = Router(self, name, **options)
        self.routers[name] = router
        router.create_namespace()
        if start:
            router.start()
        return router

    def start(self):
        """Start every router created with start=False (in creation order)."""
        for router in self.routers.values():
            router.start()
        return self

    def __getitem__(self, name):
        return self.routers[name]

    def link(self, r1, if1, addr1, r2, if2, addr2):
        """Join r1:if1 and r2:if2 with a veth pair, address both ends, set up.

        The pair is created directly inside the namespaces, so its names
        never exist (and never collide) in the host namespace.  An address
        may be None to leave that end unnumbered.
        """
        run(["ip", "-n", r1.ns, "link", "add", if1, "type", "veth",
             "peer", "name", if2, "netns", r2.ns])
        for router, ifname, prefix in ((r1, if1, addr1), (r2, if2, addr2)):
            if prefix:
                router.ip("addr", "add", prefix, "dev", ifname)
            router.ip("link", "set", ifname, "up")

    # -- teardown ----------------------------------------------------------

    def log_tails(self, lines=40):
        """Log tails of all routers (what a failed test should show)."""
        return "\n".join(t for t in (r.log_tails(lines) for r in self.routers.values()) if t)

    def close(self):
        """Tear everything down; safe to call twice and after partial setup.

        Ctrl-C and SIGTERM are held back while tearing down (and delivered
        afterwards), so an impatient second Ctrl-C cannot leave half a lab.
        """
        if self.closed:
            return
        self.closed = True
        held = {signal.SIGINT, signal.SIGTERM}
        old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            self._teardown()
        finally:
            _live_labs.discard(self)
            if self._saved_sigterm is not None:
                signal.signal(signal.SIGTERM, self._saved_sigterm)
            signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)

    def _teardown(self):
        problems = []
        steps = (
            ("stop processes", self._stop_processes),
            ("kill run processes", lambda: kill_pids(pids_with_env(RUN_ENV, [self.run_id]), 1.0)),
            ("delete namespaces", self._delete_namespaces),
            ("remove run dir", self._remove_dir),
        )
        for what, step in steps:
            try:
                step()
            except Exception as exc:  # noqa: BLE001 - keep tearing down
                problems.append(f"{what}: {exc}")
        if problems:
            print(f"lab {self.run_id}: teardown problems:\n  " + "\n  ".join(problems),
                  file=sys.stderr)

    def _stop_processes(self):
        """SIGTERM all process groups at once, then SIGKILL stragglers."""
        procs = list(reversed(self.processes))
        for proc in procs:
            if proc.running():
                proc.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + TERM_GRACE
        for proc in procs:
            try:
                proc.popen.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for proc in procs:
            proc.stop(grace=1.0)

    def _delete_namespaces(self):
        for ns in self.namespaces:
            delete_namespace(ns)
        left = [ns for ns in list_namespaces() if ns in self.namespaces]
        if left:
            raise LabError(f"namespaces not deleted: {left}")

    def _remove_dir(self):
        if self.keep:
            print(f"lab {self.run_id}: LAB_KEEP=1, run dir kept at {self.dir}",
                  file=sys.stderr)
            return
        shutil.rmtree(self.dir, ignore_errors=True)
        if self.dir.exists():
            raise LabError(f"could not remove {self.dir}")


# --------------------------------------------------------------------------
# cleanup of earlier runs


def _run_is_live(run_dir):
    """True if the process that created ``run_dir`` is still running.

    A zombie owner counts as dead: it was killed, PID 1 just has not reaped
    it yet.
    """
    try:
        pid, start = (int(f) for f in (run_dir / OWNER_FILE).read_text().split())
    except (OSError, ValueError):
        return False
    return pid_alive(pid) and process_start_time(pid) == start


def _run_id_of_namespace(ns):
    rest = ns[len(NS_PREFIX):]
    return rest.split("-", 1)[0]


def _stale_run_dirs(base, is_stale):
    """Entries of ``base`` to remove: stale run dirs, old half-made ones."""
    if not base.is_dir():
        return []
    entries = []
    for entry in base.iterdir():
        if entry.name.startswith(TMP_PREFIX):
            # being created right now, unless its creator died long ago
            try:
                age = time.time() - entry.stat().st_mtime
            except FileNotFoundError:       # just renamed into place
                continue
            if age > 60:
                entries.append(entry)
        elif is_stale(entry.name):
            entries.append(entry)
    return entries


def _remove_path(path):
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def cleanup(all_runs=False, log=None):
    """Remove what earlier runs left: processes, namespaces, run dirs.

    By default only runs whose owning process is gone are removed, so a
    cleanup never breaks a lab running in parallel; ``all_runs`` removes
    every islab- namespace and run dir regardless.  Liveness is checked
    per run when it is found (a run's dir and owner exist before any of
    its namespaces).  Returns a list of what was removed.
    """
    log = log or (lambda msg: None)
    base = base_dir()

    def is_stale(run_id):
        return all_runs or not _run_is_live(base / run_id)

    stale_ns = [ns for ns in list_namespaces()
                if ns.startswith(NS_PREFIX) and is_stale(_run_id_of_namespace(ns))]
    stale_dirs = _stale_run_dirs(base, is_stale)
    stale_ids = {_run_id_of_namespace(ns) for ns in stale_ns}
    stale_ids |= {d.name for d in stale_dirs}
    removed = []

    # processes first (they may hold namespaces alive), found by their tag
    # in any namespace, then whatever else is inside the stale namespaces
    tagged = pids_with_env(RUN_ENV, stale_ids) if stale_ids else {}
    for pid, run_id in tagged.items():
        log(f"killing pid {pid} of run {run_id}")
        removed.append(f"pid {pid}")
    kill_pids(list(tagged))
    for ns in stale_ns:
        log(f"deleting namespace {ns}")
        delete_namespace(ns)
        removed.append(f"netns {ns}")
    for path in stale_dirs:
        log(f"removing {path}")
        _remove_path(path)
        removed.append(str(path))
    return removed
