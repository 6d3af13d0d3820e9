package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

type driftJSON struct {
	Wallet  string           `json:"wallet"`
	Want    walletRecordJSON `json:"want"`
	OnChain walletRecordJSON `json:"onChain"`
}

type walletRecordJSON struct {
	InvestorID uint64 `json:"investorId"`
	Country    string `json:"country,omitempty"`
	Categories uint16 `json:"categories"`
	ValidUntil uint64 `json:"validUntil"`
	Frozen     bool   `json:"frozen"`
}

func toRecordJSON(r registry.WalletRecord) walletRecordJSON {
	return walletRecordJSON{r.InvestorID, r.Country, r.Categories, r.ValidUntil, r.Frozen}
}

// reconcile reports drift between the chain and the registry (GET) or also
// queues the drifted wallets for the whitelist sync (POST).
func (s *Server) reconcile(repair bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, ok := s.pathID(c, "id")
		if !ok {
			return
		}
		r, err := s.chain.Reconcile(c.Request.Context(), id, repair)
		if err != nil {
			s.fail(c, err)
			return
		}
		drift := make([]driftJSON, len(r.Drift))
		for i, d := range r.Drift {
			drift[i] = driftJSON{Wallet: d.Wallet, Want: toRecordJSON(d.Want), OnChain: toRecordJSON(d.OnChain)}
		}
		c.JSON(http.StatusOK, gin.H{"issuanceId": r.IssuanceID, "checked": r.Checked, "drift": drift,
			"repaired": r.Repaired, "asOfBlock": r.AsOfBlock, "roles": rolesJSON(r.Roles)})
	}
}

type alertJSON struct {
	ID          int64     `json:"id"`
	IssuanceID  int64     `json:"issuanceId"`
	ChainID     int64     `json:"chainId"`
	Token       string    `json:"token"`
	BlockNumber uint64    `json:"blockNumber"`
	BlockHash   string    `json:"blockHash"`
	TxHash      string    `json:"txHash"`
	LogIndex    uint      `json:"logIndex"`
	From        string    `json:"from"`
	To          string    `json:"to"`
	Amount      string    `json:"amount"`
	Codes       []string  `json:"codes"`
	CreatedAt   time.Time `json:"createdAt"`
}

func (s *Server) listAlerts(c *gin.Context) { s.writeAlerts(c, 0) }

func (s *Server) listIssuanceAlerts(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	s.writeAlerts(c, id)
}

func (s *Server) writeAlerts(c *gin.Context, issuanceID int64) {
	page, ok := s.page(c)
	if !ok {
		return
	}
	alerts, err := s.svc.Alerts(c.Request.Context(), registry.AlertFilter{IssuanceID: issuanceID, Page: page})
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]alertJSON, len(alerts))
	for i, a := range alerts {
		codes := make([]string, len(a.Codes))
		for j, code := range a.Codes {
			codes[j] = code.String()
		}
		out[i] = alertJSON{ID: a.ID, IssuanceID: a.IssuanceID, ChainID: a.ChainID, Token: a.Token, BlockNumber: a.BlockNumber,
			BlockHash: a.BlockHash, TxHash: a.TxHash, LogIndex: a.LogIndex, From: a.From, To: a.To, Amount: a.Amount.String(),
			Codes: codes, CreatedAt: a.CreatedAt}
	}
	list(c, out, page.Limit, func(x alertJSON) int64 { return x.ID })
}
