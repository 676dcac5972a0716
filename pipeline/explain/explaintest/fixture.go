// Package explaintest is the small warehouse the tests of packages explain and report
// share: three partners in two territories, two distributors, two product lines, an
// unrecognised reseller, two years of sales and targets of every phasing, scored at
// AsOf by package score.
package explaintest

import (
	"context"
	"database/sql"
	"time"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/score"
)

// AsOf is the "today" of the fixture.
var AsOf = time.Date(2026, time.March, 15, 0, 0, 0, 0, time.UTC)

// fixtureSale is a sales-out line of the fixture: partner "" is an unrecognised
// reseller (postcode 69002: territory T1's area), productLine "" an unknown product.
type fixtureSale struct {
	partner, distributor, productLine, date string
	qty, amount                             float64
}

// fixtureSales: T1 is P1 (Lyon) and P2 (Paris), rep R1; T2 is P3, rep R2.
//
//	T1 ytd 2026:      P1 1200 + 800 - 300, P2 1000 + 2500            = 5200
//	T1 to 2025-03-15: P1 1000 + 2000 + 1500, P2 3000                 = 7500
//	T1 2025 in full:  7500 + P1 700 (20 March) + P2 5000 (June)      = 13200
var fixtureSales = []fixtureSale{
	{"P1", "ACME", "Drills", "2025-01-10", 10, 1000},
	{"P1", "ACME", "Saws", "2025-02-20", 5, 2000},
	{"P1", "BRAVO", "Drills", "2025-03-10", 3, 1500},
	{"P1", "ACME", "Drills", "2025-03-20", 7, 700},
	{"P2", "BRAVO", "Saws", "2025-01-05", 6, 3000},
	{"P2", "ACME", "Drills", "2025-06-01", 10, 5000},
	{"P3", "ACME", "Drills", "2025-02-01", 8, 4000},
	{"", "ACME", "Drills", "2025-02-02", 2, 600},
	{"P1", "ACME", "Drills", "2026-01-12", 12, 1200},
	{"P1", "BRAVO", "Saws", "2026-02-10", 2, 800},
	{"P1", "ACME", "Drills", "2026-03-14", -3, -300},
	{"P2", "BRAVO", "Saws", "2026-01-20", 2, 1000},
	{"P2", "ACME", "", "2026-03-01", 5, 2500},
	{"P3", "ACME", "Drills", "2026-02-15", 9, 4500},
	{"", "ACME", "Drills", "2026-03-02", 3, 900},
	{"P1", "ACME", "Drills", "2026-03-16", 99, 9999}, // after as_of
}

// Load fills an empty warehouse with the fixture and scores it at AsOf; partnerName
// replaces P1's name when not empty (for the escaping tests).
func Load(ctx context.Context, conn *sql.Conn, partnerName string) error {
	if partnerName == "" {
		partnerName = "Dupont Électricité"
	}
	stmts := []struct {
		q    string
		args []any
	}{
		{`INSERT INTO partners (partner_id, name, city, postcode, country, territory, sales_rep, potential) VALUES
			('P1', ?, 'Lyon', '69001', 'FR', 'T1', 'R1', 50000),
			('P2', 'Martin & Fils', 'Paris', '75011', 'FR', 'T1', 'R1', 20000),
			('P3', 'Ouest Pro', 'Nantes', '44000', 'FR', 'T2', 'R2', 30000),
			('P4', 'Atelier Sans Achat', 'Lille', '59000', 'FR', 'T1', 'R1', 90000)`, []any{partnerName}},
		{`INSERT INTO reps (sales_rep, name, email, manager_email, territory) VALUES
			('R1', 'Ann Smith', 'ann@example.com', 'boss@example.com', 'T1'),
			('R2', 'Bob Jones', 'bob@example.com', 'boss@example.com', 'T2')`, nil},
		{`INSERT INTO targets (year, scope, scope_id, kpi, target, month) VALUES
			(2026, 'territory', 'T1', 'revenue', 120000, NULL),
			(2026, 'partner', 'P1', 'revenue', 60000, NULL),
			(2026, 'total', '', 'revenue', 200000, NULL),
			(2026, 'distributor', 'ACME', 'units', 500, NULL),
			(2026, 'sales_rep', 'R1', 'revenue', 3000, 1),
			(2026, 'sales_rep', 'R1', 'revenue', 3000, 2),
			(2026, 'sales_rep', 'R1', 'revenue', 4000, 3),
			(2026, 'sales_rep', 'R1', 'revenue', 45000, 12)`, nil},
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s.q, s.args...); err != nil {
			return err
		}
	}
	for i, s := range fixtureSales {
		if _, err := conn.ExecContext(ctx, `
			INSERT INTO lines (line_id, file_id, line_no, distributor, invoice_date, quantity, amount, currency, amount_base,
			                   partner_id, product_line, reseller_name, reseller_country, reseller_postcode)
			VALUES (?, 1, ?, ?, ?::DATE, ?, ?, 'EUR', ?, nullif(?, ''), nullif(?, ''), 'Reseller', 'FR',
			        CASE WHEN ? = '' THEN '69002' END)`,
			i+1, i+1, s.distributor, s.date, s.qty, s.amount, s.amount, s.partner, s.productLine, s.partner); err != nil {
			return err
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := score.Run(ctx, tx, AsOf, Scoring()); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Scoring is the config's default scoring section (pipeline/config).
func Scoring() config.Scoring {
	return config.Scoring{
		LoyalMinMonths: 9, NewWithinMonths: 3, LostAfterMonths: 6, OpportunisticMaxMonths: 2,
		OpportunisticMinShare: 0.6, ShareHigh: 0.3, HighPotentialQuantile: 0.5, RetentionTopN: 50,
		WarningPct: 10, CriticalPct: 25, Phasing: config.PhasingEven, WindowMonths: 12,
		OpportunisticMinPotentialShare: 0.1, DevelopmentTopN: 10, StockWindowMonths: 3,
		Weights: config.Weights{Revenue: 0.3, Growth: 0.15, Regularity: 0.15, Share: 0.2, Potential: 0.2},
	}
}
