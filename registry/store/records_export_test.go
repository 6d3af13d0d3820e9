package store

import (
	"context"
	"strings"
)

// PersonalTableTextForTest returns every stored column of the personal data
// table as text, for tests that check it holds ciphertext only.
func (s *DB) PersonalTableTextForTest(ctx context.Context) (string, error) {
	var rows []personalRow
	if err := s.read(ctx).Order("investor_id, version").Find(&rows).Error; err != nil {
		return "", err
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.KeyID + "|" + r.WrappedKey + "|" + r.Ciphertext + "|" + r.RecordedBy + "\n")
	}
	return b.String(), nil
}
