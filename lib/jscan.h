/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A streaming JSON scanner and validator: feed a document (its root must be an
 * object) in any chunking and it checks the whole syntax in one pass, calling back only for the
 * values its consumer watches (named members of watched objects, elements of watched arrays) and
 * copying only the values it captures. Everything else is skipped at scanning speed: string
 * contents and whitespace runs 16 or 8 bytes at a time. Nothing is allocated; every chunking gives
 * the same calls and bytes. */
#ifndef TC_JSCAN_H
#define TC_JSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "msg.h"

#define JSCAN_MAX_DEPTH 64 /* open containers */
#define JSCAN_MAX_KEY   32 /* bytes of a watched member name; longer ones never match */
#define JSCAN_MAX_NAMES 32 /* names one watched object can match */
#define JSCAN_MAX_PRIM  64 /* bytes of a number or literal */
#define JSCAN_MAX_ALIKE 12 /* names of one length in one table */

/* Member names of a watched object, compared with the raw key bytes (escapes
 * are not decoded). Build once with jscan_names_init. */
struct jscan_names {
	const char *name[JSCAN_MAX_NAMES];
	unsigned char len[JSCAN_MAX_NAMES];
	int n;
	/* the names of each length, by index; 0xff ends the list */
	unsigned char by_len[JSCAN_MAX_KEY + 1][JSCAN_MAX_ALIKE + 1];
	/* by a hash of the key: 0 none, index + 1 the one name, 0xff several */
	unsigned char hash[256];
	/* bit n of lens[c]: a name n bytes long starts with c (rules out most keys at once) */
	uint64_t lens[256];
};
_Static_assert(JSCAN_MAX_KEY < 64, "lens holds a bit per name length");
/* 0, or -1 when there are too many names, one is too long or empty, or more
 * than JSCAN_MAX_ALIKE have one length. */
int jscan_names_init(struct jscan_names *t, const char *const *names, int n);
/* The index of the name key[0..n) in t, -1 when none. */
int jscan_match(const struct jscan_names *t, const char *key, size_t n);

/* Where a capture copies the value's bytes. Past max it keeps the first max
 * bytes and sets over; the scan goes on. */
struct jscan_sink {
	char *buf;
	size_t len, max;
	int over;
};

enum jscan_act {
	JSCAN_SKIP,    /* validate only */
	JSCAN_WATCH,   /* a container: call back for its members/elements */
	JSCAN_CAPTURE, /* copy the whole value into the sink set by jscan_capture */
	JSCAN_STOP,    /* the hook failed: the scan stops with JSCAN_ERR_HOOK */
};

struct jscan;

/* kind: '{', '[', '"' or 'p' (number or literal). slot: the index of the
 * member's name in the watching object's names, -1 for an array element.
 * depth: open containers around the value. For JSCAN_WATCH of an object,
 * *names receives the names to match (NULL: none). */
struct jscan_hooks {
	enum jscan_act (*begin)(void *ctx, struct jscan *j, int depth, int slot, char kind,
	                        const struct jscan_names **names);
	/* A watched container closed or a captured value ended. 0 to go on. */
	int (*end)(void *ctx, struct jscan *j, int depth);
};

enum jscan_err {
	JSCAN_OK = 0,
	JSCAN_ERR_SYNTAX, /* message says what and at which byte */
	JSCAN_ERR_HOOK,   /* a hook stopped the scan; it said why */
};

void jscan_init(struct jscan *j, const struct jscan_hooks *hooks, void *ctx, struct msg *m);
enum jscan_err jscan_feed(struct jscan *j, const char *data, size_t len);
/* 1 when the root object is complete (only whitespace may follow), 0 when the
 * document is still open or the scan stopped on an error, -1 when nothing but
 * whitespace came. */
int jscan_done(const struct jscan *j);
/* From a begin hook returning JSCAN_CAPTURE: where the bytes go (inline, below). */
static inline void jscan_capture(struct jscan *j, struct jscan_sink *sink);
/* Bytes consumed before the current chunk plus the offset into it, for messages. */
size_t jscan_offset(const struct jscan *j);

/* ---- internals: use only through the functions above ---- */
struct jscan {
	const struct jscan_hooks *hooks;
	void *ctx;
	struct msg *msg;
	enum jscan_err err;
	size_t base; /* bytes before the current chunk */
	size_t at;   /* offset into the current chunk, while hooks run */
	int state;
	int depth;
	int watch; /* values at depth <= watch reach the hooks */
	unsigned char stack[JSCAN_MAX_DEPTH];
	const struct jscan_names *names[JSCAN_MAX_DEPTH + 1];
	int slot;     /* the matched name of the member whose value comes next */
	int str_kind; /* what the open string is */
	int hex_left;
	size_t key_len;
	char key[JSCAN_MAX_KEY];
	size_t prim_len;
	char prim[JSCAN_MAX_PRIM];
	struct jscan_sink *sink; /* the capture in progress, NULL when none */
	int cap_depth;
};

/* once per kept member: not worth a call */
static inline void jscan_capture(struct jscan *j, struct jscan_sink *sink)
{
	j->sink = sink;
}

#endif
