package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Stats summarises one phase.
type Stats struct {
	Requests     int     `json:"requests"`
	Errors       int     `json:"errors"`
	Seconds      float64 `json:"seconds"`
	RPS          float64 `json:"rps"`
	P50ms        float64 `json:"p50Ms"`
	P90ms        float64 `json:"p90Ms"`
	P99ms        float64 `json:"p99Ms"`
	P999ms       float64 `json:"p999Ms"`
	MaxMs        float64 `json:"maxMs"`
	FirstErr     string  `json:"firstError,omitempty"`
	SendLagP99ms float64 `json:"sendLagP99Ms,omitempty"` // open loop: how late the generator sent
	// CPU time over the measured window (Linux /proc), in CPU-µs per successful request
	// and in cores busy; server figures need --server-pid.
	ServerCPUus    float64 `json:"serverCpuUsPerReq,omitempty"`
	ServerCores    float64 `json:"serverCores,omitempty"`
	GeneratorCores float64 `json:"generatorCores,omitempty"`
}

// Result is what run writes with --out.
type Result struct {
	Label       string `json:"label"`
	URL         string `json:"url"`
	Concurrency int    `json:"concurrency"`
	Duration    string `json:"duration"`
	Warmup      string `json:"warmup"`
	Rate        int    `json:"rate"`
	RateFor     string `json:"rateDuration"`
	Addresses   int    `json:"addresses"`
	Closed      *Stats `json:"closedLoop,omitempty"`
	Open        *Stats `json:"openLoop,omitempty"`
}

type target struct {
	client *http.Client
	urls   []*url.URL
	header http.Header
	expect []byte
	status int
	pid    int // server process for CPU accounting; 0: none
}

// do sends one GET and checks the answer: HTTP 200 and, if set, the expected
// substring in the body. It returns nil on success.
func (t *target) do(u *url.URL, buf *bytes.Buffer) error {
	req := &http.Request{Method: http.MethodGet, URL: u, Host: u.Host, Header: t.header,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	resp, err := t.client.Do(req)
	if err != nil {
		return err
	}
	buf.Reset()
	_, err = io.Copy(buf, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != t.status {
		return fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, buf.String())
	}
	if len(t.expect) > 0 && !bytes.Contains(buf.Bytes(), t.expect) {
		return fmt.Errorf("body lacks %s: %.200s", t.expect, buf.String())
	}
	return nil
}

func runCmd(args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	base := fs.String("url", "", "target base URL, loopback only, e.g. http://127.0.0.1:18080")
	tpl := fs.String("path-template", "/v1/issuances/1/eligibility/{address}", "request path; {address} is replaced by each address in turn")
	key := fs.String("key", "", "API key sent as Authorization: Bearer (empty: no header)")
	addrFile := fs.String("addresses", "", "file of addresses, one a line")
	expect := fs.String("expect", `"allowed":true`, "substring every 200 body must contain (empty: status only)")
	label := fs.String("label", "", "name of the target in the output")
	conc := fs.Int("concurrency", 32, "closed loop: concurrent workers (1..1024)")
	dur := fs.Duration("duration", 10*time.Second, "closed loop: measured duration (≤ 10m)")
	warm := fs.Duration("warmup", 2*time.Second, "closed loop: warm-up before measuring (≤ 1m)")
	rate := fs.Int("rate", 1000, "open loop: requests per second (0 skips the phase; ≤ 100000)")
	rateDur := fs.Duration("rate-duration", 10*time.Second, "open loop: duration (≤ 10m)")
	pool := fs.Int("open-workers", 256, "open loop: most requests in flight (1..4096)")
	timeout := fs.Duration("timeout", 5*time.Second, "per-request timeout")
	out := fs.String("out", "", "also write the results as JSON to this file")
	closedOnly := fs.Bool("closed-only", false, "skip the open-loop phase")
	status := fs.Int("status", http.StatusOK, "HTTP status every response must have")
	pid := fs.Int("server-pid", 0, "server process id: report its CPU time per request (Linux)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case *conc < 1 || *conc > 1024:
		return errors.New("--concurrency must be 1..1024")
	case *dur <= 0 || *dur > 10*time.Minute, *warm < 0 || *warm > time.Minute:
		return errors.New("--duration must be in (0, 10m] and --warmup in [0, 1m]")
	case *rate < 0 || *rate > 100000, *rateDur <= 0 || *rateDur > 10*time.Minute:
		return errors.New("--rate must be 0..100000 and --rate-duration in (0, 10m]")
	case *pool < 1 || *pool > 4096:
		return errors.New("--open-workers must be 1..4096")
	case !strings.Contains(*tpl, "{address}"):
		return errors.New("--path-template must contain {address}")
	}
	u, err := loopbackURL(*base)
	if err != nil {
		return err
	}
	addrs, err := readLines(*addrFile)
	if err != nil {
		return err
	}
	if len(addrs) == 0 {
		return errors.New("--addresses: no addresses")
	}
	t := &target{header: http.Header{}, expect: []byte(*expect), status: *status, pid: *pid}
	if *key != "" {
		t.header.Set("Authorization", "Bearer "+*key)
	}
	t.header.Set("Accept", "application/json")
	for _, a := range addrs {
		p, err := url.Parse(strings.TrimRight(u.String(), "/") + strings.ReplaceAll(*tpl, "{address}", a))
		if err != nil {
			return err
		}
		t.urls = append(t.urls, p)
	}
	idle := max(*conc, *pool)
	t.client = &http.Client{Timeout: *timeout, Transport: &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        idle * 2,
		MaxIdleConnsPerHost: idle,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}}
	if *label == "" {
		*label = u.Host
	}
	// Fail fast if the target does not answer as expected.
	var probe bytes.Buffer
	if err := t.do(t.urls[0], &probe); err != nil {
		return fmt.Errorf("probe %s: %w", t.urls[0], err)
	}

	res := Result{Label: *label, URL: u.String() + *tpl, Concurrency: *conc, Duration: dur.String(),
		Warmup: warm.String(), Rate: *rate, RateFor: rateDur.String(), Addresses: len(addrs)}
	res.Closed = closedLoop(t, *conc, *warm, *dur)
	fmt.Printf("%-8s closed loop  c=%d %s: %8.0f req/s  p50 %6.3f ms  p99 %6.3f ms  max %7.3f ms  requests %d  errors %d%s%s\n",
		*label, *conc, dur, res.Closed.RPS, res.Closed.P50ms, res.Closed.P99ms, res.Closed.MaxMs,
		res.Closed.Requests, res.Closed.Errors, cpuSuffix(res.Closed), errSuffix(res.Closed))
	if *rate > 0 && !*closedOnly {
		res.Open = openLoop(t, *rate, *rateDur, *pool)
		fmt.Printf("%-8s open loop   %d req/s %s: achieved %7.1f req/s  p50 %6.3f ms  p99 %6.3f ms  max %7.3f ms  requests %d  errors %d  (send lag p99 %.3f ms)%s%s\n",
			*label, *rate, rateDur, res.Open.RPS, res.Open.P50ms, res.Open.P99ms, res.Open.MaxMs,
			res.Open.Requests, res.Open.Errors, res.Open.SendLagP99ms, cpuSuffix(res.Open), errSuffix(res.Open))
	}
	if *out != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		if err := os.WriteFile(*out, append(b, '\n'), 0o600); err != nil {
			return err
		}
	}
	return nil
}

func cpuSuffix(s *Stats) string {
	out := ""
	if s.ServerCores > 0 {
		out += fmt.Sprintf("  server %.2f cores, %.0f CPU-µs/req", s.ServerCores, s.ServerCPUus)
	}
	if s.GeneratorCores > 0 {
		out += fmt.Sprintf("  generator %.2f cores", s.GeneratorCores)
	}
	return out
}

func errSuffix(s *Stats) string {
	if s.FirstErr == "" {
		return ""
	}
	return "  first error: " + s.FirstErr
}

func readLines(path string) ([]string, error) {
	if path == "" {
		return nil, errors.New("--addresses is required")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" && !strings.HasPrefix(s, "#") {
			out = append(out, s)
		}
	}
	return out, sc.Err()
}

// errorLog keeps a count and the first message.
type errorLog struct {
	mu    sync.Mutex
	n     int
	first string
}

func (e *errorLog) add(err error) {
	e.mu.Lock()
	if e.n == 0 {
		e.first = err.Error()
	}
	e.n++
	e.mu.Unlock()
}

// closedLoop runs c workers back to back for warm+dur; only requests started
// after the warm-up count.
func closedLoop(t *target, c int, warm, dur time.Duration) *Stats {
	start := time.Now()
	measureFrom := start.Add(warm)
	end := measureFrom.Add(dur)
	var errs errorLog
	lats := make([][]time.Duration, c)
	cpu0 := make(chan cpuMark, 1) // taken when the warm-up ends
	time.AfterFunc(warm, func() { cpu0 <- markCPU(t.pid) })
	var next atomic.Uint64
	var wg sync.WaitGroup
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var buf bytes.Buffer
			local := make([]time.Duration, 0, 1<<15)
			for {
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				u := t.urls[next.Add(1)%uint64(len(t.urls))]
				err := t.do(u, &buf)
				if t0.Before(measureFrom) {
					continue
				}
				if err != nil {
					errs.add(err)
					continue
				}
				local = append(local, time.Since(t0))
			}
			lats[w] = local
		}(w)
	}
	wg.Wait()
	cpu1 := markCPU(t.pid)
	from := <-cpu0
	var all []time.Duration
	for _, l := range lats {
		all = append(all, l...)
	}
	s := summarise(all, &errs, dur)
	cpu1.fill(from, s, len(all))
	return s
}

// openLoop sends rate requests per second for dur on a fixed schedule. Latency is
// measured from each request's scheduled send time, so a stalled server's queue
// shows up in the figures (no coordinated omission). At most pool requests are in
// flight; beyond that requests wait, and the wait counts.
func openLoop(t *target, rate int, dur time.Duration, pool int) *Stats {
	total := int(int64(rate) * int64(dur) / int64(time.Second))
	interval := time.Second / time.Duration(rate)
	sched := make(chan time.Time, total)
	var errs errorLog
	lats := make([][]time.Duration, pool)
	lags := make([][]time.Duration, pool)
	var lastDone atomic.Int64
	var wg sync.WaitGroup
	start := time.Now().Add(20 * time.Millisecond)
	cpu0 := markCPU(t.pid)
	for w := 0; w < pool; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var buf bytes.Buffer
			var l, g []time.Duration
			var n uint64 = uint64(w)
			for at := range sched {
				g = append(g, time.Since(at))
				u := t.urls[n%uint64(len(t.urls))]
				n += uint64(pool)
				err := t.do(u, &buf)
				done := time.Now()
				for {
					prev := lastDone.Load()
					if done.UnixNano() <= prev || lastDone.CompareAndSwap(prev, done.UnixNano()) {
						break
					}
				}
				if err != nil {
					errs.add(err)
					continue
				}
				l = append(l, done.Sub(at))
			}
			lats[w], lags[w] = l, g
		}(w)
	}
	// Dispatcher: release every request whose slot has come, then sleep to the next slot.
	for i := 0; i < total; {
		now := time.Now()
		due := total
		if now.Before(start) {
			due = 0
		} else if d := int(now.Sub(start)/interval) + 1; d < total {
			due = d
		}
		for ; i < due; i++ {
			sched <- start.Add(time.Duration(i) * interval)
		}
		if i < total {
			time.Sleep(time.Until(start.Add(time.Duration(i) * interval)))
		}
	}
	close(sched)
	wg.Wait()
	cpu1 := markCPU(t.pid)
	var all, lag []time.Duration
	for w := range lats {
		all = append(all, lats[w]...)
		lag = append(lag, lags[w]...)
	}
	elapsed := time.Unix(0, lastDone.Load()).Sub(start)
	if elapsed < dur {
		elapsed = dur
	}
	s := summarise(all, &errs, elapsed)
	s.RPS = float64(len(all)) / elapsed.Seconds() // successful requests per second
	slices.Sort(lag)
	s.SendLagP99ms = ms(pct(lag, 0.99))
	cpu1.fill(cpu0, s, len(all))
	return s
}

func summarise(lat []time.Duration, errs *errorLog, over time.Duration) *Stats {
	slices.Sort(lat)
	s := &Stats{Requests: len(lat) + errs.n, Errors: errs.n, FirstErr: errs.first, Seconds: over.Seconds()}
	s.RPS = float64(len(lat)) / over.Seconds()
	s.P50ms = ms(pct(lat, 0.50))
	s.P90ms = ms(pct(lat, 0.90))
	s.P99ms = ms(pct(lat, 0.99))
	s.P999ms = ms(pct(lat, 0.999))
	if len(lat) > 0 {
		s.MaxMs = ms(lat[len(lat)-1])
	}
	return s
}

// pct is the nearest-rank percentile of sorted durations.
func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.999999) - 1
	i = min(max(i, 0), len(sorted)-1)
	return sorted[i]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// cpuMark is a snapshot of CPU time consumed by the server and by this process.
type cpuMark struct {
	at          time.Time
	server, own time.Duration
	ok          bool
}

// procCPU reads utime+stime of a process from /proc (Linux); ok is false elsewhere.
func procCPU(pid string) (time.Duration, bool) {
	raw, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, false
	}
	// Fields after the parenthesised command name; utime and stime are fields 14 and 15.
	i := bytes.LastIndexByte(raw, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(raw[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	var ut, st int64
	if _, err := fmt.Sscan(f[11], &ut); err != nil {
		return 0, false
	}
	if _, err := fmt.Sscan(f[12], &st); err != nil {
		return 0, false
	}
	const ticks = 100 // USER_HZ on Linux
	return time.Duration(ut+st) * time.Second / ticks, true
}

func markCPU(pid int) cpuMark {
	m := cpuMark{at: time.Now()}
	own, ok := procCPU("self")
	m.own, m.ok = own, ok
	if pid > 0 {
		srv, ok := procCPU(fmt.Sprint(pid))
		m.server, m.ok = srv, m.ok && ok
	}
	return m
}

// fill records the CPU used between from and m into s.
func (m cpuMark) fill(from cpuMark, s *Stats, n int) {
	if !m.ok || !from.ok || !m.at.After(from.at) {
		return
	}
	wall := m.at.Sub(from.at).Seconds()
	s.GeneratorCores = (m.own - from.own).Seconds() / wall
	if m.server > 0 {
		s.ServerCores = (m.server - from.server).Seconds() / wall
		if n > 0 {
			s.ServerCPUus = float64((m.server - from.server).Microseconds()) / float64(n)
		}
	}
}
