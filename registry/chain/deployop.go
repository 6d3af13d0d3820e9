package chain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/stonode/stonode/registry"
)

// runDeploy deploys an issuance's contracts exactly once. The first run signs
// every transaction of the deployment, records them with the addresses they
// will create, and only then broadcasts; a resumed run waits for the recorded
// ones. The pair is bound to the issuance from the moment it is recorded.
func (s *Operations) runDeploy(ctx context.Context, op *registry.Operation, iss *registry.Issuance) (map[string]string, error) {
	if iss.TokenAddress != "" {
		return nil, fmt.Errorf("issuance %d already has a token at %s", iss.ID, iss.TokenAddress)
	}
	recorded, err := s.recordedTxs(ctx, op)
	if err != nil {
		return nil, err
	}
	var steps []*opStep
	genesis := op.Result["genesisHash"]
	if len(recorded) > 0 {
		var err error
		if steps, err = stepsFrom(recorded); err != nil {
			return nil, err
		}
		if err := s.checkChain(ctx, op, &registry.Issuance{ID: iss.ID, ChainID: s.conn.ChainID, GenesisHash: genesis}); err != nil {
			return nil, err
		}
	} else {
		var id registry.ChainIdentity
		if err := s.retryOutage(ctx, op, "the chain", func(ctx context.Context) (err error) {
			id, err = s.cfg.Guard.Identity(ctx)
			return err
		}); err != nil {
			return nil, err
		}
		genesis = id.GenesisHash
		p := ParamsFor(iss)
		build := func(first uint64) ([]Call, error) {
			calls := s.signer(op.Kind).DeployCalls(p, first)
			// The chain decides the addresses (the node's key and nonce); one
			// already holding another issuance's token means the chain is not
			// the one that deployment was made on.
			token := lower(crypto.CreateAddress(s.signer(op.Kind).From, first+1))
			if other, found, err := s.store.TokenHolder(systemCtx(ctx), s.conn.ChainID, token); err != nil {
				return nil, err
			} else if found {
				return nil, registry.Errorf(registry.ECONFLICT, "the token would be created at %s, where issuance %d's token is recorded on chain %d: "+
					"the chain was reset or replaced; retire that deployment first", token, other, s.conn.ChainID)
			}
			return calls, nil
		}
		result := func(txs []*types.Transaction) map[string]string {
			return map[string]string{"chainId": strconv.FormatInt(s.conn.ChainID, 10), "genesisHash": genesis,
				"registryAddress": lower(crypto.CreateAddress(s.signer(op.Kind).From, txs[0].Nonce())),
				"tokenAddress":    lower(crypto.CreateAddress(s.signer(op.Kind).From, txs[1].Nonce()))}
		}
		err := s.retryOutage(ctx, op, "the chain", func(ctx context.Context) error {
			_, berr, err := s.signer(op.Kind).SignRecordBroadcast(ctx, build, s.recordSteps(ctx, op, genesis, &steps, result))
			if berr != nil {
				s.log.Warn("broadcast deployment; the wait re-sends it", slog.Int64("operation", op.ID), slog.Any("err", berr))
			}
			return err
		})
		if err != nil {
			return map[string]string{"stage": "send"}, fmt.Errorf("deploy: %w", err)
		}
	}
	if len(steps) < 2 || steps[0].contract == "" || steps[1].contract == "" {
		return nil, fmt.Errorf("operation %d: recorded deployment is incomplete (%d transactions)", op.ID, len(steps))
	}
	res := map[string]string{"chainId": strconv.FormatInt(s.conn.ChainID, 10), "genesisHash": genesis,
		"registryAddress": steps[0].contract, "tokenAddress": steps[1].contract}
	var tokenBlock uint64
	for _, st := range steps {
		r, err := s.awaitStep(ctx, op, registry.ChainIdentity{ChainID: s.conn.ChainID, GenesisHash: genesis}, st)
		if err != nil {
			if errors.Is(err, ErrDropped) {
				return res, fmt.Errorf("deployment step %d can never be mined: %w", st.step, err)
			}
			return res, err
		}
		if r.Status != types.ReceiptStatusSuccessful {
			return res, fmt.Errorf("deployment step %d (transaction %s) reverted", st.step, r.TxHash.Hex())
		}
		if st.contract != "" && !strings.EqualFold(r.ContractAddress.Hex(), st.contract) {
			return res, fmt.Errorf("deployment step %d created %s, not the recorded %s", st.step, r.ContractAddress.Hex(), st.contract)
		}
		if st.step == 1 {
			tokenBlock = r.BlockNumber.Uint64()
		}
	}
	res["deploymentBlock"] = strconv.FormatUint(tokenBlock, 10)
	d := registry.Deployment{ChainID: s.conn.ChainID, GenesisHash: genesis, TokenAddress: steps[1].contract,
		RegistryAddress: steps[0].contract, Block: tokenBlock}
	if err := s.retryOutage(ctx, op, "the database", func(ctx context.Context) error {
		_, err := s.store.RecordDeployment(systemCtx(ctx), op.IssuanceID, d)
		return err
	}); err != nil {
		return res, err
	}
	return res, nil
}
