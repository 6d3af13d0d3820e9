package api_test

import (
	"strings"
	"testing"
)

// A node started without a chain or a deployment administration answers their
// routes with 503 and says why.
func TestNodeWithoutChainAnswers503(t *testing.T) {
	eachEngine(t, func(t *testing.T, n *node) {
		op := n.operatorKey()
		for _, c := range []struct{ method, path, body, says string }{
			{"POST", "/v1/issuances/1/deploy", "", "no chain connection"},
			{"POST", "/v1/issuances/1/attach", `{}`, "no chain connection"},
			{"GET", "/v1/operations/1", "", "no chain connection"},
			{"GET", "/v1/issuances/1/operations", "", "no chain connection"},
			{"POST", "/v1/issuances/1/pause", `{}`, "no chain connection"},
			{"GET", "/v1/issuances/1/reconcile", "", "no chain connection"},
			{"POST", "/v1/issuances/1/deployment/retire", `{"reason":"reset devnet"}`, "does not administer deployments"},
			{"GET", "/v1/issuances/1/deployments", "", "does not administer deployments"},
			{"GET", "/v1/issuances/1/halts", "", "does not administer deployments"},
		} {
			var body any
			if c.body != "" {
				body = c.body
			}
			r := n.do(c.method, c.path, op, body)
			if r.status != 503 || r.errCode() != "unavailable" || !strings.Contains(r.str("error", "message"), c.says) {
				t.Errorf("%s %s: %d %s, want 503 unavailable saying %q", c.method, c.path, r.status, r.raw, c.says)
			}
		}
	})
}
