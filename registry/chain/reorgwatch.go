package chain

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/stonode/stonode/registry"
)

const (
	// reorgWatchEvery paces the check of recently finished operations.
	reorgWatchEvery = 2 * time.Second
	// reorgWatchWindow bounds which operations are checked by age; the
	// reorg bound (in blocks) decides when each one is final.
	reorgWatchWindow = 30 * time.Minute
)

// watchReorgs keeps checking operations that succeeded within the reorg bound:
// a reorg that takes their transaction out of the chain re-sends the very
// bytes on record (the nonce is free again, so they are mined at most once),
// and one whose nonce went to another transaction is marked for attention.
func (s *Operations) watchReorgs(ctx context.Context) {
	t := time.NewTicker(reorgWatchEvery)
	defer t.Stop()
	resent := map[string]bool{} // logged once per re-sent transaction
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.checkReorged(ctx, resent); err != nil && ctx.Err() == nil {
				s.log.Debug("reorg watch", slog.Any("err", err))
			}
		}
	}
}

func (s *Operations) checkReorged(ctx context.Context, resent map[string]bool) error {
	sys := systemCtx(ctx)
	ops, err := s.store.RecentOperations(sys, time.Now().Add(-reorgWatchWindow))
	if err != nil || len(ops) == 0 {
		return err
	}
	head, err := s.conn.Client.BlockNumber(ctx)
	if err != nil {
		return err
	}
	for _, op := range ops {
		if op.Result["attention"] != "" {
			continue
		}
		key := "block"
		if op.Kind == registry.OpDeploy {
			key = "deploymentBlock"
		}
		block, err := strconv.ParseUint(op.Result[key], 10, 64)
		if err != nil || head > block+s.cfg.MaxReorgDepth {
			continue // final: deeper than any reorg the node follows
		}
		recorded, err := s.store.OperationTxs(sys, op.ID)
		if err != nil {
			return err
		}
		steps, err := stepsFrom(recorded)
		if err != nil || len(steps) == 0 {
			continue
		}
		if op.Kind != registry.OpDeploy {
			steps = steps[len(steps)-1:] // earlier steps were dropped, never mined
		}
		iss, err := s.registry.Issuance(sys, op.IssuanceID)
		if err != nil {
			return err
		}
		opCtx := ctx
		if s.shared() { // the issuance's lease holder watches its operations
			var held bool
			if opCtx, held = s.cfg.Leases.Scope(ctx, op.IssuanceID); !held {
				continue
			}
		}
		for _, st := range steps {
			if err := s.checkStep(opCtx, op, iss, key, st, resent); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkStep re-sends or flags one step of a succeeded operation whose
// transaction is no longer in the chain.
func (s *Operations) checkStep(ctx context.Context, op *registry.Operation, iss *registry.Issuance, blockKey string, st *opStep, resent map[string]bool) error {
	sys := systemCtx(ctx)
	receipt, err := s.receiptOfAny(ctx, st)
	if err != nil {
		return err
	}
	if receipt != nil {
		if n := receipt.BlockNumber.String(); blockKey == "block" && op.Result["block"] != n {
			// Re-mined in another block after a reorg: the mirror waits for
			// this one before the next balance change is checked.
			return s.store.AnnotateOperation(sys, op.ID, map[string]string{"block": n})
		}
		return nil
	}
	// A missing receipt on another chain is no reorg of ours: never re-send
	// there (the supervisor halts the issuance).
	if err := s.cfg.Guard.CheckNow(ctx, iss.ChainID, iss.GenesisHash); err != nil {
		return err
	}
	hash := st.latest().Hash().Hex()
	err = s.signer(op.Kind).Rebroadcast(ctx, st.latest())
	switch {
	case err == nil:
		if !resent[hash] {
			resent[hash] = true
			s.log.Warn("a reorg took a succeeded operation's transaction out of the chain; the recorded transaction was re-sent",
				slog.Int64("operation", op.ID), slog.String("tx", hash))
			return s.store.AnnotateOperation(sys, op.ID, map[string]string{
				"reorged": fmt.Sprintf("block %s was reorged out at %s; transaction %s re-sent", op.Result[blockKey], time.Now().UTC().Format(time.RFC3339), hash)})
		}
	case nonceUsed(err):
		if used, uerr := s.signer(op.Kind).NonceUsed(ctx, st.nonce); uerr != nil || !used {
			return uerr
		}
		if again, rerr := s.receiptOfAny(ctx, st); rerr != nil || again != nil {
			return rerr
		}
		s.log.Error("a reorg took a succeeded operation's transaction out of the chain and its nonce went to another one: it needs attention",
			slog.Int64("operation", op.ID), slog.String("tx", hash))
		return s.store.AnnotateOperation(sys, op.ID, map[string]string{
			"attention": "reorged out of the chain and its nonce was used by another transaction: it is no longer on-chain; check the chain and submit it again if needed"})
	}
	return nil
}
