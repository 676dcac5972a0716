package warehouse

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/salesout/salesout/pipeline/config"
)

// TestMigrateCheckpoints: once the migrations are applied, nothing of them waits in the
// write-ahead log. DuckDB cannot replay a log that holds them, so a worker killed
// before its first checkpoint would otherwise leave a warehouse that no longer opens
// (found by TestCrash in cmd/salesout).
func TestMigrateCheckpoints(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.duckdb")
	db, err := Open(context.Background(), config.Warehouse{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if fi, err := os.Stat(path + ".wal"); err == nil && fi.Size() > 0 {
		t.Errorf("the migrations wait in the write-ahead log (%d bytes): a kill now would leave a warehouse that does not open", fi.Size())
	}
}
