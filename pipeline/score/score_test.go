package score

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// scoring is the scoring section the expectations below were computed with: the
// defaults of package config when they were written, spelt out so that the hand-made
// arithmetic does not move with them.
func scoring() config.Scoring {
	return config.Scoring{
		LoyalMinMonths: 9, NewWithinMonths: 3, LostAfterMonths: 6,
		OpportunisticMaxMonths: 2, OpportunisticMinShare: 0.6,
		ShareHigh: 0.3, HighPotentialQuantile: 0.5, RetentionTopN: 50,
		Weights:    config.Weights{Revenue: 0.4, Loyalty: 0.3, Share: 0.2, Potential: 0.1},
		WarningPct: 10, CriticalPct: 25,
	}
}

// partner is a row of the channel database; a nil potential is NULL.
type partner struct {
	id, territory, rep string
	potential          any
}

// line is a sales-out line; distributor defaults to ACME and productLine to Drills.
type line struct {
	partner     string // "" = unmatched
	date        string
	qty, amount float64
	noRate      bool // currency without a rate: amount_base NULL
	distributor string
	productLine string
	superseded  bool // replaced by a restatement: not in sales_out
}

// monthly is n lines of amount (quantity 1) for p, one a month from first on.
func monthly(p, first string, n int, amount float64) []line {
	d, err := time.Parse(time.DateOnly, first)
	if err != nil {
		panic(err)
	}
	var ls []line
	for i := range n {
		ls = append(ls, line{partner: p, date: d.AddDate(0, i, 0).Format(time.DateOnly), qty: 1, amount: amount})
	}
	return ls
}

// target is a row of targets; month 0 is NULL (an annual target).
type target struct {
	year           int
	scope, scopeID string
	kpi            string
	target         float64
	month          int
}

func newDB(t *testing.T) *sql.DB {
	t.Helper()
	// The warehouse with every migration applied, in memory.
	w, err := warehouse.Open(context.Background(), config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w.DB
}

func exec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func insertPartners(t *testing.T, db *sql.DB, ps []partner) {
	t.Helper()
	for _, p := range ps {
		exec(t, db, `INSERT INTO partners (partner_id, name, territory, sales_rep, potential) VALUES (?, ?, nullif(?, ''), nullif(?, ''), ?)`,
			p.id, "Partner "+p.id, p.territory, p.rep, p.potential)
	}
}

func insertLines(t *testing.T, db *sql.DB, ls []line) {
	t.Helper()
	for i, l := range ls {
		currency, base := "EUR", any(l.amount)
		if l.noRate {
			currency, base = "USD", nil
		}
		var supersededBy any
		if l.superseded {
			supersededBy = 2
		}
		distributor, productLine := cmp.Or(l.distributor, "ACME"), cmp.Or(l.productLine, "Drills")
		exec(t, db, `INSERT INTO lines (line_id, file_id, line_no, distributor, invoice_date, quantity, amount, currency,
		                                amount_base, partner_id, product_line, superseded_by)
		             VALUES (?, 1, ?, ?, ?::DATE, ?, ?, ?, ?, nullif(?, ''), ?, ?)`,
			i+1, i+1, distributor, l.date, l.qty, l.amount, currency, base, l.partner, productLine, supersededBy)
	}
}

func insertTargets(t *testing.T, db *sql.DB, ts []target) {
	t.Helper()
	for _, g := range ts {
		var month any
		if g.month != 0 {
			month = g.month
		}
		exec(t, db, `INSERT INTO targets (year, scope, scope_id, kpi, target, month) VALUES (?, ?, ?, ?, ?, ?)`,
			g.year, g.scope, g.scopeID, g.kpi, g.target, month)
	}
}

// run runs Run at asOf in its own committed transaction.
func run(t *testing.T, db *sql.DB, asOf string, s config.Scoring) Result {
	t.Helper()
	d, err := time.Parse(time.DateOnly, asOf)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	res, err := Run(ctx, tx, d, s)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return res
}

// rows returns the result of q with every value as text, NULL as nil.
func rows(t *testing.T, db *sql.DB, q string, args ...any) [][]*string {
	t.Helper()
	rs, err := db.Query("SELECT COLUMNS(*)::VARCHAR FROM ("+q+")", args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]*string
	for rs.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]*string, len(cols))
		for i, v := range vals {
			if v.Valid {
				row[i] = &v.String
			}
		}
		out = append(out, row)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// joined renders rows as "a|b|c" lines, NULL as NULL.
func joined(rs [][]*string) []string {
	var out []string
	for _, r := range rs {
		fields := make([]string, len(r))
		for i, v := range r {
			fields[i] = "NULL"
			if v != nil {
				fields[i] = *v
			}
		}
		out = append(out, strings.Join(fields, "|"))
	}
	return out
}

func expect(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

const scoreColumns = `partner_id, revenue_12m, units_12m, active_months_12m, first_purchase, last_purchase,
	loyalty, round(share_of_wallet, 4), score, plan`

// TestPartnerScores checks every column of partner_scores against hand-computed values.
// Rows are partner_id|revenue_12m|units_12m|active_months_12m|first_purchase|
// last_purchase|loyalty|share_of_wallet (rounded to 4 decimals)|score|plan.
//
// The cases run with scoring() unless tuned, at as_of 2026-03-31 unless said otherwise:
// the 12 months are the calendar months 2025-04..2026-03; lost means a last purchase
// <= 2025-09-30 (6 months); new a first purchase > 2025-12-31 (3 months). The weights sum
// to 1, so
// score = 100 × (0.4 R + 0.3 L + 0.2 S + 0.1 P) with R and P the percent ranks of revenue
// and potential, L the loyalty points and S = least(share / 0.3, 1).
func TestPartnerScores(t *testing.T) {
	tests := []struct {
		name     string
		asOf     string // default 2026-03-31
		tune     func(*config.Scoring)
		partners []partner
		lines    []line
		want     []string
	}{
		{
			name:     "loyal from exactly loyal_min_months active months",
			partners: []partner{{id: "L9"}, {id: "O8"}},
			lines:    slices.Concat(monthly("L9", "2025-07-15", 9, 100), monthly("O8", "2025-08-15", 8, 100)),
			// L9: Jul..Mar = 9 active months >= 9: loyal. O8: 8 months, too many for
			// opportunistic (<= 2): occasional. No potential: S = P = 0.
			// Revenue ranks: O8 0, L9 1.
			// L9: 100 × (0.4×1 + 0.3×1)   = 70.0;  O8: 100 × (0.4×0 + 0.3×0.5) = 15.0.
			// Both bought and rank <= 50: retention.
			want: []string{
				"L9|900.00|9.000|9|2025-07-15|2026-03-15|loyal|NULL|70.0|retention",
				"O8|800.00|8.000|8|2025-08-15|2026-03-15|occasional|NULL|15.0|retention",
			},
		},
		{
			name: "thresholds and weights come from the config",
			tune: func(s *config.Scoring) {
				s.LoyalMinMonths = 8
				s.Weights = config.Weights{Revenue: 1, Loyalty: 1}
			},
			partners: []partner{{id: "L9"}, {id: "O8"}},
			lines:    slices.Concat(monthly("L9", "2025-07-15", 9, 100), monthly("O8", "2025-08-15", 8, 100)),
			// Both loyal now (>= 8). Weights 1 and 1 are divided by their sum 2:
			// L9: 100 × (1×1 + 1×1) / 2 = 100.0;  O8: 100 × (1×0 + 1×1) / 2 = 50.0.
			want: []string{
				"L9|900.00|9.000|9|2025-07-15|2026-03-15|loyal|NULL|100.0|retention",
				"O8|800.00|8.000|8|2025-08-15|2026-03-15|loyal|NULL|50.0|retention",
			},
		},
		{
			name: "none, lost, new and opportunistic; retention, development, prospecting, support",
			tune: func(s *config.Scoring) { s.RetentionTopN = 1 },
			partners: []partner{
				{id: "N", potential: 6000}, {id: "X", potential: 200}, {id: "Y", potential: 4000},
				{id: "W", potential: 4000}, {id: "V", potential: 7000}, {id: "Z", potential: 100},
			},
			lines: []line{
				{partner: "X", date: "2025-09-30", qty: 1, amount: 500}, // last purchase exactly 6 months ago: lost
				{partner: "Y", date: "2025-01-10", qty: 1, amount: 200}, // before the window: lost, revenue 0
				{partner: "W", date: "2026-01-01", qty: 2, amount: 200}, // first purchase after 2025-12-31: new
				{partner: "V", date: "2025-12-31", qty: 3, amount: 300}, // exactly 3 months ago: not new
			},
			// Loyalty: N, Z never bought: none. X, Y lost. W new.
			//   V: 1 active month <= 2, best month 300 >= 0.6 × 300, and 300 >= the median
			//   of the positive revenues {200, 300, 500} = 300: opportunistic.
			// Share: X 500/200 = 2.5, W 200/4000 = 0.05, V 300/7000 = 0.0429, others 0/potential = 0.
			// High potential: quantile_cont(0.5) of {100, 200, 4000, 4000, 6000, 7000}
			//   = (4000 + 4000) / 2 = 4000.
			// Plans (retention_top_n 1, dense rank by revenue: X 1, V 2, W 3, others 4):
			//   X retention (share 2.5 >= 0.3, and rank 1); V opportunistic, 7000 >= 4000:
			//   prospecting; W new, 4000 >= 4000, share 0.05 < 0.3: development; N none and
			//   Y lost, both >= 4000: prospecting; Z none, 100 < 4000: support.
			// R (revenue percent rank, 6 partners): N, Y, Z 0; W 3/5 = 0.6; V 4/5 = 0.8; X 1.
			// P (potential): Z 0; X 1/5 = 0.2; Y, W 2/5 = 0.4; N 4/5 = 0.8; V 1.
			// L: none 0, lost 0.1, new 0.6, opportunistic 0.4.  S: X 1, W 0.05/0.3, V 0.042857/0.3.
			//   N: 100 × (0.1×0.8)                                      =  8.0
			//   V: 100 × (0.4×0.8 + 0.3×0.4 + 0.2×0.142857 + 0.1×1)   = 56.857 → 56.9
			//   W: 100 × (0.4×0.6 + 0.3×0.6 + 0.2×0.166667 + 0.1×0.4) = 49.333 → 49.3
			//   X: 100 × (0.4×1   + 0.3×0.1 + 0.2×1        + 0.1×0.2) = 65.0
			//   Y: 100 × (0.3×0.1 + 0.1×0.4)                           =  7.0
			//   Z: 0.0
			want: []string{
				"N|0.00|0.000|0|NULL|NULL|none|0.0|8.0|prospecting",
				"V|300.00|3.000|1|2025-12-31|2025-12-31|opportunistic|0.0429|56.9|prospecting",
				"W|200.00|2.000|1|2026-01-01|2026-01-01|new|0.05|49.3|development",
				"X|500.00|1.000|1|2025-09-30|2025-09-30|lost|2.5|65.0|retention",
				"Y|0.00|0.000|0|2025-01-10|2025-01-10|lost|0.0|7.0|prospecting",
				"Z|0.00|0.000|0|NULL|NULL|none|0.0|0.0|support",
			},
		},
		{
			name:     "retention by share at exactly share_high, development, support",
			tune:     func(s *config.Scoring) { s.RetentionTopN = 1 },
			partners: []partner{{id: "R1", potential: 10000}, {id: "R2", potential: 1000}, {id: "S1", potential: 900}, {id: "D1", potential: 5000}},
			lines: slices.Concat(
				monthly("R1", "2025-06-10", 10, 100), // 10 active months: loyal, 1000
				monthly("R2", "2025-10-10", 3, 100),  // 3 active months: occasional, 300
				monthly("S1", "2025-10-10", 3, 50),   // occasional, 150
				monthly("D1", "2025-10-10", 3, 50),   // occasional, 150
			),
			// Share: R1 0.1, R2 300/1000 = 0.3, S1 150/900 = 0.1667, D1 150/5000 = 0.03.
			// High potential: quantile_cont(0.5) of {900, 1000, 5000, 10000} = 3000.
			// Plans: R1 rank 1: retention; R2 rank 2 but share 0.3 >= 0.3: retention;
			//   D1 occasional, 5000 >= 3000, share < 0.3: development; S1 900 < 3000: support.
			// R: S1, D1 0; R2 2/3; R1 1.  P: S1 0; R2 1/3; D1 2/3; R1 1.
			//   D1: 100 × (0.3×0.5 + 0.2×0.1 + 0.1×2/3)                   = 23.667 → 23.7
			//   R1: 100 × (0.4 + 0.3 + 0.2×0.3333 + 0.1)                  = 86.667 → 86.7
			//   R2: 100 × (0.4×2/3 + 0.3×0.5 + 0.2×1 + 0.1×1/3)           = 65.0
			//   S1: 100 × (0.3×0.5 + 0.2×0.5556)                          = 26.111 → 26.1
			want: []string{
				"D1|150.00|3.000|3|2025-10-10|2025-12-10|occasional|0.03|23.7|development",
				"R1|1000.00|10.000|10|2025-06-10|2026-03-10|loyal|0.1|86.7|retention",
				"R2|300.00|3.000|3|2025-10-10|2025-12-10|occasional|0.3|65.0|retention",
				"S1|150.00|3.000|3|2025-10-10|2025-12-10|occasional|0.1667|26.1|support",
			},
		},
		{
			name:     "a return empties a month; lines without rate count in units only; no potential",
			partners: []partner{{id: "R"}, {id: "Z", potential: 0}},
			lines: []line{
				{partner: "R", date: "2025-06-10", qty: 1, amount: 100},
				{partner: "R", date: "2026-02-10", qty: 1, amount: 100},
				{partner: "R", date: "2026-02-20", qty: 5, amount: 999, noRate: true}, // amount_base NULL
				{partner: "R", date: "2026-03-10", qty: 1, amount: 100},
				{partner: "R", date: "2026-03-20", qty: -1, amount: -100}, // return: March nets 0
				{partner: "R", date: "2026-01-10", qty: 9, amount: 5000, superseded: true},
				{date: "2026-03-01", qty: 9, amount: 5000}, // unmatched
			},
			// R: revenue 100 + 100 + 100 - 100 = 200; units 1 + 1 + 5 + 1 - 1 = 7; active
			//   months Jun and Feb (March nets 0, January's line is superseded) = 2; last
			//   purchase 2026-03-10 (the return is no purchase). Best month 100 < 0.6 × 200:
			//   not opportunistic, occasional. No potential: share NULL.
			// Z: potential 0: share NULL; potential 0 is never high: support.
			// R: 100 × (0.4×1 + 0.3×0.5) = 55.0; Z: 0.0.
			want: []string{
				"R|200.00|7.000|2|2025-06-10|2026-03-10|occasional|NULL|55.0|retention",
				"Z|0.00|0.000|0|NULL|NULL|none|NULL|0.0|support",
			},
		},
		{
			name:     "opportunistic needs a big deal",
			tune:     func(s *config.Scoring) { s.RetentionTopN = 1 },
			partners: []partner{{id: "B"}, {id: "B2"}, {id: "T"}, {id: "S"}, {id: "M"}},
			lines: slices.Concat(
				[]line{
					{partner: "B", date: "2025-11-15", qty: 1, amount: 1000},
					{partner: "B2", date: "2025-10-15", qty: 1, amount: 600},
					{partner: "B2", date: "2025-11-15", qty: 1, amount: 400},
					{partner: "T", date: "2025-10-15", qty: 1, amount: 500},
					{partner: "T", date: "2025-11-15", qty: 1, amount: 500},
					{partner: "S", date: "2025-11-15", qty: 1, amount: 100},
				},
				monthly("M", "2025-04-15", 12, 100),
			),
			// Median of the positive revenues {100, 1000, 1000, 1000, 1200} = 1000.
			// B: 1 month, 1000 >= 0.6 × 1000, 1000 >= 1000: opportunistic.
			// B2: 2 months, best 600 >= 0.6 × 1000 exactly: opportunistic.
			// T: best 500 < 600: occasional.  S: 100 < median 1000: occasional.  M: loyal.
			// R: S 0; B, B2, T 1/4; M 1.  No potential.
			//   B, B2: 100 × (0.4×0.25 + 0.3×0.4) = 22.0;  T: 100 × (0.1 + 0.15) = 25.0
			//   S: 100 × 0.3×0.5 = 15.0;  M: 100 × (0.4 + 0.3) = 70.0
			// Plans: M rank 1: retention; the others have no potential: support.
			want: []string{
				"B|1000.00|1.000|1|2025-11-15|2025-11-15|opportunistic|NULL|22.0|support",
				"B2|1000.00|2.000|2|2025-10-15|2025-11-15|opportunistic|NULL|22.0|support",
				"M|1200.00|12.000|12|2025-04-15|2026-03-15|loyal|NULL|70.0|retention",
				"S|100.00|1.000|1|2025-11-15|2025-11-15|occasional|NULL|15.0|support",
				"T|1000.00|2.000|2|2025-10-15|2025-11-15|occasional|NULL|25.0|support",
			},
		},
		{
			name:     "as_of in the middle of a month: 12 months from day to day",
			asOf:     "2026-03-15",
			partners: []partner{{id: "E"}},
			lines: slices.Concat(
				[]line{
					{partner: "E", date: "2025-03-15", qty: 1, amount: 999}, // = as_of - 12 months: before the window
					{partner: "E", date: "2026-03-10", qty: 1, amount: 100},
				},
				monthly("E", "2025-03-20", 12, 100), // 2025-03-20 .. 2026-02-20
			),
			// Months: 2025-03-20 is in month 11 (2025-03-16 .. 2025-04-15), ..., 2026-02-20
			// and 2026-03-10 both in month 0 (2026-02-16 .. 2026-03-15): 12 active months,
			// although the lines touch 13 calendar months. Revenue 13 × 100 = 1300.
			// Only partner: percent ranks 0. 100 × 0.3×1 = 30.0.
			want: []string{"E|1300.00|13.000|12|2025-03-15|2026-03-10|loyal|NULL|30.0|retention"},
		},
		{
			name:     "as_of at the end of a 30-day month: calendar months",
			asOf:     "2026-04-30",
			partners: []partner{{id: "F"}, {id: "G"}, {id: "H"}},
			lines: []line{
				{partner: "F", date: "2025-04-30", qty: 1, amount: 50}, // = as_of - 12 months: before the window
				{partner: "F", date: "2025-05-01", qty: 1, amount: 100},
				{partner: "F", date: "2026-03-31", qty: 1, amount: 100},
				{partner: "F", date: "2026-04-01", qty: 1, amount: 100},
				{partner: "G", date: "2025-10-31", qty: 1, amount: 100},
				{partner: "H", date: "2026-01-31", qty: 1, amount: 100},
			},
			// Months are May 2025 .. April 2026, so F's 2026-03-31 (March) and 2026-04-01
			// (April) are two months: 3 active months, occasional.
			// 6 months before as_of is 2025-10-31 (not 10-30): G, last purchase that day, is
			// lost. 3 months before is 2026-01-31: H, first purchase that day, is not new;
			// 1 month <= 2, 100 >= 0.6 × 100, 100 >= median {100, 100, 300}: opportunistic.
			// R: G, H 0; F 1.  F: 100 × (0.4 + 0.3×0.5) = 55.0;  G: 100 × 0.3×0.1 = 3.0;
			// H: 100 × 0.3×0.4 = 12.0.
			want: []string{
				"F|300.00|3.000|3|2025-04-30|2026-04-01|occasional|NULL|55.0|retention",
				"G|100.00|1.000|1|2025-10-31|2025-10-31|lost|NULL|3.0|retention",
				"H|100.00|1.000|1|2026-01-31|2026-01-31|opportunistic|NULL|12.0|retention",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newDB(t)
			insertPartners(t, db, tt.partners)
			insertLines(t, db, tt.lines)
			s := scoring()
			if tt.tune != nil {
				tt.tune(&s)
			}
			res := run(t, db, cmp.Or(tt.asOf, "2026-03-31"), s)
			if res.Partners != int64(len(tt.partners)) {
				t.Errorf("Result.Partners = %d, want %d", res.Partners, len(tt.partners))
			}
			expect(t, joined(rows(t, db, `SELECT `+scoreColumns+` FROM partner_scores ORDER BY partner_id`)), tt.want)
		})
	}
}

// kpiLines is the sales-out of the KPI cases. At as_of 2026-03-31 the year to date holds
// K1, K2, K3, K4 and K7 (K5 is of 2025, K6 after as_of, K8 superseded):
//
//	total         revenue 1000+500+200+100 = 1800 (K7 has no rate)  units 10+5+2+1+3 = 21
//	territory     T-N (P1: K1, K4) 1100 / 11      T-S (P2: K2, K7) 500 / 8
//	sales_rep     R1 = P1 1100 / 11               R2 = P2 500 / 8
//	product_line  Drills (K1, K3) 1200 / 12       Saws (K2, K4, K7) 600 / 9
//	distributor   ACME (K1, K2) 1500 / 15         BRAVO (K3, K4, K7) 300 / 6
//
// At 2026-03-15: K1, K2, K7: total 1500 / 18.
var (
	kpiPartners = []partner{{id: "P1", territory: "T-N", rep: "R1"}, {id: "P2", territory: "T-S", rep: "R2"}}
	kpiLines    = []line{
		{partner: "P1", date: "2026-01-10", qty: 10, amount: 1000, distributor: "ACME", productLine: "Drills"},            // K1
		{partner: "P2", date: "2026-02-10", qty: 5, amount: 500, distributor: "ACME", productLine: "Saws"},                // K2
		{date: "2026-03-20", qty: 2, amount: 200, distributor: "BRAVO", productLine: "Drills"},                            // K3 unmatched
		{partner: "P1", date: "2026-03-31", qty: 1, amount: 100, distributor: "BRAVO", productLine: "Saws"},               // K4
		{partner: "P1", date: "2025-12-31", qty: 99, amount: 9999, distributor: "ACME", productLine: "Drills"},            // K5
		{partner: "P2", date: "2026-04-01", qty: 99, amount: 9999, distributor: "ACME", productLine: "Drills"},            // K6
		{partner: "P2", date: "2026-02-15", qty: 3, amount: 300, noRate: true, distributor: "BRAVO", productLine: "Saws"}, // K7
		{partner: "P1", date: "2026-01-15", qty: 50, amount: 5000, superseded: true, distributor: "ACME"},                 // K8
	}
)

// TestKPIDeviations checks kpi_deviations against hand-computed values. Rows are
// scope|scope_id|kpi|period|actual|target|annual_target|deviation_pct|severity.
// At 2026-03-31 the day of year is 31 + 28 + 31 = 90 of 365, and March is complete.
func TestKPIDeviations(t *testing.T) {
	tests := []struct {
		name    string
		asOf    string
		targets []target
		want    []string
		result  Result
	}{
		{
			name: "annual targets, pro rata by day of year",
			asOf: "2026-03-31",
			targets: []target{
				{year: 2026, scope: "total", scopeID: "all", kpi: "revenue", target: 7300},
				{year: 2026, scope: "total", scopeID: "all", kpi: "units", target: 365000},
				{year: 2026, scope: "sales_rep", scopeID: "R1", kpi: "revenue", target: 4000},
				{year: 2026, scope: "territory", scopeID: "T-X", kpi: "revenue", target: 1000},
			},
			// R1 revenue: due 4000 × 90/365 = 986.30; (1100 - 986.30) / 986.30 = +11.53 %.
			// total revenue: due 7300 × 90/365 = 1800; actual 1800: 0 %.
			// total units: due 365000 × 90/365 = 90000; (21 - 90000) / 90000 = -99.98 %.
			// T-X has no partner, so no line: actual 0; due 1000 × 90/365 = 246.58: -100 %.
			want: []string{
				"sales_rep|R1|revenue|ytd|1100.00|986.30|4000.00|11.53|ok",
				"territory|T-X|revenue|ytd|0.00|246.58|1000.00|-100.0|critical",
				"total|all|revenue|ytd|1800.00|1800.00|7300.00|0.0|ok",
				"total|all|units|ytd|21.00|90000.00|365000.00|-99.98|critical",
			},
			result: Result{Deviations: 4, Criticals: 2},
		},
		{
			name:    "annual target in a leap year",
			asOf:    "2028-03-01",
			targets: []target{{year: 2028, scope: "total", scopeID: "all", kpi: "revenue", target: 36600}},
			// Day 31 + 29 + 1 = 61 of 366: 36600 × 61/366 = 6100. No line in 2028.
			want:   []string{"total|all|revenue|ytd|0.00|6100.00|36600.00|-100.0|critical"},
			result: Result{Deviations: 1, Criticals: 1},
		},
		{
			name: "monthly targets",
			asOf: "2026-03-31",
			targets: []target{
				{year: 2026, scope: "total", scopeID: "all", kpi: "revenue", target: 500, month: 1},
				{year: 2026, scope: "total", scopeID: "all", kpi: "revenue", target: 500, month: 2},
				{year: 2026, scope: "total", scopeID: "all", kpi: "revenue", target: 1000, month: 3},
				{year: 2026, scope: "total", scopeID: "all", kpi: "revenue", target: 1000, month: 4},
				{year: 2026, scope: "partner", scopeID: "P2", kpi: "revenue", target: 600, month: 3},
			},
			// total: due 500 + 500 + 1000 × 31/31 = 2000 (April not yet); annual = the sum
			//   of the months, 3000; (1800 - 2000) / 2000 = -10 %: warning, at the threshold.
			// P2: no row for January and February (0) + 600 × 31/31 = 600;
			//   (500 - 600) / 600 = -16.67 %: warning.
			want: []string{
				"partner|P2|revenue|ytd|500.00|600.00|600.00|-16.67|warning",
				"total|all|revenue|ytd|1800.00|2000.00|3000.00|-10.0|warning",
			},
			result: Result{Deviations: 2, Warnings: 2},
		},
		{
			name: "monthly and annual targets in the middle of a month",
			asOf: "2026-03-15",
			targets: []target{
				{year: 2026, scope: "total", scopeID: "all", kpi: "revenue", target: 500, month: 1},
				{year: 2026, scope: "total", scopeID: "all", kpi: "revenue", target: 500, month: 2},
				{year: 2026, scope: "total", scopeID: "all", kpi: "revenue", target: 1000, month: 3},
				{year: 2026, scope: "total", scopeID: "all", kpi: "units", target: 365000},
			},
			// revenue: 500 + 500 + 1000 × 15/31 = 1483.87; (1500 - 1483.87) / 1483.87 = +1.09 %.
			// units: day 31 + 28 + 15 = 74: 365000 × 74/365 = 74000; (18 - 74000) / 74000 = -99.98 %.
			want: []string{
				"total|all|revenue|ytd|1500.00|1483.87|2000.00|1.09|ok",
				"total|all|units|ytd|18.00|74000.00|365000.00|-99.98|critical",
			},
			result: Result{Deviations: 2, Criticals: 1},
		},
		{
			name: "each scope",
			asOf: "2026-03-31",
			targets: []target{
				{year: 2026, scope: "territory", scopeID: "T-N", kpi: "revenue", target: 365000},
				{year: 2026, scope: "territory", scopeID: "T-S", kpi: "units", target: 36.5},
				{year: 2026, scope: "sales_rep", scopeID: "R2", kpi: "units", target: 2, month: 1},
				{year: 2026, scope: "sales_rep", scopeID: "R2", kpi: "units", target: 2, month: 2},
				{year: 2026, scope: "sales_rep", scopeID: "R2", kpi: "units", target: 4, month: 3},
				{year: 2026, scope: "partner", scopeID: "P1", kpi: "revenue", target: 3650},
				{year: 2026, scope: "product_line", scopeID: "Drills", kpi: "revenue", target: 4866.67},
				{year: 2026, scope: "product_line", scopeID: "Saws", kpi: "units", target: 36.5},
				{year: 2026, scope: "distributor", scopeID: "ACME", kpi: "revenue", target: 2000, month: 1},
				{year: 2026, scope: "distributor", scopeID: "BRAVO", kpi: "units", target: 36.5},
			},
			// T-N revenue 1100 vs 365000 × 90/365 = 90000: -98.78 %.
			// T-S units 8 vs 36.5 × 90/365 = 9: -11.11 %: warning.
			// R2 units 8 vs 2 + 2 + 4 = 8: 0 %.
			// P1 revenue 1100 vs 3650 × 90/365 = 900: +22.22 %.
			// Drills revenue 1200 vs 4866.67 × 90/365 = 1200.0008 → 1200.00: 0 %.
			// Saws units 9 vs 9: 0 %.
			// ACME revenue 1500 vs 2000: -25 %: critical, at the threshold.
			// BRAVO units 6 vs 9: -33.33 %: critical.
			want: []string{
				"distributor|ACME|revenue|ytd|1500.00|2000.00|2000.00|-25.0|critical",
				"distributor|BRAVO|units|ytd|6.00|9.00|36.50|-33.33|critical",
				"partner|P1|revenue|ytd|1100.00|900.00|3650.00|22.22|ok",
				"product_line|Drills|revenue|ytd|1200.00|1200.00|4866.67|0.0|ok",
				"product_line|Saws|units|ytd|9.00|9.00|36.50|0.0|ok",
				"sales_rep|R2|units|ytd|8.00|8.00|8.00|0.0|ok",
				"territory|T-N|revenue|ytd|1100.00|90000.00|365000.00|-98.78|critical",
				"territory|T-S|units|ytd|8.00|9.00|36.50|-11.11|warning",
			},
			result: Result{Deviations: 8, Warnings: 1, Criticals: 3},
		},
		{
			name: "severities at the thresholds",
			asOf: "2026-03-31",
			targets: []target{
				{year: 2026, scope: "total", scopeID: "all", kpi: "revenue", target: 2000, month: 1},
				{year: 2026, scope: "distributor", scopeID: "ACME", kpi: "revenue", target: 2000, month: 1},
				{year: 2026, scope: "distributor", scopeID: "BRAVO", kpi: "revenue", target: 333.30, month: 1},
				{year: 2026, scope: "partner", scopeID: "P1", kpi: "revenue", target: 1466.47, month: 1},
			},
			// total: (1800 - 2000) / 2000 = -10.00 %: warning (<= -10).
			// ACME: (1500 - 2000) / 2000 = -25.00 %: critical (<= -25).
			// BRAVO: (300 - 333.30) / 333.30 = -9.991 → -9.99 %: ok.
			// P1: (1100 - 1466.47) / 1466.47 = -24.990 → -24.99 %: warning.
			want: []string{
				"distributor|ACME|revenue|ytd|1500.00|2000.00|2000.00|-25.0|critical",
				"distributor|BRAVO|revenue|ytd|300.00|333.30|333.30|-9.99|ok",
				"partner|P1|revenue|ytd|1100.00|1466.47|1466.47|-24.99|warning",
				"total|all|revenue|ytd|1800.00|2000.00|2000.00|-10.0|warning",
			},
			result: Result{Deviations: 4, Warnings: 2, Criticals: 1},
		},
		{
			name: "zero target",
			asOf: "2026-03-31",
			targets: []target{
				{year: 2026, scope: "partner", scopeID: "P1", kpi: "units", target: 0},
				{year: 2026, scope: "product_line", scopeID: "Saws", kpi: "revenue", target: 0, month: 1},
			},
			// Nothing due: no deviation can be computed, deviation_pct NULL, severity ok.
			want: []string{
				"partner|P1|units|ytd|11.00|0.00|0.00|NULL|ok",
				"product_line|Saws|revenue|ytd|600.00|0.00|0.00|NULL|ok",
			},
			result: Result{Deviations: 2},
		},
		{
			name: "monthly rows win over an annual row; other years are ignored",
			asOf: "2026-03-31",
			targets: []target{
				{year: 2026, scope: "distributor", scopeID: "ACME", kpi: "units", target: 100},
				{year: 2026, scope: "distributor", scopeID: "ACME", kpi: "units", target: 10, month: 1},
				{year: 2025, scope: "total", scopeID: "all", kpi: "revenue", target: 999},
				{year: 2027, scope: "total", scopeID: "all", kpi: "revenue", target: 999, month: 1},
			},
			// ACME units: due from the months, 10 (February and March have no row); the
			// annual target is the annual row, 100. (15 - 10) / 10 = +50 %.
			want:   []string{"distributor|ACME|units|ytd|15.00|10.00|100.00|50.0|ok"},
			result: Result{Deviations: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newDB(t)
			insertPartners(t, db, kpiPartners)
			insertLines(t, db, kpiLines)
			insertTargets(t, db, tt.targets)
			res := run(t, db, tt.asOf, scoring())
			tt.result.Partners = int64(len(kpiPartners))
			if res != tt.result {
				t.Errorf("Result = %+v, want %+v", res, tt.result)
			}
			expect(t, joined(rows(t, db, `SELECT scope, scope_id, kpi, period, actual, target, annual_target, deviation_pct, severity
				FROM kpi_deviations WHERE as_of = ?::DATE AND period = 'ytd' ORDER BY scope, scope_id, kpi`, tt.asOf)), tt.want)
		})
	}
}

// TestRunReplacesRowsOfSameAsOf checks that a re-run replaces the rows of its as_of, and
// only those.
func TestRunReplacesRowsOfSameAsOf(t *testing.T) {
	db := newDB(t)
	insertPartners(t, db, kpiPartners)
	insertLines(t, db, kpiLines)
	insertTargets(t, db, []target{
		{year: 2026, scope: "total", scopeID: "all", kpi: "revenue", target: 7300},
		{year: 2026, scope: "distributor", scopeID: "ACME", kpi: "revenue", target: 2000, month: 1},
	})
	first := run(t, db, "2026-03-31", scoring())
	want := Result{Partners: 2, Deviations: 2, Criticals: 1}
	if first != want {
		t.Fatalf("first run: %+v, want %+v", first, want)
	}
	if again := run(t, db, "2026-03-31", scoring()); again != first {
		t.Errorf("second run: %+v, want %+v", again, first)
	}
	tables := `SELECT as_of, (SELECT count(*) FROM partner_scores p WHERE p.as_of = d.as_of), count(*)
		FROM kpi_deviations d GROUP BY as_of ORDER BY as_of`
	expect(t, joined(rows(t, db, tables)), []string{"2026-03-31|2|6"}) // ytd, qtd and mtd

	// Another as_of adds its own rows; a partner gone from the channel database
	// disappears from a re-run of the same as_of.
	run(t, db, "2026-02-28", scoring())
	exec(t, db, `DELETE FROM partners WHERE partner_id = 'P2'`)
	if res := run(t, db, "2026-03-31", scoring()); res.Partners != 1 {
		t.Errorf("re-run without P2: %d partners, want 1", res.Partners)
	}
	expect(t, joined(rows(t, db, tables)), []string{"2026-02-28|2|6", "2026-03-31|1|6"})
}

func TestRunRefusesZeroWeights(t *testing.T) {
	db := newDB(t)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	s := scoring()
	s.Weights = config.Weights{}
	if _, err := Run(context.Background(), tx, time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), s); err == nil {
		t.Error("Run accepted weights summing to zero")
	}
}

// TestGolden keeps the full output of a small fixture in testdata/*.golden (CSV, empty
// field for NULL); go test -update rewrites them.
func TestGolden(t *testing.T) {
	db := newDB(t)
	insertPartners(t, db, []partner{
		{id: "P1", territory: "T-N", rep: "R1", potential: 20000},
		{id: "P2", territory: "T-S", rep: "R2", potential: 1500},
		{id: "P3", territory: "T-N", rep: "R1", potential: 8000},
		{id: "P4", territory: "T-S", rep: "R2"},
	})
	insertLines(t, db, slices.Concat(
		kpiLines,
		monthly("P1", "2025-05-05", 11, 250),
		monthly("P3", "2024-06-20", 3, 400),
	))
	insertTargets(t, db, []target{
		{year: 2026, scope: "total", scopeID: "all", kpi: "revenue", target: 20000},
		{year: 2026, scope: "territory", scopeID: "T-N", kpi: "units", target: 10, month: 1},
		{year: 2026, scope: "territory", scopeID: "T-N", kpi: "units", target: 10, month: 2},
		{year: 2026, scope: "territory", scopeID: "T-N", kpi: "units", target: 10, month: 3},
		{year: 2026, scope: "sales_rep", scopeID: "R2", kpi: "revenue", target: 3000},
		{year: 2026, scope: "distributor", scopeID: "BRAVO", kpi: "revenue", target: 0},
	})
	s := scoring()
	s.RetentionTopN = 1
	run(t, db, "2026-03-31", s)

	for _, g := range []struct{ file, query string }{
		{"partner_scores.golden", `SELECT * FROM partner_scores ORDER BY partner_id`},
		{"kpi_deviations.golden", `SELECT * FROM kpi_deviations ORDER BY scope, scope_id, kpi, period`},
	} {
		t.Run(g.file, func(t *testing.T) {
			got := goldenCSV(t, db, g.query)
			path := filepath.Join("testdata", g.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs (go test -update rewrites it):\ngot:\n%s\nwant:\n%s", path, got, want)
			}
		})
	}
}

// goldenCSV renders the result of q as CSV with a header, NULL as an empty field.
func goldenCSV(t *testing.T, db *sql.DB, q string) []byte {
	t.Helper()
	rs, err := db.Query(q + " LIMIT 0")
	if err != nil {
		t.Fatal(err)
	}
	header, err := rs.Columns()
	rs.Close()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(header)
	for _, r := range rows(t, db, q) {
		rec := make([]string, len(r))
		for i, v := range r {
			if v != nil {
				rec[i] = *v
			}
		}
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
