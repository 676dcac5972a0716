package sniff

// Tabular samples (CSV, XLSX): the columns mapping, confirmed by the values, and the
// number and date conventions of the values.

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/salesout/salesout/pipeline/canon"
)

// maxRows caps the data rows of each sample that are analysed.
const maxRows = 20000

// tableFile is one sample read as a table.
type tableFile struct {
	name       string
	header     []string
	headerLine int
	rows       []tableRow
}

// tableRow is a data row and its line (CSV) or row (XLSX) number.
type tableRow struct {
	line  int
	cells []string
}

// column is what the samples hold in one column.
type column struct {
	index   int
	header  string
	values  []string // non-empty values, trimmed
	cells   []string // every row's value, "" when empty: aligned across columns
	rows    int      // rows, empty cells included
	missing []string // samples whose header lacks this column
}

// fieldCandidate is a column that may hold a field.
type fieldCandidate struct {
	col    int
	field  string
	score  float64
	header headerMatch
	value  float64 // share of values of the field's shape; -1 when the column is empty
}

// tableResult is what the analysis decided.
type tableResult struct {
	columns   map[string]int // field -> column index
	decimal   string
	thousands string
	date      *dateFormat
}

// analyseTable proposes the columns mapping and the conventions of tabular samples.
// xlsx says the values come from a workbook: dates of date cells are ISO text, numbers
// of numeric cells plain.
func (p *proposer) analyseTable(files []tableFile, xlsx bool) tableResult {
	cols := buildColumns(files, p)
	res := tableResult{columns: map[string]int{}}

	// Numbers first: the separators decide which values are numbers.
	p.numberConventions(cols, &res, xlsx)

	// Candidates: header synonyms confirmed by the values, and shapes alone.
	var cands []fieldCandidate
	for _, c := range cols {
		cands = append(cands, candidatesOf(c, res)...)
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.score != b.score {
			return a.score > b.score
		}
		if a.col != b.col {
			return a.col < b.col
		}
		return a.field < b.field
	})
	taken := map[int]string{}
	chosen := map[string]fieldCandidate{}
	for _, c := range cands {
		if _, ok := taken[c.col]; ok {
			continue
		}
		if _, ok := chosen[c.field]; ok {
			continue
		}
		taken[c.col] = c.field
		chosen[c.field] = c
	}
	// quantity × unit price ≈ amount confirms (or corrects) the three numbers.
	triple := findProduct(cols, res)
	if triple != nil {
		for i, f := range []string{"quantity", "unit_price", "amount"} {
			col := triple.cols[i]
			if cur, ok := chosen[f]; ok && cur.col == col {
				continue
			}
			if other, ok := taken[col]; ok {
				delete(chosen, other)
			}
			if cur, ok := chosen[f]; ok {
				delete(taken, cur.col)
			}
			taken[col] = f
			chosen[f] = fieldCandidate{col: col, field: f, score: 0.8, value: 1}
		}
	}

	p.idsOfNames(cols, taken, chosen)

	f := &p.prop.Proposed
	f.Columns = map[string]string{}
	for _, field := range canon.Fields {
		c, ok := chosen[field]
		if !ok {
			continue
		}
		col := cols[c.col]
		f.Columns[field] = col.header
		res.columns[field] = c.col
		conf, why := c.score, describeCandidate(c, col)
		if field == "reseller_id" && p.idEvidence != "" {
			why = p.idEvidence
		}
		if triple != nil && slices.Contains([]string{"quantity", "unit_price", "amount"}, field) {
			conf = math.Max(conf, 0.95)
			why += fmt.Sprintf("; quantity × unit price = amount on %d of %d lines", triple.hits, triple.rows)
		}
		p.note("columns."+field, col.header, round2(math.Min(conf, 1)), why)
		// A close second reading of the column, as a commented choice.
		for _, alt := range cands {
			if alt.col != c.col || alt.field == field || alt.field == description || alt.score < c.score-0.2 {
				continue
			}
			if _, used := chosen[alt.field]; used {
				continue
			}
			p.note("columns."+alt.field, "", round2(alt.score), "",
				Alternative{quoteYAML(col.header), fmt.Sprintf("instead of %s, if the column holds %s", field, strings.ReplaceAll(alt.field, "_", " "))})
			break
		}
	}
	var ignored []string
	for _, c := range cols {
		if fld, ok := taken[c.index]; (!ok || fld == description) && c.header != "" && len(c.values) > 0 {
			ignored = append(ignored, fmt.Sprintf("%q", c.header))
		}
	}
	if len(ignored) > 0 {
		p.warn("columns not mapped (no canonical field holds them): %s", strings.Join(ignored, ", "))
	}
	for _, group := range canon.Required {
		if !slices.ContainsFunc(group, func(k string) bool { _, ok := chosen[k]; return ok }) {
			p.warn("no column found for %s (required): map it by hand under columns:", strings.Join(group, " or "))
		}
	}
	if country, _, _ := p.countryEvidence(cols, res); res.decimal == "," || country != "" && country != "US" {
		p.european = true
	}
	if c, ok := chosen["invoice_date"]; ok {
		res.date = p.dateConvention(cols[c.col], xlsx)
	}
	p.defaults(cols, res, files)
	p.badValues(files, cols, res)
	p.modeFromPeriods(files, res)
	return res
}

// buildColumns lines up the samples' columns by header, in the first sample's order.
func buildColumns(files []tableFile, p *proposer) []*column {
	first := files[0]
	cols := make([]*column, len(first.header))
	for i, h := range first.header {
		cols[i] = &column{index: i, header: strings.TrimSpace(h)}
	}
	for _, tf := range files {
		pos := map[string]int{}
		for i, h := range tf.header {
			k := strings.ToLower(strings.Join(strings.Fields(h), " "))
			if _, dup := pos[k]; !dup {
				pos[k] = i
			}
		}
		for _, c := range cols {
			j, ok := pos[strings.ToLower(strings.Join(strings.Fields(c.header), " "))]
			if !ok {
				c.missing = append(c.missing, tf.name)
				j = -1
			}
			for _, r := range tf.rows {
				c.rows++
				v := ""
				if j >= 0 && j < len(r.cells) {
					v = strings.TrimSpace(r.cells[j])
				}
				c.cells = append(c.cells, v)
				if v != "" {
					c.values = append(c.values, v)
				}
			}
		}
		if tf.name != first.name && len(tf.header) != len(first.header) {
			p.warn("%s has %d columns, %s %d", tf.name, len(tf.header), first.name, len(first.header))
		}
	}
	missing := map[string][]string{}
	for _, c := range cols {
		for _, f := range c.missing {
			if c.header != "" {
				missing[f] = append(missing[f], fmt.Sprintf("%q", c.header))
			}
		}
	}
	for _, tf := range files {
		if m := missing[tf.name]; len(m) > 0 {
			p.warn("%s lacks the column(s) %s of %s: it would fail to load with this entry (another layout: sniff it apart)",
				tf.name, strings.Join(m, ", "), first.name)
		}
	}
	return cols
}

// share counts the values for which f holds, as a share of the column's values; -1 for
// a column without values.
func (c *column) share(f func(string) bool) float64 {
	if len(c.values) == 0 {
		return -1
	}
	n := 0
	for _, v := range c.values {
		if f(v) {
			n++
		}
	}
	return float64(n) / float64(len(c.values))
}

// valueShare is how well the column's values fit the field, -1 for an empty column.
func valueShare(field string, c *column, res tableResult) float64 {
	isNumber := func(v string) bool { _, ok := parseNumber(v, res.decimal, res.thousands); return ok }
	switch field {
	case "invoice_date":
		best := 0.0
		for _, f := range dateFormats {
			best = math.Max(best, c.share(func(v string) bool { _, ok := f.parse(v); return ok }))
		}
		if len(c.values) == 0 {
			return -1
		}
		return best
	case "invoice_number":
		return c.share(func(v string) bool {
			return strings.ContainsAny(v, "0123456789") && !strings.Contains(v, " ") && len(v) <= 30 && !looksLikeDate(v)
		})
	case "reseller_id":
		return c.share(func(v string) bool { return idLike(v) && !looksLikeDate(v) })
	case "reseller_name", "end_customer_name", "reseller_city", "reseller_address", description:
		return c.share(nameLike)
	case "reseller_vat":
		return c.share(func(v string) bool { _, ok := vatShape(v); return ok })
	case "reseller_registration":
		// The shape: a header naming the column may trust numbers whose key is wrong.
		return c.share(func(v string) bool { d := digitsOnly(v); return reInt.MatchString(d) && (len(d) == 9 || len(d) == 14) })
	case "reseller_postcode", "end_customer_postcode":
		return c.share(postcodeShape)
	case "reseller_country", "end_customer_country":
		return c.share(func(v string) bool { return countries[strings.ToUpper(v)] })
	case "sku", "distributor_sku":
		return c.share(func(v string) bool { return !strings.Contains(v, " ") && len(v) <= 40 && !looksLikeDate(v) })
	case "gtin":
		return c.share(gtinValid)
	case "quantity", "unit_price", "amount":
		return c.share(isNumber)
	case "currency":
		return c.share(func(v string) bool { return currencies[strings.ToUpper(v)] })
	}
	return -1
}

// minShare is the share of fitting values below which a header's reading is refused.
var minShare = map[string]float64{
	"invoice_date": 0.5, "quantity": 0.5, "unit_price": 0.5, "amount": 0.5, "gtin": 0.5,
	"currency": 0.5, "reseller_country": 0.5, "end_customer_country": 0.3, "reseller_postcode": 0.4,
	"reseller_vat": 0.3, "reseller_registration": 0.3, "reseller_id": 0.3, "reseller_name": 0.3,
	"invoice_number": 0.3, "sku": 0.5, "distributor_sku": 0.5,
}

// byShape are the fields a column may be given from its values alone, and the share
// of values it takes.
var byShape = map[string]float64{
	"invoice_date": 0.9, "gtin": 0.9, "reseller_registration": 0.9, "reseller_vat": 0.9, "currency": 0.95,
}

// candidatesOf lists the fields a column may hold.
func candidatesOf(c *column, res tableResult) []fieldCandidate {
	var out []fieldCandidate
	seen := map[string]bool{}
	for _, m := range matchHeader(c.header) {
		v := valueShare(m.field, c, res)
		if v >= 0 && v < minShare[m.field] {
			continue
		}
		vs := v
		if v < 0 {
			vs = 0.5 // an empty column: the header alone
		}
		out = append(out, fieldCandidate{col: c.index, field: m.field, score: 0.6*m.score + 0.4*vs, header: m, value: v})
		seen[m.field] = true
	}
	for field, need := range byShape {
		if seen[field] {
			continue
		}
		v := valueShare(field, c, res)
		if field == "reseller_registration" { // alone, the values must carry valid keys
			v = c.share(func(v string) bool { _, ok := siretShape(v); return ok })
		}
		if v >= need && len(c.values) >= 1 {
			out = append(out, fieldCandidate{col: c.index, field: field, score: 0.45 * v, value: v})
		}
	}
	return out
}

// describeCandidate says why a column holds a field.
func describeCandidate(c fieldCandidate, col *column) string {
	var parts []string
	if c.header.synonym != "" {
		lang := langNames[c.header.lang]
		if normHeader(col.header) == c.header.synonym {
			parts = append(parts, fmt.Sprintf("header %q is %sname of %s", col.header, lang, c.field))
		} else {
			parts = append(parts, fmt.Sprintf("header %q holds %q, %sname of %s", col.header, c.header.synonym, lang, c.field))
		}
	} else {
		parts = append(parts, fmt.Sprintf("column %q, from its values", col.header))
	}
	switch {
	case c.value < 0:
		parts = append(parts, "empty in the samples: unconfirmed")
	case len(col.values) > 0:
		parts = append(parts, fmt.Sprintf("%.0f%% of %d values %s", 100*c.value, len(col.values), shapeName[c.field]))
	}
	return strings.Join(parts, "; ")
}

// langNames name a synonym's language in the evidence, with its article.
var langNames = map[string]string{"en": "an English ", "fr": "a French ", "de": "a German ", "es": "a Spanish ", "it": "an Italian ", "nl": "a Dutch ", "": "a "}

// shapeName says what the values of a field look like, for the evidence.
var shapeName = map[string]string{
	"invoice_date": "read as dates", "invoice_number": "look like document numbers", "reseller_id": "look like codes (no space)",
	"reseller_name": "look like names", "end_customer_name": "look like names", "reseller_city": "look like place names",
	"reseller_address": "look like addresses", "reseller_vat": "are VAT numbers with a country prefix",
	"reseller_registration": "are 14-digit SIRET or 9-digit SIREN numbers", "reseller_postcode": "look like postcodes",
	"end_customer_postcode": "look like postcodes", "reseller_country": "are ISO country codes",
	"end_customer_country": "are ISO country codes", "sku": "look like product codes", "distributor_sku": "look like product codes",
	"gtin": "are GTINs with a valid check digit", "quantity": "are numbers", "unit_price": "are numbers", "amount": "are numbers",
	"currency": "are ISO 4217 currency codes", description: "look like text",
}

// round2 rounds a confidence to two decimals.
func round2(x float64) float64 { return math.Round(x*100) / 100 }

// quoteYAML quotes a value for a commented YAML line.
func quoteYAML(s string) string { return fmt.Sprintf("%q", s) }

// idsOfNames maps reseller_id, when no header named it, to a column of codes that go
// each with one reseller name: the distributor's account numbers.
func (p *proposer) idsOfNames(cols []*column, taken map[int]string, chosen map[string]fieldCandidate) {
	name, ok := chosen["reseller_name"]
	if _, has := chosen["reseller_id"]; has || !ok {
		return
	}
	names := cols[name.col]
	for _, c := range cols {
		if _, used := taken[c.index]; used || len(c.values) == 0 || c.share(idLike) < 0.9 {
			continue
		}
		nameOf := map[string]string{}
		pairs, same := 0, 0
		for i, id := range c.cells {
			n := names.cells[i]
			if id == "" || n == "" {
				continue
			}
			pairs++
			if prev, seen := nameOf[id]; !seen || prev == n {
				same++
			}
			nameOf[id] = n
		}
		if pairs < 3 || len(nameOf) < 2 || len(nameOf) == pairs || float64(same) < 0.95*float64(pairs) {
			continue
		}
		taken[c.index] = "reseller_id"
		chosen["reseller_id"] = fieldCandidate{col: c.index, field: "reseller_id", score: 0.6, value: c.share(idLike),
			header: headerMatch{synonym: ""}}
		p.idEvidence = fmt.Sprintf("column %q holds codes, each going with one %q (%d codes for %d lines): account numbers", c.header, names.header, len(nameOf), pairs)
		return
	}
}
