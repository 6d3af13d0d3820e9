package registry

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Bulk onboarding: many investors (with wallets, KYC, screening and
// categories) and their whitelist approvals in one upload, validated row by
// row, then applied all or nothing. A row is keyed by its customer reference,
// so uploading the same rows again changes nothing.

// MaxBulkRows bounds one upload (and one allocation).
const MaxBulkRows = 20_000

// BulkMode says whether an upload is only checked or also written.
type BulkMode string

const (
	BulkValidate BulkMode = "validate" // check every row, write nothing
	BulkApply    BulkMode = "apply"    // write every row in one transaction, or none
)

// BulkOutcome is what happened (or, validating, would happen) to one row.
type BulkOutcome string

const (
	BulkCreated   BulkOutcome = "CREATED"   // the investor is new (its approvals too)
	BulkApproved  BulkOutcome = "APPROVED"  // the investor existed unchanged; an approval is new or changed
	BulkUnchanged BulkOutcome = "UNCHANGED" // everything in the row is already recorded
	BulkFailed    BulkOutcome = "ERROR"     // the row is refused (code and message say why)
)

// BulkApproval is one whitelist approval a row asks for.
type BulkApproval struct {
	IssuanceID int64      `json:"issuanceId"`
	ValidUntil *time.Time `json:"validUntil,omitempty"`
}

// BulkRow is one investor row of an upload. Err is set when the row could not
// be read (a malformed date, an unknown column value); such a row is reported
// and never written. Personal is the investor's personal data when the row
// carries any (nil otherwise); it is sealed in the upload's transaction.
type BulkRow struct {
	Line      int // 1-based: the CSV line, or the JSON array index + 1
	Investor  Investor
	Approvals []BulkApproval
	Personal  *PersonalData
	Err       error
}

// BulkUpload is one upload: its rows, the seller they are onboarded for (an
// operator names it; a seller's key implies its own) and the mode.
type BulkUpload struct {
	SellerID int64
	Mode     BulkMode
	Rows     []BulkRow
}

// BulkRowResult is one row's outcome.
type BulkRowResult struct {
	Line        int         `json:"line"`
	CustomerRef string      `json:"customerRef,omitempty"`
	Outcome     BulkOutcome `json:"outcome"`
	InvestorID  int64       `json:"investorId,omitempty"`
	// Approved lists the issuances this row approves anew (or re-approves
	// with a changed valid-until).
	Approved []int64 `json:"approved,omitempty"`
	Code     string  `json:"code,omitempty"`   // the error code (invalid, conflict, not_found, refused)
	Reason   string  `json:"reason,omitempty"` // the reason code's name when a rule refused the row
	Message  string  `json:"message,omitempty"`
}

// BulkResult is an upload's answer: every row's outcome, in line order.
type BulkResult struct {
	Mode      BulkMode        `json:"mode"`
	Applied   bool            `json:"applied"` // true only when apply wrote the upload
	Rows      int             `json:"rows"`
	Created   int             `json:"created"`
	Approved  int             `json:"approved"`
	Unchanged int             `json:"unchanged"`
	Failed    int             `json:"failed"`
	Results   []BulkRowResult `json:"results"`
}

// Tally fills the counters from Results.
func (r *BulkResult) Tally() {
	r.Rows, r.Created, r.Approved, r.Unchanged, r.Failed = len(r.Results), 0, 0, 0, 0
	for _, x := range r.Results {
		switch x.Outcome {
		case BulkCreated:
			r.Created++
		case BulkApproved:
			r.Approved++
		case BulkUnchanged:
			r.Unchanged++
		case BulkFailed:
			r.Failed++
		}
	}
}

// RowFailure is a BulkRowResult for a refused row.
func RowFailure(line int, ref string, err error) BulkRowResult {
	r := BulkRowResult{Line: line, CustomerRef: ref, Outcome: BulkFailed, Code: ErrorCode(err), Message: ErrorMessage(err)}
	var de *Error
	if errors.As(err, &de) && len(de.Reasons) > 0 {
		r.Reason = de.Reasons[0].Code.String()
	}
	return r
}

// BulkService onboards investors in bulk; the store implements it.
type BulkService interface {
	BulkOnboard(ctx context.Context, u BulkUpload) (*BulkResult, error)
}

// PrepareBulkRow checks one row on its own (no database): the investor's
// fields as CreateInvestor checks them, wallets normalised, approvals well
// formed. It fills defaults the way single onboarding does.
func PrepareBulkRow(r *BulkRow) error {
	if r.Err != nil {
		return r.Err
	}
	inv := &r.Investor
	if inv.KYCStatus == "" {
		inv.KYCStatus = KYCNone
	}
	if inv.Sanctions == "" {
		inv.Sanctions = ScreeningNone
	}
	if inv.Antisocial == "" {
		inv.Antisocial = ScreeningNone
	}
	if err := inv.Validate(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i := range inv.Wallets {
		addr, err := NormalizeAddress("wallets", inv.Wallets[i].Address)
		if err != nil {
			return err
		}
		if err := CheckHolderAddress("wallets", addr); err != nil {
			return err
		}
		if seen[addr] {
			return Errorf(EINVALID, "wallet %s is listed twice", addr)
		}
		seen[addr] = true
		inv.Wallets[i].Address = addr
	}
	if len(r.Approvals) > 50 {
		return Errorf(EINVALID, "a row may approve at most 50 issuances")
	}
	ids := map[int64]bool{}
	for _, a := range r.Approvals {
		if a.IssuanceID <= 0 {
			return Errorf(EINVALID, "approveIssuances holds an invalid issuance id")
		}
		if ids[a.IssuanceID] {
			return Errorf(EINVALID, "issuance %d is listed twice", a.IssuanceID)
		}
		ids[a.IssuanceID] = true
		if err := CheckTime("approvalValidUntil", a.ValidUntil); err != nil {
			return err
		}
	}
	if r.Personal != nil {
		r.Personal.Normalize()
		if err := r.Personal.Validate(inv.PersonType); err != nil {
			return err
		}
	}
	return nil
}

// SameOnboarding reports whether a stored investor already holds everything
// a row onboards: the keyed identity data, KYC, screening, categories and
// wallets (as a set). Stored-only state (frozen, personal data, timestamps) is
// not part of a row.
func SameOnboarding(stored, row *Investor) bool {
	if stored.PersonType != row.PersonType || stored.ResidenceCountry != row.ResidenceCountry ||
		!sameTime(stored.DateOfBirth, row.DateOfBirth) || stored.KYCStatus != row.KYCStatus ||
		stored.KYCMethod != row.KYCMethod || !sameTime(stored.KYCVerifiedAt, row.KYCVerifiedAt) ||
		!sameTime(stored.KYCReviewDue, row.KYCReviewDue) || stored.Sanctions != row.Sanctions ||
		!sameTime(stored.SanctionsCheckedAt, row.SanctionsCheckedAt) || stored.Antisocial != row.Antisocial ||
		!sameTime(stored.AntisocialCheckedAt, row.AntisocialCheckedAt) {
		return false
	}
	if len(stored.Categories) != len(row.Categories) || len(stored.Wallets) != len(row.Wallets) {
		return false
	}
	cats := map[Category]CategoryGrant{}
	for _, g := range stored.Categories {
		cats[g.Category] = g
	}
	for _, g := range row.Categories {
		s, ok := cats[g.Category]
		if !ok || !s.ValidFrom.Equal(g.ValidFrom) || !s.ValidTo.Equal(g.ValidTo) {
			return false
		}
	}
	wallets := map[string]bool{}
	for _, w := range stored.Wallets {
		wallets[w.Address] = true
	}
	for _, w := range row.Wallets {
		if !wallets[w.Address] {
			return false
		}
	}
	return true
}

// SameValidUntil reports whether two approvals' valid-until are the same instant (or both open).
func SameValidUntil(a, b *time.Time) bool { return sameTime(a, b) }

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// Bulk CSV columns, in the order a template lists them. Only customerRef,
// personType and residenceCountry are required columns; the others may be
// left out of the header. The personal data columns (legalName to
// externalRef) are optional as a group: a row that fills any of them carries
// personal data and is checked as PUT /v1/investors/{id}/personal-data checks
// it (legal name, kana name, address and tax category required).
var BulkColumns = []string{
	"customerRef", "personType", "residenceCountry", "dateOfBirth", "wallets",
	"kycStatus", "kycMethod", "kycVerifiedAt", "kycReviewDue",
	"sanctions", "sanctionsCheckedAt", "antisocial", "antisocialCheckedAt",
	"categories", "approveIssuances", "approvalValidUntil",
	"legalName", "kanaName", "representativeName", "postalCode", "address",
	"taxCategory", "email", "phone", "externalRef",
}

// bulkPersonal builds a row's personal data from its fields, nil when the row
// fills none of them.
func bulkPersonal(d PersonalData) *PersonalData {
	if d == (PersonalData{}) {
		return nil
	}
	return &d
}

// ParseBulkCSV reads an upload in CSV (UTF-8, an optional BOM, a header row
// naming the columns). Lists inside a cell are separated by ';': wallets
// "0xab…;0xcd…", issuance ids "12;13", categories "QII@2026-04-01T00:00:00Z/2027-03-31T23:59:59Z"
// (category@validFrom/validTo in RFC 3339). Dates of birth
// are YYYY-MM-DD, other instants RFC 3339. A row that cannot be read is
// returned with Err; a malformed header or file is an error.
func ParseBulkCSV(r io.Reader) ([]BulkRow, error) {
	cr := csv.NewReader(skipBOM(r))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, Errorf(EINVALID, "the CSV is empty: a header row is required")
		}
		return nil, Errorf(EINVALID, "CSV header: %v", err)
	}
	col := map[string]int{}
	known := map[string]bool{}
	for _, c := range BulkColumns {
		known[c] = true
	}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if !known[h] {
			return nil, Errorf(EINVALID, "unknown CSV column %q (columns: %s)", truncate(h, 40), strings.Join(BulkColumns, ", "))
		}
		if _, dup := col[h]; dup {
			return nil, Errorf(EINVALID, "CSV column %q appears twice", h)
		}
		col[h] = i
	}
	for _, need := range []string{"customerRef", "personType", "residenceCountry"} {
		if _, ok := col[need]; !ok {
			return nil, Errorf(EINVALID, "CSV column %q is required", need)
		}
	}
	var rows []BulkRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// FieldsPerRecord is -1, so this is malformed CSV (a bare or
			// unterminated quote): the rows after it cannot be told apart.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, Errorf(EINVALID, "CSV line %d: %v", pe.StartLine, pe.Err)
			}
			return nil, Errorf(EINVALID, "the CSV could not be read")
		}
		line, _ := cr.FieldPos(0)
		if len(rows) >= MaxBulkRows {
			return nil, Errorf(ETOOLARGE, "an upload holds at most %d rows", MaxBulkRows)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		row := BulkRow{Line: line}
		if len(rec) != len(header) {
			row.Err = Errorf(EINVALID, "the row has %d fields, the header %d", len(rec), len(header))
		} else {
			get := func(name string) string {
				if i, ok := col[name]; ok {
					return strings.TrimSpace(rec[i])
				}
				return ""
			}
			row.Investor, row.Approvals, row.Err = csvRow(get)
			row.Personal = bulkPersonal(PersonalData{LegalName: get("legalName"), KanaName: get("kanaName"),
				RepresentativeName: get("representativeName"), PostalCode: get("postalCode"), Address: get("address"),
				TaxCategory: TaxCategory(get("taxCategory")), Email: get("email"), Phone: get("phone"), ExternalRef: get("externalRef")})
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func csvRow(get func(string) string) (inv Investor, approvals []BulkApproval, err error) {
	inv = Investor{CustomerRef: get("customerRef"), PersonType: PersonType(get("personType")),
		ResidenceCountry: get("residenceCountry"), KYCStatus: KYCStatus(get("kycStatus")), KYCMethod: get("kycMethod"),
		Sanctions: ScreeningResult(get("sanctions")), Antisocial: ScreeningResult(get("antisocial"))}
	if v := get("dateOfBirth"); v != "" {
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return inv, nil, Errorf(EINVALID, "dateOfBirth must be YYYY-MM-DD")
		}
		inv.DateOfBirth = &d
	}
	for _, f := range []struct {
		name string
		dst  **time.Time
	}{{"kycVerifiedAt", &inv.KYCVerifiedAt}, {"kycReviewDue", &inv.KYCReviewDue},
		{"sanctionsCheckedAt", &inv.SanctionsCheckedAt}, {"antisocialCheckedAt", &inv.AntisocialCheckedAt}} {
		if *f.dst, err = csvTime(f.name, get(f.name)); err != nil {
			return inv, nil, err
		}
	}
	for _, w := range splitList(get("wallets")) {
		inv.Wallets = append(inv.Wallets, Wallet{Address: w})
	}
	for _, c := range splitList(get("categories")) {
		g, err := parseGrant(c)
		if err != nil {
			return inv, nil, err
		}
		inv.Categories = append(inv.Categories, g)
	}
	until, err := csvTime("approvalValidUntil", get("approvalValidUntil"))
	if err != nil {
		return inv, nil, err
	}
	for _, s := range splitList(get("approveIssuances")) {
		id, ok := ParseID(s)
		if !ok {
			return inv, nil, Errorf(EINVALID, "approveIssuances: %q is not an issuance id", truncate(s, 30))
		}
		approvals = append(approvals, BulkApproval{IssuanceID: id, ValidUntil: until})
	}
	if until != nil && len(approvals) == 0 {
		return inv, nil, Errorf(EINVALID, "approvalValidUntil needs approveIssuances")
	}
	return inv, approvals, nil
}

func csvTime(field, v string) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, Errorf(EINVALID, "%s must be an RFC 3339 time", field)
	}
	t = t.UTC()
	return &t, nil
}

// parseGrant reads "QII@validFrom/validTo" (RFC 3339 instants; the grant
// needs both, as in the investor API).
func parseGrant(s string) (CategoryGrant, error) {
	cat, window, _ := strings.Cut(s, "@")
	g := CategoryGrant{Category: Category(strings.TrimSpace(cat))}
	from, to, ok := strings.Cut(window, "/")
	if !ok {
		return g, Errorf(EINVALID, "categories: %q must be CATEGORY@validFrom/validTo", truncate(s, 60))
	}
	for _, b := range []struct {
		v   string
		dst *time.Time
	}{{from, &g.ValidFrom}, {to, &g.ValidTo}} {
		t, err := csvTime("categories", strings.TrimSpace(b.v))
		if err != nil {
			return g, err
		}
		if t != nil {
			*b.dst = *t
		}
	}
	return g, nil
}

func splitList(v string) []string {
	if v == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(v, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// bulkJSONRow is one row of a JSON upload: the CSV columns as typed fields.
type bulkJSONRow struct {
	CustomerRef         string          `json:"customerRef"`
	PersonType          PersonType      `json:"personType"`
	ResidenceCountry    string          `json:"residenceCountry"`
	DateOfBirth         *string         `json:"dateOfBirth"`
	Wallets             []string        `json:"wallets"`
	KYCStatus           KYCStatus       `json:"kycStatus"`
	KYCMethod           string          `json:"kycMethod"`
	KYCVerifiedAt       *time.Time      `json:"kycVerifiedAt"`
	KYCReviewDue        *time.Time      `json:"kycReviewDue"`
	Sanctions           ScreeningResult `json:"sanctions"`
	SanctionsCheckedAt  *time.Time      `json:"sanctionsCheckedAt"`
	Antisocial          ScreeningResult `json:"antisocial"`
	AntisocialCheckedAt *time.Time      `json:"antisocialCheckedAt"`
	Categories          []CategoryGrant `json:"categories"`
	Approvals           []BulkApproval  `json:"approvals"`
	// Personal data, optional as in the CSV.
	LegalName          string      `json:"legalName"`
	KanaName           string      `json:"kanaName"`
	RepresentativeName string      `json:"representativeName"`
	PostalCode         string      `json:"postalCode"`
	Address            string      `json:"address"`
	TaxCategory        TaxCategory `json:"taxCategory"`
	Email              string      `json:"email"`
	Phone              string      `json:"phone"`
	ExternalRef        string      `json:"externalRef"`
}

// ParseBulkJSON reads an upload as a JSON array of rows (the CSV's columns as
// fields; wallets a list of addresses, categories as in the investor API,
// approvals a list of {issuanceId, validUntil}). A row whose fields do not
// decode is returned with Err; a body that is not an array is an error.
func ParseBulkJSON(body []byte) ([]BulkRow, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, Errorf(EINVALID, "the body must be a JSON array of rows")
	}
	if len(raw) > MaxBulkRows {
		return nil, Errorf(ETOOLARGE, "an upload holds at most %d rows", MaxBulkRows)
	}
	rows := make([]BulkRow, len(raw))
	for i, m := range raw {
		rows[i].Line = i + 1
		var j bulkJSONRow
		dec := json.NewDecoder(bytes.NewReader(m))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&j); err != nil {
			rows[i].Err = Errorf(EINVALID, "row %d does not decode: %s", i+1, truncate(err.Error(), 120))
			continue
		}
		inv := Investor{CustomerRef: j.CustomerRef, PersonType: j.PersonType, ResidenceCountry: j.ResidenceCountry,
			KYCStatus: j.KYCStatus, KYCMethod: j.KYCMethod, KYCVerifiedAt: utcTime(j.KYCVerifiedAt), KYCReviewDue: utcTime(j.KYCReviewDue),
			Sanctions: j.Sanctions, SanctionsCheckedAt: utcTime(j.SanctionsCheckedAt), Antisocial: j.Antisocial,
			AntisocialCheckedAt: utcTime(j.AntisocialCheckedAt), Categories: j.Categories}
		if j.DateOfBirth != nil {
			d, err := time.Parse(time.DateOnly, *j.DateOfBirth)
			if err != nil {
				rows[i].Err = Errorf(EINVALID, "dateOfBirth must be YYYY-MM-DD")
				continue
			}
			inv.DateOfBirth = &d
		}
		for k := range inv.Categories {
			inv.Categories[k].ValidFrom = inv.Categories[k].ValidFrom.UTC()
			inv.Categories[k].ValidTo = inv.Categories[k].ValidTo.UTC()
		}
		for _, w := range j.Wallets {
			inv.Wallets = append(inv.Wallets, Wallet{Address: w})
		}
		for k := range j.Approvals {
			j.Approvals[k].ValidUntil = utcTime(j.Approvals[k].ValidUntil)
		}
		rows[i].Investor, rows[i].Approvals = inv, j.Approvals
		rows[i].Personal = bulkPersonal(PersonalData{LegalName: j.LegalName, KanaName: j.KanaName,
			RepresentativeName: j.RepresentativeName, PostalCode: j.PostalCode, Address: j.Address, TaxCategory: j.TaxCategory,
			Email: j.Email, Phone: j.Phone, ExternalRef: j.ExternalRef})
	}
	return rows, nil
}

func utcTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func skipBOM(r io.Reader) io.Reader {
	br := &bomReader{r: r}
	return br
}

// bomReader drops a leading UTF-8 byte order mark (Excel writes one).
type bomReader struct {
	r    io.Reader
	done bool
	buf  []byte
}

func (b *bomReader) Read(p []byte) (int, error) {
	if !b.done {
		b.done = true
		head := make([]byte, 3)
		n, err := io.ReadFull(b.r, head)
		head = head[:n]
		if !bytes.Equal(head, []byte{0xEF, 0xBB, 0xBF}) {
			b.buf = head
		}
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			return 0, err
		}
	}
	if len(b.buf) > 0 {
		n := copy(p, b.buf)
		b.buf = b.buf[n:]
		return n, nil
	}
	return b.r.Read(p)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// ---------------------------------------------------------------- allocation

// AllocationRow is one row of a primary allocation: who receives how much.
// The receiver is named by an investor id (its first wallet receives) or by a
// wallet address.
type AllocationRow struct {
	Line       int
	InvestorID int64
	Wallet     string // lower-case 0x hex; set from the investor when empty
	Amount     *big.Int
	Err        error
}

// ParseAllocationCSV reads an allocation: a header with "amount" and either
// "investorId" or "wallet" (or both; a row fills one), one row per receiver.
func ParseAllocationCSV(r io.Reader) ([]AllocationRow, error) {
	cr := csv.NewReader(skipBOM(r))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, Errorf(EINVALID, "an allocation CSV needs a header row (investorId or wallet, amount)")
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if !slices.Contains([]string{"investorId", "wallet", "amount"}, h) {
			return nil, Errorf(EINVALID, "unknown CSV column %q (columns: investorId, wallet, amount)", truncate(h, 40))
		}
		if _, dup := col[h]; dup {
			return nil, Errorf(EINVALID, "CSV column %q appears twice", h)
		}
		col[h] = i
	}
	_, hasInv := col["investorId"]
	_, hasWallet := col["wallet"]
	if _, ok := col["amount"]; !ok || (!hasInv && !hasWallet) {
		return nil, Errorf(EINVALID, "an allocation CSV needs the columns amount and investorId or wallet")
	}
	var rows []AllocationRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// FieldsPerRecord is -1, so this is malformed CSV (a bare or
			// unterminated quote): the rows after it cannot be told apart.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, Errorf(EINVALID, "CSV line %d: %v", pe.StartLine, pe.Err)
			}
			return nil, Errorf(EINVALID, "the CSV could not be read")
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rows) >= MaxBulkRows {
			return nil, Errorf(ETOOLARGE, "an allocation holds at most %d rows", MaxBulkRows)
		}
		row := AllocationRow{Line: line}
		if len(rec) != len(header) {
			row.Err = Errorf(EINVALID, "the row has %d fields, the header %d", len(rec), len(header))
			rows = append(rows, row)
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row.Err = fillAllocation(&row, get("investorId"), get("wallet"), get("amount"))
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, Errorf(EINVALID, "the allocation has no rows")
	}
	return rows, nil
}

func fillAllocation(row *AllocationRow, investor, wallet, amount string) error {
	switch {
	case investor != "" && wallet != "":
		return Errorf(EINVALID, "name the receiver by investorId or wallet, not both")
	case investor != "":
		id, ok := ParseID(investor)
		if !ok {
			return Errorf(EINVALID, "investorId %q is not an id", truncate(investor, 30))
		}
		row.InvestorID = id
	case wallet != "":
		addr, err := NormalizeAddress("wallet", strings.ToLower(wallet))
		if err != nil {
			return err
		}
		if err := CheckHolderAddress("wallet", addr); err != nil {
			return err
		}
		row.Wallet = addr
	default:
		return Errorf(EINVALID, "the row names no receiver")
	}
	a, err := ParseAmount("amount", amount)
	if err != nil {
		return err
	}
	if a.Sign() <= 0 {
		return Errorf(EINVALID, "amount must be positive")
	}
	row.Amount = a
	return nil
}

// AllocationOutcome is one allocation row's result.
type AllocationOutcome string

const (
	AllocationMinted   AllocationOutcome = "MINTED"   // in a batch mined on-chain
	AllocationPending  AllocationOutcome = "PENDING"  // in a batch signed and recorded, not yet mined
	AllocationRefused  AllocationOutcome = "REFUSED"  // a rule refused it; nothing was sent for any row
	AllocationInvalid  AllocationOutcome = "INVALID"  // the row could not be read or names no known receiver
	AllocationAccepted AllocationOutcome = "ACCEPTED" // validate mode: every rule allows it
)

// AllocationRowResult is one allocation row's outcome.
type AllocationRowResult struct {
	Line        int               `json:"line"`
	InvestorID  int64             `json:"investorId,omitempty"`
	Wallet      string            `json:"wallet,omitempty"`
	Amount      string            `json:"amount,omitempty"`
	Outcome     AllocationOutcome `json:"outcome"`
	OperationID int64             `json:"operationId,omitempty"` // the batch mint carrying the row
	Code        string            `json:"code,omitempty"`
	Reasons     []Reason          `json:"-"`
	Message     string            `json:"message,omitempty"`
}

// PlanAllocation checks every row of an allocation with the compliance rules,
// in order, as if the rows before it had been minted: each allowed row adds to
// the supply and to its receiver's holding, so the supply cap, the holder cap
// and the maximum holding see the allocation as a whole. f is the issuance's
// facts (its parties must include every row's wallet); it is not modified.
// ok is true when every row is allowed.
func PlanAllocation(c Compliance, p *Principal, f *Facts, rows []AllocationRow, at time.Time) (results []AllocationRowResult, ok bool) {
	sim := *f
	if f.IssuanceFacts != nil {
		iss := *f.IssuanceFacts
		sim.IssuanceFacts = &iss
		h := &MirrorHoldings{Wallets: map[string]*big.Int{}, Investors: map[int64]*big.Int{}}
		if f.Holdings != nil {
			h.Holders = f.Holdings.Holders
			for k, v := range f.Holdings.Wallets {
				h.Wallets[k] = v
			}
			for k, v := range f.Holdings.Investors {
				h.Investors[k] = v
			}
		}
		iss.Holdings = h
	}
	ok = true
	results = make([]AllocationRowResult, len(rows))
	for i, r := range rows {
		res := AllocationRowResult{Line: r.Line, InvestorID: r.InvestorID, Wallet: r.Wallet}
		if r.Amount != nil {
			res.Amount = r.Amount.String()
		}
		if r.Err != nil {
			res.Outcome, res.Code, res.Message = AllocationInvalid, ErrorCode(r.Err), ErrorMessage(r.Err)
			results[i], ok = res, false
			continue
		}
		d := c.Decide(p, &sim, "", r.Wallet, r.Amount, at)
		if !d.Allowed {
			res.Outcome, res.Code, res.Reasons = AllocationRefused, d.Primary().String(), d.Reasons
			res.Message = d.Reasons[0].Message
			results[i], ok = res, false
			continue
		}
		res.Outcome = AllocationAccepted
		results[i] = res
		// The row counts as minted for the rows after it.
		h := sim.Holdings
		prevWallet := orZero(h.Wallets[r.Wallet])
		h.Wallets[r.Wallet] = new(big.Int).Add(prevWallet, r.Amount)
		if pf := sim.Parties[r.Wallet]; pf != nil && pf.Investor != nil {
			prev := orZero(h.Investors[pf.Investor.ID])
			if prev.Sign() == 0 {
				h.Holders++
			}
			h.Investors[pf.Investor.ID] = new(big.Int).Add(prev, r.Amount)
		} else if prevWallet.Sign() == 0 {
			h.Holders++
		}
	}
	return results, ok
}

func orZero(b *big.Int) *big.Int {
	if b == nil {
		return new(big.Int)
	}
	return b
}

// OpBatchMint is a primary allocation's operation: batchMint(wallets, amounts)
// on the token, one transaction per batch of rows, signed and recorded
// together before any is broadcast.
const OpBatchMint OperationKind = "BATCH_MINT"

// AllocationResult is an allocation's answer: one outcome per row and, once
// applied, the operation that mints it.
type AllocationResult struct {
	Mode        BulkMode              `json:"mode"`
	Accepted    bool                  `json:"accepted"` // every row is allowed (and, applying, queued)
	OperationID int64                 `json:"operationId,omitempty"`
	Rows        int                   `json:"rows"`
	Total       string                `json:"total"` // sum of the accepted rows' amounts
	Results     []AllocationRowResult `json:"results"`
}

// AllocationService allocates a primary offering; the chain work implements it.
type AllocationService interface {
	// Allocate checks every row with the rules (validate) and, applying with
	// every row allowed, queues one BATCH_MINT operation for all of them.
	Allocate(ctx context.Context, issuanceID int64, rows []AllocationRow, mode BulkMode) (*AllocationResult, error)
	// Allocation reports each row of an allocation's operation with its
	// outcome as the operation stands.
	Allocation(ctx context.Context, operationID int64) (*AllocationResult, error)
}

// BatchMintRequest encodes an allocation's accepted rows for its operation.
func BatchMintRequest(rows []AllocationRowResult, batchSize int) map[string]string {
	w, a, l := make([]string, len(rows)), make([]string, len(rows)), make([]string, len(rows))
	for i, r := range rows {
		w[i], a[i], l[i] = r.Wallet, r.Amount, fmt.Sprint(r.Line)
	}
	return map[string]string{"wallets": strings.Join(w, ";"), "amounts": strings.Join(a, ";"),
		"lines": strings.Join(l, ";"), "batchSize": fmt.Sprint(batchSize)}
}

// BatchMintRows decodes an allocation operation's rows and batch size.
func BatchMintRows(op *Operation) (rows []AllocationRow, batchSize int, err error) {
	w := strings.Split(op.Request["wallets"], ";")
	a := strings.Split(op.Request["amounts"], ";")
	l := strings.Split(op.Request["lines"], ";")
	if len(w) != len(a) || len(w) != len(l) || op.Request["wallets"] == "" {
		return nil, 0, fmt.Errorf("operation %d: malformed allocation request", op.ID)
	}
	if batchSize, err = strconv.Atoi(op.Request["batchSize"]); err != nil || batchSize <= 0 {
		return nil, 0, fmt.Errorf("operation %d: malformed batch size", op.ID)
	}
	rows = make([]AllocationRow, len(w))
	for i := range w {
		amount, err := ParseAmount("amount", a[i])
		if err != nil {
			return nil, 0, err
		}
		line, err := strconv.Atoi(l[i])
		if err != nil {
			return nil, 0, fmt.Errorf("operation %d: malformed line", op.ID)
		}
		rows[i] = AllocationRow{Line: line, Wallet: w[i], Amount: amount}
	}
	return rows, batchSize, nil
}
