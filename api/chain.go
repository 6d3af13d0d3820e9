package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// chainService returns the chain service or answers 503 when the node runs
// without a chain.
func (s *Server) chainService(c *gin.Context) (registry.ChainService, bool) {
	if s.chain == nil {
		s.fail(c, registry.Errorf(registry.EUNAVAILABLE, "this node has no chain connection"))
		return nil, false
	}
	return s.chain, true
}

func (s *Server) deploy(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	chain, ok := s.chainService(c)
	if !ok {
		return
	}
	op, err := chain.Deploy(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/v1/operations/"+strconv.FormatInt(op.ID, 10))
	c.JSON(http.StatusAccepted, toOperationJSON(op))
}

func (s *Server) attach(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var req attachRequest
	if !s.decode(c, &req) {
		return
	}
	chain, ok := s.chainService(c)
	if !ok {
		return
	}
	iss, err := chain.Attach(c.Request.Context(), id, req.TokenAddress, req.RegistryAddress, req.DeploymentBlock)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toIssuanceJSON(iss))
}

func (s *Server) getOperation(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	chain, ok := s.chainService(c)
	if !ok {
		return
	}
	op, err := chain.Operation(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toOperationJSON(op))
}
