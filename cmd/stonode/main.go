// Command stonode is the registry node: it serves the REST API and administers
// the registry database.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/stonode/stonode/api"
	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/webhook"
)

const usage = `stonode — registry node for security token offerings

Usage:
  stonode serve        [--addr 127.0.0.1:8080] [--data-dir ./data] [--db DSN]
                       [--chain sim [--chain-rpc-addr 127.0.0.1:8545] | --rpc URL --key-file PATH]
                       [--confirmations N] [--max-reorg-depth 64] [--head-stall-after 60s]
                       [--stuck-blocks 5] [--node-id ID]
  stonode keys create  --role operator|reader [--name NAME] [--data-dir ./data] [--db DSN]
  stonode migrate      [--data-dir ./data] [--db DSN]
  stonode data-key     rotate [--new-key] | status | generate   [--data-key-file PATH]
                       (re-wraps personal data under the current master key; see data-key help)
  stonode reconcile    --issuance ID [--repair] [--url http://127.0.0.1:8080]
                       (asks a running node; the API key is read from STONODE_API_KEY)

Every flag can also be set in the environment: STONODE_ADDR, STONODE_DATA_DIR,
STONODE_DB, STONODE_LOG_LEVEL, STONODE_CHAIN, STONODE_CHAIN_RPC_ADDR, STONODE_RPC,
STONODE_KEY_FILE, STONODE_CONFIRMATIONS, STONODE_MAX_REORG_DEPTH, STONODE_HEAD_STALL_AFTER,
STONODE_STUCK_BLOCKS, STONODE_NODE_ID, STONODE_DATA_KEY_FILE. Flags win over the environment.
--db takes a postgres:// URL or a SQLite file path; empty means <data-dir>/stonode.db.
--chain sim (the default) runs an embedded single-node dev chain (chain id 1337) stored in
<data-dir>/chain: it survives restarts and crashes and resumes where it stopped. Its funded dev
key (the node's signing key) is kept in <data-dir>/dev.key; anvil's ten test accounts
(mnemonic "test test ... junk") are funded too. It seals a block as soon as a transaction
arrives and an empty one every second. --chain-rpc-addr serves its JSON-RPC on a loopback
address for cast and wallets (empty disables).
--rpc connects to a JSON-RPC endpoint instead (anvil, geth); the node's signing key is read
from --key-file or, without one, from STONODE_KEY (hex), never from a flag's value.
The whitelist writer, the token agent and the contracts' admin may each have a key of their own:
--writer-key-file, --agent-key-file, --admin-key-file (or STONODE_WRITER_KEY, STONODE_AGENT_KEY,
STONODE_ADMIN_KEY); each defaults to the node's key. The admin key deploys; the admin role can be
handed to the issuer afterwards (POST /v1/issuances/{id}/deployment/admin).
Every deployment records its chain's id and genesis hash; if the node's chain no longer matches
(a reset devnet, --rpc pointing elsewhere) or a reorg goes deeper than --max-reorg-depth, that
issuance's chain work halts with an alert and /readyz says why; its register is kept as last
confirmed until the deployment is retired (POST /v1/issuances/{id}/deployment/retire).
Personal data is sealed (AES-256-GCM, per-record data keys) under master keys read from
--data-key-file or STONODE_DATA_KEY (the keyring text), never from a flag's value; a SQLite node
with neither keeps one in <data-dir>/data.key, made on first start.
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
	chain    string
	chainRPC string
	rpc      string
	keyFile  string
	confirms uint64
	maxReorg uint64
	stall    time.Duration
	stuck    uint64
	nodeID   string

	// dataKeyFile is the keyring of personal data's master keys (datakey.go).
	dataKeyFile string

	// roleKeyFiles: the writer, agent and admin keys (keys.go), each
	// defaulting to the node's key.
	roleKeyFiles map[chain.KeyRole]*string
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
	case "data-key":
		return dataKey(ctx, args[1:], stdout, stderr)
	case "reconcile":
		return reconcile(ctx, args[1:], stdout, stderr)
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

func openStore(ctx context.Context, cfg config, log *slog.Logger) (*store.DB, error) {
	st, err := store.Open(ctx, store.Config{DSN: cfg.db, DataDir: cfg.dataDir, Logger: log, Rules: eligibility.Rules{}})
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
	fs.StringVar(&cfg.chain, "chain", env("STONODE_CHAIN", "sim"), "sim: embedded dev chain stored in <data-dir>/chain; ignored when --rpc is set")
	fs.StringVar(&cfg.chainRPC, "chain-rpc-addr", env("STONODE_CHAIN_RPC_ADDR", "127.0.0.1:8545"),
		"loopback address serving the embedded chain's JSON-RPC (empty disables)")
	fs.StringVar(&cfg.rpc, "rpc", env("STONODE_RPC", ""), "JSON-RPC endpoint of the chain (http://, ws://)")
	fs.StringVar(&cfg.keyFile, "key-file", env("STONODE_KEY_FILE", ""), "file holding the node's hex private key (with --rpc)")
	registerRoleKeys(fs, &cfg)
	confirms, err := strconv.ParseUint(env("STONODE_CONFIRMATIONS", "0"), 10, 64)
	if err != nil {
		return fmt.Errorf("STONODE_CONFIRMATIONS: %w", err)
	}
	fs.Uint64Var(&cfg.confirms, "confirmations", confirms, "blocks behind the head the transfer mirror waits before ingesting")
	maxReorg, err := strconv.ParseUint(env("STONODE_MAX_REORG_DEPTH", strconv.Itoa(chain.DefaultMaxReorgDepth)), 10, 64)
	if err != nil {
		return fmt.Errorf("STONODE_MAX_REORG_DEPTH: %w", err)
	}
	fs.Uint64Var(&cfg.maxReorg, "max-reorg-depth", maxReorg, "deepest reorg the mirror follows; a deeper one halts the issuance's chain work")
	stall, err := time.ParseDuration(env("STONODE_HEAD_STALL_AFTER", "60s"))
	if err != nil {
		return fmt.Errorf("STONODE_HEAD_STALL_AFTER: %w", err)
	}
	fs.DurationVar(&cfg.stall, "head-stall-after", stall, "not ready when the chain head has not advanced for this long (0 disables)")
	stuck, err := strconv.ParseUint(env("STONODE_STUCK_BLOCKS", "5"), 10, 64)
	if err != nil {
		return fmt.Errorf("STONODE_STUCK_BLOCKS: %w", err)
	}
	fs.Uint64Var(&cfg.stuck, "stuck-blocks", stuck, "blocks a sent transaction may wait before it is replaced with higher fees")
	fs.StringVar(&cfg.nodeID, "node-id", env("STONODE_NODE_ID", ""), "this node's name on the operations it runs (default: kept in <data-dir>/node.id)")
	dataKeyFlag(fs, &cfg)
	cfg.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, err := newLogger(stderr, cfg.logLevel)
	if err != nil {
		return err
	}
	release, err := store.LockSingleNode(store.Config{DSN: cfg.db, DataDir: cfg.dataDir})
	if err != nil {
		return err
	}
	defer release()
	db, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	// One database handle, one service per concern on it.
	registrySvc := store.NewRegistry(db)
	outbox := store.NewOutbox(db)
	mirrorSvc := store.NewMirror(db)
	operations := store.NewOperations(db)
	dataKeys, err := loadDataKeys(ctx, cfg, db, log)
	if err != nil {
		return err
	}
	records := store.NewRecords(db, dataKeys)
	termsSvc, webhooksSvc := store.NewTerms(db), store.NewWebhooks(db)

	conn, err := openChain(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := setRoleKeys(ctx, conn, cfg, log); err != nil {
		return err
	}
	metricsRegistry := api.NewMetricsRegistry()
	if cfg.nodeID == "" {
		if cfg.nodeID, err = loadOrCreateNodeID(filepath.Join(cfg.dataDir, "node.id")); err != nil {
			return err
		}
	}
	stores := chain.Stores{Registry: registrySvc, Outbox: outbox, Mirror: mirrorSvc, Operations: operations}
	if db.Dialect() == store.Postgres {
		// Nodes on one PostgreSQL database split the chain work by leases.
		stores.Leases = store.NewLeases(db)
	}
	node := chain.NewNode(conn, stores,
		chain.NodeConfig{Confirmations: cfg.confirms, MaxReorgDepth: cfg.maxReorg,
			HeadStallAfter: cfg.stall, StuckBlocks: cfg.stuck, NodeID: cfg.nodeID, Controls: store.NewControls(db)}, metricsRegistry, log)
	attrs := []any{slog.Int64("chainId", conn.ChainID), slog.String("nodeAddress", conn.From.Hex())}
	if dev := conn.DevChain(); dev != nil {
		attrs = append(attrs, slog.String("chainDir", filepath.Join(cfg.dataDir, "chain")), slog.String("chainRpc", dev.RPCURL()))
	}
	log.Info("chain connected", attrs...)

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	workCtx, stopWork := context.WithCancel(ctx)
	var work sync.WaitGroup
	work.Add(1)
	go func() { defer work.Done(); node.Run(workCtx) }()
	// Scheduled term changes fall due, and the webhook outbox drains, beside
	// the chain work; both resume from the database after a restart.
	deliveries := webhook.New(webhooksSvc, webhook.Config{Metrics: metricsRegistry}, log)
	work.Add(2)
	go func() { defer work.Done(); deliveries.Run(workCtx) }()
	go func() {
		defer work.Done()
		registry.RunTermSchedule(workCtx, termsSvc, 5*time.Second, time.Now, log, nil)
	}()
	defer func() { stopWork(); work.Wait() }()

	srv := &http.Server{
		Handler: api.New(registrySvc, api.Options{Logger: log, Chain: node.Ops, Metrics: metricsRegistry,
			Deployments: operations, Mirror: mirrorSvc, Readiness: node.Readiness, Nodes: node.Leases, Records: records,
			Bulk:     records, // bulk onboarding seals rows' personal data with the records' keys
			Controls: node.Ops, Terms: termsSvc, Webhooks: webhooksSvc, WakeWebhooks: deliveries.Wake}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		// Requests outlive the shutdown signal: Shutdown lets them finish.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	log.Info("stonode serving", slog.String("addr", ln.Addr().String()), slog.String("db", string(db.Dialect())))
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

// loadOrCreateNodeID reads the node's id from path, creating a random one the
// first time: a restarted node recognises the operations it left RUNNING and
// resumes them at once.
func loadOrCreateNodeID(path string) (string, error) {
	if b, err := os.ReadFile(path); err == nil {
		if id := strings.TrimSpace(string(b)); id != "" {
			return id, nil
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("create data dir: %w", err)
	}
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	id := "node-" + hex.EncodeToString(b[:])
	if err := os.WriteFile(path, []byte(id+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write node id: %w", err)
	}
	return id, nil
}

// openChain connects to the configured chain.
func openChain(ctx context.Context, cfg config) (*chain.Conn, error) {
	if cfg.rpc != "" {
		key, err := chain.LoadKey(cfg.keyFile, "STONODE_KEY")
		if err != nil {
			return nil, err
		}
		return chain.Dial(ctx, cfg.rpc, key)
	}
	if cfg.chain != "sim" {
		return nil, fmt.Errorf("--chain must be sim, or give --rpc")
	}
	if err := os.MkdirAll(cfg.dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	key, err := chain.LoadOrCreateKey(filepath.Join(cfg.dataDir, "dev.key"))
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(cfg.dataDir, "chain")
	conn, err := chain.OpenDev(ctx, dir, key, cfg.chainRPC, time.Second)
	if err != nil && cfg.chainRPC != "" && strings.Contains(err.Error(), "address already in use") {
		return nil, fmt.Errorf("%w (is another chain, e.g. anvil, on %s? set --chain-rpc-addr to another port, or empty)", err, cfg.chainRPC)
	}
	return conn, err
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
	k, err := store.NewRegistry(st).CreateKey(cli, registry.Role(role), nil, name)
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

// reconcile asks a running node to compare an issuance's on-chain registry with
// the database (and with --repair to queue the drifted wallets), and prints the
// report. It goes through the API because the node owns the chain connection
// (with --chain sim, the chain lives inside the serving process).
func reconcile(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("reconcile", flag.ContinueOnError)
	fs.SetOutput(stderr)
	issuance := fs.Int64("issuance", 0, "issuance id")
	repair := fs.Bool("repair", false, "queue drifted wallets for the whitelist sync")
	base := fs.String("url", env("STONODE_URL", "http://127.0.0.1:8080"), "the node's base URL")
	if err := fs.Parse(args); err != nil {
		return err
	}
	key := os.Getenv("STONODE_API_KEY")
	if *issuance <= 0 || key == "" {
		return errors.New("usage: STONODE_API_KEY=<key> stonode reconcile --issuance ID [--repair]")
	}
	method := http.MethodGet
	if *repair {
		method = http.MethodPost
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, fmt.Sprintf("%s/v1/issuances/%d/reconcile", *base, *issuance), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, strings.TrimSpace(string(body)))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("reconcile: %s", resp.Status)
	}
	return nil
}
