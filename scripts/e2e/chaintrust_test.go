package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/big"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/stonode/stonode/registry/chain"
)

// TestAnvilChainTrust checks that stonode's record never drifts from the chain
// silently: operations survive kill -9 between broadcast and receipt and RPC
// errors after broadcast with exactly one execution; a chain restarted
// without its state halts the issuance's chain work (alert, /readyz, metric)
// with the register kept as it was, until the deployment is retired and the
// issuance deployed anew; and a chain that stops answering makes the node not
// ready while accepted work waits and then completes exactly once.
func TestAnvilChainTrust(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test against anvil: skipped in -short mode")
	}
	root := repoRoot(t)
	anvilBin := anvilBinary(t, root)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := t.TempDir()
	bin := buildStonode(ctx, t, root, dir)

	first := startAnvil(ctx, t, anvilBin, "--silent")
	fp := startFaultProxy(t, first.url)
	e := startScenario(ctx, t, first, &stonode{bin: bin, dataDir: filepath.Join(dir, "data"), rpcURL: fp.srv.URL,
		logPath: filepath.Join(dir, "stonode.log")}, 7)
	node := e.node
	supply := big.NewInt(5 * mintEach)

	e.step("kill -9 between broadcast and receipt of a mint", func() {
		e.automine(false)
		op := e.tokenOp("mint", map[string]any{"to": e.investors[0].addr.Hex(), "amount": "7"})
		e.waitSent(op)
		e.waitPooled(1)
		killed := time.Now()
		node.stop(syscall.SIGKILL)
		e.mine()
		node.start(ctx)
		e.waitOp(op, "SUCCEEDED", 20*time.Second)
		took := time.Since(killed).Round(time.Millisecond)
		e.automine(true)
		supply.Add(supply, big.NewInt(7))
		e.wantSupply(supply)
		t.Logf("mint resumed after kill -9: SUCCEEDED %s after the kill (restart included), totalSupply %s (one mint)", took, supply)
	})

	e.step("kill -9 between broadcast and receipt of a deployment", func() {
		var iss struct{ ID int64 }
		e.api.must(ctx, 201, "POST", "/v1/issuances", e.sellerKey, map[string]any{"issuerName": "E2E Issuer 2", "tokenName": "E2E Bond",
			"tokenSymbol": "E2B", "decimals": 0, "legalForm": "BOND", "fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC",
			"deniedCountries": []string{"KP"}}, &iss)
		base := fmt.Sprintf("/v1/issuances/%d", iss.ID)
		e.api.must(ctx, 200, "POST", base+"/status", e.sellerKey, map[string]any{"status": "REGISTERED"}, nil)
		e.automine(false)
		var op opJSON
		e.api.must(ctx, 202, "POST", base+"/deploy", e.sellerKey, nil, &op)
		op = e.waitSent(op.ID)
		e.waitPooled(3) // registry, token and country rule broadcast, none mined
		killed := time.Now()
		node.stop(syscall.SIGKILL)
		e.mine()
		node.start(ctx)
		e.waitOp(op.ID, "SUCCEEDED", 20*time.Second)
		took := time.Since(killed).Round(time.Millisecond)
		e.automine(true)
		var got struct {
			TokenAddress string `json:"tokenAddress"`
		}
		e.api.must(ctx, 200, "GET", base, e.sellerKey, nil, &got)
		if !strings.EqualFold(got.TokenAddress, op.Result["tokenAddress"]) {
			t.Fatalf("issuance token %s, recorded before broadcast %s", got.TokenAddress, op.Result["tokenAddress"])
		}
		code, err := e.chain.eth.CodeAt(ctx, common.HexToAddress(got.TokenAddress), nil)
		if err != nil || len(code) == 0 {
			t.Fatalf("no token code at %s: %v", got.TokenAddress, err)
		}
		t.Logf("deployment resumed after kill -9: SUCCEEDED %s after the kill (restart included), token %s", took, got.TokenAddress)
	})

	e.step("RPC errors right after a mint's broadcast", func() {
		fp.FailAfterNextSend(3 * time.Second)
		op := e.tokenOp("mint", map[string]any{"to": e.investors[1].addr.Hex(), "amount": "5"})
		took := e.waitOp(op, "SUCCEEDED", 30*time.Second)
		supply.Add(supply, big.NewInt(5))
		e.wantSupply(supply)
		t.Logf("mint through 3 s of 502s after broadcast: SUCCEEDED in %s, totalSupply %s (one mint; %d requests failed)", took, supply, fp.Failed())
	})

	e.step("anvil stopped: not ready, work waits, then completes once", func() {
		e.waitReady(true, 30*time.Second)
		first.p.cmd.Process.Signal(syscall.SIGSTOP)
		stopped := time.Now()
		reported := e.waitReady(false, 20*time.Second)
		// Work accepted meanwhile: a mint and an approval (the outsider, never
		// approved so far, is the seller's first investor).
		op := e.tokenOp("mint", map[string]any{"to": e.investors[2].addr.Hex(), "amount": "3"})
		e.api.must(ctx, 200, "PUT", fmt.Sprintf("/v1/issuances/%d/whitelist/1", e.issuance), e.sellerKey, nil, nil)
		time.Sleep(time.Until(stopped.Add(30 * time.Second))) // anvil stays stopped for 30 s
		var mid opJSON
		e.api.must(ctx, 200, "GET", fmt.Sprintf("/v1/operations/%d", op), e.sellerKey, nil, &mid)
		if mid.Status == "FAILED" {
			t.Fatalf("a mint failed during a chain outage: %s", mid.Error)
		}
		first.p.cmd.Process.Signal(syscall.SIGCONT)
		took := e.waitOp(op, "SUCCEEDED", 60*time.Second)
		eventually(ctx, t, 30*time.Second, 100*time.Millisecond, "the approval made during the outage on-chain", func() (bool, string) {
			return e.eligibleOnChain(e.outsider.addr), "not eligible yet"
		})
		e.waitReady(true, 20*time.Second)
		supply.Add(supply, big.NewInt(3))
		e.wantSupply(supply)
		t.Logf("anvil SIGSTOP for 30 s: /readyz 503 after %s (waiting: %s); the mint and the approval made meanwhile completed %s after SIGCONT, once",
			reported.Sub(stopped).Round(time.Millisecond), mid.Result["waiting"], took)
	})

	e.step("anvil_reorg drops the block of a SUCCEEDED mint", func() {
		op := e.tokenOp("mint", map[string]any{"to": e.investors[3].addr.Hex(), "amount": "13"})
		e.waitOp(op, "SUCCEEDED", 30*time.Second)
		var done opJSON
		e.api.must(ctx, 200, "GET", fmt.Sprintf("/v1/operations/%d", op), e.sellerKey, nil, &done)
		mined, _ := new(big.Int).SetString(done.Result["block"], 10)
		head := e.chain.head(ctx, t)
		var ignored any
		// Replace the mint's block and everything after it with empty blocks.
		e.chain.call(ctx, t, &ignored, "anvil_reorg", head-mined.Uint64()+1, []any{})
		reorged := time.Now()
		supply.Add(supply, big.NewInt(13))
		eventually(ctx, t, 30*time.Second, 100*time.Millisecond, "the reorged mint re-sent and mined once", func() (bool, string) {
			e.api.must(ctx, 200, "GET", fmt.Sprintf("/v1/operations/%d", op), e.sellerKey, nil, &done)
			bal := e.balanceOf(e.investors[3].addr, nil)
			return done.Result["reorged"] != "" && bal.Int64() == mintEach+13, fmt.Sprintf("balance %s result %v", bal, done.Result)
		})
		e.wantSupply(supply)
		t.Logf("reorged mint: re-sent and mined again %s after anvil_reorg (%s)", time.Since(reorged).Round(time.Millisecond), done.Result["reorged"])
	})

	e.step("a mint under a base-fee spike is replaced and mined once", func() {
		var ignored any
		e.chain.call(ctx, t, &ignored, "anvil_setNextBlockBaseFeePerGas", hexutil.EncodeBig(big.NewInt(1_000_000_000)))
		e.mine() // the node prices its mint from this block's 1 gwei
		e.chain.call(ctx, t, &ignored, "anvil_setNextBlockBaseFeePerGas", hexutil.EncodeBig(big.NewInt(100_000_000_000)))
		op := e.tokenOp("mint", map[string]any{"to": e.investors[4].addr.Hex(), "amount": "19"})
		took := e.waitOp(op, "SUCCEEDED", 60*time.Second)
		var done opJSON
		e.api.must(ctx, 200, "GET", fmt.Sprintf("/v1/operations/%d", op), e.sellerKey, nil, &done)
		if done.Result["replaces"] == "" || done.Result["replaces"] == done.Result["txHash"] {
			t.Fatalf("the mint was not mined as a fee-bumped replacement: %v", done.Result)
		}
		supply.Add(supply, big.NewInt(19))
		e.wantSupply(supply)
		t.Logf("base fee 1 → 100 gwei: the mint %s was replaced by %s and mined in %s, once", done.Result["replaces"], done.Result["txHash"], took)
	})

	e.step("anvil restarted without its state: halt, retire, deploy anew", func() {
		e.mirrorAtHead()
		before := e.holders()
		second := startAnvil(ctx, t, anvilBin, "--silent")
		fp.SetTarget(second.url)
		_ = first.p.stop(syscall.SIGKILL, 5*time.Second)
		reset := time.Now()
		e.chain = second
		e.waitReady(false, 20*time.Second)
		var iss struct {
			ChainHalt string `json:"chainHalt"`
		}
		eventually(ctx, t, 20*time.Second, 100*time.Millisecond, "issuance 1 halted", func() (bool, string) {
			e.api.must(ctx, 200, "GET", fmt.Sprintf("/v1/issuances/%d", e.issuance), e.sellerKey, nil, &iss)
			return iss.ChainHalt != "", iss.ChainHalt
		})
		halted := time.Since(reset)
		if !strings.Contains(iss.ChainHalt, "genesis") {
			t.Fatalf("halt reason %q does not name the genesis change", iss.ChainHalt)
		}
		if v := e.metric(fmt.Sprintf(`stonode_chain_halted{issuance="%d"}`, e.issuance)); v != 1 {
			t.Fatalf("stonode_chain_halted = %v", v)
		}
		var halts struct{ Items []struct{ Reason string } }
		e.api.must(ctx, 200, "GET", fmt.Sprintf("/v1/issuances/%d/halts", e.issuance), e.sellerKey, nil, &halts)
		if len(halts.Items) != 1 {
			t.Fatalf("halts: %+v", halts)
		}
		time.Sleep(3 * time.Second) // several mirror and sync passes on the new chain
		if after := e.holders(); after != before {
			t.Fatalf("the register changed after the chain was reset:\nbefore %s\nafter  %s", before, after)
		}
		// A mint on a halted issuance is refused before anything is sent.
		if r := e.api.do(ctx, "POST", fmt.Sprintf("/v1/issuances/%d/mint", e.issuance), e.sellerKey,
			map[string]any{"to": e.investors[0].addr.Hex(), "amount": "1"}); r.status == 202 {
			var op opJSON
			r.decode(t, &op)
			time.Sleep(2 * time.Second)
			e.api.must(ctx, 200, "GET", fmt.Sprintf("/v1/operations/%d", op.ID), e.sellerKey, nil, &op)
			if op.Status == "SUCCEEDED" {
				t.Fatalf("a mint succeeded on a halted issuance: %+v", op)
			}
		}

		// The way out: retire (history kept), deploy anew on the new chain.
		for _, id := range []int64{e.issuance, e.issuance + 1} {
			e.api.must(ctx, 200, "POST", fmt.Sprintf("/v1/issuances/%d/deployment/retire", id), e.sellerKey,
				map[string]any{"reason": "anvil was restarted without its state"}, nil)
		}
		e.waitReady(true, 20*time.Second)
		// Nothing the retired deployments sent may reach the new chain: not
		// their deployments, batches or mints (the reorg checks of operations
		// and batches must not take the new chain's lack of them for a reorg).
		time.Sleep(3 * time.Second)
		if n := e.chain.nonce(ctx, t, anvilAccount(t, 0).addr, nil); n != 0 {
			t.Fatalf("the node sent %d transactions to the new chain after retiring, before any deploy", n)
		}
		var retired struct{ Items []struct{ ID int64 } }
		e.api.must(ctx, 200, "GET", fmt.Sprintf("/v1/issuances/%d/deployments", e.issuance), e.sellerKey, nil, &retired)
		if len(retired.Items) != 1 {
			t.Fatalf("retired deployments: %+v", retired)
		}
		old := e.api.do(ctx, "GET", fmt.Sprintf("/v1/issuances/%d/holders?deployment=%d", e.issuance, retired.Items[0].ID), e.sellerKey, nil)
		if old.status != 200 || !strings.Contains(string(old.raw), supplyField(before)) {
			t.Fatalf("retired deployment's holders: %d %s (before the reset: %s)", old.status, old.raw, before)
		}
		var op opJSON
		e.api.must(ctx, 202, "POST", fmt.Sprintf("/v1/issuances/%d/deploy", e.issuance), e.sellerKey, nil, &op)
		e.waitOp(op.ID, "SUCCEEDED", 30*time.Second)
		e.api.must(ctx, 200, "GET", fmt.Sprintf("/v1/operations/%d", op.ID), e.sellerKey, nil, &op)
		e.token = common.HexToAddress(op.Result["tokenAddress"])
		e.registry = common.HexToAddress(op.Result["registryAddress"])
		eventually(ctx, t, 30*time.Second, 100*time.Millisecond, "whitelist CONFIRMED on the new chain", func() (bool, string) {
			return e.eligibleOnChain(e.investors[0].addr), "not yet eligible"
		})
		mint := e.tokenOp("mint", map[string]any{"to": e.investors[0].addr.Hex(), "amount": "11"})
		e.waitOp(mint, "SUCCEEDED", 30*time.Second)
		if b := e.balanceOf(e.investors[0].addr, nil); b.Int64() != 11 {
			t.Fatalf("balance on the new chain: %s", b)
		}
		time.Sleep(3 * time.Second)
		e.wantSupply(big.NewInt(11))
		t.Logf("chain reset: halted %s after the switch; register unchanged; retired and redeployed at %s; mint on the new chain SUCCEEDED",
			halted.Round(time.Millisecond), e.token)
	})

	e.step("anvil_reorg deeper than --max-reorg-depth halts, nothing rewound", func() {
		var ignored any
		e.chain.call(ctx, t, &ignored, "anvil_mine", hexutil.EncodeUint64(chain.DefaultMaxReorgDepth+6))
		e.mirrorAtHead()
		before := e.holders()
		e.chain.call(ctx, t, &ignored, "anvil_reorg", chain.DefaultMaxReorgDepth+2, []any{})
		e.chain.call(ctx, t, &ignored, "anvil_mine", "0x1") // the chain moves on: the mirror meets the new branch
		var iss struct {
			ChainHalt string `json:"chainHalt"`
		}
		eventually(ctx, t, 30*time.Second, 100*time.Millisecond, "the issuance halted by the deep reorg", func() (bool, string) {
			e.api.must(ctx, 200, "GET", fmt.Sprintf("/v1/issuances/%d", e.issuance), e.sellerKey, nil, &iss)
			return iss.ChainHalt != "", iss.ChainHalt
		})
		if !strings.Contains(iss.ChainHalt, "reorg") {
			t.Fatalf("halt reason %q", iss.ChainHalt)
		}
		e.waitReady(false, 10*time.Second)
		if after := e.holders(); after != before {
			t.Fatalf("the register changed after a reorg beyond the bound:\nbefore %s\nafter  %s", before, after)
		}
		t.Logf("reorg of %d blocks (bound %d): halted (%s), register unchanged", chain.DefaultMaxReorgDepth+2, chain.DefaultMaxReorgDepth, iss.ChainHalt)
	})
}

// startScenario starts node (bin, dataDir, rpcURL, logPath and db set by the
// caller) against chain with an operator key, and runs setUp: a seller, a
// deployed PUBLIC issuance, five whitelisted investors holding mintEach each.
func startScenario(ctx context.Context, t *testing.T, chain *anvil, node *stonode, seed uint64) *e2e {
	t.Helper()
	node.t, node.addr, node.nodeKey = t, fmt.Sprintf("127.0.0.1:%d", freePort(t)), anvilKeys[0]
	t.Cleanup(func() {
		if node.p != nil {
			_ = node.p.stop(syscall.SIGKILL, 10*time.Second)
		}
		if t.Failed() {
			t.Log(node.logTail(80))
		}
	})
	e := &e2e{t: t, ctx: ctx, chain: chain, node: node,
		api: &apiClient{t: t, base: "http://" + node.addr, hc: &http.Client{}}, rng: rand.New(rand.NewPCG(seed, 2026))}
	for i := 1; i <= 5; i++ {
		e.investors = append(e.investors, anvilAccount(t, i))
	}
	e.outsider = anvilAccount(t, 9)
	args := []string{"keys", "create", "--role", "operator", "--name", "e2e", "--data-dir", node.dataDir, "--log-level", "warn"}
	if node.db != "" {
		args = append(args, "--db", node.db)
	}
	e.opKey = node.run(ctx, args...)
	node.start(ctx)
	e.setUp()
	return e
}

type opJSON struct {
	ID     int64             `json:"id"`
	Status string            `json:"status"`
	Error  string            `json:"error"`
	Result map[string]string `json:"result"`
}

// tokenOp posts a token operation on the scenario's issuance and returns its id.
func (e *e2e) tokenOp(path string, body map[string]any) int64 {
	e.t.Helper()
	var op opJSON
	e.api.must(e.ctx, 202, "POST", fmt.Sprintf("/v1/issuances/%d/%s", e.issuance, path), e.sellerKey, body, &op)
	return op.ID
}

// waitSent waits until an operation has recorded a signed transaction.
func (e *e2e) waitSent(id int64) opJSON {
	e.t.Helper()
	var op opJSON
	eventually(e.ctx, e.t, 20*time.Second, 20*time.Millisecond, "the operation's transaction on record", func() (bool, string) {
		e.api.must(e.ctx, 200, "GET", fmt.Sprintf("/v1/operations/%d", id), e.sellerKey, nil, &op)
		if op.Status == "FAILED" {
			e.t.Fatalf("operation %d failed: %s", id, op.Error)
		}
		return op.Result["txHash"] != "" || op.Result["tokenAddress"] != "", op.Status
	})
	return op
}

// waitOp waits for an operation to reach status and returns how long it took.
func (e *e2e) waitOp(id int64, status string, timeout time.Duration) time.Duration {
	e.t.Helper()
	start := time.Now()
	eventually(e.ctx, e.t, timeout, 50*time.Millisecond, fmt.Sprintf("operation %d %s", id, status), func() (bool, string) {
		var op opJSON
		e.api.must(e.ctx, 200, "GET", fmt.Sprintf("/v1/operations/%d", id), e.sellerKey, nil, &op)
		if op.Status != status && (op.Status == "SUCCEEDED" || op.Status == "FAILED") {
			e.t.Fatalf("operation %d ended %s, want %s: %s %v", id, op.Status, status, op.Error, op.Result)
		}
		return op.Status == status, fmt.Sprintf("%s %v", op.Status, op.Result)
	})
	return time.Since(start).Round(time.Millisecond)
}

// waitReady waits until /readyz answers 200 (ready) or 503 and returns when.
func (e *e2e) waitReady(ready bool, timeout time.Duration) time.Time {
	e.t.Helper()
	eventually(e.ctx, e.t, timeout, 100*time.Millisecond, fmt.Sprintf("/readyz ready=%v", ready), func() (bool, string) {
		r := e.api.do(e.ctx, "GET", "/readyz", "", nil)
		return (r.status == 200) == ready, fmt.Sprintf("%d %s", r.status, r.raw)
	})
	return time.Now()
}

// waitPooled waits until anvil's pool holds n pending transactions: the
// node has broadcast them.
func (e *e2e) waitPooled(n int) {
	e.t.Helper()
	eventually(e.ctx, e.t, 10*time.Second, 20*time.Millisecond, fmt.Sprintf("%d transactions in anvil's pool", n), func() (bool, string) {
		var st struct {
			Pending hexutil.Uint64 `json:"pending"`
		}
		e.chain.call(e.ctx, e.t, &st, "txpool_status")
		return int(st.Pending) >= n, fmt.Sprintf("%d pending", st.Pending)
	})
}

func (e *e2e) automine(on bool) {
	e.t.Helper()
	var ignored any
	e.chain.call(e.ctx, e.t, &ignored, "evm_setAutomine", on)
}

func (e *e2e) mine() {
	e.t.Helper()
	var ignored any
	e.chain.call(e.ctx, e.t, &ignored, "evm_mine")
}

func (e *e2e) wantSupply(want *big.Int) {
	e.t.Helper()
	cctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
	defer cancel()
	got, err := bind.Call(tok.Instance(e.chain.eth, e.token), &bind.CallOpts{Context: cctx}, tok.PackTotalSupply(), tok.UnpackTotalSupply)
	if err != nil {
		e.t.Fatalf("totalSupply: %v", err)
	}
	if got.Cmp(want) != 0 {
		e.t.Fatalf("totalSupply %s, want %s", got, want)
	}
}

// mirrorAtHead waits until the issuance's mirror has ingested the chain's head.
func (e *e2e) mirrorAtHead() {
	e.t.Helper()
	head := e.chain.head(e.ctx, e.t)
	eventually(e.ctx, e.t, 30*time.Second, 100*time.Millisecond, "the mirror at the head", func() (bool, string) {
		var h struct {
			AsOfBlock uint64 `json:"asOfBlock"`
		}
		e.api.must(e.ctx, 200, "GET", fmt.Sprintf("/v1/issuances/%d/holders", e.issuance), e.sellerKey, nil, &h)
		return h.AsOfBlock >= head, fmt.Sprintf("as of %d, head %d", h.AsOfBlock, head)
	})
}

// holders is the issuance's holder register as the API answers it, with the
// as-of block left out (the chain moves on).
func (e *e2e) holders() string {
	e.t.Helper()
	var h struct {
		TotalSupply string `json:"totalSupply"`
		HolderCount int    `json:"holderCount"`
		Wallets     []struct {
			Wallet  string `json:"wallet"`
			Balance string `json:"balance"`
		} `json:"wallets"`
	}
	e.api.must(e.ctx, 200, "GET", fmt.Sprintf("/v1/issuances/%d/holders", e.issuance), e.sellerKey, nil, &h)
	return fmt.Sprintf("supply=%s holders=%d %v", h.TotalSupply, h.HolderCount, h.Wallets)
}

func supplyField(holders string) string {
	s, _, _ := strings.Cut(strings.TrimPrefix(holders, "supply="), " ")
	return `"totalSupply":"` + s + `"`
}

// faultProxy forwards JSON-RPC to a chain it can be switched to (a restarted
// anvil behind the same URL) and, on request, answers 502 to everything for a
// while after the next eth_sendRawTransaction has gone through — an RPC
// outage right between broadcast and receipt.
type faultProxy struct {
	srv    *httptest.Server
	client *http.Client

	mu        sync.Mutex
	target    string
	armFor    time.Duration // > 0: fail for this long after the next send
	failUntil time.Time
	failed    int
}

func startFaultProxy(t *testing.T, target string) *faultProxy {
	t.Helper()
	p := &faultProxy{target: target, client: &http.Client{Timeout: 60 * time.Second}}
	p.srv = httptest.NewServer(p)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *faultProxy) SetTarget(url string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.target = url
}

func (p *faultProxy) FailAfterNextSend(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.armFor = d
}

func (p *faultProxy) Failed() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.failed
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	target := p.target
	if time.Now().Before(p.failUntil) {
		p.failed++
		p.mu.Unlock()
		http.Error(w, "injected outage", http.StatusBadGateway)
		return
	}
	send := p.armFor > 0 && bytes.Contains(body, []byte(`"eth_sendRawTransaction"`))
	p.mu.Unlock()
	relay(w, r, p.client, target, body, func() {
		if send { // the transaction went through: now the outage starts
			p.mu.Lock()
			p.failUntil, p.armFor = time.Now().Add(p.armFor), 0
			p.mu.Unlock()
		}
	})
}
