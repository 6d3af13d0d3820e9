package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/sealing"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// The personal data used throughout: its every string must never appear in
// the database, a log line or an audit record.
var (
	yamada = registry.PersonalData{LegalName: "山田 太郎", KanaName: "ヤマダ タロウ", PostalCode: "1000005",
		Address: "東京都千代田区丸の内一丁目1番1号", TaxCategory: registry.TaxIndividual, Email: "taro@example.jp",
		Phone: "03-1234-5678", ExternalRef: "ACC-000123"}
	movedTo = "大阪府大阪市北区梅田三丁目2番2号"
)

func testKeyring(t testing.TB) *sealing.Keyring {
	t.Helper()
	_, entry, err := sealing.NewKeyEntry(t0)
	if err != nil {
		t.Fatal(err)
	}
	k, err := sealing.Parse(entry)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func asReader() context.Context {
	return registry.WithPrincipal(context.Background(), &registry.Principal{KeyID: "test-reader", Role: registry.RoleReader})
}

type recordsRig struct {
	st      *storetest.Stores
	rec     *store.Records
	clock   *storetest.Clock
	logs    *syncBuffer
	a, b    *registry.Seller
	dsn     string
	engine  store.Dialect
	keyring *sealing.Keyring
}

// syncBuffer is a log sink safe for the store's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newRecordsRig(t testing.TB, engine store.Dialect) *recordsRig {
	t.Helper()
	clock := storetest.NewClock(t0)
	logs := &syncBuffer{}
	dsn := storetest.DSN(t, engine)
	st, err := storetest.OpenConfig(context.Background(), store.Config{DSN: dsn, Clock: clock.Now, Rules: eligibility.Rules{},
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	keys := testKeyring(t)
	r := &recordsRig{st: st, rec: store.NewRecords(st.DB, keys), clock: clock, logs: logs, dsn: dsn, engine: engine, keyring: keys}
	r.a = newSeller(t, st, "7000012050002")
	r.b = newSeller(t, st, "5010401089998")
	return r
}

func (r *recordsRig) investor(t *testing.T, seller *registry.Seller, ref string, person registry.PersonType, wallets ...string) *registry.Investor {
	t.Helper()
	inv := &registry.Investor{CustomerRef: ref, PersonType: person, ResidenceCountry: "JP"}
	for _, w := range wallets {
		inv.Wallets = append(inv.Wallets, registry.Wallet{Address: w})
	}
	if err := r.st.CreateInvestor(asSeller(seller.ID), inv); err != nil {
		t.Fatal(err)
	}
	return inv
}

// assertNoPlaintext fails when any of the personal data's strings shows up
// in s (as stored: trimmed and normalised).
func assertNoPlaintext(t *testing.T, where, s string, d registry.PersonalData) {
	t.Helper()
	d.Normalize()
	for _, v := range []string{d.LegalName, d.KanaName, d.Address, d.PostalCode, d.Email, d.Phone, d.ExternalRef, movedTo, "山田", "丸の内"} {
		if v != "" && strings.Contains(s, v) {
			t.Fatalf("%s holds personal data %q", where, v)
		}
	}
}

// TestPersonalDataIsSealedVersionedAndRedacted: the table (and the SQLite
// file) holds ciphertext only; the onboarding seller and the operator read
// the data, another seller and a reader key get it redacted; every read that
// shows data is audited, and no audit detail or log line holds any of it; a
// change keeps the previous version with its validity interval.
func TestPersonalDataIsSealedVersionedAndRedacted(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		r := newRecordsRig(t, engine)
		ctx := context.Background()
		inv := r.investor(t, r.a, "C-1", registry.PersonIndividual, mAlice)
		first := t0.AddDate(0, 0, -30)
		v1, err := r.rec.SetPersonalData(asSeller(r.a.ID), inv.ID, registry.PersonalDataChange{Data: yamada, EffectiveFrom: &first})
		if err != nil {
			t.Fatal(err)
		}
		if v1.Version != 1 || v1.Data.PostalCode != "100-0005" || !v1.ValidFrom.Equal(first) {
			t.Fatalf("first version: %+v %+v", v1, v1.Data)
		}
		// Another seller may not write it; nor may anyone date a change before
		// the current version or in the future.
		if _, err := r.rec.SetPersonalData(asSeller(r.b.ID), inv.ID, registry.PersonalDataChange{Data: yamada}); registry.ErrorCode(err) != registry.ENOTFOUND {
			t.Fatalf("another seller writes: %v", err)
		}
		for _, at := range []time.Time{first, t0.Add(time.Hour)} {
			if _, err := r.rec.SetPersonalData(asSeller(r.a.ID), inv.ID, registry.PersonalDataChange{Data: yamada, EffectiveFrom: &at}); registry.ErrorCode(err) != registry.EINVALID {
				t.Fatalf("change effective %s: %v", at, err)
			}
		}
		moved := yamada
		moved.Address, moved.PostalCode = movedTo, "530-0001"
		changed := t0.AddDate(0, 0, -10)
		if _, err := r.rec.SetPersonalData(asSeller(r.a.ID), inv.ID, registry.PersonalDataChange{Data: moved, EffectiveFrom: &changed}); err != nil {
			t.Fatal(err)
		}

		// At rest: ciphertext only, in the table and in the database file.
		raw, err := r.st.PersonalTableTextForTest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Count(raw, "\n") != 2 {
			t.Fatalf("want 2 stored versions, got:\n%s", raw)
		}
		assertNoPlaintext(t, "the personal data table", raw, yamada)
		if engine == store.SQLite {
			for _, suffix := range []string{"", "-wal"} {
				b, err := os.ReadFile(r.dsn + suffix)
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				assertNoPlaintext(t, "the SQLite file"+suffix, string(b), yamada)
			}
		}
		// Tampering with a stored version is refused by the schema.
		if err := r.st.ExecForTest(ctx, `UPDATE investor_personal_data SET ciphertext = 'x'`); err == nil {
			t.Fatal("rewriting a version's ciphertext succeeded")
		}

		// Who reads what.
		type reader struct {
			name     string
			ctx      context.Context
			redacted bool
		}
		for _, rd := range []reader{
			{"onboarding seller", asSeller(r.a.ID), false},
			{"operator", operator(), false},
			{"another seller", asSeller(r.b.ID), true},
			{"reader key", asReader(), true},
		} {
			cur, err := r.rec.PersonalData(rd.ctx, inv.ID, nil)
			if err != nil {
				t.Fatalf("%s: %v", rd.name, err)
			}
			if cur.Redacted != rd.redacted || (cur.Data == nil) != rd.redacted {
				t.Fatalf("%s: redacted %v, data %v", rd.name, cur.Redacted, cur.Data != nil)
			}
			if !rd.redacted && (cur.Data.Address != movedTo || cur.Version != 2) {
				t.Fatalf("%s reads the current version: v%d %q", rd.name, cur.Version, cur.Data.Address)
			}
			// As of a date before the move: the first address.
			before := t0.AddDate(0, 0, -20)
			old, err := r.rec.PersonalData(rd.ctx, inv.ID, &before)
			if err != nil {
				t.Fatalf("%s: %v", rd.name, err)
			}
			if old.Version != 1 || old.ValidTo == nil || !old.ValidTo.Equal(changed) {
				t.Fatalf("%s: version at %s: v%d valid to %v", rd.name, before, old.Version, old.ValidTo)
			}
			if !rd.redacted && old.Data.Address != yamada.Address {
				t.Fatalf("%s: old address %q", rd.name, old.Data.Address)
			}
			vs, err := r.rec.PersonalDataVersions(rd.ctx, inv.ID)
			if err != nil || len(vs) != 2 || vs[0].ValidTo == nil || !vs[0].ValidTo.Equal(vs[1].ValidFrom) || vs[1].ValidTo != nil {
				t.Fatalf("%s: versions %+v %v", rd.name, vs, err)
			}
		}
		longAgo := t0.AddDate(-1, 0, 0)
		if _, err := r.rec.PersonalData(asSeller(r.a.ID), inv.ID, &longAgo); registry.ErrorCode(err) != registry.ENOTFOUND {
			t.Fatalf("before the first version: %v", err)
		}

		// Every read that showed data is audited (3 per reader that may read);
		// no audit record or log line holds any personal data.
		audit, err := r.st.Audit(operator(), registry.AuditFilter{Page: registry.Page{Limit: registry.MaxPageLimit}})
		if err != nil {
			t.Fatal(err)
		}
		reads := map[string]int{}
		var all strings.Builder
		for _, a := range audit {
			if a.Action == "personal_data.read" {
				reads[a.Actor]++
			}
			fmt.Fprintf(&all, "%s %s %s\n", a.Action, a.EntityID, a.Detail)
		}
		if reads["test-seller"] != 3 || reads["test-operator"] != 3 || reads["test-reader"] != 0 || len(reads) != 2 {
			t.Fatalf("audited reads: %v", reads)
		}
		if !strings.Contains(all.String(), `"changed":["postalCode","address"]`) {
			t.Fatalf("the change's audit record names the changed fields:\n%s", all.String())
		}
		assertNoPlaintext(t, "the audit log", all.String(), yamada)
		assertNoPlaintext(t, "the store's log", r.logs.String(), yamada)
	})
}

// TestDataKeyRotationKeepsEveryRecordReadable: a rotation re-wraps every
// record under the new master key while a node that loaded the key file
// before the rotation keeps reading every record throughout; afterwards the
// old key alone opens nothing and the new key alone opens everything.
func TestDataKeyRotationKeepsEveryRecordReadable(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		r := newRecordsRig(t, engine)
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "data.key")
		oldID, err := sealing.AppendKey(path, t0)
		if err != nil {
			t.Fatal(err)
		}
		running, err := sealing.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		node := store.NewRecords(r.st.DB, running)
		const n = 40
		var ids []int64
		for i := 0; i < n; i++ {
			inv := r.investor(t, r.a, fmt.Sprintf("R-%d", i), registry.PersonIndividual, fmt.Sprintf("0x%040x", 0xF000+i))
			ids = append(ids, inv.ID)
			d := yamada
			d.ExternalRef = fmt.Sprintf("ACC-%d", i)
			if _, err := node.SetPersonalData(asSeller(r.a.ID), inv.ID, registry.PersonalDataChange{Data: d}); err != nil {
				t.Fatal(err)
			}
			if i%4 == 0 { // some investors have two versions
				r.clock.Set(r.clock.Now().Add(time.Minute))
				d.Address = movedTo
				if _, err := node.SetPersonalData(asSeller(r.a.ID), inv.ID, registry.PersonalDataChange{Data: d}); err != nil {
					t.Fatal(err)
				}
			}
		}
		readAll := func(rec *store.Records) error {
			for i, id := range ids {
				vs, err := rec.PersonalDataVersions(operator(), id)
				if err != nil {
					return err
				}
				if vs[0].Data.ExternalRef != fmt.Sprintf("ACC-%d", i) {
					return fmt.Errorf("investor %d reads %q", id, vs[0].Data.ExternalRef)
				}
			}
			return nil
		}

		// A second node that loads the file now: for up to a second it will
		// not look at the file again unless a record names a key it lacks.
		oldKeys, err := sealing.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		newID, err := sealing.AppendKey(path, t0)
		if err != nil {
			t.Fatal(err)
		}
		rotator, err := sealing.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		// The running node reads on, and writes new versions while the
		// rotation runs: for the first half second through the second node,
		// which seals under the old key until it re-reads the file (passes
		// after the first catch those), then through the first.
		stale := store.NewRecords(r.st.DB, oldKeys)
		stop := make(chan struct{})
		readErr, writeErr := make(chan error, 1), make(chan error, 1)
		go func() {
			defer close(readErr)
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := readAll(node); err != nil {
					readErr <- err
					return
				}
			}
		}()
		written := 0
		began := time.Now()
		go func() {
			defer close(writeErr)
			d := yamada
			d.ExternalRef = "ACC-1"
			for {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
				r.clock.Set(r.clock.Now().Add(time.Second))
				d.Phone = fmt.Sprintf("03-0000-%04d", written)
				writer := node
				if time.Since(began) < 500*time.Millisecond {
					writer = stale
				}
				if _, err := writer.SetPersonalData(asSeller(r.a.ID), ids[1], registry.PersonalDataChange{Data: d}); err != nil {
					writeErr <- err
					return
				}
				written++
			}
		}()
		done, err := store.NewRecords(r.st.DB, rotator).RotateDataKeys(ctx, 7)
		close(stop)
		if err != nil {
			t.Fatal(err)
		}
		if err := <-readErr; err != nil {
			t.Fatalf("a running node failed to read during the rotation: %v", err)
		}
		if err := <-writeErr; err != nil {
			t.Fatalf("a running node failed to write during the rotation: %v", err)
		}
		if done < n+n/4 {
			t.Fatalf("re-wrapped %d records, want at least %d", done, n+n/4)
		}
		// Every version, those the node wrote meanwhile included, is under
		// the new key (a write after the rotation returned is, too: the node
		// re-read its key file during the rotation's passes).
		use, err := node.PersonalKeyUse(ctx)
		if err != nil || len(use) != 1 || use[newID] != int64(n+n/4+written) {
			t.Fatalf("key use after rotation (%d versions written meanwhile): %v %v", written, use, err)
		}
		if again, err := store.NewRecords(r.st.DB, rotator).RotateDataKeys(ctx, 7); err != nil || again != 0 {
			t.Fatalf("a second rotation re-wrapped %d (%v)", again, err)
		}
		if err := readAll(node); err != nil {
			t.Fatalf("the running node after the rotation: %v", err)
		}
		// The running node's keyring picked up the new key as current.
		if running.CurrentID() != newID {
			t.Fatalf("running keyring's current key %s, want %s", running.CurrentID(), newID)
		}
		text, _ := os.ReadFile(path)
		var oldOnly, newOnly string
		for _, line := range strings.Split(string(text), "\n") {
			switch {
			case strings.HasPrefix(line, oldID+":"):
				oldOnly = line
			case strings.HasPrefix(line, newID+":"):
				newOnly = line
			}
		}
		kNew, _ := sealing.Parse(newOnly)
		if err := readAll(store.NewRecords(r.st.DB, kNew)); err != nil {
			t.Fatalf("the new key alone: %v", err)
		}
		kOld, _ := sealing.Parse(oldOnly)
		if err := readAll(store.NewRecords(r.st.DB, kOld)); err == nil {
			t.Fatal("the old key alone still opens the records: nothing was re-wrapped")
		}
	})
}

// registerRig mirrors a history of transfers in dated blocks:
//
//	block 10 (2026-03-30 10:00 JST): mint 100 to alice (investor of A), 50 to bob (of B), 7 to a stranger
//	block 20 (2026-03-31 23:59 JST): alice sends 30 to carol (of A)
//	block 30 (2026-04-01 00:00 JST): bob sends 50 to alice — after a 2026-03-31 record date
//	block 40 (2026-04-02 12:00 JST): head
type registerRig struct {
	*recordsRig
	iss                *registry.Issuance
	alice, bob, carol  *registry.Investor
	stranger           string
	q                  registry.RegisterQuery
	aliceMoved         time.Time
	recordDate, before time.Time
}

func jst(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, registry.RecordDateZone)
}

func newRegisterRig(t *testing.T, engine store.Dialect) *registerRig {
	t.Helper()
	r := &registerRig{recordsRig: newRecordsRig(t, engine), stranger: "0x9999999999999999999999999999999999999999"}
	r.clock.Set(jst(2026, 4, 3, 9, 0))
	r.iss = &registry.Issuance{IssuerName: "発行体", TokenName: "T", TokenSymbol: "T", LegalForm: registry.FormShare,
		FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic}
	if err := r.st.CreateIssuance(asSeller(r.a.ID), r.iss); err != nil {
		t.Fatal(err)
	}
	r.alice = r.investor(t, r.a, "ALICE", registry.PersonIndividual, mAlice)
	r.bob = r.investor(t, r.b, "BOB", registry.PersonCorporation, mBob)
	r.carol = r.investor(t, r.a, "CAROL", registry.PersonIndividual, mCarol)
	first := jst(2026, 1, 1, 0, 0)
	set := func(seller *registry.Seller, inv *registry.Investor, d registry.PersonalData, from time.Time) {
		t.Helper()
		if _, err := r.rec.SetPersonalData(asSeller(seller.ID), inv.ID, registry.PersonalDataChange{Data: d, EffectiveFrom: &from}); err != nil {
			t.Fatal(err)
		}
	}
	set(r.a, r.alice, yamada, first)
	set(r.b, r.bob, registry.PersonalData{LegalName: "株式会社ボブ", KanaName: "カブシキガイシャボブ", RepresentativeName: "代表 一郎",
		Address: "福岡県福岡市中央区天神1-1", TaxCategory: registry.TaxCorporation}, first)
	// Carol has no personal data. Alice moves on April 1st.
	r.aliceMoved = jst(2026, 4, 1, 0, 0)
	moved := yamada
	moved.Address, moved.PostalCode = movedTo, "530-0001"
	set(r.a, r.alice, moved, r.aliceMoved)

	blocks := []struct {
		n     uint64
		at    time.Time
		moves []move
	}{
		{10, jst(2026, 3, 30, 10, 0), []move{{10, registry.ZeroAddress, mAlice, big.NewInt(100)}, {10, registry.ZeroAddress, mBob, big.NewInt(50)},
			{10, registry.ZeroAddress, r.stranger, big.NewInt(7)}}},
		{20, jst(2026, 3, 31, 23, 59), []move{{20, mAlice, mCarol, big.NewInt(30)}}},
		{30, jst(2026, 4, 1, 0, 0), []move{{30, mBob, mAlice, big.NewInt(50)}}},
	}
	var parent *registry.ChainBlock
	for _, blk := range blocks {
		b := mirrorBatch(parent, blk.n, "a", blk.moves...)
		for i := range b.Blocks {
			b.Blocks[i].Time = uint64(blk.at.Unix())
		}
		b.Head.Time = uint64(blk.at.Unix())
		if err := r.st.Apply(context.Background(), b); err != nil {
			t.Fatal(err)
		}
		parent = &b.Head
	}
	head := mirrorBatch(parent, 40, "a")
	head.Head.Time = uint64(jst(2026, 4, 2, 12, 0).Unix())
	head.Blocks = []registry.ChainBlock{head.Head}
	if err := r.st.Apply(context.Background(), head); err != nil {
		t.Fatal(err)
	}
	r.recordDate = time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	r.q = registry.RegisterQuery{IssuanceID: r.iss.ID, MirrorKey: mChain, ChainID: mChain, Token: mToken, RecordDate: &r.recordDate}
	return r
}

// collected is a register read into memory, for tests.
type collected struct {
	h       registry.RegisterHeader
	entries []registry.RegisterEntry
	tot     registry.RegisterTotals
}

func (c *collected) Header(h registry.RegisterHeader) error { c.h = h; return nil }
func (c *collected) Entry(e registry.RegisterEntry) error {
	c.entries = append(c.entries, e)
	return nil
}
func (c *collected) Totals(t registry.RegisterTotals) error { c.tot = t; return nil }
func (c *collected) byInvestor(id int64) *registry.RegisterEntry {
	for i := range c.entries {
		if e := &c.entries[i]; e.InvestorID != nil && *e.InvestorID == id {
			return e
		}
	}
	return nil
}

// TestRegisterAtRecordDate: the register at 2026-03-31 is as of block 20 (the
// last before 2026-04-01 00:00 JST), shows Alice's address before her move on
// April 1st, her balance then, Bob's names redacted to the lead seller (Bob
// is another seller's investor) but not to the operator, and the stranger's
// wallet flagged; a record date the chain has not passed is refused.
func TestRegisterAtRecordDate(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		r := newRegisterRig(t, engine)
		var lead collected
		if err := r.rec.Register(asSeller(r.a.ID), r.q, &lead); err != nil {
			t.Fatal(err)
		}
		if lead.h.AsOfBlock != 20 || lead.h.RecordDate != "2026-03-31" || lead.h.TotalSupply.Int64() != 157 ||
			!lead.h.NamesAsOf.Before(r.aliceMoved) || lead.h.AsOfTime == nil || !lead.h.AsOfTime.Equal(jst(2026, 3, 31, 23, 59)) {
			t.Fatalf("header: %+v", lead.h)
		}
		alice := lead.byInvestor(r.alice.ID)
		if alice == nil || alice.Balance.Int64() != 70 || alice.Personal == nil || alice.Personal.Address != yamada.Address || alice.PersonalVersion != 1 {
			t.Fatalf("alice at the record date: %+v", alice)
		}
		bob := lead.byInvestor(r.bob.ID)
		if bob == nil || bob.Balance.Int64() != 50 || !bob.Redacted || bob.Personal != nil {
			t.Fatalf("bob to the lead seller: %+v", bob)
		}
		carol := lead.byInvestor(r.carol.ID)
		if carol == nil || carol.Balance.Int64() != 30 || carol.Personal != nil || carol.Redacted || carol.PersonalVersion != 0 {
			t.Fatalf("carol: %+v", carol)
		}
		last := lead.entries[len(lead.entries)-1]
		if !last.Unattributed() || last.Wallets[0] != r.stranger || last.Balance.Int64() != 7 {
			t.Fatalf("the stranger's wallet: %+v", last)
		}
		if lead.tot.Investors != 3 || lead.tot.Wallets != 4 || lead.tot.UnattributedWallets != 1 || lead.tot.Redacted != 1 ||
			lead.tot.WithoutPersonalData != 1 || lead.tot.Balance.Int64() != 157 {
			t.Fatalf("totals: %+v", lead.tot)
		}
		var op collected
		if err := r.rec.Register(operator(), r.q, &op); err != nil {
			t.Fatal(err)
		}
		if b := op.byInvestor(r.bob.ID); b.Redacted || b.Personal == nil || b.Personal.LegalName != "株式会社ボブ" {
			t.Fatalf("bob to the operator: %+v", b)
		}
		// The next day: after the transfer and the move.
		next := r.recordDate.AddDate(0, 0, 1)
		q := r.q
		q.RecordDate = &next
		var after collected
		if err := r.rec.Register(asSeller(r.a.ID), q, &after); err != nil {
			t.Fatal(err)
		}
		if a := after.byInvestor(r.alice.ID); after.h.AsOfBlock != 30 || a.Balance.Int64() != 120 || a.Personal.Address != movedTo {
			t.Fatalf("alice on April 1st: block %d %+v", after.h.AsOfBlock, a)
		}
		if after.byInvestor(r.bob.ID) != nil {
			t.Fatal("bob holds nothing after block 30 but is listed")
		}
		// At a block: block 25 holds block 20's balances and is dated by it.
		blk := uint64(25)
		q = r.q
		q.RecordDate, q.Block = nil, &blk
		var atBlock collected
		if err := r.rec.Register(operator(), q, &atBlock); err != nil {
			t.Fatal(err)
		}
		if atBlock.h.AsOfBlock != 25 || atBlock.h.AsOfTime != nil || atBlock.byInvestor(r.alice.ID).Balance.Int64() != 70 {
			t.Fatalf("register at block 25: %+v", atBlock.h)
		}
		// A date before the token's first block: empty; one the chain has not
		// passed, or a block not mirrored, is refused; another seller may not read it.
		early := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		q = r.q
		q.RecordDate = &early
		var empty collected
		if err := r.rec.Register(operator(), q, &empty); err != nil || len(empty.entries) != 0 || empty.h.AsOfBlock != 0 {
			t.Fatalf("register before the token: %+v %v", empty, err)
		}
		late := time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)
		q.RecordDate = &late
		if err := r.rec.Register(operator(), q, &collected{}); registry.ErrorCode(err) != registry.ECONFLICT {
			t.Fatalf("a record date not over: %v", err)
		}
		blk = 41
		q.RecordDate, q.Block = nil, &blk
		if err := r.rec.Register(operator(), q, &collected{}); registry.ErrorCode(err) != registry.ECONFLICT {
			t.Fatalf("a block not mirrored: %v", err)
		}
		if err := r.rec.Register(asSeller(r.b.ID), r.q, &collected{}); registry.ErrorCode(err) != registry.ENOTFOUND {
			t.Fatalf("a seller that does not handle the issuance reads the register: %v", err)
		}
		// Each read is audited with what it showed.
		audit, _ := r.st.Audit(operator(), registry.AuditFilter{Action: "register.read", Page: registry.Page{Limit: 100}})
		if len(audit) != 5 || !strings.Contains(audit[0].Detail, `"personalDataShown":1`) || !strings.Contains(audit[0].Detail, `"redacted":1`) {
			t.Fatalf("register reads audited: %d %v", len(audit), audit)
		}
	})
}

// TestRegisterSnapshotIsFinalAndHashed: a finalised register is stored with
// the SHA-256 of its canonical CSV; fetching it streams the same lines (the
// operator's CSV hashes to the recorded value), later changes to personal
// data do not change it, finalising again returns it, and the schema refuses
// any change to it.
func TestRegisterSnapshotIsFinalAndHashed(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		r := newRegisterRig(t, engine)
		ctx := context.Background()
		sn, err := r.rec.FinaliseRegister(asSeller(r.a.ID), r.q)
		if err != nil {
			t.Fatal(err)
		}
		if sn.AlreadyMade || sn.Header.AsOfBlock != 20 || sn.Totals.Investors != 3 || len(sn.SHA256) != 64 {
			t.Fatalf("snapshot: %+v", sn)
		}
		// The live register's CSV, every name shown, is what was hashed.
		var live bytes.Buffer
		if err := r.rec.Register(operator(), r.q, registry.NewRegisterCSV(&live, true)); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(live.Bytes())
		if hex.EncodeToString(sum[:]) != sn.SHA256 {
			t.Fatalf("snapshot hash %s, live CSV hashes to %x:\n%s", sn.SHA256, sum, live.String())
		}
		// Alice corrects her record later; the snapshot keeps what it showed.
		r.clock.Set(r.clock.Now().Add(time.Hour))
		fix := yamada
		fix.LegalName = "山田 花子"
		if _, err := r.rec.SetPersonalData(asSeller(r.a.ID), r.alice.ID, registry.PersonalDataChange{Data: fix}); err != nil {
			t.Fatal(err)
		}
		var stored bytes.Buffer
		got, err := r.rec.RegisterSnapshot(operator(), r.iss.ID, sn.ID, registry.NewRegisterCSV(&stored, true))
		if err != nil {
			t.Fatal(err)
		}
		if got.SHA256 != sn.SHA256 || !bytes.Equal(stored.Bytes(), live.Bytes()) {
			t.Fatalf("the stored snapshot differs from the register it finalised:\n%s\n---\n%s", stored.String(), live.String())
		}
		var redacted collected
		if _, err := r.rec.RegisterSnapshot(asSeller(r.a.ID), r.iss.ID, sn.ID, &redacted); err != nil {
			t.Fatal(err)
		}
		if b := redacted.byInvestor(r.bob.ID); b == nil || !b.Redacted || b.Personal != nil {
			t.Fatalf("bob in the snapshot, to the lead seller: %+v", b)
		}
		again, err := r.rec.FinaliseRegister(operator(), r.q)
		if err != nil || !again.AlreadyMade || again.ID != sn.ID || again.SHA256 != sn.SHA256 {
			t.Fatalf("finalising again: %+v %v", again, err)
		}
		list, err := r.rec.RegisterSnapshots(asSeller(r.a.ID), r.iss.ID)
		if err != nil || len(list) != 1 || list[0].ID != sn.ID {
			t.Fatalf("snapshots: %+v %v", list, err)
		}
		if _, err := r.rec.RegisterSnapshot(operator(), r.iss.ID, sn.ID+1, nil); registry.ErrorCode(err) != registry.ENOTFOUND {
			t.Fatalf("a missing snapshot: %v", err)
		}
		for _, stmt := range []string{`UPDATE register_snapshots SET sha256 = 'x'`, `DELETE FROM register_snapshot_rows`,
			`UPDATE register_snapshot_rows SET balance = '1'`} {
			if err := r.st.ExecForTest(ctx, stmt); err == nil {
				t.Fatalf("%s succeeded on a finalised snapshot", stmt)
			}
		}
		// A record date the chain has not passed cannot be finalised.
		late := time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)
		q := r.q
		q.RecordDate = &late
		if _, err := r.rec.FinaliseRegister(operator(), q); registry.ErrorCode(err) != registry.ECONFLICT {
			t.Fatalf("finalising a record date not over: %v", err)
		}
	})
}

// TestRegisterPagesThroughManyHolders: more investors than one page, each with
// two wallets one of which is emptied, come out once each, in id order, with
// the right totals.
func TestRegisterPagesThroughManyHolders(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		r := newRecordsRig(t, engine)
		ctx := context.Background()
		iss := &registry.Issuance{IssuerName: "I", TokenName: "T", TokenSymbol: "T", LegalForm: registry.FormShare,
			FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic}
		if err := r.st.CreateIssuance(asSeller(r.a.ID), iss); err != nil {
			t.Fatal(err)
		}
		const n = 520 // more than one page (500) of investors and of unattributed wallets
		var moves []move
		for i := 0; i < n; i++ {
			w1, w2 := fmt.Sprintf("0x%040x", 0x100000+i), fmt.Sprintf("0x%040x", 0x200000+i)
			r.investor(t, r.a, fmt.Sprintf("P-%d", i), registry.PersonIndividual, w1, w2)
			moves = append(moves, move{5, registry.ZeroAddress, w1, big.NewInt(int64(i + 1))}, move{5, registry.ZeroAddress, w2, big.NewInt(1)},
				move{6, w2, r.stranger(i), big.NewInt(1)})
		}
		b := mirrorBatch(nil, 6, "a", moves...)
		for i := range b.Blocks {
			b.Blocks[i].Time = uint64(t0.Unix())
		}
		if err := r.st.Apply(ctx, b); err != nil {
			t.Fatal(err)
		}
		blk := uint64(6)
		var c collected
		if err := r.rec.Register(operator(), registry.RegisterQuery{IssuanceID: iss.ID, MirrorKey: mChain, ChainID: mChain, Token: mToken, Block: &blk}, &c); err != nil {
			t.Fatal(err)
		}
		if c.tot.Investors != n || c.tot.UnattributedWallets != n || len(c.entries) != 2*n || c.tot.WithoutPersonalData != n {
			t.Fatalf("totals %+v, %d entries", c.tot, len(c.entries))
		}
		want := int64(n*(n+1)/2 + n)
		if c.tot.Balance.Int64() != want || c.h.TotalSupply.Int64() != want {
			t.Fatalf("balance %v supply %v, want %d", c.tot.Balance, c.h.TotalSupply, want)
		}
		prev := int64(0)
		for i, e := range c.entries[:n] {
			if e.InvestorID == nil || *e.InvestorID <= prev || len(e.Wallets) != 1 || e.Balance.Int64() != int64(i+1) {
				t.Fatalf("entry %d: %+v", i, e)
			}
			prev = *e.InvestorID
		}
	})
}

func (r *recordsRig) stranger(i int) string { return fmt.Sprintf("0x%040x", 0x300000+i) }

// TestRegisterInvestorWithMoreWalletsThanAPage: an investor whose wallets
// (put in below the API, which allows 100) fill more than a page is read
// whole, once, between its neighbours.
func TestRegisterInvestorWithMoreWalletsThanAPage(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		r := newRecordsRig(t, engine)
		ctx := context.Background()
		iss := &registry.Issuance{IssuerName: "I", TokenName: "T", TokenSymbol: "T", LegalForm: registry.FormShare,
			FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic}
		if err := r.st.CreateIssuance(asSeller(r.a.ID), iss); err != nil {
			t.Fatal(err)
		}
		before := r.investor(t, r.a, "BEFORE", registry.PersonIndividual, "0x00000000000000000000000000000000000000f1")
		many := r.investor(t, r.a, "MANY", registry.PersonIndividual)
		after := r.investor(t, r.a, "AFTER", registry.PersonIndividual, "0x00000000000000000000000000000000000000f2")
		moves := []move{{5, registry.ZeroAddress, "0x00000000000000000000000000000000000000f1", big.NewInt(1)},
			{5, registry.ZeroAddress, "0x00000000000000000000000000000000000000f2", big.NewInt(2)}}
		const wallets = 600 // more than a page (500)
		var values []string
		var args []any
		for i := 0; i < wallets; i++ {
			w := fmt.Sprintf("0x%040x", 0x500000+i)
			values = append(values, "(?, ?, '', FALSE, ?)")
			args = append(args, w, many.ID, t0)
			moves = append(moves, move{5, registry.ZeroAddress, w, big.NewInt(10)})
		}
		if err := r.st.ExecForTest(ctx, `INSERT INTO wallets (address, investor_id, label, frozen, created_at) VALUES `+
			strings.Join(values, ", "), args...); err != nil {
			t.Fatal(err)
		}
		b := mirrorBatch(nil, 6, "a", moves...)
		if err := r.st.Apply(ctx, b); err != nil {
			t.Fatal(err)
		}
		blk := uint64(6)
		var c collected
		if err := r.rec.Register(operator(), registry.RegisterQuery{IssuanceID: iss.ID, MirrorKey: mChain, ChainID: mChain, Token: mToken, Block: &blk}, &c); err != nil {
			t.Fatal(err)
		}
		if len(c.entries) != 3 || *c.entries[0].InvestorID != before.ID || *c.entries[1].InvestorID != many.ID || *c.entries[2].InvestorID != after.ID {
			t.Fatalf("entries: %d %+v", len(c.entries), c.entries)
		}
		if e := c.entries[1]; len(e.Wallets) != wallets || e.Balance.Int64() != 10*wallets {
			t.Fatalf("the investor with %d wallets: %d wallets, balance %s", wallets, len(e.Wallets), e.Balance)
		}
		if c.tot.Wallets != wallets+2 || c.tot.Balance.Int64() != 10*wallets+3 {
			t.Fatalf("totals %+v", c.tot)
		}
	})
}
