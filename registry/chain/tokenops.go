package chain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strconv"
	"strings"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/eligibility"
)

// Token operations (mint, forced transfer, redemption, freezes, pause) are
// checked three times before a transaction leaves the node:
//
//  1. on the request thread, by the eligibility engine: a refusal answers
//     EREFUSED with the reason codes and nothing is queued;
//  2. by the worker, just before sending, by the engine again (the registry may
//     have changed while the operation waited) and by the token itself —
//     detectTransferRestriction where ERC-1404 has the operation's semantics,
//     then a dry run of the exact call from the node's key — so a refusal the
//     chain would make fails the operation with the decoded code, unsent;
//  3. by the chain: a transaction that still reverts has its revert data
//     decoded (TransferRestricted(code) → the code's name) into the operation.
//
// Which engine reasons refuse which operation (eligibility.Refusals) follows
// what the token enforces (contracts/README.md):
//
//   - MINT: every reason except TOKEN_PAUSED — a primary allocation works while
//     the token is paused (and lock-up never applies to a mint).
//   - FORCED_TRANSFER: only the receiver's eligibility (eligibility.Refusals). A
//     forced transfer is the tool for court orders, lost keys and corrections:
//     the token bypasses pause, wallet freezes (sender and receiver) and
//     lock-up, and debits the total, not the free, balance; so the engine's
//     issuance state, lead-seller, sender, freeze, balance and lock-up reasons
//     do not refuse it. The token checks the sender's balance and holder cap.
//   - REDEEM: none — a burn is explicitly exempt from receiver eligibility; the
//     token checks the holder's balance.
//   - FREEZE, UNFREEZE, PAUSE, UNPAUSE: none; they restrict rather than move.

// check asks the eligibility engine about a mint or forced transfer and returns
// the reasons that refuse it (none for the other kinds).
func (s *Operations) check(ctx context.Context, issuanceID int64, t registry.TokenOp) ([]registry.Reason, error) {
	var c registry.TransferCheck
	switch t.Kind {
	case registry.OpMint:
		c = registry.TransferCheck{To: t.To, Amount: t.Amount} // no sender: a mint
	case registry.OpForcedTransfer:
		c = registry.TransferCheck{From: t.From, To: t.To, Amount: t.Amount}
	default:
		return nil, nil
	}
	res, err := s.registry.CheckTransfer(ctx, issuanceID, c, s.now())
	if err != nil {
		return nil, err
	}
	return eligibility.Refusals(t.Kind, res.Decision), nil
}

// TokenOperation validates a token operation, checks it with the eligibility
// engine and queues it for the worker. Only the operator and the issuance's
// lead seller (while ACTIVE) may operate its token.
func (s *Operations) TokenOperation(ctx context.Context, issuanceID int64, t registry.TokenOp) (*registry.Operation, error) {
	t, err := normalizeTokenOp(t)
	if err != nil {
		return nil, err
	}
	iss, err := s.registry.Issuance(ctx, issuanceID) // tenancy: 404 for an issuance the caller cannot see
	if err != nil {
		return nil, err
	}
	// Authorise before evaluating, so a handling seller learns nothing more here
	// than from the transfer-check endpoint. CreateOperation checks again.
	if err := registry.RequireOperate(registry.PrincipalFrom(ctx), iss, "operates an issuance's token"); err != nil {
		return nil, err
	}
	if iss.TokenAddress == "" {
		return nil, registry.Errorf(registry.ECONFLICT, "issuance %d has no token yet; deploy or attach one first", issuanceID)
	}
	if iss.ChainHalt != "" {
		// Nothing may be sent for a deployment whose chain is in doubt; say
		// so now instead of queueing work that can only wait.
		return nil, registry.Errorf(registry.ECONFLICT, "issuance %d's chain work is halted (%s): retire the deployment, then deploy or attach anew",
			issuanceID, iss.ChainHalt)
	}
	reasons, err := s.check(ctx, issuanceID, t)
	if err != nil {
		return nil, err
	}
	if len(reasons) > 0 {
		return nil, &registry.Error{Code: registry.EREFUSED, Reasons: reasons,
			Message: fmt.Sprintf("the eligibility engine refuses this %s: %s", t.Kind, codeNames(reasons))}
	}
	op, err := s.store.CreateOperation(ctx, issuanceID, t.Kind, t.Request())
	if err != nil {
		return nil, err
	}
	s.wakeWorker()
	return op, nil
}

// normalizeTokenOp checks that t has exactly the fields its kind uses, with
// valid, non-zero addresses and positive amounts, and lower-cases addresses.
func normalizeTokenOp(t registry.TokenOp) (registry.TokenOp, error) {
	type need struct{ from, to, wallet, amount, amountOptional bool }
	needs := map[registry.OperationKind]need{
		registry.OpMint:           {to: true, amount: true},
		registry.OpForcedTransfer: {from: true, to: true, amount: true},
		registry.OpRedeem:         {from: true, amount: true},
		registry.OpFreeze:         {wallet: true, amountOptional: true},
		registry.OpUnfreeze:       {wallet: true, amountOptional: true},
		registry.OpPause:          {},
		registry.OpUnpause:        {},
	}
	n, ok := needs[t.Kind]
	if !ok {
		return t, registry.Errorf(registry.EINVALID, "%q is not a token operation", t.Kind)
	}
	addr := func(field string, v *string, wanted bool) error {
		switch {
		case !wanted && *v != "":
			return registry.Errorf(registry.EINVALID, "%s does not apply to %s", field, t.Kind)
		case !wanted:
			return nil
		}
		a, err := registry.NormalizeAddress(field, *v)
		if err != nil {
			return err
		}
		if a == registry.ZeroAddress {
			return registry.Errorf(registry.EINVALID, "%s must not be the zero address", field)
		}
		*v = a
		return nil
	}
	for _, f := range []struct {
		name   string
		v      *string
		wanted bool
	}{{"from", &t.From, n.from}, {"to", &t.To, n.to}, {"wallet", &t.Wallet, n.wallet}} {
		if err := addr(f.name, f.v, f.wanted); err != nil {
			return t, err
		}
	}
	switch {
	case t.Amount == nil && n.amount:
		return t, registry.Errorf(registry.EINVALID, "amount is required")
	case t.Amount != nil && !n.amount && !n.amountOptional:
		return t, registry.Errorf(registry.EINVALID, "amount does not apply to %s", t.Kind)
	case t.Amount != nil && t.Amount.Sign() <= 0:
		return t, registry.Errorf(registry.EINVALID, "amount must be a positive integer")
	}
	if t.Kind == registry.OpForcedTransfer && t.From == t.To {
		return t, registry.Errorf(registry.EINVALID, "from and to must differ")
	}
	return t, nil
}

// runTokenOp executes a queued token operation: re-check, preflight on the
// token, sign and record, broadcast, wait, and decode a revert. A resumed
// operation with a recorded transaction only waits for it: it was checked
// before it was signed, and sending anything new could apply it twice. The
// result carries the transaction hash and block, or the stage and reason code
// of a refusal.
func (s *Operations) runTokenOp(ctx context.Context, op *registry.Operation, iss *registry.Issuance) (map[string]string, error) {
	t, err := registry.TokenOpFrom(op)
	if err != nil {
		return nil, fmt.Errorf("stored request: %w", err)
	}
	if t, err = normalizeTokenOp(t); err != nil {
		return nil, fmt.Errorf("stored request: %w", err)
	}
	if err := s.checkToken(ctx, op, iss); err != nil {
		return nil, err
	}
	recorded, err := s.recordedTxs(ctx, op)
	if err != nil {
		return nil, err
	}
	tok := bindings.NewSecurityToken()
	token := common.HexToAddress(iss.TokenAddress)
	data := packTokenOp(tok, t)
	var steps []*opStep
	if len(recorded) > 0 {
		if steps, err = stepsFrom(recorded); err != nil {
			return nil, err
		}
	}
	var receipt *types.Receipt
	for resigned := 0; ; resigned++ {
		if len(steps) == 0 || resigned > 0 {
			if result, err := s.signTokenOp(ctx, op, iss, t, tok, token, data, &steps); err != nil {
				return result, err
			}
		}
		// Only the newest step can still be mined: an older one was dropped
		// (its nonce went to another transaction) before this one was signed.
		receipt, err = s.awaitStep(ctx, op, registry.ChainIdentity{ChainID: iss.ChainID, GenesisHash: iss.GenesisHash}, steps[len(steps)-1])
		if errors.Is(err, ErrDropped) && resigned < maxResigns {
			// Never executed, and never executable: sign it again with a
			// fresh nonce, after the checks run again.
			s.log.Warn("token operation's transaction was dropped; signing it again", slog.Int64("operation", op.ID), slog.Any("err", err))
			continue
		}
		if err != nil {
			if errors.Is(err, ErrDropped) {
				return map[string]string{"stage": "send"}, fmt.Errorf("never executed: %w", err)
			}
			return nil, err
		}
		break
	}
	result := map[string]string{"txHash": receipt.TxHash.Hex(), "block": receipt.BlockNumber.String()}
	if first := steps[len(steps)-1].txs[0].Hash(); receipt.TxHash != first {
		result["replaces"] = first.Hex() // mined as a fee-bumped replacement of the first version
	}
	if receipt.Status != types.ReceiptStatusSuccessful {
		// A receipt has no revert data: replay the call on the block's state to
		// recover it (the state after the block; what made the transaction
		// revert is normally still true there).
		callCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		_, cerr := s.conn.Client.CallContract(callCtx, ethereum.CallMsg{From: s.signer(op.Kind).From, To: &token, Data: data}, receipt.BlockNumber)
		if cerr == nil {
			cerr = errors.New("no revert data on replay")
		}
		return revertFailure("revert", fmt.Sprintf("transaction %s reverted", receipt.TxHash.Hex()), cerr, result)
	}
	return result, nil
}

// maxResigns bounds how often a dropped token operation is signed again.
const maxResigns = 3

// signTokenOp runs the preflight checks, then signs, records and broadcasts
// the operation's transaction as its next step.
func (s *Operations) signTokenOp(ctx context.Context, op *registry.Operation, iss *registry.Issuance, t registry.TokenOp,
	tok *bindings.SecurityToken, token common.Address, data []byte, steps *[]*opStep) (map[string]string, error) {
	if result, err := s.preflight(ctx, op, iss, t, tok, token, data); err != nil {
		return result, err
	}
	record := s.recordSteps(ctx, op, "", steps, func(txs []*types.Transaction) map[string]string {
		return map[string]string{"txHash": txs[0].Hash().Hex()}
	})
	err := s.retryOutage(ctx, op, "the chain", func(ctx context.Context) error {
		_, berr, err := s.signer(op.Kind).SignRecordBroadcast(ctx, func(uint64) ([]Call, error) {
			return []Call{{To: &token, Data: data}}, nil
		}, record)
		if berr != nil {
			s.log.Warn("broadcast token operation; the wait re-sends it", slog.Int64("operation", op.ID), slog.Any("err", berr))
		}
		return err
	})
	if err != nil {
		return revertFailure("send", "sending failed", err, nil)
	}
	return nil, nil
}

// preflight runs the checks before a token operation is signed: the mirror
// has caught up with the last balance change, the eligibility engine still
// agrees, and the token itself would not refuse it. An unreachable chain or
// database is waited out (nothing is sent yet); a refusal fails the operation.
func (s *Operations) preflight(ctx context.Context, op *registry.Operation, iss *registry.Issuance, t registry.TokenOp,
	tok *bindings.SecurityToken, token common.Address, data []byte) (map[string]string, error) {
	// Locked tokens are the locks' to release (locks.go).
	if result, err := s.guardLocks(ctx, op, iss, t, tok, token); err != nil {
		return result, err
	}
	// Holdings rules (holder cap, minimum and maximum holding) read the
	// mirrored balances: wait until the mirror has seen this issuance's
	// previous balance change, or two operations in a row would both pass.
	if t.Kind == registry.OpMint || t.Kind == registry.OpForcedTransfer {
		if err := s.retryOutage(ctx, op, "the database", func(ctx context.Context) error { return s.awaitMirror(ctx, iss) }); err != nil {
			return map[string]string{"stage": "mirror"}, err
		}
	}
	// The registry may have changed since the request was accepted. Only code
	// names go into the operation: the engine's messages may name investors of
	// sellers other than those who can read the operation.
	var reasons []registry.Reason
	if err := s.retryOutage(ctx, op, "the database", func(ctx context.Context) (err error) {
		reasons, err = s.check(systemCtx(ctx), op.IssuanceID, t)
		return err
	}); err != nil {
		return nil, fmt.Errorf("eligibility re-check: %w", err)
	}
	if len(reasons) > 0 {
		names := codeNames(reasons)
		return map[string]string{"stage": "registry", "reasons": names},
			fmt.Errorf("refused by the eligibility engine before sending: %s", names)
	}

	// ERC-1404 view where it has the operation's semantics: from = address(0)
	// evaluates a mint, to = address(0) a burn. A forced transfer bypasses checks
	// the view applies to ordinary transfers, so it relies on the dry run below.
	var restriction []byte
	switch t.Kind {
	case registry.OpMint:
		restriction = tok.PackDetectTransferRestriction(common.Address{}, common.HexToAddress(t.To), t.Amount)
	case registry.OpRedeem:
		restriction = tok.PackDetectTransferRestriction(common.HexToAddress(t.From), common.Address{}, t.Amount)
	}
	inst := tok.Instance(s.conn.Client, token)
	var result map[string]string
	err := s.retryOutage(ctx, op, "the chain", func(ctx context.Context) error {
		// Short deadlines: a chain that does not answer is waited out by
		// retryOutage, which says so on the operation.
		callCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if restriction != nil {
			code, err := bind.Call(inst, &bind.CallOpts{Context: callCtx}, restriction, tok.UnpackDetectTransferRestriction)
			if err != nil {
				return fmt.Errorf("detectTransferRestriction: %w", err)
			}
			if code != uint8(registry.CodeOK) {
				result = restrictedResult("preflight", code)
				return restrictedError("refused by the token before sending", code)
			}
		}
		_, err := s.conn.Client.CallContract(callCtx, ethereum.CallMsg{From: s.signer(op.Kind).From, To: &token, Data: data}, nil)
		if err != nil && !transient(err) {
			result, err = revertFailure("preflight", "the token would revert", err, nil)
		}
		return err
	})
	return result, err
}

// packTokenOp encodes the token call for t.
func packTokenOp(tok *bindings.SecurityToken, t registry.TokenOp) []byte {
	from, to, wallet := common.HexToAddress(t.From), common.HexToAddress(t.To), common.HexToAddress(t.Wallet)
	switch t.Kind {
	case registry.OpMint:
		return tok.PackMint(to, t.Amount)
	case registry.OpForcedTransfer:
		return tok.PackForcedTransfer(from, to, t.Amount)
	case registry.OpRedeem:
		return tok.PackBurn(from, t.Amount)
	case registry.OpFreeze:
		if t.Amount != nil {
			return tok.PackFreezePartialTokens(wallet, t.Amount)
		}
		return tok.PackSetAddressFrozen(wallet, true)
	case registry.OpUnfreeze:
		if t.Amount != nil {
			return tok.PackUnfreezePartialTokens(wallet, t.Amount)
		}
		return tok.PackSetAddressFrozen(wallet, false)
	case registry.OpPause:
		return tok.PackPause()
	case registry.OpUnpause:
		return tok.PackUnpause()
	}
	panic("packTokenOp: unchecked kind " + string(t.Kind)) // normalizeTokenOp admits only the kinds above
}

// Revert is a decoded token revert: Code is set for TransferRestricted; Name
// is the reason code's name or the custom error's ABI name, and Detail adds
// the error's arguments.
type Revert struct {
	Restricted bool
	Code       registry.ReasonCode
	Name       string
	Detail     string
}

// DecodeRevert decodes a SecurityToken's revert data; ok is false when data is
// not one of the token's custom errors.
func DecodeRevert(data []byte) (r Revert, ok bool) {
	if len(data) < 4 { // UnpackError slices the selector without checking
		return r, false
	}
	v, err := bindings.NewSecurityToken().UnpackError(data)
	if err != nil {
		return r, false
	}
	if tr, isTR := v.(*bindings.SecurityTokenTransferRestricted); isTR {
		c := registry.ReasonCode(tr.Code)
		return Revert{Restricted: true, Code: c, Name: c.String(), Detail: fmt.Sprintf("%s (%d)", c, tr.Code)}, true
	}
	// Other custom errors (FreezeExceedsFreeBalance, SupplyCapExceeded,
	// AccessControlUnauthorizedAccount, ...): the bindings name their structs
	// SecurityToken<Error>, with the arguments as fields.
	val := reflect.Indirect(reflect.ValueOf(v))
	name := strings.TrimPrefix(val.Type().Name(), "SecurityToken")
	var args []string
	if val.Kind() == reflect.Struct {
		for i := 0; i < val.NumField(); i++ {
			f := val.Field(i)
			s := fmt.Sprint(f.Interface())
			if a, isAddr := f.Interface().(common.Address); isAddr {
				s = strings.ToLower(a.Hex())
			}
			args = append(args, lowerFirst(val.Type().Field(i).Name)+"="+s)
		}
	}
	return Revert{Name: name, Detail: name + "(" + strings.Join(args, ", ") + ")"}, true
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// revertFailure turns a failed call or transaction into the operation's result
// and error, decoding the token's revert data when the error carries it.
func revertFailure(stage, what string, err error, result map[string]string) (map[string]string, error) {
	if result == nil {
		result = map[string]string{}
	}
	result["stage"] = stage
	if data, ok := ethclient.RevertErrorData(err); ok {
		if rv, ok := DecodeRevert(data); ok {
			if rv.Restricted {
				for k, v := range restrictedResult(stage, uint8(rv.Code)) {
					result[k] = v
				}
				return result, restrictedError(what, uint8(rv.Code))
			}
			result["revert"] = rv.Name
			return result, fmt.Errorf("%s: %s", what, rv.Detail)
		}
	}
	return result, fmt.Errorf("%s: %w", what, err)
}

func restrictedResult(stage string, code uint8) map[string]string {
	return map[string]string{"stage": stage, "reason": registry.ReasonCode(code).String(), "reasonCode": strconv.Itoa(int(code))}
}

func restrictedError(what string, code uint8) error {
	c := registry.ReasonCode(code)
	msg := ""
	if info, ok := c.Info(); ok {
		msg = ": " + info.Message
	}
	return fmt.Errorf("%s: %s (%d)%s", what, c, code, msg)
}

// codeNames lists reasons' code names, comma-separated, in order, once each.
func codeNames(reasons []registry.Reason) string {
	seen := map[registry.ReasonCode]bool{}
	var names []string
	for _, r := range reasons {
		if !seen[r.Code] {
			seen[r.Code] = true
			names = append(names, r.Code.String())
		}
	}
	return strings.Join(names, ",")
}

// mirrorWait bounds how long an operation waits for the transfer mirror.
const mirrorWait = 2 * time.Minute

// awaitMirror waits until the issuance's transfer mirror has ingested the block
// of its latest succeeded balance change.
func (s *Operations) awaitMirror(ctx context.Context, iss *registry.Issuance) error {
	block, ok, err := s.store.LastTokenOpBlock(ctx, iss.ID)
	if err != nil || !ok {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, mirrorWait)
	defer cancel()
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		cp, found, err := s.mirror.Checkpoint(ctx, iss.ChainID, iss.TokenAddress)
		if err != nil {
			return fmt.Errorf("mirror checkpoint: %w", err)
		}
		if found && cp.Number >= block {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the transfer mirror has not reached block %d, where this issuance's last balance change is: holdings rules cannot be checked; retry when it has", block)
		case <-t.C:
		}
	}
}
