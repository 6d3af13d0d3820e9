// Package eligibility decides whether a wallet may receive (or send) an
// issuance's tokens. It is a pure rules engine: no I/O, no clocks (the time is
// an input), no shared state, so the store, the HTTP API and the tests all get
// the same answer for the same facts.
//
// Evaluate returns every failing rule, not just the first, in one fixed order
// (RuleOrder). The order puts the rules the token contract also enforces in the
// contract's own order — paused → frozen sender/receiver → free balance →
// receiver eligible (whitelist, expiry, country) → holder cap → lock-up — so
// that whenever only on-chain rules fail, the primary code the API reports is
// the code the contract would revert with. Off-chain-only rules sit in that
// sequence by area:
//
//	 1 issuance.status              ISSUANCE_NOT_ACTIVE
//	 2 issuance.paused              TOKEN_PAUSED
//	 3 issuance.offering_window     OFFERING_WINDOW_CLOSED (mints)
//	 4 issuance.supply_cap          SUPPLY_CAP_EXCEEDED (mints)
//	 5 sender.wallet                WALLET_UNKNOWN (sender)
//	 6 sender.frozen                ACCOUNT_FROZEN (sender)
//	 7 receiver.frozen              ACCOUNT_FROZEN (receiver)
//	 8 sender.balance               INSUFFICIENT_BALANCE
//	 9 seller.lead_status           SELLER_NOT_REGISTERED / SELLER_SUSPENDED
//	10 seller.lead_licence          SELLER_LICENSE_MISMATCH
//	11 receiver.wallet              WALLET_UNKNOWN (receiver; skips 12-26)
//	12 seller.investor_status       SELLER_NOT_REGISTERED / SELLER_SUSPENDED
//	13 seller.investor_authorised   SELLER_NOT_AUTHORISED_FOR_ISSUANCE
//	14 seller.investor_licence      SELLER_LICENSE_MISMATCH
//	15 whitelist.approved           NOT_WHITELISTED
//	16 whitelist.expiry             WHITELIST_EXPIRED
//	17 kyc.status                   KYC_MISSING
//	18 kyc.expiry                   KYC_EXPIRED
//	19 screening.sanctions          SANCTIONS_HIT
//	20 screening.antisocial         ANTISOCIAL_HIT
//	21 screening.missing            SCREENING_MISSING
//	22 category.required            NOT_QII / NOT_SPECIFIED_INVESTOR / CATEGORY_EXPIRED
//	23 country.residence            COUNTRY_RESTRICTED
//	24 holdings.max_holders         MAX_HOLDERS_REACHED
//	25 holdings.min                 AMOUNT_BELOW_MIN
//	26 holdings.max                 AMOUNT_ABOVE_MAX
//	27 sender.partial_transfer      PARTIAL_TRANSFER_NOT_ALLOWED
//	28 issuance.lockup              LOCKUP_ACTIVE
//	29 transfer.approval            TRANSFER_NOT_APPROVED
//
// Same-investor transfers (both wallets belong to one investor) move no
// beneficial ownership, so the rules about who may become or remain a holder
// (seller 9-14, whitelist, KYC, screening, category, country, holdings 24-27)
// are skipped. The rules about whether tokens may move at all still apply:
// issuance status, pause, freeze, free balance, and the lock-up (the token
// contract enforces the lock-up on every non-mint transfer, and a lock-up
// restricts moving the tokens, not only selling them).
//
// All instants are compared in whole Unix seconds, exactly as the contract
// compares block.timestamp: a whitelist entry, a KYC review date or a category
// grant is valid while At <= limit, and expired from limit+1s.
package eligibility

import (
	"fmt"
	"math/big"
	"math/bits"
	"strings"
	"time"

	"github.com/stonode/stonode/registry"
)

// Party is one side of a transfer as the registry knows it.
type Party struct {
	Address  string                   // lower-case 0x hex
	Investor *registry.Investor       // nil: wallet unknown to the registry
	Wallet   *registry.Wallet         // the wallet record (Frozen flag), nil if unknown
	Seller   *registry.Seller         // the investor's onboarding seller, nil if unknown
	Entry    *registry.WhitelistEntry // the investor's entry for this issuance, nil if none
}

// Holdings are chain-derived facts; today the registry supplies a proxy, later the transfer mirror.
type Holdings struct {
	Holders         int      // distinct investors counted as holders, NOT counting the receiver's investor
	ReceiverHolds   bool     // the receiver's investor already counts as a holder
	ReceiverBalance *big.Int // receiver investor's current balance; nil = unknown (skip balance rules)
	SenderBalance   *big.Int // sender wallet's free balance; nil = unknown (skip)
}

// Request is everything one evaluation needs.
type Request struct {
	Issuance   *registry.Issuance
	LeadSeller *registry.Seller // nil = not registered
	From       *Party           // nil: a receive-only look-up or a mint (no sender)
	To         Party
	Amount     *big.Int // nil: receive-only look-up (skip amount rules)
	Holdings   Holdings
	// Supply is the token's total supply before a mint (with the rows of an
	// allocation before this one); nil = unknown, which skips the supply cap.
	Supply *big.Int
	At     time.Time
	// Approval: whether the issuance requires transfer approval and this
	// transfer has an approved, unexpired one; nil when none is required.
	Approval *registry.ApprovalFact
}

// Rule machine names, in evaluation order.
const (
	RuleIssuanceStatus     = "issuance.status"
	RuleIssuancePaused     = "issuance.paused"
	RuleOfferingWindow     = "issuance.offering_window"
	RuleSupplyCap          = "issuance.supply_cap"
	RuleSenderWallet       = "sender.wallet"
	RuleSenderFrozen       = "sender.frozen"
	RuleReceiverFrozen     = "receiver.frozen"
	RuleSenderBalance      = "sender.balance"
	RuleLeadStatus         = "seller.lead_status"
	RuleLeadLicence        = "seller.lead_licence"
	RuleReceiverWallet     = "receiver.wallet"
	RuleInvestorSeller     = "seller.investor_status"
	RuleInvestorAuthorised = "seller.investor_authorised"
	RuleInvestorLicence    = "seller.investor_licence"
	RuleWhitelistApproved  = "whitelist.approved"
	RuleWhitelistExpiry    = "whitelist.expiry"
	RuleKYCStatus          = "kyc.status"
	RuleKYCExpiry          = "kyc.expiry"
	RuleSanctions          = "screening.sanctions"
	RuleAntisocial         = "screening.antisocial"
	RuleScreeningMissing   = "screening.missing"
	RuleCategory           = "category.required"
	RuleCountry            = "country.residence"
	RuleMaxHolders         = "holdings.max_holders"
	RuleMinHolding         = "holdings.min"
	RuleMaxHolding         = "holdings.max"
	RulePartialTransfer    = "sender.partial_transfer"
	RuleLockup             = "issuance.lockup"
	RuleTransferApproval   = "transfer.approval"
)

var ruleOrder = [...]string{
	RuleIssuanceStatus, RuleIssuancePaused, RuleOfferingWindow, RuleSupplyCap,
	RuleSenderWallet, RuleSenderFrozen,
	RuleReceiverFrozen, RuleSenderBalance, RuleLeadStatus, RuleLeadLicence,
	RuleReceiverWallet, RuleInvestorSeller, RuleInvestorAuthorised, RuleInvestorLicence,
	RuleWhitelistApproved, RuleWhitelistExpiry, RuleKYCStatus, RuleKYCExpiry,
	RuleSanctions, RuleAntisocial, RuleScreeningMissing, RuleCategory, RuleCountry,
	RuleMaxHolders, RuleMinHolding, RuleMaxHolding, RulePartialTransfer, RuleLockup,
	RuleTransferApproval,
}

// RuleOrder returns the machine names of the rules in the order Evaluate
// applies and reports them (for documentation and API clients).
func RuleOrder() []string { return append([]string(nil), ruleOrder[:]...) }

// result collects failing reasons; the slice is allocated on the first failure
// only, so an allowed decision costs no allocation.
type result struct{ reasons []registry.Reason }

func (r *result) fail(code registry.ReasonCode, rule, msg string) {
	if r.reasons == nil {
		r.reasons = make([]registry.Reason, 0, 4)
	}
	r.reasons = append(r.reasons, registry.Reason{Code: code, Rule: rule, Message: msg})
}

// Evaluate applies every rule to req and returns all failing reasons in
// RuleOrder; the first is the primary reason.
func Evaluate(req Request) registry.Decision {
	var r result
	iss := req.Issuance
	if iss == nil {
		// Nothing to evaluate against; refuse rather than panic.
		r.fail(registry.CodeIssuanceNotActive, RuleIssuanceStatus, "no issuance given")
		return registry.Decision{Reasons: r.reasons}
	}
	at := req.At.Unix()
	to := &req.To
	toWallet, toKnown := known(to)
	from := req.From
	var fromWallet *registry.Wallet
	fromKnown := false
	if from != nil {
		fromWallet, fromKnown = known(from)
	}
	same := fromKnown && toKnown && from.Investor.ID == to.Investor.ID

	// Issuance.
	if !iss.Status.Active() {
		r.fail(registry.CodeIssuanceNotActive, RuleIssuanceStatus,
			fmt.Sprintf("issuance %d is %s; tokens move only while OFFERING or ISSUED", iss.ID, statusText(string(iss.Status))))
	}
	if iss.Paused {
		r.fail(registry.CodeTokenPaused, RuleIssuancePaused, fmt.Sprintf("token of issuance %d is paused", iss.ID))
	}
	// The offering window and the supply cap bind mints (no sender, an
	// amount) only: holders trade outside the window, and only a mint adds to
	// the supply. The token checks the cap first among a mint's rules too.
	if from == nil && req.Amount != nil {
		switch {
		case iss.OfferingStart != nil && at < iss.OfferingStart.Unix():
			r.fail(registry.CodeOfferingClosed, RuleOfferingWindow,
				fmt.Sprintf("issuance %d's offering opens at %s", iss.ID, stamp(*iss.OfferingStart)))
		case iss.OfferingEnd != nil && at > iss.OfferingEnd.Unix():
			r.fail(registry.CodeOfferingClosed, RuleOfferingWindow,
				fmt.Sprintf("issuance %d's offering closed at %s", iss.ID, stamp(*iss.OfferingEnd)))
		}
		if iss.SupplyCap != nil && req.Supply != nil && cmpSum(req.Supply, req.Amount, iss.SupplyCap) > 0 {
			r.fail(registry.CodeSupplyCapExceeded, RuleSupplyCap,
				fmt.Sprintf("minting %s would take issuance %d's supply from %s to %s, above its cap of %s",
					req.Amount, iss.ID, req.Supply, new(big.Int).Add(req.Supply, req.Amount), iss.SupplyCap))
		}
	}

	// Sender wallet, freezes and free balance.
	if from != nil {
		if !fromKnown {
			r.fail(registry.CodeWalletUnknown, RuleSenderWallet,
				fmt.Sprintf("sender wallet %s belongs to no registered investor", from.Address))
		} else if msg, frozen := frozenText(from, fromWallet); frozen {
			r.fail(registry.CodeAccountFrozen, RuleSenderFrozen, "sender "+msg)
		}
	}
	if toKnown {
		if msg, frozen := frozenText(to, toWallet); frozen {
			r.fail(registry.CodeAccountFrozen, RuleReceiverFrozen, "receiver "+msg)
		}
	}
	// The balance is a chain fact, checked even for a sender the registry
	// does not know (as the contract does).
	if from != nil && req.Amount != nil && req.Holdings.SenderBalance != nil &&
		req.Holdings.SenderBalance.Cmp(req.Amount) < 0 {
		r.fail(registry.CodeInsufficientBalance, RuleSenderBalance,
			fmt.Sprintf("sender wallet %s has a free balance of %s, less than the %s to transfer",
				from.Address, req.Holdings.SenderBalance, req.Amount))
	}

	// Lead seller.
	if !same {
		lead := req.LeadSeller
		if lead == nil {
			r.fail(registry.CodeSellerNotRegistered, RuleLeadStatus,
				fmt.Sprintf("lead seller %d of issuance %d is not registered", iss.LeadSellerID, iss.ID))
		} else {
			if code, bad := sellerStatus(lead); bad {
				r.fail(code, RuleLeadStatus, fmt.Sprintf("lead seller %d (%s) is %s", lead.ID, lead.LegalName, statusText(string(lead.Status))))
			}
			if !licenceCovers(lead.Licence, iss.FIEAClass) {
				r.fail(registry.CodeSellerLicenseMismatch, RuleLeadLicence, licenceText("lead seller", lead, iss.FIEAClass))
			}
		}
	}

	// Receiver: everything below is about the receiver's investor.
	if !toKnown {
		r.fail(registry.CodeWalletUnknown, RuleReceiverWallet,
			fmt.Sprintf("receiver wallet %s belongs to no registered investor", to.Address))
	} else if !same {
		receiverRules(&r, &req, iss, at)
	}

	// Sender remainder: a transfer may not leave the sender's wallet with a
	// non-zero holding below the minimum.
	if from != nil && !same && req.Amount != nil && req.Holdings.SenderBalance != nil && iss.MinHolding != nil &&
		req.Holdings.SenderBalance.Cmp(req.Amount) >= 0 {
		if rem := cmpDiff(req.Holdings.SenderBalance, req.Amount, iss.MinHolding); rem.positive && rem.cmp < 0 {
			r.fail(registry.CodePartialTransferNotAllowed, RulePartialTransfer,
				fmt.Sprintf("sender wallet %s would keep %s, below the minimum holding of %s; transfer all or leave at least the minimum",
					from.Address, new(big.Int).Sub(req.Holdings.SenderBalance, req.Amount), iss.MinHolding))
		}
	}

	// Lock-up binds holders, so it applies to transfers only: not to a mint
	// (no sender) and not to a receive-only look-up.
	if from != nil && iss.LockupEnd != nil && at < iss.LockupEnd.Unix() {
		r.fail(registry.CodeLockupActive, RuleLockup,
			fmt.Sprintf("issuance %d is locked up until %s", iss.ID, stamp(*iss.LockupEnd)))
	}

	// Transfer approval (譲渡承認) binds every transfer with a sender, as the
	// token does (it cannot tell two wallets of one investor apart), and
	// never a mint or a look-up.
	if from != nil && req.Amount != nil && req.Approval != nil && req.Approval.Required && !req.Approval.Approved {
		r.fail(registry.CodeTransferNotApproved, RuleTransferApproval,
			fmt.Sprintf("issuance %d requires the lead seller's approval of each transfer; none is approved for %s from %s to %s",
				iss.ID, req.Amount, from.Address, to.Address))
	}

	return registry.Decision{Allowed: len(r.reasons) == 0, Reasons: r.reasons}
}

// receiverRules applies the rules about a known receiver's investor: its
// seller, whitelist entry, KYC, screening, category, country and holdings.
func receiverRules(r *result, req *Request, iss *registry.Issuance, at int64) {
	to := &req.To
	inv := to.Investor

	// The investor's onboarding seller. When it is the lead seller its status
	// and licence were reported above; do not report them twice.
	s := to.Seller
	switch {
	case s == nil:
		r.fail(registry.CodeSellerNotRegistered, RuleInvestorSeller,
			fmt.Sprintf("investor %d's onboarding seller %d is not registered", inv.ID, inv.SellerID))
	case req.LeadSeller != nil && s.ID == req.LeadSeller.ID:
	default:
		if code, bad := sellerStatus(s); bad {
			r.fail(code, RuleInvestorSeller,
				fmt.Sprintf("investor %d's seller %d (%s) is %s", inv.ID, s.ID, s.LegalName, statusText(string(s.Status))))
		}
		if !iss.HandledBy(s.ID) {
			r.fail(registry.CodeSellerNotAuthorisedForIssuance, RuleInvestorAuthorised,
				fmt.Sprintf("investor %d's seller %d (%s) neither leads nor handles issuance %d", inv.ID, s.ID, s.LegalName, iss.ID))
		}
		if !licenceCovers(s.Licence, iss.FIEAClass) {
			r.fail(registry.CodeSellerLicenseMismatch, RuleInvestorLicence, licenceText("investor's seller", s, iss.FIEAClass))
		}
	}

	// Whitelist.
	e := to.Entry
	switch {
	case e == nil:
		r.fail(registry.CodeNotWhitelisted, RuleWhitelistApproved,
			fmt.Sprintf("investor %d is not approved for issuance %d", inv.ID, iss.ID))
	case e.Status != registry.WhitelistApproved:
		r.fail(registry.CodeNotWhitelisted, RuleWhitelistApproved,
			fmt.Sprintf("investor %d's approval for issuance %d is %s", inv.ID, iss.ID, statusText(string(e.Status))))
	case e.ValidUntil != nil && at > e.ValidUntil.Unix():
		r.fail(registry.CodeWhitelistExpired, RuleWhitelistExpiry,
			fmt.Sprintf("investor %d's approval for issuance %d expired at %s", inv.ID, iss.ID, stamp(*e.ValidUntil)))
	}

	// KYC.
	if inv.KYCStatus != registry.KYCVerified {
		r.fail(registry.CodeKYCMissing, RuleKYCStatus,
			fmt.Sprintf("investor %d's KYC is %s, not VERIFIED", inv.ID, statusText(string(inv.KYCStatus))))
	} else if inv.KYCReviewDue != nil && at > inv.KYCReviewDue.Unix() {
		r.fail(registry.CodeKYCExpired, RuleKYCExpiry,
			fmt.Sprintf("investor %d's KYC review was due at %s", inv.ID, stamp(*inv.KYCReviewDue)))
	}

	// Screening. Anything but CLEAR or HIT (NONE, empty, unknown) counts as
	// not screened.
	if inv.Sanctions == registry.ScreeningHit {
		r.fail(registry.CodeSanctionsHit, RuleSanctions, fmt.Sprintf("investor %d matched a sanctions list", inv.ID))
	}
	if inv.Antisocial == registry.ScreeningHit {
		r.fail(registry.CodeAntisocialHit, RuleAntisocial, fmt.Sprintf("investor %d matched the anti-social forces screening", inv.ID))
	}
	sMissing := !screened(inv.Sanctions)
	aMissing := !screened(inv.Antisocial)
	if sMissing || aMissing {
		what := "sanctions and anti-social forces screening"
		if !sMissing {
			what = "anti-social forces screening"
		} else if !aMissing {
			what = "sanctions screening"
		}
		r.fail(registry.CodeScreeningMissing, RuleScreeningMissing, fmt.Sprintf("investor %d has no %s", inv.ID, what))
	}

	// Category required by the offering type.
	if code, msg, bad := categoryRule(inv, iss.OfferingType, at); bad {
		r.fail(code, RuleCategory, msg)
	}

	// Country of residence.
	if countryRestricted(inv.ResidenceCountry, iss) {
		r.fail(registry.CodeCountryRestricted, RuleCountry,
			fmt.Sprintf("investor %d resides in %q, which issuance %d does not allow", inv.ID, inv.ResidenceCountry, iss.ID))
	}

	// Holder cap: only a new holder can breach it.
	limit := iss.HolderCap()
	if limit > 0 && !req.Holdings.ReceiverHolds && req.Holdings.Holders >= limit {
		r.fail(registry.CodeMaxHoldersReached, RuleMaxHolders,
			fmt.Sprintf("issuance %d already has %d holders, its maximum is %d", iss.ID, req.Holdings.Holders, limit))
	}

	// Resulting holding of the receiver's investor.
	if req.Amount != nil && req.Holdings.ReceiverBalance != nil {
		bal := req.Holdings.ReceiverBalance
		if iss.MinHolding != nil && cmpSum(bal, req.Amount, iss.MinHolding) < 0 {
			r.fail(registry.CodeAmountBelowMin, RuleMinHolding,
				fmt.Sprintf("investor %d would hold %s, below the minimum holding of %s", inv.ID, new(big.Int).Add(bal, req.Amount), iss.MinHolding))
		}
		if iss.MaxHolding != nil && cmpSum(bal, req.Amount, iss.MaxHolding) > 0 {
			r.fail(registry.CodeAmountAboveMax, RuleMaxHolding,
				fmt.Sprintf("investor %d would hold %s, above the maximum holding of %s", inv.ID, new(big.Int).Add(bal, req.Amount), iss.MaxHolding))
		}
	}
}

// known reports whether the registry knows the party's wallet, and returns the
// wallet record. A party with an investor but no wallet record is accepted only
// if the address is among the investor's wallets, so inconsistent input is
// refused rather than trusted. The party is not modified.
func known(p *Party) (*registry.Wallet, bool) {
	if p.Investor == nil {
		return nil, false
	}
	if p.Wallet != nil {
		return p.Wallet, true
	}
	for i := range p.Investor.Wallets {
		if strings.EqualFold(p.Investor.Wallets[i].Address, p.Address) {
			return &p.Investor.Wallets[i], true
		}
	}
	return nil, false
}

// frozenText says why a known party is frozen, if it is.
func frozenText(p *Party, w *registry.Wallet) (string, bool) {
	switch {
	case p.Investor.Frozen:
		msg := fmt.Sprintf("investor %d is frozen", p.Investor.ID)
		if p.Investor.FrozenReason != "" {
			msg += ": " + p.Investor.FrozenReason
		}
		return msg, true
	case w != nil && w.Frozen:
		return fmt.Sprintf("wallet %s is frozen", p.Address), true
	}
	return "", false
}

// sellerStatus maps a seller's registration status to a refusal. Any status
// other than ACTIVE or SUSPENDED (REVOKED, empty, unknown) counts as not
// registered, so a bad record fails closed.
func sellerStatus(s *registry.Seller) (registry.ReasonCode, bool) {
	switch s.Status {
	case registry.SellerActive:
		return registry.CodeOK, false
	case registry.SellerSuspended:
		return registry.CodeSellerSuspended, true
	default:
		return registry.CodeSellerNotRegistered, true
	}
}

// licenceCovers reports whether a seller's licence lets it handle tokens of an
// FIEA class.
//
//   - PARA1_TOKEN: tokenised Paragraph 1 securities (shares, bonds, investment
//     units). Dealing in and underwriting Paragraph 1 securities is Type I
//     Financial Instruments Business (FIEA Art. 28(1)); a bank or other
//     registered financial institution may handle them under Art. 33-2.
//   - ERTR: electronically recorded transferable rights (tokenised Paragraph 2
//     rights such as trust beneficiary or fund interests). The 2019 amendment
//     (in force 1 May 2020) treats them as Paragraph 1 securities (Art. 2(3)),
//     so handling them is Type I business too — a Type II licence, enough for
//     the same rights untokenised, no longer is.
//   - EXCLUDED_ERTR: ERTR excluded from that treatment because transfer is
//     technically restricted (e.g. to QIIs); they stay Paragraph 2 securities,
//     which Type II business covers (Art. 28(2)). TYPE1 is accepted as well:
//     securities companies that handle STOs register for both kinds of
//     business and the registry records only the principal licence.
//
// An unknown or empty class gets the strictest treatment (as PARA1_TOKEN).
func licenceCovers(l registry.LicenceType, c registry.FIEAClass) bool {
	switch l {
	case registry.LicenceType1, registry.LicenceRegisteredFI:
		return true
	case registry.LicenceType2:
		return c == registry.ClassExcludedERTR
	}
	return false
}

func licenceText(who string, s *registry.Seller, c registry.FIEAClass) string {
	need := "TYPE1 or REGISTERED_FI"
	if c == registry.ClassExcludedERTR {
		need = "TYPE1, TYPE2 or REGISTERED_FI"
	}
	return fmt.Sprintf("%s %d (%s) holds a %s licence; %s tokens need %s",
		who, s.ID, s.LegalName, statusText(string(s.Licence)), statusText(string(c)), need)
}

// categoryRule checks the investor category the offering type requires: QIIs
// only for a QII private placement; specified investors (which include QIIs by
// law, FIEA Art. 2(31)(i)) for a specified-investor private placement. PUBLIC
// and SMALL_NUMBER_PRIVATE need none.
func categoryRule(inv *registry.Investor, t registry.OfferingType, at int64) (registry.ReasonCode, string, bool) {
	var missing registry.ReasonCode
	var what string
	switch t {
	case registry.OfferingQIIPrivate:
		missing, what = registry.CodeNotQII, "a qualified institutional investor (QII)"
	case registry.OfferingSpecifiedInvestorPrivate:
		missing, what = registry.CodeNotSpecifiedInvestor, "a specified investor (or QII)"
	default:
		return registry.CodeOK, "", false
	}
	var expired *registry.CategoryGrant
	for i := range inv.Categories {
		g := &inv.Categories[i]
		if g.Category != registry.CategoryQII &&
			!(t == registry.OfferingSpecifiedInvestorPrivate && g.Category == registry.CategorySpecifiedInvestor) {
			continue
		}
		// A zero bound is open: the store requires ValidTo where the law
		// limits the grant (the specified-investor opt-in lasts one year).
		if !g.ValidFrom.IsZero() && at < g.ValidFrom.Unix() {
			continue // not yet valid: counts as absent
		}
		if !g.ValidTo.IsZero() && at > g.ValidTo.Unix() {
			if expired == nil || g.ValidTo.After(expired.ValidTo) {
				expired = g
			}
			continue
		}
		return registry.CodeOK, "", false
	}
	if expired != nil {
		return registry.CodeCategoryExpired,
			fmt.Sprintf("the offering is for %s; investor %d's %s status expired at %s", what, inv.ID, expired.Category, stamp(expired.ValidTo)), true
	}
	return missing, fmt.Sprintf("the offering is for %s; investor %d is not one", what, inv.ID), true
}

func countryRestricted(c string, iss *registry.Issuance) bool {
	for _, d := range iss.DeniedCountries {
		if strings.EqualFold(d, c) {
			return true
		}
	}
	if len(iss.AllowedCountries) == 0 {
		return false
	}
	for _, a := range iss.AllowedCountries {
		if strings.EqualFold(a, c) {
			return false
		}
	}
	return true
}

func screened(s registry.ScreeningResult) bool {
	return s == registry.ScreeningClear || s == registry.ScreeningHit
}

// cmpSum compares a+b with c without allocating when all fit in 64 bits.
func cmpSum(a, b, c *big.Int) int {
	if a.IsUint64() && b.IsUint64() && c.IsUint64() {
		s, carry := bits.Add64(a.Uint64(), b.Uint64(), 0)
		if carry != 0 {
			return 1
		}
		return cmpU64(s, c.Uint64())
	}
	return new(big.Int).Add(a, b).Cmp(c)
}

type diffCmp struct {
	positive bool // a-b > 0
	cmp      int  // sign of (a-b) - c
}

// cmpDiff compares a-b (a >= b) with c, allocation-free in 64 bits.
func cmpDiff(a, b, c *big.Int) diffCmp {
	if a.IsUint64() && b.IsUint64() && c.IsUint64() {
		d := a.Uint64() - b.Uint64()
		return diffCmp{positive: d > 0, cmp: cmpU64(d, c.Uint64())}
	}
	d := new(big.Int).Sub(a, b)
	return diffCmp{positive: d.Sign() > 0, cmp: d.Cmp(c)}
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func statusText(s string) string {
	if s == "" {
		return "unset"
	}
	return s
}
