package registry

import (
	"math/big"
	"time"
)

// Facts is what the registry knows, at one moment, about an issuance and the
// addresses a decision concerns. The store loads it (from one snapshot, or its
// cache) and decides nothing; the compliance rules (registry/eligibility)
// decide from it alone, so every rule is testable without a database.
type Facts struct {
	*IssuanceFacts
	// Parties are the addresses asked about (lower-case 0x hex), each with what
	// the registry knows of it; an address the registry does not know has an
	// empty PartyFacts.
	Parties map[string]*PartyFacts
	// Approval is loaded for a transfer check (never cached): whether the
	// issuance requires transfer approval and this transfer has one. Nil:
	// not a transfer, or no approval required.
	Approval *ApprovalFact
	// SenderLocked is the sum of the sender's active holder locks (loaded
	// for a transfer check on a deployed issuance, never cached): the token
	// keeps that much frozen, so it is not part of the free balance.
	SenderLocked *big.Int
}

// IssuanceFacts are the facts every decision on one issuance shares.
type IssuanceFacts struct {
	Issuance *Issuance
	Lead     *Seller // the lead seller
	// Ranked lists the investors with an approved entry in approval order: the
	// holder register's stand-in while the issuance has no mirrored token. It
	// is loaded only when a holder cap applies.
	Ranked []RankedHolder
	// Holdings is the mirrored register once the issuance has a token.
	Holdings *MirrorHoldings
}

// RankedHolder is one approved whitelist entry in approval order.
type RankedHolder struct {
	InvestorID int64
	ValidUntil *time.Time
}

// MirrorHoldings is the transfer mirror's register, by wallet and by investor.
type MirrorHoldings struct {
	Wallets   map[string]*big.Int
	Investors map[int64]*big.Int
	Holders   int // distinct holders: investors, plus wallets the registry does not know
}

// PartyFacts is what the registry knows of one address for one issuance; a nil
// Wallet means the address belongs to no investor.
type PartyFacts struct {
	Wallet   *Wallet
	Investor *Investor
	Seller   *Seller         // the investor's onboarding seller
	Entry    *WhitelistEntry // the investor's entry for the issuance, nil if none
}

// Compliance decides from loaded facts. The store is handed one at
// construction, so that it loads facts and records decisions but makes none;
// registry/eligibility implements it.
type Compliance interface {
	// Decide answers an eligibility look-up (from empty) or a transfer check
	// (amount nil for a look-up, from empty for a mint), redacted for p.
	Decide(p *Principal, f *Facts, from, to string, amount *big.Int, at time.Time) Decision
	// WalletRecord is the on-chain record the wallet should have.
	WalletRecord(f *Facts, wallet string, at time.Time) WalletRecord
	// AlertCodes are the reasons a mirrored transfer into the wallet should
	// not have happened; none raises no alert.
	AlertCodes(f *Facts, to string, at time.Time) []ReasonCode
	// ProductRefusals are the product-policy reasons that refuse registering
	// an issuance of product p.
	ProductRefusals(p Product, at time.Time) []Reason
	// ApprovalRefusals are the reasons that refuse putting inv on iss's
	// whitelist.
	ApprovalRefusals(iss *Issuance, inv *Investor) []Reason
}
