package main

import (
	"context"
	"database/sql"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The concurrency test runs the pipeline many times while analysts query the published
// snapshot in a loop from several processes (`salesout query`, as an analyst would)
// and from a long-lived connection: no query may fail, and every answer must be one
// run's complete state.
var (
	concRuns    = flag.Int("concurrency.runs", 8, "concurrency test: runs that publish while analysts query")
	concReaders = flag.Int("concurrency.readers", 3, "concurrency test: analyst processes querying in a loop")
)

// analystQuery reads, in one statement on one snapshot, what must agree in a complete
// state: the last run and its status, the lines, the ledger's count of them, the files.
// This data set has no restatement, so every loaded line of the ledger is in sales_out.
const analystQuery = `SELECT
	(SELECT max(run_id) FROM runs) AS run_id,
	(SELECT status FROM runs ORDER BY run_id DESC LIMIT 1) AS status,
	(SELECT count(*) FROM sales_out) AS lines,
	(SELECT coalesce(sum(lines_loaded), 0)::BIGINT FROM files WHERE status = 'loaded') AS ledger_lines,
	(SELECT count(*) FROM files) AS files,
	(SELECT coalesce(sum(quantity), 0)::VARCHAR FROM sales_out) AS quantity`

// snapshotState is one answer to analystQuery.
type snapshotState struct {
	runID                     int64
	status                    string
	lines, ledgerLines, files int64
	quantity                  string
}

func (s snapshotState) String() string {
	return fmt.Sprintf("run %d %s: %d lines (ledger %d), %d files, quantity %s", s.runID, s.status, s.lines, s.ledgerLines, s.files, s.quantity)
}

func TestConcurrentAnalysts(t *testing.T) {
	if testing.Short() {
		t.Skip("concurrency: about 30 s")
	}
	dir := workspace(t)
	cfg := filepath.Join(dir, "config.yaml")
	states := map[int64]snapshotState{} // what each run published, read once it ended
	var statesMu sync.Mutex
	publish := func(i int) {
		if i > 0 {
			writeBEFile(t, filepath.Join(dir, "drop", fmt.Sprintf("BE_run%02d.csv", i)), i)
		}
		start := time.Now()
		mustRun(t, dir, "run", "--config", "config.yaml", "--as-of", asOf)
		// Read from another process: in this one, DuckDB's instance cache would hand a
		// new sql.Open the snapshot the held connection below still has open.
		s, err := parseState([]byte(mustRun(t, dir, "query", "--config", "config.yaml", "--format", "csv", analystQuery).stdout))
		if err != nil {
			t.Fatal(err)
		}
		if s.runID != int64(i+1) {
			t.Fatalf("run %d: the snapshot is run %d's", i+1, s.runID)
		}
		statesMu.Lock()
		states[s.runID] = s
		statesMu.Unlock()
		t.Logf("run %d published in %v: %s", i, time.Since(start).Round(time.Millisecond), s)
	}
	publish(0)

	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var mu sync.Mutex
	var seen []snapshotState
	var failures []string
	var queries atomic.Int64
	// Analyst processes: `salesout query` in a loop.
	for r := range *concReaders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				cmd := exec.Command(binary, "query", "--config", cfg, "--format", "csv", analystQuery)
				out, err := cmd.Output()
				queries.Add(1)
				mu.Lock()
				if err != nil {
					msg := err.Error()
					if ee, ok := err.(*exec.ExitError); ok {
						msg += ": " + string(ee.Stderr)
					}
					failures = append(failures, fmt.Sprintf("reader %d: %s", r, msg))
				} else if s, err := parseState(out); err != nil {
					failures = append(failures, fmt.Sprintf("reader %d: %v in %q", r, err, out))
				} else {
					seen = append(seen, s)
				}
				mu.Unlock()
			}
		}()
	}
	// An analyst who keeps a connection open and reopens it now and then: a held
	// snapshot stays readable and complete while runs replace the file.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			db, err := sql.Open("duckdb", filepath.Join(dir, "var", "analytics.duckdb")+"?access_mode=read_only")
			if err != nil {
				mu.Lock()
				failures = append(failures, "held connection: "+err.Error())
				mu.Unlock()
				return
			}
			db.SetMaxOpenConns(1)
			for range 20 {
				s, err := readState(db)
				queries.Add(1)
				mu.Lock()
				if err != nil {
					failures = append(failures, "held connection: "+err.Error())
				} else {
					seen = append(seen, s)
				}
				mu.Unlock()
				time.Sleep(25 * time.Millisecond)
			}
			db.Close()
		}
	}()

	start := time.Now()
	for i := 1; i <= *concRuns; i++ {
		publish(i)
	}
	stop()
	wg.Wait()
	took := time.Since(start)

	for _, f := range failures {
		t.Error(f)
	}
	distinct := map[int64]int{}
	for _, s := range seen {
		distinct[s.runID]++
		want, ok := states[s.runID]
		switch {
		case !ok:
			t.Errorf("an analyst saw run %d, which no completed run published: %s", s.runID, s)
		case s != want:
			t.Errorf("an analyst saw a partial state of run %d:\n got: %s\nwant: %s", s.runID, s, want)
		}
		if s.status != "succeeded" || s.lines != s.ledgerLines {
			t.Errorf("an analyst saw an inconsistent snapshot: %s", s)
		}
	}
	if len(distinct) < 2 {
		t.Errorf("the analysts saw %d distinct runs: the test did not overlap queries and runs", len(distinct))
	}
	t.Logf("%d runs published in %v while %d analyst processes and one held connection ran %d queries (%d failed); %d runs seen",
		*concRuns, took.Round(time.Millisecond), *concReaders, queries.Load(), len(failures), len(distinct))
}

// writeBEFile writes a BE feed file (comma, Latin-1) of n+1 lines of n units each, its
// content unique to n.
func writeBEFile(t *testing.T, path string, n int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("Date,Client,Nom,GTIN,Qty,Amount\n")
	for i := range n + 1 {
		fmt.Fprintf(&b, "2026-03-%02d,B%d,Run %d client %d,4006381333931,%d,%d.00\n", 1+i%28, 100+i, n, i, n, 10*n)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readState(db *sql.DB) (snapshotState, error) {
	var s snapshotState
	var q any
	err := db.QueryRow(analystQuery).Scan(&s.runID, &s.status, &s.lines, &s.ledgerLines, &s.files, &q)
	s.quantity = text(q)
	return s, err
}

// parseState reads `salesout query --format csv` output of analystQuery.
func parseState(out []byte) (snapshotState, error) {
	recs, err := csv.NewReader(strings.NewReader(string(out))).ReadAll()
	if err != nil {
		return snapshotState{}, err
	}
	if len(recs) != 2 || len(recs[1]) != 6 {
		return snapshotState{}, fmt.Errorf("want a header and one row of 6 columns")
	}
	r := recs[1]
	var s snapshotState
	var errs [4]error
	s.runID, errs[0] = strconv.ParseInt(r[0], 10, 64)
	s.status = r[1]
	s.lines, errs[1] = strconv.ParseInt(r[2], 10, 64)
	s.ledgerLines, errs[2] = strconv.ParseInt(r[3], 10, 64)
	s.files, errs[3] = strconv.ParseInt(r[4], 10, 64)
	s.quantity = r[5]
	for _, e := range errs {
		if e != nil {
			return s, e
		}
	}
	return s, nil
}
