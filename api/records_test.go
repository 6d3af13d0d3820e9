package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"github.com/stonode/stonode/api"
	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/sealing"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// lockedBuffer collects the server's log lines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// recordsNode is a node with personal data and the register, logging at
// debug level into a buffer.
func startRecordsNode(t *testing.T, engine store.Dialect) (*node, *lockedBuffer) {
	t.Helper()
	clock := storetest.NewClock(time.Date(2026, 4, 3, 0, 0, 0, 0, time.UTC))
	st := storetest.Open(t, engine, clock.Now)
	_, entry, err := sealing.NewKeyEntry(clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := sealing.Parse(entry)
	if err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	srv := httptest.NewServer(api.New(st, api.Options{Clock: clock.Now, Mirror: st, Records: store.NewRecords(st.DB, keys),
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}))
	t.Cleanup(srv.Close)
	return &node{t: t, url: srv.URL, st: st, clock: clock}, logs
}

func (n *node) raw(method, path, key string) (*http.Response, []byte) {
	n.t.Helper()
	req, _ := http.NewRequest(method, n.url+path, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		n.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		n.t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp, b
}

// TestPersonalDataAndRegisterOverHTTP: personal data written by the onboarding
// seller is read by it and the operator, redacted for another seller and a
// reader key; the register at a record date is exported as JSON and as CSV
// (UTF-8 with BOM, Japanese header, the names valid at that date; Shift_JIS on
// request) and finalised into a snapshot whose hash the operator's download
// matches; no log line holds any personal data.
func TestPersonalDataAndRegisterOverHTTP(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			n, logs := startRecordsNode(t, engine)
			f := n.edgeFixture(nil) // seller A, its key, an issuance in OFFERING, investor A with wallet(1)
			otherID := n.must(201, "POST", "/v1/sellers", f.op, sellerBody("5010401089998")).str("id")
			other := n.must(201, "POST", "/v1/sellers/"+otherID+"/keys", f.op, map[string]any{}).str("key")
			reader := n.must(201, "POST", "/v1/keys", f.op, map[string]any{"role": "reader", "name": "venue"}).str("key")
			corp := n.must(201, "POST", "/v1/investors", f.sk, investorBody("B", wallet(2), map[string]any{"personType": "CORPORATION", "dateOfBirth": nil})).str("id")

			pd := "/v1/investors/" + f.investor + "/personal-data"
			body := map[string]any{"legalName": "山田 太郎", "kanaName": "ヤマダ タロウ", "postalCode": "100-0005",
				"address": "東京都千代田区丸の内一丁目1番1号", "taxCategory": "INDIVIDUAL", "externalRef": "=HYPERLINK(1)",
				"effectiveFrom": "2026-01-01"}
			v1 := n.must(200, "PUT", pd, f.sk, body)
			if v1.str("version") != "1" || v1.str("data", "address") != body["address"] || v1.str("validFrom") != "2025-12-31T15:00:00Z" {
				t.Fatalf("first version: %s", v1.raw)
			}
			// Alice moves on 2026-04-01 (Japan time).
			body["address"], body["postalCode"], body["effectiveFrom"] = "大阪府大阪市北区梅田三丁目2番2号", "530-0001", "2026-04-01"
			n.must(200, "PUT", pd, f.sk, body)
			n.must(200, "PUT", "/v1/investors/"+corp+"/personal-data", f.sk, map[string]any{"legalName": "株式会社𠮷野家", "kanaName": "カブシキガイシャヨシノヤ",
				"representativeName": "代表 一郎", "address": "福岡県福岡市", "taxCategory": "CORPORATION", "effectiveFrom": "2026-01-01"})

			for _, c := range []struct {
				name, key string
				redacted  bool
			}{{"onboarding seller", f.sk, false}, {"operator", f.op, false}, {"another seller", other, true}, {"reader key", reader, true}} {
				r := n.must(200, "GET", pd, c.key, nil)
				if (r.str("redacted") == "true") != c.redacted || (r.body["data"] == nil) != c.redacted || r.str("version") != "2" {
					t.Fatalf("%s: %s", c.name, r.raw)
				}
				old := n.must(200, "GET", pd+"?at=2026-03-31", c.key, nil)
				if old.str("version") != "1" || !c.redacted && old.str("data", "address") != "東京都千代田区丸の内一丁目1番1号" {
					t.Fatalf("%s, as of 2026-03-31: %s", c.name, old.raw)
				}
				if vs := n.must(200, "GET", pd+"/versions", c.key, nil); len(vs.body["items"].([]any)) != 2 {
					t.Fatalf("%s: versions %s", c.name, vs.raw)
				}
			}
			n.must(404, "PUT", pd, other, body)                                            // another seller's investor
			n.must(403, "PUT", pd, reader, body)                                           // a reader writes nothing
			n.must(400, "PUT", pd, f.sk, map[string]any{"legalName": "x"})                 // fields missing
			n.must(400, "GET", pd+"?at=yesterday", f.sk, nil)                              // not a date
			n.must(404, "GET", "/v1/investors/999/personal-data", f.sk, nil)               // no such investor
			n.must(400, "PUT", pd, f.sk, map[string]any{"legalName": "x", "nickname": ""}) // unknown field

			// A mirrored history on the issuance's token: alice gets 100 on
			// March 30th, sends 40 to the corporation's wallet on April 1st, and
			// a stranger holds 5.
			const token = "0x00000000000000000000000000000000000000aa"
			iss := mustID(t, f.issuance)
			sc := registry.WithPrincipal(context.Background(), &registry.Principal{KeyID: "s", Role: registry.RoleSeller, SellerID: mustID(t, f.sellerID)})
			if _, err := n.st.RecordDeployment(sc, iss, registry.Deployment{ChainID: 1337, TokenAddress: token,
				RegistryAddress: "0x00000000000000000000000000000000000000bb", Block: 1}); err != nil {
				t.Fatal(err)
			}
			stranger := "0x9999999999999999999999999999999999999999"
			jst := func(d, h int) uint64 {
				return uint64(time.Date(2026, 3, d, h, 0, 0, 0, registry.RecordDateZone).Unix())
			}
			hash := func(b uint64) string { return fmt.Sprintf("0x%064x", b) }
			var parent *registry.ChainBlock
			for _, b := range []struct {
				n, at uint64
				moves [][3]string
			}{
				{5, jst(30, 10), [][3]string{{registry.ZeroAddress, wallet(1), "100"}, {registry.ZeroAddress, stranger, "5"}}},
				{8, jst(32, 9), [][3]string{{wallet(1), wallet(2), "40"}}}, // April 1st
				{9, jst(33, 9), nil},
			} {
				batch := registry.MirrorBatch{ChainID: 1337, Token: token, Parent: parent, Head: registry.ChainBlock{Number: b.n, Hash: hash(b.n), Time: b.at}}
				for i, m := range b.moves {
					amt, _ := new(big.Int).SetString(m[2], 10)
					batch.Transfers = append(batch.Transfers, registry.Transfer{ChainID: 1337, Token: token, BlockNumber: b.n, BlockHash: hash(b.n),
						TxHash: hash(100*b.n + uint64(i)), LogIndex: uint(i), From: m[0], To: m[1], Amount: amt})
				}
				batch.Blocks = []registry.ChainBlock{batch.Head}
				if err := n.st.Apply(context.Background(), batch); err != nil {
					t.Fatal(err)
				}
				parent = &batch.Head
			}

			reg := "/v1/issuances/" + f.issuance + "/holders/register"
			j := n.must(200, "GET", reg+"?recordDate=2026-03-31", f.sk, nil)
			holders := j.body["holders"].([]any)
			if j.str("asOfBlock") != "5" || j.str("totalSupply") != "105" || len(holders) != 2 || j.str("totals", "investors") != "1" ||
				j.str("totals", "unattributedWallets") != "1" {
				t.Fatalf("register JSON: %s", j.raw)
			}
			alice := holders[0].(map[string]any)
			if alice["address"] != "東京都千代田区丸の内一丁目1番1号" || alice["balance"] != "100" || holders[1].(map[string]any)["unattributed"] != true {
				t.Fatalf("register holders: %s", j.raw)
			}

			resp, utf := n.raw("GET", reg+"?recordDate=2026-03-31&format=csv", f.sk)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
				!strings.Contains(resp.Header.Get("Content-Disposition"), "register-"+f.issuance+"-2026-03-31.csv") {
				t.Fatalf("CSV response %d %v: %s", resp.StatusCode, resp.Header, utf)
			}
			if !bytes.HasPrefix(utf, []byte{0xEF, 0xBB, 0xBF}) {
				t.Fatalf("no UTF-8 BOM: % x", utf[:8])
			}
			header := "投資家ID,氏名又は名称,フリガナ,代表者氏名,郵便番号,住所,税区分,外部参照,保有数量,ウォレット,備考\r\n"
			want := header +
				f.investor + ",山田 太郎,ヤマダ タロウ,,100-0005,東京都千代田区丸の内一丁目1番1号,INDIVIDUAL,'=HYPERLINK(1),100," + wallet(1) + ",\r\n" +
				",,,,,,,,5," + stranger + ",名義人不明\r\n"
			if got := string(utf[3:]); got != want {
				t.Fatalf("CSV:\n%q\nwant\n%q", got, want)
			}
			rows, err := csv.NewReader(bytes.NewReader(utf[3:])).ReadAll()
			if err != nil || len(rows) != 3 || len(rows[0]) != 11 {
				t.Fatalf("CSV does not parse as 3 rows of 11 columns: %v %v", rows, err)
			}

			// Shift_JIS: no BOM; the same text, encoded (山 is 8E 52, 田 is 93 63).
			resp, sjis := n.raw("GET", reg+"?recordDate=2026-03-31&format=csv&encoding=shift_jis", f.sk)
			if resp.Header.Get("Content-Type") != "text/csv; charset=Shift_JIS" || bytes.HasPrefix(sjis, []byte{0xEF, 0xBB, 0xBF}) ||
				!bytes.Contains(sjis, []byte{0x8E, 0x52, 0x93, 0x63}) {
				t.Fatalf("Shift_JIS CSV %v: % x", resp.Header, sjis[:16])
			}
			decoded, err := japanese.ShiftJIS.NewDecoder().Bytes(sjis)
			if err != nil || string(decoded) != want {
				t.Fatalf("Shift_JIS decodes to\n%q\nwant\n%q (%v)", decoded, want, err)
			}

			// After April 1st: the new address, 60 left, the corporation holds
			// 40 — its 𠮷 has no Shift_JIS code and becomes the geta mark 〓 there.
			later := n.must(200, "GET", reg+"?recordDate=2026-04-01", f.sk, nil)
			if h := later.body["holders"].([]any); len(h) != 3 || h[0].(map[string]any)["address"] != "大阪府大阪市北区梅田三丁目2番2号" ||
				h[1].(map[string]any)["legalName"] != "株式会社𠮷野家" {
				t.Fatalf("register on 2026-04-01: %s", later.raw)
			}
			_, sj := n.raw("GET", reg+"?recordDate=2026-04-01&format=csv&encoding=shift_jis", f.sk)
			if d, _ := japanese.ShiftJIS.NewDecoder().Bytes(sj); !strings.Contains(string(d), "株式会社〓野家") {
				t.Fatalf("Shift_JIS with a character outside it:\n%s", d)
			}

			// Refusals at the edge and by the store.
			n.must(400, "GET", reg, f.sk, nil)
			n.must(400, "GET", reg+"?recordDate=2026-02-30", f.sk, nil)
			n.must(400, "GET", reg+"?recordDate=2026-03-31&block=5", f.sk, nil)
			n.must(400, "GET", reg+"?recordDate=2026-03-31&format=xml", f.sk, nil)
			n.must(400, "GET", reg+"?recordDate=2026-03-31&encoding=shift_jis", f.sk, nil)
			n.must(400, "GET", reg+"?recordDate=2026-03-31&format=csv&encoding=latin1", f.sk, nil)
			n.must(409, "GET", reg+"?recordDate=2026-04-05", f.sk, nil) // not over on the chain
			n.must(404, "GET", reg+"?recordDate=2026-03-31", other, nil)
			n.must(403, "GET", reg+"?recordDate=2026-03-31", reader, nil)

			// A snapshot: created once, then returned; its operator CSV
			// hashes to its recorded SHA-256.
			sn := n.must(201, "POST", reg+"/snapshots", f.sk, map[string]any{"recordDate": "2026-03-31"})
			n.must(200, "POST", reg+"/snapshots", f.op, map[string]any{"recordDate": "2026-03-31"})
			n.must(409, "POST", reg+"/snapshots", f.sk, map[string]any{"block": 10})
			n.must(400, "POST", reg+"/snapshots", f.sk, map[string]any{})
			if list := n.must(200, "GET", reg+"/snapshots", f.sk, nil); len(list.body["items"].([]any)) != 1 {
				t.Fatalf("snapshots: %s", list.raw)
			}
			resp, snapCSV := n.raw("GET", reg+"/snapshots/"+sn.str("snapshotId")+"?format=csv", f.op)
			sum := sha256.Sum256(snapCSV)
			if resp.StatusCode != 200 || hex.EncodeToString(sum[:]) != sn.str("sha256") || resp.Header.Get("X-Register-SHA256") != sn.str("sha256") ||
				!bytes.Equal(snapCSV, utf) {
				t.Fatalf("snapshot CSV (%d) hashes to %x, recorded %s:\n%s", resp.StatusCode, sum, sn.str("sha256"), snapCSV)
			}
			n.must(404, "GET", reg+"/snapshots/999", f.op, nil)

			assertNoPersonalData(t, "the server log", logs.String())
			audit := n.must(200, "GET", "/v1/audit?limit=500", f.op, nil)
			assertNoPersonalData(t, "the audit log", string(audit.raw))
		})
	}
}

func assertNoPersonalData(t *testing.T, where, s string) {
	t.Helper()
	for _, v := range []string{"山田", "ヤマダ", "丸の内", "梅田", "野家", "100-0005", "530-0001"} {
		if strings.Contains(s, v) {
			t.Fatalf("%s holds personal data %q", where, v)
		}
	}
}
