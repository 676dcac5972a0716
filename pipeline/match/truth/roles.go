package truth

import (
	"slices"
	"strings"
)

// This file builds the companies that make matching hard on purpose: chain branches
// that share a name, and pairs of near-identical companies in one town.

// genChains adds n branches of the country's chains. Each branch is its own company
// (a franchisee, with its own registration); the channel database names it after the
// brand, with the town for some chains.
func (w *world) genChains(r *rng, co *country, n int) int {
	taken := map[string]bool{}
	made := 0
	for try := 0; made < n && try < 20*n; try++ {
		ch := weightedPick(r, co.chains, func(c chain) float64 { return c.weight })
		pl := w.pickPlace(r, co)
		if taken[ch.brand+"|"+pl.postcode] {
			continue
		}
		taken[ch.brand+"|"+pl.postcode] = true
		f := w.newFirm(r, co, pl, kindChain)
		f.chain = &ch
		f.trade = ch.trade
		f.parts, f.core, f.key = []string{ch.brand}, ch.brand, canonKey(ch.brand)
		withCity, ok := w.withCity[ch.brand]
		if !ok {
			withCity = r.chance(0.4)
			w.withCity[ch.brand] = withCity
		}
		f.form = pickForm(r, f)
		f.name = ch.brand
		if withCity {
			f.name = ch.brand + " " + f.city.name
		}
		w.finish(r, f, true)
		made++
	}
	return made
}

// genDecoys adds n pairs of near-identical companies in one town: the same name with two
// different legal forms ("Dupont SA" and "Dupont SARL", often at one address), or names
// one letter apart ("Garage Martin" and "Garage Martini").
func (w *world) genDecoys(r *rng, co *country, n int) int {
	made := 0
	for try := 0; made < n && try < 20*n; try++ {
		pl := w.pickPlace(r, co)
		a := w.newFirm(r, co, pl, kindDecoy)
		var b *firm
		if len(co.near) > 0 && r.chance(0.5) {
			b = w.nearTwin(r, a)
		} else {
			b = w.formTwin(r, a)
		}
		if b == nil {
			continue
		}
		a.twin, b.twin = b, a
		w.finish(r, a, true)
		if b.address == "" {
			w.addressFirm(r, b)
		}
		w.finish(r, b, true)
		made++
	}
	return 2 * made
}

// formTwin names a and returns a company with the same name and another legal form;
// both print their forms. Half the pairs share an address (a holding and its operating
// company).
func (w *world) formTwin(r *rng, a *firm) *firm {
	var forms []*legalForm
	for _, lf := range a.co.forms {
		if lf.lang == "" || lf.lang == a.lang.code {
			forms = append(forms, lf)
		}
	}
	if len(forms) < 2 || !w.nameFirm(r, a, func(t template) bool { return slices.Contains(t.parts, "{S}") }) {
		return nil
	}
	i := r.intn(len(forms))
	j := (i + 1 + r.intn(len(forms)-1)) % len(forms)
	if forms[i].group == forms[j].group {
		return nil
	}
	b := *a
	a.form, b.form = forms[i], forms[j]
	a.twinForm, b.twinForm = true, true
	for _, f := range []*firm{a, &b} {
		f.formPos = formAfter
		if f.form.prefix && r.chance(0.4) {
			f.formPos = formBefore
		}
		f.name = withForm(f.core, f.form.short, f.formPos == formBefore)
	}
	w.addressFirm(r, a)
	if r.chance(0.5) {
		b.address, b.postcode = a.address, a.postcode
	} else {
		b.address = ""
	}
	return &b
}

// nearTwin names a after one surname of a near pair and returns a company named after
// the other, with the same template, in the same town.
func (w *world) nearTwin(r *rng, a *firm) *firm {
	pair := pick(r, a.co.near)
	if r.chance(0.5) {
		pair[0], pair[1] = pair[1], pair[0]
	}
	var tpls []template
	for _, t := range a.lang.templates[a.trade] {
		if slices.Contains(t.parts, "{S}") && !strings.Contains(strings.Join(t.parts, ""), "{A}") {
			tpls = append(tpls, t)
		}
	}
	if len(tpls) == 0 {
		return nil
	}
	t := pick(r, tpls)
	pa, swA := w.fill(r, a, t, pair[0], false)
	b := *a
	pb, _ := w.fill(r, &b, t, pair[1], false)
	ka, kb := canonKey(strings.Join(pa, " ")), canonKey(strings.Join(pb, " "))
	if ka == kb || w.town(a)[ka] > 0 || w.town(a)[kb] > 0 {
		return nil
	}
	a.surname, a.parts, a.swappable, a.core, a.key = pair[0], pa, swA, strings.Join(pa, " "), ka
	b.surname, b.parts, b.swappable, b.core, b.key = pair[1], pb, swA, strings.Join(pb, " "), kb
	a.form, b.form = pickForm(r, a), pickForm(r, &b)
	if r.chance(0.4) {
		pl := pick(r, a.city.postcodes)
		b.postcode = completePostcode(r, a.co, pl)
	}
	b.address = ""
	return &b
}
