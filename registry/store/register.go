package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// The holder register at a record date, read as a stream: investors in pages
// of registerPage by id (keyset), each page's balances summed from the raw
// transfers up to the register's block and its personal data read as of the
// record date, then the wallets no investor owns. Nothing holds more than a
// page in memory, so a register of any size exports in constant memory. The
// whole read is one snapshot (mirrorSnapshot), so a register never mixes two
// states of the registry or the mirror.
//
// Investors are found by their wallets that received the token up to the
// block (an index probe per wallet of the node); the wallet→investor mapping
// is today's, as in Holders: a wallet moved between investors after the record
// date is shown under its new owner, one removed since as unattributed.

// registerPage is the investors (or unattributed wallets) read per query.
const registerPage = 500

// registerTarget checks that the caller may read the issuance's register: a
// caller that cannot see the issuance (registry.CanRead) is told it does not
// exist; one that sees it but may not operate it (registry.CanOperate) is
// refused.
func (s *Records) registerTarget(db *gorm.DB, p *registry.Principal, issuanceID int64) error {
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return err
	}
	var leads []int64
	if err := db.Raw(`SELECT lead_seller_id FROM issuances WHERE id = ?`, issuanceID).Scan(&leads).Error; err != nil {
		return s.translate(err)
	}
	notFound := registry.Errorf(registry.ENOTFOUND, "issuance %d not found", issuanceID)
	if len(leads) == 0 {
		return notFound
	}
	iss := &registry.Issuance{ID: issuanceID, LeadSellerID: leads[0]}
	if err := db.Raw(`SELECT seller_id FROM issuance_sellers WHERE issuance_id = ?`, issuanceID).Scan(&iss.HandlingSellers).Error; err != nil {
		return s.translate(err)
	}
	if !registry.CanRead(p, iss) {
		return notFound
	}
	return registry.RequireOperate(p, iss, "reads issuance %d's register", issuanceID)
}

type blockAt struct {
	Number    int64
	Hash      string
	BlockTime *int64
}

// registerHeader resolves the block a register is as of and the instant its
// names are valid at.
func (s *Records) registerHeader(tx *gorm.DB, q registry.RegisterQuery) (registry.RegisterHeader, error) {
	token := strings.ToLower(q.Token)
	h := registry.RegisterHeader{IssuanceID: q.IssuanceID, ChainID: q.ChainID, Token: token}
	if (q.Block == nil) == (q.RecordDate == nil) {
		return h, registry.Errorf(registry.EINVALID, "a register is asked at a record date or at a block, one of the two")
	}
	cp, ok, err := loadCheckpoint(tx, q.MirrorKey, token)
	if err != nil {
		return h, err
	}
	if !ok {
		return h, registry.Errorf(registry.ECONFLICT, "nothing of token %s is mirrored yet", token)
	}
	find := func(where string, args ...any) (*blockAt, error) {
		var rows []blockAt
		err := tx.Raw(`SELECT number, hash, block_time FROM mirror_blocks WHERE chain_id = ? AND token = ? AND `+where+
			` ORDER BY number DESC LIMIT 1`, append([]any{q.MirrorKey, token}, args...)...).Scan(&rows).Error
		if err != nil || len(rows) == 0 {
			return nil, err
		}
		return &rows[0], nil
	}
	if q.Block != nil {
		n := *q.Block
		if n > cp.Number {
			return h, registry.Errorf(registry.ECONFLICT, "block %d is not mirrored yet (mirrored up to %d)", n, cp.Number)
		}
		h.AsOfBlock = n
		// The names are those valid at the block's time; a block the mirror
		// did not store (no transfer of this token in it) is dated by the
		// last stored block before it, which holds the same balances.
		b, err := find("number <= ? AND block_time IS NOT NULL", int64(n))
		if err != nil {
			return h, err
		}
		h.NamesAsOf = s.now()
		if b != nil {
			h.NamesAsOf = time.Unix(*b.BlockTime, 0).UTC()
			if b.Number == int64(n) {
				h.AsOfHash, h.AsOfTime = b.Hash, &h.NamesAsOf
			}
		}
		if h.AsOfHash == "" {
			if exact, err := find("number = ?", int64(n)); err != nil {
				return h, err
			} else if exact != nil {
				h.AsOfHash = exact.Hash
			}
		}
		return h, nil
	}
	date := *q.RecordDate
	h.RecordDate = date.Format(time.DateOnly)
	cutoff := registry.RecordDateCutoff(date)
	h.NamesAsOf = cutoff.Add(-time.Microsecond).UTC()
	head, err := find("number = ?", int64(cp.Number))
	if err != nil {
		return h, err
	}
	if head == nil || head.BlockTime == nil {
		return h, registry.Errorf(registry.ECONFLICT, "the mirror of token %s has no timestamp for its last block %d (mirrored before timestamps were kept); ask for the register at a block", token, cp.Number)
	}
	if *head.BlockTime < cutoff.Unix() {
		return h, registry.Errorf(registry.ECONFLICT, "record date %s is not over on the mirrored chain: confirmed and mirrored up to block %d at %s",
			h.RecordDate, cp.Number, time.Unix(*head.BlockTime, 0).In(registry.RecordDateZone).Format(time.RFC3339))
	}
	b, err := find("block_time < ?", cutoff.Unix())
	if err != nil {
		return h, err
	}
	var above int64
	if b != nil {
		above = b.Number
	}
	// A block stored without a timestamp above the one found may be before
	// the cutoff too: the answer would be a guess.
	var untimed int64
	if err := tx.Raw(`SELECT COUNT(*) FROM mirror_blocks WHERE chain_id = ? AND token = ? AND block_time IS NULL AND number > ? AND number <= ?`,
		q.MirrorKey, token, above, int64(cp.Number)).Scan(&untimed).Error; err != nil {
		return h, err
	}
	if untimed > 0 {
		return h, registry.Errorf(registry.ECONFLICT, "the mirror of token %s has blocks without timestamps around record date %s (mirrored before timestamps were kept); ask for the register at a block", token, h.RecordDate)
	}
	if b != nil {
		h.AsOfBlock, h.AsOfHash = uint64(b.Number), b.Hash
		t := time.Unix(*b.BlockTime, 0).UTC()
		h.AsOfTime = &t
	}
	// No stored block before the cutoff: the token had no transfer yet, and
	// the register is empty as of block 0.
	return h, nil
}

// totalSupply is minted less burned up to the block: the zero address's
// negated balance.
func (s *Records) totalSupply(tx *gorm.DB, key int64, token string, block uint64) (*big.Int, error) {
	sums, err := s.sumBalances(tx, key, token, []string{registry.ZeroAddress}, &block)
	if err != nil {
		return nil, err
	}
	out := new(big.Int)
	if v := sums[registry.ZeroAddress]; v != nil {
		out.Neg(v)
	}
	return out, nil
}

// registerRead says how a register is read: whose personal data is shown.
type registerRead struct {
	p       *registry.Principal
	showAll bool // every name (a snapshot's canonical export), whoever asks
	opened  int  // personal data versions decrypted for the caller
}

func (r *registerRead) shows(sellerID int64) bool {
	return r.showAll || registry.CanReadPersonalData(r.p, sellerID)
}

// streamRegister writes the entries and totals of the register h describes.
func (s *Records) streamRegister(ctx context.Context, tx *gorm.DB, q registry.RegisterQuery, h registry.RegisterHeader, rd *registerRead, w registry.RegisterWriter) (registry.RegisterTotals, error) {
	tot := registry.RegisterTotals{Balance: new(big.Int)}
	token := strings.ToLower(q.Token)
	block := h.AsOfBlock
	if h.AsOfBlock == 0 && h.AsOfHash == "" && h.RecordDate != "" {
		return tot, w.Totals(tot) // before the token's first block: empty
	}
	for after := int64(0); ; {
		if err := ctx.Err(); err != nil {
			return tot, err
		}
		page, err := s.registerPageAfter(tx, q.MirrorKey, token, block, h.NamesAsOf, after)
		if err != nil {
			return tot, err
		}
		if len(page) == 0 {
			break
		}
		after = page[len(page)-1].InvestorID
		if err := s.registerInvestors(tx, q.MirrorKey, token, block, page, rd, &tot, w); err != nil {
			return tot, err
		}
	}
	for after := ""; ; {
		if err := ctx.Err(); err != nil {
			return tot, err
		}
		var wallets []string
		if err := tx.Raw(`SELECT DISTINCT t.to_addr FROM mirror_transfers t WHERE t.chain_id = ? AND t.token = ? AND t.to_addr > ? AND t.block_number <= ?
AND t.to_addr <> ? AND NOT EXISTS (SELECT 1 FROM wallets w WHERE w.address = t.to_addr)
ORDER BY t.to_addr LIMIT ?`, q.MirrorKey, token, after, int64(block), registry.ZeroAddress, registerPage).Scan(&wallets).Error; err != nil {
			return tot, fmt.Errorf("register unattributed wallets: %w", err)
		}
		if len(wallets) == 0 {
			break
		}
		after = wallets[len(wallets)-1]
		sums, err := s.registerSums(tx, q.MirrorKey, token, wallets, block)
		if err != nil {
			return tot, err
		}
		for _, wa := range wallets {
			v := sums[wa]
			if v == nil || v.Sign() <= 0 {
				continue
			}
			tot.Wallets++
			tot.UnattributedWallets++
			tot.Balance.Add(tot.Balance, v)
			if err := w.Entry(registry.RegisterEntry{Wallets: []string{wa}, Balance: v}); err != nil {
				return tot, err
			}
		}
	}
	return tot, w.Totals(tot)
}

// customPlans makes PostgreSQL plan each of the register's queries for its
// own values, in the register's transaction only. The driver prepares each
// statement once and PostgreSQL soon switches a prepared statement to a
// generic plan, which estimates a page's wallets by the column's statistics —
// where the zero address, every mint's sender, dominates from_addr — and so
// scans all of the token's transfers for every page.
func (s *Records) customPlans(tx *gorm.DB) error {
	if s.dialect != Postgres {
		return nil
	}
	return tx.Exec(`SET LOCAL plan_cache_mode = force_custom_plan`).Error
}

// registerSums returns the balances of a page of wallets at block. On
// PostgreSQL the received and the sent sums are two queries, each an index
// range per wallet, summed exactly in NUMERIC: in one UNION the planner,
// estimating the senders by the column's statistics (where the zero address,
// every mint's sender, dominates), scanned all of the token's transfers for
// every page — 13 s instead of about 1 s for 100,000 holders. SQLite probes
// the index per IN element already, and sums in Go.
func (s *Records) registerSums(tx *gorm.DB, key int64, token string, wallets []string, block uint64) (map[string]*big.Int, error) {
	if s.dialect != Postgres {
		return s.sumBalances(tx, key, token, wallets, &block)
	}
	out := make(map[string]*big.Int, len(wallets))
	for _, side := range []struct {
		col  string
		sign int
	}{{"to_addr", 1}, {"from_addr", -1}} {
		var rows []struct {
			Wallet string
			Total  string
		}
		err := tx.Raw(`SELECT `+side.col+` AS wallet, SUM(amount)::text AS total FROM mirror_transfers
WHERE chain_id = ? AND token = ? AND `+side.col+` IN ? AND block_number <= ? GROUP BY `+side.col,
			key, token, wallets, int64(block)).Scan(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("register balances: %w", err)
		}
		for _, r := range rows {
			v := amountValue(&r.Total)
			if v == nil {
				return nil, fmt.Errorf("register balances: bad total %q for %s", r.Total, r.Wallet)
			}
			acc := out[r.Wallet]
			if acc == nil {
				acc = new(big.Int)
				out[r.Wallet] = acc
			}
			if side.sign < 0 {
				acc.Sub(acc, v)
			} else {
				acc.Add(acc, v)
			}
		}
	}
	return out, nil
}

// registerRow is one wallet of a page of investors, with the investor's
// onboarding seller and the personal data version valid at the register's
// instant (all nil when none).
type registerRow struct {
	InvestorID int64
	Address    string
	SellerID   int64
	Version    *int
	KeyID      *string
	WrappedKey *string
	Ciphertext *string
}

// registerPageAfter reads the next page of investors above the cursor: every
// wallet of theirs that received the token up to the block, with the
// investor's seller and personal data, in one query, in investor order. A
// full page may end part-way through an investor's wallets, so its last
// investor is left to the next page; an investor with more wallets than a
// page (the registry allows 100) is read on its own.
func (s *Records) registerPageAfter(tx *gorm.DB, key int64, token string, block uint64, namesAt time.Time, after int64) ([]registerRow, error) {
	const query = `SELECT w.investor_id, w.address, i.seller_id, pd.version, pd.key_id, pd.wrapped_key, pd.ciphertext
FROM wallets w JOIN investors i ON i.id = w.investor_id
LEFT JOIN investor_personal_data pd ON pd.investor_id = w.investor_id AND pd.valid_from <= ? AND (pd.valid_to IS NULL OR pd.valid_to > ?)
WHERE %s AND EXISTS (SELECT 1 FROM mirror_transfers t WHERE t.chain_id = ? AND t.token = ? AND t.to_addr = w.address AND t.block_number <= ?)
ORDER BY w.investor_id`
	var rows []registerRow
	if err := tx.Raw(fmt.Sprintf(query, "w.investor_id > ?")+` LIMIT ?`, namesAt, namesAt, after, key, token, int64(block), registerPage).
		Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("register investors: %w", err)
	}
	if len(rows) < registerPage {
		return rows, nil
	}
	last := rows[len(rows)-1].InvestorID
	cut := slices.IndexFunc(rows, func(r registerRow) bool { return r.InvestorID == last })
	if cut > 0 {
		return rows[:cut], nil
	}
	rows = rows[:0]
	if err := tx.Raw(fmt.Sprintf(query, "w.investor_id = ?"), namesAt, namesAt, last, key, token, int64(block)).
		Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("register investor %d: %w", last, err)
	}
	return rows, nil
}

// registerInvestors writes the entries of one page of investors.
func (s *Records) registerInvestors(tx *gorm.DB, key int64, token string, block uint64, page []registerRow,
	rd *registerRead, tot *registry.RegisterTotals, w registry.RegisterWriter) error {
	sums := map[string]*big.Int{}
	for rest := page; len(rest) > 0; {
		n := min(len(rest), mirrorChunk)
		chunk := make([]string, n)
		for i := range chunk {
			chunk[i] = rest[i].Address
		}
		part, err := s.registerSums(tx, key, token, chunk, block)
		if err != nil {
			return err
		}
		for k, v := range part {
			sums[k] = v
		}
		rest = rest[n:]
	}
	for i := 0; i < len(page); {
		first := &page[i]
		id, seller := first.InvestorID, first.SellerID
		e := registry.RegisterEntry{InvestorID: &id, SellerID: seller, Balance: new(big.Int)}
		for ; i < len(page) && page[i].InvestorID == id; i++ {
			if v := sums[page[i].Address]; v != nil && v.Sign() > 0 {
				e.Wallets = append(e.Wallets, page[i].Address)
				e.Balance.Add(e.Balance, v)
			}
		}
		if e.Balance.Sign() <= 0 {
			continue // held before the block, or not yet: not a holder at it
		}
		slices.Sort(e.Wallets)
		tot.Investors++
		tot.Wallets += len(e.Wallets)
		tot.Balance.Add(tot.Balance, e.Balance)
		if first.Version != nil {
			e.PersonalVersion = *first.Version
			if rd.shows(seller) {
				pd := &personalRow{InvestorID: id, Version: *first.Version, KeyID: *first.KeyID, WrappedKey: *first.WrappedKey, Ciphertext: *first.Ciphertext}
				data, err := s.open(pd)
				if err != nil {
					return err
				}
				e.Personal = data
				if !rd.showAll {
					rd.opened++
				}
			} else {
				e.Redacted = true
				tot.Redacted++
			}
		} else {
			tot.WithoutPersonalData++
		}
		if err := w.Entry(e); err != nil {
			return err
		}
	}
	return nil
}

// Register streams the register q asks for to w, in one read snapshot, and
// audits the read (with how many investors' personal data it showed) whether
// it completes or not.
func (s *Records) Register(ctx context.Context, q registry.RegisterQuery, w registry.RegisterWriter) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if err := s.registerTarget(s.read(ctx), p, q.IssuanceID); err != nil {
		return err
	}
	rd := &registerRead{p: p}
	var h registry.RegisterHeader
	var tot registry.RegisterTotals
	started := false
	err = s.mirrorSnapshot(ctx, func(tx *gorm.DB) error {
		if err := s.customPlans(tx); err != nil {
			return err
		}
		var err error
		if h, err = s.registerHeader(tx, q); err != nil {
			return err
		}
		if h.TotalSupply, err = s.totalSupply(tx, q.MirrorKey, q.Token, h.AsOfBlock); err != nil {
			return err
		}
		started = true
		if err := w.Header(h); err != nil {
			return err
		}
		tot, err = s.streamRegister(ctx, tx, q, h, rd, w)
		return err
	})
	if started {
		if aerr := s.auditRegisterRead(ctx, p, q, h, tot, rd, 0, err); aerr != nil {
			return errors.Join(err, aerr)
		}
	}
	return err
}

func (s *Records) auditRegisterRead(ctx context.Context, p *registry.Principal, q registry.RegisterQuery, h registry.RegisterHeader,
	tot registry.RegisterTotals, rd *registerRead, snapshot int64, readErr error) error {
	detail := map[string]any{"asOfBlock": h.AsOfBlock, "personalDataShown": rd.opened, "redacted": tot.Redacted, "complete": readErr == nil}
	if h.RecordDate != "" {
		detail["recordDate"] = h.RecordDate
	}
	if snapshot != 0 {
		detail["snapshot"] = snapshot
	}
	var sellerID *int64
	if p.Role == registry.RoleSeller {
		sellerID = &p.SellerID
	}
	err := s.writeState(context.WithoutCancel(ctx), func(tx *gorm.DB) error {
		return s.appendAudit(tx, p, sellerID, "register.read", "issuance", q.IssuanceID, detail)
	})
	if err != nil {
		return fmt.Errorf("audit the register read: %w", err)
	}
	return nil
}

// snapshotRow is one stored line of a finalised register.
type snapshotRow struct {
	SnapshotID      int64
	Seq             int
	InvestorID      *int64
	SellerID        *int64
	PersonalVersion *int
	Wallets         string
	Balance         string
}

func (snapshotRow) TableName() string { return "register_snapshot_rows" }

type snapshotRecord struct {
	ID                  int64
	IssuanceID          int64
	MirrorKey           int64
	ChainID             int64
	Token               string
	RecordDate          string
	BlockNumber         int64
	BlockHash           string
	BlockTime           *int64
	NamesAsOf           time.Time
	TotalSupply         string
	Investors           int
	Wallets             int
	UnattributedWallets int
	WithoutPersonalData int
	Balance             string
	SHA256              string `gorm:"column:sha256"`
	CreatedBy           string
	CreatedAt           time.Time
}

func (snapshotRecord) TableName() string { return "register_snapshots" }

func (r *snapshotRecord) domain() *registry.RegisterSnapshot {
	h := registry.RegisterHeader{IssuanceID: r.IssuanceID, ChainID: r.ChainID, Token: r.Token, RecordDate: r.RecordDate,
		AsOfBlock: uint64(r.BlockNumber), AsOfHash: r.BlockHash, NamesAsOf: r.NamesAsOf.UTC(), TotalSupply: amountValue(&r.TotalSupply), SnapshotID: r.ID}
	if r.BlockTime != nil {
		t := time.Unix(*r.BlockTime, 0).UTC()
		h.AsOfTime = &t
	}
	return &registry.RegisterSnapshot{ID: r.ID, Header: h, SHA256: r.SHA256, CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy,
		Totals: registry.RegisterTotals{Investors: r.Investors, Wallets: r.Wallets, UnattributedWallets: r.UnattributedWallets,
			WithoutPersonalData: r.WithoutPersonalData, Balance: amountValue(&r.Balance)}}
}

// snapshotSink stores the lines of a register being finalised and hashes
// its canonical CSV export.
type snapshotSink struct {
	tx      *gorm.DB
	id      int64
	seq     int
	pending []snapshotRow
	csv     *registry.RegisterCSV
}

func (k *snapshotSink) Header(h registry.RegisterHeader) error { return k.csv.Header(h) }

func (k *snapshotSink) Entry(e registry.RegisterEntry) error {
	k.seq++
	r := snapshotRow{SnapshotID: k.id, Seq: k.seq, InvestorID: e.InvestorID, Wallets: strings.Join(e.Wallets, " "), Balance: e.Balance.String()}
	if e.InvestorID != nil {
		seller := e.SellerID
		r.SellerID = &seller
		if e.PersonalVersion != 0 {
			v := e.PersonalVersion
			r.PersonalVersion = &v
		}
	}
	k.pending = append(k.pending, r)
	if len(k.pending) >= mirrorChunk {
		if err := k.flush(); err != nil {
			return err
		}
	}
	return k.csv.Entry(e)
}

func (k *snapshotSink) Totals(t registry.RegisterTotals) error {
	if err := k.flush(); err != nil {
		return err
	}
	return k.csv.Totals(t)
}

func (k *snapshotSink) flush() error {
	if len(k.pending) == 0 {
		return nil
	}
	if err := k.tx.CreateInBatches(k.pending, mirrorChunk).Error; err != nil {
		return fmt.Errorf("store snapshot rows: %w", err)
	}
	k.pending = k.pending[:0]
	return nil
}

// FinaliseRegister stores the register q asks for as a snapshot, with the
// SHA-256 of its canonical export, in one transaction that reads a consistent
// state (REPEATABLE READ on PostgreSQL; SQLite's one writer). The register's
// block must be mirrored, which the mirror does only once it is confirmed. A
// register already finalised returns its snapshot unchanged.
func (s *Records) FinaliseRegister(ctx context.Context, q registry.RegisterQuery) (*registry.RegisterSnapshot, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.registerTarget(s.read(ctx), p, q.IssuanceID); err != nil {
		return nil, err
	}
	if err := s.requireKeys(); err != nil {
		return nil, err
	}
	q.Token = strings.ToLower(q.Token)
	var out *registry.RegisterSnapshot
	var opts []*sql.TxOptions
	if s.dialect == Postgres {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
	}
	err = s.writer.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.customPlans(tx); err != nil {
			return err
		}
		h, err := s.registerHeader(tx, q)
		if err != nil {
			return err
		}
		var existing []snapshotRecord
		if err := tx.Where("issuance_id = ? AND mirror_key = ? AND token = ? AND record_date = ? AND block_number = ?",
			q.IssuanceID, q.MirrorKey, q.Token, h.RecordDate, int64(h.AsOfBlock)).Limit(1).Find(&existing).Error; err != nil {
			return err
		}
		if len(existing) == 1 {
			out = existing[0].domain()
			out.AlreadyMade = true
			return nil
		}
		if h.TotalSupply, err = s.totalSupply(tx, q.MirrorKey, q.Token, h.AsOfBlock); err != nil {
			return err
		}
		rec := snapshotRecord{IssuanceID: q.IssuanceID, MirrorKey: q.MirrorKey, ChainID: q.ChainID, Token: q.Token, RecordDate: h.RecordDate,
			BlockNumber: int64(h.AsOfBlock), BlockHash: h.AsOfHash, NamesAsOf: h.NamesAsOf, TotalSupply: h.TotalSupply.String(),
			Balance: "0", SHA256: "pending", CreatedBy: p.KeyID, CreatedAt: s.now()}
		if h.AsOfTime != nil {
			t := h.AsOfTime.Unix()
			rec.BlockTime = &t
		}
		// The snapshot's own row goes in last, complete (it never changes);
		// its id is taken first so the lines can name it (the reference is
		// checked at commit).
		id, err := s.nextSnapshotID(tx)
		if err != nil {
			return err
		}
		rec.ID = id
		h.SnapshotID = id
		sum := sha256.New()
		sink := &snapshotSink{tx: tx, id: id, csv: registry.NewRegisterCSV(sum, true)}
		rd := &registerRead{p: p, showAll: true}
		if err := sink.Header(h); err != nil {
			return err
		}
		tot, err := s.streamRegister(ctx, tx, q, h, rd, sink)
		if err != nil {
			return err
		}
		rec.Investors, rec.Wallets, rec.UnattributedWallets, rec.WithoutPersonalData = tot.Investors, tot.Wallets, tot.UnattributedWallets, tot.WithoutPersonalData
		rec.Balance = tot.Balance.String()
		rec.SHA256 = hex.EncodeToString(sum.Sum(nil))
		if err := tx.Create(&rec).Error; err != nil {
			return err
		}
		out = rec.domain()
		return s.appendAudit(tx, p, nil, "register.finalise", "issuance", q.IssuanceID, map[string]any{
			"snapshot": id, "asOfBlock": h.AsOfBlock, "recordDate": h.RecordDate, "sha256": rec.SHA256, "investors": tot.Investors})
	}, opts...)
	if err != nil {
		return nil, s.translate(err)
	}
	return out, nil
}

// nextSnapshotID takes the id the next snapshot will have: the identity
// sequence's next value on PostgreSQL, one above the highest on SQLite (whose
// one writer makes that safe).
func (s *Records) nextSnapshotID(tx *gorm.DB) (int64, error) {
	var id int64
	q := `SELECT COALESCE(MAX(id), 0) + 1 FROM register_snapshots`
	if s.dialect == Postgres {
		q = `SELECT nextval(pg_get_serial_sequence('register_snapshots', 'id'))`
	}
	if err := tx.Raw(q).Scan(&id).Error; err != nil {
		return 0, fmt.Errorf("snapshot id: %w", err)
	}
	return id, nil
}

// RegisterSnapshots lists an issuance's finalised registers, oldest first.
func (s *Records) RegisterSnapshots(ctx context.Context, issuanceID int64) ([]*registry.RegisterSnapshot, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	db := s.read(ctx)
	if err := s.registerTarget(db, p, issuanceID); err != nil {
		return nil, err
	}
	var rows []snapshotRecord
	if err := db.Where("issuance_id = ?", issuanceID).Order("id").Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]*registry.RegisterSnapshot, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// RegisterSnapshot returns a finalised register and, when w is not nil,
// streams its lines to w with the personal data versions it showed, redacted
// where the caller may not read them; that read is audited.
func (s *Records) RegisterSnapshot(ctx context.Context, issuanceID, id int64, w registry.RegisterWriter) (*registry.RegisterSnapshot, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.registerTarget(s.read(ctx), p, issuanceID); err != nil {
		return nil, err
	}
	var snap *registry.RegisterSnapshot
	rd := &registerRead{p: p}
	var tot registry.RegisterTotals
	started := false
	err = s.mirrorSnapshot(ctx, func(tx *gorm.DB) error {
		var rec []snapshotRecord
		if err := tx.Where("id = ? AND issuance_id = ?", id, issuanceID).Limit(1).Find(&rec).Error; err != nil {
			return err
		}
		if len(rec) == 0 {
			return registry.Errorf(registry.ENOTFOUND, "issuance %d has no register snapshot %d", issuanceID, id)
		}
		snap = rec[0].domain()
		if w == nil {
			return nil
		}
		started = true
		if err := w.Header(snap.Header); err != nil {
			return err
		}
		tot = snap.Totals
		for after := 0; ; {
			if err := ctx.Err(); err != nil {
				return err
			}
			var rows []snapshotRow
			if err := tx.Where("snapshot_id = ? AND seq > ?", id, after).Order("seq").Limit(registerPage).Find(&rows).Error; err != nil {
				return err
			}
			if len(rows) == 0 {
				break
			}
			after = rows[len(rows)-1].Seq
			if err := s.snapshotLines(tx, rows, rd, &tot, w); err != nil {
				return err
			}
		}
		return w.Totals(tot)
	})
	if started {
		q := registry.RegisterQuery{IssuanceID: issuanceID}
		if aerr := s.auditRegisterRead(ctx, p, q, snap.Header, tot, rd, id, err); aerr != nil {
			return nil, errors.Join(err, aerr)
		}
	}
	if err != nil {
		return nil, s.translate(err)
	}
	return snap, nil
}

// snapshotLines writes one page of a snapshot's lines.
func (s *Records) snapshotLines(tx *gorm.DB, rows []snapshotRow, rd *registerRead, tot *registry.RegisterTotals, w registry.RegisterWriter) error {
	type versionKey struct {
		investor int64
		version  int
	}
	var ids []int64
	for _, r := range rows {
		if r.InvestorID != nil && r.PersonalVersion != nil && rd.shows(*r.SellerID) {
			ids = append(ids, *r.InvestorID)
		}
	}
	pds := map[versionKey]*personalRow{}
	if len(ids) > 0 {
		var found []personalRow
		if err := tx.Where("investor_id IN ?", ids).Find(&found).Error; err != nil {
			return fmt.Errorf("snapshot personal data: %w", err)
		}
		for i := range found {
			pds[versionKey{found[i].InvestorID, found[i].Version}] = &found[i]
		}
	}
	for _, r := range rows {
		e := registry.RegisterEntry{InvestorID: r.InvestorID, Balance: amountValue(&r.Balance)}
		if r.Wallets != "" {
			e.Wallets = strings.Split(r.Wallets, " ")
		}
		if r.InvestorID != nil {
			e.SellerID = *r.SellerID
			if r.PersonalVersion != nil {
				e.PersonalVersion = *r.PersonalVersion
				if rd.shows(e.SellerID) {
					pd := pds[versionKey{*r.InvestorID, *r.PersonalVersion}]
					if pd == nil {
						return fmt.Errorf("snapshot line %d: personal data version %d of investor %d is missing", r.Seq, *r.PersonalVersion, *r.InvestorID)
					}
					data, err := s.open(pd)
					if err != nil {
						return err
					}
					e.Personal = data
					rd.opened++
				} else {
					e.Redacted = true
					tot.Redacted++
				}
			}
		}
		if err := w.Entry(e); err != nil {
			return err
		}
	}
	return nil
}
