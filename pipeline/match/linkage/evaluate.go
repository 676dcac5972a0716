package linkage

import (
	"fmt"
	"sort"
	"strings"
)

// Tally counts the outcome of a group of resellers against their truth.
type Tally struct {
	Resellers int // in the group
	InDB      int // whose true company is in the channel database
	Matched   int // matched to a company
	Correct   int // matched to their true company
	Review    int // flagged for review
}

// Precision is correct matches / matches made (1 when none was made).
func (t Tally) Precision() float64 {
	if t.Matched == 0 {
		return 1
	}
	return float64(t.Correct) / float64(t.Matched)
}

// Recall is correct matches / resellers whose true company is in the channel database
// (1 when there is none).
func (t Tally) Recall() float64 {
	if t.InDB == 0 {
		return 1
	}
	return float64(t.Correct) / float64(t.InDB)
}

func (t *Tally) add(r Result, truth string) {
	t.Resellers++
	if truth != "" {
		t.InDB++
	}
	if r.PartnerID != "" {
		t.Matched++
		if r.PartnerID == truth {
			t.Correct++
		}
	}
	if r.Review {
		t.Review++
	}
}

// Report is the accuracy of a resolution: overall, per method (unmatched resellers
// under "(unmatched)") and, when cases were given, per case. Each tally counts the
// resellers of its group, so the recall of a method is that of the resellers it
// decided; the overall recall is the one that says how many resellers found their
// company.
type Report struct {
	Overall  Tally
	ByMethod map[string]Tally
	ByCase   map[string]Tally
}

// Evaluate compares results with the truth, truth[i] being the partner_id reseller i
// really is ("" when it is in no company of the channel database).
func Evaluate(results []Result, truth []string) Report { return EvaluateCases(results, truth, nil) }

// EvaluateCases is Evaluate with a tally per case as well, cases[i] naming the case of
// reseller i.
func EvaluateCases(results []Result, truth, cases []string) Report {
	rep := Report{ByMethod: map[string]Tally{}, ByCase: map[string]Tally{}}
	for i, r := range results {
		rep.Overall.add(r, truth[i])
		method := r.Method
		if r.PartnerID == "" {
			method = "(unmatched)"
		}
		t := rep.ByMethod[method]
		t.add(r, truth[i])
		rep.ByMethod[method] = t
		if cases != nil {
			t := rep.ByCase[cases[i]]
			t.add(r, truth[i])
			rep.ByCase[cases[i]] = t
		}
	}
	return rep
}

// String renders the report as a table.
func (rep Report) String() string {
	var b strings.Builder
	row := func(label string, t Tally) {
		fmt.Fprintf(&b, "%-16s %9d %7d %8d %8d %7d %9.4f %7.4f\n", label, t.Resellers, t.InDB, t.Matched, t.Correct,
			t.Review, t.Precision(), t.Recall())
	}
	header := func(title string) {
		fmt.Fprintf(&b, "%-16s %9s %7s %8s %8s %7s %9s %7s\n", title, "resellers", "in_db", "matched", "correct",
			"review", "precision", "recall")
	}
	group := func(title string, m map[string]Tally) {
		if len(m) == 0 {
			return
		}
		b.WriteString("\n")
		header(title)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			row(k, m[k])
		}
	}
	header("")
	row("overall", rep.Overall)
	group("method", rep.ByMethod)
	group("case", rep.ByCase)
	return b.String()
}
