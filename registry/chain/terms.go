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
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry"
)

// A term change is applied to the registry in the transaction that queues its
// SET_TERMS operation (store.Terms), so eligibility decisions see the new
// terms at once; the operation then writes the settings the contracts enforce:
//
//   - lockupEnd:   SecurityToken.setLockupEnd (DEFAULT_ADMIN_ROLE)
//   - maxHolders:  SecurityToken.setMaxHolders (DEFAULT_ADMIN_ROLE)
//   - supplyCap:   SecurityToken.setSupplyCap (DEFAULT_ADMIN_ROLE), where the
//     token has it
//   - countryRule: EligibilityRegistry.setCountryRule (WRITER_ROLE)
//
// Each setter writes an absolute value, one transaction per setting, signed
// and recorded together before any is broadcast, like a deployment's steps: a
// crash re-sends the same bytes or finds them mined, so the operation
// finishes exactly once. Until it is mined the chain still enforces the old
// terms: a stricter change refuses off-chain first, a looser one is refused
// by the token until then.

// setTermsCalls encodes the operation's settings as contract calls.
func setTermsCalls(iss *registry.Issuance, c registry.ChainTerms, settings []string) ([]Call, error) {
	tok := bindings.NewSecurityToken()
	reg := bindings.NewEligibilityRegistry()
	token, regAddr := common.HexToAddress(iss.TokenAddress), common.HexToAddress(iss.RegistryAddress)
	var calls []Call
	for _, s := range settings {
		switch s {
		case "lockupEnd":
			calls = append(calls, Call{To: &token, Data: tok.PackSetLockupEnd(big.NewInt(c.LockupEnd))})
		case "maxHolders":
			calls = append(calls, Call{To: &token, Data: tok.PackSetMaxHolders(c.MaxHolders)})
		case "countryRule":
			codes := make([][2]byte, len(c.Countries))
			for i, cc := range c.Countries {
				copy(codes[i][:], cc)
			}
			calls = append(calls, Call{To: &regAddr, Data: reg.PackSetCountryRule(c.AllowList, codes)})
		case "supplyCap":
			data, err := packSetSupplyCap(c.SupplyCap)
			if err != nil {
				return nil, err
			}
			calls = append(calls, Call{To: &token, Data: data})
		default:
			return nil, fmt.Errorf("unknown on-chain setting %q", s)
		}
	}
	return calls, nil
}

// maxUint256 is the token's "no supply cap".
var maxUint256 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

// packSetSupplyCap encodes setSupplyCap(cap); no cap is type(uint256).max.
// A token deployed before the setter existed fails the dry run, unsent.
func packSetSupplyCap(capValue *big.Int) ([]byte, error) {
	if capValue == nil {
		capValue = maxUint256
	}
	return bindings.NewSecurityToken().PackSetSupplyCap(capValue), nil
}

// runSetTerms executes a SET_TERMS operation: dry-run every setter from the
// node's key (a missing role or an older token fails the operation unsent),
// sign and record all of them, broadcast, and wait for each. A resumed
// operation with recorded transactions only waits for them.
func (s *Operations) runSetTerms(ctx context.Context, op *registry.Operation, iss *registry.Issuance) (map[string]string, error) {
	c, settings, err := registry.ParseSetTerms(op)
	if err != nil {
		return nil, fmt.Errorf("stored request: %w", err)
	}
	if err := s.checkToken(ctx, op, iss); err != nil {
		return nil, err
	}
	recorded, err := s.recordedTxs(ctx, op)
	if err != nil {
		return nil, err
	}
	result := map[string]string{"settings": strings.Join(settings, ",")}
	var steps []*opStep
	if len(recorded) > 0 {
		if steps, err = stepsFrom(recorded); err != nil {
			return nil, err
		}
	} else {
		calls, err := setTermsCalls(iss, c, settings)
		if err != nil {
			result["stage"] = "preflight"
			return result, err
		}
		for i, call := range calls {
			err := s.retryOutage(ctx, op, "the chain", func(ctx context.Context) error {
				callCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
				defer cancel()
				_, err := s.conn.Client.CallContract(callCtx, ethereum.CallMsg{From: s.signer(op.Kind).From, To: call.To, Data: call.Data}, nil)
				return err
			})
			if err != nil {
				return revertFailure("preflight", fmt.Sprintf("setting %s would revert", settings[i]), err, result)
			}
		}
		record := s.recordSteps(ctx, op, "", &steps, func(txs []*types.Transaction) map[string]string {
			h := make([]string, len(txs))
			for i, tx := range txs {
				h[i] = tx.Hash().Hex()
			}
			return map[string]string{"txHashes": strings.Join(h, ",")}
		})
		err = s.retryOutage(ctx, op, "the chain", func(ctx context.Context) error {
			_, berr, err := s.signer(op.Kind).SignRecordBroadcast(ctx, func(uint64) ([]Call, error) { return calls, nil }, record)
			if berr != nil {
				s.log.Warn("broadcast term settings; the wait re-sends them", slog.Int64("operation", op.ID), slog.Any("err", berr))
			}
			return err
		})
		if err != nil {
			return revertFailure("send", "sending failed", err, result)
		}
	}
	if len(steps) != len(settings) {
		return result, fmt.Errorf("operation %d: %d transactions recorded for %d settings", op.ID, len(steps), len(settings))
	}
	on := registry.ChainIdentity{ChainID: iss.ChainID, GenesisHash: iss.GenesisHash}
	hashes := make([]string, len(steps))
	for i, st := range steps {
		r, err := s.awaitStep(ctx, op, on, st)
		if err != nil {
			if errors.Is(err, ErrDropped) {
				result["stage"] = "send"
				return result, fmt.Errorf("setting %s can never be mined: %w", settings[i], err)
			}
			return result, err
		}
		hashes[i] = r.TxHash.Hex()
		result["txHashes"] = strings.Join(hashes[:i+1], ",")
		result["block"] = r.BlockNumber.String()
		if r.Status != types.ReceiptStatusSuccessful {
			callCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			tx := st.latest()
			_, cerr := s.conn.Client.CallContract(callCtx, ethereum.CallMsg{From: s.signer(op.Kind).From, To: tx.To(), Data: tx.Data()}, r.BlockNumber)
			if cerr == nil {
				cerr = errors.New("no revert data on replay")
			}
			return revertFailure("revert", fmt.Sprintf("setting %s (transaction %s) reverted", settings[i], r.TxHash.Hex()), cerr, result)
		}
	}
	result["termChange"] = op.Request["termChange"]
	result["steps"] = strconv.Itoa(len(steps))
	return result, nil
}
