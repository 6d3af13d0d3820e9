#!/usr/bin/env bash
# Transfer-mirror backfill benchmark against a real anvil, in one run:
#   1. generates ≥ 100,000 Transfer events (deploy with the node key, whitelist,
#      mint, then rounds of one transfer per sender per block);
#   2. reads them back with a bare eth_getLogs + decode loop, and backfills them
#      with stonode's mirror engine into a fresh database, over the same blocks
#      and ranges, ROUNDS times, each round between two bare loops; prints each
#      round's ratio and the median's (goal: mirror ≥ 0.8x bare, issue 11);
#   3. times whitelist approval → registry.isEligible(wallet) on-chain through
#      the node's Syncer, at its default 500ms outbox poll and a shorter one.
#
#   scripts/bench-mirror.sh
#
# Knobs (environment):
#   TRANSFERS=100000      Transfer events to generate (mints excluded)
#   SENDERS=100           sending wallets = transfers per block
#   RECEIVERS=1000        receiving wallets
#   WORKERS=4             concurrent send connections
#   RANGE=100             blocks per eth_getLogs for both loops (the mirror's MaxRange)
#   ROUNDS=3              mirror backfills, each into a fresh database (the verdict is the median's)
#   STONODE_DB=           empty: SQLite in a temp dir; or a postgres:// URL for the mirror
#   SYNC_ITERATIONS=20    approvals timed per Syncer setting (0 skips)
#   SYNC_INTERVALS=500ms,50ms
#   CPUPROFILE=           file for a CPU profile of the mirror backfill
#   ATTACH_ISSUANCE=      eligible records the token as an issuance's deployment before
#                         each backfill and onboards and approves every holder (a webhook
#                         event per transfer, as on a node; no alerts: the common case);
#                         ineligible (or 1) onboards nobody, so every transfer also raises
#                         a compliance alert: the worst case
#   SUBSCRIBE=0           1 (with ATTACH_ISSUANCE) subscribes a webhook to every event type
#                         first: each transfer (and alert) then also writes an outbox event
#   KEEP_TMP=0            1 keeps the temp dir (anvil log, binary)
set -euo pipefail

TRANSFERS="${TRANSFERS:-100000}"
SENDERS="${SENDERS:-100}"
RECEIVERS="${RECEIVERS:-1000}"
WORKERS="${WORKERS:-4}"
RANGE="${RANGE:-100}"
ROUNDS="${ROUNDS:-3}"
DB="${STONODE_DB:-}"
SYNC_ITERATIONS="${SYNC_ITERATIONS:-20}"
SYNC_INTERVALS="${SYNC_INTERVALS:-500ms,50ms}"
CPUPROFILE="${CPUPROFILE:-}"
KEEP_TMP="${KEEP_TMP:-0}"
ATTACH_ISSUANCE="${ATTACH_ISSUANCE:-}"
SUBSCRIBE="${SUBSCRIBE:-0}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/stonode-bench-mirror.XXXXXX")"
pids=()

cleanup() {
  local rc=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$rc" -ne 0 ] && [ -s "$work/anvil.log" ]; then
    echo "--- last lines of anvil.log:" >&2
    tail -n 20 "$work/anvil.log" >&2
  fi
  if [ "$KEEP_TMP" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

anvil="$root/contracts/node_modules/.bin/anvil"
if [ ! -x "$anvil" ]; then
  echo "== installing the pinned anvil (npm ci in contracts/)"
  (cd "$root/contracts" && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "== building scripts/benchmirror"
(cd "$root" && go build -o "$work/benchmirror" ./scripts/benchmirror)

port="$("$work/benchmirror" freeport)"
# A roomy block gas limit so a round of SENDERS transfers always fits one block.
"$anvil" --host 127.0.0.1 --port "$port" --gas-limit 1000000000 --silent >"$work/anvil.log" 2>&1 &
pids+=($!)
anvil_pid=$!
for _ in $(seq 1 100); do
  kill -0 "$anvil_pid" 2>/dev/null || { echo "anvil exited during start-up" >&2; exit 1; }
  curl -s -o /dev/null --max-time 1 -X POST -H 'Content-Type: application/json' \
    --data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "http://127.0.0.1:$port" && break
  sleep 0.1
done

args=(--rpc "http://127.0.0.1:$port" --transfers "$TRANSFERS" --senders "$SENDERS" --receivers "$RECEIVERS"
  --workers "$WORKERS" --range "$RANGE" --rounds "$ROUNDS" --sync-iterations "$SYNC_ITERATIONS" --sync-intervals "$SYNC_INTERVALS"
  --data-dir "$work/data")
[ -n "$DB" ] && args+=(--db "$DB")
[ -n "$CPUPROFILE" ] && args+=(--cpuprofile "$CPUPROFILE")
[ -n "$ATTACH_ISSUANCE" ] && args+=(--attach-issuance "$ATTACH_ISSUANCE")
[ "$SUBSCRIBE" = 1 ] && args+=(--subscribe)
mkdir -p "$work/data"
"$work/benchmirror" "${args[@]}"
echo "anvil $("$anvil" --version | head -1 | awk '{print $3}'); load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
