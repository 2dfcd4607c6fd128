#include "config.h"

#include "redact.h"

#include <stdio.h>
#include <string.h>

#include "msg.h"

void redact_secret(char *s, size_t cap, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0;
	int cut = 0;
	if (n == 0 || cap == 0) return;
	char *from = s, *hit;
	while ((hit = strstr(from, secret)) != NULL) {
		struct msg rest;
		msg_set(&rest, "%s", hit + n);
		size_t room = cap - (size_t)(hit - s);
		int w = snprintf(hit, room, "<redacted>%s", rest.text);
		if (w < 0 || (size_t)w >= room) cut = 1;
		size_t adv = strlen("<redacted>");
		if (adv >= strlen(hit)) break;
		from = hit + adv; /* never inside what was put in */
	}
	/* A cut may have left the start of one more occurrence at the end. */
	size_t len = strlen(s);
	for (size_t k = len < n - 1 ? len : n - 1; cut && k > 0; k--)
		if (memcmp(s + len - k, secret, k) == 0) {
			s[len - k] = '\0';
			break;
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
