package chain

import (
	"context"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry"
)

// SendWithoutBroadcastForTest signs and records a batch and stops there, as a
// crash right after the record would.
func SendWithoutBroadcastForTest(s *Syncer, ctx context.Context, t registry.SyncTarget) (*registry.SyncBatch, error) {
	return s.send(ctx, t, false)
}

// ApplyBatchForTest writes entries to a registry directly, as another writer
// would: another process holding the same key, which knows only the chain's
// pending nonce, not the nonces this process has signed with.
func ApplyBatchForTest(c *Conn, ctx context.Context, reg common.Address, seq uint64, entries ...bindings.EligibilityRegistryEntry) error {
	r := bindings.NewEligibilityRegistry()
	tx, err := bind.Transact(r.Instance(c.Client, reg), c.Transactor(ctx), r.PackApplyBatch(seq, entries))
	if err != nil {
		return err
	}
	_, err = c.mustSucceed(ctx, tx)
	return err
}

// TransactForTest sends calldata with the node's key and waits for success.
func TransactForTest(c *Conn, ctx context.Context, contract *bind.BoundContract, data []byte) error {
	_, err := c.transactAndWait(ctx, contract, data)
	return err
}
