package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/api"

	"github.com/stonode/stonode/registry/store"
)

// BenchmarkEligibilityLookup measures GET …/eligibility/{address} over loopback
// HTTP on SQLite; BenchmarkBareGin is the same request shape answered by a bare
// gin handler, the baseline to compare against in one run.
func BenchmarkEligibilityLookup(b *testing.B) {
	n, path, key := lookupNode(b)
	runLoad(b, n.url+path, key)
}

// lookupNode starts a node on SQLite with one issuance in offering and one
// whitelisted investor; it returns the look-up path that answers allowed and
// a seller key that may ask it.
func lookupNode(b *testing.B) (n *node, path, key string) {
	n = startNodeTB(b, store.SQLite)
	op := n.operatorKey()
	sid := n.must(201, "POST", "/v1/sellers", op, sellerBody("7000012050002")).str("id")
	sk := n.must(201, "POST", "/v1/sellers/"+sid+"/keys", op, map[string]any{}).str("key")
	id := n.must(201, "POST", "/v1/issuances", sk, map[string]any{"issuerName": "I", "tokenName": "T", "tokenSymbol": "T",
		"legalForm": "SHARE", "fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC"}).str("id")
	for _, st := range []string{"REGISTERED", "OFFERING"} {
		n.must(200, "POST", "/v1/issuances/"+id+"/status", sk, map[string]any{"status": st})
	}
	inv := n.must(201, "POST", "/v1/investors", sk, investorBody("A", wallet(1), nil)).str("id")
	n.must(200, "PUT", "/v1/issuances/"+id+"/whitelist/"+inv, sk, nil)
	return n, "/v1/issuances/" + id + "/eligibility/" + wallet(1), sk
}

// BenchmarkEligibilityHandler is the server's own work for one look-up, with
// no sockets: the request goes straight to the handler. Compare it with
// BenchmarkBareGinHandler, the same request answered by a bare gin handler.
func BenchmarkEligibilityHandler(b *testing.B) {
	n, path, key := lookupNode(b)
	serveDirect(b, api.New(n.st, api.Options{Clock: n.clock.Now, Mirror: n.st}), path, key)
}

func BenchmarkBareGinHandler(b *testing.B) {
	serveDirect(b, bareGin(), "/v1/issuances/1/eligibility/"+wallet(1), "k")
}

// bareGin is the baseline: gin in release mode, no middleware, one route
// answering a decision-shaped JSON body.
func bareGin() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.GET("/v1/issuances/:id/eligibility/:address", func(c *gin.Context) {
		c.JSON(http.StatusOK, bareDecision{Address: c.Param("address"), Allowed: true, Reasons: []string{},
			EvaluatedAt: time.Now().UTC().Truncate(time.Second)})
	})
	return e
}

// bareDecision has the shape of a decision, as scripts/loadtest's bare server.
type bareDecision struct {
	Address     string    `json:"address"`
	Allowed     bool      `json:"allowed"`
	Code        string    `json:"code"`
	Reasons     []string  `json:"reasons"`
	EvaluatedAt time.Time `json:"evaluatedAt"`
}

// serveDirect runs one request after another through h on 8 goroutines,
// failing on any answer but 200.
func serveDirect(b *testing.B, h http.Handler, path, key string) {
	b.ReportAllocs()
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+key)
		w := &discardWriter{header: http.Header{}}
		for pb.Next() {
			clear(w.header)
			w.status = 0
			h.ServeHTTP(w, req)
			if w.status != http.StatusOK {
				b.Fatalf("status %d", w.status)
			}
		}
	})
}

// discardWriter is an http.ResponseWriter that keeps only the status.
type discardWriter struct {
	header http.Header
	status int
}

func (w *discardWriter) Header() http.Header { return w.header }
func (w *discardWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return len(p), nil
}
func (w *discardWriter) WriteHeader(status int) { w.status = status }

func BenchmarkBareGin(b *testing.B) {
	srv := httptest.NewServer(bareGin())
	defer srv.Close()
	runLoad(b, srv.URL+"/v1/issuances/1/eligibility/"+wallet(1), "k")
}

func runLoad(b *testing.B, url, key string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("GET", url, nil)
			req.Header.Set("Authorization", "Bearer "+key)
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
}
