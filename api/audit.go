package api

import (
	"encoding/json"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// Audit: the log of every change and every refusal that matters.

type auditJSON struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	ActorRole string    `json:"actorRole"`
	SellerID  *int64    `json:"sellerId,omitempty"`
	Action    string    `json:"action"`
	Entity    string    `json:"entity"`
	EntityID  string    `json:"entityId"`
	Detail    any       `json:"detail"`
}

func (s *Server) audit(c *gin.Context) {
	page, ok := s.page(c)
	if !ok {
		return
	}
	f := registry.AuditFilter{Entity: c.Query("entity"), EntityID: c.Query("entityId"), Action: c.Query("action"), Page: page}
	if c.Query("sellerId") != "" {
		id, ok := s.queryID(c, "sellerId")
		if !ok {
			return
		}
		f.SellerID = id
	}
	records, err := s.svc.Audit(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]auditJSON, len(records))
	for i, r := range records {
		out[i] = auditJSON{ID: r.ID, At: r.At, Actor: r.Actor, ActorRole: string(r.ActorRole), SellerID: r.SellerID,
			Action: r.Action, Entity: r.Entity, EntityID: r.EntityID, Detail: json.RawMessage(r.Detail)}
	}
	list(c, out, page.Limit, func(x auditJSON) int64 { return x.ID })
}
