/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "rsa_encr_payload.h"

typedef struct private_rsa_encr_payload_t private_rsa_encr_payload_t;

/**
 * Private data of a rsa_encr_payload_t object.
 */
struct private_rsa_encr_payload_t {

	/**
	 * Public interface
	 */
	rsa_encr_payload_t public;

	/**
	 * Type announced, the type of the first payload in the encoding once
	 * switched
	 */
	payload_type_t type;

	/**
	 * Type announced after switch_type()
	 */
	payload_type_t after;

	/**
	 * Offset of the next payload field of the last payload
	 */
	size_t last_next;

	/**
	 * Generic header(s) and bodies
	 */
	chunk_t encoding;

	/**
	 * References: the message's and a keymat's waiting to switch the type
	 */
	refcount_t ref;
};

/**
 * The generator copies the whole encoding as one data field.
 */
static encoding_rule_t encodings[] = {
	{ CHUNK_DATA,	offsetof(private_rsa_encr_payload_t, encoding)	},
};

METHOD(payload_t, verify, status_t,
	private_rsa_encr_payload_t *this)
{
	return SUCCESS;
}

METHOD(payload_t, get_encoding_rules, int,
	private_rsa_encr_payload_t *this, encoding_rule_t **rules)
{
	*rules = encodings;
	return countof(encodings);
}

METHOD(payload_t, get_header_length, int,
	private_rsa_encr_payload_t *this)
{
	return 4;
}

METHOD(payload_t, get_type, payload_type_t,
	private_rsa_encr_payload_t *this)
{
	return this->type;
}

METHOD(payload_t, get_next_type, payload_type_t,
	private_rsa_encr_payload_t *this)
{
	return this->encoding.ptr[this->last_next];
}

METHOD(payload_t, set_next_type, void,
	private_rsa_encr_payload_t *this, payload_type_t type)
{
	this->encoding.ptr[this->last_next] = type;
}

METHOD(payload_t, get_length, size_t,
	private_rsa_encr_payload_t *this)
{
	return this->encoding.len;
}

METHOD(rsa_encr_payload_t, switch_type, void,
	private_rsa_encr_payload_t *this)
{
	this->type = this->after;
}

METHOD(rsa_encr_payload_t, get_ref, rsa_encr_payload_t*,
	private_rsa_encr_payload_t *this)
{
	ref_get(&this->ref);
	return &this->public;
}

METHOD(payload_t, destroy, void,
	private_rsa_encr_payload_t *this)
{
	if (ref_put(&this->ref))
	{
		chunk_free(&this->encoding);
		free(this);
	}
}

/*
 * Described in header
 */
rsa_encr_payload_t *rsa_encr_payload_create_switching(payload_type_t before,
								payload_type_t after, chunk_t encoding,
								size_t last_next)
{
	private_rsa_encr_payload_t *this;

	INIT(this,
		.public = {
			.payload_interface = {
				.verify = _verify,
				.get_encoding_rules = _get_encoding_rules,
				.get_header_length = _get_header_length,
				.get_length = _get_length,
				.get_next_type = _get_next_type,
				.set_next_type = _set_next_type,
				.get_type = _get_type,
				.destroy = _destroy,
			},
			.switch_type = _switch_type,
			.get_ref = _get_ref,
		},
		.type = before,
		.after = after,
		.encoding = encoding,
		.last_next = last_next,
		.ref = 1,
	);
	return &this->public;
}

/*
 * Described in header
 */
rsa_encr_payload_t *rsa_encr_payload_create(payload_type_t type,
											chunk_t encoding, size_t last_next)
{
	return rsa_encr_payload_create_switching(type, type, encoding, last_next);
}

typedef struct private_ke_payload_t private_ke_payload_t;

/**
 * A received KE payload with a deferred value
 */
struct private_ke_payload_t {

	/**
	 * Public interface
	 */
	ke_payload_t public;

	/**
	 * Key exchange method
	 */
	key_exchange_method_t method;

	/**
	 * Gives the value
	 */
	rsa_encr_ke_value_t value;

	/**
	 * Data for value
	 */
	void *data;

	/**
	 * The value, once asked for (not owned)
	 */
	chunk_t ke;

	/**
	 * Next payload type
	 */
	uint8_t next;
};

/**
 * Only the value, should anybody generate the payload
 */
static encoding_rule_t ke_encodings[] = {
	{ CHUNK_DATA,	offsetof(private_ke_payload_t, ke)	},
};

METHOD(payload_t, ke_get_encoding_rules, int,
	private_ke_payload_t *this, encoding_rule_t **rules)
{
	*rules = ke_encodings;
	return countof(ke_encodings);
}

METHOD(payload_t, ke_get_type, payload_type_t,
	private_ke_payload_t *this)
{
	return PLV1_KEY_EXCHANGE;
}

METHOD(payload_t, ke_get_next_type, payload_type_t,
	private_ke_payload_t *this)
{
	return this->next;
}

METHOD(payload_t, ke_set_next_type, void,
	private_ke_payload_t *this, payload_type_t type)
{
	this->next = type;
}

METHOD(ke_payload_t, ke_get_key_exchange_data, chunk_t,
	private_ke_payload_t *this)
{
	if (!this->ke.ptr)
	{
		this->ke = this->value(this->data);
	}
	return this->ke;
}

METHOD(payload_t, ke_get_length, size_t,
	private_ke_payload_t *this)
{
	return 4 + this->ke.len;
}

METHOD(ke_payload_t, ke_get_key_exchange_method, key_exchange_method_t,
	private_ke_payload_t *this)
{
	return this->method;
}

METHOD2(payload_t, ke_payload_t, ke_destroy, void,
	private_ke_payload_t *this)
{
	free(this);
}

/*
 * Described in header
 */
ke_payload_t *rsa_encr_payload_create_ke(key_exchange_method_t method,
										 rsa_encr_ke_value_t value, void *data)
{
	private_ke_payload_t *this;

	INIT(this,
		.public = {
			.payload_interface = {
				.verify = _verify,
				.get_encoding_rules = _ke_get_encoding_rules,
				.get_header_length = _get_header_length,
				.get_length = _ke_get_length,
				.get_next_type = _ke_get_next_type,
				.set_next_type = _ke_set_next_type,
				.get_type = _ke_get_type,
				.destroy = _ke_destroy,
			},
			.get_key_exchange_data = _ke_get_key_exchange_data,
			.get_key_exchange_method = _ke_get_key_exchange_method,
			.destroy = _ke_destroy,
		},
		.method = method,
		.value = value,
		.data = data,
	);
	return &this->public;
}
