package registry

import (
	"math/big"
	"time"
)

// Role of an API key.
type Role string

const (
	RoleOperator Role = "operator" // the association: manages sellers, sees everything
	RoleSeller   Role = "seller"   // one securities firm: its issuances and investors only
	RoleReader   Role = "reader"   // venues, wallets, back offices: eligibility look-ups only
)

// LicenceType of a securities firm under the FIEA.
type LicenceType string

const (
	LicenceType1        LicenceType = "TYPE1"         // Type I Financial Instruments Business
	LicenceType2        LicenceType = "TYPE2"         // Type II Financial Instruments Business
	LicenceRegisteredFI LicenceType = "REGISTERED_FI" // registered financial institution (bank etc.)
)

// Membership of the self-regulatory association.
type Membership string

const (
	MembershipFull       Membership = "FULL"
	MembershipSupporting Membership = "SUPPORTING"
	MembershipNone       Membership = "NONE"
)

// SellerStatus is a seller's registration status with the association.
type SellerStatus string

const (
	SellerActive    SellerStatus = "ACTIVE"
	SellerSuspended SellerStatus = "SUSPENDED"
	SellerRevoked   SellerStatus = "REVOKED"
)

// Seller is a securities firm registered to handle security token offerings.
type Seller struct {
	ID                int64
	LegalName         string
	CorporateNumber   string // 13 digits with check digit
	FSARegistration   string // e.g. 関東財務局長(金商)第44号
	Licence           LicenceType
	Membership        Membership
	Status            SellerStatus
	StatusEffectiveAt time.Time
	StatusReason      string
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// LegalForm of the right a token represents.
type LegalForm string

const (
	FormShare            LegalForm = "SHARE"
	FormBond             LegalForm = "BOND"
	FormTrustBeneficiary LegalForm = "TRUST_BENEFICIARY"
	FormInvestmentUnit   LegalForm = "INVESTMENT_UNIT"
	FormFundInterest     LegalForm = "FUND_INTEREST"
)

// FIEAClass is how the FIEA classifies the token.
type FIEAClass string

const (
	ClassPara1Token   FIEAClass = "PARA1_TOKEN"   // tokenised Paragraph 1 securities
	ClassERTR         FIEAClass = "ERTR"          // electronically recorded transferable rights
	ClassExcludedERTR FIEAClass = "EXCLUDED_ERTR" // ERTR excluded from Para 1 treatment
)

// OfferingType decides who may acquire the token.
type OfferingType string

const (
	OfferingPublic                   OfferingType = "PUBLIC"
	OfferingSmallNumberPrivate       OfferingType = "SMALL_NUMBER_PRIVATE"
	OfferingQIIPrivate               OfferingType = "QII_PRIVATE"
	OfferingSpecifiedInvestorPrivate OfferingType = "SPECIFIED_INVESTOR_PRIVATE"
)

// DefaultSmallNumberMaxHolders is the holder cap of a small-number private
// placement: fewer than 50 acquirers.
const DefaultSmallNumberMaxHolders = 49

// IssuanceStatus is the lifecycle of an offering.
type IssuanceStatus string

const (
	IssuanceDraft      IssuanceStatus = "DRAFT"
	IssuanceRegistered IssuanceStatus = "REGISTERED"
	IssuanceOffering   IssuanceStatus = "OFFERING"
	IssuanceIssued     IssuanceStatus = "ISSUED"
	IssuanceSuspended  IssuanceStatus = "SUSPENDED"
	IssuanceRedeemed   IssuanceStatus = "REDEEMED"
)

// issuanceTransitions lists the allowed lifecycle moves.
var issuanceTransitions = map[IssuanceStatus][]IssuanceStatus{
	IssuanceDraft:      {IssuanceRegistered},
	IssuanceRegistered: {IssuanceOffering, IssuanceSuspended},
	IssuanceOffering:   {IssuanceIssued, IssuanceSuspended},
	IssuanceIssued:     {IssuanceSuspended, IssuanceRedeemed},
	IssuanceSuspended:  {IssuanceRegistered, IssuanceOffering, IssuanceIssued, IssuanceRedeemed},
}

// CanTransition reports whether an issuance may move from one status to another.
func CanTransition(from, to IssuanceStatus) bool {
	for _, s := range issuanceTransitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Valid reports whether s is a known lifecycle status.
func (s IssuanceStatus) Valid() bool {
	_, known := issuanceTransitions[s]
	return known || s == IssuanceRedeemed
}

// Active reports whether tokens of an issuance in this status may move.
func (s IssuanceStatus) Active() bool { return s == IssuanceOffering || s == IssuanceIssued }

// Product describes what a derivative-type token gives exposure to. Empty for
// plain securities.
type Product struct {
	Class      ProductClass // DERIVATIVE, CFD, or NONE
	Wrapper    Wrapper      // what the contract references directly, e.g. OVERSEAS_ETF
	Underlying Underlying   // look-through underlying, e.g. CRYPTO_ASSET
	// Leverage offered to individual customers, as a decimal string (e.g. "25").
	// Empty means no leverage (1x).
	Leverage string
}

// ProductClass is the product's kind for the product policy.
type ProductClass string

const (
	ProductNone       ProductClass = "NONE"
	ProductDerivative ProductClass = "DERIVATIVE"
	ProductCFD        ProductClass = "CFD"
)

// Wrapper is the instrument a derivative references directly.
type Wrapper string

const (
	WrapperNone        Wrapper = "NONE"
	WrapperDirect      Wrapper = "DIRECT"
	WrapperDomesticETF Wrapper = "DOMESTIC_ETF"
	WrapperOverseasETF Wrapper = "OVERSEAS_ETF"
)

// Underlying is the look-through exposure of a product.
type Underlying string

const (
	UnderlyingNone        Underlying = "NONE"
	UnderlyingFX          Underlying = "FX"
	UnderlyingCryptoAsset Underlying = "CRYPTO_ASSET"
	UnderlyingStockIndex  Underlying = "STOCK_INDEX"
	UnderlyingSingleStock Underlying = "SINGLE_STOCK"
	UnderlyingBond        Underlying = "BOND"
	UnderlyingRealEstate  Underlying = "REAL_ESTATE"
	UnderlyingOther       Underlying = "OTHER"
)

// Issuance is one security token offering.
type Issuance struct {
	ID               int64
	LeadSellerID     int64
	HandlingSellers  []int64 // sellers other than the lead allowed to distribute it
	IssuerName       string
	TokenName        string
	TokenSymbol      string
	Decimals         int
	LegalForm        LegalForm
	FIEAClass        FIEAClass
	OfferingType     OfferingType
	MaxHolders       int // 0 = unlimited
	LockupEnd        *time.Time
	MinHolding       *big.Int // nil = no minimum
	MaxHolding       *big.Int // nil = no maximum
	AllowedCountries []string // empty = any not denied
	DeniedCountries  []string
	Product          Product
	SupplyCap        *big.Int // nil = uncapped
	OfferingStart    *time.Time
	OfferingEnd      *time.Time
	Status           IssuanceStatus
	Paused           bool // token transfers paused (mirrors the chain once deployed)
	ChainID          int64
	TokenAddress     string
	RegistryAddress  string
	DeploymentBlock  uint64
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// HandledBy reports whether the seller leads or handles the issuance.
func (i *Issuance) HandledBy(sellerID int64) bool {
	if i.LeadSellerID == sellerID {
		return true
	}
	for _, id := range i.HandlingSellers {
		if id == sellerID {
			return true
		}
	}
	return false
}

// PersonType of an investor.
type PersonType string

const (
	PersonIndividual  PersonType = "INDIVIDUAL"
	PersonCorporation PersonType = "CORPORATION"
)

// KYCStatus of an investor.
type KYCStatus string

const (
	KYCNone     KYCStatus = "NONE"
	KYCPending  KYCStatus = "PENDING"
	KYCVerified KYCStatus = "VERIFIED"
	KYCRejected KYCStatus = "REJECTED"
)

// ScreeningResult of a sanctions or anti-social forces check.
type ScreeningResult string

const (
	ScreeningNone  ScreeningResult = "NONE" // not screened yet
	ScreeningClear ScreeningResult = "CLEAR"
	ScreeningHit   ScreeningResult = "HIT"
)

// Category of an investor under the FIEA.
type Category string

const (
	CategoryQII               Category = "QII"                // qualified institutional investor
	CategorySpecifiedInvestor Category = "SPECIFIED_INVESTOR" // opt-in lasts one year
	CategoryGeneral           Category = "GENERAL"
)

// CategoryGrant is a category with its validity window.
type CategoryGrant struct {
	Category  Category
	ValidFrom time.Time
	ValidTo   time.Time // inclusive, to the second
}

// Investor is a seller's customer.
type Investor struct {
	ID                  int64
	SellerID            int64 // onboarding seller
	CustomerRef         string
	PersonType          PersonType
	ResidenceCountry    string // ISO 3166-1 alpha-2
	DateOfBirth         *time.Time
	KYCStatus           KYCStatus
	KYCMethod           string
	KYCVerifiedAt       *time.Time
	KYCReviewDue        *time.Time // KYC is expired after this instant
	Sanctions           ScreeningResult
	SanctionsCheckedAt  *time.Time
	Antisocial          ScreeningResult
	AntisocialCheckedAt *time.Time
	Categories          []CategoryGrant
	Frozen              bool
	FrozenReason        string
	Wallets             []Wallet
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// Wallet is an EVM address belonging to exactly one investor.
type Wallet struct {
	Address    string // lower-case 0x-prefixed hex
	InvestorID int64
	Label      string
	Frozen     bool
	CreatedAt  time.Time
}

// WhitelistStatus of an investor on one issuance.
type WhitelistStatus string

const (
	WhitelistApproved WhitelistStatus = "APPROVED"
	WhitelistRevoked  WhitelistStatus = "REVOKED"
)

// SyncState of a whitelist entry's on-chain counterpart.
type SyncState string

const (
	SyncPending   SyncState = "PENDING"
	SyncSent      SyncState = "SENT"
	SyncConfirmed SyncState = "CONFIRMED"
)

// WhitelistEntry approves one investor for one issuance.
type WhitelistEntry struct {
	IssuanceID int64
	InvestorID int64
	Status     WhitelistStatus
	ValidUntil *time.Time // inclusive; nil = no expiry
	ApprovedBy string     // API key id or name that approved it
	ApprovedAt time.Time
	RevokedBy  string
	RevokedAt  *time.Time
	SyncState  SyncState
	SyncTxHash string
	SyncBlock  *int64
	UpdatedAt  time.Time
}

// APIKey is a credential; the secret itself is never stored.
type APIKey struct {
	ID        string // public prefix, shown in audit records
	Role      Role
	SellerID  *int64 // set for RoleSeller
	Name      string
	CreatedAt time.Time
	RevokedAt *time.Time
}

// Principal is the authenticated caller of a request.
type Principal struct {
	KeyID    string
	Role     Role
	SellerID int64 // for RoleSeller
	// Generation is the registry generation the key was checked at (0 if
	// unknown). Reads later in the same request may serve facts of that
	// generation: the request then sees the registry as of its start.
	Generation int64
}

// AuditRecord is one append-only entry of the audit log.
type AuditRecord struct {
	ID        int64
	At        time.Time
	Actor     string // API key id, or "system"/"cli"
	ActorRole Role
	SellerID  *int64 // tenant the change belongs to, if any
	Action    string // e.g. "seller.create", "whitelist.approve"
	Entity    string // e.g. "issuance"
	EntityID  string
	Detail    string // JSON of the change
}
