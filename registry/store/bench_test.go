package store_test

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// BenchmarkLookupsDuringIngest measures transfer checks on issuance A (each
// one authenticates its key first, as a request does) with 8 concurrent
// callers for a fixed time in three phases: idle; while the mirror ingests
// about 1,000 transfers/s of another issuance's token (B) through Apply on the
// same store, as the node's mirror does beside its API; and while it ingests
// A's own token at that rate. It reports
// look-ups/s in each phase and the ratios to idle. b.N is ignored: run it with
// -benchtime=1x. STONODE_BENCH_PHASE sets each phase's total length (default
// 5s), run as one-second rounds that alternate the three phases.
//
//	go test -run '^$' -bench LookupsDuringIngest -benchtime=1x ./registry/store/
func BenchmarkLookupsDuringIngest(b *testing.B) {
	phase := 5 * time.Second
	if v := os.Getenv("STONODE_BENCH_PHASE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatal(err)
		}
		phase = d
	}
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) { benchLookupsDuringIngest(b, engine, phase) })
	}
}

const (
	benchWallets   = 200
	batchEvery     = 100 * time.Millisecond
	batchTransfers = 100 // 1,000 transfers/s
)

func benchWallet(i int) string { return fmt.Sprintf("0x%040x", 0x1000+i) }

func benchLookupsDuringIngest(b *testing.B, engine store.Dialect, phase time.Duration) {
	s := newScoped(b, engine)
	ctx := context.Background()
	wallets := []string{sW1, sW2}
	for i := range benchWallets - 2 {
		inv := s.investor(fmt.Sprintf("b%d", i), benchWallet(i))
		for _, iss := range []*registry.Issuance{s.issA, s.issB} {
			if _, err := s.a.Approve(s.sc, iss.ID, inv.ID, registry.Approval{}); err != nil {
				b.Fatal(err)
			}
		}
		wallets = append(wallets, benchWallet(i))
	}
	// Every wallet holds both tokens, so transfers between them are real moves.
	heads := map[string]*registry.ChainBlock{}
	for _, token := range []string{sTokenA, sTokenB} {
		batch := registry.MirrorBatch{ChainID: mChain, Token: token, Head: registry.ChainBlock{Number: 1, Hash: hash(1, token[len(token)-2:])}}
		batch.Blocks = []registry.ChainBlock{batch.Head}
		for i, w := range wallets {
			batch.Transfers = append(batch.Transfers, registry.Transfer{BlockNumber: 1, BlockHash: batch.Head.Hash,
				TxHash: hash(uint64(i), "mint"), LogIndex: uint(i), From: registry.ZeroAddress, To: w, Amount: big.NewInt(1_000_000)})
		}
		if err := s.a.Apply(ctx, batch); err != nil {
			b.Fatal(err)
		}
		heads[token] = &batch.Head
	}
	k, err := s.a.CreateKey(operator(), registry.RoleSeller, &s.sel.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}

	var failed atomic.Value
	lookups := func(d time.Duration) float64 {
		var n atomic.Int64
		var wg sync.WaitGroup
		stop := time.Now().Add(d)
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := g; time.Now().Before(stop); i += 8 {
					p, err := s.a.Authenticate(ctx, k.Secret)
					if err != nil {
						failed.Store(err)
						return
					}
					c := registry.TransferCheck{From: wallets[i%len(wallets)], To: wallets[(i+1)%len(wallets)], Amount: big.NewInt(1)}
					res, err := s.a.CheckTransfer(registry.WithPrincipal(ctx, p), s.issA.ID, c, t0)
					if err != nil {
						failed.Store(err)
						return
					}
					if !res.Decision.Allowed {
						failed.Store(fmt.Errorf("look-up refused: %v", res.Decision.Primary()))
						return
					}
					n.Add(1)
				}
			}()
		}
		wg.Wait()
		if err, _ := failed.Load().(error); err != nil {
			b.Fatal(err)
		}
		return float64(n.Load()) / d.Seconds()
	}
	// ingest applies batches of real transfers between holders of token at a
	// fixed rate until stop closes; it returns the transfers/s it achieved.
	ingest := func(token string, stop <-chan struct{}) func() float64 {
		done := make(chan float64)
		go func() {
			start, moved := time.Now(), 0
			tick := time.NewTicker(batchEvery)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					done <- float64(moved) / time.Since(start).Seconds()
					return
				case <-tick.C:
				}
				parent := heads[token]
				n := parent.Number + 1
				batch := registry.MirrorBatch{ChainID: mChain, Token: token, Parent: parent,
					Head: registry.ChainBlock{Number: n, Hash: hash(n, token[len(token)-2:]), ParentHash: parent.Hash}}
				batch.Blocks = []registry.ChainBlock{batch.Head}
				for i := range batchTransfers {
					from, to := wallets[(int(n)*7+i)%len(wallets)], wallets[(int(n)*13+i*3+1)%len(wallets)]
					batch.Transfers = append(batch.Transfers, registry.Transfer{BlockNumber: n, BlockHash: batch.Head.Hash,
						TxHash: hash(n*1000+uint64(i), "tx"), LogIndex: uint(i), From: from, To: to, Amount: big.NewInt(1)})
				}
				if err := s.a.Apply(ctx, batch); err != nil {
					failed.Store(err)
					done <- 0
					return
				}
				heads[token] = &batch.Head
				moved += batchTransfers
			}
		}()
		return func() float64 { return <-done }
	}
	during := func(token string, d time.Duration) (lookupsPerS, transfersPerS float64) {
		stop := make(chan struct{})
		rate := ingest(token, stop)
		time.Sleep(batchEvery) // the first batch is in
		lookupsPerS = lookups(d)
		close(stop)
		return lookupsPerS, rate()
	}
	// ingestCPU is this process's CPU time per second of ingesting alone: the
	// share of the machine look-ups lose to the mirror however well cached.
	ingestCPU := func(d time.Duration) time.Duration {
		stop := make(chan struct{})
		rate := ingest(sTokenB, stop)
		before := processCPU()
		time.Sleep(d)
		used := processCPU() - before
		close(stop)
		rate()
		return time.Duration(float64(used) / d.Seconds())
	}

	// The phases alternate in rounds of a second each, so load from other
	// processes on the machine weighs on all three alike.
	lookups(time.Second) // warm the cache and the connections
	b.ResetTimer()
	var idle, other, otherRate, same, sameRate float64
	var mirrorCPU time.Duration
	var otherRatios, sameRatios []float64 // each round's, to its own idle second
	rounds := max(1, int(phase/time.Second))
	for range rounds {
		mirrorCPU += ingestCPU(time.Second) / time.Duration(rounds)
		i := lookups(time.Second)
		idle += i / float64(rounds)
		l, r := during(sTokenB, time.Second)
		other, otherRate = other+l/float64(rounds), otherRate+r/float64(rounds)
		otherRatios = append(otherRatios, l/i)
		l, r = during(sTokenA, time.Second)
		same, sameRate = same+l/float64(rounds), sameRate+r/float64(rounds)
		sameRatios = append(sameRatios, l/i)
	}
	b.StopTimer()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	facts, holdings := s.a.CacheLoadsForTest()
	b.ReportMetric(idle, "idle-lookups/s")
	b.ReportMetric(other, "other-token-lookups/s")
	b.ReportMetric(same, "same-token-lookups/s")
	b.ReportMetric(other/idle, "other/idle")
	b.ReportMetric(same/idle, "same/idle")
	b.ReportMetric(median(otherRatios), "other/idle-median-round")
	b.ReportMetric(median(sameRatios), "same/idle-median-round")
	fmt.Printf("%s: look-ups/s idle %.0f | ingesting B at %.0f transfers/s: %.0f (%.2fx) | ingesting A at %.0f transfers/s: %.0f (%.2fx) | A's facts read %d times, holdings %d | ingest alone uses %v CPU per second in this process (of %d CPUs)\n",
		engine, idle, otherRate, other, other/idle, sameRate, same, same/idle, facts, holdings, mirrorCPU.Round(time.Millisecond), runtime.NumCPU())
	// On a machine shared with other work, a burst of it in one second skews
	// the totals; the median of the rounds' ratios (each to the idle second
	// just before it) is the figure such bursts move least.
	fmt.Printf("%s: per-round ratios to the round's idle second, median (min–max): ingesting B %.2fx (%.2f–%.2f) | ingesting A %.2fx (%.2f–%.2f) over %d rounds\n",
		engine, median(otherRatios), slices.Min(otherRatios), slices.Max(otherRatios),
		median(sameRatios), slices.Min(sameRatios), slices.Max(sameRatios), rounds)
}

// median returns the middle of xs (the mean of the two middle ones for an
// even count).
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// processCPU returns the user and system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
