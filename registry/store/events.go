package store

import (
	"gorm.io/gorm"

	"github.com/stonode/stonode/registry"
)

// The webhook events of the store's write paths, each emitted inside the
// transaction of the change it reports (see emitEvent). Events that name an
// investor list its onboarding seller as a party, so a seller handling the
// issuance receives those about its own investors only.

// emitWhitelistConfirmed reports the entries a mined whitelist batch
// confirmed: one event per entry.
func (s *DB) emitWhitelistConfirmed(tx *gorm.DB, issuanceID int64, txHash string, block uint64) error {
	var rows []struct {
		InvestorID int64
		SellerID   int64
		Status     string
	}
	if err := tx.Raw(`SELECT e.investor_id, i.seller_id, e.status FROM whitelist_entries e JOIN investors i ON i.id = e.investor_id
WHERE e.issuance_id = ? AND e.sync_state = ? AND e.sync_tx_hash = ? AND e.sync_block = ? ORDER BY e.investor_id`,
		issuanceID, string(registry.SyncConfirmed), txHash, block).Scan(&rows).Error; err != nil {
		return err
	}
	events := make([]registry.Event, len(rows))
	for i, r := range rows {
		events[i] = newEvent(registry.EventWhitelistConfirmed, issuanceID, map[string]any{"issuanceId": issuanceID,
			"investorId": r.InvestorID, "status": r.Status, "txHash": txHash, "block": block})
		events[i].Parties = []int64{r.SellerID}
	}
	return s.emitEvents(tx, events)
}

// emitWhitelistFailed reports wallets the chain refused: one event per wallet.
func (s *DB) emitWhitelistFailed(tx *gorm.DB, issuanceID int64, failures []registry.WalletFailure) error {
	events := make([]registry.Event, 0, len(failures))
	for _, f := range failures {
		var owner []struct {
			InvestorID *int64
			SellerID   *int64
		}
		if err := tx.Raw(`SELECT f.investor_id, i.seller_id FROM whitelist_sync_failures f LEFT JOIN investors i ON i.id = f.investor_id
WHERE f.issuance_id = ? AND f.wallet = ?`, issuanceID, f.Wallet).Scan(&owner).Error; err != nil {
			return err
		}
		data := map[string]any{"issuanceId": issuanceID, "wallet": f.Wallet, "reason": f.Reason}
		var parties []int64
		if len(owner) > 0 && owner[0].InvestorID != nil {
			data["investorId"] = *owner[0].InvestorID
			if owner[0].SellerID != nil {
				parties = []int64{*owner[0].SellerID}
			}
		}
		e := newEvent(registry.EventWhitelistFailed, issuanceID, data)
		e.Parties = parties
		events = append(events, e)
	}
	return s.emitEvents(tx, events)
}

// emitOperationFinished reports an operation's outcome.
func (s *DB) emitOperationFinished(tx *gorm.DB, op *registry.Operation, status registry.OperationStatus, failure string, result map[string]string) error {
	return s.emitEvent(tx, newEvent(registry.EventOperationFinished, op.IssuanceID, map[string]any{"operationId": op.ID,
		"issuanceId": op.IssuanceID, "kind": op.Kind, "status": status, "error": failure, "result": result}))
}

// emitTransfersMirrored reports a mirrored batch's transfers (as
// uniqueTransfers leaves them) of an issuance's token, one event each, in
// chain order. Its caller has found the type wanted.
func (s *DB) emitTransfersMirrored(tx *gorm.DB, issuanceID, chainID int64, token string, transfers []registry.Transfer) error {
	events := make([]registry.Event, len(transfers))
	for i, t := range transfers {
		amount := "0"
		if t.Amount != nil {
			amount = t.Amount.String()
		}
		events[i] = newEvent(registry.EventTransferMirrored, issuanceID, transferEvent{IssuanceID: issuanceID,
			ChainID: chainID, Token: token, BlockNumber: t.BlockNumber, BlockHash: t.BlockHash,
			TxHash: t.TxHash, LogIndex: t.LogIndex, From: t.From, To: t.To, Amount: amount})
	}
	return s.writeEvents(tx, events)
}

// transferEvent is the data of transfer.mirrored and compliance.alert events
// (a struct, not a map: a mirrored batch encodes one per transfer).
type transferEvent struct {
	IssuanceID  int64    `json:"issuanceId"`
	ChainID     int64    `json:"chainId"`
	Token       string   `json:"token"`
	BlockNumber uint64   `json:"blockNumber"`
	BlockHash   string   `json:"blockHash"`
	TxHash      string   `json:"txHash"`
	LogIndex    uint     `json:"logIndex"`
	From        string   `json:"from"`
	To          string   `json:"to"`
	Amount      string   `json:"amount"`
	Codes       []string `json:"codes,omitempty"` // compliance.alert: the reasons the receiver was ineligible
}

// emitComplianceAlerts reports alerts raised on a mirrored batch. Its caller
// has found the type wanted.
func (s *DB) emitComplianceAlerts(tx *gorm.DB, issuanceID int64, rows []alertRow) error {
	events := make([]registry.Event, len(rows))
	for i := range rows {
		a := rows[i].domain()
		codes := make([]string, len(a.Codes))
		for j, c := range a.Codes {
			codes[j] = c.String()
		}
		amount := "0"
		if a.Amount != nil {
			amount = a.Amount.String()
		}
		events[i] = newEvent(registry.EventComplianceAlert, issuanceID, transferEvent{IssuanceID: issuanceID,
			ChainID: a.ChainID, Token: a.Token, BlockNumber: a.BlockNumber, BlockHash: a.BlockHash, TxHash: a.TxHash,
			LogIndex: a.LogIndex, From: a.From, To: a.To, Amount: amount, Codes: codes})
	}
	return s.writeEvents(tx, events)
}

// emitChainWorkHalted reports a halt: every seller of the issuance learns it.
func (s *DB) emitChainWorkHalted(tx *gorm.DB, h *registry.Halt) error {
	e := newEvent(registry.EventChainWorkHalted, h.IssuanceID, map[string]any{"issuanceId": h.IssuanceID, "haltId": h.ID,
		"chainId": h.ChainID, "token": h.Token, "reason": h.Reason})
	e.Public = true
	return s.emitEvent(tx, e)
}
