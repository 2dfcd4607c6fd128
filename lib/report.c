#include "config.h"

#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"

/* What one page added, kept apart until the page is committed or discarded. */
struct page_acc {
	unsigned page;
	long long listed, selected, count[TC_NSTATES];
	int has_min;
	long long min_days_left;
	int has_soonest;
	struct report_item soonest;
};

struct pending {
	struct page_acc *v;
	size_t n, cap;
};

static size_t str_need(struct tc_view v)
{
	return v.p ? v.n + 1 : 0;
}

/* Decodes v into the block at *sp; NULL for an absent value unless keep_empty
 * (array entries), which stores "" instead. Decoding never grows a valid JSON
 * string, and json_unescape cuts at the cap anyway. */
static char *str_put(struct tc_view v, char **sp, int keep_empty)
{
	char *s = *sp;
	if (!v.p) {
		if (!keep_empty) return NULL;
		*s = '\0';
		*sp += 1;
		return s;
	}
	json_unescape(v, s, v.n + 1);
	*sp += v.n + 1;
	return s;
}

/* Copies what printing needs out of c, in one block so one free() releases it. */
static int item_copy(struct report *r, struct report_item *it, const struct resp_cert *c,
                     unsigned page, const struct cert_eval *ev)
{
	size_t n_san = c->n_san < RESP_MAX_NAMES ? c->n_san : RESP_MAX_NAMES;
	size_t n_bound = c->n_bound < RESP_MAX_BOUND ? c->n_bound : RESP_MAX_BOUND;
	size_t need = (n_san + n_bound) * sizeof(char *);
	struct tc_view repl = view_empty(c->replaced_by) ? (struct tc_view){0} : c->replaced_by;
	need += str_need(c->id) + str_need(c->domain) + str_need(c->alias) + str_need(repl);
	for (size_t i = 0; i < n_san; i++)
		need += c->san[i].p ? c->san[i].n + 1 : 1;
	for (size_t i = 0; i < n_bound; i++)
		need += c->bound[i].p ? c->bound[i].n + 1 : 1;
	if (need == 0) need = 1;
	if (need > REPORT_MAX_BYTES - r->kept_bytes) return -1;

	char *mem = malloc(need);
	if (!mem) return -1;
	char **arr = (char **)(void *)mem;
	char *sp = mem + (n_san + n_bound) * sizeof(char *);
	memset(it, 0, sizeof *it);
	it->mem = mem;
	it->mem_size = need;
	it->san = n_san ? arr : NULL;
	it->bound = n_bound ? arr + n_san : NULL;
	it->n_san = n_san;
	it->n_bound = n_bound;
	it->id = str_put(c->id, &sp, 0);
	it->domain = str_put(c->domain, &sp, 0);
	it->alias = str_put(c->alias, &sp, 0);
	it->replaced_by = str_put(repl, &sp, 0);
	for (size_t i = 0; i < n_san; i++)
		arr[i] = str_put(c->san[i], &sp, 1);
	for (size_t i = 0; i < n_bound; i++)
		arr[n_san + i] = str_put(c->bound[i], &sp, 1);
	it->status = c->status;
	it->page = page;
	it->ev = *ev;
	r->kept_bytes += need;
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

static int idcmp(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* 1 when (end, id) comes before the kept soonest certificate. */
static int sooner(long long end, const char *id, const struct report_item *than)
{
	if (end != than->ev.end) return end < than->ev.end;
	return idcmp(id, than->id) < 0;
}

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
	if (!r->pending) {
		r->pending = calloc(1, sizeof(struct pending));
		if (!r->pending) return NULL;
	}
	struct pending *p = r->pending;
	if (p->n == p->cap) {
		if (p->cap >= REPORT_MAX_PAGES) return NULL;
		size_t want = p->cap ? p->cap * 2 : 8;
		if (want > REPORT_MAX_PAGES) want = REPORT_MAX_PAGES;
		struct page_acc *nv = realloc(p->v, want * sizeof *nv);
		if (!nv) return NULL;
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
	*a = p->v[--p->n];
}

static int push_item(struct report *r, const struct resp_cert *c, unsigned page,
                     const struct cert_eval *ev)
{
	if (r->n_items == r->cap_items) {
		if (r->cap_items >= REPORT_MAX_ITEMS) return -1;
		size_t want = r->cap_items ? r->cap_items * 2 : 64;
		if (want > REPORT_MAX_ITEMS) want = REPORT_MAX_ITEMS;
		struct report_item *nv = realloc(r->items, want * sizeof *nv);
		if (!nv) return -1;
		r->items = nv;
		r->cap_items = want;
	}
	if (item_copy(r, &r->items[r->n_items], c, page, ev) != 0) return -1;
	r->n_items++;
	return 0;
}

static int sink_cert(void *ctx, unsigned page, const struct resp_cert *c)
{
	struct report *r = ctx;
	struct page_acc *a = acc_get(r, page);
	if (!a) {
		/* the page's counts cannot be kept apart: the listing cannot be trusted */
		r->oom = 1;
		return 1;
	}
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
		if (better) {
			struct report_item tmp;
			if (item_copy(r, &tmp, c, page, &ev) == 0) {
				if (a->has_soonest) item_release(r, &a->soonest);
				a->soonest = tmp;
				a->has_soonest = 1;
			} else {
				r->oom = 1;
			}
		}
	}
	if ((ev.state != TC_OK || r->keep_all) && push_item(r, c, page, &ev) != 0) r->oom = 1;
	return 0;
}

static void sink_commit(void *ctx, unsigned page)
{
	struct report *r = ctx;
	struct page_acc *a = acc_find(r, page);
	for (size_t i = 0; i < r->n_items; i++)
		if (r->items[i].page == page) r->items[i].committed = 1;
	if (!a) return;
	r->listed += a->listed;
	r->selected += a->selected;
	for (int s = 0; s < 4; s++)
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
	acc_remove(r, a);
}

/* Drops the items still provisional, from one page (all_pages == 0) or from all. */
static void drop_pending_items(struct report *r, unsigned page, int all_pages)
{
	size_t o = 0;
	for (size_t i = 0; i < r->n_items; i++) {
		struct report_item *it = &r->items[i];
		if (!it->committed && (all_pages || it->page == page))
			item_release(r, it);
		else
			r->items[o++] = *it;
	}
	r->n_items = o;
}

static void sink_discard(void *ctx, unsigned page)
{
	struct report *r = ctx;
	struct page_acc *a = acc_find(r, page);
	if (a) acc_remove(r, a);
	drop_pending_items(r, page, 0);
}

static void clear(struct report *r)
{
	struct pending *p = r->pending;
	for (size_t i = 0; i < r->n_items; i++)
		item_release(r, &r->items[i]);
	free(r->items);
	if (r->has_soonest) item_release(r, &r->soonest);
	if (p) {
		while (p->n > 0)
			acc_remove(r, &p->v[p->n - 1]);
		free(p->v);
		free(p);
	}
	const struct select_opts *sel = r->sel;
	const struct eval_opts *eval = r->eval;
	int keep_all = r->keep_all;
	memset(r, 0, sizeof *r);
	r->sel = sel;
	r->eval = eval;
	r->keep_all = keep_all;
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

struct client_sink report_sink(struct report *r)
{
	struct client_sink s = {r, sink_cert, sink_commit, sink_discard, sink_reset};
	return s;
}

static int item_cmp(const void *pa, const void *pb)
{
	const struct report_item *a = pa, *b = pb;
	int ra = tc_state_rank(a->ev.state), rb = tc_state_rank(b->ev.state);
	if (ra != rb) return rb - ra;
	if (a->ev.has_end != b->ev.has_end) return b->ev.has_end - a->ev.has_end;
	if (a->ev.has_end && a->ev.end != b->ev.end) return a->ev.end < b->ev.end ? -1 : 1;
	return idcmp(a->id, b->id);
}

int report_finish(struct report *r)
{
	struct pending *p = r->pending;
	drop_pending_items(r, 0, 1);
	if (p)
		while (p->n > 0)
			acc_remove(r, &p->v[p->n - 1]);
	if (r->n_items > 1) qsort(r->items, r->n_items, sizeof *r->items, item_cmp);
	return r->oom ? -1 : 0;
}

enum tc_state report_state(const struct report *r, enum tc_state empty_state)
{
	enum tc_state st = TC_OK;
	if (r->selected == 0) return empty_state;
	for (int s = 0; s < 4; s++)
		if (r->count[s] > 0) st = tc_state_worst(st, (enum tc_state)s);
	return st;
}

void report_free(struct report *r)
{
	clear(r);
}
