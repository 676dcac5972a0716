package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/ingest"
	"github.com/salesout/salesout/pipeline/warehouse"
)

const testConfig = `
warehouse:
  path: var/w.duckdb
  publish: var/a.duckdb
sources:
  - {name: drop, type: local, dir: drop}
feeds:
  - name: f
    distributor: D
    source: drop
    match: "*.csv"
    csv: {delimiter: ";", decimal: ","}
    columns: {invoice_date: d, reseller_name: r, sku: s, quantity: q, amount: a}
reference:
  channel_db: ref/channel.csv
alerts: {outbox: var/outbox}
export: {dir: var/export}
`

// setup writes a config, a channel database and the given feed files into a temp dir.
func setup(t *testing.T, files map[string]string) (*config.Config, *warehouse.DB) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{"ref/channel.csv": "partner_id,name\nP1,One\n", "c.yaml": testConfig} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o750)
		os.WriteFile(filepath.Join(dir, name), []byte(body), 0o640)
	}
	os.MkdirAll(filepath.Join(dir, "drop"), 0o750)
	for name, body := range files {
		os.WriteFile(filepath.Join(dir, "drop", name), []byte(body), 0o640)
	}
	cfg, err := config.Load(filepath.Join(dir, "c.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	db, err := warehouse.Open(context.Background(), cfg.Warehouse)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return cfg, db
}

// feedFile returns a CSV of n lines, every 7th one with a bad quantity.
func feedFile(n int) (string, int) {
	var b strings.Builder
	b.WriteString("d;r;s;q;a\n")
	bad := 0
	for i := 1; i <= n; i++ {
		q := fmt.Sprint(i)
		if i%7 == 0 {
			q, bad = "x"+q, bad+1
		}
		fmt.Fprintf(&b, "2026-01-%02d;R%d;S;%s;%d,50\n", i%28+1, i, q, i)
	}
	return b.String(), bad
}

func TestLoadCrossesBatches(t *testing.T) {
	body, bad := feedFile(50)
	cfg, db := setup(t, map[string]string{"a.csv": body})
	for _, batch := range []int{1, 7, 10, 1000} {
		t.Run(fmt.Sprint("batch ", batch), func(t *testing.T) {
			db.Exec("DELETE FROM files; DELETE FROM lines; DELETE FROM quarantine")
			r, err := NewRunner(context.Background(), cfg, db)
			if err != nil {
				t.Fatal(err)
			}
			r.Ingest.BatchLines = batch
			rep, err := r.Run(context.Background(), Options{Steps: []string{"fetch", "load"}, AsOf: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Load.Lines != int64(50-bad) || rep.Load.Quarantined != int64(bad) {
				t.Fatalf("loaded %d, quarantined %d; want %d and %d", rep.Load.Lines, rep.Load.Quarantined, 50-bad, bad)
			}
			var lines, sum, qlines string
			db.QueryRow(`SELECT count(*)::VARCHAR, sum(amount)::VARCHAR FROM lines`).Scan(&lines, &sum)
			db.QueryRow(`SELECT string_agg(line_no::VARCHAR, ',' ORDER BY line_no) FROM quarantine`).Scan(&qlines)
			// amounts are i + 0.50 for every i not a multiple of 7
			want := 0.0
			for i := 1; i <= 50; i++ {
				if i%7 != 0 {
					want += float64(i) + 0.5
				}
			}
			if lines != fmt.Sprint(50-bad) || sum != fmt.Sprintf("%.4f", want) {
				t.Errorf("lines %s sum %s, want %d and %.4f", lines, sum, 50-bad, want)
			}
			// line numbers are physical: line i of data is file line i+1
			if qlines != "8,15,22,29,36,43,50" {
				t.Errorf("quarantined lines %s", qlines)
			}
		})
	}
}

// TestCancelledLoadLeavesNothing: a load stopped in the middle of a file leaves the
// warehouse as it was, and the file pending for the next run.
func TestCancelledLoadLeavesNothing(t *testing.T) {
	body, _ := feedFile(5000)
	cfg, db := setup(t, map[string]string{"a.csv": body})
	r, err := NewRunner(context.Background(), cfg, db)
	if err != nil {
		t.Fatal(err)
	}
	r.Ingest.BatchLines = 100
	ctx, cancel := context.WithCancel(context.Background())
	batches := 0
	r.Ingest.AfterBatch = func() {
		if batches++; batches == 3 {
			cancel()
		}
	}
	if _, err := r.Run(ctx, Options{Steps: []string{"fetch", "load"}}); err == nil {
		t.Fatal("a cancelled run reported success")
	}
	var lines, quarantined int
	var status string
	db.QueryRow(`SELECT (SELECT count(*) FROM lines), (SELECT count(*) FROM quarantine), (SELECT status FROM files)`).Scan(&lines, &quarantined, &status)
	if lines != 0 || quarantined != 0 || status != "pending" {
		t.Fatalf("after a cancelled load: %d lines, %d quarantined, file %s; want 0, 0, pending", lines, quarantined, status)
	}
	r.Ingest.AfterBatch = nil
	rep, err := r.Run(context.Background(), Options{Steps: []string{"fetch", "load"}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Load.Files != 1 || rep.Load.Lines+rep.Load.Quarantined != 5000 {
		t.Fatalf("next run: %+v", rep.Load)
	}
	var runs []string
	rows, _ := db.Query(`SELECT status FROM runs ORDER BY run_id`)
	for rows.Next() {
		var s string
		rows.Scan(&s)
		runs = append(runs, s)
	}
	rows.Close()
	if strings.Join(runs, ",") != "failed,succeeded" {
		t.Errorf("runs: %v", runs)
	}
}

// TestRunFailsWhenPublishFails: the runs row says succeeded only once the outputs are
// out; a snapshot that cannot be published fails the run, in the warehouse too.
func TestRunFailsWhenPublishFails(t *testing.T) {
	body, _ := feedFile(5)
	cfg, db := setup(t, map[string]string{"a.csv": body})
	blocker := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(blocker, []byte("x"), 0o640)
	cfg.Warehouse.Publish = filepath.Join(blocker, "analytics.duckdb") // its folder cannot be made
	r, err := NewRunner(context.Background(), cfg, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(context.Background(), Options{}); err == nil {
		t.Fatal("a run whose snapshot could not be published succeeded")
	}
	var status, reason string
	db.QueryRow(`SELECT status, error FROM runs`).Scan(&status, &reason)
	if status != "failed" || !strings.Contains(reason, "snapshot") {
		t.Errorf("runs row: %s %q, want failed with the publish error", status, reason)
	}
}

// TestOutputsComeAfterAlerts: the Parquet export and the snapshot of a run hold the
// alerts it raised and its own runs row, finished.
func TestOutputsComeAfterAlerts(t *testing.T) {
	body, _ := feedFile(5)
	cfg, db := setup(t, map[string]string{"a.csv": body})
	cfg.Feeds[0].ExpectedEvery.Duration = time.Hour
	cfg.Alerts.DefaultTo = []string{"ops@example.com"}
	r, err := NewRunner(context.Background(), cfg, db)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	for i, after := range []time.Duration{0, 5 * time.Hour} { // the second run finds the feed silent
		r.Now = func() time.Time { return t0.Add(after) }
		if _, err := r.Run(context.Background(), Options{AsOf: t0}); err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
	}
	var alerts, runs int
	var last string
	q := func(table string) string {
		return "'" + filepath.Join(cfg.Export.Dir, table, table+".parquet") + "'"
	}
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM `+q("alerts")+`), (SELECT count(*) FROM `+q("runs")+`),
		(SELECT status FROM `+q("runs")+` ORDER BY run_id DESC LIMIT 1)`).Scan(&alerts, &runs, &last); err != nil {
		t.Fatal(err)
	}
	if alerts != 1 || runs != 2 || last != "succeeded" {
		t.Errorf("export: %d alerts, %d runs, last run %s; want 1, 2, succeeded", alerts, runs, last)
	}
}

// TestFingerprintIgnoresScheduling: a failed file is retried when the settings that read
// it change, not when the feed's schedule or name glob does.
func TestFingerprintIgnoresScheduling(t *testing.T) {
	cfg, _ := setup(t, nil)
	in := &ingest.Ingest{BaseCurrency: "EUR"}
	base := cfg.Feeds[0]
	same := base
	same.ExpectedEvery.Duration = 48 * time.Hour
	same.Match = "*.txt"
	same.Name = "renamed"
	same.Source = "other"
	other := base
	other.CSV.Delimiter = ","
	if in.Fingerprint(base) != in.Fingerprint(same) {
		t.Error("scheduling fields change the fingerprint")
	}
	if in.Fingerprint(base) == in.Fingerprint(other) {
		t.Error("the delimiter does not change the fingerprint")
	}
}

// TestPanicInAStepFailsTheRun: a panic inside a step's transaction fails the run with
// the panic, rolls the transaction back and leaves the warehouse usable.
func TestPanicInAStepFailsTheRun(t *testing.T) {
	cfg, db := setup(t, nil)
	saved := steps
	t.Cleanup(func() { steps = saved })
	steps = []step{{"score", func(ctx context.Context, r *Runner, conn *sql.Conn, rep *Report) error {
		_, err := inTx(ctx, conn, func(tx *sql.Tx) (int, error) {
			tx.ExecContext(ctx, `INSERT INTO partners (partner_id, name) VALUES ('PX', 'left over')`)
			panic("a programming error")
		})
		return err
	}}}
	r, err := NewRunner(context.Background(), cfg, db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Run(context.Background(), Options{Steps: []string{"score"}})
	if err == nil || !strings.Contains(err.Error(), "panic: a programming error") {
		t.Fatalf("run: %v", err)
	}
	var status string
	var left int
	db.QueryRow(`SELECT status, (SELECT count(*) FROM partners WHERE partner_id = 'PX') FROM runs`).Scan(&status, &left)
	if status != "failed" || left != 0 {
		t.Errorf("after the panic: run %s, %d rows left by the rolled-back transaction", status, left)
	}
}

// The step table runs exactly the steps the config and the CLI accept.
func TestStepTableMatchesConfig(t *testing.T) {
	var names []string
	for _, s := range steps {
		names = append(names, s.name)
	}
	if !slices.Equal(slices.Sorted(slices.Values(names)), slices.Sorted(slices.Values(config.Steps))) {
		t.Errorf("step table %v, config.Steps %v", names, config.Steps)
	}
}
