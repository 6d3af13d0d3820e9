package chain

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/stonode/stonode/registry"
)

// LeaseStore is what leasing needs of the shared database.
type LeaseStore interface {
	registry.LeaseStore
	// ChainWork lists the issuances with chain work to lease.
	ChainWork(ctx context.Context) ([]int64, error)
	// ClaimLeasedOperation claims the oldest pending operation among the
	// issuances whose lease owner holds.
	ClaimLeasedOperation(ctx context.Context, owner string) (*registry.Operation, error)
	// ResumeLeasedOperations claims the RUNNING operations of the issuances
	// whose lease owner holds, whoever ran them before.
	ResumeLeasedOperations(ctx context.Context, owner string) ([]*registry.Operation, error)
}

// Lease timing. A holder renews every LeaseRenew; a lease not renewed for
// LeaseTTL (by the database's clock) is taken over by another node.
const (
	DefaultLeaseTTL   = 5 * time.Second
	DefaultLeaseRenew = time.Second
	// nonceTTL bounds one sign, record and broadcast under the nonce lease.
	nonceTTL = 10 * time.Second
)

// errLeaseLapsed refuses a broadcast by a node whose lease may have expired:
// it has not renewed it for longer than it may trust it (it was frozen, or
// cut off from the database), so another node may be running the work.
var errLeaseLapsed = fmt.Errorf("not broadcast: %w", registry.ErrLeaseLost)

// Leaser holds this node's share of the issuances' chain work on a database
// several nodes share: it beats the node's heartbeat, renews its leases,
// takes its fair share (ceil(issuances / live nodes)) of the ones no live node
// holds, and gives up what it holds beyond that share so that a newcomer gets
// work. It also leases the signing key's nonce for each send. A Leaser without
// a store is a single node's (SQLite): it holds every issuance, unfenced.
//
// Besides the database's fencing, a holder trusts a lease only for LeaseTTL
// less one renew interval after it last started a successful renewal, by its
// own monotonic clock, which runs on while the process is stopped: a node
// frozen past its lease broadcasts nothing when it wakes (see gatedClient).
type Leaser struct {
	store   LeaseStore
	node    string
	chainID int64
	ttl     time.Duration
	every   time.Duration
	log     *slog.Logger

	mu      sync.Mutex
	held    map[int64]*heldLease
	onGain  []func()
	lastErr string

	failovers prometheus.Counter
	handovers prometheus.Counter
}

// heldLease is one lease this node holds and the context its work runs in,
// cancelled when the lease is lost or given up.
type heldLease struct {
	lease  registry.Lease
	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	until  time.Time // local, monotonic: the lease is trusted until then
}

func (h *heldLease) trusted() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return time.Now().Before(h.until)
}

func (h *heldLease) trustUntil(t time.Time) {
	h.mu.Lock()
	h.until = t
	h.mu.Unlock()
}

type heldKey struct{}

// LeaseConfig tunes a Leaser.
type LeaseConfig struct {
	Node  string        // this node's id
	TTL   time.Duration // default DefaultLeaseTTL
	Renew time.Duration // default DefaultLeaseRenew
}

// NewLeaser returns the leaser of node on store for the chain and key of conn;
// a nil store makes a single node's leaser. With a store, conn's broadcasts
// are gated on the leases they run under, and its sends take the nonce lease.
func NewLeaser(store LeaseStore, conn *Conn, cfg LeaseConfig, log *slog.Logger) *Leaser {
	if cfg.TTL == 0 {
		cfg.TTL = DefaultLeaseTTL
	}
	if cfg.Renew == 0 {
		cfg.Renew = DefaultLeaseRenew
	}
	l := &Leaser{store: store, node: cfg.Node, chainID: conn.ChainID, ttl: cfg.TTL, every: cfg.Renew,
		log: log, held: map[int64]*heldLease{}}
	l.failovers = prometheus.NewCounter(prometheus.CounterOpts{Namespace: "stonode", Subsystem: "chain", Name: "lease_failovers_total",
		Help: "Leases this node took over from a node that let them expire (it died, froze or lost the database)."})
	l.handovers = prometheus.NewCounter(prometheus.CounterOpts{Namespace: "stonode", Subsystem: "chain", Name: "lease_handovers_total",
		Help: "Leases this node gave up to spread the chain work over the live nodes."})
	if store != nil {
		gate := func(c *Conn) {
			if _, gated := c.Client.(gatedClient); !gated {
				c.Client = gatedClient{Client: c.Client}
			}
			c.nonces = l
		}
		gate(conn)
		if conn.keys != nil { // role keys set before: each key's view sends too
			conn.keys.mu.Lock()
			for _, v := range conn.keys.views {
				gate(v)
			}
			conn.keys.mu.Unlock()
		}
	}
	return l
}

// Shared reports whether several nodes may share the database.
func (l *Leaser) Shared() bool { return l.store != nil }

// OnGain registers fn to run whenever the node gains a lease.
func (l *Leaser) OnGain(fn func()) {
	l.mu.Lock()
	l.onGain = append(l.onGain, fn)
	l.mu.Unlock()
}

// Scope returns the context to run an issuance's chain work in, and whether
// this node holds its lease. The context carries the lease's fence and ends
// when the lease is lost; it derives from the context given to Run, not from
// ctx. A single node holds everything: Scope returns ctx itself.
func (l *Leaser) Scope(ctx context.Context, issuanceID int64) (context.Context, bool) {
	if l.store == nil {
		return ctx, true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	h, ok := l.held[issuanceID]
	if !ok || h.ctx.Err() != nil || !h.trusted() {
		return nil, false // a lease not renewed in time may be another node's already
	}
	return h.ctx, true
}

// Held lists the leases this node holds.
func (l *Leaser) Held() []registry.Lease {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]registry.Lease, 0, len(l.held))
	for _, h := range l.held {
		out = append(out, h.lease)
	}
	slices.SortFunc(out, func(a, b registry.Lease) int { return int(a.IssuanceID - b.IssuanceID) })
	return out
}

// Health says why leasing fails, "" when it works.
func (l *Leaser) Health() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lastErr
}

// Run leases until ctx ends, then gives every lease up so that other nodes
// take the work over at once.
func (l *Leaser) Run(ctx context.Context) {
	if l.store == nil {
		return
	}
	t := time.NewTicker(l.every)
	defer t.Stop()
	for {
		l.step(ctx)
		select {
		case <-ctx.Done():
			l.releaseAll()
			return
		case <-t.C:
		}
	}
}

// step renews, then balances: one pass of the lease loop.
func (l *Leaser) step(ctx context.Context) {
	start := time.Now()
	err := l.renew(ctx, start)
	if err == nil {
		err = l.balance(ctx, start)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	msg := ""
	if err != nil && ctx.Err() == nil {
		msg = "chain work leases: " + err.Error()
		if l.lastErr == "" {
			l.log.Warn("chain work leases", slog.Any("err", err))
		}
	} else if l.lastErr != "" {
		l.log.Info("chain work leases renewed again")
	}
	l.lastErr = msg
	// A lease not renewed in time is dropped here even when the database
	// cannot be asked: its holder may no longer trust it.
	for id, h := range l.held {
		if !h.trusted() {
			l.log.Warn("lease lapsed: this node stops the issuance's chain work", slog.Int64("issuance", id), slog.Int64("epoch", h.lease.Epoch))
			h.cancel()
			delete(l.held, id)
		}
	}
}

// renew beats the node's heartbeat and renews its leases; a lease the
// database no longer gives this node is lost.
func (l *Leaser) renew(ctx context.Context, start time.Time) error {
	callCtx, cancel := context.WithTimeout(ctx, l.ttl/2)
	defer cancel()
	if err := l.store.BeatNode(callCtx, l.node, l.ttl); err != nil {
		return fmt.Errorf("heartbeat: %w", err)
	}
	renewed, err := l.store.RenewLeases(callCtx, l.node, l.ttl)
	if err != nil {
		return fmt.Errorf("renew: %w", err)
	}
	mine := map[int64]registry.Lease{}
	for _, r := range renewed {
		mine[r.IssuanceID] = r
	}
	until := start.Add(l.ttl - l.every)
	l.mu.Lock()
	for id, h := range l.held {
		r, ok := mine[id]
		if !ok || r.Epoch != h.lease.Epoch {
			l.log.Warn("lease lost: this node stops the issuance's chain work", slog.Int64("issuance", id), slog.Int64("epoch", h.lease.Epoch))
			h.cancel()
			delete(l.held, id)
			continue
		}
		h.lease = r
		h.trustUntil(until)
	}
	// A lease the database still gives this node but that it stopped
	// trusting (a renewal came too late) is given up, so that it is taken
	// again under a new epoch: the work stopped under the old one may still
	// be finishing, and only a new epoch fences it.
	var stale []registry.Lease
	for id, r := range mine {
		if _, ok := l.held[id]; !ok {
			stale = append(stale, r)
		}
	}
	l.mu.Unlock()
	for _, r := range stale {
		if err := l.store.ReleaseLease(callCtx, r.IssuanceID, l.node, r.Epoch); err != nil {
			return fmt.Errorf("release untrusted lease of issuance %d: %w", r.IssuanceID, err)
		}
	}
	return nil
}

// balance takes this node's fair share of the unheld chain work and gives up
// what it holds beyond it (one lease a pass, so the work moves gradually).
func (l *Leaser) balance(ctx context.Context, start time.Time) error {
	work, err := l.store.ChainWork(ctx)
	if err != nil {
		return fmt.Errorf("chain work: %w", err)
	}
	board, err := l.store.LeaseBoard(ctx)
	if err != nil {
		return fmt.Errorf("lease board: %w", err)
	}
	live := 0
	taken := map[int64]bool{}
	for _, n := range board.Nodes {
		if n.Live {
			live++
			for _, le := range n.Leases {
				taken[le.IssuanceID] = true
			}
		}
	}
	live = max(live, 1)
	share := (len(work) + live - 1) / live
	active := map[int64]bool{}
	for _, id := range work {
		active[id] = true
	}
	l.mu.Lock()
	var drop []*heldLease
	for id, h := range l.held {
		if !active[id] {
			drop = append(drop, h)
		}
	}
	if extra := len(l.held) - len(drop) - share; extra > 0 {
		var keep []*heldLease
		for id, h := range l.held {
			if active[id] {
				keep = append(keep, h)
			}
		}
		// The most recently acquired goes first: the longest-held work stays put.
		slices.SortFunc(keep, func(a, b *heldLease) int { return b.lease.AcquiredAt.Compare(a.lease.AcquiredAt) })
		drop = append(drop, keep[0])
	}
	have := len(l.held) - len(drop)
	for _, h := range drop {
		delete(l.held, h.lease.IssuanceID)
		h.cancel()
	}
	l.mu.Unlock()
	for _, h := range drop {
		if err := l.store.ReleaseLease(ctx, h.lease.IssuanceID, l.node, h.lease.Epoch); err != nil {
			return fmt.Errorf("release issuance %d: %w", h.lease.IssuanceID, err)
		}
		l.handovers.Inc()
		l.log.Info("lease given up to spread the chain work", slog.Int64("issuance", h.lease.IssuanceID), slog.Int("share", share))
	}
	// Each node starts at its own place in the list, so that nodes taking
	// their shares at once rarely try the same leases.
	var free []int64
	for _, id := range work {
		if !taken[id] {
			free = append(free, id)
		}
	}
	if len(free) > 0 {
		h := fnv.New32a()
		h.Write([]byte(l.node))
		off := int(h.Sum32() % uint32(len(free)))
		free = append(free[off:], free[:off]...)
	}
	gained := false
	for _, id := range free {
		if have >= share {
			break
		}
		le, take, err := l.store.AcquireLease(ctx, id, l.node, l.ttl)
		if err != nil {
			return fmt.Errorf("acquire issuance %d: %w", id, err)
		}
		if take == registry.LeaseNotTaken {
			continue
		}
		have++
		gained = true
		hctx, cancel := context.WithCancel(ctx)
		hl := &heldLease{lease: le, cancel: cancel, until: start.Add(l.ttl - l.every)}
		hctx = registry.WithFence(hctx, registry.Fence{IssuanceID: id, Owner: l.node, Epoch: le.Epoch, ChainID: l.chainID})
		hl.ctx = context.WithValue(hctx, heldKey{}, hl)
		l.mu.Lock()
		l.held[id] = hl
		l.mu.Unlock()
		if take == registry.LeaseFailover {
			l.failovers.Inc()
			l.log.Warn("lease taken over from a silent node", slog.Int64("issuance", id), slog.Int64("epoch", le.Epoch))
		} else {
			l.log.Info("lease acquired", slog.Int64("issuance", id), slog.Int64("epoch", le.Epoch))
		}
	}
	if gained {
		l.mu.Lock()
		fns := slices.Clone(l.onGain)
		l.mu.Unlock()
		for _, fn := range fns {
			fn()
		}
	}
	return nil
}

// releaseAll gives every lease up (a clean shutdown).
func (l *Leaser) releaseAll() {
	l.mu.Lock()
	held := l.held
	l.held = map[int64]*heldLease{}
	l.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, h := range held {
		h.cancel()
		if err := l.store.ReleaseLease(ctx, h.lease.IssuanceID, l.node, h.lease.Epoch); err != nil {
			l.log.Warn("release lease at shutdown; it expires instead", slog.Int64("issuance", h.lease.IssuanceID), slog.Any("err", err))
		}
	}
}

// nonceHold is the signing key's nonce lease, held for one send.
type nonceHold struct {
	epoch int64
	until time.Time // local, monotonic
}

type nonceKey struct{}

// holdNonce takes the nonce lease of the key sender, waiting while another node holds
// it. The returned context carries the hold (broadcasts under it check it is
// still trusted); release gives the lease up.
func (l *Leaser) holdNonce(ctx context.Context, sender string) (context.Context, func(), error) {
	wait := 10 * time.Millisecond
	for {
		start := time.Now()
		epoch, ok, err := l.store.AcquireNonce(ctx, l.chainID, sender, l.node, nonceTTL)
		if err != nil {
			return nil, nil, fmt.Errorf("nonce lease: %w", err)
		}
		if ok {
			hold := &nonceHold{epoch: epoch, until: start.Add(nonceTTL / 2)}
			release := func() {
				rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
				defer cancel()
				if err := l.store.ReleaseNonce(rctx, l.chainID, sender, l.node, epoch); err != nil {
					l.log.Warn("release nonce lease; it expires instead", slog.Any("err", err))
				}
			}
			return context.WithValue(ctx, nonceKey{}, hold), release, nil
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(wait):
		}
		wait = min(wait*2, 200*time.Millisecond)
	}
}

// gatedClient refuses a broadcast made under a lease (an issuance's, or the
// nonce's) that this node no longer trusts; broadcasts outside any lease
// pass. Every transaction the node sends goes through SendTransaction.
type gatedClient struct{ Client }

func (g gatedClient) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	if h, ok := ctx.Value(heldKey{}).(*heldLease); ok && (!h.trusted() || h.ctx.Err() != nil) {
		return errLeaseLapsed
	}
	if n, ok := ctx.Value(nonceKey{}).(*nonceHold); ok && !time.Now().Before(n.until) {
		return errLeaseLapsed
	}
	return g.Client.SendTransaction(ctx, tx)
}

// leaseLost reports an error that says this node lost the lease it worked
// under: the work is another node's now, not failed.
func leaseLost(err error) bool { return errors.Is(err, registry.ErrLeaseLost) }

var descLease = prometheus.NewDesc("stonode_chain_lease_epoch",
	"Epoch of each issuance lease this node holds (one series per held lease; it grows by one at every change of holder).",
	[]string{"issuance"}, nil)

// Describe implements prometheus.Collector.
func (l *Leaser) Describe(ch chan<- *prometheus.Desc) {
	ch <- descLease
	l.failovers.Describe(ch)
	l.handovers.Describe(ch)
}

// Collect implements prometheus.Collector.
func (l *Leaser) Collect(ch chan<- prometheus.Metric) {
	for _, le := range l.Held() {
		ch <- prometheus.MustNewConstMetric(descLease, prometheus.GaugeValue, float64(le.Epoch), strconv.FormatInt(le.IssuanceID, 10))
	}
	l.failovers.Collect(ch)
	l.handovers.Collect(ch)
}

var _ registry.NodeDirectory = (*Leaser)(nil)

// ChainNodes lists the nodes sharing the database and their leases; a single
// node lists itself, holding all chain work unleased.
func (l *Leaser) ChainNodes(ctx context.Context) (*registry.LeaseBoard, error) {
	if l.store == nil {
		now := time.Now().UTC()
		return &registry.LeaseBoard{Self: l.node, Now: now, Orphan: []registry.Lease{},
			Nodes: []registry.ChainNode{{ID: l.node, HeartbeatAt: now, ExpiresAt: now, Live: true, Leases: []registry.Lease{}}}}, nil
	}
	board, err := l.store.LeaseBoard(ctx)
	if err != nil {
		return nil, err
	}
	board.Shared, board.Self = true, l.node
	return board, nil
}
