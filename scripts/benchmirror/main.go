// Command benchmirror measures the transfer mirror's backfill against a bare
// eth_getLogs + decode loop over the same blocks of a real anvil, and the time
// from a whitelist approval to the wallet being eligible on-chain.
//
// scripts/bench-mirror.sh starts anvil and runs it; by hand:
//
//	anvil --port 8545 --silent --gas-limit 300000000 &
//	go run ./scripts/benchmirror --rpc http://127.0.0.1:8545
//
//	benchmirror freeport   prints a free loopback TCP port
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// anvil's account #0 (mnemonic "test test … junk"), the node key: public test
// funds only.
const devNodeKey = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) > 1 && os.Args[1] == "freeport" {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchmirror:", err)
			os.Exit(1)
		}
		fmt.Println(l.Addr().(*net.TCPAddr).Port)
		_ = l.Close()
		return
	}
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchmirror:", err)
		os.Exit(1)
	}
}

type options struct {
	rpcURL     string
	gen        genConfig
	span       uint64
	db         string
	dataDir    string
	iterations int
	intervals  string
	cpuprofile string
	timeout    time.Duration
	attach     string
	rounds     int
	subscribe  bool
}

func run(ctx context.Context, args []string, out io.Writer) error {
	var o options
	fs := flag.NewFlagSet("benchmirror", flag.ContinueOnError)
	fs.StringVar(&o.rpcURL, "rpc", "http://127.0.0.1:8545", "anvil JSON-RPC endpoint (a fresh chain: account #0 is the node key)")
	fs.IntVar(&o.gen.Transfers, "transfers", 100_000, "Transfer events to generate (mints excluded)")
	fs.IntVar(&o.gen.Senders, "senders", 100, "sending wallets; each sends one transfer per block, so this is transfers per block")
	fs.IntVar(&o.gen.Receivers, "receivers", 1000, "receiving wallets (whitelisted)")
	fs.IntVar(&o.gen.Workers, "workers", 4, "concurrent connections sending transactions")
	fs.Uint64Var(&o.gen.Seed, "seed", 1, "seed of keys and amounts")
	fs.Uint64Var(&o.span, "range", 100, "blocks per eth_getLogs, for both loops (the mirror's MaxRange)")
	fs.StringVar(&o.db, "db", "", "mirror database: empty for SQLite in --data-dir, or a postgres:// URL (the run uses a scratch schema it drops)")
	fs.StringVar(&o.dataDir, "data-dir", "", "directory for the SQLite database (default: a temp dir, removed)")
	fs.IntVar(&o.iterations, "sync-iterations", 20, "approvals timed per Syncer setting")
	fs.StringVar(&o.intervals, "sync-intervals", "500ms,50ms", "Syncer outbox poll intervals to measure (500ms is the node's default)")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the mirror backfill to this file")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Minute, "give up after this long")
	fs.StringVar(&o.attach, "attach-issuance", "", "record the token as an issuance's deployment before each backfill, as a node's mirror always is, so "+
		"each batch also writes a transfer.mirrored webhook event per transfer and judges every receiver for compliance alerts: "+
		"'eligible' onboards and approves every holder first (no alerts: a node's common case); 'ineligible' onboards none "+
		"(every transfer raises an alert: the worst case)")
	fs.BoolVar(&o.subscribe, "subscribe", false, "with --attach-issuance: subscribe the operator to every event type first, so each batch also writes "+
		"a webhook event per transfer (and per alert); without a subscription none is written")
	fs.IntVar(&o.rounds, "rounds", 3, "mirror backfills, each into a fresh database between two bare loops; the verdict is the median round's")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch o.attach { // 0 and 1: the knob's older spelling
	case "", "eligible", "ineligible":
	case "0":
		o.attach = ""
	case "1":
		o.attach = "ineligible"
	default:
		return fmt.Errorf("--attach-issuance %q: want eligible or ineligible", o.attach)
	}
	if o.subscribe && o.attach == "" {
		return errors.New("--subscribe needs --attach-issuance: events belong to an issuance")
	}
	if o.gen.Transfers < 1 || o.rounds < 1 || o.gen.Senders < 1 || o.gen.Receivers < 1 || o.gen.Workers < 1 || o.span < 1 {
		return errors.New("--transfers, --senders, --receivers, --workers, --range and --rounds must be positive")
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	if o.dataDir == "" {
		dir, err := os.MkdirTemp("", "benchmirror-*")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		o.dataDir = dir
	}

	dctx, dcancel := context.WithTimeout(ctx, 10*time.Second)
	rc, err := rpc.DialContext(dctx, o.rpcURL)
	dcancel()
	if err != nil {
		return fmt.Errorf("dial %s: %w", o.rpcURL, err)
	}
	defer rc.Close()
	eth := ethclient.NewClient(rc)
	cctx, ccancel := context.WithTimeout(ctx, 10*time.Second)
	chainID, err := eth.ChainID(cctx)
	ccancel()
	if err != nil {
		return fmt.Errorf("chain id: %w", err)
	}
	d := &devnet{rpc: rc, eth: eth, chainID: chainID, signer: types.LatestSignerForChainID(chainID), out: out}
	nodeKey, err := crypto.HexToECDSA(devNodeKey)
	if err != nil {
		return err
	}
	conn, err := chain.Dial(ctx, o.rpcURL, nodeKey)
	if err != nil {
		return err
	}
	defer conn.Close()

	fmt.Fprintf(out, "== generating %d transfers (%d per block, %d receivers, %d send connections) on %s\n",
		o.gen.Transfers, o.gen.Senders, o.gen.Receivers, o.gen.Workers, o.rpcURL)
	g, err := generate(ctx, d, conn, nodeKey, o.gen)
	if err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	fmt.Fprintf(out, "  generated in %s: blocks %d..%d\n", g.Elapsed.Round(time.Second), g.FirstBlock, g.LastBlock)
	wantEvents := g.Transfers + g.Mints

	fmt.Fprintf(out, "== bare eth_getLogs + decode over blocks %d..%d, %d blocks per query\n", g.FirstBlock, g.LastBlock, o.span)
	bare1, err := bare(ctx, d, g.Contracts.TokenAddress, g.FirstBlock, g.LastBlock, o.span)
	if err != nil {
		return err
	}
	if bare1.Events != wantEvents {
		return fmt.Errorf("bare loop read %d Transfer events, want %d (%d transfers + %d mints): some transactions failed",
			bare1.Events, wantEvents, g.Transfers, g.Mints)
	}
	fmt.Fprintf(out, "  %d events in %s: %.0f events/s\n", bare1.Events, bare1.Elapsed.Round(time.Millisecond), bare1.rate())

	// Rounds: each backfills a fresh database, between two bare loops, and is
	// set against the faster of them; one run on two busy cores varies by
	// ±0.05x, so the verdict is the median round's.
	var (
		rounds []round
		st     *storetest.Stores
		rig    *syncRig
	)
	before := bare1
	for i := range o.rounds {
		if st != nil {
			st.Close()
		}
		dsn, dropSchema, err := scratchSchema(ctx, o.db)
		if err != nil {
			return err
		}
		defer dropSchema()
		dir := filepath.Join(o.dataDir, fmt.Sprintf("round-%d", i+1))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		db, err := store.Open(ctx, store.Config{DSN: dsn, DataDir: dir, Logger: slog.New(slog.DiscardHandler), Rules: eligibility.Rules{}})
		if err != nil {
			return fmt.Errorf("open store: %w", err)
		}
		defer db.Close()
		st, rig = storetest.New(db), nil
		if o.attach != "" {
			if rig, err = newSyncRig(ctx, st, conn, g.Contracts); err != nil {
				return err
			}
			if o.attach == "eligible" {
				if err := rig.approveHolders(ctx, g.Holders); err != nil {
					return err
				}
			}
			if o.subscribe {
				op := registry.WithPrincipal(ctx, &registry.Principal{KeyID: "bench", Role: registry.RoleOperator})
				if _, err := store.NewWebhooks(db).CreateSubscription(op, registry.SubscriptionRequest{
					URL: "https://backoffice.example.jp/stonode", EventTypes: registry.EventTypes}); err != nil {
					return fmt.Errorf("subscribe: %w", err)
				}
			}
		}
		profile := ""
		if i == 0 {
			profile = o.cpuprofile
		}
		fmt.Fprintf(out, "== round %d/%d: stonode mirror engine (%s) backfilling the same blocks into a fresh database (issuance attached: %q, subscribed: %v)\n",
			i+1, o.rounds, st.Dialect(), o.attach, o.subscribe)
		m, err := runMirror(ctx, d, st, g.Contracts, o.span, profile)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  %d events in %s: %.0f events/s\n", m.Events, m.Elapsed.Round(time.Millisecond), m.rate())
		if m.Events != wantEvents {
			return fmt.Errorf("mirror ingested %d transfers, want %d", m.Events, wantEvents)
		}
		onChainHolders, err := bind.Call(bindings.NewSecurityToken().Instance(eth, g.Contracts.TokenAddress), &bind.CallOpts{Context: ctx},
			bindings.NewSecurityToken().PackHolderCount(), bindings.NewSecurityToken().UnpackHolderCount)
		if err != nil {
			return err
		}
		if m.Holders != int(onChainHolders) {
			return fmt.Errorf("mirror has %d holders, the token %d", m.Holders, onChainHolders)
		}
		fmt.Fprintf(out, "== bare loop again\n")
		after, err := bare(ctx, d, g.Contracts.TokenAddress, g.FirstBlock, g.LastBlock, o.span)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  %d events in %s: %.0f events/s\n", after.Events, after.Elapsed.Round(time.Millisecond), after.rate())
		rounds = append(rounds, round{before: before, after: after, mirror: m})
		before = after
	}

	var series []latency
	if o.iterations > 0 {
		if rig == nil {
			if rig, err = newSyncRig(ctx, st, conn, g.Contracts); err != nil {
				return err
			}
		}
		for i, s := range strings.Split(o.intervals, ",") {
			iv, err := time.ParseDuration(strings.TrimSpace(s))
			if err != nil || iv <= 0 {
				return fmt.Errorf("--sync-intervals: bad interval %q", s)
			}
			label := fmt.Sprintf("Syncer interval %s", iv)
			fmt.Fprintf(out, "== whitelist approval → isEligible on-chain: %s, %d approvals\n", label, o.iterations)
			l, err := rig.measure(ctx, label, iv, false, o.iterations, o.gen.Seed+uint64(i))
			if err != nil {
				return err
			}
			series = append(series, l)
			if i == 0 {
				label += " + Wake() after approve"
				fmt.Fprintf(out, "== whitelist approval → isEligible on-chain: %s, %d approvals\n", label, o.iterations)
				l, err := rig.measure(ctx, label, iv, true, o.iterations, o.gen.Seed+100)
				if err != nil {
					return err
				}
				series = append(series, l)
			}
		}
	}

	report(out, o, g, rounds, series)
	return nil
}

// round is one mirror backfill and the bare loops either side of it.
type round struct {
	before, after bareResult
	mirror        mirrorResult
}

// bare is the faster of the round's two bare loops.
func (r round) bare() bareResult {
	if r.after.rate() > r.before.rate() {
		return r.after
	}
	return r.before
}

func (r round) ratio() float64 { return r.mirror.rate() / r.bare().rate() }

func report(out io.Writer, o options, g *generated, rounds []round, series []latency) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	fmt.Fprintf(out, "\n== summary (cores: %d, GOMAXPROCS %d, %s; anvil automine off, one block per round of %d transfers)\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), o.gen.Senders)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "generation\t%d transfers + %d mints in %d blocks (%d..%d), %s, %.0f tx/s\n", g.Transfers, g.Mints,
		g.LastBlock-g.FirstBlock+1, g.FirstBlock, g.LastBlock, g.Elapsed.Round(time.Second), float64(g.Transfers)/g.Elapsed.Seconds())
	byRatio := slices.Clone(rounds)
	slices.SortFunc(byRatio, func(a, b round) int { return cmp.Compare(a.ratio(), b.ratio()) })
	for i, r := range rounds {
		fmt.Fprintf(tw, "round %d\tmirror %.0f events/s\tbare %.0f events/s (%s and %s)\t%.2fx\n", i+1, r.mirror.rate(), r.bare().rate(),
			r.before.Elapsed.Round(time.Millisecond), r.after.Elapsed.Round(time.Millisecond), r.ratio())
	}
	med := byRatio[len(byRatio)/2]
	best, m := med.bare(), med.mirror
	fmt.Fprintf(tw, "bare eth_getLogs+decode\t%.0f events/s\t(median round; %d queries of %d blocks; %s of it in RPC)\n", best.rate(),
		best.Queries, o.span, best.RPC.Round(time.Millisecond))
	fmt.Fprintf(tw, "stonode mirror (%s)\t%.0f events/s\t(median round; %s for %d events)\n", m.DB, m.rate(), m.Elapsed.Round(time.Millisecond), m.Events)
	verdict := "PASS"
	if med.ratio() < 0.8 {
		verdict = "MISS"
	}
	fmt.Fprintf(tw, "mirror / bare\t%.2fx\t(median of %d rounds; min %.2fx, max %.2fx; goal ≥ 0.8x: %s)\n", med.ratio(), len(rounds),
		byRatio[0].ratio(), byRatio[len(byRatio)-1].ratio(), verdict)
	c, s := m.Client, m.Store
	fmt.Fprintf(tw, "mirror time split\t\teth_getLogs %s (%d), headers %s (%d), blockNumber %s (%d), store.Apply %s (%d), checkpoint reads %s (%d), other %s\n",
		c.logs.d.Round(time.Millisecond), c.logs.n, c.header.d.Round(time.Millisecond), c.header.n,
		c.blockNumber.d.Round(time.Millisecond), c.blockNumber.n, s.apply.d.Round(time.Millisecond), s.apply.n,
		s.checkpoint.d.Round(time.Millisecond), s.checkpoint.n,
		(m.Elapsed - c.logs.d - c.header.d - c.blockNumber.d - s.apply.d - s.checkpoint.d).Round(time.Millisecond))
	if n := len(s.applyByBatch); n >= 4 {
		q := n / 4
		avg := func(ds []time.Duration) time.Duration {
			var t time.Duration
			for _, d := range ds {
				t += d
			}
			return t / time.Duration(len(ds))
		}
		fmt.Fprintf(tw, "store.Apply per batch\t\tfirst quarter avg %s, last quarter avg %s (%d batches)\n",
			ms(avg(s.applyByBatch[:q])), ms(avg(s.applyByBatch[n-q:])), n)
	}
	st := m.Stats
	fmt.Fprintf(tw, "mirror Stats\t\thead %d, indexed %d, healthy %v, batches %d, blocks %d, transfers %d, rpcErrors %d, rangeShrinks %d, reorgs %d\n",
		st.Head, st.Indexed, st.Healthy, st.Batches, st.Blocks, st.Transfers, st.RPCErrors, st.RangeShrinks, st.Reorgs)
	fmt.Fprintf(tw, "mirror holders\t\t%d (equals the token's holderCount())\n", m.Holders)
	for _, l := range series {
		fmt.Fprintf(tw, "approve → eligible on-chain\t%s\tp50 %s, p95 %s, max %s (n=%d; anvil automine)\n", l.Label,
			ms(l.pct(0.50)), ms(l.pct(0.95)), ms(l.pct(1)), len(l.Samples))
	}
	_ = tw.Flush()
	if o.cpuprofile != "" {
		abs, _ := filepath.Abs(o.cpuprofile)
		fmt.Fprintf(out, "CPU profile of the mirror backfill: %s (go tool pprof -top %s)\n", abs, abs)
	}
}
