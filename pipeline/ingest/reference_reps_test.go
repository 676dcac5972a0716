package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// refFiles are reference files as people write them, one CSV text per set; a set left
// empty is not configured.
type refFiles struct {
	channel, products, targets, reps string
}

const (
	refChannel = "partner_id,name,postcode,territory,sales_rep\n" +
		"P1,Dupont,75011,FR-IDF,rep-01\n" +
		"P2,Vergnaud,86000,FR-OUEST,rep-04\n" +
		"P3,Peeters,1000,BE,rep-07\n"
	refProducts = "sku,product_line\nSKU-A,drills\nSKU-B,saws\n"
	// rep-07 covers two territories, on two rows that agree on name and e-mail; the
	// managers may differ by territory.
	refReps = "sales_rep,name,email,manager_email,territory\n" +
		"rep-01,Camille Martin,camille.martin@example.com,anne@example.com,FR-IDF\n" +
		"rep-07,Lucas Peeters,lucas.peeters@example.com,karen@example.com,BE\n" +
		"rep-07,Lucas Peeters,lucas.peeters@example.com,hans@example.com,CH\n" +
		"rep-04,Nicolas Petit,nicolas.petit@example.com,marc@example.com,FR-OUEST\n"
	refTargets = "year,scope,scope_id,kpi,target,month\n" +
		"2026,total,,revenue,1200000,\n" +
		"2026,territory,CH,revenue,50000,\n" +
		"2026,sales_rep,rep-07,revenue,90000,\n"
)

// loadRefs writes the files into a folder and loads them into a fresh warehouse,
// logging to log; it returns the result, the database and LoadReference's error.
func loadRefs(t *testing.T, f refFiles, log *bytes.Buffer) (RefResult, *sql.DB, error) {
	t.Helper()
	dir := t.TempDir()
	src := func(name, text string) config.RefSource {
		if text == "" {
			return config.RefSource{}
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return config.RefSource{File: path}
	}
	ref := config.Reference{
		ChannelDB: src("channel.csv", f.channel),
		Products:  src("products.csv", f.products),
		Targets:   src("targets.csv", f.targets),
		Reps:      src("reps.csv", f.reps),
	}
	ctx := zerolog.New(log).WithContext(context.Background())
	w, err := warehouse.Open(ctx, config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := LoadReference(ctx, tx, &ref)
	if cerr := tx.Commit(); cerr != nil {
		t.Fatal(cerr)
	}
	return res, w.DB, err
}

func queryRows(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// A rep who covers several territories is one row per territory, and a total target
// needs no id.
func TestRepRowsAndTotalWithoutID(t *testing.T) {
	var log bytes.Buffer
	res, db, err := loadRefs(t, refFiles{channel: refChannel, products: refProducts, targets: refTargets, reps: refReps}, &log)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows["reps"] != 4 || res.Rows["targets"] != 3 {
		t.Errorf("rows %v", res.Rows)
	}
	// CH has no partner but rep-07 covers it; rep-07 is in reps: no warning.
	if len(res.Warnings) != 0 || log.Len() != 0 {
		t.Errorf("warnings %q, log %s", res.Warnings, log.String())
	}
	got := queryRows(t, db, `SELECT sales_rep || ':' || territory || ':' || manager_email FROM reps ORDER BY sales_rep, territory`)
	want := []string{"rep-01:FR-IDF:anne@example.com", "rep-04:FR-OUEST:marc@example.com",
		"rep-07:BE:karen@example.com", "rep-07:CH:hans@example.com"}
	if !slices.Equal(got, want) {
		t.Errorf("reps %q, want %q", got, want)
	}
	// The total's empty id is stored as '' (scope_id stays NOT NULL, as alerts need).
	got = queryRows(t, db, `SELECT scope || ':[' || scope_id || ']' FROM targets ORDER BY scope`)
	want = []string{"sales_rep:[rep-07]", "territory:[CH]", "total:[]"}
	if !slices.Equal(got, want) {
		t.Errorf("targets %q, want %q", got, want)
	}

	// A targets file without the scope_id column at all: total only.
	_, db, err = loadRefs(t, refFiles{channel: refChannel, targets: "year,scope,kpi,target\n2026,total,revenue,1200000\n2026,total,units,5000\n"}, &log)
	if err != nil {
		t.Fatal(err)
	}
	got = queryRows(t, db, `SELECT scope || ':[' || scope_id || ']:' || kpi FROM targets ORDER BY kpi`)
	if want := []string{"total:[]:revenue", "total:[]:units"}; !slices.Equal(got, want) {
		t.Errorf("targets without scope_id %q, want %q", got, want)
	}
}

// Problems in reps and targets stop the run with the file and line of each.
func TestRepAndTargetProblems(t *testing.T) {
	tests := []struct {
		name  string
		files refFiles
		want  []string // the problems, in order
	}{
		{
			name: "a rep's rows give two names",
			files: refFiles{channel: refChannel, reps: refReps +
				"rep-01,C. Martin,camille.martin@example.com,anne@example.com,FR-NORD\n"},
			want: []string{`reference.reps (reps.csv) line 6: sales_rep "rep-01" has name "C. Martin" here but "Camille Martin" on line 2 (a rep's rows must give the same name and email)`},
		},
		{
			name: "a rep's rows give two e-mails, one of them empty",
			files: refFiles{channel: refChannel, reps: refReps +
				"rep-04,Nicolas Petit,,marc@example.com,FR-SUD\n" +
				"rep-04,Nicolas Petit,n.petit@example.com,marc@example.com,FR-EST\n"},
			want: []string{
				`reference.reps (reps.csv) line 6: sales_rep "rep-04" has email "" here but "nicolas.petit@example.com" on line 5 (a rep's rows must give the same name and email)`,
				`reference.reps (reps.csv) line 7: sales_rep "rep-04" has email "n.petit@example.com" here but "nicolas.petit@example.com" on line 5 (a rep's rows must give the same name and email)`,
			},
		},
		{
			name:  "the same rep and territory twice",
			files: refFiles{channel: refChannel, reps: refReps + "rep-07,Lucas Peeters,lucas.peeters@example.com,karen@example.com,BE\n"},
			want:  []string{`reference.reps (reps.csv) line 6: duplicate row for sales_rep "rep-07" and territory "BE" (first on line 3)`},
		},
		{
			name:  "a territory target without id",
			files: refFiles{channel: refChannel, targets: refTargets + "2026,territory,,units,100,\n"},
			want:  []string{`reference.targets (targets.csv) line 5: scope_id is empty (required for scope territory)`},
		},
		{
			name:  "two total targets without id",
			files: refFiles{channel: refChannel, targets: refTargets + "2026,total,,revenue,1300000,\n"},
			want:  []string{`reference.targets (targets.csv) line 5: duplicate target for total revenue 2026 (first on line 2)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			_, _, err := loadRefs(t, tt.files, &log)
			var re *RefError
			if !errors.As(err, &re) {
				t.Fatalf("error %v, want a RefError", err)
			}
			if !slices.Equal(re.Problems, tt.want) {
				t.Errorf("problems:\n  %s\nwant:\n  %s", strings.Join(re.Problems, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

// Targets naming a territory, rep, product line or partner that the other reference data
// do not know are loaded, with a warning naming the file and line.
func TestTargetsNamingTheUnknownAreWarned(t *testing.T) {
	targets := refTargets +
		"2026,territory,FR-NORD,revenue,1000,\n" + // line 5: no partner, no rep
		"2026,territory,FR-IDF,revenue,1000,\n" + // a partner's territory
		"2026,sales_rep,rep-09,units,10,\n" + // line 7: nowhere
		"2026,product_line,hammers,revenue,500,\n" + // line 8: not in products
		"2026,product_line,saws,revenue,500,\n" +
		"2026,partner,P9,revenue,100,\n" + // line 10: not in the channel database
		"2026,partner,P2,revenue,100,\n" +
		"2026,distributor,ACME,revenue,100,\n" // distributors are not reference data
	var log bytes.Buffer
	res, db, err := loadRefs(t, refFiles{channel: refChannel, products: refProducts, targets: targets, reps: refReps}, &log)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`reference.targets (targets.csv) line 5: territory "FR-NORD" is in neither the channel database nor reps: no sales will count for this target`,
		`reference.targets (targets.csv) line 7: sales_rep "rep-09" is in neither reps nor the channel database: no sales will count for this target`,
		`reference.targets (targets.csv) line 8: product_line "hammers" is not in products: no sales will count for this target`,
		`reference.targets (targets.csv) line 10: partner "P9" is not in the channel database: no sales will count for this target`,
	}
	if !slices.Equal(res.Warnings, want) {
		t.Errorf("warnings:\n  %s\nwant:\n  %s", strings.Join(res.Warnings, "\n  "), strings.Join(want, "\n  "))
	}
	if n := queryRows(t, db, `SELECT count(*)::VARCHAR FROM targets`); n[0] != "11" {
		t.Errorf("%s targets loaded, want all 11", n[0])
	}
	// Each warning is logged with the file and the line.
	var logged []string
	for _, l := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		var e struct {
			Level, Reference, File, Message string
			Line                            int
		}
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if e.Level != "warn" || e.Reference != "targets" || filepath.Base(e.File) != "targets.csv" {
			t.Errorf("log line %s", l)
		}
		logged = append(logged, e.Message)
		if !strings.Contains(want[len(logged)-1], e.Message) || !strings.Contains(want[len(logged)-1], " line "+strconv.Itoa(e.Line)+":") {
			t.Errorf("log line %s does not match %q", l, want[len(logged)-1])
		}
	}
	if len(logged) != len(want) {
		t.Errorf("%d warnings logged, want %d:\n%s", len(logged), len(want), log.String())
	}

	// Without a products file, product lines cannot be known: no warning about them.
	log.Reset()
	res, _, err = loadRefs(t, refFiles{channel: refChannel, targets: targets, reps: refReps}, &log)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w, "product_line") {
			t.Errorf("warned without products: %s", w)
		}
	}
}
