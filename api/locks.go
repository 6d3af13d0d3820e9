package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

type holderLockJSON struct {
	ID               int64      `json:"id"`
	IssuanceID       int64      `json:"issuanceId"`
	Wallet           string     `json:"wallet"`
	Amount           string     `json:"amount"`
	Reason           string     `json:"reason"`
	Reference        string     `json:"reference"`
	ReleaseAt        *time.Time `json:"releaseAt,omitempty"`
	Status           string     `json:"status"`
	LockOperation    int64      `json:"lockOperationId"`
	ReleaseOperation int64      `json:"releaseOperationId,omitempty"`
	ReleasedBy       string     `json:"releasedBy,omitempty"`
	ReleasedAt       *time.Time `json:"releasedAt,omitempty"`
	CreatedBy        string     `json:"createdBy"`
	CreatedAt        time.Time  `json:"createdAt"`
	UpdatedAt        time.Time  `json:"updatedAt"`
}

func toHolderLockJSON(l *registry.HolderLock) holderLockJSON {
	return holderLockJSON{ID: l.ID, IssuanceID: l.IssuanceID, Wallet: l.Wallet, Amount: l.Amount.String(), Reason: string(l.Reason),
		Reference: l.Reference, ReleaseAt: l.ReleaseAt, Status: string(l.Status), LockOperation: l.LockOperation,
		ReleaseOperation: l.ReleaseOperation, ReleasedBy: l.ReleasedBy, ReleasedAt: l.ReleasedAt, CreatedBy: l.CreatedBy,
		CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt}
}

type lockRequestJSON struct {
	Wallet    string     `json:"wallet"`
	Amount    string     `json:"amount"`
	Reason    string     `json:"reason"`
	Reference string     `json:"reference"`
	ReleaseAt *time.Time `json:"releaseAt"`
}

// createLock locks part of a holder's tokens: 202 with the lock, whose
// freeze runs as lockOperationId.
func (s *Server) createLock(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var req lockRequestJSON
	if !s.decode(c, &req) {
		return
	}
	amount, err := registry.ParseAmount("amount", req.Amount)
	if !s.valid(c, err) {
		return
	}
	l, err := s.controls.CreateLock(c.Request.Context(), id, registry.LockRequest{Wallet: req.Wallet, Amount: amount,
		Reason: registry.LockReason(req.Reason), Reference: req.Reference, ReleaseAt: utc(req.ReleaseAt)})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, toHolderLockJSON(l))
}

func (s *Server) releaseLock(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	lid, ok := s.pathID(c, "lockId")
	if !ok {
		return
	}
	var req struct{}
	if !s.decode(c, &req) {
		return
	}
	l, err := s.controls.ReleaseLock(c.Request.Context(), id, lid)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, toHolderLockJSON(l))
}

func (s *Server) getLock(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	lid, ok := s.pathID(c, "lockId")
	if !ok {
		return
	}
	l, err := s.controls.Lock(c.Request.Context(), id, lid)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toHolderLockJSON(l))
}

func (s *Server) listLocks(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	wallet := c.Query("wallet")
	if wallet != "" {
		w, err := registry.NormalizeAddress("wallet", wallet)
		if !s.valid(c, err) {
			return
		}
		wallet = w
	}
	list, err := s.controls.Locks(c.Request.Context(), id, wallet)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]holderLockJSON, len(list))
	for i, l := range list {
		items[i] = toHolderLockJSON(l)
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}
