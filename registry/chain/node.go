package chain

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain/mirror"
)

// NodeStore is everything the chain side of a node needs of the registry.
type NodeStore interface {
	Store
	registry.SyncStore
	registry.MirrorStore
	AlertCount(ctx context.Context) (int64, error)
}

// NodeConfig tunes the background work.
type NodeConfig struct {
	Confirmations uint64        // mirror confirmation depth
	SyncInterval  time.Duration // whitelist outbox poll; default 100ms (a cheap indexed read)
	MirrorPoll    time.Duration // mirror head poll; default 1s
}

// Node runs a node's chain work: queued operations, the whitelist sync and one
// transfer mirror per deployed issuance, and exports their metrics.
type Node struct {
	Ops    *Service
	Syncer *Syncer
	conn   *Conn
	store  NodeStore
	cfg    NodeConfig
	log    *slog.Logger

	mu      sync.Mutex
	engines map[int64]*mirror.Engine
	reorgs  prometheus.Histogram
}

// NewNode wires a node's chain work and registers its metrics on reg.
func NewNode(conn *Conn, store NodeStore, cfg NodeConfig, reg prometheus.Registerer, log *slog.Logger) *Node {
	if cfg.SyncInterval == 0 {
		cfg.SyncInterval = 100 * time.Millisecond
	}
	if cfg.MirrorPoll == 0 {
		cfg.MirrorPoll = time.Second
	}
	n := &Node{Ops: NewService(conn, store, log), Syncer: NewSyncer(conn, store, log, nil), conn: conn, store: store,
		cfg: cfg, log: log, engines: map[int64]*mirror.Engine{}}
	n.Ops.syncer = n.Syncer
	n.Syncer.Confirmations = cfg.Confirmations
	n.reorgs = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "stonode", Subsystem: "mirror",
		Name: "reorg_depth_blocks", Help: "Depth of each reorg the transfer mirror rewound.",
		Buckets: []float64{1, 2, 3, 5, 10, 20, 50, 100}})
	reg.MustRegister(n.reorgs, n)
	return n
}

// Run runs everything until ctx ends.
func (n *Node) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); _ = n.Ops.Run(ctx) }()
	go func() { defer wg.Done(); _ = n.Syncer.Run(ctx, n.cfg.SyncInterval) }()
	go func() { defer wg.Done(); n.superviseMirrors(ctx, &wg) }()
	wg.Wait()
}

// superviseMirrors starts a mirror for every deployed issuance, including ones
// deployed or attached while the node runs.
func (n *Node) superviseMirrors(ctx context.Context, wg *sync.WaitGroup) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		deployed, err := n.store.Deployed(ctx, n.conn.ChainID)
		if err != nil && ctx.Err() == nil {
			n.log.Warn("list deployments", slog.Any("err", err))
		}
		for _, d := range deployed {
			n.mu.Lock()
			_, running := n.engines[d.IssuanceID]
			if !running {
				e := mirror.New(mirror.Config{ChainID: d.ChainID, Token: common.HexToAddress(d.TokenAddress),
					StartBlock: d.DeploymentBlock, Confirmations: n.cfg.Confirmations, PollInterval: n.cfg.MirrorPoll,
					Logger: n.log, OnReorg: func(r mirror.Reorg) { n.reorgs.Observe(float64(r.Depth)) }}, n.conn.Client, n.store)
				n.engines[d.IssuanceID] = e
				wg.Add(1)
				go func() { defer wg.Done(); _ = e.Run(ctx) }()
			}
			n.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
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
	descAlerts    = prometheus.NewDesc("stonode_compliance_alerts", "Mirrored transfers into wallets the registry held ineligible.", nil, nil)
)

// Describe implements prometheus.Collector.
func (n *Node) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descHead, descIndexed, descLag, descHealthy, descReorgs, descTransfers, descRPCErrors, descOutbox, descOutboxAge, descBatches, descAlerts} {
		ch <- d
	}
}

// Collect implements prometheus.Collector, reading the engines' stats and the
// outbox at scrape time.
func (n *Node) Collect(ch chan<- prometheus.Metric) {
	n.mu.Lock()
	for id, e := range n.engines {
		s := e.Stats()
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
	if depth, age, err := n.store.OutboxStats(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(descOutbox, prometheus.GaugeValue, float64(depth))
		ch <- prometheus.MustNewConstMetric(descOutboxAge, prometheus.GaugeValue, age.Seconds())
	}
	if count, err := n.store.AlertCount(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(descAlerts, prometheus.GaugeValue, float64(count))
	}
	ch <- prometheus.MustNewConstMetric(descBatches, prometheus.CounterValue, float64(n.Syncer.Stats.BatchesConfirmed.Load()), "confirmed")
	ch <- prometheus.MustNewConstMetric(descBatches, prometheus.CounterValue, float64(n.Syncer.Stats.BatchesFailed.Load()), "failed")
}
