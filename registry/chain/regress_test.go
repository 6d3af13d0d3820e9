package chain_test

import (
	"context"
	"log/slog"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/chain/mirror"
	"github.com/stonode/stonode/registry/store"
)

// racingStore runs hook once, right after the syncer derived its records.
type racingStore struct {
	*store.Outbox
	hook func()
}

func (s *racingStore) DesiredRecords(ctx context.Context, id int64, w []string, at time.Time) ([]registry.WalletRecord, error) {
	out, err := s.Outbox.DesiredRecords(ctx, id, w, at)
	if h := s.hook; h != nil {
		s.hook = nil
		h()
	}
	return out, err
}

// TestChangeDuringBatchPreparationIsNotLost: a revocation committed after a
// batch's records were derived is not claimed by that batch; the next batch
// carries it, and the entry is not reported CONFIRMED in between.
func TestChangeDuringBatchPreparationIsNotLost(t *testing.T) {
	r := newSyncRig(t, store.SQLite)
	const wa = "0x00000000000000000000000000000000000000a1"
	a := r.investor("A", wa, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	if _, err := r.st.Approve(r.seller, r.iss.ID, a.ID, registry.Approval{}); err != nil {
		t.Fatal(err)
	}
	rs := &racingStore{Outbox: r.st.Outbox}
	rs.hook = func() {
		if _, err := r.st.Revoke(r.seller, r.iss.ID, a.ID); err != nil {
			t.Error(err)
		}
	}
	s := chain.NewSyncer(r.conn, rs, slog.New(slog.DiscardHandler), func() time.Time { return t0 })
	if err := s.Step(r.ctx); err != nil {
		t.Fatal(err)
	}
	if entries, _ := r.st.Whitelist(r.seller, r.iss.ID, registry.WhitelistFilter{}); entries[0].SyncState == registry.SyncConfirmed {
		t.Fatalf("entry CONFIRMED while its revocation waits: %+v", entries[0])
	}
	if err := s.Step(r.ctx); err != nil {
		t.Fatal(err)
	}
	if r.record(wa).InvestorId != 0 {
		t.Fatal("the revocation never reached the chain")
	}
	r.outboxEmpty()
}

// TestRemovingAFrozenWalletKeepsItFrozen: a wallet leaving the registry keeps
// its token freeze; only the registry's own unfreeze releases a wallet it knows.
func TestRemovingAFrozenWalletKeepsItFrozen(t *testing.T) {
	r := newSyncRig(t, store.SQLite)
	const wa, wb = "0x00000000000000000000000000000000000000a1", "0x00000000000000000000000000000000000000b1"
	a := r.investor("A", wa, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	if _, err := r.st.AddWallet(r.seller, a.ID, registry.Wallet{Address: wb}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.Approve(r.seller, r.iss.ID, a.ID, registry.Approval{}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.SetFrozen(r.seller, a.ID, true, "court order"); err != nil {
		t.Fatal(err)
	}
	r.step()
	if err := r.st.RemoveWallet(r.seller, a.ID, wa); err != nil {
		t.Fatal(err)
	}
	r.step()
	if !r.frozen(wa) || r.record(wa).InvestorId != 0 {
		t.Fatalf("removed wallet: frozen=%v record=%+v", r.frozen(wa), r.record(wa))
	}
}

// TestBackToBackMintsRespectTheMaximumHolding: the worker waits for the mirror
// to see the previous mint before checking the next one's holdings rules.
func TestBackToBackMintsRespectTheMaximumHolding(t *testing.T) {
	r := newSyncRig(t, store.SQLite, func(i *registry.Issuance) { i.MaxHolding = big.NewInt(100) })
	const wa = "0x00000000000000000000000000000000000000a1"
	a := r.investor("A", wa, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	if _, err := r.st.Approve(r.seller, r.iss.ID, a.ID, registry.Approval{}); err != nil {
		t.Fatal(err)
	}
	r.step()
	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	eng := mirror.New(mirror.Config{ChainID: r.d.ChainID, Token: r.d.TokenAddress, StartBlock: r.d.Block, PollInterval: 200 * time.Millisecond}, r.conn.Client, r.st)
	engDone := make(chan struct{})
	go func() { _ = eng.Run(ctx); close(engDone) }()
	defer func() { cancel(); <-engDone }()
	svc := chain.NewOperations(r.conn, r.st.Chain(), slog.New(slog.DiscardHandler))
	svc.SetClock(func() time.Time { return t0 })
	var ids []int64
	for i := 0; i < 2; i++ {
		op, err := svc.TokenOperation(r.seller, r.iss.ID, registry.TokenOp{Kind: registry.OpMint, To: wa, Amount: big.NewInt(60)})
		if err != nil {
			t.Fatalf("queue mint %d: %v", i, err)
		}
		ids = append(ids, op.ID)
	}
	svcDone := make(chan struct{})
	go func() { _ = svc.Run(ctx); close(svcDone) }()
	defer func() { cancel(); <-svcDone }()
	deadline := time.Now().Add(20 * time.Second)
	var second *registry.Operation
	for time.Now().Before(deadline) {
		second, _ = r.st.Operation(r.seller, ids[1])
		if second.Status == registry.OpSucceeded || second.Status == registry.OpFailed {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	bal, err := bind.Call(r.tok.Instance(r.conn.Client, r.d.TokenAddress), nil, r.tok.PackBalanceOf(common.HexToAddress(wa)), r.tok.UnpackBalanceOf)
	if err != nil {
		t.Fatal(err)
	}
	if bal.Int64() != 60 || second.Status != registry.OpFailed {
		t.Fatalf("balance %s (want 60), second mint %s: %s", bal, second.Status, second.Error)
	}
}
