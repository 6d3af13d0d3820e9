package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// Eligibility: may a wallet receive an issuance's token, may a transfer
// happen, and the reason codes every decision is given in.

type reasonJSON struct {
	Code    string `json:"code"`
	Number  int    `json:"number"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

func reasonsJSON(rs []registry.Reason) []reasonJSON {
	out := make([]reasonJSON, len(rs))
	for i, r := range rs {
		out[i] = reasonJSON{Code: r.Code.String(), Number: int(r.Code), Rule: r.Rule, Message: r.Message}
	}
	return out
}

type decisionJSON struct {
	Address     string       `json:"address"`
	Allowed     bool         `json:"allowed"`
	Code        string       `json:"code"`
	Reasons     []reasonJSON `json:"reasons"`
	EvaluatedAt time.Time    `json:"evaluatedAt"`
}

func toDecisionJSON(r registry.EligibilityResult) decisionJSON {
	d := decisionJSON{Address: r.Address, Allowed: r.Decision.Allowed, Reasons: reasonsJSON(r.Decision.Reasons), EvaluatedAt: r.At}
	if !r.Decision.Allowed {
		d.Code = r.Decision.Primary().String()
	}
	return d
}

type batchEligibilityRequest struct {
	Addresses []string `json:"addresses"`
}

type transferCheckRequest struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Amount string `json:"amount"`
}

type transferCheckJSON struct {
	decisionJSON
	From   string `json:"from"`
	To     string `json:"to"`
	Amount string `json:"amount"`
}

type reasonCodeJSON struct {
	Code    string `json:"code"`
	Number  int    `json:"number"`
	Area    string `json:"area"`
	OnChain bool   `json:"onChain"`
	Message string `json:"message"`
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

func (s *Server) reasonCodes(c *gin.Context) {
	var out []reasonCodeJSON
	for _, r := range registry.Reasons() {
		out = append(out, reasonCodeJSON{Code: r.Name, Number: int(r.Code), Area: r.Area, OnChain: r.OnChain, Message: r.Message})
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}
