package chain

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/stonode/stonode/registry"
)

// Store is what the chain service needs of the registry.
type Store interface {
	registry.OperationStore
	Issuance(ctx context.Context, id int64) (*registry.Issuance, error)
	// CheckTransfer is the eligibility engine that vets mints and forced transfers.
	CheckTransfer(ctx context.Context, issuanceID int64, c registry.TransferCheck, at time.Time) (*registry.EligibilityResult, error)
	// LastTokenOpBlock is the block of the issuance's latest succeeded
	// balance-changing operation; false when there is none.
	LastTokenOpBlock(ctx context.Context, issuanceID int64) (uint64, bool, error)
	// Checkpoint is the transfer mirror's position for a token.
	Checkpoint(ctx context.Context, chainID int64, token string) (registry.Checkpoint, bool, error)
}

// Service runs chain operations for the API: it queues deployments, attaches
// existing contracts after verifying them, and executes queued operations in
// the background so no request waits for blocks.
type Service struct {
	syncer *Syncer // set by NewNode; reconcile needs it
	conn   *Conn
	store  Store
	log    *slog.Logger
	wake   chan struct{}
	now    func() time.Time // evaluation time of eligibility checks
}

var _ registry.ChainService = (*Service)(nil)

// NewService returns a service on conn and store.
func NewService(conn *Conn, store Store, log *slog.Logger) *Service {
	return &Service{conn: conn, store: store, log: log, wake: make(chan struct{}, 1), now: time.Now}
}

// SetClock sets the time eligibility checks are evaluated at (tests use the
// registry's clock); call it before Run.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// wakeWorker tells Run that an operation is queued.
func (s *Service) wakeWorker() {
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
func (s *Service) Deploy(ctx context.Context, issuanceID int64) (*registry.Operation, error) {
	op, err := s.store.CreateOperation(ctx, issuanceID, registry.OpDeploy, nil)
	if err != nil {
		return nil, err
	}
	s.wakeWorker()
	return op, nil
}

// Operation returns a queued or finished operation.
func (s *Service) Operation(ctx context.Context, id int64) (*registry.Operation, error) {
	return s.store.Operation(ctx, id)
}

// Attach records existing contracts for an issuance after checking on-chain that
// they are a stonode token and registry wired together, that the node's key may
// operate them, and that the token's name, symbol and decimals are the issuance's.
func (s *Service) Attach(ctx context.Context, issuanceID int64, token, reg string, block *uint64) (*registry.Issuance, error) {
	tokenAddr, err := registry.NormalizeAddress("tokenAddress", token)
	if err != nil {
		return nil, err
	}
	regAddr, err := registry.NormalizeAddress("registryAddress", reg)
	if err != nil {
		return nil, err
	}
	iss, err := s.store.Issuance(ctx, issuanceID) // tenancy: 404 for another seller's issuance
	if err != nil {
		return nil, err
	}
	callCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
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
	return s.store.RecordDeployment(ctx, issuanceID, registry.Deployment{ChainID: s.conn.ChainID,
		TokenAddress: tokenAddr, RegistryAddress: regAddr, Block: deployedAt})
}

// staleOperation is longer than any operation runs (deploys time out after five
// minutes): a RUNNING operation older than this lost its process.
const staleOperation = 10 * time.Minute

// Run executes queued operations until ctx ends. Operations whose process died
// are failed (their transactions may or may not have been mined), at start and
// then every half minute, so one node's restart never fails another's work.
func (s *Service) Run(ctx context.Context) error {
	poll := time.NewTicker(time.Second) // also picks up work queued by other nodes
	defer poll.Stop()
	var lastSweep time.Time
	for {
		if time.Since(lastSweep) > 30*time.Second {
			lastSweep = time.Now()
			if n, err := s.store.FailInterrupted(systemCtx(ctx), staleOperation); err != nil {
				s.log.Error("fail interrupted operations", slog.Any("err", err))
			} else if n > 0 {
				s.log.Warn("failed operations interrupted by a restart", slog.Int("count", n))
			}
		}
		for {
			op, err := s.store.ClaimOperation(systemCtx(ctx))
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

func (s *Service) execute(ctx context.Context, op *registry.Operation) {
	log := s.log.With(slog.Int64("operation", op.ID), slog.Int64("issuance", op.IssuanceID), slog.String("kind", string(op.Kind)))
	result, err := s.run(ctx, op)
	if err != nil {
		log.Warn("operation failed", slog.Any("err", err))
	} else {
		log.Info("operation succeeded", slog.Any("result", result))
	}
	// Record the outcome even if ctx is ending, so no operation stays RUNNING.
	finishCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if ferr := s.store.FinishOperation(systemCtx(finishCtx), op.ID, result, err); ferr != nil {
		log.Error("record operation outcome", slog.Any("err", ferr))
	}
}

func (s *Service) run(ctx context.Context, op *registry.Operation) (map[string]string, error) {
	switch op.Kind {
	case registry.OpDeploy:
		iss, err := s.store.Issuance(systemCtx(ctx), op.IssuanceID)
		if err != nil {
			return nil, err
		}
		deployCtx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		defer cancel()
		d, err := s.conn.Deploy(deployCtx, ParamsFor(iss))
		if err != nil {
			return nil, err
		}
		if _, err := s.store.RecordDeployment(systemCtx(ctx), op.IssuanceID, registry.Deployment{ChainID: d.ChainID,
			TokenAddress: lower(d.TokenAddress), RegistryAddress: lower(d.RegistryAddress), Block: d.Block}); err != nil {
			return nil, err
		}
		return map[string]string{"chainId": strconv.FormatInt(d.ChainID, 10), "tokenAddress": lower(d.TokenAddress),
			"registryAddress": lower(d.RegistryAddress), "deploymentBlock": strconv.FormatUint(d.Block, 10)}, nil
	}
	if op.Kind.TokenOperation() {
		return s.runTokenOp(ctx, op)
	}
	return nil, fmt.Errorf("unknown operation kind %s", op.Kind)
}

func lower(a common.Address) string {
	s, _ := registry.NormalizeAddress("address", a.Hex())
	return s
}

// Reconcile compares an issuance's on-chain registry with the database (see
// Syncer.Reconcile); the caller must see the issuance.
func (s *Service) Reconcile(ctx context.Context, issuanceID int64, repair bool) (*registry.ReconcileReport, error) {
	iss, err := s.store.Issuance(ctx, issuanceID)
	if err != nil {
		return nil, err
	}
	if p := registry.PrincipalFrom(ctx); p != nil && p.Role == registry.RoleSeller && iss.LeadSellerID != p.SellerID {
		return nil, registry.Errorf(registry.EFORBIDDEN, "only the lead seller reconciles issuance %d", issuanceID)
	}
	if s.syncer == nil {
		return nil, registry.Errorf(registry.EUNAVAILABLE, "this node runs no whitelist sync")
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	return s.syncer.Reconcile(ctx, issuanceID, repair)
}
