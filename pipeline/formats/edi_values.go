package formats

// Values of the EDI readers: numbers and dates as the messages write them, turned into
// the text the loader types (pipeline/ingest/typing.go).

import (
	"math/big"
	"strings"
	"time"
)

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func joinNonEmpty(sep string, vs ...string) string {
	var b strings.Builder
	for _, v := range vs {
		if v == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(v)
	}
	return b.String()
}

// isPlainNumber reports whether s is an unsigned or signed decimal number written
// with digits and at most one '.' (no exponent, no grouping).
func isPlainNumber(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}

// negate makes a positive number negative ("5" -> "-5", "+5" -> "-5"); a number
// already negative, and anything that is not a plain number, is returned as is.
func negate(s string) string {
	if s == "" || s[0] == '-' || !isPlainNumber(s) {
		return s
	}
	return "-" + strings.TrimPrefix(s, "+")
}

// isoDate turns CCYYMMDD (a real calendar date) into YYYY-MM-DD; anything else is
// returned as is, for SQL to quarantine with its value.
func isoDate(s string) string {
	if len(s) != 8 || !isDigits(s) {
		return s
	}
	y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	m := int(s[4]-'0')*10 + int(s[5]-'0')
	d := int(s[6]-'0')*10 + int(s[7]-'0')
	if m < 1 || m > 12 || d < 1 || d > time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return s
	}
	return s[:4] + "-" + s[4:6] + "-" + s[6:]
}

func parseCCYYMMDD(s string) (time.Time, bool) {
	if len(s) != 8 || !isDigits(s) {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102", s)
	return t, err == nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// dateRange splits "CCYYMMDD-CCYYMMDD" (EDIFACT 718, X12 RD8).
func dateRange(s string) (from, to string, ok bool) {
	from, to, ok = strings.Cut(s, "-")
	if !ok || len(from) != 8 || len(to) != 8 {
		return "", "", false
	}
	return from, to, true
}

// divideDecimal returns a/b as a decimal string when both are plain numbers and b is
// not zero: exact when the quotient terminates, else with 10 decimals.
func divideDecimal(a, b string) (string, bool) {
	if !isPlainNumber(a) || !isPlainNumber(b) {
		return "", false
	}
	x, ok1 := new(big.Rat).SetString(a)
	y, ok2 := new(big.Rat).SetString(b)
	if !ok1 || !ok2 || y.Sign() == 0 {
		return "", false
	}
	q := new(big.Rat).Quo(x, y)
	if n, exact := q.FloatPrec(); exact {
		return q.FloatString(n), true
	}
	s := strings.TrimRight(q.FloatString(10), "0")
	return strings.TrimSuffix(s, "."), true
}
