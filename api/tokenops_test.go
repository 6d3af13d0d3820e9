package api_test

import (
	"context"
	"log/slog"
	"math/big"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/stonode/stonode/api"
	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/chain/mirror"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// tokenRig is an API node on the simulated chain with an operation worker
// running and a whitelist syncer the test steps by hand, so a wallet can be
// approved in the registry and deliberately not yet on-chain.
type tokenRig struct {
	*node
	ctx    context.Context
	conn   *chain.Conn
	syncer *chain.Syncer
	tok    *bindings.SecurityToken
	token  *bind.BoundContract
}

func startTokenRig(t *testing.T, engine store.Dialect) *tokenRig {
	t.Helper()
	clock := storetest.NewClock(now)
	st := storetest.Open(t, engine, clock.Now)
	key, _ := crypto.GenerateKey()
	conn, err := chain.OpenSimulated(key, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	log := slog.New(slog.DiscardHandler)
	svc := chain.NewOperations(conn, st.Chain(), log)
	svc.SetClock(clock.Now)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = svc.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	srv := httptest.NewServer(api.New(st, api.Options{Clock: clock.Now, Chain: svc, Mirror: st}))
	t.Cleanup(srv.Close)
	return &tokenRig{node: &node{t: t, url: srv.URL, st: st, clock: clock}, ctx: ctx, conn: conn,
		syncer: chain.NewSyncer(conn, st.Outbox, log, clock.Now), tok: bindings.NewSecurityToken()}
}

// await polls an operation until it finishes.
func (r *tokenRig) await(key string, queued response) response {
	r.t.Helper()
	if queued.status != 202 {
		r.t.Fatalf("operation not queued: %d %s", queued.status, queued.raw)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		op := r.must(200, "GET", "/v1/operations/"+queued.str("id"), key, nil)
		if s := op.str("status"); s == "SUCCEEDED" || s == "FAILED" {
			return op
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("operation did not finish: %s", op.raw)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// succeed runs a token operation and requires it to succeed with a tx hash and block.
func (r *tokenRig) succeed(key, path string, body any) response {
	r.t.Helper()
	op := r.await(key, r.do("POST", path, key, body))
	if op.str("status") != "SUCCEEDED" || op.str("result", "txHash") == "" || op.str("result", "block") == "" {
		r.t.Fatalf("POST %s %v: %s", path, body, op.raw)
	}
	return op
}

// failWith runs a token operation the chain side must refuse with reason, and
// checks that the node sent nothing.
func (r *tokenRig) failWith(key, path string, body any, stage, reason string) response {
	r.t.Helper()
	before := r.nonce()
	op := r.await(key, r.do("POST", path, key, body))
	if op.str("status") != "FAILED" || op.str("result", "stage") != stage ||
		(op.str("result", "reason") != reason && op.str("result", "revert") != reason && op.str("result", "reasons") != reason) ||
		!strings.Contains(op.str("error"), reason) {
		r.t.Fatalf("POST %s %v: want FAILED at %s with %s: %s", path, body, stage, reason, op.raw)
	}
	if after := r.nonce(); after != before {
		r.t.Fatalf("POST %s: the node sent %d transaction(s) for a refused operation", path, after-before)
	}
	return op
}

// refused requires a 409 refused naming code, and that nothing was sent.
func (r *tokenRig) refused(key, path string, body any, code string) {
	r.t.Helper()
	before := r.nonce()
	res := r.do("POST", path, key, body)
	reasons, _ := res.body["error"].(map[string]any)["reasons"].([]any)
	if res.status != 409 || res.errCode() != "refused" || len(reasons) == 0 || reasons[0].(map[string]any)["code"] != code {
		r.t.Fatalf("POST %s %v: want 409 refused %s, got %d %s", path, body, code, res.status, res.raw)
	}
	if after := r.nonce(); after != before {
		r.t.Fatalf("POST %s: a refused request sent %d transaction(s)", path, after-before)
	}
}

func (r *tokenRig) nonce() uint64 {
	r.t.Helper()
	n, err := r.conn.Client.PendingNonceAt(r.ctx, r.conn.From)
	if err != nil {
		r.t.Fatal(err)
	}
	return n
}

func (r *tokenRig) balance(w string) int64 {
	r.t.Helper()
	v, err := bind.Call(r.token, &bind.CallOpts{Context: r.ctx}, r.tok.PackBalanceOf(common.HexToAddress(w)), r.tok.UnpackBalanceOf)
	if err != nil {
		r.t.Fatal(err)
	}
	return v.Int64()
}

func (r *tokenRig) frozenTokens(w string) *big.Int {
	r.t.Helper()
	v, err := bind.Call(r.token, &bind.CallOpts{Context: r.ctx}, r.tok.PackGetFrozenTokens(common.HexToAddress(w)), r.tok.UnpackGetFrozenTokens)
	if err != nil {
		r.t.Fatal(err)
	}
	return v
}

func (r *tokenRig) isFrozen(w string) bool {
	r.t.Helper()
	v, err := bind.Call(r.token, &bind.CallOpts{Context: r.ctx}, r.tok.PackIsFrozen(common.HexToAddress(w)), r.tok.UnpackIsFrozen)
	if err != nil {
		r.t.Fatal(err)
	}
	return v
}

func (r *tokenRig) paused() bool {
	r.t.Helper()
	v, err := bind.Call(r.token, &bind.CallOpts{Context: r.ctx}, r.tok.PackPaused(), r.tok.UnpackPaused)
	if err != nil {
		r.t.Fatal(err)
	}
	return v
}

func (r *tokenRig) step() {
	r.t.Helper()
	if err := r.syncer.Step(r.ctx); err != nil {
		r.t.Fatalf("whitelist sync: %v", err)
	}
}

// TestTokenOperationsOverHTTP drives every token operation through the API on
// the simulated chain: engine refusals answer 409 and send nothing, chain-side
// refusals fail the operation with the decoded code, and successes show on-chain.
func TestTokenOperationsOverHTTP(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			r := startTokenRig(t, engine)
			op := r.operatorKey()
			sid := r.must(201, "POST", "/v1/sellers", op, sellerBody("7000012050002")).str("id")
			sk := r.must(201, "POST", "/v1/sellers/"+sid+"/keys", op, map[string]any{}).str("key")
			otherID := r.must(201, "POST", "/v1/sellers", op, sellerBody("1180301018771")).str("id")
			other := r.must(201, "POST", "/v1/sellers/"+otherID+"/keys", op, map[string]any{}).str("key")
			reader := r.must(201, "POST", "/v1/keys", op, map[string]any{"role": "reader"}).str("key")

			newIssuance := func(symbol string) string {
				return r.must(201, "POST", "/v1/issuances", sk, map[string]any{"issuerName": "I", "tokenName": "Tokyo " + symbol,
					"tokenSymbol": symbol, "decimals": 0, "legalForm": "SHARE", "fieaClass": "PARA1_TOKEN",
					"offeringType": "SMALL_NUMBER_PRIVATE"}).str("id")
			}
			id := newIssuance("TOA")
			base := "/v1/issuances/" + id
			r.must(200, "POST", base+"/status", sk, map[string]any{"status": "REGISTERED"})
			deployed := r.await(sk, r.do("POST", base+"/deploy", sk, nil))
			if deployed.str("status") != "SUCCEEDED" {
				t.Fatalf("deploy: %s", deployed.raw)
			}
			r.token = r.tok.Instance(r.conn.Client, common.HexToAddress(deployed.str("result", "tokenAddress")))
			// The node mirrors the token; the worker waits for the mirror before
			// checking holdings rules.
			block, _ := strconv.ParseUint(deployed.str("result", "deploymentBlock"), 10, 64)
			eng := mirror.New(mirror.Config{ChainID: r.conn.ChainID, Token: common.HexToAddress(deployed.str("result", "tokenAddress")),
				StartBlock: block, PollInterval: 20 * time.Millisecond}, r.conn.Client, r.st)
			mirrorCtx, stopMirror := context.WithCancel(r.ctx)
			mirrorDone := make(chan struct{})
			go func() { _ = eng.Run(mirrorCtx); close(mirrorDone) }()
			t.Cleanup(func() { stopMirror(); <-mirrorDone })
			r.must(200, "POST", base+"/status", sk, map[string]any{"status": "OFFERING"})

			// A and B are approved and synced on-chain; C is approved in the
			// registry only (the syncer is not stepped after), so the engine
			// allows it and the token does not.
			alice, bob, carol, stranger := wallet(1), wallet(2), wallet(3), wallet(999)
			for i, w := range []string{alice, bob} {
				inv := r.must(201, "POST", "/v1/investors", sk, investorBody("C-"+string(rune('A'+i)), w, nil))
				r.must(200, "PUT", base+"/whitelist/"+inv.str("id"), sk, nil)
			}
			r.step()
			c := r.must(201, "POST", "/v1/investors", sk, investorBody("C-C", carol, nil))
			r.must(200, "PUT", base+"/whitelist/"+c.str("id"), sk, nil)

			{ // mint
				r.refused(sk, base+"/mint", map[string]any{"to": stranger, "amount": "100"}, "WALLET_UNKNOWN")
				done := r.succeed(sk, base+"/mint", map[string]any{"to": alice, "amount": "100"})
				if done.str("kind") != "MINT" || done.str("request", "to") != alice || done.str("request", "amount") != "100" {
					t.Fatalf("mint operation: %s", done.raw)
				}
				if got := r.balance(alice); got != 100 {
					t.Fatalf("balanceOf(alice) = %d, want 100", got)
				}
				// Approved off-chain, not yet on-chain: the token refuses, nothing is sent.
				r.failWith(sk, base+"/mint", map[string]any{"to": carol, "amount": "1"}, "preflight", "NOT_WHITELISTED")
			}

			{ // forced transfer
				r.refused(sk, base+"/forced-transfers", map[string]any{"from": alice, "to": stranger, "amount": "1"}, "WALLET_UNKNOWN")
				r.succeed(sk, base+"/forced-transfers", map[string]any{"from": alice, "to": bob, "amount": "30"})
				if a, b := r.balance(alice), r.balance(bob); a != 70 || b != 30 {
					t.Fatalf("after forced transfer alice=%d bob=%d, want 70, 30", a, b)
				}
				r.failWith(sk, base+"/forced-transfers", map[string]any{"from": alice, "to": carol, "amount": "1"}, "preflight", "NOT_WHITELISTED")
				r.failWith(sk, base+"/forced-transfers", map[string]any{"from": bob, "to": alice, "amount": "31"}, "preflight", "INSUFFICIENT_BALANCE")
			}

			{ // redemption
				r.succeed(sk, base+"/redemptions", map[string]any{"from": bob, "amount": "10"})
				if b := r.balance(bob); b != 20 {
					t.Fatalf("after redemption bob=%d, want 20", b)
				}
				// No receiver check for a burn, even from an unknown wallet; the
				// token refuses the missing balance.
				r.failWith(sk, base+"/redemptions", map[string]any{"from": stranger, "amount": "1"}, "preflight", "INSUFFICIENT_BALANCE")
			}

			{ // freeze
				r.succeed(sk, base+"/freezes", map[string]any{"wallet": alice})
				if !r.isFrozen(alice) {
					t.Fatal("alice not frozen on-chain")
				}
				// The freeze is registry state too: the engine refuses, and the
				// whitelist sync keeps it.
				if e := r.must(200, "GET", base+"/eligibility/"+alice, reader, nil); e.str("code") != "ACCOUNT_FROZEN" {
					t.Fatalf("eligibility of a frozen wallet: %s", e.raw)
				}
				r.refused(sk, base+"/mint", map[string]any{"to": alice, "amount": "1"}, "ACCOUNT_FROZEN")
				r.step()
				if !r.isFrozen(alice) {
					t.Fatal("the whitelist sync undid the freeze")
				}

				r.succeed(sk, base+"/freezes", map[string]any{"wallet": bob, "amount": "5"})
				if f := r.frozenTokens(bob); f.Int64() != 5 {
					t.Fatalf("frozen tokens of bob = %s, want 5", f)
				}
				r.failWith(sk, base+"/freezes", map[string]any{"wallet": bob, "amount": "1000"}, "preflight", "FreezeExceedsFreeBalance")
				r.succeed(sk, base+"/unfreezes", map[string]any{"wallet": bob, "amount": "5"})
				if f := r.frozenTokens(bob); f.Sign() != 0 {
					t.Fatalf("frozen tokens of bob = %s, want 0", f)
				}
				r.succeed(sk, base+"/unfreezes", map[string]any{"wallet": alice})
				if r.isFrozen(alice) {
					t.Fatal("alice still frozen on-chain")
				}
				if e := r.must(200, "GET", base+"/eligibility/"+alice, reader, nil); e.str("allowed") != "true" {
					t.Fatalf("eligibility after unfreeze: %s", e.raw)
				}
			}

			{ // pause
				r.succeed(sk, base+"/pause", nil)
				if !r.paused() || r.must(200, "GET", base, sk, nil).str("paused") != "true" {
					t.Fatal("token or issuance not paused")
				}
				// Primary allocation works while paused, on-chain and off.
				r.succeed(sk, base+"/mint", map[string]any{"to": bob, "amount": "1"})
				r.succeed(sk, base+"/unpause", map[string]any{})
				if r.paused() || r.must(200, "GET", base, sk, nil).str("paused") != "false" {
					t.Fatal("token or issuance still paused")
				}
			}

			{ // requests
				cases := []struct {
					name, key, path string
					body            any
					status          int
				}{
					{"unknown field", sk, "/mint", map[string]any{"to": alice, "amount": "1", "memo": "x"}, 400},
					{"bad address", sk, "/mint", map[string]any{"to": "0x123", "amount": "1"}, 400},
					{"bad checksum", sk, "/mint", map[string]any{"to": "0x52908400098527886E0F7030069857D2E4169Ee7", "amount": "1"}, 400},
					{"zero address", sk, "/redemptions", map[string]any{"from": "0x0000000000000000000000000000000000000000", "amount": "1"}, 400},
					{"zero amount", sk, "/redemptions", map[string]any{"from": bob, "amount": "0"}, 400},
					{"no amount", sk, "/forced-transfers", map[string]any{"from": alice, "to": bob}, 400},
					{"numeric amount", sk, "/mint", map[string]any{"to": alice, "amount": 1}, 400},
					{"same wallet", sk, "/forced-transfers", map[string]any{"from": alice, "to": alice, "amount": "1"}, 400},
					{"no wallet", sk, "/freezes", map[string]any{}, 400},
					{"pause body", sk, "/pause", map[string]any{"why": "x"}, 400},
					{"reader", reader, "/pause", nil, 403},
					{"another seller", other, "/mint", map[string]any{"to": alice, "amount": "1"}, 404},
				}
				for _, c := range cases {
					before := r.nonce()
					if res := r.do("POST", base+c.path, c.key, c.body); res.status != c.status {
						t.Errorf("%s: POST %s: %d %s, want %d", c.name, c.path, res.status, res.raw, c.status)
					}
					if r.nonce() != before {
						t.Errorf("%s: sent a transaction", c.name)
					}
				}
				// An issuance without a token.
				bare := newIssuance("TOB")
				if res := r.do("POST", "/v1/issuances/"+bare+"/pause", sk, nil); res.status != 409 || res.errCode() != "conflict" {
					t.Errorf("pausing an issuance without a token: %d %s", res.status, res.raw)
				}
			}
		})
	}
}
