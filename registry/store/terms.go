package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// Terms is the store side of term changes: requested, scheduled, cancelled
// and applied (the registry's terms at once, the chain's through a SET_TERMS
// operation queued in the same transaction).
type Terms struct{ *DB }

// NewTerms builds the term-change service on db.
func NewTerms(db *DB) *Terms { return &Terms{db} }

var (
	_ registry.TermService  = (*Terms)(nil)
	_ registry.TermSchedule = (*Terms)(nil)
)

type termChangeRow struct {
	ID           int64 `gorm:"primaryKey"`
	IssuanceID   int64
	SellerID     int64
	Changes      string
	Previous     string
	EffectiveAt  time.Time
	Reason       string
	Status       string
	RequestedBy  string
	CreatedAt    time.Time
	AppliedAt    *time.Time
	CancelledBy  string
	CancelledAt  *time.Time
	CancelReason string
	Error        string
	OnChain      string
	OperationID  *int64
	// CountryOperationID is the SET_COUNTRY_RULE operation, if any.
	CountryOperationID *int64 `gorm:"column:country_operation_id"`
}

func (termChangeRow) TableName() string { return "term_changes" }

func (r *termChangeRow) domain() (*registry.TermChange, error) {
	c := &registry.TermChange{ID: r.ID, IssuanceID: r.IssuanceID, SellerID: r.SellerID, EffectiveAt: r.EffectiveAt.UTC(),
		Reason: r.Reason, Status: registry.TermChangeStatus(r.Status), RequestedBy: r.RequestedBy, CreatedAt: r.CreatedAt.UTC(),
		AppliedAt: utcPtr(r.AppliedAt), CancelledBy: r.CancelledBy, CancelledAt: utcPtr(r.CancelledAt), CancelReason: r.CancelReason,
		Error: r.Error, OnChain: splitList(r.OnChain), OperationID: r.OperationID, CountryRuleOperationID: r.CountryOperationID}
	if err := json.Unmarshal([]byte(r.Changes), &c.Changes); err != nil {
		return nil, fmt.Errorf("term change %d: decode changes: %w", r.ID, err)
	}
	if r.Previous != "" {
		c.Previous = &registry.Terms{}
		if err := json.Unmarshal([]byte(r.Previous), c.Previous); err != nil {
			return nil, fmt.Errorf("term change %d: decode previous terms: %w", r.ID, err)
		}
	}
	return c, nil
}

// MaxTermReason bounds the reason of a term change.
const MaxTermReason = 500

// ChangeTerms records a change of an issuance's terms: applied at once when
// it is effective now (or EffectiveAt is nil), otherwise scheduled. Only the
// operator and the issuance's lead seller (while ACTIVE) may change terms; the
// change must be valid against the issuance's terms now (and is checked again
// when it falls due).
func (s *Terms) ChangeTerms(ctx context.Context, issuanceID int64, r registry.TermChangeRequest) (*registry.TermChange, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	if err := r.Changes.Validate(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(r.Reason) == "" {
		return nil, registry.Errorf(registry.EINVALID, "reason is required: say why the terms change")
	}
	if err := registry.LimitText("reason", r.Reason, MaxTermReason); err != nil {
		return nil, err
	}
	if err := registry.CheckTime("effectiveAt", r.EffectiveAt); err != nil {
		return nil, err
	}
	changes, err := json.Marshal(r.Changes)
	if err != nil {
		return nil, fmt.Errorf("encode term change: %w", err)
	}
	var out *registry.TermChange
	err = s.writeIssuance(ctx, issuanceID, func(tx *gorm.DB) error {
		iss, err := s.visibleIssuance(tx, p, issuanceID)
		if err != nil {
			return err
		}
		if err := registry.RequireOperate(p, iss, "changes an issuance's terms"); err != nil {
			return err
		}
		if err := s.requireActiveSeller(tx, p); err != nil {
			return err
		}
		if iss.Status == registry.IssuanceRedeemed {
			return registry.Errorf(registry.ECONFLICT, "issuance %d is REDEEMED; its terms no longer change", issuanceID)
		}
		if _, err := r.Changes.Apply(iss); err != nil {
			return err
		}
		now := s.now()
		effective := now
		if r.EffectiveAt != nil && r.EffectiveAt.After(now) {
			effective = r.EffectiveAt.UTC().Truncate(time.Microsecond)
		}
		row := &termChangeRow{IssuanceID: issuanceID, SellerID: iss.LeadSellerID, Changes: string(changes), EffectiveAt: effective,
			Reason: r.Reason, Status: string(registry.TermChangeScheduled), RequestedBy: p.KeyID, CreatedAt: now}
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		if err := s.appendAudit(tx, p, &iss.LeadSellerID, "issuance.terms.request", "issuance", issuanceID,
			map[string]any{"termChange": row.ID, "changes": r.Changes, "effectiveAt": effective, "reason": r.Reason}); err != nil {
			return err
		}
		if effective.After(now) {
			out, err = row.domain()
			return err
		}
		if err := s.applyTermChange(tx, p, row, iss); err != nil {
			return err
		}
		out, err = row.domain()
		return err
	})
	return out, err
}

// applyTermChange applies a change in the caller's writeIssuance transaction:
// the issuance's new terms, the change's history (what it replaced), a
// SET_TERMS operation when the contracts enforce a term it alters, the audit
// record, and the term_change.applied event. A change that is no longer valid
// against the issuance (it changed since the request) is returned as an
// EINVALID error and nothing is written.
func (s *DB) applyTermChange(tx *gorm.DB, p *registry.Principal, row *termChangeRow, iss *registry.Issuance) error {
	c, err := row.domain()
	if err != nil {
		return err
	}
	after, err := c.Changes.Apply(iss)
	if err != nil {
		return err
	}
	previous := c.Changes.Touched(iss)
	prevJSON, err := json.Marshal(previous)
	if err != nil {
		return err
	}
	now := s.now()
	if err := tx.Model(&issuanceRow{}).Where("id = ?", iss.ID).Updates(map[string]any{
		"lockup_end": after.LockupEnd, "max_holders": after.MaxHolders,
		"allowed_countries": strings.Join(after.AllowedCountries, ","), "denied_countries": strings.Join(after.DeniedCountries, ","),
		"supply_cap": amountText(after.SupplyCap), "offering_start": after.OfferingStart, "offering_end": after.OfferingEnd,
		"updated_at": now}).Error; err != nil {
		return err
	}
	var onChain []string
	if iss.TokenAddress != "" {
		onChain = registry.OnChain(iss, after)
	}
	upd := map[string]any{"status": string(registry.TermChangeApplied), "applied_at": now, "previous": string(prevJSON),
		"on_chain": strings.Join(onChain, ",")}
	// The token's settings go to a SET_TERMS operation (the admin key), the
	// registry's country rule to a SET_COUNTRY_RULE one (the writer key).
	var tokenSettings, registrySettings []string
	for _, setting := range onChain {
		if setting == "countryRule" {
			registrySettings = append(registrySettings, setting)
		} else {
			tokenSettings = append(tokenSettings, setting)
		}
	}
	for _, q := range []struct {
		kind     registry.OperationKind
		settings []string
		column   string
		id       **int64
	}{{registry.OpSetTerms, tokenSettings, "operation_id", &row.OperationID},
		{registry.OpSetCountryRule, registrySettings, "country_operation_id", &row.CountryOperationID}} {
		if len(q.settings) == 0 {
			continue
		}
		req, err := json.Marshal(registry.SetTermsRequest(row.ID, registry.ChainTermsOf(after), q.settings))
		if err != nil {
			return err
		}
		op := &operationRow{IssuanceID: iss.ID, SellerID: iss.LeadSellerID, Kind: string(q.kind),
			Status: string(registry.OpPending), Result: "{}", Request: string(req), CreatedBy: row.RequestedBy, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(op).Error; err != nil {
			return err
		}
		upd[q.column] = op.ID
		*q.id = &op.ID
	}
	res := tx.Model(&termChangeRow{}).Where("id = ? AND status = ?", row.ID, string(registry.TermChangeScheduled)).Updates(upd)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("term change %d is no longer scheduled", row.ID)
	}
	row.Status, row.AppliedAt, row.Previous, row.OnChain = string(registry.TermChangeApplied), &now, string(prevJSON), strings.Join(onChain, ",")
	detail := map[string]any{"termChange": row.ID, "changes": c.Changes, "previous": previous, "reason": row.Reason,
		"requestedBy": row.RequestedBy, "effectiveAt": row.EffectiveAt, "onChain": onChain, "operationId": row.OperationID,
		"countryRuleOperationId": row.CountryOperationID}
	if err := s.appendAudit(tx, p, &iss.LeadSellerID, "issuance.terms", "issuance", iss.ID, detail); err != nil {
		return err
	}
	e := newEvent(registry.EventTermChangeApplied, iss.ID, detail)
	e.Public = true
	return s.emitEvent(tx, e)
}

// ApplyDueTermChanges applies the scheduled changes whose time has come,
// oldest first, each in a transaction of its own that re-reads it under the
// issuance's lock: a change applies exactly once however many nodes try, and
// one that became invalid fails (recorded) without holding up the others.
func (s *Terms) ApplyDueTermChanges(ctx context.Context) (int, error) {
	applied := 0
	for {
		var due []termChangeRow
		if err := s.read(ctx).Where("status = ? AND effective_at <= ?", string(registry.TermChangeScheduled), s.now()).
			Order("effective_at, id").Limit(50).Find(&due).Error; err != nil {
			return applied, s.translate(err)
		}
		if len(due) == 0 {
			return applied, nil
		}
		progress := false
		for i := range due {
			ok, err := s.applyDue(ctx, due[i].ID, due[i].IssuanceID)
			if err != nil {
				return applied, err
			}
			if ok {
				applied++
			}
			progress = true
		}
		if !progress {
			return applied, nil
		}
	}
}

// applyDue applies one due change; false when another run got it first or it
// failed validation (then it is marked FAILED with the reason).
func (s *Terms) applyDue(ctx context.Context, id, issuanceID int64) (bool, error) {
	var invalid error
	applied := false
	err := s.writeIssuance(ctx, issuanceID, func(tx *gorm.DB) error {
		var row termChangeRow
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return err
		}
		if row.Status != string(registry.TermChangeScheduled) {
			return nil // applied or cancelled meanwhile
		}
		iss, err := s.visibleIssuance(tx, system, issuanceID)
		if err != nil {
			return err
		}
		err = s.applyTermChange(tx, system, &row, iss)
		if registry.ErrorCode(err) == registry.EINVALID {
			invalid = err
			return err // roll back whatever was written; the failure is recorded below
		}
		applied = err == nil
		return err
	})
	if invalid != nil {
		return false, s.failTermChange(ctx, id, issuanceID, invalid)
	}
	return applied, err
}

// failTermChange marks a due change that can no longer apply as FAILED.
func (s *Terms) failTermChange(ctx context.Context, id, issuanceID int64, why error) error {
	return s.writeIssuance(ctx, issuanceID, func(tx *gorm.DB) error {
		var row termChangeRow
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return err
		}
		res := tx.Model(&termChangeRow{}).Where("id = ? AND status = ?", id, string(registry.TermChangeScheduled)).
			Updates(map[string]any{"status": string(registry.TermChangeFailed), "error": registry.ErrorMessage(why)})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return s.appendAudit(tx, system, &row.SellerID, "issuance.terms.fail", "issuance", issuanceID,
			map[string]any{"termChange": id, "error": registry.ErrorMessage(why)})
	})
}

// NextTermChange is when the earliest scheduled change falls due.
func (s *Terms) NextTermChange(ctx context.Context) (time.Time, bool, error) {
	var rows []termChangeRow
	if err := s.read(ctx).Select("effective_at").Where("status = ?", string(registry.TermChangeScheduled)).
		Order("effective_at").Limit(1).Find(&rows).Error; err != nil {
		return time.Time{}, false, s.translate(err)
	}
	if len(rows) == 0 {
		return time.Time{}, false, nil
	}
	return rows[0].EffectiveAt.UTC(), true, nil
}

// TermChanges lists an issuance's term changes, oldest first: scheduled ones
// and the history of applied, cancelled and failed ones. Whoever sees the
// issuance sees its terms' history.
func (s *Terms) TermChanges(ctx context.Context, issuanceID int64, f registry.TermChangeFilter) ([]*registry.TermChange, error) {
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
	rows, err := keysetPage[termChangeRow](db.Where("issuance_id = ?", issuanceID), f.Page, string(f.Status))
	if err != nil {
		return nil, s.translate(err)
	}
	return s.termChanges(db, rows)
}

// termChanges decodes rows and adds the status of their chain operations.
func (s *Terms) termChanges(db *gorm.DB, rows []termChangeRow) ([]*registry.TermChange, error) {
	out := make([]*registry.TermChange, len(rows))
	var opIDs []int64
	for i := range rows {
		c, err := rows[i].domain()
		if err != nil {
			return nil, err
		}
		out[i] = c
		for _, id := range []*int64{c.OperationID, c.CountryRuleOperationID} {
			if id != nil {
				opIDs = append(opIDs, *id)
			}
		}
	}
	if len(opIDs) == 0 {
		return out, nil
	}
	var ops []operationRow
	if err := db.Select("id", "status").Where("id IN ?", opIDs).Find(&ops).Error; err != nil {
		return nil, s.translate(err)
	}
	status := map[int64]registry.OperationStatus{}
	for _, o := range ops {
		status[o.ID] = registry.OperationStatus(o.Status)
	}
	for _, c := range out {
		c.ChainStatus = chainStatus(status, c.OperationID, c.CountryRuleOperationID)
	}
	return out, nil
}

// chainStatus sums up a change's operations: FAILED if one failed,
// SUCCEEDED when all did, else the least advanced one's status; "" without
// any.
func chainStatus(status map[int64]registry.OperationStatus, ids ...*int64) registry.OperationStatus {
	rank := map[registry.OperationStatus]int{registry.OpPending: 0, registry.OpRunning: 1, registry.OpSucceeded: 2}
	var out registry.OperationStatus
	for _, id := range ids {
		if id == nil {
			continue
		}
		st := status[*id]
		switch {
		case st == registry.OpFailed || out == registry.OpFailed:
			out = registry.OpFailed
		case out == "" || rank[st] < rank[out]:
			out = st
		}
	}
	return out
}

// TermChange returns one of an issuance's term changes.
func (s *Terms) TermChange(ctx context.Context, issuanceID, changeID int64) (*registry.TermChange, error) {
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
	var rows []termChangeRow
	if err := db.Where("id = ? AND issuance_id = ?", changeID, issuanceID).Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	if len(rows) == 0 {
		return nil, registry.Errorf(registry.ENOTFOUND, "term change %d not found", changeID)
	}
	out, err := s.termChanges(db, rows)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// CancelTermChange withdraws a scheduled change before it applies; one that
// has applied is changed back by another change.
func (s *Terms) CancelTermChange(ctx context.Context, issuanceID, changeID int64, reason string) (*registry.TermChange, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	if err := registry.LimitText("reason", reason, MaxTermReason); err != nil {
		return nil, err
	}
	var out *registry.TermChange
	// writeIssuance: the same lock the scheduler applies the change under, so
	// a cancel and an application cannot both succeed.
	err = s.writeIssuance(ctx, issuanceID, func(tx *gorm.DB) error {
		iss, err := s.visibleIssuance(tx, p, issuanceID)
		if err != nil {
			return err
		}
		if err := registry.RequireOperate(p, iss, "cancels term changes"); err != nil {
			return err
		}
		if err := s.requireActiveSeller(tx, p); err != nil {
			return err
		}
		var row termChangeRow
		if err := s.takeOfIssuance(tx, &row, issuanceID, changeID, "term change"); err != nil {
			return err
		}
		if row.Status != string(registry.TermChangeScheduled) {
			return registry.Errorf(registry.ECONFLICT, "term change %d is %s; only a SCHEDULED change can be cancelled", changeID, row.Status)
		}
		now := s.now()
		if err := tx.Model(&termChangeRow{}).Where("id = ?", changeID).Updates(map[string]any{
			"status": string(registry.TermChangeCancelled), "cancelled_by": p.KeyID, "cancelled_at": now, "cancel_reason": reason}).Error; err != nil {
			return err
		}
		row.Status, row.CancelledBy, row.CancelledAt, row.CancelReason = string(registry.TermChangeCancelled), p.KeyID, &now, reason
		if out, err = row.domain(); err != nil {
			return err
		}
		return s.appendAudit(tx, p, &iss.LeadSellerID, "issuance.terms.cancel", "issuance", issuanceID,
			map[string]any{"termChange": changeID, "reason": reason})
	})
	return out, err
}
