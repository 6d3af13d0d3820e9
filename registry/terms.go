package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Term changes reach the chain as operations: OpSetTerms sets the token's
// lock-up end, holder cap and supply cap (the admin's setters), and
// OpSetCountryRule the registry's country rule (the writer's), each to the
// issuance's terms after the change. Two kinds, because the admin and the
// writer may be different keys.
const (
	OpSetTerms       OperationKind = "SET_TERMS"
	OpSetCountryRule OperationKind = "SET_COUNTRY_RULE"
)

// Terms are the terms of an issuance a change may set after deployment. A
// nil field is left as it is; Clear names optional terms to remove.
type Terms struct {
	LockupEnd        *time.Time `json:"lockupEnd,omitempty"`
	MaxHolders       *int       `json:"maxHolders,omitempty"`
	AllowedCountries []string   `json:"allowedCountries,omitempty"`
	DeniedCountries  []string   `json:"deniedCountries,omitempty"`
	SupplyCap        *big.Int   `json:"supplyCap,omitempty"`
	OfferingStart    *time.Time `json:"offeringStart,omitempty"`
	OfferingEnd      *time.Time `json:"offeringEnd,omitempty"`
	// Clear removes terms: lockupEnd, supplyCap, offeringStart, offeringEnd
	// (set to none), allowedCountries, deniedCountries (emptied).
	Clear []string `json:"clear,omitempty"`
}

// ClearableTerms are the names Terms.Clear accepts.
var ClearableTerms = []string{"lockupEnd", "supplyCap", "offeringStart", "offeringEnd", "allowedCountries", "deniedCountries"}

func (t *Terms) clears(name string) bool { return slices.Contains(t.Clear, name) }

// Validate checks that the change changes something, names each term once,
// and clears only optional terms. The issuance as changed is validated when
// the change is applied and when it is requested.
func (t *Terms) Validate() error {
	set := map[string]bool{
		"lockupEnd": t.LockupEnd != nil, "maxHolders": t.MaxHolders != nil, "allowedCountries": t.AllowedCountries != nil,
		"deniedCountries": t.DeniedCountries != nil, "supplyCap": t.SupplyCap != nil,
		"offeringStart": t.OfferingStart != nil, "offeringEnd": t.OfferingEnd != nil,
	}
	any := false
	for _, v := range set {
		any = any || v
	}
	seen := map[string]bool{}
	for _, c := range t.Clear {
		if !slices.Contains(ClearableTerms, c) {
			return Errorf(EINVALID, "clear: %q is not a term that can be removed (one of lockupEnd, supplyCap, offeringStart, offeringEnd, allowedCountries, deniedCountries)", c)
		}
		if set[c] {
			return Errorf(EINVALID, "clear: %s is also set by this change", c)
		}
		if seen[c] {
			return Errorf(EINVALID, "clear: %s is named twice", c)
		}
		seen[c] = true
		any = true
	}
	if !any {
		return Errorf(EINVALID, "the change changes no term: set lockupEnd, maxHolders, allowedCountries, deniedCountries, supplyCap, offeringStart or offeringEnd, or name terms in clear")
	}
	if t.SupplyCap != nil && t.SupplyCap.Sign() <= 0 {
		return Errorf(EINVALID, "supplyCap must be a positive integer")
	}
	if t.MaxHolders != nil && *t.MaxHolders < 0 {
		return Errorf(EINVALID, "maxHolders must be between 0 (unlimited) and 1000000000")
	}
	return nil
}

// Apply returns a copy of iss with the change applied, validated as a whole.
func (t *Terms) Apply(iss *Issuance) (*Issuance, error) {
	out := *iss
	if t.LockupEnd != nil {
		v := t.LockupEnd.UTC()
		out.LockupEnd = &v
	}
	if t.MaxHolders != nil {
		out.MaxHolders = *t.MaxHolders
		out.MaxHolders = out.HolderCap() // a small-number placement's 0 means its default cap
	}
	if t.AllowedCountries != nil {
		out.AllowedCountries = slices.Clone(t.AllowedCountries)
	}
	if t.DeniedCountries != nil {
		out.DeniedCountries = slices.Clone(t.DeniedCountries)
	}
	if t.SupplyCap != nil {
		out.SupplyCap = new(big.Int).Set(t.SupplyCap)
	}
	if t.OfferingStart != nil {
		v := t.OfferingStart.UTC()
		out.OfferingStart = &v
	}
	if t.OfferingEnd != nil {
		v := t.OfferingEnd.UTC()
		out.OfferingEnd = &v
	}
	for _, c := range t.Clear {
		switch c {
		case "lockupEnd":
			out.LockupEnd = nil
		case "supplyCap":
			out.SupplyCap = nil
		case "offeringStart":
			out.OfferingStart = nil
		case "offeringEnd":
			out.OfferingEnd = nil
		case "allowedCountries":
			out.AllowedCountries = []string{}
		case "deniedCountries":
			out.DeniedCountries = []string{}
		}
	}
	if err := out.Validate(); err != nil {
		return nil, err
	}
	if out.SupplyCap != nil && out.SupplyCap.Sign() <= 0 {
		return nil, Errorf(EINVALID, "supplyCap must be a positive integer")
	}
	return &out, nil
}

// Touched returns the terms the change names, as iss has them: the values a
// change replaced, kept in its history.
func (t *Terms) Touched(iss *Issuance) Terms {
	var out Terms
	named := func(name string, set bool) bool { return set || t.clears(name) }
	if named("lockupEnd", t.LockupEnd != nil) {
		if iss.LockupEnd == nil {
			out.Clear = append(out.Clear, "lockupEnd")
		} else {
			out.LockupEnd = iss.LockupEnd
		}
	}
	if t.MaxHolders != nil {
		v := iss.MaxHolders
		out.MaxHolders = &v
	}
	if named("allowedCountries", t.AllowedCountries != nil) {
		if len(iss.AllowedCountries) == 0 {
			out.Clear = append(out.Clear, "allowedCountries")
		} else {
			out.AllowedCountries = slices.Clone(iss.AllowedCountries)
		}
	}
	if named("deniedCountries", t.DeniedCountries != nil) {
		if len(iss.DeniedCountries) == 0 {
			out.Clear = append(out.Clear, "deniedCountries")
		} else {
			out.DeniedCountries = slices.Clone(iss.DeniedCountries)
		}
	}
	if named("supplyCap", t.SupplyCap != nil) {
		if iss.SupplyCap == nil {
			out.Clear = append(out.Clear, "supplyCap")
		} else {
			out.SupplyCap = new(big.Int).Set(iss.SupplyCap)
		}
	}
	if named("offeringStart", t.OfferingStart != nil) {
		if iss.OfferingStart == nil {
			out.Clear = append(out.Clear, "offeringStart")
		} else {
			out.OfferingStart = iss.OfferingStart
		}
	}
	if named("offeringEnd", t.OfferingEnd != nil) {
		if iss.OfferingEnd == nil {
			out.Clear = append(out.Clear, "offeringEnd")
		} else {
			out.OfferingEnd = iss.OfferingEnd
		}
	}
	return out
}

// ChainTerms are the terms the contracts enforce, in their on-chain form.
type ChainTerms struct {
	LockupEnd  int64    // unix seconds, 0 = none
	MaxHolders uint32   // 0 = unlimited (the chain counts wallets)
	AllowList  bool     // the country rule's mode
	Countries  []string // its countries
	SupplyCap  *big.Int // nil = none
}

// ChainTermsOf derives the contracts' terms from an issuance, as a deployment
// sets them.
func ChainTermsOf(iss *Issuance) ChainTerms {
	c := ChainTerms{MaxHolders: uint32(iss.HolderCap())}
	if iss.LockupEnd != nil && iss.LockupEnd.Unix() > 0 {
		c.LockupEnd = iss.LockupEnd.Unix() // one before 1970 has ended: none
	}
	if len(iss.AllowedCountries) > 0 {
		c.AllowList, c.Countries = true, slices.Clone(iss.AllowedCountries)
	} else {
		c.Countries = slices.Clone(iss.DeniedCountries)
	}
	if iss.SupplyCap != nil {
		c.SupplyCap = new(big.Int).Set(iss.SupplyCap)
	}
	return c
}

// OnChain lists the on-chain settings a change of iss's terms from before to
// after alters: "lockupEnd", "maxHolders", "countryRule", "supplyCap". The
// offering window is the registry's alone.
func OnChain(before, after *Issuance) []string {
	b, a := ChainTermsOf(before), ChainTermsOf(after)
	var out []string
	if a.LockupEnd != b.LockupEnd {
		out = append(out, "lockupEnd")
	}
	if a.MaxHolders != b.MaxHolders {
		out = append(out, "maxHolders")
	}
	if a.AllowList != b.AllowList || !slices.Equal(sortedCopy(a.Countries), sortedCopy(b.Countries)) {
		out = append(out, "countryRule")
	}
	if (a.SupplyCap == nil) != (b.SupplyCap == nil) || a.SupplyCap != nil && a.SupplyCap.Cmp(b.SupplyCap) != 0 {
		out = append(out, "supplyCap")
	}
	return out
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

// TermChangeStatus is where a term change stands.
type TermChangeStatus string

const (
	TermChangeScheduled TermChangeStatus = "SCHEDULED" // waits for its effective time
	TermChangeApplied   TermChangeStatus = "APPLIED"   // the registry has the new terms (and the chain's are queued)
	TermChangeCancelled TermChangeStatus = "CANCELLED" // withdrawn before it applied
	TermChangeFailed    TermChangeStatus = "FAILED"    // invalid when it fell due (the issuance changed meanwhile)
)

// TermChange is one change of an issuance's terms: requested by whom, when
// and why, effective when, and what it replaced once applied.
type TermChange struct {
	ID           int64            `json:"id"`
	IssuanceID   int64            `json:"issuanceId"`
	SellerID     int64            `json:"sellerId"` // the issuance's lead seller
	Changes      Terms            `json:"changes"`
	Previous     *Terms           `json:"previous,omitempty"` // the values it replaced, once applied
	EffectiveAt  time.Time        `json:"effectiveAt"`
	Reason       string           `json:"reason"`
	Status       TermChangeStatus `json:"status"`
	RequestedBy  string           `json:"requestedBy"`
	CreatedAt    time.Time        `json:"createdAt"`
	AppliedAt    *time.Time       `json:"appliedAt,omitempty"`
	CancelledBy  string           `json:"cancelledBy,omitempty"`
	CancelledAt  *time.Time       `json:"cancelledAt,omitempty"`
	CancelReason string           `json:"cancelReason,omitempty"`
	Error        string           `json:"error,omitempty"` // why a FAILED change could not apply
	// OnChain lists the contract settings the change alters; OperationID is
	// the SET_TERMS operation carrying the token's, CountryRuleOperationID
	// the SET_COUNTRY_RULE one carrying the registry's, once applied.
	OnChain                []string `json:"onChain,omitempty"`
	OperationID            *int64   `json:"operationId,omitempty"`
	CountryRuleOperationID *int64   `json:"countryRuleOperationId,omitempty"`
	// ChainStatus sums up the operations: FAILED if one failed, SUCCEEDED
	// when all did, else the least advanced one's status.
	ChainStatus OperationStatus `json:"chainStatus,omitempty"`
}

// TermChangeRequest asks for a change; EffectiveAt nil (or not after now)
// applies it at once.
type TermChangeRequest struct {
	Changes     Terms
	EffectiveAt *time.Time
	Reason      string
}

// TermChangeFilter narrows an issuance's term changes.
type TermChangeFilter struct {
	Status TermChangeStatus
	Page   Page
}

// Validate checks the status filter.
func (f TermChangeFilter) Validate() error {
	if f.Status == "" {
		return nil
	}
	return oneOf("status", f.Status, TermChangeScheduled, TermChangeApplied, TermChangeCancelled, TermChangeFailed)
}

// TermService changes an issuance's terms: the operator or its lead seller.
type TermService interface {
	ChangeTerms(ctx context.Context, issuanceID int64, r TermChangeRequest) (*TermChange, error)
	TermChanges(ctx context.Context, issuanceID int64, f TermChangeFilter) ([]*TermChange, error)
	TermChange(ctx context.Context, issuanceID, changeID int64) (*TermChange, error)
	CancelTermChange(ctx context.Context, issuanceID, changeID int64, reason string) (*TermChange, error)
}

// TermSchedule is the store side of scheduled changes.
type TermSchedule interface {
	// ApplyDueTermChanges applies every SCHEDULED change whose time has come,
	// each exactly once, and reports how many it applied.
	ApplyDueTermChanges(ctx context.Context) (int, error)
	// NextTermChange is when the earliest SCHEDULED change falls due.
	NextTermChange(ctx context.Context) (time.Time, bool, error)
}

// RunTermSchedule applies scheduled term changes as they fall due until ctx
// ends: it sleeps until the next one (at most poll, so changes scheduled by
// another node are seen), applies what is due, and calls applied (if not nil)
// after it applied any, e.g. to wake the chain worker. A change missed while
// the node was down applies at the next start.
func RunTermSchedule(ctx context.Context, store TermSchedule, poll time.Duration, now func() time.Time, log *slog.Logger, applied func()) {
	if poll <= 0 {
		poll = 5 * time.Second
	}
	for {
		n, err := store.ApplyDueTermChanges(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("apply due term changes", slog.Any("err", err))
		}
		if n > 0 {
			log.Info("term changes applied", slog.Int("count", n))
			if applied != nil {
				applied()
			}
		}
		wait := poll
		if next, ok, err := store.NextTermChange(ctx); err == nil && ok {
			wait = min(max(next.Sub(now()), 0), poll)
		}
		if err != nil || n > 0 {
			wait = min(wait, time.Second)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(max(wait, 10*time.Millisecond)):
		}
	}
}

// SetTermsRequest is the persisted request of a SET_TERMS operation: the
// settings to write (a comma-separated subset of lockupEnd, maxHolders,
// countryRule, supplyCap) with their values from c, and the change it carries.
func SetTermsRequest(changeID int64, c ChainTerms, settings []string) map[string]string {
	m := map[string]string{"termChange": strconv.FormatInt(changeID, 10), "settings": strings.Join(settings, ",")}
	for _, s := range settings {
		switch s {
		case "lockupEnd":
			m["lockupEnd"] = strconv.FormatInt(c.LockupEnd, 10)
		case "maxHolders":
			m["maxHolders"] = strconv.FormatUint(uint64(c.MaxHolders), 10)
		case "countryRule":
			mode := "deny"
			if c.AllowList {
				mode = "allow"
			}
			m["countryRule"] = mode + ":" + strings.Join(c.Countries, ",")
		case "supplyCap":
			m["supplyCap"] = "none"
			if c.SupplyCap != nil {
				m["supplyCap"] = c.SupplyCap.String()
			}
		}
	}
	return m
}

// ParseSetTerms rebuilds a SET_TERMS operation's settings and values.
func ParseSetTerms(op *Operation) (ChainTerms, []string, error) {
	var c ChainTerms
	settings := splitNonEmpty(op.Request["settings"])
	if len(settings) == 0 {
		return c, nil, Errorf(EINVALID, "SET_TERMS operation %d names no settings", op.ID)
	}
	for _, s := range settings {
		v, ok := op.Request[s]
		if !ok {
			return c, nil, Errorf(EINVALID, "SET_TERMS operation %d: %s has no value", op.ID, s)
		}
		var err error
		switch s {
		case "lockupEnd":
			c.LockupEnd, err = strconv.ParseInt(v, 10, 64)
			if err == nil && (c.LockupEnd < 0 || c.LockupEnd >= 1<<40) {
				err = Errorf(EINVALID, "lockupEnd %d does not fit the token's uint40", c.LockupEnd)
			}
		case "maxHolders":
			var n uint64
			n, err = strconv.ParseUint(v, 10, 32)
			c.MaxHolders = uint32(n)
		case "countryRule":
			mode, list, found := strings.Cut(v, ":")
			if !found || mode != "allow" && mode != "deny" {
				err = Errorf(EINVALID, "countryRule %q is not allow:… or deny:…", v)
				break
			}
			c.AllowList, c.Countries = mode == "allow", splitNonEmpty(list)
			for _, cc := range c.Countries {
				if !ValidCountry(cc) {
					err = Errorf(EINVALID, "countryRule: %q is not a country code", cc)
				}
			}
		case "supplyCap":
			if v != "none" {
				c.SupplyCap, err = ParseAmount("supplyCap", v)
			}
		default:
			err = Errorf(EINVALID, "unknown setting %q", s)
		}
		if err != nil {
			return c, nil, fmt.Errorf("SET_TERMS operation %d: %w", op.ID, err)
		}
	}
	return c, settings, nil
}

func splitNonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// termsJSON is Terms on the wire: the supply cap as a decimal string, as
// every amount in the API, so no JSON reader rounds it.
type termsJSON struct {
	LockupEnd        *time.Time `json:"lockupEnd,omitempty"`
	MaxHolders       *int       `json:"maxHolders,omitempty"`
	AllowedCountries []string   `json:"allowedCountries,omitempty"`
	DeniedCountries  []string   `json:"deniedCountries,omitempty"`
	SupplyCap        *string    `json:"supplyCap,omitempty"`
	OfferingStart    *time.Time `json:"offeringStart,omitempty"`
	OfferingEnd      *time.Time `json:"offeringEnd,omitempty"`
	Clear            []string   `json:"clear,omitempty"`
}

// MarshalJSON writes the supply cap as a decimal string.
func (t Terms) MarshalJSON() ([]byte, error) {
	j := termsJSON{LockupEnd: t.LockupEnd, MaxHolders: t.MaxHolders, AllowedCountries: t.AllowedCountries,
		DeniedCountries: t.DeniedCountries, OfferingStart: t.OfferingStart, OfferingEnd: t.OfferingEnd, Clear: t.Clear}
	if t.SupplyCap != nil {
		v := t.SupplyCap.String()
		j.SupplyCap = &v
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes; the supply cap must be a
// decimal string of a non-negative integer.
func (t *Terms) UnmarshalJSON(b []byte) error {
	var j termsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*t = Terms{LockupEnd: j.LockupEnd, MaxHolders: j.MaxHolders, AllowedCountries: j.AllowedCountries,
		DeniedCountries: j.DeniedCountries, OfferingStart: j.OfferingStart, OfferingEnd: j.OfferingEnd, Clear: j.Clear}
	if j.SupplyCap != nil {
		v, err := ParseAmount("supplyCap", *j.SupplyCap)
		if err != nil {
			return err
		}
		t.SupplyCap = v
	}
	return nil
}
