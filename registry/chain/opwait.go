package chain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/stonode/stonode/registry"
)

// opStep is one nonce slot of an operation: the versions of its transaction
// signed for it (the first, then fee-bumped replacements), oldest first.
type opStep struct {
	step     int
	nonce    uint64
	contract string // address a creation makes, else ""
	txs      []*types.Transaction
}

func (st *opStep) latest() *types.Transaction { return st.txs[len(st.txs)-1] }

// stepsFrom groups an operation's recorded transactions by step.
func stepsFrom(recorded []registry.OperationTx) ([]*opStep, error) {
	byStep := map[int]*opStep{}
	for _, r := range recorded {
		tx := new(types.Transaction)
		if err := tx.UnmarshalBinary(r.Raw); err != nil {
			return nil, fmt.Errorf("recorded transaction %s: %w", r.Hash, err)
		}
		st := byStep[r.Step]
		if st == nil {
			st = &opStep{step: r.Step, nonce: r.Nonce, contract: r.Contract}
			byStep[r.Step] = st
		}
		st.txs = append(st.txs, tx)
	}
	out := make([]*opStep, 0, len(byStep))
	for _, st := range byStep {
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].step < out[j].step })
	return out, nil
}

// rebroadcastEvery paces re-sending a transaction the chain has not mined: a
// node that dropped it from its pool (a restart, anvil_dropAllTransactions)
// gets it again; one that has it answers "already known".
const rebroadcastEvery = 2 * time.Second

// awaitStep waits until one version of a step's transaction is mined and
// returns its receipt. It never gives up on a transaction that may still be
// mined: a transient RPC error is waited out, a dropped transaction is
// re-broadcast, one stuck for StuckBlocks blocks (or refused as underpriced)
// is replaced with higher fees, recorded first. It fails only with ErrDropped
// (the nonce went to another transaction, so nothing of this step can ever be
// mined) or when ctx ends. What it waits for is noted on the operation once per
// change, not per try.
func (s *Operations) awaitStep(ctx context.Context, op *registry.Operation, on registry.ChainIdentity, st *opStep) (*types.Receipt, error) {
	log := s.log.With(slog.Int64("operation", op.ID), slog.Int("step", st.step), slog.Uint64("nonce", st.nonce))
	var waiting string
	note := func(state string) {
		if state == waiting {
			return
		}
		waiting = state
		if state != "" {
			log.Info("operation waiting", slog.String("for", state))
		}
		if err := s.store.NoteOperation(systemCtx(ctx), op.ID, map[string]string{"waiting": state}); err != nil && ctx.Err() == nil {
			log.Warn("note operation state", slog.Any("err", err))
		}
	}
	var (
		lastSend   time.Time
		firstHead  uint64
		haveHead   bool
		replace    bool
		nonceGone  int
		pollTicker = time.NewTicker(s.cfg.Poll)
	)
	defer pollTicker.Stop()
	for {
		receipt, rerr := s.receiptOfAny(ctx, st)
		switch {
		case rerr == nil && receipt != nil:
			note("")
			return receipt, nil
		case rerr != nil:
			note("receipt (chain unreachable: " + shortErr(rerr) + ")")
		default:
			if time.Since(lastSend) >= rebroadcastEvery {
				lastSend = time.Now()
				// Never re-send to a chain that is not the operation's.
				if err := s.cfg.Guard.CheckNow(ctx, on.ChainID, on.GenesisHash); err != nil {
					if errors.Is(err, registry.ErrChainChanged) {
						if _, herr := s.store.HaltIssuance(systemCtx(ctx), op.IssuanceID, err.Error()); herr != nil {
							return nil, herr
						}
						return nil, fmt.Errorf("%w: %w", errHalted, err)
					}
					note("the chain (unreachable: " + shortErr(err) + ")")
					goto wait
				}
				err := s.signer(op.Kind).Rebroadcast(ctx, st.latest())
				switch {
				case err == nil:
					note("transaction " + st.latest().Hash().Hex() + " to be mined")
					nonceGone = 0
				case nonceUsed(err):
					// Its nonce is taken: by one of our versions (the receipt
					// shows up next round) or by another transaction. Two
					// rounds without a receipt settle it.
					if used, uerr := s.signer(op.Kind).NonceUsed(ctx, st.nonce); uerr == nil && used {
						if nonceGone++; nonceGone >= 2 {
							return nil, fmt.Errorf("%w (nonce %d; none of %s was mined)", ErrDropped, st.nonce, hashes(st))
						}
						lastSend = time.Time{}
					}
				case underpriced(err):
					replace = true
					note("a fee high enough to be included")
				default:
					note("broadcast (" + shortErr(err) + ")")
				}
			}
			if head, err := s.conn.Client.BlockNumber(ctx); err == nil {
				if !haveHead {
					firstHead, haveHead = head, true
				}
				if replace || head >= firstHead+s.cfg.StuckBlocks {
					if err := s.replaceStep(ctx, op, st); err != nil {
						note("replacement (" + shortErr(err) + ")")
					} else {
						log.Warn("transaction not mined in time; replaced with higher fees",
							slog.String("tx", st.latest().Hash().Hex()), slog.String("feeCap", st.latest().GasFeeCap().String()))
						firstHead, replace, lastSend = head, false, time.Time{}
					}
				}
			}
		}
	wait:
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-pollTicker.C:
		}
	}
}

// receiptOfAny returns the receipt of whichever version of the step was mined,
// nil when none was (yet).
func (s *Operations) receiptOfAny(ctx context.Context, st *opStep) (*types.Receipt, error) {
	callCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for i := len(st.txs) - 1; i >= 0; i-- {
		r, err := s.conn.Client.TransactionReceipt(callCtx, st.txs[i].Hash())
		if err == nil {
			return r, nil
		}
		if !errors.Is(err, ethereum.NotFound) {
			return nil, err
		}
	}
	return nil, nil
}

// replaceStep signs a fee-bumped version of the step's transaction, records
// it, then broadcasts it.
func (s *Operations) replaceStep(ctx context.Context, op *registry.Operation, st *opStep) error {
	tx, err := s.signer(op.Kind).Replacement(ctx, st.latest())
	if err != nil {
		return err
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return err
	}
	if err := s.store.RecordOperationTxs(systemCtx(ctx), op.ID, []registry.OperationTx{{Step: st.step, Nonce: tx.Nonce(),
		Hash: tx.Hash().Hex(), Raw: raw, Contract: st.contract}}, map[string]string{"replacedBy": tx.Hash().Hex()}); err != nil {
		return err
	}
	st.txs = append(st.txs, tx)
	if err := s.signer(op.Kind).Rebroadcast(ctx, tx); err != nil && !nonceUsed(err) {
		return fmt.Errorf("broadcast replacement: %w", err)
	}
	return nil
}

// recordSteps returns a record function for SignRecordBroadcast that stores
// an operation's signed transactions (creations with the address they make)
// as the steps after those in steps, and appends them there once stored.
func (s *Operations) recordSteps(ctx context.Context, op *registry.Operation, genesis string, steps *[]*opStep,
	result func(txs []*types.Transaction) map[string]string) func(txs []*types.Transaction) error {
	return func(txs []*types.Transaction) error {
		rec := make([]registry.OperationTx, len(txs))
		base := len(*steps) // a re-signed operation adds steps after its dropped ones
		var added []*opStep
		for i, tx := range txs {
			raw, err := tx.MarshalBinary()
			if err != nil {
				return err
			}
			contract, onChain := "", ""
			if tx.To() == nil {
				contract, onChain = lower(crypto.CreateAddress(s.signer(op.Kind).From, tx.Nonce())), genesis
			}
			rec[i] = registry.OperationTx{Step: base + i, Nonce: tx.Nonce(), Hash: tx.Hash().Hex(), Raw: raw, Contract: contract,
				GenesisHash: onChain}
			added = append(added, &opStep{step: base + i, nonce: tx.Nonce(), contract: contract, txs: []*types.Transaction{tx}})
		}
		var res map[string]string
		if result != nil {
			res = result(txs)
		}
		if err := s.store.RecordOperationTxs(systemCtx(ctx), op.ID, rec, res); err != nil {
			return err
		}
		*steps = append(*steps, added...)
		return nil
	}
}

func hashes(st *opStep) string {
	h := make([]string, len(st.txs))
	for i, tx := range st.txs {
		h[i] = tx.Hash().Hex()
	}
	return strings.Join(h, ", ")
}

// shortErr keeps an RPC error readable in an operation's state.
func shortErr(err error) string {
	msg := err.Error()
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return msg
}
