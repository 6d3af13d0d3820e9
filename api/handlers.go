package api

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

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
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]sellerJSON, len(sellers))
	for i, x := range sellers {
		out[i] = toSellerJSON(x)
	}
	list(c, out, page.Limit, func(x sellerJSON) int64 { return x.ID })
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

func (s *Server) createSellerKey(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var req createKeyRequest
	if !s.decode(c, &req) {
		return
	}
	if req.Role != "" && req.Role != string(registry.RoleSeller) {
		s.fail(c, registry.Errorf(registry.EINVALID, "keys under a seller have role seller; use /v1/keys for operator and reader keys"))
		return
	}
	s.issueKey(c, registry.RoleSeller, &id, req.Name)
}

func (s *Server) createKey(c *gin.Context) {
	var req createKeyRequest
	if !s.decode(c, &req) {
		return
	}
	role := registry.Role(req.Role)
	if role != registry.RoleOperator && role != registry.RoleReader {
		s.fail(c, registry.Errorf(registry.EINVALID, "role must be operator or reader; seller keys are created under /v1/sellers/{id}/keys"))
		return
	}
	s.issueKey(c, role, nil, req.Name)
}

func (s *Server) issueKey(c *gin.Context, role registry.Role, sellerID *int64, name string) {
	k, err := s.svc.CreateKey(c.Request.Context(), role, sellerID, name)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := toKeyJSON(&k.APIKey)
	out.Key = k.Secret
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, out)
}

func (s *Server) listSellerKeys(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	s.writeKeys(c, &id)
}

func (s *Server) listKeys(c *gin.Context) { s.writeKeys(c, nil) }

func (s *Server) writeKeys(c *gin.Context, sellerID *int64) {
	f := registry.KeyFilter{SellerID: sellerID, After: c.Query("after")}
	if f.After != "" && !validKeyID(f.After) {
		s.fail(c, registry.Errorf(registry.EINVALID, "after must be a key id (the next of the previous page)"))
		return
	}
	var ok bool
	if f.Limit, ok = s.limit(c, registry.MaxPageLimit); !ok {
		return
	}
	f.Limit = registry.Page{Limit: f.Limit}.Normalize().Limit
	keys, err := s.svc.Keys(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := keyListJSON{Items: make([]keyJSON, len(keys))}
	for i, k := range keys {
		out.Items[i] = toKeyJSON(k)
	}
	if len(keys) == f.Limit {
		out.Next = &out.Items[len(keys)-1].ID
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) revokeSellerKey(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	s.dropKey(c, &id)
}

func (s *Server) revokeKey(c *gin.Context) { s.dropKey(c, nil) }

func (s *Server) dropKey(c *gin.Context, sellerID *int64) {
	keyID := c.Param("keyId")
	if !validKeyID(keyID) {
		s.fail(c, registry.Errorf(registry.ENOTFOUND, "key %q not found", keyID))
		return
	}
	if err := s.svc.RevokeKey(c.Request.Context(), sellerID, keyID); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
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
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]issuanceJSON, len(items))
	for i, x := range items {
		out[i] = toIssuanceJSON(x)
	}
	list(c, out, page.Limit, func(x issuanceJSON) int64 { return x.ID })
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

func (s *Server) listWhitelist(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	page, ok := s.page(c)
	if !ok {
		return
	}
	f := registry.WhitelistFilter{Status: registry.WhitelistStatus(c.Query("status")), Page: page}
	if !s.valid(c, f.Validate()) {
		return
	}
	entries, err := s.svc.Whitelist(c.Request.Context(), id, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]whitelistJSON, len(entries))
	for i, e := range entries {
		out[i] = toWhitelistJSON(e)
	}
	list(c, out, page.Limit, func(x whitelistJSON) int64 { return x.InvestorID })
}

func (s *Server) approve(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	investorID, ok := s.pathID(c, "investorId")
	if !ok {
		return
	}
	var req approvalRequest
	if !s.decode(c, &req) {
		return
	}
	e, err := s.svc.Approve(c.Request.Context(), id, investorID, registry.Approval{ValidUntil: utc(req.ValidUntil)})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toWhitelistJSON(e))
}

func (s *Server) revoke(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	investorID, ok := s.pathID(c, "investorId")
	if !ok {
		return
	}
	e, err := s.svc.Revoke(c.Request.Context(), id, investorID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toWhitelistJSON(e))
}

func (s *Server) eligibility(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	res, err := s.svc.Eligibility(c.Request.Context(), id, []string{c.Param("address")}, s.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toDecisionJSON(res[0]))
}

func (s *Server) batchEligibility(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var req batchEligibilityRequest
	if !s.decode(c, &req) {
		return
	}
	res, err := s.svc.Eligibility(c.Request.Context(), id, req.Addresses, s.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]decisionJSON, len(res))
	for i, r := range res {
		out[i] = toDecisionJSON(r)
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

func (s *Server) transferCheck(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var req transferCheckRequest
	if !s.decode(c, &req) {
		return
	}
	amount, err := registry.ParseAmount("amount", req.Amount)
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.svc.CheckTransfer(c.Request.Context(), id, registry.TransferCheck{From: req.From, To: req.To, Amount: amount}, s.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	from, _ := registry.NormalizeAddress("from", req.From)
	c.JSON(http.StatusOK, transferCheckJSON{decisionJSON: toDecisionJSON(*res), From: from, To: res.Address, Amount: amount.String()})
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
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]investorJSON, len(items))
	for i, x := range items {
		out[i] = toInvestorJSON(x)
	}
	list(c, out, page.Limit, func(x investorJSON) int64 { return x.ID })
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

func (s *Server) audit(c *gin.Context) {
	page, ok := s.page(c)
	if !ok {
		return
	}
	f := registry.AuditFilter{Entity: c.Query("entity"), EntityID: c.Query("entityId"), Action: c.Query("action"), Page: page}
	if c.Query("sellerId") != "" {
		id, ok := s.queryID(c, "sellerId")
		if !ok {
			return
		}
		f.SellerID = id
	}
	records, err := s.svc.Audit(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]auditJSON, len(records))
	for i, r := range records {
		out[i] = auditJSON{ID: r.ID, At: r.At, Actor: r.Actor, ActorRole: string(r.ActorRole), SellerID: r.SellerID,
			Action: r.Action, Entity: r.Entity, EntityID: r.EntityID, Detail: json.RawMessage(r.Detail)}
	}
	list(c, out, page.Limit, func(x auditJSON) int64 { return x.ID })
}
