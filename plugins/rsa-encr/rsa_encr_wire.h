/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/**
 * @defgroup rsa_encr_wire rsa_encr_wire
 * @{ @ingroup rsa_encr
 *
 * Byte-level access to unencrypted IKEv1 (ISAKMP) messages.
 *
 * The rsa-encr messages 3 and 4 carry ID, HASH(1) and nonce payloads whose
 * bodies are RSA ciphertexts, and SA payloads with authentication methods
 * charon does not know. charon refuses such payloads while it parses a
 * message, so the plugin rewrites the raw message before it is parsed:
 * payload types are changed in place (same length) and auth method
 * attributes are patched. Everything here works on the raw bytes only and
 * never changes a length.
 */

#ifndef RSA_ENCR_WIRE_H_
#define RSA_ENCR_WIRE_H_

#include <library.h>

/** length of the ISAKMP header */
#define RSA_ENCR_WIRE_HEADER_LEN 28

/** most payloads a message may have for the walker */
#define RSA_ENCR_WIRE_MAX_PAYLOADS 32

/** most transforms of an SA payload handled */
#define RSA_ENCR_WIRE_MAX_TRANSFORMS 32

/**
 * Private-use payload types (RFC 2408 3.1: 128-255) the plugin renames
 * payloads to while charon parses a message: charon keeps them as unknown
 * payloads and does not check them. 130-132 are taken by NAT-D/NAT-OA
 * drafts and fragments, so these are far from them.
 */
enum {
	RSA_ENCR_TAG_ID = 0xf1,
	RSA_ENCR_TAG_NONCE = 0xf2,
	RSA_ENCR_TAG_HASH = 0xf3,
	RSA_ENCR_TAG_KE = 0xf4,
};

typedef struct rsa_encr_wire_payload_t rsa_encr_wire_payload_t;
typedef struct rsa_encr_wire_transform_t rsa_encr_wire_transform_t;

/**
 * A payload found in a raw message.
 */
struct rsa_encr_wire_payload_t {

	/** payload type */
	uint8_t type;

	/** offset of the byte that announces this payload's type: the next
	 *  payload field of the previous payload or of the ISAKMP header */
	size_t type_pos;

	/** offset of the generic payload header */
	size_t offset;

	/** length of the payload including its generic header */
	size_t length;
};

/**
 * An IKE transform of an SA payload found in a raw message.
 */
struct rsa_encr_wire_transform_t {

	/** number of the proposal the transform belongs to */
	uint8_t proposal;

	/** transform number */
	uint8_t number;

	/** authentication method (RFC 2409 appendix A), 0 if missing */
	uint16_t auth;

	/** offset of the auth method value (2 bytes), 0 if missing */
	size_t auth_pos;

	/** offset of the encryption algorithm value (2 bytes), 0 if missing */
	size_t encr_pos;
};

/**
 * Whether a raw message has the encryption flag set.
 *
 * @param msg		raw message
 * @return			TRUE if encrypted (or too short to tell)
 */
bool rsa_encr_wire_is_encrypted(chunk_t msg);

/**
 * Find the payloads of an unencrypted message.
 *
 * @param msg		raw message
 * @param out		receives the payloads in order
 * @param max		size of out
 * @return			number of payloads, -1 if the message is malformed,
 *					encrypted or has more than max payloads
 */
int rsa_encr_wire_walk(chunk_t msg, rsa_encr_wire_payload_t *out, int max);

/**
 * Give a payload another type, in place.
 *
 * @param msg		raw message
 * @param payload	payload found by rsa_encr_wire_walk()
 * @param type		new type
 */
void rsa_encr_wire_retag(chunk_t msg, rsa_encr_wire_payload_t *payload,
						 uint8_t type);

/**
 * The body of a payload (without its generic header).
 *
 * @param msg		raw message
 * @param payload	payload found by rsa_encr_wire_walk()
 * @return			body, pointing into msg
 */
chunk_t rsa_encr_wire_body(chunk_t msg, rsa_encr_wire_payload_t *payload);

/**
 * Find the IKE transforms of an SA payload (DOI IPsec, situation
 * identity only) and their auth method and encryption attributes.
 *
 * @param msg		raw message
 * @param sa		SA payload found by rsa_encr_wire_walk()
 * @param out		receives the transforms in order
 * @param max		size of out
 * @return			number of transforms, -1 if malformed or unsupported
 */
int rsa_encr_wire_sa_transforms(chunk_t msg, rsa_encr_wire_payload_t *sa,
								rsa_encr_wire_transform_t *out, int max);

/**
 * Read a 16-bit attribute value.
 *
 * @param msg		raw message
 * @param pos		offset of the value
 * @return			value
 */
uint16_t rsa_encr_wire_get16(chunk_t msg, size_t pos);

/**
 * Write a 16-bit attribute value.
 *
 * @param msg		raw message
 * @param pos		offset of the value
 * @param value		value to write
 */
void rsa_encr_wire_set16(chunk_t msg, size_t pos, uint16_t value);

/**
 * Encode a chain of payloads: each gets a generic header whose next
 * payload field names the type of the following one; the last one's is 0.
 * The first payload's own type is not part of the encoding (the previous
 * payload announces it).
 *
 * @param count		number of payloads
 * @param types		type of each payload
 * @param bodies	body of each payload
 * @param last_next	receives the offset of the last next payload field
 * @return			allocated encoding, chunk_empty if a body is too long
 */
chunk_t rsa_encr_wire_chain(int count, uint8_t types[], chunk_t bodies[],
							size_t *last_next);

#endif /** RSA_ENCR_WIRE_H_ @}*/
