package eligibility

import (
	"math/big"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
)

var t0 = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

const (
	leadID     = 1
	handlerID  = 2
	outsiderID = 3
	receiverID = 100
	senderID   = 200
	toAddr     = "0x00000000000000000000000000000000000000aa"
	fromAddr   = "0x00000000000000000000000000000000000000bb"
	toAddr2    = "0x00000000000000000000000000000000000000cc"
)

func ptr[T any](v T) *T { return &v }

func seller(id int64, lic registry.LicenceType) *registry.Seller {
	return &registry.Seller{ID: id, LegalName: "Firm", Licence: lic, Status: registry.SellerActive}
}

func investor(id int64, sellerID int64, addr string) *registry.Investor {
	return &registry.Investor{
		ID: id, SellerID: sellerID, PersonType: registry.PersonIndividual, ResidenceCountry: "JP",
		KYCStatus: registry.KYCVerified, KYCReviewDue: ptr(t0.AddDate(1, 0, 0)),
		Sanctions: registry.ScreeningClear, Antisocial: registry.ScreeningClear,
		Wallets: []registry.Wallet{{Address: addr, InvestorID: id}},
	}
}

func party(inv *registry.Investor, s *registry.Seller, issuanceID int64) Party {
	return Party{
		Address:  inv.Wallets[0].Address,
		Investor: inv,
		Wallet:   &inv.Wallets[0],
		Seller:   s,
		Entry: &registry.WhitelistEntry{IssuanceID: issuanceID, InvestorID: inv.ID,
			Status: registry.WhitelistApproved, ValidUntil: ptr(t0.AddDate(0, 6, 0))},
	}
}

// base is a transfer of 10 tokens between two eligible investors of an active
// public offering; every field is freshly allocated so cases can mutate it.
func base() Request {
	lead := seller(leadID, registry.LicenceType1)
	handler := seller(handlerID, registry.LicenceType1)
	iss := &registry.Issuance{
		ID: 7, LeadSellerID: leadID, HandlingSellers: []int64{handlerID},
		FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic,
		Status: registry.IssuanceIssued,
	}
	from := party(investor(senderID, leadID, fromAddr), lead, iss.ID)
	return Request{
		Issuance:   iss,
		LeadSeller: lead,
		From:       &from,
		To:         party(investor(receiverID, handlerID, toAddr), handler, iss.ID),
		Amount:     big.NewInt(10),
		Holdings: Holdings{
			Holders: 5, ReceiverBalance: big.NewInt(0), SenderBalance: big.NewInt(100),
		},
		At: t0,
	}
}

// mint turns a request into a mint of 10 onto a supply of 90.
func mint(r *Request) { r.From, r.Holdings.SenderBalance, r.Supply = nil, nil, big.NewInt(90) }

// lookup turns a request into a receive-only look-up.
func lookup(r *Request) { r.From, r.Amount = nil, nil }

// sameInvestor makes the receiver another wallet of the sender's investor.
func sameInvestor(r *Request) {
	inv := r.From.Investor
	inv.Wallets = append(inv.Wallets, registry.Wallet{Address: toAddr2, InvestorID: inv.ID})
	r.To = Party{Address: toAddr2, Investor: inv, Wallet: &inv.Wallets[1], Seller: r.From.Seller}
	r.Holdings.ReceiverHolds = true
}

type C = registry.ReasonCode

func codes(cs ...C) []C { return cs }

var (
	notActive     = registry.CodeIssuanceNotActive
	paused        = registry.CodeTokenPaused
	lockup        = registry.CodeLockupActive
	notApproved   = registry.CodeTransferNotApproved
	notRegistered = registry.CodeSellerNotRegistered
	suspended     = registry.CodeSellerSuspended
	notAuthorised = registry.CodeSellerNotAuthorisedForIssuance
	licence       = registry.CodeSellerLicenseMismatch
	unknown       = registry.CodeWalletUnknown
	notWL         = registry.CodeNotWhitelisted
	wlExpired     = registry.CodeWhitelistExpired
	kycMissing    = registry.CodeKYCMissing
	kycExpired    = registry.CodeKYCExpired
	sanctions     = registry.CodeSanctionsHit
	antisocial    = registry.CodeAntisocialHit
	frozen        = registry.CodeAccountFrozen
	screening     = registry.CodeScreeningMissing
	notQII        = registry.CodeNotQII
	notSI         = registry.CodeNotSpecifiedInvestor
	catExpired    = registry.CodeCategoryExpired
	country       = registry.CodeCountryRestricted
	maxHolders    = registry.CodeMaxHoldersReached
	belowMin      = registry.CodeAmountBelowMin
	aboveMax      = registry.CodeAmountAboveMax
	insufficient  = registry.CodeInsufficientBalance
	partial       = registry.CodePartialTransferNotAllowed
	supplyCapped  = registry.CodeSupplyCapExceeded
	windowClosed  = registry.CodeOfferingClosed
)

func grant(c registry.Category, from, to time.Time) registry.CategoryGrant {
	return registry.CategoryGrant{Category: c, ValidFrom: from, ValidTo: to}
}

type tcase struct {
	name string
	mod  func(r *Request)
	want []C
}

var cases = []tcase{
	// Everything fine.
	{"allowed look-up", lookup, nil},
	{"allowed transfer", func(r *Request) {}, nil},
	{"allowed mint", func(r *Request) { r.From = nil }, nil},
	{"allowed while OFFERING", func(r *Request) { r.Issuance.Status = registry.IssuanceOffering }, nil},

	// Issuance.
	{"issuance draft", func(r *Request) { r.Issuance.Status = registry.IssuanceDraft }, codes(notActive)},
	{"issuance registered look-up", func(r *Request) { lookup(r); r.Issuance.Status = registry.IssuanceRegistered }, codes(notActive)},
	{"issuance suspended", func(r *Request) { r.Issuance.Status = registry.IssuanceSuspended }, codes(notActive)},
	{"issuance redeemed", func(r *Request) { r.Issuance.Status = registry.IssuanceRedeemed }, codes(notActive)},
	{"issuance nil", func(r *Request) { r.Issuance = nil }, codes(notActive)},
	{"token paused", func(r *Request) { r.Issuance.Paused = true }, codes(paused)},
	{"token paused look-up", func(r *Request) { lookup(r); r.Issuance.Paused = true }, codes(paused)},
	{"lock-up transfer", func(r *Request) { r.Issuance.LockupEnd = ptr(t0.Add(time.Hour)) }, codes(lockup)},
	{"lock-up ends at At: allowed", func(r *Request) { r.Issuance.LockupEnd = ptr(t0) }, nil},
	{"lock-up ends 1s after At", func(r *Request) { r.Issuance.LockupEnd = ptr(t0.Add(time.Second)) }, codes(lockup)},
	{"lock-up does not bind a mint", func(r *Request) { r.From = nil; r.Issuance.LockupEnd = ptr(t0.Add(time.Hour)) }, nil},
	{"lock-up does not bind a look-up", func(r *Request) { lookup(r); r.Issuance.LockupEnd = ptr(t0.Add(time.Hour)) }, nil},

	// Transfer approval (譲渡承認): last, as on the token.
	{"approval required, none", func(r *Request) { r.Approval = &registry.ApprovalFact{Required: true} }, codes(notApproved)},
	{"approval required and approved", func(r *Request) { r.Approval = &registry.ApprovalFact{Required: true, Approved: true} }, nil},
	{"approval not required", func(r *Request) { r.Approval = &registry.ApprovalFact{} }, nil},
	{"approval does not bind a mint", func(r *Request) { r.From = nil; r.Approval = &registry.ApprovalFact{Required: true} }, nil},
	{"approval does not bind a look-up", func(r *Request) { lookup(r); r.Approval = &registry.ApprovalFact{Required: true} }, nil},
	{"approval binds one investor's two wallets too", func(r *Request) {
		sameInvestor(r)
		r.Approval = &registry.ApprovalFact{Required: true}
	}, codes(notApproved)},
	{"approval after lock-up", func(r *Request) {
		r.Issuance.LockupEnd = ptr(t0.Add(time.Hour))
		r.Approval = &registry.ApprovalFact{Required: true}
	}, codes(lockup, notApproved)},

	// Lead seller.
	{"lead seller missing", func(r *Request) { r.LeadSeller = nil }, codes(notRegistered)},
	{"lead seller revoked", func(r *Request) { r.LeadSeller.Status = registry.SellerRevoked }, codes(notRegistered)},
	{"lead seller status unset", func(r *Request) { r.LeadSeller.Status = "" }, codes(notRegistered)},
	{"lead seller suspended", func(r *Request) { r.LeadSeller.Status = registry.SellerSuspended }, codes(suspended)},
	{"lead TYPE2 for PARA1_TOKEN", func(r *Request) { r.LeadSeller.Licence = registry.LicenceType2 }, codes(licence)},
	{"lead TYPE2 for ERTR", func(r *Request) {
		r.Issuance.FIEAClass = registry.ClassERTR
		r.LeadSeller.Licence = registry.LicenceType2
	}, codes(licence)},
	{"lead TYPE2 for EXCLUDED_ERTR", func(r *Request) {
		r.Issuance.FIEAClass = registry.ClassExcludedERTR
		r.LeadSeller.Licence = registry.LicenceType2
		r.To.Seller.Licence = registry.LicenceType2
	}, nil},
	{"REGISTERED_FI for ERTR", func(r *Request) {
		r.Issuance.FIEAClass = registry.ClassERTR
		r.LeadSeller.Licence = registry.LicenceRegisteredFI
		r.To.Seller.Licence = registry.LicenceRegisteredFI
	}, nil},
	{"licence empty class strictest", func(r *Request) {
		r.Issuance.FIEAClass = ""
		r.LeadSeller.Licence = registry.LicenceType2
	}, codes(licence)},

	// Receiver's onboarding seller.
	{"investor seller missing", func(r *Request) { r.To.Seller = nil }, codes(notRegistered)},
	{"investor seller revoked", func(r *Request) { r.To.Seller.Status = registry.SellerRevoked }, codes(notRegistered)},
	{"investor seller suspended", func(r *Request) { r.To.Seller.Status = registry.SellerSuspended }, codes(suspended)},
	{"investor seller not handling", func(r *Request) {
		r.To.Seller = seller(outsiderID, registry.LicenceType1)
		r.To.Investor.SellerID = outsiderID
	}, codes(notAuthorised)},
	{"investor seller TYPE2 for ERTR", func(r *Request) {
		r.Issuance.FIEAClass = registry.ClassERTR
		r.To.Seller.Licence = registry.LicenceType2
	}, codes(licence)},
	{"investor seller is the lead: reported once", func(r *Request) {
		r.To.Seller = r.LeadSeller
		r.LeadSeller.Status = registry.SellerSuspended
		r.LeadSeller.Licence = registry.LicenceType2
	}, codes(suspended, licence)},

	// Receiver identity.
	{"receiver wallet unknown", func(r *Request) { r.To = Party{Address: toAddr} }, codes(unknown)},
	{"receiver unknown skips investor rules", func(r *Request) {
		lookup(r)
		r.To = Party{Address: toAddr}
		r.Issuance.OfferingType = registry.OfferingQIIPrivate
		r.Issuance.AllowedCountries = []string{"US"}
		r.Holdings.Holders = 1000
		r.Issuance.MaxHolders = 10
	}, codes(unknown)},
	{"wallet record found among investor's wallets", func(r *Request) { r.To.Wallet = nil }, nil},
	{"investor without matching wallet", func(r *Request) { r.To.Wallet = nil; r.To.Address = toAddr2 }, codes(unknown)},
	{"no whitelist entry", func(r *Request) { r.To.Entry = nil }, codes(notWL)},
	{"whitelist revoked", func(r *Request) { r.To.Entry.Status = registry.WhitelistRevoked }, codes(notWL)},
	{"whitelist valid until At", func(r *Request) { r.To.Entry.ValidUntil = ptr(t0) }, nil},
	{"whitelist expired 1s before At", func(r *Request) { r.To.Entry.ValidUntil = ptr(t0.Add(-time.Second)) }, codes(wlExpired)},
	{"whitelist: sub-second within the second", func(r *Request) {
		r.To.Entry.ValidUntil = ptr(t0)
		r.At = t0.Add(999 * time.Millisecond)
	}, nil},
	{"whitelist no expiry", func(r *Request) {
		r.To.Entry.ValidUntil = nil
		r.At = t0.AddDate(5, 0, 0)
		r.To.Investor.KYCReviewDue = nil
	}, nil},
	{"KYC pending", func(r *Request) { r.To.Investor.KYCStatus = registry.KYCPending }, codes(kycMissing)},
	{"KYC rejected", func(r *Request) { r.To.Investor.KYCStatus = registry.KYCRejected }, codes(kycMissing)},
	{"KYC none, review date irrelevant", func(r *Request) {
		r.To.Investor.KYCStatus = registry.KYCNone
		r.To.Investor.KYCReviewDue = ptr(t0.Add(-time.Hour))
	}, codes(kycMissing)},
	{"KYC review due at At", func(r *Request) { r.To.Investor.KYCReviewDue = ptr(t0) }, nil},
	{"KYC review due 1s before At", func(r *Request) { r.To.Investor.KYCReviewDue = ptr(t0.Add(-time.Second)) }, codes(kycExpired)},
	{"sanctions hit", func(r *Request) { r.To.Investor.Sanctions = registry.ScreeningHit }, codes(sanctions)},
	{"antisocial hit", func(r *Request) { r.To.Investor.Antisocial = registry.ScreeningHit }, codes(antisocial)},
	{"sanctions not screened", func(r *Request) { r.To.Investor.Sanctions = registry.ScreeningNone }, codes(screening)},
	{"antisocial screening empty", func(r *Request) { r.To.Investor.Antisocial = "" }, codes(screening)},
	{"both unscreened: one reason", func(r *Request) {
		r.To.Investor.Sanctions = registry.ScreeningNone
		r.To.Investor.Antisocial = registry.ScreeningNone
	}, codes(screening)},
	{"hit and missing", func(r *Request) {
		r.To.Investor.Sanctions = registry.ScreeningHit
		r.To.Investor.Antisocial = registry.ScreeningNone
	}, codes(sanctions, screening)},
	{"receiver investor frozen", func(r *Request) { r.To.Investor.Frozen = true }, codes(frozen)},
	{"receiver wallet frozen", func(r *Request) { r.To.Wallet.Frozen = true }, codes(frozen)},
	{"receiver frozen on look-up", func(r *Request) { lookup(r); r.To.Investor.Frozen = true }, codes(frozen)},

	// Sender.
	{"sender wallet unknown", func(r *Request) { r.From = &Party{Address: fromAddr} }, codes(unknown)},
	{"sender investor frozen", func(r *Request) { r.From.Investor.Frozen = true }, codes(frozen)},
	{"sender wallet frozen", func(r *Request) { r.From.Wallet.Frozen = true }, codes(frozen)},
	{"sender and receiver frozen", func(r *Request) { r.From.Wallet.Frozen = true; r.To.Investor.Frozen = true }, codes(frozen, frozen)},
	{"insufficient balance", func(r *Request) { r.Holdings.SenderBalance = big.NewInt(9) }, codes(insufficient)},
	{"exact balance", func(r *Request) { r.Holdings.SenderBalance = big.NewInt(10) }, nil},
	{"sender balance unknown", func(r *Request) { r.Holdings.SenderBalance = nil; r.Amount = big.NewInt(1e9) }, nil},
	{"partial transfer leaves dust", func(r *Request) {
		r.Issuance.MinHolding = big.NewInt(100)
		r.Holdings.SenderBalance = big.NewInt(150)
		r.Amount = big.NewInt(100)
	}, codes(partial)},
	{"transfer of everything", func(r *Request) {
		r.Issuance.MinHolding = big.NewInt(100)
		r.Holdings.SenderBalance = big.NewInt(150)
		r.Amount = big.NewInt(150)
	}, nil},
	{"remainder exactly the minimum", func(r *Request) {
		r.Issuance.MinHolding = big.NewInt(100)
		r.Holdings.SenderBalance = big.NewInt(250)
		r.Amount = big.NewInt(150)
	}, nil},

	// Category by offering type.
	{"QII: none", func(r *Request) { r.Issuance.OfferingType = registry.OfferingQIIPrivate }, codes(notQII)},
	{"QII: specified investor is not enough", func(r *Request) {
		r.Issuance.OfferingType = registry.OfferingQIIPrivate
		r.To.Investor.Categories = []registry.CategoryGrant{grant(registry.CategorySpecifiedInvestor, t0.AddDate(-1, 0, 0), t0.AddDate(0, 6, 0))}
	}, codes(notQII)},
	{"QII: valid", func(r *Request) {
		r.Issuance.OfferingType = registry.OfferingQIIPrivate
		r.To.Investor.Categories = []registry.CategoryGrant{grant(registry.CategoryQII, t0.AddDate(-1, 0, 0), t0.AddDate(1, 0, 0))}
	}, nil},
	{"QII: valid to At", func(r *Request) {
		r.Issuance.OfferingType = registry.OfferingQIIPrivate
		r.To.Investor.Categories = []registry.CategoryGrant{grant(registry.CategoryQII, t0.AddDate(-1, 0, 0), t0)}
	}, nil},
	{"QII: expired 1s before At", func(r *Request) {
		r.Issuance.OfferingType = registry.OfferingQIIPrivate
		r.To.Investor.Categories = []registry.CategoryGrant{grant(registry.CategoryQII, t0.AddDate(-1, 0, 0), t0.Add(-time.Second))}
	}, codes(catExpired)},
	{"QII: not yet valid counts as absent", func(r *Request) {
		r.Issuance.OfferingType = registry.OfferingQIIPrivate
		r.To.Investor.Categories = []registry.CategoryGrant{grant(registry.CategoryQII, t0.Add(time.Second), t0.AddDate(1, 0, 0))}
	}, codes(notQII)},
	{"QII: valid from At", func(r *Request) {
		r.Issuance.OfferingType = registry.OfferingQIIPrivate
		r.To.Investor.Categories = []registry.CategoryGrant{grant(registry.CategoryQII, t0, t0.AddDate(1, 0, 0))}
	}, nil},
	{"QII: open-ended grant", func(r *Request) {
		r.Issuance.OfferingType = registry.OfferingQIIPrivate
		r.To.Investor.Categories = []registry.CategoryGrant{{Category: registry.CategoryQII}}
	}, nil},
	{"SI: none", func(r *Request) { r.Issuance.OfferingType = registry.OfferingSpecifiedInvestorPrivate }, codes(notSI)},
	{"SI: general only", func(r *Request) {
		r.Issuance.OfferingType = registry.OfferingSpecifiedInvestorPrivate
		r.To.Investor.Categories = []registry.CategoryGrant{grant(registry.CategoryGeneral, t0.AddDate(-1, 0, 0), t0.AddDate(1, 0, 0))}
	}, codes(notSI)},
	{"SI: opt-in valid", func(r *Request) {
		r.Issuance.OfferingType = registry.OfferingSpecifiedInvestorPrivate
		r.To.Investor.Categories = []registry.CategoryGrant{grant(registry.CategorySpecifiedInvestor, t0.AddDate(-1, 0, 0), t0)}
	}, nil},
	{"SI: opt-in expired 1s before At", func(r *Request) {
		r.Issuance.OfferingType = registry.OfferingSpecifiedInvestorPrivate
		r.To.Investor.Categories = []registry.CategoryGrant{grant(registry.CategorySpecifiedInvestor, t0.AddDate(-1, 0, -1), t0.Add(-time.Second))}
	}, codes(catExpired)},
	{"SI: QII counts as specified investor", func(r *Request) {
		r.Issuance.OfferingType = registry.OfferingSpecifiedInvestorPrivate
		r.To.Investor.Categories = []registry.CategoryGrant{grant(registry.CategoryQII, t0.AddDate(-1, 0, 0), t0.AddDate(1, 0, 0))}
	}, nil},
	{"SI: expired opt-in but valid QII", func(r *Request) {
		r.Issuance.OfferingType = registry.OfferingSpecifiedInvestorPrivate
		r.To.Investor.Categories = []registry.CategoryGrant{
			grant(registry.CategorySpecifiedInvestor, t0.AddDate(-2, 0, 0), t0.AddDate(-1, 0, 0)),
			grant(registry.CategoryQII, t0.AddDate(-1, 0, 0), t0.AddDate(1, 0, 0)),
		}
	}, nil},
	{"SI: renewed opt-in not yet valid, old one expired", func(r *Request) {
		r.Issuance.OfferingType = registry.OfferingSpecifiedInvestorPrivate
		r.To.Investor.Categories = []registry.CategoryGrant{
			grant(registry.CategorySpecifiedInvestor, t0.AddDate(-1, 0, 0), t0.Add(-time.Second)),
			grant(registry.CategorySpecifiedInvestor, t0.Add(time.Hour), t0.AddDate(1, 0, 0)),
		}
	}, codes(catExpired)},
	{"small-number private needs no category", func(r *Request) { r.Issuance.OfferingType = registry.OfferingSmallNumberPrivate }, nil},

	// Country.
	{"country denied", func(r *Request) { r.Issuance.DeniedCountries = []string{"US", "JP"} }, codes(country)},
	{"country not in allowed list", func(r *Request) { r.Issuance.AllowedCountries = []string{"US", "SG"} }, codes(country)},
	{"country in allowed list", func(r *Request) { r.Issuance.AllowedCountries = []string{"SG", "JP"} }, nil},
	{"country allowed but also denied", func(r *Request) {
		r.Issuance.AllowedCountries = []string{"JP"}
		r.Issuance.DeniedCountries = []string{"JP"}
	}, codes(country)},
	{"no residence with an allowed list", func(r *Request) {
		r.Issuance.AllowedCountries = []string{"JP"}
		r.To.Investor.ResidenceCountry = ""
	}, codes(country)},

	// Holder cap.
	{"small-number: 49th holder allowed", func(r *Request) {
		lookup(r)
		r.Issuance.OfferingType = registry.OfferingSmallNumberPrivate
		r.Holdings.Holders = 48
	}, nil},
	{"small-number: 50th holder refused", func(r *Request) {
		lookup(r)
		r.Issuance.OfferingType = registry.OfferingSmallNumberPrivate
		r.Holdings.Holders = 49
	}, codes(maxHolders)},
	{"small-number: existing holder at 49 others", func(r *Request) {
		r.Issuance.OfferingType = registry.OfferingSmallNumberPrivate
		r.Holdings.Holders = 49
		r.Holdings.ReceiverHolds = true
	}, nil},
	{"explicit cap reached", func(r *Request) { r.Issuance.MaxHolders = 5; r.Holdings.Holders = 5 }, codes(maxHolders)},
	{"explicit cap below it", func(r *Request) { r.Issuance.MaxHolders = 6; r.Holdings.Holders = 5 }, nil},
	{"explicit cap overrides small-number default", func(r *Request) {
		r.Issuance.OfferingType = registry.OfferingSmallNumberPrivate
		r.Issuance.MaxHolders = 10
		r.Holdings.Holders = 10
	}, codes(maxHolders)},
	{"public without cap", func(r *Request) { r.Holdings.Holders = 1_000_000 }, nil},

	// Resulting holding.
	{"below minimum", func(r *Request) { r.Issuance.MinHolding = big.NewInt(11) }, codes(belowMin)},
	{"exactly the minimum", func(r *Request) { r.Issuance.MinHolding = big.NewInt(10) }, nil},
	{"minimum counts existing balance", func(r *Request) {
		r.Issuance.MinHolding = big.NewInt(15)
		r.Holdings.ReceiverBalance = big.NewInt(5)
	}, nil},
	{"above maximum", func(r *Request) {
		r.Issuance.MaxHolding = big.NewInt(14)
		r.Holdings.ReceiverBalance = big.NewInt(5)
	}, codes(aboveMax)},
	{"exactly the maximum", func(r *Request) {
		r.Issuance.MaxHolding = big.NewInt(15)
		r.Holdings.ReceiverBalance = big.NewInt(5)
	}, nil},
	{"receiver balance unknown skips amount rules", func(r *Request) {
		r.Issuance.MinHolding = big.NewInt(1000)
		r.Issuance.MaxHolding = big.NewInt(1)
		r.Holdings.ReceiverBalance = nil
		r.Holdings.SenderBalance = nil
	}, nil},
	{"look-up skips amount rules", func(r *Request) {
		lookup(r)
		r.Issuance.MinHolding = big.NewInt(1000)
	}, nil},
	{"uint256 amounts", func(r *Request) {
		// Receiver ends at 2^200+1 > max 2^200 >= min; sender keeps 2^200-3 < min.
		p200 := new(big.Int).Lsh(big.NewInt(1), 200)
		r.Issuance.MaxHolding = p200
		r.Issuance.MinHolding = p200
		r.Holdings.ReceiverBalance = new(big.Int).Sub(p200, big.NewInt(5))
		r.Amount = big.NewInt(6)
		r.Holdings.SenderBalance = new(big.Int).Add(p200, big.NewInt(3))
	}, codes(aboveMax, partial)},
	{"uint64 overflow of the sum", func(r *Request) {
		r.Issuance.MaxHolding = new(big.Int).SetUint64(^uint64(0))
		r.Holdings.ReceiverBalance = new(big.Int).SetUint64(^uint64(0))
		r.Amount = big.NewInt(1)
	}, codes(aboveMax)},

	// Mints: offering window and supply cap.
	{"mint within window and cap", func(r *Request) {
		mint(r)
		r.Issuance.OfferingStart, r.Issuance.OfferingEnd = ptr(t0), ptr(t0)
		r.Issuance.SupplyCap = big.NewInt(100)
	}, nil},
	{"mint before the offering opens", func(r *Request) { mint(r); r.Issuance.OfferingStart = ptr(t0.Add(time.Second)) }, codes(windowClosed)},
	{"mint after the offering closed", func(r *Request) { mint(r); r.Issuance.OfferingEnd = ptr(t0.Add(-time.Second)) }, codes(windowClosed)},
	{"transfer after the offering closed", func(r *Request) { r.Issuance.OfferingEnd = ptr(t0.Add(-time.Second)) }, nil},
	{"look-up after the offering closed", func(r *Request) { lookup(r); r.Issuance.OfferingEnd = ptr(t0.Add(-time.Second)) }, nil},
	{"mint above the supply cap", func(r *Request) { mint(r); r.Issuance.SupplyCap = big.NewInt(99) }, codes(supplyCapped)},
	{"mint with unknown supply skips the cap", func(r *Request) { mint(r); r.Supply = nil; r.Issuance.SupplyCap = big.NewInt(1) }, nil},
	{"transfer ignores the supply cap", func(r *Request) { r.Supply = big.NewInt(90); r.Issuance.SupplyCap = big.NewInt(1) }, nil},
	{"mint: supply cap before the receiver's rules, as the token orders them", func(r *Request) {
		mint(r)
		r.Issuance.SupplyCap = big.NewInt(0)
		r.To.Wallet.Frozen = true
		r.To.Entry = nil
	}, codes(supplyCapped, frozen, notWL)},
	{"uint256 supply cap", func(r *Request) {
		mint(r)
		p200 := new(big.Int).Lsh(big.NewInt(1), 200)
		r.Supply, r.Amount, r.Issuance.SupplyCap = p200, big.NewInt(1), new(big.Int).Set(p200)
	}, codes(supplyCapped)},

	// Same-investor transfers.
	{"same investor passes holder rules", func(r *Request) {
		sameInvestor(r)
		r.To.Entry = nil
		r.From.Investor.KYCStatus = registry.KYCPending
		r.From.Investor.Sanctions = registry.ScreeningNone
		r.From.Investor.ResidenceCountry = "US"
		r.Issuance.DeniedCountries = []string{"US"}
		r.Issuance.OfferingType = registry.OfferingQIIPrivate
		r.Issuance.MaxHolders = 1
		r.Holdings.Holders = 3
		r.Holdings.ReceiverHolds = false
		r.Issuance.MinHolding = big.NewInt(1000)
		r.LeadSeller.Status = registry.SellerRevoked
	}, nil},
	{"same investor: paused", func(r *Request) { sameInvestor(r); r.Issuance.Paused = true }, codes(paused)},
	{"same investor: frozen investor", func(r *Request) { sameInvestor(r); r.From.Investor.Frozen = true }, codes(frozen, frozen)},
	{"same investor: frozen receiving wallet", func(r *Request) { sameInvestor(r); r.To.Wallet.Frozen = true }, codes(frozen)},
	{"same investor: insufficient", func(r *Request) { sameInvestor(r); r.Holdings.SenderBalance = big.NewInt(1) }, codes(insufficient)},
	{"same investor: not active", func(r *Request) { sameInvestor(r); r.Issuance.Status = registry.IssuanceSuspended }, codes(notActive)},
	{"same investor: lock-up", func(r *Request) { sameInvestor(r); r.Issuance.LockupEnd = ptr(t0.AddDate(0, 1, 0)) }, codes(lockup)},

	// Several failures: reported in RuleOrder, the first being primary.
	{"many failures in order", func(r *Request) {
		r.Issuance.Status = registry.IssuanceSuspended
		r.Issuance.Paused = true
		r.From.Wallet.Frozen = true
		r.To.Investor.Frozen = true
		r.Holdings.SenderBalance = big.NewInt(1)
		r.LeadSeller.Status = registry.SellerSuspended
		r.LeadSeller.Licence = registry.LicenceType2
		r.To.Seller = seller(outsiderID, registry.LicenceType2)
		r.To.Seller.Status = registry.SellerSuspended
		r.To.Entry.ValidUntil = ptr(t0.Add(-time.Second))
		r.To.Investor.KYCReviewDue = ptr(t0.Add(-time.Second))
		r.To.Investor.Sanctions = registry.ScreeningHit
		r.To.Investor.Antisocial = registry.ScreeningHit
		r.Issuance.OfferingType = registry.OfferingSmallNumberPrivate
		r.Holdings.Holders = 49
		r.Issuance.DeniedCountries = []string{"JP"}
		r.Issuance.MinHolding = big.NewInt(50)
		r.Issuance.LockupEnd = ptr(t0.Add(time.Second))
	}, codes(notActive, paused, frozen, frozen, insufficient, suspended, licence,
		suspended, notAuthorised, licence, wlExpired, kycExpired, sanctions, antisocial,
		country, maxHolders, belowMin, lockup)},
	{"identity failures together", func(r *Request) {
		lookup(r)
		r.To.Entry = nil
		r.To.Investor.KYCStatus = registry.KYCPending
		r.To.Investor.Antisocial = registry.ScreeningNone
		r.Issuance.OfferingType = registry.OfferingSpecifiedInvestorPrivate
		r.Issuance.AllowedCountries = []string{"SG"}
	}, codes(notWL, kycMissing, screening, notSI, country)},
	{"unknown sender and receiver", func(r *Request) {
		r.From = &Party{Address: fromAddr}
		r.To = Party{Address: toAddr}
		r.Holdings.SenderBalance = big.NewInt(0)
		r.Issuance.LockupEnd = ptr(t0.AddDate(1, 0, 0))
	}, codes(unknown, insufficient, unknown, lockup)},
}

func TestEvaluate(t *testing.T) {
	order := map[string]int{}
	for i, r := range RuleOrder() {
		order[r] = i
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := base()
			tc.mod(&req)
			d := Evaluate(req)
			var got []C
			for _, r := range d.Reasons {
				got = append(got, r.Code)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("codes = %v, want %v\nreasons: %+v", got, tc.want, d.Reasons)
			}
			if d.Allowed != (len(tc.want) == 0) {
				t.Fatalf("Allowed = %v with reasons %v", d.Allowed, got)
			}
			want := registry.CodeOK
			if len(tc.want) > 0 {
				want = tc.want[0]
			}
			if d.Primary() != want {
				t.Fatalf("Primary = %v, want %v", d.Primary(), want)
			}
			last := -1
			for _, r := range d.Reasons {
				i, ok := order[r.Rule]
				if !ok {
					t.Fatalf("rule %q not in RuleOrder", r.Rule)
				}
				if i < last {
					t.Fatalf("rule %q reported out of order: %+v", r.Rule, d.Reasons)
				}
				last = i
				if r.Message == "" {
					t.Fatalf("reason %v has no message", r.Code)
				}
			}
		})
	}
}

// TestEveryCodeProduced keeps the table above honest: every eligibility
// reason code (all areas but the product policy) is produced by some case.
func TestEveryCodeProduced(t *testing.T) {
	seen := map[C]bool{}
	for _, tc := range cases {
		for _, c := range tc.want {
			seen[c] = true
		}
	}
	for _, info := range registry.Reasons() {
		if info.Code == registry.CodeOK || info.Area == "product" {
			continue
		}
		if !seen[info.Code] {
			t.Errorf("no test case produces %s (%d)", info.Name, info.Code)
		}
	}
}

func TestRuleOrderUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range RuleOrder() {
		if seen[r] {
			t.Fatalf("duplicate rule %q", r)
		}
		seen[r] = true
	}
	got := RuleOrder()
	got[0] = "changed"
	if RuleOrder()[0] == "changed" {
		t.Fatal("RuleOrder must return a copy")
	}
}

// TestEvaluateDoesNotMutate shares one request between goroutines (run with
// -race) and checks the input is left as it was.
func TestEvaluateDoesNotMutate(t *testing.T) {
	req := base()
	req.To.Wallet = nil // forces the wallet look-up path
	req.From.Wallet = nil
	req.Issuance.MinHolding = big.NewInt(1)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if d := Evaluate(req); !d.Allowed {
					t.Errorf("denied: %+v", d.Reasons)
					return
				}
			}
		}()
	}
	wg.Wait()
	if req.To.Wallet != nil || req.From.Wallet != nil {
		t.Fatal("Evaluate modified the request's parties")
	}
	if req.Holdings.SenderBalance.Cmp(big.NewInt(100)) != 0 || req.Amount.Cmp(big.NewInt(10)) != 0 {
		t.Fatal("Evaluate modified an amount")
	}
}

func TestAllowedDecisionDoesNotAllocate(t *testing.T) {
	req := base()
	req.Issuance.MinHolding = big.NewInt(1)
	req.Issuance.MaxHolding = big.NewInt(1000)
	req.Issuance.AllowedCountries = []string{"JP"}
	req.Issuance.OfferingType = registry.OfferingSpecifiedInvestorPrivate
	req.To.Investor.Categories = []registry.CategoryGrant{grant(registry.CategorySpecifiedInvestor, t0.AddDate(-1, 0, 0), t0.AddDate(0, 1, 0))}
	if n := testing.AllocsPerRun(100, func() { _ = Evaluate(req) }); n != 0 {
		t.Fatalf("allowed transfer allocates %v times", n)
	}
}

func BenchmarkEvaluate(b *testing.B) {
	look := base()
	lookup(&look)
	look.Issuance.OfferingType = registry.OfferingSmallNumberPrivate
	look.Holdings.Holders = 20

	transfer := base()
	transfer.Issuance.MinHolding = big.NewInt(1)
	transfer.Issuance.MaxHolding = big.NewInt(1_000_000)
	transfer.Issuance.AllowedCountries = []string{"JP", "SG"}

	denied := base()
	lookup(&denied)
	denied.To.Investor.KYCReviewDue = ptr(t0.Add(-time.Second))
	denied.Issuance.OfferingType = registry.OfferingSmallNumberPrivate
	denied.Holdings.Holders = 49

	for _, bc := range []struct {
		name string
		req  Request
	}{{"lookup-allowed", look}, {"transfer-allowed", transfer}, {"lookup-denied", denied}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Evaluate(bc.req)
			}
		})
	}
}

// TestRuleOrderDocumented checks docs/reason-codes.md lists the rules in the
// order Evaluate applies them.
func TestRuleOrderDocumented(t *testing.T) {
	b, err := os.ReadFile("../../docs/reason-codes.md")
	if err != nil {
		t.Fatal(err)
	}
	var doc []string
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "## ") {
			in = strings.TrimSpace(line) == "## Eligibility rule order"
			continue
		}
		cells := strings.Split(line, "|")
		if !in || len(cells) < 4 {
			continue
		}
		if rule := strings.Trim(strings.TrimSpace(cells[2]), "`"); strings.Contains(rule, ".") {
			doc = append(doc, rule)
		}
	}
	if !slices.Equal(doc, RuleOrder()) {
		t.Fatalf("docs rule order\n%v\nwant\n%v", doc, RuleOrder())
	}
}
