package sealing_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stonode/stonode/registry/sealing"
)

var now = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func keyring(t *testing.T, n int) (*sealing.Keyring, []string) {
	t.Helper()
	var entries, ids []string
	for i := 0; i < n; i++ {
		id, e, err := sealing.NewKeyEntry(now)
		if err != nil {
			t.Fatal(err)
		}
		entries, ids = append(entries, e), append(ids, id)
	}
	k, err := sealing.Parse(strings.Join(entries, "\n"))
	if err != nil {
		t.Fatal(err)
	}
	return k, entries
}

func TestSealOpenBindsRecordAndKey(t *testing.T) {
	k, _ := keyring(t, 1)
	pt := []byte("山田 太郎")
	e, err := k.Seal(pt, []byte("row/1"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(e.Ciphertext, pt) || bytes.Contains(e.WrappedKey, pt) {
		t.Fatal("plaintext in the envelope")
	}
	got, err := k.Open(e, []byte("row/1"))
	if err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("open: %q %v", got, err)
	}
	e2, _ := k.Seal(pt, []byte("row/1"))
	if bytes.Equal(e.Ciphertext, e2.Ciphertext) || bytes.Equal(e.WrappedKey, e2.WrappedKey) {
		t.Fatal("two seals of one record are equal: no fresh data key or nonce")
	}
	tampered := func(f func(*sealing.Envelope)) sealing.Envelope {
		c := sealing.Envelope{KeyID: e.KeyID, WrappedKey: bytes.Clone(e.WrappedKey), Ciphertext: bytes.Clone(e.Ciphertext)}
		f(&c)
		return c
	}
	cases := map[string]struct {
		env sealing.Envelope
		aad string
	}{
		"another row":        {e, "row/2"},
		"flipped ciphertext": {tampered(func(c *sealing.Envelope) { c.Ciphertext[len(c.Ciphertext)-1] ^= 1 }), "row/1"},
		"flipped wrapped":    {tampered(func(c *sealing.Envelope) { c.WrappedKey[len(c.WrappedKey)-1] ^= 1 }), "row/1"},
		"swapped data key":   {tampered(func(c *sealing.Envelope) { c.WrappedKey = e2.WrappedKey }), "row/1"},
		"truncated":          {tampered(func(c *sealing.Envelope) { c.Ciphertext = c.Ciphertext[:5] }), "row/1"},
	}
	for name, c := range cases {
		if _, err := k.Open(c.env, []byte(c.aad)); err == nil {
			t.Errorf("%s: opened", name)
		}
	}
	unknown := tampered(func(c *sealing.Envelope) { c.KeyID = "nope" })
	if _, err := k.Open(unknown, []byte("row/1")); !errors.Is(err, sealing.ErrUnknownKey) {
		t.Errorf("unknown key: %v", err)
	}
}

func TestRewrapMovesToTheCurrentKeyOnly(t *testing.T) {
	old, entries := keyring(t, 1)
	e, _ := old.Seal([]byte("x"), []byte("a"))
	_, newEntry, _ := sealing.NewKeyEntry(now)
	both, err := sealing.Parse(entries[0] + "," + newEntry)
	if err != nil {
		t.Fatal(err)
	}
	r, changed, err := both.Rewrap(e, []byte("a"))
	if err != nil || !changed || r.KeyID == e.KeyID || !bytes.Equal(r.Ciphertext, e.Ciphertext) {
		t.Fatalf("rewrap: %+v %v %v", r, changed, err)
	}
	if _, changed, _ := both.Rewrap(r, []byte("a")); changed {
		t.Fatal("re-wrapped a record already under the current key")
	}
	onlyNew, _ := sealing.Parse(newEntry)
	if got, err := onlyNew.Open(r, []byte("a")); err != nil || string(got) != "x" {
		t.Fatalf("the new key alone: %q %v", got, err)
	}
	if _, err := old.Open(r, []byte("a")); err == nil {
		t.Fatal("the old key opens a re-wrapped record")
	}
}

func TestParseRefusesBadKeyrings(t *testing.T) {
	_, good, _ := sealing.NewKeyEntry(now)
	for name, text := range map[string]string{
		"empty":      "# nothing\n",
		"short key":  "k1:AAAA",
		"bad id":     "k 1:" + strings.SplitN(good, ":", 2)[1],
		"no colon":   "k1",
		"duplicate":  good + "\n" + good,
		"not base64": "k1:!!!!",
	} {
		if _, err := sealing.Parse(text); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

func TestKeyFileReloadAndPermissions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.key")
	first, err := sealing.AppendKey(path, now)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v", fi.Mode().Perm())
	}
	k, err := sealing.Load(path)
	if err != nil || k.CurrentID() != first {
		t.Fatalf("load: %v %v", k, err)
	}
	// Another process adds a key: an envelope under it opens at once (the
	// unknown id makes the keyring re-read its file).
	second, err := sealing.AppendKey(path, now)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := sealing.Load(path)
	e, _ := other.Seal([]byte("x"), nil)
	if e.KeyID != second {
		t.Fatalf("sealed under %s, want %s", e.KeyID, second)
	}
	if got, err := k.Open(e, nil); err != nil || string(got) != "x" {
		t.Fatalf("open under a key added to the file: %q %v", got, err)
	}
	if k.CurrentID() != second {
		t.Fatalf("current after reload %s, want %s", k.CurrentID(), second)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := sealing.Load(path); err == nil {
		t.Fatal("loaded a key file others can read")
	}
}
