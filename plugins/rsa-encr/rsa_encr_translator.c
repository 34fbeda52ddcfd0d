/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "rsa_encr_translator.h"
#include "rsa_encr_config.h"
#include "rsa_encr_keymat.h"
#include "rsa_encr_payload.h"
#include "rsa_encr_wire.h"

#include <daemon.h>
#include <encoding/generator.h>
#include <encoding/parser.h>
#include <encoding/payloads/id_payload.h>
#include <encoding/payloads/ke_payload.h>
#include <encoding/payloads/nonce_payload.h>
#include <encoding/payloads/sa_payload.h>
#include <encoding/payloads/unknown_payload.h>

/** RFC 2409 appendix A: pre-shared key authentication */
#define WIRE_AUTH_PSK 1

typedef struct private_rsa_encr_translator_t private_rsa_encr_translator_t;

/**
 * Private data of a rsa_encr_translator_t object.
 */
struct private_rsa_encr_translator_t {

	/**
	 * Public interface
	 */
	rsa_encr_translator_t public;
};

/**
 * Whether we initiated the IKE_SA
 */
static bool is_initiator(ike_sa_t *ike_sa)
{
	ike_sa_id_t *id = ike_sa->get_id(ike_sa);

	return id->is_initiator(id);
}

/**
 * Is an auth method one of ours?
 */
static bool is_rsa_encr(uint16_t auth)
{
	return auth == RSA_ENCR_METHOD_ENC || auth == RSA_ENCR_METHOD_ENC_REV;
}

/**
 * Replace a payload of a message by another one.
 */
static void replace_payload(message_t *message, payload_t *old,
							payload_t *new)
{
	enumerator_t *enumerator;
	payload_t *current;

	enumerator = message->create_payload_enumerator(message);
	while (enumerator->enumerate(enumerator, &current))
	{
		if (current == old)
		{
			message->remove_payload_at(message, enumerator);
			current->destroy(current);
			break;
		}
	}
	enumerator->destroy(enumerator);
	if (new)
	{
		message->add_payload(message, new);
	}
}

/**
 * Outgoing message 1 or 2: put our auth method into every transform.
 */
static void send_sa(message_t *message, payload_t *sa, int method)
{
	rsa_encr_wire_transform_t transforms[RSA_ENCR_WIRE_MAX_TRANSFORMS];
	rsa_encr_wire_payload_t whole;
	rsa_encr_payload_t *raw;
	generator_t *generator;
	chunk_t encoding;
	uint32_t *lenpos;
	int count, i;

	generator = generator_create_no_dbg();
	generator->generate_payload(generator, sa);
	encoding = chunk_clone(generator->get_chunk(generator, &lenpos));
	generator->destroy(generator);

	whole = (rsa_encr_wire_payload_t){
		.type = PLV1_SECURITY_ASSOCIATION,
		.length = encoding.len,
	};
	count = rsa_encr_wire_sa_transforms(encoding, &whole, transforms,
										countof(transforms));
	if (count <= 0)
	{
		DBG1(DBG_ENC, "unable to put auth method %d into our SA payload",
			 method);
		chunk_free(&encoding);
		return;
	}
	for (i = 0; i < count; i++)
	{
		if (transforms[i].auth_pos && transforms[i].auth == WIRE_AUTH_PSK)
		{
			rsa_encr_wire_set16(encoding, transforms[i].auth_pos, method);
		}
	}
	raw = rsa_encr_payload_create(PLV1_SECURITY_ASSOCIATION, encoding, 0);
	replace_payload(message, sa, &raw->payload_interface);
}

/**
 * Outgoing message 3 or 4: KE, [HASH(1),] encrypted ID and nonce, as one
 * raw payload announced as KE.
 */
static void send_ke_nonce(ike_sa_t *ike_sa, rsa_encr_exchange_t *exchange,
						  message_t *message, ke_payload_t *ke,
						  nonce_payload_t *nonce)
{
	chunk_t bodies[4], hash1, id, encrypted_nonce, encrypted_ke, value;
	chunk_t encoding;
	uint8_t types[4];
	rsa_encr_payload_t *raw;
	size_t last_next;
	int count = 0;

	value = nonce->get_nonce(nonce);
	if (!exchange->encrypt_payloads(exchange, ike_sa, value,
									ke->get_key_exchange_data(ke), &hash1,
									&id, &encrypted_nonce, &encrypted_ke))
	{
		DBG1(DBG_IKE, "unable to encrypt our identity and nonce to the "
			 "peer's RSA key");
		chunk_clear(&value);
		return;
	}
	chunk_clear(&value);

	if (hash1.len)
	{
		types[count] = PLV1_HASH;
		bodies[count++] = hash1;
	}
	if (exchange->get_method(exchange) == RSA_ENCR_METHOD_ENC)
	{	/* KE, [HASH(1),] <IDi_b>PubKey_r, <Ni_b>PubKey_r (RFC 2409 5.2) */
		types[count] = PLV1_ID;
		bodies[count++] = id;
		types[count] = PLV1_NONCE;
		bodies[count++] = encrypted_nonce;
		memmove(&types[1], &types[0], count * sizeof(types[0]));
		memmove(&bodies[1], &bodies[0], count * sizeof(bodies[0]));
		types[0] = PLV1_KEY_EXCHANGE;
		bodies[0] = ke->get_key_exchange_data(ke);
		count++;
	}
	else
	{	/* [HASH(1),] <Ni_b>PubKey_r, <KE_b>Ke_i, <IDi_b>Ke_i (5.3) */
		types[count] = PLV1_NONCE;
		bodies[count++] = encrypted_nonce;
		types[count] = PLV1_KEY_EXCHANGE;
		bodies[count++] = encrypted_ke;
		types[count] = PLV1_ID;
		bodies[count++] = id;
	}
	encoding = rsa_encr_wire_chain(count, types, bodies, &last_next);
	chunk_free(&id);
	chunk_free(&encrypted_nonce);
	chunk_free(&encrypted_ke);
	if (!encoding.len)
	{
		return;
	}
	DBG2(DBG_IKE, "sending %s encrypted to the peer's RSA key%s",
		 exchange->get_method(exchange) == RSA_ENCR_METHOD_ENC
			? "identity and nonce" : "nonce (KE and identity with Ke)",
		 hash1.len ? ", with HASH(1)" : "");
	if (types[0] == PLV1_HASH)
	{	/* HASH(1) first (revised mode): announced as the nonce that
		 * follows it until charon has decided not to encrypt */
		raw = rsa_encr_payload_create_switching(types[1], types[0], encoding,
												last_next);
		if (!rsa_encr_keymat_switch_type_on_aead(ike_sa, raw))
		{
			raw->payload_interface.destroy(&raw->payload_interface);
			return;
		}
	}
	else
	{	/* the previous payload announces the first one of the chain */
		raw = rsa_encr_payload_create(types[0], encoding, last_next);
	}
	replace_payload(message, &nonce->payload_interface, NULL);
	replace_payload(message, &ke->payload_interface, &raw->payload_interface);
}

/**
 * Outgoing message 5 or 6: the identity went encrypted in message 3/4,
 * only HASH_I/HASH_R remain.
 */
static void send_auth(rsa_encr_exchange_t *exchange, message_t *message)
{
	enumerator_t *enumerator;
	payload_t *payload;
	chunk_t body;

	enumerator = message->create_payload_enumerator(message);
	while (enumerator->enumerate(enumerator, &payload))
	{
		if (payload->get_type(payload) == PLV1_ID)
		{
			body = ((id_payload_t*)payload)->get_encoded((id_payload_t*)payload);
			if (!chunk_equals(body, exchange->get_my_id(exchange)))
			{
				DBG1(DBG_IKE, "our ID payload differs from the encrypted one");
			}
			chunk_free(&body);
			message->remove_payload_at(message, enumerator);
			payload->destroy(payload);
		}
	}
	enumerator->destroy(enumerator);
}

/**
 * Start rsa-encr as initiator if our connection is marked for it.
 */
static void start_initiator(ike_sa_t *ike_sa, rsa_encr_exchange_t *exchange)
{
	peer_cfg_t *peer_cfg;
	int method;

	peer_cfg = ike_sa->get_peer_cfg(ike_sa);
	method = peer_cfg ? rsa_encr_config_get_method(peer_cfg) : 0;
	if (method && rsa_encr_config_check(peer_cfg))
	{
		DBG1(DBG_IKE, "authenticating with RSA encryption (IKEv1 auth "
			 "method %d)", method);
		exchange->start(exchange, method);
	}
}

/**
 * Outgoing message, before charon generates it.
 */
static void sending(ike_sa_t *ike_sa, rsa_encr_exchange_t *exchange,
					message_t *message)
{
	payload_t *sa, *ke, *nonce;
	int method;

	sa = message->get_payload(message, PLV1_SECURITY_ASSOCIATION);
	if (sa && is_initiator(ike_sa) && !exchange->get_method(exchange))
	{
		start_initiator(ike_sa, exchange);
	}
	method = exchange->get_method(exchange);
	if (!method)
	{
		return;
	}
	if (sa)
	{
		send_sa(message, sa, method);
		return;
	}
	ke = message->get_payload(message, PLV1_KEY_EXCHANGE);
	nonce = message->get_payload(message, PLV1_NONCE);
	if (ke && nonce)
	{
		send_ke_nonce(ike_sa, exchange, message, (ke_payload_t*)ke,
					  (nonce_payload_t*)nonce);
		return;
	}
	if (message->get_payload(message, PLV1_HASH))
	{
		send_auth(exchange, message);
	}
}

/**
 * Make a transform unacceptable to charon's proposal selection: an IKE
 * transform without a known encryption algorithm matches no proposal.
 */
static void disable_transform(chunk_t data, rsa_encr_wire_transform_t *t)
{
	if (t->encr_pos)
	{
		rsa_encr_wire_set16(data, t->encr_pos, 0);
	}
}

/**
 * The proposals charon makes of a received SA payload.
 */
static linked_list_t *parse_proposals(chunk_t data,
									  rsa_encr_wire_payload_t *sa)
{
	linked_list_t *proposals = NULL;
	payload_t *payload;
	parser_t *parser;

	parser = parser_create(chunk_create(data.ptr + sa->offset, sa->length));
	parser->set_major_version(parser, IKEV1_MAJOR_VERSION);
	if (parser->parse_payload(parser, PLV1_SECURITY_ASSOCIATION,
							  &payload) == SUCCESS)
	{
		if (payload->verify(payload) == SUCCESS)
		{
			proposals = ((sa_payload_t*)payload)->get_proposals(
														(sa_payload_t*)payload);
		}
		payload->destroy(payload);
	}
	parser->destroy(parser);
	return proposals;
}

/**
 * Whether our IKE config accepts the proposal charon made of a transform.
 */
static bool acceptable(ike_cfg_t *ike_cfg, linked_list_t *proposals,
					   rsa_encr_wire_transform_t *t)
{
	proposal_selection_flag_t flags = 0;
	proposal_t *proposal, *selected = NULL;
	enumerator_t *enumerator;
	linked_list_t *single;

	if (!lib->settings->get_bool(lib->settings, "%s.accept_private_algs",
								 FALSE, lib->ns))
	{
		flags |= PROPOSAL_SKIP_PRIVATE;
	}
	enumerator = proposals->create_enumerator(proposals);
	while (enumerator->enumerate(enumerator, &proposal))
	{
		if (proposal->get_number(proposal) == t->proposal &&
			proposal->get_transform_number(proposal) == t->number)
		{
			single = linked_list_create_with_items(proposal->clone(proposal, 0),
												   NULL);
			selected = ike_cfg->select_proposal(ike_cfg, single, flags);
			single->destroy_offset(single, offsetof(proposal_t, destroy));
			break;
		}
	}
	enumerator->destroy(enumerator);
	DESTROY_IF(selected);
	return selected != NULL;
}

/**
 * The connections between the addresses, in one pass (each backend
 * enumeration matches and sorts all connections, and this runs under the
 * bus lock): which methods have a usable marked connection, whether there
 * is an unmarked one, the marked ones by method, and the IKE config
 * charon takes for the addresses.
 */
static ike_cfg_t *scan_connections(host_t *me, host_t *other,
								   bool configured[], bool *unmarked,
								   linked_list_t *marked[])
{
	enumerator_t *enumerator;
	peer_cfg_t *peer_cfg;
	ike_cfg_t *ike_cfg = NULL;
	int method;

	enumerator = charon->backends->create_peer_cfg_enumerator(charon->backends,
											me, other, NULL, NULL, IKEV1);
	while (enumerator->enumerate(enumerator, &peer_cfg))
	{
		if (!ike_cfg)
		{	/* without identities the list is sorted by how well the
			 * addresses match, in backend order otherwise: the first one's
			 * IKE config is what charon's get_ike_cfg() finds */
			ike_cfg = peer_cfg->get_ike_cfg(peer_cfg);
			ike_cfg = ike_cfg->get_ref(ike_cfg);
		}
		method = rsa_encr_config_get_method(peer_cfg);
		if (!is_rsa_encr(method))
		{
			*unmarked = TRUE;
			continue;
		}
		if (!configured[method] && rsa_encr_config_check(peer_cfg))
		{
			configured[method] = TRUE;
		}
		if (!marked[method])
		{
			marked[method] = linked_list_create();
		}
		marked[method]->insert_last(marked[method], peer_cfg->get_ref(peer_cfg));
	}
	enumerator->destroy(enumerator);
	return ike_cfg;
}

/**
 * Release the lists of marked connections scan_connections() left
 */
static void destroy_marked(linked_list_t *marked[])
{
	int method;

	for (method = RSA_ENCR_METHOD_ENC; method <= RSA_ENCR_METHOD_ENC_REV;
		 method++)
	{
		DESTROY_OFFSET_IF(marked[method], offsetof(peer_cfg_t, destroy));
	}
}

/**
 * Received message 1 (responder): pick the auth method from the
 * initiator's transforms (IOS sends one per "crypto isakmp policy") and
 * leave charon only the transforms of that method, all saying PSK if it
 * is rsa-encr. charon reads the auth method of the first transform only
 * and selects a transform by algorithms only.
 */
static void receive_sa_r(rsa_encr_exchange_t *exchange, message_t *message,
						 chunk_t data, rsa_encr_wire_payload_t *sa)
{
	rsa_encr_wire_transform_t t[RSA_ENCR_WIRE_MAX_TRANSFORMS];
	bool configured[RSA_ENCR_METHOD_ENC_REV + 1] = {}, unmarked = FALSE;
	bool has_rsa = FALSE;
	linked_list_t *marked[RSA_ENCR_METHOD_ENC_REV + 1] = {};
	linked_list_t *proposals;
	host_t *me, *other;
	ike_cfg_t *ike_cfg;
	uint16_t chosen = 0, wire;
	int count, i;

	count = rsa_encr_wire_sa_transforms(data, sa, t, countof(t));
	if (count < 0)
	{
		DBG1(DBG_ENC, "unable to read the transforms of the SA payload");
		return;
	}
	for (i = 0; i < count; i++)
	{
		has_rsa = has_rsa || is_rsa_encr(t[i].auth);
	}
	if (!has_rsa)
	{
		return;
	}
	me = message->get_destination(message);
	other = message->get_source(message);
	ike_cfg = scan_connections(me, other, configured, &unmarked, marked);
	proposals = parse_proposals(data, sa);
	if (!ike_cfg || !proposals)
	{
		DBG1(DBG_IKE, "%s, ignoring the RSA encryption proposal",
			 ike_cfg ? "unable to parse the SA payload" : "no IKE config");
		DESTROY_IF(ike_cfg);
		if (proposals)
		{
			proposals->destroy_offset(proposals, offsetof(proposal_t, destroy));
		}
		destroy_marked(marked);
		return;
	}
	for (i = 0; i < count && !chosen; i++)
	{
		if ((is_rsa_encr(t[i].auth) ? configured[t[i].auth] : unmarked) &&
			acceptable(ike_cfg, proposals, &t[i]))
		{
			chosen = t[i].auth;
		}
	}
	ike_cfg->destroy(ike_cfg);
	proposals->destroy_offset(proposals, offsetof(proposal_t, destroy));

	if (is_rsa_encr(chosen))
	{
		DBG1(DBG_IKE, "%H proposes RSA encryption authentication (IKEv1 "
			 "auth method %d), accepted", other, chosen);
		exchange->start(exchange, chosen);
		exchange->set_candidates(exchange, marked[chosen]);
		marked[chosen] = NULL;
	}
	else if (chosen)
	{
		DBG1(DBG_IKE, "%H proposes RSA encryption and other authentication, "
			 "taking IKEv1 auth method %d", other, chosen);
	}
	else if (!configured[RSA_ENCR_METHOD_ENC] &&
			 !configured[RSA_ENCR_METHOD_ENC_REV])
	{
		DBG1(DBG_IKE, "%H proposes RSA encryption authentication, but no "
			 "connection between %H and %H is marked rsa-encr", other, me,
			 other);
	}
	else
	{
		DBG1(DBG_IKE, "%H proposes RSA encryption authentication, but none "
			 "of its transforms is acceptable", other);
	}

	destroy_marked(marked);

	/* charon saves the SA payload as received for HASH_I/HASH_R, so the
	 * original goes back after parsing */
	exchange->keep_original(exchange, chunk_create(data.ptr + sa->offset,
										sa->length), sa->offset);
	if (chosen)
	{
		wire = is_rsa_encr(chosen) ? WIRE_AUTH_PSK : chosen;
	}
	else
	{	/* charon gets what it would have got without the rsa-encr ones */
		wire = WIRE_AUTH_PSK;
		for (i = count - 1; i >= 0; i--)
		{
			wire = is_rsa_encr(t[i].auth) ? wire : t[i].auth;
		}
	}
	for (i = 0; i < count; i++)
	{
		if (chosen ? t[i].auth != chosen : is_rsa_encr(t[i].auth))
		{
			disable_transform(data, &t[i]);
			if (t[i].auth_pos)
			{
				rsa_encr_wire_set16(data, t[i].auth_pos, wire);
			}
		}
		else if (t[i].auth_pos && chosen)
		{
			rsa_encr_wire_set16(data, t[i].auth_pos, wire);
		}
	}
}

/**
 * Received message 2 (initiator): the responder must have taken our
 * method; charon gets PSK.
 */
static void receive_sa_i(rsa_encr_exchange_t *exchange, chunk_t data,
						 rsa_encr_wire_payload_t *sa)
{
	rsa_encr_wire_transform_t t[RSA_ENCR_WIRE_MAX_TRANSFORMS];
	int count, i, method;

	method = exchange->get_method(exchange);
	count = rsa_encr_wire_sa_transforms(data, sa, t, countof(t));
	for (i = 0; i < count; i++)
	{
		if (t[i].auth != method)
		{
			DBG1(DBG_IKE, "responder chose IKEv1 auth method %d, but we "
				 "proposed RSA encryption (%d) only", t[i].auth, method);
			disable_transform(data, &t[i]);
		}
		if (t[i].auth_pos)
		{
			rsa_encr_wire_set16(data, t[i].auth_pos, WIRE_AUTH_PSK);
		}
	}
}

/**
 * Received message 3 or 4: rename the encrypted payloads so that charon's
 * parser keeps them as unknown ones, and keep their bodies.
 */
static void receive_ke_nonce(rsa_encr_exchange_t *exchange, message_t *message,
							 chunk_t data, rsa_encr_wire_payload_t *payloads,
							 int count)
{
	chunk_t hash1 = chunk_empty, id = chunk_empty, nonce = chunk_empty;
	chunk_t ke = chunk_empty;
	bool revised;
	int i;

	revised = exchange->get_method(exchange) == RSA_ENCR_METHOD_ENC_REV;
	for (i = 0; i < count; i++)
	{
		switch (payloads[i].type)
		{
			case PLV1_ID:
				id = id.len ? id : rsa_encr_wire_body(data, &payloads[i]);
				rsa_encr_wire_retag(data, &payloads[i], RSA_ENCR_TAG_ID);
				break;
			case PLV1_NONCE:
				nonce = nonce.len ? nonce
								  : rsa_encr_wire_body(data, &payloads[i]);
				rsa_encr_wire_retag(data, &payloads[i], RSA_ENCR_TAG_NONCE);
				break;
			case PLV1_HASH:
				hash1 = hash1.len ? hash1
								  : rsa_encr_wire_body(data, &payloads[i]);
				rsa_encr_wire_retag(data, &payloads[i], RSA_ENCR_TAG_HASH);
				break;
			case PLV1_KEY_EXCHANGE:
				if (revised)
				{
					ke = ke.len ? ke : rsa_encr_wire_body(data, &payloads[i]);
					rsa_encr_wire_retag(data, &payloads[i], RSA_ENCR_TAG_KE);
				}
				break;
			default:
				break;
		}
	}
	exchange->set_received(exchange, hash1, id, nonce, ke);
	if (count && payloads[0].type >= RSA_ENCR_TAG_ID)
	{	/* charon read the type of the first payload with the header
		 * already, read the renamed one again (same bytes otherwise) */
		message->parse_header(message);
	}
}

/**
 * Received message, before charon parses it.
 */
static void received_raw(ike_sa_t *ike_sa, rsa_encr_exchange_t *exchange,
						 message_t *message)
{
	rsa_encr_wire_payload_t payloads[RSA_ENCR_WIRE_MAX_PAYLOADS];
	chunk_t data;
	bool ke = FALSE;
	int count, i;

	data = message->get_packet_data(message);
	count = rsa_encr_wire_walk(data, payloads, countof(payloads));
	for (i = 0; i < count; i++)
	{
		if (payloads[i].type == PLV1_SECURITY_ASSOCIATION)
		{
			if (!is_initiator(ike_sa))
			{
				receive_sa_r(exchange, message, data, &payloads[i]);
			}
			else if (exchange->get_method(exchange))
			{
				receive_sa_i(exchange, data, &payloads[i]);
			}
			return;
		}
		ke = ke || payloads[i].type == PLV1_KEY_EXCHANGE;
	}
	if (ke && exchange->get_method(exchange))
	{
		receive_ke_nonce(exchange, message, data, payloads, count);
	}
}

/**
 * The decrypted KE value of the revised mode, for the deferred KE payload
 */
static chunk_t get_peer_ke(rsa_encr_exchange_t *exchange)
{
	return exchange->get_peer_ke(exchange);
}

/**
 * Remove the payloads renamed by receive_ke_nonce() and give charon a
 * nonce payload instead (and a KE payload in the revised mode). Its value is only known once the RSA work is
 * done in the keymat: the responder fills it in before charon reads it,
 * the initiator's keymat uses the decrypted nonce directly.
 */
static bool receive_parsed_ke_nonce(ike_sa_t *ike_sa,
									rsa_encr_exchange_t *exchange,
									message_t *message)
{
	enumerator_t *enumerator;
	payload_t *payload;
	nonce_payload_t *nonce;
	ke_payload_t *ke;
	unknown_payload_t *unknown;
	proposal_t *proposal;
	uint16_t group = 0;
	bool ours = FALSE;

	enumerator = message->create_payload_enumerator(message);
	while (enumerator->enumerate(enumerator, &payload))
	{
		if (payload->get_type(payload) != PL_UNKNOWN)
		{
			continue;
		}
		unknown = (unknown_payload_t*)payload;
		switch ((int)unknown->get_type(unknown))
		{
			case RSA_ENCR_TAG_ID:
			case RSA_ENCR_TAG_NONCE:
			case RSA_ENCR_TAG_HASH:
			case RSA_ENCR_TAG_KE:
				message->remove_payload_at(message, enumerator);
				payload->destroy(payload);
				ours = TRUE;
				break;
			default:
				break;
		}
	}
	enumerator->destroy(enumerator);
	if (!ours && !message->get_payload(message, PLV1_KEY_EXCHANGE))
	{
		return FALSE;
	}

	if (!message->get_payload(message, PLV1_NONCE))
	{
		nonce = nonce_payload_create(PLV1_NONCE);
		nonce->set_nonce(nonce, chunk_empty);
		if (!is_initiator(ike_sa))
		{
			exchange->set_nonce_payload(exchange, nonce);
		}
		message->add_payload(message, &nonce->payload_interface);
	}
	if (exchange->get_method(exchange) == RSA_ENCR_METHOD_ENC_REV &&
		!message->get_payload(message, PLV1_KEY_EXCHANGE))
	{
		proposal = ike_sa->get_proposal(ike_sa);
		if (proposal)
		{
			proposal->get_algorithm(proposal, KEY_EXCHANGE_METHOD, &group,
									NULL);
		}
		ke = rsa_encr_payload_create_ke(group, (void*)get_peer_ke, exchange);
		message->add_payload(message, &ke->payload_interface);
	}
	return TRUE;
}

/**
 * Received message 5 or 6: give charon the identity that came encrypted
 * in message 3/4, and only that one.
 */
static void receive_parsed_auth(rsa_encr_exchange_t *exchange,
								message_t *message)
{
	enumerator_t *enumerator;
	payload_t *payload;
	parser_t *parser;
	chunk_t body, raw;

	enumerator = message->create_payload_enumerator(message);
	while (enumerator->enumerate(enumerator, &payload))
	{
		if (payload->get_type(payload) == PLV1_ID)
		{
			DBG1(DBG_IKE, "ignoring an ID payload sent with HASH_I/HASH_R");
			message->remove_payload_at(message, enumerator);
			payload->destroy(payload);
		}
	}
	enumerator->destroy(enumerator);

	body = exchange->get_peer_id(exchange);
	if (!body.len)
	{
		return;
	}
	raw = chunk_alloc(4 + body.len);
	raw.ptr[0] = PL_NONE;
	raw.ptr[1] = 0;
	htoun16(raw.ptr + 2, raw.len);
	memcpy(raw.ptr + 4, body.ptr, body.len);
	parser = parser_create(raw);
	if (parser->parse_payload(parser, PLV1_ID, &payload) == SUCCESS)
	{
		message->add_payload(message, payload);
	}
	parser->destroy(parser);
	chunk_free(&raw);
}

/**
 * Received message, parsed and decrypted, before charon processes it.
 */
static void received_parsed(ike_sa_t *ike_sa, rsa_encr_exchange_t *exchange,
							message_t *message)
{
	if (message->get_payload(message, PLV1_SECURITY_ASSOCIATION))
	{
		exchange->restore_original(exchange,
								   message->get_packet_data(message));
		return;
	}
	if (!exchange->get_method(exchange))
	{
		return;
	}
	if (message->get_payload(message, PLV1_HASH))
	{
		receive_parsed_auth(exchange, message);
	}
	else
	{
		receive_parsed_ke_nonce(ike_sa, exchange, message);
	}
}

METHOD(listener_t, message_hook, bool,
	private_rsa_encr_translator_t *this, ike_sa_t *ike_sa, message_t *message,
	bool incoming, bool plain)
{
	rsa_encr_exchange_t *exchange;

	if (message->get_exchange_type(message) != ID_PROT)
	{
		return TRUE;
	}
	exchange = rsa_encr_keymat_get_exchange(ike_sa);
	if (!exchange)
	{
		return TRUE;
	}
	if (incoming)
	{
		if (plain)
		{
			received_parsed(ike_sa, exchange, message);
		}
		else
		{
			received_raw(ike_sa, exchange, message);
		}
	}
	else if (plain)
	{
		sending(ike_sa, exchange, message);
	}
	return TRUE;
}

METHOD(listener_t, authorize, bool,
	private_rsa_encr_translator_t *this, ike_sa_t *ike_sa, bool final,
	bool *success)
{
	rsa_encr_exchange_t *exchange;
	identification_t *other_id;
	public_key_t *key;
	peer_cfg_t *peer_cfg;
	int method, marked;

	exchange = rsa_encr_keymat_get_exchange(ike_sa);
	if (final || !exchange)
	{
		return TRUE;
	}
	method = exchange->get_method(exchange);
	peer_cfg = ike_sa->get_peer_cfg(ike_sa);
	marked = peer_cfg ? rsa_encr_config_get_method(peer_cfg) : 0;
	if (!method)
	{
		if (marked)
		{
			DBG1(DBG_IKE, "connection '%s' requires RSA encryption "
				 "authentication, the peer did not use it",
				 peer_cfg->get_name(peer_cfg));
			*success = FALSE;
		}
		return TRUE;
	}
	other_id = ike_sa->get_other_id(ike_sa);
	key = exchange->get_peer_key(exchange);
	if (marked != method || exchange->has_failed(exchange) || !key ||
		!exchange->get_peer_identity(exchange) ||
		!other_id->equals(other_id, exchange->get_peer_identity(exchange)) ||
		!rsa_encr_config_key_bound(key, other_id))
	{
		DBG1(DBG_IKE, "RSA encryption authentication of '%Y' not "
			 "accepted", other_id);
		*success = FALSE;
		return TRUE;
	}
	DBG1(DBG_IKE, "authentication of '%Y' with RSA encryption (IKEv1 auth "
		 "method %d, %d bit key) successful", other_id, method,
		 key->get_keysize(key));
	return TRUE;
}

METHOD(rsa_encr_translator_t, destroy, void,
	private_rsa_encr_translator_t *this)
{
	free(this);
}

/*
 * Described in header
 */
rsa_encr_translator_t *rsa_encr_translator_create()
{
	private_rsa_encr_translator_t *this;

	INIT(this,
		.public = {
			.listener = {
				.message = _message_hook,
				.authorize = _authorize,
			},
			.destroy = _destroy,
		},
	);
	return &this->public;
}
