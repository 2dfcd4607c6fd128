/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "idset.h"

#include <stdlib.h>
#include <string.h>

uint64_t idset_hash(const char *id, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)id[i];
		h *= 0x100000001b3ull;
	}
	return h ? h : 1; /* 0 marks an empty slot */
}

void idset_init(struct idset *s)
{
	memset(s, 0, sizeof *s);
}

static int idset_put(uint64_t *slot, size_t cap, uint64_t h)
{
	size_t i = (size_t)(h ^ (h >> 29)) & (cap - 1);
	while (slot[i]) {
		if (slot[i] == h) return 0;
		i = (i + 1) & (cap - 1);
	}
	slot[i] = h;
	return 1;
}

static int idset_has(const struct idset *s, uint64_t h)
{
	if (!s->cap) return 0;
	size_t i = (size_t)(h ^ (h >> 29)) & (s->cap - 1);
	for (; s->slot[i]; i = (i + 1) & (s->cap - 1))
		if (s->slot[i] == h) return 1;
	return 0;
}

static int resize(struct idset *s, size_t ncap)
{
	uint64_t *ns = calloc(ncap, sizeof *ns);
	if (!ns) return -1;
	for (size_t i = 0; i < s->cap; i++)
		if (s->slot[i]) idset_put(ns, ncap, s->slot[i]);
	free(s->slot);
	s->slot = ns;
	s->cap = ncap;
	return 0;
}

int idset_reserve(struct idset *s, size_t n)
{
	if (n > IDSET_MAX) n = IDSET_MAX;
	size_t cap = 1024;
	while (cap / 5 * 4 < n)
		cap *= 2;
	if (cap <= s->cap) return 0;
	if (resize(s, cap) != 0) return -1;
	s->fill = cap / 5 * 4; /* linear probing stays short up to 4/5 full */
	return 0;
}

int idset_add(struct idset *s, uint64_t h)
{
	if (!h) h = 1;
	/* full: a duplicate is still named as one, anything new is over the cap */
	if (s->n >= IDSET_MAX) return idset_has(s, h) ? 0 : -1;
	if (s->n + 1 > s->fill) {
		if (resize(s, s->cap ? s->cap * 2 : 1024) != 0) return -1;
		s->fill = s->cap / 2;
	}
	int added = idset_put(s->slot, s->cap, h);
	s->n += (size_t)added;
	return added;
}

void idset_clear(struct idset *s)
{
	idset_free(s); /* not memset: the reserved pages not yet touched stay untouched */
}

void idset_free(struct idset *s)
{
	free(s->slot);
	memset(s, 0, sizeof *s);
}
