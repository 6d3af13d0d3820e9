package api_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"hash/fnv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"
	"gopkg.in/yaml.v3"

	"github.com/stonode/stonode/api"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/sealing"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// fuzzRoute is one documented operation: method and path template.
type fuzzRoute struct{ method, path string }

func (r fuzzRoute) String() string { return r.method + " " + r.path }

// documentedRoutes lists every operation of the OpenAPI document in a stable
// order; TestOpenAPIDocumentsEveryRoute keeps it equal to the route table, so
// a new route is fuzzed without touching this test.
func documentedRoutes(tb testing.TB) []fuzzRoute {
	var doc struct {
		Paths map[string]map[string]yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(api.OpenAPI(), &doc); err != nil {
		tb.Fatal(err)
	}
	var out []fuzzRoute
	for path, item := range doc.Paths {
		for method := range item {
			switch method {
			case "get", "put", "post", "delete", "patch":
				out = append(out, fuzzRoute{strings.ToUpper(method), path})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path+out[i].method < out[j].path+out[j].method })
	return out
}

var templateVar = regexp.MustCompile(`\{[^}]+\}`)

// FuzzRouter drives path ids, query strings and JSON bodies through the real
// router on SQLite, with an operator's or a seller's key, and requires that no
// request answers 5xx: malformed input is the client's error, never the
// node's. The chain is the in-process simulated one with no worker running, so
// token operations are checked and queued but nothing is sent.
// STONODE_FUZZ_ENGINE=postgres fuzzes on PostgreSQL instead (slower; by hand).
func FuzzRouter(f *testing.F) {
	routes := documentedRoutes(f)
	clock := storetest.NewClock(now)
	engine := store.SQLite
	if os.Getenv("STONODE_FUZZ_ENGINE") == string(store.Postgres) {
		engine = store.Postgres
	}
	st := storetest.Open(f, engine, clock.Now)
	key, _ := crypto.GenerateKey()
	// The node's optional dependencies are wired as stonode serve wires them, so
	// that no route answers 503 for want of one; all but Readiness: the chain
	// work does not run here, and /readyz would rightly answer 503 for that.
	work := fuzzChain(f, key, st)
	ops := work.Ops
	_, dataKey, _ := sealing.NewKeyEntry(now)
	sealed, err := sealing.Parse(dataKey)
	if err != nil {
		f.Fatal(err)
	}
	srv := api.New(st, api.Options{Clock: clock.Now, Chain: ops, Deployments: st, Mirror: st, Controls: ops,
		Records: store.NewRecords(st.DB, sealed), Terms: store.NewTerms(st.DB), Webhooks: store.NewWebhooks(st.DB), Nodes: work.Leases})
	ts := httptest.NewServer(srv)
	f.Cleanup(ts.Close)

	// A seller with a key, an issuance and an investor approved onto it, all
	// with id 1, so that ids the fuzzer tries can hit something.
	n := &node{t: f, url: ts.URL, st: st, clock: clock}
	fx := n.edgeFixture(nil)
	keys := map[bool]string{false: fx.op, true: fx.sk}

	byName := map[string]fuzzRoute{}
	for i, r := range routes {
		byName[r.String()] = r
		body := []byte(nil)
		if r.method != "GET" && r.method != "DELETE" {
			body = []byte("{}")
		}
		f.Add(r.String(), i%2 == 0, "1", "1", "", body)
	}

	// route names a documented operation ("POST /v1/sellers/{id}/suspend"), so
	// the committed corpus keeps its meaning as routes are added; any other
	// value the fuzzer makes of it still picks some route.
	f.Fuzz(func(t *testing.T, route string, asSeller bool, id, id2, query string, body []byte) {
		r, ok := byName[route]
		if !ok {
			h := fnv.New32a()
			h.Write([]byte(route))
			r = routes[int(h.Sum32()%uint32(len(routes)))]
		}
		vars := 0
		path := templateVar.ReplaceAllStringFunc(r.path, func(string) string {
			vars++
			if vars == 1 {
				return id
			}
			return id2
		})
		req := &http.Request{Method: r.method, URL: &url.URL{Path: path, RawQuery: query}, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Authorization": {"Bearer " + keys[asSeller]}, "Content-Type": {"application/json"}},
			Body:   io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Host: "fuzz", RequestURI: path}
		req = req.WithContext(context.Background())
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q ?%q body %q: %d %s", r.method, path, query, body, rec.Code, rec.Body.Bytes())
		}
	})
}

// fuzzChain is a node's chain work over the simulated chain, its background
// work not running: operations are queued, never sent.
func fuzzChain(tb testing.TB, key *ecdsa.PrivateKey, st *storetest.Stores) *chain.Node {
	conn, err := chain.OpenSimulated(key, 0)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close() })
	return chain.NewNode(conn, st.Chain(), chain.NodeConfig{Controls: st}, prometheus.NewRegistry(), slog.New(slog.DiscardHandler))
}
