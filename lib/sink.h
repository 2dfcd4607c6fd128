/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where listed certificates go (the report, the cache's tee). Everything
 * handed over under a page is provisional until commit(page); discard(page)
 * drops it (the page is fetched again); reset() drops everything (the listing
 * restarts from the start). */
#ifndef TC_SINK_H
#define TC_SINK_H

struct resp_cert;

struct client_sink {
	void *ctx;
	int (*cert)(void *ctx, unsigned page, const struct resp_cert *c); /* non-zero: abort */
	void (*commit)(void *ctx, unsigned page);
	void (*discard)(void *ctx, unsigned page);
	void (*reset)(void *ctx);
};

#endif
