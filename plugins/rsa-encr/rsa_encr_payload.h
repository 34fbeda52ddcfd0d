/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/**
 * @defgroup rsa_encr_payload rsa_encr_payload
 * @{ @ingroup rsa_encr
 */

#ifndef RSA_ENCR_PAYLOAD_H_
#define RSA_ENCR_PAYLOAD_H_

#include <encoding/payloads/payload.h>
#include <encoding/payloads/ke_payload.h>

typedef struct rsa_encr_payload_t rsa_encr_payload_t;

/**
 * An outgoing payload (or chain of payloads) given as ready-made bytes.
 *
 * charon's generator decides from a payload's type whether a message must
 * be encrypted with the IKE SA's keys (an ID or HASH payload forces it),
 * and it writes each payload's type into the next payload field of the
 * payload before it. rsa-encr's message 3 carries ID and HASH(1) payloads
 * in the clear, before any key exists. So the plugin hands the generator
 * the KE payload and everything rsa-encr puts after it as one opaque
 * payload of type KE: its bytes are copied as they are, except the next
 * payload field of the last payload of the chain, which follows
 * set_next_type() like any payload's.
 */
struct rsa_encr_payload_t {

	/**
	 * Implements payload_t.
	 */
	payload_t payload_interface;

	/**
	 * Announce the type given as "after" to rsa_encr_payload_create_switching()
	 * from now on. Does nothing for other payloads.
	 */
	void (*switch_type)(rsa_encr_payload_t *this);

	/**
	 * Get a reference; payload_interface.destroy() releases one.
	 *
	 * @return			this, with one reference more
	 */
	rsa_encr_payload_t *(*get_ref)(rsa_encr_payload_t *this);
};

/**
 * Create a raw payload.
 *
 * @param type			type announced to the previous payload, i.e. the
 *						type of the first payload of the chain
 * @param encoding		generic header(s) and bodies, adopted
 * @param last_next		offset of the next payload field of the last
 *						payload in encoding
 * @return				payload
 */
rsa_encr_payload_t *rsa_encr_payload_create(payload_type_t type,
											chunk_t encoding, size_t last_next);

/**
 * Create a raw payload whose type changes once, when switch_type() is called.
 *
 * The revised mode's message 3 starts with HASH(1) when the initiator sends
 * it (RFC 2409 5.3), and charon encrypts every message holding a HASH
 * payload. The generator (message.c generate_message(), also on its
 * fragmenting path) reads the payload types twice: first to decide on
 * encryption, then to write the next payload fields starting with the
 * ISAKMP header's, and calls the keymat's get_aead(FALSE) in between. So
 * the payload announces "before" (the type that follows HASH(1), which
 * does not ask for encryption) during the check, and our keymat switches
 * it to "after" (HASH) in get_aead(FALSE): the header names HASH and the
 * message goes out in the clear.
 *
 * @param before		type announced until switch_type() is called
 * @param after			type announced from then on, the type of the first
 *						payload of the chain
 * @param encoding		generic header(s) and bodies, adopted
 * @param last_next		offset of the next payload field of the last
 *						payload in encoding
 * @return				payload
 */
rsa_encr_payload_t *rsa_encr_payload_create_switching(payload_type_t before,
								payload_type_t after, chunk_t encoding,
								size_t last_next);

/**
 * Callback giving the value of a received KE payload once it is known.
 *
 * @param data			data given to rsa_encr_payload_create_ke()
 * @return				KE value, owned by the callee
 */
typedef chunk_t (*rsa_encr_ke_value_t)(void *data);

/**
 * Create a received KE payload whose value is only computed when charon
 * asks for it. In the revised mode (RFC 2409 5.3) the KE payload is
 * encrypted with a key derived from the peer's RSA-encrypted nonce; this
 * defers the RSA decryption from the bus hook (which runs under charon's
 * bus lock) to the task that processes the message.
 *
 * @param method		key exchange method
 * @param value			callback giving the value
 * @param data			data for the callback
 * @return				KE payload
 */
ke_payload_t *rsa_encr_payload_create_ke(key_exchange_method_t method,
										 rsa_encr_ke_value_t value, void *data);

#endif /** RSA_ENCR_PAYLOAD_H_ @}*/
