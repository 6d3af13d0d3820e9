package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/big"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry/chain"
)

// devnet is the bench's handle on anvil.
type devnet struct {
	rpc     *rpc.Client
	eth     *ethclient.Client
	chainID *big.Int
	signer  types.Signer
	out     io.Writer
}

func (d *devnet) call(ctx context.Context, result any, method string, args ...any) error {
	cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := d.rpc.CallContext(cctx, result, method, args...); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	return nil
}

func (d *devnet) mine(ctx context.Context) error {
	var ignored any
	return d.call(ctx, &ignored, "evm_mine")
}

func (d *devnet) setAutomine(ctx context.Context, on bool) error {
	var ignored any
	return d.call(ctx, &ignored, "evm_setAutomine", on)
}

func (d *devnet) pending(ctx context.Context) (uint64, error) {
	var st struct {
		Pending hexutil.Uint64 `json:"pending"`
		Queued  hexutil.Uint64 `json:"queued"`
	}
	if err := d.call(ctx, &st, "txpool_status"); err != nil {
		return 0, err
	}
	return uint64(st.Pending + st.Queued), nil
}

// sender is a key with its next nonce.
type sender struct {
	key   *ecdsa.PrivateKey
	addr  common.Address
	nonce uint64
}

func (d *devnet) sign(s *sender, to common.Address, data []byte, gas uint64) (*types.Transaction, error) {
	tx, err := types.SignNewTx(s.key, d.signer, &types.DynamicFeeTx{ChainID: d.chainID, Nonce: s.nonce,
		GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(100e9), Gas: gas, To: &to, Data: data})
	if err != nil {
		return nil, err
	}
	s.nonce++
	return tx, nil
}

// sendAll broadcasts txs over workers concurrent connections. Transactions of
// one sender must be in nonce order in txs; each sender's are sent by one
// worker in that order (a worker owns every sender that hashes to it).
func (d *devnet) sendAll(ctx context.Context, txs []*types.Transaction, workers int) error {
	queues := make([][]*types.Transaction, workers)
	for _, tx := range txs {
		from, err := types.Sender(d.signer, tx)
		if err != nil {
			return err
		}
		w := int(binary.BigEndian.Uint32(from[:4]) % uint32(workers))
		queues[w] = append(queues[w], tx)
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w, q := range queues {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, tx := range q {
				cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				err := d.eth.SendTransaction(cctx, tx)
				cancel()
				if err != nil {
					errs[w] = fmt.Errorf("send %s: %w", tx.Hash(), err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// drain mines blocks until the pool is empty.
func (d *devnet) drain(ctx context.Context) error {
	for i := 0; ; i++ {
		n, err := d.pending(ctx)
		if err != nil || n == 0 {
			return err
		}
		if i > 1000 {
			return fmt.Errorf("%d transactions still pending after 1000 blocks", n)
		}
		if err := d.mine(ctx); err != nil {
			return err
		}
	}
}

// genConfig sizes the generated history.
type genConfig struct {
	Transfers int
	Senders   int // transfers per block: every sender sends one per round
	Receivers int
	Workers   int
	Seed      uint64
}

// generated is what the generator left on the chain.
type generated struct {
	Contracts  *chain.Contracts
	FirstBlock uint64 // token deployment
	LastBlock  uint64 // last block with a transfer
	Transfers  int    // transfers sent (mints excluded)
	Mints      int
	Whitelist  int
	Elapsed    time.Duration
	Blocks     uint64           // blocks holding the transfer rounds
	Holders    []common.Address // every wallet that receives tokens: senders (minted to) and receivers
}

// deterministicKey derives a private key from the seed and an index.
func deterministicKey(seed uint64, i int) *ecdsa.PrivateKey {
	for salt := 0; ; salt++ {
		h := sha256.Sum256([]byte(fmt.Sprintf("stonode-bench/%d/%d/%d", seed, i, salt)))
		if k, err := crypto.ToECDSA(h[:]); err == nil {
			return k
		}
	}
}

// generate deploys a token and registry with the node key, whitelists
// senders and receivers, mints to the senders, and sends cfg.Transfers
// transfers in rounds of one transfer per sender, each round one block
// (automine off, evm_mine after each round).
func generate(ctx context.Context, d *devnet, conn *chain.Conn, nodeKey *ecdsa.PrivateKey, cfg genConfig) (*generated, error) {
	start := time.Now()
	reg, tok := bindings.NewEligibilityRegistry(), bindings.NewSecurityToken()
	dep, err := conn.Deploy(ctx, chain.TokenParams{Name: "Bench Share", Symbol: "BNCH", Decimals: 0})
	if err != nil {
		return nil, fmt.Errorf("deploy: %w", err)
	}
	g := &generated{Contracts: dep, FirstBlock: dep.Block}
	fmt.Fprintf(d.out, "  token %s, registry %s, deployed at block %d\n", dep.TokenAddress, dep.RegistryAddress, dep.Block)

	senders := make([]*sender, cfg.Senders)
	for i := range senders {
		k := deterministicKey(cfg.Seed, i)
		senders[i] = &sender{key: k, addr: crypto.PubkeyToAddress(k.PublicKey)}
		var ignored any
		if err := d.call(ctx, &ignored, "anvil_setBalance", senders[i].addr, hexutil.EncodeBig(new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18)))); err != nil {
			return nil, err
		}
	}
	receivers := make([]common.Address, cfg.Receivers)
	for i := range receivers {
		receivers[i] = crypto.PubkeyToAddress(deterministicKey(cfg.Seed+1, i).PublicKey)
	}

	node := &sender{key: nodeKey, addr: crypto.PubkeyToAddress(nodeKey.PublicKey)}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	node.nonce, err = d.eth.PendingNonceAt(cctx, node.addr)
	cancel()
	if err != nil {
		return nil, err
	}
	if err := d.setAutomine(ctx, false); err != nil {
		return nil, err
	}

	// Whitelist every wallet, 200 entries a batch.
	all := make([]common.Address, 0, len(senders)+len(receivers))
	for _, s := range senders {
		all = append(all, s.addr)
	}
	all = append(all, receivers...)
	g.Holders = all
	validUntil := big.NewInt(time.Now().AddDate(5, 0, 0).Unix())
	var setup []*types.Transaction
	seq := uint64(0)
	for off := 0; off < len(all); off += 200 {
		var entries []bindings.EligibilityRegistryEntry
		for i, w := range all[off:min(off+200, len(all))] {
			entries = append(entries, bindings.EligibilityRegistryEntry{Wallet: w, InvestorId: uint64(off + i + 1),
				Country: [2]byte{'J', 'P'}, Categories: 1, ValidUntil: validUntil})
		}
		tx, err := d.sign(node, dep.RegistryAddress, reg.PackApplyBatch(seq, entries), 15_000_000)
		if err != nil {
			return nil, err
		}
		seq++
		setup = append(setup, tx)
	}
	g.Whitelist = len(all)
	// Mint to every sender.
	for _, s := range senders {
		tx, err := d.sign(node, dep.TokenAddress, tok.PackMint(s.addr, big.NewInt(1e15)), 200_000)
		if err != nil {
			return nil, err
		}
		setup = append(setup, tx)
	}
	g.Mints = len(senders)
	if err := d.sendAll(ctx, setup, 1); err != nil {
		return nil, err
	}
	if err := d.drain(ctx); err != nil {
		return nil, err
	}
	for _, tx := range setup {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		r, err := d.eth.TransactionReceipt(cctx, tx.Hash())
		cancel()
		if err != nil || r.Status != types.ReceiptStatusSuccessful {
			return nil, fmt.Errorf("set-up transaction %s failed (receipt %v, err %v)", tx.Hash(), r != nil, err)
		}
	}
	fmt.Fprintf(d.out, "  whitelisted %d wallets and minted to %d senders in %s\n", len(all), len(senders), time.Since(start).Round(time.Millisecond))

	// Transfer rounds.
	rng := rand.New(rand.NewPCG(cfg.Seed, 7))
	rounds := (cfg.Transfers + cfg.Senders - 1) / cfg.Senders
	genStart := time.Now()
	lastReport := time.Now()
	for r := 0; r < rounds; r++ {
		n := min(cfg.Senders, cfg.Transfers-r*cfg.Senders)
		txs := make([]*types.Transaction, 0, n)
		for i := 0; i < n; i++ {
			to := receivers[rng.IntN(len(receivers))]
			tx, err := d.sign(senders[i], dep.TokenAddress, tok.PackTransfer(to, big.NewInt(1+rng.Int64N(1000))), 120_000)
			if err != nil {
				return nil, err
			}
			txs = append(txs, tx)
		}
		if err := d.sendAll(ctx, txs, cfg.Workers); err != nil {
			return nil, err
		}
		if err := d.mine(ctx); err != nil {
			return nil, err
		}
		g.Transfers += n
		g.Blocks++
		if time.Since(lastReport) > 5*time.Second || r == rounds-1 {
			el := time.Since(genStart)
			fmt.Fprintf(d.out, "  %7d / %d transfers in %d blocks, %s, %.0f tx/s\n", g.Transfers, cfg.Transfers, g.Blocks,
				el.Round(time.Second), float64(g.Transfers)/el.Seconds())
			lastReport = time.Now()
		}
	}
	if err := d.drain(ctx); err != nil {
		return nil, err
	}
	if err := d.setAutomine(ctx, true); err != nil {
		return nil, err
	}
	cctx, cancel = context.WithTimeout(ctx, 10*time.Second)
	head, err := d.eth.BlockNumber(cctx)
	cancel()
	if err != nil {
		return nil, err
	}
	g.LastBlock = head
	g.Elapsed = time.Since(start)
	return g, nil
}
