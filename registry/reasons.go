package registry

import "sort"

// ReasonCode is a stable numeric reason for refusing a transfer, a whitelist
// approval or an issuance registration. Numbers are grouped by area in tens and
// never reused; the token contract reverts with the same numbers for its on-chain
// subset (see docs/reason-codes.md and contracts/src/ReasonCodes.sol).
type ReasonCode uint8

// Reason codes. Add new ones at the end of their area; never renumber.
const (
	CodeOK ReasonCode = 0

	// Issuance.
	CodeIssuanceNotActive ReasonCode = 10
	CodeTokenPaused       ReasonCode = 11
	CodeLockupActive      ReasonCode = 12
	CodeSupplyCapExceeded ReasonCode = 13
	CodeOfferingClosed    ReasonCode = 14

	// Seller.
	CodeSellerNotRegistered            ReasonCode = 20
	CodeSellerSuspended                ReasonCode = 21
	CodeSellerNotAuthorisedForIssuance ReasonCode = 22
	CodeSellerLicenseMismatch          ReasonCode = 23

	// Investor identity.
	CodeWalletUnknown    ReasonCode = 30
	CodeNotWhitelisted   ReasonCode = 31
	CodeWhitelistExpired ReasonCode = 32
	CodeKYCMissing       ReasonCode = 33
	CodeKYCExpired       ReasonCode = 34
	CodeSanctionsHit     ReasonCode = 35
	CodeAntisocialHit    ReasonCode = 36
	CodeAccountFrozen    ReasonCode = 37
	CodeScreeningMissing ReasonCode = 38

	// Investor category.
	CodeNotQII               ReasonCode = 40
	CodeNotSpecifiedInvestor ReasonCode = 41
	CodeCategoryExpired      ReasonCode = 42
	CodeCountryRestricted    ReasonCode = 43

	// Holdings.
	CodeMaxHoldersReached         ReasonCode = 50
	CodeAmountBelowMin            ReasonCode = 51
	CodeAmountAboveMax            ReasonCode = 52
	CodeInsufficientBalance       ReasonCode = 53
	CodePartialTransferNotAllowed ReasonCode = 54

	// Product (checked when an issuance is registered).
	CodeProductNotPermissible ReasonCode = 60
	CodeLeverageExceedsCap    ReasonCode = 61

	// Transfer controls.
	CodeTransferNotApproved ReasonCode = 70
)

// ReasonInfo documents one reason code.
type ReasonInfo struct {
	Code    ReasonCode
	Name    string
	Area    string
	OnChain bool // enforced by the SecurityToken contract with the same number
	Message string
}

var reasonTable = []ReasonInfo{
	{CodeOK, "OK", "", true, "transfer allowed"},
	{CodeIssuanceNotActive, "ISSUANCE_NOT_ACTIVE", "issuance", false, "the issuance is not offering or issued"},
	{CodeTokenPaused, "TOKEN_PAUSED", "issuance", true, "the token is paused"},
	{CodeLockupActive, "LOCKUP_ACTIVE", "issuance", true, "the lock-up period has not ended"},
	{CodeSupplyCapExceeded, "SUPPLY_CAP_EXCEEDED", "issuance", true, "the mint would take the supply above the issuance's cap"},
	{CodeOfferingClosed, "OFFERING_WINDOW_CLOSED", "issuance", false, "the issuance's offering window is not open"},
	{CodeSellerNotRegistered, "SELLER_NOT_REGISTERED", "seller", false, "the seller is not registered or has been revoked"},
	{CodeSellerSuspended, "SELLER_SUSPENDED", "seller", false, "the seller is suspended"},
	{CodeSellerNotAuthorisedForIssuance, "SELLER_NOT_AUTHORISED_FOR_ISSUANCE", "seller", false, "the investor's seller does not lead or handle this issuance"},
	{CodeSellerLicenseMismatch, "SELLER_LICENSE_MISMATCH", "seller", false, "the seller's licence does not cover this FIEA class"},
	{CodeWalletUnknown, "WALLET_UNKNOWN", "investor identity", false, "the wallet belongs to no registered investor"},
	{CodeNotWhitelisted, "NOT_WHITELISTED", "investor identity", true, "the investor is not approved for this issuance"},
	{CodeWhitelistExpired, "WHITELIST_EXPIRED", "investor identity", true, "the whitelist approval has expired"},
	{CodeKYCMissing, "KYC_MISSING", "investor identity", false, "the investor has no verified KYC"},
	{CodeKYCExpired, "KYC_EXPIRED", "investor identity", false, "the investor's KYC review is overdue"},
	{CodeSanctionsHit, "SANCTIONS_HIT", "investor identity", false, "the investor matched a sanctions list"},
	{CodeAntisocialHit, "ANTISOCIAL_HIT", "investor identity", false, "the investor matched the anti-social forces screening"},
	{CodeAccountFrozen, "ACCOUNT_FROZEN", "investor identity", true, "the account or wallet is frozen"},
	{CodeScreeningMissing, "SCREENING_MISSING", "investor identity", false, "sanctions or anti-social forces screening is missing"},
	{CodeNotQII, "NOT_QII", "investor category", false, "the offering is for qualified institutional investors only"},
	{CodeNotSpecifiedInvestor, "NOT_SPECIFIED_INVESTOR", "investor category", false, "the offering is for specified investors only"},
	{CodeCategoryExpired, "CATEGORY_EXPIRED", "investor category", false, "the investor's required category has expired"},
	{CodeCountryRestricted, "COUNTRY_RESTRICTED", "investor category", true, "the investor's residence country is not allowed"},
	{CodeMaxHoldersReached, "MAX_HOLDERS_REACHED", "holdings", true, "the issuance has reached its maximum number of holders"},
	{CodeAmountBelowMin, "AMOUNT_BELOW_MIN", "holdings", false, "the resulting holding is below the minimum"},
	{CodeAmountAboveMax, "AMOUNT_ABOVE_MAX", "holdings", false, "the resulting holding is above the maximum"},
	{CodeInsufficientBalance, "INSUFFICIENT_BALANCE", "holdings", true, "the sender's free balance is insufficient"},
	{CodePartialTransferNotAllowed, "PARTIAL_TRANSFER_NOT_ALLOWED", "holdings", false, "the sender would keep a remainder below the minimum holding"},
	{CodeProductNotPermissible, "PRODUCT_NOT_PERMISSIBLE", "product", false, "the product is not permissible in Japan"},
	{CodeLeverageExceedsCap, "LEVERAGE_EXCEEDS_CAP", "product", false, "the leverage offered to individuals exceeds the cap"},
	{CodeTransferNotApproved, "TRANSFER_NOT_APPROVED", "transfer", true, "the issuance requires an approved transfer application and this transfer has none"},
}

var reasonByCode = func() map[ReasonCode]ReasonInfo {
	m := make(map[ReasonCode]ReasonInfo, len(reasonTable))
	for _, r := range reasonTable {
		m[r.Code] = r
	}
	return m
}()

// Reasons returns every documented reason code in numeric order.
func Reasons() []ReasonInfo {
	out := append([]ReasonInfo(nil), reasonTable...)
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// Info returns the documentation of c; ok is false for an unknown code.
func (c ReasonCode) Info() (ReasonInfo, bool) {
	r, ok := reasonByCode[c]
	return r, ok
}

// String returns the code's stable name, e.g. "NOT_WHITELISTED".
func (c ReasonCode) String() string {
	if r, ok := reasonByCode[c]; ok {
		return r.Name
	}
	return "UNKNOWN"
}

// Reason is one failing rule in a decision.
type Reason struct {
	Code    ReasonCode
	Rule    string // machine name of the rule, e.g. "kyc.expiry"
	Message string // human explanation with the specifics
}

// Decision is the result of an eligibility evaluation: every failing rule, the
// first one being the primary reason.
type Decision struct {
	Allowed bool
	Reasons []Reason
}

// Primary returns the first failing reason's code, or CodeOK when allowed.
func (d Decision) Primary() ReasonCode {
	if len(d.Reasons) == 0 {
		return CodeOK
	}
	return d.Reasons[0].Code
}
