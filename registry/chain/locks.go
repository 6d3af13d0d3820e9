package chain

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry"
)

// releaseDueLocks releases every ACTIVE lock whose release time has passed,
// until ctx ends. A release queues the lock's UNFREEZE operation in the
// transaction that marks it RELEASING, so it happens once however many nodes
// (or API callers) race for it; the worker then sends it like any operation.
func (s *Operations) releaseDueLocks(ctx context.Context) {
	if s.cfg.Controls == nil {
		return
	}
	every := s.cfg.LockReleaseEvery
	if every <= 0 {
		every = 5 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if n := s.ReleaseDue(ctx); n > 0 {
			s.wakeWorker()
		}
	}
}

// releaseRetryAfter is how long a due lock whose unfreeze failed waits
// before the node tries to release it again.
const releaseRetryAfter = 10 * time.Minute

// ReleaseDue queues the release of every lock due now and returns how many
// it queued; a lock another caller released meanwhile is skipped.
func (s *Operations) ReleaseDue(ctx context.Context) int {
	sys := systemCtx(ctx)
	due, err := s.cfg.Controls.DueLocks(sys, s.now())
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("list due locks", slog.Any("err", err))
		}
		return 0
	}
	n := 0
	for _, l := range due {
		if l.ReleaseOperation != 0 {
			// An unfreeze that failed left the lock ACTIVE: try again, but
			// not at every tick (it fails for a reason that may last).
			if prev, err := s.store.Operation(sys, l.ReleaseOperation); err == nil && prev.Status == registry.OpFailed &&
				s.now().Sub(prev.UpdatedAt) < releaseRetryAfter {
				continue
			}
		}
		if _, err := s.cfg.Controls.ReleaseLock(sys, l.IssuanceID, l.ID); err != nil {
			if registry.ErrorCode(err) != registry.ECONFLICT && ctx.Err() == nil {
				s.log.Warn("release due lock", slog.Int64("lock", l.ID), slog.Int64("issuance", l.IssuanceID), slog.Any("err", err))
			}
			continue
		}
		s.log.Info("lock released at its release time", slog.Int64("lock", l.ID), slog.Int64("issuance", l.IssuanceID),
			slog.String("wallet", l.Wallet), slog.String("amount", l.Amount.String()))
		n++
	}
	return n
}

// guardLocks keeps the token's frozen amount equal to the sum of the active
// locks through the operations that could change it behind them: a
// redemption or forced transfer larger than the sender's free balance would
// have the token unfreeze locked tokens, and a partial unfreeze not made for a
// lock (no lockId) larger than the frozen amount beyond the locks would
// release locked ones. Both are refused before sending, with the numbers;
// release the lock first. Wallets without locks are not affected.
func (s *Operations) guardLocks(ctx context.Context, op *registry.Operation, iss *registry.Issuance, t registry.TokenOp,
	tok *bindings.SecurityToken, token common.Address) (map[string]string, error) {
	var wallet string
	switch {
	case s.cfg.Controls == nil || t.Amount == nil:
		return nil, nil
	case t.Kind == registry.OpRedeem || t.Kind == registry.OpForcedTransfer:
		wallet = t.From
	case t.Kind == registry.OpUnfreeze && op.Request["lockId"] == "":
		wallet = t.Wallet
	default:
		return nil, nil
	}
	var locked *big.Int
	if err := s.retryOutage(ctx, op, "the database", func(ctx context.Context) error {
		sums, err := s.cfg.Controls.LockedAmounts(systemCtx(ctx), iss.ID)
		locked = sums[wallet]
		return err
	}); err != nil {
		return nil, fmt.Errorf("locks of %s: %w", wallet, err)
	}
	if locked == nil || locked.Sign() == 0 {
		return nil, nil
	}
	inst := tok.Instance(s.conn.Client, token)
	var room *big.Int // what the operation may take without touching locked tokens
	err := s.retryOutage(ctx, op, "the chain", func(ctx context.Context) error {
		callCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		w := common.HexToAddress(wallet)
		if t.Kind == registry.OpUnfreeze {
			frozen, err := bind.Call(inst, &bind.CallOpts{Context: callCtx}, tok.PackGetFrozenTokens(w), tok.UnpackGetFrozenTokens)
			if err != nil {
				return fmt.Errorf("getFrozenTokens: %w", err)
			}
			room = new(big.Int).Sub(frozen, locked)
			return nil
		}
		free, err := bind.Call(inst, &bind.CallOpts{Context: callCtx}, tok.PackFreeBalanceOf(w), tok.UnpackFreeBalanceOf)
		if err != nil {
			return fmt.Errorf("freeBalanceOf: %w", err)
		}
		room = free
		return nil
	})
	if err != nil {
		return nil, err
	}
	if t.Amount.Cmp(room) <= 0 {
		return nil, nil
	}
	what := "free balance"
	if t.Kind == registry.OpUnfreeze {
		what = "frozen amount beyond the locks"
	}
	return map[string]string{"stage": "locks", "locked": locked.String()},
		fmt.Errorf("%s of %s would take tokens locked on %s (%s locked, %s %s): release the lock first",
			t.Kind, t.Amount, wallet, locked, what, room)
}
