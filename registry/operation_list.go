package registry

// OperationKinds is every kind of chain operation the node records, in the
// order the API documents them: what an operation list may filter on.
var OperationKinds = []OperationKind{
	OpDeploy, OpMint, OpBatchMint, OpForcedTransfer, OpRedeem, OpFreeze, OpUnfreeze, OpPause, OpUnpause,
	OpApproveTransfer, OpRevokeApproval, OpRecover, OpAdminHandover, OpSetTerms, OpSetCountryRule,
}

// OperationStatuses is every status an operation passes through.
var OperationStatuses = []OperationStatus{OpPending, OpRunning, OpSucceeded, OpFailed}

// OperationFilter narrows the list of an issuance's operations; an empty
// Status or Kind means any.
type OperationFilter struct {
	Status OperationStatus
	Kind   OperationKind
	Page   Page
}

// Validate checks the filter's status and kind against the known ones, so a
// misspelt filter is refused rather than matching nothing.
func (f OperationFilter) Validate() error {
	if f.Status != "" {
		if err := oneOf("status", f.Status, OperationStatuses...); err != nil {
			return err
		}
	}
	if f.Kind != "" {
		return oneOf("kind", f.Kind, OperationKinds...)
	}
	return nil
}
