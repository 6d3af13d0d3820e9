package api

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"

	"github.com/stonode/stonode/registry"
)

// The holder register at a record date (or a block), streamed as JSON or CSV
// straight from the store's keyset-paged reads to the response, and its
// finalised snapshots. The store enforces who may read it and what personal
// data each caller sees, and audits the read.

type registerHeaderJSON struct {
	IssuanceID    int64      `json:"issuanceId"`
	SnapshotID    int64      `json:"snapshotId,omitempty"`
	ChainID       int64      `json:"chainId"`
	TokenAddress  string     `json:"tokenAddress"`
	RecordDate    string     `json:"recordDate,omitempty"`
	AsOfBlock     uint64     `json:"asOfBlock"`
	AsOfBlockHash string     `json:"asOfBlockHash,omitempty"`
	AsOfBlockTime *time.Time `json:"asOfBlockTime,omitempty"`
	NamesAsOf     time.Time  `json:"namesAsOf"`
	TotalSupply   string     `json:"totalSupply"`
}

func toRegisterHeaderJSON(h registry.RegisterHeader) registerHeaderJSON {
	out := registerHeaderJSON{IssuanceID: h.IssuanceID, SnapshotID: h.SnapshotID, ChainID: h.ChainID, TokenAddress: h.Token,
		RecordDate: h.RecordDate, AsOfBlock: h.AsOfBlock, AsOfBlockHash: h.AsOfHash, AsOfBlockTime: h.AsOfTime,
		NamesAsOf: h.NamesAsOf, TotalSupply: "0"}
	if h.TotalSupply != nil {
		out.TotalSupply = h.TotalSupply.String()
	}
	return out
}

type registerEntryJSON struct {
	InvestorID          *int64   `json:"investorId,omitempty"`
	SellerID            int64    `json:"sellerId,omitempty"`
	Unattributed        bool     `json:"unattributed,omitempty"`
	PersonalDataVersion int      `json:"personalDataVersion,omitempty"`
	Redacted            bool     `json:"redacted,omitempty"`
	LegalName           string   `json:"legalName,omitempty"`
	KanaName            string   `json:"kanaName,omitempty"`
	RepresentativeName  string   `json:"representativeName,omitempty"`
	PostalCode          string   `json:"postalCode,omitempty"`
	Address             string   `json:"address,omitempty"`
	TaxCategory         string   `json:"taxCategory,omitempty"`
	ExternalRef         string   `json:"externalRef,omitempty"`
	Wallets             []string `json:"wallets"`
	Balance             string   `json:"balance"`
}

type registerTotalsJSON struct {
	Investors           int    `json:"investors"`
	Wallets             int    `json:"wallets"`
	UnattributedWallets int    `json:"unattributedWallets"`
	WithoutPersonalData int    `json:"withoutPersonalData"`
	Redacted            int    `json:"redacted"`
	Balance             string `json:"balance"`
}

func toRegisterTotalsJSON(t registry.RegisterTotals) registerTotalsJSON {
	out := registerTotalsJSON{Investors: t.Investors, Wallets: t.Wallets, UnattributedWallets: t.UnattributedWallets,
		WithoutPersonalData: t.WithoutPersonalData, Redacted: t.Redacted, Balance: "0"}
	if t.Balance != nil {
		out.Balance = t.Balance.String()
	}
	return out
}

// registerJSON writes {header fields, "holders": [...], "totals": {...}} one
// entry at a time.
type registerJSON struct {
	w     *bufio.Writer
	first bool
}

func (j *registerJSON) Header(h registry.RegisterHeader) error {
	b, err := json.Marshal(toRegisterHeaderJSON(h))
	if err != nil {
		return err
	}
	j.first = true
	j.w.Write(b[:len(b)-1]) // the object stays open for the holders
	_, err = j.w.WriteString(`,"holders":[`)
	return err
}

func (j *registerJSON) Entry(e registry.RegisterEntry) error {
	out := registerEntryJSON{InvestorID: e.InvestorID, SellerID: e.SellerID, Unattributed: e.Unattributed(),
		PersonalDataVersion: e.PersonalVersion, Redacted: e.Redacted, Wallets: e.Wallets, Balance: e.Balance.String()}
	if p := e.Personal; p != nil {
		out.LegalName, out.KanaName, out.RepresentativeName, out.PostalCode, out.Address, out.TaxCategory, out.ExternalRef =
			p.LegalName, p.KanaName, p.RepresentativeName, p.PostalCode, p.Address, string(p.TaxCategory), p.ExternalRef
	}
	if out.Wallets == nil {
		out.Wallets = []string{}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	if !j.first {
		j.w.WriteByte(',')
	}
	j.first = false
	_, err = j.w.Write(b)
	return err
}

func (j *registerJSON) Totals(t registry.RegisterTotals) error {
	b, err := json.Marshal(toRegisterTotalsJSON(t))
	if err != nil {
		return err
	}
	j.w.WriteString(`],"totals":`)
	j.w.Write(b)
	_, err = j.w.WriteString("}\n")
	return err
}

// registerFormat is how a register is written: JSON, or CSV in UTF-8 with a
// BOM (what Excel in Japan opens correctly) or in Shift_JIS.
type registerFormat struct {
	csv      bool
	shiftJIS bool
}

// registerFormatOf reads ?format=json|csv and, for CSV, ?encoding=utf-8|shift_jis.
func (s *Server) registerFormatOf(c *gin.Context) (registerFormat, bool) {
	var f registerFormat
	switch c.Query("format") {
	case "", "json":
	case "csv":
		f.csv = true
	default:
		s.fail(c, registry.Errorf(registry.EINVALID, "format must be json or csv"))
		return f, false
	}
	switch enc := c.Query("encoding"); {
	case enc == "":
	case !f.csv:
		s.fail(c, registry.Errorf(registry.EINVALID, "encoding applies to format=csv only"))
		return f, false
	case enc == "utf-8":
	case enc == "shift_jis":
		f.shiftJIS = true
	default:
		s.fail(c, registry.Errorf(registry.EINVALID, "encoding must be utf-8 or shift_jis"))
		return f, false
	}
	return f, true
}

// shiftJISOrGeta maps a character Shift_JIS lacks (say, 𠮷 or an emoji) to
// the geta mark 〓, the sign Japanese print uses for a missing glyph: the
// UTF-8 export is the faithful one, and a stream cannot fail half-way
// politely. Answers are remembered per export.
func shiftJISOrGeta() func(rune) rune {
	known := map[rune]bool{}
	enc := japanese.ShiftJIS.NewEncoder()
	return func(r rune) rune {
		if r < utf8.RuneSelf {
			return r
		}
		ok, seen := known[r]
		if !seen {
			_, err := enc.String(string(r))
			ok = err == nil
			known[r] = ok
		}
		if ok {
			return r
		}
		return '〓'
	}
}

// exportIdle bounds the wait for the client between two chunks of an export.
const exportIdle = 30 * time.Second

// deadlineWriter pushes the connection's write deadline out before each chunk
// (64 KiB), so an export of any length is bounded by the time the client
// takes per chunk, not by the server's WriteTimeout for a whole response.
type deadlineWriter struct {
	w  io.Writer
	rc *http.ResponseController
}

func (d deadlineWriter) Write(p []byte) (int, error) {
	_ = d.rc.SetWriteDeadline(time.Now().Add(exportIdle)) // unsupported: the server's own timeout stands
	return d.w.Write(p)
}

// registerStream adapts a register read to the response: it sets the headers
// when the register's header arrives (before any byte is sent), buffers the
// body and flushes it as it fills, so the response streams in constant memory.
type registerStream struct {
	c      *gin.Context
	format registerFormat
	name   func(h registry.RegisterHeader) string
	extra  http.Header
	buf    *bufio.Writer
	enc    io.WriteCloser // the Shift_JIS encoder, when asked for
	inner  registry.RegisterWriter
}

func newRegisterStream(c *gin.Context, f registerFormat, name func(registry.RegisterHeader) string) *registerStream {
	st := &registerStream{c: c, format: f, name: name, extra: http.Header{}}
	var out io.Writer = deadlineWriter{w: c.Writer, rc: http.NewResponseController(c.Writer)}
	if f.shiftJIS {
		st.enc = transform.NewWriter(out, transform.Chain(runes.Map(shiftJISOrGeta()), japanese.ShiftJIS.NewEncoder()))
		out = st.enc
	}
	st.buf = bufio.NewWriterSize(out, 64<<10)
	if f.csv {
		st.inner = registry.NewRegisterCSV(st.buf, !f.shiftJIS)
	} else {
		st.inner = &registerJSON{w: st.buf}
	}
	return st
}

func (st *registerStream) Header(h registry.RegisterHeader) error {
	hd := st.c.Writer.Header()
	for k, v := range st.extra {
		hd[k] = v
	}
	hd.Set("X-Register-As-Of-Block", strconv.FormatUint(h.AsOfBlock, 10))
	if st.format.csv {
		charset := "utf-8"
		if st.format.shiftJIS {
			charset = "Shift_JIS"
		}
		hd.Set("Content-Type", "text/csv; charset="+charset)
		hd.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.csv"`, st.name(h)))
	} else {
		hd.Set("Content-Type", "application/json; charset=utf-8")
	}
	st.c.Status(http.StatusOK)
	return st.inner.Header(h)
}

func (st *registerStream) Entry(e registry.RegisterEntry) error { return st.inner.Entry(e) }

func (st *registerStream) Totals(t registry.RegisterTotals) error {
	if err := st.inner.Totals(t); err != nil {
		return err
	}
	if err := st.buf.Flush(); err != nil {
		return err
	}
	if st.enc != nil {
		return st.enc.Close()
	}
	return nil
}

// finish answers a read that failed: with the error, if nothing was sent yet;
// otherwise by cutting the connection, so a client never takes a truncated
// register for a whole one.
func (s *Server) finish(c *gin.Context, err error) {
	if err == nil {
		return
	}
	if !c.Writer.Written() {
		for k := range c.Writer.Header() {
			delete(c.Writer.Header(), k)
		}
		s.fail(c, err)
		return
	}
	s.log.WarnContext(c.Request.Context(), "register stream cut", "route", c.FullPath(), "err", err)
	panic(http.ErrAbortHandler)
}

// registerQuery reads ?recordDate=YYYY-MM-DD or ?block=N, exactly one.
func (s *Server) registerQuery(c *gin.Context, recordDate string, block *uint64) (registry.RegisterQuery, bool) {
	var q registry.RegisterQuery
	switch {
	case recordDate != "" && block != nil:
		s.fail(c, registry.Errorf(registry.EINVALID, "give recordDate or block, not both"))
		return q, false
	case recordDate != "":
		d, err := time.Parse(time.DateOnly, recordDate)
		if err != nil {
			s.fail(c, registry.Errorf(registry.EINVALID, "recordDate must be a date YYYY-MM-DD"))
			return q, false
		}
		q.RecordDate = &d
	case block != nil:
		q.Block = block
	default:
		s.fail(c, registry.Errorf(registry.EINVALID, "recordDate (YYYY-MM-DD) or block is required"))
		return q, false
	}
	return q, true
}

// registerTarget resolves the issuance's token (current or ?deployment=) into q.
func (s *Server) registerTarget(c *gin.Context, q *registry.RegisterQuery) bool {
	src, _, ok := s.mirrorTarget(c)
	if !ok {
		return false
	}
	q.IssuanceID, _ = registry.ParseID(c.Param("id"))
	q.MirrorKey, q.ChainID, q.Token = src.key, src.chainID, src.token
	return true
}

func registerName(h registry.RegisterHeader) string {
	switch {
	case h.SnapshotID != 0:
		return fmt.Sprintf("register-%d-snapshot-%d", h.IssuanceID, h.SnapshotID)
	case h.RecordDate != "":
		return fmt.Sprintf("register-%d-%s", h.IssuanceID, h.RecordDate)
	}
	return fmt.Sprintf("register-%d-block-%d", h.IssuanceID, h.AsOfBlock)
}

func (s *Server) register(c *gin.Context) {
	// Parameters are checked before the issuance is looked up, so a malformed
	// request is refused the same way whatever the issuance's state.
	block, set, ok := s.queryBlock(c, "block")
	if !ok {
		return
	}
	var bp *uint64
	if set {
		bp = &block
	}
	q, ok := s.registerQuery(c, c.Query("recordDate"), bp)
	if !ok {
		return
	}
	f, ok := s.registerFormatOf(c)
	if !ok || !s.registerTarget(c, &q) {
		return
	}
	st := newRegisterStream(c, f, registerName)
	s.finish(c, s.records.Register(c.Request.Context(), q, st))
}

type finaliseRequest struct {
	RecordDate string  `json:"recordDate"`
	Block      *uint64 `json:"block"`
}

type snapshotJSON struct {
	registerHeaderJSON
	Totals    registerTotalsJSON `json:"totals"`
	SHA256    string             `json:"sha256"`
	CreatedAt time.Time          `json:"createdAt"`
	CreatedBy string             `json:"createdBy"`
}

func toSnapshotJSON(sn *registry.RegisterSnapshot) snapshotJSON {
	return snapshotJSON{registerHeaderJSON: toRegisterHeaderJSON(sn.Header), Totals: toRegisterTotalsJSON(sn.Totals),
		SHA256: sn.SHA256, CreatedAt: sn.CreatedAt, CreatedBy: sn.CreatedBy}
}

func (s *Server) finaliseRegister(c *gin.Context) {
	if _, ok := s.pathID(c, "id"); !ok {
		return
	}
	var req finaliseRequest
	if !s.decode(c, &req) {
		return
	}
	if req.Block != nil && *req.Block > uint64(1<<63-1) {
		s.fail(c, registry.Errorf(registry.EINVALID, "block must be a block number up to %d", int64(1<<63-1)))
		return
	}
	q, ok := s.registerQuery(c, req.RecordDate, req.Block)
	if !ok || !s.registerTarget(c, &q) {
		return
	}
	sn, err := s.records.FinaliseRegister(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusCreated
	if sn.AlreadyMade {
		status = http.StatusOK
	}
	c.JSON(status, toSnapshotJSON(sn))
}

func (s *Server) listRegisterSnapshots(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	list, err := s.records.RegisterSnapshots(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := listJSON[snapshotJSON]{Items: make([]snapshotJSON, len(list))}
	for i, sn := range list {
		out.Items[i] = toSnapshotJSON(sn)
	}
	c.JSON(http.StatusOK, out)
}

// getRegisterSnapshot streams a finalised register. X-Register-SHA256 is the
// hash recorded at finalisation, of the CSV in UTF-8 with every name shown:
// an operator's format=csv download of it hashes to exactly that.
func (s *Server) getRegisterSnapshot(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	sid, ok := s.pathID(c, "snapshotId")
	if !ok {
		return
	}
	f, ok := s.registerFormatOf(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	meta, err := s.records.RegisterSnapshot(ctx, id, sid, nil)
	if err != nil {
		s.fail(c, err)
		return
	}
	st := newRegisterStream(c, f, registerName)
	st.extra.Set("X-Register-SHA256", meta.SHA256)
	_, err = s.records.RegisterSnapshot(ctx, id, sid, st)
	s.finish(c, err)
}
