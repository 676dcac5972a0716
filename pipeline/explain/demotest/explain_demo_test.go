// Package demotest checks packages explain and report on the demo data set (the
// warehouse `salesout demo` builds, run once per test binary): names instead of ids,
// contributors that add up, and a business-review file per territory.
package demotest

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/salesout/salesout/pipeline/explain"
)

// TestExplainDemo explains every year-to-date row of kpi_deviations of the demo and
// checks that it agrees with the row, that its months and every kind of contributors
// add up to it, and that it names partners and reps.
func TestExplainDemo(t *testing.T) {
	ctx := context.Background()
	db := demoDB(t)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	type row struct {
		scope, id, kpi          string
		actual, target, unmatch float64
	}
	rows, err := conn.QueryContext(ctx, `SELECT scope, scope_id, kpi, actual::DOUBLE, target::DOUBLE, coalesce(unmatched_revenue, 0)::DOUBLE
		FROM kpi_deviations WHERE as_of = ? AND period = 'ytd' ORDER BY ALL`, demoAsOf.Format(time.DateOnly))
	if err != nil {
		t.Fatal(err)
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.scope, &r.id, &r.kpi, &r.actual, &r.target, &r.unmatch); err != nil {
			t.Fatal(err)
		}
		all = append(all, r)
	}
	rows.Close()
	if len(all) < 30 {
		t.Fatalf("%d deviations in the demo, want the 40 or so of its targets", len(all))
	}
	start := time.Now()
	var unattributed float64
	for _, r := range all {
		e, err := explain.ExplainTop(ctx, conn, demoAsOf, r.scope, r.id, r.kpi, 0)
		if err != nil {
			t.Fatal(err)
		}
		if e.Actual != r.actual || e.Target != r.target {
			t.Errorf("%s %s: actual %v target %v, kpi_deviations says %v and %v", r.scope, r.id, e.Actual, e.Target, r.actual, r.target)
		}
		var actual, target float64
		for _, m := range e.Months {
			actual += m.Actual
			target += m.Target
		}
		if len(e.Months) != 11 || !e.Months[10].Partial {
			t.Errorf("%s %s: %d months, want January to a partial November", r.scope, r.id, len(e.Months))
		}
		if math.Abs(actual-e.Actual) > 0.01*12 || math.Abs(target-e.Target) > 0.01*12 {
			t.Errorf("%s %s: months add up to %v and %v, want %v and %v", r.scope, r.id, actual, target, e.Actual, e.Target)
		}
		checkSums(t, e)
		switch r.scope {
		case "partner", "sales_rep":
			if e.Name == r.id || e.Name == "" || e.Detail == "" {
				t.Errorf("%s %s: named %q (%q), want its name", r.scope, r.id, e.Name, e.Detail)
			}
		case "territory":
			unattributed += e.Unattributed
			if e.Unattributed != r.unmatch {
				t.Errorf("territory %s: unattributed %v, want %v", r.id, e.Unattributed, r.unmatch)
			}
		}
		for _, c := range e.Contributors {
			if c.Kind == explain.KindPartner && c.ID != "" && (c.Name == c.ID || c.Town == "") {
				t.Errorf("%s %s: partner contributor %+v without name or town", r.scope, r.id, c)
			}
		}
		if e.PaceYearEnd <= 0 && e.Actual > 0 {
			t.Errorf("%s %s: pace %v for actual %v", r.scope, r.id, e.PaceYearEnd, e.Actual)
		}
	}
	per := time.Since(start) / time.Duration(len(all))
	t.Logf("%d explanations, %v each", len(all), per)
	if unattributed <= 0 {
		t.Error("no territory of the demo has unattributed revenue; the demo has unrecognised resellers")
	}
	// The default explanation lists at most DefaultTop per kind, most negative first.
	e, err := explain.Explain(ctx, conn, demoAsOf, "territory", "FR-EST", "revenue")
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for i, c := range e.Contributors {
		n[c.Kind]++
		if i > 0 && e.Contributors[i-1].Kind == c.Kind && e.Contributors[i-1].Delta > c.Delta {
			t.Errorf("contributors not most negative first: %+v then %+v", e.Contributors[i-1], c)
		}
	}
	if n[explain.KindPartner] != explain.DefaultTop || len(e.Others) == 0 {
		t.Errorf("FR-EST: %v contributors per kind and %d others, want %d partners and others", n, len(e.Others), explain.DefaultTop)
	}
	checkSums(t, e)
	if !strings.Contains(e.Detail, "reps ") {
		t.Errorf("FR-EST detail %q, want its reps", e.Detail)
	}
}

// checkSums checks that each contributor kind (with Others) adds up to the scope.
func checkSums(t *testing.T, e explain.Explanation) {
	t.Helper()
	type sum struct{ actual, lastYear float64 }
	kinds := map[string]*sum{}
	for _, k := range []string{explain.KindPartner, explain.KindDistributor, explain.KindProductLine} {
		if k != e.Scope {
			kinds[k] = &sum{}
		}
	}
	n := 0
	for _, c := range append(append([]explain.Contributor{}, e.Contributors...), e.Others...) {
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

// BenchmarkExplainDemo explains the demo's alerts' scopes (warning and critical ytd
// deviations), as the alert step does for each run: go test -run - -bench ExplainDemo
// ./pipeline/explain/demotest.
func BenchmarkExplainDemo(b *testing.B) {
	ctx := context.Background()
	db := demoDB(b)
	conn, err := db.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	type scope struct{ scope, id, kpi string }
	var all []scope
	rows, err := conn.QueryContext(ctx, `SELECT scope, scope_id, kpi FROM kpi_deviations WHERE as_of = ? AND period = 'ytd' ORDER BY ALL`,
		demoAsOf.Format(time.DateOnly))
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var s scope
		if err := rows.Scan(&s.scope, &s.id, &s.kpi); err != nil {
			b.Fatal(err)
		}
		all = append(all, s)
	}
	rows.Close()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		s := all[i%len(all)]
		if _, err := explain.Explain(ctx, conn, demoAsOf, s.scope, s.id, s.kpi); err != nil {
			b.Fatal(err)
		}
	}
}
