// Package store implements the registry services on gorm, with SQLite (embedded,
// the default) or PostgreSQL underneath.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/stonode/stonode/registry"
)

// Dialect names the SQL engine underneath.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Config selects the database.
type Config struct {
	// DSN is a postgres:// or postgresql:// URL, a sqlite path (file:… or a plain
	// path), or empty for <DataDir>/stonode.db.
	DSN     string
	DataDir string
	Logger  *slog.Logger
	// Clock returns the current time; nil means time.Now. Tests pin it.
	Clock func() time.Time
	// Rules decide compliance from the facts the store loads (eligibility
	// look-ups, on-chain records, alerts, product policy); required.
	// registry/eligibility.Rules is the node's.
	Rules registry.Compliance
}

// DB is the node's one database handle: the connection pools, the cache
// generations and the transaction helpers that the services below share.
type DB struct {
	dialect Dialect
	writer  *gorm.DB // SQLite: one connection, immediate transactions
	reader  *gorm.DB // SQLite: a read-only pool; PostgreSQL: the same pool as writer
	log     *slog.Logger
	now     func() time.Time
	cache   *readCache
	rules   registry.Compliance
	genMu   sync.Mutex
	genStmt *sql.Stmt // prepared on first use on the reader pool; retried after a failure
	// bulkStmts are SQLite's full-chunk bulk inserts, prepared once on the
	// writer's connection (bulkinsert.go); guarded by genMu.
	bulkStmts  map[*bulkInsert]*sql.Stmt
	gens       *generationReader[*generations]
	latestGens atomic.Pointer[generations] // the newest read
	// genSeq numbers this store's generation reads from genSeqBase, a random
	// start, so a principal checked by another store is not taken for ours.
	genSeq     atomic.Int64
	genSeqBase int64
	loading    sync.Map // issuance id → *sync.Mutex held while its facts load
	// wal tells on SQLite that nothing has committed since a generation read.
	wal walWatch
	// checkpointer copies SQLite's WAL into the database file off the write path.
	checkpointer *walCheckpointer
	// factLoads and holdingLoads count the issuance facts and the holdings
	// read from the database by look-ups, for tests of cache scoping.
	factLoads, holdingLoads atomic.Int64
}

// Open connects, applies pending migrations and returns a ready handle; build
// the services on it with NewRegistry, NewOutbox, NewMirror and NewOperations.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Rules == nil {
		return nil, errors.New("store: no compliance rules (Config.Rules)")
	}
	gcfg := &gorm.Config{
		Logger:                 logger.Discard,
		TranslateError:         true,
		SkipDefaultTransaction: true, // every write already runs in an explicit transaction
		NowFunc:                func() time.Time { return cfg.Clock().UTC().Truncate(time.Microsecond) },
	}
	s := &DB{log: cfg.Logger, now: func() time.Time { return cfg.Clock().UTC().Truncate(time.Microsecond) }, cache: newReadCache(), rules: cfg.Rules}
	s.genSeqBase = 1 + mrand.Int64N(1<<62)
	s.genSeq.Store(s.genSeqBase - 1)
	s.gens = &generationReader[*generations]{query: s.readGenerations}
	var err error
	switch {
	case strings.HasPrefix(cfg.DSN, "postgres://"), strings.HasPrefix(cfg.DSN, "postgresql://"):
		s.dialect = Postgres
		s.writer, err = gorm.Open(postgres.Open(cfg.DSN), gcfg)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		s.reader = s.writer
		sqlDB, _ := s.writer.DB()
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(20)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	default:
		s.dialect = SQLite
		path, err := sqlitePath(cfg)
		if err != nil {
			return nil, err
		}
		if err := s.openSQLite(path, gcfg); err != nil {
			return nil, err
		}
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return s, nil
}

func sqlitePath(cfg Config) (string, error) {
	path := strings.TrimPrefix(cfg.DSN, "sqlite://")
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		dir := cfg.DataDir
		if dir == "" {
			dir = "data"
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", fmt.Errorf("create data dir: %w", err)
		}
		path = filepath.Join(dir, "stonode.db")
	}
	return path, nil
}

// openSQLiteRetrying opens a SQLite DSN, retrying "database is locked" for a
// few seconds: switching a fresh file to WAL needs an exclusive lock that
// SQLite refuses at once, without its busy handler, while another process
// opens the same file.
func openSQLiteRetrying(dsn string, gcfg *gorm.Config, pragmas ...string) (*gorm.DB, error) {
	deadline := time.Now().Add(10 * time.Second)
	for wait := 10 * time.Millisecond; ; wait = min(2*wait, 500*time.Millisecond) {
		pool := sql.OpenDB(newSQLiteConnector(dsn, pragmas...))
		db, err := gorm.Open(sqlite.New(sqlite.Config{Conn: pool}), gcfg)
		if err != nil {
			pool.Close()
		}
		if err == nil || !strings.Contains(err.Error(), "database is locked") || time.Now().After(deadline) {
			return db, err
		}
		time.Sleep(wait)
	}
}

func (s *DB) openSQLite(path string, gcfg *gorm.Config) error {
	common := url.Values{}
	common.Set("_journal_mode", "WAL")
	common.Set("_synchronous", "NORMAL")
	common.Set("_busy_timeout", "10000")
	common.Set("_foreign_keys", "1")
	w := url.Values{}
	for k, v := range common {
		w[k] = v
	}
	// Immediate transactions take the write lock at BEGIN, so two writers never
	// deadlock upgrading from a read lock.
	w.Set("_txlock", "immediate")
	// The writer's page cache holds a mirror batch's index pages: at SQLite's
	// 2 MiB default, a 10,000-transfer batch spills and re-reads them.
	w.Set("_cache_size", "-65536")
	var err error
	s.writer, err = openSQLiteRetrying("file:"+path+"?"+w.Encode(), gcfg,
		fmt.Sprintf("PRAGMA wal_autocheckpoint = %d", writerAutoCheckpoint)) // checkpoint.go
	if err != nil {
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	wdb, _ := s.writer.DB()
	wdb.SetMaxOpenConns(1) // SQLite has one writer; queueing here beats SQLITE_BUSY
	r := url.Values{}
	for k, v := range common {
		r[k] = v
	}
	r.Set("_query_only", "1")
	s.reader, err = openSQLiteRetrying("file:"+path+"?"+r.Encode(), gcfg)
	if err != nil {
		return fmt.Errorf("open sqlite reader %s: %w", path, err)
	}
	rdb, _ := s.reader.DB()
	rdb.SetMaxOpenConns(8)
	rdb.SetMaxIdleConns(8)
	s.checkpointer = startCheckpointer("file:"+path+"?"+common.Encode(), &s.wal, rdb, s.log)
	return nil
}

// Dialect reports the SQL engine in use.
func (s *DB) Dialect() Dialect { return s.dialect }

// Ping checks that the database answers.
func (s *DB) Ping(ctx context.Context) error {
	for _, db := range []*gorm.DB{s.writer, s.reader} {
		sqlDB, err := db.DB()
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err = sqlDB.PingContext(ctx)
		cancel()
		if err != nil {
			return &registry.Error{Code: registry.EUNAVAILABLE, Message: "database unreachable"}
		}
	}
	return nil
}

// Close releases the connections.
func (s *DB) Close() error {
	var errs []error
	s.genMu.Lock()
	if s.genStmt != nil {
		errs = append(errs, s.genStmt.Close())
	}
	for _, stmt := range s.bulkStmts {
		errs = append(errs, stmt.Close())
	}
	s.genMu.Unlock()
	errs = append(errs, s.checkpointer.close(), s.wal.close())
	for _, db := range []*gorm.DB{s.writer, s.reader} {
		if db == nil {
			continue
		}
		if sqlDB, err := db.DB(); err == nil {
			errs = append(errs, sqlDB.Close())
		}
	}
	return errors.Join(errs...)
}

// write runs fn in one write transaction that changes facts of the shared
// scope (keys, sellers, investors, wallets; see migrate_scopes.go); the audit
// record fn adds commits with it, and so does the bump of the shared generation
// that tells every reader (in this process or another node) that its cached
// facts are stale. The bump comes first: its row lock serialises these writers
// on PostgreSQL as SQLite's immediate transactions do, and excludes every
// scoped writer (which holds the row FOR SHARE), so every check fn makes sees
// all writes committed before it.
func (s *DB) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	err := s.writer.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`UPDATE registry_generation SET gen = gen + 1 WHERE id = 1`).Error; err != nil {
			return err
		}
		return fn(tx)
	})
	return s.translateIn(ctx, err)
}

// writeIssuance runs fn in one write transaction that changes the facts of one
// issuance only (its row, status, deployment, whitelist) and bumps that
// issuance's generation, so other issuances stay cached. On PostgreSQL it holds
// the shared generation row FOR SHARE first: shared writers (a seller
// suspended, an investor frozen) still serialise with it, so its checks see
// them, while writers of other issuances run beside it; the bump's row lock
// serialises writers of the same issuance. Locks are always taken shared row
// first, so the two kinds cannot deadlock.
func (s *DB) writeIssuance(ctx context.Context, issuanceID int64, fn func(tx *gorm.DB) error) error {
	err := s.writer.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.shareGeneration(tx); err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO issuance_generation (issuance_id, gen) VALUES (?, 1)
ON CONFLICT (issuance_id) DO UPDATE SET gen = issuance_generation.gen + 1`, issuanceID).Error; err != nil {
			return err
		}
		return fn(tx)
	})
	return s.translateIn(ctx, err)
}

// writeMirror runs fn, a mirror write, serialised like writeIssuance; fn bumps
// the token's mirror generation (bumpMirror) when it changes balances. Writers
// of one token already serialise on its checkpoint row.
func (s *DB) writeMirror(ctx context.Context, fn func(tx *gorm.DB) error) error {
	err := s.writer.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.shareGeneration(tx); err != nil {
			return err
		}
		return fn(tx)
	})
	return s.translateIn(ctx, err)
}

// bumpMirror tells readers that a token's mirrored balances changed: the
// holdings of its issuance are read again, its registry facts are not.
func bumpMirror(tx *gorm.DB, chainID int64, token string) error {
	return tx.Exec(`INSERT INTO mirror_generation (chain_id, token, gen) VALUES (?, ?, 1)
ON CONFLICT (chain_id, token) DO UPDATE SET gen = mirror_generation.gen + 1`, chainID, token).Error
}

// shareGeneration holds the shared generation row FOR SHARE on PostgreSQL
// (SQLite has one writer at a time anyway).
func (s *DB) shareGeneration(tx *gorm.DB) error {
	if s.dialect != Postgres {
		return nil
	}
	return tx.Exec(`SELECT gen FROM registry_generation WHERE id = 1 FOR SHARE`).Error
}

// writeState runs fn in one write transaction serialised like write, for state
// no cache holds (operations, sync batches): it takes the generation row's lock
// without bumping it, so polling does not flush readers' caches.
func (s *DB) writeState(ctx context.Context, fn func(tx *gorm.DB) error) error {
	err := s.writer.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if s.dialect == Postgres {
			if err := tx.Exec(`SELECT gen FROM registry_generation WHERE id = 1 FOR UPDATE`).Error; err != nil {
				return err
			}
		}
		return fn(tx)
	})
	return s.translateIn(ctx, err)
}

// read returns a session on the read pool.
func (s *DB) read(ctx context.Context) *gorm.DB { return s.reader.WithContext(ctx) }

// takeOfIssuance reads into row the record id of an issuance's child table (a
// lock, a transfer approval, a term change); one of another issuance, or none,
// is "<what> <id> not found".
func (s *DB) takeOfIssuance(db *gorm.DB, row any, issuanceID, id int64, what string) error {
	err := db.Where("id = ? AND issuance_id = ?", id, issuanceID).Take(row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return registry.Errorf(registry.ENOTFOUND, "%s %d not found", what, id)
	}
	return err // translated where the call's transaction or read ends
}

// translateIn is translate for a statement run under ctx: once ctx has ended,
// the driver's error says only that the connection was cut short (pgx reports
// a cancelled query as a closed connection), and the caller's cancellation is
// the truth, not an unreachable database. A domain error stands.
func (s *DB) translateIn(ctx context.Context, err error) error {
	var de *registry.Error
	if err != nil && ctx.Err() != nil && !errors.Is(err, ctx.Err()) && !errors.As(err, &de) {
		return fmt.Errorf("%w (%v)", ctx.Err(), err)
	}
	return s.translate(err)
}

// translate turns driver errors into domain errors.
func (s *DB) translate(err error) error {
	var de *registry.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &de):
		return err
	case errors.Is(err, gorm.ErrRecordNotFound):
		return registry.Errorf(registry.ENOTFOUND, "not found")
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return registry.Errorf(registry.ECONFLICT, "already exists")
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return registry.Errorf(registry.ECONFLICT, "refers to a missing record")
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case unreachable(err):
		return registry.Errorf(registry.EUNAVAILABLE, "the database is unreachable; retry shortly")
	}
	return fmt.Errorf("store: %w", err)
}

// unreachable reports an error that says the database could not be asked
// (down, restarting, connection lost), not that it refused the request: the
// API answers it with 503 and the node's workers wait it out.
func unreachable(err error) bool {
	var ne net.Error
	var ce *pgconn.ConnectError
	var pe *pgconn.PgError
	switch {
	case errors.Is(err, sql.ErrConnDone), errors.Is(err, driver.ErrBadConn), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &ne), errors.As(err, &ce):
		return true
	case errors.As(err, &pe):
		// Class 08: connection exception; 57P01-57P03: shutting down or starting up.
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	msg := err.Error()
	return strings.Contains(msg, "database is closed") || strings.Contains(msg, "conn closed") ||
		strings.Contains(msg, "connection refused") || strings.Contains(msg, "unexpected EOF")
}

// principal returns the caller or an error when the context carries none.
func principal(ctx context.Context) (*registry.Principal, error) {
	p := registry.PrincipalFrom(ctx)
	if p == nil {
		return nil, registry.Errorf(registry.EUNAUTHORIZED, "no authenticated caller")
	}
	return p, nil
}

func requireRole(p *registry.Principal, roles ...registry.Role) error {
	for _, r := range roles {
		if p.Role == r {
			return nil
		}
	}
	return registry.Errorf(registry.EFORBIDDEN, "role %s may not do this", p.Role)
}

// prepared prepares query on the reader pool once into *slot; a failed prepare
// (say, the database was briefly down) is retried on the next call, not
// remembered.
func (s *DB) prepared(ctx context.Context, slot **sql.Stmt, query string) (*sql.Stmt, error) {
	s.genMu.Lock()
	defer s.genMu.Unlock()
	if *slot != nil {
		return *slot, nil
	}
	db, err := s.reader.DB()
	if err != nil {
		return nil, err
	}
	stmt, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	*slot = stmt
	return stmt, nil
}

// rebind turns ? placeholders into PostgreSQL's $n for statements sent through
// database/sql directly (gorm does this itself).
func (s *DB) rebind(query string) string {
	if s.dialect != Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
