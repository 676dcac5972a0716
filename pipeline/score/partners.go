package score

import (
	"cmp"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// modelDefaults fills the keys the partner model gained with the behaviour window
// (window_months, opportunistic_min_potential_share, development_top_n) with the
// defaults package config gives them, for a Scoring built by hand rather than loaded.
func modelDefaults(s config.Scoring) config.Scoring {
	s.WindowMonths = cmp.Or(s.WindowMonths, 12)
	s.OpportunisticMinPotentialShare = cmp.Or(s.OpportunisticMinPotentialShare, 0.1)
	s.DevelopmentTopN = cmp.Or(s.DevelopmentTopN, 10)
	return s
}

// partnerVars are the variables of sql/score/partner_scores.sql: the partner model's
// thresholds and weights.
func partnerVars(asOf warehouse.Typed, s config.Scoring) warehouse.Vars {
	s = modelDefaults(s)
	w := s.Weights
	return warehouse.Vars{
		"as_of":                             asOf,
		"window_months":                     warehouse.Typed{Value: s.WindowMonths, Type: "INTEGER"},
		"loyal_min_months":                  warehouse.Typed{Value: s.LoyalMinMonths, Type: "INTEGER"},
		"new_within_months":                 warehouse.Typed{Value: s.NewWithinMonths, Type: "INTEGER"},
		"lost_after_months":                 warehouse.Typed{Value: s.LostAfterMonths, Type: "INTEGER"},
		"opportunistic_max_months":          warehouse.Typed{Value: s.OpportunisticMaxMonths, Type: "INTEGER"},
		"opportunistic_min_share":           warehouse.Typed{Value: s.OpportunisticMinShare, Type: "DOUBLE"},
		"opportunistic_min_potential_share": warehouse.Typed{Value: s.OpportunisticMinPotentialShare, Type: "DOUBLE"},
		"share_high":                        warehouse.Typed{Value: s.ShareHigh, Type: "DOUBLE"},
		"high_potential_quantile":           warehouse.Typed{Value: s.HighPotentialQuantile, Type: "DOUBLE"},
		"retention_top_n":                   warehouse.Typed{Value: s.RetentionTopN, Type: "INTEGER"},
		"w_revenue":                         warehouse.Typed{Value: w.Revenue, Type: "DOUBLE"},
		"w_loyalty":                         warehouse.Typed{Value: w.Loyalty, Type: "DOUBLE"},
		"w_growth":                          warehouse.Typed{Value: w.Growth, Type: "DOUBLE"},
		"w_regularity":                      warehouse.Typed{Value: w.Regularity, Type: "DOUBLE"},
		"w_share":                           warehouse.Typed{Value: w.Share, Type: "DOUBLE"},
		"w_potential":                       warehouse.Typed{Value: w.Potential, Type: "DOUBLE"},
	}
}

// programmeVars are the variables of sql/score/programme_kpis.sql.
func programmeVars(asOf warehouse.Typed, s config.Scoring) warehouse.Vars {
	s = modelDefaults(s)
	return warehouse.Vars{
		"as_of":             asOf,
		"retention_top_n":   warehouse.Typed{Value: s.RetentionTopN, Type: "INTEGER"},
		"development_top_n": warehouse.Typed{Value: s.DevelopmentTopN, Type: "INTEGER"},
	}
}
