package store_test

import (
	"context"
	"math/big"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// termsFixture: seller A leads an issuance with a (recorded) deployment that
// seller B handles; A's investor holds tokens in wallet tW1 and may receive in
// tW2. Two store handles share the database, as two nodes would.
type termsFixture struct {
	t           *testing.T
	dsn         string
	clock       *storetest.Clock
	a, b        *storetest.Stores
	termsA      *store.Terms
	termsB      *store.Terms
	hooks       *store.Webhooks
	lead, other *registry.Seller
	handler     *registry.Seller
	iss         *registry.Issuance
	inv         *registry.Investor
}

const (
	tToken = "0x00000000000000000000000000000000000000c1"
	tW1    = "0x4444444444444444444444444444444444444444"
	tW2    = "0x5555555555555555555555555555555555555555"
)

func newTermsFixture(t *testing.T, engine store.Dialect) *termsFixture {
	f := &termsFixture{t: t, clock: storetest.NewClock(t0)}
	dsn := storetest.DSN(t, engine)
	f.dsn = dsn
	open := func() *storetest.Stores {
		st, err := storetest.OpenConfig(context.Background(), store.Config{DSN: dsn, Clock: f.clock.Now, Rules: eligibility.Rules{}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	f.a, f.b = open(), open()
	f.termsA, f.termsB, f.hooks = store.NewTerms(f.a.DB), store.NewTerms(f.b.DB), store.NewWebhooks(f.a.DB)
	f.lead = newSeller(t, f.a, "7000012050002")
	f.handler = newSeller(t, f.a, "1010001000006")
	f.other = newSeller(t, f.a, "2010001000005")
	sc := asSeller(f.lead.ID)
	f.iss = &registry.Issuance{IssuerName: "I", TokenName: "T", TokenSymbol: "T", LegalForm: registry.FormBond,
		FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic, HandlingSellers: []int64{f.handler.ID}}
	if err := f.a.CreateIssuance(sc, f.iss); err != nil {
		t.Fatal(err)
	}
	for _, to := range []registry.IssuanceStatus{registry.IssuanceRegistered, registry.IssuanceOffering} {
		if _, err := f.a.TransitionIssuance(sc, f.iss.ID, to, ""); err != nil {
			t.Fatal(err)
		}
		if to == registry.IssuanceRegistered {
			if _, err := f.a.RecordDeployment(sc, f.iss.ID, registry.Deployment{ChainID: mChain, TokenAddress: tToken,
				RegistryAddress: "0x00000000000000000000000000000000000000c2", Block: 1}); err != nil {
				t.Fatal(err)
			}
		}
	}
	due, verified := t0.AddDate(1, 0, 0), t0.AddDate(0, -1, 0)
	f.inv = &registry.Investor{CustomerRef: "1", PersonType: registry.PersonCorporation, ResidenceCountry: "JP",
		KYCStatus: registry.KYCVerified, KYCVerifiedAt: &verified, KYCReviewDue: &due,
		Sanctions: registry.ScreeningClear, Antisocial: registry.ScreeningClear,
		Wallets: []registry.Wallet{{Address: tW1}, {Address: tW2}}}
	if err := f.a.CreateInvestor(sc, f.inv); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.Approve(sc, f.iss.ID, f.inv.ID, registry.Approval{}); err != nil {
		t.Fatal(err)
	}
	mint(t, f.a, tToken, nil, 2, tW1, 100)
	return f
}

// decide asks both stores about a transfer of 10 from tW1 to tW2 now; they
// must agree (the second store's cache sees the first one's writes).
func (f *termsFixture) decide() registry.ReasonCode {
	f.t.Helper()
	var codes []registry.ReasonCode
	for _, st := range []*storetest.Stores{f.a, f.b} {
		res, err := st.CheckTransfer(operator(), f.iss.ID, registry.TransferCheck{From: tW1, To: tW2, Amount: big.NewInt(10)}, f.clock.Now())
		if err != nil {
			f.t.Fatal(err)
		}
		codes = append(codes, res.Decision.Primary())
	}
	if codes[0] != codes[1] {
		f.t.Fatalf("the two stores decide %s and %s", codes[0], codes[1])
	}
	return codes[0]
}

func (f *termsFixture) events(typ registry.EventType) []registry.Event {
	f.t.Helper()
	all, err := f.hooks.Events(context.Background(), f.iss.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []registry.Event
	for _, e := range all {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

func TestTermChangeAppliesAtOnceWithHistory(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		f := newTermsFixture(t, engine)
		subscribeAll(t, f.a.DB)
		if c := f.decide(); c != registry.CodeOK {
			t.Fatalf("before the change: %s", c)
		}
		end := t0.AddDate(0, 6, 0)
		tc, err := f.termsA.ChangeTerms(asSeller(f.lead.ID), f.iss.ID, registry.TermChangeRequest{
			Changes: registry.Terms{LockupEnd: &end, DeniedCountries: []string{"KP"}}, Reason: "board resolution 12"})
		if err != nil {
			t.Fatal(err)
		}
		if tc.Status != registry.TermChangeApplied || tc.OperationID == nil || tc.CountryRuleOperationID == nil ||
			!slices.Equal(tc.OnChain, []string{"lockupEnd", "countryRule"}) {
			t.Fatalf("change = %+v", tc)
		}
		if tc.Previous == nil || !slices.Equal(tc.Previous.Clear, []string{"lockupEnd", "deniedCountries"}) {
			t.Errorf("previous = %+v, want lockupEnd and deniedCountries as none", tc.Previous)
		}
		// Eligibility sees the new terms at once, through both stores.
		if c := f.decide(); c != registry.CodeLockupActive {
			t.Fatalf("after the lock-up change: %s, want LOCKUP_ACTIVE", c)
		}
		// The token's setting and the registry's, each in an operation of its own.
		op, err := f.a.Operation(operator(), *tc.OperationID)
		if err != nil {
			t.Fatal(err)
		}
		c, settings, err := registry.ParseSetTerms(op)
		if err != nil || op.Kind != registry.OpSetTerms || op.Status != registry.OpPending ||
			c.LockupEnd != end.Unix() || !slices.Equal(settings, []string{"lockupEnd"}) {
			t.Fatalf("operation = %+v (%+v, %v, %v)", op, c, settings, err)
		}
		op, err = f.a.Operation(operator(), *tc.CountryRuleOperationID)
		if err != nil {
			t.Fatal(err)
		}
		c, settings, err = registry.ParseSetTerms(op)
		if err != nil || op.Kind != registry.OpSetCountryRule || c.AllowList || !slices.Equal(c.Countries, []string{"KP"}) ||
			!slices.Equal(settings, []string{"countryRule"}) {
			t.Fatalf("country rule operation = %+v (%+v, %v, %v)", op, c, settings, err)
		}
		ev := f.events(registry.EventTermChangeApplied)
		if len(ev) != 1 || !ev[0].Public {
			t.Fatalf("term events = %+v", ev)
		}
		// The history: who, when, why.
		hist, err := f.termsA.TermChanges(asSeller(f.handler.ID), f.iss.ID, registry.TermChangeFilter{})
		if err != nil || len(hist) != 1 || hist[0].RequestedBy != "test-seller" || hist[0].Reason != "board resolution 12" ||
			hist[0].AppliedAt == nil || !hist[0].AppliedAt.Equal(t0) || hist[0].ChainStatus != registry.OpPending {
			t.Fatalf("history = %+v, %v", hist, err)
		}
		audit, err := f.a.Audit(operator(), registry.AuditFilter{Action: "issuance.terms"})
		if err != nil || len(audit) != 1 {
			t.Fatalf("audit = %v, %v", audit, err)
		}
		// Only the lead seller or the operator changes terms.
		for _, tc := range []struct {
			ctx  context.Context
			code string
		}{{asSeller(f.handler.ID), registry.EFORBIDDEN}, {asSeller(f.other.ID), registry.ENOTFOUND}} {
			_, err := f.termsA.ChangeTerms(tc.ctx, f.iss.ID, registry.TermChangeRequest{Changes: registry.Terms{Clear: []string{"lockupEnd"}}, Reason: "x"})
			if registry.ErrorCode(err) != tc.code {
				t.Errorf("change by another seller: %v, want %s", err, tc.code)
			}
		}
		for _, bad := range []registry.TermChangeRequest{
			{Changes: registry.Terms{Clear: []string{"lockupEnd"}}},                                      // no reason
			{Changes: registry.Terms{}, Reason: "x"},                                                     // no change
			{Changes: registry.Terms{AllowedCountries: []string{"XX"}}, Reason: "x"},                     // not a country
			{Changes: registry.Terms{OfferingStart: &end, OfferingEnd: &t0}, Reason: "window backwards"}, // invalid as a whole
		} {
			if _, err := f.termsA.ChangeTerms(operator(), f.iss.ID, bad); registry.ErrorCode(err) != registry.EINVALID {
				t.Errorf("ChangeTerms(%+v) = %v, want invalid", bad, err)
			}
		}
	})
}

func TestScheduledTermChangeAppliesOnceWhenDue(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		f := newTermsFixture(t, engine)
		subscribeAll(t, f.a.DB)
		at := t0.Add(time.Hour)
		end := t0.AddDate(1, 0, 0)
		tc, err := f.termsA.ChangeTerms(operator(), f.iss.ID, registry.TermChangeRequest{
			Changes: registry.Terms{LockupEnd: &end}, EffectiveAt: &at, Reason: "scheduled lock-up"})
		if err != nil {
			t.Fatal(err)
		}
		if tc.Status != registry.TermChangeScheduled || tc.OperationID != nil {
			t.Fatalf("change = %+v", tc)
		}
		// Another, cancelled before it falls due.
		cancelled, err := f.termsA.ChangeTerms(operator(), f.iss.ID, registry.TermChangeRequest{
			Changes: registry.Terms{AllowedCountries: []string{"SG"}}, EffectiveAt: &at, Reason: "to be withdrawn"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.termsA.CancelTermChange(asSeller(f.lead.ID), f.iss.ID, cancelled.ID, "withdrawn"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.termsA.CancelTermChange(operator(), f.iss.ID, cancelled.ID, ""); registry.ErrorCode(err) != registry.ECONFLICT {
			t.Errorf("second cancel: %v, want conflict", err)
		}
		if n, err := f.termsA.ApplyDueTermChanges(context.Background()); err != nil || n != 0 {
			t.Fatalf("before its time: applied %d, %v", n, err)
		}
		if c := f.decide(); c != registry.CodeOK {
			t.Fatalf("before its time: %s", c)
		}
		next, ok, err := f.termsA.NextTermChange(context.Background())
		if err != nil || !ok || !next.Equal(at) {
			t.Fatalf("next = %s %v %v", next, ok, err)
		}
		f.clock.Set(at)
		// Both nodes try at once: exactly one applies it.
		var wg sync.WaitGroup
		applied := make([]int, 2)
		for i, ts := range []*store.Terms{f.termsA, f.termsB} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := ts.ApplyDueTermChanges(context.Background())
				if err != nil {
					t.Error(err)
				}
				applied[i] = n
			}()
		}
		wg.Wait()
		if applied[0]+applied[1] != 1 {
			t.Fatalf("applied %v, want exactly one application", applied)
		}
		if n, _ := f.termsB.ApplyDueTermChanges(context.Background()); n != 0 {
			t.Fatalf("applied again: %d", n)
		}
		if c := f.decide(); c != registry.CodeLockupActive {
			t.Fatalf("after its time: %s, want LOCKUP_ACTIVE", c)
		}
		got, err := f.termsA.TermChange(operator(), f.iss.ID, tc.ID)
		if err != nil || got.Status != registry.TermChangeApplied || got.OperationID == nil || !got.AppliedAt.Equal(at) {
			t.Fatalf("change = %+v, %v", got, err)
		}
		if ev := f.events(registry.EventTermChangeApplied); len(ev) != 1 {
			t.Fatalf("%d term events, want 1", len(ev))
		}
		list, err := f.termsA.TermChanges(operator(), f.iss.ID, registry.TermChangeFilter{Status: registry.TermChangeCancelled})
		if err != nil || len(list) != 1 || list[0].CancelReason != "withdrawn" || list[0].CancelledBy != "test-seller" {
			t.Fatalf("cancelled = %+v, %v", list, err)
		}
		if _, ok, _ := f.termsA.NextTermChange(context.Background()); ok {
			t.Error("a change is still scheduled")
		}
	})
}

// A scheduled change that a later one made invalid fails when it falls due,
// with the reason, and does not hold up the others.
func TestScheduledTermChangeInvalidWhenDueFails(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		f := newTermsFixture(t, engine)
		at := t0.Add(time.Hour)
		windowEnd := t0.AddDate(0, 1, 0)
		stale, err := f.termsA.ChangeTerms(operator(), f.iss.ID, registry.TermChangeRequest{
			Changes: registry.Terms{OfferingEnd: &windowEnd}, EffectiveAt: &at, Reason: "close the offering"})
		if err != nil {
			t.Fatal(err)
		}
		later := t0.AddDate(0, 2, 0)
		if _, err := f.termsA.ChangeTerms(operator(), f.iss.ID, registry.TermChangeRequest{
			Changes: registry.Terms{OfferingStart: &later}, Reason: "start later"}); err != nil {
			t.Fatal(err)
		}
		holders := 10
		ok, err := f.termsA.ChangeTerms(operator(), f.iss.ID, registry.TermChangeRequest{
			Changes: registry.Terms{MaxHolders: &holders}, EffectiveAt: &at, Reason: "cap holders"})
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Set(at)
		if n, err := f.termsA.ApplyDueTermChanges(context.Background()); err != nil || n != 1 {
			t.Fatalf("applied %d, %v; want the valid one", n, err)
		}
		got, _ := f.termsA.TermChange(operator(), f.iss.ID, stale.ID)
		if got.Status != registry.TermChangeFailed || got.Error == "" {
			t.Errorf("stale change = %+v", got)
		}
		got, _ = f.termsA.TermChange(operator(), f.iss.ID, ok.ID)
		if got.Status != registry.TermChangeApplied {
			t.Errorf("valid change = %+v", got)
		}
		iss, _ := f.a.Issuance(operator(), f.iss.ID)
		if iss.MaxHolders != 10 || iss.OfferingEnd != nil {
			t.Errorf("issuance = max %d, end %v", iss.MaxHolders, iss.OfferingEnd)
		}
	})
}

// TestScheduledTermChangeSurvivesARestart: a change scheduled by a node that
// then stops is applied by the next node to start after its time, once, with
// its SET_TERMS operation queued for that node's worker.
func TestScheduledTermChangeSurvivesARestart(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		f := newTermsFixture(t, engine)
		at := t0.Add(24 * time.Hour)
		holders := 12
		tc, err := f.termsA.ChangeTerms(operator(), f.iss.ID, registry.TermChangeRequest{
			Changes: registry.Terms{MaxHolders: &holders}, EffectiveAt: &at, Reason: "cap from tomorrow"})
		if err != nil {
			t.Fatal(err)
		}
		f.a.Close() // the node that scheduled it stops before it falls due
		f.b.Close()
		f.clock.Set(at.Add(time.Hour)) // and the next one starts after
		next, err := storetest.OpenConfig(context.Background(), store.Config{DSN: f.dsn, Clock: f.clock.Now, Rules: eligibility.Rules{}})
		if err != nil {
			t.Fatal(err)
		}
		defer next.Close()
		terms := store.NewTerms(next.DB)
		for i, want := range []int{1, 0} {
			if n, err := terms.ApplyDueTermChanges(context.Background()); err != nil || n != want {
				t.Fatalf("run %d: applied %d, %v; want %d", i, n, err, want)
			}
		}
		got, err := terms.TermChange(operator(), f.iss.ID, tc.ID)
		if err != nil || got.Status != registry.TermChangeApplied || !got.AppliedAt.Equal(at.Add(time.Hour)) || got.OperationID == nil {
			t.Fatalf("change = %+v, %v", got, err)
		}
		op, err := next.ClaimOperation(operator(), "next-node")
		if err != nil || op == nil || op.ID != *got.OperationID || op.Kind != registry.OpSetTerms {
			t.Fatalf("claimed %+v, %v; want the SET_TERMS operation %d", op, err, *got.OperationID)
		}
	})
}
