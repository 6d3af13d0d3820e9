package store

import (
	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// The SQL forms of the registry's access rules (registry/authz.go), for lists
// that page in the database and so cannot filter row by row in Go. Each says
// what its rule says; change them together.

// readableByIssuance is registry.CanRead on rows keyed by issuance_id: a seller
// sees the rows of issuances it leads or handles.
func readableByIssuance(q *gorm.DB, p *registry.Principal) *gorm.DB {
	if p.Role != registry.RoleSeller {
		return q
	}
	return q.Where("issuance_id IN (SELECT id FROM issuances WHERE lead_seller_id = ? UNION SELECT issuance_id FROM issuance_sellers WHERE seller_id = ?)", p.SellerID, p.SellerID)
}

// operableByIssuance is registry.CanOperate on rows keyed by issuance_id: a
// seller sees the rows of issuances it leads.
func operableByIssuance(q *gorm.DB, p *registry.Principal) *gorm.DB {
	if p.Role != registry.RoleSeller {
		return q
	}
	return q.Where("issuance_id IN (SELECT id FROM issuances WHERE lead_seller_id = ?)", p.SellerID)
}

// handledBySeller is the issuances table's own form of registry.CanRead for
// one seller: those it leads or handles.
const handledBySeller = "lead_seller_id = ? OR id IN (SELECT issuance_id FROM issuance_sellers WHERE seller_id = ?)"
