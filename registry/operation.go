package registry

import (
	"context"
	"math/big"
	"time"
)

// OperationKind names a long-running chain operation.
type OperationKind string

const (
	OpDeploy OperationKind = "DEPLOY"

	// Token operations: the node's key is the token's agent.
	OpMint           OperationKind = "MINT"            // mint(to, amount): primary allocation
	OpForcedTransfer OperationKind = "FORCED_TRANSFER" // forcedTransfer(from, to, amount)
	OpRedeem         OperationKind = "REDEEM"          // burn(from, amount)
	OpFreeze         OperationKind = "FREEZE"          // setAddressFrozen(wallet, true) or freezePartialTokens
	OpUnfreeze       OperationKind = "UNFREEZE"        // setAddressFrozen(wallet, false) or unfreezePartialTokens
	OpPause          OperationKind = "PAUSE"
	OpUnpause        OperationKind = "UNPAUSE"
)

// TokenOperation reports whether k acts on an already deployed token.
func (k OperationKind) TokenOperation() bool {
	switch k {
	case OpMint, OpForcedTransfer, OpRedeem, OpFreeze, OpUnfreeze, OpPause, OpUnpause,
		OpApproveTransfer, OpRevokeApproval, OpRecover, OpAdminHandover, OpBatchMint:
		return true
	}
	return false
}

// OperationStatus is where an operation stands.
type OperationStatus string

const (
	OpPending   OperationStatus = "PENDING"
	OpRunning   OperationStatus = "RUNNING"
	OpSucceeded OperationStatus = "SUCCEEDED"
	OpFailed    OperationStatus = "FAILED"
)

// Operation is a request that takes blocks to complete; clients poll it by id
// instead of holding a request open.
type Operation struct {
	ID         int64           `json:"id"`
	IssuanceID int64           `json:"issuanceId"`
	SellerID   int64           `json:"sellerId"` // tenant of the issuance
	Kind       OperationKind   `json:"kind"`
	Status     OperationStatus `json:"status"`
	Error      string          `json:"error,omitempty"`
	// Request is what was asked (addresses and decimal amounts by name, see
	// TokenOp.Request); the worker executes it, so it is persisted with the row.
	Request   map[string]string `json:"request"`
	Result    map[string]string `json:"result"`
	CreatedBy string            `json:"createdBy"`
	CreatedAt time.Time         `json:"createdAt"`
	UpdatedAt time.Time         `json:"updatedAt"`
}

// TokenOp is a token operation as the API asks for it. Which fields apply
// depends on Kind: MINT To+Amount; FORCED_TRANSFER From+To+Amount; REDEEM
// From+Amount; FREEZE/UNFREEZE Wallet and an optional Amount (nil: the whole
// wallet, else that many tokens); PAUSE/UNPAUSE nothing.
type TokenOp struct {
	Kind   OperationKind
	From   string
	To     string
	Wallet string
	Amount *big.Int
}

// Request returns the operation's persisted form.
func (o TokenOp) Request() map[string]string {
	m := map[string]string{}
	for k, v := range map[string]string{"from": o.From, "to": o.To, "wallet": o.Wallet} {
		if v != "" {
			m[k] = v
		}
	}
	if o.Amount != nil {
		m["amount"] = o.Amount.String()
	}
	return m
}

// TokenOpFrom rebuilds a token operation from its persisted form.
func TokenOpFrom(op *Operation) (TokenOp, error) {
	t := TokenOp{Kind: op.Kind, From: op.Request["from"], To: op.Request["to"], Wallet: op.Request["wallet"]}
	if a, ok := op.Request["amount"]; ok {
		v, err := ParseAmount("amount", a)
		if err != nil {
			return t, err
		}
		t.Amount = v
	}
	return t, nil
}

// Deployment records where an issuance's contracts live.
type Deployment struct {
	ChainID         int64  `json:"chainId"`
	GenesisHash     string `json:"genesisHash,omitempty"`
	TokenAddress    string `json:"tokenAddress"`
	RegistryAddress string `json:"registryAddress"`
	Block           uint64 `json:"deploymentBlock"`
}

// OperationStore keeps operations and deployments durable.
type OperationStore interface {
	// CreateOperation queues an operation on an issuance the caller administers;
	// request is stored with it for the worker.
	CreateOperation(ctx context.Context, issuanceID int64, kind OperationKind, request map[string]string) (*Operation, error)
	Operation(ctx context.Context, id int64) (*Operation, error)
	// IssuanceOperations lists the operations of an issuance the caller may
	// read, oldest first, after f.Page.After (operation_list.go).
	IssuanceOperations(ctx context.Context, issuanceID int64, f OperationFilter) ([]*Operation, error)
	// ClaimOperation marks the oldest pending operation of an issuance whose
	// chain work is not halted RUNNING for owner and returns it, or nil when
	// none is pending.
	ClaimOperation(ctx context.Context, owner string) (*Operation, error)
	FinishOperation(ctx context.Context, id int64, result map[string]string, failure error) error
	// RecordDeployment attaches contracts to an issuance that has none.
	RecordDeployment(ctx context.Context, issuanceID int64, d Deployment) (*Issuance, error)
}

// ChainService is what the API needs of the chain side.
type ChainService interface {
	Deploy(ctx context.Context, issuanceID int64) (*Operation, error)
	Attach(ctx context.Context, issuanceID int64, token, registryAddr string, block *uint64) (*Issuance, error)
	Operation(ctx context.Context, id int64) (*Operation, error)
	// IssuanceOperations lists an issuance's operations, oldest first.
	IssuanceOperations(ctx context.Context, issuanceID int64, f OperationFilter) ([]*Operation, error)
	// TokenOperation checks a token operation with the eligibility engine and
	// queues it; a refusal is an EREFUSED *Error with the reasons, and nothing
	// is queued or sent.
	TokenOperation(ctx context.Context, issuanceID int64, op TokenOp) (*Operation, error)
	// Reconcile compares the issuance's on-chain registry with the database;
	// with repair it queues the drifted wallets for the whitelist sync.
	Reconcile(ctx context.Context, issuanceID int64, repair bool) (*ReconcileReport, error)
}
