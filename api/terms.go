package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// Term changes: an issuance's lock-up end, holder cap, countries, supply cap
// and offering window changed after registration, now or at a scheduled time.

// noTerms answers term routes on a server built without a term service.
type noTerms struct{}

var errNoTerms = registry.Errorf(registry.EUNAVAILABLE, "this node does not change terms")

func (noTerms) ChangeTerms(context.Context, int64, registry.TermChangeRequest) (*registry.TermChange, error) {
	return nil, errNoTerms
}

func (noTerms) TermChanges(context.Context, int64, registry.TermChangeFilter) ([]*registry.TermChange, error) {
	return nil, errNoTerms
}

func (noTerms) TermChange(context.Context, int64, int64) (*registry.TermChange, error) {
	return nil, errNoTerms
}

func (noTerms) CancelTermChange(context.Context, int64, int64, string) (*registry.TermChange, error) {
	return nil, errNoTerms
}

// termsJSON is a change's terms on the wire (the supply cap a decimal
// string); decoded strictly, unknown fields refused.
type termsJSON struct {
	LockupEnd        *time.Time `json:"lockupEnd,omitempty"`
	MaxHolders       *int       `json:"maxHolders,omitempty"`
	AllowedCountries []string   `json:"allowedCountries,omitempty"`
	DeniedCountries  []string   `json:"deniedCountries,omitempty"`
	SupplyCap        *string    `json:"supplyCap,omitempty"`
	OfferingStart    *time.Time `json:"offeringStart,omitempty"`
	OfferingEnd      *time.Time `json:"offeringEnd,omitempty"`
	Clear            []string   `json:"clear,omitempty"`
}

func (j *termsJSON) domain() (registry.Terms, error) {
	t := registry.Terms{LockupEnd: utc(j.LockupEnd), MaxHolders: j.MaxHolders, AllowedCountries: j.AllowedCountries,
		DeniedCountries: j.DeniedCountries, OfferingStart: utc(j.OfferingStart), OfferingEnd: utc(j.OfferingEnd), Clear: j.Clear}
	for _, f := range []struct {
		name string
		v    *time.Time
	}{{"changes.lockupEnd", t.LockupEnd}, {"changes.offeringStart", t.OfferingStart}, {"changes.offeringEnd", t.OfferingEnd}} {
		if err := registry.CheckTime(f.name, f.v); err != nil {
			return t, err
		}
	}
	sc, err := optionalAmount("changes.supplyCap", j.SupplyCap)
	if err != nil {
		return t, err
	}
	t.SupplyCap = sc
	return t, nil
}

func toTermsJSON(t *registry.Terms) *termsJSON {
	if t == nil {
		return nil
	}
	return &termsJSON{LockupEnd: t.LockupEnd, MaxHolders: t.MaxHolders, AllowedCountries: t.AllowedCountries,
		DeniedCountries: t.DeniedCountries, SupplyCap: amountString(t.SupplyCap), OfferingStart: t.OfferingStart,
		OfferingEnd: t.OfferingEnd, Clear: t.Clear}
}

type termChangeRequest struct {
	Changes     *termsJSON `json:"changes"`
	EffectiveAt *time.Time `json:"effectiveAt"`
	Reason      string     `json:"reason"`
}

type termChangeJSON struct {
	ID           int64      `json:"id"`
	IssuanceID   int64      `json:"issuanceId"`
	SellerID     int64      `json:"sellerId"`
	Changes      *termsJSON `json:"changes"`
	Previous     *termsJSON `json:"previous,omitempty"`
	EffectiveAt  time.Time  `json:"effectiveAt"`
	Reason       string     `json:"reason"`
	Status       string     `json:"status"`
	RequestedBy  string     `json:"requestedBy"`
	CreatedAt    time.Time  `json:"createdAt"`
	AppliedAt    *time.Time `json:"appliedAt,omitempty"`
	CancelledBy  string     `json:"cancelledBy,omitempty"`
	CancelledAt  *time.Time `json:"cancelledAt,omitempty"`
	CancelReason string     `json:"cancelReason,omitempty"`
	Error        string     `json:"error,omitempty"`
	OnChain      []string   `json:"onChain"`
	OperationID  *int64     `json:"operationId,omitempty"`
	// CountryRuleOperationID is the SET_COUNTRY_RULE operation, if any.
	CountryRuleOperationID *int64 `json:"countryRuleOperationId,omitempty"`
	ChainStatus            string `json:"chainStatus,omitempty"`
}

func toTermChangeJSON(c *registry.TermChange) termChangeJSON {
	on := c.OnChain
	if on == nil {
		on = []string{}
	}
	return termChangeJSON{ID: c.ID, IssuanceID: c.IssuanceID, SellerID: c.SellerID, Changes: toTermsJSON(&c.Changes),
		Previous: toTermsJSON(c.Previous), EffectiveAt: c.EffectiveAt, Reason: c.Reason, Status: string(c.Status),
		RequestedBy: c.RequestedBy, CreatedAt: c.CreatedAt, AppliedAt: c.AppliedAt, CancelledBy: c.CancelledBy,
		CancelledAt: c.CancelledAt, CancelReason: c.CancelReason, Error: c.Error, OnChain: on, OperationID: c.OperationID,
		CountryRuleOperationID: c.CountryRuleOperationID, ChainStatus: string(c.ChainStatus)}
}

func (s *Server) changeTerms(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var req termChangeRequest
	if !s.decode(c, &req) {
		return
	}
	if req.Changes == nil {
		s.fail(c, registry.Errorf(registry.EINVALID, "changes is required"))
		return
	}
	changes, err := req.Changes.domain()
	if !s.valid(c, err) {
		return
	}
	if !s.valid(c, registry.CheckTime("effectiveAt", req.EffectiveAt)) {
		return
	}
	tc, err := s.terms.ChangeTerms(c.Request.Context(), id, registry.TermChangeRequest{Changes: changes, EffectiveAt: utc(req.EffectiveAt), Reason: req.Reason})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toTermChangeJSON(tc))
}

func (s *Server) listTermChanges(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	page, ok := s.page(c)
	if !ok {
		return
	}
	f := registry.TermChangeFilter{Status: registry.TermChangeStatus(c.Query("status")), Page: page}
	if !s.valid(c, f.Validate()) {
		return
	}
	changes, err := s.terms.TermChanges(c.Request.Context(), id, f)
	listOf(s, c, changes, err, page.Limit, toTermChangeJSON, func(x termChangeJSON) int64 { return x.ID })
}

func (s *Server) getTermChange(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	changeID, ok := s.pathID(c, "changeId")
	if !ok {
		return
	}
	tc, err := s.terms.TermChange(c.Request.Context(), id, changeID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toTermChangeJSON(tc))
}

type cancelTermChangeRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) cancelTermChange(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	changeID, ok := s.pathID(c, "changeId")
	if !ok {
		return
	}
	var req cancelTermChangeRequest
	if !s.decode(c, &req) {
		return
	}
	tc, err := s.terms.CancelTermChange(c.Request.Context(), id, changeID, req.Reason)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toTermChangeJSON(tc))
}
