package truth

import "strings"

// This file draws the rows whose difficulty is in the neighbourhood: near-identical
// companies, chain branches, companies absent from the channel database, renamed or
// moved companies, and the undecidable ones.

// decoy: the town holds two near-identical companies (same name with another legal
// form, or a name one letter apart); the row is one of them, spelled with its legal form.
func (g *gen) decoy() *draft {
	f := g.take(caseDecoy, func(f *firm) bool { return f.kind == kindDecoy })
	if f == nil {
		return nil
	}
	r, d := g.r, g.row(f)
	switch {
	case f.twinForm:
		before := f.formPos == formBefore
		if f.form.prefix && r.chance(0.25) {
			before = !before
		}
		d.name = withForm(f.core, pick(r, formSpellings(f)), before)
	case f.formPos == formHidden && f.form != nil && r.chance(0.5):
		d.name = withForm(f.core, f.form.short, f.form.prefix && r.chance(0.4))
	default:
		d.name = f.name
	}
	d.name = casing(r, d.name, 0.4)
	pAddr := 0.6
	if f.address == f.twin.address {
		pAddr = 0.75 // one address for both: only the legal form tells them apart
	}
	g.located(d, pAddr, 1, 0.95)
	return d
}

// chainBranch: one branch of a chain (the same name in many towns); the row gives the
// branch's postcode or town (the postcode when the town has several branches).
func (g *gen) chainBranch() *draft {
	f := g.take(caseChainBranch, func(f *firm) bool { return f.kind == kindChain })
	if f == nil {
		return nil
	}
	r, d := g.r, g.row(f)
	brand, town := f.chain.brand, f.city.name
	switch x := r.float(); {
	case x < 0.5:
		d.name = brand
	case x < 0.8:
		d.name = brand + " " + strings.Replace(town, "Saint-", "St ", 1)
	case x < 0.9:
		d.name = respell(r, brand)
	default:
		d.name = brand + " - " + town
	}
	d.name = casing(r, d.name, 0.4)
	if len(g.branches[f.co.code+"|"+brand+"|"+town]) > 1 {
		g.located(d, 0.5, 1, 0.8) // the postcode tells the town's branches apart
		return d
	}
	switch x := r.float(); {
	case x < 0.7:
		g.located(d, 0.4, 1, 1)
	case x < 0.85:
		g.located(d, 0.4, 0, 1)
	default:
		g.located(d, 0.4, 1, 0)
	}
	return d
}

// absent: a company that is not in the channel database: a new one, one whose name
// resembles a listed company of another region (same surname and trade), or a branch of
// a chain in a town where the database lists none.
func (g *gen) absent() *draft {
	r, w := g.r, g.w
	co := weightedPick(r, countries(), func(c *country) float64 { return c.weight })
	var f *firm
	switch x := r.float(); {
	case x < 0.3:
		f = g.lookalike(co)
	case x < 0.42:
		f = g.unlistedBranch(co)
	}
	if f == nil {
		f = w.newFirm(r, co, w.pickPlace(r, co), kindPlain)
		if !w.nameFirm(r, f, nil) || w.national[nationalKey{co.code, f.key}] > 0 {
			return nil
		}
	}
	w.finish(r, f, false)
	d := g.row(f)
	d.name = casing(r, f.name, 0.35)
	if r.chance(0.3) {
		w.assignIDs(r, f)
		if f.regFull != "" && (r.chance(0.5) || f.vatFull == "") {
			d.reg = printReg(r, f)
		} else {
			d.vat = printVAT(r, f)
		}
	}
	g.located(d, 0.85, 0.95, 0.95)
	return d
}

// lookalike makes an absent company named like a listed one (same surname, same trade,
// another pattern) in another region of the country.
func (g *gen) lookalike(co *country) *firm {
	r, w := g.r, g.w
	model := g.take("absent/model/"+co.code, func(f *firm) bool { return f.co == co && f.kind == kindPlain && f.surname != "" })
	if model == nil {
		return nil
	}
	for try := 0; try < 10; try++ {
		pl := w.pickPlace(r, co)
		if co.region(pl.postcode) == co.region(model.postcode) || pl.city.name == model.city.name {
			continue
		}
		f := w.newFirm(r, co, pl, kindPlain)
		f.trade, f.lang = model.trade, model.lang
		t := pick(r, f.lang.templates[f.trade])
		if !strings.Contains(strings.Join(t.parts, "|"), "{S}") {
			continue
		}
		parts, swappable := w.fill(r, f, t, model.surname, r.chance(0.3))
		core := strings.Join(parts, " ")
		key := canonKey(core)
		if w.national[nationalKey{co.code, key}] > 0 || w.town(f)[key] > 0 {
			continue
		}
		f.surname, f.parts, f.swappable, f.core, f.key = model.surname, parts, swappable, core, key
		return f
	}
	return nil
}

// unlistedBranch makes a branch of one of the country's chains in a town where the
// channel database has no branch of it.
func (g *gen) unlistedBranch(co *country) *firm {
	r, w := g.r, g.w
	for try := 0; try < 10; try++ {
		ch := weightedPick(r, co.chains, func(c chain) float64 { return c.weight })
		pl := w.pickPlace(r, co)
		if len(g.branches[co.code+"|"+ch.brand+"|"+pl.city.name]) > 0 || len(g.brands[co.code+"|"+ch.brand]) == 0 {
			continue
		}
		f := w.newFirm(r, co, pl, kindChain)
		f.chain, f.trade = &ch, ch.trade
		f.parts, f.core, f.key, f.name = []string{ch.brand}, ch.brand, canonKey(ch.brand), ch.brand
		if r.chance(0.4) {
			f.name = ch.brand + " " + pl.city.name
		}
		g.branches[co.code+"|"+ch.brand+"|"+pl.city.name] = append(g.branches[co.code+"|"+ch.brand+"|"+pl.city.name], f)
		return f
	}
	return nil
}

// renamed: the company changed its name (taken over by someone of the same trade, or
// rebranded keeping its surname or trade word); the channel database and the
// distributor disagree on it but agree on the address, which no other company has, and
// sometimes the row carries the registration.
func (g *gen) renamed() *draft {
	f := g.take(caseRenamed, func(f *firm) bool { return f.kind == kindPlain })
	if f == nil {
		return nil
	}
	r, w := g.r, g.w
	for try := 0; try < 20; try++ {
		var core string
		if r.chance(0.5) { // taken over: the new owner's name replaces the old one's
			surname := pick(r, f.co.surnames)
			if f.surname != "" {
				core = strings.Replace(f.core, f.surname, surname, 1)
			} else {
				parts, _ := w.fill(r, f, pick(r, f.lang.templates[f.trade]), surname, false)
				core = strings.Join(parts, " ")
			}
		} else { // rebranded: the surname or the trade word stays
			tpl := pick(r, f.lang.renames)
			if f.surname == "" && strings.Contains(tpl, "{S}") {
				continue
			}
			core = strings.NewReplacer("{A}", acronym(r), "{S}", f.surname, "{W}", tradeWord(f.lang, f.trade),
				"{C}", f.city.name).Replace(tpl)
		}
		key := canonKey(core)
		if key == f.key || w.town(f)[key] > 0 || w.national[nationalKey{f.co.code, key}] > 0 {
			continue
		}
		w.town(f)[key]++
		d := g.row(f)
		d.name = core
		if f.formPos != formHidden && r.chance(0.7) {
			d.name = withForm(core, f.form.short, f.formPos == formBefore)
		}
		d.name = casing(r, d.name, 0.35)
		g.located(d, 1, 1, 1)
		d.address = casing(r, d.address, 0.3)
		if r.chance(0.35) {
			d.reg, d.vat = printedIDs(r, f)
		}
		return d
	}
	return nil
}

// moved: the company moved (across town or within its region); the channel database and
// the distributor disagree on the address but the name, unique in the country, is the same.
func (g *gen) moved() *draft {
	r, w := g.r, g.w
	f := g.take(caseMoved, func(f *firm) bool {
		return f.kind == kindPlain && f.surname != "" && w.national[nationalKey{f.co.code, f.key}] == 1
	})
	if f == nil {
		return nil
	}
	var pl place
	nearby := g.regions[f.co.code+"|"+f.co.region(f.postcode)]
	switch {
	case r.chance(0.45) && len(f.city.postcodes) > 1:
		pl = place{f.city, pick(r, f.city.postcodes)}
	case len(nearby) > 1:
		pl = pick(r, nearby)
	default:
		pl = place{f.city, pick(r, f.city.postcodes)}
	}
	other := &firm{co: f.co, city: pl.city, lang: f.lang, postcode: completePostcode(r, f.co, pl.postcode)}
	w.addressFirm(r, other)
	if other.address == f.address {
		return nil
	}
	w.addrs[addrKey(f.co, other.postcode, other.address)] = true
	d := g.row(f)
	d.name = casing(r, f.name, 0.35)
	d.address = casing(r, other.address, 0.3)
	d.postcode = postcodeText(r, f.co, other.postcode)
	d.cityName = cityText(r, other.city, other.postcode)
	return d
}

// ambiguous: rows no one could decide from the data: a chain named without any place,
// a chain named with a town holding several of its branches, or a name shared by two
// companies of a town (different legal forms) written without its legal form and
// without an address telling them apart. The truth is the company the distributor meant.
func (g *gen) ambiguous() *draft {
	r := g.r
	start := r.intn(3)
	for k := 0; k < 6; k++ { // first only companies no row used yet, then any
		var d *draft
		switch (start + k) % 3 {
		case 0:
			if f := g.takeNew("ambiguous/chain", k < 3, func(f *firm) bool {
				return f.kind == kindChain && len(g.brands[f.co.code+"|"+f.chain.brand]) > 1
			}); f != nil {
				d = g.row(f)
				d.name = casing(r, f.chain.brand, 0.4)
			}
		case 1:
			if f := g.takeNew("ambiguous/chaintown", k < 3, func(f *firm) bool {
				return f.kind == kindChain && len(g.branches[f.co.code+"|"+f.chain.brand+"|"+f.city.name]) > 1
			}); f != nil {
				d = g.row(f)
				d.name = casing(r, f.chain.brand, 0.4)
				d.cityName = cityText(r, f.city, f.postcode)
			}
		default:
			if f := g.takeNew("ambiguous/twin", k < 3, func(f *firm) bool { return f.kind == kindDecoy && f.twinForm }); f != nil {
				d = g.row(f)
				d.name = casing(r, f.core, 0.4)
				if f.address == f.twin.address && r.chance(0.6) {
					d.address = f.address
				}
				if f.postcode == f.twin.postcode {
					d.postcode = postcodeText(r, f.co, f.postcode)
				}
				d.cityName = cityText(r, f.city, f.postcode)
			}
		}
		if d != nil {
			d.fresh = true
			return d
		}
	}
	return nil
}
