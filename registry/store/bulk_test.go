package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/store"
	"github.com/stonode/stonode/registry/store/storetest"
)

// bulkCSV writes n investor rows, each with one wallet and an approval for
// issuance iss; prefix keeps references and wallets apart between uploads.
func bulkCSV(n int, prefix int, iss int64, bad map[int]string) string {
	return bulkCSVWith(n, prefix, iss, bad, false)
}

// bulkPersonal is the personal data bulkCSVWith gives row i (as stored, after
// normalisation).
func bulkPersonal(i int) registry.PersonalData {
	return registry.PersonalData{LegalName: fmt.Sprintf("山田 太郎%d", i), KanaName: "ヤマダ タロウ", PostalCode: "100-0005",
		Address: fmt.Sprintf("東京都千代田区丸の内一丁目%d番1号", i), TaxCategory: registry.TaxIndividual,
		Email: fmt.Sprintf("taro%d@example.jp", i), Phone: "03-1234-5678", ExternalRef: fmt.Sprintf("ACC-%06d", i)}
}

// bulkCSVWith is bulkCSV, with each row's personal data (bulkPersonal) in the
// personal data columns when personal is set.
func bulkCSVWith(n int, prefix int, iss int64, bad map[int]string, personal bool) string {
	var b strings.Builder
	b.WriteString("\ufeffcustomerRef,personType,residenceCountry,dateOfBirth,wallets,kycStatus,kycMethod,kycVerifiedAt,kycReviewDue,sanctions,sanctionsCheckedAt,antisocial,antisocialCheckedAt,categories,approveIssuances,approvalValidUntil")
	if personal {
		b.WriteString(",legalName,kanaName,representativeName,postalCode,address,taxCategory,email,phone,externalRef")
	}
	b.WriteString("\n")
	for i := 1; i <= n; i++ {
		ref := fmt.Sprintf("C%d-%06d", prefix, i)
		wallet := fmt.Sprintf("0x%08x%032x", prefix+1, i)
		country, dob, approve := "JP", "1980-05-17", fmt.Sprint(iss)
		switch bad[i] {
		case "country":
			country = "XX"
		case "wallet":
			wallet = "0x1234"
		case "duplicate-ref":
			ref = fmt.Sprintf("C%d-%06d", prefix, i-1)
		case "duplicate-wallet":
			wallet = fmt.Sprintf("0x%08x%032x", prefix+1, i-1)
		case "issuance":
			approve = "999999"
		case "date":
			dob = "1990-13-01"
		}
		fmt.Fprintf(&b, "%s,INDIVIDUAL,%s,%s,%s,VERIFIED,eKYC,2026-03-01T00:00:00Z,2027-03-01T00:00:00Z,CLEAR,2026-03-01T00:00:00Z,CLEAR,2026-03-01T00:00:00Z,GENERAL@2026-03-01T00:00:00Z/2027-03-01T00:00:00Z,%s,2027-12-31T23:59:59Z",
			ref, country, dob, wallet, approve)
		if personal {
			d := bulkPersonal(i)
			postal, tax := "1000005", string(d.TaxCategory) // the postal code as forms often write it
			switch bad[i] {
			case "postal":
				postal = "100-00"
			case "tax":
				tax = "FOREIGN"
			}
			// Surrounding (ideographic) spaces are trimmed, as by the API.
			fmt.Fprintf(&b, ",\u3000%s,%s,,%s,%s,%s,%s,%s,%s", d.LegalName, d.KanaName, postal, d.Address, tax, d.Email, d.Phone, d.ExternalRef)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func bulkSetup(t testing.TB, st *storetest.Stores) (*registry.Seller, *registry.Issuance) {
	t.Helper()
	sel := newSeller(t, st, "7000012050002")
	iss := &registry.Issuance{IssuerName: "Tokyo Office REIT", TokenName: "TORST", TokenSymbol: "TORST", Decimals: 0,
		LegalForm: registry.FormTrustBeneficiary, FIEAClass: registry.ClassPara1Token, OfferingType: registry.OfferingPublic}
	if err := st.CreateIssuance(asSeller(sel.ID), iss); err != nil {
		t.Fatal(err)
	}
	return sel, iss
}

func upload(t testing.TB, st *storetest.Stores, ctx context.Context, csvText string, mode registry.BulkMode) *registry.BulkResult {
	t.Helper()
	return uploadVia(t, st.Registry, ctx, csvText, mode)
}

// uploadVia uploads through svc (the registry, or the records with their keys).
func uploadVia(t testing.TB, svc registry.BulkService, ctx context.Context, csvText string, mode registry.BulkMode) *registry.BulkResult {
	t.Helper()
	rows, err := registry.ParseBulkCSV(strings.NewReader(csvText))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	res, err := svc.BulkOnboard(ctx, registry.BulkUpload{Mode: mode, Rows: rows})
	if err != nil {
		t.Fatalf("bulk %s: %v", mode, err)
	}
	return res
}

func counts(t testing.TB, st *storetest.Stores) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range []string{"investors", "wallets", "investor_categories", "whitelist_entries", "audit_log", "investor_personal_data"} {
		n, err := st.CountForTest(context.Background(), table)
		if err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

// TestBulkOnboarding10k: a 10,000-row upload (with personal data) with bad
// rows reports exactly those rows (line, outcome, code) in both modes and
// writes nothing; without them it writes every investor, approval and
// sealed personal data version once; uploaded again it changes nothing.
func TestBulkOnboarding10k(t *testing.T) {
	const n = 10_000
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		rec := store.NewRecords(st.DB, testKeyring(t))
		sel, iss := bulkSetup(t, st)
		ctx := asSeller(sel.ID)
		bad := map[int]string{17: "country", 2500: "wallet", 4001: "duplicate-ref", 6000: "duplicate-wallet", 8123: "issuance", 9999: "date",
			3333: "postal", 7777: "tax"}
		wantCode := map[int]string{17: registry.EINVALID, 2500: registry.EINVALID, 4001: registry.EINVALID,
			6000: registry.EINVALID, 8123: registry.ENOTFOUND, 9999: registry.EINVALID, 3333: registry.EINVALID, 7777: registry.EINVALID}
		before := counts(t, st)
		text := bulkCSVWith(n, 1, iss.ID, bad, true)

		for _, mode := range []registry.BulkMode{registry.BulkValidate, registry.BulkApply} {
			res := uploadVia(t, rec, ctx, text, mode)
			if res.Applied || res.Rows != n || res.Failed != len(bad) {
				t.Fatalf("%s: applied %v, rows %d, failed %d; want not applied, %d rows, %d failed", mode, res.Applied, res.Rows, res.Failed, n, len(bad))
			}
			for i, r := range res.Results {
				row := i + 1
				if r.Line != row+1 { // the header is line 1
					t.Fatalf("%s: result %d has line %d, want %d", mode, i, r.Line, row+1)
				}
				code, isBad := wantCode[row]
				switch {
				case isBad && (r.Outcome != registry.BulkFailed || r.Code != code || r.Message == ""):
					t.Fatalf("%s: bad row %d (%s) = %+v, want ERROR %s", mode, row, bad[row], r, code)
				case !isBad && r.Outcome != registry.BulkCreated:
					t.Fatalf("%s: good row %d = %+v, want CREATED", mode, row, r)
				}
			}
			if got := counts(t, st); fmt.Sprint(got) != fmt.Sprint(before) {
				t.Fatalf("%s with bad rows wrote something: %v, before %v", mode, got, before)
			}
		}

		// Without the bad rows: every investor, approval and personal data
		// version exactly once.
		good := bulkCSVWith(n, 1, iss.ID, nil, true)
		res := uploadVia(t, rec, ctx, good, registry.BulkApply)
		if !res.Applied || res.Created != n || res.Failed != 0 {
			t.Fatalf("apply: %+v", struct{ Applied, Created, Failed any }{res.Applied, res.Created, res.Failed})
		}
		after := counts(t, st)
		for table, want := range map[string]int64{"investors": n, "wallets": n, "investor_categories": n, "whitelist_entries": n,
			"investor_personal_data": n, "audit_log": 3 * n} {
			if got := after[table] - before[table]; got != want {
				t.Fatalf("%s grew by %d, want %d", table, got, want)
			}
		}
		for _, r := range res.Results {
			if r.InvestorID == 0 || len(r.Approved) != 1 || r.Approved[0] != iss.ID {
				t.Fatalf("applied row %+v: want an investor id and the approval", r)
			}
		}
		inv, err := st.Investor(ctx, res.Results[41].InvestorID)
		if err != nil || inv.CustomerRef != "C1-000042" || len(inv.Wallets) != 1 || inv.Wallets[0].Address != fmt.Sprintf("0x%08x%032x", 2, 42) ||
			inv.KYCStatus != registry.KYCVerified || len(inv.Categories) != 1 {
			t.Fatalf("investor of line 43: %+v, %v", inv, err)
		}
		entries, err := st.Whitelist(ctx, iss.ID, registry.WhitelistFilter{})
		if err != nil || len(entries) == 0 || entries[0].Status != registry.WhitelistApproved || entries[0].ValidUntil == nil {
			t.Fatalf("whitelist: %v, %v", entries, err)
		}
		// The personal data reads back (normalised) as version 1.
		pd, err := rec.PersonalData(ctx, inv.ID, nil)
		if err != nil || pd.Redacted || pd.Version != 1 || pd.ValidTo != nil || *pd.Data != bulkPersonal(42) {
			t.Fatalf("personal data of line 43: %+v, %v", pd, err)
		}
		after = counts(t, st) // the read is audited

		// Again: nothing changes, every row UNCHANGED with its investor.
		again := uploadVia(t, rec, ctx, good, registry.BulkApply)
		if again.Unchanged != n || again.Created != 0 || again.Approved != 0 || again.Failed != 0 {
			t.Fatalf("re-upload: created %d approved %d unchanged %d failed %d", again.Created, again.Approved, again.Unchanged, again.Failed)
		}
		if got := counts(t, st); fmt.Sprint(got) != fmt.Sprint(after) {
			t.Fatalf("re-upload wrote: %v, before %v", got, after)
		}
	})
}

// TestBulkOnboardingRows covers the row rules one at a time.
func TestBulkOnboardingRows(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		sel, iss := bulkSetup(t, st)
		other := newSeller(t, st, "5010401067252")
		ctx := asSeller(sel.ID)
		// Onboard one investor directly, then upload rows against it.
		res := upload(t, st, ctx, bulkCSV(2, 7, iss.ID, nil), registry.BulkApply)
		if !res.Applied || res.Created != 2 {
			t.Fatalf("seed: %+v", res)
		}
		header := "customerRef,personType,residenceCountry,wallets,kycStatus,approveIssuances,approvalValidUntil\n"
		for _, tc := range []struct {
			name, row string
			outcome   registry.BulkOutcome
			code      string
		}{
			{"same reference, different data", "C7-000001,CORPORATION,JP,,NONE,,", registry.BulkFailed, registry.ECONFLICT},
			{"wallet of another investor", "N-1,INDIVIDUAL,JP," + fmt.Sprintf("0x%08x%032x", 8, 2) + ",NONE,,", registry.BulkFailed, registry.ECONFLICT},
			{"new investor without approvals", "N-2,INDIVIDUAL,SG,,NONE,,", registry.BulkCreated, ""},
			{"validUntil without issuances", "N-3,INDIVIDUAL,JP,,NONE,,2027-01-01T00:00:00Z", registry.BulkFailed, registry.EINVALID},
			{"unknown person type", "N-4,CORPORATE,JP,,NONE,,", registry.BulkFailed, registry.EINVALID},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := upload(t, st, ctx, header+tc.row+"\n", registry.BulkValidate)
				got := r.Results[0]
				if got.Outcome != tc.outcome || got.Code != tc.code || got.Line != 2 {
					t.Fatalf("row %q = %+v, want %s %s", tc.row, got, tc.outcome, tc.code)
				}
			})
		}
		// A changed valid-until re-approves (APPROVED), keeping the investor.
		changed := strings.Replace(bulkCSV(2, 7, iss.ID, nil), "2027-12-31T23:59:59Z", "2028-06-30T00:00:00Z", 2)
		r := upload(t, st, ctx, changed, registry.BulkApply)
		if !r.Applied || r.Approved != 2 || r.Results[0].InvestorID != res.Results[0].InvestorID {
			t.Fatalf("re-approval: %+v", r)
		}
		// Another seller's key cannot upload for this seller, and its own
		// upload cannot approve onto an issuance it does not handle.
		if _, err := st.BulkOnboard(asSeller(other.ID), registry.BulkUpload{SellerID: sel.ID, Mode: registry.BulkValidate}); registry.ErrorCode(err) != registry.EFORBIDDEN {
			t.Fatalf("upload for another seller: %v", err)
		}
		r = upload(t, st, asSeller(other.ID), bulkCSV(1, 9, iss.ID, nil), registry.BulkValidate)
		if got := r.Results[0]; got.Outcome != registry.BulkFailed || got.Code != registry.ENOTFOUND && got.Code != registry.EREFUSED {
			t.Fatalf("approval onto another seller's issuance: %+v", got)
		}
		// An operator must name the seller.
		if _, err := st.BulkOnboard(operator(), registry.BulkUpload{Mode: registry.BulkValidate}); registry.ErrorCode(err) != registry.EINVALID {
			t.Fatalf("operator without sellerId: %v", err)
		}
	})
}

// TestBulkOnboardingPersonalData: a row's personal data is checked with the
// row (a bad tax category or postal code fails that row only, and nothing is
// written), refused without data keys, sealed in the upload's transaction
// (ciphertext only in the table, its audit record without values), read by
// the onboarding seller and redacted for another; a re-upload with the same
// personal data, or without any, is UNCHANGED, and one with other personal
// data is a conflict.
func TestBulkOnboardingPersonalData(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine store.Dialect) {
		st := storetest.Open(t, engine, nil)
		rec := store.NewRecords(st.DB, testKeyring(t))
		sel, iss := bulkSetup(t, st)
		other := newSeller(t, st, "5010401067252")
		ctx := asSeller(sel.ID)
		before := counts(t, st)

		for _, bad := range []string{"tax", "postal"} {
			text := bulkCSVWith(3, 5, iss.ID, map[int]string{2: bad}, true)
			for _, mode := range []registry.BulkMode{registry.BulkValidate, registry.BulkApply} {
				res := uploadVia(t, rec, ctx, text, mode)
				rs := res.Results
				if res.Applied || res.Failed != 1 || rs[0].Outcome != registry.BulkCreated || rs[2].Outcome != registry.BulkCreated ||
					rs[1].Outcome != registry.BulkFailed || rs[1].Code != registry.EINVALID || rs[1].Line != 3 {
					t.Fatalf("%s %s: %+v", bad, mode, res)
				}
				if want := map[string]string{"tax": "taxCategory", "postal": "postalCode"}[bad]; !strings.Contains(rs[1].Message, want) {
					t.Fatalf("%s %s: message %q does not name %s", bad, mode, rs[1].Message, want)
				}
			}
		}
		// Without data keys, a row with personal data is refused, not dropped.
		text := bulkCSVWith(3, 5, iss.ID, nil, true)
		if res := upload(t, st, ctx, text, registry.BulkValidate); res.Failed != 3 || res.Results[0].Code != registry.EUNAVAILABLE {
			t.Fatalf("without keys: %+v", res)
		}
		if got := counts(t, st); fmt.Sprint(got) != fmt.Sprint(before) {
			t.Fatalf("refused uploads wrote: %v, before %v", got, before)
		}

		res := uploadVia(t, rec, ctx, text, registry.BulkApply)
		if !res.Applied || res.Created != 3 {
			t.Fatalf("apply: %+v", res)
		}
		raw, err := st.PersonalTableTextForTest(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if strings.Count(raw, "\n") != 3 {
			t.Fatalf("want 3 stored versions, got:\n%s", raw)
		}
		for i := 1; i <= 3; i++ {
			assertNoPlaintext(t, "the personal data table", raw, bulkPersonal(i))
			id := res.Results[i-1].InvestorID
			pd, err := rec.PersonalData(ctx, id, nil)
			if err != nil || pd.Redacted || pd.Version != 1 || *pd.Data != bulkPersonal(i) || pd.RecordedBy == "" {
				t.Fatalf("row %d reads back: %+v, %v", i, pd, err)
			}
			if pd, err := rec.PersonalData(asSeller(other.ID), id, nil); err != nil || !pd.Redacted || pd.Data != nil {
				t.Fatalf("another seller reads row %d: %+v, %v", i, pd, err)
			}
		}
		recs, err := st.Audit(operator(), registry.AuditFilter{Action: "personal_data.set", Page: registry.Page{Limit: 100}})
		if err != nil || len(recs) != 3 {
			t.Fatalf("personal_data.set audit records: %d, %v", len(recs), err)
		}
		var audit strings.Builder
		for _, a := range recs {
			if a.EntityID != fmt.Sprint(res.Results[0].InvestorID) && a.EntityID != fmt.Sprint(res.Results[1].InvestorID) && a.EntityID != fmt.Sprint(res.Results[2].InvestorID) ||
				!strings.Contains(a.Detail, `"changed":["*"]`) || !strings.Contains(a.Detail, `"version":1`) {
				t.Fatalf("audit record %+v", a)
			}
			audit.WriteString(a.Detail + "\n")
		}
		for i := 1; i <= 3; i++ {
			assertNoPlaintext(t, "the audit log", audit.String(), bulkPersonal(i))
		}
		after := counts(t, st)

		// The same rows again, or without personal data: unchanged.
		for _, again := range []string{text, bulkCSV(3, 5, iss.ID, nil)} {
			if r := uploadVia(t, rec, ctx, again, registry.BulkApply); !r.Applied || r.Unchanged != 3 {
				t.Fatalf("re-upload: %+v", r)
			}
		}
		// Other personal data for an onboarded reference, or personal data for
		// an investor onboarded without: that row's conflict, nothing written.
		if r := upload(t, st, ctx, bulkCSV(1, 6, iss.ID, nil), registry.BulkApply); !r.Applied {
			t.Fatalf("seed without personal data: %+v", r)
		}
		after = counts(t, st)
		moved := strings.Replace(text, "丸の内一丁目2番1号", "梅田三丁目2番2号", 1)
		withPD := bulkCSVWith(1, 6, iss.ID, nil, true)
		for name, up := range map[string]string{"changed address": moved, "personal data added": withPD} {
			r := uploadVia(t, rec, ctx, up, registry.BulkApply)
			bad := 1
			if name == "personal data added" {
				bad = 0
			}
			if r.Applied || r.Failed != 1 || r.Results[bad].Code != registry.ECONFLICT {
				t.Fatalf("%s: %+v", name, r)
			}
		}
		if got := counts(t, st); fmt.Sprint(got) != fmt.Sprint(after) {
			t.Fatalf("refused re-uploads wrote: %v, before %v", got, after)
		}
	})
}

// BenchmarkBulkUpload10k applies a 10,000-row upload (investors, wallets,
// categories, approvals; and with each row's personal data sealed, under
// /personal) on each engine: go test -run '^$' -bench BulkUpload10k ./registry/store/
func BenchmarkBulkUpload10k(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		for _, personal := range []bool{false, true} {
			name := string(engine)
			if personal {
				name += "/personal"
			}
			b.Run(name, func(b *testing.B) { benchBulkUpload(b, engine, personal) })
		}
	}
}

func benchBulkUpload(b *testing.B, engine store.Dialect, personal bool) {
	st := storetest.Open(b, engine, nil)
	var svc registry.BulkService = st.Registry
	if personal {
		svc = store.NewRecords(st.DB, testKeyring(b))
	}
	sel, iss := bulkSetup(b, st)
	ctx := asSeller(sel.ID)
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		rows, err := registry.ParseBulkCSV(strings.NewReader(bulkCSVWith(10_000, 100+i, iss.ID, nil, personal)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := svc.BulkOnboard(ctx, registry.BulkUpload{Mode: registry.BulkApply, Rows: rows})
		if err != nil || !res.Applied {
			b.Fatalf("%v %+v", err, res)
		}
	}
}
