package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// Cached facts are stamped with the generations of the scopes they were read
// from (see migrate_scopes.go): the shared scope (keys, sellers, investors,
// wallets), the issuance's own scope and its token's mirror. Every committed
// write bumps the scopes whose rows it changes, in its own transaction, so a
// request that reads the counters after it arrived and finds an entry stamped
// at or above them knows no write committed before it is missing from the
// entry, whichever process or node made it. A write to one issuance, or a
// mirrored batch of one token, thus leaves every other issuance's facts cached.
// Facts are cached, decisions are not: time-dependent rules are evaluated on
// every request.
type stamp struct{ shared, issuance, mirror int64 }

// covers reports facts stamped a being at least as new as b in every scope.
func (a stamp) covers(b stamp) bool {
	return a.shared >= b.shared && a.issuance >= b.issuance && a.mirror >= b.mirror
}

// sameRegistry reports a and b naming one registry state: only the mirror may differ.
func (a stamp) sameRegistry(b stamp) bool { return a.shared == b.shared && a.issuance == b.issuance }

// readCache keeps the registry facts that API-key checks and eligibility
// look-ups need. Keys live in the shared scope only; an issuance's facts and its
// parties are one entry, read from one snapshot.
type readCache struct {
	mu        sync.RWMutex
	keysGen   int64
	keys      map[[sha256.Size]byte]*registry.Principal // by the key's SHA-256
	issuances map[int64]*issuanceEntry
	parties   int // cached parties over all entries
	locks     map[int64]*lockSums
}

// lockSums are an issuance's frozen holder-lock sums (ACTIVE and RELEASING
// locks) by wallet, read at a stamp whose mirror part is unused: every commit
// that moves a sum bumps the issuance's generation (applyControlOutcome), so
// they stand while it does.
type lockSums struct {
	at   stamp
	sums map[string]*big.Int
}

type issuanceEntry struct {
	at      stamp
	facts   *registry.IssuanceFacts
	parties map[string]*registry.PartyFacts
}

// maxCachedParties bounds memory; past it the cache starts over.
const maxCachedParties = 200_000

func newReadCache() *readCache {
	c := &readCache{}
	c.resetKeysLocked(-1)
	c.issuances = map[int64]*issuanceEntry{}
	c.locks = map[int64]*lockSums{}
	return c
}

// lockedOf returns wallet's frozen lock sum (nil: none) when the cached sums of
// the issuance are at least as new as at in the shared and issuance scopes.
func (c *readCache) lockedOf(at stamp, issuanceID int64, wallet string) (*big.Int, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e := c.locks[issuanceID]
	if e == nil || e.at.shared < at.shared || e.at.issuance < at.issuance {
		return nil, false
	}
	return e.sums[wallet], true
}

// storeLocks keeps the lock sums of an issuance read at at, unless newer ones
// are there.
func (c *readCache) storeLocks(at stamp, issuanceID int64, sums map[string]*big.Int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.locks[issuanceID]; e != nil && e.at.shared >= at.shared && e.at.issuance >= at.issuance {
		return
	}
	c.locks[issuanceID] = &lockSums{at: at, sums: sums}
}

func (c *readCache) resetKeysLocked(gen int64) {
	c.keysGen = gen
	c.keys = map[[sha256.Size]byte]*registry.Principal{}
}

// observe moves the key cache to shared generation gen, dropping older keys.
func (c *readCache) observe(gen int64) {
	c.mu.RLock()
	same := c.keysGen == gen
	c.mu.RUnlock()
	if same {
		return
	}
	c.mu.Lock()
	if gen > c.keysGen {
		c.resetKeysLocked(gen)
	}
	c.mu.Unlock()
}

func (c *readCache) key(gen int64, hash [sha256.Size]byte) (*registry.Principal, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.keysGen != gen {
		return nil, false
	}
	p, ok := c.keys[hash]
	return p, ok
}

func (c *readCache) putKey(gen int64, hash [sha256.Size]byte, p *registry.Principal) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keysGen == gen {
		c.keys[hash] = p
	}
}

// lookup returns the cached issuance and parties when an entry covers at;
// missing lists addresses the entry lacks (all of them without an entry).
func (c *readCache) lookup(at stamp, issuanceID int64, addrs []string) (iss *registry.IssuanceFacts, parties map[string]*registry.PartyFacts, missing []string) {
	parties = make(map[string]*registry.PartyFacts, len(addrs))
	c.mu.RLock()
	defer c.mu.RUnlock()
	e := c.issuances[issuanceID]
	if e == nil || !e.at.covers(at) {
		return nil, parties, addrs
	}
	for _, a := range addrs {
		if p, ok := e.parties[a]; ok {
			parties[a] = p
		} else {
			missing = append(missing, a)
		}
	}
	return e.facts, parties, missing
}

// sameState returns the entry's facts and the parties it holds among addrs when
// its registry state is exactly at's (its holdings may be older); nil otherwise.
func (c *readCache) sameState(at stamp, issuanceID int64, addrs []string) (*registry.IssuanceFacts, stamp, map[string]*registry.PartyFacts) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e := c.issuances[issuanceID]
	if e == nil || !e.at.sameRegistry(at) || e.at.mirror > at.mirror {
		return nil, stamp{}, nil
	}
	parties := make(map[string]*registry.PartyFacts, len(addrs))
	for _, a := range addrs {
		if p, ok := e.parties[a]; ok {
			parties[a] = p
		}
	}
	return e.facts, e.at, parties
}

// store keeps facts read at stamp at, unless a newer entry is already there;
// parties of an entry with the same registry state are kept.
func (c *readCache) store(at stamp, iss *registry.IssuanceFacts, parties map[string]*registry.PartyFacts) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := iss.Issuance.ID
	e := c.issuances[id]
	if e != nil && e.at != at && e.at.covers(at) {
		return
	}
	if e == nil || !e.at.sameRegistry(at) {
		if e != nil {
			c.parties -= len(e.parties)
		}
		e = &issuanceEntry{parties: make(map[string]*registry.PartyFacts, len(parties))}
		c.issuances[id] = e
	}
	if c.parties+len(parties) > maxCachedParties {
		c.issuances = map[int64]*issuanceEntry{id: e}
		c.parties = len(e.parties)
	}
	e.at, e.facts = at, iss
	for a, p := range parties {
		if _, ok := e.parties[a]; !ok {
			c.parties++
		}
		e.parties[a] = p
	}
}

// bumpIssuance tells readers, in tx, that facts of one issuance they cache
// changed (writeIssuance does it for its own writes).
func bumpIssuance(tx *gorm.DB, issuanceID int64) error {
	return tx.Exec(`INSERT INTO issuance_generation (issuance_id, gen) VALUES (?, 1)
ON CONFLICT (issuance_id) DO UPDATE SET gen = issuance_generation.gen + 1`, issuanceID).Error
}

// generation reads the shared generation with db (a pool or a transaction).
func generation(db *gorm.DB) (int64, error) {
	var gen int64
	err := db.Raw(`SELECT gen FROM registry_generation WHERE id = 1`).Scan(&gen).Error
	return gen, err
}

// issuanceGenerationsSQL reads an issuance's own generation and its token's
// mirror generation; a missing row reads as 0, below any bump.
const issuanceGenerationsSQL = `SELECT COALESCE((SELECT gen FROM issuance_generation WHERE issuance_id = ?), 0),
COALESCE((SELECT m.gen FROM issuances i JOIN mirror_generation m ON m.chain_id = i.chain_id AND m.token = i.token_address WHERE i.id = ?), 0)`

// generationsSQL reads every scope's generation in one query: the shared one
// (as issuance 0), then each issuance's own and its token's mirror's. One
// query per request, not one per scope: its rows grow with the issuances, a
// few hundred at most on a node, while a second round trip would cost every
// request.
const generationsSQL = `SELECT 0, gen, 0 FROM registry_generation WHERE id = 1
UNION ALL
SELECT i.id, COALESCE(g.gen, 0), COALESCE(m.gen, 0) FROM issuances i
LEFT JOIN issuance_generation g ON g.issuance_id = i.id
LEFT JOIN mirror_generation m ON m.chain_id = i.chain_id AND m.token = i.token_address`

// issuanceGens is an issuance's own generation and its token's mirror generation.
type issuanceGens struct{ gen, mirror int64 }

// generations is one read of every scope's generation.
type generations struct {
	seq       int64 // this store's read number: later reads have larger ones
	shared    int64
	issuances map[int64]issuanceGens
}

// stamp returns the stamp an issuance's facts need to be served for this read;
// an issuance created after it reads as 0, below any bump.
func (g *generations) stamp(issuanceID int64) stamp {
	ig := g.issuances[issuanceID]
	return stamp{shared: g.shared, issuance: ig.gen, mirror: ig.mirror}
}

// readGenerations runs generationsSQL; the reader calls it one at a time, so
// read numbers follow the order of the reads. On SQLite it takes the WAL-index
// header first and vouches for the values with it (see walWatch): until
// another commit, requests use them without a query.
func (s *DB) readGenerations(ctx context.Context) (*generations, error) {
	var header walHeader
	headerOK := false
	if s.dialect == SQLite {
		if db, err := s.reader.DB(); err == nil {
			header, headerOK = s.wal.header(ctx, db)
		}
	}
	stmt, err := s.prepared(ctx, &s.genStmt, generationsSQL)
	if err != nil {
		return nil, err
	}
	rows, err := stmt.QueryContext(ctx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	g := &generations{issuances: map[int64]issuanceGens{}}
	for rows.Next() {
		var id int64
		var ig issuanceGens
		if err := rows.Scan(&id, &ig.gen, &ig.mirror); err != nil {
			return nil, err
		}
		if id == 0 {
			g.shared = ig.gen
		} else {
			g.issuances[id] = ig
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	g.seq = s.genSeq.Add(1)
	s.latestGens.Store(g)
	if headerOK {
		// The header was taken before the values were read: a commit in
		// between changes it, and the next request reads the values again.
		s.wal.vouch(header, g)
	}
	return g, nil
}

// currentGenerations returns every scope's generation as of some moment after
// the call began, and moves the key cache to the shared one. It runs on every
// authenticated request: on SQLite, while nothing has committed since the last
// read, that read stands and costs a few memory loads (walWatch); otherwise
// concurrent callers share reads (see generationReader).
func (s *DB) currentGenerations(ctx context.Context) (*generations, error) {
	g := s.wal.unchanged()
	if g == nil {
		var err error
		if g, err = s.gens.read(ctx); err != nil {
			return nil, s.translate(err)
		}
	}
	s.cache.observe(g.shared)
	return g, nil
}

// requestGenerations returns generations read after the request began: the
// newest read when the caller's key was checked by this store (Principal.
// Generation holds that read's number, and the newest is at least as new),
// else a new read.
func (s *DB) requestGenerations(ctx context.Context, p *registry.Principal) (*generations, error) {
	if p.Generation >= s.genSeqBase {
		if g := s.latestGens.Load(); g != nil && g.seq >= p.Generation {
			return g, nil
		}
	}
	return s.currentGenerations(ctx)
}

// generationReader coalesces generation reads the way a database coalesces
// commits: a caller joins the read that has not been sent yet, or starts it; a
// read already in flight may predate the caller, so the caller waits for the next
// one instead. Every caller thus gets a value read after it arrived — never a
// stale one — while a burst of N concurrent requests costs about two queries, not N.
type generationReader[T any] struct {
	query   func(context.Context) (T, error)
	mu      sync.Mutex
	next    *generationCall[T] // waiting to be sent; joined by newcomers
	running bool
	sent    atomic.Int64 // queries sent, for tests
}

type generationCall[T any] struct {
	done chan struct{}
	gen  T
	err  error
}

func (g *generationReader[T]) read(ctx context.Context) (T, error) {
	g.mu.Lock()
	if g.next == nil {
		g.next = &generationCall[T]{done: make(chan struct{})}
	}
	c := g.next
	if !g.running {
		g.running = true
		go g.run()
	}
	g.mu.Unlock()
	select {
	case <-c.done:
		return c.gen, c.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// run sends queued reads one after another until none is waiting.
func (g *generationReader[T]) run() {
	for {
		g.mu.Lock()
		c := g.next
		g.next = nil
		if c == nil {
			g.running = false
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		g.sent.Add(1)
		c.gen, c.err = g.query(ctx)
		cancel()
		close(c.done)
	}
}

// readSnapshot runs fn in a read-only transaction that sees one consistent
// state (SQLite: a WAL snapshot; PostgreSQL: REPEATABLE READ).
func (s *DB) readSnapshot(ctx context.Context, fn func(db *gorm.DB) error) error {
	var opts []*sql.TxOptions
	if s.dialect == Postgres {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	return s.translate(s.read(ctx).Transaction(fn, opts...))
}

// snapshot runs fn in one consistent read-only state and passes it the shared
// generation of that state.
func (s *DB) snapshot(ctx context.Context, fn func(db *gorm.DB, gen int64) error) error {
	return s.readSnapshot(ctx, func(tx *gorm.DB) error {
		gen, err := generation(tx)
		if err != nil {
			return err
		}
		return fn(tx, gen)
	})
}

// issuanceSnapshot runs fn in one consistent read-only state and passes it the
// stamp of that state for the issuance; the counters are read first, so facts
// read after them are at least that new.
func (s *DB) issuanceSnapshot(ctx context.Context, issuanceID int64, fn func(db *gorm.DB, at stamp) error) error {
	return s.readSnapshot(ctx, func(tx *gorm.DB) error {
		var at stamp
		var err error
		if at.shared, err = generation(tx); err != nil {
			return err
		}
		row := tx.Raw(issuanceGenerationsSQL, issuanceID, issuanceID).Row()
		if err := row.Scan(&at.issuance, &at.mirror); err != nil {
			return err
		}
		return fn(tx, at)
	})
}
