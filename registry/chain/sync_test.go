package chain_test

import (
	"context"
	"log/slog"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

var t0 = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

type syncRig struct {
	t      *testing.T
	ctx    context.Context
	st     *store.Store
	conn   *chain.Conn
	syncer *chain.Syncer
	seller context.Context
	iss    *registry.Issuance
	d      *chain.Deployment
	reg    *bindings.EligibilityRegistry
	tok    *bindings.SecurityToken
}

func newSyncRig(t *testing.T, engine store.Dialect, mods ...func(*registry.Issuance)) *syncRig {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t, engine, func() time.Time { return t0 })
	key, _ := crypto.GenerateKey()
	conn, err := chain.OpenSimulated(key, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	op := registry.WithPrincipal(ctx, &registry.Principal{KeyID: "op", Role: registry.RoleOperator})
	sel := &registry.Seller{LegalName: "Alpha", CorporateNumber: "7000012050002", FSARegistration: "x",
		Licence: registry.LicenceType1, Membership: registry.MembershipFull}
	if err := st.CreateSeller(op, sel); err != nil {
		t.Fatal(err)
	}
	sc := registry.WithPrincipal(ctx, &registry.Principal{KeyID: "seller", Role: registry.RoleSeller, SellerID: sel.ID})
	iss := &registry.Issuance{IssuerName: "I", TokenName: "Tokyo", TokenSymbol: "TOK", LegalForm: registry.FormShare,
		FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic}
	for _, mod := range mods {
		mod(iss)
	}
	if err := st.CreateIssuance(sc, iss); err != nil {
		t.Fatal(err)
	}
	for _, s := range []registry.IssuanceStatus{registry.IssuanceRegistered, registry.IssuanceOffering} {
		if _, err := st.TransitionIssuance(sc, iss.ID, s, ""); err != nil {
			t.Fatal(err)
		}
	}
	d, err := conn.Deploy(ctx, chain.ParamsFor(iss))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.RecordDeployment(sc, iss.ID, registry.Deployment{ChainID: d.ChainID, TokenAddress: lowerHex(d.TokenAddress),
		RegistryAddress: lowerHex(d.RegistryAddress), Block: d.Block}); err != nil {
		t.Fatal(err)
	}
	// Records derive at t0 (the store's clock); the chain's own time is now, so
	// give expiries far enough ahead of both.
	return &syncRig{t: t, ctx: ctx, st: st, conn: conn, syncer: chain.NewSyncer(conn, st, slog.New(slog.DiscardHandler), func() time.Time { return t0 }),
		seller: sc, iss: iss, d: d, reg: bindings.NewEligibilityRegistry(), tok: bindings.NewSecurityToken()}
}

func lowerHex(a common.Address) string { s, _ := registry.NormalizeAddress("a", a.Hex()); return s }

func (r *syncRig) investor(ref, wallet string, reviewDue time.Time) *registry.Investor {
	r.t.Helper()
	verified := t0.AddDate(0, -1, 0)
	inv := &registry.Investor{CustomerRef: ref, PersonType: registry.PersonCorporation, ResidenceCountry: "JP",
		KYCStatus: registry.KYCVerified, KYCVerifiedAt: &verified, KYCReviewDue: &reviewDue,
		Sanctions: registry.ScreeningClear, Antisocial: registry.ScreeningClear,
		Wallets: []registry.Wallet{{Address: wallet}}}
	if err := r.st.CreateInvestor(r.seller, inv); err != nil {
		r.t.Fatal(err)
	}
	return inv
}

func (r *syncRig) step() {
	r.t.Helper()
	if err := r.syncer.Step(r.ctx); err != nil {
		r.t.Fatalf("sync step: %v", err)
	}
}

func (r *syncRig) record(wallet string) bindings.EligibilityRegistryRecord {
	r.t.Helper()
	rec, err := bind.Call(r.reg.Instance(r.conn.Client, r.d.RegistryAddress), nil,
		r.reg.PackRecordOf(common.HexToAddress(wallet)), r.reg.UnpackRecordOf)
	if err != nil {
		r.t.Fatal(err)
	}
	return rec
}

func (r *syncRig) seq() uint64 {
	r.t.Helper()
	s, err := bind.Call(r.reg.Instance(r.conn.Client, r.d.RegistryAddress), nil, r.reg.PackSeq(), r.reg.UnpackSeq)
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}

func (r *syncRig) frozen(wallet string) bool {
	r.t.Helper()
	f, err := bind.Call(r.tok.Instance(r.conn.Client, r.d.TokenAddress), nil, r.tok.PackIsFrozen(common.HexToAddress(wallet)), r.tok.UnpackIsFrozen)
	if err != nil {
		r.t.Fatal(err)
	}
	return f
}

func (r *syncRig) outboxEmpty() {
	r.t.Helper()
	depth, _, err := r.st.OutboxStats(r.ctx)
	if err != nil || depth != 0 {
		r.t.Fatalf("outbox depth %d (%v), want 0", depth, err)
	}
}

// TestWhitelistFollowsTheRegistry: approvals, expiries, freezes and revocations
// reach the chain through the outbox, each as one batch with the next sequence.
func TestWhitelistFollowsTheRegistry(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			r := newSyncRig(t, engine)
			const wa = "0x00000000000000000000000000000000000000a1"
			due := time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)
			a := r.investor("A", wa, due)
			r.step()
			if rec := r.record(wa); rec.InvestorId != 0 {
				t.Fatalf("an investor not yet approved is on-chain: %+v", rec)
			}
			until := time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)
			if _, err := r.st.Approve(r.seller, r.iss.ID, a.ID, registry.Approval{ValidUntil: &until}); err != nil {
				t.Fatal(err)
			}
			r.step()
			rec := r.record(wa)
			if rec.InvestorId != uint64(a.ID) || string(rec.Country[:]) != "JP" || rec.ValidUntil.Int64() != until.Unix() {
				t.Fatalf("after approval: %+v (valid until %d, want %d)", rec, rec.ValidUntil, until.Unix())
			}
			if r.seq() != 1 {
				t.Fatalf("seq = %d after one batch", r.seq())
			}
			entries, _ := r.st.Whitelist(r.seller, r.iss.ID, registry.WhitelistFilter{})
			if entries[0].SyncState != registry.SyncConfirmed || entries[0].SyncBlock == nil {
				t.Fatalf("entry sync state = %s (block %v)", entries[0].SyncState, entries[0].SyncBlock)
			}
			// An earlier KYC review date becomes the valid-until.
			earlier := time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)
			v := t0.AddDate(0, -1, 0)
			if _, err := r.st.UpdateKYC(r.seller, a.ID, registry.KYCUpdate{Status: registry.KYCVerified, Method: "eKYC", VerifiedAt: &v, ReviewDue: &earlier}); err != nil {
				t.Fatal(err)
			}
			r.step()
			if got := r.record(wa).ValidUntil.Int64(); got != earlier.Unix() {
				t.Fatalf("valid-until after KYC change = %d, want %d", got, earlier.Unix())
			}
			// A freeze keeps the record (so the chain answers ACCOUNT_FROZEN, as the API does)
			// and freezes the wallet in the token.
			if _, err := r.st.SetFrozen(r.seller, a.ID, true, "order"); err != nil {
				t.Fatal(err)
			}
			r.step()
			if !r.frozen(wa) || r.record(wa).InvestorId == 0 {
				t.Fatalf("after freeze: frozen=%v record=%+v", r.frozen(wa), r.record(wa))
			}
			if _, err := r.st.SetFrozen(r.seller, a.ID, false, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := r.st.Revoke(r.seller, r.iss.ID, a.ID); err != nil {
				t.Fatal(err)
			}
			r.step()
			if r.frozen(wa) || r.record(wa).InvestorId != 0 {
				t.Fatalf("after unfreeze and revoke: frozen=%v record=%+v", r.frozen(wa), r.record(wa))
			}
			r.outboxEmpty()
		})
	}
}

// TestSyncSurvivesACrashBetweenRecordAndBroadcast: a batch recorded but never
// broadcast is broadcast by the next syncer, byte for byte, and applied once.
func TestSyncSurvivesACrashBetweenRecordAndBroadcast(t *testing.T) {
	r := newSyncRig(t, store.SQLite)
	const wb = "0x00000000000000000000000000000000000000b2"
	b := r.investor("B", wb, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	if _, err := r.st.Approve(r.seller, r.iss.ID, b.ID, registry.Approval{}); err != nil {
		t.Fatal(err)
	}
	target, err := r.st.SyncTargetFor(r.ctx, r.iss.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chain.SendWithoutBroadcastForTest(r.syncer, r.ctx, target); err != nil {
		t.Fatal(err)
	}
	if r.record(wb).InvestorId != 0 || r.seq() != 0 {
		t.Fatal("the unbroadcast batch reached the chain")
	}
	// A new process starts.
	restarted := chain.NewSyncer(r.conn, r.st, slog.New(slog.DiscardHandler), func() time.Time { return t0 })
	if err := restarted.Step(r.ctx); err != nil {
		t.Fatal(err)
	}
	if r.record(wb).InvestorId != uint64(b.ID) || r.seq() != 1 {
		t.Fatalf("after recovery: record %+v seq %d", r.record(wb), r.seq())
	}
	if err := restarted.Step(r.ctx); err != nil {
		t.Fatal(err)
	}
	if r.seq() != 1 {
		t.Fatalf("recovery applied a batch twice: seq %d", r.seq())
	}
	r.outboxEmpty()
}

// TestSyncRecoversFromASequenceConflict: when another writer moved the
// registry's sequence after a batch was signed, that batch reverts, its wallets
// return to the outbox and go out again with the current sequence.
func TestSyncRecoversFromASequenceConflict(t *testing.T) {
	r := newSyncRig(t, store.SQLite)
	const wc = "0x00000000000000000000000000000000000000c3"
	c := r.investor("C", wc, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	if _, err := r.st.Approve(r.seller, r.iss.ID, c.ID, registry.Approval{}); err != nil {
		t.Fatal(err)
	}
	target, _ := r.st.SyncTargetFor(r.ctx, r.iss.ID)
	if _, err := chain.SendWithoutBroadcastForTest(r.syncer, r.ctx, target); err != nil {
		t.Fatal(err)
	}
	// Someone else with the writer role applies batch 0 first.
	other := bindings.EligibilityRegistryEntry{Wallet: common.HexToAddress("0x00000000000000000000000000000000000000ff"),
		InvestorId: 99, Country: [2]byte{'J', 'P'}, ValidUntil: big.NewInt(int64(registry.NoExpiry))}
	if err := chain.ApplyBatchForTest(r.conn, r.ctx, r.d.RegistryAddress, 0, other); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3 && r.record(wc).InvestorId == 0; i++ {
		r.step()
	}
	if r.record(wc).InvestorId != uint64(c.ID) || r.seq() != 2 {
		t.Fatalf("after the conflict: record %+v seq %d", r.record(wc), r.seq())
	}
	r.outboxEmpty()
}

// TestReconcileFindsAndRepairsDrift: records written around the node — a wrong
// valid-until for a registry wallet and a wallet the registry does not know —
// are reported, and a repair makes the chain match the registry again.
func TestReconcileFindsAndRepairsDrift(t *testing.T) {
	r := newSyncRig(t, store.SQLite)
	const wd = "0x00000000000000000000000000000000000000d4"
	d := r.investor("D", wd, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	if _, err := r.st.Approve(r.seller, r.iss.ID, d.ID, registry.Approval{}); err != nil {
		t.Fatal(err)
	}
	r.step()
	stranger := common.HexToAddress("0x00000000000000000000000000000000000000ee")
	if err := chain.ApplyBatchForTest(r.conn, r.ctx, r.d.RegistryAddress, r.seq(),
		bindings.EligibilityRegistryEntry{Wallet: common.HexToAddress(wd), InvestorId: uint64(d.ID), Country: [2]byte{'J', 'P'}, ValidUntil: big.NewInt(int64(registry.NoExpiry))},
		bindings.EligibilityRegistryEntry{Wallet: stranger, InvestorId: 5, Country: [2]byte{'U', 'S'}, ValidUntil: big.NewInt(int64(registry.NoExpiry))}); err != nil {
		t.Fatal(err)
	}
	report, err := r.syncer.Reconcile(r.seller, r.iss.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if report.Checked != 2 || len(report.Drift) != 2 || report.Repaired {
		t.Fatalf("report = %+v", report)
	}
	if report, err = r.syncer.Reconcile(r.seller, r.iss.ID, true); err != nil || !report.Repaired {
		t.Fatalf("repair: %+v %v", report, err)
	}
	r.step()
	if report, err = r.syncer.Reconcile(r.seller, r.iss.ID, false); err != nil || len(report.Drift) != 0 {
		t.Fatalf("after repair: %+v %v", report, err)
	}
	if rec := r.record(stranger.Hex()); rec.InvestorId != 0 {
		t.Fatalf("the stranger's record survived the repair: %+v", rec)
	}
}

// TestBatchConfirmsOnlyAtDepth: with a confirmation depth the batch stays SENT
// until its block is deep enough.
func TestBatchConfirmsOnlyAtDepth(t *testing.T) {
	r := newSyncRig(t, store.SQLite)
	r.syncer.Confirmations = 2
	const we = "0x00000000000000000000000000000000000000e5"
	e := r.investor("E", we, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	if _, err := r.st.Approve(r.seller, r.iss.ID, e.ID, registry.Approval{}); err != nil {
		t.Fatal(err)
	}
	r.step()
	entries, _ := r.st.Whitelist(r.seller, r.iss.ID, registry.WhitelistFilter{})
	if entries[0].SyncState != registry.SyncSent || r.record(we).InvestorId != uint64(e.ID) {
		t.Fatalf("after one step: %s, on-chain %+v", entries[0].SyncState, r.record(we))
	}
	r.conn.Simulated().Commit()
	r.conn.Simulated().Commit()
	r.step()
	entries, _ = r.st.Whitelist(r.seller, r.iss.ID, registry.WhitelistFilter{})
	if entries[0].SyncState != registry.SyncConfirmed {
		t.Fatalf("two blocks later: %s", entries[0].SyncState)
	}
	r.outboxEmpty()
}

// TestCategoryGrantsDatedInAdvance: a grant that starts later reaches the chain
// when it starts, and a renewal that continues a grant extends its valid-until.
func TestCategoryGrantsDatedInAdvance(t *testing.T) {
	now := t0
	clock := func() time.Time { return now }
	r := newSyncRig(t, store.SQLite, func(i *registry.Issuance) { i.OfferingType = registry.OfferingQIIPrivate })
	r.syncer = chain.NewSyncer(r.conn, r.st, slog.New(slog.DiscardHandler), clock)
	const wq = "0x00000000000000000000000000000000000000f6"
	q := r.investor("Q", wq, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	start := t0.Add(time.Hour)
	firstEnd := t0.AddDate(0, 6, 0)
	if _, err := r.st.SetCategories(r.seller, q.ID, []registry.CategoryGrant{{Category: registry.CategoryQII, ValidFrom: start, ValidTo: firstEnd}}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.Approve(r.seller, r.iss.ID, q.ID, registry.Approval{}); err != nil {
		t.Fatal(err)
	}
	r.step()
	if rec := r.record(wq); rec.InvestorId != 0 {
		t.Fatalf("before the grant starts the wallet is on-chain: %+v", rec)
	}
	now = start.Add(time.Second)
	r.step()
	if rec := r.record(wq); rec.InvestorId != uint64(q.ID) || rec.ValidUntil.Int64() != firstEnd.Unix() {
		t.Fatalf("after the grant started: %+v", rec)
	}
}

// TestContinuingGrantExtendsValidUntil: for a specified-investor offering, a QII
// grant starting the second after the opt-in ends continues it on-chain.
func TestContinuingGrantExtendsValidUntil(t *testing.T) {
	r := newSyncRig(t, store.SQLite, func(i *registry.Issuance) { i.OfferingType = registry.OfferingSpecifiedInvestorPrivate })
	const ws = "0x00000000000000000000000000000000000000f7"
	inv := r.investor("S", ws, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	optInEnd := t0.AddDate(0, 6, 0)
	qiiEnd := t0.AddDate(1, 0, 0)
	if _, err := r.st.SetCategories(r.seller, inv.ID, []registry.CategoryGrant{
		{Category: registry.CategorySpecifiedInvestor, ValidFrom: t0.AddDate(0, -1, 0), ValidTo: optInEnd},
		{Category: registry.CategoryQII, ValidFrom: optInEnd.Add(time.Second), ValidTo: qiiEnd},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.Approve(r.seller, r.iss.ID, inv.ID, registry.Approval{}); err != nil {
		t.Fatal(err)
	}
	r.step()
	if rec := r.record(ws); rec.InvestorId != uint64(inv.ID) || rec.ValidUntil.Int64() != qiiEnd.Unix() {
		t.Fatalf("record %+v, want valid until %d", rec, qiiEnd.Unix())
	}
}
