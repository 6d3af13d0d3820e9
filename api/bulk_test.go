package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stonode/stonode/api"
	"github.com/stonode/stonode/registry/sealing"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// startBulkNode is a node whose bulk onboarding is the records service with
// data keys, as serve wires it.
func startBulkNode(t *testing.T, engine store.Dialect) *node {
	t.Helper()
	clock := storetest.NewClock(now)
	st := storetest.Open(t, engine, clock.Now)
	_, entry, err := sealing.NewKeyEntry(clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := sealing.Parse(entry)
	if err != nil {
		t.Fatal(err)
	}
	rec := store.NewRecords(st.DB, keys)
	srv := httptest.NewServer(api.New(st, api.Options{Clock: clock.Now, Mirror: st, Records: rec, Bulk: rec}))
	t.Cleanup(srv.Close)
	return &node{t: t, url: srv.URL, st: st, clock: clock}
}

// post sends a body with its own content type.
func (n *node) post(path, key, contentType, body string) (int, map[string]any) {
	n.t.Helper()
	req, _ := http.NewRequest("POST", n.url+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		n.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

func bulkResults(t *testing.T, body map[string]any) []map[string]any {
	t.Helper()
	rs, _ := body["results"].([]any)
	out := make([]map[string]any, len(rs))
	for i, r := range rs {
		out[i], _ = r.(map[string]any)
	}
	return out
}

// TestBulkUploadOverHTTP: a CSV upload with personal data validated, refused
// as a whole for one bad row (422, nothing written), applied, its personal
// data read by the seller and redacted for another, and applied again as a
// no-op; the same as JSON; and the edge checks.
func TestBulkUploadOverHTTP(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) { testBulkUploadOverHTTP(t, startBulkNode(t, engine)) })
	}
}

func testBulkUploadOverHTTP(t *testing.T, n *node) {
	op := n.operatorKey()
	sellerID := n.must(201, "POST", "/v1/sellers", op, sellerBody("7000012050002")).str("id")
	sk := n.must(201, "POST", "/v1/sellers/"+sellerID+"/keys", op, map[string]any{"name": "alpha"}).str("key")
	id := n.must(201, "POST", "/v1/issuances", sk, map[string]any{
		"issuerName": "Tokyo Office REIT", "tokenName": "Tokyo Office", "tokenSymbol": "TOF", "decimals": 0,
		"legalForm": "TRUST_BENEFICIARY", "fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC"}).str("id")

	header := "\ufeffcustomerRef,personType,residenceCountry,wallets,kycStatus,kycMethod,kycVerifiedAt,kycReviewDue,sanctions,sanctionsCheckedAt,antisocial,antisocialCheckedAt,categories,approveIssuances," +
		"legalName,kanaName,representativeName,postalCode,address,taxCategory,email,phone,externalRef\n"
	row := func(i int, country, tax string) string {
		return fmt.Sprintf("B-%d,INDIVIDUAL,%s,%s,VERIFIED,eKYC,2026-03-01T00:00:00Z,2027-03-01T00:00:00Z,CLEAR,2026-03-01T00:00:00Z,CLEAR,2026-03-01T00:00:00Z,GENERAL@2026-03-01T00:00:00Z/2027-03-01T00:00:00Z,%s,"+
			"山田 花子%d,ヤマダ ハナコ,,1000005,東京都千代田区丸の内一丁目%d番1号,%s,hanako%d@example.jp,,ACC-%d\n",
			i, country, wallet(100+i), id, i, i, tax, i, i)
	}
	badCountry := header + row(1, "JP", "INDIVIDUAL") + row(2, "ZZ", "INDIVIDUAL") + row(3, "JP", "INDIVIDUAL")
	badTax := header + row(1, "JP", "INDIVIDUAL") + row(2, "SG", "CORPORATION") + row(3, "JP", "INDIVIDUAL")
	good := header + row(1, "JP", "INDIVIDUAL") + row(2, "SG", "NON_RESIDENT") + row(3, "JP", "INDIVIDUAL")

	for _, bad := range []string{badCountry, badTax} {
		status, body := n.post("/v1/investors/bulk?mode=validate", sk, "text/csv", bad)
		if status != 200 || body["applied"] != false || body["failed"] != float64(1) {
			t.Fatalf("validate: %d %v", status, body)
		}
		rs := bulkResults(t, body)
		if rs[1]["line"] != float64(3) || rs[1]["outcome"] != "ERROR" || rs[1]["code"] != "invalid" || rs[0]["outcome"] != "CREATED" || rs[2]["outcome"] != "CREATED" {
			t.Fatalf("validate rows: %v", rs)
		}
		if status, body = n.post("/v1/investors/bulk?mode=apply", sk, "text/csv; charset=utf-8", bad); status != 422 || body["applied"] != false {
			t.Fatalf("apply with a bad row: %d %v", status, body)
		}
		if r := n.must(200, "GET", "/v1/investors", sk, nil); strings.Contains(string(r.raw), "B-1") {
			t.Fatalf("a refused upload wrote investors: %s", r.raw)
		}
	}
	status, body := n.post("/v1/investors/bulk?mode=apply", sk, "text/csv", good)
	if status != 200 || body["applied"] != true || body["created"] != float64(3) {
		t.Fatalf("apply: %d %v", status, body)
	}
	invID := fmt.Sprint(bulkResults(t, body)[0]["investorId"])
	// The personal data is the seller's to read, and redacted for another.
	pd := n.must(200, "GET", "/v1/investors/"+invID+"/personal-data", sk, nil)
	if pd.str("version") != "1" || pd.str("redacted") != "false" || pd.str("data", "legalName") != "山田 花子1" ||
		pd.str("data", "postalCode") != "100-0005" || pd.str("data", "taxCategory") != "INDIVIDUAL" || pd.str("data", "externalRef") != "ACC-1" {
		t.Fatalf("personal data: %s", pd.raw)
	}
	otherID := n.must(201, "POST", "/v1/sellers", op, sellerBody("5010401089998")).str("id")
	other := n.must(201, "POST", "/v1/sellers/"+otherID+"/keys", op, map[string]any{"name": "beta"}).str("key")
	if r := n.must(200, "GET", "/v1/investors/"+invID+"/personal-data", other, nil); r.str("redacted") != "true" || strings.Contains(string(r.raw), "山田") {
		t.Fatalf("another seller reads: %s", r.raw)
	}
	if r := n.must(200, "GET", "/v1/issuances/"+id+"/whitelist", sk, nil); !strings.Contains(string(r.raw), `"investorId":`+invID) {
		t.Fatalf("approval missing: %s", r.raw)
	}
	if status, body = n.post("/v1/investors/bulk?mode=apply", sk, "text/csv", good); status != 200 || body["unchanged"] != float64(3) {
		t.Fatalf("re-upload: %d %v", status, body)
	}
	if r := n.must(200, "GET", "/v1/investors/"+invID+"/personal-data/versions", sk, nil); strings.Count(string(r.raw), `"version":`) != 1 {
		t.Fatalf("a re-upload added a version: %s", r.raw)
	}
	// Other personal data for an onboarded reference is that row's conflict.
	moved := strings.Replace(good, "丸の内一丁目3番1号", "梅田三丁目2番2号", 1)
	if status, body = n.post("/v1/investors/bulk?mode=apply", sk, "text/csv", moved); status != 422 || bulkResults(t, body)[2]["code"] != "conflict" || body["failed"] != float64(1) {
		t.Fatalf("changed personal data: %d %v", status, body)
	}

	// JSON rows.
	js := fmt.Sprintf(`[{"customerRef":"J-1","personType":"CORPORATION","residenceCountry":"JP","wallets":[%q],
		"kycStatus":"VERIFIED","kycMethod":"docs","kycVerifiedAt":"2026-03-01T00:00:00Z","kycReviewDue":"2027-03-01T00:00:00Z",
		"sanctions":"CLEAR","antisocial":"CLEAR","approvals":[{"issuanceId":%s,"validUntil":"2027-06-30T00:00:00Z"}]},
		{"customerRef":"J-2","personType":"INDIVIDUAL","residenceCountry":"JP","bogus":1},
		{"customerRef":"J-3","personType":"CORPORATION","residenceCountry":"JP","kycStatus":"NONE",
		"legalName":"株式会社テスト","kanaName":"カブシキガイシャテスト","address":"東京都港区","taxCategory":"CORPORATION"}]`, wallet(200), id)
	status, body = n.post("/v1/investors/bulk?mode=validate", sk, "application/json", js)
	if rs := bulkResults(t, body); status != 200 || rs[0]["outcome"] != "CREATED" || rs[1]["outcome"] != "ERROR" || rs[1]["line"] != float64(2) ||
		rs[2]["outcome"] != "ERROR" || !strings.Contains(fmt.Sprint(rs[2]["message"]), "representativeName") {
		t.Fatalf("JSON validate: %d %v", status, body)
	}

	// Edges: mode required, content type, an unknown column, the reader role.
	reader := n.must(201, "POST", "/v1/keys", op, map[string]any{"role": "reader"}).str("key")
	for _, tc := range []struct {
		name, path, key, ct, body, code string
		status                          int
	}{
		{"no mode", "/v1/investors/bulk", sk, "text/csv", good, "invalid", 400},
		{"bad mode", "/v1/investors/bulk?mode=now", sk, "text/csv", good, "invalid", 400},
		{"content type", "/v1/investors/bulk?mode=validate", sk, "text/plain", good, "invalid", 400},
		{"unknown column", "/v1/investors/bulk?mode=validate", sk, "text/csv", "customerRef,name\nx,y\n", "invalid", 400},
		{"not an array", "/v1/investors/bulk?mode=validate", sk, "application/json", `{"customerRef":"x"}`, "invalid", 400},
		{"bad sellerId", "/v1/investors/bulk?mode=validate&sellerId=x", op, "text/csv", good, "invalid", 400},
		{"operator without seller", "/v1/investors/bulk?mode=validate", op, "text/csv", good, "invalid", 400},
		{"reader", "/v1/investors/bulk?mode=validate", reader, "text/csv", good, "forbidden", 403},
		{"too large", "/v1/investors/bulk?mode=validate", sk, "text/csv", header + strings.Repeat("x", 9<<20), "too_large", 413},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := n.post(tc.path, tc.key, tc.ct, tc.body)
			errObj, _ := body["error"].(map[string]any)
			if status != tc.status || errObj["code"] != tc.code {
				t.Fatalf("%d %v, want %d %s", status, body, tc.status, tc.code)
			}
		})
	}
	// An operator names the seller.
	if status, body = n.post("/v1/investors/bulk?mode=validate&sellerId="+sellerID, op, "text/csv", good); status != 200 || body["unchanged"] != float64(3) {
		t.Fatalf("operator upload: %d %v", status, body)
	}
}
