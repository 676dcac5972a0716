package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/salesout/salesout/pipeline/mail"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// Alert kinds: one per rule (alerts.rules.<kind> in the config).
const (
	KindKPIDeviation    = "kpi_deviation"
	KindSilentPartner   = "silent_partner"
	KindYearOverYear    = "yoy_drop"
	KindMissingFeed     = "missing_feed"
	KindQuarantineSpike = "quarantine_spike"
	KindMatchRateDrop   = "match_rate_drop"
	KindSalesInExcess   = "sales_in_excess"
)

// dataKinds are about the data, not the business: they go to alerts.data_owner.
var dataKinds = map[string]bool{KindMissingFeed: true, KindQuarantineSpike: true, KindMatchRateDrop: true}

// finding is one thing a rule found at as_of: an alert to open or keep open.
type finding struct {
	Kind, Scope, ScopeID, KPI, Period string
	Severity                          string          // warning | critical
	Deviation                         sql.NullFloat64 // percent; more negative is worse; NULL when the kind has none
	Summary                           string          // one line, kept in alerts.summary
	Item                              mail.Item       // how the digest shows it (AlertID, Severity, Notice set later)
	// explain: add the scope's contributors and trend chart (package explain).
	explain bool
	// covered: another finding of the run says it already (a silent partner's drop
	// against last year): kept up to date in the alerts table, not e-mailed.
	covered bool
	kpi     string // the KPI explain looks at
}

func (f finding) key() alertKey { return alertKey{f.Kind, f.Scope, f.ScopeID, f.KPI, f.Period} }

type alertKey struct{ kind, scope, scopeID, kpi, period string }

// rule is one alert rule: its kind, whether the config turns it on, and its evaluation.
type rule struct {
	kind string
	on   func(n *notifier) bool
	eval func(n *notifier, ctx context.Context, conn *sql.Conn, asOf time.Time) ([]finding, error)
}

var rules = []rule{
	{KindKPIDeviation, func(n *notifier) bool { return n.Rules.KPIDeviation.On() }, (*notifier).kpiDeviations},
	{KindSilentPartner, func(n *notifier) bool { return n.Rules.SilentPartner.On() }, (*notifier).silentPartners},
	{KindYearOverYear, func(n *notifier) bool { return n.Rules.YearOverYear.On() }, (*notifier).yearOverYear},
	{KindMissingFeed, func(n *notifier) bool { return n.Rules.MissingFeed.On() }, (*notifier).missingFeeds},
	{KindQuarantineSpike, func(n *notifier) bool { return n.Rules.QuarantineSpike.On() }, (*notifier).quarantineSpikes},
	{KindMatchRateDrop, func(n *notifier) bool { return n.Rules.MatchRateDrop.On() }, (*notifier).matchRateDrops},
	{KindSalesInExcess, func(n *notifier) bool { return n.Rules.SalesInExcess.On() }, (*notifier).salesInExcess},
}

// evaluate runs every rule; kinds says, per kind, whether its rule ran (true) or is
// turned off (false).
func (n *notifier) evaluate(ctx context.Context, conn *sql.Conn, asOf time.Time) ([]finding, map[string]bool, error) {
	var all []finding
	kinds := map[string]bool{}
	for _, r := range rules {
		on := r.on(n)
		kinds[r.kind] = on
		if !on {
			continue
		}
		fs, err := r.eval(n, ctx, conn, asOf)
		if err != nil {
			return nil, nil, fmt.Errorf("rule %s: %w", r.kind, err)
		}
		all = append(all, fs...)
	}
	silent := map[string]bool{}
	for _, f := range all {
		if f.Kind == KindSilentPartner {
			silent[f.ScopeID] = true
		}
	}
	for i, f := range all {
		if f.Kind == KindYearOverYear && f.Scope == "partner" && silent[f.ScopeID] {
			all[i].covered = true
		}
	}
	return all, kinds, nil
}

// query runs a statement file and scans each row with scan.
func query(ctx context.Context, conn *sql.Conn, file string, args []any, scan func(*sql.Rows) error) error {
	rows, err := conn.QueryContext(ctx, warehouse.Statement(file), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (n *notifier) kpiDeviations(ctx context.Context, conn *sql.Conn, asOf time.Time) ([]finding, error) {
	var out []finding
	err := query(ctx, conn, "notify/open_deviations.sql", []any{asOf.Format(time.DateOnly)}, func(rows *sql.Rows) error {
		var d mail.Deviation
		var city string
		var ly, yoy, projected, unmatched sql.NullFloat64
		if err := rows.Scan(&d.Scope, &d.ScopeID, &d.KPI, &d.Period, &d.Actual, &d.Target, &d.AnnualTarget,
			&d.DeviationPct, &d.Severity, &d.ScopeName, &city, &ly, &yoy, &projected, &unmatched); err != nil {
			return err
		}
		d.AsOf = asOf
		if d.KPI == "revenue" {
			d.Currency = n.BaseCurrency
		}
		if city != "" {
			d.ScopeName += ", " + city
		}
		f := finding{Kind: KindKPIDeviation, Scope: d.Scope, ScopeID: d.ScopeID, KPI: d.KPI, Period: d.Period,
			Severity: d.Severity, Deviation: sql.NullFloat64{Float64: d.DeviationPct, Valid: true},
			explain: true, kpi: d.KPI}
		f.Item = d.Item()
		amount := d.Amount
		if d.Currency != "" {
			amount = n.money
		}
		if ly.Valid && ly.Float64 > 0 {
			f.Item.Figures = append(f.Item.Figures, mail.Row{Label: "Same period last year", Value: amount(ly.Float64)})
			if yoy.Valid {
				f.Item.Figures = append(f.Item.Figures, mail.Row{Label: "Year over year", Value: mail.Percent(yoy.Float64)})
			}
		}
		if unmatched.Valid && unmatched.Float64 > 0 {
			f.Item.Notes = append(f.Item.Notes, fmt.Sprintf("Unrecognised resellers in this territory's area bought %s over the period: "+
				"up to that much of its sales may not be attributed yet (see the match_review table).", amount(unmatched.Float64)))
		}
		f.Summary = f.Item.Title
		out = append(out, f)
		return nil
	})
	return out, err
}

func (n *notifier) silentPartners(ctx context.Context, conn *sql.Conn, asOf time.Time) ([]finding, error) {
	r := n.Rules.SilentPartner
	var out []finding
	err := query(ctx, conn, "notify/rule_silent_partner.sql",
		[]any{asOf.Format(time.DateOnly), r.Factor, r.CriticalFactor, r.MinDays, r.MinPurchases}, func(rows *sql.Rows) error {
			var id, name, city, severity string
			var last time.Time
			var days, purchases int64
			var interval, revenue float64
			if err := rows.Scan(&id, &name, &city, &last, &days, &interval, &purchases, &severity, &revenue); err != nil {
				return err
			}
			who := partnerName(name, city, id)
			f := finding{Kind: KindSilentPartner, Scope: "partner", ScopeID: id, KPI: "days_silent", Period: "latest",
				Severity: severity, explain: true, kpi: "revenue"}
			f.Item = mail.Item{
				Headline: fmt.Sprintf("%s silent %d days", shortName(name, id), days),
				Title:    fmt.Sprintf("Loyal partner %s has not bought for %d days", who, days),
				Summary: fmt.Sprintf("%s usually buys every %s days (%d purchase days in the last 12 months) and has bought nothing since %s: "+
					"%.1f times its usual interval. A loyal partner going quiet is often buying elsewhere: worth a call.",
					who, mail.Number(interval, 0), purchases, last.Format("2 January 2006"), float64(days)/max(interval, 1)),
				Figures: []mail.Row{
					{Label: "Last purchase", Value: last.Format("2 January 2006")},
					{Label: "Days without purchase", Value: mail.Number(float64(days), 0)},
					{Label: "Usual interval", Value: mail.Number(interval, 0) + " days"},
					{Label: "Revenue, last 12 months", Value: n.money(revenue)},
				},
				Rank: -float64(days) / max(interval, 1),
			}
			f.Summary = f.Item.Title
			out = append(out, f)
			return nil
		})
	return out, err
}

func (n *notifier) yearOverYear(ctx context.Context, conn *sql.Conn, asOf time.Time) ([]finding, error) {
	r := n.Rules.YearOverYear
	var out []finding
	err := query(ctx, conn, "notify/rule_yoy_drop.sql",
		[]any{asOf.Format(time.DateOnly), r.Months, r.WarningPct, r.CriticalPct, r.MinLastYear, r.MinTerritoryLY}, func(rows *sql.Rows) error {
			var scope, id, name, city, severity string
			var actual, ly, yoy float64
			var from time.Time
			if err := rows.Scan(&scope, &id, &name, &city, &actual, &ly, &yoy, &severity, &from); err != nil {
				return err
			}
			who, short := "territory "+id, id
			if scope == "partner" {
				who, short = "partner "+partnerName(name, city, id), shortName(name, id)
			}
			period := fmt.Sprintf("%s to %s", from.Format("2 Jan 2006"), asOf.Format("2 Jan 2006"))
			f := finding{Kind: KindYearOverYear, Scope: scope, ScopeID: id, KPI: "revenue", Period: fmt.Sprintf("last_%dm", r.Months),
				Severity: severity, Deviation: sql.NullFloat64{Float64: yoy, Valid: true}, explain: true, kpi: "revenue"}
			f.Item = mail.Item{
				Headline: fmt.Sprintf("%s revenue %s vs last year", short, mail.Percent(yoy)),
				Title:    fmt.Sprintf("%s: revenue %s against the same months last year", capitalise(who), mail.Percent(yoy)),
				Summary: fmt.Sprintf("Over the last %d months (%s) %s bought %s, against %s over the same dates a year earlier.",
					r.Months, period, who, n.money(actual), n.money(ly)),
				Figures: []mail.Row{
					{Label: "Last " + fmt.Sprint(r.Months) + " months", Value: n.money(actual)},
					{Label: "Same months last year", Value: n.money(ly)},
					{Label: "Change", Value: mail.Percent(yoy)},
				},
				Rank: yoy,
			}
			f.Summary = f.Item.Title
			out = append(out, f)
			return nil
		})
	return out, err
}

func (n *notifier) quarantineSpikes(ctx context.Context, conn *sql.Conn, _ time.Time) ([]finding, error) {
	r := n.Rules.QuarantineSpike
	recent := n.now.Add(-r.Window.Duration)
	var out []finding
	err := query(ctx, conn, "notify/rule_quarantine_spike.sql",
		[]any{recent, recent.Add(-r.Baseline.Duration), r.Factor, r.MinShare, r.CriticalShare, r.MinLines}, func(rows *sql.Rows) error {
			var feed, dist, severity string
			var files, bad, lines int64
			var share, usual float64
			if err := rows.Scan(&feed, &dist, &files, &bad, &lines, &share, &usual, &severity); err != nil {
				return err
			}
			f := finding{Kind: KindQuarantineSpike, Scope: "feed", ScopeID: feed, KPI: "quarantine_share", Period: "latest", Severity: severity}
			f.Item = mail.Item{
				Headline: fmt.Sprintf("feed %s: %s of lines quarantined", feed, pct(share)),
				Title:    fmt.Sprintf("Feed %s (distributor %s): %s of its recent lines quarantined, usually %s", feed, dist, pct(share), pct(usual)),
				Summary: fmt.Sprintf("The %d file(s) of feed %s received in the last %s had %s of %s lines quarantined. "+
					"Those lines are missing from sales_out and every figure built on it: the quarantine table says why, line by line "+
					"(a changed column, a new date or number format).", files, feed, human(r.Window.Duration), mail.Number(float64(bad), 0), mail.Number(float64(lines), 0)),
				Figures: []mail.Row{
					{Label: "Quarantined share, recent files", Value: pct(share)},
					{Label: "Usual share", Value: pct(usual)},
					{Label: "Lines quarantined", Value: mail.Number(float64(bad), 0)},
				},
				Rank: -share,
			}
			f.Summary = f.Item.Title
			out = append(out, f)
			return nil
		})
	return out, err
}

func (n *notifier) matchRateDrops(ctx context.Context, conn *sql.Conn, _ time.Time) ([]finding, error) {
	r := n.Rules.MatchRateDrop
	recent := n.now.Add(-r.Window.Duration)
	var out []finding
	err := query(ctx, conn, "notify/rule_match_rate_drop.sql",
		[]any{recent, recent.Add(-r.Baseline.Duration), r.WarningPoints, r.CriticalPoints, r.MinLines}, func(rows *sql.Rows) error {
			var dist, severity string
			var lines int64
			var rate, usual, drop float64
			if err := rows.Scan(&dist, &lines, &rate, &usual, &drop, &severity); err != nil {
				return err
			}
			f := finding{Kind: KindMatchRateDrop, Scope: "distributor", ScopeID: dist, KPI: "match_rate", Period: "latest",
				Severity: severity, Deviation: sql.NullFloat64{Float64: drop, Valid: true}}
			f.Item = mail.Item{
				Headline: fmt.Sprintf("%s match rate %s%% (usually %s%%)", dist, mail.Number(rate, 0), mail.Number(usual, 0)),
				Title:    fmt.Sprintf("Distributor %s: %s%% of its recent lines matched to a partner, usually %s%%", dist, mail.Number(rate, 1), mail.Number(usual, 1)),
				Summary: fmt.Sprintf("Of the %s lines %s sent in the last %s, %s%% were recognised as a partner of the channel database, "+
					"against %s%% before. Unmatched lines count for no partner, rep or territory: check the match_review table "+
					"for new reseller codes or names.", mail.Number(float64(lines), 0), dist, human(r.Window.Duration), mail.Number(rate, 1), mail.Number(usual, 1)),
				Figures: []mail.Row{
					{Label: "Match rate, recent files", Value: mail.Number(rate, 1) + " %"},
					{Label: "Usual match rate", Value: mail.Number(usual, 1) + " %"},
					{Label: "Drop", Value: mail.Number(drop, 1) + " points"},
				},
				Rank: drop,
			}
			f.Summary = f.Item.Title
			out = append(out, f)
			return nil
		})
	return out, err
}

func (n *notifier) salesInExcess(ctx context.Context, conn *sql.Conn, asOf time.Time) ([]finding, error) {
	r := n.Rules.SalesInExcess
	var out []finding
	err := query(ctx, conn, "notify/rule_sales_in_excess.sql",
		[]any{asOf.Format(time.DateOnly), r.Months, r.WarningRatio, r.CriticalRatio, r.MinUnits}, func(rows *sql.Rows) error {
			var dist, severity string
			var in, outUnits, stock float64
			var ratio sql.NullFloat64
			var from time.Time
			if err := rows.Scan(&dist, &in, &outUnits, &ratio, &stock, &severity, &from); err != nil {
				return err
			}
			times := "with no sales-out at all"
			if ratio.Valid {
				times = mail.Number(ratio.Float64, 1) + " times its sales-out"
			}
			f := finding{Kind: KindSalesInExcess, Scope: "distributor", ScopeID: dist, KPI: "sales_in_ratio", Period: "latest", Severity: severity}
			f.Item = mail.Item{
				Headline: fmt.Sprintf("%s sales-in %s", dist, times),
				Title:    fmt.Sprintf("Distributor %s bought %s since %s", dist, times, from.Format("January 2006")),
				Summary: fmt.Sprintf("Since %s %s was invoiced %s units and sold %s to resellers: stock is piling up in the channel "+
					"(about %s units on hand by our estimate), and its orders will slow down until it is sold.",
					from.Format("January 2006"), dist, mail.Number(in, 0), mail.Number(outUnits, 0), mail.Number(stock, 0)),
				Figures: []mail.Row{
					{Label: "Sales-in units", Value: mail.Number(in, 0)},
					{Label: "Sales-out units", Value: mail.Number(outUnits, 0)},
					{Label: "Estimated channel stock", Value: mail.Number(stock, 0) + " units"},
				},
				Rank: -ratio.Float64,
			}
			f.Summary = f.Item.Title
			out = append(out, f)
			return nil
		})
	return out, err
}

// missingFeeds finds each feed with expected_every from which no new file (a duplicate
// is not new) came for longer than that, counted from the last file received, or from
// the first run when none ever came: warning past expected_every, critical past three
// times it.
func (n *notifier) missingFeeds(ctx context.Context, conn *sql.Conn, _ time.Time) ([]finding, error) {
	var out []finding
	for _, f := range n.Feeds {
		if f.ExpectedEvery.Duration <= 0 {
			continue
		}
		var last sql.NullTime
		var lastName sql.NullString
		var since sql.NullTime
		if err := conn.QueryRowContext(ctx, warehouse.Statement("notify/feed_last_file.sql"), f.Name).Scan(&last, &lastName, &since); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("missing feeds: %w", err)
		}
		from := since.Time
		if last.Valid {
			from = last.Time
		}
		if from.IsZero() {
			continue
		}
		silent := n.now.Sub(from)
		severity := ""
		switch {
		case silent > 3*f.ExpectedEvery.Duration:
			severity = "critical"
		case silent > f.ExpectedEvery.Duration:
			severity = "warning"
		default:
			continue
		}
		what := "no file has ever come"
		lastSeen := "never"
		if last.Valid {
			what = "no new file for " + human(silent)
			lastSeen = last.Time.In(n.Location).Format("2006-01-02 15:04 MST")
		}
		fd := finding{Kind: KindMissingFeed, Scope: "feed", ScopeID: f.Name, KPI: "files", Period: "latest", Severity: severity}
		fd.Item = mail.Item{
			Headline: fmt.Sprintf("feed %s silent", f.Name),
			Title:    fmt.Sprintf("Feed %s (distributor %s): %s", f.Name, f.Distributor, what),
			Summary: fmt.Sprintf("From distributor %s (feed %s, source %s), %s, while one is expected every %s. "+
				"Until it comes, its sales-out lines, the partner scores and every KPI that depends on them are out of date: "+
				"check with the distributor whether the file was sent, and where.", f.Distributor, f.Name, f.Source, what, human(f.ExpectedEvery.Duration)),
			Figures: []mail.Row{{Label: "Last file received", Value: lastSeen}, {Label: "Expected every", Value: human(f.ExpectedEvery.Duration)}},
			Rank:    -silent.Hours(),
		}
		if lastName.Valid {
			fd.Item.Figures = append(fd.Item.Figures, mail.Row{Label: "Last file", Value: lastName.String})
		}
		fd.Summary = fd.Item.Title
		out = append(out, fd)
	}
	return out, nil
}
