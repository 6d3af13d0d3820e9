// Command benchfollower measures what following the chain costs a node with
// many deployed tokens: RPC calls and CPU per block, with one mirror polling
// per token (each reads the head, the new block's header and its logs) and
// with the node's chain follower (one head read per tick, one header read and
// one eth_getLogs over every token per block).
//
// It deploys the tokens (an EligibilityRegistry and a SecurityToken each) on
// go-ethereum's in-process simulated chain, lets every mirror catch up, then
// seals one block a second and counts, over the sealed blocks, the calls the
// mirrors made and the CPU time the process used (the chain answers in the
// process, so answering the calls is in the figure too).
//
//	go run ./scripts/benchfollower --tokens 1000 --blocks 10
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/chain/mirror"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/store"
)

// countingClient counts the mirror's calls to the chain.
type countingClient struct {
	inner                         mirror.Client
	blockNumber, headers, getLogs atomic.Int64
}

func (c *countingClient) BlockNumber(ctx context.Context) (uint64, error) {
	c.blockNumber.Add(1)
	return c.inner.BlockNumber(ctx)
}

func (c *countingClient) HeaderByNumber(ctx context.Context, n *big.Int) (*types.Header, error) {
	c.headers.Add(1)
	return c.inner.HeaderByNumber(ctx, n)
}

func (c *countingClient) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	c.getLogs.Add(1)
	return c.inner.FilterLogs(ctx, q)
}

func (c *countingClient) total() int64 {
	return c.blockNumber.Load() + c.headers.Load() + c.getLogs.Load()
}

func cpu() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	tokens := flag.Int("tokens", 1000, "tokens to deploy and mirror")
	blocks := flag.Int("blocks", 10, "blocks sealed (one a second) while measuring")
	flag.Parse()
	if err := run(*tokens, *blocks); err != nil {
		fmt.Fprintln(os.Stderr, "benchfollower:", err)
		os.Exit(1)
	}
}

func run(tokens, blocks int) error {
	ctx := context.Background()
	key, err := crypto.GenerateKey()
	if err != nil {
		return err
	}
	conn, err := chain.OpenSimulated(key, 0)
	if err != nil {
		return err
	}
	defer conn.Close()
	start := time.Now()
	var addrs []*chain.Contracts
	for i := range tokens {
		d, err := conn.Deploy(ctx, chain.ParamsFor(&registry.Issuance{TokenName: fmt.Sprintf("T%d", i), TokenSymbol: fmt.Sprintf("T%d", i),
			OfferingType: registry.OfferingPublic}))
		if err != nil {
			return fmt.Errorf("deploy token %d: %w", i, err)
		}
		addrs = append(addrs, d)
	}
	fmt.Printf("deployed %d tokens (registry + token each) in %s\n", tokens, time.Since(start).Round(time.Millisecond))
	for _, mode := range []string{"one poller per token", "one chain follower"} {
		if err := measure(ctx, conn, addrs, blocks, mode); err != nil {
			return err
		}
	}
	return nil
}

// measure mirrors every token into a fresh SQLite database, the node's
// default, with the mirrors reading the chain as mode says.
func measure(ctx context.Context, conn *chain.Conn, tokens []*chain.Contracts, blocks int, mode string) error {
	dir, err := os.MkdirTemp("", "benchfollower")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(ctx, store.Config{DSN: filepath.Join(dir, "mirror.db"), Rules: eligibility.Rules{}})
	if err != nil {
		return err
	}
	defer db.Close()
	mirrors := store.NewMirror(db)
	counted := &countingClient{inner: conn.Client}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	poll := time.Second
	client := func() mirror.Client { return counted }
	if mode == "one chain follower" {
		f := chain.NewFollower(counted, time.Second)
		go f.Run(rctx)
		client, poll = f.View, 50*time.Millisecond
	}
	var engines []*mirror.Engine
	var wg sync.WaitGroup
	quiet := slog.New(slog.DiscardHandler)
	for _, t := range tokens {
		e := mirror.New(mirror.Config{ChainID: conn.ChainID, Token: t.TokenAddress, StartBlock: t.Block, PollInterval: poll, Logger: quiet},
			client(), mirrors)
		engines = append(engines, e)
		wg.Add(1)
		go func() { defer wg.Done(); _ = e.Run(rctx) }()
	}
	defer func() { cancel(); wg.Wait() }()
	sim := conn.Simulated()
	caughtUp := func(head uint64, within time.Duration) error {
		deadline := time.Now().Add(within)
		for {
			behind := 0
			for _, e := range engines {
				if e.Stats().Indexed < head {
					behind++
				}
			}
			if behind == 0 {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("%s: %d mirrors short of block %d after %s", mode, behind, head, within)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	head, err := conn.Client.BlockNumber(ctx)
	if err != nil {
		return err
	}
	if err := caughtUp(head, 10*time.Minute); err != nil {
		return err
	}
	calls0, cpu0, wall0 := counted.total(), cpu(), time.Now()
	bn0, h0, gl0 := counted.blockNumber.Load(), counted.headers.Load(), counted.getLogs.Load()
	for range blocks {
		time.Sleep(time.Second)
		sim.Commit()
	}
	head += uint64(blocks)
	if err := caughtUp(head, 5*time.Minute); err != nil {
		return err
	}
	n := float64(blocks)
	calls := float64(counted.total() - calls0)
	fmt.Printf("%-22s %d tokens, %d blocks: %.0f RPC calls/block (eth_blockNumber %.0f, headers %.0f, eth_getLogs %.0f), CPU %.0f ms/block, %s wall\n",
		mode, len(tokens), blocks, calls/n, float64(counted.blockNumber.Load()-bn0)/n, float64(counted.headers.Load()-h0)/n,
		float64(counted.getLogs.Load()-gl0)/n, float64((cpu()-cpu0).Milliseconds())/n, time.Since(wall0).Round(time.Millisecond))
	return nil
}
