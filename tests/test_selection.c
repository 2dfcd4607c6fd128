/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Local selection of replaced certificates (issue 11) and the -c/-w check
 * that finds a warning threshold that can never fire. */
#include "config.h"

#include <string.h>

#include "evaluate.h"
#include "tap.h"

enum mode { DEFAULT, INCLUDE, EXCLUDE };

static const struct {
	const char *name;
	const char *replaced_by; /* NULL: not in the object */
	const char *bound[2];
	enum mode mode;
	int bound_only;
	int selected;
} replaced_cases[] = {
    {.name = "not replaced", .replaced_by = "", .mode = DEFAULT, .selected = 1},
    {.name = "ReplacedBy null", .replaced_by = NULL, .mode = DEFAULT, .selected = 1},
    {.name = "replaced, unbound: skipped", .replaced_by = "N", .mode = DEFAULT, .selected = 0},
    {.name = "replaced, bound: evaluated",
     .replaced_by = "N",
     .bound = {"clb"},
     .mode = DEFAULT,
     .selected = 1},
    {.name = "replaced, only an empty binding: skipped",
     .replaced_by = "N",
     .bound = {""},
     .mode = DEFAULT,
     .selected = 0},
    {.name = "replaced, second binding non-empty",
     .replaced_by = "N",
     .bound = {"", "cdn"},
     .mode = DEFAULT,
     .selected = 1},
    {.name = "--exclude-replaced: bound one skipped",
     .replaced_by = "N",
     .bound = {"clb"},
     .mode = EXCLUDE,
     .selected = 0},
    {.name = "--exclude-replaced: not replaced kept",
     .replaced_by = "",
     .mode = EXCLUDE,
     .selected = 1},
    {.name = "--include-replaced: unbound kept",
     .replaced_by = "N",
     .mode = INCLUDE,
     .selected = 1},
    {.name = "--include-replaced: bound kept",
     .replaced_by = "N",
     .bound = {"clb"},
     .mode = INCLUDE,
     .selected = 1},
    {.name = "--bound-only: bound replaced kept",
     .replaced_by = "N",
     .bound = {"clb"},
     .mode = DEFAULT,
     .bound_only = 1,
     .selected = 1},
    {.name = "--bound-only --include-replaced: unbound dropped",
     .replaced_by = "N",
     .mode = INCLUDE,
     .bound_only = 1,
     .selected = 0},
    {.name = "--bound-only --exclude-replaced: bound replaced dropped",
     .replaced_by = "N",
     .bound = {"clb"},
     .mode = EXCLUDE,
     .bound_only = 1,
     .selected = 0},
};

static void test_replaced(void)
{
	for (size_t i = 0; i < sizeof replaced_cases / sizeof replaced_cases[0]; i++) {
		struct resp_cert c;
		struct select_opts s;
		memset(&c, 0, sizeof c);
		memset(&s, 0, sizeof s);
		c.id = (struct tc_view){"A", 1};
		c.status = 1;
		const char *rb = replaced_cases[i].replaced_by;
		if (rb) c.replaced_by = (struct tc_view){rb, strlen(rb)};
		for (int k = 0; k < 2 && replaced_cases[i].bound[k]; k++)
			c.bound[c.n_bound++] = (struct tc_view){replaced_cases[i].bound[k],
			                                        strlen(replaced_cases[i].bound[k])};
		s.include_replaced = replaced_cases[i].mode == INCLUDE;
		s.exclude_replaced = replaced_cases[i].mode == EXCLUDE;
		s.bound_only = replaced_cases[i].bound_only;
		is_int(eval_selected(&s, &c), replaced_cases[i].selected, "%s",
		       replaced_cases[i].name);
	}
}

static const struct {
	const char *warn, *crit;
	int unreachable;
} shadow_cases[] = {
    {.warn = "30", .crit = "7", .unreachable = 0},
    {.warn = "5", .crit = "10", .unreachable = 1},
    {.warn = "7", .crit = "7", .unreachable = 1},
    {.warn = "7", .crit = "7.5", .unreachable = 1},
    {.warn = "7.5", .crit = "7", .unreachable = 0},
    {.warn = "5:", .crit = "10", .unreachable = 1},
    {.warn = "10%", .crit = "20%", .unreachable = 1},
    {.warn = "20%", .crit = "10%", .unreachable = 0},
    {.warn = "5%", .crit = "10", .unreachable = 0},
    {.warn = "5", .crit = "10%", .unreachable = 0},
    {.warn = "@5:8", .crit = "10", .unreachable = 0},
    {.warn = "5", .crit = "~:10", .unreachable = 0},
    {.warn = "5:60", .crit = "10", .unreachable = 0},
};

static void test_shadow(void)
{
	for (size_t i = 0; i < sizeof shadow_cases / sizeof shadow_cases[0]; i++) {
		struct eval_opts o;
		memset(&o, 0, sizeof o);
		ok(thr_parse(shadow_cases[i].warn, &o.warn) == 0 &&
		       thr_parse(shadow_cases[i].crit, &o.crit) == 0,
		   "-w %s -c %s parse", shadow_cases[i].warn, shadow_cases[i].crit);
		is_int(eval_warn_unreachable(&o), shadow_cases[i].unreachable,
		       "-w %s -c %s: warning %s", shadow_cases[i].warn, shadow_cases[i].crit,
		       shadow_cases[i].unreachable ? "can never fire" : "can fire");
	}
}

int main(void)
{
	test_replaced();
	test_shadow();
	return tap_done();
}
