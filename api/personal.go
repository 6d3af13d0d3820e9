package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// Personal data of an investor: names, address, tax category, contact, with
// every version kept. Any authenticated caller may ask; only the onboarding
// seller and operators get the data (registry.CanReadPersonalData), everyone
// else the version's dates with "redacted": true. Every read that shows data
// is audited by the store.

type personalDataJSON struct {
	LegalName          string `json:"legalName"`
	KanaName           string `json:"kanaName"`
	RepresentativeName string `json:"representativeName,omitempty"`
	PostalCode         string `json:"postalCode,omitempty"`
	Address            string `json:"address"`
	TaxCategory        string `json:"taxCategory"`
	Email              string `json:"email,omitempty"`
	Phone              string `json:"phone,omitempty"`
	ExternalRef        string `json:"externalRef,omitempty"`
}

type personalRecordJSON struct {
	InvestorID int64             `json:"investorId"`
	Version    int               `json:"version"`
	ValidFrom  time.Time         `json:"validFrom"`
	ValidTo    *time.Time        `json:"validTo,omitempty"`
	RecordedAt time.Time         `json:"recordedAt"`
	RecordedBy string            `json:"recordedBy"`
	Redacted   bool              `json:"redacted"`
	Data       *personalDataJSON `json:"data,omitempty"`
}

func toPersonalDataJSON(d *registry.PersonalData) *personalDataJSON {
	if d == nil {
		return nil
	}
	return &personalDataJSON{LegalName: d.LegalName, KanaName: d.KanaName, RepresentativeName: d.RepresentativeName,
		PostalCode: d.PostalCode, Address: d.Address, TaxCategory: string(d.TaxCategory), Email: d.Email, Phone: d.Phone,
		ExternalRef: d.ExternalRef}
}

func toPersonalRecordJSON(r *registry.PersonalRecord) personalRecordJSON {
	out := personalRecordJSON{InvestorID: r.InvestorID, Version: r.Version, ValidFrom: r.ValidFrom, ValidTo: r.ValidTo,
		RecordedAt: r.RecordedAt, RecordedBy: r.RecordedBy, Redacted: r.Redacted, Data: toPersonalDataJSON(r.Data)}
	if r.Redacted {
		out.RecordedBy = "" // which key recorded it says who at which firm handles the investor
	}
	return out
}

type setPersonalDataRequest struct {
	personalDataJSON
	// EffectiveFrom dates the change: RFC 3339, or YYYY-MM-DD for the start of
	// that day in Japan time; default now.
	EffectiveFrom string `json:"effectiveFrom"`
}

// parseInstant reads an RFC 3339 timestamp, or a date YYYY-MM-DD meaning the
// instant given by day (the date in Japan time, registry.RecordDateZone).
func parseInstant(name, v string, day func(time.Time) time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UTC(), nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, registry.Errorf(registry.EINVALID, "%s must be an RFC 3339 timestamp or a date YYYY-MM-DD", name)
	}
	return day(d).UTC(), nil
}

// startOfDay is 00:00 Japan time of date d.
func startOfDay(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, registry.RecordDateZone)
}

// endOfDay is the last instant of date d in Japan time: data "as of" a date
// is what was valid when the day closed, as on a record date.
func endOfDay(d time.Time) time.Time { return registry.RecordDateCutoff(d).Add(-time.Microsecond) }

func (s *Server) setPersonalData(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var req setPersonalDataRequest
	if !s.decode(c, &req) {
		return
	}
	ch := registry.PersonalDataChange{Data: registry.PersonalData{LegalName: req.LegalName, KanaName: req.KanaName,
		RepresentativeName: req.RepresentativeName, PostalCode: req.PostalCode, Address: req.Address,
		TaxCategory: registry.TaxCategory(req.TaxCategory), Email: req.Email, Phone: req.Phone, ExternalRef: req.ExternalRef}}
	if req.EffectiveFrom != "" {
		t, err := parseInstant("effectiveFrom", req.EffectiveFrom, startOfDay)
		if !s.valid(c, err) {
			return
		}
		ch.EffectiveFrom = &t
	}
	rec, err := s.records.SetPersonalData(c.Request.Context(), id, ch)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toPersonalRecordJSON(rec))
}

func (s *Server) getPersonalData(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var at *time.Time
	if v := c.Query("at"); v != "" {
		t, err := parseInstant("at", v, endOfDay)
		if !s.valid(c, err) {
			return
		}
		at = &t
	}
	rec, err := s.records.PersonalData(c.Request.Context(), id, at)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toPersonalRecordJSON(rec))
}

func (s *Server) listPersonalDataVersions(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	recs, err := s.records.PersonalDataVersions(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := listJSON[personalRecordJSON]{Items: make([]personalRecordJSON, len(recs))}
	for i, r := range recs {
		out.Items[i] = toPersonalRecordJSON(r)
	}
	c.JSON(http.StatusOK, out)
}

// Records is what the API needs of the back office's records.
type Records interface {
	registry.PersonalDataService
	registry.RegisterService
}

// noRecords answers a node built without records.
type noRecords struct{}

func errNoRecords() error {
	return registry.Errorf(registry.EUNAVAILABLE, "personal data and the holder register are not available on this node")
}

func (noRecords) SetPersonalData(context.Context, int64, registry.PersonalDataChange) (*registry.PersonalRecord, error) {
	return nil, errNoRecords()
}
func (noRecords) PersonalData(context.Context, int64, *time.Time) (*registry.PersonalRecord, error) {
	return nil, errNoRecords()
}
func (noRecords) PersonalDataVersions(context.Context, int64) ([]*registry.PersonalRecord, error) {
	return nil, errNoRecords()
}
func (noRecords) Register(context.Context, registry.RegisterQuery, registry.RegisterWriter) error {
	return errNoRecords()
}
func (noRecords) FinaliseRegister(context.Context, registry.RegisterQuery) (*registry.RegisterSnapshot, error) {
	return nil, errNoRecords()
}
func (noRecords) RegisterSnapshots(context.Context, int64) ([]*registry.RegisterSnapshot, error) {
	return nil, errNoRecords()
}
func (noRecords) RegisterSnapshot(context.Context, int64, int64, registry.RegisterWriter) (*registry.RegisterSnapshot, error) {
	return nil, errNoRecords()
}
