package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// IssuanceOperations lists the operations of an issuance, oldest first, after
// the cursor f.Page.After (an operation id). Whoever may read one of them by id
// (Operation) may list them: the operator and the sellers that lead or handle
// the issuance (registry.CanRead); anyone else is told the issuance does not
// exist, like every issuance route.
func (s *Operations) IssuanceOperations(ctx context.Context, issuanceID int64, f registry.OperationFilter) ([]*registry.Operation, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	// visibleIssuance applies registry.CanRead, the rule Operation's SQL form
	// (readableByIssuance) says too.
	if _, err := s.visibleIssuance(db, p, issuanceID); err != nil {
		return nil, err
	}
	q := db.Where("issuance_id = ?", issuanceID)
	if f.Kind != "" {
		q = q.Where("kind = ?", string(f.Kind))
	}
	rows, err := keysetPage[operationRow](q, f.Page, string(f.Status))
	if err != nil {
		return nil, s.translate(err)
	}
	out := make([]*registry.Operation, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// keysetPage reads one page of q's rows in id order after page.After, of one
// status when status is set: the shape of every list below one parent (an
// issuance's operations and term changes, a subscription's deliveries).
func keysetPage[T any](q *gorm.DB, page registry.Page, status string) ([]T, error) {
	page = page.Normalize()
	q = q.Where("id > ?", page.After)
	if status != "" {
		q = q.Where("status = ?", status)
	}
	var rows []T
	err := q.Order("id").Limit(page.Limit).Find(&rows).Error
	return rows, err
}
