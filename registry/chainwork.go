package registry

import (
	"context"
	"errors"
	"time"
)

// ErrChainChanged reports that the chain the node talks to is not the one a
// deployment lives on (another genesis or chain id): its chain work halts.
var ErrChainChanged = errors.New("the chain changed identity")

// ChainIdentity names one chain exactly: a chain id alone does not (a reset
// devnet keeps its id), its genesis block hash does.
type ChainIdentity struct {
	ChainID     int64
	GenesisHash string
}

// Halt is why an issuance's chain work (mirror, whitelist sync, token
// operations) stopped: its chain is no longer the one its contracts were
// deployed on, or a reorg went deeper than the node's bound. The register stays
// as last confirmed; nothing is rewound. It is cleared only by retiring the
// deployment.
type Halt struct {
	ID         int64
	IssuanceID int64
	ChainID    int64
	Token      string
	Reason     string
	CreatedAt  time.Time
	ClearedAt  *time.Time
}

// RetiredDeployment is a deployment taken out of service by an operator or the
// lead seller (after a chain reset, say). Its mirrored transfers and holders
// stay readable under MirrorKey, the chain key its rows were moved to.
type RetiredDeployment struct {
	ID              int64
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

// RetiredMirrorKey is the chain key a retired deployment's mirrored rows move
// to: negative, so it can never collide with a real chain id, and unique per
// retirement.
func RetiredMirrorKey(retiredID int64) int64 { return -retiredID }

// OperationTx is one signed transaction of an operation, recorded before it is
// broadcast. A deployment records one per contract (with the address it will
// create) plus its set-up calls; a token operation one, plus any fee-bumped
// replacement of it (same Step and nonce, another hash).
type OperationTx struct {
	OperationID int64
	Step        int
	Nonce       uint64
	Hash        string
	Raw         []byte
	Contract    string // address a contract creation will create, else ""
	GenesisHash string // with Contract: the chain the address is on
	CreatedAt   time.Time
}

// ChainWorkStore is the durable side of the node's chain safety: chain
// identities, halts and retirements, and the transactions operations sent.
type ChainWorkStore interface {
	// RememberChain records the genesis of a chain id the first time the node
	// sees it and returns what was recorded (possibly earlier, and different).
	RememberChain(ctx context.Context, id ChainIdentity) (ChainIdentity, error)
	// HaltIssuance halts an issuance's chain work with a reason and raises an
	// alert; halting a halted issuance changes nothing (false).
	HaltIssuance(ctx context.Context, issuanceID int64, reason string) (bool, error)
	// Halts lists the halts in force.
	Halts(ctx context.Context) ([]Halt, error)
	// RecordOperationTxs stores signed transactions of a RUNNING operation and
	// merges result into its result, before anything is broadcast.
	RecordOperationTxs(ctx context.Context, operationID int64, txs []OperationTx, result map[string]string) error
	// OperationTxs lists an operation's recorded transactions, by step then age.
	OperationTxs(ctx context.Context, operationID int64) ([]OperationTx, error)
	// NoteOperation merges result into a RUNNING operation's result (what it
	// waits for) and renews its heartbeat.
	NoteOperation(ctx context.Context, operationID int64, result map[string]string) error
	// ResumeOperations claims the RUNNING operations this node should carry on
	// with: its own (it just started, so none of them runs) and those whose
	// owner has been silent for longer than staleAfter.
	ResumeOperations(ctx context.Context, owner string, staleAfter time.Duration) ([]*Operation, error)
	// Heartbeat renews the heartbeat of the owner's RUNNING operations.
	Heartbeat(ctx context.Context, owner string) error
	// ActiveDeployments lists the deployments whose chain work runs.
	ActiveDeployments(ctx context.Context) ([]ActiveDeployment, error)
	// AdoptGenesis records the genesis of a deployment recorded without one.
	AdoptGenesis(ctx context.Context, issuanceID int64, genesis string) error
	// DeployedFor is the issuance this node deployed a contract address for
	// on the chain with genesis.
	DeployedFor(ctx context.Context, genesis, address string) (int64, bool, error)
	// RecentOperations lists operations that succeeded since since and sent
	// transactions: the ones a reorg could still undo.
	RecentOperations(ctx context.Context, since time.Time) ([]*Operation, error)
	// AnnotateOperation merges result into a finished operation's result.
	AnnotateOperation(ctx context.Context, operationID int64, result map[string]string) error
}

// DeploymentAdmin is what the API offers for a deployment's life after a
// chain changed under it.
type DeploymentAdmin interface {
	// RetireDeployment takes an issuance's deployment out of service: its
	// mirrored history moves under a retired key (still readable), its halt is
	// cleared, its open chain work is failed, and the issuance can be deployed
	// or attached anew.
	RetireDeployment(ctx context.Context, issuanceID int64, reason string) (*RetiredDeployment, error)
	// Deployments lists an issuance's retired deployments, newest first.
	Deployments(ctx context.Context, issuanceID int64) ([]*RetiredDeployment, error)
	// IssuanceHalts lists an issuance's halts, newest first, cleared ones too.
	IssuanceHalts(ctx context.Context, issuanceID int64) ([]Halt, error)
}

// ActiveDeployment is a deployment whose chain work runs.
type ActiveDeployment struct {
	IssuanceID      int64
	ChainID         int64
	GenesisHash     string // "" for a deployment recorded before genesis hashes were kept
	TokenAddress    string
	RegistryAddress string
	DeploymentBlock uint64
}
