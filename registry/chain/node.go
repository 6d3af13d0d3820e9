package chain

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain/mirror"
)

// NodeConfig tunes the background work.
type NodeConfig struct {
	Confirmations uint64        // mirror confirmation depth
	SyncInterval  time.Duration // whitelist outbox poll; default 100ms (a cheap indexed read)
	MirrorPoll    time.Duration // mirror head poll; default 1s
	// NodeID names this node on the operations it runs (see OperationsConfig.Owner).
	NodeID string
	// MaxReorgDepth is the deepest reorg the mirror follows (default 64); a
	// deeper one halts the issuance's chain work instead of rewinding.
	MaxReorgDepth uint64
	// HeadStallAfter makes the node not ready when the chain's head has not
	// advanced for this long (0: never; an automining devnet idles).
	HeadStallAfter time.Duration
	// StuckBlocks: a sent transaction not mined within this many blocks is
	// replaced with higher fees (default 5).
	StuckBlocks uint64
	// LeaseTTL and LeaseRenew time the issuance leases when several nodes
	// share the database (Stores.Leases); defaults DefaultLeaseTTL and
	// DefaultLeaseRenew.
	LeaseTTL, LeaseRenew time.Duration
	// Controls is the registry side of transfer approvals, holder locks and
	// wallet recovery (OperationsConfig.Controls); LockReleaseEvery paces the
	// release of due locks (default 5 s).
	Controls         registry.ControlStore
	LockReleaseEvery time.Duration
}

// followedPoll is a followed mirror's pause between passes.
const followedPoll = 50 * time.Millisecond

// DefaultMaxReorgDepth bounds the reorgs the mirror follows.
const DefaultMaxReorgDepth = 64

// Node runs a node's chain work: queued operations, the whitelist sync and one
// transfer mirror per deployed issuance, and exports their metrics. Before
// anything acts on a deployment, the node checks that the chain it talks to is
// the deployment's (chain id and genesis hash); a deployment whose chain
// changed, or whose mirror met a reorg deeper than the bound, is halted with an
// alert and its record kept as last confirmed.
type Node struct {
	Ops    *Operations
	Syncer *Syncer
	// Leases says which issuances' chain work this node runs: all of them on
	// a database of its own, its share when nodes share one.
	Leases *Leaser
	guard  *Guard
	conn   *Conn
	stores Stores
	cfg    NodeConfig
	log    *slog.Logger

	mu      sync.Mutex
	engines map[int64]*runningMirror
	reorgs  prometheus.Histogram
	halts   prometheus.Counter
	wakeSup chan struct{} // a lease gained: start its mirror now
	// follower reads the chain's head once a tick for every mirror and joins
	// their header and log reads (one eth_getLogs over all tokens per block).
	follower *Follower
}

type runningMirror struct {
	engine *mirror.Engine
	ctx    context.Context // ends with the mirror (or its issuance's lease)
	cancel context.CancelFunc
}

// NewNode wires a node's chain work and registers its metrics on the Prometheus registry promReg.
func NewNode(conn *Conn, stores Stores, cfg NodeConfig, promReg prometheus.Registerer, log *slog.Logger) *Node {
	if cfg.SyncInterval == 0 {
		cfg.SyncInterval = 100 * time.Millisecond
	}
	if cfg.MirrorPoll == 0 {
		cfg.MirrorPoll = time.Second
	}
	if cfg.MaxReorgDepth == 0 {
		cfg.MaxReorgDepth = DefaultMaxReorgDepth
	}
	// First: with shared leases, the connection's broadcasts are gated on them.
	leases := NewLeaser(stores.Leases, conn, LeaseConfig{Node: cfg.NodeID, TTL: cfg.LeaseTTL, Renew: cfg.LeaseRenew}, log)
	conn.refreshViews() // the role keys' views get the lease-gated client and nonce leases too (keys.go)
	guard := NewGuard(conn, cfg.HeadStallAfter)
	syncer := NewSyncer(conn, stores.Outbox, log, nil)
	syncer.Leases = leases
	n := &Node{Ops: NewOperationsWith(conn, stores, log, OperationsConfig{Owner: cfg.NodeID, Guard: guard, StuckBlocks: cfg.StuckBlocks,
		MaxReorgDepth: cfg.MaxReorgDepth, Reconciler: syncer, Leases: leases,
		Controls: cfg.Controls, LockReleaseEvery: cfg.LockReleaseEvery}),
		Syncer: syncer, Leases: leases, guard: guard, conn: conn, stores: stores,
		cfg: cfg, log: log, engines: map[int64]*runningMirror{}, wakeSup: make(chan struct{}, 1),
		follower: NewFollower(conn.Client, cfg.MirrorPoll)}
	leases.OnGain(func() {
		n.Ops.wakeWorker()
		n.Syncer.Wake()
		select {
		case n.wakeSup <- struct{}{}:
		default:
		}
	})
	n.Syncer.Confirmations = cfg.Confirmations
	n.Syncer.Guard = guard
	n.Syncer.ReorgWindow = cfg.MaxReorgDepth // batches are rechecked as far back as the mirror follows reorgs
	if cfg.StuckBlocks > 0 {
		n.Syncer.StuckBlocks = cfg.StuckBlocks
	}
	n.reorgs = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "stonode", Subsystem: "mirror",
		Name: "reorg_depth_blocks", Help: "Depth of each reorg the transfer mirror rewound.",
		Buckets: []float64{1, 2, 3, 5, 10, 20, 50, 100}})
	n.halts = prometheus.NewCounter(prometheus.CounterOpts{Namespace: "stonode", Subsystem: "chain",
		Name: "halts_total", Help: "Issuances whose chain work this node halted (chain changed identity, or a reorg beyond the bound)."})
	promReg.MustRegister(n.reorgs, n.halts, n, leases)
	return n
}

// Run runs everything until ctx ends.
func (n *Node) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(5)
	go func() { defer wg.Done(); n.Leases.Run(ctx) }()
	go func() { defer wg.Done(); n.follower.Run(ctx) }()
	go func() { defer wg.Done(); _ = n.Ops.Run(ctx) }()
	go func() { defer wg.Done(); _ = n.Syncer.Run(ctx, n.cfg.SyncInterval) }()
	go func() { defer wg.Done(); n.superviseMirrors(ctx, &wg) }()
	wg.Wait()
}

// superviseMirrors checks every deployment against the node's chain and runs
// a mirror for each one that passes, including ones deployed or attached while
// the node runs; it stops the mirrors of halted or retired deployments.
func (n *Node) superviseMirrors(ctx context.Context, wg *sync.WaitGroup) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	remembered := false
	for {
		if id, err := n.guard.Identity(ctx); err == nil {
			if !remembered {
				remembered = n.rememberChain(ctx, id)
			}
			n.superviseOnce(ctx, id, wg)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-n.wakeSup:
		}
	}
}

// rememberChain records the chain's genesis the first time the node sees the
// chain id, and says so loudly when the chain id was first seen with another.
func (n *Node) rememberChain(ctx context.Context, id registry.ChainIdentity) bool {
	known, err := n.stores.Operations.RememberChain(systemCtx(ctx), id)
	if err != nil {
		if ctx.Err() == nil {
			n.log.Warn("record chain identity", slog.Any("err", err))
		}
		return false
	}
	if known.GenesisHash != id.GenesisHash {
		n.log.Error("the chain was reset or replaced: deployments made on the old one are halted",
			slog.Int64("chainId", id.ChainID), slog.String("firstSeenGenesis", known.GenesisHash), slog.String("genesis", id.GenesisHash))
	}
	return true
}

func (n *Node) superviseOnce(ctx context.Context, id registry.ChainIdentity, wg *sync.WaitGroup) {
	deployed, err := n.stores.Operations.ActiveDeployments(ctx)
	if err != nil {
		if ctx.Err() == nil {
			n.log.Warn("list deployments", slog.Any("err", err))
		}
		return
	}
	active := map[int64]bool{}
	for _, d := range deployed {
		// Only the lease holder acts on a deployment, halts included: a node
		// whose RPC points elsewhere must not halt what its peers run.
		ctx, held := n.Leases.Scope(ctx, d.IssuanceID)
		if !held {
			continue
		}
		if err := compareIdentity(id, d.ChainID, d.GenesisHash); err != nil {
			n.halt(ctx, d.IssuanceID, err)
			continue
		}
		if d.GenesisHash == "" && !n.adoptGenesis(ctx, id, d) {
			continue
		}
		active[d.IssuanceID] = true
		n.startMirror(ctx, d, id.GenesisHash, wg)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	for issuance, m := range n.engines {
		if !active[issuance] || m.ctx.Err() != nil {
			m.cancel()
			delete(n.engines, issuance)
		}
	}
}

// adoptGenesis gives a deployment recorded before genesis hashes were kept the
// chain's genesis, if the chain holds its token; if not, the deployment is not
// on this chain and is halted.
func (n *Node) adoptGenesis(ctx context.Context, id registry.ChainIdentity, d registry.ActiveDeployment) bool {
	code, err := n.conn.Client.CodeAt(ctx, common.HexToAddress(d.TokenAddress), nil)
	if err != nil {
		return false
	}
	if len(code) == 0 {
		n.halt(ctx, d.IssuanceID, fmt.Errorf("%w: chain %d (genesis %s) has no contract at the token address %s",
			registry.ErrChainChanged, id.ChainID, id.GenesisHash, d.TokenAddress))
		return false
	}
	if err := n.stores.Operations.AdoptGenesis(ctx, d.IssuanceID, id.GenesisHash); err != nil {
		n.log.Warn("record deployment genesis", slog.Int64("issuance", d.IssuanceID), slog.Any("err", err))
		return false
	}
	return true
}

func (n *Node) startMirror(ctx context.Context, d registry.ActiveDeployment, genesis string, wg *sync.WaitGroup) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if m, running := n.engines[d.IssuanceID]; running {
		if m.ctx.Err() == nil {
			return
		}
		m.cancel() // its lease ended: a new one runs under the new lease
	}
	issuance, chainID := d.IssuanceID, d.ChainID
	e := mirror.New(mirror.Config{ChainID: chainID, Token: common.HexToAddress(d.TokenAddress),
		// The follower paces the mirror: an idle one waits in BlockNumber for
		// the next head, so its own pause is short.
		StartBlock: d.DeploymentBlock, Confirmations: n.cfg.Confirmations, PollInterval: followedPoll,
		MaxReorgDepth: n.cfg.MaxReorgDepth, Logger: n.log,
		OnReorg:    func(r mirror.Reorg) { n.reorgs.Observe(float64(r.Depth)) },
		CheckChain: func(ctx context.Context) error { return n.guard.Check(ctx, chainID, genesis) },
		OnHalt:     func(err error) { n.halt(ctx, issuance, err) },
	}, n.follower.View(), n.stores.Mirror)
	mctx, cancel := context.WithCancel(ctx)
	n.engines[d.IssuanceID] = &runningMirror{engine: e, ctx: mctx, cancel: cancel}
	wg.Add(1)
	go func() { defer wg.Done(); _ = e.Run(mctx) }()
}

// halt stops an issuance's chain work for good, with an alert; the record
// stays as last confirmed until the deployment is retired.
func (n *Node) halt(ctx context.Context, issuanceID int64, why error) {
	halted, err := n.stores.Operations.HaltIssuance(systemCtx(context.WithoutCancel(ctx)), issuanceID, why.Error())
	if err != nil {
		n.log.Error("halt issuance's chain work", slog.Int64("issuance", issuanceID), slog.Any("reason", why), slog.Any("err", err))
		return
	}
	if halted {
		n.halts.Inc()
		n.log.Error("issuance's chain work halted; the register is kept as last confirmed", slog.Int64("issuance", issuanceID),
			slog.String("reason", why.Error()))
	}
}

// Readiness lists why the node cannot do its chain work right now; empty
// means ready. It is what /readyz reports.
func (n *Node) Readiness(ctx context.Context) []string {
	var out []string
	if h := n.guard.Health(ctx); h != "" {
		out = append(out, h)
	}
	if h := n.Leases.Health(); h != "" {
		out = append(out, h)
	}
	halts, err := n.stores.Operations.Halts(ctx)
	if err != nil {
		out = append(out, "halts: "+err.Error())
	}
	for _, h := range halts {
		out = append(out, fmt.Sprintf("issuance %d: chain work halted: %s", h.IssuanceID, h.Reason))
	}
	halted := map[int64]bool{}
	for _, h := range halts {
		halted[h.IssuanceID] = true
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	for id, m := range n.engines {
		// A halted issuance's mirror stops within a pass; its halt says why.
		if s := m.engine.Stats(); !halted[id] && !s.Healthy && s.LastError != "" {
			out = append(out, fmt.Sprintf("issuance %d: mirror pass failed: %s", id, strings.TrimPrefix(s.LastError, "mirror: ")))
		}
	}
	return out
}

var (
	descHead      = prometheus.NewDesc("stonode_mirror_head_block", "Head block the chain node reported to the mirror.", []string{"issuance"}, nil)
	descIndexed   = prometheus.NewDesc("stonode_mirror_indexed_block", "Last block the mirror applied.", []string{"issuance"}, nil)
	descLag       = prometheus.NewDesc("stonode_mirror_lag_blocks", "Head minus indexed block.", []string{"issuance"}, nil)
	descHealthy   = prometheus.NewDesc("stonode_mirror_healthy", "1 when the mirror's last pass succeeded.", []string{"issuance"}, nil)
	descReorgs    = prometheus.NewDesc("stonode_mirror_reorgs_total", "Reorgs rewound.", []string{"issuance"}, nil)
	descTransfers = prometheus.NewDesc("stonode_mirror_transfers_ingested_total", "Transfer rows ingested.", []string{"issuance"}, nil)
	descRPCErrors = prometheus.NewDesc("stonode_mirror_rpc_errors_total", "Failed RPC calls of the mirror.", []string{"issuance"}, nil)
	descOutbox    = prometheus.NewDesc("stonode_whitelist_outbox_depth", "Whitelist changes waiting to reach the chain.", nil, nil)
	descOutboxAge = prometheus.NewDesc("stonode_whitelist_outbox_oldest_seconds", "Age of the oldest waiting whitelist change.", nil, nil)
	descBatches   = prometheus.NewDesc("stonode_whitelist_batches_total", "Whitelist batches by outcome.", []string{"outcome"}, nil)
	descSyncFixes = prometheus.NewDesc("stonode_whitelist_sync_recoveries_total",
		"Whitelist sync recoveries by kind: replaced (a batch re-signed with higher fees), reopened (a confirmed batch whose block a reorg removed), entry_failed (a wallet the chain refused, its entry FAILED).",
		[]string{"kind"}, nil)
	descAlerts    = prometheus.NewDesc("stonode_compliance_alerts", "Mirrored transfers into wallets the registry held ineligible.", nil, nil)
	descHalted    = prometheus.NewDesc("stonode_chain_halted", "1 for each issuance whose chain work is halted.", []string{"issuance"}, nil)
	descReachable = prometheus.NewDesc("stonode_chain_reachable", "1 when the node's last read of the chain succeeded.", nil, nil)
)

// Describe implements prometheus.Collector.
func (n *Node) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descHead, descIndexed, descLag, descHealthy, descReorgs, descTransfers, descRPCErrors, descOutbox, descOutboxAge, descBatches, descSyncFixes, descAlerts, descHalted, descReachable} {
		ch <- d
	}
}

// Collect implements prometheus.Collector, reading the engines' stats and the
// outbox at scrape time.
func (n *Node) Collect(ch chan<- prometheus.Metric) {
	n.mu.Lock()
	for id, m := range n.engines {
		s := m.engine.Stats()
		l := strconv.FormatInt(id, 10)
		ch <- prometheus.MustNewConstMetric(descHead, prometheus.GaugeValue, float64(s.Head), l)
		ch <- prometheus.MustNewConstMetric(descIndexed, prometheus.GaugeValue, float64(s.Indexed), l)
		lag := 0.0
		if s.Head > s.Indexed {
			lag = float64(s.Head - s.Indexed)
		}
		ch <- prometheus.MustNewConstMetric(descLag, prometheus.GaugeValue, lag, l)
		healthy := 0.0
		if s.Healthy {
			healthy = 1
		}
		ch <- prometheus.MustNewConstMetric(descHealthy, prometheus.GaugeValue, healthy, l)
		ch <- prometheus.MustNewConstMetric(descReorgs, prometheus.CounterValue, float64(s.Reorgs), l)
		ch <- prometheus.MustNewConstMetric(descTransfers, prometheus.CounterValue, float64(s.Transfers), l)
		ch <- prometheus.MustNewConstMetric(descRPCErrors, prometheus.CounterValue, float64(s.RPCErrors), l)
	}
	n.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if depth, age, err := n.stores.Outbox.OutboxStats(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(descOutbox, prometheus.GaugeValue, float64(depth))
		ch <- prometheus.MustNewConstMetric(descOutboxAge, prometheus.GaugeValue, age.Seconds())
	}
	if count, err := n.stores.Registry.AlertCount(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(descAlerts, prometheus.GaugeValue, float64(count))
	}
	if halts, err := n.stores.Operations.Halts(ctx); err == nil {
		for _, h := range halts {
			ch <- prometheus.MustNewConstMetric(descHalted, prometheus.GaugeValue, 1, strconv.FormatInt(h.IssuanceID, 10))
		}
	}
	reachable := 0.0
	if n.guard.Reachable() {
		reachable = 1
	}
	ch <- prometheus.MustNewConstMetric(descReachable, prometheus.GaugeValue, reachable)
	ch <- prometheus.MustNewConstMetric(descBatches, prometheus.CounterValue, float64(n.Syncer.Stats.BatchesConfirmed.Load()), "confirmed")
	ch <- prometheus.MustNewConstMetric(descBatches, prometheus.CounterValue, float64(n.Syncer.Stats.BatchesFailed.Load()), "failed")
	ch <- prometheus.MustNewConstMetric(descSyncFixes, prometheus.CounterValue, float64(n.Syncer.Stats.BatchesReplaced.Load()), "replaced")
	ch <- prometheus.MustNewConstMetric(descSyncFixes, prometheus.CounterValue, float64(n.Syncer.Stats.BatchesReopened.Load()), "reopened")
	ch <- prometheus.MustNewConstMetric(descSyncFixes, prometheus.CounterValue, float64(n.Syncer.Stats.EntriesFailed.Load()), "entry_failed")
}
