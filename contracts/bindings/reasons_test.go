package bindings_test

import (
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"

	"github.com/stonode/stonode/registry"
)

// reasonCodesSol is the single Solidity file holding the on-chain codes.
const reasonCodesSol = "../src/ReasonCodes.sol"

var solConstant = regexp.MustCompile(`uint8\s+internal\s+constant\s+([A-Z0-9_]+)\s*=\s*(\d+)\s*;`)

// solidityReasonCodes parses the constants of contracts/src/ReasonCodes.sol.
func solidityReasonCodes(t *testing.T) map[string]uint8 {
	t.Helper()
	src, err := os.ReadFile(reasonCodesSol)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]uint8{}
	for _, m := range solConstant.FindAllStringSubmatch(string(src), -1) {
		n, err := strconv.ParseUint(m[2], 10, 8)
		if err != nil {
			t.Fatalf("%s = %s: %v", m[1], m[2], err)
		}
		if _, dup := codes[m[1]]; dup {
			t.Fatalf("%s declared twice in %s", m[1], reasonCodesSol)
		}
		codes[m[1]] = uint8(n)
	}
	if len(codes) == 0 {
		t.Fatalf("no constants found in %s", reasonCodesSol)
	}
	return codes
}

// TestReasonCodesMatchRegistry checks both ways that the Solidity constants are
// exactly the registry's OnChain reason codes: same names, same numbers.
func TestReasonCodesMatchRegistry(t *testing.T) {
	sol := solidityReasonCodes(t)
	onChain := map[string]uint8{}
	for _, r := range registry.Reasons() {
		if r.OnChain {
			onChain[r.Name] = uint8(r.Code)
		}
	}
	for name, code := range onChain {
		got, ok := sol[name]
		switch {
		case !ok:
			t.Errorf("%s (%d) is OnChain in registry/reasons.go but missing from %s", name, code, reasonCodesSol)
		case got != code:
			t.Errorf("%s: %d in registry/reasons.go, %d in %s", name, code, got, reasonCodesSol)
		}
	}
	for name, code := range sol {
		if _, ok := onChain[name]; !ok {
			t.Errorf("%s (%d) is in %s but not an OnChain code in registry/reasons.go", name, code, reasonCodesSol)
		}
	}
	numbers := map[uint8]string{}
	for name, code := range sol {
		if other, dup := numbers[code]; dup {
			t.Errorf("%s and %s share number %d", name, other, code)
		}
		numbers[code] = name
	}
}

// TestRestrictionMessages checks the deployed token's ERC-1404 message for
// every on-chain code: non-empty and not the unknown-code fallback.
func TestRestrictionMessages(t *testing.T) {
	c := newChain(t)
	unknown, err := bind.Call(c.tok, nil, c.token.PackMessageForTransferRestriction(255), c.token.UnpackMessageForTransferRestriction)
	if err != nil {
		t.Fatal(err)
	}
	for name, code := range solidityReasonCodes(t) {
		msg, err := bind.Call(c.tok, nil, c.token.PackMessageForTransferRestriction(code), c.token.UnpackMessageForTransferRestriction)
		if err != nil {
			t.Fatal(err)
		}
		if msg == "" || msg == unknown {
			t.Errorf("messageForTransferRestriction(%d) for %s = %q", code, name, msg)
		}
	}
	// Sanity: the token is the one deployed with the bindings' bytecode.
	if d, err := bind.Call(c.tok, nil, c.token.PackDecimals(), c.token.UnpackDecimals); err != nil || d != 0 {
		t.Fatalf("decimals = %d, %v", d, err)
	}
}
