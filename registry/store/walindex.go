package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// walWatch tells, without a query, that nothing has committed to a SQLite
// database since a generation read, so that read still stands.
//
// In WAL mode every commit, by any connection of any process, rewrites the
// WAL-index header at the start of the <db>-shm file, which every connection
// maps into memory: a new change counter, frame count and checksum (see "The
// WAL-Index Format", https://sqlite.org/walformat.html, a cross-process format
// that SQLite keeps stable). PRAGMA data_version is that comparison made by
// SQLite itself (walIndexTryHdr compares the header with the connection's
// copy), so an unchanged header is exactly an unchanged data_version — but
// reading it takes a few loads from memory instead of a query through cgo, a
// read transaction and the WAL's file locks on every request.
//
// The watch holds a connection of its own open: in WAL mode a connection keeps
// a shared lock on the database and on the -shm file while open, so no other
// connection can delete, truncate or re-create the file under the mapping
// while the watch lives.
type walWatch struct {
	mu     sync.RWMutex // held for reading while the header is read; close unmaps under it
	conn   *sql.Conn    // keeps the WAL index open; nil until opened
	mem    []byte       // the -shm file's first page, mapped read-only and shared
	closed bool
	// retryAt is when a failed open may be tried again (guarded by mu).
	retryAt time.Time
	// vouched is the last generation read with the header as it was just
	// before that read's query: while the header is unchanged, its values stand.
	vouched atomic.Pointer[vouchedGenerations]
}

type vouchedGenerations struct {
	header walHeader
	gens   *generations
}

// walHeader is the first copy of the WAL-index header (48 bytes): change
// counter, page size, frame count, page count, frame checksum, salts and its
// own checksum. Every commit changes it.
type walHeader [6]uint64

// walRetry spaces out attempts to open the watch after a failure; look-ups read
// the generations in the meantime.
const walRetry = time.Second

// unchanged returns the vouched generations when no commit has happened since
// they were read, else nil.
func (w *walWatch) unchanged() *generations {
	v := w.vouched.Load()
	if v == nil {
		return nil
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.mem == nil || w.headerLocked() != v.header {
		return nil
	}
	return v.gens
}

// header returns the current header, opening the watch on db's reader pool
// first when needed; false when the watch cannot be had (the generations are
// then read every time, as on PostgreSQL).
func (w *walWatch) header(ctx context.Context, reader *sql.DB) (walHeader, bool) {
	w.mu.RLock()
	if w.mem != nil {
		h := w.headerLocked()
		w.mu.RUnlock()
		return h, true
	}
	w.mu.RUnlock()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.mem == nil && !w.closed && time.Now().After(w.retryAt) {
		if err := w.openLocked(ctx, reader); err != nil {
			w.retryAt = time.Now().Add(walRetry)
		}
	}
	if w.mem == nil {
		return walHeader{}, false
	}
	return w.headerLocked(), true
}

// vouch records g as read after the header was h.
func (w *walWatch) vouch(h walHeader, g *generations) {
	w.vouched.Store(&vouchedGenerations{header: h, gens: g})
}

// headerLocked loads the header word by word; a header being rewritten reads
// as some mix of old and new words, which differs from the vouched one unless
// no word has changed yet, that is unless the commit has not completed.
func (w *walWatch) headerLocked() walHeader {
	var h walHeader
	base := unsafe.Pointer(unsafe.SliceData(w.mem))
	for i := range h {
		h[i] = atomic.LoadUint64((*uint64)(unsafe.Add(base, 8*i)))
	}
	return h
}

// openLocked takes a connection of the reader pool for good, makes it open the
// WAL index with a read, and maps the first page of the -shm file.
func (w *walWatch) openLocked(ctx context.Context, reader *sql.DB) error {
	conn, err := reader.Conn(ctx)
	if err != nil {
		return err
	}
	var seq int
	var name, path string
	var mode string
	err = conn.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode)
	if err == nil && mode != "wal" {
		err = fmt.Errorf("journal mode %s, not wal", mode)
	}
	if err == nil {
		err = conn.QueryRowContext(ctx, `PRAGMA database_list`).Scan(&seq, &name, &path)
	}
	if err == nil && path == "" {
		err = errors.New("an in-memory database has no WAL index")
	}
	if err == nil {
		// A read opens the WAL and its index; the connection keeps both open.
		err = conn.QueryRowContext(ctx, `SELECT count(*) FROM registry_generation`).Scan(&seq)
	}
	var mem []byte
	if err == nil {
		mem, err = mapWALIndex(path + "-shm")
	}
	if err != nil {
		conn.Close()
		return err
	}
	w.conn, w.mem = conn, mem
	return nil
}

// mapWALIndex maps the first page of a -shm file read-only and shared.
func mapWALIndex(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // the mapping outlives the descriptor
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	// The header and the checkpoint information take 136 bytes; an index
	// shorter than that is not initialised, and a mapping past the end of the
	// file would fault when read.
	if st.Size() < 136 {
		return nil, fmt.Errorf("%s: %d bytes, no WAL index header", path, st.Size())
	}
	mem, err := syscall.Mmap(int(f.Fd()), 0, os.Getpagesize(), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("map %s: %w", path, err)
	}
	return mem, nil
}

// close unmaps the index and releases the connection; the watch vouches for
// nothing afterwards.
func (w *walWatch) close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	w.vouched.Store(nil)
	var errs []error
	if w.mem != nil {
		errs = append(errs, syscall.Munmap(w.mem))
		w.mem = nil
	}
	if w.conn != nil {
		errs = append(errs, w.conn.Close())
		w.conn = nil
	}
	return errors.Join(errs...)
}
