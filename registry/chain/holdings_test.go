package chain_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/chain/mirror"
	"github.com/stonode/stonode/registry/store/storetest"
)

// TestMirroredHoldingsFeedEligibilityAndAlerts: once an issuance's token is
// mirrored, the holder cap and balances come from the chain, and a transfer
// into a wallet the registry does not know — possible only around the node —
// raises a compliance alert with the reason code.
func TestMirroredHoldingsFeedEligibilityAndAlerts(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			r := newSyncRig(t, engine)
			const wa, wb = "0x00000000000000000000000000000000000000a1", "0x00000000000000000000000000000000000000b2"
			due := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
			a := r.investor("A", wa, due)
			b := r.investor("B", wb, due)
			for _, inv := range []*registry.Investor{a, b} {
				if _, err := r.st.Approve(r.seller, r.iss.ID, inv.ID, registry.Approval{}); err != nil {
					t.Fatal(err)
				}
			}
			r.step()
			tok := r.tok.Instance(r.conn.Client, r.d.TokenAddress)
			if err := chain.TransactForTest(r.conn, r.ctx, tok, r.tok.PackMint(common.HexToAddress(wa), big.NewInt(500))); err != nil {
				t.Fatal(err)
			}
			// Around the node: another writer whitelists a wallet the registry
			// does not know, and the agent mints to it.
			stranger := common.HexToAddress("0x00000000000000000000000000000000000000ee")
			if err := chain.ApplyBatchForTest(r.conn, r.ctx, r.d.RegistryAddress, 1, bindings.EligibilityRegistryEntry{
				Wallet: stranger, InvestorId: 77, Country: [2]byte{'J', 'P'}, ValidUntil: big.NewInt(int64(registry.NoExpiry))}); err != nil {
				t.Fatal(err)
			}
			if err := chain.TransactForTest(r.conn, r.ctx, tok, r.tok.PackMint(stranger, big.NewInt(5))); err != nil {
				t.Fatal(err)
			}
			eng := mirror.New(mirror.Config{ChainID: r.d.ChainID, Token: r.d.TokenAddress, StartBlock: r.d.Block}, r.conn.Client, r.st)
			if err := eng.Sync(r.ctx); err != nil {
				t.Fatal(err)
			}

			// Balances now come from the mirror: a transfer above A's balance is refused.
			res, err := r.st.CheckTransfer(r.seller, r.iss.ID, registry.TransferCheck{From: wa, To: wb, Amount: big.NewInt(501)}, t0)
			if err != nil {
				t.Fatal(err)
			}
			if !hasCode(res.Decision, registry.CodeInsufficientBalance) {
				t.Fatalf("transfer above the mirrored balance: %+v", res.Decision)
			}
			res, _ = r.st.CheckTransfer(r.seller, r.iss.ID, registry.TransferCheck{From: wa, To: wb, Amount: big.NewInt(500)}, t0)
			if !res.Decision.Allowed {
				t.Fatalf("transfer of the whole mirrored balance: %+v", res.Decision)
			}

			alerts, err := r.st.Alerts(r.seller, registry.AlertFilter{IssuanceID: r.iss.ID})
			if err != nil {
				t.Fatal(err)
			}
			if len(alerts) != 1 || alerts[0].To != lowerHex(stranger) || alerts[0].Codes[0] != registry.CodeWalletUnknown || alerts[0].Amount.Int64() != 5 {
				t.Fatalf("alerts = %+v", alerts)
			}
			if n, _ := r.st.AlertCount(r.ctx); n != 1 {
				t.Fatalf("alert count %d", n)
			}
			// Re-syncing adds nothing.
			if err := eng.Sync(r.ctx); err != nil {
				t.Fatal(err)
			}
			if n, _ := r.st.AlertCount(r.ctx); n != 1 {
				t.Fatalf("alert count after a second pass %d", n)
			}
		})
	}
}

func hasCode(d registry.Decision, c registry.ReasonCode) bool {
	for _, r := range d.Reasons {
		if r.Code == c {
			return true
		}
	}
	return false
}
