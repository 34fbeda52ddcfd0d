#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Independent computation of the test vectors of test_rsa_encr_crypto.c
and test_rsa_encr_keymat.c with python3-cryptography and hashlib/hmac
(no strongSwan code involved). Run once; the output was pasted into the
tests. RSA ciphertexts are random, so a new run yields other (equally
valid) ones; the derived values are deterministic.

RFC 2409 5.2 (public key encryption):
  SKEYID   = prf(hash(Ni_b | Nr_b), CKY-I | CKY-R)
  SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)
  SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)
  SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)
  Ka (appendix B) = K1 | K2 ..., K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1)
  HASH_I   = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)
  HASH_R   = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)

RFC 2409 5.3 (revised mode):
  Ne_i = prf(Ni_b, CKY-I), Ke_i = Ne_i cut to the cipher's key length, or
  K1 | K2 ... with K1 = prf(Ne_i, 0), Kn = prf(Ne_i, Kn-1) if too short;
  payloads after the nonce in CBC, IV 0 for the first, then the last
  ciphertext block; padding 0x00 ... and a last byte counting the others.
"""

import hashlib
import hmac
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def c_array(name, data):
    lines = []
    for i in range(0, len(data), 12):
        lines.append("\t" + " ".join(f"0x{b:02x}," for b in data[i:i + 12]))
    return f"static const u_char {name}[] = {{\n" + "\n".join(lines) + "\n};\n"


def prf(key, data):
    return hmac.new(key, data, hashlib.sha1).digest()


def raw_rsa(pub, em):
    n, e = pub.public_numbers().n, pub.public_numbers().e
    k = (n.bit_length() + 7) // 8
    return pow(int.from_bytes(em, "big"), e, n).to_bytes(k, "big")


def main():
    out = sys.stdout
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    pub = key.public_key()
    k = 128
    pem = key.private_bytes(serialization.Encoding.PEM,
                            serialization.PrivateFormat.TraditionalOpenSSL,
                            serialization.NoEncryption()).decode()
    out.write("static const char key1024_pem[] =\n")
    for line in pem.strip().splitlines():
        out.write(f'\t"{line}\\n"\n')
    out.write(";\n\n")

    nonce_i = bytes(range(0x00, 0x20))
    nonce_r = bytes(range(0x20, 0x40))
    id_body = bytes([2, 0, 0, 0]) + b"101.cisco.com"
    out.write(c_array("nonce_i", nonce_i))
    out.write(c_array("nonce_r", nonce_r))
    out.write(c_array("idii_body", id_body))

    # a good ciphertext of Ni_b and of IDii_b
    out.write(c_array("ct_nonce_ok", pub.encrypt(nonce_i, padding.PKCS1v15())))
    out.write(c_array("ct_id_ok", pub.encrypt(id_body, padding.PKCS1v15())))
    # block type 1 (signature padding) instead of 2
    em = b"\x00\x01" + b"\xff" * (k - 3 - len(nonce_i)) + b"\x00" + nonce_i
    out.write(c_array("ct_nonce_bt1", raw_rsa(pub, em)))
    # block type 2 without the zero separator
    em = b"\x00\x02" + b"\x5a" * (k - 2)
    out.write(c_array("ct_no_separator", raw_rsa(pub, em)))
    # valid padding, but a 4 byte "nonce" (RFC 2409: 8 to 256 bytes)
    out.write(c_array("ct_nonce_short", pub.encrypt(b"\x01\x02\x03\x04",
                                                   padding.PKCS1v15())))

    spki = pub.public_bytes(serialization.Encoding.DER,
                            serialization.PublicFormat.SubjectPublicKeyInfo)
    out.write(c_array("hash1_sha1", hashlib.sha1(spki).digest()))
    out.write(c_array("skeyid_key_sha1", hashlib.sha1(nonce_i + nonce_r).digest()))
    out.write(c_array("skeyid_key_sha256",
                      hashlib.sha256(nonce_i + nonce_r).digest()))

    # key derivation, 3DES-SHA1 (3DES needs Ka expansion)
    cky_i = bytes.fromhex("0102030405060708")
    cky_r = bytes.fromhex("1112131415161718")
    g_xy = bytes((i * 7 + 3) & 0xff for i in range(128))
    g_xi = bytes((i * 5 + 1) & 0xff for i in range(128))
    g_xr = bytes((i * 3 + 2) & 0xff for i in range(128))
    sa_i = bytes.fromhex("00000001000000010000002c0101000100000024"
                         "01010000800b0001800c7080800100058002000280040002"
                         "80030004")[:40]
    idir = bytes([2, 0, 0, 0]) + b"102.cisco.com"
    skeyid = prf(hashlib.sha1(nonce_i + nonce_r).digest(), cky_i + cky_r)
    skeyid_d = prf(skeyid, g_xy + cky_i + cky_r + b"\x00")
    skeyid_a = prf(skeyid, skeyid_d + g_xy + cky_i + cky_r + b"\x01")
    skeyid_e = prf(skeyid, skeyid_a + g_xy + cky_i + cky_r + b"\x02")
    k1 = prf(skeyid_e, b"\x00")
    k2 = prf(skeyid_e, k1)
    ka = (k1 + k2)[:24]
    hash_i = prf(skeyid, g_xi + g_xr + cky_i + cky_r + sa_i + id_body)
    hash_r = prf(skeyid, g_xr + g_xi + cky_r + cky_i + sa_i + idir)
    # revised mode: Ke_i for 3DES (expanded) and AES-128 (cut), two payloads
    ne_i = prf(nonce_i, cky_i)
    k1 = prf(ne_i, b"\x00")
    ke_3des = (k1 + prf(ne_i, k1))[:24]
    ke_aes = ne_i[:16]

    def revised(alg, bs, plain, iv):
        pad = bs - len(plain) % bs
        data = plain + bytes(pad - 1) + bytes([pad - 1])
        enc = Cipher(alg, modes.CBC(iv)).encryptor()
        ct = enc.update(data) + enc.finalize()
        return ct, ct[-bs:]

    ke_value = bytes(range(0x40, 0x40 + 16))        # one block exactly
    ct_ke, iv = revised(algorithms.TripleDES(ke_3des), 8, ke_value, bytes(8))
    ct_id, _ = revised(algorithms.TripleDES(ke_3des), 8, id_body, iv)
    ct_id_aes, _ = revised(algorithms.AES(ke_aes), 16, id_body, bytes(16))
    for name, value in (("ke_i_3des", ke_3des), ("ke_i_aes128", ke_aes),
                        ("ke_value", ke_value), ("revised_ct_ke_3des", ct_ke),
                        ("revised_ct_id_3des", ct_id),
                        ("revised_ct_id_aes128", ct_id_aes)):
        out.write(c_array(name, value))

    for name, value in (("g_xy", g_xy), ("g_xi", g_xi), ("g_xr", g_xr),
                        ("sa_i", sa_i), ("idir_body", idir),
                        ("skeyid_d", skeyid_d), ("skeyid_a", skeyid_a),
                        ("ka_3des", ka), ("hash_i", hash_i),
                        ("hash_r", hash_r)):
        out.write(c_array(name, value))


if __name__ == "__main__":
    main()
