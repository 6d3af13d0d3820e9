package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
	"github.com/stonode/stonode/registry/webhook"
)

const chainID = int64(1337)

func operator() context.Context {
	return registry.WithPrincipal(context.Background(), &registry.Principal{KeyID: "test-operator", Role: registry.RoleOperator})
}

func asSeller(id int64) context.Context {
	return registry.WithPrincipal(context.Background(), &registry.Principal{KeyID: "test-seller-" + strconv.FormatInt(id, 10), Role: registry.RoleSeller, SellerID: id})
}

// receiver is a test webhook endpoint: it verifies every signature, fails
// the first failFirst requests with 500, and keeps what it accepted.
type receiver struct {
	t         *testing.T
	srv       *httptest.Server
	mu        sync.Mutex
	secret    string
	failFirst int
	requests  int
	got       []webhook.Body
	onAccept  func(n int) // called with the count accepted so far, before answering
}

func newReceiver(t *testing.T, failFirst int) *receiver {
	r := &receiver{t: t, failFirst: failFirst}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.requests++
	fail := r.requests <= r.failFirst
	secret := r.secret
	r.mu.Unlock()
	if fail {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	ts, err := strconv.ParseInt(req.Header.Get(registry.HeaderTimestamp), 10, 64)
	if err != nil || !registry.VerifyWebhook(secret, ts, body, req.Header.Get(registry.HeaderSignature)) {
		r.t.Errorf("delivery %s: bad signature %q", req.Header.Get(registry.HeaderDelivery), req.Header.Get(registry.HeaderSignature))
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if d := time.Since(time.Unix(ts, 0)); d > time.Minute || d < -time.Minute {
		r.t.Errorf("timestamp %d is %s off", ts, d)
	}
	var b webhook.Body
	if err := json.Unmarshal(body, &b); err != nil {
		r.t.Errorf("body %s: %v", body, err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if req.Header.Get(registry.HeaderEventID) != strconv.FormatInt(b.ID, 10) || req.Header.Get(registry.HeaderEventType) != string(b.Type) {
		r.t.Errorf("headers %v do not match body %s", req.Header, body)
	}
	r.mu.Lock()
	r.got = append(r.got, b)
	n, hook := len(r.got), r.onAccept
	r.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) received() []webhook.Body {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

// world: seller A leads issuance X (handled by C), seller B leads Y; each
// seller and the operator subscribe to everything.
type world struct {
	t       testing.TB
	dsn     string
	db      *storetest.Stores
	hooks   *store.Webhooks
	terms   *store.Terms
	a, b, c *registry.Seller
	x, y    *registry.Issuance
	heads   map[string]*registry.ChainBlock
}

func open(t testing.TB, dsn string) *storetest.Stores {
	st, err := storetest.OpenConfig(context.Background(), store.Config{DSN: dsn, Rules: eligibility.Rules{}})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func newWorld(t testing.TB, engine store.Dialect) *world {
	w := &world{t: t, dsn: storetest.DSN(t, engine), heads: map[string]*registry.ChainBlock{}}
	w.db = open(t, w.dsn)
	t.Cleanup(func() { w.db.Close() })
	w.hooks, w.terms = store.NewWebhooks(w.db.DB), store.NewTerms(w.db.DB)
	seller := func(corp string) *registry.Seller {
		s := &registry.Seller{LegalName: "Firm " + corp, CorporateNumber: corp, FSARegistration: "関東財務局長(金商)第1号",
			Licence: registry.LicenceType1, Membership: registry.MembershipFull}
		if err := w.db.CreateSeller(operator(), s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	w.a, w.b, w.c = seller("7000012050002"), seller("1010001000006"), seller("2010001000005")
	issuance := func(lead *registry.Seller, handling []int64, token string) *registry.Issuance {
		iss := &registry.Issuance{IssuerName: "I", TokenName: token[len(token)-2:], TokenSymbol: "T", LegalForm: registry.FormBond,
			FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic, HandlingSellers: handling}
		sc := asSeller(lead.ID)
		if err := w.db.CreateIssuance(sc, iss); err != nil {
			t.Fatal(err)
		}
		if _, err := w.db.TransitionIssuance(sc, iss.ID, registry.IssuanceRegistered, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := w.db.RecordDeployment(sc, iss.ID, registry.Deployment{ChainID: chainID, TokenAddress: token,
			RegistryAddress: token[:len(token)-1] + "f", Block: 1}); err != nil {
			t.Fatal(err)
		}
		iss.TokenAddress = token
		return iss
	}
	w.x = issuance(w.a, []int64{w.c.ID}, "0x00000000000000000000000000000000000000a1")
	w.y = issuance(w.b, nil, "0x00000000000000000000000000000000000000b1")
	return w
}

func (w *world) subscribe(ctx context.Context, r *receiver) *registry.NewSubscription {
	w.t.Helper()
	sub, err := w.hooks.CreateSubscription(ctx, registry.SubscriptionRequest{URL: r.srv.URL + "/hook", EventTypes: registry.EventTypes})
	if err != nil {
		w.t.Fatal(err)
	}
	r.mu.Lock()
	r.secret = sub.Secret
	r.mu.Unlock()
	return sub
}

// termChange applies a change of the holder cap at once: a public event.
func (w *world) termChange(db *storetest.Stores, iss *registry.Issuance, holders int) {
	w.t.Helper()
	if _, err := store.NewTerms(db.DB).ChangeTerms(operator(), iss.ID, registry.TermChangeRequest{
		Changes: registry.Terms{MaxHolders: &holders}, Reason: "cap " + strconv.Itoa(holders)}); err != nil {
		w.t.Fatal(err)
	}
}

// transfer mirrors a block with one mint on iss's token: an event for those
// who operate the issuance only.
func (w *world) transfer(db *storetest.Stores, iss *registry.Issuance) { w.mirror(db, iss, 1) }

// mirror mirrors a block with count mints on iss's token.
func (w *world) mirror(db *storetest.Stores, iss *registry.Issuance, count int) {
	w.t.Helper()
	parent := w.heads[iss.TokenAddress]
	n := uint64(2)
	if parent != nil {
		n = parent.Number + 1
	}
	head := registry.ChainBlock{Number: n, Hash: fmt.Sprintf("0x%062x%s", n, iss.TokenAddress[len(iss.TokenAddress)-2:])}
	b := registry.MirrorBatch{ChainID: chainID, Token: iss.TokenAddress, Parent: parent, Head: head, Blocks: []registry.ChainBlock{head}}
	for i := 0; i < count; i++ {
		b.Transfers = append(b.Transfers, registry.Transfer{BlockNumber: n, BlockHash: head.Hash, LogIndex: uint(i),
			TxHash: fmt.Sprintf("0x%058x%06x", n, i), From: registry.ZeroAddress, To: "0x1111111111111111111111111111111111111111",
			Amount: big.NewInt(int64(n))})
	}
	if err := db.Apply(context.Background(), b); err != nil {
		w.t.Fatal(err)
	}
	w.heads[iss.TokenAddress] = &head
}

func (w *world) eventIDs(db *storetest.Stores, iss *registry.Issuance, types ...registry.EventType) []int64 {
	w.t.Helper()
	events, err := store.NewWebhooks(db.DB).Events(context.Background(), iss.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	var ids []int64
	for _, e := range events {
		if len(types) == 0 || slices.Contains(types, e.Type) {
			ids = append(ids, e.ID)
		}
	}
	return ids
}

func ids(bodies []webhook.Body, iss int64) []int64 {
	var out []int64
	for _, b := range bodies {
		if b.IssuanceID == iss {
			out = append(out, b.ID)
		}
	}
	return out
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second) // a loaded 2-core CI machine
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func fastWorker(hooks *store.Webhooks, reg prometheus.Registerer) *webhook.Worker {
	return webhook.New(hooks, webhook.Config{Poll: 20 * time.Millisecond, Timeout: 2 * time.Second, Metrics: reg,
		Retry: registry.RetryPolicy{Base: 10 * time.Millisecond, Max: 80 * time.Millisecond, MaxAttempts: 50}}, nil)
}

func run(t *testing.T, w *webhook.Worker) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.Run(ctx) }()
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			cancel()
			<-done
		}
	}
	t.Cleanup(stop)
	return stop
}

// TestWebhooksDeliverInOrderAfterRetriesToTheirTenantsOnly: A's receiver fails
// its first deliveries, yet gets every event of A's issuance exactly once, in
// order, each signed; B's receiver gets none of them; C, which handles A's
// issuance, gets its public events only; the operator gets everything.
func TestWebhooksDeliverInOrderAfterRetriesToTheirTenantsOnly(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			w := newWorld(t, engine)
			ra, rb, rc, rop := newReceiver(t, 4), newReceiver(t, 0), newReceiver(t, 0), newReceiver(t, 1)
			subA := w.subscribe(asSeller(w.a.ID), ra)
			w.subscribe(asSeller(w.b.ID), rb)
			w.subscribe(asSeller(w.c.ID), rc)
			w.subscribe(operator(), rop)
			promReg := prometheus.NewRegistry()
			worker := fastWorker(w.hooks, promReg)
			run(t, worker)
			for i := 0; i < 4; i++ { // events while the worker runs, interleaved across issuances
				w.termChange(w.db, w.x, 10+i)
				w.transfer(w.db, w.x)
				w.transfer(w.db, w.y)
				w.termChange(w.db, w.y, 20+i)
				worker.Wake()
			}
			xAll, yAll := w.eventIDs(w.db, w.x), w.eventIDs(w.db, w.y)
			xPublic := w.eventIDs(w.db, w.x, registry.EventTermChangeApplied)
			// Per round: a term change, a transfer and its compliance alert (the
			// receiving wallet is nobody's).
			if len(xAll) != 12 || len(yAll) != 12 || len(xPublic) != 4 {
				t.Fatalf("events: X %v, Y %v, X public %v", xAll, yAll, xPublic)
			}
			eventually(t, "every delivery", func() bool {
				return len(ra.received()) >= len(xAll) && len(rb.received()) >= len(yAll) && len(rc.received()) >= len(xPublic) &&
					len(rop.received()) >= len(xAll)+len(yAll)
			})
			// Settled deliveries are not sent again: give the worker a few more rounds.
			time.Sleep(200 * time.Millisecond)
			for _, c := range []struct {
				name    string
				r       *receiver
				wantX   []int64
				wantY   []int64
				wantAll int
			}{
				{"lead of X (failing first)", ra, xAll, nil, len(xAll)},
				{"lead of Y", rb, nil, yAll, len(yAll)},
				{"handler of X", rc, xPublic, nil, len(xPublic)},
				{"operator", rop, xAll, yAll, len(xAll) + len(yAll)},
			} {
				got := c.r.received()
				if len(got) != c.wantAll {
					t.Errorf("%s: %d deliveries, want %d", c.name, len(got), c.wantAll)
				}
				// In order per issuance, each exactly once.
				if gx := ids(got, w.x.ID); !slices.Equal(gx, c.wantX) {
					t.Errorf("%s: X events %v, want %v", c.name, gx, c.wantX)
				}
				if gy := ids(got, w.y.ID); !slices.Equal(gy, c.wantY) {
					t.Errorf("%s: Y events %v, want %v", c.name, gy, c.wantY)
				}
			}
			// The failed attempts are in the log, and in the metrics.
			ds, err := w.hooks.Deliveries(asSeller(w.a.ID), subA.ID, registry.DeliveryFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var failed int
			for _, d := range ds {
				if d.Status != registry.DeliveryDelivered || d.Attempts != len(d.Log) {
					t.Errorf("delivery %+v", d)
				}
				for _, a := range d.Log {
					if a.StatusCode == http.StatusInternalServerError {
						failed++
					}
				}
			}
			if failed != 4 {
				t.Errorf("%d attempts logged as HTTP 500, want 4", failed)
			}
			if n := counter(t, promReg, "stonode_webhook_attempts_total", "retry"); n != 5 {
				t.Errorf("retry attempts metric = %v, want 5 (4 for A, 1 for the operator)", n)
			}
			// B cannot read A's subscription or its deliveries.
			if _, err := w.hooks.Deliveries(asSeller(w.b.ID), subA.ID, registry.DeliveryFilter{}); registry.ErrorCode(err) != registry.ENOTFOUND {
				t.Errorf("B reads A's deliveries: %v", err)
			}
			// A re-delivery sends the event once more.
			if _, err := w.hooks.Redeliver(asSeller(w.a.ID), subA.ID, ds[0].ID); err != nil {
				t.Fatal(err)
			}
			worker.Wake()
			eventually(t, "the re-delivery", func() bool { return len(ra.received()) == len(xAll)+1 })
			if last := ra.received()[len(xAll)]; last.ID != ds[0].EventID {
				t.Errorf("re-delivered event %d, want %d", last.ID, ds[0].EventID)
			}
		})
	}
}

// TestWebhooksSurviveACrash: events written before a crash, and deliveries
// cut off by one mid-way, are all delivered after a restart, in order.
func TestWebhooksSurviveACrash(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			w := newWorld(t, engine)
			r := newReceiver(t, 0)
			w.subscribe(asSeller(w.a.ID), r)
			// Written, then the node dies before any delivery.
			db1 := open(t, w.dsn)
			for i := 0; i < 3; i++ {
				w.termChange(db1, w.x, 10+i)
				w.transfer(db1, w.x)
			}
			db1.Close()

			// The next node starts delivering and dies at the third delivery,
			// after the receiver accepted it and before its outcome is recorded.
			db2 := open(t, w.dsn)
			worker2 := fastWorker(store.NewWebhooks(db2.DB), nil)
			var crash sync.Once
			crashed := make(chan struct{})
			r.mu.Lock()
			r.onAccept = func(n int) {
				if n == 3 {
					crash.Do(func() { db2.Close(); close(crashed) })
				}
			}
			r.mu.Unlock()
			stop2 := run(t, worker2)
			select {
			case <-crashed:
			case <-time.After(60 * time.Second):
				t.Fatal("the worker never reached the third delivery")
			}
			stop2()
			r.mu.Lock()
			r.onAccept = nil
			r.mu.Unlock()

			// More events, then a third node: everything arrives.
			db3 := open(t, w.dsn)
			defer db3.Close()
			w.termChange(db3, w.x, 20)
			want := w.eventIDs(db3, w.x)
			if len(want) != 10 { // three rounds of a term change, a transfer and its alert; one term change

				t.Fatalf("events %v", want)
			}
			run(t, fastWorker(store.NewWebhooks(db3.DB), nil))
			var seen []int64
			eventually(t, "every event after the restart", func() bool {
				seen = nil
				for _, b := range r.received() {
					if len(seen) == 0 || seen[len(seen)-1] != b.ID {
						seen = append(seen, b.ID) // a repeat of the one cut off is the at-least-once edge
					}
				}
				return len(seen) >= len(want)
			})
			if !slices.Equal(seen, want) {
				t.Fatalf("received %v, want %v in order", seen, want)
			}
			if got := r.received(); len(got) > len(want)+1 {
				t.Errorf("%d deliveries for %d events: more than the one cut off was repeated", len(got), len(want))
			}
		})
	}
}

// counter reads a counter of the worker's attempts by outcome.
func counter(t *testing.T, g prometheus.Gatherer, name, outcome string) float64 {
	t.Helper()
	families, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "outcome" && l.GetValue() == outcome {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	t.Fatalf("no %s{outcome=%q}", name, outcome)
	return 0
}
