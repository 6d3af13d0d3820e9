#!/usr/bin/env bash
# Local devnet: installs the pinned anvil from npm (contracts/package-lock.json),
# starts it, runs stonode against it (--rpc, never the embedded chain), and prints
# the endpoints and keys to use. Stop with Ctrl-C or SIGTERM; both processes stop
# with the script, and it exits when either of them does.
#
#   scripts/devnet.sh                 # anvil on 127.0.0.1:8545, stonode on 127.0.0.1:8080
#   ANVIL_PORT=9545 STONODE_ADDR=127.0.0.1:9080 DATA_DIR=/tmp/devnet scripts/devnet.sh
#
# Knobs (environment):
#   ANVIL_PORT=8545          anvil's port on 127.0.0.1 (must be free: the script refuses to start otherwise)
#   STONODE_ADDR=127.0.0.1:8080
#   DATA_DIR=                the node's data dir; empty: a new temporary directory. anvil starts empty
#                            on every run, so a data dir kept from an earlier run finds its deployments
#                            gone and halts their chain work (README: "When the chain changes under the node").
#   BLOCK_TIME=1             anvil's block time in seconds
#   STONODE_BIN=             a stonode binary to run; empty: built from this checkout into bin/stonode
#
# Once both answer, it writes $DATA_DIR/devnet.env (mode 600) for a shell to source:
# STONODE_URL, OPERATOR_KEY, ANVIL_RPC, CAST, NODE_ADDRESS, OTHER_ADDRESS, OTHER_KEY; it
# removes the file when it stops.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
anvil_port=${ANVIL_PORT:-8545}
addr=${STONODE_ADDR:-127.0.0.1:8080}
data=${DATA_DIR:-}
block_time=${BLOCK_TIME:-1}
bin=${STONODE_BIN:-}

# Everything the node needs is passed explicitly below; a STONODE_* variable left in
# the caller's environment (e.g. STONODE_DB, STONODE_KEY_FILE) must not redirect it.
unset STONODE_ADDR STONODE_DATA_DIR STONODE_DB STONODE_LOG_LEVEL STONODE_CHAIN STONODE_CHAIN_RPC_ADDR \
  STONODE_RPC STONODE_KEY STONODE_KEY_FILE STONODE_CONFIRMATIONS STONODE_MAX_REORG_DEPTH \
  STONODE_HEAD_STALL_AFTER STONODE_STUCK_BLOCKS STONODE_NODE_ID

die() { echo "devnet: $*" >&2; exit 1; }
listening() { (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null; }

# One chain per port: an embedded stonode chain (its JSON-RPC defaults to 127.0.0.1:8545)
# or another anvil there would otherwise answer in anvil's place.
listening "127.0.0.1:$anvil_port" && die "127.0.0.1:$anvil_port is already in use (another anvil, or a stonode serve with its embedded chain's JSON-RPC there?); stop it or set ANVIL_PORT"
listening "$addr" && die "$addr is already in use (another stonode?); stop it or set STONODE_ADDR"

if [ ! -x "$root/contracts/node_modules/.bin/anvil" ] || [ ! -x "$root/contracts/node_modules/.bin/cast" ]; then
  (cd "$root/contracts" && npm ci --no-audit --no-fund --loglevel=error)
fi
anvil="$root/contracts/node_modules/.bin/anvil"
cast="$root/contracts/node_modules/.bin/cast"
if [ -z "$data" ]; then data=$(mktemp -d "${TMPDIR:-/tmp}/stonode-devnet.XXXXXX"); fi
mkdir -p "$data"
data=$(cd "$data" && pwd)
rm -f "$data/devnet.env"

# anvil's well-known first dev account (mnemonic "test test … junk"): public test
# funds only, never use it anywhere real.
node_key=ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
node_address=0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
other_key=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d   # account #1
other_address=0x70997970C51812dc3A010C7d01b50e0d17dc79C8

pids=()
cleanup() {
  trap - EXIT INT TERM
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -f "$data/devnet.env" # its endpoints are gone
}
trap cleanup EXIT
trap 'exit 0' INT TERM # a requested stop

if [ -z "$bin" ]; then
  bin="$root/bin/stonode"
  (cd "$root" && go build -o "$bin" ./cmd/stonode)
fi

"$anvil" --host 127.0.0.1 --port "$anvil_port" --block-time "$block_time" --silent &
anvil_pid=$!
pids+=("$anvil_pid")
rpc="http://127.0.0.1:$anvil_port"
chain_id=
for _ in $(seq 1 100); do
  kill -0 "$anvil_pid" 2>/dev/null || die "anvil exited at start"
  chain_id=$("$cast" chain-id --rpc-url "$rpc" 2>/dev/null) && break
  sleep 0.1
done
[ "$chain_id" = 31337 ] || die "anvil did not answer on $rpc (chain id '${chain_id}')"

operator_key=$("$bin" keys create --role operator --data-dir "$data" --name devnet --log-level warn)
# The node's signing key travels in the environment, never on the command line.
STONODE_KEY=$node_key "$bin" serve --addr "$addr" --data-dir "$data" --rpc "$rpc" 2>>"$data/stonode.log" &
node_pid=$!
pids+=("$node_pid")
# /healthz, not /readyz: a node whose chain work is halted (a data dir from an earlier
# run) is up but not ready, and says why on /readyz.
for _ in $(seq 1 150); do
  kill -0 "$node_pid" 2>/dev/null || die "stonode exited at start; see $data/stonode.log"
  curl -sf "http://$addr/healthz" >/dev/null && break
  sleep 0.1
done
curl -sf "http://$addr/healthz" >/dev/null || die "stonode did not answer on http://$addr; see $data/stonode.log"
ready=$(curl -s "http://$addr/readyz")

umask 077
cat >"$data/devnet.env" <<ENV
STONODE_URL=http://$addr
OPERATOR_KEY=$operator_key
ANVIL_RPC=$rpc
CAST=$cast
NODE_ADDRESS=$node_address
OTHER_ADDRESS=$other_address
OTHER_KEY=$other_key
ENV

cat <<INFO
stonode devnet
  anvil        $rpc   (chain id $chain_id, a block every ${block_time}s, pid $anvil_pid)
  stonode      http://$addr   (pid $node_pid, data $data, log $data/stonode.log)
  readyz       $ready
  operator key $operator_key
  node signer  $node_address (anvil account #0; holds every contract role)
  other wallet $other_address (anvil account #1, key $other_key)
  cast         $cast
  env file     $data/devnet.env
Ctrl-C stops both.
INFO
wait -n "${pids[@]}" || true
die "anvil or stonode exited; stopping the other (log: $data/stonode.log)"
