package chain_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// leaseNode is one node's leaser on a database handle of its own.
type leaseNode struct {
	st     *storetest.Stores
	l      *chain.Leaser
	reg    *prometheus.Registry
	cancel context.CancelFunc
	done   chan struct{}
}

func (n *leaseNode) counter(t *testing.T, name string) float64 {
	t.Helper()
	mfs, err := n.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// TestLeasesSpreadAndMoveWhenANodeLosesTheDatabase: six deployed issuances,
// nodes on one PostgreSQL database. Two nodes take three each; a third joins
// and each ends with two (the others hand one over each); the first loses its
// database: it stops trusting its leases, and once they expire the other two
// take them over (failovers) and hold three each. Sampled throughout, no
// issuance's work is ever in the hands of two nodes at once.
func TestLeasesSpreadAndMoveWhenANodeLosesTheDatabase(t *testing.T) {
	if !slices.Contains(storetest.Engines(t), store.Postgres) {
		t.Skip("leases are PostgreSQL's: STONODE_TEST_POSTGRES=skip")
	}
	const ttl, renew = 3 * time.Second, 200 * time.Millisecond
	ctx := context.Background()
	dsn := storetest.DSN(t, store.Postgres)
	open := func() *storetest.Stores {
		st, err := storetest.OpenConfig(ctx, store.Config{DSN: dsn, Clock: func() time.Time { return t0 }, Rules: eligibility.Rules{}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	first := open()
	op := registry.WithPrincipal(ctx, &registry.Principal{KeyID: "op", Role: registry.RoleOperator})
	sel := &registry.Seller{LegalName: "Alpha", CorporateNumber: "7000012050002", FSARegistration: "x",
		Licence: registry.LicenceType1, Membership: registry.MembershipFull}
	if err := first.CreateSeller(op, sel); err != nil {
		t.Fatal(err)
	}
	sc := registry.WithPrincipal(ctx, &registry.Principal{KeyID: "seller", Role: registry.RoleSeller, SellerID: sel.ID})
	var issuances []int64
	for i := range 6 {
		iss := &registry.Issuance{IssuerName: "I", TokenName: fmt.Sprintf("T%d", i), TokenSymbol: fmt.Sprintf("T%d", i),
			LegalForm: registry.FormShare, FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic}
		if err := first.CreateIssuance(sc, iss); err != nil {
			t.Fatal(err)
		}
		if _, err := first.TransitionIssuance(sc, iss.ID, registry.IssuanceRegistered, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := first.RecordDeployment(sc, iss.ID, registry.Deployment{ChainID: chain.SimulatedChainID,
			TokenAddress: fmt.Sprintf("0x%040x", 0xa0+i), RegistryAddress: fmt.Sprintf("0x%040x", 0xb0+i), Block: 1}); err != nil {
			t.Fatal(err)
		}
		issuances = append(issuances, iss.ID)
	}

	key, _ := crypto.GenerateKey()
	var nodes []*leaseNode
	start := func(st *storetest.Stores) *leaseNode {
		conn, err := chain.OpenSimulated(key, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		n := &leaseNode{st: st, reg: prometheus.NewRegistry(), done: make(chan struct{})}
		n.l = chain.NewLeaser(store.NewLeases(st.DB), conn, chain.LeaseConfig{Node: fmt.Sprintf("node-%d", len(nodes)), TTL: ttl, Renew: renew},
			slog.New(slog.DiscardHandler))
		n.reg.MustRegister(n.l)
		var rctx context.Context
		rctx, n.cancel = context.WithCancel(ctx)
		go func() { defer close(n.done); n.l.Run(rctx) }()
		t.Cleanup(func() { n.cancel(); <-n.done })
		nodes = append(nodes, n)
		return n
	}

	// The safety property, sampled while everything moves.
	var mu sync.Mutex // guards nodes against the sampler
	var overlaps atomic.Int64
	var sampled atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			mu.Lock()
			ns := slices.Clone(nodes)
			mu.Unlock()
			for _, id := range issuances {
				holders := 0
				for _, n := range ns {
					if _, ok := n.l.Scope(ctx, id); ok {
						holders++
					}
				}
				if holders > 1 {
					overlaps.Add(1)
				}
			}
			sampled.Add(1)
		}
	}()
	held := func() string {
		mu.Lock()
		defer mu.Unlock()
		out := ""
		for _, n := range nodes {
			out += fmt.Sprintf("%d ", len(n.l.Held()))
		}
		return out
	}
	waitHeld := func(want string, within time.Duration) time.Duration {
		t.Helper()
		begin := time.Now()
		for held() != want {
			if time.Since(begin) > within {
				t.Fatalf("leases held per node %q, want %q after %s", held(), want, within)
			}
			time.Sleep(20 * time.Millisecond)
		}
		return time.Since(begin)
	}

	mu.Lock()
	start(first)
	start(open())
	mu.Unlock()
	waitHeld("3 3 ", 10*time.Second)
	mu.Lock()
	start(open())
	mu.Unlock()
	waitHeld("2 2 2 ", 10*time.Second)
	// At least two: a loaded machine can delay a heartbeat past its TTL, and
	// the shares then move more than once before they settle.
	if h := nodes[0].counter(t, "stonode_chain_lease_handovers_total") + nodes[1].counter(t, "stonode_chain_lease_handovers_total"); h < 2 {
		t.Fatalf("%v leases handed over to the newcomer, want at least 2", h)
	}

	// Node 0 loses its database: it stops trusting its leases by itself, and
	// the others take them over once they expire.
	if err := nodes[0].st.Close(); err != nil {
		t.Fatal(err)
	}
	took := waitHeld("0 3 3 ", ttl+5*time.Second)
	failovers := nodes[1].counter(t, "stonode_chain_lease_failovers_total") + nodes[2].counter(t, "stonode_chain_lease_failovers_total")
	if failovers < 2 {
		t.Fatalf("%v failovers, want at least 2 (the leases of the node that lost its database)", failovers)
	}
	if h := nodes[0].l.Health(); h == "" {
		t.Fatal("the node without its database reports its leasing healthy")
	}
	close(stop)
	wg.Wait()
	if overlaps.Load() > 0 || sampled.Load() < 100 {
		t.Fatalf("%d samples of %d saw an issuance held by two nodes at once", overlaps.Load(), sampled.Load())
	}
	t.Logf("the two leases of the node without its database moved within %s (TTL %s); %d samples, no overlap",
		took.Round(time.Millisecond), ttl, sampled.Load())
}
