package store_test

import (
	"context"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/store/storetest"
)

// BenchmarkMirrorApply times the mirror's write path alone: Apply of backfill
// batches shaped like scripts/bench-mirror.sh's (100 blocks of 100 transfers
// from 100 senders to 1,000 receivers), each on top of the last, on both
// engines. It reports µs per transfer; the bench script sets it beside the
// RPC it is read from.
//
//	go test -run '^$' -bench MirrorApply -benchtime=20x ./registry/store/
func BenchmarkMirrorApply(b *testing.B) {
	const (
		blocksPerBatch    = 100
		transfersPerBlock = 100
		receivers         = 1000
	)
	token := "0x00000000000000000000000000000000000000be"
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			s := storetest.Open(b, engine, time.Now)
			ctx := context.Background()
			var parent *registry.ChainBlock
			next := uint64(1)
			batch := func() registry.MirrorBatch {
				bt := registry.MirrorBatch{ChainID: mChain, Token: token, Parent: parent}
				for range blocksPerBatch {
					blk := registry.ChainBlock{Number: next, Hash: hash(next, "be")}
					if parent != nil || next > 1 {
						blk.ParentHash = hash(next-1, "be")
					}
					bt.Blocks = append(bt.Blocks, blk)
					for i := range transfersPerBlock {
						from := registry.ZeroAddress
						if next > 1 {
							from = fmt.Sprintf("0x%040x", 0x5000+i)
						}
						bt.Transfers = append(bt.Transfers, registry.Transfer{BlockNumber: next, BlockHash: blk.Hash,
							TxHash: hash(next*1000+uint64(i), "tx"), LogIndex: uint(i), From: from,
							To: fmt.Sprintf("0x%040x", 0x9000+(int(next)*transfersPerBlock+i)%receivers), Amount: big.NewInt(1)})
					}
					bt.Head = blk
					next++
				}
				return bt
			}
			// Senders hold enough for every later batch.
			mint := batch()
			for i := range mint.Transfers[:transfersPerBlock] {
				mint.Transfers[i].To = fmt.Sprintf("0x%040x", 0x5000+i)
				mint.Transfers[i].Amount = big.NewInt(1 << 40)
			}
			if err := s.Apply(ctx, mint); err != nil {
				b.Fatal(err)
			}
			parent = &mint.Head
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				bt := batch()
				b.StartTimer()
				if err := s.Apply(ctx, bt); err != nil {
					b.Fatal(err)
				}
				parent = &bt.Head
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*blocksPerBatch*transfersPerBlock), "µs/transfer")
		})
	}
}
