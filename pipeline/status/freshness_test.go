package status_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/status"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// TestFreshnessAndProblems: which feeds are late, with and without files, a feed no
// longer in the config, a failed last run, and duplicates not counting as new files.
func TestFreshnessAndProblems(t *testing.T) {
	ctx := context.Background()
	db, err := warehouse.Open(ctx, config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	ago := func(h int) time.Time { return now.Add(-time.Duration(h) * time.Hour) }
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO runs (run_id, started_at, finished_at, status, as_of, steps) VALUES
		(1, ?, ?, 'succeeded', DATE '2026-03-08', 'fetch,load'),
		(2, ?, ?, 'failed', DATE '2026-03-10', 'fetch,load')`, ago(48), ago(47), ago(2), ago(2))
	exec(`UPDATE runs SET error = 'fetch: source drop: permission denied' WHERE run_id = 2`)
	file := func(id int, feed, name, st string, receivedHoursAgo int, loaded, quarantined int) {
		exec(`INSERT INTO files (file_id, feed, distributor, source, name, size, sha256, landing_path, status, reason, received_at, lines_loaded, lines_quarantined)
			VALUES (?, ?, upper(?), 'drop', ?, 1, ?, 'x', ?, CASE WHEN ? = 'failed' THEN 'bad header' END, ?, ?, ?)`,
			id, feed, feed, name, name, st, st, ago(receivedHoursAgo), loaded, quarantined)
	}
	file(1, "daily", "d1.csv", "loaded", 30, 10, 1)       // 30 h ago: late against 24h
	file(2, "daily", "d1-copy.csv", "duplicate", 1, 0, 0) // a duplicate is not a new file
	file(3, "weekly", "w1.csv", "failed", 200, 0, 0)      // 200 h ago: fresh against 9d, outside the 7-day window
	file(4, "gone", "g.csv", "loaded", 5, 3, 0)           // a feed since removed from the config
	exec(`INSERT INTO quarantine (file_id, line_no, reason) VALUES (1, 4, 'quantity "douze" is not a number')`)
	cfg := &config.Config{Feeds: []config.Feed{
		{Name: "daily", Distributor: "DAILY", ExpectedEvery: config.Duration{Duration: 24 * time.Hour}},
		{Name: "weekly", Distributor: "WEEKLY", ExpectedEvery: config.Duration{Duration: 9 * 24 * time.Hour}},
		{Name: "never", Distributor: "NEVER", ExpectedEvery: config.Duration{Duration: 24 * time.Hour}},
		{Name: "adhoc", Distributor: "ADHOC"},
	}}
	st, err := status.FromDB(ctx, db.DB, cfg, status.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		name, newest   string
		late, inConfig bool
		files          int64
	}
	wants := []want{
		{"daily", "d1.csv", true, true, 2},
		{"weekly", "w1.csv", false, true, 0},
		{"never", "", true, true, 0}, // no file in the 48 h since the first run
		{"adhoc", "", false, true, 0},
		{"gone", "g.csv", false, false, 1},
	}
	if len(st.Feeds) != len(wants) {
		t.Fatalf("%d feeds, want %d: %+v", len(st.Feeds), len(wants), st.Feeds)
	}
	for i, w := range wants {
		f := st.Feeds[i]
		if f.Name != w.name || f.NewestFile != w.newest || f.Late != w.late || f.InConfig != w.inConfig || f.Files != w.files {
			t.Errorf("feed %d = %+v, want %+v", i, f, w)
		}
	}
	if st.Failures.FilesFailed != 0 || st.Failures.LinesQuarantined != 1 || len(st.Failures.TopReasons) != 1 ||
		st.Failures.TopReasons[0].Reason != `quantity "…" is not a number` {
		t.Errorf("failures in the window: %+v", st.Failures)
	}
	problems := strings.Join(st.Problems, "\n")
	for _, p := range []string{
		"the last run (2) failed: fetch: source drop: permission denied",
		"feed daily is late: no new file for 30h (expected every 1d)",
		"feed never is late: no file ever (expected every 1d)",
	} {
		if !strings.Contains(problems, p) {
			t.Errorf("problems lack %q:\n%s", p, problems)
		}
	}
	if strings.Contains(problems, "weekly") {
		t.Errorf("the weekly feed is not late:\n%s", problems)
	}
}
