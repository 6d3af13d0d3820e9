package console

import (
	"testing"
	"time"
)

// TestSessionTable: ids and CSRF tokens are distinct random tokens; a full
// table sweeps expired sessions first, then drops the least recently used;
// endKey ends every session of one key and no other.
func TestSessionTable(t *testing.T) {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	s := newSessions(10*time.Minute, time.Hour, 3, clock)

	a := s.open("secret-a", "ka")
	now = now.Add(time.Minute)
	b := s.open("secret-b", "kb")
	now = now.Add(time.Minute)
	c := s.open("secret-c", "kc")
	if a.id == b.id || a.csrf == b.csrf || a.id == a.csrf || len(a.id) != 43 {
		t.Fatalf("tokens not distinct or not 32 bytes: %q %q %q", a.id, b.id, a.csrf)
	}
	// a is used, so b is now the least recently used.
	now = now.Add(time.Minute)
	if _, ok := s.lookup(a.id, true); !ok {
		t.Fatal("a missing")
	}
	d := s.open("secret-d", "kd")
	if _, ok := s.lookup(b.id, true); ok {
		t.Fatal("the least recently used session survived a full table")
	}
	for _, x := range []*session{a, c, d} {
		if _, ok := s.lookup(x.id, true); !ok {
			t.Fatalf("session %s evicted", x.keyID)
		}
	}
	// Expired sessions go first: after 10 idle minutes for all but d, opening
	// another keeps d.
	now = now.Add(9 * time.Minute)
	if _, ok := s.lookup(d.id, true); !ok {
		t.Fatal("d missing")
	}
	now = now.Add(2 * time.Minute)
	e := s.open("secret-e", "ke")
	if n := s.count(); n != 2 {
		t.Fatalf("%d sessions after the sweep, want d and e", n)
	}
	d2 := s.open("secret-d", "kd")
	s.endKey("kd")
	for _, x := range []*session{d, d2} {
		if _, ok := s.lookup(x.id, true); ok {
			t.Fatal("a session of the ended key survived")
		}
	}
	if got, ok := s.lookup(e.id, true); !ok || got.secret != "secret-e" || !csrfMatches(got, e.csrf) || csrfMatches(got, "") || csrfMatches(got, a.csrf) {
		t.Fatal("e lost, or its CSRF check is wrong")
	}
}

// TestSessionsPerKey: one key signing in again and again replaces its own
// oldest session and never pushes out another key's.
func TestSessionsPerKey(t *testing.T) {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	s := newSessions(10*time.Minute, time.Hour, maxPerKey+1, func() time.Time { return now })
	other := s.open("secret-o", "ko")
	var first *session
	for i := 0; i < 3*maxPerKey; i++ {
		now = now.Add(time.Second)
		ss := s.open("secret-k", "k")
		if i == 0 {
			first = ss
		}
	}
	if _, ok := s.lookup(other.id, false); !ok {
		t.Fatal("another key's session was evicted")
	}
	if _, ok := s.lookup(first.id, false); ok {
		t.Fatal("the key's oldest session survived")
	}
	if n := s.count(); n != maxPerKey+1 {
		t.Fatalf("%d sessions, want %d of the key and 1 other", n, maxPerKey+1)
	}
}
