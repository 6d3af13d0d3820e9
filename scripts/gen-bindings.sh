#!/usr/bin/env bash
# Regenerates the committed contract artifacts from contracts/src:
#   contracts/build/<Contract>.abi.json, contracts/build/<Contract>.bin  (forge build)
#   contracts/bindings/<contract>.go                                   (abigen --v2)
#
#   scripts/gen-bindings.sh          regenerate in place
#   scripts/gen-bindings.sh --check  regenerate into a temporary directory and exit
#                                    non-zero if anything differs from the tree
#
# abigen is the go-ethereum version pinned in go.mod, run with `go run pkg@version`
# so nothing is installed globally and go.mod is left alone. Compiler settings are
# fixed in contracts/foundry.toml (solc 0.8.37, optimizer 10000 runs, prague, no
# metadata hash), so the output is byte-for-byte reproducible.
set -euo pipefail

check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
contracts="$root/contracts"
contract_names=(EligibilityRegistry SecurityToken)

cd "$contracts"
if [ ! -x node_modules/.bin/forge ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node_modules/.bin/forge build --skip test >/dev/null

geth_version=$(cd "$root" && go list -m -f '{{.Version}}' github.com/ethereum/go-ethereum)

if [ "$check" = 1 ]; then
  dest=$(mktemp -d)
  trap 'rm -rf "$dest"' EXIT
else
  dest="$contracts"
fi
mkdir -p "$dest/build" "$dest/bindings"

for name in "${contract_names[@]}"; do
  node -e '
    const fs = require("fs");
    const [src, abiOut, binOut] = process.argv.slice(1);
    const art = JSON.parse(fs.readFileSync(src, "utf8"));
    fs.writeFileSync(abiOut, JSON.stringify(art.abi, null, 2) + "\n");
    fs.writeFileSync(binOut, art.bytecode.object.replace(/^0x/, ""));
  ' "out/$name.sol/$name.json" "$dest/build/$name.abi.json" "$dest/build/$name.bin"

  # EligibilityRegistry -> eligibility_registry.go
  file=$(echo "$name" | sed -E 's/([a-z0-9])([A-Z])/\1_\2/g' | tr '[:upper:]' '[:lower:]').go
  (cd "$root" && go run "github.com/ethereum/go-ethereum/cmd/abigen@$geth_version" --v2 \
    --abi "$dest/build/$name.abi.json" --bin "$dest/build/$name.bin" \
    --pkg bindings --type "$name" --out "$dest/bindings/$file")
done

if [ "$check" = 1 ]; then
  status=0
  for f in "$dest"/build/* "$dest"/bindings/*.go; do
    rel=${f#"$dest"/}
    if ! cmp -s "$f" "$contracts/$rel"; then
      echo "gen-bindings: contracts/$rel is stale; run scripts/gen-bindings.sh" >&2
      diff -u "$contracts/$rel" "$f" | head -20 >&2 || true
      status=1
    fi
  done
  # Generated files that no longer have a source.
  for f in "$contracts"/build/* ; do
    [ -e "$f" ] || continue
    rel=${f#"$contracts"/}
    [ -e "$dest/$rel" ] || { echo "gen-bindings: contracts/$rel has no source contract" >&2; status=1; }
  done
  [ "$status" = 0 ] && echo "gen-bindings: contracts/build and contracts/bindings are up to date"
  exit "$status"
fi
echo "gen-bindings: regenerated contracts/build and contracts/bindings"
