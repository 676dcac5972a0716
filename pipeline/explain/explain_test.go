package explain

import (
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/explain/explaintest"
	"github.com/salesout/salesout/pipeline/score"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func near(a, b float64) bool { return math.Abs(a-b) < 0.006 }

// TestExplainFixture checks the figures of territory T1 against hand-computed values
// (explaintest's comment shows the sums).
func TestExplainFixture(t *testing.T) {
	conn := openFixture(t, "")
	e, err := ExplainTop(context.Background(), conn, explaintest.AsOf, "territory", "T1", "revenue", 0)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		what      string
		got, want float64
	}{
		{"actual", e.Actual, 5200},
		{"last year", e.LastYear, 7500},
		{"last year in full", e.LastYearFull, 13200},
		{"yoy %", e.YoYPct, -30.67},
		{"target (120000 x 74 / 365)", e.Target, 24328.77},
		{"annual target", e.AnnualTarget, 120000},
		{"pace (5200 x 13200 / 7500)", e.PaceYearEnd, 9152},
		{"months left (9 + 16/31)", e.MonthsLeft, 9 + 16.0/31},
		{"needed per month", e.NeededPerMonth, 12063.73},
		{"unattributed (the unrecognised reseller of 69002)", e.Unattributed, 900},
	}
	for _, c := range checks {
		if !near(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
	if e.Name != "T1" || e.Detail != "reps Ann Smith" || e.PaceMethod != "last_year" || e.Phasing != "even" || !e.HasLastYear {
		t.Errorf("name %q, detail %q, pace %q, phasing %q, has last year %v", e.Name, e.Detail, e.PaceMethod, e.Phasing, e.HasLastYear)
	}
	want := map[string]string{ // kind/id: actual, last year
		"partner/P1": "1700/4500", "partner/P2": "3500/3000",
		"distributor/ACME": "3400/3000", "distributor/BRAVO": "1800/4500",
		"product_line/Drills": "900/2500", "product_line/Saws": "1800/5000", "product_line/": "2500/0",
	}
	got := map[string]string{}
	for _, c := range e.Contributors {
		got[c.Kind+"/"+c.ID] = strings.TrimSuffix(strings.TrimSuffix(
			jsonNum(c.Actual)+"/"+jsonNum(c.LastYear), ".00"), ".00")
		if !near(c.Delta, c.Actual-c.LastYear) {
			t.Errorf("%s/%s: delta %v, want %v", c.Kind, c.ID, c.Delta, c.Actual-c.LastYear)
		}
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("contributor %s = %s, want %s", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("contributors %v, want %v", got, want)
	}
	// The partners of a territory carry their own target; P1's is 60000 x 74 / 365.
	if c := e.Contributors[0]; c.ID != "P1" || c.Name != "Dupont Électricité" || c.Town != "Lyon" || !near(c.Target, 12164.38) {
		t.Errorf("first contributor %+v, want P1, Dupont Électricité, Lyon, target 12164.38", c)
	}
	// Months: to-date in March, and the sums reconcile with the year to date.
	var actual, target, lastYear float64
	for _, m := range e.Months {
		actual += m.Actual
		target += m.Target
		lastYear += m.LastYear
	}
	if len(e.Months) != 3 || !e.Months[2].Partial || e.Months[1].Partial || !near(e.Months[2].Target, 4931.51) {
		t.Errorf("months %+v", e.Months)
	}
	if !near(actual, e.Actual) || math.Abs(target-e.Target) > 0.02 || !near(lastYear, e.LastYear) {
		t.Errorf("months add up to %v / %v / %v, want %v / %v / %v", actual, target, lastYear, e.Actual, e.Target, e.LastYear)
	}
}

func jsonNum(v float64) string { b, _ := json.Marshal(v); return string(b) }

// TestExplainGolden explains one scope of each kind of the fixture, and compares with
// testdata/fixture.golden.json (go test -run TestExplainGolden -update rewrites it).
func TestExplainGolden(t *testing.T) {
	conn := openFixture(t, "")
	cases := []struct{ scope, id, kpi string }{
		{"total", "", "revenue"},
		{"territory", "T1", "revenue"},
		{"sales_rep", "R1", "revenue"},        // monthly target rows
		{"partner", "P1", "revenue"},          // a partner's distributors and product lines
		{"distributor", "ACME", "units"},      // units
		{"product_line", "Drills", "revenue"}, // no target: the figures come from the lines
		{"territory", "T9", "revenue"},        // no such territory: zeros, no error
	}
	var all []Explanation
	for _, c := range cases {
		e, err := ExplainTop(context.Background(), conn, explaintest.AsOf, c.scope, c.id, c.kpi, 2)
		if err != nil {
			t.Fatalf("%s %s: %v", c.scope, c.id, err)
		}
		all = append(all, e)
	}
	got, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "fixture.golden.json")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if strings.TrimSpace(string(want)) != strings.TrimSpace(string(got)) {
		t.Errorf("explanations differ from %s (run with -update and review the diff):\n%s", golden, got)
	}
}

// TestExplainSums: with every contributor listed, each kind partitions the scope's lines
// (the unrecognised resellers and unknown products are a contributor of their own);
// with the default top, the listed ones and Others add up the same.
func TestExplainSums(t *testing.T) {
	conn := openFixture(t, "")
	for _, c := range []struct{ scope, id, kpi string }{
		{"total", "", "revenue"}, {"total", "", "units"}, {"territory", "T1", "revenue"}, {"sales_rep", "R2", "revenue"},
		{"partner", "P2", "units"}, {"distributor", "BRAVO", "revenue"}, {"product_line", "Saws", "units"},
	} {
		for _, top := range []int{0, 1} {
			e, err := ExplainTop(context.Background(), conn, explaintest.AsOf, c.scope, c.id, c.kpi, top)
			if err != nil {
				t.Fatal(err)
			}
			checkSums(t, e)
		}
	}
}

// checkSums checks that each contributor kind (with Others) adds up to the scope.
func checkSums(t *testing.T, e Explanation) {
	t.Helper()
	type sum struct{ actual, lastYear float64 }
	kinds := map[string]*sum{}
	for _, k := range []string{KindPartner, KindDistributor, KindProductLine} {
		if k != e.Scope {
			kinds[k] = &sum{}
		}
	}
	var n int
	for _, c := range append(append([]Contributor{}, e.Contributors...), e.Others...) {
		s := kinds[c.Kind]
		if s == nil {
			t.Errorf("%s %s: contributor of kind %q", e.Scope, e.ScopeID, c.Kind)
			continue
		}
		s.actual += c.Actual
		s.lastYear += c.LastYear
		n++
	}
	tol := 0.006 * float64(n+1)
	for k, s := range kinds {
		if math.Abs(s.actual-e.Actual) > tol || math.Abs(s.lastYear-e.LastYear) > tol {
			t.Errorf("%s %s %s: %s contributors add up to %v / %v, want %v / %v", e.Scope, e.ScopeID, e.KPI, k, s.actual, s.lastYear, e.Actual, e.LastYear)
		}
	}
}

func TestExplainRefuses(t *testing.T) {
	conn := openFixture(t, "")
	for _, c := range []struct{ scope, kpi, want string }{
		{"region", "revenue", `unknown scope "region"`},
		{"territory", "margin", `unknown kpi "margin"`},
	} {
		_, err := Explain(context.Background(), conn, explaintest.AsOf, c.scope, "T1", c.kpi)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: error %v, want %q", c.scope, c.kpi, err, c.want)
		}
	}
}

// TestExplainLastYearPhasing: with scoring.phasing last_year, each month's target has
// last year's shape, as kpi_deviations phases it. T1 sold 4000, 2000, 2200 and (June)
// 5000 last year, 13200 in all.
func TestExplainLastYearPhasing(t *testing.T) {
	conn := openFixture(t, "")
	ctx := context.Background()
	s := explaintest.Scoring()
	s.Phasing = config.PhasingLastYear
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := score.Run(ctx, tx, explaintest.AsOf, s); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	e, err := Explain(ctx, conn, explaintest.AsOf, "territory", "T1", "revenue")
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{120000 * 4000 / 13200.0, 120000 * 2000 / 13200.0, 120000 * 2200 / 13200.0 * 15 / 31}
	var sum float64
	for i, m := range e.Months {
		sum += m.Target
		if !near(m.Target, math.Round(want[i]*100)/100) {
			t.Errorf("%s: target %v, want %.2f", m.Month.Format("Jan"), m.Target, want[i])
		}
	}
	if e.Phasing != "last_year" || math.Abs(sum-e.Target) > 0.02 {
		t.Errorf("phasing %q, months' targets add up to %v, kpi_deviations' target %v", e.Phasing, sum, e.Target)
	}
}
