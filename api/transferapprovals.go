package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// Transfer approval (譲渡承認) routes: a holder's seller applies, the lead
// seller approves or rejects, either cancels; an approval is recorded on the
// token by the operation it queues (operationId).

type transferApprovalJSON struct {
	ID          int64      `json:"id"`
	IssuanceID  int64      `json:"issuanceId"`
	SellerID    int64      `json:"sellerId"`
	From        string     `json:"from"`
	To          string     `json:"to"`
	Amount      string     `json:"amount"`
	Status      string     `json:"status"`
	ExpiresAt   time.Time  `json:"expiresAt"`
	Note        string     `json:"note,omitempty"`
	DecidedBy   string     `json:"decidedBy,omitempty"`
	DecidedAt   *time.Time `json:"decidedAt,omitempty"`
	Reason      string     `json:"reason,omitempty"`
	OperationID int64      `json:"operationId,omitempty"`
	RequestedBy string     `json:"requestedBy"`
	CreatedAt   time.Time  `json:"createdAt"`
	UpdatedAt   time.Time  `json:"updatedAt"`
}

func toTransferApprovalJSON(a *registry.TransferApproval) transferApprovalJSON {
	return transferApprovalJSON{ID: a.ID, IssuanceID: a.IssuanceID, SellerID: a.SellerID, From: a.From, To: a.To,
		Amount: a.Amount.String(), Status: string(a.Status), ExpiresAt: a.ExpiresAt, Note: a.Note, DecidedBy: a.DecidedBy,
		DecidedAt: a.DecidedAt, Reason: a.Reason, OperationID: a.OperationID, RequestedBy: a.RequestedBy,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
}

type approvalRequestJSON struct {
	From      string     `json:"from"`
	To        string     `json:"to"`
	Amount    string     `json:"amount"`
	ExpiresAt *time.Time `json:"expiresAt"`
	Note      string     `json:"note"`
}

type approvalDecisionJSON struct {
	Reason string `json:"reason"`
}

func (s *Server) requestApproval(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var req approvalRequestJSON
	if !s.decode(c, &req) {
		return
	}
	amount, err := registry.ParseAmount("amount", req.Amount)
	if !s.valid(c, err) {
		return
	}
	if req.ExpiresAt == nil {
		s.fail(c, registry.Errorf(registry.EINVALID, "expiresAt is required"))
		return
	}
	a, err := s.controls.RequestApproval(c.Request.Context(), id, registry.ApprovalRequest{From: req.From, To: req.To,
		Amount: amount, ExpiresAt: req.ExpiresAt.UTC(), Note: req.Note})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toTransferApprovalJSON(a))
}

// decideApproval approves, rejects or cancels an application.
func (s *Server) decideApproval(status registry.ApprovalStatus) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, ok := s.pathID(c, "id")
		if !ok {
			return
		}
		aid, ok := s.pathID(c, "approvalId")
		if !ok {
			return
		}
		var req approvalDecisionJSON
		if !s.decode(c, &req) {
			return
		}
		a, err := s.controls.DecideApproval(c.Request.Context(), id, aid, registry.ApprovalDecision{Status: status, Reason: req.Reason})
		if err != nil {
			s.fail(c, err)
			return
		}
		code := http.StatusOK
		if a.OperationID != 0 && status != registry.ApprovalRejected {
			code = http.StatusAccepted // the on-chain record (or revocation) is under way
		}
		c.JSON(code, toTransferApprovalJSON(a))
	}
}

func (s *Server) getApproval(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	aid, ok := s.pathID(c, "approvalId")
	if !ok {
		return
	}
	a, err := s.controls.Approval(c.Request.Context(), id, aid)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toTransferApprovalJSON(a))
}

var approvalStatuses = map[string]registry.ApprovalStatus{"": "", "REQUESTED": registry.ApprovalRequested,
	"APPROVED": registry.ApprovalApproved, "REJECTED": registry.ApprovalRejected, "CANCELLED": registry.ApprovalCancelled,
	"EXPIRED": registry.ApprovalExpired}

func (s *Server) listApprovals(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	status, known := approvalStatuses[c.Query("status")]
	if !known {
		s.fail(c, registry.Errorf(registry.EINVALID, "status must be REQUESTED, APPROVED, REJECTED, CANCELLED or EXPIRED"))
		return
	}
	limit, ok := s.limit(c, 500)
	if !ok {
		return
	}
	var after int64
	if c.Query("after") != "" {
		if after, ok = s.queryID(c, "after"); !ok {
			return
		}
	}
	list, err := s.controls.Approvals(c.Request.Context(), id, registry.ApprovalFilter{Status: status, Limit: limit, After: after})
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]transferApprovalJSON, len(list))
	for i, a := range list {
		items[i] = toTransferApprovalJSON(a)
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}
