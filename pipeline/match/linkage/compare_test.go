package linkage

import (
	"testing"
)

// TestCompareLevels checks the levels given to pairs of a reseller and a company.
func TestCompareLevels(t *testing.T) {
	ix := NewIndex(fixtureCompanies())
	company := func(id string) *record { return &ix.recs[ix.byPartner[id]] }
	reseller := func(r Reseller) *record { return &ix.prepareResellers([]Reseller{r}, 1)[0] }
	for _, c := range []struct {
		name    string
		r       Reseller
		company string
		want    map[comparison]uint8
	}{
		{"same company", Reseller{Name: "DUPONT ELECTRICITE SARL", Address: "12 r. de la Gare", Postcode: "86000", Country: "FR"}, "P1",
			map[comparison]uint8{cmpName: nameExact, cmpLegalForm: 1, cmpPostcode: 1, cmpCity: levelNull, cmpStreet: 1, cmpNumber: 1, cmpCountry: 1}},
		{"other legal form", Reseller{Name: "Dupont Electricite SARL", Postcode: "86000", Country: "FR"}, "P2",
			map[comparison]uint8{cmpName: nameExact, cmpLegalForm: 3, cmpPostcode: 1}},
		{"words in conflict", Reseller{Name: "Smith Widgets", Postcode: "SW1A2AA", Country: "UK"}, "P8",
			map[comparison]uint8{cmpName: nameConflict, cmpLegalForm: 2, cmpPostcode: 1}},
		{"another town of the département", Reseller{Name: "Vergnaud Bricolage", Address: "3 avenue Foch", Postcode: "86200", City: "Loudun", Country: "FR"}, "P3",
			map[comparison]uint8{cmpName: nameExact, cmpPostcode: 2, cmpCity: 3, cmpStreet: levelNull, cmpNumber: levelNull}},
		{"another country", Reseller{Name: "Vergnaud Bricolage", Postcode: "86100", Country: "BE"}, "P3",
			map[comparison]uint8{cmpName: nameExact, cmpCountry: 2, cmpPostcode: levelNull, cmpCity: levelNull}},
		{"identifiers disagree", Reseller{Name: "Dupont Electricite", Registration: "404833048", Country: "FR"}, "P1",
			map[comparison]uint8{cmpID: 2}},
		{"typo", Reseller{Name: "Vergnaut Bricolage", Postcode: "86100", Country: "FR"}, "P3",
			map[comparison]uint8{cmpName: nameSet85}},
	} {
		p := ix.compare(reseller(c.r), company(c.company), nil)
		for cmp, want := range c.want {
			if p.level[cmp] != want {
				t.Errorf("%s: %s level %d, want %d", c.name, comparisons[cmp].name, p.level[cmp], want)
			}
		}
	}
}

// TestRareWordsWeighMore checks the token-set similarity and the term-frequency
// adjustment: a rare word agreeing counts for more than a common one.
func TestRareWordsWeighMore(t *testing.T) {
	ix, m := fixture(t, nil)
	rare := ix.prepareResellers([]Reseller{{Name: "Vergnaud", Postcode: "86100", Country: "FR"}}, 1)[0]
	common := ix.prepareResellers([]Reseller{{Name: "Bricolage", Postcode: "86100", Country: "FR"}}, 1)[0]
	p3 := &ix.recs[ix.byPartner["P3"]]
	pr, pc := ix.compare(&rare, p3, nil), ix.compare(&common, p3, nil)
	if pr.nameSim <= pc.nameSim {
		t.Errorf("token-set: rare %.2f, common %.2f", pr.nameSim, pc.nameSim)
	}
	if wr, wc := m.weight(&pr), m.weight(&pc); wr <= wc {
		t.Errorf("weight: rare %.1f, common %.1f", wr, wc)
	}
}
