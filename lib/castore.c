/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "castore.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_hash_name(const char *n)
{
	/* what c_rehash / openssl rehash make: 8 hex digits, '.', a digit */
	size_t i = 0;
	for (; i < 8; i++)
		if (!((n[i] >= '0' && n[i] <= '9') || (n[i] >= 'a' && n[i] <= 'f'))) return 0;
	return n[8] == '.' && n[9] >= '0' && n[9] <= '9' && n[10] == '\0';
}

static long count_hashed(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) return -1;
	long n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += is_hash_name(e->d_name);
	closedir(d);
	return n;
}

static long count_pem(const char *path)
{
	static const char mark[] = "-----BEGIN CERTIFICATE-----";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return -1;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (unsigned long long)st.st_size > CASTORE_MAX_BUNDLE) {
		close(fd);
		return -1;
	}
	size_t len = (size_t)st.st_size;
	char *buf = malloc(len + 1);
	ssize_t got = buf ? read(fd, buf, len) : -1;
	close(fd);
	if (got != (ssize_t)len) {
		free(buf);
		return -1;
	}
	buf[len] = '\0';
	long n = 0;
	for (const char *p = buf; (p = memmem(p, len - (size_t)(p - buf), mark, sizeof mark - 1));
	     p += sizeof mark - 1)
		n++;
	free(buf);
	return n;
}

int castore_lazy(const char *ssl_version, const char *cainfo, const char *capath)
{
	if (!ssl_version || strncasecmp(ssl_version, "OpenSSL/", 8) != 0) return 0;
	if (!cainfo || !*cainfo || !capath || !*capath) return 0;
	long hashed = count_hashed(capath);
	return hashed > 0 && hashed == count_pem(cainfo);
}
