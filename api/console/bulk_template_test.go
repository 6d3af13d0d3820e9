package console

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stonode/stonode/registry"
)

// TestBulkTemplateColumns: the console's bulk CSV template lists exactly the
// columns the server reads (registry.BulkColumns), in their order, so a
// template filled in is never refused for its header.
func TestBulkTemplateColumns(t *testing.T) {
	b, err := fs.ReadFile(assetFS, "assets/pages/bulk.js")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)const columns = \[(.*?)\];`).FindSubmatch(b)
	if m == nil {
		t.Fatal("bulk.js declares no `const columns = [...]`")
	}
	var got []string
	for _, q := range regexp.MustCompile(`'([^']*)'`).FindAllSubmatch(m[1], -1) {
		got = append(got, string(q[1]))
	}
	if !slices.Equal(got, registry.BulkColumns) {
		t.Fatalf("template columns\n%s\nwant registry.BulkColumns\n%s", strings.Join(got, ","), strings.Join(registry.BulkColumns, ","))
	}
}
