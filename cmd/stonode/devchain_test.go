package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry/chain/devchain"
)

// runMainEnv makes the test binary act as stonode itself, so the tests can run
// the daemon as a process (and kill -9 it) without a separate go build.
const runMainEnv = "STONODE_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// daemon is `stonode serve` on the embedded chain, run as a child process.
type daemon struct {
	t       *testing.T
	dataDir string
	addr    string // API
	rpcAddr string // the dev chain's JSON-RPC
	logPath string
	cmd     *exec.Cmd
	done    chan error
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func (d *daemon) start(ctx context.Context) {
	d.t.Helper()
	logf, err := os.OpenFile(d.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		d.t.Fatal(err)
	}
	defer logf.Close() // the child holds its own descriptor
	d.cmd = exec.Command(os.Args[0], "serve", "--addr", d.addr, "--data-dir", d.dataDir,
		"--chain-rpc-addr", d.rpcAddr, "--log-level", "warn")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "STONODE_") {
			d.cmd.Env = append(d.cmd.Env, kv)
		}
	}
	d.cmd.Env = append(d.cmd.Env, runMainEnv+"=1")
	d.cmd.Stdout, d.cmd.Stderr = logf, logf
	if err := d.cmd.Start(); err != nil {
		d.t.Fatal(err)
	}
	d.done = make(chan error, 1)
	go func(cmd *exec.Cmd, done chan error) { done <- cmd.Wait() }(d.cmd, d.done)
	hc := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-d.done:
			d.t.Fatalf("stonode exited during start-up: %v\n%s", err, d.logTail())
		default:
		}
		if resp, err := hc.Get("http://" + d.addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			d.t.Fatalf("stonode not ready at %s\n%s", d.addr, d.logTail())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop sends sig and waits for the exit; after SIGTERM the exit must be clean.
func (d *daemon) stop(sig syscall.Signal) {
	d.t.Helper()
	if d.cmd == nil {
		return
	}
	_ = d.cmd.Process.Signal(sig)
	select {
	case err := <-d.done:
		if sig == syscall.SIGTERM && err != nil {
			d.t.Fatalf("stonode exited with %v after SIGTERM\n%s", err, d.logTail())
		}
	case <-time.After(20 * time.Second):
		_ = d.cmd.Process.Kill()
		<-d.done
		d.t.Fatalf("stonode did not exit within 20s of %v\n%s", sig, d.logTail())
	}
	d.cmd = nil
}

func (d *daemon) logTail() string {
	b, _ := os.ReadFile(d.logPath)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 40 {
		lines = lines[len(lines)-40:]
	}
	return "stonode log (last lines):\n" + strings.Join(lines, "\n")
}

// api calls the REST API and decodes the answer into out, failing unless the
// status is want.
func (d *daemon) api(ctx context.Context, want int, method, path, key string, body, out any) {
	d.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(cctx, method, "http://"+d.addr+path, rd)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		d.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		d.t.Fatalf("%s %s: %d, want %d: %s\n%s", method, path, resp.StatusCode, want, raw, d.logTail())
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			d.t.Fatalf("%s %s: decode %s: %v", method, path, raw, err)
		}
	}
}

// poll runs cond every 25 ms until it holds, failing after timeout.
func poll(ctx context.Context, t *testing.T, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			t.Fatalf("timed out waiting for %s; last state: %s", what, state)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// castBinary is contracts/node_modules/.bin/cast: failing under CI, skipping
// elsewhere when `npm ci` has not run in contracts/.
func castBinary(t *testing.T) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
	p := filepath.Join(dir, "contracts", "node_modules", ".bin", "cast")
	if _, err := os.Stat(p); err != nil {
		msg := fmt.Sprintf("cast not found at %s: run `npm ci` in contracts/", p)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

func cast(ctx context.Context, t *testing.T, bin string, args ...string) string {
	t.Helper()
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(cctx, bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("cast %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// scenario is one issuance on the embedded chain, driven over the API.
type scenario struct {
	t        *testing.T
	ctx      context.Context
	d        *daemon
	op       string // operator key
	seller   string // seller key
	base     string // /v1/issuances/{id}
	token    common.Address
	registry common.Address
	deployed uint64
	wallets  []common.Address
	minted   int64
}

// operation polls an operation until it ends, failing unless it succeeds.
func (s *scenario) operation(id int64) {
	s.t.Helper()
	var op struct {
		Status string `json:"status"`
		Error  string `json:"error"`
	}
	poll(s.ctx, s.t, 30*time.Second, fmt.Sprintf("operation %d", id), func() (bool, string) {
		s.d.api(s.ctx, 200, "GET", fmt.Sprintf("/v1/operations/%d", id), s.seller, nil, &op)
		if op.Status == "FAILED" {
			s.t.Fatalf("operation %d failed: %s\n%s", id, op.Error, s.d.logTail())
		}
		return op.Status == "SUCCEEDED", op.Status
	})
}

func (s *scenario) mint(to common.Address, amount int64) {
	s.t.Helper()
	var op struct{ ID int64 }
	s.d.api(s.ctx, 202, "POST", s.base+"/mint", s.seller, map[string]any{"to": to.Hex(), "amount": fmt.Sprint(amount)}, &op)
	s.operation(op.ID)
	s.minted += amount
}

// approve onboards an investor with wallet and approves it onto the whitelist.
func (s *scenario) approve(ref string, wallet common.Address) {
	s.t.Helper()
	var inv struct{ ID int64 }
	s.d.api(s.ctx, 201, "POST", "/v1/investors", s.seller, map[string]any{
		"customerRef": ref, "personType": "INDIVIDUAL", "residenceCountry": "JP", "dateOfBirth": "1980-04-01",
		"kyc": map[string]any{"status": "VERIFIED", "method": "eKYC",
			"verifiedAt": time.Now().UTC().AddDate(0, -1, 0).Format(time.RFC3339),
			"reviewDue":  time.Now().UTC().AddDate(1, 0, 0).Format(time.RFC3339)},
		"screening": map[string]any{"sanctions": "CLEAR", "antisocial": "CLEAR"},
		"wallets":   []any{map[string]any{"address": wallet.Hex()}},
	}, &inv)
	s.d.api(s.ctx, 200, "PUT", fmt.Sprintf("%s/whitelist/%d", s.base, inv.ID), s.seller, nil, nil)
	s.wallets = append(s.wallets, wallet)
	poll(s.ctx, s.t, 30*time.Second, "the whitelist entry CONFIRMED", func() (bool, string) {
		for _, e := range s.whitelist() {
			if e.InvestorID == inv.ID {
				return e.Sync.State == "CONFIRMED", e.Sync.State
			}
		}
		return false, "no entry"
	})
}

type whitelistEntry struct {
	InvestorID int64 `json:"investorId"`
	Sync       struct {
		State  string  `json:"state"`
		TxHash string  `json:"txHash"`
		Block  *uint64 `json:"block"`
	} `json:"sync"`
}

func (s *scenario) whitelist() []whitelistEntry {
	var page struct {
		Items []whitelistEntry `json:"items"`
	}
	s.d.api(s.ctx, 200, "GET", s.base+"/whitelist?limit=100", s.seller, nil, &page)
	return page.Items
}

// equalsChain waits for the mirror to reach the chain's head and checks the
// register against the chain over the JSON-RPC endpoint: holders and total
// supply against balanceOf/totalSupply at the mirror's block, the transfers
// against the token's Transfer logs, and every whitelist entry CONFIRMED in
// the block that holds its transaction, its wallet eligible on-chain.
func (s *scenario) equalsChain(rpc *ethclient.Client) {
	t, ctx := s.t, s.ctx
	t.Helper()
	head, err := rpc.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var holders struct {
		AsOfBlock   uint64 `json:"asOfBlock"`
		HolderCount int    `json:"holderCount"`
		TotalSupply string `json:"totalSupply"`
		Wallets     []struct {
			Wallet  string `json:"wallet"`
			Balance string `json:"balance"`
		} `json:"wallets"`
	}
	poll(ctx, t, 30*time.Second, "the mirror at the chain's head", func() (bool, string) {
		s.d.api(ctx, 200, "GET", s.base+"/holders", s.seller, nil, &holders)
		return holders.AsOfBlock >= head, fmt.Sprintf("as of %d, head %d", holders.AsOfBlock, head)
	})
	tok := bindings.NewSecurityToken()
	at := &bind.CallOpts{Context: ctx, BlockNumber: new(big.Int).SetUint64(holders.AsOfBlock)}
	supply, err := bind.Call(tok.Instance(rpc, s.token), at, tok.PackTotalSupply(), tok.UnpackTotalSupply)
	if err != nil {
		t.Fatal(err)
	}
	if holders.TotalSupply != supply.String() || supply.Int64() != s.minted {
		t.Fatalf("total supply: mirror %s, chain %s, minted %d", holders.TotalSupply, supply, s.minted)
	}
	mirrored := map[common.Address]string{}
	for _, w := range holders.Wallets {
		mirrored[common.HexToAddress(w.Wallet)] = w.Balance
	}
	nonzero := 0
	for _, w := range s.wallets {
		b, err := bind.Call(tok.Instance(rpc, s.token), at, tok.PackBalanceOf(w), tok.UnpackBalanceOf)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := mirrored[w]
		if !ok {
			got = "0"
		}
		if got != b.String() {
			t.Fatalf("wallet %s: mirror %s, balanceOf %s at block %d", w, got, b, holders.AsOfBlock)
		}
		if b.Sign() > 0 {
			nonzero++
		}
	}
	if holders.HolderCount != nonzero || len(holders.Wallets) != nonzero {
		t.Fatalf("%d holders mirrored (%d listed), %d on-chain", holders.HolderCount, len(holders.Wallets), nonzero)
	}

	var transfers struct {
		AsOfBlock uint64 `json:"asOfBlock"`
		Items     []struct {
			BlockNumber uint64 `json:"blockNumber"`
			BlockHash   string `json:"blockHash"`
			LogIndex    uint   `json:"logIndex"`
			To          string `json:"to"`
			Amount      string `json:"amount"`
		} `json:"items"`
	}
	s.d.api(ctx, 200, "GET", s.base+"/transfers?limit=1000", s.seller, nil, &transfers)
	logs, err := rpc.FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(s.deployed), ToBlock: new(big.Int).SetUint64(transfers.AsOfBlock),
		Addresses: []common.Address{s.token},
		Topics:    [][]common.Hash{{crypto.Keccak256Hash([]byte("Transfer(address,address,uint256)"))}},
	})
	if err != nil {
		t.Fatal(err)
	}
	onChain := map[string]bool{}
	for _, l := range logs {
		onChain[fmt.Sprintf("%d/%s/%d/%s/%s", l.BlockNumber, l.BlockHash.Hex(), l.Index,
			common.BytesToAddress(l.Topics[2].Bytes()).Hex(), new(big.Int).SetBytes(l.Data).String())] = true
	}
	for _, m := range transfers.Items {
		k := fmt.Sprintf("%d/%s/%d/%s/%s", m.BlockNumber, common.HexToHash(m.BlockHash).Hex(), m.LogIndex,
			common.HexToAddress(m.To).Hex(), m.Amount)
		if !onChain[k] {
			t.Fatalf("mirrored transfer %s is not a Transfer log on the chain", k)
		}
	}
	if len(transfers.Items) != len(logs) {
		t.Fatalf("%d transfers mirrored, %d Transfer logs on the chain", len(transfers.Items), len(logs))
	}

	reg := bindings.NewEligibilityRegistry()
	entries := s.whitelist()
	if len(entries) != len(s.wallets) {
		t.Fatalf("%d whitelist entries, %d approved", len(entries), len(s.wallets))
	}
	for _, e := range entries {
		if e.Sync.State != "CONFIRMED" || e.Sync.Block == nil {
			t.Fatalf("whitelist entry of investor %d: %+v", e.InvestorID, e.Sync)
		}
		r, err := rpc.TransactionReceipt(ctx, common.HexToHash(e.Sync.TxHash))
		if err != nil || r.BlockNumber.Uint64() != *e.Sync.Block {
			t.Fatalf("whitelist entry of investor %d CONFIRMED at block %d; its transaction %s: %v, %v",
				e.InvestorID, *e.Sync.Block, e.Sync.TxHash, r, err)
		}
	}
	for _, w := range s.wallets {
		ok, err := bind.Call(reg.Instance(rpc, s.registry), &bind.CallOpts{Context: ctx}, reg.PackIsEligible(w), reg.UnpackIsEligible)
		if err != nil || !ok {
			t.Fatalf("approved wallet %s: isEligible %v, %v", w, ok, err)
		}
	}
}

// TestDevChainSurvivesRestarts runs the daemon on the embedded chain as a
// process: deploy, whitelist and mint over the API, cast against the chain's
// JSON-RPC; then a SIGTERM restart and a kill -9 restart, after each of which
// the register equals the chain and a new mint succeeds.
func TestDevChainSurvivesRestarts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the daemon as a process")
	}
	castBin := castBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := t.TempDir()
	d := &daemon{t: t, dataDir: filepath.Join(dir, "data"), addr: freeAddr(t), rpcAddr: freeAddr(t),
		logPath: filepath.Join(dir, "stonode.log")}
	t.Cleanup(func() {
		if d.cmd != nil {
			_ = d.cmd.Process.Kill()
			<-d.done
		}
	})
	var keyOut bytes.Buffer
	if err := run(ctx, []string{"keys", "create", "--role", "operator", "--data-dir", d.dataDir, "--log-level", "warn"}, &keyOut, io.Discard); err != nil {
		t.Fatal(err)
	}
	s := &scenario{t: t, ctx: ctx, d: d, op: strings.TrimSpace(keyOut.String())}
	started := time.Now()
	d.start(ctx)
	t.Logf("first start: %s", time.Since(started).Round(time.Millisecond))

	rpcURL := "http://" + d.rpcAddr
	rpc, err := ethclient.DialContext(ctx, rpcURL)
	if err != nil {
		t.Fatal(err)
	}
	defer rpc.Close()
	if got := cast(ctx, t, castBin, "chain-id", "--rpc-url", rpcURL); got != fmt.Sprint(devchain.ChainID) {
		t.Fatalf("cast chain-id: %q", got)
	}
	// A funded test account sends with cast's own fee estimate.
	testKeys := devchain.TestKeys()
	to := crypto.PubkeyToAddress(testKeys[8].PublicKey)
	if out := cast(ctx, t, castBin, "send", "--rpc-url", rpcURL, "--private-key", "0x"+common.Bytes2Hex(crypto.FromECDSA(testKeys[9])),
		to.Hex(), "--value", "1ether"); !strings.Contains(out, "1 (success)") {
		t.Fatalf("cast send: %s", out)
	}

	var seller struct{ ID int64 }
	d.api(ctx, 201, "POST", "/v1/sellers", s.op, map[string]any{"legalName": "Dev Chain Securities", "corporateNumber": "7000012050002",
		"fsaRegistration": "関東財務局長(金商)第44号", "licence": "TYPE1", "membership": "FULL"}, &seller)
	var key struct{ Key string }
	d.api(ctx, 201, "POST", fmt.Sprintf("/v1/sellers/%d/keys", seller.ID), s.op, map[string]any{"name": "dev"}, &key)
	s.seller = key.Key
	var iss struct{ ID int64 }
	d.api(ctx, 201, "POST", "/v1/issuances", s.seller, map[string]any{"issuerName": "Dev Issuer", "tokenName": "Dev Share",
		"tokenSymbol": "DEV", "decimals": 0, "legalForm": "SHARE", "fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC"}, &iss)
	s.base = fmt.Sprintf("/v1/issuances/%d", iss.ID)
	d.api(ctx, 200, "POST", s.base+"/status", s.seller, map[string]any{"status": "REGISTERED"}, nil)
	d.api(ctx, 200, "POST", s.base+"/status", s.seller, map[string]any{"status": "OFFERING"}, nil)
	var op struct{ ID int64 }
	d.api(ctx, 202, "POST", s.base+"/deploy", s.seller, nil, &op)
	s.operation(op.ID)
	var deployed struct {
		ChainID         int64  `json:"chainId"`
		TokenAddress    string `json:"tokenAddress"`
		RegistryAddress string `json:"registryAddress"`
		DeploymentBlock uint64 `json:"deploymentBlock"`
	}
	d.api(ctx, 200, "GET", s.base, s.seller, nil, &deployed)
	if deployed.ChainID != devchain.ChainID || !common.IsHexAddress(deployed.TokenAddress) {
		t.Fatalf("issuance after deploy: %+v", deployed)
	}
	s.token, s.registry = common.HexToAddress(deployed.TokenAddress), common.HexToAddress(deployed.RegistryAddress)
	s.deployed = deployed.DeploymentBlock

	w1 := crypto.PubkeyToAddress(testKeys[1].PublicKey)
	s.approve("DEV-1", w1)
	s.mint(w1, 100)
	s.equalsChain(rpc)
	if got := cast(ctx, t, castBin, "call", "--rpc-url", rpcURL, s.token.Hex(), "balanceOf(address)(uint256)", w1.Hex()); got != "100" {
		t.Fatalf("cast call balanceOf: %q", got)
	}
	t.Logf("deploy, whitelist, mint: %s", time.Since(started).Round(time.Millisecond))

	for i, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGKILL} {
		// The stop comes right after a mint the node reported SUCCEEDED, while
		// its block is the chain's newest and the mirror may not have it yet.
		s.mint(w1, 1)
		headBefore, err := rpc.BlockNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		restart := time.Now()
		d.stop(sig)
		d.start(ctx)
		headAfter, err := rpc.BlockNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if headAfter < headBefore {
			t.Fatalf("head %d after %v, was %d", headAfter, sig, headBefore)
		}
		s.equalsChain(rpc)
		w := crypto.PubkeyToAddress(testKeys[2+i].PublicKey)
		s.approve(fmt.Sprintf("DEV-%d", 2+i), w)
		s.mint(w, 10)
		s.equalsChain(rpc)
		t.Logf("mint, restart after %v, whitelist, mint: %s", sig, time.Since(restart).Round(time.Millisecond))
	}
	if got := cast(ctx, t, castBin, "call", "--rpc-url", rpcURL, s.token.Hex(), "balanceOf(address)(uint256)", w1.Hex()); got != "102" {
		t.Fatalf("cast call balanceOf after the restarts: %q", got)
	}
	d.stop(syscall.SIGTERM)
	t.Logf("total %s", time.Since(started).Round(time.Millisecond))
}

// TestChainRPCAddrRefused checks that serve refuses to expose the dev chain's
// JSON-RPC (whose funded keys are public) beyond loopback.
func TestChainRPCAddrRefused(t *testing.T) {
	dir := t.TempDir()
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir, "--chain-rpc-addr", "0.0.0.0:8545"}, io.Discard, &stderr)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("serve with --chain-rpc-addr 0.0.0.0:8545: %v", err)
	}
}
