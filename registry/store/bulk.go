package store

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/sealing"
)

var (
	_ registry.BulkService = (*Registry)(nil)
	_ registry.BulkService = (*Records)(nil)
)

// bulkChunk bounds the ids or addresses of one IN list and the rows of one
// multi-row INSERT (SQLite allows 32,766 variables per statement; an investor
// row has 18 columns).
const bulkChunk = 900

// BulkOnboard checks every row of an upload against the registry and, in
// apply mode with no row refused, writes them all in one transaction: new
// investors with their wallets and categories, whitelist approvals, the
// whitelist sync queue and one audit record per change. A row whose customer
// reference the seller already onboarded with the same data is UNCHANGED (its
// approvals are still applied); with different data it is refused, so an
// upload never silently rewrites an investor.
//
// The registry holds no data keys: a row carrying personal data is refused
// (unavailable). Records.BulkOnboard takes such rows.
func (s *Registry) BulkOnboard(ctx context.Context, u registry.BulkUpload) (*registry.BulkResult, error) {
	return s.bulkOnboard(ctx, u, nil)
}

// BulkOnboard is the registry's bulk onboarding with personal data: a new
// investor's personal data is sealed under the records' keys and written as
// its version 1 in the upload's transaction, with its audit record (the
// fields, never the values). Re-uploading follows the rule for the other
// data: a row for an onboarded customer reference whose personal data equals
// the current version is UNCHANGED; one that differs from it, or that brings
// personal data to an investor without any, is refused (conflict) — a change
// of personal data is a new version recorded through
// PUT /v1/investors/{id}/personal-data, with its effective date. A row without
// personal data says nothing about it. Without keys, a row carrying personal
// data is refused (unavailable).
func (s *Records) BulkOnboard(ctx context.Context, u registry.BulkUpload) (*registry.BulkResult, error) {
	return NewRegistry(s.DB).bulkOnboard(ctx, u, s.keys)
}

// bulkOnboard onboards an upload; keys seals its personal data (nil: rows
// carrying personal data are refused).
func (s *Registry) bulkOnboard(ctx context.Context, u registry.BulkUpload, keys *sealing.Keyring) (*registry.BulkResult, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	if p.Role == registry.RoleSeller {
		if u.SellerID != 0 && !registry.ActsForSeller(p, u.SellerID) {
			return nil, registry.Errorf(registry.EFORBIDDEN, "a seller onboards its own customers")
		}
		u.SellerID = p.SellerID
	}
	if u.SellerID == 0 {
		return nil, registry.Errorf(registry.EINVALID, "sellerId is required")
	}
	if u.Mode != registry.BulkValidate && u.Mode != registry.BulkApply {
		return nil, registry.Errorf(registry.EINVALID, "mode must be validate or apply")
	}
	if len(u.Rows) > registry.MaxBulkRows {
		return nil, registry.Errorf(registry.ETOOLARGE, "an upload holds at most %d rows", registry.MaxBulkRows)
	}
	res := &registry.BulkResult{Mode: u.Mode}
	if u.Mode == registry.BulkValidate {
		plan, err := s.planBulk(s.read(ctx), p, u, keys)
		if err != nil {
			return nil, err
		}
		res.Results = plan.results
		res.Tally()
		return res, nil
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		plan, err := s.planBulk(tx, p, u, keys)
		if err != nil {
			return err
		}
		res.Results = plan.results
		if plan.failed {
			return nil // all or nothing: report every row, write none
		}
		if err := s.applyBulk(tx, p, u.SellerID, plan, keys); err != nil {
			return err
		}
		res.Applied = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Tally()
	return res, nil
}

// bulkPlan is what an upload would write: new investors, and approvals keyed
// by row, each with its index into results.
type bulkPlan struct {
	results   []registry.BulkRowResult
	failed    bool
	create    []*registry.Investor     // new investors, in row order
	createRow []int                    // their result index
	personal  []*registry.PersonalData // each new investor's personal data, nil if none
	approvals []plannedApproval
}

type plannedApproval struct {
	row        int // result index
	issuanceID int64
	validUntil *time.Time
	existing   *whitelistRow // the entry as stored, nil if none
}

// planBulk decides every row's outcome against db: the row on its own, then
// against the upload (a customer reference or wallet twice), then against the
// registry (stored investors, wallets of other investors, issuances and
// whitelist entries), each with one query per chunk.
func (s *Registry) planBulk(db *gorm.DB, p *registry.Principal, u registry.BulkUpload, keys *sealing.Keyring) (*bulkPlan, error) {
	sel, err := s.sellerByID(db, u.SellerID)
	if err != nil {
		return nil, registry.Errorf(registry.EINVALID, "seller %d does not exist", u.SellerID)
	}
	if sel.Status != registry.SellerActive {
		return nil, registry.Errorf(registry.EFORBIDDEN, "seller is %s and may not onboard investors", sel.Status)
	}
	plan := &bulkPlan{results: make([]registry.BulkRowResult, len(u.Rows))}
	fail := func(i int, err error) {
		r := &u.Rows[i]
		plan.results[i] = registry.RowFailure(r.Line, r.Investor.CustomerRef, err)
		plan.failed = true
	}

	// The rows on their own, and against each other.
	refLine := map[string]int{}
	walletLine := map[string]int{}
	var refs, wallets []string
	issuanceIDs := map[int64]bool{}
	for i := range u.Rows {
		r := &u.Rows[i]
		r.Investor.SellerID = u.SellerID
		plan.results[i] = registry.BulkRowResult{Line: r.Line, CustomerRef: r.Investor.CustomerRef}
		if err := registry.PrepareBulkRow(r); err != nil {
			fail(i, err)
			continue
		}
		if r.Personal != nil && keys == nil {
			fail(i, registry.Errorf(registry.EUNAVAILABLE, "the row carries personal data, which needs a data key (--data-key-file or STONODE_DATA_KEY), and this node has none"))
			continue
		}
		if l, dup := refLine[r.Investor.CustomerRef]; dup {
			fail(i, registry.Errorf(registry.EINVALID, "customerRef %q is also on line %d", r.Investor.CustomerRef, l))
			continue
		}
		refLine[r.Investor.CustomerRef] = r.Line
		refs = append(refs, r.Investor.CustomerRef)
		dupWallet := false
		for _, w := range r.Investor.Wallets {
			if l, dup := walletLine[w.Address]; dup {
				fail(i, registry.Errorf(registry.EINVALID, "wallet %s is also on line %d", w.Address, l))
				dupWallet = true
				break
			}
			walletLine[w.Address] = r.Line
			wallets = append(wallets, w.Address)
		}
		if dupWallet {
			continue
		}
		for _, a := range r.Approvals {
			issuanceIDs[a.IssuanceID] = true
		}
	}

	// What the registry holds: the seller's investors by reference, the
	// owners of the wallets, contract addresses, issuances, entries.
	stored, err := s.investorsByRef(db, u.SellerID, refs)
	if err != nil {
		return nil, err
	}
	owners, err := walletOwners(db, wallets)
	if err != nil {
		return nil, err
	}
	contracts, err := contractAddresses(db, wallets)
	if err != nil {
		return nil, err
	}
	issuances := map[int64]*registry.Issuance{}
	for id := range issuanceIDs {
		iss, err := s.visibleIssuance(db, p, id)
		if err != nil && registry.ErrorCode(err) != registry.ENOTFOUND {
			return nil, err
		}
		issuances[id] = iss // nil: not found or not visible
	}
	var storedIDs []int64
	for _, inv := range stored {
		storedIDs = append(storedIDs, inv.ID)
	}
	entries, err := entriesOf(db, storedIDs)
	if err != nil {
		return nil, err
	}
	var withPersonal []int64 // stored investors whose row carries personal data
	for i := range u.Rows {
		r := &u.Rows[i]
		if existing := stored[r.Investor.CustomerRef]; existing != nil && r.Personal != nil && plan.results[i].Outcome != registry.BulkFailed {
			withPersonal = append(withPersonal, existing.ID)
		}
	}
	currentPersonal, err := currentPersonalOf(db, keys, withPersonal)
	if err != nil {
		return nil, err
	}

	for i := range u.Rows {
		r := &u.Rows[i]
		if plan.results[i].Outcome == registry.BulkFailed {
			continue
		}
		inv := &r.Investor
		existing := stored[inv.CustomerRef]
		if existing != nil && !registry.SameOnboarding(existing, inv) {
			fail(i, registry.Errorf(registry.ECONFLICT, "customerRef %q is already onboarded by this seller with different data; change it with the investor API", inv.CustomerRef))
			continue
		}
		if existing != nil && r.Personal != nil {
			if cur := currentPersonal[existing.ID]; cur == nil || *cur != *r.Personal {
				fail(i, registry.Errorf(registry.ECONFLICT, "customerRef %q is already onboarded by this seller with other personal data; record a change with PUT /v1/investors/%d/personal-data", inv.CustomerRef, existing.ID))
				continue
			}
		}
		if existing == nil {
			bad := false
			for _, w := range inv.Wallets {
				if contracts[w.Address] {
					fail(i, registry.Errorf(registry.EINVALID, "wallet %s is an issuance's token or registry contract and can never hold a token", w.Address))
					bad = true
					break
				}
				if _, taken := owners[w.Address]; taken {
					// Say nothing about whose wallet it is: that may be another tenant's.
					fail(i, registry.Errorf(registry.ECONFLICT, "wallet %s is already registered", w.Address))
					bad = true
					break
				}
			}
			if bad {
				continue
			}
		}
		subject := inv
		if existing != nil {
			subject = existing
		}
		var planned []plannedApproval
		bad := false
		for _, a := range r.Approvals {
			iss := issuances[a.IssuanceID]
			if iss == nil {
				fail(i, registry.Errorf(registry.ENOTFOUND, "issuance %d not found", a.IssuanceID))
				bad = true
				break
			}
			if reasons := s.rules.ApprovalRefusals(iss, subject); len(reasons) > 0 {
				fail(i, &registry.Error{Code: registry.EREFUSED, Message: reasons[0].Message, Reasons: reasons})
				bad = true
				break
			}
			if iss.Status == registry.IssuanceRedeemed {
				fail(i, registry.Errorf(registry.ECONFLICT, "issuance %d is redeemed", iss.ID))
				bad = true
				break
			}
			for _, w := range subject.Wallets {
				if err := registry.CheckIssuanceWallet("wallet", w.Address, iss); err != nil {
					fail(i, err)
					bad = true
					break
				}
			}
			if bad {
				break
			}
			var cur *whitelistRow
			if existing != nil {
				cur = entries[entryKey{a.IssuanceID, existing.ID}]
			}
			if cur != nil && cur.Status == string(registry.WhitelistApproved) && registry.SameValidUntil(cur.ValidUntil, a.ValidUntil) {
				continue // already approved as asked
			}
			planned = append(planned, plannedApproval{row: i, issuanceID: a.IssuanceID, validUntil: a.ValidUntil, existing: cur})
		}
		if bad {
			continue
		}
		res := &plan.results[i]
		for _, a := range planned {
			res.Approved = append(res.Approved, a.issuanceID)
		}
		plan.approvals = append(plan.approvals, planned...)
		switch {
		case existing == nil:
			res.Outcome = registry.BulkCreated
			plan.create = append(plan.create, inv)
			plan.createRow = append(plan.createRow, i)
			plan.personal = append(plan.personal, r.Personal)
		case len(planned) > 0:
			res.Outcome, res.InvestorID = registry.BulkApproved, existing.ID
		default:
			res.Outcome, res.InvestorID = registry.BulkUnchanged, existing.ID
		}
	}
	return plan, nil
}

// applyBulk writes a plan with multi-row inserts.
func (s *Registry) applyBulk(tx *gorm.DB, p *registry.Principal, sellerID int64, plan *bulkPlan, keys *sealing.Keyring) error {
	now := s.now()
	rows := make([]*investorRow, len(plan.create))
	for i, inv := range plan.create {
		inv.CreatedAt, inv.UpdatedAt = now, now
		rows[i] = investorToRow(inv)
	}
	if len(rows) > 0 {
		if err := tx.CreateInBatches(rows, bulkChunk/20).Error; err != nil {
			if registry.ErrorCode(s.translate(err)) == registry.ECONFLICT {
				return registry.Errorf(registry.ECONFLICT, "a customerRef or wallet of the upload was onboarded meanwhile; upload again")
			}
			return err
		}
	}
	var cats []categoryRow
	var wallets []walletRow
	var personal []personalRow
	var audits []auditRow
	seller := sellerID
	for i, inv := range plan.create {
		inv.ID = rows[i].ID
		plan.results[plan.createRow[i]].InvestorID = inv.ID
		if d := plan.personal[i]; d != nil {
			// Sealed like SetPersonalData's version 1, valid from the onboarding.
			row, err := sealedPersonalRow(keys, inv.ID, 1, d, now, now, p.KeyID)
			if err != nil {
				return err
			}
			personal = append(personal, row)
		}
		for _, g := range inv.Categories {
			cats = append(cats, categoryRow{InvestorID: inv.ID, Category: string(g.Category), ValidFrom: g.ValidFrom.UTC(), ValidTo: g.ValidTo.UTC()})
		}
		for k := range inv.Wallets {
			w := &inv.Wallets[k]
			w.InvestorID, w.CreatedAt = inv.ID, now
			wallets = append(wallets, walletRow{Address: w.Address, InvestorID: inv.ID, Label: w.Label, CreatedAt: now})
		}
		a, err := s.auditRecord(p, &seller, "investor.create", "investor", strconv.FormatInt(inv.ID, 10), inv, now)
		if err != nil {
			return err
		}
		audits = append(audits, a)
	}
	for i := range personal {
		// After the investor's own record, as an onboarding then a
		// SetPersonalData would leave them.
		a, err := s.auditRecord(p, &seller, "personal_data.set", "investor", personal[i].InvestorID, personalSetDetail(&personal[i], nil, nil), now)
		if err != nil {
			return err
		}
		audits = append(audits, a)
	}
	if len(personal) > 0 {
		if err := tx.CreateInBatches(personal, bulkChunk/9).Error; err != nil {
			return err
		}
	}
	if len(cats) > 0 {
		if err := tx.CreateInBatches(cats, bulkChunk/5).Error; err != nil {
			return err
		}
	}
	if len(wallets) > 0 {
		if err := tx.CreateInBatches(wallets, bulkChunk/5).Error; err != nil {
			if registry.ErrorCode(s.translate(err)) == registry.ECONFLICT {
				return registry.Errorf(registry.ECONFLICT, "a wallet of the upload was registered meanwhile; upload again")
			}
			return err
		}
	}

	// Approvals: an upsert per entry (keeping an approved entry's original
	// approval time, and so its place among the holders, as Approve does).
	byIssuance := map[int64][]int64{}
	entries := make([]whitelistRow, 0, len(plan.approvals))
	for _, a := range plan.approvals {
		investorID := plan.results[a.row].InvestorID
		row := whitelistRow{IssuanceID: a.issuanceID, InvestorID: investorID, Status: string(registry.WhitelistApproved),
			ValidUntil: utcPtr(a.validUntil), ApprovedBy: p.KeyID, ApprovedAt: now,
			SyncState: string(registry.SyncPending), UpdatedAt: now}
		if cur := a.existing; cur != nil && cur.Status == string(registry.WhitelistApproved) {
			row.ApprovedBy, row.ApprovedAt = cur.ApprovedBy, cur.ApprovedAt
		}
		entries = append(entries, row)
		byIssuance[a.issuanceID] = append(byIssuance[a.issuanceID], investorID)
		key := map[string]int64{"issuanceId": a.issuanceID, "investorId": investorID}
		audit, err := s.auditRecord(p, &seller, "whitelist.approve", "whitelist_entry", key, row.domain(), now)
		if err != nil {
			return err
		}
		audits = append(audits, audit)
	}
	if len(entries) > 0 {
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).CreateInBatches(entries, bulkChunk/12).Error; err != nil {
			return err
		}
	}
	for issuanceID, ids := range byIssuance {
		for _, chunk := range chunks(ids, bulkChunk) {
			if err := s.enqueueSync(tx, "e.issuance_id = ? AND e.investor_id IN ?", issuanceID, chunk); err != nil {
				return err
			}
		}
		if err := tx.Exec(`INSERT INTO issuance_generation (issuance_id, gen) VALUES (?, 1)
ON CONFLICT (issuance_id) DO UPDATE SET gen = issuance_generation.gen + 1`, issuanceID).Error; err != nil {
			return err
		}
	}
	if len(audits) > 0 {
		if err := tx.CreateInBatches(audits, bulkChunk/8).Error; err != nil {
			return err
		}
	}
	return nil
}

// auditRecord is what appendAudit writes, built for a multi-row insert.
func (s *DB) auditRecord(p *registry.Principal, sellerID *int64, action, entity string, entityID any, detail any, now time.Time) (auditRow, error) {
	body, err := json.Marshal(detail)
	if err != nil {
		return auditRow{}, err
	}
	var id string
	switch v := entityID.(type) {
	case string:
		id = v
	default:
		b, _ := json.Marshal(v)
		id = string(b)
	}
	return auditRow{At: now, Actor: p.KeyID, ActorRole: string(p.Role), SellerID: sellerID,
		Action: action, Entity: entity, EntityID: id, Detail: string(body)}, nil
}

// investorsByRef loads a seller's investors by customer reference.
func (s *DB) investorsByRef(db *gorm.DB, sellerID int64, refs []string) (map[string]*registry.Investor, error) {
	out := map[string]*registry.Investor{}
	for _, chunk := range chunks(refs, bulkChunk) {
		var rows []investorRow
		if err := db.Where("seller_id = ? AND customer_ref IN ?", sellerID, chunk).Find(&rows).Error; err != nil {
			return nil, s.translate(err)
		}
		invs, err := s.loadInvestors(db, rows)
		if err != nil {
			return nil, err
		}
		for _, inv := range invs {
			out[inv.CustomerRef] = inv
		}
	}
	return out, nil
}

// currentPersonalOf opens the current personal data version of each of the
// given investors that has one, with keys.
func currentPersonalOf(db *gorm.DB, keys *sealing.Keyring, investorIDs []int64) (map[int64]*registry.PersonalData, error) {
	out := map[int64]*registry.PersonalData{}
	for _, chunk := range chunks(investorIDs, bulkChunk) {
		var rows []personalRow
		if err := db.Where("investor_id IN ? AND valid_to IS NULL", chunk).Find(&rows).Error; err != nil {
			return nil, err
		}
		for i := range rows {
			d, err := openPersonal(keys, &rows[i])
			if err != nil {
				return nil, err
			}
			out[rows[i].InvestorID] = d
		}
	}
	return out, nil
}

// walletOwners maps each registered address among addrs to its investor.
func walletOwners(db *gorm.DB, addrs []string) (map[string]int64, error) {
	out := map[string]int64{}
	for _, chunk := range chunks(addrs, bulkChunk) {
		var rows []walletRow
		if err := db.Select("address", "investor_id").Where("address IN ?", chunk).Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.Address] = r.InvestorID
		}
	}
	return out, nil
}

// contractAddresses reports which of addrs are an issuance's token or registry.
func contractAddresses(db *gorm.DB, addrs []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, chunk := range chunks(addrs, bulkChunk/2) {
		var rows []issuanceRow
		if err := db.Select("token_address", "registry_address").
			Where("token_address IN ? OR registry_address IN ?", chunk, chunk).Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.TokenAddress], out[r.RegistryAddress] = true, true
		}
	}
	return out, nil
}

type entryKey struct{ issuance, investor int64 }

// entriesOf loads the whitelist entries of the given investors.
func entriesOf(db *gorm.DB, investorIDs []int64) (map[entryKey]*whitelistRow, error) {
	out := map[entryKey]*whitelistRow{}
	for _, chunk := range chunks(investorIDs, bulkChunk) {
		var rows []whitelistRow
		if err := db.Where("investor_id IN ?", chunk).Find(&rows).Error; err != nil {
			return nil, err
		}
		for i := range rows {
			out[entryKey{rows[i].IssuanceID, rows[i].InvestorID}] = &rows[i]
		}
	}
	return out, nil
}

func chunks[T any](xs []T, n int) [][]T {
	var out [][]T
	for len(xs) > n {
		out = append(out, xs[:n])
		xs = xs[n:]
	}
	if len(xs) > 0 {
		out = append(out, xs)
	}
	return out
}

// PlanAllocation checks an allocation's rows with the compliance rules, as if
// each allowed row before it had been minted (registry.PlanAllocation), on
// one snapshot of the issuance's facts. A row naming an investor receives on
// the investor's first wallet; an investor the caller cannot see, or one
// without a wallet, makes the row INVALID. Rows are not modified; the results
// carry the wallet each row resolved to.
func (s *Registry) PlanAllocation(ctx context.Context, issuanceID int64, rows []registry.AllocationRow, at time.Time) ([]registry.AllocationRowResult, bool, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, false, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, false, err
	}
	resolved := make([]registry.AllocationRow, len(rows))
	copy(resolved, rows)
	var ids []int64
	for _, r := range rows {
		if r.Err == nil && r.Wallet == "" && r.InvestorID != 0 {
			ids = append(ids, r.InvestorID)
		}
	}
	first := map[int64]string{}
	db := s.read(ctx)
	for _, chunk := range chunks(ids, bulkChunk) {
		var invs []investorRow
		q := db.Where("id IN ?", chunk)
		if p.Role == registry.RoleSeller {
			q = q.Where("seller_id = ?", p.SellerID)
		}
		if err := q.Find(&invs).Error; err != nil {
			return nil, false, s.translate(err)
		}
		loaded, err := s.loadInvestors(db, invs)
		if err != nil {
			return nil, false, err
		}
		for _, inv := range loaded {
			if len(inv.Wallets) > 0 {
				first[inv.ID] = inv.Wallets[0].Address
			}
		}
	}
	seen := map[string]bool{}
	var addrs []string
	for i := range resolved {
		r := &resolved[i]
		if r.Err == nil && r.Wallet == "" {
			if w, ok := first[r.InvestorID]; ok {
				r.Wallet = w
			} else {
				r.Err = registry.Errorf(registry.ENOTFOUND, "investor %d not found, or it has no wallet", r.InvestorID)
			}
		}
		if r.Err == nil && !seen[r.Wallet] {
			seen[r.Wallet] = true
			addrs = append(addrs, r.Wallet)
		}
	}
	if len(addrs) == 0 {
		res, _ := registry.PlanAllocation(s.rules, p, &registry.Facts{}, resolved, at)
		return res, false, nil
	}
	f, err := s.eligibilityFacts(ctx, issuanceID, addrs)
	if err != nil {
		return nil, false, err
	}
	res, ok := registry.PlanAllocation(s.rules, p, f, resolved, at.UTC().Truncate(time.Second))
	return res, ok, nil
}
