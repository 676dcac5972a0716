package norm

import (
	"strconv"
	"strings"
)

// Kinds of company identifier.
const (
	KindSIREN  = "siren"  // French company number, 9 digits
	KindSIRET  = "siret"  // French establishment number, SIREN + 5 digits
	KindVAT    = "vat"    // intra-community (or Swiss, British) VAT number, with its country prefix
	KindNumber = "number" // any other registration number: its letters and digits
)

// ID is a company identifier as parsed.
type ID struct {
	Kind    string // one of the Kind constants, "" for an empty input
	Value   string // SIREN or SIRET digits; VAT with its prefix (CHE123456789, FR12345678901); else upper-cased letters and digits
	Country string // the country the identifier belongs to, when its kind tells it
	Valid   bool   // the check digits are right (for kinds and countries without check digits: well formed)
}

// SIREN returns the French company number an identifier carries: the SIREN itself, the
// first nine digits of a SIRET, the last nine of a French VAT number; "" otherwise.
func (id ID) SIREN() string {
	switch {
	case id.Kind == KindSIREN:
		return id.Value
	case id.Kind == KindSIRET:
		return id.Value[:9]
	case id.Kind == KindVAT && id.Country == "FR" && len(id.Value) == 13:
		return id.Value[4:]
	}
	return ""
}

// ParseID recognises what a registration or VAT column holds, for a company of country
// ("" if unknown):
//   - letters then digits that form a VAT number of that prefix's country → KindVAT
//     (spaces, dots and dashes dropped; Swiss CHE-123.456.789 MWST → CHE123456789);
//   - 14 digits → SIRET, 9 digits → SIREN, for a French company or one of unknown
//     country; amid letters ("RCS Paris B 123 456 789") only when the check digit is
//     right;
//   - anything else → KindNumber (a VAT number written without its prefix is read by
//     ParseVAT).
func ParseID(raw, country string) ID {
	s := stripTaxSuffix(Compact(raw))
	if s == "" {
		return ID{}
	}
	if isLetter(s[0]) {
		if v, ok := vatOf(s); ok {
			return v
		}
	}
	if country == "" || country == "FR" || country == "MC" {
		digits := onlyDigits(s)
		// with letters around ("RCS Paris B 123 456 789"), only a valid number counts
		strict := len(digits) != len(s)
		switch {
		case len(digits) == 14 && (!strict || ValidSIRET(digits)):
			return ID{Kind: KindSIRET, Value: digits, Country: "FR", Valid: ValidSIRET(digits)}
		case len(digits) == 9 && (!strict || ValidSIREN(digits)):
			return ID{Kind: KindSIREN, Value: digits, Country: "FR", Valid: ValidSIREN(digits)}
		}
	}
	return ID{Kind: KindNumber, Value: s, Country: country}
}

func onlyDigits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// ParseVAT parses the content of a VAT column: as ParseID, and a number written
// without its country prefix gets the prefix of country when it then forms a VAT
// number ("12345678901" of a French company → FR12345678901).
func ParseVAT(raw, country string) ID {
	id := ParseID(raw, country)
	if id.Kind == KindVAT || country == "" {
		return id
	}
	s := stripTaxSuffix(Compact(raw))
	prefix := country
	if country == "GR" {
		prefix = "EL"
	} else if country == "CH" {
		prefix = "CHE"
	}
	if v, ok := vatOf(prefix + s); ok {
		return v
	}
	return id
}

// stripTaxSuffix removes the name of the Swiss VAT written after the number.
func stripTaxSuffix(s string) string {
	for _, suffix := range []string{"MWST", "TVA", "IVA"} {
		if strings.HasSuffix(s, suffix) && len(s) > len(suffix)+3 {
			return s[:len(s)-len(suffix)]
		}
	}
	return s
}

// vatOf reads s (upper-case letters and digits, prefix first) as a VAT number.
func vatOf(s string) (ID, bool) {
	if strings.HasPrefix(s, "CHE") {
		body := s[3:]
		if len(body) == 9 && isDigits(body) {
			return ID{Kind: KindVAT, Value: s, Country: "CH", Valid: swissCheck(body)}, true
		}
		return ID{}, false
	}
	if len(s) < 4 {
		return ID{}, false
	}
	prefix, body := s[:2], s[2:]
	country := prefix
	if prefix == "EL" {
		country = "GR"
	}
	digits := isDigits(body)
	switch prefix {
	case "FR":
		if len(body) != 11 || !isDigits(body[2:]) {
			return ID{}, false
		}
		siren := body[2:]
		valid := ValidSIREN(siren)
		if isDigits(body[:2]) {
			valid = valid && body[:2] == FrenchVATKey(siren)
		}
		return ID{Kind: KindVAT, Value: s, Country: country, Valid: valid}, true
	case "DE":
		if len(body) != 9 || !digits {
			return ID{}, false
		}
		return ID{Kind: KindVAT, Value: s, Country: country, Valid: germanCheck(body)}, true
	case "BE":
		if len(body) == 9 && digits {
			body, s = "0"+body, "BE0"+body
		}
		if len(body) != 10 || !digits || body[0] > '1' {
			return ID{}, false
		}
		n, _ := strconv.Atoi(body[:8])
		return ID{Kind: KindVAT, Value: s, Country: country, Valid: fmt2(97-n%97) == body[8:]}, true
	case "NL":
		if len(body) != 12 || !isDigits(body[:9]) || body[9] != 'B' || !isDigits(body[10:]) {
			return ID{}, false
		}
		return ID{Kind: KindVAT, Value: s, Country: country, Valid: dutchCheck(body)}, true
	case "IT":
		if digits && len(body) >= 8 && len(body) < 11 {
			// a partita IVA read as a number lost its leading zeros
			body = strings.Repeat("0", 11-len(body)) + body
			s = "IT" + body
		}
		if len(body) != 11 || !digits {
			return ID{}, false
		}
		return ID{Kind: KindVAT, Value: s, Country: country, Valid: Luhn(body)}, true
	case "GB":
		if (len(body) != 9 && len(body) != 12) || !digits {
			return ID{}, false
		}
		return ID{Kind: KindVAT, Value: s, Country: country, Valid: britishCheck(body[:9])}, true
	case "ES":
		if len(body) != 9 || !isDigits(body[1:8]) {
			return ID{}, false
		}
		return ID{Kind: KindVAT, Value: s, Country: country, Valid: true}, true
	case "AT":
		if len(body) != 9 || body[0] != 'U' || !isDigits(body[1:]) {
			return ID{}, false
		}
		return ID{Kind: KindVAT, Value: s, Country: country, Valid: true}, true
	case "LU":
		if len(body) != 8 || !digits {
			return ID{}, false
		}
		n, _ := strconv.Atoi(body[:6])
		return ID{Kind: KindVAT, Value: s, Country: country, Valid: fmt2(n%89) == body[6:]}, true
	case "DK":
		if len(body) != 8 || !digits {
			return ID{}, false
		}
		return ID{Kind: KindVAT, Value: s, Country: country, Valid: weightedMod11(body, []int{2, 7, 6, 5, 4, 3, 2, 1}) == 0}, true
	case "PT":
		if len(body) != 9 || !digits {
			return ID{}, false
		}
		r := 11 - weightedMod11(body[:8], []int{9, 8, 7, 6, 5, 4, 3, 2})
		if r >= 10 {
			r = 0
		}
		return ID{Kind: KindVAT, Value: s, Country: country, Valid: byte('0'+r) == body[8]}, true
	case "IE":
		if (len(body) != 8 && len(body) != 9) || !isDigit(body[0]) {
			return ID{}, false
		}
		return ID{Kind: KindVAT, Value: s, Country: country, Valid: true}, true
	}
	// other countries: two letters and 8 to 12 digits, not checked
	if !isLetter(prefix[1]) || !digits || len(body) < 8 || len(body) > 12 {
		return ID{}, false
	}
	return ID{Kind: KindVAT, Value: s, Country: country, Valid: true}, true
}

// Luhn says whether digits pass the Luhn (mod 10) check.
func Luhn(digits string) bool {
	if digits == "" || !isDigits(digits) {
		return false
	}
	sum := 0
	for i := 0; i < len(digits); i++ {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// ValidSIREN says whether s is nine digits passing the Luhn check.
func ValidSIREN(s string) bool { return len(s) == 9 && Luhn(s) }

// laPoste is the SIREN of La Poste, whose establishments are too many for the Luhn
// check: the digits of its SIRETs add up to a multiple of 5 instead.
const laPoste = "356000000"

// ValidSIRET says whether s is fourteen digits passing the Luhn check, or a SIRET of La
// Poste whose digits add up to a multiple of 5.
func ValidSIRET(s string) bool {
	if len(s) != 14 || !isDigits(s) {
		return false
	}
	if s[:9] == laPoste {
		sum := 0
		for i := 0; i < len(s); i++ {
			sum += int(s[i] - '0')
		}
		return sum%5 == 0
	}
	return Luhn(s)
}

// FrenchVATKey returns the two-digit key of the French VAT number of a SIREN:
// (12 + 3 × (SIREN mod 97)) mod 97.
func FrenchVATKey(siren string) string {
	n, err := strconv.Atoi(siren)
	if err != nil {
		return ""
	}
	return fmt2((12 + 3*(n%97)) % 97)
}

func fmt2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// germanCheck is ISO 7064 MOD 11,10 on the first eight digits.
func germanCheck(body string) bool {
	p := 10
	for i := 0; i < 8; i++ {
		s := (int(body[i]-'0') + p) % 10
		if s == 0 {
			s = 10
		}
		p = (2 * s) % 11
	}
	check := 11 - p
	if check == 10 {
		check = 0
	}
	return byte('0'+check) == body[8]
}

// dutchCheck accepts the former mod-11 check on the nine digits and the mod-97 check
// on "NL" + number that replaced it for sole traders in 2020.
func dutchCheck(body string) bool {
	if weightedMod11(body[:8], []int{9, 8, 7, 6, 5, 4, 3, 2}) == int(body[8]-'0') {
		return true
	}
	rem := 0
	for _, c := range "NL" + body {
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = int(c-'A') + 10
		}
		if v >= 10 {
			rem = (rem*100 + v) % 97
		} else {
			rem = (rem*10 + v) % 97
		}
	}
	return rem == 1
}

// britishCheck is the HMRC mod-97 check, old (total mod 97 = 0) and new (+55) series.
func britishCheck(body string) bool {
	total := 0
	for i, w := range []int{8, 7, 6, 5, 4, 3, 2} {
		total += int(body[i]-'0') * w
	}
	check, _ := strconv.Atoi(body[7:9])
	total += check
	return total%97 == 0 || (total+55)%97 == 0
}

// swissCheck is the mod-11 check of the Swiss UID (CHE number).
func swissCheck(body string) bool {
	r := 11 - weightedMod11(body[:8], []int{5, 4, 3, 2, 7, 6, 5, 4})
	if r == 11 {
		r = 0
	}
	return r < 10 && byte('0'+r) == body[8]
}

func weightedMod11(digits string, weights []int) int {
	sum := 0
	for i, w := range weights {
		sum += int(digits[i]-'0') * w
	}
	return sum % 11
}

// RegistrationDigits returns the comparable digits of a registration number of
// country: the SIREN or SIRET of a French one; the nine-digit business number of a
// Canadian one (its RT0001 account suffix dropped); the nine-digit ACN of an
// Australian ABN (eleven digits, the ACN behind two check digits); for others every
// digit, leading zeros dropped. It is "" when fewer than five digits remain, too few
// to identify a company.
func RegistrationDigits(raw, country string) string {
	id := ParseID(raw, country)
	switch id.Kind {
	case KindSIREN, KindSIRET:
		return id.Value
	case KindVAT, "":
		return ""
	}
	d := onlyDigits(id.Value)
	switch {
	case country == "CA" && len(d) >= 9:
		d = d[:9]
	case country == "AU" && len(d) == 11:
		d = d[2:]
	}
	d = strings.TrimLeft(d, "0")
	if len(d) < 5 {
		return ""
	}
	return d
}
