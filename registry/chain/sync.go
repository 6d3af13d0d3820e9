package chain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

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
//
// What can go wrong on the way, and what the syncer does about it:
//   - a wallet the registry contract refuses (ZeroWallet) would revert every
//     batch that carries it: each batch is first run with eth_call, the
//     refused entries are found by bisection, marked FAILED with the decoded
//     reason, and the rest is sent at once;
//   - a batch transaction dropped from the mempool is re-broadcast (the same
//     bytes); one the chain keeps but does not mine within StuckBlocks
//     blocks, or refuses as under-priced, is replaced with the same nonce and
//     higher fees, recorded before it is broadcast; a receipt for any version
//     settles the batch; one whose nonce went to another transaction fails
//     and its wallets return to the outbox;
//   - a reorg within ReorgWindow blocks that removes the block of a
//     CONFIRMED batch reopens it: it is re-broadcast (or failed and re-queued,
//     as above) and its entries go back to SENT;
//   - repeated failures of one issuance back off exponentially up to
//     maxBackoff; every state is logged once when it is entered, not per try.
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
	// StuckBlocks is how many blocks a batch transaction the chain holds may
	// wait unmined before it is replaced with higher fees.
	StuckBlocks uint64
	// ReorgWindow is how far below the head CONFIRMED batches are rechecked
	// against the canonical chain: the node's reorg bound. A deeper reorg is
	// not followed here (the node halts the issuance instead).
	ReorgWindow uint64
	// Guard, if set, is asked right before anything is sent or re-sent
	// whether the chain is still the one the issuance's contracts are on: in
	// the seconds before a switched chain halts the issuance, nothing of it
	// may reach the new chain.
	Guard *Guard
	// Leases, when shared, limits the syncer to the issuances whose leases
	// this node holds, each synced under its lease; nil syncs every issuance.
	Leases *Leaser
	// ReorgCheckEvery is the least time between two reorg checks; each costs
	// one header read when the head has not changed.
	ReorgCheckEvery time.Duration

	Stats SyncStats

	// clock is wall time for backoff and throttles; now may be a test clock
	// that stands still.
	clock func() time.Time

	mu          sync.Mutex
	retry       map[int64]*retryState // issuance → backoff
	logged      map[string]string     // subject → what was last logged about it
	lastReplace map[int64]time.Time   // batch → when its last replacement was signed
	lastHead    common.Hash
	lastCheck   time.Time
}

// SyncStats are counters for metrics.
type SyncStats struct {
	BatchesConfirmed atomic.Int64
	BatchesFailed    atomic.Int64 // reverted, dropped for good, or refused entries found before sending
	BatchesReplaced  atomic.Int64 // replacement transactions signed (same nonce, higher fees)
	BatchesReopened  atomic.Int64 // CONFIRMED batches whose block a reorg removed
	EntriesFailed    atomic.Int64 // wallets the chain refused
	WalletsSent      atomic.Int64
	Errors           atomic.Int64
}

// Defaults of the tunables above.
const (
	DefaultStuckBlocks = 3
	DefaultReorgWindow = 64
	maxBackoff         = 30 * time.Second
	freezeWait         = 30 * time.Second
)

type retryState struct {
	failures int
	next     time.Time
}

// NewSyncer returns a syncer; now gives the time records are derived at. It
// writes registries with conn's writer key and sets token freezes with its
// agent key (Conn.As).
func NewSyncer(conn *Conn, store registry.SyncStore, log *slog.Logger, now func() time.Time) *Syncer {
	if now == nil {
		now = time.Now
	}
	return &Syncer{conn: conn.As(KeyWriter), store: store, log: log, now: now, batchSize: 100, wake: make(chan struct{}, 1),
		reg: bindings.NewEligibilityRegistry(), tok: bindings.NewSecurityToken(),
		StuckBlocks: DefaultStuckBlocks, ReorgWindow: DefaultReorgWindow, ReorgCheckEvery: time.Second,
		clock: time.Now, retry: map[int64]*retryState{}, logged: map[string]string{}, lastReplace: map[int64]time.Time{}}
}

// scope is the context to sync an issuance in, and whether this node does.
func (s *Syncer) scope(ctx context.Context, issuanceID int64) (context.Context, bool) {
	if s.Leases == nil {
		return ctx, true
	}
	return s.Leases.Scope(ctx, issuanceID)
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
		err := s.Step(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			s.Stats.Errors.Add(1)
			s.note("step", slog.LevelWarn, "whitelist sync", err)
		} else {
			s.cleared("step", "whitelist sync recovered")
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.wake:
		case <-t.C:
		}
	}
}

// onItsChain checks, against the step's fresh read of the chain's identity,
// that the node's chain is the one the issuance's contracts are on; the node's
// supervisor halts the issuance otherwise.
func (s *Syncer) onItsChain(ctx context.Context, fresh *FreshCheck, issuanceID, chainID int64, genesis string) error {
	if fresh == nil {
		return nil
	}
	if err := fresh.Check(ctx, chainID, genesis); err != nil {
		return fmt.Errorf("issuance %d: nothing sent: %w", issuanceID, err)
	}
	return nil
}

// batchOnItsChain is onItsChain for an open batch's issuance.
func (s *Syncer) batchOnItsChain(ctx context.Context, fresh *FreshCheck, b registry.SyncBatch) error {
	if fresh == nil {
		return nil
	}
	t, err := s.store.SyncTargetFor(ctx, b.IssuanceID)
	if err != nil {
		return fmt.Errorf("issuance %d: %w", b.IssuanceID, err)
	}
	return s.onItsChain(ctx, fresh, b.IssuanceID, t.ChainID, t.GenesisHash)
}

// Step rechecks recently confirmed batches against reorgs, settles open
// batches, then sends one batch for every issuance with pending wallets, no
// batch in flight and no backoff running. Step is not safe for concurrent use.
func (s *Syncer) Step(ctx context.Context) error {
	if err := s.sweepStartingGrants(ctx); err != nil {
		return err
	}
	var errs []error
	if err := s.checkReorgs(ctx); err != nil {
		errs = append(errs, err) // the batches still settle; the next step checks again
	}
	open, err := s.store.OpenBatches(ctx)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	var fresh *FreshCheck // one identity read per step, on the first issuance with work
	if s.Guard != nil {
		fresh = s.Guard.Fresh()
	}
	busy := map[int64]bool{}
	for _, b := range open {
		ctx, held := s.scope(ctx, b.IssuanceID)
		if !held {
			busy[b.IssuanceID] = true
			continue
		}
		if err := s.batchOnItsChain(ctx, fresh, b); err != nil {
			busy[b.IssuanceID] = true
			errs = append(errs, err)
			continue
		}
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
		if busy[t.IssuanceID] || t.ChainID != s.conn.ChainID || !s.due(t.IssuanceID) {
			continue
		}
		ctx, held := s.scope(ctx, t.IssuanceID)
		if !held {
			continue
		}
		if err := s.onItsChain(ctx, fresh, t.IssuanceID, t.ChainID, t.GenesisHash); err != nil {
			errs = append(errs, err)
			continue
		}
		b, err := s.send(ctx, t, true)
		if err != nil {
			if ctx.Err() == nil {
				s.failed(t.IssuanceID, err) // logged once, retried with backoff
			}
			continue
		}
		s.succeeded(t.IssuanceID)
		if b != nil {
			if _, err := s.settle(ctx, *b); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// send signs a batch of up to batchSize pending wallets, records it, then (if
// broadcast) sends it. Before signing it runs the batch with eth_call: wallets
// the registry contract refuses are failed on their own and left out. Tests
// pass broadcast=false to stop where a crash would.
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
	var entries []bindings.EligibilityRegistryEntry
	var entryWallet []string // wallet of each entry, as the outbox spells it
	for _, r := range records {
		e := bindings.EligibilityRegistryEntry{Wallet: common.HexToAddress(r.Wallet), InvestorId: r.InvestorID, ValidUntil: new(big.Int)}
		if r.InvestorID == 0 && e.Wallet == (common.Address{}) {
			// Removing the zero address is a no-op (the registry never stores
			// it): the wallet rides in the batch's list, not in its entries.
			continue
		}
		if r.InvestorID != 0 {
			copy(e.Country[:], r.Country)
			e.Categories = r.Categories
			e.ValidUntil.SetUint64(r.ValidUntil)
		}
		entries = append(entries, e)
		entryWallet = append(entryWallet, r.Wallet)
	}
	refused, err := s.screen(ctx, regAddr, seq, entries, entryWallet)
	if err != nil {
		return nil, err
	}
	if len(refused) > 0 {
		if err := s.store.FailWallets(ctx, t.IssuanceID, upTo, refused); err != nil {
			return nil, fmt.Errorf("record refused wallets: %w", err)
		}
		s.Stats.BatchesFailed.Add(1)
		s.Stats.EntriesFailed.Add(int64(len(refused)))
		out := map[string]bool{}
		for _, f := range refused {
			out[f.Wallet] = true
			s.log.Error("whitelist entry refused by the chain; marked FAILED, the issuance's other wallets sync without it",
				slog.Int64("issuance", t.IssuanceID), slog.String("wallet", f.Wallet), slog.String("reason", f.Reason))
		}
		var keepE []bindings.EligibilityRegistryEntry
		var keepW []string
		for i, e := range entries {
			if !out[entryWallet[i]] {
				keepE = append(keepE, e)
			}
		}
		for _, w := range wallets {
			if !out[w] {
				keepW = append(keepW, w)
			}
		}
		entries, wallets = keepE, keepW
		if len(wallets) == 0 {
			return nil, nil
		}
	}
	head, err := s.conn.Client.BlockNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("head: %w", err)
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
		b := registry.SyncBatch{IssuanceID: t.IssuanceID, Seq: seq, TxHash: tx.Hash().Hex(), RawTx: raw,
			TxHashes: []string{tx.Hash().Hex()}, SentBlock: head, Wallets: wallets, UpTo: upTo}
		if b.ID, err = s.store.RecordBatch(ctx, b); err != nil {
			return nil, fmt.Errorf("record batch: %w", err)
		}
		batch = &b
		s.Stats.WalletsSent.Add(int64(len(wallets)))
		if broadcast {
			// A refusal here is settled by the next look at the batch
			// (replaced if under-priced, re-sent if lost).
			// Under opts.Context: it carries the nonce lease, trusted for a while only.
			if err := s.conn.Client.SendTransaction(opts.Context, tx); err != nil && !alreadyKnown(err) {
				s.note(batchSubject(b.ID), slog.LevelInfo, "whitelist batch broadcast refused; it will be re-sent or replaced", err,
					slog.Int64("batch", b.ID), slog.Int64("issuance", b.IssuanceID))
			}
		}
		return tx, nil
	})
	return batch, err
}

// screen runs applyBatch(seq, entries) with eth_call from the node's address.
// If it would revert, it tells a batch-level refusal (paused registry, wrong
// sequence, missing role: returned as an error, to back off) from refused
// entries, which it finds by bisection and returns with the decoded reason.
func (s *Syncer) screen(ctx context.Context, regAddr common.Address, seq uint64, entries []bindings.EligibilityRegistryEntry, wallets []string) ([]registry.WalletFailure, error) {
	call := func(idx []int) (string, bool, error) {
		part := make([]bindings.EligibilityRegistryEntry, len(idx))
		for i, k := range idx {
			part[i] = entries[k]
		}
		_, err := s.conn.Client.CallContract(ctx, ethereum.CallMsg{From: s.conn.From, To: &regAddr,
			Data: s.reg.PackApplyBatch(seq, part)}, nil)
		if err == nil {
			return "", false, nil
		}
		if data, ok := revertData(err); ok {
			return decodeRevert(data), true, nil
		}
		return "", false, fmt.Errorf("eth_call applyBatch: %w", err)
	}
	all := make([]int, len(entries))
	for i := range all {
		all[i] = i
	}
	reason, reverted, err := call(all)
	if err != nil || !reverted {
		return nil, err
	}
	if why, rev, err := call(nil); err != nil {
		return nil, err
	} else if rev {
		return nil, fmt.Errorf("the registry refuses any batch: %s", why)
	}
	var refused []registry.WalletFailure
	var walk func(idx []int, reason string) error
	walk = func(idx []int, reason string) error {
		if len(idx) == 1 {
			refused = append(refused, registry.WalletFailure{Wallet: wallets[idx[0]], Reason: reason})
			return nil
		}
		for _, half := range [][]int{idx[:len(idx)/2], idx[len(idx)/2:]} {
			r, rev, err := call(half)
			if err != nil {
				return err
			}
			if rev {
				if err := walk(half, r); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(all, reason); err != nil {
		return nil, err
	}
	if len(refused) == 0 {
		return nil, fmt.Errorf("batch of %d entries reverts (%s) though no part of it does alone", len(entries), reason)
	}
	return refused, nil
}

// settle finds out what became of a recorded batch: mined (confirm it once
// deep enough, and sync freezes), reverted (fail it: its wallets return to the
// outbox), or not mined (re-broadcast, replace or fail it, see unmined). It
// reports whether the batch is done with.
func (s *Syncer) settle(ctx context.Context, b registry.SyncBatch) (bool, error) {
	receipt, hash, err := s.receipt(ctx, b)
	if err != nil {
		return false, err
	}
	if receipt == nil {
		settled, resent, err := s.unmined(ctx, b)
		if settled || err != nil || !resent {
			return settled, err
		}
		// A chain that mines on arrival has it already.
		if receipt, hash, err = s.receipt(ctx, b); receipt == nil || err != nil {
			return false, err
		}
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
		why := s.revertReason(ctx, b, receipt)
		s.Stats.BatchesFailed.Add(1)
		s.forgetBatch(b.ID)
		s.failed(b.IssuanceID, fmt.Errorf("batch %d (seq %d) reverted: %s", b.ID, b.Seq, why))
		return true, s.store.FailBatch(ctx, b.ID, "reverted: "+why)
	}
	if err := s.syncFreezes(ctx, b); err != nil {
		return false, err
	}
	if err := s.store.ConfirmBatch(ctx, b.ID, receipt.BlockNumber.Uint64(), receipt.BlockHash.Hex(), hash); err != nil {
		return false, err
	}
	s.Stats.BatchesConfirmed.Add(1)
	if s.hasNote(batchSubject(b.ID)) {
		s.log.Info("whitelist batch confirmed", slog.Int64("batch", b.ID), slog.Int64("issuance", b.IssuanceID),
			slog.String("tx", hash), slog.Uint64("block", receipt.BlockNumber.Uint64()))
	}
	s.forgetBatch(b.ID)
	return true, nil
}

// receipt looks for a receipt of any version of the batch's transaction,
// newest first, and returns it with that version's hash.
func (s *Syncer) receipt(ctx context.Context, b registry.SyncBatch) (*types.Receipt, string, error) {
	hashes := b.Hashes()
	for i := len(hashes) - 1; i >= 0; i-- {
		r, err := s.conn.Client.TransactionReceipt(ctx, common.HexToHash(hashes[i]))
		if err == nil {
			return r, hashes[i], nil
		}
		if !errors.Is(err, ethereum.NotFound) {
			return nil, "", fmt.Errorf("batch %d: receipt of %s: %w", b.ID, hashes[i], err)
		}
	}
	return nil, "", nil
}

// unmined handles a batch with no receipt. If the chain holds its latest
// version, it waits, and replaces it once StuckBlocks blocks went by. If the
// chain lost it (dropped from the mempool, or its block reorged out), the same
// bytes are broadcast again; refused as under-priced, it is replaced; refused
// because its nonce is used and no version was mined, the batch fails and its
// wallets return to the outbox. resent reports that something was broadcast.
func (s *Syncer) unmined(ctx context.Context, b registry.SyncBatch) (settled, resent bool, err error) {
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(b.RawTx); err != nil {
		return false, false, fmt.Errorf("batch %d: stored transaction: %w", b.ID, err)
	}
	attrs := []any{slog.Int64("batch", b.ID), slog.Int64("issuance", b.IssuanceID), slog.String("tx", tx.Hash().Hex())}
	held, err := s.inPool(ctx, tx.Hash())
	if err != nil {
		return false, false, fmt.Errorf("batch %d: %w", b.ID, err)
	}
	if held {
		head, err := s.conn.Client.BlockNumber(ctx)
		if err != nil {
			return false, false, fmt.Errorf("batch %d: head: %w", b.ID, err)
		}
		if b.SentBlock > 0 && head >= b.SentBlock+s.StuckBlocks {
			err := s.replace(ctx, b, tx, fmt.Sprintf("not mined within %d blocks", s.StuckBlocks))
			return false, err == nil, err
		}
		return false, false, nil // pending: wait
	}
	err = s.conn.Client.SendTransaction(ctx, tx)
	switch {
	case err == nil || alreadyKnown(err):
		s.note(batchSubject(b.ID), slog.LevelInfo, "whitelist batch transaction unknown to the chain node (dropped, or its block reorged out); re-broadcast the same bytes", nil, attrs...)
		return false, true, nil
	case nonceUsed(err):
		// Mined meanwhile, or its nonce went to another transaction.
		if r, _, rerr := s.receipt(ctx, b); rerr != nil || r != nil {
			return false, false, rerr
		}
		s.Stats.BatchesFailed.Add(1)
		s.forgetBatch(b.ID)
		s.log.Warn("whitelist batch can no longer be mined (its nonce was used by another transaction); its wallets are queued again", attrs...)
		return true, false, s.store.FailBatch(ctx, b.ID, "not mined and its nonce was used by another transaction")
	case feeTooLow(err):
		err := s.replace(ctx, b, tx, "refused as under-priced: "+err.Error())
		return false, err == nil, err
	default:
		return false, false, fmt.Errorf("batch %d: broadcast: %w", b.ID, err)
	}
}

// replace signs a version of old with the same nonce and higher fees,
// records it, then broadcasts it. At most one replacement a second per batch,
// so a chain that keeps refusing cannot make it sign in a loop.
func (s *Syncer) replace(ctx context.Context, b registry.SyncBatch, old *types.Transaction, why string) error {
	s.mu.Lock()
	last, ok := s.lastReplace[b.ID]
	s.mu.Unlock()
	if ok && s.clock().Sub(last) < time.Second {
		return nil
	}
	head, err := s.conn.Client.BlockNumber(ctx)
	if err != nil {
		return fmt.Errorf("batch %d: head: %w", b.ID, err)
	}
	tx, err := s.conn.Replacement(ctx, old)
	if err != nil {
		return fmt.Errorf("batch %d: %w", b.ID, err)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return fmt.Errorf("batch %d: encode replacement: %w", b.ID, err)
	}
	if err := s.store.ReplaceBatchTx(ctx, b.ID, tx.Hash().Hex(), raw, head); err != nil {
		return fmt.Errorf("batch %d: record replacement: %w", b.ID, err)
	}
	s.mu.Lock()
	s.lastReplace[b.ID] = s.clock()
	s.mu.Unlock()
	s.Stats.BatchesReplaced.Add(1)
	s.log.Info("whitelist batch transaction replaced with higher fees", slog.Int64("batch", b.ID), slog.Int64("issuance", b.IssuanceID),
		slog.String("why", why), slog.String("old", old.Hash().Hex()), slog.String("new", tx.Hash().Hex()), slog.Uint64("nonce", tx.Nonce()),
		slog.String("feeCap", tx.GasFeeCap().String()), slog.String("tip", tx.GasTipCap().String()))
	if err := s.conn.Client.SendTransaction(ctx, tx); err != nil && !alreadyKnown(err) && !nonceUsed(err) {
		s.note(batchSubject(b.ID), slog.LevelWarn, "whitelist batch replacement refused; it will be tried again", err, slog.Int64("batch", b.ID))
	}
	return nil
}

// txByHash is the part of ethereum.TransactionReader inPool needs.
type txByHash interface {
	TransactionByHash(ctx context.Context, hash common.Hash) (tx *types.Transaction, isPending bool, err error)
}

// inPool reports whether the chain node holds tx (pending, or mined since the
// receipt was asked for). A client that cannot say is told the transaction
// again instead, which it answers with "already known".
func (s *Syncer) inPool(ctx context.Context, hash common.Hash) (bool, error) {
	tr, ok := s.conn.Client.(txByHash)
	if !ok {
		return false, nil
	}
	if _, _, err := tr.TransactionByHash(ctx, hash); err != nil {
		if errors.Is(err, ethereum.NotFound) {
			return false, nil
		}
		return false, fmt.Errorf("transaction %s: %w", hash.Hex(), err)
	}
	return true, nil
}

// revertReason replays a reverted batch on its parent block's state to decode
// why it reverted.
func (s *Syncer) revertReason(ctx context.Context, b registry.SyncBatch, r *types.Receipt) string {
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(b.RawTx); err != nil || r.BlockNumber.Sign() == 0 {
		return "reverted"
	}
	parent := new(big.Int).Sub(r.BlockNumber, big.NewInt(1))
	_, err := s.conn.Client.CallContract(ctx, ethereum.CallMsg{From: s.conn.From, To: tx.To(), Gas: tx.Gas(), Value: tx.Value(), Data: tx.Data()}, parent)
	if err == nil {
		return "reverted (not reproducible on the parent block: the sequence moved or the registry paused in the same block)"
	}
	if data, ok := revertData(err); ok {
		return decodeRevert(data)
	}
	return "reverted"
}

// checkReorgs rechecks the CONFIRMED batches within ReorgWindow blocks of the
// head whenever the head changed: a batch whose block hash is no longer the
// canonical one at its height is reopened, and the settle that follows
// re-broadcasts it (or fails it and re-queues its wallets). Batches of
// halted issuances, or of a chain with another genesis, are left alone: a
// chain that changed identity is halted by the node, never followed.
func (s *Syncer) checkReorgs(ctx context.Context) error {
	if s.ReorgWindow == 0 || s.clock().Sub(s.lastCheck) < s.ReorgCheckEvery {
		return nil
	}
	s.lastCheck = s.clock()
	head, err := s.conn.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		return fmt.Errorf("reorg check: head: %w", err)
	}
	if head.Hash() == s.lastHead {
		return nil // a reorg changes the head's hash, even at the same height
	}
	genesis, err := s.conn.Client.HeaderByNumber(ctx, big.NewInt(0))
	if err != nil {
		return fmt.Errorf("reorg check: genesis: %w", err)
	}
	n := head.Number.Uint64()
	batches, err := s.store.ConfirmedBatchesSince(ctx, n-min(n, s.ReorgWindow), genesis.Hash().Hex())
	if err != nil {
		return fmt.Errorf("reorg check: %w", err)
	}
	canonical := map[uint64]string{}
	for _, b := range batches {
		if b.BlockHash == "" || b.Block > n {
			// Confirmed before block hashes were kept; or above a head that
			// went back (a rollback): judged once the chain grows past it.
			continue
		}
		h, ok := canonical[b.Block]
		if !ok {
			hdr, err := s.conn.Client.HeaderByNumber(ctx, new(big.Int).SetUint64(b.Block))
			if err != nil {
				return fmt.Errorf("reorg check: header %d: %w", b.Block, err)
			}
			h = hdr.Hash().Hex()
			canonical[b.Block] = h
		}
		if strings.EqualFold(h, b.BlockHash) {
			continue
		}
		bctx, held := s.scope(ctx, b.IssuanceID)
		if !held {
			continue // its lease holder reopens it
		}
		why := fmt.Sprintf("block %d (%s) left the canonical chain", b.Block, b.BlockHash)
		if err := s.store.ReopenBatch(bctx, b.ID, why); err != nil {
			return fmt.Errorf("reorg check: reopen batch %d: %w", b.ID, err)
		}
		s.Stats.BatchesReopened.Add(1)
		s.note(batchSubject(b.ID), slog.LevelWarn, "reorg removed the block of a confirmed whitelist batch; reopened to send it again", nil,
			slog.Int64("batch", b.ID), slog.Int64("issuance", b.IssuanceID), slog.Uint64("block", b.Block), slog.String("blockHash", b.BlockHash))
	}
	s.lastHead = head.Hash()
	return nil
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
		// Bounded: a freeze stuck unmined must not hold up every issuance's
		// sync; the next step reads isFrozen again before sending another.
		wctx, cancel := context.WithTimeout(ctx, freezeWait)
		_, err = s.conn.As(KeyAgent).transactAndWait(wctx, tok, s.tok.PackSetAddressFrozen(w, r.Frozen))
		cancel()
		if err != nil {
			return fmt.Errorf("setAddressFrozen %s: %w", r.Wallet, err)
		}
	}
	return nil
}

// due reports whether an issuance's backoff has run out.
func (s *Syncer) due(issuanceID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.retry[issuanceID]
	return st == nil || !s.clock().Before(st.next)
}

// failed counts a failure of an issuance's sync and sets its backoff: the
// first failure is retried at the next step (a lost race is common and
// harmless), then 1 s, 2 s, 4 s … up to maxBackoff.
func (s *Syncer) failed(issuanceID int64, err error) {
	s.Stats.Errors.Add(1)
	s.mu.Lock()
	st := s.retry[issuanceID]
	if st == nil {
		st = &retryState{}
		s.retry[issuanceID] = st
	}
	st.failures++
	delay := backoff(st.failures)
	st.next = s.clock().Add(delay)
	failures := st.failures
	s.mu.Unlock()
	s.note(issuanceSubject(issuanceID), slog.LevelWarn, "whitelist sync of an issuance failed; retrying with backoff", err,
		slog.Int64("issuance", issuanceID), slog.Int("failures", failures), slog.Duration("retryIn", delay))
}

// succeeded ends an issuance's backoff.
func (s *Syncer) succeeded(issuanceID int64) {
	s.mu.Lock()
	delete(s.retry, issuanceID)
	s.mu.Unlock()
	s.cleared(issuanceSubject(issuanceID), "whitelist sync of the issuance recovered", slog.Int64("issuance", issuanceID))
}

func backoff(failures int) time.Duration {
	if failures <= 1 {
		return 0
	}
	if failures > 7 {
		return maxBackoff
	}
	return min(time.Second<<(failures-2), maxBackoff)
}

func batchSubject(id int64) string    { return fmt.Sprintf("batch %d", id) }
func issuanceSubject(id int64) string { return fmt.Sprintf("issuance %d", id) }

// note logs msg (with err) about subject only if it differs from what was
// last logged about it: a state is logged when it is entered, not per try.
func (s *Syncer) note(subject string, level slog.Level, msg string, err error, attrs ...any) {
	key := msg
	if err != nil {
		key += ": " + err.Error()
		attrs = append(attrs, slog.Any("err", err))
	}
	s.mu.Lock()
	same := s.logged[subject] == key
	s.logged[subject] = key
	s.mu.Unlock()
	if !same {
		s.log.Log(context.Background(), level, msg, attrs...)
	}
}

// cleared logs msg once if something was noted about subject, and forgets it.
func (s *Syncer) cleared(subject, msg string, attrs ...any) {
	s.mu.Lock()
	_, had := s.logged[subject]
	delete(s.logged, subject)
	s.mu.Unlock()
	if had {
		s.log.Info(msg, attrs...)
	}
}

func (s *Syncer) hasNote(subject string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.logged[subject]
	return ok
}

func (s *Syncer) forgetBatch(id int64) {
	s.mu.Lock()
	delete(s.logged, batchSubject(id))
	delete(s.lastReplace, id)
	s.mu.Unlock()
}

// alreadyKnown: the node holds the transaction already (geth: "already
// known", anvil: "transaction already imported").
func alreadyKnown(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "already known") || strings.Contains(msg, "known transaction") ||
		strings.Contains(msg, "already imported")
}

func nonceUsed(err error) bool {
	return strings.Contains(strings.ToLower(err.Error()), "nonce too low")
}

// feeTooLow: a broadcast refused for its fees; the cure is a replacement
// with higher ones, not another try of the same bytes.
func feeTooLow(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "underpriced") || strings.Contains(msg, "less than block base fee") ||
		strings.Contains(msg, "fee cap less than") || strings.Contains(msg, "max fee per gas less than")
}

// revertData extracts the revert data of a failed eth_call; ok is false for
// an error that is not a revert (transport, timeout).
func revertData(err error) ([]byte, bool) {
	var de rpc.DataError
	if errors.As(err, &de) {
		if str, isStr := de.ErrorData().(string); isStr {
			if data, derr := hexutil.Decode(str); derr == nil {
				return data, true
			}
		}
	}
	if strings.Contains(strings.ToLower(err.Error()), "execution reverted") {
		return nil, true
	}
	return nil, false
}

// revertABIs decode custom errors by name: the registry's, then the token's.
var revertABIs = func() []*abi.ABI {
	var out []*abi.ABI
	for _, md := range []*bind.MetaData{&bindings.EligibilityRegistryMetaData, &bindings.SecurityTokenMetaData} {
		if a, err := md.ParseABI(); err == nil {
			out = append(out, a)
		}
	}
	return out
}()

// decodeRevert names a revert: "ZeroWallet()", "SequenceMismatch(3, 2)",
// a require message, or the raw selector when nothing matches.
func decodeRevert(data []byte) string {
	if len(data) < 4 {
		return "reverted without a reason"
	}
	if msg, err := abi.UnpackRevert(data); err == nil {
		return msg
	}
	var id [4]byte
	copy(id[:], data[:4])
	for _, a := range revertABIs {
		e, err := a.ErrorByID(id)
		if err != nil {
			continue
		}
		args, err := e.Inputs.Unpack(data[4:])
		if err != nil {
			return e.Name + "(?)"
		}
		parts := make([]string, len(args))
		for i, v := range args {
			parts[i] = fmt.Sprint(v)
		}
		return e.Name + "(" + strings.Join(parts, ", ") + ")"
	}
	return "custom error " + hexutil.Encode(data[:4])
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
