package console

import (
	"regexp"
	"slices"
	"testing"

	"github.com/stonode/stonode/registry"
)

// TestOperationFiltersMatchTheAPI: the issuance page's operation filters offer
// exactly the kinds and statuses GET /v1/issuances/{id}/operations accepts
// (a value it lacks could not be chosen, one it has too would answer 400),
// each with a label in both catalogues.
func TestOperationFiltersMatchTheAPI(t *testing.T) {
	src := scripts(t)["assets/pages/operations.js"]
	if src == "" {
		t.Fatal("assets/pages/operations.js is missing")
	}
	ja, en := catalogue(t, "ja"), catalogue(t, "en")
	quoted := regexp.MustCompile(`'([A-Z_]+)'`)
	for _, c := range []struct {
		name string
		want []string
	}{
		{"operationKinds", names(registry.OperationKinds)},
		{"operationStatuses", names(registry.OperationStatuses)},
	} {
		decl := regexp.MustCompile(`(?s)export const ` + c.name + ` = \[(.*?)\];`).FindStringSubmatch(src)
		if decl == nil {
			t.Errorf("operations.js declares no %s", c.name)
			continue
		}
		var got []string
		for _, m := range quoted.FindAllStringSubmatch(decl[1], -1) {
			got = append(got, m[1])
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("operations.js %s = %v, want %v", c.name, got, c.want)
		}
		for _, v := range c.want {
			if en["enum."+v] == "" || ja["enum."+v] == "" {
				t.Errorf("enum.%s lacks a label in en or ja", v)
			}
		}
	}
}

func names[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
