package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// Keys look like stn_<id>_<secret>: the id is public (it names the key in audit
// records), the secret is 256 random bits. Only a SHA-256 of the whole key is
// stored; a fast hash suffices because the secret is random, not a password.
const keyPrefix = "stn_"

func newKeySecret() (id, secret string, err error) {
	idBytes := make([]byte, 8)
	secretBytes := make([]byte, 32)
	if _, err := rand.Read(idBytes); err != nil {
		return "", "", err
	}
	if _, err := rand.Read(secretBytes); err != nil {
		return "", "", err
	}
	id = hex.EncodeToString(idBytes)
	return id, keyPrefix + id + "_" + base64.RawURLEncoding.EncodeToString(secretBytes), nil
}

func hashKey(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateKey issues a key. Operators issue any key; the CLI bootstraps the first
// operator key with a system principal.
func (s *Registry) CreateKey(ctx context.Context, role registry.Role, sellerID *int64, name string) (*registry.NewKey, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator); err != nil {
		return nil, err
	}
	switch role {
	case registry.RoleSeller:
		if sellerID == nil {
			return nil, registry.Errorf(registry.EINVALID, "a seller key needs a seller")
		}
	case registry.RoleOperator, registry.RoleReader:
		if sellerID != nil {
			return nil, registry.Errorf(registry.EINVALID, "only seller keys belong to a seller")
		}
	default:
		return nil, registry.Errorf(registry.EINVALID, "role must be one of operator, seller, reader")
	}
	if err := registry.LimitText("name", name, 100); err != nil {
		return nil, err
	}
	id, secret, err := newKeySecret()
	if err != nil {
		return nil, err
	}
	row := &apiKeyRow{ID: id, Hash: hashKey(secret), Role: string(role), SellerID: sellerID, Name: name, CreatedAt: s.now()}
	err = s.write(ctx, func(tx *gorm.DB) error {
		if sellerID != nil {
			sel, err := s.sellerByID(tx, *sellerID)
			if err != nil {
				return err
			}
			if sel.Status == registry.SellerRevoked {
				return registry.Errorf(registry.ECONFLICT, "seller %d is revoked", *sellerID)
			}
		}
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, p, sellerID, "key.create", "api_key", id, row.domain())
	})
	if err != nil {
		return nil, err
	}
	return &registry.NewKey{APIKey: *row.domain(), Secret: secret}, nil
}

// Keys lists keys: a seller's when f.SellerID is set, otherwise operator and
// reader keys, a page at a time in creation order.
func (s *Registry) Keys(ctx context.Context, f registry.KeyFilter) ([]*registry.APIKey, error) {
	sellerID := f.SellerID
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case p.Role == registry.RoleOperator:
	case p.Role == registry.RoleSeller && sellerID != nil && *sellerID == p.SellerID:
	default:
		return nil, registry.Errorf(registry.ENOTFOUND, "not found")
	}
	scope := func(q *gorm.DB) *gorm.DB {
		if sellerID != nil {
			return q.Where("seller_id = ?", *sellerID)
		}
		return q.Where("seller_id IS NULL")
	}
	if sellerID != nil {
		if _, err := s.sellerByID(s.read(ctx), *sellerID); err != nil {
			return nil, err
		}
	}
	q := scope(s.read(ctx)).Order("created_at, id")
	if f.After != "" {
		// Keyset on (created_at, id): the cursor key must be one of this list.
		var n int64
		if err := scope(s.read(ctx).Model(&apiKeyRow{})).Where("id = ?", f.After).Count(&n).Error; err != nil {
			return nil, s.translate(err)
		}
		if n == 0 {
			return nil, registry.Errorf(registry.EINVALID, "after must be the id of a key in this list (the next of the previous page)")
		}
		// Compared with the stored value itself, so no timestamp round trip
		// through the driver can shift the boundary.
		q = q.Where("(created_at > (SELECT created_at FROM api_keys WHERE id = ?) OR (created_at = (SELECT created_at FROM api_keys WHERE id = ?) AND id > ?))",
			f.After, f.After, f.After)
	}
	var rows []apiKeyRow
	if err := q.Limit(registry.Page{Limit: f.Limit}.Normalize().Limit).Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]*registry.APIKey, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// RevokeKey revokes a key. sellerID must match the key's seller (nil for
// operator and reader keys) so a key is only reachable under its own path.
func (s *Registry) RevokeKey(ctx context.Context, sellerID *int64, keyID string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if err := requireRole(p, registry.RoleOperator); err != nil {
		return err
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		q := tx.Where("id = ?", keyID)
		if sellerID != nil {
			q = q.Where("seller_id = ?", *sellerID)
		} else {
			q = q.Where("seller_id IS NULL")
		}
		var row apiKeyRow
		if err := q.Take(&row).Error; err != nil {
			if registry.ErrorCode(s.translate(err)) == registry.ENOTFOUND {
				return registry.Errorf(registry.ENOTFOUND, "key %s not found", keyID)
			}
			return err
		}
		if row.RevokedAt != nil {
			return nil // revoking twice is harmless
		}
		now := s.now()
		if err := tx.Model(&apiKeyRow{}).Where("id = ?", keyID).Update("revoked_at", now).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, p, sellerID, "key.revoke", "api_key", keyID, map[string]any{"revokedAt": now})
	})
}

// Authenticate resolves a presented key to its principal. A key checked once
// is cached by its digest until the next write to the shared scope (a
// revocation is one), so most requests cost a hash and a map look-up.
func (s *Registry) Authenticate(ctx context.Context, secret string) (*registry.Principal, error) {
	rest, ok := strings.CutPrefix(secret, keyPrefix)
	if !ok {
		return nil, errBadKey()
	}
	id, _, ok := strings.Cut(rest, "_")
	if !ok || len(id) != 16 {
		return nil, errBadKey()
	}
	digest := sha256.Sum256([]byte(secret))
	gens, err := s.currentGenerations(ctx)
	if err != nil {
		return nil, err
	}
	gen := gens.shared
	if p, ok := s.cache.key(gen, digest); ok {
		out := *p
		out.Generation = gens.seq
		return &out, nil
	}
	var row apiKeyRow
	if err := s.read(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		if registry.ErrorCode(s.translate(err)) == registry.ENOTFOUND {
			return nil, errBadKey()
		}
		return nil, s.translate(err)
	}
	if row.RevokedAt != nil || subtle.ConstantTimeCompare([]byte(row.Hash), []byte(hex.EncodeToString(digest[:]))) != 1 {
		return nil, errBadKey()
	}
	pr := &registry.Principal{KeyID: row.ID, Role: registry.Role(row.Role)}
	if row.SellerID != nil {
		pr.SellerID = *row.SellerID
	}
	// Cached under the generation read before the key row: a revocation committed
	// in between bumps the generation, and this entry is dropped with it.
	s.cache.putKey(gen, digest, pr)
	out := *pr
	out.Generation = gens.seq
	return &out, nil
}

// errBadKey is the one answer to a key that is malformed, unknown or revoked.
func errBadKey() error {
	return registry.Errorf(registry.EUNAUTHORIZED, "invalid or revoked API key")
}
