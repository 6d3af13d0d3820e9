package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// Sellers: the securities firms the operator registers, suspends, reinstates
// and revokes.

type sellerJSON struct {
	ID                int64     `json:"id"`
	LegalName         string    `json:"legalName"`
	CorporateNumber   string    `json:"corporateNumber"`
	FSARegistration   string    `json:"fsaRegistration"`
	Licence           string    `json:"licence"`
	Membership        string    `json:"membership"`
	Status            string    `json:"status"`
	StatusEffectiveAt time.Time `json:"statusEffectiveAt"`
	StatusReason      string    `json:"statusReason"`
	CreatedAt         time.Time `json:"createdAt"`
	UpdatedAt         time.Time `json:"updatedAt"`
}

func toSellerJSON(s *registry.Seller) sellerJSON {
	return sellerJSON{s.ID, s.LegalName, s.CorporateNumber, s.FSARegistration, string(s.Licence), string(s.Membership),
		string(s.Status), s.StatusEffectiveAt, s.StatusReason, s.CreatedAt, s.UpdatedAt}
}

type createSellerRequest struct {
	LegalName       string `json:"legalName"`
	CorporateNumber string `json:"corporateNumber"`
	FSARegistration string `json:"fsaRegistration"`
	Licence         string `json:"licence"`
	Membership      string `json:"membership"`
}

type statusChangeRequest struct {
	Reason      string     `json:"reason"`
	EffectiveAt *time.Time `json:"effectiveAt"`
}

func (s *Server) createSeller(c *gin.Context) {
	var req createSellerRequest
	if !s.decode(c, &req) {
		return
	}
	sel := &registry.Seller{LegalName: req.LegalName, CorporateNumber: req.CorporateNumber, FSARegistration: req.FSARegistration,
		Licence: registry.LicenceType(req.Licence), Membership: registry.Membership(req.Membership)}
	if err := s.svc.CreateSeller(c.Request.Context(), sel); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toSellerJSON(sel))
}

func (s *Server) listSellers(c *gin.Context) {
	page, ok := s.page(c)
	if !ok {
		return
	}
	f := registry.SellerFilter{Status: registry.SellerStatus(c.Query("status")), Page: page}
	if !s.valid(c, f.Validate()) {
		return
	}
	sellers, err := s.svc.Sellers(c.Request.Context(), f)
	listOf(s, c, sellers, err, page.Limit, toSellerJSON, func(x sellerJSON) int64 { return x.ID })
}

func (s *Server) getSeller(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	sel, err := s.svc.Seller(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toSellerJSON(sel))
}

func (s *Server) changeSellerStatus(to registry.SellerStatus) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, ok := s.pathID(c, "id")
		if !ok {
			return
		}
		var req statusChangeRequest
		if !s.decode(c, &req) {
			return
		}
		change := registry.SellerStatusChange{Status: to, Reason: req.Reason}
		if req.EffectiveAt != nil {
			change.EffectiveAt = req.EffectiveAt.UTC()
		}
		sel, err := s.svc.ChangeSellerStatus(c.Request.Context(), id, change)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, toSellerJSON(sel))
	}
}
