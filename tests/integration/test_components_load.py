# SPDX-License-Identifier: GPL-2.0-or-later
"""The installed components load into Debian's daemons, and refuse to load
into a daemon of another version.

A daemon "of another version" is Debian's own binary with its version
string patched (same length): charon's startup banner, libfrr's module
version. Nothing in our code knows about the test.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import lab as lablib

CHARON = Path("/usr/lib/ipsec/charon")
LIBFRR = Path("/usr/lib/x86_64-linux-gnu/frr/libfrr.so.0")
PLUGIN = Path("/usr/lib/ipsec/plugins/libstrongswan-ios-keychain.so")
MODULE = Path("/usr/lib/x86_64-linux-gnu/frr/modules/zebra_ios_crypto.so")


def installed_strongswan_version():
    """The version in charon's banner, read independently of our plugin."""
    data = CHARON.read_bytes()
    start = data.index(b"(strongSwan ") + len(b"(strongSwan ")
    return data[start:data.index(b",", start)].decode()


def frr_version():
    out = subprocess.run(["/usr/lib/frr/zebra", "--version"], check=True,
                         capture_output=True, text=True).stdout
    return out.split()[2]


def other_version(version):
    """Same length, different last digit."""
    return version[:-1] + ("9" if version[-1] != "9" else "8")


def patched_copy(src, dst, old, new):
    data = src.read_bytes()
    assert old in data, f"{old!r} not found in {src}"
    assert len(old) == len(new)
    dst.write_bytes(data.replace(old, new))
    shutil.copymode(src, dst)
    return dst


@pytest.fixture(autouse=True)
def require_installed():
    for path in (PLUGIN, MODULE):
        if not path.exists():
            pytest.fail(f"{path} is not installed: run scripts/build --install")


def test_charon_loads_ios_keychain_plugin(lab):
    r1 = lab.add_router("r1", daemons=())
    stats = r1.swanctl("--stats")
    loaded = stats.split("loaded plugins:")[1].split()
    assert "ios-keychain" in loaded
    r1.wait_log(r"plugin 'ios-keychain': loaded successfully", timeout=5)


def test_plugin_refuses_charon_of_other_version(lab):
    running = installed_strongswan_version()
    foreign = other_version(running)
    r1 = lab.add_router("r1", charon=False, daemons=())
    charon = patched_copy(CHARON, r1.dir / "charon-foreign",
                          f"(strongSwan {running},".encode(),
                          f"(strongSwan {foreign},".encode())
    r1.write_strongswan_conf()
    r1.prepare_swanctl_dir()
    r1.spawn("charon", [str(charon)], private_mounts=True,
             log_paths=[r1.log_path("charon")])
    r1.wait_log(rf"plugin 'ios-keychain' refuses to load: built for strongSwan "
                rf"{running}, running strongSwan {foreign}", timeout=20)
    lablib.wait_until(lambda: r1.swanctl("--stats", check=False), 20,
                      what="foreign charon answering vici")
    loaded = r1.swanctl("--stats").split("loaded plugins:")[1].split()
    assert "ios-keychain" not in loaded
    assert "vici" in loaded, "charon itself must keep running"


def test_zebra_loads_module(lab):
    r1 = lab.add_router("r1", charon=False, daemons=("zebra",),
                        daemon_args={"zebra": ["-M", "ios_crypto"]})
    modules = r1.vtysh("show modules")
    assert "zebra_ios_crypto" in modules
    # the lab loads the build tree's module when SUITE_FRR_MODULEDIR is set
    moduledir = os.environ.get("SUITE_FRR_MODULEDIR")
    loaded = Path(moduledir) / MODULE.name if moduledir else MODULE
    assert f"from: {loaded}\n" in modules, modules
    out = r1.vty("zebra", "show crypto suite")
    assert f"built for FRR {frr_version()}, running FRR {frr_version()}" in out
    suite = json.loads(r1.vty("zebra", "show crypto suite json"))
    assert (suite["builtForFrr"], suite["runningFrr"]) == (frr_version(), frr_version())
    assert out.startswith(f"ios-ipsec-suite {suite['suite']}\n"), out


def test_module_refuses_frr_of_other_version(lab):
    running = frr_version()
    foreign = other_version(running)
    r1 = lab.add_router("r1", charon=False, daemons=())
    libdir = r1.dir / "foreign-lib"
    libdir.mkdir()
    patched_copy(LIBFRR, libdir / LIBFRR.name, f"\0{running}\0".encode(),
                 f"\0{foreign}\0".encode())
    # zebra's RUNPATH yields to LD_LIBRARY_PATH: it runs on the patched libfrr
    proc = r1.exec(["env", f"LD_LIBRARY_PATH={libdir}", "/usr/lib/frr/zebra",
                    "--vty_socket", str(r1.dir), "-z", str(r1.dir / "zserv.api"),
                    "-i", str(r1.dir / "zebra.pid"), "-M", "ios_crypto"],
                   check=False, timeout=30)
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    assert (f"zebra_ios_crypto: refusing to load: built for FRR {running}, "
            f"running FRR {foreign}") in proc.stderr
    assert 'module "ios_crypto" initialisation failed' in proc.stderr
