#include "config.h"

#include "redact.h"

#include <stdio.h>
#include <string.h>

#include "msg.h"

void redact_secret(char *s, size_t cap, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0;
	if (n == 0 || cap == 0) return;
	char *from = s, *hit;
	while ((hit = strstr(from, secret)) != NULL) {
		struct msg rest;
		msg_set(&rest, "%s", hit + n);
		size_t room = cap - (size_t)(hit - s);
		snprintf(hit, room, "<redacted>%s", rest.text);
		size_t adv = strlen("<redacted>");
		if (adv >= strlen(hit)) break;
		from = hit + adv; /* never inside what was put in */
	}
}

void redact_signatures(char *s)
{
	for (char *v = strstr(s, "Signature="); v; v = strstr(v, "Signature=")) {
		v += 10;
		size_t k = strspn(v, "0123456789abcdef");
		if (k > 0) memmove(v, v + k, strlen(v + k) + 1);
	}
}
