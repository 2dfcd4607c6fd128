/* Streaming parser of a DescribeCertificates response body. Feed bytes as they
 * arrive; each element of Response.Certificates is cut out, tokenized alone by
 * jsmn into a fixed token array and handed to a callback as views into its bytes.
 * Memory is fixed: nothing is allocated per page or per certificate. */
#ifndef TC_RESPONSE_H
#define TC_RESPONSE_H

#include <stddef.h>

#include "view.h"

#define RESP_MAX_CERT_BYTES  (64 * 1024)          /* largest certificate object */
#define RESP_MAX_TOKENS      4096                 /* jsmn tokens per certificate object */
#define RESP_MAX_NAMES       512                  /* SubjectAltName entries per certificate */
#define RESP_MAX_BOUND       64                   /* BoundResource entries per certificate */
#define RESP_MAX_BODY        (64ul * 1024 * 1024) /* whole response body */
#define RESP_MAX_ERROR_BYTES (16 * 1024)          /* Response.Error object */

/* One certificate: views into the object's bytes, valid only during the callback.
 * String views hold the raw JSON string contents (escapes not decoded, see
 * json_unescape); .p == NULL when the field is null or missing. */
struct resp_cert {
	struct tc_view raw; /* the whole object, '{' to '}' */
	struct tc_view id, domain, alias, begin_time, end_time, replaced_by;
	long status;     /* -1 when null or missing */
	int is_ignore;   /* 1 only for JSON true */
	int is_expiring; /* 1 only for JSON true */
	size_t n_san;
	struct tc_view san[RESP_MAX_NAMES];
	size_t n_bound;
	struct tc_view bound[RESP_MAX_BOUND];
};

enum resp_err {
	RESP_OK = 0,
	RESP_ERR_MALFORMED, /* message: "malformed response: <what>" */
	RESP_ERR_TOO_BIG,   /* a named cap was passed; message says which */
	RESP_ERR_NO_LIST,   /* "response has no certificate list" */
	RESP_ERR_API,       /* Response.Error: "API error <Code>: <Message> (RequestId <id>)" */
	RESP_ERR_ABORTED,   /* the callback returned non-zero */
};

/* Returns 0 to go on, non-zero to stop the parse (RESP_ERR_ABORTED). */
typedef int (*resp_cert_fn)(void *ctx, const struct resp_cert *c);

struct resp_summary {
	int has_total; /* TotalCount present and a number */
	long long total_count;
	int has_list;   /* Certificates present and an array */
	size_t n_certs; /* elements of Certificates handed to the callback */
	char request_id[128];
	char error_code[128]; /* Response.Error.Code, "" when none */
	int truncated;        /* the body ended inside the JSON: a transport fault, retryable */
};

struct resp_parser;

/* Parser state lives in a caller-provided struct (declared at the end of this
 * header so it can sit on the stack or in a slot array). */
void resp_init(struct resp_parser *p, resp_cert_fn fn, void *ctx);
enum resp_err resp_feed(struct resp_parser *p, const char *data, size_t len);
/* The body ended: checks it was complete and well-formed, then reports
 * Response.Error, a missing/null list, or RESP_OK. */
enum resp_err resp_finish(struct resp_parser *p);
/* One line (no newline, no '|'), valid after an error from feed/finish. */
const char *resp_message(const struct resp_parser *p);
const struct resp_summary *resp_get_summary(const struct resp_parser *p);

/* Tokenizes one certificate object (obj..obj+len, '{' to '}') with jsmn into a
 * fixed token array on the stack and fills *out with views into obj. Used by
 * the streaming parser for every element of Certificates, and by the cache to
 * read back stored objects. Same errors and messages as the parser. */
enum resp_err resp_parse_object(const char *obj, size_t len, struct resp_cert *out, char *msg,
                                size_t cap);

/* ---- internals: use only through the functions above ---- */
#define RESP_MAX_DEPTH       64
#define RESP_MAX_REQID_BYTES 512 /* RequestId kept for messages; longer ones are cut */
struct resp_parser {
	resp_cert_fn fn;
	void *ctx;
	enum resp_err err;
	char message[512];
	struct resp_summary sum;
	size_t body_len;
	/* scanner state */
	int state;
	int depth;
	unsigned char stack[RESP_MAX_DEPTH]; /* '{' or '[' per open container */
	int in_key;                          /* the string being scanned is an object key */
	int hex_left;                        /* \u digits still expected */
	int rec_key;                         /* the key is at a level we track (root, Response) */
	char key[32];                        /* last such key, raw bytes */
	size_t key_len;
	int key_overflow;
	int path; /* root, inside Response, inside Certificates */
	int seen_response;
	int list_count; /* Certificates keys seen */
	int total_bad;  /* TotalCount present, not null, not a non-negative integer */
	int prim_role;  /* what the primitive being scanned is (TotalCount, ...) */
	size_t prim_len;
	char prim[64];
	/* Response.Error, kept until the end (RequestId may follow it) */
	int has_error;
	char api_msg[384];
	/* capture of one value (a certificate, Error, RequestId) */
	int capturing;
	int cap_kind;
	int cap_depth;
	size_t cap_len;
	char cap[RESP_MAX_CERT_BYTES];
};

#endif
