package registry

import (
	"encoding/hex"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/sha3"
)

// maxUint256 is 2^256-1, the largest token amount an EVM can hold.
var maxUint256 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

// ParseID parses an id as clients write it: canonical decimal with no sign, no
// leading zero, greater than zero and within int64. Anything else ("+1", "01",
// " 1", "1e0") is not an id, so one resource has one spelling.
func ParseID(s string) (int64, bool) {
	n, ok := ParseCount(s)
	if !ok || n == 0 || n > math.MaxInt64 {
		return 0, false
	}
	return int64(n), true
}

// ParseCount parses a non-negative integer in canonical decimal: digits only,
// no leading zero except "0" itself, within uint64.
func ParseCount(s string) (uint64, bool) {
	if s == "" || len(s) > 20 || len(s) > 1 && s[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// ParseAmount parses a non-negative decimal integer string that fits in uint256.
func ParseAmount(field, s string) (*big.Int, error) {
	if s == "" || len(s) > 78 {
		return nil, Errorf(EINVALID, "%s must be a decimal integer string of 1 to 78 digits", field)
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return nil, Errorf(EINVALID, "%s must contain only decimal digits", field)
		}
	}
	if len(s) > 1 && s[0] == '0' {
		return nil, Errorf(EINVALID, "%s must not have leading zeros", field)
	}
	v, _ := new(big.Int).SetString(s, 10)
	if v.Cmp(maxUint256) > 0 {
		return nil, Errorf(EINVALID, "%s exceeds uint256", field)
	}
	return v, nil
}

// NormalizeWalletPair validates the two wallets of a move (a transfer's sender
// and receiver, a recovery's lost and new wallet): each an address, neither
// the zero address, and not the same one.
func NormalizeWalletPair(fieldA, a, fieldB, b string) (string, string, error) {
	a, err := NormalizeAddress(fieldA, a)
	if err != nil {
		return "", "", err
	}
	if b, err = NormalizeAddress(fieldB, b); err != nil {
		return "", "", err
	}
	switch {
	case a == b:
		return "", "", Errorf(EINVALID, "%s and %s must differ", fieldA, fieldB)
	case a == ZeroAddress || b == ZeroAddress:
		return "", "", Errorf(EINVALID, "%s and %s must not be the zero address", fieldA, fieldB)
	}
	return a, b, nil
}

// NormalizeAddress validates an EVM address and returns it in lower case. Mixed-case
// input must carry a valid EIP-55 checksum, so a mistyped address is caught.
func NormalizeAddress(field, s string) (string, error) {
	// Only a lower-case 0x prefix: "0X" is no address format any EVM tool writes.
	if len(s) != 42 || !strings.HasPrefix(s, "0x") {
		return "", Errorf(EINVALID, "%s must be a 0x-prefixed 20-byte hex address", field)
	}
	body := s[2:]
	if _, err := hex.DecodeString(body); err != nil {
		return "", Errorf(EINVALID, "%s is not hexadecimal", field)
	}
	lower := strings.ToLower(body)
	if body != lower && body != strings.ToUpper(body) && checksumHex(lower) != body {
		return "", Errorf(EINVALID, "%s has an invalid EIP-55 checksum", field)
	}
	return "0x" + lower, nil
}

// checksumHex applies EIP-55 mixed-case encoding to a lower-case hex address body.
func checksumHex(lower string) string {
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte(lower))
	digest := h.Sum(nil)
	out := []byte(lower)
	for i, c := range out {
		if c < 'a' {
			continue
		}
		nibble := digest[i/2]
		if i%2 == 0 {
			nibble >>= 4
		}
		if nibble&0x0f >= 8 {
			out[i] = c - 32
		}
	}
	return string(out)
}

// ValidCorporateNumber reports whether s is a Japanese corporate number: 13 digits
// whose first digit is the check digit over the other twelve (National Tax Agency
// rule: 9 - (Σ Pn×Qn mod 9), Pn counted from the right, Qn = 1 for odd n, 2 for even).
func ValidCorporateNumber(s string) bool {
	if len(s) != 13 {
		return false
	}
	sum := 0
	for n := 1; n <= 12; n++ {
		c := s[13-n]
		if c < '0' || c > '9' {
			return false
		}
		q := 1
		if n%2 == 0 {
			q = 2
		}
		sum += int(c-'0') * q
	}
	return s[0] >= '0' && s[0] <= '9' && int(s[0]-'0') == 9-sum%9
}

func requireText(field, s string, max int) error {
	if strings.TrimSpace(s) == "" {
		return Errorf(EINVALID, "%s is required", field)
	}
	return limitText(field, s, max)
}

// LimitText checks that s is valid UTF-8 of at most max characters.
func LimitText(field, s string, max int) error { return limitText(field, s, max) }

func limitText(field, s string, max int) error {
	if !utf8.ValidString(s) {
		return Errorf(EINVALID, "%s is not valid UTF-8", field)
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			return Errorf(EINVALID, "%s contains a control character", field)
		}
	}
	if utf8.RuneCountInString(s) > max {
		return Errorf(EINVALID, "%s is longer than %d characters", field, max)
	}
	return nil
}

func oneOf[T ~string](field string, v T, allowed ...T) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	return Errorf(EINVALID, "%s must be one of %s", field, strings.Join(names, ", "))
}

// Validate checks a seller's fields before it is stored.
func (s *Seller) Validate() error {
	if err := requireText("legalName", s.LegalName, 200); err != nil {
		return err
	}
	if !ValidCorporateNumber(s.CorporateNumber) {
		return Errorf(EINVALID, "corporateNumber must be a 13-digit Japanese corporate number with a valid check digit")
	}
	if err := requireText("fsaRegistration", s.FSARegistration, 100); err != nil {
		return err
	}
	if err := oneOf("licence", s.Licence, LicenceType1, LicenceType2, LicenceRegisteredFI); err != nil {
		return err
	}
	return oneOf("membership", s.Membership, MembershipFull, MembershipSupporting, MembershipNone)
}

// Validate checks an issuance's fields before it is stored.
func (i *Issuance) Validate() error {
	checks := []error{
		requireText("issuerName", i.IssuerName, 200),
		requireText("tokenName", i.TokenName, 100),
		requireText("tokenSymbol", i.TokenSymbol, 11),
		oneOf("legalForm", i.LegalForm, FormShare, FormBond, FormTrustBeneficiary, FormInvestmentUnit, FormFundInterest),
		oneOf("fieaClass", i.FIEAClass, ClassPara1Token, ClassERTR, ClassExcludedERTR),
		oneOf("offeringType", i.OfferingType, OfferingPublic, OfferingSmallNumberPrivate, OfferingQIIPrivate, OfferingSpecifiedInvestorPrivate),
		oneOf("product.class", i.Product.Class, ProductNone, ProductDerivative, ProductCFD),
		oneOf("product.wrapper", i.Product.Wrapper, WrapperNone, WrapperDirect, WrapperDomesticETF, WrapperOverseasETF),
		oneOf("product.underlying", i.Product.Underlying, UnderlyingNone, UnderlyingFX, UnderlyingCryptoAsset, UnderlyingStockIndex, UnderlyingSingleStock, UnderlyingBond, UnderlyingRealEstate, UnderlyingOther),
	}
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	if err := checkTimes(map[string]*time.Time{"lockupEnd": i.LockupEnd, "offeringStart": i.OfferingStart, "offeringEnd": i.OfferingEnd}); err != nil {
		return err
	}
	if i.Decimals < 0 || i.Decimals > 18 {
		return Errorf(EINVALID, "decimals must be between 0 and 18")
	}
	if i.MaxHolders < 0 || i.MaxHolders > 1_000_000_000 {
		return Errorf(EINVALID, "maxHolders must be between 0 (unlimited) and 1000000000")
	}
	if i.OfferingType == OfferingSmallNumberPrivate && i.MaxHolders > DefaultSmallNumberMaxHolders {
		return Errorf(EINVALID, "a small-number private placement allows at most %d holders", DefaultSmallNumberMaxHolders)
	}
	if i.MinHolding != nil && i.MaxHolding != nil && i.MinHolding.Cmp(i.MaxHolding) > 0 {
		return Errorf(EINVALID, "minHolding must not exceed maxHolding")
	}
	if i.OfferingStart != nil && i.OfferingEnd != nil && i.OfferingEnd.Before(*i.OfferingStart) {
		return Errorf(EINVALID, "offeringEnd must not be before offeringStart")
	}
	for _, list := range []struct {
		field string
		codes []string
	}{{"allowedCountries", i.AllowedCountries}, {"deniedCountries", i.DeniedCountries}} {
		if len(list.codes) > 300 {
			return Errorf(EINVALID, "%s has too many entries", list.field)
		}
		for _, c := range list.codes {
			if !ValidCountry(c) {
				return Errorf(EINVALID, "%s: %q is not an ISO 3166-1 alpha-2 country code", list.field, c)
			}
		}
	}
	if i.Product.Leverage != "" {
		if _, ok := new(big.Rat).SetString(i.Product.Leverage); !ok || strings.ContainsAny(i.Product.Leverage, "/eE") {
			return Errorf(EINVALID, "product.leverage must be a decimal number such as \"25\" or \"2.5\"")
		}
		if r, _ := new(big.Rat).SetString(i.Product.Leverage); r.Cmp(big.NewRat(1, 1)) < 0 {
			return Errorf(EINVALID, "product.leverage must be at least 1")
		}
	}
	if i.Product.Class == ProductNone && i.Product.Leverage != "" {
		return Errorf(EINVALID, "product.leverage requires product.class DERIVATIVE or CFD")
	}
	return nil
}

// Validate checks an investor's fields before it is stored.
func (inv *Investor) Validate() error {
	if err := requireText("customerRef", inv.CustomerRef, 100); err != nil {
		return err
	}
	if err := oneOf("personType", inv.PersonType, PersonIndividual, PersonCorporation); err != nil {
		return err
	}
	if !ValidCountry(inv.ResidenceCountry) {
		return Errorf(EINVALID, "residenceCountry must be an ISO 3166-1 alpha-2 country code")
	}
	if err := checkTimes(map[string]*time.Time{"dateOfBirth": inv.DateOfBirth, "screening.sanctionsCheckedAt": inv.SanctionsCheckedAt,
		"screening.antisocialCheckedAt": inv.AntisocialCheckedAt}); err != nil {
		return err
	}
	if inv.PersonType == PersonCorporation && inv.DateOfBirth != nil {
		return Errorf(EINVALID, "dateOfBirth applies to individuals only")
	}
	if err := validateKYC(KYCUpdate{Status: inv.KYCStatus, Method: inv.KYCMethod, VerifiedAt: inv.KYCVerifiedAt, ReviewDue: inv.KYCReviewDue}); err != nil {
		return err
	}
	if err := oneOf("sanctions", inv.Sanctions, ScreeningNone, ScreeningClear, ScreeningHit); err != nil {
		return err
	}
	if err := oneOf("antisocial", inv.Antisocial, ScreeningNone, ScreeningClear, ScreeningHit); err != nil {
		return err
	}
	if err := ValidateCategories(inv.Categories); err != nil {
		return err
	}
	if len(inv.Wallets) > 100 {
		return Errorf(EINVALID, "an investor may have at most 100 wallets")
	}
	return limitText("frozenReason", inv.FrozenReason, 500)
}

// Validate checks a KYC update.
func (u KYCUpdate) Validate() error { return validateKYC(u) }

func validateKYC(u KYCUpdate) error {
	if err := oneOf("kyc.status", u.Status, KYCNone, KYCPending, KYCVerified, KYCRejected); err != nil {
		return err
	}
	if err := limitText("kyc.method", u.Method, 100); err != nil {
		return err
	}
	if err := checkTimes(map[string]*time.Time{"kyc.verifiedAt": u.VerifiedAt, "kyc.reviewDue": u.ReviewDue}); err != nil {
		return err
	}
	if u.Status == KYCVerified && (u.VerifiedAt == nil || u.ReviewDue == nil) {
		return Errorf(EINVALID, "a VERIFIED KYC needs verifiedAt and reviewDue")
	}
	if u.VerifiedAt != nil && u.ReviewDue != nil && u.ReviewDue.Before(*u.VerifiedAt) {
		return Errorf(EINVALID, "kyc.reviewDue must not be before kyc.verifiedAt")
	}
	return nil
}

// Validate checks a screening update.
func (u ScreeningUpdate) Validate() error {
	if err := oneOf("sanctions", u.Sanctions, ScreeningNone, ScreeningClear, ScreeningHit); err != nil {
		return err
	}
	if err := oneOf("antisocial", u.Antisocial, ScreeningNone, ScreeningClear, ScreeningHit); err != nil {
		return err
	}
	if u.CheckedAt.IsZero() {
		return Errorf(EINVALID, "checkedAt is required")
	}
	return CheckTime("checkedAt", &u.CheckedAt)
}

// ValidateCategories checks category grants: known categories, ordered windows, no
// duplicates, and the specified-investor opt-in lasting at most one year.
func ValidateCategories(grants []CategoryGrant) error {
	if len(grants) > 20 {
		return Errorf(EINVALID, "at most 20 category grants")
	}
	seen := map[Category]bool{}
	for _, g := range grants {
		if err := oneOf("categories.category", g.Category, CategoryQII, CategorySpecifiedInvestor, CategoryGeneral); err != nil {
			return err
		}
		if seen[g.Category] {
			return Errorf(EINVALID, "category %s is listed twice", g.Category)
		}
		seen[g.Category] = true
		if err := checkTimes(map[string]*time.Time{"categories.validFrom": &g.ValidFrom, "categories.validTo": &g.ValidTo}); err != nil {
			return err
		}
		if g.ValidFrom.IsZero() || g.ValidTo.IsZero() || g.ValidTo.Before(g.ValidFrom) {
			return Errorf(EINVALID, "category %s needs validFrom <= validTo", g.Category)
		}
		if g.Category == CategorySpecifiedInvestor && g.ValidTo.After(g.ValidFrom.AddDate(1, 0, 0)) {
			return Errorf(EINVALID, "a specified-investor opt-in lasts at most one year")
		}
	}
	return nil
}

// ValidateStatusChange checks a seller status change.
func (c SellerStatusChange) Validate() error {
	if err := oneOf("status", c.Status, SellerActive, SellerSuspended, SellerRevoked); err != nil {
		return err
	}
	if !c.EffectiveAt.IsZero() {
		if err := CheckTime("effectiveAt", &c.EffectiveAt); err != nil {
			return err
		}
	}
	return limitText("reason", c.Reason, 500)
}

// CheckTime refuses instants outside years 1–9999 in UTC: they cannot be stored
// or rendered as RFC 3339, and no real date in this domain is near them.
func CheckTime(field string, t *time.Time) error {
	if t == nil {
		return nil
	}
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return Errorf(EINVALID, "%s must be between years 1 and 9999", field)
	}
	return nil
}

func checkTimes(fields map[string]*time.Time) error {
	for name, t := range fields {
		if err := CheckTime(name, t); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks a seller list filter; an empty status means any.
func (f SellerFilter) Validate() error {
	if f.Status == "" {
		return nil
	}
	return oneOf("status", f.Status, SellerActive, SellerSuspended, SellerRevoked)
}

// Validate checks an issuance list filter; an empty status means any.
func (f IssuanceFilter) Validate() error {
	if f.Status == "" {
		return nil
	}
	return oneOf("status", f.Status, IssuanceDraft, IssuanceRegistered, IssuanceOffering, IssuanceIssued, IssuanceSuspended, IssuanceRedeemed)
}

// Validate checks an investor list filter; an empty KYC status means any.
func (f InvestorFilter) Validate() error {
	if f.KYCStatus != "" {
		if err := oneOf("kycStatus", f.KYCStatus, KYCNone, KYCPending, KYCVerified, KYCRejected); err != nil {
			return err
		}
	}
	return limitText("customerRef", f.CustomerRef, 100)
}

// Validate checks a whitelist filter; an empty status means any.
func (f WhitelistFilter) Validate() error {
	if f.Status == "" {
		return nil
	}
	return oneOf("status", f.Status, WhitelistApproved, WhitelistRevoked)
}
