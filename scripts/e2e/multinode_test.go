package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver to create the test's database
)

// takeoverBound is how soon another node must carry on with the chain work
// of a node that was killed or frozen (the bound).
const takeoverBound = 10 * time.Second

// cluster is several stonode nodes on one PostgreSQL database and one anvil,
// all signing with one key. Each node talks to anvil through a proxy of its
// own, which counts the transactions the node broadcasts and can hold its
// eth_getLogs calls.
type cluster struct {
	*e2e
	nodes []*clusterNode
}

type clusterNode struct {
	*stonode
	id    string
	proxy *rpcProxy
	sends atomic.Int64 // eth_sendRawTransaction calls made through the proxy
}

// ServeHTTP counts broadcasts and hands the call to the node's rpcProxy.
func (n *clusterNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if bytes.Contains(body, []byte(`"eth_sendRawTransaction"`)) {
		n.sends.Add(1)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	n.proxy.ServeHTTP(w, r)
}

// freshDatabase creates a database with a random name on the PostgreSQL
// server of STONODE_TEST_POSTGRES, dropped when the test ends, and returns its
// DSN.
func freshDatabase(ctx context.Context, t *testing.T) string {
	t.Helper()
	base := os.Getenv("STONODE_TEST_POSTGRES")
	if base == "" || base == "skip" {
		if os.Getenv("CI") != "" {
			t.Fatal("STONODE_TEST_POSTGRES must name a PostgreSQL server in CI: several nodes share one")
		}
		if base == "skip" {
			t.Skip("several nodes need PostgreSQL: STONODE_TEST_POSTGRES=skip")
		}
		base = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "stonode_mn_" + hex.EncodeToString(b)
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(cctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database on %s: %v", base, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// startCluster builds stonode, starts n nodes on a fresh database and sets the
// scenario up through the first (seller, deployed issuance, five investors
// whitelisted and minted to), then waits until every node is live.
func startCluster(ctx context.Context, t *testing.T, n int) *cluster {
	t.Helper()
	root := repoRoot(t)
	anvilBin := anvilBinary(t, root)
	dir := t.TempDir()
	bin := buildStonode(ctx, t, root, dir)
	dsn := freshDatabase(ctx, t)
	chainProc := startAnvil(ctx, t, anvilBin, "--silent")
	c := &cluster{}
	for i := range n {
		node := &clusterNode{stonode: &stonode{bin: bin, dataDir: filepath.Join(dir, fmt.Sprintf("node%d", i)),
			logPath: filepath.Join(dir, fmt.Sprintf("node%d.log", i)), db: dsn, confirm: confirmations}}
		node.proxy = startProxy(t, chainProc.url, maxLogsSpan)
		srv := httptest.NewServer(node)
		t.Cleanup(srv.Close)
		node.rpcURL = srv.URL
		if err := os.MkdirAll(node.dataDir, 0o700); err != nil {
			t.Fatal(err)
		}
		node.id = fmt.Sprintf("node-%d", i)
		if err := os.WriteFile(filepath.Join(node.dataDir, "node.id"), []byte(node.id+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		c.nodes = append(c.nodes, node)
	}
	c.e2e = startScenario(ctx, t, chainProc, c.nodes[0].stonode, 11)
	for _, node := range c.nodes[1:] {
		node.t, node.addr, node.nodeKey = t, fmt.Sprintf("127.0.0.1:%d", freePort(t)), anvilKeys[0]
		t.Cleanup(func() {
			if node.p != nil {
				_ = node.p.stop(syscall.SIGKILL, 10*time.Second)
			}
			if t.Failed() {
				t.Log(node.logTail(60))
			}
		})
		node.start(ctx)
	}
	eventually(ctx, t, 30*time.Second, 100*time.Millisecond, "every node live", func() (bool, string) {
		b := c.board()
		live := 0
		for _, nd := range b.Nodes {
			if nd.Live {
				live++
			}
		}
		return live == n, fmt.Sprintf("%d live of %d", live, n)
	})
	return c
}

// nodesBoard is GET /v1/nodes.
type nodesBoard struct {
	Shared bool   `json:"shared"`
	Self   string `json:"self"`
	Nodes  []struct {
		ID     string `json:"id"`
		Live   bool   `json:"live"`
		Leases []struct {
			IssuanceID int64 `json:"issuanceId"`
			Epoch      int64 `json:"epoch"`
		} `json:"leases"`
	} `json:"nodes"`
}

// useNode points the scenario's API client at node.
func (c *cluster) useNode(node *clusterNode) {
	c.api = &apiClient{t: c.t, base: "http://" + node.addr, hc: &http.Client{Timeout: 10 * time.Second}}
}

// running is a node that runs, to ask the API through.
func (c *cluster) running(except *clusterNode) *clusterNode {
	for _, n := range c.nodes {
		if n != except && n.p != nil && !n.p.exited() {
			return n
		}
	}
	c.t.Fatal("no node runs")
	return nil
}

func (c *cluster) board() nodesBoard {
	c.t.Helper()
	var b nodesBoard
	c.api.must(c.ctx, 200, "GET", "/v1/nodes", c.opKey, nil, &b)
	if !b.Shared {
		c.t.Fatalf("/v1/nodes says the database is not shared: %+v", b)
	}
	return b
}

// owner is the node holding the scenario issuance's lease, and its epoch.
func (c *cluster) owner() (*clusterNode, int64) {
	c.t.Helper()
	for _, nd := range c.board().Nodes {
		for _, l := range nd.Leases {
			if l.IssuanceID == c.issuance && nd.Live {
				for _, n := range c.nodes {
					if n.id == nd.ID {
						return n, l.Epoch
					}
				}
			}
		}
	}
	return nil, 0
}

// waitOwner waits until a node holds the issuance's lease.
func (c *cluster) waitOwner() (*clusterNode, int64) {
	c.t.Helper()
	var n *clusterNode
	var epoch int64
	eventually(c.ctx, c.t, 30*time.Second, 50*time.Millisecond, "a node holding the issuance's lease", func() (bool, string) {
		n, epoch = c.owner()
		return n != nil, "no holder"
	})
	return n, epoch
}

// takeover waits until a node other than old holds the issuance's lease at
// an epoch above epoch, and returns it and the time since since.
func (c *cluster) takeover(old *clusterNode, epoch int64, since time.Time) (*clusterNode, time.Duration) {
	c.t.Helper()
	c.useNode(c.running(old))
	var n *clusterNode
	eventually(c.ctx, c.t, 2*takeoverBound, 20*time.Millisecond, "another node taking the issuance over", func() (bool, string) {
		var e int64
		n, e = c.owner()
		return n != nil && n != old && e > epoch, fmt.Sprintf("holder %v epoch %d", n, e)
	})
	took := time.Since(since)
	if took > takeoverBound {
		c.t.Fatalf("%s took the issuance over %s after %s stopped; the bound is %s", n.id, took.Round(time.Millisecond), old.id, takeoverBound)
	}
	return n, took
}

// kill kill -9s node and restarts it once another has taken over, so the
// cluster keeps three nodes; it returns the takeover time.
func (c *cluster) killOwner(what string, inFlight func()) time.Duration {
	c.t.Helper()
	owner, epoch := c.waitOwner()
	c.useNode(c.running(owner))
	inFlight()
	killed := time.Now()
	owner.stop(syscall.SIGKILL)
	next, took := c.takeover(owner, epoch, killed)
	c.t.Logf("kill -9 %s %s: %s carried on after %s", owner.id, what, next.id, took.Round(time.Millisecond))
	owner.start(c.ctx)
	return took
}

// approveNew onboards n investors with fresh wallets and approves them on the
// issuance; it returns their wallets.
func (c *cluster) approveNew(n int, ref string) []common.Address {
	c.t.Helper()
	base := fmt.Sprintf("/v1/issuances/%d", c.issuance)
	reviewDue := time.Now().UTC().AddDate(1, 0, 0).Format(time.RFC3339)
	verified := time.Now().UTC().AddDate(0, -1, 0).Format(time.RFC3339)
	var wallets []common.Address
	for i := range n {
		key, err := crypto.GenerateKey()
		if err != nil {
			c.t.Fatal(err)
		}
		w := crypto.PubkeyToAddress(key.PublicKey)
		var inv struct{ ID int64 }
		c.api.must(c.ctx, 201, "POST", "/v1/investors", c.sellerKey, map[string]any{
			"customerRef": fmt.Sprintf("%s-%d", ref, i), "personType": "INDIVIDUAL", "residenceCountry": "JP", "dateOfBirth": "1980-04-01",
			"kyc":       map[string]any{"status": "VERIFIED", "method": "eKYC", "verifiedAt": verified, "reviewDue": reviewDue},
			"screening": map[string]any{"sanctions": "CLEAR", "antisocial": "CLEAR"},
			"wallets":   []any{map[string]any{"address": w.Hex()}},
		}, &inv)
		c.api.must(c.ctx, 200, "PUT", fmt.Sprintf("%s/whitelist/%d", base, inv.ID), c.sellerKey, nil, nil)
		wallets = append(wallets, w)
	}
	return wallets
}

// allConfirmed waits until every whitelist entry is CONFIRMED and every
// wallet is eligible on-chain: no approval was lost.
func (c *cluster) allConfirmed(wallets []common.Address) {
	c.t.Helper()
	base := fmt.Sprintf("/v1/issuances/%d", c.issuance)
	eventually(c.ctx, c.t, 60*time.Second, 100*time.Millisecond, "every whitelist entry CONFIRMED", func() (bool, string) {
		var mined any
		c.chain.call(c.ctx, c.t, &mined, "anvil_mine", "0x1")
		var page struct {
			Items []struct {
				InvestorID int64 `json:"investorId"`
				Sync       struct {
					State string `json:"state"`
				} `json:"sync"`
			} `json:"items"`
		}
		c.api.must(c.ctx, 200, "GET", base+"/whitelist?limit=100", c.sellerKey, nil, &page)
		var open []string
		for _, it := range page.Items {
			if it.Sync.State != "CONFIRMED" {
				open = append(open, fmt.Sprintf("%d:%s", it.InvestorID, it.Sync.State))
			}
		}
		return len(open) == 0, strings.Join(open, " ")
	})
	for _, w := range wallets {
		if !c.eligibleOnChain(w) {
			c.t.Fatalf("approval of %s lost: its entry is CONFIRMED but registry.isEligible is false", w)
		}
	}
}

func (c *cluster) supply() *big.Int {
	c.t.Helper()
	cctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
	defer cancel()
	s, err := bind.Call(tok.Instance(c.chain.eth, c.token), &bind.CallOpts{Context: cctx}, tok.PackTotalSupply(), tok.UnpackTotalSupply)
	if err != nil {
		c.t.Fatal(err)
	}
	return s
}

// noNonceStuck: with every operation done, the key has nothing pending.
func (c *cluster) noNonceStuck() {
	c.t.Helper()
	key := anvilAccount(c.t, 0).addr
	eventually(c.ctx, c.t, 20*time.Second, 100*time.Millisecond, "no transaction of the node key left pending", func() (bool, string) {
		c.mine()
		var pending hexutil.Uint64
		c.chain.call(c.ctx, c.t, &pending, "eth_getTransactionCount", key, "pending")
		latest := c.chain.nonce(c.ctx, c.t, key, nil)
		var st struct {
			Pending hexutil.Uint64 `json:"pending"`
			Queued  hexutil.Uint64 `json:"queued"`
		}
		c.chain.call(c.ctx, c.t, &st, "txpool_status")
		return uint64(pending) == latest && st.Pending == 0 && st.Queued == 0,
			fmt.Sprintf("nonce latest %d pending %d; pool %d pending %d queued", latest, pending, st.Pending, st.Queued)
	})
}

// TestSeveralNodesFailOver runs three `stonode serve` processes on one
// PostgreSQL database and one anvil, all with one signing key, and kill -9s
// the node holding the issuance's lease during a whitelist sync, during a
// mint and during a mirror backfill: each time another node carries on within
// 10 s; no approval is lost, the mint happens once, the mirror equals
// balanceOf for every holder with no duplicate transfer, and no nonce is left
// stuck. Then the holder is frozen (SIGSTOP) past its lease during a mint and
// resumed: it broadcasts nothing more, and the mint happens once.
func TestSeveralNodesFailOver(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test with three nodes on PostgreSQL and anvil: skipped in -short mode")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	c := startCluster(ctx, t, 3)
	var took []time.Duration
	var tookOver *clusterNode // the node that took over from the frozen one

	c.step("kill -9 the holder during a whitelist sync", func() {
		var wallets []common.Address
		took = append(took, c.killOwner("with a whitelist batch in the pool", func() {
			c.automine(false)
			wallets = c.approveNew(6, "MN-WL")
			c.waitPooled(1) // the holder signed, recorded and broadcast a batch
		}))
		c.automine(true)
		c.allConfirmed(wallets)
	})

	c.step("kill -9 the holder during a mint", func() {
		before := c.supply()
		var op int64
		took = append(took, c.killOwner("with a mint in the pool", func() {
			c.automine(false)
			op = c.tokenOp("mint", map[string]any{"to": c.investors[0].addr.Hex(), "amount": "17"})
			c.waitPooled(1)
		}))
		c.automine(true)
		c.mine()
		c.waitOp(op, "SUCCEEDED", 30*time.Second)
		c.wantSupply(new(big.Int).Add(before, big.NewInt(17)))
	})

	c.step("kill -9 the holder during a backfill", func() {
		c.caughtUp()
		took = append(took, c.killOwner("with its mirror held mid-backfill", func() {
			owner, _ := c.owner()
			owner.proxy.HoldGetLogsAfter(1)
			c.transfers(150)
			select {
			case <-owner.proxy.Held():
			case <-time.After(30 * time.Second):
				t.Fatal("the holder's mirror never reached its held eth_getLogs")
			}
			t.Cleanup(owner.proxy.Release)
		}))
		for _, n := range c.nodes {
			n.proxy.Release()
		}
		c.caughtUp()
	})

	c.step("SIGSTOP the holder past its lease during a mint, then SIGCONT", func() {
		owner, epoch := c.waitOwner()
		c.useNode(c.running(owner))
		before := c.supply()
		c.automine(false)
		op := c.tokenOp("mint", map[string]any{"to": c.investors[1].addr.Hex(), "amount": "23"})
		c.waitPooled(1)
		if err := owner.p.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
		frozen := time.Now()
		next, d := c.takeover(owner, epoch, frozen)
		took = append(took, d)
		tookOver = next
		// Work the frozen node had started or would start: a new approval.
		wallets := c.approveNew(1, "MN-STOP")
		c.automine(true)
		c.mine()
		c.waitOp(op, "SUCCEEDED", 30*time.Second)
		sent := owner.sends.Load()
		if err := owner.p.cmd.Process.Signal(syscall.SIGCONT); err != nil {
			t.Fatal(err)
		}
		c.allConfirmed(wallets)
		time.Sleep(3 * time.Second) // the resumed node's loops run: leases, operations, sync
		if got := owner.sends.Load(); got != sent {
			t.Fatalf("%s, frozen past its lease, broadcast %d transactions after it resumed", owner.id, got-sent)
		}
		if holder, _ := c.owner(); holder == owner {
			t.Fatalf("%s holds the issuance again right after it resumed", owner.id)
		}
		c.wantSupply(new(big.Int).Add(before, big.NewInt(23)))
		t.Logf("SIGSTOP %s: %s carried on after %s; resumed, it sent nothing", owner.id, next.id, d.Round(time.Millisecond))
	})

	c.step("mirror equals the chain; no nonce stuck", func() {
		c.noNonceStuck()
		c.reconcile()
		c.useNode(tookOver)
		if f := c.metric("stonode_chain_lease_failovers_total"); f < 1 {
			t.Fatalf("%s took a lease over but counts %v failovers", tookOver.id, f)
		}
	})
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	t.Logf("takeover after %d stops: median %s, max %s", len(took), took[len(took)/2].Round(time.Millisecond),
		took[len(took)-1].Round(time.Millisecond))
}

// TestFailoverTimes is the failover benchmark (opt-in: STONODE_BENCH_FAILOVER=n
// kills, at least 10): three nodes, the holder of the issuance's lease killed
// n times while it idles, each time restarted once another took over. It
// prints the median and the maximum takeover time.
func TestFailoverTimes(t *testing.T) {
	kills := 0
	if v := os.Getenv("STONODE_BENCH_FAILOVER"); v != "" {
		if _, err := fmt.Sscanf(v, "%d", &kills); err != nil || kills < 1 {
			t.Fatalf("STONODE_BENCH_FAILOVER=%q: want a number of kills", v)
		}
	}
	if kills == 0 || testing.Short() {
		t.Skip("failover benchmark: set STONODE_BENCH_FAILOVER=10 (kills) to run it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(kills)*time.Minute+3*time.Minute)
	defer cancel()
	c := startCluster(ctx, t, 3)
	var took []time.Duration
	for i := range kills {
		took = append(took, c.killOwner(fmt.Sprintf("(kill %d of %d)", i+1, kills), func() {}))
	}
	slices.Sort(took)
	fmt.Printf("failover over %d kills: median %s, max %s, min %s\n", kills, took[len(took)/2].Round(time.Millisecond),
		took[len(took)-1].Round(time.Millisecond), took[0].Round(time.Millisecond))
}
