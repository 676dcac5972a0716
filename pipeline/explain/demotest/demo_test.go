package demotest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/salesout/salesout/pipeline"
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/demo"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// demoAsOf is the demo's "today" (cmd/salesout demo).
var demoAsOf = time.Date(2026, time.November, 15, 0, 0, 0, 0, time.UTC)

var (
	demoOnce     sync.Once
	demoSnapshot string
	demoConfig   string // the demo's config.yaml
	demoErr      error
)

// demoDB opens the published snapshot of the demo, run once per test binary (about half
// a minute). SALESOUT_TEST_DEMO_DIR names a folder to keep it in and reuse across runs.
func demoDB(t testing.TB) *sql.DB {
	t.Helper()
	if testing.Short() {
		t.Skip("the demo takes half a minute to run: not with -short")
	}
	demoOnce.Do(func() { demoSnapshot, demoConfig, demoErr = buildDemo(context.Background()) })
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	db, err := sql.Open("duckdb", demoSnapshot+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// buildDemo generates and runs the demo; it returns its snapshot and config.
func buildDemo(ctx context.Context) (snapshot, configPath string, err error) {
	dir := os.Getenv("SALESOUT_TEST_DEMO_DIR")
	if dir == "" {
		tmp, err := os.MkdirTemp("", "explain-demo-")
		if err != nil {
			return "", "", err
		}
		dir = tmp
		cleanups = append(cleanups, func() { os.RemoveAll(tmp) })
	} else if _, err := os.Stat(filepath.Join(dir, "var", "analytics.duckdb")); err == nil {
		return filepath.Join(dir, "var", "analytics.duckdb"), filepath.Join(dir, "config.yaml"), nil
	}
	if err := demo.ResetOutputs(dir); err != nil {
		return "", "", err
	}
	sum, err := demo.Generate(demo.Options{Dir: dir, AsOf: demoAsOf})
	if err != nil {
		return "", "", err
	}
	cfg, err := config.Load(sum.Config, func(string) (string, bool) { return "", false })
	if err != nil {
		return "", "", err
	}
	db, err := warehouse.Open(ctx, cfg.Warehouse)
	if err != nil {
		return "", "", err
	}
	defer db.Close()
	r, err := pipeline.NewRunner(ctx, cfg, db)
	if err != nil {
		return "", "", err
	}
	defer r.Close()
	if _, err := r.Run(ctx, pipeline.Options{AsOf: demoAsOf}); err != nil {
		return "", "", fmt.Errorf("demo run: %w", err)
	}
	return cfg.Warehouse.Publish, sum.Config, nil
}

var cleanups []func()

func TestMain(m *testing.M) {
	code := m.Run()
	for _, c := range cleanups {
		c()
	}
	os.Exit(code)
}
