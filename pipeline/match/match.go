// Package match is the step between load and score: it gives every line its product
// (the manufacturer's SKU and product line) and its partner (the channel-database
// company behind the reseller the distributor reports).
package match

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/warehouse"
)

// Result counts the resolution.
type Result struct {
	Resellers       int64
	Matched         int64
	LinesMatched    int64
	LinesUnmatched  int64
	UnknownProducts int64
}

// Changed says which inputs of matching changed since the previous run: when they did,
// everything is resolved again, else only what is new.
type Changed struct {
	Products bool
}

// Run resolves products and partners inside tx.
func Run(ctx context.Context, tx *sql.Tx, changed Changed) (Result, error) {
	var res Result
	if _, err := warehouse.RunScript(ctx, tx, "match/resolve_products.sql", warehouse.Vars{"all_lines": changed.Products}); err != nil {
		return res, fmt.Errorf("resolve products: %w", err)
	}
	if _, err := warehouse.RunScript(ctx, tx, "match/match_partners.sql", nil); err != nil {
		return res, fmt.Errorf("match partners: %w", err)
	}
	err := tx.QueryRowContext(ctx, `
		SELECT (SELECT count(*) FROM partner_matches),
		       (SELECT count(*) FROM partner_matches WHERE partner_id IS NOT NULL),
		       count(*) FILTER (WHERE partner_id IS NOT NULL),
		       count(*) FILTER (WHERE partner_id IS NULL),
		       count(*) FILTER (WHERE product_line IS NULL)
		FROM sales_out`).Scan(&res.Resellers, &res.Matched, &res.LinesMatched, &res.LinesUnmatched, &res.UnknownProducts)
	if err != nil {
		return res, fmt.Errorf("count matches: %w", err)
	}
	zerolog.Ctx(ctx).Info().Int64("resellers", res.Resellers).Int64("matched", res.Matched).
		Int64("lines_matched", res.LinesMatched).Int64("lines_unmatched", res.LinesUnmatched).
		Int64("lines_unknown_product", res.UnknownProducts).Msg("matched")
	return res, nil
}
