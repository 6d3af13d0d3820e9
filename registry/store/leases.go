package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// Leases is the durable side of several nodes sharing one PostgreSQL
// database's chain work (registry.LeaseStore). Every time here is the
// database's clock, the one clock all nodes share; none of these statements
// takes the registry's generation lock, so leasing never waits for registry
// writes. SQLite has one node: it needs no leases and refuses these calls.
type Leases struct{ *DB }

// NewLeases builds the lease store on db.
func NewLeases(db *DB) *Leases { return &Leases{db} }

var _ registry.LeaseStore = (*Leases)(nil)

// errLeasesNeedPostgres refuses leasing on SQLite, which has one node.
var errLeasesNeedPostgres = errors.New("leases need PostgreSQL: SQLite has one node")

// forgetNodesAfter is how long a node stays listed after its last heartbeat.
const forgetNodesAfter = time.Hour

type leaseRow struct {
	IssuanceID int64
	Owner      string
	Epoch      int64
	AcquiredAt time.Time
	ExpiresAt  time.Time
}

func (r leaseRow) domain() registry.Lease {
	return registry.Lease{IssuanceID: r.IssuanceID, Owner: r.Owner, Epoch: r.Epoch, AcquiredAt: r.AcquiredAt.UTC(), ExpiresAt: r.ExpiresAt.UTC()}
}

func secs(d time.Duration) float64 { return d.Seconds() }

// BeatNode records that node is alive for ttl; a node back after its last
// heartbeat expired starts anew. Nodes silent for an hour are forgotten.
func (s *Leases) BeatNode(ctx context.Context, node string, ttl time.Duration) error {
	if s.dialect != Postgres {
		return errLeasesNeedPostgres
	}
	err := s.writer.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`INSERT INTO chain_nodes (id, started_at, heartbeat_at, expires_at)
VALUES (?, clock_timestamp(), clock_timestamp(), clock_timestamp() + make_interval(secs => ?::double precision))
ON CONFLICT (id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at, expires_at = EXCLUDED.expires_at,
	started_at = CASE WHEN chain_nodes.expires_at < EXCLUDED.heartbeat_at THEN EXCLUDED.started_at ELSE chain_nodes.started_at END`,
			node, secs(ttl)).Error; err != nil {
			return err
		}
		return tx.Exec(`DELETE FROM chain_nodes WHERE expires_at < clock_timestamp() - make_interval(secs => ?::double precision)`,
			secs(forgetNodesAfter)).Error
	})
	return s.translate(err)
}

// RenewLeases extends owner's unexpired leases by ttl and returns them.
func (s *Leases) RenewLeases(ctx context.Context, owner string, ttl time.Duration) ([]registry.Lease, error) {
	if s.dialect != Postgres {
		return nil, errLeasesNeedPostgres
	}
	var rows []leaseRow
	if err := s.writer.WithContext(ctx).Raw(`UPDATE chain_leases SET expires_at = clock_timestamp() + make_interval(secs => ?::double precision)
WHERE owner = ? AND expires_at > clock_timestamp()
RETURNING issuance_id, owner, epoch, acquired_at, expires_at`, secs(ttl), owner).Scan(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]registry.Lease, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// AcquireLease takes an issuance's lease unless another node holds it
// unexpired. Taking it from a holder that let it expire is a failover; the
// holder's fenced writes are refused from then on, since the epoch moved.
func (s *Leases) AcquireLease(ctx context.Context, issuanceID int64, owner string, ttl time.Duration) (registry.Lease, registry.LeaseTake, error) {
	if s.dialect != Postgres {
		return registry.Lease{}, registry.LeaseNotTaken, errLeasesNeedPostgres
	}
	var out registry.Lease
	take := registry.LeaseNotTaken
	err := s.writer.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var cur []struct {
			Owner string
			Live  bool
		}
		if err := tx.Raw(`SELECT owner, expires_at > clock_timestamp() AS live FROM chain_leases WHERE issuance_id = ? FOR UPDATE`,
			issuanceID).Scan(&cur).Error; err != nil {
			return err
		}
		var rows []leaseRow
		switch {
		case len(cur) == 0:
			if err := tx.Raw(`INSERT INTO chain_leases (issuance_id, owner, epoch, acquired_at, expires_at)
VALUES (?, ?, 1, clock_timestamp(), clock_timestamp() + make_interval(secs => ?::double precision))
ON CONFLICT (issuance_id) DO NOTHING
RETURNING issuance_id, owner, epoch, acquired_at, expires_at`, issuanceID, owner, secs(ttl)).Scan(&rows).Error; err != nil {
				return err
			}
			take = registry.LeaseFresh
		case cur[0].Live && cur[0].Owner != "":
			return nil
		default:
			if err := tx.Raw(`UPDATE chain_leases SET owner = ?, epoch = epoch + 1, acquired_at = clock_timestamp(),
	expires_at = clock_timestamp() + make_interval(secs => ?::double precision)
WHERE issuance_id = ?
RETURNING issuance_id, owner, epoch, acquired_at, expires_at`, owner, secs(ttl), issuanceID).Scan(&rows).Error; err != nil {
				return err
			}
			take = registry.LeaseFresh
			if cur[0].Owner != "" && cur[0].Owner != owner {
				take = registry.LeaseFailover
			}
		}
		if len(rows) == 0 { // another node inserted it first
			take = registry.LeaseNotTaken
			return nil
		}
		out = rows[0].domain()
		return nil
	})
	if err != nil {
		return registry.Lease{}, registry.LeaseNotTaken, s.translate(err)
	}
	return out, take, nil
}

// ReleaseLease gives a lease up at once (a node handing work to a newcomer,
// or shutting down).
func (s *Leases) ReleaseLease(ctx context.Context, issuanceID int64, owner string, epoch int64) error {
	if s.dialect != Postgres {
		return errLeasesNeedPostgres
	}
	return s.translate(s.writer.WithContext(ctx).Exec(`UPDATE chain_leases SET owner = '', expires_at = clock_timestamp()
WHERE issuance_id = ? AND owner = ? AND epoch = ?`, issuanceID, owner, epoch).Error)
}

// LeaseBoard lists the nodes (newest heartbeat first) with their unexpired
// leases, and the leases no live holder has.
func (s *Leases) LeaseBoard(ctx context.Context) (*registry.LeaseBoard, error) {
	if s.dialect != Postgres {
		return nil, errLeasesNeedPostgres
	}
	board := &registry.LeaseBoard{Nodes: []registry.ChainNode{}, Orphan: []registry.Lease{}}
	err := s.reader.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var now time.Time
		if err := tx.Raw(`SELECT now()`).Scan(&now).Error; err != nil {
			return err
		}
		board.Now = now.UTC()
		var nodes []struct {
			ID                                string
			StartedAt, HeartbeatAt, ExpiresAt time.Time
		}
		if err := tx.Raw(`SELECT id, started_at, heartbeat_at, expires_at FROM chain_nodes ORDER BY heartbeat_at DESC, id`).
			Scan(&nodes).Error; err != nil {
			return err
		}
		var leases []leaseRow
		if err := tx.Raw(`SELECT issuance_id, owner, epoch, acquired_at, expires_at FROM chain_leases ORDER BY issuance_id`).
			Scan(&leases).Error; err != nil {
			return err
		}
		at := map[string]int{}
		for _, n := range nodes {
			at[n.ID] = len(board.Nodes)
			board.Nodes = append(board.Nodes, registry.ChainNode{ID: n.ID, StartedAt: n.StartedAt.UTC(), HeartbeatAt: n.HeartbeatAt.UTC(),
				ExpiresAt: n.ExpiresAt.UTC(), Live: n.ExpiresAt.After(now), Leases: []registry.Lease{}})
		}
		for _, l := range leases {
			i, known := at[l.Owner]
			if l.Owner == "" || !known || !l.ExpiresAt.After(now) {
				board.Orphan = append(board.Orphan, l.domain())
				continue
			}
			board.Nodes[i].Leases = append(board.Nodes[i].Leases, l.domain())
		}
		return nil
	})
	if err != nil {
		return nil, s.translate(err)
	}
	return board, nil
}

// AcquireNonce takes the nonce lease of sender on chainID unless another node
// holds it unexpired.
func (s *Leases) AcquireNonce(ctx context.Context, chainID int64, sender, owner string, ttl time.Duration) (int64, bool, error) {
	if s.dialect != Postgres {
		return 0, false, errLeasesNeedPostgres
	}
	var epochs []int64
	if err := s.writer.WithContext(ctx).Raw(`INSERT INTO nonce_leases (chain_id, sender, owner, epoch, expires_at)
VALUES (?, ?, ?, 1, clock_timestamp() + make_interval(secs => ?::double precision))
ON CONFLICT (chain_id, sender) DO UPDATE SET owner = EXCLUDED.owner, epoch = nonce_leases.epoch + 1, expires_at = EXCLUDED.expires_at
WHERE nonce_leases.owner = '' OR nonce_leases.expires_at <= clock_timestamp()
RETURNING epoch`, chainID, sender, owner, secs(ttl)).Scan(&epochs).Error; err != nil {
		return 0, false, s.translate(err)
	}
	if len(epochs) == 0 {
		return 0, false, nil
	}
	return epochs[0], true, nil
}

// ReleaseNonce gives the nonce lease up.
func (s *Leases) ReleaseNonce(ctx context.Context, chainID int64, sender, owner string, epoch int64) error {
	if s.dialect != Postgres {
		return errLeasesNeedPostgres
	}
	return s.translate(s.writer.WithContext(ctx).Exec(`UPDATE nonce_leases SET owner = '', expires_at = clock_timestamp()
WHERE chain_id = ? AND sender = ? AND owner = ? AND epoch = ?`, chainID, sender, owner, epoch).Error)
}

// fenced checks, inside tx, that the lease ctx's chain work runs under is
// still held: its holder and epoch unchanged and unexpired by the database's
// clock. The lease row is held FOR SHARE until tx ends, so no node can take
// the lease over while tx may still commit. With signed, the record is of a
// signed transaction and the signing key's nonce lease must be held too.
// Work without a fence (SQLite's one node, tests) is not checked.
func (s *DB) fenced(ctx context.Context, tx *gorm.DB, signed bool) error {
	f, ok := registry.FenceFrom(ctx)
	if !ok || s.dialect != Postgres {
		return nil
	}
	var held []int64
	if err := tx.Raw(`SELECT epoch FROM chain_leases WHERE issuance_id = ? AND owner = ? AND epoch = ? AND expires_at > clock_timestamp() FOR SHARE`,
		f.IssuanceID, f.Owner, f.Epoch).Scan(&held).Error; err != nil {
		return err
	}
	if len(held) == 0 {
		return fmt.Errorf("issuance %d, epoch %d of node %s: %w", f.IssuanceID, f.Epoch, f.Owner, registry.ErrLeaseLost)
	}
	if !signed {
		return nil
	}
	// The key that signed is the one whose nonce lease the node holds now:
	// it signs under that lease only (a node with role keys holds one lease
	// per key it signs with at that moment).
	var nonce []int64
	if err := tx.Raw(`SELECT epoch FROM nonce_leases WHERE chain_id = ? AND owner = ? AND expires_at > clock_timestamp() FOR SHARE`,
		f.ChainID, f.Owner).Scan(&nonce).Error; err != nil {
		return err
	}
	if len(nonce) == 0 {
		return fmt.Errorf("no nonce lease on chain %d for node %s: %w", f.ChainID, f.Owner, registry.ErrLeaseLost)
	}
	return nil
}

// fencedIssuance is fenced for a write that names its issuance only by a row
// of its own (a batch, an operation): a fence for another issuance refuses it.
func (s *DB) fencedIssuance(ctx context.Context, tx *gorm.DB, issuanceID int64, signed bool) error {
	if f, ok := registry.FenceFrom(ctx); ok && s.dialect == Postgres && f.IssuanceID != issuanceID {
		return fmt.Errorf("work of issuance %d under the lease of issuance %d: %w", issuanceID, f.IssuanceID, registry.ErrLeaseLost)
	}
	return s.fenced(ctx, tx, signed)
}

// heldBy restricts operations to issuances whose lease owner holds unexpired.
const heldBy = "issuance_id IN (SELECT issuance_id FROM chain_leases WHERE owner = ? AND expires_at > clock_timestamp())"

// ClaimLeasedOperation is ClaimOperation among the issuances whose lease owner
// holds: with several nodes, an issuance's operations run on its lease holder.
func (s *Leases) ClaimLeasedOperation(ctx context.Context, owner string) (*registry.Operation, error) {
	if s.dialect != Postgres {
		return nil, errLeasesNeedPostgres
	}
	var out *registry.Operation
	err := s.writeState(ctx, func(tx *gorm.DB) error {
		var rows []operationRow
		if err := tx.Where("status = ? AND "+notHalted, string(registry.OpPending)).Where(heldBy, owner).
			Order("id").Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		row := rows[0]
		now := s.now()
		if err := tx.Model(&operationRow{}).Where("id = ?", row.ID).
			Updates(map[string]any{"status": string(registry.OpRunning), "owner": owner, "heartbeat_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
		row.Status, row.Owner = string(registry.OpRunning), owner
		out = row.domain()
		return nil
	})
	return out, err
}

// ResumeLeasedOperations claims every RUNNING operation of the issuances
// whose lease owner holds, whoever ran it before: a previous holder lost the
// lease, so its writes are refused now (fencing), and the caller runs one
// operation at a time, so none of its own is running while it asks.
func (s *Leases) ResumeLeasedOperations(ctx context.Context, owner string) ([]*registry.Operation, error) {
	if s.dialect != Postgres {
		return nil, errLeasesNeedPostgres
	}
	var out []*registry.Operation
	err := s.writeState(ctx, func(tx *gorm.DB) error {
		var rows []operationRow
		if err := tx.Where("status = ? AND "+notHalted, string(registry.OpRunning)).Where(heldBy, owner).
			Order("id").Find(&rows).Error; err != nil {
			return err
		}
		now := s.now()
		for i := range rows {
			if err := tx.Model(&operationRow{}).Where("id = ? AND status = ?", rows[i].ID, string(registry.OpRunning)).
				Updates(map[string]any{"owner": owner, "heartbeat_at": now}).Error; err != nil {
				return err
			}
			rows[i].Owner = owner
			out = append(out, rows[i].domain())
		}
		return nil
	})
	return out, err
}

// ChainWork lists the issuances that have chain work to lease: a deployment
// whose work is not halted, or an operation under way (a deployment being
// made), in id order.
func (s *Leases) ChainWork(ctx context.Context) ([]int64, error) {
	var ids []int64
	if err := s.read(ctx).Raw(`SELECT id FROM issuances WHERE chain_halt = '' AND (token_address <> '' OR id IN
	(SELECT issuance_id FROM operations WHERE status IN ?)) ORDER BY id`,
		[]string{string(registry.OpPending), string(registry.OpRunning)}).Scan(&ids).Error; err != nil {
		return nil, s.translate(err)
	}
	return ids, nil
}
