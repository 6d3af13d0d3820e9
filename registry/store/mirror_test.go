package store_test

import (
	"context"
	"fmt"
	"math/big"
	"testing"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

const (
	mChain = int64(1337)
	mToken = "0x00000000000000000000000000000000000000aa"
	mAlice = "0x1111111111111111111111111111111111111111"
	mBob   = "0x2222222222222222222222222222222222222222"
	mCarol = "0x3333333333333333333333333333333333333333"
)

func hash(n uint64, fork string) string { return fmt.Sprintf("0x%062x%s", n, fork) }

// mirrorBatch builds a batch of blocks parent+1..head on the given fork, with
// one transfer per entry of moves (block, from, to, amount).
func mirrorBatch(parent *registry.ChainBlock, head uint64, fork string, moves ...move) registry.MirrorBatch {
	b := registry.MirrorBatch{ChainID: mChain, Token: mToken, Parent: parent,
		Head: registry.ChainBlock{Number: head, Hash: hash(head, fork), ParentHash: hash(head-1, fork)}}
	seen := map[uint64]bool{}
	for i, m := range moves {
		b.Transfers = append(b.Transfers, registry.Transfer{ChainID: mChain, Token: mToken, BlockNumber: m.block,
			BlockHash: hash(m.block, fork), TxHash: hash(uint64(i), "tx"), LogIndex: uint(i), From: m.from, To: m.to, Amount: m.amount})
		if !seen[m.block] {
			seen[m.block] = true
			b.Blocks = append(b.Blocks, registry.ChainBlock{Number: m.block, Hash: hash(m.block, fork)})
		}
	}
	b.Blocks = append(b.Blocks, b.Head)
	return b
}

type move struct {
	block    uint64
	from, to string
	amount   *big.Int
}

func balances(t *testing.T, st *storetest.Stores) (map[string]string, uint64) {
	t.Helper()
	h, err := st.Holders(context.Background(), mChain, mToken)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, w := range h.Wallets {
		out[w.Wallet] = w.Balance.String()
	}
	return out, h.AsOfBlock
}

func transferCount(t *testing.T, st *storetest.Stores) int {
	t.Helper()
	p, err := st.Transfers(context.Background(), registry.TransferFilter{ChainID: mChain, Token: mToken, Limit: registry.MaxTransferPage})
	if err != nil {
		t.Fatal(err)
	}
	return len(p.Transfers)
}

func TestMirrorApplyIsIdempotentAndExact(t *testing.T) {
	// Amounts near 2^255: their sum overflows int64 and float64 many times over,
	// so only exact uint256 arithmetic gives the right balances.
	huge := new(big.Int).Lsh(big.NewInt(1), 254)
	huge3 := new(big.Int).Mul(huge, big.NewInt(3))
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		ctx := context.Background()
		b1 := mirrorBatch(nil, 10, "a",
			move{5, registry.ZeroAddress, mAlice, huge3},
			move{5, mAlice, mBob, huge},
			move{7, mAlice, mBob, big.NewInt(1)})
		for i := 0; i < 2; i++ { // the replay is a no-op
			if err := st.Apply(ctx, b1); err != nil {
				t.Fatalf("apply #%d: %v", i, err)
			}
		}
		// A batch that re-delivers a stored log (same block hash and log index)
		// does not duplicate it.
		b2 := mirrorBatch(&b1.Head, 12, "a", move{11, mBob, mCarol, big.NewInt(5)})
		b2.Transfers = append(b2.Transfers, b2.Transfers[0])
		if err := st.Apply(ctx, b2); err != nil {
			t.Fatal(err)
		}
		if n := transferCount(t, st); n != 4 {
			t.Fatalf("transfers = %d, want 4", n)
		}
		got, asOf := balances(t, st)
		wantAlice := new(big.Int).Sub(new(big.Int).Sub(huge3, huge), big.NewInt(1))
		wantBob := new(big.Int).Sub(new(big.Int).Add(huge, big.NewInt(1)), big.NewInt(5))
		want := map[string]string{mAlice: wantAlice.String(), mBob: wantBob.String(), mCarol: "5"}
		if fmt.Sprint(got) != fmt.Sprint(want) || asOf != 12 {
			t.Fatalf("balances as of %d = %v, want %v as of 12", asOf, got, want)
		}

		// A batch continuing from a block that is not the checkpoint is refused,
		// and so is a first batch once one exists.
		for name, bad := range map[string]registry.MirrorBatch{
			"stale parent": mirrorBatch(&b1.Head, 13, "a"),
			"no parent":    mirrorBatch(nil, 20, "a"),
		} {
			if err := st.Apply(ctx, bad); registry.ErrorCode(err) != registry.ECONFLICT {
				t.Fatalf("%s: err = %v, want conflict", name, err)
			}
		}
		cp, ok, err := st.Checkpoint(ctx, mChain, mToken)
		if err != nil || !ok || cp.Number != 12 || cp.Hash != hash(12, "a") {
			t.Fatalf("checkpoint = %+v %v %v", cp, ok, err)
		}
	})
}

// failOn installs a trigger that aborts any change to table.
func failOn(t *testing.T, st *storetest.Stores, table, op string) func() {
	t.Helper()
	ctx := context.Background()
	name := "fail_" + table
	var stmts, drop []string
	if st.Dialect() == store.SQLite {
		stmts = []string{fmt.Sprintf(`CREATE TRIGGER %s BEFORE %s ON %s BEGIN SELECT RAISE(ABORT, 'injected failure'); END`, name, op, table)}
		drop = []string{`DROP TRIGGER ` + name}
	} else {
		stmts = []string{
			fmt.Sprintf(`CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`, name),
			fmt.Sprintf(`CREATE TRIGGER %s BEFORE %s ON %s FOR EACH ROW EXECUTE FUNCTION %s()`, name, op, table, name),
		}
		drop = []string{fmt.Sprintf(`DROP TRIGGER %s ON %s`, name, table), `DROP FUNCTION ` + name}
	}
	for _, s := range stmts {
		if err := st.ExecForTest(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	return func() {
		for _, s := range drop {
			if err := st.ExecForTest(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestMirrorRewindIsAtomic(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		ctx := context.Background()
		b1 := mirrorBatch(nil, 10, "a", move{3, registry.ZeroAddress, mAlice, big.NewInt(100)})
		b2 := mirrorBatch(&b1.Head, 20, "a",
			move{15, mAlice, mBob, big.NewInt(30)},
			move{18, mBob, mCarol, big.NewInt(10)})
		for _, b := range []registry.MirrorBatch{b1, b2} {
			if err := st.Apply(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		before, _ := balances(t, st)

		// A failure in the last step of a rewind (moving the checkpoint) leaves
		// every row, balance and the checkpoint as they were.
		restore := failOn(t, st, "mirror_checkpoints", "UPDATE")
		if err := st.Rewind(ctx, mChain, mToken, 16); err == nil {
			t.Fatal("rewind succeeded despite the injected failure")
		}
		restore()
		after, asOf := balances(t, st)
		if fmt.Sprint(after) != fmt.Sprint(before) || asOf != 20 || transferCount(t, st) != 3 {
			t.Fatalf("failed rewind changed state: %v as of %d, %d transfers", after, asOf, transferCount(t, st))
		}

		// The same for Apply: a failure at the checkpoint leaves no rows.
		b3 := mirrorBatch(&b2.Head, 25, "a", move{21, mAlice, mCarol, big.NewInt(1)})
		restore = failOn(t, st, "mirror_checkpoints", "UPDATE")
		if err := st.Apply(ctx, b3); err == nil {
			t.Fatal("apply succeeded despite the injected failure")
		}
		restore()
		if n := transferCount(t, st); n != 3 {
			t.Fatalf("failed apply left %d transfers, want 3", n)
		}

		// Rewinding to 16 drops block 18 only; the checkpoint moves to the
		// highest stored block at or below 16 (block 15).
		if err := st.Rewind(ctx, mChain, mToken, 16); err != nil {
			t.Fatal(err)
		}
		got, asOf := balances(t, st)
		want := map[string]string{mAlice: "70", mBob: "30"}
		if fmt.Sprint(got) != fmt.Sprint(want) || asOf != 15 {
			t.Fatalf("after rewind: %v as of %d, want %v as of 15", got, asOf, want)
		}
		if _, ok, _ := st.BlockHash(ctx, mChain, mToken, 18); ok {
			t.Fatal("block 18 survived the rewind")
		}
		// A new branch continues from the rewound checkpoint.
		cp, _, _ := st.Checkpoint(ctx, mChain, mToken)
		parent := registry.ChainBlock{Number: cp.Number, Hash: cp.Hash}
		if err := st.Apply(ctx, mirrorBatch(&parent, 21, "b", move{17, mBob, mAlice, big.NewInt(30)})); err != nil {
			t.Fatal(err)
		}
		if got, _ := balances(t, st); fmt.Sprint(got) != fmt.Sprint(map[string]string{mAlice: "100"}) {
			t.Fatalf("after the new branch: %v", got)
		}
		// Rewinding below every stored block starts the mirror over.
		if err := st.Rewind(ctx, mChain, mToken, 0); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := st.Checkpoint(ctx, mChain, mToken); ok || transferCount(t, st) != 0 {
			t.Fatal("rewind to 0 left a checkpoint or transfers")
		}
		if got, _ := balances(t, st); len(got) != 0 {
			t.Fatalf("rewind to 0 left balances %v", got)
		}
	})
}

func TestMirrorReads(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		ctx := context.Background()
		sel := newSeller(t, st, "7000012050002")
		// Alice's investor holds two wallets; carol's wallet is unknown to the registry.
		inv := &registry.Investor{CustomerRef: "A", PersonType: registry.PersonCorporation, ResidenceCountry: "JP",
			Wallets: []registry.Wallet{{Address: mAlice}, {Address: mBob}}}
		if err := st.CreateInvestor(asSeller(sel.ID), inv); err != nil {
			t.Fatal(err)
		}
		var moves []move
		moves = append(moves, move{1, registry.ZeroAddress, mAlice, big.NewInt(1000)})
		for i := uint64(0); i < 25; i++ {
			moves = append(moves, move{2 + i, mAlice, mCarol, big.NewInt(10)})
		}
		moves = append(moves, move{30, mAlice, mBob, big.NewInt(5)})
		if err := st.Apply(ctx, mirrorBatch(nil, 40, "a", moves...)); err != nil {
			t.Fatal(err)
		}

		// Keyset pagination visits every transfer once, in chain order.
		var all []registry.TransferRecord
		f := registry.TransferFilter{ChainID: mChain, Token: mToken, Limit: 7}
		for pages := 0; ; pages++ {
			p, err := st.Transfers(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if p.AsOfBlock != 40 {
				t.Fatalf("page as of %d, want 40", p.AsOfBlock)
			}
			all = append(all, p.Transfers...)
			if p.Next == nil {
				break
			}
			f.After = p.Next
		}
		if len(all) != 27 {
			t.Fatalf("paged %d transfers, want 27", len(all))
		}
		for i := 1; i < len(all); i++ {
			if all[i].BlockNumber < all[i-1].BlockNumber {
				t.Fatal("transfers out of order")
			}
		}

		from, to := uint64(2), uint64(6)
		cases := []struct {
			name string
			f    registry.TransferFilter
			want int
		}{
			{"wallet", registry.TransferFilter{Wallet: mBob}, 1},
			{"investor", registry.TransferFilter{InvestorID: &inv.ID}, 27},
			{"block range", registry.TransferFilter{FromBlock: &from, ToBlock: &to}, 5},
			{"wallet in range", registry.TransferFilter{Wallet: mCarol, FromBlock: &from, ToBlock: &to}, 5},
		}
		for _, c := range cases {
			c.f.ChainID, c.f.Token, c.f.Limit = mChain, mToken, registry.MaxTransferPage
			p, err := st.Transfers(ctx, c.f)
			if err != nil || len(p.Transfers) != c.want {
				t.Fatalf("%s: %d transfers, %v; want %d", c.name, len(p.Transfers), err, c.want)
			}
		}
		p, _ := st.Transfers(ctx, registry.TransferFilter{ChainID: mChain, Token: mToken, Wallet: mBob})
		if tr := p.Transfers[0]; tr.FromInvestorID == nil || *tr.FromInvestorID != inv.ID || tr.ToInvestorID == nil {
			t.Fatalf("investors of alice→bob: %v %v", tr.FromInvestorID, tr.ToInvestorID)
		}

		h, err := st.Holders(ctx, mChain, mToken)
		if err != nil {
			t.Fatal(err)
		}
		if h.HolderCount != 3 || h.InvestorCount != 2 || h.TotalSupply.Int64() != 1000 || len(h.Investors) != 1 ||
			h.Investors[0].Balance.Int64() != 750 || len(h.Investors[0].Wallets) != 2 {
			t.Fatalf("holders: %+v", h)
		}

		// The register at a record date replays transfers up to that block.
		reg, err := st.HolderRegister(ctx, mChain, mToken, 3)
		if err != nil {
			t.Fatal(err)
		}
		if reg.AsOfBlock != 3 || reg.HolderCount != 2 || reg.AsOfHash != hash(3, "a") {
			t.Fatalf("register at 3: %+v", reg)
		}
		for _, w := range reg.Wallets {
			if w.Wallet == mCarol && w.Balance.Int64() != 20 || w.Wallet == mAlice && w.Balance.Int64() != 980 {
				t.Fatalf("register at 3: %s holds %v", w.Wallet, w.Balance)
			}
		}
		if _, err := st.HolderRegister(ctx, mChain, mToken, 41); registry.ErrorCode(err) != registry.ECONFLICT {
			t.Fatalf("register above the checkpoint: %v", err)
		}
		// A token with nothing mirrored answers as of block 0.
		if h, err := st.Holders(ctx, mChain, "0x00000000000000000000000000000000000000bb"); err != nil || h.AsOfBlock != 0 || h.HolderCount != 0 {
			t.Fatalf("unknown token: %+v %v", h, err)
		}
	})
}

// TestMirrorKeyedByPosition covers migration 18: transfers stored under the
// old key survive it with their balances and checkpoint, the mirror continues
// on top, a log delivered twice is one row, and a batch naming two blocks at
// one height is refused whole.
func TestMirrorKeyedByPosition(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		ctx := context.Background()
		dsn := storetest.DSN(t, engine)
		old, err := store.OpenAtVersion(ctx, store.Config{DSN: dsn, Rules: eligibility.Rules{}}, 17)
		if err != nil {
			t.Fatal(err)
		}
		b1 := mirrorBatch(nil, 10, "a",
			move{3, registry.ZeroAddress, mAlice, big.NewInt(100)},
			move{3, mAlice, mBob, big.NewInt(30)},
			move{7, mBob, mCarol, big.NewInt(5)})
		if err := store.NewMirror(old).Apply(ctx, b1); err != nil {
			t.Fatal(err)
		}
		old.Close()

		st := openUpgraded(t, dsn)
		if n := transferCount(t, st); n != 3 {
			t.Fatalf("after the upgrade: %d transfers, want 3", n)
		}
		want := map[string]string{mAlice: "70", mBob: "25", mCarol: "5"}
		if got, at := balances(t, st); fmt.Sprint(got) != fmt.Sprint(want) || at != 10 {
			t.Fatalf("after the upgrade: balances %v at %d, want %v at 10", got, at, want)
		}

		// Continues on the checkpoint.
		b2 := mirrorBatch(&b1.Head, 12, "a", move{11, mAlice, mCarol, big.NewInt(1)})
		if err := st.Apply(ctx, b2); err != nil {
			t.Fatal(err)
		}
		if n := transferCount(t, st); n != 4 {
			t.Fatalf("after the upgrade and a batch: %d transfers, want 4", n)
		}

		// Two forks at one height in one batch: refused, nothing stored.
		b3 := mirrorBatch(&b2.Head, 14, "a", move{13, mAlice, mBob, big.NewInt(1)}, move{13, mAlice, mCarol, big.NewInt(1)})
		b3.Transfers[1].BlockHash = hash(13, "b")
		if err := st.Apply(ctx, b3); registry.ErrorCode(err) != registry.EINVALID {
			t.Fatalf("a batch with two blocks at height 13: %v, want %s", err, registry.EINVALID)
		}
		b4 := mirrorBatch(&b2.Head, 14, "a", move{13, mAlice, mBob, big.NewInt(1)})
		b4.Blocks = append(b4.Blocks, registry.ChainBlock{Number: 13, Hash: hash(13, "b")})
		if err := st.Apply(ctx, b4); registry.ErrorCode(err) != registry.EINVALID {
			t.Fatalf("a batch naming two headers at height 13: %v, want %s", err, registry.EINVALID)
		}
		if got, at := balances(t, st); at != 12 || got[mBob] != "25" {
			t.Fatalf("a refused batch changed the mirror: %v at %d", got, at)
		}
	})
}

// TestMirrorBatchWritesEveryAlertAndEvent: batches of an issuance's token
// larger than two insert chunks, every receiver ineligible, store each
// transfer and alert once (full chunks and the remainder alike), and a
// webhook event per transfer and per alert once someone subscribes: before
// that, no event is written. Applying a batch again writes nothing.
func TestMirrorBatchWritesEveryAlertAndEvent(t *testing.T) {
	const n = 1234
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		s := newScoped(t, engine)
		ctx := context.Background()
		batch := func(parent *registry.ChainBlock, first uint64, fork string) registry.MirrorBatch {
			b := registry.MirrorBatch{ChainID: mChain, Token: sTokenA, Parent: parent,
				Head: registry.ChainBlock{Number: first + 19, Hash: hash(first+19, fork)}}
			for i := range n {
				blk := first + uint64(i%20)
				b.Transfers = append(b.Transfers, registry.Transfer{BlockNumber: blk, BlockHash: hash(blk, fork),
					TxHash: hash(first*10000+uint64(i), "tx"), LogIndex: uint(i), From: registry.ZeroAddress,
					To: fmt.Sprintf("0x%040x", 0x7000+i), Amount: big.NewInt(int64(1 + i))})
			}
			return b
		}
		count := func(table string) int64 {
			t.Helper()
			c, err := s.a.CountForTest(ctx, table)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		events := count("webhook_events")
		b1 := batch(nil, 1, "a")
		if err := s.a.Apply(ctx, b1); err != nil {
			t.Fatal(err)
		}
		if got := count("webhook_events") - events; got != 0 {
			t.Fatalf("%d events written with no subscription to deliver them to", got)
		}
		subscribeAll(t, s.a.DB)
		b2 := batch(&b1.Head, 21, "a")
		for range 2 {
			if err := s.a.Apply(ctx, b2); err != nil {
				t.Fatal(err)
			}
			if got := count("mirror_transfers"); got != 2*n {
				t.Fatalf("%d transfers stored, want %d", got, 2*n)
			}
			if got := count("compliance_alerts"); got != 2*n {
				t.Fatalf("%d alerts, want %d (every receiver is ineligible)", got, 2*n)
			}
			if got := count("webhook_events") - events; got != 2*n {
				t.Fatalf("%d events, want %d: a transfer.mirrored and a compliance.alert per transfer of the second batch", got, 2*n)
			}
		}
	})
}
