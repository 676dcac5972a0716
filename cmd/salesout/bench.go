package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/demo"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// cmdBench measures `salesout run --steps fetch,load` on N generated lines in the
// French windows-1252 dialect, next to DuckDB alone reading the same lines as UTF-8 into
// a table, each in its own child process so that wall time and peak memory (max RSS)
// are measured the same way, in the same invocation. With --history it then measures a
// full rebuild and a nightly increment (benchFull).
func cmdBench(ctx context.Context, args []string) error {
	fs := newFlags("bench")
	n := fs.Int("lines", 2_000_000, "lines to generate")
	dir := fs.String("dir", "bench", "work folder (cleared)")
	out := fs.String("json", "", "also write the figures as JSON to this file")
	memLimit := fs.String("memory-limit", "1GB", "DuckDB memory_limit for both measurements")
	repeat := fs.Int("repeat", 1, "measure each side this many times, alternately, and keep the best (a shared machine's noise)")
	history := fs.Int("history", 0, "then also measure a full rebuild (every step) on this many generated lines and a nightly increment of --night lines on top (0: skip)")
	night := fs.Int("night", 50_000, "lines of the nightly increment measured after --history")
	fullMemLimit := fs.String("full-memory-limit", "2GB", "DuckDB memory_limit for the --history rebuild and increment (temp_directory spilling)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(abs); err != nil {
		return err
	}
	for _, d := range []string{"drop", "ref", "var"} {
		if err := os.MkdirAll(filepath.Join(abs, d), 0o750); err != nil {
			return err
		}
	}
	feedFile := filepath.Join(abs, "drop", "BENCH_ventes.csv")
	utf8File := filepath.Join(abs, "reference-utf8.csv")
	fmt.Fprintf(os.Stderr, "generating %d lines...\n", *n)
	feedYAML, err := demo.WriteBenchFeed(feedFile, utf8File, *n, 1)
	if err != nil {
		return fmt.Errorf("bench: generate: %w", err)
	}
	if err := os.WriteFile(filepath.Join(abs, "ref", "channel.csv"), []byte("partner_id,name\nP1,Bench partner\n"), 0o640); err != nil {
		return err
	}
	cfgPath := filepath.Join(abs, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(benchConfig(*memLimit, feedYAML, false)), 0o640); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	info, err := os.Stat(feedFile)
	if err != nil {
		return err
	}
	var ours, ref measurement
	for i := range max(*repeat, 1) {
		fmt.Fprintf(os.Stderr, "measuring salesout run --steps fetch,load (%d) ...\n", i+1)
		// A first load each time: no warehouse, no landing folder (both under var/).
		if err := os.RemoveAll(filepath.Join(abs, "var")); err != nil {
			return err
		}
		m, err := measure(ctx, self, "run", "--config", cfgPath, "--steps", "fetch,load")
		if err != nil {
			return fmt.Errorf("bench: salesout run: %w", err)
		}
		ours = ours.best(m)
		fmt.Fprintf(os.Stderr, "measuring DuckDB alone (read_csv of the UTF-8 twin into a table) (%d) ...\n", i+1)
		m, err = measure(ctx, self, "bench-reference", "--csv", utf8File, "--db", filepath.Join(abs, "reference.duckdb"), "--memory-limit", *memLimit)
		if err != nil {
			return fmt.Errorf("bench: reference: %w", err)
		}
		ref = ref.best(m)
	}
	var loaded int64
	db, err := sql.Open("duckdb", filepath.Join(abs, "var", "warehouse.duckdb")+"?access_mode=read_only")
	if err != nil {
		return err
	}
	err = db.QueryRowContext(ctx, "SELECT count(*) FROM lines").Scan(&loaded)
	db.Close()
	if err != nil {
		return err
	}
	mb := float64(info.Size()) / 1e6
	res := map[string]any{
		"lines": *n, "lines_loaded": loaded, "input_mb": mb, "cpus": runtime.NumCPU(), "memory_limit": *memLimit,
		"salesout_seconds": ours.wall.Seconds(), "salesout_peak_rss_mb": ours.rssMB,
		"duckdb_seconds": ref.wall.Seconds(), "duckdb_peak_rss_mb": ref.rssMB,
		"ratio_time":           ours.wall.Seconds() / ref.wall.Seconds(),
		"salesout_cpu_seconds": ours.cpu.Seconds(), "duckdb_cpu_seconds": ref.cpu.Seconds(),
		"ratio_cpu": ours.cpu.Seconds() / ref.cpu.Seconds(), "repeat": max(*repeat, 1),
	}
	fmt.Printf(`
salesout load benchmark: %d lines, %.1f MB windows-1252 (French dialect), %d CPUs, DuckDB memory_limit %s
(best of %d alternate runs each)

                            wall   CPU (user+sys)    lines/s      MB/s   peak RSS
  salesout fetch,load   %8.2fs %14.2fs %10.0f %9.1f %8.0f MB
  DuckDB read_csv alone %8.2fs %14.2fs %10.0f %9.1f %8.0f MB

  salesout takes %.2fx the time of DuckDB alone (%.2fx its CPU time; lines loaded: %d)
`, *n, mb, runtime.NumCPU(), *memLimit, max(*repeat, 1),
		ours.wall.Seconds(), ours.cpu.Seconds(), float64(*n)/ours.wall.Seconds(), mb/ours.wall.Seconds(), ours.rssMB,
		ref.wall.Seconds(), ref.cpu.Seconds(), float64(*n)/ref.wall.Seconds(), mb/ref.wall.Seconds(), ref.rssMB,
		ours.wall.Seconds()/ref.wall.Seconds(), ours.cpu.Seconds()/ref.cpu.Seconds(), loaded)
	if *history > 0 {
		full, err := benchFull(ctx, self, filepath.Join(abs, "full"), *history, *night, *fullMemLimit)
		if err != nil {
			return err
		}
		res["full"] = full
	}
	if *out != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		return os.WriteFile(*out, b, 0o640)
	}
	return nil
}

// benchConfig is the benchmark's configuration: one local drop folder, the generated
// feed, and everything the later steps need (a channel list, an outbox, an export folder,
// a published snapshot), with DuckDB spilling to var/tmp beyond memLimit. With
// fullReference, every reference file of demo.WriteBenchReference, else a one-partner
// channel list (ref/channel.csv, written by the caller).
func benchConfig(memLimit, feedYAML string, fullReference bool) string {
	reference := "  channel_db: ref/channel.csv\n"
	if fullReference {
		reference += "  products: ref/products.csv\n  fx_rates: ref/fx.csv\n  targets: ref/targets.csv\n  reps: ref/reps.csv\n"
	}
	return fmt.Sprintf(`timezone: Europe/Paris
base_currency: EUR
warehouse:
  path: var/warehouse.duckdb
  publish: var/analytics.duckdb
  memory_limit: %s
  temp_directory: var/tmp
sources:
  - name: drop
    type: local
    dir: drop
feeds:
%s
reference:
%salerts:
  outbox: var/outbox
  default_to: [bench@example.com]
export:
  dir: var/export
`, memLimit, indentYAML(feedYAML), reference)
}

// benchSteps are the steps of a full run in the order they run (the outputs are timed
// as "export", after the others).
var benchSteps = []string{"fetch", "load", "match", "score", "alert", "export"}

// benchFull measures (b) a full rebuild, every step of `salesout run` on history
// generated lines, next to DuckDB alone reading the same lines into a table, and (c) a
// nightly increment: one more file of night lines, dated on the history's last day, and
// `salesout run` again, next to DuckDB alone appending them to its table. Each side runs
// as a child process; the runs go through bench-run, which is `salesout run` that also
// writes each step's duration.
func benchFull(ctx context.Context, self, dir string, history, night int, memLimit string) (map[string]any, error) {
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	for _, d := range []string{"drop", "ref", "var", "night"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o750); err != nil {
			return nil, err
		}
	}
	feedFile := filepath.Join(dir, "drop", "BENCH_ventes.csv")
	utf8File := filepath.Join(dir, "reference-utf8.csv")
	fmt.Fprintf(os.Stderr, "generating %d history lines...\n", history)
	feedYAML, err := demo.WriteBenchFeed(feedFile, utf8File, history, 1)
	if err != nil {
		return nil, fmt.Errorf("bench: generate history: %w", err)
	}
	// The nightly file joins the same feed: its match pattern takes every BENCH_ventes*.csv.
	quoted := strconv.Quote("BENCH_ventes.csv")
	if !strings.Contains(feedYAML, quoted) {
		return nil, fmt.Errorf("bench: the generated feed does not match %s", quoted)
	}
	feedYAML = strings.Replace(feedYAML, quoted, strconv.Quote("BENCH_ventes*.csv"), 1)
	nightFile := filepath.Join(dir, "night", "BENCH_ventes_night.csv")
	nightUTF8 := filepath.Join(dir, "night-utf8.csv")
	fmt.Fprintf(os.Stderr, "generating %d nightly lines...\n", night)
	nightDay, err := writeNight(nightFile, nightUTF8, night)
	if err != nil {
		return nil, fmt.Errorf("bench: generate night: %w", err)
	}
	// The demo's companies, catalogue, rates, reps and targets: match, score and the
	// deviations do the work they do in production.
	if err := demo.WriteBenchReference(dir, 1); err != nil {
		return nil, err
	}
	cfgPath := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(benchConfig(memLimit, feedYAML, true)), 0o640); err != nil {
		return nil, err
	}
	info, err := os.Stat(feedFile)
	if err != nil {
		return nil, err
	}
	refDB := filepath.Join(dir, "reference.duckdb")

	fmt.Fprintf(os.Stderr, "measuring the rebuild: salesout run, every step, %d lines ...\n", history)
	rebuild, rebuildSteps, err := measureRun(ctx, self, cfgPath, filepath.Join(dir, "rebuild-steps.json"))
	if err != nil {
		return nil, fmt.Errorf("bench: rebuild: %w", err)
	}
	fmt.Fprintln(os.Stderr, "measuring DuckDB alone (read_csv of the history's UTF-8 twin into a table) ...")
	refRebuild, err := measure(ctx, self, "bench-reference", "--csv", utf8File, "--db", refDB, "--memory-limit", memLimit)
	if err != nil {
		return nil, fmt.Errorf("bench: reference rebuild: %w", err)
	}
	fmt.Fprintln(os.Stderr, "measuring DuckDB alone (the history's lines aggregated per reseller and month) ...")
	refScore, err := measure(ctx, self, "bench-reference", "--db", refDB, "--memory-limit", memLimit, "--aggregate")
	if err != nil {
		return nil, fmt.Errorf("bench: reference aggregate: %w", err)
	}
	if err := os.Rename(nightFile, filepath.Join(dir, "drop", filepath.Base(nightFile))); err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "measuring the nightly increment: %d more lines, salesout run, every step ...\n", night)
	incr, incrSteps, err := measureRun(ctx, self, cfgPath, filepath.Join(dir, "increment-steps.json"))
	if err != nil {
		return nil, fmt.Errorf("bench: increment: %w", err)
	}
	fmt.Fprintln(os.Stderr, "measuring DuckDB alone (read_csv of the night's UTF-8 twin appended to its table) ...")
	refIncr, err := measure(ctx, self, "bench-reference", "--csv", nightUTF8, "--db", refDB, "--memory-limit", memLimit, "--append")
	if err != nil {
		return nil, fmt.Errorf("bench: reference increment: %w", err)
	}
	var loaded int64
	db, err := sql.Open("duckdb", filepath.Join(dir, "var", "warehouse.duckdb")+"?access_mode=read_only")
	if err != nil {
		return nil, err
	}
	err = db.QueryRowContext(ctx, "SELECT count(*) FROM lines").Scan(&loaded)
	db.Close()
	if err != nil {
		return nil, err
	}

	pct := func(a, b float64) float64 { return 100 * a / b }
	mb := float64(info.Size()) / 1e6
	fmt.Printf(`
salesout full rebuild and nightly increment: %d history lines (%.1f MB windows-1252), then %d lines
dated %s, %d CPUs, DuckDB memory_limit %s, temp_directory var/tmp (one run each)

                                     wall   CPU (user+sys)   peak RSS
  (b) salesout run, every step   %8.2fs %14.2fs %8.0f MB
      DuckDB read_csv alone      %8.2fs %14.2fs %8.0f MB   (salesout %.2fx its time)
  (c) salesout run, increment    %8.2fs %14.2fs %8.0f MB   (%.2f%% of the rebuild)
      DuckDB read_csv append     %8.2fs %14.2fs %8.0f MB   (salesout %.2fx its time)

  step        rebuild   increment   increment/rebuild   share of the increment
`, history, mb, night, nightDay, runtime.NumCPU(), memLimit,
		rebuild.wall.Seconds(), rebuild.cpu.Seconds(), rebuild.rssMB,
		refRebuild.wall.Seconds(), refRebuild.cpu.Seconds(), refRebuild.rssMB, rebuild.wall.Seconds()/refRebuild.wall.Seconds(),
		incr.wall.Seconds(), incr.cpu.Seconds(), incr.rssMB, pct(incr.wall.Seconds(), rebuild.wall.Seconds()),
		refIncr.wall.Seconds(), refIncr.cpu.Seconds(), refIncr.rssMB, incr.wall.Seconds()/refIncr.wall.Seconds())
	var rebuildSum, incrSum float64
	for _, s := range benchSteps {
		rebuildSum += rebuildSteps[s]
		incrSum += incrSteps[s]
	}
	steps := map[string]any{}
	for _, s := range benchSteps {
		r, i := rebuildSteps[s], incrSteps[s]
		fmt.Printf("  %-8s %9.2fs %10.2fs %18.1f%% %22.1f%%\n", s, r, i, pct(i, r), pct(i, incrSum))
		steps[s] = map[string]float64{"rebuild_seconds": r, "increment_seconds": i}
	}
	fmt.Printf("  %-8s %9.2fs %10.2fs %18.1f%%   (the rest of the wall time: start, migrations, run bookkeeping)\n",
		"steps", rebuildSum, incrSum, pct(incrSum, rebuildSum))
	fmt.Printf("\n  lines in the warehouse after the increment: %d; the night is %.2f%% of them\n",
		loaded, pct(float64(night), float64(loaded)))
	score := rebuildSteps["score"]
	fmt.Printf(`
  (d) scoring and deviations over %d lines (the rebuild's score step)   %8.2fs
      DuckDB alone aggregating them per reseller and month (wall, CPU)  %8.2fs %6.2fs   (salesout %.2fx its time)
`, history, score, refScore.wall.Seconds(), refScore.cpu.Seconds(), score/refScore.wall.Seconds())
	return map[string]any{
		"history_lines": history, "night_lines": night, "input_mb": mb, "memory_limit": memLimit, "lines_loaded": loaded,
		"rebuild_seconds": rebuild.wall.Seconds(), "rebuild_cpu_seconds": rebuild.cpu.Seconds(), "rebuild_peak_rss_mb": rebuild.rssMB,
		"duckdb_rebuild_seconds": refRebuild.wall.Seconds(), "duckdb_rebuild_cpu_seconds": refRebuild.cpu.Seconds(), "duckdb_rebuild_peak_rss_mb": refRebuild.rssMB,
		"increment_seconds": incr.wall.Seconds(), "increment_cpu_seconds": incr.cpu.Seconds(), "increment_peak_rss_mb": incr.rssMB,
		"duckdb_increment_seconds": refIncr.wall.Seconds(), "duckdb_increment_cpu_seconds": refIncr.cpu.Seconds(), "duckdb_increment_peak_rss_mb": refIncr.rssMB,
		"increment_percent_of_rebuild": pct(incr.wall.Seconds(), rebuild.wall.Seconds()),
		"score_seconds":                score, "duckdb_aggregate_seconds": refScore.wall.Seconds(), "duckdb_aggregate_cpu_seconds": refScore.cpu.Seconds(),
		"steps": steps,
	}, nil
}

// measureRun runs bench-run (salesout run, every step) as a child process and reads the
// step durations it wrote to times.
func measureRun(ctx context.Context, self, cfgPath, times string) (measurement, map[string]float64, error) {
	m, err := measure(ctx, self, "bench-run", "--config", cfgPath, "--times", times)
	if err != nil {
		return m, nil, err
	}
	b, err := os.ReadFile(times)
	if err != nil {
		return m, nil, err
	}
	var steps map[string]float64
	if err := json.Unmarshal(b, &steps); err != nil {
		return m, nil, fmt.Errorf("%s: %w", times, err)
	}
	return m, steps, nil
}

// writeNight writes n generated lines as one night's file: the bench feed's lines, all
// dated on their latest day, with invoice numbers of their own ("FN" for "FA") so that
// they add to the history rather than restate it. It returns that day.
func writeNight(path, utf8Path string, n int) (string, error) {
	tmp := path + ".gen"
	tmpUTF8 := utf8Path + ".gen"
	if _, err := demo.WriteBenchFeed(tmp, tmpUTF8, n, 2); err != nil {
		return "", err
	}
	defer os.Remove(tmp)
	defer os.Remove(tmpUTF8)
	b, err := os.ReadFile(tmpUTF8)
	if err != nil {
		return "", err
	}
	lines := strings.SplitAfter(string(b), "\n")
	// The date is the first field, the invoice number the second (dd/mm/yyyy, FAyymm-n).
	var last time.Time
	for _, l := range lines[1:] {
		f := strings.SplitN(l, ";", 2)
		if d, err := time.Parse("02/01/2006", f[0]); err == nil && d.After(last) {
			last = d
		}
	}
	if last.IsZero() {
		return "", fmt.Errorf("no dated line in %s", tmpUTF8)
	}
	day := last.Format("02/01/2006")
	var out strings.Builder
	out.WriteString(lines[0])
	for _, l := range lines[1:] {
		f := strings.SplitN(l, ";", 3)
		if len(f) < 3 {
			out.WriteString(l)
			continue
		}
		out.WriteString(day + ";" + strings.Replace(f[1], "FA", "FN", 1) + ";" + f[2])
	}
	if err := os.WriteFile(utf8Path, []byte(out.String()), 0o640); err != nil {
		return "", err
	}
	cp1252, err := charmap.Windows1252.NewEncoder().String(out.String())
	if err != nil {
		return "", err
	}
	return last.Format(time.DateOnly), os.WriteFile(path, []byte(cp1252), 0o640)
}

// cmdBenchRun is `salesout run --config FILE` (every step) that also writes each step's
// duration in seconds as JSON to --times: bench's child process for the rebuild and
// the increment.
func cmdBenchRun(ctx context.Context, args []string) error {
	fs := newFlags("bench-run")
	cfgPath := fs.String("config", "", "configuration file")
	times := fs.String("times", "", "write the step durations (seconds, JSON) to this file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	lock, err := lockWarehouse(cfg, "run")
	if err != nil {
		return err
	}
	defer lock.Release()
	rep, err := runOnce(ctx, cfg, config.Steps, time.Time{})
	if err != nil {
		return err
	}
	steps := map[string]float64{}
	for s, d := range rep.StepTimes {
		steps[s] = d.Seconds()
	}
	b, err := json.Marshal(steps)
	if err != nil {
		return err
	}
	return os.WriteFile(*times, b, 0o640)
}

type measurement struct {
	wall  time.Duration
	cpu   time.Duration // user + system
	rssMB float64
}

// best keeps the shorter of two measurements of the same work (the zero one counts as
// none); the peak RSS is the larger of both.
func (m measurement) best(o measurement) measurement {
	if m.wall == 0 {
		return o
	}
	rss := max(m.rssMB, o.rssMB)
	if o.wall < m.wall {
		m = o
	}
	m.rssMB = rss
	return m
}

func measure(ctx context.Context, bin string, args ...string) (measurement, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "SALESOUT_LOG_LEVEL=warn")
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return measurement{}, err
	}
	m := measurement{wall: time.Since(start)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.rssMB = float64(ru.Maxrss) / 1024 // Linux reports KiB
		m.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return m, nil
}

// cmdBenchReference is the benchmark's reference: DuckDB alone reading the UTF-8 twin of
// the feed, with the same dialect, typed, into a table of a database file.
func cmdBenchReference(ctx context.Context, args []string) error {
	fs := newFlags("bench-reference")
	csvPath := fs.String("csv", "", "UTF-8 CSV")
	dbPath := fs.String("db", "", "database file")
	memLimit := fs.String("memory-limit", "1GB", "DuckDB memory_limit")
	appendTo := fs.Bool("append", false, "append to the table lines of an existing database (the nightly increment)")
	aggregate := fs.Bool("aggregate", false, "aggregate the lines of an existing database per reseller and month (the core of scoring)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !*appendTo && !*aggregate {
		os.Remove(*dbPath)
	}
	db, err := sql.Open("duckdb", *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "SET memory_limit = "+warehouse.QuoteString(*memLimit)); err != nil {
		return err
	}
	if *aggregate {
		// What scoring reads of the lines: each reseller's units, revenue and lines per
		// month, and its first and last purchase.
		_, err := db.ExecContext(ctx, `CREATE OR REPLACE TABLE reseller_months AS
			SELECT "Code client" AS reseller, date_trunc('month', "Date facture") AS month,
			       count(*) AS lines, sum("Qté") AS units, sum("Montant HT €") AS revenue,
			       min("Date facture") AS first_day, max("Date facture") AS last_day
			FROM lines GROUP BY ALL`)
		if err != nil {
			return err
		}
		return db.Close()
	}
	// The same typing as salesout's: dates, and numbers with a decimal comma and a space
	// as thousands separator (named explicitly: the sniffer leaves such columns as text).
	into := "CREATE TABLE lines AS"
	if *appendTo {
		into = "INSERT INTO lines"
	}
	if _, err := db.ExecContext(ctx, into+` SELECT * FROM read_csv(?, delim = ';', header = true,
		decimal_separator = ',', thousands = ' ', dateformat = '%d/%m/%Y',
		types = {'Date facture': 'DATE', 'Qté': 'DECIMAL(18,3)', 'PU HT €': 'DECIMAL(18,4)', 'Montant HT €': 'DECIMAL(18,4)'})`, *csvPath); err != nil {
		return err
	}
	var n int64
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM lines").Scan(&n); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "reference rows:", strconv.FormatInt(n, 10))
	return db.Close()
}

func indentYAML(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}
