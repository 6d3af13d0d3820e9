package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/stonode/stonode/registry"
)

// The transfer mirror's storage. Raw transfer rows are the truth; balances are
// derived from them by summation over the rows of each wallet a batch or a
// rewind touches. PostgreSQL sums NUMERIC(78,0) exactly in SQL; SQLite stores
// amounts as decimal text (its numbers are int64 or float64, neither exact for
// uint256), so on SQLite the rows are summed in Go with math/big.

var (
	_ registry.MirrorStore  = (*Store)(nil)
	_ registry.MirrorReader = (*Store)(nil)
)

// mirrorChunk bounds the rows per INSERT and the wallets per IN list, well
// under both engines' bind-parameter limits.
const mirrorChunk = 500

type mirrorCheckpointRow struct {
	ChainID     int64
	Token       string
	BlockNumber int64
	BlockHash   string
	UpdatedAt   sql.NullTime
}

func (mirrorCheckpointRow) TableName() string { return "mirror_checkpoints" }

type mirrorBlockRow struct {
	ChainID    int64
	Token      string
	Number     int64
	Hash       string
	ParentHash string
}

func (mirrorBlockRow) TableName() string { return "mirror_blocks" }

type mirrorTransferRow struct {
	ChainID     int64
	BlockHash   string
	LogIndex    int64
	Token       string
	BlockNumber int64
	TxHash      string
	FromAddr    string
	ToAddr      string
	Amount      string
}

func (mirrorTransferRow) TableName() string { return "mirror_transfers" }

// errAlreadyApplied rolls back a batch that is already in the database.
var errAlreadyApplied = errors.New("mirror batch already applied")

// Checkpoint returns the token's mirror checkpoint.
func (s *Store) Checkpoint(ctx context.Context, chainID int64, token string) (registry.Checkpoint, bool, error) {
	cp, ok, err := loadCheckpoint(s.read(ctx), chainID, strings.ToLower(token))
	return cp, ok, s.translate(err)
}

func loadCheckpoint(db *gorm.DB, chainID int64, token string) (registry.Checkpoint, bool, error) {
	var rows []mirrorCheckpointRow
	if err := db.Where("chain_id = ? AND token = ?", chainID, token).Limit(1).Find(&rows).Error; err != nil {
		return registry.Checkpoint{}, false, fmt.Errorf("load mirror checkpoint: %w", err)
	}
	if len(rows) == 0 {
		return registry.Checkpoint{ChainID: chainID, Token: token}, false, nil
	}
	r := rows[0]
	return registry.Checkpoint{ChainID: chainID, Token: token, Number: uint64(r.BlockNumber), Hash: r.BlockHash,
		UpdatedAt: r.UpdatedAt.Time.UTC()}, true, nil
}

// Apply stores one batch: blocks, transfers, recomputed balances and the new
// checkpoint, in one transaction. Only the token's mirror generation is bumped,
// and only when the batch carries transfers: holdings feed eligibility
// decisions, so its issuance reads them again, but no registry fact changed, so
// every cached fact stays (see migrate_scopes.go).
func (s *Store) Apply(ctx context.Context, b registry.MirrorBatch) error {
	b.Token = strings.ToLower(b.Token)
	if b.Parent != nil {
		parent := *b.Parent
		parent.Hash = strings.ToLower(parent.Hash)
		b.Parent = &parent
	}
	if err := validateBatch(&b); err != nil {
		return err
	}
	var judged *txFacts
	fn := func(tx *gorm.DB) error {
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
			blocks = append(blocks, mirrorBlockRow{ChainID: b.ChainID, Token: b.Token, Number: int64(blk.Number),
				Hash: strings.ToLower(blk.Hash), ParentHash: strings.ToLower(blk.ParentHash)})
		}
		if len(blocks) > 0 {
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(blocks, mirrorChunk).Error; err != nil {
				return fmt.Errorf("insert mirror blocks: %w", err)
			}
		}
		rows := make([]mirrorTransferRow, 0, len(b.Transfers))
		for _, t := range b.Transfers {
			from, to := strings.ToLower(t.From), strings.ToLower(t.To)
			rows = append(rows, mirrorTransferRow{ChainID: b.ChainID, BlockHash: strings.ToLower(t.BlockHash),
				LogIndex: int64(t.LogIndex), Token: b.Token, BlockNumber: int64(t.BlockNumber),
				TxHash: strings.ToLower(t.TxHash), FromAddr: from, ToAddr: to, Amount: t.Amount.String()})
		}
		if len(rows) > 0 {
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(rows, mirrorChunk).Error; err != nil {
				return fmt.Errorf("insert mirror transfers: %w", err)
			}
		}
		if len(rows) > 0 {
			if err := bumpMirror(tx, b.ChainID, b.Token); err != nil {
				return err
			}
		}
		if err := s.addBatchToBalances(tx, b.ChainID, b.Token, b.Transfers); err != nil {
			return err
		}
		if judged, err = s.alertIneligibleReceivers(tx, b.ChainID, b.Token, b.Transfers); err != nil {
			return fmt.Errorf("compliance alerts: %w", err)
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

// shareIssuanceOfToken holds the generation row of the token's issuance FOR
// SHARE on PostgreSQL before the batch touches any mirror row: the alerts read
// its registry facts, and a writer of that issuance that moves mirror rows
// (RetireDeployment) takes the same locks in the same order, issuance first.
func (s *Store) shareIssuanceOfToken(tx *gorm.DB, chainID int64, token string) error {
	if s.dialect != Postgres {
		return nil
	}
	return tx.Exec(`SELECT g.gen FROM issuance_generation g JOIN issuances i ON i.id = g.issuance_id
WHERE i.chain_id = ? AND i.token_address = ? FOR SHARE OF g`, chainID, token).Error
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
	for _, blk := range b.Blocks {
		if blk.Number < lo || blk.Number > b.Head.Number || blk.Hash == "" {
			return registry.Errorf(registry.EINVALID, "mirror batch block %d %q outside (%d..%d]", blk.Number, blk.Hash, lo, b.Head.Number)
		}
	}
	for _, t := range b.Transfers {
		if t.BlockNumber < lo || t.BlockNumber > b.Head.Number {
			return registry.Errorf(registry.EINVALID, "mirror transfer in block %d outside the batch (%d..%d]", t.BlockNumber, lo, b.Head.Number)
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
func (s *Store) moveCheckpoint(tx *gorm.DB, chainID int64, token string, prev *registry.ChainBlock, head registry.ChainBlock) error {
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
func (s *Store) Rewind(ctx context.Context, chainID int64, token string, toBlock uint64) error {
	token = strings.ToLower(token)
	return s.writeMirror(ctx, func(tx *gorm.DB) error {
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

// BlockHash returns the stored hash of one block.
func (s *Store) BlockHash(ctx context.Context, chainID int64, token string, number uint64) (string, bool, error) {
	var rows []mirrorBlockRow
	err := s.read(ctx).Where("chain_id = ? AND token = ? AND number = ?", chainID, strings.ToLower(token), int64(number)).
		Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return "", false, s.translate(err)
	}
	return rows[0].Hash, true, nil
}

// BlocksBelow lists stored blocks at or below a number, highest first.
func (s *Store) BlocksBelow(ctx context.Context, chainID int64, token string, below uint64, limit int) ([]registry.ChainBlock, error) {
	var rows []mirrorBlockRow
	err := s.read(ctx).Where("chain_id = ? AND token = ? AND number <= ?", chainID, strings.ToLower(token), int64(below)).
		Order("number DESC").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, s.translate(err)
	}
	out := make([]registry.ChainBlock, len(rows))
	for i, r := range rows {
		out[i] = registry.ChainBlock{Number: uint64(r.Number), Hash: r.Hash, ParentHash: r.ParentHash}
	}
	return out, nil
}

// recomputeBalances replaces the balance rows of wallets with sums over their
// raw transfer rows. A zero balance has no row.
func (s *Store) recomputeBalances(tx *gorm.DB, chainID int64, token string, wallets []string) error {
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
func (s *Store) addBatchToBalances(tx *gorm.DB, chainID int64, token string, transfers []registry.Transfer) error {
	const zero = "0x0000000000000000000000000000000000000000"
	delta := map[string]*big.Int{}
	add := func(w string, v *big.Int, sign int) {
		w = strings.ToLower(w)
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
	type logKey struct {
		block string
		index uint
	}
	seen := make(map[logKey]bool, len(transfers))
	for _, t := range transfers {
		k := logKey{strings.ToLower(t.BlockHash), t.LogIndex}
		if seen[k] { // a log delivered twice is one row
			continue
		}
		seen[k] = true
		add(t.From, t.Amount, -1)
		add(t.To, t.Amount, +1)
	}
	wallets := make([]string, 0, len(delta))
	for w := range delta {
		wallets = append(wallets, w)
	}
	var drifted []string
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
func (s *Store) storeBalances(tx *gorm.DB, chainID int64, token string, chunk []string, sums map[string]*big.Int) error {
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

// sumBalances returns Σ received − Σ sent per wallet over the raw transfers of
// a token, for the given wallets (nil: every wallet) up to a block (nil: all).
func (s *Store) sumBalances(db *gorm.DB, chainID int64, token string, wallets []string, upTo *uint64) (map[string]*big.Int, error) {
	side := func(col string) (string, []any) {
		q := "FROM mirror_transfers WHERE chain_id = ? AND token = ?"
		args := []any{chainID, token}
		if wallets != nil {
			q += " AND " + col + " IN ?"
			args = append(args, wallets)
		}
		if upTo != nil {
			q += " AND block_number <= ?"
			args = append(args, int64(*upTo))
		}
		return q, args
	}
	inQ, inArgs := side("to_addr")
	outQ, outArgs := side("from_addr")
	out := map[string]*big.Int{}
	if s.dialect == Postgres {
		var rows []struct {
			Wallet string
			Total  string
		}
		err := db.Raw(`SELECT wallet, SUM(delta)::text AS total FROM (
			SELECT to_addr AS wallet, amount AS delta `+inQ+`
			UNION ALL
			SELECT from_addr AS wallet, -amount AS delta `+outQ+`) d GROUP BY wallet`,
			append(inArgs, outArgs...)...).Scan(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("sum balances: %w", err)
		}
		for _, r := range rows {
			v := amountValue(&r.Total)
			if v == nil {
				return nil, fmt.Errorf("sum balances: bad total %q for %s", r.Total, r.Wallet)
			}
			out[r.Wallet] = v
		}
		return out, nil
	}
	rows, err := db.Raw(`SELECT to_addr, amount, 1 `+inQ+` UNION ALL SELECT from_addr, amount, -1 `+outQ,
		append(inArgs, outArgs...)...).Rows()
	if err != nil {
		return nil, fmt.Errorf("sum balances: %w", err)
	}
	defer rows.Close()
	var (
		wallet, text string
		sign         int
		v            big.Int
	)
	for rows.Next() {
		if err := rows.Scan(&wallet, &text, &sign); err != nil {
			return nil, fmt.Errorf("sum balances: %w", err)
		}
		if _, ok := v.SetString(text, 10); !ok {
			return nil, fmt.Errorf("sum balances: bad amount %q", text)
		}
		acc := out[wallet]
		if acc == nil {
			acc = new(big.Int)
			out[wallet] = acc
		}
		if sign < 0 {
			acc.Sub(acc, &v)
		} else {
			acc.Add(acc, &v)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sum balances: %w", err)
	}
	return out, nil
}

// mirrorSnapshot runs fn in one read transaction, so the checkpoint and the rows read
// with it are consistent: a WAL read transaction in SQLite, REPEATABLE READ in
// PostgreSQL.
func (s *Store) mirrorSnapshot(ctx context.Context, fn func(tx *gorm.DB) error) error {
	var opts []*sql.TxOptions
	if s.dialect == Postgres {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	return s.translate(s.read(ctx).Transaction(fn, opts...))
}

// Transfers lists a token's mirrored transfers in chain order.
func (s *Store) Transfers(ctx context.Context, f registry.TransferFilter) (*registry.TransferPage, error) {
	token := strings.ToLower(f.Token)
	limit := f.Limit
	if limit <= 0 {
		limit = registry.DefaultTransferPage
	}
	limit = min(limit, registry.MaxTransferPage)
	page := &registry.TransferPage{}
	err := s.mirrorSnapshot(ctx, func(tx *gorm.DB) error {
		cp, ok, err := loadCheckpoint(tx, f.ChainID, token)
		if err != nil || !ok {
			return err
		}
		page.AsOfBlock, page.AsOfHash = cp.Number, cp.Hash
		q := tx.Table("mirror_transfers t").
			Select(`t.*, fw.investor_id AS from_investor_id, tw.investor_id AS to_investor_id`).
			Joins("LEFT JOIN wallets fw ON fw.address = t.from_addr").
			Joins("LEFT JOIN wallets tw ON tw.address = t.to_addr").
			Where("t.chain_id = ? AND t.token = ?", f.ChainID, token)
		if f.Wallet != "" {
			w := strings.ToLower(f.Wallet)
			q = q.Where("(t.from_addr = ? OR t.to_addr = ?)", w, w)
		}
		if f.InvestorID != nil {
			q = q.Where("(fw.investor_id = ? OR tw.investor_id = ?)", *f.InvestorID, *f.InvestorID)
		}
		if f.FromBlock != nil {
			q = q.Where("t.block_number >= ?", int64(*f.FromBlock))
		}
		if f.ToBlock != nil {
			q = q.Where("t.block_number <= ?", int64(*f.ToBlock))
		}
		if f.After != nil {
			q = q.Where("(t.block_number > ? OR (t.block_number = ? AND t.log_index > ?))",
				int64(f.After.BlockNumber), int64(f.After.BlockNumber), int64(f.After.LogIndex))
		}
		// A flat row: gorm does not fill an embedded struct from Scan.
		var rows []struct {
			ChainID        int64
			BlockHash      string
			LogIndex       int64
			Token          string
			BlockNumber    int64
			TxHash         string
			FromAddr       string
			ToAddr         string
			Amount         string
			FromInvestorID *int64
			ToInvestorID   *int64
		}
		if err := q.Order("t.block_number, t.log_index").Limit(limit + 1).Scan(&rows).Error; err != nil {
			return fmt.Errorf("list transfers: %w", err)
		}
		if len(rows) > limit {
			rows = rows[:limit]
			last := rows[limit-1]
			page.Next = &registry.TransferCursor{BlockNumber: uint64(last.BlockNumber), LogIndex: uint(last.LogIndex)}
		}
		page.Transfers = make([]registry.TransferRecord, len(rows))
		for i, r := range rows {
			page.Transfers[i] = registry.TransferRecord{
				Transfer: registry.Transfer{ChainID: r.ChainID, Token: r.Token, BlockNumber: uint64(r.BlockNumber),
					BlockHash: r.BlockHash, TxHash: r.TxHash, LogIndex: uint(r.LogIndex), From: r.FromAddr, To: r.ToAddr,
					Amount: amountValue(&r.Amount)},
				FromInvestorID: r.FromInvestorID, ToInvestorID: r.ToInvestorID,
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// Holders returns the current register from the derived balances.
func (s *Store) Holders(ctx context.Context, chainID int64, token string) (*registry.Holders, error) {
	token = strings.ToLower(token)
	h := &registry.Holders{ChainID: chainID, Token: token}
	err := s.mirrorSnapshot(ctx, func(tx *gorm.DB) error {
		cp, ok, err := loadCheckpoint(tx, chainID, token)
		if err != nil || !ok {
			return err
		}
		h.AsOfBlock, h.AsOfHash = cp.Number, cp.Hash
		var rows []struct {
			Wallet  string
			Balance string
		}
		if err := tx.Raw(`SELECT wallet, balance FROM mirror_balances WHERE chain_id = ? AND token = ?`, chainID, token).
			Scan(&rows).Error; err != nil {
			return fmt.Errorf("list balances: %w", err)
		}
		sums := make(map[string]*big.Int, len(rows))
		for _, r := range rows {
			v := amountValue(&r.Balance)
			if v == nil {
				return fmt.Errorf("balance of %s: bad amount %q", r.Wallet, r.Balance)
			}
			sums[r.Wallet] = v
		}
		return s.fillHolders(tx, h, sums)
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// HolderRegister reconstructs the register as of a block from raw transfers.
func (s *Store) HolderRegister(ctx context.Context, chainID int64, token string, block uint64) (*registry.Holders, error) {
	token = strings.ToLower(token)
	h := &registry.Holders{ChainID: chainID, Token: token, AsOfBlock: block}
	err := s.mirrorSnapshot(ctx, func(tx *gorm.DB) error {
		cp, ok, err := loadCheckpoint(tx, chainID, token)
		if err != nil {
			return err
		}
		if !ok || block > cp.Number {
			return registry.Errorf(registry.ECONFLICT, "block %d is not mirrored yet (mirrored up to %d)", block, cp.Number)
		}
		var hashes []string
		if err := tx.Raw(`SELECT hash FROM mirror_blocks WHERE chain_id = ? AND token = ? AND number = ?`,
			chainID, token, int64(block)).Scan(&hashes).Error; err != nil {
			return fmt.Errorf("block hash: %w", err)
		}
		if len(hashes) > 0 {
			h.AsOfHash = hashes[0]
		}
		sums, err := s.sumBalances(tx, chainID, token, nil, &block)
		if err != nil {
			return err
		}
		return s.fillHolders(tx, h, sums)
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// fillHolders turns per-wallet sums into a register, attaching investors from
// the registry's wallets table (today's wallet→investor mapping: a wallet
// moved between investors after the record date is shown under its new owner).
func (s *Store) fillHolders(tx *gorm.DB, h *registry.Holders, sums map[string]*big.Int) error {
	h.TotalSupply = new(big.Int)
	var wallets []string
	for w, v := range sums {
		if w == registry.ZeroAddress || v.Sign() <= 0 {
			continue
		}
		wallets = append(wallets, w)
		h.TotalSupply.Add(h.TotalSupply, v)
	}
	sort.Strings(wallets)
	owner := map[string]int64{}
	for rest := wallets; len(rest) > 0; {
		n := min(len(rest), mirrorChunk)
		var rows []struct {
			Address    string
			InvestorID int64
		}
		if err := tx.Raw(`SELECT address, investor_id FROM wallets WHERE address IN ?`, rest[:n]).Scan(&rows).Error; err != nil {
			return fmt.Errorf("wallet owners: %w", err)
		}
		for _, r := range rows {
			owner[r.Address] = r.InvestorID
		}
		rest = rest[n:]
	}
	byInvestor := map[int64]*registry.InvestorHolding{}
	h.Wallets = make([]registry.Holding, 0, len(wallets))
	for _, w := range wallets {
		hold := registry.Holding{Wallet: w, Balance: sums[w]}
		if id, ok := owner[w]; ok {
			hold.InvestorID = &id
			ih := byInvestor[id]
			if ih == nil {
				ih = &registry.InvestorHolding{InvestorID: id, Balance: new(big.Int)}
				byInvestor[id] = ih
			}
			ih.Wallets = append(ih.Wallets, w)
			ih.Balance.Add(ih.Balance, sums[w])
		} else {
			h.InvestorCount++ // an unknown wallet is an investor of its own
		}
		h.Wallets = append(h.Wallets, hold)
	}
	h.HolderCount = len(h.Wallets)
	h.InvestorCount += len(byInvestor)
	h.Investors = make([]registry.InvestorHolding, 0, len(byInvestor))
	for _, ih := range byInvestor {
		h.Investors = append(h.Investors, *ih)
	}
	sort.Slice(h.Investors, func(i, j int) bool { return h.Investors[i].InvestorID < h.Investors[j].InvestorID })
	return nil
}

func dropZero(wallets []string) []string {
	out := wallets[:0:0]
	for _, w := range wallets {
		if w != registry.ZeroAddress {
			out = append(out, w)
		}
	}
	return out
}
