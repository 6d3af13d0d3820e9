package chain

import (
	"context"
	"fmt"
	"math/big"
	"sort"
	"strings"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/stonode/stonode/contracts/bindings"
	"github.com/stonode/stonode/registry"
)

// Reconcile compares every wallet the issuance's registry or its on-chain
// EligibilityRegistry knows with what the registry says it should be, and with
// repair queues the drifted ones for the whitelist sync (which then writes
// their full state). Wallets the chain knows come from EligibilitySet events,
// so records written around the node are found too.
func (s *Syncer) Reconcile(ctx context.Context, issuanceID int64, repair bool) (*registry.ReconcileReport, error) {
	t, err := s.store.SyncTargetFor(ctx, issuanceID)
	if err != nil {
		return nil, err
	}
	head, err := s.conn.Client.BlockNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("head: %w", err)
	}
	known, err := s.store.IssuanceWallets(ctx, issuanceID)
	if err != nil {
		return nil, err
	}
	regAddr := common.HexToAddress(t.RegistryAddress)
	parsed, err := bindings.EligibilityRegistryMetaData.ParseABI()
	if err != nil {
		return nil, err
	}
	logs, err := s.conn.Client.FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(t.DeploymentBlock), ToBlock: new(big.Int).SetUint64(head),
		Addresses: []common.Address{regAddr}, Topics: [][]common.Hash{{parsed.Events["EligibilitySet"].ID}}})
	if err != nil {
		return nil, fmt.Errorf("eligibility events: %w", err)
	}
	seen := map[string]bool{}
	for _, w := range known {
		seen[w] = true
	}
	for _, l := range logs {
		if len(l.Topics) > 1 {
			seen[strings.ToLower(common.BytesToAddress(l.Topics[1].Bytes()).Hex())] = true
		}
	}
	wallets := make([]string, 0, len(seen))
	for w := range seen {
		wallets = append(wallets, w)
	}
	sort.Strings(wallets)
	report := &registry.ReconcileReport{IssuanceID: issuanceID, Checked: len(wallets), AsOfBlock: head}
	if len(wallets) == 0 {
		return report, nil
	}
	want, err := s.store.DesiredRecords(ctx, issuanceID, wallets, s.now())
	if err != nil {
		return nil, err
	}
	reg := s.reg.Instance(s.conn.Client, regAddr)
	tok := s.tok.Instance(s.conn.Client, common.HexToAddress(t.TokenAddress))
	at := &bind.CallOpts{Context: ctx, BlockNumber: new(big.Int).SetUint64(head)}
	var drifted []string
	for _, w := range want {
		addr := common.HexToAddress(w.Wallet)
		rec, err := bind.Call(reg, at, s.reg.PackRecordOf(addr), s.reg.UnpackRecordOf)
		if err != nil {
			return nil, fmt.Errorf("recordOf %s: %w", w.Wallet, err)
		}
		frozen, err := bind.Call(tok, at, s.tok.PackIsFrozen(addr), s.tok.UnpackIsFrozen)
		if err != nil {
			return nil, fmt.Errorf("isFrozen %s: %w", w.Wallet, err)
		}
		got := registry.WalletRecord{Wallet: w.Wallet, InvestorID: rec.InvestorId, Categories: rec.Categories, Frozen: frozen, FreezeKnown: w.FreezeKnown}
		if !w.FreezeKnown {
			w.Frozen = frozen // the registry has no say over a wallet it does not know
		}
		if rec.InvestorId != 0 {
			got.Country = string(rec.Country[:])
			got.ValidUntil = rec.ValidUntil.Uint64()
		}
		if !sameRecord(w, got) {
			report.Drift = append(report.Drift, registry.Drift{Wallet: w.Wallet, Want: w, OnChain: got})
			drifted = append(drifted, w.Wallet)
		}
	}
	if repair && len(drifted) > 0 {
		if err := s.store.EnqueueWallets(ctx, issuanceID, drifted); err != nil {
			return nil, err
		}
		report.Repaired = true
		s.Wake()
	}
	return report, nil
}

func sameRecord(want, got registry.WalletRecord) bool {
	if want.Frozen != got.Frozen || want.InvestorID != got.InvestorID {
		return false
	}
	if want.InvestorID == 0 {
		return true // removed: the other fields are not stored
	}
	return want.Country == got.Country && want.Categories == got.Categories && want.ValidUntil == got.ValidUntil
}
