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

// insertTransfers adds a batch's raw rows in tx; transfers are unique and
// absent (uniqueTransfers), so a conflict is an error, not a row to skip.
// PostgreSQL takes the whole batch as seven arrays in one INSERT … SELECT FROM
// unnest (one round trip and one plan); SQLite takes chunks of the prepared
// multi-row insert (bulkinsert.go). The chain and token are the same on every
// row, so each is bound once.
func (s *DB) insertTransfers(tx *gorm.DB, chainID int64, token string, transfers []registry.Transfer) error {
	if len(transfers) == 0 {
		return nil
	}
	if s.dialect == Postgres {
		n := len(transfers)
		var (
			logIndex, number                    = make([]int64, n), make([]int64, n)
			blockHash, txHash, from, to, amount = make([]string, n), make([]string, n), make([]string, n),
				make([]string, n), make([]string, n)
		)
		for i, t := range transfers {
			blockHash[i], logIndex[i], number[i] = t.BlockHash, int64(t.LogIndex), int64(t.BlockNumber)
			txHash[i], from[i], to[i], amount[i] = t.TxHash, t.From, t.To, t.Amount.String()
		}
		// Passed to the driver directly: gorm would expand each slice into
		// a parameter list.
		_, err := tx.Statement.ConnPool.ExecContext(tx.Statement.Context, `INSERT INTO mirror_transfers (`+transferColumns+`)
SELECT $1, bh, li, $2, bn, th, fa, ta, am::numeric FROM unnest($3::text[], $4::bigint[], $5::bigint[],
	$6::text[], $7::text[], $8::text[], $9::text[]) AS u(bh, li, bn, th, fa, ta, am)`,
			chainID, token, blockHash, logIndex, number, txHash, from, to, amount)
		if err != nil {
			return fmt.Errorf("insert mirror transfers: %w", err)
		}
		return nil
	}
	return s.execBulk(tx, transferInsert, []any{chainID, token}, len(transfers), func(i int, args []any) []any {
		t := &transfers[i]
		return append(args, t.BlockHash, int64(t.LogIndex), int64(t.BlockNumber), t.TxHash, t.From, t.To, t.Amount.String())
	})
}

// transferColumns are mirror_transfers' columns in the order insertTransfers
// binds them.
const transferColumns = "chain_id, block_hash, log_index, token, block_number, tx_hash, from_addr, to_addr, amount"

var transferInsert = newBulkInsert(`INSERT INTO mirror_transfers (`+transferColumns+`) VALUES `, "(:1,?,?,:2,?,?,?,?,?)", "")

// addToBalances moves the balances of wallets by delta on PostgreSQL in two
// statements, whatever the number of wallets: one upsert adds each delta to
// the stored balance (NUMERIC, exact) and returns the results, then the rows
// that came to zero are deleted (a zero balance has no row), and so are
// negative ones, which it returns as drifted for the caller to recompute
// from the raw rows.
func (s *DB) addToBalances(tx *gorm.DB, chainID int64, token string, wallets []string, delta map[string]*big.Int) ([]string, error) {
	deltas := make([]string, len(wallets))
	for i, w := range wallets {
		deltas[i] = delta[w].String()
	}
	ctx, pool := tx.Statement.Context, tx.Statement.ConnPool
	// Passed to the driver directly: gorm would expand each slice into a
	// parameter list.
	rows, err := pool.QueryContext(ctx, `INSERT INTO mirror_balances AS b (chain_id, token, wallet, balance)
SELECT $1, $2, w, d::numeric FROM unnest($3::text[], $4::text[]) AS u(w, d)
ON CONFLICT (chain_id, token, wallet) DO UPDATE SET balance = b.balance + EXCLUDED.balance
RETURNING b.wallet, sign(b.balance)::int`, chainID, token, wallets, deltas)
	if err != nil {
		return nil, fmt.Errorf("add to balances: %w", err)
	}
	defer rows.Close()
	var (
		drifted, gone []string
		wallet        string
		sign          int
	)
	for rows.Next() {
		if err := rows.Scan(&wallet, &sign); err != nil {
			return nil, fmt.Errorf("add to balances: %w", err)
		}
		switch {
		case sign < 0:
			drifted = append(drifted, wallet)
			gone = append(gone, wallet)
		case sign == 0:
			gone = append(gone, wallet)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("add to balances: %w", err)
	}
	rows.Close()
	if len(gone) > 0 {
		if _, err := pool.ExecContext(ctx, `DELETE FROM mirror_balances WHERE chain_id = $1 AND token = $2 AND wallet = ANY($3::text[])`,
			chainID, token, gone); err != nil {
			return nil, fmt.Errorf("clear balances: %w", err)
		}
	}
	return drifted, nil
}
