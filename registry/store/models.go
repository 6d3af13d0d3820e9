package store

import (
	"encoding/json"
	"math/big"
	"strings"
	"time"

	"github.com/stonode/stonode/registry"
)

// Row types mirror the tables one to one; conversion to the domain happens here
// and nowhere else.

type sellerRow struct {
	ID                int64 `gorm:"primaryKey"`
	LegalName         string
	CorporateNumber   string
	FSARegistration   string `gorm:"column:fsa_registration"`
	Licence           string
	Membership        string
	Status            string
	StatusEffectiveAt time.Time
	StatusReason      string
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func (sellerRow) TableName() string { return "sellers" }

func (r *sellerRow) domain() *registry.Seller {
	return &registry.Seller{
		ID: r.ID, LegalName: r.LegalName, CorporateNumber: r.CorporateNumber,
		FSARegistration: r.FSARegistration, Licence: registry.LicenceType(r.Licence),
		Membership: registry.Membership(r.Membership), Status: registry.SellerStatus(r.Status),
		StatusEffectiveAt: r.StatusEffectiveAt.UTC(), StatusReason: r.StatusReason,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

type issuanceRow struct {
	ID                int64 `gorm:"primaryKey"`
	LeadSellerID      int64
	IssuerName        string
	TokenName         string
	TokenSymbol       string
	Decimals          int
	LegalForm         string
	FIEAClass         string `gorm:"column:fiea_class"`
	OfferingType      string
	MaxHolders        int
	LockupEnd         *time.Time
	MinHolding        *string
	MaxHolding        *string
	AllowedCountries  string
	DeniedCountries   string
	ProductClass      string
	ProductWrapper    string
	ProductUnderlying string
	ProductLeverage   string
	SupplyCap         *string
	OfferingStart     *time.Time
	OfferingEnd       *time.Time
	TransferApproval  bool `gorm:"column:transfer_approval_required"`
	Status            string
	Paused            bool
	ChainID           int64
	TokenAddress      string
	RegistryAddress   string
	DeploymentBlock   uint64
	GenesisHash       string
	ChainHalt         string
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func (issuanceRow) TableName() string { return "issuances" }

func issuanceToRow(i *registry.Issuance) *issuanceRow {
	return &issuanceRow{
		ID: i.ID, LeadSellerID: i.LeadSellerID, IssuerName: i.IssuerName, TokenName: i.TokenName,
		TokenSymbol: i.TokenSymbol, Decimals: i.Decimals, LegalForm: string(i.LegalForm),
		FIEAClass: string(i.FIEAClass), OfferingType: string(i.OfferingType), MaxHolders: i.MaxHolders,
		LockupEnd: i.LockupEnd, MinHolding: amountText(i.MinHolding), MaxHolding: amountText(i.MaxHolding),
		AllowedCountries: strings.Join(i.AllowedCountries, ","), DeniedCountries: strings.Join(i.DeniedCountries, ","),
		ProductClass: string(i.Product.Class), ProductWrapper: string(i.Product.Wrapper),
		ProductUnderlying: string(i.Product.Underlying), ProductLeverage: i.Product.Leverage,
		SupplyCap: amountText(i.SupplyCap), OfferingStart: i.OfferingStart, OfferingEnd: i.OfferingEnd,
		TransferApproval: i.ApprovalRequired, Status: string(i.Status), Paused: i.Paused, ChainID: i.ChainID, TokenAddress: i.TokenAddress,
		RegistryAddress: i.RegistryAddress, DeploymentBlock: i.DeploymentBlock, GenesisHash: i.GenesisHash, ChainHalt: i.ChainHalt,
		CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt,
	}
}

func (r *issuanceRow) domain(handling []int64) *registry.Issuance {
	return &registry.Issuance{
		ID: r.ID, LeadSellerID: r.LeadSellerID, HandlingSellers: handling, IssuerName: r.IssuerName,
		TokenName: r.TokenName, TokenSymbol: r.TokenSymbol, Decimals: r.Decimals,
		LegalForm: registry.LegalForm(r.LegalForm), FIEAClass: registry.FIEAClass(r.FIEAClass),
		OfferingType: registry.OfferingType(r.OfferingType), MaxHolders: r.MaxHolders,
		LockupEnd: utcPtr(r.LockupEnd), MinHolding: amountValue(r.MinHolding), MaxHolding: amountValue(r.MaxHolding),
		AllowedCountries: splitList(r.AllowedCountries), DeniedCountries: splitList(r.DeniedCountries),
		Product: registry.Product{
			Class: registry.ProductClass(r.ProductClass), Wrapper: registry.Wrapper(r.ProductWrapper),
			Underlying: registry.Underlying(r.ProductUnderlying), Leverage: r.ProductLeverage,
		},
		SupplyCap: amountValue(r.SupplyCap), OfferingStart: utcPtr(r.OfferingStart), OfferingEnd: utcPtr(r.OfferingEnd),
		ApprovalRequired: r.TransferApproval, Status: registry.IssuanceStatus(r.Status), Paused: r.Paused, ChainID: r.ChainID,
		TokenAddress: r.TokenAddress, RegistryAddress: r.RegistryAddress, DeploymentBlock: r.DeploymentBlock,
		GenesisHash: r.GenesisHash, ChainHalt: r.ChainHalt, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

type issuanceSellerRow struct {
	IssuanceID int64 `gorm:"primaryKey"`
	SellerID   int64 `gorm:"primaryKey"`
}

func (issuanceSellerRow) TableName() string { return "issuance_sellers" }

type investorRow struct {
	ID                  int64 `gorm:"primaryKey"`
	SellerID            int64
	CustomerRef         string
	PersonType          string
	ResidenceCountry    string
	DateOfBirth         *time.Time
	KYCStatus           string     `gorm:"column:kyc_status"`
	KYCMethod           string     `gorm:"column:kyc_method"`
	KYCVerifiedAt       *time.Time `gorm:"column:kyc_verified_at"`
	KYCReviewDue        *time.Time `gorm:"column:kyc_review_due"`
	Sanctions           string
	SanctionsCheckedAt  *time.Time
	Antisocial          string
	AntisocialCheckedAt *time.Time
	Frozen              bool
	FrozenReason        string
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

func (investorRow) TableName() string { return "investors" }

func investorToRow(inv *registry.Investor) *investorRow {
	return &investorRow{
		ID: inv.ID, SellerID: inv.SellerID, CustomerRef: inv.CustomerRef, PersonType: string(inv.PersonType),
		ResidenceCountry: inv.ResidenceCountry, DateOfBirth: inv.DateOfBirth, KYCStatus: string(inv.KYCStatus),
		KYCMethod: inv.KYCMethod, KYCVerifiedAt: inv.KYCVerifiedAt, KYCReviewDue: inv.KYCReviewDue,
		Sanctions: string(inv.Sanctions), SanctionsCheckedAt: inv.SanctionsCheckedAt,
		Antisocial: string(inv.Antisocial), AntisocialCheckedAt: inv.AntisocialCheckedAt,
		Frozen: inv.Frozen, FrozenReason: inv.FrozenReason, CreatedAt: inv.CreatedAt, UpdatedAt: inv.UpdatedAt,
	}
}

func (r *investorRow) domain(cats []categoryRow, wallets []walletRow) *registry.Investor {
	inv := &registry.Investor{
		ID: r.ID, SellerID: r.SellerID, CustomerRef: r.CustomerRef, PersonType: registry.PersonType(r.PersonType),
		ResidenceCountry: r.ResidenceCountry, DateOfBirth: utcPtr(r.DateOfBirth),
		KYCStatus: registry.KYCStatus(r.KYCStatus), KYCMethod: r.KYCMethod,
		KYCVerifiedAt: utcPtr(r.KYCVerifiedAt), KYCReviewDue: utcPtr(r.KYCReviewDue),
		Sanctions: registry.ScreeningResult(r.Sanctions), SanctionsCheckedAt: utcPtr(r.SanctionsCheckedAt),
		Antisocial: registry.ScreeningResult(r.Antisocial), AntisocialCheckedAt: utcPtr(r.AntisocialCheckedAt),
		Frozen: r.Frozen, FrozenReason: r.FrozenReason, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		Categories: []registry.CategoryGrant{}, Wallets: []registry.Wallet{},
	}
	for _, c := range cats {
		inv.Categories = append(inv.Categories, c.domain())
	}
	for _, w := range wallets {
		inv.Wallets = append(inv.Wallets, *w.domain())
	}
	return inv
}

type categoryRow struct {
	InvestorID int64  `gorm:"primaryKey"`
	Category   string `gorm:"primaryKey"`
	ValidFrom  time.Time
	ValidTo    time.Time
}

func (categoryRow) TableName() string { return "investor_categories" }

func (c categoryRow) domain() registry.CategoryGrant {
	return registry.CategoryGrant{Category: registry.Category(c.Category), ValidFrom: c.ValidFrom.UTC(), ValidTo: c.ValidTo.UTC()}
}

type walletRow struct {
	Address    string `gorm:"primaryKey"`
	InvestorID int64
	Label      string
	Frozen     bool
	CreatedAt  time.Time
}

func (walletRow) TableName() string { return "wallets" }

func (w *walletRow) domain() *registry.Wallet {
	return &registry.Wallet{Address: w.Address, InvestorID: w.InvestorID, Label: w.Label, Frozen: w.Frozen, CreatedAt: w.CreatedAt.UTC()}
}

type whitelistRow struct {
	IssuanceID int64 `gorm:"primaryKey"`
	InvestorID int64 `gorm:"primaryKey"`
	Status     string
	ValidUntil *time.Time
	ApprovedBy string
	ApprovedAt time.Time
	RevokedBy  string
	RevokedAt  *time.Time
	SyncState  string
	SyncTxHash string
	SyncBlock  *int64
	UpdatedAt  time.Time
}

func (whitelistRow) TableName() string { return "whitelist_entries" }

func (r *whitelistRow) domain() *registry.WhitelistEntry {
	return &registry.WhitelistEntry{
		IssuanceID: r.IssuanceID, InvestorID: r.InvestorID, Status: registry.WhitelistStatus(r.Status),
		ValidUntil: utcPtr(r.ValidUntil), ApprovedBy: r.ApprovedBy, ApprovedAt: r.ApprovedAt.UTC(),
		RevokedBy: r.RevokedBy, RevokedAt: utcPtr(r.RevokedAt), SyncState: registry.SyncState(r.SyncState),
		SyncTxHash: r.SyncTxHash, SyncBlock: r.SyncBlock, UpdatedAt: r.UpdatedAt.UTC(),
	}
}

type apiKeyRow struct {
	ID        string `gorm:"primaryKey"`
	Hash      string
	Role      string
	SellerID  *int64
	Name      string
	CreatedAt time.Time
	RevokedAt *time.Time
}

func (apiKeyRow) TableName() string { return "api_keys" }

func (r *apiKeyRow) domain() *registry.APIKey {
	return &registry.APIKey{ID: r.ID, Role: registry.Role(r.Role), SellerID: r.SellerID, Name: r.Name, CreatedAt: r.CreatedAt.UTC(), RevokedAt: utcPtr(r.RevokedAt)}
}

type auditRow struct {
	ID        int64 `gorm:"primaryKey"`
	At        time.Time
	Actor     string
	ActorRole string
	SellerID  *int64
	Action    string
	Entity    string
	EntityID  string
	Detail    string
}

func (auditRow) TableName() string { return "audit_log" }

func (r *auditRow) domain() *registry.AuditRecord {
	return &registry.AuditRecord{ID: r.ID, At: r.At.UTC(), Actor: r.Actor, ActorRole: registry.Role(r.ActorRole), SellerID: r.SellerID, Action: r.Action, Entity: r.Entity, EntityID: r.EntityID, Detail: r.Detail}
}

func amountText(v *big.Int) *string {
	if v == nil {
		return nil
	}
	s := v.String()
	return &s
}

func amountValue(s *string) *big.Int {
	if s == nil {
		return nil
	}
	// PostgreSQL may render NUMERIC(78,0) with no fraction; tolerate a ".0" anyway.
	text, _, _ := strings.Cut(*s, ".")
	v, ok := new(big.Int).SetString(text, 10)
	if !ok {
		return nil
	}
	return v
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

type operationRow struct {
	ID          int64 `gorm:"primaryKey"`
	IssuanceID  int64
	SellerID    int64
	Kind        string
	Status      string
	Error       string
	Result      string
	Request     string
	CreatedBy   string
	Owner       string
	HeartbeatAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (operationRow) TableName() string { return "operations" }

func (r *operationRow) domain() *registry.Operation {
	op := &registry.Operation{ID: r.ID, IssuanceID: r.IssuanceID, SellerID: r.SellerID, Kind: registry.OperationKind(r.Kind),
		Status: registry.OperationStatus(r.Status), Error: r.Error, Result: map[string]string{}, CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	_ = json.Unmarshal([]byte(r.Result), &op.Result)
	op.Request = map[string]string{}
	_ = json.Unmarshal([]byte(r.Request), &op.Request)
	return op
}
