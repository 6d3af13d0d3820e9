package eligibility

import (
	"math/big"
	"testing"

	"github.com/stonode/stonode/registry"
)

// A sender's active holder locks are frozen on the token, so the free balance
// the engine checks is the mirrored balance less them (never below zero).
func TestSenderLockedLeavesTheFreeBalance(t *testing.T) {
	const from, to = "0x00000000000000000000000000000000000000f1", "0x00000000000000000000000000000000000000f2"
	cases := []struct {
		name          string
		balance       int64
		locked        *big.Int
		wantAvailable int64
	}{
		{"no locks", 100, nil, 100},
		{"zero locked", 100, big.NewInt(0), 100},
		{"part locked", 100, big.NewInt(30), 70},
		{"all locked", 100, big.NewInt(100), 0},
		{"more locked than mirrored (the mirror lags)", 10, big.NewInt(30), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &registry.Facts{IssuanceFacts: &registry.IssuanceFacts{Issuance: &registry.Issuance{ID: 1},
				Holdings: &registry.MirrorHoldings{Wallets: map[string]*big.Int{from: big.NewInt(c.balance)}, Investors: map[int64]*big.Int{}}},
				Parties: map[string]*registry.PartyFacts{}, SenderLocked: c.locked}
			req := NewRequest(f, from, to, big.NewInt(1), t0)
			if got := req.Holdings.SenderBalance; got == nil || got.Int64() != c.wantAvailable {
				t.Fatalf("sender balance %v, want %d", got, c.wantAvailable)
			}
			if f.Holdings.Wallets[from].Int64() != c.balance {
				t.Fatal("the shared mirrored balance was changed")
			}
		})
	}
}
