package store

import (
	"context"
	"math/big"
	"time"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/eligibility"
)

// MaxBatchAddresses bounds one batch eligibility request.
const MaxBatchAddresses = 1000

// Eligibility decides, for each address, whether it may receive the issuance's
// token at the given time. The facts come from one consistent snapshot of the
// registry, cached until the next committed write.
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
	iss, parties, err := s.eligibilityInputs(ctx, issuanceID, norm)
	if err != nil {
		return nil, err
	}
	at = at.UTC().Truncate(time.Second)
	p := registry.PrincipalFrom(ctx)
	out := make([]registry.EligibilityResult, len(norm))
	for i, addr := range norm {
		req := iss.request(addr, parties[addr], at)
		d := redact(p, eligibility.Evaluate(req), parties[addr])
		out[i] = registry.EligibilityResult{Address: addr, Decision: d, At: at}
	}
	return out, nil
}

// CheckTransfer decides whether a transfer of Amount from From to To may
// happen; an empty From checks a mint (an allocation to To).
func (s *Store) CheckTransfer(ctx context.Context, issuanceID int64, c registry.TransferCheck, at time.Time) (*registry.EligibilityResult, error) {
	var from string
	var err error
	if c.From != "" {
		if from, err = registry.NormalizeAddress("from", c.From); err != nil {
			return nil, err
		}
	}
	to, err := registry.NormalizeAddress("to", c.To)
	if err != nil {
		return nil, err
	}
	if c.Amount == nil || c.Amount.Sign() <= 0 {
		return nil, registry.Errorf(registry.EINVALID, "amount must be a positive integer")
	}
	addrs := []string{to}
	if from != "" {
		addrs = append(addrs, from)
	}
	iss, parties, err := s.eligibilityInputs(ctx, issuanceID, addrs)
	if err != nil {
		return nil, err
	}
	at = at.UTC().Truncate(time.Second)
	req := iss.request(to, parties[to], at)
	if from != "" {
		sender := parties[from].party(from)
		req.From = &sender
		req.Holdings.SenderBalance = iss.senderBalance(from)
	}
	req.Amount = c.Amount
	d := redact(registry.PrincipalFrom(ctx), eligibility.Evaluate(req), parties[from], parties[to])
	return &registry.EligibilityResult{Address: to, Decision: d, At: at}, nil
}

// redact replaces the engine's specific messages (which name investors, sellers
// and freeze reasons) with each code's generic text unless the caller is the
// operator or the seller that onboarded every investor involved: codes are the
// product's public answer, the particulars are the tenant's data.
func redact(p *registry.Principal, d registry.Decision, parties ...*partySnap) registry.Decision {
	if p.Role == registry.RoleOperator || len(d.Reasons) == 0 {
		return d
	}
	own := p.Role == registry.RoleSeller
	for _, ps := range parties {
		if ps != nil && ps.investor != nil && ps.investor.SellerID != p.SellerID {
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

// eligibilityInputs returns the issuance and the parties behind addrs, from the
// cache when it holds them for the current generation, else from one snapshot.
func (s *Store) eligibilityInputs(ctx context.Context, issuanceID int64, addrs []string) (*issuanceSnap, map[string]*partySnap, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, nil, err
	}
	gen := p.Generation
	if gen == 0 {
		if gen, err = s.currentGeneration(ctx); err != nil {
			return nil, nil, err
		}
	}
	iss, parties, missing := s.cache.lookup(gen, issuanceID, addrs)
	if iss == nil || len(missing) > 0 {
		err := s.snapshot(ctx, func(db *gorm.DB, snapGen int64) error {
			var err error
			if iss, err = s.loadIssuanceSnap(db, issuanceID); err != nil {
				return err
			}
			if parties, err = s.loadParties(db, issuanceID, addrs); err != nil {
				return err
			}
			s.cache.observe(snapGen)
			s.cache.store(snapGen, iss, parties)
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	if !registry.CanRead(p, iss.issuance) {
		return nil, nil, registry.Errorf(registry.ENOTFOUND, "issuance %d not found", issuanceID)
	}
	return iss, parties, nil
}

type rankedEntry struct {
	investorID int64
	validUntil *time.Time
}

func (s *Store) loadIssuanceSnap(db *gorm.DB, issuanceID int64) (*issuanceSnap, error) {
	iss, err := s.visibleIssuance(db, &registry.Principal{Role: registry.RoleOperator}, issuanceID)
	if err != nil {
		return nil, err
	}
	snap := &issuanceSnap{issuance: iss}
	var lead sellerRow
	if err := db.Where("id = ?", iss.LeadSellerID).Take(&lead).Error; err != nil {
		return nil, s.translate(err)
	}
	snap.lead = lead.domain()
	if iss.TokenAddress != "" {
		h, err := s.loadHoldings(db, iss)
		if err != nil {
			return nil, err
		}
		snap.holdings = h
		return snap, nil
	}
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

// loadParties reads wallets, their investors (with categories and wallets), the
// investors' sellers and their whitelist entries, a query per table.
func (s *Store) loadParties(db *gorm.DB, issuanceID int64, addrs []string) (map[string]*partySnap, error) {
	out := make(map[string]*partySnap, len(addrs))
	for _, a := range addrs {
		out[a] = &partySnap{}
	}
	var walletRows []walletRow
	if err := db.Where("address IN ?", addrs).Find(&walletRows).Error; err != nil {
		return nil, s.translate(err)
	}
	if len(walletRows) == 0 {
		return out, nil
	}
	investorIDs := make([]int64, 0, len(walletRows))
	for i := range walletRows {
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
	investors := make(map[int64]*registry.Investor, len(invs))
	sellerIDs := make([]int64, 0, len(invs))
	for _, inv := range invs {
		investors[inv.ID] = inv
		sellerIDs = append(sellerIDs, inv.SellerID)
	}
	var sellerRows []sellerRow
	if err := db.Where("id IN ?", sellerIDs).Find(&sellerRows).Error; err != nil {
		return nil, s.translate(err)
	}
	sellers := make(map[int64]*registry.Seller, len(sellerRows))
	for i := range sellerRows {
		sellers[sellerRows[i].ID] = sellerRows[i].domain()
	}
	var entryRows []whitelistRow
	if err := db.Where("issuance_id = ? AND investor_id IN ?", issuanceID, investorIDs).Find(&entryRows).Error; err != nil {
		return nil, s.translate(err)
	}
	entries := make(map[int64]*registry.WhitelistEntry, len(entryRows))
	for i := range entryRows {
		entries[entryRows[i].InvestorID] = entryRows[i].domain()
	}
	for i := range walletRows {
		w := walletRows[i].domain()
		ps := &partySnap{wallet: w, investor: investors[w.InvestorID], entry: entries[w.InvestorID]}
		if ps.investor != nil {
			ps.seller = sellers[ps.investor.SellerID]
		}
		out[w.Address] = ps
	}
	return out, nil
}

// loadHoldings reads the mirrored balances of an issuance's token with the
// registry's wallet-to-investor mapping.
func (s *Store) loadHoldings(db *gorm.DB, iss *registry.Issuance) (*mirrorHoldings, error) {
	var rows []struct {
		Wallet     string
		Balance    string
		InvestorID *int64
	}
	if err := db.Raw(`SELECT b.wallet, b.balance, w.investor_id FROM mirror_balances b
LEFT JOIN wallets w ON w.address = b.wallet WHERE b.chain_id = ? AND b.token = ?`, iss.ChainID, iss.TokenAddress).
		Scan(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	h := &mirrorHoldings{wallets: map[string]*big.Int{}, investors: map[int64]*big.Int{}}
	for _, r := range rows {
		bal := amountValue(&r.Balance)
		if bal == nil || bal.Sign() <= 0 {
			continue
		}
		h.wallets[r.Wallet] = bal
		if r.InvestorID == nil {
			h.holders++
			continue
		}
		if cur, ok := h.investors[*r.InvestorID]; ok {
			cur.Add(cur, bal)
		} else {
			h.investors[*r.InvestorID] = new(big.Int).Set(bal)
			h.holders++
		}
	}
	return h, nil
}

func holderCap(iss *registry.Issuance) int {
	if iss.MaxHolders == 0 && iss.OfferingType == registry.OfferingSmallNumberPrivate {
		return registry.DefaultSmallNumberMaxHolders
	}
	return iss.MaxHolders
}

func (ps *partySnap) party(addr string) eligibility.Party {
	party := eligibility.Party{Address: addr}
	if ps == nil || ps.wallet == nil {
		return party
	}
	party.Wallet, party.Investor, party.Seller, party.Entry = ps.wallet, ps.investor, ps.seller, ps.entry
	return party
}

func (snap *issuanceSnap) request(to string, receiver *partySnap, at time.Time) eligibility.Request {
	req := eligibility.Request{Issuance: snap.issuance, LeadSeller: snap.lead, To: receiver.party(to), At: at}
	var investorID int64
	if req.To.Investor != nil {
		investorID = req.To.Investor.ID
	}
	if h := snap.holdings; h != nil {
		// The mirrored register: holders are investors with a balance (and
		// wallets the registry does not know), the receiver counted apart.
		bal := h.wallets[to]
		if investorID != 0 {
			bal = h.investors[investorID]
		}
		if bal == nil {
			bal = new(big.Int)
		}
		req.Holdings.ReceiverBalance = bal
		req.Holdings.ReceiverHolds = bal.Sign() > 0
		req.Holdings.Holders = h.holders
		if req.Holdings.ReceiverHolds {
			req.Holdings.Holders--
		}
		return req
	}
	req.Holdings.Holders = snap.holdersBefore(investorID, at)
	return req
}

// senderBalance is the sender wallet's mirrored balance, or nil without a mirror.
func (snap *issuanceSnap) senderBalance(from string) *big.Int {
	if snap.holdings == nil {
		return nil
	}
	if b := snap.holdings.wallets[from]; b != nil {
		return b
	}
	return new(big.Int)
}

// holdersBefore counts investors holding a place before investorID: those with an
// approved, unexpired entry approved earlier. Until the transfer mirror supplies
// real holdings, approval order is the register: the first MaxHolders approved
// investors may acquire, later ones are refused with MAX_HOLDERS_REACHED.
func (snap *issuanceSnap) holdersBefore(investorID int64, at time.Time) int {
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
