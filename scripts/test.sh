#!/usr/bin/env bash
# The project's one test command (README, CI):
#   contracts: npm ci + forge build/test + gas snapshot check
#   generated code: contract artifacts and Go bindings regenerate to what is committed
#   Go: gofmt, go vet, and every Go test with the race detector, on SQLite and on the
#   PostgreSQL server in STONODE_TEST_POSTGRES (default 127.0.0.1:5432, database test)
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== contracts"
bash scripts/contracts-test.sh

echo "== generated code"
bash scripts/gen-bindings.sh --check

echo "== gofmt / go vet"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './contracts/node_modules/*'))
if [ -n "$unformatted" ]; then
  echo "not gofmt-formatted:" >&2
  echo "$unformatted" >&2
  exit 1
fi
go vet ./...

echo "== go test -race (SQLite and PostgreSQL)"
export STONODE_TEST_POSTGRES="${STONODE_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"
go test -race -count=1 ./...
