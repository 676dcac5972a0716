package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHelpEveryCommand: every command prints its help with flags and examples, exit 0.
func TestHelpEveryCommand(t *testing.T) {
	dir := t.TempDir()
	root := mustRun(t, dir, "--help")
	for _, want := range []string{"Exit codes:", "3    another salesout run", "completion", "status", "validate"} {
		if !strings.Contains(root.stdout, want) {
			t.Errorf("salesout --help lacks %q:\n%s", want, root.stdout)
		}
	}
	for _, cmd := range [][]string{
		{"run"}, {"serve"}, {"validate"}, {"query"}, {"demo"}, {"status"},
		{"review", "export"}, {"review", "import"}, {"completion"}, {"version"}, {"report"}, {"feed", "sniff"},
	} {
		t.Run(strings.Join(cmd, " "), func(t *testing.T) {
			r := mustRun(t, dir, append(cmd, "--help")...)
			for _, want := range []string{"Usage:", "Examples:", "Flags:", "--help"} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("%v --help lacks %q:\n%s", cmd, want, r.stdout)
				}
			}
		})
	}
	// The shared flags read the same in every command that has them.
	config := regexp.MustCompile(`--config FILE +config FILE \(default: \$SALESOUT_CONFIG\)`)
	for _, cmd := range [][]string{{"run"}, {"serve"}, {"validate"}, {"query"}, {"status"}, {"report"}, {"review", "export"}, {"review", "import"}} {
		if r := mustRun(t, dir, append(cmd, "--help")...); !config.MatchString(r.stdout) {
			t.Errorf("%v --help: --config is not described as elsewhere:\n%s", cmd, r.stdout)
		}
	}
}

// TestVersion: --version names the module version, the commit and DuckDB's version.
func TestVersion(t *testing.T) {
	r := mustRun(t, t.TempDir(), "--version")
	for _, re := range []string{`(?m)^salesout \S+`, `(?m)^  commit  \S+`, `(?m)^  duckdb  v\d+\.\d+\.\d+`} {
		if !regexp.MustCompile(re).MatchString(r.stdout) {
			t.Errorf("--version lacks %s:\n%s", re, r.stdout)
		}
	}
}

// TestCompletion: a completion script for each shell, and completion of --format values.
func TestCompletion(t *testing.T) {
	dir := t.TempDir()
	for shell, want := range map[string]string{"bash": "complete -o default -F __start_salesout salesout", "zsh": "#compdef salesout", "fish": "complete -c salesout"} {
		if r := mustRun(t, dir, "completion", shell); !strings.Contains(r.stdout, want) {
			t.Errorf("completion %s lacks %q", shell, want)
		}
	}
	r := mustRun(t, dir, "__complete", "status", "--format", "")
	if !strings.Contains(r.stdout, "table\njson\n") {
		t.Errorf("status --format does not complete to table, json:\n%s", r.stdout)
	}
	if r := salesout(t, dir, "completion", "tcsh"); r.code != 2 {
		t.Errorf("completion tcsh: exit %d, want 2", r.code)
	}
}

// TestRunFailsFastWhenLocked: a run while another process holds the warehouse (serve,
// or another run) stops at once with exit code 3 and says who holds it; serve holds it
// for its whole life; once released, a run goes through.
func TestRunFailsFastWhenLocked(t *testing.T) {
	dir := workspace(t)
	// Another process (a run) holds the lock: a second process takes it with flock.
	// --no-fork: the lock is the process's own, and goes when it is killed.
	holder := exec.Command("flock", "--nonblock", "--no-fork", filepath.Join(dir, "var", "warehouse.duckdb.lock"), "sleep", "60")
	os.MkdirAll(filepath.Join(dir, "var"), 0o750)
	if _, err := exec.LookPath("flock"); err == nil {
		if err := holder.Start(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, func() bool {
			f, err := os.OpenFile(filepath.Join(dir, "var", "warehouse.duckdb.lock"), os.O_RDWR, 0)
			if err != nil {
				return false
			}
			defer f.Close()
			return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil
		})
		start := time.Now()
		r := salesout(t, dir, "run", "--config", "config.yaml", "--as-of", asOf)
		if r.code != 3 || !strings.Contains(r.stderr, "the warehouse is in use") {
			t.Errorf("run while locked: exit %d, want 3:\n%s", r.code, r.stderr)
		}
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("run waited %s for the lock", took)
		}
		holder.Process.Kill()
		holder.Wait()
		t.Logf("%s: holder gone", time.Since(start))
	} else {
		t.Log("flock(1) not installed: the run-against-run case is covered by serve below")
	}

	// serve holds it for its whole life; status and query read the snapshot meanwhile.
	mustRun(t, dir, "run", "--config", "config.yaml", "--as-of", asOf)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg, _ := os.ReadFile(filepath.Join(dir, "config.yaml"))
	cfg = append(cfg, []byte(fmt.Sprintf("schedule:\n  - name: yearly\n    cron: \"0 3 1 1 *\"\nhttp:\n  listen: %s\n", addr))...)
	os.WriteFile(filepath.Join(dir, "serve.yaml"), cfg, 0o600)
	serve := exec.Command(binary, "serve", "--config", "serve.yaml")
	serve.Dir = dir
	var serveErr bytes.Buffer
	serve.Stderr = &serveErr
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	ended := make(chan error, 1)
	go func() { ended <- serve.Wait() }()
	t.Cleanup(func() { serve.Process.Kill() })
	waitFor(t, func() bool {
		select {
		case err := <-ended:
			t.Fatalf("serve ended (%v):\n%s", err, serveErr.String())
		default:
		}
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	t.Log("serve is up")
	r := salesout(t, dir, "run", "--config", "config.yaml", "--as-of", asOf)
	if r.code != 3 || !regexp.MustCompile(`in use by salesout serve \(pid \d+`).MatchString(r.stderr) {
		t.Errorf("run while serve runs: exit %d, want 3 naming serve:\n%s", r.code, r.stderr)
	}
	if st := salesout(t, dir, "status", "--config", "config.yaml"); st.code != 0 || !strings.Contains(st.stdout, "Last runs") {
		t.Errorf("status while serve runs: exit %d\n%s%s", st.code, st.stdout, st.stderr)
	}
	// A second serve too.
	if r := salesout(t, dir, "serve", "--config", "serve.yaml"); r.code != 3 {
		t.Errorf("second serve: exit %d, want 3:\n%s", r.code, r.stderr)
	}
	serve.Process.Signal(syscall.SIGTERM)
	if err := <-ended; err != nil {
		t.Errorf("serve on SIGTERM: %v\n%s", err, serveErr.String())
	}
	mustRun(t, dir, "run", "--config", "config.yaml", "--as-of", asOf)
}

// TestStatusOnDemo: status on the demo, as a table and as JSON; then report and feed
// sniff on the same demo.
func TestStatusOnDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("demo: about 15 s")
	}
	dir := t.TempDir()
	mustRun(t, dir, "demo", "--dir", "d")
	cfg := filepath.Join("d", "config.yaml")
	table := mustRun(t, dir, "status", "--config", cfg)
	for _, re := range []string{
		`(?m)^snapshot .*analytics\.duckdb, published \d{4}-\d\d-\d\d \d\d:\d\d \(\d+s ago\)$`,
		`(?m)^  1 +\d{4}-\d\d-\d\d \d\d:\d\d +\d+\.\ds +succeeded +2026-11-15 +fetch,load,match,score,export,alert$`,
		`(?m)^  acme-monthly +ACME +ACME_ventes_202611\.csv +\d+s +35d +no +28 +1 +10017 +10$`,
		`(?m)^  charlie-weekly +CHARLIE +CHARLIE_sellout_2026W46\.tsv +\d+s +8d +no `,
		`(?m)^Failures in the last 7d: 1 file\(s\) failed, 51 line\(s\) quarantined$`,
		`(?m)^  32 +totals row \(not a sale\): invoice_date "…" does not match`,
		`(?m)^  BRAVO +12745 +100\.0% `,
		`(?m)^Alerts: \d+ open, \d+ sent in the last 7d \(last e-mail \d{4}-\d\d-\d\d \d\d:\d\d\)$`,
		`(?m)^  - file ACME_ventes_202606_complement\.csv of feed acme-monthly failed: cannot read the header`,
	} {
		if !regexp.MustCompile(re).MatchString(table.stdout) {
			t.Errorf("status table lacks %s:\n%s", re, table.stdout)
		}
	}
	js := mustRun(t, dir, "status", "--config", cfg, "--format", "json")
	var st struct {
		Snapshot struct {
			Path       string  `json:"path"`
			AgeSeconds float64 `json:"age_seconds"`
		} `json:"snapshot"`
		Runs []struct {
			RunID  int64  `json:"run_id"`
			Status string `json:"status"`
			AsOf   string `json:"as_of"`
		} `json:"runs"`
		Feeds []struct {
			Name          string   `json:"name"`
			ExpectedEvery string   `json:"expected_every"`
			Late          bool     `json:"late"`
			AgeSeconds    *float64 `json:"age_seconds"`
			LinesLoaded   int64    `json:"lines_loaded"`
		} `json:"feeds"`
		Failures struct {
			FilesFailed      int64 `json:"files_failed"`
			LinesQuarantined int64 `json:"lines_quarantined"`
			TopReasons       []struct {
				Reason string `json:"reason"`
				Lines  int64  `json:"lines"`
			} `json:"top_reasons"`
		} `json:"failures"`
		Matching []struct {
			Distributor string  `json:"distributor"`
			LinesPct    float64 `json:"lines_pct"`
		} `json:"matching"`
		Alerts struct {
			Open int64 `json:"open"`
			Sent int64 `json:"sent"`
		} `json:"alerts"`
		Problems []string `json:"problems"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &st); err != nil {
		t.Fatalf("status --format json: %v\n%s", err, js.stdout)
	}
	var lines int64
	for _, f := range st.Feeds {
		lines += f.LinesLoaded
		if f.Late || f.AgeSeconds == nil || f.ExpectedEvery == "" {
			t.Errorf("feed %+v: want a fresh feed with an age and expected_every", f)
		}
	}
	switch {
	case st.Snapshot.AgeSeconds < 0 || st.Snapshot.AgeSeconds > 600 || !strings.HasSuffix(st.Snapshot.Path, "analytics.duckdb"):
		t.Errorf("snapshot: %+v", st.Snapshot)
	case len(st.Runs) != 1 || st.Runs[0].Status != "succeeded" || st.Runs[0].AsOf != "2026-11-15":
		t.Errorf("runs: %+v", st.Runs)
	case len(st.Feeds) != 8 || lines != 48400:
		t.Errorf("%d feeds, %d lines loaded; want 8 feeds", len(st.Feeds), lines)
	case st.Failures.FilesFailed != 1 || st.Failures.LinesQuarantined != 51 || len(st.Failures.TopReasons) == 0 || st.Failures.TopReasons[0].Lines != 32:
		t.Errorf("failures: %+v", st.Failures)
	case len(st.Matching) != 8 || st.Matching[1].Distributor != "BRAVO" || st.Matching[1].LinesPct != 100:
		t.Errorf("matching: %+v", st.Matching)
	case len(st.Problems) != 1:
		t.Errorf("problems: %q", st.Problems)
	}
	// report and feed sniff, as wired here (their packages test what they write).
	rep := mustRun(t, dir, "report", "--config", cfg, "--out", "pack")
	pages, _ := filepath.Glob(filepath.Join(dir, "pack", "territory-*.html"))
	if len(pages) == 0 || !strings.Contains(rep.stdout, "territory page(s) as of 2026-11-15") {
		t.Errorf("report: %d pages\n%s", len(pages), rep.stdout)
	}
	if r := salesout(t, dir, "report", "--config", cfg, "--scope", "region"); r.code != 2 {
		t.Errorf("report --scope region: exit %d, want 2", r.code)
	}
	sample := filepath.Join("d", "drop", "acme", "ACME_ventes_202611.csv")
	sn := mustRun(t, dir, "feed", "sniff", "--distributor", "ACME", "--check", sample)
	if !strings.Contains(sn.stdout, "- name: ") || !strings.Contains(sn.stdout, "distributor: ACME") || !strings.Contains(sn.stderr, "would load") {
		t.Errorf("feed sniff --check:\n%s\n%s", sn.stdout, sn.stderr)
	}
	// The alerts as the alerts table has them.
	q := mustRun(t, dir, "query", "--config", cfg, "--format", "csv",
		"SELECT count(*) FILTER (WHERE status = 'open'), count(*) FILTER (WHERE last_sent IS NOT NULL) FROM alerts")
	if want := fmt.Sprintf("%d,%d", st.Alerts.Open, st.Alerts.Sent); !strings.Contains(q.stdout, want) || st.Alerts.Open < 7 {
		t.Errorf("status alerts %+v, the alerts table says:\n%s", st.Alerts, q.stdout)
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestValidateOneList: unknown keys and wrong values are reported together, each with
// its line, exit code 2.
func TestValidateOneList(t *testing.T) {
	dir := workspace(t)
	cfg, _ := os.ReadFile(filepath.Join(dir, "config.yaml"))
	bad := strings.Replace(string(cfg), "base_currency: EUR", "base_currency: euro\nbase_curency: EUR", 1)
	bad = strings.Replace(bad, "encoding: windows-1252", "encoding: utf8x", 1)
	os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte(bad), 0o600)
	r := salesout(t, dir, "validate", "--config", "bad.yaml")
	lines := strings.Split(bad, "\n")
	lineOf := func(s string) int {
		for i, l := range lines {
			if strings.Contains(l, s) {
				return i + 1
			}
		}
		t.Fatalf("%q not in the config", s)
		return 0
	}
	for _, want := range []string{
		fmt.Sprintf(`line %d: base_currency: "euro" is not an ISO 4217 code`, lineOf("base_currency: euro")),
		fmt.Sprintf(`line %d: base_curency: unknown key`, lineOf("base_curency")),
		fmt.Sprintf(`line %d: feeds[0].csv.encoding: unknown encoding "utf8x"`, lineOf("utf8x")),
	} {
		if r.code != 2 || !strings.Contains(r.stderr, want) {
			t.Errorf("exit %d, stderr lacks %q:\n%s", r.code, want, r.stderr)
		}
	}
}
