package api

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// MaxBulkBytes bounds a bulk upload's body: 20,000 CSV rows of ~250 bytes.
const MaxBulkBytes = 8 << 20

// bulkService is the bulk onboarding of the options, or of the registry
// service when it implements it (the store does).
func (s *Server) bulkService() (registry.BulkService, error) {
	if s.bulk != nil {
		return s.bulk, nil
	}
	if b, ok := s.svc.(registry.BulkService); ok {
		return b, nil
	}
	return nil, registry.Errorf(registry.EUNAVAILABLE, "bulk onboarding is not available on this node")
}

// bulkMode reads ?mode=validate|apply (required: an upload is never applied
// by default).
func (s *Server) bulkMode(c *gin.Context) (registry.BulkMode, bool) {
	switch m := registry.BulkMode(c.Query("mode")); m {
	case registry.BulkValidate, registry.BulkApply:
		return m, true
	}
	s.fail(c, registry.Errorf(registry.EINVALID, "mode must be validate or apply"))
	return "", false
}

// bulkBody reads a bulk body up to MaxBulkBytes and says whether it is CSV
// (text/csv) or JSON (application/json).
func (s *Server) bulkBody(c *gin.Context) (body []byte, isCSV bool, ok bool) {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	switch {
	case err == nil && mt == "text/csv":
		isCSV = true
	case err == nil && mt == "application/json":
	default:
		s.fail(c, registry.Errorf(registry.EINVALID, "Content-Type must be text/csv or application/json"))
		return nil, false, false
	}
	body, err = io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxBulkBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.fail(c, registry.Errorf(registry.ETOOLARGE, "request body exceeds %d bytes", MaxBulkBytes))
		} else {
			s.fail(c, registry.Errorf(registry.EINVALID, "the body could not be read"))
		}
		return nil, false, false
	}
	return body, isCSV, true
}

// bulkInvestors onboards investors and their whitelist approvals from a CSV
// or JSON upload: POST /v1/investors/bulk?mode=validate|apply[&sellerId=N].
// Validate writes nothing; apply writes every row or, if any row is refused,
// none (422 with every row's outcome).
func (s *Server) bulkInvestors(c *gin.Context) {
	svc, err := s.bulkService()
	if err != nil {
		s.fail(c, err)
		return
	}
	mode, ok := s.bulkMode(c)
	if !ok {
		return
	}
	u := registry.BulkUpload{Mode: mode}
	if c.Query("sellerId") != "" {
		if u.SellerID, ok = s.queryID(c, "sellerId"); !ok {
			return
		}
	}
	body, isCSV, ok := s.bulkBody(c)
	if !ok {
		return
	}
	if isCSV {
		u.Rows, err = registry.ParseBulkCSV(bytes.NewReader(body))
	} else {
		u.Rows, err = registry.ParseBulkJSON(body)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := svc.BulkOnboard(c.Request.Context(), u)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusOK
	if mode == registry.BulkApply && !res.Applied {
		status = http.StatusUnprocessableEntity
	}
	c.JSON(status, res)
}
