package console

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"sync"
	"time"
)

// session is one signed-in browser. The API key it was opened with is kept
// (in memory only) so that every request authenticates the key afresh: a key
// revoked, or a seller suspended, after sign-in loses the session on its next
// request instead of at expiry.
type session struct {
	id       string
	csrf     string
	secret   string
	keyID    string
	created  time.Time
	lastSeen time.Time
}

// sessions is the console's in-memory session table. Sessions do not survive a
// restart of the node: signing in again costs a back office one paste of its
// key, and no key ever reaches the disk.
type sessions struct {
	mu     sync.Mutex
	byID   map[string]*session
	idle   time.Duration
	maxAge time.Duration
	max    int
	now    func() time.Time
}

func newSessions(idle, maxAge time.Duration, max int, now func() time.Time) *sessions {
	return &sessions{byID: map[string]*session{}, idle: idle, maxAge: maxAge, max: max, now: now}
}

// randomToken returns 32 random bytes, URL-safe base64: unguessable session
// ids and CSRF tokens.
func randomToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// maxPerKey bounds the sessions one key holds at once: a key signing in over
// and over replaces its own oldest session rather than crowding out others'.
const maxPerKey = 20

// open starts a session for an authenticated key. A key at maxPerKey loses
// its least recently used session; when the table is full the expired
// sessions are swept first, then the least recently used one goes.
func (s *sessions) open(secret, keyID string) *session {
	now := s.now()
	ss := &session{id: randomToken(), csrf: randomToken(), secret: secret, keyID: keyID, created: now, lastSeen: now}
	s.mu.Lock()
	defer s.mu.Unlock()
	own := 0
	for _, x := range s.byID {
		if x.keyID == keyID {
			own++
		}
	}
	if own >= maxPerKey {
		s.evictLocked(func(x *session) bool { return x.keyID == keyID })
	}
	if len(s.byID) >= s.max {
		s.sweepLocked(now)
	}
	if len(s.byID) >= s.max {
		s.evictLocked(func(*session) bool { return true })
	}
	s.byID[ss.id] = ss
	return ss
}

// evictLocked drops the least recently used session among those match selects.
func (s *sessions) evictLocked(match func(*session) bool) {
	var oldest *session
	for _, x := range s.byID {
		if match(x) && (oldest == nil || x.lastSeen.Before(oldest.lastSeen)) {
			oldest = x
		}
	}
	if oldest != nil {
		delete(s.byID, oldest.id)
	}
}

// lookup returns a copy of the live session id names and, when touch is set,
// marks it used; an expired one is dropped and reported missing.
func (s *sessions) lookup(id string, touch bool) (session, bool) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.byID[id]
	if !ok {
		return session{}, false
	}
	if s.expired(ss, now) {
		delete(s.byID, id)
		return session{}, false
	}
	if touch {
		ss.lastSeen = now
	}
	return *ss, true
}

// end removes a session (sign-out, or its key no longer authenticates).
func (s *sessions) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byID, id)
}

// endKey removes every session opened with the key keyID.
func (s *sessions) endKey(keyID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, ss := range s.byID {
		if ss.keyID == keyID {
			delete(s.byID, id)
		}
	}
}

func (s *sessions) expired(ss *session, now time.Time) bool {
	return now.Sub(ss.lastSeen) >= s.idle || now.Sub(ss.created) >= s.maxAge
}

func (s *sessions) sweepLocked(now time.Time) {
	for id, ss := range s.byID {
		if s.expired(ss, now) {
			delete(s.byID, id)
		}
	}
}

// count reports the number of sessions held, expired or not (for tests).
func (s *sessions) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byID)
}

// csrfMatches compares a presented CSRF token with the session's in constant time.
func csrfMatches(ss session, presented string) bool {
	return presented != "" && subtle.ConstantTimeCompare([]byte(ss.csrf), []byte(presented)) == 1
}
