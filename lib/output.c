/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "output.h"

#include <string.h>

#include "json.h"
#include "openmetrics.h"

/* out_clean reads a unit of at most 4 bytes from below OUT_MAX_NAME: the report keeps them */
_Static_assert(REPORT_TEXT_NAME >= OUT_MAX_NAME + 9, "report keeps every byte a name shows");

#define OUT_PREFIX      "TENCENTCLOUD_SSL "
#define OUT_MAX_PHRASES REPORT_NAMED /* non-OK certificates named in the status line */
#define OUT_MAX_MESSAGE 1024

static const char *disp(const char *s)
{
	return s && *s ? s : "-";
}

/* The id that replaced it, NULL when not replaced ("" counts as not). */
static const char *replaced_by(const struct report_item *it)
{
	return it->replaced_by && *it->replaced_by ? it->replaced_by : NULL;
}

size_t out_utf8_seq(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	if (n == 0) return 0;
	unsigned char c = u[0];
	size_t k = c < 0x80                   ? 1
	           : (c >= 0xC2 && c <= 0xDF) ? 2
	           : (c >= 0xE0 && c <= 0xEF) ? 3
	           : (c >= 0xF0 && c <= 0xF4) ? 4
	                                      : 0;
	if (k == 0 || k > n) return 0;
	for (size_t j = 1; j < k; j++)
		if ((u[j] & 0xC0) != 0x80) return 0;
	/* overlong forms, UTF-16 surrogates, past U+10FFFF */
	if (k == 3 && ((c == 0xE0 && u[1] < 0xA0) || (c == 0xED && u[1] > 0x9F))) return 0;
	if (k == 4 && ((c == 0xF0 && u[1] < 0x90) || (c == 0xF4 && u[1] > 0x8F))) return 0;
	return k;
}

int out_is_c1(const char *s, size_t k)
{
	return k == 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] < 0xA0;
}

/* What Nagios and Icinga must not see, per place: the status line loses ';'
 * (Nagios 4 turns it into ':') and '|' (starts perfdata); long output '|';
 * a perfdata label also '=' and ' ', and its single quotes are doubled. */
static const char *const bad_chars[] = {
    [OUT_CTX_STATUS] = "|;",
    [OUT_CTX_LONG] = "|",
    [OUT_CTX_LABEL] = "=;| ",
};

size_t out_clean(const char *s, enum out_ctx ctx, char *out, size_t cap)
{
	size_t o = 0, n = s ? strlen(s) : 0;
	if (cap == 0) return 0;
	for (size_t i = 0; i < n;) {
		char unit[4];
		size_t k = out_utf8_seq(s + i, n - i), len = k;
		if (k == 0) { /* not UTF-8: U+FFFD, as JSON output does */
			memcpy(unit, "\xEF\xBF\xBD", 3);
			len = 3;
			k = 1;
		} else if (out_is_c1(s + i, k)) { /* NEL and the rest of U+0080..U+009F, like C0 */
			unit[0] = '_';
			len = 1;
		} else if (k > 1) {
			memcpy(unit, s + i, k);
		} else {
			unsigned char c = (unsigned char)s[i];
			if (c < 0x20 || c == 0x7f || strchr(bad_chars[ctx], c)) c = '_';
			unit[0] = (char)c;
			if (ctx == OUT_CTX_LABEL && c == '\'') unit[len++] = '\'';
		}
		if (o + len > cap - 1) break;
		memcpy(out + o, unit, len);
		o += len;
		i += k;
	}
	out[o] = '\0';
	return o;
}

/* Appends a name made safe for ctx, at most OUT_MAX_NAME bytes of it. */
static void put_clean(struct jbuf *b, const char *s, enum out_ctx ctx)
{
	char tmp[OUT_MAX_NAME + 1];
	jbuf_putn(b, tmp, out_clean(s, ctx, tmp, sizeof tmp));
}

void out_sanitize(const char *s, char *out, size_t cap)
{
	out_clean(s, OUT_CTX_STATUS, out, cap);
}

void out_error(FILE *f, enum tc_state st, const char *message)
{
	char msg[OUT_MAX_MESSAGE];
	out_sanitize(message && *message ? message : "unknown error", msg, sizeof msg);
	fprintf(f, OUT_PREFIX "%s - %s\n", tc_state_name(st), msg);
}

static void put_time(struct jbuf *b, long long utc, char sep)
{
	char t[20];
	eval_format_time(utc, sep, t);
	jbuf_puts(b, t);
}

/* "<Domain> (id <id>) expires in N d" and the other status-line phrases. */
static void put_phrase(struct jbuf *b, const struct report_item *it)
{
	put_clean(b, disp(it->domain), OUT_CTX_STATUS);
	jbuf_puts(b, " (id ");
	put_clean(b, disp(it->id), OUT_CTX_STATUS);
	jbuf_puts(b, ")");
	if (it->ev.problem) {
		jbuf_puts(b, " ");
		jbuf_puts(b, it->ev.problem);
	} else if (!it->ev.has_end)
		jbuf_puts(b, " has no valid end time");
	else if (it->ev.no_begin)
		jbuf_puts(b, " has no valid begin time");
	else if (it->ev.days_left < 0)
		jbuf_printf(b, " expired %lld d ago", -it->ev.days_left);
	else
		jbuf_printf(b, " expires in %lld d", it->ev.days_left);
}

/* The status line without perfdata (also the JSON summary). */
static void put_summary(struct jbuf *b, const struct report *r, enum tc_state st)
{
	static const enum tc_state order[3] = {TC_CRITICAL, TC_WARNING, TC_UNKNOWN};
	static const char *const names[3] = {"critical", "warning", "unknown"};
	jbuf_printf(b, OUT_PREFIX "%s - ", tc_state_name(st));
	if (r->selected == 0) {
		jbuf_printf(b, "no certificates selected (of %lld listed)", r->listed);
		return;
	}
	long long nonok = 0;
	for (int i = 0; i < 3; i++) {
		long long n = r->count[order[i]];
		if (n > 0) jbuf_printf(b, "%lld %s, ", n, names[i]);
		nonok += n;
	}
	jbuf_printf(b, "%lld ok of %lld certificate%s", r->count[TC_OK], r->selected,
	            r->selected == 1 ? "" : "s");
	if (nonok > 0) {
		long long shown = 0;
		jbuf_puts(b, ": ");
		for (size_t i = 0; i < r->n_items && shown < OUT_MAX_PHRASES; i++) {
			if (r->items[i].ev.state == TC_OK) continue;
			if (shown++ > 0) jbuf_puts(b, ", ");
			put_phrase(b, &r->items[i]);
		}
		if (nonok > shown) jbuf_printf(b, ", and %lld more", nonok - shown);
	} else if (r->has_soonest) {
		jbuf_puts(b, ": soonest ");
		put_phrase(b, &r->soonest);
	}
}

static void put_perfdata(struct jbuf *b, const struct report *r, const struct out_opts *o)
{
	const char *w = o->warn ? o->warn->text : "", *c = o->crit ? o->crit->text : "";
	jbuf_printf(b,
	            "certificates=%lld;;;0; ok=%lld;;;0; warning=%lld;;;0; critical=%lld;;;0; "
	            "unknown=%lld;;;0; ",
	            r->selected, r->count[TC_OK], r->count[TC_WARNING], r->count[TC_CRITICAL],
	            r->count[TC_UNKNOWN]);
	if (r->has_min) {
		jbuf_printf(b, "min_days_left=%lld;", r->min_days_left);
		jbuf_puts(b, w);
		jbuf_puts(b, ";");
		jbuf_puts(b, c);
		jbuf_puts(b, ";; ");
	}
	jbuf_printf(b, "fetch_time=%.3fs;;;0;", o->fetch_time >= 0 ? o->fetch_time : 0.0);
}

/* One long-output line, newline included. */
static void put_long(struct jbuf *b, const struct report_item *it)
{
	put_clean(b, disp(it->domain), OUT_CTX_LONG);
	jbuf_puts(b, " (id ");
	put_clean(b, disp(it->id), OUT_CTX_LONG);
	jbuf_printf(b, "): %s, ", tc_state_name(it->ev.state));
	if (it->ev.problem) {
		jbuf_puts(b, it->ev.problem);
		jbuf_puts(b, ", ");
	}
	if (!it->ev.has_end) {
		jbuf_puts(b, "no valid end time");
	} else if (it->ev.days_left < 0) {
		jbuf_printf(b, "expired %lld d ago on ", -it->ev.days_left);
		put_time(b, it->ev.end, ' ');
		jbuf_puts(b, " +08:00");
	} else {
		jbuf_printf(b, "%lld d left, until ", it->ev.days_left);
		put_time(b, it->ev.end, ' ');
		jbuf_puts(b, " +08:00");
	}
	if (it->ev.no_begin) jbuf_puts(b, ", no valid begin time");
	if (replaced_by(it)) {
		/* the fix is to redeploy the renewal, not to renew again */
		jbuf_puts(b, ", replaced by ");
		put_clean(b, replaced_by(it), OUT_CTX_LONG);
		for (size_t i = 0, shown = 0; i < it->n_bound; i++) {
			if (!*it->bound[i]) continue;
			jbuf_puts(b, shown++ == 0 ? " but still bound to " : ", ");
			put_clean(b, it->bound[i], OUT_CTX_LONG);
		}
	} else {
		for (size_t i = 0; i < it->n_bound; i++) {
			jbuf_puts(b, i == 0 ? ", bound to " : ", ");
			put_clean(b, disp(it->bound[i]), OUT_CTX_LONG);
		}
	}
	jbuf_puts(b, "\n");
}

/* One per-certificate perfdata item, without separators. */
static void put_cert_perf(struct jbuf *b, const struct report_item *it, const struct out_opts *o)
{
	jbuf_puts(b, "'days_");
	put_clean(b, disp(it->id), OUT_CTX_LABEL);
	jbuf_puts(b, "_");
	put_clean(b, disp(it->domain), OUT_CTX_LABEL);
	jbuf_puts(b, "'=");
	if (it->ev.has_end)
		jbuf_printf(b, "%lld", it->ev.days_left);
	else
		jbuf_puts(b, "U");
	jbuf_puts(b, ";");
	jbuf_puts(b, o->warn ? o->warn->text : "");
	jbuf_puts(b, ";");
	jbuf_puts(b, o->crit ? o->crit->text : "");
	jbuf_puts(b, ";;");
}

static int has_long(const struct report_item *it, const struct out_opts *o)
{
	return o->verbose || it->ev.state != TC_OK;
}

/* Builds the long line of it into b (emptied first); returns its length. */
static size_t build_long(struct jbuf *b, const struct report_item *it)
{
	b->len = 0;
	b->overflow = 0;
	put_long(b, it);
	return b->len;
}

/* Index of the n-th (from 0) item that has a long-output line. */
static size_t nth_long(const struct report *r, const struct out_opts *o, size_t n)
{
	for (size_t i = 0; i < r->n_items; i++)
		if (has_long(&r->items[i], o) && n-- == 0) return i;
	return r->n_items;
}

static void put_more(struct jbuf *b, size_t k)
{
	b->len = 0;
	b->overflow = 0;
	jbuf_printf(b, "... %zu more not shown (--max-output 0 shows all)\n", k);
}

static void write_buf(FILE *f, const struct jbuf *b)
{
	if (b->len > 0) fwrite(b->p, 1, b->len, f);
}

static void out_text(FILE *f, const struct report *r, const struct out_opts *o, enum tc_state st)
{
	struct jbuf line, more;
	size_t cap = o->max_output, total, n_long = 0, k = 0;
	jbuf_init(&line, OUT_MAX_LINE);
	jbuf_init(&more, 256);

	put_summary(&line, r, st);
	jbuf_puts(&line, " | ");
	put_perfdata(&line, r, o);
	jbuf_puts(&line, "\n");
	write_buf(f, &line);
	total = line.len;

	if (r->bound) /* the report kept only what can be shown: count from the counts */
		n_long = (size_t)(o->verbose ? r->selected : r->selected - r->count[TC_OK]);
	else
		for (size_t i = 0; i < r->n_items; i++)
			n_long += has_long(&r->items[i], o);

	/* how many long-output lines fit, in order */
	for (size_t i = 0; i < r->n_items; i++) {
		if (!has_long(&r->items[i], o)) continue;
		size_t n = build_long(&line, &r->items[i]);
		if (cap && total + n > cap) break;
		total += n;
		k++;
	}
	if (k < n_long) {
		/* the "K more" line must fit too: give back shown lines from the end */
		put_more(&more, n_long - k);
		while (k > 0 && total + more.len > cap) {
			k--;
			total -= build_long(&line, &r->items[nth_long(r, o, k)]);
			put_more(&more, n_long - k);
		}
	}
	for (size_t i = 0, shown = 0; i < r->n_items && shown < k; i++) {
		if (!has_long(&r->items[i], o)) continue;
		build_long(&line, &r->items[i]);
		write_buf(f, &line);
		shown++;
	}
	if (k < n_long) {
		if (!cap || total + more.len <= cap) fwrite(more.p, 1, more.len, f);
	} else if (o->perfdata_per_cert) {
		int first = 1;
		for (size_t i = 0; i < r->n_items; i++) {
			line.len = 0;
			line.overflow = 0;
			jbuf_puts(&line, first ? "|" : " ");
			put_cert_perf(&line, &r->items[i], o);
			if (line.overflow || (cap && total + line.len + 1 > cap)) break;
			write_buf(f, &line);
			total += line.len;
			first = 0;
		}
		if (!first) fputc('\n', f);
	}
	jbuf_free(&line);
	jbuf_free(&more);
}

/* A JSON string of s; bytes that are not valid UTF-8 become U+FFFD so the
 * document stays valid whatever the API sent. */
static void json_str(struct jbuf *b, const char *s)
{
	if (!s) {
		jbuf_puts(b, "null");
		return;
	}
	struct jbuf v;
	size_t n = strlen(s), i = 0;
	jbuf_init(&v, 3 * n + 1);
	while (i < n) {
		size_t k = out_utf8_seq(s + i, n - i);
		if (k) {
			jbuf_putn(&v, s + i, k);
			i += k;
		} else {
			jbuf_putn(&v, "\xEF\xBF\xBD", 3);
			i++;
		}
	}
	jbuf_string(b, v.p ? v.p : "", v.len);
	jbuf_free(&v);
}

static void json_list(struct jbuf *b, char **v, size_t n)
{
	jbuf_puts(b, "[");
	for (size_t i = 0; i < n; i++) {
		if (i) jbuf_puts(b, ",");
		json_str(b, v[i]);
	}
	jbuf_puts(b, "]");
}

static void json_time(struct jbuf *b, int has, long long utc)
{
	if (!has) {
		jbuf_puts(b, "null");
		return;
	}
	jbuf_puts(b, "\"");
	put_time(b, utc, 'T');
	jbuf_puts(b, "+08:00\"");
}

static void json_item(struct jbuf *b, const struct report_item *it)
{
	jbuf_puts(b, "{\"id\":");
	json_str(b, it->id);
	jbuf_puts(b, ",\"domain\":");
	json_str(b, it->domain);
	jbuf_puts(b, ",\"alias\":");
	json_str(b, it->alias);
	jbuf_puts(b, ",\"san\":");
	json_list(b, it->san, it->n_san);
	if (it->status >= 0)
		jbuf_printf(b, ",\"status\":%ld", it->status);
	else
		jbuf_puts(b, ",\"status\":null");
	jbuf_puts(b, ",\"not_before\":");
	json_time(b, it->ev.has_begin, it->ev.begin);
	jbuf_puts(b, ",\"not_after\":");
	json_time(b, it->ev.has_end, it->ev.end);
	if (it->ev.has_end)
		jbuf_printf(b, ",\"days_left\":%lld", it->ev.days_left);
	else
		jbuf_puts(b, ",\"days_left\":null");
	jbuf_printf(b, ",\"state\":\"%s\",\"bound_resource\":", tc_state_name(it->ev.state));
	json_list(b, it->bound, it->n_bound);
	jbuf_puts(b, ",\"replaced_by\":");
	json_str(b, replaced_by(it));
	jbuf_puts(b, "}");
}

static void out_json(FILE *f, const struct report *r, enum tc_state st)
{
	struct jbuf b, sum;
	jbuf_init(&b, OUT_MAX_LINE);
	jbuf_init(&sum, OUT_MAX_LINE);
	put_summary(&sum, r, st);
	jbuf_printf(&b, "{\"state\":\"%s\",\"summary\":", tc_state_name(st));
	json_str(&b, sum.p ? sum.p : "");
	jbuf_printf(&b,
	            ",\"counts\":{\"selected\":%lld,\"listed\":%lld,\"ok\":%lld,\"warning\":%lld,"
	            "\"critical\":%lld,\"unknown\":%lld},\"certificates\":[",
	            r->selected, r->listed, r->count[TC_OK], r->count[TC_WARNING],
	            r->count[TC_CRITICAL], r->count[TC_UNKNOWN]);
	write_buf(f, &b);
	/* one certificate at a time: the document can be far larger than a line */
	for (size_t i = 0; i < r->n_items; i++) {
		b.len = 0;
		b.overflow = 0;
		if (i) jbuf_puts(&b, ",");
		json_item(&b, &r->items[i]);
		if (b.overflow) {
			b.len = 0;
			b.overflow = 0;
			jbuf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
			json_str(&b, r->items[i].id);
			jbuf_printf(&b, ",\"state\":\"%s\",\"replaced_by\":",
			            tc_state_name(r->items[i].ev.state));
			json_str(&b, replaced_by(&r->items[i]));
			jbuf_puts(&b, "}");
		}
		write_buf(f, &b);
	}
	fputs("]}\n", f);
	jbuf_free(&b);
	jbuf_free(&sum);
}

void out_error_json(FILE *f, enum tc_state st, const char *message)
{
	char msg[OUT_MAX_MESSAGE];
	struct jbuf b, sum;
	out_sanitize(message && *message ? message : "unknown error", msg, sizeof msg);
	jbuf_init(&b, 8 * OUT_MAX_MESSAGE);
	jbuf_init(&sum, 2 * OUT_MAX_MESSAGE);
	jbuf_printf(&sum, OUT_PREFIX "%s - ", tc_state_name(st));
	jbuf_puts(&sum, msg);
	jbuf_printf(&b, "{\"state\":\"%s\",\"summary\":", tc_state_name(st));
	json_str(&b, sum.p ? sum.p : "");
	jbuf_puts(&b, ",\"error\":");
	json_str(&b, msg);
	jbuf_puts(&b, ",\"counts\":null,\"certificates\":[]}\n");
	write_buf(f, &b);
	fflush(f);
	jbuf_free(&b);
	jbuf_free(&sum);
}

enum tc_state out_report(FILE *f, const struct report *r, const struct out_opts *o)
{
	enum tc_state st = report_state(r, o->empty_state);
	if (o->openmetrics)
		om_report(f, r, o, st);
	else if (o->json)
		out_json(f, r, st);
	else
		out_text(f, r, o, st);
	fflush(f);
	return st;
}

void out_fail(FILE *f, const struct out_opts *o, enum tc_state st, const char *message)
{
	if (o->openmetrics)
		om_error(f, st, message);
	else if (o->json)
		out_error_json(f, st, message);
	else
		out_error(f, st, message);
	fflush(f);
}

size_t out_fail_prebuild(const struct out_opts *o, enum tc_state st, const char *message, char *buf,
                         size_t cap)
{
	if (cap < 2) return 0;
	FILE *f = fmemopen(buf, cap, "w");
	if (!f) return 0;
	setvbuf(f, NULL, _IONBF, 0);
	out_fail(f, o, st, message);
	long n = ftell(f);
	int bad = ferror(f);
	fclose(f);
	if (bad || n < 0 || (size_t)n >= cap) {
		buf[0] = '\0';
		return 0;
	}
	buf[n] = '\0';
	return (size_t)n;
}
