package score

import (
	"cmp"
	"database/sql"
	"testing"
)

// product is a master row of products.
type product struct{ sku, line string }

// sold is a sales-out line with a product; distributor defaults to ACME, amount to
// 10 × qty, and productLine is what the match step resolved ("" = NULL).
type sold struct {
	distributor, partner, sku, productLine, date string
	qty                                          float64
	superseded                                   bool
}

// salesIn is a row of sales_in; month is its first day, amount nil is NULL.
type salesIn struct {
	distributor, sku, productLine, month string
	qty                                  float64
	amount                               any
}

func insertProducts(t *testing.T, db *sql.DB, ps []product) {
	t.Helper()
	for _, p := range ps {
		exec(t, db, `INSERT INTO products (sku, product_line) VALUES (?, nullif(?, ''))`, p.sku, p.line)
	}
}

func insertSold(t *testing.T, db *sql.DB, ls []sold) {
	t.Helper()
	for i, l := range ls {
		var supersededBy any
		if l.superseded {
			supersededBy = 2
		}
		exec(t, db, `INSERT INTO lines (line_id, file_id, line_no, distributor, invoice_date, sku, product_line, quantity,
		                                amount, currency, amount_base, partner_id, superseded_by)
		             VALUES (?, 1, ?, ?, ?::DATE, nullif(?, ''), nullif(?, ''), ?, ?, 'EUR', ?, nullif(?, ''), ?)`,
			i+1, i+1, cmp.Or(l.distributor, "ACME"), l.date, l.sku, l.productLine, l.qty, 10*l.qty, 10*l.qty, l.partner, supersededBy)
	}
}

func insertSalesIn(t *testing.T, db *sql.DB, rs []salesIn) {
	t.Helper()
	for _, r := range rs {
		exec(t, db, `INSERT INTO sales_in (distributor, sku, product_line, month, quantity, amount)
		             VALUES (?, nullif(?, ''), nullif(?, ''), ?::DATE, ?, ?)`,
			r.distributor, r.sku, r.productLine, r.month, r.qty, r.amount)
	}
}

const stockColumns = `distributor, product_line, month, stock_since, sales_in_units, sales_in_amount,
	sales_out_units, sales_out_revenue, stock_movement, estimated_stock, avg_weekly_sales_out, weeks_of_stock`

// TestChannelStock checks channel_stock against hand-computed values. Rows are
// distributor|product_line|month|stock_since|sales_in_units|sales_in_amount|
// sales_out_units|sales_out_revenue|stock_movement|estimated_stock|avg_weekly_sales_out|
// weeks_of_stock. Sales-out lines have amount_base = 10 × quantity. With W the stock
// window in months, avg_weekly_sales_out = the window's units × 7 / its days, and
// weeks_of_stock = estimated_stock / that (unrounded).
func TestChannelStock(t *testing.T) {
	products := []product{{"SKU-D1", "Drills"}, {"SKU-S1", "Saws"}, {"SKU-N", ""}}
	// ACME Drills: sales-in in January and March (and April, after every as_of below);
	// sales-out from December, before the first sales-in, to a return in March.
	acme := struct {
		in  []salesIn
		out []sold
	}{
		in: []salesIn{
			{distributor: "ACME", sku: "SKU-D1", month: "2026-01-01", qty: 100, amount: 1000},
			{distributor: "ACME", productLine: "Drills", month: "2026-03-01", qty: 60},
			{distributor: "ACME", sku: "SKU-D1", month: "2026-04-01", qty: 999, amount: 9990},
		},
		out: []sold{
			{partner: "P1", sku: "SKU-D1", productLine: "Drills", date: "2025-12-10", qty: 30},
			{partner: "P1", sku: "SKU-D1", productLine: "Drills", date: "2026-01-15", qty: 20},
			{sku: "SKU-D1", productLine: "Drills", date: "2026-02-10", qty: 30}, // unmatched: counts too
			{partner: "P2", sku: "SKU-D1", productLine: "Drills", date: "2026-02-12", qty: 500, superseded: true},
			{partner: "P2", sku: "SKU-D1", productLine: "Drills", date: "2026-03-05", qty: 40},
			{partner: "P2", sku: "SKU-D1", productLine: "Drills", date: "2026-03-20", qty: -10}, // a return
			{partner: "P2", sku: "SKU-S1", productLine: "Saws", date: "2026-03-05", qty: 7},     // no sales-in of Saws at ACME
			{distributor: "BRAVO", sku: "SKU-D1", productLine: "Drills", date: "2026-03-05", qty: 9},
		},
	}
	tests := []struct {
		name   string
		asOf   string
		window int // scoring.stock_window_months; 0 = the default, 3
		in     []salesIn
		out    []sold
		want   []string
	}{
		{
			name: "no sales-in: no rows, nothing fails",
			asOf: "2026-03-31",
			out:  acme.out,
		},
		{
			name: "stock built from the first month with sales-in, at a month end",
			asOf: "2026-03-31",
			in:   acme.in,
			out:  acme.out,
			// Only ACME Drills has sales-in: no row for ACME Saws nor BRAVO; April is
			// after as_of; the superseded line does not count.
			// January: 100 in, 20 out: stock 80. Window 2025-11-01..2026-01-31, 92 days,
			//   units 30 + 20 = 50: 50 × 7 / 92 = 3.8043; 80 / 3.8043 = 21.03.
			// February: nothing in, 30 out: stock 50. Window 2025-12-01..2026-02-28, 90
			//   days, units 80: 6.2222; 50 / 6.2222 = 8.04.
			// March: 60 in (no amount given), 40 - 10 out: stock 80. Window
			//   2026-01-01..03-31, 90 days, units 20 + 30 + 30 = 80: 6.2222; 12.857.
			want: []string{
				"ACME|Drills|2026-01-01|2026-01-01|100.000|1000.00|20.000|200.00|80.000|80.000|3.804|21.0",
				"ACME|Drills|2026-02-01|2026-01-01|0.000|NULL|30.000|300.00|-30.000|50.000|6.222|8.0",
				"ACME|Drills|2026-03-01|2026-01-01|60.000|NULL|30.000|300.00|30.000|80.000|6.222|12.9",
			},
		},
		{
			name: "as_of in the middle of a month",
			asOf: "2026-03-15",
			in:   acme.in,
			out:  acme.out,
			// March's sales-in counts whole; its sales-out up to the 15th: 40 (the return
			// on the 20th is after as_of): stock 50 + 20 = 70. Window 2026-01-01..03-15,
			// 74 days, units 20 + 30 + 40 = 90: 90 × 7 / 74 = 8.5135; 70 / 8.5135 = 8.22.
			want: []string{
				"ACME|Drills|2026-01-01|2026-01-01|100.000|1000.00|20.000|200.00|80.000|80.000|3.804|21.0",
				"ACME|Drills|2026-02-01|2026-01-01|0.000|NULL|30.000|300.00|-30.000|50.000|6.222|8.0",
				"ACME|Drills|2026-03-01|2026-01-01|60.000|NULL|40.000|400.00|20.000|70.000|8.514|8.2",
			},
		},
		{
			name:   "product lines from products, rows that add up, more sold than invoiced",
			asOf:   "2026-03-31",
			window: 2,
			in: []salesIn{
				{distributor: "BRAVO", sku: "SKU-S1", month: "2026-02-01", qty: 10, amount: 100},
				{distributor: "BRAVO", productLine: "Saws", month: "2026-02-01", qty: 5, amount: 50},
				{distributor: "BRAVO", sku: "SKU-D1", productLine: "Saws", month: "2026-03-01", qty: 4}, // products say Drills
				{distributor: "BRAVO", sku: "SKU-X", month: "2026-02-01", qty: 7},                       // unknown, no line: left out
				{distributor: "BRAVO", sku: "SKU-N", month: "2026-02-01", qty: 8},                       // no line in products: left out
				{distributor: "BRAVO", sku: "SKU-N", productLine: "Saws", month: "2026-03-01", qty: -1}, // a credit note
			},
			out: []sold{
				{distributor: "BRAVO", partner: "P1", sku: "SKU-S1", productLine: "Saws", date: "2026-02-10", qty: 20},
				{distributor: "BRAVO", partner: "P1", sku: "SKU-S1", productLine: "Saws", date: "2026-03-10", qty: -2},
			},
			// BRAVO Drills, March only: 4 in, no sales-out: weeks NULL.
			// BRAVO Saws: February 10 + 5 in, 20 out: -5. W = 2: window 2026-01-01..02-28,
			//   59 days, units 20: 2.3729; -5 / 2.3729 = -2.11. March: -1 in, -2 out
			//   (a return): movement +1, stock -4; window 2026-02-01..03-31, 59 days,
			//   units 18: 2.1356; -4 / 2.1356 = -1.87.
			want: []string{
				"BRAVO|Drills|2026-03-01|2026-03-01|4.000|NULL|0.000|0.00|4.000|4.000|NULL|NULL",
				"BRAVO|Saws|2026-02-01|2026-02-01|15.000|150.00|20.000|200.00|-5.000|-5.000|2.373|-2.1",
				"BRAVO|Saws|2026-03-01|2026-02-01|-1.000|NULL|-2.000|-20.00|1.000|-4.000|2.136|-1.9",
			},
		},
		{
			name: "months without movement, and a window with returns only",
			asOf: "2026-05-31",
			in:   []salesIn{{distributor: "CHARLIE", productLine: "Drills", month: "2026-01-01", qty: 10}},
			out: []sold{
				{distributor: "CHARLIE", partner: "P1", sku: "SKU-D1", productLine: "Drills", date: "2026-01-05", qty: 4},
				{distributor: "CHARLIE", partner: "P1", sku: "SKU-D1", productLine: "Drills", date: "2026-05-02", qty: -1},
			},
			// January: stock 6; window 2025-11-01..2026-01-31, 92 days, 4 units: 0.3043,
			//   19.71. February and March: windows of 90 days with the same 4 units:
			//   0.3111, 19.29. April: window 2026-02-01..04-30 without sales-out: NULL.
			//   May: the return adds 1 (stock 7); the window's units are -1: NULL.
			want: []string{
				"CHARLIE|Drills|2026-01-01|2026-01-01|10.000|NULL|4.000|40.00|6.000|6.000|0.304|19.7",
				"CHARLIE|Drills|2026-02-01|2026-01-01|0.000|NULL|0.000|0.00|0.000|6.000|0.311|19.3",
				"CHARLIE|Drills|2026-03-01|2026-01-01|0.000|NULL|0.000|0.00|0.000|6.000|0.311|19.3",
				"CHARLIE|Drills|2026-04-01|2026-01-01|0.000|NULL|0.000|0.00|0.000|6.000|NULL|NULL",
				"CHARLIE|Drills|2026-05-01|2026-01-01|0.000|NULL|-1.000|-10.00|1.000|7.000|NULL|NULL",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newDB(t)
			insertProducts(t, db, products)
			insertSold(t, db, tt.out)
			insertSalesIn(t, db, tt.in)
			s := scoring()
			s.StockWindowMonths = tt.window
			run(t, db, tt.asOf, s)
			expect(t, joined(rows(t, db, `SELECT `+stockColumns+` FROM channel_stock WHERE as_of = ?::DATE
				ORDER BY distributor, product_line, month`, tt.asOf)), tt.want)
		})
	}
}

const adoptionColumns = `sku, product_line, first_sale, weeks_since_first_sale, partners_4w, partners_8w,
	partners_12w, partners_26w, partners_52w, partners_to_date, distributors_to_date`

// TestProductAdoption checks product_adoption against hand-computed values at as_of
// 2026-03-31. Rows are sku|product_line|first_sale|weeks_since_first_sale|partners_4w|
// partners_8w|partners_12w|partners_26w|partners_52w|partners_to_date|
// distributors_to_date. The N weeks after a first sale F are F <= date < F + 7N days;
// they have elapsed when F + 7N - 1 <= as_of.
func TestProductAdoption(t *testing.T) {
	tests := []struct {
		name string
		out  []sold
		want []string
	}{
		{
			name: "no sales-out: no rows",
		},
		{
			name: "partners counted at their first sale of the product",
			out: []sold{
				// SKU-A, first sold 2025-10-01: 4 weeks to 10-28, 8 to 11-25, 12 to 12-23,
				// 26 to 2026-03-31 (just elapsed), 52 not yet.
				{partner: "P1", sku: "SKU-A", productLine: "Drills", date: "2025-10-01", qty: 1},
				{sku: "SKU-A", productLine: "Drills", date: "2025-10-05", qty: 1},                                         // unmatched: no partner
				{distributor: "CHARLIE", partner: "P6", sku: "SKU-A", productLine: "Drills", date: "2025-10-10", qty: -1}, // a return is no sale
				{partner: "P2", sku: "SKU-A", productLine: "Drills", date: "2025-10-28", qty: 2},                          // day 27: 4 weeks
				{partner: "P3", sku: "SKU-A", productLine: "Drills", date: "2025-10-29", qty: 1},                          // day 28: 8 weeks
				{partner: "P7", sku: "SKU-A", productLine: "Drills", date: "2025-11-01", qty: 1},
				{partner: "P7", sku: "SKU-A", productLine: "Drills", date: "2025-11-15", qty: -1},                      // returned: still adopted
				{partner: "P2", sku: "SKU-A", productLine: "Drills", date: "2025-12-01", qty: 1},                       // not a new partner
				{distributor: "BRAVO", partner: "P4", sku: "SKU-A", productLine: "Drills", date: "2025-12-23", qty: 1}, // day 83: 12 weeks
				{partner: "P5", sku: "SKU-A", productLine: "Drills", date: "2026-03-31", qty: 1},                       // day 181: 26 weeks
				{partner: "P8", sku: "SKU-A", productLine: "Drills", date: "2026-02-01", qty: 1, superseded: true},
				// SKU-G, first sold 2025-01-01: 52 weeks end 2025-12-30.
				{partner: "P1", sku: "SKU-G", productLine: "Saws", date: "2025-01-01", qty: 1},
				{partner: "P2", sku: "SKU-G", productLine: "Saws", date: "2025-12-30", qty: 1}, // day 363
				{partner: "P3", sku: "SKU-G", productLine: "Saws", date: "2025-12-31", qty: 1}, // day 364
				// SKU-C, first sold 2026-03-04: its 4 weeks end on as_of; a sale after as_of
				// does not count.
				{partner: "P1", sku: "SKU-C", productLine: "Saws", date: "2026-03-04", qty: 1},
				{partner: "P3", sku: "SKU-C", productLine: "Saws", date: "2026-04-01", qty: 1},
				// SKU-B, first sold 3 weeks before as_of: no period has elapsed.
				{partner: "P1", sku: "SKU-B", productLine: "Saws", date: "2026-03-10", qty: 1},
				{partner: "P2", sku: "SKU-B", productLine: "Saws", date: "2026-03-20", qty: 1},
				// SKU-D, unknown to products: its first line is a return.
				{partner: "P1", sku: "SKU-D", date: "2026-01-05", qty: -1},
				{partner: "P1", sku: "SKU-D", date: "2026-01-20", qty: 3},
				// Returns only, a sale after as_of, no sku: no rows.
				{partner: "P1", sku: "SKU-E", date: "2026-02-05", qty: -1},
				{partner: "P1", sku: "SKU-F", date: "2026-04-02", qty: 1},
				{partner: "P1", date: "2026-02-05", qty: 1},
			},
			// SKU-A: 181 days: 25 weeks; 4w P1, P2; 8w + P3, P7; 12w + P4; 26w + P5;
			//   distributors ACME and BRAVO (CHARLIE only returned it).
			// SKU-B: 21 days: 3 weeks, every period NULL, 2 partners.
			// SKU-C: 27 days: 3 weeks; 4 weeks elapsed (2026-03-04 + 27 = as_of): 1.
			// SKU-D: first sale 2026-01-20, 70 days: 10 weeks; 4 and 8 weeks elapsed.
			// SKU-G: 454 days: 64 weeks; P2 within 52 weeks, P3 the day after.
			want: []string{
				"SKU-A|Drills|2025-10-01|25|2|4|5|6|NULL|6|2",
				"SKU-B|Saws|2026-03-10|3|NULL|NULL|NULL|NULL|NULL|2|1",
				"SKU-C|Saws|2026-03-04|3|1|NULL|NULL|NULL|NULL|1|1",
				"SKU-D|NULL|2026-01-20|10|1|1|NULL|NULL|NULL|1|1",
				"SKU-G|Saws|2025-01-01|64|1|1|1|1|2|3|1",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newDB(t)
			insertSold(t, db, tt.out)
			run(t, db, "2026-03-31", scoring())
			expect(t, joined(rows(t, db, `SELECT `+adoptionColumns+` FROM product_adoption WHERE as_of = DATE '2026-03-31' ORDER BY sku`)), tt.want)
		})
	}
}

// Each as_of keeps its own channel_stock and product_adoption rows; a re-run replaces
// those of its as_of only.
func TestChannelRunsKeepSnapshots(t *testing.T) {
	db := newDB(t)
	insertSold(t, db, []sold{
		{partner: "P1", sku: "SKU-A", productLine: "Drills", date: "2026-01-10", qty: 5},
		{partner: "P2", sku: "SKU-A", productLine: "Drills", date: "2026-03-10", qty: 5},
	})
	insertSalesIn(t, db, []salesIn{{distributor: "ACME", productLine: "Drills", month: "2026-01-01", qty: 20}})
	for _, asOf := range []string{"2026-02-28", "2026-03-31", "2026-03-31"} {
		run(t, db, asOf, scoring())
	}
	expect(t, joined(rows(t, db, `SELECT as_of, count(*), sum(sales_out_units), (SELECT string_agg(partners_to_date::VARCHAR, ',') FROM product_adoption a WHERE a.as_of = s.as_of)
		FROM channel_stock s GROUP BY as_of ORDER BY as_of`)), []string{"2026-02-28|2|5.000|1", "2026-03-31|3|10.000|2"})
}
