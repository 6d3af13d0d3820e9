package registry

import (
	"context"
	"encoding/csv"
	"io"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// The statutory holder register (株主名簿 / 受益者名簿) of an issuance at a
// record date: per investor the names and address valid then, the wallets and
// the balance at the last block at or before the record date, and wallets that
// hold tokens but belong to no investor, flagged. It is read as a stream
// (RegisterWriter), so a register of any size is exported in constant memory,
// and it can be finalised into a snapshot that never changes.

// RecordDateZone is the time zone of record dates: a register at 2026-03-31 is
// as of the last block before 2026-04-01 00:00 Japan time.
var RecordDateZone = time.FixedZone("JST", 9*60*60)

// RecordDateCutoff is the first instant after record date d (a calendar date;
// only its year, month and day count).
func RecordDateCutoff(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, RecordDateZone)
}

// RegisterQuery selects the register of one issuance's token: at a record date
// or at a block, exactly one of the two.
type RegisterQuery struct {
	IssuanceID int64
	// MirrorKey keys the token's mirrored rows (the chain id, or a retired
	// deployment's own key); ChainID is the chain the answer names.
	MirrorKey  int64
	ChainID    int64
	Token      string
	RecordDate *time.Time
	Block      *uint64
}

// RegisterHeader opens a register: what it is of and as of when.
type RegisterHeader struct {
	IssuanceID int64
	ChainID    int64
	Token      string
	RecordDate string // YYYY-MM-DD; "" for a register asked at a block
	AsOfBlock  uint64 // every transfer up to and including this block counts
	AsOfHash   string
	AsOfTime   *time.Time // the block's timestamp; nil when the mirror has none for it
	// NamesAsOf is the instant the personal data shown was valid at: the
	// last instant of the record date, or the block's time.
	NamesAsOf   time.Time
	TotalSupply *big.Int // minted less burned up to AsOfBlock
	SnapshotID  int64    // set when the register is a finalised snapshot
}

// RegisterEntry is one line of a register: an investor with the wallets it
// holds through, or one wallet no investor owns (InvestorID nil: flagged).
type RegisterEntry struct {
	InvestorID *int64
	SellerID   int64 // the investor's onboarding seller
	// PersonalVersion is the version of the personal data shown, 0 when the
	// investor had none recorded at the date.
	PersonalVersion int
	Personal        *PersonalData // nil when redacted or none recorded
	Redacted        bool          // the caller may not read this investor's personal data
	Wallets         []string
	Balance         *big.Int
}

// Unattributed reports a wallet holding tokens that belongs to no investor.
func (e *RegisterEntry) Unattributed() bool { return e.InvestorID == nil }

// RegisterTotals close a register.
type RegisterTotals struct {
	Investors           int      // investors holding a positive balance
	Wallets             int      // wallets with a positive balance, attributed or not
	UnattributedWallets int      // of which no investor owns
	WithoutPersonalData int      // investors with no personal data recorded at the date
	Redacted            int      // investors whose personal data the caller may not read
	Balance             *big.Int // Σ balances; equals TotalSupply for a consistent mirror
}

// RegisterWriter receives a register as it is read: Header once, Entry for
// every line (investors by id, then unattributed wallets by address), Totals
// once at the end. An error from it stops the read.
type RegisterWriter interface {
	Header(h RegisterHeader) error
	Entry(e RegisterEntry) error
	Totals(t RegisterTotals) error
}

// RegisterSnapshot is a finalised register: stored, with the SHA-256 of its
// canonical export (the CSV as RegisterCSV writes it, UTF-8 with BOM, every
// name shown). It never changes.
type RegisterSnapshot struct {
	ID          int64
	Header      RegisterHeader
	Totals      RegisterTotals
	SHA256      string // hex
	CreatedAt   time.Time
	CreatedBy   string
	AlreadyMade bool // finalising an existing snapshot's register returned it
}

// RegisterService reads registers and keeps their snapshots. The caller must
// be allowed to operate the issuance (CanOperate); personal data is shown only
// where CanReadPersonalData allows, and each read is audited.
type RegisterService interface {
	Register(ctx context.Context, q RegisterQuery, w RegisterWriter) error
	// FinaliseRegister stores the register as a snapshot once its block is
	// mirrored (so confirmed); a second call for the same register returns the
	// first snapshot.
	FinaliseRegister(ctx context.Context, q RegisterQuery) (*RegisterSnapshot, error)
	RegisterSnapshots(ctx context.Context, issuanceID int64) ([]*RegisterSnapshot, error)
	// RegisterSnapshot writes a stored snapshot to w (when w is not nil) and
	// returns its record.
	RegisterSnapshot(ctx context.Context, issuanceID, id int64, w RegisterWriter) (*RegisterSnapshot, error)
}

// RegisterCSVHeader is the CSV export's header row: Japanese column names, as
// a Japanese back office's spreadsheet expects them.
var RegisterCSVHeader = []string{
	"投資家ID",  // investor id
	"氏名又は名称", // legal name
	"フリガナ",   // kana reading
	"代表者氏名",  // representative of a corporation
	"郵便番号",   // postal code
	"住所",     // address
	"税区分",    // tax category
	"外部参照",   // external reference
	"保有数量",   // balance, in the token's base units
	"ウォレット",  // wallets, space-separated
	"備考",     // note: why a line has no names
}

// Notes a CSV line carries when it shows no names.
const (
	NoteRedacted       = "非開示"     // the caller may not read this investor's personal data
	NoteNoPersonalData = "個人情報未登録" // none recorded at the record date
	NoteUnattributed   = "名義人不明"   // a wallet no investor owns
)

// RegisterCSV writes a register as CSV with CRLF line ends: Excel in Japan
// opens it correctly as UTF-8 when bom is set (or, without the BOM, when the
// caller encodes the stream to Shift_JIS). A text cell that starts with = + -
// or @ is prefixed with ' so a spreadsheet never runs it as a formula.
type RegisterCSV struct {
	w   *csv.Writer
	bom bool
	out io.Writer
}

// NewRegisterCSV writes to out.
func NewRegisterCSV(out io.Writer, bom bool) *RegisterCSV {
	w := csv.NewWriter(out)
	w.UseCRLF = true
	return &RegisterCSV{w: w, bom: bom, out: out}
}

// Header writes the BOM and the header row.
func (c *RegisterCSV) Header(RegisterHeader) error {
	if c.bom {
		if _, err := io.WriteString(c.out, "\uFEFF"); err != nil {
			return err
		}
	}
	return c.w.Write(RegisterCSVHeader)
}

// Entry writes one line.
func (c *RegisterCSV) Entry(e RegisterEntry) error {
	row := make([]string, len(RegisterCSVHeader))
	if e.InvestorID != nil {
		row[0] = strconv.FormatInt(*e.InvestorID, 10)
	}
	if p := e.Personal; p != nil {
		row[1], row[2], row[3], row[4], row[5], row[6], row[7] = cell(p.LegalName), cell(p.KanaName), cell(p.RepresentativeName),
			cell(p.PostalCode), cell(p.Address), string(p.TaxCategory), cell(p.ExternalRef)
	}
	row[8] = e.Balance.String()
	row[9] = strings.Join(e.Wallets, " ")
	switch {
	case e.Unattributed():
		row[10] = NoteUnattributed
	case e.Redacted:
		row[10] = NoteRedacted
	case e.Personal == nil:
		row[10] = NoteNoPersonalData
	}
	return c.w.Write(row)
}

// Totals flushes; the totals are not a CSV line (a spreadsheet sums the
// column itself, and a trailing line would break imports).
func (c *RegisterCSV) Totals(RegisterTotals) error {
	c.w.Flush()
	return c.w.Error()
}

func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
