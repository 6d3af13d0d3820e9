package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

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
	c.AbortWithStatusJSON(status, body)
}
