package api

import (
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// Mirror reads: transfers and holders of an issuance's token (the holder
// register at a record date is register.go's). Every answer says which block it
// is as of.

type transferJSON struct {
	BlockNumber    uint64 `json:"blockNumber"`
	BlockHash      string `json:"blockHash"`
	TxHash         string `json:"txHash"`
	LogIndex       uint   `json:"logIndex"`
	From           string `json:"from"`
	To             string `json:"to"`
	Amount         string `json:"amount"`
	FromInvestorID *int64 `json:"fromInvestorId,omitempty"`
	ToInvestorID   *int64 `json:"toInvestorId,omitempty"`
}

type transfersJSON struct {
	ChainID       int64          `json:"chainId"`
	TokenAddress  string         `json:"tokenAddress"`
	AsOfBlock     uint64         `json:"asOfBlock"`
	AsOfBlockHash string         `json:"asOfBlockHash,omitempty"`
	Items         []transferJSON `json:"items"`
	Next          *string        `json:"next,omitempty"`
}

type holdingJSON struct {
	Wallet     string `json:"wallet"`
	InvestorID *int64 `json:"investorId,omitempty"`
	Balance    string `json:"balance"`
	Locked     string `json:"locked,omitempty"` // sum of the wallet's active locks (current register only)
}

type investorHoldingJSON struct {
	InvestorID int64    `json:"investorId"`
	Wallets    []string `json:"wallets"`
	Balance    string   `json:"balance"`
}

type holdersJSON struct {
	ChainID       int64                 `json:"chainId"`
	TokenAddress  string                `json:"tokenAddress"`
	AsOfBlock     uint64                `json:"asOfBlock"`
	AsOfBlockHash string                `json:"asOfBlockHash,omitempty"`
	HolderCount   int                   `json:"holderCount"`
	InvestorCount int                   `json:"investorCount"`
	TotalSupply   string                `json:"totalSupply"`
	Wallets       []holdingJSON         `json:"wallets"`
	Investors     []investorHoldingJSON `json:"investors"`
}

// mirrorSource is where an issuance's mirrored rows are kept: its current
// deployment's chain, or a retired deployment's own key.
type mirrorSource struct {
	key     int64 // chain key of the rows
	chainID int64 // the chain, as answers show it
	token   string
	// issuanceID is set for the current deployment, 0 for a retired one.
	issuanceID int64
}

// mirrorTarget resolves the issuance (which enforces tenancy), the deployment
// asked for (the current one, or a retired one with ?deployment=) and the
// mirror reader; an issuance without a token has nothing mirrored to show.
func (s *Server) mirrorTarget(c *gin.Context) (mirrorSource, registry.MirrorReader, bool) {
	var src mirrorSource
	id, ok := s.pathID(c, "id")
	if !ok {
		return src, nil, false
	}
	var retired int64
	if c.Query("deployment") != "" {
		if retired, ok = s.queryID(c, "deployment"); !ok {
			return src, nil, false
		}
	}
	iss, err := s.svc.Issuance(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return src, nil, false
	}
	// The register names every seller's investors: the issuer's lead seller
	// keeps it; a handling seller sees its own investors through the registry.
	if err := registry.RequireOperate(registry.PrincipalFrom(c.Request.Context()), iss, "reads issuance %d's transfers and holders", id); err != nil {
		s.fail(c, err)
		return src, nil, false
	}
	mr := s.mirror
	if mr == nil {
		s.fail(c, registry.Errorf(registry.EUNAVAILABLE, "the transfer mirror is not available"))
		return src, nil, false
	}
	if retired != 0 {
		list, err := s.deployments.Deployments(c.Request.Context(), id)
		if err != nil {
			s.fail(c, err)
			return src, nil, false
		}
		for _, d := range list {
			if d.ID == retired {
				return mirrorSource{key: d.MirrorKey, chainID: d.ChainID, token: d.TokenAddress}, mr, true
			}
		}
		s.fail(c, registry.Errorf(registry.ENOTFOUND, "issuance %d has no retired deployment %d", id, retired))
		return src, nil, false
	}
	if iss.TokenAddress == "" {
		s.fail(c, registry.Errorf(registry.ECONFLICT, "issuance %d has no token deployed or attached", id))
		return src, nil, false
	}
	return mirrorSource{key: iss.ChainID, chainID: iss.ChainID, token: iss.TokenAddress, issuanceID: iss.ID}, mr, true
}

func (s *Server) listTransfers(c *gin.Context) {
	// The query is checked before the issuance is looked up: a malformed
	// request is refused the same way whatever the issuance's state.
	var f registry.TransferFilter
	var ok bool
	if v := c.Query("wallet"); v != "" {
		addr, err := registry.NormalizeAddress("wallet", v)
		if err != nil {
			s.fail(c, err)
			return
		}
		f.Wallet = addr
	}
	if c.Query("investorId") != "" {
		id, ok := s.queryID(c, "investorId")
		if !ok {
			return
		}
		f.InvestorID = &id
	}
	for _, q := range []struct {
		name string
		dst  **uint64
	}{{"fromBlock", &f.FromBlock}, {"toBlock", &f.ToBlock}} {
		n, set, ok := s.queryBlock(c, q.name)
		if !ok {
			return
		}
		if set {
			*q.dst = &n
		}
	}
	if f.FromBlock != nil && f.ToBlock != nil && *f.FromBlock > *f.ToBlock {
		s.fail(c, registry.Errorf(registry.EINVALID, "fromBlock must not be after toBlock"))
		return
	}
	if v := c.Query("after"); v != "" {
		cur, err := parseTransferCursor(v)
		if err != nil {
			s.fail(c, err)
			return
		}
		f.After = cur
	}
	if f.Limit, ok = s.limit(c, registry.MaxTransferPage); !ok {
		return
	}
	src, mr, ok := s.mirrorTarget(c)
	if !ok {
		return
	}
	f.ChainID, f.Token = src.key, src.token
	page, err := mr.Transfers(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := transfersJSON{ChainID: src.chainID, TokenAddress: strings.ToLower(src.token), AsOfBlock: page.AsOfBlock,
		AsOfBlockHash: page.AsOfHash, Items: make([]transferJSON, len(page.Transfers))}
	for i, t := range page.Transfers {
		out.Items[i] = transferJSON{BlockNumber: t.BlockNumber, BlockHash: t.BlockHash, TxHash: t.TxHash, LogIndex: t.LogIndex,
			From: t.From, To: t.To, Amount: t.Amount.String(), FromInvestorID: t.FromInvestorID, ToInvestorID: t.ToInvestorID}
	}
	if page.Next != nil {
		next := fmt.Sprintf("%d:%d", page.Next.BlockNumber, page.Next.LogIndex)
		out.Next = &next
	}
	c.JSON(http.StatusOK, out)
}

// parseTransferCursor reads "block:logIndex", the next cursor a page returns.
func parseTransferCursor(v string) (*registry.TransferCursor, error) {
	b, l, ok := strings.Cut(v, ":")
	block, ok1 := registry.ParseCount(b)
	idx, ok2 := registry.ParseCount(l)
	if !ok || !ok1 || !ok2 || block > math.MaxInt64 || idx > math.MaxUint32 {
		return nil, registry.Errorf(registry.EINVALID, "after must be a cursor of the form <block>:<logIndex>")
	}
	return &registry.TransferCursor{BlockNumber: block, LogIndex: uint(idx)}, nil
}

func (s *Server) holders(c *gin.Context) {
	src, mr, ok := s.mirrorTarget(c)
	if !ok {
		return
	}
	h, err := mr.Holders(c.Request.Context(), src.key, src.token)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := toHoldersJSON(h)
	out.ChainID = src.chainID
	if src.issuanceID != 0 { // locks belong to the current deployment (locks.go)
		locked, err := s.controls.LockedAmounts(c.Request.Context(), src.issuanceID)
		if err != nil {
			s.fail(c, err)
			return
		}
		for i := range out.Wallets {
			if v := locked[out.Wallets[i].Wallet]; v != nil && v.Sign() > 0 {
				out.Wallets[i].Locked = v.String()
			}
		}
	}
	c.JSON(http.StatusOK, out)
}

func toHoldersJSON(h *registry.Holders) holdersJSON {
	out := holdersJSON{ChainID: h.ChainID, TokenAddress: h.Token, AsOfBlock: h.AsOfBlock, AsOfBlockHash: h.AsOfHash,
		HolderCount: h.HolderCount, InvestorCount: h.InvestorCount, TotalSupply: "0",
		Wallets: make([]holdingJSON, len(h.Wallets)), Investors: make([]investorHoldingJSON, len(h.Investors))}
	if h.TotalSupply != nil {
		out.TotalSupply = h.TotalSupply.String()
	}
	for i, w := range h.Wallets {
		out.Wallets[i] = holdingJSON{Wallet: w.Wallet, InvestorID: w.InvestorID, Balance: w.Balance.String()}
	}
	for i, ih := range h.Investors {
		out.Investors[i] = investorHoldingJSON{InvestorID: ih.InvestorID, Wallets: ih.Wallets, Balance: ih.Balance.String()}
	}
	return out
}
