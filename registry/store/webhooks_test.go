package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/store"
)

// TestStoreWritesEmitTheirEvents: the write paths that report to webhooks
// (whitelist confirmed and failed, operation finished, transfer mirrored,
// term change applied, chain work halted) write their events in their own
// transactions, and fan-out gives each subscription what its tenant may see:
// a seller handling the issuance gets the public events and those about its
// own investor, never the lead's investor's or the issuance's operations.
func TestStoreWritesEmitTheirEvents(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		f := newTermsFixture(t, engine)
		ctx := context.Background()
		hc := asSeller(f.handler.ID)
		due, verified := t0.AddDate(1, 0, 0), t0.AddDate(0, -1, 0)
		own := &registry.Investor{CustomerRef: "H1", PersonType: registry.PersonCorporation, ResidenceCountry: "JP",
			KYCStatus: registry.KYCVerified, KYCVerifiedAt: &verified, KYCReviewDue: &due,
			Sanctions: registry.ScreeningClear, Antisocial: registry.ScreeningClear,
			Wallets: []registry.Wallet{{Address: "0x6666666666666666666666666666666666666666"}}}
		if err := f.a.CreateInvestor(hc, own); err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.Approve(hc, f.iss.ID, own.ID, registry.Approval{}); err != nil {
			t.Fatal(err)
		}
		subs := map[string]int64{}
		for name, c := range map[string]context.Context{"lead": asSeller(f.lead.ID), "handler": hc, "other": asSeller(f.other.ID), "operator": operator()} {
			s, err := f.hooks.CreateSubscription(c, registry.SubscriptionRequest{URL: "https://example.jp/" + name, EventTypes: registry.EventTypes})
			if err != nil {
				t.Fatal(err)
			}
			subs[name] = s.ID
		}

		// The whitelist sync confirms both entries, then the chain refuses the handler's wallet.
		wallets, upTo, err := f.a.PendingWallets(ctx, f.iss.ID, 100)
		if err != nil || len(wallets) != 3 {
			t.Fatalf("pending wallets %v, %v", wallets, err)
		}
		batch, err := f.a.RecordBatch(ctx, registry.SyncBatch{IssuanceID: f.iss.ID, Seq: 1, TxHash: "0xb1", Wallets: wallets, UpTo: upTo})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.a.ConfirmBatch(ctx, batch, 7, "0xblock7", "0xb1"); err != nil {
			t.Fatal(err)
		}
		if err := f.a.EnqueueWallets(operator(), f.iss.ID, []string{own.Wallets[0].Address}); err != nil {
			t.Fatal(err)
		}
		_, upTo, err = f.a.PendingWallets(ctx, f.iss.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.a.FailWallets(ctx, f.iss.ID, upTo, []registry.WalletFailure{{Wallet: own.Wallets[0].Address, Reason: "InvalidCountry"}}); err != nil {
			t.Fatal(err)
		}
		// A term change queues its operation; the operation finishes; the chain halts.
		holders := 7
		tc, err := f.termsA.ChangeTerms(operator(), f.iss.ID, registry.TermChangeRequest{Changes: registry.Terms{MaxHolders: &holders}, Reason: "cap"})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.a.FinishOperation(operator(), *tc.OperationID, map[string]string{"block": "9"}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.HaltIssuance(operator(), f.iss.ID, "the chain changed identity"); err != nil {
			t.Fatal(err)
		}

		events, err := f.hooks.Events(ctx, f.iss.ID)
		if err != nil {
			t.Fatal(err)
		}
		count := map[registry.EventType]int{}
		for _, e := range events {
			count[e.Type]++
		}
		// The fixture's mint was mirrored before anyone subscribed: its
		// transfer.mirrored event was never written.
		want := map[registry.EventType]int{registry.EventTransferMirrored: 0, registry.EventWhitelistConfirmed: 2,
			registry.EventWhitelistFailed: 1, registry.EventTermChangeApplied: 1, registry.EventOperationFinished: 1,
			registry.EventChainWorkHalted: 1}
		for typ, n := range want {
			if count[typ] != n {
				t.Errorf("%d %s events, want %d (all: %v)", count[typ], typ, n, count)
			}
		}

		for {
			n, err := f.hooks.FanOut(ctx, 3) // small batches: fan-out resumes where it stopped
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
		}
		got := func(name string, c context.Context) []registry.EventType {
			ds, err := f.hooks.Deliveries(c, subs[name], registry.DeliveryFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var out []registry.EventType
			for _, d := range ds {
				out = append(out, d.EventType)
			}
			return out
		}
		if all := got("lead", asSeller(f.lead.ID)); len(all) != len(events) {
			t.Errorf("the lead got %v, want all %d events", all, len(events))
		}
		if all := got("operator", operator()); len(all) != len(events) {
			t.Errorf("the operator got %v, want all %d events", all, len(events))
		}
		if other := got("other", asSeller(f.other.ID)); len(other) != 0 {
			t.Errorf("an unrelated seller got %v", other)
		}
		handler := got("handler", hc)
		wantHandler := []registry.EventType{registry.EventWhitelistConfirmed, registry.EventWhitelistFailed,
			registry.EventTermChangeApplied, registry.EventChainWorkHalted}
		if !slices.Equal(handler, wantHandler) {
			t.Errorf("the handling seller got %v, want %v", handler, wantHandler)
		}
		ds, _ := f.hooks.Deliveries(hc, subs["handler"], registry.DeliveryFilter{})
		for _, e := range events {
			if e.ID == ds[0].EventID && !slices.Equal(e.Parties, []int64{f.handler.ID}) {
				t.Errorf("the handler's whitelist event names parties %v", e.Parties)
			}
		}

		// A revoked seller receives nothing more, public events included.
		if _, err := f.a.ChangeSellerStatus(operator(), f.handler.ID, registry.SellerStatusChange{Status: registry.SellerRevoked,
			Reason: "licence cancelled", EffectiveAt: t0}); err != nil {
			t.Fatal(err)
		}
		holders = 8
		if _, err := f.termsA.ChangeTerms(operator(), f.iss.ID, registry.TermChangeRequest{Changes: registry.Terms{MaxHolders: &holders}, Reason: "cap"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.hooks.FanOut(ctx, 100); err != nil {
			t.Fatal(err)
		}
		if after, _ := f.hooks.Deliveries(operator(), subs["handler"], registry.DeliveryFilter{}); len(after) != len(wantHandler) {
			t.Errorf("a revoked seller got %d deliveries, want the %d from before", len(after), len(wantHandler))
		}
		if lead := got("lead", asSeller(f.lead.ID)); len(lead) != len(events)+1 {
			t.Errorf("the lead got %d deliveries, want %d", len(lead), len(events)+1)
		}
	})
}

// subscribeAll subscribes the operator to every event type: events no
// subscription asks for are not written.
func subscribeAll(t *testing.T, db *store.DB) {
	t.Helper()
	if _, err := store.NewWebhooks(db).CreateSubscription(operator(),
		registry.SubscriptionRequest{URL: "https://example.jp/all", EventTypes: registry.EventTypes}); err != nil {
		t.Fatal(err)
	}
}
