package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/sealing"
)

// Records is the back office's records: investors' personal data, encrypted
// at rest with its history, and the holder register with its snapshots
// (register.go).
type Records struct {
	*DB
	keys *sealing.Keyring
}

// NewRecords builds the records service on db; keys seals and opens personal
// data. With nil keys, anything that needs personal data answers EUNAVAILABLE.
func NewRecords(db *DB, keys *sealing.Keyring) *Records { return &Records{DB: db, keys: keys} }

var (
	_ registry.PersonalDataService = (*Records)(nil)
	_ registry.RegisterService     = (*Records)(nil)
)

type personalRow struct {
	InvestorID int64
	Version    int
	ValidFrom  time.Time
	ValidTo    *time.Time
	KeyID      string
	WrappedKey string
	Ciphertext string
	RecordedBy string
	RecordedAt time.Time
}

func (personalRow) TableName() string { return "investor_personal_data" }

// personalPlain is the sealed JSON of one version; its field names are the
// stored format, independent of the domain type's.
type personalPlain struct {
	LegalName          string `json:"legalName"`
	KanaName           string `json:"kanaName"`
	RepresentativeName string `json:"representativeName,omitempty"`
	PostalCode         string `json:"postalCode,omitempty"`
	Address            string `json:"address"`
	TaxCategory        string `json:"taxCategory"`
	Email              string `json:"email,omitempty"`
	Phone              string `json:"phone,omitempty"`
	ExternalRef        string `json:"externalRef,omitempty"`
}

// personalAAD binds a sealed version to its row: a ciphertext copied to
// another investor's or version's row does not open.
func personalAAD(investorID int64, version int) []byte {
	return []byte("investor_personal_data/" + strconv.FormatInt(investorID, 10) + "/" + strconv.Itoa(version))
}

func (r *personalRow) envelope() (sealing.Envelope, error) {
	wk, err1 := base64.StdEncoding.DecodeString(r.WrappedKey)
	ct, err2 := base64.StdEncoding.DecodeString(r.Ciphertext)
	if err := errors.Join(err1, err2); err != nil {
		return sealing.Envelope{}, fmt.Errorf("personal data of investor %d v%d: %w", r.InvestorID, r.Version, err)
	}
	return sealing.Envelope{KeyID: r.KeyID, WrappedKey: wk, Ciphertext: ct}, nil
}

func (s *Records) requireKeys() error {
	if s.keys == nil {
		return registry.Errorf(registry.EUNAVAILABLE, "personal data needs a data key (--data-key-file or STONODE_DATA_KEY), and this node has none")
	}
	return nil
}

func (s *Records) seal(investorID int64, version int, d *registry.PersonalData) (sealing.Envelope, error) {
	return sealPersonal(s.keys, investorID, version, d)
}

// sealPersonal seals one version of an investor's personal data under keys,
// bound to its row (personalAAD).
func sealPersonal(keys *sealing.Keyring, investorID int64, version int, d *registry.PersonalData) (sealing.Envelope, error) {
	pt, err := json.Marshal(personalPlain{LegalName: d.LegalName, KanaName: d.KanaName, RepresentativeName: d.RepresentativeName,
		PostalCode: d.PostalCode, Address: d.Address, TaxCategory: string(d.TaxCategory), Email: d.Email, Phone: d.Phone, ExternalRef: d.ExternalRef})
	if err != nil {
		return sealing.Envelope{}, err
	}
	return keys.Seal(pt, personalAAD(investorID, version))
}

// sealedPersonalRow is version version of an investor's personal data, sealed
// under keys, valid from from: the row SetPersonalData and a bulk upload insert.
func sealedPersonalRow(keys *sealing.Keyring, investorID int64, version int, d *registry.PersonalData, from, now time.Time, by string) (personalRow, error) {
	env, err := sealPersonal(keys, investorID, version, d)
	if err != nil {
		return personalRow{}, err
	}
	return personalRow{InvestorID: investorID, Version: version, ValidFrom: from, KeyID: env.KeyID,
		WrappedKey: base64.StdEncoding.EncodeToString(env.WrappedKey), Ciphertext: base64.StdEncoding.EncodeToString(env.Ciphertext),
		RecordedBy: by, RecordedAt: now}, nil
}

func (s *Records) open(r *personalRow) (*registry.PersonalData, error) {
	if err := s.requireKeys(); err != nil {
		return nil, err
	}
	return openPersonal(s.keys, r)
}

// openPersonal opens a stored version with keys.
func openPersonal(keys *sealing.Keyring, r *personalRow) (*registry.PersonalData, error) {
	env, err := r.envelope()
	if err != nil {
		return nil, err
	}
	pt, err := keys.Open(env, personalAAD(r.InvestorID, r.Version))
	if err != nil {
		return nil, fmt.Errorf("personal data of investor %d v%d: %w", r.InvestorID, r.Version, err)
	}
	var p personalPlain
	if err := json.Unmarshal(pt, &p); err != nil {
		return nil, fmt.Errorf("personal data of investor %d v%d: %w", r.InvestorID, r.Version, err)
	}
	return &registry.PersonalData{LegalName: p.LegalName, KanaName: p.KanaName, RepresentativeName: p.RepresentativeName,
		PostalCode: p.PostalCode, Address: p.Address, TaxCategory: registry.TaxCategory(p.TaxCategory), Email: p.Email,
		Phone: p.Phone, ExternalRef: p.ExternalRef}, nil
}

func (r *personalRow) record() *registry.PersonalRecord {
	rec := &registry.PersonalRecord{InvestorID: r.InvestorID, Version: r.Version, ValidFrom: r.ValidFrom.UTC(),
		RecordedAt: r.RecordedAt.UTC(), RecordedBy: r.RecordedBy, KeyID: r.KeyID, Redacted: true}
	if r.ValidTo != nil {
		t := r.ValidTo.UTC()
		rec.ValidTo = &t
	}
	return rec
}

// changedFields names the fields that differ between two versions: what the
// audit record of a change says, without any of the values.
func changedFields(prev, next *registry.PersonalData) []string {
	if prev == nil {
		return []string{"*"}
	}
	var out []string
	for _, f := range []struct {
		name string
		a, b string
	}{
		{"legalName", prev.LegalName, next.LegalName}, {"kanaName", prev.KanaName, next.KanaName},
		{"representativeName", prev.RepresentativeName, next.RepresentativeName}, {"postalCode", prev.PostalCode, next.PostalCode},
		{"address", prev.Address, next.Address}, {"taxCategory", string(prev.TaxCategory), string(next.TaxCategory)},
		{"email", prev.Email, next.Email}, {"phone", prev.Phone, next.Phone}, {"externalRef", prev.ExternalRef, next.ExternalRef},
	} {
		if f.a != f.b {
			out = append(out, f.name)
		}
	}
	return out
}

// SetPersonalData records a new version of an investor's personal data and
// closes the current one at its start. Only the onboarding seller and
// operators may; the audit record names the changed fields, never the values.
func (s *Records) SetPersonalData(ctx context.Context, investorID int64, ch registry.PersonalDataChange) (*registry.PersonalRecord, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	if err := s.requireKeys(); err != nil {
		return nil, err
	}
	ch.Data.Normalize()
	var out *registry.PersonalRecord
	// Personal data feeds no cached fact, so the write does not flush caches.
	err = s.writeState(ctx, func(tx *gorm.DB) error {
		inv, err := s.visibleInvestor(tx, p, investorID)
		if err != nil {
			return err
		}
		if !registry.CanReadPersonalData(p, inv.SellerID) {
			return registry.Errorf(registry.EFORBIDDEN, "only investor %d's onboarding seller or an operator records its personal data", investorID)
		}
		if err := s.requireActiveSeller(tx, p); err != nil {
			return err
		}
		if err := ch.Data.Validate(inv.PersonType); err != nil {
			return err
		}
		now := s.now()
		from := now
		if ch.EffectiveFrom != nil {
			from = ch.EffectiveFrom.UTC().Truncate(time.Microsecond)
			if from.After(now) {
				return registry.Errorf(registry.EINVALID, "effectiveFrom must not be in the future")
			}
		}
		row, err := s.writePersonal(tx, s.keys, p, &inv.SellerID, investorID, &ch.Data, from, now)
		if err != nil {
			return err
		}
		out = row.record()
		data := ch.Data
		out.Data, out.Redacted = &data, false
		return nil
	})
	return out, err
}

// writePersonal records, in tx, a new version of an investor's personal data
// (already validated) sealed under keys, valid from from: it closes the
// current version at from and appends the audit record naming the changed
// fields, never the values. SetPersonalData writes through it.
func (s *DB) writePersonal(tx *gorm.DB, keys *sealing.Keyring, p *registry.Principal, sellerID *int64, investorID int64,
	d *registry.PersonalData, from, now time.Time) (*personalRow, error) {
	var cur []personalRow
	if err := tx.Where("investor_id = ? AND valid_to IS NULL", investorID).Limit(1).Find(&cur).Error; err != nil {
		return nil, err
	}
	version := 1
	var prev *registry.PersonalData
	if len(cur) == 1 {
		c := &cur[0]
		if !from.After(c.ValidFrom) {
			return nil, registry.Errorf(registry.EINVALID, "effectiveFrom must be after the current version's start (%s): history is only appended to",
				c.ValidFrom.UTC().Format(time.RFC3339))
		}
		var err error
		if prev, err = openPersonal(keys, c); err != nil {
			return nil, err
		}
		version = c.Version + 1
		res := tx.Model(&personalRow{}).Where("investor_id = ? AND version = ? AND valid_to IS NULL", investorID, c.Version).
			Update("valid_to", from)
		if res.Error != nil {
			return nil, res.Error
		}
		if res.RowsAffected != 1 {
			return nil, registry.Errorf(registry.ECONFLICT, "investor %d's personal data changed concurrently; retry", investorID)
		}
	}
	row, err := sealedPersonalRow(keys, investorID, version, d, from, now, p.KeyID)
	if err != nil {
		return nil, err
	}
	if err := tx.Create(&row).Error; err != nil {
		return nil, err
	}
	if err := s.appendAudit(tx, p, sellerID, "personal_data.set", "investor", investorID, personalSetDetail(&row, prev, d)); err != nil {
		return nil, err
	}
	return &row, nil
}

// personalSetDetail is the audit detail of a recorded version: which fields
// changed, never their values.
func personalSetDetail(row *personalRow, prev, next *registry.PersonalData) map[string]any {
	return map[string]any{"version": row.Version, "validFrom": row.ValidFrom, "changed": changedFields(prev, next), "keyId": row.KeyID}
}

// personalSubject returns the onboarding seller of an existing investor. Any
// authenticated caller learns whether the investor exists (it is shown
// redacted); only CanReadPersonalData callers see the data.
func (s *Records) personalSubject(db *gorm.DB, investorID int64) (sellerID int64, err error) {
	var rows []int64
	if err := db.Raw(`SELECT seller_id FROM investors WHERE id = ?`, investorID).Scan(&rows).Error; err != nil {
		return 0, s.translate(err)
	}
	if len(rows) == 0 {
		return 0, registry.Errorf(registry.ENOTFOUND, "investor %d not found", investorID)
	}
	return rows[0], nil
}

// PersonalData returns the version valid at the instant at (nil: now),
// redacted unless the caller may read it; a read that shows data is audited
// first, and refused if the audit record cannot be written.
func (s *Records) PersonalData(ctx context.Context, investorID int64, at *time.Time) (*registry.PersonalRecord, error) {
	recs, err := s.personalRead(ctx, investorID, at, false)
	if err != nil {
		return nil, err
	}
	return recs[0], nil
}

// PersonalDataVersions lists every version, oldest first, redacted unless the
// caller may read them; audited like PersonalData.
func (s *Records) PersonalDataVersions(ctx context.Context, investorID int64) ([]*registry.PersonalRecord, error) {
	return s.personalRead(ctx, investorID, nil, true)
}

func (s *Records) personalRead(ctx context.Context, investorID int64, at *time.Time, all bool) ([]*registry.PersonalRecord, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	db := s.read(ctx)
	sellerID, err := s.personalSubject(db, investorID)
	if err != nil {
		return nil, err
	}
	q := db.Where("investor_id = ?", investorID)
	when := s.now()
	if at != nil {
		when = at.UTC()
	}
	if !all {
		q = q.Where("valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)", when, when).Limit(1)
	}
	var rows []personalRow
	if err := q.Order("version").Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	if len(rows) == 0 {
		if all {
			return nil, registry.Errorf(registry.ENOTFOUND, "investor %d has no personal data recorded", investorID)
		}
		return nil, registry.Errorf(registry.ENOTFOUND, "investor %d has no personal data valid at %s", investorID, when.Format(time.RFC3339))
	}
	out := make([]*registry.PersonalRecord, len(rows))
	for i := range rows {
		out[i] = rows[i].record()
	}
	if !registry.CanReadPersonalData(p, sellerID) {
		return out, nil
	}
	for i := range rows {
		if out[i].Data, err = s.open(&rows[i]); err != nil {
			return nil, err
		}
		out[i].Redacted = false
	}
	versions := make([]int, len(rows))
	for i := range rows {
		versions[i] = rows[i].Version
	}
	detail := map[string]any{"versions": versions}
	if at != nil {
		detail["at"] = when
	}
	err = s.writeState(context.WithoutCancel(ctx), func(tx *gorm.DB) error {
		return s.appendAudit(tx, p, &sellerID, "personal_data.read", "investor", investorID, detail)
	})
	if err != nil {
		return nil, fmt.Errorf("audit the read of investor %d's personal data: %w", investorID, err)
	}
	return out, nil
}

// RotateDataKeys re-wraps the data key of every personal data version not
// under the keyring's current master key, in transactions of batch rows, so
// a running node keeps reading throughout (each row is readable under its old
// or its new key, and the node's keyring holds both). A node that wrote a
// version under the old key before it re-read its key file (it checks once a
// second) is caught by another pass: passes repeat, a little apart, until no
// version is left under another key, five at most. It returns the rows
// re-wrapped. Ciphertext is untouched.
func (s *Records) RotateDataKeys(ctx context.Context, batch int) (int, error) {
	if err := s.requireKeys(); err != nil {
		return 0, err
	}
	if batch <= 0 {
		batch = 500
	}
	current := s.keys.CurrentID()
	total := 0
	for pass := 0; pass < rotationPasses; pass++ {
		if pass > 0 {
			select {
			case <-ctx.Done():
				return total, ctx.Err()
			case <-time.After(rotationPause):
			}
		}
		n, err := s.rotatePass(ctx, current, batch)
		total += n
		if err != nil {
			return total, err
		}
		var left int64
		if err := s.read(ctx).Model(&personalRow{}).Where("key_id <> ?", current).Count(&left).Error; err != nil {
			return total, s.translate(err)
		}
		if left == 0 {
			break
		}
	}
	cli := &registry.Principal{KeyID: "cli", Role: registry.RoleOperator}
	err := s.writeState(context.WithoutCancel(ctx), func(tx *gorm.DB) error {
		return s.appendAudit(tx, cli, nil, "data_key.rotate", "data_key", current, map[string]any{"rewrapped": total})
	})
	return total, err
}

// Rotation passes: how many at most, and how far apart (past a node's key
// file check interval).
const (
	rotationPasses = 5
	rotationPause  = 1500 * time.Millisecond
)

// rotatePass re-wraps, in key order, every version not under current.
func (s *Records) rotatePass(ctx context.Context, current string, batch int) (int, error) {
	total := 0
	type rowKey struct {
		InvestorID int64
		Version    int
	}
	after := rowKey{}
	for {
		var rows []personalRow
		err := s.read(ctx).Where("key_id <> ? AND (investor_id > ? OR (investor_id = ? AND version > ?))", current, after.InvestorID, after.InvestorID, after.Version).
			Order("investor_id, version").Limit(batch).Find(&rows).Error
		if err != nil {
			return total, s.translate(err)
		}
		if len(rows) == 0 {
			return total, nil
		}
		last := rows[len(rows)-1]
		after = rowKey{last.InvestorID, last.Version}
		n := 0
		err = s.writeState(ctx, func(tx *gorm.DB) error {
			n = 0
			for i := range rows {
				r := &rows[i]
				env, err := r.envelope()
				if err != nil {
					return err
				}
				next, changed, err := s.keys.Rewrap(env, personalAAD(r.InvestorID, r.Version))
				if err != nil {
					return fmt.Errorf("investor %d v%d: %w", r.InvestorID, r.Version, err)
				}
				if !changed {
					continue
				}
				// Matching the old wrapping: a row another rotation re-wrapped
				// meanwhile is left as that one wrote it.
				res := tx.Model(&personalRow{}).Where("investor_id = ? AND version = ? AND key_id = ? AND wrapped_key = ?",
					r.InvestorID, r.Version, r.KeyID, r.WrappedKey).
					Updates(map[string]any{"key_id": next.KeyID, "wrapped_key": base64.StdEncoding.EncodeToString(next.WrappedKey)})
				if res.Error != nil {
					return res.Error
				}
				n += int(res.RowsAffected)
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		total += n
	}
}

// PersonalKeyUse counts personal data versions per master key id: what an
// operator checks before removing an old key from the keyring.
func (s *Records) PersonalKeyUse(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		KeyID string
		N     int64
	}
	if err := s.read(ctx).Raw(`SELECT key_id, COUNT(*) AS n FROM investor_personal_data GROUP BY key_id`).Scan(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.KeyID] = r.N
	}
	return out, nil
}
