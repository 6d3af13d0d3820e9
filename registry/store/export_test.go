package store

import (
	"context"
	"fmt"
)

// OpenAtVersion opens a database migrated only up to version, as an older
// release would have left it.
func OpenAtVersion(ctx context.Context, cfg Config, version int) (*DB, error) {
	saved := migrations
	migrations = migrations[:version]
	defer func() { migrations = saved }()
	return Open(ctx, cfg)
}

// TamperAuditForTest tries to rewrite history; the schema must refuse.
func (s *DB) TamperAuditForTest(ctx context.Context) error {
	res := s.writer.WithContext(ctx).Exec(`UPDATE audit_log SET actor = 'mallory'`)
	if res.Error != nil {
		return res.Error
	}
	return fmt.Errorf("updated %d audit rows", res.RowsAffected)
}

// ExecForTest runs a statement on the writer, outside the store's services.
func (s *DB) ExecForTest(ctx context.Context, sql string, args ...any) error {
	return s.writer.WithContext(ctx).Exec(sql, args...).Error
}

// CacheLoadsForTest reports how many times look-ups read an issuance's facts
// and, separately, only its holdings from the database.
func (s *DB) CacheLoadsForTest() (facts, holdings int64) {
	return s.factLoads.Load(), s.holdingLoads.Load()
}
