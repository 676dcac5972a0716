package notify

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/chart"
	"github.com/salesout/salesout/pipeline/explain"
	"github.com/salesout/salesout/pipeline/mail"
)

// kindTitles name the contributor tables of an item.
var kindTitles = map[string]string{
	explain.KindPartner:     "Partners that make the gap",
	explain.KindDistributor: "Distributors",
	explain.KindProductLine: "Product lines",
}

// enrich adds the why to a finding's item (package explain): the scope's names, its
// year over year, its pace to the year end, the revenue of unrecognised resellers, the
// top contributors of each kind against the same period last year, and the monthly
// trend as a chart (package chart). An explanation that fails is logged and left out:
// the alert goes without it rather than not at all.
func (n *notifier) enrich(ctx context.Context, conn *sql.Conn, asOf time.Time, f *finding) {
	log := zerolog.Ctx(ctx).With().Str("scope", f.Scope).Str("scope_id", f.ScopeID).Str("kind", f.Kind).Logger()
	e, err := explain.Explain(ctx, conn, asOf, f.Scope, f.ScopeID, f.kpi)
	if err != nil {
		log.Warn().Err(err).Msg("the alert goes without its explanation")
		return
	}
	unit := n.BaseCurrency
	if f.kpi == "units" {
		unit = "units"
	}
	e.Currency = unit
	amount := func(v float64) string {
		if f.kpi == "units" {
			return mail.Number(v, 0) + " units"
		}
		return n.money(v)
	}
	it := &f.Item
	it.Detail = e.Detail
	if e.HasLastYear && f.Kind != KindYearOverYear {
		if f.Kind != KindKPIDeviation { // kpi_deviation has them from kpi_deviations
			it.Figures = append(it.Figures, mail.Row{Label: "Year to date", Value: amount(e.Actual)},
				mail.Row{Label: "Same period last year", Value: amount(e.LastYear)},
				mail.Row{Label: "Year over year", Value: mail.Percent(e.YoYPct)})
		}
	}
	if e.PaceYearEnd > 0 {
		how := map[string]string{"last_year": "with last year's seasons", "target_phasing": "as the target is phased", "even": "at an even pace"}[e.PaceMethod]
		it.Figures = append(it.Figures, mail.Row{Label: "Pace to year end (" + how + ")", Value: amount(e.PaceYearEnd)})
	}
	if e.NeededPerMonth > 0 && e.AnnualTarget > 0 {
		it.Figures = append(it.Figures, mail.Row{Label: "Needed per month to reach the annual target", Value: amount(e.NeededPerMonth)})
	}
	if e.Unattributed > 0 && f.Kind != KindKPIDeviation {
		it.Notes = append(it.Notes, fmt.Sprintf("Unrecognised resellers in this territory's area bought %s this year: "+
			"up to that much of its sales may not be attributed yet (see the match_review table).", amount(e.Unattributed)))
	}
	for _, kind := range []string{explain.KindPartner, explain.KindDistributor, explain.KindProductLine} {
		t := mail.Table{Title: kindTitles[kind], Columns: []string{nameColumn(kind), "Year to date", "Last year", "Change"}}
		for _, c := range append(filterKind(e.Contributors, kind), filterKind(e.Others, kind)...) {
			name := c.Name
			if c.Town != "" {
				name += ", " + c.Town
			}
			change := "new"
			if c.LastYear > 0 {
				change = mail.Percent(100 * c.Delta / c.LastYear)
			} else if c.Actual == 0 {
				change = "–"
			}
			t.Rows = append(t.Rows, []string{name, compact(c.Actual), compact(c.LastYear), change})
		}
		if len(t.Rows) > 0 {
			it.Tables = append(it.Tables, t)
		}
	}
	if len(it.Tables) > 0 {
		it.Notes = append(it.Notes, "Contributors: year to date against the same dates last year, "+unitNote(unit)+"; the largest falls first.")
	}
	if len(e.Months) > 0 {
		title := e.Name
		if title == "" {
			title = f.ScopeID
		}
		png, err := chart.Trend(chart.TrendInput{Title: title + " " + f.kpi, Unit: unit, Months: e.Months})
		if err != nil {
			log.Warn().Err(err).Msg("the alert goes without its chart")
			return
		}
		it.Chart = png
		it.ChartAlt = fmt.Sprintf("%s: monthly %s against target and last year", title, f.kpi)
	}
}

func filterKind(cs []explain.Contributor, kind string) []explain.Contributor {
	var out []explain.Contributor
	for _, c := range cs {
		if c.Kind == kind {
			out = append(out, c)
		}
	}
	return out
}

func nameColumn(kind string) string {
	return map[string]string{explain.KindPartner: "Partner", explain.KindDistributor: "Distributor", explain.KindProductLine: "Product line"}[kind]
}

func unitNote(unit string) string {
	if unit == "units" {
		return "in units"
	}
	return "in " + unit
}

// compact formats an amount for a narrow column: 1,234 / 12.3k / 1.23M.
func compact(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e6:
		return mail.Number(v/1e6, 2) + "M"
	case a >= 1e4:
		return mail.Number(v/1e3, 1) + "k"
	}
	return mail.Number(v, 0)
}

// money formats an amount of the base currency without decimals: "12,345 EUR".
func (n *notifier) money(v float64) string {
	return mail.Number(v, 0) + " " + n.BaseCurrency
}

// partnerName is "Name, Town (ID)", or the id alone.
func partnerName(name, city, id string) string {
	if name == "" || name == id {
		return id
	}
	if city != "" {
		name += ", " + city
	}
	return name + " (" + id + ")"
}

// shortName is a name cut to 30 characters for a subject, or the id.
func shortName(name, id string) string {
	if name == "" {
		return id
	}
	if utf8.RuneCountInString(name) > 30 {
		return string([]rune(name)[:29]) + "…"
	}
	return name
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// pct formats a share (0-1) as a percentage with one decimal: "12.5 %".
func pct(share float64) string { return mail.Number(100*share, 1) + " %" }

// human prints a duration as days and hours ("3 days 4 hours", "45 minutes").
func human(d time.Duration) string {
	if d < time.Hour {
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	}
	days, hours := int(d.Hours())/24, int(d.Hours())%24
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case days == 0:
		return plural(hours, "hour")
	case hours == 0:
		return plural(days, "day")
	default:
		return plural(days, "day") + " " + strings.TrimSpace(plural(hours, "hour"))
	}
}
