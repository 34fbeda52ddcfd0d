/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (C) 2026 ios-ipsec-suite developers
 */

#include "suite_version.h"

#include <ctype.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utils/debug.h>

/** the banner every strongSwan daemon prints at startup starts so */
#define BANNER_MARKER "(strongSwan "

/**
 * A version is digits and dots, and ends where the banner continues with
 * "," or ")"; anything else is a different string that contains the marker.
 */
static bool parse_version_at(u_char *pos, u_char *end, char *buf, size_t len)
{
	size_t n = 0;

	while (pos + n < end && (isdigit(pos[n]) || pos[n] == '.'))
	{
		n++;
	}
	if (n == 0 || pos + n >= end || (pos[n] != ',' && pos[n] != ')') ||
		n >= len)
	{
		return FALSE;
	}
	memcpy(buf, pos, n);
	buf[n] = '\0';
	return TRUE;
}

/*
 * Described in header
 */
bool suite_version_find(chunk_t image, char *buf, size_t len)
{
	const size_t marker_len = strlen(BANNER_MARKER);
	u_char *pos = image.ptr, *end = image.ptr + image.len;

	while (pos && pos < end)
	{
		pos = memstr(pos, BANNER_MARKER, end - pos);
		if (!pos)
		{
			break;
		}
		pos += marker_len;
		if (parse_version_at(pos, end, buf, len))
		{
			return TRUE;
		}
	}
	return FALSE;
}

/*
 * Described in header
 */
bool suite_version_running(char *buf, size_t len)
{
	struct stat st;
	chunk_t image;
	bool found;
	int fd;

	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
	{
		return FALSE;
	}
	if (fstat(fd, &st) < 0 || st.st_size == 0)
	{
		close(fd);
		return FALSE;
	}
	image = chunk_create(mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0),
						 st.st_size);
	close(fd);
	if (image.ptr == MAP_FAILED)
	{
		return FALSE;
	}
	found = suite_version_find(image, buf, len);
	munmap(image.ptr, image.len);
	return found;
}

/*
 * Described in header
 */
bool suite_version_check(const char *plugin)
{
	char running[32];

	if (!suite_version_running(running, sizeof(running)))
	{
		DBG1(DBG_LIB, "plugin '%s' refuses to load: cannot determine the "
			 "running strongSwan version (built for %s)", plugin, VERSION);
		return FALSE;
	}
	if (!streq(running, VERSION))
	{
		DBG1(DBG_LIB, "plugin '%s' refuses to load: built for strongSwan %s, "
			 "running strongSwan %s; rebuild the suite against this version",
			 plugin, VERSION, running);
		return FALSE;
	}
	DBG2(DBG_LIB, "plugin '%s' built for strongSwan %s, running %s", plugin,
		 VERSION, running);
	return TRUE;
}
