package norm

import (
	"strings"
)

// postcodePrefixes are the country letters some people write before a postcode
// ("F-75011", "D-10115", "L-1234", "CH-1200").
var postcodePrefixes = map[string][]string{
	"FR": {"F", "FR"}, "DE": {"D", "DE"}, "BE": {"B", "BE"}, "CH": {"CH"}, "AT": {"A", "AT"},
	"LU": {"L", "LU"}, "NL": {"NL"}, "ES": {"E", "ES"}, "IT": {"I", "IT"}, "PT": {"P", "PT"}, "DK": {"DK"},
}

// fourDigits are the countries whose postcodes are four digits.
var fourDigits = map[string]bool{"BE": true, "CH": true, "AT": true, "AU": true, "DK": true, "LU": true, "NO": true}

// fiveDigits are the countries whose postcodes are five digits; a leading zero lost by a
// spreadsheet is given back.
var fiveDigits = map[string]bool{"FR": true, "DE": true, "ES": true, "IT": true, "US": true, "FI": true, "SE": true}

// Postcode returns the canonical form of a postcode of country and whether it is valid
// there:
//   - FR, DE, ES, IT, FI, SE: five digits, a four-digit one gets its leading zero back
//     ("1000" → "01000");
//   - US: the five-digit ZIP code (ZIP+4 is cut to its first five digits, which is
//     what matching compares);
//   - BE, CH, AT, AU, DK, LU, NO: four digits;
//   - GB: outward and inward codes separated by a space, "SW1A 1AA";
//   - NL: "1234 AB"; CA: "K1A 0B1"; PT: "1000-001" (four digits alone are valid too);
//     IE: the Eircode "D02 X285";
//   - another or an unknown country: the upper-cased letters and digits, never valid.
//
// A country prefix ("F-", "D-", "CH-") is removed first.
func Postcode(raw, country string) (string, bool) {
	s := Compact(raw)
	if s == "" {
		return "", false
	}
	for _, p := range postcodePrefixes[country] {
		if strings.HasPrefix(s, p) && len(s) > len(p) && isDigits(s[len(p):]) {
			s = s[len(p):]
			break
		}
	}
	switch {
	case fiveDigits[country]:
		if !isDigits(s) {
			return s, false
		}
		if country == "US" && (len(s) == 9 || len(s) == 8) {
			s = s[:len(s)-4]
		}
		if len(s) == 4 {
			s = "0" + s
		}
		return s, len(s) == 5 && (country != "FR" || s[:2] != "00")
	case fourDigits[country]:
		return s, len(s) == 4 && isDigits(s)
	}
	switch country {
	case "GB":
		if len(s) < 5 || len(s) > 7 {
			return s, false
		}
		out, in := s[:len(s)-3], s[len(s)-3:]
		return out + " " + in, validOutward(out) && isDigit(in[0]) && isLetter(in[1]) && isLetter(in[2])
	case "NL":
		if len(s) != 6 {
			return s, false
		}
		return s[:4] + " " + s[4:], isDigits(s[:4]) && s[0] != '0' && isLetter(s[4]) && isLetter(s[5])
	case "CA":
		if len(s) != 6 {
			return s, false
		}
		ok := true
		for i := 0; i < 6; i++ {
			ok = ok && (i%2 == 0 && isLetter(s[i]) || i%2 == 1 && isDigit(s[i]))
		}
		return s[:3] + " " + s[3:], ok
	case "PT":
		if len(s) == 7 && isDigits(s) {
			return s[:4] + "-" + s[4:], true
		}
		return s, len(s) == 4 && isDigits(s)
	case "IE":
		if len(s) != 7 {
			return s, false
		}
		return s[:3] + " " + s[3:], isLetter(s[0]) && isDigit(s[1])
	}
	return s, false
}

// validOutward checks a British outward code: A9, A99, AA9, AA99, A9A or AA9A.
func validOutward(s string) bool {
	switch len(s) {
	case 2:
		return isLetter(s[0]) && isDigit(s[1])
	case 3:
		return isLetter(s[0]) && (isDigit(s[1]) && (isDigit(s[2]) || isLetter(s[2])) || isLetter(s[1]) && isDigit(s[2]))
	case 4:
		return isLetter(s[0]) && isLetter(s[1]) && isDigit(s[2]) && (isDigit(s[3]) || isLetter(s[3]))
	}
	return false
}

// PostcodeArea returns the part of a canonical postcode that names a district: the
// French département (two digits, three overseas: "97411" → "974"), the British
// outward code ("SW1A"), the Canadian forward sortation area ("K1A"), the four Dutch
// digits, the Portuguese four digits, the Irish routing key, the first three digits of
// a ZIP or an Italian CAP, the first digit of the four-digit systems (Belgian
// province, Swiss and Austrian region, Australian state, Danish region), the first two
// digits elsewhere. It is "" for an empty code.
func PostcodeArea(canonical, country string) string {
	if canonical == "" {
		return ""
	}
	switch country {
	case "FR":
		if strings.HasPrefix(canonical, "97") || strings.HasPrefix(canonical, "98") {
			return prefix(canonical, 3)
		}
		return prefix(canonical, 2)
	case "GB", "CA", "IE":
		if i := strings.IndexByte(canonical, ' '); i > 0 {
			return canonical[:i]
		}
		return prefix(canonical, 3)
	case "NL", "PT":
		return prefix(canonical, 4)
	case "US", "IT":
		return prefix(canonical, 3)
	}
	if fourDigits[country] {
		return prefix(canonical, 1)
	}
	return prefix(canonical, 2)
}

func prefix(s string, n int) string {
	if len(s) < n {
		return s
	}
	return s[:n]
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' }
