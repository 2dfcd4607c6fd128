/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs one fuzz target (linked with this file) over its seed corpus,
 * tests/fuzz/corpus/FUZZ_NAME/, and ~20,000 deterministic mutations of it (bit
 * flips, cuts, inserted quotes, braces and backslashes). A crash or a broken
 * contract aborts inside the target; run under ASan/UBSan in CI. */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_SEEDS      64
#define MAX_SEED_BYTES (256 * 1024)
#define MUTATIONS      20000

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned char *seeds[MAX_SEEDS];
static size_t seed_len[MAX_SEEDS];

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	printf("# target %s\n", FUZZ_NAME);
	const char *top = getenv("top_srcdir");
	char dir[4096], path[8192];
	char *names[MAX_SEEDS];
	size_t n_seeds = 0;
	snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", top ? top : ".", FUZZ_NAME);

	DIR *d = opendir(dir);
	printf("# corpus: %s\n", dir);
	ok(d != NULL, "corpus directory found");
	if (!d) return tap_done();
	struct dirent *de;
	while ((de = readdir(d)) && n_seeds < MAX_SEEDS)
		if (de->d_name[0] != '.') names[n_seeds++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n_seeds, sizeof names[0], by_name); /* the same order everywhere */
	ok(n_seeds >= 3, "%zu seed files", n_seeds);

	for (size_t i = 0; i < n_seeds; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "rb");
		seeds[i] = malloc(MAX_SEED_BYTES);
		seed_len[i] = f ? fread(seeds[i], 1, MAX_SEED_BYTES, f) : 0;
		if (f) fclose(f);
		/* the seed as it is, then in every chunking mode (its first byte chooses) */
		LLVMFuzzerTestOneInput(seeds[i], seed_len[i]);
		for (unsigned mode = 0; mode < 4 && seed_len[i] > 0; mode++) {
			unsigned char *buf = malloc(seed_len[i]);
			memcpy(buf, seeds[i], seed_len[i]);
			buf[0] = (unsigned char)(0x30 + mode);
			LLVMFuzzerTestOneInput(buf, seed_len[i]);
			free(buf);
		}
		ok(f != NULL, "seed %s (%zu bytes) in 4 chunkings", names[i], seed_len[i]);
		free(names[i]);
	}

	static unsigned char buf[MAX_SEED_BYTES + 64];
	/* for fuzz_response the first two bytes choose the chunking */
	static const char inserts[] = "\"{}[]\\:,u0";
	size_t runs = 0;
	for (int k = 0; k < MUTATIONS && n_seeds; k++) {
		size_t s = next() % n_seeds, len = seed_len[s];
		memcpy(buf, seeds[s], len);
		if (len >= 2 && next() % 2) { /* another chunking */
			buf[0] = (unsigned char)next();
			buf[1] = (unsigned char)next();
		}
		int edits = 1 + (int)(next() % 4);
		for (int e = 0; e < edits && len > 0; e++) {
			size_t at = next() % len;
			switch (next() % 5) {
			case 0:
				buf[at] ^= (unsigned char)(1u << (next() % 8));
				break;
			case 1:
				len = at;
				break; /* truncation */
			case 2:        /* insertion */
				if (len < MAX_SEED_BYTES) {
					memmove(buf + 1 + at, buf + at, len - at);
					buf[at] =
					    (unsigned char)inserts[next() % (sizeof inserts - 1)];
					len++;
				}
				break;
			case 3: /* deletion */
				memmove(buf + at, buf + at + 1, len - at - 1);
				len--;
				break;
			default:
				buf[at] = (unsigned char)inserts[next() % (sizeof inserts - 1)];
			}
		}
		LLVMFuzzerTestOneInput(buf, len);
		runs++;
	}
	is_int(runs, n_seeds ? MUTATIONS : 0, "mutations run without a crash or a broken contract");
	for (size_t i = 0; i < n_seeds; i++)
		free(seeds[i]);
	return tap_done();
}
