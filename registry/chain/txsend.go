package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Call is one transaction to sign: a contract call (To set) or a contract
// creation (To nil, Data the bytecode and constructor). Gas 0 is estimated.
type Call struct {
	To    *common.Address
	Data  []byte
	Gas   uint64
	Value *big.Int // wei sent with the call; nil: none
}

// gasMargin pads estimates: state can change between estimate and inclusion.
const gasMarginPercent = 20

// SignRecordBroadcast signs the calls built by build with consecutive nonces
// from the node's next one (build learns the first nonce, so a call may refer
// to a contract an earlier one creates), hands the signed transactions to
// record, and broadcasts them only once record returned nil: every
// transaction that could ever be mined is on record first. A failed broadcast
// is not an error here (the transactions are recorded; the caller's wait
// re-broadcasts them); it is returned as broadcastErr for the log.
func (c *Conn) SignRecordBroadcast(ctx context.Context, build func(firstNonce uint64) ([]Call, error),
	record func(txs []*types.Transaction) error) (txs []*types.Transaction, broadcastErr error, err error) {
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	ctx, release, err := c.holdNonce(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer release()
	nonce, err := c.nonceLocked(ctx)
	if err != nil {
		return nil, nil, err
	}
	calls, err := build(nonce)
	if err != nil {
		return nil, nil, err
	}
	tip, feeCap, err := c.fees(ctx)
	if err != nil {
		return nil, nil, err
	}
	for i, call := range calls {
		gas := call.Gas
		if gas == 0 {
			est, err := c.Client.EstimateGas(ctx, ethereum.CallMsg{From: c.From, To: call.To, Data: call.Data, Value: call.Value})
			if err != nil {
				return nil, nil, fmt.Errorf("estimate gas: %w", err)
			}
			gas = est + est*gasMarginPercent/100
		}
		tx, err := c.sign(&types.DynamicFeeTx{Nonce: nonce + uint64(i), GasTipCap: tip, GasFeeCap: feeCap, Gas: gas,
			To: call.To, Data: call.Data, Value: call.Value})
		if err != nil {
			return nil, nil, err
		}
		txs = append(txs, tx)
	}
	if err := record(txs); err != nil {
		return nil, nil, fmt.Errorf("record signed transactions: %w", err)
	}
	for _, tx := range txs {
		if err := c.Client.SendTransaction(ctx, tx); err != nil && !alreadyKnown(err) {
			broadcastErr = fmt.Errorf("broadcast %s: %w", tx.Hash().Hex(), err)
			break // later nonces would only queue behind the missing one
		}
	}
	return txs, broadcastErr, nil
}

// sign signs an EIP-1559 transaction with the node's key.
func (c *Conn) sign(inner *types.DynamicFeeTx) (*types.Transaction, error) {
	inner.ChainID = big.NewInt(c.ChainID)
	tx, err := types.SignTx(types.NewTx(inner), types.LatestSignerForChainID(inner.ChainID), c.key)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return tx, nil
}

// fees returns a tip and a fee cap that stays includable through a doubling
// of the base fee.
func (c *Conn) fees(ctx context.Context) (tip, feeCap *big.Int, err error) {
	head, err := c.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("head: %w", err)
	}
	if tip, err = c.Client.SuggestGasTipCap(ctx); err != nil {
		return nil, nil, fmt.Errorf("gas tip: %w", err)
	}
	base := head.BaseFee
	if base == nil {
		base = new(big.Int)
	}
	return tip, new(big.Int).Add(new(big.Int).Mul(base, big.NewInt(2)), tip), nil
}

// ErrDropped reports a transaction that can never be mined: its nonce went to
// another transaction and none of its versions has a receipt.
var ErrDropped = errors.New("dropped: its nonce was used by another transaction")

// Rebroadcast sends a recorded transaction again. A node that already has it
// answers "already known", which is success; "nonce too low" means its nonce
// is used, and the caller looks for a receipt before calling it dropped.
func (c *Conn) Rebroadcast(ctx context.Context, tx *types.Transaction) error {
	if err := c.Client.SendTransaction(ctx, tx); err != nil && !alreadyKnown(err) {
		return err
	}
	return nil
}

// NonceUsed reports whether the node's account has mined a transaction with
// this nonce (the mined one may be another version of it: check receipts).
func (c *Conn) NonceUsed(ctx context.Context, nonce uint64) (bool, error) {
	mined, err := c.Client.NonceAt(ctx, c.From, nil)
	if err != nil {
		return false, fmt.Errorf("nonce of %s: %w", c.From.Hex(), err)
	}
	return mined > nonce, nil
}

// underpriced reports a broadcast refused for its fees: the cure is a
// replacement with higher ones, not another try of the same bytes.
func underpriced(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "underpriced") || strings.Contains(msg, "max fee per gas less than block base fee") ||
		strings.Contains(msg, "fee cap less than block base fee") || strings.Contains(msg, "feecap")
}
