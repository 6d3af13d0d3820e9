package chain

import (
	"context"
	"log/slog"
	"time"

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
