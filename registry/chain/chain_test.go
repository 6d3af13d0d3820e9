package chain

import (
	"context"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/stonode/stonode/registry"
)

func openSim(t *testing.T) *Conn {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	c, err := OpenSimulated(key, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestDeployThenVerify(t *testing.T) {
	c := openSim(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	lockup := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	iss := &registry.Issuance{TokenName: "Tokyo Office", TokenSymbol: "TOF", Decimals: 0, LockupEnd: &lockup,
		OfferingType: registry.OfferingSmallNumberPrivate, DeniedCountries: []string{"KP", "IR"}}
	d, err := c.Deploy(ctx, ParamsFor(iss))
	if err != nil {
		t.Fatalf("deploy: %v", err)
	}
	if d.ChainID != SimulatedChainID || d.Block == 0 {
		t.Fatalf("deployment = %+v", d)
	}
	p, err := c.Verify(ctx, d.TokenAddress, d.RegistryAddress)
	if err != nil {
		t.Fatalf("verify own deployment: %v", err)
	}
	if p.Name != "Tokyo Office" || p.Symbol != "TOF" || p.Decimals != 0 {
		t.Fatalf("token params = %+v", p)
	}
	if b, err := c.DeploymentBlock(ctx, d.TokenAddress); err != nil || b != d.Block {
		t.Fatalf("deployment block = %d, %v; want %d", b, err, d.Block)
	}

	// Wrong pairings and foreign keys are refused with a clear error.
	other, err := c.Deploy(ctx, ParamsFor(iss))
	if err != nil {
		t.Fatal(err)
	}
	stranger := openSimSameChainOtherKey(t, c)
	cases := map[string]func() error{
		"registry of another token": func() error { _, err := c.Verify(ctx, d.TokenAddress, other.RegistryAddress); return err },
		"swapped":                   func() error { _, err := c.Verify(ctx, d.RegistryAddress, d.TokenAddress); return err },
		"no code":                   func() error { _, err := c.Verify(ctx, common.HexToAddress("0x1234"), d.RegistryAddress); return err },
		"key without roles":         func() error { _, err := stranger.Verify(ctx, d.TokenAddress, d.RegistryAddress); return err },
	}
	for name, fn := range cases {
		if err := fn(); registry.ErrorCode(err) != registry.EINVALID {
			t.Errorf("%s: err = %v, want invalid", name, err)
		}
	}
}

// openSimSameChainOtherKey returns a connection to c's chain signing with a new key.
func openSimSameChainOtherKey(t *testing.T, c *Conn) *Conn {
	key, _ := crypto.GenerateKey()
	return &Conn{Client: c.Client, ChainID: c.ChainID, From: crypto.PubkeyToAddress(key.PublicKey), key: key, stop: func() {}}
}
