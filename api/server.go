// Package api serves stonode's REST API over gin: routes, authentication, request
// decoding and the mapping of domain errors to HTTP.
package api

import (
	"context"
	_ "embed"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/stonode/stonode/api/console"
	"github.com/stonode/stonode/registry"
)

//go:embed openapi.yaml
var openAPIDocument []byte

// MaxBodyBytes bounds a request body; a batch of 1,000 addresses is ~50 KB.
const MaxBodyBytes = 256 << 10

// Options configure a Server.
type Options struct {
	Logger *slog.Logger
	// Clock returns the evaluation time of eligibility decisions; nil means time.Now.
	Clock func() time.Time
	// Chain deploys and attaches contracts and runs token operations; nil
	// means a node without a chain, whose chain routes answer 503.
	Chain registry.ChainService
	// Deployments retires deployments and lists halts; nil answers those
	// routes with 503.
	Deployments registry.DeploymentAdmin
	// Mirror reads mirrored transfers and holders; nil answers those routes
	// with 503.
	Mirror registry.MirrorReader
	// Readiness lists why the node cannot do its chain work (a halted
	// issuance, an unreachable or stalled chain); /readyz answers 503 with
	// them. Nil: only the database is checked.
	Readiness func(ctx context.Context) []string
	// Metrics is where the API registers its series and what /metrics serves;
	// nil means a private registry with the Go and process collectors.
	Metrics *prometheus.Registry
	// Console tunes the web console's sessions (idle timeout, lifetime, clock).
	Console console.Options
	// Bulk onboards investors in bulk; nil: the registry service does, if it can.
	Bulk registry.BulkService
	// Records keeps investors' personal data and the holder register with its
	// snapshots (personal.go, register.go); nil answers those routes with 503.
	Records Records
	// Nodes lists the nodes running chain work and their leases (nodes.go);
	// nil answers GET /v1/nodes with 503.
	Nodes registry.NodeDirectory
	// Controls runs transfer approvals, holder locks, wallet recovery and the
	// admin handover; nil answers those routes with 503 and shows no locked
	// amounts in the register.
	Controls registry.ControlService
	// Terms changes issuances' terms; nil answers those routes with 503.
	Terms registry.TermService
	// Webhooks manages webhook subscriptions; nil answers those routes with
	// 503. WakeWebhooks, if set, tells the delivery worker of a re-delivery.
	Webhooks     registry.WebhookService
	WakeWebhooks func()
}

// Server is the HTTP API.
type Server struct {
	svc         registry.Service
	chain       registry.ChainService
	deployments registry.DeploymentAdmin
	mirror      registry.MirrorReader
	readiness   func(ctx context.Context) []string
	metrics     *httpMetrics
	gather      prometheus.Gatherer
	log         *slog.Logger
	now         func() time.Time
	engine      *gin.Engine
	console     *console.Console

	// Bulk onboarding, allocations and distributions (bulk.go, allocations.go, distributions.go).
	bulk registry.BulkService

	// Personal data and the holder register (personal.go, register.go).
	records Records

	nodes registry.NodeDirectory // nodes.go

	// Post-issuance controls (transferapprovals.go, locks.go, recovery.go).
	controls registry.ControlService

	// Term changes and webhooks (terms.go, webhooks.go).
	terms        registry.TermService
	webhooks     registry.WebhookService
	wakeWebhooks func()
}

// route is one endpoint; the table drives registration and the OpenAPI check.
type route struct {
	method  string
	path    string
	roles   []registry.Role // nil: no authentication
	handler gin.HandlerFunc
}

var (
	anyRole       = []registry.Role{registry.RoleOperator, registry.RoleSeller, registry.RoleReader}
	operatorOnly  = []registry.Role{registry.RoleOperator}
	administrator = []registry.Role{registry.RoleOperator, registry.RoleSeller}
)

// New builds the API around a registry service.
func New(svc registry.Service, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Chain == nil {
		opts.Chain = noChain{}
	}
	if opts.Deployments == nil {
		opts.Deployments = noDeployments{}
	}
	if opts.Metrics == nil {
		opts.Metrics = NewMetricsRegistry()
	}
	if opts.Terms == nil {
		opts.Terms = noTerms{}
	}
	if opts.Webhooks == nil {
		opts.Webhooks = noWebhooks{}
	}
	if opts.Records == nil {
		opts.Records = noRecords{}
	}
	if opts.Nodes == nil {
		opts.Nodes = noNodes{}
	}
	if opts.Controls == nil {
		opts.Controls = noControls{}
	}
	gin.SetMode(gin.ReleaseMode)
	s := &Server{svc: svc, chain: opts.Chain, deployments: opts.Deployments, mirror: opts.Mirror, readiness: opts.Readiness, metrics: newHTTPMetrics(opts.Metrics), gather: opts.Metrics,
		log: opts.Logger, now: opts.Clock, engine: gin.New()}
	s.bulk = opts.Bulk
	s.records = opts.Records
	s.nodes = opts.Nodes
	s.controls = opts.Controls
	s.terms, s.webhooks, s.wakeWebhooks = opts.Terms, opts.Webhooks, opts.WakeWebhooks
	s.engine.HandleMethodNotAllowed = true
	s.engine.ContextWithFallback = true
	s.engine.Use(s.recoverJSON, s.accessLog, s.checkParams)
	s.engine.NoRoute(func(c *gin.Context) { s.fail(c, registry.Errorf(registry.ENOTFOUND, "no such route")) })
	s.engine.NoMethod(func(c *gin.Context) {
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, errorBody{Error: errorDetail{Code: "method_not_allowed", Message: "method not allowed"}})
	})
	s.console = console.New(svc, s.fail, opts.Console)
	s.console.Mount(s.engine)
	for _, r := range s.routes() {
		handlers := []gin.HandlerFunc{}
		if r.roles != nil {
			handlers = append(handlers, s.authenticate(r.roles))
		}
		s.engine.Handle(r.method, r.path, append(handlers, r.handler)...)
	}
	return s
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// OpenAPI returns the embedded OpenAPI 3 document.
func OpenAPI() []byte { return openAPIDocument }

// routes is the API's one route table: every endpoint, its roles and its
// handler. Handlers and their JSON shapes live in one file per resource.
func (s *Server) routes() []route {
	return []route{
		{http.MethodGet, "/healthz", nil, s.healthz},
		{http.MethodGet, "/readyz", nil, s.readyz},
		{http.MethodGet, "/openapi.yaml", nil, s.openapi},
		{http.MethodGet, "/metrics", anyRole, s.metricsHandler(s.gather)},
		{http.MethodGet, "/v1/reason-codes", anyRole, s.reasonCodes},
		{http.MethodGet, "/v1/withholding-rates", anyRole, s.withholdingRates},
		{http.MethodGet, "/v1/nodes", operatorOnly, s.listNodes},

		// Post-issuance controls (transferapprovals.go, locks.go, recovery.go).
		{http.MethodPost, "/v1/issuances/:id/transfer-approvals", administrator, s.requestApproval},
		{http.MethodGet, "/v1/issuances/:id/transfer-approvals", administrator, s.listApprovals},
		{http.MethodGet, "/v1/issuances/:id/transfer-approvals/:approvalId", administrator, s.getApproval},
		{http.MethodPost, "/v1/issuances/:id/transfer-approvals/:approvalId/approve", administrator, s.decideApproval(registry.ApprovalApproved)},
		{http.MethodPost, "/v1/issuances/:id/transfer-approvals/:approvalId/reject", administrator, s.decideApproval(registry.ApprovalRejected)},
		{http.MethodPost, "/v1/issuances/:id/transfer-approvals/:approvalId/cancel", administrator, s.decideApproval(registry.ApprovalCancelled)},
		{http.MethodPost, "/v1/issuances/:id/locks", administrator, s.createLock},
		{http.MethodGet, "/v1/issuances/:id/locks", administrator, s.listLocks},
		{http.MethodGet, "/v1/issuances/:id/locks/:lockId", administrator, s.getLock},
		{http.MethodPost, "/v1/issuances/:id/locks/:lockId/release", administrator, s.releaseLock},
		{http.MethodPost, "/v1/issuances/:id/recoveries", administrator, s.recoverWallet},
		{http.MethodPost, "/v1/issuances/:id/deployment/admin", administrator, s.handOverAdmin},
		{http.MethodGet, "/v1/issuances/:id/deployment/roles", administrator, s.deploymentRoles},

		{http.MethodPost, "/v1/sellers", operatorOnly, s.createSeller},
		{http.MethodGet, "/v1/sellers", administrator, s.listSellers},
		{http.MethodGet, "/v1/sellers/:id", administrator, s.getSeller},
		{http.MethodPost, "/v1/sellers/:id/suspend", operatorOnly, s.changeSellerStatus(registry.SellerSuspended)},
		{http.MethodPost, "/v1/sellers/:id/reinstate", operatorOnly, s.changeSellerStatus(registry.SellerActive)},
		{http.MethodPost, "/v1/sellers/:id/revoke", operatorOnly, s.changeSellerStatus(registry.SellerRevoked)},
		{http.MethodPost, "/v1/sellers/:id/keys", operatorOnly, s.createSellerKey},
		{http.MethodGet, "/v1/sellers/:id/keys", administrator, s.listSellerKeys},
		{http.MethodDelete, "/v1/sellers/:id/keys/:keyId", operatorOnly, s.revokeSellerKey},
		{http.MethodPost, "/v1/keys", operatorOnly, s.createKey},
		{http.MethodGet, "/v1/keys", operatorOnly, s.listKeys},
		{http.MethodDelete, "/v1/keys/:keyId", operatorOnly, s.revokeKey},

		{http.MethodPost, "/v1/issuances", administrator, s.createIssuance},
		{http.MethodGet, "/v1/issuances", administrator, s.listIssuances},
		{http.MethodGet, "/v1/issuances/:id", administrator, s.getIssuance},
		{http.MethodPost, "/v1/issuances/:id/status", administrator, s.transitionIssuance},
		{http.MethodPost, "/v1/issuances/:id/deploy", administrator, s.deploy},
		{http.MethodPost, "/v1/issuances/:id/attach", administrator, s.attach},
		{http.MethodGet, "/v1/operations/:id", administrator, s.getOperation},
		{http.MethodGet, "/v1/issuances/:id/operations", administrator, s.listOperations}, // operations.go
		{http.MethodPost, "/v1/issuances/:id/mint", administrator, s.tokenOp(registry.OpMint)},
		{http.MethodPost, "/v1/issuances/:id/allocations", administrator, s.allocate},
		{http.MethodGet, "/v1/issuances/:id/allocations/:operationId", administrator, s.getAllocation},
		{http.MethodPost, "/v1/issuances/:id/forced-transfers", administrator, s.tokenOp(registry.OpForcedTransfer)},
		{http.MethodPost, "/v1/issuances/:id/redemptions", administrator, s.tokenOp(registry.OpRedeem)},
		{http.MethodPost, "/v1/issuances/:id/freezes", administrator, s.tokenOp(registry.OpFreeze)},
		{http.MethodPost, "/v1/issuances/:id/unfreezes", administrator, s.tokenOp(registry.OpUnfreeze)},
		{http.MethodPost, "/v1/issuances/:id/pause", administrator, s.tokenOp(registry.OpPause)},
		{http.MethodPost, "/v1/issuances/:id/unpause", administrator, s.tokenOp(registry.OpUnpause)},
		{http.MethodGet, "/v1/issuances/:id/whitelist", administrator, s.listWhitelist},
		{http.MethodPut, "/v1/issuances/:id/whitelist/:investorId", administrator, s.approve},
		{http.MethodDelete, "/v1/issuances/:id/whitelist/:investorId", administrator, s.revoke},
		{http.MethodGet, "/v1/issuances/:id/eligibility/:address", anyRole, s.eligibility},
		{http.MethodPost, "/v1/issuances/:id/eligibility", anyRole, s.batchEligibility},
		{http.MethodPost, "/v1/issuances/:id/transfer-checks", anyRole, s.transferCheck},

		{http.MethodPost, "/v1/investors", administrator, s.createInvestor},
		{http.MethodPost, "/v1/investors/bulk", administrator, s.bulkInvestors},
		{http.MethodGet, "/v1/investors", administrator, s.listInvestors},
		{http.MethodGet, "/v1/investors/:id", administrator, s.getInvestor},
		{http.MethodGet, "/v1/investors/:id/wallets", administrator, s.listWallets},
		{http.MethodPost, "/v1/investors/:id/wallets", administrator, s.addWallet},
		{http.MethodDelete, "/v1/investors/:id/wallets/:address", administrator, s.removeWallet},
		{http.MethodPut, "/v1/investors/:id/kyc", administrator, s.updateKYC},
		{http.MethodPut, "/v1/investors/:id/screening", administrator, s.updateScreening},
		{http.MethodPut, "/v1/investors/:id/categories", administrator, s.setCategories},
		{http.MethodPost, "/v1/investors/:id/freeze", administrator, s.setFrozen(true)},
		{http.MethodPost, "/v1/investors/:id/unfreeze", administrator, s.setFrozen(false)},
		{http.MethodPut, "/v1/investors/:id/personal-data", administrator, s.setPersonalData},
		{http.MethodGet, "/v1/investors/:id/personal-data", anyRole, s.getPersonalData},
		{http.MethodGet, "/v1/investors/:id/personal-data/versions", anyRole, s.listPersonalDataVersions},

		{http.MethodGet, "/v1/audit", administrator, s.audit},

		// Mirror reads: transfers, holders and the holder register at a record date.
		{http.MethodGet, "/v1/issuances/:id/transfers", administrator, s.listTransfers},
		{http.MethodGet, "/v1/issuances/:id/holders", administrator, s.holders},
		{http.MethodGet, "/v1/issuances/:id/holders/register", administrator, s.register},
		{http.MethodGet, "/v1/issuances/:id/distributions", administrator, s.distribution},
		{http.MethodPost, "/v1/issuances/:id/distributions/redemptions", administrator, s.redeemDistribution},
		{http.MethodPost, "/v1/issuances/:id/holders/register/snapshots", administrator, s.finaliseRegister},
		{http.MethodGet, "/v1/issuances/:id/holders/register/snapshots", administrator, s.listRegisterSnapshots},
		{http.MethodGet, "/v1/issuances/:id/holders/register/snapshots/:snapshotId", administrator, s.getRegisterSnapshot},

		{http.MethodGet, "/v1/alerts", administrator, s.listAlerts},
		{http.MethodGet, "/v1/issuances/:id/alerts", administrator, s.listIssuanceAlerts},
		{http.MethodGet, "/v1/issuances/:id/reconcile", administrator, s.reconcile(false)},
		{http.MethodPost, "/v1/issuances/:id/reconcile", administrator, s.reconcile(true)},

		// The way out of a halt (see deployments.go).
		{http.MethodPost, "/v1/issuances/:id/deployment/retire", administrator, s.retireDeployment},
		{http.MethodGet, "/v1/issuances/:id/deployments", administrator, s.listRetiredDeployments},
		{http.MethodGet, "/v1/issuances/:id/halts", administrator, s.listHalts},

		// Term changes (terms.go) and webhooks (webhooks.go).
		{http.MethodPost, "/v1/issuances/:id/terms", administrator, s.changeTerms},
		{http.MethodGet, "/v1/issuances/:id/term-changes", administrator, s.listTermChanges},
		{http.MethodGet, "/v1/issuances/:id/term-changes/:changeId", administrator, s.getTermChange},
		{http.MethodPost, "/v1/issuances/:id/term-changes/:changeId/cancel", administrator, s.cancelTermChange},
		{http.MethodPost, "/v1/webhooks", administrator, s.createSubscription},
		{http.MethodGet, "/v1/webhooks", administrator, s.listSubscriptions},
		{http.MethodGet, "/v1/webhooks/:id", administrator, s.getSubscription},
		{http.MethodDelete, "/v1/webhooks/:id", administrator, s.deleteSubscription},
		{http.MethodGet, "/v1/webhooks/:id/deliveries", administrator, s.listDeliveries},
		{http.MethodPost, "/v1/webhooks/:id/deliveries/:deliveryId/redeliver", administrator, s.redeliver},
	}
}

// authenticate resolves the bearer key, or without an Authorization header
// the web console's session (which needs its CSRF token on state-changing
// requests), and admits only the given roles.
func (s *Server) authenticate(roles []registry.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		header := c.GetHeader("Authorization")
		var p *registry.Principal
		if header == "" && console.HasSession(c.Request) {
			var err error
			if p, err = s.console.Principal(c.Request); err != nil {
				s.fail(c, err)
				return
			}
		} else {
			secret, ok := strings.CutPrefix(header, "Bearer ")
			if !ok || secret == "" {
				c.Header("WWW-Authenticate", `Bearer realm="stonode"`)
				s.fail(c, registry.Errorf(registry.EUNAUTHORIZED, "an API key is required: Authorization: Bearer <key>"))
				return
			}
			var err error
			if p, err = s.svc.Authenticate(c.Request.Context(), secret); err != nil {
				c.Header("WWW-Authenticate", `Bearer realm="stonode", error="invalid_token"`)
				s.fail(c, err)
				return
			}
		}
		allowed := false
		for _, r := range roles {
			allowed = allowed || p.Role == r
		}
		if !allowed {
			s.fail(c, registry.Errorf(registry.EFORBIDDEN, "a %s key may not use this endpoint", p.Role))
			return
		}
		c.Request = c.Request.WithContext(registry.WithPrincipal(c.Request.Context(), p))
		c.Next()
	}
}

// recoverJSON turns a panic into a logged 500 with the standard error body.
func (s *Server) recoverJSON(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v)
			}
			s.log.ErrorContext(c.Request.Context(), "panic", slog.Any("panic", v), slog.String("route", c.FullPath()))
			s.fail(c, errors.New("panic"))
		}
	}()
	c.Next()
}

// accessLog observes every request's latency and logs it at info level; the
// key is the principal's that authenticate put in the request's context.
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	took := time.Since(start)
	s.metrics.observe(c, took)
	ctx := c.Request.Context()
	if !s.log.Enabled(ctx, slog.LevelInfo) {
		return // the attributes below cost more than the disabled call
	}
	key := ""
	if p := registry.PrincipalFrom(ctx); p != nil {
		key = p.KeyID
	}
	s.log.LogAttrs(ctx, slog.LevelInfo, "http",
		slog.String("method", c.Request.Method), slog.String("route", c.FullPath()),
		slog.Int("status", c.Writer.Status()), slog.Duration("took", took), slog.String("key", key))
}

// listOf answers a page of domain items in their JSON form, or the error that
// fetching them gave.
func listOf[T, J any](s *Server, c *gin.Context, items []T, err error, limit int, toJSON func(T) J, lastID func(J) int64) {
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]J, len(items))
	for i, x := range items {
		out[i] = toJSON(x)
	}
	list(c, out, limit, lastID)
}

// list writes a page of items with the cursor of the next page when it is full.
func list[T any](c *gin.Context, items []T, limit int, lastID func(T) int64) {
	out := listJSON[T]{Items: items}
	if out.Items == nil {
		out.Items = []T{}
	}
	if len(items) == limit && limit > 0 {
		next := lastID(items[len(items)-1])
		out.Next = &next
	}
	c.JSON(http.StatusOK, out)
}

// listJSON is the envelope of every list response; Next is the cursor for the
// following page, absent on the last one.
type listJSON[T any] struct {
	Items []T    `json:"items"`
	Next  *int64 `json:"next,omitempty"`
}
