/* Credentials: the route of SPEC.md, first found wins and is taken whole:
 * --secret-id with --secret-key[-file], then the TENCENTCLOUD_* environment,
 * then a profile of the SDK-style INI file. --session-token-file wins over any
 * route's token. Secrets live in fixed buffers; creds_wipe() clears them. */
#ifndef TC_CREDS_H
#define TC_CREDS_H

#include <stddef.h>

#define CREDS_MAX_ID    256
#define CREDS_MAX_KEY   256
#define CREDS_MAX_TOKEN 8192
#define CREDS_MAX_FILE  (64 * 1024) /* credential or key file */

struct creds_opts {
	const char *secret_id;          /* --secret-id */
	const char *secret_key;         /* --secret-key (visible in ps) */
	const char *secret_key_file;    /* --secret-key-file */
	const char *session_token_file; /* --session-token-file */
	const char *profile;            /* --profile, NULL = "default" */
	const char *credentials_file;   /* --credentials-file */
};

struct creds {
	char secret_id[CREDS_MAX_ID];
	char secret_key[CREDS_MAX_KEY];
	char token[CREDS_MAX_TOKEN]; /* "" when none */
	const char *source;          /* "command line", "environment", "profile NAME in FILE" */
	char source_buf[512];
};

enum creds_err {
	CREDS_OK = 0,
	CREDS_ERR_USAGE,   /* e.g. --secret-key without --secret-id */
	CREDS_ERR_MISSING, /* message names what is missing */
	CREDS_ERR_FILE,    /* unreadable, too big, bad syntax; message names the file */
};

/* Reads the environment with getenv(). warning (may be "") receives a note for
 * -v, e.g. a key file readable by group or others. */
enum creds_err creds_load(const struct creds_opts *o, struct creds *out, char *message,
                          size_t msgcap, char *warning, size_t warncap);
void creds_wipe(struct creds *c);

#endif
