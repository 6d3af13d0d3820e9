package registry

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestOperationKindsListsEveryKind keeps OperationKinds — what the operation
// list's kind filter accepts — in step with the OperationKind constants
// declared anywhere in this package.
func TestOperationKindsListsEveryKind(t *testing.T) {
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var declared []OperationKind
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			spec, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			if id, ok := spec.Type.(*ast.Ident); !ok || id.Name != "OperationKind" {
				return true
			}
			for _, v := range spec.Values {
				if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					value, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					declared = append(declared, OperationKind(value))
				}
			}
			return true
		})
	}
	if len(declared) == 0 {
		t.Fatal("found no OperationKind constants")
	}
	for _, k := range declared {
		if !slices.Contains(OperationKinds, k) {
			t.Errorf("OperationKind %s is not in OperationKinds", k)
		}
	}
	if len(OperationKinds) != len(declared) {
		t.Errorf("OperationKinds has %d kinds, the package declares %d: %v", len(OperationKinds), len(declared), declared)
	}
}

func TestOperationFilterValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    OperationFilter
		want string // error code, "" for none
	}{
		{"no filter", OperationFilter{}, ""},
		{"status", OperationFilter{Status: OpRunning}, ""},
		{"kind", OperationFilter{Kind: OpBatchMint}, ""},
		{"both", OperationFilter{Status: OpFailed, Kind: OpSetCountryRule}, ""},
		{"lower-case status", OperationFilter{Status: "running"}, EINVALID},
		{"unknown status", OperationFilter{Status: "DONE"}, EINVALID},
		{"lower-case kind", OperationFilter{Kind: "mint"}, EINVALID},
		{"unknown kind", OperationFilter{Kind: "BURN"}, EINVALID},
		{"kind with a space", OperationFilter{Kind: "MINT "}, EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.f.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tc.want != "" && ErrorCode(err) != tc.want:
				t.Fatalf("Validate() = %v, want code %q", err, tc.want)
			}
		})
	}
}
