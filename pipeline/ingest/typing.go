package ingest

// The typing rules of a sales-out line, the same for every format: what a line needs,
// and the reason, naming the field and the value, when it does not have it.

import (
	"math/bits"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/salesout/salesout/pipeline/canon"
	"github.com/salesout/salesout/pipeline/formats"
)

// The canonical fields the rules read, as indexes of canon.Fields.
var (
	fInvoiceDate   = canon.Index("invoice_date")
	fResellerID    = canon.Index("reseller_id")
	fResellerName  = canon.Index("reseller_name")
	fSKU           = canon.Index("sku")
	fDistributorSK = canon.Index("distributor_sku")
	fGTIN          = canon.Index("gtin")
	fQuantity      = canon.Index("quantity")
	fUnitPrice     = canon.Index("unit_price")
	fAmount        = canon.Index("amount")
	fCurrency      = canon.Index("currency")
	// upper-cased when written
	fResellerCountry    = canon.Index("reseller_country")
	fEndCustomerCountry = canon.Index("end_customer_country")
)

// totalsRow recognises, in a line's lower-cased raw text, the word that makes a line
// that fails a rule a totals row rather than a bad sale.
var totalsRow = regexp.MustCompile(`(^|[^a-z])(sous-|grand )?totals?([^a-z]|$)`)

// stagedLine is one line as a format handed it over: its fields trimmed, an empty field
// absent.
type stagedLine struct {
	lineNo int64
	raw    string
	err    string // the parser's reason when it could not read the line
	report string // its EDI report, "" for none
	vals   [numFields]string
	has    uint32 // bit i: field i is present (non-empty)
}

const numFields = 20

func init() {
	if len(canon.Fields) != numFields {
		panic("ingest: canon.Fields changed: update numFields")
	}
}

func (l *stagedLine) get(i int) (string, bool) { return l.vals[i], l.has&(1<<i) != 0 }

// value is a text typed by the rules of sql/ingest/type_values.sql: as a date (days since
// 1970-01-01) and as a number (DECIMAL(18,4) as an integer count of 1/10,000).
type value struct {
	day   int32
	dayOK bool
	num   int64
	numOK bool
}

// typedLine is a line that passed every rule, with its derived values, ready for lines:
// quantity as DECIMAL(18,3) holds it (an integer count of 1/1,000), unit price and
// amount as DECIMAL(18,4) (1/10,000).
type typedLine struct {
	day          int32
	quantity     int64
	unitPrice    int64
	amount       int64
	hasUnitPrice bool // false: no price given, and a zero quantity to derive it from
	currency     string
}

// dateWindow is the plausible window of invoice dates (load.dates), as days since
// 1970-01-01, both included; the zero value checks nothing.
type dateWindow struct {
	from, until int32
	on          bool
}

// newDateWindow is the window from..until (dates at midnight UTC).
func newDateWindow(from, until time.Time) dateWindow {
	return dateWindow{from: int32(from.Unix() / 86400), until: int32(until.Unix() / 86400), on: true}
}

func (w dateWindow) String() string {
	day := func(d int32) string { return time.Unix(int64(d)*86400, 0).UTC().Format(time.DateOnly) }
	return day(w.from) + ".." + day(w.until)
}

// problem is the first rule a line fails: the field at fault ("line" for a line the
// parser could not read) and the reason.
type problem struct{ field, reason string }

// check applies the rules to a line whose texts are all typed (lookup answers for each).
// The rules, in order (the first failing one is the line's reason):
//   - the parser read the line;
//   - invoice_date is present, is a date, and is in the plausible window (load.dates);
//   - reseller_id or reseller_name is present;
//   - sku, distributor_sku or gtin is present;
//   - quantity is present and is a number; unit_price and amount, when present, are
//     numbers, and one of them is present;
//   - the derived amount (quantity x unit_price, when no amount is given) or unit price
//     (amount / quantity, when no price is given) fits DECIMAL(18,4);
//   - the currency (the base currency when absent), upper-cased, is an ISO 4217 code.
//
// A line that fails a rule other than the first and mentions "total" is reported as a
// totals row.
//
// The derived values, exact in integers (no floating point), each rounded half away
// from zero as DuckDB rounds a DECIMAL: amount = quantity x unit_price to 4 decimals;
// unit_price = amount / quantity to 4 decimals (none when the quantity is 0); the
// quantity stored to 3 decimals. The base amount is the amount in the base currency;
// another currency is converted by sql/ingest/amount_base.sql at the end of the file.
func check(l *stagedLine, t *formats.Typing, base string, dates dateWindow, lookup func(string) value) (typedLine, *problem) {
	var out typedLine
	p := checkRules(l, t, base, dates, lookup, &out)
	if p != nil && p.field != "line" && totalsRow.MatchString(strings.ToLower(l.raw)) {
		p.reason = "totals row (not a sale): " + p.reason
	}
	return out, p
}

func checkRules(l *stagedLine, t *formats.Typing, base string, dates dateWindow, lookup func(string) value, out *typedLine) *problem {
	if l.err != "" {
		return &problem{"line", l.err}
	}
	date, ok := l.get(fInvoiceDate)
	if !ok {
		return &problem{"invoice_date", "invoice_date is empty (required)"}
	}
	if v := lookup(date); !v.dayOK {
		return &problem{"invoice_date", "invoice_date " + shown(date) + " does not match the date format " + t.DateFormat}
	} else if dates.on && (v.day < dates.from || v.day > dates.until) {
		return &problem{"invoice_date", "invoice_date " + shown(date) + " is outside the plausible window " + dates.String() + " (load.dates)"}
	} else {
		out.day = v.day
	}
	if _, id := l.get(fResellerID); !id {
		if _, name := l.get(fResellerName); !name {
			return &problem{"reseller_id", "reseller_id and reseller_name are both empty (one is required)"}
		}
	}
	_, sku := l.get(fSKU)
	_, dsku := l.get(fDistributorSK)
	_, gtin := l.get(fGTIN)
	if !sku && !dsku && !gtin {
		return &problem{"sku", "sku, distributor_sku and gtin are all empty (one is required)"}
	}
	q, ok := l.get(fQuantity)
	if !ok {
		return &problem{"quantity", "quantity is empty (required)"}
	}
	if v := lookup(q); !v.numOK {
		return &problem{"quantity", "quantity " + shown(q) + " is not a number"}
	} else {
		out.quantity = v.num
	}
	var hasAmount bool
	if p, ok := l.get(fUnitPrice); ok {
		v := lookup(p)
		if !v.numOK {
			return &problem{"unit_price", "unit_price " + shown(p) + " is not a number"}
		}
		out.unitPrice, out.hasUnitPrice = v.num, true
	}
	if a, ok := l.get(fAmount); ok {
		v := lookup(a)
		if !v.numOK {
			return &problem{"amount", "amount " + shown(a) + " is not a number"}
		}
		out.amount, hasAmount = v.num, true
	}
	if !hasAmount && !out.hasUnitPrice {
		return &problem{"amount", "amount and unit_price are both empty: the amount cannot be computed"}
	}
	if !hasAmount {
		a, ok := mulDecimal4(out.quantity, out.unitPrice)
		if !ok {
			return &problem{"amount", "amount quantity x unit_price (" + shown(q) + " x " + shown(l.vals[fUnitPrice]) + ") is too large"}
		}
		out.amount = a
	} else if !out.hasUnitPrice && out.quantity != 0 {
		p, ok := divDecimal4(out.amount, out.quantity)
		if !ok {
			return &problem{"unit_price", "unit_price amount / quantity (" + shown(l.vals[fAmount]) + " / " + shown(q) + ") is too large"}
		}
		out.unitPrice, out.hasUnitPrice = p, true
	}
	out.quantity = roundDiv(out.quantity, 10)
	cur, ok := l.get(fCurrency)
	if !ok {
		cur = base
	}
	out.currency = strings.ToUpper(cur)
	if !isCurrencyCode(out.currency) {
		return &problem{"currency", "currency " + shown(out.currency) + " is not an ISO 4217 code"}
	}
	return nil
}

// maxDecimal18 is the largest DECIMAL(18,x) as an integer count of its unit.
const maxDecimal18 = 999_999_999_999_999_999

// mulDecimal4 is a x b for two counts of 1/10,000, rounded to 1/10,000 half away from
// zero, and whether it fits DECIMAL(18,4).
func mulDecimal4(a, b int64) (int64, bool) {
	neg := (a < 0) != (b < 0)
	hi, lo := bits.Mul64(absU(a), absU(b))
	if hi >= 10_000 {
		return 0, false
	}
	q, r := bits.Div64(hi, lo, 10_000)
	if r >= 5_000 {
		q++
	}
	return signed(q, neg)
}

// divDecimal4 is a / b for two counts of 1/10,000 (b not 0), rounded to 1/10,000 half
// away from zero, and whether it fits DECIMAL(18,4).
func divDecimal4(a, b int64) (int64, bool) {
	neg := (a < 0) != (b < 0)
	d := absU(b)
	hi, lo := bits.Mul64(absU(a), 10_000)
	if hi >= d {
		return 0, false
	}
	q, r := bits.Div64(hi, lo, d)
	if r >= d-r { // r >= d/2, without overflow
		q++
	}
	return signed(q, neg)
}

// roundDiv is v / d rounded half away from zero (d > 0), as DuckDB casts a DECIMAL to
// fewer decimals.
func roundDiv(v, d int64) int64 {
	q, r := v/d, v%d
	if r < 0 {
		r = -r
	}
	if 2*r >= d {
		if v < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}

func absU(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

func signed(q uint64, neg bool) (int64, bool) {
	if q > maxDecimal18 {
		return 0, false
	}
	if neg {
		return -int64(q), true
	}
	return int64(q), true
}

func isCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := range 3 {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// shown quotes a value for a reason, cut to 60 characters.
func shown(t string) string {
	if utf8.RuneCountInString(t) > 60 {
		n := 0
		for i := range t {
			if n == 60 {
				t = t[:i] + "..."
				break
			}
			n++
		}
	}
	return `"` + t + `"`
}

// numberReader types the simplest numbers as sql/ingest/type_values.sql does, without
// asking DuckDB: after the same handling of a trailing minus, thousands separators and
// decimal mark, an optional minus, 1 to 14 digits, and optionally a "." and 1 to 4
// digits. It reports false for anything else, which type_values.sql then decides.
type numberReader struct {
	strip    [utf8.RuneSelf]bool // ASCII characters to delete
	stripAll string              // every character to delete
	decimal  byte                // the decimal mark, read as "."
	ok       bool                // false: a decimal mark of several bytes, left to type_values.sql
}

func newNumberReader(t formats.Typing) numberReader {
	// Separators that are digits, a minus or a point would change the number itself:
	// left to type_values.sql.
	r := numberReader{stripAll: t.Strip, decimal: '.', ok: len(t.Decimal) <= 1 && !strings.ContainsAny(t.Strip, "0123456789-.")}
	if len(t.Decimal) == 1 {
		r.decimal = t.Decimal[0]
	}
	for _, c := range t.Strip {
		if c < utf8.RuneSelf {
			r.strip[c] = true
		}
	}
	return r
}

// read returns text as a count of 1/10,000, and whether it could.
func (r *numberReader) read(text string) (int64, bool) {
	if !r.ok || text == "" {
		return 0, false
	}
	s, neg := text, false
	if s[len(s)-1] == '-' {
		// '-' || rtrim(text, '-'): the text itself may not start with another minus.
		s, neg = strings.TrimRight(s, "-"), true
	} else if s[0] == '-' {
		s, neg = s[1:], true
	}
	var v int64
	digits, scale, point := 0, 0, false
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			ch, size := utf8.DecodeRuneInString(s[i:])
			if !strings.ContainsRune(r.stripAll, ch) {
				return 0, false
			}
			i += size
			continue
		}
		i++
		switch {
		case r.strip[c]:
		case c >= '0' && c <= '9':
			v = v*10 + int64(c-'0')
			if point {
				scale++
			} else {
				digits++
			}
		case (c == r.decimal || c == '.') && !point:
			point = true
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 14 || (point && (scale == 0 || scale > 4)) {
		return 0, false
	}
	for ; scale < 4; scale++ {
		v *= 10
	}
	if neg {
		v = -v
	}
	return v, true
}

// dateReader types the simplest dates as sql/ingest/type_values.sql does, without asking
// DuckDB: for a date format made of %d, %m and %Y and literal characters only (each
// directive once, none of them with '%' flags), a text of exactly that shape — two
// digits for the day and the month, four for the year, the literal characters as they
// are — naming a real calendar date. It reports false for anything else, which
// type_values.sql then decides (the texts are few and each is typed once per file).
type dateReader struct {
	parts []datePart // nil: the format is not one the reader handles
	width int        // the length of a text of that shape
}

// datePart is a directive ('d', 'm', 'Y') at an offset, or a literal byte.
type datePart struct {
	directive byte
	literal   byte
	at        int
}

func newDateReader(t formats.Typing) dateReader {
	// With a second accepted format, a text the first does not read in the simple shape
	// may still be read by it in another: every text is left to type_values.sql.
	if t.DateFormatAlt != "" {
		return dateReader{}
	}
	var r dateReader
	seen := map[byte]bool{}
	f := t.DateFormat
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' {
			if c >= '0' && c <= '9' || c >= utf8.RuneSelf {
				return dateReader{} // digits or multi-byte literals: left to DuckDB
			}
			r.parts = append(r.parts, datePart{literal: c, at: r.width})
			r.width++
			continue
		}
		if i+1 >= len(f) {
			return dateReader{}
		}
		i++
		d := f[i]
		if seen[d] {
			return dateReader{}
		}
		seen[d] = true
		switch d {
		case 'd', 'm':
			r.parts = append(r.parts, datePart{directive: d, at: r.width})
			r.width += 2
		case 'Y':
			r.parts = append(r.parts, datePart{directive: d, at: r.width})
			r.width += 4
		default:
			return dateReader{}
		}
	}
	if !seen['d'] || !seen['m'] || !seen['Y'] {
		return dateReader{}
	}
	return r
}

// read returns text as days since 1970-01-01, and whether it could.
func (r *dateReader) read(text string) (int32, bool) {
	if r.parts == nil || len(text) != r.width {
		return 0, false
	}
	var day, month, year int
	for _, p := range r.parts {
		if p.directive == 0 {
			if text[p.at] != p.literal {
				return 0, false
			}
			continue
		}
		n := 2
		if p.directive == 'Y' {
			n = 4
		}
		v := 0
		for i := p.at; i < p.at+n; i++ {
			c := text[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		switch p.directive {
		case 'd':
			day = v
		case 'm':
			month = v
		case 'Y':
			year = v
		}
	}
	if year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return 0, false
	}
	return int32(time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC).Unix() / 86400), true
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
