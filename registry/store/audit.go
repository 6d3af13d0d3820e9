package store

import (
	"context"
	"encoding/json"
	"strconv"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// appendAudit adds an audit record inside the caller's transaction, so the change
// and its record commit or roll back together.
func (s *DB) appendAudit(tx *gorm.DB, p *registry.Principal, sellerID *int64, action, entity string, entityID any, detail any) error {
	body, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	var id string
	switch v := entityID.(type) {
	case int64:
		id = strconv.FormatInt(v, 10)
	case string:
		id = v
	default:
		b, _ := json.Marshal(v)
		id = string(b)
	}
	return tx.Create(&auditRow{
		At: s.now(), Actor: p.KeyID, ActorRole: string(p.Role), SellerID: sellerID,
		Action: action, Entity: entity, EntityID: id, Detail: string(body),
	}).Error
}

// Audit lists audit records, newest last. Operators see everything; sellers see
// records of their own tenant.
func (s *Registry) Audit(ctx context.Context, f registry.AuditFilter) ([]*registry.AuditRecord, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	page := f.Page.Normalize()
	q := s.read(ctx).Model(&auditRow{}).Where("id > ?", page.After)
	if p.Role == registry.RoleSeller {
		q = q.Where("seller_id = ?", p.SellerID)
	} else if f.SellerID != 0 {
		q = q.Where("seller_id = ?", f.SellerID)
	}
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.Since != nil {
		q = q.Where("at >= ?", f.Since.UTC())
	}
	var rows []auditRow
	if err := q.Order("id").Limit(page.Limit).Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]*registry.AuditRecord, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}
