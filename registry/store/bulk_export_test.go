package store

import "context"

// CountForTest counts a table's rows (bulk tests check nothing else was written).
func (s *DB) CountForTest(ctx context.Context, table string) (int64, error) {
	var n int64
	err := s.writer.WithContext(ctx).Table(table).Count(&n).Error
	return n, err
}
