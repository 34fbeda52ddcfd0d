// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The crypto configuration as charon runs it: swanctl connections over
 * VICI, key chain and rsa-encr marks as files charon's plugins read
 * (ios_crypto_charon.c).
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#ifndef IOS_CRYPTO_CHARON_H
#define IOS_CRYPTO_CHARON_H

#include <netinet/in.h>
#include <stdbool.h>

struct thread_master;
struct vty;
struct ios_isakmp_policy;
struct ios_transform_set;

/*
 * Start following the configuration (module arguments charon-dir=DIR,
 * rsa-keys=DIR); call after zebra_ios_vici_init().
 */
void ios_crypto_charon_init(struct thread_master *master);
void ios_crypto_charon_finish(void);

/* bring charon in line with the running configuration now */
void ios_crypto_charon_reconcile(void);

/* show crypto charon [json] */
void ios_crypto_charon_show(struct vty *vty, bool use_json);

/*
 * The first policy of the auth method the connection of a crypto map
 * entry ("MAP-SEQ") was loaded with; NULL if it is not loadable.
 */
const struct ios_isakmp_policy *ios_crypto_charon_conn_policy(const char *name);

/* charon's proposal keywords for IOS settings (static buffers) */
const char *ios_crypto_charon_ike_proposal(const struct ios_isakmp_policy *p);
const char *ios_crypto_charon_esp_proposal(const struct ios_transform_set *ts);
const char *ios_crypto_charon_ts(struct in_addr host);

#endif /* IOS_CRYPTO_CHARON_H */
