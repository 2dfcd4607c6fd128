/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Request bodies: field names, types and escaping as the API (and SDK) use them. */
#include "config.h"

#include <string.h>

#include "request.h"
#include "tap.h"
#include "vectors.h"

static void test_bodies(void)
{
	struct api_filters f;
	char buf[REQ_MAX_BODY];
	size_t len;

	req_filters_init(&f);
	ok(req_body(&f, 0, 1000, buf, sizeof buf, &len) == 0, "no filters builds");
	is_str(buf, "{\"Offset\":0,\"Limit\":1000}", "only Offset and Limit when nothing is set");
	is_int(len, strlen(buf), "length returned");

	req_filters_init(&f);
	f.search_key = "a\"b\\c\x01";
	f.certificate_type = "CA";
	f.project_id = 0;
	f.statuses[0] = 1;
	f.n_statuses = 1;
	f.deployable = 0;
	f.upload = 1;
	f.renew = 1;
	f.filter_source = "buy";
	f.is_sm = 0;
	f.hostable = 1;
	f.is_pending_issue = 1;
	f.filter_expiring = 1;
	f.expiration_sort = "DESC";
	f.tags[0].key = "k";
	f.tags[0].value = "";
	f.n_tags = 1;
	req_body(&f, 7000, 7, buf, sizeof buf, &len);
	is_str(
	    buf,
	    "{\"Offset\":7000,\"Limit\":7,\"SearchKey\":\"a\\\"b\\\\c\\u0001\",\"CertificateType\":"
	    "\"CA\",\"ProjectId\":0,\"ExpirationSort\":\"DESC\",\"CertificateStatus\":[1],"
	    "\"Deployable\":0,\"Upload\":1,\"Renew\":1,\"FilterSource\":\"buy\",\"IsSM\":0,"
	    "\"FilterExpiring\":1,\"Hostable\":1,\"Tags\":[{\"TagKey\":\"k\",\"TagValue\":\"\"}],"
	    "\"IsPendingIssue\":1}",
	    "every filter with its API name and type; 0 is sent, unset is not");

	ok(req_body(&f, 0, 10, buf, 40, &len) == -1, "too small a buffer is an error");
}

/* The SDK made many_params_utf8 from the same filters: our body must be the
 * same bytes, so its signature vector applies to what we send. */
static void test_matches_sdk(void)
{
	static struct vec v[32];
	int n = vec_load("vectors", v, 32);
	const char *want = NULL;
	for (int i = 0; i < n; i++)
		if (strcmp(vec_get(&v[i], "name"), "many_params_utf8") == 0)
			want = vec_get(&v[i], "body");
	struct api_filters f;
	char buf[REQ_MAX_BODY];
	size_t len;
	req_filters_init(&f);
	f.search_key = "\xe6\xb5\x8b\xe8\xaf\x95.example.com";
	f.certificate_type = "SVR";
	f.expiration_sort = "ASC";
	f.statuses[0] = 1;
	f.statuses[1] = 3;
	f.n_statuses = 2;
	f.deployable = 1;
	f.tags[0].key = "env";
	f.tags[0].value = "\xe7\x94\x9f\xe4\xba\xa7";
	f.tags[1].key = "team";
	f.tags[1].value = "ops";
	f.n_tags = 2;
	req_body(&f, 0, 1000, buf, sizeof buf, &len);
	is_str(buf, want, "same bytes as the SDK's body, raw UTF-8 kept");
}

int main(void)
{
	test_bodies();
	test_matches_sdk();
	return tap_done();
}
