package registry

import (
	"context"
	"math/big"
	"time"
)

// Page selects a slice of a list by keyset: items with an id after After, at most
// Limit of them.
type Page struct {
	After int64
	Limit int
}

// MaxPageLimit bounds a list response.
const MaxPageLimit = 500

// DefaultPageLimit is used when a client asks for no limit.
const DefaultPageLimit = 50

// Normalize clamps the limit into [1, MaxPageLimit].
func (p Page) Normalize() Page {
	if p.Limit <= 0 {
		p.Limit = DefaultPageLimit
	}
	if p.Limit > MaxPageLimit {
		p.Limit = MaxPageLimit
	}
	return p
}

// SellerFilter narrows a seller list.
type SellerFilter struct {
	Status SellerStatus
	Page   Page
}

// IssuanceFilter narrows an issuance list.
type IssuanceFilter struct {
	Status   IssuanceStatus
	SellerID int64 // leads or handles
	Page     Page
}

// InvestorFilter narrows an investor list.
type InvestorFilter struct {
	SellerID    int64
	CustomerRef string
	KYCStatus   KYCStatus
	Page        Page
}

// WhitelistFilter narrows a whitelist listing.
type WhitelistFilter struct {
	Status WhitelistStatus
	Page   Page
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Entity   string
	EntityID string
	Action   string
	SellerID int64
	Since    *time.Time
	Page     Page
}

// KeyFilter selects API keys: a seller's when SellerID is set, otherwise the
// operator and reader keys; in creation order, at most Limit of them after the
// key whose id is After. Key ids are random, so the cursor is a key id and not
// a number like the other lists'.
type KeyFilter struct {
	SellerID *int64
	After    string
	Limit    int
}

// Refusal is a request a rule refused (the product policy at issuance
// registration, the eligibility engine on a token operation, ...). Nothing
// changed, yet it is kept in the audit log: who asked what and why it was no.
type Refusal struct {
	Request    string // method and route template, e.g. "POST /v1/issuances/:id/mint"
	IssuanceID int64  // the issuance it concerned; 0 when none (yet)
	Message    string
	Reasons    []Reason
	Body       []byte // the request body as sent, JSON; nil when none
}

// SellerStatusChange suspends, reinstates or revokes a seller.
type SellerStatusChange struct {
	Status      SellerStatus `json:"status"`
	Reason      string       `json:"reason"`
	EffectiveAt time.Time    `json:"effectiveAt"`
}

// KYCUpdate records a KYC result.
type KYCUpdate struct {
	Status     KYCStatus  `json:"status"`
	Method     string     `json:"method,omitempty"`
	VerifiedAt *time.Time `json:"verifiedAt,omitempty"`
	ReviewDue  *time.Time `json:"reviewDue,omitempty"`
}

// ScreeningUpdate records sanctions and anti-social forces screening.
type ScreeningUpdate struct {
	Sanctions  ScreeningResult `json:"sanctions"`
	Antisocial ScreeningResult `json:"antisocial"`
	CheckedAt  time.Time       `json:"checkedAt"`
}

// Approval puts an investor on an issuance's whitelist.
type Approval struct {
	ValidUntil *time.Time `json:"validUntil,omitempty"`
}

// NewKey is a freshly created API key; Secret is the only copy of the key.
type NewKey struct {
	APIKey
	Secret string
}

// TransferCheck asks whether From may send Amount to To; an empty From asks
// whether Amount may be minted to To.
type TransferCheck struct {
	From   string
	To     string
	Amount *big.Int
}

// EligibilityResult is a decision with the facts it was made on.
type EligibilityResult struct {
	Address  string
	Decision Decision
	At       time.Time
}

// SellerService manages securities firms. Operators only, except reads of one's own seller.
type SellerService interface {
	CreateSeller(ctx context.Context, s *Seller) error
	Seller(ctx context.Context, id int64) (*Seller, error)
	Sellers(ctx context.Context, f SellerFilter) ([]*Seller, error)
	ChangeSellerStatus(ctx context.Context, id int64, c SellerStatusChange) (*Seller, error)
}

// IssuanceService manages offerings.
type IssuanceService interface {
	CreateIssuance(ctx context.Context, i *Issuance) error
	Issuance(ctx context.Context, id int64) (*Issuance, error)
	Issuances(ctx context.Context, f IssuanceFilter) ([]*Issuance, error)
	TransitionIssuance(ctx context.Context, id int64, to IssuanceStatus, reason string) (*Issuance, error)
}

// InvestorService manages a seller's customers.
type InvestorService interface {
	CreateInvestor(ctx context.Context, inv *Investor) error
	Investor(ctx context.Context, id int64) (*Investor, error)
	Investors(ctx context.Context, f InvestorFilter) ([]*Investor, error)
	AddWallet(ctx context.Context, investorID int64, w Wallet) (*Wallet, error)
	RemoveWallet(ctx context.Context, investorID int64, address string) error
	UpdateKYC(ctx context.Context, investorID int64, u KYCUpdate) (*Investor, error)
	UpdateScreening(ctx context.Context, investorID int64, u ScreeningUpdate) (*Investor, error)
	SetCategories(ctx context.Context, investorID int64, grants []CategoryGrant) (*Investor, error)
	SetFrozen(ctx context.Context, investorID int64, frozen bool, reason string) (*Investor, error)
}

// WhitelistService approves investors onto issuances.
type WhitelistService interface {
	Approve(ctx context.Context, issuanceID, investorID int64, a Approval) (*WhitelistEntry, error)
	Revoke(ctx context.Context, issuanceID, investorID int64) (*WhitelistEntry, error)
	Whitelist(ctx context.Context, issuanceID int64, f WhitelistFilter) ([]*WhitelistEntry, error)
}

// EligibilityService answers "may this wallet receive this token?".
type EligibilityService interface {
	Eligibility(ctx context.Context, issuanceID int64, addresses []string, at time.Time) ([]EligibilityResult, error)
	CheckTransfer(ctx context.Context, issuanceID int64, c TransferCheck, at time.Time) (*EligibilityResult, error)
}

// KeyService issues and checks API keys.
type KeyService interface {
	CreateKey(ctx context.Context, role Role, sellerID *int64, name string) (*NewKey, error)
	Keys(ctx context.Context, f KeyFilter) ([]*APIKey, error)
	RevokeKey(ctx context.Context, sellerID *int64, keyID string) error
	Authenticate(ctx context.Context, secret string) (*Principal, error)
}

// AuditService reads the audit log.
type AuditService interface {
	Audit(ctx context.Context, f AuditFilter) ([]*AuditRecord, error)
	// RecordRefusal appends a refusal of the caller's request to the audit log.
	RecordRefusal(ctx context.Context, r Refusal) error
}

// Service is everything the REST API needs.
type Service interface {
	SellerService
	IssuanceService
	InvestorService
	WhitelistService
	EligibilityService
	KeyService
	AuditService
	AlertService
	Ping(ctx context.Context) error
}

type principalKey struct{}

// WithPrincipal returns a context carrying the authenticated caller.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the caller carried by ctx, or nil.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}
