// Package e2e holds stonode's end-to-end test against a real anvil devnet
// (e2e_test.go): the stonode binary, anvil from contracts/node_modules and the
// REST API, driven the way an operator, a seller and investors' wallets would.
//
// Run it alone with
//
//	go test -race -count=1 -v ./scripts/e2e/
//
// It needs anvil at contracts/node_modules/.bin/anvil (`npm ci` in contracts/,
// which scripts/test.sh does). Without it the test fails when CI is set and is
// skipped otherwise.
package e2e
