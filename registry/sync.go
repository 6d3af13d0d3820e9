package registry

import (
	"context"
	"time"
)

// NoExpiry is the valid-until written on-chain for a record without expiry
// (the registry's uint40 maximum).
const NoExpiry = uint64(1)<<40 - 1

// Category flags as the EligibilityRegistry stores them.
const (
	FlagGeneral           uint16 = 1 << 0
	FlagQII               uint16 = 1 << 1
	FlagSpecifiedInvestor uint16 = 1 << 2
)

// WalletRecord is the on-chain state a wallet should have in an issuance's
// EligibilityRegistry, derived from the registry. InvestorID 0 removes it.
type WalletRecord struct {
	Wallet     string
	InvestorID uint64
	Country    string
	Categories uint16
	ValidUntil uint64 // unix seconds, inclusive; NoExpiry when nothing expires
	Frozen     bool   // the token should hold the wallet frozen
	// FreezeKnown is false for a wallet the registry does not know (removed, or
	// never registered): its freeze on the token is left as it is, so removing
	// a frozen wallet never releases it.
	FreezeKnown bool
}

// SyncTarget is a deployed issuance with whitelist changes to send.
type SyncTarget struct {
	IssuanceID      int64
	ChainID         int64
	GenesisHash     string // the chain the contracts live on ("" if recorded before genesis hashes were kept)
	RegistryAddress string
	TokenAddress    string
	DeploymentBlock uint64
}

// SyncFailed is the state of a whitelist entry one of whose wallets the chain
// refused (the entry's SyncError says which and why). The other wallets of the
// issuance are synced regardless; the next change that queues the wallet
// again retries it.
const SyncFailed SyncState = "FAILED"

// BatchStatus is the life of one applyBatch transaction.
type BatchStatus string

const (
	BatchSending   BatchStatus = "SENDING"   // signed and recorded; broadcast may not have happened
	BatchConfirmed BatchStatus = "CONFIRMED" // mined successfully
	BatchFailed    BatchStatus = "FAILED"    // reverted or dropped; its wallets went back to the outbox
)

// SyncBatch is one applyBatch call and the wallets it carries. Its transaction
// may have been signed more than once with the same nonce (a replacement with
// higher fees for one stuck or refused as under-priced); at most one version is
// ever mined, and any of them settles the batch.
type SyncBatch struct {
	ID         int64
	IssuanceID int64
	Seq        uint64
	TxHash     string   // the latest version, the one re-broadcast
	RawTx      []byte   // its signed bytes
	TxHashes   []string // every version, oldest first (TxHash last)
	SentBlock  uint64   // chain head when the latest version was signed
	Status     BatchStatus
	Wallets    []string
	UpTo       int64 // highest outbox row the batch's records include
	SentAt     time.Time
	Block      uint64 // CONFIRMED: the block it was mined in
	BlockHash  string // CONFIRMED: that block's hash, checked against reorgs
}

// Hashes returns every hash the batch was sent as.
func (b SyncBatch) Hashes() []string {
	if len(b.TxHashes) == 0 && b.TxHash != "" {
		return []string{b.TxHash}
	}
	return b.TxHashes
}

// WalletFailure is a wallet the chain refused in a batch, with the decoded
// reason (e.g. "ZeroWallet()").
type WalletFailure struct {
	Wallet string
	Reason string
}

// SyncStore is the durable side of the whitelist sync: an outbox filled in the
// same transaction as every registry change, and the batches sent from it.
type SyncStore interface {
	// SyncTargets lists deployed issuances with pending outbox rows.
	SyncTargets(ctx context.Context) ([]SyncTarget, error)
	// SyncTargetFor returns one deployed issuance's contracts.
	SyncTargetFor(ctx context.Context, issuanceID int64) (SyncTarget, error)
	// Deployed lists every issuance with contracts on the given chain.
	Deployed(ctx context.Context, chainID int64) ([]SyncTarget, error)
	// PendingWallets returns up to limit distinct wallets waiting for a batch,
	// and the highest outbox row it read: a batch derived after this call
	// carries every change up to that row, and claims no later one.
	PendingWallets(ctx context.Context, issuanceID int64, limit int) (wallets []string, upTo int64, err error)
	// DesiredRecords derives the on-chain records the wallets should have at at.
	DesiredRecords(ctx context.Context, issuanceID int64, wallets []string, at time.Time) ([]WalletRecord, error)
	// RecordBatch stores a signed batch before it is broadcast and ties the
	// pending rows of its wallets to it.
	RecordBatch(ctx context.Context, b SyncBatch) (int64, error)
	// ReplaceBatchTx records a new version of a batch's transaction (same
	// nonce, higher fees) before it is broadcast; the batch keeps every hash.
	ReplaceBatchTx(ctx context.Context, batchID int64, txHash string, raw []byte, sentBlock uint64) error
	// OpenBatches lists batches not yet confirmed or failed.
	OpenBatches(ctx context.Context) ([]SyncBatch, error)
	// ConfirmBatch marks a batch mined as txHash (one of its versions) in the
	// block number/hash, and its entries CONFIRMED.
	ConfirmBatch(ctx context.Context, batchID int64, block uint64, blockHash, txHash string) error
	// FailBatch returns a batch's wallets to the outbox.
	FailBatch(ctx context.Context, batchID int64, reason string) error
	// FailWallets takes wallets the chain refuses out of the outbox (rows up
	// to upTo) and marks their entries FAILED with the reason, so the rest of
	// the issuance syncs without them; the next change that queues one of them
	// retries it.
	FailWallets(ctx context.Context, issuanceID int64, upTo int64, failures []WalletFailure) error
	// ConfirmedBatchesSince lists CONFIRMED batches mined at or above block
	// (the ones a reorg within the bound could still undo) of issuances whose
	// chain work runs on the chain with this genesis hash: a chain that
	// changed identity is no reorg, and nothing is reopened for it.
	ConfirmedBatchesSince(ctx context.Context, block uint64, genesis string) ([]SyncBatch, error)
	// ReopenBatch turns a CONFIRMED batch whose block left the canonical
	// chain back into an open one (its entries SENT again, its wallets claimed
	// again), so it is re-sent or, if it can no longer be mined, failed.
	ReopenBatch(ctx context.Context, batchID int64, reason string) error
	// OutboxStats reports the number of pending rows and the age of the oldest.
	OutboxStats(ctx context.Context) (depth int, oldest time.Duration, err error)
	// IssuanceWallets lists the wallets of every investor with a whitelist
	// entry (approved or revoked) on the issuance.
	IssuanceWallets(ctx context.Context, issuanceID int64) ([]string, error)
	// EnqueueWallets queues wallets for a sync (a reconcile repair), audited.
	EnqueueWallets(ctx context.Context, issuanceID int64, wallets []string) error
	// EnqueueStartingGrants queues the wallets of investors whose category
	// grant starts in (from, to]: a grant dated in advance changes the
	// on-chain record when it starts, with no registry write to queue it.
	EnqueueStartingGrants(ctx context.Context, from, to time.Time) (int64, error)
}

// Drift is one wallet whose on-chain state differs from the registry's.
type Drift struct {
	Wallet  string
	Want    WalletRecord
	OnChain WalletRecord
}

// ReconcileReport compares an issuance's registry with the chain.
type ReconcileReport struct {
	IssuanceID int64
	Checked    int
	Drift      []Drift
	Repaired   bool // the drifted wallets were queued for the whitelist sync
	AsOfBlock  uint64
	Roles      []RoleHolder // who holds which role on the token and the registry
}
