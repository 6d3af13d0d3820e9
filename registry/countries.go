package registry

// assignedCountries holds the 249 officially assigned ISO 3166-1 alpha-2 codes
// (ISO 3166 Maintenance Agency, as in Debian's iso-codes and tzdata's
// iso3166.tab), one row per first letter, each code followed by a space.
// Exceptionally or transitionally reserved codes (UK, SU, EU, AN, ...) and
// user-assigned ones (XX, ZZ, ...) are not countries here: a residence of UK
// would escape a deniedCountries list naming GB.
const assignedCountries = "" +
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ " +
	"BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ " +
	"DE DJ DK DM DO DZ " +
	"EC EE EG EH ER ES ET " +
	"FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY " +
	"HK HM HN HR HT HU " +
	"ID IE IL IM IN IO IQ IR IS IT " +
	"JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ " +
	"LA LB LC LI LK LR LS LT LU LV LY " +
	"MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
	"NA NC NE NF NG NI NL NO NP NR NU NZ " +
	"OM " +
	"PA PE PF PG PH PK PL PM PN PR PS PT PW PY " +
	"QA " +
	"RE RO RS RU RW " +
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
	"TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ " +
	"UA UG UM US UY UZ " +
	"VA VC VE VG VI VN VU " +
	"WF WS " +
	"YE YT " +
	"ZA ZM ZW "

// ValidCountry reports whether s is an officially assigned ISO 3166-1 alpha-2
// code, in upper case. Every country the registry stores or filters on passes
// here: investor residence and an issuance's allowed and denied lists.
func ValidCountry(s string) bool {
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		return false
	}
	// Codes sit at multiples of three ("AD AE ..."), so a match at any other
	// offset would straddle two codes.
	for i := 0; i+2 <= len(assignedCountries); i += 3 {
		if assignedCountries[i] == s[0] && assignedCountries[i+1] == s[1] {
			return true
		}
	}
	return false
}

// Countries returns the assigned ISO 3166-1 alpha-2 codes in order.
func Countries() []string {
	out := make([]string, 0, len(assignedCountries)/3)
	for i := 0; i+2 <= len(assignedCountries); i += 3 {
		out = append(out, assignedCountries[i:i+2])
	}
	return out
}
