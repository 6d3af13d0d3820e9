package chain_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // raw SQL below the store in tests
	_ "github.com/mattn/go-sqlite3"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/stonode/stonode/api"
	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

var t0 = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

type syncRig struct {
	t      *testing.T
	ctx    context.Context
	engine store.Dialect
	dsn    string
	st     *storetest.Stores
	conn   *chain.Conn
	syncer *chain.Syncer
	seller context.Context
	iss    *registry.Issuance
	d      *chain.Contracts
	reg    *bindings.EligibilityRegistry
	tok    *bindings.SecurityToken
}

func newSyncRig(t *testing.T, engine store.Dialect, mods ...func(*registry.Issuance)) *syncRig {
	t.Helper()
	ctx := context.Background()
	dsn := storetest.DSN(t, engine)
	st, err := storetest.OpenConfig(ctx, store.Config{DSN: dsn, Clock: func() time.Time { return t0 }, Rules: eligibility.Rules{}})
	if err != nil {
		t.Fatalf("open %s store: %v", engine, err)
	}
	t.Cleanup(func() { st.Close() })
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
	return &syncRig{t: t, ctx: ctx, engine: engine, dsn: dsn, st: st, conn: conn, syncer: chain.NewSyncer(conn, st.Outbox, slog.New(slog.DiscardHandler), func() time.Time { return t0 }),
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
	restarted := chain.NewSyncer(r.conn, r.st.Outbox, slog.New(slog.DiscardHandler), func() time.Time { return t0 })
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
// return to the outbox and go out again with the current sequence. The other
// writer here uses the node's own key, so it also takes the unbroadcast
// batch's nonce: the batch is found unminable ("nonce too low", no receipt)
// and its wallets go out again with a nonce re-read from the chain.
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
	r.syncer = chain.NewSyncer(r.conn, r.st.Outbox, slog.New(slog.DiscardHandler), clock)
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

// exec runs SQL on the rig's database behind the store's back: a change made
// below the API, as a bug, an older version or an operator's hand might.
func (r *syncRig) exec(query string) {
	r.t.Helper()
	driver, dsn := "pgx", r.dsn
	if r.engine == store.SQLite {
		driver, dsn = "sqlite3", "file:"+r.dsn+"?_busy_timeout=10000"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		r.t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(r.ctx, query); err != nil {
		r.t.Fatalf("%s: %v", query, err)
	}
}

func (r *syncRig) entry(investorID int64) *registry.WhitelistEntry {
	r.t.Helper()
	entries, err := r.st.Whitelist(r.seller, r.iss.ID, registry.WhitelistFilter{})
	if err != nil {
		r.t.Fatal(err)
	}
	for _, e := range entries {
		if e.InvestorID == investorID {
			return e
		}
	}
	r.t.Fatalf("no whitelist entry for investor %d", investorID)
	return nil
}

// touch makes a registry change to the investor that queues all its wallets
// again (a KYC update with the same values).
func (r *syncRig) touch(inv *registry.Investor) {
	r.t.Helper()
	v := t0.AddDate(0, -1, 0)
	if _, err := r.st.UpdateKYC(r.seller, inv.ID, registry.KYCUpdate{Status: registry.KYCVerified, Method: "eKYC", VerifiedAt: &v, ReviewDue: inv.KYCReviewDue}); err != nil {
		r.t.Fatal(err)
	}
}

// api serves the rig's store over HTTP and returns a seller key for it.
func (r *syncRig) api() (url, key string) {
	r.t.Helper()
	srv := httptest.NewServer(api.New(r.st, api.Options{Mirror: r.st}))
	r.t.Cleanup(srv.Close)
	op := registry.WithPrincipal(r.ctx, &registry.Principal{KeyID: "cli", Role: registry.RoleOperator})
	k, err := r.st.CreateKey(op, registry.RoleSeller, &r.iss.LeadSellerID, "sync-test")
	if err != nil {
		r.t.Fatal(err)
	}
	return srv.URL, k.Secret
}

func httpJSON(t *testing.T, method, url, key string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %d %s: %v", method, url, resp.StatusCode, raw, err)
		}
	}
	return resp.StatusCode
}

const zeroWallet = "0x0000000000000000000000000000000000000000"

// TestPoisonWalletFailsAloneAndIsRetried: wallets that can never hold a token
// are refused at the API with 400 invalid. A zero-address wallet put in below
// the API makes applyBatch revert (ZeroWallet): that entry ends FAILED with
// the decoded reason (in the store and over the API) and in the failed-batch
// count, while every other wallet of the issuance reaches the chain in the
// same step. A later change to the investor retries the wallet; removing it
// clears the failure.
func TestPoisonWalletFailsAloneAndIsRetried(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			r := newSyncRig(t, engine)
			url, key := r.api()
			const wa, wb, wc = "0x00000000000000000000000000000000000000a1", "0x00000000000000000000000000000000000000b1", "0x00000000000000000000000000000000000000c1"
			due := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
			a, b, c := r.investor("A", wa, due), r.investor("B", wb, due), r.investor("C", wc, due)

			for _, bad := range []string{zeroWallet, "0x0000000000000000000000000000000000000001",
				"0x0000000000000000000000000000000000000011", "0x0000000000000000000000000000000000000100",
				lowerHex(r.d.TokenAddress), lowerHex(r.d.RegistryAddress)} {
				var body struct {
					Error struct{ Code, Message string }
				}
				if st := httpJSON(t, "POST", fmt.Sprintf("%s/v1/investors/%d/wallets", url, a.ID), key, map[string]any{"address": bad}, &body); st != 400 || body.Error.Code != "invalid" {
					t.Fatalf("POST wallet %s: %d %+v, want 400 invalid", bad, st, body)
				}
			}

			for _, inv := range []*registry.Investor{a, b, c} {
				if _, err := r.st.Approve(r.seller, r.iss.ID, inv.ID, registry.Approval{}); err != nil {
					t.Fatal(err)
				}
			}
			// Below the API: A gets the zero address as a second wallet, and a
			// change queues it with the rest.
			r.exec(fmt.Sprintf(`INSERT INTO wallets (address, investor_id, label, frozen, created_at) VALUES ('%s', %d, '', FALSE, '2026-01-01 00:00:00')`, zeroWallet, a.ID))
			r.touch(a)
			r.step()

			for _, w := range []struct {
				addr string
				id   int64
			}{{wa, a.ID}, {wb, b.ID}, {wc, c.ID}} {
				if got := r.record(w.addr).InvestorId; got != uint64(w.id) {
					t.Fatalf("wallet %s on-chain investor %d, want %d", w.addr, got, w.id)
				}
			}
			for _, inv := range []*registry.Investor{b, c} {
				if e := r.entry(inv.ID); e.SyncState != registry.SyncConfirmed || e.SyncBlock == nil {
					t.Fatalf("entry of %s: %s (block %v), want CONFIRMED", inv.CustomerRef, e.SyncState, e.SyncBlock)
				}
			}
			ea := r.entry(a.ID)
			if ea.SyncState != registry.SyncFailed || !strings.Contains(ea.SyncError, "ZeroWallet()") || !strings.Contains(ea.SyncError, zeroWallet) {
				t.Fatalf("entry of A: %s %q, want FAILED naming %s and ZeroWallet()", ea.SyncState, ea.SyncError, zeroWallet)
			}
			t.Logf("entry of A: %s: %s", ea.SyncState, ea.SyncError)
			var page struct {
				Items []struct {
					InvestorID int64 `json:"investorId"`
					Sync       struct{ State, Error string }
				}
			}
			if st := httpJSON(t, "GET", fmt.Sprintf("%s/v1/issuances/%d/whitelist", url, r.iss.ID), key, nil, &page); st != 200 {
				t.Fatalf("GET whitelist: %d", st)
			}
			for _, it := range page.Items {
				if it.InvestorID == a.ID && (it.Sync.State != "FAILED" || !strings.Contains(it.Sync.Error, "ZeroWallet()")) {
					t.Fatalf("GET whitelist shows A as %+v", it.Sync)
				}
			}
			if got := r.syncer.Stats.BatchesFailed.Load(); got != 1 {
				t.Fatalf("failed batches = %d, want 1", got)
			}
			r.outboxEmpty()

			// A later change retries the wallet: refused again, counted again.
			r.touch(a)
			if e := r.entry(a.ID); e.SyncState != registry.SyncPending {
				t.Fatalf("after a change A is %s, want PENDING", e.SyncState)
			}
			r.step()
			if e := r.entry(a.ID); e.SyncState != registry.SyncFailed || !strings.Contains(e.SyncError, "2 attempt(s)") {
				t.Fatalf("after the retry A is %s %q, want FAILED after 2 attempts", e.SyncState, e.SyncError)
			}
			if got := r.syncer.Stats.EntriesFailed.Load(); got != 2 {
				t.Fatalf("failed entries = %d, want 2", got)
			}
			// Removing the wallet settles the entry: nothing is left to refuse.
			if err := r.st.RemoveWallet(r.seller, a.ID, zeroWallet); err != nil {
				t.Fatal(err)
			}
			r.step()
			r.step()
			if e := r.entry(a.ID); e.SyncState != registry.SyncConfirmed || e.SyncError != "" {
				t.Fatalf("after removing the zero wallet A is %s %q, want CONFIRMED", e.SyncState, e.SyncError)
			}
			if r.record(wa).InvestorId != uint64(a.ID) {
				t.Fatal("A's good wallet left the chain")
			}
			r.outboxEmpty()
		})
	}
}

// TestReorgReopensConfirmedBatch: a reorg that replaces the block of a
// CONFIRMED batch is noticed without any registry change: the batch is
// reopened, settled on the new branch, and its entry is CONFIRMED at the
// block that now holds it, with the wallet on-chain.
func TestReorgReopensConfirmedBatch(t *testing.T) {
	r := newSyncRig(t, store.SQLite)
	r.syncer.ReorgCheckEvery = 0
	const we = "0x00000000000000000000000000000000000000e7"
	e := r.investor("E", we, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	if _, err := r.st.Approve(r.seller, r.iss.ID, e.ID, registry.Approval{}); err != nil {
		t.Fatal(err)
	}
	r.step()
	before := r.entry(e.ID)
	if before.SyncState != registry.SyncConfirmed {
		t.Fatalf("entry %s, want CONFIRMED", before.SyncState)
	}
	old, err := r.conn.Client.TransactionReceipt(r.ctx, common.HexToHash(before.SyncTxHash))
	if err != nil {
		t.Fatal(err)
	}
	sim := r.conn.Simulated()
	parent, err := r.conn.Client.HeaderByNumber(r.ctx, big.NewInt(*before.SyncBlock-1))
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Fork(parent.Hash()); err != nil {
		t.Fatal(err)
	}
	sim.Commit() // an empty block where the batch was
	sim.Commit()
	sim.Commit()
	if got := r.record(we).InvestorId; got != 0 {
		t.Logf("after the fork the wallet is on-chain already (investor %d): the pool re-included the batch", got)
	}
	for i := 0; i < 5; i++ {
		r.step()
		if r.syncer.Stats.BatchesReopened.Load() > 0 && r.entry(e.ID).SyncState == registry.SyncConfirmed {
			break
		}
	}
	after := r.entry(e.ID)
	if r.syncer.Stats.BatchesReopened.Load() != 1 || r.syncer.Stats.BatchesConfirmed.Load() != 2 {
		t.Fatalf("reopened %d, confirmed %d batches; want 1 and 2", r.syncer.Stats.BatchesReopened.Load(), r.syncer.Stats.BatchesConfirmed.Load())
	}
	if after.SyncState != registry.SyncConfirmed || r.record(we).InvestorId != uint64(e.ID) {
		t.Fatalf("after the reorg: %s, on-chain investor %d", after.SyncState, r.record(we).InvestorId)
	}
	rc, err := r.conn.Client.TransactionReceipt(r.ctx, common.HexToHash(after.SyncTxHash))
	if err != nil {
		t.Fatal(err)
	}
	if rc.BlockHash == old.BlockHash || rc.BlockNumber.Int64() != *after.SyncBlock {
		t.Fatalf("entry at block %d, receipt at %d", *after.SyncBlock, rc.BlockNumber)
	}
	t.Logf("batch confirmed at block %d, reorged out, confirmed again at block %d (%s)", *before.SyncBlock, *after.SyncBlock, rc.BlockHash.Hex()[:10])
	r.outboxEmpty()
}

// holdingClient stands for a chain node that accepts transactions into its
// mempool but does not mine them (a fee spike, a congested chain): sends are
// held, and reported pending, until the test releases them.
type holdingClient struct {
	chain.Client
	held map[common.Hash]*types.Transaction
}

func (h *holdingClient) SendTransaction(_ context.Context, tx *types.Transaction) error {
	h.held[tx.Hash()] = tx
	return nil
}

func (h *holdingClient) TransactionByHash(ctx context.Context, hash common.Hash) (*types.Transaction, bool, error) {
	if tx, ok := h.held[hash]; ok {
		return tx, true, nil
	}
	return h.Client.(interface {
		TransactionByHash(context.Context, common.Hash) (*types.Transaction, bool, error)
	}).TransactionByHash(ctx, hash)
}

func (h *holdingClient) release(ctx context.Context, hash common.Hash) error {
	tx := h.held[hash]
	delete(h.held, hash)
	return h.Client.SendTransaction(ctx, tx)
}

// TestStuckBatchIsReplaced: a batch the chain holds but does not mine for
// StuckBlocks blocks is re-signed with the same nonce and fees at least 12.5%
// higher, recorded before it is broadcast; the batch then settles on a
// receipt for either version (here the original is the one mined).
func TestStuckBatchIsReplaced(t *testing.T) {
	r := newSyncRig(t, store.SQLite)
	hold := &holdingClient{Client: r.conn.Client, held: map[common.Hash]*types.Transaction{}}
	r.conn.Client = hold
	const wf = "0x00000000000000000000000000000000000000f8"
	f := r.investor("F", wf, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	if _, err := r.st.Approve(r.seller, r.iss.ID, f.ID, registry.Approval{}); err != nil {
		t.Fatal(err)
	}
	r.step()
	first := r.entry(f.ID)
	if first.SyncState != registry.SyncSent || len(hold.held) != 1 {
		t.Fatalf("after the first step: %s, %d held", first.SyncState, len(hold.held))
	}
	for i := uint64(1); i < r.syncer.StuckBlocks; i++ {
		r.conn.Simulated().Commit()
	}
	r.step()
	if len(hold.held) != 1 || r.syncer.Stats.BatchesReplaced.Load() != 0 {
		t.Fatalf("replaced before %d blocks went by", r.syncer.StuckBlocks)
	}
	r.conn.Simulated().Commit()
	r.step()
	second := r.entry(f.ID)
	if len(hold.held) != 2 || r.syncer.Stats.BatchesReplaced.Load() != 1 || second.SyncTxHash == first.SyncTxHash || second.SyncState != registry.SyncSent {
		t.Fatalf("after %d blocks: %d held, %d replaced, entry %s %s", r.syncer.StuckBlocks, len(hold.held), r.syncer.Stats.BatchesReplaced.Load(), second.SyncState, second.SyncTxHash)
	}
	orig, repl := hold.held[common.HexToHash(first.SyncTxHash)], hold.held[common.HexToHash(second.SyncTxHash)]
	bumped := func(n, o *big.Int) bool {
		return new(big.Int).Mul(n, big.NewInt(8)).Cmp(new(big.Int).Mul(o, big.NewInt(9))) >= 0
	}
	if repl.Nonce() != orig.Nonce() || !bumped(repl.GasTipCap(), orig.GasTipCap()) || !bumped(repl.GasFeeCap(), orig.GasFeeCap()) ||
		!bytes.Equal(repl.Data(), orig.Data()) {
		t.Fatalf("replacement nonce %d tip %s cap %s; original nonce %d tip %s cap %s", repl.Nonce(), repl.GasTipCap(), repl.GasFeeCap(),
			orig.Nonce(), orig.GasTipCap(), orig.GasFeeCap())
	}
	t.Logf("original tip %s cap %s; replacement tip %s cap %s", orig.GasTipCap(), orig.GasFeeCap(), repl.GasTipCap(), repl.GasFeeCap())
	// The original wins the race: its receipt settles the batch.
	if err := hold.release(r.ctx, orig.Hash()); err != nil {
		t.Fatal(err)
	}
	r.step()
	done := r.entry(f.ID)
	if done.SyncState != registry.SyncConfirmed || done.SyncTxHash != first.SyncTxHash || r.record(wf).InvestorId != uint64(f.ID) {
		t.Fatalf("after the original was mined: %s as %s, on-chain %+v", done.SyncState, done.SyncTxHash, r.record(wf))
	}
	r.outboxEmpty()
}

// lockedBuffer is a log sink safe for the syncer's use.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), s)
}

// TestRefusedIssuanceBacksOffAndLogsOnce: a registry that refuses every batch
// (paused) is not retried every step: after one immediate retry the issuance
// backs off, the failure is logged once, not per try, and the sync resumes
// (and says so) once the registry accepts batches again.
func TestRefusedIssuanceBacksOffAndLogsOnce(t *testing.T) {
	r := newSyncRig(t, store.SQLite)
	var logs lockedBuffer
	r.syncer = chain.NewSyncer(r.conn, r.st.Outbox, slog.New(slog.NewTextHandler(&logs, nil)), func() time.Time { return t0 })
	reg := r.reg.Instance(r.conn.Client, r.d.RegistryAddress)
	if err := chain.TransactForTest(r.conn, r.ctx, reg, r.reg.PackPause()); err != nil {
		t.Fatal(err)
	}
	const wg = "0x00000000000000000000000000000000000000f9"
	g := r.investor("G", wg, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	if _, err := r.st.Approve(r.seller, r.iss.ID, g.ID, registry.Approval{}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		r.step()
	}
	if got := r.syncer.Stats.Errors.Load(); got != 2 {
		t.Fatalf("%d failed attempts in 10 quick steps, want 2 (one retry, then backoff)", got)
	}
	if n := logs.count("retrying with backoff"); n != 1 || logs.count("WritesPaused()") != 1 {
		t.Fatalf("failure logged %d times, want once:\n%s", n, logs.b.String())
	}
	if e := r.entry(g.ID); e.SyncState != registry.SyncPending {
		t.Fatalf("entry %s while the registry is paused", e.SyncState)
	}
	if err := chain.TransactForTest(r.conn, r.ctx, reg, r.reg.PackUnpause()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for r.entry(g.ID).SyncState != registry.SyncConfirmed && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		r.step()
	}
	if e := r.entry(g.ID); e.SyncState != registry.SyncConfirmed || r.record(wg).InvestorId != uint64(g.ID) {
		t.Fatalf("after unpausing: %s, on-chain %+v", e.SyncState, r.record(wg))
	}
	if logs.count("recovered") != 1 {
		t.Fatalf("recovery not logged once:\n%s", logs.b.String())
	}
}
