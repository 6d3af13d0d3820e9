package chain

import (
	"context"
	"fmt"
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/stonode/stonode/registry/chain/mirror"
)

// Follower is one chain's head follower and eth_getLogs stream, shared by the
// transfer mirrors of every token the node runs on that chain, in the manner
// of Chainlink's LogPoller: instead of each mirror polling the head, reading
// each new block's header and asking for its logs (three calls per token per
// block), the follower reads the head once a tick and wakes the idle mirrors
// together; their header reads of one block become one call, and their
// eth_getLogs of one block (or of one range) become one call whose address
// filter names every token asking, the answer split by address.
//
// A mirror reads the chain through its own View. A view's BlockNumber waits
// for the follower's next tick when the mirror is idle (it asked for no logs
// since its last look at the head), so mirrors that have caught up ask
// nothing of the node between blocks; a mirror still backfilling is answered
// at once.
type Follower struct {
	client mirror.Client
	every  time.Duration
	window time.Duration // how long a logs query waits for others to join it

	mu      sync.Mutex
	head    uint64
	headErr error
	tick    chan struct{} // closed at the next tick
	headers map[uint64]*headerCall
	logs    map[logsKey]*logsCall
	// answered counts eth_getLogs answers; a header read records the count it
	// started at, so a view can tell a header read before its logs answer
	// from one read after it.
	answered uint64

	// Calls counts the calls made to the chain node, by method.
	Calls struct{ BlockNumber, HeaderByNumber, GetLogs atomic.Int64 }
}

type headerCall struct {
	done  chan struct{}
	after uint64 // Follower.answered when the read started
	h     *types.Header
	err   error
}

// logsKey is a query's block selection and topics; queries with the same key
// differ by address only and are answered by one call.
type logsKey struct {
	blockHash common.Hash
	from, to  uint64 // when blockHash is zero
	topics    string
}

type logsCall struct {
	addrs map[common.Address]bool
	any   bool // a query without an address filter joined: the call has none
	done  chan struct{}
	logs  []types.Log
	err   error
}

// NewFollower returns the follower of client's chain, ticking every every.
func NewFollower(client mirror.Client, every time.Duration) *Follower {
	return &Follower{client: client, every: every, window: 20 * time.Millisecond, tick: make(chan struct{}),
		headers: map[uint64]*headerCall{}, logs: map[logsKey]*logsCall{}}
}

// Run reads the head every tick until ctx ends.
func (f *Follower) Run(ctx context.Context) {
	t := time.NewTicker(f.every)
	defer t.Stop()
	for {
		f.poll(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// poll reads the head once, forgets the headers cached since the last tick
// (a reorg may have replaced them) and wakes the waiting views.
func (f *Follower) poll(ctx context.Context) {
	cctx, cancel := context.WithTimeout(ctx, f.every+5*time.Second)
	head, err := f.client.BlockNumber(cctx)
	cancel()
	f.Calls.BlockNumber.Add(1)
	f.mu.Lock()
	if err == nil {
		f.head = head
	}
	f.headErr = err
	f.headers = map[uint64]*headerCall{}
	close(f.tick)
	f.tick = make(chan struct{})
	f.mu.Unlock()
}

// View returns a client for one mirror.
func (f *Follower) View() mirror.Client { return &followerView{f: f} }

type followerView struct {
	f      *Follower
	mu     sync.Mutex
	asked  bool // asked for logs since its last BlockNumber
	looked bool // has looked at the head before
	// answeredAt is Follower.answered when this view's last eth_getLogs
	// answer came: a header it reads now must have been read after that.
	answeredAt uint64
}

// BlockNumber answers the follower's head; an idle mirror first waits for
// the next tick (or at most two ticks, so it still checks its chain).
func (v *followerView) BlockNumber(ctx context.Context) (uint64, error) {
	v.mu.Lock()
	idle := v.looked && !v.asked
	v.looked, v.asked = true, false
	v.mu.Unlock()
	f := v.f
	if idle {
		f.mu.Lock()
		tick := f.tick
		f.mu.Unlock()
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-tick:
		case <-time.After(2 * f.every):
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.headErr != nil {
		return 0, fmt.Errorf("head: %w", f.headErr)
	}
	if f.head == 0 {
		return 0, fmt.Errorf("head: not read yet")
	}
	return f.head, nil
}

// HeaderByNumber reads a header once per tick for every mirror asking, but
// never answers with a read that started before the view's last eth_getLogs
// answer: a backfill reads a range's end header before and after its logs to
// learn that the chain did not move under them, and a cached copy of the
// first read would make that check compare a header with itself.
func (v *followerView) HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error) {
	f := v.f
	if number == nil {
		f.Calls.HeaderByNumber.Add(1)
		return f.client.HeaderByNumber(ctx, nil)
	}
	n := number.Uint64()
	v.mu.Lock()
	answeredAt := v.answeredAt
	v.mu.Unlock()
	f.mu.Lock()
	c, ok := f.headers[n]
	if ok && c.after < answeredAt {
		ok = false // read before this view's logs: read again, for every later asker too
	}
	if !ok {
		c = &headerCall{done: make(chan struct{}), after: f.answered}
		f.headers[n] = c
		f.mu.Unlock()
		f.Calls.HeaderByNumber.Add(1)
		c.h, c.err = f.client.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
		close(c.done)
		if c.err != nil { // not kept: the next asker tries again
			f.mu.Lock()
			if f.headers[n] == c {
				delete(f.headers, n)
			}
			f.mu.Unlock()
		}
		return c.h, c.err
	}
	f.mu.Unlock()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-c.done:
		return c.h, c.err
	}
}

// FilterLogs joins the query to the others of the same blocks and topics
// made within the follower's window, and returns its addresses' logs.
func (v *followerView) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	v.mu.Lock()
	v.asked = true
	v.mu.Unlock()
	f := v.f
	key := logsKey{topics: fmt.Sprint(q.Topics)}
	switch {
	case q.BlockHash != nil:
		key.blockHash = *q.BlockHash
	case q.FromBlock != nil && q.ToBlock != nil:
		key.from, key.to = q.FromBlock.Uint64(), q.ToBlock.Uint64()
	default:
		f.Calls.GetLogs.Add(1)
		return f.client.FilterLogs(ctx, q)
	}
	f.mu.Lock()
	c, joined := f.logs[key]
	if !joined {
		c = &logsCall{addrs: map[common.Address]bool{}, done: make(chan struct{})}
		f.logs[key] = c
	}
	for _, a := range q.Addresses {
		c.addrs[a] = true
	}
	c.any = c.any || len(q.Addresses) == 0
	f.mu.Unlock()
	if !joined {
		go f.dispatch(context.WithoutCancel(ctx), key, c, q)
	}
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-c.done:
	}
	if c.err != nil {
		return nil, c.err
	}
	f.mu.Lock()
	answered := f.answered
	f.mu.Unlock()
	v.mu.Lock()
	v.answeredAt = max(v.answeredAt, answered)
	v.mu.Unlock()
	want := map[common.Address]bool{}
	for _, a := range q.Addresses {
		want[a] = true
	}
	var out []types.Log
	for _, l := range c.logs {
		if len(want) == 0 || want[l.Address] {
			out = append(out, l)
		}
	}
	return out, nil
}

// dispatch sends a joined query once the window has passed.
func (f *Follower) dispatch(ctx context.Context, key logsKey, c *logsCall, q ethereum.FilterQuery) {
	time.Sleep(f.window)
	f.mu.Lock()
	delete(f.logs, key) // later queries start a call of their own
	q.Addresses = nil
	if !c.any {
		for a := range c.addrs {
			q.Addresses = append(q.Addresses, a)
		}
	}
	f.mu.Unlock()
	cctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	f.Calls.GetLogs.Add(1)
	c.logs, c.err = f.client.FilterLogs(cctx, q)
	f.mu.Lock()
	f.answered++
	f.mu.Unlock()
	close(c.done)
}
