package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"log/slog"
	"time"

	"github.com/mattn/go-sqlite3"
)

// SQLite in WAL mode appends each commit's pages to the -wal file and, by
// default, has the committing connection copy them back into the database
// file (a checkpoint, with an fsync) whenever the WAL passes 1,000 pages. A
// mirror batch of 10,000 transfers passes it on every commit, so the write
// path paid for the copy and the fsync: about a third of a batch's commit.
// The writer now checkpoints only as a backstop, at writerAutoCheckpoint
// pages; a checkpointer on a connection of its own copies the WAL back in
// the background, without blocking writers or readers (PASSIVE).
const (
	writerAutoCheckpoint = 16384 // pages: 64 MiB at 4 KiB, if the checkpointer falls behind
	checkpointEvery      = 200 * time.Millisecond
)

// sqliteConnector opens go-sqlite3 connections of one DSN with a hook run on
// each, so a per-connection setting outlives a reconnect without a driver
// registered under a global name.
type sqliteConnector struct {
	drv *sqlite3.SQLiteDriver
	dsn string
}

func (c sqliteConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c sqliteConnector) Driver() driver.Driver                        { return c.drv }

func newSQLiteConnector(dsn string, pragmas ...string) sqliteConnector {
	return sqliteConnector{dsn: dsn, drv: &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		for _, p := range pragmas {
			if _, err := c.Exec(p, nil); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
		}
		return nil
	}}}
}

// walCheckpointer runs PASSIVE checkpoints every checkpointEvery while the
// WAL has changed since the last one.
type walCheckpointer struct {
	db     *sql.DB
	wal    *walWatch
	reader *sql.DB
	log    *slog.Logger
	stop   context.CancelFunc
	done   chan struct{}
}

func startCheckpointer(dsn string, wal *walWatch, reader *sql.DB, log *slog.Logger) *walCheckpointer {
	db := sql.OpenDB(newSQLiteConnector(dsn))
	db.SetMaxOpenConns(1)
	ctx, stop := context.WithCancel(context.Background())
	c := &walCheckpointer{db: db, wal: wal, reader: reader, log: log, stop: stop, done: make(chan struct{})}
	go c.run(ctx)
	return c
}

func (c *walCheckpointer) run(ctx context.Context) {
	defer close(c.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	var last walHeader
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		h, watched := c.wal.header(ctx, c.reader)
		if watched && h == last {
			continue // nothing committed since the last checkpoint
		}
		var busy, frames, copied int
		err := c.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied)
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil:
			if !failing {
				c.log.Warn("sqlite checkpoint failed; the writer checkpoints past its backstop", "err", err, "backstop_pages", writerAutoCheckpoint)
			}
			failing = true
		default:
			if failing {
				c.log.Info("sqlite checkpoints resumed")
			}
			failing = false
			if watched {
				last = h
			}
		}
	}
}

func (c *walCheckpointer) close() error {
	if c == nil {
		return nil
	}
	c.stop()
	<-c.done
	return c.db.Close()
}
