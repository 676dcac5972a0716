package linkage

import (
	"context"
	"testing"

	"github.com/salesout/salesout/pipeline/match/truth"
)

// fromTruth converts a truth corpus to the engine's types, with the truth and the
// case of each reseller.
func fromTruth(c *truth.Corpus) (companies []Company, resellers []Reseller, want, cases []string) {
	for _, co := range c.Companies {
		companies = append(companies, Company(co))
	}
	for _, r := range c.Resellers {
		resellers = append(resellers, Reseller{Distributor: r.Distributor, ResellerID: r.ResellerID, Name: r.Name,
			Registration: r.Registration, VAT: r.VAT, Address: r.Address, Postcode: r.Postcode, City: r.City, Country: r.Country})
		want = append(want, r.TruePartnerID)
		cases = append(cases, r.Case)
	}
	return companies, resellers, want, cases
}

// accuracy trains on and resolves a corpus and returns the report.
func accuracy(t *testing.T, c *truth.Corpus) (Report, []Result) {
	t.Helper()
	companies, resellers, want, cases := fromTruth(c)
	ix := NewIndex(companies)
	m := ix.Train(resellers)
	res, err := ix.Resolve(context.Background(), m, resellers, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return EvaluateCases(res, want, cases), res
}

// TestAccuracy measures the engine against the committed truth corpus and fails
// unless overall precision ≥ 0.99 and recall ≥ 0.95. Run it with:
//
//	go test -run TestAccuracy -v ./pipeline/match/linkage
func TestAccuracy(t *testing.T) {
	c, err := truth.Load("../../../testdata/matchtruth")
	if err != nil {
		t.Fatal(err)
	}
	rep, _ := accuracy(t, c)
	t.Log("\n" + rep.String())
	if p := rep.Overall.Precision(); p < 0.99 {
		t.Errorf("precision %.4f < 0.99", p)
	}
	if r := rep.Overall.Recall(); r < 0.95 {
		t.Errorf("recall %.4f < 0.95", r)
	}
}

// TestAccuracyOtherSeed checks that the engine generalises: the same thresholds on a
// corpus generated with another seed.
func TestAccuracyOtherSeed(t *testing.T) {
	rep, _ := accuracy(t, truth.Generate(7, 3000, 1500))
	t.Log("\n" + rep.String())
	if p := rep.Overall.Precision(); p < 0.99 {
		t.Errorf("precision %.4f < 0.99", p)
	}
	if r := rep.Overall.Recall(); r < 0.95 {
		t.Errorf("recall %.4f < 0.95", r)
	}
}
