/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "request.h"

#include <limits.h>

#include <string.h>

#include "json.h"

void req_filters_init(struct api_filters *f)
{
	memset(f, 0, sizeof *f);
	f->project_id = -1;
	f->deployable = f->upload = f->renew = f->is_sm = f->hostable = -1;
	f->is_pending_issue = f->filter_expiring = -1;
}

static void put_str(struct jbuf *b, const char *name, const char *v)
{
	if (!v) return;
	jbuf_printf(b, ",\"%s\":", name);
	jbuf_string(b, v, strlen(v));
}

static void put_int(struct jbuf *b, const char *name, long long v)
{
	if (v >= 0) jbuf_printf(b, ",\"%s\":%lld", name, v);
}

int req_body(const struct api_filters *f, long long offset, long limit, char *buf, size_t cap,
             size_t *len)
{
	struct jbuf b;
	int rc = -1;
	jbuf_init(&b, cap < REQ_MAX_BODY ? cap : REQ_MAX_BODY);
	jbuf_printf(&b, "{\"Offset\":%lld,\"Limit\":%ld", offset, limit);
	put_str(&b, "SearchKey", f->search_key);
	put_str(&b, "CertificateType", f->certificate_type);
	put_int(&b, "ProjectId", f->project_id);
	put_str(&b, "ExpirationSort", f->expiration_sort);
	if (f->n_statuses) {
		jbuf_puts(&b, ",\"CertificateStatus\":[");
		for (size_t i = 0; i < f->n_statuses; i++)
			jbuf_printf(&b, "%s%ld", i ? "," : "", f->statuses[i]);
		jbuf_puts(&b, "]");
	}
	put_int(&b, "Deployable", f->deployable);
	put_int(&b, "Upload", f->upload);
	put_int(&b, "Renew", f->renew);
	put_str(&b, "FilterSource", f->filter_source);
	put_int(&b, "IsSM", f->is_sm);
	put_int(&b, "FilterExpiring", f->filter_expiring);
	put_int(&b, "Hostable", f->hostable);
	if (f->n_tags) {
		jbuf_puts(&b, ",\"Tags\":[");
		for (size_t i = 0; i < f->n_tags; i++) {
			jbuf_puts(&b, i ? ",{\"TagKey\":" : "{\"TagKey\":");
			jbuf_string(&b, f->tags[i].key, strlen(f->tags[i].key));
			jbuf_puts(&b, ",\"TagValue\":");
			jbuf_string(&b, f->tags[i].value, strlen(f->tags[i].value));
			jbuf_puts(&b, "}");
		}
		jbuf_puts(&b, "]");
	}
	put_int(&b, "IsPendingIssue", f->is_pending_issue);
	jbuf_puts(&b, "}");
	if (!b.overflow && b.len < cap) {
		memcpy(buf, b.p, b.len + 1);
		*len = b.len;
		rc = 0;
	}
	jbuf_free(&b);
	return rc;
}

int req_filters_fit(const struct api_filters *f)
{
	static char body[REQ_MAX_BODY];
	size_t len;
	/* the widest numbers a page can carry: no listing gets near them */
	return req_body(f, LLONG_MAX, LONG_MAX, body, sizeof body, &len) == 0;
}
