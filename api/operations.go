package api

import (
	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// listOperations serves GET /v1/issuances/{id}/operations: the issuance's
// operations, queued and finished, oldest first and paged by operation id,
// whoever started them — the console's operations table follows them all, not
// only those its own tab queued. status and kind are checked here against the
// known values, so a misspelt filter is a 400, not an empty page.
func (s *Server) listOperations(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	page, ok := s.page(c)
	if !ok {
		return
	}
	f := registry.OperationFilter{Status: registry.OperationStatus(c.Query("status")),
		Kind: registry.OperationKind(c.Query("kind")), Page: page}
	if !s.valid(c, f.Validate()) {
		return
	}
	ops, err := s.chain.IssuanceOperations(c.Request.Context(), id, f)
	listOf(s, c, ops, err, page.Limit, toOperationJSON, func(x operationJSON) int64 { return x.ID })
}
