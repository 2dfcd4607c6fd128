/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "creds.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cvm.h"
#include "secfile.h"
#include "secret.h"
#include "text.h"

enum val_err { VAL_OK = 0, VAL_EMPTY, VAL_LONG, VAL_CHARS };

/* Values end up in HTTP headers and signed text: no control characters, no
 * spaces; too long is an error, never a truncation. */
static enum val_err set_value(char *dst, size_t cap, const char *src, size_t n)
{
	if (n == 0) return VAL_EMPTY;
	if (n >= cap) return VAL_LONG;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)src[i] < 0x21 || src[i] == 0x7f) return VAL_CHARS;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return VAL_OK;
}

static const char *val_text(enum val_err e)
{
	switch (e) {
	case VAL_EMPTY:
		return "is empty";
	case VAL_LONG:
		return "is too long";
	case VAL_CHARS:
		return "contains spaces or control characters";
	default:
		return "is not usable";
	}
}

int creds_role_name_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n >= CREDS_MAX_ROLE) return 0;
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0) return 0; /* a path segment of the URL */
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		         (c >= '0' && c <= '9') || strchr("+=,.@_-", c) != NULL;
		if (!ok) return 0;
	}
	return 1;
}

/* A role ARN goes into a JSON body: printable, no spaces, the qcs::cam:: form. */
static int arn_ok(const char *s, size_t n)
{
	if (n < 11 || n >= CREDS_MAX_ARN || strncmp(s, "qcs::cam::", 10) != 0) return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || s[i] == 0x7f || s[i] == '"' || s[i] == '\\')
			return 0;
	return 1;
}

static int session_ok(const char *s, size_t n)
{
	char buf[CREDS_MAX_SESSION];
	if (n < 2 || n >= sizeof buf) return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return creds_role_name_ok(buf);
}

enum creds_err creds_check_usage(const struct creds_opts *o, struct msg *why)
{
	if ((o->secret_key || o->secret_key_file) && !o->secret_id) {
		msg_set(why, "%s needs --secret-id",
		        o->secret_key_file ? "--secret-key-file" : "--secret-key");
		return CREDS_ERR_USAGE;
	}
	if (o->secret_key && o->secret_key_file) {
		msg_set(why, "--secret-key and --secret-key-file exclude each other");
		return CREDS_ERR_USAGE;
	}
	if (o->secret_id && !o->secret_key && !o->secret_key_file) {
		msg_set(why, "--secret-id needs --secret-key-file or --secret-key");
		return CREDS_ERR_USAGE;
	}
	if (o->cvm_role && o->secret_id) {
		msg_set(why,
		        "--cvm-role and --secret-id exclude each other (two credential routes)");
		return CREDS_ERR_USAGE;
	}
	if (o->cvm_role && o->session_token_file) {
		msg_set(why, "--session-token-file does not apply to --cvm-role (the role's "
		             "credentials come with their token)");
		return CREDS_ERR_USAGE;
	}
	if (o->cvm_role && strcmp(o->cvm_role, "auto") != 0 && !creds_role_name_ok(o->cvm_role)) {
		msg_set(why,
		        "--cvm-role must be auto or a role name (1 to %d letters, digits or "
		        "+=,.@_-)",
		        CREDS_MAX_ROLE - 1);
		return CREDS_ERR_USAGE;
	}
	if (o->role_arn && !arn_ok(o->role_arn, strlen(o->role_arn))) {
		msg_set(why, "--role-arn must look like qcs::cam::uin/<uin>:roleName/<name>");
		return CREDS_ERR_USAGE;
	}
	if (o->role_session_name &&
	    !session_ok(o->role_session_name, strlen(o->role_session_name))) {
		msg_set(why, "--role-session-name must be 2 to %d letters, digits or +=,.@_-",
		        CREDS_MAX_SESSION - 1);
		return CREDS_ERR_USAGE;
	}
	if (o->profile && !o->profile[0]) {
		msg_set(why, "--profile is empty");
		return CREDS_ERR_USAGE;
	}
	return CREDS_OK;
}

/* The first line of a key or token file into dst. */
static enum creds_err first_line(const char *path, char *buf, char *dst, size_t cap,
                                 struct msg *why, struct msg *warn)
{
	size_t len;
	if (secfile_read(path, buf, &len, why, warn) != SECFILE_OK) return CREDS_ERR_FILE;
	const char *p = buf;
	const char *nl = memchr(buf, '\n', len);
	size_t n = nl ? (size_t)(nl - buf) : len;
	text_trim(&p, &n);
	enum val_err v = set_value(dst, cap, p, n);
	if (v != VAL_OK) {
		msg_set(why, "the first line of %s %s", path, val_text(v));
		return CREDS_ERR_FILE;
	}
	return CREDS_OK;
}

enum { K_ID, K_KEY, K_TOKEN, K_ARN, K_SESSION, K_N };
static const char *const ini_keys[K_N] = {"secret_id", "secret_key", "token", "role_arn",
                                          "role_session_name"};

struct ini_view {
	const char *p;
	size_t n;
	int line;
};

/* Parses the SDK-style INI text (configparser rules the SDKs use: "=" or ":",
 * # and ; comment lines, spaces around the delimiter, CRLF, keys in any case)
 * and picks the keys of one section. A syntax error anywhere is an error: the
 * SDKs refuse such a file too. */
static enum creds_err ini_find(const char *path, const char *buf, size_t len, const char *profile,
                               int *found, struct ini_view v[K_N], struct msg *why)
{
	size_t plen = strlen(profile);
	int in_section = 0, have_section = 0, line = 0;
	size_t pos = 0;

	*found = 0;
	memset(v, 0, K_N * sizeof *v);
	const char *l;
	size_t n;
	while (text_ini_line(buf, len, &pos, &line, &l, &n)) {
		if (l[0] == '[') {
			if (l[n - 1] != ']') goto syntax;
			const char *s = l + 1;
			size_t sn = n - 2;
			text_trim(&s, &sn);
			if (sn == 0) goto syntax;
			have_section = 1;
			in_section = sn == plen && memcmp(s, profile, plen) == 0;
			if (in_section && (*found)++) {
				msg_set(why, "profile %s appears twice in %s", profile, path);
				return CREDS_ERR_FILE;
			}
			continue;
		}
		if (!have_section) goto syntax;
		size_t d = 0;
		while (d < n && l[d] != '=' && l[d] != ':')
			d++;
		if (d == n || d == 0) goto syntax;
		if (!in_section) continue;
		const char *k = l, *val = l + d + 1;
		size_t kn = d, vn = n - d - 1;
		text_trim(&k, &kn);
		text_trim(&val, &vn);
		for (size_t i = 0; i < K_N; i++) {
			if (kn != strlen(ini_keys[i]) || strncasecmp(k, ini_keys[i], kn) != 0)
				continue;
			if (v[i].p) {
				msg_set(why, "%s line %d: duplicate %s in profile %s", path, line,
				        ini_keys[i], profile);
				return CREDS_ERR_FILE;
			}
			v[i] = (struct ini_view){.p = val, .n = vn, .line = line};
		}
	}
	return CREDS_OK;
syntax:
	/* The line itself is not quoted: it may hold a secret. */
	msg_set(why, "%s line %d: expected [profile] or key = value", path, line);
	return CREDS_ERR_FILE;
}

/* $HOME, or where it is unset or empty (daemons), the passwd entry's home of
 * the effective uid. NULL when neither exists. */
static const char *home_dir(int *from_passwd)
{
	const char *home = getenv("HOME");
	*from_passwd = 0;
	if (home && home[0]) return home;
	struct passwd *pw = getpwuid(geteuid());
	if (!pw || !pw->pw_dir || !pw->pw_dir[0]) return NULL;
	*from_passwd = 1;
	return pw->pw_dir;
}

#define NO_CREDS                                                                                   \
	"no credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or --secret-id "  \
	"with --secret-key-file, or a profile in "
#define NO_CREDS_END ", or --cvm-role on a CVM instance with a role"

static enum creds_err load_profile(const struct creds_opts *o, struct creds *out, char *buf,
                                   struct msg *why, struct msg *warn)
{
	char path[4096];
	const char *profile = o->profile ? o->profile : "default";
	int explicit_path = 0, found = 0, from_passwd = 0;
	struct ini_view v[K_N];
	size_t len;

	const char *env = getenv("TENCENTCLOUD_CREDENTIALS_FILE");
	int n;
	if (o->credentials_file) {
		explicit_path = 1;
		n = snprintf(path, sizeof path, "%s", o->credentials_file);
	} else if (env && env[0]) {
		n = snprintf(path, sizeof path, "%s", env);
	} else {
		const char *home = home_dir(&from_passwd);
		if (!home) {
			msg_set(why,
			        NO_CREDS
			        "~/.tencentcloud/credentials (HOME is not set and user %ld "
			        "has no home directory in passwd)" NO_CREDS_END,
			        (long)geteuid());
			return CREDS_ERR_MISSING;
		}
		n = snprintf(path, sizeof path, "%s/.tencentcloud/credentials", home);
	}
	if (n < 0 || (size_t)n >= sizeof path) {
		msg_set(why, "credentials file path is too long");
		return CREDS_ERR_FILE;
	}

	enum secfile_err fe = secfile_read(path, buf, &len, why, warn);
	if (fe != SECFILE_OK) {
		/* No file at the implied path simply means this route is not set up. */
		const char *whose =
		    from_passwd ? " (HOME is not set: the passwd entry's home)" : "";
		if (fe == SECFILE_MISSING && !explicit_path && o->profile) {
			/* a profile asked for by name: say where it was looked for */
			msg_set(why, "no credentials: --profile %s, but there is no %s%s", profile,
			        path, whose);
			return CREDS_ERR_MISSING;
		}
		if (fe == SECFILE_MISSING && !explicit_path) {
			msg_set(why, NO_CREDS "%s%s" NO_CREDS_END, path, whose);
			return CREDS_ERR_MISSING;
		}
		return CREDS_ERR_FILE;
	}
	enum creds_err rc = ini_find(path, buf, len, profile, &found, v, why);
	if (rc != CREDS_OK) return rc;
	if (!found) {
		msg_set(why, "profile %s not found in %s", profile, path);
		return CREDS_ERR_MISSING;
	}
	struct {
		char *dst;
		size_t cap;
		int optional;
	} want[K_N] = {
	    [K_ID] = {out->secret_id, sizeof out->secret_id, 0},
	    [K_KEY] = {out->secret_key, sizeof out->secret_key, 0},
	    [K_TOKEN] = {out->token, sizeof out->token, 1},
	    [K_ARN] = {out->role_arn, sizeof out->role_arn, 1},
	    [K_SESSION] = {out->role_session_name, sizeof out->role_session_name, 1},
	};
	for (size_t i = 0; i < K_N; i++) {
		if (!v[i].p || v[i].n == 0) {
			if (want[i].optional) continue;
			msg_set(why, "profile %s in %s has no %s", profile, path, ini_keys[i]);
			return CREDS_ERR_MISSING;
		}
		enum val_err e = set_value(want[i].dst, want[i].cap, v[i].p, v[i].n);
		if (e != VAL_OK) {
			msg_set(why, "%s line %d: %s of profile %s %s", path, v[i].line,
			        ini_keys[i], profile, val_text(e));
			return CREDS_ERR_FILE;
		}
	}
	if (out->role_arn[0] && !arn_ok(out->role_arn, strlen(out->role_arn))) {
		msg_set(why,
		        "%s line %d: role_arn of profile %s must look like "
		        "qcs::cam::uin/<uin>:roleName/<name>",
		        path, v[K_ARN].line, profile);
		return CREDS_ERR_FILE;
	}
	if (out->role_session_name[0] &&
	    !session_ok(out->role_session_name, strlen(out->role_session_name))) {
		msg_set(why,
		        "%s line %d: role_session_name of profile %s must be 2 to %d letters, "
		        "digits or +=,.@_-",
		        path, v[K_SESSION].line, profile, CREDS_MAX_SESSION - 1);
		return CREDS_ERR_FILE;
	}
	if (snprintf(out->source_buf, sizeof out->source_buf, "profile %s in %s", profile, path) <
	    0)
		out->source_buf[0] = '\0';
	out->source = out->source_buf;
	return CREDS_OK;
}

static enum creds_err load_env(struct creds *out, struct msg *why)
{
	static const char *const names[] = {"TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY",
	                                    "TENCENTCLOUD_SESSION_TOKEN"};
	char *dst[] = {out->secret_id, out->secret_key, out->token};
	size_t cap[] = {sizeof out->secret_id, sizeof out->secret_key, sizeof out->token};

	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(names[i]);
		if (!v || !v[0]) continue; /* the token is optional; id and key were checked */
		enum val_err e = set_value(dst[i], cap[i], v, strlen(v));
		if (e != VAL_OK) {
			msg_set(why, "%s %s", names[i], val_text(e));
			return CREDS_ERR_MISSING;
		}
	}
	out->source = "environment";
	return CREDS_OK;
}

static enum creds_err load_options(const struct creds_opts *o, struct creds *out, char *buf,
                                   struct msg *why, struct msg *warn)
{
	enum val_err e =
	    set_value(out->secret_id, sizeof out->secret_id, o->secret_id, strlen(o->secret_id));
	if (e != VAL_OK) {
		msg_set(why, "--secret-id %s", val_text(e));
		return CREDS_ERR_USAGE;
	}
	if (o->secret_key_file) {
		enum creds_err rc = first_line(o->secret_key_file, buf, out->secret_key,
		                               sizeof out->secret_key, why, warn);
		if (rc != CREDS_OK) return rc;
	} else {
		e = set_value(out->secret_key, sizeof out->secret_key, o->secret_key,
		              strlen(o->secret_key));
		if (e != VAL_OK) {
			msg_set(why, "--secret-key %s", val_text(e));
			return CREDS_ERR_USAGE;
		}
		if (!o->route_from)
			secfile_note(warn,
			             "--secret-key is visible in ps: prefer --secret-key-file");
	}
	out->source = o->route_from ? o->route_from : "command line";
	return CREDS_OK;
}

static enum creds_err load_cvm(const struct creds_opts *o, struct creds *out, struct msg *warn)
{
	const char *id = getenv("TENCENTCLOUD_SECRET_ID");
	snprintf(out->cvm_role, sizeof out->cvm_role, "%s", o->cvm_role);
	if (id && id[0])
		secfile_note(warn, "TENCENTCLOUD_SECRET_ID and the profile are ignored: --cvm-role "
		                   "wins");
	else if (o->profile || o->credentials_file)
		secfile_note(warn, "%s is ignored: --cvm-role wins",
		             o->profile ? "--profile" : "--credentials-file");
	snprintf(out->source_buf, sizeof out->source_buf, "CVM role %s (metadata service %s)",
	         o->cvm_role, o->metadata_url ? o->metadata_url : CVM_DEFAULT_URL);
	out->source = out->source_buf;
	return CREDS_OK;
}

/* The account part of the cache key: stable across runs whose temporary keys differ. */
static enum creds_err set_identity(const struct creds_opts *o, struct creds *c, struct msg *why)
{
	char base[CREDS_MAX_IDENTITY];
	int n;
	if (c->cvm_role[0])
		n = snprintf(base, sizeof base, "cvm-role:%s@%s", c->cvm_role,
		             o->metadata_url ? o->metadata_url : CVM_DEFAULT_URL);
	else
		n = snprintf(base, sizeof base, "%s", c->secret_id);
	if (n >= 0 && (size_t)n < sizeof base && c->role_arn[0])
		n = snprintf(c->identity, sizeof c->identity, "assume-role:%s|%s", c->role_arn,
		             base);
	else if (n >= 0 && (size_t)n < sizeof base)
		n = snprintf(c->identity, sizeof c->identity, "%s", base);
	if (n < 0 || (size_t)n >= sizeof c->identity) {
		msg_set(why, "credential identity too long (--metadata-url or the role ARN)");
		return CREDS_ERR_USAGE;
	}
	return CREDS_OK;
}

enum creds_err creds_load(const struct creds_opts *o, struct creds *out, struct msg *why,
                          struct msg *warn)
{
	enum creds_err rc;
	char *buf;

	memset(out, 0, sizeof *out);
	out->source = "";
	msg_clear(why);
	msg_clear(warn);

	rc = creds_check_usage(o, why);
	if (rc != CREDS_OK) return rc;

	buf = malloc((size_t)SECFILE_MAX + 1);
	if (!buf) {
		msg_set(why, "out of memory");
		return CREDS_ERR_FILE;
	}

	/* An empty variable counts as unset, as in the SDKs ("export X=" clears it). */
	const char *env_id = getenv("TENCENTCLOUD_SECRET_ID");
	const char *env_key = getenv("TENCENTCLOUD_SECRET_KEY");
	int has_id = env_id && env_id[0], has_key = env_key && env_key[0];
	if (o->cvm_role) {
		rc = load_cvm(o, out, warn);
	} else if (o->secret_id) {
		rc = load_options(o, out, buf, why, warn);
	} else if (has_id || has_key) {
		if (!has_id || !has_key) {
			/* Half an environment route is a mistake, not a cue to look further. */
			msg_set(why, "%s is not set (%s is)",
			        has_id ? "TENCENTCLOUD_SECRET_KEY" : "TENCENTCLOUD_SECRET_ID",
			        has_id ? "TENCENTCLOUD_SECRET_ID" : "TENCENTCLOUD_SECRET_KEY");
			rc = CREDS_ERR_MISSING;
		} else {
			rc = load_env(out, why);
		}
	} else {
		const char *t = getenv("TENCENTCLOUD_SESSION_TOKEN");
		if (t && t[0])
			secfile_note(warn, "TENCENTCLOUD_SESSION_TOKEN is ignored without "
			                   "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY");
		rc = load_profile(o, out, buf, why, warn);
	}

	if (rc == CREDS_OK && o->session_token_file) {
		out->token[0] = '\0';
		rc = first_line(o->session_token_file, buf, out->token, sizeof out->token, why,
		                warn);
	}
	/* The options win over a profile's role_arn / role_session_name. */
	if (rc == CREDS_OK && o->role_arn)
		snprintf(out->role_arn, sizeof out->role_arn, "%s", o->role_arn);
	if (rc == CREDS_OK && o->role_session_name)
		snprintf(out->role_session_name, sizeof out->role_session_name, "%s",
		         o->role_session_name);
	if (rc == CREDS_OK && out->role_arn[0] && !out->role_session_name[0])
		snprintf(out->role_session_name, sizeof out->role_session_name, "%s",
		         CREDS_DEFAULT_SESSION);
	if (rc == CREDS_OK) rc = set_identity(o, out, why);
	secret_wipe(buf, (size_t)SECFILE_MAX + 1);
	free(buf);
	if (rc != CREDS_OK) creds_wipe(out);
	return rc;
}

void creds_wipe(struct creds *c)
{
	if (!c) return;
	secret_wipe(c, sizeof *c);
	c->source = "";
}
