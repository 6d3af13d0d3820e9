// Package policy is the product policy applied when an issuance is registered:
// which derivative-type products may not be offered at all, and how much
// leverage may be offered to individual customers for each underlying.
//
// The rules live in one versioned table (Rules), each entry with its legal
// source and the date it takes effect, instead of conditionals spread through
// the code: a change in the law is a new entry with a new effective date, and
// decisions about the past keep using the rules of the past.
//
// How entries combine at an instant `at`:
//   - an entry applies only once at >= EffectiveFrom;
//   - every applicable NOT_PERMISSIBLE entry that matches the product refuses it;
//   - for leverage, the matching LEVERAGE_CAP entry with the latest
//     EffectiveFrom supersedes earlier ones for the same underlying (so a
//     transitional cap gives way to the final one, and a future relaxation
//     would be a new entry too).
//
// Caps are matched on the look-through underlying, whatever the wrapper: a
// CFD on an ETF that tracks an index is capped as a stock-index CFD. Entries
// apply to both DERIVATIVE and CFD classes, exchange-traded or OTC alike (the
// registry does not record the venue, so it takes the stricter reading).
// Plain securities (class NONE or empty) are not checked.
package policy

import (
	"fmt"
	"math/big"
	"time"

	"github.com/stonode/stonode/registry"
)

// Version identifies the table below; bump it with every change to an entry.
const Version = "2025-11-01"

// Kind of a policy entry.
type Kind string

const (
	// NotPermissible: products matching the entry may not be registered.
	NotPermissible Kind = "NOT_PERMISSIBLE"
	// LeverageCap: leverage offered to individuals may not exceed MaxLeverage.
	LeverageCap Kind = "LEVERAGE_CAP"
)

// Rule is one entry of the policy table.
type Rule struct {
	ID      string // stable machine name; reasons carry it as "product.<ID>"
	Kind    Kind
	Classes []registry.ProductClass // product classes it applies to
	Wrapper registry.Wrapper        // "" = any wrapper
	// Underlying is the look-through underlying the entry matches.
	Underlying registry.Underlying
	// MaxLeverage is the cap for LeverageCap entries (nil otherwise); the
	// minimum margin is 1/MaxLeverage of the notional.
	MaxLeverage   *big.Rat
	Summary       string
	Source        string    // legal source
	EffectiveFrom time.Time // applies from this instant on
}

// MinimumMarginRatio is 1/MaxLeverage, or nil for a NotPermissible entry.
func (r Rule) MinimumMarginRatio() *big.Rat {
	if r.MaxLeverage == nil || r.MaxLeverage.Sign() <= 0 {
		return nil
	}
	return new(big.Rat).Inv(r.MaxLeverage)
}

// jst is Japan Standard Time; legal effective dates are Japanese calendar days.
var jst = time.FixedZone("JST", 9*60*60)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, jst) }

var derivatives = []registry.ProductClass{registry.ProductDerivative, registry.ProductCFD}

func leverageCap(id string, u registry.Underlying, lev int64, from time.Time, summary, source string) Rule {
	return Rule{ID: id, Kind: LeverageCap, Classes: derivatives, Underlying: u,
		MaxLeverage: big.NewRat(lev, 1), Summary: summary, Source: source, EffectiveFrom: from}
}

const (
	srcFX = "Cabinet Office Ordinance on Financial Instruments Business, Art. 117(1)(xxvii)-(xxviii) " +
		"(amendment promulgated 3 Aug 2009, in force 1 Aug 2010); FFAJ margin regulation for individual customers"
	srcSecuritiesCFD = "Cabinet Office Ordinance on Financial Instruments Business, Art. 117(1) margin requirements " +
		"for securities-related OTC derivative transactions with individuals (amendment promulgated 28 Dec 2009, " +
		"in force 1 Jan 2011): stock index 10%, individual stock 20%, bond 2% of the notional; JSDA and FFAJ " +
		"self-regulatory rules on OTC CFD transactions"
	srcCrypto = "FIEA as amended by Act No. 28 of 2019 (crypto-asset-related derivatives brought under the FIEA, " +
		"in force 1 May 2020); Cabinet Office Ordinance on Financial Instruments Business, Art. 117(1) margin " +
		"requirement for crypto-asset-related derivative transactions with individuals: 50% of the notional"
	srcCryptoETF = "FSA, Q&A on Financial Instruments Business etc. (金融商品取引業等に関するQ&A), revised 31 Oct 2025, " +
		"Q6: a derivative on an overseas crypto-asset ETF is a crypto-asset-related derivative, and offering it " +
		"while crypto-asset ETFs cannot be formed or sold in Japan is \"not desirable\" (望ましくない) for investor " +
		"protection; brokers withdrew such CFDs, and the registry treats the product as not permissible"
)

// table is the policy, oldest first within each underlying. Never edit an
// entry that has taken effect; add a superseding one and bump Version.
var table = []Rule{
	{
		ID: "crypto_overseas_etf_derivative", Kind: NotPermissible, Classes: derivatives,
		Wrapper: registry.WrapperOverseasETF, Underlying: registry.UnderlyingCryptoAsset,
		Summary: "derivatives and CFDs on overseas ETFs whose underlying is a crypto-asset are not permissible",
		Source:  srcCryptoETF, EffectiveFrom: day(2025, time.October, 31),
	},
	leverageCap("fx_leverage_50x_transitional", registry.UnderlyingFX, 50, day(2010, time.August, 1),
		"FX: at least 2% margin (50x) during the first year of the FX margin rules", srcFX+"; transitional measure"),
	leverageCap("fx_leverage_25x", registry.UnderlyingFX, 25, day(2011, time.August, 1),
		"FX: at least 4% margin of the notional (25x) at position opening and at each daily margin-judgment time", srcFX),
	leverageCap("stock_index_leverage_10x", registry.UnderlyingStockIndex, 10, day(2011, time.January, 1),
		"stock-index derivatives and CFDs: at least 10% margin (10x)", srcSecuritiesCFD),
	leverageCap("single_stock_leverage_5x", registry.UnderlyingSingleStock, 5, day(2011, time.January, 1),
		"single-stock derivatives and CFDs: at least 20% margin (5x)", srcSecuritiesCFD),
	leverageCap("bond_leverage_50x", registry.UnderlyingBond, 50, day(2011, time.January, 1),
		"bond derivatives and CFDs: at least 2% margin (50x)", srcSecuritiesCFD),
	leverageCap("crypto_leverage_4x_transitional", registry.UnderlyingCryptoAsset, 4, day(2020, time.May, 1),
		"crypto-asset derivatives: at least 25% margin (4x) during the one-year transitional period", srcCrypto+"; transitional measure (25%) for one year"),
	leverageCap("crypto_leverage_2x", registry.UnderlyingCryptoAsset, 2, day(2021, time.May, 1),
		"crypto-asset derivatives: at least 50% margin (2x)", srcCrypto),
}

// Rules returns a copy of the policy table, for documentation and the API.
func Rules() []Rule {
	out := make([]Rule, len(table))
	for i, r := range table {
		r.Classes = append([]registry.ProductClass(nil), r.Classes...)
		if r.MaxLeverage != nil {
			r.MaxLeverage = new(big.Rat).Set(r.MaxLeverage)
		}
		out[i] = r
	}
	return out
}

func (r *Rule) appliesTo(c registry.ProductClass) bool {
	for _, x := range r.Classes {
		if x == c {
			return true
		}
	}
	return false
}

func (r *Rule) effective(at time.Time) bool { return !at.Before(r.EffectiveFrom) }

func isDerivative(c registry.ProductClass) bool {
	return c == registry.ProductDerivative || c == registry.ProductCFD
}

// capRule returns the leverage cap in force for an underlying at `at`: the
// matching entry that took effect last. class "" matches any class.
func capRule(c registry.ProductClass, u registry.Underlying, at time.Time) *Rule {
	var best *Rule
	for i := range table {
		r := &table[i]
		if r.Kind != LeverageCap || r.Underlying != u || !r.effective(at) || (c != "" && !r.appliesTo(c)) {
			continue
		}
		if best == nil || r.EffectiveFrom.After(best.EffectiveFrom) {
			best = r
		}
	}
	return best
}

// Check returns the reasons the product may not be registered at `at`:
// PRODUCT_NOT_PERMISSIBLE for each matching prohibition, then
// LEVERAGE_EXCEEDS_CAP if the leverage offered to individuals exceeds the cap
// for its underlying. Nil means permissible. Validating the leverage string is
// the caller's job; an unparsable one is treated as exceeding the cap, so bad
// input can never slip through as allowed.
func Check(p registry.Product, at time.Time) []registry.Reason {
	if !isDerivative(p.Class) {
		return nil
	}
	var out []registry.Reason
	for i := range table {
		r := &table[i]
		if r.Kind != NotPermissible || !r.effective(at) || !r.appliesTo(p.Class) ||
			r.Underlying != p.Underlying || (r.Wrapper != "" && r.Wrapper != p.Wrapper) {
			continue
		}
		out = append(out, registry.Reason{
			Code: registry.CodeProductNotPermissible,
			Rule: "product." + r.ID,
			Message: fmt.Sprintf("%s on %s with %s underlying: %s (%s)",
				p.Class, p.Wrapper, p.Underlying, r.Summary, r.Source),
		})
	}
	cr := capRule(p.Class, p.Underlying, at)
	if cr == nil {
		return out
	}
	levText := p.Leverage
	if levText == "" {
		levText = "1"
	}
	lev, ok := new(big.Rat).SetString(levText)
	switch {
	case !ok:
		out = append(out, registry.Reason{
			Code: registry.CodeLeverageExceedsCap,
			Rule: "product." + cr.ID,
			Message: fmt.Sprintf("leverage %q is not a decimal number, so it cannot be shown to be within the %sx cap for %s",
				p.Leverage, decimal(cr.MaxLeverage), p.Underlying),
		})
	case lev.Cmp(cr.MaxLeverage) > 0:
		out = append(out, registry.Reason{
			Code: registry.CodeLeverageExceedsCap,
			Rule: "product." + cr.ID,
			Message: fmt.Sprintf("leverage %sx offered to individuals exceeds the %sx cap for %s (minimum margin %s%%; %s)",
				decimal(lev), decimal(cr.MaxLeverage), p.Underlying,
				decimal(new(big.Rat).Mul(cr.MinimumMarginRatio(), big.NewRat(100, 1))), cr.Source),
		})
	}
	return out
}

// MaxLeverage returns the leverage cap for individuals in force for an
// underlying at `at`; ok is false when no cap applies.
func MaxLeverage(u registry.Underlying, at time.Time) (*big.Rat, bool) {
	r := capRule("", u, at)
	if r == nil {
		return nil, false
	}
	return new(big.Rat).Set(r.MaxLeverage), true
}

// InitialMargin is the minimum margin for a position: notional × the minimum
// margin ratio (1 / leverage cap) in force for the underlying at `at`.
func InitialMargin(notionalYen *big.Rat, u registry.Underlying, at time.Time) (*big.Rat, error) {
	if notionalYen == nil || notionalYen.Sign() < 0 {
		return nil, registry.Errorf(registry.EINVALID, "notional must be a non-negative amount")
	}
	r := capRule("", u, at)
	if r == nil {
		return nil, registry.Errorf(registry.EINVALID, "no leverage cap for underlying %s at %s", u, at.In(jst).Format(time.DateOnly))
	}
	return new(big.Rat).Quo(notionalYen, r.MaxLeverage), nil
}

// OffsettingMargin is the minimum margin for offsetting long and short
// positions in the same instrument (e.g. one currency pair): margined on the
// larger side only, as the FX margin rules allow.
func OffsettingMargin(longNotional, shortNotional *big.Rat, u registry.Underlying, at time.Time) (*big.Rat, error) {
	if longNotional == nil || shortNotional == nil || longNotional.Sign() < 0 || shortNotional.Sign() < 0 {
		return nil, registry.Errorf(registry.EINVALID, "long and short notionals must be non-negative amounts")
	}
	larger := longNotional
	if shortNotional.Cmp(longNotional) > 0 {
		larger = shortNotional
	}
	return InitialMargin(larger, u, at)
}

// decimal renders r without a fraction bar: "25", "25.01".
func decimal(r *big.Rat) string {
	if r.IsInt() {
		return r.RatString()
	}
	s := r.FloatString(6)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}
