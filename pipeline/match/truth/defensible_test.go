package truth

import (
	"fmt"
	"strings"
	"testing"
)

// index looks companies up the ways the defensibility checks need.
type index struct {
	byID     map[string]Company
	byTown   map[[2]string][]Company // country, city
	byPC     map[[2]string][]Company // country, postcode (compact)
	national map[[2]string]int       // country, name key → companies
}

func newIndex(c *Corpus) *index {
	ix := &index{byID: map[string]Company{}, byTown: map[[2]string][]Company{}, byPC: map[[2]string][]Company{},
		national: map[[2]string]int{}}
	for _, co := range c.Companies {
		ix.byID[co.PartnerID] = co
		ix.byTown[[2]string{co.Country, co.City}] = append(ix.byTown[[2]string{co.Country, co.City}], co)
		ix.byPC[[2]string{co.Country, normPC(co.Country, co.Postcode)}] = append(ix.byPC[[2]string{co.Country, normPC(co.Country, co.Postcode)}], co)
		ix.national[[2]string{co.Country, canonKey(co.Name)}]++
	}
	return ix
}

// normPC compacts a postcode and restores the leading zero French ones lose.
func normPC(country, pc string) string {
	pc = compact(pc)
	if country == "FR" && len(pc) == 4 {
		pc = "0" + pc
	}
	return pc
}

// twins returns the other companies of co's town whose name is co's, legal form aside,
// or one or two edits away from it.
func (ix *index) twins(co Company) []Company {
	var out []Company
	k := strings.Join(canonTokens(co.Name, nil), " ")
	for _, o := range ix.byTown[[2]string{co.Country, co.City}] {
		if o.PartnerID != co.PartnerID && editDistance(strings.Join(canonTokens(o.Name, nil), " "), k) <= 2 {
			out = append(out, o)
		}
	}
	return out
}

// editDistance is the Levenshtein distance between two strings (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// defensibility holds, per case, what makes its truth decidable (or, for ambiguous
// rows, undecidable); each returns an error describing a violation.
var defensibility = map[string]func(ix *index, r Reseller, co Company) error{
	caseVariant: func(ix *index, r Reseller, co Company) error {
		if upperASCII(r.Name) == upperASCII(co.Name) {
			return fmt.Errorf("only the case differs")
		}
		return noOtherWithKey(ix, r, co)
	},
	caseLegalForm: func(ix *index, r Reseller, co Company) error {
		if canonKey(r.Name) != canonKey(co.Name) || upperASCII(r.Name) == upperASCII(co.Name) {
			return fmt.Errorf("want the same name with another legal form spelling")
		}
		return noOtherWithKey(ix, r, co)
	},
	caseAbbreviation: func(ix *index, r Reseller, co Company) error {
		if upperASCII(r.Name) == upperASCII(co.Name) && upperASCII(r.Address) == upperASCII(co.Address) {
			return fmt.Errorf("nothing abbreviated")
		}
		return nil
	},
	caseMissingIDs: func(ix *index, r Reseller, co Company) error {
		if upperASCII(r.Address) != upperASCII(co.Address) || normPC(co.Country, r.Postcode) != normPC(co.Country, co.Postcode) {
			return fmt.Errorf("address or postcode differ")
		}
		return nil
	},
	caseDensePC: func(ix *index, r Reseller, co Company) error {
		if n := len(ix.byPC[[2]string{co.Country, normPC(co.Country, co.Postcode)}]); n < denseMin {
			return fmt.Errorf("postcode %s holds %d companies", co.Postcode, n)
		}
		return noOtherWithKey(ix, r, co)
	},
	caseDecoy: func(ix *index, r Reseller, co Company) error {
		if len(ix.twins(co)) == 0 {
			return fmt.Errorf("no near-identical company in %s", co.City)
		}
		if editDistance(upperASCII(r.Name), upperASCII(co.Name)) > 0 && canonKey(r.Name) != canonKey(co.Name) {
			return fmt.Errorf("not spelled exactly")
		}
		return nil
	},
	caseChainBranch: func(ix *index, r Reseller, co Company) error {
		if r.Postcode == "" && r.City == "" && r.Address == "" {
			return fmt.Errorf("no place given")
		}
		return nil
	},
	caseRenamed: func(ix *index, r Reseller, co Company) error {
		if canonKey(r.Name) == canonKey(co.Name) {
			return fmt.Errorf("same name")
		}
		if upperASCII(r.Address) != upperASCII(co.Address) || normPC(co.Country, r.Postcode) != normPC(co.Country, co.Postcode) {
			return fmt.Errorf("address or postcode differ")
		}
		for _, o := range ix.byPC[[2]string{co.Country, normPC(co.Country, co.Postcode)}] {
			if o.PartnerID != co.PartnerID && upperASCII(o.Address) == upperASCII(co.Address) {
				return fmt.Errorf("%s shares the address", o.PartnerID)
			}
		}
		return nil
	},
	caseMoved: func(ix *index, r Reseller, co Company) error {
		if canonKey(r.Name) != canonKey(co.Name) || upperASCII(r.Address) == upperASCII(co.Address) {
			return fmt.Errorf("want the same name at another address")
		}
		if n := ix.national[[2]string{co.Country, canonKey(co.Name)}]; n != 1 {
			return fmt.Errorf("%d companies of the country have the name", n)
		}
		return nil
	},
	caseAmbiguous: func(ix *index, r Reseller, co Company) error {
		if len(ix.twins(co)) == 0 && ix.national[[2]string{co.Country, canonKey(co.Name)}] < 2 &&
			!strings.HasPrefix(upperASCII(co.Name), upperASCII(r.Name)) {
			return fmt.Errorf("nothing makes it ambiguous")
		}
		return nil
	},
}

// noOtherWithKey requires that no other company of the truth's town has the row's name key.
func noOtherWithKey(ix *index, r Reseller, co Company) error {
	k := canonKey(r.Name)
	for _, o := range ix.byTown[[2]string{co.Country, co.City}] {
		if o.PartnerID != co.PartnerID && canonKey(o.Name) == k {
			return fmt.Errorf("%s %q has the same name key", o.PartnerID, o.Name)
		}
	}
	return nil
}

// checkDefensible runs the case checks on every row, and requires rows of the cases that
// do not carry identifiers to carry none.
func checkDefensible(t *testing.T, c *Corpus) {
	t.Helper()
	ix := newIndex(c)
	withIDs := map[string]bool{caseExactKey: true, caseRenamed: true, caseAbsent: true}
	for i, r := range c.Resellers {
		if !withIDs[r.Case] && (r.Registration != "" || r.VAT != "") {
			t.Errorf("reseller %d (%s) carries identifiers", i+1, r.Case)
		}
		if r.Case == caseAbsent {
			for _, o := range ix.byPC[[2]string{countryOfRow(r), normPC(countryOfRow(r), r.Postcode)}] {
				if r.Postcode != "" && canonKey(o.Name) == canonKey(r.Name) {
					t.Errorf("reseller %d (absent) %q: %s has the same name at the postcode", i+1, r.Name, o.PartnerID)
				}
			}
			continue
		}
		check := defensibility[r.Case]
		if check == nil {
			continue
		}
		if err := check(ix, r, ix.byID[r.TruePartnerID]); err != nil {
			t.Errorf("reseller %d (%s) %q → %s %q: %v", i+1, r.Case, r.Name, r.TruePartnerID, ix.byID[r.TruePartnerID].Name, err)
		}
	}
}

// TestDefensible checks the cases on a corpus larger than the committed one.
func TestDefensible(t *testing.T) {
	c := Generate(11, 20000, 8000)
	checkCaseCounts(t, c, 100)
	checkTruth(t, c)
	checkIdentifiers(t, c)
	checkDefensible(t, c)
}

// TestNearSurnames: the surnames decoys are made of are one or two edits apart.
func TestNearSurnames(t *testing.T) {
	for _, co := range countries() {
		for _, p := range co.near {
			a, b := strings.ToLower(fold(p[0])), strings.ToLower(fold(p[1]))
			if d := editDistance(a, b); d < 1 || d > 2 {
				t.Errorf("%s: %s/%s are %d edits apart", co.code, p[0], p[1], d)
			}
		}
	}
}
