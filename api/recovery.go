package api

import (
	"context"
	"math/big"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

type recoveryRequestJSON struct {
	LostWallet string `json:"lostWallet"`
	NewWallet  string `json:"newWallet"`
	Label      string `json:"label"`
	Reason     string `json:"reason"`
}

// recoverWallet replaces a lost wallet: 202 with the RECOVER operation.
func (s *Server) recoverWallet(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var req recoveryRequestJSON
	if !s.decode(c, &req) {
		return
	}
	op, err := s.controls.RecoverWallet(c.Request.Context(), id, registry.RecoveryRequest{LostWallet: req.LostWallet,
		NewWallet: req.NewWallet, Label: req.Label, Reason: req.Reason})
	if err != nil {
		s.fail(c, err)
		return
	}
	accepted(c, op)
}

type adminHandoverJSON struct {
	Address string `json:"address"`
}

// handOverAdmin hands DEFAULT_ADMIN_ROLE to an address the issuer controls:
// 202 with the ADMIN_HANDOVER operation.
func (s *Server) handOverAdmin(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var req adminHandoverJSON
	if !s.decode(c, &req) {
		return
	}
	op, err := s.controls.HandOverAdmin(c.Request.Context(), id, req.Address)
	if err != nil {
		s.fail(c, err)
		return
	}
	accepted(c, op)
}

// deploymentRoles reports who holds which role on the issuance's contracts.
func (s *Server) deploymentRoles(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	roles, err := s.controls.Roles(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"issuanceId": id, "roles": rolesJSON(roles)})
}

func rolesJSON(roles []registry.RoleHolder) []registry.RoleHolder {
	if roles == nil {
		return []registry.RoleHolder{}
	}
	return roles
}

// noControls answers every control with 503: a node without a chain.
type noControls struct{}

var _ registry.ControlService = noControls{}

func errNoControls() error {
	return registry.Errorf(registry.EUNAVAILABLE, "this node runs no transfer controls (no chain connection)")
}

func (noControls) RequestApproval(context.Context, int64, registry.ApprovalRequest) (*registry.TransferApproval, error) {
	return nil, errNoControls()
}
func (noControls) DecideApproval(context.Context, int64, int64, registry.ApprovalDecision) (*registry.TransferApproval, error) {
	return nil, errNoControls()
}
func (noControls) Approval(context.Context, int64, int64) (*registry.TransferApproval, error) {
	return nil, errNoControls()
}
func (noControls) Approvals(context.Context, int64, registry.ApprovalFilter) ([]*registry.TransferApproval, error) {
	return nil, errNoControls()
}
func (noControls) CreateLock(context.Context, int64, registry.LockRequest) (*registry.HolderLock, error) {
	return nil, errNoControls()
}
func (noControls) ReleaseLock(context.Context, int64, int64) (*registry.HolderLock, error) {
	return nil, errNoControls()
}
func (noControls) Lock(context.Context, int64, int64) (*registry.HolderLock, error) {
	return nil, errNoControls()
}
func (noControls) Locks(context.Context, int64, string) ([]*registry.HolderLock, error) {
	return nil, errNoControls()
}

// LockedAmounts is empty: a register without controls shows no locks.
func (noControls) LockedAmounts(context.Context, int64) (map[string]*big.Int, error) { return nil, nil }
func (noControls) RecoverWallet(context.Context, int64, registry.RecoveryRequest) (*registry.Operation, error) {
	return nil, errNoControls()
}
func (noControls) HandOverAdmin(context.Context, int64, string) (*registry.Operation, error) {
	return nil, errNoControls()
}
func (noControls) Roles(context.Context, int64) ([]registry.RoleHolder, error) {
	return nil, errNoControls()
}
