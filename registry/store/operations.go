package store

import (
	"context"
	"encoding/json"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

var _ registry.OperationStore = (*Store)(nil)

// system is the principal of the node's own background work.
var system = &registry.Principal{KeyID: "system", Role: registry.RoleOperator}

// CreateOperation queues a chain operation on an issuance the caller leads (or
// any, for an operator).
func (s *Store) CreateOperation(ctx context.Context, issuanceID int64, kind registry.OperationKind) (*registry.Operation, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	var out *registry.Operation
	err = s.writeState(ctx, func(tx *gorm.DB) error {
		iss, err := s.visibleIssuance(tx, p, issuanceID)
		if err != nil {
			return err
		}
		if p.Role == registry.RoleSeller && iss.LeadSellerID != p.SellerID {
			return registry.Errorf(registry.EFORBIDDEN, "only the lead seller deploys an issuance's contracts")
		}
		if err := s.requireActiveSeller(tx, p); err != nil {
			return err
		}
		if kind == registry.OpDeploy {
			if iss.TokenAddress != "" {
				return registry.Errorf(registry.ECONFLICT, "issuance %d already has a token at %s", issuanceID, iss.TokenAddress)
			}
			if iss.Status == registry.IssuanceDraft || iss.Status == registry.IssuanceRedeemed {
				return registry.Errorf(registry.ECONFLICT, "issuance %d is %s; register it before deploying", issuanceID, iss.Status)
			}
			var open int64
			if err := tx.Model(&operationRow{}).Where("issuance_id = ? AND kind = ? AND status IN ?", issuanceID, string(kind),
				[]string{string(registry.OpPending), string(registry.OpRunning)}).Count(&open).Error; err != nil {
				return err
			}
			if open > 0 {
				return registry.Errorf(registry.ECONFLICT, "a deployment of issuance %d is already under way", issuanceID)
			}
		}
		now := s.now()
		row := &operationRow{IssuanceID: issuanceID, SellerID: iss.LeadSellerID, Kind: string(kind), Status: string(registry.OpPending),
			Result: "{}", CreatedBy: p.KeyID, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		out = row.domain()
		return s.appendAudit(tx, p, &iss.LeadSellerID, "operation.create", "operation", row.ID, out)
	})
	return out, err
}

// Operation returns an operation on an issuance visible to the caller.
func (s *Store) Operation(ctx context.Context, id int64) (*registry.Operation, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var row operationRow
	q := s.read(ctx).Where("id = ?", id)
	if p.Role == registry.RoleSeller {
		q = q.Where("issuance_id IN (SELECT id FROM issuances WHERE lead_seller_id = ? UNION SELECT issuance_id FROM issuance_sellers WHERE seller_id = ?)", p.SellerID, p.SellerID)
	} else if p.Role != registry.RoleOperator {
		return nil, registry.Errorf(registry.ENOTFOUND, "operation %d not found", id)
	}
	if err := q.Take(&row).Error; err != nil {
		if registry.ErrorCode(s.translate(err)) == registry.ENOTFOUND {
			return nil, registry.Errorf(registry.ENOTFOUND, "operation %d not found", id)
		}
		return nil, s.translate(err)
	}
	return row.domain(), nil
}

// ClaimOperation moves the oldest pending operation to RUNNING.
func (s *Store) ClaimOperation(ctx context.Context) (*registry.Operation, error) {
	var out *registry.Operation
	err := s.writeState(ctx, func(tx *gorm.DB) error {
		var row operationRow
		err := tx.Where("status = ?", string(registry.OpPending)).Order("id").Take(&row).Error
		if registry.ErrorCode(s.translate(err)) == registry.ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		// The status guard makes the claim safe against a second node claiming
		// the same row between the read and the update.
		res := tx.Model(&operationRow{}).Where("id = ? AND status = ?", row.ID, string(registry.OpPending)).
			Updates(map[string]any{"status": string(registry.OpRunning), "updated_at": s.now()})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		row.Status = string(registry.OpRunning)
		out = row.domain()
		return nil
	})
	return out, err
}

// FinishOperation records an operation's outcome.
func (s *Store) FinishOperation(ctx context.Context, id int64, result map[string]string, failure error) error {
	status, msg := registry.OpSucceeded, ""
	if failure != nil {
		status, msg = registry.OpFailed, failure.Error()
	}
	body, err := json.Marshal(result)
	if err != nil {
		return err
	}
	return s.writeState(ctx, func(tx *gorm.DB) error {
		var row operationRow
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return err
		}
		if err := tx.Model(&operationRow{}).Where("id = ?", id).Updates(map[string]any{
			"status": string(status), "error": msg, "result": string(body), "updated_at": s.now()}).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, system, &row.SellerID, "operation.finish", "operation", id,
			map[string]any{"status": status, "error": msg, "result": result})
	})
}

// FailInterrupted fails operations a previous process left RUNNING: their
// transactions may or may not have been mined, so a person decides (the
// operation's result lists what was sent).
func (s *Store) FailInterrupted(ctx context.Context) (int, error) {
	var n int64
	err := s.writeState(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&operationRow{}).Where("status = ?", string(registry.OpRunning)).Updates(map[string]any{
			"status": string(registry.OpFailed), "error": "interrupted by a restart; check the chain before retrying", "updated_at": s.now()})
		n = res.RowsAffected
		return res.Error
	})
	return int(n), err
}

// RecordDeployment attaches contract addresses to an issuance.
func (s *Store) RecordDeployment(ctx context.Context, issuanceID int64, d registry.Deployment) (*registry.Issuance, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var out *registry.Issuance
	err = s.write(ctx, func(tx *gorm.DB) error {
		iss, err := s.visibleIssuance(tx, p, issuanceID)
		if err != nil {
			return err
		}
		if p.Role == registry.RoleSeller && iss.LeadSellerID != p.SellerID {
			return registry.Errorf(registry.EFORBIDDEN, "only the lead seller attaches an issuance's contracts")
		}
		if err := s.requireActiveSeller(tx, p); err != nil {
			return err
		}
		if iss.Status == registry.IssuanceDraft || iss.Status == registry.IssuanceRedeemed {
			return registry.Errorf(registry.ECONFLICT, "issuance %d is %s; register it before attaching contracts", issuanceID, iss.Status)
		}
		if iss.TokenAddress != "" {
			return registry.Errorf(registry.ECONFLICT, "issuance %d already has a token at %s", issuanceID, iss.TokenAddress)
		}
		now := s.now()
		if err := tx.Model(&issuanceRow{}).Where("id = ?", issuanceID).Updates(map[string]any{
			"chain_id": d.ChainID, "token_address": d.TokenAddress, "registry_address": d.RegistryAddress,
			"deployment_block": d.Block, "updated_at": now}).Error; err != nil {
			if registry.ErrorCode(s.translate(err)) == registry.ECONFLICT {
				return registry.Errorf(registry.ECONFLICT, "token %s is already attached to another issuance", d.TokenAddress)
			}
			return err
		}
		// The new registry starts empty: queue every approved wallet.
		if err := s.enqueueSync(tx, "e.issuance_id = ?", issuanceID); err != nil {
			return err
		}
		iss.ChainID, iss.TokenAddress, iss.RegistryAddress, iss.DeploymentBlock, iss.UpdatedAt = d.ChainID, d.TokenAddress, d.RegistryAddress, d.Block, now
		out = iss
		return s.appendAudit(tx, p, &iss.LeadSellerID, "issuance.deployment", "issuance", issuanceID, d)
	})
	return out, err
}
