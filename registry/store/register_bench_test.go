package store_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stonode/stonode/api"
	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/store"
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
// peak live heap during the export above the heap just before it; then it
// logs the same for the download from the API over loopback HTTP. Run it with
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
			url, secret := registerServer(b, r, iss.ID)
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
				exportOverHTTP(b, url, secret, engine, iss.ID, n+n/100)
			}
		})
	}
}

// registerServer serves the API over loopback HTTP with the issuance's token
// attached (the register route reads it from the issuance) and returns its
// URL and an operator key.
func registerServer(b *testing.B, r *recordsRig, issuance int64) (url, secret string) {
	b.Helper()
	k, err := r.st.CreateKey(operator(), registry.RoleOperator, nil, "bench")
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(api.New(r.st, api.Options{Mirror: r.st, Records: r.rec}))
	b.Cleanup(srv.Close)
	if _, err := r.st.TransitionIssuance(asSeller(r.a.ID), issuance, registry.IssuanceRegistered, ""); err != nil {
		b.Fatal(err)
	}
	if _, err := r.st.RecordDeployment(asSeller(r.a.ID), issuance, registry.Deployment{ChainID: mChain, TokenAddress: mToken,
		RegistryAddress: "0x00000000000000000000000000000000000000bb", Block: 1}); err != nil {
		b.Fatal(err)
	}
	return srv.URL, k.Secret
}

// exportOverHTTP downloads the same register as CSV from the API, as a
// client would, and logs the time and the process's peak live heap (client
// and server share the process; the client only counts bytes).
func exportOverHTTP(b *testing.B, url, secret string, engine store.Dialect, issuance int64, holders int) {
	b.Helper()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := heapPeak()
	start := time.Now()
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/v1/issuances/%d/holders/register?recordDate=2026-03-31&format=csv", url, issuance), nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		b.Fatalf("GET register: %d, %v", resp.StatusCode, err)
	}
	took := time.Since(start)
	peak := stop()
	above := float64(0)
	if peak > before.HeapAlloc {
		above = float64(peak-before.HeapAlloc) / (1 << 20)
	}
	b.Logf("%s over HTTP: %d holders in %s (%.0f/s), %.1f MB of CSV, live heap peak %.1f MB above the %.1f MB before",
		engine, holders, took.Round(time.Millisecond), float64(holders)/took.Seconds(), float64(n)/(1<<20), above, float64(before.HeapAlloc)/(1<<20))
}
