package mirror_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain/mirror"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// logChain is a synthetic chain of consistent headers whose blocks carry many
// Transfer logs each: enough rows per batch to cross the store's statement
// chunking, which a simulated chain would take long to mine.
type logChain struct {
	token   common.Address
	headers []*types.Header
	logs    map[uint64][]types.Log
}

func newLogChain(blocks, perBlock, wallets int, seed uint64) *logChain {
	c := &logChain{token: common.HexToAddress("0x00000000000000000000000000000000000cafe1"), logs: map[uint64][]types.Log{}}
	rng := rand.New(rand.NewPCG(seed, 7))
	wallet := func(i int) common.Address { return common.BigToAddress(big.NewInt(int64(0x1000 + i))) }
	minted := map[int]bool{}
	c.headers = append(c.headers, &types.Header{Number: new(big.Int), Difficulty: new(big.Int), Time: 1_700_000_000})
	for n := 1; n <= blocks; n++ {
		h := &types.Header{Number: big.NewInt(int64(n)), ParentHash: c.headers[n-1].Hash(), Difficulty: new(big.Int),
			Time: 1_700_000_000 + uint64(n)*12}
		c.headers = append(c.headers, h)
		for i := 0; i < perBlock; i++ {
			from, to := rng.IntN(wallets), rng.IntN(wallets)
			fromAddr := wallet(from)
			amount := big.NewInt(1 + rng.Int64N(5))
			if !minted[from] { // every wallet is minted a float before it first sends
				minted[from] = true
				fromAddr, to, amount = common.Address{}, from, big.NewInt(1_000_000)
			}
			c.logs[uint64(n)] = append(c.logs[uint64(n)], types.Log{Address: c.token,
				Topics:      []common.Hash{mirror.TransferTopic, common.BytesToHash(fromAddr.Bytes()), common.BytesToHash(wallet(to).Bytes())},
				Data:        common.LeftPadBytes(amount.Bytes(), 32),
				BlockNumber: uint64(n), BlockHash: h.Hash(), BlockTimestamp: h.Time, Index: uint(i),
				TxHash: common.BigToHash(big.NewInt(int64(n*perBlock + i)))})
		}
	}
	return c
}

func (c *logChain) head() uint64 { return uint64(len(c.headers) - 1) }

func (c *logChain) BlockNumber(context.Context) (uint64, error) { return c.head(), nil }

func (c *logChain) HeaderByNumber(_ context.Context, n *big.Int) (*types.Header, error) {
	if n == nil || n.Uint64() > c.head() {
		return nil, ethereum.NotFound
	}
	return c.headers[n.Uint64()], nil
}

// FilterLogs answers a block range, delivering each range's first log twice,
// as a provider may: the mirror must store it once.
func (c *logChain) FilterLogs(_ context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	if q.BlockHash != nil {
		for n, h := range c.headers {
			if h.Hash() == *q.BlockHash {
				return append([]types.Log(nil), c.logs[uint64(n)]...), nil
			}
		}
		return nil, nil
	}
	var out []types.Log
	for n := q.FromBlock.Uint64(); n <= q.ToBlock.Uint64() && n <= c.head(); n++ {
		out = append(out, c.logs[n]...)
	}
	if len(out) > 0 {
		out = append(out, out[0])
	}
	return out, nil
}

// TestLargeBatches backfills ranges of thousands of transfers (more rows per
// batch than one INSERT statement carries, with a log delivered twice) and
// checks every row and balance against the logs.
func TestLargeBatches(t *testing.T) {
	c := newLogChain(5, 700, 300, 1)
	want := map[string]*big.Int{}
	rows := map[string]bool{}
	for n := uint64(1); n <= c.head(); n++ {
		for _, l := range c.logs[n] {
			rows[fmt.Sprintf("%s/%d", l.BlockHash.Hex(), l.Index)] = true
			amount := new(big.Int).SetBytes(l.Data)
			for _, side := range []struct {
				topic common.Hash
				sign  int64
			}{{l.Topics[1], -1}, {l.Topics[2], 1}} {
				w, sign := lower(common.BytesToAddress(side.topic.Bytes())), side.sign
				if w == registry.ZeroAddress {
					continue
				}
				if want[w] == nil {
					want[w] = new(big.Int)
				}
				want[w].Add(want[w], new(big.Int).Mul(amount, big.NewInt(sign)))
			}
		}
	}
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		ctx := context.Background()
		// Ranges of 2 blocks: batches of 1,400 rows and a last one of 700.
		e := mirror.New(mirror.Config{ChainID: 1337, Token: c.token, StartBlock: 1, MaxRange: 2}, c, st)
		mustSync(t, e)
		if s := e.Stats(); s.Indexed != c.head() || s.Batches != 3 {
			t.Fatalf("stats %+v, want 3 batches up to %d", s, c.head())
		}
		token := lower(c.token)
		got := map[string]bool{}
		f := registry.TransferFilter{ChainID: 1337, Token: token, Limit: registry.MaxTransferPage}
		for {
			p, err := st.Transfers(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, tr := range p.Transfers {
				k := fmt.Sprintf("%s/%d", tr.BlockHash, tr.LogIndex)
				if got[k] || !rows[k] {
					t.Fatalf("transfer row %s is a duplicate or not a log", k)
				}
				got[k] = true
			}
			if p.Next == nil {
				break
			}
			f.After = p.Next
		}
		if len(got) != len(rows) {
			t.Fatalf("mirrored %d transfers, the logs have %d", len(got), len(rows))
		}
		h, err := st.Holders(ctx, 1337, token)
		if err != nil {
			t.Fatal(err)
		}
		holders := 0
		for _, v := range want {
			if v.Sign() > 0 {
				holders++
			}
		}
		if h.HolderCount != holders || len(h.Wallets) != holders {
			t.Fatalf("%d holders (%d listed), want %d", h.HolderCount, len(h.Wallets), holders)
		}
		for _, w := range h.Wallets {
			if want[w.Wallet] == nil || w.Balance.Cmp(want[w.Wallet]) != 0 {
				t.Fatalf("wallet %s: mirrored %v, logs sum to %v", w.Wallet, w.Balance, want[w.Wallet])
			}
		}
	})
}

// TestBalancesToZeroAndDrift follows explicit transfers in one-block batches:
// a wallet that sends all it holds has no balance row, and a wallet whose
// stored balance was tampered with (its row deleted) is recomputed from the
// raw rows as soon as a batch would take it below zero.
func TestBalancesToZeroAndDrift(t *testing.T) {
	a, b, c := common.HexToAddress("0xa1"), common.HexToAddress("0xb2"), common.HexToAddress("0xc3")
	moves := [][]struct {
		from, to common.Address
		amount   int64
	}{
		{{common.Address{}, a, 100}, {common.Address{}, b, 50}},
		{{a, b, 100}}, // a holds nothing now
		{{b, c, 10}},  // b's row is gone by then: 0 − 10 is drift
	}
	lc := newLogChain(0, 0, 1, 1)
	for i, block := range moves {
		n := uint64(i + 1)
		h := &types.Header{Number: new(big.Int).SetUint64(n), ParentHash: lc.headers[n-1].Hash(), Difficulty: new(big.Int), Time: 1_700_000_000 + n}
		lc.headers = append(lc.headers, h)
		for j, m := range block {
			lc.logs[n] = append(lc.logs[n], types.Log{Address: lc.token,
				Topics:      []common.Hash{mirror.TransferTopic, common.BytesToHash(m.from.Bytes()), common.BytesToHash(m.to.Bytes())},
				Data:        common.LeftPadBytes(big.NewInt(m.amount).Bytes(), 32),
				BlockNumber: n, BlockHash: h.Hash(), BlockTimestamp: h.Time, Index: uint(j), TxHash: common.BigToHash(big.NewInt(int64(10*n) + int64(j)))})
		}
	}
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		dsn := storetest.DSN(t, engine)
		ctx := context.Background()
		st, err := storetest.OpenConfig(ctx, store.Config{DSN: dsn, Rules: eligibility.Rules{}})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		token := lower(lc.token)
		cfg := mirror.Config{ChainID: 1337, Token: lc.token, StartBlock: 1, MaxRange: 1}
		holders := func() map[string]string {
			h, err := st.Holders(ctx, 1337, token)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for _, w := range h.Wallets {
				out[w.Wallet] = w.Balance.String()
			}
			return out
		}
		two := &logChain{token: lc.token, headers: lc.headers[:3], logs: lc.logs}
		mustSync(t, mirror.New(cfg, two, st))
		if got, want := holders(), map[string]string{lower(b): "150"}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("after block 2: holders %v, want %v", got, want)
		}
		driver := "pgx"
		if engine == store.SQLite {
			driver = "sqlite3"
		}
		raw, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		q := `DELETE FROM mirror_balances WHERE wallet = $1`
		if engine == store.SQLite {
			q = `DELETE FROM mirror_balances WHERE wallet = ?`
		}
		if _, err := raw.ExecContext(ctx, q, lower(b)); err != nil {
			t.Fatal(err)
		}
		mustSync(t, mirror.New(cfg, lc, st))
		if got, want := holders(), map[string]string{lower(b): "140", lower(c): "10"}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("after block 3: holders %v, want %v", got, want)
		}
	})
}
