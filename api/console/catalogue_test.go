package console

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/stonode/stonode/registry"
)

func catalogue(t *testing.T, lang string) map[string]string {
	t.Helper()
	b, err := fs.ReadFile(assetFS, "assets/i18n/"+lang+".json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s.json: %v", lang, err)
	}
	return m
}

// scripts returns the text of every embedded JavaScript module.
func scripts(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") {
			return err
		}
		b, err := fs.ReadFile(assetFS, p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCataloguesAreComplete: Japanese and English have the same keys, each
// with a message; every reason code, every API error code and every message
// key the scripts use is in both; the Japanese reason messages are Japanese.
func TestCataloguesAreComplete(t *testing.T) {
	ja, en := catalogue(t, "ja"), catalogue(t, "en")
	for k, v := range en {
		if strings.TrimSpace(v) == "" {
			t.Errorf("en %s is empty", k)
		}
		if w, ok := ja[k]; !ok || strings.TrimSpace(w) == "" {
			t.Errorf("ja lacks %s", k)
		}
	}
	for k := range ja {
		if _, ok := en[k]; !ok {
			t.Errorf("en lacks %s", k)
		}
	}

	need := map[string]bool{}
	for _, r := range registry.Reasons() {
		need["reason."+r.Name] = true
	}
	for _, code := range []string{registry.ECONFLICT, registry.EINTERNAL, registry.EINVALID, registry.ENOTFOUND, registry.EUNAUTHORIZED,
		registry.EFORBIDDEN, registry.ETOOLARGE, registry.EREFUSED, registry.EUNAVAILABLE, "method_not_allowed"} {
		need["error."+code] = true
	}
	literal := regexp.MustCompile(`\bt\('([^']+)'`)
	patternKey := regexp.MustCompile(`, '([ev]\.[A-Za-z]+)', \[`)
	// Keys built at run time from a fixed list: ops.<kind> and sellers.<action>.
	dynamic := regexp.MustCompile(`t\(` + "`" + `(ops|sellers)\.\$\{`)
	for name, src := range scripts(t) {
		for _, m := range literal.FindAllStringSubmatch(src, -1) {
			need[m[1]] = true
		}
		for _, m := range patternKey.FindAllStringSubmatch(src, -1) {
			need[m[1]] = true
		}
		if dynamic.MatchString(src) && !strings.Contains(name, "pages/") {
			t.Errorf("%s builds message keys at run time", name)
		}
	}
	for _, k := range []string{"ops.mint", "ops.forcedTransfer", "ops.redemption", "ops.freeze", "ops.unfreeze", "ops.pause", "ops.unpause",
		"sellers.suspend", "sellers.reinstate", "sellers.revoke"} {
		need[k] = true
	}
	if len(need) < 300 {
		t.Fatalf("found only %d message keys in the scripts; the key pattern is broken", len(need))
	}
	for k := range need {
		if _, ok := en[k]; !ok {
			t.Errorf("en lacks %s", k)
		}
		if _, ok := ja[k]; !ok {
			t.Errorf("ja lacks %s", k)
		}
	}

	japanese := regexp.MustCompile(`[\p{Hiragana}\p{Katakana}\p{Han}]`)
	for _, r := range registry.Reasons() {
		if m := ja["reason."+r.Name]; !japanese.MatchString(m) {
			t.Errorf("ja reason.%s is not Japanese: %q", r.Name, m)
		}
	}
}
