# SPDX-License-Identifier: GPL-2.0-or-later
"""ios-rsa-key: the key exchange an IOS user does by hand.

Round trip generate -> show (IOS format) -> to-pem gives the same key that
openssl reads from the private key file; the IOS layout matches the seed's
"show crypto key mypubkey rsa"; errors are clear.
"""

import re
import subprocess
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parent.parent.parent
TOOL = TOP / "build" / "tools" / "ios-rsa-key" / "ios-rsa-key"


def tool(*args, check=True, input=None):
    proc = subprocess.run([str(TOOL), *args], capture_output=True, text=True,
                          input=input)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def openssl_pubkey(path):
    return subprocess.run(["openssl", "pkey", "-in", str(path), "-pubout"],
                          check=True, capture_output=True, text=True).stdout


def key_data(show_output, name):
    """The Key Data lines of one key in 'show' output."""
    block = show_output.split(f"Key name: {name}\n", 1)[1]
    lines = block.split("Key Data:\n", 1)[1].splitlines()
    data = []
    for line in lines:
        if not line.startswith(" "):
            break
        data.append(line)
    return data


@pytest.mark.parametrize("bits", [512, 1024, 2048])
def test_generate_show_to_pem_round_trip(tmp_path, bits):
    out = tool("generate", "general-keys", "--modulus", str(bits), "--label",
               "101.cisco.com", "--dir", str(tmp_path)).stdout
    assert "The name for the keys will be: 101.cisco.com" in out
    assert f"% Generating {bits} bit RSA keys" in out and "[OK]" in out
    show = tool("show", "--dir", str(tmp_path)).stdout
    assert "Usage: General Purpose Key" in show
    data = key_data(show, "101.cisco.com")
    # IOS layout: one space, upper-case 8-digit groups, 8 groups a line
    for line in data[:-1]:
        assert re.fullmatch(r" (?:[0-9A-F]{8} ){7}[0-9A-F]{8}", line), line
    assert re.fullmatch(r" (?:[0-9A-F]{1,8} ?){1,8}", data[-1])
    pem = tool("to-pem", input="\n".join(data) + "\n").stdout
    assert pem == openssl_pubkey(tmp_path / "101.cisco.com.pem")


def test_usage_keys_are_two_pairs(tmp_path):
    tool("generate", "usage-keys", "--modulus", "512", "--label", "r",
         "--dir", str(tmp_path))
    show = tool("show", "--dir", str(tmp_path)).stdout
    assert show.count("Key name: r\n") == 2
    assert "Usage: Encryption Key" in show and "Usage: Signature Key" in show
    assert openssl_pubkey(tmp_path / "r.signature.pem") != \
        openssl_pubkey(tmp_path / "r.encryption.pem")


def test_seed_key_string_converts_to_the_seed_key():
    """Router 101's key as the seed's 102 chain holds it (web-wrapped)."""
    seed = """\
 named-key 101.cisco.com
 address 20.1.1.1
 key-string
 305C300D 06092A86 4886F70D 01010105 00034B00 30480241
00A7D24F E6E15787
 5EE1434A A76A3DC1 ADE96A4D C6B4D0F3 A7DDAD10 446EF83A
89D1115F 0C517118
 ECAF418E F4C84823 2A017B97 F85690EF EBCF3414 AB3E81F6
A5020301 0001
 quit
"""
    pem = tool("to-pem", input=seed).stdout
    text = subprocess.run(["openssl", "pkey", "-pubin", "-text", "-noout"],
                          input=pem, capture_output=True, text=True,
                          check=True).stdout
    assert "Public-Key: (512 bit)" in text
    assert "Exponent: 65537 (0x10001)" in text
    assert "00:a7:d2:4f:e6:e1:57:87:5e:e1:43:4a" in text


def test_chain_entry_is_parsed_back_by_the_plugin_parser(tmp_path):
    tool("generate", "--modulus", "1024", "--label", "k", "--dir", str(tmp_path))
    entry = tool("chain-entry", "--named", "102.cisco.com", "--address", "20.1.1.2",
                 "--usage", "encryption", str(tmp_path / "k.pem")).stdout
    assert entry.startswith(" named-key 102.cisco.com encryption\n  address 20.1.1.2\n")
    assert entry.rstrip().endswith("quit")
    pem = tool("to-pem", input=entry).stdout
    assert pem == openssl_pubkey(tmp_path / "k.pem")


def test_errors_name_the_problem(tmp_path):
    proc = tool("to-pem", check=False, input="305C300D 06092A8\n")
    assert proc.returncode != 0
    assert "odd number of hex digits" in proc.stderr
    proc = tool("to-pem", check=False, input="305C300D 0609ZZ86\n")
    assert proc.returncode != 0 and "hex" in proc.stderr
    proc = tool("generate", "--modulus", "256", "--dir", str(tmp_path), check=False)
    assert proc.returncode != 0 and "modulus must be 512 to 4096 bits" in proc.stderr
    tool("generate", "--modulus", "512", "--label", "x", "--dir", str(tmp_path))
    proc = tool("generate", "--modulus", "512", "--label", "x", "--dir",
                str(tmp_path), check=False)
    assert proc.returncode != 0 and "exists; --force replaces it" in proc.stderr
    proc = tool("show", str(tmp_path / "missing.pem"), check=False)
    assert proc.returncode != 0 and "missing.pem" in proc.stderr
    assert tool("--help").stdout.startswith("Usage: ios-rsa-key COMMAND")
