package store

import (
	"context"
	"encoding/hex"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// enqueueSync queues, in the caller's transaction, every (deployed issuance,
// wallet) pair whose whitelist entry matches cond, and marks those entries
// PENDING. cond may use the aliases e (whitelist_entries), w (wallets),
// i (issuances) and v (investors). A wallet the chain refused before is tried
// again with the rest; a refusal recorded for a wallet the investor no longer
// has is dropped, since nothing will ever retry it.
func (s *DB) enqueueSync(tx *gorm.DB, cond string, args ...any) error {
	now := s.now()
	insert := `INSERT INTO whitelist_outbox (issuance_id, wallet, enqueued_at, investor_id)
SELECT e.issuance_id, w.address, ?, e.investor_id FROM whitelist_entries e
JOIN wallets w ON w.investor_id = e.investor_id
JOIN issuances i ON i.id = e.issuance_id
JOIN investors v ON v.id = e.investor_id
WHERE i.token_address <> '' AND (` + cond + `)`
	if err := tx.Exec(insert, append([]any{now}, args...)...).Error; err != nil {
		return err
	}
	stale := `DELETE FROM whitelist_sync_failures WHERE investor_id IS NOT NULL
AND NOT EXISTS (SELECT 1 FROM wallets w0 WHERE w0.address = whitelist_sync_failures.wallet AND w0.investor_id = whitelist_sync_failures.investor_id)
AND EXISTS (SELECT 1 FROM whitelist_entries e
JOIN wallets w ON w.investor_id = e.investor_id
JOIN issuances i ON i.id = e.issuance_id
JOIN investors v ON v.id = e.investor_id
WHERE e.issuance_id = whitelist_sync_failures.issuance_id AND e.investor_id = whitelist_sync_failures.investor_id
AND i.token_address <> '' AND (` + cond + `))`
	if err := tx.Exec(stale, args...).Error; err != nil {
		return err
	}
	mark := `UPDATE whitelist_entries AS e SET sync_state = ?, sync_tx_hash = '', sync_block = NULL
WHERE EXISTS (SELECT 1 FROM wallets w
JOIN issuances i ON i.id = e.issuance_id
JOIN investors v ON v.id = e.investor_id
WHERE w.investor_id = e.investor_id AND i.token_address <> '' AND (` + cond + `))`
	return tx.Exec(mark, append([]any{string(registry.SyncPending)}, args...)...).Error
}

type outboxRow struct {
	ID         int64 `gorm:"primaryKey"`
	IssuanceID int64
	Wallet     string
	EnqueuedAt time.Time
	BatchID    *int64
	// InvestorID is whose entry the change belongs to (nil for a reconcile
	// repair, which names only wallets): the entry follows a removed wallet.
	InvestorID *int64
}

func (outboxRow) TableName() string { return "whitelist_outbox" }

type batchRow struct {
	ID         int64 `gorm:"primaryKey"`
	IssuanceID int64
	Seq        uint64
	TxHash     string
	RawTx      string
	TxHashes   string
	SentBlock  uint64
	Status     string
	Block      *uint64
	BlockHash  string
	Reason     string
	Wallets    string
	SentAt     time.Time
	UpdatedAt  time.Time
}

func (batchRow) TableName() string { return "whitelist_batches" }

func (r *batchRow) domain() registry.SyncBatch {
	raw, _ := hex.DecodeString(r.RawTx)
	b := registry.SyncBatch{ID: r.ID, IssuanceID: r.IssuanceID, Seq: r.Seq, TxHash: r.TxHash, RawTx: raw,
		TxHashes: splitList(r.TxHashes), SentBlock: r.SentBlock, Status: registry.BatchStatus(r.Status),
		Wallets: splitList(r.Wallets), SentAt: r.SentAt.UTC(), BlockHash: r.BlockHash}
	if len(b.TxHashes) == 0 {
		b.TxHashes = []string{r.TxHash} // recorded before migration 10
	}
	if r.Block != nil {
		b.Block = *r.Block
	}
	return b
}

// SyncTargets lists deployed issuances with wallets waiting in the outbox.
func (s *Outbox) SyncTargets(ctx context.Context) ([]registry.SyncTarget, error) {
	var rows []issuanceRow
	err := s.read(ctx).Where("token_address <> '' AND chain_halt = '' AND id IN (SELECT issuance_id FROM whitelist_outbox WHERE batch_id IS NULL)").
		Order("id").Find(&rows).Error
	if err != nil {
		return nil, s.translate(err)
	}
	out := make([]registry.SyncTarget, len(rows))
	for i := range rows {
		out[i] = target(&rows[i])
	}
	return out, nil
}

// SyncTargetFor returns a deployed issuance's contracts.
func (s *Outbox) SyncTargetFor(ctx context.Context, issuanceID int64) (registry.SyncTarget, error) {
	var r issuanceRow
	if err := s.read(ctx).Where("id = ? AND token_address <> ''", issuanceID).Take(&r).Error; err != nil {
		return registry.SyncTarget{}, s.translate(err)
	}
	return target(&r), nil
}

func target(r *issuanceRow) registry.SyncTarget {
	return registry.SyncTarget{IssuanceID: r.ID, ChainID: r.ChainID, GenesisHash: r.GenesisHash, RegistryAddress: r.RegistryAddress,
		TokenAddress: r.TokenAddress, DeploymentBlock: r.DeploymentBlock}
}

// Deployed lists the issuances with contracts on chainID.
func (s *Outbox) Deployed(ctx context.Context, chainID int64) ([]registry.SyncTarget, error) {
	var rows []issuanceRow
	if err := s.read(ctx).Where("chain_id = ? AND token_address <> ''", chainID).Order("id").Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]registry.SyncTarget, len(rows))
	for i := range rows {
		out[i] = target(&rows[i])
	}
	return out, nil
}

// PendingWallets returns up to limit distinct wallets of an issuance waiting
// for a batch, oldest first.
func (s *Outbox) PendingWallets(ctx context.Context, issuanceID int64, limit int) ([]string, int64, error) {
	var rows []outboxRow
	if err := s.read(ctx).Where("issuance_id = ? AND batch_id IS NULL", issuanceID).Order("id").
		Limit(limit * 4).Find(&rows).Error; err != nil {
		return nil, 0, s.translate(err)
	}
	seen := map[string]bool{}
	var out []string
	var upTo int64
	for _, r := range rows {
		if !seen[r.Wallet] && len(out) < limit {
			seen[r.Wallet] = true
			out = append(out, r.Wallet)
		}
		upTo = max(upTo, r.ID)
	}
	return out, upTo, nil
}

// entryQueued is true for an entry with a change still waiting in the outbox
// (a row of its investor, or of one of its wallets for a row that names only
// the wallet): a newer change is waiting, so the entry stays PENDING.
const entryQueued = `EXISTS (SELECT 1 FROM whitelist_outbox o
WHERE o.issuance_id = whitelist_entries.issuance_id AND o.batch_id IS NULL
AND (o.investor_id = whitelist_entries.investor_id OR (o.investor_id IS NULL
AND o.wallet IN (SELECT w.address FROM wallets w WHERE w.investor_id = whitelist_entries.investor_id))))`

// entryLinked selects the entries a set of outbox rows (o, restricted by the
// caller) belongs to.
const entryLinked = `EXISTS (SELECT 1 FROM whitelist_outbox o
WHERE o.issuance_id = whitelist_entries.issuance_id AND (o.investor_id = whitelist_entries.investor_id OR (o.investor_id IS NULL
AND o.wallet IN (SELECT w.address FROM wallets w WHERE w.investor_id = whitelist_entries.investor_id))) AND `

// entryRefusedElsewhere is true for an entry with a wallet the chain refused
// that is not among the wallets bound to the ? list.
const entryRefusedElsewhere = `EXISTS (SELECT 1 FROM whitelist_sync_failures f
WHERE f.issuance_id = whitelist_entries.issuance_id AND f.investor_id = whitelist_entries.investor_id AND f.wallet NOT IN ?)`

// DesiredRecords derives each wallet's on-chain record from the registry's
// facts as of one snapshot; the rules (registry.Compliance.WalletRecord) decide.
func (s *Outbox) DesiredRecords(ctx context.Context, issuanceID int64, wallets []string, at time.Time) ([]registry.WalletRecord, error) {
	var f *registry.Facts
	err := s.snapshot(ctx, func(db *gorm.DB, _ int64) error {
		var err error
		f, err = s.loadFacts(db, issuanceID, wallets)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]registry.WalletRecord, len(wallets))
	for i, w := range wallets {
		out[i] = s.rules.WalletRecord(f, w, at)
	}
	return out, nil
}

// RecordBatch stores a signed batch before broadcast and claims its wallets'
// pending outbox rows, in one transaction. The entries the rows belong to
// become SENT, unless a newer change waits (PENDING) or another of their
// wallets was refused (FAILED).
func (s *Outbox) RecordBatch(ctx context.Context, b registry.SyncBatch) (int64, error) {
	now := s.now()
	row := &batchRow{IssuanceID: b.IssuanceID, Seq: b.Seq, TxHash: b.TxHash, RawTx: hex.EncodeToString(b.RawTx),
		TxHashes: b.TxHash, SentBlock: b.SentBlock, Status: string(registry.BatchSending),
		Wallets: strings.Join(b.Wallets, ","), SentAt: now, UpdatedAt: now}
	err := s.writeState(ctx, func(tx *gorm.DB) error {
		if err := s.fencedIssuance(ctx, tx, b.IssuanceID, true); err != nil {
			return err
		}
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		// Claim only the rows the records were derived from; a change queued
		// since then waits for the next batch.
		if err := tx.Model(&outboxRow{}).Where("issuance_id = ? AND batch_id IS NULL AND wallet IN ? AND id <= ?", b.IssuanceID, b.Wallets, b.UpTo).
			Update("batch_id", row.ID).Error; err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE whitelist_entries SET sync_state = ?, sync_tx_hash = ?, sync_block = NULL
WHERE issuance_id = ? AND `+entryLinked+`o.batch_id = ?) AND NOT `+entryQueued,
			string(registry.SyncSent), b.TxHash, b.IssuanceID, row.ID).Error; err != nil {
			return err
		}
		return tx.Exec(`UPDATE whitelist_entries SET sync_state = ?, sync_tx_hash = ''
WHERE issuance_id = ? AND sync_state = ? AND sync_tx_hash = ? AND `+entryRefusedElsewhere,
			string(registry.SyncFailed), b.IssuanceID, string(registry.SyncSent), b.TxHash, b.Wallets).Error
	})
	return row.ID, err
}

// ReplaceBatchTx records a new version of a batch's transaction before it is
// broadcast; its SENT entries now name the new hash.
func (s *Outbox) ReplaceBatchTx(ctx context.Context, batchID int64, txHash string, raw []byte, sentBlock uint64) error {
	return s.writeState(ctx, func(tx *gorm.DB) error {
		var b batchRow
		if err := tx.Where("id = ?", batchID).Take(&b).Error; err != nil {
			return err
		}
		// Same nonce, higher fees: the issuance's lease suffices.
		if err := s.fencedIssuance(ctx, tx, b.IssuanceID, false); err != nil {
			return err
		}
		if b.Status != string(registry.BatchSending) {
			return registry.Errorf(registry.ECONFLICT, "batch %d is %s", batchID, b.Status)
		}
		old := b.domain().Hashes()
		if err := tx.Model(&batchRow{}).Where("id = ?", batchID).Updates(map[string]any{
			"tx_hash": txHash, "raw_tx": hex.EncodeToString(raw), "tx_hashes": strings.Join(append(old, txHash), ","),
			"sent_block": sentBlock, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		return tx.Exec(`UPDATE whitelist_entries SET sync_tx_hash = ? WHERE issuance_id = ? AND sync_state = ? AND sync_tx_hash IN ?`,
			txHash, b.IssuanceID, string(registry.SyncSent), old).Error
	})
}

// OpenBatches lists batches awaiting an outcome.
func (s *Outbox) OpenBatches(ctx context.Context) ([]registry.SyncBatch, error) {
	var rows []batchRow
	if err := s.read(ctx).Where("status = ? AND "+notHalted, string(registry.BatchSending)).Order("id").Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]registry.SyncBatch, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// ConfirmBatch records a batch mined as txHash in block: its outbox rows are
// done, refusals of its wallets are cleared (they reached the chain), and
// entries with no newer change pending become CONFIRMED at block.
func (s *Outbox) ConfirmBatch(ctx context.Context, batchID int64, block uint64, blockHash, txHash string) error {
	return s.writeState(ctx, func(tx *gorm.DB) error {
		var b batchRow
		if err := tx.Where("id = ?", batchID).Take(&b).Error; err != nil {
			return err
		}
		if err := s.fencedIssuance(ctx, tx, b.IssuanceID, false); err != nil {
			return err
		}
		if err := tx.Model(&batchRow{}).Where("id = ?", batchID).Updates(map[string]any{
			"status": string(registry.BatchConfirmed), "block": block, "block_hash": blockHash, "reason": "",
			"updated_at": s.now()}).Error; err != nil {
			return err
		}
		if err := tx.Where("batch_id = ?", batchID).Delete(&outboxRow{}).Error; err != nil {
			return err
		}
		if wallets := splitList(b.Wallets); len(wallets) > 0 {
			if err := tx.Exec(`DELETE FROM whitelist_sync_failures WHERE issuance_id = ? AND wallet IN ?`, b.IssuanceID, wallets).Error; err != nil {
				return err
			}
		}
		if err := tx.Exec(`UPDATE whitelist_entries SET sync_state = ?, sync_block = ?, sync_tx_hash = ?
WHERE issuance_id = ? AND sync_state = ? AND sync_tx_hash IN ? AND NOT `+entryQueued,
			string(registry.SyncConfirmed), block, txHash, b.IssuanceID, string(registry.SyncSent), b.domain().Hashes()).Error; err != nil {
			return err
		}
		return s.emitWhitelistConfirmed(tx, b.IssuanceID, txHash, block) // events.go
	})
}

// FailBatch records a reverted or dropped batch and returns its wallets to
// the outbox, so the next batch carries them with a fresh sequence number.
func (s *Outbox) FailBatch(ctx context.Context, batchID int64, reason string) error {
	return s.writeState(ctx, func(tx *gorm.DB) error {
		var b batchRow
		if err := tx.Where("id = ?", batchID).Take(&b).Error; err != nil {
			return err
		}
		if err := s.fencedIssuance(ctx, tx, b.IssuanceID, false); err != nil {
			return err
		}
		if err := tx.Model(&batchRow{}).Where("id = ?", batchID).Updates(map[string]any{
			"status": string(registry.BatchFailed), "reason": reason, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE whitelist_entries SET sync_state = ?, sync_tx_hash = '', sync_block = NULL
WHERE issuance_id = ? AND sync_state IN ? AND sync_tx_hash IN ?`,
			string(registry.SyncPending), b.IssuanceID, []string{string(registry.SyncSent), string(registry.SyncConfirmed)}, b.domain().Hashes()).Error; err != nil {
			return err
		}
		return tx.Model(&outboxRow{}).Where("batch_id = ?", batchID).Update("batch_id", nil).Error
	})
}

// FailWallets records wallets the chain refuses: each gets a refusal row
// (reason, attempts), its waiting outbox rows up to upTo are dropped so the
// issuance's other wallets go on without it, and the entries it belongs to
// become FAILED unless a newer change waits.
func (s *Outbox) FailWallets(ctx context.Context, issuanceID int64, upTo int64, failures []registry.WalletFailure) error {
	if len(failures) == 0 {
		return nil
	}
	now := s.now()
	return s.writeState(ctx, func(tx *gorm.DB) error {
		if err := s.fencedIssuance(ctx, tx, issuanceID, false); err != nil {
			return err
		}
		wallets := make([]string, len(failures))
		for i, f := range failures {
			wallets[i] = f.Wallet
			// The investor the queued change was for, else the wallet's owner.
			var owner struct{ ID *int64 }
			if err := tx.Raw(`SELECT COALESCE(
(SELECT MAX(investor_id) FROM whitelist_outbox WHERE issuance_id = ? AND wallet = ? AND batch_id IS NULL AND id <= ?),
(SELECT investor_id FROM wallets WHERE address = ?)) AS id`, issuanceID, f.Wallet, upTo, f.Wallet).Scan(&owner).Error; err != nil {
				return err
			}
			if err := tx.Exec(`INSERT INTO whitelist_sync_failures (issuance_id, wallet, investor_id, reason, attempts, failed_at)
VALUES (?, ?, ?, ?, 1, ?)
ON CONFLICT (issuance_id, wallet) DO UPDATE SET investor_id = excluded.investor_id, reason = excluded.reason,
attempts = whitelist_sync_failures.attempts + 1, failed_at = excluded.failed_at`,
				issuanceID, f.Wallet, owner.ID, f.Reason, now).Error; err != nil {
				return err
			}
		}
		if err := tx.Where("issuance_id = ? AND batch_id IS NULL AND wallet IN ? AND id <= ?", issuanceID, wallets, upTo).
			Delete(&outboxRow{}).Error; err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE whitelist_entries SET sync_state = ?, sync_tx_hash = '', sync_block = NULL
WHERE issuance_id = ? AND investor_id IN (SELECT investor_id FROM whitelist_sync_failures WHERE issuance_id = ? AND wallet IN ?)
AND NOT `+entryQueued, string(registry.SyncFailed), issuanceID, issuanceID, wallets).Error; err != nil {
			return err
		}
		return s.emitWhitelistFailed(tx, issuanceID, failures) // events.go
	})
}

// ConfirmedBatchesSince lists CONFIRMED batches mined at or above block, of
// running issuances deployed on the chain with the given genesis (or recorded
// before genesis hashes were kept).
func (s *Outbox) ConfirmedBatchesSince(ctx context.Context, block uint64, genesis string) ([]registry.SyncBatch, error) {
	var rows []batchRow
	if err := s.read(ctx).Where("status = ? AND block >= ? AND "+notHalted+" AND "+ofCurrentDeployment("whitelist_batches", "sent_at"),
		string(registry.BatchConfirmed), block).
		Where("issuance_id IN (SELECT id FROM issuances WHERE genesis_hash = '' OR genesis_hash = ?)", strings.ToLower(genesis)).
		Order("id").Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]registry.SyncBatch, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// ReopenBatch makes a CONFIRMED batch open again after a reorg removed its
// block: it claims its wallets again (so failing it later returns them to the
// outbox) and its CONFIRMED entries go back to SENT.
func (s *Outbox) ReopenBatch(ctx context.Context, batchID int64, reason string) error {
	now := s.now()
	return s.writeState(ctx, func(tx *gorm.DB) error {
		var b batchRow
		if err := tx.Where("id = ?", batchID).Take(&b).Error; err != nil {
			return err
		}
		if err := s.fencedIssuance(ctx, tx, b.IssuanceID, false); err != nil {
			return err
		}
		if b.Status != string(registry.BatchConfirmed) {
			return nil // settled otherwise meanwhile
		}
		if err := tx.Model(&batchRow{}).Where("id = ?", batchID).Updates(map[string]any{
			"status": string(registry.BatchSending), "block": nil, "block_hash": "", "reason": reason,
			"updated_at": now}).Error; err != nil {
			return err
		}
		for _, w := range splitList(b.Wallets) {
			if err := tx.Exec(`INSERT INTO whitelist_outbox (issuance_id, wallet, enqueued_at, batch_id, investor_id)
VALUES (?, ?, ?, ?, (SELECT investor_id FROM wallets WHERE address = ?))`, b.IssuanceID, w, now, batchID, w).Error; err != nil {
				return err
			}
		}
		return tx.Exec(`UPDATE whitelist_entries SET sync_state = ?, sync_block = NULL
WHERE issuance_id = ? AND sync_state = ? AND sync_tx_hash IN ?`,
			string(registry.SyncSent), b.IssuanceID, string(registry.SyncConfirmed), b.domain().Hashes()).Error
	})
}

// OutboxStats reports pending rows and the age of the oldest.
func (s *Outbox) OutboxStats(ctx context.Context) (int, time.Duration, error) {
	var depth int64
	db := s.read(ctx)
	if err := db.Model(&outboxRow{}).Count(&depth).Error; err != nil {
		return 0, 0, s.translate(err)
	}
	if depth == 0 {
		return 0, 0, nil
	}
	var oldest outboxRow
	if err := db.Order("id").Take(&oldest).Error; err != nil {
		return 0, 0, s.translate(err)
	}
	return int(depth), s.now().Sub(oldest.EnqueuedAt), nil
}

// IssuanceWallets lists the wallets of investors with an entry on the issuance.
func (s *Outbox) IssuanceWallets(ctx context.Context, issuanceID int64) ([]string, error) {
	var out []string
	err := s.read(ctx).Raw(`SELECT w.address FROM wallets w JOIN whitelist_entries e ON e.investor_id = w.investor_id
WHERE e.issuance_id = ? ORDER BY w.address`, issuanceID).Scan(&out).Error
	return out, s.translate(err)
}

// EnqueueWallets queues wallets of a visible, deployed issuance for the
// whitelist sync and records who asked.
func (s *Outbox) EnqueueWallets(ctx context.Context, issuanceID int64, wallets []string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return err
	}
	return s.writeState(ctx, func(tx *gorm.DB) error {
		iss, err := s.visibleIssuance(tx, p, issuanceID)
		if err != nil {
			return err
		}
		if iss.TokenAddress == "" {
			return registry.Errorf(registry.ECONFLICT, "issuance %d has no contracts", issuanceID)
		}
		now := s.now()
		for _, w := range wallets {
			if err := tx.Create(&outboxRow{IssuanceID: issuanceID, Wallet: w, EnqueuedAt: now}).Error; err != nil {
				return err
			}
		}
		return s.appendAudit(tx, p, &iss.LeadSellerID, "whitelist.reconcile", "issuance", issuanceID, map[string]any{"wallets": wallets})
	})
}

// EnqueueStartingGrants queues every deployed issuance's wallets of investors
// whose category grant starts in (from, to].
func (s *Outbox) EnqueueStartingGrants(ctx context.Context, from, to time.Time) (int64, error) {
	var queued int64
	err := s.writeState(ctx, func(tx *gorm.DB) error {
		var before int64
		if err := tx.Model(&outboxRow{}).Count(&before).Error; err != nil {
			return err
		}
		if err := s.enqueueSync(tx, "e.investor_id IN (SELECT investor_id FROM investor_categories WHERE valid_from > ? AND valid_from <= ?)",
			from.UTC(), to.UTC()); err != nil {
			return err
		}
		var after int64
		if err := tx.Model(&outboxRow{}).Count(&after).Error; err != nil {
			return err
		}
		queued = after - before
		return nil
	})
	return queued, err
}
