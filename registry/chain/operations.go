package chain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/stonode/stonode/registry"
)

// Stores are the registry's services the chain work uses, one per concern;
// cmd/stonode builds each on the node's database handle.
type Stores struct {
	Registry   RegistryStore
	Outbox     registry.SyncStore
	Mirror     registry.MirrorStore
	Operations OperationsStore
	// Leases splits the chain work among the nodes sharing a PostgreSQL
	// database; nil on a database of one node's own (SQLite).
	Leases LeaseStore
}

// RegistryStore is what the chain work reads of the registry itself.
type RegistryStore interface {
	Issuance(ctx context.Context, id int64) (*registry.Issuance, error)
	// CheckTransfer is the eligibility engine that vets mints and forced transfers.
	CheckTransfer(ctx context.Context, issuanceID int64, c registry.TransferCheck, at time.Time) (*registry.EligibilityResult, error)
	// AlertCount is the number of open compliance alerts (a node metric).
	AlertCount(ctx context.Context) (int64, error)
}

// OperationsStore is the record of the chain work: operations, their signed
// transactions, deployments, chain identities and halts.
type OperationsStore interface {
	registry.OperationStore
	registry.ChainWorkStore
	// LastTokenOpBlock is the block of the issuance's latest succeeded
	// balance-changing operation; false when there is none.
	LastTokenOpBlock(ctx context.Context, issuanceID int64) (uint64, bool, error)
	// TokenHolder is the issuance a token address on a chain belongs to.
	TokenHolder(ctx context.Context, chainID int64, token string) (int64, bool, error)
}

// checkpoints reads the transfer mirror's position for a token.
type checkpoints interface {
	Checkpoint(ctx context.Context, chainID int64, token string) (registry.Checkpoint, bool, error)
}

// Reconciler compares an issuance's on-chain registry with the database and,
// with repair, queues the drifted wallets (Syncer.Reconcile).
type Reconciler interface {
	Reconcile(ctx context.Context, issuanceID int64, repair bool) (*registry.ReconcileReport, error)
}

// OperationsConfig tunes how operations are run.
type OperationsConfig struct {
	// Reconciler compares an issuance's on-chain registry with the database
	// (the node's Syncer); nil answers reconcile requests with EUNAVAILABLE.
	Reconciler Reconciler
	// Owner names this node on the operations it runs, so that at start it
	// resumes its own at once and another node's only once that one is
	// silent. Default: a random id (nothing is resumed at once).
	Owner string
	// Guard checks the chain's identity; default: one of its own.
	Guard *Guard
	// StuckBlocks is how many blocks a sent transaction may wait before it is
	// replaced with higher fees (default 5).
	StuckBlocks uint64
	// OutageWait bounds how long an operation not yet sent waits out an
	// unreachable chain or database before it fails, unsent (default 10 min).
	OutageWait time.Duration
	// Poll is the receipt poll interval (default 100 ms).
	Poll time.Duration
	// MaxReorgDepth: an operation whose block is deeper than this is final;
	// until then a reorg that undoes it is noticed (default 64).
	MaxReorgDepth uint64
	// Leases, when shared, runs only the operations of issuances this node
	// holds the lease of, each under its lease (see Leaser); nil or a single
	// node's runs every operation.
	Leases *Leaser
	// Controls is the registry side of transfer approvals, holder locks and
	// wallet recovery (controls.go); nil answers them with EUNAVAILABLE and
	// releases no locks.
	Controls registry.ControlStore
	// LockReleaseEvery is how often the node looks for locks due for release
	// (default 5 s).
	LockReleaseEvery time.Duration
}

// Operations is the worker that runs chain operations for the API: it queues deployments, attaches
// existing contracts after verifying them, and executes queued operations in
// the background so no request waits for blocks. Every transaction an
// operation sends is recorded before it is broadcast, so a crash or an RPC
// outage at any point ends with the operation finished exactly once.
type Operations struct {
	conn     *Conn
	store    OperationsStore
	registry RegistryStore
	mirror   checkpoints
	log      *slog.Logger
	cfg      OperationsConfig
	wake     chan struct{}
	now      func() time.Time // evaluation time of eligibility checks
}

var _ registry.ChainService = (*Operations)(nil)

// NewOperations returns the operation runner on conn and store with default settings.
func NewOperations(conn *Conn, stores Stores, log *slog.Logger) *Operations {
	return NewOperationsWith(conn, stores, log, OperationsConfig{})
}

// NewOperationsWith returns the operation runner on conn and store.
func NewOperationsWith(conn *Conn, stores Stores, log *slog.Logger, cfg OperationsConfig) *Operations {
	if cfg.Owner == "" {
		cfg.Owner = "node-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	if cfg.Guard == nil {
		cfg.Guard = NewGuard(conn, 0)
	}
	if cfg.StuckBlocks == 0 {
		cfg.StuckBlocks = 5
	}
	if cfg.OutageWait == 0 {
		cfg.OutageWait = 10 * time.Minute
	}
	if cfg.Poll == 0 {
		cfg.Poll = 100 * time.Millisecond
	}
	if cfg.MaxReorgDepth == 0 {
		cfg.MaxReorgDepth = DefaultMaxReorgDepth
	}
	return &Operations{conn: conn, store: stores.Operations, registry: stores.Registry, mirror: stores.Mirror,
		log: log, cfg: cfg, wake: make(chan struct{}, 1), now: time.Now}
}

// SetClock sets the time eligibility checks are evaluated at (tests use the
// registry's clock); call it before Run.
func (s *Operations) SetClock(now func() time.Time) { s.now = now }

// wakeWorker tells Run that an operation is queued.
func (s *Operations) wakeWorker() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// systemCtx is the identity of the node's own background work.
func systemCtx(ctx context.Context) context.Context {
	return registry.WithPrincipal(ctx, &registry.Principal{KeyID: "system", Role: registry.RoleOperator})
}

// Deploy queues the deployment of an issuance's registry and token.
func (s *Operations) Deploy(ctx context.Context, issuanceID int64) (*registry.Operation, error) {
	op, err := s.store.CreateOperation(ctx, issuanceID, registry.OpDeploy, nil)
	if err != nil {
		return nil, err
	}
	s.wakeWorker()
	return op, nil
}

// Operation returns a queued or finished operation.
func (s *Operations) Operation(ctx context.Context, id int64) (*registry.Operation, error) {
	return s.store.Operation(ctx, id)
}

// IssuanceOperations lists an issuance's operations, queued and finished.
func (s *Operations) IssuanceOperations(ctx context.Context, issuanceID int64, f registry.OperationFilter) ([]*registry.Operation, error) {
	return s.store.IssuanceOperations(ctx, issuanceID, f)
}

// Attach records existing contracts for an issuance after checking on-chain that
// they are a stonode token and registry wired together, that the node's key may
// operate them, and that the token's name, symbol and decimals are the issuance's.
func (s *Operations) Attach(ctx context.Context, issuanceID int64, token, reg string, block *uint64) (*registry.Issuance, error) {
	tokenAddr, err := registry.NormalizeAddress("tokenAddress", token)
	if err != nil {
		return nil, err
	}
	regAddr, err := registry.NormalizeAddress("registryAddress", reg)
	if err != nil {
		return nil, err
	}
	iss, err := s.registry.Issuance(ctx, issuanceID) // tenancy: 404 for another seller's issuance
	if err != nil {
		return nil, err
	}
	callCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	id, err := s.cfg.Guard.Identity(callCtx)
	if err != nil {
		return nil, registry.Errorf(registry.EUNAVAILABLE, "%v", err)
	}
	p, err := s.conn.Verify(callCtx, common.HexToAddress(tokenAddr), common.HexToAddress(regAddr))
	if err != nil {
		return nil, err
	}
	if p.Name != iss.TokenName || p.Symbol != iss.TokenSymbol || int(p.Decimals) != iss.Decimals {
		return nil, registry.Errorf(registry.EINVALID, "token is %q (%s, %d decimals) but the issuance is %q (%s, %d decimals)",
			p.Name, p.Symbol, p.Decimals, iss.TokenName, iss.TokenSymbol, iss.Decimals)
	}
	var deployedAt uint64
	if block != nil {
		deployedAt = *block
	} else if deployedAt, err = s.conn.DeploymentBlock(callCtx, common.HexToAddress(tokenAddr)); err != nil {
		return nil, registry.Errorf(registry.EINVALID, "give deploymentBlock: %v", err)
	}
	return s.store.RecordDeployment(ctx, issuanceID, registry.Deployment{ChainID: s.conn.ChainID, GenesisHash: id.GenesisHash,
		TokenAddress: tokenAddr, RegistryAddress: regAddr, Block: deployedAt})
}

const (
	// heartbeatEvery renews this node's claim on its RUNNING operations.
	heartbeatEvery = 5 * time.Second
	// ownerSilentAfter: another node's RUNNING operation whose heartbeat is
	// older than this lost its process, and this node carries it on.
	ownerSilentAfter = 30 * time.Second
	// resumeEvery is how often the node looks for silent owners' operations.
	resumeEvery = 10 * time.Second
)

// Run executes queued operations until ctx ends. It starts by resuming the
// operations this node left RUNNING (a crash or a shutdown mid-wait): with a
// recorded transaction it waits for that transaction, without one it runs the
// operation from the start, since nothing was sent.
func (s *Operations) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); s.heartbeat(ctx) }()
	go func() { defer wg.Done(); s.watchReorgs(ctx) }()
	go func() { defer wg.Done(); s.releaseDueLocks(ctx) }() // locks.go
	defer wg.Wait()
	poll := time.NewTicker(time.Second) // also picks up work queued by other nodes
	defer poll.Stop()
	var lastResume time.Time
	for {
		if s.shared() {
			// Every pass: a lease just gained may bring a RUNNING operation
			// of a node that lost it, to carry on within seconds.
			s.resumeLeased(ctx)
		} else if time.Since(lastResume) >= resumeEvery {
			lastResume = time.Now()
			ops, err := s.store.ResumeOperations(systemCtx(ctx), s.cfg.Owner, ownerSilentAfter)
			if err != nil && ctx.Err() == nil {
				s.log.Error("resume operations", slog.Any("err", err))
			}
			for _, op := range ops {
				s.log.Info("resuming operation", slog.Int64("operation", op.ID), slog.String("kind", string(op.Kind)))
				s.execute(ctx, op)
			}
		}
		for ctx.Err() == nil {
			op, err := s.claim(ctx)
			if err != nil {
				s.log.Error("claim operation", slog.Any("err", err))
				break
			}
			if op == nil {
				break
			}
			s.execute(ctx, op)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.wake:
		case <-poll.C:
		}
	}
}

// shared reports whether operations are split among nodes by leases.
func (s *Operations) shared() bool { return s.cfg.Leases != nil && s.cfg.Leases.Shared() }

// claim claims the next pending operation this node should run.
func (s *Operations) claim(ctx context.Context) (*registry.Operation, error) {
	if s.shared() {
		return s.cfg.Leases.store.ClaimLeasedOperation(systemCtx(ctx), s.cfg.Owner)
	}
	return s.store.ClaimOperation(systemCtx(ctx), s.cfg.Owner)
}

// resumeLeased carries on the RUNNING operations of the issuances whose
// leases this node holds: its own, left by a lost lease or a restart, and
// those of nodes that lost theirs.
func (s *Operations) resumeLeased(ctx context.Context) {
	ops, err := s.cfg.Leases.store.ResumeLeasedOperations(systemCtx(ctx), s.cfg.Owner)
	if err != nil && ctx.Err() == nil {
		s.log.Error("resume operations", slog.Any("err", err))
	}
	for _, op := range ops {
		s.log.Info("resuming operation under this node's lease", slog.Int64("operation", op.ID), slog.String("kind", string(op.Kind)))
		s.execute(ctx, op)
	}
}

func (s *Operations) heartbeat(ctx context.Context) {
	t := time.NewTicker(heartbeatEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.store.Heartbeat(systemCtx(ctx), s.cfg.Owner); err != nil && ctx.Err() == nil {
				s.log.Warn("operation heartbeat", slog.Any("err", err))
			}
		}
	}
}

// errHalted stops an operation of an issuance whose chain work is halted; the
// operation stays as it is until the deployment is retired.
var errHalted = errors.New("chain work halted")

func (s *Operations) execute(ctx context.Context, op *registry.Operation) {
	log := s.log.With(slog.Int64("operation", op.ID), slog.Int64("issuance", op.IssuanceID), slog.String("kind", string(op.Kind)))
	if s.shared() {
		// The operation runs under its issuance's lease: it stops when the
		// lease is lost, and every record it makes is fenced by it.
		scoped, held := s.cfg.Leases.Scope(ctx, op.IssuanceID)
		if !held {
			log.Info("operation left RUNNING for its issuance's lease holder")
			return
		}
		ctx = scoped
	}
	result, err := s.run(ctx, op)
	switch {
	case ctx.Err() != nil:
		// Shutting down, or the lease was lost: whatever was sent is on
		// record, and the next start (or the lease's next holder) resumes the
		// operation from there.
		log.Info("operation left RUNNING for the next start or lease holder")
		return
	case leaseLost(err):
		log.Warn("operation left RUNNING: this node lost its issuance's lease", slog.Any("err", err))
		return
	case errors.Is(err, errHalted):
		log.Error("operation stopped: the issuance's chain work is halted", slog.Any("err", err))
		return
	case err != nil:
		log.Warn("operation failed", slog.Any("err", err))
	default:
		log.Info("operation succeeded", slog.Any("result", result))
	}
	s.finish(ctx, log, op, result, err)
}

// finish records an operation's outcome, retrying through a database outage:
// an outcome that cannot be written leaves the operation RUNNING, and the
// next start finds it again from its recorded transactions.
func (s *Operations) finish(ctx context.Context, log *slog.Logger, op *registry.Operation, result map[string]string, failure error) {
	backoff := 200 * time.Millisecond
	deadline := time.Now().Add(s.cfg.OutageWait)
	for {
		finishCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		err := s.store.FinishOperation(systemCtx(finishCtx), op.ID, result, failure)
		cancel()
		if err == nil {
			return
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			log.Error("record operation outcome; it stays RUNNING and is resumed at the next start", slog.Any("err", err))
			return
		}
		log.Warn("record operation outcome; retrying", slog.Any("err", err))
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func (s *Operations) run(ctx context.Context, op *registry.Operation) (map[string]string, error) {
	var iss *registry.Issuance
	if err := s.retryOutage(ctx, op, "the database", func(ctx context.Context) (err error) {
		iss, err = s.registry.Issuance(systemCtx(ctx), op.IssuanceID)
		return err
	}); err != nil {
		return nil, fmt.Errorf("load issuance %d: %w", op.IssuanceID, err)
	}
	if iss.ChainHalt != "" {
		return nil, fmt.Errorf("%w for issuance %d: %s", errHalted, iss.ID, iss.ChainHalt)
	}
	switch {
	case op.Kind == registry.OpDeploy:
		return s.runDeploy(ctx, op, iss)
	case op.Kind == registry.OpBatchMint:
		return s.runBatchMint(ctx, op, iss) // allocate.go
	case isControl(op.Kind):
		return s.runControlOp(ctx, op, iss) // controls.go
	case op.Kind.TokenOperation():
		return s.runTokenOp(ctx, op, iss)
	case op.Kind == registry.OpSetTerms, op.Kind == registry.OpSetCountryRule:
		return s.runSetTerms(ctx, op, iss) // terms.go
	}
	return nil, fmt.Errorf("unknown operation kind %s", op.Kind)
}

// checkToken refuses an issuance without a token, and checks that the node's
// chain is the token's (checkChain).
func (s *Operations) checkToken(ctx context.Context, op *registry.Operation, iss *registry.Issuance) error {
	if iss.TokenAddress == "" {
		return fmt.Errorf("issuance %d has no token", op.IssuanceID)
	}
	return s.checkChain(ctx, op, iss)
}

// recordedTxs reads the transactions the operation signed and recorded
// before (none on a first run), waiting out a database outage.
func (s *Operations) recordedTxs(ctx context.Context, op *registry.Operation) ([]registry.OperationTx, error) {
	var recorded []registry.OperationTx
	err := s.retryOutage(ctx, op, "the database", func(ctx context.Context) (err error) {
		recorded, err = s.store.OperationTxs(systemCtx(ctx), op.ID)
		return err
	})
	return recorded, err
}

// checkChain halts the issuance when the node's chain is not its deployment's.
func (s *Operations) checkChain(ctx context.Context, op *registry.Operation, iss *registry.Issuance) error {
	return s.retryOutage(ctx, op, "the chain", func(ctx context.Context) error {
		err := s.cfg.Guard.Check(ctx, iss.ChainID, iss.GenesisHash)
		if errors.Is(err, registry.ErrChainChanged) {
			if _, herr := s.store.HaltIssuance(systemCtx(ctx), iss.ID, err.Error()); herr != nil {
				return herr
			}
			return fmt.Errorf("%w: %w", errHalted, err)
		}
		return err
	})
}

// retryOutage runs fn until it succeeds, fails for a reason other than an
// unreachable chain or database, or the outage outlasts OutageWait. Only work
// before anything is sent goes through it: failing then loses nothing.
func (s *Operations) retryOutage(ctx context.Context, op *registry.Operation, what string, fn func(ctx context.Context) error) error {
	start := time.Now()
	backoff := 250 * time.Millisecond
	noted := false
	for {
		err := fn(ctx)
		if err == nil || !transient(err) || ctx.Err() != nil {
			if noted {
				_ = s.store.NoteOperation(systemCtx(ctx), op.ID, map[string]string{"waiting": ""})
			}
			return err
		}
		if time.Since(start) > s.cfg.OutageWait {
			return fmt.Errorf("%s stayed unreachable for %s; nothing was sent: %w", what, s.cfg.OutageWait, err)
		}
		if !noted {
			noted = true
			s.log.Warn("operation waits out an outage", slog.Int64("operation", op.ID), slog.String("for", what), slog.Any("err", err))
			_ = s.store.NoteOperation(systemCtx(ctx), op.ID, map[string]string{"waiting": what + " (unreachable: " + shortErr(err) + ")"})
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

// transient reports an error that says the chain or the database could not be
// asked, as opposed to one that answers: a revert, a refusal, a bad request.
func transient(err error) bool {
	if err == nil {
		return false
	}
	if _, ok := ethclient.RevertErrorData(err); ok {
		return false
	}
	if registry.ErrorCode(err) == registry.EUNAVAILABLE {
		return true
	}
	var re *registry.Error
	if errors.As(err, &re) || errors.Is(err, errHalted) {
		return false
	}
	var ne net.Error
	var he rpc.HTTPError
	switch {
	case errors.As(err, &ne), errors.Is(err, context.DeadlineExceeded), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET):
		return true
	case errors.As(err, &he):
		return he.StatusCode >= 500 || he.StatusCode == 429
	}
	msg := strings.ToLower(err.Error())
	for _, m := range []string{"connection refused", "connection reset", "unexpected eof", "timeout", "bad gateway", "service unavailable", "broken pipe"} {
		if strings.Contains(msg, m) {
			return true
		}
	}
	return false
}

func lower(a common.Address) string {
	s, _ := registry.NormalizeAddress("address", a.Hex())
	return s
}

// Reconcile compares an issuance's on-chain registry with the database (see
// Syncer.Reconcile); the caller must see the issuance.
func (s *Operations) Reconcile(ctx context.Context, issuanceID int64, repair bool) (*registry.ReconcileReport, error) {
	iss, err := s.registry.Issuance(ctx, issuanceID)
	if err != nil {
		return nil, err
	}
	if err := registry.RequireOperate(registry.PrincipalFrom(ctx), iss, "reconciles issuance %d", issuanceID); err != nil {
		return nil, err
	}
	if s.cfg.Reconciler == nil {
		return nil, registry.Errorf(registry.EUNAVAILABLE, "this node runs no whitelist sync")
	}
	if iss.TokenAddress == "" {
		return nil, registry.Errorf(registry.ECONFLICT, "issuance %d has no deployment to reconcile", issuanceID)
	}
	if iss.ChainHalt != "" {
		return nil, registry.Errorf(registry.ECONFLICT, "issuance %d's chain work is halted (%s): retire the deployment, then deploy or attach anew", issuanceID, iss.ChainHalt)
	}
	if err := s.cfg.Guard.Check(ctx, iss.ChainID, iss.GenesisHash); err != nil {
		if errors.Is(err, registry.ErrChainChanged) {
			if _, herr := s.store.HaltIssuance(systemCtx(ctx), issuanceID, err.Error()); herr != nil {
				return nil, herr
			}
			return nil, registry.Errorf(registry.ECONFLICT, "issuance %d: %v; its chain work is halted", issuanceID, err)
		}
		return nil, registry.Errorf(registry.EUNAVAILABLE, "%v", err)
	}
	// A pair this node deployed for another issuance carries that issuance's
	// terms in its constructor: using it here is drift no sync can repair.
	for _, addr := range []string{iss.TokenAddress, iss.RegistryAddress} {
		if other, found, err := s.store.DeployedFor(ctx, iss.GenesisHash, addr); err != nil {
			return nil, err
		} else if found && other != issuanceID {
			return nil, registry.Errorf(registry.ECONFLICT, "contract %s was deployed by this node for issuance %d, not %d: retire this deployment",
				addr, other, issuanceID)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	rep, err := s.cfg.Reconciler.Reconcile(ctx, issuanceID, repair)
	if err != nil {
		return nil, err
	}
	if rep.Roles, err = s.conn.Roles(ctx, common.HexToAddress(iss.TokenAddress), common.HexToAddress(iss.RegistryAddress), iss.DeploymentBlock); err != nil {
		return nil, registry.Errorf(registry.EUNAVAILABLE, "roles: %v", err)
	}
	return rep, nil
}
