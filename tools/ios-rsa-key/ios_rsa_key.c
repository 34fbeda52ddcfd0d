/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

/*
 * ios-rsa-key: the RSA key exchange an IOS user does by hand, for keys in
 * swanctl's key store.
 *
 *   show         like "show crypto key mypubkey rsa"
 *   chain-entry  a named-key/addressed-key block for the peer's chain
 *   to-pem       an IOS key-string as a PEM public key
 *   generate     like "crypto key generate rsa"
 *
 * The crypto is strongSwan's (libstrongswan and its plugins), the IOS text
 * is the suite's one parser and formatter (lib/ios-keychain).
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <library.h>
#include <utils/debug.h>

#include "ios_keychain.h"

/** what the tool needs: key parsing, PEM, generation, fingerprints */
#define DEFAULT_PLUGINS "random nonce sha1 sha2 md5 pem pkcs1 pkcs8 gmp openssl"

/** swanctl's store of RSA private keys */
#define DEFAULT_KEY_DIR "/etc/swanctl/rsa"

/** "crypto key generate rsa" modulus when none is given */
#define DEFAULT_MODULUS 2048

/** file name suffixes that say a key's usage, as written by generate */
#define SUFFIX_SIGNATURE ".signature"
#define SUFFIX_ENCRYPTION ".encryption"

static void usage(FILE *out)
{
	fprintf(out,
"Usage: ios-rsa-key COMMAND [OPTIONS]\n"
"\n"
"Exchange RSA public keys with Cisco IOS peers, for keys in swanctl's store.\n"
"\n"
"Commands:\n"
"  show [--dir DIR] [KEYFILE...]\n"
"      print our public keys as \"show crypto key mypubkey rsa\" does: every\n"
"      key of DIR (default " DEFAULT_KEY_DIR ") or the given files (PEM or\n"
"      DER private keys). NAME.signature.pem and NAME.encryption.pem are the\n"
"      two keys of \"usage-keys\", anything else is a general purpose key.\n"
"  chain-entry (--named NAME | --addressed ADDRESS) [--address ADDRESS]...\n"
"              [--usage encryption|signature] KEYFILE\n"
"      print the named-key/addressed-key block the peer pastes into its\n"
"      \"crypto key pubkey-chain rsa\" (KEYFILE: our private or public key)\n"
"  to-pem [FILE]\n"
"      read a key-string (bare hex lines, or a whole key chain block) from\n"
"      FILE or standard input, print it as a PEM public key\n"
"  generate [general-keys|usage-keys] [--modulus BITS] [--label NAME]\n"
"           [--dir DIR] [--force]\n"
"      like \"crypto key generate rsa\": a general purpose key pair (NAME.pem)\n"
"      or separate signature and encryption pairs (NAME.signature.pem,\n"
"      NAME.encryption.pem) in DIR (default " DEFAULT_KEY_DIR "); modulus %d\n"
"      to %d bits, default %d; NAME defaults to the host's name\n"
"\n"
"Options:\n"
"  -h, --help   this text\n", IOS_KEYCHAIN_MIN_BITS, IOS_KEYCHAIN_MAX_BITS,
		DEFAULT_MODULUS);
}

static int fail(const char *fmt, ...)
{
	va_list args;

	fprintf(stderr, "ios-rsa-key: ");
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fprintf(stderr, "\n");
	return 1;
}

/**
 * Print DER as IOS prints key data: one space indent, 8 groups a line.
 */
static bool print_key_data(chunk_t der, const char *indent)
{
	char *text, *line, *next;

	text = ios_keychain_format_hex(der.ptr, der.len);
	if (!text)
	{
		return FALSE;
	}
	/* the library indents for the running-config; IOS's show indents less */
	for (line = text; *line; line = next)
	{
		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		while (*line == ' ')
		{
			line++;
		}
		printf("%s%.*s", indent, (int)(next - line), line);
	}
	free(text);
	return TRUE;
}

/**
 * Load a key file as public key: a private key (PEM/DER) or a public one.
 */
static public_key_t *load_public(char *file)
{
	private_key_t *private;
	public_key_t *public;

	private = lib->creds->create(lib->creds, CRED_PRIVATE_KEY, KEY_ANY,
								 BUILD_FROM_FILE, file, BUILD_END);
	if (private)
	{
		public = private->get_public_key(private);
		private->destroy(private);
		return public;
	}
	return lib->creds->create(lib->creds, CRED_PUBLIC_KEY, KEY_ANY,
							  BUILD_FROM_FILE, file, BUILD_END);
}

/**
 * The key name and usage a file name stands for.
 */
static void name_from_file(char *file, char *name, size_t len,
						   ios_key_usage_t *usage)
{
	char *base = strrchr(file, '/'), *dot;

	snprintf(name, len, "%s", base ? base + 1 : file);
	dot = strrchr(name, '.');
	if (dot && (streq(dot, ".pem") || streq(dot, ".der") || streq(dot, ".key")))
	{
		*dot = '\0';
	}
	*usage = IOS_KEY_USAGE_GENERAL;
	if (strlen(name) > strlen(SUFFIX_SIGNATURE) &&
		streq(name + strlen(name) - strlen(SUFFIX_SIGNATURE), SUFFIX_SIGNATURE))
	{
		name[strlen(name) - strlen(SUFFIX_SIGNATURE)] = '\0';
		*usage = IOS_KEY_USAGE_SIGNATURE;
	}
	else if (strlen(name) > strlen(SUFFIX_ENCRYPTION) &&
		streq(name + strlen(name) - strlen(SUFFIX_ENCRYPTION), SUFFIX_ENCRYPTION))
	{
		name[strlen(name) - strlen(SUFFIX_ENCRYPTION)] = '\0';
		*usage = IOS_KEY_USAGE_ENCRYPTION;
	}
}

static const char *usage_text(ios_key_usage_t usage)
{
	switch (usage)
	{
		case IOS_KEY_USAGE_SIGNATURE:
			return "Signature Key";
		case IOS_KEY_USAGE_ENCRYPTION:
			return "Encryption Key";
		default:
			return "General Purpose Key";
	}
}

/**
 * One key as "show crypto key mypubkey rsa" shows it.
 */
static bool show_key(char *file)
{
	ios_key_usage_t usage;
	public_key_t *public;
	char name[256], when[64];
	struct stat st;
	chunk_t der;
	bool ok;

	public = load_public(file);
	if (!public)
	{
		fail("%s: not an RSA key that strongSwan can read", file);
		return FALSE;
	}
	if (public->get_type(public) != KEY_RSA ||
		!public->get_encoding(public, PUBKEY_SPKI_ASN1_DER, &der))
	{
		public->destroy(public);
		fail("%s: not an RSA key", file);
		return FALSE;
	}
	name_from_file(file, name, sizeof(name), &usage);
	if (stat(file, &st) == 0 &&
		strftime(when, sizeof(when), "%H:%M:%S %Z %b %d %Y",
				 localtime(&st.st_mtime)))
	{
		printf("%% Key pair was generated at: %s\n", when);
	}
	printf("Key name: %s\n", name);
	printf("Usage: %s\n", usage_text(usage));
	printf("Key Data:\n");
	ok = print_key_data(der, " ");
	chunk_free(&der);
	public->destroy(public);
	return ok;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char**)a, *(char**)b);
}

/**
 * Key files of a directory, sorted.
 */
static int show_dir(char *dir)
{
	enumerator_t *enumerator;
	char *rel, *abs, **files = NULL;
	struct stat st;
	int count = 0, i, rc = 0;

	enumerator = enumerator_create_directory(dir);
	if (!enumerator)
	{
		return fail("cannot open '%s': %s", dir, strerror(errno));
	}
	while (enumerator->enumerate(enumerator, &rel, &abs, &st))
	{
		if (S_ISREG(st.st_mode) && rel[0] != '.')
		{
			files = realloc(files, sizeof(char*) * (count + 1));
			files[count++] = strdup(abs);
		}
	}
	enumerator->destroy(enumerator);
	qsort(files, count, sizeof(char*), compare_names);
	for (i = 0; i < count; i++)
	{
		rc |= !show_key(files[i]);
		free(files[i]);
	}
	free(files);
	return rc;
}

static int cmd_show(int argc, char *argv[])
{
	struct option long_opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char *dir = DEFAULT_KEY_DIR;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "d:h", long_opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'd':
				dir = optarg;
				break;
			case 'h':
				usage(stdout);
				return 0;
			default:
				return 2;
		}
	}
	if (optind == argc)
	{
		return show_dir(dir);
	}
	for (; optind < argc; optind++)
	{
		rc |= !show_key(argv[optind]);
	}
	return rc;
}

/**
 * Fill an ios_key_t from a public key; der is the key's SPKI.
 */
static bool key_from_public(public_key_t *public, chunk_t *der, ios_key_t *key)
{
	char why[128];

	if (public->get_type(public) != KEY_RSA ||
		!public->get_encoding(public, PUBKEY_SPKI_ASN1_DER, der))
	{
		return FALSE;
	}
	key->der = der->ptr;
	key->der_len = der->len;
	if (ios_rsa_spki_decode(der->ptr, der->len, &key->rsa, why,
							sizeof(why)) != IOS_RSA_OK)
	{
		fail("%s", why);
		return FALSE;
	}
	return TRUE;
}

static int cmd_chain_entry(int argc, char *argv[])
{
	struct option long_opts[] = {
		{ "named", required_argument, NULL, 'n' },
		{ "addressed", required_argument, NULL, 'a' },
		{ "address", required_argument, NULL, 'A' },
		{ "usage", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	ios_address_t addresses[IOS_KEYCHAIN_MAX_ADDRESSES];
	ios_key_t key = { .kind = IOS_KEY_NAMED };
	char *name = NULL, *text, address_text[IOS_ADDRESS_TEXT_LEN];
	public_key_t *public;
	chunk_t der = chunk_empty;
	int c;

	while ((c = getopt_long(argc, argv, "n:a:A:u:h", long_opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'n':
			case 'a':
				if (name)
				{
					return fail("give one of --named and --addressed");
				}
				name = optarg;
				key.kind = c == 'n' ? IOS_KEY_NAMED : IOS_KEY_ADDRESSED;
				if (c == 'n')
				{
					break;
				}
				/* an addressed-key's name is its first address */
				/* fall through */
			case 'A':
				if (key.address_count == countof(addresses))
				{
					return fail("too many addresses");
				}
				if (!ios_address_parse(optarg, strlen(optarg),
									   &addresses[key.address_count]))
				{
					return fail("'%s' is not an IPv4 or IPv6 address", optarg);
				}
				key.address_count++;
				break;
			case 'u':
				if (streq(optarg, "encryption"))
				{
					key.usage = IOS_KEY_USAGE_ENCRYPTION;
				}
				else if (streq(optarg, "signature"))
				{
					key.usage = IOS_KEY_USAGE_SIGNATURE;
				}
				else
				{
					return fail("--usage is encryption or signature, not '%s'",
								optarg);
				}
				break;
			case 'h':
				usage(stdout);
				return 0;
			default:
				return 2;
		}
	}
	if (!name || optind != argc - 1)
	{
		usage(stderr);
		return 2;
	}
	key.addresses = addresses;
	key.name = name;
	if (key.kind == IOS_KEY_ADDRESSED &&
		ios_address_format(&addresses[0], address_text, sizeof(address_text)))
	{
		key.name = address_text;
	}
	public = load_public(argv[optind]);
	if (!public)
	{
		return fail("%s: not a key that strongSwan can read", argv[optind]);
	}
	if (!key_from_public(public, &der, &key))
	{
		public->destroy(public);
		chunk_free(&der);
		return fail("%s: not an RSA key", argv[optind]);
	}
	text = ios_keychain_format_key(&key);
	if (text)
	{
		printf("%s", text);
	}
	free(text);
	chunk_free(&der);
	public->destroy(public);
	return text ? 0 : 1;
}

/**
 * Make a key chain of what a user pastes, so the one parser reads it: a
 * whole chain as it is, a named-key/addressed-key block below a chain
 * header, bare key-string lines inside a key.
 */
static char *as_chain(chunk_t input)
{
	const char *head = "", *tail = "";
	char *text;
	size_t len;

	if (!memstr(input.ptr, "pubkey-chain", input.len))
	{
		if (memstr(input.ptr, "named-key", input.len) ||
			memstr(input.ptr, "addressed-key", input.len))
		{
			head = "crypto key pubkey-chain rsa\n";
		}
		else
		{
			head = "crypto key pubkey-chain rsa\n named-key input\n"
				   "  key-string\n";
			tail = "\n  quit\n";
		}
	}
	len = strlen(head) + input.len + strlen(tail) + 1;
	text = malloc(len);
	if (text)
	{
		snprintf(text, len, "%s%.*s%s", head, (int)input.len, input.ptr, tail);
	}
	return text;
}

/**
 * Read a file or standard input ("-" or NULL) completely.
 */
static bool read_input(char *file, chunk_t *input)
{
	bool ok;
	int fd = 0;

	if (file && !streq(file, "-"))
	{
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
		{
			return FALSE;
		}
	}
	ok = chunk_from_fd(fd, input);
	if (fd)
	{
		close(fd);
	}
	return ok;
}

static int cmd_to_pem(int argc, char *argv[])
{
	ios_keychain_t *chain = NULL;
	public_key_t *public;
	chunk_t input, pem;
	char *text, *file = argc > 1 ? argv[1] : NULL;
	size_t i;
	int rc = 1;

	if (!read_input(file, &input))
	{
		return fail("cannot read '%s': %s", file ?: "standard input",
					strerror(errno));
	}
	text = as_chain(input);
	chunk_free(&input);
	if (!text || ios_keychain_parse(text, strlen(text), file ?: "<stdin>",
									&chain) < 0)
	{
		free(text);
		return fail("out of memory");
	}
	free(text);
	for (i = 0; i < chain->diagnostic_count; i++)
	{
		fprintf(stderr, "%s\n", chain->diagnostics[i].text);
	}
	for (i = 0; i < chain->key_count; i++)
	{
		public = lib->creds->create(lib->creds, CRED_PUBLIC_KEY, KEY_ANY,
						BUILD_BLOB_ASN1_DER,
						chunk_create(chain->keys[i].der, chain->keys[i].der_len),
						BUILD_END);
		if (public && public->get_encoding(public, PUBKEY_PEM, &pem))
		{
			printf("%.*s", (int)pem.len, pem.ptr);
			chunk_free(&pem);
			rc = 0;
		}
		DESTROY_IF(public);
	}
	if (!chain->key_count)
	{
		fail("no key found");
	}
	rc |= chain->error_count ? 1 : 0;
	ios_keychain_free(chain);
	return rc;
}

/**
 * Generate one key pair and write it as PEM, readable only by root.
 */
static bool generate_pair(char *dir, char *name, char *suffix, int bits,
						  bool force)
{
	private_key_t *key;
	char path[PATH_MAX];
	chunk_t pem;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s%s.pem", dir, name, suffix);
	if (!force && access(path, F_OK) == 0)
	{
		fail("'%s' exists; --force replaces it", path);
		return FALSE;
	}
	printf("%% Generating %d bit RSA keys, keys will be non-exportable...",
		   bits);
	fflush(stdout);
	key = lib->creds->create(lib->creds, CRED_PRIVATE_KEY, KEY_RSA,
							 BUILD_KEY_SIZE, bits, BUILD_END);
	if (!key || !key->get_encoding(key, PRIVKEY_PEM, &pem))
	{
		printf("[FAILED]\n");
		DESTROY_IF(key);
		fail("no RSA key generator available");
		return FALSE;
	}
	ok = chunk_write(pem, path, 077, TRUE);
	chunk_clear(&pem);
	key->destroy(key);
	printf(ok ? "[OK]\n" : "[FAILED]\n");
	if (!ok)
	{
		fail("cannot write '%s': %s", path, strerror(errno));
	}
	return ok;
}

static int cmd_generate(int argc, char *argv[])
{
	struct option long_opts[] = {
		{ "modulus", required_argument, NULL, 'm' },
		{ "label", required_argument, NULL, 'l' },
		{ "dir", required_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char *dir = DEFAULT_KEY_DIR, *label = NULL, host[256], *end;
	bool usage_keys = FALSE, force = FALSE, ok;
	long bits = DEFAULT_MODULUS;
	int c;

	while ((c = getopt_long(argc, argv, "m:l:d:fh", long_opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'm':
				bits = strtol(optarg, &end, 10);
				if (*end || bits < IOS_KEYCHAIN_MIN_BITS ||
					bits > IOS_KEYCHAIN_MAX_BITS)
				{
					return fail("modulus must be %d to %d bits, not '%s'",
								IOS_KEYCHAIN_MIN_BITS, IOS_KEYCHAIN_MAX_BITS,
								optarg);
				}
				break;
			case 'l':
				label = optarg;
				break;
			case 'd':
				dir = optarg;
				break;
			case 'f':
				force = TRUE;
				break;
			case 'h':
				usage(stdout);
				return 0;
			default:
				return 2;
		}
	}
	for (; optind < argc; optind++)
	{
		if (streq(argv[optind], "usage-keys"))
		{
			usage_keys = TRUE;
		}
		else if (!streq(argv[optind], "general-keys"))
		{
			return fail("expected general-keys or usage-keys, not '%s'",
						argv[optind]);
		}
	}
	if (!label)
	{
		if (gethostname(host, sizeof(host)) != 0)
		{
			return fail("no --label and no host name");
		}
		label = host;
	}
	if (strchr(label, '/') || label[0] == '.')
	{
		return fail("label '%s' is not a file name", label);
	}
	printf("The name for the keys will be: %s\n", label);
	if (usage_keys)
	{
		ok = generate_pair(dir, label, SUFFIX_SIGNATURE, bits, force) &&
			 generate_pair(dir, label, SUFFIX_ENCRYPTION, bits, force);
	}
	else
	{
		ok = generate_pair(dir, label, "", bits, force);
	}
	return ok ? 0 : 1;
}

int main(int argc, char *argv[])
{
	char *plugins;
	int rc;

	if (argc < 2 || streq(argv[1], "-h") || streq(argv[1], "--help"))
	{
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	dbg_default_set_level(getenv("IOS_RSA_KEY_DEBUG") ? 2 : -1);
	if (!library_init(NULL, "ios-rsa-key"))
	{
		library_deinit();
		return fail("cannot initialize libstrongswan");
	}
	plugins = lib->settings->get_str(lib->settings, "ios-rsa-key.load",
									 DEFAULT_PLUGINS);
	if (!lib->plugins->load(lib->plugins, plugins))
	{
		library_deinit();
		return fail("cannot load strongSwan plugins '%s'", plugins);
	}
	if (streq(argv[1], "show"))
	{
		rc = cmd_show(argc - 1, argv + 1);
	}
	else if (streq(argv[1], "chain-entry"))
	{
		rc = cmd_chain_entry(argc - 1, argv + 1);
	}
	else if (streq(argv[1], "to-pem"))
	{
		rc = cmd_to_pem(argc - 1, argv + 1);
	}
	else if (streq(argv[1], "generate"))
	{
		rc = cmd_generate(argc - 1, argv + 1);
	}
	else
	{
		rc = fail("unknown command '%s' (see --help)", argv[1]);
	}
	library_deinit();
	return rc;
}
