package truth

import (
	"slices"
	"strconv"
	"strings"
)

// This file holds the types of the vocabulary (languages, countries, cities, legal
// forms) and the small parsers that turn the compact tables of lex_*.go into them.

// language is how companies are named and addresses written in one language.
type language struct {
	code      string
	templates map[string][]template // per trade code
	places    []string              // place phrases for {P}: "du Centre", "de la Gare"
	prefixes  []string              // before a surname: "Ets", "Établissements"
	suffixes  []string              // after a surname: "et Fils", "Frères"; {S2} is a second surname, "~" marks those only at the end of a name
	nameAbbr  []abbr                // words clerks abbreviate in names
	addrAbbr  []abbr                // words clerks abbreviate in addresses
	ofCity    func(city string) string
	street    func(r *rng, c *city) string
	renames   []string // a new name after a rebranding: keeps the surname {S} or the trade word {W}
}

// template is a company name pattern: parts joined by spaces. Placeholders: {S} and
// {S2} surnames, {C} the city, {dC} "of the city" ("de Lyon", "d'Angers"), {A} an
// acronym, {P} a place phrase.
type template struct {
	parts     []string
	swappable bool // two parts whose order clerks swap ("Électricité Martin" / "Martin Électricité")
}

// tpl parses templates written with "|" between parts.
func tpl(specs ...string) []template {
	out := make([]template, len(specs))
	for i, s := range specs {
		parts := strings.Split(s, "|")
		out[i] = template{parts: parts, swappable: len(parts) == 2 &&
			!strings.Contains(s, "{P}") && !strings.Contains(s, "{dC}")}
	}
	return out
}

// abbr is a word and the abbreviation clerks write for it. With suffix set, the full
// form is the end of a compound word (Hauptstraße → Hauptstr.).
type abbr struct {
	full, short string
	suffix      bool
}

// abbrs parses "full=short" pairs; a leading "-" marks a suffix abbreviation.
func abbrs(specs ...string) []abbr {
	out := make([]abbr, len(specs))
	for i, s := range specs {
		full, short, _ := strings.Cut(s, "=")
		out[i] = abbr{full: strings.TrimPrefix(full, "-"), short: short, suffix: strings.HasPrefix(full, "-")}
	}
	return out
}

// legalForm is a legal form as companies of one country print it.
type legalForm struct {
	short    string   // the usual spelling: "SARL", "GmbH", "Ltd"
	variants []string // other spellings of the same form: "S.A.R.L.", "Limited", "BVBA" for BV
	group    string   // forms of one group are the same form (BV/SRL in Belgium)
	weight   float64
	lang     string // "" or the language that uses this spelling (BE, CH, CA)
	prefix   bool   // may be written before the name (French usage)
}

// city is a town and its postcodes.
type city struct {
	id        string // country|name: towns of one name count as one for name uniqueness
	name      string
	postcodes []string
	dense     map[string]bool // postcodes of business parks that hold dozens of companies
	weight    float64
	langs     []*language // first is the main language
	country   *country
	village   bool
}

// parseCities reads lines "Name|postcodes|weight[|lang]". Postcodes are a comma list
// whose items are a code, a range lo-hi (every code) or lo-hi:n (n codes evenly spread);
// a trailing "*" marks a dense postcode.
func parseCities(co *country, table, defaultLang string, langs map[string]*language) []*city {
	var out []*city
	for _, line := range strings.Split(strings.TrimSpace(table), "\n") {
		f := strings.Split(strings.TrimSpace(line), "|")
		c := &city{id: co.code + "|" + f[0], name: f[0], country: co, dense: map[string]bool{}}
		c.weight, _ = strconv.ParseFloat(f[2], 64)
		for _, item := range strings.Split(f[1], ",") {
			dense := strings.HasSuffix(item, "*")
			item = strings.TrimSuffix(item, "*")
			for _, pc := range expandPostcodes(item) {
				if !slices.Contains(c.postcodes, pc) {
					c.postcodes = append(c.postcodes, pc)
				}
				if dense {
					c.dense[pc] = true
				}
			}
		}
		codes := defaultLang
		if len(f) > 3 {
			codes = f[3]
		}
		for _, l := range strings.Split(codes, "/") {
			c.langs = append(c.langs, langs[l])
		}
		out = append(out, c)
	}
	return out
}

// expandPostcodes expands "69001-69009", "40210-40629:6" or a single code.
func expandPostcodes(item string) []string {
	lo, hi, ok := strings.Cut(item, "-")
	if !ok || !allDigits(lo) {
		return []string{item}
	}
	n := 0
	if h, count, ok := strings.Cut(hi, ":"); ok {
		hi = h
		n, _ = strconv.Atoi(count)
	}
	a, _ := strconv.Atoi(lo)
	b, _ := strconv.Atoi(hi)
	if n == 0 {
		n = b - a + 1
	}
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		v := a
		if n > 1 {
			v = a + i*(b-a)/(n-1)
		}
		s := strconv.Itoa(v)
		out = append(out, strings.Repeat("0", len(lo)-len(s))+s)
	}
	return out
}

// words splits a space-separated list.
func words(s string) []string { return strings.Fields(s) }

// names splits a space-separated list of names written with "_" for spaces (De_Jong).
func names(s string) []string {
	out := words(s)
	for i, n := range out {
		out[i] = strings.ReplaceAll(n, "_", " ")
	}
	return out
}

// lines splits a newline-separated list, trimming each line.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// pairs parses "a/b" near-name pairs.
func pairs(s string) [][2]string {
	var out [][2]string
	for _, p := range words(s) {
		a, b, _ := strings.Cut(p, "/")
		out = append(out, [2]string{strings.ReplaceAll(a, "_", " "), strings.ReplaceAll(b, "_", " ")})
	}
	return out
}

// frenchOf writes "de Lyon", "d'Angers", "du Mans", "de La Rochelle", "des Sables".
func frenchOf(city string) string {
	switch {
	case strings.HasPrefix(city, "Le "):
		return "du " + city[3:]
	case strings.HasPrefix(city, "Les "):
		return "des " + city[4:]
	case strings.ContainsRune("AEIOUYÉÈÊÂÎH", []rune(city)[0]):
		return "d'" + city
	}
	return "de " + city
}

// houseNumber returns a house number, small numbers being the most common.
func houseNumber(r *rng) int {
	switch {
	case r.chance(0.55):
		return r.between(1, 30)
	case r.chance(0.7):
		return r.between(31, 120)
	}
	return r.between(121, 450)
}

// itoa is strconv.Itoa.
func itoa(n int) string { return strconv.Itoa(n) }
