package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry/store"
)

// BenchmarkEligibilityLookup measures GET …/eligibility/{address} over loopback
// HTTP on SQLite; BenchmarkBareGin is the same request shape answered by a bare
// gin handler, the baseline to compare against in one run.
func BenchmarkEligibilityLookup(b *testing.B) {
	n := startNodeTB(b, store.SQLite)
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
	url := n.url + "/v1/issuances/" + id + "/eligibility/" + wallet(1)
	runLoad(b, url, sk)
}

func BenchmarkBareGin(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.GET("/v1/issuances/:id/eligibility/:address", func(c *gin.Context) {
		c.JSON(200, gin.H{"address": c.Param("address"), "allowed": true, "code": "", "reasons": []any{}})
	})
	srv := httptest.NewServer(e)
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
