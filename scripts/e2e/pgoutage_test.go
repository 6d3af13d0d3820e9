package e2e

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// pgOutage is how long the test's PostgreSQL is down.
const pgOutage = 20 * time.Second

// TestPostgresOutage runs stonode on a PostgreSQL cluster of its own and
// stops that cluster for 20 s between a mint's broadcast and its mining:
// meanwhile the API answers 503 unavailable (never 500) and /readyz says not
// ready; once the database is back, the mint is recorded SUCCEEDED, once.
func TestPostgresOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test with a throwaway PostgreSQL cluster: skipped in -short mode")
	}
	if _, err := exec.LookPath("pg_createcluster"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pg_createcluster is missing: CI must run this test (install postgresql-common)")
		}
		t.Skip("pg_createcluster not installed")
	}
	root := repoRoot(t)
	anvilBin := anvilBinary(t, root)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	dir := t.TempDir()
	bin := buildStonode(ctx, t, root, dir)
	dsn, pgStop, pgStart := throwawayCluster(ctx, t)

	chain := startAnvil(ctx, t, anvilBin, "--silent")
	e := startScenario(ctx, t, chain, &stonode{bin: bin, dataDir: filepath.Join(dir, "data"), rpcURL: chain.url,
		logPath: filepath.Join(dir, "stonode.log"), db: dsn}, 9)

	e.step("PostgreSQL stopped for 20 s between a mint's broadcast and receipt", func() {
		// The mint is broadcast, then the database goes away, then the mint
		// is mined: its outcome cannot be recorded until the database is back.
		e.automine(false)
		op := e.tokenOp("mint", map[string]any{"to": e.investors[0].addr.Hex(), "amount": "17"})
		e.waitPooled(1)
		pgStop()
		stopped := time.Now()
		e.mine()
		e.automine(true)
		statuses := map[int]int{}
		for time.Since(stopped) < pgOutage {
			r := e.api.do(ctx, "GET", fmt.Sprintf("/v1/issuances/%d", e.issuance), e.sellerKey, nil)
			statuses[r.status]++
			if r.status >= 500 && r.status != 503 {
				t.Fatalf("during the outage: %d %s", r.status, r.raw)
			}
			if r.status == 503 && !strings.Contains(string(r.raw), `"unavailable"`) {
				t.Fatalf("503 without the unavailable code: %s", r.raw)
			}
			time.Sleep(250 * time.Millisecond)
		}
		if r := e.api.do(ctx, "GET", "/readyz", "", nil); r.status != 503 {
			t.Fatalf("/readyz during the outage: %d %s", r.status, r.raw)
		}
		pgStart()
		took := e.waitOp(op, "SUCCEEDED", 60*time.Second)
		e.wantSupply(new(big.Int).SetInt64(5*mintEach + 17))
		e.waitReady(true, 30*time.Second)
		t.Logf("PostgreSQL down %s: answers by status %v; the mint SUCCEEDED %s after the database was back, once",
			pgOutage, statuses, took)
	})
}

// throwawayCluster creates and starts a PostgreSQL cluster of the test's own
// (trust authentication on a free port) so the test can stop it without
// touching the shared server; it returns its DSN and stop/start functions.
func throwawayCluster(ctx context.Context, t *testing.T) (dsn string, stop, start func()) {
	t.Helper()
	versions, err := os.ReadDir("/etc/postgresql")
	if err != nil || len(versions) == 0 {
		t.Fatalf("no PostgreSQL installation under /etc/postgresql: %v", err)
	}
	version := versions[0].Name()
	name := fmt.Sprintf("stonode_e2e_%d", os.Getpid())
	port := freePort(t)
	run := func(args ...string) {
		t.Helper()
		cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		if out, err := exec.CommandContext(cctx, args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("pg_createcluster", version, name, "--port", strconv.Itoa(port), "--", "--auth-local=trust", "--auth-host=trust")
	t.Cleanup(func() { _ = exec.Command("pg_dropcluster", "--stop", version, name).Run() })
	start = func() { run("pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start") }
	stop = func() { run("pg_ctlcluster", "--skip-systemctl-redirect", version, name, "stop", "-m", "fast") }
	start()
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port), stop, start
}
