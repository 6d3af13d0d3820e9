package chain_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/chain/mirror"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/sealing"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// registerLines is a register read into memory.
type registerLines struct {
	h       registry.RegisterHeader
	entries []registry.RegisterEntry
}

func (l *registerLines) Header(h registry.RegisterHeader) error { l.h = h; return nil }
func (l *registerLines) Entry(e registry.RegisterEntry) error {
	l.entries = append(l.entries, e)
	return nil
}
func (l *registerLines) Totals(registry.RegisterTotals) error { return nil }

// TestRegisterAtRecordDateEqualsBalanceOf: on the simulated chain, mints on
// day D, then (two days later by block time) a forced transfer and another
// mint, then two more days. The register at record date D, found by the mirrored blocks'
// timestamps, is as of the last block of day D (Japan time) and equals
// balanceOf at that block for every wallet, with the address the investor had
// then; the register two days later equals balanceOf at the block of that
// mint, with the address it has since.
func TestRegisterAtRecordDateEqualsBalanceOf(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			r := newSyncRig(t, engine)
			const wa, wb, wc = "0x00000000000000000000000000000000000000a1", "0x00000000000000000000000000000000000000b2", "0x00000000000000000000000000000000000000c3"
			due := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
			var invs []*registry.Investor
			for _, w := range []struct{ ref, wallet string }{{"A", wa}, {"B", wb}, {"C", wc}} {
				inv := r.investor(w.ref, w.wallet, due)
				if _, err := r.st.Approve(r.seller, r.iss.ID, inv.ID, registry.Approval{}); err != nil {
					t.Fatal(err)
				}
				invs = append(invs, inv)
			}
			r.step()
			tok := r.tok.Instance(r.conn.Client, r.d.TokenAddress)
			send := func(data []byte) {
				t.Helper()
				if err := chain.TransactForTest(r.conn, r.ctx, tok, data); err != nil {
					t.Fatal(err)
				}
			}
			addr := common.HexToAddress
			send(r.tok.PackMint(addr(wa), big.NewInt(500)))
			send(r.tok.PackMint(addr(wb), big.NewInt(300)))
			dayEnd, err := r.conn.Client.BlockNumber(r.ctx)
			if err != nil {
				t.Fatal(err)
			}
			head, err := r.conn.Client.HeaderByNumber(r.ctx, new(big.Int).SetUint64(dayEnd))
			if err != nil {
				t.Fatal(err)
			}
			day := time.Unix(int64(head.Time), 0).In(registry.RecordDateZone)
			recordDate := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
			// Two days on: a forced transfer and a mint.
			if err := r.conn.Simulated().AdjustTime(48 * time.Hour); err != nil {
				t.Fatal(err)
			}
			send(r.tok.PackForcedTransfer(addr(wa), addr(wc), big.NewInt(200)))
			send(r.tok.PackMint(addr(wb), big.NewInt(100)))
			last, err := r.conn.Client.BlockNumber(r.ctx)
			if err != nil {
				t.Fatal(err)
			}
			// And two more days, so the chain has passed the second record date.
			if err := r.conn.Simulated().AdjustTime(48 * time.Hour); err != nil {
				t.Fatal(err)
			}
			eng := mirror.New(mirror.Config{ChainID: r.d.ChainID, Token: r.d.TokenAddress, StartBlock: r.d.Block}, r.conn.Client, r.st)
			if err := eng.Sync(r.ctx); err != nil {
				t.Fatal(err)
			}

			// Personal data through a second handle on the database whose clock
			// follows the chain: A lived in Tokyo, and moved the day after D.
			clock := storetest.NewClock(time.Unix(int64(head.Time), 0).Add(72 * time.Hour))
			db, err := store.Open(r.ctx, store.Config{DSN: r.dsn, Clock: clock.Now, Rules: eligibility.Rules{}})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			_, entry, _ := sealing.NewKeyEntry(clock.Now())
			keys, _ := sealing.Parse(entry)
			rec := store.NewRecords(db, keys)
			tokyo := registry.PersonalData{LegalName: "エー株式会社", KanaName: "エーカブシキガイシャ", RepresentativeName: "代表 一郎",
				Address: "東京都千代田区丸の内1-1", TaxCategory: registry.TaxCorporation}
			osaka := tokyo
			osaka.Address = "大阪府大阪市北区梅田3-2"
			long := recordDate.AddDate(0, -1, 0)
			moved := registry.RecordDateCutoff(recordDate).Add(time.Hour)
			for _, ch := range []registry.PersonalDataChange{{Data: tokyo, EffectiveFrom: &long}, {Data: osaka, EffectiveFrom: &moved}} {
				if _, err := rec.SetPersonalData(r.seller, invs[0].ID, ch); err != nil {
					t.Fatal(err)
				}
			}

			check := func(date time.Time, wantBlock uint64, address string) {
				t.Helper()
				var lines registerLines
				q := registry.RegisterQuery{IssuanceID: r.iss.ID, MirrorKey: r.d.ChainID, ChainID: r.d.ChainID, Token: lowerHex(r.d.TokenAddress), RecordDate: &date}
				if err := rec.Register(r.seller, q, &lines); err != nil {
					t.Fatal(err)
				}
				if lines.h.AsOfBlock != wantBlock {
					t.Fatalf("register at %s as of block %d, want %d", date.Format(time.DateOnly), lines.h.AsOfBlock, wantBlock)
				}
				got := map[string]*big.Int{}
				for _, e := range lines.entries {
					if len(e.Wallets) != 1 {
						t.Fatalf("entry %+v", e)
					}
					got[e.Wallets[0]] = e.Balance
					if e.InvestorID != nil && *e.InvestorID == invs[0].ID && (e.Personal == nil || e.Personal.Address != address) {
						t.Fatalf("register at %s: A's address %+v, want %q", date.Format(time.DateOnly), e.Personal, address)
					}
				}
				for _, w := range []string{wa, wb, wc} {
					want, err := bind.Call(tok, &bind.CallOpts{Context: r.ctx, BlockNumber: new(big.Int).SetUint64(wantBlock)}, r.tok.PackBalanceOf(addr(w)), r.tok.UnpackBalanceOf)
					if err != nil {
						t.Fatal(err)
					}
					have := got[w]
					if have == nil {
						have = new(big.Int)
					}
					if have.Cmp(want) != 0 {
						t.Fatalf("register at %s, wallet %s: %s, balanceOf at block %d %s", date.Format(time.DateOnly), w, have, wantBlock, want)
					}
				}
			}
			check(recordDate, dayEnd, tokyo.Address)
			check(recordDate.AddDate(0, 0, 2), last, osaka.Address)
		})
	}
}
