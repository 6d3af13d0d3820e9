package mirror_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain/mirror"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

func eachEngine(t *testing.T, fn func(t *testing.T, engine store.Dialect)) {
	for _, e := range storetest.Engines(t) {
		t.Run(string(e), func(t *testing.T) { fn(t, e) })
	}
}

func config(c *testChain) mirror.Config {
	return mirror.Config{ChainID: 1337, Token: c.addr, StartBlock: c.deployed, MaxRange: 8,
		RetryMin: time.Millisecond, RetryMax: 10 * time.Millisecond, MaxAttempts: 2}
}

func mustSync(t *testing.T, e *mirror.Engine) {
	t.Helper()
	if err := e.Sync(context.Background()); err != nil {
		t.Fatalf("sync: %v", err)
	}
}

// TestBackfillThenFollow mirrors a history in several eth_getLogs ranges, then
// follows new blocks one at a time; a second Sync and a second engine on the
// same database add nothing.
func TestBackfillThenFollow(t *testing.T) {
	c := newTestChain(t, 6)
	c.blocks(30, 4, 0)
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		e := mirror.New(config(c), c.client, st)
		mustSync(t, e)
		cp := verify(t, c, st)
		s := e.Stats()
		if cp.Number != c.head() || s.Indexed != cp.Number || !s.Healthy || s.Batches < 4 || s.Reorgs != 0 {
			t.Fatalf("after backfill: checkpoint %d head %d stats %+v", cp.Number, c.head(), s)
		}
		ingested := s.Transfers
		// Nothing new: a second pass and a fresh engine ingest nothing.
		mustSync(t, e)
		e2 := mirror.New(config(c), c.client, st)
		mustSync(t, e2)
		if e.Stats().Transfers != ingested || e2.Stats().Transfers != 0 {
			t.Fatalf("re-sync ingested %d and %d more rows", e.Stats().Transfers-ingested, e2.Stats().Transfers)
		}
	})
	// Follow: each new block is checked against its parent and ingested alone.
	// (The chain moves on here, so the engines above are done with it.)
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		e := mirror.New(config(c), c.client, st)
		mustSync(t, e)
		before := e.Stats().Batches
		for i := 0; i < 3; i++ {
			c.blocks(1, 3, 0)
			mustSync(t, e)
			verify(t, c, st)
		}
		if got := e.Stats().Batches - before; got != 3 {
			t.Fatalf("following 3 blocks took %d batches", got)
		}
	})
}

// TestReorg forks the chain below the mirror's checkpoint and builds a longer
// branch with different transfers; the mirror must find the common ancestor,
// rewind exactly the orphaned blocks and end equal to the new chain.
func TestReorg(t *testing.T) {
	cases := []struct {
		name   string
		depth  int // blocks orphaned
		branch int // blocks on the new branch (> depth, so it becomes canonical)
	}{
		{"depth 1", 1, 2},
		{"depth 2", 2, 3},
		{"depth 10", 10, 11},
		{"depth 10, found while backfilling", 10, 16}, // several blocks behind: the range path's checkpoint check finds it
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			eachEngine(t, func(t *testing.T, engine store.Dialect) {
				c := newTestChain(t, 5)
				c.blocks(5, 3, 0)
				st := storetest.Open(t, engine, nil)
				var seen []mirror.Reorg
				cfg := config(c)
				cfg.OnReorg = func(r mirror.Reorg) { seen = append(seen, r) }
				e := mirror.New(cfg, c.client, st)
				mustSync(t, e)
				// Follow the last blocks one by one, so every one is stored.
				for i := 0; i < 12; i++ {
					c.blocks(1, 2, 0)
					mustSync(t, e)
				}
				old := verify(t, c, st)

				fork := c.headerAt(old.Number - uint64(tc.depth))
				c.fork(fork.Hash())
				c.ops(tc.branch, 3, 5000, true) // different amounts: the mirrored state must change
				if c.headerAt(old.Number).Hash().Hex() == old.Hash {
					t.Fatal("the fork did not replace the checkpoint block")
				}
				mustSync(t, e)
				cp := verify(t, c, st)
				s := e.Stats()
				if s.Reorgs != 1 || s.LastReorgDepth != uint64(tc.depth) || len(seen) != 1 ||
					seen[0] != (mirror.Reorg{From: old.Number, To: fork.Number.Uint64(), Depth: uint64(tc.depth)}) {
					t.Fatalf("reorg stats %+v, reported %+v; want one of depth %d from %d", s, seen, tc.depth, old.Number)
				}
				if cp.Number != c.head() {
					t.Fatalf("checkpoint %d, head %d", cp.Number, c.head())
				}
			})
		})
	}
}

// TestRestartMidBackfill kills the engine at different points of a backfill:
// between eth_getLogs calls (context cancelled), before a batch commits and
// after a batch committed but before the engine saw it. A new store handle and
// a new engine resume from the checkpoint and end with no gap or duplicate.
func TestRestartMidBackfill(t *testing.T) {
	c := newTestChain(t, 6)
	c.blocks(40, 3, 0)
	cases := []struct {
		name        string
		cancelAfter int // eth_getLogs calls before the context is cancelled
		crashApply  int // the Apply that fails
		afterCommit bool
	}{
		{name: "cancelled after 1 range", cancelAfter: 1},
		{name: "cancelled after 3 ranges", cancelAfter: 3},
		{name: "crash before commit", crashApply: 2},
		{name: "crash after commit", crashApply: 2, afterCommit: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			eachEngine(t, func(t *testing.T, engine store.Dialect) {
				dsn := storetest.DSN(t, engine)
				ctx := context.Background()
				st, err := storetest.OpenConfig(ctx, store.Config{DSN: dsn, Rules: eligibility.Rules{}})
				if err != nil {
					t.Fatal(err)
				}
				runCtx, cancel := context.WithCancel(ctx)
				defer cancel()
				hc := &hookClient{Client: c.client}
				if tc.cancelAfter > 0 {
					hc.afterLogs = func(n int) {
						if n == tc.cancelAfter {
							cancel()
						}
					}
				}
				cs := &crashingStore{Mirror: st.Mirror, at: tc.crashApply, after: tc.afterCommit}
				e := mirror.New(config(c), hc, cs)
				err = e.Sync(runCtx)
				switch {
				case tc.cancelAfter > 0 && !errors.Is(err, context.Canceled):
					t.Fatalf("sync after cancel: %v", err)
				case tc.crashApply > 0 && !errors.Is(err, errCrash):
					t.Fatalf("sync with a crash: %v", err)
				}
				partial, ok, _ := st.Checkpoint(ctx, 1337, lower(c.addr))
				if ok && partial.Number >= c.head() {
					t.Fatalf("the crash came too late: checkpoint %d, head %d", partial.Number, c.head())
				}
				st.Close()

				st2, err := storetest.OpenConfig(ctx, store.Config{DSN: dsn, Rules: eligibility.Rules{}})
				if err != nil {
					t.Fatal(err)
				}
				defer st2.Close()
				mustSync(t, mirror.New(config(c), c.client, st2))
				if cp := verify(t, c, st2); cp.Number != c.head() {
					t.Fatalf("checkpoint %d after restart, head %d", cp.Number, c.head())
				}
			})
		})
	}
}

// TestConfirmationDepth leaves the newest blocks unmirrored until they are
// buried deep enough.
func TestConfirmationDepth(t *testing.T) {
	c := newTestChain(t, 5)
	c.blocks(20, 3, 0)
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		cfg := config(c)
		cfg.Confirmations = 3
		e := mirror.New(cfg, c.client, st)
		mustSync(t, e)
		head := c.head()
		cp := verify(t, c, st) // transfers ≤ checkpoint equal the chain's; none above
		if cp.Number != head-3 || e.Stats().Head != head {
			t.Fatalf("checkpoint %d with head %d and 3 confirmations; stats %+v", cp.Number, head, e.Stats())
		}
		if n := len(c.canonicalLogs(cp.Number+1, head)); n == 0 {
			t.Fatal("no transfers inside the confirmation window: the test proves nothing")
		}
	})
}

// TestNodeBehindIsNotAReorg points the engine at a node whose head is below the
// checkpoint: the pass fails as unhealthy and nothing is rewound.
func TestNodeBehindIsNotAReorg(t *testing.T) {
	c := newTestChain(t, 5)
	c.blocks(12, 3, 0)
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		hc := &hookClient{Client: c.client}
		e := mirror.New(config(c), hc, st)
		mustSync(t, e)
		before := verify(t, c, st)

		lagging := before.Number - 5
		hc.mu.Lock()
		hc.maxHead = &lagging
		hc.mu.Unlock()
		err := e.Sync(context.Background())
		if !errors.Is(err, mirror.ErrNodeBehind) {
			t.Fatalf("sync against a lagging node: %v, want ErrNodeBehind", err)
		}
		s := e.Stats()
		if s.Healthy || s.Reorgs != 0 || s.Head != lagging || s.LastError == "" {
			t.Fatalf("stats %+v", s)
		}
		if after := verify(t, c, st); after != before {
			t.Fatalf("checkpoint moved from %+v to %+v", before, after)
		}
		// The node catches up: healthy again, nothing re-ingested.
		hc.mu.Lock()
		hc.maxHead = nil
		hc.mu.Unlock()
		ingested := e.Stats().Transfers
		mustSync(t, e)
		if s := e.Stats(); !s.Healthy || s.Transfers != ingested {
			t.Fatalf("after catching up: %+v", s)
		}
	})
}

// TestRangeShrinksOnProviderLimit answers large eth_getLogs ranges with
// Infura's "more than 10000 results" error; the engine halves the range until
// the provider answers.
func TestRangeShrinksOnProviderLimit(t *testing.T) {
	c := newTestChain(t, 5)
	c.blocks(20, 2, 0)
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		cfg := config(c)
		cfg.MaxRange = 64
		e := mirror.New(cfg, &hookClient{Client: c.client, rangeLimit: 5}, st)
		mustSync(t, e)
		verify(t, c, st)
		if s := e.Stats(); s.RangeShrinks == 0 || !s.Healthy {
			t.Fatalf("stats %+v: want range shrinks", s)
		}
	})
}

// TestRunFollowsUntilCancelled runs the engine's loop while blocks arrive and
// stops it by cancelling its context.
func TestRunFollowsUntilCancelled(t *testing.T) {
	c := newTestChain(t, 4)
	c.blocks(3, 2, 0)
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		cfg := config(c)
		cfg.PollInterval = 5 * time.Millisecond
		e := mirror.New(cfg, c.client, st)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- e.Run(ctx) }()
		c.blocks(3, 2, 0)
		head := c.head()
		deadline := time.Now().Add(10 * time.Second)
		for e.Stats().Indexed < head && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("Run returned %v, want context.Canceled", err)
		}
		if cp := verify(t, c, st); cp.Number < head {
			t.Fatalf("Run reached %d, head %d", cp.Number, head)
		}
	})
}

// TestReorgBeyondTheBoundHalts forks deeper than MaxReorgDepth: the engine
// stops with ErrReorgTooDeep and calls OnHalt once, and the store keeps the
// mirror exactly as it was (nothing is rewound); a chain that changed identity
// (CheckChain) halts the same way before anything is read.
func TestReorgBeyondTheBoundHalts(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		c := newTestChain(t, 5)
		c.blocks(5, 3, 0)
		st := storetest.Open(t, engine, nil)
		var halts []error
		cfg := config(c)
		cfg.MaxReorgDepth = 3
		cfg.OnHalt = func(err error) { halts = append(halts, err) }
		e := mirror.New(cfg, c.client, st)
		mustSync(t, e)
		for i := 0; i < 8; i++ {
			c.blocks(1, 2, 0)
			mustSync(t, e)
		}
		before := verify(t, c, st)
		c.fork(c.headerAt(before.Number - 5).Hash())
		c.ops(7, 3, 5000, true)

		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := e.Run(ctx) // returns at once: a halt is not retried
		if !errors.Is(err, mirror.ErrReorgTooDeep) || !mirror.Fatal(err) || len(halts) != 1 {
			t.Fatalf("Run: %v; halts %v", err, halts)
		}
		after, ok, err := st.Checkpoint(ctx, 1337, strings.ToLower(c.addr.Hex()))
		if err != nil || !ok || after != before {
			t.Fatalf("checkpoint after the halt %+v (%v, %v), before %+v: nothing may be rewound", after, ok, err, before)
		}
		if s := e.Stats(); s.Reorgs != 0 || s.Healthy {
			t.Fatalf("stats after the halt: %+v", s)
		}

		changed := fmt.Errorf("%w: genesis differs", registry.ErrChainChanged)
		cfg.CheckChain = func(context.Context) error { return changed }
		halts = nil
		if err := mirror.New(cfg, c.client, st).Run(ctx); !errors.Is(err, registry.ErrChainChanged) || len(halts) != 1 {
			t.Fatalf("Run on a changed chain: %v; halts %v", err, halts)
		}
	})
}

// TestHeadersPrunedBelowTheBound: once a block falls more than MaxReorgDepth
// below the head, its stored header goes unless a transfer of the token is in
// it; the headers within the bound stay, so a reorg within it is still
// followed, and the balances still equal the chain's.
func TestHeadersPrunedBelowTheBound(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		const depth = 4
		c := newTestChain(t, 5)
		st := storetest.Open(t, engine, nil)
		cfg := config(c)
		cfg.MaxReorgDepth = depth
		cfg.MaxRange = 3 // many small batches: many range-end headers to prune
		e := mirror.New(cfg, c.client, st)
		for i := 0; i < 6; i++ {
			c.blocks(1, 2, int64(i))
			c.blocks(5, 0, 0)
			mustSync(t, e)
		}
		ctx := context.Background()
		token := lower(c.addr)
		cp := verify(t, c, st)
		withTransfer := map[uint64]bool{}
		page, err := st.Transfers(ctx, registry.TransferFilter{ChainID: 1337, Token: token, Limit: registry.MaxTransferPage})
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range page.Transfers {
			withTransfer[tr.BlockNumber] = true
		}
		stored, err := st.BlocksBelow(ctx, 1337, token, cp.Number+1, 10000)
		if err != nil {
			t.Fatal(err)
		}
		within := 0
		for _, b := range stored {
			switch {
			case b.Number+depth > cp.Number:
				within++
			case !withTransfer[b.Number]:
				t.Errorf("block %d is %d below the head %d and holds no transfer, yet its header is stored", b.Number, cp.Number-b.Number, cp.Number)
			}
		}
		if within == 0 || len(stored) > len(withTransfer)+depth {
			t.Fatalf("%d headers stored (%d within the bound) for %d blocks with transfers", len(stored), within, len(withTransfer))
		}
		// A reorg within the bound is still followed.
		c.fork(c.headerAt(cp.Number - 2).Hash())
		c.ops(4, 2, 777, true)
		mustSync(t, e)
		verify(t, c, st)
	})
}
