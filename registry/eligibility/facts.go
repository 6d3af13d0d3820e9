package eligibility

import (
	"math/big"
	"time"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/policy"
)

// The compliance decisions the node makes from loaded registry.Facts: the
// engine's request, redaction, a wallet's on-chain record, alert codes, which
// rules refuse which token operation. All pure; the store loads the facts.

// Rules implements registry.Compliance with the functions below and the
// product policy; it is what the store is handed.
type Rules struct{}

var _ registry.Compliance = Rules{}

// Decide implements registry.Compliance.
func (Rules) Decide(p *registry.Principal, f *registry.Facts, from, to string, amount *big.Int, at time.Time) registry.Decision {
	return Decide(p, f, from, to, amount, at)
}

// WalletRecord implements registry.Compliance.
func (Rules) WalletRecord(f *registry.Facts, wallet string, at time.Time) registry.WalletRecord {
	return WalletRecord(f, wallet, at)
}

// AlertCodes implements registry.Compliance.
func (Rules) AlertCodes(f *registry.Facts, to string, at time.Time) []registry.ReasonCode {
	return AlertCodes(f, to, at)
}

// ProductRefusals implements registry.Compliance with the product policy.
func (Rules) ProductRefusals(p registry.Product, at time.Time) []registry.Reason {
	return policy.Check(p, at)
}

// ApprovalRefusals implements registry.Compliance.
func (Rules) ApprovalRefusals(iss *registry.Issuance, inv *registry.Investor) []registry.Reason {
	return ApprovalRefusals(iss, inv)
}

// ApprovalRefusals are the reasons that refuse putting inv on iss's whitelist:
// the investor's seller must lead or handle the issuance, or every transfer to
// the investor would fail RuleInvestorAuthorised — the same rule, reported
// under the same name at approval as at transfer time.
func ApprovalRefusals(iss *registry.Issuance, inv *registry.Investor) []registry.Reason {
	if iss.HandledBy(inv.SellerID) {
		return nil
	}
	return []registry.Reason{{Code: registry.CodeSellerNotAuthorisedForIssuance, Rule: RuleInvestorAuthorised,
		Message: "the investor's seller does not lead or handle this issuance"}}
}

// Decide evaluates a look-up (from empty, amount nil) or a transfer check
// (from empty for a mint) on the facts and redacts the answer for p.
func Decide(p *registry.Principal, f *registry.Facts, from, to string, amount *big.Int, at time.Time) registry.Decision {
	req := NewRequest(f, from, to, amount, at)
	return Redact(p, Evaluate(req), f.Parties[from], f.Parties[to])
}

// NewRequest builds the engine's request from the facts: the receiver with its
// holdings (the mirrored register once the issuance has a token, else approval
// order), and the sender with its mirrored balance when from is set.
func NewRequest(f *registry.Facts, from, to string, amount *big.Int, at time.Time) Request {
	req := Request{Issuance: f.Issuance, LeadSeller: f.Lead, To: partyOf(to, f.Parties[to]), At: at, Amount: amount}
	var investorID int64
	if req.To.Investor != nil {
		investorID = req.To.Investor.ID
	}
	if h := f.Holdings; h != nil {
		// The mirrored register: holders are investors with a balance (and
		// wallets the registry does not know), the receiver counted apart.
		bal := h.Wallets[to]
		if investorID != 0 {
			bal = h.Investors[investorID]
		}
		if bal == nil {
			bal = new(big.Int)
		}
		req.Holdings.ReceiverBalance = bal
		req.Holdings.ReceiverHolds = bal.Sign() > 0
		req.Holdings.Holders = h.Holders
		if req.Holdings.ReceiverHolds {
			req.Holdings.Holders--
		}
	} else {
		req.Holdings.Holders = holdersBefore(f.Ranked, investorID, at)
	}
	if from == "" && amount != nil {
		req.Supply = MintSupply(f.Holdings)
	}
	if from != "" {
		sender := partyOf(from, f.Parties[from])
		req.From = &sender
		req.Holdings.SenderBalance = senderBalance(f.Holdings, from)
		if b := req.Holdings.SenderBalance; b != nil && f.SenderLocked != nil && f.SenderLocked.Sign() > 0 {
			free := new(big.Int).Sub(b, f.SenderLocked)
			if free.Sign() < 0 {
				free.SetInt64(0)
			}
			req.Holdings.SenderBalance = free
		}
		req.Approval = f.Approval
	}
	return req
}

// MintSupply is the token's total supply in the mirrored register (the sum of
// its wallets), or nil without a mirror.
func MintSupply(h *registry.MirrorHoldings) *big.Int {
	if h == nil {
		return nil
	}
	sum := new(big.Int)
	for _, b := range h.Wallets {
		sum.Add(sum, b)
	}
	return sum
}

// partyOf is one side of a transfer as the facts know it.
func partyOf(addr string, pf *registry.PartyFacts) Party {
	p := Party{Address: addr}
	if pf == nil || pf.Wallet == nil {
		return p
	}
	p.Wallet, p.Investor, p.Seller, p.Entry = pf.Wallet, pf.Investor, pf.Seller, pf.Entry
	return p
}

// senderBalance is the sender wallet's mirrored balance, or nil without a mirror.
func senderBalance(h *registry.MirrorHoldings, from string) *big.Int {
	if h == nil {
		return nil
	}
	if b := h.Wallets[from]; b != nil {
		return b
	}
	return new(big.Int)
}

// holdersBefore counts investors holding a place before investorID: those with an
// approved, unexpired entry approved earlier. Until the transfer mirror supplies
// real holdings, approval order is the register: the first MaxHolders approved
// investors may acquire, later ones are refused with MAX_HOLDERS_REACHED.
func holdersBefore(ranked []registry.RankedHolder, investorID int64, at time.Time) int {
	n := 0
	for _, e := range ranked {
		if e.InvestorID == investorID {
			return n
		}
		if e.ValidUntil == nil || !at.After(*e.ValidUntil) {
			n++
		}
	}
	return n
}

// Redact replaces the engine's specific messages (which name investors, sellers
// and freeze reasons) with each code's generic text unless the caller is the
// operator or the seller that onboarded every investor involved: codes are the
// product's public answer, the particulars are the tenant's data.
func Redact(p *registry.Principal, d registry.Decision, parties ...*registry.PartyFacts) registry.Decision {
	if p.Role == registry.RoleOperator || len(d.Reasons) == 0 {
		return d
	}
	own := p.Role == registry.RoleSeller
	for _, pf := range parties {
		if pf != nil && pf.Investor != nil && !registry.ActsForSeller(p, pf.Investor.SellerID) {
			own = false
		}
	}
	if own {
		return d
	}
	reasons := make([]registry.Reason, len(d.Reasons))
	for i, r := range d.Reasons {
		info, _ := r.Code.Info()
		reasons[i] = registry.Reason{Code: r.Code, Rule: r.Rule, Message: info.Message}
	}
	d.Reasons = reasons
	return d
}

// receiverOnly evaluates the receiver's eligibility alone: no holdings, no
// sender, no amount — what the chain keeps per wallet.
func receiverOnly(f *registry.Facts, wallet string, at time.Time) (Party, registry.Decision) {
	to := partyOf(wallet, f.Parties[wallet])
	return to, Evaluate(Request{Issuance: f.Issuance, LeadSeller: f.Lead, To: to, At: at})
}

// WalletRecord derives the wallet's on-chain record from the facts: the engine
// decides, and its reasons sort into three kinds. Reasons the chain enforces
// itself with the same code (country rule, token freeze, pause, lock-up, its
// own holder cap) and issuance-level ones keep the record. Expiries travel as
// valid-until, so they need no transaction when they pass. Any other reason
// (unknown wallet, no approval, KYC missing, screening, seller, missing
// category) removes the record.
func WalletRecord(f *registry.Facts, wallet string, at time.Time) registry.WalletRecord {
	rec := registry.WalletRecord{Wallet: wallet}
	party, d := receiverOnly(f, wallet, at)
	if party.Investor == nil {
		return rec
	}
	rec.FreezeKnown = true
	for _, r := range d.Reasons {
		switch r.Code {
		case registry.CodeWhitelistExpired, registry.CodeKYCExpired, registry.CodeCategoryExpired,
			registry.CodeCountryRestricted, registry.CodeAccountFrozen, registry.CodeTokenPaused,
			registry.CodeLockupActive, registry.CodeIssuanceNotActive, registry.CodeMaxHoldersReached,
			registry.CodeAmountBelowMin, registry.CodeAmountAboveMax:
		default:
			rec.Frozen = party.Investor.Frozen || party.Wallet.Frozen
			return rec
		}
	}
	inv := party.Investor
	rec.InvestorID = uint64(inv.ID)
	rec.Country = inv.ResidenceCountry
	rec.Frozen = inv.Frozen || party.Wallet.Frozen
	rec.ValidUntil = registry.NoExpiry
	earliest := func(t *time.Time) {
		if t != nil && t.Unix() >= 0 && uint64(t.Unix()) < rec.ValidUntil {
			rec.ValidUntil = uint64(t.Unix())
		}
	}
	earliest(party.Entry.ValidUntil)
	earliest(inv.KYCReviewDue)
	var required []registry.Category
	switch f.Issuance.OfferingType {
	case registry.OfferingQIIPrivate:
		required = []registry.Category{registry.CategoryQII}
	case registry.OfferingSpecifiedInvestorPrivate:
		required = []registry.Category{registry.CategorySpecifiedInvestor, registry.CategoryQII}
	}
	var categoryEnd *time.Time
	for _, g := range inv.Categories {
		switch g.Category {
		case registry.CategoryGeneral:
			rec.Categories |= registry.FlagGeneral
		case registry.CategoryQII:
			rec.Categories |= registry.FlagQII
		case registry.CategorySpecifiedInvestor:
			rec.Categories |= registry.FlagSpecifiedInvestor
		}
		for _, c := range required {
			if g.Category == c && !g.ValidFrom.After(at) && (categoryEnd == nil || g.ValidTo.After(*categoryEnd)) {
				end := g.ValidTo
				categoryEnd = &end
			}
		}
	}
	// A grant that continues the current one (a renewal dated in advance)
	// extends the window, so the record does not lapse at the seam.
	for extended := categoryEnd != nil; extended; {
		extended = false
		for _, g := range inv.Categories {
			for _, c := range required {
				if g.Category == c && !g.ValidFrom.After(categoryEnd.Add(time.Second)) && g.ValidTo.After(*categoryEnd) {
					end := g.ValidTo
					categoryEnd, extended = &end, true
				}
			}
		}
	}
	earliest(categoryEnd)
	return rec
}

// AlertCodes are the reasons a mirrored transfer into wallet should not have
// happened: the receiver-eligibility reasons the token enforces through the
// registry and freezes. Issuance-level states (pause, lock-up, status) and
// holdings are the token's own business and raise no alert. A burn (a
// transfer to the zero address) is exempt.
func AlertCodes(f *registry.Facts, wallet string, at time.Time) []registry.ReasonCode {
	if wallet == burnAddress {
		return nil
	}
	_, d := receiverOnly(f, wallet, at)
	var codes []registry.ReasonCode
	for _, r := range d.Reasons {
		switch r.Code {
		case registry.CodeTokenPaused, registry.CodeLockupActive, registry.CodeIssuanceNotActive,
			registry.CodeMaxHoldersReached, registry.CodeAmountBelowMin, registry.CodeAmountAboveMax,
			registry.CodeInsufficientBalance, registry.CodePartialTransferNotAllowed:
		default:
			codes = append(codes, r.Code)
		}
	}
	return codes
}

// burnAddress receives a burn; it is exempt explicitly, not by whitelisting it.
const burnAddress = "0x0000000000000000000000000000000000000000"

// refusesForcedTransfer reports whether a rule refuses a forced transfer:
// the receiver's investor must be eligible to hold the token. The token
// bypasses pause, freezes and lock-up for a forced transfer and checks the
// sender's balance itself, so issuance state, lead-seller, sender, freeze,
// balance and lock-up reasons do not refuse it.
func refusesForcedTransfer(rule string) bool {
	switch rule {
	case RuleReceiverWallet, // WALLET_UNKNOWN
		RuleInvestorSeller, RuleInvestorAuthorised, RuleInvestorLicence, // the receiver's onboarding seller
		RuleWhitelistApproved, RuleWhitelistExpiry,
		RuleKYCStatus, RuleKYCExpiry,
		RuleSanctions, RuleAntisocial, RuleScreeningMissing,
		RuleCategory, RuleCountry,
		RuleMaxHolders,                 // the token enforces its (wallet) cap too
		RuleMinHolding, RuleMaxHolding: // the receiver's resulting holding
		return true
	}
	return false
}

// Refusals returns the reasons of d that refuse a token operation of kind:
// for a mint every reason but TOKEN_PAUSED (a primary allocation works while
// the token is paused); for a forced transfer the receiver's eligibility
// (refusesForcedTransfer); for the others none — a redemption is explicitly
// exempt from receiver eligibility, and freeze and pause restrict rather than
// move.
func Refusals(kind registry.OperationKind, d registry.Decision) []registry.Reason {
	var out []registry.Reason
	for _, r := range d.Reasons {
		switch kind {
		case registry.OpMint:
			if r.Rule != RuleIssuancePaused {
				out = append(out, r)
			}
		case registry.OpForcedTransfer:
			if refusesForcedTransfer(r.Rule) {
				out = append(out, r)
			}
		}
	}
	return out
}
