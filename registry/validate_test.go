package registry

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
)

func TestParseID(t *testing.T) {
	for in, want := range map[string]int64{"1": 1, "42": 42, "9223372036854775807": 9223372036854775807} {
		if got, ok := ParseID(in); !ok || got != want {
			t.Errorf("ParseID(%q) = %d, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "0", "00", "01", "+1", "-1", " 1", "1 ", "1.0", "1e0", "0x1", "１", "9223372036854775808", "18446744073709551616", "1_000"} {
		if got, ok := ParseID(in); ok {
			t.Errorf("ParseID(%q) = %d, want no id", in, got)
		}
	}
	if n, ok := ParseCount("0"); !ok || n != 0 {
		t.Errorf("ParseCount(0) = %d, %v", n, ok)
	}
	if n, ok := ParseCount("18446744073709551615"); !ok || n != 1<<64-1 {
		t.Errorf("ParseCount(max uint64) = %d, %v", n, ok)
	}
}

func TestNormalizeAddressPrefix(t *testing.T) {
	const body = "52908400098527886e0f7030069857d2e4169ee7"
	for _, in := range []string{"0X" + body, "0X" + strings.ToUpper(body), "x0" + body, "00" + body} {
		if _, err := NormalizeAddress("a", in); err == nil {
			t.Errorf("NormalizeAddress(%q) passed", in)
		}
	}
	for _, in := range []string{"0x" + body, "0x" + strings.ToUpper(body), "0x52908400098527886E0F7030069857D2E4169EE7"} {
		if got, err := NormalizeAddress("a", in); err != nil || got != "0x"+body {
			t.Errorf("NormalizeAddress(%q) = %q, %v", in, got, err)
		}
	}
}

// Domain values are written to the audit log as JSON details: each field has
// an explicit camelCase name, as the API spells it, never Go's field name.
func TestAuditedTypesHaveCamelCaseJSONNames(t *testing.T) {
	for _, v := range []any{Seller{}, Issuance{}, Product{}, Investor{}, CategoryGrant{}, Wallet{}, WhitelistEntry{}, APIKey{},
		AuditRecord{}, SellerStatusChange{}, KYCUpdate{}, ScreeningUpdate{}, Approval{}, Operation{}, Deployment{}} {
		typ := reflect.TypeOf(v)
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" || !unicode.IsLower([]rune(name)[0]) {
				t.Errorf("%s.%s has JSON name %q, want a camelCase name as in the API", typ.Name(), f.Name, name)
			}
		}
	}
}

func TestNormalizeWalletPair(t *testing.T) {
	const a, b = "0x00000000000000000000000000000000000000a1", "0x00000000000000000000000000000000000000b2"
	for _, tc := range []struct {
		name, x, y string
		want       string // error text part; "" means valid
	}{
		{"two wallets", a, b, ""},
		{"upper-case hex is lowered", "0x00000000000000000000000000000000000000A1", b, ""},
		{"the same wallet", a, a, "from and to must differ"},
		{"the zero address", ZeroAddress, b, "must not be the zero address"},
		{"not an address", "0x12", b, "from"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, y, err := NormalizeWalletPair("from", tc.x, "to", tc.y)
			if tc.want == "" {
				if err != nil || x != a || y != b {
					t.Fatalf("got %q %q %v", x, y, err)
				}
				return
			}
			if err == nil || ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want EINVALID naming %q", err, tc.want)
			}
		})
	}
}
