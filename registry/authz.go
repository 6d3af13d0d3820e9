package registry

import "fmt"

// The access rules of the registry, in one place. Role gates (which roles may
// call an operation at all) stay with each operation; these are the tenancy
// rules between a principal and an issuance or a seller. The store keeps the
// SQL form of CanRead and CanOperate for list filters (store/authz.go); the two
// must say the same thing.

// CanRead reports whether p sees iss: the operator and readers see every
// issuance, a seller those it leads or handles. A caller that cannot read an
// issuance is told it does not exist.
func CanRead(p *Principal, iss *Issuance) bool {
	return p != nil && (p.Role != RoleSeller || iss.HandledBy(p.SellerID))
}

// CanOperate reports whether p may run iss — change its status, deploy,
// attach or retire its contracts, operate its token, reconcile its whitelist —
// and read what names every seller's investors (transfers, holders, alerts). A
// seller may only for the issuances it leads: a handling seller sees the
// issuance but does not run it.
func CanOperate(p *Principal, iss *Issuance) bool {
	return p != nil && (p.Role != RoleSeller || iss.LeadSellerID == p.SellerID)
}

// RequireOperate is CanOperate as an error: EFORBIDDEN "only the lead seller
// <what>".
func RequireOperate(p *Principal, iss *Issuance, what string, args ...any) error {
	if CanOperate(p, iss) {
		return nil
	}
	return Errorf(EFORBIDDEN, "only the lead seller %s", fmt.Sprintf(what, args...))
}

// ActsForSeller reports whether p acts for the seller: the operator for every
// seller, a seller for itself only.
func ActsForSeller(p *Principal, sellerID int64) bool {
	return p != nil && (p.Role == RoleOperator || p.Role == RoleSeller && p.SellerID == sellerID)
}

// CanReadPersonalData reports whether p may read the personal data of an
// investor onboarded by sellerID: the operator, and that seller only. Every
// other caller — another seller, the lead seller of an issuance the investor
// holds, a reader key — sees it redacted.
func CanReadPersonalData(p *Principal, sellerID int64) bool { return ActsForSeller(p, sellerID) }
