package registry_test

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/eligibility"
)

func TestParseBulkCSV(t *testing.T) {
	in := "\ufeffcustomerRef, personType,residenceCountry,wallets,categories,approveIssuances,approvalValidUntil\n" +
		"C-1,INDIVIDUAL,JP,0xABC0000000000000000000000000000000000001;0xabc0000000000000000000000000000000000002,QII@2026-01-01T00:00:00Z/2027-01-01T00:00:00+09:00,3;4,2027-06-30T00:00:00Z\n" +
		"\n" +
		"C-2,INDIVIDUAL,JP,,,,\n" +
		"C-3,INDIVIDUAL,JP,,QII,,\n" +
		"C-4,INDIVIDUAL,JP,,,x,\n" +
		"C-5,INDIVIDUAL\n"
	rows, err := registry.ParseBulkCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Fatalf("%d rows, want 5 (the blank line skipped)", len(rows))
	}
	r := rows[0]
	if r.Line != 2 || r.Err != nil || len(r.Investor.Wallets) != 2 || len(r.Approvals) != 2 || r.Approvals[1].IssuanceID != 4 ||
		!r.Approvals[0].ValidUntil.Equal(time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC)) ||
		!r.Investor.Categories[0].ValidTo.Equal(time.Date(2026, 12, 31, 15, 0, 0, 0, time.UTC)) {
		t.Fatalf("row 1: %+v", r)
	}
	if err := registry.PrepareBulkRow(&r); err != nil || r.Investor.Wallets[0].Address != "0xabc0000000000000000000000000000000000001" ||
		r.Investor.KYCStatus != registry.KYCNone {
		t.Fatalf("prepared row 1: %+v %v", r.Investor, err)
	}
	if rows[1].Line != 4 || rows[1].Err != nil {
		t.Fatalf("row after a blank line: %+v", rows[1])
	}
	for i, want := range map[int]string{2: "CATEGORY@validFrom/validTo", 3: "not an issuance id", 4: "fields"} {
		if rows[i].Err == nil || !strings.Contains(rows[i].Err.Error(), want) {
			t.Errorf("row %d: err = %v, want %q", i, rows[i].Err, want)
		}
	}
	for _, bad := range []string{"", "customerRef,name\n", "customerRef,personType\n", "customerRef,personType,residenceCountry,wallets,wallets\n",
		"customerRef,personType,residenceCountry\n\"unterminated,INDIVIDUAL,JP\n"} {
		if _, err := registry.ParseBulkCSV(strings.NewReader(bad)); registry.ErrorCode(err) != registry.EINVALID {
			t.Errorf("%q: err = %v, want invalid", bad, err)
		}
	}
}

// TestBulkRowPersonalData: the personal data columns (CSV) and fields (JSON)
// give a row its PersonalData, nil when a row fills none of them; prepared,
// it is normalised and checked for the row's person type, each failure that
// row's invalid naming the field.
func TestBulkRowPersonalData(t *testing.T) {
	in := "customerRef,personType,residenceCountry,legalName,kanaName,representativeName,postalCode,address,taxCategory,email,phone,externalRef\n" +
		"P-1,INDIVIDUAL,JP,\u3000山田 太郎,ヤマダ タロウ,,1000005,東京都千代田区丸の内一丁目1番1号,INDIVIDUAL,taro@example.jp,03-1234-5678,ACC-1\n" +
		"P-2,INDIVIDUAL,JP,,,,,,,,,\n" +
		"P-3,INDIVIDUAL,JP,山田 太郎,ヤマダ タロウ,,100-00,東京都,INDIVIDUAL,,,\n" +
		"P-4,INDIVIDUAL,JP,山田 太郎,ヤマダ タロウ,,,東京都,FOREIGN,,,\n" +
		"P-5,CORPORATION,JP,株式会社テスト,カブシキガイシャテスト,,,東京都港区,CORPORATION,,,\n" +
		"P-6,INDIVIDUAL,JP,山田 太郎,やまだ たろう,,,東京都,INDIVIDUAL,,,\n" +
		"P-7,INDIVIDUAL,JP,,,,,,,,,ACC-7\n"
	rows, err := registry.ParseBulkCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := registry.PersonalData{LegalName: "山田 太郎", KanaName: "ヤマダ タロウ", PostalCode: "100-0005", Address: "東京都千代田区丸の内一丁目1番1号",
		TaxCategory: registry.TaxIndividual, Email: "taro@example.jp", Phone: "03-1234-5678", ExternalRef: "ACC-1"}
	if err := registry.PrepareBulkRow(&rows[0]); err != nil || rows[0].Personal == nil || *rows[0].Personal != want {
		t.Fatalf("row 1: %v, %v", rows[0].Personal, err)
	}
	if err := registry.PrepareBulkRow(&rows[1]); err != nil || rows[1].Personal != nil {
		t.Fatalf("row 2 (no personal data): %v, %v", rows[1].Personal, err)
	}
	for i, field := range map[int]string{2: "postalCode", 3: "taxCategory", 4: "representativeName", 5: "kanaName", 6: "legalName"} {
		if err := registry.PrepareBulkRow(&rows[i]); registry.ErrorCode(err) != registry.EINVALID || !strings.Contains(err.Error(), field) {
			t.Errorf("row %d: err = %v, want invalid naming %s", i+1, err, field)
		}
	}

	js := `[{"customerRef":"J-1","personType":"INDIVIDUAL","residenceCountry":"JP","legalName":"山田 太郎","kanaName":"ヤマダ タロウ",
		"postalCode":"100-0005","address":"東京都千代田区丸の内一丁目1番1号","taxCategory":"INDIVIDUAL","email":"taro@example.jp",
		"phone":"03-1234-5678","externalRef":"ACC-1"},{"customerRef":"J-2","personType":"INDIVIDUAL","residenceCountry":"JP"}]`
	jrows, err := registry.ParseBulkJSON([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	if err := registry.PrepareBulkRow(&jrows[0]); err != nil || jrows[0].Personal == nil || *jrows[0].Personal != want {
		t.Fatalf("JSON row 1: %v, %v", jrows[0].Personal, err)
	}
	if jrows[1].Personal != nil {
		t.Fatalf("JSON row 2 (no personal data): %v", jrows[1].Personal)
	}
}

func TestParseAllocationCSV(t *testing.T) {
	rows, err := registry.ParseAllocationCSV(strings.NewReader("investorId,wallet,amount\n7,,100\n,0x00000000000000000000000000000000000000AA,5\n" +
		"7,0x00000000000000000000000000000000000000aa,1\n,,1\nx,,1\n7,,0\n7,,-1\n,0x0000000000000000000000000000000000000000,1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].InvestorID != 7 || rows[0].Amount.Int64() != 100 || rows[1].Wallet != "0x00000000000000000000000000000000000000aa" || rows[1].Line != 3 {
		t.Fatalf("rows: %+v %+v", rows[0], rows[1])
	}
	for i := 2; i < len(rows); i++ {
		if rows[i].Err == nil {
			t.Errorf("row %d (line %d) should be invalid: %+v", i, rows[i].Line, rows[i])
		}
	}
	for _, bad := range []string{"", "amount\n1\n", "wallet,amount,extra\n", "wallet,amount\n"} {
		if _, err := registry.ParseAllocationCSV(strings.NewReader(bad)); registry.ErrorCode(err) != registry.EINVALID {
			t.Errorf("%q: err = %v, want invalid", bad, err)
		}
	}
}

// TestPlanAllocation: rows are judged with the rows before them minted, so a
// supply cap and a holder cap bind the allocation as a whole; the facts given
// are not changed.
func TestPlanAllocation(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	lead := &registry.Seller{ID: 1, Status: registry.SellerActive, Licence: registry.LicenceType1}
	iss := &registry.Issuance{ID: 9, LeadSellerID: 1, FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic,
		Status: registry.IssuanceOffering, SupplyCap: big.NewInt(100), MaxHolders: 2}
	parties := map[string]*registry.PartyFacts{}
	addr := func(i int) string { return "0x" + strings.Repeat("0", 39) + string(rune('1'+i)) }
	for i := 0; i < 3; i++ {
		inv := &registry.Investor{ID: int64(10 + i), SellerID: 1, ResidenceCountry: "JP", KYCStatus: registry.KYCVerified,
			Sanctions: registry.ScreeningClear, Antisocial: registry.ScreeningClear,
			Wallets: []registry.Wallet{{Address: addr(i), InvestorID: int64(10 + i)}}}
		parties[addr(i)] = &registry.PartyFacts{Wallet: &inv.Wallets[0], Investor: inv, Seller: lead,
			Entry: &registry.WhitelistEntry{IssuanceID: 9, InvestorID: inv.ID, Status: registry.WhitelistApproved}}
	}
	holdings := &registry.MirrorHoldings{Wallets: map[string]*big.Int{addr(0): big.NewInt(10)}, Investors: map[int64]*big.Int{10: big.NewInt(10)}, Holders: 1}
	f := &registry.Facts{IssuanceFacts: &registry.IssuanceFacts{Issuance: iss, Lead: lead, Holdings: holdings}, Parties: parties}
	op := &registry.Principal{Role: registry.RoleOperator}
	row := func(line, i int, amount int64) registry.AllocationRow {
		return registry.AllocationRow{Line: line, Wallet: addr(i), Amount: big.NewInt(amount)}
	}
	res, ok := registry.PlanAllocation(eligibility.Rules{}, op, f, []registry.AllocationRow{
		row(2, 0, 40),  // existing holder: supply 10 → 50
		row(3, 1, 40),  // second holder: supply 90
		row(4, 0, 10),  // supply 100, the cap exactly
		row(5, 0, 1),   // 101: over the cap
		row(6, 2, 0+1), // a third holder: over the holder cap (and the supply cap)
	}, t0)
	want := []struct {
		outcome registry.AllocationOutcome
		code    string
	}{{registry.AllocationAccepted, ""}, {registry.AllocationAccepted, ""}, {registry.AllocationAccepted, ""},
		{registry.AllocationRefused, "SUPPLY_CAP_EXCEEDED"}, {registry.AllocationRefused, "SUPPLY_CAP_EXCEEDED"}}
	if ok {
		t.Fatal("plan with refused rows reported ok")
	}
	for i, w := range want {
		if res[i].Outcome != w.outcome || res[i].Code != w.code || res[i].Line != i+2 {
			t.Errorf("row %d = %+v, want %s %s", i, res[i], w.outcome, w.code)
		}
	}
	if len(res[4].Reasons) != 2 || res[4].Reasons[1].Code != registry.CodeMaxHoldersReached {
		t.Errorf("row 6 reasons = %+v, want the supply cap and the holder cap", res[4].Reasons)
	}
	if holdings.Wallets[addr(0)].Int64() != 10 || holdings.Holders != 1 || len(holdings.Wallets) != 1 {
		t.Fatalf("the facts were changed: %+v", holdings)
	}
}
