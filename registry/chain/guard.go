package chain

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/stonode/stonode/registry"
)

// Guard knows which chain the node is connected to — its id and genesis hash,
// which a reset devnet or a wrong --rpc changes — and whether that chain is
// reachable and advancing. Every mirror, sync and operation pass asks it
// before acting, so no work is done against a chain a deployment is not on.
type Guard struct {
	conn *Conn
	// fresh is how long an identity read is reused; checks on a hot path cost
	// one RPC call per interval, not per call.
	fresh time.Duration
	// stallAfter: a head that has not advanced for this long makes the node
	// not ready (0 disables: an automining devnet is idle between transactions).
	stallAfter time.Duration
	now        func() time.Time

	mu       sync.Mutex
	id       registry.ChainIdentity
	readAt   time.Time
	readErr  error
	head     uint64
	headAt   time.Time // when head last advanced
	headSeen bool
}

// NewGuard returns a guard over conn.
func NewGuard(conn *Conn, stallAfter time.Duration) *Guard {
	return &Guard{conn: conn, fresh: time.Second, stallAfter: stallAfter, now: time.Now}
}

// Identity returns the chain's id and genesis hash, read at most once per
// second; an error means the chain could not be asked.
func (g *Guard) Identity(ctx context.Context) (registry.ChainIdentity, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.readAt.IsZero() && g.now().Sub(g.readAt) < g.fresh {
		return g.id, g.readErr
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	g.readAt = g.now()
	genesis, err := g.conn.Client.HeaderByNumber(ctx, big.NewInt(0))
	if err != nil {
		g.readErr = fmt.Errorf("chain unreachable: genesis header: %w", err)
		return g.id, g.readErr
	}
	head, err := g.conn.Client.BlockNumber(ctx)
	if err != nil {
		g.readErr = fmt.Errorf("chain unreachable: head: %w", err)
		return g.id, g.readErr
	}
	g.readErr = nil
	g.id = registry.ChainIdentity{ChainID: g.conn.ChainID, GenesisHash: strings.ToLower(genesis.Hash().Hex())}
	if !g.headSeen || head != g.head {
		g.head, g.headAt, g.headSeen = head, g.now(), true
	}
	return g.id, nil
}

// Check returns an error wrapping registry.ErrChainChanged when the node's
// chain is not the one given (a deployment's), or the read error when the
// chain cannot be asked (not a change: the caller waits).
func (g *Guard) Check(ctx context.Context, chainID int64, genesis string) error {
	id, err := g.Identity(ctx)
	if err != nil {
		return err
	}
	return compareIdentity(id, chainID, genesis)
}

func compareIdentity(id registry.ChainIdentity, chainID int64, genesis string) error {
	switch {
	case chainID != id.ChainID:
		return fmt.Errorf("%w: the node is connected to chain %d; this deployment is on chain %d", registry.ErrChainChanged, id.ChainID, chainID)
	case genesis != "" && !strings.EqualFold(genesis, id.GenesisHash):
		return fmt.Errorf("%w: chain %d now has genesis %s, but the deployment was made on genesis %s (the chain was reset or replaced)",
			registry.ErrChainChanged, chainID, id.GenesisHash, genesis)
	}
	return nil
}

// CheckNow is Check with a fresh read of the chain's identity: for the moment
// right before something is sent, so a chain switched under the node within
// the cache's second never receives another chain's transaction.
func (g *Guard) CheckNow(ctx context.Context, chainID int64, genesis string) error {
	return g.Fresh().Check(ctx, chainID, genesis)
}

// Fresh returns a check that reads the chain's identity anew on its first use
// and reuses that read after: a pass that vets several issuances before
// sending pays one RPC call, not one per issuance.
func (g *Guard) Fresh() *FreshCheck { return &FreshCheck{g: g} }

// FreshCheck is one fresh read of the chain's identity, shared by a pass.
type FreshCheck struct {
	g    *Guard
	read bool
	id   registry.ChainIdentity
	err  error
}

// Check is Guard.Check against the pass's fresh read.
func (f *FreshCheck) Check(ctx context.Context, chainID int64, genesis string) error {
	if !f.read {
		f.read = true
		f.g.mu.Lock()
		f.g.readAt = time.Time{}
		f.g.mu.Unlock()
		f.id, f.err = f.g.Identity(ctx)
	}
	if f.err != nil {
		return f.err
	}
	return compareIdentity(f.id, chainID, genesis)
}

// Health says why the chain cannot be relied on right now, or "" when it can:
// unreachable, or a head that stopped advancing.
func (g *Guard) Health(ctx context.Context) string {
	if _, err := g.Identity(ctx); err != nil {
		return err.Error()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stallAfter > 0 && g.now().Sub(g.headAt) > g.stallAfter {
		return fmt.Sprintf("chain head stalled at block %d for %s", g.head, g.now().Sub(g.headAt).Round(time.Second))
	}
	return ""
}

// Reachable reports whether the last identity read succeeded.
func (g *Guard) Reachable() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.readErr == nil && !g.readAt.IsZero()
}
