package chain

import (
	"bytes"
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry"
)

// Contracts is where an issuance's contracts live.
type Contracts struct {
	ChainID         int64
	RegistryAddress common.Address
	TokenAddress    common.Address
	Block           uint64 // block of the token's deployment: the mirror starts here
}

// TokenParams are the token's constructor and country-rule settings taken from
// an issuance.
type TokenParams struct {
	Name, Symbol string
	Decimals     uint8
	MaxHolders   uint32
	LockupEnd    int64    // unix seconds, 0 = none
	SupplyCap    *big.Int // base units, nil = uncapped
	AllowList    bool
	Countries    []string
	// ApprovalRequired turns on the token's transfer approval (譲渡承認).
	ApprovalRequired bool
}

// ParamsFor derives the contract settings of an issuance. The holder cap goes
// on-chain as a wallet count, a stricter bound than the registry's investor count.
func ParamsFor(iss *registry.Issuance) TokenParams {
	p := TokenParams{Name: iss.TokenName, Symbol: iss.TokenSymbol, Decimals: uint8(iss.Decimals), MaxHolders: uint32(iss.HolderCap())}
	if iss.LockupEnd != nil {
		p.LockupEnd = iss.LockupEnd.Unix()
	}
	if iss.SupplyCap != nil {
		p.SupplyCap = new(big.Int).Set(iss.SupplyCap)
	}
	p.ApprovalRequired = iss.ApprovalRequired
	if len(iss.AllowedCountries) > 0 {
		p.AllowList, p.Countries = true, iss.AllowedCountries
	} else {
		p.Countries = iss.DeniedCountries
	}
	return p
}

// OnChainSupplyCap is the token's supplyCap for an issuance's cap: the cap
// itself, or type(uint256).max (the token's "no cap") when there is none.
func OnChainSupplyCap(c *big.Int) *big.Int {
	if c == nil {
		return new(big.Int).Set(abi.MaxUint256)
	}
	return new(big.Int).Set(c)
}

// Role identifiers of the contracts (OpenZeppelin AccessControl).
var (
	writerRole = crypto.Keccak256Hash([]byte("WRITER_ROLE"))
	agentRole  = crypto.Keccak256Hash([]byte("AGENT_ROLE"))
	adminRole  = common.Hash{} // DEFAULT_ADMIN_ROLE
	pauserRole = crypto.Keccak256Hash([]byte("PAUSER_ROLE"))
)

// roleGas bounds a grantRole, renounceRole or setTransferApprovalRequired,
// set rather than estimated for the same reason as countryRuleGas. The
// simulated chain estimates a grantRole at about 140,000 (new storage is dear
// under its fork rules); unused gas is not charged.
const roleGas = 300_000

// countryRuleGas bounds setCountryRule: a base plus one new storage slot per
// country. It is set, not estimated, because the call is signed before the
// registry it calls exists.
func countryRuleGas(countries int) uint64 { return 200_000 + 50_000*uint64(countries) }

// DeployCalls returns the transactions that deploy an issuance's
// EligibilityRegistry and SecurityToken from c's key, which becomes their
// admin (the node calls it on c.As(KeyAdmin); the writer and agent roles go to
// those roles' keys) and set the registry's country rule, signed from
// firstNonce on: the token
// refers to the registry by the address its creation will have.
func (c *Conn) DeployCalls(p TokenParams, firstNonce uint64) []Call {
	reg := bindings.NewEligibilityRegistry()
	tok := bindings.NewSecurityToken()
	regAddr := crypto.CreateAddress(c.From, firstNonce)
	calls := []Call{
		{Data: append(common.FromHex(bindings.EligibilityRegistryMetaData.Bin), reg.PackConstructor(c.From, c.From, c.From)...)},
		{Data: append(common.FromHex(bindings.SecurityTokenMetaData.Bin),
			tok.PackConstructor(p.Name, p.Symbol, p.Decimals, regAddr, c.From, c.As(KeyAgent).From, p.MaxHolders, big.NewInt(p.LockupEnd), OnChainSupplyCap(p.SupplyCap))...)},
	}
	if p.AllowList || len(p.Countries) > 0 {
		codes := make([][2]byte, len(p.Countries))
		for i, cc := range p.Countries {
			copy(codes[i][:], cc)
		}
		calls = append(calls, Call{To: &regAddr, Data: reg.PackSetCountryRule(p.AllowList, codes), Gas: countryRuleGas(len(codes))})
	}
	if p.ApprovalRequired {
		tokenAddr := crypto.CreateAddress(c.From, firstNonce+1)
		calls = append(calls, Call{To: &tokenAddr, Data: tok.PackSetTransferApprovalRequired(true), Gas: roleGas})
	}
	// The deploying (admin) key writes the country rule; with a writer key of
	// its own, the registry's writer role then moves to that key, so the admin
	// keeps only the admin role.
	if writer := c.As(KeyWriter).From; writer != c.From {
		calls = append(calls, Call{To: &regAddr, Data: reg.PackGrantRole(writerRole, writer), Gas: roleGas},
			Call{To: &regAddr, Data: reg.PackRenounceRole(writerRole, c.From), Gas: roleGas})
	}
	return calls
}

// Deploy deploys an issuance's contracts and waits for them, without
// recording what it sends: for tools and tests that need no crash safety (the
// node's deployments run as operations, see Operations.runDeploy).
func (c *Conn) Deploy(ctx context.Context, p TokenParams) (*Contracts, error) {
	txs, _, err := c.SignRecordBroadcast(ctx, func(first uint64) ([]Call, error) { return c.DeployCalls(p, first), nil },
		func([]*types.Transaction) error { return nil })
	if err != nil {
		return nil, fmt.Errorf("deploy: %w", err)
	}
	var tokenReceipt *types.Receipt
	for i, tx := range txs {
		r, err := c.mustSucceed(ctx, tx)
		if err != nil {
			return nil, fmt.Errorf("deploy step %d: %w", i, err)
		}
		if i == 1 {
			tokenReceipt = r
		}
	}
	return &Contracts{ChainID: c.ChainID, RegistryAddress: crypto.CreateAddress(c.From, txs[0].Nonce()),
		TokenAddress: crypto.CreateAddress(c.From, txs[1].Nonce()), Block: tokenReceipt.BlockNumber.Uint64()}, nil
}

// transactAndWait sends calldata to a contract and waits for a successful receipt.
func (c *Conn) transactAndWait(ctx context.Context, contract *bind.BoundContract, data []byte) (*types.Receipt, error) {
	tx, err := c.Send(ctx, func(opts *bind.TransactOpts) (*types.Transaction, error) {
		return bind.Transact(contract, opts, data)
	})
	if err != nil {
		return nil, err
	}
	return c.mustSucceed(ctx, tx)
}

func (c *Conn) mustSucceed(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
	r, err := c.WaitMined(ctx, tx.Hash())
	if err != nil {
		return nil, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return nil, fmt.Errorf("transaction %s reverted", tx.Hash())
	}
	return r, nil
}

// Verify checks that token and registry are a stonode SecurityToken wired to
// that EligibilityRegistry, and that the node's key holds the roles it needs
// (writer on the registry, agent on the token). It returns the token's
// settings so the caller can compare them with the issuance.
func (c *Conn) Verify(ctx context.Context, token, reg common.Address) (*TokenParams, error) {
	for _, a := range []common.Address{token, reg} {
		code, err := c.Client.CodeAt(ctx, a, nil)
		if err != nil {
			return nil, fmt.Errorf("code at %s: %w", a, err)
		}
		if len(code) == 0 {
			return nil, registry.Errorf(registry.EINVALID, "no contract at %s on chain %d", a.Hex(), c.ChainID)
		}
	}
	// The pair is recognised by behaviour: the token answers registry() with
	// this registry, and both grant the node's key the roles it must use.
	tok := bindings.NewSecurityToken()
	regB := bindings.NewEligibilityRegistry()
	ti := tok.Instance(c.Client, token)
	ri := regB.Instance(c.Client, reg)
	call := &bind.CallOpts{Context: ctx}
	wired, err := bind.Call(ti, call, tok.PackRegistry(), tok.UnpackRegistry)
	if err != nil {
		return nil, registry.Errorf(registry.EINVALID, "%s is not a stonode SecurityToken", token.Hex())
	}
	if !bytes.Equal(wired.Bytes(), reg.Bytes()) {
		return nil, registry.Errorf(registry.EINVALID, "token %s checks registry %s, not %s", token.Hex(), wired.Hex(), reg.Hex())
	}
	writerRole, err := bind.Call(ri, call, regB.PackWRITERROLE(), regB.UnpackWRITERROLE)
	if err != nil {
		return nil, registry.Errorf(registry.EINVALID, "%s is not a stonode EligibilityRegistry", reg.Hex())
	}
	writer, agent := c.As(KeyWriter).From, c.As(KeyAgent).From
	if ok, err := bind.Call(ri, call, regB.PackHasRole(writerRole, writer), regB.UnpackHasRole); err != nil || !ok {
		return nil, registry.Errorf(registry.EINVALID, "the node's writer key %s is not a writer of registry %s", writer.Hex(), reg.Hex())
	}
	agentRole, err := bind.Call(ti, call, tok.PackAGENTROLE(), tok.UnpackAGENTROLE)
	if err != nil {
		return nil, registry.Errorf(registry.EINVALID, "%s is not a stonode SecurityToken", token.Hex())
	}
	if ok, err := bind.Call(ti, call, tok.PackHasRole(agentRole, agent), tok.UnpackHasRole); err != nil || !ok {
		return nil, registry.Errorf(registry.EINVALID, "the node's agent key %s is not an agent of token %s", agent.Hex(), token.Hex())
	}
	p := &TokenParams{}
	if p.Name, err = bind.Call(ti, call, tok.PackName(), tok.UnpackName); err != nil {
		return nil, err
	}
	if p.Symbol, err = bind.Call(ti, call, tok.PackSymbol(), tok.UnpackSymbol); err != nil {
		return nil, err
	}
	if p.Decimals, err = bind.Call(ti, call, tok.PackDecimals(), tok.UnpackDecimals); err != nil {
		return nil, err
	}
	return p, nil
}

// DeploymentBlock finds the first block at which code exists at addr by binary
// search over historical state; nodes without that state report an error.
func (c *Conn) DeploymentBlock(ctx context.Context, addr common.Address) (uint64, error) {
	head, err := c.Client.BlockNumber(ctx)
	if err != nil {
		return 0, err
	}
	lo, hi := uint64(0), head
	for lo < hi {
		mid := lo + (hi-lo)/2
		code, err := c.Client.CodeAt(ctx, addr, new(big.Int).SetUint64(mid))
		if err != nil {
			return 0, fmt.Errorf("code at block %d (the node may lack historical state): %w", mid, err)
		}
		if len(code) > 0 {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo, nil
}
