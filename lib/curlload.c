/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

/* these definitions are the functions the typecheck macros would wrap */
#define CURL_DISABLE_TYPECHECK 1

#include "curlload.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* The functions of libcurl the plugin calls, resolved once. */
struct curl_api {
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	curl_version_info_data *(*version_info)(CURLversion);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	CURLcode (*easy_perform)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_cleanup)(CURLM *);
	CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_perform)(CURLM *, int *);
	CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned, int, int *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
};
static struct curl_api api;

static int state; /* 0 not tried, 1 loaded, -1 failed */
static char failed[200];

/* Each member is filled with the libcurl function "curl_" + its name. */
#define FN(m)                                                                                      \
	{                                                                                          \
		"curl_" #m, offsetof(struct curl_api, m)                                           \
	}
static const struct {
	const char *sym;
	size_t off;
} fns[] = {
    FN(global_init),   FN(global_cleanup), FN(version_info),     FN(easy_init),
    FN(easy_cleanup),  FN(easy_setopt),    FN(easy_getinfo),     FN(easy_perform),
    FN(easy_strerror), FN(slist_append),   FN(slist_free_all),   FN(multi_init),
    FN(multi_cleanup), FN(multi_setopt),   FN(multi_add_handle), FN(multi_remove_handle),
    FN(multi_perform), FN(multi_poll),     FN(multi_info_read),
};

static int load(void)
{
	if (state) return state;
	state = -1;
	/* RTLD_LOCAL: its symbols stay out of the global scope, away from the
	 * definitions below */
	void *h = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		/* dlerror names the file itself */
		snprintf(failed, sizeof failed, "cannot load libcurl: %s", e ? e : CURL_SONAME);
		return state;
	}
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
		void *f = dlsym(h, fns[i].sym);
		if (!f) {
			snprintf(failed, sizeof failed, "%s has no %s", CURL_SONAME, fns[i].sym);
			dlclose(h);
			return state;
		}
		/* POSIX: a function's address from dlsym converts through void * */
		memcpy((char *)&api + fns[i].off, &f, sizeof f);
	}
	const curl_version_info_data *v = api.version_info(CURLVERSION_NOW);
	if (!v || v->version_num < LIBCURL_VERSION_NUM) {
		snprintf(failed, sizeof failed, "%s is libcurl %s, older than the %s built against",
		         CURL_SONAME, v && v->version ? v->version : "?", LIBCURL_VERSION);
		dlclose(h);
		return state;
	}
	return state = 1;
}

int curlload(struct msg *why)
{
	if (load() == 1) return 0;
	msg_set(why, "%s", failed);
	return -1;
}

/* ---- the functions the plugin calls; before a successful load each fails ---- */

CURLcode curl_global_init(long flags)
{
	return load() == 1 ? api.global_init(flags) : CURLE_FAILED_INIT;
}

void curl_global_cleanup(void)
{
	if (state == 1) api.global_cleanup();
}

curl_version_info_data *curl_version_info(CURLversion v)
{
	return load() == 1 ? api.version_info(v) : NULL;
}

CURL *curl_easy_init(void)
{
	return load() == 1 ? api.easy_init() : NULL;
}

void curl_easy_cleanup(CURL *e)
{
	if (state == 1) api.easy_cleanup(e);
}

/* rc = SETOPT(h, opt, x), x the one argument read with the type its option's
 * number says, as libcurl itself reads it (curl.h: CURLOPTTYPE_*). */
#ifdef CURLOPTTYPE_BLOB /* 7.71 */
#define IS_BLOB(opt) ((opt) >= CURLOPTTYPE_BLOB)
#else
#define IS_BLOB(opt) 0
#endif
#define FORWARD_OPT(rc, SETOPT, h, opt, ap)                                                        \
	do {                                                                                       \
		if ((opt) < CURLOPTTYPE_OBJECTPOINT)                                               \
			rc = SETOPT(h, opt, va_arg(ap, long));                                     \
		else if ((opt) < CURLOPTTYPE_FUNCTIONPOINT || IS_BLOB(opt))                        \
			rc = SETOPT(h, opt, va_arg(ap, void *));                                   \
		else if ((opt) < CURLOPTTYPE_OFF_T)                                                \
			rc = SETOPT(h, opt, va_arg(ap, void (*)(void)));                           \
		else                                                                               \
			rc = SETOPT(h, opt, va_arg(ap, curl_off_t));                               \
	} while (0)

CURLcode curl_easy_setopt(CURL *e, CURLoption opt, ...)
{
	if (state != 1) return CURLE_FAILED_INIT;
	va_list ap;
	CURLcode rc;
	va_start(ap, opt);
	FORWARD_OPT(rc, api.easy_setopt, e, opt, ap);
	va_end(ap);
	return rc;
}

/* Every CURLINFO takes a pointer. */
CURLcode curl_easy_getinfo(CURL *e, CURLINFO info, ...)
{
	if (state != 1) return CURLE_FAILED_INIT;
	va_list ap;
	va_start(ap, info);
	CURLcode rc = api.easy_getinfo(e, info, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

CURLcode curl_easy_perform(CURL *e)
{
	return state == 1 ? api.easy_perform(e) : CURLE_FAILED_INIT;
}

const char *curl_easy_strerror(CURLcode rc)
{
	return state == 1 ? api.easy_strerror(rc) : "libcurl is not loaded";
}

struct curl_slist *curl_slist_append(struct curl_slist *l, const char *s)
{
	return load() == 1 ? api.slist_append(l, s) : NULL;
}

void curl_slist_free_all(struct curl_slist *l)
{
	if (state == 1) api.slist_free_all(l);
}

CURLM *curl_multi_init(void)
{
	return load() == 1 ? api.multi_init() : NULL;
}

CURLMcode curl_multi_cleanup(CURLM *m)
{
	return state == 1 ? api.multi_cleanup(m) : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_setopt(CURLM *m, CURLMoption opt, ...)
{
	if (state != 1) return CURLM_BAD_HANDLE;
	va_list ap;
	CURLMcode rc;
	va_start(ap, opt);
	FORWARD_OPT(rc, api.multi_setopt, m, opt, ap);
	va_end(ap);
	return rc;
}

CURLMcode curl_multi_add_handle(CURLM *m, CURL *e)
{
	return state == 1 ? api.multi_add_handle(m, e) : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_remove_handle(CURLM *m, CURL *e)
{
	return state == 1 ? api.multi_remove_handle(m, e) : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_perform(CURLM *m, int *running)
{
	return state == 1 ? api.multi_perform(m, running) : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_poll(CURLM *m, struct curl_waitfd *fds, unsigned n, int ms, int *numfds)
{
	return state == 1 ? api.multi_poll(m, fds, n, ms, numfds) : CURLM_BAD_HANDLE;
}

CURLMsg *curl_multi_info_read(CURLM *m, int *left)
{
	return state == 1 ? api.multi_info_read(m, left) : NULL;
}
