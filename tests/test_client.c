/* --endpoint parsing. The transfers themselves are tested end to end against
 * tests/mock_api.py (it_transport.py). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "tap.h"

static void test_endpoint(void)
{
	static const struct {
		const char *url, *host; /* host NULL: rejected */
	} t[] = {
	    {"https://ssl.tencentcloudapi.com", "ssl.tencentcloudapi.com"},
	    {"https://ssl.tencentcloudapi.com/", "ssl.tencentcloudapi.com"},
	    {"https://ssl.intl.tencentcloudapi.com", "ssl.intl.tencentcloudapi.com"},
	    {"HTTPS://Ssl.Example.COM", "Ssl.Example.COM"},
	    {"http://127.0.0.1:8080", "127.0.0.1:8080"},
	    {"http://127.0.0.1:8080/", "127.0.0.1:8080"},
	    {"http://localhost:1", "localhost:1"},
	    {"https://h:65535", "h:65535"},
	    {"https://[::1]", "[::1]"},
	    {"https://[::1]:8443/", "[::1]:8443"},
	    {"https://[2001:db8::1]:443", "[2001:db8::1]:443"},
	    {"http://my_host.internal", "my_host.internal"},
	    {"https://a-b.c-d.example", "a-b.c-d.example"},
	    {"ftp://ssl.tencentcloudapi.com", NULL},
	    {"ssl.tencentcloudapi.com", NULL},
	    {"https://", NULL},
	    {"https:///", NULL},
	    {"", NULL},
	    {"https://host/path", NULL},
	    {"https://host//", NULL},
	    {"https://host?x=1", NULL},
	    {"https://host/?x=1", NULL},
	    {"https://host#frag", NULL},
	    {"https://user:pw@host", NULL},
	    {"https://host:0", NULL},
	    {"https://host:65536", NULL},
	    {"https://host:", NULL},
	    {"https://host:80a", NULL},
	    {"https://host:+80", NULL},
	    {"https://host:1234567", NULL},
	    {"https://[::1", NULL},
	    {"https://[]", NULL},
	    {"https://[zz::1]", NULL},
	    {"https://[::1]x", NULL},
	    {"https://ho st", NULL},
	    {"https://host\r\nX: y", NULL},
	    {"https://-host.example", NULL},
	    {"https://host-.example", NULL},
	    {"https://a..b", NULL},
	    {"https://.host", NULL},
	    {"https://999.1.1.1", NULL},
	    {"https://1.2.3", NULL},
	    {"https://1.2.3.4", "1.2.3.4"},
	    {"http://h|x", NULL},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char hp[400] = "junk", msg[512] = "", name[64];
		snprintf(name, sizeof name, "%s", t[i].url);
		for (char *q = name; *q; q++)
			if (*q == '\r' || *q == '\n') *q = '?';
		int rc = client_endpoint_host(t[i].url, hp, sizeof hp, msg, sizeof msg);
		if (t[i].host) {
			is_int(rc, 0, "endpoint accepted: %s", name);
			is_str(hp, t[i].host, "endpoint host: %s", name);
		} else {
			is_int(rc, -1, "endpoint rejected: %s", name);
			ok(strncmp(msg, "bad --endpoint URL: ", 20) == 0 && !strpbrk(msg, "\r\n|"),
			   "one-line message for %s: %.300s", name, msg);
		}
	}
	char msg[512] = "";
	char small[8];
	ok(client_endpoint_host(NULL, small, sizeof small, msg, sizeof msg) == -1, "NULL endpoint");
	ok(client_endpoint_host("https://a-long-host.example", small, sizeof small, msg,
	                        sizeof msg) == -1,
	   "host longer than the caller's buffer is refused");
	char big[600];
	memset(big, 'a', sizeof big);
	memcpy(big, "https://", 8);
	big[sizeof big - 1] = '\0';
	char hp[1024];
	ok(client_endpoint_host(big, hp, sizeof hp, msg, sizeof msg) == -1,
	   "overlong host refused");
}

int main(void)
{
	test_endpoint();
	return tap_done();
}
