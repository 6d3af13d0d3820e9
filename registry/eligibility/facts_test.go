package eligibility

import (
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
)

// facts is base() as the store loads it: an active public offering without a
// mirrored token, the receiver onboarded by the handling seller, the sender by
// the lead seller, and toAddr2 unknown to the registry.
func facts() *registry.Facts {
	r := base()
	pf := func(p Party) *registry.PartyFacts {
		return &registry.PartyFacts{Wallet: p.Wallet, Investor: p.Investor, Seller: p.Seller, Entry: p.Entry}
	}
	return &registry.Facts{
		IssuanceFacts: &registry.IssuanceFacts{Issuance: r.Issuance, Lead: r.LeadSeller},
		Parties:       map[string]*registry.PartyFacts{toAddr: pf(r.To), fromAddr: pf(*r.From), toAddr2: {}},
	}
}

func amount(b *big.Int) string {
	if b == nil {
		return "nil"
	}
	return b.String()
}

func TestNewRequest(t *testing.T) {
	mirror := func(f *registry.Facts) {
		f.Holdings = &registry.MirrorHoldings{
			Wallets:   map[string]*big.Int{toAddr: big.NewInt(5), fromAddr: big.NewInt(100), toAddr2: big.NewInt(3)},
			Investors: map[int64]*big.Int{receiverID: big.NewInt(7), senderID: big.NewInt(100)},
			Holders:   3,
		}
	}
	cases := []struct {
		name     string
		mod      func(f *registry.Facts)
		from, to string
		amount   *big.Int
		// want
		holders                int
		holds                  bool
		receiverBal, senderBal string
	}{
		{name: "no mirror: approval order ranks the receiver", to: toAddr, mod: func(f *registry.Facts) {
			f.Ranked = []registry.RankedHolder{{InvestorID: 1}, {InvestorID: 2, ValidUntil: ptr(t0.Add(-time.Second))},
				{InvestorID: 3, ValidUntil: ptr(t0)}, {InvestorID: receiverID}, {InvestorID: 4}}
		}, holders: 2, receiverBal: "nil", senderBal: "nil"},
		{name: "no mirror: an unranked receiver comes after every unexpired entry", to: toAddr, mod: func(f *registry.Facts) {
			f.Ranked = []registry.RankedHolder{{InvestorID: 1}, {InvestorID: 2, ValidUntil: ptr(t0.Add(-time.Second))}, {InvestorID: 4}}
		}, holders: 2, receiverBal: "nil", senderBal: "nil"},
		{name: "no mirror: a transfer leaves the sender's balance unknown", from: fromAddr, to: toAddr, amount: big.NewInt(10),
			receiverBal: "nil", senderBal: "nil"},
		{name: "mirror: the receiver's investor holds", to: toAddr, mod: mirror, holders: 2, holds: true, receiverBal: "7", senderBal: "nil"},
		{name: "mirror: a wallet the registry does not know holds by wallet", to: toAddr2, mod: mirror, holders: 2, holds: true, receiverBal: "3", senderBal: "nil"},
		{name: "mirror: a transfer carries the sender wallet's balance", from: fromAddr, to: toAddr, amount: big.NewInt(10), mod: mirror,
			holders: 2, holds: true, receiverBal: "7", senderBal: "100"},
		{name: "mirror: a new holder and an empty sender", from: toAddr2, to: toAddr, amount: big.NewInt(1), mod: func(f *registry.Facts) {
			mirror(f)
			delete(f.Holdings.Investors, receiverID)
			delete(f.Holdings.Wallets, toAddr2)
		}, holders: 3, receiverBal: "0", senderBal: "0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := facts()
			if c.mod != nil {
				c.mod(f)
			}
			req := NewRequest(f, c.from, c.to, c.amount, t0)
			h := req.Holdings
			if h.Holders != c.holders || h.ReceiverHolds != c.holds || amount(h.ReceiverBalance) != c.receiverBal || amount(h.SenderBalance) != c.senderBal {
				t.Errorf("holdings = %d holders, holds %v, receiver %s, sender %s; want %d, %v, %s, %s",
					h.Holders, h.ReceiverHolds, amount(h.ReceiverBalance), amount(h.SenderBalance), c.holders, c.holds, c.receiverBal, c.senderBal)
			}
			if (req.From != nil) != (c.from != "") || req.To.Address != c.to || req.Amount != c.amount || !req.At.Equal(t0) {
				t.Errorf("request = from %v, to %s, amount %v", req.From, req.To.Address, req.Amount)
			}
			if req.From != nil && req.From.Address != c.from {
				t.Errorf("sender = %s, want %s", req.From.Address, c.from)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	d := registry.Decision{Reasons: []registry.Reason{{Code: registry.CodeAccountFrozen, Rule: RuleReceiverFrozen, Message: "investor 100 is frozen: garnishment"}}}
	generic, _ := registry.CodeAccountFrozen.Info()
	f := facts()
	to, from, stranger := f.Parties[toAddr], f.Parties[fromAddr], f.Parties[toAddr2]
	cases := []struct {
		name     string
		p        *registry.Principal
		parties  []*registry.PartyFacts
		specific bool
	}{
		{"operator", &registry.Principal{Role: registry.RoleOperator}, []*registry.PartyFacts{to, from}, true},
		{"seller of every investor involved", &registry.Principal{Role: registry.RoleSeller, SellerID: handlerID}, []*registry.PartyFacts{to}, true},
		{"a wallet nobody onboarded names no tenant", &registry.Principal{Role: registry.RoleSeller, SellerID: handlerID}, []*registry.PartyFacts{to, stranger, nil}, true},
		{"another seller's investor is involved", &registry.Principal{Role: registry.RoleSeller, SellerID: handlerID}, []*registry.PartyFacts{to, from}, false},
		{"a seller of none of them", &registry.Principal{Role: registry.RoleSeller, SellerID: outsiderID}, []*registry.PartyFacts{to}, false},
		{"reader", &registry.Principal{Role: registry.RoleReader}, []*registry.PartyFacts{stranger}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Redact(c.p, d, c.parties...)
			want := generic.Message
			if c.specific {
				want = d.Reasons[0].Message
			}
			if len(got.Reasons) != 1 || got.Reasons[0].Message != want || got.Reasons[0].Code != registry.CodeAccountFrozen || got.Reasons[0].Rule != RuleReceiverFrozen {
				t.Errorf("Redact = %+v, want message %q", got.Reasons, want)
			}
		})
	}
	if d.Reasons[0].Message != "investor 100 is frozen: garnishment" {
		t.Error("Redact changed its argument")
	}
	if got := Redact(&registry.Principal{Role: registry.RoleReader}, registry.Decision{Allowed: true}, to); !got.Allowed || got.Reasons != nil {
		t.Errorf("an allowed decision redacted to %+v", got)
	}
}

func TestDecide(t *testing.T) {
	f := facts()
	f.Parties[toAddr].Investor.Frozen = true
	seller := &registry.Principal{Role: registry.RoleSeller, SellerID: handlerID}
	generic, _ := registry.CodeAccountFrozen.Info()
	// A look-up names only the receiver, the handling seller's investor.
	if d := Decide(seller, f, "", toAddr, nil, t0); d.Allowed || d.Primary() != frozen || d.Reasons[0].Message == generic.Message {
		t.Errorf("look-up = %+v", d)
	}
	// A transfer from the lead seller's investor hides the particulars from the handling seller.
	if d := Decide(seller, f, fromAddr, toAddr, big.NewInt(10), t0); d.Allowed || d.Primary() != frozen || d.Reasons[0].Message != generic.Message {
		t.Errorf("transfer = %+v", d)
	}
}

func TestWalletRecord(t *testing.T) {
	entryEnd := t0.AddDate(0, 6, 0) // base(): the entry ends before the KYC review
	cases := []struct {
		name   string
		mod    func(f *registry.Facts)
		wallet string
		want   registry.WalletRecord
	}{
		{"unknown wallet: no record, freeze left alone", nil, toAddr2, registry.WalletRecord{Wallet: toAddr2}},
		{"eligible: the earliest expiry travels", nil, toAddr,
			registry.WalletRecord{Wallet: toAddr, InvestorID: receiverID, Country: "JP", ValidUntil: uint64(entryEnd.Unix()), FreezeKnown: true}},
		{"not whitelisted: record removed", func(f *registry.Facts) { f.Parties[toAddr].Entry = nil }, toAddr,
			registry.WalletRecord{Wallet: toAddr, FreezeKnown: true}},
		{"removed record keeps the investor's freeze", func(f *registry.Facts) {
			f.Parties[toAddr].Investor.KYCStatus = registry.KYCPending
			f.Parties[toAddr].Investor.Frozen = true
		}, toAddr, registry.WalletRecord{Wallet: toAddr, FreezeKnown: true, Frozen: true}},
		{"frozen wallet: the chain enforces the freeze", func(f *registry.Facts) { f.Parties[toAddr].Wallet.Frozen = true }, toAddr,
			registry.WalletRecord{Wallet: toAddr, InvestorID: receiverID, Country: "JP", ValidUntil: uint64(entryEnd.Unix()), FreezeKnown: true, Frozen: true}},
		{"restricted country: the chain enforces it", func(f *registry.Facts) { f.Issuance.DeniedCountries = []string{"JP"} }, toAddr,
			registry.WalletRecord{Wallet: toAddr, InvestorID: receiverID, Country: "JP", ValidUntil: uint64(entryEnd.Unix()), FreezeKnown: true}},
		{"expired entry: still written, already past", func(f *registry.Facts) { f.Parties[toAddr].Entry.ValidUntil = ptr(t0.Add(-time.Hour)) }, toAddr,
			registry.WalletRecord{Wallet: toAddr, InvestorID: receiverID, Country: "JP", ValidUntil: uint64(t0.Add(-time.Hour).Unix()), FreezeKnown: true}},
		{"paused issuance keeps the record", func(f *registry.Facts) { f.Issuance.Paused = true }, toAddr,
			registry.WalletRecord{Wallet: toAddr, InvestorID: receiverID, Country: "JP", ValidUntil: uint64(entryEnd.Unix()), FreezeKnown: true}},
		{"QII offering: a renewal dated in advance extends the grant", func(f *registry.Facts) {
			f.Issuance.OfferingType = registry.OfferingQIIPrivate
			f.Parties[toAddr].Investor.Categories = []registry.CategoryGrant{
				grant(registry.CategoryQII, t0.AddDate(0, 0, -1), t0.AddDate(0, 0, 30)),
				grant(registry.CategoryQII, t0.AddDate(0, 0, 30).Add(time.Second), t0.AddDate(0, 0, 60)),
				grant(registry.CategoryGeneral, t0.AddDate(-1, 0, 0), t0.AddDate(5, 0, 0)),
			}
		}, toAddr, registry.WalletRecord{Wallet: toAddr, InvestorID: receiverID, Country: "JP", Categories: registry.FlagQII | registry.FlagGeneral,
			ValidUntil: uint64(t0.AddDate(0, 0, 60).Unix()), FreezeKnown: true}},
		{"QII offering without a grant: record removed", func(f *registry.Facts) { f.Issuance.OfferingType = registry.OfferingQIIPrivate }, toAddr,
			registry.WalletRecord{Wallet: toAddr, FreezeKnown: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := facts()
			if c.mod != nil {
				c.mod(f)
			}
			if got := WalletRecord(f, c.wallet, t0); got != c.want {
				t.Errorf("WalletRecord = %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestAlertCodes(t *testing.T) {
	cases := []struct {
		name   string
		mod    func(f *registry.Facts)
		wallet string
		want   []C
	}{
		{"eligible receiver", nil, toAddr, nil},
		{"a burn is exempt", nil, burnAddress, nil},
		{"unknown wallet", nil, toAddr2, codes(unknown)},
		{"issuance states are the token's business", func(f *registry.Facts) {
			f.Issuance.Paused = true
			f.Issuance.Status = registry.IssuanceSuspended
			f.Issuance.LockupEnd = ptr(t0.Add(time.Hour))
		}, toAddr, nil},
		{"receiver rules alert, issuance states do not", func(f *registry.Facts) {
			f.Issuance.Paused = true
			f.Parties[toAddr].Entry = nil
			f.Parties[toAddr].Investor.Frozen = true
		}, toAddr, codes(frozen, notWL)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := facts()
			if c.mod != nil {
				c.mod(f)
			}
			if got := AlertCodes(f, c.wallet, t0); !slices.Equal(got, c.want) {
				t.Errorf("AlertCodes = %v, want %v", got, c.want)
			}
		})
	}
}

func TestRefusals(t *testing.T) {
	d := registry.Decision{Reasons: []registry.Reason{
		{Code: registry.CodeTokenPaused, Rule: "issuance.paused"},
		{Code: registry.CodeAccountFrozen, Rule: "sender.frozen"},
		{Code: registry.CodeLockupActive, Rule: "issuance.lockup"},
		{Code: registry.CodeNotWhitelisted, Rule: "whitelist.approved"},
	}}
	codes := func(rs []registry.Reason) []registry.ReasonCode {
		var out []registry.ReasonCode
		for _, r := range rs {
			out = append(out, r.Code)
		}
		return out
	}
	cases := []struct {
		kind registry.OperationKind
		want []registry.ReasonCode
	}{
		{registry.OpMint, []registry.ReasonCode{registry.CodeAccountFrozen, registry.CodeLockupActive, registry.CodeNotWhitelisted}},
		{registry.OpForcedTransfer, []registry.ReasonCode{registry.CodeNotWhitelisted}},
		{registry.OpRedeem, nil},
		{registry.OpPause, nil},
	}
	for _, c := range cases {
		if got := codes(Refusals(c.kind, d)); !slices.Equal(got, c.want) {
			t.Errorf("%s: refused on %v, want %v", c.kind, got, c.want)
		}
	}
}

func TestApprovalRefusals(t *testing.T) {
	iss := &registry.Issuance{ID: 7, LeadSellerID: leadID, HandlingSellers: []int64{handlerID}}
	for _, c := range []struct {
		seller int64
		want   []C
	}{
		{leadID, nil},
		{handlerID, nil},
		{outsiderID, codes(notAuthorised)},
	} {
		got := ApprovalRefusals(iss, &registry.Investor{ID: receiverID, SellerID: c.seller})
		var gotCodes []C
		for _, r := range got {
			gotCodes = append(gotCodes, r.Code)
			if r.Rule != RuleInvestorAuthorised || r.Message == "" {
				t.Errorf("seller %d: reason %+v", c.seller, r)
			}
		}
		if !slices.Equal(gotCodes, c.want) {
			t.Errorf("seller %d: refused with %v, want %v", c.seller, gotCodes, c.want)
		}
	}
}
