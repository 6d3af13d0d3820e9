package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/stonode/stonode/registry/sealing"
	"github.com/stonode/stonode/registry/store"
)

// The master keys personal data is sealed under (registry/sealing): read from
// --data-key-file, or from STONODE_DATA_KEY (the keyring text itself), never
// from a flag's value. A node on a SQLite database with neither keeps one in
// <data-dir>/data.key, made on first start, as the embedded dev chain keeps its
// key; a PostgreSQL node (possibly one of several) must be given its keys, or
// its personal data routes answer 503.

const dataKeyEnv = "STONODE_DATA_KEY"

func dataKeyFlag(fs *flag.FlagSet, cfg *config) {
	fs.StringVar(&cfg.dataKeyFile, "data-key-file", env("STONODE_DATA_KEY_FILE", ""),
		"keyring file of the master keys personal data is sealed under (else "+dataKeyEnv+")")
}

// loadDataKeys returns the node's keyring, nil when it has none (a PostgreSQL
// node without keys).
func loadDataKeys(ctx context.Context, cfg config, db *store.DB, log *slog.Logger) (*sealing.Keyring, error) {
	if cfg.dataKeyFile != "" {
		k, err := sealing.Load(cfg.dataKeyFile)
		if err != nil {
			return nil, fmt.Errorf("--data-key-file: %w", err)
		}
		return k, nil
	}
	if text, ok := os.LookupEnv(dataKeyEnv); ok {
		k, err := sealing.Parse(text)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", dataKeyEnv, err)
		}
		return k, nil
	}
	if db.Dialect() != store.SQLite {
		log.Warn("no data key (--data-key-file or " + dataKeyEnv + "): personal data and the register's names are unavailable")
		return nil, nil
	}
	path := filepath.Join(cfg.dataDir, "data.key")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		// A new key for a database that already holds sealed records would
		// leave them unreadable: the key file was lost, and must be restored.
		use, err := store.NewRecords(db, nil).PersonalKeyUse(ctx)
		if err != nil {
			return nil, err
		}
		if len(use) > 0 {
			return nil, fmt.Errorf("data key: %s is missing, but the database holds personal data sealed under %d master key(s); restore the key file (or give --data-key-file / %s)", path, len(use), dataKeyEnv)
		}
		if err := os.MkdirAll(cfg.dataDir, 0o700); err != nil {
			return nil, fmt.Errorf("data key: %w", err)
		}
		if _, err := sealing.AppendKey(path, time.Now()); err != nil {
			return nil, err
		}
		log.Warn("created a data key for personal data; back it up with the database, or the data is lost", slog.String("path", path))
	}
	return sealing.Load(path)
}

const dataKeyUsage = `Usage:
  stonode data-key rotate   [--data-key-file PATH] [--new-key] [--data-dir ./data] [--db DSN]
  stonode data-key status   [--data-key-file PATH] [--data-dir ./data] [--db DSN]
  stonode data-key generate

rotate re-wraps the data key of every personal data record not under the keyring's current
(last) master key, in small transactions: a running node keeps reading throughout, since each
record opens under its old or its new key and the node re-reads its key file when it changes.
--new-key first appends a fresh master key to the key file (atomically), making it the current
one. With STONODE_DATA_KEY instead of a file, put the new key last in it (generate prints
one), give running nodes the new value, then rotate. status counts the records under each
master key: a key no record uses can be removed from the keyring.
`

func dataKey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, dataKeyUsage)
		return errors.New("usage: stonode data-key rotate|status|generate")
	}
	if args[0] == "generate" {
		_, entry, err := sealing.NewKeyEntry(time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, entry)
		return nil
	}
	if args[0] != "rotate" && args[0] != "status" {
		fmt.Fprint(stderr, dataKeyUsage)
		return fmt.Errorf("unknown data-key command %q", args[0])
	}
	var cfg config
	fs := flag.NewFlagSet("data-key "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataKeyFlag(fs, &cfg)
	newKey := false
	if args[0] == "rotate" {
		fs.BoolVar(&newKey, "new-key", false, "append a fresh master key to --data-key-file first and rotate to it")
	}
	cfg.register(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	log, err := newLogger(stderr, cfg.logLevel)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if newKey {
		if cfg.dataKeyFile == "" && db.Dialect() == store.SQLite && os.Getenv(dataKeyEnv) == "" {
			cfg.dataKeyFile = filepath.Join(cfg.dataDir, "data.key")
		}
		if cfg.dataKeyFile == "" {
			return errors.New("--new-key needs the key file (--data-key-file) to add the key to")
		}
		id, err := sealing.AppendKey(cfg.dataKeyFile, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added master key %s to %s\n", id, cfg.dataKeyFile)
	}
	keys, err := loadDataKeys(ctx, cfg, db, log)
	if err != nil {
		return err
	}
	if keys == nil {
		return errors.New("no data key: give --data-key-file or " + dataKeyEnv)
	}
	recs := store.NewRecords(db, keys)
	if args[0] == "rotate" {
		start := time.Now()
		n, err := recs.RotateDataKeys(ctx, 500)
		if err != nil {
			return fmt.Errorf("rotate (%d records re-wrapped before the failure; run it again to finish): %w", n, err)
		}
		fmt.Fprintf(stdout, "re-wrapped %d personal data records under master key %s in %s\n", n, keys.CurrentID(), time.Since(start).Round(time.Millisecond))
	}
	use, err := recs.PersonalKeyUse(ctx)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(use))
	for id := range use {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		mark := ""
		if id == keys.CurrentID() {
			mark = " (current)"
		}
		fmt.Fprintf(stdout, "%s: %d records%s\n", id, use[id], mark)
	}
	return nil
}
