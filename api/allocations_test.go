package api_test

import (
	"context"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/stonode/stonode/registry/chain/mirror"
	"github.com/stonode/stonode/registry/store/storetest"
)

// syncAll steps the whitelist sync until nothing is queued or in flight.
func (r *tokenRig) syncAll() {
	r.t.Helper()
	for i := 0; i < 200; i++ {
		r.step()
		depth, _, err := r.st.OutboxStats(r.ctx)
		if err != nil {
			r.t.Fatal(err)
		}
		open, err := r.st.OpenBatches(r.ctx)
		if err != nil {
			r.t.Fatal(err)
		}
		if depth == 0 && len(open) == 0 {
			return
		}
	}
	r.t.Fatal("the whitelist sync did not drain")
}

func (r *tokenRig) totalSupply() *big.Int {
	r.t.Helper()
	v, err := bind.Call(r.token, &bind.CallOpts{Context: r.ctx}, r.tok.PackTotalSupply(), r.tok.UnpackTotalSupply)
	if err != nil {
		r.t.Fatal(err)
	}
	return v
}

// awaitLong polls an operation until it finishes, for long ones (an
// allocation's twenty batches under the race detector on a loaded machine).
func (r *tokenRig) awaitLong(key, id string) response {
	r.t.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		op := r.must(200, "GET", "/v1/operations/"+id, key, nil)
		if s := op.str("status"); s == "SUCCEEDED" || s == "FAILED" {
			return op
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("operation %s did not finish: %s %v", id, op.str("status"), op.body["result"])
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// deployMirrored deploys an issuance's token, mirrors it and opens the offering.
func (r *tokenRig) deployMirrored(t *testing.T, sk, id string) {
	t.Helper()
	base := "/v1/issuances/" + id
	r.must(200, "POST", base+"/status", sk, map[string]any{"status": "REGISTERED"})
	deployed := r.await(sk, r.do("POST", base+"/deploy", sk, nil))
	if deployed.str("status") != "SUCCEEDED" {
		t.Fatalf("deploy: %s", deployed.raw)
	}
	tokenAddr := common.HexToAddress(deployed.str("result", "tokenAddress"))
	r.token = r.tok.Instance(r.conn.Client, tokenAddr)
	block, _ := strconv.ParseUint(deployed.str("result", "deploymentBlock"), 10, 64)
	eng := mirror.New(mirror.Config{ChainID: r.conn.ChainID, Token: tokenAddr, StartBlock: block, PollInterval: 20 * time.Millisecond},
		r.conn.Client, r.st)
	ctx, stop := context.WithCancel(r.ctx)
	done := make(chan struct{})
	go func() { _ = eng.Run(ctx); close(done) }()
	t.Cleanup(func() { stop(); <-done })
	r.must(200, "POST", base+"/status", sk, map[string]any{"status": "OFFERING"})
}

// TestAllocationOf1000Rows: 100 investors onboarded in bulk and whitelisted
// on-chain, then an allocation of 1,000 rows, ten per investor (by investor
// id and by wallet),
// validated, applied as batch mints on the simulated chain, and reported with
// one outcome per row; totalSupply is the sum. A supply cap refuses an
// allocation off-chain and, when only the token's cap is lower, on-chain with
// the same code.
func TestAllocationOf1000Rows(t *testing.T) {
	const n, investors = 1000, 100
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			r := startTokenRig(t, engine)
			op := r.operatorKey()
			sid := r.must(201, "POST", "/v1/sellers", op, sellerBody("7000012050002")).str("id")
			sk := r.must(201, "POST", "/v1/sellers/"+sid+"/keys", op, map[string]any{}).str("key")
			id := r.must(201, "POST", "/v1/issuances", sk, map[string]any{"issuerName": "I", "tokenName": "Tokyo Alloc",
				"tokenSymbol": "TAL", "decimals": 0, "legalForm": "SHARE", "fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC",
				"supplyCap": "1000000"}).str("id")
			base := "/v1/issuances/" + id
			r.deployMirrored(t, sk, id)

			var up strings.Builder
			up.WriteString("customerRef,personType,residenceCountry,wallets,kycStatus,kycMethod,kycVerifiedAt,kycReviewDue,sanctions,sanctionsCheckedAt,antisocial,antisocialCheckedAt,approveIssuances\n")
			for i := 0; i < investors; i++ {
				fmt.Fprintf(&up, "A-%d,INDIVIDUAL,JP,%s,VERIFIED,eKYC,2026-03-01T00:00:00Z,2027-03-01T00:00:00Z,CLEAR,2026-03-01T00:00:00Z,CLEAR,2026-03-01T00:00:00Z,%s\n",
					i, wallet(1000+i), id)
			}
			status, body := r.post("/v1/investors/bulk?mode=apply", sk, "text/csv", up.String())
			if status != 200 || body["created"] != float64(investors) {
				t.Fatalf("bulk onboarding: %d %v", status, body)
			}
			investorIDs := make([]string, investors)
			for i, res := range bulkResults(t, body) {
				investorIDs[i] = fmt.Sprint(res["investorId"])
			}
			r.syncAll()

			// Row i goes to investor i mod 100, alternately named by investor
			// id and by wallet; amounts 1..1000 sum to 500,500.
			var alloc strings.Builder
			alloc.WriteString("investorId,wallet,amount\n")
			want := new(big.Int)
			for i := 0; i < n; i++ {
				if i%2 == 0 {
					fmt.Fprintf(&alloc, "%s,,%d\n", investorIDs[i%investors], i+1)
				} else {
					fmt.Fprintf(&alloc, ",%s,%d\n", wallet(1000+i%investors), i+1)
				}
				want.Add(want, big.NewInt(int64(i+1)))
			}
			status, body = r.post(base+"/allocations?mode=validate", sk, "text/csv", alloc.String())
			if status != 200 || body["accepted"] != true || body["total"] != want.String() || len(bulkResults(t, body)) != n {
				t.Fatalf("validate: %d accepted=%v total=%v", status, body["accepted"], body["total"])
			}
			before := r.nonce()
			status, body = r.post(base+"/allocations?mode=apply", sk, "text/csv", alloc.String())
			if status != 202 || body["operationId"] == nil {
				t.Fatalf("apply: %d %v", status, body["results"])
			}
			opID := fmt.Sprint(body["operationId"])
			done := r.awaitLong(sk, opID)
			size, _ := strconv.Atoi(done.str("result", "batchSize"))
			batches := strconv.Itoa((n + size - 1) / max(size, 1))
			if done.str("status") != "SUCCEEDED" || done.str("kind") != "BATCH_MINT" || size == 0 || done.str("result", "batches") != batches {
				t.Fatalf("allocation operation: %s %v %v", done.str("status"), done.body["result"], done.str("error"))
			}
			t.Logf("batches of %d rows, gas used per batch: %s", size, done.str("result", "gasUsed"))
			if sent := strconv.FormatUint(r.nonce()-before, 10); sent != batches {
				t.Fatalf("the allocation sent %s transactions, want one per batch (%s)", sent, batches)
			}
			if got := r.totalSupply(); got.Cmp(want) != 0 {
				t.Fatalf("totalSupply = %s, want %s", got, want)
			}
			// Investor 77's rows: amounts 78, 178, …, 978.
			if got := r.balance(wallet(1000 + 77)); got != 5280 {
				t.Fatalf("balanceOf(investor 77's wallet) = %d, want 5,280", got)
			}
			rows := r.must(200, "GET", base+"/allocations/"+opID, sk, nil)
			results := bulkResults(t, rows.body)
			if len(results) != n {
				t.Fatalf("%d outcomes, want %d", len(results), n)
			}
			for i, res := range results {
				if res["outcome"] != "MINTED" || res["line"] != float64(i+2) || res["amount"] != fmt.Sprint(i+1) || res["wallet"] != wallet(1000+i%investors) {
					t.Fatalf("row %d: %v", i, res)
				}
			}

			// Supply cap, off-chain: 1,000,000 - 500,500 = 499,500 left; the
			// second row crosses it counting the first.
			over := "wallet,amount\n" + wallet(1000) + ",499000\n" + wallet(1001) + ",501\n"
			before = r.nonce()
			status, body = r.post(base+"/allocations?mode=apply", sk, "text/csv", over)
			rs := bulkResults(t, body)
			if status != 422 || rs[0]["outcome"] != "ACCEPTED" || rs[1]["outcome"] != "REFUSED" || rs[1]["code"] != "SUPPLY_CAP_EXCEEDED" {
				t.Fatalf("over the cap: %d %v", status, rs)
			}
			if r.nonce() != before {
				t.Fatal("a refused allocation sent a transaction")
			}
			// On-chain: the token's cap lowered below the issuance's (as a term
			// change would), the engine allows, the token refuses with 13.
			tx, err := r.conn.Send(r.ctx, func(opts *bind.TransactOpts) (*types.Transaction, error) {
				return bind.Transact(r.token, opts, r.tok.PackSetSupplyCap(big.NewInt(500_600)))
			})
			if err != nil {
				t.Fatal(err)
			}
			if rc, err := r.conn.WaitMined(r.ctx, tx.Hash()); err != nil || rc.Status != types.ReceiptStatusSuccessful {
				t.Fatalf("setSupplyCap: %v %v", rc, err)
			}
			status, body = r.post(base+"/allocations?mode=apply", sk, "text/csv", "wallet,amount\n"+wallet(1000)+",101\n")
			if status != 202 {
				t.Fatalf("allocation the engine allows: %d %v", status, body)
			}
			failed := r.await(sk, response{status: 202, body: map[string]any{"id": fmt.Sprint(body["operationId"])}})
			if failed.str("status") != "FAILED" || failed.str("result", "reason") != "SUPPLY_CAP_EXCEEDED" || failed.str("result", "reasonCode") != "13" {
				t.Fatalf("on-chain cap: %v %s", failed.body["result"], failed.str("error"))
			}
			rows = r.must(200, "GET", base+"/allocations/"+fmt.Sprint(body["operationId"]), sk, nil)
			if res := bulkResults(t, rows.body)[0]; res["outcome"] != "REFUSED" || res["code"] != "SUPPLY_CAP_EXCEEDED" {
				t.Fatalf("refused row: %v", res)
			}
		})
	}
}

// TestRedemptionBurnsTheRegister: a redemption burns every wallet's balance
// at the register's block through the redemption operation; asked again, each
// operation fails with INSUFFICIENT_BALANCE and nothing is burned twice.
func TestRedemptionBurnsTheRegister(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			r := startTokenRig(t, engine)
			op := r.operatorKey()
			sid := r.must(201, "POST", "/v1/sellers", op, sellerBody("7000012050002")).str("id")
			sk := r.must(201, "POST", "/v1/sellers/"+sid+"/keys", op, map[string]any{}).str("key")
			id := r.must(201, "POST", "/v1/issuances", sk, map[string]any{"issuerName": "I", "tokenName": "Tokyo Bond",
				"tokenSymbol": "TBD", "decimals": 0, "legalForm": "BOND", "fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC"}).str("id")
			base := "/v1/issuances/" + id
			r.deployMirrored(t, sk, id)
			var up, alloc strings.Builder
			up.WriteString("customerRef,personType,residenceCountry,wallets,kycStatus,kycMethod,kycVerifiedAt,kycReviewDue,sanctions,sanctionsCheckedAt,antisocial,antisocialCheckedAt,approveIssuances\n")
			alloc.WriteString("wallet,amount\n")
			for i := 0; i < 3; i++ {
				fmt.Fprintf(&up, "R-%d,INDIVIDUAL,JP,%s,VERIFIED,eKYC,2026-03-01T00:00:00Z,2027-03-01T00:00:00Z,CLEAR,2026-03-01T00:00:00Z,CLEAR,2026-03-01T00:00:00Z,%s\n", i, wallet(50+i), id)
				fmt.Fprintf(&alloc, "%s,%d\n", wallet(50+i), 10*(i+1))
			}
			if status, body := r.post("/v1/investors/bulk?mode=apply", sk, "text/csv", up.String()); status != 200 {
				t.Fatalf("bulk: %d %v", status, body)
			}
			r.syncAll()
			status, body := r.post(base+"/allocations?mode=apply", sk, "text/csv", alloc.String())
			if status != 202 {
				t.Fatalf("allocation: %d %v", status, body)
			}
			if done := r.await(sk, response{status: 202, body: map[string]any{"id": fmt.Sprint(body["operationId"])}}); done.str("status") != "SUCCEEDED" {
				t.Fatalf("allocation: %s", done.str("error"))
			}
			var holders response
			deadline := time.Now().Add(30 * time.Second)
			for holders = r.must(200, "GET", base+"/holders", sk, nil); holders.str("totalSupply") != "60"; holders = r.must(200, "GET", base+"/holders", sk, nil) {
				if time.Now().After(deadline) {
					t.Fatalf("the mirror did not see the allocation: %s", holders.raw)
				}
				time.Sleep(20 * time.Millisecond)
			}
			block := holders.str("asOfBlock")

			redeem := func() []any {
				res := r.must(202, "POST", base+"/distributions/redemptions", sk, map[string]any{"block": mustID(t, block)})
				reds, _ := res.body["redemptions"].([]any)
				if len(reds) != 3 || res.str("totalSupply") != "60" {
					t.Fatalf("redemptions: %s", res.raw)
				}
				return reds
			}
			for _, x := range redeem() {
				red := x.(map[string]any)
				done := r.await(sk, response{status: 202, body: map[string]any{"id": fmt.Sprint(red["operationId"])}})
				if done.str("status") != "SUCCEEDED" || done.str("kind") != "REDEEM" || done.str("request", "amount") != red["amount"] {
					t.Fatalf("redemption of %v: %s %s", red, done.str("status"), done.str("error"))
				}
			}
			if got := r.totalSupply(); got.Sign() != 0 {
				t.Fatalf("totalSupply after the redemption = %s, want 0", got)
			}
			before := r.nonce()
			for _, x := range redeem() {
				done := r.await(sk, response{status: 202, body: map[string]any{"id": fmt.Sprint(x.(map[string]any)["operationId"])}})
				if done.str("status") != "FAILED" || done.str("result", "reason") != "INSUFFICIENT_BALANCE" {
					t.Fatalf("second redemption: %s %v", done.str("status"), done.body["result"])
				}
			}
			if r.nonce() != before {
				t.Fatal("a repeated redemption sent a transaction")
			}
			if res := r.do("POST", base+"/distributions/redemptions", sk, map[string]any{}); res.status != 400 {
				t.Fatalf("no block: %d %s", res.status, res.raw)
			}
		})
	}
}
