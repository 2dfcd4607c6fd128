# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the root-only shell tests (icinga2-distributed.sh, it_package.sh): the mock's
# account and the TAP skip.
# shellcheck shell=bash disable=SC2034
mock_id=AKIDmockEXAMPLE0000000000000000000000 # the mock's fixed account, not a real secret
mock_key=mockSecretKeyEXAMPLE000000000000

skip() {
	echo "1..0 # SKIP $*"
	exit 0
}
