#!/usr/bin/env bash
# The project's one test command (README, CI):
#   contracts: npm ci + forge build/test + gas snapshot check
#   generated code: contract artifacts and Go bindings regenerate to what is committed
#   Go: gofmt, go vet, and every Go test with the race detector, on SQLite and on the
#   PostgreSQL server in STONODE_TEST_POSTGRES (default 127.0.0.1:5432, database test)
#   fuzz: FuzzRouter (api/) for FUZZTIME (default 20s) beyond its committed corpus,
#   counted as one test in the closing line
#   console (browser): the web console in headless Chromium against a real node
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
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
go test -race -count=1 -v ./... >"$log" 2>&1 || status=$?
# Package lines, then every failure in full, then one closing count of test cases.
grep -E '^(ok|FAIL|\?) ' "$log" || true
if [ "$status" != 0 ]; then
  # A test's own lines (t.Fatalf, the daemon's log tail) come before its FAIL line.
  grep -E -B60 -A20 -- '--- FAIL|^panic:|build failed|cannot|undefined' "$log" | head -400 || true
fi
passed=$(grep -cE -- '^[[:space:]]*--- PASS' "$log" || true)
failed=$(grep -cE -- '^[[:space:]]*--- FAIL' "$log" || true)
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi

# A brief fuzz of the router: path ids, query strings and JSON bodies must never
# answer 5xx. A failing input is saved under api/testdata/fuzz/FuzzRouter/.
echo "== fuzz FuzzRouter (${FUZZTIME:-20s})"
if go test -run '^$' -fuzz '^FuzzRouter$' -fuzztime "${FUZZTIME:-20s}" ./api/ >"$log" 2>&1; then
  passed=$((passed + 1))
  tail -1 "$log"
else
  failed=$((failed + 1))
  status=1
  tail -40 "$log"
fi

# == console (browser): the web console in headless Chromium (playwright-core,
# /usr/bin/chromium; .ci/run installs it) against a real `stonode serve` on a
# fresh data directory with the embedded chain. Each step of
# scripts/browser/console.test.mjs (TAP "ok -" / "not ok -") counts as a test.
echo "== console (browser)"
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "no Chromium at ${CHROMIUM:-/usr/bin/chromium}: apt-get install chromium (.ci/run does)" >&2
  failed=$((failed + 1))
  status=1
else
  browser_bin=$(mktemp -d)
  if (cd scripts/browser && npm ci --no-audit --no-fund --loglevel=error) >"$log" 2>&1 &&
    go build -o "$browser_bin/stonode" ./cmd/stonode >>"$log" 2>&1; then
    browser_status=0
    STONODE_BIN="$browser_bin/stonode" node scripts/browser/console.test.mjs >"$log" 2>&1 || browser_status=$?
    grep -E '^(not )?ok - |^browser:' "$log" || true
    ok=$(grep -cE '^ok - ' "$log" || true)
    notok=$(grep -cE '^not ok - ' "$log" || true)
    passed=$((passed + ok))
    failed=$((failed + notok))
    if [ "$browser_status" != 0 ]; then
      status=1
      [ "$notok" != 0 ] || failed=$((failed + 1))
      grep -vE '^ok - ' "$log" | head -80
      tail -30 scripts/browser/out/stonode.log 2>/dev/null || true
    fi
  else
    tail -40 "$log"
    failed=$((failed + 1))
    status=1
  fi
  rm -rf "$browser_bin"
fi
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
