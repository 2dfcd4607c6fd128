/* SPDX-License-Identifier: GPL-3.0-or-later */
/* -w/-c thresholds: a plain number N ("fewer than N days left", the Nagios
 * range N:), a full Nagios range (10:, ~:10, 10:20, @10:20, @10) against days
 * left, or N% of the certificate's validity period left. Parsed once.
 *
 * Grammar (anything else is rejected, no surrounding spaces, at most
 * THR_MAX_LEN bytes):
 *   number  = digits [ "." digits ]          (decimals allowed: "7.5")
 *   plain   = number                         -> range "number:" (no sign: days are >= 0)
 *   percent = number "%"                     -> 0 <= number <= 100, alerts below that share
 *   range   = [ "@" ] [ start ] ":" [ end ]  or  "@" end
 *             start = "~" | ["-"] number, empty start = 0; empty end = +infinity;
 *             "@" alerts inside start..end, otherwise outside (monitoring-plugins);
 *             start <= end; ":" or "@:" alone is rejected.
 * A value containing ':', '~' or '@' is a range; "10" alone is the plain N:,
 * not the Nagios 0..10. */
#ifndef TC_THRESHOLDS_H
#define TC_THRESHOLDS_H

#define THR_MAX_LEN 32 /* longest accepted threshold text */

struct thr {
	int percent;            /* 1: value is a share of the validity period */
	double start, end;      /* the range */
	int start_inf, end_inf; /* ~ / open end */
	int inside;             /* @: alert inside the range */
	char text[64];          /* as shown in perfdata ("30:" for plain 30; "" for %) */
};

/* 0 on success; -1 for anything that is not a valid threshold. */
int thr_parse(const char *s, struct thr *out);
/* 1 when value (days left, or percent left for a % threshold) alerts. */
int thr_alerts(const struct thr *t, double value);

#endif
