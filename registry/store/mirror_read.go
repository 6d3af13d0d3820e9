package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"sort"
	"strings"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// The mirror's read path: stored blocks for the engine's reorg walk, and the
// transfers, holders and register at a block for the API.

// BlockHash returns the stored hash of one block.
func (s *Mirror) BlockHash(ctx context.Context, chainID int64, token string, number uint64) (string, bool, error) {
	var rows []mirrorBlockRow
	err := s.read(ctx).Where("chain_id = ? AND token = ? AND number = ?", chainID, strings.ToLower(token), int64(number)).
		Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return "", false, s.translate(err)
	}
	return rows[0].Hash, true, nil
}

// BlocksBelow lists stored blocks at or below a number, highest first.
func (s *Mirror) BlocksBelow(ctx context.Context, chainID int64, token string, below uint64, limit int) ([]registry.ChainBlock, error) {
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

// mirrorSnapshot runs fn in one read transaction, so the checkpoint and the rows read
// with it are consistent: a WAL read transaction in SQLite, REPEATABLE READ in
// PostgreSQL.
func (s *DB) mirrorSnapshot(ctx context.Context, fn func(tx *gorm.DB) error) error {
	var opts []*sql.TxOptions
	if s.dialect == Postgres {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	return s.translate(s.read(ctx).Transaction(fn, opts...))
}

// Transfers lists a token's mirrored transfers in chain order.
func (s *Mirror) Transfers(ctx context.Context, f registry.TransferFilter) (*registry.TransferPage, error) {
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
func (s *Mirror) Holders(ctx context.Context, chainID int64, token string) (*registry.Holders, error) {
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
func (s *Mirror) HolderRegister(ctx context.Context, chainID int64, token string, block uint64) (*registry.Holders, error) {
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
func (s *DB) fillHolders(tx *gorm.DB, h *registry.Holders, sums map[string]*big.Int) error {
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
