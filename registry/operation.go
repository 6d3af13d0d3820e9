package registry

import (
	"context"
	"time"
)

// OperationKind names a long-running chain operation.
type OperationKind string

const (
	OpDeploy OperationKind = "DEPLOY"
)

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
	ID         int64
	IssuanceID int64
	SellerID   int64 // tenant of the issuance
	Kind       OperationKind
	Status     OperationStatus
	Error      string
	Result     map[string]string
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Deployment records where an issuance's contracts live.
type Deployment struct {
	ChainID         int64
	TokenAddress    string
	RegistryAddress string
	Block           uint64
}

// OperationStore keeps operations and deployments durable.
type OperationStore interface {
	// CreateOperation queues an operation on an issuance the caller administers.
	CreateOperation(ctx context.Context, issuanceID int64, kind OperationKind) (*Operation, error)
	Operation(ctx context.Context, id int64) (*Operation, error)
	// ClaimOperation marks the oldest pending operation RUNNING and returns it,
	// or nil when none is pending.
	ClaimOperation(ctx context.Context) (*Operation, error)
	FinishOperation(ctx context.Context, id int64, result map[string]string, failure error) error
	// FailInterrupted fails operations left RUNNING by a previous process.
	FailInterrupted(ctx context.Context) (int, error)
	// RecordDeployment attaches contracts to an issuance that has none.
	RecordDeployment(ctx context.Context, issuanceID int64, d Deployment) (*Issuance, error)
}

// ChainService is what the API needs of the chain side.
type ChainService interface {
	Deploy(ctx context.Context, issuanceID int64) (*Operation, error)
	Attach(ctx context.Context, issuanceID int64, token, registryAddr string, block *uint64) (*Issuance, error)
	Operation(ctx context.Context, id int64) (*Operation, error)
}
