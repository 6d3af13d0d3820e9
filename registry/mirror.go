package registry

import (
	"context"
	"math/big"
	"time"
)

// The transfer mirror copies every Transfer event of a managed token from the
// chain into SQL, exactly once, and derives balances and holders from those raw
// rows. The engine (registry/chain/mirror) writes through MirrorStore; the API
// reads through MirrorReader. Addresses and hashes are lower-case 0x hex
// everywhere, so they compare as plain strings and join with the wallets table.

// ChainBlock is one block the mirror has seen on the canonical chain. ParentHash
// is "" for a block known only from the logs it carried (during backfill the
// engine fetches full headers only at range ends, to keep eth_getLogs the only
// per-block cost).
type ChainBlock struct {
	Number     uint64
	Hash       string
	ParentHash string
	// Time is the block's timestamp in Unix seconds, 0 when unknown; a
	// register at a record date finds its block by it.
	Time uint64
}

// Transfer is one ERC-20 Transfer log: a mint when From is the zero address, a
// burn when To is.
type Transfer struct {
	ChainID     int64
	Token       string
	BlockNumber uint64
	BlockHash   string
	TxHash      string
	LogIndex    uint
	From        string
	To          string
	Amount      *big.Int
}

// ZeroAddress is the mint source and burn sink; it is never a holder.
const ZeroAddress = "0x0000000000000000000000000000000000000000"

// Checkpoint is the last block of one token's mirror that is fully applied:
// every transfer at or below it is stored, none above it.
type Checkpoint struct {
	ChainID   int64
	Token     string
	Number    uint64
	Hash      string
	UpdatedAt time.Time
}

// MirrorBatch is what the engine applies in one transaction: the blocks and
// transfers of a contiguous range and the checkpoint at its end.
type MirrorBatch struct {
	ChainID int64
	Token   string
	// Parent is the checkpoint the batch continues from (nil for the first
	// batch). The store refuses a batch whose parent is not the current
	// checkpoint, so two engines, or a stale one, can never interleave ranges.
	Parent    *ChainBlock
	Blocks    []ChainBlock
	Transfers []Transfer
	// Head is the range's last block; it becomes the checkpoint.
	Head ChainBlock
	// Stored blocks numbered in [PruneFrom, PruneBelow) that hold no transfer
	// of the token are deleted with the batch: they have fallen below the
	// reorg bound, so no rewind needs their hashes, and the last stored block
	// before any of them holds the same balances (a register at a record date
	// is as of that block). PruneBelow 0 prunes nothing.
	PruneFrom, PruneBelow uint64
}

// MirrorStore is what the mirror engine writes through.
type MirrorStore interface {
	// Checkpoint returns the token's checkpoint; false when nothing is mirrored yet.
	Checkpoint(ctx context.Context, chainID int64, token string) (Checkpoint, bool, error)
	// Apply stores a batch's blocks and transfers, recomputes the balances of
	// the wallets it touches and moves the checkpoint, in one transaction.
	// Re-applying a batch that is already applied is a no-op.
	Apply(ctx context.Context, b MirrorBatch) error
	// Rewind deletes every block and transfer above toBlock, recomputes the
	// balances of the wallets those transfers touched and moves the checkpoint
	// to the highest stored block at or below toBlock (removing it when there is
	// none), in one transaction.
	Rewind(ctx context.Context, chainID int64, token string, toBlock uint64) error
	// BlockHash returns the stored hash of block number.
	BlockHash(ctx context.Context, chainID int64, token string, number uint64) (string, bool, error)
	// BlocksBelow lists up to limit stored blocks with number <= below, highest
	// first: the candidates a reorg walk compares with the canonical chain.
	BlocksBelow(ctx context.Context, chainID int64, token string, below uint64, limit int) ([]ChainBlock, error)
}

// Holding is one wallet's mirrored balance; InvestorID is set when the registry
// knows the wallet.
type Holding struct {
	Wallet     string
	InvestorID *int64
	Balance    *big.Int
}

// InvestorHolding is the balance an investor holds across all their wallets.
type InvestorHolding struct {
	InvestorID int64
	Wallets    []string
	Balance    *big.Int
}

// Holders is a token's holder register at one block: every wallet with a
// positive balance, and the same grouped by investor.
type Holders struct {
	ChainID   int64
	Token     string
	AsOfBlock uint64 // the register reflects every transfer up to and including this block
	AsOfHash  string // "" for a register as of a block the store does not hold a hash for
	// HolderCount counts wallets with a positive balance (what the token's
	// on-chain holder cap counts); InvestorCount counts investors, a wallet the
	// registry does not know counting as one investor of its own.
	HolderCount   int
	InvestorCount int
	TotalSupply   *big.Int
	Wallets       []Holding // by wallet address
	Investors     []InvestorHolding
}

// TransferCursor is a keyset position: the last (block, log index) a page
// returned.
type TransferCursor struct {
	BlockNumber uint64
	LogIndex    uint
}

// TransferFilter selects mirrored transfers of one token.
type TransferFilter struct {
	ChainID    int64
	Token      string
	Wallet     string // from or to this wallet
	InvestorID *int64 // from or to any wallet of this investor
	FromBlock  *uint64
	ToBlock    *uint64
	After      *TransferCursor // keyset pagination, ascending (block, log index)
	Limit      int             // <= 0 means DefaultTransferPage; capped at MaxTransferPage
}

// Page sizes for transfer listings.
const (
	DefaultTransferPage = 100
	MaxTransferPage     = 1000
)

// TransferRecord is a mirrored transfer with the investors the registry knows
// behind its wallets.
type TransferRecord struct {
	Transfer
	FromInvestorID *int64
	ToInvestorID   *int64
}

// TransferPage is one page of transfers; Next is nil on the last page.
type TransferPage struct {
	AsOfBlock uint64
	AsOfHash  string
	Transfers []TransferRecord
	Next      *TransferCursor
}

// MirrorReader answers the mirror's read API. Every answer carries the block it
// is as of (the checkpoint read in the same snapshot as the data); a token with
// no checkpoint yet answers as of block 0 with nothing in it.
type MirrorReader interface {
	Transfers(ctx context.Context, f TransferFilter) (*TransferPage, error)
	Holders(ctx context.Context, chainID int64, token string) (*Holders, error)
	// HolderRegister reconstructs the register as of block (a record date) from
	// the raw transfers; a block above the checkpoint is refused, since the
	// mirror cannot yet vouch for it.
	HolderRegister(ctx context.Context, chainID int64, token string, block uint64) (*Holders, error)
}
