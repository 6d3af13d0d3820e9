package chain

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
)

func TestRoleKeys(t *testing.T) {
	nodeKey, _ := crypto.GenerateKey()
	shared, _ := crypto.GenerateKey()
	conn, err := OpenSimulated(nodeKey, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, r := range KeyRoles {
		if conn.As(r) != conn {
			t.Fatalf("without role keys, %s does not sign with the node's key", r)
		}
	}
	if err := conn.SetRoleKeys(map[KeyRole]*ecdsa.PrivateKey{"auditor": shared}); err == nil {
		t.Fatal("an unknown role was accepted")
	}
	if err := conn.SetRoleKeys(map[KeyRole]*ecdsa.PrivateKey{KeyWriter: shared, KeyAgent: shared, KeyAdmin: nil}); err != nil {
		t.Fatal(err)
	}
	if err := conn.SetRoleKeys(nil); err == nil {
		t.Fatal("role keys were set twice")
	}
	sharedAddr := crypto.PubkeyToAddress(shared.PublicKey)
	w, a := conn.As(KeyWriter), conn.As(KeyAgent)
	if w != a || w == conn || w.From != sharedAddr {
		t.Fatalf("writer and agent with one key: views %p %p (%s), want one view of %s", w, a, w.From, sharedAddr)
	}
	if conn.As(KeyAdmin) != conn || w.As(KeyAdmin) != conn {
		t.Fatal("the admin role without a key does not sign with the node's key, from every view")
	}
	if got := conn.RoleAddresses(); got[KeyWriter] != sharedAddr || got[KeyAgent] != sharedAddr || got[KeyAdmin] != conn.From {
		t.Fatalf("role addresses %v", got)
	}

	// Roles sharing a key share its nonce stream: concurrent sends from both
	// roles get distinct nonces and are all mined.
	ctx := context.Background()
	if err := conn.Fund(ctx, big.NewInt(params.Ether), sharedAddr); err != nil {
		t.Fatal(err)
	}
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		nonces = map[uint64]bool{}
		hashes []common.Hash
	)
	sink := common.HexToAddress("0x00000000000000000000000000000000000000e1")
	for i := 0; i < 8; i++ {
		role := []KeyRole{KeyWriter, KeyAgent}[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			txs, _, err := conn.As(role).SignRecordBroadcast(ctx, func(uint64) ([]Call, error) {
				return []Call{{To: &sink, Value: big.NewInt(1), Gas: 21_000}}, nil
			}, func([]*types.Transaction) error { return nil })
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if nonces[txs[0].Nonce()] {
				t.Errorf("nonce %d signed twice", txs[0].Nonce())
			}
			nonces[txs[0].Nonce()] = true
			hashes = append(hashes, txs[0].Hash())
		}()
	}
	wg.Wait()
	for _, h := range hashes {
		r, err := conn.WaitMined(ctx, h)
		if err != nil || r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("transaction %s: %v %v", h, r, err)
		}
	}
	if bal, _ := conn.Client.BalanceAt(ctx, sink, nil); bal.Int64() != 8 {
		t.Fatalf("sink balance %s, want 8", bal)
	}

	// refreshViews hands the base's client to the views (NewLeaser wraps it).
	wrapped := &wrappedClient{Client: conn.Client}
	conn.Client = wrapped
	conn.refreshViews()
	if got, ok := w.Client.(*wrappedClient); !ok || got != wrapped {
		t.Fatal("the writer view kept the old client")
	}
}

type wrappedClient struct{ Client }
