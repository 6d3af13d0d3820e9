package registry

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Distributions: a dividend, interest or redemption payment of an amount per
// token to the holders on the register at a record date. Each investor's
// gross amount, the tax withheld at source by the investor's tax category
// from a versioned rate table, and the net paid, rounded to the yen by one
// stated rule, with totals that reconcile to the yen.
//
// Rounding (円未満切捨て), per payment, i.e. per investor line:
//
//	gross       = ⌊ balance × amountPerToken / 10^decimals ⌋
//	income tax  = ⌊ gross × income-tax rate ⌋   (national, reconstruction surtax included)
//	local tax   = ⌊ gross × local-tax rate ⌋    (inhabitant tax on dividends/interest, 配当割・利子割)
//	withholding = income tax + local tax
//	net         = gross − withholding
//
// Each tax is floored to the yen on its own, as the withholding statement
// (支払調書) shows them. Totals are sums of the lines, so Σgross = Σwithholding
// + Σnet exactly; the residue ⌊ Σbalance × amountPerToken / 10^decimals ⌋ −
// Σgross (under one yen per line) is reported, not paid.

// DistributionKind is what a distribution pays.
type DistributionKind string

const (
	DistributionDividend   DistributionKind = "DIVIDEND"
	DistributionInterest   DistributionKind = "INTEREST"
	DistributionRedemption DistributionKind = "REDEMPTION"
)

// Valid reports whether k is a known kind.
func (k DistributionKind) Valid() bool {
	return k == DistributionDividend || k == DistributionInterest || k == DistributionRedemption
}

// WithholdingRate is one entry of the rate table: the rate withheld from a
// kind of payment to a tax category, from its effective date (JST) on, with
// its legal source. Rates are in parts per 100,000 (20.42% = 20420).
type WithholdingRate struct {
	ID          string           `json:"id"`
	Kind        DistributionKind `json:"kind"`
	Category    TaxCategory      `json:"taxCategory,omitempty"` // "" = every category
	IncomeTax   int64            `json:"incomeTaxPer100k"`      // national income tax incl. the special reconstruction income tax
	LocalTax    int64            `json:"localTaxPer100k"`       // inhabitant tax withheld with it (利子割・配当割), 0 if none
	EffectiveOn string           `json:"effectiveOn"`           // YYYY-MM-DD, JST
	Source      string           `json:"source"`
}

// RatePer100k is the total rate.
func (r WithholdingRate) RatePer100k() int64 { return r.IncomeTax + r.LocalTax }

// WithholdingVersion names the rate table below; distributions record it.
const WithholdingVersion = "2026-01-01"

// withholdingTable is the rate table. For one kind and category the latest
// entry effective on the payment date applies. Security tokens are unlisted
// securities: dividends on them are withheld at the income-tax rate only
// (no local tax, unlike listed shares' 20.315%). Citations are summaries for
// engineers, not legal advice; confirm against the current statutes.
var withholdingTable = []WithholdingRate{
	{"dividend_individual_20", DistributionDividend, TaxIndividual, 20000, 0, "2008-01-01",
		"Income Tax Act Art. 181-182(ii): 20% on dividends of unlisted shares (before the reconstruction surtax)"},
	{"dividend_individual", DistributionDividend, TaxIndividual, 20420, 0, "2013-01-01",
		"Income Tax Act Art. 181-182(ii); Act on Special Measures for Reconstruction Funding Art. 28: 20% × 1.021 on dividends of unlisted shares"},
	{"dividend_large_individual", DistributionDividend, TaxLargeIndividual, 20420, 0, "2013-01-01",
		"Income Tax Act Art. 181-182(ii); Reconstruction Funding Act Art. 28 (income tax only, no local dividend tax)"},
	{"dividend_corporation", DistributionDividend, TaxCorporation, 20420, 0, "2013-01-01",
		"Income Tax Act Art. 174, 212(3); Reconstruction Funding Act Art. 28: income tax only for domestic corporations"},
	{"dividend_exempt", DistributionDividend, TaxExempt, 0, 0, "2013-01-01",
		"Income Tax Act Art. 11 and Appended Table 1: public corporations are not subject to withholding"},
	{"dividend_non_resident", DistributionDividend, TaxNonResident, 20420, 0, "2013-01-01",
		"Income Tax Act Art. 212(1), 213(1)(i); Reconstruction Funding Act Art. 28 (a treaty rate needs the holder's application)"},
	{"interest_individual", DistributionInterest, TaxIndividual, 15315, 5000, "2016-01-01",
		"Income Tax Act Art. 181-182(i); Reconstruction Funding Act Art. 28; Local Tax Act Art. 71-6 (利子割 5%)"},
	{"interest_large_individual", DistributionInterest, TaxLargeIndividual, 15315, 5000, "2016-01-01",
		"as interest_individual"},
	{"interest_corporation", DistributionInterest, TaxCorporation, 15315, 0, "2016-01-01",
		"Income Tax Act Art. 174, 212(3); Reconstruction Funding Act Art. 28; no 利子割 on corporations from 2016 (Local Tax Act amended 2013)"},
	{"interest_exempt", DistributionInterest, TaxExempt, 0, 0, "2016-01-01",
		"Income Tax Act Art. 11 and Appended Table 1"},
	{"interest_non_resident", DistributionInterest, TaxNonResident, 15315, 0, "2016-01-01",
		"Income Tax Act Art. 212(1), 213(1)(iii); Reconstruction Funding Act Art. 28"},
	{"redemption_principal", DistributionRedemption, "", 0, 0, "2016-01-01",
		"Principal repaid at par is no income subject to withholding; a redemption gain is taxed by the holder's return (Act on Special Measures Concerning Taxation Art. 37-11)"},
}

// WithholdingRates returns the rate table.
func WithholdingRates() []WithholdingRate { return append([]WithholdingRate(nil), withholdingTable...) }

// RateFor returns the rate withheld from a payment of kind to category on
// paymentDate: the latest entry effective on or before it. A redemption
// entry with no category applies to every category.
func RateFor(kind DistributionKind, category TaxCategory, paymentDate time.Time) (WithholdingRate, bool) {
	day := paymentDate.In(RecordDateZone).Format(time.DateOnly)
	var best WithholdingRate
	found := false
	for _, r := range withholdingTable {
		if r.Kind != kind || (r.Category != "" && r.Category != category) || r.EffectiveOn > day {
			continue
		}
		if !found || r.EffectiveOn > best.EffectiveOn {
			best, found = r, true
		}
	}
	return best, found
}

// MaxPerTokenDecimals bounds the yen amount per token's fractional digits.
const MaxPerTokenDecimals = 6

// ParseYenPerToken reads an amount per token in yen, e.g. "12.5", as an
// integer count of 10^-MaxPerTokenDecimals yen.
func ParseYenPerToken(s string) (*big.Int, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(s) > 40 || len(frac) > MaxPerTokenDecimals || !digits(whole) || (frac != "" && !digits(frac)) ||
		strings.HasSuffix(s, ".") {
		return nil, Errorf(EINVALID, "amountPerToken must be a positive decimal of yen with at most %d decimals, e.g. \"12.5\"", MaxPerTokenDecimals)
	}
	v, _ := new(big.Int).SetString(whole+frac+strings.Repeat("0", MaxPerTokenDecimals-len(frac)), 10)
	if v.Sign() <= 0 {
		return nil, Errorf(EINVALID, "amountPerToken must be positive")
	}
	return v, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// DistributionRequest is what a distribution pays and when.
type DistributionRequest struct {
	Kind           DistributionKind
	AmountPerToken string    // yen per whole token, decimal
	RecordDate     time.Time // the register's date
	PaymentDate    time.Time // picks the withholding rates
	Decimals       int       // the token's decimals
}

// DistributionHolder is one holder on the register: an investor (with its tax
// category, "" if none is recorded) or a wallet no investor owns.
type DistributionHolder struct {
	InvestorID  *int64
	Name        string // the legal name at the record date, "" if not shown
	TaxCategory TaxCategory
	Wallets     []string
	Balance     *big.Int
}

// DistributionLine is one payment instruction.
type DistributionLine struct {
	InvestorID  *int64      `json:"investorId,omitempty"`
	Name        string      `json:"name,omitempty"`
	TaxCategory TaxCategory `json:"taxCategory,omitempty"`
	Wallets     []string    `json:"wallets"`
	Balance     string      `json:"balance"`
	Gross       int64       `json:"gross"`
	IncomeTax   int64       `json:"incomeTax"`
	LocalTax    int64       `json:"localTax"`
	Withholding int64       `json:"withholding"`
	Net         int64       `json:"net"`
	RateID      string      `json:"rateId,omitempty"`
	// Unpayable says why no payment is instructed: the wallet belongs to no
	// investor, or the investor has no tax category recorded at the date.
	Unpayable string `json:"unpayable,omitempty"`
}

// DistributionTotals reconcile a distribution to the yen.
type DistributionTotals struct {
	Balance     string `json:"balance"`     // Σ balances on the register
	Entitlement int64  `json:"entitlement"` // ⌊ Σbalance × amountPerToken / 10^decimals ⌋
	Gross       int64  `json:"gross"`       // Σ gross of payable lines
	Withholding int64  `json:"withholding"`
	IncomeTax   int64  `json:"incomeTax"`
	LocalTax    int64  `json:"localTax"`
	Net         int64  `json:"net"`
	Unpayable   int64  `json:"unpayable"` // Σ gross of unpayable lines, held back
	Residue     int64  `json:"residue"`   // entitlement − gross − unpayable: the yen fractions floored away
	Payments    int    `json:"payments"`
}

// Distribution is a computed distribution.
type Distribution struct {
	Kind           DistributionKind   `json:"kind"`
	AmountPerToken string             `json:"amountPerToken"`
	RecordDate     string             `json:"recordDate"`
	PaymentDate    string             `json:"paymentDate"`
	RateVersion    string             `json:"rateVersion"`
	Rates          []WithholdingRate  `json:"-"`
	Rounding       string             `json:"rounding"`
	Lines          []DistributionLine `json:"lines"`
	Totals         DistributionTotals `json:"totals"`
}

// RoundingRule states the rounding every distribution applies.
const RoundingRule = "per payment: gross = floor(balance × amountPerToken / 10^decimals) yen; " +
	"income tax and local tax each floor(gross × rate) yen; net = gross − income tax − local tax"

// ComputeDistribution computes the payment of req to holders (register
// order). It fails when an amount does not fit in int64 yen.
func ComputeDistribution(req DistributionRequest, holders []DistributionHolder) (*Distribution, error) {
	if !req.Kind.Valid() {
		return nil, Errorf(EINVALID, "kind must be DIVIDEND, INTEREST or REDEMPTION")
	}
	perToken, err := ParseYenPerToken(req.AmountPerToken)
	if err != nil {
		return nil, err
	}
	if req.Decimals < 0 || req.Decimals > 36 {
		return nil, Errorf(EINVALID, "decimals out of range")
	}
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(req.Decimals+MaxPerTokenDecimals)), nil)
	yen := func(balance *big.Int) (int64, error) {
		v := new(big.Int).Mul(balance, perToken)
		v.Quo(v, scale) // balances are non-negative: Quo floors
		if !v.IsInt64() {
			return 0, Errorf(EINVALID, "an amount exceeds %d yen", int64(^uint64(0)>>1))
		}
		return v.Int64(), nil
	}
	d := &Distribution{Kind: req.Kind, AmountPerToken: req.AmountPerToken, RecordDate: req.RecordDate.Format(time.DateOnly),
		PaymentDate: req.PaymentDate.In(RecordDateZone).Format(time.DateOnly), RateVersion: WithholdingVersion, Rounding: RoundingRule}
	total := new(big.Int)
	used := map[string]WithholdingRate{}
	for _, h := range holders {
		if h.Balance == nil || h.Balance.Sign() <= 0 {
			continue
		}
		total.Add(total, h.Balance)
		line := DistributionLine{InvestorID: h.InvestorID, Name: h.Name, TaxCategory: h.TaxCategory,
			Wallets: append([]string(nil), h.Wallets...), Balance: h.Balance.String()}
		if line.Gross, err = yen(h.Balance); err != nil {
			return nil, err
		}
		rate, ok := RateFor(req.Kind, h.TaxCategory, req.PaymentDate)
		switch {
		case h.InvestorID == nil:
			line.Unpayable = "the wallet belongs to no investor"
		case !h.TaxCategory.Valid() && req.Kind != DistributionRedemption:
			line.Unpayable = "no tax category is recorded for the investor at the record date"
		case !ok:
			return nil, Errorf(EINVALID, "no withholding rate for %s to %s on %s", req.Kind, h.TaxCategory, d.PaymentDate)
		default:
			line.RateID = rate.ID
			used[rate.ID] = rate
			g := big.NewInt(line.Gross)
			line.IncomeTax = floorPer100k(g, rate.IncomeTax)
			line.LocalTax = floorPer100k(g, rate.LocalTax)
			line.Withholding = line.IncomeTax + line.LocalTax
			line.Net = line.Gross - line.Withholding
		}
		d.Lines = append(d.Lines, line)
		t := &d.Totals
		if line.Unpayable != "" {
			t.Unpayable += line.Gross
			continue
		}
		t.Gross += line.Gross
		t.IncomeTax += line.IncomeTax
		t.LocalTax += line.LocalTax
		t.Withholding += line.Withholding
		t.Net += line.Net
		t.Payments++
	}
	d.Totals.Balance = total.String()
	if d.Totals.Entitlement, err = yen(total); err != nil {
		return nil, err
	}
	d.Totals.Residue = d.Totals.Entitlement - d.Totals.Gross - d.Totals.Unpayable
	for _, r := range used {
		d.Rates = append(d.Rates, r)
	}
	sort.Slice(d.Rates, func(i, j int) bool { return d.Rates[i].ID < d.Rates[j].ID })
	return d, nil
}

// floorPer100k is ⌊ g × rate / 100,000 ⌋ for g ≥ 0.
func floorPer100k(g *big.Int, rate int64) int64 {
	v := new(big.Int).Mul(g, big.NewInt(rate))
	return v.Quo(v, big.NewInt(100_000)).Int64()
}

// DistributionCSVHeader is the payment instructions' header row.
var DistributionCSVHeader = []string{
	"投資家ID",  // investor id
	"氏名又は名称", // legal name at the record date
	"税区分",    // tax category
	"保有数量",   // balance (base units)
	"支払総額",   // gross, yen
	"所得税",    // income tax incl. reconstruction surtax, yen
	"住民税",    // local tax, yen
	"源泉徴収額",  // withholding, yen
	"差引支払額",  // net, yen
	"適用税率ID", // rate id
	"ウォレット",  // wallets
	"備考",     // why a line is not paid
}

// WriteDistributionCSV writes the payment instructions as CSV in UTF-8 with a
// BOM (Excel in Japan opens it correctly), one line per holder, then a
// totals line.
func WriteDistributionCSV(w io.Writer, d *Distribution) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(DistributionCSVHeader); err != nil {
		return err
	}
	i64 := func(v int64) string { return strconv.FormatInt(v, 10) }
	for _, l := range d.Lines {
		id := ""
		if l.InvestorID != nil {
			id = i64(*l.InvestorID)
		}
		// Names go through cell, as in the register: no spreadsheet formula.
		if err := cw.Write([]string{id, cell(l.Name), string(l.TaxCategory), l.Balance, i64(l.Gross), i64(l.IncomeTax), i64(l.LocalTax),
			i64(l.Withholding), i64(l.Net), l.RateID, strings.Join(l.Wallets, " "), l.Unpayable}); err != nil {
			return err
		}
	}
	t := d.Totals
	if err := cw.Write([]string{"合計", "", "", t.Balance, i64(t.Gross), i64(t.IncomeTax), i64(t.LocalTax), i64(t.Withholding), i64(t.Net), "", "",
		fmt.Sprintf("支払対象外 %d円, 端数 %d円", t.Unpayable, t.Residue)}); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
