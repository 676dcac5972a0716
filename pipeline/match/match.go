// Package match is the step between load and score: it gives every line its product
// (the manufacturer's SKU and product line) and its partner (the channel-database
// company behind the reseller the distributor reports).
//
// Partners are resolved per reseller spelling (distributor, reseller_id, reseller_name,
// reseller_postcode) by the linkage engine (package linkage: overrides, keys, learned
// account numbers, exact names, then Fellegi–Sunter scoring within blocks), which
// normalises with package norm. Each run scores only the spellings it has not seen,
// unless the channel database or the overrides changed; a spelling whose partner
// changes is logged and kept in match_changes; only the lines whose partner changes are
// written. A run reads only the lines changed since the last match (lines.changed_run,
// match_state) and keeps each spelling's figures and matcher input (match_spellings,
// match_spelling_values) up to date from them. The undecided go to match_review, most
// revenue first, for analysts to decide with `salesout review export` and `review
// import` (package review).
package match

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/match/linkage"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// Result counts the resolution.
type Result struct {
	Resellers       int64 // distinct reseller spellings
	Matched         int64 // of them, matched to a partner
	Review          int64 // in the review queue
	Scored          int64 // spellings the matcher scored this run
	Rescored        bool  // all of them (the channel database or the overrides changed)
	LinesMatched    int64
	LinesUnmatched  int64
	UnknownProducts int64
	RevenueMatched  float64 // share (0-1) of current revenue matched to a partner
}

// Settings are what the match step needs from the config and the run.
type Settings struct {
	Overrides string          // the analysts' decisions file (matching.overrides)
	Options   linkage.Options // thresholds (matching.min_score, min_margin)
	RunID     int64
	Now       time.Time

	everyLine bool // read every line, as if nothing was matched before (tests compare)
}

// Changed says which inputs of matching changed since the previous run: when they did,
// everything they touch is resolved again, else only what is new. Run also compares
// the reference sets' fingerprints with those the last match recorded (match_state),
// which catches a change loaded by a run that failed before its match.
type Changed struct {
	Products  bool
	ChannelDB bool
}

// Run resolves products and partners inside tx, then rebuilds the review queue and the
// coverage tables. It reads what changed since the last run whose match step completed
// (match_state, which it updates in tx): the lines changed since, the spellings they
// concern, and the figures it keeps per spelling (match_spellings). It resolves every
// line's product when products changed, and computes the spellings' figures from every
// line when no earlier match is recorded, when most lines changed, or when lines may
// have been lost (see refreshSpellings).
func Run(ctx context.Context, tx *sql.Tx, s Settings, changed Changed) (Result, error) {
	var res Result
	p, err := planRun(ctx, tx, s, changed)
	if err != nil {
		return res, err
	}
	if _, err := warehouse.RunScript(ctx, tx, "match/resolve_products.sql", warehouse.Vars{"all_lines": p.products, "run_id": s.RunID, "since": p.since}); err != nil {
		return res, fmt.Errorf("resolve products: %w", err)
	}
	if err := refreshSpellings(ctx, tx, &p); err != nil {
		return res, err
	}
	if err := matchPartners(ctx, tx, s, p, &res); err != nil {
		return res, fmt.Errorf("match partners: %w", err)
	}
	for _, f := range []string{"match/match_review.sql", "match/match_coverage.sql"} {
		if _, err := warehouse.RunScript(ctx, tx, f, nil); err != nil {
			return res, err
		}
	}
	err = tx.QueryRowContext(ctx, warehouse.Statement("match/match_counts.sql")).Scan(&res.Resellers, &res.Matched, &res.Review, &res.LinesMatched, &res.LinesUnmatched,
		&res.UnknownProducts, &res.RevenueMatched)
	if err != nil {
		return res, fmt.Errorf("count matches: %w", err)
	}
	if err := logCoverage(ctx, tx); err != nil {
		return res, err
	}
	if err := writeState(ctx, tx, s); err != nil {
		return res, err
	}
	zerolog.Ctx(ctx).Info().Int64("resellers", res.Resellers).Int64("matched", res.Matched).Int64("review", res.Review).
		Int64("scored", res.Scored).Float64("revenue_matched", res.RevenueMatched).
		Int64("lines_matched", res.LinesMatched).Int64("lines_unmatched", res.LinesUnmatched).
		Int64("lines_unknown_product", res.UnknownProducts).Msg("matched")
	return res, nil
}

// logCoverage logs, per distributor, the share of its lines and revenue matched: the
// run's summary of match_coverage.
func logCoverage(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, warehouse.Statement("match/coverage_by_distributor.sql"))
	if err != nil {
		return fmt.Errorf("match coverage: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d string
		var spellings, review int64
		var lines, revenue float64
		if err := rows.Scan(&d, &spellings, &lines, &revenue, &review); err != nil {
			return fmt.Errorf("match coverage: %w", err)
		}
		zerolog.Ctx(ctx).Info().Str("distributor", d).Int64("resellers", spellings).Float64("lines_matched_pct", lines).
			Float64("revenue_matched_pct", revenue).Int64("review", review).Msg("match coverage")
	}
	return rows.Err()
}
