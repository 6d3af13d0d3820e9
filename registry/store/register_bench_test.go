package store_test

import (
	"bufio"
	"context"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/store/storetest"
)

// countingWriter counts the bytes of an export.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// heapPeak samples the live heap every 2 ms until stopped and returns the
// highest sample.
func heapPeak() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

// BenchmarkRegisterExport exports the register of REGISTER_HOLDERS (default
// 100,000) investors, each with a wallet and sealed personal data (every name
// opened: the operator reads it), plus 1% wallets no investor owns, as CSV
// with the API's writer through the store's streaming read, on each engine.
// It reports the export's time, holders per second, the CSV's size, and the
// peak live heap during the export above the heap just before it. Run it with
// scripts/bench-register.sh.
func BenchmarkRegisterExport(b *testing.B) {
	n := 100_000
	if v := os.Getenv("REGISTER_HOLDERS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			r := newRecordsRig(b, engine)
			iss := &registry.Issuance{IssuerName: "I", TokenName: "T", TokenSymbol: "T", LegalForm: registry.FormShare,
				FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic}
			if err := r.st.CreateIssuance(asSeller(r.a.ID), iss); err != nil {
				b.Fatal(err)
			}
			at := time.Date(2026, 3, 31, 12, 0, 0, 0, registry.RecordDateZone)
			seeded := time.Now()
			if err := r.rec.SeedRegisterForTest(context.Background(), r.a.ID, n, mChain, mToken, at); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: seeded %d investors with sealed personal data and %d transfers in %s", engine, n, n+n/100, time.Since(seeded).Round(time.Millisecond))
			date := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
			q := registry.RegisterQuery{IssuanceID: iss.ID, MirrorKey: mChain, ChainID: mChain, Token: mToken, RecordDate: &date}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				runtime.GC()
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				stop := heapPeak()
				var out countingWriter
				buf := bufio.NewWriterSize(&out, 64<<10)
				csv := registry.NewRegisterCSV(buf, true)
				start := time.Now()
				if err := r.rec.Register(operator(), q, csv); err != nil {
					b.Fatal(err)
				}
				if err := buf.Flush(); err != nil {
					b.Fatal(err)
				}
				took := time.Since(start)
				peak := stop()
				above := float64(0)
				if peak > before.HeapAlloc {
					above = float64(peak-before.HeapAlloc) / (1 << 20)
				}
				b.ReportMetric(took.Seconds(), "s/export")
				b.ReportMetric(float64(n+n/100)/took.Seconds(), "holders/s")
				b.ReportMetric(float64(out.n)/(1<<20), "csv-MB")
				b.ReportMetric(above, "peak-heap-MB")
				b.Logf("%s: %d holders exported in %s (%.0f/s), %.1f MB of CSV, live heap peak %.1f MB above the %.1f MB before",
					engine, n+n/100, took.Round(time.Millisecond), float64(n+n/100)/took.Seconds(), float64(out.n)/(1<<20), above,
					float64(before.HeapAlloc)/(1<<20))
			}
		})
	}
}
