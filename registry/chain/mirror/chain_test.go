package mirror_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/params"

	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain/mirror"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// testChain is a simulated chain with an EligibilityRegistry and a
// SecurityToken deployed, a set of whitelisted wallets, and an operator key
// holding every role. Tokens move by agent operations (mint, forcedTransfer,
// burn), so one key sends everything and nonces stay simple.
type testChain struct {
	t        *testing.T
	backend  *simulated.Backend
	client   simulated.Client
	operator *bind.TransactOpts
	token    *bindings.SecurityToken
	addr     common.Address
	tok      *bind.BoundContract
	deployed uint64 // the token's deployment block
	wallets  []common.Address
	rng      *rand.Rand
	nonce    uint64 // the operator's next nonce: the pool's pending nonce lags right after a send
	// branch is a second agent key that sends everything after a fork: the
	// pool re-injects the orphaned blocks' transactions (some, not always all),
	// which makes the operator's nonce unpredictable on the new branch.
	branch      *bind.TransactOpts
	branchNonce uint64
	forked      bool
}

func newTestChain(t *testing.T, wallets int) *testChain {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	opAddr := crypto.PubkeyToAddress(key.PublicKey)
	branchKey, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	branchAddr := crypto.PubkeyToAddress(branchKey.PublicKey)
	eth := new(big.Int).Mul(big.NewInt(1000), big.NewInt(params.Ether))
	backend := simulated.NewBackend(types.GenesisAlloc{opAddr: {Balance: eth}, branchAddr: {Balance: eth}})
	t.Cleanup(func() { _ = backend.Close() })
	client := backend.Client()
	chainID, err := client.ChainID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c := &testChain{t: t, backend: backend, client: client, operator: bind.NewKeyedTransactor(key, chainID),
		branch: bind.NewKeyedTransactor(branchKey, chainID),
		token:  bindings.NewSecurityToken(), rng: rand.New(rand.NewPCG(1, uint64(wallets)))}
	// A fixed gas limit skips estimation: faster, and a transaction that would
	// revert is mined as failed instead of failing the test at send time.
	c.operator.GasLimit = 400_000
	c.branch.GasLimit = 400_000

	reg := bindings.NewEligibilityRegistry()
	regAddr := c.deploy(bindings.EligibilityRegistryMetaData.Bin, reg.PackConstructor(opAddr, opAddr, opAddr))
	c.addr = c.deploy(bindings.SecurityTokenMetaData.Bin,
		c.token.PackConstructor("Mirror Test ST", "MTST", 0, regAddr, opAddr, opAddr, 0, big.NewInt(0), abi.MaxUint256))
	c.deployed = c.head()
	c.tok = c.token.Instance(client, c.addr)
	grant := c.send(c.tok, c.token.PackGrantRole(crypto.Keccak256Hash([]byte("AGENT_ROLE")), branchAddr))

	var entries []bindings.EligibilityRegistryEntry
	for i := 0; i < wallets; i++ {
		k, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		w := crypto.PubkeyToAddress(k.PublicKey)
		c.wallets = append(c.wallets, w)
		entries = append(entries, bindings.EligibilityRegistryEntry{Wallet: w, InvestorId: uint64(i + 1),
			Country: [2]byte{'J', 'P'}, Categories: 1, ValidUntil: big.NewInt(1<<40 - 1)})
	}
	opts := *c.operator
	opts.GasLimit = 0 // one large batch: let the node estimate
	opts.Nonce = new(big.Int).SetUint64(c.nonce)
	wl, err := bind.Transact(reg.Instance(client, regAddr), &opts, reg.PackApplyBatch(0, entries))
	if err != nil {
		t.Fatal(err)
	}
	c.nonce++
	c.commit()
	c.requireSuccess(wl)
	c.requireSuccess(grant)
	return c
}

func (c *testChain) deploy(bin string, input []byte) common.Address {
	c.t.Helper()
	opts := *c.operator
	opts.GasLimit = 0 // deployments are large; let the node estimate
	opts.Nonce = new(big.Int).SetUint64(c.nonce)
	addr, tx, err := bind.DeployContract(&opts, common.FromHex(bin), c.client, input)
	if err != nil {
		c.t.Fatalf("deploy: %v", err)
	}
	c.nonce++
	c.commit()
	c.requireSuccess(tx)
	return addr
}

func (c *testChain) send(contract *bind.BoundContract, data []byte) *types.Transaction {
	c.t.Helper()
	opts, nonce := *c.operator, &c.nonce
	if c.forked {
		opts, nonce = *c.branch, &c.branchNonce
	}
	opts.Nonce = new(big.Int).SetUint64(*nonce)
	tx, err := bind.Transact(contract, &opts, data)
	if err != nil {
		c.t.Fatalf("transact: %v", err)
	}
	*nonce++
	return tx
}

// fork makes the chain continue from block parent; the branch key sends
// from then on.
func (c *testChain) fork(parent common.Hash) {
	c.t.Helper()
	if err := c.backend.Fork(parent); err != nil {
		c.t.Fatal(err)
	}
	c.forked = true
}

func (c *testChain) requireSuccess(tx *types.Transaction) {
	c.t.Helper()
	// The transaction index is built in the background, and under -race the
	// simulated beacon's payload building can run out of time and leave
	// transactions for the next block: poll, and commit again if it seems so.
	var r *types.Receipt
	var err error
	for start, commits := time.Now(), 0; ; time.Sleep(5 * time.Millisecond) {
		r, err = c.client.TransactionReceipt(context.Background(), tx.Hash())
		if err == nil || !errors.Is(err, ethereum.NotFound) || commits == 5 {
			break
		}
		if time.Since(start) > 150*time.Millisecond {
			c.t.Logf("tx %s not mined yet; committing another block", tx.Hash())
			c.commit()
			start, commits = time.Now(), commits+1
		}
	}
	if err != nil {
		c.t.Fatalf("receipt of %s: %v", tx.Hash(), err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		// Replay it at its block for the revert reason.
		_, cerr := c.client.CallContract(context.Background(), ethereum.CallMsg{From: c.operator.From, To: tx.To(), Data: tx.Data()},
			new(big.Int).Sub(r.BlockNumber, big.NewInt(1)))
		c.t.Fatalf("tx %s failed in block %d: %v", tx.Hash(), r.BlockNumber, cerr)
	}
}

func (c *testChain) commit() common.Hash { return c.backend.Commit() }

func (c *testChain) head() uint64 {
	c.t.Helper()
	n, err := c.client.BlockNumber(context.Background())
	if err != nil {
		c.t.Fatal(err)
	}
	return n
}

func (c *testChain) headerAt(n uint64) *types.Header {
	c.t.Helper()
	h, err := c.client.HeaderByNumber(context.Background(), new(big.Int).SetUint64(n))
	if err != nil {
		c.t.Fatal(err)
	}
	return h
}

// balanceAt reads balanceOf at a block.
func (c *testChain) balanceAt(w common.Address, block uint64) *big.Int {
	c.t.Helper()
	b, err := bind.Call(c.tok, &bind.CallOpts{BlockNumber: new(big.Int).SetUint64(block)}, c.token.PackBalanceOf(w), c.token.UnpackBalanceOf)
	if err != nil {
		c.t.Fatal(err)
	}
	return b
}

// blocks commits n blocks, each with up to perBlock token operations: mints,
// forced transfers and burns between the wallets. Amounts are drawn from the
// balances as committed before the block and each wallet sends at most once
// per block, so every operation succeeds whatever order the block puts them in.
// salt makes two branches built from the same state differ.
func (c *testChain) blocks(n, perBlock int, salt int64) { c.ops(n, perBlock, salt, false) }

// ops is blocks; mintOnly restricts it to mints, which succeed whatever other
// transactions (say, re-injected after a fork) run before them in the block.
func (c *testChain) ops(n, perBlock int, salt int64, mintOnly bool) {
	c.t.Helper()
	for i := 0; i < n; i++ {
		head := c.head()
		var txs []*types.Transaction
		sent := map[common.Address]bool{}
		for j := 0; j < perBlock; j++ {
			from := c.wallets[c.rng.IntN(len(c.wallets))]
			to := c.wallets[c.rng.IntN(len(c.wallets))]
			bal := c.balanceAt(from, head)
			switch {
			case mintOnly || sent[from] || bal.Sign() == 0 || c.rng.IntN(4) == 0:
				txs = append(txs, c.send(c.tok, c.token.PackMint(to, big.NewInt(100+salt+int64(c.rng.IntN(1000))))))
			case c.rng.IntN(6) == 0:
				sent[from] = true
				txs = append(txs, c.send(c.tok, c.token.PackBurn(from, big.NewInt(1+c.rng.Int64N(bal.Int64())))))
			default:
				sent[from] = true
				txs = append(txs, c.send(c.tok, c.token.PackForcedTransfer(from, to, big.NewInt(1+c.rng.Int64N(bal.Int64())))))
			}
		}
		c.commit()
		for _, tx := range txs {
			c.requireSuccess(tx)
		}
	}
}

// canonicalLogs lists the token's Transfer logs on the canonical chain in
// [from, to].
func (c *testChain) canonicalLogs(from, to uint64) []types.Log {
	c.t.Helper()
	logs, err := c.client.FilterLogs(context.Background(), ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(to),
		Addresses: []common.Address{c.addr}, Topics: [][]common.Hash{{mirror.TransferTopic}},
	})
	if err != nil {
		c.t.Fatal(err)
	}
	return logs
}

// verify checks the mirror against the chain at the mirror's checkpoint: the
// checkpoint hash is canonical, the transfer rows are exactly the canonical
// Transfer logs (no duplicate, none missing, none from an orphaned block), and
// every wallet's mirrored balance equals balanceOf at that block.
func verify(t *testing.T, c *testChain, st *storetest.Stores) registry.Checkpoint {
	t.Helper()
	ctx := context.Background()
	token := lower(c.addr)
	cp, ok, err := st.Checkpoint(ctx, 1337, token)
	if err != nil || !ok {
		t.Fatalf("checkpoint: %v %v", ok, err)
	}
	if h := c.headerAt(cp.Number); h.Hash().Hex() != cp.Hash {
		t.Fatalf("checkpoint %d %s is not canonical (%s)", cp.Number, cp.Hash, h.Hash().Hex())
	}
	want := map[string]bool{}
	for _, l := range c.canonicalLogs(c.deployed, cp.Number) {
		want[fmt.Sprintf("%s/%d", l.BlockHash.Hex(), l.Index)] = true
	}
	got := map[string]bool{}
	f := registry.TransferFilter{ChainID: 1337, Token: token, Limit: registry.MaxTransferPage}
	for {
		p, err := st.Transfers(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range p.Transfers {
			k := fmt.Sprintf("%s/%d", tr.BlockHash, tr.LogIndex)
			if got[k] {
				t.Fatalf("duplicate transfer row %s", k)
			}
			got[k] = true
		}
		if p.Next == nil {
			break
		}
		f.After = p.Next
	}
	if len(want) == 0 {
		t.Fatal("the chain has no transfers: the test proves nothing")
	}
	if len(got) != len(want) {
		t.Fatalf("mirrored %d transfers, the chain has %d", len(got), len(want))
	}
	for k := range want {
		if !got[k] {
			t.Fatalf("canonical transfer %s is not mirrored", k)
		}
	}
	h, err := st.Holders(ctx, 1337, token)
	if err != nil {
		t.Fatal(err)
	}
	if h.AsOfBlock != cp.Number {
		t.Fatalf("holders as of %d, checkpoint %d", h.AsOfBlock, cp.Number)
	}
	mirrored := map[string]*big.Int{}
	for _, w := range h.Wallets {
		mirrored[w.Wallet] = w.Balance
	}
	holders := 0
	for _, w := range c.wallets {
		onChain := c.balanceAt(w, cp.Number)
		m := mirrored[lower(w)]
		if m == nil {
			m = new(big.Int)
		}
		if m.Cmp(onChain) != 0 {
			t.Fatalf("wallet %s: mirrored %v, balanceOf at %d = %v", w, m, cp.Number, onChain)
		}
		if onChain.Sign() > 0 {
			holders++
		}
	}
	if h.HolderCount != holders {
		t.Fatalf("holder count %d, chain has %d", h.HolderCount, holders)
	}
	return cp
}

func lower(a common.Address) string { return registry.ZeroAddress[:2] + common.Bytes2Hex(a.Bytes()) }

// hookClient wraps a client to inject faults: a lagging node, a provider range
// limit, or a crash (context cancel) after some number of eth_getLogs calls.
type hookClient struct {
	mirror.Client
	mu         sync.Mutex
	maxHead    *uint64 // node pretends its head is here and has nothing above
	rangeLimit uint64  // eth_getLogs over more blocks fails like Infura's limit
	logsCalls  int
	afterLogs  func(calls int) // called after each eth_getLogs
}

func (h *hookClient) BlockNumber(ctx context.Context) (uint64, error) {
	n, err := h.Client.BlockNumber(ctx)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.maxHead != nil && n > *h.maxHead {
		n = *h.maxHead
	}
	return n, err
}

func (h *hookClient) HeaderByNumber(ctx context.Context, n *big.Int) (*types.Header, error) {
	h.mu.Lock()
	lag := h.maxHead != nil && n != nil && n.Uint64() > *h.maxHead
	h.mu.Unlock()
	if lag {
		return nil, ethereum.NotFound
	}
	return h.Client.HeaderByNumber(ctx, n)
}

type limitError struct{}

func (limitError) Error() string  { return "query returned more than 10000 results" }
func (limitError) ErrorCode() int { return -32005 }

func (h *hookClient) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	h.mu.Lock()
	limit := h.rangeLimit
	h.mu.Unlock()
	if limit > 0 && q.FromBlock != nil && q.ToBlock.Uint64()-q.FromBlock.Uint64()+1 > limit {
		return nil, limitError{}
	}
	logs, err := h.Client.FilterLogs(ctx, q)
	h.mu.Lock()
	h.logsCalls++
	calls, hook := h.logsCalls, h.afterLogs
	h.mu.Unlock()
	if hook != nil {
		hook(calls)
	}
	return logs, err
}

// crashingStore wraps the store to fail around one Apply: before it commits,
// or after it committed but before the engine hears of it.
type crashingStore struct {
	*store.Mirror
	mu      sync.Mutex
	applies int
	at      int
	after   bool
}

var errCrash = errors.New("injected crash")

func (s *crashingStore) Apply(ctx context.Context, b registry.MirrorBatch) error {
	s.mu.Lock()
	s.applies++
	crash := s.applies == s.at
	s.mu.Unlock()
	if crash && !s.after {
		return errCrash
	}
	if err := s.Mirror.Apply(ctx, b); err != nil {
		return err
	}
	if crash {
		return errCrash
	}
	return nil
}
