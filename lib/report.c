/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"

#define STR_(x) #x
#define STR(x)  STR_(x)

/* A set of copies: a max-heap in print order (its top is the one printed
 * last) when the report is bounded, else a plain array. */
struct set {
	struct report_item *v;
	size_t n, cap;
};

/* What one page added, kept apart until the page is committed or discarded. */
struct page_acc {
	unsigned page;
	long long listed, selected, count[TC_NSTATES];
	int has_min;
	long long min_days_left;
	int has_soonest;
	struct report_item soonest;
	struct set kept;
};

struct pending {
	struct page_acc *v;
	size_t n, cap;
};

/* ---- order ---- */

static int idcmp(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* The print order without the id: < 0 when (state, end) comes first. */
static int pre_cmp(const struct cert_eval *a, const struct cert_eval *b)
{
	int ra = tc_state_rank(a->state), rb = tc_state_rank(b->state);
	if (ra != rb) return rb - ra;
	if (a->has_end != b->has_end) return b->has_end - a->has_end;
	if (a->has_end && a->end != b->end) return a->end < b->end ? -1 : 1;
	return 0;
}

static int item_cmp(const void *pa, const void *pb)
{
	const struct report_item *a = pa, *b = pb;
	int c = pre_cmp(&a->ev, &b->ev);
	return c ? c : idcmp(a->id, b->id);
}

/* 1 when (end, id) comes before the kept soonest certificate. */
static int sooner(long long end, const char *id, const struct report_item *than)
{
	if (end != than->ev.end) return end < than->ev.end;
	return idcmp(id, than->id) < 0;
}

/* ---- copies ---- */

/* Bytes of a decoded string of raw view v, NUL included; cut is the most kept. */
static size_t str_need(struct tc_view v, size_t cut, int keep_empty)
{
	if (!v.p) return keep_empty ? 1 : 0;
	return v.n + 1 < cut ? v.n + 1 : cut;
}

/* Decodes v into the block at *sp; NULL for an absent value unless keep_empty
 * (array entries), which stores "" instead. Decoding never grows a valid JSON
 * string, and json_unescape cuts at the cap anyway. */
static char *str_put(struct tc_view v, char **sp, size_t cut, int keep_empty)
{
	char *s = *sp;
	size_t n = str_need(v, cut, keep_empty);
	if (n == 0) return NULL;
	if (v.p)
		json_unescape(v, s, n);
	else
		*s = '\0';
	*sp += n;
	return s;
}

static int account(struct report *r, size_t n)
{
	if (n > REPORT_MAX_BYTES - r->kept_bytes) {
		if (!r->err) r->err = REPORT_ERR_CAP;
		return -1;
	}
	r->kept_bytes += n;
	return 0;
}

/* Copies what printing needs out of c, in one block so one free() releases it. */
static int item_copy(struct report *r, struct report_item *it, const struct resp_cert *c,
                     unsigned page, const struct cert_eval *ev)
{
	size_t cut = r->text_only ? REPORT_TEXT_NAME : (size_t)-1;
	size_t n_san = c->n_san < RESP_MAX_NAMES ? c->n_san : RESP_MAX_NAMES;
	size_t n_bound = c->n_bound < RESP_MAX_BOUND ? c->n_bound : RESP_MAX_BOUND;
	if (r->text_only) n_san = 0;
	struct tc_view alias = r->text_only ? (struct tc_view){0} : c->alias;
	size_t need = (n_san + n_bound) * sizeof(char *);
	struct tc_view repl = view_empty(c->replaced_by) ? (struct tc_view){0} : c->replaced_by;
	need += str_need(c->id, (size_t)-1, 0) + str_need(c->domain, cut, 0) +
	        str_need(alias, cut, 0) + str_need(repl, cut, 0);
	for (size_t i = 0; i < n_san; i++)
		need += str_need(c->san[i], cut, 1);
	for (size_t i = 0; i < n_bound; i++)
		need += str_need(c->bound[i], cut, 1);
	if (need == 0) need = 1;
	if (account(r, need) != 0) return -1;

	char *mem = malloc(need);
	if (!mem) {
		r->kept_bytes -= need;
		if (!r->err) r->err = REPORT_ERR_NOMEM;
		return -1;
	}
	char **arr = (char **)(void *)mem;
	char *sp = mem + (n_san + n_bound) * sizeof(char *);
	memset(it, 0, sizeof *it);
	it->mem = mem;
	it->mem_size = need;
	it->san = n_san ? arr : NULL;
	it->bound = n_bound ? arr + n_san : NULL;
	it->n_san = n_san;
	it->n_bound = n_bound;
	it->id = str_put(c->id, &sp, (size_t)-1, 0); /* whole: the order reads all of it */
	it->domain = str_put(c->domain, &sp, cut, 0);
	it->alias = str_put(alias, &sp, cut, 0);
	it->replaced_by = str_put(repl, &sp, cut, 0);
	for (size_t i = 0; i < n_san; i++)
		arr[i] = str_put(c->san[i], &sp, cut, 1);
	for (size_t i = 0; i < n_bound; i++)
		arr[n_san + i] = str_put(c->bound[i], &sp, cut, 1);
	it->status = c->status;
	it->page = page;
	it->ev = *ev;
	return 0;
}

static void item_release(struct report *r, struct report_item *it)
{
	if (it->mem) {
		r->kept_bytes -= it->mem_size;
		free(it->mem);
	}
	memset(it, 0, sizeof *it);
}

/* ---- sets ---- */

static void sift_up(struct report_item *v, size_t i)
{
	while (i > 0) {
		size_t up = (i - 1) / 2;
		if (item_cmp(&v[up], &v[i]) >= 0) break;
		struct report_item t = v[up];
		v[up] = v[i];
		v[i] = t;
		i = up;
	}
}

static void sift_down(struct report_item *v, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, big = i;
		if (l < n && item_cmp(&v[l], &v[big]) > 0) big = l;
		if (l + 1 < n && item_cmp(&v[l + 1], &v[big]) > 0) big = l + 1;
		if (big == i) break;
		struct report_item t = v[big];
		v[big] = v[i];
		v[i] = t;
		i = big;
	}
}

/* Room for one more entry in s; the array counts against the cap. */
static int set_grow(struct report *r, struct set *s)
{
	if (s->n < s->cap) return 0;
	size_t want = s->cap ? s->cap * 2 : 16;
	if (r->bound && want > r->bound) want = r->bound;
	size_t sz = sizeof *s->v;
	if (want > REPORT_MAX_BYTES / sz || account(r, (want - s->cap) * sz) != 0) {
		if (!r->err) r->err = REPORT_ERR_CAP;
		return -1;
	}
	struct report_item *nv = realloc(s->v, want * sz);
	if (!nv) {
		r->kept_bytes -= (want - s->cap) * sz;
		if (!r->err) r->err = REPORT_ERR_NOMEM;
		return -1;
	}
	s->v = nv;
	s->cap = want;
	return 0;
}

static void set_free(struct report *r, struct set *s)
{
	for (size_t i = 0; i < s->n; i++)
		item_release(r, &s->v[i]);
	r->kept_bytes -= s->cap * sizeof *s->v;
	r->n_items -= s->n;
	free(s->v);
	memset(s, 0, sizeof *s);
}

/* 1 when a certificate at ev with (raw) id would be kept by s. The id is
 * decoded only when state and end time tie with the top. */
static int set_wants(const struct report *r, const struct set *s, const struct cert_eval *ev,
                     struct tc_view id)
{
	if (!r->bound || s->n < r->bound) return 1;
	const struct report_item *top = &s->v[0];
	int c = pre_cmp(ev, &top->ev);
	if (c) return c < 0;
	char buf[EVAL_MAX_NAME] = "";
	if (id.n >= sizeof buf) return 1; /* set_put compares the whole copy */
	if (id.p) json_unescape(id, buf, sizeof buf);
	return idcmp(id.p ? buf : NULL, top->id) < 0;
}

/* Moves *it into s (or releases it when s is full of earlier ones). */
static int set_put(struct report *r, struct set *s, struct report_item *it)
{
	if (r->bound && s->n == r->bound) {
		if (item_cmp(it, &s->v[0]) >= 0) {
			item_release(r, it);
			return 0;
		}
		item_release(r, &s->v[0]);
		s->v[0] = *it;
		sift_down(s->v, s->n, 0);
		return 0;
	}
	if (set_grow(r, s) != 0) {
		item_release(r, it);
		return -1;
	}
	s->v[s->n] = *it;
	if (r->bound) sift_up(s->v, s->n);
	s->n++;
	r->n_items++;
	return 0;
}

/* The committed set lives in the public items / cap_items. */
static struct set committed(const struct report *r)
{
	struct set s = {r->items, r->n_commit, r->cap_items};
	return s;
}

static void set_committed(struct report *r, const struct set *s)
{
	r->items = s->v;
	r->n_commit = s->n;
	r->cap_items = s->cap;
}

/* ---- pages ---- */

static struct page_acc *acc_find(struct report *r, unsigned page)
{
	struct pending *p = r->pending;
	if (!p) return NULL;
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].page == page) return &p->v[i];
	return NULL;
}

static struct page_acc *acc_get(struct report *r, unsigned page)
{
	struct page_acc *a = acc_find(r, page);
	if (a) return a;
	if (!r->pending && !(r->pending = calloc(1, sizeof(struct pending)))) {
		r->err = REPORT_ERR_NOMEM;
		return NULL;
	}
	struct pending *p = r->pending;
	if (p->n == p->cap) {
		if (p->cap >= REPORT_MAX_PAGES) {
			r->err = REPORT_ERR_PAGES;
			return NULL;
		}
		size_t want = p->cap ? p->cap * 2 : 8;
		if (want > REPORT_MAX_PAGES) want = REPORT_MAX_PAGES;
		struct page_acc *nv = realloc(p->v, want * sizeof *nv);
		if (!nv) {
			r->err = REPORT_ERR_NOMEM;
			return NULL;
		}
		p->v = nv;
		p->cap = want;
	}
	a = &p->v[p->n++];
	memset(a, 0, sizeof *a);
	a->page = page;
	return a;
}

static void acc_remove(struct report *r, struct page_acc *a)
{
	struct pending *p = r->pending;
	if (a->has_soonest) item_release(r, &a->soonest);
	set_free(r, &a->kept);
	*a = p->v[--p->n];
}

static void keep(struct report *r, struct set *s, const struct resp_cert *c, unsigned page,
                 const struct cert_eval *ev)
{
	struct report_item it;
	if (!set_wants(r, s, ev, c->id)) return;
	if (item_copy(r, &it, c, page, ev) == 0) set_put(r, s, &it);
}

static int sink_cert(void *ctx, unsigned page, const struct resp_cert *c)
{
	struct report *r = ctx;
	struct page_acc *a = acc_get(r, page);
	if (!a)
		return 1; /* the page's counts cannot be kept apart: the listing cannot be trusted
		           */
	a->listed++;
	if (!eval_selected(r->sel, c)) return 0;
	a->selected++;

	struct cert_eval ev;
	eval_cert(r->eval, c, &ev);
	a->count[ev.state]++;
	if (ev.has_end && (!a->has_min || ev.days_left < a->min_days_left)) {
		a->has_min = 1;
		a->min_days_left = ev.days_left;
	}
	if (ev.state == TC_OK && ev.has_end) {
		int better = !a->has_soonest || ev.end < a->soonest.ev.end;
		if (a->has_soonest && ev.end == a->soonest.ev.end) {
			char id[EVAL_MAX_NAME] = "";
			if (c->id.p) json_unescape(c->id, id, sizeof id);
			better = sooner(ev.end, c->id.p ? id : NULL, &a->soonest);
		}
		struct report_item tmp;
		if (better && item_copy(r, &tmp, c, page, &ev) == 0) {
			if (a->has_soonest) item_release(r, &a->soonest);
			a->soonest = tmp;
			a->has_soonest = 1;
		}
	}
	if (ev.state != TC_OK || r->keep_all) keep(r, &a->kept, c, page, &ev);
	return 0;
}

static void sink_commit(void *ctx, unsigned page)
{
	struct report *r = ctx;
	struct page_acc *a = acc_find(r, page);
	if (!a) return;
	r->listed += a->listed;
	r->selected += a->selected;
	for (int s = 0; s < TC_NSTATES; s++)
		r->count[s] += a->count[s];
	if (a->has_min && (!r->has_min || a->min_days_left < r->min_days_left)) {
		r->has_min = 1;
		r->min_days_left = a->min_days_left;
	}
	if (a->has_soonest &&
	    (!r->has_soonest || sooner(a->soonest.ev.end, a->soonest.id, &r->soonest))) {
		if (r->has_soonest) item_release(r, &r->soonest);
		r->soonest = a->soonest;
		r->has_soonest = 1;
		memset(&a->soonest, 0, sizeof a->soonest); /* moved, not released below */
		a->has_soonest = 0;
	}
	struct set cs = committed(r);
	if (r->sorted && r->bound) /* a commit after report_finish(): a heap again */
		for (size_t i = cs.n / 2; i-- > 0;)
			sift_down(cs.v, cs.n, i);
	r->sorted = 0;
	for (size_t i = 0; i < a->kept.n; i++) {
		struct report_item *it = &a->kept.v[i];
		it->committed = 1;
		r->n_items--; /* set_put counts it again when it stays */
		set_put(r, &cs, it);
		memset(it, 0, sizeof *it);
	}
	a->kept.n = 0;
	set_committed(r, &cs);
	acc_remove(r, a);
}

static void sink_discard(void *ctx, unsigned page)
{
	struct report *r = ctx;
	struct page_acc *a = acc_find(r, page);
	if (a) acc_remove(r, a);
}

static void clear(struct report *r)
{
	struct pending *p = r->pending;
	struct set cs = committed(r);
	set_free(r, &cs);
	if (r->has_soonest) item_release(r, &r->soonest);
	if (p) {
		while (p->n > 0)
			acc_remove(r, &p->v[p->n - 1]);
		free(p->v);
		free(p);
	}
	const struct select_opts *sel = r->sel;
	const struct eval_opts *eval = r->eval;
	int keep_all = r->keep_all, text_only = r->text_only;
	size_t bound = r->bound;
	memset(r, 0, sizeof *r);
	r->sel = sel;
	r->eval = eval;
	r->keep_all = keep_all;
	r->text_only = text_only;
	r->bound = bound;
}

static void sink_reset(void *ctx)
{
	clear(ctx);
}

void report_init(struct report *r, const struct select_opts *sel, const struct eval_opts *eval,
                 int keep_all)
{
	memset(r, 0, sizeof *r);
	r->sel = sel;
	r->eval = eval;
	r->keep_all = keep_all;
}

size_t report_bound(size_t max_output)
{
	size_t b = max_output / REPORT_MIN_LINE + 1;
	return b < REPORT_NAMED ? REPORT_NAMED : b;
}

void report_for_text(struct report *r, size_t max_output)
{
	r->text_only = 1;
	r->bound = max_output ? report_bound(max_output) : 0;
}

struct client_sink report_sink(struct report *r)
{
	struct client_sink s = {r, sink_cert, sink_commit, sink_discard, sink_reset};
	return s;
}

enum report_err report_finish(struct report *r)
{
	struct pending *p = r->pending;
	if (p)
		while (p->n > 0)
			acc_remove(r, &p->v[p->n - 1]);
	r->n_items = r->n_commit;
	if (r->n_items > 1) qsort(r->items, r->n_items, sizeof *r->items, item_cmp);
	r->sorted = 1;
	return r->err;
}

const char *report_strerror(enum report_err e)
{
	switch (e) {
	case REPORT_OK:
		return "no error";
	case REPORT_ERR_CAP:
		return "more than " STR(REPORT_MAX_MIB) " MiB of certificates to print: use "
		                                        "--max-output or narrow the selection";
	case REPORT_ERR_PAGES:
		return "more than " STR(REPORT_MAX_PAGES) " pages pending at once";
	case REPORT_ERR_NOMEM:
		break;
	}
	return "out of memory collecting certificates";
}

enum tc_state report_state(const struct report *r, enum tc_state empty_state)
{
	enum tc_state st = TC_OK;
	if (r->selected == 0) return empty_state;
	for (int s = 0; s < TC_NSTATES; s++)
		if (r->count[s] > 0) st = tc_state_worst(st, (enum tc_state)s);
	return st;
}

void report_free(struct report *r)
{
	clear(r);
}
