package score

import (
	"cmp"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// channelStockVars are the variables of sql/score/channel_stock.sql: the months over
// which weeks of stock average the sales-out (3 when the config leaves it empty).
func channelStockVars(asOf warehouse.Typed, s config.Scoring) warehouse.Vars {
	return warehouse.Vars{
		"as_of":               asOf,
		"stock_window_months": warehouse.Typed{Value: cmp.Or(s.StockWindowMonths, 3), Type: "INTEGER"},
	}
}

// adoptionVars are the variables of sql/score/product_adoption.sql.
func adoptionVars(asOf warehouse.Typed) warehouse.Vars {
	return warehouse.Vars{"as_of": asOf}
}
