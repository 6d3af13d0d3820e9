// Package mirror follows one token's Transfer events on an EVM chain and writes
// them, exactly once, through a registry.MirrorStore.
//
// The algorithm (after the Optimism indexer's ETL loop and Chainlink's
// LogPoller):
//
//   - Backfill: from checkpoint+1 to head−confirmations in ranges of eth_getLogs.
//     Each range fetches the header at its end before and after the logs query
//     (an unchanged end hash means the chain under the range did not move while
//     the logs were read), checks that every log at the end block carries that
//     hash, and checks that the checkpoint is still canonical before applying.
//     A range answered with a "too many results" style error is halved and
//     retried; successful ranges grow back to MaxRange.
//   - Follow: once one block behind, each block n is fetched by number, its parent
//     hash compared with the checkpoint's hash, and its logs read by block hash
//     (so they belong to exactly that block).
//   - Reorg: on a mismatch the engine walks the stored blocks downwards,
//     comparing each with the canonical header at its height, and rewinds the
//     store to the first that matches (the common ancestor) in one transaction.
//   - A node whose head is below the checkpoint is reported as behind
//     (ErrNodeBehind, Stats.Healthy false) and nothing is rewound: that node is
//     lagging or resyncing, and its view of the chain is not evidence of a reorg.
//
// Every batch (blocks, transfers, balances, checkpoint) is one transaction
// whose parent must be the stored checkpoint, so a restart at any point resumes
// from the checkpoint with no gap and no duplicate.
package mirror

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/stonode/stonode/registry"
)

// Client is the part of an Ethereum JSON-RPC client the engine uses; both
// *ethclient.Client and simulated.Client satisfy it.
type Client interface {
	BlockNumber(ctx context.Context) (uint64, error)
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error)
}

// TransferTopic is keccak256("Transfer(address,address,uint256)").
var TransferTopic = crypto.Keccak256Hash([]byte("Transfer(address,address,uint256)"))

var (
	// ErrNodeBehind reports a node whose head (or a header it should have) is
	// below what the mirror already holds.
	ErrNodeBehind = errors.New("mirror: node is behind the mirror's checkpoint")
	// ErrReorgTooDeep reports a reorg deeper than Config.MaxReorgDepth; the
	// mirror is left as it is for an operator to look at.
	ErrReorgTooDeep = errors.New("mirror: reorg deeper than the configured maximum")
)

// Config of one token's mirror.
type Config struct {
	ChainID int64
	Token   common.Address
	// StartBlock is the token's deployment block: no Transfer can be older.
	StartBlock uint64
	// Confirmations is how many blocks behind the head a block must be to be
	// ingested; 0 ingests the head itself (and relies on reorg handling).
	Confirmations uint64
	// MaxRange bounds one eth_getLogs query (blocks); default 2000.
	MaxRange uint64
	// PollInterval is Run's wait between passes once caught up; default 2s.
	PollInterval time.Duration
	// CallTimeout is the deadline of each RPC call; default 10s.
	CallTimeout time.Duration
	// RetryMin and RetryMax bound the exponential backoff between attempts of
	// a failing RPC call (defaults 200ms, 10s); MaxAttempts caps the attempts
	// of one call (default 5) before the pass fails and Run backs off.
	RetryMin, RetryMax time.Duration
	MaxAttempts        int
	// MaxReorgDepth refuses to rewind further than this many blocks (0: no
	// limit). A deeper "reorg" is more likely a misconfigured endpoint than a
	// real one, and re-ingesting is cheaper than trusting it blindly.
	MaxReorgDepth uint64
	// OnReorg, if set, is called after each rewind (for a depth histogram).
	OnReorg func(Reorg)
	// CheckChain, if set, is asked at the start of every pass and again right
	// before any rewind whether the node still talks to the chain the token was
	// deployed on; an error wrapping registry.ErrChainChanged stops the engine.
	CheckChain func(ctx context.Context) error
	// OnHalt, if set, is called once when the engine stops for good: the chain
	// changed identity or a reorg went deeper than MaxReorgDepth. Nothing was
	// rewound; the store holds the mirror as last confirmed.
	OnHalt func(err error)
	Logger *slog.Logger
}

// Reorg describes one rewind.
type Reorg struct {
	From, To uint64 // the checkpoint before and after
	Depth    uint64 // From − To
}

// Stats are the engine's counters and gauges; counters only grow, so a
// caller can export them as Prometheus counter/gauge funcs.
type Stats struct {
	Head           uint64 // last head the node reported
	Indexed        uint64 // checkpoint after the last batch
	Healthy        bool   // the last pass reached the target without error
	LastError      string
	Reorgs         uint64
	LastReorgDepth uint64
	MaxReorgDepth  uint64
	Batches        uint64
	Blocks         uint64 // blocks covered by applied batches
	Transfers      uint64 // transfer rows ingested
	RPCErrors      uint64
	RangeShrinks   uint64 // eth_getLogs ranges halved after a limit error
}

// Engine mirrors one token.
type Engine struct {
	cfg    Config
	client Client
	store  registry.MirrorStore
	token  string
	log    *slog.Logger

	mu    sync.Mutex
	stats Stats
	span  uint64 // current eth_getLogs range; shrinks on limit errors, grows back
	// ahead are the next ranges' answers, contiguous from the checkpoint's
	// next block, fetched and decoded while earlier ranges are stored.
	ahead []*rangeLogs
}

// prefetchDepth is how many ranges the backfill fetches ahead of the one it
// stores. One overlaps each write with the next answer; two measured no
// faster against anvil on two cores (the second fetch and its decoding
// slowed the write they ran beside: scripts/bench-mirror.sh, PostgreSQL
// 0.67–0.68x with two, 0.70–0.76x with one), so one it is until a remote
// node's uneven latency says otherwise.
const prefetchDepth = 1

// New returns an engine; nothing runs until Sync or Run.
func New(cfg Config, client Client, store registry.MirrorStore) *Engine {
	if cfg.MaxRange == 0 {
		cfg.MaxRange = 2000
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 2 * time.Second
	}
	if cfg.CallTimeout == 0 {
		cfg.CallTimeout = 10 * time.Second
	}
	if cfg.RetryMin == 0 {
		cfg.RetryMin = 200 * time.Millisecond
	}
	if cfg.RetryMax == 0 {
		cfg.RetryMax = 10 * time.Second
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = 5
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Engine{cfg: cfg, client: client, store: store, token: strings.ToLower(cfg.Token.Hex()),
		log: cfg.Logger.With("chain", cfg.ChainID, "token", strings.ToLower(cfg.Token.Hex())), span: cfg.MaxRange}
}

// Stats returns a snapshot of the counters.
func (e *Engine) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stats
}

func (e *Engine) update(fn func(s *Stats)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	fn(&e.stats)
}

// Run syncs until ctx is done, waiting PollInterval between passes and backing
// off (capped) after failed ones. It returns ctx's error.
func (e *Engine) Run(ctx context.Context) error {
	backoff := e.cfg.RetryMin
	for {
		wait := e.cfg.PollInterval
		if err := e.Sync(ctx); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if Fatal(err) {
				e.log.Error("mirror halted; nothing was rewound", "err", err)
				if e.cfg.OnHalt != nil {
					e.cfg.OnHalt(err)
				}
				return err
			}
			e.log.Warn("mirror pass failed", "err", err)
			wait, backoff = backoff, min(backoff*2, e.cfg.RetryMax)
		} else {
			backoff = e.cfg.RetryMin
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Fatal reports an error no retry can cure: following on would rewrite the
// record from a chain that is not the token's, or rewind past the node's bound.
func Fatal(err error) bool {
	return errors.Is(err, ErrReorgTooDeep) || errors.Is(err, registry.ErrChainChanged)
}

// Sync runs one pass: it ingests up to the node's head minus the confirmation
// depth and returns.
func (e *Engine) Sync(ctx context.Context) error {
	for {
		done, err := e.step(ctx)
		if err != nil {
			e.update(func(s *Stats) { s.Healthy, s.LastError = false, err.Error() })
			return err
		}
		if done {
			e.update(func(s *Stats) { s.Healthy, s.LastError = true, "" })
			return nil
		}
	}
}

// step does one unit of work: a range, a block or a rewind. done means the
// mirror has reached head − confirmations.
func (e *Engine) step(ctx context.Context) (done bool, err error) {
	if e.cfg.CheckChain != nil {
		if err := e.cfg.CheckChain(ctx); err != nil {
			return false, err
		}
	}
	cp, have, err := e.store.Checkpoint(ctx, e.cfg.ChainID, e.token)
	if err != nil {
		return false, fmt.Errorf("read checkpoint: %w", err)
	}
	var head uint64
	if err := e.call(ctx, "eth_blockNumber", func(ctx context.Context) (err error) {
		head, err = e.client.BlockNumber(ctx)
		return err
	}); err != nil {
		return false, err
	}
	e.update(func(s *Stats) {
		s.Head = head
		if have {
			s.Indexed = cp.Number
		}
	})
	if have && head < cp.Number {
		return false, fmt.Errorf("%w: head %d, checkpoint %d", ErrNodeBehind, head, cp.Number)
	}
	if head < e.cfg.Confirmations {
		return true, nil
	}
	target := head - e.cfg.Confirmations
	next := e.cfg.StartBlock
	var parent *registry.ChainBlock
	if have {
		next = cp.Number + 1
		parent = &registry.ChainBlock{Number: cp.Number, Hash: cp.Hash}
	}
	if target < next {
		return true, nil
	}
	if parent != nil && target == next {
		return false, e.follow(ctx, *parent, next)
	}
	r := e.takePrefetched(ctx, next, target)
	if r == nil {
		e.mu.Lock()
		span := e.span
		e.mu.Unlock()
		r = e.fetchRange(ctx, &rangeLogs{from: next, to: min(next+span-1, target), done: make(chan struct{})})
	}
	return false, e.backfill(ctx, parent, r, target)
}

// rangeLogs is one eth_getLogs answer with the range's end header, checked
// unchanged after the query (changed reports that the chain moved under it),
// and the batch its logs make, decoded beside the store's writes. The fields
// are written before done is closed and only read after.
type rangeLogs struct {
	from, to uint64
	end      *types.Header
	changed  bool
	err      error
	batch    registry.MirrorBatch // without its Parent, which the checkpoint gives
	batchErr error                // the logs failed batch's checks
	done     chan struct{}
}

// fetchRange queries [r.from, r.to], checks that the end header did not change
// during the query (the logs could otherwise mix two branches), decodes the
// logs into r.batch and closes r.done.
func (e *Engine) fetchRange(ctx context.Context, r *rangeLogs) *rangeLogs {
	defer close(r.done)
	if r.end, r.err = e.header(ctx, r.to); r.err != nil {
		return r
	}
	var logs []types.Log
	r.err = e.call(ctx, "eth_getLogs", func(ctx context.Context) (err error) {
		logs, err = e.client.FilterLogs(ctx, ethereum.FilterQuery{
			FromBlock: new(big.Int).SetUint64(r.from), ToBlock: new(big.Int).SetUint64(r.to),
			Addresses: []common.Address{e.cfg.Token}, Topics: [][]common.Hash{{TransferTopic}},
		})
		return err
	})
	if r.err != nil {
		return r
	}
	again, err := e.header(ctx, r.to)
	if err != nil {
		r.err = err
		return r
	}
	if r.changed = again.Hash() != r.end.Hash(); r.changed {
		return r
	}
	end := registry.ChainBlock{Number: r.to, Hash: hexLower(r.end.Hash()), ParentHash: hexLower(r.end.ParentHash), Time: r.end.Time}
	r.batch, r.batchErr = e.batch(nil, end, r.from, logs)
	return r
}

// takePrefetched returns the prefetched answer of the range starting at from
// (and ending by target), waiting for it to arrive. It returns nil, and drops
// every range fetched ahead, when none starts there (a rewind or a follow
// moved the position) or the answer was a failure: a failure is asked again
// afresh, so an error met ahead of time (a cancelled pass, a provider limit)
// is judged now, exactly as a fresh query's would be.
func (e *Engine) takePrefetched(ctx context.Context, from, target uint64) *rangeLogs {
	e.mu.Lock()
	var p *rangeLogs
	if len(e.ahead) > 0 && e.ahead[0].from == from && e.ahead[0].to <= target {
		p, e.ahead = e.ahead[0], e.ahead[1:]
	} else {
		e.ahead = nil
	}
	e.mu.Unlock()
	if p == nil {
		return nil
	}
	select {
	case <-p.done:
	case <-ctx.Done():
		return nil
	}
	if p.err != nil || p.changed {
		e.mu.Lock()
		e.ahead = nil
		e.mu.Unlock()
		return nil
	}
	return p
}

// prefetch starts fetching the ranges after block last, up to prefetchDepth
// ranges ahead and only ranges the next passes will backfill (not follow
// block by block). e.mu must be held.
func (e *Engine) prefetch(ctx context.Context, last, target uint64) {
	if n := len(e.ahead); n > 0 {
		last = e.ahead[n-1].to
	}
	for len(e.ahead) < prefetchDepth && last+1 < target {
		r := &rangeLogs{from: last + 1, to: min(last+e.span, target), done: make(chan struct{})}
		e.ahead = append(e.ahead, r)
		go e.fetchRange(ctx, r)
		last = r.to
	}
}

// backfill ingests the range r answered. As soon as the answer is whole, the
// next ranges (up to target) are fetched and decoded while this one is
// checked and stored, so the node's RPC time and the database's write time
// overlap instead of adding up; a prefetched answer is used only by the pass
// that starts exactly where it does, and every check a fresh query gets still
// applies to it, at the time it is used.
func (e *Engine) backfill(ctx context.Context, parent *registry.ChainBlock, r *rangeLogs, target uint64) error {
	from, to, err := r.from, r.to, r.err
	if err != nil {
		// A provider's limit error, or our deadline on a large range, both say
		// the range is too big for one answer.
		if (isLimitError(err) || errors.Is(err, context.DeadlineExceeded)) && to > from {
			half := max((to-from+1)/2, 1)
			e.mu.Lock()
			e.span = half
			e.mu.Unlock()
			e.update(func(s *Stats) { s.RangeShrinks++ })
			e.log.Info("eth_getLogs range shrunk", "from", from, "to", to, "span", half, "err", err)
			return nil
		}
		return err
	}
	if r.changed {
		// The chain moved under the query; the logs may mix two branches.
		e.log.Info("range end changed during eth_getLogs; retrying", "block", to)
		return nil
	}
	e.mu.Lock()
	e.span = min(e.span*2, e.cfg.MaxRange)
	e.prefetch(ctx, to, target)
	e.mu.Unlock()
	if parent != nil {
		canon, err := e.header(ctx, parent.Number)
		if err != nil {
			return err
		}
		if canon.Hash().Hex() != parent.Hash {
			return e.reorg(ctx, *parent)
		}
	}
	if r.batchErr != nil {
		return r.batchErr
	}
	batch := r.batch
	batch.Parent = parent
	if err := e.blockTimes(ctx, &batch); err != nil {
		return err
	}
	return e.apply(ctx, batch, to-from+1)
}

// follow ingests block n on top of the checkpoint, after checking that n's
// parent is the checkpoint.
func (e *Engine) follow(ctx context.Context, parent registry.ChainBlock, n uint64) error {
	h, err := e.header(ctx, n)
	if err != nil {
		return err
	}
	if hexLower(h.ParentHash) != parent.Hash {
		return e.reorg(ctx, parent)
	}
	hash := h.Hash()
	var logs []types.Log
	err = e.call(ctx, "eth_getLogs", func(ctx context.Context) (err error) {
		logs, err = e.client.FilterLogs(ctx, ethereum.FilterQuery{
			BlockHash: &hash, Addresses: []common.Address{e.cfg.Token}, Topics: [][]common.Hash{{TransferTopic}},
		})
		return err
	})
	if err != nil {
		return err
	}
	blk := registry.ChainBlock{Number: n, Hash: hexLower(hash), ParentHash: hexLower(h.ParentHash), Time: h.Time}
	batch, err := e.batch(&parent, blk, n, logs)
	if err != nil {
		return err
	}
	return e.apply(ctx, batch, 1)
}

// batch checks the logs of [from, end] and turns them into a batch. The end
// block's hash is the one verified; every log at that height must carry it, and
// each other height must carry one hash only.
func (e *Engine) batch(parent *registry.ChainBlock, end registry.ChainBlock, from uint64, logs []types.Log) (registry.MirrorBatch, error) {
	b := registry.MirrorBatch{ChainID: e.cfg.ChainID, Token: e.token, Parent: parent, Head: end}
	if d := e.cfg.MaxReorgDepth; d > 0 && end.Number > d {
		// The blocks this batch moves below the reorg bound: the rest of the
		// stored headers stay within it, one row per block with a transfer
		// below it.
		b.PruneBelow = end.Number - d
		if from > d {
			b.PruneFrom = from - 1 - d
		}
	}
	hashes := map[uint64]string{end.Number: end.Hash}
	for i := range logs {
		l := &logs[i]
		if l.Removed || l.Address != e.cfg.Token || l.BlockNumber < from || l.BlockNumber > end.Number {
			return b, fmt.Errorf("eth_getLogs returned an unexpected log (block %d, index %d, address %s, removed %v) for %d..%d",
				l.BlockNumber, l.Index, l.Address, l.Removed, from, end.Number)
		}
		bh := hexLower(l.BlockHash)
		if h, ok := hashes[l.BlockNumber]; !ok {
			hashes[l.BlockNumber] = bh
			b.Blocks = append(b.Blocks, registry.ChainBlock{Number: l.BlockNumber, Hash: bh, Time: l.BlockTimestamp})
		} else if h != bh {
			return b, fmt.Errorf("eth_getLogs returned block %d as both %s and %s: the chain moved", l.BlockNumber, h, bh)
		}
		t, err := e.decode(l)
		if err != nil {
			return b, err
		}
		b.Transfers = append(b.Transfers, t)
	}
	b.Blocks = append(b.Blocks, end)
	return b, nil
}

// blockTimes fills in the timestamps of a batch's blocks that their logs did
// not carry (a node older than the blockTimestamp log field), one header
// each: a register at a record date finds its block by timestamp. A
// header whose hash is not the logs' means the chain moved under the range;
// the pass fails and the next one starts over.
func (e *Engine) blockTimes(ctx context.Context, b *registry.MirrorBatch) error {
	for i := range b.Blocks {
		blk := &b.Blocks[i]
		if blk.Time != 0 {
			continue
		}
		h, err := e.header(ctx, blk.Number)
		if err != nil {
			return err
		}
		if hexLower(h.Hash()) != blk.Hash {
			return fmt.Errorf("block %d is %s now, not %s as its logs said: the chain moved", blk.Number, hexLower(h.Hash()), blk.Hash)
		}
		blk.Time = h.Time
	}
	return nil
}

func (e *Engine) decode(l *types.Log) (registry.Transfer, error) {
	if len(l.Topics) != 3 || l.Topics[0] != TransferTopic || len(l.Data) != 32 {
		return registry.Transfer{}, fmt.Errorf("log %s/%d is not an ERC-20 Transfer (%d topics, %d data bytes)",
			l.BlockHash, l.Index, len(l.Topics), len(l.Data))
	}
	return registry.Transfer{
		ChainID: e.cfg.ChainID, Token: e.token, BlockNumber: l.BlockNumber, BlockHash: hexLower(l.BlockHash),
		TxHash: hexLower(l.TxHash), LogIndex: l.Index,
		From:   topicAddress(l.Topics[1]),
		To:     topicAddress(l.Topics[2]),
		Amount: new(big.Int).SetBytes(l.Data),
	}, nil
}

func (e *Engine) apply(ctx context.Context, b registry.MirrorBatch, blocks uint64) error {
	if err := e.store.Apply(ctx, b); err != nil {
		return fmt.Errorf("apply blocks %d..%d: %w", b.Head.Number-blocks+1, b.Head.Number, err)
	}
	e.update(func(s *Stats) {
		s.Indexed = b.Head.Number
		s.Batches++
		s.Blocks += blocks
		s.Transfers += uint64(len(b.Transfers))
	})
	return nil
}

// reorg finds the highest stored block that is still canonical and rewinds the
// store to it. Headers the node does not have mean the node is behind, not
// that the chain changed, so they stop the walk with ErrNodeBehind.
func (e *Engine) reorg(ctx context.Context, cp registry.ChainBlock) error {
	const page = 64
	below := cp.Number
	var ancestor uint64
	found := false
walk:
	for {
		blocks, err := e.store.BlocksBelow(ctx, e.cfg.ChainID, e.token, below, page)
		if err != nil {
			return fmt.Errorf("stored blocks below %d: %w", below, err)
		}
		for _, b := range blocks {
			if d := e.cfg.MaxReorgDepth; d > 0 && cp.Number-b.Number > d {
				return fmt.Errorf("%w: no common ancestor within %d blocks of %d", ErrReorgTooDeep, d, cp.Number)
			}
			h, err := e.header(ctx, b.Number)
			if err != nil {
				return err
			}
			if hexLower(h.Hash()) == b.Hash {
				ancestor, found = b.Number, true
				break walk
			}
		}
		if len(blocks) < page || blocks[len(blocks)-1].Number == 0 {
			break
		}
		below = blocks[len(blocks)-1].Number - 1
	}
	if !found {
		// No stored block is canonical any more: the reorg reaches below every
		// block the mirror kept, so it starts over from the deployment block —
		// within the bound below, and only on the same chain (CheckChain).
		ancestor = e.cfg.StartBlock
		if ancestor > 0 {
			ancestor--
		}
	}
	if d := e.cfg.MaxReorgDepth; d > 0 && cp.Number-ancestor > d {
		return fmt.Errorf("%w: no common ancestor within %d blocks of %d", ErrReorgTooDeep, d, cp.Number)
	}
	if e.cfg.CheckChain != nil {
		if err := e.cfg.CheckChain(ctx); err != nil {
			return err
		}
	}
	if err := e.store.Rewind(ctx, e.cfg.ChainID, e.token, ancestor); err != nil {
		return fmt.Errorf("rewind to %d: %w", ancestor, err)
	}
	r := Reorg{From: cp.Number, To: ancestor, Depth: cp.Number - ancestor}
	e.update(func(s *Stats) {
		s.Reorgs++
		s.LastReorgDepth = r.Depth
		s.MaxReorgDepth = max(s.MaxReorgDepth, r.Depth)
		s.Indexed = ancestor
	})
	e.log.Warn("reorg: mirror rewound", "from", r.From, "to", r.To, "depth", r.Depth)
	if e.cfg.OnReorg != nil {
		e.cfg.OnReorg(r)
	}
	return nil
}

// header fetches the canonical header at n; a missing one means the node is
// behind.
func (e *Engine) header(ctx context.Context, n uint64) (*types.Header, error) {
	var h *types.Header
	err := e.call(ctx, "eth_getBlockByNumber", func(ctx context.Context) (err error) {
		h, err = e.client.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
		return err
	})
	if errors.Is(err, ethereum.NotFound) || err == nil && h == nil {
		return nil, fmt.Errorf("%w: no header for block %d", ErrNodeBehind, n)
	}
	return h, err
}

// call runs one RPC with a deadline, retrying transient failures with capped
// exponential backoff. Limit errors and missing data are answers, not
// failures, and return at once.
func (e *Engine) call(ctx context.Context, method string, fn func(ctx context.Context) error) error {
	delay := e.cfg.RetryMin
	for attempt := 1; ; attempt++ {
		cctx, cancel := context.WithTimeout(ctx, e.cfg.CallTimeout)
		err := fn(cctx)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w", method, ctx.Err())
		}
		e.update(func(s *Stats) { s.RPCErrors++ })
		if errors.Is(err, ethereum.NotFound) || isLimitError(err) || attempt >= e.cfg.MaxAttempts {
			return fmt.Errorf("%s (attempt %d): %w", method, attempt, err)
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%s: %w", method, ctx.Err())
		case <-t.C:
		}
		delay = min(delay*2, e.cfg.RetryMax)
	}
}

// limitPhrases are how providers say an eth_getLogs answer would be too big:
// geth ("exceed maximum block range"), Infura ("query returned more than 10000
// results", code -32005), Alchemy ("Log response size exceeded"), QuickNode and
// others ("limited to a 10,000 range", "too many").
var limitPhrases = []string{"more than", "too many", "exceed", "limit", "response size", "range is too large", "block range"}

func isLimitError(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return false // our own deadline, not the provider's answer
	}
	var re rpc.Error
	if errors.As(err, &re) && re.ErrorCode() == -32005 {
		return true
	}
	msg := strings.ToLower(err.Error())
	if strings.Contains(msg, "rate") || strings.Contains(msg, "429") {
		return false // rate limiting wants backoff, not smaller ranges
	}
	for _, p := range limitPhrases {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

func hexLower(h common.Hash) string { return h.Hex() } // common.Hash.Hex is already lower case

// topicAddress is the address in an indexed topic's low 20 bytes, in lower
// case hex: common.Address.Hex would hash it for its EIP-55 checksum case,
// twice per log, only for the case to be dropped again.
func topicAddress(t common.Hash) string {
	return "0x" + hex.EncodeToString(t[common.HashLength-common.AddressLength:])
}
