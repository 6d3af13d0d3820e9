package store

import (
	"context"

	"slices"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// CreateIssuance registers an offering in DRAFT. A seller creates issuances it
// leads; an operator names the lead. The product policy is applied here, so a
// product that is not permissible never enters the registry.
func (s *Registry) CreateIssuance(ctx context.Context, i *registry.Issuance) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return err
	}
	if p.Role == registry.RoleSeller {
		if i.LeadSellerID != 0 && !registry.ActsForSeller(p, i.LeadSellerID) {
			return registry.Errorf(registry.EFORBIDDEN, "a seller registers issuances it leads")
		}
		i.LeadSellerID = p.SellerID
	}
	if i.LeadSellerID == 0 {
		return registry.Errorf(registry.EINVALID, "leadSellerId is required")
	}
	if i.Product.Class == "" {
		i.Product.Class = registry.ProductNone
	}
	if i.Product.Wrapper == "" {
		i.Product.Wrapper = registry.WrapperNone
	}
	if i.Product.Underlying == "" {
		i.Product.Underlying = registry.UnderlyingNone
	}
	i.MaxHolders = i.HolderCap()
	i.Status = registry.IssuanceDraft
	if err := i.Validate(); err != nil {
		return err
	}
	slices.Sort(i.HandlingSellers)
	i.HandlingSellers = slices.Compact(i.HandlingSellers)
	i.HandlingSellers = slices.DeleteFunc(i.HandlingSellers, func(id int64) bool { return id == i.LeadSellerID })
	if i.HandlingSellers == nil {
		i.HandlingSellers = []int64{}
	}
	now := s.now()
	if reasons := s.rules.ProductRefusals(i.Product, now); len(reasons) > 0 {
		return &registry.Error{Code: registry.EREFUSED, Message: "the product policy refuses this issuance", Reasons: reasons}
	}
	i.CreatedAt, i.UpdatedAt = now, now
	return s.write(ctx, func(tx *gorm.DB) error {
		for _, id := range append([]int64{i.LeadSellerID}, i.HandlingSellers...) {
			sel, err := s.sellerByID(tx, id)
			if err != nil {
				return registry.Errorf(registry.EINVALID, "seller %d does not exist", id)
			}
			if sel.Status != registry.SellerActive {
				return registry.Errorf(registry.ECONFLICT, "seller %d is %s", id, sel.Status)
			}
		}
		row := issuanceToRow(i)
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		i.ID = row.ID
		for _, sid := range i.HandlingSellers {
			if err := tx.Create(&issuanceSellerRow{IssuanceID: row.ID, SellerID: sid}).Error; err != nil {
				return err
			}
		}
		return s.appendAudit(tx, p, &i.LeadSellerID, "issuance.create", "issuance", i.ID, i)
	})
}

// Issuance returns one issuance visible to the caller: readers and operators see
// all, a seller only those it leads or handles; any other answers not found.
func (s *Registry) Issuance(ctx context.Context, id int64) (*registry.Issuance, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	return s.visibleIssuance(s.read(ctx), p, id)
}

func (s *DB) visibleIssuance(db *gorm.DB, p *registry.Principal, id int64) (*registry.Issuance, error) {
	notFound := registry.Errorf(registry.ENOTFOUND, "issuance %d not found", id)
	var row issuanceRow
	if err := db.Where("id = ?", id).Take(&row).Error; err != nil {
		if registry.ErrorCode(s.translate(err)) == registry.ENOTFOUND {
			return nil, notFound
		}
		return nil, s.translate(err)
	}
	handling, err := s.handlingSellers(db, []int64{id})
	if err != nil {
		return nil, err
	}
	iss := row.domain(handling[id])
	if !registry.CanRead(p, iss) {
		return nil, notFound
	}
	return iss, nil
}

func (s *DB) handlingSellers(db *gorm.DB, ids []int64) (map[int64][]int64, error) {
	var rows []issuanceSellerRow
	if err := db.Where("issuance_id IN ?", ids).Order("issuance_id, seller_id").Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make(map[int64][]int64, len(ids))
	for _, id := range ids {
		out[id] = []int64{}
	}
	for _, r := range rows {
		out[r.IssuanceID] = append(out[r.IssuanceID], r.SellerID)
	}
	return out, nil
}

// Issuances lists issuances visible to the caller.
func (s *Registry) Issuances(ctx context.Context, f registry.IssuanceFilter) ([]*registry.Issuance, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	page := f.Page.Normalize()
	db := s.read(ctx)
	q := db.Where("id > ?", page.After)
	sellerID := f.SellerID
	if p.Role == registry.RoleSeller {
		if sellerID != 0 && sellerID != p.SellerID {
			return []*registry.Issuance{}, nil
		}
		sellerID = p.SellerID
	}
	if sellerID != 0 {
		q = q.Where(handledBySeller, sellerID, sellerID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	var rows []issuanceRow
	if err := q.Order("id").Limit(page.Limit).Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	handling := map[int64][]int64{}
	if len(ids) > 0 {
		if handling, err = s.handlingSellers(db, ids); err != nil {
			return nil, err
		}
	}
	out := make([]*registry.Issuance, len(rows))
	for i := range rows {
		out[i] = rows[i].domain(handling[rows[i].ID])
	}
	return out, nil
}

// TransitionIssuance moves an issuance through its lifecycle. Registration
// re-applies the product policy in force at that moment.
func (s *Registry) TransitionIssuance(ctx context.Context, id int64, to registry.IssuanceStatus, reason string) (*registry.Issuance, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	if err := registry.LimitText("reason", reason, 500); err != nil {
		return nil, err
	}
	if !to.Valid() {
		return nil, registry.Errorf(registry.EINVALID, "status must be one of REGISTERED, OFFERING, ISSUED, SUSPENDED, REDEEMED")
	}
	var out *registry.Issuance
	err = s.writeIssuance(ctx, id, func(tx *gorm.DB) error {
		iss, err := s.visibleIssuance(tx, p, id)
		if err != nil {
			return err
		}
		if err := registry.RequireOperate(p, iss, "changes an issuance's status"); err != nil {
			return err
		}
		if err := s.requireActiveSeller(tx, p); err != nil {
			return err
		}
		if !registry.CanTransition(iss.Status, to) {
			return registry.Errorf(registry.ECONFLICT, "issuance %d cannot move from %s to %s", id, iss.Status, to)
		}
		now := s.now()
		if to == registry.IssuanceRegistered {
			if reasons := s.rules.ProductRefusals(iss.Product, now); len(reasons) > 0 {
				return &registry.Error{Code: registry.EREFUSED, Message: "the product policy refuses this issuance", Reasons: reasons}
			}
		}
		from := iss.Status
		if err := tx.Model(&issuanceRow{}).Where("id = ?", id).Updates(map[string]any{"status": string(to), "updated_at": now}).Error; err != nil {
			return err
		}
		iss.Status, iss.UpdatedAt = to, now
		out = iss
		return s.appendAudit(tx, p, &iss.LeadSellerID, "issuance.status", "issuance", id,
			map[string]any{"from": from, "to": to, "reason": reason})
	})
	return out, err
}

// requireActiveSeller refuses changes by a seller that is not ACTIVE.
func (s *DB) requireActiveSeller(tx *gorm.DB, p *registry.Principal) error {
	if p.Role != registry.RoleSeller {
		return nil
	}
	sel, err := s.sellerByID(tx, p.SellerID)
	if err != nil {
		return err
	}
	if sel.Status != registry.SellerActive {
		return registry.Errorf(registry.EFORBIDDEN, "seller is %s and may not make changes", sel.Status)
	}
	return nil
}
