// Package score is the score step of the pipeline: the partner scores and the KPI
// deviations at one as_of date, with the channel stock and the product adoption. The
// rules live in sql/score/ (partner_scores.sql, kpi_deviations.sql, channel_stock.sql,
// product_adoption.sql...), readable on their own; this package hands them the date and
// the scoring section of the config as DuckDB variables, always as bound parameters
// (partners.go, deviations.go and channel.go say which).
package score

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// Result counts the rows written for as_of. The deviations counted are those of period
// ytd, the ones alerts are raised on (qtd and mtd rows come beside them).
type Result struct {
	Partners   int64 // partner_scores rows
	Deviations int64 // kpi_deviations rows of period ytd
	Warnings   int64 // of which severity warning
	Criticals  int64 // of which severity critical
}

// Run computes partner_scores, kpi_deviations, channel_stock and product_adoption (and
// the tables beside them) at asOf inside tx, replacing any rows of the same as_of. asOf
// is taken as the calendar date it has in its own location. s is expected to be
// validated by package config; Run only refuses weights that do not sum to more than
// zero, which would make every score undefined.
func Run(ctx context.Context, tx *sql.Tx, asOf time.Time, s config.Scoring) (Result, error) {
	var res Result
	if s.Weights.Sum() <= 0 {
		return res, errors.New("scoring weights must sum to more than zero")
	}
	asOfDay := warehouse.Typed{Value: asOf.Format(time.DateOnly), Type: "DATE"}
	steps := []struct {
		file string
		vars warehouse.Vars
	}{
		{"score/partner_scores.sql", partnerVars(asOfDay, s)},
		{"score/territory_coverage.sql", warehouse.Vars{"as_of": asOfDay}},
		{"score/programme_kpis.sql", programmeVars(asOfDay, s)},
		{"score/partner_movements.sql", warehouse.Vars{}},
		{"score/postcode_territories.sql", warehouse.Vars{}},
		{"score/kpi_deviations.sql", deviationVars(asOfDay, s)},
		{"score/channel_stock.sql", channelStockVars(asOfDay, s)},
		{"score/product_adoption.sql", adoptionVars(asOfDay)},
	}
	for _, st := range steps {
		if _, err := warehouse.RunScript(ctx, tx, st.file, st.vars); err != nil {
			return res, err
		}
	}
	err := tx.QueryRowContext(ctx, `
		SELECT (SELECT count(*) FROM partner_scores WHERE as_of = ?),
		       count(*),
		       count(*) FILTER (WHERE severity = 'warning'),
		       count(*) FILTER (WHERE severity = 'critical')
		FROM kpi_deviations
		WHERE as_of = ? AND period = 'ytd'`, asOf.Format(time.DateOnly), asOf.Format(time.DateOnly)).Scan(&res.Partners, &res.Deviations, &res.Warnings, &res.Criticals)
	return res, err
}
