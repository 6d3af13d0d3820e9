package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/stonode/stonode/api"
	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
	"github.com/stonode/stonode/registry/webhook"
)

// termsRig is an API node on the simulated chain with the operation worker,
// the term schedule and the webhook worker running, as `stonode serve` wires
// them.
type termsRig struct {
	*tokenRig
	terms *store.Terms
}

func startTermsRig(t *testing.T, engine store.Dialect) *termsRig {
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
	terms, hooks := store.NewTerms(st.DB), store.NewWebhooks(st.DB)
	worker := webhook.New(hooks, webhook.Config{Poll: 20 * time.Millisecond}, log)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); _ = svc.Run(ctx) }()
	go func() { defer wg.Done(); worker.Run(ctx) }()
	go func() {
		defer wg.Done()
		registry.RunTermSchedule(ctx, terms, 20*time.Millisecond, clock.Now, log, nil)
	}()
	t.Cleanup(func() { cancel(); wg.Wait() })
	srv := httptest.NewServer(api.New(st, api.Options{Clock: clock.Now, Chain: svc, Mirror: st, Terms: terms, Webhooks: hooks,
		WakeWebhooks: worker.Wake}))
	t.Cleanup(srv.Close)
	return &termsRig{tokenRig: &tokenRig{node: &node{t: t, url: srv.URL, st: st, clock: clock}, ctx: ctx, conn: conn,
		syncer: chain.NewSyncer(conn, st.Outbox, log, clock.Now), tok: bindings.NewSecurityToken()}, terms: terms}
}

func (r *termsRig) call(data []byte, unpack func([]byte) (any, error)) any {
	r.t.Helper()
	v, err := bind.Call(r.token, &bind.CallOpts{Context: r.ctx}, data, unpack)
	if err != nil {
		r.t.Fatal(err)
	}
	return v
}

// awaitChange polls a term change until it is APPLIED and its SET_TERMS
// operation has finished.
func (r *termsRig) awaitChange(key, path string) response {
	r.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		c := r.must(200, "GET", path, key, nil)
		if c.str("status") == "APPLIED" && (c.str("chainStatus") == "SUCCEEDED" || c.str("chainStatus") == "FAILED") {
			return c
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("term change did not apply: %s", c.raw)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func reasonCodes(res response) []string {
	var out []string
	rs, _ := res.body["reasons"].([]any)
	for _, r := range rs {
		if m, ok := r.(map[string]any); ok {
			out = append(out, m["code"].(string))
		}
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// TestScheduledTermChangesOnChainAndOffChain: a lock-up change scheduled
// through the API applies at its time, off-chain (the transfer check) and
// on-chain (the token's lockupEnd, and its refusal of a transfer); a change of
// the holder cap, countries and supply cap applies at once, on both sides;
// subscribers hear of both.
func TestScheduledTermChangesOnChainAndOffChain(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			r := startTermsRig(t, engine)
			op := r.operatorKey()
			sid := r.must(201, "POST", "/v1/sellers", op, sellerBody("7000012050002")).str("id")
			sk := r.must(201, "POST", "/v1/sellers/"+sid+"/keys", op, map[string]any{}).str("key")

			// A subscriber, to hear of the changes.
			var mu sync.Mutex
			var heard []webhook.Body
			recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				body, _ := io.ReadAll(req.Body)
				var b webhook.Body
				if err := json.Unmarshal(body, &b); err != nil {
					t.Errorf("webhook body %s: %v", body, err)
				}
				mu.Lock()
				heard = append(heard, b)
				mu.Unlock()
			}))
			t.Cleanup(recv.Close)
			if res := r.do("POST", "/v1/webhooks", sk, map[string]any{"url": "http://example.jp/hook", "eventTypes": []string{"term_change.applied"}}); res.status != 400 {
				t.Fatalf("plain http off loopback: %d %s", res.status, res.raw)
			}
			if res := r.do("POST", "/v1/webhooks", sk, map[string]any{"url": recv.URL, "eventTypes": []string{"term_change.sometimes"}}); res.status != 400 {
				t.Fatalf("unknown event type: %d %s", res.status, res.raw)
			}
			sub := r.must(201, "POST", "/v1/webhooks", sk, map[string]any{"url": recv.URL + "/hook",
				"eventTypes": []string{"term_change.applied", "operation.finished"}})
			if sub.str("secret") == "" || sub.str("sellerId") != sid {
				t.Fatalf("subscription: %s", sub.raw)
			}
			if got := r.must(200, "GET", "/v1/webhooks/"+sub.str("id"), sk, nil); got.str("secret") != "" {
				t.Fatalf("the secret is shown again: %s", got.raw)
			}

			id := r.must(201, "POST", "/v1/issuances", sk, map[string]any{"issuerName": "I", "tokenName": "Tokyo TOT",
				"tokenSymbol": "TOT", "decimals": 0, "legalForm": "SHARE", "fieaClass": "PARA1_TOKEN",
				"offeringType": "SMALL_NUMBER_PRIVATE", "deniedCountries": []string{"KP"}}).str("id")
			base := "/v1/issuances/" + id
			r.must(200, "POST", base+"/status", sk, map[string]any{"status": "REGISTERED"})
			deployed := r.await(sk, r.do("POST", base+"/deploy", sk, nil))
			if deployed.str("status") != "SUCCEEDED" {
				t.Fatalf("deploy: %s", deployed.raw)
			}
			tokenAddr := common.HexToAddress(deployed.str("result", "tokenAddress"))
			r.token = r.tok.Instance(r.conn.Client, tokenAddr)
			reg := bindings.NewEligibilityRegistry()
			regInst := reg.Instance(r.conn.Client, common.HexToAddress(deployed.str("result", "registryAddress")))
			r.must(200, "POST", base+"/status", sk, map[string]any{"status": "OFFERING"})
			alice, bob := wallet(1), wallet(2)
			for i, w := range []string{alice, bob} {
				inv := r.must(201, "POST", "/v1/investors", sk, investorBody("T-"+strconv.Itoa(i), w, nil))
				r.must(200, "PUT", base+"/whitelist/"+inv.str("id"), sk, nil)
			}
			r.step()
			r.succeed(sk, base+"/mint", map[string]any{"to": alice, "amount": "100"})
			restriction := func() uint8 {
				return r.call(r.tok.PackDetectTransferRestriction(common.HexToAddress(alice), common.HexToAddress(bob), big.NewInt(1)),
					func(b []byte) (any, error) { return r.tok.UnpackDetectTransferRestriction(b) }).(uint8)
			}
			lockupEnd := func() uint64 {
				v := r.call(r.tok.PackLockupEnd(), func(b []byte) (any, error) { return r.tok.UnpackLockupEnd(b) })
				return v.(*big.Int).Uint64()
			}
			check := func() []string {
				return reasonCodes(r.must(200, "POST", base+"/transfer-checks", sk, map[string]any{"from": alice, "to": bob, "amount": "1"}))
			}
			if c := restriction(); c != 0 || lockupEnd() != 0 || contains(check(), "LOCKUP_ACTIVE") {
				t.Fatalf("before any change: restriction %d, lockupEnd %d, check %v", c, lockupEnd(), check())
			}

			// The lock-up, scheduled an hour ahead.
			end := now.AddDate(5, 0, 0)
			at := now.Add(time.Hour)
			if res := r.do("POST", base+"/terms", sk, map[string]any{"changes": map[string]any{"lockupEnd": end}, "effectiveAt": at}); res.status != 400 {
				t.Fatalf("a change without a reason: %d %s", res.status, res.raw)
			}
			if res := r.do("POST", base+"/terms", sk, map[string]any{"changes": map[string]any{"lockupEnd": end, "colour": "red"}, "reason": "x"}); res.status != 400 {
				t.Fatalf("an unknown term: %d %s", res.status, res.raw)
			}
			sched := r.must(201, "POST", base+"/terms", sk, map[string]any{"changes": map[string]any{"lockupEnd": end},
				"effectiveAt": at, "reason": "board resolution 7: lock-up"})
			if sched.str("status") != "SCHEDULED" || sched.str("requestedBy") == "" {
				t.Fatalf("scheduled change: %s", sched.raw)
			}
			changePath := base + "/term-changes/" + sched.str("id")
			time.Sleep(100 * time.Millisecond) // the schedule runs; nothing is due yet
			if c := r.must(200, "GET", changePath, sk, nil); c.str("status") != "SCHEDULED" || lockupEnd() != 0 || contains(check(), "LOCKUP_ACTIVE") {
				t.Fatalf("before its time: %s, lockupEnd %d", c.raw, lockupEnd())
			}
			r.clock.Set(at)
			applied := r.awaitChange(sk, changePath)
			if applied.str("chainStatus") != "SUCCEEDED" || applied.str("appliedAt") == "" {
				t.Fatalf("applied change: %s", applied.raw)
			}
			if got := lockupEnd(); got != uint64(end.Unix()) {
				t.Fatalf("on-chain lockupEnd = %d, want %d", got, end.Unix())
			}
			if c := restriction(); c != uint8(registry.CodeLockupActive) {
				t.Fatalf("on-chain restriction after the change = %d, want LOCKUP_ACTIVE", c)
			}
			if codes := check(); !contains(codes, "LOCKUP_ACTIVE") {
				t.Fatalf("off-chain check after the change: %v", codes)
			}
			opID := applied.str("operationId")
			if o := r.must(200, "GET", "/v1/operations/"+opID, sk, nil); o.str("kind") != "SET_TERMS" || o.str("result", "txHashes") == "" {
				t.Fatalf("SET_TERMS operation: %s", o.raw)
			}

			// Holder cap, countries and supply cap, at once.
			now2 := r.must(201, "POST", base+"/terms", sk, map[string]any{"changes": map[string]any{"maxHolders": 10,
				"allowedCountries": []string{"JP", "SG"}, "supplyCap": "1000", "clear": []string{"deniedCountries"}}, "reason": "restated terms"})
			if now2.str("status") != "APPLIED" {
				t.Fatalf("immediate change: %s", now2.raw)
			}
			r.awaitChange(sk, base+"/term-changes/"+now2.str("id"))
			if v := r.call(r.tok.PackMaxHolders(), func(b []byte) (any, error) { return r.tok.UnpackMaxHolders(b) }).(uint32); v != 10 {
				t.Errorf("on-chain maxHolders = %d", v)
			}
			if v := r.call(r.tok.PackSupplyCap(), func(b []byte) (any, error) { return r.tok.UnpackSupplyCap(b) }).(*big.Int); v.Int64() != 1000 {
				t.Errorf("on-chain supplyCap = %s", v)
			}
			rule, err := bind.Call(regInst, &bind.CallOpts{Context: r.ctx}, reg.PackCountryRule(), reg.UnpackCountryRule)
			if err != nil {
				t.Fatal(err)
			}
			if !rule.AllowList || len(rule.Countries) != 2 || string(rule.Countries[0][:]) != "JP" || string(rule.Countries[1][:]) != "SG" {
				t.Errorf("on-chain country rule = %+v", rule)
			}
			iss := r.must(200, "GET", base, sk, nil)
			if iss.str("maxHolders") != "10" || iss.str("supplyCap") != "1000" {
				t.Errorf("issuance after the change: %s", iss.raw)
			}
			hist := r.must(200, "GET", base+"/term-changes?status=APPLIED", sk, nil)
			if items, _ := hist.body["items"].([]any); len(items) != 2 {
				t.Fatalf("history: %s", hist.raw)
			}
			if res := r.do("POST", changePath+"/cancel", sk, map[string]any{"reason": "too late"}); res.status != 409 {
				t.Fatalf("cancelling an applied change: %d %s", res.status, res.raw)
			}

			// The subscriber hears of both changes and of every operation: the
			// deployment, the mint, SET_TERMS twice and SET_COUNTRY_RULE once.
			deadline := time.Now().Add(30 * time.Second)
			for {
				ds := r.must(200, "GET", "/v1/webhooks/"+sub.str("id")+"/deliveries?status=DELIVERED", sk, nil)
				if items, _ := ds.body["items"].([]any); len(items) == 7 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("deliveries: %s", ds.raw)
				}
				time.Sleep(20 * time.Millisecond)
			}
			mu.Lock()
			counts := map[registry.EventType]int{}
			for _, b := range heard {
				counts[b.Type]++
			}
			mu.Unlock()
			if counts[registry.EventTermChangeApplied] != 2 || counts[registry.EventOperationFinished] != 5 || len(counts) != 2 {
				t.Fatalf("webhooks heard %v", counts)
			}
		})
	}
}
