package chain

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry"
)

// packError encodes a SecurityToken custom error as revert data.
func packError(t *testing.T, name string, args ...any) []byte {
	t.Helper()
	parsed, err := abi.JSON(strings.NewReader(bindings.SecurityTokenMetaData.ABI))
	if err != nil {
		t.Fatal(err)
	}
	e := parsed.Errors[name]
	packed, err := e.Inputs.Pack(args...)
	if err != nil {
		t.Fatal(err)
	}
	return append(append([]byte{}, e.ID.Bytes()[:4]...), packed...)
}

// rpcRevert is what a geth node answers for a reverted call or estimate.
type rpcRevert struct{ data []byte }

func (e rpcRevert) Error() string          { return "execution reverted" }
func (e rpcRevert) ErrorCode() int         { return 3 }
func (e rpcRevert) ErrorData() interface{} { return hexutil.Encode(e.data) }

func TestDecodeRevert(t *testing.T) {
	cases := []struct {
		name       string
		data       []byte
		ok         bool
		restricted bool
		want       string
	}{
		{"transfer restricted", packError(t, "TransferRestricted", uint8(31)), true, true, "NOT_WHITELISTED"},
		{"max holders", packError(t, "TransferRestricted", uint8(50)), true, true, "MAX_HOLDERS_REACHED"},
		{"unknown code", packError(t, "TransferRestricted", uint8(99)), true, true, "UNKNOWN"},
		{"other custom error", packError(t, "FreezeExceedsFreeBalance", common.HexToAddress("0xab"), big.NewInt(1), big.NewInt(2)), true, false, "FreezeExceedsFreeBalance"},
		{"short", []byte{1, 2}, false, false, ""},
		{"foreign selector", []byte{1, 2, 3, 4, 5}, false, false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, ok := DecodeRevert(c.data)
			if ok != c.ok || r.Restricted != c.restricted || r.Name != c.want {
				t.Fatalf("DecodeRevert = %+v, %v; want name %q restricted %v ok %v", r, ok, c.want, c.restricted, c.ok)
			}
		})
	}
}

// A transaction that still reverts is reported with the code's name, in the
// error and the result.
func TestRevertFailure(t *testing.T) {
	result, err := revertFailure("revert", "transaction 0x1 reverted",
		rpcRevert{packError(t, "TransferRestricted", uint8(43))}, map[string]string{"txHash": "0x1"})
	if err == nil || !strings.Contains(err.Error(), "COUNTRY_RESTRICTED (43)") {
		t.Fatalf("error = %v", err)
	}
	if result["reason"] != "COUNTRY_RESTRICTED" || result["reasonCode"] != "43" || result["stage"] != "revert" || result["txHash"] != "0x1" {
		t.Fatalf("result = %v", result)
	}
	plain := errors.New("connection refused")
	if result, err = revertFailure("send", "sending failed", plain, nil); !errors.Is(err, plain) || result["stage"] != "send" {
		t.Fatalf("non-revert error: %v %v", result, err)
	}
}

func TestNormalizeTokenOp(t *testing.T) {
	a, b := "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617e340b3d01fa5f11f306f4090fd50e238070d"
	one := big.NewInt(1)
	cases := []struct {
		name string
		op   registry.TokenOp
		ok   bool
	}{
		{"mint", registry.TokenOp{Kind: registry.OpMint, To: a, Amount: one}, true},
		{"mint with from", registry.TokenOp{Kind: registry.OpMint, From: b, To: a, Amount: one}, false},
		{"mint without amount", registry.TokenOp{Kind: registry.OpMint, To: a}, false},
		{"forced", registry.TokenOp{Kind: registry.OpForcedTransfer, From: b, To: a, Amount: one}, true},
		{"forced to self", registry.TokenOp{Kind: registry.OpForcedTransfer, From: a, To: strings.ToLower(a), Amount: one}, false},
		{"redeem zero", registry.TokenOp{Kind: registry.OpRedeem, From: a, Amount: new(big.Int)}, false},
		{"freeze whole", registry.TokenOp{Kind: registry.OpFreeze, Wallet: a}, true},
		{"freeze partial", registry.TokenOp{Kind: registry.OpUnfreeze, Wallet: a, Amount: one}, true},
		{"freeze zero address", registry.TokenOp{Kind: registry.OpFreeze, Wallet: registry.ZeroAddress}, false},
		{"pause", registry.TokenOp{Kind: registry.OpPause}, true},
		{"pause with amount", registry.TokenOp{Kind: registry.OpPause, Amount: one}, false},
		{"deploy", registry.TokenOp{Kind: registry.OpDeploy}, false},
	}
	for _, c := range cases {
		got, err := normalizeTokenOp(c.op)
		if (err == nil) != c.ok {
			t.Errorf("%s: err = %v, want ok %v", c.name, err, c.ok)
		}
		if err == nil && got.To != "" && got.To != strings.ToLower(got.To) {
			t.Errorf("%s: address not normalised: %s", c.name, got.To)
		}
	}
}
