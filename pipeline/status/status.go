// Package status is the operator's morning view: the last runs, each feed's freshness,
// the files failed and lines quarantined lately with their top reasons, the match rate
// per distributor and the alerts sent. `salesout status` prints it, /healthz and
// /metrics serve it.
//
// It reads only the published snapshot (warehouse.publish), read-only, so that it works
// while a run or `salesout serve` holds the warehouse, and says how old the snapshot is.
// The SQL is in sql/status.
package status

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// Options tune a Read.
type Options struct {
	Now    time.Time     // the clock; time.Now() when zero
	Window time.Duration // "lately": failures, quarantine and alerts sent; 7 days when zero
	Runs   int           // how many runs to list; 5 when zero
	Top    int           // how many failed files and quarantine reasons; 5 when zero
}

// Status is what Read found. Its JSON is `salesout status --format json` and part of
// /healthz.
type Status struct {
	Now      time.Time   `json:"now"`
	Since    time.Time   `json:"since"` // start of the window of the counts below
	Snapshot Snapshot    `json:"snapshot"`
	Runs     []Run       `json:"runs"`
	Feeds    []Feed      `json:"feeds"`
	Failures Failures    `json:"failures"`
	Matching []MatchRate `json:"matching"`
	Alerts   Alerts      `json:"alerts"`
	// Problems are one line each: a late feed, a failed last run, a failed file.
	Problems []string `json:"problems"`
}

// Snapshot is the published file the status was read from.
type Snapshot struct {
	Path        string    `json:"path"`
	PublishedAt time.Time `json:"published_at"`
	AgeSeconds  float64   `json:"age_seconds"`
}

// Run is one row of the runs table.
type Run struct {
	RunID           int64      `json:"run_id"`
	StartedAt       time.Time  `json:"started_at"`
	FinishedAt      *time.Time `json:"finished_at"`
	Status          string     `json:"status"`
	AsOf            string     `json:"as_of"`
	Steps           string     `json:"steps"`
	Error           string     `json:"error,omitempty"`
	DurationSeconds float64    `json:"duration_seconds"`
}

// Feed is one feed's freshness: the config's feeds, and any other feed the files table
// names (a feed since removed from the config).
type Feed struct {
	Name          string     `json:"name"`
	Distributor   string     `json:"distributor"`
	NewestFile    string     `json:"newest_file,omitempty"`
	NewestAt      *time.Time `json:"newest_received_at"`
	AgeSeconds    *float64   `json:"age_seconds"` // since the newest file; null when none
	ExpectedEvery string     `json:"expected_every,omitempty"`
	// Late: no new file for longer than expected_every (with no file ever: for longer
	// than expected_every since the snapshot's first run). Never late without
	// expected_every.
	Late             bool `json:"late"`
	InConfig         bool `json:"in_config"`
	every            time.Duration
	firstRun         time.Time // the snapshot's first run, for a feed that never sent a file
	Files            int64     `json:"files"` // received in the window, duplicates included
	FilesFailed      int64     `json:"files_failed"`
	LinesLoaded      int64     `json:"lines_loaded"`
	LinesQuarantined int64     `json:"lines_quarantined"`
}

// Failures are the files failed and lines quarantined in the window.
type Failures struct {
	FilesFailed      int64        `json:"files_failed"`
	LinesQuarantined int64        `json:"lines_quarantined"`
	Files            []FailedFile `json:"files"`       // newest first, at most Options.Top
	TopReasons       []Reason     `json:"top_reasons"` // most lines first, at most Options.Top
}

// FailedFile is a file that could not be loaded at all.
type FailedFile struct {
	Feed        string    `json:"feed"`
	Distributor string    `json:"distributor"`
	Name        string    `json:"name"`
	Reason      string    `json:"reason"`
	ReceivedAt  time.Time `json:"received_at"`
}

// Reason is a quarantine reason with its quoted values blanked, and how many lines.
type Reason struct {
	Reason  string `json:"reason"`
	Lines   int64  `json:"lines"`
	Feeds   string `json:"feeds"`
	Example string `json:"example"`
}

// MatchRate is a distributor's share of lines and revenue matched to a partner.
type MatchRate struct {
	Distributor       string  `json:"distributor"`
	Lines             int64   `json:"lines"`
	LinesMatched      int64   `json:"lines_matched"`
	LinesPct          float64 `json:"lines_pct"`
	Revenue           float64 `json:"revenue"`
	RevenueMatched    float64 `json:"revenue_matched"`
	RevenuePct        float64 `json:"revenue_pct"`
	Resellers         int64   `json:"resellers"`
	ResellersMatched  int64   `json:"resellers_matched"`
	ResellersUnmapped int64   `json:"resellers_unmatched"`
}

// Alerts are the alerts open and sent in the window, and the digests when the
// snapshot has them.
type Alerts struct {
	Open     int64        `json:"open"`
	Sent     int64        `json:"sent"` // alerts put in an e-mail in the window
	LastSent *time.Time   `json:"last_sent"`
	ByKind   []AlertCount `json:"by_kind"`
	// Digests by delivery status (sent, failed, pending...) in the window; nil when the
	// snapshot has no alert_digests table.
	Digests map[string]int64 `json:"digests,omitempty"`
}

// AlertCount is the alerts of one kind and severity.
type AlertCount struct {
	Kind     string `json:"kind"`
	Severity string `json:"severity"`
	Open     int64  `json:"open"`
	Sent     int64  `json:"sent"`
}

// ErrNoSnapshot is returned when nothing was published yet.
var ErrNoSnapshot = errors.New("no published snapshot yet")

// Read opens cfg's published snapshot read-only and reads the status from it.
func Read(ctx context.Context, cfg *config.Config, opt Options) (*Status, error) {
	path := cfg.Warehouse.Publish
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("status: %w at %s (run the pipeline with the export step first)", ErrNoSnapshot, path)
	}
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		return nil, fmt.Errorf("status: open %s: %w", path, err)
	}
	defer db.Close()
	st, err := FromDB(ctx, db, cfg, opt)
	if err != nil {
		return nil, err
	}
	st.Snapshot = Snapshot{Path: path, PublishedAt: fi.ModTime().UTC(), AgeSeconds: st.Now.Sub(fi.ModTime()).Seconds()}
	return st, nil
}

// FromDB reads the status from an open snapshot (or warehouse) db.
func FromDB(ctx context.Context, db *sql.DB, cfg *config.Config, opt Options) (*Status, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.Window <= 0 {
		opt.Window = 7 * 24 * time.Hour
	}
	if opt.Runs <= 0 {
		opt.Runs = 5
	}
	if opt.Top <= 0 {
		opt.Top = 5
	}
	st := &Status{Now: opt.Now.UTC(), Since: opt.Now.Add(-opt.Window).UTC()}
	for _, read := range []struct {
		what string
		fn   func(context.Context, *sql.DB, *Status, Options, *config.Config) error
	}{
		{"runs", readRuns}, {"feeds", readFeeds}, {"failures", readFailures},
		{"match rate", readMatching}, {"alerts", readAlerts},
	} {
		if err := read.fn(ctx, db, st, opt, cfg); err != nil {
			return nil, fmt.Errorf("status: %s: %w", read.what, err)
		}
	}
	st.Problems = problems(st)
	return st, nil
}

func readRuns(ctx context.Context, db *sql.DB, st *Status, opt Options, _ *config.Config) error {
	rows, err := db.QueryContext(ctx, warehouse.Statement("status/runs.sql"), opt.Runs)
	if err != nil {
		return err
	}
	defer rows.Close()
	st.Runs = []Run{}
	for rows.Next() {
		var r Run
		var fin sql.NullTime
		var asOf time.Time
		var msg sql.NullString
		if err := rows.Scan(&r.RunID, &r.StartedAt, &fin, &r.Status, &asOf, &r.Steps, &msg); err != nil {
			return err
		}
		r.StartedAt = r.StartedAt.UTC()
		r.AsOf, r.Error = asOf.Format(time.DateOnly), msg.String
		if fin.Valid {
			t := fin.Time.UTC()
			r.FinishedAt = &t
			r.DurationSeconds = t.Sub(r.StartedAt).Seconds()
		}
		st.Runs = append(st.Runs, r)
	}
	return rows.Err()
}

func readFeeds(ctx context.Context, db *sql.DB, st *Status, _ Options, cfg *config.Config) error {
	rows, err := db.QueryContext(ctx, warehouse.Statement("status/feeds.sql"), st.Since, st.Since, st.Since, st.Since)
	if err != nil {
		return err
	}
	defer rows.Close()
	seen := map[string]Feed{}
	var order []string
	for rows.Next() {
		var f Feed
		var newest sql.NullString
		var at sql.NullTime
		if err := rows.Scan(&f.Name, &f.Distributor, &newest, &at, &f.Files, &f.FilesFailed, &f.LinesLoaded, &f.LinesQuarantined); err != nil {
			return err
		}
		f.NewestFile = newest.String
		if at.Valid {
			t := at.Time.UTC()
			f.NewestAt = &t
			f.setAge(st.Now)
		}
		seen[f.Name] = f
		order = append(order, f.Name)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// The first run: a feed with no file at all is late once it has been expected.
	var first sql.NullTime
	if len(st.Runs) > 0 {
		if err := db.QueryRowContext(ctx, `SELECT min(started_at) FROM runs`).Scan(&first); err != nil {
			return err
		}
	}
	st.Feeds = []Feed{}
	for _, cf := range cfg.Feeds {
		f, ok := seen[cf.Name]
		if !ok {
			f = Feed{Name: cf.Name}
		}
		delete(seen, cf.Name)
		f.Distributor, f.InConfig = cf.Distributor, true
		f.every, f.firstRun = cf.ExpectedEvery.Duration, first.Time
		if f.every > 0 {
			f.ExpectedEvery = formatDuration(f.every)
		}
		f.setAge(st.Now)
		st.Feeds = append(st.Feeds, f)
	}
	for _, name := range order {
		if f, ok := seen[name]; ok {
			st.Feeds = append(st.Feeds, f)
		}
	}
	return nil
}

func readFailures(ctx context.Context, db *sql.DB, st *Status, opt Options, _ *config.Config) error {
	for _, f := range st.Feeds {
		st.Failures.FilesFailed += f.FilesFailed
		st.Failures.LinesQuarantined += f.LinesQuarantined
	}
	rows, err := db.QueryContext(ctx, warehouse.Statement("status/failed_files.sql"), st.Since, opt.Top)
	if err != nil {
		return err
	}
	defer rows.Close()
	st.Failures.Files = []FailedFile{}
	for rows.Next() {
		var f FailedFile
		if err := rows.Scan(&f.Feed, &f.Distributor, &f.Name, &f.Reason, &f.ReceivedAt); err != nil {
			return err
		}
		f.ReceivedAt = f.ReceivedAt.UTC()
		st.Failures.Files = append(st.Failures.Files, f)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, warehouse.Statement("status/quarantine_reasons.sql"), st.Since, opt.Top)
	if err != nil {
		return err
	}
	defer rows.Close()
	st.Failures.TopReasons = []Reason{}
	for rows.Next() {
		var r Reason
		if err := rows.Scan(&r.Reason, &r.Lines, &r.Feeds, &r.Example); err != nil {
			return err
		}
		st.Failures.TopReasons = append(st.Failures.TopReasons, r)
	}
	return rows.Err()
}

func readMatching(ctx context.Context, db *sql.DB, st *Status, _ Options, _ *config.Config) error {
	rows, err := db.QueryContext(ctx, warehouse.Statement("status/match_rate.sql"))
	if err != nil {
		return err
	}
	defer rows.Close()
	st.Matching = []MatchRate{}
	for rows.Next() {
		var m MatchRate
		if err := rows.Scan(&m.Distributor, &m.Lines, &m.LinesMatched, &m.Revenue, &m.RevenueMatched, &m.Resellers, &m.ResellersMatched); err != nil {
			return err
		}
		m.LinesPct = pct(float64(m.LinesMatched), float64(m.Lines))
		m.RevenuePct = pct(m.RevenueMatched, m.Revenue)
		m.ResellersUnmapped = m.Resellers - m.ResellersMatched
		st.Matching = append(st.Matching, m)
	}
	return rows.Err()
}

func readAlerts(ctx context.Context, db *sql.DB, st *Status, _ Options, _ *config.Config) error {
	rows, err := db.QueryContext(ctx, warehouse.Statement("status/alerts.sql"), st.Since)
	if err != nil {
		return err
	}
	defer rows.Close()
	st.Alerts.ByKind = []AlertCount{}
	for rows.Next() {
		var c AlertCount
		var last sql.NullTime
		if err := rows.Scan(&c.Kind, &c.Severity, &c.Open, &c.Sent, &last); err != nil {
			return err
		}
		st.Alerts.Open += c.Open
		st.Alerts.Sent += c.Sent
		if last.Valid && (st.Alerts.LastSent == nil || last.Time.After(*st.Alerts.LastSent)) {
			t := last.Time.UTC()
			st.Alerts.LastSent = &t
		}
		st.Alerts.ByKind = append(st.Alerts.ByKind, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	var hasDigests bool
	if err := db.QueryRowContext(ctx, `SELECT count(*) > 0 FROM information_schema.tables WHERE table_name = 'alert_digests'`).Scan(&hasDigests); err != nil || !hasDigests {
		return err
	}
	rows, err = db.QueryContext(ctx, warehouse.Statement("status/digests.sql"), st.Since)
	if err != nil {
		return err
	}
	defer rows.Close()
	st.Alerts.Digests = map[string]int64{}
	for rows.Next() {
		var status string
		var n, recipients int64
		if err := rows.Scan(&status, &n, &recipients); err != nil {
			return err
		}
		st.Alerts.Digests[status] = n
	}
	return rows.Err()
}

// setAge sets the feed's age and lateness at now.
func (f *Feed) setAge(now time.Time) {
	f.Late = false
	if f.NewestAt != nil {
		age := now.Sub(*f.NewestAt).Seconds()
		f.AgeSeconds = &age
	}
	if f.every <= 0 {
		return
	}
	switch {
	case f.NewestAt != nil:
		f.Late = now.Sub(*f.NewestAt) > f.every
	case !f.firstRun.IsZero():
		f.Late = now.Sub(f.firstRun) > f.every
	}
}

// At is st brought to now: the snapshot's and the feeds' ages, which feeds are late and
// the problems. The counts keep the window they were read with.
func (st *Status) At(now time.Time) *Status {
	c := *st
	c.Now = now.UTC()
	if !c.Snapshot.PublishedAt.IsZero() {
		c.Snapshot.AgeSeconds = now.Sub(c.Snapshot.PublishedAt).Seconds()
	}
	c.Feeds = append([]Feed(nil), st.Feeds...)
	for i := range c.Feeds {
		c.Feeds[i].setAge(now)
	}
	c.Problems = problems(&c)
	return &c
}

// problems are the lines an operator must act on.
func problems(st *Status) []string {
	out := []string{}
	if len(st.Runs) > 0 && st.Runs[0].Status == "failed" {
		out = append(out, fmt.Sprintf("the last run (%d) failed: %s", st.Runs[0].RunID, st.Runs[0].Error))
	}
	for _, f := range st.Feeds {
		switch {
		case f.Late && f.NewestAt != nil:
			out = append(out, fmt.Sprintf("feed %s is late: no new file for %s (expected every %s)", f.Name, formatDuration(time.Duration(*f.AgeSeconds*float64(time.Second))), f.ExpectedEvery))
		case f.Late:
			out = append(out, fmt.Sprintf("feed %s is late: no file ever (expected every %s)", f.Name, f.ExpectedEvery))
		}
	}
	for _, f := range st.Failures.Files {
		out = append(out, fmt.Sprintf("file %s of feed %s failed: %s", f.Name, f.Feed, f.Reason))
	}
	if d := st.Alerts.Digests["failed"]; d > 0 {
		out = append(out, fmt.Sprintf("%d alert e-mail(s) failed to send (retried by the next run)", d))
	}
	return out
}

func pct(part, whole float64) float64 {
	if whole == 0 {
		return 0
	}
	return float64(int64(1000*part/whole+0.5)) / 10
}

// formatDuration writes whole days as "35d", else hours and minutes ("26h", "1h30m").
func formatDuration(d time.Duration) string {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d >= 48*time.Hour:
		return fmt.Sprintf("%.1fd", d.Hours()/24)
	case d >= time.Hour:
		h, m := int(d.Hours()), int(d.Minutes())%60
		if m == 0 {
			return fmt.Sprintf("%dh", h)
		}
		return fmt.Sprintf("%dh%02dm", h, m)
	case d >= time.Minute:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%ds", int(d.Seconds()))
}
