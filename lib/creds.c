#include "config.h"

#include "creds.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secret.h"

/* Files are opened following symlinks on purpose: credentials are commonly
 * deployed as symlinks (Kubernetes secret volumes, Ansible/Puppet links into a
 * vault directory), and the file is only read, never written, so O_NOFOLLOW
 * would break real setups without protecting anything. What is checked instead
 * is the target: a regular file (no FIFO that blocks, no device), at most
 * CREDS_MAX_FILE bytes, no NUL byte, and a warning when group or others may read it. */

static void say(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	if (!buf || cap == 0) return;
	va_start(ap, fmt);
	vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
}

/* Appends a note to the warning text, "; " between notes. */
static void warn_add(char *warn, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warn_add(char *warn, size_t cap, const char *fmt, ...)
{
	va_list ap;
	if (!warn || cap == 0) return;
	size_t n = strnlen(warn, cap);
	if (n > 0 && n + 2 < cap) {
		memcpy(warn + n, "; ", 3);
		n += 2;
	}
	if (n + 1 >= cap) return;
	va_start(ap, fmt);
	vsnprintf(warn + n, cap - n, fmt, ap);
	va_end(ap);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static void trim(const char **p, size_t *n)
{
	while (*n && is_space(**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n && is_space((*p)[*n - 1]))
		(*n)--;
}

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

/* Reads the whole file into buf (CREDS_MAX_FILE + 1 bytes). *missing is set
 * when the file does not exist, so the caller can tell "no file" from "bad file". */
static enum creds_err slurp(const char *path, char *buf, size_t *len, int *missing, char *msg,
                            size_t msgcap, char *warn, size_t warncap)
{
	struct stat st;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	*len = 0;
	if (missing) *missing = 0;
	if (fd < 0) {
		if (missing && (errno == ENOENT || errno == ENOTDIR)) *missing = 1;
		say(msg, msgcap, "cannot open %s: %s", path, strerror(errno));
		return CREDS_ERR_FILE;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		say(msg, msgcap, "%s is not a regular file", path);
		close(fd);
		return CREDS_ERR_FILE;
	}
	if (st.st_size > CREDS_MAX_FILE) {
		say(msg, msgcap, "%s is larger than %d bytes", path, CREDS_MAX_FILE);
		close(fd);
		return CREDS_ERR_FILE;
	}
	if (st.st_mode & 077)
		warn_add(warn, warncap, "%s is readable by group or others (chmod 600)", path);
	/* Read one byte past the cap: a file that grew after fstat is caught too. */
	while (got < (size_t)CREDS_MAX_FILE + 1) {
		ssize_t r = read(fd, buf + got, (size_t)CREDS_MAX_FILE + 1 - got);
		if (r < 0 && errno == EINTR) continue;
		if (r < 0) {
			say(msg, msgcap, "cannot read %s: %s", path, strerror(errno));
			close(fd);
			return CREDS_ERR_FILE;
		}
		if (r == 0) break;
		got += (size_t)r;
	}
	close(fd);
	if (got > CREDS_MAX_FILE) {
		say(msg, msgcap, "%s is larger than %d bytes", path, CREDS_MAX_FILE);
		return CREDS_ERR_FILE;
	}
	if (memchr(buf, '\0', got)) {
		say(msg, msgcap, "%s contains a NUL byte", path);
		return CREDS_ERR_FILE;
	}
	*len = got;
	return CREDS_OK;
}

/* The first line of a key or token file into dst. */
static enum creds_err first_line(const char *path, char *buf, char *dst, size_t cap, char *msg,
                                 size_t msgcap, char *warn, size_t warncap)
{
	size_t len;
	enum creds_err rc = slurp(path, buf, &len, NULL, msg, msgcap, warn, warncap);
	if (rc != CREDS_OK) return rc;
	const char *p = buf;
	const char *nl = memchr(buf, '\n', len);
	size_t n = nl ? (size_t)(nl - buf) : len;
	trim(&p, &n);
	enum val_err v = set_value(dst, cap, p, n);
	if (v != VAL_OK) {
		say(msg, msgcap, "the first line of %s %s", path, val_text(v));
		return CREDS_ERR_FILE;
	}
	return CREDS_OK;
}

struct ini_view {
	const char *p;
	size_t n;
	int line;
};

/* Parses the SDK-style INI text (configparser rules the SDKs use: "=" or ":",
 * # and ; comment lines, spaces around the delimiter, CRLF, keys in any case)
 * and picks the three keys of one section. A syntax error anywhere is an error:
 * the SDKs refuse such a file too. */
static enum creds_err ini_find(const char *path, const char *buf, size_t len, const char *profile,
                               int *found, struct ini_view *id, struct ini_view *key,
                               struct ini_view *token, char *msg, size_t msgcap)
{
	static const char *const names[] = {"secret_id", "secret_key", "token"};
	struct ini_view *slots[] = {id, key, token};
	size_t plen = strlen(profile);
	int in_section = 0, have_section = 0, line = 0;
	size_t pos = 0;

	*found = 0;
	memset(id, 0, sizeof *id);
	memset(key, 0, sizeof *key);
	memset(token, 0, sizeof *token);
	while (pos < len) {
		const char *l = buf + pos;
		const char *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos;
		pos += n + (nl ? 1 : 0);
		line++;
		trim(&l, &n);
		if (n == 0 || l[0] == '#' || l[0] == ';') continue;
		if (l[0] == '[') {
			if (l[n - 1] != ']') goto syntax;
			const char *s = l + 1;
			size_t sn = n - 2;
			trim(&s, &sn);
			if (sn == 0) goto syntax;
			have_section = 1;
			in_section = sn == plen && memcmp(s, profile, plen) == 0;
			if (in_section && (*found)++) {
				say(msg, msgcap, "profile %s appears twice in %s", profile, path);
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
		const char *k = l, *v = l + d + 1;
		size_t kn = d, vn = n - d - 1;
		trim(&k, &kn);
		trim(&v, &vn);
		for (size_t i = 0; i < 3; i++) {
			if (kn != strlen(names[i]) || strncasecmp(k, names[i], kn) != 0) continue;
			if (slots[i]->p) {
				say(msg, msgcap, "%s line %d: duplicate %s in profile %s", path,
				    line, names[i], profile);
				return CREDS_ERR_FILE;
			}
			slots[i]->p = v;
			slots[i]->n = vn;
			slots[i]->line = line;
		}
	}
	return CREDS_OK;
syntax:
	/* The line itself is not quoted: it may hold a secret. */
	say(msg, msgcap, "%s line %d: expected [profile] or key = value", path, line);
	return CREDS_ERR_FILE;
}

static enum creds_err load_profile(const struct creds_opts *o, struct creds *out, char *buf,
                                   char *msg, size_t msgcap, char *warn, size_t warncap)
{
	char path[4096];
	const char *profile = o->profile ? o->profile : "default";
	int explicit_path = 0, missing = 0, found = 0;
	struct ini_view id, key, token;
	size_t len;
	enum creds_err rc;

	if (profile[0] == '\0') {
		say(msg, msgcap, "--profile is empty");
		return CREDS_ERR_USAGE;
	}
	const char *env = getenv("TENCENTCLOUD_CREDENTIALS_FILE");
	int n;
	if (o->credentials_file) {
		explicit_path = 1;
		n = snprintf(path, sizeof path, "%s", o->credentials_file);
	} else if (env && env[0]) {
		n = snprintf(path, sizeof path, "%s", env);
	} else {
		const char *home = getenv("HOME");
		if (!home || !home[0]) {
			say(msg, msgcap,
			    "no credentials: set TENCENTCLOUD_SECRET_ID and "
			    "TENCENTCLOUD_SECRET_KEY, or "
			    "--secret-id with --secret-key-file, or a profile in "
			    "$HOME/.tencentcloud/credentials (HOME is not set)");
			return CREDS_ERR_MISSING;
		}
		n = snprintf(path, sizeof path, "%s/.tencentcloud/credentials", home);
	}
	if (n < 0 || (size_t)n >= sizeof path) {
		say(msg, msgcap, "credentials file path is too long");
		return CREDS_ERR_FILE;
	}

	rc = slurp(path, buf, &len, &missing, msg, msgcap, warn, warncap);
	if (rc != CREDS_OK) {
		/* No file at the implied path simply means this route is not set up. */
		if (missing && !explicit_path && o->profile) {
			/* a profile asked for by name: say where it was looked for */
			say(msg, msgcap, "no credentials: --profile %s, but there is no %s",
			    profile, path);
			return CREDS_ERR_MISSING;
		}
		if (missing && !explicit_path) {
			say(msg, msgcap,
			    "no credentials: set TENCENTCLOUD_SECRET_ID and "
			    "TENCENTCLOUD_SECRET_KEY, or "
			    "--secret-id with --secret-key-file, or a profile in %s",
			    path);
			return CREDS_ERR_MISSING;
		}
		return rc;
	}
	rc = ini_find(path, buf, len, profile, &found, &id, &key, &token, msg, msgcap);
	if (rc != CREDS_OK) return rc;
	if (!found) {
		say(msg, msgcap, "profile %s not found in %s", profile, path);
		return CREDS_ERR_MISSING;
	}
	const struct {
		struct ini_view *v;
		const char *name;
		char *dst;
		size_t cap;
	} want[] = {
	    {&id, "secret_id", out->secret_id, sizeof out->secret_id},
	    {&key, "secret_key", out->secret_key, sizeof out->secret_key},
	    {&token, "token", out->token, sizeof out->token},
	};
	for (size_t i = 0; i < 3; i++) {
		int optional = want[i].dst == out->token;
		if (!want[i].v->p || want[i].v->n == 0) {
			if (optional) continue;
			say(msg, msgcap, "profile %s in %s has no %s", profile, path, want[i].name);
			return CREDS_ERR_MISSING;
		}
		enum val_err v = set_value(want[i].dst, want[i].cap, want[i].v->p, want[i].v->n);
		if (v != VAL_OK) {
			say(msg, msgcap, "%s line %d: %s of profile %s %s", path, want[i].v->line,
			    want[i].name, profile, val_text(v));
			return CREDS_ERR_FILE;
		}
	}
	say(out->source_buf, sizeof out->source_buf, "profile %s in %s", profile, path);
	out->source = out->source_buf;
	return CREDS_OK;
}

static enum creds_err load_env(struct creds *out, char *msg, size_t msgcap)
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
			say(msg, msgcap, "%s %s", names[i], val_text(e));
			return CREDS_ERR_MISSING;
		}
	}
	out->source = "environment";
	return CREDS_OK;
}

static enum creds_err load_options(const struct creds_opts *o, struct creds *out, char *buf,
                                   char *msg, size_t msgcap, char *warn, size_t warncap)
{
	enum val_err e =
	    set_value(out->secret_id, sizeof out->secret_id, o->secret_id, strlen(o->secret_id));
	if (e != VAL_OK) {
		say(msg, msgcap, "--secret-id %s", val_text(e));
		return CREDS_ERR_USAGE;
	}
	if (o->secret_key_file) {
		enum creds_err rc = first_line(o->secret_key_file, buf, out->secret_key,
		                               sizeof out->secret_key, msg, msgcap, warn, warncap);
		if (rc != CREDS_OK) return rc;
	} else {
		e = set_value(out->secret_key, sizeof out->secret_key, o->secret_key,
		              strlen(o->secret_key));
		if (e != VAL_OK) {
			say(msg, msgcap, "--secret-key %s", val_text(e));
			return CREDS_ERR_USAGE;
		}
		warn_add(warn, warncap, "--secret-key is visible in ps: prefer --secret-key-file");
	}
	out->source = "command line";
	return CREDS_OK;
}

enum creds_err creds_load(const struct creds_opts *o, struct creds *out, char *message,
                          size_t msgcap, char *warning, size_t warncap)
{
	enum creds_err rc;
	char *buf;

	memset(out, 0, sizeof *out);
	out->source = "";
	if (message && msgcap) message[0] = '\0';
	if (warning && warncap) warning[0] = '\0';

	/* Usage errors first: they do not depend on what the environment holds. */
	if ((o->secret_key || o->secret_key_file) && !o->secret_id) {
		say(message, msgcap, "%s needs --secret-id",
		    o->secret_key_file ? "--secret-key-file" : "--secret-key");
		return CREDS_ERR_USAGE;
	}
	if (o->secret_key && o->secret_key_file) {
		say(message, msgcap, "--secret-key and --secret-key-file exclude each other");
		return CREDS_ERR_USAGE;
	}
	if (o->secret_id && !o->secret_key && !o->secret_key_file) {
		say(message, msgcap, "--secret-id needs --secret-key-file or --secret-key");
		return CREDS_ERR_USAGE;
	}

	buf = malloc((size_t)CREDS_MAX_FILE + 1);
	if (!buf) {
		say(message, msgcap, "out of memory");
		return CREDS_ERR_FILE;
	}

	/* An empty variable counts as unset, as in the SDKs ("export X=" clears it). */
	const char *env_id = getenv("TENCENTCLOUD_SECRET_ID");
	const char *env_key = getenv("TENCENTCLOUD_SECRET_KEY");
	int has_id = env_id && env_id[0], has_key = env_key && env_key[0];
	if (o->secret_id) {
		rc = load_options(o, out, buf, message, msgcap, warning, warncap);
	} else if (has_id || has_key) {
		if (!has_id || !has_key) {
			/* Half an environment route is a mistake, not a cue to look further. */
			say(message, msgcap, "%s is not set (%s is)",
			    has_id ? "TENCENTCLOUD_SECRET_KEY" : "TENCENTCLOUD_SECRET_ID",
			    has_id ? "TENCENTCLOUD_SECRET_ID" : "TENCENTCLOUD_SECRET_KEY");
			rc = CREDS_ERR_MISSING;
		} else {
			rc = load_env(out, message, msgcap);
		}
	} else {
		const char *t = getenv("TENCENTCLOUD_SESSION_TOKEN");
		if (t && t[0])
			warn_add(
			    warning, warncap,
			    "TENCENTCLOUD_SESSION_TOKEN is ignored without TENCENTCLOUD_SECRET_ID "
			    "and TENCENTCLOUD_SECRET_KEY");
		rc = load_profile(o, out, buf, message, msgcap, warning, warncap);
	}

	if (rc == CREDS_OK && o->session_token_file) {
		out->token[0] = '\0';
		rc = first_line(o->session_token_file, buf, out->token, sizeof out->token, message,
		                msgcap, warning, warncap);
	}
	secret_wipe(buf, (size_t)CREDS_MAX_FILE + 1);
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
