package api_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stonode/stonode/api"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

func startHooksNode(t *testing.T, engine store.Dialect) *node {
	t.Helper()
	clock := storetest.NewClock(now)
	st := storetest.Open(t, engine, clock.Now)
	srv := httptest.NewServer(api.New(st, api.Options{Clock: clock.Now, Mirror: st, Terms: store.NewTerms(st.DB), Webhooks: store.NewWebhooks(st.DB)}))
	t.Cleanup(srv.Close)
	return &node{t: t, url: srv.URL, st: st, clock: clock}
}

// TestWebhookAndTermRoutesRefuseBadInput: every field and parameter of the
// webhook and term routes is checked at the edge, and tenancy holds.
func TestWebhookAndTermRoutesRefuseBadInput(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			n := startHooksNode(t, engine)
			op := n.operatorKey()
			aID := n.must(201, "POST", "/v1/sellers", op, sellerBody("7000012050002")).str("id")
			a := n.must(201, "POST", "/v1/sellers/"+aID+"/keys", op, map[string]any{}).str("key")
			bID := n.must(201, "POST", "/v1/sellers", op, sellerBody("1180301018771")).str("id")
			b := n.must(201, "POST", "/v1/sellers/"+bID+"/keys", op, map[string]any{}).str("key")
			reader := n.must(201, "POST", "/v1/keys", op, map[string]any{"role": "reader"}).str("key")

			types := []string{"transfer.mirrored"}
			for _, c := range []struct {
				name string
				key  string
				body any
				want int
			}{
				{"plain http to a host", a, map[string]any{"url": "http://example.jp/h", "eventTypes": types}, 400},
				{"metadata address", a, map[string]any{"url": "https://169.254.169.254/", "eventTypes": types}, 400},
				{"user info", a, map[string]any{"url": "https://u:p@example.jp/", "eventTypes": types}, 400},
				{"no event types", a, map[string]any{"url": "https://example.jp/h"}, 400},
				{"unknown event type", a, map[string]any{"url": "https://example.jp/h", "eventTypes": []string{"everything"}}, 400},
				{"unknown field", a, map[string]any{"url": "https://example.jp/h", "eventTypes": types, "secret": "mine"}, 400},
				{"too long", a, map[string]any{"url": "https://example.jp/" + strings.Repeat("a", 2100), "eventTypes": types}, 400},
				{"for another seller", a, map[string]any{"url": "https://example.jp/h", "eventTypes": types, "sellerId": mustInt(bID)}, 403},
				{"a reader", reader, map[string]any{"url": "https://example.jp/h", "eventTypes": types}, 403},
				{"operator for a missing seller", op, map[string]any{"url": "https://example.jp/h", "eventTypes": types, "sellerId": 999}, 400},
			} {
				if r := n.do("POST", "/v1/webhooks", c.key, c.body); r.status != c.want {
					t.Errorf("%s: %d %s, want %d", c.name, r.status, r.raw, c.want)
				}
			}
			sub := n.must(201, "POST", "/v1/webhooks", a, map[string]any{"url": "https://example.jp/h", "eventTypes": types})
			forB := n.must(201, "POST", "/v1/webhooks", op, map[string]any{"url": "https://b.example.jp/h", "eventTypes": types, "sellerId": mustInt(bID)})
			if forB.str("sellerId") != bID || forB.str("secret") == "" {
				t.Fatalf("operator's subscription for B: %s", forB.raw)
			}
			id := sub.str("id")
			if r := n.do("GET", "/v1/webhooks/"+id, b, nil); r.status != 404 {
				t.Errorf("B reads A's subscription: %d", r.status)
			}
			if r := n.must(200, "GET", "/v1/webhooks", b, nil); strings.Contains(string(r.raw), "\"id\":"+id+",") {
				t.Errorf("B lists A's subscription: %s", r.raw)
			}
			for _, p := range []string{"/v1/webhooks/01", "/v1/webhooks/x/deliveries", "/v1/webhooks/" + id + "/deliveries/0/redeliver"} {
				method := "GET"
				if strings.HasSuffix(p, "redeliver") {
					method = "POST"
				}
				if r := n.do(method, p, a, nil); r.status != 404 {
					t.Errorf("%s %s: %d, want 404", method, p, r.status)
				}
			}
			if r := n.do("GET", "/v1/webhooks/"+id+"/deliveries?status=LOST", a, nil); r.status != 400 {
				t.Errorf("unknown delivery status: %d", r.status)
			}
			n.must(204, "DELETE", "/v1/webhooks/"+id, a, nil)
			if r := n.must(200, "GET", "/v1/webhooks/"+id, a, nil); r.str("active") != "false" {
				t.Errorf("deleted subscription: %s", r.raw)
			}
			if r := n.do("DELETE", "/v1/webhooks/"+id, a, nil); r.status != 404 {
				t.Errorf("deleting twice: %d", r.status)
			}

			// Term routes.
			iss := n.must(201, "POST", "/v1/issuances", a, map[string]any{"issuerName": "I", "tokenName": "T", "tokenSymbol": "T",
				"decimals": 0, "legalForm": "SHARE", "fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC",
				"handlingSellerIds": []int64{mustInt(bID)}}).str("id")
			base := "/v1/issuances/" + iss
			for _, c := range []struct {
				name string
				key  string
				body any
				want int
			}{
				{"no changes", a, map[string]any{"reason": "x"}, 400},
				{"no reason", a, map[string]any{"changes": map[string]any{"maxHolders": 5}}, 400},
				{"bad amount", a, map[string]any{"changes": map[string]any{"supplyCap": "1e9"}, "reason": "x"}, 400},
				{"bad time", a, map[string]any{"changes": map[string]any{"lockupEnd": "tomorrow"}, "reason": "x"}, 400},
				{"unknown clear", a, map[string]any{"changes": map[string]any{"clear": []string{"status"}}, "reason": "x"}, 400},
				{"unknown field", a, map[string]any{"changes": map[string]any{"maxHolders": 5}, "reason": "x", "by": "me"}, 400},
				{"handling seller", b, map[string]any{"changes": map[string]any{"maxHolders": 5}, "reason": "x"}, 403},
				{"reader", reader, map[string]any{"changes": map[string]any{"maxHolders": 5}, "reason": "x"}, 403},
			} {
				if r := n.do("POST", base+"/terms", c.key, c.body); r.status != c.want {
					t.Errorf("terms, %s: %d %s, want %d", c.name, r.status, r.raw, c.want)
				}
			}
			tc := n.must(201, "POST", base+"/terms", a, map[string]any{"changes": map[string]any{"maxHolders": 5}, "reason": "cap"})
			if tc.str("status") != "APPLIED" || tc.str("previous", "maxHolders") != "0" {
				t.Fatalf("change: %s", tc.raw)
			}
			if r := n.must(200, "GET", base+"/term-changes/"+tc.str("id"), b, nil); r.str("reason") != "cap" {
				t.Errorf("the handling seller reads the history: %s", r.raw)
			}
			if r := n.do("GET", base+"/term-changes?status=DONE", a, nil); r.status != 400 {
				t.Errorf("unknown term change status: %d", r.status)
			}
			if r := n.do("GET", "/v1/issuances/999/term-changes/"+tc.str("id"), a, nil); r.status != 404 {
				t.Errorf("another issuance's change: %d", r.status)
			}
			if r := n.do("POST", base+"/term-changes/"+tc.str("id")+"/cancel", a, map[string]any{"reason": strings.Repeat("x", 501)}); r.status != 400 {
				t.Errorf("an overlong cancel reason: %d", r.status)
			}
		})
	}
}

func mustInt(s string) int64 {
	var n int64
	for _, c := range s {
		n = n*10 + int64(c-'0')
	}
	return n
}
