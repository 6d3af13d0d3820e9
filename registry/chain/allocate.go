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

// A primary allocation mints many rows through the token's batchMint. Every
// row is checked by the eligibility engine first, as if the rows before it had
// been minted (registry.PlanAllocation); only an allocation whose every row is
// allowed is queued, as one BATCH_MINT operation. The worker checks it again
// just before signing, dry-runs each batch on the token, then signs every
// batch (consecutive nonces), records them all and only then broadcasts: a
// crash re-sends the recorded bytes or finds them mined, so each row is minted
// exactly once. The rows' outcomes follow the batches' receipts.

// allocationBatch is the most rows per batchMint transaction: ~31,000 gas
// per fresh holder on a Prague chain (Gas.t.sol), ~6.5M gas a batch. Chains
// that price new storage higher get smaller batches (fitBatches).
const allocationBatch = 200

// maxBatchGas bounds one batch's estimated gas: well under a block and under
// the per-transaction cap of EIP-7825 (16,777,216), with room for the margin.
const maxBatchGas = 10_000_000

// packBatches encodes rows as batchMint calls of at most size rows.
func packBatches(tok *bindings.SecurityToken, rows []registry.AllocationRow, size int) [][]byte {
	var batches [][]byte
	for start := 0; start < len(rows); start += size {
		end := min(start+size, len(rows))
		wallets, amounts := make([]common.Address, 0, end-start), make([]*big.Int, 0, end-start)
		for _, r := range rows[start:end] {
			wallets, amounts = append(wallets, common.HexToAddress(r.Wallet)), append(amounts, r.Amount)
		}
		batches = append(batches, tok.PackBatchMint(wallets, amounts))
	}
	return batches
}

// fitBatches picks the batch size and each batch's gas limit: the first
// batch is estimated on the chain and the size shrunk until it fits
// maxBatchGas, then every batch is estimated (on the current state: mints to
// fresh holders cost the same whichever batch goes first) and given a
// quarter more. Gas is set per transaction because later batches are signed
// before earlier ones are mined.
func (s *Operations) fitBatches(ctx context.Context, op *registry.Operation, tok *bindings.SecurityToken, token common.Address,
	rows []registry.AllocationRow, size int) (int, [][]byte, []uint64, error) {
	from := s.signer(op.Kind).From
	estimate := func(data []byte) (uint64, error) {
		callCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		return s.conn.Client.EstimateGas(callCtx, ethereum.CallMsg{From: from, To: &token, Data: data})
	}
	for {
		batches := packBatches(tok, rows, size)
		g, err := estimate(batches[0])
		if err != nil && !strings.Contains(err.Error(), "gas required exceeds") {
			return 0, nil, nil, err // unreachable (retried) or a revert
		}
		if err == nil && g <= maxBatchGas {
			gas := make([]uint64, len(batches))
			for i, data := range batches {
				if gas[i], err = estimate(data); err != nil {
					return 0, nil, nil, err
				}
				gas[i] += gas[i] / 4
			}
			return size, batches, gas, nil
		}
		if size == 1 {
			return 0, nil, nil, fmt.Errorf("one row needs more than %d gas", maxBatchGas)
		}
		size = max(1, size/2)
	}
}

// allocationPlanner is the registry's allocation check; the store implements it.
type allocationPlanner interface {
	PlanAllocation(ctx context.Context, issuanceID int64, rows []registry.AllocationRow, at time.Time) ([]registry.AllocationRowResult, bool, error)
}

var _ registry.AllocationService = (*Operations)(nil)

func (s *Operations) planner() (allocationPlanner, error) {
	p, ok := s.registry.(allocationPlanner)
	if !ok {
		return nil, registry.Errorf(registry.EUNAVAILABLE, "allocations are not available on this node")
	}
	return p, nil
}

// Allocate implements registry.AllocationService.
func (s *Operations) Allocate(ctx context.Context, issuanceID int64, rows []registry.AllocationRow, mode registry.BulkMode) (*registry.AllocationResult, error) {
	if mode != registry.BulkValidate && mode != registry.BulkApply {
		return nil, registry.Errorf(registry.EINVALID, "mode must be validate or apply")
	}
	switch {
	case len(rows) == 0:
		return nil, registry.Errorf(registry.EINVALID, "the allocation has no rows")
	case len(rows) > registry.MaxBulkRows:
		return nil, registry.Errorf(registry.ETOOLARGE, "an allocation holds at most %d rows", registry.MaxBulkRows)
	}
	iss, err := s.registry.Issuance(ctx, issuanceID) // tenancy: 404 for an issuance the caller cannot see
	if err != nil {
		return nil, err
	}
	if err := registry.RequireOperate(registry.PrincipalFrom(ctx), iss, "allocates an issuance's token"); err != nil {
		return nil, err
	}
	if iss.TokenAddress == "" {
		return nil, registry.Errorf(registry.ECONFLICT, "issuance %d has no token yet; deploy or attach one first", issuanceID)
	}
	if iss.ChainHalt != "" {
		return nil, registry.Errorf(registry.ECONFLICT, "issuance %d's chain work is halted (%s): retire the deployment, then deploy or attach anew",
			issuanceID, iss.ChainHalt)
	}
	pl, err := s.planner()
	if err != nil {
		return nil, err
	}
	results, ok, err := pl.PlanAllocation(ctx, issuanceID, rows, s.now())
	if err != nil {
		return nil, err
	}
	res := &registry.AllocationResult{Mode: mode, Accepted: ok, Rows: len(rows), Results: results, Total: acceptedTotal(results).String()}
	if !ok || mode == registry.BulkValidate {
		return res, nil
	}
	op, err := s.store.CreateOperation(ctx, issuanceID, registry.OpBatchMint, registry.BatchMintRequest(results, allocationBatch))
	if err != nil {
		return nil, err
	}
	s.wakeWorker()
	res.OperationID = op.ID
	for i := range res.Results {
		res.Results[i].Outcome, res.Results[i].OperationID = registry.AllocationPending, op.ID
	}
	return res, nil
}

func acceptedTotal(rs []registry.AllocationRowResult) *big.Int {
	sum := new(big.Int)
	for _, r := range rs {
		if r.Outcome == registry.AllocationAccepted || r.Outcome == registry.AllocationPending || r.Outcome == registry.AllocationMinted {
			if a, ok := new(big.Int).SetString(r.Amount, 10); ok {
				sum.Add(sum, a)
			}
		}
	}
	return sum
}

// Allocation implements registry.AllocationService: each row of the
// operation, MINTED once its batch is mined successfully, REFUSED (with the
// code) when its batch or the operation failed, PENDING otherwise.
func (s *Operations) Allocation(ctx context.Context, operationID int64) (*registry.AllocationResult, error) {
	op, err := s.store.Operation(ctx, operationID) // tenancy: the store's
	if err != nil {
		return nil, err
	}
	if op.Kind != registry.OpBatchMint {
		return nil, registry.Errorf(registry.ENOTFOUND, "operation %d is not an allocation", operationID)
	}
	rows, batchSize, err := registry.BatchMintRows(op)
	if err != nil {
		return nil, err
	}
	if n, err := strconv.Atoi(op.Result["batchSize"]); err == nil && n > 0 {
		batchSize = n // the size the batches were signed with
	}
	res := &registry.AllocationResult{Mode: registry.BulkApply, Accepted: true, OperationID: op.ID, Rows: len(rows)}
	mined := map[int]bool{}
	for _, b := range strings.Split(op.Result["mintedBatches"], ";") {
		if n, err := strconv.Atoi(b); err == nil {
			mined[n] = true
		}
	}
	code := op.Result["reason"]
	if code == "" {
		code = op.Result["revert"]
	}
	for i, r := range rows {
		out := registry.AllocationRowResult{Line: r.Line, Wallet: r.Wallet, Amount: r.Amount.String(), OperationID: op.ID,
			Outcome: registry.AllocationPending}
		switch {
		case mined[i/batchSize]:
			out.Outcome = registry.AllocationMinted
		case op.Status == registry.OpFailed:
			out.Outcome, out.Code, out.Message = registry.AllocationRefused, code, op.Error
		}
		res.Results = append(res.Results, out)
	}
	res.Total = acceptedTotal(res.Results).String()
	return res, nil
}

// runBatchMint executes an allocation: re-check, preflight each batch, sign
// and record every batch, broadcast, and await them in order.
func (s *Operations) runBatchMint(ctx context.Context, op *registry.Operation, iss *registry.Issuance) (map[string]string, error) {
	rows, batchSize, err := registry.BatchMintRows(op)
	if err != nil {
		return nil, err
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
	var steps []*opStep
	var batches [][]byte
	if len(recorded) > 0 {
		// Signed and recorded before: only wait. Sending anything new could
		// mint a batch twice. The batch size is the one recorded with them.
		if steps, err = stepsFrom(recorded); err != nil {
			return nil, err
		}
		size, err := strconv.Atoi(op.Result["batchSize"])
		if err != nil || size <= 0 {
			return nil, fmt.Errorf("operation %d: recorded batch size %q", op.ID, op.Result["batchSize"])
		}
		batchSize, batches = size, packBatches(tok, rows, size)
	} else {
		if result, err := s.preflightAllocation(ctx, op, iss, rows, token, packBatches(tok, rows, batchSize)); err != nil {
			return result, err
		}
		var gas []uint64
		if err := s.retryOutage(ctx, op, "the chain", func(ctx context.Context) (err error) {
			batchSize, batches, gas, err = s.fitBatches(ctx, op, tok, token, rows, batchSize)
			return err
		}); err != nil {
			return revertFailure("preflight", "estimating the batches' gas failed", err, nil)
		}
		build := func(uint64) ([]Call, error) {
			calls := make([]Call, len(batches))
			for i, data := range batches {
				calls[i] = Call{To: &token, Data: data, Gas: gas[i]}
			}
			return calls, nil
		}
		record := s.recordSteps(ctx, op, "", &steps, func(txs []*types.Transaction) map[string]string {
			hs := make([]string, len(txs))
			for i, tx := range txs {
				hs[i] = tx.Hash().Hex()
			}
			return map[string]string{"batches": strconv.Itoa(len(txs)), "batchSize": strconv.Itoa(batchSize), "txHashes": strings.Join(hs, ";")}
		})
		err := s.retryOutage(ctx, op, "the chain", func(ctx context.Context) error {
			_, berr, err := s.signer(op.Kind).SignRecordBroadcast(ctx, build, record)
			if berr != nil {
				s.log.Warn("broadcast allocation; the wait re-sends it", slog.Int64("operation", op.ID), slog.Any("err", berr))
			}
			return err
		})
		if err != nil {
			return revertFailure("send", "sending failed", err, nil)
		}
	}
	if len(steps) != len(batches) {
		return nil, fmt.Errorf("operation %d: %d recorded transactions for %d batches", op.ID, len(steps), len(batches))
	}
	on := registry.ChainIdentity{ChainID: iss.ChainID, GenesisHash: iss.GenesisHash}
	result := map[string]string{"batches": strconv.Itoa(len(batches)), "batchSize": strconv.Itoa(batchSize), "rows": strconv.Itoa(len(rows))}
	var mined, hashes []string
	for i, st := range steps {
		receipt, err := s.awaitStep(ctx, op, on, st)
		if err != nil {
			if errors.Is(err, ErrDropped) {
				result["stage"] = "send"
				return result, fmt.Errorf("batch %d can never be mined: %w", i, err)
			}
			return nil, err
		}
		hashes = append(hashes, receipt.TxHash.Hex())
		result["txHashes"], result["txHash"], result["block"] = strings.Join(hashes, ";"), receipt.TxHash.Hex(), receipt.BlockNumber.String()
		if receipt.Status != types.ReceiptStatusSuccessful {
			callCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
			_, cerr := s.conn.Client.CallContract(callCtx, ethereum.CallMsg{From: s.signer(op.Kind).From, To: &token, Data: batches[i]}, receipt.BlockNumber)
			cancel()
			if cerr == nil {
				cerr = errors.New("no revert data on replay")
			}
			result["failedBatch"] = strconv.Itoa(i)
			return revertFailure("revert", fmt.Sprintf("batch %d (transaction %s) reverted", i, receipt.TxHash.Hex()), cerr, result)
		}
		mined = append(mined, strconv.Itoa(i))
		result["gasUsed"] = strings.TrimPrefix(result["gasUsed"]+";"+strconv.FormatUint(receipt.GasUsed, 10), ";")
		result["mintedBatches"] = strings.Join(mined, ";")
		if err := s.store.NoteOperation(systemCtx(ctx), op.ID, map[string]string{"mintedBatches": result["mintedBatches"]}); err != nil && ctx.Err() == nil {
			s.log.Warn("note allocation progress", slog.Int64("operation", op.ID), slog.Any("err", err))
		}
	}
	return result, nil
}

// preflightAllocation runs the checks before an allocation is signed: the
// mirror has caught up, the engine still allows every row (counting the rows
// before it), and the token would not refuse any batch on its own.
func (s *Operations) preflightAllocation(ctx context.Context, op *registry.Operation, iss *registry.Issuance, rows []registry.AllocationRow,
	token common.Address, batches [][]byte) (map[string]string, error) {
	if err := s.retryOutage(ctx, op, "the database", func(ctx context.Context) error { return s.awaitMirror(ctx, iss) }); err != nil {
		return map[string]string{"stage": "mirror"}, err
	}
	pl, err := s.planner()
	if err != nil {
		return nil, err
	}
	var results []registry.AllocationRowResult
	var ok bool
	if err := s.retryOutage(ctx, op, "the database", func(ctx context.Context) (err error) {
		results, ok, err = pl.PlanAllocation(systemCtx(ctx), op.IssuanceID, rows, s.now())
		return err
	}); err != nil {
		return nil, fmt.Errorf("eligibility re-check: %w", err)
	}
	if !ok {
		// Code names and lines only: the engine's messages may name investors
		// of sellers other than those who can read the operation.
		var lines, codes []string
		for _, r := range results {
			if r.Outcome == registry.AllocationRefused || r.Outcome == registry.AllocationInvalid {
				lines, codes = append(lines, strconv.Itoa(r.Line)), append(codes, r.Code)
			}
		}
		return map[string]string{"stage": "registry", "reason": codes[0], "reasons": strings.Join(codes, ","), "lines": strings.Join(lines, ",")},
			fmt.Errorf("refused by the eligibility engine before sending: line %s: %s", lines[0], codes[0])
	}
	var result map[string]string
	err = s.retryOutage(ctx, op, "the chain", func(ctx context.Context) error {
		for i, data := range batches {
			callCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
			_, err := s.conn.Client.CallContract(callCtx, ethereum.CallMsg{From: s.signer(op.Kind).From, To: &token, Data: data}, nil)
			cancel()
			if err != nil && !transient(err) {
				result, err = revertFailure("preflight", fmt.Sprintf("batch %d: the token would revert", i), err, map[string]string{"failedBatch": strconv.Itoa(i)})
				return err
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	return result, err
}
