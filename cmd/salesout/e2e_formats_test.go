package main

import (
	"os"
	"path/filepath"
	"testing"
)

// formatsWorkspace copies testdata/e2e_formats (config and reference) into a temporary
// folder with an empty drop folder; files are added to it run by run.
func formatsWorkspace(t *testing.T) (dir, files string) {
	t.Helper()
	dir = copyTestdata(t, "e2e_formats")
	if err := os.MkdirAll(filepath.Join(dir, "drop"), 0o750); err != nil {
		t.Fatal(err)
	}
	return dir, filepath.Join(dir, "files")
}

// TestFormats loads X12 867, EDIFACT SLSRPT and XLSX files through `salesout run` and
// checks the totals against values computed by hand from the files (in the comments).
func TestFormats(t *testing.T) {
	dir, files := formatsWorkspace(t)
	drop := func(names ...string) {
		for _, n := range names {
			copyFile(t, filepath.Join(files, n), filepath.Join(dir, "drop", n))
		}
	}
	drop("4010_basic.x12", "bad_se_count.x12", "5010_sii.x12", "una_location_first.edi", "unoc_latin1.edi", "ventes.xlsx")
	mustRun(t, dir, "run", "--config", "config.yaml", "--as-of", "2024-06-30")
	db := openPublished(t, dir)

	// ACMEUS (X12): 4010_basic 125.00 + 3 × 7.25 + 2.5 × 100 = 396.75 (USD);
	// bad_se_count: set 5001 quarantined (SE01 wrong), set 5002 9 × 10 = 90.00;
	// 5010_sii: 6 × 12.00 + 24.00 + 5 × 3.10 + 99.95 = 211.45 (CAD and USD).
	// EUDIST (EDIFACT): 125.00 + 4 × 7.25 + 2 × 30 + 99.95 = 313.95; UNOC: 2 × 12.50 + 7.25 = 32.25.
	// XLS: 59.97 − 2469.00 + 15.38 = −2393.65; quantities 3 − 2 + 1.5; the totals row quarantined.
	expectRows(t, db, `SELECT distributor, count(*), sum(quantity), sum(amount) FROM sales_out GROUP BY ALL ORDER BY 1`,
		"ACMEUS|8|38.500|698.2000",
		"EUDIST|6|20.000|346.2000",
		"XLS|3|2.500|-2393.6500",
	)
	expectRows(t, db, `SELECT f.name, q.line_no, q.reason FROM quarantine q JOIN files f USING (file_id) ORDER BY f.name, q.line_no`,
		`bad_se_count.x12|7|transaction set 5001: SE01 says "99" segments, the set has 9`,
		`ventes.xlsx|8|totals row (not a sale): invoice_date "Total" does not match the date format %d/%m/%Y`,
	)
	expectRows(t, db, `SELECT invoice_date, reseller_name, quantity, amount FROM sales_out WHERE distributor = 'XLS' ORDER BY invoice_date`,
		"2024-03-01|Dupont SARL|3.000|59.9700",
		"2024-03-15|Martin & Fils|-2.000|-2469.0000",
		"2024-03-20|Café des Sports|1.500|15.3800",
	)
	expectRows(t, db, `SELECT reseller_name FROM sales_out WHERE distributor = 'EUDIST' AND reseller_name LIKE '%ü%' OR reseller_name LIKE '%''%' ORDER BY 1`,
		"Müller Bürobedarf GmbH", "SMITH'S HARDWARE", "SMITH'S HARDWARE")
	expectRows(t, db, `SELECT currency, sum(amount) FROM sales_out WHERE distributor = 'ACMEUS' GROUP BY ALL ORDER BY 1`,
		"CAD|195.9500", "EUR|90.0000", "USD|412.2500")
	expectRows(t, db, `SELECT partner_id, method FROM partner_matches WHERE reseller_id = 'R-1001'`, "P1|vat")
	db.Close()

	// A replacement (BPT 05) restates January 2024: the three lines of 4010_basic go,
	// its one line (12 × 12.50 = 150.00) comes.
	drop("replace.x12")
	mustRun(t, dir, "run", "--config", "config.yaml", "--as-of", "2024-06-30")
	db = openPublished(t, dir)
	expectRows(t, db, `SELECT count(*), sum(amount) FROM sales_out WHERE distributor = 'ACMEUS'`, "6|451.4500")
	db.Close()

	// A cancellation (BPT 01) of report R2024-01 removes its lines.
	drop("cancel.x12")
	mustRun(t, dir, "run", "--config", "config.yaml", "--as-of", "2024-06-30")
	db = openPublished(t, dir)
	expectRows(t, db, `SELECT count(*), sum(amount) FROM sales_out WHERE distributor = 'ACMEUS'`, "5|301.4500")
	expectRows(t, db, `SELECT name, status, lines_loaded FROM files WHERE feed = 'x12' ORDER BY file_id`,
		"4010_basic.x12|loaded|3", "5010_sii.x12|loaded|4", "bad_se_count.x12|loaded|1", "replace.x12|loaded|1", "cancel.x12|loaded|0")
}
