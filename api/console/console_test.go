package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stonode/stonode/api"
	"github.com/stonode/stonode/api/console"
	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

var start = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// node is the real API (with its console) over a real database and real HTTP.
type node struct {
	t     *testing.T
	srv   *httptest.Server
	clock *storetest.Clock
	op    string // an operator's bearer key
}

func startNode(t *testing.T, engine store.Dialect, tls bool) *node {
	t.Helper()
	clock := storetest.NewClock(start)
	st := storetest.Open(t, engine, clock.Now)
	h := api.New(st, api.Options{Clock: clock.Now, Console: console.Options{Now: clock.Now, IdleTimeout: 10 * time.Minute, MaxAge: time.Hour}})
	srv := httptest.NewUnstartedServer(h)
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	cli := registry.WithPrincipal(context.Background(), &registry.Principal{KeyID: "cli", Role: registry.RoleOperator})
	k, err := st.CreateKey(cli, registry.RoleOperator, nil, "bootstrap")
	if err != nil {
		t.Fatal(err)
	}
	return &node{t: t, srv: srv, clock: clock, op: k.Secret}
}

// bearer calls the API with a key, as curl does.
func (n *node) bearer(method, path, key string, body any) (int, map[string]any) {
	n.t.Helper()
	req := n.request(method, path, body)
	req.Header.Set("Authorization", "Bearer "+key)
	return n.send(n.srv.Client(), req)
}

func (n *node) request(method, path string, body any) *http.Request {
	n.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			n.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, n.srv.URL+path, rd)
	if err != nil {
		n.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

func (n *node) send(c *http.Client, req *http.Request) (int, map[string]any) {
	n.t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		n.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

// browser is a cookie-keeping client signed in to the console.
type browser struct {
	n    *node
	c    *http.Client
	csrf string
}

func (n *node) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		n.t.Fatal(err)
	}
	c := *n.srv.Client() // a client of its own: the server's is shared
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{n: n, c: &c}
}

func (b *browser) signIn(key string) (int, map[string]any) {
	b.n.t.Helper()
	status, body := b.n.send(b.c, b.n.request(http.MethodPost, "/console/session", map[string]any{"key": key}))
	if status == http.StatusCreated {
		b.csrf, _ = body["csrfToken"].(string)
	}
	return status, body
}

// do sends a request with the session cookie; withCSRF adds the token header.
func (b *browser) do(method, path string, body any, withCSRF bool) (int, map[string]any) {
	b.n.t.Helper()
	req := b.n.request(method, path, body)
	if withCSRF {
		req.Header.Set(console.CSRFHeader, b.csrf)
	}
	return b.n.send(b.c, req)
}

func errCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func want(t *testing.T, what string, status int, body map[string]any, wantStatus int, wantCode string) {
	t.Helper()
	if status != wantStatus || errCode(body) != wantCode {
		t.Fatalf("%s: %d %v, want %d %q", what, status, body, wantStatus, wantCode)
	}
}

func sellerBody(corp string) map[string]any {
	return map[string]any{"legalName": "Firm " + corp, "corporateNumber": corp,
		"fsaRegistration": "関東財務局長(金商)第44号", "licence": "TYPE1", "membership": "FULL"}
}

var issuanceBody = map[string]any{"issuerName": "Tokyo Office REIT", "tokenName": "Tokyo Office", "tokenSymbol": "TOF", "decimals": 0,
	"legalForm": "TRUST_BENEFICIARY", "fieaClass": "PARA1_TOKEN", "offeringType": "SMALL_NUMBER_PRIVATE"}

// sellerWithKey registers a seller and returns its id and a key for it.
func (n *node) sellerWithKey(corp string) (int64, string) {
	n.t.Helper()
	status, s := n.bearer(http.MethodPost, "/v1/sellers", n.op, sellerBody(corp))
	if status != http.StatusCreated {
		n.t.Fatalf("create seller: %d %v", status, s)
	}
	id := int64(s["id"].(float64))
	status, k := n.bearer(http.MethodPost, "/v1/sellers/"+itoa(id)+"/keys", n.op, map[string]any{"name": "back office"})
	if status != http.StatusCreated {
		n.t.Fatalf("create key: %d %v", status, k)
	}
	return id, k["key"].(string)
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func eachEngine(t *testing.T, fn func(t *testing.T, engine store.Dialect)) {
	for _, e := range storetest.Engines(t) {
		t.Run(string(e), func(t *testing.T) { fn(t, e) })
	}
}

// TestSessionHasTheKeysRolesAndTenancy: a console session acts exactly as its
// key: seller endpoints work, operator ones are forbidden, another seller's
// issuance does not exist, and every change needs the CSRF token.
func TestSessionHasTheKeysRolesAndTenancy(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		n := startNode(t, engine, false)
		_, keyA := n.sellerWithKey("7000012050002")
		_, keyB := n.sellerWithKey("1180301018771")
		a, b := n.browser(), n.browser()

		status, body := a.signIn("stn_0000000000000000_wrong")
		want(t, "sign-in with an unknown key", status, body, http.StatusUnauthorized, registry.EUNAUTHORIZED)
		if status, body = a.signIn(keyA); status != http.StatusCreated || body["role"] != "seller" || a.csrf == "" {
			t.Fatalf("sign-in: %d %v", status, body)
		}
		if _, body := b.signIn(keyB); body["role"] != "seller" {
			t.Fatalf("sign-in B: %v", body)
		}

		status, body = a.do(http.MethodPost, "/v1/issuances", issuanceBody, false)
		want(t, "POST without the CSRF token", status, body, http.StatusForbidden, registry.EFORBIDDEN)
		bad := a.csrf
		a.csrf = "not-the-token"
		status, body = a.do(http.MethodPost, "/v1/issuances", issuanceBody, true)
		want(t, "POST with a wrong CSRF token", status, body, http.StatusForbidden, registry.EFORBIDDEN)
		a.csrf = bad
		status, body = a.do(http.MethodPost, "/v1/issuances", issuanceBody, true)
		want(t, "POST with the CSRF token", status, body, http.StatusCreated, "")
		id := itoa(int64(body["id"].(float64)))

		status, body = a.do(http.MethodGet, "/v1/issuances/"+id, nil, false)
		want(t, "GET own issuance", status, body, http.StatusOK, "")
		status, body = b.do(http.MethodGet, "/v1/issuances/"+id, nil, false)
		want(t, "GET another seller's issuance", status, body, http.StatusNotFound, registry.ENOTFOUND)
		status, body = b.do(http.MethodGet, "/v1/issuances", nil, false)
		if items, _ := body["items"].([]any); status != http.StatusOK || len(items) != 0 {
			t.Fatalf("seller B lists %d %v, want no issuance", status, body)
		}
		status, body = a.do(http.MethodPost, "/v1/sellers", sellerBody("2010001008824"), true)
		want(t, "a seller's session on an operator route", status, body, http.StatusForbidden, registry.EFORBIDDEN)

		// A bearer key still works beside the cookie, and wins over it.
		req := n.request(http.MethodGet, "/v1/issuances/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+keyB)
		status, body = n.send(a.c, req)
		want(t, "bearer key B with A's cookie", status, body, http.StatusNotFound, registry.ENOTFOUND)
	})
}

// TestSessionEndsWithItsKeyAndSeller: revoking the key, or suspending the
// seller, ends the session on its very next request, and reinstating the
// seller does not bring it back.
func TestSessionEndsWithItsKeyAndSeller(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		n := startNode(t, engine, false)
		sellerID, key := n.sellerWithKey("7000012050002")
		b := n.browser()
		if status, _ := b.signIn(key); status != http.StatusCreated {
			t.Fatal("sign-in failed")
		}
		status, body := b.do(http.MethodGet, "/v1/issuances", nil, false)
		want(t, "before suspension", status, body, http.StatusOK, "")

		sid := itoa(sellerID)
		if status, body := n.bearer(http.MethodPost, "/v1/sellers/"+sid+"/suspend", n.op, map[string]any{"reason": "inspection"}); status != http.StatusOK {
			t.Fatalf("suspend: %d %v", status, body)
		}
		status, body = b.do(http.MethodGet, "/v1/issuances", nil, false)
		want(t, "after suspension", status, body, http.StatusUnauthorized, registry.EUNAUTHORIZED)
		status, body = b.signIn(key)
		want(t, "sign-in while suspended", status, body, http.StatusUnauthorized, registry.EUNAUTHORIZED)
		if status, body := n.bearer(http.MethodPost, "/v1/sellers/"+sid+"/reinstate", n.op, map[string]any{}); status != http.StatusOK {
			t.Fatalf("reinstate: %d %v", status, body)
		}
		status, body = b.do(http.MethodGet, "/v1/issuances", nil, false)
		want(t, "old session after reinstatement", status, body, http.StatusUnauthorized, registry.EUNAUTHORIZED)

		if status, _ := b.signIn(key); status != http.StatusCreated {
			t.Fatal("sign-in after reinstatement failed")
		}
		other := n.browser()
		if status, _ := other.signIn(key); status != http.StatusCreated {
			t.Fatal("second sign-in failed")
		}
		status, keys := n.bearer(http.MethodGet, "/v1/sellers/"+sid+"/keys", n.op, nil)
		keyID := keys["items"].([]any)[0].(map[string]any)["id"].(string)
		if status, body := n.bearer(http.MethodDelete, "/v1/sellers/"+sid+"/keys/"+keyID, n.op, nil); status != http.StatusNoContent {
			t.Fatalf("revoke key: %d %v", status, body)
		}
		for _, br := range []*browser{b, other} {
			status, body = br.do(http.MethodGet, "/console/session", nil, false)
			want(t, "session of a revoked key", status, body, http.StatusUnauthorized, registry.EUNAUTHORIZED)
		}
	})
}

// TestSessionExpiresAndSignsOut: idle expiry, the absolute lifetime, and a
// sign-out that needs the CSRF token and ends the session for good.
func TestSessionExpiresAndSignsOut(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		n := startNode(t, engine, false)
		b := n.browser()
		if status, _ := b.signIn(n.op); status != http.StatusCreated {
			t.Fatal("sign-in failed")
		}
		// Used every 9 minutes, the session outlives its 10-minute idle timeout…
		for i := 0; i < 6; i++ {
			n.clock.Set(n.clock.Now().Add(9 * time.Minute))
			status, body := b.do(http.MethodGet, "/v1/sellers", nil, false)
			want(t, "within the idle timeout", status, body, http.StatusOK, "")
		}
		// …but not its one-hour lifetime.
		n.clock.Set(n.clock.Now().Add(7 * time.Minute))
		status, body := b.do(http.MethodGet, "/v1/sellers", nil, false)
		want(t, "beyond the lifetime", status, body, http.StatusUnauthorized, registry.EUNAUTHORIZED)

		if status, _ := b.signIn(n.op); status != http.StatusCreated {
			t.Fatal("sign-in failed")
		}
		n.clock.Set(n.clock.Now().Add(10 * time.Minute))
		status, body = b.do(http.MethodGet, "/v1/sellers", nil, false)
		want(t, "idle for 10 minutes", status, body, http.StatusUnauthorized, registry.EUNAUTHORIZED)

		// The console's own refreshes (polling) are not use: an open console
		// nobody touches still times out.
		if status, _ := b.signIn(n.op); status != http.StatusCreated {
			t.Fatal("sign-in failed")
		}
		poll := func() (int, map[string]any) {
			req := n.request(http.MethodGet, "/v1/sellers", nil)
			req.Header.Set(console.BackgroundHeader, "1")
			return n.send(b.c, req)
		}
		n.clock.Set(n.clock.Now().Add(9 * time.Minute))
		status, body = poll()
		want(t, "a refresh 9 minutes after sign-in", status, body, http.StatusOK, "")
		n.clock.Set(n.clock.Now().Add(time.Minute))
		status, body = poll()
		want(t, "a refresh 10 minutes after the last use", status, body, http.StatusUnauthorized, registry.EUNAUTHORIZED)

		if status, _ := b.signIn(n.op); status != http.StatusCreated {
			t.Fatal("sign-in failed")
		}
		status, body = b.do(http.MethodDelete, "/console/session", nil, false)
		want(t, "sign-out without the CSRF token", status, body, http.StatusForbidden, registry.EFORBIDDEN)
		status, body = b.do(http.MethodDelete, "/console/session", nil, true)
		want(t, "sign-out", status, body, http.StatusNoContent, "")
		status, body = b.do(http.MethodGet, "/v1/sellers", nil, false)
		want(t, "after sign-out", status, body, http.StatusUnauthorized, registry.EUNAUTHORIZED)
	})
}

// TestSignInCookieAndRefusals: the cookie's attributes (Secure only over
// TLS), and sign-ins the console refuses: cross-site, not JSON, no key.
func TestSignInCookieAndRefusals(t *testing.T) {
	for _, tls := range []bool{false, true} {
		n := startNode(t, store.SQLite, tls)
		req := n.request(http.MethodPost, "/console/session", map[string]any{"key": n.op})
		resp, err := n.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		cookies := resp.Cookies()
		if resp.StatusCode != http.StatusCreated || len(cookies) != 1 {
			t.Fatalf("sign-in: %d, cookies %v", resp.StatusCode, cookies)
		}
		c := cookies[0]
		if c.Name != console.CookieName || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.Secure != tls || len(c.Value) < 40 {
			t.Fatalf("tls=%v: cookie %+v", tls, c)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Fatalf("sign-in answer Cache-Control %q", cc)
		}
	}

	n := startNode(t, store.SQLite, false)
	cases := []struct {
		name   string
		ctype  string
		header map[string]string
		body   string
		status int
		code   string
	}{
		{"cross-site", "application/json", map[string]string{"Sec-Fetch-Site": "cross-site"}, `{"key":"` + n.op + `"}`, http.StatusForbidden, registry.EFORBIDDEN},
		{"form post", "application/x-www-form-urlencoded", nil, "key=" + n.op, http.StatusBadRequest, registry.EINVALID},
		{"no key", "application/json", nil, `{"key":""}`, http.StatusBadRequest, registry.EINVALID},
		{"unknown field", "application/json", nil, `{"key":"x","role":"operator"}`, http.StatusBadRequest, registry.EINVALID},
		{"revoked-looking key", "application/json", nil, `{"key":"stn_0123456789abcdef_nope"}`, http.StatusUnauthorized, registry.EUNAUTHORIZED},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest(http.MethodPost, n.srv.URL+"/console/session", strings.NewReader(tc.body))
		req.Header.Set("Content-Type", tc.ctype)
		for k, v := range tc.header {
			req.Header.Set(k, v)
		}
		status, body := n.send(n.srv.Client(), req)
		want(t, tc.name, status, body, tc.status, tc.code)
	}
	// A cookie that names no session is not signed in, on the console and the API alike.
	for _, path := range []string{"/console/session", "/v1/sellers"} {
		req := n.request(http.MethodGet, path, nil)
		req.AddCookie(&http.Cookie{Name: console.CookieName, Value: "forged"})
		status, body := n.send(n.srv.Client(), req)
		want(t, "forged cookie on "+path, status, body, http.StatusUnauthorized, registry.EUNAUTHORIZED)
	}
}

// TestAssets: the page and its files are served with the security headers,
// revalidated by ETag; nothing outside the embedded files is reachable.
func TestAssets(t *testing.T) {
	n := startNode(t, store.SQLite, false)
	b := n.browser()
	req := n.request(http.MethodGet, "/", nil)
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/console/" {
		t.Fatalf("GET /: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, tc := range []struct{ path, ctype, contains string }{
		{"/console/", "text/html", `<script type="module" src="/console/assets/app.js">`},
		{"/console/assets/app.js", "text/javascript", "import"},
		{"/console/assets/console.css", "text/css", ":root"},
		{"/console/assets/i18n/ja.json", "application/json", "WALLET_UNKNOWN"},
	} {
		resp, err := b.c.Get(n.srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.ctype) || !strings.Contains(string(body), tc.contains) {
			t.Fatalf("GET %s: %d %s", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Fatalf("GET %s: CSP %q", tc.path, csp)
		}
		req := n.request(http.MethodGet, tc.path, nil)
		req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
		again, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		again.Body.Close()
		if again.StatusCode != http.StatusNotModified {
			t.Fatalf("GET %s with its ETag: %d", tc.path, again.StatusCode)
		}
	}
	for _, path := range []string{"/console/assets/../console.go", "/console/assets/nothing.js", "/console/assets/index.html", "/console/assets/"} {
		status, body := n.send(b.c, n.request(http.MethodGet, path, nil))
		if status != http.StatusNotFound && status != http.StatusMovedPermanently {
			t.Fatalf("GET %s: %d %v", path, status, body)
		}
	}
}
