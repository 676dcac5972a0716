package score

import (
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// partnerVars are the variables of sql/score/partner_scores.sql: the partner model's
// thresholds and weights.
func partnerVars(asOf warehouse.Typed, s config.Scoring) warehouse.Vars {
	w := s.Weights
	return warehouse.Vars{
		"as_of":                    asOf,
		"loyal_min_months":         warehouse.Typed{Value: s.LoyalMinMonths, Type: "INTEGER"},
		"new_within_months":        warehouse.Typed{Value: s.NewWithinMonths, Type: "INTEGER"},
		"lost_after_months":        warehouse.Typed{Value: s.LostAfterMonths, Type: "INTEGER"},
		"opportunistic_max_months": warehouse.Typed{Value: s.OpportunisticMaxMonths, Type: "INTEGER"},
		"opportunistic_min_share":  warehouse.Typed{Value: s.OpportunisticMinShare, Type: "DOUBLE"},
		"share_high":               warehouse.Typed{Value: s.ShareHigh, Type: "DOUBLE"},
		"high_potential_quantile":  warehouse.Typed{Value: s.HighPotentialQuantile, Type: "DOUBLE"},
		"retention_top_n":          warehouse.Typed{Value: s.RetentionTopN, Type: "INTEGER"},
		"w_revenue":                warehouse.Typed{Value: w.Revenue, Type: "DOUBLE"},
		"w_loyalty":                warehouse.Typed{Value: w.Loyalty, Type: "DOUBLE"},
		"w_share":                  warehouse.Typed{Value: w.Share, Type: "DOUBLE"},
		"w_potential":              warehouse.Typed{Value: w.Potential, Type: "DOUBLE"},
	}
}
