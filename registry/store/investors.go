package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// CreateInvestor onboards a customer of a seller, with its wallets and categories.
func (s *Registry) CreateInvestor(ctx context.Context, inv *registry.Investor) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return err
	}
	if p.Role == registry.RoleSeller {
		if inv.SellerID != 0 && !registry.ActsForSeller(p, inv.SellerID) {
			return registry.Errorf(registry.EFORBIDDEN, "a seller onboards its own customers")
		}
		inv.SellerID = p.SellerID
	}
	if inv.SellerID == 0 {
		return registry.Errorf(registry.EINVALID, "sellerId is required")
	}
	if inv.KYCStatus == "" {
		inv.KYCStatus = registry.KYCNone
	}
	if inv.Sanctions == "" {
		inv.Sanctions = registry.ScreeningNone
	}
	if inv.Antisocial == "" {
		inv.Antisocial = registry.ScreeningNone
	}
	if err := inv.Validate(); err != nil {
		return err
	}
	wallets := make([]registry.Wallet, 0, len(inv.Wallets))
	seen := map[string]bool{}
	for _, w := range inv.Wallets {
		addr, err := registry.NormalizeAddress("wallets.address", w.Address)
		if err != nil {
			return err
		}
		if seen[addr] {
			return registry.Errorf(registry.EINVALID, "wallet %s is listed twice", addr)
		}
		seen[addr] = true
		w.Address = addr
		wallets = append(wallets, w)
	}
	now := s.now()
	inv.CreatedAt, inv.UpdatedAt = now, now
	err = s.write(ctx, func(tx *gorm.DB) error {
		sel, err := s.sellerByID(tx, inv.SellerID)
		if err != nil {
			return registry.Errorf(registry.EINVALID, "seller %d does not exist", inv.SellerID)
		}
		if sel.Status != registry.SellerActive {
			return registry.Errorf(registry.EFORBIDDEN, "seller is %s and may not onboard investors", sel.Status)
		}
		row := investorToRow(inv)
		if err := tx.Create(row).Error; err != nil {
			if registry.ErrorCode(s.translate(err)) == registry.ECONFLICT {
				return registry.Errorf(registry.ECONFLICT, "customerRef %q is already onboarded by this seller", inv.CustomerRef)
			}
			return err
		}
		inv.ID = row.ID
		if err := s.replaceCategories(tx, inv.ID, inv.Categories); err != nil {
			return err
		}
		inv.Wallets = inv.Wallets[:0]
		for _, w := range wallets {
			created, err := s.insertWallet(tx, inv.ID, w, now)
			if err != nil {
				return err
			}
			inv.Wallets = append(inv.Wallets, *created)
		}
		return s.appendAudit(tx, p, &inv.SellerID, "investor.create", "investor", inv.ID, inv)
	})
	return err
}

func (s *DB) insertWallet(tx *gorm.DB, investorID int64, w registry.Wallet, now time.Time) (*registry.Wallet, error) {
	if err := registry.LimitText("label", w.Label, 100); err != nil {
		return nil, err
	}
	if err := s.checkWalletAddress(tx, w.Address); err != nil {
		return nil, err
	}
	row := &walletRow{Address: w.Address, InvestorID: investorID, Label: w.Label, CreatedAt: now}
	if err := tx.Create(row).Error; err != nil {
		if registry.ErrorCode(s.translate(err)) == registry.ECONFLICT {
			// Say nothing about whose wallet it is: that may be another tenant's.
			return nil, registry.Errorf(registry.ECONFLICT, "wallet %s is already registered", w.Address)
		}
		return nil, err
	}
	return row.domain(), nil
}

func (s *DB) replaceCategories(tx *gorm.DB, investorID int64, grants []registry.CategoryGrant) error {
	if err := tx.Where("investor_id = ?", investorID).Delete(&categoryRow{}).Error; err != nil {
		return err
	}
	for _, g := range grants {
		if err := tx.Create(&categoryRow{InvestorID: investorID, Category: string(g.Category), ValidFrom: g.ValidFrom.UTC(), ValidTo: g.ValidTo.UTC()}).Error; err != nil {
			return err
		}
	}
	return nil
}

// Investor returns one investor: to an operator any, to a seller only its own.
func (s *Registry) Investor(ctx context.Context, id int64) (*registry.Investor, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	return s.visibleInvestor(s.read(ctx), p, id)
}

func (s *DB) visibleInvestor(db *gorm.DB, p *registry.Principal, id int64) (*registry.Investor, error) {
	notFound := registry.Errorf(registry.ENOTFOUND, "investor %d not found", id)
	if p.Role == registry.RoleReader {
		return nil, notFound
	}
	var row investorRow
	q := db.Where("id = ?", id)
	if p.Role == registry.RoleSeller {
		q = q.Where("seller_id = ?", p.SellerID)
	}
	if err := q.Take(&row).Error; err != nil {
		if registry.ErrorCode(s.translate(err)) == registry.ENOTFOUND {
			return nil, notFound
		}
		return nil, s.translate(err)
	}
	out, err := s.loadInvestors(db, []investorRow{row})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// loadInvestors attaches categories and wallets with one query each.
func (s *DB) loadInvestors(db *gorm.DB, rows []investorRow) ([]*registry.Investor, error) {
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	cats := map[int64][]categoryRow{}
	wallets := map[int64][]walletRow{}
	if len(ids) > 0 {
		var cr []categoryRow
		if err := db.Where("investor_id IN ?", ids).Order("investor_id, category").Find(&cr).Error; err != nil {
			return nil, s.translate(err)
		}
		for _, c := range cr {
			cats[c.InvestorID] = append(cats[c.InvestorID], c)
		}
		var wr []walletRow
		if err := db.Where("investor_id IN ?", ids).Order("investor_id, created_at, address").Find(&wr).Error; err != nil {
			return nil, s.translate(err)
		}
		for _, w := range wr {
			wallets[w.InvestorID] = append(wallets[w.InvestorID], w)
		}
	}
	out := make([]*registry.Investor, len(rows))
	for i := range rows {
		out[i] = rows[i].domain(cats[rows[i].ID], wallets[rows[i].ID])
	}
	return out, nil
}

// Investors lists investors visible to the caller.
func (s *Registry) Investors(ctx context.Context, f registry.InvestorFilter) ([]*registry.Investor, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	page := f.Page.Normalize()
	db := s.read(ctx)
	q := db.Where("id > ?", page.After)
	if p.Role == registry.RoleSeller {
		q = q.Where("seller_id = ?", p.SellerID)
	} else if f.SellerID != 0 {
		q = q.Where("seller_id = ?", f.SellerID)
	}
	if f.CustomerRef != "" {
		q = q.Where("customer_ref = ?", f.CustomerRef)
	}
	if f.KYCStatus != "" {
		q = q.Where("kyc_status = ?", string(f.KYCStatus))
	}
	var rows []investorRow
	if err := q.Order("id").Limit(page.Limit).Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	return s.loadInvestors(db, rows)
}

// changeInvestor runs fn on a visible investor inside a write transaction, bumps
// updated_at, records the audit entry and returns the investor as stored.
func (s *DB) changeInvestor(ctx context.Context, id int64, action string, detail any, fn func(tx *gorm.DB, inv *registry.Investor, now time.Time) error) (*registry.Investor, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	var out *registry.Investor
	err = s.write(ctx, func(tx *gorm.DB) error {
		inv, err := s.visibleInvestor(tx, p, id)
		if err != nil {
			return err
		}
		if err := s.requireActiveSeller(tx, p); err != nil {
			return err
		}
		now := s.now()
		if err := fn(tx, inv, now); err != nil {
			return err
		}
		// Every investor change may change the investor's on-chain records.
		if err := s.enqueueSync(tx, "e.investor_id = ?", id); err != nil {
			return err
		}
		if err := tx.Model(&investorRow{}).Where("id = ?", id).Update("updated_at", now).Error; err != nil {
			return err
		}
		if out, err = s.visibleInvestor(tx, p, id); err != nil {
			return err
		}
		return s.appendAudit(tx, p, &inv.SellerID, action, "investor", id, detail)
	})
	return out, err
}

// AddWallet registers a wallet to an investor; an address belongs to one investor only.
func (s *Registry) AddWallet(ctx context.Context, investorID int64, w registry.Wallet) (*registry.Wallet, error) {
	addr, err := registry.NormalizeAddress("address", w.Address)
	if err != nil {
		return nil, err
	}
	w.Address = addr
	var created *registry.Wallet
	_, err = s.changeInvestor(ctx, investorID, "wallet.add", w, func(tx *gorm.DB, inv *registry.Investor, now time.Time) error {
		if len(inv.Wallets) >= 100 {
			return registry.Errorf(registry.ECONFLICT, "an investor may have at most 100 wallets")
		}
		created, err = s.insertWallet(tx, investorID, w, now)
		return err
	})
	return created, err
}

// RemoveWallet detaches a wallet from its investor.
func (s *Registry) RemoveWallet(ctx context.Context, investorID int64, address string) error {
	addr, err := registry.NormalizeAddress("address", address)
	if err != nil {
		return err
	}
	_, err = s.changeInvestor(ctx, investorID, "wallet.remove", map[string]string{"address": addr}, func(tx *gorm.DB, _ *registry.Investor, _ time.Time) error {
		// Queue the wallet's removal from every registry it is in before it is gone.
		if err := s.enqueueSync(tx, "e.investor_id = ? AND w.address = ?", investorID, addr); err != nil {
			return err
		}
		res := tx.Where("address = ? AND investor_id = ?", addr, investorID).Delete(&walletRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return registry.Errorf(registry.ENOTFOUND, "wallet %s not found on investor %d", addr, investorID)
		}
		return nil
	})
	return err
}

// UpdateKYC records a KYC result.
func (s *Registry) UpdateKYC(ctx context.Context, investorID int64, u registry.KYCUpdate) (*registry.Investor, error) {
	if err := u.Validate(); err != nil {
		return nil, err
	}
	return s.changeInvestor(ctx, investorID, "investor.kyc", u, func(tx *gorm.DB, _ *registry.Investor, _ time.Time) error {
		return tx.Model(&investorRow{}).Where("id = ?", investorID).Updates(map[string]any{
			"kyc_status": string(u.Status), "kyc_method": u.Method,
			"kyc_verified_at": utcPtr(u.VerifiedAt), "kyc_review_due": utcPtr(u.ReviewDue),
		}).Error
	})
}

// UpdateScreening records sanctions and anti-social forces screening results.
func (s *Registry) UpdateScreening(ctx context.Context, investorID int64, u registry.ScreeningUpdate) (*registry.Investor, error) {
	if err := u.Validate(); err != nil {
		return nil, err
	}
	at := u.CheckedAt.UTC()
	return s.changeInvestor(ctx, investorID, "investor.screening", u, func(tx *gorm.DB, _ *registry.Investor, _ time.Time) error {
		return tx.Model(&investorRow{}).Where("id = ?", investorID).Updates(map[string]any{
			"sanctions": string(u.Sanctions), "sanctions_checked_at": at,
			"antisocial": string(u.Antisocial), "antisocial_checked_at": at,
		}).Error
	})
}

// SetCategories replaces an investor's category grants.
func (s *Registry) SetCategories(ctx context.Context, investorID int64, grants []registry.CategoryGrant) (*registry.Investor, error) {
	if err := registry.ValidateCategories(grants); err != nil {
		return nil, err
	}
	return s.changeInvestor(ctx, investorID, "investor.categories", grants, func(tx *gorm.DB, _ *registry.Investor, _ time.Time) error {
		return s.replaceCategories(tx, investorID, grants)
	})
}

// SetFrozen freezes or unfreezes an investor's account.
func (s *Registry) SetFrozen(ctx context.Context, investorID int64, frozen bool, reason string) (*registry.Investor, error) {
	if err := registry.LimitText("reason", reason, 500); err != nil {
		return nil, err
	}
	action := "investor.unfreeze"
	if frozen {
		action = "investor.freeze"
	}
	return s.changeInvestor(ctx, investorID, action, map[string]any{"frozen": frozen, "reason": reason}, func(tx *gorm.DB, _ *registry.Investor, _ time.Time) error {
		return tx.Model(&investorRow{}).Where("id = ?", investorID).Updates(map[string]any{"frozen": frozen, "frozen_reason": reason}).Error
	})
}
