package store_test

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// TestSQLiteWALIsCheckpointedInTheBackground: a mirror batch large enough to
// pass SQLite's default checkpoint threshold many times over commits without
// copying the WAL into the database file itself (the writer's threshold is a
// backstop far above it); the store's checkpointer copies it within seconds,
// with no further write, and the data reads back from a fresh open.
func TestSQLiteWALIsCheckpointedInTheBackground(t *testing.T) {
	ctx := context.Background()
	path := storetest.DSN(t, store.SQLite)
	st, err := storetest.OpenConfig(ctx, store.Config{DSN: path, Rules: eligibility.Rules{}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	size := func(p string) int64 {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size(path)
	b := registry.MirrorBatch{ChainID: mChain, Token: mToken, Head: registry.ChainBlock{Number: 200, Hash: hash(200, "a")}}
	for n := uint64(1); n <= 200; n++ {
		for i := range 100 {
			b.Transfers = append(b.Transfers, registry.Transfer{BlockNumber: n, BlockHash: hash(n, "a"),
				TxHash: hash(n*1000+uint64(i), "tx"), LogIndex: uint(i), From: registry.ZeroAddress,
				To: fmt.Sprintf("0x%040x", 0x9000+i*7+int(n)), Amount: big.NewInt(1)})
		}
	}
	if err := st.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	if wal := size(path + "-wal"); wal < 4<<20 {
		t.Fatalf("the batch wrote %d bytes of WAL; the test needs more than SQLite's default 1,000 pages", wal)
	}
	deadline := time.Now().Add(10 * time.Second)
	for size(path) < before+(4<<20) {
		if time.Now().After(deadline) {
			t.Fatalf("the database file is still %d bytes (was %d) 10 s after the commit: nothing checkpointed the WAL", size(path), before)
		}
		time.Sleep(50 * time.Millisecond)
	}
	st.Close()
	again, err := storetest.OpenConfig(ctx, store.Config{DSN: path, Rules: eligibility.Rules{}})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if n := transferCount(t, again); n != registry.MaxTransferPage && n != len(b.Transfers) {
		t.Fatalf("after a reopen: %d transfers in the first page", n)
	}
}
