package chain_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/store/storetest"
)

var system = &registry.Principal{KeyID: "system", Role: registry.RoleOperator}

// waitFor polls cond every 20 ms for up to 15 s.
func waitFor(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; last state: %s", what, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestAChangedChainHaltsAndRetiringRecovers: a node on another chain (another
// genesis) than the one an issuance was deployed on halts the issuance's chain
// work, says so in its readiness, and keeps the mirror as it was; retiring the
// deployment clears the halt and frees the issuance for a new deployment.
func TestAChangedChainHaltsAndRetiringRecovers(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			r := newSyncRig(t, engine)
			log := slog.New(slog.DiscardHandler)
			runNode := func(conn *chain.Conn) (*chain.Node, context.CancelFunc) {
				ctx, cancel := context.WithCancel(context.Background())
				n := chain.NewNode(conn, r.st.Chain(), chain.NodeConfig{MirrorPoll: 50 * time.Millisecond}, prometheus.NewRegistry(), log)
				done := make(chan struct{})
				go func() { defer close(done); n.Run(ctx) }()
				return n, func() { cancel(); <-done }
			}
			// On its own chain, the deployment (recorded before genesis hashes
			// were kept) adopts the chain's genesis and is mirrored.
			nodeA, stopA := runNode(r.conn)
			token := strings.ToLower(r.d.TokenAddress.Hex())
			waitFor(t, "the deployment's genesis adopted and mirrored", func() (bool, string) {
				iss, err := r.st.Issuance(r.seller, r.iss.ID)
				_, mirrored, _ := r.st.Checkpoint(r.ctx, chain.SimulatedChainID, token)
				return err == nil && iss.GenesisHash != "" && mirrored, iss.GenesisHash
			})
			if reasons := nodeA.Readiness(r.ctx); len(reasons) != 0 {
				t.Fatalf("node on the deployment's chain not ready: %v", reasons)
			}
			stopA()
			before, _, _ := r.st.Checkpoint(r.ctx, chain.SimulatedChainID, token)

			key, _ := crypto.GenerateKey() // another alloc: another genesis, same chain id
			other, err := chain.OpenSimulated(key, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { other.Close() })
			nodeB, stopB := runNode(other)
			defer stopB()
			waitFor(t, "the issuance halted", func() (bool, string) {
				iss, _ := r.st.Issuance(r.seller, r.iss.ID)
				return iss.ChainHalt != "", iss.ChainHalt
			})
			reasons := nodeB.Readiness(r.ctx)
			if len(reasons) != 1 || !strings.Contains(reasons[0], "halted") || !strings.Contains(reasons[0], "genesis") {
				t.Fatalf("readiness on the other chain: %v", reasons)
			}
			if after, _, _ := r.st.Checkpoint(r.ctx, chain.SimulatedChainID, token); after != before {
				t.Fatalf("the mirror moved on another chain: %+v, was %+v", after, before)
			}
			// The way out.
			retired, err := r.st.RetireDeployment(r.seller, r.iss.ID, "test chain replaced")
			if err != nil {
				t.Fatal(err)
			}
			iss, _ := r.st.Issuance(r.seller, r.iss.ID)
			if iss.ChainHalt != "" || iss.TokenAddress != "" {
				t.Fatalf("after retiring: %+v", iss)
			}
			if _, kept, _ := r.st.Checkpoint(r.ctx, retired.MirrorKey, token); !kept {
				t.Fatal("the retired deployment's mirror was not kept under its key")
			}
			if reasons := nodeB.Readiness(r.ctx); len(reasons) != 0 {
				t.Fatalf("still not ready after retiring: %v", reasons)
			}
		})
	}
}

// TestAnOperationResumesFromItsRecordedTransaction: a crash between recording
// an operation's signed transaction and broadcasting it leaves the operation
// RUNNING with the transaction on record; the restarted node (same owner)
// resumes it at once, sends those very bytes and finishes it once.
func TestAnOperationResumesFromItsRecordedTransaction(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			r := newSyncRig(t, engine)
			sys := registry.WithPrincipal(r.ctx, system)
			op, err := r.st.CreateOperation(r.seller, r.iss.ID, registry.OpPause, nil)
			if err != nil {
				t.Fatal(err)
			}
			if claimed, err := r.st.ClaimOperation(sys, "node-1"); err != nil || claimed == nil || claimed.ID != op.ID {
				t.Fatalf("claim: %+v %v", claimed, err)
			}
			// The first process records the signed pause and dies before the
			// broadcast.
			crash := errors.New("killed before the broadcast")
			token := r.d.TokenAddress
			var recorded *types.Transaction
			_, _, err = r.conn.SignRecordBroadcast(r.ctx, func(uint64) ([]chain.Call, error) {
				return []chain.Call{{To: &token, Data: r.tok.PackPause()}}, nil
			}, func(txs []*types.Transaction) error {
				raw, _ := txs[0].MarshalBinary()
				if err := r.st.RecordOperationTxs(sys, op.ID, []registry.OperationTx{{Step: 0, Nonce: txs[0].Nonce(),
					Hash: txs[0].Hash().Hex(), Raw: raw}}, map[string]string{"txHash": txs[0].Hash().Hex()}); err != nil {
					return err
				}
				recorded = txs[0]
				return crash
			})
			if !errors.Is(err, crash) || recorded == nil {
				t.Fatalf("sign and record: %v", err)
			}

			svc := chain.NewOperationsWith(r.conn, r.st.Chain(), slog.New(slog.DiscardHandler), chain.OperationsConfig{Owner: "node-1"})
			ctx, cancel := context.WithCancel(r.ctx)
			done := make(chan struct{})
			go func() { defer close(done); _ = svc.Run(ctx) }()
			defer func() { cancel(); <-done }()
			waitFor(t, "the resumed operation SUCCEEDED", func() (bool, string) {
				got, err := r.st.Operation(sys, op.ID)
				if err != nil {
					return false, err.Error()
				}
				if got.Status == registry.OpFailed {
					t.Fatalf("resumed operation failed: %s", got.Error)
				}
				return got.Status == registry.OpSucceeded, string(got.Status)
			})
			got, _ := r.st.Operation(sys, op.ID)
			if got.Result["txHash"] != recorded.Hash().Hex() {
				t.Fatalf("operation finished with %s, the recorded transaction is %s", got.Result["txHash"], recorded.Hash().Hex())
			}
			txs, err := r.st.OperationTxs(sys, op.ID)
			if err != nil || len(txs) != 1 {
				t.Fatalf("recorded transactions after the resume: %d (%v), want the one", len(txs), err)
			}
			paused, err := bind.Call(r.tok.Instance(r.conn.Client, common.Address(token)), nil, r.tok.PackPaused(), r.tok.UnpackPaused)
			if err != nil || !paused {
				t.Fatalf("paused on-chain: %v %v", paused, err)
			}
		})
	}
}
