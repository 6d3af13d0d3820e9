#!/usr/bin/env bash
# One command for the contracts: installs the pinned toolchain from the lock file
# (forge/anvil/cast 1.7.1, solc-js 0.8.37, OpenZeppelin 5.7.0), builds, runs every
# forge test (unit, fuzz, invariant, gas goals) and fails if gas moved without an
# updated .gas-snapshot (`forge snapshot --match-contract GasTest` refreshes it).
#
#   scripts/contracts-test.sh            forge side only
#   scripts/contracts-test.sh --all      also: bindings up to date + Go tests (-race)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/contracts"

npm ci --no-audit --no-fund --loglevel=error
forge=node_modules/.bin/forge

"$forge" build
"$forge" test
"$forge" snapshot --match-contract GasTest --check

if [ "${1:-}" = "--all" ]; then
  "$root/scripts/gen-bindings.sh" --check
  (cd "$root" && go test -race -count=1 ./contracts/...)
fi
