package registry_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stonode/stonode/registry"
)

func TestPersonalDataRedactsWhenPrintedOrLogged(t *testing.T) {
	d := registry.PersonalData{LegalName: "山田 太郎", KanaName: "ヤマダ タロウ", Address: "東京都千代田区", TaxCategory: registry.TaxIndividual}
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	log.Info("x", "pd", d, "ptr", &d)
	log.Info("y", slog.Any("pd", d))
	text := logs.String() + fmt.Sprintf("%v %+v %#v %s %v", d, d, d, d, &d)
	for _, v := range []string{"山田", "ヤマダ", "東京都"} {
		if strings.Contains(text, v) {
			t.Fatalf("personal data %q printed:\n%s", v, text)
		}
	}
	if !strings.Contains(text, "[REDACTED]") {
		t.Fatalf("no redaction mark:\n%s", text)
	}
}

func TestPersonalDataValidation(t *testing.T) {
	ok := registry.PersonalData{LegalName: "山田 太郎", KanaName: "ヤマダ タロウ", PostalCode: "1000005", Address: "東京都千代田区丸の内1-1-1",
		TaxCategory: registry.TaxIndividual, Email: "taro@example.jp", Phone: "+81-3-1234-5678"}
	corp := registry.PersonalData{LegalName: "株式会社エー", KanaName: "カブシキガイシャエー", RepresentativeName: "代表 一郎",
		Address: "大阪府大阪市", TaxCategory: registry.TaxCorporation}
	cases := []struct {
		name   string
		person registry.PersonType
		base   registry.PersonalData
		edit   func(*registry.PersonalData)
		field  string // "" when valid
	}{
		{"individual", registry.PersonIndividual, ok, func(*registry.PersonalData) {}, ""},
		{"corporation", registry.PersonCorporation, corp, func(*registry.PersonalData) {}, ""},
		{"ideographic spaces trimmed", registry.PersonIndividual, ok, func(d *registry.PersonalData) { d.LegalName = "　山田　" }, ""},
		{"no legal name", registry.PersonIndividual, ok, func(d *registry.PersonalData) { d.LegalName = " " }, "legalName"},
		{"kana in hiragana", registry.PersonIndividual, ok, func(d *registry.PersonalData) { d.KanaName = "やまだ" }, "kanaName"},
		{"half-width kana", registry.PersonIndividual, ok, func(d *registry.PersonalData) { d.KanaName = "ﾔﾏﾀﾞ" }, "kanaName"},
		{"no address", registry.PersonIndividual, ok, func(d *registry.PersonalData) { d.Address = "" }, "address"},
		{"bad postal code", registry.PersonIndividual, ok, func(d *registry.PersonalData) { d.PostalCode = "12-34567" }, "postalCode"},
		{"bad email", registry.PersonIndividual, ok, func(d *registry.PersonalData) { d.Email = "taro" }, "email"},
		{"bad phone", registry.PersonIndividual, ok, func(d *registry.PersonalData) { d.Phone = "call me" }, "phone"},
		{"unknown tax category", registry.PersonIndividual, ok, func(d *registry.PersonalData) { d.TaxCategory = "OTHER" }, "taxCategory"},
		{"control character", registry.PersonIndividual, ok, func(d *registry.PersonalData) { d.Address = "a\x00b" }, "address"},
		{"too long", registry.PersonIndividual, ok, func(d *registry.PersonalData) { d.Address = strings.Repeat("あ", 401) }, "address"},
		{"individual with representative", registry.PersonIndividual, ok, func(d *registry.PersonalData) { d.RepresentativeName = "x" }, "representativeName"},
		{"individual taxed as corporation", registry.PersonIndividual, ok, func(d *registry.PersonalData) { d.TaxCategory = registry.TaxCorporation }, "taxCategory"},
		{"corporation without representative", registry.PersonCorporation, corp, func(d *registry.PersonalData) { d.RepresentativeName = "" }, "representativeName"},
		{"corporation taxed as individual", registry.PersonCorporation, corp, func(d *registry.PersonalData) { d.TaxCategory = registry.TaxIndividual }, "taxCategory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := c.base
			c.edit(&d)
			d.Normalize()
			err := d.Validate(c.person)
			if c.field == "" {
				if err != nil {
					t.Fatalf("valid data refused: %v", err)
				}
				return
			}
			if registry.ErrorCode(err) != registry.EINVALID || !strings.Contains(registry.ErrorMessage(err), c.field) {
				t.Fatalf("err = %v, want EINVALID naming %s", err, c.field)
			}
		})
	}
	d := ok
	d.Normalize()
	if d.PostalCode != "100-0005" {
		t.Fatalf("postal code normalised to %q", d.PostalCode)
	}
}
