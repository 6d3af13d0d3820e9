#!/usr/bin/env bash
# Local devnet: installs the pinned anvil from npm (contracts/package-lock.json),
# starts it, runs stonode against it, and prints the endpoints and keys to use.
# Stop with Ctrl-C; both processes stop with the script.
#
#   scripts/devnet.sh                 # anvil on 127.0.0.1:8545, stonode on 127.0.0.1:8080
#   ANVIL_PORT=9545 STONODE_ADDR=127.0.0.1:9080 DATA_DIR=/tmp/devnet scripts/devnet.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
anvil_port=${ANVIL_PORT:-8545}
addr=${STONODE_ADDR:-127.0.0.1:8080}
data=${DATA_DIR:-$root/data/devnet}
block_time=${BLOCK_TIME:-1}

if [ ! -x "$root/contracts/node_modules/.bin/anvil" ]; then
  (cd "$root/contracts" && npm ci --no-audit --no-fund --loglevel=error)
fi
anvil="$root/contracts/node_modules/.bin/anvil"
mkdir -p "$data"

# anvil's well-known first dev account (mnemonic "test test … junk"): public test
# funds only, never use it anywhere real.
node_key=ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
node_address=0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
other_key=59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d   # account #1
other_address=0x70997970C51812dc3A010C7d01b50e0d17dc79C8

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

"$anvil" --host 127.0.0.1 --port "$anvil_port" --block-time "$block_time" --silent &
pids+=($!)
for _ in $(seq 1 50); do
  if curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
      --data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "http://127.0.0.1:$anvil_port"; then break; fi
  sleep 0.1
done

(cd "$root" && go build -o "$data/stonode" ./cmd/stonode)
operator_key=$("$data/stonode" keys create --role operator --data-dir "$data" --name devnet)
# The node's signing key travels in the environment, never on the command line.
STONODE_KEY=$node_key "$data/stonode" serve --addr "$addr" --data-dir "$data" \
  --rpc "http://127.0.0.1:$anvil_port" 2>"$data/stonode.log" &
pids+=($!)
for _ in $(seq 1 100); do curl -sf "http://$addr/readyz" >/dev/null && break; sleep 0.1; done

cat <<INFO
stonode devnet
  anvil        http://127.0.0.1:$anvil_port   (chain id 31337, a block every ${block_time}s)
  stonode      http://$addr        (log: $data/stonode.log)
  operator key $operator_key
  node signer  $node_address (anvil account #0; holds every contract role)
  other wallet $other_address (anvil account #1, key $other_key)
  cast         $root/contracts/node_modules/.bin/cast
Ctrl-C stops both.
INFO
wait -n "${pids[@]}"
