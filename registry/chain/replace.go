package chain

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
)

// Replacement re-signs old with the same nonce, recipient, value, data and gas
// limit and higher fees, for a transaction stuck under a fee spike or refused
// as under-priced. Whichever version is mined, the nonce is used once, so the
// caller records the replacement before broadcasting it (as any signed
// transaction) and then accepts a receipt for any version.
//
// The fees satisfy both rules a node applies:
//   - replacement: the tip and the fee cap each rise by at least 12.5% over
//     old's (geth and anvil require 10%; the margin avoids rounding refusals);
//   - inclusion: the fee cap covers twice the base fee plus the tip, where the
//     base fee is the larger of the latest block's and the pending block's (a
//     node that knows the next block's base fee, e.g. anvil after
//     anvil_setNextBlockBaseFeePerGas, refuses a transaction below it).
//
// The tip is at least what the node suggests now. On a chain without a base
// fee the replacement is a legacy transaction with a 12.5% higher gas price.
func (c *Conn) Replacement(ctx context.Context, old *types.Transaction) (*types.Transaction, error) {
	base, err := c.nextBaseFee(ctx)
	if err != nil {
		return nil, fmt.Errorf("replace %s: %w", old.Hash().Hex(), err)
	}
	chainID := big.NewInt(c.ChainID)
	var inner types.TxData
	if base == nil {
		price, err := c.Client.SuggestGasPrice(ctx)
		if err != nil {
			return nil, fmt.Errorf("replace %s: gas price: %w", old.Hash().Hex(), err)
		}
		inner = &types.LegacyTx{Nonce: old.Nonce(), GasPrice: maxBig(price, bumpFee(old.GasPrice())), Gas: old.Gas(),
			To: old.To(), Value: old.Value(), Data: old.Data()}
	} else {
		tip, err := c.Client.SuggestGasTipCap(ctx)
		if err != nil {
			return nil, fmt.Errorf("replace %s: gas tip: %w", old.Hash().Hex(), err)
		}
		tip = maxBig(tip, bumpFee(old.GasTipCap()))
		need := new(big.Int).Add(new(big.Int).Mul(base, big.NewInt(2)), tip)
		inner = &types.DynamicFeeTx{ChainID: chainID, Nonce: old.Nonce(), GasTipCap: tip,
			GasFeeCap: maxBig(need, bumpFee(old.GasFeeCap())), Gas: old.Gas(), To: old.To(), Value: old.Value(),
			Data: old.Data(), AccessList: old.AccessList()}
	}
	tx, err := types.SignNewTx(c.key, types.LatestSignerForChainID(chainID), inner)
	if err != nil {
		return nil, fmt.Errorf("replace %s: sign: %w", old.Hash().Hex(), err)
	}
	return tx, nil
}

// nextBaseFee returns the base fee the next block will charge as far as the
// node tells (nil on a chain without EIP-1559).
func (c *Conn) nextBaseFee(ctx context.Context) (*big.Int, error) {
	latest, err := c.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("head: %w", err)
	}
	if latest.BaseFee == nil {
		return nil, nil
	}
	base := latest.BaseFee
	// Not every node serves a pending header; the latest base fee, doubled
	// by the caller, then has to do.
	pending, err := c.Client.HeaderByNumber(ctx, big.NewInt(int64(rpc.PendingBlockNumber)))
	if ctx.Err() != nil {
		return nil, fmt.Errorf("pending header: %w", ctx.Err())
	}
	if err == nil && pending.BaseFee != nil {
		base = maxBig(base, pending.BaseFee)
	}
	return base, nil
}

// bumpFee returns v raised by 12.5%, rounded up, and by at least 1 wei.
func bumpFee(v *big.Int) *big.Int {
	if v == nil {
		return big.NewInt(1)
	}
	b := new(big.Int).Mul(v, big.NewInt(9))
	b.Add(b, big.NewInt(7))
	b.Div(b, big.NewInt(8))
	return maxBig(b, new(big.Int).Add(v, big.NewInt(1)))
}

func maxBig(a, b *big.Int) *big.Int {
	if a.Cmp(b) >= 0 {
		return new(big.Int).Set(a)
	}
	return new(big.Int).Set(b)
}
