// Package score is the score step of the pipeline: the partner scores and the KPI
// deviations at one as_of date. The rules live in sql/partner_scores.sql and
// sql/kpi_deviations.sql, readable on their own; this package hands them the date and
// the scoring section of the config as DuckDB variables, always as bound parameters.
package score

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/salesout/salesout/pipeline/config"
	sqlfiles "github.com/salesout/salesout/sql"
)

// Result counts the rows written for as_of.
type Result struct {
	Partners   int64 // partner_scores rows
	Deviations int64 // kpi_deviations rows
	Warnings   int64 // kpi_deviations rows of severity warning
	Criticals  int64 // kpi_deviations rows of severity critical
}

// files are the steps, in order. Each holds several statements: ExecContext of duckdb-go
// splits a text with DuckDB's own parser and runs the statements in order (arguments
// would go to the last one only, hence the variables).
var files = []string{"partner_scores.sql", "territory_coverage.sql", "kpi_deviations.sql"}

// Run computes partner_scores and kpi_deviations at asOf inside tx, replacing any rows of
// the same as_of. asOf is taken as the calendar date it has in its own location. s is
// expected to be validated by package config; Run only refuses weights that do not sum
// to more than zero, which would make every score undefined.
func Run(ctx context.Context, tx *sql.Tx, asOf time.Time, s config.Scoring) (Result, error) {
	var res Result
	w := s.Weights
	if w.Revenue+w.Loyalty+w.Share+w.Potential <= 0 {
		return res, errors.New("scoring weights must sum to more than zero")
	}
	vars := []struct {
		name string
		typ  string
		val  any
	}{
		{"as_of", "DATE", asOf.Format(time.DateOnly)},
		{"loyal_min_months", "INTEGER", s.LoyalMinMonths},
		{"new_within_months", "INTEGER", s.NewWithinMonths},
		{"lost_after_months", "INTEGER", s.LostAfterMonths},
		{"opportunistic_max_months", "INTEGER", s.OpportunisticMaxMonths},
		{"opportunistic_min_share", "DOUBLE", s.OpportunisticMinShare},
		{"share_high", "DOUBLE", s.ShareHigh},
		{"high_potential_quantile", "DOUBLE", s.HighPotentialQuantile},
		{"retention_top_n", "INTEGER", s.RetentionTopN},
		{"w_revenue", "DOUBLE", w.Revenue},
		{"w_loyalty", "DOUBLE", w.Loyalty},
		{"w_share", "DOUBLE", w.Share},
		{"w_potential", "DOUBLE", w.Potential},
		{"warning_pct", "DOUBLE", s.WarningPct},
		{"critical_pct", "DOUBLE", s.CriticalPct},
	}
	for _, v := range vars {
		// name and typ are constants of this file; only the value comes from outside.
		if _, err := tx.ExecContext(ctx, "SET VARIABLE "+v.name+" = ?::"+v.typ, v.val); err != nil {
			return res, fmt.Errorf("set %s: %w", v.name, err)
		}
	}
	for _, f := range files {
		if _, err := tx.ExecContext(ctx, sqlfiles.Read(f)); err != nil {
			return res, fmt.Errorf("%s: %w", f, err)
		}
	}
	err := tx.QueryRowContext(ctx, `
		SELECT (SELECT count(*) FROM partner_scores WHERE as_of = getvariable('as_of')),
		       count(*),
		       count(*) FILTER (WHERE severity = 'warning'),
		       count(*) FILTER (WHERE severity = 'critical')
		FROM kpi_deviations
		WHERE as_of = getvariable('as_of')`).Scan(&res.Partners, &res.Deviations, &res.Warnings, &res.Criticals)
	return res, err
}
