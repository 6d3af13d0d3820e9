package store

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
)

// ErrSecondNode reports a second node started on a SQLite database that a
// node already serves.
var ErrSecondNode = errors.New("another stonode node already serves this SQLite database")

// LockSingleNode claims the right to serve the database in cfg as its one
// node, until release is called or the process ends (the kernel drops the
// lock with the process, so a crash never leaves it behind). SQLite is the
// single-node engine: two nodes would both run the chain work — two mirrors,
// two syncers, two senders with one key — so a second is refused. Short-lived
// commands (keys create, migrate) do not take the lock. On PostgreSQL it
// claims nothing: nodes there share the database.
func LockSingleNode(cfg Config) (release func() error, err error) {
	if strings.HasPrefix(cfg.DSN, "postgres://") || strings.HasPrefix(cfg.DSN, "postgresql://") {
		return func() error { return nil }, nil
	}
	path, err := sqlitePath(cfg)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path+".node-lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("node lock of %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w (%s): SQLite has one node; run several nodes on one PostgreSQL database", ErrSecondNode, path)
		}
		return nil, fmt.Errorf("node lock of %s: %w", path, err)
	}
	return f.Close, nil
}
