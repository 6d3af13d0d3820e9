package api

import (
	"math/big"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// Issuances: offerings, their registration and lifecycle.

type productJSON struct {
	Class      string `json:"class"`
	Wrapper    string `json:"wrapper"`
	Underlying string `json:"underlying"`
	Leverage   string `json:"leverage,omitempty"`
}

type issuanceJSON struct {
	ID               int64       `json:"id"`
	LeadSellerID     int64       `json:"leadSellerId"`
	HandlingSellers  []int64     `json:"handlingSellerIds"`
	IssuerName       string      `json:"issuerName"`
	TokenName        string      `json:"tokenName"`
	TokenSymbol      string      `json:"tokenSymbol"`
	Decimals         int         `json:"decimals"`
	LegalForm        string      `json:"legalForm"`
	FIEAClass        string      `json:"fieaClass"`
	OfferingType     string      `json:"offeringType"`
	MaxHolders       int         `json:"maxHolders"`
	LockupEnd        *time.Time  `json:"lockupEnd,omitempty"`
	MinHolding       *string     `json:"minHolding,omitempty"`
	MaxHolding       *string     `json:"maxHolding,omitempty"`
	AllowedCountries []string    `json:"allowedCountries"`
	DeniedCountries  []string    `json:"deniedCountries"`
	Product          productJSON `json:"product"`
	SupplyCap        *string     `json:"supplyCap,omitempty"`
	OfferingStart    *time.Time  `json:"offeringStart,omitempty"`
	OfferingEnd      *time.Time  `json:"offeringEnd,omitempty"`
	TransferApproval bool        `json:"transferApprovalRequired"`
	Status           string      `json:"status"`
	Paused           bool        `json:"paused"`
	ChainID          int64       `json:"chainId,omitempty"`
	TokenAddress     string      `json:"tokenAddress,omitempty"`
	RegistryAddress  string      `json:"registryAddress,omitempty"`
	DeploymentBlock  uint64      `json:"deploymentBlock,omitempty"`
	GenesisHash      string      `json:"genesisHash,omitempty"`
	ChainHalt        string      `json:"chainHalt,omitempty"`
	CreatedAt        time.Time   `json:"createdAt"`
	UpdatedAt        time.Time   `json:"updatedAt"`
}

func amountString(v *big.Int) *string {
	if v == nil {
		return nil
	}
	s := v.String()
	return &s
}

func toIssuanceJSON(i *registry.Issuance) issuanceJSON {
	return issuanceJSON{
		ID: i.ID, LeadSellerID: i.LeadSellerID, HandlingSellers: i.HandlingSellers, IssuerName: i.IssuerName,
		TokenName: i.TokenName, TokenSymbol: i.TokenSymbol, Decimals: i.Decimals, LegalForm: string(i.LegalForm),
		FIEAClass: string(i.FIEAClass), OfferingType: string(i.OfferingType), MaxHolders: i.MaxHolders,
		LockupEnd: i.LockupEnd, MinHolding: amountString(i.MinHolding), MaxHolding: amountString(i.MaxHolding),
		AllowedCountries: i.AllowedCountries, DeniedCountries: i.DeniedCountries,
		Product:   productJSON{string(i.Product.Class), string(i.Product.Wrapper), string(i.Product.Underlying), i.Product.Leverage},
		SupplyCap: amountString(i.SupplyCap), OfferingStart: i.OfferingStart, OfferingEnd: i.OfferingEnd,
		TransferApproval: i.ApprovalRequired, Status: string(i.Status), Paused: i.Paused, ChainID: i.ChainID, TokenAddress: i.TokenAddress,
		RegistryAddress: i.RegistryAddress, DeploymentBlock: i.DeploymentBlock, GenesisHash: i.GenesisHash,
		ChainHalt: i.ChainHalt, CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt,
	}
}

type createIssuanceRequest struct {
	LeadSellerID     int64        `json:"leadSellerId"`
	HandlingSellers  []int64      `json:"handlingSellerIds"`
	IssuerName       string       `json:"issuerName"`
	TokenName        string       `json:"tokenName"`
	TokenSymbol      string       `json:"tokenSymbol"`
	Decimals         *int         `json:"decimals"`
	LegalForm        string       `json:"legalForm"`
	FIEAClass        string       `json:"fieaClass"`
	OfferingType     string       `json:"offeringType"`
	MaxHolders       int          `json:"maxHolders"`
	LockupEnd        *time.Time   `json:"lockupEnd"`
	MinHolding       *string      `json:"minHolding"`
	MaxHolding       *string      `json:"maxHolding"`
	AllowedCountries []string     `json:"allowedCountries"`
	DeniedCountries  []string     `json:"deniedCountries"`
	Product          *productJSON `json:"product"`
	SupplyCap        *string      `json:"supplyCap"`
	OfferingStart    *time.Time   `json:"offeringStart"`
	OfferingEnd      *time.Time   `json:"offeringEnd"`
	TransferApproval bool         `json:"transferApprovalRequired"`
}

func optionalAmount(field string, s *string) (*big.Int, error) {
	if s == nil {
		return nil, nil
	}
	return registry.ParseAmount(field, *s)
}

func (r *createIssuanceRequest) domain() (*registry.Issuance, error) {
	i := &registry.Issuance{
		LeadSellerID: r.LeadSellerID, HandlingSellers: r.HandlingSellers, IssuerName: r.IssuerName,
		TokenName: r.TokenName, TokenSymbol: r.TokenSymbol, Decimals: 18, LegalForm: registry.LegalForm(r.LegalForm),
		FIEAClass: registry.FIEAClass(r.FIEAClass), OfferingType: registry.OfferingType(r.OfferingType),
		MaxHolders: r.MaxHolders, LockupEnd: utc(r.LockupEnd), AllowedCountries: r.AllowedCountries,
		DeniedCountries: r.DeniedCountries, OfferingStart: utc(r.OfferingStart), OfferingEnd: utc(r.OfferingEnd),
		ApprovalRequired: r.TransferApproval,
	}
	if r.Decimals != nil {
		i.Decimals = *r.Decimals
	}
	if i.AllowedCountries == nil {
		i.AllowedCountries = []string{}
	}
	if i.DeniedCountries == nil {
		i.DeniedCountries = []string{}
	}
	if r.Product != nil {
		i.Product = registry.Product{Class: registry.ProductClass(r.Product.Class), Wrapper: registry.Wrapper(r.Product.Wrapper),
			Underlying: registry.Underlying(r.Product.Underlying), Leverage: r.Product.Leverage}
	}
	var err error
	if i.MinHolding, err = optionalAmount("minHolding", r.MinHolding); err != nil {
		return nil, err
	}
	if i.MaxHolding, err = optionalAmount("maxHolding", r.MaxHolding); err != nil {
		return nil, err
	}
	if i.SupplyCap, err = optionalAmount("supplyCap", r.SupplyCap); err != nil {
		return nil, err
	}
	return i, nil
}

type issuanceStatusRequest struct {
	Status string `json:"status"`
	Reason string `json:"reason"`
}

func (s *Server) createIssuance(c *gin.Context) {
	var req createIssuanceRequest
	if !s.decode(c, &req) {
		return
	}
	iss, err := req.domain()
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.svc.CreateIssuance(c.Request.Context(), iss); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toIssuanceJSON(iss))
}

func (s *Server) listIssuances(c *gin.Context) {
	page, ok := s.page(c)
	if !ok {
		return
	}
	f := registry.IssuanceFilter{Status: registry.IssuanceStatus(c.Query("status")), Page: page}
	if !s.valid(c, f.Validate()) {
		return
	}
	if v := c.Query("sellerId"); v != "" {
		id, ok := s.queryID(c, "sellerId")
		if !ok {
			return
		}
		f.SellerID = id
	}
	items, err := s.svc.Issuances(c.Request.Context(), f)
	listOf(s, c, items, err, page.Limit, toIssuanceJSON, func(x issuanceJSON) int64 { return x.ID })
}

func (s *Server) getIssuance(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	iss, err := s.svc.Issuance(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toIssuanceJSON(iss))
}

func (s *Server) transitionIssuance(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var req issuanceStatusRequest
	if !s.decode(c, &req) {
		return
	}
	iss, err := s.svc.TransitionIssuance(c.Request.Context(), id, registry.IssuanceStatus(req.Status), req.Reason)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toIssuanceJSON(iss))
}
