package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// acmeFeed is a feed added to the e2e config whose date format is wrong: month first
// where the distributor writes the day first.
const acmeFeed = `  - name: acme
    distributor: ACME
    source: drop
    match: "ACME_*.csv"
    csv:
      delimiter: ";"
      date_format: "%m/%d/%Y"
    columns:
      invoice_date: date
      invoice_number: invoice
      reseller_id: account
      reseller_name: company
      sku: item
      quantity: qty
      amount: amount
    defaults:
      currency: EUR
`

// A feed loaded with a wrong date format (lines quarantined for their date, others
// misdated) is repaired by fixing the config and reloading it: each line is in sales_out
// once with its right date, the quarantine rows are gone, the other feeds are untouched
// and the ledger's history shows both loads.
func TestReloadRepairsFeed(t *testing.T) {
	dir := workspace(t)
	cfgPath := filepath.Join(dir, "config.yaml")
	cfg, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	wrong := strings.Replace(string(cfg), "reference:\n", acmeFeed+"reference:\n", 1)
	if err := os.WriteFile(cfgPath, []byte(wrong), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "drop", "ACME_202601.csv"), []byte(`date;invoice;account;company;item;qty;amount
05/01/2026;A1;C1;Alpha;SKU-A;1;10
15/01/2026;A2;C2;Beta;SKU-A;2;20
20/01/2026;A3;C1;Alpha;SKU-B;3;30
`), 0o600); err != nil {
		t.Fatal(err)
	}
	mustRun(t, dir, "run", "--config", "config.yaml", "--as-of", asOf)
	const acmeLines = `SELECT invoice_number, invoice_date FROM sales_out WHERE distributor = 'ACME' ORDER BY line_id`
	const acmeQuarantine = `SELECT q.line_no, q.field FROM quarantine q JOIN files f USING (file_id) WHERE f.feed = 'acme' ORDER BY q.line_no`
	const others = `SELECT distributor, count(*), sum(amount) FROM sales_out WHERE distributor <> 'ACME' GROUP BY ALL ORDER BY 1`
	db := openPublished(t, dir)
	expectRows(t, db, acmeLines, "A1|2026-05-01")
	expectRows(t, db, acmeQuarantine, "3|invoice_date", "4|invoice_date")
	othersBefore := rows(t, db, others)
	db.Close()

	// Usage errors change nothing.
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"reload", "--config", "config.yaml"}, "--feed NAME is required"},
		{[]string{"reload", "--config", "config.yaml", "--feed", "nope"}, `--feed "nope" is not in`},
		{[]string{"reload", "--config", "config.yaml", "--feed", "acme", "--since", "01/01/2026"}, "want YYYY-MM-DD"},
	} {
		if r := salesout(t, dir, c.args...); r.code != exitInvalid || !strings.Contains(r.stderr, c.msg) {
			t.Errorf("salesout %s: exit %d, stderr %q; want %d and %q", strings.Join(c.args, " "), r.code, r.stderr, exitInvalid, c.msg)
		}
	}

	if err := os.WriteFile(cfgPath, []byte(strings.Replace(wrong, `"%m/%d/%Y"`, `"%d/%m/%Y"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	// While another process holds the warehouse, reload stops at once (exit code 3).
	lock, err := os.OpenFile(filepath.Join(dir, "var", "warehouse.duckdb.lock"), os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	if r := salesout(t, dir, "reload", "--config", "config.yaml", "--feed", "acme"); r.code != exitLocked || !strings.Contains(r.stderr, "the warehouse is in use") {
		t.Errorf("reload while locked: exit %d, want %d:\n%s", r.code, exitLocked, r.stderr)
	}
	syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	lock.Close()

	r := mustRun(t, dir, "reload", "--config", "config.yaml", "--feed", "acme", "--as-of", asOf)
	for _, want := range []string{"feed acme: 1 file(s) reloaded, 0 failed", "lines loaded:      3 (before: 1)", "lines quarantined: 0 (before: 2)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("reload output lacks %q:\n%s", want, r.stdout)
		}
	}

	db = openPublished(t, dir)
	expectRows(t, db, acmeLines, "A1|2026-01-05", "A2|2026-01-15", "A3|2026-01-20")
	expectRows(t, db, `SELECT count(*) - count(DISTINCT line_id) FROM sales_out`, "0")
	expectRows(t, db, acmeQuarantine)
	expectRows(t, db, `SELECT status, lines_loaded, lines_quarantined FROM files WHERE feed = 'acme'`, "loaded|3|0")
	expectRows(t, db, `SELECT steps, status FROM runs ORDER BY run_id`,
		"fetch,load,match,score,export,alert|succeeded", "reload,match,score,export|succeeded")
	// Re-matched (the new lines have their spelling in partner_matches) and re-scored.
	expectRows(t, db, `SELECT count(*) FROM sales_out s WHERE distributor = 'ACME' AND NOT EXISTS (
		SELECT 1 FROM partner_matches m WHERE m.distributor = s.distributor AND m.reseller_id IS NOT DISTINCT FROM s.reseller_id
		  AND m.reseller_name IS NOT DISTINCT FROM s.reseller_name)`, "0")
	if got := rows(t, db, others); strings.Join(got, "\n") != strings.Join(othersBefore, "\n") {
		t.Errorf("other feeds changed by the reload:\n%v\nwant\n%v", got, othersBefore)
	}
	db.Close()

	// The ledger's history is in the worker's warehouse: both loads of the file, with
	// their runs and settings; the other files keep their one load.
	w := openWorker(t, dir)
	defer w.Close()
	loads := rows(t, w, `SELECT l.run_id, l.status, l.lines_loaded, l.lines_quarantined, l.feed_fingerprint
		FROM file_loads l JOIN files f USING (file_id) WHERE f.feed = 'acme' ORDER BY l.run_id`)
	if len(loads) != 2 || !strings.HasPrefix(loads[0], "1|loaded|1|2|") || !strings.HasPrefix(loads[1], "2|loaded|3|0|") ||
		strings.Split(loads[0], "|")[4] == strings.Split(loads[1], "|")[4] {
		t.Errorf("file_loads of the acme file:\n  %s\nwant run 1 (1 line, 2 quarantined) and run 2 (3 lines) with different fingerprints", strings.Join(loads, "\n  "))
	}
	expectRows(t, w, `SELECT count(*) FROM file_loads l JOIN files f USING (file_id) WHERE f.feed <> 'acme' GROUP BY f.file_id HAVING count(*) <> 1`)
}
