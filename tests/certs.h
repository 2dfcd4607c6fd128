/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Certificates for the unit tests, built from table rows: V() views a C string (NULL stays
 * absent), mk() fills a struct resp_cert as the parser would hand it over. mk() returns one
 * static certificate, overwritten by the next call. */
#ifndef TC_TEST_CERTS_H
#define TC_TEST_CERTS_H

#include <string.h>

#include "response.h"

#define CERT_SPEC_NAMES 4 /* SubjectAltName and BoundResource entries a row can give */

struct cert_spec {
	const char *id, *domain, *alias;
	long status; /* as given: 0 is "reviewing", -1 is null */
	int is_ignore;
	const char *replaced_by;
	const char *begin,
	    *end; /* CertBeginTime, CertEndTime as the API writes them; NULL: absent */
	const char *san[CERT_SPEC_NAMES];
	const char *bound[CERT_SPEC_NAMES];
};

static inline struct tc_view V(const char *s) {
	struct tc_view v = {s, s ? strlen(s) : 0};
	return v;
}

static inline const struct resp_cert *
mk(const struct cert_spec *s)
{
	static struct resp_cert cert; /* big: RESP_MAX_NAMES views */
	memset(&cert, 0, sizeof cert);
	cert.id = V(s->id);
	cert.domain = V(s->domain);
	cert.alias = V(s->alias);
	cert.status = s->status;
	cert.is_ignore = s->is_ignore;
	cert.replaced_by = V(s->replaced_by);
	cert.begin_time = V(s->begin);
	cert.end_time = V(s->end);
	for (size_t i = 0; i < CERT_SPEC_NAMES && s->san[i]; i++)
		cert.san[cert.n_san++] = V(s->san[i]);
	for (size_t i = 0; i < CERT_SPEC_NAMES && s->bound[i]; i++)
		cert.bound[cert.n_bound++] = V(s->bound[i]);
	return &cert;
}

#endif
