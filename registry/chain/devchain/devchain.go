// Package devchain runs a persistent single-node development chain inside the
// process: go-ethereum's own node, eth service and simulated beacon, as
// `geth --dev --datadir` assembles them, stored in a directory so a restart
// (clean or kill -9) resumes the chain where it stopped.
package devchain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"
)

// ChainID is the dev chain's id, the same as go-ethereum's simulated backend.
const ChainID = 1337

// genesisGasLimit is fixed here rather than taken from go-ethereum's defaults,
// which may change between releases and would change the genesis hash.
const genesisGasLimit = 60_000_000

// anvilKeys are the private keys of anvil's accounts #0..#9 (mnemonic "test
// test … junk"). They are public test keys: funding them gives cast and
// wallet users accounts they already know.
var anvilKeys = [10]string{
	"ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
	"59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
	"5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
	"7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
	"47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
	"8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
	"92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
	"4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
	"dbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
	"2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
}

// TestKeys returns anvil's ten well-known private keys, which the genesis funds.
func TestKeys() []*ecdsa.PrivateKey {
	keys := make([]*ecdsa.PrivateKey, len(anvilKeys))
	for i, h := range anvilKeys {
		k, err := crypto.HexToECDSA(h)
		if err != nil {
			panic(fmt.Sprintf("devchain: anvil key #%d: %v", i, err)) // a constant above is corrupt
		}
		keys[i] = k
	}
	return keys
}

// Genesis is the dev chain's genesis for a node key: the same for the same key
// on every start, so a stored chain is reused, and a different key (or a
// go-ethereum whose dev fork set changed) is refused rather than silently
// starting another chain.
func Genesis(dev common.Address) *core.Genesis {
	alloc := core.SystemContractAllocs() // the system contracts the enabled forks call into
	// The test accounts get what anvil gives them; the node's key, which pays
	// for every deployment and whitelist batch, gets more.
	for _, k := range TestKeys() {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: ether(10_000)}
	}
	alloc[dev] = types.Account{Balance: ether(1_000_000)}
	config := *params.AllDevChainProtocolChanges // a copy: the params value is shared
	return &core.Genesis{
		Config:     &config,
		GasLimit:   genesisGasLimit,
		BaseFee:    big.NewInt(params.InitialBaseFee),
		Difficulty: big.NewInt(0),
		Alloc:      alloc,
	}
}

func ether(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(params.Ether)) }

// Config configures Open.
type Config struct {
	// Dir holds the chain; it is created if missing.
	Dir string
	// Key is the node's dev key, funded at genesis.
	Key *ecdsa.PrivateKey
	// RPCAddr is a loopback host:port for the HTTP JSON-RPC server (eth, net,
	// web3); port 0 picks a free one; empty serves no HTTP.
	RPCAddr string
	// Interval seals an empty block this often when the chain is behind the
	// clock, so block time follows the clock; 0 seals only for transactions.
	Interval time.Duration
	// Logger receives go-ethereum's node logs; nil discards them.
	Logger *slog.Logger
}

// Chain is a running dev chain.
type Chain struct {
	stack   *node.Node
	eth     *eth.Ethereum
	beacon  *catalyst.SimulatedBeacon
	client  *ethclient.Client
	genesis common.Hash
	rpcURL  string

	// sealMu serialises block production: the simulated beacon is not safe
	// for concurrent sealing.
	sealMu sync.Mutex
	stop   context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
	err    error
}

// Open starts the chain stored in cfg.Dir, creating it at genesis if the
// directory holds none.
func Open(ctx context.Context, cfg Config) (*Chain, error) {
	if cfg.Dir == "" || cfg.Key == nil {
		return nil, errors.New("devchain: a directory and a key are required")
	}
	host, port, err := rpcListen(cfg.RPCAddr)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	logger := log.NewLogger(slog.DiscardHandler)
	if cfg.Logger != nil {
		logger = log.NewLogger(cfg.Logger.Handler())
	}
	nodeConf := node.Config{
		Name:    "geth", // geth's layout: the directory is also a geth --dev --datadir
		DataDir: cfg.Dir,
		// LevelDB writes every batch to its log file before returning, so what
		// the chain has shown over RPC is in the OS's hands and survives kill -9.
		// Pebble buffers its write-ahead log in the process when not syncing.
		DBEngine: rawdb.DBLeveldb,
		Logger:   logger,
		P2P: p2p.Config{ // no networking: a single-node chain
			MaxPeers:    0,
			NoDiscovery: true,
			NoDial:      true,
			ListenAddr:  "",
		},
		HTTPHost:             host,
		HTTPPort:             port,
		HTTPModules:          []string{"eth", "net", "web3"},
		HTTPVirtualHosts:     []string{"localhost"},
		HTTPTimeouts:         rpc.DefaultHTTPTimeouts,
		HTTPBodyLimit:        node.DefaultConfig.HTTPBodyLimit,
		BatchRequestLimit:    node.DefaultConfig.BatchRequestLimit,
		BatchResponseMaxSize: node.DefaultConfig.BatchResponseMaxSize,
	}
	stack, err := node.New(&nodeConf)
	if err != nil {
		return nil, fmt.Errorf("devchain: node in %s: %w", cfg.Dir, err)
	}
	c, err := start(stack, cfg)
	if err != nil {
		_ = stack.Close()
		return nil, err
	}
	if err := c.waitIndexed(ctx); err != nil {
		_ = c.Close()
		return nil, err
	}
	return c, nil
}

// waitIndexed returns once the transaction indexer has caught up. Until then
// go-ethereum answers a receipt query for a transaction it cannot find with
// "transaction indexing is in progress" instead of not-found, which clients
// polling for a receipt take as a failure. A new chain has nothing to index
// until its first block, so that block is sealed here.
func (c *Chain) waitIndexed(ctx context.Context) error {
	bc := c.eth.BlockChain()
	if bc.CurrentBlock().Number.Sign() == 0 {
		c.sealMu.Lock()
		c.beacon.Commit()
		c.sealMu.Unlock()
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for !bc.TxIndexDone() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("devchain: waiting for the transaction index: %w", ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
	return nil
}

func start(stack *node.Node, cfg Config) (*Chain, error) {
	ethConf := ethconfig.Defaults
	ethConf.Genesis = Genesis(crypto.PubkeyToAddress(cfg.Key.PublicKey))
	ethConf.NetworkId = ChainID
	ethConf.SyncMode = ethconfig.FullSync
	// An archive in the hash scheme commits every block's state to the
	// database as the block is written; the path scheme (and pruning) keep
	// recent state in memory and lose blocks on a crash. Archive state also
	// serves historical reads (CodeAt, BalanceAt at old blocks).
	ethConf.StateScheme = rawdb.HashScheme
	ethConf.NoPruning = true
	ethConf.SnapshotCache = 0 // no snapshot to regenerate after a crash
	// A dev chain is small: go-ethereum's mainnet-sized caches would take
	// gigabytes of memory inside stonode.
	ethConf.DatabaseCache = 64
	ethConf.DatabaseHandles = 128
	ethConf.TrieCleanCache = 32
	ethConf.TrieDirtyCache = 0
	// No log index: loading its head map from LevelDB takes a second at every
	// start, and rendering it costs CPU all along; a dev chain's eth_getLogs
	// is quick enough scanning block blooms, as the simulated backend does.
	ethConf.LogNoHistory = true
	// Take any tip the pool accepts, as geth --dev does: cast and wallets
	// estimate tips from recent blocks, which on a quiet chain gives 1 wei,
	// and the miner's default minimum would leave their transactions pending.
	ethConf.Miner.GasPrice = big.NewInt(1)
	ethConf.TxPool.NoLocals = true // the node re-sends its own recorded transactions
	ethConf.TxPool.Journal = ""
	// Keep every transaction's receipt findable by hash: the node looks up
	// receipts of transactions it recorded long ago.
	ethConf.TransactionHistory = 0
	ethConf.TxLookupLimit = 0

	backend, err := eth.New(stack, &ethConf)
	if err != nil {
		var mismatch *core.GenesisMismatchError
		if errors.As(err, &mismatch) {
			return nil, fmt.Errorf("devchain: the chain in %s has another genesis (was its dev key replaced?): %w", cfg.Dir, err)
		}
		return nil, fmt.Errorf("devchain: eth service: %w", err)
	}
	fs := filters.NewFilterSystem(backend.APIBackend, filters.Config{})
	stack.RegisterAPIs([]rpc.API{{Namespace: "eth", Service: filters.NewFilterAPI(fs)}})
	if err := stack.Start(); err != nil {
		return nil, fmt.Errorf("devchain: start node: %w", err)
	}
	// Period 0: the beacon seals only when asked; the loop below asks.
	beacon, err := catalyst.NewSimulatedBeacon(0, common.Address{}, backend)
	if err != nil {
		return nil, fmt.Errorf("devchain: simulated beacon: %w", err)
	}
	c := &Chain{
		stack:   stack,
		eth:     backend,
		beacon:  beacon,
		client:  ethclient.NewClient(stack.Attach()),
		genesis: backend.BlockChain().Genesis().Hash(),
	}
	if cfg.RPCAddr != "" {
		c.rpcURL = stack.HTTPEndpoint()
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.stop = cancel
	wake := make(chan struct{}, 1)
	txs := make(chan core.NewTxsEvent, 16)
	sub := backend.TxPool().SubscribeTransactions(txs, true)
	// The pool sends events from its reorg loop, which sealing waits for
	// (TxPool.Sync): receiving must never wait on sealing, hence two loops.
	c.wg.Add(2)
	go func() {
		defer c.wg.Done()
		defer sub.Unsubscribe()
		for {
			select {
			case <-ctx.Done():
				return
			case <-sub.Err():
				return
			case <-txs:
				select {
				case wake <- struct{}{}:
				default:
				}
			}
		}
	}()
	go func() {
		defer c.wg.Done()
		c.sealLoop(ctx, wake, cfg.Interval)
	}()
	return c, nil
}

// rpcListen splits a loopback host:port; "" disables the HTTP server.
func rpcListen(addr string) (string, int, error) {
	if addr == "" {
		return "", 0, nil
	}
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("devchain: RPC address %q: %w", addr, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("devchain: RPC address %q: bad port", addr)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", 0, fmt.Errorf("devchain: RPC address %q is not a loopback address: the dev chain's funded keys are public, so its RPC is served on 127.0.0.1, ::1 or localhost only", addr)
	}
	return host, port, nil
}

// sealLoop seals a block as soon as transactions arrive and an empty one each
// interval while the chain is behind the clock.
func (c *Chain) sealLoop(ctx context.Context, wake <-chan struct{}, interval time.Duration) {
	var tick <-chan time.Time
	if interval > 0 {
		t := time.NewTicker(interval)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-wake:
			c.sealPending(ctx)
		case <-tick:
			c.sealMu.Lock()
			// Blocks sealed in a burst take one second each; skipping the tick
			// while the chain is ahead lets the clock catch up instead of
			// carrying the lead forever.
			if head := c.eth.BlockChain().CurrentBlock(); uint64(time.Now().Unix()) > head.Time {
				c.beacon.Commit()
			}
			c.sealMu.Unlock()
		}
	}
}

// sealPending seals until the pool has no executable transaction left, or a
// block includes none (a transaction the miner will not take: sealing again
// would spin). A wake-up whose transactions an earlier block already took
// seals nothing, so late pool events do not add empty blocks.
func (c *Chain) sealPending(ctx context.Context) {
	c.sealMu.Lock()
	defer c.sealMu.Unlock()
	pool, bc := c.eth.TxPool(), c.eth.BlockChain()
	for ctx.Err() == nil {
		if err := pool.Sync(); err != nil {
			return
		}
		if pending, _ := pool.Stats(); pending == 0 {
			return
		}
		before := bc.CurrentBlock().Number.Uint64()
		c.beacon.Commit()
		head := bc.CurrentBlock()
		if head.Number.Uint64() == before {
			return
		}
		if b := bc.GetBlock(head.Hash(), head.Number.Uint64()); b == nil || len(b.Transactions()) == 0 {
			return
		}
	}
}

// AdjustTime seals an empty block d later than the head, for tests of
// time-dependent rules. It fails if transactions are pending.
func (c *Chain) AdjustTime(d time.Duration) error {
	c.sealMu.Lock()
	defer c.sealMu.Unlock()
	if err := c.beacon.AdjustTime(d); err != nil {
		return fmt.Errorf("devchain: adjust time: %w", err)
	}
	return nil
}

// Client is an in-process client of the chain (no HTTP).
func (c *Chain) Client() *ethclient.Client { return c.client }

// RPCURL is the HTTP JSON-RPC endpoint (http://host:port), or "" when disabled.
func (c *Chain) RPCURL() string { return c.rpcURL }

// GenesisHash is the hash of block 0.
func (c *Chain) GenesisHash() common.Hash { return c.genesis }

// Close stops sealing and the node, writing what it holds in memory. It is
// safe to call more than once.
func (c *Chain) Close() error {
	c.once.Do(func() {
		c.stop()
		c.wg.Wait()
		c.client.Close()
		err := c.beacon.Stop()
		c.err = errors.Join(err, c.stack.Close())
		if c.err != nil {
			c.err = fmt.Errorf("devchain: close: %w", c.err)
		}
	})
	return c.err
}
