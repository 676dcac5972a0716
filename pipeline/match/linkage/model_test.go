package linkage

import (
	"math"
	"testing"
)

func TestTrainFallsBackToPriors(t *testing.T) {
	ix, m := fixture(t, []Reseller{{Name: "Vergnaud Bricolage", Postcode: "86100"}})
	if !m.FromPriors || m.Labelled != 0 || m.MatchShare != defaultMatchShare {
		t.Fatalf("no identifier: FromPriors %v, Labelled %d, MatchShare %v", m.FromPriors, m.Labelled, m.MatchShare)
	}
	if m.Random != min(randomPairs, ix.Len()) {
		t.Errorf("Random = %d", m.Random)
	}
	i := 0
	for _, spec := range comparisons {
		for l := 1; l < len(spec.levels); l++ {
			if row := m.Rows()[i]; row.Comparison != spec.name || row.Level != spec.levels[l].label || row.M != spec.levels[l].prior {
				t.Errorf("row %d = %+v, want %s %s M=%v", i, row, spec.name, spec.levels[l].label, spec.levels[l].prior)
			}
			i++
		}
	}
}

func TestTrainLearnsFromIdentifiers(t *testing.T) {
	var rs []Reseller
	for _, c := range fixtureCompanies()[:1] {
		for k := 0; k < MinLabelled+5; k++ {
			rs = append(rs, Reseller{Name: c.Name, Registration: c.Registration, Address: c.Address, Postcode: c.Postcode, City: c.City, Country: c.Country})
		}
	}
	_, m := fixture(t, rs)
	if m.FromPriors || m.Labelled != MinLabelled+5 {
		t.Fatalf("FromPriors %v, Labelled %d", m.FromPriors, m.Labelled)
	}
	for _, row := range m.Rows() {
		if row.Comparison == "name" && row.Level == "exact" {
			want := (float64(MinLabelled+5) + priorStrength*comparisons[cmpName].levels[nameExact].prior) / (float64(MinLabelled+5) + priorStrength)
			if math.Abs(row.M-want) > 1e-9 || row.Matches != MinLabelled+5 {
				t.Errorf("name exact M = %v (%d pairs), want %v", row.M, row.Matches, want)
			}
		}
	}
}

// TestRowsWeights checks that every weight is log2(M/U), disagreement levels never
// adding bits.
func TestRowsWeights(t *testing.T) {
	_, m := fixture(t, cascadeResellers())
	for _, row := range m.Rows() {
		w := math.Log2(row.M / row.U)
		disagree := false
		for _, spec := range comparisons {
			for _, l := range spec.levels {
				if spec.name == row.Comparison && l.label == row.Level {
					disagree = l.disagree
				}
			}
		}
		if disagree {
			w = math.Min(w, 0)
		}
		if math.Abs(row.Weight-w) > 1e-9 || row.M <= 0 || row.M > 1 || row.U <= 0 || row.U > 1 {
			t.Errorf("%+v: weight should be %v", row, w)
		}
	}
}

func TestPosterior(t *testing.T) {
	m := &Model{PriorBits: -10}
	p := m.posterior([]float64{20, 20, 0})
	if math.Abs(p[0]-p[1]) > 1e-12 || p[0] >= 0.5 || p[2] > 1e-5 {
		t.Errorf("two equal candidates share the probability: %v", p)
	}
	if p := m.posterior([]float64{30}); p[0] < 0.999 {
		t.Errorf("a strong lone candidate: %v", p)
	}
}
