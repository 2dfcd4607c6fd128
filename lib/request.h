/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The DescribeCertificates request body: API filters plus Offset/Limit, as
 * compact JSON with raw UTF-8, fields that are unset left out (as the SDKs do). */
#ifndef TC_REQUEST_H
#define TC_REQUEST_H

#include <stddef.h>

#define REQ_MAX_LIST 64          /* --status and --tag entries */
#define REQ_MAX_BODY (64 * 1024) /* request body */

struct req_tag {
	const char *key, *value;
};

/* Unset: NULL for strings, -1 for 0|1 flags and project_id. */
struct api_filters {
	const char *search_key;
	const char *certificate_type; /* CA | SVR */
	long long project_id;
	long statuses[REQ_MAX_LIST];
	size_t n_statuses;
	int deployable, upload, renew, is_sm, hostable;
	const char *filter_source; /* upload | buy */
	struct req_tag tags[REQ_MAX_LIST];
	size_t n_tags;
	int is_pending_issue;        /* 1 or -1 */
	int filter_expiring;         /* 1 or -1 */
	const char *expiration_sort; /* ASC | DESC */
};

void req_filters_init(struct api_filters *f);

/* Writes the body for one page into buf (NUL-terminated); 0 on success,
 * -1 when it does not fit in cap. */
/* 1 when the filters leave room in REQ_MAX_BODY for any page's Offset and Limit
 * (checked once, before any request). */
int req_filters_fit(const struct api_filters *f);

int req_body(const struct api_filters *f, long long offset, long limit, char *buf, size_t cap,
             size_t *len);

#endif
