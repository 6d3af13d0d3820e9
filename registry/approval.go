package registry

import (
	"context"
	"math/big"
	"time"
)

// Transfer approval (譲渡承認): an issuance whose terms say
// TransferApprovalRequired admits a transfer between holders only once its
// lead seller has approved that exact transfer (from, to, amount). The token
// keeps the approval on-chain until it expires and consumes it with the
// transfer it approves, so it admits that transfer exactly once; any other
// transfer reverts with CodeTransferNotApproved, and the node's transfer
// check answers the same code.

// Operation kinds of transfer approval and administration (the agent's key
// signs the first, the admin's key the last).
const (
	OpApproveTransfer OperationKind = "APPROVE_TRANSFER" // approveTransfer(from, to, amount, expiry)
	OpRevokeApproval  OperationKind = "REVOKE_APPROVAL"  // approveTransfer(from, to, amount, 0)
	OpRecover         OperationKind = "RECOVER"          // recoveryAddress(lost, new)
	OpAdminHandover   OperationKind = "ADMIN_HANDOVER"   // grant DEFAULT_ADMIN_ROLE to an address, renounce the node's
)

// ApprovalStatus is where a transfer approval stands.
type ApprovalStatus string

const (
	ApprovalRequested ApprovalStatus = "REQUESTED" // applied for, awaiting the lead seller
	ApprovalApproved  ApprovalStatus = "APPROVED"  // approved; recorded on-chain by its operation
	ApprovalRejected  ApprovalStatus = "REJECTED"
	ApprovalCancelled ApprovalStatus = "CANCELLED" // withdrawn by the applicant or the lead seller
	ApprovalExpired   ApprovalStatus = "EXPIRED"   // reported for an approval past its expiry
)

// Final reports whether no further decision applies.
func (s ApprovalStatus) Final() bool {
	return s == ApprovalRejected || s == ApprovalCancelled || s == ApprovalExpired
}

// TransferApproval is one application for a transfer between two wallets.
type TransferApproval struct {
	ID         int64          `json:"id"`
	IssuanceID int64          `json:"issuanceId"`
	SellerID   int64          `json:"sellerId"` // the applicant: the seller of the sending investor
	From       string         `json:"from"`
	To         string         `json:"to"`
	Amount     *big.Int       `json:"amount"`
	Status     ApprovalStatus `json:"status"`
	ExpiresAt  time.Time      `json:"expiresAt"`
	Note       string         `json:"note,omitempty"`
	// Decision: who decided (approve, reject or cancel), when and why.
	DecidedBy   string     `json:"decidedBy,omitempty"`
	DecidedAt   *time.Time `json:"decidedAt,omitempty"`
	Reason      string     `json:"reason,omitempty"`
	OperationID int64      `json:"operationId,omitempty"` // the chain operation that records (or revokes) it on-chain
	RequestedBy string     `json:"requestedBy"`
	CreatedAt   time.Time  `json:"createdAt"`
	UpdatedAt   time.Time  `json:"updatedAt"`
}

// ApprovalRequest applies for a transfer.
type ApprovalRequest struct {
	From, To  string
	Amount    *big.Int
	ExpiresAt time.Time
	Note      string
}

// ApprovalDecision approves, rejects or cancels an application.
type ApprovalDecision struct {
	Status ApprovalStatus // ApprovalApproved, ApprovalRejected or ApprovalCancelled
	Reason string
}

// ApprovalFilter selects approvals of an issuance.
type ApprovalFilter struct {
	Status ApprovalStatus // "" for all
	Limit  int
	After  int64 // id cursor
}

// ApprovalStore keeps transfer approvals.
type ApprovalStore interface {
	// RequestApproval records an application by the sending investor's
	// seller (or the operator).
	RequestApproval(ctx context.Context, issuanceID int64, r ApprovalRequest) (*TransferApproval, error)
	// DecideApproval changes an application's state in one transaction; an
	// approval queues its on-chain record (APPROVE_TRANSFER), a cancellation
	// of an approved one queues its revocation. Webhooks for "approval
	// requested or decided" hook here and in RequestApproval.
	DecideApproval(ctx context.Context, issuanceID, id int64, d ApprovalDecision) (*TransferApproval, error)
	Approval(ctx context.Context, issuanceID, id int64) (*TransferApproval, error)
	Approvals(ctx context.Context, issuanceID int64, f ApprovalFilter) ([]*TransferApproval, error)
}

// ApprovalFact is what a transfer check needs to know of approvals: whether the
// issuance requires them, and whether an approved, unexpired approval of
// exactly this transfer exists.
type ApprovalFact struct {
	Required bool
	Approved bool
}
