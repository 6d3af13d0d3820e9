package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/store/storetest"
)

// TestDistributionOverHTTP: a dividend on the register at a record date, with
// each investor's tax category as recorded then, as JSON and as payment
// instructions in CSV (UTF-8 with BOM), checked by hand.
func TestDistributionOverHTTP(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			n, _ := startRecordsNode(t, engine)
			f := n.edgeFixture(nil) // investor A with wallet(1) on an issuance in OFFERING (decimals 18)
			corp := n.must(201, "POST", "/v1/investors", f.sk, investorBody("B", wallet(2), map[string]any{"personType": "CORPORATION", "dateOfBirth": nil})).str("id")
			n.must(200, "PUT", "/v1/investors/"+f.investor+"/personal-data", f.sk, map[string]any{"legalName": "山田 太郎", "kanaName": "ヤマダ タロウ",
				"postalCode": "100-0005", "address": "東京都千代田区", "taxCategory": "INDIVIDUAL", "effectiveFrom": "2026-01-01"})
			n.must(200, "PUT", "/v1/investors/"+corp+"/personal-data", f.sk, map[string]any{"legalName": "株式会社東京", "kanaName": "カブシキガイシャトウキョウ",
				"representativeName": "代表 一郎", "address": "東京都港区", "taxCategory": "CORPORATION", "effectiveFrom": "2026-01-01"})

			// Mirrored: 333 tokens to A and 1,000 to the corporation on March 30th
			// (JST), 7 to a wallet no investor owns; a transfer after the record date.
			const token = "0x00000000000000000000000000000000000000aa"
			iss := mustID(t, f.issuance)
			sc := registry.WithPrincipal(context.Background(), &registry.Principal{KeyID: "s", Role: registry.RoleSeller, SellerID: mustID(t, f.sellerID)})
			if _, err := n.st.RecordDeployment(sc, iss, registry.Deployment{ChainID: 1337, TokenAddress: token,
				RegistryAddress: "0x00000000000000000000000000000000000000bb", Block: 1}); err != nil {
				t.Fatal(err)
			}
			unit := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil) // the issuance has 18 decimals
			tokens := func(v int64) *big.Int { return new(big.Int).Mul(big.NewInt(v), unit) }
			stranger := "0x9999999999999999999999999999999999999999"
			hash := func(b uint64) string { return fmt.Sprintf("0x%064x", b) }
			var parent *registry.ChainBlock
			for _, b := range []struct {
				n  uint64
				at time.Time
				mv []registry.Transfer
			}{
				{5, time.Date(2026, 3, 30, 10, 0, 0, 0, registry.RecordDateZone), []registry.Transfer{
					{From: registry.ZeroAddress, To: wallet(1), Amount: tokens(333)}, {From: registry.ZeroAddress, To: wallet(2), Amount: tokens(1000)},
					{From: registry.ZeroAddress, To: stranger, Amount: tokens(7)}}},
				{8, time.Date(2026, 4, 1, 9, 0, 0, 0, registry.RecordDateZone), []registry.Transfer{{From: wallet(2), To: wallet(1), Amount: tokens(500)}}},
			} {
				batch := registry.MirrorBatch{ChainID: 1337, Token: token, Parent: parent, Head: registry.ChainBlock{Number: b.n, Hash: hash(b.n), Time: uint64(b.at.Unix())}}
				for i, m := range b.mv {
					m.ChainID, m.Token, m.BlockNumber, m.BlockHash, m.TxHash, m.LogIndex = 1337, token, b.n, hash(b.n), hash(100*b.n+uint64(i)), uint(i)
					batch.Transfers = append(batch.Transfers, m)
				}
				batch.Blocks = []registry.ChainBlock{batch.Head}
				if err := n.st.Apply(context.Background(), batch); err != nil {
					t.Fatal(err)
				}
				parent = &batch.Head
			}

			// ¥12.5 per token: A gross ⌊4,162.5⌋ = 4,162, income tax ⌊849.88⌋ = 849,
			// net 3,313; the corporation 12,500, ⌊2,552.5⌋ = 2,552, net 9,948; the
			// stranger's 87 held back; entitlement ⌊1,340 × 12.5⌋ = 16,750, residue 1.
			q := "/v1/issuances/" + f.issuance + "/distributions?kind=DIVIDEND&amountPerToken=12.5&recordDate=2026-03-31&paymentDate=2026-06-25"
			d := n.must(200, "GET", q, f.sk, nil)
			lines, _ := d.body["lines"].([]any)
			if d.str("asOfBlock") != "5" || d.str("rateVersion") != registry.WithholdingVersion || len(lines) != 3 {
				t.Fatalf("distribution: %s", d.raw)
			}
			l0, l1 := lines[0].(map[string]any), lines[1].(map[string]any)
			if l0["gross"] != float64(4162) || l0["incomeTax"] != float64(849) || l0["net"] != float64(3313) || l0["taxCategory"] != "INDIVIDUAL" ||
				l1["gross"] != float64(12500) || l1["withholding"] != float64(2552) || l1["net"] != float64(9948) {
				t.Fatalf("lines: %v", lines)
			}
			if d.str("totals", "gross") != "16662" || d.str("totals", "withholding") != "3401" || d.str("totals", "net") != "13261" ||
				d.str("totals", "unpayable") != "87" || d.str("totals", "entitlement") != "16750" || d.str("totals", "residue") != "1" {
				t.Fatalf("totals: %v", d.body["totals"])
			}

			resp, raw := n.raw("GET", q+"&format=csv", f.sk)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" || !bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}) {
				t.Fatalf("CSV %d %v: % x", resp.StatusCode, resp.Header, raw[:8])
			}
			recs, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
			if err != nil || len(recs) != 5 || recs[0][0] != "投資家ID" || recs[1][1] != "山田 太郎" || recs[1][8] != "3313" || recs[4][0] != "合計" {
				t.Fatalf("CSV records %v %v", recs, err)
			}

			// At a block instead of a record date: block 8 has the later transfer.
			atBlock := n.must(200, "GET", "/v1/issuances/"+f.issuance+"/distributions?kind=DIVIDEND&amountPerToken=12.5&block=8&paymentDate=2026-06-25", f.sk, nil)
			if atBlock.str("asOfBlock") != "8" || atBlock.str("recordDate") != "" || atBlock.str("totals", "gross") != "16662" ||
				atBlock.body["lines"].([]any)[0].(map[string]any)["balance"] != tokens(833).String() {
				t.Fatalf("at block 8: %s", atBlock.raw)
			}

			// Another seller cannot; bad parameters are refused.
			otherID := n.must(201, "POST", "/v1/sellers", f.op, sellerBody("5010401089998")).str("id")
			other := n.must(201, "POST", "/v1/sellers/"+otherID+"/keys", f.op, map[string]any{}).str("key")
			if r := n.do("GET", q, other, nil); r.status != 404 {
				t.Fatalf("another seller: %d %s", r.status, r.raw)
			}
			base := "/v1/issuances/" + f.issuance + "/distributions?"
			for _, bad := range []string{
				"kind=BONUS&amountPerToken=1&recordDate=2026-03-31&paymentDate=2026-06-25",
				"kind=DIVIDEND&amountPerToken=1.2.3&recordDate=2026-03-31&paymentDate=2026-06-25",
				"kind=DIVIDEND&amountPerToken=1&paymentDate=2026-06-25",
				"kind=DIVIDEND&amountPerToken=1&recordDate=2026-3-31&paymentDate=2026-06-25",
				"kind=DIVIDEND&amountPerToken=1&recordDate=2026-03-31&paymentDate=2026-03-30",
				"kind=DIVIDEND&amountPerToken=1&recordDate=2026-03-31&paymentDate=2026-06-25&format=xml",
				"kind=DIVIDEND&amountPerToken=1&recordDate=2026-03-31&block=5&paymentDate=2026-06-25",
				"kind=DIVIDEND&amountPerToken=1&block=x&paymentDate=2026-06-25",
			} {
				if r := n.do("GET", base+bad, f.sk, nil); r.status != 400 || r.errCode() != "invalid" {
					t.Errorf("%s: %d %s", bad, r.status, r.raw)
				}
			}
			if rates := n.must(200, "GET", "/v1/withholding-rates", f.sk, nil); !strings.Contains(string(rates.raw), "dividend_individual") {
				t.Fatalf("rates: %s", rates.raw)
			}
		})
	}
}
