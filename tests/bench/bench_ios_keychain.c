/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Benchmark: load IOS key chains of growing size into the ios-keychain
 * store and look keys up by identity, as charon does.
 *
 * Prints seconds for each load and nanoseconds per lookup, and the ratio of
 * each lookup cost to the smallest chain's, measured in the same run: a
 * lookup that does not grow with the number of keys stays near 1.0x.
 *
 * Usage: bench_ios_keychain [MAX_KEYS]   (default 10000)
 */

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <library.h>
#include <utils/debug.h>

#include "ios_keychain.h"
#include "ios_keychain_loader.h"
#include "ios_keychain_store.h"

/** distinct RSA keys, reused under many identities (generation is slow) */
#define BASE_KEYS 16

/** lookups per measurement */
#define LOOKUPS 200000

static double now()
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/**
 * Key data of BASE_KEYS fresh 1024-bit keys, formatted as IOS key-strings.
 */
static bool make_base_keys(char *hex[BASE_KEYS])
{
	private_key_t *key;
	public_key_t *public;
	chunk_t der;
	int i;

	for (i = 0; i < BASE_KEYS; i++)
	{
		key = lib->creds->create(lib->creds, CRED_PRIVATE_KEY, KEY_RSA,
								 BUILD_KEY_SIZE, 1024, BUILD_END);
		if (!key)
		{
			return FALSE;
		}
		public = key->get_public_key(key);
		public->get_encoding(public, PUBKEY_SPKI_ASN1_DER, &der);
		hex[i] = ios_keychain_format_hex(der.ptr, der.len);
		chunk_free(&der);
		public->destroy(public);
		key->destroy(key);
	}
	return TRUE;
}

static void write_chain(char *path, int count, char *hex[BASE_KEYS])
{
	FILE *f = fopen(path, "w");
	int i;

	fprintf(f, "crypto key pubkey-chain rsa\n");
	for (i = 0; i < count; i++)
	{
		fprintf(f, " named-key r%d.bench.example\n  address 10.%d.%d.%d\n"
				"  key-string\n%s  quit\n", i, (i >> 16) & 0xff,
				(i >> 8) & 0xff, i & 0xff, hex[i % BASE_KEYS]);
	}
	fclose(f);
}

/**
 * Nanoseconds per lookup of a random present identity, half by name and
 * half by address.
 */
static double lookup_cost(ios_keychain_store_t *store, int count)
{
	identification_t *ids[1024];
	enumerator_t *enumerator;
	certificate_t *cert;
	char name[64];
	double start;
	int i, found = 0, n;

	for (i = 0; i < countof(ids); i++)
	{
		n = random() % count;
		if (i % 2)
		{
			snprintf(name, sizeof(name), "r%d.bench.example", n);
		}
		else
		{
			snprintf(name, sizeof(name), "10.%d.%d.%d", (n >> 16) & 0xff,
					 (n >> 8) & 0xff, n & 0xff);
		}
		ids[i] = identification_create_from_string(name);
	}
	start = now();
	for (i = 0; i < LOOKUPS; i++)
	{
		enumerator = store->set.create_cert_enumerator(&store->set,
							CERT_ANY, KEY_RSA, ids[i % countof(ids)], TRUE);
		found += enumerator->enumerate(enumerator, &cert);
		enumerator->destroy(enumerator);
	}
	start = now() - start;
	for (i = 0; i < countof(ids); i++)
	{
		ids[i]->destroy(ids[i]);
	}
	if (found != LOOKUPS)
	{
		fprintf(stderr, "bench: %d of %d lookups failed\n", LOOKUPS - found,
				LOOKUPS);
	}
	return start * 1e9 / LOOKUPS;
}

int main(int argc, char *argv[])
{
	int sizes[] = { 100, 1000, 10000, 0 }, max = argc > 1 ? atoi(argv[1]) : 10000;
	char *hex[BASE_KEYS], dir[] = "/tmp/bench-ios-keychain.XXXXXX", path[128];
	ios_keychain_store_t *store;
	ios_keychain_loader_t *loader;
	double baseline = 0, cost, start, load;
	int i;

	dbg_default_set_level(-1);
	if (!library_init(NULL, "bench-ios-keychain") ||
		!lib->plugins->load(lib->plugins,
				"random nonce sha1 sha2 pem pkcs1 pubkey gmp openssl"))
	{
		fprintf(stderr, "bench: cannot initialize libstrongswan\n");
		return 1;
	}
	printf("generating %d base RSA keys...\n", BASE_KEYS);
	if (!make_base_keys(hex) || !mkdtemp(dir))
	{
		fprintf(stderr, "bench: setup failed\n");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/chain.cfg", dir);
	printf("%8s %10s %12s %10s\n", "keys", "load [s]", "lookup [ns]", "ratio");
	for (i = 0; sizes[i] && sizes[i] <= max; i++)
	{
		write_chain(path, sizes[i], hex);
		store = ios_keychain_store_create();
		loader = ios_keychain_loader_create(store);
		start = now();
		loader->load(loader, path);
		load = now() - start;
		cost = lookup_cost(store, sizes[i]);
		baseline = baseline ?: cost;
		printf("%8u %10.3f %12.0f %9.2fx\n", store->get_key_count(store),
			   load, cost, cost / baseline);
		fflush(stdout);
		loader->destroy(loader);
		store->destroy(store);
	}
	unlink(path);
	rmdir(dir);
	for (i = 0; i < BASE_KEYS; i++)
	{
		free(hex[i]);
	}
	library_deinit();
	return 0;
}
