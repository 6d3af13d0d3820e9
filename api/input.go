package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// Strict input at the edge: path and query parameters are checked here, once,
// before any handler or the database sees them.

// checkParams refuses a request whose query string does not parse, or whose
// path or query parameters (names or values) are not valid UTF-8 or hold a
// control character. No value in this API contains either, and PostgreSQL
// rejects NUL and invalid UTF-8 in text with a driver error that would
// otherwise surface as a 500.
func (s *Server) checkParams(c *gin.Context) {
	for _, p := range c.Params {
		if !paramText(p.Value) {
			s.fail(c, registry.Errorf(registry.EINVALID, "path parameter %s holds invalid UTF-8 or a control character", p.Key))
			return
		}
	}
	q, err := url.ParseQuery(c.Request.URL.RawQuery)
	if err != nil {
		s.fail(c, registry.Errorf(registry.EINVALID, "malformed query string"))
		return
	}
	for name, values := range q {
		if !paramText(name) {
			s.fail(c, registry.Errorf(registry.EINVALID, "a query parameter name holds invalid UTF-8 or a control character"))
			return
		}
		for _, v := range values {
			if !paramText(v) {
				s.fail(c, registry.Errorf(registry.EINVALID, "query parameter %s holds invalid UTF-8 or a control character", name))
				return
			}
		}
	}
	c.Next()
}

// paramText reports whether v is valid UTF-8 without C0 control characters or DEL.
func paramText(v string) bool {
	if !utf8.ValidString(v) {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] == 0x7f {
			return false
		}
	}
	return true
}

// pathID parses a path id with the one id parser; anything that is not a
// canonical id names no resource, so it is 404 like a missing one.
func (s *Server) pathID(c *gin.Context, name string) (int64, bool) {
	id, ok := registry.ParseID(c.Param(name))
	if !ok {
		s.fail(c, registry.Errorf(registry.ENOTFOUND, "%s %q not found", name, c.Param(name)))
		return 0, false
	}
	return id, true
}

// queryID parses an id filter; a malformed one is a bad request, not a miss.
func (s *Server) queryID(c *gin.Context, name string) (int64, bool) {
	id, ok := registry.ParseID(c.Query(name))
	if !ok {
		s.fail(c, registry.Errorf(registry.EINVALID, "%s must be a positive integer in decimal", name))
		return 0, false
	}
	return id, true
}

// queryCount parses an optional non-negative integer query parameter; set
// reports whether it was given (an empty value counts as not given).
func (s *Server) queryCount(c *gin.Context, name, what string) (n uint64, set, ok bool) {
	v := c.Query(name)
	if v == "" {
		return 0, false, true
	}
	n, ok = registry.ParseCount(v)
	if !ok {
		s.fail(c, registry.Errorf(registry.EINVALID, "%s must be %s", name, what))
		return 0, true, false
	}
	return n, true, true
}

// queryBlock parses an optional block number. The store keeps block numbers
// as BIGINT, so one beyond int64 is refused here rather than wrapped there.
func (s *Server) queryBlock(c *gin.Context, name string) (n uint64, set, ok bool) {
	n, set, ok = s.queryCount(c, name, "a block number")
	if ok && n > math.MaxInt64 {
		s.fail(c, registry.Errorf(registry.EINVALID, "%s must be a block number up to %d", name, int64(math.MaxInt64)))
		return 0, true, false
	}
	return n, set, ok
}

// limit parses the optional page size in [1, max].
func (s *Server) limit(c *gin.Context, max int) (int, bool) {
	n, set, ok := s.queryCount(c, "limit", "a page size")
	if !ok {
		return 0, false
	}
	if set && (n < 1 || n > uint64(max)) {
		s.fail(c, registry.Errorf(registry.EINVALID, "limit must be between 1 and %d", max))
		return 0, false
	}
	return int(n), true
}

// page reads the keyset cursor and limit query parameters.
func (s *Server) page(c *gin.Context) (registry.Page, bool) {
	var p registry.Page
	after, _, ok := s.queryCount(c, "after", "a non-negative integer cursor (the next of the previous page)")
	if !ok {
		return p, false
	}
	if after > math.MaxInt64 {
		s.fail(c, registry.Errorf(registry.EINVALID, "after must be a non-negative integer cursor (the next of the previous page)"))
		return p, false
	}
	if p.Limit, ok = s.limit(c, registry.MaxPageLimit); !ok {
		return p, false
	}
	p.After = int64(after)
	return p.Normalize(), true
}

// validKeyID reports whether v has the form of a key's public id, the <id> of
// stn_<id>_<secret>: 16 lower-case hex digits.
func validKeyID(v string) bool {
	if len(v) != 16 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if (v[i] < '0' || v[i] > '9') && (v[i] < 'a' || v[i] > 'f') {
			return false
		}
	}
	return true
}

// valid answers 400 with err when it is not nil.
func (s *Server) valid(c *gin.Context, err error) bool {
	if err != nil {
		s.fail(c, err)
		return false
	}
	return true
}

// bodyKey is where decode leaves the raw request body in the gin context.
const bodyKey = "stonode.body"

// decode reads a JSON body strictly: bounded size, no unknown fields, one value.
func (s *Server) decode(c *gin.Context, dst any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(c, registry.Errorf(registry.ETOOLARGE, "request body exceeds %d bytes", MaxBodyBytes))
		} else {
			s.fail(c, registry.Errorf(registry.EINVALID, "could not read request body"))
		}
		return false
	}
	c.Set(bodyKey, body) // for the audit record should the request be refused
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		// No body is the same as {}: endpoints with optional fields accept it, and
		// missing required fields are reported by validation like any other.
		return true
	}
	// Every request body is an object. encoding/json would take null as "leave
	// every field unset", i.e. {}, which for PUT .../categories meant "clear all".
	if trimmed[0] != '{' {
		s.fail(c, registry.Errorf(registry.EINVALID, "request body must be a JSON object"))
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		s.fail(c, jsonError(err))
		return false
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		s.fail(c, registry.Errorf(registry.EINVALID, "request body must hold exactly one JSON value"))
		return false
	}
	return true
}

func jsonError(err error) error {
	var de *registry.Error
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var timeErr *time.ParseError
	switch {
	case errors.As(err, &de):
		return de
	case errors.As(err, &typeErr):
		return registry.Errorf(registry.EINVALID, "field %q must be of type %s", typeErr.Field, typeErr.Type)
	case errors.As(err, &syntaxErr):
		return registry.Errorf(registry.EINVALID, "malformed JSON at byte %d", syntaxErr.Offset)
	case errors.As(err, &timeErr):
		return registry.Errorf(registry.EINVALID, "timestamps must be RFC 3339, e.g. 2026-01-02T15:04:05Z")
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return registry.Errorf(registry.EINVALID, "%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return registry.Errorf(registry.EINVALID, "invalid JSON body")
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
