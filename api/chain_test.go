package api_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/stonode/stonode/api"
	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/store/storetest"
)

// TestDeployAndAttachOverHTTP deploys an issuance's contracts on the simulated
// chain through the API, polls the operation, and attaches a second pair.
func TestDeployAndAttachOverHTTP(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			clock := storetest.NewClock(now)
			st := storetest.Open(t, engine, clock.Now)
			key, _ := crypto.GenerateKey()
			conn, err := chain.OpenSimulated(key, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { conn.Close() })
			svc := chain.NewOperations(conn, st.Chain(), slog.New(slog.DiscardHandler))
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { _ = svc.Run(ctx); close(done) }()
			t.Cleanup(func() { cancel(); <-done })
			srv := httptest.NewServer(api.New(st, api.Options{Clock: clock.Now, Chain: svc, Mirror: st}))
			t.Cleanup(srv.Close)
			n := &node{t: t, url: srv.URL, st: st, clock: clock}

			op := n.operatorKey()
			sid := n.must(201, "POST", "/v1/sellers", op, sellerBody("7000012050002")).str("id")
			sk := n.must(201, "POST", "/v1/sellers/"+sid+"/keys", op, map[string]any{}).str("key")
			newIssuance := func(symbol string) string {
				id := n.must(201, "POST", "/v1/issuances", sk, map[string]any{"issuerName": "I", "tokenName": "Tokyo " + symbol,
					"tokenSymbol": symbol, "decimals": 0, "legalForm": "SHARE", "fieaClass": "PARA1_TOKEN",
					"offeringType": "SMALL_NUMBER_PRIVATE", "deniedCountries": []string{"KP"}}).str("id")
				return id
			}
			id := newIssuance("TOA")
			if r := n.do("POST", "/v1/issuances/"+id+"/deploy", sk, nil); r.status != 409 {
				t.Fatalf("deploying a DRAFT issuance: %d %s", r.status, r.raw)
			}
			n.must(200, "POST", "/v1/issuances/"+id+"/status", sk, map[string]any{"status": "REGISTERED"})
			queued := n.must(202, "POST", "/v1/issuances/"+id+"/deploy", sk, nil)
			opID := queued.str("id")
			var final response
			deadline := time.Now().Add(30 * time.Second)
			for {
				final = n.must(200, "GET", "/v1/operations/"+opID, sk, nil)
				if s := final.str("status"); s == "SUCCEEDED" || s == "FAILED" || time.Now().After(deadline) {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			if final.str("status") != "SUCCEEDED" {
				t.Fatalf("deploy operation: %s", final.raw)
			}
			iss := n.must(200, "GET", "/v1/issuances/"+id, sk, nil)
			if iss.str("tokenAddress") != final.str("result", "tokenAddress") || iss.str("chainId") != "1337" || iss.str("deploymentBlock") == "" {
				t.Fatalf("issuance after deploy: %s", iss.raw)
			}
			if r := n.do("POST", "/v1/issuances/"+id+"/deploy", sk, nil); r.status != 409 {
				t.Fatalf("deploying twice: %d %s", r.status, r.raw)
			}

			// Attach: a pair deployed outside the API, for a matching issuance.
			ctxDeploy, cancelDeploy := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancelDeploy()
			second := newIssuance("TOB")
			n.must(200, "POST", "/v1/issuances/"+second+"/status", sk, map[string]any{"status": "REGISTERED"})
			issB, err := st.Issuance(registry.WithPrincipal(ctxDeploy, &registry.Principal{Role: registry.RoleOperator}), mustID(t, second))
			if err != nil {
				t.Fatal(err)
			}
			d, err := conn.Deploy(ctxDeploy, chain.ParamsFor(issB))
			if err != nil {
				t.Fatal(err)
			}
			if r := n.do("POST", "/v1/issuances/"+second+"/attach", sk, map[string]any{
				"tokenAddress": d.RegistryAddress.Hex(), "registryAddress": d.TokenAddress.Hex()}); r.status != 400 {
				t.Fatalf("attaching swapped addresses: %d %s", r.status, r.raw)
			}
			if r := n.do("POST", "/v1/issuances/"+id+"/attach", sk, map[string]any{
				"tokenAddress": d.TokenAddress.Hex(), "registryAddress": d.RegistryAddress.Hex()}); r.status != 400 && r.status != 409 {
				t.Fatalf("attaching TOB's token to TOA: %d %s", r.status, r.raw)
			}
			attached := n.must(200, "POST", "/v1/issuances/"+second+"/attach", sk, map[string]any{
				"tokenAddress": d.TokenAddress.Hex(), "registryAddress": d.RegistryAddress.Hex()})
			if attached.str("deploymentBlock") != strconv.FormatUint(d.Block, 10) {
				t.Fatalf("attached deployment block %s, want %d", attached.str("deploymentBlock"), d.Block)
			}
		})
	}
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
