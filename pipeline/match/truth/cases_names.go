package truth

import (
	"slices"
	"strings"
	"sync"
)

// This file draws the rows whose difficulty is in the name (or in its identifiers).

// exactKey: the row carries a valid registration or VAT number of the company, printed
// the clerk's way; the name comes as it comes.
func (g *gen) exactKey() *draft {
	f := g.take(caseExactKey, func(f *firm) bool { return f.reg != "" || f.vat != "" })
	if f == nil {
		return nil
	}
	r, d := g.r, g.row(f)
	d.reg, d.vat = printedIDs(r, f)
	switch x := r.float(); {
	case x < 0.35:
		d.name = f.name
	case x < 0.65:
		d.name = upperASCII(f.name)
	case x < 0.8:
		d.name = typo(r, f.name, 1)
	default:
		d.name = casing(r, f.core, 0.5)
	}
	g.located(d, 0.65, 0.9, 0.9)
	return d
}

// variant: spelling variants of the name (typos, swapped words, accents and case,
// truncation at 30 characters), with the address.
func (g *gen) variant() *draft {
	f := g.take(caseVariant, func(f *firm) bool { return f.kind == kindPlain })
	if f == nil {
		return nil
	}
	r := g.r
	for try := 0; try < 20; try++ {
		core := f.core
		if f.swappable && r.chance(0.3) {
			core = f.parts[1] + " " + f.parts[0]
		}
		if r.chance(0.2) {
			core = respell(r, core)
		}
		if r.chance(0.5) || upperASCII(core) == upperASCII(f.core) {
			core = typo(r, core, r.between(1, 2))
		}
		name := core
		if f.formPos != formHidden {
			name = withForm(core, f.form.short, f.formPos == formBefore)
		}
		switch x := r.float(); {
		case x < 0.45:
			name = upperASCII(name)
		case x < 0.65:
			name = fold(name)
		}
		if len([]rune(name)) > 30 && r.chance(0.75) {
			name = truncate(name, 30)
		}
		if upperASCII(name) == upperASCII(f.name) {
			continue // more than the case must change
		}
		if k := canonKey(name); k != f.key && g.w.town(f)[k] > 0 {
			continue // the variant would spell another company of the town
		}
		d := g.row(f)
		d.name = name
		g.located(d, 1, 0.97, 0.95) // the address tells it from a neighbour the typo brings closer
		d.address = casing(r, d.address, 0.4)
		return d
	}
	return nil
}

// formSpellings lists the ways to write f's legal form: its usual spelling, its
// variants (S.A.R.L., Limited) and its equivalents (BVBA for BV, SA for AG in Romandy).
func formSpellings(f *firm) []string {
	var out []string
	for _, lf := range f.co.forms {
		if lf.group == f.form.group {
			for _, s := range append([]string{lf.short}, lf.variants...) {
				if !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// legalForm: the legal form is added, dropped, moved between start and end, or spelled
// another way (with dots, in full, its other-language or pre-reform name). It is never
// changed into another form: that is the decoys' business.
func (g *gen) legalForm() *draft {
	f := g.take(caseLegalForm, func(f *firm) bool { return f.kind == kindPlain && f.form != nil })
	if f == nil {
		return nil
	}
	r := g.r
	spellings := formSpellings(f)
	canMove := f.form.prefix
	for try := 0; try < 10; try++ {
		var name string
		switch x := r.float(); {
		case f.formPos == formHidden:
			name = withForm(f.core, pick(r, spellings), canMove && r.chance(0.4))
		case x < 0.3:
			name = f.core
		case x < 0.55 && canMove:
			name = withForm(f.core, pick(r, spellings), f.formPos != formBefore)
		default:
			name = withForm(f.core, pick(r, spellings), f.formPos == formBefore)
		}
		if upperASCII(name) == upperASCII(f.name) {
			continue // the form must change, not only the case
		}
		name = casing(r, name, 0.35)
		d := g.row(f)
		d.name = name
		g.located(d, 0.8, 0.95, 0.95)
		return d
	}
	return nil
}

// abbreviation: words of the name abbreviated or spelled out (Ets, Sté, Cie, Elec,
// Distrib, Bros, Intl, & for et/and), and of the address (St, Rd, av., bd).
func (g *gen) abbreviation() *draft {
	f := g.take(caseAbbreviation, func(f *firm) bool {
		return f.kind == kindPlain && hasAbbreviable(f.name, f.lang.nameAbbr)
	})
	if f == nil {
		return nil
	}
	r := g.r
	expand := r.chance(0.3)
	name, ok := abbreviate(r, f.name, f.lang.nameAbbr, expand, 0.6)
	if !ok {
		name, _ = abbreviate(r, f.name, f.lang.nameAbbr, !expand, 0.6)
	}
	d := g.row(f)
	d.name = casing(r, name, 0.3)
	g.located(d, 0.9, 0.95, 0.95)
	if d.address != "" && r.chance(0.75) {
		d.address, _ = abbreviate(r, d.address, f.lang.addrAbbr, false, 0.8)
	}
	return d
}

// missingIDs: no registration, no VAT number: the name, the address, the postcode and
// the town, as the channel database has them or in upper case.
func (g *gen) missingIDs() *draft {
	f := g.take(caseMissingIDs, func(f *firm) bool { return f.kind == kindPlain && (f.reg != "" || f.vat != "") })
	if f == nil {
		f = g.take(caseMissingIDs+"/any", func(f *firm) bool { return f.kind == kindPlain })
	}
	if f == nil {
		return nil
	}
	d := g.row(f)
	d.name = casing(g.r, f.name, 0.4)
	g.located(d, 1, 1, 1)
	d.address = casing(g.r, d.address, 0.3)
	return d
}

// denseMin is the number of companies that makes a postcode dense.
const denseMin = 24

// densePostcode: the company sits in a postcode shared by dozens of companies, several
// of them with the same trade word in their names.
func (g *gen) densePostcode() *draft {
	words := g.denseWords
	f := g.take(caseDensePC, func(f *firm) bool {
		pc := postcodeKey{f.co.code, f.postcode}
		if f.kind != kindPlain || len(g.w.byPC[pc]) < denseMin {
			return false
		}
		if words[pc] == nil {
			words[pc] = map[string]int{}
			for _, n := range g.w.byPC[pc] {
				for _, t := range strings.Fields(n.key) {
					words[pc][t]++
				}
			}
		}
		word := tradeKey(f.lang, f.trade)
		return word != "" && words[pc][word] >= 3 && slices.Contains(strings.Fields(f.key), word)
	})
	if f == nil {
		return nil
	}
	r, d := g.r, g.row(f)
	d.name = f.name
	if f.formPos != formHidden && r.chance(0.25) {
		d.name = f.core
	}
	d.name = casing(r, d.name, 0.35)
	g.located(d, 0.5, 1, 0.9)
	return d
}

// tradeKeys caches the name key of each language's trade words.
var tradeKeys sync.Map // [2]string{language, trade} → string

// tradeKey is the name key of the main word of a trade ("elec" for Électricité).
func tradeKey(l *language, trade string) string {
	k := [2]string{l.code, trade}
	if v, ok := tradeKeys.Load(k); ok {
		return v.(string)
	}
	v := canonKey(tradeWord(l, trade))
	tradeKeys.Store(k, v)
	return v
}
