package e2e

import (
	"bytes"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// registerAtRecordDate: the register at a record date on anvil. The next
// block is dated 00:00 Japan time of the day after the chain's current day,
// and 20 transfers follow it; the register at the current day is then as of
// the last block before them, and equals balanceOf at that block for every
// wallet, with the names recorded for the investor; its CSV starts with the
// UTF-8 BOM and the Japanese header; the following day, which the chain has
// not passed yet, is refused.
func (e *e2e) registerAtRecordDate() {
	t, ctx := e.t, e.ctx
	e.caughtUp()
	before := e.chain.head(ctx, t)
	jst := time.FixedZone("JST", 9*60*60)
	day := time.Unix(int64(e.chain.header(ctx, t, before).Time), 0).In(jst)
	recordDate := day.Format(time.DateOnly)
	cutoff := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, jst)

	var found struct {
		Items []struct{ ID int64 } `json:"items"`
	}
	e.api.must(ctx, 200, "GET", "/v1/investors?customerRef=E2E-1", e.sellerKey, nil, &found)
	if len(found.Items) != 1 {
		t.Fatalf("investor E2E-1: %+v", found)
	}
	e.api.must(ctx, 200, "PUT", fmt.Sprintf("/v1/investors/%d/personal-data", found.Items[0].ID), e.sellerKey, map[string]any{
		"legalName": "山田 太郎", "kanaName": "ヤマダ タロウ", "postalCode": "100-0005", "address": "東京都千代田区丸の内一丁目1番1号",
		"taxCategory": "INDIVIDUAL", "effectiveFrom": "2020-01-01"}, nil)

	var ignored any
	e.chain.call(ctx, t, &ignored, "evm_setNextBlockTimestamp", hexutil.EncodeUint64(uint64(cutoff.Unix())))
	e.transfers(20)
	e.chain.call(ctx, t, &ignored, "anvil_mine", hexutil.EncodeUint64(confirmations))
	e.caughtUp()
	if first := e.chain.header(ctx, t, before+1); first.Time != uint64(cutoff.Unix()) {
		t.Fatalf("block %d is dated %d, want %d (%s)", before+1, first.Time, cutoff.Unix(), cutoff)
	}

	path := fmt.Sprintf("/v1/issuances/%d/holders/register?recordDate=%s", e.issuance, recordDate)
	var reg struct {
		RecordDate string `json:"recordDate"`
		AsOfBlock  uint64 `json:"asOfBlock"`
		Holders    []struct {
			LegalName string   `json:"legalName"`
			Wallets   []string `json:"wallets"`
			Balance   string   `json:"balance"`
		} `json:"holders"`
	}
	e.api.must(ctx, 200, "GET", path, e.sellerKey, nil, &reg)
	if reg.RecordDate != recordDate || reg.AsOfBlock > before || reg.AsOfBlock < e.deployed {
		t.Fatalf("register at %s: as of block %d, want at most %d (the last block before %s)", recordDate, reg.AsOfBlock, before, cutoff)
	}
	got := map[common.Address]string{}
	names := map[common.Address]string{}
	for _, h := range reg.Holders {
		if len(h.Wallets) != 1 {
			t.Fatalf("a holder with %d wallets; every e2e investor has one: %+v", len(h.Wallets), h)
		}
		w := common.HexToAddress(h.Wallets[0])
		got[w], names[w] = h.Balance, h.LegalName
	}
	for _, a := range append(append([]account{}, e.investors...), e.outsider) {
		want := e.balanceOf(a.addr, new(big.Int).SetUint64(before))
		have, ok := got[a.addr]
		if !ok {
			have = "0"
		}
		if want.String() != have {
			t.Errorf("register at %s, wallet %s: %s, balanceOf at block %d %s", recordDate, a.addr, have, before, want)
		}
	}
	if names[e.investors[0].addr] != "山田 太郎" {
		t.Errorf("register at %s names investor #1 %q", recordDate, names[e.investors[0].addr])
	}

	r := e.api.do(ctx, "GET", path+"&format=csv", e.sellerKey, nil)
	if r.status != 200 || !bytes.HasPrefix(r.raw, []byte("\xEF\xBB\xBF投資家ID,氏名又は名称,フリガナ,")) || !bytes.Contains(r.raw, []byte(",山田 太郎,ヤマダ タロウ,")) {
		t.Fatalf("register CSV (%d): %.300s", r.status, r.raw)
	}
	if lines := strings.Count(string(r.raw), "\r\n"); lines != len(reg.Holders)+1 {
		t.Fatalf("register CSV has %d lines, want a header and %d holders", lines, len(reg.Holders))
	}
	next := cutoff.Format(time.DateOnly)
	e.api.must(ctx, 409, "GET", fmt.Sprintf("/v1/issuances/%d/holders/register?recordDate=%s", e.issuance, next), e.sellerKey, nil, nil)
	t.Logf("register at %s: as of block %d (next block %d dated %s), %d holders match balanceOf", recordDate, reg.AsOfBlock, before+1, cutoff, len(reg.Holders))
}
