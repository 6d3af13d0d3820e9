#!/usr/bin/env bash
# Load-tests GET /v1/issuances/{id}/eligibility/{address} over real HTTP on
# loopback next to a bare gin handler, in one run, and prints a summary table with
# PASS/MISS against the goals: stonode reaches at least half the bare handler's
# closed-loop throughput, its p99 stays under 5 ms at 1,000 requests/s, and its
# server CPU per request in the closed loop is at most 1.25x the bare handler's
# (the open-loop ratio, which also carries stonode's idle chain work, is printed
# beside it).
#
#   scripts/bench-eligibility.sh
#
# Three processes: stonode serve, the bare gin server, and the load generator
# (scripts/loadtest). Knobs (environment):
#   DURATION=10s       closed-loop measured duration (after WARMUP=2s)
#   CONCURRENCY=32     closed-loop workers
#   RATE=1000          open-loop requests/s (RATE_DURATION defaults to DURATION)
#   INVESTORS=1000     whitelisted investors seeded, one wallet each; the load rotates over them
#   STONODE_DB=        empty: embedded SQLite in the temp data dir; or a postgres:// URL
#   LOG_LEVEL=warn     stonode's --log-level (its JSON logs go to a file in the temp dir)
#   KEEP_TMP=0         1 keeps the temp dir (logs, results) for inspection
set -euo pipefail

DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-2s}"
CONCURRENCY="${CONCURRENCY:-32}"
RATE="${RATE:-1000}"
RATE_DURATION="${RATE_DURATION:-$DURATION}"
INVESTORS="${INVESTORS:-1000}"
DB="${STONODE_DB:-}"
LOG_LEVEL="${LOG_LEVEL:-warn}"
KEEP_TMP="${KEEP_TMP:-0}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/stonode-bench.XXXXXX")"
pids=()

cleanup() {
  local rc=$?
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ "$rc" -ne 0 ]; then
    for f in "$work"/stonode.log "$work"/bare.log; do
      [ -s "$f" ] && { echo "--- last lines of $(basename "$f"):" >&2; tail -n 20 "$f" >&2; }
    done
  fi
  if [ "$KEEP_TMP" = 1 ]; then
    echo "kept $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# stonode reads STONODE_* from the environment; pass everything explicitly instead.
unset STONODE_ADDR STONODE_DATA_DIR STONODE_DB STONODE_LOG_LEVEL STONODE_CHAIN STONODE_CHAIN_RPC_ADDR STONODE_RPC \
  STONODE_KEY STONODE_KEY_FILE STONODE_CONFIRMATIONS STONODE_MAX_REORG_DEPTH STONODE_HEAD_STALL_AFTER STONODE_STUCK_BLOCKS STONODE_NODE_ID

wait_ready() { # url pid name
  for _ in $(seq 1 100); do
    if ! kill -0 "$2" 2>/dev/null; then
      echo "$3 exited before it was ready" >&2
      return 1
    fi
    if curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "$3 not ready at $1 after 10s" >&2
  return 1
}

echo "== building stonode and the load generator into $work/bin"
mkdir -p "$work/bin" "$work/data"
(cd "$root" && go build -o "$work/bin/stonode" ./cmd/stonode && go build -o "$work/bin/loadtest" ./scripts/loadtest)
stonode="$work/bin/stonode"
lt="$work/bin/loadtest"

db_args=(--data-dir "$work/data")
db_name="sqlite ($work/data/stonode.db)"
if [ -n "$DB" ]; then
  db_args+=(--db "$DB")
  db_name="postgres"
fi

echo "== bootstrapping an operator key"
op_key="$("$stonode" keys create --role operator --name bench "${db_args[@]}" --log-level warn 2>>"$work/stonode.log")"

stonode_port="$("$lt" freeport)"
echo "== starting stonode serve on 127.0.0.1:$stonode_port (log level $LOG_LEVEL, stderr to $work/stonode.log)"
# The embedded chain (in $work/data/chain) serves no JSON-RPC: nothing here needs it, and
# 127.0.0.1:8545 may belong to anvil or another node.
"$stonode" serve --addr "127.0.0.1:$stonode_port" "${db_args[@]}" --chain-rpc-addr "" --log-level "$LOG_LEVEL" 2>>"$work/stonode.log" &
pids+=($!)
stonode_pid=$!
wait_ready "http://127.0.0.1:$stonode_port/readyz" "$stonode_pid" stonode

echo "== starting the bare gin server"
"$lt" bare --addr 127.0.0.1:0 --addr-file "$work/bare.addr" 2>"$work/bare.log" &
pids+=($!)
bare_pid=$!
for _ in $(seq 1 100); do [ -s "$work/bare.addr" ] && break; sleep 0.1; done
bare_addr="$(cat "$work/bare.addr")"
wait_ready "http://$bare_addr/v1/issuances/1/eligibility/0x0000000000000000000000000000000000000000" "$bare_pid" bare

echo "== seeding $INVESTORS whitelisted investors"
"$lt" seed --url "http://127.0.0.1:$stonode_port" --operator-key "$op_key" --investors "$INVESTORS" \
  --addresses "$work/addresses.txt" --env "$work/seed.env"
reader_key="$(sed -n 's/^READER_KEY=//p' "$work/seed.env")"
issuance_id="$(sed -n 's/^ISSUANCE_ID=//p' "$work/seed.env")"
tpl="/v1/issuances/$issuance_id/eligibility/{address}"

run_args=(--path-template "$tpl" --addresses "$work/addresses.txt" --concurrency "$CONCURRENCY"
  --duration "$DURATION" --warmup "$WARMUP" --rate "$RATE" --rate-duration "$RATE_DURATION")

echo "== load: stonode (reader key, every response must be 200 with \"allowed\":true)"
"$lt" run --label stonode --url "http://127.0.0.1:$stonode_port" --key "$reader_key" --server-pid "$stonode_pid" "${run_args[@]}" --out "$work/stonode.json"
echo "== load: bare gin"
"$lt" run --label bare --url "http://$bare_addr" --server-pid "$bare_pid" "${run_args[@]}" --out "$work/bare.json"

echo
"$lt" report --stonode "$work/stonode.json" --bare "$work/bare.json" --log-level "$LOG_LEVEL" \
  --db "$db_name" --investors "$INVESTORS"
echo "stonode log: $(wc -l <"$work/stonode.log") lines at level $LOG_LEVEL during the run; cores: $(nproc), load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
