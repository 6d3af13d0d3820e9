package store

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// readCache keeps the registry facts that API-key checks and eligibility look-ups
// need, valid for one registry generation. Every committed write bumps the
// generation in the database, so a reader that sees a new generation drops
// everything: the cache can never answer from a state older than the last commit
// it has seen, whichever process or node made it. Facts are cached, decisions are
// not: time-dependent rules are evaluated on every request.
type readCache struct {
	mu        sync.RWMutex
	gen       int64
	keys      map[string]*registry.Principal // by key hash
	issuances map[int64]*registry.IssuanceFacts
	parties   map[partyKey]*registry.PartyFacts
}

// maxCachedParties bounds memory; past it the cache starts over.
const maxCachedParties = 200_000

type partyKey struct {
	issuanceID int64
	address    string
}

func newReadCache() *readCache {
	c := &readCache{gen: -1}
	c.resetLocked(-1)
	return c
}

func (c *readCache) resetLocked(gen int64) {
	c.gen = gen
	c.keys = map[string]*registry.Principal{}
	c.issuances = map[int64]*registry.IssuanceFacts{}
	c.parties = map[partyKey]*registry.PartyFacts{}
}

// observe moves the cache to generation gen, dropping older facts.
func (c *readCache) observe(gen int64) {
	c.mu.RLock()
	same := c.gen == gen
	c.mu.RUnlock()
	if same {
		return
	}
	c.mu.Lock()
	if gen > c.gen {
		c.resetLocked(gen)
	}
	c.mu.Unlock()
}

func (c *readCache) key(gen int64, hash string) (*registry.Principal, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.gen != gen {
		return nil, false
	}
	p, ok := c.keys[hash]
	return p, ok
}

func (c *readCache) putKey(gen int64, hash string, p *registry.Principal) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		c.keys[hash] = p
	}
}

// lookup returns the cached issuance and parties; missing lists addresses not cached.
func (c *readCache) lookup(gen, issuanceID int64, addrs []string) (iss *registry.IssuanceFacts, parties map[string]*registry.PartyFacts, missing []string) {
	parties = make(map[string]*registry.PartyFacts, len(addrs))
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.gen != gen {
		return nil, parties, addrs
	}
	iss = c.issuances[issuanceID]
	for _, a := range addrs {
		if p, ok := c.parties[partyKey{issuanceID, a}]; ok {
			parties[a] = p
		} else {
			missing = append(missing, a)
		}
	}
	return iss, parties, missing
}

func (c *readCache) store(gen int64, iss *registry.IssuanceFacts, parties map[string]*registry.PartyFacts) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if len(c.parties)+len(parties) > maxCachedParties {
		c.resetLocked(gen)
	}
	c.issuances[iss.Issuance.ID] = iss
	for a, p := range parties {
		c.parties[partyKey{iss.Issuance.ID, a}] = p
	}
}

// generation reads the registry generation with db (a pool or a transaction).
func generation(db *gorm.DB) (int64, error) {
	var gen int64
	err := db.Raw(`SELECT gen FROM registry_generation WHERE id = 1`).Scan(&gen).Error
	return gen, err
}

// currentGeneration returns the registry generation as of some moment after the
// call began, and moves the cache to it. It runs on every authenticated request,
// so concurrent callers share reads (see generationReader).
func (s *Store) currentGeneration(ctx context.Context) (int64, error) {
	gen, err := s.gens.read(ctx)
	if err != nil {
		return 0, s.translate(err)
	}
	s.cache.observe(gen)
	return gen, nil
}

// generationReader coalesces generation reads the way a database coalesces
// commits: a caller joins the read that has not been sent yet, or starts it; a
// read already in flight may predate the caller, so the caller waits for the next
// one instead. Every caller thus gets a value read after it arrived — never a
// stale one — while a burst of N concurrent requests costs about two queries, not N.
type generationReader struct {
	query   func(context.Context) (int64, error)
	mu      sync.Mutex
	next    *generationCall // waiting to be sent; joined by newcomers
	running bool
}

type generationCall struct {
	done chan struct{}
	gen  int64
	err  error
}

func (g *generationReader) read(ctx context.Context) (int64, error) {
	g.mu.Lock()
	if g.next == nil {
		g.next = &generationCall{done: make(chan struct{})}
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
		return 0, ctx.Err()
	}
}

// run sends queued reads one after another until none is waiting.
func (g *generationReader) run() {
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
		c.gen, c.err = g.query(ctx)
		cancel()
		close(c.done)
	}
}

// snapshot runs fn in a read-only transaction that sees one consistent state
// (SQLite: a WAL snapshot; PostgreSQL: REPEATABLE READ) and passes it the
// generation of that state.
func (s *Store) snapshot(ctx context.Context, fn func(db *gorm.DB, gen int64) error) error {
	var opts []*sql.TxOptions
	if s.dialect == Postgres {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	err := s.read(ctx).Transaction(func(tx *gorm.DB) error {
		gen, err := generation(tx)
		if err != nil {
			return err
		}
		return fn(tx, gen)
	}, opts...)
	return s.translate(err)
}
