/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/**
 * @defgroup rsa_encr_crypto rsa_encr_crypto
 * @{ @ingroup rsa_encr
 *
 * The cryptographic pieces of IKEv1 authentication with public key
 * encryption (RFC 2409 5.2, 5.3), built on libstrongswan's crypto factory
 * and keys.
 */

#ifndef RSA_ENCR_CRYPTO_H_
#define RSA_ENCR_CRYPTO_H_

#include <library.h>
#include <credentials/keys/private_key.h>
#include <credentials/keys/public_key.h>
#include <crypto/crypters/crypter.h>
#include <crypto/prfs/prf.h>

/** smallest and largest RSA modulus accepted, in bits */
#define RSA_ENCR_MIN_KEY_BITS 512
#define RSA_ENCR_MAX_KEY_BITS 4096

/** nonce data length RFC 2409 5 allows, in bytes */
#define RSA_ENCR_MIN_NONCE 8
#define RSA_ENCR_MAX_NONCE 256

/**
 * How many bytes one PKCS#1 v1.5 block of a key carries (k - 11).
 *
 * @param key		RSA public key
 * @return			capacity in bytes, 0 for keys outside 512..4096 bits
 */
size_t rsa_encr_crypto_capacity(public_key_t *key);

/**
 * The same for the public half of a private key, without extracting it
 * (with OpenSSL 3 that is an encoding and a parse, a few hundred
 * microseconds per call).
 *
 * @param key		RSA private key
 * @return			capacity in bytes, 0 for keys outside 512..4096 bits
 */
size_t rsa_encr_crypto_private_capacity(private_key_t *key);

/**
 * Encrypt a payload body with a peer's public key (PKCS#1 v1.5).
 *
 * @param key		peer's RSA public key
 * @param plain		payload body
 * @param crypto	receives the allocated ciphertext (modulus length)
 * @return			TRUE if encrypted, FALSE if too long or failed
 */
bool rsa_encr_crypto_encrypt(public_key_t *key, chunk_t plain, chunk_t *crypto);

/**
 * Decrypt a payload body with our private key, without telling anyone
 * how it failed.
 *
 * A random substitute is drawn before the decryption and returned instead
 * of the plaintext whenever the ciphertext does not have the modulus
 * length, its PKCS#1 padding is wrong or the plaintext length is outside
 * [min, max]. The caller continues with the substitute in every case, so
 * a bad padding, a wrong key and a wrong value all end the same way
 * (RFC 2409 leaves this to implementations; Bleichenbacher's attack on
 * IKEv1, Felsch et al. 2018, needs an answer that differs).
 *
 * @param key		our RSA private key
 * @param crypto	ciphertext
 * @param min		smallest plaintext length accepted
 * @param max		largest plaintext length accepted
 * @param fallback	length of the random substitute
 * @param plain		receives the allocated plaintext or substitute
 * @return			TRUE if plain is the real plaintext
 */
bool rsa_encr_crypto_decrypt(private_key_t *key, chunk_t crypto, size_t min,
							 size_t max, size_t fallback, chunk_t *plain);

/**
 * The key of the PRF that yields SKEYID for the public key encryption
 * methods: hash(Ni_b | Nr_b). SKEYID = prf(that, CKY-I | CKY-R).
 *
 * @param hasher	negotiated hash algorithm
 * @param nonce_i	Ni_b
 * @param nonce_r	Nr_b
 * @param key		receives the allocated hash
 * @return			TRUE if hashed
 */
bool rsa_encr_crypto_skeyid_key(hasher_t *hasher, chunk_t nonce_i,
								chunk_t nonce_r, chunk_t *key);

/**
 * HASH(1): the hash of the responder's public key the initiator encrypts
 * with, so that a responder with several keys knows which one to use.
 * RFC 2409 hashes "the certificate"; IOS peers exchange bare keys, so the
 * hash covers the key's DER SubjectPublicKeyInfo, i.e. exactly the data
 * of an IOS key-string.
 *
 * @param hasher	negotiated hash algorithm
 * @param key		responder's public key
 * @param hash		receives the allocated hash
 * @return			TRUE if hashed
 */
bool rsa_encr_crypto_key_hash(hasher_t *hasher, public_key_t *key,
							  chunk_t *hash);

/**
 * The symmetric key of the revised mode (RFC 2409 5.3) for the payloads a
 * side sends after its nonce: Ne = prf(N_b, CKY) with its own nonce and
 * cookie, taken to the key length of the negotiated cipher as in
 * appendix B (the most significant bytes of Ne, or of K1 | K2 | ... with
 * K1 = prf(Ne, 0), Kn = prf(Ne, Kn-1) if Ne is too short).
 *
 * @param prf		negotiated PRF
 * @param nonce		N_b of the sending side
 * @param cky		CKY-I (initiator) or CKY-R (responder)
 * @param key_size	key length of the negotiated cipher, in bytes
 * @param key		receives the allocated key
 * @return			TRUE if derived
 */
bool rsa_encr_crypto_revised_key(prf_t *prf, chunk_t nonce, chunk_t cky,
								 size_t key_size, chunk_t *key);

/**
 * Encrypt one payload body of the revised mode: CBC with the IV given
 * (zero for the first payload after the nonce, then the last ciphertext
 * block of the previous payload, which iv is updated to), padded as RFC
 * 2409 5.3 says: zero bytes and a last byte counting them, always at least
 * that byte.
 *
 * @param crypter	negotiated cipher, keyed with Ke
 * @param iv		IV, updated to the last ciphertext block
 * @param plain		payload body
 * @param crypto	receives the allocated ciphertext
 * @return			TRUE if encrypted
 */
bool rsa_encr_crypto_revised_encrypt(crypter_t *crypter, chunk_t iv,
									 chunk_t plain, chunk_t *crypto);

/**
 * Decrypt one payload body of the revised mode, see
 * rsa_encr_crypto_revised_encrypt().
 *
 * @param crypter	negotiated cipher, keyed with Ke
 * @param iv		IV, updated to the last ciphertext block
 * @param crypto	encrypted body
 * @param plain		receives the allocated body without padding
 * @return			FALSE if the length or the padding is wrong
 */
bool rsa_encr_crypto_revised_decrypt(crypter_t *crypter, chunk_t iv,
									 chunk_t crypto, chunk_t *plain);

#endif /** RSA_ENCR_CRYPTO_H_ @}*/
