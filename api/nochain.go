package api

import (
	"context"

	"github.com/stonode/stonode/registry"
)

// A node without a chain is a value, not a nil to check: api.New puts these in
// place of a nil Options.Chain or Options.Deployments, and every call answers
// EUNAVAILABLE (503).

// noChain is the chain service of a node with no chain connection.
type noChain struct{}

var _ registry.ChainService = noChain{}

func errNoChain() error {
	return registry.Errorf(registry.EUNAVAILABLE, "this node has no chain connection")
}

func (noChain) Deploy(context.Context, int64) (*registry.Operation, error) { return nil, errNoChain() }

func (noChain) Attach(context.Context, int64, string, string, *uint64) (*registry.Issuance, error) {
	return nil, errNoChain()
}

func (noChain) Operation(context.Context, int64) (*registry.Operation, error) {
	return nil, errNoChain()
}

func (noChain) IssuanceOperations(context.Context, int64, registry.OperationFilter) ([]*registry.Operation, error) {
	return nil, errNoChain()
}

func (noChain) TokenOperation(context.Context, int64, registry.TokenOp) (*registry.Operation, error) {
	return nil, errNoChain()
}

func (noChain) Reconcile(context.Context, int64, bool) (*registry.ReconcileReport, error) {
	return nil, errNoChain()
}

// noDeployments is the deployment administration of a node that has none.
type noDeployments struct{}

var _ registry.DeploymentAdmin = noDeployments{}

func errNoDeployments() error {
	return registry.Errorf(registry.EUNAVAILABLE, "this node does not administer deployments")
}

func (noDeployments) RetireDeployment(context.Context, int64, string) (*registry.RetiredDeployment, error) {
	return nil, errNoDeployments()
}

func (noDeployments) Deployments(context.Context, int64) ([]*registry.RetiredDeployment, error) {
	return nil, errNoDeployments()
}

func (noDeployments) IssuanceHalts(context.Context, int64) ([]registry.Halt, error) {
	return nil, errNoDeployments()
}
