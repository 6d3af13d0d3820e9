package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// Investors: a seller's customers, their KYC, screening, categories, wallets
// and frozen flag.

// Date is a calendar date in JSON as "YYYY-MM-DD".
type Date struct{ time.Time }

// UnmarshalJSON parses "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return registry.Errorf(registry.EINVALID, "dates are strings formatted YYYY-MM-DD")
	}
	t, err := time.Parse(time.DateOnly, string(b[1:len(b)-1]))
	if err != nil {
		return registry.Errorf(registry.EINVALID, "dates are formatted YYYY-MM-DD")
	}
	d.Time = t
	return nil
}

// MarshalJSON renders "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) {
	return []byte(`"` + d.Format(time.DateOnly) + `"`), nil
}

type categoryJSON struct {
	Category  string    `json:"category"`
	ValidFrom time.Time `json:"validFrom"`
	ValidTo   time.Time `json:"validTo"`
}

type walletJSON struct {
	Address   string    `json:"address"`
	Label     string    `json:"label"`
	Frozen    bool      `json:"frozen"`
	CreatedAt time.Time `json:"createdAt"`
}

func toWalletJSON(w *registry.Wallet) walletJSON {
	return walletJSON{Address: w.Address, Label: w.Label, Frozen: w.Frozen, CreatedAt: w.CreatedAt}
}

type kycJSON struct {
	Status     string     `json:"status"`
	Method     string     `json:"method,omitempty"`
	VerifiedAt *time.Time `json:"verifiedAt,omitempty"`
	ReviewDue  *time.Time `json:"reviewDue,omitempty"`
}

type screeningJSON struct {
	Sanctions           string     `json:"sanctions"`
	SanctionsCheckedAt  *time.Time `json:"sanctionsCheckedAt,omitempty"`
	Antisocial          string     `json:"antisocial"`
	AntisocialCheckedAt *time.Time `json:"antisocialCheckedAt,omitempty"`
}

type investorJSON struct {
	ID               int64          `json:"id"`
	SellerID         int64          `json:"sellerId"`
	CustomerRef      string         `json:"customerRef"`
	PersonType       string         `json:"personType"`
	ResidenceCountry string         `json:"residenceCountry"`
	DateOfBirth      *Date          `json:"dateOfBirth,omitempty"`
	KYC              kycJSON        `json:"kyc"`
	Screening        screeningJSON  `json:"screening"`
	Categories       []categoryJSON `json:"categories"`
	Frozen           bool           `json:"frozen"`
	FrozenReason     string         `json:"frozenReason,omitempty"`
	Wallets          []walletJSON   `json:"wallets"`
	CreatedAt        time.Time      `json:"createdAt"`
	UpdatedAt        time.Time      `json:"updatedAt"`
}

func toInvestorJSON(inv *registry.Investor) investorJSON {
	out := investorJSON{
		ID: inv.ID, SellerID: inv.SellerID, CustomerRef: inv.CustomerRef, PersonType: string(inv.PersonType),
		ResidenceCountry: inv.ResidenceCountry,
		KYC:              kycJSON{string(inv.KYCStatus), inv.KYCMethod, inv.KYCVerifiedAt, inv.KYCReviewDue},
		Screening:        screeningJSON{string(inv.Sanctions), inv.SanctionsCheckedAt, string(inv.Antisocial), inv.AntisocialCheckedAt},
		Categories:       []categoryJSON{}, Frozen: inv.Frozen, FrozenReason: inv.FrozenReason, Wallets: []walletJSON{},
		CreatedAt: inv.CreatedAt, UpdatedAt: inv.UpdatedAt,
	}
	if inv.DateOfBirth != nil {
		out.DateOfBirth = &Date{*inv.DateOfBirth}
	}
	for _, c := range inv.Categories {
		out.Categories = append(out.Categories, categoryJSON{string(c.Category), c.ValidFrom, c.ValidTo})
	}
	for i := range inv.Wallets {
		out.Wallets = append(out.Wallets, toWalletJSON(&inv.Wallets[i]))
	}
	return out
}

type createInvestorRequest struct {
	SellerID         int64          `json:"sellerId"`
	CustomerRef      string         `json:"customerRef"`
	PersonType       string         `json:"personType"`
	ResidenceCountry string         `json:"residenceCountry"`
	DateOfBirth      *Date          `json:"dateOfBirth"`
	KYC              *kycJSON       `json:"kyc"`
	Screening        *screeningJSON `json:"screening"`
	Categories       []categoryJSON `json:"categories"`
	Wallets          []walletInput  `json:"wallets"`
}

type walletInput struct {
	Address string `json:"address"`
	Label   string `json:"label"`
}

func grants(in []categoryJSON) []registry.CategoryGrant {
	out := make([]registry.CategoryGrant, len(in))
	for i, c := range in {
		out[i] = registry.CategoryGrant{Category: registry.Category(c.Category), ValidFrom: c.ValidFrom.UTC(), ValidTo: c.ValidTo.UTC()}
	}
	return out
}

func (r *createInvestorRequest) domain() *registry.Investor {
	inv := &registry.Investor{
		SellerID: r.SellerID, CustomerRef: r.CustomerRef, PersonType: registry.PersonType(r.PersonType),
		ResidenceCountry: r.ResidenceCountry, Categories: grants(r.Categories),
	}
	if r.DateOfBirth != nil {
		t := r.DateOfBirth.Time
		inv.DateOfBirth = &t
	}
	if r.KYC != nil {
		inv.KYCStatus, inv.KYCMethod = registry.KYCStatus(r.KYC.Status), r.KYC.Method
		inv.KYCVerifiedAt, inv.KYCReviewDue = utc(r.KYC.VerifiedAt), utc(r.KYC.ReviewDue)
	}
	if r.Screening != nil {
		inv.Sanctions, inv.SanctionsCheckedAt = registry.ScreeningResult(r.Screening.Sanctions), utc(r.Screening.SanctionsCheckedAt)
		inv.Antisocial, inv.AntisocialCheckedAt = registry.ScreeningResult(r.Screening.Antisocial), utc(r.Screening.AntisocialCheckedAt)
	}
	for _, w := range r.Wallets {
		inv.Wallets = append(inv.Wallets, registry.Wallet{Address: w.Address, Label: w.Label})
	}
	return inv
}

type screeningRequest struct {
	Sanctions  string     `json:"sanctions"`
	Antisocial string     `json:"antisocial"`
	CheckedAt  *time.Time `json:"checkedAt"`
}

type categoriesRequest struct {
	Categories []categoryJSON `json:"categories"`
}

type freezeRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) createInvestor(c *gin.Context) {
	var req createInvestorRequest
	if !s.decode(c, &req) {
		return
	}
	inv := req.domain()
	if err := s.svc.CreateInvestor(c.Request.Context(), inv); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toInvestorJSON(inv))
}

func (s *Server) listInvestors(c *gin.Context) {
	page, ok := s.page(c)
	if !ok {
		return
	}
	f := registry.InvestorFilter{CustomerRef: c.Query("customerRef"), KYCStatus: registry.KYCStatus(c.Query("kycStatus")), Page: page}
	if !s.valid(c, f.Validate()) {
		return
	}
	if c.Query("sellerId") != "" {
		id, ok := s.queryID(c, "sellerId")
		if !ok {
			return
		}
		f.SellerID = id
	}
	items, err := s.svc.Investors(c.Request.Context(), f)
	listOf(s, c, items, err, page.Limit, toInvestorJSON, func(x investorJSON) int64 { return x.ID })
}

func (s *Server) getInvestor(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	inv, err := s.svc.Investor(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toInvestorJSON(inv))
}

func (s *Server) listWallets(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	inv, err := s.svc.Investor(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, listJSON[walletJSON]{Items: toInvestorJSON(inv).Wallets})
}

func (s *Server) addWallet(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var req walletInput
	if !s.decode(c, &req) {
		return
	}
	w, err := s.svc.AddWallet(c.Request.Context(), id, registry.Wallet{Address: req.Address, Label: req.Label})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toWalletJSON(w))
}

func (s *Server) removeWallet(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	if err := s.svc.RemoveWallet(c.Request.Context(), id, c.Param("address")); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) updateKYC(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var req kycJSON
	if !s.decode(c, &req) {
		return
	}
	s.investorResult(c)(s.svc.UpdateKYC(c.Request.Context(), id, registry.KYCUpdate{
		Status: registry.KYCStatus(req.Status), Method: req.Method, VerifiedAt: utc(req.VerifiedAt), ReviewDue: utc(req.ReviewDue)}))
}

func (s *Server) updateScreening(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var req screeningRequest
	if !s.decode(c, &req) {
		return
	}
	u := registry.ScreeningUpdate{Sanctions: registry.ScreeningResult(req.Sanctions), Antisocial: registry.ScreeningResult(req.Antisocial)}
	if req.CheckedAt != nil {
		u.CheckedAt = req.CheckedAt.UTC()
	}
	s.investorResult(c)(s.svc.UpdateScreening(c.Request.Context(), id, u))
}

func (s *Server) setCategories(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var req categoriesRequest
	if !s.decode(c, &req) {
		return
	}
	// The list replaces every grant, so it must be said: [] clears them all,
	// an absent or null list is a mistake, not a request to clear.
	if req.Categories == nil {
		s.fail(c, registry.Errorf(registry.EINVALID, "categories is required; an empty list [] removes every grant"))
		return
	}
	s.investorResult(c)(s.svc.SetCategories(c.Request.Context(), id, grants(req.Categories)))
}

func (s *Server) setFrozen(frozen bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, ok := s.pathID(c, "id")
		if !ok {
			return
		}
		var req freezeRequest
		if !s.decode(c, &req) {
			return
		}
		s.investorResult(c)(s.svc.SetFrozen(c.Request.Context(), id, frozen, req.Reason))
	}
}

// investorResult writes an investor-returning service call's outcome.
func (s *Server) investorResult(c *gin.Context) func(*registry.Investor, error) {
	return func(inv *registry.Investor, err error) {
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, toInvestorJSON(inv))
	}
}
