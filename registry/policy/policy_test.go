package policy

import (
	"math/big"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
)

var now = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

func rat(t *testing.T, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("bad rat %q", s)
	}
	return r
}

func product(c registry.ProductClass, w registry.Wrapper, u registry.Underlying, lev string) registry.Product {
	return registry.Product{Class: c, Wrapper: w, Underlying: u, Leverage: lev}
}

func TestCheck(t *testing.T) {
	const (
		cfd  = registry.ProductCFD
		der  = registry.ProductDerivative
		none = registry.ProductNone
	)
	var (
		notPermissible = registry.CodeProductNotPermissible
		exceeds        = registry.CodeLeverageExceedsCap
	)
	cases := []struct {
		name string
		p    registry.Product
		at   time.Time
		want []registry.ReasonCode
	}{
		// FX: 4% margin, 25x.
		{"FX 25x allowed", product(der, registry.WrapperDirect, registry.UnderlyingFX, "25"), now, nil},
		{"FX 25.00x allowed", product(der, registry.WrapperDirect, registry.UnderlyingFX, "25.00"), now, nil},
		{"FX 25.01x refused", product(der, registry.WrapperDirect, registry.UnderlyingFX, "25.01"), now, []registry.ReasonCode{exceeds}},
		{"FX no leverage", product(der, registry.WrapperDirect, registry.UnderlyingFX, ""), now, nil},
		{"FX CFD 26x refused", product(cfd, registry.WrapperDirect, registry.UnderlyingFX, "26"), now, []registry.ReasonCode{exceeds}},
		// The 25x entry is not yet effective on 31 Jul 2011 (JST): the 50x transitional cap applies.
		{"FX 30x under the transitional cap", product(der, registry.WrapperDirect, registry.UnderlyingFX, "30"),
			time.Date(2011, 7, 31, 23, 59, 59, 0, jst), nil},
		{"FX 30x once 25x is effective", product(der, registry.WrapperDirect, registry.UnderlyingFX, "30"),
			time.Date(2011, 8, 1, 0, 0, 0, 0, jst), []registry.ReasonCode{exceeds}},
		{"FX 51x in the transitional year", product(der, registry.WrapperDirect, registry.UnderlyingFX, "51"),
			time.Date(2011, 1, 1, 0, 0, 0, 0, jst), []registry.ReasonCode{exceeds}},
		{"FX before any cap", product(der, registry.WrapperDirect, registry.UnderlyingFX, "400"),
			time.Date(2009, 1, 1, 0, 0, 0, 0, jst), nil},

		// Crypto-asset: 2x; the overseas-ETF ban.
		{"crypto CFD direct 2x allowed", product(cfd, registry.WrapperDirect, registry.UnderlyingCryptoAsset, "2"), now, nil},
		{"crypto CFD direct 3x refused", product(cfd, registry.WrapperDirect, registry.UnderlyingCryptoAsset, "3"), now, []registry.ReasonCode{exceeds}},
		{"crypto 4x in the transitional year", product(der, registry.WrapperDirect, registry.UnderlyingCryptoAsset, "4"),
			time.Date(2021, 4, 30, 12, 0, 0, 0, jst), nil},
		{"crypto 4x after it", product(der, registry.WrapperDirect, registry.UnderlyingCryptoAsset, "4"),
			time.Date(2021, 5, 1, 0, 0, 0, 0, jst), []registry.ReasonCode{exceeds}},
		{"crypto-ETF CFD refused", product(cfd, registry.WrapperOverseasETF, registry.UnderlyingCryptoAsset, "2"), now, []registry.ReasonCode{notPermissible}},
		{"crypto-ETF derivative unleveraged refused", product(der, registry.WrapperOverseasETF, registry.UnderlyingCryptoAsset, ""), now, []registry.ReasonCode{notPermissible}},
		{"crypto-ETF CFD 5x: both reasons", product(cfd, registry.WrapperOverseasETF, registry.UnderlyingCryptoAsset, "5"), now,
			[]registry.ReasonCode{notPermissible, exceeds}},
		{"crypto-ETF CFD before the Q&A: ban not yet effective", product(cfd, registry.WrapperOverseasETF, registry.UnderlyingCryptoAsset, "2"),
			time.Date(2025, 10, 30, 23, 59, 59, 0, jst), nil},
		{"crypto-ETF CFD on the Q&A date", product(cfd, registry.WrapperOverseasETF, registry.UnderlyingCryptoAsset, "2"),
			time.Date(2025, 10, 31, 0, 0, 0, 0, jst), []registry.ReasonCode{notPermissible}},
		{"domestic crypto ETF CFD is not the banned product", product(cfd, registry.WrapperDomesticETF, registry.UnderlyingCryptoAsset, "2"), now, nil},
		{"overseas equity ETF CFD allowed", product(cfd, registry.WrapperOverseasETF, registry.UnderlyingStockIndex, "10"), now, nil},

		// Securities CFDs.
		{"stock index 10x allowed", product(cfd, registry.WrapperDirect, registry.UnderlyingStockIndex, "10"), now, nil},
		{"stock index 10.5x refused", product(cfd, registry.WrapperDirect, registry.UnderlyingStockIndex, "10.5"), now, []registry.ReasonCode{exceeds}},
		{"single stock 5x allowed", product(cfd, registry.WrapperDirect, registry.UnderlyingSingleStock, "5"), now, nil},
		{"single stock 6x refused", product(cfd, registry.WrapperDirect, registry.UnderlyingSingleStock, "6"), now, []registry.ReasonCode{exceeds}},
		{"bond 50x allowed", product(cfd, registry.WrapperDirect, registry.UnderlyingBond, "50"), now, nil},
		{"bond 51x refused", product(cfd, registry.WrapperDirect, registry.UnderlyingBond, "51"), now, []registry.ReasonCode{exceeds}},
		{"stock index before 2011", product(cfd, registry.WrapperDirect, registry.UnderlyingStockIndex, "20"),
			time.Date(2010, 12, 31, 23, 0, 0, 0, jst), nil},

		// Not checked / bad input.
		{"plain security", product(none, registry.WrapperNone, registry.UnderlyingCryptoAsset, "100"), now, nil},
		{"zero product", registry.Product{}, now, nil},
		{"no cap for real estate", product(der, registry.WrapperDirect, registry.UnderlyingRealEstate, "100"), now, nil},
		{"unparsable leverage", product(der, registry.WrapperDirect, registry.UnderlyingFX, "lots"), now, []registry.ReasonCode{exceeds}},
		{"leverage below 1 is the caller's business", product(der, registry.WrapperDirect, registry.UnderlyingFX, "0.5"), now, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reasons := Check(tc.p, tc.at)
			var got []registry.ReasonCode
			for _, r := range reasons {
				got = append(got, r.Code)
				if !strings.HasPrefix(r.Rule, "product.") || r.Message == "" {
					t.Errorf("reason without rule or message: %+v", r)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("Check = %v, want %v\n%+v", got, tc.want, reasons)
			}
		})
	}
}

func TestLeverageMessage(t *testing.T) {
	rs := Check(product(registry.ProductDerivative, registry.WrapperDirect, registry.UnderlyingFX, "25.01"), now)
	if len(rs) != 1 || !strings.Contains(rs[0].Message, "25.01x") || !strings.Contains(rs[0].Message, "25x cap") ||
		!strings.Contains(rs[0].Message, "minimum margin 4%") || rs[0].Rule != "product.fx_leverage_25x" {
		t.Fatalf("unexpected reason: %+v", rs)
	}
}

func TestMaxLeverage(t *testing.T) {
	want := map[registry.Underlying]int64{
		registry.UnderlyingFX: 25, registry.UnderlyingCryptoAsset: 2, registry.UnderlyingStockIndex: 10,
		registry.UnderlyingSingleStock: 5, registry.UnderlyingBond: 50,
	}
	for u, lev := range want {
		got, ok := MaxLeverage(u, now)
		if !ok || got.Cmp(big.NewRat(lev, 1)) != 0 {
			t.Errorf("MaxLeverage(%s) = %v, %v; want %d", u, got, ok, lev)
		}
	}
	if _, ok := MaxLeverage(registry.UnderlyingRealEstate, now); ok {
		t.Error("real estate has no cap")
	}
	// The result is a copy: changing it must not change the table.
	got, _ := MaxLeverage(registry.UnderlyingFX, now)
	got.SetInt64(1000)
	if again, _ := MaxLeverage(registry.UnderlyingFX, now); again.Cmp(big.NewRat(25, 1)) != 0 {
		t.Fatal("MaxLeverage exposed the table")
	}
}

// The worked examples of the FFAJ margin regulation (seed 002).
func TestMarginWorkedExamples(t *testing.T) {
	// ¥1,000,000 notional at 4% → ¥40,000.
	m, err := InitialMargin(big.NewRat(1_000_000, 1), registry.UnderlyingFX, now)
	if err != nil || m.Cmp(big.NewRat(40_000, 1)) != 0 {
		t.Fatalf("InitialMargin = %v, %v; want 40000", m, err)
	}

	// $10,000 long at ¥100.03 and $30,000 short at ¥100.00: margined on the
	// larger (short) side, ¥3,000,000 × 4% = ¥120,000.
	long := new(big.Rat).Mul(rat(t, "100.03"), big.NewRat(10_000, 1))
	short := new(big.Rat).Mul(rat(t, "100.00"), big.NewRat(30_000, 1))
	if long.Cmp(big.NewRat(1_000_300, 1)) != 0 || short.Cmp(big.NewRat(3_000_000, 1)) != 0 {
		t.Fatalf("notionals %v / %v", long, short)
	}
	m, err = OffsettingMargin(long, short, registry.UnderlyingFX, now)
	if err != nil || m.Cmp(big.NewRat(120_000, 1)) != 0 {
		t.Fatalf("OffsettingMargin = %v, %v; want 120000", m, err)
	}
	// Symmetric: the larger side wins whichever it is.
	m, _ = OffsettingMargin(short, long, registry.UnderlyingFX, now)
	if m.Cmp(big.NewRat(120_000, 1)) != 0 {
		t.Fatalf("OffsettingMargin reversed = %v", m)
	}

	// During the 2010-11 transitional year the ratio was 2%.
	m, err = InitialMargin(big.NewRat(1_000_000, 1), registry.UnderlyingFX, time.Date(2010, 9, 1, 0, 0, 0, 0, jst))
	if err != nil || m.Cmp(big.NewRat(20_000, 1)) != 0 {
		t.Fatalf("transitional InitialMargin = %v, %v; want 20000", m, err)
	}
}

func TestMarginOtherUnderlyings(t *testing.T) {
	notional := big.NewRat(1_000_000, 1)
	want := map[registry.Underlying]int64{
		registry.UnderlyingCryptoAsset: 500_000, registry.UnderlyingStockIndex: 100_000,
		registry.UnderlyingSingleStock: 200_000, registry.UnderlyingBond: 20_000,
	}
	for u, w := range want {
		m, err := InitialMargin(notional, u, now)
		if err != nil || m.Cmp(big.NewRat(w, 1)) != 0 {
			t.Errorf("InitialMargin(%s) = %v, %v; want %d", u, m, err, w)
		}
	}
}

func TestMarginErrors(t *testing.T) {
	if _, err := InitialMargin(big.NewRat(1, 1), registry.UnderlyingRealEstate, now); registry.ErrorCode(err) != registry.EINVALID {
		t.Errorf("no cap: err = %v", err)
	}
	if _, err := InitialMargin(nil, registry.UnderlyingFX, now); registry.ErrorCode(err) != registry.EINVALID {
		t.Errorf("nil notional: err = %v", err)
	}
	if _, err := InitialMargin(big.NewRat(-1, 1), registry.UnderlyingFX, now); registry.ErrorCode(err) != registry.EINVALID {
		t.Errorf("negative notional: err = %v", err)
	}
	if _, err := OffsettingMargin(big.NewRat(1, 1), nil, registry.UnderlyingFX, now); registry.ErrorCode(err) != registry.EINVALID {
		t.Errorf("nil short: err = %v", err)
	}
	if _, err := InitialMargin(big.NewRat(1, 1), registry.UnderlyingFX, time.Date(2009, 1, 1, 0, 0, 0, 0, jst)); err == nil {
		t.Error("FX before 2010 has no cap")
	}
}

func TestRulesTable(t *testing.T) {
	if Version == "" {
		t.Fatal("no version")
	}
	ids := map[string]bool{}
	for _, r := range Rules() {
		if r.ID == "" || ids[r.ID] {
			t.Errorf("missing or duplicate id %q", r.ID)
		}
		ids[r.ID] = true
		if r.Source == "" || r.Summary == "" || r.EffectiveFrom.IsZero() || len(r.Classes) == 0 {
			t.Errorf("%s: incomplete entry", r.ID)
		}
		switch r.Kind {
		case LeverageCap:
			if r.MaxLeverage == nil || r.MaxLeverage.Cmp(big.NewRat(1, 1)) < 0 || r.MinimumMarginRatio() == nil {
				t.Errorf("%s: bad cap %v", r.ID, r.MaxLeverage)
			}
		case NotPermissible:
			if r.MaxLeverage != nil {
				t.Errorf("%s: a prohibition has no cap", r.ID)
			}
		default:
			t.Errorf("%s: unknown kind %q", r.ID, r.Kind)
		}
	}
	// Rules returns a copy.
	rs := Rules()
	rs[0].ID = "changed"
	for _, r := range rs {
		if r.MaxLeverage != nil {
			r.MaxLeverage.SetInt64(1000)
		}
	}
	if Rules()[0].ID == "changed" {
		t.Fatal("Rules exposed the table")
	}
	if got, _ := MaxLeverage(registry.UnderlyingFX, now); got.Cmp(big.NewRat(25, 1)) != 0 {
		t.Fatal("Rules exposed a cap")
	}
}

// TestPolicyDocumented checks docs/reason-codes.md shows the current version
// and every entry with its effective date.
func TestPolicyDocumented(t *testing.T) {
	b, err := os.ReadFile("../../docs/reason-codes.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "## Product policy")
	if !ok {
		t.Fatal("docs/reason-codes.md has no product policy section")
	}
	if !strings.Contains(section, "**"+Version+"**") {
		t.Errorf("docs do not show policy version %s", Version)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) > 2 {
			rows[strings.Trim(strings.TrimSpace(cells[1]), "`")] = line
		}
	}
	for _, r := range Rules() {
		line, ok := rows[r.ID]
		if !ok {
			t.Errorf("policy entry %s is not documented", r.ID)
			continue
		}
		if date := r.EffectiveFrom.In(jst).Format(time.DateOnly); !strings.Contains(line, "| "+date+" |") {
			t.Errorf("policy entry %s: docs row lacks effective date %s", r.ID, date)
		}
	}
	for id := range rows {
		if strings.Contains(id, "_") && !slices.ContainsFunc(Rules(), func(r Rule) bool { return r.ID == id }) {
			t.Errorf("docs list policy entry %s that the table lacks", id)
		}
	}
}
