/* SPDX-License-Identifier: GPL-3.0-or-later */
/* client_list's own checks of its options: the same limits as the plugin's
 * parser (client.h), refused before any network set-up. The transfers are
 * tested end to end against tests/mock_api.py (it_transport.py). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "client.h"
#include "tap.h"

static struct client_opts base(void)
{
	struct client_opts o = {
	    .retries = 2,
	    .page_size = 1000,
	    .max_rate = 10,
	    .parallel = 4,
	    .creds = {.secret_id = "AKIDx", .secret_key = "key"},
	};
	endpoint_parse("http://127.0.0.1:1", &o.ep, NULL);
	return o;
}

int main(void)
{
	enum field { RETRIES, PAGE, RATE, PARALLEL };
	static const struct {
		enum field field;
		long value;
		const char *want;
	} t[] = {
	    {.field = RETRIES, .value = CLIENT_MAX_RETRIES + 1, .want = "--retries must be 0..10"},
	    {.field = RETRIES, .value = -1, .want = "--retries must be 0..10"},
	    {.field = PAGE, .value = 0, .want = "--page-size must be 1..1000"},
	    {.field = PAGE, .value = CLIENT_MAX_PAGE + 1, .want = "--page-size must be 1..1000"},
	    {.field = RATE, .value = 0, .want = "--max-rate must be 1..1000"},
	    {.field = RATE, .value = RETRY_MAX_RATE + 1, .want = "--max-rate must be 1..1000"},
	    {.field = PARALLEL, .value = 0, .want = "--parallel must be 1..32"},
	    {.field = PARALLEL,
	     .value = CLIENT_MAX_PARALLEL + 1,
	     .want = "--parallel must be 1..32"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct client_opts o = base();
		switch (t[i].field) {
		case RETRIES:
			o.retries = (int)t[i].value;
			break;
		case PAGE:
			o.page_size = t[i].value;
			break;
		case RATE:
			o.max_rate = (int)t[i].value;
			break;
		case PARALLEL:
			o.parallel = (int)t[i].value;
			break;
		}
		struct client_result r;
		struct msg why;
		is_int(client_list(&o, NULL, &r, &why), CLIENT_ERR_USAGE, "%s = %ld: a usage error",
		       t[i].want, t[i].value);
		is_str(why.text, t[i].want, "%ld: the message", t[i].value);
	}
	struct client_opts o = base();
	o.ep.host[0] = '\0';
	struct client_result r;
	struct msg why;
	is_int(client_list(&o, NULL, &r, &why), CLIENT_ERR_USAGE,
	       "an unparsed endpoint is refused");
	o = base();
	o.creds.secret_key = "bad\nkey";
	is_int(client_list(&o, NULL, &r, &why), CLIENT_ERR_USAGE, "a control character in the key");
	is_str(why.text, "bad or missing secret key", "names the key, not its value");
	return tap_done();
}
