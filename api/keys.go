package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// API keys: operator and reader keys under /v1/keys, seller keys under
// /v1/sellers/{id}/keys. A secret is shown once, in the creation response.

type keyJSON struct {
	ID        string     `json:"id"`
	Role      string     `json:"role"`
	SellerID  *int64     `json:"sellerId,omitempty"`
	Name      string     `json:"name"`
	CreatedAt time.Time  `json:"createdAt"`
	RevokedAt *time.Time `json:"revokedAt,omitempty"`
	Key       string     `json:"key,omitempty"` // only in the creation response
}

func toKeyJSON(k *registry.APIKey) keyJSON {
	return keyJSON{ID: k.ID, Role: string(k.Role), SellerID: k.SellerID, Name: k.Name, CreatedAt: k.CreatedAt, RevokedAt: k.RevokedAt}
}

// keyListJSON is a page of keys; the cursor is a key id, as key ids are not numbers.
type keyListJSON struct {
	Items []keyJSON `json:"items"`
	Next  *string   `json:"next,omitempty"`
}

type createKeyRequest struct {
	Role string `json:"role"`
	Name string `json:"name"`
}

func (s *Server) createSellerKey(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	var req createKeyRequest
	if !s.decode(c, &req) {
		return
	}
	if req.Role != "" && req.Role != string(registry.RoleSeller) {
		s.fail(c, registry.Errorf(registry.EINVALID, "keys under a seller have role seller; use /v1/keys for operator and reader keys"))
		return
	}
	s.issueKey(c, registry.RoleSeller, &id, req.Name)
}

func (s *Server) createKey(c *gin.Context) {
	var req createKeyRequest
	if !s.decode(c, &req) {
		return
	}
	role := registry.Role(req.Role)
	if role != registry.RoleOperator && role != registry.RoleReader {
		s.fail(c, registry.Errorf(registry.EINVALID, "role must be operator or reader; seller keys are created under /v1/sellers/{id}/keys"))
		return
	}
	s.issueKey(c, role, nil, req.Name)
}

func (s *Server) issueKey(c *gin.Context, role registry.Role, sellerID *int64, name string) {
	k, err := s.svc.CreateKey(c.Request.Context(), role, sellerID, name)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := toKeyJSON(&k.APIKey)
	out.Key = k.Secret
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, out)
}

func (s *Server) listSellerKeys(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	s.writeKeys(c, &id)
}

func (s *Server) listKeys(c *gin.Context) { s.writeKeys(c, nil) }

func (s *Server) writeKeys(c *gin.Context, sellerID *int64) {
	f := registry.KeyFilter{SellerID: sellerID, After: c.Query("after")}
	if f.After != "" && !validKeyID(f.After) {
		s.fail(c, registry.Errorf(registry.EINVALID, "after must be a key id (the next of the previous page)"))
		return
	}
	var ok bool
	if f.Limit, ok = s.limit(c, registry.MaxPageLimit); !ok {
		return
	}
	f.Limit = registry.Page{Limit: f.Limit}.Normalize().Limit
	keys, err := s.svc.Keys(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := keyListJSON{Items: make([]keyJSON, len(keys))}
	for i, k := range keys {
		out.Items[i] = toKeyJSON(k)
	}
	if len(keys) == f.Limit {
		out.Next = &out.Items[len(keys)-1].ID
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) revokeSellerKey(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	s.dropKey(c, &id)
}

func (s *Server) revokeKey(c *gin.Context) { s.dropKey(c, nil) }

func (s *Server) dropKey(c *gin.Context, sellerID *int64) {
	keyID := c.Param("keyId")
	if !validKeyID(keyID) {
		s.fail(c, registry.Errorf(registry.ENOTFOUND, "key %q not found", keyID))
		return
	}
	if err := s.svc.RevokeKey(c.Request.Context(), sellerID, keyID); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
