// Package chain connects stonode to an EVM chain: the in-process simulated chain
// or a JSON-RPC endpoint, the node's signing key, and the deployment and
// verification of an issuance's contracts.
package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"sync"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/params"

	"github.com/stonode/stonode/registry/chain/devchain"
)

// Client is what stonode needs of a chain; *ethclient.Client and the simulated
// backend's client both provide it.
type Client interface {
	bind.ContractBackend
	bind.DeployBackend
	ethereum.ChainIDReader
	ethereum.BlockNumberReader
	// NonceAt tells a dropped transaction (its nonce mined by another) from
	// one still waiting.
	NonceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (uint64, error)
	// BalanceAt lets a dev chain fund role keys other than the node's.
	BalanceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (*big.Int, error)
}

// Conn is a connection to one chain with the node's signing key. With
// SetRoleKeys, As returns views of it that sign with a role's own key.
type Conn struct {
	Client  Client
	ChainID int64
	From    common.Address

	key  *ecdsa.PrivateKey
	sim  *simulated.Backend
	dev  *devchain.Chain // the persistent dev chain (OpenDev), closed with the Conn
	stop context.CancelFunc
	wg   sync.WaitGroup
	// sendMu serialises the node's transactions so nonces are assigned in order.
	sendMu sync.Mutex
	keys   *keyring // role keys (SetRoleKeys); nil: every role uses key
	// nonces leases the key's nonce among the nodes sharing a database (nil:
	// one node); taken under sendMu for each send.
	nonces *Leaser
}

// SimulatedChainID is the chain id of go-ethereum's simulated backend.
const SimulatedChainID = 1337

// OpenSimulated starts an in-process chain with key funded, committing a block
// after every transaction the node sends and an empty one every interval, so
// chain time follows the clock (valid-until checks run on block time). The
// chain lives in memory: a restart starts a new one.
func OpenSimulated(key *ecdsa.PrivateKey, interval time.Duration) (*Conn, error) {
	from := crypto.PubkeyToAddress(key.PublicKey)
	funds := new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(params.Ether))
	backend := simulated.NewBackend(types.GenesisAlloc{from: {Balance: funds}})
	c := &Conn{Client: committingClient{Client: backend.Client(), commit: backend.Commit}, ChainID: SimulatedChainID,
		From: from, key: key, sim: backend}
	ctx, cancel := context.WithCancel(context.Background())
	c.stop = cancel
	if interval > 0 {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			t := time.NewTicker(interval)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					backend.Commit()
				}
			}
		}()
	}
	return c, nil
}

// committingClient seals a block right after each transaction is sent, so the
// simulated chain confirms promptly instead of waiting for the next tick.
type committingClient struct {
	simulated.Client
	commit func() common.Hash
}

func (c committingClient) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	if err := c.Client.SendTransaction(ctx, tx); err != nil {
		return err
	}
	c.commit()
	return nil
}

// Simulated returns the in-process backend, or nil on a JSON-RPC connection.
// Tests use it to fork and adjust time.
func (c *Conn) Simulated() *simulated.Backend { return c.sim }

// Dial connects to a JSON-RPC endpoint (http://, https://, ws://, wss://).
func Dial(ctx context.Context, url string, key *ecdsa.PrivateKey) (*Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	client, err := ethclient.DialContext(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", url, err)
	}
	id, err := client.ChainID(ctx)
	if err != nil {
		client.Close()
		return nil, fmt.Errorf("chain id from %s: %w", url, err)
	}
	return &Conn{Client: client, ChainID: id.Int64(), From: crypto.PubkeyToAddress(key.PublicKey), key: key,
		stop: func() {}}, nil
}

// Close stops the chain (simulated) or the connection.
func (c *Conn) Close() error {
	c.stop()
	c.wg.Wait()
	if c.sim != nil {
		return c.sim.Close()
	}
	if c.dev != nil {
		return c.dev.Close()
	}
	if cl, ok := c.Client.(*ethclient.Client); ok {
		cl.Close()
	}
	return nil
}

// Transactor returns signing options bound to ctx.
func (c *Conn) Transactor(ctx context.Context) *bind.TransactOpts {
	opts := bind.NewKeyedTransactor(c.key, big.NewInt(c.ChainID))
	opts.Context = ctx
	return opts
}

// Send runs send (which should submit exactly one transaction) under the
// node's send lock, so concurrent callers cannot race for a nonce.
func (c *Conn) Send(ctx context.Context, send func(opts *bind.TransactOpts) (*types.Transaction, error)) (*types.Transaction, error) {
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	ctx, release, err := c.holdNonce(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	nonce, err := c.nonceLocked(ctx)
	if err != nil {
		return nil, err
	}
	opts := c.Transactor(ctx)
	opts.Nonce = new(big.Int).SetUint64(nonce)
	return send(opts)
}

// holdNonce takes the key's nonce lease when nodes share the database: no
// other node signs, records or broadcasts with the key until release. The
// caller holds sendMu.
func (c *Conn) holdNonce(ctx context.Context) (context.Context, func(), error) {
	if c.nonces == nil {
		return ctx, func() {}, nil
	}
	return c.nonces.holdNonce(ctx, lower(c.From))
}

// nonceLocked returns the next nonce to sign with: the chain's pending nonce,
// re-read every time, so a key used elsewhere or a reset chain never leaves a
// gap. A recorded transaction whose broadcast failed may see its nonce taken
// by the next one; it is then provably never mined (ErrDropped), which its
// owner handles, and never executed twice. The caller holds sendMu.
func (c *Conn) nonceLocked(ctx context.Context) (uint64, error) {
	pending, err := c.Client.PendingNonceAt(ctx, c.From)
	if err != nil {
		return 0, fmt.Errorf("pending nonce of %s: %w", c.From.Hex(), err)
	}
	return pending, nil
}

// WaitMined polls for tx's receipt every 50 ms until ctx ends; bind.WaitMined
// polls once a second, far too slow for a chain that seals on demand.
func (c *Conn) WaitMined(ctx context.Context, tx common.Hash) (*types.Receipt, error) {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		r, err := c.Client.TransactionReceipt(ctx, tx)
		if err == nil {
			return r, nil
		}
		if !errors.Is(err, ethereum.NotFound) {
			return nil, fmt.Errorf("receipt of %s: %w", tx, err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for %s: %w", tx, ctx.Err())
		case <-t.C:
		}
	}
}

// LoadKey reads a hex private key from a file (the key never appears in the
// process list) or, when path is empty, from the environment variable envVar.
func LoadKey(path, envVar string) (*ecdsa.PrivateKey, error) {
	var text string
	switch {
	case path != "":
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read key file: %w", err)
		}
		text = string(b)
	case os.Getenv(envVar) != "":
		text = os.Getenv(envVar)
	default:
		return nil, fmt.Errorf("no signing key: give --key-file or set %s", envVar)
	}
	key, err := crypto.HexToECDSA(strings.TrimPrefix(strings.TrimSpace(text), "0x"))
	if err != nil {
		return nil, errors.New("signing key is not a 32-byte hex private key")
	}
	return key, nil
}

// LoadOrCreateKey loads the key at path, creating a new random one (mode 0600)
// if the file does not exist. The simulated chain funds this key.
func LoadOrCreateKey(path string) (*ecdsa.PrivateKey, error) {
	if _, err := os.Stat(path); err == nil {
		return LoadKey(path, "")
	}
	key, err := crypto.GenerateKey()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(fmt.Sprintf("%x\n", crypto.FromECDSA(key))), 0o600); err != nil {
		return nil, fmt.Errorf("write dev key: %w", err)
	}
	return key, nil
}
