package store_test

import (
	"context"
	"errors"
	"math/big"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

const leaseSender = "0x00000000000000000000000000000000000000ee"

func needPostgres(t *testing.T) {
	t.Helper()
	if !slices.Contains(storetest.Engines(t), store.Postgres) {
		t.Skip("leases are PostgreSQL's: STONODE_TEST_POSTGRES=skip")
	}
}

// fenced is ctx carrying node's lease of issuance at epoch.
func fenced(issuance int64, node string, epoch int64) context.Context {
	return registry.WithFence(context.Background(), registry.Fence{IssuanceID: issuance, Owner: node, Epoch: epoch, ChainID: mChain})
}

// mintBatch is a batch minting amount to wallet in block head of token.
func mintBatch(token string, parent *registry.ChainBlock, head uint64, wallet string, amount int64) registry.MirrorBatch {
	b := registry.MirrorBatch{ChainID: mChain, Token: token, Parent: parent,
		Head: registry.ChainBlock{Number: head, Hash: hash(head, token[len(token)-2:])}}
	b.Blocks = []registry.ChainBlock{b.Head}
	b.Transfers = []registry.Transfer{{BlockNumber: head, BlockHash: b.Head.Hash, TxHash: hash(head, "tx"),
		From: registry.ZeroAddress, To: wallet, Amount: big.NewInt(amount)}}
	return b
}

func mustTake(t *testing.T, l *store.Leases, issuance int64, node string, ttl time.Duration, want registry.LeaseTake) registry.Lease {
	t.Helper()
	le, take, err := l.AcquireLease(context.Background(), issuance, node, ttl)
	if err != nil {
		t.Fatal(err)
	}
	if take != want {
		t.Fatalf("%s taking issuance %d: take %d, want %d", node, issuance, take, want)
	}
	return le
}

// TestLeaseFailoverFencesTheOldHolder: two nodes on one PostgreSQL database.
// A holds issuance A's lease; once A stops renewing it past its TTL, B takes
// it over with the next epoch, and from then on every write A makes under its
// old lease (a mirrored batch, a recorded transaction, an operation's outcome)
// is refused in its own transaction, while B's go through. Operations are
// claimed by the lease holder only; a transaction with a new nonce is recorded
// only under the key's nonce lease, a replacement under the issuance's alone.
func TestLeaseFailoverFencesTheOldHolder(t *testing.T) {
	needPostgres(t)
	s := newScoped(t, store.Postgres)
	la, lb := store.NewLeases(s.a.DB), store.NewLeases(s.b.DB)
	ctx := context.Background()
	const ttl = 500 * time.Millisecond

	a := mustTake(t, la, s.issA.ID, "node-a", ttl, registry.LeaseFresh)
	mustTake(t, lb, s.issA.ID, "node-b", ttl, registry.LeaseNotTaken)
	if renewed, err := la.RenewLeases(ctx, "node-a", ttl); err != nil || len(renewed) != 1 || renewed[0].Epoch != a.Epoch {
		t.Fatalf("renew: %+v %v", renewed, err)
	}
	first := mintBatch(sTokenA, nil, 10, sW1, 5)
	if err := s.a.Apply(fenced(s.issA.ID, "node-a", a.Epoch), first); err != nil {
		t.Fatalf("holder's batch: %v", err)
	}
	op, err := s.a.CreateOperation(s.sc, s.issA.ID, registry.OpMint, map[string]string{"to": sW1, "amount": "1"})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := lb.ClaimLeasedOperation(ctx, "node-b"); err != nil || got != nil {
		t.Fatalf("a node without the lease claimed %+v (%v)", got, err)
	}

	time.Sleep(ttl + 200*time.Millisecond) // A is frozen past its lease
	b := mustTake(t, lb, s.issA.ID, "node-b", ttl, registry.LeaseFailover)
	if b.Epoch != a.Epoch+1 {
		t.Fatalf("epoch after failover %d, want %d", b.Epoch, a.Epoch+1)
	}
	if renewed, err := la.RenewLeases(ctx, "node-a", ttl); err != nil || len(renewed) != 0 {
		t.Fatalf("the old holder renewed %+v (%v)", renewed, err)
	}
	second := mintBatch(sTokenA, &first.Head, 11, sW2, 7)
	if err := s.a.Apply(fenced(s.issA.ID, "node-a", a.Epoch), second); !errors.Is(err, registry.ErrLeaseLost) {
		t.Fatalf("old holder's late batch: %v, want ErrLeaseLost", err)
	}
	if err := s.b.Apply(fenced(s.issA.ID, "node-b", b.Epoch), second); err != nil {
		t.Fatalf("new holder's batch: %v", err)
	}
	got, err := lb.ClaimLeasedOperation(ctx, "node-b")
	if err != nil || got == nil || got.ID != op.ID {
		t.Fatalf("holder's claim: %+v %v", got, err)
	}

	fb := fenced(s.issA.ID, "node-b", b.Epoch)
	signed := []registry.OperationTx{{Step: 0, Nonce: 7, Hash: "0x01", Raw: []byte{1}}}
	if err := s.b.RecordOperationTxs(fb, op.ID, signed, nil); !errors.Is(err, registry.ErrLeaseLost) {
		t.Fatalf("a new nonce recorded without the nonce lease: %v", err)
	}
	nb, ok, err := lb.AcquireNonce(ctx, mChain, leaseSender, "node-b", ttl)
	if err != nil || !ok {
		t.Fatalf("nonce lease: %v %v", ok, err)
	}
	if _, ok, err := la.AcquireNonce(ctx, mChain, leaseSender, "node-a", ttl); err != nil || ok {
		t.Fatalf("a second node took a held nonce lease: %v %v", ok, err)
	}
	if err := s.b.RecordOperationTxs(fb, op.ID, signed, nil); err != nil {
		t.Fatalf("record under both leases: %v", err)
	}
	if err := lb.ReleaseNonce(ctx, mChain, leaseSender, "node-b", nb); err != nil {
		t.Fatal(err)
	}
	replacement := []registry.OperationTx{{Step: 0, Nonce: 7, Hash: "0x02", Raw: []byte{2}}}
	if err := s.b.RecordOperationTxs(fb, op.ID, replacement, nil); err != nil {
		t.Fatalf("a replacement needs only the issuance's lease: %v", err)
	}
	na, ok, err := la.AcquireNonce(ctx, mChain, leaseSender, "node-a", ttl)
	if err != nil || !ok {
		t.Fatalf("nonce lease after release: %v %v", ok, err)
	}
	late := []registry.OperationTx{{Step: 1, Nonce: 8, Hash: "0x03", Raw: []byte{3}}}
	if err := s.a.RecordOperationTxs(fenced(s.issA.ID, "node-a", a.Epoch), op.ID, late, nil); !errors.Is(err, registry.ErrLeaseLost) {
		t.Fatalf("old holder recorded a transaction: %v", err)
	}
	if err := s.a.FinishOperation(fenced(s.issA.ID, "node-a", a.Epoch), op.ID, map[string]string{}, nil); !errors.Is(err, registry.ErrLeaseLost) {
		t.Fatalf("old holder finished the operation: %v", err)
	}
	if err := s.a.FinishOperation(fenced(s.issB.ID, "node-b", b.Epoch), op.ID, map[string]string{}, nil); !errors.Is(err, registry.ErrLeaseLost) {
		t.Fatalf("an operation finished under another issuance's lease: %v", err)
	}
	if err := la.ReleaseNonce(ctx, mChain, leaseSender, "node-a", na); err != nil {
		t.Fatal(err)
	}
	txs, err := s.a.OperationTxs(ctx, op.ID)
	if err != nil || len(txs) != 2 {
		t.Fatalf("recorded %d transactions (%v), want the original and its replacement", len(txs), err)
	}

	for _, n := range []struct {
		l  *store.Leases
		id string
	}{{la, "node-a"}, {lb, "node-b"}} {
		if err := n.l.BeatNode(ctx, n.id, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	board, err := la.LeaseBoard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	holds := map[string][]int64{}
	for _, n := range board.Nodes {
		if !n.Live {
			t.Errorf("node %s not live", n.ID)
		}
		for _, le := range n.Leases {
			holds[n.ID] = append(holds[n.ID], le.IssuanceID)
		}
	}
	if len(holds["node-a"]) != 0 || !slices.Equal(holds["node-b"], []int64{s.issA.ID}) {
		t.Fatalf("board: %+v", holds)
	}

	// A released lease is taken fresh (a handover, not a failover).
	if err := lb.ReleaseLease(ctx, s.issA.ID, "node-b", b.Epoch); err != nil {
		t.Fatal(err)
	}
	if again := mustTake(t, la, s.issA.ID, "node-a", ttl, registry.LeaseFresh); again.Epoch != b.Epoch+1 {
		t.Fatalf("epoch after handover %d, want %d", again.Epoch, b.Epoch+1)
	}
}

// TestNonceLeaseIsExclusive: eight senders on two database handles (two
// nodes) take the one key's nonce lease 200 times in all; no two ever hold it
// at once, and every hold has an epoch of its own.
func TestNonceLeaseIsExclusive(t *testing.T) {
	needPostgres(t)
	s := newScoped(t, store.Postgres)
	nodes := []*store.Leases{store.NewLeases(s.a.DB), store.NewLeases(s.b.DB)}
	var holders, overlaps atomic.Int32
	var mu sync.Mutex
	epochs := map[int64]bool{}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, node := nodes[g%2], []string{"node-a", "node-b"}[g%2]
			ctx := context.Background()
			for done := 0; done < 25; {
				epoch, ok, err := l.AcquireNonce(ctx, mChain, leaseSender, node, 5*time.Second)
				if err != nil {
					t.Error(err)
					return
				}
				if !ok {
					time.Sleep(time.Millisecond)
					continue
				}
				if holders.Add(1) > 1 {
					overlaps.Add(1)
				}
				mu.Lock()
				if epochs[epoch] {
					t.Errorf("epoch %d held twice", epoch)
				}
				epochs[epoch] = true
				mu.Unlock()
				time.Sleep(200 * time.Microsecond)
				holders.Add(-1)
				if err := l.ReleaseNonce(ctx, mChain, leaseSender, node, epoch); err != nil {
					t.Error(err)
					return
				}
				done++
			}
		}()
	}
	wg.Wait()
	if overlaps.Load() > 0 || len(epochs) != 200 {
		t.Fatalf("%d overlapping holds, %d holds", overlaps.Load(), len(epochs))
	}
}

// TestSQLiteNeedsNoLeases: SQLite has one node; it refuses leasing, and a
// fence in a write's context is not checked.
func TestSQLiteNeedsNoLeases(t *testing.T) {
	st := storetest.Open(t, store.SQLite, func() time.Time { return t0 })
	l := store.NewLeases(st.DB)
	if _, _, err := l.AcquireLease(context.Background(), 1, "n", time.Second); err == nil {
		t.Fatal("SQLite leased")
	}
	if err := st.Apply(fenced(1, "nobody", 9), mintBatch(sTokenA, nil, 1, sW1, 1)); err != nil {
		t.Fatalf("fenced write on SQLite: %v", err)
	}
}
