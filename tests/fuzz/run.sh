#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every libFuzzer binary tests/fuzz/fuzz_NAME (built by `make fuzz`) for SECONDS each,
# starting from its seed corpus tests/fuzz/corpus/fuzz_NAME/. New inputs go to a scratch
# directory, not into the repository; a crash leaves its input in tests/fuzz/crashes/.
# Exits non-zero when any target crashed (or could not run).
#   tests/fuzz/run.sh SECONDS [NAME...]     (default: every built target)
# FUZZ_BIN (default: tests/fuzz of the current directory) is where the binaries are.
set -u
secs=${1:?usage: run.sh SECONDS [NAME...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
bin=${FUZZ_BIN:-tests/fuzz}
crashes=$bin/crashes
mkdir -p "$crashes"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT INT TERM

if [ $# -eq 0 ]; then
	for f in "$here"/fuzz_*.c; do set -- "$@" "$(basename "$f" .c)"; done
fi
status=0
for name in "$@"; do
	exe=$bin/$name
	if [ ! -x "$exe" ]; then
		echo "$name: not built (make fuzz)"
		status=1
		continue
	fi
	mkdir -p "$scratch/$name"
	start=$(date +%s)
	"$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crashes/$name-" "$scratch/$name" "$here/corpus/$name" \
		>"$scratch/$name.log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$name.log" | tail -n 1)
	if [ $rc -eq 0 ]; then
		echo "$name: clean for ${took} s, ${runs:-?} runs"
	else
		echo "$name: FAILED after ${took} s (exit $rc); input in $crashes/"
		grep -m 5 -E 'ERROR|SUMMARY|runtime error|deadly signal' "$scratch/$name.log"
		status=1
	fi
done
exit $status
