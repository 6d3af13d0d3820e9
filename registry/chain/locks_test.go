package chain_test

import (
	"context"
	"errors"
	"log/slog"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/chain"
	"github.com/stonode/stonode/registry/store/storetest"
)

// TestDueLocksReleaseOnceAndBackOff: the node queues a due lock's release
// once, and after a failed unfreeze waits before trying again.
func TestDueLocksReleaseOnceAndBackOff(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			clock := storetest.NewClock(t0)
			st := storetest.Open(t, engine, clock.Now)
			key, _ := crypto.GenerateKey()
			conn, err := chain.OpenSimulated(key, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { conn.Close() })
			ctx := context.Background()
			op := registry.WithPrincipal(ctx, &registry.Principal{KeyID: "op", Role: registry.RoleOperator})
			sel := &registry.Seller{LegalName: "Alpha", CorporateNumber: "7000012050002", FSARegistration: "x",
				Licence: registry.LicenceType1, Membership: registry.MembershipFull}
			if err := st.CreateSeller(op, sel); err != nil {
				t.Fatal(err)
			}
			iss := &registry.Issuance{LeadSellerID: sel.ID, IssuerName: "I", TokenName: "T", TokenSymbol: "T", LegalForm: registry.FormShare,
				FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic}
			if err := st.CreateIssuance(op, iss); err != nil {
				t.Fatal(err)
			}
			if _, err := st.TransitionIssuance(op, iss.ID, registry.IssuanceRegistered, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := st.RecordDeployment(op, iss.ID, registry.Deployment{ChainID: chain.SimulatedChainID,
				TokenAddress: "0x00000000000000000000000000000000000000b1", RegistryAddress: "0x00000000000000000000000000000000000000b2", Block: 1}); err != nil {
				t.Fatal(err)
			}
			release := t0.Add(time.Hour)
			l, err := st.CreateLock(op, iss.ID, registry.LockRequest{Wallet: "0x00000000000000000000000000000000000000b3",
				Amount: big.NewInt(5), Reason: registry.LockInheritance, Reference: "estate 12", ReleaseAt: &release})
			if err != nil {
				t.Fatal(err)
			}
			if err := st.FinishOperation(op, l.LockOperation, map[string]string{"txHash": "0x1"}, nil); err != nil {
				t.Fatal(err)
			}
			ops := chain.NewOperationsWith(conn, st.Chain(), slog.New(slog.DiscardHandler), chain.OperationsConfig{Controls: st})
			ops.SetClock(clock.Now)
			status := func() registry.LockStatus {
				got, err := st.Lock(op, iss.ID, l.ID)
				if err != nil {
					t.Fatal(err)
				}
				return got.Status
			}
			if n := ops.ReleaseDue(ctx); n != 0 || status() != registry.LockActive {
				t.Fatalf("before its release time: %d queued, %s", n, status())
			}
			clock.Set(release)
			if n := ops.ReleaseDue(ctx); n != 1 || status() != registry.LockReleasing {
				t.Fatalf("at its release time: %d queued, %s", n, status())
			}
			if n := ops.ReleaseDue(ctx); n != 0 {
				t.Fatalf("released twice: %d", n)
			}
			got, _ := st.Lock(op, iss.ID, l.ID)
			if err := st.FinishOperation(op, got.ReleaseOperation, nil, errors.New("UnfreezeExceedsFrozen")); err != nil {
				t.Fatal(err)
			}
			if n := ops.ReleaseDue(ctx); n != 0 || status() != registry.LockActive {
				t.Fatalf("right after a failed unfreeze: %d queued, %s", n, status())
			}
			clock.Set(release.Add(11 * time.Minute))
			if n := ops.ReleaseDue(ctx); n != 1 || status() != registry.LockReleasing {
				t.Fatalf("after the back-off: %d queued, %s", n, status())
			}
		})
	}
}
