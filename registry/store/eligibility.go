package store

import (
	"context"
	"math/big"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// MaxBatchAddresses bounds one batch eligibility request.
const MaxBatchAddresses = 1000

// Eligibility answers, for each address, whether it may receive the issuance's
// token at the given time. The facts come from one consistent snapshot of the
// registry, cached until a write to their scope commits; the rules decide.
func (s *Registry) Eligibility(ctx context.Context, issuanceID int64, addresses []string, at time.Time) ([]registry.EligibilityResult, error) {
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
	f, err := s.eligibilityFacts(ctx, issuanceID, norm)
	if err != nil {
		return nil, err
	}
	at = at.UTC().Truncate(time.Second)
	p := registry.PrincipalFrom(ctx)
	out := make([]registry.EligibilityResult, len(norm))
	for i, addr := range norm {
		d := s.rules.Decide(p, f, "", addr, nil, at)
		out[i] = registry.EligibilityResult{Address: addr, Decision: d, At: at}
	}
	return out, nil
}

// CheckTransfer answers whether a transfer of Amount from From to To may
// happen; an empty From checks a mint (an allocation to To). The rules decide.
func (s *Registry) CheckTransfer(ctx context.Context, issuanceID int64, c registry.TransferCheck, at time.Time) (*registry.EligibilityResult, error) {
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
	f, err := s.eligibilityFacts(ctx, issuanceID, addrs)
	if err != nil {
		return nil, err
	}
	at = at.UTC().Truncate(time.Second)
	if from != "" && (f.Issuance.ApprovalRequired || f.Holdings != nil) {
		// Approvals are per transfer and read now; the sender's frozen locks
		// come from their own cache (senderLocked). Both go into a copy of the
		// (shared) facts.
		per := *f
		if f.Issuance.ApprovalRequired {
			fact, err := s.approvalAt(ctx, issuanceID, from, to, c.Amount, at)
			if err != nil {
				return nil, err
			}
			per.Approval = &fact
		}
		if f.Holdings != nil {
			if per.SenderLocked, err = s.senderLocked(ctx, issuanceID, from); err != nil {
				return nil, err
			}
		}
		f = &per
	}
	d := s.rules.Decide(registry.PrincipalFrom(ctx), f, from, to, c.Amount, at)
	return &registry.EligibilityResult{Address: to, Decision: d, At: at}, nil
}

// eligibilityFacts returns the facts of the issuance and the addresses, from
// the cache when it holds them at or above the generations read for this
// request, else from one snapshot (reusing what the cache holds for exactly
// that snapshot's registry state, so a mirrored batch costs a holdings read,
// not a reload of every party).
func (s *DB) eligibilityFacts(ctx context.Context, issuanceID int64, addrs []string) (*registry.Facts, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	gens, err := s.requestGenerations(ctx, p)
	if err != nil {
		return nil, err
	}
	at := gens.stamp(issuanceID)
	iss, parties, missing := s.cache.lookup(at, issuanceID, addrs)
	if iss == nil || len(missing) > 0 {
		// One load per issuance at a time: callers that missed together (say,
		// right after a mirrored batch) mostly find the first one's result.
		mu, _ := s.loading.LoadOrStore(issuanceID, new(sync.Mutex))
		mu.(*sync.Mutex).Lock()
		defer mu.(*sync.Mutex).Unlock()
		iss, parties, missing = s.cache.lookup(at, issuanceID, addrs)
	}
	if iss == nil || len(missing) > 0 {
		err := s.issuanceSnapshot(ctx, issuanceID, func(db *gorm.DB, snap stamp) error {
			var err error
			if iss, parties, missing, err = s.loadFactsAt(db, snap, issuanceID, addrs); err != nil {
				return err
			}
			if iss == nil {
				if iss, err = s.loadIssuanceFacts(db, issuanceID); err != nil {
					return err
				}
				s.factLoads.Add(1)
			}
			if len(missing) > 0 {
				more, err := s.loadParties(db, issuanceID, missing)
				if err != nil {
					return err
				}
				for a, pf := range more {
					parties[a] = pf
				}
			}
			s.cache.store(snap, iss, parties)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if !registry.CanRead(p, iss.Issuance) {
		return nil, registry.Errorf(registry.ENOTFOUND, "issuance %d not found", issuanceID)
	}
	return &registry.Facts{IssuanceFacts: iss, Parties: parties}, nil
}

// loadFactsAt returns what the cache holds for exactly the registry state of
// snap, with the holdings read again with db when only the mirror moved; a nil
// issuance when the cache holds nothing for that state. missing lists the
// addresses still to load.
func (s *DB) loadFactsAt(db *gorm.DB, snap stamp, issuanceID int64, addrs []string) (*registry.IssuanceFacts, map[string]*registry.PartyFacts, []string, error) {
	base, was, parties := s.cache.sameState(snap, issuanceID, addrs)
	if base == nil {
		return nil, map[string]*registry.PartyFacts{}, addrs, nil
	}
	var missing []string
	for _, a := range addrs {
		if _, ok := parties[a]; !ok {
			missing = append(missing, a)
		}
	}
	if was.mirror == snap.mirror || base.Issuance.TokenAddress == "" {
		return base, parties, missing, nil
	}
	h, err := s.loadHoldings(db, base.Issuance)
	if err != nil {
		return nil, nil, nil, err
	}
	s.holdingLoads.Add(1)
	next := *base
	next.Holdings = h
	return &next, parties, missing, nil
}

// factsInTx returns the facts of the issuance and the addresses as tx, a
// mirror write, sees them. The registry part comes from the cache when it
// holds exactly tx's registry state (a mirrored batch changes only holdings),
// else from tx, and is cached then; the holdings are read in tx and never
// cached from here: they may not be committed yet. On PostgreSQL tx holds the
// issuance's generation row FOR SHARE (and writeMirror the shared one), so no
// registry write commits while it reads. at is the stamp of the facts once tx
// commits.
func (s *DB) factsInTx(tx *gorm.DB, issuanceID int64, addrs []string) (f *registry.Facts, at stamp, err error) {
	if s.dialect == Postgres {
		if err := tx.Exec(`SELECT gen FROM issuance_generation WHERE issuance_id = ? FOR SHARE`, issuanceID).Error; err != nil {
			return nil, at, err
		}
	}
	if at.shared, err = generation(tx); err != nil {
		return nil, at, err
	}
	if err := tx.Raw(issuanceGenerationsSQL, issuanceID, issuanceID).Row().Scan(&at.issuance, &at.mirror); err != nil {
		return nil, at, err
	}
	base, _, parties := s.cache.sameState(at, issuanceID, addrs)
	if base == nil {
		f, err := s.loadFacts(tx, issuanceID, addrs)
		if err != nil {
			return nil, at, err
		}
		// Cached without holdings, at a mirror generation below any: a look-up
		// reads the holdings again before serving it.
		reg := *f.IssuanceFacts
		reg.Holdings = nil
		s.cache.store(stamp{shared: at.shared, issuance: at.issuance, mirror: -1}, &reg, f.Parties)
		return f, at, nil
	}
	iss := *base
	if base.Issuance.TokenAddress != "" {
		if iss.Holdings, err = s.loadHoldings(tx, base.Issuance); err != nil {
			return nil, at, err
		}
	}
	var missing []string
	for _, a := range addrs {
		if _, ok := parties[a]; !ok {
			missing = append(missing, a)
		}
	}
	if len(missing) > 0 {
		more, err := s.loadParties(tx, issuanceID, missing)
		if err != nil {
			return nil, at, err
		}
		for a, pf := range more {
			parties[a] = pf
		}
	}
	return &registry.Facts{IssuanceFacts: &iss, Parties: parties}, at, nil
}

// txFacts are facts read in a write transaction, to cache once it commits.
type txFacts struct {
	at    stamp
	facts *registry.Facts
}

// cacheCommitted caches facts read in a transaction that has committed.
func (s *DB) cacheCommitted(t *txFacts) {
	if t != nil {
		s.cache.store(t.at, t.facts.IssuanceFacts, t.facts.Parties)
	}
}

// loadFacts reads the facts of the issuance and the addresses with db.
func (s *DB) loadFacts(db *gorm.DB, issuanceID int64, addrs []string) (*registry.Facts, error) {
	iss, err := s.loadIssuanceFacts(db, issuanceID)
	if err != nil {
		return nil, err
	}
	parties, err := s.loadParties(db, issuanceID, addrs)
	if err != nil {
		return nil, err
	}
	return &registry.Facts{IssuanceFacts: iss, Parties: parties}, nil
}

func (s *DB) loadIssuanceFacts(db *gorm.DB, issuanceID int64) (*registry.IssuanceFacts, error) {
	iss, err := s.visibleIssuance(db, &registry.Principal{Role: registry.RoleOperator}, issuanceID)
	if err != nil {
		return nil, err
	}
	snap := &registry.IssuanceFacts{Issuance: iss}
	var lead sellerRow
	if err := db.Where("id = ?", iss.LeadSellerID).Take(&lead).Error; err != nil {
		return nil, s.translate(err)
	}
	snap.Lead = lead.domain()
	if iss.TokenAddress != "" {
		h, err := s.loadHoldings(db, iss)
		if err != nil {
			return nil, err
		}
		snap.Holdings = h
		return snap, nil
	}
	if iss.HolderCap() > 0 {
		var rows []whitelistRow
		if err := db.Select("investor_id, valid_until, approved_at").
			Where("issuance_id = ? AND status = ?", issuanceID, string(registry.WhitelistApproved)).
			Order("approved_at, investor_id").Find(&rows).Error; err != nil {
			return nil, s.translate(err)
		}
		snap.Ranked = make([]registry.RankedHolder, len(rows))
		for i := range rows {
			snap.Ranked[i] = registry.RankedHolder{InvestorID: rows[i].InvestorID, ValidUntil: rows[i].ValidUntil}
		}
	}
	return snap, nil
}

// loadParties reads wallets, their investors (with categories and wallets), the
// investors' sellers and their whitelist entries, a query per table.
func (s *DB) loadParties(db *gorm.DB, issuanceID int64, addrs []string) (map[string]*registry.PartyFacts, error) {
	out := make(map[string]*registry.PartyFacts, len(addrs))
	for _, a := range addrs {
		out[a] = &registry.PartyFacts{}
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
		ps := &registry.PartyFacts{Wallet: w, Investor: investors[w.InvestorID], Entry: entries[w.InvestorID]}
		if ps.Investor != nil {
			ps.Seller = sellers[ps.Investor.SellerID]
		}
		out[w.Address] = ps
	}
	return out, nil
}

// loadHoldings reads the mirrored balances of an issuance's token with the
// registry's wallet-to-investor mapping.
func (s *DB) loadHoldings(db *gorm.DB, iss *registry.Issuance) (*registry.MirrorHoldings, error) {
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
	h := &registry.MirrorHoldings{Wallets: map[string]*big.Int{}, Investors: map[int64]*big.Int{}}
	for _, r := range rows {
		bal := amountValue(&r.Balance)
		if bal == nil || bal.Sign() <= 0 {
			continue
		}
		h.Wallets[r.Wallet] = bal
		if r.InvestorID == nil {
			h.Holders++
			continue
		}
		if cur, ok := h.Investors[*r.InvestorID]; ok {
			cur.Add(cur, bal)
		} else {
			h.Investors[*r.InvestorID] = new(big.Int).Set(bal)
			h.Holders++
		}
	}
	return h, nil
}

// senderLocked returns the sum of a wallet's frozen holder locks on the
// issuance (nil: none), from the cache while the request's generations show
// no lock moved since the sums were read, else from one snapshot, cached then.
func (s *DB) senderLocked(ctx context.Context, issuanceID int64, wallet string) (*big.Int, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	gens, err := s.requestGenerations(ctx, p)
	if err != nil {
		return nil, err
	}
	if v, ok := s.cache.lockedOf(gens.stamp(issuanceID), issuanceID, wallet); ok {
		return v, nil
	}
	var out *big.Int
	err = s.issuanceSnapshot(ctx, issuanceID, func(db *gorm.DB, snap stamp) error {
		var rows []holderLockRow
		if err := db.Where("issuance_id = ? AND status IN ?", issuanceID, frozenLockStatuses).Find(&rows).Error; err != nil {
			return err
		}
		sums := map[string]*big.Int{}
		for i := range rows {
			v := amountValue(&rows[i].Amount)
			if v == nil {
				continue
			}
			if sums[rows[i].Wallet] == nil {
				sums[rows[i].Wallet] = new(big.Int)
			}
			sums[rows[i].Wallet].Add(sums[rows[i].Wallet], v)
		}
		s.cache.storeLocks(snap, issuanceID, sums)
		out = sums[wallet]
		return nil
	})
	return out, err
}
