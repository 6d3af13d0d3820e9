package api_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/stonode/stonode/api"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// GET /v1/nodes: operators see the nodes and their leases (on PostgreSQL,
// the shared board; on SQLite, the one node running everything); other
// roles are refused, a query parameter is refused, and a node without chain
// work answers 503.
func TestNodesListsLeaseHolders(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			clock := storetest.NewClock(now)
			st := storetest.Open(t, engine, clock.Now)
			key, _ := crypto.GenerateKey()
			conn, err := chain.OpenSimulated(key, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { conn.Close() })
			var leases chain.LeaseStore
			if engine == store.Postgres {
				leases = store.NewLeases(st.DB)
			}
			l := chain.NewLeaser(leases, conn, chain.LeaseConfig{Node: "node-a", Renew: 50 * time.Millisecond}, slog.New(slog.DiscardHandler))
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { defer close(done); l.Run(ctx) }()
			t.Cleanup(func() { cancel(); <-done })
			srv := httptest.NewServer(api.New(st, api.Options{Clock: clock.Now, Nodes: l}))
			t.Cleanup(srv.Close)
			n := &node{t: t, url: srv.URL, st: st, clock: clock}
			op := n.operatorKey()

			var board struct {
				Shared bool
				Self   string
				Nodes  []struct {
					ID   string
					Live bool
				}
			}
			deadline := time.Now().Add(10 * time.Second)
			for {
				r := n.must(200, "GET", "/v1/nodes", op, nil)
				if err := json.Unmarshal(r.raw, &board); err != nil {
					t.Fatal(err)
				}
				if len(board.Nodes) > 0 || time.Now().After(deadline) { // PostgreSQL: after the first heartbeat
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			if board.Shared != (engine == store.Postgres) || board.Self != "node-a" || len(board.Nodes) != 1 ||
				board.Nodes[0].ID != "node-a" || !board.Nodes[0].Live {
				t.Fatalf("GET /v1/nodes: %+v", board)
			}
			reader := n.must(201, "POST", "/v1/keys", op, map[string]any{"role": "reader"}).str("key")
			if r := n.do("GET", "/v1/nodes", reader, nil); r.status != 403 {
				t.Errorf("reader: %d %s", r.status, r.raw)
			}
			if r := n.do("GET", "/v1/nodes", "", nil); r.status != 401 {
				t.Errorf("no key: %d %s", r.status, r.raw)
			}
			if r := n.do("GET", "/v1/nodes?all=1", op, nil); r.status != 400 || r.errCode() != "invalid" {
				t.Errorf("query parameter: %d %s", r.status, r.raw)
			}
			bare := httptest.NewServer(api.New(st, api.Options{Clock: clock.Now}))
			t.Cleanup(bare.Close)
			nb := &node{t: t, url: bare.URL, st: st, clock: clock}
			if r := nb.do("GET", "/v1/nodes", op, nil); r.status != 503 || r.errCode() != "unavailable" {
				t.Errorf("without chain work: %d %s", r.status, r.raw)
			}
		})
	}
}
