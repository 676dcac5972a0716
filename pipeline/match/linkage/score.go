package linkage

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// weight is the log2 Bayes factor of a pair: the weights of its levels, read from the
// model rows, plus the term-frequency adjustments.
func (m *Model) weight(p *pair) float64 {
	w := 0.0
	for c := range p.level {
		if row, ok := m.row(comparison(c), p.level[c]); ok {
			w += row.Weight + m.adjustTF(p, comparison(c))
		}
	}
	return w
}

// adjustTF is the term-frequency adjustment of a comparison, as Splink makes it: the
// level's weight log2(M/U) assumes the chance agreement U of an average value; for
// the value these two records actually agree on, the chance that a random company
// agrees on it is its term frequency tf (for a name, the product of the document
// frequencies of the words agreed on, see floorTF; for a postcode, a town or a country,
// the share of companies there), so the weight becomes log2(M/tf): the adjustment is
// log2(U/tf). Agreeing on "VERGNAUD" adds bits, agreeing only on "ELECTRICITE" takes
// some away; so do a village's postcode and a city's.
//
// For the name, only the levels where the names are the same but for spelling
// (exact, token-set ≥ 0.85, Jaro–Winkler ≥ 0.95) may gain bits: at the lower levels
// the words that do not agree matter too, and words that merely agree together
// (CHAUFFAGE SANITAIRE) are not rarer for it, so the adjustment can only lower them.
func (m *Model) adjustTF(p *pair, c comparison) float64 {
	l := p.level[c]
	if !p.adjust[c] || l == levelNull {
		return 0
	}
	row, _ := m.row(c, l)
	adj := math.Log2(row.U) - p.logTF[c]/math.Ln2
	if c == cmpName && l != nameExact && l != nameSet85 && l != nameJW95 {
		adj = math.Min(adj, 0)
	}
	return adj
}

// posterior turns the weights of a reseller's candidates into probabilities: with
// prior odds o per pair, candidate i has odds o × 2^wᵢ, and since the reseller is at
// most one company, P(i) = odds(i) / (1 + Σ odds). Candidates close to each other
// share the probability.
func (m *Model) posterior(weights []float64) []float64 {
	odds := make([]float64, len(weights))
	sum := 1.0
	for i, w := range weights {
		odds[i] = math.Exp2(math.Min(w+m.PriorBits, 1000))
		sum += odds[i]
	}
	for i := range odds {
		odds[i] /= sum
	}
	return odds
}

// explain is the evidence of a pair, built from the model rows the weight is the sum
// of, with that weight.
func (ix *Index) explain(m *Model, r, c *record) (string, float64) {
	var matched []word
	p := ix.compare(r, c, &matched)
	parts := make([]string, 0, numComparisons)
	total := 0.0
	for k := range p.level {
		cmp := comparison(k)
		row, ok := m.row(cmp, p.level[k])
		if !ok {
			if missing := missingPart(cmp, p, r, c); missing != "" {
				parts = append(parts, missing)
			}
			continue
		}
		w := row.Weight
		detail := describe(cmp, p, r, c)
		if adj := m.adjustTF(&p, cmp); adj != 0 {
			w += adj
			rare := ""
			if cmp == cmpName {
				rare = ix.rareWords(matched)
			}
			detail += fmt.Sprintf(" (%s bits: level %s, term frequency %s%s)", signed(w), signed(row.Weight), signed(adj), rare)
		} else {
			detail += fmt.Sprintf(" (%s)", signed(w))
		}
		parts = append(parts, detail)
		total += w
	}
	return strings.Join(parts, "; "), total
}

// describe says what a level of a comparison saw.
func describe(cmp comparison, p pair, r, c *record) string {
	l := p.level[cmp]
	switch cmp {
	case cmpName:
		switch l {
		case nameExact:
			return "name " + c.name.Full + " exact"
		case nameSet85, nameSet65, nameSet45:
			return fmt.Sprintf("name token-set %.2f", p.nameSim)
		case nameConflict:
			return fmt.Sprintf("name token-set %.2f, other words in conflict (%s≠%s)", p.nameSim, r.name.Full, c.name.Full)
		case nameJW95, nameJW88, nameJW80:
			return fmt.Sprintf("name jaro-winkler %.2f", p.nameSim)
		}
		return fmt.Sprintf("name %s≠%s", r.name.Full, c.name.Full)
	case cmpLegalForm:
		a, b := orDash(r.name.LegalAbbr), orDash(c.name.LegalAbbr)
		if l == 1 {
			return "legal form " + a + "=" + b
		}
		if l == 2 {
			return "legal form " + a + "/" + b + " one missing"
		}
		return "legal form " + a + "≠" + b
	case cmpPostcode:
		return "postcode " + levelText(l, r.pc, c.pc, "same area")
	case cmpCity:
		return "city " + levelText(l, r.city, c.city, "close")
	case cmpStreet:
		return "street " + levelText(l, r.street, c.street, "fuzzy")
	case cmpNumber:
		return "number " + levelText(l, r.number, c.number, "")
	case cmpCountry:
		return "country " + levelText(l, r.country, c.country, "")
	}
	if l == 1 {
		return "identifier agree"
	}
	return "identifier " + firstKey(r.keys) + "≠" + firstKey(c.keys)
}

// levelText writes an exact / close / else level: "86000 exact", "86000~86100 same
// area", "86000≠75011".
func levelText(l uint8, a, b, close string) string {
	switch {
	case l == 1:
		return a + " exact"
	case l == 2 && close != "":
		return a + "~" + b + " " + close
	}
	return a + "≠" + b
}

// missingPart says why a comparison adds nothing: a side lacks the field, or the
// comparison is not made (see comparisons). Legal forms missing on both sides and
// missing identifiers are not worth saying.
func missingPart(cmp comparison, p pair, r, c *record) string {
	switch {
	case cmp == cmpLegalForm || cmp == cmpID:
		return ""
	case cmp == cmpCity && p.level[cmpPostcode] == 1:
		return "city not compared: same postcode (0)"
	case (cmp == cmpStreet || cmp == cmpNumber) && p.level[cmpPostcode] != 1 && p.level[cmpCity] != 1 &&
		!rFieldEmpty(cmp, r) && !rFieldEmpty(cmp, c):
		return comparisons[cmp].name + " not compared: another place (0)"
	}
	side := "company"
	if rFieldEmpty(cmp, r) {
		side = "reseller"
	}
	return fmt.Sprintf("%s missing on %s side (0)", comparisons[cmp].name, side)
}

func rFieldEmpty(cmp comparison, r *record) bool {
	switch cmp {
	case cmpName:
		return r.name.Full == ""
	case cmpPostcode:
		return r.pc == ""
	case cmpCity:
		return r.city == ""
	case cmpStreet:
		return r.streetKey == ""
	case cmpNumber:
		return r.number == ""
	}
	return r.country == ""
}

// rareWords lists the rarest agreeing words (at most 3, each in at most one company
// name in a thousand).
func (ix *Index) rareWords(matched []word) string {
	sort.SliceStable(matched, func(i, j int) bool { return matched[i].logDF < matched[j].logDF })
	var rare []string
	for _, w := range matched {
		if w.logDF <= math.Log(0.001) || ix.df[w.id] <= 1 {
			if len(rare) < 3 && !contains(rare, w.s) {
				rare = append(rare, w.s)
			}
		}
	}
	if len(rare) == 0 {
		return ""
	}
	return "; rare " + strings.Join(rare, " ")
}

func contains(ws []string, w string) bool {
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}

func firstKey(k identity) string {
	switch {
	case k.siren != "":
		return k.siren
	case k.vat != "":
		return k.vat
	}
	return k.reg
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// signed writes a weight with its sign and one decimal: +7.9, -2.3.
func signed(w float64) string { return fmt.Sprintf("%+.1f", w) }
