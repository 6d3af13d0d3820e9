package store_test

import (
	"context"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// scoped is two stores on one database (two processes, or two PostgreSQL
// nodes) with issuances A and B, both deployed, and two investors approved on
// both.
type scoped struct {
	t          testing.TB
	dsn        string
	a, b       *storetest.Stores
	sel        *registry.Seller
	sc         context.Context
	issA, issB *registry.Issuance
	inv1, inv2 *registry.Investor
}

const (
	sTokenA = "0x00000000000000000000000000000000000000a1"
	sTokenB = "0x00000000000000000000000000000000000000b1"
	sW1     = "0x1111111111111111111111111111111111111111"
	sW2     = "0x2222222222222222222222222222222222222222"
	sW3     = "0x3333333333333333333333333333333333333333"
)

func newScoped(t testing.TB, engine store.Dialect) *scoped {
	dsn := storetest.DSN(t, engine)
	open := func() *storetest.Stores {
		st, err := storetest.OpenConfig(context.Background(), store.Config{DSN: dsn, Clock: func() time.Time { return t0 }, Rules: eligibility.Rules{}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	s := &scoped{t: t, dsn: dsn, a: open(), b: open()}
	s.sel = newSeller(t, s.a, "7000012050002")
	s.sc = asSeller(s.sel.ID)
	issuance := func(sym, token string) *registry.Issuance {
		iss := &registry.Issuance{IssuerName: "I", TokenName: sym, TokenSymbol: sym, LegalForm: registry.FormBond,
			FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic}
		if err := s.a.CreateIssuance(s.sc, iss); err != nil {
			t.Fatal(err)
		}
		if _, err := s.a.TransitionIssuance(s.sc, iss.ID, registry.IssuanceRegistered, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.a.RecordDeployment(s.sc, iss.ID, registry.Deployment{ChainID: mChain, TokenAddress: token,
			RegistryAddress: "0x00000000000000000000000000000000000000" + token[len(token)-2:], Block: 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.a.TransitionIssuance(s.sc, iss.ID, registry.IssuanceOffering, ""); err != nil {
			t.Fatal(err)
		}
		return iss
	}
	s.issA, s.issB = issuance("A", sTokenA), issuance("B", sTokenB)
	s.inv1, s.inv2 = s.investor("1", sW1), s.investor("2", sW2)
	for _, iss := range []*registry.Issuance{s.issA, s.issB} {
		for _, inv := range []*registry.Investor{s.inv1, s.inv2} {
			if _, err := s.a.Approve(s.sc, iss.ID, inv.ID, registry.Approval{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return s
}

func (s *scoped) investor(ref, wallet string) *registry.Investor {
	due := t0.AddDate(1, 0, 0)
	verified := t0.AddDate(0, -1, 0)
	inv := &registry.Investor{CustomerRef: ref, PersonType: registry.PersonCorporation, ResidenceCountry: "JP",
		KYCStatus: registry.KYCVerified, KYCVerifiedAt: &verified, KYCReviewDue: &due,
		Sanctions: registry.ScreeningClear, Antisocial: registry.ScreeningClear,
		Wallets: []registry.Wallet{{Address: wallet}}}
	if err := s.a.CreateInvestor(s.sc, inv); err != nil {
		s.t.Fatal(err)
	}
	return inv
}

// decide checks a transfer of 10 from w1 to w2 on iss through st.
func (s *scoped) decide(st *storetest.Stores, iss *registry.Issuance) registry.ReasonCode {
	s.t.Helper()
	res, err := st.CheckTransfer(s.sc, iss.ID, registry.TransferCheck{From: sW1, To: sW2, Amount: big.NewInt(10)}, t0)
	if err != nil {
		s.t.Fatal(err)
	}
	return res.Decision.Primary()
}

// loads reports the facts and holdings st has read since the last call.
func loadsSince(st *storetest.Stores, prev *[2]int64) (facts, holdings int64) {
	f, h := st.CacheLoadsForTest()
	facts, holdings = f-prev[0], h-prev[1]
	*prev = [2]int64{f, h}
	return facts, holdings
}

// mint mirrors a batch of token minting amount to wallet, continuing parent.
func mint(t testing.TB, st *storetest.Stores, token string, parent *registry.ChainBlock, head uint64, wallet string, amount int64) *registry.ChainBlock {
	t.Helper()
	b := registry.MirrorBatch{ChainID: mChain, Token: token, Parent: parent,
		Head: registry.ChainBlock{Number: head, Hash: hash(head, token[len(token)-2:])}}
	b.Blocks = []registry.ChainBlock{b.Head}
	b.Transfers = []registry.Transfer{{BlockNumber: head, BlockHash: b.Head.Hash, TxHash: hash(head, "tx"),
		From: registry.ZeroAddress, To: wallet, Amount: big.NewInt(amount)}}
	if err := st.Apply(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	return &b.Head
}

// TestWriteToOneIssuanceKeepsOthersCached: a whitelist change on A, made
// through another store, is seen by the next look-up on A, while B's facts are
// still served from the cache.
func TestWriteToOneIssuanceKeepsOthersCached(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		s := newScoped(t, engine)
		mint(t, s.a, sTokenA, nil, 2, sW1, 100)
		mint(t, s.a, sTokenB, nil, 2, sW1, 100)
		var prev [2]int64
		for _, iss := range []*registry.Issuance{s.issA, s.issB, s.issA, s.issB} {
			if c := s.decide(s.a, iss); c != registry.CodeOK {
				t.Fatalf("issuance %d before: %v", iss.ID, c)
			}
		}
		loadsSince(s.a, &prev)
		if _, err := s.b.Revoke(s.sc, s.issA.ID, s.inv2.ID); err != nil {
			t.Fatal(err)
		}
		if c := s.decide(s.a, s.issB); c != registry.CodeOK {
			t.Fatalf("B after a change on A: %v", c)
		}
		if f, h := loadsSince(s.a, &prev); f != 0 || h != 0 {
			t.Fatalf("a write to A made B read facts %d / holdings %d times", f, h)
		}
		if c := s.decide(s.a, s.issA); c != registry.CodeNotWhitelisted {
			t.Fatalf("A after the revocation through store b: %v", c)
		}
		if f, _ := loadsSince(s.a, &prev); f != 1 {
			t.Fatalf("A read its facts %d times after its own write, want 1", f)
		}
	})
}

// TestMirrorBatchKeepsRegistryFactsCached: a mirrored batch of B's token,
// applied through another store, leaves A's facts cached and costs B one read
// of its holdings, which the next look-up on B already reflects.
func TestMirrorBatchKeepsRegistryFactsCached(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		s := newScoped(t, engine)
		mint(t, s.a, sTokenA, nil, 2, sW1, 100)
		pB := mint(t, s.a, sTokenB, nil, 2, sW3, 100) // w3 holds B; w1 nothing yet
		var prev [2]int64
		if c := s.decide(s.a, s.issA); c != registry.CodeOK {
			t.Fatalf("A before: %v", c)
		}
		if c := s.decide(s.a, s.issB); c != registry.CodeInsufficientBalance {
			t.Fatalf("B before w1 holds any: %v", c)
		}
		loadsSince(s.a, &prev)
		mint(t, s.b, sTokenB, pB, 3, sW1, 50)
		if c := s.decide(s.a, s.issA); c != registry.CodeOK {
			t.Fatalf("A after B's batch: %v", c)
		}
		if f, h := loadsSince(s.a, &prev); f != 0 || h != 0 {
			t.Fatalf("B's batch made A read facts %d / holdings %d times", f, h)
		}
		for range 2 {
			if c := s.decide(s.a, s.issB); c != registry.CodeOK {
				t.Fatalf("B after its batch through store b: %v", c)
			}
		}
		if f, h := loadsSince(s.a, &prev); f != 0 || h != 1 {
			t.Fatalf("B's batch: facts read %d times (want 0), holdings %d (want 1)", f, h)
		}
	})
}

// TestSharedWritesSeenOnNextRequest: a seller suspension and a key
// revocation made through another store are seen by the very next request,
// on every issuance.
func TestSharedWritesSeenOnNextRequest(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		s := newScoped(t, engine)
		mint(t, s.a, sTokenA, nil, 2, sW1, 100)
		mint(t, s.a, sTokenB, nil, 2, sW1, 100)
		k, err := s.a.CreateKey(operator(), registry.RoleSeller, &s.sel.ID, "k")
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := s.a.Authenticate(context.Background(), k.Secret); err != nil {
				t.Fatal(err)
			}
			for _, iss := range []*registry.Issuance{s.issA, s.issB} {
				if c := s.decide(s.a, iss); c != registry.CodeOK {
					t.Fatalf("issuance %d before: %v", iss.ID, c)
				}
			}
		}
		if _, err := s.b.ChangeSellerStatus(operator(), s.sel.ID, registry.SellerStatusChange{Status: registry.SellerSuspended}); err != nil {
			t.Fatal(err)
		}
		for _, iss := range []*registry.Issuance{s.issA, s.issB} {
			if c := s.decide(s.a, iss); c != registry.CodeSellerSuspended {
				t.Fatalf("issuance %d after the seller's suspension through store b: %v", iss.ID, c)
			}
		}
		if err := s.b.RevokeKey(operator(), &s.sel.ID, k.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.a.Authenticate(context.Background(), k.Secret); registry.ErrorCode(err) != registry.EUNAUTHORIZED {
			t.Fatalf("key revoked through store b still authenticates: %v", err)
		}
	})
}

// TestScopedWritersSerialiseWithSharedOnes: approvals on two issuances race a
// suspension of their seller. Approvals of different issuances no longer share
// a lock, but each still serialises with the suspension: every approval that
// commits was checked, and recorded, before the suspension.
func TestScopedWritersSerialiseWithSharedOnes(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		s := newScoped(t, engine)
		var invs []*registry.Investor
		for i := range 12 {
			invs = append(invs, s.investor(fmt.Sprintf("r%d", i), fmt.Sprintf("0x%040x", 0x5000+i)))
		}
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, inv := range invs {
			iss := []*registry.Issuance{s.issA, s.issB}[i%2]
			st := []*storetest.Stores{s.a, s.b}[i%2]
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := st.Approve(s.sc, iss.ID, inv.ID, registry.Approval{})
				if err != nil && registry.ErrorCode(err) != registry.EFORBIDDEN {
					t.Errorf("approval: %v", err)
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			time.Sleep(2 * time.Millisecond)
			if _, err := s.b.ChangeSellerStatus(operator(), s.sel.ID, registry.SellerStatusChange{Status: registry.SellerSuspended}); err != nil {
				t.Error(err)
			}
		}()
		close(start)
		wg.Wait()
		recs, err := s.a.Audit(operator(), registry.AuditFilter{Page: registry.Page{Limit: 1000}})
		if err != nil {
			t.Fatal(err)
		}
		var suspended int64
		for _, r := range recs {
			if r.Action == "seller.status" {
				suspended = r.ID
			}
		}
		if suspended == 0 {
			t.Fatal("no suspension recorded")
		}
		for _, r := range recs {
			if r.Action == "whitelist.approve" && r.ID > suspended {
				t.Errorf("approval %s recorded after the seller's suspension (audit %d > %d)", r.EntityID, r.ID, suspended)
			}
		}
	})
}
