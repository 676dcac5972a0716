package sniff

// What values look like: numbers in their separators, dates in their formats, and the
// shapes that identify a column (SIRET, VAT, GTIN, postcode, currency, country).

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// spaces that group thousands: space, no-break space, narrow no-break space.
const groupSpaces = " \u00a0\u202f"

// numberShape is what one value says about the separators.
type numberShape struct {
	ok        bool   // a number in some convention
	decimal   string // "." or "," when the value proves it; "" when it does not say
	thousands string // the grouping character the value proves, "" when none or unsure
	ambiguous string // a value like "1,000" or "1.000": this character is either the decimal mark or a grouping
	value     float64
}

var (
	reInt          = regexp.MustCompile(`^\d+$`)
	reSpaceGroups  = regexp.MustCompile(`^\d{1,3}([ \x{00a0}\x{202f}]\d{3})+([.,]\d+)?$`)
	reDotGroupsDec = regexp.MustCompile(`^\d{1,3}(\.\d{3})+,\d+$`)
	reComGroupsDec = regexp.MustCompile(`^\d{1,3}(,\d{3})+\.\d+$`)
	reDotGroups    = regexp.MustCompile(`^\d{1,3}(\.\d{3}){2,}$`)
	reComGroups    = regexp.MustCompile(`^\d{1,3}(,\d{3}){2,}$`)
	reDotDec       = regexp.MustCompile(`^\d+\.\d+$`)
	reComDec       = regexp.MustCompile(`^\d+,\d+$`)
)

// shapeNumber reads a value as a number in any of the conventions the loader accepts
// (a leading or trailing minus, "." or "," decimals, thousands grouped by space, "." or ",").
func shapeNumber(s string) numberShape {
	s = strings.TrimSpace(s)
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		s, neg = s[1:], true
	case strings.HasSuffix(s, "-"):
		s, neg = s[:len(s)-1], true
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	sign := func(v float64) float64 {
		if neg {
			return -v
		}
		return v
	}
	parse := func(t, strip, dec string) float64 {
		for _, c := range strip {
			t = strings.ReplaceAll(t, string(c), "")
		}
		t = strings.Replace(t, dec, ".", 1)
		v, _ := strconv.ParseFloat(t, 64)
		return sign(v)
	}
	switch {
	case s == "":
		return numberShape{}
	case reInt.MatchString(s):
		return numberShape{ok: true, value: parse(s, "", ".")}
	case reSpaceGroups.MatchString(s):
		sh := numberShape{ok: true, thousands: " "}
		dec := "."
		if i := strings.LastIndexAny(s, ".,"); i >= 0 {
			dec = s[i : i+1]
			sh.decimal = dec
		}
		sh.value = parse(s, groupSpaces, dec)
		return sh
	case reDotGroupsDec.MatchString(s):
		return numberShape{ok: true, decimal: ",", thousands: ".", value: parse(s, ".", ",")}
	case reComGroupsDec.MatchString(s):
		return numberShape{ok: true, decimal: ".", thousands: ",", value: parse(s, ",", ".")}
	case reDotGroups.MatchString(s):
		return numberShape{ok: true, decimal: ",", thousands: ".", value: parse(s, ".", ",")}
	case reComGroups.MatchString(s):
		return numberShape{ok: true, decimal: ".", thousands: ",", value: parse(s, ",", ".")}
	case reDotDec.MatchString(s), reComDec.MatchString(s):
		sep := "."
		if strings.Contains(s, ",") {
			sep = ","
		}
		intPart, frac, _ := strings.Cut(s, sep)
		sh := numberShape{ok: true, value: parse(s, "", sep)}
		if len(frac) == 3 && len(intPart) <= 3 && intPart != "0" {
			sh.ambiguous = sep
		} else {
			sh.decimal = sep
		}
		return sh
	}
	return numberShape{}
}

// parseNumberAny reads a value as a number in any convention.
func parseNumberAny(s string) (float64, bool) {
	sh := shapeNumber(s)
	return sh.value, sh.ok
}

// parseNumber reads a value as the loader would with the given separators.
func parseNumber(s, decimal, thousands string) (float64, bool) {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, "-") {
		s = "-" + strings.TrimSuffix(s, "-")
	}
	strip := thousands
	if strip == " " {
		strip = groupSpaces
	}
	for _, c := range strip {
		s = strings.ReplaceAll(s, string(c), "")
	}
	s = strings.Replace(s, decimal, ".", 1)
	if s == "" || strings.ContainsAny(s, " ,") {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// dateFormat is a candidate date format: its strptime text (as feeds write it), a
// pattern, and where year, month and day are in the pattern's groups.
type dateFormat struct {
	strptime string
	re       *regexp.Regexp
	y, m, d  int // group numbers
}

var dateFormats = func() []dateFormat {
	mk := func(f, re string, y, m, d int) dateFormat {
		return dateFormat{strptime: f, re: regexp.MustCompile("^" + re + "$"), y: y, m: m, d: d}
	}
	const t = `(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?`
	return []dateFormat{
		mk("%Y-%m-%d", `(\d{4})-(\d{1,2})-(\d{1,2})`, 1, 2, 3),
		mk("%Y/%m/%d", `(\d{4})/(\d{1,2})/(\d{1,2})`, 1, 2, 3),
		mk("%Y%m%d", `(\d{4})(\d{2})(\d{2})`, 1, 2, 3),
		mk("%d/%m/%Y", `(\d{1,2})/(\d{1,2})/(\d{4})`, 3, 2, 1),
		mk("%m/%d/%Y", `(\d{1,2})/(\d{1,2})/(\d{4})`, 3, 1, 2),
		mk("%d.%m.%Y", `(\d{1,2})\.(\d{1,2})\.(\d{4})`, 3, 2, 1),
		mk("%d-%m-%Y", `(\d{1,2})-(\d{1,2})-(\d{4})`, 3, 2, 1),
		mk("%m-%d-%Y", `(\d{1,2})-(\d{1,2})-(\d{4})`, 3, 1, 2),
		mk("%d/%m/%y", `(\d{1,2})/(\d{1,2})/(\d{2})`, 3, 2, 1),
		mk("%m/%d/%y", `(\d{1,2})/(\d{1,2})/(\d{2})`, 3, 1, 2),
		mk("%d.%m.%y", `(\d{1,2})\.(\d{1,2})\.(\d{2})`, 3, 2, 1),
		mk("%Y-%m-%d %H:%M:%S", `(\d{4})-(\d{1,2})-(\d{1,2})`+t, 1, 2, 3),
		mk("%d/%m/%Y %H:%M:%S", `(\d{1,2})/(\d{1,2})/(\d{4})`+t, 3, 2, 1),
	}
}()

// parse reads s in the format; false when s does not have the format's shape or is
// not a calendar date.
func (f dateFormat) parse(s string) (time.Time, bool) {
	m := f.re.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(m[f.y])
	mo, _ := strconv.Atoi(m[f.m])
	d, _ := strconv.Atoi(m[f.d])
	if len(m[f.y]) == 2 {
		y += 2000
	}
	if y < 1990 || y > 2099 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// looksLikeDate reports whether s reads as a date in some candidate format.
func looksLikeDate(s string) bool {
	for _, f := range dateFormats {
		if _, ok := f.parse(s); ok {
			return true
		}
	}
	return false
}

// luhn checks the Luhn check digit of a digit string (SIREN, SIRET).
func luhn(s string) bool {
	sum := 0
	for i := range len(s) {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// gtinValid checks a GTIN-8, -12, -13 or -14 and its GS1 check digit.
func gtinValid(s string) bool {
	if !reInt.MatchString(s) {
		return false
	}
	switch len(s) {
	case 8, 12, 13, 14:
	default:
		return false
	}
	sum := 0
	for i := range len(s) - 1 {
		d := int(s[len(s)-2-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return (10-sum%10)%10 == int(s[len(s)-1]-'0')
}

// digitsOnly drops spaces, dots and dashes from a registration number.
func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '-' || r == '\u00a0' {
			return -1
		}
		return r
	}, s)
}

// siretShape: a SIRET (14 digits) or SIREN (9 digits) with a valid Luhn key.
func siretShape(s string) (kind string, ok bool) {
	d := digitsOnly(s)
	if !reInt.MatchString(d) {
		return "", false
	}
	switch len(d) {
	case 14:
		return "SIRET", luhn(d) || strings.HasPrefix(d, "356000000")
	case 9:
		return "SIREN", luhn(d)
	}
	return "", false
}

// vatPrefixes are the VAT number prefixes of Europe.
var vatPrefixes = map[string]string{
	"AT": "AT", "BE": "BE", "BG": "BG", "CY": "CY", "CZ": "CZ", "DE": "DE", "DK": "DK", "EE": "EE",
	"EL": "GR", "ES": "ES", "FI": "FI", "FR": "FR", "HR": "HR", "HU": "HU", "IE": "IE", "IT": "IT",
	"LT": "LT", "LU": "LU", "LV": "LV", "MT": "MT", "NL": "NL", "PL": "PL", "PT": "PT", "RO": "RO",
	"SE": "SE", "SI": "SI", "SK": "SK", "GB": "GB", "XI": "GB", "CH": "CH", "NO": "NO",
}

var reVAT = regexp.MustCompile(`^([A-Z]{2})[0-9A-Z+*]{2,13}$`)

// vatShape: an EU-style VAT number with a known country prefix and at least two digits;
// it returns the country.
func vatShape(s string) (string, bool) {
	v := strings.ToUpper(digitsOnly(s))
	m := reVAT.FindStringSubmatch(v)
	if m == nil {
		return "", false
	}
	c, ok := vatPrefixes[m[1]]
	if !ok || strings.Count(v, "")-1 < 6 {
		return "", false
	}
	digits := 0
	for _, r := range v[2:] {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	return c, digits >= 2
}

var rePostcode = regexp.MustCompile(`^(\d{4,5}|\d{3} ?\d{2}|\d{4} ?[A-Z]{2}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]{1,2}-\d{4,5})$`)

// postcodeShape: a postcode of Europe (5 or 4 digits, Dutch, British, "F-75001").
func postcodeShape(s string) bool {
	return rePostcode.MatchString(strings.ToUpper(strings.TrimSpace(s)))
}

// currencies are the ISO 4217 codes a sales file is likely to carry.
var currencies = map[string]bool{
	"EUR": true, "USD": true, "GBP": true, "CHF": true, "SEK": true, "NOK": true, "DKK": true, "PLN": true,
	"CZK": true, "HUF": true, "RON": true, "BGN": true, "CAD": true, "AUD": true, "JPY": true, "CNY": true,
	"MAD": true, "TND": true, "TRY": true, "NZD": true, "SGD": true, "HKD": true, "ZAR": true, "MXN": true, "BRL": true,
}

// countries are ISO 3166 alpha-2 codes a sales file is likely to carry.
var countries = map[string]bool{}

func init() {
	for _, c := range strings.Fields(`AD AT BE BG CH CY CZ DE DK EE ES FI FR GB GR HR HU IE IS IT LI LT LU LV MC MT NL NO PL PT RO SE SI SK SM
		US CA MX BR AR CN JP KR IN AU NZ ZA MA TN DZ TR IL AE SA SG HK`) {
		countries[c] = true
	}
}

// euro countries, for a currency default from a country.
var currencyOfCountry = map[string]string{
	"FR": "EUR", "DE": "EUR", "BE": "EUR", "NL": "EUR", "LU": "EUR", "ES": "EUR", "IT": "EUR", "PT": "EUR",
	"AT": "EUR", "IE": "EUR", "FI": "EUR", "GR": "EUR", "SK": "EUR", "SI": "EUR", "EE": "EUR", "LV": "EUR",
	"LT": "EUR", "HR": "EUR", "MT": "EUR", "CY": "EUR", "MC": "EUR",
	"GB": "GBP", "CH": "CHF", "US": "USD", "SE": "SEK", "NO": "NOK", "DK": "DKK", "PL": "PLN", "CZ": "CZK",
}

// idLike: a code rather than a name: no space, at most 20 characters, with a digit.
func idLike(s string) bool {
	return s != "" && len(s) <= 20 && !strings.ContainsAny(s, " \t") && strings.ContainsAny(s, "0123456789")
}

// nameLike: words of letters, such as a company, a person or a town.
func nameLike(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 3 && letters*2 >= len([]rune(s)) && !idLike(s)
}
