/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark (not a test): parse + evaluate throughput over a saved
 * DescribeCertificates page, no network. The page goes through the streaming
 * parser in 16 KiB chunks (as libcurl hands them over) into the report with
 * the plugin's defaults (selection, -w 30 -c 7, --max-output 4000), over and
 * over for about a second, three times; prints the median.
 * Usage: bench_feed PAGE.json   (tests/bench/bench.sh builds and runs it) */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "report.h"
#include "response.h"

#define CHUNK  16384
#define ROUNDS 3

static int on_cert(void *ctx, const struct resp_cert *c)
{
	const struct client_sink *s = ctx;
	return s->cert(s->ctx, 0, c);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static struct resp_parser p;
	static struct report r;
	static struct select_opts sel;
	static struct eval_opts ev;
	if (argc != 2) {
		fprintf(stderr, "usage: bench_feed PAGE.json\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	static char page[RESP_MAX_BODY];
	size_t n = fread(page, 1, sizeof page, f);
	fclose(f);

	thr_parse("30", &ev.warn);
	thr_parse("7", &ev.crit);
	ev.now = (long long)time(NULL); /* the mock's gen dates follow the real clock */
	report_init(&r, &sel, &ev, 0);
	report_for_text(&r, 4000);
	struct client_sink s = report_sink(&r);

	double rate[ROUNDS];
	long long certs = 0;
	for (int k = 0; k < ROUNDS; k++) {
		double t0 = clock_mono(), t = t0;
		size_t bytes = 0;
		while (t - t0 < 1.0) {
			s.reset(s.ctx);
			resp_init(&p, on_cert, &s);
			for (size_t off = 0; off < n; off += CHUNK)
				if (resp_feed(&p, page + off, n - off < CHUNK ? n - off : CHUNK) !=
				    RESP_OK)
					break;
			if (resp_finish(&p) != RESP_OK) {
				fprintf(stderr, "bench_feed: %s\n", resp_message(&p));
				return 1;
			}
			s.commit(s.ctx, 0);
			bytes += n;
			t = clock_mono();
		}
		rate[k] = (double)bytes / (t - t0);
		certs = r.listed;
	}
	qsort(rate, ROUNDS, sizeof *rate, cmp);
	printf("%.0f MB/s, %.0f certificates/s (%zu bytes, %lld certificates a page)\n",
	       rate[ROUNDS / 2] / 1e6, rate[ROUNDS / 2] / (double)n * (double)certs, n, certs);
	report_free(&r);
	return 0;
}
