package api

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// allocations is the chain work's allocation service, when the node has one.
func (s *Server) allocations() (registry.AllocationService, error) {
	if a, ok := s.chain.(registry.AllocationService); ok {
		return a, nil
	}
	return nil, registry.Errorf(registry.EUNAVAILABLE, "allocations need the node's chain work")
}

// allocate allocates a primary offering from a CSV of (investorId or wallet,
// amount): POST /v1/issuances/:id/allocations?mode=validate|apply. Every row
// is checked by the eligibility engine, counting the rows before it; validate
// answers each row's outcome; apply queues one BATCH_MINT operation when every
// row is allowed (202) and refuses the whole allocation otherwise (422).
func (s *Server) allocate(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	mode, ok := s.bulkMode(c)
	if !ok {
		return
	}
	svc, err := s.allocations()
	if err != nil {
		s.fail(c, err)
		return
	}
	body, isCSV, ok := s.bulkBody(c)
	if !ok {
		return
	}
	if !isCSV {
		s.fail(c, registry.Errorf(registry.EINVALID, "an allocation is a CSV (Content-Type: text/csv)"))
		return
	}
	rows, err := registry.ParseAllocationCSV(bytes.NewReader(body))
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := svc.Allocate(c.Request.Context(), id, rows, mode)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusOK
	switch {
	case mode == registry.BulkApply && res.Accepted:
		status = http.StatusAccepted
	case mode == registry.BulkApply:
		status = http.StatusUnprocessableEntity
	}
	c.JSON(status, res)
}

// getAllocation reports each row of an allocation as its operation stands.
func (s *Server) getAllocation(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	opID, ok := s.pathID(c, "operationId")
	if !ok {
		return
	}
	svc, err := s.allocations()
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := svc.Allocation(c.Request.Context(), opID)
	if err == nil && len(res.Results) > 0 && res.OperationID != 0 {
		op, oerr := s.chain.Operation(c.Request.Context(), opID)
		if oerr != nil {
			err = oerr
		} else if op.IssuanceID != id {
			err = registry.Errorf(registry.ENOTFOUND, "allocation %d not found", opID)
		}
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
