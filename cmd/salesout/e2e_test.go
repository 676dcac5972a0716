package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

// The end-to-end tests build the binary once and run it as a user would, on a copy of
// testdata/e2e, then read the published DuckDB file from the test process.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "salesout-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "salesout")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build salesout:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// workspace copies testdata/e2e into a temporary folder.
func workspace(t *testing.T) string { return copyTestdata(t, "e2e") }

// copyTestdata copies testdata/<name> into a temporary folder.
func copyTestdata(t *testing.T, name string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	src := filepath.Join(filepath.Dir(file), "..", "..", "testdata", name)
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

type result struct {
	code   int
	stdout string
	stderr string
}

func salesout(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

func mustRun(t *testing.T, dir string, args ...string) result {
	t.Helper()
	r := salesout(t, dir, args...)
	if r.code != 0 {
		t.Fatalf("salesout %s: exit %d\nstderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}

func openPublished(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", filepath.Join(dir, "var", "analytics.duckdb")+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// rows returns a query's rows as "a|b|c" strings.
func rows(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rs, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out []string
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		cells := make([]string, len(vals))
		for i, v := range vals {
			if v == nil {
				cells[i] = "NULL"
			} else {
				cells[i] = text(v)
			}
		}
		out = append(out, strings.Join(cells, "|"))
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func expectRows(t *testing.T, db *sql.DB, q string, want ...string) {
	t.Helper()
	got := rows(t, db, q)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s\n got:\n  %s\nwant:\n  %s", q, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

const asOf = "2026-03-31"

func TestEndToEnd(t *testing.T) {
	dir := workspace(t)
	mustRun(t, dir, "validate", "--config", "config.yaml")
	r := mustRun(t, dir, "run", "--config", "config.yaml", "--as-of", asOf)
	if !strings.Contains(r.stderr, `"run finished"`) {
		t.Errorf("logs are not JSON on a non-terminal stderr:\n%s", r.stderr)
	}
	db := openPublished(t, dir)

	t.Run("files ledger", func(t *testing.T) {
		expectRows(t, db, `SELECT name, feed, status, lines_loaded, lines_quarantined FROM files ORDER BY name`,
			"BE_2026.csv|be|loaded|1|1",
			"BE_2027.csv|be|failed|0|0",
			"FR_ventes_202601.csv|fr|loaded|3|4",
			"FR_ventes_202601_copie.csv|fr|duplicate|0|0",
			"FR_ventes_202602.csv|fr|failed|0|0",
			"L15_202601.zip|l15|loaded|3|0",
			"TAB_sales_2026-02.csv.gz|tab|loaded|4|1",
		)
		expectRows(t, db, `SELECT f.name, q.line_no IS NULL, q.reason LIKE '%binary%' FROM quarantine q JOIN files f USING (file_id) WHERE f.name = 'FR_ventes_202602.csv'`,
			"FR_ventes_202602.csv|true|true")
		expectRows(t, db, `SELECT reason FROM files WHERE name = 'BE_2027.csv'`,
			`header on line 1 lacks the mapped column(s) "Amount" (amount), "Client" (reseller_id), "Date" (invoice_date), "GTIN" (gtin), "Nom" (reseller_name), "Qty" (quantity); it has: "Datum", "Kunde", "Name", "EAN", "Menge", "Betrag"`)
	})

	t.Run("quarantine names line, field and value", func(t *testing.T) {
		expectRows(t, db, `SELECT f.name, q.line_no, q.field, q.reason FROM quarantine q JOIN files f USING (file_id) WHERE q.line_no IS NOT NULL ORDER BY f.name, q.line_no`,
			`BE_2026.csv|3|quantity|quantity "1,000" is not a number`,
			`FR_ventes_202601.csv|7|invoice_date|invoice_date "32/01/2026" does not match the date format %d/%m/%Y`,
			`FR_ventes_202601.csv|8|quantity|quantity "douze" is not a number`,
			`FR_ventes_202601.csv|9|sku|sku, distributor_sku and gtin are all empty (one is required)`,
			`FR_ventes_202601.csv|10|invoice_date|totals row (not a sale): invoice_date "TOTAL" does not match the date format %d/%m/%Y`,
			`TAB_sales_2026-02.csv.gz|7|unit_price|unit_price "abc" is not a number`,
		)
		expectRows(t, db, `SELECT raw FROM quarantine WHERE line_no = 8 AND field = 'quantity'`,
			"08/01/2026;F005;C3;Quantité SA;;13001;SKU-A;douze;10,00;120,00")
	})

	t.Run("typed lines", func(t *testing.T) {
		expectRows(t, db, `SELECT distributor, count(*), sum(quantity), sum(amount), sum(amount_base) FROM sales_out GROUP BY ALL ORDER BY 1`,
			"BE|1|5.000|50.0000|50.0000",
			"FR|3|11.000|2112.5000|2112.5000",
			"L15|3|4.000|3803.5000|3803.5000",
			"TAB|4|9.000|263.5000|289.5000",
		)
		expectRows(t, db, `SELECT invoice_number, invoice_date, reseller_name, reseller_country, sku, product_line, quantity, unit_price, amount, currency, amount_base FROM sales_out ORDER BY line_id`,
			"F001|2026-01-05|DUPONT ÉLEC; SARL|FR|SKU-A|Drills|10.000|12.5000|125.0000|EUR|125.0000",
			"F002|2026-01-06|Café € Martin|FR|SKU-B|Saws|2.000|1000.0000|2000.0000|EUR|2000.0000",
			"F003|2026-01-07|Dupont Elec|FR|SKU-A|Drills|-1.000|12.5000|-12.5000|EUR|-12.5000",
			// USD: the rate of 2026-02-01 (0.90), the latest before the invoice date; GBP: 1.15
			`T1|2026-02-10|Müller GmbH|NULL|SKU-A|Drills|4.000|10.0000|40.0000|USD|36.0000`,
			`T2|2026-02-11|Müller GmbH|NULL|SKU-B|Saws|1.000|200.0000|200.0000|GBP|230.0000`,
			`T3|2026-02-12|Smith "The Best" Ltd|NULL|SKU-A|Drills|3.000|7.5000|22.5000|EUR|22.5000`,
			"T4|2026-02-13|Multi\nLine Co|NULL|SKU-B|Saws|1.000|1.0000|1.0000|EUR|1.0000",
			// X-100 resolves through the L15 cross-reference; X-200 is unknown and kept
			"L1|2026-01-15|Électro | Sud|NULL|SKU-A|Drills|2.000|1234.5000|2469.0000|EUR|2469.0000",
			"L2|2026-01-20|Œuvre €|NULL|NULL|NULL|1.000|100.0000|100.0000|EUR|100.0000",
			"L3|2026-01-31|Électro | Sud|NULL|SKU-A|Drills|1.000|1234.5000|1234.5000|EUR|1234.5000",
			// the GTIN resolves to SKU-A; unit_price = amount / quantity
			"NULL|2026-03-02|Société Générale Électrique|BE|SKU-A|Drills|5.000|10.0000|50.0000|EUR|50.0000",
		)
	})

	t.Run("matching", func(t *testing.T) {
		expectRows(t, db, `SELECT distributor, reseller_id, reseller_name, partner_id, method, confidence FROM partner_matches ORDER BY ALL`,
			"BE|B1|Société Générale Électrique|NULL|NULL|NULL",
			"FR|C1|DUPONT ÉLEC; SARL|P1|registration|1",
			"FR|C1|Dupont Elec|P1|reseller_id|0.9",
			"FR|C2|Café € Martin|P2|siren|0.95",
			"L15|K1|Électro | Sud|NULL|NULL|NULL",
			"L15|K2|Œuvre €|NULL|NULL|NULL",
			"TAB|A7|Multi\nLine Co|NULL|NULL|NULL",
			"TAB|A8|Smith \"The Best\" Ltd|NULL|NULL|NULL",
			"TAB|A9|Müller GmbH|P3|vat|1",
		)
		expectRows(t, db, `SELECT count(*) FILTER (WHERE partner_id IS NULL), count(*) FROM sales_out`, "6|11")
		expectRows(t, db, `SELECT distributor, sku, distributor_sku, lines, revenue_base FROM unknown_products`, "L15|NULL|X-200|1|100.0000")
	})

	t.Run("scores and deviations", func(t *testing.T) {
		expectRows(t, db, `SELECT count(*), min(as_of) FROM partner_scores`, "4|2026-03-31")
		// P1 (T-IDF) 125 - 12.50; P2 (T-SUD) 2000; P3 (T-DE) 36 + 230 in EUR; P4 (T-SUD) nothing.
		expectRows(t, db, `SELECT territory, partners, active_partners, coverage_pct, revenue_12m, potential, share_of_wallet, white_space_potential FROM territory_coverage ORDER BY 1`,
			"T-DE|1|1|100|266.00|100000.00|0.0027|0.00",
			"T-IDF|1|1|100|112.50|50000.00|0.0023|0.00",
			"T-SUD|2|1|50|2000.00|20000.00|0.1|0.00",
		)
		// total revenue: 2112.50 + 289.50 + 3803.50 + 50 = 6255.50 against 36500 × 90/365 = 9000.
		expectRows(t, db, `SELECT scope, scope_id, kpi, actual, target, deviation_pct, severity FROM kpi_deviations WHERE period = 'ytd' ORDER BY scope`,
			"distributor|FR|revenue|2112.50|1972.60|7.09|ok",
			"territory|T-DE|units|5.00|24.66|-79.72|critical",
			"total|all|revenue|6255.50|9000.00|-30.49|critical",
		)
	})

	t.Run("alerts and e-mails", func(t *testing.T) {
		expectRows(t, db, `SELECT kind, scope, scope_id, severity, status, recipients FROM alerts ORDER BY alert_id`,
			"kpi_deviation|territory|T-DE|critical|open|director@example.com",
			"kpi_deviation|total|all|critical|open|director@example.com",
		)
		// both go to alerts.default_to: one digest
		emls, _ := filepath.Glob(filepath.Join(dir, "var", "outbox", "*.eml"))
		if len(emls) != 1 {
			t.Fatalf("outbox has %d e-mails, want 1", len(emls))
		}
		b, _ := os.ReadFile(emls[0])
		for _, want := range []string{"To: <director@example.com>", "multipart/alternative", "text/html", "text/plain"} {
			if !bytes.Contains(b, []byte(want)) {
				t.Errorf("e-mail lacks %q", want)
			}
		}
	})

	t.Run("parquet export", func(t *testing.T) {
		for _, p := range []string{
			"var/export/_manifest.json",
			"var/export/sales_out/distributor=FR/year=2026/month=1",
			"var/export/sales_out/distributor=TAB/year=2026/month=2",
			"var/export/partner_scores/partner_scores.parquet",
		} {
			if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
				t.Errorf("export: %v", err)
			}
		}
		expectRows(t, db, fmt.Sprintf(`SELECT distributor, year, month, count(*), sum(amount) FROM read_parquet('%s/var/export/sales_out/*/*/*/*.parquet', hive_partitioning = true) GROUP BY ALL ORDER BY ALL`, dir),
			"BE|2026|3|1|50.0000", "FR|2026|1|3|2112.5000", "L15|2026|1|3|3803.5000", "TAB|2026|2|4|263.5000")
	})

	t.Run("query command", func(t *testing.T) {
		r := mustRun(t, dir, "query", "--config", "config.yaml", "--format", "csv", "SELECT distributor, sum(amount) AS amount FROM sales_out GROUP BY ALL ORDER BY 1")
		if want := "distributor,amount\nBE,50.0000\nFR,2112.5000\nL15,3803.5000\nTAB,263.5000\n"; r.stdout != want {
			t.Errorf("query csv:\n%s\nwant:\n%s", r.stdout, want)
		}
		r = salesout(t, dir, "query", "--config", "config.yaml", "DELETE FROM sales_out")
		if r.code == 0 {
			t.Errorf("query accepted a write")
		}
	})

	t.Run("comments and analysts' views", func(t *testing.T) {
		// every table, view and column of the snapshot says what it means
		expectRows(t, db, `SELECT t.name, c.column_name FROM (
				SELECT table_name AS name, comment FROM duckdb_tables() WHERE NOT internal
				UNION ALL SELECT view_name, comment FROM duckdb_views() WHERE NOT internal) t
			LEFT JOIN duckdb_columns() c ON c.table_name = t.name AND coalesce(trim(c.comment), '') = ''
			WHERE coalesce(trim(t.comment), '') = '' OR c.column_name IS NOT NULL`)
		expectRows(t, db, `SELECT count(*) > 20, count(*) FILTER (WHERE coalesce(comment, '') = '') FROM duckdb_columns() WHERE table_name = 'sales_out'`,
			"true|0")
		expectRows(t, db, `SELECT partner_id, name, rep_name, loyalty, revenue_12m FROM partner_scorecard ORDER BY partner_id`,
			"P1|Dupont Electricité SARL|Alice Martin|new|112.50",
			"P2|Café Martin|Bob Durand|new|2000.00",
			"P3|Müller GmbH|Alice Martin|new|266.00",
			"P4|Electro Sud|Bob Durand|none|0.00")
		// no rep covers T-DE and nobody owns the total: both go to alerts.default_to
		expectRows(t, db, `SELECT manager_email, scope, scope_id, severity, deviation_pct, sales_reps FROM deviations_by_manager`,
			"NULL|territory|T-DE|critical|-79.72|NULL",
			"NULL|total|all|critical|-30.49|NULL")
	})

	// A second run with nothing new changes nothing and sends nothing again.
	before := rows(t, db, `SELECT count(*), sum(amount) FROM sales_out`)
	db.Close()
	mustRun(t, dir, "run", "--config", "config.yaml", "--as-of", asOf)
	db = openPublished(t, dir)
	t.Run("second run changes nothing", func(t *testing.T) {
		expectRows(t, db, `SELECT count(*), sum(amount) FROM sales_out`, before...)
		expectRows(t, db, `SELECT count(*) FROM files`, "7")
		expectRows(t, db, `SELECT count(*) FROM quarantine`, "8")
		expectRows(t, db, `SELECT count(*), count(*) FILTER (WHERE status = 'succeeded') FROM runs`, "2|2")
		emls, _ := filepath.Glob(filepath.Join(dir, "var", "outbox", "*.eml"))
		if len(emls) != 1 {
			t.Errorf("outbox has %d e-mails after a second run, want still 1", len(emls))
		}
	})

	// A restatement replaces the period it covers.
	db.Close()
	copyFile(t, filepath.Join(dir, "later", "L15_202601_v2.zip"), filepath.Join(dir, "drop", "L15_202601_v2.zip"))
	mustRun(t, dir, "run", "--config", "config.yaml", "--as-of", asOf)
	db = openPublished(t, dir)
	t.Run("replace_period restatement", func(t *testing.T) {
		expectRows(t, db, `SELECT invoice_number, invoice_date, quantity, amount FROM sales_out WHERE distributor = 'L15' ORDER BY invoice_date`,
			"L1|2026-01-15|3.000|3703.5000", "L9|2026-01-25|1.000|50.0000", "L3|2026-01-31|1.000|1234.5000")
	})
}

// TestReadersDuringRun: analysts read the published snapshot while a run is going; a
// reader holding the old snapshot keeps it and does not block the run.
func TestReadersDuringRun(t *testing.T) {
	dir := workspace(t)
	mustRun(t, dir, "run", "--config", "config.yaml", "--as-of", asOf)
	held := openPublished(t, dir)
	conn, err := held.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var before int
	if err := conn.QueryRowContext(context.Background(), `SELECT count(*) FROM sales_out`).Scan(&before); err != nil {
		t.Fatal(err)
	}

	copyFile(t, filepath.Join(dir, "later", "L15_202601_v2.zip"), filepath.Join(dir, "drop", "L15_202601_v2.zip"))
	done := make(chan result, 1)
	go func() {
		cmd := exec.Command(binary, "run", "--config", "config.yaml", "--as-of", asOf)
		cmd.Dir = dir
		var errb bytes.Buffer
		cmd.Stderr = &errb
		err := cmd.Run()
		code := 0
		if err != nil {
			code = 1
		}
		done <- result{code: code, stderr: errb.String()}
	}()
	// Second processes query the snapshot in a loop until the run ends.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	queries := 0
	stop := make(chan struct{})
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				cmd := exec.Command(binary, "query", "--config", "config.yaml", "--format", "json", "SELECT count(*) AS n FROM sales_out")
				cmd.Dir = dir
				out, err := cmd.CombinedOutput()
				mu.Lock()
				queries++
				if err != nil {
					failures = append(failures, string(out))
				}
				mu.Unlock()
			}
		}()
	}
	var run result
	select {
	case run = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("run did not finish while a reader held the snapshot")
	}
	close(stop)
	wg.Wait()
	if run.code != 0 {
		t.Fatalf("run failed while readers were reading:\n%s", run.stderr)
	}
	if len(failures) > 0 {
		t.Errorf("%d of %d concurrent queries failed; first:\n%s", len(failures), queries, failures[0])
	}
	var still int
	if err := conn.QueryRowContext(context.Background(), `SELECT count(*) FROM sales_out`).Scan(&still); err != nil {
		t.Fatalf("the held snapshot became unreadable: %v", err)
	}
	if still != before {
		t.Errorf("held snapshot changed under its reader: %d rows, was %d", still, before)
	}
	fresh := openPublished(t, dir)
	var after int
	if err := fresh.QueryRow(`SELECT count(*) FROM sales_out WHERE distributor = 'L15'`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != 3 {
		t.Errorf("new snapshot has %d L15 lines, want 3 after the restatement", after)
	}
}

func TestExitCodes(t *testing.T) {
	dir := workspace(t)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", nil, 2, "usage"},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"missing config", []string{"run"}, 2, "--config"},
		{"bad as-of", []string{"run", "--config", "config.yaml", "--as-of", "31/03/2026"}, 2, "--as-of"},
		{"bad step", []string{"run", "--config", "config.yaml", "--steps", "fetch,lod"}, 2, `unknown step "lod"`},
		{"query before any run", []string{"query", "--config", "config.yaml", "SELECT 1"}, 1, "no published snapshot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := salesout(t, dir, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr+r.stdout, tt.want) {
				t.Errorf("exit %d, want %d; output should contain %q:\n%s%s", r.code, tt.code, tt.want, r.stdout, r.stderr)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	dir := workspace(t)
	cfg, _ := os.ReadFile(filepath.Join(dir, "config.yaml"))
	bad := strings.Replace(string(cfg), "encoding: windows-1252", "encoding: utf8x", 1)
	bad = strings.Replace(bad, "base_currency: EUR", "base_currency: euro", 1)
	os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte(bad), 0o600)
	r := salesout(t, dir, "validate", "--config", "bad.yaml")
	for _, want := range []string{`feeds[0].csv.encoding: unknown encoding "utf8x"`, `base_currency: "euro" is not an ISO 4217 code`} {
		if r.code != 2 || !strings.Contains(r.stderr, want) {
			t.Errorf("exit %d, stderr lacks %q:\n%s", r.code, want, r.stderr)
		}
	}
	// Reference problems are listed with file and line.
	os.WriteFile(filepath.Join(dir, "ref", "channel.csv"), []byte("partner_id,name,potential\nP1,A,10\nP1,B,-5\nP2,,x\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "ref", "targets.csv"), []byte("year,scope,scope_id,kpi,target\n2026,region,X,revenue,10\n"), 0o600)
	r = salesout(t, dir, "validate", "--config", "config.yaml")
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	sort.Strings(lines)
	for _, want := range []string{
		`reference.channel_db (channel.csv) line 3: duplicate partner_id "P1" (first on line 2)`,
		`reference.channel_db (channel.csv) line 3: potential -5 is negative`,
		`reference.channel_db (channel.csv) line 4: name is empty (required)`,
		`reference.channel_db (channel.csv) line 4: potential "x" is not a valid decimal`,
		`reference.targets (targets.csv) line 2: unknown scope "region"`,
	} {
		if r.code != 2 || !strings.Contains(r.stderr, want) {
			t.Errorf("exit %d, stderr lacks %q:\n%s", r.code, want, r.stderr)
		}
	}
	// And run refuses to start on them, loading nothing.
	r = salesout(t, dir, "run", "--config", "config.yaml", "--as-of", asOf)
	if r.code != 1 || !strings.Contains(r.stderr, "duplicate partner_id") {
		t.Errorf("run on invalid reference: exit %d\n%s", r.code, r.stderr)
	}
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestAlertsOnlyWhenNewOrWorse: a later as-of where two open alerts got worse by more
// than worsen_points and a third scope fell behind sends exactly those three alerts, in
// one digest to alerts.default_to (nobody else owns them); an alert whose deviation
// recovers is resolved, and reported once.
func TestAlertsOnlyWhenNewOrWorse(t *testing.T) {
	dir := workspace(t)
	mustRun(t, dir, "run", "--config", "config.yaml", "--as-of", asOf)
	outbox := func() []string {
		emls, _ := filepath.Glob(filepath.Join(dir, "var", "outbox", "*.eml"))
		sort.Strings(emls)
		return emls
	}
	if n := len(outbox()); n != 1 {
		t.Fatalf("first run: %d e-mails, want 1 digest", n)
	}
	// 2026-06-30: total 6255.50 against 36500 × 181/365 = 18100.00 (-65.44 %, was -30.49);
	// T-DE units 5 against 49.59 (-89.92 %, was -79.72); FR 2112.50 against 3967.12 (-46.75 %, new).
	mustRun(t, dir, "run", "--config", "config.yaml", "--as-of", "2026-06-30")
	emls := outbox()
	if len(emls) != 2 {
		t.Fatalf("second run: %d e-mails, want 2 digests", len(emls))
	}
	b, _ := os.ReadFile(emls[1])
	body := string(bytes.ReplaceAll(b, []byte("=\r\n"), nil))
	if worse, news := strings.Count(body, "(Worse since the last e-mail)"), strings.Count(body, "(New)"); worse != 2 || news != 1 {
		t.Errorf("the second digest has %d alerts that got worse and %d new, want 2 and 1", worse, news)
	}
	db := openPublished(t, dir)
	expectRows(t, db, `SELECT scope, scope_id, severity, status, first_seen, last_seen, deviation_pct FROM alerts WHERE kind = 'kpi_deviation' ORDER BY alert_id`,
		"territory|T-DE|critical|open|2026-03-31|2026-06-30|-89.92",
		"total|all|critical|open|2026-03-31|2026-06-30|-65.44",
		"distributor|FR|critical|open|2026-06-30|2026-06-30|-46.75",
	)
	db.Close()
	// Back to 2026-03-31: FR is on pace again and its alert is resolved: one digest says
	// so, and nothing else.
	mustRun(t, dir, "run", "--config", "config.yaml", "--as-of", asOf)
	if n := len(outbox()); n != 3 {
		t.Fatalf("third run: %d e-mails, want 3 (the resolved notice)", n)
	}
	if b, _ := os.ReadFile(outbox()[2]); !bytes.Contains(b, []byte("Subject: [salesout] 1 resolved")) {
		t.Errorf("the third digest is not the resolved notice:\n%s", b)
	}
	db = openPublished(t, dir)
	expectRows(t, db, `SELECT scope_id, status FROM alerts WHERE kind = 'kpi_deviation' ORDER BY alert_id`, "T-DE|open", "all|open", "FR|resolved")
}
