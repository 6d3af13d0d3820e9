package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// CreateSeller registers a securities firm. Operators only.
func (s *Registry) CreateSeller(ctx context.Context, sel *registry.Seller) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if err := requireRole(p, registry.RoleOperator); err != nil {
		return err
	}
	if sel.Status == "" {
		sel.Status = registry.SellerActive
	}
	if err := sel.Validate(); err != nil {
		return err
	}
	now := s.now()
	sel.CreatedAt, sel.UpdatedAt = now, now
	if sel.StatusEffectiveAt.IsZero() {
		sel.StatusEffectiveAt = now
	}
	row := &sellerRow{
		LegalName: sel.LegalName, CorporateNumber: sel.CorporateNumber, FSARegistration: sel.FSARegistration,
		Licence: string(sel.Licence), Membership: string(sel.Membership), Status: string(sel.Status),
		StatusEffectiveAt: sel.StatusEffectiveAt.UTC(), StatusReason: sel.StatusReason, CreatedAt: now, UpdatedAt: now,
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		sel.ID = row.ID
		return s.appendAudit(tx, p, &row.ID, "seller.create", "seller", row.ID, sel)
	})
	if registry.ErrorCode(err) == registry.ECONFLICT {
		return registry.Errorf(registry.ECONFLICT, "a seller with corporate number %s is already registered", sel.CorporateNumber)
	}
	return err
}

// Seller returns one seller: any to an operator, only its own to a seller.
func (s *Registry) Seller(ctx context.Context, id int64) (*registry.Seller, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !registry.ActsForSeller(p, id) {
		return nil, registry.Errorf(registry.ENOTFOUND, "seller %d not found", id)
	}
	return s.sellerByID(s.read(ctx), id)
}

func (s *DB) sellerByID(db *gorm.DB, id int64) (*registry.Seller, error) {
	var row sellerRow
	if err := db.Where("id = ?", id).Take(&row).Error; err != nil {
		if registry.ErrorCode(s.translate(err)) == registry.ENOTFOUND {
			return nil, registry.Errorf(registry.ENOTFOUND, "seller %d not found", id)
		}
		return nil, s.translate(err)
	}
	return row.domain(), nil
}

// Sellers lists sellers. Operators see all; a seller sees itself.
func (s *Registry) Sellers(ctx context.Context, f registry.SellerFilter) ([]*registry.Seller, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	page := f.Page.Normalize()
	q := s.read(ctx).Where("id > ?", page.After)
	if p.Role == registry.RoleSeller {
		q = q.Where("id = ?", p.SellerID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	var rows []sellerRow
	if err := q.Order("id").Limit(page.Limit).Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]*registry.Seller, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// sellerMoves lists the status changes the association may make.
var sellerMoves = map[registry.SellerStatus][]registry.SellerStatus{
	registry.SellerActive:    {registry.SellerSuspended, registry.SellerRevoked},
	registry.SellerSuspended: {registry.SellerActive, registry.SellerRevoked},
}

// ChangeSellerStatus suspends, reinstates or revokes a seller. Revocation is final.
func (s *Registry) ChangeSellerStatus(ctx context.Context, id int64, c registry.SellerStatusChange) (*registry.Seller, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var out *registry.Seller
	err = s.write(ctx, func(tx *gorm.DB) error {
		cur, err := s.sellerByID(tx, id)
		if err != nil {
			return err
		}
		allowed := false
		for _, to := range sellerMoves[cur.Status] {
			allowed = allowed || to == c.Status
		}
		if !allowed {
			return registry.Errorf(registry.ECONFLICT, "seller %d cannot move from %s to %s", id, cur.Status, c.Status)
		}
		now := s.now()
		eff := c.EffectiveAt
		if eff.IsZero() {
			eff = now
		}
		if err := tx.Model(&sellerRow{}).Where("id = ?", id).Updates(map[string]any{
			"status": string(c.Status), "status_effective_at": eff.UTC(), "status_reason": c.Reason, "updated_at": now,
		}).Error; err != nil {
			return err
		}
		if c.Status == registry.SellerRevoked {
			// A revoked firm's credentials stop working in the same transaction.
			if err := tx.Model(&apiKeyRow{}).Where("seller_id = ? AND revoked_at IS NULL", id).Update("revoked_at", now).Error; err != nil {
				return err
			}
		}
		// A seller's status decides its investors' eligibility everywhere, and
		// every investor's on the issuances it leads.
		if err := s.enqueueSync(tx, "v.seller_id = ? OR i.lead_seller_id = ?", id, id); err != nil {
			return err
		}
		cur.Status, cur.StatusEffectiveAt, cur.StatusReason, cur.UpdatedAt = c.Status, eff.UTC(), c.Reason, now
		out = cur
		return s.appendAudit(tx, p, &id, "seller.status", "seller", id, c)
	})
	return out, err
}
