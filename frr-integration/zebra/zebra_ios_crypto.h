// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the parts of the zebra module share about the module itself.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#ifndef ZEBRA_IOS_CRYPTO_H
#define ZEBRA_IOS_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A setting from the module's load arguments, comma-separated key=value
 * pairs: "-M ios_crypto:vici=/path,charon-dir=/run/x". Each part of the
 * module reads its own keys. False if the key is absent, or if its value
 * does not fit into 'size' bytes (refused, never cut).
 */
bool ios_crypto_module_arg(const char *key, char *value, size_t size);

#endif /* ZEBRA_IOS_CRYPTO_H */
