package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"

	"github.com/stonode/stonode/contracts/bindings"
)

// TestAnvilScheduledTermChange: a lock-up change (with a country rule)
// scheduled through the API applies at its time, on-chain and off-chain: the
// token's lockupEnd and the registry's country rule are set by operations
// signed by the admin and the writer key, and the transfer check reports
// LOCKUP_ACTIVE from then on.
func TestAnvilScheduledTermChange(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test against anvil: skipped in -short mode")
	}
	c, cancel := startSeparateKeyNode(t)
	defer cancel()
	ctx, chain := c.ctx, c.chain
	alice, bob := anvilAccount(t, 1), anvilAccount(t, 2)
	c.setUp(alice, bob)

	tok, reg := bindings.NewSecurityToken(), bindings.NewEligibilityRegistry()
	tokInst, regInst := tok.Instance(chain.eth, c.token), reg.Instance(chain.eth, c.registry)
	lockupEnd := func() int64 {
		v, err := bind.Call(tokInst, &bind.CallOpts{Context: ctx}, tok.PackLockupEnd(), tok.UnpackLockupEnd)
		if err != nil {
			t.Fatal(err)
		}
		return v.Int64()
	}
	lockupActive := func() bool {
		var res struct {
			Reasons []struct{ Code string }
		}
		c.api.must(ctx, 200, "POST", c.base+"/transfer-checks", c.sellerKey,
			map[string]any{"from": alice.addr.Hex(), "to": bob.addr.Hex(), "amount": "1"}, &res)
		for _, r := range res.Reasons {
			if r.Code == "LOCKUP_ACTIVE" {
				return true
			}
		}
		return false
	}
	if lockupEnd() != 0 || lockupActive() {
		t.Fatalf("before the change: lockupEnd %d, lock-up active off-chain %v", lockupEnd(), lockupActive())
	}

	// Due in a few seconds: both sides keep the old terms until then.
	at := time.Now().UTC().Add(8 * time.Second).Truncate(time.Second)
	end := time.Now().UTC().AddDate(1, 0, 0).Truncate(time.Second)
	var change struct {
		ID                     int64
		Status                 string
		AppliedAt              *time.Time `json:"appliedAt"`
		ChainStatus            string     `json:"chainStatus"`
		OperationID            int64      `json:"operationId"`
		CountryRuleOperationID int64      `json:"countryRuleOperationId"`
	}
	c.api.must(ctx, 201, "POST", c.base+"/terms", c.sellerKey, map[string]any{
		"changes": map[string]any{"lockupEnd": end, "deniedCountries": []string{"KP", "IR"}}, "effectiveAt": at,
		"reason": "general meeting 2026-11-30: lock-up for one year"}, &change)
	if change.Status != "SCHEDULED" {
		t.Fatalf("change: %+v", change)
	}
	if time.Now().Before(at) && (lockupEnd() != 0 || lockupActive()) {
		t.Fatal("the change applied before its time")
	}
	path := fmt.Sprintf("%s/term-changes/%d", c.base, change.ID)
	eventually(ctx, t, 90*time.Second, 100*time.Millisecond, "the scheduled change on-chain", func() (bool, string) {
		c.api.must(ctx, 200, "GET", path, c.sellerKey, nil, &change)
		if change.ChainStatus == "FAILED" {
			t.Fatalf("the change's operations failed: %+v", change)
		}
		return change.Status == "APPLIED" && change.ChainStatus == "SUCCEEDED", change.Status + "/" + change.ChainStatus
	})
	if change.AppliedAt == nil || change.AppliedAt.Before(at) {
		t.Fatalf("applied at %v, before its time %s", change.AppliedAt, at)
	}
	if got := lockupEnd(); got != end.Unix() {
		t.Fatalf("on-chain lockupEnd = %d, want %d", got, end.Unix())
	}
	if !lockupActive() {
		t.Fatal("off-chain: the transfer check does not report LOCKUP_ACTIVE")
	}
	rule, err := bind.Call(regInst, &bind.CallOpts{Context: ctx}, reg.PackCountryRule(), reg.UnpackCountryRule)
	if err != nil {
		t.Fatal(err)
	}
	if rule.AllowList || len(rule.Countries) != 2 || string(rule.Countries[0][:]) != "IR" || string(rule.Countries[1][:]) != "KP" {
		t.Fatalf("on-chain country rule = %+v", rule)
	}
	// Each setter was signed by the key holding its role.
	c.signedBy(c.await(change.OperationID), c.admin)
	c.signedBy(c.await(change.CountryRuleOperationID), c.writer)
	// The history keeps it; a second look at the chain finds nothing more to do.
	var hist struct {
		Items []struct{ ID int64 }
	}
	c.api.must(ctx, 200, "GET", c.base+"/term-changes?status=APPLIED", c.sellerKey, nil, &hist)
	if len(hist.Items) != 1 || hist.Items[0].ID != change.ID {
		t.Fatalf("history: %+v", hist)
	}
}
