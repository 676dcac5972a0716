package score

import (
	"cmp"
	"database/sql"
	"testing"

	"github.com/salesout/salesout/pipeline/config"
)

// place is a partner of the channel database with where it is.
type place struct {
	id, territory, rep string
	country, postcode  string // "" = NULL
}

// sale is a sales-out line; partner "" is unmatched; productLine defaults to Drills.
type sale struct {
	partner           string
	date              string
	qty, amount       float64
	country, postcode string // the reseller's, as the distributor wrote them; "" = NULL
	productLine       string
}

func insertPlaces(t *testing.T, db *sql.DB, ps []place) {
	t.Helper()
	for _, p := range ps {
		exec(t, db, `INSERT INTO partners (partner_id, name, territory, sales_rep, country, postcode)
		             VALUES (?, ?, nullif(?, ''), nullif(?, ''), nullif(?, ''), nullif(?, ''))`,
			p.id, "Partner "+p.id, p.territory, p.rep, p.country, p.postcode)
	}
}

func insertSales(t *testing.T, db *sql.DB, ss []sale) {
	t.Helper()
	for i, s := range ss {
		exec(t, db, `INSERT INTO lines (line_id, file_id, line_no, distributor, invoice_date, quantity, amount, currency,
		                                amount_base, partner_id, product_line, reseller_country, reseller_postcode)
		             VALUES (?, 1, ?, 'ACME', ?::DATE, ?, ?, 'EUR', ?, nullif(?, ''), ?, nullif(?, ''), nullif(?, ''))`,
			i+1, i+1, s.date, s.qty, s.amount, s.amount, s.partner, cmp.Or(s.productLine, "Drills"), s.country, s.postcode)
	}
}

const deviationColumns = `scope, scope_id, kpi, period, actual, target, annual_target, phasing, deviation_pct, severity,
	last_year_actual, yoy_pct, projected_year_end, unmatched_revenue, unmatched_units`

// TestDeviationRules checks each period, phasing and deviation rule of kpi_deviations
// against hand-computed values. Rows are scope|scope_id|kpi|period|actual|target|
// annual_target|phasing|deviation_pct|severity|last_year_actual|yoy_pct|
// projected_year_end|unmatched_revenue|unmatched_units, periods in the order mtd, qtd, ytd.
// Severities with scoring(): warning at or below -10 %, critical at or below -25 %.
//
// projected_year_end = ytd actual + (annual - ytd target) × actual / target; for ytd,
// actual × annual / ytd target.
func TestDeviationRules(t *testing.T) {
	tests := []struct {
		name     string
		asOf     string
		phasing  string // default even
		partners []place
		sales    []sale
		targets  []target
		want     []string
		result   Result // ytd rows
	}{
		{
			name: "even phasing by days in each period; last year's same dates; a total target without id",
			asOf: "2026-05-20",
			sales: []sale{
				{date: "2026-01-15", qty: 1, amount: 1000},
				{date: "2026-04-10", qty: 1, amount: 2000},
				{date: "2026-05-05", qty: 1, amount: 1500},
				{date: "2026-05-21", qty: 1, amount: 9999}, // after as_of
				{date: "2025-03-31", qty: 1, amount: 800},  // last year's ytd only
				{date: "2025-05-20", qty: 1, amount: 500},  // as_of - 1 year: in every period of last year
				{date: "2025-05-21", qty: 1, amount: 700},  // after as_of - 1 year
				{date: "2024-12-31", qty: 1, amount: 900},
			},
			targets: []target{{year: 2026, scope: "total", kpi: "revenue", target: 36500}},
			// Days to as_of: ytd 31+28+31+30+20 = 140, qtd (from 1 April) 30+20 = 50, mtd 20;
			// 36500 × days / 365 = 14000, 5000, 2000.
			// Actual: ytd 1000+2000+1500 = 4500, qtd 3500, mtd 1500.
			// Last year: ytd 2025-01-01..2025-05-20 = 800+500 = 1300; qtd from 2025-04-01 = 500; mtd 500.
			// ytd: (4500-14000)/14000 = -67.86 %; yoy (4500-1300)/1300 = +246.15 %;
			//      projected 4500 × 36500/14000 = 11732.14.
			// qtd: -30 %; yoy (3500-500)/500 = +600 %; projected 4500 + 22500 × 3500/5000 = 20250.
			// mtd: -25 %, critical at the threshold; yoy +200 %; projected 4500 + 22500 × 0.75 = 21375.
			want: []string{
				"total||revenue|mtd|1500.00|2000.00|36500.00|even|-25.0|critical|500.00|200.0|21375.00|NULL|NULL",
				"total||revenue|qtd|3500.00|5000.00|36500.00|even|-30.0|critical|500.00|600.0|20250.00|NULL|NULL",
				"total||revenue|ytd|4500.00|14000.00|36500.00|even|-67.86|critical|1300.00|246.15|11732.14|NULL|NULL",
			},
			result: Result{Deviations: 1, Criticals: 1},
		},
		{
			name:    "last_year phasing, its fallback to even, and monthly targets that win over it",
			asOf:    "2026-03-31",
			phasing: config.PhasingLastYear,
			partners: []place{
				{id: "P1", territory: "T-N", rep: "R1"}, {id: "P2", territory: "T-N", rep: "R1"}, {id: "P3", territory: "T-S", rep: "R2"},
			},
			sales: []sale{
				{partner: "P1", date: "2025-01-10", qty: 1, amount: 100},
				{partner: "P1", date: "2025-03-10", qty: 3, amount: 300},
				{partner: "P1", date: "2025-06-10", qty: 6, amount: 600},
				{partner: "P1", date: "2025-12-05", qty: 1, amount: 100},
				{partner: "P1", date: "2025-12-20", qty: -3, amount: -300}, // December nets -200: counts 0
				{partner: "P1", date: "2026-01-10", qty: 10, amount: 1000},
				{partner: "P1", date: "2026-03-15", qty: 20, amount: 2000},
				{partner: "P3", date: "2025-04-10", qty: 1, amount: 50},
				{partner: "P3", date: "2025-04-20", qty: -2, amount: -100}, // P3's only month of 2025 nets -50
			},
			targets: []target{
				{year: 2026, scope: "partner", scopeID: "P1", kpi: "revenue", target: 12000},
				{year: 2026, scope: "partner", scopeID: "P2", kpi: "revenue", target: 3650},
				{year: 2026, scope: "partner", scopeID: "P3", kpi: "revenue", target: 3650},
				{year: 2026, scope: "total", kpi: "revenue", target: 500, month: 1},
				{year: 2026, scope: "total", kpi: "revenue", target: 1000, month: 3},
			},
			// P1, last_year: 2025 months Jan 100, Mar 300, Jun 600, Dec 0 (returns > sales):
			//   sum 1000, so 12000 × 0.1 = 1200 in January, × 0.3 = 3600 in March, × 0.6 = 7200 in June.
			//   ytd = qtd: 1200 + 0 + 3600 = 4800; mtd 3600. Actual ytd 3000, mtd 2000.
			//   ytd (3000-4800)/4800 = -37.5 %; mtd (2000-3600)/3600 = -44.44 %.
			//   Last year ytd 100+300 = 400: +650 %; mtd 300: +566.67 %.
			//   Projected ytd 3000 × 12000/4800 = 7500; mtd 3000 + 7200 × 2000/3600 = 7000.
			// P2 sold nothing last year: even, 3650 × 90/365 = 900 (ytd), × 31/365 = 310 (mtd).
			//   Actual 0: -100 %; no last year: yoy NULL; projected 0.
			// P3's 2025 nets -50: no profile, even as P2; last year's Q1 is empty: 0.
			// total has monthly rows: monthly, whatever the phasing: ytd 500 + 0 + 1000 = 1500,
			//   mtd 1000; annual 1500. Actual = P1's; +100 %; projected 3000 × 1500/1500 = 3000.
			want: []string{
				"partner|P1|revenue|mtd|2000.00|3600.00|12000.00|last_year|-44.44|critical|300.00|566.67|7000.00|NULL|NULL",
				"partner|P1|revenue|qtd|3000.00|4800.00|12000.00|last_year|-37.5|critical|400.00|650.0|7500.00|NULL|NULL",
				"partner|P1|revenue|ytd|3000.00|4800.00|12000.00|last_year|-37.5|critical|400.00|650.0|7500.00|NULL|NULL",
				"partner|P2|revenue|mtd|0.00|310.00|3650.00|even|-100.0|critical|0.00|NULL|0.00|NULL|NULL",
				"partner|P2|revenue|qtd|0.00|900.00|3650.00|even|-100.0|critical|0.00|NULL|0.00|NULL|NULL",
				"partner|P2|revenue|ytd|0.00|900.00|3650.00|even|-100.0|critical|0.00|NULL|0.00|NULL|NULL",
				"partner|P3|revenue|mtd|0.00|310.00|3650.00|even|-100.0|critical|0.00|NULL|0.00|NULL|NULL",
				"partner|P3|revenue|qtd|0.00|900.00|3650.00|even|-100.0|critical|0.00|NULL|0.00|NULL|NULL",
				"partner|P3|revenue|ytd|0.00|900.00|3650.00|even|-100.0|critical|0.00|NULL|0.00|NULL|NULL",
				"total||revenue|mtd|2000.00|1000.00|1500.00|monthly|100.0|ok|300.00|566.67|3000.00|NULL|NULL",
				"total||revenue|qtd|3000.00|1500.00|1500.00|monthly|100.0|ok|400.00|650.0|3000.00|NULL|NULL",
				"total||revenue|ytd|3000.00|1500.00|1500.00|monthly|100.0|ok|400.00|650.0|3000.00|NULL|NULL",
			},
			result: Result{Deviations: 4, Criticals: 3},
		},
		{
			name: "a leap year: as_of on 29 February",
			asOf: "2028-02-29",
			sales: []sale{
				{date: "2027-01-31", qty: 1, amount: 500},
				{date: "2027-02-28", qty: 1, amount: 1000},
				{date: "2028-02-29", qty: 1, amount: 3000},
			},
			targets: []target{{year: 2028, scope: "total", scopeID: "all", kpi: "revenue", target: 36600}},
			// ytd = qtd: 31 + 29 = 60 days of 366: 6000; mtd 29 days: 2900.
			// ytd (3000-6000)/6000 = -50 %; mtd (3000-2900)/2900 = +3.45 %.
			// Last year ends 2027-02-28 (as_of is a month end: the end of February 2027):
			//   ytd 1500, mtd 1000: yoy +100 %, +200 %.
			// Projected ytd 3000 × 36600/6000 = 18300; mtd 3000 + 30600 × 3000/2900 = 34655.17.
			want: []string{
				"total|all|revenue|mtd|3000.00|2900.00|36600.00|even|3.45|ok|1000.00|200.0|34655.17|NULL|NULL",
				"total|all|revenue|qtd|3000.00|6000.00|36600.00|even|-50.0|critical|1500.00|100.0|18300.00|NULL|NULL",
				"total|all|revenue|ytd|3000.00|6000.00|36600.00|even|-50.0|critical|1500.00|100.0|18300.00|NULL|NULL",
			},
			result: Result{Deviations: 1, Criticals: 1},
		},
		{
			name: "the year after a leap year: the end of February compares with 29 February",
			asOf: "2029-02-28",
			sales: []sale{
				{date: "2028-02-28", qty: 1, amount: 300},
				{date: "2028-02-29", qty: 1, amount: 700},
				{date: "2029-02-10", qty: 1, amount: 400},
			},
			targets: []target{{year: 2029, scope: "total", scopeID: "all", kpi: "revenue", target: 36500}},
			// ytd 59 days of 365: 5900; mtd 28: 2800. Last year runs to 2028-02-29: 1000.
			// ytd (400-5900)/5900 = -93.22 %; mtd (400-2800)/2800 = -85.71 %; yoy -60 %.
			// Projected ytd 400 × 36500/5900 = 2474.58; mtd 400 + 30600 × 400/2800 = 4771.43.
			want: []string{
				"total|all|revenue|mtd|400.00|2800.00|36500.00|even|-85.71|critical|1000.00|-60.0|4771.43|NULL|NULL",
				"total|all|revenue|qtd|400.00|5900.00|36500.00|even|-93.22|critical|1000.00|-60.0|2474.58|NULL|NULL",
				"total|all|revenue|ytd|400.00|5900.00|36500.00|even|-93.22|critical|1000.00|-60.0|2474.58|NULL|NULL",
			},
			result: Result{Deviations: 1, Criticals: 1},
		},
		{
			name: "as_of on 1 January: each period is that one day",
			asOf: "2026-01-01",
			sales: []sale{
				{date: "2025-01-01", qty: 1, amount: 80},
				{date: "2025-12-31", qty: 9, amount: 999}, // last year, but after as_of - 1 year
				{date: "2026-01-01", qty: 2, amount: 50},
			},
			targets: []target{
				{year: 2026, scope: "total", kpi: "revenue", target: 36500},
				{year: 2026, scope: "product_line", scopeID: "Drills", kpi: "units", target: 31, month: 1},
				{year: 2025, scope: "total", kpi: "revenue", target: 999}, // last year's targets are ignored
			},
			// total: 36500 × 1/365 = 100; (50-100)/100 = -50 %; last year 80: -37.5 %;
			//   projected 50 × 36500/100 = 18250.
			// Drills units: January's 31 × 1/31 = 1; actual 2: +100 %; last year 1: +100 %;
			//   projected 2 × 31/1 = 62.
			want: []string{
				"product_line|Drills|units|mtd|2.00|1.00|31.00|monthly|100.0|ok|1.00|100.0|62.00|NULL|NULL",
				"product_line|Drills|units|qtd|2.00|1.00|31.00|monthly|100.0|ok|1.00|100.0|62.00|NULL|NULL",
				"product_line|Drills|units|ytd|2.00|1.00|31.00|monthly|100.0|ok|1.00|100.0|62.00|NULL|NULL",
				"total||revenue|mtd|50.00|100.00|36500.00|even|-50.0|critical|80.00|-37.5|18250.00|NULL|NULL",
				"total||revenue|qtd|50.00|100.00|36500.00|even|-50.0|critical|80.00|-37.5|18250.00|NULL|NULL",
				"total||revenue|ytd|50.00|100.00|36500.00|even|-50.0|critical|80.00|-37.5|18250.00|NULL|NULL",
			},
			result: Result{Deviations: 2, Criticals: 1},
		},
		{
			name:     "returns larger than sales in a month",
			asOf:     "2026-03-31",
			partners: []place{{id: "P1", territory: "T-N", rep: "R1"}},
			sales: []sale{
				{partner: "P1", date: "2025-03-10", qty: -1, amount: -50}, // last March: only a return
				{partner: "P1", date: "2026-02-10", qty: 5, amount: 500},
				{partner: "P1", date: "2026-03-05", qty: 1, amount: 100},
				{partner: "P1", date: "2026-03-20", qty: -3, amount: -300},
			},
			targets: []target{
				{year: 2026, scope: "territory", scopeID: "T-N", kpi: "revenue", target: 400, month: 2},
				{year: 2026, scope: "territory", scopeID: "T-N", kpi: "revenue", target: 1000, month: 3},
			},
			// ytd = qtd: 500 + 100 - 300 = 300 against 400 + 1000 = 1400: -78.57 %.
			// mtd: 100 - 300 = -200 against 1000: -120 %.
			// Last year -50 (ytd and mtd): no percentage against a base <= 0.
			// Projected: 300 × 1400/1400 = 300; mtd 300 + 0 × (-200/1000) = 300.
			// No unmatched line: unmatched 0 on a territory row.
			want: []string{
				"territory|T-N|revenue|mtd|-200.00|1000.00|1400.00|monthly|-120.0|critical|-50.00|NULL|300.00|0.00|0.000",
				"territory|T-N|revenue|qtd|300.00|1400.00|1400.00|monthly|-78.57|critical|-50.00|NULL|300.00|0.00|0.000",
				"territory|T-N|revenue|ytd|300.00|1400.00|1400.00|monthly|-78.57|critical|-50.00|NULL|300.00|0.00|0.000",
			},
			result: Result{Deviations: 1, Criticals: 1},
		},
		{
			name: "a rep on two territories",
			asOf: "2026-03-31",
			partners: []place{
				{id: "P1", territory: "T-N", rep: "R1"}, {id: "P2", territory: "T-S", rep: "R1"}, {id: "P3", territory: "T-S", rep: "R2"},
			},
			sales: []sale{
				{partner: "P1", date: "2026-01-10", qty: 1, amount: 1000},
				{partner: "P2", date: "2026-03-10", qty: 1, amount: 500},
				{partner: "P3", date: "2026-02-10", qty: 1, amount: 200},
			},
			targets: []target{
				{year: 2026, scope: "sales_rep", scopeID: "R1", kpi: "revenue", target: 7300},
				{year: 2026, scope: "territory", scopeID: "T-N", kpi: "revenue", target: 3650},
				{year: 2026, scope: "territory", scopeID: "T-S", kpi: "revenue", target: 3650},
			},
			// R1 = P1 (T-N) + P2 (T-S): ytd 1500 against 7300 × 90/365 = 1800: -16.67 %;
			//   mtd 500 against 7300 × 31/365 = 620: -19.35 %. Projected ytd 1500 × 7300/1800
			//   = 6083.33; mtd 1500 + 5500 × 500/620 = 5935.48.
			// T-N = P1: ytd 1000 against 900: +11.11 %; mtd 0 against 310: -100 %.
			//   Projected 1000 × 3650/900 = 4055.56; mtd 1000 + 2750 × 0 = 1000.
			// T-S = P2 + P3: ytd 700 against 900: -22.22 %; mtd 500 against 310: +61.29 %.
			//   Projected 700 × 3650/900 = 2838.89; mtd 700 + 2750 × 500/310 = 5135.48.
			want: []string{
				"sales_rep|R1|revenue|mtd|500.00|620.00|7300.00|even|-19.35|warning|0.00|NULL|5935.48|NULL|NULL",
				"sales_rep|R1|revenue|qtd|1500.00|1800.00|7300.00|even|-16.67|warning|0.00|NULL|6083.33|NULL|NULL",
				"sales_rep|R1|revenue|ytd|1500.00|1800.00|7300.00|even|-16.67|warning|0.00|NULL|6083.33|NULL|NULL",
				"territory|T-N|revenue|mtd|0.00|310.00|3650.00|even|-100.0|critical|0.00|NULL|1000.00|0.00|0.000",
				"territory|T-N|revenue|qtd|1000.00|900.00|3650.00|even|11.11|ok|0.00|NULL|4055.56|0.00|0.000",
				"territory|T-N|revenue|ytd|1000.00|900.00|3650.00|even|11.11|ok|0.00|NULL|4055.56|0.00|0.000",
				"territory|T-S|revenue|mtd|500.00|310.00|3650.00|even|61.29|ok|0.00|NULL|5135.48|0.00|0.000",
				"territory|T-S|revenue|qtd|700.00|900.00|3650.00|even|-22.22|warning|0.00|NULL|2838.89|0.00|0.000",
				"territory|T-S|revenue|ytd|700.00|900.00|3650.00|even|-22.22|warning|0.00|NULL|2838.89|0.00|0.000",
			},
			result: Result{Deviations: 3, Warnings: 2},
		},
		{
			name: "unmatched revenue placed in territories by postcode, else département",
			asOf: "2026-03-31",
			partners: []place{
				{id: "P1", territory: "T-N", country: "FR", postcode: "75011"},
				{id: "P4", territory: "T-N", country: "FR", postcode: "75011"},
				{id: "P5", territory: "T-S", country: "FR", postcode: "75011"},
				{id: "P2", territory: "T-S", country: "FR", postcode: "86000"},
				{id: "P6", territory: "T-S", country: "FR", postcode: "06000"},
				{id: "P7", territory: "T-B", country: "BE", postcode: "1000"},
			},
			sales: []sale{
				{partner: "P1", date: "2026-03-05", qty: 1, amount: 100, country: "FR", postcode: "75011"},
				{date: "2026-03-10", qty: 3, amount: 300, country: "FR", postcode: "75011"}, // T-N: 2 partners there, T-S 1
				{date: "2026-02-10", qty: 1, amount: 50, country: "FR", postcode: "6000"},   // the lost zero: 06000, T-S
				{date: "2026-01-10", qty: 1, amount: 70, country: "FR", postcode: "86100"},  // no partner there: département 86, T-S
				{date: "2026-03-15", qty: 1, amount: 20, postcode: "75 011"},                // no country: 75011, T-N
				{date: "2026-03-01", qty: 1, amount: 40, country: "BE", postcode: "1000"},   // T-B (no target)
				{date: "2026-03-02", qty: 1, amount: 10, country: "FR", postcode: "99999"},  // nowhere
				{date: "2025-12-31", qty: 9, amount: 999, country: "FR", postcode: "75011"}, // last year
			},
			targets: []target{
				{year: 2026, scope: "territory", scopeID: "T-N", kpi: "revenue", target: 3650},
				{year: 2026, scope: "territory", scopeID: "T-N", kpi: "units", target: 36.5},
				{year: 2026, scope: "territory", scopeID: "T-S", kpi: "revenue", target: 100, month: 1},
				{year: 2026, scope: "territory", scopeID: "T-S", kpi: "revenue", target: 100, month: 2},
				{year: 2026, scope: "territory", scopeID: "T-S", kpi: "revenue", target: 100, month: 3},
			},
			// T-N: actual = P1's line only, 100 (1 unit): ytd against 900 (-88.89 %), mtd
			//   against 310 (-67.74 %); units against 9 and 3.10. Unmatched in T-N: 300 + 20
			//   = 320 (4 units), all in March, on both kpis' rows. Last year's unmatched
			//   line counts in no period.
			//   Projected revenue ytd 100 × 3650/900 = 405.56, mtd 100 + 2750 × 100/310 = 987.10;
			//   units ytd 1 × 36.5/9 = 4.06, mtd 1 + 27.5 × 1/3.1 = 9.87.
			// T-S: no matched sale: -100 %. Unmatched ytd 50 + 70 = 120 (2 units), none in March.
			want: []string{
				"territory|T-N|revenue|mtd|100.00|310.00|3650.00|even|-67.74|critical|0.00|NULL|987.10|320.00|4.000",
				"territory|T-N|revenue|qtd|100.00|900.00|3650.00|even|-88.89|critical|0.00|NULL|405.56|320.00|4.000",
				"territory|T-N|revenue|ytd|100.00|900.00|3650.00|even|-88.89|critical|0.00|NULL|405.56|320.00|4.000",
				"territory|T-N|units|mtd|1.00|3.10|36.50|even|-67.74|critical|0.00|NULL|9.87|320.00|4.000",
				"territory|T-N|units|qtd|1.00|9.00|36.50|even|-88.89|critical|0.00|NULL|4.06|320.00|4.000",
				"territory|T-N|units|ytd|1.00|9.00|36.50|even|-88.89|critical|0.00|NULL|4.06|320.00|4.000",
				"territory|T-S|revenue|mtd|0.00|100.00|300.00|monthly|-100.0|critical|0.00|NULL|0.00|0.00|0.000",
				"territory|T-S|revenue|qtd|0.00|300.00|300.00|monthly|-100.0|critical|0.00|NULL|0.00|120.00|2.000",
				"territory|T-S|revenue|ytd|0.00|300.00|300.00|monthly|-100.0|critical|0.00|NULL|0.00|120.00|2.000",
			},
			result: Result{Deviations: 3, Criticals: 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newDB(t)
			insertPlaces(t, db, tt.partners)
			insertSales(t, db, tt.sales)
			insertTargets(t, db, tt.targets)
			s := scoring()
			s.Phasing = tt.phasing
			res := run(t, db, tt.asOf, s)
			tt.result.Partners = int64(len(tt.partners))
			if res != tt.result {
				t.Errorf("Result = %+v, want %+v", res, tt.result)
			}
			expect(t, joined(rows(t, db, `SELECT `+deviationColumns+` FROM kpi_deviations
				WHERE as_of = ?::DATE ORDER BY scope, scope_id, kpi, period`, tt.asOf)), tt.want)
		})
	}
}

// TestPostcodeTerritories checks where postcode_territories places each postcode of the
// channel database and of the unmatched lines. Rows are country|postcode|area|
// departement|territory|placed_by|partners|area_partners.
func TestPostcodeTerritories(t *testing.T) {
	db := newDB(t)
	insertPlaces(t, db, []place{
		{id: "P1", territory: "T-N", country: "FR", postcode: "75011"},
		{id: "P4", territory: "T-N", country: "FR", postcode: "75011"},
		{id: "P5", territory: "T-S", country: "FR", postcode: "75011"},
		{id: "P2", territory: "T-S", country: "FR", postcode: "86000"},
		{id: "P6", territory: "T-S", country: "FR", postcode: "06000"},
		{id: "P7", territory: "T-B", country: "BE", postcode: "1000"},
		{id: "P8", territory: "T-A", country: "FR", postcode: "13001"}, // 13: a tie, T-A first
		{id: "P9", territory: "T-Z", country: "FR", postcode: "13002"},
		{id: "P0", country: "FR", postcode: "44000"}, // no territory: draws no area
		{id: "PX", territory: "T-X", country: "FR", postcode: "97110"},
	})
	insertSales(t, db, []sale{
		{partner: "P1", date: "2026-03-05", qty: 1, amount: 100, country: "FR", postcode: "75011"}, // matched: not a place
		{partner: "P1", date: "2026-03-05", qty: 1, amount: 100, country: "FR", postcode: "75012"},
		{date: "2026-03-10", qty: 1, amount: 1, country: "FR", postcode: "75011"},
		{date: "2026-03-10", qty: 1, amount: 1, country: "FR", postcode: "6000"},
		{date: "2026-03-10", qty: 1, amount: 1, country: "FR", postcode: "86100"},
		{date: "2026-03-10", qty: 1, amount: 1, postcode: "75 011"},
		{date: "2026-03-10", qty: 1, amount: 1, country: "be", postcode: "1000"},
		{date: "2026-03-10", qty: 1, amount: 1, country: "FR", postcode: "1000"}, // 01000: nowhere
		{date: "2026-03-10", qty: 1, amount: 1, country: "FR", postcode: "13005"},
		{date: "2026-03-10", qty: 1, amount: 1, country: "FR", postcode: "44100"},
		{date: "2026-03-10", qty: 1, amount: 1, country: "FR", postcode: "97122"},
		{date: "2026-03-10", qty: 1, amount: 1, country: "FR", postcode: "97200"},
	})
	run(t, db, "2026-03-31", scoring())
	expect(t, joined(rows(t, db, `SELECT country, postcode, area, departement, territory, placed_by, partners, area_partners
		FROM postcode_territories ORDER BY country NULLS LAST, postcode`)), []string{
		"BE|1000|1000|NULL|T-B|postcode|1|1",
		"FR|06000|06000|06|T-S|postcode|1|1",
		"FR|1000|01000|01|NULL|NULL|NULL|NULL",
		"FR|13001|13001|13|T-A|postcode|1|1",
		"FR|13002|13002|13|T-Z|postcode|1|1",
		"FR|13005|13005|13|T-A|departement|1|2",
		"FR|44000|44000|44|NULL|NULL|NULL|NULL",
		"FR|44100|44100|44|NULL|NULL|NULL|NULL",
		"FR|6000|06000|06|T-S|postcode|1|1",
		"FR|75011|75011|75|T-N|postcode|2|3",
		"FR|86000|86000|86|T-S|postcode|1|1",
		"FR|86100|86100|86|T-S|departement|1|1",
		"FR|97110|97110|971|T-X|postcode|1|1",
		"FR|97122|97122|971|T-X|departement|1|1",
		"FR|97200|97200|972|NULL|NULL|NULL|NULL",
		"be|1000|1000|NULL|T-B|postcode|1|1",
		"NULL|75 011|75011|75|T-N|postcode|2|3",
	})
}
