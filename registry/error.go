// Package registry holds stonode's domain: sellers, issuances, investors, whitelist
// entries, API keys and the audit log, the reason codes eligibility decisions are
// made of, and the service interfaces the store and API implement and consume.
// It imports no web framework, ORM or chain client.
package registry

import (
	"errors"
	"fmt"
)

// Error codes: stable strings clients can switch on. The API maps each to one
// HTTP status in a single table.
const (
	ECONFLICT     = "conflict"     // state conflict, e.g. duplicate or invalid transition
	EINTERNAL     = "internal"     // unexpected failure; details are logged, not returned
	EINVALID      = "invalid"      // malformed or semantically invalid input
	ENOTFOUND     = "not_found"    // missing, or owned by another tenant
	EUNAUTHORIZED = "unauthorized" // missing or unknown credentials
	EFORBIDDEN    = "forbidden"    // authenticated but the role may not do this
	ETOOLARGE     = "too_large"    // request body or batch beyond the limit
	EREFUSED      = "refused"      // a rule refused the operation (policy or eligibility)
	EUNAVAILABLE  = "unavailable"  // a dependency (database, chain) is not reachable
)

// Error is a domain error with a stable code and a message safe to show a client.
// Reasons carry rule failures when Code is EREFUSED.
type Error struct {
	Code    string
	Message string
	Reasons []Reason
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf builds an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any
// other non-nil error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of err: the *Error's message, or a
// generic text for internal errors so that internals never leak.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
