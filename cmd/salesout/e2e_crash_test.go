package main

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/salesout/salesout/pipeline/demo"
)

// The crash test kills the worker with SIGKILL at seeded random points of its runs
// (fetching, loading, matching, scoring, alerting, exporting, publishing), restarts it,
// and checks after every kill and at the end that nothing was duplicated or lost. `make
// crash` runs 50 trials; the normal test run runs a few.
var (
	crashTrials = flag.Int("crash.trials", 3, "crash test: number of trials (seeds crash.seed, crash.seed+1, ...)")
	crashSeed   = flag.Uint64("crash.seed", 1, "crash test: seed of the first trial")
)

// crashDays are the two nightly runs of a trial: the first sees the demo data set's
// files but the last two of each distributor's folder, the second sees them all.
var crashDays = []string{"2026-10-31", "2026-11-15"}

// crashKeep is how many files of each distributor's folder the crash test keeps.
const crashKeep = 8

// crashData is the demo data set of the crash test, generated once: its inputs, and the
// state an uninterrupted run leaves after each day.
type crashData struct {
	dir  string      // config.yaml, ref/, drop/ (day 2), held (names of day 2 files)
	held []string    // drop-relative paths held back on day 1
	want []crashWant // per day
}

// crashWant is what an uninterrupted run leaves after a day.
type crashWant struct {
	snapshot string   // fingerprint of the published snapshot
	emails   []string // sorted subjects of the outbox's e-mails
}

func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash: about 40 s per trial")
	}
	crashSet, err := prepareCrash(t)
	if err != nil {
		t.Fatal(err)
	}
	var stats crashStats
	for i := range *crashTrials {
		seed := *crashSeed + uint64(i)
		if !t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { crashTrial(t, crashSet, seed, &stats) }) {
			t.Logf("reproduce: go test ./cmd/salesout -run 'TestCrash/seed=%d$' -crash.seed=%d -crash.trials=1 -v", seed, seed)
		}
	}
	t.Logf("%d trials (seeds %d..%d): %d runs killed, %d restarts completed; kills by step: %s",
		*crashTrials, *crashSeed, *crashSeed+uint64(*crashTrials)-1, stats.kills, stats.completed, stats.byStep())
}

// prepareCrash generates the demo data set and runs it uninterrupted, day by day.
func prepareCrash(t *testing.T) (*crashData, error) {
	dir := t.TempDir()
	if _, err := demo.Generate(demo.Options{Dir: dir, Partners: 300, Months: 24}); err != nil {
		return nil, err
	}
	cd := &crashData{dir: dir}
	srcs, err := os.ReadDir(filepath.Join(dir, "drop"))
	if err != nil {
		return nil, err
	}
	for _, s := range srcs {
		files, err := os.ReadDir(filepath.Join(dir, "drop", s.Name()))
		if err != nil {
			return nil, err
		}
		var names []string
		for _, f := range files {
			names = append(names, f.Name())
		}
		sort.Strings(names)
		// The last crashKeep files of each folder keep a trial short (about 60 files).
		for _, n := range names[:max(0, len(names)-crashKeep)] {
			if err := os.Remove(filepath.Join(dir, "drop", s.Name(), n)); err != nil {
				return nil, err
			}
		}
		names = names[max(0, len(names)-crashKeep):]
		for _, n := range names[max(0, len(names)-2):] {
			cd.held = append(cd.held, filepath.Join(s.Name(), n))
		}
	}
	ws := crashWorkspace(t, cd)
	for day, asOf := range crashDays {
		crashArrive(t, cd, ws, day)
		r := salesout(t, ws, "run", "--config", "config.yaml", "--as-of", asOf)
		if r.code != 0 {
			return nil, fmt.Errorf("reference run of %s: exit %d\n%s", asOf, r.code, r.stderr)
		}
		db, err := sql.Open("duckdb", filepath.Join(ws, "var", "analytics.duckdb")+"?access_mode=read_only")
		if err != nil {
			return nil, err
		}
		fp, err := fingerprint(db)
		db.Close()
		if err != nil {
			return nil, err
		}
		cd.want = append(cd.want, crashWant{snapshot: fp, emails: outboxSubjects(t, ws)})
	}
	if n := len(cd.want[1].emails); n == 0 {
		return nil, fmt.Errorf("the reference runs sent no alert: the crash test would not test alerting")
	}
	return cd, nil
}

// crashWorkspace copies the data set into a fresh folder, day 2's files held back.
func crashWorkspace(t *testing.T, cd *crashData) string {
	t.Helper()
	ws := t.TempDir()
	if err := os.CopyFS(ws, os.DirFS(cd.dir)); err != nil {
		t.Fatal(err)
	}
	for _, h := range cd.held {
		dst := filepath.Join(ws, "held", h)
		os.MkdirAll(filepath.Dir(dst), 0o750)
		if err := os.Rename(filepath.Join(ws, "drop", h), dst); err != nil {
			t.Fatal(err)
		}
	}
	return ws
}

// crashArrive drops day 2's files (day 1 has the rest already).
func crashArrive(t *testing.T, cd *crashData, ws string, day int) {
	t.Helper()
	if day == 0 {
		return
	}
	for _, h := range cd.held {
		if err := os.Rename(filepath.Join(ws, "held", h), filepath.Join(ws, "drop", h)); err != nil {
			t.Fatal(err)
		}
	}
}

// crashTrigger is where a run is killed: delay after the n-th log line with message msg
// (n counts from 1).
type crashTrigger struct {
	step  string
	msg   string
	n     int
	delay time.Duration
}

func (c crashTrigger) String() string {
	return fmt.Sprintf("%s: %v after %q #%d", c.step, c.delay, c.msg, c.n)
}

// randomTrigger picks a step uniformly, then a point inside it. The log lines that
// open or mark progress in each step (see the steps' zerolog messages) are the anchors.
func randomTrigger(rng *rand.Rand) crashTrigger {
	ms := func(n int) time.Duration { return time.Duration(rng.IntN(n*1000)) * time.Microsecond }
	switch rng.IntN(7) {
	case 0:
		return crashTrigger{"fetch", "fetched", 1 + rng.IntN(50), ms(5)}
	case 1:
		return crashTrigger{"load", "file loaded", 1 + rng.IntN(50), ms(30)}
	case 2:
		return crashTrigger{"match", "resellers scored", 1, ms(250)}
	case 3:
		return crashTrigger{"score", "matched", 1, ms(250)}
	case 4:
		if rng.IntN(2) == 0 {
			return crashTrigger{"alert", "digest recorded", 1 + rng.IntN(3), ms(12)}
		}
		return crashTrigger{"alert", "scored", 1, ms(120)}
	case 5:
		return crashTrigger{"export", "alerts", 1, ms(800)}
	default:
		return crashTrigger{"publish", "exported", 1, ms(1000)}
	}
}

// crashStats counts kills over all trials.
type crashStats struct {
	mu        sync.Mutex
	kills     int
	completed int
	steps     map[string]int // step the run was in when killed (its last log line)
}

func (s *crashStats) add(step string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.steps == nil {
		s.steps = map[string]int{}
	}
	s.kills++
	s.steps[step]++
}

func (s *crashStats) byStep() string {
	var parts []string
	for _, k := range []string{"start", "fetch", "load", "match", "score", "alert", "export", "publish"} {
		if n := s.steps[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, n))
		}
	}
	return strings.Join(parts, ", ")
}

// stepOf names the step a run was in from its last log line.
func stepOf(msg string) string {
	switch msg {
	case "", "run started":
		return "start"
	case "fetched", "content already received: recorded as duplicate, skipped":
		return "fetch"
	case "reference loaded", "file loaded", "file failed":
		return "load"
	case "resellers scored", "match coverage":
		return "match"
	case "matched":
		return "score"
	case "scored", "digest recorded", "digest sent", "alert muted", "digest not sent: the next run retries it",
		"completing the delivery of a digest an earlier run left":
		return "alert"
	case "alerts":
		return "export"
	case "exported", "iceberg tables written", "snapshot published":
		return "publish"
	}
	return "other(" + msg + ")"
}

// crashTrial runs both days of one seed: each day's run is killed once or twice
// at random points, then run to its end; every kill and every end is checked.
func crashTrial(t *testing.T, cd *crashData, seed uint64, stats *crashStats) {
	rng := rand.New(rand.NewPCG(seed, 0x5a1e5047))
	ws := crashWorkspace(t, cd)
	for day, asOf := range crashDays {
		crashArrive(t, cd, ws, day)
		for range 1 + rng.IntN(2) {
			trig := randomTrigger(rng)
			killed, last, stderr := runKilled(t, ws, trig, "run", "--config", "config.yaml", "--as-of", asOf)
			if !killed {
				// The anchor never came (this restart had less to do) and the run ended.
				t.Logf("day %s, %s: the run ended before the kill", asOf, trig)
				checkCrashSnapshot(t, ws, cd, day, true)
				break
			}
			stats.add(stepOf(last))
			t.Logf("day %s, %s: killed in %s (last log line %q)", asOf, trig, stepOf(last), last)
			checkCrashSnapshot(t, ws, cd, day, false)
			checkLedger(t, ws)
			if t.Failed() {
				t.Fatalf("after the kill; stderr of the killed run:\n%s", tail(stderr, 3000))
			}
		}
		r := salesout(t, ws, "run", "--config", "config.yaml", "--as-of", asOf)
		if r.code != 0 {
			t.Fatalf("restart of %s: exit %d\n%s", asOf, r.code, r.stderr)
		}
		stats.mu.Lock()
		stats.completed++
		stats.mu.Unlock()
		checkCrashSnapshot(t, ws, cd, day, true)
		checkLedger(t, ws)
		if got, want := outboxSubjects(t, ws), cd.want[day].emails; !slices.Equal(got, want) {
			t.Errorf("day %s: e-mails in the outbox differ from an uninterrupted run's (an alert sent twice or lost)\n got: %q\nwant: %q", asOf, got, want)
		}
		checkExportFolder(t, ws)
		if t.Failed() {
			t.FailNow()
		}
	}
}

// runKilled runs salesout and sends it SIGKILL at trig. It returns whether the kill
// ended the process, the message of the last log line before it, and stderr.
func runKilled(t *testing.T, dir string, trig crashTrigger, args ...string) (killed bool, last string, stderr string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var lastMsg string
	var timer *time.Timer
	var b strings.Builder
	seen := 0
	sc := bufio.NewScanner(pipe)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		b.WriteString(line + "\n")
		var l struct {
			Message string `json:"message"`
		}
		if json.Unmarshal([]byte(line), &l) != nil {
			continue
		}
		mu.Lock()
		lastMsg = l.Message
		mu.Unlock()
		if l.Message == trig.msg {
			seen++
			if seen == trig.n && timer == nil {
				timer = time.AfterFunc(trig.delay, func() {
					mu.Lock()
					last = lastMsg
					mu.Unlock()
					cmd.Process.Signal(syscall.SIGKILL)
				})
			}
		}
	}
	err = cmd.Wait()
	if timer != nil {
		timer.Stop()
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
		mu.Lock()
		defer mu.Unlock()
		return true, last, b.String()
	}
	if err != nil {
		t.Fatalf("salesout %s (not killed): %v\n%s", strings.Join(args, " "), err, b.String())
	}
	return false, "", b.String()
}

// checkCrashSnapshot opens the published snapshot read-only, as an analyst would: it
// must be absent (nothing published yet), or exactly the state of an uninterrupted
// run after an earlier day or this one. complete: the day's run has ended, so the
// snapshot must be this day's.
func checkCrashSnapshot(t *testing.T, ws string, cd *crashData, day int, complete bool) {
	t.Helper()
	path := filepath.Join(ws, "var", "analytics.duckdb")
	if _, err := os.Stat(path); os.IsNotExist(err) && day == 0 && !complete {
		return
	}
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fp, err := fingerprint(db)
	if err != nil {
		t.Errorf("published snapshot cannot be read: %v", err)
		return
	}
	allowed := []int{day}
	if !complete && day > 0 {
		allowed = append(allowed, day-1)
	}
	for _, d := range allowed {
		if fp == cd.want[d].snapshot {
			return
		}
	}
	t.Errorf("published snapshot is no complete state (days allowed %v):\n%s\n--- want (day %d):\n%s", allowed, fp, day, cd.want[day].snapshot)
}

// fingerprint describes a published snapshot by what an analyst reads in it: the as_of
// of its last run and the run's status, the lines by distributor, the ledger, the
// quarantine, matches, scores, deviations and alerts. It leaves out ids and times,
// which differ between runs of the same data.
func fingerprint(db *sql.DB) (string, error) {
	qs := []string{
		`SELECT as_of, status FROM runs WHERE status <> 'running' ORDER BY run_id DESC LIMIT 1`,
		// a run killed earlier is failed (interrupted), never "running" for ever
		`SELECT count(*) FROM runs WHERE status = 'running'`,
		`SELECT count(*) FROM runs WHERE status = 'failed' AND error NOT LIKE 'interrupted:%'`,
		`SELECT distributor, count(*), sum(quantity), sum(amount), sum(amount_base), count(DISTINCT line_id) FROM sales_out GROUP BY ALL ORDER BY ALL`,
		`SELECT feed, name, status, lines_loaded, lines_quarantined FROM files ORDER BY feed, name`,
		`SELECT f.name, count(*), count(q.line_no) FROM quarantine q JOIN files f USING (file_id) GROUP BY ALL ORDER BY ALL`,
		`SELECT count(*), count(partner_id), count(DISTINCT partner_id) FROM partner_matches`,
		`SELECT loyalty, plan, count(*), round(sum(score), 6) FROM partner_scores GROUP BY ALL ORDER BY ALL`,
		`SELECT scope, scope_id, kpi, period, severity, round(deviation_pct, 6) FROM kpi_deviations ORDER BY ALL`,
		`SELECT kind, scope, scope_id, severity, status, last_sent IS NOT NULL FROM alerts ORDER BY ALL`,
	}
	var b strings.Builder
	for _, q := range qs {
		rs, err := db.Query(q)
		if err != nil {
			return "", fmt.Errorf("%s: %w", q, err)
		}
		cols, _ := rs.Columns()
		for rs.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rs.Scan(ptrs...); err != nil {
				rs.Close()
				return "", err
			}
			cells := make([]string, len(vals))
			for i, v := range vals {
				cells[i] = text(v)
			}
			b.WriteString(strings.Join(cells, "|") + "\n")
		}
		err = rs.Err()
		rs.Close()
		if err != nil {
			return "", err
		}
		b.WriteString("--\n")
	}
	return b.String(), nil
}

// checkLedger opens the worker's database (the worker is not running) and checks that
// the files ledger agrees with lines and quarantine, file by file, and that no line is
// there twice.
func checkLedger(t *testing.T, ws string) {
	t.Helper()
	db, err := sql.Open("duckdb", filepath.Join(ws, "var", "warehouse.duckdb")+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct{ what, q string }{
		{"files whose lines_loaded differs from their rows in lines", `
			SELECT f.name, f.status, f.lines_loaded, count(l.line_no)
			FROM files f LEFT JOIN lines l USING (file_id)
			GROUP BY ALL HAVING f.lines_loaded <> count(l.line_no) ORDER BY 1`},
		{"files whose lines_quarantined differs from their line rows in quarantine", `
			SELECT f.name, f.status, f.lines_quarantined, count(q.line_no)
			FROM files f LEFT JOIN quarantine q USING (file_id)
			GROUP BY ALL HAVING f.lines_quarantined <> count(q.line_no) ORDER BY 1`},
		{"lines of a file not loaded", `
			SELECT f.name, f.status, count(*) FROM lines l JOIN files f USING (file_id)
			WHERE f.status <> 'loaded' GROUP BY ALL`},
		{"lines twice", `SELECT file_id, line_no, count(*) FROM lines GROUP BY ALL HAVING count(*) > 1 LIMIT 5`},
		{"quarantined lines twice", `SELECT file_id, line_no, count(*) FROM quarantine WHERE line_no IS NOT NULL GROUP BY ALL HAVING count(*) > 1 LIMIT 5`},
		{"files listed twice", `SELECT source, name, count(*) FROM files GROUP BY ALL HAVING count(*) > 1`},
	} {
		if got := rows(t, db, c.q); len(got) > 0 {
			t.Errorf("worker database: %s:\n  %s", c.what, strings.Join(got, "\n  "))
		}
	}
}

// outboxFiles are the .eml files of the outbox.
func outboxFiles(t *testing.T, ws string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(ws, "var", "outbox", "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// outboxSubjects returns the sorted Subject headers of the outbox's e-mails.
func outboxSubjects(t *testing.T, ws string) []string {
	t.Helper()
	var subjects []string
	for _, f := range outboxFiles(t, ws) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		subject := "(no subject)"
		for _, line := range strings.Split(string(b), "\n") {
			if s, ok := strings.CutPrefix(line, "Subject: "); ok {
				subject = strings.TrimSpace(s)
				break
			}
		}
		subjects = append(subjects, subject)
	}
	sort.Strings(subjects)
	return subjects
}

// checkExportFolder checks the Parquet export after a completed run: one folder per
// table and the manifest, nothing a killed export left behind.
func checkExportFolder(t *testing.T, ws string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(ws, "var", "export"))
	if err != nil {
		t.Fatal(err)
	}
	var stray []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			stray = append(stray, e.Name())
		}
	}
	if len(stray) > 0 {
		t.Errorf("export folder holds what a killed export left: %v", stray)
	}
	b, err := os.ReadFile(filepath.Join(ws, "var", "export", "_manifest.json"))
	if err != nil {
		t.Fatalf("export manifest: %v", err)
	}
	var m struct {
		Tables []struct{ Table, Path string }
	}
	if err := json.Unmarshal(b, &m); err != nil || len(m.Tables) == 0 {
		t.Fatalf("export manifest: %v\n%s", err, b)
	}
	for _, tb := range m.Tables {
		if _, err := os.Stat(filepath.Join(ws, "var", "export", tb.Path)); err != nil {
			t.Errorf("export manifest lists %s, which is not there: %v", tb.Table, err)
		}
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
