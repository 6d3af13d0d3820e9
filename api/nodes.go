package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// The nodes that run chain work, for operators: which node holds which
// issuance's lease, and their heartbeats (GET /v1/nodes).

// noNodes is the directory of a node without a chain: it runs no chain work.
type noNodes struct{}

func (noNodes) ChainNodes(context.Context) (*registry.LeaseBoard, error) {
	return nil, registry.Errorf(registry.EUNAVAILABLE, "this node runs no chain work")
}

func (s *Server) listNodes(c *gin.Context) {
	if len(c.Request.URL.Query()) > 0 {
		s.fail(c, registry.Errorf(registry.EINVALID, "/v1/nodes takes no query parameters"))
		return
	}
	board, err := s.nodes.ChainNodes(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, board)
}
