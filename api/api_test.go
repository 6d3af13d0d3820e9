package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stonode/stonode/api"
	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

var now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// node is a running API over a real database and real HTTP.
type node struct {
	t     testing.TB
	url   string
	st    *storetest.Stores
	clock *storetest.Clock
}

func startNode(t *testing.T, engine store.Dialect) *node { return startNodeTB(t, engine) }

func startNodeTB(t testing.TB, engine store.Dialect) *node {
	t.Helper()
	clock := storetest.NewClock(now)
	st := storetest.Open(t, engine, clock.Now)
	srv := httptest.NewServer(api.New(st, api.Options{Clock: clock.Now, Mirror: st}))
	t.Cleanup(srv.Close)
	return &node{t: t, url: srv.URL, st: st, clock: clock}
}

// operatorKey bootstraps a key the way `stonode keys create` does.
func (n *node) operatorKey() string {
	cli := registry.WithPrincipal(context.Background(), &registry.Principal{KeyID: "cli", Role: registry.RoleOperator})
	k, err := n.st.CreateKey(cli, registry.RoleOperator, nil, "bootstrap")
	if err != nil {
		n.t.Fatal(err)
	}
	return k.Secret
}

type response struct {
	status int
	body   map[string]any
	raw    []byte
}

func (r response) str(path ...string) string {
	var cur any = r.body
	for _, p := range path {
		m, _ := cur.(map[string]any)
		cur = m[p]
	}
	switch v := cur.(type) {
	case string:
		return v
	case float64:
		return fmt.Sprint(int64(v))
	case bool:
		return fmt.Sprint(v)
	}
	return ""
}

func (r response) errCode() string { return r.str("error", "code") }

func (n *node) do(method, path, key string, body any) response {
	n.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, _ := json.Marshal(b)
		rd = bytes.NewReader(buf)
	}
	req, _ := http.NewRequest(method, n.url+path, rd)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		n.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := response{status: resp.StatusCode, raw: raw}
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &out.body)
	}
	return out
}

func (n *node) must(want int, method, path, key string, body any) response {
	n.t.Helper()
	r := n.do(method, path, key, body)
	if r.status != want {
		n.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.raw)
	}
	return r
}

func eachEngine(t *testing.T, fn func(t *testing.T, n *node)) {
	for _, e := range storetest.Engines(t) {
		t.Run(string(e), func(t *testing.T) { fn(t, startNode(t, e)) })
	}
}

func sellerBody(corp string) map[string]any {
	return map[string]any{"legalName": "Firm " + corp, "corporateNumber": corp,
		"fsaRegistration": "関東財務局長(金商)第44号", "licence": "TYPE1", "membership": "FULL"}
}

func investorBody(ref, wallet string, extra map[string]any) map[string]any {
	b := map[string]any{
		"customerRef": ref, "personType": "INDIVIDUAL", "residenceCountry": "JP", "dateOfBirth": "1980-04-01",
		"kyc":       map[string]any{"status": "VERIFIED", "method": "eKYC", "verifiedAt": "2026-01-10T00:00:00Z", "reviewDue": "2027-01-10T00:00:00Z"},
		"screening": map[string]any{"sanctions": "CLEAR", "antisocial": "CLEAR"},
		"wallets":   []any{map[string]any{"address": wallet}},
	}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

func wallet(i int) string { return fmt.Sprintf("0x%040x", 0xA0000+i) }

// TestEndToEndFlow is the acceptance flow over real HTTP.
func TestEndToEndFlow(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		op := n.operatorKey()
		seller := n.must(201, "POST", "/v1/sellers", op, sellerBody("7000012050002"))
		sellerID := seller.str("id")
		sk := n.must(201, "POST", "/v1/sellers/"+sellerID+"/keys", op, map[string]any{"name": "alpha"}).str("key")
		reader := n.must(201, "POST", "/v1/keys", op, map[string]any{"role": "reader"}).str("key")

		iss := n.must(201, "POST", "/v1/issuances", sk, map[string]any{
			"issuerName": "Tokyo Office REIT", "tokenName": "Tokyo Office", "tokenSymbol": "TOF", "decimals": 0,
			"legalForm": "TRUST_BENEFICIARY", "fieaClass": "PARA1_TOKEN", "offeringType": "SMALL_NUMBER_PRIVATE"})
		id := iss.str("id")
		if iss.str("maxHolders") != "49" {
			t.Fatalf("small-number private placement maxHolders = %s, want 49", iss.str("maxHolders"))
		}
		for _, st := range []string{"REGISTERED", "OFFERING"} {
			n.must(200, "POST", "/v1/issuances/"+id+"/status", sk, map[string]any{"status": st})
		}

		inv := n.must(201, "POST", "/v1/investors", sk, investorBody("C-1", wallet(1), nil))
		n.must(200, "PUT", "/v1/issuances/"+id+"/whitelist/"+inv.str("id"), sk, nil)

		look := func(key, addr string) response {
			return n.must(200, "GET", "/v1/issuances/"+id+"/eligibility/"+addr, key, nil)
		}
		if r := look(reader, wallet(1)); r.str("allowed") != "true" || r.str("code") != "" {
			t.Fatalf("approved investor: %s", r.raw)
		}
		if r := look(reader, wallet(999)); r.str("allowed") != "false" || r.str("code") != "WALLET_UNKNOWN" {
			t.Fatalf("unknown wallet: %s", r.raw)
		}

		// Expired KYC: review was due yesterday.
		expired := n.must(201, "POST", "/v1/investors", sk, investorBody("C-2", wallet(2), map[string]any{
			"kyc": map[string]any{"status": "VERIFIED", "method": "eKYC", "verifiedAt": "2025-05-01T00:00:00Z", "reviewDue": "2026-05-31T12:00:00Z"}}))
		n.must(200, "PUT", "/v1/issuances/"+id+"/whitelist/"+expired.str("id"), sk, nil)
		if r := look(reader, wallet(2)); r.str("code") != "KYC_EXPIRED" {
			t.Fatalf("expired KYC: %s", r.raw)
		}

		// Frozen investor.
		frozen := n.must(201, "POST", "/v1/investors", sk, investorBody("C-3", wallet(3), nil))
		n.must(200, "PUT", "/v1/issuances/"+id+"/whitelist/"+frozen.str("id"), sk, nil)
		n.must(200, "POST", "/v1/investors/"+frozen.str("id")+"/freeze", sk, map[string]any{"reason": "court order"})
		if r := look(reader, wallet(3)); r.str("code") != "ACCOUNT_FROZEN" {
			t.Fatalf("frozen investor: %s", r.raw)
		}

		// Fill the placement: 49 investors hold a place, the 50th is refused.
		for i := 4; i <= 50; i++ {
			x := n.must(201, "POST", "/v1/investors", sk, investorBody(fmt.Sprintf("C-%d", i), wallet(i), nil))
			n.must(200, "PUT", "/v1/issuances/"+id+"/whitelist/"+x.str("id"), sk, nil)
		}
		if r := look(reader, wallet(49)); r.str("allowed") != "true" {
			t.Fatalf("49th holder: %s", r.raw)
		}
		if r := look(reader, wallet(50)); r.str("code") != "MAX_HOLDERS_REACHED" {
			t.Fatalf("50th holder: %s", r.raw)
		}

		// Specified-investor private placement with an opt-in that has lapsed.
		pro := n.must(201, "POST", "/v1/issuances", sk, map[string]any{
			"issuerName": "Pro Bond", "tokenName": "Pro Bond", "tokenSymbol": "PRB",
			"legalForm": "BOND", "fieaClass": "PARA1_TOKEN", "offeringType": "SPECIFIED_INVESTOR_PRIVATE"})
		pid := pro.str("id")
		for _, st := range []string{"REGISTERED", "OFFERING"} {
			n.must(200, "POST", "/v1/issuances/"+pid+"/status", sk, map[string]any{"status": st})
		}
		optIn := n.must(201, "POST", "/v1/investors", sk, investorBody("P-1", wallet(101), map[string]any{
			"categories": []any{map[string]any{"category": "SPECIFIED_INVESTOR", "validFrom": "2025-05-01T00:00:00Z", "validTo": "2026-05-01T00:00:00Z"}}}))
		n.must(200, "PUT", "/v1/issuances/"+pid+"/whitelist/"+optIn.str("id"), sk, nil)
		if r := n.must(200, "GET", "/v1/issuances/"+pid+"/eligibility/"+wallet(101), reader, nil); r.str("code") != "CATEGORY_EXPIRED" {
			t.Fatalf("expired specified-investor opt-in: %s", r.raw)
		}
		// Renewing the opt-in makes the investor eligible again.
		n.must(200, "PUT", "/v1/investors/"+optIn.str("id")+"/categories", sk, map[string]any{
			"categories": []any{map[string]any{"category": "SPECIFIED_INVESTOR", "validFrom": "2026-05-02T00:00:00Z", "validTo": "2027-05-01T00:00:00Z"}}})
		if r := n.must(200, "GET", "/v1/issuances/"+pid+"/eligibility/"+wallet(101), reader, nil); r.str("allowed") != "true" {
			t.Fatalf("renewed opt-in: %s", r.raw)
		}

		// A CFD on an overseas crypto ETF is refused with the product reason.
		cfd := n.must(409, "POST", "/v1/issuances", sk, map[string]any{
			"issuerName": "X", "tokenName": "BTC ETF CFD", "tokenSymbol": "BCFD", "legalForm": "FUND_INTEREST",
			"fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC",
			"product": map[string]any{"class": "CFD", "wrapper": "OVERSEAS_ETF", "underlying": "CRYPTO_ASSET", "leverage": "2"}})
		if cfd.errCode() != "refused" || !strings.Contains(string(cfd.raw), "PRODUCT_NOT_PERMISSIBLE") {
			t.Fatalf("crypto-ETF CFD: %s", cfd.raw)
		}

		// A second seller sees none of it.
		other := n.must(201, "POST", "/v1/sellers", op, sellerBody("1180301018771")).str("id")
		ok2 := n.must(201, "POST", "/v1/sellers/"+other+"/keys", op, map[string]any{}).str("key")
		for _, p := range []string{"/v1/issuances/" + id, "/v1/investors/" + inv.str("id"), "/v1/issuances/" + id + "/whitelist", "/v1/sellers/" + sellerID} {
			if r := n.do("GET", p, ok2, nil); r.status != 404 || r.errCode() != "not_found" {
				t.Fatalf("second seller GET %s: %d %s", p, r.status, r.raw)
			}
		}

		// Looking up the first seller's frozen investor from the second seller's own
		// issuance gives codes, not the first seller's particulars.
		own := n.must(201, "POST", "/v1/issuances", ok2, map[string]any{"issuerName": "B", "tokenName": "B", "tokenSymbol": "B",
			"legalForm": "SHARE", "fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC"}).str("id")
		if r := n.must(200, "GET", "/v1/issuances/"+own+"/eligibility/"+wallet(3), ok2, nil); strings.Contains(string(r.raw), "court order") ||
			strings.Contains(string(r.raw), "Firm 7000012050002") || !strings.Contains(string(r.raw), "ACCOUNT_FROZEN") {
			t.Fatalf("cross-tenant look-up leaks particulars: %s", r.raw)
		}

		// Every step is in the audit log.
		actions := map[string]int{}
		for after := "0"; ; {
			page := n.must(200, "GET", "/v1/audit?limit=500&after="+after, op, nil)
			var body struct {
				Items []struct {
					ID     int64  `json:"id"`
					Action string `json:"action"`
				} `json:"items"`
				Next *int64 `json:"next"`
			}
			_ = json.Unmarshal(page.raw, &body)
			for _, it := range body.Items {
				actions[it.Action]++
			}
			if body.Next == nil {
				break
			}
			after = fmt.Sprint(*body.Next)
		}
		want := map[string]int{"seller.create": 2, "key.create": 4, "issuance.create": 3, "issuance.status": 4,
			"investor.create": 51, "whitelist.approve": 51, "investor.freeze": 1, "investor.categories": 1}
		for a, c := range want {
			if actions[a] != c {
				t.Errorf("audit %s: %d records, want %d (all: %v)", a, actions[a], c, actions)
			}
		}
	})
}

func TestTransferChecksAndBatch(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		op := n.operatorKey()
		sid := n.must(201, "POST", "/v1/sellers", op, sellerBody("7000012050002")).str("id")
		sk := n.must(201, "POST", "/v1/sellers/"+sid+"/keys", op, map[string]any{}).str("key")
		id := n.must(201, "POST", "/v1/issuances", sk, map[string]any{
			"issuerName": "I", "tokenName": "T", "tokenSymbol": "T", "legalForm": "SHARE", "fieaClass": "PARA1_TOKEN",
			"offeringType": "PUBLIC", "lockupEnd": "2026-07-01T00:00:00Z", "deniedCountries": []string{"KP"}}).str("id")
		for _, st := range []string{"REGISTERED", "OFFERING"} {
			n.must(200, "POST", "/v1/issuances/"+id+"/status", sk, map[string]any{"status": st})
		}
		a := n.must(201, "POST", "/v1/investors", sk, investorBody("A", wallet(1), nil)).str("id")
		b := n.must(201, "POST", "/v1/investors", sk, investorBody("B", wallet(2), map[string]any{"residenceCountry": "KP"})).str("id")
		n.must(201, "POST", "/v1/investors/"+a+"/wallets", sk, map[string]any{"address": wallet(3), "label": "cold"})
		for _, inv := range []string{a, b} {
			n.must(200, "PUT", "/v1/issuances/"+id+"/whitelist/"+inv, sk, map[string]any{"validUntil": "2026-06-01T12:00:10Z"})
		}
		check := func(from, to string) response {
			return n.must(200, "POST", "/v1/issuances/"+id+"/transfer-checks", sk, map[string]any{"from": from, "to": to, "amount": "10"})
		}
		if r := check(wallet(1), wallet(2)); r.str("code") != "COUNTRY_RESTRICTED" || !strings.Contains(string(r.raw), "LOCKUP_ACTIVE") {
			t.Fatalf("transfer into a denied country during lock-up: %s", r.raw)
		}
		// Between two wallets of one investor the whitelist rules pass, lock-up still applies.
		if r := check(wallet(1), wallet(3)); strings.Contains(string(r.raw), "NOT_WHITELISTED") {
			t.Fatalf("same-investor transfer: %s", r.raw)
		}
		batch := n.must(200, "POST", "/v1/issuances/"+id+"/eligibility", sk, map[string]any{"addresses": []string{wallet(1), wallet(2), wallet(9)}})
		var out struct {
			Items []struct {
				Allowed bool   `json:"allowed"`
				Code    string `json:"code"`
			} `json:"items"`
		}
		_ = json.Unmarshal(batch.raw, &out)
		if len(out.Items) != 3 || !out.Items[0].Allowed || out.Items[1].Code != "COUNTRY_RESTRICTED" || out.Items[2].Code != "WALLET_UNKNOWN" {
			t.Fatalf("batch: %s", batch.raw)
		}
		// Whitelist valid-until is inclusive to the second.
		n.clock.Set(time.Date(2026, 6, 1, 12, 0, 10, 0, time.UTC))
		if r := n.must(200, "GET", "/v1/issuances/"+id+"/eligibility/"+wallet(1), sk, nil); r.str("allowed") != "true" {
			t.Fatalf("at valid-until: %s", r.raw)
		}
		n.clock.Set(time.Date(2026, 6, 1, 12, 0, 11, 0, time.UTC))
		if r := n.must(200, "GET", "/v1/issuances/"+id+"/eligibility/"+wallet(1), sk, nil); r.str("code") != "WHITELIST_EXPIRED" {
			t.Fatalf("a second after valid-until: %s", r.raw)
		}
		many := make([]string, 1001)
		for i := range many {
			many[i] = wallet(i)
		}
		if r := n.do("POST", "/v1/issuances/"+id+"/eligibility", sk, map[string]any{"addresses": many}); r.status != 400 {
			t.Fatalf("1,001 addresses: %d %s", r.status, r.raw)
		}
	})
}

// TestBadInput: every malformed request is a 4xx with a stable code and writes nothing.
func TestBadInput(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		op := n.operatorKey()
		sid := n.must(201, "POST", "/v1/sellers", op, sellerBody("7000012050002")).str("id")
		sk := n.must(201, "POST", "/v1/sellers/"+sid+"/keys", op, map[string]any{}).str("key")
		iss := func(mod map[string]any) map[string]any {
			b := map[string]any{"issuerName": "I", "tokenName": "T", "tokenSymbol": "T", "legalForm": "SHARE",
				"fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC"}
			for k, v := range mod {
				b[k] = v
			}
			return b
		}
		id := n.must(201, "POST", "/v1/issuances", sk, iss(nil)).str("id")
		inv := n.must(201, "POST", "/v1/investors", sk, investorBody("A", wallet(1), nil)).str("id")
		// auditCount counts the records of refusals, or of everything else.
		auditCount := func(refusals bool) int {
			var body struct{ Items []struct{ Action string } }
			_ = json.Unmarshal(n.must(200, "GET", "/v1/audit?limit=500", op, nil).raw, &body)
			count := 0
			for _, it := range body.Items {
				if (it.Action == "request.refused") == refusals {
					count++
				}
			}
			return count
		}
		before := auditCount(false)
		cases := []struct {
			name, method, path, key string
			body                    any
			status                  int
			code                    string
		}{
			{"no key", "GET", "/v1/issuances", "", nil, 401, "unauthorized"},
			{"bad key", "GET", "/v1/issuances", "stn_0000000000000000_nope", nil, 401, "unauthorized"},
			{"seller creates seller", "POST", "/v1/sellers", sk, sellerBody("1180301018771"), 403, "forbidden"},
			{"bad check digit", "POST", "/v1/sellers", op, sellerBody("7000012050003"), 400, "invalid"},
			{"duplicate seller", "POST", "/v1/sellers", op, sellerBody("7000012050002"), 409, "conflict"},
			{"unknown field", "POST", "/v1/issuances", sk, iss(map[string]any{"colour": "red"}), 400, "invalid"},
			{"malformed JSON", "POST", "/v1/issuances", sk, `{"issuerName":`, 400, "invalid"},
			{"trailing JSON", "POST", "/v1/issuances", sk, `{} {}`, 400, "invalid"},
			{"wrong type", "POST", "/v1/issuances", sk, iss(map[string]any{"maxHolders": "many"}), 400, "invalid"},
			{"bad enum", "POST", "/v1/issuances", sk, iss(map[string]any{"legalForm": "COIN"}), 400, "invalid"},
			{"bad country", "POST", "/v1/issuances", sk, iss(map[string]any{"deniedCountries": []string{"XX"}}), 400, "invalid"},
			{"negative amount", "POST", "/v1/issuances", sk, iss(map[string]any{"minHolding": "-1"}), 400, "invalid"},
			{"amount over uint256", "POST", "/v1/issuances", sk, iss(map[string]any{"supplyCap": strings.Repeat("9", 78)}), 400, "invalid"},
			{"leverage over cap", "POST", "/v1/issuances", sk, iss(map[string]any{"product": map[string]any{"class": "CFD", "wrapper": "DIRECT", "underlying": "FX", "leverage": "26"}}), 409, "refused"},
			{"bad timestamp", "POST", "/v1/issuances", sk, iss(map[string]any{"lockupEnd": "tomorrow"}), 400, "invalid"},
			{"bad address", "POST", "/v1/investors/" + inv + "/wallets", sk, map[string]any{"address": "0x123"}, 400, "invalid"},
			{"bad checksum", "POST", "/v1/investors/" + inv + "/wallets", sk, map[string]any{"address": "0x52908400098527886E0F7030069857D2E4169Ee7"}, 400, "invalid"},
			{"wallet taken", "POST", "/v1/investors/" + inv + "/wallets", sk, map[string]any{"address": wallet(1)}, 409, "conflict"},
			{"bad date of birth", "POST", "/v1/investors", sk, investorBody("B", wallet(2), map[string]any{"dateOfBirth": "01/04/1980"}), 400, "invalid"},
			{"bad residence", "POST", "/v1/investors", sk, investorBody("B", wallet(2), map[string]any{"residenceCountry": "jp"}), 400, "invalid"},
			{"opt-in over a year", "PUT", "/v1/investors/" + inv + "/categories", sk, map[string]any{"categories": []any{map[string]any{"category": "SPECIFIED_INVESTOR", "validFrom": "2026-01-01T00:00:00Z", "validTo": "2027-06-01T00:00:00Z"}}}, 400, "invalid"},
			{"unknown status", "POST", "/v1/issuances/" + id + "/status", sk, map[string]any{"status": "BOGUS"}, 400, "invalid"},
			{"bad transition", "POST", "/v1/issuances/" + id + "/status", sk, map[string]any{"status": "ISSUED"}, 409, "conflict"},
			{"bad amount in check", "POST", "/v1/issuances/" + id + "/transfer-checks", sk, map[string]any{"from": wallet(1), "to": wallet(2), "amount": "1.5"}, 400, "invalid"},
			{"bad address in look-up", "GET", "/v1/issuances/" + id + "/eligibility/0xzz", sk, nil, 400, "invalid"},
			{"missing issuance", "GET", "/v1/issuances/999", sk, nil, 404, "not_found"},
			{"non-numeric id", "GET", "/v1/issuances/abc", sk, nil, 404, "not_found"},
			{"bad limit", "GET", "/v1/issuances?limit=100000", sk, nil, 400, "invalid"},
			{"oversized body", "POST", "/v1/issuances/" + id + "/eligibility", sk, `{"addresses":["` + strings.Repeat("a", api.MaxBodyBytes) + `"]}`, 413, "too_large"},
			{"no route", "GET", "/v1/nothing", sk, nil, 404, "not_found"},
			{"stray bracket after JSON", "POST", "/v1/keys", op, `{"role":"reader"}]`, 400, "invalid"},
			{"NUL in text", "POST", "/v1/sellers", op, map[string]any{"legalName": "A\u0000B", "corporateNumber": "1180301018771", "fsaRegistration": "x", "licence": "TYPE1", "membership": "FULL"}, 400, "invalid"},
			{"year 10000 in UTC", "POST", "/v1/issuances", sk, iss(map[string]any{"lockupEnd": "9999-12-31T23:00:00-23:00"}), 400, "invalid"},
			{"year before 1", "PUT", "/v1/issuances/" + id + "/whitelist/" + inv, sk, map[string]any{"validUntil": "0000-01-01T00:00:00+01:00"}, 400, "invalid"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := n.do(c.method, c.path, c.key, c.body)
				if r.status != c.status || r.errCode() != c.code || r.str("error", "message") == "" {
					t.Fatalf("status %d code %q, want %d %q: %s", r.status, r.errCode(), c.status, c.code, r.raw)
				}
			})
		}
		if after := auditCount(false); after != before {
			t.Fatalf("bad requests wrote %d audit records", after-before)
		}
		// The one refusal among them (leverage over the cap) is on record as such.
		if refusals := auditCount(true); refusals != 1 {
			t.Fatalf("%d refusals on record, want 1", refusals)
		}
	})
}

func TestHealthAndReadiness(t *testing.T) {
	n := startNode(t, store.SQLite)
	n.must(200, "GET", "/healthz", "", nil)
	n.must(200, "GET", "/readyz", "", nil)
	n.st.Close()
	if r := n.do("GET", "/readyz", "", nil); r.status != 503 || r.errCode() != "unavailable" {
		t.Fatalf("readyz with the database closed: %d %s", r.status, r.raw)
	}
}

func TestMetricsNeedAKeyAndCountRequests(t *testing.T) {
	n := startNode(t, store.SQLite)
	key := n.operatorKey()
	n.must(200, "GET", "/v1/reason-codes", key, nil)
	if r := n.do("GET", "/metrics", "", nil); r.status != 401 {
		t.Fatalf("metrics without a key: %d", r.status)
	}
	r := n.must(200, "GET", "/metrics", key, nil)
	if !strings.Contains(string(r.raw), `stonode_http_request_duration_seconds_count{method="GET",route="/v1/reason-codes",status="200"} 1`) {
		t.Fatalf("metrics lack the request histogram:\n%.2000s", r.raw)
	}
	// Made-up methods share one label: a client cannot grow the series.
	for _, m := range []string{"FOO1", "FOO2", "BREW"} {
		n.do(m, "/v1/reason-codes", key, nil)
	}
	r = n.must(200, "GET", "/metrics", key, nil)
	if strings.Contains(string(r.raw), `method="FOO1"`) || !strings.Contains(string(r.raw), `method="OTHER"`) {
		t.Fatalf("made-up methods are not one OTHER series:\n%.3000s", r.raw)
	}
}
