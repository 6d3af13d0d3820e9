package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/stonode/stonode/registry/chain/mirror"
	"github.com/stonode/stonode/registry/store/storetest"
)

// opsPage is a page of GET /v1/issuances/{id}/operations.
type opsPage struct {
	Items []map[string]any `json:"items"`
	Next  *int64           `json:"next"`
}

func (r *tokenRig) opsPage(key, path string) opsPage {
	r.t.Helper()
	res := r.must(200, "GET", path, key, nil)
	var p opsPage
	if err := json.Unmarshal(res.raw, &p); err != nil {
		r.t.Fatalf("GET %s: %v: %s", path, err, res.raw)
	}
	if p.Items == nil {
		r.t.Fatalf("GET %s: no items array: %s", path, res.raw)
	}
	return p
}

// kindsOf lists the kinds of a page's operations, with the status of each.
func kindsOf(items []map[string]any) []string {
	out := make([]string, len(items))
	for i, op := range items {
		out[i] = fmt.Sprint(op["kind"], "/", op["status"])
	}
	return out
}

// TestIssuanceOperationsOverHTTP lists an issuance's operations through the
// API on the simulated chain: every operation whoever started it, oldest
// first, paged by id, filtered by status and kind, each item as GET
// /v1/operations/{id} answers it; the lead and handling sellers and the
// operator see them, another seller is told the issuance does not exist.
func TestIssuanceOperationsOverHTTP(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			r := startTokenRig(t, engine)
			op := r.operatorKey()
			sid := r.must(201, "POST", "/v1/sellers", op, sellerBody("7000012050002")).str("id")
			sk := r.must(201, "POST", "/v1/sellers/"+sid+"/keys", op, map[string]any{}).str("key")
			handlerID := r.must(201, "POST", "/v1/sellers", op, sellerBody("1180301018771")).str("id")
			handler := r.must(201, "POST", "/v1/sellers/"+handlerID+"/keys", op, map[string]any{}).str("key")
			otherID := r.must(201, "POST", "/v1/sellers", op, sellerBody("5010401089998")).str("id")
			other := r.must(201, "POST", "/v1/sellers/"+otherID+"/keys", op, map[string]any{}).str("key")
			reader := r.must(201, "POST", "/v1/keys", op, map[string]any{"role": "reader"}).str("key")

			newIssuance := func(symbol string) string {
				return r.must(201, "POST", "/v1/issuances", sk, map[string]any{"issuerName": "I", "tokenName": "Tokyo " + symbol,
					"tokenSymbol": symbol, "decimals": 0, "legalForm": "SHARE", "fieaClass": "PARA1_TOKEN",
					"offeringType": "SMALL_NUMBER_PRIVATE", "handlingSellerIds": []int64{mustID(t, handlerID)}}).str("id")
			}
			id := newIssuance("TOA")
			base := "/v1/issuances/" + id
			if p := r.opsPage(sk, base+"/operations"); len(p.Items) != 0 || p.Next != nil {
				t.Fatalf("operations of a new issuance: %+v", p)
			}
			r.must(200, "POST", base+"/status", sk, map[string]any{"status": "REGISTERED"})
			deployed := r.await(sk, r.do("POST", base+"/deploy", sk, nil))
			if deployed.str("status") != "SUCCEEDED" {
				t.Fatalf("deploy: %s", deployed.raw)
			}
			token := common.HexToAddress(deployed.str("result", "tokenAddress"))
			block, _ := strconv.ParseUint(deployed.str("result", "deploymentBlock"), 10, 64)
			eng := mirror.New(mirror.Config{ChainID: r.conn.ChainID, Token: token, StartBlock: block, PollInterval: 20 * time.Millisecond},
				r.conn.Client, r.st)
			mirrorCtx, stopMirror := context.WithCancel(r.ctx)
			mirrorDone := make(chan struct{})
			go func() { _ = eng.Run(mirrorCtx); close(mirrorDone) }()
			t.Cleanup(func() { stopMirror(); <-mirrorDone })
			r.must(200, "POST", base+"/status", sk, map[string]any{"status": "OFFERING"})

			// Alice is approved and synced on-chain, Carol in the registry only:
			// the token refuses a mint to her, so that operation fails.
			alice, carol := wallet(1), wallet(3)
			a := r.must(201, "POST", "/v1/investors", sk, investorBody("C-A", alice, nil))
			r.must(200, "PUT", base+"/whitelist/"+a.str("id"), sk, nil)
			r.step()
			c := r.must(201, "POST", "/v1/investors", sk, investorBody("C-C", carol, nil))
			r.must(200, "PUT", base+"/whitelist/"+c.str("id"), sk, nil)
			r.succeed(sk, base+"/mint", map[string]any{"to": alice, "amount": "100"})
			r.failWith(sk, base+"/mint", map[string]any{"to": carol, "amount": "1"}, "preflight", "NOT_WHITELISTED")
			// The operator starts these: the seller's list has them too.
			r.succeed(op, base+"/pause", nil)
			r.succeed(op, base+"/unpause", nil)

			// Another issuance's operations stay out of this one's list.
			second := newIssuance("TOB")
			r.must(200, "POST", "/v1/issuances/"+second+"/status", sk, map[string]any{"status": "REGISTERED"})
			if d := r.await(sk, r.do("POST", "/v1/issuances/"+second+"/deploy", sk, nil)); d.str("status") != "SUCCEEDED" {
				t.Fatalf("deploy of the second issuance: %s", d.raw)
			}

			want := []string{"DEPLOY/SUCCEEDED", "MINT/SUCCEEDED", "MINT/FAILED", "PAUSE/SUCCEEDED", "UNPAUSE/SUCCEEDED"}
			all := r.opsPage(sk, base+"/operations")
			if got := kindsOf(all.Items); !slices.Equal(got, want) || all.Next != nil {
				t.Fatalf("operations = %v (next %v), want %v", got, all.Next, want)
			}
			// Each item is the operation as polled by id.
			for _, item := range all.Items {
				var polled map[string]any
				opID := fmt.Sprint(int64(item["id"].(float64)))
				if err := json.Unmarshal(r.must(200, "GET", "/v1/operations/"+opID, sk, nil).raw, &polled); err != nil {
					t.Fatal(err)
				}
				got, _ := json.Marshal(item)
				wantJSON, _ := json.Marshal(polled)
				if string(got) != string(wantJSON) {
					t.Errorf("list item %s\n  differs from GET /v1/operations/%s %s", got, opID, wantJSON)
				}
				if item["issuanceId"] != float64(mustID(t, id)) {
					t.Errorf("list item of issuance %v", item["issuanceId"])
				}
			}

			// Pages of two, following next: 2 + 2 + 1, in ascending id.
			var paged []string
			var ids []float64
			cursor := ""
			for pages := 0; ; pages++ {
				if pages > 3 {
					t.Fatalf("paging did not end: %v", paged)
				}
				path := base + "/operations?limit=2"
				if cursor != "" {
					path += "&after=" + cursor
				}
				p := r.opsPage(sk, path)
				paged = append(paged, kindsOf(p.Items)...)
				for _, it := range p.Items {
					ids = append(ids, it["id"].(float64))
				}
				if p.Next == nil {
					if len(p.Items) != 1 {
						t.Fatalf("last page has %d items, want 1", len(p.Items))
					}
					break
				}
				if len(p.Items) != 2 || float64(*p.Next) != p.Items[1]["id"] {
					t.Fatalf("page %s: %d items, next %d", path, len(p.Items), *p.Next)
				}
				cursor = strconv.FormatInt(*p.Next, 10)
			}
			if !slices.Equal(paged, want) || !slices.IsSorted(ids) {
				t.Fatalf("paged operations = %v (ids %v), want %v", paged, ids, want)
			}

			// Filters, alone and together.
			for _, f := range []struct {
				query string
				want  []string
			}{
				{"status=FAILED", []string{"MINT/FAILED"}},
				{"status=SUCCEEDED", []string{"DEPLOY/SUCCEEDED", "MINT/SUCCEEDED", "PAUSE/SUCCEEDED", "UNPAUSE/SUCCEEDED"}},
				{"status=PENDING", []string{}},
				{"kind=MINT", []string{"MINT/SUCCEEDED", "MINT/FAILED"}},
				{"kind=MINT&status=SUCCEEDED", []string{"MINT/SUCCEEDED"}},
				{"kind=DEPLOY&limit=1", []string{"DEPLOY/SUCCEEDED"}},
				{"kind=BATCH_MINT", []string{}},
				{"status=&kind=", want}, // empty is any
				{"after=" + strconv.FormatInt(int64(ids[3]), 10), []string{"UNPAUSE/SUCCEEDED"}},
				{"after=" + strconv.FormatInt(int64(ids[4]), 10), []string{}},
			} {
				if got := kindsOf(r.opsPage(sk, base+"/operations?"+f.query).Items); !slices.Equal(got, f.want) {
					t.Errorf("?%s: %v, want %v", f.query, got, f.want)
				}
			}

			// Who sees the list: the operator and the handling seller as the lead does.
			for name, key := range map[string]string{"operator": op, "handling seller": handler} {
				if got := kindsOf(r.opsPage(key, base+"/operations").Items); !slices.Equal(got, want) {
					t.Errorf("%s: %v, want %v", name, got, want)
				}
			}

			// Refusals at the edge and by tenancy, each with its stable code.
			for _, c := range []struct {
				name, key, path string
				status          int
				code            string
			}{
				{"lower-case status", sk, base + "/operations?status=failed", 400, "invalid"},
				{"unknown status", sk, base + "/operations?status=DONE", 400, "invalid"},
				{"unknown kind", sk, base + "/operations?kind=BURN", 400, "invalid"},
				{"lower-case kind", sk, base + "/operations?kind=mint", 400, "invalid"},
				{"zero limit", sk, base + "/operations?limit=0", 400, "invalid"},
				{"limit over 500", sk, base + "/operations?limit=501", 400, "invalid"},
				{"negative cursor", sk, base + "/operations?after=-1", 400, "invalid"},
				{"cursor not a number", sk, base + "/operations?after=x", 400, "invalid"},
				{"NUL in kind", sk, base + "/operations?kind=MINT%00", 400, "invalid"},
				{"non-canonical id", sk, "/v1/issuances/0" + id + "/operations", 404, "not_found"},
				{"no such issuance", op, "/v1/issuances/999999/operations", 404, "not_found"},
				{"another seller", other, base + "/operations", 404, "not_found"},
				{"reader", reader, base + "/operations", 403, "forbidden"},
				{"no key", "", base + "/operations", 401, "unauthorized"},
			} {
				if res := r.do("GET", c.path, c.key, nil); res.status != c.status || res.errCode() != c.code {
					t.Errorf("%s: GET %s: %d %s, want %d %s", c.name, c.path, res.status, res.raw, c.status, c.code)
				}
			}
		})
	}
}
