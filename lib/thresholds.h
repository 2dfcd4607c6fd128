/* -w/-c thresholds: a plain number N ("fewer than N days left", the Nagios
 * range N:), a full Nagios range (10, 10:, ~:10, 10:20, @10:20) against days
 * left, or N% of the certificate's validity period left. Parsed once. */
#ifndef TC_THRESHOLDS_H
#define TC_THRESHOLDS_H

struct thr {
	int percent;             /* 1: value is a share of the validity period */
	double start, end;       /* the range */
	int start_inf, end_inf;  /* ~ / open end */
	int inside;              /* @: alert inside the range */
	char text[64];           /* as shown in perfdata ("30:" for plain 30; "" for %) */
};

/* 0 on success; -1 for anything that is not a valid threshold. */
int thr_parse(const char *s, struct thr *out);
/* 1 when value (days left, or percent left for a % threshold) alerts. */
int thr_alerts(const struct thr *t, double value);

#endif
