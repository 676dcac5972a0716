package linkage

import (
	"strings"
	"testing"
)

func TestEvaluate(t *testing.T) {
	results := []Result{
		{PartnerID: "A", Method: MethodVAT},
		{PartnerID: "B", Method: MethodProbabilistic},
		{PartnerID: "X", Method: MethodProbabilistic},
		{Review: true, ReviewReason: "no candidate"},
		{Review: true, ReviewReason: "no candidate"},
	}
	truth := []string{"A", "B", "C", "D", ""}
	cases := []string{"key", "variant", "variant", "variant", "absent"}
	rep := EvaluateCases(results, truth, cases)
	o := rep.Overall
	if o.Resellers != 5 || o.InDB != 4 || o.Matched != 3 || o.Correct != 2 || o.Review != 2 {
		t.Fatalf("overall %+v", o)
	}
	if o.Precision() != 2.0/3 || o.Recall() != 0.5 {
		t.Errorf("precision %v recall %v", o.Precision(), o.Recall())
	}
	if p := rep.ByMethod[MethodProbabilistic]; p.Matched != 2 || p.Correct != 1 {
		t.Errorf("probabilistic %+v", p)
	}
	if u := rep.ByMethod["(unmatched)"]; u.Resellers != 2 || u.Matched != 0 {
		t.Errorf("unmatched %+v", u)
	}
	if a := rep.ByCase["absent"]; a.Precision() != 1 || a.Recall() != 1 {
		t.Errorf("absent %+v", a)
	}
	s := rep.String()
	for _, want := range []string{"overall", "precision", "probabilistic", "(unmatched)", "absent", "0.6667"} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q:\n%s", want, s)
		}
	}
	if r := Evaluate(results, truth); len(r.ByCase) != 0 || strings.Contains(r.String(), "case") {
		t.Error("Evaluate without cases reports cases")
	}
}
