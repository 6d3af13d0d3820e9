package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/stonode/stonode/registry"
)

type chainIdentityRow struct {
	ChainID     int64 `gorm:"primaryKey;autoIncrement:false"`
	GenesisHash string
	FirstSeen   time.Time
}

func (chainIdentityRow) TableName() string { return "chain_identities" }

type haltRow struct {
	ID         int64 `gorm:"primaryKey"`
	IssuanceID int64
	ChainID    int64
	Token      string
	Reason     string
	CreatedAt  time.Time
	ClearedAt  *time.Time
}

func (haltRow) TableName() string { return "chain_halts" }

func (r *haltRow) domain() registry.Halt {
	return registry.Halt{ID: r.ID, IssuanceID: r.IssuanceID, ChainID: r.ChainID, Token: r.Token, Reason: r.Reason,
		CreatedAt: r.CreatedAt.UTC(), ClearedAt: utcPtr(r.ClearedAt)}
}

type retiredRow struct {
	ID              int64 `gorm:"primaryKey"`
	IssuanceID      int64
	ChainID         int64
	GenesisHash     string
	TokenAddress    string
	RegistryAddress string
	DeploymentBlock uint64
	MirrorKey       int64
	Reason          string
	RetiredBy       string
	RetiredAt       time.Time
}

func (retiredRow) TableName() string { return "retired_deployments" }

func (r *retiredRow) domain() *registry.RetiredDeployment {
	return &registry.RetiredDeployment{ID: r.ID, IssuanceID: r.IssuanceID, ChainID: r.ChainID, GenesisHash: r.GenesisHash,
		TokenAddress: r.TokenAddress, RegistryAddress: r.RegistryAddress, DeploymentBlock: r.DeploymentBlock,
		MirrorKey: r.MirrorKey, Reason: r.Reason, RetiredBy: r.RetiredBy, RetiredAt: r.RetiredAt.UTC()}
}

type operationTxRow struct {
	ID              int64 `gorm:"primaryKey"`
	OperationID     int64
	Step            int
	Nonce           uint64
	TxHash          string
	RawTx           string // hex: one encoding on both engines
	ContractAddress string
	GenesisHash     string
	CreatedAt       time.Time
}

func (operationTxRow) TableName() string { return "operation_txs" }

// RememberChain records a chain id's genesis the first time it is seen.
func (s *Operations) RememberChain(ctx context.Context, id registry.ChainIdentity) (registry.ChainIdentity, error) {
	var row chainIdentityRow
	err := s.writeState(ctx, func(tx *gorm.DB) error {
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&chainIdentityRow{ChainID: id.ChainID,
			GenesisHash: id.GenesisHash, FirstSeen: s.now()}).Error; err != nil {
			return err
		}
		return tx.Where("chain_id = ?", id.ChainID).Take(&row).Error
	})
	if err != nil {
		return registry.ChainIdentity{}, err
	}
	return registry.ChainIdentity{ChainID: row.ChainID, GenesisHash: row.GenesisHash}, nil
}

// HaltIssuance halts an issuance's chain work and raises the alert, once. It
// goes through writeIssuance: the halt is a fact eligibility look-ups may show.
func (s *Operations) HaltIssuance(ctx context.Context, issuanceID int64, reason string) (bool, error) {
	halted := false
	err := s.writeIssuance(ctx, issuanceID, func(tx *gorm.DB) error {
		var iss issuanceRow
		if err := tx.Where("id = ?", issuanceID).Take(&iss).Error; err != nil {
			return err
		}
		if iss.ChainHalt != "" || iss.TokenAddress == "" {
			return nil
		}
		now := s.now()
		if err := tx.Model(&issuanceRow{}).Where("id = ?", issuanceID).
			Updates(map[string]any{"chain_halt": reason, "updated_at": now}).Error; err != nil {
			return err
		}
		h := &haltRow{IssuanceID: issuanceID, ChainID: iss.ChainID, Token: iss.TokenAddress, Reason: reason, CreatedAt: now}
		if err := tx.Create(h).Error; err != nil {
			return err
		}
		halted = true
		if err := s.appendAudit(tx, system, &iss.LeadSellerID, "issuance.chain_halt", "issuance", issuanceID,
			map[string]any{"reason": reason, "chainId": iss.ChainID, "tokenAddress": iss.TokenAddress}); err != nil {
			return err
		}
		halt := h.domain()
		return s.emitChainWorkHalted(tx, &halt) // events.go
	})
	return halted, err
}

// Halts lists the halts in force.
func (s *Operations) Halts(ctx context.Context) ([]registry.Halt, error) {
	var rows []haltRow
	if err := s.read(ctx).Where("cleared_at IS NULL").Order("id").Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]registry.Halt, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// IssuanceHalts lists an issuance's halts, newest first.
func (s *Operations) IssuanceHalts(ctx context.Context, issuanceID int64) ([]registry.Halt, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.visibleIssuance(s.read(ctx), p, issuanceID); err != nil {
		return nil, err
	}
	var rows []haltRow
	if err := s.read(ctx).Where("issuance_id = ?", issuanceID).Order("id DESC").Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]registry.Halt, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// mergedResult loads an operation in tx and returns it with its result, as
// JSON, after setting the given keys (an empty value removes its key).
func mergedResult(tx *gorm.DB, operationID int64, add map[string]string) (*operationRow, string, error) {
	var op operationRow
	if err := tx.Where("id = ?", operationID).Take(&op).Error; err != nil {
		return nil, "", err
	}
	m := map[string]string{}
	_ = json.Unmarshal([]byte(op.Result), &m)
	for k, v := range add {
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, err := json.Marshal(m)
	return &op, string(b), err
}

// RecordOperationTxs stores signed transactions before they are broadcast.
func (s *Operations) RecordOperationTxs(ctx context.Context, operationID int64, txs []registry.OperationTx, result map[string]string) error {
	return s.writeState(ctx, func(tx *gorm.DB) error {
		op, body, err := mergedResult(tx, operationID, result)
		if err != nil {
			return err
		}
		if op.Status != string(registry.OpRunning) {
			return fmt.Errorf("operation %d is %s, not RUNNING: nothing may be sent for it", operationID, op.Status)
		}
		// A transaction with a new nonce needs the key's nonce lease; a
		// replacement (a step's nonce already on record) reuses its own.
		newNonce := false
		for _, t := range txs {
			var n int64
			if err := tx.Model(&operationTxRow{}).Where("operation_id = ? AND step = ? AND nonce = ?", operationID, t.Step, t.Nonce).
				Count(&n).Error; err != nil {
				return err
			}
			newNonce = newNonce || n == 0
		}
		if err := s.fencedIssuance(ctx, tx, op.IssuanceID, newNonce); err != nil {
			return err
		}
		now := s.now()
		for _, t := range txs {
			if err := tx.Create(&operationTxRow{OperationID: operationID, Step: t.Step, Nonce: t.Nonce, TxHash: t.Hash,
				RawTx: fmt.Sprintf("%x", t.Raw), ContractAddress: t.Contract, GenesisHash: t.GenesisHash, CreatedAt: now}).Error; err != nil {
				return err
			}
		}
		return tx.Model(&operationRow{}).Where("id = ?", operationID).
			Updates(map[string]any{"result": body, "heartbeat_at": now, "updated_at": now}).Error
	})
}

// OperationTxs lists an operation's recorded transactions.
func (s *Operations) OperationTxs(ctx context.Context, operationID int64) ([]registry.OperationTx, error) {
	var rows []operationTxRow
	if err := s.read(ctx).Where("operation_id = ?", operationID).Order("step, id").Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]registry.OperationTx, len(rows))
	for i, r := range rows {
		var raw []byte
		if _, err := fmt.Sscanf(r.RawTx, "%x", &raw); err != nil {
			return nil, fmt.Errorf("operation %d: stored transaction %s: %w", operationID, r.TxHash, err)
		}
		out[i] = registry.OperationTx{OperationID: r.OperationID, Step: r.Step, Nonce: r.Nonce, Hash: r.TxHash, Raw: raw,
			Contract: r.ContractAddress, GenesisHash: r.GenesisHash, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

// NoteOperation merges result into a RUNNING operation and renews its heartbeat.
func (s *Operations) NoteOperation(ctx context.Context, operationID int64, result map[string]string) error {
	return s.writeState(ctx, func(tx *gorm.DB) error {
		_, body, err := mergedResult(tx, operationID, result)
		if err != nil {
			return err
		}
		now := s.now()
		return tx.Model(&operationRow{}).Where("id = ? AND status = ?", operationID, string(registry.OpRunning)).
			Updates(map[string]any{"result": body, "heartbeat_at": now, "updated_at": now}).Error
	})
}

// notHalted restricts operations to issuances whose chain work runs.
const notHalted = "issuance_id NOT IN (SELECT id FROM issuances WHERE chain_halt <> '')"

// ofCurrentDeployment restricts rows of table (operations, whitelist batches)
// to those its issuance's current deployment made: none from before the last
// retirement, and none while the issuance has no deployment. What a retired
// deployment sent belongs to another chain or contract, and must never be
// re-sent, re-checked or counted on the new one.
func ofCurrentDeployment(table, madeAt string) string {
	return "issuance_id IN (SELECT id FROM issuances WHERE token_address <> '') AND NOT EXISTS (SELECT 1 FROM retired_deployments r WHERE r.issuance_id = " +
		table + ".issuance_id AND r.retired_at >= " + table + "." + madeAt + ")"
}

// ResumeOperations claims this node's RUNNING operations and those of owners
// silent for longer than staleAfter.
func (s *Operations) ResumeOperations(ctx context.Context, owner string, staleAfter time.Duration) ([]*registry.Operation, error) {
	var out []*registry.Operation
	err := s.writeState(ctx, func(tx *gorm.DB) error {
		now := s.now()
		silent := now.Add(-staleAfter)
		var rows []operationRow
		if err := tx.Where("status = ? AND "+notHalted, string(registry.OpRunning)).
			Where("owner = ? OR COALESCE(heartbeat_at, updated_at) < ?", owner, silent).Order("id").Find(&rows).Error; err != nil {
			return err
		}
		for i := range rows {
			// The guard on the old owner and heartbeat makes the take-over safe
			// against another node taking the same row at the same moment.
			res := tx.Model(&operationRow{}).Where("id = ? AND status = ? AND owner = ? AND "+
				"(owner = ? OR COALESCE(heartbeat_at, updated_at) < ?)", rows[i].ID, string(registry.OpRunning), rows[i].Owner, owner, silent).
				Updates(map[string]any{"owner": owner, "heartbeat_at": now})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 1 {
				rows[i].Owner = owner
				out = append(out, rows[i].domain())
			}
		}
		return nil
	})
	return out, err
}

// Heartbeat renews the owner's RUNNING operations.
func (s *Operations) Heartbeat(ctx context.Context, owner string) error {
	return s.writeState(ctx, func(tx *gorm.DB) error {
		return tx.Model(&operationRow{}).Where("status = ? AND owner = ?", string(registry.OpRunning), owner).
			Update("heartbeat_at", s.now()).Error
	})
}

// mirrorTables are the tables holding a token's mirrored rows, keyed by
// (chain_id, token).
var mirrorTables = []string{"mirror_checkpoints", "mirror_blocks", "mirror_transfers", "mirror_balances", "compliance_alerts"}

// RetireDeployment takes an issuance's deployment out of service. Nothing
// mirrored is deleted: the rows move under the retired deployment's key.
func (s *Operations) RetireDeployment(ctx context.Context, issuanceID int64, reason string) (*registry.RetiredDeployment, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	var out *registry.RetiredDeployment
	err = s.writeIssuance(ctx, issuanceID, func(tx *gorm.DB) error {
		iss, err := s.visibleIssuance(tx, p, issuanceID)
		if err != nil {
			return err
		}
		if err := registry.RequireOperate(p, iss, "retires an issuance's deployment"); err != nil {
			return err
		}
		if err := s.requireActiveSeller(tx, p); err != nil {
			return err
		}
		if iss.TokenAddress == "" {
			return registry.Errorf(registry.ECONFLICT, "issuance %d has no deployment to retire", issuanceID)
		}
		now := s.now()
		row := &retiredRow{IssuanceID: issuanceID, ChainID: iss.ChainID, GenesisHash: iss.GenesisHash,
			TokenAddress: iss.TokenAddress, RegistryAddress: iss.RegistryAddress, DeploymentBlock: iss.DeploymentBlock,
			Reason: reason, RetiredBy: p.KeyID, RetiredAt: now}
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		row.MirrorKey = registry.RetiredMirrorKey(row.ID)
		if err := tx.Model(row).Update("mirror_key", row.MirrorKey).Error; err != nil {
			return err
		}
		for _, table := range mirrorTables {
			if err := tx.Exec("UPDATE "+table+" SET chain_id = ? WHERE chain_id = ? AND token = ?",
				row.MirrorKey, iss.ChainID, iss.TokenAddress).Error; err != nil {
				return fmt.Errorf("move %s: %w", table, err)
			}
		}
		// Open chain work was for contracts that are gone from service: its
		// transactions can no longer be relied on, so it ends here, visibly.
		why := "deployment retired: " + reason
		if err := tx.Exec(`UPDATE operations SET status = ?, error = ?, updated_at = ? WHERE issuance_id = ? AND status IN (?, ?)`,
			string(registry.OpFailed), why, now, issuanceID, string(registry.OpPending), string(registry.OpRunning)).Error; err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE whitelist_outbox SET batch_id = NULL WHERE issuance_id = ? AND batch_id IN
(SELECT id FROM whitelist_batches WHERE issuance_id = ? AND status = ?)`, issuanceID, issuanceID, string(registry.BatchSending)).Error; err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE whitelist_batches SET status = ?, reason = ?, updated_at = ? WHERE issuance_id = ? AND status = ?`,
			string(registry.BatchFailed), why, now, issuanceID, string(registry.BatchSending)).Error; err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE whitelist_entries SET sync_state = ?, sync_tx_hash = '', sync_block = NULL WHERE issuance_id = ?`,
			string(registry.SyncPending), issuanceID).Error; err != nil {
			return err
		}
		if err := tx.Model(&haltRow{}).Where("issuance_id = ? AND cleared_at IS NULL", issuanceID).Update("cleared_at", now).Error; err != nil {
			return err
		}
		if err := tx.Model(&issuanceRow{}).Where("id = ?", issuanceID).Updates(map[string]any{
			"chain_id": 0, "token_address": "", "registry_address": "", "deployment_block": 0, "genesis_hash": "",
			"chain_halt": "", "updated_at": now}).Error; err != nil {
			return err
		}
		out = row.domain()
		return s.appendAudit(tx, p, &iss.LeadSellerID, "issuance.deployment_retired", "issuance", issuanceID, map[string]any{
			"reason": reason, "chainId": row.ChainID, "genesisHash": row.GenesisHash, "tokenAddress": row.TokenAddress,
			"registryAddress": row.RegistryAddress, "mirrorKey": row.MirrorKey})
	})
	return out, err
}

// Deployments lists an issuance's retired deployments, newest first.
func (s *Operations) Deployments(ctx context.Context, issuanceID int64) ([]*registry.RetiredDeployment, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.visibleIssuance(s.read(ctx), p, issuanceID); err != nil {
		return nil, err
	}
	var rows []retiredRow
	if err := s.read(ctx).Where("issuance_id = ?", issuanceID).Order("id DESC").Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]*registry.RetiredDeployment, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// deployedForAnother reports the issuance a contract address on the chain with
// genesis was deployed for by this node, if it is not issuanceID: the pair is
// bound to that issuance (its constructor carried that issuance's terms).
func deployedForAnother(tx *gorm.DB, issuanceID int64, genesis string, addresses ...string) (int64, error) {
	var other []int64
	err := tx.Raw(`SELECT o.issuance_id FROM operation_txs t JOIN operations o ON o.id = t.operation_id
WHERE o.kind = ? AND t.contract_address IN ? AND t.genesis_hash = ? AND o.issuance_id <> ? LIMIT 1`,
		string(registry.OpDeploy), addresses, genesis, issuanceID).Scan(&other).Error
	if err != nil || len(other) == 0 {
		return 0, err
	}
	return other[0], nil
}

// ActiveDeployments lists the deployments whose chain work runs (not halted).
func (s *Operations) ActiveDeployments(ctx context.Context) ([]registry.ActiveDeployment, error) {
	var rows []issuanceRow
	if err := s.read(ctx).Where("token_address <> '' AND chain_halt = ''").Order("id").Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]registry.ActiveDeployment, len(rows))
	for i, r := range rows {
		out[i] = registry.ActiveDeployment{IssuanceID: r.ID, ChainID: r.ChainID, GenesisHash: r.GenesisHash,
			TokenAddress: r.TokenAddress, RegistryAddress: r.RegistryAddress, DeploymentBlock: r.DeploymentBlock}
	}
	return out, nil
}

// AdoptGenesis records the genesis of a deployment made before the node kept
// genesis hashes; the caller has checked that the chain holds its contracts.
func (s *Operations) AdoptGenesis(ctx context.Context, issuanceID int64, genesis string) error {
	return s.writeState(ctx, func(tx *gorm.DB) error {
		return tx.Model(&issuanceRow{}).Where("id = ? AND genesis_hash = ''", issuanceID).Update("genesis_hash", genesis).Error
	})
}

// DeployedFor returns the issuance this node deployed a contract address for
// on the chain with genesis.
func (s *Operations) DeployedFor(ctx context.Context, genesis, address string) (int64, bool, error) {
	var ids []int64
	if err := s.read(ctx).Raw(`SELECT o.issuance_id FROM operation_txs t JOIN operations o ON o.id = t.operation_id
WHERE o.kind = ? AND t.contract_address = ? AND t.genesis_hash = ? LIMIT 1`, string(registry.OpDeploy), address, genesis).
		Scan(&ids).Error; err != nil {
		return 0, false, s.translate(err)
	}
	if len(ids) == 0 {
		return 0, false, nil
	}
	return ids[0], true, nil
}

// RecentOperations lists the operations that succeeded since since, with a
// recorded transaction: the ones a reorg could still undo.
func (s *Operations) RecentOperations(ctx context.Context, since time.Time) ([]*registry.Operation, error) {
	var rows []operationRow
	if err := s.read(ctx).Where("status = ? AND updated_at >= ? AND "+notHalted+" AND "+ofCurrentDeployment("operations", "created_at"),
		string(registry.OpSucceeded), since).
		Where("id IN (SELECT operation_id FROM operation_txs)").Order("id").Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]*registry.Operation, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// AnnotateOperation merges result into a finished operation's result without
// changing its status (a reorg undid and re-sent it, say), audited.
func (s *Operations) AnnotateOperation(ctx context.Context, operationID int64, result map[string]string) error {
	return s.writeState(ctx, func(tx *gorm.DB) error {
		op, body, err := mergedResult(tx, operationID, result)
		if err != nil {
			return err
		}
		if err := tx.Model(&operationRow{}).Where("id = ?", operationID).Update("result", body).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, system, &op.SellerID, "operation.annotate", "operation", operationID, result)
	})
}
