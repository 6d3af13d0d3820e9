package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/stonode/stonode/contracts/bindings"
)

// controls drives issue 10's controls against anvil with the node's key
// (anvil #0), a writer key (#6, --writer-key-file), an agent key (#7,
// STONODE_AGENT_KEY) and an admin key (#8, --admin-key-file).
type controls struct {
	t         *testing.T
	ctx       context.Context
	chain     *anvil
	api       *apiClient
	opKey     string
	sellerKey string
	base      string
	token     common.Address
	registry  common.Address
	writer    account
	agent     account
	admin     account
}

// TestAnvilTransferControls: an unapproved transfer sent with cast reverts with
// TRANSFER_NOT_APPROVED (70), an approved one succeeds once and its replay
// reverts; a lock with a release time releases itself while getFrozenTokens
// equals the sum of active locks; a recovery moves everything and the old
// wallet can no longer receive; each operation is signed by its role's key;
// the admin handed to another address leaves the node without the admin role.
func TestAnvilTransferControls(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test against anvil: skipped in -short mode")
	}
	c, cancel := startSeparateKeyNode(t)
	defer cancel()
	ctx := c.ctx

	alice, bob, carol, issuer := anvilAccount(t, 1), anvilAccount(t, 2), anvilAccount(t, 3), anvilAccount(t, 9)
	c.setUp(alice, bob)

	// Transfer approval.
	if code, ok := c.castTransfer(alice, bob.addr, 100); ok || code != 70 {
		t.Fatalf("unapproved cast transfer: ok=%v code=%d, want a revert with 70", ok, code)
	}
	var approval struct {
		ID          int64
		OperationID int64 `json:"operationId"`
	}
	c.api.must(ctx, 201, "POST", c.base+"/transfer-approvals", c.sellerKey, map[string]any{"from": alice.addr.Hex(), "to": bob.addr.Hex(),
		"amount": "100", "expiresAt": time.Now().UTC().Add(time.Hour).Format(time.RFC3339)}, &approval)
	c.api.must(ctx, 202, "POST", fmt.Sprintf("%s/transfer-approvals/%d/approve", c.base, approval.ID), c.sellerKey, map[string]any{}, &approval)
	c.signedBy(c.await(approval.OperationID), c.agent)
	if _, ok := c.castTransfer(alice, bob.addr, 100); !ok {
		t.Fatal("approved cast transfer reverted")
	}
	if code, ok := c.castTransfer(alice, bob.addr, 100); ok || code != 70 {
		t.Fatalf("replayed cast transfer: ok=%v code=%d, want a revert with 70", ok, code)
	}

	// Locks: getFrozenTokens equals the sum of active locks at every settled step.
	// Far enough ahead that both locks are active before it on a loaded
	// machine (each takes two operations' worth of blocks and polls).
	release := time.Now().UTC().Add(20 * time.Second).Truncate(time.Second)
	l1 := c.lock(alice, "200", &release)
	c.lockSettles(l1, "ACTIVE")
	c.frozenIsSumOfLocks(alice, 200)
	l2 := c.lock(alice, "100", nil)
	c.lockSettles(l2, "ACTIVE")
	c.frozenIsSumOfLocks(alice, 300)
	if time.Now().After(release) {
		t.Fatalf("the locks took past their release time to settle; the checks above raced it")
	}
	c.lockSettles(l1, "RELEASED") // by the node, at its release time
	c.frozenIsSumOfLocks(alice, 100)

	// Recovery: alice's wallet is lost; carol's address is her new one.
	var rec struct{ ID int64 }
	c.api.must(ctx, 202, "POST", c.base+"/recoveries", c.sellerKey, map[string]any{"lostWallet": alice.addr.Hex(),
		"newWallet": carol.addr.Hex(), "reason": "seed phrase lost"}, &rec)
	c.signedBy(c.await(rec.ID), c.agent)
	if a, n := c.balance(alice.addr), c.balance(carol.addr); a != 0 || n != 900 {
		t.Fatalf("after recovery: lost %d, new %d; want 0 and 900", a, n)
	}
	c.frozenIsSumOfLocks(carol, 100)
	c.frozenIsSumOfLocks(alice, 0)
	if code, ok := c.castTransfer(bob, alice.addr, 1); ok || code != 37 {
		t.Fatalf("cast transfer to the lost wallet: ok=%v code=%d, want a revert with 37 (ACCOUNT_FROZEN)", ok, code)
	}

	// Admin handover.
	var handover struct{ ID int64 }
	c.api.must(ctx, 202, "POST", c.base+"/deployment/admin", c.sellerKey, map[string]any{"address": issuer.addr.Hex()}, &handover)
	c.signedBy(c.await(handover.ID), c.admin)
	for name, contract := range map[string]common.Address{"token": c.token, "registry": c.registry} {
		if c.hasRole(contract, c.admin.addr) || c.hasRole(contract, anvilAccount(t, 0).addr) {
			t.Fatalf("%s: a node key still holds DEFAULT_ADMIN_ROLE", name)
		}
		if !c.hasRole(contract, issuer.addr) {
			t.Fatalf("%s: the issuer does not hold DEFAULT_ADMIN_ROLE", name)
		}
	}
	var report struct {
		Roles []struct{ Contract, Role, Address, Node string }
	}
	c.api.must(ctx, 200, "GET", c.base+"/reconcile", c.sellerKey, nil, &report)
	for _, r := range report.Roles {
		if strings.Contains(r.Node, "admin") {
			t.Fatalf("reconcile reports the node's admin key holding %s on the %s", r.Role, r.Contract)
		}
	}
	if len(report.Roles) < 4 {
		t.Fatalf("reconcile roles: %+v", report.Roles)
	}
}

func (c *controls) setUp(investors ...account) {
	t, ctx, api := c.t, c.ctx, c.api
	var seller struct{ ID int64 }
	api.must(ctx, 201, "POST", "/v1/sellers", c.opKey, map[string]any{"legalName": "E2E Securities", "corporateNumber": "7000012050002",
		"fsaRegistration": "関東財務局長(金商)第44号", "licence": "TYPE1", "membership": "FULL"}, &seller)
	var key struct{ Key string }
	api.must(ctx, 201, "POST", fmt.Sprintf("/v1/sellers/%d/keys", seller.ID), c.opKey, map[string]any{"name": "e2e"}, &key)
	c.sellerKey = key.Key
	var iss struct{ ID int64 }
	api.must(ctx, 201, "POST", "/v1/issuances", c.sellerKey, map[string]any{"issuerName": "E2E Issuer", "tokenName": "E2E Approved",
		"tokenSymbol": "E2A", "decimals": 0, "legalForm": "SHARE", "fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC",
		"transferApprovalRequired": true}, &iss)
	c.base = fmt.Sprintf("/v1/issuances/%d", iss.ID)
	api.must(ctx, 200, "POST", c.base+"/status", c.sellerKey, map[string]any{"status": "REGISTERED"}, nil)
	var op struct {
		ID     int64
		Status string
		Error  string
		Result map[string]string
	}
	api.must(ctx, 202, "POST", c.base+"/deploy", c.sellerKey, nil, &op)
	eventually(ctx, t, 60*time.Second, 50*time.Millisecond, "the deployment", func() (bool, string) {
		api.must(ctx, 200, "GET", fmt.Sprintf("/v1/operations/%d", op.ID), c.sellerKey, nil, &op)
		if op.Status == "FAILED" {
			t.Fatalf("deployment failed: %s", op.Error)
		}
		return op.Status == "SUCCEEDED", op.Status
	})
	c.token, c.registry = common.HexToAddress(op.Result["tokenAddress"]), common.HexToAddress(op.Result["registryAddress"])
	// The admin key (fresh on this anvil) created both: its nonces 0 and 1.
	if c.registry != crypto.CreateAddress(c.admin.addr, 0) || c.token != crypto.CreateAddress(c.admin.addr, 1) {
		t.Fatalf("contracts %s, %s were not created by the admin key %s", c.registry, c.token, c.admin.addr)
	}
	api.must(ctx, 200, "POST", c.base+"/status", c.sellerKey, map[string]any{"status": "OFFERING"}, nil)

	reviewDue := time.Now().UTC().AddDate(1, 0, 0).Format(time.RFC3339)
	verified := time.Now().UTC().AddDate(0, -1, 0).Format(time.RFC3339)
	for i, a := range investors {
		var inv struct{ ID int64 }
		api.must(ctx, 201, "POST", "/v1/investors", c.sellerKey, map[string]any{
			"customerRef": fmt.Sprintf("CTL-%d", i), "personType": "INDIVIDUAL", "residenceCountry": "JP", "dateOfBirth": "1980-04-01",
			"kyc":       map[string]any{"status": "VERIFIED", "method": "eKYC", "verifiedAt": verified, "reviewDue": reviewDue},
			"screening": map[string]any{"sanctions": "CLEAR", "antisocial": "CLEAR"},
			"wallets":   []any{map[string]any{"address": a.addr.Hex()}},
		}, &inv)
		api.must(ctx, 200, "PUT", fmt.Sprintf("%s/whitelist/%d", c.base, inv.ID), c.sellerKey, nil, nil)
	}
	reg := bindings.NewEligibilityRegistry()
	inst := reg.Instance(c.chain.eth, c.registry)
	eventually(ctx, t, 60*time.Second, 100*time.Millisecond, "the whitelist sync", func() (bool, string) {
		for _, a := range investors {
			code, err := bind.Call(inst, &bind.CallOpts{Context: ctx}, reg.PackCheckReceiver(a.addr), reg.UnpackCheckReceiver)
			if err != nil || code != 0 {
				return false, fmt.Sprintf("%s: %d %v", a.addr, code, err)
			}
		}
		return true, ""
	})
	// The whitelist batches were signed by the writer key.
	var entries struct {
		Items []struct {
			Sync struct {
				TxHash string `json:"txHash"`
			} `json:"sync"`
		}
	}
	eventually(ctx, t, 30*time.Second, 100*time.Millisecond, "the whitelist entries' transaction hashes", func() (bool, string) {
		api.must(ctx, 200, "GET", c.base+"/whitelist", c.sellerKey, nil, &entries)
		for _, e := range entries.Items {
			if e.Sync.TxHash == "" {
				return false, "an entry without a transaction"
			}
		}
		return len(entries.Items) == len(investors), fmt.Sprint(len(entries.Items), " entries")
	})
	for _, e := range entries.Items {
		c.signedBy([]string{e.Sync.TxHash}, c.writer)
	}
	var mint struct{ ID int64 }
	api.must(ctx, 202, "POST", c.base+"/mint", c.sellerKey, map[string]any{"to": investors[0].addr.Hex(), "amount": "1000"}, &mint)
	c.signedBy(c.await(mint.ID), c.agent)
}

// await waits for an operation to succeed and returns its transaction hashes.
func (c *controls) await(id int64) []string {
	c.t.Helper()
	var op struct {
		Status string
		Error  string
		Result map[string]string
	}
	eventually(c.ctx, c.t, 90*time.Second, 50*time.Millisecond, fmt.Sprintf("operation %d", id), func() (bool, string) {
		c.api.must(c.ctx, 200, "GET", fmt.Sprintf("/v1/operations/%d", id), c.sellerKey, nil, &op)
		if op.Status == "FAILED" {
			c.t.Fatalf("operation %d failed: %s %v", id, op.Error, op.Result)
		}
		return op.Status == "SUCCEEDED", op.Status
	})
	if h := op.Result["txHashes"]; h != "" {
		return strings.Split(h, ",")
	}
	if h := op.Result["txHash"]; h != "" {
		return []string{h}
	}
	c.t.Fatalf("operation %d has no transaction hash: %v", id, op.Result)
	return nil
}

// signedBy checks that each transaction was signed by a's key.
func (c *controls) signedBy(hashes []string, a account) {
	c.t.Helper()
	for _, h := range hashes {
		tx, _, err := c.chain.eth.TransactionByHash(c.ctx, common.HexToHash(h))
		if err != nil {
			c.t.Fatalf("transaction %s: %v", h, err)
		}
		from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
		if err != nil || from != a.addr {
			c.t.Fatalf("transaction %s signed by %s (%v), want %s", h, from, err, a.addr)
		}
	}
}

// castTransfer sends transfer(to, amount) from a holder's key with `cast
// send`; on a revert it returns the TransferRestricted code.
func (c *controls) castTransfer(from account, to common.Address, amount int64) (uint8, bool) {
	c.t.Helper()
	castBin := filepath.Join(repoRoot(c.t), "contracts", "node_modules", ".bin", "cast")
	cctx, cancel := context.WithTimeout(c.ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(cctx, castBin, "send", "--rpc-url", c.chain.url, "--private-key", "0x"+from.hex,
		c.token.Hex(), "transfer(address,uint256)", to.Hex(), strconv.FormatInt(amount, 10))
	out, err := cmd.CombinedOutput()
	if err == nil {
		return 0, true
	}
	m := castErrorData.FindSubmatch(out)
	if m == nil {
		c.t.Fatalf("cast send failed without TransferRestricted revert data (%v):\n%s", err, out)
	}
	v, perr := strconv.ParseUint(string(m[1]), 16, 8)
	if perr != nil {
		c.t.Fatalf("cast revert argument %s: %v", m[1], perr)
	}
	return uint8(v), false
}

func (c *controls) lock(w account, amount string, releaseAt *time.Time) int64 {
	c.t.Helper()
	body := map[string]any{"wallet": w.addr.Hex(), "amount": amount, "reason": "GARNISHMENT", "reference": "Tokyo District Court 2026(ル)1"}
	if releaseAt != nil {
		body["releaseAt"] = releaseAt.Format(time.RFC3339)
	}
	var l struct {
		ID     int64
		LockOp int64 `json:"lockOperationId"`
	}
	c.api.must(c.ctx, 202, "POST", c.base+"/locks", c.sellerKey, body, &l)
	c.signedBy(c.await(l.LockOp), c.agent)
	return l.ID
}

func (c *controls) lockSettles(id int64, status string) {
	c.t.Helper()
	eventually(c.ctx, c.t, 60*time.Second, 100*time.Millisecond, fmt.Sprintf("lock %d %s", id, status), func() (bool, string) {
		var l struct{ Status string }
		c.api.must(c.ctx, 200, "GET", fmt.Sprintf("%s/locks/%d", c.base, id), c.sellerKey, nil, &l)
		return l.Status == status, l.Status
	})
}

// frozenIsSumOfLocks checks getFrozenTokens(w) against the sum of w's active
// locks in the registry, and against want.
func (c *controls) frozenIsSumOfLocks(w account, want int64) {
	c.t.Helper()
	var locks struct {
		Items []struct{ Amount, Status string }
	}
	c.api.must(c.ctx, 200, "GET", c.base+"/locks?wallet="+w.addr.Hex(), c.sellerKey, nil, &locks)
	var sum int64
	for _, l := range locks.Items {
		if l.Status == "ACTIVE" || l.Status == "RELEASING" {
			n, _ := strconv.ParseInt(l.Amount, 10, 64)
			sum += n
		}
	}
	frozen, err := bind.Call(tok.Instance(c.chain.eth, c.token), &bind.CallOpts{Context: c.ctx}, tok.PackGetFrozenTokens(w.addr), tok.UnpackGetFrozenTokens)
	if err != nil {
		c.t.Fatal(err)
	}
	if frozen.Int64() != sum || sum != want {
		c.t.Fatalf("%s: getFrozenTokens %s, active locks %d, want %d", w.addr, frozen, sum, want)
	}
}

func (c *controls) balance(a common.Address) int64 {
	c.t.Helper()
	v, err := bind.Call(tok.Instance(c.chain.eth, c.token), &bind.CallOpts{Context: c.ctx}, tok.PackBalanceOf(a), tok.UnpackBalanceOf)
	if err != nil {
		c.t.Fatal(err)
	}
	return v.Int64()
}

func (c *controls) hasRole(contract, who common.Address) bool {
	c.t.Helper()
	v, err := bind.Call(tok.Instance(c.chain.eth, contract), &bind.CallOpts{Context: c.ctx}, tok.PackHasRole(common.Hash{}, who), tok.UnpackHasRole)
	if err != nil {
		c.t.Fatal(err)
	}
	return v
}

// startSeparateKeyNode builds stonode and runs it against a fresh anvil with
// separate writer (key file), agent (environment) and admin (key file) keys,
// and an operator key in c.opKey. cancel ends the test's context.
func startSeparateKeyNode(t *testing.T) (*controls, context.CancelFunc) {
	t.Helper()
	root := repoRoot(t)
	anvilBin := anvilBinary(t, root)
	timeout := 5 * time.Minute
	if d, ok := t.Deadline(); ok && time.Until(d)-10*time.Second < timeout {
		timeout = time.Until(d) - 10*time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	dir := t.TempDir()
	bin := buildStonode(ctx, t, root, dir)
	chain := startAnvil(ctx, t, anvilBin, "--silent")
	c := &controls{t: t, ctx: ctx, chain: chain, writer: anvilAccount(t, 6), agent: anvilAccount(t, 7), admin: anvilAccount(t, 8)}
	keyFile := func(name string, a account) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(a.hex+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	node := &stonode{t: t, bin: bin, dataDir: filepath.Join(dir, "data"), addr: fmt.Sprintf("127.0.0.1:%d", freePort(t)),
		rpcURL: chain.url, nodeKey: anvilKeys[0], logPath: filepath.Join(dir, "stonode.log"),
		extraArgs: []string{"--writer-key-file", keyFile("writer.key", c.writer), "--admin-key-file", keyFile("admin.key", c.admin)},
		extraEnv:  []string{"STONODE_AGENT_KEY=0x" + c.agent.hex}}
	t.Cleanup(func() {
		if node.p != nil {
			_ = node.p.stop(syscall.SIGKILL, 10*time.Second)
		}
		if t.Failed() {
			t.Log(node.logTail(80))
		}
	})
	c.api = &apiClient{t: t, base: "http://" + node.addr, hc: &http.Client{}}
	c.opKey = node.run(ctx, "keys", "create", "--role", "operator", "--name", "e2e", "--data-dir", node.dataDir, "--log-level", "warn")
	node.start(ctx)
	return c, cancel
}
