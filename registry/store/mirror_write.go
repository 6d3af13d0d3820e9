package store

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/stonode/stonode/registry"
)

// The mirror's write path: batches applied exactly once above the checkpoint,
// rewinds, and the derived balances they keep.

// Apply stores one batch: blocks, transfers, recomputed balances and the new
// checkpoint, in one transaction. Only the token's mirror generation is bumped,
// and only when the batch carries transfers: holdings feed eligibility
// decisions, so its issuance reads them again, but no registry fact changed, so
// every cached fact stays (see migrate_scopes.go).
func (s *Mirror) Apply(ctx context.Context, b registry.MirrorBatch) error {
	b.Token = strings.ToLower(b.Token)
	if b.Parent != nil {
		parent := *b.Parent
		parent.Hash = strings.ToLower(parent.Hash)
		b.Parent = &parent
	}
	if err := validateBatch(&b); err != nil {
		return err
	}
	b.Transfers = uniqueTransfers(b.ChainID, b.Token, b.Transfers)
	if len(b.Transfers) >= insertChunk {
		for _, bi := range []*bulkInsert{transferInsert, eventInsert, alertInsert} {
			if err := s.prepareBulk(ctx, bi); err != nil {
				return err
			}
		}
	}
	var judged *txFacts
	fn := func(tx *gorm.DB) error {
		if err := s.fenced(ctx, tx, false); err != nil {
			return err
		}
		cur, ok, err := loadCheckpoint(tx, b.ChainID, b.Token)
		if err != nil {
			return err
		}
		if ok && cur.Number == b.Head.Number && cur.Hash == b.Head.Hash {
			return errAlreadyApplied
		}
		if len(b.Transfers) > 0 {
			if err := s.shareIssuanceOfToken(tx, b.ChainID, b.Token); err != nil {
				return err
			}
		}
		switch {
		case b.Parent == nil && ok:
			return registry.Errorf(registry.ECONFLICT, "mirror of %s already at block %d; batch has no parent", b.Token, cur.Number)
		case b.Parent != nil && (!ok || cur.Number != b.Parent.Number || cur.Hash != b.Parent.Hash):
			return registry.Errorf(registry.ECONFLICT, "mirror of %s moved: checkpoint is %d %s, batch continues %d %s",
				b.Token, cur.Number, cur.Hash, b.Parent.Number, b.Parent.Hash)
		}
		blocks := make([]mirrorBlockRow, 0, len(b.Blocks))
		for _, blk := range b.Blocks {
			row := mirrorBlockRow{ChainID: b.ChainID, Token: b.Token, Number: int64(blk.Number),
				Hash: strings.ToLower(blk.Hash), ParentHash: strings.ToLower(blk.ParentHash)}
			if blk.Time != 0 {
				t := int64(blk.Time)
				row.BlockTime = &t
			}
			blocks = append(blocks, row)
		}
		if len(blocks) > 0 {
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(blocks, mirrorChunk).Error; err != nil {
				return fmt.Errorf("insert mirror blocks: %w", err)
			}
		}
		if err := s.insertTransfers(tx, b.ChainID, b.Token, b.Transfers); err != nil { // mirror.go
			return err
		}
		if len(b.Transfers) > 0 {
			if err := bumpMirror(tx, b.ChainID, b.Token); err != nil {
				return err
			}
		}
		if err := s.addBatchToBalances(tx, b.ChainID, b.Token, b.Transfers); err != nil {
			return err
		}
		if judged, err = s.reportBatch(tx, &b); err != nil {
			return err
		}
		if err := pruneBlocks(tx, &b); err != nil { // after the transfers: a block with one stays
			return err
		}
		return s.moveCheckpoint(tx, b.ChainID, b.Token, b.Parent, b.Head)
	}
	err := s.writeMirror(ctx, fn)
	if errors.Is(err, errAlreadyApplied) {
		return nil
	}
	if err == nil {
		s.cacheCommitted(judged) // the issuance's facts with the batch's holdings
	}
	return err
}

// reportBatch judges and reports the transfers of a batch of an issuance's
// token: a transfer.mirrored event each and the compliance alerts they raise,
// with their events, each event only when a subscription asks for its type. A
// token no issuance is attached to has no registry to judge by and reports
// nothing. It returns the facts the alerts were judged on (alertIneligibleReceivers).
func (s *DB) reportBatch(tx *gorm.DB, b *registry.MirrorBatch) (*txFacts, error) {
	if len(b.Transfers) == 0 {
		return nil, nil
	}
	var ids []int64
	if err := tx.Model(&issuanceRow{}).Where("chain_id = ? AND token_address = ?", b.ChainID, b.Token).Limit(1).Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("issuance of %s: %w", b.Token, err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	issuanceID := ids[0]
	wanted, err := s.wantedEventTypes(tx) // webhooks.go
	if err != nil {
		return nil, err
	}
	if wanted[registry.EventTransferMirrored] {
		if err := s.emitTransfersMirrored(tx, issuanceID, b.ChainID, b.Token, b.Transfers); err != nil { // events.go
			return nil, err
		}
	}
	judged, alerts, err := s.alertIneligibleReceivers(tx, issuanceID, b.ChainID, b.Token, b.Transfers) // alerts.go
	if err != nil {
		return nil, fmt.Errorf("compliance alerts: %w", err)
	}
	if len(alerts) > 0 && wanted[registry.EventComplianceAlert] {
		if err := s.emitComplianceAlerts(tx, issuanceID, alerts); err != nil {
			return nil, err
		}
	}
	return judged, nil
}

// uniqueTransfers returns a batch's transfers with addresses and hashes in
// lower case and each log once: a log delivered twice (an RPC repeating
// itself) is one transfer. Rows above the checkpoint are absent, so after
// this no insert of the batch can meet an existing row, and none skips one.
// The caller's slice is left as it was.
func uniqueTransfers(chainID int64, token string, transfers []registry.Transfer) []registry.Transfer {
	type position struct {
		block uint64
		index uint
	}
	seen := make(map[position]bool, len(transfers))
	out := make([]registry.Transfer, 0, len(transfers))
	for _, t := range transfers {
		k := position{t.BlockNumber, t.LogIndex}
		if seen[k] {
			continue
		}
		seen[k] = true
		t.ChainID, t.Token = chainID, token
		t.BlockHash, t.TxHash = strings.ToLower(t.BlockHash), strings.ToLower(t.TxHash)
		t.From, t.To = strings.ToLower(t.From), strings.ToLower(t.To)
		out = append(out, t)
	}
	return out
}

// shareIssuanceOfToken holds the generation row of the token's issuance FOR
// SHARE on PostgreSQL before the batch touches any mirror row: the alerts read
// its registry facts, and a writer of that issuance that moves mirror rows
// (RetireDeployment) takes the same locks in the same order, issuance first.
func (s *DB) shareIssuanceOfToken(tx *gorm.DB, chainID int64, token string) error {
	if s.dialect != Postgres {
		return nil
	}
	return tx.Exec(`SELECT g.gen FROM issuance_generation g JOIN issuances i ON i.id = g.issuance_id
WHERE i.chain_id = ? AND i.token_address = ? FOR SHARE OF g`, chainID, token).Error
}

// pruneBlocks deletes the batch's prunable headers: below the reorg bound and
// without a transfer of the token (a block with one dates its transfers).
func pruneBlocks(tx *gorm.DB, b *registry.MirrorBatch) error {
	if b.PruneBelow == 0 || b.PruneFrom >= b.PruneBelow {
		return nil
	}
	err := tx.Exec(`DELETE FROM mirror_blocks WHERE chain_id = ? AND token = ? AND number >= ? AND number < ?
AND NOT EXISTS (SELECT 1 FROM mirror_transfers t WHERE t.chain_id = mirror_blocks.chain_id
AND t.token = mirror_blocks.token AND t.block_number = mirror_blocks.number)`,
		b.ChainID, b.Token, int64(b.PruneFrom), int64(b.PruneBelow)).Error
	if err != nil {
		return fmt.Errorf("prune mirror blocks: %w", err)
	}
	return nil
}

func validateBatch(b *registry.MirrorBatch) error {
	lo := uint64(0)
	if b.Parent != nil {
		if b.Head.Number <= b.Parent.Number {
			return registry.Errorf(registry.EINVALID, "mirror batch head %d is not above its parent %d", b.Head.Number, b.Parent.Number)
		}
		lo = b.Parent.Number + 1
	}
	if b.Head.Hash == "" {
		return registry.Errorf(registry.EINVALID, "mirror batch head %d has no hash", b.Head.Number)
	}
	// A transfer row is keyed by its position (block number, log index), so
	// every log at one height must come from the one block the batch names
	// there: a batch mixing two forks is refused, not half stored.
	hashAt := make(map[uint64]string, len(b.Blocks)+1)
	hashAt[b.Head.Number] = strings.ToLower(b.Head.Hash)
	for _, blk := range b.Blocks {
		if blk.Number < lo || blk.Number > b.Head.Number || blk.Hash == "" {
			return registry.Errorf(registry.EINVALID, "mirror batch block %d %q outside (%d..%d]", blk.Number, blk.Hash, lo, b.Head.Number)
		}
		if prev, ok := hashAt[blk.Number]; ok && !strings.EqualFold(prev, blk.Hash) {
			return registry.Errorf(registry.EINVALID, "mirror batch names two blocks at height %d: %s and %s", blk.Number, prev, blk.Hash)
		}
		hashAt[blk.Number] = strings.ToLower(blk.Hash)
	}
	for _, t := range b.Transfers {
		if t.BlockNumber < lo || t.BlockNumber > b.Head.Number {
			return registry.Errorf(registry.EINVALID, "mirror transfer in block %d outside the batch (%d..%d]", t.BlockNumber, lo, b.Head.Number)
		}
		if h, ok := hashAt[t.BlockNumber]; !ok {
			hashAt[t.BlockNumber] = strings.ToLower(t.BlockHash)
		} else if !strings.EqualFold(h, t.BlockHash) {
			return registry.Errorf(registry.EINVALID, "mirror transfer %s/%d is not in block %s at height %d", t.BlockHash, t.LogIndex, h, t.BlockNumber)
		}
		if t.Amount == nil || t.Amount.Sign() < 0 {
			return registry.Errorf(registry.EINVALID, "mirror transfer %s/%d has no valid amount", t.BlockHash, t.LogIndex)
		}
		if t.ChainID != 0 && t.ChainID != b.ChainID || t.Token != "" && !strings.EqualFold(t.Token, b.Token) {
			return registry.Errorf(registry.EINVALID, "mirror transfer %s/%d belongs to another token", t.BlockHash, t.LogIndex)
		}
	}
	return nil
}

// moveCheckpoint moves the checkpoint from prev (nil: none yet) to head. The
// update matches prev, so a concurrent writer that moved the checkpoint first
// (PostgreSQL re-checks the WHERE after waiting for its row lock) makes this
// transaction fail instead of interleaving two engines' ranges.
func (s *DB) moveCheckpoint(tx *gorm.DB, chainID int64, token string, prev *registry.ChainBlock, head registry.ChainBlock) error {
	now := s.now()
	if prev != nil {
		res := tx.Exec(`UPDATE mirror_checkpoints SET block_number = ?, block_hash = ?, updated_at = ?
			WHERE chain_id = ? AND token = ? AND block_number = ? AND block_hash = ?`,
			int64(head.Number), strings.ToLower(head.Hash), now, chainID, token, int64(prev.Number), prev.Hash)
		if res.Error != nil {
			return fmt.Errorf("move mirror checkpoint: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return registry.Errorf(registry.ECONFLICT, "mirror of %s moved concurrently from block %d", token, prev.Number)
		}
		return nil
	}
	err := tx.Exec(`INSERT INTO mirror_checkpoints (chain_id, token, block_number, block_hash, updated_at) VALUES (?, ?, ?, ?, ?)`,
		chainID, token, int64(head.Number), strings.ToLower(head.Hash), now).Error
	if err != nil {
		return fmt.Errorf("create mirror checkpoint: %w", err)
	}
	return nil
}

// Rewind deletes everything above toBlock and moves the checkpoint back, in one
// transaction.
func (s *Mirror) Rewind(ctx context.Context, chainID int64, token string, toBlock uint64) error {
	token = strings.ToLower(token)
	return s.writeMirror(ctx, func(tx *gorm.DB) error {
		if err := s.fenced(ctx, tx, false); err != nil {
			return err
		}
		cur, ok, err := loadCheckpoint(tx, chainID, token)
		if err != nil || !ok || toBlock >= cur.Number {
			return err
		}
		if err := bumpMirror(tx, chainID, token); err != nil {
			return err
		}
		var touched []string
		err = tx.Raw(`SELECT from_addr FROM mirror_transfers WHERE chain_id = ? AND token = ? AND block_number > ?
			UNION SELECT to_addr FROM mirror_transfers WHERE chain_id = ? AND token = ? AND block_number > ?`,
			chainID, token, int64(toBlock), chainID, token, int64(toBlock)).Scan(&touched).Error
		if err != nil {
			return fmt.Errorf("wallets above block %d: %w", toBlock, err)
		}
		if err := tx.Exec(`DELETE FROM mirror_transfers WHERE chain_id = ? AND token = ? AND block_number > ?`,
			chainID, token, int64(toBlock)).Error; err != nil {
			return fmt.Errorf("delete transfers above %d: %w", toBlock, err)
		}
		if err := tx.Exec(`DELETE FROM compliance_alerts WHERE chain_id = ? AND token = ? AND block_number > ?`,
			chainID, token, int64(toBlock)).Error; err != nil {
			return fmt.Errorf("delete alerts above %d: %w", toBlock, err)
		}
		if err := tx.Exec(`DELETE FROM mirror_blocks WHERE chain_id = ? AND token = ? AND number > ?`,
			chainID, token, int64(toBlock)).Error; err != nil {
			return fmt.Errorf("delete blocks above %d: %w", toBlock, err)
		}
		if err := s.recomputeBalances(tx, chainID, token, touched); err != nil {
			return err
		}
		var base []mirrorBlockRow
		if err := tx.Where("chain_id = ? AND token = ? AND number <= ?", chainID, token, int64(toBlock)).
			Order("number DESC").Limit(1).Find(&base).Error; err != nil {
			return fmt.Errorf("new mirror checkpoint: %w", err)
		}
		if len(base) == 0 {
			// Nothing at or below toBlock is stored: the mirror starts over.
			return tx.Exec(`DELETE FROM mirror_checkpoints WHERE chain_id = ? AND token = ?`, chainID, token).Error
		}
		return s.moveCheckpoint(tx, chainID, token, &registry.ChainBlock{Number: cur.Number, Hash: cur.Hash},
			registry.ChainBlock{Number: uint64(base[0].Number), Hash: base[0].Hash})
	})
}

// recomputeBalances replaces the balance rows of wallets with sums over their
// raw transfer rows. A zero balance has no row.
func (s *DB) recomputeBalances(tx *gorm.DB, chainID int64, token string, wallets []string) error {
	wallets = dropZero(wallets)
	for len(wallets) > 0 {
		n := min(len(wallets), mirrorChunk)
		chunk := wallets[:n]
		wallets = wallets[n:]
		sums, err := s.sumBalances(tx, chainID, token, chunk, nil)
		if err != nil {
			return err
		}
		if err := s.storeBalances(tx, chainID, token, chunk, sums); err != nil {
			return err
		}
	}
	return nil
}

// addBatchToBalances moves the balances of the wallets a batch touches by the
// batch's own raw rows: balance after = balance at the checkpoint + the rows
// above it. Apply runs exactly once per batch (the checkpoint guard), and every
// row above the checkpoint is new, so this equals a full recompute without
// re-reading each wallet's whole history on every block. A balance that would
// go negative means the derived table drifted; those wallets are recomputed
// from all their raw rows instead. Rewind always recomputes in full.
func (s *DB) addBatchToBalances(tx *gorm.DB, chainID int64, token string, transfers []registry.Transfer) error {
	const zero = "0x0000000000000000000000000000000000000000"
	delta := map[string]*big.Int{}
	add := func(w string, v *big.Int, sign int) {
		if w == zero {
			return
		}
		d, ok := delta[w]
		if !ok {
			d = new(big.Int)
			delta[w] = d
		}
		if sign > 0 {
			d.Add(d, v)
		} else {
			d.Sub(d, v)
		}
	}
	for _, t := range transfers { // unique and lower case (uniqueTransfers)
		add(t.From, t.Amount, -1)
		add(t.To, t.Amount, +1)
	}
	wallets := make([]string, 0, len(delta))
	for w := range delta {
		wallets = append(wallets, w)
	}
	var drifted []string
	if s.dialect == Postgres && len(wallets) > 0 {
		var err error
		if drifted, err = s.addToBalances(tx, chainID, token, wallets, delta); err != nil { // mirror.go
			return err
		}
		wallets = nil
	}
	for len(wallets) > 0 {
		n := min(len(wallets), mirrorChunk)
		chunk := wallets[:n]
		wallets = wallets[n:]
		var rows []struct {
			Wallet  string
			Balance string
		}
		if err := tx.Raw(`SELECT wallet, balance FROM mirror_balances WHERE chain_id = ? AND token = ? AND wallet IN ?`,
			chainID, token, chunk).Scan(&rows).Error; err != nil {
			return fmt.Errorf("read balances: %w", err)
		}
		sums := make(map[string]*big.Int, len(chunk))
		for _, w := range chunk {
			sums[w] = new(big.Int).Set(delta[w])
		}
		for _, r := range rows {
			if cur := amountValue(&r.Balance); cur != nil {
				sums[r.Wallet].Add(sums[r.Wallet], cur)
			}
		}
		for _, w := range chunk {
			if sums[w].Sign() < 0 {
				drifted = append(drifted, w)
				delete(sums, w)
			}
		}
		if err := s.storeBalances(tx, chainID, token, chunk, sums); err != nil {
			return err
		}
	}
	if len(drifted) > 0 {
		s.log.Warn("mirror balances drifted; recomputing from raw transfers", "token", token, "wallets", len(drifted))
		return s.recomputeBalances(tx, chainID, token, drifted)
	}
	return nil
}

// storeBalances replaces the balance rows of wallets with sums (zero or absent: no row).
func (s *DB) storeBalances(tx *gorm.DB, chainID int64, token string, chunk []string, sums map[string]*big.Int) error {
	if err := tx.Exec(`DELETE FROM mirror_balances WHERE chain_id = ? AND token = ? AND wallet IN ?`, chainID, token, chunk).Error; err != nil {
		return fmt.Errorf("clear balances: %w", err)
	}
	type balanceRow struct {
		ChainID int64
		Token   string
		Wallet  string
		Balance string
	}
	var rows []balanceRow
	for _, w := range chunk {
		if v := sums[w]; v != nil && v.Sign() != 0 {
			rows = append(rows, balanceRow{chainID, token, w, v.String()})
		}
	}
	if len(rows) > 0 {
		if err := tx.Table("mirror_balances").CreateInBatches(rows, mirrorChunk).Error; err != nil {
			return fmt.Errorf("store balances: %w", err)
		}
	}
	return nil
}
