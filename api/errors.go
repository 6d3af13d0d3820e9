package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// statusByCode is the one place domain error codes become HTTP statuses.
var statusByCode = map[string]int{
	registry.EINVALID:      http.StatusBadRequest,
	registry.EUNAUTHORIZED: http.StatusUnauthorized,
	registry.EFORBIDDEN:    http.StatusForbidden,
	registry.ENOTFOUND:     http.StatusNotFound,
	registry.ECONFLICT:     http.StatusConflict,
	registry.EREFUSED:      http.StatusConflict,
	registry.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	registry.EUNAVAILABLE:  http.StatusServiceUnavailable,
	registry.EINTERNAL:     http.StatusInternalServerError,
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Reasons []reasonJSON `json:"reasons,omitempty"`
}

// fail writes err as a JSON error with its mapped status and aborts the chain.
func (s *Server) fail(c *gin.Context, err error) {
	code := registry.ErrorCode(err)
	if errors.Is(err, context.Canceled) {
		code = registry.EUNAVAILABLE
	}
	status, ok := statusByCode[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	body := errorBody{Error: errorDetail{Code: code, Message: registry.ErrorMessage(err)}}
	var de *registry.Error
	if errors.As(err, &de) && len(de.Reasons) > 0 {
		body.Error.Reasons = reasonsJSON(de.Reasons)
	}
	if status >= 500 {
		s.log.ErrorContext(c.Request.Context(), "request failed", slog.String("route", c.FullPath()), slog.Any("err", err))
	}
	if code == registry.EREFUSED {
		s.recordRefusal(c, err)
	}
	c.AbortWithStatusJSON(status, body)
}

// recordRefusal keeps a refused request in the audit log. Every refusal passes
// through fail, so this is the one place they are recorded, whichever rule
// (product policy, eligibility engine, seller check) said no. The answer to the
// client stands even if the record cannot be written; that failure is logged.
func (s *Server) recordRefusal(c *gin.Context, err error) {
	ctx := c.Request.Context()
	if registry.PrincipalFrom(ctx) == nil {
		return // refusals come from authenticated routes; nothing to file otherwise
	}
	r := registry.Refusal{Request: c.Request.Method + " " + c.FullPath(), Message: registry.ErrorMessage(err)}
	var de *registry.Error
	if errors.As(err, &de) {
		r.Reasons = de.Reasons
	}
	if strings.HasPrefix(c.FullPath(), "/v1/issuances/:id") {
		r.IssuanceID, _ = registry.ParseID(c.Param("id"))
	}
	if body, ok := c.Get(bodyKey); ok {
		r.Body, _ = body.([]byte)
	}
	// The refusal is recorded even when the client has gone away.
	if err := s.svc.RecordRefusal(context.WithoutCancel(ctx), r); err != nil {
		s.log.ErrorContext(ctx, "recording a refusal in the audit log failed", slog.String("route", c.FullPath()), slog.Any("err", err))
	}
}
