package registry

import (
	"context"
	"math/big"
	"time"
)

// Alert is a mirrored transfer into a wallet the registry held ineligible when
// the node ingested it: something moved tokens around the node's checks.
type Alert struct {
	ID          int64
	IssuanceID  int64
	ChainID     int64
	Token       string
	BlockNumber uint64
	BlockHash   string
	TxHash      string
	LogIndex    uint
	From, To    string
	Amount      *big.Int
	Codes       []ReasonCode
	CreatedAt   time.Time
}

// AlertFilter narrows an alert list.
type AlertFilter struct {
	IssuanceID int64
	Page       Page
}

// AlertService reads compliance alerts.
type AlertService interface {
	Alerts(ctx context.Context, f AlertFilter) ([]*Alert, error)
	AlertCount(ctx context.Context) (int64, error)
}
