package store

import (
	"context"
	"encoding/json"
	"strconv"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// refusalDetail is the audit detail of a refused request, in the API's names.
type refusalDetail struct {
	Request string          `json:"request"`
	Message string          `json:"message"`
	Reasons []refusalReason `json:"reasons"`
	Body    json.RawMessage `json:"body,omitempty"`
}

type refusalReason struct {
	Code   string `json:"code"`
	Number int    `json:"number"`
	Rule   string `json:"rule"`
}

// RecordRefusal appends a refused request to the audit log as action
// "request.refused". The refused change rolled back with its transaction, so
// this is a write of its own. The record belongs to the caller's seller, or for
// an operator to the issuance's lead seller, so the seller sees refusals of its
// issuances as it sees their changes; a seller never files under another tenant.
func (s *Registry) RecordRefusal(ctx context.Context, r registry.Refusal) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	detail := refusalDetail{Request: r.Request, Message: r.Message, Reasons: []refusalReason{}}
	for _, reason := range r.Reasons {
		detail.Reasons = append(detail.Reasons, refusalReason{Code: reason.Code.String(), Number: int(reason.Code), Rule: reason.Rule})
	}
	if json.Valid(r.Body) {
		detail.Body = r.Body
	}
	entityID := ""
	if r.IssuanceID != 0 {
		entityID = strconv.FormatInt(r.IssuanceID, 10)
	}
	// The audit log is no cached state: take the writer's lock without
	// bumping the generation, so a refusal does not flush look-up caches.
	return s.writeState(ctx, func(tx *gorm.DB) error {
		var tenant *int64
		switch {
		case p.Role == registry.RoleSeller:
			id := p.SellerID
			tenant = &id
		case r.IssuanceID != 0:
			var leads []int64
			if err := tx.Model(&issuanceRow{}).Where("id = ?", r.IssuanceID).Limit(1).Pluck("lead_seller_id", &leads).Error; err != nil {
				return err
			}
			if len(leads) == 1 {
				tenant = &leads[0]
			}
		}
		return s.appendAudit(tx, p, tenant, "request.refused", "issuance", entityID, detail)
	})
}
