package sniff

// The CSV dialect: delimiter, quote and header row, from the field counts of the
// samples' lines.

import (
	"fmt"
	"strings"
)

// maxDialectLines is how many physical lines of each sample the dialect is decided on.
const maxDialectLines = 3000

// textRecord is one record of a sample's text split in a candidate dialect.
type textRecord struct {
	line   int // 1-based physical line where it starts
	fields []string
	quoted int // fields enclosed in the quote
}

// splitRecords splits text into records with delim and quote, the way the loader
// reads them: a quote opens a quoted field only at the start of a field, a doubled
// quote inside it is one quote, line ends inside it belong to the value; blank lines
// are skipped. At most maxLines physical lines are read.
func splitRecords(text string, delim, quote rune, maxLines int) []textRecord {
	var out []textRecord
	line := 1
	var fields []string
	var cur strings.Builder
	start, inQuote, atFieldStart, quoted := 1, false, true, 0
	blank := true
	flush := func() {
		fields = append(fields, cur.String())
		cur.Reset()
		atFieldStart = true
	}
	rs := []rune(text)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case inQuote:
			if r == quote {
				if i+1 < len(rs) && rs[i+1] == quote {
					cur.WriteRune(quote)
					i++
				} else {
					inQuote = false
				}
				continue
			}
			if r == '\n' {
				line++
			}
			cur.WriteRune(r)
		case r == quote && atFieldStart:
			inQuote, atFieldStart, blank = true, false, false
			quoted++
		case r == delim:
			flush()
			blank = false
		case r == '\r' && i+1 < len(rs) && rs[i+1] == '\n':
			// the \n ends the record
		case r == '\n':
			if !blank || cur.Len() > 0 {
				flush()
				out = append(out, textRecord{line: start, fields: fields, quoted: quoted})
			}
			fields, blank, quoted = nil, true, 0
			cur.Reset()
			atFieldStart = true
			line++
			start = line
			if line > maxLines {
				return out
			}
		default:
			cur.WriteRune(r)
			atFieldStart, blank = false, false
		}
	}
	if !blank || cur.Len() > 0 || len(fields) > 0 {
		flush()
		out = append(out, textRecord{line: start, fields: fields, quoted: quoted})
	}
	return out
}

// dialectGuess is a candidate dialect and how well the samples fit it.
type dialectGuess struct {
	delim, quote rune
	width        int     // the usual number of fields of a data line
	fit          float64 // share of the records after the header with that width
	header       int     // header's physical line
	quoted       int     // fields enclosed in the quote
	records      int
}

var delimiters = []rune{';', ',', '\t', '|'}

// detectDialect tries each delimiter and quote on the decoded texts and keeps the one
// whose lines most consistently have the same number of fields (at least two).
func detectDialect(texts []string) (best dialectGuess, tried []dialectGuess) {
	for _, d := range delimiters {
		for _, q := range []rune{'"', '\''} {
			g := dialectGuess{delim: d, quote: q}
			var fitSum float64
			ok := true
			for _, t := range texts {
				recs := splitRecords(t, d, q, maxDialectLines)
				w, fit, hdr := fieldWidth(recs)
				if w < 2 {
					ok = false
					break
				}
				if g.width == 0 {
					g.width, g.header = w, hdr
				}
				fitSum += fit
				g.records += len(recs)
				for _, r := range recs {
					g.quoted += r.quoted
				}
			}
			if !ok {
				continue
			}
			g.fit = fitSum / float64(len(texts))
			tried = append(tried, g)
		}
	}
	for _, g := range tried {
		if better(g, best) {
			best = g
		}
	}
	return best, tried
}

// better orders candidate dialects: the better fit, then more quoted fields (the right
// quote), then more fields per line, then '"' over '\”.
func better(a, b dialectGuess) bool {
	if b.width == 0 {
		return true
	}
	if d := a.fit - b.fit; d > 0.02 || d < -0.02 {
		return d > 0
	}
	if a.quoted != b.quoted {
		return a.quoted > b.quoted
	}
	if a.width != b.width {
		return a.width > b.width
	}
	return a.quote == '"' && b.quote != '"'
}

// fieldWidth is the most common number of fields of the records, the share of records
// from the header down that have it (a totals row may count one short), and the header's
// line: the first record of that width whose cells are mostly filled and none a number.
func fieldWidth(recs []textRecord) (width int, fit float64, header int) {
	count := map[int]int{}
	for _, r := range recs {
		count[len(r.fields)]++
	}
	for w, n := range count {
		if n > count[width] || n == count[width] && w > width {
			width = w
		}
	}
	if width < 2 {
		return width, 0, 0
	}
	h := -1
	for i, r := range recs {
		if len(r.fields) == width && looksLikeHeader(r.fields) {
			h = i
			break
		}
	}
	if h < 0 {
		for i, r := range recs {
			if len(r.fields) == width {
				h = i
				break
			}
		}
	}
	same := 0
	for _, r := range recs[h:] {
		if len(r.fields) == width {
			same++
		}
	}
	return width, float64(same) / float64(len(recs)-h), recs[h].line
}

// looksLikeHeader: most cells filled, none of them a number or a date.
func looksLikeHeader(fields []string) bool {
	filled := 0
	for _, f := range fields {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		filled++
		if _, ok := parseNumberAny(f); ok {
			return false
		}
		if looksLikeDate(f) {
			return false
		}
	}
	return filled*2 > len(fields) && filled >= 2
}

// describeDelim names a delimiter for a comment.
func describeDelim(d rune) string {
	switch d {
	case '\t':
		return "tab"
	case ' ':
		return "space"
	}
	return fmt.Sprintf("%q", d)
}
