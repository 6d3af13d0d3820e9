package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// The node's own endpoints: liveness, readiness and the OpenAPI document.

func (s *Server) healthz(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

func (s *Server) readyz(c *gin.Context) {
	if err := s.svc.Ping(c.Request.Context()); err != nil {
		s.fail(c, err)
		return
	}
	if s.readiness != nil {
		if reasons := s.readiness(c.Request.Context()); len(reasons) > 0 {
			c.AbortWithStatusJSON(http.StatusServiceUnavailable, gin.H{"status": "not ready", "reasons": reasons,
				"error": errorDetail{Code: registry.EUNAVAILABLE, Message: strings.Join(reasons, "; ")}})
			return
		}
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}

func (s *Server) openapi(c *gin.Context) { c.Data(http.StatusOK, "application/yaml", openAPIDocument) }
