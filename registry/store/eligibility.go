package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/eligibility"
)

// MaxBatchAddresses bounds one batch eligibility request.
const MaxBatchAddresses = 1000

// Eligibility decides, for each address, whether it may receive the issuance's
// token at the given time. All reads come from one snapshot of the database.
func (s *Store) Eligibility(ctx context.Context, issuanceID int64, addresses []string, at time.Time) ([]registry.EligibilityResult, error) {
	if len(addresses) == 0 || len(addresses) > MaxBatchAddresses {
		return nil, registry.Errorf(registry.EINVALID, "between 1 and %d addresses", MaxBatchAddresses)
	}
	norm := make([]string, len(addresses))
	for i, a := range addresses {
		n, err := registry.NormalizeAddress("address", a)
		if err != nil {
			return nil, err
		}
		norm[i] = n
	}
	at = at.UTC().Truncate(time.Second)
	var out []registry.EligibilityResult
	err := s.snapshot(ctx, func(db *gorm.DB) error {
		snap, err := s.loadSnapshot(ctx, db, issuanceID, norm)
		if err != nil {
			return err
		}
		out = make([]registry.EligibilityResult, len(norm))
		for i, addr := range norm {
			req := snap.request(addr, at)
			out[i] = registry.EligibilityResult{Address: addr, Decision: eligibility.Evaluate(req), At: at}
		}
		return nil
	})
	return out, err
}

// CheckTransfer decides whether a transfer of Amount from From to To may happen.
func (s *Store) CheckTransfer(ctx context.Context, issuanceID int64, c registry.TransferCheck, at time.Time) (*registry.EligibilityResult, error) {
	from, err := registry.NormalizeAddress("from", c.From)
	if err != nil {
		return nil, err
	}
	to, err := registry.NormalizeAddress("to", c.To)
	if err != nil {
		return nil, err
	}
	if c.Amount == nil || c.Amount.Sign() <= 0 {
		return nil, registry.Errorf(registry.EINVALID, "amount must be a positive integer")
	}
	at = at.UTC().Truncate(time.Second)
	var out *registry.EligibilityResult
	err = s.snapshot(ctx, func(db *gorm.DB) error {
		snap, err := s.loadSnapshot(ctx, db, issuanceID, []string{from, to})
		if err != nil {
			return err
		}
		req := snap.request(to, at)
		sender := snap.party(from)
		req.From = &sender
		req.Amount = c.Amount
		out = &registry.EligibilityResult{Address: to, Decision: eligibility.Evaluate(req), At: at}
		return nil
	})
	return out, err
}

// snapshot runs fn in a read-only transaction so every read sees one state.
func (s *Store) snapshot(ctx context.Context, fn func(db *gorm.DB) error) error {
	err := s.read(ctx).Transaction(fn)
	return s.translate(err)
}

// eligibilitySnapshot holds the registry facts one or more decisions need.
type eligibilitySnapshot struct {
	issuance  *registry.Issuance
	lead      *registry.Seller
	wallets   map[string]*registry.Wallet
	investors map[int64]*registry.Investor
	sellers   map[int64]*registry.Seller
	entries   map[int64]*registry.WhitelistEntry
	// ranked lists the investors with an approved entry in approval order; it is
	// the holder register's stand-in until the transfer mirror supplies holdings.
	ranked []rankedEntry
}

type rankedEntry struct {
	investorID int64
	validUntil *time.Time
}

func (s *Store) loadSnapshot(ctx context.Context, db *gorm.DB, issuanceID int64, addresses []string) (*eligibilitySnapshot, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	iss, err := s.visibleIssuance(db, p, issuanceID)
	if err != nil {
		return nil, err
	}
	snap := &eligibilitySnapshot{
		issuance: iss, wallets: map[string]*registry.Wallet{}, investors: map[int64]*registry.Investor{},
		sellers: map[int64]*registry.Seller{}, entries: map[int64]*registry.WhitelistEntry{},
	}
	var walletRows []walletRow
	if err := db.Where("address IN ?", addresses).Find(&walletRows).Error; err != nil {
		return nil, s.translate(err)
	}
	sellerIDs := []int64{iss.LeadSellerID}
	if len(walletRows) > 0 {
		investorIDs := make([]int64, 0, len(walletRows))
		for i := range walletRows {
			snap.wallets[walletRows[i].Address] = walletRows[i].domain()
			investorIDs = append(investorIDs, walletRows[i].InvestorID)
		}
		var invRows []investorRow
		if err := db.Where("id IN ?", investorIDs).Find(&invRows).Error; err != nil {
			return nil, s.translate(err)
		}
		invs, err := s.loadInvestors(db, invRows)
		if err != nil {
			return nil, err
		}
		for _, inv := range invs {
			snap.investors[inv.ID] = inv
			sellerIDs = append(sellerIDs, inv.SellerID)
		}
		var entryRows []whitelistRow
		if err := db.Where("issuance_id = ? AND investor_id IN ?", issuanceID, investorIDs).Find(&entryRows).Error; err != nil {
			return nil, s.translate(err)
		}
		for i := range entryRows {
			snap.entries[entryRows[i].InvestorID] = entryRows[i].domain()
		}
	}
	var sellerRows []sellerRow
	if err := db.Where("id IN ?", sellerIDs).Find(&sellerRows).Error; err != nil {
		return nil, s.translate(err)
	}
	for i := range sellerRows {
		snap.sellers[sellerRows[i].ID] = sellerRows[i].domain()
	}
	snap.lead = snap.sellers[iss.LeadSellerID]
	if holderCap(iss) > 0 {
		var rows []whitelistRow
		if err := db.Select("investor_id, valid_until, approved_at").
			Where("issuance_id = ? AND status = ?", issuanceID, string(registry.WhitelistApproved)).
			Order("approved_at, investor_id").Find(&rows).Error; err != nil {
			return nil, s.translate(err)
		}
		snap.ranked = make([]rankedEntry, len(rows))
		for i := range rows {
			snap.ranked[i] = rankedEntry{investorID: rows[i].InvestorID, validUntil: rows[i].ValidUntil}
		}
	}
	return snap, nil
}

func holderCap(iss *registry.Issuance) int {
	if iss.MaxHolders == 0 && iss.OfferingType == registry.OfferingSmallNumberPrivate {
		return registry.DefaultSmallNumberMaxHolders
	}
	return iss.MaxHolders
}

func (snap *eligibilitySnapshot) party(addr string) eligibility.Party {
	party := eligibility.Party{Address: addr}
	w, ok := snap.wallets[addr]
	if !ok {
		return party
	}
	party.Wallet = w
	party.Investor = snap.investors[w.InvestorID]
	if party.Investor != nil {
		party.Seller = snap.sellers[party.Investor.SellerID]
	}
	party.Entry = snap.entries[w.InvestorID]
	return party
}

func (snap *eligibilitySnapshot) request(to string, at time.Time) eligibility.Request {
	req := eligibility.Request{Issuance: snap.issuance, LeadSeller: snap.lead, To: snap.party(to), At: at}
	if req.To.Investor != nil {
		req.Holdings.Holders = snap.holdersBefore(req.To.Investor.ID, at)
	} else {
		req.Holdings.Holders = snap.holdersBefore(0, at)
	}
	return req
}

// holdersBefore counts investors holding a place before investorID: those with an
// approved, unexpired entry approved earlier. Until the transfer mirror supplies
// real holdings, approval order is the register: the first MaxHolders approved
// investors may acquire, later ones are refused with MAX_HOLDERS_REACHED.
func (snap *eligibilitySnapshot) holdersBefore(investorID int64, at time.Time) int {
	n := 0
	for _, e := range snap.ranked {
		if e.investorID == investorID {
			return n
		}
		if e.validUntil == nil || !at.After(*e.validUntil) {
			n++
		}
	}
	return n
}
