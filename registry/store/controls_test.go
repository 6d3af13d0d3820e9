package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

const (
	cToken = "0x00000000000000000000000000000000000000d1"
	cW1    = "0x6666666666666666666666666666666666666666"
	cW2    = "0x7777777777777777777777777777777777777777"
	cNew   = "0x8888888888888888888888888888888888888888"
)

type controlsFixture struct {
	st          *storetest.Stores
	clock       *storetest.Clock
	lead, other *registry.Seller
	iss         *registry.Issuance
	inv1, inv2  *registry.Investor
	head        *registry.ChainBlock // the mirror's last block
}

// newControlsFixture: an issuance requiring transfer approval with a token,
// two approved investors (cW1, cW2) of the lead seller, and another seller.
func newControlsFixture(t *testing.T, engine store.Dialect) *controlsFixture {
	t.Helper()
	f := &controlsFixture{clock: storetest.NewClock(t0)}
	f.st = storetest.Open(t, engine, f.clock.Now)
	f.lead = newSeller(t, f.st, "7000012050002")
	f.other = newSeller(t, f.st, "2010001000005")
	sc := asSeller(f.lead.ID)
	f.iss = &registry.Issuance{IssuerName: "I", TokenName: "T", TokenSymbol: "T", LegalForm: registry.FormShare,
		FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic, ApprovalRequired: true}
	if err := f.st.CreateIssuance(sc, f.iss); err != nil {
		t.Fatal(err)
	}
	for _, to := range []registry.IssuanceStatus{registry.IssuanceRegistered, registry.IssuanceOffering} {
		if _, err := f.st.TransitionIssuance(sc, f.iss.ID, to, ""); err != nil {
			t.Fatal(err)
		}
		if to == registry.IssuanceRegistered {
			if _, err := f.st.RecordDeployment(sc, f.iss.ID, registry.Deployment{ChainID: mChain, TokenAddress: cToken,
				RegistryAddress: "0x00000000000000000000000000000000000000d2", Block: 1}); err != nil {
				t.Fatal(err)
			}
		}
	}
	due, verified := t0.AddDate(1, 0, 0), t0.AddDate(0, -1, 0)
	for i, w := range []string{cW1, cW2} {
		inv := &registry.Investor{CustomerRef: string(rune('a' + i)), PersonType: registry.PersonCorporation, ResidenceCountry: "JP",
			KYCStatus: registry.KYCVerified, KYCVerifiedAt: &verified, KYCReviewDue: &due,
			Sanctions: registry.ScreeningClear, Antisocial: registry.ScreeningClear, Wallets: []registry.Wallet{{Address: w}}}
		if err := f.st.CreateInvestor(sc, inv); err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.Approve(sc, f.iss.ID, inv.ID, registry.Approval{}); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			f.inv1 = inv
		} else {
			f.inv2 = inv
		}
	}
	f.head = mint(t, f.st, cToken, nil, 2, cW1, 100)
	return f
}

// mirrorTransfer has the mirror ingest a transfer in the next block.
func (f *controlsFixture) mirrorTransfer(t *testing.T, from, to string, amount int64) {
	t.Helper()
	n := f.head.Number + 1
	b := registry.MirrorBatch{ChainID: mChain, Token: cToken, Parent: f.head, Head: registry.ChainBlock{Number: n, Hash: hash(n, "c"), ParentHash: f.head.Hash}}
	b.Blocks = []registry.ChainBlock{b.Head}
	b.Transfers = []registry.Transfer{{BlockNumber: n, BlockHash: b.Head.Hash, TxHash: hash(n, "ctx"), From: from, To: to, Amount: big.NewInt(amount)}}
	if err := f.st.Apply(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	f.head = &b.Head
}

func (f *controlsFixture) check(t *testing.T, amount int64) registry.ReasonCode {
	t.Helper()
	res, err := f.st.CheckTransfer(operator(), f.iss.ID, registry.TransferCheck{From: cW1, To: cW2, Amount: big.NewInt(amount)}, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return res.Decision.Primary()
}

func TestTransferApprovalLifecycle(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		f := newControlsFixture(t, engine)
		subscribeAll(t, f.st.DB)
		sc, oc := asSeller(f.lead.ID), asSeller(f.other.ID)
		if c := f.check(t, 10); c != registry.CodeTransferNotApproved {
			t.Fatalf("transfer check without approval: %s", c)
		}
		req := registry.ApprovalRequest{From: cW1, To: cW2, Amount: big.NewInt(10), ExpiresAt: t0.Add(48 * time.Hour)}
		// Only the sender's seller applies.
		if _, err := f.st.RequestApproval(oc, f.iss.ID, req); registry.ErrorCode(err) != registry.ENOTFOUND && registry.ErrorCode(err) != registry.EFORBIDDEN {
			t.Fatalf("another seller applies: %v", err)
		}
		for _, bad := range []registry.ApprovalRequest{
			{From: cW1, To: cW1, Amount: big.NewInt(1), ExpiresAt: t0.Add(time.Hour)},
			{From: cW1, To: cW2, Amount: big.NewInt(0), ExpiresAt: t0.Add(time.Hour)},
			{From: cW1, To: cW2, Amount: big.NewInt(1), ExpiresAt: t0.Add(-time.Hour)},
			{From: "0x12", To: cW2, Amount: big.NewInt(1), ExpiresAt: t0.Add(time.Hour)},
		} {
			if _, err := f.st.RequestApproval(sc, f.iss.ID, bad); registry.ErrorCode(err) != registry.EINVALID {
				t.Errorf("request %+v: %v, want invalid", bad, err)
			}
		}
		a, err := f.st.RequestApproval(sc, f.iss.ID, req)
		if err != nil || a.Status != registry.ApprovalRequested || a.SellerID != f.lead.ID {
			t.Fatalf("request: %+v %v", a, err)
		}
		if c := f.check(t, 10); c != registry.CodeTransferNotApproved {
			t.Fatalf("transfer check with a pending application: %s", c)
		}
		if _, err := f.st.DecideApproval(oc, f.iss.ID, a.ID, registry.ApprovalDecision{Status: registry.ApprovalApproved}); err == nil {
			t.Fatal("another seller approved")
		}
		approved, err := f.st.DecideApproval(sc, f.iss.ID, a.ID, registry.ApprovalDecision{Status: registry.ApprovalApproved, Reason: "ok"})
		if err != nil || approved.Status != registry.ApprovalApproved || approved.OperationID == 0 {
			t.Fatalf("approve: %+v %v", approved, err)
		}
		// Each application and decision is a webhook event, written with it.
		events, err := store.NewWebhooks(f.st.DB).Events(context.Background(), f.iss.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range events {
			if e.Type == registry.EventApprovalRequested || e.Type == registry.EventApprovalDecided {
				kinds = append(kinds, string(e.Type)+" "+eventStatus(e.Data))
			}
		}
		if strings.Join(kinds, ";") != "approval.requested REQUESTED;approval.decided APPROVED" {
			t.Fatalf("approval events: %v", kinds)
		}
		op, err := f.st.Operation(sc, approved.OperationID)
		if err != nil || op.Kind != registry.OpApproveTransfer || op.Request["amount"] != "10" || op.Request["from"] != cW1 ||
			op.Request["expiry"] != strconv.FormatInt(t0.Add(48*time.Hour).Unix(), 10) {
			t.Fatalf("queued operation: %+v %v", op, err)
		}
		if c := f.check(t, 10); c != registry.CodeTransferNotApproved {
			t.Fatalf("transfer check with an approval not yet on-chain: %s", c)
		}
		if err := f.st.FinishOperation(operator(), approved.OperationID, map[string]string{"txHash": "0xa1", "block": "2"}, nil); err != nil {
			t.Fatal(err)
		}
		if c := f.check(t, 10); c != registry.CodeOK {
			t.Fatalf("transfer check with an approval on-chain: %s", c)
		}
		if c := f.check(t, 11); c != registry.CodeTransferNotApproved {
			t.Fatalf("transfer check of another amount: %s", c)
		}
		// A decided application is decided once.
		if _, err := f.st.DecideApproval(sc, f.iss.ID, a.ID, registry.ApprovalDecision{Status: registry.ApprovalRejected}); registry.ErrorCode(err) != registry.ECONFLICT {
			t.Fatalf("reject after approve: %v", err)
		}
		// Expiry: the approval stops counting after it.
		f.clock.Set(t0.Add(48*time.Hour + time.Second))
		if c := f.check(t, 10); c != registry.CodeTransferNotApproved {
			t.Fatalf("transfer check after expiry: %s", c)
		}
		if got, _ := f.st.Approval(sc, f.iss.ID, a.ID); got.Status != registry.ApprovalExpired {
			t.Fatalf("status after expiry: %s", got.Status)
		}
		f.clock.Set(t0)
		// The transfer consumes it: once mirrored, its replay is refused.
		f.mirrorTransfer(t, cW1, cW2, 10)
		if c := f.check(t, 10); c != registry.CodeTransferNotApproved {
			t.Fatalf("transfer check after the approved transfer was mirrored: %s", c)
		}
		// Cancelling an approved one queues its revocation and withdraws it.
		cancelled, err := f.st.DecideApproval(sc, f.iss.ID, a.ID, registry.ApprovalDecision{Status: registry.ApprovalCancelled})
		if err != nil || cancelled.Status != registry.ApprovalCancelled {
			t.Fatalf("cancel: %+v %v", cancelled, err)
		}
		if op, err := f.st.Operation(sc, cancelled.OperationID); err != nil || op.Kind != registry.OpRevokeApproval {
			t.Fatalf("revocation: %+v %v", op, err)
		}
		if c := f.check(t, 10); c != registry.CodeTransferNotApproved {
			t.Fatalf("transfer check after cancel: %s", c)
		}
		list, err := f.st.Approvals(sc, f.iss.ID, registry.ApprovalFilter{Status: registry.ApprovalCancelled})
		if err != nil || len(list) != 1 {
			t.Fatalf("cancelled list: %d %v", len(list), err)
		}
		// A failed on-chain record does not count.
		b, _ := f.st.RequestApproval(sc, f.iss.ID, req)
		b, err = f.st.DecideApproval(sc, f.iss.ID, b.ID, registry.ApprovalDecision{Status: registry.ApprovalApproved})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.st.FinishOperation(operator(), b.OperationID, nil, errors.New("reverted")); err != nil {
			t.Fatal(err)
		}
		if c := f.check(t, 10); c != registry.CodeTransferNotApproved {
			t.Fatalf("transfer check with a failed on-chain record: %s", c)
		}
	})
}

func TestIssuanceWithoutApprovalTakesNoApplications(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		f := newControlsFixture(t, engine)
		sc := asSeller(f.lead.ID)
		plain := &registry.Issuance{IssuerName: "I", TokenName: "P", TokenSymbol: "P", LegalForm: registry.FormShare,
			FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic}
		if err := f.st.CreateIssuance(sc, plain); err != nil {
			t.Fatal(err)
		}
		_, err := f.st.RequestApproval(sc, plain.ID, registry.ApprovalRequest{From: cW1, To: cW2, Amount: big.NewInt(1), ExpiresAt: t0.Add(time.Hour)})
		if registry.ErrorCode(err) != registry.ECONFLICT {
			t.Fatalf("application on an issuance without the requirement: %v", err)
		}
		if got, _ := f.st.Issuance(sc, f.iss.ID); !got.ApprovalRequired {
			t.Fatal("transferApprovalRequired was not stored")
		}
	})
}

func TestLockLifecycleAndDueRelease(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		f := newControlsFixture(t, engine)
		sc := asSeller(f.lead.ID)
		release := t0.Add(time.Hour)
		for _, bad := range []registry.LockRequest{
			{Wallet: cW1, Amount: big.NewInt(1), Reason: "WHIM", Reference: "x"},
			{Wallet: cW1, Amount: big.NewInt(1), Reason: registry.LockPledge},
			{Wallet: cW1, Amount: big.NewInt(0), Reason: registry.LockPledge, Reference: "x"},
			{Wallet: cW1, Amount: big.NewInt(1), Reason: registry.LockPledge, Reference: "x", ReleaseAt: &t0},
		} {
			if _, err := f.st.CreateLock(sc, f.iss.ID, bad); registry.ErrorCode(err) != registry.EINVALID {
				t.Errorf("lock %+v: %v, want invalid", bad, err)
			}
		}
		if _, err := f.st.CreateLock(asSeller(f.other.ID), f.iss.ID, registry.LockRequest{Wallet: cW1, Amount: big.NewInt(1),
			Reason: registry.LockPledge, Reference: "x"}); err == nil {
			t.Fatal("another seller locked")
		}
		l, err := f.st.CreateLock(sc, f.iss.ID, registry.LockRequest{Wallet: cW1, Amount: big.NewInt(30),
			Reason: registry.LockGarnishment, Reference: "court order 1", ReleaseAt: &release})
		if err != nil || l.Status != registry.LockPending || l.LockOperation == 0 {
			t.Fatalf("create: %+v %v", l, err)
		}
		op, _ := f.st.Operation(sc, l.LockOperation)
		if op.Kind != registry.OpFreeze || op.Request["amount"] != "30" || op.Request["wallet"] != cW1 {
			t.Fatalf("freeze operation: %+v", op)
		}
		locked := func() string {
			m, err := f.st.LockedAmounts(context.Background(), f.iss.ID)
			if err != nil {
				t.Fatal(err)
			}
			if v := m[cW1]; v != nil {
				return v.String()
			}
			return "0"
		}
		if locked() != "0" {
			t.Fatal("a pending lock counts as locked")
		}
		if _, err := f.st.ReleaseLock(sc, f.iss.ID, l.ID); registry.ErrorCode(err) != registry.ECONFLICT {
			t.Fatalf("releasing a pending lock: %v", err)
		}
		if err := f.st.FinishOperation(operator(), l.LockOperation, map[string]string{"txHash": "0x1"}, nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.st.Lock(sc, f.iss.ID, l.ID); got.Status != registry.LockActive || locked() != "30" {
			t.Fatalf("after the freeze: %s, locked %s", got.Status, locked())
		}
		// The transfer check counts the locked tokens out of the free balance,
		// as the token does: 100 held, 30 locked.
		if c := f.check(t, 71); c != registry.CodeInsufficientBalance {
			t.Fatalf("transfer of 71 with 30 of 100 locked: %s, want INSUFFICIENT_BALANCE", c)
		}
		if c := f.check(t, 70); c != registry.CodeTransferNotApproved {
			t.Fatalf("transfer of 70 with 30 of 100 locked: %s, want only TRANSFER_NOT_APPROVED", c)
		}
		if due, _ := f.st.DueLocks(context.Background(), t0); len(due) != 0 {
			t.Fatal("a lock is due before its release time")
		}
		due, err := f.st.DueLocks(context.Background(), release)
		if err != nil || len(due) != 1 || due[0].ID != l.ID {
			t.Fatalf("due locks: %v %v", due, err)
		}
		// Many releasers at once (nodes, an API call): one release.
		var wg sync.WaitGroup
		var mu sync.Mutex
		var ok, conflicts int
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.st.ReleaseLock(operator(), f.iss.ID, l.ID)
				mu.Lock()
				defer mu.Unlock()
				switch registry.ErrorCode(err) {
				case "":
					ok++
				case registry.ECONFLICT:
					conflicts++
				default:
					t.Errorf("release: %v", err)
				}
			}()
		}
		wg.Wait()
		if ok != 1 || conflicts != 3 {
			t.Fatalf("%d releases, %d conflicts; want 1 and 3", ok, conflicts)
		}
		got, _ := f.st.Lock(sc, f.iss.ID, l.ID)
		if got.Status != registry.LockReleasing || got.ReleaseOperation == 0 || locked() != "30" {
			t.Fatalf("releasing: %+v locked %s", got, locked())
		}
		// An unfreeze that fails leaves the lock active, to be released again.
		if err := f.st.FinishOperation(operator(), got.ReleaseOperation, nil, errors.New("rpc down")); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.st.Lock(sc, f.iss.ID, l.ID); got.Status != registry.LockActive {
			t.Fatalf("after a failed unfreeze: %s", got.Status)
		}
		got, err = f.st.ReleaseLock(sc, f.iss.ID, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.st.FinishOperation(operator(), got.ReleaseOperation, map[string]string{"txHash": "0x2"}, nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.st.Lock(sc, f.iss.ID, l.ID); got.Status != registry.LockReleased || got.ReleasedAt == nil || locked() != "0" {
			t.Fatalf("after the unfreeze: %+v locked %s", got, locked())
		}
		// A lock whose freeze fails is FAILED and never counts.
		l2, _ := f.st.CreateLock(sc, f.iss.ID, registry.LockRequest{Wallet: cW1, Amount: big.NewInt(1000), Reason: registry.LockOther, Reference: "r"})
		if err := f.st.FinishOperation(operator(), l2.LockOperation, nil, errors.New("FreezeExceedsFreeBalance")); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.st.Lock(sc, f.iss.ID, l2.ID); got.Status != registry.LockFailed || locked() != "0" {
			t.Fatalf("failed lock: %s locked %s", got.Status, locked())
		}
	})
}

func TestRecoverWalletInOneRecord(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		f := newControlsFixture(t, engine)
		sc := asSeller(f.lead.ID)
		l, _ := f.st.CreateLock(sc, f.iss.ID, registry.LockRequest{Wallet: cW1, Amount: big.NewInt(5), Reason: registry.LockPledge, Reference: "p"})
		if err := f.st.FinishOperation(operator(), l.LockOperation, map[string]string{}, nil); err != nil {
			t.Fatal(err)
		}
		// An investor not approved for the issuance has no wallet to recover there.
		if _, err := f.st.Revoke(sc, f.iss.ID, f.inv2.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.RecoverWallet(sc, f.iss.ID, registry.RecoveryRequest{LostWallet: cW2, NewWallet: cNew}); registry.ErrorCode(err) != registry.ECONFLICT {
			t.Fatalf("recovering a wallet of an investor not approved: %v", err)
		}
		for _, bad := range []registry.RecoveryRequest{{LostWallet: cW1, NewWallet: cW1}, {LostWallet: cW1, NewWallet: cW2}, {LostWallet: cNew, NewWallet: cW1}} {
			if _, err := f.st.RecoverWallet(sc, f.iss.ID, bad); err == nil {
				t.Errorf("recovery %+v accepted", bad)
			}
		}
		op, err := f.st.RecoverWallet(sc, f.iss.ID, registry.RecoveryRequest{LostWallet: cW1, NewWallet: cNew, Reason: "lost"})
		if err != nil || op.Kind != registry.OpRecover || op.Request["from"] != cW1 || op.Request["to"] != cNew {
			t.Fatalf("recover: %+v %v", op, err)
		}
		inv, _ := f.st.Investor(sc, f.inv1.ID)
		var lostFrozen, newFound bool
		for _, w := range inv.Wallets {
			lostFrozen = lostFrozen || w.Address == cW1 && w.Frozen
			newFound = newFound || w.Address == cNew && !w.Frozen
		}
		if !lostFrozen || !newFound {
			t.Fatalf("wallets after recovery: %+v", inv.Wallets)
		}
		// The lost wallet can no longer receive; the new one can.
		for w, want := range map[string]registry.ReasonCode{cW1: registry.CodeAccountFrozen, cNew: registry.CodeOK} {
			res, err := f.st.Eligibility(operator(), f.iss.ID, []string{w}, t0)
			if err != nil || res[0].Decision.Primary() != want {
				t.Fatalf("eligibility of %s: %+v %v, want %s", w, res, err, want)
			}
		}
		if _, err := f.st.RecoverWallet(sc, f.iss.ID, registry.RecoveryRequest{LostWallet: cW1, NewWallet: "0x9999999999999999999999999999999999999999"}); registry.ErrorCode(err) != registry.ECONFLICT {
			t.Fatalf("recovering a retired wallet again: %v", err)
		}
		// The locks move with the mined recovery.
		if err := f.st.FinishOperation(operator(), op.ID, map[string]string{"txHash": "0x3"}, nil); err != nil {
			t.Fatal(err)
		}
		locks, _ := f.st.Locks(sc, f.iss.ID, cNew)
		if len(locks) != 1 || locks[0].Status != registry.LockActive {
			t.Fatalf("locks of the new wallet: %+v", locks)
		}
		records, err := f.st.Audit(operator(), registry.AuditFilter{Page: registry.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range records {
			switch {
			case r.Action == "wallet.recover":
				n++
			case r.Action == "operation.create" && r.EntityID == "3":
				t.Fatal("the recovery's operation has an audit record of its own")
			}
		}
		if n != 1 {
			t.Fatalf("%d wallet.recover records, want 1", n)
		}
	})
}

// eventStatus is the "status" field of an event's data.
func eventStatus(data json.RawMessage) string {
	var v struct{ Status string }
	_ = json.Unmarshal(data, &v)
	return v.Status
}
