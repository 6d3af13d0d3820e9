package registry

import (
	"encoding/hex"
	"strings"
)

// Addresses that can never hold a token. A wallet record for one of them is a
// poison record: the EligibilityRegistry refuses the zero address outright
// (ZeroWallet, which reverts the whole batch), and a precompile has no key, so
// a token sent there is lost. They are refused where wallets enter the
// registry, not discovered later on-chain.
//
// The precompiles are 0x01..0x11 (ecrecover .. the BLS12-381 set of Prague)
// and 0x0100 (P256VERIFY, RIP-7212 / EIP-7951). Addresses above 0x11 in the
// low range are not refused: nothing is deployed there on mainnet today, and
// tests and devnets use them as wallets.
const (
	lastPrecompile = 0x11
	p256Verify     = 0x0100
)

// UnholdableAddress says why a normalized address (0x + 40 lower-case hex, as
// NormalizeAddress returns) can never hold a token, or "" if it can.
func UnholdableAddress(addr string) string {
	raw, err := hex.DecodeString(strings.TrimPrefix(strings.ToLower(addr), "0x"))
	if err != nil || len(raw) != 20 {
		return ""
	}
	for _, b := range raw[:18] {
		if b != 0 {
			return ""
		}
	}
	switch low := int(raw[18])<<8 | int(raw[19]); {
	case low == 0:
		return "the zero address"
	case low <= lastPrecompile:
		return "a precompile"
	case low == p256Verify:
		return "the P256VERIFY precompile"
	}
	return ""
}

// CheckHolderAddress refuses (EINVALID) a wallet address that can never hold
// a token.
func CheckHolderAddress(field, addr string) error {
	if why := UnholdableAddress(addr); why != "" {
		return Errorf(EINVALID, "%s %s is %s and can never hold a token", field, addr, why)
	}
	return nil
}

// CheckIssuanceWallet refuses (EINVALID) a wallet address that can never hold
// the issuance's token: an unholdable address, or one of the issuance's own
// contracts.
func CheckIssuanceWallet(field, addr string, iss *Issuance) error {
	if err := CheckHolderAddress(field, addr); err != nil {
		return err
	}
	a := strings.ToLower(addr)
	switch {
	case iss.TokenAddress != "" && a == strings.ToLower(iss.TokenAddress):
		return Errorf(EINVALID, "%s %s is the token contract of issuance %d", field, addr, iss.ID)
	case iss.RegistryAddress != "" && a == strings.ToLower(iss.RegistryAddress):
		return Errorf(EINVALID, "%s %s is the eligibility registry of issuance %d", field, addr, iss.ID)
	}
	return nil
}
