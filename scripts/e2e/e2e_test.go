package e2e

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/stonode/stonode/contracts/bindings"
)

const (
	confirmations = 2  // stonode serve --confirmations
	reorgDepth    = 6  // anvil_reorg depth: deeper than the confirmation depth
	maxLogsSpan   = 64 // the RPC proxy refuses wider eth_getLogs ranges, as hosted providers do
	gasTransfer   = 200_000
	mintEach      = 1_000_000
)

var (
	transferTopic = crypto.Keccak256Hash([]byte("Transfer(address,address,uint256)"))
	tok           = bindings.NewSecurityToken()
	regABI        = bindings.NewEligibilityRegistry()
)

// e2e carries the running pieces of one scenario.
type e2e struct {
	t         *testing.T
	ctx       context.Context
	chain     *anvil
	proxy     *rpcProxy
	node      *stonode
	api       *apiClient
	opKey     string
	sellerKey string
	issuance  int64
	token     common.Address
	registry  common.Address
	deployed  uint64
	investors []account // anvil #1..#5, whitelisted
	outsider  account   // anvil #9: an investor's wallet, never whitelisted
	rng       *rand.Rand
}

// TestAnvilEndToEnd runs stonode against a real anvil: deploy and whitelist
// through the API, transfers signed by investors' own keys, a transfer to a
// non-whitelisted wallet refused on-chain with the API's code, kill -9 in the
// middle of a backfill, an anvil_reorg deeper than the confirmation depth, and
// a final reconciliation of the mirror with the chain.
func TestAnvilEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test against anvil: skipped in -short mode")
	}
	root := repoRoot(t)
	anvilBin := anvilBinary(t, root)
	timeout := 5 * time.Minute
	if d, ok := t.Deadline(); ok && time.Until(d)-10*time.Second < timeout {
		timeout = time.Until(d) - 10*time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	dir := t.TempDir()
	started := time.Now()
	bin := buildStonode(ctx, t, root, dir)
	t.Logf("built stonode in %s", time.Since(started).Round(time.Millisecond))

	// Automine: every transaction is its own block, so a few hundred transfers
	// spread over a few hundred blocks.
	chain := startAnvil(ctx, t, anvilBin, "--silent")
	var accounts []common.Address
	chain.call(ctx, t, &accounts, "eth_accounts")
	for i := range anvilKeys {
		if a := anvilAccount(t, i).addr; i >= len(accounts) || accounts[i] != a {
			t.Fatalf("anvil account #%d is not %s (eth_accounts: %v): the hard-coded dev keys do not match this anvil", i, a, accounts)
		}
	}
	proxy := startProxy(t, chain.url, maxLogsSpan)
	node := &stonode{t: t, bin: bin, dataDir: filepath.Join(dir, "data"), addr: fmt.Sprintf("127.0.0.1:%d", freePort(t)),
		rpcURL: proxy.srv.URL, nodeKey: anvilKeys[0], confirm: confirmations, logPath: filepath.Join(dir, "stonode.log")}
	t.Cleanup(func() {
		if node.p != nil {
			_ = node.p.stop(syscall.SIGKILL, 10*time.Second)
		}
		if t.Failed() {
			t.Log(node.logTail(80))
		}
	})
	e := &e2e{t: t, ctx: ctx, chain: chain, proxy: proxy, node: node,
		api: &apiClient{t: t, base: "http://" + node.addr, hc: &http.Client{}}, rng: rand.New(rand.NewPCG(4, 2026))}
	for i := 1; i <= 5; i++ {
		e.investors = append(e.investors, anvilAccount(t, i))
	}
	e.outsider = anvilAccount(t, 9)

	e.opKey = node.run(ctx, "keys", "create", "--role", "operator", "--name", "e2e", "--data-dir", node.dataDir, "--log-level", "warn")
	node.start(ctx)

	e.setUp()
	e.step("transfers while stonode runs", func() {
		e.transfers(250)
		e.caughtUp()
	})
	e.step("ineligible transfer straight to the chain", e.refusedOnChain)
	e.step("kill -9 during a backfill", e.killDuringBackfill)
	e.step("anvil_reorg deeper than the confirmation depth", e.reorg)
	e.step("mirror equals the chain", e.reconcile)
	e.step("register at a record date", e.registerAtRecordDate)
	t.Logf("total %s; the proxy refused %d oversized eth_getLogs ranges", time.Since(started).Round(time.Millisecond), proxy.Refused())
}

func (e *e2e) step(name string, fn func()) {
	e.t.Helper()
	start := time.Now()
	fn()
	e.t.Logf("%-50s %s", name, time.Since(start).Round(time.Millisecond))
}

// setUp creates a seller, a PUBLIC issuance, deploys it through the API, and
// whitelists five investors whose wallets are anvil #1..#5, then mints to
// them with the node key (anvil #0, which holds the agent role).
func (e *e2e) setUp() {
	t, ctx, api := e.t, e.ctx, e.api
	start := time.Now()
	var seller struct{ ID int64 }
	api.must(ctx, 201, "POST", "/v1/sellers", e.opKey, map[string]any{"legalName": "E2E Securities", "corporateNumber": "7000012050002",
		"fsaRegistration": "関東財務局長(金商)第44号", "licence": "TYPE1", "membership": "FULL"}, &seller)
	var key struct{ Key string }
	api.must(ctx, 201, "POST", fmt.Sprintf("/v1/sellers/%d/keys", seller.ID), e.opKey, map[string]any{"name": "e2e"}, &key)
	e.sellerKey = key.Key

	var iss struct{ ID int64 }
	api.must(ctx, 201, "POST", "/v1/issuances", e.sellerKey, map[string]any{"issuerName": "E2E Issuer", "tokenName": "E2E Share",
		"tokenSymbol": "E2E", "decimals": 0, "legalForm": "SHARE", "fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC"}, &iss)
	e.issuance = iss.ID
	base := fmt.Sprintf("/v1/issuances/%d", e.issuance)
	api.must(ctx, 200, "POST", base+"/status", e.sellerKey, map[string]any{"status": "REGISTERED"}, nil)

	var op struct {
		ID     int64
		Status string
		Error  string
	}
	api.must(ctx, 202, "POST", base+"/deploy", e.sellerKey, nil, &op)
	opPath := fmt.Sprintf("/v1/operations/%d", op.ID)
	eventually(ctx, t, 60*time.Second, 50*time.Millisecond, "the deploy operation", func() (bool, string) {
		api.must(ctx, 200, "GET", opPath, e.sellerKey, nil, &op)
		if op.Status == "FAILED" {
			t.Fatalf("deploy operation failed: %s", op.Error)
		}
		return op.Status == "SUCCEEDED", op.Status
	})
	var deployed struct {
		ChainID         int64  `json:"chainId"`
		TokenAddress    string `json:"tokenAddress"`
		RegistryAddress string `json:"registryAddress"`
		DeploymentBlock uint64 `json:"deploymentBlock"`
	}
	api.must(ctx, 200, "GET", base, e.sellerKey, nil, &deployed)
	if deployed.ChainID != anvilChainID || !common.IsHexAddress(deployed.TokenAddress) || !common.IsHexAddress(deployed.RegistryAddress) {
		t.Fatalf("issuance after deploy: %+v", deployed)
	}
	e.token, e.registry, e.deployed = common.HexToAddress(deployed.TokenAddress), common.HexToAddress(deployed.RegistryAddress), deployed.DeploymentBlock
	api.must(ctx, 200, "POST", base+"/status", e.sellerKey, map[string]any{"status": "OFFERING"}, nil)

	reviewDue := time.Now().UTC().AddDate(1, 0, 0).Format(time.RFC3339)
	verified := time.Now().UTC().AddDate(0, -1, 0).Format(time.RFC3339)
	newInvestor := func(ref string, wallet common.Address) int64 {
		var inv struct{ ID int64 }
		api.must(ctx, 201, "POST", "/v1/investors", e.sellerKey, map[string]any{
			"customerRef": ref, "personType": "INDIVIDUAL", "residenceCountry": "JP", "dateOfBirth": "1980-04-01",
			"kyc":       map[string]any{"status": "VERIFIED", "method": "eKYC", "verifiedAt": verified, "reviewDue": reviewDue},
			"screening": map[string]any{"sanctions": "CLEAR", "antisocial": "CLEAR"},
			"wallets":   []any{map[string]any{"address": wallet.Hex()}},
		}, &inv)
		return inv.ID
	}
	// The outsider is a known investor of the seller but not approved for this
	// issuance: the API says NOT_WHITELISTED, the token must say 31.
	newInvestor("E2E-OUT", e.outsider.addr)
	want := map[int64]bool{}
	for i, a := range e.investors {
		id := newInvestor(fmt.Sprintf("E2E-%d", i+1), a.addr)
		api.must(ctx, 200, "PUT", fmt.Sprintf("%s/whitelist/%d", base, id), e.sellerKey, nil, nil)
		want[id] = true
	}
	eventually(ctx, t, 60*time.Second, 100*time.Millisecond, "every whitelist entry CONFIRMED on-chain", func() (bool, string) {
		// A live chain keeps making blocks; automine only mines transactions, so
		// mine one per poll for the whitelist batches to reach their depth.
		var mined any
		e.chain.call(ctx, t, &mined, "anvil_mine", "0x1")
		var page struct {
			Items []struct {
				InvestorID int64 `json:"investorId"`
				Sync       struct {
					State string `json:"state"`
					Block *int64 `json:"block"`
				} `json:"sync"`
			} `json:"items"`
		}
		api.must(ctx, 200, "GET", base+"/whitelist?limit=100", e.sellerKey, nil, &page)
		confirmed := 0
		var states []string
		for _, it := range page.Items {
			states = append(states, fmt.Sprintf("%d:%s", it.InvestorID, it.Sync.State))
			if want[it.InvestorID] && it.Sync.State == "CONFIRMED" && it.Sync.Block != nil {
				confirmed++
			}
		}
		return confirmed == len(want), strings.Join(states, " ")
	})
	for _, a := range e.investors {
		if !e.eligibleOnChain(a.addr) {
			t.Fatalf("whitelist entry of %s is CONFIRMED but registry.isEligible is false", a.addr)
		}
	}
	if e.eligibleOnChain(e.outsider.addr) {
		t.Fatalf("%s was never approved but registry.isEligible is true", e.outsider.addr)
	}

	node := anvilAccount(t, 0)
	for _, a := range e.investors {
		e.chain.transactAs(ctx, t, node, e.token, tok.PackMint(a.addr, big.NewInt(mintEach)), 300_000)
	}
	t.Logf("%-50s %s (token %s, deployed at block %d)", "set-up: seller, issuance, deploy, whitelist, mint",
		time.Since(start).Round(time.Millisecond), e.token, e.deployed)
}

func (e *e2e) eligibleOnChain(w common.Address) bool {
	e.t.Helper()
	cctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
	defer cancel()
	ok, err := bind.Call(regABI.Instance(e.chain.eth, e.registry), &bind.CallOpts{Context: cctx}, regABI.PackIsEligible(w), regABI.UnpackIsEligible)
	if err != nil {
		e.t.Fatalf("isEligible(%s): %v", w, err)
	}
	return ok
}

// transfers has the investors send n transfers among themselves with their
// own keys, concurrently per sender with explicit nonces, and waits until all
// are mined successfully. It returns the hashes.
func (e *e2e) transfers(n int) []common.Hash {
	t := e.t
	type job struct {
		to     common.Address
		amount int64
	}
	plan := make([][]job, len(e.investors))
	for i := 0; i < n; i++ {
		from := e.rng.IntN(len(e.investors))
		to := (from + 1 + e.rng.IntN(len(e.investors)-1)) % len(e.investors)
		plan[from] = append(plan[from], job{e.investors[to].addr, 1 + e.rng.Int64N(500)})
	}
	hashes := make([][]common.Hash, len(e.investors))
	errs := make([]error, len(e.investors))
	var wg sync.WaitGroup
	for i, jobs := range plan {
		if len(jobs) == 0 {
			continue
		}
		from := e.investors[i]
		nonce := e.chain.nonce(e.ctx, t, from.addr, nil)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k, j := range jobs {
				tx, err := signTxErr(from, e.token, tok.PackTransfer(j.to, big.NewInt(j.amount)), nonce+uint64(k), gasTransfer)
				if err == nil {
					err = e.chain.send(e.ctx, tx)
				}
				if err != nil {
					errs[i] = fmt.Errorf("transfer %d from %s: %w", k, from.addr, err)
					return
				}
				hashes[i] = append(hashes[i], tx.Hash())
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	var all []common.Hash
	for _, h := range hashes {
		all = append(all, h...)
	}
	e.chain.mustSucceed(e.ctx, t, all...)
	return all
}

// transfersPage is GET /v1/issuances/{id}/transfers.
type transfersPage struct {
	AsOfBlock     uint64 `json:"asOfBlock"`
	AsOfBlockHash string `json:"asOfBlockHash"`
	Items         []struct {
		BlockNumber uint64 `json:"blockNumber"`
		BlockHash   string `json:"blockHash"`
		TxHash      string `json:"txHash"`
		LogIndex    uint   `json:"logIndex"`
		From        string `json:"from"`
		To          string `json:"to"`
		Amount      string `json:"amount"`
	} `json:"items"`
	Next *string `json:"next"`
}

// asOf is the block the mirror is as of (0 before its first batch).
func (e *e2e) asOf() uint64 {
	e.t.Helper()
	var p transfersPage
	e.api.must(e.ctx, 200, "GET", fmt.Sprintf("/v1/issuances/%d/transfers?limit=1", e.issuance), e.sellerKey, nil, &p)
	return p.AsOfBlock
}

// caughtUp waits until the mirror is as of head − confirmations and returns
// that block.
func (e *e2e) caughtUp() uint64 {
	e.t.Helper()
	var at uint64
	eventually(e.ctx, e.t, 60*time.Second, 50*time.Millisecond, "the mirror to reach head − confirmations", func() (bool, string) {
		head := e.chain.head(e.ctx, e.t)
		at = e.asOf()
		return head >= confirmations && at >= head-confirmations, fmt.Sprintf("mirror as of %d, head %d", at, head)
	})
	return at
}

// allTransfers pages through the mirrored transfers (optionally from a block).
func (e *e2e) allTransfers(fromBlock uint64) (uint64, string, []mirroredTransfer) {
	e.t.Helper()
	var out []mirroredTransfer
	var asOf uint64
	var asOfHash string
	after := ""
	for page := 0; ; page++ {
		path := fmt.Sprintf("/v1/issuances/%d/transfers?limit=1000&fromBlock=%d", e.issuance, fromBlock)
		if after != "" {
			path += "&after=" + after
		}
		var p transfersPage
		e.api.must(e.ctx, 200, "GET", path, e.sellerKey, nil, &p)
		if page == 0 {
			asOf, asOfHash = p.AsOfBlock, p.AsOfBlockHash
		} else if p.AsOfBlock != asOf {
			e.t.Fatalf("mirror moved from block %d to %d while paging; the chain was expected to be still", asOf, p.AsOfBlock)
		}
		for _, it := range p.Items {
			out = append(out, mirroredTransfer{key: logKey{strings.ToLower(it.BlockHash), it.LogIndex}, block: it.BlockNumber,
				tx: strings.ToLower(it.TxHash), from: strings.ToLower(it.From), to: strings.ToLower(it.To), amount: it.Amount})
		}
		if p.Next == nil {
			return asOf, asOfHash, out
		}
		after = *p.Next
	}
}

type logKey struct {
	blockHash string
	logIndex  uint
}

type mirroredTransfer struct {
	key          logKey
	block        uint64
	tx, from, to string
	amount       string
}

// refusedOnChain: investor #1 sends tokens straight to the chain (not through
// stonode) to anvil #9, a wallet the registry knows but never approved. The
// token must revert with TransferRestricted(31) — whether the client estimates
// first (go-ethereum), sends regardless with a fixed gas limit, or is cast —
// and 31 must be the number of the API's primary reason for that wallet.
func (e *e2e) refusedOnChain() {
	t, ctx := e.t, e.ctx
	from, to := e.investors[0], e.outsider.addr
	amount := big.NewInt(1)
	data := tok.PackTransfer(to, amount)
	callOpts := &bind.CallOpts{Context: ctx}

	code, err := bind.Call(tok.Instance(e.chain.eth, e.token), callOpts, tok.PackDetectTransferRestriction(from.addr, to, amount), tok.UnpackDetectTransferRestriction)
	if err != nil {
		t.Fatalf("detectTransferRestriction: %v", err)
	}

	// 1. A wallet estimating gas sees the revert and its data.
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	_, err = e.chain.eth.EstimateGas(cctx, ethereum.CallMsg{From: from.addr, To: &e.token, Data: data})
	cancel()
	estimated := e.restrictionCode(err, "eth_estimateGas")

	// 2. Sent anyway with a fixed gas limit: mined, status 0, no Transfer log;
	// replaying it on the parent state gives the same code.
	nonce := e.chain.nonce(ctx, t, from.addr, nil)
	tx := signTx(t, from, e.token, data, nonce, gasTransfer)
	if err := e.chain.send(ctx, tx); err != nil {
		t.Fatalf("send the ineligible transfer: %v", err)
	}
	r := e.chain.receipt(ctx, t, tx.Hash())
	if r.Status != types.ReceiptStatusFailed {
		t.Fatalf("transfer to non-whitelisted %s was mined with status %d, want a revert", to, r.Status)
	}
	for _, l := range r.Logs {
		if len(l.Topics) > 0 && l.Topics[0] == transferTopic {
			t.Fatalf("reverted transfer left a Transfer log: %+v", l)
		}
	}
	cctx, cancel = context.WithTimeout(ctx, 10*time.Second)
	_, err = e.chain.eth.CallContract(cctx, ethereum.CallMsg{From: from.addr, To: &e.token, Data: data, Gas: gasTransfer},
		new(big.Int).Sub(r.BlockNumber, big.NewInt(1)))
	cancel()
	replayed := e.restrictionCode(err, "replay of the mined transaction")

	// 3. cast, another client entirely.
	castCode := e.castRefusal(from, to)

	// 4. The API's answer for that wallet.
	var decision struct {
		Allowed bool   `json:"allowed"`
		Code    string `json:"code"`
		Reasons []struct {
			Code   string `json:"code"`
			Number int    `json:"number"`
		} `json:"reasons"`
	}
	e.api.must(ctx, 200, "GET", fmt.Sprintf("/v1/issuances/%d/eligibility/%s", e.issuance, to.Hex()), e.opKey, nil, &decision)
	if decision.Allowed || len(decision.Reasons) == 0 {
		t.Fatalf("API says %s may receive: %+v", to, decision)
	}
	apiCode := decision.Reasons[0].Number
	t.Logf("refusal: detectTransferRestriction=%d, estimateGas revert=%d, mined tx %s status 0 (replay %d), cast=%d, API primary %s=%d",
		code, estimated, tx.Hash().Hex()[:10], replayed, castCode, decision.Code, apiCode)
	if estimated != 31 || replayed != 31 || code != 31 || castCode != 31 {
		t.Fatalf("on-chain codes %d/%d/%d/%d, want 31 (NOT_WHITELISTED)", code, estimated, replayed, castCode)
	}
	if decision.Code != "NOT_WHITELISTED" || apiCode != int(estimated) {
		t.Fatalf("API primary reason %s (%d) differs from the token's code %d", decision.Code, apiCode, estimated)
	}
	// Nothing about a refused transfer may reach the mirror (checked in full at the end).
	e.caughtUp()
}

// restrictionCode decodes a TransferRestricted revert from an RPC error.
func (e *e2e) restrictionCode(err error, what string) uint8 {
	e.t.Helper()
	if err == nil {
		e.t.Fatalf("%s: succeeded, want a TransferRestricted revert", what)
	}
	var de rpc.DataError
	if !errors.As(err, &de) {
		e.t.Fatalf("%s: %v carries no revert data", what, err)
	}
	s, _ := de.ErrorData().(string)
	raw, derr := hexutil.Decode(s)
	if derr != nil || len(raw) < 4 {
		e.t.Fatalf("%s: revert data %v: %v", what, de.ErrorData(), derr)
	}
	decoded, uerr := tok.UnpackError(raw)
	rt, ok := decoded.(*bindings.SecurityTokenTransferRestricted)
	if uerr != nil || !ok {
		e.t.Fatalf("%s: revert %x is not TransferRestricted (%T, %v)", what, raw, decoded, uerr)
	}
	return rt.Code
}

var castErrorData = regexp.MustCompile(`0x` + bindings.SecurityTokenTransferRestrictedErrorID().Hex()[2:10] + `([0-9a-fA-F]{64})`)

// castRefusal sends the same transfer with `cast send` (installed next to
// anvil by npm ci) and decodes the TransferRestricted argument from the revert
// data cast prints.
func (e *e2e) castRefusal(from account, to common.Address) uint8 {
	e.t.Helper()
	castBin := filepath.Join(repoRoot(e.t), "contracts", "node_modules", ".bin", "cast")
	if _, err := os.Stat(castBin); err != nil {
		e.t.Fatalf("cast not found at %s (%v): run `npm ci` in contracts/", castBin, err)
	}
	cctx, cancel := context.WithTimeout(e.ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(cctx, castBin, "send", "--rpc-url", e.chain.url, "--private-key", "0x"+from.hex,
		e.token.Hex(), "transfer(address,uint256)", to.Hex(), "1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		e.t.Fatalf("cast send to non-whitelisted %s succeeded:\n%s", to, out)
	}
	m := castErrorData.FindSubmatch(out)
	if m == nil {
		e.t.Fatalf("cast send failed without TransferRestricted revert data (%v):\n%s", err, out)
	}
	v, perr := strconv.ParseUint(string(m[1]), 16, 8)
	if perr != nil {
		e.t.Fatalf("cast revert argument %s: %v", m[1], perr)
	}
	return uint8(v)
}

// killDuringBackfill stops stonode, lets the chain move on by hundreds of
// blocks of transfers, restarts it and SIGKILLs it while the backfill is
// provably half way (the proxy holds its third eth_getLogs range; the API
// shows a checkpoint strictly between the old one and the target), then
// restarts it to finish.
func (e *e2e) killDuringBackfill() {
	t, ctx := e.t, e.ctx
	before := e.caughtUp()
	e.node.stop(syscall.SIGTERM)
	e.transfers(400)
	target := e.chain.head(ctx, t) - confirmations

	e.proxy.HoldGetLogsAfter(2)
	e.node.start(ctx)
	select {
	case <-e.proxy.Held():
	case <-time.After(60 * time.Second):
		t.Fatalf("the restarted mirror never reached its third eth_getLogs range (as of %d)", e.asOf())
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	}
	at := e.asOf()
	if at <= before || at >= target {
		t.Fatalf("mirror as of %d when its backfill is held; want strictly between %d and %d", at, before, target)
	}
	e.node.stop(syscall.SIGKILL)
	e.proxy.Release()
	t.Logf("kill -9 with the mirror as of block %d, backfilling %d..%d", at, before+1, target)

	e.node.start(ctx)
	if got := e.caughtUp(); got < target {
		t.Fatalf("mirror as of %d after restart, want ≥ %d", got, target)
	}
}

// reorg has anvil replace the last reorgDepth blocks — holding transfers the
// mirror has already ingested, since the depth exceeds the confirmation depth
// — with blocks holding different transfers, then extends the chain. anvil
// sends no removed logs: the mirror has to notice by block hashes.
func (e *e2e) reorg() {
	t, ctx := e.t, e.ctx
	e.transfers(30)
	at := e.caughtUp()
	head := e.chain.head(ctx, t)
	fork := head - reorgDepth
	_, _, doomed := e.allTransfers(fork + 1)
	if len(doomed) == 0 {
		t.Fatalf("no mirrored transfers above the fork point %d (mirror as of %d): the reorg would prove nothing", fork, at)
	}
	oldHash := e.chain.header(ctx, t, fork+1).Hash()

	// Replacement transfers, signed at the fork point's nonces, in new blocks
	// fork+1, fork+3 and fork+5.
	var pairs [][]any
	var replacements []common.Hash
	for i, off := range []int{0, 2, 4} {
		from := e.investors[i]
		nonce := e.chain.nonce(ctx, t, from.addr, new(big.Int).SetUint64(fork))
		tx := signTx(t, from, e.token, tok.PackTransfer(e.investors[4].addr, big.NewInt(int64(7001+i))), nonce, gasTransfer)
		raw, err := tx.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		pairs = append(pairs, []any{hexutil.Encode(raw), off})
		replacements = append(replacements, tx.Hash())
	}
	var ignored any
	e.chain.call(ctx, t, &ignored, "anvil_reorg", reorgDepth, pairs)
	if h := e.chain.head(ctx, t); h != head {
		t.Fatalf("head %d after anvil_reorg, want %d", h, head)
	}
	if e.chain.header(ctx, t, fork+1).Hash() == oldHash {
		t.Fatalf("block %d kept its hash through anvil_reorg", fork+1)
	}
	e.chain.mustSucceed(ctx, t, replacements...)

	// The mirror can only notice once the chain grows past its checkpoint.
	e.transfers(10)
	e.caughtUp()
	_, _, now := e.allTransfers(fork + 1)
	kept := map[logKey]bool{}
	txs := map[string]bool{}
	for _, m := range now {
		kept[m.key] = true
		txs[m.tx] = true
	}
	for _, d := range doomed {
		if kept[d.key] {
			t.Fatalf("transfer %s/%d from a reorged-out block is still mirrored", d.key.blockHash, d.key.logIndex)
		}
	}
	for _, h := range replacements {
		if !txs[strings.ToLower(h.Hex())] {
			t.Fatalf("replacement transfer %s from the new branch is not mirrored", h)
		}
	}
	reorgs := e.metric(fmt.Sprintf(`stonode_mirror_reorgs_total{issuance="%d"}`, e.issuance))
	if reorgs < 1 {
		t.Fatalf("stonode_mirror_reorgs_total = %v after anvil_reorg, want ≥ 1", reorgs)
	}
	t.Logf("reorg: %d mirrored transfers in blocks %d..%d orphaned and removed, %d replacements mirrored, reorgs_total=%v",
		len(doomed), fork+1, at, len(replacements), reorgs)
}

// metric reads one sample from /metrics.
func (e *e2e) metric(series string) float64 {
	e.t.Helper()
	r := e.api.do(e.ctx, "GET", "/metrics", e.opKey, nil)
	if r.status != 200 {
		e.t.Fatalf("GET /metrics: %d %s", r.status, r.raw)
	}
	for _, line := range strings.Split(string(r.raw), "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				e.t.Fatalf("metric %s: %v", line, err)
			}
			return f
		}
	}
	e.t.Fatalf("metric %s not found in /metrics", series)
	return 0
}

// reconcile: with the chain still, the mirror is as of exactly head −
// confirmations; its transfers are exactly the canonical Transfer logs (no
// duplicate, no orphan, same fields); every wallet that ever held has its
// balanceOf as its mirrored balance; holder count and supply agree; and the
// holder register at an earlier block agrees with balanceOf at that block.
func (e *e2e) reconcile() {
	t, ctx := e.t, e.ctx
	var ignored any
	e.chain.call(ctx, t, &ignored, "anvil_mine", hexutil.EncodeUint64(confirmations))
	head := e.chain.head(ctx, t)
	e.caughtUp()
	asOf, asOfHash, mirrored := e.allTransfers(e.deployed)
	if asOf != head-confirmations {
		t.Fatalf("mirror as of %d with the chain still at %d, want %d", asOf, head, head-confirmations)
	}
	if canon := strings.ToLower(e.chain.header(ctx, t, asOf).Hash().Hex()); asOfHash != canon {
		t.Fatalf("mirror as of block %d hash %s, canonical %s", asOf, asOfHash, canon)
	}

	cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	logs, err := e.chain.eth.FilterLogs(cctx, ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(e.deployed),
		ToBlock: new(big.Int).SetUint64(asOf), Addresses: []common.Address{e.token}, Topics: [][]common.Hash{{transferTopic}}})
	cancel()
	if err != nil {
		t.Fatalf("eth_getLogs: %v", err)
	}
	canonical := map[logKey]mirroredTransfer{}
	wallets := map[common.Address]bool{}
	for _, l := range logs {
		ev, err := tok.UnpackTransferEvent(&l)
		if err != nil {
			t.Fatalf("decode Transfer %s/%d: %v", l.BlockHash, l.Index, err)
		}
		k := logKey{strings.ToLower(l.BlockHash.Hex()), l.Index}
		canonical[k] = mirroredTransfer{key: k, block: l.BlockNumber, tx: strings.ToLower(l.TxHash.Hex()),
			from: strings.ToLower(ev.From.Hex()), to: strings.ToLower(ev.To.Hex()), amount: ev.Value.String()}
		for _, w := range []common.Address{ev.From, ev.To} {
			if w != (common.Address{}) {
				wallets[w] = true
			}
		}
	}
	seen := map[logKey]bool{}
	for _, m := range mirrored {
		if seen[m.key] {
			t.Fatalf("duplicate mirrored transfer %s/%d", m.key.blockHash, m.key.logIndex)
		}
		seen[m.key] = true
		c, ok := canonical[m.key]
		if !ok {
			t.Fatalf("mirrored transfer %s/%d (block %d, tx %s) is not a canonical log: an orphan", m.key.blockHash, m.key.logIndex, m.block, m.tx)
		}
		if c != m {
			t.Fatalf("mirrored transfer %+v differs from the chain's %+v", m, c)
		}
	}
	if len(mirrored) != len(logs) {
		t.Fatalf("%d mirrored transfers, %d canonical Transfer logs in blocks %d..%d", len(mirrored), len(logs), e.deployed, asOf)
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
	e.api.must(ctx, 200, "GET", fmt.Sprintf("/v1/issuances/%d/holders", e.issuance), e.sellerKey, nil, &holders)
	if holders.AsOfBlock != asOf {
		t.Fatalf("holders as of %d, transfers as of %d", holders.AsOfBlock, asOf)
	}
	mirroredBal := map[common.Address]string{}
	for _, w := range holders.Wallets {
		mirroredBal[common.HexToAddress(w.Wallet)] = w.Balance
	}
	nonzero := 0
	for w := range wallets {
		onChain := e.balanceOf(w, nil)
		got, ok := mirroredBal[w]
		if !ok {
			got = "0"
		}
		if onChain.String() != got {
			t.Errorf("wallet %s: mirrored balance %s, balanceOf %s", w, got, onChain)
		}
		if onChain.Sign() > 0 {
			nonzero++
		}
	}
	for w := range mirroredBal {
		if !wallets[w] {
			t.Errorf("mirror lists holder %s that no canonical Transfer touches", w)
		}
	}
	onChainHolders, err := bind.Call(tok.Instance(e.chain.eth, e.token), &bind.CallOpts{Context: ctx}, tok.PackHolderCount(), tok.UnpackHolderCount)
	if err != nil {
		t.Fatal(err)
	}
	supply, err := bind.Call(tok.Instance(e.chain.eth, e.token), &bind.CallOpts{Context: ctx}, tok.PackTotalSupply(), tok.UnpackTotalSupply)
	if err != nil {
		t.Fatal(err)
	}
	if holders.HolderCount != nonzero || holders.HolderCount != int(onChainHolders) || holders.TotalSupply != supply.String() {
		t.Fatalf("holders: mirror %d holders / supply %s; chain %d wallets with a balance, holderCount() %d, totalSupply %s",
			holders.HolderCount, holders.TotalSupply, nonzero, onChainHolders, supply)
	}

	// The register at a record date in the middle of the history.
	mid := e.deployed + (asOf-e.deployed)/2
	var reg struct {
		AsOfBlock uint64 `json:"asOfBlock"`
		Holders   []struct {
			Wallets []string `json:"wallets"`
			Balance string   `json:"balance"`
		} `json:"holders"`
	}
	e.api.must(ctx, 200, "GET", fmt.Sprintf("/v1/issuances/%d/holders/register?block=%d", e.issuance, mid), e.sellerKey, nil, &reg)
	regBal := map[common.Address]string{}
	for _, h := range reg.Holders {
		if len(h.Wallets) != 1 { // every e2e investor has one wallet
			t.Fatalf("register at block %d: a holder with %d wallets: %+v", mid, len(h.Wallets), h)
		}
		regBal[common.HexToAddress(h.Wallets[0])] = h.Balance
	}
	for w := range wallets {
		want := e.balanceOf(w, new(big.Int).SetUint64(mid))
		got, ok := regBal[w]
		if !ok {
			got = "0"
		}
		if want.String() != got {
			t.Errorf("register at block %d, wallet %s: %s, balanceOf %s", mid, w, got, want)
		}
	}
	t.Logf("reconciled: %d transfers in blocks %d..%d, %d wallets, %d holders, supply %s; register at block %d matches",
		len(mirrored), e.deployed, asOf, len(wallets), holders.HolderCount, holders.TotalSupply, mid)
}

func (e *e2e) balanceOf(w common.Address, block *big.Int) *big.Int {
	e.t.Helper()
	cctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
	defer cancel()
	b, err := bind.Call(tok.Instance(e.chain.eth, e.token), &bind.CallOpts{Context: cctx, BlockNumber: block}, tok.PackBalanceOf(w), tok.UnpackBalanceOf)
	if err != nil {
		e.t.Fatalf("balanceOf(%s) at %v: %v", w, block, err)
	}
	return b
}
