/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark (not a test): parse + evaluate throughput over a saved page, no network.
 * Feeds the file through resp_feed in CHUNK-byte pieces and evaluates every
 * certificate (default selection, -w 30 -c 7) like the plugin does; prints the
 * best of ROUNDS runs in MB/s (1 MB = 10^6 bytes).
 *   tests/bench/bench_parse FILE [ROUNDS [CHUNK]]     (defaults 200 and 65536)
 * make bench-parse builds it and runs it over a generated gen:1000 page. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evaluate.h"
#include "response.h"
#include "thresholds.h"

static struct resp_parser parser;

struct tally {
	struct select_opts sel;
	struct eval_opts ev;
	long long selected, state[TC_NSTATES];
};

static int on_cert(void *ctx, const struct resp_cert *c)
{
	struct tally *t = ctx;
	struct cert_eval e;
	if (!eval_selected(&t->sel, c)) return 0;
	eval_cert(&t->ev, c, &e);
	t->selected++;
	t->state[e.state]++;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: %s FILE [ROUNDS [CHUNK]]\n", argv[0]);
		return 2;
	}
	long rounds = argc > 2 ? atol(argv[2]) : 200, chunk = argc > 3 ? atol(argv[3]) : 65536;
	FILE *f = fopen(argv[1], "rb");
	if (!f || rounds < 1 || chunk < 1) {
		fprintf(stderr, "bench_parse: cannot read %s or bad arguments\n", argv[1]);
		return 2;
	}
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *body = malloc(size > 0 ? (size_t)size : 1);
	if (!body || size <= 0 || fread(body, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "bench_parse: cannot read %s\n", argv[1]);
		return 2;
	}
	fclose(f);

	struct tally t;
	double best = 1e9;
	for (long r = 0; r < rounds; r++) {
		memset(&t, 0, sizeof t);
		thr_parse("30", &t.ev.warn);
		thr_parse("7", &t.ev.crit);
		t.ev.now = 1767225600; /* the default NOW of gen_page.py */
		double t0 = now_s();
		resp_init(&parser, on_cert, &t);
		enum resp_err e = RESP_OK;
		for (long off = 0; off < size && !e; off += chunk)
			e = resp_feed(&parser, body + off,
			              (size_t)(size - off < chunk ? size - off : chunk));
		if (!e) e = resp_finish(&parser);
		double dt = now_s() - t0;
		if (e) {
			fprintf(stderr, "bench_parse: %s\n", resp_message(&parser));
			return 1;
		}
		if (dt < best) best = dt;
	}
	printf("parse+evaluate: %ld bytes, %zu certificates (%lld selected: %lld ok, %lld warning, "
	       "%lld critical, %lld unknown), %ld-byte chunks, best of %ld: %.3f ms, %.0f MB/s\n",
	       size, resp_get_summary(&parser)->n_certs, t.selected, t.state[TC_OK],
	       t.state[TC_WARNING], t.state[TC_CRITICAL], t.state[TC_UNKNOWN], chunk, rounds,
	       best * 1e3, (double)size / 1e6 / best);
	free(body);
	return 0;
}
