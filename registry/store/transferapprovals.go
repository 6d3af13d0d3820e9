package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

type transferApprovalRow struct {
	ID          int64 `gorm:"primaryKey"`
	IssuanceID  int64
	SellerID    int64
	FromWallet  string
	ToWallet    string
	Amount      string
	Status      string
	ExpiresAt   time.Time
	Note        string
	DecidedBy   string
	DecidedAt   *time.Time
	Reason      string
	OperationID *int64
	RequestedBy string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (transferApprovalRow) TableName() string { return "transfer_approvals" }

func (r *transferApprovalRow) domain(now time.Time) *registry.TransferApproval {
	a := &registry.TransferApproval{ID: r.ID, IssuanceID: r.IssuanceID, SellerID: r.SellerID, From: r.FromWallet, To: r.ToWallet,
		Amount: amountValue(&r.Amount), Status: registry.ApprovalStatus(r.Status), ExpiresAt: r.ExpiresAt.UTC(), Note: r.Note,
		DecidedBy: r.DecidedBy, DecidedAt: utcPtr(r.DecidedAt), Reason: r.Reason, RequestedBy: r.RequestedBy,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.OperationID != nil {
		a.OperationID = *r.OperationID
	}
	// An open application past its expiry reads as EXPIRED: the token would
	// refuse it anyway, and nothing needs to write that down.
	if (a.Status == registry.ApprovalRequested || a.Status == registry.ApprovalApproved) && now.After(a.ExpiresAt) {
		a.Status = registry.ApprovalExpired
	}
	return a
}

// maxApprovalLife bounds how far ahead an approval may expire; the token
// stores expiries as uint40 seconds, far beyond it.
const maxApprovalLife = 366 * 24 * time.Hour

// RequestApproval records an application for a transfer between two wallets
// of an issuance that requires transfer approval. The applicant is the
// sending investor's seller (or the operator on its behalf).
func (s *Controls) RequestApproval(ctx context.Context, issuanceID int64, r registry.ApprovalRequest) (*registry.TransferApproval, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	from, to, err := registry.NormalizeWalletPair("from", r.From, "to", r.To)
	if err != nil {
		return nil, err
	}
	switch {
	case r.Amount == nil || r.Amount.Sign() <= 0:
		return nil, registry.Errorf(registry.EINVALID, "amount must be a positive integer")
	case r.Amount.BitLen() > 127:
		return nil, registry.Errorf(registry.EINVALID, "amount exceeds the token's supply bound")
	}
	if err := registry.LimitText("note", r.Note, 500); err != nil {
		return nil, err
	}
	now := s.now()
	expires := r.ExpiresAt.UTC().Truncate(time.Second)
	if !expires.After(now) || expires.Sub(now) > maxApprovalLife {
		return nil, registry.Errorf(registry.EINVALID, "expiresAt must be in the future and at most %d days ahead", int(maxApprovalLife.Hours()/24))
	}
	var out *registry.TransferApproval
	err = s.writeState(ctx, func(tx *gorm.DB) error {
		iss, err := s.visibleIssuance(tx, p, issuanceID)
		if err != nil {
			return err
		}
		if !iss.ApprovalRequired {
			return registry.Errorf(registry.ECONFLICT, "issuance %d does not require transfer approval", issuanceID)
		}
		if err := s.requireActiveSeller(tx, p); err != nil {
			return err
		}
		// The applicant is the sender's seller: the seller that holds the
		// customer relationship of the holder who sells.
		var senders []struct{ SellerID int64 }
		if err := tx.Raw(`SELECT i.seller_id FROM wallets w JOIN investors i ON i.id = w.investor_id WHERE w.address = ?`, from).
			Scan(&senders).Error; err != nil {
			return err
		}
		if len(senders) == 0 || !registry.ActsForSeller(p, senders[0].SellerID) {
			return registry.Errorf(registry.EFORBIDDEN, "only the seller of the investor holding %s applies for its transfers", from)
		}
		row := &transferApprovalRow{IssuanceID: issuanceID, SellerID: senders[0].SellerID, FromWallet: from, ToWallet: to,
			Amount: r.Amount.String(), Status: string(registry.ApprovalRequested), ExpiresAt: expires, Note: r.Note,
			RequestedBy: p.KeyID, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		out = row.domain(now)
		if err := s.appendAudit(tx, p, &iss.LeadSellerID, "transfer_approval.request", "transfer_approval", row.ID, out); err != nil {
			return err
		}
		return s.emitApproval(tx, registry.EventApprovalRequested, out)
	})
	return out, err
}

// DecideApproval changes an application's state in one transaction with its
// audit record and, for an approval, the APPROVE_TRANSFER operation that
// records it on the token (for a cancelled approval, REVOKE_APPROVAL). The
// lead seller (or the operator) approves and rejects; the applicant may also
// cancel. It is the one place an approval's state changes after its request,
// so events about decisions belong here.
func (s *Controls) DecideApproval(ctx context.Context, issuanceID, id int64, d registry.ApprovalDecision) (*registry.TransferApproval, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	switch d.Status {
	case registry.ApprovalApproved, registry.ApprovalRejected, registry.ApprovalCancelled:
	default:
		return nil, registry.Errorf(registry.EINVALID, "decision must be APPROVED, REJECTED or CANCELLED")
	}
	if err := registry.LimitText("reason", d.Reason, 500); err != nil {
		return nil, err
	}
	var out *registry.TransferApproval
	err = s.writeState(ctx, func(tx *gorm.DB) error {
		iss, err := s.visibleIssuance(tx, p, issuanceID)
		if err != nil {
			return err
		}
		var row transferApprovalRow
		// writeState serialises writers, so the state read here holds until commit.
		if err := s.takeOfIssuance(tx, &row, issuanceID, id, "transfer approval"); err != nil {
			return err
		}
		now := s.now()
		cur := row.domain(now)
		lead := registry.CanOperate(p, iss)
		if !lead && !(d.Status == registry.ApprovalCancelled && registry.ActsForSeller(p, row.SellerID)) {
			return registry.Errorf(registry.EFORBIDDEN, "only the lead seller decides transfer approvals of issuance %d", issuanceID)
		}
		if err := s.requireActiveSeller(tx, p); err != nil {
			return err
		}
		switch {
		case cur.Status == registry.ApprovalExpired:
			return registry.Errorf(registry.ECONFLICT, "transfer approval %d expired at %s", id, cur.ExpiresAt.Format(time.RFC3339))
		case d.Status == registry.ApprovalCancelled && cur.Status != registry.ApprovalRequested && cur.Status != registry.ApprovalApproved,
			d.Status != registry.ApprovalCancelled && cur.Status != registry.ApprovalRequested:
			return registry.Errorf(registry.ECONFLICT, "transfer approval %d is %s", id, cur.Status)
		}
		var kind registry.OperationKind
		switch {
		case d.Status == registry.ApprovalApproved:
			kind = registry.OpApproveTransfer
		case d.Status == registry.ApprovalCancelled && cur.Status == registry.ApprovalApproved:
			kind = registry.OpRevokeApproval
		}
		updates := map[string]any{"status": string(d.Status), "decided_by": p.KeyID, "decided_at": now, "reason": d.Reason, "updated_at": now}
		if kind != "" {
			if iss.TokenAddress == "" || iss.ChainHalt != "" {
				return registry.Errorf(registry.ECONFLICT, "issuance %d has no token to record the approval on (or its chain work is halted)", issuanceID)
			}
			op, err := s.queueOperation(tx, p, iss, kind, map[string]string{"from": row.FromWallet, "to": row.ToWallet,
				"amount": row.Amount, "expiry": strconv.FormatInt(row.ExpiresAt.Unix(), 10), "approvalId": strconv.FormatInt(id, 10)}, true)
			if err != nil {
				return err
			}
			updates["operation_id"] = op.ID
		}
		if err := tx.Model(&transferApprovalRow{}).Where("id = ?", id).Updates(updates).Error; err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return err
		}
		out = row.domain(now)
		if err := s.appendAudit(tx, p, &iss.LeadSellerID, "transfer_approval."+decisionVerb(d.Status), "transfer_approval", id, out); err != nil {
			return err
		}
		return s.emitApproval(tx, registry.EventApprovalDecided, out)
	})
	return out, err
}

// emitApproval reports an application or a decision (approve, reject,
// cancel) in the transaction that makes it: the webhook event goes to the
// issuance's operators and to the sellers of the investors holding the two
// wallets. It is the last write of its transaction (see emitEvent).
func (s *DB) emitApproval(tx *gorm.DB, t registry.EventType, a *registry.TransferApproval) error {
	var sellers []int64
	if err := tx.Raw(`SELECT DISTINCT i.seller_id FROM wallets w JOIN investors i ON i.id = w.investor_id WHERE w.address IN ? ORDER BY i.seller_id`,
		[]string{a.From, a.To}).Scan(&sellers).Error; err != nil {
		return err
	}
	data := map[string]any{"approvalId": a.ID, "issuanceId": a.IssuanceID, "from": a.From, "to": a.To, "amount": a.Amount.String(),
		"status": a.Status, "expiresAt": a.ExpiresAt, "sellerId": a.SellerID}
	if a.DecidedBy != "" {
		data["decidedBy"], data["reason"] = a.DecidedBy, a.Reason
	}
	if a.OperationID != 0 {
		data["operationId"] = a.OperationID
	}
	e := newEvent(t, a.IssuanceID, data)
	e.Parties = sellers
	return s.emitEvent(tx, e)
}

func decisionVerb(s registry.ApprovalStatus) string {
	switch s {
	case registry.ApprovalApproved:
		return "approve"
	case registry.ApprovalRejected:
		return "reject"
	}
	return "cancel"
}

// Approval returns one application of an issuance the caller can see.
func (s *Controls) Approval(ctx context.Context, issuanceID, id int64) (*registry.TransferApproval, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	db := s.read(ctx)
	if _, err := s.visibleIssuance(db, p, issuanceID); err != nil {
		return nil, err
	}
	var row transferApprovalRow
	if err := s.takeOfIssuance(db, &row, issuanceID, id, "transfer approval"); err != nil {
		return nil, s.translate(err)
	}
	return row.domain(s.now()), nil
}

// Approvals lists an issuance's applications, oldest first.
func (s *Controls) Approvals(ctx context.Context, issuanceID int64, f registry.ApprovalFilter) ([]*registry.TransferApproval, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	db := s.read(ctx)
	if _, err := s.visibleIssuance(db, p, issuanceID); err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	now := s.now()
	q := db.Where("issuance_id = ? AND id > ?", issuanceID, f.After).Order("id").Limit(f.Limit)
	switch f.Status {
	case "":
	case registry.ApprovalExpired:
		q = q.Where("status IN ? AND expires_at < ?", []string{string(registry.ApprovalRequested), string(registry.ApprovalApproved)}, now)
	case registry.ApprovalRequested, registry.ApprovalApproved:
		q = q.Where("status = ? AND expires_at >= ?", string(f.Status), now)
	case registry.ApprovalRejected, registry.ApprovalCancelled:
		q = q.Where("status = ?", string(f.Status))
	default:
		return nil, registry.Errorf(registry.EINVALID, "unknown status %q", f.Status)
	}
	var rows []transferApprovalRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]*registry.TransferApproval, len(rows))
	for i := range rows {
		out[i] = rows[i].domain(now)
	}
	return out, nil
}

// approvalAt reports whether the issuance requires transfer approval and
// whether the token holds an unused approval of exactly this transfer: an
// APPROVED, unexpired application whose on-chain record succeeded, with no
// matching transfer mirrored after the latest such record (the token keeps one
// approval per (from, to, amount) and the transfer consumes it). It is the
// transfer check's fact; until the mirror has seen a consuming transfer, the
// check still answers allowed where the token would refuse its replay.
func (s *DB) approvalAt(ctx context.Context, issuanceID int64, from, to string, amount *big.Int, at time.Time) (registry.ApprovalFact, error) {
	var fact registry.ApprovalFact
	db := s.read(ctx)
	var iss []issuanceRow
	if err := db.Select("id", "chain_id", "token_address", "transfer_approval_required").Where("id = ?", issuanceID).Limit(1).
		Find(&iss).Error; err != nil {
		return fact, s.translate(err)
	}
	if len(iss) == 0 || !iss[0].TransferApproval {
		return fact, nil
	}
	fact.Required = true
	var rows []transferApprovalRow
	if err := db.Where("issuance_id = ? AND from_wallet = ? AND to_wallet = ? AND status = ? AND expires_at >= ? AND operation_id IS NOT NULL",
		issuanceID, from, to, string(registry.ApprovalApproved), at.UTC()).Find(&rows).Error; err != nil {
		return fact, s.translate(err)
	}
	var opIDs []int64
	for _, r := range rows {
		if v := amountValue(&r.Amount); v != nil && v.Cmp(amount) == 0 {
			opIDs = append(opIDs, *r.OperationID)
		}
	}
	if len(opIDs) == 0 {
		return fact, nil
	}
	var ops []operationRow
	if err := db.Where("id IN ? AND status = ?", opIDs, string(registry.OpSucceeded)).Find(&ops).Error; err != nil {
		return fact, s.translate(err)
	}
	recorded := int64(-1) // block of the latest on-chain record
	for _, op := range ops {
		if b, err := strconv.ParseInt(op.domain().Result["block"], 10, 64); err == nil && b > recorded {
			recorded = b
		}
	}
	if recorded < 0 {
		return fact, nil // not (yet) on-chain: the token refuses
	}
	var moved []string
	if err := db.Table("mirror_transfers").Where("chain_id = ? AND token = ? AND from_addr = ? AND to_addr = ? AND block_number > ?",
		iss[0].ChainID, iss[0].TokenAddress, from, to, recorded).Pluck("amount", &moved).Error; err != nil {
		return fact, s.translate(err)
	}
	for i := range moved {
		if v := amountValue(&moved[i]); v != nil && v.Cmp(amount) == 0 {
			return fact, nil // consumed
		}
	}
	fact.Approved = true
	return fact, nil
}

// queueOperation inserts a PENDING operation for the chain worker in the
// caller's transaction, with its audit record unless the caller writes one
// record of the whole change; the caller has authorised it.
func (s *DB) queueOperation(tx *gorm.DB, p *registry.Principal, iss *registry.Issuance, kind registry.OperationKind,
	request map[string]string, audit bool) (*registry.Operation, error) {
	body, err := json.Marshal(request)
	if err != nil {
		return nil, fmt.Errorf("encode operation request: %w", err)
	}
	now := s.now()
	row := &operationRow{IssuanceID: iss.ID, SellerID: iss.LeadSellerID, Kind: string(kind), Status: string(registry.OpPending),
		Result: "{}", Request: string(body), CreatedBy: p.KeyID, CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(row).Error; err != nil {
		return nil, err
	}
	op := row.domain()
	if !audit {
		return op, nil
	}
	return op, s.appendAudit(tx, p, &iss.LeadSellerID, "operation.create", "operation", row.ID, op)
}
