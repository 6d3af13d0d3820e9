package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/stonode/stonode/registry/chain/devchain"
)

// anvilKeys are the private keys of anvil's default accounts #0..#9 (mnemonic
// "test test … junk"), hex without 0x: public test funds only, the same the
// embedded dev chain funds. startAnvil checks them against eth_accounts.
var anvilKeys = func() []string {
	var out []string
	for _, k := range devchain.TestKeys() {
		out = append(out, hex.EncodeToString(crypto.FromECDSA(k)))
	}
	return out
}()

const anvilChainID = 31337

// account is a funded anvil account.
type account struct {
	key  *ecdsa.PrivateKey
	addr common.Address
	hex  string // private key, hex without 0x
}

func anvilAccount(t *testing.T, i int) account {
	t.Helper()
	k, err := crypto.HexToECDSA(anvilKeys[i])
	if err != nil {
		t.Fatalf("anvil key #%d: %v", i, err)
	}
	return account{key: k, addr: crypto.PubkeyToAddress(k.PublicKey), hex: anvilKeys[i]}
}

// repoRoot is the module root (the directory holding go.mod).
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && bytes.Contains(b, []byte("module github.com/stonode/stonode")) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("cannot find the stonode module root above the working directory")
		}
		dir = parent
	}
}

// anvilBinary returns contracts/node_modules/.bin/anvil, failing under CI and
// skipping elsewhere when it is not installed.
func anvilBinary(t *testing.T, root string) string {
	t.Helper()
	p := filepath.Join(root, "contracts", "node_modules", ".bin", "anvil")
	if _, err := os.Stat(p); err != nil {
		msg := fmt.Sprintf("anvil not found at %s (%v): run `npm ci` in contracts/ (scripts/test.sh does)", p, err)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

// freePort asks the kernel for a free loopback port. Another process could
// take it before it is used; callers retry on a failed start.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// proc is a child process whose exit is observed once.
type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

func startProc(t *testing.T, name string, cmd *exec.Cmd) *proc {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	p := &proc{name: name, cmd: cmd, done: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	return p
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// signal sends sig and waits up to timeout for the exit, then SIGKILLs.
func (p *proc) stop(sig syscall.Signal, timeout time.Duration) error {
	if p.exited() {
		return nil
	}
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
		return nil
	case <-time.After(timeout):
		_ = p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("%s did not exit within %s of %v; killed", p.name, timeout, sig)
	}
}

// anvil is a running anvil devnet.
type anvil struct {
	url string
	rpc *rpc.Client
	eth *ethclient.Client
	p   *proc
}

func startAnvil(ctx context.Context, t *testing.T, bin string, extra ...string) *anvil {
	t.Helper()
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port := freePort(t)
		args := append([]string{"--host", "127.0.0.1", "--port", strconv.Itoa(port), "--chain-id", strconv.Itoa(anvilChainID)}, extra...)
		var out bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = io.Discard, &lockedWriter{w: &out}
		p := startProc(t, "anvil", cmd)
		url := fmt.Sprintf("http://127.0.0.1:%d", port)
		a, err := dialAnvil(ctx, url, p)
		if err == nil {
			t.Cleanup(func() {
				a.rpc.Close()
				_ = p.stop(syscall.SIGKILL, 5*time.Second)
			})
			return a
		}
		_ = p.stop(syscall.SIGKILL, 5*time.Second)
		lastErr = fmt.Errorf("%w (anvil stderr: %s)", err, strings.TrimSpace(out.String()))
	}
	t.Fatalf("start anvil: %v", lastErr)
	return nil
}

func dialAnvil(ctx context.Context, url string, p *proc) (*anvil, error) {
	deadline := time.Now().Add(15 * time.Second)
	for {
		if p.exited() {
			return nil, fmt.Errorf("anvil exited: %v", p.err)
		}
		c, err := rpc.DialContext(ctx, url)
		if err == nil {
			cctx, cancel := context.WithTimeout(ctx, time.Second)
			var id hexutil.Uint64
			err = c.CallContext(cctx, &id, "eth_chainId")
			cancel()
			if err == nil {
				return &anvil{url: url, rpc: c, eth: ethclient.NewClient(c), p: p}, nil
			}
			c.Close()
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("anvil at %s not answering after 15s: %v", url, err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (a *anvil) call(ctx context.Context, t *testing.T, result any, method string, args ...any) {
	t.Helper()
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := a.rpc.CallContext(cctx, result, method, args...); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
}

func (a *anvil) head(ctx context.Context, t *testing.T) uint64 {
	t.Helper()
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	n, err := a.eth.BlockNumber(cctx)
	if err != nil {
		t.Fatalf("eth_blockNumber: %v", err)
	}
	return n
}

func (a *anvil) header(ctx context.Context, t *testing.T, n uint64) *types.Header {
	t.Helper()
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	h, err := a.eth.HeaderByNumber(cctx, new(big.Int).SetUint64(n))
	if err != nil {
		t.Fatalf("header %d: %v", n, err)
	}
	return h
}

func (a *anvil) nonce(ctx context.Context, t *testing.T, addr common.Address, block *big.Int) uint64 {
	t.Helper()
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	n, err := a.eth.NonceAt(cctx, addr, block)
	if err != nil {
		t.Fatalf("nonce of %s: %v", addr, err)
	}
	return n
}

// signTx signs a call of data on to with an explicit nonce and gas limit (no
// estimate, so a transaction that will revert is still sent and mined).
func signTx(t *testing.T, from account, to common.Address, data []byte, nonce, gas uint64) *types.Transaction {
	t.Helper()
	tx, err := signTxErr(from, to, data, nonce, gas)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return tx
}

// signTxErr is signTx for goroutines other than the test's.
func signTxErr(from account, to common.Address, data []byte, nonce, gas uint64) (*types.Transaction, error) {
	return types.SignNewTx(from.key, types.LatestSignerForChainID(big.NewInt(anvilChainID)), &types.DynamicFeeTx{
		ChainID: big.NewInt(anvilChainID), Nonce: nonce, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(100e9),
		Gas: gas, To: &to, Data: data,
	})
}

func (a *anvil) send(ctx context.Context, tx *types.Transaction) error {
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return a.eth.SendTransaction(cctx, tx)
}

// receipt polls for a receipt every 10 ms until the deadline.
func (a *anvil) receipt(ctx context.Context, t *testing.T, hash common.Hash) *types.Receipt {
	t.Helper()
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		r, err := a.eth.TransactionReceipt(cctx, hash)
		if err == nil {
			return r
		}
		if !errors.Is(err, ethereum.NotFound) && cctx.Err() == nil {
			t.Fatalf("receipt %s: %v", hash, err)
		}
		select {
		case <-cctx.Done():
			t.Fatalf("no receipt for %s within 30s", hash)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// mustSucceed waits for every transaction and fails on a revert.
func (a *anvil) mustSucceed(ctx context.Context, t *testing.T, hashes ...common.Hash) []*types.Receipt {
	t.Helper()
	out := make([]*types.Receipt, len(hashes))
	for i, h := range hashes {
		r := a.receipt(ctx, t, h)
		if r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("transaction %s reverted (block %d)", h, r.BlockNumber)
		}
		out[i] = r
	}
	return out
}

// transactAs sends one call from an account whose nonce others may also use
// (the node key): it reads the pending nonce and retries if it lost a race.
func (a *anvil) transactAs(ctx context.Context, t *testing.T, from account, to common.Address, data []byte, gas uint64) *types.Receipt {
	t.Helper()
	var lastErr error
	for attempt := 0; attempt < 10; attempt++ {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		nonce, err := a.eth.PendingNonceAt(cctx, from.addr)
		cancel()
		if err != nil {
			t.Fatalf("nonce of %s: %v", from.addr, err)
		}
		tx := signTx(t, from, to, data, nonce, gas)
		if lastErr = a.send(ctx, tx); lastErr == nil {
			return a.mustSucceed(ctx, t, tx.Hash())[0]
		}
		msg := strings.ToLower(lastErr.Error())
		if !strings.Contains(msg, "nonce") && !strings.Contains(msg, "already") && !strings.Contains(msg, "underpriced") {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("send from %s to %s: %v", from.addr, to, lastErr)
	return nil
}

// lockedWriter serialises writes of concurrent goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// rpcProxy sits between stonode and anvil. Like a hosted provider it refuses
// eth_getLogs over more than maxSpan blocks with -32005, so backfills proceed
// in many small ranges; and on request it holds eth_getLogs calls after a
// number of forwarded ones, so a test can kill stonode at a known point in a
// backfill instead of guessing with sleeps.
type rpcProxy struct {
	target  string
	maxSpan uint64
	srv     *httptest.Server
	client  *http.Client
	closing chan struct{}

	mu        sync.Mutex
	holdAfter int // -1: never hold
	forwarded int // eth_getLogs forwarded since the last HoldGetLogsAfter
	held      chan struct{}
	release   chan struct{}
	refused   int
}

func startProxy(t *testing.T, target string, maxSpan uint64) *rpcProxy {
	t.Helper()
	p := &rpcProxy{target: target, maxSpan: maxSpan, holdAfter: -1, closing: make(chan struct{}),
		held: make(chan struct{}, 1), release: make(chan struct{}),
		client: &http.Client{Timeout: 60 * time.Second}}
	p.srv = httptest.NewServer(p) // 127.0.0.1:0
	t.Cleanup(func() { close(p.closing); p.srv.Close() })
	return p
}

// HoldGetLogsAfter forwards n more eth_getLogs calls, then holds the following
// ones until Release, the client going away, or the proxy closing. Held
// signals (once) when a call is being held.
func (p *rpcProxy) HoldGetLogsAfter(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.holdAfter, p.forwarded = n, 0
	p.release = make(chan struct{})
	select {
	case <-p.held:
	default:
	}
}

func (p *rpcProxy) Held() <-chan struct{} { return p.held }

// Release stops holding and lets held calls through.
func (p *rpcProxy) Release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.holdAfter >= 0 {
		p.holdAfter = -1
		close(p.release)
	}
}

func (p *rpcProxy) Refused() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refused
}

func (p *rpcProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var req struct {
		ID     json.RawMessage   `json:"id"`
		Method string            `json:"method"`
		Params []json.RawMessage `json:"params"`
	}
	if json.Unmarshal(body, &req) == nil && req.Method == "eth_getLogs" {
		if span, ok := logsSpan(req.Params); ok && span > p.maxSpan {
			p.mu.Lock()
			p.refused++
			p.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32005,"message":"query returned more than 10000 results; range over %d blocks"}}`,
				string(req.ID), p.maxSpan)
			return
		}
		p.mu.Lock()
		hold := p.holdAfter >= 0 && p.forwarded >= p.holdAfter
		release := p.release
		if !hold {
			p.forwarded++
		}
		p.mu.Unlock()
		if hold {
			select {
			case p.held <- struct{}{}:
			default:
			}
			select {
			case <-release:
			case <-r.Context().Done():
				return
			case <-p.closing:
				http.Error(w, "proxy closing", http.StatusServiceUnavailable)
				return
			}
		}
	}
	relay(w, r, p.client, p.target, body, nil)
}

// relay forwards a JSON-RPC body to target and the answer back; answered, if
// set, runs once the target has answered and before the client hears it.
func relay(w http.ResponseWriter, r *http.Request, client *http.Client, target string, body []byte, answered func()) {
	out, err := http.NewRequestWithContext(r.Context(), http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	if answered != nil {
		answered()
	}
	w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// logsSpan is the block count of an eth_getLogs filter with a numeric range.
func logsSpan(params []json.RawMessage) (uint64, bool) {
	if len(params) != 1 {
		return 0, false
	}
	var f struct {
		From *hexutil.Uint64 `json:"fromBlock"`
		To   *hexutil.Uint64 `json:"toBlock"`
	}
	if json.Unmarshal(params[0], &f) != nil || f.From == nil || f.To == nil || *f.To < *f.From {
		return 0, false
	}
	return uint64(*f.To-*f.From) + 1, true
}

// stonode is the daemon under test, started and stopped as a process.
type stonode struct {
	t       *testing.T
	bin     string
	dataDir string
	addr    string
	rpcURL  string
	nodeKey string
	confirm int
	// logLevel is the daemon's --log-level; "" means warn.
	logLevel string
	// db is the daemon's --db; "" means SQLite in the data dir.
	db      string
	logPath string
	p       *proc
	starts  int

	// extraArgs and extraEnv go to `serve` after the harness's own (e.g.
	// --writer-key-file, STONODE_AGENT_KEY=...).
	extraArgs, extraEnv []string
}

func buildStonode(ctx context.Context, t *testing.T, root, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "stonode")
	bctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(bctx, "go", "build", "-o", bin, "./cmd/stonode")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/stonode: %v\n%s", err, out)
	}
	return bin
}

// run executes a short stonode subcommand and returns its stdout.
func (s *stonode) run(ctx context.Context, args ...string) string {
	s.t.Helper()
	cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(cctx, s.bin, args...)
	cmd.Env = s.env()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		s.t.Fatalf("stonode %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// env is the daemon's environment: nothing STONODE_* inherited, the node key
// only in STONODE_KEY.
func (s *stonode) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "STONODE_") {
			env = append(env, kv)
		}
	}
	return append(append(env, "STONODE_KEY="+s.nodeKey), s.extraEnv...)
}

// start runs `stonode serve` and waits for /readyz.
func (s *stonode) start(ctx context.Context) {
	s.t.Helper()
	if s.p != nil && !s.p.exited() {
		s.t.Fatal("stonode is already running")
	}
	s.starts++
	logf, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		s.t.Fatal(err)
	}
	fmt.Fprintf(logf, "---- start %d\n", s.starts)
	level := s.logLevel
	if level == "" {
		level = "warn"
	}
	args := []string{"serve", "--addr", s.addr, "--data-dir", s.dataDir, "--rpc", s.rpcURL,
		"--confirmations", strconv.Itoa(s.confirm), "--log-level", level}
	if s.db != "" {
		args = append(args, "--db", s.db)
	}
	args = append(args, s.extraArgs...)
	cmd := exec.Command(s.bin, args...)
	cmd.Env = s.env()
	cmd.Stdout, cmd.Stderr = logf, logf
	s.p = startProc(s.t, "stonode", cmd)
	_ = logf.Close() // the child holds its own descriptor
	// A loaded CI machine (the race detector on every package at once) can
	// take long to start; the last /readyz answer says why if it never came.
	deadline := time.Now().Add(60 * time.Second)
	client := &http.Client{Timeout: 2 * time.Second}
	last := "no answer"
	for {
		if s.p.exited() {
			s.t.Fatalf("stonode exited during start-up: %v\n%s", s.p.err, s.logTail(30))
		}
		resp, err := client.Get("http://" + s.addr + "/readyz")
		if err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			last = fmt.Sprintf("%d %s", resp.StatusCode, body)
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("stonode not ready at %s after 60s (last /readyz: %s)\n%s", s.addr, last, s.logTail(30))
		}
		select {
		case <-ctx.Done():
			s.t.Fatal(ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// stop ends the daemon: SIGTERM for a graceful stop, SIGKILL for a crash.
func (s *stonode) stop(sig syscall.Signal) {
	s.t.Helper()
	if s.p == nil {
		return
	}
	if err := s.p.stop(sig, 20*time.Second); err != nil {
		s.t.Fatal(err)
	}
	if sig == syscall.SIGTERM && s.p.err != nil {
		s.t.Fatalf("stonode exited with %v after SIGTERM\n%s", s.p.err, s.logTail(30))
	}
}

func (s *stonode) logTail(n int) string {
	f, err := os.Open(s.logPath)
	if err != nil {
		return "(no log)"
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return "stonode log (last lines):\n" + strings.Join(lines, "\n")
}

// apiClient calls the REST API.
type apiClient struct {
	t    *testing.T
	base string
	hc   *http.Client
}

type apiResponse struct {
	status int
	raw    []byte
}

func (r apiResponse) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.raw, v); err != nil {
		t.Fatalf("decode %s: %v", r.raw, err)
	}
}

func (c *apiClient) do(ctx context.Context, method, path, key string, body any) apiResponse {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(cctx, method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return apiResponse{status: resp.StatusCode, raw: raw}
}

// must calls the API and fails unless the status is want; out (if not nil)
// receives the decoded body.
func (c *apiClient) must(ctx context.Context, want int, method, path, key string, body, out any) {
	c.t.Helper()
	r := c.do(ctx, method, path, key, body)
	if r.status != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.raw)
	}
	if out != nil {
		r.decode(c.t, out)
	}
}

// eventually polls cond every interval until it reports true, failing with
// the last description after timeout.
func eventually(ctx context.Context, t *testing.T, timeout, interval time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s; last state: %s", timeout, what, state)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v (last state: %s)", what, ctx.Err(), state)
		case <-time.After(interval):
		}
	}
}
