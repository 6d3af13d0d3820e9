package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

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

// TestBulkUploadOverHTTP: a CSV upload validated, refused as a whole for one
// bad row (422, nothing written), applied, and applied again as a no-op; the
// same as JSON; and the edge checks.
func TestBulkUploadOverHTTP(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		op := n.operatorKey()
		sellerID := n.must(201, "POST", "/v1/sellers", op, sellerBody("7000012050002")).str("id")
		sk := n.must(201, "POST", "/v1/sellers/"+sellerID+"/keys", op, map[string]any{"name": "alpha"}).str("key")
		id := n.must(201, "POST", "/v1/issuances", sk, map[string]any{
			"issuerName": "Tokyo Office REIT", "tokenName": "Tokyo Office", "tokenSymbol": "TOF", "decimals": 0,
			"legalForm": "TRUST_BENEFICIARY", "fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC"}).str("id")

		header := "\ufeffcustomerRef,personType,residenceCountry,wallets,kycStatus,kycMethod,kycVerifiedAt,kycReviewDue,sanctions,sanctionsCheckedAt,antisocial,antisocialCheckedAt,categories,approveIssuances\n"
		row := func(i int, country string) string {
			return fmt.Sprintf("B-%d,INDIVIDUAL,%s,%s,VERIFIED,eKYC,2026-03-01T00:00:00Z,2027-03-01T00:00:00Z,CLEAR,2026-03-01T00:00:00Z,CLEAR,2026-03-01T00:00:00Z,GENERAL@2026-03-01T00:00:00Z/2027-03-01T00:00:00Z,%s\n",
				i, country, wallet(100+i), id)
		}
		bad := header + row(1, "JP") + row(2, "ZZ") + row(3, "JP")
		good := header + row(1, "JP") + row(2, "SG") + row(3, "JP")

		status, body := n.post("/v1/investors/bulk?mode=validate", sk, "text/csv", bad)
		if status != 200 || body["applied"] != false || body["failed"] != float64(1) {
			t.Fatalf("validate: %d %v", status, body)
		}
		rs := bulkResults(t, body)
		if rs[1]["line"] != float64(3) || rs[1]["outcome"] != "ERROR" || rs[1]["code"] != "invalid" || rs[0]["outcome"] != "CREATED" {
			t.Fatalf("validate rows: %v", rs)
		}
		if status, body = n.post("/v1/investors/bulk?mode=apply", sk, "text/csv; charset=utf-8", bad); status != 422 || body["applied"] != false {
			t.Fatalf("apply with a bad row: %d %v", status, body)
		}
		if r := n.must(200, "GET", "/v1/investors", sk, nil); strings.Contains(string(r.raw), "B-1") {
			t.Fatalf("a refused upload wrote investors: %s", r.raw)
		}
		if status, body = n.post("/v1/investors/bulk?mode=apply", sk, "text/csv", good); status != 200 || body["applied"] != true || body["created"] != float64(3) {
			t.Fatalf("apply: %d %v", status, body)
		}
		invID := fmt.Sprint(bulkResults(t, body)[0]["investorId"])
		if r := n.must(200, "GET", "/v1/issuances/"+id+"/whitelist", sk, nil); !strings.Contains(string(r.raw), `"investorId":`+invID) {
			t.Fatalf("approval missing: %s", r.raw)
		}
		if status, body = n.post("/v1/investors/bulk?mode=apply", sk, "text/csv", good); status != 200 || body["unchanged"] != float64(3) {
			t.Fatalf("re-upload: %d %v", status, body)
		}

		// JSON rows.
		js := fmt.Sprintf(`[{"customerRef":"J-1","personType":"CORPORATION","residenceCountry":"JP","wallets":[%q],
			"kycStatus":"VERIFIED","kycMethod":"docs","kycVerifiedAt":"2026-03-01T00:00:00Z","kycReviewDue":"2027-03-01T00:00:00Z",
			"sanctions":"CLEAR","antisocial":"CLEAR","approvals":[{"issuanceId":%s,"validUntil":"2027-06-30T00:00:00Z"}]},
			{"customerRef":"J-2","personType":"INDIVIDUAL","residenceCountry":"JP","bogus":1}]`, wallet(200), id)
		status, body = n.post("/v1/investors/bulk?mode=validate", sk, "application/json", js)
		if rs := bulkResults(t, body); status != 200 || rs[0]["outcome"] != "CREATED" || rs[1]["outcome"] != "ERROR" || rs[1]["line"] != float64(2) {
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
	})
}
