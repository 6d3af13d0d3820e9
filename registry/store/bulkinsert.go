package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// bulkInsert is a multi-row INSERT into one table, for the writes that carry
// thousands of rows in one transaction (a mirrored batch's transfers, and the
// webhook events and compliance alerts they raise). Rows go in chunks of
// insertChunk, so the statement count, not per-row work in gorm, sets the cost.
//
// row is one row's VALUES tuple: "?" is a parameter of its own per row, ":k"
// the k-th common parameter, bound once per statement for a value every row
// shares (the chain, the token). On SQLite, whose prepare of a 4,000-parameter
// statement costs more than binding it, the full-chunk statement is prepared
// once on the writer's connection (prepareBulk, before the transaction that
// holds that connection); PostgreSQL's driver caches prepared statements by
// their text already.
type bulkInsert struct {
	prefix string // INSERT INTO table (columns) VALUES
	row    string
	suffix string // ON CONFLICT …, or empty
	common int
	perRow int
}

func newBulkInsert(prefix, row, suffix string) *bulkInsert {
	b := &bulkInsert{prefix: prefix, row: row, suffix: suffix}
	for i := 0; i < len(row); i++ {
		switch {
		case row[i] == '?':
			b.perRow++
		case row[i] == ':':
			j := i + 1
			for j < len(row) && row[j] >= '0' && row[j] <= '9' {
				j++
			}
			k, _ := strconv.Atoi(row[i+1 : j])
			b.common = max(b.common, k)
		}
	}
	return b
}

// insertChunk bounds the rows per statement: 500 rows of up to 12 parameters
// stay well under both engines' parameter limits.
const insertChunk = mirrorChunk

// statement renders n rows with numbered parameters (SQLite ?N, PostgreSQL $N).
func (b *bulkInsert) statement(d Dialect, n int) string {
	mark := "?"
	if d == Postgres {
		mark = "$"
	}
	var sb strings.Builder
	sb.Grow(len(b.prefix) + n*(len(b.row)+4*b.perRow+2) + len(b.suffix) + 2)
	sb.WriteString(b.prefix)
	next := b.common + 1
	for r := 0; r < n; r++ {
		if r > 0 {
			sb.WriteByte(',')
		}
		for i := 0; i < len(b.row); i++ {
			switch c := b.row[i]; c {
			case '?':
				sb.WriteString(mark)
				sb.WriteString(strconv.Itoa(next))
				next++
			case ':':
				sb.WriteString(mark)
				i++
				for i < len(b.row) && b.row[i] >= '0' && b.row[i] <= '9' {
					sb.WriteByte(b.row[i])
					i++
				}
				i--
			default:
				sb.WriteByte(c)
			}
		}
	}
	if b.suffix != "" {
		sb.WriteByte(' ')
		sb.WriteString(b.suffix)
	}
	return sb.String()
}

// prepareBulk prepares b's full-chunk statement on SQLite's writer pool,
// once. It must run outside a write transaction: one holds the pool's only
// connection. Without it, exec prepares each statement as it goes.
func (s *DB) prepareBulk(ctx context.Context, b *bulkInsert) error {
	if s.dialect != SQLite {
		return nil
	}
	s.genMu.Lock()
	_, ok := s.bulkStmts[b]
	s.genMu.Unlock()
	if ok {
		return nil
	}
	db, err := s.writer.DB()
	if err != nil {
		return err
	}
	stmt, err := db.PrepareContext(ctx, b.statement(s.dialect, insertChunk))
	if err != nil {
		return fmt.Errorf("prepare %s: %w", firstWords(b.prefix), err)
	}
	s.genMu.Lock()
	defer s.genMu.Unlock()
	if _, ok := s.bulkStmts[b]; ok {
		return stmt.Close()
	}
	if s.bulkStmts == nil {
		s.bulkStmts = map[*bulkInsert]*sql.Stmt{}
	}
	s.bulkStmts[b] = stmt
	return nil
}

// execBulk inserts n rows in tx: common are the shared parameters, and fill
// appends row i's own parameters to args, in the order of b.row's "?".
func (s *DB) execBulk(tx *gorm.DB, b *bulkInsert, common []any, n int, fill func(i int, args []any) []any) error {
	if n == 0 {
		return nil
	}
	ctx, pool := tx.Statement.Context, tx.Statement.ConnPool
	var full *sql.Stmt
	if n >= insertChunk {
		s.genMu.Lock()
		shared := s.bulkStmts[b]
		s.genMu.Unlock()
		if sqlTx, ok := pool.(*sql.Tx); ok && shared != nil {
			full = sqlTx.StmtContext(ctx, shared)
			defer full.Close()
		}
	}
	args := make([]any, 0, len(common)+b.perRow*min(n, insertChunk))
	for start := 0; start < n; start += insertChunk {
		end := min(start+insertChunk, n)
		args = append(args[:0], common...)
		for i := start; i < end; i++ {
			args = fill(i, args)
		}
		var err error
		if full != nil && end-start == insertChunk {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = pool.ExecContext(ctx, b.statement(s.dialect, end-start), args...)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", firstWords(b.prefix), err)
		}
	}
	return nil
}

// firstWords names a statement in an error: "INSERT INTO table".
func firstWords(sql string) string {
	if f := strings.Fields(sql); len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return sql
}
