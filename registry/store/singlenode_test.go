package store_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/stonode/stonode/registry/store"
)

// TestASecondNodeOnOneSQLiteFileIsRefused: the node lock is exclusive per
// database file and is free again once released.
func TestASecondNodeOnOneSQLiteFileIsRefused(t *testing.T) {
	cfg := store.Config{DSN: filepath.Join(t.TempDir(), "stonode.db")}
	release, err := store.LockSingleNode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.LockSingleNode(cfg); !errors.Is(err, store.ErrSecondNode) {
		t.Fatalf("second node: %v, want ErrSecondNode", err)
	}
	if other, err := store.LockSingleNode(store.Config{DSN: filepath.Join(t.TempDir(), "other.db")}); err != nil {
		t.Fatalf("a node on another file: %v", err)
	} else {
		other()
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	again, err := store.LockSingleNode(cfg)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again()
	pg, err := store.LockSingleNode(store.Config{DSN: "postgres://postgres@127.0.0.1:5432/test"})
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	pg()
}
