package api_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stonode/stonode/registry/store/storetest"
)

// Strict input at the edge (issue 8, item 5): each finding over real HTTP on
// both engines, with its status and stable error code.

// edgeCase is one request and the status and error code it must answer.
type edgeCase struct {
	name, method, path, key string
	body                    any
	status                  int
	code                    string // "" for a success
}

func (n *node) expect(t *testing.T, cases []edgeCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := n.do(c.method, c.path, c.key, c.body)
			if r.status != c.status || r.errCode() != c.code {
				t.Fatalf("%s %s: status %d code %q, want %d %q: %s", c.method, c.path, r.status, r.errCode(), c.status, c.code, r.raw)
			}
		})
	}
}

// edgeFixture is a seller with a key, an issuance in OFFERING and an investor
// approved onto it.
type edgeFixture struct {
	op, sellerID, sk, issuance, investor string
}

func (n *node) edgeFixture(extra map[string]any) edgeFixture {
	n.t.Helper()
	f := edgeFixture{op: n.operatorKey()}
	f.sellerID = n.must(201, "POST", "/v1/sellers", f.op, sellerBody("7000012050002")).str("id")
	f.sk = n.must(201, "POST", "/v1/sellers/"+f.sellerID+"/keys", f.op, map[string]any{}).str("key")
	body := map[string]any{"issuerName": "I", "tokenName": "T", "tokenSymbol": "T", "legalForm": "SHARE",
		"fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC"}
	for k, v := range extra {
		body[k] = v
	}
	f.issuance = n.must(201, "POST", "/v1/issuances", f.sk, body).str("id")
	for _, st := range []string{"REGISTERED", "OFFERING"} {
		n.must(200, "POST", "/v1/issuances/"+f.issuance+"/status", f.sk, map[string]any{"status": st})
	}
	f.investor = n.must(201, "POST", "/v1/investors", f.sk, investorBody("A", wallet(1), nil)).str("id")
	n.must(200, "PUT", "/v1/issuances/"+f.issuance+"/whitelist/"+f.investor, f.sk, nil)
	return f
}

// TestEdgeCountries: only officially assigned ISO 3166-1 alpha-2 codes are
// countries, for residence and for an issuance's allowed and denied lists; a
// reserved code such as UK or SU cannot slip past a list that denies GB or RU.
func TestEdgeCountries(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		f := n.edgeFixture(map[string]any{"deniedCountries": []string{"GB", "RU"}})
		resident := func(ref, country string, i int) map[string]any {
			return investorBody(ref, wallet(100+i), map[string]any{"residenceCountry": country})
		}
		issuance := func(field string, codes ...string) map[string]any {
			return map[string]any{"issuerName": "I", "tokenName": "T", "tokenSymbol": "T", "legalForm": "SHARE",
				"fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC", field: codes}
		}
		var cases []edgeCase
		// Reserved (exceptionally, transitionally, indeterminately), user-assigned,
		// and malformed codes; before the fix the first several passed.
		for i, code := range []string{"UK", "SU", "EU", "UN", "AN", "YU", "TP", "ZR", "CS", "DD", "FX", "XK", "XX", "ZZ", "QO", "AA", "EZ", "AC", "IC", "jp", "Jp", "JPN", "J", ""} {
			cases = append(cases,
				edgeCase{"residence " + code, "POST", "/v1/investors", f.sk, resident(fmt.Sprintf("R-%d", i), code, i), 400, "invalid"},
				edgeCase{"denied " + code, "POST", "/v1/issuances", f.sk, issuance("deniedCountries", "JP", code), 400, "invalid"},
				edgeCase{"allowed " + code, "POST", "/v1/issuances", f.sk, issuance("allowedCountries", code), 400, "invalid"})
		}
		// Assigned codes, including recent ones (SS 2011, BQ/CW/SX 2010) and
		// territories without a government of their own (AQ, BV).
		for i, code := range []string{"GB", "RU", "JP", "SS", "BQ", "CW", "SX", "AQ", "BV", "ZW"} {
			cases = append(cases,
				edgeCase{"residence " + code, "POST", "/v1/investors", f.sk, resident(fmt.Sprintf("OK-%d", i), code, 50+i), 201, ""},
				edgeCase{"allowed " + code, "POST", "/v1/issuances", f.sk, issuance("allowedCountries", code), 201, ""})
		}
		n.expect(t, cases)

		// GB and RU residents are refused by the issuance that denies GB and RU;
		// no UK or SU resident exists to be allowed.
		for i, code := range []string{"GB", "RU"} {
			id := n.must(200, "GET", "/v1/investors?customerRef="+fmt.Sprintf("OK-%d", i), f.sk, nil).body["items"].([]any)[0].(map[string]any)["id"]
			n.must(200, "PUT", fmt.Sprintf("/v1/issuances/%s/whitelist/%v", f.issuance, id), f.sk, nil)
			if r := n.must(200, "GET", "/v1/issuances/"+f.issuance+"/eligibility/"+wallet(150+i), f.sk, nil); r.str("code") != "COUNTRY_RESTRICTED" {
				t.Fatalf("%s resident on an issuance denying GB and RU: %s", code, r.raw)
			}
		}
	})
}

// TestEdgeParamText: NUL, other control characters and invalid UTF-8 in a path
// or query parameter answer 400 before any handler or database sees them (they
// answered 500 on PostgreSQL); a malformed query string is 400 too.
func TestEdgeParamText(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		f := n.edgeFixture(nil)
		iss, inv := "/v1/issuances/"+f.issuance, "/v1/investors/"+f.investor
		bad := func(name, method, path, key string) edgeCase {
			return edgeCase{name, method, path, key, nil, 400, "invalid"}
		}
		n.expect(t, []edgeCase{
			bad("NUL key id", "DELETE", "/v1/keys/%00", f.op),
			bad("NUL seller key id", "DELETE", "/v1/sellers/"+f.sellerID+"/keys/%00", f.op),
			bad("NUL audit entity", "GET", "/v1/audit?entity=%00", f.op),
			bad("NUL audit entityId", "GET", "/v1/audit?entityId=1%00", f.op),
			bad("NUL audit action", "GET", "/v1/audit?action=%00", f.sk),
			bad("NUL issuance status", "GET", "/v1/issuances?status=%00", f.sk),
			bad("NUL seller status", "GET", "/v1/sellers?status=%00", f.op),
			bad("NUL customerRef", "GET", "/v1/investors?customerRef=%00", f.sk),
			bad("NUL whitelist status", "GET", iss+"/whitelist?status=%00", f.sk),
			bad("NUL path id", "GET", "/v1/issuances/%00", f.sk),
			bad("NUL address", "GET", iss+"/eligibility/%00", f.sk),
			bad("NUL wallet to remove", "DELETE", inv+"/wallets/%00", f.sk),
			bad("NUL limit", "GET", "/v1/sellers?limit=%00", f.op),
			bad("NUL transfer wallet", "GET", iss+"/transfers?wallet=%00", f.sk),
			bad("NUL in a parameter name", "GET", "/v1/audit?%00=1", f.op),
			bad("invalid UTF-8 key id", "DELETE", "/v1/keys/%FF", f.op),
			bad("invalid UTF-8 entity", "GET", "/v1/audit?entity=%C3%28", f.op),
			bad("invalid UTF-8 customerRef", "GET", "/v1/investors?customerRef=%FF%FE", f.sk),
			bad("invalid UTF-8 status", "GET", "/v1/issuances?status=%E2%82", f.sk),
			bad("invalid UTF-8 address", "GET", iss+"/eligibility/%FF", f.sk),
			bad("invalid UTF-8 parameter name", "GET", "/v1/audit?%FF=1", f.op),
			bad("newline in entityId", "GET", "/v1/audit?entityId=1%0A2", f.op),
			bad("DEL in customerRef", "GET", "/v1/investors?customerRef=a%7F", f.sk),
			bad("malformed escape", "GET", "/v1/audit?entity=%zz", f.op),
			bad("semicolon separator", "GET", "/v1/audit?entity=seller;action=x", f.op),
			// Text that is fine passes.
			{"Japanese customerRef", "GET", "/v1/investors?customerRef=" + "%E9%A1%A7%E5%AE%A2", f.sk, nil, 200, ""},
			{"plain entity", "GET", "/v1/audit?entity=seller", f.op, nil, 200, ""},
		})
	})
}

// TestEdgePathIDs: only canonical decimal ids are ids; "+1", "01", "%2B1" and
// the like name nothing (404), on every route with an id, and change nothing.
func TestEdgePathIDs(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		f := n.edgeFixture(nil)
		if f.sellerID != "1" || f.issuance != "1" || f.investor != "1" {
			t.Fatalf("fixture ids %s/%s/%s, want 1/1/1", f.sellerID, f.issuance, f.investor)
		}
		var cases []edgeCase
		for _, id := range []string{"+1", "%2B1", "01", "001", "-1", "0", "1.0", "1e0", "0x1", "%201", "1%20", "%EF%BC%91", "9223372036854775808", "99999999999999999999999", "1_0"} {
			for _, r := range []struct{ method, path, key string }{
				{"POST", "/v1/sellers/{}/suspend", f.op},
				{"GET", "/v1/sellers/{}", f.op},
				{"GET", "/v1/sellers/{}/keys", f.op},
				{"GET", "/v1/issuances/{}", f.sk},
				{"POST", "/v1/issuances/{}/status", f.sk},
				{"GET", "/v1/issuances/{}/whitelist", f.sk},
				{"DELETE", "/v1/issuances/1/whitelist/{}", f.sk},
				{"GET", "/v1/issuances/{}/eligibility/" + wallet(1), f.sk},
				{"GET", "/v1/issuances/{}/transfers", f.sk},
				{"GET", "/v1/issuances/{}/alerts", f.sk},
				{"POST", "/v1/issuances/{}/mint", f.sk},
				{"GET", "/v1/operations/{}", f.sk},
				{"GET", "/v1/issuances/{}/operations", f.sk},
				{"GET", "/v1/investors/{}", f.sk},
				{"POST", "/v1/investors/{}/freeze", f.sk},
			} {
				cases = append(cases, edgeCase{r.method + " " + r.path + " " + id, r.method, strings.ReplaceAll(r.path, "{}", id), r.key, nil, 404, "not_found"})
			}
		}
		for _, id := range []string{"+1", "01", "%2B1", "1.0", "0"} {
			cases = append(cases,
				edgeCase{"sellerId filter " + id, "GET", "/v1/issuances?sellerId=" + id, f.op, nil, 400, "invalid"},
				edgeCase{"investorId filter " + id, "GET", "/v1/issuances/1/transfers?investorId=" + id, f.sk, nil, 400, "invalid"},
				edgeCase{"after " + id + "x", "GET", "/v1/sellers?after=" + id + "x", f.op, nil, 400, "invalid"},
			)
		}
		for _, key := range []string{"0123456789ABCDEF", "0123456789abcde", "0123456789abcdef0", "%2B123456789abcdef", "zzzzzzzzzzzzzzzz"} {
			cases = append(cases, edgeCase{"key id " + key, "DELETE", "/v1/keys/" + key, f.op, nil, 404, "not_found"})
		}
		cases = append(cases,
			edgeCase{"canonical seller", "GET", "/v1/sellers/1", f.op, nil, 200, ""},
			edgeCase{"canonical issuance", "GET", "/v1/issuances/1", f.sk, nil, 200, ""},
			edgeCase{"canonical investor", "GET", "/v1/investors/1", f.sk, nil, 200, ""},
			edgeCase{"canonical sellerId filter", "GET", "/v1/issuances?sellerId=1", f.op, nil, 200, ""},
			edgeCase{"after 0", "GET", "/v1/sellers?after=0", f.op, nil, 200, ""},
		)
		n.expect(t, cases)

		// None of it touched seller 1, issuance 1 or investor 1.
		if r := n.must(200, "GET", "/v1/sellers/1", f.op, nil); r.str("status") != "ACTIVE" {
			t.Fatalf("seller 1 after non-canonical ids: %s", r.raw)
		}
		if r := n.must(200, "GET", "/v1/investors/1", f.sk, nil); r.str("frozen") != "false" {
			t.Fatalf("investor 1 after non-canonical ids: %s", r.raw)
		}
		if r := n.must(200, "GET", "/v1/issuances/1/whitelist", f.sk, nil); !strings.Contains(string(r.raw), `"APPROVED"`) {
			t.Fatalf("whitelist of issuance 1 after non-canonical ids: %s", r.raw)
		}
	})
}

// TestEdgeEnumFilters: an unknown enum value in a list filter is a 400, not an
// empty list; every known value is accepted.
func TestEdgeEnumFilters(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		f := n.edgeFixture(nil)
		wl := "/v1/issuances/" + f.issuance + "/whitelist"
		var cases []edgeCase
		for _, bogus := range []string{"BOGUS", "active", "Active", "ACTIVE%20", "%20"} {
			cases = append(cases,
				edgeCase{"seller status " + bogus, "GET", "/v1/sellers?status=" + bogus, f.op, nil, 400, "invalid"},
				edgeCase{"issuance status " + bogus, "GET", "/v1/issuances?status=" + bogus, f.sk, nil, 400, "invalid"},
				edgeCase{"whitelist status " + bogus, "GET", wl + "?status=" + bogus, f.sk, nil, 400, "invalid"},
				edgeCase{"kycStatus " + bogus, "GET", "/v1/investors?kycStatus=" + bogus, f.sk, nil, 400, "invalid"},
				// Refused at the edge, before the chain service (this node has none) is asked.
				edgeCase{"operation status " + bogus, "GET", "/v1/issuances/" + f.issuance + "/operations?status=" + bogus, f.sk, nil, 400, "invalid"},
				edgeCase{"operation kind " + bogus, "GET", "/v1/issuances/" + f.issuance + "/operations?kind=" + bogus, f.sk, nil, 400, "invalid"},
			)
		}
		for _, v := range []string{"ACTIVE", "SUSPENDED", "REVOKED"} {
			cases = append(cases, edgeCase{"seller status " + v, "GET", "/v1/sellers?status=" + v, f.op, nil, 200, ""})
		}
		for _, v := range []string{"DRAFT", "REGISTERED", "OFFERING", "ISSUED", "SUSPENDED", "REDEEMED"} {
			cases = append(cases, edgeCase{"issuance status " + v, "GET", "/v1/issuances?status=" + v, f.sk, nil, 200, ""})
		}
		for _, v := range []string{"APPROVED", "REVOKED"} {
			cases = append(cases, edgeCase{"whitelist status " + v, "GET", wl + "?status=" + v, f.sk, nil, 200, ""})
		}
		for _, v := range []string{"NONE", "PENDING", "VERIFIED", "REJECTED"} {
			cases = append(cases, edgeCase{"kycStatus " + v, "GET", "/v1/investors?kycStatus=" + v, f.sk, nil, 200, ""})
		}
		// No filter, or an empty one, is still "any".
		cases = append(cases,
			edgeCase{"empty status", "GET", "/v1/issuances?status=", f.sk, nil, 200, ""},
			edgeCase{"no status", "GET", "/v1/issuances", f.sk, nil, 200, ""})
		n.expect(t, cases)
		if r := n.must(200, "GET", "/v1/issuances?status=OFFERING", f.sk, nil); !strings.Contains(string(r.raw), `"id":`+f.issuance) {
			t.Fatalf("OFFERING filter misses the issuance: %s", r.raw)
		}
	})
}

// TestEdgeKeyPagination: GET /v1/keys and /v1/sellers/{id}/keys honour limit
// and after, in creation order, with next the last key's id on a full page.
func TestEdgeKeyPagination(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		op := n.operatorKey()
		seller := n.must(201, "POST", "/v1/sellers", op, sellerBody("7000012050002")).str("id")
		var global, sellers []string
		global = append(global, keyIDs(t, n.must(200, "GET", "/v1/keys", op, nil))...) // the bootstrap key
		// Keys made in pairs at one instant: the order is creation time, then id.
		for i := 0; i < 6; i += 2 {
			n.clock.Set(now.Add(time.Duration(i+1) * time.Second))
			var g, s []string
			for j := i; j < i+2; j++ {
				g = append(g, n.must(201, "POST", "/v1/keys", op, map[string]any{"role": "reader", "name": fmt.Sprint("r", j)}).str("id"))
				s = append(s, n.must(201, "POST", "/v1/sellers/"+seller+"/keys", op, map[string]any{"name": fmt.Sprint("s", j)}).str("id"))
			}
			slices.Sort(g)
			slices.Sort(s)
			global, sellers = append(global, g...), append(sellers, s...)
		}
		for _, list := range []struct {
			path string
			want []string
		}{{"/v1/keys", global}, {"/v1/sellers/" + seller + "/keys", sellers}} {
			var got []string
			pages := 0
			for after := ""; ; pages++ {
				r := n.must(200, "GET", list.path+"?limit=2"+after, op, nil)
				ids := keyIDs(t, r)
				if len(ids) > 2 {
					t.Fatalf("%s: limit=2 gave %d keys", list.path, len(ids))
				}
				got = append(got, ids...)
				next := r.str("next")
				if next == "" {
					break
				}
				if next != ids[len(ids)-1] {
					t.Fatalf("%s: next %q is not the page's last key %q", list.path, next, ids[len(ids)-1])
				}
				after = "&after=" + next
			}
			if wantPages := len(list.want)/2 + 1; strings.Join(got, ",") != strings.Join(list.want, ",") || pages+1 != wantPages {
				t.Fatalf("%s pages of 2: %v in %d pages, want %v in %d", list.path, got, pages+1, list.want, wantPages)
			}
			if ids := keyIDs(t, n.must(200, "GET", list.path+"?limit=1", op, nil)); len(ids) != 1 || ids[0] != list.want[0] {
				t.Fatalf("%s?limit=1: %v", list.path, ids)
			}
		}
		n.expect(t, []edgeCase{
			{"limit 0", "GET", "/v1/keys?limit=0", op, nil, 400, "invalid"},
			{"limit 501", "GET", "/v1/keys?limit=501", op, nil, 400, "invalid"},
			{"limit +2", "GET", "/v1/keys?limit=%2B2", op, nil, 400, "invalid"},
			{"after not a key id", "GET", "/v1/keys?after=12", op, nil, 400, "invalid"},
			{"after unknown key", "GET", "/v1/keys?after=0000000000000000", op, nil, 400, "invalid"},
			{"after a seller's key on the global list", "GET", "/v1/keys?after=" + sellers[0], op, nil, 400, "invalid"},
			{"after a global key on the seller's list", "GET", "/v1/sellers/" + seller + "/keys?after=" + global[1], op, nil, 400, "invalid"},
			{"seller limit 0", "GET", "/v1/sellers/" + seller + "/keys?limit=0", op, nil, 400, "invalid"},
		})
	})
}

func keyIDs(t *testing.T, r response) []string {
	t.Helper()
	var body struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(r.raw, &body); err != nil {
		t.Fatalf("key list: %v: %s", err, r.raw)
	}
	var out []string
	for _, it := range body.Items {
		out = append(out, it.ID)
	}
	return out
}

// TestEdgeBlockRange: a transfer query whose fromBlock is after its toBlock,
// or whose block numbers do not fit the store, is a 400.
func TestEdgeBlockRange(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		f := n.edgeFixture(nil)
		tr := "/v1/issuances/" + f.issuance + "/transfers"
		reg := "/v1/issuances/" + f.issuance + "/holders/register"
		n.expect(t, []edgeCase{
			{"from after to", "GET", tr + "?fromBlock=10&toBlock=9", f.sk, nil, 400, "invalid"},
			{"from after to, large", "GET", tr + "?fromBlock=9223372036854775807&toBlock=0", f.sk, nil, 400, "invalid"},
			{"fromBlock beyond int64", "GET", tr + "?fromBlock=9223372036854775808", f.sk, nil, 400, "invalid"},
			{"toBlock beyond uint64", "GET", tr + "?toBlock=18446744073709551616", f.sk, nil, 400, "invalid"},
			{"fromBlock with sign", "GET", tr + "?fromBlock=%2B1", f.sk, nil, 400, "invalid"},
			{"toBlock with leading zero", "GET", tr + "?toBlock=01", f.sk, nil, 400, "invalid"},
			{"cursor beyond int64", "GET", tr + "?after=9223372036854775808:0", f.sk, nil, 400, "invalid"},
			{"cursor log index beyond uint32", "GET", tr + "?after=1:4294967296", f.sk, nil, 400, "invalid"},
			{"register block beyond int64", "GET", reg + "?block=9223372036854775808", f.sk, nil, 400, "invalid"},
			{"register without block", "GET", reg, f.sk, nil, 400, "invalid"},
			// A well-formed range reaches the issuance, which has no token here.
			{"from equals to", "GET", tr + "?fromBlock=9&toBlock=9", f.sk, nil, 409, "conflict"},
			{"from before to", "GET", tr + "?fromBlock=1&toBlock=9223372036854775807", f.sk, nil, 409, "conflict"},
		})
	})
}

// TestEdgeBodies: a body is a JSON object. null (and any other non-object)
// is refused instead of being read as {}; PUT .../categories must say its list,
// so null or a missing list no longer clears every grant. An empty body stays {}.
func TestEdgeBodies(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		f := n.edgeFixture(nil)
		inv := "/v1/investors/" + f.investor
		grant := map[string]any{"categories": []any{map[string]any{"category": "QII", "validFrom": "2026-01-01T00:00:00Z", "validTo": "2027-01-01T00:00:00Z"}}}
		n.must(200, "PUT", inv+"/categories", f.sk, grant)
		var cases []edgeCase
		for _, body := range []string{"null", " null ", "[]", `"x"`, "1", "true", "[{}]"} {
			cases = append(cases,
				edgeCase{"categories " + body, "PUT", inv + "/categories", f.sk, body, 400, "invalid"},
				edgeCase{"create key " + body, "POST", "/v1/keys", f.op, body, 400, "invalid"},
				edgeCase{"freeze " + body, "POST", inv + "/freeze", f.sk, body, 400, "invalid"},
				edgeCase{"approve " + body, "PUT", "/v1/issuances/" + f.issuance + "/whitelist/" + f.investor, f.sk, body, 400, "invalid"},
				edgeCase{"create issuance " + body, "POST", "/v1/issuances", f.sk, body, 400, "invalid"},
			)
		}
		// NUL in any text of a body is refused before PostgreSQL sees it.
		for _, c := range []struct{ name, method, path, key, body string }{
			{"wallet label", "POST", inv + "/wallets", f.sk, `{"address":"` + wallet(5) + `","label":"a\u0000b"}`},
			{"seller status reason", "POST", "/v1/sellers/" + f.sellerID + "/suspend", f.op, `{"reason":"\u0000"}`},
			{"key name", "POST", "/v1/keys", f.op, `{"role":"reader","name":"\u0000"}`},
			{"freeze reason", "POST", inv + "/freeze", f.sk, `{"reason":"\u0000"}`},
			{"kyc method", "PUT", inv + "/kyc", f.sk, `{"status":"PENDING","method":"\u0000"}`},
			{"issuance status reason", "POST", "/v1/issuances/" + f.issuance + "/status", f.sk, `{"status":"SUSPENDED","reason":"\u0000"}`},
			{"customerRef", "POST", "/v1/investors", f.sk, `{"customerRef":"\u0000","personType":"INDIVIDUAL","residenceCountry":"JP"}`},
			{"country", "POST", "/v1/investors", f.sk, `{"customerRef":"N","personType":"INDIVIDUAL","residenceCountry":"J\u0000"}`},
		} {
			cases = append(cases, edgeCase{"NUL in " + c.name, c.method, c.path, c.key, c.body, 400, "invalid"})
		}
		cases = append(cases,
			edgeCase{"categories {}", "PUT", inv + "/categories", f.sk, "{}", 400, "invalid"},
			edgeCase{"categories empty body", "PUT", inv + "/categories", f.sk, "", 400, "invalid"},
			edgeCase{"categories: null", "PUT", inv + "/categories", f.sk, `{"categories":null}`, 400, "invalid"},
		)
		n.expect(t, cases)
		if r := n.must(200, "GET", inv, f.sk, nil); !strings.Contains(string(r.raw), `"QII"`) {
			t.Fatalf("refused bodies cleared the grants: %s", r.raw)
		}
		// An explicit empty list clears; an empty body where fields are optional is {}.
		if r := n.must(200, "PUT", inv+"/categories", f.sk, `{"categories":[]}`); strings.Contains(string(r.raw), `"QII"`) {
			t.Fatalf("categories [] kept the grant: %s", r.raw)
		}
		n.must(200, "POST", inv+"/freeze", f.sk, "")
		n.must(200, "POST", inv+"/unfreeze", f.sk, "{}")
	})
}

// TestEdgeAddresses: addresses are 0x and 40 hex digits; a capital 0X prefix
// is refused wherever an address is read.
func TestEdgeAddresses(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		f := n.edgeFixture(nil)
		iss, inv := "/v1/issuances/"+f.issuance, "/v1/investors/"+f.investor
		upper := "0X" + wallet(1)[2:]
		fresh := "0X" + wallet(77)[2:]
		n.expect(t, []edgeCase{
			{"add wallet", "POST", inv + "/wallets", f.sk, map[string]any{"address": fresh}, 400, "invalid"},
			{"new investor's wallet", "POST", "/v1/investors", f.sk, investorBody("B", fresh, nil), 400, "invalid"},
			{"look-up", "GET", iss + "/eligibility/" + upper, f.sk, nil, 400, "invalid"},
			{"batch look-up", "POST", iss + "/eligibility", f.sk, map[string]any{"addresses": []string{wallet(1), upper}}, 400, "invalid"},
			{"transfer check to", "POST", iss + "/transfer-checks", f.sk, map[string]any{"from": wallet(1), "to": upper, "amount": "1"}, 400, "invalid"},
			{"transfer check from", "POST", iss + "/transfer-checks", f.sk, map[string]any{"from": upper, "to": wallet(1), "amount": "1"}, 400, "invalid"},
			{"remove wallet", "DELETE", inv + "/wallets/" + upper, f.sk, nil, 400, "invalid"},
			{"transfers filter", "GET", iss + "/transfers?wallet=" + upper, f.sk, nil, 400, "invalid"},
			{"0x with upper-case hex", "GET", iss + "/eligibility/0x" + strings.ToUpper(wallet(1)[2:]), f.sk, nil, 200, ""},
			{"0x lower case", "GET", iss + "/eligibility/" + wallet(1), f.sk, nil, 200, ""},
		})
	})
}

// TestRefusalsAudited: a refused request leaves one audit record saying who
// asked what and the reason codes, filed under the seller concerned.
func TestRefusalsAudited(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		f := n.edgeFixture(nil)
		cfd := map[string]any{"issuerName": "X", "tokenName": "BTC ETF CFD", "tokenSymbol": "BCFD", "legalForm": "FUND_INTEREST",
			"fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC",
			"product": map[string]any{"class": "CFD", "wrapper": "OVERSEAS_ETF", "underlying": "CRYPTO_ASSET", "leverage": "2"}}
		if r := n.do("POST", "/v1/issuances", f.sk, cfd); r.status != 409 || r.errCode() != "refused" {
			t.Fatalf("crypto-ETF CFD: %d %s", r.status, r.raw)
		}
		rec := onlyRefusal(t, n, f.sk)
		if rec.Actor == "" || rec.ActorRole != "seller" || rec.SellerID == nil || fmt.Sprint(*rec.SellerID) != f.sellerID ||
			rec.Entity != "issuance" || rec.EntityID != "" || rec.Detail.Request != "POST /v1/issuances" ||
			len(rec.Detail.Reasons) == 0 || rec.Detail.Reasons[0].Code != "PRODUCT_NOT_PERMISSIBLE" || rec.Detail.Reasons[0].Number == 0 ||
			rec.Detail.Reasons[0].Rule == "" || rec.Detail.Body["tokenSymbol"] != "BCFD" || rec.Detail.Message == "" {
			t.Fatalf("refusal record: %+v", rec)
		}

		// An operator's refused approval (the investor's seller does not handle
		// the issuance) is filed under the issuance's lead seller, naming it;
		// the other seller, whose investor it was, sees its own records only.
		other := n.must(201, "POST", "/v1/sellers", f.op, sellerBody("1180301018771")).str("id")
		ok2 := n.must(201, "POST", "/v1/sellers/"+other+"/keys", f.op, map[string]any{}).str("key")
		stranger := n.must(201, "POST", "/v1/investors", ok2, investorBody("S", wallet(9), nil)).str("id")
		if r := n.do("PUT", "/v1/issuances/"+f.issuance+"/whitelist/"+stranger, f.op, nil); r.status != 409 || r.errCode() != "refused" {
			t.Fatalf("approving another seller's investor: %d %s", r.status, r.raw)
		}
		all := refusals(t, n, f.op)
		if len(all) != 2 {
			t.Fatalf("%d refusal records, want 2: %+v", len(all), all)
		}
		rec = all[1]
		if rec.ActorRole != "operator" || rec.SellerID == nil || fmt.Sprint(*rec.SellerID) != f.sellerID || rec.EntityID != f.issuance ||
			rec.Detail.Request != "PUT /v1/issuances/:id/whitelist/:investorId" || len(rec.Detail.Reasons) != 1 ||
			rec.Detail.Reasons[0].Code != "SELLER_NOT_AUTHORISED_FOR_ISSUANCE" {
			t.Fatalf("operator's refusal record: %+v", rec)
		}
		if got := refusals(t, n, f.sk); len(got) != 2 {
			t.Fatalf("the lead seller sees %d refusals, want 2", len(got))
		}
		if got := refusals(t, n, ok2); len(got) != 0 {
			t.Fatalf("another seller sees %d refusals", len(got))
		}
	})
}

// TestTokenRefusalAudited: a token operation the eligibility engine refuses is
// on record with the operation asked for and its reason codes.
func TestTokenRefusalAudited(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			r := startTokenRig(t, engine)
			op := r.operatorKey()
			sid := r.must(201, "POST", "/v1/sellers", op, sellerBody("7000012050002")).str("id")
			sk := r.must(201, "POST", "/v1/sellers/"+sid+"/keys", op, map[string]any{}).str("key")
			id := r.must(201, "POST", "/v1/issuances", sk, map[string]any{"issuerName": "I", "tokenName": "T", "tokenSymbol": "T",
				"decimals": 0, "legalForm": "SHARE", "fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC"}).str("id")
			r.must(200, "POST", "/v1/issuances/"+id+"/status", sk, map[string]any{"status": "REGISTERED"})
			if d := r.await(sk, r.do("POST", "/v1/issuances/"+id+"/deploy", sk, nil)); d.str("status") != "SUCCEEDED" {
				t.Fatalf("deploy: %s", d.raw)
			}
			r.must(200, "POST", "/v1/issuances/"+id+"/status", sk, map[string]any{"status": "OFFERING"})
			r.refused(op, "/v1/issuances/"+id+"/mint", map[string]any{"to": wallet(999), "amount": "100"}, "WALLET_UNKNOWN")
			rec := onlyRefusal(t, r.node, sk)
			if rec.ActorRole != "operator" || rec.SellerID == nil || fmt.Sprint(*rec.SellerID) != sid || rec.Entity != "issuance" ||
				rec.EntityID != id || rec.Detail.Request != "POST /v1/issuances/:id/mint" || len(rec.Detail.Reasons) == 0 ||
				rec.Detail.Reasons[0].Code != "WALLET_UNKNOWN" || rec.Detail.Body["to"] != wallet(999) || rec.Detail.Body["amount"] != "100" {
				t.Fatalf("token refusal record: %+v", rec)
			}
		})
	}
}

type refusalRecord struct {
	Actor     string `json:"actor"`
	ActorRole string `json:"actorRole"`
	SellerID  *int64 `json:"sellerId"`
	Action    string `json:"action"`
	Entity    string `json:"entity"`
	EntityID  string `json:"entityId"`
	Detail    struct {
		Request string `json:"request"`
		Message string `json:"message"`
		Reasons []struct {
			Code   string `json:"code"`
			Number int    `json:"number"`
			Rule   string `json:"rule"`
		} `json:"reasons"`
		Body map[string]any `json:"body"`
	} `json:"detail"`
}

func refusals(t *testing.T, n *node, key string) []refusalRecord {
	t.Helper()
	var body struct{ Items []refusalRecord }
	if err := json.Unmarshal(n.must(200, "GET", "/v1/audit?action=request.refused&limit=500", key, nil).raw, &body); err != nil {
		t.Fatal(err)
	}
	return body.Items
}

func onlyRefusal(t *testing.T, n *node, key string) refusalRecord {
	t.Helper()
	got := refusals(t, n, key)
	if len(got) != 1 {
		t.Fatalf("%d refusal records, want 1: %+v", len(got), got)
	}
	return got[0]
}

// TestAuditDetailCamelCase: audit details use the API's camelCase names, for
// every kind of change the API makes.
func TestAuditDetailCamelCase(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		f := n.edgeFixture(nil)
		inv := "/v1/investors/" + f.investor
		n.must(200, "POST", "/v1/sellers/"+f.sellerID+"/suspend", f.op, map[string]any{"reason": "audit"})
		n.must(200, "POST", "/v1/sellers/"+f.sellerID+"/reinstate", f.op, map[string]any{})
		reader := n.must(201, "POST", "/v1/keys", f.op, map[string]any{"role": "reader"}).str("id")
		n.must(204, "DELETE", "/v1/keys/"+reader, f.op, nil)
		n.must(201, "POST", inv+"/wallets", f.sk, map[string]any{"address": wallet(2), "label": "cold"})
		n.must(204, "DELETE", inv+"/wallets/"+wallet(2), f.sk, nil)
		n.must(200, "PUT", inv+"/kyc", f.sk, map[string]any{"status": "VERIFIED", "method": "eKYC", "verifiedAt": "2026-01-10T00:00:00Z", "reviewDue": "2027-01-10T00:00:00Z"})
		n.must(200, "PUT", inv+"/screening", f.sk, map[string]any{"sanctions": "CLEAR", "antisocial": "CLEAR", "checkedAt": "2026-01-10T00:00:00Z"})
		n.must(200, "PUT", inv+"/categories", f.sk, map[string]any{"categories": []any{map[string]any{"category": "QII", "validFrom": "2026-01-01T00:00:00Z", "validTo": "2027-01-01T00:00:00Z"}}})
		n.must(200, "POST", inv+"/freeze", f.sk, map[string]any{"reason": "x"})
		n.must(200, "DELETE", "/v1/issuances/"+f.issuance+"/whitelist/"+f.investor, f.sk, nil)
		n.do("POST", "/v1/issuances", f.sk, map[string]any{"issuerName": "X", "tokenName": "X", "tokenSymbol": "X", "legalForm": "FUND_INTEREST",
			"fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC", "product": map[string]any{"class": "CFD", "wrapper": "DIRECT", "underlying": "FX", "leverage": "26"}})

		var body struct {
			Items []struct {
				Action string          `json:"action"`
				Detail json.RawMessage `json:"detail"`
			} `json:"items"`
		}
		if err := json.Unmarshal(n.must(200, "GET", "/v1/audit?limit=500", f.op, nil).raw, &body); err != nil {
			t.Fatal(err)
		}
		actions := map[string]bool{}
		for _, it := range body.Items {
			actions[it.Action] = true
			var v any
			if err := json.Unmarshal(it.Detail, &v); err != nil {
				t.Fatalf("%s detail: %v", it.Action, err)
			}
			if bad := nonCamelKeys(v); len(bad) > 0 {
				t.Errorf("%s detail has non-camelCase names %v: %s", it.Action, bad, it.Detail)
			}
			if it.Action == "seller.create" && !strings.Contains(string(it.Detail), `"legalName":`) {
				t.Errorf("seller.create detail lacks legalName: %s", it.Detail)
			}
		}
		for _, a := range []string{"seller.create", "seller.status", "key.create", "key.revoke", "issuance.create", "issuance.status",
			"investor.create", "wallet.add", "wallet.remove", "investor.kyc", "investor.screening", "investor.categories",
			"investor.freeze", "whitelist.approve", "whitelist.revoke", "request.refused"} {
			if !actions[a] {
				t.Errorf("no %s record to check (have %v)", a, actions)
			}
		}
	})
}

// nonCamelKeys lists the object keys in v that do not start with a lower-case letter.
func nonCamelKeys(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if r := []rune(k); len(r) == 0 || !unicode.IsLower(r[0]) {
				out = append(out, k)
			}
			out = append(out, nonCamelKeys(e)...)
		}
	case []any:
		for _, e := range x {
			out = append(out, nonCamelKeys(e)...)
		}
	}
	return out
}
