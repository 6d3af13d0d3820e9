package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// distributionHolders collects the register at a record date as the holders
// of a distribution: each investor's name and tax category as they were then
// (none when the caller may not read them), and unattributed wallets.
type distributionHolders struct {
	header  registry.RegisterHeader
	holders []registry.DistributionHolder
}

func (d *distributionHolders) Header(h registry.RegisterHeader) error { d.header = h; return nil }

func (d *distributionHolders) Entry(e registry.RegisterEntry) error {
	h := registry.DistributionHolder{InvestorID: e.InvestorID, Wallets: e.Wallets, Balance: e.Balance}
	if e.Personal != nil {
		h.Name, h.TaxCategory = e.Personal.LegalName, e.Personal.TaxCategory
	}
	d.holders = append(d.holders, h)
	return nil
}

func (d *distributionHolders) Totals(registry.RegisterTotals) error { return nil }

// distributionJSON is a distribution with the register it was computed from
// and the rates it applied.
type distributionJSON struct {
	IssuanceID int64 `json:"issuanceId"`
	*registry.Distribution
	AsOfBlock uint64                     `json:"asOfBlock"`
	AsOfHash  string                     `json:"asOfHash"`
	Decimals  int                        `json:"decimals"`
	Rates     []registry.WithholdingRate `json:"rates"`
}

// distribution computes a distribution of an issuance: GET
// /v1/issuances/:id/distributions?kind=&amountPerToken=&recordDate=|block=&paymentDate=[&format=csv].
// The holders are the register at the record date (balances at the last block
// at or before it, names and tax categories as of that date); the withholding
// rates those in effect on the payment date. It is computed on every request
// from records that do not change once the record date's block is confirmed,
// so the same request answers the same payment instructions.
func (s *Server) distribution(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	kind := registry.DistributionKind(c.Query("kind"))
	if !kind.Valid() {
		s.fail(c, registry.Errorf(registry.EINVALID, "kind must be DIVIDEND, INTEREST or REDEMPTION"))
		return
	}
	if _, err := registry.ParseYenPerToken(c.Query("amountPerToken")); err != nil {
		s.fail(c, err)
		return
	}
	paymentDate, err := time.ParseInLocation(time.DateOnly, c.Query("paymentDate"), registry.RecordDateZone)
	if err != nil {
		s.fail(c, registry.Errorf(registry.EINVALID, "paymentDate must be a date YYYY-MM-DD"))
		return
	}
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != "csv" {
		s.fail(c, registry.Errorf(registry.EINVALID, "format must be json or csv"))
		return
	}
	block, blockSet, ok := s.queryBlock(c, "block")
	if !ok {
		return
	}
	var atBlock *uint64
	if blockSet {
		atBlock = &block
	}
	q, ok := s.registerQuery(c, c.Query("recordDate"), atBlock)
	if !ok {
		return
	}
	if q.RecordDate != nil && paymentDate.Before(registry.RecordDateCutoff(*q.RecordDate).Add(-24*time.Hour)) {
		s.fail(c, registry.Errorf(registry.EINVALID, "paymentDate must not precede recordDate"))
		return
	}
	iss, err := s.svc.Issuance(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	if !s.registerTarget(c, &q) {
		return
	}
	var hs distributionHolders
	if err := s.records.Register(c.Request.Context(), q, &hs); err != nil {
		s.fail(c, err)
		return
	}
	var recordDate time.Time
	if q.RecordDate != nil {
		recordDate = *q.RecordDate
	}
	d, err := registry.ComputeDistribution(registry.DistributionRequest{Kind: kind, AmountPerToken: c.Query("amountPerToken"),
		RecordDate: recordDate, PaymentDate: paymentDate, Decimals: iss.Decimals}, hs.holders)
	if err != nil {
		s.fail(c, err)
		return
	}
	if q.RecordDate == nil {
		d.RecordDate = "" // asked at a block: asOfBlock says which
	}
	if format == "csv" {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="distribution-%d-%s-%s.csv"`, id, recordName(d.RecordDate, hs.header.AsOfBlock), kind))
		c.Status(http.StatusOK)
		if err := registry.WriteDistributionCSV(c.Writer, d); err != nil {
			s.log.WarnContext(c.Request.Context(), "distribution export interrupted", "err", err)
		}
		return
	}
	rates := d.Rates
	if rates == nil {
		rates = []registry.WithholdingRate{}
	}
	if d.Lines == nil {
		d.Lines = []registry.DistributionLine{}
	}
	c.JSON(http.StatusOK, distributionJSON{IssuanceID: id, Distribution: d, AsOfBlock: hs.header.AsOfBlock, AsOfHash: hs.header.AsOfHash,
		Decimals: iss.Decimals, Rates: rates})
}

// withholdingRates lists the rate table distributions withhold by.
func (s *Server) withholdingRates(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"version": registry.WithholdingVersion, "rounding": registry.RoundingRule, "rates": registry.WithholdingRates()})
}

func recordName(date string, block uint64) string {
	if date != "" {
		return date
	}
	return fmt.Sprintf("block-%d", block)
}

type redeemRequest struct {
	Block *uint64 `json:"block"`
}

type redemptionJSON struct {
	Wallet      string `json:"wallet"`
	InvestorID  *int64 `json:"investorId,omitempty"`
	Amount      string `json:"amount"`
	OperationID int64  `json:"operationId"`
}

// redeemDistribution burns, for a redemption, every wallet's balance at the
// register's block through the redemption operation (one REDEEM per wallet):
// POST /v1/issuances/:id/distributions/redemptions {"block": N}, N being the
// redemption distribution's asOfBlock. Each operation is checked and sent as
// a single redemption is; a wallet that no longer holds its record balance,
// or one already burned by an earlier request, fails its operation with
// INSUFFICIENT_BALANCE instead of burning twice.
func (s *Server) redeemDistribution(c *gin.Context) {
	var req redeemRequest
	if !s.decode(c, &req) {
		return
	}
	if req.Block == nil {
		s.fail(c, registry.Errorf(registry.EINVALID, "block (the redemption distribution's asOfBlock) is required"))
		return
	}
	src, mr, ok := s.mirrorTarget(c)
	if !ok {
		return
	}
	if src.issuanceID == 0 {
		s.fail(c, registry.Errorf(registry.EINVALID, "a retired deployment's tokens cannot be redeemed"))
		return
	}
	h, err := mr.HolderRegister(c.Request.Context(), src.key, src.token, *req.Block)
	if err != nil {
		s.fail(c, err)
		return
	}
	var out []redemptionJSON
	for _, w := range h.Wallets {
		if w.Balance == nil || w.Balance.Sign() <= 0 {
			continue
		}
		op, err := s.chain.TokenOperation(c.Request.Context(), src.issuanceID,
			registry.TokenOp{Kind: registry.OpRedeem, From: w.Wallet, Amount: w.Balance})
		if err != nil {
			// The operations queued so far stand (each burns its wallet once);
			// the answer says where it stopped.
			s.fail(c, fmt.Errorf("redeeming %s after %d queued redemptions: %w", w.Wallet, len(out), err))
			return
		}
		out = append(out, redemptionJSON{Wallet: w.Wallet, InvestorID: w.InvestorID, Amount: w.Balance.String(), OperationID: op.ID})
	}
	if out == nil {
		out = []redemptionJSON{}
	}
	c.JSON(http.StatusAccepted, gin.H{"issuanceId": src.issuanceID, "asOfBlock": h.AsOfBlock, "totalSupply": h.TotalSupply.String(), "redemptions": out})
}
