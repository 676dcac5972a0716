package truth

import (
	"slices"
	"strings"
)

// This file gives companies their registration and VAT numbers (with valid check
// digits, unique in the world) and prints them as the channel database and as
// distributors write them.

// assignIDs gives f every identifier a company of its country and legal form has, none
// of them used by another company. (The tests check them with idKeys.)
func (w *world) assignIDs(r *rng, f *firm) {
	for {
		f.regFull, f.vatFull, f.siret = newIDs(r, f)
		keys := [3]string{f.regFull, f.vatFull}
		if f.co.code == "AU" && f.vatFull != "" {
			keys[2] = f.vatFull[2:] // an ABN contains the ACN (or a base number)
		}
		if slices.ContainsFunc(keys[:], func(k string) bool { return k != "" && w.usedIDs[k] }) {
			continue
		}
		for _, k := range keys {
			if k != "" {
				w.usedIDs[k] = true
			}
		}
		return
	}
}

// formIs reports whether f has one of the legal forms.
func formIs(f *firm, shorts ...string) bool {
	if f.form == nil {
		return false
	}
	for _, s := range shorts {
		if f.form.short == s {
			return true
		}
	}
	return false
}

// newIDs draws the identifiers of f: registration, VAT and (France) the SIRET of its
// head office.
func newIDs(r *rng, f *firm) (reg, vat, siret string) {
	switch f.co.code {
	case "FR":
		siren := luhnComplete(pick(r, []string{"3", "4", "5", "7", "8", "9"}) + r.digits(7))
		nic := "000" + itoa(r.between(1, 9))
		if r.chance(0.3) {
			nic = "00" + itoa(r.between(10, 99))
		}
		return siren, "FR" + frVATKey(siren) + siren, luhnComplete(siren + nic)
	case "DE":
		d8 := itoa(r.between(1, 3)) + r.digits(7)
		vat = "DE" + d8 + string(deVATCheck(d8))
		switch {
		case f.form == nil:
		case formIs(f, "GmbH", "AG", "UG (haftungsbeschränkt)"):
			reg = "HRB " + itoa(r.between(1000, 250000))
		default:
			reg = "HRA " + itoa(r.between(1000, 99999))
		}
		return reg, vat, ""
	case "GB":
		d7 := itoa(r.between(1, 9)) + r.digits(6)
		vat = "GB" + d7 + gbVATCheck(d7)
		switch {
		case f.form == nil:
		case formIs(f, "LLP"):
			reg = "OC" + r.digits(6)
		case f.city.name == "Glasgow" || f.city.name == "Edinburgh" || f.city.name == "Aberdeen":
			reg = "SC" + r.digits(6)
		case f.city.name == "Belfast":
			reg = "NI" + r.digits(6)
		default:
			reg = "0" + itoa(r.between(1, 9)) + r.digits(6)
		}
		return reg, vat, ""
	case "US":
		prefixes := []string{"04", "13", "20", "26", "27", "30", "36", "45", "46", "47", "51", "61", "74", "75", "81", "82", "84", "87", "88", "91", "93", "95"}
		return pick(r, prefixes) + "-" + r.digits(7), "", ""
	case "NL":
		for {
			d8 := "8" + r.digits(7)
			if c, ok := nlElfCheck(d8); ok {
				return itoa(r.between(1, 9)) + r.digits(7), "NL" + d8 + string(c) + "B01", ""
			}
		}
	case "BE":
		d8 := "0" + itoa(r.between(2, 9)) + r.digits(6)
		n := d8 + beCheck(d8)
		return n[:4] + "." + n[4:7] + "." + n[7:], "BE" + n, ""
	case "ES":
		if f.form == nil {
			d8 := r.digits(8)
			nif := d8 + string(esNIFLetter(d8))
			return nif, "ES" + nif, ""
		}
		letter := "B"
		if formIs(f, "S.A.") {
			letter = "A"
		}
		d7 := f.postcode[:2] + r.digits(5)
		cif := letter + d7 + string(esCIFCheck(d7))
		return cif, "ES" + cif, ""
	case "IT":
		office := pad(r.between(1, 100), 3)
		piva := luhnComplete(r.digits(7) + office)
		return piva, "IT" + piva, ""
	case "CH":
		for {
			d8 := r.digits(8)
			if c, ok := chUIDCheck(d8); ok {
				uid := d8 + string(c)
				reg = "CHE-" + uid[:3] + "." + uid[3:6] + "." + uid[6:]
				return reg, reg + " " + swissVATSuffix(f.lang.code), ""
			}
		}
	case "CA":
		bn := luhnComplete(itoa(r.between(1, 9)) + r.digits(7))
		return bn, bn + "RT0001", ""
	case "AU":
		if f.form == nil {
			return "", abnFor(r.digits(9)), ""
		}
		d8 := r.digits(8)
		acn := d8 + string(acnCheck(d8))
		return acn, abnFor(acn), ""
	}
	return "", "", ""
}

// swissVATSuffix is what follows a Swiss UID to make it a VAT number, per language.
func swissVATSuffix(lang string) string {
	switch lang {
	case "fr":
		return "TVA"
	case "it":
		return "IVA"
	}
	return "MWST"
}

// printIDs chooses which identifiers the channel database holds and how it prints them:
// most companies have a registration, about half a VAT number; French ones are listed
// by SIREN, some by the SIRET of their head office.
func (w *world) printIDs(r *rng, f *firm) {
	p := idShares[f.co.code]
	if r.chance(p.reg) {
		f.reg = f.regFull
		if f.co.code == "FR" && r.chance(0.2) {
			f.reg = f.siret
		}
	}
	if r.chance(p.vat) {
		f.vat = f.vatFull
	}
}

// idShares are the shares of companies whose registration and VAT number the channel
// database holds, per country.
var idShares = map[string]struct{ reg, vat float64 }{
	"FR": {0.92, 0.5}, "DE": {0.75, 0.55}, "GB": {0.8, 0.55}, "US": {0.4, 0}, "NL": {0.85, 0.5}, "BE": {0.9, 0.6},
	"ES": {0.7, 0.6}, "IT": {0.6, 0.8}, "CH": {0.8, 0.55}, "CA": {0.5, 0.5}, "AU": {0.7, 0.8},
}

// sharedKeyCountries are those where the registration and the VAT number carry the same
// identity (a FR VAT number contains the SIREN): either identifies a company.
var sharedKeyCountries = "FR BE ES IT CH CA AU"

// printedIDs returns a registration and a VAT number as a distributor would print them
// for f, such that at least one identifies f in the channel database: a SIRET for a
// company listed by SIREN, a VAT number for one listed by registration, spaces, dots,
// a lost leading zero.
func printedIDs(r *rng, f *firm) (reg, vat string) {
	shared := strings.Contains(sharedKeyCountries, f.co.code)
	haveReg := f.regFull != "" && (f.reg != "" || (shared && f.vat != ""))
	haveVAT := f.vatFull != "" && (f.vat != "" || (shared && f.reg != ""))
	switch {
	case haveReg && haveVAT:
		switch x := r.float(); {
		case x < 0.45:
			reg = printReg(r, f)
		case x < 0.8:
			vat = printVAT(r, f)
		default:
			reg, vat = printReg(r, f), printVAT(r, f)
		}
	case haveReg:
		reg = printReg(r, f)
	case haveVAT:
		vat = printVAT(r, f)
	}
	return reg, vat
}

// spaced groups digits: spaced("552100554", 3, 3, 3) = "552 100 554".
func spaced(s string, sep string, groups ...int) string {
	var parts []string
	for _, g := range groups {
		if len(s) <= g {
			break
		}
		parts, s = append(parts, s[:g]), s[g:]
	}
	return strings.Join(append(parts, s), sep)
}

// printReg prints f's registration the way clerks type it.
func printReg(r *rng, f *firm) string {
	s := f.regFull
	switch f.co.code {
	case "FR":
		return pick(r, []string{spaced(s, " ", 3, 3), s, f.siret, spaced(f.siret, " ", 3, 3, 3), f.siret})
	case "DE":
		return pick(r, []string{s, strings.ReplaceAll(s, " ", ""), "Amtsgericht " + f.city.name + " " + s})
	case "GB":
		return pick(r, []string{s, strings.TrimLeft(s, "0")})
	case "US":
		return pick(r, []string{s, strings.ReplaceAll(s, "-", "")})
	case "NL":
		return pick(r, []string{s, "KvK " + s})
	case "BE":
		c := compact(s)
		return pick(r, []string{s, spaced(c, " ", 4, 3), c[1:]})
	case "ES":
		if s[0] >= '0' && s[0] <= '9' { // a sole trader's NIF: 12345678-Z
			return pick(r, []string{s, s[:8] + "-" + s[8:]})
		}
		return pick(r, []string{s, s[:1] + "-" + s[1:]})
	case "IT":
		return pick(r, []string{s, strings.TrimLeft(s, "0")})
	case "CH":
		return pick(r, []string{s, compact(s)})
	case "CA":
		return pick(r, []string{s, spaced(s, " ", 3, 3)})
	case "AU":
		return pick(r, []string{spaced(s, " ", 3, 3), s})
	}
	return s
}

// printVAT prints f's VAT number the way clerks type it.
func printVAT(r *rng, f *firm) string {
	s := f.vatFull
	switch f.co.code {
	case "FR":
		return pick(r, []string{"FR " + s[2:4] + " " + spaced(s[4:], " ", 3, 3), s, s[:4] + " " + s[4:]})
	case "DE", "GB":
		return pick(r, []string{s[:2] + " " + spaced(s[2:], " ", 3, 3), s, s[2:]})
	case "NL":
		return pick(r, []string{s, s[:2] + " " + s[2:6] + "." + s[6:8] + "." + s[8:11] + "." + s[11:]})
	case "BE":
		return pick(r, []string{"BE " + s[2:6] + "." + s[6:9] + "." + s[9:], s})
	case "ES", "IT":
		return pick(r, []string{s[:2] + " " + s[2:], s})
	case "CH":
		return pick(r, []string{s, f.regFull})
	case "CA":
		return pick(r, []string{s[:9] + " " + s[9:], s})
	case "AU":
		return pick(r, []string{spaced(s, " ", 2, 3, 3), s})
	}
	return s
}
