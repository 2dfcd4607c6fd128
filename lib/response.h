/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Streaming parser of a DescribeCertificates response body. Feed bytes as they
 * arrive: jscan validates the whole body at scanning speed and this module keeps,
 * of each element of Response.Certificates, only the members the plugin reads,
 * as a compact object that jsmn tokenizes (resp_fields.c) into views handed to
 * a callback. Memory is fixed: nothing is allocated per page or per certificate. */
#ifndef TC_RESPONSE_H
#define TC_RESPONSE_H

#include <stddef.h>

#include "jscan.h"
#include "msg.h"
#include "view.h"

/* SubjectAltName entries per certificate. Public CAs sell multi-domain
 * certificates of up to 250 names (DigiCert); an uploaded certificate may hold
 * more, so the cap is 8 times that. Past it only that certificate is UNKNOWN. */
#define RESP_MAX_NAMES      2048
#define RESP_MAX_BOUND      64           /* BoundResource entries, likewise */
#define RESP_MAX_CERT_BYTES (256 * 1024) /* the kept members of one certificate */
#define RESP_MAX_TOKENS     (RESP_MAX_NAMES + RESP_MAX_BOUND + 64) /* jsmn, per kept object */
#define RESP_MAX_BODY       (64ul * 1024 * 1024)                   /* whole response body */
#define RESP_KEPT_RESERVE   (16 * 1024) /* of the kept bytes, for what follows the lists */

/* One certificate: views into the kept object, valid only during the callback.
 * String views hold the raw JSON string contents (escapes not decoded, see
 * json_unescape); .p == NULL when the field is null or missing. */
struct resp_cert {
	/* the members read below as one compact JSON object, '{' to '}', without
	 * those that are null (or false): what the cache stores; fed to resp_feed
	 * again it gives the same certificate */
	struct tc_view raw;
	struct tc_view id, domain, alias, begin_time, end_time, replaced_by;
	long status;     /* -1 when null or missing */
	int is_ignore;   /* 1 only for JSON true */
	int is_expiring; /* 1 only for JSON true */
	/* NULL, or why this certificate cannot be judged, as a phrase after its
	 * name ("has more than 2048 SubjectAltName entries"): evaluation makes it
	 * UNKNOWN; the lists below then hold only their first entries */
	const char *problem;
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

/* Tokenizes one certificate object (obj..obj+len, '{' to '}', whole or kept)
 * with jsmn into a fixed token array and fills *out with views into obj. Same
 * errors and messages as the parser; at most RESP_MAX_TOKENS tokens. */
enum resp_err resp_parse_object(const char *obj, size_t len, struct resp_cert *out, struct msg *m);

/* ---- internals: use only through the functions above ---- */
#define RESP_MAX_REQID_BYTES 512  /* RequestId kept for messages; longer ones are cut */
#define RESP_MAX_CODE_BYTES  256  /* Error.Code, likewise */
#define RESP_MAX_APIMSG      4096 /* Error.Message, likewise */
#define RESP_NFIELDS         12   /* certificate members kept (resp_fields.h) */
struct resp_parser {
	resp_cert_fn fn;
	void *ctx;
	enum resp_err err;
	struct msg msg;
	struct resp_summary sum;
	size_t body_len;
	struct jscan scan;
	int seen_response;
	int list_count;     /* Certificates members seen */
	int total_bad;      /* TotalCount present, not null, not a non-negative integer */
	int resp_member;    /* the member of Response being captured */
	unsigned resp_seen; /* members of Response and Error seen, for duplicates */
	/* Response.Error, kept until the end (RequestId may follow it) */
	int has_error, error_bad;
	char api_msg[384];
	/* one certificate */
	int member;              /* the kept member being captured or watched */
	unsigned seen;           /* kept members seen */
	unsigned bad;            /* kept members of the wrong type */
	int dup;                 /* the first kept member seen twice, -1 none */
	size_t n_elems;          /* entries of the list being watched */
	size_t elem_from;        /* kept.len before the entry being captured */
	size_t member_from;      /* kept.len before the member being captured */
	int problem;             /* resp_fields.h RP_* */
	int watching;            /* inside a kept list or CertificateExtra */
	struct jscan_sink small; /* TotalCount, RequestId, Error members */
	struct jscan_sink kept;  /* the kept object of the certificate */
	char small_buf[RESP_MAX_APIMSG + 2];
	char kept_buf[RESP_MAX_CERT_BYTES];
};

#endif
