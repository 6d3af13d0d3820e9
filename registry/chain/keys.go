package chain

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
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
)

// KeyRole names what a signing key does for the node. Each role may have a key
// of its own; a role without one signs with the node's key.
type KeyRole string

const (
	// KeyWriter writes the issuances' eligibility registries (WRITER_ROLE).
	KeyWriter KeyRole = "writer"
	// KeyAgent operates the tokens (AGENT_ROLE): mints, forced transfers,
	// redemptions, freezes, pauses, transfer approvals, recoveries.
	KeyAgent KeyRole = "agent"
	// KeyAdmin deploys the contracts and holds DEFAULT_ADMIN_ROLE on them
	// until it is handed to the issuer.
	KeyAdmin KeyRole = "admin"
)

// KeyRoles lists the roles in a stable order.
var KeyRoles = []KeyRole{KeyWriter, KeyAgent, KeyAdmin}

// keyring is shared by a Conn and its role views: one view, and so one nonce
// stream (send lock), per distinct key. Two roles given the same key share
// its view, so their transactions never race for a nonce.
type keyring struct {
	mu    sync.Mutex
	views map[common.Address]*Conn
	roles map[KeyRole]common.Address
}

// SetRoleKeys gives roles keys of their own (a nil or absent key leaves the
// role on the node's key). Call it once, before the Conn is used.
func (c *Conn) SetRoleKeys(keys map[KeyRole]*ecdsa.PrivateKey) error {
	if c.keys != nil {
		return fmt.Errorf("role keys are already set")
	}
	ring := &keyring{views: map[common.Address]*Conn{c.From: c}, roles: map[KeyRole]common.Address{}}
	for _, r := range KeyRoles {
		ring.roles[r] = c.From
	}
	for r, k := range keys {
		if k == nil {
			continue
		}
		if !validRole(r) {
			return fmt.Errorf("unknown key role %q", r)
		}
		addr := crypto.PubkeyToAddress(k.PublicKey)
		if _, ok := ring.views[addr]; !ok {
			ring.views[addr] = &Conn{Client: c.Client, ChainID: c.ChainID, From: addr, key: k, sim: c.sim, stop: func() {},
				nonces: c.nonces} // the lease is per address: each key has its own
		}
		ring.roles[r] = addr
	}
	for _, v := range ring.views {
		v.keys = ring
	}
	return nil
}

func validRole(r KeyRole) bool {
	for _, k := range KeyRoles {
		if k == r {
			return true
		}
	}
	return false
}

// refreshViews gives every role key's view the base connection's client and
// nonce leases, which NewLeaser installs on the base after SetRoleKeys. Call
// it during set-up only, before any view is in use.
func (c *Conn) refreshViews() {
	if c.keys == nil {
		return
	}
	c.keys.mu.Lock()
	defer c.keys.mu.Unlock()
	for _, v := range c.keys.views {
		if v != c {
			v.Client, v.nonces = c.Client, c.nonces
		}
	}
}

// As returns the view of c that signs with role's key (c itself when the
// role uses c's key). Views share the client; each key has one send lock.
func (c *Conn) As(role KeyRole) *Conn {
	if c.keys == nil {
		return c
	}
	c.keys.mu.Lock()
	defer c.keys.mu.Unlock()
	if v := c.keys.views[c.keys.roles[role]]; v != nil {
		return v
	}
	return c
}

// RoleAddresses returns the address each role signs with.
func (c *Conn) RoleAddresses() map[KeyRole]common.Address {
	out := map[KeyRole]common.Address{}
	for _, r := range KeyRoles {
		out[r] = c.As(r).From
	}
	return out
}

// Fund sends amount wei from c's key to each address whose balance is below
// amount and waits for the transfers: a dev chain funds only the node's key.
func (c *Conn) Fund(ctx context.Context, amount *big.Int, to ...common.Address) error {
	for _, addr := range to {
		bal, err := c.Client.BalanceAt(ctx, addr, nil)
		if err != nil {
			return fmt.Errorf("balance of %s: %w", addr.Hex(), err)
		}
		if bal.Cmp(amount) >= 0 {
			continue
		}
		txs, _, err := c.SignRecordBroadcast(ctx, func(uint64) ([]Call, error) {
			return []Call{{To: &addr, Value: new(big.Int).Sub(amount, bal), Gas: 21_000}}, nil
		}, func([]*types.Transaction) error { return nil })
		if err != nil {
			return fmt.Errorf("fund %s: %w", addr.Hex(), err)
		}
		if _, err := c.mustSucceed(ctx, txs[0]); err != nil {
			return fmt.Errorf("fund %s: %w", addr.Hex(), err)
		}
	}
	return nil
}

// signer is the view of the node's connection whose key signs operations of
// kind: the admin key deploys, changes the token's terms (DEFAULT_ADMIN_ROLE
// setters) and hands over the admin role; the agent key does everything else
// on the token.
func (s *Operations) signer(kind registry.OperationKind) *Conn {
	if kind == registry.OpDeploy || kind == registry.OpAdminHandover || kind == registry.OpSetTerms {
		return s.conn.As(KeyAdmin)
	}
	if kind == registry.OpSetCountryRule {
		return s.conn.As(KeyWriter) // the registry's WRITER_ROLE
	}
	return s.conn.As(KeyAgent)
}

// roleNames names the roles of both contracts by their identifier.
var roleNames = map[common.Hash]string{
	adminRole:  "DEFAULT_ADMIN_ROLE",
	agentRole:  "AGENT_ROLE",
	writerRole: "WRITER_ROLE",
	pauserRole: "PAUSER_ROLE",
}

// Roles reports who holds which role on an issuance's token and registry:
// every account a RoleGranted event since the deployment block named that
// still holds the role (hasRole, at the head), and which of the node's keys
// each one is. AccessControl keeps no list of members, so the events are the
// only complete source; hasRole settles later revocations.
func (s *Operations) Roles(ctx context.Context, issuanceID int64) ([]registry.RoleHolder, error) {
	iss, err := s.registry.Issuance(ctx, issuanceID)
	if err != nil {
		return nil, err
	}
	if iss.TokenAddress == "" {
		return nil, registry.Errorf(registry.ECONFLICT, "issuance %d has no deployment", issuanceID)
	}
	return s.conn.Roles(ctx, common.HexToAddress(iss.TokenAddress), common.HexToAddress(iss.RegistryAddress), iss.DeploymentBlock)
}

// Roles reports the role holders of a token and its registry (see
// Operations.Roles), scanning their RoleGranted events from block from on.
func (c *Conn) Roles(ctx context.Context, token, reg common.Address, from uint64) ([]registry.RoleHolder, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	// The registry is created before the token (the node deploys it first;
	// an attached pair may be older still): its grants start at its own
	// creation block, found from historical state, else at genesis.
	regFrom, err := c.DeploymentBlock(ctx, reg)
	if err != nil || regFrom > from {
		regFrom = 0
	}
	granted := crypto.Keccak256Hash([]byte("RoleGranted(bytes32,address,address)"))
	var logs []types.Log
	for _, q := range []struct {
		addr common.Address
		from uint64
	}{{token, from}, {reg, regFrom}} {
		found, err := c.Client.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(q.from),
			Addresses: []common.Address{q.addr}, Topics: [][]common.Hash{{granted}}})
		if err != nil {
			return nil, fmt.Errorf("role events: %w", err)
		}
		logs = append(logs, found...)
	}
	nodeKeys := map[common.Address][]string{}
	for _, r := range KeyRoles {
		a := c.As(r).From
		nodeKeys[a] = append(nodeKeys[a], string(r))
	}
	tok, regB := bindings.NewSecurityToken(), bindings.NewEligibilityRegistry()
	ti, ri := tok.Instance(c.Client, token), regB.Instance(c.Client, reg)
	type key struct {
		contract common.Address
		role     common.Hash
		account  common.Address
	}
	seen := map[key]bool{}
	var out []registry.RoleHolder
	for _, l := range logs {
		if len(l.Topics) < 3 {
			continue
		}
		k := key{l.Address, l.Topics[1], common.BytesToAddress(l.Topics[2].Bytes())}
		if seen[k] {
			continue
		}
		seen[k] = true
		var holds bool
		opts := &bind.CallOpts{Context: ctx}
		if k.contract == token {
			holds, err = bind.Call(ti, opts, tok.PackHasRole(k.role, k.account), tok.UnpackHasRole)
		} else {
			holds, err = bind.Call(ri, opts, regB.PackHasRole(k.role, k.account), regB.UnpackHasRole)
		}
		if err != nil {
			return nil, fmt.Errorf("hasRole: %w", err)
		}
		if !holds {
			continue
		}
		h := registry.RoleHolder{Contract: "registry", Role: roleNames[k.role], Address: lower(k.account),
			Node: strings.Join(nodeKeys[k.account], ",")}
		if k.contract == token {
			h.Contract = "token"
		}
		if h.Role == "" {
			h.Role = k.role.Hex()
		}
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Contract != b.Contract {
			return a.Contract > b.Contract // token first
		}
		if a.Role != b.Role {
			return a.Role < b.Role
		}
		return a.Address < b.Address
	})
	return out, nil
}
