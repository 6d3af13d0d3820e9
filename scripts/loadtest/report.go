package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
)

// reportCmd prints the summary table of a stonode run next to a bare run, with
// PASS/MISS against the goals: stonode ≥ half the bare throughput, and p99 under
// 5 ms at the fixed rate.
func reportCmd(args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	stonodeFile := fs.String("stonode", "", "run --out JSON of stonode")
	bareFile := fs.String("bare", "", "run --out JSON of the bare gin handler")
	logLevel := fs.String("log-level", "", "stonode log level used (for the record)")
	db := fs.String("db", "sqlite", "stonode database used (for the record)")
	investors := fs.Int("investors", 0, "investors seeded (for the record)")
	minRatio := fs.Float64("min-ratio", 0.5, "goal: stonode/bare closed-loop throughput at least this")
	maxP99 := fs.Float64("max-p99-ms", 5, "goal: stonode p99 at the fixed rate below this many ms")
	maxCPU := fs.Float64("max-cpu-ratio", 1.25, "goal: stonode's server CPU per request at most this multiple of bare's (closed loop)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var s, b Result
	for _, f := range []struct {
		path string
		dst  *Result
	}{{*stonodeFile, &s}, {*bareFile, &b}} {
		if f.path == "" {
			return errors.New("--stonode and --bare are required")
		}
		raw, err := os.ReadFile(f.path)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(raw, f.dst); err != nil {
			return fmt.Errorf("%s: %w", f.path, err)
		}
		if f.dst.Closed == nil {
			return fmt.Errorf("%s: no closed-loop result", f.path)
		}
		if f.dst.Open == nil {
			f.dst.Open = &Stats{}
		}
	}

	line := strings.Repeat("─", 112)
	fmt.Println(line)
	fmt.Printf("GET /v1/issuances/{id}/eligibility/{address} vs bare gin — loopback HTTP/1.1 keep-alive\n")
	fmt.Printf("closed loop: %d workers, %s after %s warm-up; open loop: %d req/s for %s (latency from scheduled send time)\n",
		s.Concurrency, s.Duration, s.Warmup, s.Rate, s.RateFor)
	fmt.Printf("stonode: db=%s, log level=%s (stderr to a file), %d investors seeded, %d addresses rotated\n",
		*db, *logLevel, *investors, s.Addresses)
	fmt.Printf("machine: %d CPUs shared by both servers (separate processes) and the load generator (third process) — figures are relative, not capacity\n",
		runtime.NumCPU())
	fmt.Println(line)
	fmt.Printf("%-9s │ %12s %9s %9s %7s │ %10s %9s %9s %9s %7s\n",
		"target", "closed req/s", "p50 ms", "p99 ms", "errors", "open req/s", "p50 ms", "p99 ms", "max ms", "errors")
	for _, r := range []Result{s, b} {
		fmt.Printf("%-9s │ %12.0f %9.3f %9.3f %7d │ %10.1f %9.3f %9.3f %9.3f %7d\n",
			r.Label, r.Closed.RPS, r.Closed.P50ms, r.Closed.P99ms, r.Closed.Errors,
			r.Open.RPS, r.Open.P50ms, r.Open.P99ms, r.Open.MaxMs, r.Open.Errors)
	}
	if s.Closed.ServerCPUus > 0 && b.Closed.ServerCPUus > 0 {
		fmt.Printf("CPU (closed loop): stonode %.1f CPU-µs/request on %.2f cores, bare %.1f CPU-µs/request on %.2f cores; load generator %.2f / %.2f cores\n",
			s.Closed.ServerCPUus, s.Closed.ServerCores, b.Closed.ServerCPUus, b.Closed.ServerCores,
			s.Closed.GeneratorCores, b.Closed.GeneratorCores)
		fmt.Printf("CPU (open loop at %d req/s): stonode %.1f CPU-µs/request (%.2f cores), bare %.1f CPU-µs/request (%.2f cores)\n",
			s.Rate, s.Open.ServerCPUus, s.Open.ServerCores, b.Open.ServerCPUus, b.Open.ServerCores)
	}
	fmt.Println(line)
	ratio := 0.0
	if b.Closed.RPS > 0 {
		ratio = s.Closed.RPS / b.Closed.RPS
	}
	verdict := func(ok bool) string {
		if ok {
			return "PASS"
		}
		return "MISS"
	}
	tpOK := ratio >= *minRatio && s.Closed.Errors == 0
	latOK := s.Open.Requests > 0 && s.Open.P99ms < *maxP99 && s.Open.Errors == 0
	fmt.Printf("throughput ratio stonode/bare = %.3f   goal ≥ %.2f            %s\n", ratio, *minRatio, verdict(tpOK))
	fmt.Printf("stonode p99 at %d req/s = %.3f ms    goal < %.1f ms  (errors %d) %s\n",
		s.Rate, s.Open.P99ms, *maxP99, s.Open.Errors, verdict(latOK))
	if s.Closed.ServerCPUus > 0 && b.Closed.ServerCPUus > 0 {
		// Closed loop: the servers are busy, so CPU per request is the work a
		// request costs. At the open loop's fixed rate it also carries each
		// server's idle work (stonode's chain and pollers) spread over the
		// requests, and the wake-ups of serving one request at a time.
		cpu := s.Closed.ServerCPUus / b.Closed.ServerCPUus
		fmt.Printf("server CPU per request stonode/bare = %.2fx (closed loop)   goal ≤ %.2fx   %s\n", cpu, *maxCPU, verdict(cpu <= *maxCPU))
		if s.Open.ServerCPUus > 0 && b.Open.ServerCPUus > 0 {
			fmt.Printf("server CPU per request stonode/bare = %.2fx (open loop at %d req/s, background included)\n",
				s.Open.ServerCPUus/b.Open.ServerCPUus, s.Rate)
		}
	}
	if s.Open.Requests > 0 && s.Open.RPS < 0.95*float64(s.Rate) {
		fmt.Printf("note: stonode achieved only %.1f of %d req/s in the open loop\n", s.Open.RPS, s.Rate)
	}
	if s.Open.SendLagP99ms > 1 || b.Open.SendLagP99ms > 1 {
		fmt.Printf("note: generator send lag p99 stonode %.3f ms / bare %.3f ms (CPU contention on the shared cores)\n",
			s.Open.SendLagP99ms, b.Open.SendLagP99ms)
	}
	fmt.Println(line)
	return nil
}
