package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// Whitelist: an issuance's approved investors and each entry's on-chain sync state.

type approvalRequest struct {
	ValidUntil *time.Time `json:"validUntil"`
}

type whitelistJSON struct {
	IssuanceID int64      `json:"issuanceId"`
	InvestorID int64      `json:"investorId"`
	Status     string     `json:"status"`
	ValidUntil *time.Time `json:"validUntil,omitempty"`
	ApprovedBy string     `json:"approvedBy"`
	ApprovedAt time.Time  `json:"approvedAt"`
	RevokedBy  string     `json:"revokedBy,omitempty"`
	RevokedAt  *time.Time `json:"revokedAt,omitempty"`
	Sync       syncJSON   `json:"sync"`
	UpdatedAt  time.Time  `json:"updatedAt"`
}

type syncJSON struct {
	State  string `json:"state"`
	TxHash string `json:"txHash,omitempty"`
	Block  *int64 `json:"block,omitempty"`
	Error  string `json:"error,omitempty"` // a wallet the chain refused, and why
}

func toWhitelistJSON(e *registry.WhitelistEntry) whitelistJSON {
	return whitelistJSON{e.IssuanceID, e.InvestorID, string(e.Status), e.ValidUntil, e.ApprovedBy, e.ApprovedAt,
		e.RevokedBy, e.RevokedAt, syncJSON{string(e.SyncState), e.SyncTxHash, e.SyncBlock, e.SyncError}, e.UpdatedAt}
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
	listOf(s, c, entries, err, page.Limit, toWhitelistJSON, func(x whitelistJSON) int64 { return x.InvestorID })
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
