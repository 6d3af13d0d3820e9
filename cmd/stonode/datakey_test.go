package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/eligibility"
	"github.com/stonode/stonode/registry/sealing"
	"github.com/stonode/stonode/registry/store"
)

// TestDataKeyRotateCommand: `stonode data-key rotate --new-key` adds a master
// key to the node's key file and re-wraps the stored personal data under it,
// which a keyring read from the file afterwards opens; a key file lost while
// sealed records exist is refused rather than replaced.
func TestDataKeyRotateCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "data.key")
	oldID, err := sealing.AppendKey(path, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, store.Config{DataDir: dir, Rules: eligibility.Rules{}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	op := registry.WithPrincipal(ctx, &registry.Principal{KeyID: "cli", Role: registry.RoleOperator})
	reg := store.NewRegistry(db)
	sel := &registry.Seller{LegalName: "Firm", CorporateNumber: "7000012050002", FSARegistration: "x",
		Licence: registry.LicenceType1, Membership: registry.MembershipFull}
	if err := reg.CreateSeller(op, sel); err != nil {
		t.Fatal(err)
	}
	inv := &registry.Investor{SellerID: sel.ID, CustomerRef: "C1", PersonType: registry.PersonIndividual, ResidenceCountry: "JP"}
	if err := reg.CreateInvestor(op, inv); err != nil {
		t.Fatal(err)
	}
	keys, err := sealing.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.NewRecords(db, keys).SetPersonalData(op, inv.ID, registry.PersonalDataChange{Data: registry.PersonalData{
		LegalName: "山田 太郎", KanaName: "ヤマダ タロウ", Address: "東京都", TaxCategory: registry.TaxIndividual}}); err != nil {
		t.Fatal(err)
	}

	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"data-key", "rotate", "--new-key", "--data-dir", dir, "--log-level", "warn"}, &out, &errOut); err != nil {
		t.Fatalf("rotate: %v\n%s", err, errOut.String())
	}
	fresh, err := sealing.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	newID := fresh.CurrentID()
	if newID == oldID || !strings.Contains(out.String(), "re-wrapped 1 personal data records under master key "+newID) ||
		!strings.Contains(out.String(), newID+": 1 records (current)") {
		t.Fatalf("rotate printed:\n%s", out.String())
	}
	got, err := store.NewRecords(db, fresh).PersonalData(op, inv.ID, nil)
	if err != nil || got.Data.LegalName != "山田 太郎" {
		t.Fatalf("after rotation: %+v %v", got, err)
	}

	var gen bytes.Buffer
	if err := run(ctx, []string{"data-key", "generate"}, &gen, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := sealing.Parse(strings.TrimSpace(gen.String())); err != nil {
		t.Fatalf("generate printed %q: %v", gen.String(), err)
	}

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	err = run(ctx, []string{"data-key", "status", "--data-dir", dir, "--log-level", "warn"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "is missing") {
		t.Fatalf("status with the key file lost: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("a lost key file was replaced by a new key")
	}
}
