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
	ID                int64        `json:"id"`
	LegalName         string       `json:"legalName"`
	CorporateNumber   string       `json:"corporateNumber"` // 13 digits with check digit
	FSARegistration   string       `json:"fsaRegistration"` // e.g. 関東財務局長(金商)第44号
	Licence           LicenceType  `json:"licence"`
	Membership        Membership   `json:"membership"`
	Status            SellerStatus `json:"status"`
	StatusEffectiveAt time.Time    `json:"statusEffectiveAt"`
	StatusReason      string       `json:"statusReason"`
	CreatedAt         time.Time    `json:"createdAt"`
	UpdatedAt         time.Time    `json:"updatedAt"`
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
	Class      ProductClass `json:"class"`      // DERIVATIVE, CFD, or NONE
	Wrapper    Wrapper      `json:"wrapper"`    // what the contract references directly, e.g. OVERSEAS_ETF
	Underlying Underlying   `json:"underlying"` // look-through underlying, e.g. CRYPTO_ASSET
	// Leverage offered to individual customers, as a decimal string (e.g. "25").
	// Empty means no leverage (1x).
	Leverage string `json:"leverage,omitempty"`
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
	ID               int64          `json:"id"`
	LeadSellerID     int64          `json:"leadSellerId"`
	HandlingSellers  []int64        `json:"handlingSellerIds"` // sellers other than the lead allowed to distribute it
	IssuerName       string         `json:"issuerName"`
	TokenName        string         `json:"tokenName"`
	TokenSymbol      string         `json:"tokenSymbol"`
	Decimals         int            `json:"decimals"`
	LegalForm        LegalForm      `json:"legalForm"`
	FIEAClass        FIEAClass      `json:"fieaClass"`
	OfferingType     OfferingType   `json:"offeringType"`
	MaxHolders       int            `json:"maxHolders"` // 0 = unlimited
	LockupEnd        *time.Time     `json:"lockupEnd,omitempty"`
	MinHolding       *big.Int       `json:"minHolding,omitempty"` // nil = no minimum
	MaxHolding       *big.Int       `json:"maxHolding,omitempty"` // nil = no maximum
	AllowedCountries []string       `json:"allowedCountries"`     // empty = any not denied
	DeniedCountries  []string       `json:"deniedCountries"`
	Product          Product        `json:"product"`
	SupplyCap        *big.Int       `json:"supplyCap,omitempty"` // nil = uncapped
	OfferingStart    *time.Time     `json:"offeringStart,omitempty"`
	OfferingEnd      *time.Time     `json:"offeringEnd,omitempty"`
	ApprovalRequired bool           `json:"transferApprovalRequired"` // every transfer between holders needs the lead seller's approval (譲渡承認)
	Status           IssuanceStatus `json:"status"`
	Paused           bool           `json:"paused"` // token transfers paused (mirrors the chain once deployed)
	ChainID          int64          `json:"chainId,omitempty"`
	TokenAddress     string         `json:"tokenAddress,omitempty"`
	RegistryAddress  string         `json:"registryAddress,omitempty"`
	DeploymentBlock  uint64         `json:"deploymentBlock,omitempty"`
	GenesisHash      string         `json:"genesisHash,omitempty"` // genesis of the chain the contracts live on
	ChainHalt        string         `json:"chainHalt,omitempty"`   // why its chain work is halted; "" while it runs
	CreatedAt        time.Time      `json:"createdAt"`
	UpdatedAt        time.Time      `json:"updatedAt"`
}

// HolderCap is the issuance's effective cap on holders, 0 for none: its
// MaxHolders, or DefaultSmallNumberMaxHolders for a small-number private
// placement that names none. Every default of the cap comes from here.
func (i *Issuance) HolderCap() int {
	if i.MaxHolders == 0 && i.OfferingType == OfferingSmallNumberPrivate {
		return DefaultSmallNumberMaxHolders
	}
	return i.MaxHolders
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
	Category  Category  `json:"category"`
	ValidFrom time.Time `json:"validFrom"`
	ValidTo   time.Time `json:"validTo"` // inclusive, to the second
}

// Investor is a seller's customer.
type Investor struct {
	ID                  int64           `json:"id"`
	SellerID            int64           `json:"sellerId"` // onboarding seller
	CustomerRef         string          `json:"customerRef"`
	PersonType          PersonType      `json:"personType"`
	ResidenceCountry    string          `json:"residenceCountry"` // ISO 3166-1 alpha-2
	DateOfBirth         *time.Time      `json:"dateOfBirth,omitempty"`
	KYCStatus           KYCStatus       `json:"kycStatus"`
	KYCMethod           string          `json:"kycMethod,omitempty"`
	KYCVerifiedAt       *time.Time      `json:"kycVerifiedAt,omitempty"`
	KYCReviewDue        *time.Time      `json:"kycReviewDue,omitempty"` // KYC is expired after this instant
	Sanctions           ScreeningResult `json:"sanctions"`
	SanctionsCheckedAt  *time.Time      `json:"sanctionsCheckedAt,omitempty"`
	Antisocial          ScreeningResult `json:"antisocial"`
	AntisocialCheckedAt *time.Time      `json:"antisocialCheckedAt,omitempty"`
	Categories          []CategoryGrant `json:"categories"`
	Frozen              bool            `json:"frozen"`
	FrozenReason        string          `json:"frozenReason,omitempty"`
	Wallets             []Wallet        `json:"wallets"`
	CreatedAt           time.Time       `json:"createdAt"`
	UpdatedAt           time.Time       `json:"updatedAt"`
}

// Wallet is an EVM address belonging to exactly one investor.
type Wallet struct {
	Address    string    `json:"address"` // lower-case 0x-prefixed hex
	InvestorID int64     `json:"investorId"`
	Label      string    `json:"label"`
	Frozen     bool      `json:"frozen"`
	CreatedAt  time.Time `json:"createdAt"`
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
	IssuanceID int64           `json:"issuanceId"`
	InvestorID int64           `json:"investorId"`
	Status     WhitelistStatus `json:"status"`
	ValidUntil *time.Time      `json:"validUntil,omitempty"` // inclusive; nil = no expiry
	ApprovedBy string          `json:"approvedBy"`           // API key id or name that approved it
	ApprovedAt time.Time       `json:"approvedAt"`
	RevokedBy  string          `json:"revokedBy,omitempty"`
	RevokedAt  *time.Time      `json:"revokedAt,omitempty"`
	SyncState  SyncState       `json:"syncState"`
	SyncTxHash string          `json:"syncTxHash,omitempty"`
	SyncBlock  *int64          `json:"syncBlock,omitempty"`
	SyncError  string          `json:"syncError,omitempty"` // the chain refused a wallet of the entry: which, and why
	UpdatedAt  time.Time       `json:"updatedAt"`
}

// APIKey is a credential; the secret itself is never stored.
type APIKey struct {
	ID        string     `json:"id"` // public prefix, shown in audit records
	Role      Role       `json:"role"`
	SellerID  *int64     `json:"sellerId,omitempty"` // set for RoleSeller
	Name      string     `json:"name"`
	CreatedAt time.Time  `json:"createdAt"`
	RevokedAt *time.Time `json:"revokedAt,omitempty"`
}

// Principal is the authenticated caller of a request.
type Principal struct {
	KeyID    string `json:"keyId"`
	Role     Role   `json:"role"`
	SellerID int64  `json:"sellerId,omitempty"` // for RoleSeller
	// Generation identifies the read of the registry generations the key was
	// checked at (0 if unknown); only the store that set it interprets it.
	// Reads later in the same request may serve facts at least that new: the
	// request then sees the registry as of its start or later.
	Generation int64 `json:"generation,omitempty"`
}

// AuditRecord is one append-only entry of the audit log.
type AuditRecord struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"` // API key id, or "system"/"cli"
	ActorRole Role      `json:"actorRole"`
	SellerID  *int64    `json:"sellerId,omitempty"` // tenant the change belongs to, if any
	Action    string    `json:"action"`             // e.g. "seller.create", "whitelist.approve"
	Entity    string    `json:"entity"`             // e.g. "issuance"
	EntityID  string    `json:"entityId"`
	Detail    string    `json:"detail"` // JSON of the change
}
