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
