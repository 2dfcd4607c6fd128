/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "secret.h"

#ifdef HAVE_MBEDTLS_PLATFORM_ZEROIZE
#include <mbedtls/platform_util.h>
#endif

void secret_wipe(void *p, size_t n)
{
#ifdef HAVE_MBEDTLS_PLATFORM_ZEROIZE
	mbedtls_platform_zeroize(p, n);
#else
	volatile unsigned char *v = p;
	while (n--)
		*v++ = 0;
#endif
}
