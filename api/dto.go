package api

import (
	"math/big"
	"time"

	"github.com/stonode/stonode/registry"
)

// JSON shapes of the public API. Field names are part of the contract.

type sellerJSON struct {
	ID                int64     `json:"id"`
	LegalName         string    `json:"legalName"`
	CorporateNumber   string    `json:"corporateNumber"`
	FSARegistration   string    `json:"fsaRegistration"`
	Licence           string    `json:"licence"`
	Membership        string    `json:"membership"`
	Status            string    `json:"status"`
	StatusEffectiveAt time.Time `json:"statusEffectiveAt"`
	StatusReason      string    `json:"statusReason"`
	CreatedAt         time.Time `json:"createdAt"`
	UpdatedAt         time.Time `json:"updatedAt"`
}

func toSellerJSON(s *registry.Seller) sellerJSON {
	return sellerJSON{s.ID, s.LegalName, s.CorporateNumber, s.FSARegistration, string(s.Licence), string(s.Membership),
		string(s.Status), s.StatusEffectiveAt, s.StatusReason, s.CreatedAt, s.UpdatedAt}
}

type createSellerRequest struct {
	LegalName       string `json:"legalName"`
	CorporateNumber string `json:"corporateNumber"`
	FSARegistration string `json:"fsaRegistration"`
	Licence         string `json:"licence"`
	Membership      string `json:"membership"`
}

type statusChangeRequest struct {
	Reason      string     `json:"reason"`
	EffectiveAt *time.Time `json:"effectiveAt"`
}

type keyJSON struct {
	ID        string     `json:"id"`
	Role      string     `json:"role"`
	SellerID  *int64     `json:"sellerId,omitempty"`
	Name      string     `json:"name"`
	CreatedAt time.Time  `json:"createdAt"`
	RevokedAt *time.Time `json:"revokedAt,omitempty"`
	Key       string     `json:"key,omitempty"` // only in the creation response
}

func toKeyJSON(k *registry.APIKey) keyJSON {
	return keyJSON{ID: k.ID, Role: string(k.Role), SellerID: k.SellerID, Name: k.Name, CreatedAt: k.CreatedAt, RevokedAt: k.RevokedAt}
}

// keyListJSON is a page of keys; the cursor is a key id, as key ids are not numbers.
type keyListJSON struct {
	Items []keyJSON `json:"items"`
	Next  *string   `json:"next,omitempty"`
}

type createKeyRequest struct {
	Role string `json:"role"`
	Name string `json:"name"`
}

type productJSON struct {
	Class      string `json:"class"`
	Wrapper    string `json:"wrapper"`
	Underlying string `json:"underlying"`
	Leverage   string `json:"leverage,omitempty"`
}

type issuanceJSON struct {
	ID               int64       `json:"id"`
	LeadSellerID     int64       `json:"leadSellerId"`
	HandlingSellers  []int64     `json:"handlingSellerIds"`
	IssuerName       string      `json:"issuerName"`
	TokenName        string      `json:"tokenName"`
	TokenSymbol      string      `json:"tokenSymbol"`
	Decimals         int         `json:"decimals"`
	LegalForm        string      `json:"legalForm"`
	FIEAClass        string      `json:"fieaClass"`
	OfferingType     string      `json:"offeringType"`
	MaxHolders       int         `json:"maxHolders"`
	LockupEnd        *time.Time  `json:"lockupEnd,omitempty"`
	MinHolding       *string     `json:"minHolding,omitempty"`
	MaxHolding       *string     `json:"maxHolding,omitempty"`
	AllowedCountries []string    `json:"allowedCountries"`
	DeniedCountries  []string    `json:"deniedCountries"`
	Product          productJSON `json:"product"`
	SupplyCap        *string     `json:"supplyCap,omitempty"`
	OfferingStart    *time.Time  `json:"offeringStart,omitempty"`
	OfferingEnd      *time.Time  `json:"offeringEnd,omitempty"`
	Status           string      `json:"status"`
	Paused           bool        `json:"paused"`
	ChainID          int64       `json:"chainId,omitempty"`
	TokenAddress     string      `json:"tokenAddress,omitempty"`
	RegistryAddress  string      `json:"registryAddress,omitempty"`
	DeploymentBlock  uint64      `json:"deploymentBlock,omitempty"`
	GenesisHash      string      `json:"genesisHash,omitempty"`
	ChainHalt        string      `json:"chainHalt,omitempty"`
	CreatedAt        time.Time   `json:"createdAt"`
	UpdatedAt        time.Time   `json:"updatedAt"`
}

func amountString(v *big.Int) *string {
	if v == nil {
		return nil
	}
	s := v.String()
	return &s
}

func toIssuanceJSON(i *registry.Issuance) issuanceJSON {
	return issuanceJSON{
		ID: i.ID, LeadSellerID: i.LeadSellerID, HandlingSellers: i.HandlingSellers, IssuerName: i.IssuerName,
		TokenName: i.TokenName, TokenSymbol: i.TokenSymbol, Decimals: i.Decimals, LegalForm: string(i.LegalForm),
		FIEAClass: string(i.FIEAClass), OfferingType: string(i.OfferingType), MaxHolders: i.MaxHolders,
		LockupEnd: i.LockupEnd, MinHolding: amountString(i.MinHolding), MaxHolding: amountString(i.MaxHolding),
		AllowedCountries: i.AllowedCountries, DeniedCountries: i.DeniedCountries,
		Product:   productJSON{string(i.Product.Class), string(i.Product.Wrapper), string(i.Product.Underlying), i.Product.Leverage},
		SupplyCap: amountString(i.SupplyCap), OfferingStart: i.OfferingStart, OfferingEnd: i.OfferingEnd,
		Status: string(i.Status), Paused: i.Paused, ChainID: i.ChainID, TokenAddress: i.TokenAddress,
		RegistryAddress: i.RegistryAddress, DeploymentBlock: i.DeploymentBlock, GenesisHash: i.GenesisHash,
		ChainHalt: i.ChainHalt, CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt,
	}
}

type createIssuanceRequest struct {
	LeadSellerID     int64        `json:"leadSellerId"`
	HandlingSellers  []int64      `json:"handlingSellerIds"`
	IssuerName       string       `json:"issuerName"`
	TokenName        string       `json:"tokenName"`
	TokenSymbol      string       `json:"tokenSymbol"`
	Decimals         *int         `json:"decimals"`
	LegalForm        string       `json:"legalForm"`
	FIEAClass        string       `json:"fieaClass"`
	OfferingType     string       `json:"offeringType"`
	MaxHolders       int          `json:"maxHolders"`
	LockupEnd        *time.Time   `json:"lockupEnd"`
	MinHolding       *string      `json:"minHolding"`
	MaxHolding       *string      `json:"maxHolding"`
	AllowedCountries []string     `json:"allowedCountries"`
	DeniedCountries  []string     `json:"deniedCountries"`
	Product          *productJSON `json:"product"`
	SupplyCap        *string      `json:"supplyCap"`
	OfferingStart    *time.Time   `json:"offeringStart"`
	OfferingEnd      *time.Time   `json:"offeringEnd"`
}

func optionalAmount(field string, s *string) (*big.Int, error) {
	if s == nil {
		return nil, nil
	}
	return registry.ParseAmount(field, *s)
}

func (r *createIssuanceRequest) domain() (*registry.Issuance, error) {
	i := &registry.Issuance{
		LeadSellerID: r.LeadSellerID, HandlingSellers: r.HandlingSellers, IssuerName: r.IssuerName,
		TokenName: r.TokenName, TokenSymbol: r.TokenSymbol, Decimals: 18, LegalForm: registry.LegalForm(r.LegalForm),
		FIEAClass: registry.FIEAClass(r.FIEAClass), OfferingType: registry.OfferingType(r.OfferingType),
		MaxHolders: r.MaxHolders, LockupEnd: utc(r.LockupEnd), AllowedCountries: r.AllowedCountries,
		DeniedCountries: r.DeniedCountries, OfferingStart: utc(r.OfferingStart), OfferingEnd: utc(r.OfferingEnd),
	}
	if r.Decimals != nil {
		i.Decimals = *r.Decimals
	}
	if i.AllowedCountries == nil {
		i.AllowedCountries = []string{}
	}
	if i.DeniedCountries == nil {
		i.DeniedCountries = []string{}
	}
	if r.Product != nil {
		i.Product = registry.Product{Class: registry.ProductClass(r.Product.Class), Wrapper: registry.Wrapper(r.Product.Wrapper),
			Underlying: registry.Underlying(r.Product.Underlying), Leverage: r.Product.Leverage}
	}
	var err error
	if i.MinHolding, err = optionalAmount("minHolding", r.MinHolding); err != nil {
		return nil, err
	}
	if i.MaxHolding, err = optionalAmount("maxHolding", r.MaxHolding); err != nil {
		return nil, err
	}
	if i.SupplyCap, err = optionalAmount("supplyCap", r.SupplyCap); err != nil {
		return nil, err
	}
	return i, nil
}

type issuanceStatusRequest struct {
	Status string `json:"status"`
	Reason string `json:"reason"`
}

// Date is a calendar date in JSON as "YYYY-MM-DD".
type Date struct{ time.Time }

// UnmarshalJSON parses "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return registry.Errorf(registry.EINVALID, "dates are strings formatted YYYY-MM-DD")
	}
	t, err := time.Parse(time.DateOnly, string(b[1:len(b)-1]))
	if err != nil {
		return registry.Errorf(registry.EINVALID, "dates are formatted YYYY-MM-DD")
	}
	d.Time = t
	return nil
}

// MarshalJSON renders "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) {
	return []byte(`"` + d.Format(time.DateOnly) + `"`), nil
}

type categoryJSON struct {
	Category  string    `json:"category"`
	ValidFrom time.Time `json:"validFrom"`
	ValidTo   time.Time `json:"validTo"`
}

type walletJSON struct {
	Address   string    `json:"address"`
	Label     string    `json:"label"`
	Frozen    bool      `json:"frozen"`
	CreatedAt time.Time `json:"createdAt"`
}

func toWalletJSON(w *registry.Wallet) walletJSON {
	return walletJSON{Address: w.Address, Label: w.Label, Frozen: w.Frozen, CreatedAt: w.CreatedAt}
}

type kycJSON struct {
	Status     string     `json:"status"`
	Method     string     `json:"method,omitempty"`
	VerifiedAt *time.Time `json:"verifiedAt,omitempty"`
	ReviewDue  *time.Time `json:"reviewDue,omitempty"`
}

type screeningJSON struct {
	Sanctions           string     `json:"sanctions"`
	SanctionsCheckedAt  *time.Time `json:"sanctionsCheckedAt,omitempty"`
	Antisocial          string     `json:"antisocial"`
	AntisocialCheckedAt *time.Time `json:"antisocialCheckedAt,omitempty"`
}

type investorJSON struct {
	ID               int64          `json:"id"`
	SellerID         int64          `json:"sellerId"`
	CustomerRef      string         `json:"customerRef"`
	PersonType       string         `json:"personType"`
	ResidenceCountry string         `json:"residenceCountry"`
	DateOfBirth      *Date          `json:"dateOfBirth,omitempty"`
	KYC              kycJSON        `json:"kyc"`
	Screening        screeningJSON  `json:"screening"`
	Categories       []categoryJSON `json:"categories"`
	Frozen           bool           `json:"frozen"`
	FrozenReason     string         `json:"frozenReason,omitempty"`
	Wallets          []walletJSON   `json:"wallets"`
	CreatedAt        time.Time      `json:"createdAt"`
	UpdatedAt        time.Time      `json:"updatedAt"`
}

func toInvestorJSON(inv *registry.Investor) investorJSON {
	out := investorJSON{
		ID: inv.ID, SellerID: inv.SellerID, CustomerRef: inv.CustomerRef, PersonType: string(inv.PersonType),
		ResidenceCountry: inv.ResidenceCountry,
		KYC:              kycJSON{string(inv.KYCStatus), inv.KYCMethod, inv.KYCVerifiedAt, inv.KYCReviewDue},
		Screening:        screeningJSON{string(inv.Sanctions), inv.SanctionsCheckedAt, string(inv.Antisocial), inv.AntisocialCheckedAt},
		Categories:       []categoryJSON{}, Frozen: inv.Frozen, FrozenReason: inv.FrozenReason, Wallets: []walletJSON{},
		CreatedAt: inv.CreatedAt, UpdatedAt: inv.UpdatedAt,
	}
	if inv.DateOfBirth != nil {
		out.DateOfBirth = &Date{*inv.DateOfBirth}
	}
	for _, c := range inv.Categories {
		out.Categories = append(out.Categories, categoryJSON{string(c.Category), c.ValidFrom, c.ValidTo})
	}
	for i := range inv.Wallets {
		out.Wallets = append(out.Wallets, toWalletJSON(&inv.Wallets[i]))
	}
	return out
}

type createInvestorRequest struct {
	SellerID         int64          `json:"sellerId"`
	CustomerRef      string         `json:"customerRef"`
	PersonType       string         `json:"personType"`
	ResidenceCountry string         `json:"residenceCountry"`
	DateOfBirth      *Date          `json:"dateOfBirth"`
	KYC              *kycJSON       `json:"kyc"`
	Screening        *screeningJSON `json:"screening"`
	Categories       []categoryJSON `json:"categories"`
	Wallets          []walletInput  `json:"wallets"`
}

type walletInput struct {
	Address string `json:"address"`
	Label   string `json:"label"`
}

func grants(in []categoryJSON) []registry.CategoryGrant {
	out := make([]registry.CategoryGrant, len(in))
	for i, c := range in {
		out[i] = registry.CategoryGrant{Category: registry.Category(c.Category), ValidFrom: c.ValidFrom.UTC(), ValidTo: c.ValidTo.UTC()}
	}
	return out
}

func (r *createInvestorRequest) domain() *registry.Investor {
	inv := &registry.Investor{
		SellerID: r.SellerID, CustomerRef: r.CustomerRef, PersonType: registry.PersonType(r.PersonType),
		ResidenceCountry: r.ResidenceCountry, Categories: grants(r.Categories),
	}
	if r.DateOfBirth != nil {
		t := r.DateOfBirth.Time
		inv.DateOfBirth = &t
	}
	if r.KYC != nil {
		inv.KYCStatus, inv.KYCMethod = registry.KYCStatus(r.KYC.Status), r.KYC.Method
		inv.KYCVerifiedAt, inv.KYCReviewDue = utc(r.KYC.VerifiedAt), utc(r.KYC.ReviewDue)
	}
	if r.Screening != nil {
		inv.Sanctions, inv.SanctionsCheckedAt = registry.ScreeningResult(r.Screening.Sanctions), utc(r.Screening.SanctionsCheckedAt)
		inv.Antisocial, inv.AntisocialCheckedAt = registry.ScreeningResult(r.Screening.Antisocial), utc(r.Screening.AntisocialCheckedAt)
	}
	for _, w := range r.Wallets {
		inv.Wallets = append(inv.Wallets, registry.Wallet{Address: w.Address, Label: w.Label})
	}
	return inv
}

type screeningRequest struct {
	Sanctions  string     `json:"sanctions"`
	Antisocial string     `json:"antisocial"`
	CheckedAt  *time.Time `json:"checkedAt"`
}

type categoriesRequest struct {
	Categories []categoryJSON `json:"categories"`
}

type freezeRequest struct {
	Reason string `json:"reason"`
}

type approvalRequest struct {
	ValidUntil *time.Time `json:"validUntil"`
}

type whitelistJSON struct {
	IssuanceID int64      `json:"issuanceId"`
	InvestorID int64      `json:"investorId"`
	Status     string     `json:"status"`
	ValidUntil *time.Time `json:"validUntil,omitempty"`
	ApprovedBy string     `json:"approvedBy"`
	ApprovedAt time.Time  `json:"approvedAt"`
	RevokedBy  string     `json:"revokedBy,omitempty"`
	RevokedAt  *time.Time `json:"revokedAt,omitempty"`
	Sync       syncJSON   `json:"sync"`
	UpdatedAt  time.Time  `json:"updatedAt"`
}

type syncJSON struct {
	State  string `json:"state"`
	TxHash string `json:"txHash,omitempty"`
	Block  *int64 `json:"block,omitempty"`
	Error  string `json:"error,omitempty"` // a wallet the chain refused, and why
}

func toWhitelistJSON(e *registry.WhitelistEntry) whitelistJSON {
	return whitelistJSON{e.IssuanceID, e.InvestorID, string(e.Status), e.ValidUntil, e.ApprovedBy, e.ApprovedAt,
		e.RevokedBy, e.RevokedAt, syncJSON{string(e.SyncState), e.SyncTxHash, e.SyncBlock, e.SyncError}, e.UpdatedAt}
}

type reasonJSON struct {
	Code    string `json:"code"`
	Number  int    `json:"number"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

func reasonsJSON(rs []registry.Reason) []reasonJSON {
	out := make([]reasonJSON, len(rs))
	for i, r := range rs {
		out[i] = reasonJSON{Code: r.Code.String(), Number: int(r.Code), Rule: r.Rule, Message: r.Message}
	}
	return out
}

type decisionJSON struct {
	Address     string       `json:"address"`
	Allowed     bool         `json:"allowed"`
	Code        string       `json:"code"`
	Reasons     []reasonJSON `json:"reasons"`
	EvaluatedAt time.Time    `json:"evaluatedAt"`
}

func toDecisionJSON(r registry.EligibilityResult) decisionJSON {
	d := decisionJSON{Address: r.Address, Allowed: r.Decision.Allowed, Reasons: reasonsJSON(r.Decision.Reasons), EvaluatedAt: r.At}
	if !r.Decision.Allowed {
		d.Code = r.Decision.Primary().String()
	}
	return d
}

type batchEligibilityRequest struct {
	Addresses []string `json:"addresses"`
}

type transferCheckRequest struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Amount string `json:"amount"`
}

type transferCheckJSON struct {
	decisionJSON
	From   string `json:"from"`
	To     string `json:"to"`
	Amount string `json:"amount"`
}

type auditJSON struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	ActorRole string    `json:"actorRole"`
	SellerID  *int64    `json:"sellerId,omitempty"`
	Action    string    `json:"action"`
	Entity    string    `json:"entity"`
	EntityID  string    `json:"entityId"`
	Detail    any       `json:"detail"`
}

type reasonCodeJSON struct {
	Code    string `json:"code"`
	Number  int    `json:"number"`
	Area    string `json:"area"`
	OnChain bool   `json:"onChain"`
	Message string `json:"message"`
}

// listJSON is the envelope of every list response; Next is the cursor for the
// following page, absent on the last one.
type listJSON[T any] struct {
	Items []T    `json:"items"`
	Next  *int64 `json:"next,omitempty"`
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

type operationJSON struct {
	ID         int64             `json:"id"`
	IssuanceID int64             `json:"issuanceId"`
	Kind       string            `json:"kind"`
	Status     string            `json:"status"`
	Error      string            `json:"error,omitempty"`
	Request    map[string]string `json:"request"`
	Result     map[string]string `json:"result"`
	CreatedBy  string            `json:"createdBy"`
	CreatedAt  time.Time         `json:"createdAt"`
	UpdatedAt  time.Time         `json:"updatedAt"`
}

func toOperationJSON(op *registry.Operation) operationJSON {
	req := op.Request
	if req == nil {
		req = map[string]string{}
	}
	return operationJSON{op.ID, op.IssuanceID, string(op.Kind), string(op.Status), op.Error, req, op.Result, op.CreatedBy, op.CreatedAt, op.UpdatedAt}
}

type attachRequest struct {
	TokenAddress    string  `json:"tokenAddress"`
	RegistryAddress string  `json:"registryAddress"`
	DeploymentBlock *uint64 `json:"deploymentBlock"`
}

// Token operation requests. Amounts are decimal strings of base units.

type mintRequest struct {
	To     string `json:"to"`
	Amount string `json:"amount"`
}

type forcedTransferRequest struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Amount string `json:"amount"`
}

type redemptionRequest struct {
	From   string `json:"from"`
	Amount string `json:"amount"`
}

// tokenFreezeRequest freezes (or unfreezes) on the token the whole wallet, or Amount tokens of it.
type tokenFreezeRequest struct {
	Wallet string  `json:"wallet"`
	Amount *string `json:"amount"`
}
