package output

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

var update = flag.Bool("update", false, "rewrite the README's table reference from the snapshot's comments")

// readme is the file whose table reference TestReadmeTables keeps, between the markers.
const (
	readme      = "../../README.md"
	beginMarker = "<!-- tables:begin -->"
	endMarker   = "<!-- tables:end -->"
)

// fixedColumns are the columns whose names are promised to analysts (the contract's,
// and those the README promised before it was generated): the reference shows them, and
// TestSnapshotComments checks that the snapshot has each of them.
var fixedColumns = map[string][]string{
	"sales_out": {"line_id", "file_id", "line_no", "distributor", "invoice_date", "invoice_number", "reseller_id",
		"reseller_name", "reseller_vat", "reseller_registration", "reseller_address", "reseller_postcode",
		"reseller_city", "reseller_country", "end_customer_name", "end_customer_postcode", "end_customer_country",
		"sku", "distributor_sku", "gtin", "product_line", "quantity", "unit_price", "amount", "currency",
		"amount_base", "partner_id", "report_id"},
	"quarantine": {"file_id", "line_no", "field", "reason", "raw", "run_id"},
	"files": {"file_id", "feed", "distributor", "source", "name", "size", "modified_at", "sha256", "landing_path",
		"status", "duplicate_of", "reason", "lines_loaded", "lines_quarantined", "period_start", "period_end",
		"received_at", "loaded_at", "run_id"},
	"partners": {"partner_id", "name", "registration", "vat", "address", "postcode", "city", "country", "region",
		"territory", "trade", "size_band", "potential", "sales_rep"},
	"partner_matches": {"distributor", "reseller_id", "reseller_name", "reseller_postcode", "reseller_city",
		"reseller_country", "partner_id", "method", "confidence", "score", "weight", "runner_up_partner_id",
		"runner_up_score", "evidence", "review", "review_reason", "lines", "matched_at"},
	"match_review": slices.Concat([]string{"rank", "distributor", "reseller_id", "reseller_name", "reseller_postcode",
		"reseller_city", "reseller_country", "lines", "revenue", "reason"}, candidateColumns()),
	"match_coverage": {"distributor", "method", "resellers", "lines", "revenue", "lines_pct", "revenue_pct"},
	"match_changes": {"distributor", "reseller_id", "reseller_name", "reseller_postcode", "from_partner_id",
		"to_partner_id", "from_method", "to_method", "changed_at", "run_id", "why"},
	"match_weights": {"comparison", "level", "m", "u", "weight", "trained_on"},
	"partner_scores": {"as_of", "partner_id", "revenue_12m", "units_12m", "active_months_12m", "first_purchase",
		"last_purchase", "loyalty", "potential", "share_of_wallet", "score", "plan"},
	"territory_coverage": {"as_of", "territory", "partners", "active_partners", "coverage_pct", "revenue_12m",
		"potential", "share_of_wallet", "white_space_potential", "prospecting_partners"},
	"kpi_deviations": {"as_of", "scope", "scope_id", "kpi", "period", "actual", "target", "annual_target",
		"deviation_pct", "severity", "unmatched_revenue"},
	"alerts": {"alert_id", "kind", "scope", "scope_id", "kpi", "period", "severity", "deviation_pct", "first_seen",
		"last_seen", "last_sent", "status", "recipients"},
	"runs":             {"run_id", "started_at", "finished_at", "status", "as_of", "steps", "error"},
	"unknown_products": {"distributor", "sku", "distributor_sku", "gtin", "lines", "units", "revenue_base", "first_seen", "last_seen"},
	"products":         {"sku", "product_line", "gtin", "description", "distributor", "distributor_sku"},
	"fx_rates":         {"date", "currency", "rate"},
	"targets":          {"year", "scope", "scope_id", "kpi", "target", "month"},
	"reps":             {"sales_rep", "name", "email", "manager_email", "territory"},
}

func candidateColumns() []string {
	var cols []string
	for i := 1; i <= 3; i++ {
		for _, c := range []string{"partner_id", "name", "town", "score", "evidence"} {
			cols = append(cols, fmt.Sprintf("candidate_%d_%s", i, c))
		}
	}
	return cols
}

// object is a table or view of a database with its comment and columns.
type object struct {
	name, comment string
	view          bool
	columns       []column
}

type column struct{ name, typ, comment string }

// describe reads the tables and views of db's default database, with their comments:
// the catalog's tables in its order, then the views by name.
func describe(t *testing.T, db *sql.DB) []object {
	t.Helper()
	rows, err := db.Query(`
		SELECT table_name, comment, false FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
		UNION ALL
		SELECT view_name, comment, true FROM duckdb_views()
		WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal`)
	if err != nil {
		t.Fatal(err)
	}
	var objs []object
	for rows.Next() {
		var o object
		var comment sql.NullString
		if err := rows.Scan(&o.name, &comment, &o.view); err != nil {
			t.Fatal(err)
		}
		o.comment = comment.String
		objs = append(objs, o)
	}
	rows.Close()
	order := func(o object) string {
		for i, tb := range Catalog {
			if tb.Name == o.name {
				return fmt.Sprintf("0 %03d", i)
			}
		}
		return "1 " + o.name
	}
	slices.SortFunc(objs, func(a, b object) int { return strings.Compare(order(a), order(b)) })
	for i := range objs {
		rows, err := db.Query(`SELECT column_name, data_type, comment FROM duckdb_columns()
			WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ?
			ORDER BY column_index`, objs[i].name)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c column
			var comment sql.NullString
			if err := rows.Scan(&c.name, &c.typ, &comment); err != nil {
				t.Fatal(err)
			}
			c.comment = comment.String
			objs[i].columns = append(objs[i].columns, c)
		}
		rows.Close()
	}
	return objs
}

// publishEmpty publishes the snapshot of a freshly migrated warehouse and returns the
// warehouse and the snapshot, opened read-only.
func publishEmpty(t *testing.T) (*warehouse.DB, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	w, err := warehouse.Open(ctx, config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	conn, err := w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	path := filepath.Join(t.TempDir(), "analytics.duckdb")
	if _, err := (Snapshot{Path: path}).Write(ctx, conn, Run{ID: 1}); err != nil {
		t.Fatal(err)
	}
	snap, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { snap.Close() })
	return w, snap
}

// Every table, view and column of the snapshot says what it means, in the snapshot and
// in the worker's database; every catalog table, view and fixed column is there.
func TestSnapshotComments(t *testing.T) {
	w, snap := publishEmpty(t)
	var published []string // what the worker's database describes too
	for _, tb := range Catalog {
		published = append(published, tb.Name)
	}
	published = append(published, "partner_movements", "partner_scorecard", "deviations_by_manager")
	for _, db := range []struct {
		name string
		db   *sql.DB
	}{{"snapshot", snap}, {"warehouse", w.DB}} {
		byName := map[string]object{}
		for _, o := range describe(t, db.db) {
			byName[o.name] = o
			if db.name == "snapshot" && !slices.Contains(published, o.name) {
				published = append(published, o.name) // a view added to Views
			}
		}
		for _, name := range published {
			o, ok := byName[name]
			if !ok {
				t.Errorf("%s: %s is missing", db.name, name)
				continue
			}
			if strings.TrimSpace(o.comment) == "" {
				t.Errorf("%s: %s has no comment (COMMENT ON TABLE %s IS '...')", db.name, name, name)
			}
			for _, c := range o.columns {
				if strings.TrimSpace(c.comment) == "" {
					t.Errorf("%s: %s.%s has no comment (COMMENT ON COLUMN %s.%s IS '...')", db.name, name, c.name, name, c.name)
				}
			}
		}
		for table, cols := range fixedColumns {
			for _, c := range cols {
				if !slices.ContainsFunc(byName[table].columns, func(x column) bool { return x.name == c }) {
					t.Errorf("%s: fixed column %s.%s is missing", db.name, table, c)
				}
			}
		}
	}
}

// The README's table reference is the snapshot's comments: go test ./pipeline/output
// -run TestReadmeTables -update rewrites it.
func TestReadmeTables(t *testing.T) {
	_, snap := publishEmpty(t)
	want := tableReference(describe(t, snap))
	b, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	begin, end := strings.Index(text, beginMarker), strings.Index(text, endMarker)
	if begin < 0 || end < begin {
		t.Fatalf("%s lacks the markers %s and %s", readme, beginMarker, endMarker)
	}
	got := text[begin+len(beginMarker) : end]
	if got == want {
		return
	}
	if *update {
		text = text[:begin+len(beginMarker)] + want + text[end:]
		if err := os.WriteFile(readme, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(gl), len(wl)) {
		g, w := "", ""
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("the README's table reference is out of date (go test ./pipeline/output -run TestReadmeTables -update rewrites it from the comments); first difference, line %d of the section:\n got: %s\nwant: %s", i+1, g, w)
		}
	}
}

// tableReference renders the tables and views as the README's reference: a summary
// table (what a row is, the fixed columns), then each one's columns.
func tableReference(objs []object) string {
	var b strings.Builder
	b.WriteString("\n<!-- Generated from the DuckDB comments (COMMENT ON in sql/migrations and sql/views): edit\n")
	b.WriteString("     those, then run `go test ./pipeline/output -run TestReadmeTables -update`. -->\n\n")
	b.WriteString("| table | what it holds | fixed columns |\n| --- | --- | --- |\n")
	for _, o := range objs {
		name := "`" + o.name + "`"
		if o.view {
			name += " (view)"
		}
		fixed := "none yet"
		if cols := fixedColumns[o.name]; len(cols) > 0 {
			fixed = "`" + strings.Join(cols, "`, `") + "`"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", name, cell(o.comment), fixed)
	}
	b.WriteString("\nTheir columns (fixed ones in bold):\n")
	for _, o := range objs {
		fmt.Fprintf(&b, "\n<details><summary><code>%s</code></summary>\n\n| column | type | meaning |\n| --- | --- | --- |\n", o.name)
		for _, c := range o.columns {
			name := "`" + c.name + "`"
			if slices.Contains(fixedColumns[o.name], c.name) {
				name = "**" + name + "**"
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", name, c.typ, cell(c.comment))
		}
		b.WriteString("\n</details>\n")
	}
	b.WriteString("\n")
	return b.String()
}

// cell makes a comment safe in a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "*", `\*`, "\n", " ").Replace(s)
}
