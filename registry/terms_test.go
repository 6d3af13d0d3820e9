package registry

import (
	"encoding/json"
	"math/big"
	"slices"
	"testing"
	"time"
)

func TestTermsValidate(t *testing.T) {
	n := 10
	end := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		t    Terms
		ok   bool
	}{
		{"lock-up", Terms{LockupEnd: &end}, true},
		{"clear only", Terms{Clear: []string{"supplyCap"}}, true},
		{"nothing", Terms{}, false},
		{"set and clear", Terms{LockupEnd: &end, Clear: []string{"lockupEnd"}}, false},
		{"clear twice", Terms{Clear: []string{"offeringEnd", "offeringEnd"}}, false},
		{"clear a required term", Terms{Clear: []string{"maxHolders"}}, false},
		{"zero cap", Terms{SupplyCap: big.NewInt(0)}, false},
		{"negative holders", Terms{MaxHolders: func() *int { v := -1; return &v }()}, false},
		{"holders", Terms{MaxHolders: &n}, true},
	} {
		if err := tc.t.Validate(); (err == nil) != tc.ok {
			t.Errorf("%s: Validate = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

func TestTermsApplyTouchedOnChain(t *testing.T) {
	oldEnd := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	iss := &Issuance{ID: 1, IssuerName: "I", TokenName: "T", TokenSymbol: "T", Decimals: 0, LegalForm: FormShare,
		FIEAClass: ClassPara1Token, OfferingType: OfferingSmallNumberPrivate, MaxHolders: 49, LockupEnd: &oldEnd,
		AllowedCountries: []string{}, DeniedCountries: []string{"KP"}, Status: IssuanceIssued,
		Product: Product{Class: ProductNone, Wrapper: WrapperNone, Underlying: UnderlyingNone}}
	newEnd := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	zero := 0
	ch := Terms{LockupEnd: &newEnd, MaxHolders: &zero, AllowedCountries: []string{"JP"}, SupplyCap: big.NewInt(1000), Clear: []string{"deniedCountries"}}
	if err := ch.Validate(); err != nil {
		t.Fatal(err)
	}
	after, err := ch.Apply(iss)
	if err != nil {
		t.Fatal(err)
	}
	if !after.LockupEnd.Equal(newEnd) || after.MaxHolders != 49 || !slices.Equal(after.AllowedCountries, []string{"JP"}) ||
		len(after.DeniedCountries) != 0 || after.SupplyCap.Int64() != 1000 {
		t.Errorf("Apply = %+v", after)
	}
	if iss.LockupEnd != &oldEnd || len(iss.DeniedCountries) != 1 {
		t.Error("Apply changed its input")
	}
	prev := ch.Touched(iss)
	if !prev.LockupEnd.Equal(oldEnd) || *prev.MaxHolders != 49 || !slices.Equal(prev.DeniedCountries, []string{"KP"}) ||
		!slices.Equal(prev.Clear, []string{"allowedCountries", "supplyCap"}) {
		t.Errorf("Touched = %+v", prev)
	}
	// Applying what a change replaced restores the issuance.
	back, err := prev.Apply(after)
	if err != nil {
		t.Fatal(err)
	}
	if !back.LockupEnd.Equal(oldEnd) || back.SupplyCap != nil || !slices.Equal(back.DeniedCountries, []string{"KP"}) || len(back.AllowedCountries) != 0 {
		t.Errorf("undo = %+v", back)
	}
	if got := OnChain(iss, after); !slices.Equal(got, []string{"lockupEnd", "countryRule", "supplyCap"}) {
		t.Errorf("OnChain = %v (the holder cap stays 49)", got)
	}
	bad := Terms{OfferingStart: &newEnd, OfferingEnd: &oldEnd}
	if _, err := bad.Apply(iss); ErrorCode(err) != EINVALID {
		t.Errorf("an offering window ending before it starts: %v", err)
	}
}

func TestSetTermsRequestRoundTrip(t *testing.T) {
	c := ChainTerms{LockupEnd: 1800000000, MaxHolders: 40, AllowList: true, Countries: []string{"JP", "SG"}, SupplyCap: big.NewInt(5000)}
	op := &Operation{ID: 3, Kind: OpSetTerms, Request: SetTermsRequest(9, c, []string{"lockupEnd", "maxHolders", "countryRule", "supplyCap"})}
	got, settings, err := ParseSetTerms(op)
	if err != nil {
		t.Fatal(err)
	}
	if len(settings) != 4 || got.LockupEnd != c.LockupEnd || got.MaxHolders != 40 || !got.AllowList ||
		!slices.Equal(got.Countries, c.Countries) || got.SupplyCap.Cmp(c.SupplyCap) != 0 || op.Request["termChange"] != "9" {
		t.Errorf("round trip = %+v %v", got, settings)
	}
	none := &Operation{ID: 4, Request: SetTermsRequest(1, ChainTerms{}, []string{"supplyCap", "countryRule"})}
	got, _, err = ParseSetTerms(none)
	if err != nil || got.SupplyCap != nil || got.AllowList || len(got.Countries) != 0 {
		t.Errorf("no cap, empty deny-list = %+v, %v", got, err)
	}
	for _, req := range []map[string]string{{}, {"settings": "lockupEnd"}, {"settings": "lockupEnd", "lockupEnd": "-1"},
		{"settings": "countryRule", "countryRule": "both:JP"}, {"settings": "colour", "colour": "red"}} {
		if _, _, err := ParseSetTerms(&Operation{Request: req}); err == nil {
			t.Errorf("ParseSetTerms(%v) accepted", req)
		}
	}
}

func TestTermsJSONKeepsTheSupplyCapExact(t *testing.T) {
	v, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	b, err := json.Marshal(Terms{SupplyCap: v})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"supplyCap":"123456789012345678901234567890"}` {
		t.Errorf("marshal = %s", b)
	}
	var back Terms
	if err := json.Unmarshal(b, &back); err != nil || back.SupplyCap.Cmp(v) != 0 {
		t.Errorf("unmarshal = %v, %v", back.SupplyCap, err)
	}
}
