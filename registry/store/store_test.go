package store_test

import (
	"context"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

var t0 = time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)

func operator() context.Context {
	return registry.WithPrincipal(context.Background(), &registry.Principal{KeyID: "test-operator", Role: registry.RoleOperator})
}

func asSeller(id int64) context.Context {
	return registry.WithPrincipal(context.Background(), &registry.Principal{KeyID: "test-seller", Role: registry.RoleSeller, SellerID: id})
}

func newSeller(t testing.TB, st *storetest.Stores, corp string) *registry.Seller {
	t.Helper()
	s := &registry.Seller{LegalName: "Firm " + corp, CorporateNumber: corp, FSARegistration: "関東財務局長(金商)第1号",
		Licence: registry.LicenceType1, Membership: registry.MembershipFull}
	if err := st.CreateSeller(operator(), s); err != nil {
		t.Fatalf("create seller: %v", err)
	}
	return s
}

func eachEngine(t *testing.T, fn func(t *testing.T, engine store.Dialect)) {
	for _, e := range storetest.Engines(t) {
		t.Run(string(e), func(t *testing.T) { fn(t, e) })
	}
}

func TestMigrationsAreIdempotentAndVersioned(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		dsn := storetest.DSN(t, engine)
		ctx := context.Background()
		for i := 0; i < 2; i++ { // a second start finds everything applied
			st, err := storetest.OpenConfig(ctx, store.Config{DSN: dsn, Rules: eligibility.Rules{}})
			if err != nil {
				t.Fatalf("open #%d: %v", i, err)
			}
			v, err := st.SchemaVersion(ctx)
			if err != nil || v != store.LatestSchemaVersion() {
				t.Fatalf("schema version = %d, %v; want %d", v, err, store.LatestSchemaVersion())
			}
			st.Close()
		}
	})
}

func TestMigrationUpgradesAnExistingDatabase(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		dsn := storetest.DSN(t, engine)
		ctx := context.Background()
		old, err := store.OpenAtVersion(ctx, store.Config{DSN: dsn, Rules: eligibility.Rules{}}, 1)
		if err != nil {
			t.Fatal(err)
		}
		// Data written by the older release must survive the upgrade.
		if err := old.ExecForTest(ctx, `INSERT INTO sellers (legal_name, corporate_number, fsa_registration, licence,
			membership, status, status_effective_at, created_at, updated_at)
			VALUES ('Kept', '7000012050002', 'x', 'TYPE1', 'FULL', 'ACTIVE', ?, ?, ?)`, t0, t0, t0); err != nil {
			t.Fatal(err)
		}
		old.Close()
		st := openUpgraded(t, dsn)
		sellers, err := st.Sellers(operator(), registry.SellerFilter{})
		if err != nil || len(sellers) != 1 || sellers[0].LegalName != "Kept" {
			t.Fatalf("data after upgrade: %v %v", sellers, err)
		}
		// Migration 2 made the audit log append-only.
		if err := st.TamperAuditForTest(ctx); err == nil {
			t.Fatal("updating the audit log succeeded after the upgrade")
		}
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		newSeller(t, st, "7000012050002")
		err := st.TamperAuditForTest(context.Background())
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("tampering with the audit log: err = %v, want append-only refusal", err)
		}
	})
}

func TestAmountsRoundTripAtUint256Max(t *testing.T) {
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		sel := newSeller(t, st, "7000012050002")
		iss := &registry.Issuance{IssuerName: "I", TokenName: "T", TokenSymbol: "T", Decimals: 0,
			LegalForm: registry.FormBond, FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic,
			MinHolding: big.NewInt(1), MaxHolding: max, SupplyCap: max}
		if err := st.CreateIssuance(asSeller(sel.ID), iss); err != nil {
			t.Fatal(err)
		}
		got, err := st.Issuance(operator(), iss.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.MaxHolding.Cmp(max) != 0 || got.SupplyCap.Cmp(max) != 0 || got.MinHolding.Cmp(big.NewInt(1)) != 0 {
			t.Fatalf("amounts changed in storage: min %v max %v cap %v", got.MinHolding, got.MaxHolding, got.SupplyCap)
		}
	})
}

func TestFailedWriteLeavesNothing(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		sel := newSeller(t, st, "7000012050002")
		ctx := asSeller(sel.ID)
		inv := &registry.Investor{CustomerRef: "A", PersonType: registry.PersonCorporation, ResidenceCountry: "JP",
			Wallets: []registry.Wallet{{Address: "0x1111111111111111111111111111111111111111"}}}
		if err := st.CreateInvestor(ctx, inv); err != nil {
			t.Fatal(err)
		}
		before, _ := st.Audit(operator(), registry.AuditFilter{})
		// The second wallet collides, so the investor, its first wallet and the
		// audit record must all roll back.
		dup := &registry.Investor{CustomerRef: "B", PersonType: registry.PersonCorporation, ResidenceCountry: "JP",
			Wallets: []registry.Wallet{{Address: "0x2222222222222222222222222222222222222222"}, {Address: "0x1111111111111111111111111111111111111111"}}}
		err := st.CreateInvestor(ctx, dup)
		if registry.ErrorCode(err) != registry.ECONFLICT {
			t.Fatalf("duplicate wallet: err = %v, want conflict", err)
		}
		list, _ := st.Investors(ctx, registry.InvestorFilter{})
		after, _ := st.Audit(operator(), registry.AuditFilter{})
		if len(list) != 1 || len(after) != len(before) {
			t.Fatalf("partial write visible: %d investors, audit %d → %d", len(list), len(before), len(after))
		}
		res, err := st.Eligibility(ctx, 0+1, []string{"0x2222222222222222222222222222222222222222"}, t0)
		if registry.ErrorCode(err) != registry.ENOTFOUND || res != nil {
			t.Fatalf("eligibility on a missing issuance: %v %v", res, err)
		}
	})
}

func TestConcurrentWritersAllCommit(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		sel := newSeller(t, st, "7000012050002")
		ctx := asSeller(sel.ID)
		const n = 40
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				inv := &registry.Investor{CustomerRef: "C" + string(rune('A'+i%26)) + string(rune('a'+i/26)), PersonType: registry.PersonCorporation, ResidenceCountry: "JP"}
				errs <- st.CreateInvestor(ctx, inv)
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent write: %v", err)
			}
		}
		list, err := st.Investors(ctx, registry.InvestorFilter{Page: registry.Page{Limit: 100}})
		if err != nil || len(list) != n {
			t.Fatalf("got %d investors (%v), want %d", len(list), err, n)
		}
	})
}

func TestTenancy(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		a := newSeller(t, st, "7000012050002")
		b := newSeller(t, st, "1180301018771")
		iss := &registry.Issuance{IssuerName: "I", TokenName: "T", TokenSymbol: "T", LegalForm: registry.FormBond,
			FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic}
		if err := st.CreateIssuance(asSeller(a.ID), iss); err != nil {
			t.Fatal(err)
		}
		inv := &registry.Investor{CustomerRef: "X", PersonType: registry.PersonCorporation, ResidenceCountry: "JP"}
		if err := st.CreateInvestor(asSeller(a.ID), inv); err != nil {
			t.Fatal(err)
		}
		other := asSeller(b.ID)
		checks := map[string]error{}
		_, checks["issuance"] = st.Issuance(other, iss.ID)
		_, checks["investor"] = st.Investor(other, inv.ID)
		_, checks["seller"] = st.Seller(other, a.ID)
		_, checks["approve"] = st.Approve(other, iss.ID, inv.ID, registry.Approval{})
		_, checks["transition"] = st.TransitionIssuance(other, iss.ID, registry.IssuanceRegistered, "")
		_, checks["freeze"] = st.SetFrozen(other, inv.ID, true, "")
		for name, err := range checks {
			if registry.ErrorCode(err) != registry.ENOTFOUND {
				t.Errorf("%s by another seller: err = %v, want not_found", name, err)
			}
		}
		if list, _ := st.Issuances(other, registry.IssuanceFilter{}); len(list) != 0 {
			t.Errorf("another seller lists %d issuances", len(list))
		}
		if list, _ := st.Investors(other, registry.InvestorFilter{}); len(list) != 0 {
			t.Errorf("another seller lists %d investors", len(list))
		}
		recs, _ := st.Audit(other, registry.AuditFilter{})
		for _, r := range recs {
			if r.SellerID == nil || *r.SellerID != b.ID {
				t.Errorf("seller %d reads another tenant's audit record %+v", b.ID, r)
			}
		}
	})
}

func TestRevokedSellerLosesKeys(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		sel := newSeller(t, st, "7000012050002")
		k, err := st.CreateKey(operator(), registry.RoleSeller, &sel.ID, "k")
		if err != nil {
			t.Fatal(err)
		}
		if p, err := st.Authenticate(context.Background(), k.Secret); err != nil || p.SellerID != sel.ID {
			t.Fatalf("authenticate: %v %v", p, err)
		}
		if _, err := st.Authenticate(context.Background(), k.Secret+"x"); registry.ErrorCode(err) != registry.EUNAUTHORIZED {
			t.Fatalf("tampered key: %v", err)
		}
		if _, err := st.ChangeSellerStatus(operator(), sel.ID, registry.SellerStatusChange{Status: registry.SellerRevoked}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Authenticate(context.Background(), k.Secret); registry.ErrorCode(err) != registry.EUNAUTHORIZED {
			t.Fatalf("key of a revoked seller still works: %v", err)
		}
		if _, err := st.ChangeSellerStatus(operator(), sel.ID, registry.SellerStatusChange{Status: registry.SellerActive}); registry.ErrorCode(err) != registry.ECONFLICT {
			t.Fatalf("reinstating a revoked seller: %v", err)
		}
	})
}

// TestCachedDecisionsFollowEveryWrite: a decision served from the cache changes
// as soon as a write commits, in this process or through another store on the
// same database (another process, or another node on PostgreSQL).
func TestCachedDecisionsFollowEveryWrite(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		dsn := storetest.DSN(t, engine)
		ctx := context.Background()
		open := func() *storetest.Stores {
			st, err := storetest.OpenConfig(ctx, store.Config{DSN: dsn, Clock: func() time.Time { return t0 }, Rules: eligibility.Rules{}})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		}
		a, b := open(), open()
		sel := newSeller(t, a, "7000012050002")
		sc := asSeller(sel.ID)
		iss := &registry.Issuance{IssuerName: "I", TokenName: "T", TokenSymbol: "T", LegalForm: registry.FormBond,
			FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic}
		if err := a.CreateIssuance(sc, iss); err != nil {
			t.Fatal(err)
		}
		for _, s := range []registry.IssuanceStatus{registry.IssuanceRegistered, registry.IssuanceOffering} {
			if _, err := a.TransitionIssuance(sc, iss.ID, s, ""); err != nil {
				t.Fatal(err)
			}
		}
		due := t0.AddDate(1, 0, 0)
		verified := t0.AddDate(0, -1, 0)
		inv := &registry.Investor{CustomerRef: "A", PersonType: registry.PersonCorporation, ResidenceCountry: "JP",
			KYCStatus: registry.KYCVerified, KYCVerifiedAt: &verified, KYCReviewDue: &due,
			Sanctions: registry.ScreeningClear, Antisocial: registry.ScreeningClear,
			Wallets: []registry.Wallet{{Address: "0x1111111111111111111111111111111111111111"}}}
		if err := a.CreateInvestor(sc, inv); err != nil {
			t.Fatal(err)
		}
		addr := []string{"0x1111111111111111111111111111111111111111"}
		decide := func(st *storetest.Stores) registry.ReasonCode {
			t.Helper()
			res, err := st.Eligibility(sc, iss.ID, addr, t0)
			if err != nil {
				t.Fatal(err)
			}
			return res[0].Decision.Primary()
		}
		for _, st := range []*storetest.Stores{a, b} {
			if c := decide(st); c != registry.CodeNotWhitelisted {
				t.Fatalf("before approval: %v", c)
			}
		}
		if _, err := a.Approve(sc, iss.ID, inv.ID, registry.Approval{}); err != nil {
			t.Fatal(err)
		}
		for i, st := range []*storetest.Stores{a, b, a, b} { // twice: the second answer comes from the cache
			if c := decide(st); c != registry.CodeOK {
				t.Fatalf("after approval, store %d: %v", i%2, c)
			}
		}
		if _, err := b.SetFrozen(sc, inv.ID, true, "order"); err != nil {
			t.Fatal(err)
		}
		for i, st := range []*storetest.Stores{a, b} {
			if c := decide(st); c != registry.CodeAccountFrozen {
				t.Fatalf("after a freeze through store b, store %d: %v", i, c)
			}
		}
		k, err := a.CreateKey(operator(), registry.RoleReader, nil, "r")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Authenticate(ctx, k.Secret); err != nil {
			t.Fatal(err)
		}
		if err := b.RevokeKey(operator(), nil, k.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Authenticate(ctx, k.Secret); registry.ErrorCode(err) != registry.EUNAUTHORIZED {
			t.Fatalf("key revoked through another store still authenticates: %v", err)
		}
	})
}

// TestConcurrentChecksSeeEachOther: a key created while its seller is being
// revoked either fails or is revoked with the seller — never a live key for a
// revoked seller. Writers are serialised on both engines.
func TestConcurrentChecksSeeEachOther(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		for round := 0; round < 10; round++ {
			sel := newSeller(t, st, []string{"7000012050002", "1180301018771"}[round%2]+"")
			var wg sync.WaitGroup
			var key *registry.NewKey
			wg.Add(2)
			go func() { defer wg.Done(); key, _ = st.CreateKey(operator(), registry.RoleSeller, &sel.ID, "k") }()
			go func() {
				defer wg.Done()
				_, _ = st.ChangeSellerStatus(operator(), sel.ID, registry.SellerStatusChange{Status: registry.SellerRevoked})
			}()
			wg.Wait()
			if key != nil {
				if _, err := st.Authenticate(context.Background(), key.Secret); err == nil {
					t.Fatalf("round %d: a key created during the revocation still authenticates", round)
				}
			}
			// Free the corporate number for the next round's seller.
			if err := st.ExecForTest(context.Background(), `UPDATE sellers SET corporate_number = ? WHERE id = ?`, "x"+sel.CorporateNumber+string(rune('a'+round)), sel.ID); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestNodesMigrateAFreshDatabaseTogether(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		dsn := storetest.DSN(t, engine)
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st, err := storetest.OpenConfig(context.Background(), store.Config{DSN: dsn, Rules: eligibility.Rules{}})
				if err == nil {
					st.Close()
				}
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent start: %v", err)
			}
		}
	})
}

// openUpgraded opens the database at dsn, written by an older release, which
// migrates it to the latest schema.
func openUpgraded(t *testing.T, dsn string) *storetest.Stores {
	t.Helper()
	st, err := storetest.OpenConfig(context.Background(), store.Config{DSN: dsn, Rules: eligibility.Rules{}})
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
