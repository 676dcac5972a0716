package output

import (
	"context"
	"slices"
	"testing"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// Every table of the catalog can be read from a freshly migrated warehouse, each once,
// and its key and partition columns are columns of its query.
func TestCatalogReadsEveryTable(t *testing.T) {
	ctx := context.Background()
	db, err := warehouse.Open(ctx, config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seen := map[string]bool{}
	for _, tb := range Catalog {
		if seen[tb.Name] {
			t.Errorf("%s is in the catalog twice", tb.Name)
		}
		seen[tb.Name] = true
		q := tb.Query
		if tb.Derived != "" {
			q = "SELECT *, " + tb.Derived + " FROM (" + tb.Query + ")"
		}
		rows, err := db.QueryContext(ctx, q+" LIMIT 0")
		if err != nil {
			t.Errorf("%s: %v", tb.Name, err)
			continue
		}
		cols, _ := rows.Columns()
		rows.Close()
		for _, c := range slices.Concat(tb.Key, tb.PartitionBy) {
			if !slices.Contains(cols, c) {
				t.Errorf("%s: key or partition column %q is not a column (%v)", tb.Name, c, cols)
			}
		}
	}
}
