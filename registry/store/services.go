package store

import (
	"github.com/stonode/stonode/registry"
)

// The services a node builds on its one DB handle. Each owns one part of the
// schema's behaviour; they share the handle's pools, cache and transaction
// helpers, so a write by one is seen by the others' next read.
type (
	// Registry is sellers, issuances, investors, the whitelist, API keys, the
	// audit log, eligibility look-ups and compliance alerts: registry.Service.
	Registry struct{ *DB }
	// Outbox is the whitelist sync's queue of records to write on-chain.
	Outbox struct{ *DB }
	// Mirror is the transfer mirror's write path (Apply, Rewind) and read path.
	Mirror struct{ *DB }
	// Operations is the chain work's record: token operations, their signed
	// transactions, deployments, chain identities and halts.
	Operations struct{ *DB }
	// Controls is the registry side of the post-issuance controls: transfer
	// approvals, holder locks and lost-wallet recovery.
	Controls struct{ *DB }
)

// NewRegistry builds the registry service on db.
func NewRegistry(db *DB) *Registry { return &Registry{db} }

// NewOutbox builds the whitelist sync outbox on db.
func NewOutbox(db *DB) *Outbox { return &Outbox{db} }

// NewMirror builds the transfer mirror's store on db.
func NewMirror(db *DB) *Mirror { return &Mirror{db} }

// NewOperations builds the chain work's store on db.
func NewOperations(db *DB) *Operations { return &Operations{db} }

// NewControls builds the post-issuance controls' store on db.
func NewControls(db *DB) *Controls { return &Controls{db} }

var (
	_ registry.Service         = (*Registry)(nil)
	_ registry.AlertService    = (*Registry)(nil)
	_ registry.SyncStore       = (*Outbox)(nil)
	_ registry.MirrorStore     = (*Mirror)(nil)
	_ registry.MirrorReader    = (*Mirror)(nil)
	_ registry.OperationStore  = (*Operations)(nil)
	_ registry.ChainWorkStore  = (*Operations)(nil)
	_ registry.DeploymentAdmin = (*Operations)(nil)
	_ registry.ControlStore    = (*Controls)(nil)
)
