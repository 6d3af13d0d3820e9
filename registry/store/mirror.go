package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// The transfer mirror's storage. Raw transfer rows are the truth; balances are
// derived from them by summation over the rows of each wallet a batch or a
// rewind touches. PostgreSQL sums NUMERIC(78,0) exactly in SQL; SQLite stores
// amounts as decimal text (its numbers are int64 or float64, neither exact for
// uint256), so on SQLite the rows are summed in Go with math/big.

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
	BlockTime  *int64 // Unix seconds; nil for blocks mirrored before recordsSchema
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
func (s *Mirror) Checkpoint(ctx context.Context, chainID int64, token string) (registry.Checkpoint, bool, error) {
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

// sumBalances returns Σ received − Σ sent per wallet over the raw transfers of
// a token, for the given wallets (nil: every wallet) up to a block (nil: all).
func (s *DB) sumBalances(db *gorm.DB, chainID int64, token string, wallets []string, upTo *uint64) (map[string]*big.Int, error) {
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
