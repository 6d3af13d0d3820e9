// Package storetest opens real databases for tests: a fresh SQLite file, and a
// fresh schema on the PostgreSQL server named by STONODE_TEST_POSTGRES
// (default postgres://postgres@127.0.0.1:5432/test?sslmode=disable).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for schema set-up

	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/store"
)

// DefaultPostgres is the test server on these machines and in CI.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Engines lists the database engines every store test runs on. PostgreSQL is
// left out only when STONODE_TEST_POSTGRES=skip, which CI refuses.
func Engines(t testing.TB) []store.Dialect {
	if os.Getenv("STONODE_TEST_POSTGRES") == "skip" {
		if os.Getenv("CI") != "" {
			t.Fatal("STONODE_TEST_POSTGRES=skip is not allowed in CI: the suite must run on PostgreSQL")
		}
		return []store.Dialect{store.SQLite}
	}
	return []store.Dialect{store.SQLite, store.Postgres}
}

// DSN returns a DSN for a fresh, empty database of the given engine that is
// removed when the test ends.
func DSN(t testing.TB, engine store.Dialect) string {
	t.Helper()
	if engine == store.SQLite {
		return filepath.Join(t.TempDir(), "stonode.db")
	}
	base := os.Getenv("STONODE_TEST_POSTGRES")
	if base == "" {
		base = DefaultPostgres
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		t.Fatalf("PostgreSQL at %s is not reachable (%v); start it, point STONODE_TEST_POSTGRES at one, or set STONODE_TEST_POSTGRES=skip outside CI", base, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, _ = admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", base, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Stores is every service on one database handle, for tests that drive
// several of them through one value (a node wires each one on its own).
type Stores struct {
	*store.DB
	*store.Registry
	*store.Outbox
	*store.Mirror
	*store.Operations
	*store.Controls
}

// New builds every service on db.
func New(db *store.DB) *Stores {
	return &Stores{DB: db, Registry: store.NewRegistry(db), Outbox: store.NewOutbox(db),
		Mirror: store.NewMirror(db), Operations: store.NewOperations(db), Controls: store.NewControls(db)}
}

// Open returns the services on a fresh, migrated database of the given engine.
func Open(t testing.TB, engine store.Dialect, clock func() time.Time) *Stores {
	t.Helper()
	db, err := store.Open(context.Background(), store.Config{DSN: DSN(t, engine), Clock: clock, Rules: eligibility.Rules{}})
	if err != nil {
		t.Fatalf("open %s store: %v", engine, err)
	}
	t.Cleanup(func() { db.Close() })
	return New(db)
}

// Clock is a settable test clock, safe to read from server goroutines.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// OpenConfig opens cfg's database and builds every service on it, for tests
// that choose their own DSN (two handles on one database, a reopen).
func OpenConfig(ctx context.Context, cfg store.Config) (*Stores, error) {
	db, err := store.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return New(db), nil
}

// Chain is the services as the chain work takes them.
func (s *Stores) Chain() chain.Stores {
	return chain.Stores{Registry: s.Registry, Outbox: s.Outbox, Mirror: s.Mirror, Operations: s.Operations}
}
