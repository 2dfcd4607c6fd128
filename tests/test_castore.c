/* SPDX-License-Identifier: GPL-3.0-or-later */
/* When the hashed CA directory may stand in for the bundle: only with OpenSSL,
 * both given, and as many hashed entries as certificates in the bundle. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "castore.h"
#include "tap.h"

static char dir[64], bundle[128];

static void put(const char *name, const char *text)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

#define PEM "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/test_castore_XXXXXX");
	ok(mkdtemp(dir) != NULL, "a temporary directory");
	snprintf(bundle, sizeof bundle, "%s/bundle.crt", dir);
	FILE *f = fopen(bundle, "w");
	if (f) {
		fputs("# two\n" PEM PEM, f);
		fclose(f);
	}
	put("0a1b2c3d.0", PEM);
	put("deadbeef.1", PEM);
	put("README", "not a certificate");
	put("DEADBEEF.0", PEM);  /* not what c_rehash makes */
	put("0a1b2c3d.r0", PEM); /* a CRL link */
	static const struct {
		const char *name, *ssl, *cainfo, *capath;
		int want;
	} t[] = {
	    {.name = "same count, OpenSSL",
	     .ssl = "OpenSSL/3.0.19",
	     .cainfo = bundle,
	     .capath = dir,
	     .want = 1},
	    {.name = "another TLS library", .ssl = "GnuTLS/3.7.9", .cainfo = bundle, .capath = dir},
	    {.name = "no bundle", .ssl = "OpenSSL/3.0.19", .capath = dir},
	    {.name = "no directory", .ssl = "OpenSSL/3.0.19", .cainfo = bundle},
	    {.name = "a missing directory",
	     .ssl = "OpenSSL/3.0.19",
	     .cainfo = bundle,
	     .capath = "/nonexistent/certs"},
	    {.name = "a missing bundle",
	     .ssl = "OpenSSL/3.0.19",
	     .cainfo = "/nonexistent/b.crt",
	     .capath = dir},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		is_int(castore_lazy(t[i].ssl, t[i].cainfo, t[i].capath), t[i].want, "%s",
		       t[i].name);
	put("feedf00d.0", PEM); /* the directory now holds one the bundle lacks */
	is_int(castore_lazy("OpenSSL/3.0.19", bundle, dir), 0,
	       "more hashed entries than the bundle");
	char cmd[160];
	snprintf(cmd, sizeof cmd, "%s/feedf00d.0", dir);
	unlink(cmd);
	f = fopen(bundle, "a");
	if (f) {
		fputs(PEM, f);
		fclose(f);
	}
	is_int(castore_lazy("OpenSSL/3.0.19", bundle, dir), 0, "more in the bundle than hashed");
	static const char *const names[] = {"0a1b2c3d.0", "deadbeef.1",  "README",
	                                    "DEADBEEF.0", "0a1b2c3d.r0", "bundle.crt"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(cmd, sizeof cmd, "%s/%s", dir, names[i]);
		unlink(cmd);
	}
	rmdir(dir);
	return tap_done();
}
