// Package sealing encrypts records at rest by envelope encryption: each record
// is sealed with AES-256-GCM under a fresh random data key, and the data key is
// sealed (wrapped) under a master key from a keyring. A record keeps the id of
// the master key its data key is wrapped under, so the keyring can hold several
// master keys at once — the current one wraps new data keys, older ones still
// open the records not yet re-wrapped — and a key rotation re-wraps data keys
// (a few dozen bytes each) without touching the records' ciphertext.
//
// Master keys come from a key file or an environment variable, never from a
// command-line flag's value (which every user of the machine can read in the
// process list). The keyring text is one key per line (or comma-separated),
// "<id>:<base64 of 32 bytes>"; blank lines and lines starting with # are
// ignored; the last key is the current one.
package sealing

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// KeySize is the size of master and data keys: AES-256.
const KeySize = 32

// Envelope is a sealed record: the data key wrapped under master key KeyID, and
// the record sealed under the data key. Both byte strings carry their GCM nonce
// in front.
type Envelope struct {
	KeyID      string
	WrappedKey []byte
	Ciphertext []byte
}

// ErrUnknownKey is returned for an envelope whose master key is not in the
// keyring (after a reload from its file, if it has one).
var ErrUnknownKey = errors.New("sealing: the record's master key is not in the keyring")

var keyIDRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

type masterKey struct {
	id   string
	aead cipher.AEAD
}

// Keyring holds master keys by id. It is safe for concurrent use. A keyring
// loaded from a file re-reads it when the file changes (checked before each
// seal) and when an envelope names a key it does not hold, so a running node
// picks up a key added by `stonode data-key rotate` without a restart.
type Keyring struct {
	mu      sync.RWMutex
	keys    map[string]*masterKey
	current *masterKey
	// path is the key file, "" for a keyring parsed from text.
	path    string
	stamp   fileStamp
	checked time.Time // last stat of the file, to stat at most once per checkEvery
}

// checkEvery bounds how often a seal stats the key file.
const checkEvery = time.Second

type fileStamp struct {
	size    int64
	modTime time.Time
}

// Parse builds a keyring from keyring text (see the package comment).
func Parse(text string) (*Keyring, error) {
	k := &Keyring{}
	if err := k.set(text); err != nil {
		return nil, err
	}
	return k, nil
}

// Load reads a keyring from a key file. The file must not be readable by
// group or others.
func Load(path string) (*Keyring, error) {
	k := &Keyring{path: path}
	if err := k.reload(); err != nil {
		return nil, err
	}
	return k, nil
}

func (k *Keyring) set(text string) error {
	keys := map[string]*masterKey{}
	var current *masterKey
	for _, entry := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == ',' || r == '\r' }) {
		entry = strings.TrimSpace(entry)
		if entry == "" || strings.HasPrefix(entry, "#") {
			continue
		}
		id, b64, ok := strings.Cut(entry, ":")
		if !ok || !keyIDRE.MatchString(id) {
			return errors.New("sealing: a key entry is not <id>:<base64 key> with an id of letters, digits, '.', '_' or '-'")
		}
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
		if err != nil || len(raw) != KeySize {
			return fmt.Errorf("sealing: key %s is not %d bytes of standard base64", id, KeySize)
		}
		if _, dup := keys[id]; dup {
			return fmt.Errorf("sealing: key id %s appears twice", id)
		}
		aead, err := newAEAD(raw)
		if err != nil {
			return err
		}
		current = &masterKey{id: id, aead: aead}
		keys[id] = current
	}
	if current == nil {
		return errors.New("sealing: the keyring holds no key")
	}
	k.mu.Lock()
	k.keys, k.current = keys, current
	k.mu.Unlock()
	return nil
}

func (k *Keyring) reload() error {
	fi, err := os.Stat(k.path)
	if err != nil {
		return fmt.Errorf("sealing: key file: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("sealing: key file %s is readable by others (mode %v); chmod 600 it", k.path, fi.Mode().Perm())
	}
	text, err := os.ReadFile(k.path)
	if err != nil {
		return fmt.Errorf("sealing: key file: %w", err)
	}
	if err := k.set(string(text)); err != nil {
		return fmt.Errorf("%w (in %s)", err, k.path)
	}
	k.mu.Lock()
	k.stamp = fileStamp{size: fi.Size(), modTime: fi.ModTime()}
	k.checked = time.Now()
	k.mu.Unlock()
	return nil
}

// refresh re-reads the key file when it changed since the last read; a file
// that became unreadable or invalid keeps the keys already loaded.
func (k *Keyring) refresh(force bool) {
	if k.path == "" {
		return
	}
	k.mu.RLock()
	stamp, checked := k.stamp, k.checked
	k.mu.RUnlock()
	if !force && time.Since(checked) < checkEvery {
		return
	}
	fi, err := os.Stat(k.path)
	k.mu.Lock()
	k.checked = time.Now()
	k.mu.Unlock()
	if err != nil || (fileStamp{size: fi.Size(), modTime: fi.ModTime()}) == stamp {
		return
	}
	_ = k.reload()
}

// CurrentID is the id of the master key new records are wrapped under.
func (k *Keyring) CurrentID() string {
	k.refresh(false)
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.current.id
}

// IDs lists the ids of the keys held.
func (k *Keyring) IDs() []string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	out := make([]string, 0, len(k.keys))
	for id := range k.keys {
		out = append(out, id)
	}
	return out
}

func (k *Keyring) key(id string) (*masterKey, error) {
	k.mu.RLock()
	m := k.keys[id]
	k.mu.RUnlock()
	if m != nil {
		return m, nil
	}
	k.refresh(true) // a key added since the last read (a rotation under way)
	k.mu.RLock()
	m = k.keys[id]
	k.mu.RUnlock()
	if m == nil {
		return nil, fmt.Errorf("%w (key id %q)", ErrUnknownKey, id)
	}
	return m, nil
}

// Seal encrypts plaintext under a fresh data key wrapped by the current master
// key. aad binds the envelope to its place (say, the table row): Open with any
// other aad fails.
func (k *Keyring) Seal(plaintext, aad []byte) (Envelope, error) {
	k.refresh(false)
	k.mu.RLock()
	m := k.current
	k.mu.RUnlock()
	dataKey := make([]byte, KeySize)
	if _, err := io.ReadFull(rand.Reader, dataKey); err != nil {
		return Envelope{}, fmt.Errorf("sealing: data key: %w", err)
	}
	data, err := newAEAD(dataKey)
	if err != nil {
		return Envelope{}, err
	}
	ct, err := seal(data, plaintext, dataAAD(aad))
	if err != nil {
		return Envelope{}, err
	}
	wrapped, err := seal(m.aead, dataKey, wrapAAD(m.id, aad))
	if err != nil {
		return Envelope{}, err
	}
	return Envelope{KeyID: m.id, WrappedKey: wrapped, Ciphertext: ct}, nil
}

// Open decrypts an envelope sealed with the same aad.
func (k *Keyring) Open(e Envelope, aad []byte) ([]byte, error) {
	dataKey, err := k.unwrap(e, aad)
	if err != nil {
		return nil, err
	}
	data, err := newAEAD(dataKey)
	if err != nil {
		return nil, err
	}
	pt, err := open(data, e.Ciphertext, dataAAD(aad))
	if err != nil {
		return nil, errors.New("sealing: the record does not open under its data key (altered, or moved from another row)")
	}
	return pt, nil
}

// Rewrap re-wraps the envelope's data key under the current master key; the
// ciphertext is unchanged. changed is false when it already is.
func (k *Keyring) Rewrap(e Envelope, aad []byte) (out Envelope, changed bool, err error) {
	k.refresh(false)
	k.mu.RLock()
	m := k.current
	k.mu.RUnlock()
	if e.KeyID == m.id {
		return e, false, nil
	}
	dataKey, err := k.unwrap(e, aad)
	if err != nil {
		return e, false, err
	}
	wrapped, err := seal(m.aead, dataKey, wrapAAD(m.id, aad))
	if err != nil {
		return e, false, err
	}
	return Envelope{KeyID: m.id, WrappedKey: wrapped, Ciphertext: e.Ciphertext}, true, nil
}

func (k *Keyring) unwrap(e Envelope, aad []byte) ([]byte, error) {
	m, err := k.key(e.KeyID)
	if err != nil {
		return nil, err
	}
	dataKey, err := open(m.aead, e.WrappedKey, wrapAAD(e.KeyID, aad))
	if err != nil || len(dataKey) != KeySize {
		return nil, fmt.Errorf("sealing: the data key does not unwrap under master key %q (wrong key material, or the record was altered)", e.KeyID)
	}
	return dataKey, nil
}

// The data key and the record are sealed with distinct associated data, so a
// wrapped key can never be opened as a record or the reverse; the wrap also
// binds the master key's id.
func dataAAD(aad []byte) []byte { return append([]byte("stonode/record/v1\x00"), aad...) }

func wrapAAD(keyID string, aad []byte) []byte {
	return append([]byte("stonode/data-key/v1\x00"+keyID+"\x00"), aad...)
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("sealing: %w", err)
	}
	return cipher.NewGCM(block)
}

func seal(a cipher.AEAD, plaintext, aad []byte) ([]byte, error) {
	nonce := make([]byte, a.NonceSize(), a.NonceSize()+len(plaintext)+a.Overhead())
	if _, err := io.ReadFull(rand.Reader, nonce); err != nil {
		return nil, fmt.Errorf("sealing: nonce: %w", err)
	}
	return a.Seal(nonce, nonce, plaintext, aad), nil
}

func open(a cipher.AEAD, sealed, aad []byte) ([]byte, error) {
	if len(sealed) < a.NonceSize()+a.Overhead() {
		return nil, errors.New("sealing: sealed text too short")
	}
	return a.Open(nil, sealed[:a.NonceSize()], sealed[a.NonceSize():], aad)
}

// NewKeyEntry returns a fresh random master key as one keyring entry, its id
// made of today's date and random hex so ids sort by creation and never clash.
func NewKeyEntry(now time.Time) (id, entry string, err error) {
	raw := make([]byte, KeySize)
	if _, err := io.ReadFull(rand.Reader, raw); err != nil {
		return "", "", fmt.Errorf("sealing: new key: %w", err)
	}
	suffix := make([]byte, 4)
	if _, err := io.ReadFull(rand.Reader, suffix); err != nil {
		return "", "", fmt.Errorf("sealing: new key: %w", err)
	}
	id = "k" + now.UTC().Format("20060102") + "-" + hex.EncodeToString(suffix)
	return id, id + ":" + base64.StdEncoding.EncodeToString(raw), nil
}

// AppendKey adds a fresh master key to the key file at path (created with mode
// 0600 if missing) as its new current key, replacing the file atomically so a
// node re-reading it never sees half of it. It returns the new key's id.
func AppendKey(path string, now time.Time) (string, error) {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("sealing: key file: %w", err)
	}
	if len(old) > 0 {
		// The file must already be a valid keyring: refuse to bury a broken one.
		if _, err := Parse(string(old)); err != nil {
			return "", err
		}
	}
	id, entry, err := NewKeyEntry(now)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	b.Write(old)
	if len(old) > 0 && !bytes.HasSuffix(old, []byte("\n")) {
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "# added %s; the last key is the current one\n%s\n", now.UTC().Format(time.RFC3339), entry)
	tmp, err := os.CreateTemp(filepath.Dir(path), ".datakey-*")
	if err != nil {
		return "", fmt.Errorf("sealing: key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return "", fmt.Errorf("sealing: key file: %w", err)
	}
	if _, err := tmp.Write(b.Bytes()); err != nil {
		tmp.Close()
		return "", fmt.Errorf("sealing: key file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", fmt.Errorf("sealing: key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("sealing: key file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("sealing: key file: %w", err)
	}
	return id, nil
}
