package chain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strconv"
	"strings"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry"
)

// The post-issuance controls (transfer approvals, holder locks, wallet
// recovery, the admin handover) are operations like any token operation: the
// registry records the change and queues the operation in one transaction
// (registry.ControlStore), and the worker signs, records, broadcasts and
// awaits its transactions exactly once. Locks run as partial FREEZE and
// UNFREEZE token operations; the others run here.

// controls returns the registry side of the controls, or EUNAVAILABLE when
// the node was built without it.
func (s *Operations) controls() (registry.ControlStore, error) {
	if s.cfg.Controls == nil {
		return nil, registry.Errorf(registry.EUNAVAILABLE, "this node runs no transfer controls")
	}
	return s.cfg.Controls, nil
}

// RequestApproval applies for a transfer approval.
func (s *Operations) RequestApproval(ctx context.Context, issuanceID int64, r registry.ApprovalRequest) (*registry.TransferApproval, error) {
	c, err := s.controls()
	if err != nil {
		return nil, err
	}
	return c.RequestApproval(ctx, issuanceID, r)
}

// DecideApproval approves, rejects or cancels an application; an approval is
// recorded on the token by the operation it queues.
func (s *Operations) DecideApproval(ctx context.Context, issuanceID, id int64, d registry.ApprovalDecision) (*registry.TransferApproval, error) {
	c, err := s.controls()
	if err != nil {
		return nil, err
	}
	a, err := c.DecideApproval(ctx, issuanceID, id, d)
	if err == nil && a.OperationID != 0 {
		s.wakeWorker()
	}
	return a, err
}

// CreateLock locks a holder's tokens (queues the freeze).
func (s *Operations) CreateLock(ctx context.Context, issuanceID int64, r registry.LockRequest) (*registry.HolderLock, error) {
	c, err := s.controls()
	if err != nil {
		return nil, err
	}
	l, err := c.CreateLock(ctx, issuanceID, r)
	if err == nil {
		s.wakeWorker()
	}
	return l, err
}

// ReleaseLock releases an ACTIVE lock (queues the unfreeze).
func (s *Operations) ReleaseLock(ctx context.Context, issuanceID, id int64) (*registry.HolderLock, error) {
	c, err := s.controls()
	if err != nil {
		return nil, err
	}
	l, err := c.ReleaseLock(ctx, issuanceID, id)
	if err == nil {
		s.wakeWorker()
	}
	return l, err
}

// RecoverWallet replaces a lost wallet (see registry.ControlStore).
func (s *Operations) RecoverWallet(ctx context.Context, issuanceID int64, r registry.RecoveryRequest) (*registry.Operation, error) {
	c, err := s.controls()
	if err != nil {
		return nil, err
	}
	op, err := c.RecoverWallet(ctx, issuanceID, r)
	if err == nil {
		s.wakeWorker()
	}
	return op, err
}

// HandOverAdmin queues the ADMIN_HANDOVER operation: newAdmin receives
// DEFAULT_ADMIN_ROLE on the token and the registry, then the node's admin key
// renounces it on both, keeping only the writer and agent roles it uses.
func (s *Operations) HandOverAdmin(ctx context.Context, issuanceID int64, newAdmin string) (*registry.Operation, error) {
	addr, err := registry.NormalizeAddress("address", newAdmin)
	if err != nil {
		return nil, err
	}
	if addr == registry.ZeroAddress {
		return nil, registry.Errorf(registry.EINVALID, "address must not be the zero address")
	}
	for r, a := range s.conn.RoleAddresses() {
		if strings.EqualFold(a.Hex(), addr) {
			return nil, registry.Errorf(registry.EINVALID, "address %s is the node's %s key: hand the admin role to an address the issuer controls", addr, r)
		}
	}
	iss, err := s.registry.Issuance(ctx, issuanceID)
	if err != nil {
		return nil, err
	}
	if err := registry.RequireOperate(registry.PrincipalFrom(ctx), iss, "hands over an issuance's admin role"); err != nil {
		return nil, err
	}
	op, err := s.store.CreateOperation(ctx, issuanceID, registry.OpAdminHandover, map[string]string{"admin": addr})
	if err != nil {
		return nil, err
	}
	s.wakeWorker()
	return op, nil
}

// controlCalls encodes a control operation's transactions, signed by signer.
func controlCalls(op *registry.Operation, iss *registry.Issuance, signer common.Address) ([]Call, error) {
	tok := bindings.NewSecurityToken()
	reg := bindings.NewEligibilityRegistry()
	token, regAddr := common.HexToAddress(iss.TokenAddress), common.HexToAddress(iss.RegistryAddress)
	from, to := common.HexToAddress(op.Request["from"]), common.HexToAddress(op.Request["to"])
	switch op.Kind {
	case registry.OpApproveTransfer, registry.OpRevokeApproval:
		amount, err := registry.ParseAmount("amount", op.Request["amount"])
		if err != nil {
			return nil, err
		}
		expiry := big.NewInt(0) // revokes
		if op.Kind == registry.OpApproveTransfer {
			e, err := strconv.ParseInt(op.Request["expiry"], 10, 64)
			if err != nil || e <= 0 {
				return nil, fmt.Errorf("stored request: expiry %q", op.Request["expiry"])
			}
			expiry = big.NewInt(e)
		}
		return []Call{{To: &token, Data: tok.PackApproveTransfer(from, to, amount, expiry)}}, nil
	case registry.OpRecover:
		return []Call{{To: &token, Data: tok.PackRecoveryAddress(from, to)}}, nil
	case registry.OpAdminHandover:
		admin := common.HexToAddress(op.Request["admin"])
		if admin == (common.Address{}) {
			return nil, fmt.Errorf("stored request: admin %q", op.Request["admin"])
		}
		// Grant first, renounce last: the node never leaves a contract
		// without an admin. The registry's pauser role, granted to the
		// deploying key and used by no node work, goes too. Each call goes
		// to one contract, so a partial failure is visible per step.
		return []Call{
			{To: &token, Data: tok.PackGrantRole(adminRole, admin), Gas: roleGas},
			{To: &regAddr, Data: reg.PackGrantRole(adminRole, admin), Gas: roleGas},
			{To: &token, Data: tok.PackRenounceRole(adminRole, signer), Gas: roleGas},
			{To: &regAddr, Data: reg.PackRenounceRole(adminRole, signer), Gas: roleGas},
			{To: &regAddr, Data: reg.PackRenounceRole(pauserRole, signer), Gas: roleGas},
		}, nil
	}
	return nil, fmt.Errorf("not a control operation: %s", op.Kind)
}

// isControl reports the kinds runControlOp executes.
func isControl(k registry.OperationKind) bool {
	switch k {
	case registry.OpApproveTransfer, registry.OpRevokeApproval, registry.OpRecover, registry.OpAdminHandover:
		return true
	}
	return false
}

// runControlOp executes a control operation: preflight (a dry run of each
// call from the signing key; a recovery first waits for the new wallet's
// whitelist record), sign and record every transaction, broadcast, await each.
// A resumed operation with recorded transactions only waits for them.
func (s *Operations) runControlOp(ctx context.Context, op *registry.Operation, iss *registry.Issuance) (map[string]string, error) {
	if err := s.checkToken(ctx, op, iss); err != nil {
		return nil, err
	}
	signer := s.signer(op.Kind)
	calls, err := controlCalls(op, iss, signer.From)
	if err != nil {
		return nil, err
	}
	recorded, err := s.recordedTxs(ctx, op)
	if err != nil {
		return nil, err
	}
	var steps []*opStep
	if len(recorded) > 0 {
		if steps, err = stepsFrom(recorded); err != nil {
			return nil, err
		}
	} else {
		if op.Kind == registry.OpRecover {
			if err := s.awaitEligible(ctx, op, iss, common.HexToAddress(op.Request["to"])); err != nil {
				return map[string]string{"stage": "whitelist"}, err
			}
		}
		// Dry-run each call on its own: the handover's renounce must not be
		// refused before its grant is mined, and AccessControl lets any
		// holder renounce its own role.
		var result map[string]string
		err := s.retryOutage(ctx, op, "the chain", func(ctx context.Context) error {
			callCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			for _, c := range calls {
				_, err := s.conn.Client.CallContract(callCtx, ethereum.CallMsg{From: signer.From, To: c.To, Data: c.Data}, nil)
				if err != nil && !transient(err) {
					result, err = revertFailure("preflight", "the contract would revert", err, nil)
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return result, err
		}
		record := s.recordSteps(ctx, op, "", &steps, nil)
		err = s.retryOutage(ctx, op, "the chain", func(ctx context.Context) error {
			_, berr, err := signer.SignRecordBroadcast(ctx, func(uint64) ([]Call, error) { return calls, nil }, record)
			if berr != nil {
				s.log.Warn("broadcast control operation; the wait re-sends it", slog.Int64("operation", op.ID), slog.Any("err", berr))
			}
			return err
		})
		if err != nil {
			return revertFailure("send", "sending failed", err, nil)
		}
	}
	result := map[string]string{}
	var hashes []string
	for i, st := range steps {
		r, err := s.awaitStep(ctx, op, registry.ChainIdentity{ChainID: iss.ChainID, GenesisHash: iss.GenesisHash}, st)
		if err != nil {
			if errors.Is(err, ErrDropped) {
				result["stage"] = "send"
				return result, fmt.Errorf("step %d can never be mined: %w", i, err)
			}
			return result, err
		}
		hashes = append(hashes, r.TxHash.Hex())
		result["txHash"] = r.TxHash.Hex()
		result["block"] = r.BlockNumber.String()
		if len(steps) > 1 {
			result["txHashes"] = strings.Join(hashes, ",")
		}
		if r.Status != types.ReceiptStatusSuccessful {
			callCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
			tx := st.latest()
			_, cerr := s.conn.Client.CallContract(callCtx, ethereum.CallMsg{From: signer.From, To: tx.To(), Data: tx.Data()}, r.BlockNumber)
			cancel()
			if cerr == nil {
				cerr = errors.New("no revert data on replay")
			}
			return revertFailure("revert", fmt.Sprintf("transaction %s reverted", r.TxHash.Hex()), cerr, result)
		}
	}
	for _, k := range []string{"approvalId", "admin"} {
		if v := op.Request[k]; v != "" {
			result[k] = v
		}
	}
	return result, nil
}

// recoveryWait bounds how long a recovery waits for the whitelist sync to put
// the new wallet on the issuance's registry.
const recoveryWait = 2 * time.Minute

// awaitEligible waits until the registry on-chain lets wallet receive: the
// recovery's forced move requires an eligible receiver, and the whitelist
// sync writes the new wallet's record in the background.
func (s *Operations) awaitEligible(ctx context.Context, op *registry.Operation, iss *registry.Issuance, wallet common.Address) error {
	reg := bindings.NewEligibilityRegistry()
	inst := reg.Instance(s.conn.Client, common.HexToAddress(iss.RegistryAddress))
	ctx, cancel := context.WithTimeout(ctx, recoveryWait)
	defer cancel()
	t := time.NewTicker(s.cfg.Poll)
	defer t.Stop()
	noted := false
	for {
		code, err := bind.Call(inst, &bind.CallOpts{Context: ctx}, reg.PackCheckReceiver(wallet), reg.UnpackCheckReceiver)
		if err == nil && code == uint8(registry.CodeOK) {
			if noted {
				_ = s.store.NoteOperation(systemCtx(ctx), op.ID, map[string]string{"waiting": ""})
			}
			return nil
		}
		if !noted {
			noted = true
			_ = s.store.NoteOperation(systemCtx(ctx), op.ID, map[string]string{"waiting": "the whitelist sync to register " + lower(wallet)})
		}
		select {
		case <-ctx.Done():
			if err == nil {
				err = restrictedError("the new wallet is not eligible on-chain", code)
			}
			return fmt.Errorf("waited %s for the new wallet's whitelist record: %w", recoveryWait, err)
		case <-t.C:
		}
	}
}

var _ registry.ControlService = (*Operations)(nil)

// Approval returns one transfer approval.
func (s *Operations) Approval(ctx context.Context, issuanceID, id int64) (*registry.TransferApproval, error) {
	c, err := s.controls()
	if err != nil {
		return nil, err
	}
	return c.Approval(ctx, issuanceID, id)
}

// Approvals lists an issuance's transfer approvals.
func (s *Operations) Approvals(ctx context.Context, issuanceID int64, f registry.ApprovalFilter) ([]*registry.TransferApproval, error) {
	c, err := s.controls()
	if err != nil {
		return nil, err
	}
	return c.Approvals(ctx, issuanceID, f)
}

// Lock returns one holder lock.
func (s *Operations) Lock(ctx context.Context, issuanceID, id int64) (*registry.HolderLock, error) {
	c, err := s.controls()
	if err != nil {
		return nil, err
	}
	return c.Lock(ctx, issuanceID, id)
}

// Locks lists an issuance's holder locks.
func (s *Operations) Locks(ctx context.Context, issuanceID int64, wallet string) ([]*registry.HolderLock, error) {
	c, err := s.controls()
	if err != nil {
		return nil, err
	}
	return c.Locks(ctx, issuanceID, wallet)
}

// LockedAmounts sums each wallet's frozen locks of an issuance.
func (s *Operations) LockedAmounts(ctx context.Context, issuanceID int64) (map[string]*big.Int, error) {
	c, err := s.controls()
	if err != nil {
		return nil, err
	}
	return c.LockedAmounts(ctx, issuanceID)
}
