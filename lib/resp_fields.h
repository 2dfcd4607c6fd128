/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The members of a certificate the plugin reads, in one table: response.c keeps
 * them while the body streams by, resp_fields.c (jsmn through tokens.h)
 * reads them back from the kept object, typed, into a struct resp_cert. */
#ifndef TC_RESP_FIELDS_H
#define TC_RESP_FIELDS_H

#include <stddef.h>

#include "msg.h"
#include "response.h"

enum resp_type {
	RT_STRING,  /* string or null: a view */
	RT_BOOL,    /* true, false or null: an int */
	RT_UINT,    /* a non-negative integer or null: a long, -1 for null */
	RT_STRINGS, /* an array of strings or null: views and a count, at most max */
	RT_EXTRA,   /* CertificateExtra: an object or null, of which ReplacedBy is read */
	RT_PROBLEM, /* written by the parser into a kept object: an RP_* code */
};

/* In the order their type errors are reported. */
enum {
	RF_ID,
	RF_DOMAIN,
	RF_ALIAS,
	RF_BEGIN,
	RF_END,
	RF_IGNORE,
	RF_EXPIRING,
	RF_STATUS,
	RF_SAN,
	RF_BOUND,
	RF_EXTRA,
	RF_PROBLEM,
	RF_N,
	RF_REPLACED_BY = RF_N, /* CertificateExtra.ReplacedBy, in duplicate reports */
};

struct resp_field {
	const char *name; /* in the API */
	const char *key;  /* in a kept object: short, digits (the API's names never are) */
	enum resp_type type;
	const char *want; /* for "<name> is not <want>" */
	size_t off;       /* of the value in struct resp_cert */
	size_t count_off; /* RT_STRINGS: of the count */
	size_t max;       /* RT_STRINGS: entries kept */
	int problem;      /* RT_STRINGS: the RP_* past max */
};

extern const struct resp_field resp_fields[RF_N];
#define RESP_EXTRA_NAME "ReplacedBy"
#define RESP_EXTRA_KEY  "0"

/* The member names of a certificate and of its CertificateExtra, each under
 * its API name and its kept key: a match at index i is field i % RF_N (of
 * CertificateExtra: ReplacedBy for either). Built once; constant. */
void resp_fields_names(struct jscan_names *cert, struct jscan_names *extra);

/* Why one certificate cannot be judged (struct resp_cert.problem). */
enum { RP_NONE, RP_NAMES, RP_BOUND, RP_LARGE, RP_N };
extern const char *const resp_problems[RP_N];

/* Reads a certificate object as resp_parse_object does, with what the parser
 * found while keeping it: bad (bit per RF_* of a member of the wrong type),
 * dup (an RF_* seen twice, -1 none) and problem (RP_*). */
enum resp_err resp_fields_read(const char *obj, size_t len, struct resp_cert *out, unsigned bad,
                               int dup, int problem, struct msg *m);

/* A non-negative integer that fits in a long long; -1 for anything else. */
long long resp_uint(const char *s, size_t n);

/* A raw JSON string decoded for a message: '|', ';' and controls become '_'. */
size_t resp_clean_copy(struct tc_view raw, char *out, size_t cap);

#endif
