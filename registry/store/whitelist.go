package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// Approve puts an investor on an issuance's whitelist, or updates the approval's
// valid-until if it is already there. The caller must see both the issuance and
// the investor, and the rules must allow the approval (the investor's seller
// leads or handles the issuance).
func (s *Registry) Approve(ctx context.Context, issuanceID, investorID int64, a registry.Approval) (*registry.WhitelistEntry, error) {
	if err := registry.CheckTime("validUntil", a.ValidUntil); err != nil {
		return nil, err
	}
	return s.changeWhitelist(ctx, issuanceID, investorID, func(tx *gorm.DB, p *registry.Principal, iss *registry.Issuance, inv *registry.Investor, cur *whitelistRow) (*whitelistRow, string, error) {
		if reasons := s.rules.ApprovalRefusals(iss, inv); len(reasons) > 0 {
			return nil, "", &registry.Error{Code: registry.EREFUSED, Message: reasons[0].Message, Reasons: reasons}
		}
		if iss.Status == registry.IssuanceRedeemed {
			return nil, "", registry.Errorf(registry.ECONFLICT, "issuance %d is redeemed", iss.ID)
		}
		// A wallet that can never hold the token would only be refused on-chain.
		for _, w := range inv.Wallets {
			if err := registry.CheckIssuanceWallet("wallet", w.Address, iss); err != nil {
				return nil, "", err
			}
		}
		now := s.now()
		row := &whitelistRow{
			IssuanceID: issuanceID, InvestorID: investorID, Status: string(registry.WhitelistApproved),
			ValidUntil: utcPtr(a.ValidUntil), ApprovedBy: p.KeyID, ApprovedAt: now,
			SyncState: string(registry.SyncPending), UpdatedAt: now,
		}
		if cur != nil && cur.Status == string(registry.WhitelistApproved) {
			// Re-approving keeps the original approval time, and so the investor's
			// place among the issuance's holders.
			row.ApprovedBy, row.ApprovedAt = cur.ApprovedBy, cur.ApprovedAt
		}
		return row, "whitelist.approve", nil
	})
}

// Revoke takes an investor off an issuance's whitelist.
func (s *Registry) Revoke(ctx context.Context, issuanceID, investorID int64) (*registry.WhitelistEntry, error) {
	return s.changeWhitelist(ctx, issuanceID, investorID, func(tx *gorm.DB, p *registry.Principal, iss *registry.Issuance, inv *registry.Investor, cur *whitelistRow) (*whitelistRow, string, error) {
		if cur == nil || cur.Status != string(registry.WhitelistApproved) {
			return nil, "", registry.Errorf(registry.ENOTFOUND, "investor %d is not on the whitelist of issuance %d", investorID, issuanceID)
		}
		now := s.now()
		row := *cur
		row.Status, row.RevokedBy, row.RevokedAt = string(registry.WhitelistRevoked), p.KeyID, &now
		row.SyncState, row.SyncTxHash, row.SyncBlock, row.UpdatedAt = string(registry.SyncPending), "", nil, now
		return &row, "whitelist.revoke", nil
	})
}

type whitelistChange func(tx *gorm.DB, p *registry.Principal, iss *registry.Issuance, inv *registry.Investor, cur *whitelistRow) (next *whitelistRow, action string, err error)

func (s *DB) changeWhitelist(ctx context.Context, issuanceID, investorID int64, change whitelistChange) (*registry.WhitelistEntry, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	var out *registry.WhitelistEntry
	err = s.writeIssuance(ctx, issuanceID, func(tx *gorm.DB) error {
		iss, err := s.visibleIssuance(tx, p, issuanceID)
		if err != nil {
			return err
		}
		inv, err := s.visibleInvestor(tx, p, investorID)
		if err != nil {
			return err
		}
		if err := s.requireActiveSeller(tx, p); err != nil {
			return err
		}
		var cur *whitelistRow
		var found whitelistRow
		switch err := tx.Where("issuance_id = ? AND investor_id = ?", issuanceID, investorID).Take(&found).Error; {
		case err == nil:
			cur = &found
		case registry.ErrorCode(s.translate(err)) != registry.ENOTFOUND:
			return err
		}
		next, action, err := change(tx, p, iss, inv, cur)
		if err != nil {
			return err
		}
		if err := tx.Save(next).Error; err != nil {
			return err
		}
		if err := s.enqueueSync(tx, "e.issuance_id = ? AND e.investor_id = ?", issuanceID, investorID); err != nil {
			return err
		}
		out = next.domain()
		return s.appendAudit(tx, p, &inv.SellerID, action, "whitelist_entry", map[string]int64{"issuanceId": issuanceID, "investorId": investorID}, out)
	})
	return out, err
}

// Whitelist lists an issuance's entries; a seller sees only its own investors'.
func (s *Registry) Whitelist(ctx context.Context, issuanceID int64, f registry.WhitelistFilter) ([]*registry.WhitelistEntry, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	if _, err := s.visibleIssuance(db, p, issuanceID); err != nil {
		return nil, err
	}
	page := f.Page.Normalize()
	q := db.Where("issuance_id = ? AND investor_id > ?", issuanceID, page.After)
	if p.Role == registry.RoleSeller {
		q = q.Where("investor_id IN (SELECT id FROM investors WHERE seller_id = ?)", p.SellerID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	var rows []whitelistRow
	if err := q.Order("investor_id").Limit(page.Limit).Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]*registry.WhitelistEntry, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	if err := s.attachSyncErrors(db, issuanceID, out); err != nil {
		return nil, err
	}
	return out, nil
}

// attachSyncErrors fills SyncError of entries with a wallet the chain refused:
// which wallet, the decoded reason, and how often it was tried.
func (s *DB) attachSyncErrors(db *gorm.DB, issuanceID int64, entries []*registry.WhitelistEntry) error {
	if len(entries) == 0 {
		return nil
	}
	ids := make([]int64, len(entries))
	for i, e := range entries {
		ids[i] = e.InvestorID
	}
	var rows []struct {
		InvestorID int64
		Wallet     string
		Reason     string
		Attempts   int
		FailedAt   time.Time
	}
	if err := db.Raw(`SELECT investor_id, wallet, reason, attempts, failed_at FROM whitelist_sync_failures
WHERE issuance_id = ? AND investor_id IN ? ORDER BY investor_id, wallet`, issuanceID, ids).Scan(&rows).Error; err != nil {
		return s.translate(err)
	}
	msgs := map[int64][]string{}
	for _, r := range rows {
		msgs[r.InvestorID] = append(msgs[r.InvestorID], fmt.Sprintf("wallet %s refused by the chain: %s (%d attempt(s), last %s)",
			r.Wallet, r.Reason, r.Attempts, r.FailedAt.UTC().Format(time.RFC3339)))
	}
	for _, e := range entries {
		e.SyncError = strings.Join(msgs[e.InvestorID], "; ")
	}
	return nil
}

// checkWalletAddress refuses a wallet address that can never hold a token:
// the zero address, a precompile, or any issuance's own contract.
func (s *DB) checkWalletAddress(tx *gorm.DB, addr string) error {
	if err := registry.CheckHolderAddress("wallet", addr); err != nil {
		return err
	}
	var n int64
	if err := tx.Model(&issuanceRow{}).Where("token_address = ? OR registry_address = ?", addr, addr).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return registry.Errorf(registry.EINVALID, "wallet %s is an issuance's token or registry contract and can never hold a token", addr)
	}
	return nil
}
