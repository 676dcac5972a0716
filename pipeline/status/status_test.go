package status_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/salesout/salesout/pipeline"
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/demo"
	"github.com/salesout/salesout/pipeline/status"
	"github.com/salesout/salesout/pipeline/warehouse"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The demo's run happens at a fixed clock, so that every time the status shows is fixed.
var (
	runAt    = time.Date(2026, time.November, 15, 6, 0, 0, 0, time.UTC)
	statusAt = runAt.Add(90 * time.Minute)
)

// demoStatus generates the demo, runs it once at runAt and reads the status from the
// published snapshot at statusAt.
func demoStatus(t *testing.T) (*status.Status, *config.Config) {
	t.Helper()
	if testing.Short() {
		t.Skip("demo: about 15 s")
	}
	ctx := context.Background()
	dir := t.TempDir()
	sum, err := demo.Generate(demo.Options{Dir: dir, AsOf: runAt})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(sum.Config, nil)
	if err != nil {
		t.Fatal(err)
	}
	db, err := warehouse.Open(ctx, cfg.Warehouse)
	if err != nil {
		t.Fatal(err)
	}
	runner, err := pipeline.NewRunner(ctx, cfg, db)
	if err != nil {
		t.Fatal(err)
	}
	runner.Now = func() time.Time { return runAt }
	if _, err := runner.Run(ctx, pipeline.Options{AsOf: runAt}); err != nil {
		t.Fatal(err)
	}
	runner.Close()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// The snapshot is read-only for status: the file's time is its publication.
	if err := os.Chtimes(cfg.Warehouse.Publish, runAt, runAt); err != nil {
		t.Fatal(err)
	}
	st, err := status.Read(ctx, cfg, status.Options{Now: statusAt})
	if err != nil {
		t.Fatal(err)
	}
	st.Snapshot.Path = filepath.Base(st.Snapshot.Path)
	return st, cfg
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update after checking):\n%s", path, got)
	}
}

// TestDemoStatus: the demo's status as a table and as JSON, against golden files, then
// the same status a week and a half later: the weekly feed is late.
func TestDemoStatus(t *testing.T) {
	st, _ := demoStatus(t)
	var table, js bytes.Buffer
	if err := st.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	if err := st.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	golden(t, "demo_status.txt", table.Bytes())
	golden(t, "demo_status.json", js.Bytes())

	later := st.At(runAt.Add(9 * 24 * time.Hour))
	var late []string
	for _, f := range later.Feeds {
		if f.Late {
			late = append(late, f.Name)
		}
	}
	if strings.Join(late, ",") != "charlie-weekly" {
		t.Errorf("9 days later, late feeds = %v, want charlie-weekly (expected every 8d)", late)
	}
	if !strings.Contains(strings.Join(later.Problems, "\n"), "feed charlie-weekly is late: no new file for 9d (expected every 8d)") {
		t.Errorf("problems 9 days later: %q", later.Problems)
	}
	if st.Feeds[2].Late {
		t.Error("At changed the status it was called on")
	}
}

// TestNoSnapshot: before any run, status says so.
func TestNoSnapshot(t *testing.T) {
	cfg := &config.Config{Warehouse: config.Warehouse{Publish: filepath.Join(t.TempDir(), "none.duckdb")}}
	if _, err := status.Read(context.Background(), cfg, status.Options{}); err == nil || !strings.Contains(err.Error(), "no published snapshot yet") {
		t.Errorf("got %v", err)
	}
}
