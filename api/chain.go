package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

func (s *Server) deploy(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	op, err := s.chain.Deploy(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	accepted(c, op)
}

// accepted answers 202 with a queued operation and where to poll it.
func accepted(c *gin.Context, op *registry.Operation) {
	c.Header("Location", "/v1/operations/"+strconv.FormatInt(op.ID, 10))
	c.JSON(http.StatusAccepted, toOperationJSON(op))
}

func (s *Server) attach(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var req attachRequest
	if !s.decode(c, &req) {
		return
	}
	iss, err := s.chain.Attach(c.Request.Context(), id, req.TokenAddress, req.RegistryAddress, req.DeploymentBlock)
	if err != nil {
		s.fail(c, err)
		return
	}
	// Who holds which role on the attached pair (recovery.go); the attach
	// itself succeeded, so a failed read only leaves the list out.
	out := attachedJSON{issuanceJSON: toIssuanceJSON(iss)}
	if roles, err := s.controls.Roles(c.Request.Context(), id); err != nil {
		s.log.Warn("roles of attached contracts", "issuance", id, "err", err)
	} else {
		out.Roles = rolesJSON(roles)
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) getOperation(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	op, err := s.chain.Operation(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toOperationJSON(op))
}

// tokenOp serves a token operation of kind: decode its kind's body strictly,
// let the chain service check and queue it, and answer 202 with the operation
// to poll. A refusal by the eligibility engine is a 409 with the reasons.
func (s *Server) tokenOp(kind registry.OperationKind) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, ok := s.pathID(c, "id")
		if !ok {
			return
		}
		op, ok := s.decodeTokenOp(c, kind)
		if !ok {
			return
		}
		queued, err := s.chain.TokenOperation(c.Request.Context(), id, op)
		if err != nil {
			s.fail(c, err)
			return
		}
		accepted(c, queued)
	}
}

// decodeTokenOp reads the body of a token operation of kind; addresses are
// validated by the chain service.
func (s *Server) decodeTokenOp(c *gin.Context, kind registry.OperationKind) (registry.TokenOp, bool) {
	op := registry.TokenOp{Kind: kind}
	amount := func(v string) bool {
		a, err := registry.ParseAmount("amount", v)
		if err != nil {
			s.fail(c, err)
			return false
		}
		op.Amount = a
		return true
	}
	switch kind {
	case registry.OpMint:
		var req mintRequest
		if !s.decode(c, &req) || !amount(req.Amount) {
			return op, false
		}
		op.To = req.To
	case registry.OpForcedTransfer:
		var req forcedTransferRequest
		if !s.decode(c, &req) || !amount(req.Amount) {
			return op, false
		}
		op.From, op.To = req.From, req.To
	case registry.OpRedeem:
		var req redemptionRequest
		if !s.decode(c, &req) || !amount(req.Amount) {
			return op, false
		}
		op.From = req.From
	case registry.OpFreeze, registry.OpUnfreeze:
		var req tokenFreezeRequest
		if !s.decode(c, &req) || req.Amount != nil && !amount(*req.Amount) {
			return op, false
		}
		op.Wallet = req.Wallet
	default: // PAUSE, UNPAUSE: no fields; an empty body or {}
		var req struct{}
		if !s.decode(c, &req) {
			return op, false
		}
	}
	return op, true
}

type operationJSON struct {
	ID         int64             `json:"id"`
	IssuanceID int64             `json:"issuanceId"`
	Kind       string            `json:"kind"`
	Status     string            `json:"status"`
	Error      string            `json:"error,omitempty"`
	Request    map[string]string `json:"request"`
	Result     map[string]string `json:"result"`
	CreatedBy  string            `json:"createdBy"`
	CreatedAt  time.Time         `json:"createdAt"`
	UpdatedAt  time.Time         `json:"updatedAt"`
}

func toOperationJSON(op *registry.Operation) operationJSON {
	req := op.Request
	if req == nil {
		req = map[string]string{}
	}
	return operationJSON{op.ID, op.IssuanceID, string(op.Kind), string(op.Status), op.Error, req, op.Result, op.CreatedBy, op.CreatedAt, op.UpdatedAt}
}

// attachedJSON is the issuance with the role holders of its attached pair.
type attachedJSON struct {
	issuanceJSON
	Roles []registry.RoleHolder `json:"roles,omitempty"`
}

type attachRequest struct {
	TokenAddress    string  `json:"tokenAddress"`
	RegistryAddress string  `json:"registryAddress"`
	DeploymentBlock *uint64 `json:"deploymentBlock"`
}

// Token operation requests. Amounts are decimal strings of base units.

type mintRequest struct {
	To     string `json:"to"`
	Amount string `json:"amount"`
}

type forcedTransferRequest struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Amount string `json:"amount"`
}

type redemptionRequest struct {
	From   string `json:"from"`
	Amount string `json:"amount"`
}

// tokenFreezeRequest freezes (or unfreezes) on the token the whole wallet, or Amount tokens of it.
type tokenFreezeRequest struct {
	Wallet string  `json:"wallet"`
	Amount *string `json:"amount"`
}
