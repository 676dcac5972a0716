package score

import (
	"cmp"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// deviationVars are the variables of sql/score/kpi_deviations.sql: the severities and
// how annual targets are phased (even when the config leaves it empty).
func deviationVars(asOf warehouse.Typed, s config.Scoring) warehouse.Vars {
	return warehouse.Vars{
		"as_of":        asOf,
		"phasing":      cmp.Or(s.Phasing, config.PhasingEven),
		"warning_pct":  warehouse.Typed{Value: s.WarningPct, Type: "DOUBLE"},
		"critical_pct": warehouse.Typed{Value: s.CriticalPct, Type: "DOUBLE"},
	}
}
