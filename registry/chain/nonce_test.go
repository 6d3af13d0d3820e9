package chain_test

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// TestTwoNodesOneKeyNeverShareANonce: two nodes on one PostgreSQL database
// and one chain, signing with one key, each syncing the whitelist of the
// issuance it holds the lease of, while approvals arrive on both issuances in
// waves. Every entry ends CONFIRMED, no batch failed, each batch is recorded
// once, and every batch transaction has a nonce of its own: the nonce lease
// made the two nodes take turns.
func TestTwoNodesOneKeyNeverShareANonce(t *testing.T) {
	if !slices.Contains(storetest.Engines(t), store.Postgres) {
		t.Skip("several nodes need PostgreSQL: STONODE_TEST_POSTGRES=skip")
	}
	r := newSyncRig(t, store.Postgres)
	second := &registry.Issuance{IssuerName: "I", TokenName: "Osaka", TokenSymbol: "OSK", LegalForm: registry.FormShare,
		FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic}
	if err := r.st.CreateIssuance(r.seller, second); err != nil {
		t.Fatal(err)
	}
	for _, s := range []registry.IssuanceStatus{registry.IssuanceRegistered, registry.IssuanceOffering} {
		if _, err := r.st.TransitionIssuance(r.seller, second.ID, s, ""); err != nil {
			t.Fatal(err)
		}
	}
	d, err := r.conn.Deploy(r.ctx, chain.ParamsFor(second))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.RecordDeployment(r.seller, second.ID, registry.Deployment{ChainID: d.ChainID, TokenAddress: lowerHex(d.TokenAddress),
		RegistryAddress: lowerHex(d.RegistryAddress), Block: d.Block}); err != nil {
		t.Fatal(err)
	}
	other, err := storetest.OpenConfig(r.ctx, store.Config{DSN: r.dsn, Clock: func() time.Time { return t0 }, Rules: eligibility.Rules{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })

	ctx, cancel := context.WithCancel(r.ctx)
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	quiet := slog.New(slog.DiscardHandler)
	var leasers []*chain.Leaser
	for i, n := range []struct {
		st   *storetest.Stores
		conn *chain.Conn
	}{{r.st, r.conn}, {other, chain.SameKeyConnForTest(r.conn)}} {
		l := chain.NewLeaser(store.NewLeases(n.st.DB), n.conn, chain.LeaseConfig{Node: fmt.Sprintf("node-%d", i), Renew: 100 * time.Millisecond}, quiet)
		s := chain.NewSyncer(n.conn, n.st.Outbox, quiet, func() time.Time { return t0 })
		s.Leases = l
		leasers = append(leasers, l)
		wg.Add(2)
		go func() { defer wg.Done(); l.Run(ctx) }()
		go func() { defer wg.Done(); _ = s.Run(ctx, 20*time.Millisecond) }()
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(leasers[0].Held()) != 1 || len(leasers[1].Held()) != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("leases held: %d and %d, want one each", len(leasers[0].Held()), len(leasers[1].Held()))
		}
		time.Sleep(20 * time.Millisecond)
	}

	due := t0.AddDate(3, 0, 0)
	var entries int
	for wave := range 8 {
		for k := range 3 {
			inv := r.investor(fmt.Sprintf("W%d-%d", wave, k), fmt.Sprintf("0x%040x", 0xC000+wave*10+k), due)
			for _, iss := range []int64{r.iss.ID, second.ID} {
				if _, err := r.st.Approve(r.seller, iss, inv.ID, registry.Approval{}); err != nil {
					t.Fatal(err)
				}
				entries++
			}
		}
		time.Sleep(30 * time.Millisecond)
	}

	db, err := sql.Open("pgx", r.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline = time.Now().Add(60 * time.Second)
	for {
		var confirmed int
		if err := db.QueryRowContext(r.ctx, `SELECT COUNT(*) FROM whitelist_entries WHERE sync_state = 'CONFIRMED'`).Scan(&confirmed); err != nil {
			t.Fatal(err)
		}
		if confirmed == entries {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d whitelist entries CONFIRMED", confirmed, entries)
		}
		time.Sleep(50 * time.Millisecond)
	}
	rows, err := db.QueryContext(r.ctx, `SELECT id, issuance_id, status, raw_tx FROM whitelist_batches ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	nonces := map[uint64]int64{}
	perIssuance := map[int64]int{}
	for rows.Next() {
		var id, issuance int64
		var status, raw string
		if err := rows.Scan(&id, &issuance, &status, &raw); err != nil {
			t.Fatal(err)
		}
		if status != string(registry.BatchConfirmed) {
			t.Errorf("batch %d of issuance %d is %s", id, issuance, status)
		}
		b, err := hex.DecodeString(raw)
		if err != nil {
			t.Fatal(err)
		}
		var tx types.Transaction
		if err := tx.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		if prev, dup := nonces[tx.Nonce()]; dup {
			t.Errorf("batches %d and %d were both signed with nonce %d", prev, id, tx.Nonce())
		}
		nonces[tx.Nonce()] = id
		perIssuance[issuance]++
	}
	if perIssuance[r.iss.ID] == 0 || perIssuance[second.ID] == 0 {
		t.Fatalf("batches per issuance: %v", perIssuance)
	}
	t.Logf("%d entries confirmed in %d batches (%v per issuance), each with a nonce of its own", entries, len(nonces), perIssuance)
}
