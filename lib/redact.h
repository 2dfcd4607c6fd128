/* Text a server sent may echo the request (a gateway quoting our headers):
 * secrets and signatures are cut out before it reaches a message or a log. */
#ifndef TC_REDACT_H
#define TC_REDACT_H

#include <stddef.h>

/* Replaces every occurrence of secret (NULL or "" does nothing) in the string s,
 * a buffer of cap bytes, by "<redacted>"; the result is cut to fit. */
void redact_secret(char *s, size_t cap, const char *secret);
/* Drops the hex digits after every "Signature=". */
void redact_signatures(char *s);

#endif
