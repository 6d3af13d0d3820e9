// Command stonode is the registry node: it serves the REST API and administers
// the registry database.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/stonode/stonode/api"
	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/store"
)

const usage = `stonode — registry node for security token offerings

Usage:
  stonode serve        [--addr 127.0.0.1:8080] [--data-dir ./data] [--db DSN]
  stonode keys create  --role operator|reader [--name NAME] [--data-dir ./data] [--db DSN]
  stonode migrate      [--data-dir ./data] [--db DSN]

Every flag can also be set in the environment: STONODE_ADDR, STONODE_DATA_DIR,
STONODE_DB, STONODE_LOG_LEVEL. Flags win over the environment.
--db takes a postgres:// URL or a SQLite file path; empty means <data-dir>/stonode.db.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "stonode:", err)
		os.Exit(1)
	}
}

// config is the daemon's configuration from flags and environment.
type config struct {
	addr     string
	dataDir  string
	db       string
	logLevel string
}

func (c *config) register(fs *flag.FlagSet) {
	fs.StringVar(&c.dataDir, "data-dir", env("STONODE_DATA_DIR", "data"), "directory for the embedded SQLite database")
	fs.StringVar(&c.db, "db", env("STONODE_DB", ""), "database: postgres:// URL or SQLite path (default <data-dir>/stonode.db)")
	fs.StringVar(&c.logLevel, "log-level", env("STONODE_LOG_LEVEL", "info"), "debug, info, warn or error")
}

func env(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return fallback
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stderr)
	case "keys":
		if len(args) < 2 || args[1] != "create" {
			fmt.Fprint(stderr, usage)
			return errors.New("usage: stonode keys create --role operator|reader")
		}
		return createKey(ctx, args[2:], stdout, stderr)
	case "migrate":
		return migrate(ctx, args[1:], stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level: %w", err)
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l})), nil
}

func openStore(ctx context.Context, cfg config, log *slog.Logger) (*store.Store, error) {
	st, err := store.Open(ctx, store.Config{DSN: cfg.db, DataDir: cfg.dataDir, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return st, nil
}

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	var cfg config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.addr, "addr", env("STONODE_ADDR", "127.0.0.1:8080"), "listen address")
	cfg.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, err := newLogger(stderr, cfg.logLevel)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{
		Handler:           api.New(st, api.Options{Logger: log}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	log.Info("stonode serving", slog.String("addr", ln.Addr().String()), slog.String("db", string(st.Dialect())))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

func createKey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	var role, name string
	fs := flag.NewFlagSet("keys create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&role, "role", "", "operator or reader (seller keys are created over the API)")
	fs.StringVar(&name, "name", "created by stonode keys create", "a label for the key")
	cfg.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if role != string(registry.RoleOperator) && role != string(registry.RoleReader) {
		return errors.New("--role must be operator or reader")
	}
	log, err := newLogger(stderr, cfg.logLevel)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	// The command line acts as the association's console: whoever can run it can
	// read the database anyway.
	cli := registry.WithPrincipal(ctx, &registry.Principal{KeyID: "cli", Role: registry.RoleOperator})
	k, err := st.CreateKey(cli, registry.Role(role), nil, name)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, k.Secret)
	return nil
}

func migrate(ctx context.Context, args []string, stderr io.Writer) error {
	var cfg config
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, err := newLogger(stderr, cfg.logLevel)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	v, err := st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	log.Info("schema up to date", slog.Int("version", v))
	return nil
}
