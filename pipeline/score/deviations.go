package score

import (
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// deviationVars are the variables of sql/score/kpi_deviations.sql: the severities.
func deviationVars(asOf warehouse.Typed, s config.Scoring) warehouse.Vars {
	return warehouse.Vars{
		"as_of":        asOf,
		"warning_pct":  warehouse.Typed{Value: s.WarningPct, Type: "DOUBLE"},
		"critical_pct": warehouse.Typed{Value: s.CriticalPct, Type: "DOUBLE"},
	}
}
