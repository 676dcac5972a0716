package explain

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/salesout/salesout/pipeline/warehouse"
)

// Explain explains one scope (a scope of Scopes; scopeID "" for total) and KPI (revenue
// or units) at asOf (its calendar date), listing DefaultTop contributors of each kind.
// It reads the warehouse or the analysts' snapshot through conn, in three statements.
func Explain(ctx context.Context, conn *sql.Conn, asOf time.Time, scope, scopeID, kpi string) (Explanation, error) {
	return ExplainTop(ctx, conn, asOf, scope, scopeID, kpi, DefaultTop)
}

// ExplainTop is Explain listing top contributors of each kind (all of them when top <= 0).
func ExplainTop(ctx context.Context, conn *sql.Conn, asOf time.Time, scope, scopeID, kpi string, top int) (Explanation, error) {
	e := Explanation{Scope: scope, ScopeID: scopeID, KPI: kpi,
		AsOf: time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)}
	if !slices.Contains(Scopes, scope) {
		return e, fmt.Errorf("explain: unknown scope %q (want one of %s)", scope, strings.Join(Scopes, ", "))
	}
	if kpi != "revenue" && kpi != "units" {
		return e, fmt.Errorf("explain %s %s: unknown kpi %q (want revenue or units)", scope, scopeID, kpi)
	}
	what := fmt.Sprintf("explain %s %q %s at %s", scope, scopeID, kpi, e.AsOf.Format(time.DateOnly))
	args := []any{e.AsOf.Format(time.DateOnly), scope, scopeID, kpi}

	var found bool
	var deviation, projected sql.NullFloat64
	err := conn.QueryRowContext(ctx, warehouse.Statement("explain/scope.sql"), args...).Scan(
		&e.Name, &e.Detail, &found, &e.Actual, &e.Target, &e.AnnualTarget, &deviation, &e.Severity,
		&e.Phasing, &e.LastYear, &projected, &e.Unattributed)
	if err != nil {
		return e, fmt.Errorf("%s: scope: %w", what, err)
	}
	e.DeviationPct = deviation.Float64

	monthTargets, err := queryMonthTargets(ctx, conn, args)
	if err != nil {
		return e, fmt.Errorf("%s: month targets: %w", what, err)
	}
	months, contributors, err := queryFigures(ctx, conn, args)
	if err != nil {
		return e, fmt.Errorf("%s: figures: %w", what, err)
	}
	e.Months = shapeMonths(e.AsOf, months, monthTargets, e.Phasing, e.AnnualTarget)
	for _, m := range months {
		e.LastYearFull += m.lastYearFull
	}
	e.LastYearFull = round2(e.LastYearFull)
	if !found {
		// No target row: the figures come from the lines alone.
		e.Actual, e.LastYear = 0, 0
		for _, m := range e.Months {
			e.Actual += m.Actual
			e.LastYear += m.LastYear
		}
		e.Actual, e.LastYear = round2(e.Actual), round2(e.LastYear)
	}
	if e.LastYear > 0 {
		e.HasLastYear = true
		e.YoYPct = round2((e.Actual - e.LastYear) / e.LastYear * 100)
	}
	e.PaceYearEnd, e.PaceMethod = pace(e, projected)
	e.MonthsLeft = monthsLeft(e.AsOf)
	if e.AnnualTarget > 0 && e.Actual < e.AnnualTarget && e.MonthsLeft > 0 {
		e.NeededPerMonth = round2((e.AnnualTarget - e.Actual) / e.MonthsLeft)
	}
	e.Contributors, e.Others = rankContributors(scope, contributors, top)
	return e, nil
}

// pace projects the year end (see Explanation.PaceYearEnd).
func pace(e Explanation, projected sql.NullFloat64) (float64, string) {
	switch {
	case e.LastYearFull > 0 && e.LastYear > 0:
		return round2(e.Actual * e.LastYearFull / e.LastYear), "last_year"
	case e.Target != 0 && e.AnnualTarget != 0:
		if projected.Valid {
			return projected.Float64, "target_phasing"
		}
		return round2(e.Actual * e.AnnualTarget / e.Target), "target_phasing"
	default:
		start := time.Date(e.AsOf.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		elapsed := e.AsOf.Sub(start).Hours()/24 + 1
		return round2(e.Actual * float64(daysIn(e.AsOf.Year())) / elapsed), "even"
	}
}

// monthsLeft is the months of asOf's year still to come: the months after asOf's, and
// the part of asOf's month after asOf.
func monthsLeft(asOf time.Time) float64 {
	days := daysInMonth(asOf.Year(), asOf.Month())
	return float64(12-int(asOf.Month())) + float64(days-asOf.Day())/float64(days)
}

type monthFigures struct {
	actual, lastYear, lastYearFull float64
}

func queryMonthTargets(ctx context.Context, conn *sql.Conn, args []any) (map[int]float64, error) {
	rows, err := conn.QueryContext(ctx, warehouse.Statement("explain/month_targets.sql"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]float64{}
	for rows.Next() {
		var m int
		var t float64
		if err := rows.Scan(&m, &t); err != nil {
			return nil, err
		}
		out[m] = t
	}
	return out, rows.Err()
}

// queryFigures reads explain/figures.sql: the months (by number) and the contributors.
func queryFigures(ctx context.Context, conn *sql.Conn, args []any) (map[int]monthFigures, []Contributor, error) {
	rows, err := conn.QueryContext(ctx, warehouse.Statement("explain/figures.sql"), args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	months := map[int]monthFigures{}
	var contributors []Contributor
	for rows.Next() {
		var kind string
		var id, name, town sql.NullString
		var f monthFigures
		var target sql.NullFloat64
		if err := rows.Scan(&kind, &id, &name, &town, &f.actual, &f.lastYear, &f.lastYearFull, &target); err != nil {
			return nil, nil, err
		}
		if kind == "month" {
			m, err := strconv.Atoi(id.String)
			if err != nil {
				return nil, nil, fmt.Errorf("month %q: %w", id.String, err)
			}
			months[m] = f
			continue
		}
		if f.actual == 0 && f.lastYear == 0 {
			continue // sold only outside both periods (last year after the same date)
		}
		c := Contributor{Kind: kind, ID: id.String, Name: cmp.Or(name.String, id.String), Town: town.String,
			Actual: f.actual, LastYear: f.lastYear, Delta: round2(f.actual - f.lastYear), Target: target.Float64}
		if !id.Valid {
			c.Name = unknownName[kind]
		}
		contributors = append(contributors, c)
	}
	return months, contributors, rows.Err()
}

// unknownName names the group of a scope's lines without a contributor of the kind.
var unknownName = map[string]string{
	KindPartner:     "Unrecognised resellers",
	KindDistributor: "No distributor",
	KindProductLine: "Unknown products",
}

// shapeMonths builds January to asOf's month, with each month's target phased as
// kpi_deviations phases it (sql/score/kpi_deviations.sql).
func shapeMonths(asOf time.Time, figures map[int]monthFigures, monthTargets map[int]float64, phasing string, annual float64) []Month {
	year := asOf.Year()
	var lastYearTotal float64 // LY(1) + ... + LY(12), months whose returns outweigh sales as 0
	for m := 1; m <= 12; m++ {
		lastYearTotal += max(figures[m].lastYearFull, 0)
	}
	out := make([]Month, 0, int(asOf.Month()))
	for m := 1; m <= int(asOf.Month()); m++ {
		days := daysInMonth(year, time.Month(m))
		var target float64
		switch phasing {
		case "monthly":
			target = monthTargets[m]
		case "last_year":
			if lastYearTotal > 0 {
				target = annual * max(figures[m].lastYearFull, 0) / lastYearTotal
			}
		case "even":
			target = annual * float64(days) / float64(daysIn(year))
		}
		mo := Month{Month: time.Date(year, time.Month(m), 1, 0, 0, 0, 0, time.UTC),
			Actual: figures[m].actual, LastYear: figures[m].lastYear}
		if m == int(asOf.Month()) && asOf.Day() < days {
			mo.Partial = true
			target = target * float64(asOf.Day()) / float64(days)
		}
		mo.Target = round2(target)
		out = append(out, mo)
	}
	return out
}

// rankContributors keeps, per kind (the scope's own kind excluded), the top most negative
// deltas, and sums the rest of each kind into Others.
func rankContributors(scope string, all []Contributor, top int) (listed, others []Contributor) {
	for _, kind := range []string{KindPartner, KindDistributor, KindProductLine} {
		if kind == scope {
			continue
		}
		var of []Contributor
		for _, c := range all {
			if c.Kind == kind {
				if !ownsAllSales(scope, kind) {
					c.Target = 0
				}
				of = append(of, c)
			}
		}
		slices.SortStableFunc(of, func(a, b Contributor) int {
			return cmp.Or(cmp.Compare(a.Delta, b.Delta), cmp.Compare(a.Actual, b.Actual), strings.Compare(a.ID, b.ID))
		})
		if top > 0 && len(of) > top {
			rest := Contributor{Kind: kind, Name: fmt.Sprintf("%d others", len(of)-top)}
			if len(of)-top == 1 {
				rest.Name = "1 other"
			}
			for _, c := range of[top:] {
				rest.Actual += c.Actual
				rest.LastYear += c.LastYear
			}
			rest.Actual, rest.LastYear = round2(rest.Actual), round2(rest.LastYear)
			rest.Delta = round2(rest.Actual - rest.LastYear)
			others = append(others, rest)
			of = of[:top]
		}
		listed = append(listed, of...)
	}
	return listed, others
}

// ownsAllSales says whether every sale of a contributor of kind lies in a scope of
// scope, so that its own target compares with its figures in the scope.
func ownsAllSales(scope, kind string) bool {
	return scope == "total" || (kind == KindPartner && (scope == "territory" || scope == "sales_rep"))
}

func daysIn(year int) int {
	return time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC).YearDay()
}

func daysInMonth(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
