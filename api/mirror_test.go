package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/sealing"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// TestMirrorReadsOverHTTP serves the mirror routes over a store holding a
// mirrored history and checks paging, filters, holders and the register.
func TestMirrorReadsOverHTTP(t *testing.T) {
	const token = "0x00000000000000000000000000000000000000aa"
	const alice, bob = "0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222"
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			st := storetest.Open(t, engine, nil)
			op := registry.WithPrincipal(context.Background(), &registry.Principal{KeyID: "t", Role: registry.RoleOperator})
			sel := &registry.Seller{LegalName: "Firm", CorporateNumber: "7000012050002", FSARegistration: "関東財務局長(金商)第1号",
				Licence: registry.LicenceType1, Membership: registry.MembershipFull}
			if err := st.CreateSeller(op, sel); err != nil {
				t.Fatal(err)
			}
			key, err := st.CreateKey(op, registry.RoleSeller, &sel.ID, "seller")
			if err != nil {
				t.Fatal(err)
			}
			sc := registry.WithPrincipal(context.Background(), &registry.Principal{KeyID: "s", Role: registry.RoleSeller, SellerID: sel.ID})
			newIssuance := func(sym string) *registry.Issuance {
				iss := &registry.Issuance{IssuerName: "I", TokenName: sym, TokenSymbol: sym, LegalForm: registry.FormBond,
					FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic}
				if err := st.CreateIssuance(sc, iss); err != nil {
					t.Fatal(err)
				}
				return iss
			}
			iss, bare := newIssuance("A"), newIssuance("B")
			if _, err := st.TransitionIssuance(sc, iss.ID, registry.IssuanceRegistered, ""); err != nil {
				t.Fatal(err) // contracts attach to a registered issuance
			}
			if _, err := st.RecordDeployment(sc, iss.ID, registry.Deployment{ChainID: 1337, TokenAddress: token,
				RegistryAddress: "0x00000000000000000000000000000000000000bb", Block: 1}); err != nil {
				t.Fatal(err)
			}
			inv := &registry.Investor{CustomerRef: "A", PersonType: registry.PersonCorporation, ResidenceCountry: "JP",
				Wallets: []registry.Wallet{{Address: alice}}}
			if err := st.CreateInvestor(sc, inv); err != nil {
				t.Fatal(err)
			}
			h := func(n uint64) string { return "0x" + new(big.Int).SetUint64(n).Text(16) }
			b := registry.MirrorBatch{ChainID: 1337, Token: token, Head: registry.ChainBlock{Number: 10, Hash: h(10)}}
			for i := uint64(1); i <= 5; i++ {
				from := registry.ZeroAddress
				if i > 1 {
					from = alice
				}
				to := alice
				if i > 1 {
					to = bob
				}
				b.Blocks = append(b.Blocks, registry.ChainBlock{Number: i, Hash: h(i)})
				b.Transfers = append(b.Transfers, registry.Transfer{BlockNumber: i, BlockHash: h(i), TxHash: h(100 + i),
					From: from, To: to, Amount: big.NewInt(map[bool]int64{true: 1000, false: 10}[i == 1])})
			}
			b.Blocks = append(b.Blocks, b.Head)
			if err := st.Apply(context.Background(), b); err != nil {
				t.Fatal(err)
			}

			keys, err := sealing.Parse("k1:" + base64.StdEncoding.EncodeToString(make([]byte, sealing.KeySize)))
			if err != nil {
				t.Fatal(err)
			}
			s := New(st, Options{Mirror: st, Records: store.NewRecords(st.DB, keys)})
			get := func(path string, want int) map[string]any {
				t.Helper()
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("Authorization", "Bearer "+key.Secret)
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				if rec.Code != want {
					t.Fatalf("GET %s: %d %s, want %d", path, rec.Code, rec.Body, want)
				}
				var out map[string]any
				_ = json.Unmarshal(rec.Body.Bytes(), &out)
				return out
			}
			base := "/v1/issuances/" + itoa(iss.ID)

			var seen int
			path := base + "/transfers?limit=2"
			for {
				page := get(path, 200)
				if page["asOfBlock"].(float64) != 10 {
					t.Fatalf("transfers as of %v", page["asOfBlock"])
				}
				seen += len(page["items"].([]any))
				next, ok := page["next"].(string)
				if !ok {
					break
				}
				path = base + "/transfers?limit=2&after=" + next
			}
			if seen != 5 {
				t.Fatalf("paged %d transfers, want 5", seen)
			}
			cases := []struct {
				query string
				want  int
			}{
				{"?wallet=" + bob, 4},
				{"?investorId=" + itoa(inv.ID), 5},
				{"?fromBlock=2&toBlock=3", 2},
			}
			for _, c := range cases {
				if n := len(get(base+"/transfers"+c.query, 200)["items"].([]any)); n != c.want {
					t.Fatalf("transfers%s: %d, want %d", c.query, n, c.want)
				}
			}
			holders := get(base+"/holders", 200)
			if holders["holderCount"].(float64) != 2 || holders["totalSupply"] != "1000" || holders["asOfBlock"].(float64) != 10 {
				t.Fatalf("holders: %v", holders)
			}
			reg := get(base+"/holders/register?block=2", 200)
			if reg["asOfBlock"].(float64) != 2 || reg["totals"].(map[string]any)["wallets"].(float64) != 2 {
				t.Fatalf("register at 2: %v", reg)
			}
			get(base+"/holders/register?block=11", 409)               // not mirrored yet
			get(base+"/holders/register", 400)                        // a record date or block is required
			get(base+"/transfers?after=x", 400)                       // a malformed cursor
			get("/v1/issuances/"+itoa(bare.ID)+"/holders", 409)       // no token yet
			get("/v1/issuances/"+itoa(bare.ID+100)+"/transfers", 404) // no such issuance
		})
	}
}

func itoa(n int64) string { return new(big.Int).SetInt64(n).String() }
