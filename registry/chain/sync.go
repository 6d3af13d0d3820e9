package chain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"sync/atomic"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry"
)

// Syncer keeps each deployed issuance's EligibilityRegistry (and its token's
// wallet freezes) in step with the registry. It drains the outbox that every
// registry change fills in its own transaction: one batch per issuance at a
// time, signed and recorded before it is broadcast, so a crash at any point
// either re-broadcasts the very same transaction or, if it can no longer be
// mined, returns its wallets to the outbox. Entries carry full state, so a
// wallet sent twice ends in the same state; the sequence number makes the
// registry refuse a batch applied out of order.
type Syncer struct {
	conn      *Conn
	store     registry.SyncStore
	log       *slog.Logger
	now       func() time.Time
	batchSize int
	wake      chan struct{}
	reg       *bindings.EligibilityRegistry
	tok       *bindings.SecurityToken

	lastGrantSweep time.Time

	// Confirmations is how deep a batch's block must be before the batch counts
	// as confirmed; until then it stays open, and a reorg that drops it makes
	// the next settle re-broadcast the same transaction.
	Confirmations uint64

	Stats SyncStats
}

// SyncStats are counters for metrics.
type SyncStats struct {
	BatchesConfirmed atomic.Int64
	BatchesFailed    atomic.Int64
	WalletsSent      atomic.Int64
	Errors           atomic.Int64
}

// NewSyncer returns a syncer; now gives the time records are derived at.
func NewSyncer(conn *Conn, store registry.SyncStore, log *slog.Logger, now func() time.Time) *Syncer {
	if now == nil {
		now = time.Now
	}
	return &Syncer{conn: conn, store: store, log: log, now: now, batchSize: 100, wake: make(chan struct{}, 1),
		reg: bindings.NewEligibilityRegistry(), tok: bindings.NewSecurityToken()}
}

// Wake asks the syncer to look at the outbox now.
func (s *Syncer) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run syncs until ctx ends, on wake-ups and every interval.
func (s *Syncer) Run(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := s.Step(ctx); err != nil && ctx.Err() == nil {
			s.Stats.Errors.Add(1)
			s.log.Warn("whitelist sync", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.wake:
		case <-t.C:
		}
	}
}

// Step settles open batches, then sends one batch for every issuance with
// pending wallets and no batch in flight.
func (s *Syncer) Step(ctx context.Context) error {
	if err := s.sweepStartingGrants(ctx); err != nil {
		return err
	}
	open, err := s.store.OpenBatches(ctx)
	if err != nil {
		return err
	}
	busy := map[int64]bool{}
	var errs []error
	for _, b := range open {
		settled, err := s.settle(ctx, b)
		if err != nil {
			errs = append(errs, err) // one stuck batch must not stop the other issuances
		}
		if !settled {
			busy[b.IssuanceID] = true
		}
	}
	targets, err := s.store.SyncTargets(ctx)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	for _, t := range targets {
		if busy[t.IssuanceID] || t.ChainID != s.conn.ChainID {
			continue
		}
		b, err := s.send(ctx, t, true)
		if err != nil {
			errs = append(errs, fmt.Errorf("issuance %d: %w", t.IssuanceID, err))
			continue
		}
		if b != nil {
			if _, err := s.settle(ctx, *b); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// send signs a batch of up to batchSize pending wallets, records it, then (if
// broadcast) sends it. Tests pass broadcast=false to stop where a crash would.
func (s *Syncer) send(ctx context.Context, t registry.SyncTarget, broadcast bool) (*registry.SyncBatch, error) {
	wallets, upTo, err := s.store.PendingWallets(ctx, t.IssuanceID, s.batchSize)
	if err != nil || len(wallets) == 0 {
		return nil, err
	}
	records, err := s.store.DesiredRecords(ctx, t.IssuanceID, wallets, s.now())
	if err != nil {
		return nil, err
	}
	regAddr := common.HexToAddress(t.RegistryAddress)
	reg := s.reg.Instance(s.conn.Client, regAddr)
	seq, err := bind.Call(reg, &bind.CallOpts{Context: ctx}, s.reg.PackSeq(), s.reg.UnpackSeq)
	if err != nil {
		return nil, fmt.Errorf("read seq: %w", err)
	}
	entries := make([]bindings.EligibilityRegistryEntry, len(records))
	for i, r := range records {
		e := bindings.EligibilityRegistryEntry{Wallet: common.HexToAddress(r.Wallet), InvestorId: r.InvestorID, ValidUntil: new(big.Int)}
		if r.InvestorID != 0 {
			copy(e.Country[:], r.Country)
			e.Categories = r.Categories
			e.ValidUntil.SetUint64(r.ValidUntil)
		}
		entries[i] = e
	}
	var batch *registry.SyncBatch
	_, err = s.conn.Send(ctx, func(opts *bind.TransactOpts) (*types.Transaction, error) {
		opts.NoSend = true // sign only: the transaction is recorded before anyone can see it
		tx, err := bind.Transact(reg, opts, s.reg.PackApplyBatch(seq, entries))
		if err != nil {
			return nil, fmt.Errorf("sign batch: %w", err)
		}
		raw, err := tx.MarshalBinary()
		if err != nil {
			return nil, err
		}
		b := registry.SyncBatch{IssuanceID: t.IssuanceID, Seq: seq, TxHash: tx.Hash().Hex(), RawTx: raw, Wallets: wallets, UpTo: upTo}
		if b.ID, err = s.store.RecordBatch(ctx, b); err != nil {
			return nil, fmt.Errorf("record batch: %w", err)
		}
		batch = &b
		s.Stats.WalletsSent.Add(int64(len(wallets)))
		if broadcast {
			if err := s.conn.Client.SendTransaction(ctx, tx); err != nil && !alreadyKnown(err) {
				s.log.Warn("broadcast batch", slog.Int64("batch", b.ID), slog.Any("err", err))
			}
		}
		return tx, nil
	})
	return batch, err
}

// settle finds out what became of a recorded batch: mined (confirm it and sync
// freezes), reverted or unminable (fail it: its wallets return to the outbox),
// or pending (leave it). A batch whose transaction the chain does not know is
// broadcast again — the same signed bytes, so at most one of them is ever mined.
func (s *Syncer) settle(ctx context.Context, b registry.SyncBatch) (bool, error) {
	hash := common.HexToHash(b.TxHash)
	receipt, err := s.conn.Client.TransactionReceipt(ctx, hash)
	if errors.Is(err, ethereum.NotFound) {
		tx := new(types.Transaction)
		if err := tx.UnmarshalBinary(b.RawTx); err != nil {
			return false, fmt.Errorf("batch %d: stored transaction: %w", b.ID, err)
		}
		if err := s.conn.Client.SendTransaction(ctx, tx); err != nil && !alreadyKnown(err) {
			if nonceUsed(err) {
				if r, rerr := s.conn.Client.TransactionReceipt(ctx, hash); rerr == nil {
					receipt, err = r, nil
				} else {
					s.Stats.BatchesFailed.Add(1)
					return true, s.store.FailBatch(ctx, b.ID, "not mined and its nonce is used: "+err.Error())
				}
			} else {
				return false, fmt.Errorf("batch %d: broadcast: %w", b.ID, err)
			}
		}
		if receipt == nil {
			waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
			receipt, err = s.conn.WaitMined(waitCtx, hash)
			cancel()
			if err != nil {
				return false, nil // still pending: the next step looks again
			}
		}
	} else if err != nil {
		return false, fmt.Errorf("batch %d: receipt: %w", b.ID, err)
	}
	if s.Confirmations > 0 {
		head, err := s.conn.Client.BlockNumber(ctx)
		if err != nil {
			return false, fmt.Errorf("batch %d: head: %w", b.ID, err)
		}
		if head < receipt.BlockNumber.Uint64()+s.Confirmations {
			return false, nil // not deep enough yet: look again next step
		}
	}
	if receipt.Status != types.ReceiptStatusSuccessful {
		s.Stats.BatchesFailed.Add(1)
		s.log.Warn("whitelist batch reverted; its wallets are queued again", slog.Int64("batch", b.ID), slog.Uint64("seq", b.Seq))
		return true, s.store.FailBatch(ctx, b.ID, "reverted (sequence mismatch or paused registry)")
	}
	if err := s.syncFreezes(ctx, b); err != nil {
		return false, err
	}
	if err := s.store.ConfirmBatch(ctx, b.ID, receipt.BlockNumber.Uint64()); err != nil {
		return false, err
	}
	s.Stats.BatchesConfirmed.Add(1)
	return true, nil
}

// syncFreezes makes the token's wallet freezes match the registry for the
// batch's wallets. It compares with the chain first, so repeating it is harmless.
func (s *Syncer) syncFreezes(ctx context.Context, b registry.SyncBatch) error {
	targets, err := s.store.SyncTargetFor(ctx, b.IssuanceID)
	if err != nil {
		return err
	}
	records, err := s.store.DesiredRecords(ctx, b.IssuanceID, b.Wallets, s.now())
	if err != nil {
		return err
	}
	tok := s.tok.Instance(s.conn.Client, common.HexToAddress(targets.TokenAddress))
	for _, r := range records {
		w := common.HexToAddress(r.Wallet)
		frozen, err := bind.Call(tok, &bind.CallOpts{Context: ctx}, s.tok.PackIsFrozen(w), s.tok.UnpackIsFrozen)
		if err != nil {
			return fmt.Errorf("isFrozen %s: %w", r.Wallet, err)
		}
		if !r.FreezeKnown || frozen == r.Frozen {
			continue
		}
		if _, err := s.conn.transactAndWait(ctx, tok, s.tok.PackSetAddressFrozen(w, r.Frozen)); err != nil {
			return fmt.Errorf("setAddressFrozen %s: %w", r.Wallet, err)
		}
	}
	return nil
}

func alreadyKnown(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "already known") || strings.Contains(msg, "known transaction")
}

func nonceUsed(err error) bool {
	return strings.Contains(strings.ToLower(err.Error()), "nonce too low")
}

// grantSweepLookback is how far back the first sweep after a start looks, so
// grants that started while the node was down are still carried on-chain.
const grantSweepLookback = 7 * 24 * time.Hour

// sweepStartingGrants queues, at most once a minute, the wallets of investors
// whose category grant started since the last sweep.
func (s *Syncer) sweepStartingGrants(ctx context.Context) error {
	now := s.now()
	from := s.lastGrantSweep
	if from.IsZero() {
		from = now.Add(-grantSweepLookback)
	} else if now.Sub(from) < time.Minute {
		return nil
	}
	n, err := s.store.EnqueueStartingGrants(ctx, from, now)
	if err != nil {
		return fmt.Errorf("queue starting category grants: %w", err)
	}
	if n > 0 {
		s.log.Info("category grants started; wallets queued for the whitelist sync", slog.Int64("rows", n))
	}
	s.lastGrantSweep = now
	return nil
}
