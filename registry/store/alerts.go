package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

type alertRow struct {
	ID          int64 `gorm:"primaryKey"`
	ChainID     int64
	BlockHash   string
	LogIndex    int64
	IssuanceID  int64
	Token       string
	BlockNumber int64
	TxHash      string
	FromAddr    string
	ToAddr      string
	Amount      string
	Codes       string
	CreatedAt   time.Time
}

func (alertRow) TableName() string { return "compliance_alerts" }

func (r *alertRow) domain() *registry.Alert {
	a := &registry.Alert{ID: r.ID, IssuanceID: r.IssuanceID, ChainID: r.ChainID, Token: r.Token, BlockNumber: uint64(r.BlockNumber),
		BlockHash: r.BlockHash, TxHash: r.TxHash, LogIndex: uint(r.LogIndex), From: r.FromAddr, To: r.ToAddr,
		Amount: amountValue(&r.Amount), CreatedAt: r.CreatedAt.UTC()}
	for _, c := range splitList(r.Codes) {
		if n, err := strconv.Atoi(c); err == nil {
			a.Codes = append(a.Codes, registry.ReasonCode(n))
		}
	}
	return a
}

// alertIneligibleReceivers raises an alert, in the caller's transaction, for
// each transfer (as uniqueTransfers leaves them) of an issuance's token that
// the rules hold should not have happened (registry.Compliance.AlertCodes),
// and returns the alerts it stored.
// The registry is consulted as it stands at ingestion (it keeps no history of
// eligibility), which is the block's time when the mirror follows the head.
// It returns the facts it judged on, holdings after the batch included, for the
// caller to cache once the transaction commits: the next look-up then needs no
// read of them.
func (s *DB) alertIneligibleReceivers(tx *gorm.DB, issuanceID, chainID int64, token string, transfers []registry.Transfer) (*txFacts, []alertRow, error) {
	var receivers []string
	seen := map[string]bool{}
	for _, t := range transfers {
		if !seen[t.To] {
			seen[t.To] = true
			receivers = append(receivers, t.To)
		}
	}
	if len(receivers) == 0 {
		return nil, nil, nil
	}
	f, at, err := s.factsInTx(tx, issuanceID, receivers)
	if err != nil {
		return nil, nil, err
	}
	judged := &txFacts{at: at, facts: f}
	now := s.now()
	var rows []alertRow
	for _, t := range transfers {
		var codes []string
		for _, c := range s.rules.AlertCodes(f, t.To, now) {
			codes = append(codes, strconv.Itoa(int(c)))
		}
		if len(codes) == 0 {
			continue
		}
		rows = append(rows, alertRow{ChainID: chainID, BlockHash: t.BlockHash, LogIndex: int64(t.LogIndex),
			IssuanceID: issuanceID, Token: token, BlockNumber: int64(t.BlockNumber), TxHash: t.TxHash,
			FromAddr: t.From, ToAddr: t.To, Amount: t.Amount.String(), Codes: strings.Join(codes, ","), CreatedAt: now})
	}
	if len(rows) == 0 {
		return judged, nil, nil
	}
	for _, r := range rows {
		s.log.Warn("compliance alert: transfer into an ineligible wallet", "issuance", r.IssuanceID, "tx", r.TxHash, "to", r.ToAddr, "codes", r.Codes)
	}
	err = s.execBulk(tx, alertInsert, []any{chainID, issuanceID, token, now}, len(rows), func(i int, args []any) []any {
		r := &rows[i]
		return append(args, r.BlockHash, r.LogIndex, r.BlockNumber, r.TxHash, r.FromAddr, r.ToAddr, r.Amount, r.Codes)
	})
	if err != nil {
		return nil, nil, err
	}
	return judged, rows, nil
}

// alertInsert adds a batch's alerts; one already raised for the log stays as
// it was.
var alertInsert = newBulkInsert(`INSERT INTO compliance_alerts (chain_id, issuance_id, token, created_at,
	block_hash, log_index, block_number, tx_hash, from_addr, to_addr, amount, codes) VALUES `,
	"(:1, :2, :3, :4, ?, ?, ?, ?, ?, ?, ?, ?)", "ON CONFLICT DO NOTHING")

// Alerts lists compliance alerts visible to the caller, oldest first.
func (s *Registry) Alerts(ctx context.Context, f registry.AlertFilter) ([]*registry.Alert, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	if f.IssuanceID != 0 {
		if _, err := s.visibleIssuance(db, p, f.IssuanceID); err != nil {
			return nil, err
		}
	}
	page := f.Page.Normalize()
	q := db.Where("id > ?", page.After)
	if f.IssuanceID != 0 {
		q = q.Where("issuance_id = ?", f.IssuanceID)
	}
	// Alerts name other sellers' investors' wallets: lead sellers only.
	q = operableByIssuance(q, p)
	var rows []alertRow
	if err := q.Order("id").Limit(page.Limit).Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]*registry.Alert, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// AlertCount counts every alert, for the metric.
func (s *Registry) AlertCount(ctx context.Context) (int64, error) {
	var n int64
	err := s.read(ctx).Model(&alertRow{}).Count(&n).Error
	return n, s.translate(err)
}
