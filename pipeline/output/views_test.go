package output

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// viewRows runs q and returns its rows as "a|b|c" lines, each value as DuckDB casts it
// to text, NULL for NULL.
func viewRows(t *testing.T, db *warehouse.DB, q string) []string {
	t.Helper()
	rows, err := db.Query("SELECT COLUMNS(*)::VARCHAR FROM (" + q + ")")
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		cells := make([]string, len(vals))
		for i, v := range vals {
			cells[i] = "NULL"
			if v.Valid {
				cells[i] = v.String
			}
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return out
}

func expectView(t *testing.T, db *warehouse.DB, q string, want ...string) {
	t.Helper()
	if got := viewRows(t, db, q); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s\n got:\n  %s\nwant:\n  %s", q, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// The analysts' views on hand-built rows: the scorecard of the latest as_of, and each
// deviation routed to the managers owning its scope as alerts route them.
func TestAnalystViews(t *testing.T) {
	ctx := context.Background()
	db, err := warehouse.Open(ctx, config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// R1 covers T1 (manager m1) and T2 (manager m2); R2 covers T1 (m1); R3 covers T3 and has
	// no manager; nobody covers T9.
	exec(`INSERT INTO reps VALUES ('R1', 'Ann', 'ann@x', 'm1@x', 'T1'), ('R1', 'Ann', 'ann@x', 'm2@x', 'T2'),
		('R2', 'Bob', 'bob@x', 'm1@x', 'T1'), ('R3', 'Cy', 'cy@x', NULL, 'T3')`)
	// P1: R1 in T2 (R1's T2 row); P2: R1 in T9 (R1 has no T9 row: every row of R1);
	// P3: a rep reps does not know.
	exec(`INSERT INTO partners (partner_id, name, city, territory, sales_rep, potential) VALUES
		('P1', 'Alpha', 'Lyon', 'T2', 'R1', 1000), ('P2', 'Beta', 'Nice', 'T9', 'R1', NULL),
		('P3', 'Gamma', NULL, 'T1', 'R9', 10)`)
	exec(`INSERT INTO kpi_deviations (as_of, scope, scope_id, kpi, period, actual, target, annual_target, deviation_pct, severity, unmatched_revenue) VALUES
		('2026-02-28', 'total', '', 'revenue', 'ytd', 1, 100, 600, -99, 'critical', NULL),
		('2026-03-31', 'total', '', 'revenue', 'ytd', 80, 100, 400, -20, 'warning', NULL),
		('2026-03-31', 'total', '', 'revenue', 'mtd', 1, 100, 400, -99, 'critical', NULL),
		('2026-03-31', 'distributor', 'D', 'revenue', 'ytd', 100, 100, 400, 0, 'ok', NULL),
		('2026-03-31', 'territory', 'T1', 'units', 'ytd', 50, 100, 400, -50, 'critical', 7),
		('2026-03-31', 'territory', 'T3', 'units', 'ytd', 85, 100, 400, -15, 'warning', 0),
		('2026-03-31', 'territory', 'T9', 'units', 'ytd', 70, 100, 400, -30, 'critical', 0),
		('2026-03-31', 'sales_rep', 'R1', 'revenue', 'ytd', 60, 100, 400, -40, 'critical', NULL),
		('2026-03-31', 'partner', 'P1', 'revenue', 'ytd', 89, 100, 400, -11, 'warning', NULL),
		('2026-03-31', 'partner', 'P2', 'revenue', 'ytd', 10, 100, 400, -90, 'critical', NULL),
		('2026-03-31', 'partner', 'P3', 'revenue', 'ytd', 70, 100, 400, -30, 'critical', NULL)`)
	exec(`INSERT INTO partner_scores (as_of, partner_id, revenue_12m, units_12m, active_months_12m, last_purchase, loyalty, potential, share_of_wallet, score, plan,
		growth, previous_as_of, loyalty_prev, potential_estimated, rank) VALUES
		('2025-12-31', 'P1', 1, 1, 1, NULL, 'new', 1000, 0.001, 1, 'support', NULL, '2024-12-31', 'none', false, 1),
		('2026-03-31', 'P1', 500, 5, 4, '2026-03-02', 'occasional', 1000, 0.5, 70, 'retention', 0.25, '2025-03-31', 'new', false, 1),
		('2026-03-31', 'P2', 0, 0, 0, NULL, 'none', 800, NULL, 5, 'prospecting', NULL, '2025-03-31', 'none', true, 3),
		('2026-03-31', 'P4', 10, 1, 1, '2025-12-01', 'lost', NULL, NULL, 20, 'support', -0.5, '2025-03-31', 'loyal', false, 2)`)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = refreshViews(ctx, conn)
	conn.Close() // the warehouse has one connection
	if err != nil {
		t.Fatal(err)
	}

	expectView(t, db, `SELECT as_of, rank, partner_id, name, city, territory, sales_rep, rep_name, loyalty, plan, score, revenue_12m,
		growth, share_of_wallet, potential, potential_estimated, last_purchase, previous_as_of, loyalty_prev FROM partner_scorecard`,
		"2026-03-31|1|P1|Alpha|Lyon|T2|R1|Ann|occasional|retention|70.0|500.00|0.25|0.5|1000.00|false|2026-03-02|2025-03-31|new",
		// P4 is no longer in the channel database
		"2026-03-31|2|P4|NULL|NULL|NULL|NULL|NULL|lost|support|20.0|10.00|-0.5|NULL|NULL|false|2025-12-01|2025-03-31|loyal",
		"2026-03-31|3|P2|Beta|Nice|T9|R1|Ann|none|prospecting|5.0|0.00|NULL|NULL|800.00|true|NULL|2025-03-31|none",
	)

	expectView(t, db, `SELECT manager_email, scope, scope_id, scope_name, kpi, severity, deviation_pct, unmatched_revenue, sales_reps, rep_names
		FROM deviations_by_manager`,
		// m1: T1's two reps, R1's T1 row, P2 through every row of R1
		"m1@x|partner|P2|Beta|revenue|critical|-90.0|NULL|R1|Ann",
		"m1@x|territory|T1|NULL|units|critical|-50.0|7.00|R1, R2|Ann, Bob",
		"m1@x|sales_rep|R1|Ann|revenue|critical|-40.0|NULL|R1|Ann",
		// m2: R1's T2 row, P1 (in T2) and P2
		"m2@x|partner|P2|Beta|revenue|critical|-90.0|NULL|R1|Ann",
		"m2@x|sales_rep|R1|Ann|revenue|critical|-40.0|NULL|R1|Ann",
		"m2@x|partner|P1|Alpha|revenue|warning|-11.0|NULL|R1|Ann",
		// no manager: T9 (no rep), P3 (unknown rep), total; T3's rep has no manager
		"NULL|partner|P3|Gamma|revenue|critical|-30.0|NULL|NULL|NULL",
		"NULL|territory|T9|NULL|units|critical|-30.0|0.00|NULL|NULL",
		"NULL|total||NULL|revenue|warning|-20.0|NULL|NULL|NULL",
		"NULL|territory|T3|NULL|units|warning|-15.0|0.00|R3|Cy",
	)
	// only the latest as_of, ytd, warning and critical: each such deviation at least once
	expectView(t, db, `SELECT DISTINCT as_of, period FROM deviations_by_manager`, "2026-03-31|ytd")
	expectView(t, db, `SELECT (SELECT count(*) FROM (SELECT DISTINCT scope, scope_id, kpi FROM deviations_by_manager))
		= (SELECT count(*) FROM kpi_deviations WHERE as_of = DATE '2026-03-31' AND period = 'ytd' AND severity <> 'ok')`, "true")
}
