package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/chain/mirror"
	"github.com/stonode/stonode/registry/store/storetest"
)

// bareResult is the plain eth_getLogs + decode loop.
type bareResult struct {
	Events  int
	Queries int
	Elapsed time.Duration
	RPC     time.Duration
}

func (r bareResult) rate() float64 { return float64(r.Events) / r.Elapsed.Seconds() }

// bare reads every Transfer of token in [from, to] in ranges of span blocks
// and decodes each with the abigen binding.
func bare(ctx context.Context, d *devnet, token common.Address, from, to, span uint64) (bareResult, error) {
	tok := bindings.NewSecurityToken()
	var res bareResult
	start := time.Now()
	for lo := from; lo <= to; lo += span {
		hi := min(lo+span-1, to)
		q := time.Now()
		cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		logs, err := d.eth.FilterLogs(cctx, ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(lo), ToBlock: new(big.Int).SetUint64(hi),
			Addresses: []common.Address{token}, Topics: [][]common.Hash{{mirror.TransferTopic}}})
		cancel()
		if err != nil {
			return res, fmt.Errorf("eth_getLogs %d..%d: %w", lo, hi, err)
		}
		res.RPC += time.Since(q)
		res.Queries++
		for i := range logs {
			ev, err := tok.UnpackTransferEvent(&logs[i])
			if err != nil {
				return res, fmt.Errorf("decode %s/%d: %w", logs[i].BlockHash, logs[i].Index, err)
			}
			if ev.Value == nil {
				return res, errors.New("decoded a Transfer without a value")
			}
			res.Events++
		}
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// timer accumulates the time and count of one kind of call. The engine
// fetches the next range while it stores the last, so calls come from two
// goroutines at once.
type timer struct {
	mu sync.Mutex
	n  int
	d  time.Duration
}

func (t *timer) since(start time.Time) {
	d := time.Since(start)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n++
	t.d += d
}

// timedClient wraps the engine's RPC client to split its time by method
// (overlapping calls each count in full).
type timedClient struct {
	c                         mirror.Client
	blockNumber, header, logs timer
}

func (t *timedClient) BlockNumber(ctx context.Context) (uint64, error) {
	defer t.blockNumber.since(time.Now())
	return t.c.BlockNumber(ctx)
}

func (t *timedClient) HeaderByNumber(ctx context.Context, n *big.Int) (*types.Header, error) {
	defer t.header.since(time.Now())
	return t.c.HeaderByNumber(ctx, n)
}

func (t *timedClient) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	defer t.logs.since(time.Now())
	return t.c.FilterLogs(ctx, q)
}

// timedStore wraps the engine's store the same way.
type timedStore struct {
	registry.MirrorStore
	checkpoint, apply timer
	applyByBatch      []time.Duration
}

func (t *timedStore) Checkpoint(ctx context.Context, chainID int64, token string) (registry.Checkpoint, bool, error) {
	defer t.checkpoint.since(time.Now())
	return t.MirrorStore.Checkpoint(ctx, chainID, token)
}

func (t *timedStore) Apply(ctx context.Context, b registry.MirrorBatch) error {
	start := time.Now()
	defer func() { t.applyByBatch = append(t.applyByBatch, time.Since(start)); t.apply.since(start) }()
	return t.MirrorStore.Apply(ctx, b)
}

// mirrorResult is the engine's backfill of the same range.
type mirrorResult struct {
	Events  int
	Elapsed time.Duration
	Stats   mirror.Stats
	Client  *timedClient
	Store   *timedStore
	Holders int
	DB      string
}

func (r mirrorResult) rate() float64 { return float64(r.Events) / r.Elapsed.Seconds() }

// runMirror backfills the token into st from its deployment block up to the
// head with one engine Sync, as a fresh node would.
func runMirror(ctx context.Context, d *devnet, st *storetest.Stores, dep *chain.Contracts, span uint64, cpuprofile string) (mirrorResult, error) {
	tc := &timedClient{c: d.eth}
	ts := &timedStore{MirrorStore: st}
	e := mirror.New(mirror.Config{ChainID: dep.ChainID, Token: dep.TokenAddress, StartBlock: dep.Block, MaxRange: span,
		CallTimeout: 60 * time.Second, Logger: slog.New(slog.DiscardHandler)}, tc, ts)
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			return mirrorResult{}, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return mirrorResult{}, err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	if err := e.Sync(ctx); err != nil {
		return mirrorResult{}, fmt.Errorf("mirror sync: %w", err)
	}
	res := mirrorResult{Elapsed: time.Since(start), Stats: e.Stats(), Client: tc, Store: ts, DB: string(st.Dialect())}
	res.Events = int(res.Stats.Transfers)
	h, err := st.Holders(ctx, dep.ChainID, strings.ToLower(dep.TokenAddress.Hex()))
	if err != nil {
		return res, fmt.Errorf("holders: %w", err)
	}
	res.Holders = h.HolderCount
	return res, nil
}

// latency is one whitelist-to-chain series.
type latency struct {
	Label   string
	Samples []time.Duration
}

func (l latency) pct(p float64) time.Duration {
	s := append([]time.Duration(nil), l.Samples...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s) == 0 {
		return 0
	}
	i := int(p*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

// syncRig is a registry with the bench's issuance recorded as deployed, and
// the node's Syncer writing its registry.
type syncRig struct {
	st     *storetest.Stores
	conn   *chain.Conn
	dep    *chain.Contracts
	seller context.Context
	issID  int64
	reg    *bindings.EligibilityRegistry
	n      int
}

func newSyncRig(ctx context.Context, st *storetest.Stores, conn *chain.Conn, dep *chain.Contracts) (*syncRig, error) {
	op := registry.WithPrincipal(ctx, &registry.Principal{KeyID: "bench", Role: registry.RoleOperator})
	sel := &registry.Seller{LegalName: "Bench Securities", CorporateNumber: "7000012050002", FSARegistration: "関東財務局長(金商)第44号",
		Licence: registry.LicenceType1, Membership: registry.MembershipFull}
	if err := st.CreateSeller(op, sel); err != nil {
		return nil, fmt.Errorf("seller: %w", err)
	}
	sc := registry.WithPrincipal(ctx, &registry.Principal{KeyID: "bench-seller", Role: registry.RoleSeller, SellerID: sel.ID})
	iss := &registry.Issuance{IssuerName: "Bench", TokenName: "Bench Share", TokenSymbol: "BNCH", LegalForm: registry.FormShare,
		FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic}
	if err := st.CreateIssuance(sc, iss); err != nil {
		return nil, fmt.Errorf("issuance: %w", err)
	}
	for _, s := range []registry.IssuanceStatus{registry.IssuanceRegistered, registry.IssuanceOffering} {
		if _, err := st.TransitionIssuance(sc, iss.ID, s, ""); err != nil {
			return nil, fmt.Errorf("issuance %s: %w", s, err)
		}
	}
	if _, err := st.RecordDeployment(sc, iss.ID, registry.Deployment{ChainID: dep.ChainID, TokenAddress: strings.ToLower(dep.TokenAddress.Hex()),
		RegistryAddress: strings.ToLower(dep.RegistryAddress.Hex()), Block: dep.Block}); err != nil {
		return nil, fmt.Errorf("record deployment: %w", err)
	}
	return &syncRig{st: st, conn: conn, dep: dep, seller: sc, issID: iss.ID, reg: bindings.NewEligibilityRegistry()}, nil
}

// approveHolders onboards every wallet as an investor and approves it for the
// rig's issuance, so the backfill's receivers are eligible and raise no alert.
func (r *syncRig) approveHolders(ctx context.Context, wallets []common.Address) error {
	for i, w := range wallets {
		inv := benchInvestor(fmt.Sprintf("HOLDER-%d", i), w)
		if err := r.st.CreateInvestor(r.seller, inv); err != nil {
			return fmt.Errorf("investor: %w", err)
		}
		if _, err := r.st.Approve(r.seller, r.issID, inv.ID, registry.Approval{}); err != nil {
			return fmt.Errorf("approve: %w", err)
		}
	}
	return nil
}

// benchInvestor is a verified, screened corporate investor holding wallet.
func benchInvestor(ref string, wallet common.Address) *registry.Investor {
	now := time.Now().UTC()
	verified, due := now.AddDate(0, -1, 0), now.AddDate(1, 0, 0)
	return &registry.Investor{CustomerRef: ref, PersonType: registry.PersonCorporation, ResidenceCountry: "JP",
		KYCStatus: registry.KYCVerified, KYCVerifiedAt: &verified, KYCReviewDue: &due,
		Sanctions: registry.ScreeningClear, Antisocial: registry.ScreeningClear,
		Wallets: []registry.Wallet{{Address: strings.ToLower(wallet.Hex())}}}
}

// measure runs the Syncer with interval and times, iterations times, an
// approval in the store until registry.isEligible(wallet) is true on-chain.
// wake calls Syncer.Wake right after the approval (no production code does).
func (r *syncRig) measure(ctx context.Context, label string, interval time.Duration, wake bool, iterations int, seed uint64) (latency, error) {
	l := latency{Label: label}
	syncer := chain.NewSyncer(r.conn, r.st.Outbox, slog.New(slog.DiscardHandler), nil)
	rctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = syncer.Run(rctx, interval) }()
	defer func() { stop(); <-done }()
	rng := rand.New(rand.NewPCG(seed, 11))
	inst := r.reg.Instance(r.conn.Client, r.dep.RegistryAddress)
	for i := 0; i < iterations; i++ {
		r.n++
		k := deterministicKey(seed+1000, r.n)
		wallet := crypto.PubkeyToAddress(k.PublicKey)
		inv := benchInvestor(fmt.Sprintf("BENCH-%d", r.n), wallet)
		if err := r.st.CreateInvestor(r.seller, inv); err != nil {
			return l, fmt.Errorf("investor: %w", err)
		}
		// Approvals arrive at random points of the Syncer's poll cycle.
		select {
		case <-ctx.Done():
			return l, ctx.Err()
		case <-time.After(time.Duration(rng.Int64N(int64(interval)))):
		}
		start := time.Now()
		if _, err := r.st.Approve(r.seller, r.issID, inv.ID, registry.Approval{}); err != nil {
			return l, fmt.Errorf("approve: %w", err)
		}
		if wake {
			syncer.Wake()
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			ok, err := bind.Call(inst, &bind.CallOpts{Context: cctx}, r.reg.PackIsEligible(wallet), r.reg.UnpackIsEligible)
			cancel()
			if err != nil {
				return l, fmt.Errorf("isEligible: %w", err)
			}
			if ok {
				l.Samples = append(l.Samples, time.Since(start))
				break
			}
			if time.Now().After(deadline) {
				return l, fmt.Errorf("wallet %s not eligible on-chain 30s after approval", wallet)
			}
			select {
			case <-ctx.Done():
				return l, ctx.Err()
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	return l, nil
}
