// Package console is stonode's web console for back offices: a browser
// front end (plain HTML, ES modules and CSS, embedded in the binary) that
// calls the REST API under /v1 with a server-side session instead of a bearer
// key, in Japanese and English.
//
// A user signs in with an API key; the console keeps the session in memory
// and gives the browser an HttpOnly, SameSite=Strict cookie (Secure over TLS)
// and a CSRF token that every state-changing request must carry in the
// X-CSRF-Token header. The API's authentication middleware asks Principal for
// requests without an Authorization header, so a session has exactly the
// roles and tenancy of the key it was opened with; the key is authenticated
// again on every request, so a revoked key or a suspended or revoked seller
// loses its sessions at once.
package console

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

//go:embed assets
var assetFS embed.FS

// CookieName is the session cookie.
const CookieName = "stonode_console"

// CSRFHeader carries the session's CSRF token on state-changing requests.
const CSRFHeader = "X-CSRF-Token"

// BackgroundHeader marks the console's own refreshes (polling for live
// states): they do not count as use, so an open but unattended console still
// reaches its idle timeout.
const BackgroundHeader = "X-Console-Background"

// Defaults for Options left zero.
const (
	DefaultIdleTimeout = 30 * time.Minute
	DefaultMaxAge      = 12 * time.Hour
	DefaultMaxSessions = 10000
)

// Authenticator resolves an API key and reads a seller; registry.Service is one.
type Authenticator interface {
	Authenticate(ctx context.Context, secret string) (*registry.Principal, error)
	Seller(ctx context.Context, id int64) (*registry.Seller, error)
}

// Options tune sessions; zero values take the defaults.
type Options struct {
	IdleTimeout time.Duration    // a session unused this long ends
	MaxAge      time.Duration    // a session ends this long after sign-in, used or not
	MaxSessions int              // sessions held at once; the least recently used goes first
	Now         func() time.Time // the clock; nil means time.Now
}

// Console serves the console's pages and sessions.
type Console struct {
	auth     Authenticator
	fail     func(*gin.Context, error)
	sessions *sessions
	assets   map[string]asset
}

type asset struct {
	body        []byte
	contentType string
	etag        string
}

// New builds a console. fail writes an error response: the API's own, so that
// the console's errors have the API's codes, statuses and body.
func New(auth Authenticator, fail func(*gin.Context, error), opts Options) *Console {
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	if opts.MaxAge <= 0 {
		opts.MaxAge = DefaultMaxAge
	}
	if opts.MaxSessions <= 0 {
		opts.MaxSessions = DefaultMaxSessions
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Console{auth: auth, fail: fail, sessions: newSessions(opts.IdleTimeout, opts.MaxAge, opts.MaxSessions, opts.Now),
		assets: loadAssets()}
}

// loadAssets reads the embedded files once, with a content hash as ETag so a
// browser revalidates cheaply and never keeps a stale file after an upgrade.
func loadAssets() map[string]asset {
	out := map[string]asset{}
	root, err := fs.Sub(assetFS, "assets")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	err = fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		sum := sha256.Sum256(b)
		out[p] = asset{body: b, contentType: ct, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		return nil
	})
	if err != nil {
		panic(err)
	}
	return out
}

// Mount adds the console's routes: the page at /console/, its files under
// /console/assets/, and the session at /console/session (GET: who am I,
// POST: sign in, DELETE: sign out). / redirects to the console.
func (c *Console) Mount(r gin.IRoutes) {
	r.GET("/", func(g *gin.Context) { g.Redirect(http.StatusFound, "/console/") })
	r.GET("/console", func(g *gin.Context) { g.Redirect(http.StatusMovedPermanently, "/console/") })
	r.GET("/console/", c.index)
	r.GET("/console/assets/*file", c.file)
	r.GET("/console/session", c.current)
	r.POST("/console/session", c.signIn)
	r.DELETE("/console/session", c.signOut)
}

// securityHeaders: the console runs only its own scripts and styles, talks
// only to its own origin and is never framed.
func securityHeaders(g *gin.Context) {
	h := g.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
}

func (c *Console) index(g *gin.Context) { c.serve(g, "index.html") }

func (c *Console) file(g *gin.Context) {
	name := strings.TrimPrefix(g.Param("file"), "/")
	if name == "index.html" {
		c.fail(g, registry.Errorf(registry.ENOTFOUND, "no such console file"))
		return
	}
	c.serve(g, name)
}

func (c *Console) serve(g *gin.Context, name string) {
	a, ok := c.assets[name]
	if !ok {
		c.fail(g, registry.Errorf(registry.ENOTFOUND, "no such console file"))
		return
	}
	securityHeaders(g)
	g.Header("Cache-Control", "no-cache")
	g.Header("ETag", a.etag)
	g.Header("Content-Type", a.contentType)
	http.ServeContent(g.Writer, g.Request, "", time.Time{}, bytes.NewReader(a.body))
}

// sessionJSON is what the browser learns about its session; the CSRF token is
// readable by the console's script (and no other origin's), the session id
// never is.
type sessionJSON struct {
	Role               string    `json:"role"`
	SellerID           int64     `json:"sellerId,omitempty"`
	KeyID              string    `json:"keyId"`
	CSRFToken          string    `json:"csrfToken"`
	IdleTimeoutSeconds int       `json:"idleTimeoutSeconds"`
	ExpiresAt          time.Time `json:"expiresAt"`
}

func (c *Console) describe(ss session, p *registry.Principal) sessionJSON {
	return sessionJSON{Role: string(p.Role), SellerID: p.SellerID, KeyID: p.KeyID, CSRFToken: ss.csrf,
		IdleTimeoutSeconds: int(c.sessions.idle / time.Second), ExpiresAt: ss.created.Add(c.sessions.maxAge).UTC()}
}

type signInRequest struct {
	Key string `json:"key"`
}

// signIn opens a session for a valid key. The body must be JSON, which a
// cross-site HTML form cannot send, and Go's cross-origin protection refuses
// cross-site browser requests outright: no one can sign a victim's browser
// into the attacker's account.
func (c *Console) signIn(g *gin.Context) {
	if err := http.NewCrossOriginProtection().Check(g.Request); err != nil {
		c.fail(g, registry.Errorf(registry.EFORBIDDEN, "cross-origin sign-in refused"))
		return
	}
	if mt, _, _ := mime.ParseMediaType(g.GetHeader("Content-Type")); mt != "application/json" {
		c.fail(g, registry.Errorf(registry.EINVALID, "sign-in takes a JSON body: {\"key\":\"stn_…\"}"))
		return
	}
	var req signInRequest
	dec := json.NewDecoder(io.LimitReader(g.Request.Body, 4<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		c.fail(g, registry.Errorf(registry.EINVALID, "sign-in takes a JSON body: {\"key\":\"stn_…\"}"))
		return
	}
	req.Key = strings.TrimSpace(req.Key)
	if req.Key == "" {
		c.fail(g, registry.Errorf(registry.EINVALID, "key is required"))
		return
	}
	p, err := c.admit(g.Request.Context(), req.Key)
	if err != nil {
		c.fail(g, err)
		return
	}
	// A session id presented before sign-in is never reused (no fixation).
	if old, err := g.Cookie(CookieName); err == nil {
		c.sessions.end(old)
	}
	ss := c.sessions.open(req.Key, p.KeyID)
	c.setCookie(g, ss.id, int(c.sessions.maxAge/time.Second))
	g.Header("Cache-Control", "no-store")
	g.JSON(http.StatusCreated, c.describe(*ss, p))
}

// current answers who the session is, with its CSRF token (the console reads
// it after a reload).
func (c *Console) current(g *gin.Context) {
	ss, p, err := c.resolve(g.Request)
	if err != nil {
		c.clearCookie(g)
		c.fail(g, err)
		return
	}
	g.Header("Cache-Control", "no-store")
	g.JSON(http.StatusOK, c.describe(ss, p))
}

// signOut ends the session; like every state change it needs the CSRF token.
func (c *Console) signOut(g *gin.Context) {
	ss, _, err := c.resolve(g.Request)
	if err != nil {
		c.clearCookie(g)
		c.fail(g, err)
		return
	}
	if !csrfMatches(ss, g.GetHeader(CSRFHeader)) {
		c.fail(g, errCSRF())
		return
	}
	c.sessions.end(ss.id)
	c.clearCookie(g)
	g.Status(http.StatusNoContent)
}

// HasSession reports whether r carries a console session cookie (valid or not).
func HasSession(r *http.Request) bool {
	ck, err := r.Cookie(CookieName)
	return err == nil && ck.Value != ""
}

// Principal authenticates an API request made with a console session: the
// session must be live, a state-changing request must carry the session's
// CSRF token, and the session's key must still authenticate (and its seller
// still be active). A session that fails the last check is ended.
func (c *Console) Principal(r *http.Request) (*registry.Principal, error) {
	ss, p, err := c.resolve(r)
	if err != nil {
		return nil, err
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
	default:
		if !csrfMatches(ss, r.Header.Get(CSRFHeader)) {
			return nil, errCSRF()
		}
	}
	return p, nil
}

func errCSRF() error {
	return registry.Errorf(registry.EFORBIDDEN, "a console request that changes something needs the session's CSRF token in %s", CSRFHeader)
}

// resolve finds r's session and authenticates its key again.
func (c *Console) resolve(r *http.Request) (session, *registry.Principal, error) {
	ck, err := r.Cookie(CookieName)
	if err != nil || ck.Value == "" {
		return session{}, nil, registry.Errorf(registry.EUNAUTHORIZED, "not signed in to the console")
	}
	ss, ok := c.sessions.lookup(ck.Value, r.Header.Get(BackgroundHeader) == "")
	if !ok {
		return session{}, nil, registry.Errorf(registry.EUNAUTHORIZED, "the console session has expired or ended; sign in again")
	}
	p, err := c.admit(r.Context(), ss.secret)
	if err != nil {
		if code := registry.ErrorCode(err); code == registry.EUNAUTHORIZED || code == registry.EFORBIDDEN {
			// Every session of a revoked key or of a seller no longer active ends.
			c.sessions.endKey(ss.keyID)
		}
		return session{}, nil, err
	}
	return ss, p, nil
}

// admit authenticates a key and, for a seller's key, requires the seller to
// be active: the console is for running a business, which a suspended or
// revoked seller may not do.
func (c *Console) admit(ctx context.Context, secret string) (*registry.Principal, error) {
	p, err := c.auth.Authenticate(ctx, secret)
	if err != nil {
		return nil, err
	}
	if p.Role == registry.RoleSeller {
		sel, err := c.auth.Seller(registry.WithPrincipal(ctx, p), p.SellerID)
		if err != nil {
			if registry.ErrorCode(err) == registry.ENOTFOUND {
				return nil, registry.Errorf(registry.EUNAUTHORIZED, "the key's seller no longer exists")
			}
			return nil, err
		}
		if sel.Status != registry.SellerActive {
			return nil, registry.Errorf(registry.EUNAUTHORIZED, "the seller is %s; its console sessions have ended", strings.ToLower(string(sel.Status)))
		}
	}
	return p, nil
}

func (c *Console) setCookie(g *gin.Context, value string, maxAge int) {
	http.SetCookie(g.Writer, &http.Cookie{Name: CookieName, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: g.Request.TLS != nil})
}

func (c *Console) clearCookie(g *gin.Context) { c.setCookie(g, "", -1) }
