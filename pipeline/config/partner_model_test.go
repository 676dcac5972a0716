package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The keys of the partner model (and the channel stock's window): defaults, the weights
// written before growth and regularity existed, and the bounds.
func TestScoringPartnerModel(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, err string
		check           func(Scoring) bool
	}{
		{name: "defaults", check: func(s Scoring) bool {
			return s.WindowMonths == 12 && s.OpportunisticMinPotentialShare == 0.1 && s.DevelopmentTopN == 10 && s.StockWindowMonths == 3 &&
				s.Weights == Weights{Revenue: 0.3, Growth: 0.15, Regularity: 0.15, Share: 0.2, Potential: 0.2}
		}},
		{name: "weights of the first model keep working", yaml: "scoring:\n  weights: {revenue: 0.4, loyalty: 0.3, share: 0.2, potential: 0.1}\n",
			check: func(s Scoring) bool {
				return s.Weights == Weights{Revenue: 0.4, Loyalty: 0.3, Share: 0.2, Potential: 0.1}
			}},
		{name: "set", yaml: "scoring:\n  window_months: 6\n  loyal_min_months: 5\n  opportunistic_min_potential_share: 0.25\n  development_top_n: 20\n  weights: {growth: 1}\n",
			check: func(s Scoring) bool {
				return s.WindowMonths == 6 && s.LoyalMinMonths == 5 && s.OpportunisticMinPotentialShare == 0.25 &&
					s.DevelopmentTopN == 20 && s.Weights == Weights{Growth: 1}
			}},
		{name: "window too short", yaml: "scoring:\n  window_months: 2\n  loyal_min_months: 2\n  opportunistic_max_months: 1\n", err: "scoring.window_months: must be between 3 and 36"},
		{name: "loyal beyond the window", yaml: "scoring:\n  window_months: 6\n", err: "scoring.loyal_min_months: must be between 1 and window_months (6)"},
		{name: "potential share", yaml: "scoring:\n  opportunistic_min_potential_share: 1.5\n", err: "scoring.opportunistic_min_potential_share: must be in (0, 1]"},
		{name: "negative weight", yaml: "scoring:\n  weights: {revenue: 1, regularity: -0.5}\n", err: "scoring.weights: weights must be non-negative"},
		{name: "development top", yaml: "scoring:\n  development_top_n: -1\n", err: "scoring.development_top_n: must be at least 1"},
		{name: "stock window", yaml: "scoring:\n  stock_window_months: 1\n", check: func(s Scoring) bool { return s.StockWindowMonths == 1 }},
		{name: "stock window too long", yaml: "scoring:\n  stock_window_months: 13\n", err: "scoring.stock_window_months: must be between 1 and 12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "salesout.yaml")
			if err := os.WriteFile(path, []byte(validYAML+tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := Load(path, env(map[string]string{"SMTP_USER": "u", "SMTP_PASSWORD": "p"}))
			switch {
			case tc.err != "":
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("error %v, want %q", err, tc.err)
				}
			case err != nil:
				t.Error(err)
			case !tc.check(c.Scoring):
				t.Errorf("scoring %+v", c.Scoring)
			}
		})
	}
}
