package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// The way out of a halt: an issuance whose chain changed under its deployment
// (a reset devnet, a wrong --rpc) or met a reorg beyond the node's bound keeps
// its register as last confirmed until an operator or its lead seller retires
// the deployment. Its mirrored history stays readable (?deployment= on the
// transfers and holders routes), and the issuance can be deployed or attached
// anew.

type retireRequest struct {
	Reason string `json:"reason"`
}

type retiredDeploymentJSON struct {
	ID              int64     `json:"id"`
	IssuanceID      int64     `json:"issuanceId"`
	ChainID         int64     `json:"chainId"`
	GenesisHash     string    `json:"genesisHash,omitempty"`
	TokenAddress    string    `json:"tokenAddress"`
	RegistryAddress string    `json:"registryAddress"`
	DeploymentBlock uint64    `json:"deploymentBlock"`
	Reason          string    `json:"reason"`
	RetiredBy       string    `json:"retiredBy"`
	RetiredAt       time.Time `json:"retiredAt"`
}

func toRetiredJSON(d *registry.RetiredDeployment) retiredDeploymentJSON {
	return retiredDeploymentJSON{ID: d.ID, IssuanceID: d.IssuanceID, ChainID: d.ChainID, GenesisHash: d.GenesisHash,
		TokenAddress: d.TokenAddress, RegistryAddress: d.RegistryAddress, DeploymentBlock: d.DeploymentBlock,
		Reason: d.Reason, RetiredBy: d.RetiredBy, RetiredAt: d.RetiredAt}
}

type haltJSON struct {
	ID         int64      `json:"id"`
	IssuanceID int64      `json:"issuanceId"`
	ChainID    int64      `json:"chainId"`
	Token      string     `json:"tokenAddress"`
	Reason     string     `json:"reason"`
	CreatedAt  time.Time  `json:"createdAt"`
	ClearedAt  *time.Time `json:"clearedAt,omitempty"`
}

func (s *Server) retireDeployment(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var req retireRequest
	if !s.decode(c, &req) {
		return
	}
	if strings.TrimSpace(req.Reason) == "" {
		s.fail(c, registry.Errorf(registry.EINVALID, "reason is required: say why the deployment is retired"))
		return
	}
	if err := registry.LimitText("reason", req.Reason, 500); err != nil {
		s.fail(c, err)
		return
	}
	d, err := s.deployments.RetireDeployment(c.Request.Context(), id, req.Reason)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toRetiredJSON(d))
}

func (s *Server) listRetiredDeployments(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	list, err := s.deployments.Deployments(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]retiredDeploymentJSON, len(list))
	for i, d := range list {
		items[i] = toRetiredJSON(d)
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

func (s *Server) listHalts(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	halts, err := s.deployments.IssuanceHalts(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]haltJSON, len(halts))
	for i, h := range halts {
		items[i] = haltJSON{ID: h.ID, IssuanceID: h.IssuanceID, ChainID: h.ChainID, Token: h.Token, Reason: h.Reason,
			CreatedAt: h.CreatedAt, ClearedAt: h.ClearedAt}
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}
