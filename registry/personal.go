package registry

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Personal data: what a back office keeps about a holder besides the facts
// eligibility needs — the names and address the statutory register shows, the
// tax category distributions withhold by, contact details. It is kept off-chain,
// encrypted at rest, versioned with validity intervals, readable only by the
// investor's onboarding seller and operators (CanReadPersonalData), and every
// read is audited. The type redacts itself when printed or logged, so it can be
// passed around without leaking into a log line by accident.

// TaxCategory is how a distribution to the holder is taxed at source.
type TaxCategory string

const (
	// TaxIndividual is a resident individual (withholding on dividends and
	// interest at the individual rate).
	TaxIndividual TaxCategory = "INDIVIDUAL"
	// TaxLargeIndividual is a resident individual holding 3% or more of a
	// listed company's shares (a 大口株主, withheld at the income-tax rate only).
	TaxLargeIndividual TaxCategory = "LARGE_INDIVIDUAL"
	// TaxCorporation is a domestic corporation (income tax withheld only).
	TaxCorporation TaxCategory = "CORPORATION"
	// TaxExempt is a holder exempt from withholding (public corporations and
	// others listed in the Income Tax Act's appended tables).
	TaxExempt TaxCategory = "TAX_EXEMPT"
	// TaxNonResident is a non-resident individual or foreign corporation
	// (withheld at the non-resident rate unless a treaty applies).
	TaxNonResident TaxCategory = "NON_RESIDENT"
)

// TaxCategories lists every tax category, in the order documents show them.
var TaxCategories = []TaxCategory{TaxIndividual, TaxLargeIndividual, TaxCorporation, TaxExempt, TaxNonResident}

// Valid reports whether c is a known tax category.
func (c TaxCategory) Valid() bool {
	for _, k := range TaxCategories {
		if c == k {
			return true
		}
	}
	return false
}

// PersonalData is one version of a holder's personal data.
type PersonalData struct {
	LegalName          string      // 氏名 or 名称, as registered
	KanaName           string      // its reading in katakana (フリガナ)
	RepresentativeName string      // a corporation's representative (代表者); empty for individuals
	PostalCode         string      // NNN-NNNN
	Address            string      // 住所 or 所在地
	TaxCategory        TaxCategory // how distributions are withheld
	Email              string
	Phone              string
	ExternalRef        string // the seller's own reference (a back-office account number)
}

// redacted is what every printed or logged form of personal data shows.
const redacted = "[REDACTED]"

// String redacts: personal data printed with %v or %s shows nothing.
func (PersonalData) String() string { return "PersonalData" + redacted }

// GoString redacts %#v as well.
func (PersonalData) GoString() string { return "PersonalData" + redacted }

// LogValue redacts personal data in structured logs.
func (PersonalData) LogValue() slog.Value { return slog.StringValue(redacted) }

// Limits of the personal data fields, in characters.
const (
	maxNameChars    = 200
	maxAddressChars = 400
	maxShortChars   = 100
)

var (
	postalCodeRE = regexp.MustCompile(`^[0-9]{3}-[0-9]{4}$`)
	emailRE      = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	phoneRE      = regexp.MustCompile(`^\+?[0-9][0-9-]{6,19}$`)
)

// Normalize trims surrounding white space (ASCII and the ideographic space
// U+3000 a Japanese form often leaves) from every field and turns a postal
// code written without its hyphen into NNN-NNNN.
func (d *PersonalData) Normalize() {
	trim := func(s string) string { return strings.TrimFunc(s, unicode.IsSpace) }
	for _, f := range []*string{&d.LegalName, &d.KanaName, &d.RepresentativeName, &d.PostalCode, &d.Address, &d.Email, &d.Phone, &d.ExternalRef} {
		*f = trim(*f)
	}
	if len(d.PostalCode) == 7 && strings.Trim(d.PostalCode, "0123456789") == "" {
		d.PostalCode = d.PostalCode[:3] + "-" + d.PostalCode[3:]
	}
}

// Validate checks the data of an investor of the given person type: the legal
// name, its kana reading, the address and the tax category are required; a
// corporation names its representative and an individual does not; a postal
// code, when given, is a Japanese one. Errors are EINVALID and name the field.
func (d *PersonalData) Validate(person PersonType) error {
	type field struct {
		name, value string
		required    bool
		max         int
	}
	for _, f := range []field{
		{"legalName", d.LegalName, true, maxNameChars},
		{"kanaName", d.KanaName, true, maxNameChars},
		{"representativeName", d.RepresentativeName, false, maxNameChars},
		{"postalCode", d.PostalCode, false, 8},
		{"address", d.Address, true, maxAddressChars},
		{"email", d.Email, false, maxShortChars},
		{"phone", d.Phone, false, 20},
		{"externalRef", d.ExternalRef, false, maxShortChars},
	} {
		if f.required && f.value == "" {
			return Errorf(EINVALID, "%s is required", f.name)
		}
		if !utf8.ValidString(f.value) || strings.ContainsFunc(f.value, unicode.IsControl) {
			return Errorf(EINVALID, "%s holds invalid UTF-8 or a control character", f.name)
		}
		if utf8.RuneCountInString(f.value) > f.max {
			return Errorf(EINVALID, "%s is longer than %d characters", f.name, f.max)
		}
	}
	if !kana(d.KanaName) {
		return Errorf(EINVALID, "kanaName must be written in katakana (full-width), with spaces and the long-vowel mark allowed")
	}
	if d.PostalCode != "" && !postalCodeRE.MatchString(d.PostalCode) {
		return Errorf(EINVALID, "postalCode must be a Japanese postal code NNN-NNNN")
	}
	if d.Email != "" && !emailRE.MatchString(d.Email) {
		return Errorf(EINVALID, "email is not an e-mail address")
	}
	if d.Phone != "" && !phoneRE.MatchString(d.Phone) {
		return Errorf(EINVALID, "phone must be digits and hyphens, optionally starting with +")
	}
	if !d.TaxCategory.Valid() {
		return Errorf(EINVALID, "taxCategory must be one of %s", joinTax())
	}
	switch person {
	case PersonCorporation:
		if d.RepresentativeName == "" {
			return Errorf(EINVALID, "representativeName is required for a corporation")
		}
		if d.TaxCategory == TaxIndividual || d.TaxCategory == TaxLargeIndividual {
			return Errorf(EINVALID, "taxCategory %s is for individuals, not a corporation", d.TaxCategory)
		}
	case PersonIndividual:
		if d.RepresentativeName != "" {
			return Errorf(EINVALID, "representativeName is for corporations only")
		}
		if d.TaxCategory == TaxCorporation {
			return Errorf(EINVALID, "taxCategory CORPORATION is for corporations, not an individual")
		}
	}
	return nil
}

func joinTax() string {
	names := make([]string, len(TaxCategories))
	for i, c := range TaxCategories {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

// kana reports whether s is full-width katakana (with the middle dot, the
// long-vowel mark and spaces), the form Japanese registers keep readings in.
func kana(s string) bool {
	for _, r := range s {
		switch {
		case r >= 'ァ' && r <= 'ヺ', r == 'ー', r == '・', r == ' ', r == '　', r == 'ヽ', r == 'ヾ':
		default:
			return false
		}
	}
	return true
}

// PersonalRecord is one stored version of an investor's personal data, valid
// over [ValidFrom, ValidTo); ValidTo is nil for the current version. Data is
// nil and Redacted true when the caller may not read it.
type PersonalRecord struct {
	InvestorID int64
	Version    int
	ValidFrom  time.Time
	ValidTo    *time.Time
	RecordedAt time.Time
	RecordedBy string // the API key that recorded the version
	KeyID      string // the master key its data key is wrapped under
	Data       *PersonalData
	Redacted   bool
}

// PersonalDataChange is a new version of an investor's personal data.
// EffectiveFrom (default: now) dates it — an address change the investor
// reports a week late is effective from the day they moved; it must be after
// the current version's start and not in the future, so history is only ever
// appended to.
type PersonalDataChange struct {
	Data          PersonalData
	EffectiveFrom *time.Time
}

// PersonalDataService keeps investors' personal data. Reads are audited;
// callers other than the onboarding seller and operators get the records
// redacted.
type PersonalDataService interface {
	// SetPersonalData records a new version and closes the previous one at its
	// start, in one transaction.
	SetPersonalData(ctx context.Context, investorID int64, ch PersonalDataChange) (*PersonalRecord, error)
	// PersonalData returns the version valid at the instant at (nil: now).
	PersonalData(ctx context.Context, investorID int64, at *time.Time) (*PersonalRecord, error)
	// PersonalDataVersions lists every version, oldest first.
	PersonalDataVersions(ctx context.Context, investorID int64) ([]*PersonalRecord, error)
}
