package bindings_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"testing"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/stonode/stonode/contracts/bindings"
)

// chain is a simulated chain with a registry and a token deployed through the
// generated v2 bindings. The operator key holds every role (admin, writer,
// pauser, agent), as a node's key would.
type chain struct {
	t        *testing.T
	backend  *simulated.Backend
	client   simulated.Client
	operator *bind.TransactOpts

	registry     *bindings.EligibilityRegistry
	registryAddr common.Address
	reg          *bind.BoundContract
	token        *bindings.SecurityToken
	tokenAddr    common.Address
	tok          *bind.BoundContract
}

func newKey(t *testing.T) (*ecdsa.PrivateKey, common.Address) {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k, crypto.PubkeyToAddress(k.PublicKey)
}

func newChain(t *testing.T, funded ...common.Address) *chain {
	t.Helper()
	opKey, opAddr := newKey(t)
	alloc := types.GenesisAlloc{opAddr: {Balance: new(big.Int).Mul(big.NewInt(1000), big.NewInt(params.Ether))}}
	for _, a := range funded {
		alloc[a] = types.Account{Balance: big.NewInt(params.Ether)}
	}
	backend := simulated.NewBackend(alloc)
	t.Cleanup(func() { _ = backend.Close() })
	client := backend.Client()
	chainID, err := client.ChainID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c := &chain{
		t: t, backend: backend, client: client,
		operator: bind.NewKeyedTransactor(opKey, chainID),
		registry: bindings.NewEligibilityRegistry(),
		token:    bindings.NewSecurityToken(),
	}

	c.registryAddr = c.deploy(bindings.EligibilityRegistryMetaData.Bin,
		c.registry.PackConstructor(opAddr, opAddr, opAddr))
	c.reg = c.registry.Instance(client, c.registryAddr)

	c.tokenAddr = c.deploy(bindings.SecurityTokenMetaData.Bin,
		c.token.PackConstructor("Tokyo Office REIT ST", "TORST", 0, c.registryAddr, opAddr, opAddr, 49, big.NewInt(0), abi.MaxUint256))
	c.tok = c.token.Instance(client, c.tokenAddr)
	return c
}

// deploy sends a deployment, mines it and checks the receipt.
func (c *chain) deploy(bin string, ctorInput []byte) common.Address {
	c.t.Helper()
	addr, tx, err := bind.DeployContract(c.operator, common.FromHex(bin), c.client, ctorInput)
	if err != nil {
		c.t.Fatalf("deploy: %v", err)
	}
	c.mined(tx)
	return addr
}

// mined commits a block and returns tx's receipt (no polling: the simulated
// chain includes pending transactions on Commit).
func (c *chain) mined(tx *types.Transaction) *types.Receipt {
	c.t.Helper()
	c.backend.Commit()
	r, err := c.client.TransactionReceipt(context.Background(), tx.Hash())
	if err != nil {
		c.t.Fatalf("receipt of %s: %v", tx.Hash(), err)
	}
	return r
}

// send transacts and requires a successful receipt.
func (c *chain) send(contract *bind.BoundContract, opts *bind.TransactOpts, data []byte) *types.Receipt {
	c.t.Helper()
	tx, err := bind.Transact(contract, opts, data)
	if err != nil {
		c.t.Fatalf("transact: %v", err)
	}
	r := c.mined(tx)
	if r.Status != types.ReceiptStatusSuccessful {
		c.t.Fatalf("tx %s failed", tx.Hash())
	}
	return r
}

func (c *chain) headTime() uint64 {
	c.t.Helper()
	h, err := c.client.HeaderByNumber(context.Background(), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return h.Time
}

func (c *chain) balance(a common.Address) *big.Int {
	c.t.Helper()
	b, err := bind.Call(c.tok, nil, c.token.PackBalanceOf(a), c.token.UnpackBalanceOf)
	if err != nil {
		c.t.Fatal(err)
	}
	return b
}

func (c *chain) detect(from, to common.Address, amount int64) uint8 {
	c.t.Helper()
	code, err := bind.Call(c.tok, nil, c.token.PackDetectTransferRestriction(from, to, big.NewInt(amount)),
		c.token.UnpackDetectTransferRestriction)
	if err != nil {
		c.t.Fatal(err)
	}
	ok, err := bind.Call(c.tok, nil, c.token.PackCanTransfer(from, to, big.NewInt(amount)), c.token.UnpackCanTransfer)
	if err != nil {
		c.t.Fatal(err)
	}
	if ok != (code == 0) {
		c.t.Fatalf("canTransfer=%v but detectTransferRestriction=%d", ok, code)
	}
	return code
}

// restrictionCode decodes a revert into the token's TransferRestricted code
// through the binding's error unpacking.
func (c *chain) restrictionCode(err error) uint8 {
	c.t.Helper()
	var de rpc.DataError
	if !errors.As(err, &de) {
		c.t.Fatalf("error carries no revert data: %v", err)
	}
	s, ok := de.ErrorData().(string)
	if !ok {
		c.t.Fatalf("revert data is %T, want hex string", de.ErrorData())
	}
	raw, derr := hexutil.Decode(s)
	if derr != nil {
		c.t.Fatal(derr)
	}
	decoded, uerr := c.token.UnpackError(raw)
	if uerr != nil {
		c.t.Fatalf("unpack revert %x: %v", raw, uerr)
	}
	tr, ok := decoded.(*bindings.SecurityTokenTransferRestricted)
	if !ok {
		c.t.Fatalf("revert is %T, want TransferRestricted", decoded)
	}
	return tr.Code
}

func (c *chain) whitelist(seq uint64, entries ...bindings.EligibilityRegistryEntry) *types.Receipt {
	c.t.Helper()
	return c.send(c.reg, c.operator, c.registry.PackApplyBatch(seq, entries))
}

func ethereumCall(from, to common.Address, data []byte) ethereum.CallMsg {
	return ethereum.CallMsg{From: from, To: &to, Data: data}
}

func entry(wallet common.Address, investorID uint64, validUntil uint64) bindings.EligibilityRegistryEntry {
	return bindings.EligibilityRegistryEntry{
		Wallet: wallet, InvestorId: investorID, Country: [2]byte{'J', 'P'}, Categories: 1,
		ValidUntil: new(big.Int).SetUint64(validUntil),
	}
}

func TestTransfersOnSimulatedChain(t *testing.T) {
	aliceKey, alice := newKey(t)
	_, bob := newKey(t)
	_, carol := newKey(t)
	c := newChain(t, alice)
	chainID, _ := c.client.ChainID(context.Background())
	aliceOpts := bind.NewKeyedTransactor(aliceKey, chainID)

	// Whitelist alice (long-lived) and bob (valid for one hour), in one batch.
	bobUntil := c.headTime() + 3600
	r := c.whitelist(0, entry(alice, 1, 1<<40-1), entry(bob, 2, bobUntil))
	var sets int
	for _, l := range r.Logs {
		if ev, err := c.registry.UnpackEligibilitySetEvent(l); err == nil {
			sets++
			if ev.Wallet == bob && ev.ValidUntil.Uint64() != bobUntil {
				t.Fatalf("EligibilitySet for bob: validUntil %v", ev.ValidUntil)
			}
		}
	}
	if sets != 2 {
		t.Fatalf("EligibilitySet events = %d, want 2", sets)
	}
	seq, err := bind.Call(c.reg, nil, c.registry.PackSeq(), c.registry.UnpackSeq)
	if err != nil || seq != 1 {
		t.Fatalf("seq = %d, %v; want 1", seq, err)
	}

	// A replayed batch is refused with SequenceMismatch.
	if _, err := bind.Transact(c.reg, c.operator, c.registry.PackApplyBatch(0, nil)); err == nil {
		t.Fatal("replayed batch was accepted")
	}

	c.send(c.tok, c.operator, c.token.PackMint(alice, big.NewInt(1000)))

	// An eligible transfer succeeds.
	c.send(c.tok, aliceOpts, c.token.PackTransfer(bob, big.NewInt(100)))
	if got := c.balance(bob); got.Int64() != 100 {
		t.Fatalf("bob balance = %v, want 100", got)
	}

	// An ineligible receiver: the views say 31, and the transaction reverts with
	// TransferRestricted(31).
	if code := c.detect(alice, carol, 10); code != 31 {
		t.Fatalf("detectTransferRestriction(alice→carol) = %d, want 31", code)
	}
	_, err = bind.Transact(c.tok, aliceOpts, c.token.PackTransfer(carol, big.NewInt(10)))
	if err == nil {
		t.Fatal("transfer to a non-whitelisted wallet was accepted")
	}
	if code := c.restrictionCode(err); code != 31 {
		t.Fatalf("revert code = %d, want 31 (NOT_WHITELISTED)", code)
	}

	// Forced onto the chain with a fixed gas limit, the transaction is mined and
	// fails; replaying it with eth_call at that block gives the same reason.
	noEstimate := *aliceOpts
	noEstimate.GasLimit = 200_000
	tx, err := bind.Transact(c.tok, &noEstimate, c.token.PackTransfer(carol, big.NewInt(10)))
	if err != nil {
		t.Fatal(err)
	}
	rcpt := c.mined(tx)
	if rcpt.Status != types.ReceiptStatusFailed {
		t.Fatal("transfer to a non-whitelisted wallet succeeded on-chain")
	}
	_, err = c.client.CallContract(context.Background(), ethereumCall(alice, c.tokenAddr, tx.Data()), rcpt.BlockNumber)
	if code := c.restrictionCode(err); code != 31 {
		t.Fatalf("replayed revert code = %d, want 31", code)
	}
	if got := c.balance(carol); got.Sign() != 0 {
		t.Fatalf("carol balance = %v, want 0", got)
	}

	// Bob's approval runs out: once chain time passes valid-until, a transfer to
	// him is refused with WHITELIST_EXPIRED, without any transaction to the registry.
	if code := c.detect(alice, bob, 10); code != 0 {
		t.Fatalf("before expiry: code %d, want 0", code)
	}
	if err := c.backend.AdjustTime(2 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if now := c.headTime(); now <= bobUntil {
		t.Fatalf("chain time %d not past valid-until %d", now, bobUntil)
	}
	if code := c.detect(alice, bob, 10); code != 32 {
		t.Fatalf("after expiry: code %d, want 32", code)
	}
	_, err = bind.Transact(c.tok, aliceOpts, c.token.PackTransfer(bob, big.NewInt(10)))
	if err == nil {
		t.Fatal("transfer to an expired wallet was accepted")
	}
	if code := c.restrictionCode(err); code != 32 {
		t.Fatalf("revert code = %d, want 32 (WHITELIST_EXPIRED)", code)
	}
	if got := c.balance(bob); got.Int64() != 100 {
		t.Fatalf("bob balance = %v, want 100", got)
	}
}
