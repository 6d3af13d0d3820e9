package registry

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestCountriesAreTheAssignedCodes(t *testing.T) {
	codes := Countries()
	if len(codes) != 249 {
		t.Fatalf("%d assigned codes, want 249", len(codes))
	}
	if !slices.IsSorted(codes) || len(slices.Compact(slices.Clone(codes))) != len(codes) {
		t.Fatal("the table is not sorted or has duplicates")
	}
	// Every two-letter string is a country exactly when the table lists it.
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			if _, listed := slices.BinarySearch(codes, code); ValidCountry(code) != listed {
				t.Errorf("ValidCountry(%q) = %v, listed %v", code, !listed, listed)
			}
		}
	}
	for _, code := range []string{"UK", "SU", "EU", "UN", "AN", "YU", "XK", "ZZ", "jp", "Jp", "JPN", "J", "", "J\x00", "ＪＰ"} {
		if ValidCountry(code) {
			t.Errorf("ValidCountry(%q) = true", code)
		}
	}
}

// The table agrees with the ISO 3166 list tzdata ships, where it is installed.
func TestCountriesMatchTzdata(t *testing.T) {
	f, err := os.Open("/usr/share/zoneinfo/iso3166.tab")
	if err != nil {
		t.Skip("no tzdata iso3166.tab here")
	}
	defer f.Close()
	var tz []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			tz = append(tz, strings.SplitN(line, "\t", 2)[0])
		}
	}
	slices.Sort(tz)
	if !slices.Equal(tz, Countries()) {
		t.Fatalf("tzdata lists %d codes that differ from the table's %d", len(tz), len(Countries()))
	}
}
