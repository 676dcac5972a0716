package notify

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// TestRules: each rule on a small warehouse built for it, at as_of 2026-11-15, with the
// config's default thresholds: what fires, at which severity, and what stays quiet.
func TestRules(t *testing.T) {
	ctx := context.Background()
	w, err := warehouse.Open(ctx, config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	conn, err := w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	asOf := time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	now := asOf.Add(6 * time.Hour)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := conn.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var lineID int64
	line := func(fileID int64, dist string, day time.Time, partner string, amount float64) {
		lineID++
		exec(`INSERT INTO lines (line_id, file_id, line_no, distributor, invoice_date, quantity, amount, currency, amount_base, partner_id)
		      VALUES (?, ?, ?, ?, ?, 1, ?, 'EUR', ?, nullif(?, ''))`, lineID, fileID, lineID, dist, day.Format(time.DateOnly), amount, amount, partner)
	}
	file := func(id int64, feed, dist string, received time.Time, loaded, quarantined int) {
		exec(`INSERT INTO files (file_id, feed, distributor, source, name, size, sha256, landing_path, status, received_at, lines_loaded, lines_quarantined)
		      VALUES (?, ?, ?, 'drop', ?, 1, ?, 'x', 'loaded', ?, ?, ?)`, id, feed, dist, fmt.Sprintf("f%d.csv", id), fmt.Sprint(id), received, loaded, quarantined)
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }

	exec(`INSERT INTO partners (partner_id, name, city, territory, sales_rep) VALUES
		('P1', 'Silent Co', 'Lyon', 'T1', 'R1'), ('P2', 'Steady Co', 'Lyon', 'T1', 'R1'),
		('P3', 'Falling Co', 'Paris', 'T2', 'R2'), ('P4', 'Occasional Co', 'Paris', 'T2', 'R2')`)
	for _, p := range []struct{ id, loyalty string }{{"P1", "loyal"}, {"P2", "loyal"}, {"P3", "loyal"}, {"P4", "occasional"}} {
		exec(`INSERT INTO partner_scores (as_of, partner_id, revenue_12m, units_12m, active_months_12m, loyalty, score, plan)
		      VALUES (?, ?, 50000, 100, 12, ?, 50, 'retention')`, asOf.Format(time.DateOnly), p.id, p.loyalty)
	}
	// Files: ACME's feed for months (1 % quarantined, 95 % matched), then a file
	// yesterday (20 % quarantined, 60 % matched); BRAVO steady.
	file(1, "acme", "ACME", now.Add(-30*24*time.Hour), 990, 10)
	file(2, "acme", "ACME", now.Add(-24*time.Hour), 80, 20)
	file(3, "bravo", "BRAVO", now.Add(-30*24*time.Hour), 960, 40)
	file(4, "bravo", "BRAVO", now.Add(-24*time.Hour), 95, 5)
	for i := range 100 {
		p := ""
		if i < 95 {
			p = "P2"
		}
		line(1, "ACME", day("2026-10-01"), p, 1)
		if i < 60 {
			p = "P2"
		} else {
			p = ""
		}
		line(2, "ACME", day("2026-11-10"), p, 1)
	}
	// P1 bought every week until 2026-09-15 and then nothing: 61 days, 8.7 times its
	// 7-day interval (critical past 6). P2 every week to as_of. P3 bought 10,000 over
	// Aug 15 - Nov 15 2025 and 4,000 over the same dates of 2026 (-60 %: critical); P4
	// (occasional) too, but is not judged alone: only in its territory.
	for d := day("2025-11-20"); !d.After(day("2026-09-15")); d = d.AddDate(0, 0, 7) {
		line(1, "BRAVO", d, "P1", 100)
	}
	for d := day("2025-11-20"); !d.After(asOf); d = d.AddDate(0, 0, 7) {
		line(3, "BRAVO", d, "P2", 10)
	}
	for _, p := range []string{"P3", "P4"} {
		line(3, "BRAVO", day("2025-09-10"), p, 10000)
		line(3, "BRAVO", day("2026-09-10"), p, 4000)
	}
	// Sales-in: ACME bought 900 units and sold 300 over Sep-Nov (3 times: critical);
	// BRAVO 300 and 250 (1.2: fine).
	for _, c := range []struct {
		dist     string
		in, sold float64
	}{{"ACME", 300, 100}, {"BRAVO", 100, 83.3}} {
		for _, m := range []string{"2026-09-01", "2026-10-01", "2026-11-01"} {
			exec(`INSERT INTO channel_stock (as_of, distributor, product_line, month, stock_since, sales_in_units, sales_out_units,
			      sales_out_revenue, stock_movement, estimated_stock) VALUES (?, ?, 'drills', ?, '2026-01-01', ?, ?, 0, ?, ?)`,
				asOf.Format(time.DateOnly), c.dist, m, c.in, c.sold, c.in-c.sold, c.in-c.sold)
		}
	}

	cfg, err := config.Parse([]byte("warehouse: {path: w.duckdb, publish: a.duckdb}\nreference: {channel_db: c.csv}\n"+
		"alerts: {outbox: o}\nexport: {dir: e}\n"), filepath.Join(t.TempDir(), "c.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	n := &notifier{Settings: Settings{Rules: cfg.Alerts.Rules, BaseCurrency: "EUR", Location: time.UTC}, now: now}
	findings, kinds, err := n.evaluate(ctx, conn, asOf)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range findings {
		got = append(got, fmt.Sprintf("%s %s:%s %s", f.Kind, f.Scope, f.ScopeID, f.Severity))
	}
	slices.Sort(got)
	want := []string{
		"match_rate_drop distributor:ACME critical",
		"quarantine_spike feed:acme warning",
		"sales_in_excess distributor:ACME critical",
		"silent_partner partner:P1 critical",
		"yoy_drop partner:P3 critical",
		"yoy_drop territory:T2 critical", // P3 and P4: 20,000 then 8,000
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings\n got %q\nwant %q", got, want)
	}
	for _, f := range findings {
		if f.Item.Title == "" || f.Item.Summary == "" || f.Item.Headline == "" || len(f.Item.Figures) == 0 || f.Summary == "" {
			t.Errorf("%s %s: the item is not put in words: %+v", f.Kind, f.ScopeID, f.Item)
		}
	}
	if len(kinds) != len(rules) {
		t.Errorf("kinds %v", kinds)
	}

	// Every rule can be turned off.
	off := false
	r := &n.Rules
	for _, rr := range []*config.Rule{&r.KPIDeviation, &r.MissingFeed, &r.SilentPartner.Rule, &r.YearOverYear.Rule,
		&r.QuarantineSpike.Rule, &r.MatchRateDrop.Rule, &r.SalesInExcess.Rule} {
		rr.Enabled = &off
	}
	findings, _, err = n.evaluate(ctx, conn, asOf)
	if err != nil || len(findings) != 0 {
		t.Errorf("all rules off: %d findings, %v", len(findings), err)
	}
}
