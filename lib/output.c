#include "output.h"

#include <string.h>

#include "json.h"

_Static_assert(REPORT_TEXT_NAME >= OUT_MAX_NAME + 5, "report keeps every byte a name shows");

#define OUT_PREFIX      "TENCENTCLOUD_SSL "
#define OUT_MAX_PHRASES REPORT_NAMED /* non-OK certificates named in the status line */
#define OUT_MAX_MESSAGE 1024

static const char *disp(const char *s)
{
	return s && *s ? s : "-";
}

/* Length of s cut to at most max bytes without splitting a UTF-8 sequence. */
static size_t cut_utf8(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max) return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* Appends a name with the bytes in bad and control characters as '_'; quote
 * doubles single quotes (perfdata labels). */
static void put_clean(struct jbuf *b, const char *s, const char *bad, int quote)
{
	char tmp[2 * OUT_MAX_NAME + 1];
	size_t n = cut_utf8(s, OUT_MAX_NAME), o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || strchr(bad, c)) c = '_';
		if (quote && c == '\'') tmp[o++] = '\'';
		tmp[o++] = (char)c;
	}
	jbuf_putn(b, tmp, o);
}

void out_sanitize(const char *s, char *out, size_t cap)
{
	if (cap == 0) return;
	if (!s) s = "";
	size_t n = cut_utf8(s, cap - 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		out[i] = (c < 0x20 || c == 0x7f || c == '|' || c == ';') ? '_' : (char)c;
	}
	out[n] = '\0';
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
	put_clean(b, disp(it->domain), "|;", 0);
	jbuf_puts(b, " (id ");
	put_clean(b, disp(it->id), "|;", 0);
	jbuf_puts(b, ")");
	if (!it->ev.has_end)
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
	put_clean(b, disp(it->domain), "|", 0);
	jbuf_puts(b, " (id ");
	put_clean(b, disp(it->id), "|", 0);
	jbuf_printf(b, "): %s, ", tc_state_name(it->ev.state));
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
	for (size_t i = 0; i < it->n_bound; i++) {
		jbuf_puts(b, i == 0 ? ", bound to " : ", ");
		put_clean(b, disp(it->bound[i]), "|", 0);
	}
	jbuf_puts(b, "\n");
}

/* One per-certificate perfdata item, without separators. */
static void put_cert_perf(struct jbuf *b, const struct report_item *it, const struct out_opts *o)
{
	static const char bad[] = "=;| \t\n\r\v\f";
	jbuf_puts(b, "'days_");
	put_clean(b, disp(it->id), bad, 1);
	jbuf_puts(b, "_");
	put_clean(b, disp(it->domain), bad, 1);
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
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80                   ? 1
		           : (c >= 0xC2 && c <= 0xDF) ? 2
		           : (c >= 0xE0 && c <= 0xEF) ? 3
		           : (c >= 0xF0 && c <= 0xF4) ? 4
		                                      : 0;
		int good = k > 0 && i + k <= n;
		for (size_t j = 1; good && j < k; j++)
			if (((unsigned char)s[i + j] & 0xC0) != 0x80) good = 0;
		if (good && k == 3) {
			unsigned char d = (unsigned char)s[i + 1];
			if ((c == 0xE0 && d < 0xA0) || (c == 0xED && d > 0x9F)) good = 0;
		} else if (good && k == 4) {
			unsigned char d = (unsigned char)s[i + 1];
			if ((c == 0xF0 && d < 0x90) || (c == 0xF4 && d > 0x8F)) good = 0;
		}
		if (good) {
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
			jbuf_printf(&b, ",\"state\":\"%s\"}", tc_state_name(r->items[i].ev.state));
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
	if (o->json)
		out_json(f, r, st);
	else
		out_text(f, r, o, st);
	fflush(f);
	return st;
}
