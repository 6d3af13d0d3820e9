package registry

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// docRow is one row of the codes table in docs/reason-codes.md.
type docRow struct {
	code    int
	name    string
	area    string
	onChain bool
	line    int
}

// readDocCodes parses the "## Codes" table of docs/reason-codes.md.
func readDocCodes(t *testing.T) []docRow {
	t.Helper()
	b, err := os.ReadFile("../docs/reason-codes.md")
	if err != nil {
		t.Fatal(err)
	}
	var rows []docRow
	in := false
	for i, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "## ") {
			in = strings.TrimSpace(line) == "## Codes"
			continue
		}
		if !in || !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 6 {
			t.Fatalf("docs/reason-codes.md:%d: short row %q", i+1, line)
		}
		num, err := strconv.Atoi(strings.TrimSpace(cells[1]))
		if err != nil {
			continue // header or separator
		}
		area := strings.TrimSpace(cells[3])
		if area == "—" {
			area = ""
		}
		onChain := strings.TrimSpace(cells[4])
		if onChain != "yes" && onChain != "no" {
			t.Errorf("docs/reason-codes.md:%d: on-chain must be yes or no, got %q", i+1, onChain)
		}
		rows = append(rows, docRow{
			code: num, name: strings.Trim(strings.TrimSpace(cells[2]), "`"),
			area: area, onChain: onChain == "yes", line: i + 1,
		})
	}
	if len(rows) == 0 {
		t.Fatal("docs/reason-codes.md has no codes table under \"## Codes\"")
	}
	return rows
}

// TestReasonCodesDocumented keeps docs/reason-codes.md and the Go table in
// step: the same codes, numbers, names, areas and on-chain flags, in order.
func TestReasonCodesDocumented(t *testing.T) {
	rows := readDocCodes(t)
	doc := map[int]docRow{}
	for _, r := range rows {
		if prev, dup := doc[r.code]; dup {
			t.Errorf("docs lists code %d twice (lines %d and %d)", r.code, prev.line, r.line)
		}
		doc[r.code] = r
	}
	known := map[int]bool{}
	for _, info := range Reasons() {
		known[int(info.Code)] = true
		r, ok := doc[int(info.Code)]
		if !ok {
			t.Errorf("code %d %s is missing from docs/reason-codes.md", info.Code, info.Name)
			continue
		}
		if r.name != info.Name {
			t.Errorf("docs/reason-codes.md:%d: code %d is named %q, Go says %q", r.line, info.Code, r.name, info.Name)
		}
		if r.area != info.Area {
			t.Errorf("docs/reason-codes.md:%d: %s area %q, Go says %q", r.line, info.Name, r.area, info.Area)
		}
		if r.onChain != info.OnChain {
			t.Errorf("docs/reason-codes.md:%d: %s on-chain %v, Go says %v", r.line, info.Name, r.onChain, info.OnChain)
		}
	}
	for _, r := range rows {
		if !known[r.code] {
			t.Errorf("docs/reason-codes.md:%d: code %d %s is not in registry.Reasons()", r.line, r.code, r.name)
		}
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].code < rows[i-1].code {
			t.Errorf("docs/reason-codes.md:%d: codes out of numeric order", rows[i].line)
		}
	}
}

var upperSnake = regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$`)

func TestReasonTableConsistent(t *testing.T) {
	names := map[string]ReasonCode{}
	codes := map[ReasonCode]string{}
	areaOfTens := map[ReasonCode]string{}
	for _, info := range Reasons() {
		if other, dup := names[info.Name]; dup {
			t.Errorf("name %s used by codes %d and %d", info.Name, other, info.Code)
		}
		names[info.Name] = info.Code
		if other, dup := codes[info.Code]; dup {
			t.Errorf("code %d used by %s and %s", info.Code, other, info.Name)
		}
		codes[info.Code] = info.Name
		if !upperSnake.MatchString(info.Name) {
			t.Errorf("name %q is not UPPER_SNAKE_CASE", info.Name)
		}
		if info.Message == "" {
			t.Errorf("%s has no message", info.Name)
		}
		if info.Code.String() != info.Name {
			t.Errorf("%d.String() = %q, want %q", info.Code, info.Code.String(), info.Name)
		}
		if got, ok := info.Code.Info(); !ok || got != info {
			t.Errorf("%d.Info() = %+v, %v", info.Code, got, ok)
		}
		// Areas are grouped in tens.
		if info.Code == CodeOK {
			continue
		}
		tens := info.Code / 10
		if a, seen := areaOfTens[tens]; seen && a != info.Area {
			t.Errorf("%s: area %q differs from %q used by other codes %d-%d", info.Name, info.Area, a, tens*10, tens*10+9)
		}
		areaOfTens[tens] = info.Area
	}
	if ReasonCode(255).String() != "UNKNOWN" {
		t.Error("unknown code must stringify as UNKNOWN")
	}
	if _, ok := ReasonCode(255).Info(); ok {
		t.Error("unknown code must have no info")
	}
}

func TestDecisionPrimary(t *testing.T) {
	if (Decision{Allowed: true}).Primary() != CodeOK {
		t.Error("allowed decision must have primary OK")
	}
	d := Decision{Reasons: []Reason{{Code: CodeKYCExpired}, {Code: CodeNotQII}}}
	if d.Primary() != CodeKYCExpired {
		t.Errorf("Primary = %v", d.Primary())
	}
}
