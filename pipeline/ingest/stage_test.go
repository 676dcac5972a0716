package ingest

import (
	"context"
	"database/sql/driver"
	"strings"
	"testing"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// rawTx.scan reports a value of the wrong type instead of leaving zero behind, and
// leaves the destination alone for a NULL.
func TestRawScan(t *testing.T) {
	ctx := context.Background()
	db, err := warehouse.Open(ctx, config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		tx := rawTx{ctx: ctx, dc: dc.(driver.Conn)}
		var n int64
		var s string
		if err := tx.scan(`SELECT 42::BIGINT, 'x'`, nil, &n, &s); err != nil || n != 42 || s != "x" {
			t.Errorf("scan: %d %q %v", n, s, err)
		}
		s = "kept"
		if err := tx.scan(`SELECT NULL::VARCHAR`, nil, &s); err != nil || s != "kept" {
			t.Errorf("NULL: %q %v", s, err)
		}
		if err := tx.scan(`SELECT 'not a number'`, nil, &n); err == nil || !strings.Contains(err.Error(), "int64") {
			t.Errorf("a string scanned into an int64: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
