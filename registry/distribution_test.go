package registry

import (
	"bytes"
	"encoding/csv"
	"math/big"
	"strings"
	"testing"
	"time"
)

func id(v int64) *int64 { return &v }

func holders() []DistributionHolder {
	return []DistributionHolder{
		{InvestorID: id(1), Name: "山田太郎", TaxCategory: TaxIndividual, Wallets: []string{"0xa1"}, Balance: big.NewInt(333)},
		{InvestorID: id(2), Name: "株式会社東京", TaxCategory: TaxCorporation, Wallets: []string{"0xb2", "0xb3"}, Balance: big.NewInt(1000)},
		{InvestorID: id(3), Name: "地方公共団体", TaxCategory: TaxExempt, Wallets: []string{"0xc3"}, Balance: big.NewInt(7)},
		{InvestorID: id(4), Name: "=SUM(A1)", TaxCategory: TaxNonResident, Wallets: []string{"0xd4"}, Balance: big.NewInt(10)},
		{InvestorID: id(5), Name: "", TaxCategory: "", Wallets: []string{"0xe5"}, Balance: big.NewInt(3)},
		{Wallets: []string{"0xf6"}, Balance: big.NewInt(1)},
		{InvestorID: id(7), Name: "残高なし", TaxCategory: TaxIndividual, Wallets: []string{"0x77"}, Balance: big.NewInt(0)},
	}
}

var (
	recordDate  = time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	paymentDate = time.Date(2026, 6, 25, 0, 0, 0, 0, RecordDateZone)
)

// TestDistributionWorkedExample is the worked example, checked by hand.
//
// ¥12.5 per token, token decimals 0, dividend paid 2026-06-25:
//
//	investor 1, INDIVIDUAL, 333 tokens:   gross ⌊333 × 12.5⌋ = ⌊4,162.5⌋ = 4,162
//	    income tax 20.42%: ⌊4,162 × 0.2042⌋ = ⌊849.8804⌋ = 849;   net 3,313
//	investor 2, CORPORATION, 1,000:       gross 12,500; ⌊2,552.5⌋ = 2,552;   net 9,948
//	investor 3, TAX_EXEMPT, 7:            gross ⌊87.5⌋ = 87; 0;               net 87
//	investor 4, NON_RESIDENT, 10:         gross 125; ⌊25.525⌋ = 25;           net 100
//	investor 5, no tax category, 3:       gross ⌊37.5⌋ = 37, held back (unpayable)
//	wallet 0xf6, no investor, 1:          gross ⌊12.5⌋ = 12, held back (unpayable)
//	investor 7, balance 0:                no line
//
// Σbalance 1,354 → entitlement ⌊16,925⌋ = 16,925; paid gross 16,874 =
// withholding 3,426 + net 13,448; unpayable 49; residue 16,925 − 16,874 − 49
// = 2 (the half yen floored on lines 1, 3, 5 and 6 is 2 yen in all).
func TestDistributionWorkedExample(t *testing.T) {
	d, err := ComputeDistribution(DistributionRequest{Kind: DistributionDividend, AmountPerToken: "12.5", RecordDate: recordDate,
		PaymentDate: paymentDate}, holders())
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		gross, income, local, net int64
		rate, unpayable           string
	}
	wants := []want{
		{4162, 849, 0, 3313, "dividend_individual", ""},
		{12500, 2552, 0, 9948, "dividend_corporation", ""},
		{87, 0, 0, 87, "dividend_exempt", ""},
		{125, 25, 0, 100, "dividend_non_resident", ""},
		{37, 0, 0, 0, "", "no tax category is recorded for the investor at the record date"},
		{12, 0, 0, 0, "", "the wallet belongs to no investor"},
	}
	if len(d.Lines) != len(wants) {
		t.Fatalf("%d lines, want %d", len(d.Lines), len(wants))
	}
	for i, w := range wants {
		l := d.Lines[i]
		if l.Gross != w.gross || l.IncomeTax != w.income || l.LocalTax != w.local || l.Net != w.net || l.RateID != w.rate || l.Unpayable != w.unpayable {
			t.Errorf("line %d = %+v, want %+v", i+1, l, w)
		}
		if l.Withholding != l.IncomeTax+l.LocalTax || (l.Unpayable == "" && l.Gross != l.Withholding+l.Net) {
			t.Errorf("line %d does not add up: %+v", i+1, l)
		}
	}
	tot := d.Totals
	if tot.Balance != "1354" || tot.Entitlement != 16925 || tot.Gross != 16874 || tot.Withholding != 3426 || tot.IncomeTax != 3426 ||
		tot.Net != 13448 || tot.Unpayable != 49 || tot.Residue != 2 || tot.Payments != 4 {
		t.Fatalf("totals = %+v", tot)
	}
	if tot.Gross != tot.Withholding+tot.Net || tot.Entitlement != tot.Gross+tot.Unpayable+tot.Residue {
		t.Fatalf("totals do not reconcile: %+v", tot)
	}
}

// TestDistributionInterest: interest to an individual withholds income tax
// and local tax, each floored on its own.
//
//	gross ⌊333 × 12.5⌋ = 4,162; income tax ⌊4,162 × 0.15315⌋ = ⌊637.4103⌋ = 637;
//	local tax ⌊4,162 × 0.05⌋ = ⌊208.1⌋ = 208; net 4,162 − 845 = 3,317.
//	10,001 tokens: gross ⌊125,012.5⌋ = 125,012; ⌊19,145.5878⌋ = 19,145; ⌊6,250.6⌋ = 6,250.
//	1 token: gross 12; ⌊1.8378⌋ = 1; ⌊0.6⌋ = 0.
func TestDistributionInterest(t *testing.T) {
	for _, tc := range []struct {
		balance              int64
		gross, income, local int64
	}{
		{333, 4162, 637, 208},
		{10001, 125012, 19145, 6250},
		{1, 12, 1, 0},
	} {
		d, err := ComputeDistribution(DistributionRequest{Kind: DistributionInterest, AmountPerToken: "12.5", RecordDate: recordDate, PaymentDate: paymentDate},
			[]DistributionHolder{{InvestorID: id(1), TaxCategory: TaxIndividual, Balance: big.NewInt(tc.balance)}})
		if err != nil {
			t.Fatal(err)
		}
		l := d.Lines[0]
		if l.Gross != tc.gross || l.IncomeTax != tc.income || l.LocalTax != tc.local || l.Net != tc.gross-tc.income-tc.local || l.RateID != "interest_individual" {
			t.Errorf("balance %d: %+v, want gross %d income %d local %d", tc.balance, l, tc.gross, tc.income, tc.local)
		}
	}
}

func TestDistributionDecimalsAndRedemption(t *testing.T) {
	// 18 decimals: 2.5 tokens at ¥1,000.123456 per token = ⌊2,500.30864⌋ = 2,500.
	bal, _ := new(big.Int).SetString("2500000000000000000", 10)
	d, err := ComputeDistribution(DistributionRequest{Kind: DistributionRedemption, AmountPerToken: "1000.123456", RecordDate: recordDate,
		PaymentDate: paymentDate, Decimals: 18}, []DistributionHolder{{InvestorID: id(1), Balance: bal}})
	if err != nil {
		t.Fatal(err)
	}
	// A redemption withholds nothing and needs no tax category.
	if l := d.Lines[0]; l.Gross != 2500 || l.Withholding != 0 || l.Net != 2500 || l.Unpayable != "" || l.RateID != "redemption_principal" {
		t.Fatalf("redemption line %+v", l)
	}
}

func TestRateVersions(t *testing.T) {
	for _, tc := range []struct {
		day  string
		want string
		rate int64
	}{
		{"2012-12-31", "dividend_individual_20", 20000},
		{"2013-01-01", "dividend_individual", 20420},
		{"2026-06-25", "dividend_individual", 20420},
	} {
		at, _ := time.ParseInLocation(time.DateOnly, tc.day, RecordDateZone)
		r, ok := RateFor(DistributionDividend, TaxIndividual, at)
		if !ok || r.ID != tc.want || r.RatePer100k() != tc.rate || r.Source == "" {
			t.Errorf("%s: %+v %v, want %s", tc.day, r, ok, tc.want)
		}
	}
	if _, ok := RateFor(DistributionInterest, TaxIndividual, time.Date(2015, 1, 1, 0, 0, 0, 0, RecordDateZone)); ok {
		t.Error("an interest rate before the table's first entry")
	}
	for _, r := range WithholdingRates() {
		if _, err := time.Parse(time.DateOnly, r.EffectiveOn); err != nil || r.Source == "" || r.ID == "" {
			t.Errorf("rate %+v: needs an id, a source and an effective date", r)
		}
	}
}

func TestParseYenPerToken(t *testing.T) {
	for in, want := range map[string]string{"12.5": "12500000", "1": "1000000", "0.000001": "1", "1000.123456": "1000123456"} {
		v, err := ParseYenPerToken(in)
		if err != nil || v.String() != want {
			t.Errorf("%q = %v, %v; want %s", in, v, err, want)
		}
	}
	for _, bad := range []string{"", "0", "0.0", "-1", "1.", ".5", "1.0000001", "1e3", "１", "1,000"} {
		if _, err := ParseYenPerToken(bad); ErrorCode(err) != EINVALID {
			t.Errorf("%q: err = %v, want invalid", bad, err)
		}
	}
}

// TestDistributionCSV checks the bytes: BOM, header, a line, the totals.
func TestDistributionCSV(t *testing.T) {
	d, err := ComputeDistribution(DistributionRequest{Kind: DistributionDividend, AmountPerToken: "12.5", RecordDate: recordDate, PaymentDate: paymentDate}, holders())
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteDistributionCSV(&b, d); err != nil {
		t.Fatal(err)
	}
	raw := b.Bytes()
	if !bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatalf("no UTF-8 BOM: % x", raw[:3])
	}
	recs, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(DistributionCSVHeader, ",") || len(recs) != 1+6+1 {
		t.Fatalf("header/rows: %v (%d records)", recs[0], len(recs))
	}
	if got := strings.Join(recs[1], ","); got != "1,山田太郎,INDIVIDUAL,333,4162,849,0,849,3313,dividend_individual,0xa1," {
		t.Fatalf("line 1 = %s", got)
	}
	if got := recs[7]; got[0] != "合計" || got[4] != "16874" || got[7] != "3426" || got[8] != "13448" || got[11] != "支払対象外 49円, 端数 2円" {
		t.Fatalf("totals line = %v", got)
	}
	if recs[4][1] != "'=SUM(A1)" {
		t.Fatalf("a name starting with = must not be a formula: %q", recs[4][1])
	}
	if !bytes.Contains(raw, []byte("\r\n")) {
		t.Fatal("lines should end in CRLF for Excel")
	}
}
