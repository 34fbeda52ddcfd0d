# SPDX-License-Identifier: GPL-2.0-or-later
"""make install honours DESTDIR and installs exactly what charon and zebra
load (no libtool archives), plus the tool and its man page."""

import subprocess
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent.parent


def test_install_into_destdir(tmp_path):
    subprocess.run(["make", "-C", str(TOP / "build"), "-s", "install",
                    f"DESTDIR={tmp_path}"], check=True, capture_output=True)
    files = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()}
    expected = {
        "usr/lib/ipsec/plugins/libstrongswan-ios-keychain.so",
        "etc/strongswan.d/charon/ios-keychain.conf",
        "usr/lib/x86_64-linux-gnu/frr/modules/zebra_ios_crypto.so",
    }
    assert expected <= files
    assert any(f.endswith("bin/ios-rsa-key") for f in files)
    assert any(f.endswith("man1/ios-rsa-key.1") for f in files)
    assert not [f for f in files if f.endswith(".la")]
