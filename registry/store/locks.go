package store

import (
	"context"
	"math/big"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

type holderLockRow struct {
	ID                 int64 `gorm:"primaryKey"`
	IssuanceID         int64
	Wallet             string
	Amount             string
	Reason             string
	Reference          string
	ReleaseAt          *time.Time
	Status             string
	LockOperationID    int64
	ReleaseOperationID *int64
	ReleasedBy         string
	ReleasedAt         *time.Time
	CreatedBy          string
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

func (holderLockRow) TableName() string { return "holder_locks" }

func (r *holderLockRow) domain() *registry.HolderLock {
	l := &registry.HolderLock{ID: r.ID, IssuanceID: r.IssuanceID, Wallet: r.Wallet, Amount: amountValue(&r.Amount),
		Reason: registry.LockReason(r.Reason), Reference: r.Reference, ReleaseAt: utcPtr(r.ReleaseAt), Status: registry.LockStatus(r.Status),
		LockOperation: r.LockOperationID, ReleasedBy: r.ReleasedBy, ReleasedAt: utcPtr(r.ReleasedAt), CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.ReleaseOperationID != nil {
		l.ReleaseOperation = *r.ReleaseOperationID
	}
	return l
}

// frozenLockStatuses are the states in which a lock's amount is frozen
// on-chain once their operations settle.
var frozenLockStatuses = []string{string(registry.LockActive), string(registry.LockReleasing)}

// CreateLock records a lock on a wallet's tokens and queues its freeze
// (freezePartialTokens) in one transaction. The lead seller (or the operator)
// locks; the lock is PENDING until the freeze is mined, then ACTIVE.
func (s *Controls) CreateLock(ctx context.Context, issuanceID int64, r registry.LockRequest) (*registry.HolderLock, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	wallet, err := registry.NormalizeAddress("wallet", r.Wallet)
	if err != nil {
		return nil, err
	}
	if wallet == registry.ZeroAddress {
		return nil, registry.Errorf(registry.EINVALID, "wallet must not be the zero address")
	}
	if r.Amount == nil || r.Amount.Sign() <= 0 || r.Amount.BitLen() > 127 {
		return nil, registry.Errorf(registry.EINVALID, "amount must be a positive integer below 2^127")
	}
	if !validLockReason(r.Reason) {
		return nil, registry.Errorf(registry.EINVALID, "reason must be one of %v", registry.LockReasons)
	}
	if r.Reference == "" {
		return nil, registry.Errorf(registry.EINVALID, "reference is required (the court order, pledge agreement or case number)")
	}
	if err := registry.LimitText("reference", r.Reference, 200); err != nil {
		return nil, err
	}
	now := s.now()
	var releaseAt *time.Time
	if r.ReleaseAt != nil {
		t := r.ReleaseAt.UTC().Truncate(time.Second)
		if !t.After(now) {
			return nil, registry.Errorf(registry.EINVALID, "releaseAt must be in the future")
		}
		releaseAt = &t
	}
	var out *registry.HolderLock
	err = s.writeState(ctx, func(tx *gorm.DB) error {
		iss, err := s.operableToken(tx, p, issuanceID, "locks holders' tokens")
		if err != nil {
			return err
		}
		row := &holderLockRow{IssuanceID: issuanceID, Wallet: wallet, Amount: r.Amount.String(), Reason: string(r.Reason),
			Reference: r.Reference, ReleaseAt: releaseAt, Status: string(registry.LockPending), CreatedBy: p.KeyID,
			CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		op, err := s.queueOperation(tx, p, iss, registry.OpFreeze,
			map[string]string{"wallet": wallet, "amount": row.Amount, "lockId": strconv.FormatInt(row.ID, 10)}, true)
		if err != nil {
			return err
		}
		row.LockOperationID = op.ID
		if err := tx.Model(&holderLockRow{}).Where("id = ?", row.ID).Update("lock_operation_id", op.ID).Error; err != nil {
			return err
		}
		out = row.domain()
		return s.appendAudit(tx, p, &iss.LeadSellerID, "lock.create", "holder_lock", row.ID, out)
	})
	return out, err
}

func validLockReason(r registry.LockReason) bool {
	for _, v := range registry.LockReasons {
		if v == r {
			return true
		}
	}
	return false
}

// operableToken loads an issuance the caller operates (lead seller or
// operator, ACTIVE) that has a token whose chain work runs.
func (s *DB) operableToken(tx *gorm.DB, p *registry.Principal, issuanceID int64, what string) (*registry.Issuance, error) {
	iss, err := s.visibleIssuance(tx, p, issuanceID)
	if err != nil {
		return nil, err
	}
	if err := registry.RequireOperate(p, iss, "%s", what); err != nil {
		return nil, err
	}
	if err := s.requireActiveSeller(tx, p); err != nil {
		return nil, err
	}
	if iss.TokenAddress == "" {
		return nil, registry.Errorf(registry.ECONFLICT, "issuance %d has no token yet; deploy or attach one first", issuanceID)
	}
	if iss.ChainHalt != "" {
		return nil, registry.Errorf(registry.ECONFLICT, "issuance %d's chain work is halted (%s)", issuanceID, iss.ChainHalt)
	}
	return iss, nil
}

// ReleaseLock queues an ACTIVE lock's unfreeze; the status guard makes it
// happen once however many callers (an API request, the node's release loop)
// race for it.
func (s *Controls) ReleaseLock(ctx context.Context, issuanceID, id int64) (*registry.HolderLock, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var out *registry.HolderLock
	err = s.writeState(ctx, func(tx *gorm.DB) error {
		iss, err := s.operableToken(tx, p, issuanceID, "releases locks")
		if err != nil {
			return err
		}
		var row holderLockRow
		if err := s.takeOfIssuance(tx, &row, issuanceID, id, "lock"); err != nil {
			return err
		}
		if row.Status != string(registry.LockActive) {
			return registry.Errorf(registry.ECONFLICT, "lock %d is %s; only an ACTIVE lock is released", id, row.Status)
		}
		op, err := s.queueOperation(tx, p, iss, registry.OpUnfreeze,
			map[string]string{"wallet": row.Wallet, "amount": row.Amount, "lockId": strconv.FormatInt(id, 10)}, true)
		if err != nil {
			return err
		}
		now := s.now()
		res := tx.Model(&holderLockRow{}).Where("id = ? AND status = ?", id, string(registry.LockActive)).Updates(map[string]any{
			"status": string(registry.LockReleasing), "release_operation_id": op.ID, "released_by": p.KeyID, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return registry.Errorf(registry.ECONFLICT, "lock %d is being released already", id)
		}
		row.Status, row.ReleaseOperationID, row.ReleasedBy, row.UpdatedAt = string(registry.LockReleasing), &op.ID, p.KeyID, now
		out = row.domain()
		return s.appendAudit(tx, p, &iss.LeadSellerID, "lock.release", "holder_lock", id, out)
	})
	return out, err
}

// Lock returns one lock of an issuance the caller can see.
func (s *Controls) Lock(ctx context.Context, issuanceID, id int64) (*registry.HolderLock, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	db := s.read(ctx)
	if _, err := s.visibleIssuance(db, p, issuanceID); err != nil {
		return nil, err
	}
	var row holderLockRow
	if err := s.takeOfIssuance(db, &row, issuanceID, id, "lock"); err != nil {
		return nil, s.translate(err)
	}
	return row.domain(), nil
}

// Locks lists an issuance's locks, of one wallet when wallet is set.
func (s *Controls) Locks(ctx context.Context, issuanceID int64, wallet string) ([]*registry.HolderLock, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	db := s.read(ctx)
	if _, err := s.visibleIssuance(db, p, issuanceID); err != nil {
		return nil, err
	}
	q := db.Where("issuance_id = ?", issuanceID).Order("id")
	if wallet != "" {
		w, err := registry.NormalizeAddress("wallet", wallet)
		if err != nil {
			return nil, err
		}
		q = q.Where("wallet = ?", w)
	}
	var rows []holderLockRow
	if err := q.Limit(10_000).Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]*registry.HolderLock, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// LockedAmounts sums each wallet's frozen locks (ACTIVE and RELEASING) of an
// issuance: what the token's getFrozenTokens shows once operations settle.
func (s *Controls) LockedAmounts(ctx context.Context, issuanceID int64) (map[string]*big.Int, error) {
	var rows []holderLockRow
	if err := s.read(ctx).Where("issuance_id = ? AND status IN ?", issuanceID, frozenLockStatuses).Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := map[string]*big.Int{}
	for _, r := range rows {
		v := amountValue(&r.Amount)
		if v == nil {
			continue
		}
		if out[r.Wallet] == nil {
			out[r.Wallet] = new(big.Int)
		}
		out[r.Wallet].Add(out[r.Wallet], v)
	}
	return out, nil
}

// DueLocks lists ACTIVE locks whose release time has come, oldest first.
func (s *Controls) DueLocks(ctx context.Context, at time.Time) ([]*registry.HolderLock, error) {
	var rows []holderLockRow
	if err := s.read(ctx).Where("status = ? AND release_at IS NOT NULL AND release_at <= ?", string(registry.LockActive), at.UTC()).
		Order("release_at, id").Limit(100).Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]*registry.HolderLock, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// applyControlOutcome records, in FinishOperation's transaction, what a
// finished control operation means for the registry: a lock's freeze makes it
// ACTIVE (or FAILED), its unfreeze RELEASED (or ACTIVE again, to be retried);
// a recovery moves the lost wallet's frozen locks to the new wallet.
func (s *DB) applyControlOutcome(tx *gorm.DB, op *registry.Operation, failure error) error {
	now := s.now()
	if lockID, ok := op.Request["lockId"]; ok {
		id, err := strconv.ParseInt(lockID, 10, 64)
		if err != nil {
			return nil // not one of ours
		}
		var from, to registry.LockStatus
		switch {
		case op.Kind == registry.OpFreeze && failure == nil:
			from, to = registry.LockPending, registry.LockActive
		case op.Kind == registry.OpFreeze:
			from, to = registry.LockPending, registry.LockFailed
		case op.Kind == registry.OpUnfreeze && failure == nil:
			from, to = registry.LockReleasing, registry.LockReleased
		case op.Kind == registry.OpUnfreeze:
			from, to = registry.LockReleasing, registry.LockActive
		default:
			return nil
		}
		updates := map[string]any{"status": string(to), "updated_at": now}
		if to == registry.LockReleased {
			updates["released_at"] = now
		}
		res := tx.Model(&holderLockRow{}).Where("id = ? AND status = ?", id, string(from)).Updates(updates)
		return bumpLocks(tx, op.IssuanceID, res)
	}
	if op.Kind == registry.OpRecover && failure == nil {
		res := tx.Model(&holderLockRow{}).Where("issuance_id = ? AND wallet = ? AND status IN ?", op.IssuanceID, op.Request["from"],
			append([]string{string(registry.LockPending)}, frozenLockStatuses...)).
			Updates(map[string]any{"wallet": op.Request["to"], "updated_at": now})
		return bumpLocks(tx, op.IssuanceID, res)
	}
	return nil
}

// bumpLocks bumps the issuance's generation when res changed a lock: look-ups
// cache the issuance's frozen lock sums under it (eligibility.go).
func bumpLocks(tx *gorm.DB, issuanceID int64, res *gorm.DB) error {
	if res.Error != nil || res.RowsAffected == 0 {
		return res.Error
	}
	return bumpIssuance(tx, issuanceID)
}

// RecoverWallet replaces an investor's lost wallet on an issuance's token in
// one transaction: the new wallet is registered to the same investor (queued
// for the whitelist sync wherever the investor is approved), the lost wallet
// is frozen and retired, and the RECOVER operation is queued, which moves the
// balance and the frozen amount on-chain (recoveryAddress) and, once mined,
// the locks here. The audit log gets one record of the whole recovery.
func (s *Controls) RecoverWallet(ctx context.Context, issuanceID int64, r registry.RecoveryRequest) (*registry.Operation, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	lost, newW, err := registry.NormalizeWalletPair("lostWallet", r.LostWallet, "newWallet", r.NewWallet)
	if err != nil {
		return nil, err
	}
	if err := registry.LimitText("reason", r.Reason, 500); err != nil {
		return nil, err
	}
	var out *registry.Operation
	// write, not writeState: wallets are shared facts, cached by look-ups.
	err = s.write(ctx, func(tx *gorm.DB) error {
		iss, err := s.operableToken(tx, p, issuanceID, "recovers wallets")
		if err != nil {
			return err
		}
		var lostRow walletRow
		if err := tx.Where("address = ?", lost).Take(&lostRow).Error; err != nil {
			if registry.ErrorCode(s.translate(err)) == registry.ENOTFOUND {
				return registry.Errorf(registry.ENOTFOUND, "wallet %s is not registered", lost)
			}
			return err
		}
		var retired int64
		if err := tx.Model(&walletRow{}).Where("address = ? AND retired_at IS NOT NULL", lost).Count(&retired).Error; err != nil {
			return err
		}
		if retired > 0 {
			return registry.Errorf(registry.ECONFLICT, "wallet %s was already retired", lost)
		}
		// The new wallet can receive only if the investor is approved here:
		// refuse now rather than let the recovery wait for a record that
		// will never come.
		var approved int64
		if err := tx.Model(&whitelistRow{}).Where("issuance_id = ? AND investor_id = ? AND status = ?", issuanceID, lostRow.InvestorID,
			string(registry.WhitelistApproved)).Count(&approved).Error; err != nil {
			return err
		}
		if approved == 0 {
			return registry.Errorf(registry.ECONFLICT, "the investor holding %s is not approved for issuance %d: approve it before recovering its wallet",
				lost, issuanceID)
		}
		var existing []walletRow
		if err := tx.Where("address = ?", newW).Limit(1).Find(&existing).Error; err != nil {
			return err
		}
		now := s.now()
		switch {
		case len(existing) == 0:
			if _, err := s.insertWallet(tx, lostRow.InvestorID, registry.Wallet{Address: newW, Label: r.Label}, now); err != nil {
				return err
			}
		case existing[0].InvestorID != lostRow.InvestorID:
			return registry.Errorf(registry.ECONFLICT, "wallet %s is already registered", newW)
		case existing[0].Frozen:
			return registry.Errorf(registry.ECONFLICT, "wallet %s is frozen", newW)
		}
		if err := tx.Model(&walletRow{}).Where("address = ?", lost).
			Updates(map[string]any{"frozen": true, "retired_at": now}).Error; err != nil {
			return err
		}
		// The new wallet's record (whitelisted) and the lost one's (frozen)
		// go on-chain through the whitelist sync, on every issuance of the
		// investor; the recovery waits for the new one on this issuance.
		if err := s.enqueueSync(tx, "w.address IN ?", []string{lost, newW}); err != nil {
			return err
		}
		op, err := s.queueOperation(tx, p, iss, registry.OpRecover,
			map[string]string{"from": lost, "to": newW, "investorId": strconv.FormatInt(lostRow.InvestorID, 10)}, false)
		if err != nil {
			return err
		}
		out = op
		return s.appendAudit(tx, p, &iss.LeadSellerID, "wallet.recover", "operation", op.ID, map[string]any{
			"issuanceId": issuanceID, "investorId": lostRow.InvestorID, "lostWallet": lost, "newWallet": newW,
			"newWalletRegistered": len(existing) == 0, "lostWalletFrozen": true, "lostWalletRetiredAt": now,
			"operationId": op.ID, "reason": r.Reason})
	})
	return out, err
}
