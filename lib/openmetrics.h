/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --output openmetrics: the OpenMetrics text exposition (also read by
 * Prometheus' text parser, so node_exporter's textfile collector takes it),
 * for scrapers and dashboards next to the Nagios check.
 *
 * Families (all gauges; per-certificate ones labelled id and domain):
 *   tencentcloud_ssl_certificate_days_left                    days left, rounded down
 *   tencentcloud_ssl_certificate_not_after_timestamp_seconds  CertEndTime, Unix seconds
 *   tencentcloud_ssl_certificate_state                        0 OK 1 WARNING 2 CRITICAL 3 UNKNOWN
 *   tencentcloud_ssl_check_certificates{state="ok"|...}       selected certificates per state
 *   tencentcloud_ssl_check_certificates_selected / _listed
 *   tencentcloud_ssl_check_min_days_left                      as the perfdata
 *   tencentcloud_ssl_check_fetch_duration_seconds
 *   tencentcloud_ssl_check_state                              the exit code
 *   tencentcloud_ssl_check_success                            1 listed and evaluated, 0 error
 *   tencentcloud_ssl_check_error{message="..."}               1, only on an error
 * Decisions where SPEC.md is silent:
 * - a certificate without a valid end time has only its state series (no
 *   days_left or not_after sample: an invented number would be graphed).
 * - on an error (credentials, API, timeout, ...) nothing was evaluated: the
 *   exposition is still valid and has the check's state, success 0 and the
 *   message as the error label, and no count or certificate series (zeros
 *   would read as "no certificates" rather than "unknown").
 * - label values: '\', '"' and newline escaped as the format says; other
 *   control characters become '_', bytes that are not UTF-8 U+FFFD (as in
 *   the JSON output); values are not cut. Two ids that read the same once
 *   cleaned would repeat a series (an invalid exposition): the later one gets
 *   no series, but is counted.
 * - metadata is HELP and TYPE only (and UNIT for the two _seconds families);
 *   no timestamps (the scraper or the file's mtime gives the time).
 * - like --output json it is not subject to --max-output. */
#ifndef TC_OPENMETRICS_H
#define TC_OPENMETRICS_H

#include <stdio.h>

#include "output.h"

void om_report(FILE *f, const struct report *r, const struct out_opts *o, enum tc_state st);
/* The exposition of a check that ended before it could evaluate anything. */
void om_error(FILE *f, enum tc_state st, const char *message);

#endif
