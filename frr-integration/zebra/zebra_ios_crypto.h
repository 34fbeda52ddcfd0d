// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the module's main file offers its parts.
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#ifndef ZEBRA_IOS_CRYPTO_H
#define ZEBRA_IOS_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A setting from the module's load arguments, comma-separated key=value
 * pairs: "-M ios_crypto:vici=/path,vici-timeout=30,tunnel-device=adopt".
 * Each part of the module reads its own keys. Returns false if key is
 * absent or its value does not fit into size (it is refused, not cut).
 */
bool zebra_ios_crypto_module_arg(const char *key, char *value, size_t size);

#endif /* ZEBRA_IOS_CRYPTO_H */
