package api_test

import (
	"context"
	"crypto/ecdsa"
	"log/slog"
	"math/big"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"

	"github.com/stonode/stonode/api"
	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/chain/mirror"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// controlsRig is tokenRig with separate writer, agent and admin keys, the
// transfer controls wired in, the whitelist sync and the lock release running.
type controlsRig struct {
	*tokenRig
	keys map[chain.KeyRole]*ecdsa.PrivateKey
}

func startControlsRig(t *testing.T, engine store.Dialect) *controlsRig {
	t.Helper()
	clock := storetest.NewClock(now)
	st := storetest.Open(t, engine, clock.Now)
	nodeKey, _ := crypto.GenerateKey()
	conn, err := chain.OpenSimulated(nodeKey, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	keys := map[chain.KeyRole]*ecdsa.PrivateKey{}
	for _, r := range chain.KeyRoles {
		keys[r], _ = crypto.GenerateKey()
	}
	if err := conn.SetRoleKeys(keys); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var fund []common.Address
	for _, a := range conn.RoleAddresses() {
		fund = append(fund, a)
	}
	if err := conn.Fund(ctx, new(big.Int).Mul(big.NewInt(100), big.NewInt(params.Ether)), fund...); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	syncer := chain.NewSyncer(conn, st.Outbox, log, clock.Now)
	svc := chain.NewOperationsWith(conn, st.Chain(), log, chain.OperationsConfig{Controls: st, Reconciler: syncer,
		LockReleaseEvery: 50 * time.Millisecond})
	svc.SetClock(clock.Now)
	done := make(chan struct{}, 2)
	go func() { _ = svc.Run(ctx); done <- struct{}{} }()
	go func() { _ = syncer.Run(ctx, 50*time.Millisecond); done <- struct{}{} }()
	t.Cleanup(func() { cancel(); <-done; <-done })
	srv := httptest.NewServer(api.New(st, api.Options{Clock: clock.Now, Chain: svc, Mirror: st, Controls: svc}))
	t.Cleanup(srv.Close)
	return &controlsRig{tokenRig: &tokenRig{node: &node{t: t, url: srv.URL, st: st, clock: clock}, ctx: ctx, conn: conn,
		syncer: syncer, tok: bindings.NewSecurityToken()}, keys: keys}
}

// sender is the account that signed a mined transaction.
func (r *controlsRig) sender(hash string) common.Address {
	r.t.Helper()
	tx, _, err := r.conn.Client.(ethereum.TransactionReader).TransactionByHash(r.ctx, common.HexToHash(hash))
	if err != nil {
		r.t.Fatalf("transaction %s: %v", hash, err)
	}
	from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
	if err != nil {
		r.t.Fatal(err)
	}
	return from
}

func (r *controlsRig) signedBy(op response, role chain.KeyRole) {
	r.t.Helper()
	want := crypto.PubkeyToAddress(r.keys[role].PublicKey)
	hashes := op.str("result", "txHashes")
	if hashes == "" {
		hashes = op.str("result", "txHash")
	}
	for _, h := range strings.Split(hashes, ",") {
		if got := r.sender(h); got != want {
			r.t.Fatalf("%s operation %s: transaction %s signed by %s, want the %s key %s", op.str("kind"), op.str("id"), h, got, role, want)
		}
	}
}

// holderTransfer sends transfer(to, amount) signed by a holder's own key, as
// `cast send` would: the node is not involved. It returns the receipt and,
// for a reverted one, the reason code the call reverts with at that block.
func (r *controlsRig) holderTransfer(key *ecdsa.PrivateKey, token common.Address, to string, amount int64) (*types.Receipt, registry.ReasonCode) {
	r.t.Helper()
	from := crypto.PubkeyToAddress(key.PublicKey)
	data := r.tok.PackTransfer(common.HexToAddress(to), big.NewInt(amount))
	nonce, err := r.conn.Client.PendingNonceAt(r.ctx, from)
	if err != nil {
		r.t.Fatal(err)
	}
	head, err := r.conn.Client.HeaderByNumber(r.ctx, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	fee := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), big.NewInt(params.GWei))
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(big.NewInt(r.conn.ChainID)), &types.DynamicFeeTx{
		ChainID: big.NewInt(r.conn.ChainID), Nonce: nonce, GasTipCap: big.NewInt(params.GWei), GasFeeCap: fee, Gas: 200_000,
		To: &token, Data: data})
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.conn.Client.SendTransaction(r.ctx, tx); err != nil {
		r.t.Fatal(err)
	}
	receipt, err := r.conn.WaitMined(r.ctx, tx.Hash())
	if err != nil {
		r.t.Fatal(err)
	}
	if receipt.Status == types.ReceiptStatusSuccessful {
		return receipt, registry.CodeOK
	}
	_, cerr := r.conn.Client.CallContract(r.ctx, ethereum.CallMsg{From: from, To: &token, Data: data}, receipt.BlockNumber)
	revert, ok := ethclient.RevertErrorData(cerr)
	if !ok {
		r.t.Fatalf("reverted transfer: no revert data on replay: %v", cerr)
	}
	rv, ok := chain.DecodeRevert(revert)
	if !ok || !rv.Restricted {
		r.t.Fatalf("reverted transfer: %x is not a restriction", revert)
	}
	return receipt, rv.Code
}

func (r *controlsRig) hasRole(contract *bind.BoundContract, role common.Hash, who common.Address) bool {
	r.t.Helper()
	v, err := bind.Call(contract, &bind.CallOpts{Context: r.ctx}, r.tok.PackHasRole(role, who), r.tok.UnpackHasRole)
	if err != nil {
		r.t.Fatal(err)
	}
	return v
}

// waitFor polls cond until it holds or 30 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestTransferControlsOverHTTP drives issue 10's controls on the simulated
// chain with a writer, an agent and an admin key of their own: transfer
// approval (an unapproved holder transfer reverts with TRANSFER_NOT_APPROVED,
// an approved one succeeds once, its replay reverts), holder locks (the
// frozen amount is the sum of active locks throughout, a lock with a release
// time releases itself), a lost-wallet recovery, and the admin handover.
func TestTransferControlsOverHTTP(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			r := startControlsRig(t, engine)
			op := r.operatorKey()
			sid := r.must(201, "POST", "/v1/sellers", op, sellerBody("7000012050002")).str("id")
			sk := r.must(201, "POST", "/v1/sellers/"+sid+"/keys", op, map[string]any{}).str("key")
			reader := r.must(201, "POST", "/v1/keys", op, map[string]any{"role": "reader"}).str("key")
			id := r.must(201, "POST", "/v1/issuances", sk, map[string]any{"issuerName": "I", "tokenName": "Tokyo TA",
				"tokenSymbol": "TTA", "decimals": 0, "legalForm": "SHARE", "fieaClass": "PARA1_TOKEN",
				"offeringType": "SMALL_NUMBER_PRIVATE", "transferApprovalRequired": true}).str("id")
			base := "/v1/issuances/" + id
			r.must(200, "POST", base+"/status", sk, map[string]any{"status": "REGISTERED"})
			deployed := r.await(sk, r.do("POST", base+"/deploy", sk, nil))
			if deployed.str("status") != "SUCCEEDED" {
				t.Fatalf("deploy: %s", deployed.raw)
			}
			tokenAddr := common.HexToAddress(deployed.str("result", "tokenAddress"))
			regAddr := common.HexToAddress(deployed.str("result", "registryAddress"))
			r.token = r.tok.Instance(r.conn.Client, tokenAddr)
			block, _ := strconv.ParseUint(deployed.str("result", "deploymentBlock"), 10, 64)
			eng := mirror.New(mirror.Config{ChainID: r.conn.ChainID, Token: tokenAddr, StartBlock: block,
				PollInterval: 20 * time.Millisecond}, r.conn.Client, r.st)
			mctx, stopMirror := context.WithCancel(r.ctx)
			mdone := make(chan struct{})
			go func() { _ = eng.Run(mctx); close(mdone) }()
			t.Cleanup(func() { stopMirror(); <-mdone })
			r.must(200, "POST", base+"/status", sk, map[string]any{"status": "OFFERING"})
			addr := func(role chain.KeyRole) common.Address { return crypto.PubkeyToAddress(r.keys[role].PublicKey) }

			// Separate keys: the admin key deployed and holds only the admin
			// role; the writer and agent keys hold theirs.
			roles := r.must(200, "GET", base+"/deployment/roles", sk, nil)
			held := map[string]bool{}
			for _, h := range roles.body["roles"].([]any) {
				m := h.(map[string]any)
				held[m["contract"].(string)+" "+m["role"].(string)+" "+m["node"].(string)] = true
			}
			for _, want := range []string{"token DEFAULT_ADMIN_ROLE admin", "token AGENT_ROLE agent",
				"registry DEFAULT_ADMIN_ROLE admin", "registry WRITER_ROLE writer"} {
				if !held[want] {
					t.Fatalf("roles: missing %q in %s", want, roles.raw)
				}
			}
			if held["registry WRITER_ROLE admin"] || held["token AGENT_ROLE admin"] {
				t.Fatalf("the admin key kept a role it does not use: %s", roles.raw)
			}

			// Holders sign their own transfers.
			holder := map[string]*ecdsa.PrivateKey{}
			var holders []common.Address
			for _, n := range []string{"alice", "bob", "carol"} {
				holder[n], _ = crypto.GenerateKey()
				holders = append(holders, crypto.PubkeyToAddress(holder[n].PublicKey))
			}
			if err := r.conn.Fund(r.ctx, big.NewInt(params.Ether), holders...); err != nil {
				t.Fatal(err)
			}
			alice, bob, carol := strings.ToLower(holders[0].Hex()), strings.ToLower(holders[1].Hex()), strings.ToLower(holders[2].Hex())
			invA := r.must(201, "POST", "/v1/investors", sk, investorBody("C-A", alice, nil)).str("id")
			invB := r.must(201, "POST", "/v1/investors", sk, investorBody("C-B", bob, nil)).str("id")
			r.must(200, "PUT", base+"/whitelist/"+invA, sk, nil)
			r.must(200, "PUT", base+"/whitelist/"+invB, sk, nil)
			reg := bindings.NewEligibilityRegistry()
			regC := reg.Instance(r.conn.Client, regAddr)
			eligible := func(w string) bool {
				code, err := bind.Call(regC, &bind.CallOpts{Context: r.ctx}, reg.PackCheckReceiver(common.HexToAddress(w)), reg.UnpackCheckReceiver)
				return err == nil && code == 0
			}
			waitFor(t, "whitelist sync of alice and bob", func() bool { return eligible(alice) && eligible(bob) })
			minted := r.succeed(sk, base+"/mint", map[string]any{"to": alice, "amount": "1000"})
			r.signedBy(minted, chain.KeyAgent)
			holds := func(w, balance, locked string) bool {
				for _, h := range r.must(200, "GET", base+"/holders", sk, nil).body["wallets"].([]any) {
					m := h.(map[string]any)
					if m["wallet"] == w {
						l, _ := m["locked"].(string)
						return m["balance"] == balance && l == locked
					}
				}
				return false
			}
			waitFor(t, "the mirror to see the mint", func() bool { return holds(alice, "1000", "") })

			{ // transfer approval
				check := func(amount string) response {
					return r.must(200, "POST", base+"/transfer-checks", reader, map[string]any{"from": alice, "to": bob, "amount": amount})
				}
				if c := check("100"); c.str("code") != "TRANSFER_NOT_APPROVED" {
					t.Fatalf("transfer check without approval: %s", c.raw)
				}
				if _, code := r.holderTransfer(holder["alice"], tokenAddr, bob, 100); code != registry.CodeTransferNotApproved {
					t.Fatalf("unapproved holder transfer: code %s, want TRANSFER_NOT_APPROVED", code)
				}
				applied := r.must(201, "POST", base+"/transfer-approvals", sk, map[string]any{"from": alice, "to": bob, "amount": "100",
					"expiresAt": time.Now().Add(24 * time.Hour).Format(time.RFC3339), "note": "sale agreement 2026-06"})
				if applied.str("status") != "REQUESTED" {
					t.Fatalf("apply: %s", applied.raw)
				}
				aid := applied.str("id") // (the simulated chain's clock is the real one, the registry's is the test's)
				approved := r.must(202, "POST", base+"/transfer-approvals/"+aid+"/approve", sk, map[string]any{"reason": "board resolution"})
				rec := r.await(sk, response{status: 202, body: map[string]any{"id": approved.str("operationId")}})
				if rec.str("status") != "SUCCEEDED" || rec.str("kind") != "APPROVE_TRANSFER" {
					t.Fatalf("approval on-chain: %s", rec.raw)
				}
				r.signedBy(rec, chain.KeyAgent)
				if c := check("100"); c.str("allowed") != "true" {
					t.Fatalf("transfer check with approval: %s", c.raw)
				}
				if c := check("99"); c.str("code") != "TRANSFER_NOT_APPROVED" {
					t.Fatalf("transfer check of another amount: %s", c.raw)
				}
				if _, code := r.holderTransfer(holder["alice"], tokenAddr, bob, 100); code != registry.CodeOK {
					t.Fatalf("approved holder transfer: code %s", code)
				}
				if _, code := r.holderTransfer(holder["alice"], tokenAddr, bob, 100); code != registry.CodeTransferNotApproved {
					t.Fatalf("replayed transfer: code %s, want TRANSFER_NOT_APPROVED", code)
				}
				if a, b := r.balance(alice), r.balance(bob); a != 900 || b != 100 {
					t.Fatalf("balances alice=%d bob=%d, want 900, 100", a, b)
				}
				waitFor(t, "the mirror to see the transfer", func() bool { return holds(bob, "100", "") })
				if c := check("100"); c.str("code") != "TRANSFER_NOT_APPROVED" {
					t.Fatalf("transfer check after the approved transfer: %s", c.raw)
				}
				// Decisions: a decided application cannot be decided again; a
				// rejected one queues nothing.
				if res := r.do("POST", base+"/transfer-approvals/"+aid+"/reject", sk, nil); res.status != 409 {
					t.Fatalf("rejecting an approved application: %d %s", res.status, res.raw)
				}
				other := r.must(201, "POST", base+"/transfer-approvals", sk, map[string]any{"from": bob, "to": alice, "amount": "5",
					"expiresAt": now.Add(time.Hour).Format(time.RFC3339)}).str("id")
				if res := r.must(200, "POST", base+"/transfer-approvals/"+other+"/reject", sk, map[string]any{"reason": "no"}); res.str("operationId") != "" {
					t.Fatalf("rejection queued an operation: %s", res.raw)
				}
				list := r.must(200, "GET", base+"/transfer-approvals?status=REJECTED", sk, nil)
				if items := list.body["items"].([]any); len(items) != 1 {
					t.Fatalf("rejected list: %s", list.raw)
				}
			}

			frozen := func(w string) int64 { return r.frozenTokens(w).Int64() }
			activeSum := func(w string) int64 {
				var sum int64
				for _, l := range r.must(200, "GET", base+"/locks?wallet="+w, sk, nil).body["items"].([]any) {
					m := l.(map[string]any)
					if s := m["status"].(string); s == "ACTIVE" || s == "RELEASING" {
						n, _ := strconv.ParseInt(m["amount"].(string), 10, 64)
						sum += n
					}
				}
				return sum
			}
			lockStatus := func(lid string) string {
				return r.must(200, "GET", base+"/locks/"+lid, sk, nil).str("status")
			}

			{ // holder locks
				release := now.Add(time.Hour)
				l1 := r.must(202, "POST", base+"/locks", sk, map[string]any{"wallet": alice, "amount": "200", "reason": "GARNISHMENT",
					"reference": "Tokyo District Court 2026(ル)123", "releaseAt": release.Format(time.RFC3339)})
				frozeOp := r.await(sk, response{status: 202, body: map[string]any{"id": l1.str("lockOperationId")}})
				r.signedBy(frozeOp, chain.KeyAgent)
				waitFor(t, "lock 1 active", func() bool { return lockStatus(l1.str("id")) == "ACTIVE" })
				if f, s := frozen(alice), activeSum(alice); f != 200 || s != 200 {
					t.Fatalf("after lock 1: frozen %d, active locks %d, want 200", f, s)
				}
				l2 := r.must(202, "POST", base+"/locks", sk, map[string]any{"wallet": alice, "amount": "100", "reason": "PLEDGE",
					"reference": "pledge agreement P-7"})
				waitFor(t, "lock 2 active", func() bool { return lockStatus(l2.str("id")) == "ACTIVE" })
				if f, s := frozen(alice), activeSum(alice); f != 300 || s != 300 {
					t.Fatalf("after lock 2: frozen %d, active locks %d, want 300", f, s)
				}
				// The register shows what is locked.
				waitFor(t, "register shows the lock", func() bool { return holds(alice, "900", "300") })
				// Operations that would take locked tokens are refused before sending.
				for _, c := range []struct {
					path string
					body map[string]any
				}{
					{"/redemptions", map[string]any{"from": alice, "amount": "601"}},
					{"/forced-transfers", map[string]any{"from": alice, "to": bob, "amount": "601"}},
					{"/unfreezes", map[string]any{"wallet": alice, "amount": "1"}},
				} {
					done := r.await(sk, r.do("POST", base+c.path, sk, c.body))
					if done.str("status") != "FAILED" || done.str("result", "stage") != "locks" || done.str("result", "locked") != "300" {
						t.Fatalf("POST %s %v with 300 of 900 locked: %s", c.path, c.body, done.raw)
					}
				}
				if f, b := frozen(alice), r.balance(alice); f != 300 || b != 900 {
					t.Fatalf("after refused operations: frozen %d balance %d, want 300 and 900", f, b)
				}
				// A lock over the free balance fails on-chain; nothing is frozen for it.
				oversized := r.must(202, "POST", base+"/locks", sk, map[string]any{"wallet": alice, "amount": "10000", "reason": "OTHER", "reference": "x"})
				waitFor(t, "oversized lock failed", func() bool { return lockStatus(oversized.str("id")) == "FAILED" })
				if f := frozen(alice); f != 300 {
					t.Fatalf("a failed lock froze tokens: %d", f)
				}
				// Its release time passes: the node releases lock 1 by itself, once.
				r.clock.Set(release.Add(time.Second))
				waitFor(t, "lock 1 released", func() bool { return lockStatus(l1.str("id")) == "RELEASED" })
				if f, s := frozen(alice), activeSum(alice); f != 100 || s != 100 {
					t.Fatalf("after release: frozen %d, active locks %d, want 100", f, s)
				}
				if res := r.do("POST", base+"/locks/"+l1.str("id")+"/release", sk, nil); res.status != 409 {
					t.Fatalf("releasing a released lock: %d %s", res.status, res.raw)
				}
				if res := r.do("POST", base+"/locks", sk, map[string]any{"wallet": alice, "amount": "1", "reason": "WHIM", "reference": "x"}); res.status != 400 {
					t.Fatalf("unknown lock reason: %d %s", res.status, res.raw)
				}
			}

			{ // lost-wallet recovery: alice's wallet is lost, carol's address is her new one
				rec := r.must(202, "POST", base+"/recoveries", sk, map[string]any{"lostWallet": alice, "newWallet": carol,
					"label": "replacement", "reason": "hardware wallet lost"})
				done := r.await(sk, rec)
				if done.str("status") != "SUCCEEDED" || done.str("kind") != "RECOVER" {
					t.Fatalf("recovery: %s", done.raw)
				}
				r.signedBy(done, chain.KeyAgent)
				if a, c := r.balance(alice), r.balance(carol); a != 0 || c != 900 {
					t.Fatalf("after recovery alice=%d carol=%d, want 0, 900", a, c)
				}
				if f, s := frozen(carol), activeSum(carol); f != 100 || s != 100 {
					t.Fatalf("after recovery: carol frozen %d, active locks %d, want 100", f, s)
				}
				if f, s := frozen(alice), activeSum(alice); f != 0 || s != 0 {
					t.Fatalf("after recovery: alice frozen %d, active locks %d, want 0", f, s)
				}
				if !r.isFrozen(alice) {
					t.Fatal("the lost wallet is not frozen on-chain")
				}
				// The old wallet can no longer receive, off-chain or on-chain.
				r.refused(sk, base+"/mint", map[string]any{"to": alice, "amount": "1"}, "ACCOUNT_FROZEN")
				if _, code := r.holderTransfer(holder["bob"], tokenAddr, alice, 1); code != registry.CodeAccountFrozen {
					t.Fatalf("transfer to the lost wallet: code %s, want ACCOUNT_FROZEN", code)
				}
				// One audit record of the whole recovery.
				audit := r.must(200, "GET", "/v1/audit?limit=500", op, nil)
				n := 0
				for _, a := range audit.body["items"].([]any) {
					if a.(map[string]any)["action"] == "wallet.recover" {
						n++
					}
				}
				if n != 1 {
					t.Fatalf("%d wallet.recover audit records, want 1", n)
				}
			}

			{ // attach reports who holds which role on the attached pair
				id2 := r.must(201, "POST", "/v1/issuances", sk, map[string]any{"issuerName": "I", "tokenName": "Tokyo TB",
					"tokenSymbol": "TTB", "decimals": 0, "legalForm": "SHARE", "fieaClass": "PARA1_TOKEN",
					"offeringType": "SMALL_NUMBER_PRIVATE"}).str("id")
				r.must(200, "POST", "/v1/issuances/"+id2+"/status", sk, map[string]any{"status": "REGISTERED"})
				pair, err := r.conn.As(chain.KeyAdmin).Deploy(r.ctx, chain.TokenParams{Name: "Tokyo TB", Symbol: "TTB"})
				if err != nil {
					t.Fatal(err)
				}
				att := r.must(200, "POST", "/v1/issuances/"+id2+"/attach", sk, map[string]any{"tokenAddress": pair.TokenAddress.Hex(),
					"registryAddress": pair.RegistryAddress.Hex(), "deploymentBlock": pair.Block})
				held := map[string]bool{}
				roles, _ := att.body["roles"].([]any)
				for _, h := range roles {
					m := h.(map[string]any)
					node, _ := m["node"].(string)
					held[m["contract"].(string)+" "+m["role"].(string)+" "+node] = true
				}
				for _, want := range []string{"token DEFAULT_ADMIN_ROLE admin", "token AGENT_ROLE agent", "registry WRITER_ROLE writer"} {
					if !held[want] {
						t.Fatalf("attach roles: missing %q in %s", want, att.raw)
					}
				}
			}

			{ // admin handover
				issuer, _ := crypto.GenerateKey()
				issuerAddr := crypto.PubkeyToAddress(issuer.PublicKey)
				if res := r.do("POST", base+"/deployment/admin", sk, map[string]any{"address": strings.ToLower(addr(chain.KeyAgent).Hex())}); res.status != 400 {
					t.Fatalf("handing the admin role to a node key: %d %s", res.status, res.raw)
				}
				handed := r.await(sk, r.do("POST", base+"/deployment/admin", sk, map[string]any{"address": strings.ToLower(issuerAddr.Hex())}))
				if handed.str("status") != "SUCCEEDED" {
					t.Fatalf("handover: %s", handed.raw)
				}
				r.signedBy(handed, chain.KeyAdmin)
				regB := reg.Instance(r.conn.Client, regAddr)
				for name, c := range map[string]*bind.BoundContract{"token": r.token, "registry": regB} {
					if r.hasRole(c, common.Hash{}, addr(chain.KeyAdmin)) {
						t.Fatalf("%s: the node's admin key still holds DEFAULT_ADMIN_ROLE", name)
					}
					if !r.hasRole(c, common.Hash{}, issuerAddr) {
						t.Fatalf("%s: the issuer does not hold DEFAULT_ADMIN_ROLE", name)
					}
				}
				roles := r.must(200, "GET", base+"/deployment/roles", sk, nil)
				if strings.Contains(string(roles.raw), `admin"`) || !strings.Contains(string(roles.raw), strings.ToLower(issuerAddr.Hex())) {
					t.Fatalf("roles after handover: %s", roles.raw)
				}
				// The node keeps working with the roles it uses.
				r.succeed(sk, base+"/mint", map[string]any{"to": bob, "amount": "1"})
			}
		})
	}
}
