/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark (not a test): the scanner alone over a saved page, to split bench_parse's cost.
 *   tests/bench/bench_scan FILE MODE [ROUNDS]      (ROUNDS default 200)
 * MODE skip:  validate the page, nothing watched (the floor of any scan);
 *      watch: the certificates' names watched as the parser does, every member skipped
 *             (what matching the names costs, without keeping anything).
 * Prints the best round in MB/s; under callgrind, instructions a certificate are the total
 * over ROUNDS times the page's certificates. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jscan.h"
#include "resp_fields.h"

static struct jscan_names root, resp, cert, extra;
static int watch_names;

static enum jscan_act begin(void *ctx, struct jscan *j, int depth, int slot, char kind,
                            const struct jscan_names **names)
{
	(void)ctx, (void)j, (void)slot, (void)kind;
	if (!watch_names || depth > 3) return JSCAN_SKIP;
	/* the parser's path: root, Response, Certificates, a certificate */
	*names = depth == 0 ? &root : depth == 1 ? &resp : depth == 3 ? &cert : NULL;
	return JSCAN_WATCH;
}

static int end(void *ctx, struct jscan *j, int depth)
{
	(void)ctx, (void)j, (void)depth;
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const root_names[] = {"Response"}, *const resp_names[] = {
	                                                          "Certificates"};
	if (argc < 3 || argc > 4 || (strcmp(argv[2], "skip") && strcmp(argv[2], "watch"))) {
		fprintf(stderr, "usage: %s FILE skip|watch [ROUNDS]\n", argv[0]);
		return 2;
	}
	watch_names = !strcmp(argv[2], "watch");
	long rounds = argc > 3 ? atol(argv[3]) : 200;
	FILE *f = fopen(argv[1], "rb");
	static char body[64 << 20];
	size_t size = f ? fread(body, 1, sizeof body, f) : 0;
	if (!f || size == 0 || size == sizeof body || rounds < 1) {
		fprintf(stderr, "bench_scan: cannot read %s (at most 64 MiB) or bad arguments\n",
		        argv[1]);
		return 2;
	}
	fclose(f);
	jscan_names_init(&root, root_names, 1);
	jscan_names_init(&resp, resp_names, 1);
	resp_fields_names(&cert, &extra);

	const struct jscan_hooks hooks = {begin, end};
	double best = 1e9;
	for (long r = 0; r < rounds; r++) {
		struct jscan j;
		struct msg m;
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		jscan_init(&j, &hooks, NULL, &m);
		enum jscan_err e = JSCAN_OK;
		for (size_t off = 0; off < size && !e; off += 65536)
			e = jscan_feed(&j, body + off, size - off < 65536 ? size - off : 65536);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (e || jscan_done(&j) != 1) {
			fprintf(stderr, "bench_scan: %s: %s\n", argv[1], e ? m.text : "incomplete");
			return 1;
		}
		double dt =
		    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (dt < best) best = dt;
	}
	printf("scan (%s): %zu bytes, 65536-byte chunks, best of %ld: %.3f ms, %.0f MB/s\n",
	       argv[2], size, rounds, best * 1e3, (double)size / 1e6 / best);
	return 0;
}
