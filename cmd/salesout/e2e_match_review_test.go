package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// scoredCount reads how many reseller spellings a run scored from its JSON logs.
func scoredCount(t *testing.T, stderr string) int {
	t.Helper()
	for _, line := range strings.Split(stderr, "\n") {
		var ev struct {
			Message string `json:"message"`
			Scored  *int   `json:"scored"`
		}
		if json.Unmarshal([]byte(line), &ev) == nil && ev.Message == "matched" && ev.Scored != nil {
			return *ev.Scored
		}
	}
	t.Fatalf("no \"matched\" log line in:\n%s", stderr)
	return 0
}

// TestMatchingCascadeReviewAndOverrides runs testdata/e2e_match through the binary: each
// reseller of drop/a.csv exercises one step of the cascade; the ambiguous and the
// unknown go to review; a second run scores nothing; a new file scores only its new
// spelling; the review queue exported, decided and imported becomes overrides that
// win on the next run and on every run after; a changed match is kept in match_changes.
func TestMatchingCascadeReviewAndOverrides(t *testing.T) {
	dir := copyTestdata(t, "e2e_match")
	run := func() result { return mustRun(t, dir, "run", "--config", "config.yaml", "--as-of", "2026-03-01") }
	matches := func() []string {
		db := openPublished(t, dir)
		defer db.Close()
		return rows(t, db, `SELECT reseller_id || ' ' || reseller_name || ' -> ' || coalesce(partner_id, '-') || ' ' || coalesce(method, '-') ||
			CASE WHEN review THEN ' review' ELSE '' END FROM partner_matches ORDER BY reseller_id, reseller_name`)
	}

	if n := scoredCount(t, run().stderr); n != 9 {
		t.Errorf("first run scored %d spellings, want 9", n)
	}
	want := []string{
		"A1 QUINCAILLERIE VERGNAUD -> P01 exact_name", // same normalised name, postcode, legal form left out
		"A2 DUPONT SARL -> P03 exact_name",            // "Dupont SA" and "Dupont SARL" are two companies
		"A3 DUPONT -> - - review",                     // which Dupont? never guess
		"A4 BRICOMARCHE -> P05 exact_name",            // the Rennes branch, not the Nantes one
		"A5 E. MARTIN ELECTRICITE -> P06 reseller_id", // the account number learned from the SIRET line
		"A5 ELEC MARTIN -> P06 siren",                 // SIRET 732 829 320 00074 → SIREN 732829320
		"A6 GARAGE DU PORT -> - - review",             // nobody in Marseille
		"A7 CPTR DES MAT HUBER -> P07 probabilistic",  // abbreviations, same street and number
		"A8 GARAGE MARTINI -> P09 exact_name",         // not Garage Martin next door
	}
	if got := matches(); !slices.Equal(got, want) {
		t.Errorf("matches:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}

	// Incremental: nothing new, nothing scored; a new file scores its one new spelling.
	if n := scoredCount(t, run().stderr); n != 0 {
		t.Errorf("second run scored %d spellings, want 0", n)
	}
	later, _ := os.ReadFile(filepath.Join(dir, "later", "b.csv"))
	os.WriteFile(filepath.Join(dir, "drop", "b.csv"), later, 0o640)
	if n := scoredCount(t, run().stderr); n != 1 {
		t.Errorf("a run with one new spelling scored %d, want 1", n)
	}

	// The review queue, most revenue first, out as XLSX and back with decisions.
	xlsx := filepath.Join(dir, "review.xlsx")
	mustRun(t, dir, "review", "export", "--config", "config.yaml", "--out", xlsx)
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(0)
	cells, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	header := cells[0]
	col := func(name string) int {
		i := slices.Index(header, name)
		if i < 0 {
			t.Fatalf("review export has no %q column: %v", name, header)
		}
		return i
	}
	var queue []string
	decisions := map[string]string{"A3": "2", "A6": "not a partner"}
	for r, row := range cells[1:] {
		id := row[col("reseller_id")]
		queue = append(queue, id)
		if d, ok := decisions[id]; ok {
			name, _ := excelize.CoordinatesToCellName(col("decision")+1, r+2)
			f.SetCellStr(sheet, name, d)
		}
	}
	if want := []string{"A6", "A3"}; !slices.Equal(queue, want) {
		t.Errorf("review queue %v, want %v (most revenue first)", queue, want)
	}
	// A2 is matched: an analyst may still overrule a match by adding a row.
	f.SetSheetRow(sheet, "A"+strconv.Itoa(len(cells)+1), &[]any{"ACME", "A2", "DUPONT SARL", "75011"})
	name, _ := excelize.CoordinatesToCellName(col("decision")+1, len(cells)+1)
	f.SetCellStr(sheet, name, "P02")
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, dir, "review", "import", "--config", "config.yaml", xlsx)
	if !strings.Contains(out.stdout, "3 added") {
		t.Errorf("import said: %s", out.stdout)
	}
	rec, err := csv.NewReader(strings.NewReader(readFile(t, filepath.Join(dir, "var", "overrides.csv")))).ReadAll()
	if err != nil || len(rec) != 4 {
		t.Fatalf("overrides file: %v %v", rec, err)
	}

	// Overrides are applied first, and keep winning on later runs.
	for i := range 2 {
		run()
		got := matches()
		for _, w := range []string{
			"A2 DUPONT SARL -> P02 override",
			"A3 DUPONT -> P03 override", // candidate 2 of the export
			"A6 GARAGE DU PORT -> - override",
		} {
			if !slices.Contains(got, w) {
				t.Errorf("run %d after import: no %q in\n  %s", i+1, w, strings.Join(got, "\n  "))
			}
		}
	}
	db := openPublished(t, dir)
	changes := rows(t, db, `SELECT reseller_id || ' ' || from_partner_id || '>' || to_partner_id || ' ' || to_method FROM match_changes`)
	if want := []string{"A2 P03>P02 override"}; !slices.Equal(changes, want) {
		t.Errorf("match_changes %v, want %v", changes, want)
	}
	if review := rows(t, db, `SELECT reseller_id FROM match_review`); len(review) != 0 {
		t.Errorf("review queue after the decisions: %v", review)
	}
	cov := rows(t, db, `SELECT method || ' ' || resellers || ' ' || lines FROM match_coverage ORDER BY method`)
	t.Logf("coverage: %v", cov)
	for _, w := range []string{"override 2 2", "not_a_partner 1 1"} {
		if !slices.Contains(cov, w) {
			t.Errorf("match_coverage %v: no %q", cov, w)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
