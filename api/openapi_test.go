package api

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/stonode/stonode/registry"
)

// The OpenAPI document as far as these tests read it.
type oaDocument struct {
	OpenAPI    string                `yaml:"openapi"`
	Info       map[string]any        `yaml:"info"`
	Security   []map[string][]string `yaml:"security"`
	Paths      map[string]oaPathItem `yaml:"paths"`
	Components oaComponents          `yaml:"components"`
}

type oaComponents struct {
	SecuritySchemes map[string]struct {
		Type   string `yaml:"type"`
		Scheme string `yaml:"scheme"`
	} `yaml:"securitySchemes"`
	Parameters map[string]oaParameter `yaml:"parameters"`
	Schemas    map[string]struct {
		Enum []string `yaml:"enum"`
	} `yaml:"schemas"`
}

// oaPathItem holds path-level parameters and the operations keyed by method.
type oaPathItem struct {
	Parameters []oaParameter
	Operations map[string]oaOperation
}

func (p *oaPathItem) UnmarshalYAML(n *yaml.Node) error {
	var raw map[string]yaml.Node
	if err := n.Decode(&raw); err != nil {
		return err
	}
	p.Operations = map[string]oaOperation{}
	for key, v := range raw {
		switch key {
		case "parameters":
			if err := v.Decode(&p.Parameters); err != nil {
				return err
			}
		case "get", "put", "post", "delete", "options", "head", "patch", "trace":
			var op oaOperation
			if err := v.Decode(&op); err != nil {
				return err
			}
			p.Operations[strings.ToUpper(key)] = op
		}
	}
	return nil
}

type oaOperation struct {
	OperationID string `yaml:"operationId"`
	Summary     string `yaml:"summary"`
	Description string `yaml:"description"`
	// Security is nil when the operation does not declare it.
	Security   *[]map[string][]string `yaml:"security"`
	Parameters []oaParameter          `yaml:"parameters"`
	Responses  map[string]yaml.Node   `yaml:"responses"`
}

type oaParameter struct {
	Ref      string `yaml:"$ref"`
	Name     string `yaml:"name"`
	In       string `yaml:"in"`
	Required bool   `yaml:"required"`
}

// publicRoutes need no API key.
var publicRoutes = map[string]bool{
	"GET /healthz":      true,
	"GET /readyz":       true,
	"GET /openapi.yaml": true,
}

var ginParam = regexp.MustCompile(`:([A-Za-z0-9_]+)`)
var templateParam = regexp.MustCompile(`\{([^}/]+)\}`)

// openAPIPath converts a gin route path ("/v1/sellers/:id") to OpenAPI style ("/v1/sellers/{id}").
func openAPIPath(ginPath string) string { return ginParam.ReplaceAllString(ginPath, "{$1}") }

func loadOpenAPI(t *testing.T) *oaDocument {
	t.Helper()
	if len(bytes.TrimSpace(OpenAPI())) == 0 {
		t.Fatal("api/openapi.yaml is empty")
	}
	var doc oaDocument
	if err := yaml.Unmarshal(OpenAPI(), &doc); err != nil {
		t.Fatalf("api/openapi.yaml does not parse: %v", err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Fatalf("openapi = %q, want 3.0.3", doc.OpenAPI)
	}
	return &doc
}

// resolve follows a parameter's $ref into components/parameters.
func (d *oaDocument) resolve(t *testing.T, p oaParameter) oaParameter {
	t.Helper()
	if p.Ref == "" {
		return p
	}
	name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/")
	if !ok {
		t.Fatalf("parameter $ref %q is not under #/components/parameters/", p.Ref)
	}
	got, ok := d.Components.Parameters[name]
	if !ok {
		t.Fatalf("parameter $ref %q does not resolve", p.Ref)
	}
	return got
}

func routeKeys(t *testing.T) map[string]route {
	t.Helper()
	out := map[string]route{}
	for _, r := range New(nil, Options{}).routes() {
		key := r.method + " " + openAPIPath(r.path)
		if _, dup := out[key]; dup {
			t.Fatalf("route %s is registered twice", key)
		}
		out[key] = r
	}
	return out
}

func documentedKeys(doc *oaDocument) map[string]oaOperation {
	out := map[string]oaOperation{}
	for path, item := range doc.Paths {
		for method, op := range item.Operations {
			out[method+" "+path] = op
		}
	}
	return out
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	doc := loadOpenAPI(t)
	routes := routeKeys(t)
	documented := documentedKeys(doc)

	var missing, extra []string
	for key := range routes {
		if _, ok := documented[key]; !ok {
			missing = append(missing, key)
		}
	}
	for key := range documented {
		if _, ok := routes[key]; !ok {
			extra = append(extra, key)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("routes missing from api/openapi.yaml:\n  %s", strings.Join(missing, "\n  "))
	}
	if len(extra) > 0 {
		t.Errorf("api/openapi.yaml documents routes the server does not have:\n  %s", strings.Join(extra, "\n  "))
	}
}

func TestOpenAPIOperations(t *testing.T) {
	doc := loadOpenAPI(t)
	routes := routeKeys(t)

	bearer, ok := doc.Components.SecuritySchemes["bearerAuth"]
	if !ok || bearer.Type != "http" || bearer.Scheme != "bearer" {
		t.Fatalf("components.securitySchemes.bearerAuth = %+v, want an http bearer scheme", bearer)
	}

	ids := map[string]string{}
	for path, item := range doc.Paths {
		for method, op := range item.Operations {
			key := method + " " + path
			if op.OperationID == "" {
				t.Errorf("%s: no operationId", key)
			} else if prev, dup := ids[op.OperationID]; dup {
				t.Errorf("%s: operationId %q also used by %s", key, op.OperationID, prev)
			} else {
				ids[op.OperationID] = key
			}
			if strings.TrimSpace(op.Summary) == "" {
				t.Errorf("%s: no summary", key)
			}
			if len(op.Responses) == 0 {
				t.Errorf("%s: no responses", key)
			}

			// Security: the public endpoints declare none, every other one bearerAuth.
			switch {
			case publicRoutes[key]:
				if op.Security == nil || len(*op.Security) != 0 {
					t.Errorf("%s: a public endpoint must declare `security: []`", key)
				}
			case op.Security == nil || len(*op.Security) == 0:
				t.Errorf("%s: declares no security", key)
			default:
				for _, req := range *op.Security {
					if _, ok := req["bearerAuth"]; !ok {
						t.Errorf("%s: security requirement %v does not use bearerAuth", key, req)
					}
				}
				if _, ok := op.Responses["401"]; !ok {
					t.Errorf("%s: authenticated but documents no 401", key)
				}
			}
			if r, ok := routes[key]; ok {
				if public := r.roles == nil; public != publicRoutes[key] {
					t.Errorf("%s: server authentication (public=%v) disagrees with the test's public list", key, public)
				}
				if r.roles != nil {
					for _, role := range r.roles {
						if !strings.Contains(op.Description, string(role)) {
							t.Errorf("%s: description does not name role %s", key, role)
						}
					}
				}
			}

			// Parameters: each path template variable is declared as a required path
			// parameter, and no path parameter is declared that the path lacks.
			inPath := map[string]bool{}
			for _, m := range templateParam.FindAllStringSubmatch(path, -1) {
				inPath[m[1]] = true
			}
			declared := map[string]bool{}
			for _, p := range append(slices.Clone(item.Parameters), op.Parameters...) {
				p = doc.resolve(t, p)
				if p.In != "path" {
					continue
				}
				declared[p.Name] = true
				if !p.Required {
					t.Errorf("%s: path parameter %q must be required", key, p.Name)
				}
				if !inPath[p.Name] {
					t.Errorf("%s: declares path parameter %q that is not in the path", key, p.Name)
				}
			}
			for name := range inPath {
				if !declared[name] {
					t.Errorf("%s: path parameter {%s} is not declared", key, name)
				}
			}
		}
	}
}

// Every operation that takes parameters documents 400: the edge refuses a
// parameter with invalid UTF-8 or a control character on any route.
func TestOpenAPIParametersCanBeRefused(t *testing.T) {
	doc := loadOpenAPI(t)
	for path, item := range doc.Paths {
		for method, op := range item.Operations {
			if len(item.Parameters)+len(op.Parameters) == 0 {
				continue
			}
			if _, ok := op.Responses["400"]; !ok {
				t.Errorf("%s %s takes parameters but documents no 400", method, path)
			}
		}
	}
}

// Every $ref in the document points at something that exists.
func TestOpenAPIReferencesResolve(t *testing.T) {
	var root yaml.Node
	if err := yaml.Unmarshal(OpenAPI(), &root); err != nil {
		t.Fatal(err)
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == "$ref" {
					ref := n.Content[i+1].Value
					if !strings.HasPrefix(ref, "#/") || lookupPointer(&root, strings.Split(ref[2:], "/")) == nil {
						t.Errorf("$ref %q does not resolve", ref)
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&root)
}

func lookupPointer(n *yaml.Node, parts []string) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	for _, part := range parts {
		part = strings.NewReplacer("~1", "/", "~0", "~").Replace(part)
		if n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == part {
				next = n.Content[i+1]
				break
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return n
}

// The ReasonCode enum lists exactly the names of registry.Reasons(), and the
// Error code enum covers every code of the error→status table.
func TestOpenAPIEnumsMatchCode(t *testing.T) {
	doc := loadOpenAPI(t)
	var want []string
	for _, r := range registry.Reasons() {
		want = append(want, r.Name)
	}
	got := doc.Components.Schemas["ReasonCode"].Enum
	if !slices.Equal(got, want) {
		t.Errorf("components.schemas.ReasonCode.enum = %v,\nwant registry.Reasons() names %v", got, want)
	}
	// The operation list's filters are checked against the same lists
	// (registry.OperationFilter.Validate).
	for schema, want := range map[string][]string{
		"OperationKind":   enumNames(registry.OperationKinds),
		"OperationStatus": enumNames(registry.OperationStatuses),
	} {
		if got := doc.Components.Schemas[schema].Enum; !slices.Equal(got, want) {
			t.Errorf("components.schemas.%s.enum = %v,\nwant %v", schema, got, want)
		}
	}

	codes := lookupPointer(func() *yaml.Node {
		var root yaml.Node
		if err := yaml.Unmarshal(OpenAPI(), &root); err != nil {
			t.Fatal(err)
		}
		return &root
	}(), strings.Split("components/schemas/Error/properties/error/properties/code/enum", "/"))
	if codes == nil {
		t.Fatal("components.schemas.Error has no error.code enum")
	}
	var documented []string
	if err := codes.Decode(&documented); err != nil {
		t.Fatal(err)
	}
	for code := range statusByCode {
		if !slices.Contains(documented, code) {
			t.Errorf("error code %q (HTTP %d) is not in the Error schema's code enum", code, statusByCode[code])
		}
	}
}

func TestOpenAPIServed(t *testing.T) {
	srv := httptest.NewServer(New(nil, Options{}))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /openapi.yaml: status %d, body %s", res.StatusCode, body)
	}
	if !bytes.Equal(body, OpenAPI()) {
		t.Fatalf("GET /openapi.yaml served %d bytes that differ from the embedded document (%d bytes)", len(body), len(OpenAPI()))
	}
	if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, "yaml") {
		t.Errorf("GET /openapi.yaml Content-Type = %q, want a YAML type", ct)
	}
}

func enumNames[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
