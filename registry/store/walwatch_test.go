package store_test

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// Environment of TestHelperProcessWrites, the other process of
// TestWriteByAnotherProcessSeenOnNextRequest.
const (
	helperDSN    = "STONODE_HELPER_DSN"
	helperAction = "STONODE_HELPER_ACTION"
	helperSeller = "STONODE_HELPER_SELLER"
	helperKey    = "STONODE_HELPER_KEY"
)

// TestWriteByAnotherProcessSeenOnNextRequest: look-ups answered from the
// cache send no generation read on SQLite while nothing commits, yet a seller
// suspension, a reinstatement and a key revocation committed by another
// process are seen by the very next request.
func TestWriteByAnotherProcessSeenOnNextRequest(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		s := newScoped(t, engine)
		k, err := s.a.CreateKey(operator(), registry.RoleSeller, &s.sel.ID, "k")
		if err != nil {
			t.Fatal(err)
		}
		lookUp := func() (registry.ReasonCode, error) {
			p, err := s.a.Authenticate(context.Background(), k.Secret)
			if err != nil {
				return 0, err
			}
			res, err := s.a.Eligibility(registry.WithPrincipal(context.Background(), p), s.issA.ID, []string{sW2}, t0)
			if err != nil {
				return 0, err
			}
			return res[0].Decision.Primary(), nil
		}
		expect := func(when string, want registry.ReasonCode) {
			t.Helper()
			if c, err := lookUp(); err != nil || c != want {
				t.Fatalf("%s: %v, %v; want %v", when, c, err, want)
			}
		}
		expect("warming", registry.CodeOK)
		expect("warm", registry.CodeOK)
		sent := s.a.GenerationReadsForTest()
		for range 20 {
			expect("warm", registry.CodeOK)
		}
		if n := s.a.GenerationReadsForTest() - sent; engine == store.SQLite && n != 0 {
			t.Fatalf("20 look-ups with nothing committed sent %d generation reads; want none", n)
		}
		for _, step := range []struct {
			action string
			want   registry.ReasonCode
		}{{"suspend", registry.CodeSellerSuspended}, {"reinstate", registry.CodeOK}, {"suspend", registry.CodeSellerSuspended}} {
			runHelper(t, engine, s.dsn, step.action, s.sel.ID, "")
			expect("after "+step.action+" by another process", step.want)
			expect("again after "+step.action, step.want)
		}
		runHelper(t, engine, s.dsn, "revoke", s.sel.ID, k.ID)
		if _, err := lookUp(); registry.ErrorCode(err) != registry.EUNAUTHORIZED {
			t.Fatalf("a key revoked by another process still authenticates: %v", err)
		}
	})
}

// runHelper runs TestHelperProcessWrites in a process of its own: one write to
// the database at dsn, committed before it exits.
func runHelper(t *testing.T, engine store.Dialect, dsn, action string, sellerID int64, keyID string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcessWrites$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperDSN+"="+dsn, helperAction+"="+action,
		helperSeller+"="+strconv.FormatInt(sellerID, 10), helperKey+"="+keyID)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s by another process on %s: %v\n%s", action, engine, err, out)
	}
}

// TestHelperProcessWrites is the other process of
// TestWriteByAnotherProcessSeenOnNextRequest; it does nothing unless started
// by it.
func TestHelperProcessWrites(t *testing.T) {
	dsn := os.Getenv(helperDSN)
	if dsn == "" {
		t.Skip("the other process of TestWriteByAnotherProcessSeenOnNextRequest")
	}
	sellerID, err := strconv.ParseInt(os.Getenv(helperSeller), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := storetest.OpenConfig(ctx, store.Config{DSN: dsn, Clock: func() time.Time { return t0 }, Rules: eligibility.Rules{}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	status := map[string]registry.SellerStatus{"suspend": registry.SellerSuspended, "reinstate": registry.SellerActive}
	switch action := os.Getenv(helperAction); action {
	case "suspend", "reinstate":
		_, err = st.ChangeSellerStatus(operator(), sellerID, registry.SellerStatusChange{Status: status[action]})
	case "revoke":
		err = st.RevokeKey(operator(), &sellerID, os.Getenv(helperKey))
	default:
		err = fmt.Errorf("unknown action %q", action)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestWritesInterleavedWithCachedLookUps: another handle on the database
// toggles a seller's status again and again; after each write returns, the
// next look-up through the first handle answers by the new status.
func TestWritesInterleavedWithCachedLookUps(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		s := newScoped(t, engine)
		mint(t, s.a, sTokenA, nil, 2, sW1, 100)
		for i := range 30 {
			status, want := registry.SellerSuspended, registry.CodeSellerSuspended
			if i%2 == 1 {
				status, want = registry.SellerActive, registry.CodeOK
			}
			if _, err := s.b.ChangeSellerStatus(operator(), s.sel.ID, registry.SellerStatusChange{Status: status}); err != nil {
				t.Fatal(err)
			}
			for range 2 {
				if c := s.decide(s.a, s.issA); c != want {
					t.Fatalf("write %d (%s): look-up answered %v", i, status, c)
				}
			}
		}
	})
}

// TestLockSumsCachedUntilALockMoves: transfer checks take a sender's frozen
// lock sum from the cache, and the check right after a lock's freeze or
// unfreeze is recorded answers by the new sum.
func TestLockSumsCachedUntilALockMoves(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		f := newControlsFixture(t, engine)
		sc := asSeller(f.lead.ID)
		expect := func(when string, want registry.ReasonCode) {
			t.Helper()
			for range 2 { // the second from the cache
				if c := f.check(t, 71); c != want {
					t.Fatalf("%s: a transfer of 71 of 100 answered %v, want %v", when, c, want)
				}
			}
		}
		expect("before any lock", registry.CodeTransferNotApproved)
		l, err := f.st.CreateLock(sc, f.iss.ID, registry.LockRequest{Wallet: cW1, Amount: big.NewInt(30), Reason: registry.LockPledge, Reference: "p"})
		if err != nil {
			t.Fatal(err)
		}
		expect("with the lock pending", registry.CodeTransferNotApproved)
		if err := f.st.FinishOperation(operator(), l.LockOperation, map[string]string{"txHash": "0x1"}, nil); err != nil {
			t.Fatal(err)
		}
		expect("after the freeze", registry.CodeInsufficientBalance)
		got, err := f.st.ReleaseLock(sc, f.iss.ID, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		expect("while the unfreeze is pending", registry.CodeInsufficientBalance)
		if err := f.st.FinishOperation(operator(), got.ReleaseOperation, map[string]string{"txHash": "0x2"}, nil); err != nil {
			t.Fatal(err)
		}
		expect("after the unfreeze", registry.CodeTransferNotApproved)
	})
}
