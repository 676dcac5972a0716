package sniff

// Defaults: the currency and country of files that carry none, flagged as guesses.

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// defaults proposes the currency and country of files that carry none.
func (p *proposer) defaults(cols []*column, res tableResult, files []tableFile) {
	f := &p.prop.Proposed
	f.Defaults = map[string]string{}
	country, countryWhy, countryConf := p.countryEvidence(cols, res)
	if _, ok := res.columns["reseller_country"]; !ok {
		switch {
		case country != "" && countryConf >= 0.6:
			f.Defaults["reseller_country"] = country
			p.note("defaults.reseller_country", country, round2(countryConf), "GUESS: no country column; "+countryWhy)
		case country != "":
			p.note("defaults.reseller_country", "", round2(countryConf), "no country column; "+countryWhy,
				Alternative{quoteYAML(country), "if every reseller is in that country"})
		}
	}
	if _, ok := res.columns["currency"]; ok {
		return
	}
	cur, why := currencySymbols(cols)
	switch {
	case cur != "":
		f.Defaults["currency"] = cur
		p.note("defaults.currency", cur, 0.8, "GUESS: no currency column; "+why)
	case country != "" && currencyOfCountry[country] != "":
		cur = currencyOfCountry[country]
		f.Defaults["currency"] = cur
		p.note("defaults.currency", cur, round2(0.7*countryConf), fmt.Sprintf("GUESS: no currency column nor symbol; the currency of %s (%s)", country, countryWhy))
	default:
		p.note("defaults.currency", "", 0.3, "no currency column, symbol or country: lines take base_currency",
			Alternative{`"EUR"`, "if the distributor reports in euros"})
	}
}

// countryEvidence is the resellers' country the samples point to: SIRET/SIREN numbers,
// VAT prefixes, the headers' language.
func (p *proposer) countryEvidence(cols []*column, res tableResult) (string, string, float64) {
	if i, ok := res.columns["reseller_registration"]; ok {
		c := cols[i]
		if s := c.share(func(v string) bool { _, ok := siretShape(v); return ok }); s >= 0.5 {
			return "FR", fmt.Sprintf("column %q holds SIRET/SIREN numbers", c.header), 0.85
		}
	}
	if i, ok := res.columns["reseller_vat"]; ok {
		count := map[string]int{}
		total := 0
		for _, v := range cols[i].values {
			if c, ok := vatShape(v); ok {
				count[c]++
				total++
			}
		}
		best := ""
		for c, n := range count {
			if n > count[best] || n == count[best] && c < best {
				best = c
			}
		}
		if best != "" && total > 0 {
			share := float64(count[best]) / float64(total)
			return best, fmt.Sprintf("%d of %d VAT numbers start with %s", count[best], total, best), 0.9 * share
		}
	}
	langs := map[string]int{}
	for _, c := range cols {
		for _, m := range matchHeader(c.header) {
			if m.lang != "" && m.lang != "en" && normHeader(c.header) == m.synonym {
				langs[m.lang]++
			}
		}
	}
	best := ""
	for l, n := range langs {
		if n > langs[best] || n == langs[best] && l < best {
			best = l
		}
	}
	if best != "" && langs[best] >= 3 {
		c := map[string]string{"fr": "FR", "de": "DE", "es": "ES", "it": "IT", "nl": "NL"}[best]
		return c, fmt.Sprintf("%d headers are %s words (a weak hint)", langs[best], strings.Fields(langNames[best])[1]), 0.4
	}
	return "", "", 0
}

// symbolCurrency are currency symbols and codes written in headers and amounts.
var symbolCurrency = []struct{ sym, code string }{{"€", "EUR"}, {"£", "GBP"}, {"$", "USD"}, {"CHF", "CHF"}, {"EUR", "EUR"}, {"GBP", "GBP"}, {"USD", "USD"}}

// currencySymbols finds a currency in the headers ("PU HT €") or the amounts.
func currencySymbols(cols []*column) (string, string) {
	has := func(text string, sym string) bool {
		if utf8.RuneCountInString(sym) == 1 {
			return strings.Contains(text, sym)
		}
		return slices.Contains(strings.Fields(strings.ToUpper(normalise(text))), sym)
	}
	for _, c := range cols {
		for _, s := range symbolCurrency {
			if has(c.header, s.sym) {
				return s.code, fmt.Sprintf("header %q carries %s", c.header, s.sym)
			}
		}
	}
	// Amounts written with their symbol ("12,50 €"): they will not read as numbers,
	// but they say the currency.
	for _, c := range cols {
		for _, v := range c.values[:min(len(c.values), 200)] {
			if !strings.ContainsAny(v, "0123456789") {
				continue
			}
			for _, s := range symbolCurrency {
				if has(v, s.sym) {
					return s.code, fmt.Sprintf("values of %q carry %s (%q)", c.header, s.sym, v)
				}
			}
		}
	}
	return "", ""
}
