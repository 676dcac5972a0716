package sniff

// Dates: the invoice dates' format, day-first against month-first.

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// dateConvention decides the invoice dates' format; day-first against month-first by
// the values above 12.
func (p *proposer) dateConvention(c *column, xlsx bool) *dateFormat {
	setting := "csv.date_format"
	if xlsx {
		setting = "xlsx.date_format"
	}
	hits := make([]int, len(dateFormats))
	for i, f := range dateFormats {
		for _, v := range c.values {
			if _, ok := f.parse(v); ok {
				hits[i]++
			}
		}
	}
	if !xlsx && slices.Max(hits) == 0 {
		// No valid date, but maybe dates of the shape (typed text in a workbook, "30/02/2026").
		for i, f := range dateFormats {
			for _, v := range c.values {
				if f.re.MatchString(strings.TrimSpace(v)) {
					hits[i]++
				}
			}
		}
	}
	best := 0
	for i := range dateFormats {
		if hits[i] > hits[best] {
			best = i
		}
	}
	n := len(c.values)
	if n == 0 || hits[best] == 0 {
		p.note(setting, "", 0, fmt.Sprintf("no value of %q reads as a date: set it by hand", c.header))
		return nil
	}
	f := dateFormats[best]
	share := float64(hits[best]) / float64(n)
	set := func(value string, conf float64, why string, alts ...Alternative) {
		if xlsx {
			p.prop.Proposed.XLSX.DateFormat = value
		} else {
			p.prop.Proposed.CSV.DateFormat = value
		}
		p.note(setting, value, round2(conf), why, alts...)
	}
	if xlsx && f.strptime == "%Y-%m-%d" {
		// Date cells read as ISO dates; the dates typed as text say the format.
		text := &column{header: c.header}
		for _, v := range c.values {
			if _, ok := f.parse(v); !ok && strings.ContainsAny(v, "0123456789") && !totalsRe.MatchString(v) {
				text.values = append(text.values, v)
			}
		}
		if tf := textDateFormat(text); tf != nil {
			df := p.dateConvention(text, false)
			p.prop.Proposed.CSV.DateFormat = ""
			n := p.noteRef("csv.date_format")
			n.Setting = setting
			n.Why = fmt.Sprintf("%d of %d dates are date cells; the %d typed as text (%q) have the shape %s", hits[best], len(c.values), len(text.values), text.values[0], n.Value)
			p.prop.Proposed.XLSX.DateFormat = n.Value
			return df
		}
		p.note(setting, "", round2(share), fmt.Sprintf("%d of %d dates are date cells (read as ISO dates): no format needed", hits[best], n),
			Alternative{`"%d/%m/%Y"`, "if later files type dates as day-first text"})
		return &f
	}
	// Day-first against month-first: the same pattern, told apart by the values above 12.
	var twin *dateFormat
	for i, g := range dateFormats {
		if i != best && g.re.String() == f.re.String() {
			twin = &dateFormats[i]
		}
	}
	why := fmt.Sprintf("%d of %d values of %q read as %s", hits[best], n, c.header, f.strptime)
	if twin == nil {
		set(f.strptime, share, why)
		return &f
	}
	dayFirst, monthFirst := 0, 0
	dayFirstEx, monthFirstEx := "", ""
	for _, v := range c.values {
		m := f.re.FindStringSubmatch(v)
		if m == nil {
			continue
		}
		a, b := atoi(m[1]), atoi(m[2])
		_, okF := f.parse(v)
		_, okT := twin.parse(v)
		if f.y == 1 || !okF && !okT {
			continue
		}
		switch {
		case a > 12 && b <= 12:
			dayFirst++
			dayFirstEx = v
		case b > 12 && a <= 12:
			monthFirst++
			monthFirstEx = v
		}
	}
	df, mf := f, *twin
	if strings.HasPrefix(f.strptime, "%m") {
		df, mf = *twin, f
	}
	switch {
	case dayFirst > 0 && monthFirst == 0:
		set(df.strptime, math.Min(share, 0.99), fmt.Sprintf("%s; day first: %d values have a first number above 12 (%q)", why, dayFirst, dayFirstEx))
		return &df
	case monthFirst > 0 && dayFirst == 0:
		set(mf.strptime, math.Min(share, 0.99), fmt.Sprintf("%s; month first: %d values have a second number above 12 (%q)", why, monthFirst, monthFirstEx))
		return &mf
	case dayFirst > 0 && monthFirst > 0:
		set(df.strptime, 0.4, fmt.Sprintf("%s; mixed: %d values are day-first only (%q), %d month-first only (%q)", why, dayFirst, dayFirstEx, monthFirst, monthFirstEx),
			Alternative{quoteYAML(mf.strptime), "if month-first"})
		return &df
	}
	// No value above 12: the order cannot be told from the samples.
	usFirst := p.prop.Proposed.CSV.Decimal == "." && !p.european
	pick, alt, when := df, mf, "if month-first (US style)"
	if usFirst {
		pick, alt, when = mf, df, "if day-first (European style)"
	}
	set(pick.strptime, 0.5, fmt.Sprintf("%s; AMBIGUOUS: no value has a number above 12, so day and month cannot be told apart; %s chosen for the %s", why, pick.strptime, p.conventionWhy(usFirst)),
		Alternative{quoteYAML(alt.strptime), when})
	return &pick
}

// textDateFormat is a format of dates typed as text, by shape, or nil.
func textDateFormat(c *column) *dateFormat {
	for i, f := range dateFormats {
		if strings.HasPrefix(f.strptime, "%Y-%m-%d") {
			continue
		}
		for _, v := range c.values {
			if f.re.MatchString(strings.TrimSpace(v)) {
				return &dateFormats[i]
			}
		}
	}
	return nil
}

// conventionWhy says what the ambiguous date order was chosen on.
func (p *proposer) conventionWhy(us bool) string {
	if us {
		return "decimal point and English headers"
	}
	return "European conventions of the file (headers, decimal comma, identifiers)"
}

// atoi reads digits already matched by a date pattern.
func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
