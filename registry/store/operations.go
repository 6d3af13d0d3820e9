package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// system is the principal of the node's own background work.
var system = &registry.Principal{KeyID: "system", Role: registry.RoleOperator}

// CreateOperation queues a chain operation on an issuance the caller leads (or
// any, for an operator). Token operations need a deployed token; the request
// (addresses and amounts) is stored for the worker that executes it.
func (s *Operations) CreateOperation(ctx context.Context, issuanceID int64, kind registry.OperationKind, request map[string]string) (*registry.Operation, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	if kind != registry.OpDeploy && !kind.TokenOperation() {
		return nil, registry.Errorf(registry.EINVALID, "unknown operation kind %q", kind)
	}
	if request == nil {
		request = map[string]string{}
	}
	reqBody, err := json.Marshal(request)
	if err != nil {
		return nil, fmt.Errorf("encode operation request: %w", err)
	}
	var out *registry.Operation
	err = s.writeState(ctx, func(tx *gorm.DB) error {
		iss, err := s.visibleIssuance(tx, p, issuanceID)
		if err != nil {
			return err
		}
		if err := registry.RequireOperate(p, iss, "operates an issuance's contracts"); err != nil {
			return err
		}
		if err := s.requireActiveSeller(tx, p); err != nil {
			return err
		}
		switch {
		case kind == registry.OpDeploy:
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
		case iss.TokenAddress == "":
			return registry.Errorf(registry.ECONFLICT, "issuance %d has no token yet; deploy or attach one first", issuanceID)
		}
		now := s.now()
		row := &operationRow{IssuanceID: issuanceID, SellerID: iss.LeadSellerID, Kind: string(kind), Status: string(registry.OpPending),
			Result: "{}", Request: string(reqBody), CreatedBy: p.KeyID, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		out = row.domain()
		return s.appendAudit(tx, p, &iss.LeadSellerID, "operation.create", "operation", row.ID, out)
	})
	return out, err
}

// Operation returns an operation on an issuance visible to the caller.
func (s *Operations) Operation(ctx context.Context, id int64) (*registry.Operation, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var row operationRow
	q := s.read(ctx).Where("id = ?", id)
	if p.Role == registry.RoleSeller {
		q = readableByIssuance(q, p)
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

// ClaimOperation moves the oldest pending operation of an issuance whose chain
// work runs to RUNNING, owned by owner.
func (s *Operations) ClaimOperation(ctx context.Context, owner string) (*registry.Operation, error) {
	var out *registry.Operation
	err := s.writeState(ctx, func(tx *gorm.DB) error {
		var row operationRow
		err := tx.Where("status = ? AND "+notHalted, string(registry.OpPending)).Order("id").Take(&row).Error
		if registry.ErrorCode(s.translate(err)) == registry.ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		// The status guard makes the claim safe against a second node claiming
		// the same row between the read and the update.
		now := s.now()
		res := tx.Model(&operationRow{}).Where("id = ? AND status = ?", row.ID, string(registry.OpPending)).
			Updates(map[string]any{"status": string(registry.OpRunning), "owner": owner, "heartbeat_at": now, "updated_at": now})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		row.Status, row.Owner = string(registry.OpRunning), owner
		out = row.domain()
		return nil
	})
	return out, err
}

// FinishOperation records an operation's outcome. A succeeded operation that
// changes facts the registry holds is recorded in the same transaction as those
// facts: PAUSE/UNPAUSE set the issuance's paused flag, and a whole-wallet
// FREEZE/UNFREEZE sets the wallet's frozen flag (a registered wallet's freeze
// is wallet-wide: the registry is its source of truth, so the whitelist sync
// neither undoes it on this token nor misses it on the wallet's other tokens).
// Those go through write, which invalidates cached eligibility facts; the rest
// through writeState, so polling clients keep their caches. Between the freeze
// being mined and this commit, a whitelist batch settling for the same wallet
// could still read the old flag and undo it; the window is one DB round trip,
// and the next change to the wallet re-applies the registry's state.
func (s *Operations) FinishOperation(ctx context.Context, id int64, result map[string]string, failure error) error {
	status, msg := registry.OpSucceeded, ""
	if failure != nil {
		status, msg = registry.OpFailed, failure.Error()
	}
	body, err := json.Marshal(result)
	if err != nil {
		return fmt.Errorf("encode operation result: %w", err)
	}
	var row operationRow
	if err := s.read(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return s.translate(err)
	}
	op := row.domain()
	effect := failure == nil && registryEffect(op)
	run := s.writeState
	if effect {
		run = s.write
	}
	return run(ctx, func(tx *gorm.DB) error {
		if err := s.fencedIssuance(ctx, tx, row.IssuanceID, false); err != nil {
			return err
		}
		if err := tx.Model(&operationRow{}).Where("id = ?", id).Updates(map[string]any{
			"status": string(status), "error": msg, "result": string(body), "updated_at": s.now()}).Error; err != nil {
			return err
		}
		if effect {
			if err := s.applyRegistryEffect(tx, op); err != nil {
				return fmt.Errorf("operation %d: record its effect in the registry: %w", id, err)
			}
		}
		if err := s.applyControlOutcome(tx, op, failure); err != nil { // locks.go
			return fmt.Errorf("operation %d: record its outcome on locks: %w", id, err)
		}
		if err := s.appendAudit(tx, system, &row.SellerID, "operation.finish", "operation", id,
			map[string]any{"status": status, "error": msg, "result": result}); err != nil {
			return err
		}
		return s.emitOperationFinished(tx, op, status, msg, result) // events.go
	})
}

// registryEffect reports whether a succeeded op changes registry facts.
func registryEffect(op *registry.Operation) bool {
	switch op.Kind {
	case registry.OpPause, registry.OpUnpause:
		return true
	case registry.OpFreeze, registry.OpUnfreeze:
		_, partial := op.Request["amount"]
		return !partial && op.Request["wallet"] != ""
	}
	return false
}

func (s *DB) applyRegistryEffect(tx *gorm.DB, op *registry.Operation) error {
	now := s.now()
	switch op.Kind {
	case registry.OpPause, registry.OpUnpause:
		return tx.Model(&issuanceRow{}).Where("id = ?", op.IssuanceID).
			Updates(map[string]any{"paused": op.Kind == registry.OpPause, "updated_at": now}).Error
	case registry.OpFreeze, registry.OpUnfreeze:
		wallet := op.Request["wallet"]
		res := tx.Model(&walletRow{}).Where("address = ?", wallet).Update("frozen", op.Kind == registry.OpFreeze)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error // a wallet the registry does not know has no registry state
		}
		// This token already holds the new state; the wallet's other tokens follow
		// through the whitelist sync.
		// Every issuance the wallet is in, this one included: a sync batch that
		// settled while the freeze was in flight may have reversed it.
		return s.enqueueSync(tx, "w.address = ?", wallet)
	}
	return nil
}

// RecordDeployment attaches contract addresses to an issuance.
func (s *Operations) RecordDeployment(ctx context.Context, issuanceID int64, d registry.Deployment) (*registry.Issuance, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var out *registry.Issuance
	err = s.writeIssuance(ctx, issuanceID, func(tx *gorm.DB) error {
		iss, err := s.visibleIssuance(tx, p, issuanceID)
		if err != nil {
			return err
		}
		if err := registry.RequireOperate(p, iss, "attaches an issuance's contracts"); err != nil {
			return err
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
		// A pair this node deployed for another issuance is bound to it: its
		// constructor carried that issuance's terms.
		other, err := deployedForAnother(tx, issuanceID, d.GenesisHash, d.TokenAddress, d.RegistryAddress)
		if err != nil {
			return err
		}
		if other != 0 {
			return registry.Errorf(registry.ECONFLICT, "contracts %s / %s were deployed for issuance %d, not %d",
				d.TokenAddress, d.RegistryAddress, other, issuanceID)
		}
		now := s.now()
		if err := tx.Model(&issuanceRow{}).Where("id = ?", issuanceID).Updates(map[string]any{
			"chain_id": d.ChainID, "token_address": d.TokenAddress, "registry_address": d.RegistryAddress,
			"deployment_block": d.Block, "genesis_hash": d.GenesisHash, "chain_halt": "", "updated_at": now}).Error; err != nil {
			if registry.ErrorCode(s.translate(err)) == registry.ECONFLICT {
				return registry.Errorf(registry.ECONFLICT, "token %s is already attached to another issuance", d.TokenAddress)
			}
			return err
		}
		// The new registry starts empty: queue every approved wallet.
		if err := s.enqueueSync(tx, "e.issuance_id = ?", issuanceID); err != nil {
			return err
		}
		iss.ChainID, iss.TokenAddress, iss.RegistryAddress, iss.DeploymentBlock, iss.GenesisHash, iss.UpdatedAt =
			d.ChainID, d.TokenAddress, d.RegistryAddress, d.Block, d.GenesisHash, now
		out = iss
		return s.appendAudit(tx, p, &iss.LeadSellerID, "issuance.deployment", "issuance", issuanceID, d)
	})
	return out, err
}

// LastTokenOpBlock returns the block of the issuance's latest succeeded mint,
// allocation (its last batch), forced transfer or redemption.
func (s *Operations) LastTokenOpBlock(ctx context.Context, issuanceID int64) (uint64, bool, error) {
	var rows []operationRow
	// Operations on a retired deployment moved tokens on another chain (or
	// contract) than the one mirrored now.
	if err := s.read(ctx).Where("issuance_id = ? AND status = ? AND kind IN ?", issuanceID, string(registry.OpSucceeded),
		[]string{string(registry.OpMint), string(registry.OpForcedTransfer), string(registry.OpRedeem), string(registry.OpBatchMint),
			string(registry.OpRecover)}). // a recovery moves a whole balance (locks.go)
		Where(ofCurrentDeployment("operations", "created_at")).
		Order("id DESC").Limit(1).Find(&rows).Error; err != nil {
		return 0, false, s.translate(err)
	}
	if len(rows) == 0 {
		return 0, false, nil
	}
	block, err := strconv.ParseUint(rows[0].domain().Result["block"], 10, 64)
	if err != nil {
		return 0, false, nil
	}
	return block, true, nil
}

// TokenHolder returns the issuance a token address on a chain belongs to.
func (s *Operations) TokenHolder(ctx context.Context, chainID int64, token string) (int64, bool, error) {
	var ids []int64
	if err := s.read(ctx).Model(&issuanceRow{}).Where("chain_id = ? AND token_address = ?", chainID, token).
		Limit(1).Pluck("id", &ids).Error; err != nil {
		return 0, false, s.translate(err)
	}
	if len(ids) == 0 {
		return 0, false, nil
	}
	return ids[0], true, nil
}
