package linkage

import (
	"math"
	"strings"
)

// keyMatch is the registration, vat and siren steps: the company whose identifier
// equals the reseller's, when only one has it or only one of those is in the
// reseller's postcode; -1 otherwise.
func (ix *Index) keyMatch(r *record, rejected map[string]bool) (int32, string) {
	k := r.keys
	byVAT := func() (int32, string) {
		if k.vat != "" {
			if c := ix.uniqueIn(ix.byVAT[k.vat], r, rejected); c >= 0 {
				return c, MethodVAT
			}
		}
		return -1, ""
	}
	if k.regFromVAT {
		if c, m := byVAT(); c >= 0 {
			return c, m
		}
	}
	if k.reg != "" {
		if c := ix.uniqueIn(ix.regBlock(k.reg), r, rejected); c >= 0 {
			return c, MethodRegistration
		}
	}
	if c, m := byVAT(); c >= 0 {
		return c, m
	}
	if k.siren != "" {
		if c := ix.uniqueIn(ix.bySIREN[k.siren], r, rejected); c >= 0 {
			return c, MethodSIREN
		}
	}
	return -1, ""
}

// regBlock returns the companies with a registration key; a key of unknown country
// (":digits") is looked up in every country.
func (ix *Index) regBlock(key string) []int32 {
	if key[0] != ':' {
		return ix.byReg[key]
	}
	var ids []int32
	for _, cc := range ix.countries {
		ids = append(ids, ix.byReg[cc+key]...)
	}
	return ids
}

// uniqueIn returns the only company of ids that is not rejected, else the only one of
// them in the reseller's postcode, else -1.
func (ix *Index) uniqueIn(ids []int32, r *record, rejected map[string]bool) int32 {
	only, inPostcode, inCount, count := int32(-1), int32(-1), 0, 0
	for _, c := range ids {
		if rejected[ix.companies[c].PartnerID] {
			continue
		}
		count++
		only = c
		if r.pc != "" && ix.recs[c].pc == r.pc {
			inCount++
			inPostcode = c
		}
	}
	switch {
	case count == 1:
		return only
	case inCount == 1:
		return inPostcode
	}
	return -1
}

// exactName is the exact_name step: the one company with the reseller's normalised
// name and a compatible legal form (the same, or one side without), in its postcode or,
// failing any in the postcode, in its town; no identifier may disagree. Failing that,
// a company that moved: the only company of the country with that name, in the same
// postcode area (département, outward code), the name distinctive (its words together
// at most as frequent as one company in the channel database).
func (ix *Index) exactName(r *record, rejected map[string]bool) (int32, string) {
	if r.name.Full == "" || r.pc == "" && r.city == "" {
		return -1, ""
	}
	byPC, byCity := int32(-1), int32(-1)
	nPC, nCity := 0, 0
	var same []int32
	if r.country != "" {
		same = ix.byName[placeKey(r.country, r.name.Full)]
	} else {
		for _, cc := range ix.countries {
			same = append(same, ix.byName[placeKey(cc, r.name.Full)]...)
		}
	}
	for _, c := range same {
		if !ix.compatible(r, c, rejected) {
			continue
		}
		rc := &ix.recs[c]
		if r.pc != "" && rc.pc == r.pc {
			nPC++
			byPC = c
		} else if r.city != "" && rc.city == r.city {
			nCity++
			byCity = c
		}
	}
	switch {
	case nPC == 1:
		return byPC, "same normalised name in the same postcode, unique"
	case nPC == 0 && nCity == 1:
		return byCity, "same normalised name in the same town, unique"
	case nPC == 0 && nCity == 0 && len(same) == 1 && ix.compatible(r, same[0], rejected) &&
		r.pcArea != "" && ix.recs[same[0]].pcArea == r.pcArea && ix.distinctive(r):
		return same[0], "same distinctive normalised name, the only one in the country, in the same postcode area: moved"
	}
	return -1, ""
}

// compatible says whether company c may be the reseller by exact name: not rejected,
// legal forms not different, identifiers not disagreeing.
func (ix *Index) compatible(r *record, c int32, rejected map[string]bool) bool {
	rc := &ix.recs[c]
	return !rejected[ix.companies[c].PartnerID] &&
		(r.name.LegalKey == "" || rc.name.LegalKey == "" || r.name.LegalKey == rc.name.LegalKey) &&
		(r.keys.empty() || rc.keys.empty() || r.keys.agree(rc.keys))
}

// distinctive says whether the words of a name, together, are at most as frequent as
// one company among the companies of the index.
func (ix *Index) distinctive(r *record) bool {
	logTF := 0.0
	for _, w := range r.words {
		logTF += w.logDF
	}
	return logTF <= -math.Log(math.Max(2, float64(ix.n)))
}

// keyWhy says which identifier decided.
func keyWhy(r *record, method string) string {
	switch method {
	case MethodRegistration:
		return "registration " + r.keys.reg[1+strings.IndexByte(r.keys.reg, ':'):] + " equal"
	case MethodVAT:
		return "VAT " + r.keys.vat + " equal"
	}
	return "SIREN " + r.keys.siren + " equal"
}
