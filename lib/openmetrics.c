/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "openmetrics.h"

#include <stdlib.h>
#include <string.h>

#include "idset.h"
#include "json.h"
#include "output.h"

#define OM_PREFIX   "tencentcloud_ssl_"
#define OM_MAX_LINE (256 * 1024) /* one sample line being built */

/* A label value: '\', '"' and newline escaped; other control characters (C0, DEL, C1) '_';
 * bytes that are not UTF-8 U+FFFD, so the exposition stays valid UTF-8. */
static void put_label(struct jbuf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	for (size_t i = 0; i < n;) {
		size_t k = out_utf8_seq(s + i, n - i);
		if (k == 0) {
			jbuf_putn(b, "\xEF\xBF\xBD", 3);
			i++;
			continue;
		}
		if (out_is_c1(s + i, k)) {
			jbuf_puts(b, "_");
			i += k;
			continue;
		}
		if (k > 1) {
			jbuf_putn(b, s + i, k);
			i += k;
			continue;
		}
		unsigned char c = (unsigned char)s[i++];
		if (c == '\\')
			jbuf_puts(b, "\\\\");
		else if (c == '"')
			jbuf_puts(b, "\\\"");
		else if (c == '\n')
			jbuf_puts(b, "\\n");
		else if (c < 0x20 || c == 0x7f)
			jbuf_puts(b, "_");
		else
			jbuf_putn(b, (const char *)&c, 1);
	}
}

/* HELP and TYPE (gauge) of one family; unit non-NULL adds UNIT (the name then
 * ends in _<unit>, as OpenMetrics requires). */
static void family(FILE *f, const char *name, const char *unit, const char *help)
{
	fprintf(f, "# HELP " OM_PREFIX "%s %s\n# TYPE " OM_PREFIX "%s gauge\n", name, help, name);
	if (unit) fprintf(f, "# UNIT " OM_PREFIX "%s %s\n", name, unit);
}

static void write_buf(FILE *f, const struct jbuf *b)
{
	if (b->len > 0 && !b->overflow) fwrite(b->p, 1, b->len, f);
}

enum cert_value { CV_DAYS, CV_NOT_AFTER, CV_STATE };

/* One per-certificate sample; none for a value that cannot be known. */
static void cert_sample(FILE *f, struct jbuf *b, const char *name, const struct report_item *it,
                        enum cert_value v)
{
	if (v != CV_STATE && !it->ev.has_end) return;
	b->len = 0;
	b->overflow = 0;
	jbuf_printf(b, OM_PREFIX "%s{id=\"", name);
	put_label(b, it->id);
	jbuf_puts(b, "\",domain=\"");
	put_label(b, it->domain);
	jbuf_puts(b, "\"} ");
	if (v == CV_DAYS)
		jbuf_printf(b, "%lld\n", it->ev.days_left);
	else if (v == CV_NOT_AFTER)
		jbuf_printf(b, "%lld\n", it->ev.end);
	else
		jbuf_printf(b, "%d\n", (int)it->ev.state);
	write_buf(f, b);
}

static void cert_family(FILE *f, struct jbuf *b, const struct report *r, const char *name,
                        const char *unit, const char *help, enum cert_value v,
                        const unsigned char *dup)
{
	family(f, name, unit, help);
	for (size_t i = 0; i < r->n_items; i++)
		if (!dup || !dup[i]) cert_sample(f, b, name, &r->items[i], v);
}

/* Ids are unique in a listing, but two that differ only in bytes that are not
 * UTF-8 have the same label once those are U+FFFD, and a repeated series
 * makes the whole exposition invalid: later ones get no series (they still
 * count). NULL when there is no such repeat (or no memory to tell). */
static unsigned char *repeated_labels(const struct report *r)
{
	struct idset seen;
	struct jbuf b;
	int any = 0;
	if (r->n_items < 2) return NULL;
	unsigned char *dup = calloc(r->n_items, 1);
	if (!dup) return NULL;
	idset_init(&seen);
	jbuf_init(&b, OM_MAX_LINE);
	for (size_t i = 0; i < r->n_items; i++) {
		b.len = 0;
		b.overflow = 0;
		put_label(&b, r->items[i].id);
		if (idset_add(&seen, idset_hash(b.p ? b.p : "", b.len)) == 0) {
			dup[i] = 1;
			any = 1;
		}
	}
	jbuf_free(&b);
	idset_free(&seen);
	if (!any) {
		free(dup);
		return NULL;
	}
	return dup;
}

static void check_state(FILE *f, enum tc_state st, int success)
{
	family(f, "check_state", NULL,
	       "State of the check as its exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.");
	fprintf(f, OM_PREFIX "check_state %d\n", (int)st);
	family(f, "check_success", NULL,
	       "1 when every certificate was listed and evaluated, 0 when the check failed.");
	fprintf(f, OM_PREFIX "check_success %d\n", success);
}

void om_report(FILE *f, const struct report *r, const struct out_opts *o, enum tc_state st)
{
	static const char *const state_label[TC_NSTATES] = {"ok", "warning", "critical", "unknown"};
	struct jbuf b;
	unsigned char *dup = repeated_labels(r);
	jbuf_init(&b, OM_MAX_LINE);
	cert_family(f, &b, r, "certificate_days_left", NULL,
	            "Whole days left until the certificate expires, rounded down (negative once "
	            "expired).",
	            CV_DAYS, dup);
	cert_family(f, &b, r, "certificate_not_after_timestamp_seconds", "seconds",
	            "End of the certificate's validity (CertEndTime) as Unix time.", CV_NOT_AFTER,
	            dup);
	cert_family(f, &b, r, "certificate_state", NULL,
	            "State of the certificate: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.", CV_STATE,
	            dup);
	jbuf_free(&b);
	free(dup);

	family(f, "check_certificates", NULL, "Selected certificates per state.");
	for (int s = 0; s < TC_NSTATES; s++)
		fprintf(f, OM_PREFIX "check_certificates{state=\"%s\"} %lld\n", state_label[s],
		        r->count[s]);
	family(f, "check_certificates_selected", NULL,
	       "Certificates evaluated after the local selection.");
	fprintf(f, OM_PREFIX "check_certificates_selected %lld\n", r->selected);
	family(f, "check_certificates_listed", NULL, "Certificates the API listed.");
	fprintf(f, OM_PREFIX "check_certificates_listed %lld\n", r->listed);
	if (r->has_min) {
		family(f, "check_min_days_left", NULL,
		       "Fewest days left of the selected certificates.");
		fprintf(f, OM_PREFIX "check_min_days_left %lld\n", r->min_days_left);
	}
	family(f, "check_fetch_duration_seconds", "seconds",
	       "Time spent listing the certificates.");
	fprintf(f, OM_PREFIX "check_fetch_duration_seconds %.3f\n",
	        o->fetch_time >= 0 ? o->fetch_time : 0.0);
	check_state(f, st, 1);
	fputs("# EOF\n", f);
}

void om_error(FILE *f, enum tc_state st, const char *message)
{
	char msg[1024];
	struct jbuf b;
	out_sanitize(message && *message ? message : "unknown error", msg, sizeof msg);
	check_state(f, st, 0);
	family(f, "check_error", NULL, "1, with why the check failed as its message label.");
	jbuf_init(&b, 4 * sizeof msg);
	jbuf_puts(&b, OM_PREFIX "check_error{message=\"");
	put_label(&b, msg);
	jbuf_puts(&b, "\"} 1\n");
	write_buf(f, &b);
	jbuf_free(&b);
	fputs("# EOF\n", f);
	fflush(f);
}
