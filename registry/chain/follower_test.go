package chain_test

import (
	"context"
	"math/big"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/stonode/stonode/registry/chain"
)

// echoChain answers every eth_getLogs with one log per address asked (or one
// for a query without addresses) and counts what it is asked.
type echoChain struct {
	head                      atomic.Uint64
	blockNumber, headers, get atomic.Int64
	mu                        sync.Mutex
	asked                     [][]common.Address
}

func (c *echoChain) BlockNumber(context.Context) (uint64, error) {
	c.blockNumber.Add(1)
	return c.head.Load(), nil
}

func (c *echoChain) HeaderByNumber(_ context.Context, n *big.Int) (*types.Header, error) {
	c.headers.Add(1)
	return &types.Header{Number: new(big.Int).Set(n)}, nil
}

func (c *echoChain) FilterLogs(_ context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	c.get.Add(1)
	c.mu.Lock()
	c.asked = append(c.asked, q.Addresses)
	c.mu.Unlock()
	var out []types.Log
	for _, a := range q.Addresses {
		out = append(out, types.Log{Address: a, BlockNumber: 7})
	}
	if len(q.Addresses) == 0 {
		out = append(out, types.Log{Address: common.HexToAddress("0xff"), BlockNumber: 7})
	}
	return out, nil
}

// TestFollowerJoinsTheMirrorsReads: 200 mirrors reading one block through
// the follower cost one header read and one eth_getLogs naming all 200
// tokens, each mirror getting its own token's logs only; an idle mirror's
// BlockNumber waits for the follower's next head, a busy one's does not.
func TestFollowerJoinsTheMirrorsReads(t *testing.T) {
	ec := &echoChain{}
	ec.head.Store(10)
	f := chain.NewFollower(ec, time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go f.Run(ctx)
	for ec.blockNumber.Load() == 0 { // the first tick: header reads are kept until the next
		time.Sleep(time.Millisecond)
	}
	time.Sleep(10 * time.Millisecond)

	const mirrors = 200
	hash := common.HexToHash("0xabc")
	var wg sync.WaitGroup
	errs := make(chan error, mirrors)
	for i := range mirrors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := f.View()
			if _, err := v.HeaderByNumber(ctx, big.NewInt(7)); err != nil {
				errs <- err
				return
			}
			token := common.BigToAddress(big.NewInt(int64(1000 + i)))
			logs, err := v.FilterLogs(ctx, ethereum.FilterQuery{BlockHash: &hash, Addresses: []common.Address{token}})
			if err != nil {
				errs <- err
				return
			}
			if len(logs) != 1 || logs[0].Address != token {
				t.Errorf("mirror of %s got %v", token, logs)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if ec.headers.Load() != 1 {
		t.Errorf("%d header reads for one block, want 1", ec.headers.Load())
	}
	// The mirrors start within the join window of each other; on a loaded
	// machine a few may miss it and make a call of their own.
	if n := ec.get.Load(); n < 1 || n > 5 {
		t.Errorf("%d eth_getLogs calls for %d mirrors of one block, want 1 (a few at most)", n, mirrors)
	}
	total := 0
	for _, a := range ec.asked {
		total += len(a)
	}
	if total != mirrors {
		t.Errorf("the calls named %d addresses, want %d", total, mirrors)
	}

	// Head: a view answers at once on its first look and while busy (it asked
	// for logs since); idle, it waits for the next tick and sees the new head.
	v := f.View()
	if h, err := v.BlockNumber(ctx); err != nil || h != 10 {
		t.Fatalf("first look: %d %v", h, err)
	}
	if _, err := v.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: big.NewInt(1), ToBlock: big.NewInt(9)}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := v.BlockNumber(ctx); err != nil {
		t.Fatal(err)
	}
	if busy := time.Since(start); busy > 100*time.Millisecond {
		t.Errorf("a busy mirror waited %s for the head", busy)
	}
	ec.head.Store(11)
	polls := ec.blockNumber.Load()
	h, err := v.BlockNumber(ctx) // idle now: waits for the next tick
	if err != nil || h != 11 {
		t.Fatalf("idle look after the head moved: %d %v", h, err)
	}
	if ec.blockNumber.Load() <= polls {
		t.Error("an idle mirror was answered before the follower's next tick")
	}
}

// movingChain is echoChain whose header at every height changes (a reorg)
// once an eth_getLogs has been answered.
type movingChain struct {
	echoChain
	moved atomic.Bool
}

func (c *movingChain) HeaderByNumber(ctx context.Context, n *big.Int) (*types.Header, error) {
	h, _ := c.echoChain.HeaderByNumber(ctx, n)
	if c.moved.Load() {
		h.Extra = []byte("after the reorg")
	}
	return h, nil
}

func (c *movingChain) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	defer c.moved.Store(true)
	return c.echoChain.FilterLogs(ctx, q)
}

// TestFollowerRereadsTheRangeEndAfterLogs: a backfill reads its range's end
// header, then the logs, then the end header again to learn that the chain
// did not move under the logs. Through the follower the second read must be
// a new one, so a reorg during eth_getLogs shows as a changed hash; a mirror
// that has not had logs since still shares the cached read.
func TestFollowerRereadsTheRangeEndAfterLogs(t *testing.T) {
	mc := &movingChain{}
	mc.head.Store(100)
	f := chain.NewFollower(mc, time.Hour)
	ctx := context.Background()
	v, other := f.View(), f.View()
	before, err := v.HeaderByNumber(ctx, big.NewInt(100))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: big.NewInt(1), ToBlock: big.NewInt(100),
		Addresses: []common.Address{common.HexToAddress("0x01")}}); err != nil {
		t.Fatal(err)
	}
	after, err := v.HeaderByNumber(ctx, big.NewInt(100))
	if err != nil {
		t.Fatal(err)
	}
	if before.Hash() == after.Hash() {
		t.Fatal("the end header read after the logs was the cached one: a reorg during eth_getLogs goes unseen")
	}
	reads := mc.headers.Load()
	if h, err := other.HeaderByNumber(ctx, big.NewInt(100)); err != nil || h.Hash() != after.Hash() {
		t.Fatalf("another mirror's read: %v %v, want the fresh header", h, err)
	}
	if mc.headers.Load() != reads {
		t.Error("a mirror without a logs answer since did not share the cached header")
	}
}
