#!/usr/bin/env bash
# Holder register export benchmark (issue 9): the register of 100,000 investors
# (each with a wallet and sealed personal data, plus 1% wallets no investor
# owns) at a record date, exported as CSV through the store's streaming read,
# on SQLite and on PostgreSQL. Prints the export time, holders per second, the
# CSV's size and the peak live heap during the export; then the same download from the API
# over loopback HTTP.
#
#   scripts/bench-register.sh
#
# Knobs (environment):
#   REGISTER_HOLDERS=100000
#   STONODE_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable (skip: SQLite only)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
REGISTER_HOLDERS="${REGISTER_HOLDERS:-100000}" go test -count=1 -run '^$' -bench '^BenchmarkRegisterExport$' -benchtime 1x \
	-timeout 30m ./registry/store/ | grep -E 'Benchmark|register_bench_test|^ok|FAIL'
