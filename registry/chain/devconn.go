package chain

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/stonode/stonode/registry/chain/devchain"
)

// OpenDev starts the persistent dev chain stored in dir (created at genesis
// when empty) with key funded, and connects to it in-process. The chain seals
// a block as soon as a transaction arrives and an empty one every interval,
// so chain time follows the clock; it survives restarts and kill -9. rpcAddr,
// a loopback host:port, serves its JSON-RPC over HTTP for cast and wallets;
// empty serves none.
func OpenDev(ctx context.Context, dir string, key *ecdsa.PrivateKey, rpcAddr string, interval time.Duration) (*Conn, error) {
	dc, err := devchain.Open(ctx, devchain.Config{Dir: dir, Key: key, RPCAddr: rpcAddr, Interval: interval})
	if err != nil {
		return nil, fmt.Errorf("open dev chain: %w", err)
	}
	return &Conn{Client: dc.Client(), ChainID: devchain.ChainID, From: crypto.PubkeyToAddress(key.PublicKey),
		key: key, dev: dc, stop: func() {}}, nil
}

// DevChain returns the dev chain of a Conn from OpenDev, or nil.
func (c *Conn) DevChain() *devchain.Chain { return c.dev }
