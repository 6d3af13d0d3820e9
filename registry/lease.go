package registry

import (
	"context"
	"errors"
	"time"
)

// Several nodes on one PostgreSQL database all serve the API, but each
// issuance's chain work (its mirror, whitelist sync and token operations) is
// run by one node at a time: the holder of the issuance's lease. A lease has an
// epoch that grows by one at every change of holder; whatever a holder records
// about its chain work (a claim, a signed transaction, a mirrored batch) checks
// in the same database transaction that the lease is still its own, unexpired,
// at that epoch (fencing), so a node that lost its lease stops before another
// starts and its late writes are refused. Nodes share one signing key, so the
// key's nonce is leased too, for the sign, record and broadcast of one send.

// ErrLeaseLost refuses a write of chain work whose node no longer holds the
// lease it was done under: another node may be doing the same work now.
var ErrLeaseLost = errors.New("lease lost: another node runs this chain work now")

// Lease is an issuance's chain work held by one node until ExpiresAt, unless
// renewed. Times are the database's clock, the one clock every node shares.
type Lease struct {
	IssuanceID int64     `json:"issuanceId"`
	Owner      string    `json:"owner"` // node id; "" once released
	Epoch      int64     `json:"epoch"`
	AcquiredAt time.Time `json:"acquiredAt"`
	ExpiresAt  time.Time `json:"expiresAt"`
}

// LeaseTake says how a lease was acquired.
type LeaseTake int

const (
	LeaseNotTaken LeaseTake = iota // another node holds it
	LeaseFresh                     // no node ever held it, or its holder released it
	LeaseFailover                  // its holder went silent and it expired
)

// ChainNode is a node that runs chain work, as its heartbeats tell.
type ChainNode struct {
	ID          string    `json:"id"`
	StartedAt   time.Time `json:"startedAt"`
	HeartbeatAt time.Time `json:"heartbeatAt"`
	ExpiresAt   time.Time `json:"expiresAt"`
	Live        bool      `json:"live"` // its last heartbeat has not expired
	Leases      []Lease   `json:"leases"`
}

// LeaseBoard is every node and lease as the database sees them now.
type LeaseBoard struct {
	// Shared is false for a node on a database of its own (SQLite): it runs
	// all chain work, unleased, and is the only node listed.
	Shared bool        `json:"shared"`
	Self   string      `json:"self"` // the id of the node that answered
	Now    time.Time   `json:"now"`  // the database's clock
	Nodes  []ChainNode `json:"nodes"`
	Orphan []Lease     `json:"unowned"` // leases whose holder is gone: released or expired
}

// Fence is the lease a piece of chain work runs under, carried in its
// context to the store, which checks it in every transaction that records the
// work. A record of a transaction signed with a new nonce must also be made
// while Owner holds a nonce lease on ChainID.
type Fence struct {
	IssuanceID int64
	Owner      string
	Epoch      int64
	ChainID    int64
}

type fenceKey struct{}

// WithFence returns ctx carrying the fence f.
func WithFence(ctx context.Context, f Fence) context.Context {
	return context.WithValue(ctx, fenceKey{}, f)
}

// FenceFrom returns the fence ctx carries, if any. Work without one is a
// single node's (SQLite) or not chain work.
func FenceFrom(ctx context.Context) (Fence, bool) {
	f, ok := ctx.Value(fenceKey{}).(Fence)
	return f, ok
}

// LeaseStore is the durable side of leasing, on the shared database.
type LeaseStore interface {
	// BeatNode records that node is alive until ttl from now.
	BeatNode(ctx context.Context, node string, ttl time.Duration) error
	// RenewLeases extends the node's unexpired leases by ttl and returns them;
	// a lease that had expired is not renewed (another node may hold it).
	RenewLeases(ctx context.Context, owner string, ttl time.Duration) ([]Lease, error)
	// AcquireLease takes an issuance's lease if nobody holds it, it was
	// released, or its holder let it expire; the epoch grows by one.
	AcquireLease(ctx context.Context, issuanceID int64, owner string, ttl time.Duration) (Lease, LeaseTake, error)
	// ReleaseLease gives a lease up at once, so another node can take it.
	ReleaseLease(ctx context.Context, issuanceID int64, owner string, epoch int64) error
	// LeaseBoard lists nodes and leases.
	LeaseBoard(ctx context.Context) (*LeaseBoard, error)
	// AcquireNonce takes the signing key's nonce lease on a chain for ttl if
	// no other node holds it unexpired, and returns its epoch.
	AcquireNonce(ctx context.Context, chainID int64, sender, owner string, ttl time.Duration) (epoch int64, ok bool, err error)
	// ReleaseNonce gives the nonce lease up.
	ReleaseNonce(ctx context.Context, chainID int64, sender, owner string, epoch int64) error
}

// NodeDirectory lists the nodes that run chain work and their leases.
type NodeDirectory interface {
	ChainNodes(ctx context.Context) (*LeaseBoard, error)
}
