package registry

import (
	"context"
	"math/big"
	"time"
)

// Holder locks: an amount of a holder's tokens locked for a reason (a
// garnishment, a pledge, an inheritance in progress) with a reference and an
// optional release time. The token's frozen amount of the wallet
// (getFrozenTokens) is the sum of its ACTIVE and RELEASING locks once their
// operations settle: a lock is frozen on-chain (freezePartialTokens) by the
// operation its creation queues and unfrozen by the one its release queues.
// The node releases a lock whose release time has passed by itself.

// LockReason says why tokens are locked.
type LockReason string

const (
	LockGarnishment LockReason = "GARNISHMENT" // 差押え
	LockPledge      LockReason = "PLEDGE"      // 質権
	LockInheritance LockReason = "INHERITANCE" // 相続手続中
	LockCourtOrder  LockReason = "COURT_ORDER"
	LockOther       LockReason = "OTHER"
)

// LockReasons lists the valid reasons.
var LockReasons = []LockReason{LockGarnishment, LockPledge, LockInheritance, LockCourtOrder, LockOther}

// LockStatus is where a lock stands.
type LockStatus string

const (
	LockPending   LockStatus = "PENDING"   // its freeze is being sent
	LockActive    LockStatus = "ACTIVE"    // frozen on-chain
	LockReleasing LockStatus = "RELEASING" // its unfreeze is being sent
	LockReleased  LockStatus = "RELEASED"
	LockFailed    LockStatus = "FAILED" // its freeze failed: nothing is frozen for it
)

// HolderLock is one lock on a wallet's tokens.
type HolderLock struct {
	ID         int64      `json:"id"`
	IssuanceID int64      `json:"issuanceId"`
	Wallet     string     `json:"wallet"`
	Amount     *big.Int   `json:"amount"`
	Reason     LockReason `json:"reason"`
	Reference  string     `json:"reference"`
	ReleaseAt  *time.Time `json:"releaseAt,omitempty"`
	Status     LockStatus `json:"status"`
	// LockOperation froze it; ReleaseOperation unfreezes it.
	LockOperation    int64      `json:"lockOperationId"`
	ReleaseOperation int64      `json:"releaseOperationId,omitempty"`
	ReleasedBy       string     `json:"releasedBy,omitempty"`
	ReleasedAt       *time.Time `json:"releasedAt,omitempty"`
	CreatedBy        string     `json:"createdBy"`
	CreatedAt        time.Time  `json:"createdAt"`
	UpdatedAt        time.Time  `json:"updatedAt"`
}

// LockRequest creates a lock.
type LockRequest struct {
	Wallet    string
	Amount    *big.Int
	Reason    LockReason
	Reference string
	ReleaseAt *time.Time
}

// LockStore keeps holder locks.
type LockStore interface {
	// CreateLock records a lock and queues its freeze, in one transaction.
	CreateLock(ctx context.Context, issuanceID int64, r LockRequest) (*HolderLock, error)
	// ReleaseLock queues an ACTIVE lock's unfreeze (once: a second call
	// finds it RELEASING and is refused with ECONFLICT).
	ReleaseLock(ctx context.Context, issuanceID, id int64) (*HolderLock, error)
	Lock(ctx context.Context, issuanceID, id int64) (*HolderLock, error)
	Locks(ctx context.Context, issuanceID int64, wallet string) ([]*HolderLock, error)
	// DueLocks lists ACTIVE locks whose release time is at or before at.
	DueLocks(ctx context.Context, at time.Time) ([]*HolderLock, error)
	// LockedAmounts sums each wallet's ACTIVE and RELEASING locks of an
	// issuance (the caller has authorised reading its register).
	LockedAmounts(ctx context.Context, issuanceID int64) (map[string]*big.Int, error)
}

// RecoveryRequest replaces an investor's lost wallet with a new one on one
// issuance's token: the new wallet is registered to the same investor (and so
// whitelisted wherever the investor is), the balance, the frozen amount and
// the locks move to it in one transaction on-chain (recoveryAddress), and the
// lost wallet is frozen and retired.
type RecoveryRequest struct {
	LostWallet string
	NewWallet  string
	Label      string // for the new wallet
	Reason     string
}

// ControlStore is the registry side of the post-issuance controls; each
// change commits with the operation that carries it on-chain and its audit
// record.
type ControlStore interface {
	ApprovalStore
	LockStore
	// RecoverWallet registers the new wallet, retires and freezes the lost
	// one, moves its locks and queues the RECOVER operation, with one audit
	// record of the whole recovery.
	RecoverWallet(ctx context.Context, issuanceID int64, r RecoveryRequest) (*Operation, error)
}

// RoleHolder is one account holding a role on one of an issuance's contracts.
type RoleHolder struct {
	Contract string `json:"contract"` // "token" or "registry"
	Role     string `json:"role"`     // DEFAULT_ADMIN_ROLE, AGENT_ROLE, WRITER_ROLE, PAUSER_ROLE
	Address  string `json:"address"`
	Node     string `json:"node,omitempty"` // the node key role using this address: writer, agent or admin
}

// ControlService is what the API needs of the post-issuance controls: the
// registry's records, and the chain work that carries them on-chain.
type ControlService interface {
	RequestApproval(ctx context.Context, issuanceID int64, r ApprovalRequest) (*TransferApproval, error)
	DecideApproval(ctx context.Context, issuanceID, id int64, d ApprovalDecision) (*TransferApproval, error)
	Approval(ctx context.Context, issuanceID, id int64) (*TransferApproval, error)
	Approvals(ctx context.Context, issuanceID int64, f ApprovalFilter) ([]*TransferApproval, error)
	CreateLock(ctx context.Context, issuanceID int64, r LockRequest) (*HolderLock, error)
	ReleaseLock(ctx context.Context, issuanceID, id int64) (*HolderLock, error)
	Lock(ctx context.Context, issuanceID, id int64) (*HolderLock, error)
	Locks(ctx context.Context, issuanceID int64, wallet string) ([]*HolderLock, error)
	LockedAmounts(ctx context.Context, issuanceID int64) (map[string]*big.Int, error)
	RecoverWallet(ctx context.Context, issuanceID int64, r RecoveryRequest) (*Operation, error)
	// HandOverAdmin grants DEFAULT_ADMIN_ROLE on the token and the registry
	// to address and renounces the node's (the ADMIN_HANDOVER operation).
	HandOverAdmin(ctx context.Context, issuanceID int64, address string) (*Operation, error)
	// Roles reports who holds which role on the issuance's contracts.
	Roles(ctx context.Context, issuanceID int64) ([]RoleHolder, error)
}
