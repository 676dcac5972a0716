package sniff

// Numbers: the decimal mark and thousands separator of the values, and the three
// columns where quantity × unit price = amount.

import (
	"fmt"
	"math"
)

// maxProductRows is how many lines the product of three columns is tried on.
const maxProductRows = 5000

// product is three columns where quantity × unit price ≈ amount.
type product struct {
	cols       [3]int // quantity, unit price, amount
	hits, rows int
}

// findProduct looks for the three numeric columns that multiply, the quantity being
// the one with whole numbers.
func findProduct(cols []*column, res tableResult) *product {
	var numeric []*column
	for _, c := range cols {
		if len(c.values) > 0 && c.share(func(v string) bool { _, ok := parseNumber(v, res.decimal, res.thousands); return ok }) >= 0.8 {
			numeric = append(numeric, c)
		}
	}
	if len(numeric) < 3 || len(numeric) > 12 {
		return nil
	}
	num := func(v string) (float64, bool) {
		if v == "" {
			return 0, false
		}
		return parseNumber(v, res.decimal, res.thousands)
	}
	var best *product
	for _, q := range numeric {
		for _, pr := range numeric {
			for _, a := range numeric {
				if q == pr || q == a || pr == a || q.index > pr.index && wholeShare(q, res) <= wholeShare(pr, res) {
					continue
				}
				hits, n := 0, 0
				for i := range q.cells {
					x, ok1 := num(q.cells[i])
					y, ok2 := num(pr.cells[i])
					z, ok3 := num(a.cells[i])
					if !ok1 || !ok2 || !ok3 {
						continue
					}
					n++
					if math.Abs(x*y-z) <= 0.011+0.002*math.Abs(z) && z != 0 {
						hits++
					}
					if n == maxProductRows {
						break
					}
				}
				if n >= 3 && float64(hits) >= 0.9*float64(n) && (best == nil || hits > best.hits ||
					hits == best.hits && wholeShare(q, res) > wholeShare(cols[best.cols[0]], res)) {
					best = &product{cols: [3]int{q.index, pr.index, a.index}, hits: hits, rows: n}
				}
			}
		}
	}
	return best
}

// wholeShare is the share of a column's values that are whole numbers.
func wholeShare(c *column, res tableResult) float64 {
	return c.share(func(v string) bool {
		x, ok := parseNumber(v, res.decimal, res.thousands)
		return ok && x == math.Trunc(x)
	})
}

// numberConventions decides the decimal mark and the thousands separator from every
// value that reads as a number.
func (p *proposer) numberConventions(cols []*column, res *tableResult, xlsx bool) {
	dec := map[string]int{}
	thou := map[string]int{}
	amb := map[string]int{}
	examples := map[string]string{}
	for _, c := range cols {
		if c.share(func(v string) bool { _, ok := parseNumberAny(v); return ok }) < 0.8 {
			continue
		}
		if c.share(func(v string) bool { return looksLikeDate(v) || gtinValid(v) }) > 0.5 {
			continue
		}
		for _, v := range c.values {
			sh := shapeNumber(v)
			if !sh.ok {
				continue
			}
			if sh.decimal != "" {
				dec[sh.decimal]++
				if examples["dec"+sh.decimal] == "" {
					examples["dec"+sh.decimal] = fmt.Sprintf("%q in %q", v, c.header)
				}
			}
			if sh.thousands != "" {
				thou[sh.thousands]++
				if examples["thou"+sh.thousands] == "" {
					examples["thou"+sh.thousands] = fmt.Sprintf("%q in %q", v, c.header)
				}
			}
			if sh.ambiguous != "" {
				amb[sh.ambiguous]++
				if examples["amb"+sh.ambiguous] == "" {
					examples["amb"+sh.ambiguous] = fmt.Sprintf("%q in %q", v, c.header)
				}
			}
		}
	}
	prefix := "csv."
	if xlsx {
		prefix = "xlsx."
	}
	switch {
	case xlsx && dec[","] > 0:
		// Numeric cells read with a point whatever the setting; a comma is text typed
		// the local way, which the setting is for.
		res.decimal = ","
		p.note(prefix+"decimal", ",", 0.9, fmt.Sprintf("%d numbers typed as text with a decimal comma (%s); numeric cells read the same either way", dec[","], examples["dec,"]))
	case dec[","] > dec["."]:
		res.decimal = ","
		conf := float64(dec[","]) / float64(dec[","]+dec["."])
		p.note(prefix+"decimal", ",", round2(conf), fmt.Sprintf("%d numbers with a decimal comma (%s)%s", dec[","], examples["dec,"], against(dec["."], "a decimal point")))
	case dec["."] > 0:
		res.decimal = "."
		conf := float64(dec["."]) / float64(dec[","]+dec["."])
		p.note(prefix+"decimal", ".", round2(conf), fmt.Sprintf("%d numbers with a decimal point (%s)%s", dec["."], examples["dec."], against(dec[","], "a decimal comma")))
	case amb[","] > 0 && amb["."] == 0:
		res.decimal = "."
		p.note(prefix+"decimal", ".", 0.4, fmt.Sprintf("no number has an unmistakable decimal part; %s may be a decimal comma", examples["amb,"]),
			Alternative{`","`, "if " + examples["amb,"] + " is a decimal, not thousands"})
	default:
		res.decimal = "."
		if xlsx {
			p.note(prefix+"decimal", ".", 0.9, "numbers are numeric cells")
		} else {
			p.note(prefix+"decimal", ".", 0.6, "no number with a decimal part in the samples: the default", Alternative{`","`, "if later files write decimals with a comma"})
		}
	}
	if xlsx {
		p.prop.Proposed.XLSX.Decimal = res.decimal
		return
	}
	p.prop.Proposed.CSV.Decimal = res.decimal
	other := map[string]string{".": ",", ",": "."}[res.decimal]
	switch {
	case thou[" "] > 0:
		res.thousands = " "
		p.note("csv.thousands", " ", 0.95, fmt.Sprintf("%d numbers grouped by spaces (%s); no-break spaces are stripped too", thou[" "], examples["thou "]))
	case thou[other] > 0:
		res.thousands = other
		p.note("csv.thousands", other, 0.95, fmt.Sprintf("%d numbers grouped by %q (%s)", thou[other], other, examples["thou"+other]))
	case res.decimal == "," && amb["."] > 0:
		// With a decimal comma, "1.234" can only be grouped thousands; left unset, the
		// loader would read it as 1.234.
		res.thousands = "."
		p.note("csv.thousands", ".", 0.85, fmt.Sprintf("decimal comma, and %d numbers such as %s: a dot can only group thousands", amb["."], examples["amb."]))
	case res.decimal == "." && amb[","] > 0:
		p.note("csv.thousands", "", 0.5, fmt.Sprintf("%d number(s) such as %s read as thousands or as a mistake; unset, those lines are quarantined", amb[","], examples["amb,"]),
			Alternative{`","`, "if the comma groups thousands"})
	default:
		p.note("csv.thousands", "", 0.6, "no number of 1000 or more with a grouping in the samples",
			Alternative{quoteYAML(map[string]string{",": ".", ".": ","}[res.decimal]), "if larger numbers are grouped so"},
			Alternative{`" "`, "if larger numbers are grouped by spaces"})
	}
	p.prop.Proposed.CSV.Thousands = res.thousands
}

// against says how many values voted the other way.
func against(n int, what string) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; %d with %s", n, what)
}
