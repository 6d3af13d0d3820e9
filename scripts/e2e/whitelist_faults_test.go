package e2e

import (
	"context"
	"fmt"
	"math/big"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
)

// TestAnvilWhitelistFaults runs the whitelist sync of a real stonode against
// anvil through the faults a live chain produces, each on a fresh investor:
// a batch dropped from the mempool (re-sent), a reorg that removes the block
// of a CONFIRMED batch with --confirmations 0 and with 3 (noticed and sent
// again, no reconcile), a base-fee spike that strands a batch already in the
// mempool and one that makes anvil refuse a new batch (both replaced with the
// same nonce and higher fees and mined while the fee stays high).
func TestAnvilWhitelistFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test against anvil: skipped in -short mode")
	}
	root := repoRoot(t)
	anvilBin := anvilBinary(t, root)
	timeout := 4 * time.Minute
	if d, ok := t.Deadline(); ok && time.Until(d)-10*time.Second < timeout {
		timeout = time.Until(d) - 10*time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	dir := t.TempDir()
	started := time.Now()
	bin := buildStonode(ctx, t, root, dir)
	t.Logf("built stonode in %s", time.Since(started).Round(time.Millisecond))

	chain := startAnvil(ctx, t, anvilBin, "--silent")
	node := &stonode{t: t, bin: bin, dataDir: filepath.Join(dir, "data"), addr: fmt.Sprintf("127.0.0.1:%d", freePort(t)),
		rpcURL: chain.url, nodeKey: anvilKeys[0], confirm: 0, logLevel: "info", logPath: filepath.Join(dir, "stonode.log")}
	t.Cleanup(func() {
		if node.p != nil {
			_ = node.p.stop(syscall.SIGKILL, 10*time.Second)
		}
		if t.Failed() {
			t.Log(wlLogTail(node, 60))
		}
	})
	e := &e2e{t: t, ctx: ctx, chain: chain, node: node, api: &apiClient{t: t, base: "http://" + node.addr, hc: &http.Client{}}}
	e.opKey = node.run(ctx, "keys", "create", "--role", "operator", "--name", "e2e", "--data-dir", node.dataDir, "--log-level", "warn")
	node.start(ctx)
	w := &wlFaults{e2e: e}
	e.step("set-up: seller, issuance, deploy", w.setUp)

	e.step("batch dropped from the mempool is re-sent", func() { w.dropped(anvilAccount(t, 1)) })
	e.step("reorg of a CONFIRMED batch, --confirmations 0", func() { w.reorged(anvilAccount(t, 2)) })
	node.stop(syscall.SIGTERM)
	node.confirm = 3
	node.start(ctx)
	e.step("reorg of a CONFIRMED batch, --confirmations 3", func() { w.reorged(anvilAccount(t, 3)) })
	e.step("base-fee spike: stuck batch replaced", func() { w.stuckUnderSpike(anvilAccount(t, 4)) })
	e.step("base-fee spike: refused batch replaced", func() { w.refusedUnderSpike(anvilAccount(t, 5)) })
	// Counted since the restart: the reorg at depth 3 and the two spikes.
	replaced := e.metric(`stonode_whitelist_sync_recoveries_total{kind="replaced"}`)
	reopened := e.metric(`stonode_whitelist_sync_recoveries_total{kind="reopened"}`)
	if replaced < 2 || reopened < 1 {
		t.Fatalf("recoveries: replaced %v, reopened %v; want ≥ 2 and ≥ 1", replaced, reopened)
	}
	t.Logf("total %s", time.Since(started).Round(time.Millisecond))
}

// wlFaults drives the scenarios of TestAnvilWhitelistFaults.
type wlFaults struct {
	*e2e
	reviewDue, verified string
}

// highBaseFee is the spike: a hundred times anvil's starting base fee.
const highBaseFee = 100_000_000_000

func (w *wlFaults) setUp() {
	t, ctx, api := w.t, w.ctx, w.api
	var seller struct{ ID int64 }
	api.must(ctx, 201, "POST", "/v1/sellers", w.opKey, map[string]any{"legalName": "Faults Securities", "corporateNumber": "7000012050002",
		"fsaRegistration": "関東財務局長(金商)第44号", "licence": "TYPE1", "membership": "FULL"}, &seller)
	var key struct{ Key string }
	api.must(ctx, 201, "POST", fmt.Sprintf("/v1/sellers/%d/keys", seller.ID), w.opKey, map[string]any{"name": "e2e"}, &key)
	w.sellerKey = key.Key
	var iss struct{ ID int64 }
	api.must(ctx, 201, "POST", "/v1/issuances", w.sellerKey, map[string]any{"issuerName": "Faults Issuer", "tokenName": "Faults Share",
		"tokenSymbol": "FLT", "decimals": 0, "legalForm": "SHARE", "fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC"}, &iss)
	w.issuance = iss.ID
	base := fmt.Sprintf("/v1/issuances/%d", w.issuance)
	api.must(ctx, 200, "POST", base+"/status", w.sellerKey, map[string]any{"status": "REGISTERED"}, nil)
	var op struct {
		ID     int64
		Status string
		Error  string
	}
	api.must(ctx, 202, "POST", base+"/deploy", w.sellerKey, nil, &op)
	eventually(ctx, t, 60*time.Second, 50*time.Millisecond, "the deploy operation", func() (bool, string) {
		api.must(ctx, 200, "GET", fmt.Sprintf("/v1/operations/%d", op.ID), w.sellerKey, nil, &op)
		if op.Status == "FAILED" {
			t.Fatalf("deploy operation failed: %s", op.Error)
		}
		return op.Status == "SUCCEEDED", op.Status
	})
	var deployed struct {
		TokenAddress    string `json:"tokenAddress"`
		RegistryAddress string `json:"registryAddress"`
	}
	api.must(ctx, 200, "GET", base, w.sellerKey, nil, &deployed)
	w.token, w.registry = common.HexToAddress(deployed.TokenAddress), common.HexToAddress(deployed.RegistryAddress)
	api.must(ctx, 200, "POST", base+"/status", w.sellerKey, map[string]any{"status": "OFFERING"}, nil)
	w.reviewDue = time.Now().UTC().AddDate(1, 0, 0).Format(time.RFC3339)
	w.verified = time.Now().UTC().AddDate(0, -1, 0).Format(time.RFC3339)
}

// approve onboards an investor with wallet a and approves it.
func (w *wlFaults) approve(a account) int64 {
	var inv struct{ ID int64 }
	w.api.must(w.ctx, 201, "POST", "/v1/investors", w.sellerKey, map[string]any{
		"customerRef": "WL-" + a.addr.Hex()[2:10], "personType": "INDIVIDUAL", "residenceCountry": "JP", "dateOfBirth": "1980-04-01",
		"kyc":       map[string]any{"status": "VERIFIED", "method": "eKYC", "verifiedAt": w.verified, "reviewDue": w.reviewDue},
		"screening": map[string]any{"sanctions": "CLEAR", "antisocial": "CLEAR"},
		"wallets":   []any{map[string]any{"address": a.addr.Hex()}},
	}, &inv)
	w.api.must(w.ctx, 200, "PUT", fmt.Sprintf("/v1/issuances/%d/whitelist/%d", w.issuance, inv.ID), w.sellerKey, nil, nil)
	return inv.ID
}

type wlSync struct {
	State  string `json:"state"`
	TxHash string `json:"txHash"`
	Block  *int64 `json:"block"`
	Error  string `json:"error"`
}

func (s wlSync) String() string {
	b := "-"
	if s.Block != nil {
		b = fmt.Sprint(*s.Block)
	}
	return fmt.Sprintf("%s tx %s block %s %s", s.State, s.TxHash, b, s.Error)
}

// entrySync is the sync state of an investor's whitelist entry.
func (w *wlFaults) entrySync(investorID int64) wlSync {
	w.t.Helper()
	var page struct {
		Items []struct {
			InvestorID int64  `json:"investorId"`
			Sync       wlSync `json:"sync"`
		} `json:"items"`
	}
	w.api.must(w.ctx, 200, "GET", fmt.Sprintf("/v1/issuances/%d/whitelist?limit=100", w.issuance), w.sellerKey, nil, &page)
	for _, it := range page.Items {
		if it.InvestorID == investorID {
			return it.Sync
		}
	}
	w.t.Fatalf("no whitelist entry for investor %d", investorID)
	return wlSync{}
}

// pending is the number of transactions in anvil's mempool.
func (w *wlFaults) pending() uint64 {
	w.t.Helper()
	var st struct{ Pending hexutil.Uint64 }
	w.chain.call(w.ctx, w.t, &st, "txpool_status")
	return uint64(st.Pending)
}

func (w *wlFaults) rpc(method string, args ...any) {
	w.t.Helper()
	var ignored any
	w.chain.call(w.ctx, w.t, &ignored, method, args...)
}

// canonicalReceipt returns the receipt of tx if it is in a canonical block.
func (w *wlFaults) canonicalReceipt(tx string) *types.Receipt {
	w.t.Helper()
	if tx == "" {
		return nil
	}
	cctx, cancel := context.WithTimeout(w.ctx, 10*time.Second)
	defer cancel()
	r, err := w.chain.eth.TransactionReceipt(cctx, common.HexToHash(tx))
	if err != nil {
		return nil
	}
	if w.chain.header(w.ctx, w.t, r.BlockNumber.Uint64()).Hash() != r.BlockHash {
		return nil
	}
	return r
}

// confirmedOnChain: the entry says CONFIRMED at the block that canonically
// holds its transaction, and the wallet is eligible on-chain.
func (w *wlFaults) confirmedOnChain(id int64, a account) (bool, string) {
	s := w.entrySync(id)
	r := w.canonicalReceipt(s.TxHash)
	ok := s.State == "CONFIRMED" && s.Block != nil && r != nil && r.BlockNumber.Int64() == *s.Block && w.eligibleOnChain(a.addr)
	return ok, s.String()
}

// dropped: with automine off the node's batch waits in the mempool; anvil
// drops every pending transaction; the node notices its batch is gone and
// broadcasts the same bytes again, and once mined the entry is CONFIRMED.
func (w *wlFaults) dropped(a account) {
	t, ctx := w.t, w.ctx
	w.rpc("evm_setAutomine", false)
	defer w.rpc("evm_setAutomine", true)
	id := w.approve(a)
	var sent wlSync
	eventually(ctx, t, 30*time.Second, 20*time.Millisecond, "the batch in the mempool", func() (bool, string) {
		sent = w.entrySync(id)
		return sent.State == "SENT" && w.pending() > 0, sent.String()
	})
	w.rpc("anvil_dropAllTransactions")
	if n := w.pending(); n != 0 {
		t.Fatalf("%d transactions pending after anvil_dropAllTransactions", n)
	}
	dropped := time.Now()
	eventually(ctx, t, 30*time.Second, 20*time.Millisecond, "the node to re-send its batch", func() (bool, string) {
		return w.pending() > 0, w.entrySync(id).String()
	})
	resent := time.Since(dropped)
	w.rpc("evm_mine")
	eventually(ctx, t, 30*time.Second, 50*time.Millisecond, "the entry CONFIRMED and the wallet eligible", func() (bool, string) {
		return w.confirmedOnChain(id, a)
	})
	if got := w.entrySync(id); got.TxHash != sent.TxHash {
		t.Fatalf("confirmed as %s, sent as %s: the re-sent batch was not the same transaction", got.TxHash, sent.TxHash)
	}
	t.Logf("dropped batch %s re-broadcast %s after anvil_dropAllTransactions; CONFIRMED %s after the drop",
		sent.TxHash[:10], resent.Round(time.Millisecond), time.Since(dropped).Round(time.Millisecond))
}

// reorged: a batch is CONFIRMED (at the node's depth, mining blocks as a live
// chain would); anvil_reorg replaces its block and those above it with empty
// ones, so the wallet is no longer eligible; without any API call the node
// notices, sends the batch again and the entry is CONFIRMED at the new block.
func (w *wlFaults) reorged(a account) {
	t, ctx := w.t, w.ctx
	confirm := uint64(w.node.confirm)
	mineWhileWaiting := func() {
		if confirm > 0 {
			w.rpc("anvil_mine", "0x1")
		}
	}
	id := w.approve(a)
	eventually(ctx, t, 30*time.Second, 50*time.Millisecond, "the entry CONFIRMED", func() (bool, string) {
		mineWhileWaiting()
		return w.confirmedOnChain(id, a)
	})
	before := w.entrySync(id)
	head := w.chain.head(ctx, t)
	depth := head - uint64(*before.Block) + 1
	w.rpc("anvil_reorg", depth, []any{})
	if w.eligibleOnChain(a.addr) {
		t.Fatalf("wallet %s still eligible after anvil_reorg of depth %d removed block %d", a.addr, depth, *before.Block)
	}
	if w.canonicalReceipt(before.TxHash) != nil {
		t.Fatalf("batch %s still canonical after the reorg", before.TxHash)
	}
	reorged := time.Now()
	var eligibleAfter time.Duration
	eventually(ctx, t, 30*time.Second, 50*time.Millisecond, "the wallet eligible again and the entry CONFIRMED", func() (bool, string) {
		if eligibleAfter == 0 && w.eligibleOnChain(a.addr) {
			eligibleAfter = time.Since(reorged)
		}
		ok, state := w.confirmedOnChain(id, a)
		if !ok {
			mineWhileWaiting()
		}
		return ok, state
	})
	after := w.entrySync(id)
	t.Logf("--confirmations %d: batch confirmed at block %d, anvil_reorg depth %d; eligible again after %s, CONFIRMED at block %d after %s",
		confirm, *before.Block, depth, eligibleAfter.Round(time.Millisecond), *after.Block, time.Since(reorged).Round(time.Millisecond))
}

// refusedUnderSpike: the next block's base fee jumps far above what the node
// prices from the latest block, so anvil refuses the batch ("max fee per gas
// less than block base fee"); the node replaces it at once with fees that
// cover the pending base fee, and it is mined under the spike.
func (w *wlFaults) refusedUnderSpike(a account) {
	t, ctx := w.t, w.ctx
	w.lowBaseFee()
	w.rpc("anvil_setNextBlockBaseFeePerGas", hexutil.EncodeBig(big.NewInt(highBaseFee)))
	start := time.Now()
	id := w.approve(a)
	// No block is mined before the node has signed: it prices from the
	// latest block, whose base fee is still low.
	eventually(ctx, t, 30*time.Second, 20*time.Millisecond, "the batch sent", func() (bool, string) {
		s := w.entrySync(id)
		return s.State != "PENDING", s.String()
	})
	eventually(ctx, t, 30*time.Second, 100*time.Millisecond, "the entry CONFIRMED under the spike", func() (bool, string) {
		ok, state := w.confirmedOnChain(id, a)
		if !ok && w.node.confirm > 0 && w.pending() == 0 {
			w.mineSpiked() // the node's confirmation depth, at the spiked fee
		}
		return ok, state + "; " + w.poolState()
	})
	if !strings.Contains(w.node.logTail(100000), "refused as under-priced") {
		t.Fatal("the node did not log a replacement of the refused batch")
	}
	w.checkMinedUnderSpike(w.entrySync(id), start)
}

// lowBaseFee mines a block at 1 gwei base fee: the node prices its next
// transaction from it.
func (w *wlFaults) lowBaseFee() {
	w.rpc("anvil_setNextBlockBaseFeePerGas", hexutil.EncodeBig(big.NewInt(1_000_000_000)))
	w.rpc("evm_mine")
}

// stuckUnderSpike: the batch enters the mempool at the normal fee; then every
// block is mined at the spiked base fee, so it is not mined. anvil drops it
// from the mempool at the first such block (geth would keep it, and the node
// would replace it after --stuck-blocks blocks: TestStuckBatchIsReplaced);
// the node's re-broadcast is refused as under-priced and it replaces the
// batch with the same nonce and higher fees, mined while the fee stays high.
func (w *wlFaults) stuckUnderSpike(a account) {
	t, ctx := w.t, w.ctx
	w.lowBaseFee()
	w.rpc("evm_setAutomine", false)
	defer w.rpc("evm_setAutomine", true)
	start := time.Now()
	id := w.approve(a)
	var first wlSync
	eventually(ctx, t, 30*time.Second, 20*time.Millisecond, "the batch in the mempool", func() (bool, string) {
		first = w.entrySync(id)
		return first.State == "SENT" && w.pending() > 0, first.String()
	})
	var blocks, replacedAfter int
	eventually(ctx, t, 60*time.Second, 150*time.Millisecond, "the stuck batch replaced and CONFIRMED", func() (bool, string) {
		ok, state := w.confirmedOnChain(id, a)
		if replacedAfter == 0 && w.entrySync(id).TxHash != first.TxHash {
			replacedAfter = blocks
		}
		if !ok {
			w.mineSpiked()
			blocks++
		}
		return ok, state
	})
	got := w.entrySync(id)
	if got.TxHash == first.TxHash {
		t.Fatalf("the stuck batch %s was mined unreplaced", first.TxHash)
	}
	t.Logf("stuck batch %s replaced by %s after %d spiked blocks; CONFIRMED after %d", first.TxHash[:10], got.TxHash[:10], replacedAfter, blocks)
	w.checkMinedUnderSpike(got, start)
}

// mineSpiked mines one block at the spiked base fee.
func (w *wlFaults) mineSpiked() {
	w.rpc("anvil_setNextBlockBaseFeePerGas", hexutil.EncodeBig(big.NewInt(highBaseFee)))
	w.rpc("evm_mine")
}

// checkMinedUnderSpike: the batch was mined in a block whose base fee is the
// spiked one, at a price covering it.
func (w *wlFaults) checkMinedUnderSpike(s wlSync, start time.Time) {
	t, ctx := w.t, w.ctx
	r := w.canonicalReceipt(s.TxHash)
	hdr := w.chain.header(ctx, t, r.BlockNumber.Uint64())
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	tx, _, err := w.chain.eth.TransactionByHash(cctx, common.HexToHash(s.TxHash))
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	if hdr.BaseFee == nil || hdr.BaseFee.Cmp(big.NewInt(highBaseFee*7/8)) < 0 || r.EffectiveGasPrice.Cmp(hdr.BaseFee) < 0 {
		t.Fatalf("batch mined in block %d at base fee %v, price %v: not under the spike", r.BlockNumber, hdr.BaseFee, r.EffectiveGasPrice)
	}
	t.Logf("batch %s mined in block %d at base fee %s gwei; its fee cap %s gwei, tip %s gwei; CONFIRMED %s after approval",
		s.TxHash[:10], r.BlockNumber, gwei(hdr.BaseFee), gwei(tx.GasFeeCap()), gwei(tx.GasTipCap()), time.Since(start).Round(time.Millisecond))
	if strings.Contains(w.node.logTail(200), "transaction already imported") {
		t.Fatal("the node logged \"transaction already imported\"")
	}
}

func gwei(v *big.Int) string {
	f, _ := new(big.Float).Quo(new(big.Float).SetInt(v), big.NewFloat(1e9)).Float64()
	return fmt.Sprintf("%.3f", f)
}

// wlLogTail is the end of the daemon's log without its access log lines.
func wlLogTail(s *stonode, n int) string {
	var keep []string
	for _, l := range strings.Split(s.logTail(100000), "\n") {
		if !strings.Contains(l, `"msg":"http"`) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep[max(0, len(keep)-n):], "\n")
}

// poolState describes the mempool and the node key's nonces, for failures.
func (w *wlFaults) poolState() string {
	var st struct{ Pending, Queued hexutil.Uint64 }
	w.chain.call(w.ctx, w.t, &st, "txpool_status")
	node := anvilAccount(w.t, 0).addr
	cctx, cancel := context.WithTimeout(w.ctx, 10*time.Second)
	defer cancel()
	pending, _ := w.chain.eth.PendingNonceAt(cctx, node)
	head := w.chain.head(w.ctx, w.t)
	var txs []string
	for n := uint64(1); n <= head; n++ {
		b, err := w.chain.eth.BlockByNumber(cctx, new(big.Int).SetUint64(n))
		if err != nil {
			continue
		}
		for _, tx := range b.Transactions() {
			txs = append(txs, fmt.Sprintf("%d:%d:%s", n, tx.Nonce(), tx.Hash().Hex()[:10]))
		}
	}
	return fmt.Sprintf("pool pending %d queued %d, node nonce %d (pending %d), head %d, txs %v",
		st.Pending, st.Queued, w.chain.nonce(w.ctx, w.t, node, nil), pending, head, txs)
}
