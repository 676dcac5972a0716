// Package explain says why a scope's figure is what it is: for one scope, KPI and as_of
// (a row of kpi_deviations, or any scope of the warehouse), its names, its year to date
// against target and against the same period last year, its pace to the year end, the
// revenue of unrecognised resellers in it, the month-by-month trend, and the partners,
// distributors and product lines that make the gap. The alert e-mails and the
// business-review pack (package report) show the same Explanation.
//
// The figures are set-based SQL under sql/explain/ (one statement per part: the scope,
// its months, its contributors), read with bound parameters; this package only shapes
// them. It reads sales_out, partners, reps, targets and kpi_deviations, so it works
// on the worker's database and on the analysts' snapshot alike.
package explain

import (
	"time"
)

// Scopes are the scopes Explain knows, as in targets and kpi_deviations.
var Scopes = []string{"total", "territory", "sales_rep", "partner", "product_line", "distributor"}

// Contributor kinds.
const (
	KindPartner     = "partner"
	KindDistributor = "distributor"
	KindProductLine = "product_line"
)

// DefaultTop is how many contributors of each kind Explain lists.
const DefaultTop = 5

// Contributor is one partner, distributor or product line within a scope: its year to
// date against the same period last year, inside the scope (a distributor's sales to the
// scope's partners, not all its sales).
type Contributor struct {
	Kind     string  // partner | distributor | product_line
	ID       string  // partner_id, distributor code or product line; "" for the group of lines without one (unrecognised resellers, unknown products)
	Name     string  // the partner's name; the code for a distributor or product line; a description for the "" group
	Town     string  // the partner's town (partners.city); "" for other kinds
	Actual   float64 // year to date, inside the scope
	LastYear float64 // same period last year, inside the scope
	Delta    float64 // Actual - LastYear
	Target   float64 // its own year-to-date target (kpi_deviations) when all its sales are inside the scope (a partner of a territory or rep; any contributor of total); 0 otherwise or if none
}

// Month is one calendar month of as_of's year, up to as_of.
type Month struct {
	Month    time.Time // first day of the month, UTC
	Actual   float64   // the month's actual (to as_of for the month of as_of)
	Target   float64   // the part of the annual target due in the month, phased as kpi_deviations phases it (to as_of, pro rata of days, for the month of as_of); 0 without a target
	LastYear float64   // the same month last year (to the same day for the month of as_of)
	Partial  bool      // the month of as_of, not complete (false when as_of is its last day)
}

// Explanation is why a scope's figure is what it is, at as_of.
type Explanation struct {
	Scope, ScopeID, KPI string
	Name                string // territory code, rep's name, partner's name, product line, distributor code; "All sales" for total
	Detail              string // partner: town, territory, rep; rep: territories, manager; territory: its reps
	AsOf                time.Time
	Currency            string // "" for units; Explain cannot know the base currency: the caller sets it (config base_currency)

	Actual, Target, AnnualTarget, LastYear float64 // year to date; LastYear: same period last year
	YoYPct                                 float64 // (Actual - LastYear) / LastYear x 100; valid when HasLastYear
	HasLastYear                            bool    // LastYear > 0
	DeviationPct                           float64 // (Actual - Target) / Target x 100 as in kpi_deviations; valid when Target != 0
	Severity                               string  // kpi_deviations.severity ("" when the scope has no target row)
	Phasing                                string  // how the annual target is spread over months: monthly | even | last_year ("" without target)

	// PaceYearEnd is the full-year actual projected at the current pace. With last year's
	// sales of the scope (full year and same period both > 0) it is seasonal:
	// Actual x LastYearFull / LastYear, last year's share of the year done by the same
	// date. Otherwise, with a target: Actual / (Target / AnnualTarget), the share of the
	// target due by as_of (kpi_deviations.projected_year_end). Otherwise an even pace:
	// Actual x days in the year / days elapsed. PaceMethod says which.
	PaceYearEnd  float64
	PaceMethod   string  // last_year | target_phasing | even
	LastYearFull float64 // the whole of last year

	// NeededPerMonth is what each remaining month must bring to reach the annual
	// target: (AnnualTarget - Actual) / months left, the month of as_of counting for
	// the fraction of its days still to come; 0 when reached or without target.
	NeededPerMonth float64
	MonthsLeft     float64

	Unattributed float64 // territory: revenue (or units) of unrecognised resellers whose postcode lies in the territory (kpi_deviations.unmatched_revenue); 0 otherwise

	Contributors []Contributor // per kind (partner, distributor, product_line, the scope's own kind excluded), the top ones, most negative Delta first; a contributor with nothing in either period is left out
	Others       []Contributor // per kind with more than the top, the sum of the contributors not listed (ID "", Name "N others"); with Contributors, each kind adds up to Actual and LastYear
	Months       []Month       // January to as_of's month of as_of's year
}
