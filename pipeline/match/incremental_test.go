package match

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// twin is the same data in two warehouses: inc is matched as the pipeline does (the
// lines changed since the last match), full with every line read again each run, products
// resolved again and every spelling's figures recomputed: the reference.
type twin struct {
	t         *testing.T
	ctx       context.Context
	inc, full *sql.DB
	logged    bytes.Buffer // inc's log of the last run
}

func newTwin(t *testing.T) *twin {
	tw := &twin{t: t, ctx: context.Background()}
	for _, db := range []**sql.DB{&tw.inc, &tw.full} {
		w, err := warehouse.Open(tw.ctx, config.Warehouse{Path: ":memory:"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { w.Close() })
		*db = w.DB
	}
	return tw
}

// exec runs q on both warehouses.
func (tw *twin) exec(q string, args ...any) {
	tw.t.Helper()
	for _, db := range []*sql.DB{tw.inc, tw.full} {
		if _, err := db.ExecContext(tw.ctx, q, args...); err != nil {
			tw.t.Fatalf("%s: %v", q, err)
		}
	}
}

// spellingLines are n lines of one reseller spelling in a file.
type spellingLines struct {
	distributor, id, name, postcode, city, registration string
	n                                                   int
	amountBase                                          any // nil: no exchange rate yet
	sku, distributorSKU                                 string
}

// load inserts a file's lines as the loader does (changed_run, file_loads), replacing
// the file's earlier lines when it was loaded before.
func (tw *twin) load(run int64, file int64, ls ...spellingLines) {
	tw.t.Helper()
	tw.exec(`DELETE FROM lines WHERE file_id = ?`, file)
	no := int64(0)
	for _, l := range ls {
		for range l.n {
			no++
			tw.exec(`INSERT INTO lines (line_id, file_id, line_no, distributor, invoice_date, reseller_id, reseller_name,
				reseller_postcode, reseller_city, reseller_country, reseller_registration, sku, distributor_sku,
				quantity, amount, currency, amount_base, changed_run)
				VALUES (?, ?, ?, ?, DATE '2026-01-05', ?, ?, ?, ?, 'FR', ?, ?, ?, 1, 10, 'EUR', ?, ?)`,
				file<<32+no, file, no, l.distributor, null(l.id), null(l.name), null(l.postcode), null(l.city),
				null(l.registration), null(l.sku), null(l.distributorSKU), l.amountBase, run)
		}
	}
	tw.exec(`INSERT INTO file_loads VALUES (?, ?, 'fp', 'loaded', NULL, ?, 0, now())`, file, run, no)
}

// run matches both warehouses as run runID and checks that every match table and the
// lines' partners and products are the same in both.
func (tw *twin) run(runID int64, changed Changed, overrides string) Result {
	tw.t.Helper()
	var results [2]Result
	tw.logged.Reset()
	for i, db := range []*sql.DB{tw.inc, tw.full} {
		ctx := tw.ctx
		if i == 0 {
			ctx = zerolog.New(&tw.logged).WithContext(ctx)
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			tw.t.Fatal(err)
		}
		s := Settings{Overrides: overrides, RunID: runID, Now: time.Date(2026, 2, 1, 3, 0, 0, 0, time.UTC).Add(time.Duration(runID) * time.Hour),
			everyLine: i == 1}
		results[i], err = Run(ctx, tx, s, changed)
		if err != nil {
			tx.Rollback()
			tw.t.Fatalf("run %d: %v", runID, err)
		}
		if err := tx.Commit(); err != nil {
			tw.t.Fatal(err)
		}
	}
	if results[0] != results[1] {
		tw.t.Errorf("run %d: result %+v, from every line %+v", runID, results[0], results[1])
	}
	// The spellings' figures and the run's counts, as the match step used to compute
	// them from every line.
	if got, want := tw.dump(tw.inc, `SELECT * EXCLUDE (lines_all) FROM match_spellings ORDER BY ALL`), tw.dump(tw.inc, `
		SELECT distributor, reseller_id, reseller_name, reseller_postcode,
		       count(*) FILTER (WHERE superseded_by IS NULL),
		       coalesce(sum(amount_base) FILTER (WHERE superseded_by IS NULL), 0),
		       count(*) FILTER (WHERE superseded_by IS NULL AND product_line IS NULL)
		FROM lines GROUP BY ALL ORDER BY ALL`); got != want {
		tw.t.Errorf("run %d: match_spellings\n%s\nfrom the lines:\n%s", runID, got, want)
	}
	var counted Result
	if err := tw.inc.QueryRowContext(tw.ctx, `SELECT count(*) FILTER (WHERE partner_id IS NOT NULL), count(*) FILTER (WHERE partner_id IS NULL),
		count(*) FILTER (WHERE product_line IS NULL),
		coalesce(sum(amount_base) FILTER (WHERE partner_id IS NOT NULL) / nullif(sum(amount_base), 0), 0)::DOUBLE
		FROM sales_out`).Scan(&counted.LinesMatched, &counted.LinesUnmatched, &counted.UnknownProducts, &counted.RevenueMatched); err != nil {
		tw.t.Fatal(err)
	}
	if r := results[0]; r.LinesMatched != counted.LinesMatched || r.LinesUnmatched != counted.LinesUnmatched ||
		r.UnknownProducts != counted.UnknownProducts || r.RevenueMatched != counted.RevenueMatched {
		tw.t.Errorf("run %d: result %+v; counted on the lines %+v", runID, r, counted)
	}
	for _, q := range []string{
		`SELECT * FROM partner_matches ORDER BY ALL`,
		`SELECT * FROM match_candidates ORDER BY ALL`,
		`SELECT * FROM match_changes ORDER BY ALL`,
		`SELECT * FROM match_review ORDER BY ALL`,
		`SELECT * FROM match_coverage ORDER BY ALL`,
		`SELECT * FROM match_weights ORDER BY ALL`,
		`SELECT * FROM match_spellings ORDER BY ALL`,
		`SELECT * FROM match_spelling_values ORDER BY ALL`,
		`SELECT line_id, partner_id, sku, product_line FROM lines ORDER BY line_id`,
	} {
		if got, want := tw.dump(tw.inc, q), tw.dump(tw.full, q); got != want {
			tw.t.Errorf("run %d: %s\nincremental:\n%s\nfrom every line:\n%s", runID, q, got, want)
		}
	}
	return results[0]
}

func (tw *twin) dump(db *sql.DB, q string) string {
	tw.t.Helper()
	rows, err := db.QueryContext(tw.ctx, q)
	if err != nil {
		tw.t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			tw.t.Fatal(err)
		}
		fmt.Fprintln(&b, vals...)
	}
	if err := rows.Err(); err != nil {
		tw.t.Fatal(err)
	}
	return b.String()
}

// query returns one value of inc as text.
func (tw *twin) query(q string) string {
	tw.t.Helper()
	var s sql.NullString
	if err := tw.inc.QueryRowContext(tw.ctx, q).Scan(&s); err != nil {
		tw.t.Fatalf("%s: %v", q, err)
	}
	return s.String
}

// TestRunReadsOnlyWhatChanged runs the match step over a sequence of nights, each
// changing the lines in one way, on two warehouses: one matched incrementally, one with
// every line read again. After each run every match table, the lines' partners and
// products, and the result must be the same in both, and the incremental one must have
// taken the path the night calls for.
func TestRunReadsOnlyWhatChanged(t *testing.T) {
	tw := newTwin(t)
	tw.exec(`INSERT INTO partners (partner_id, name, registration, postcode, city, country) VALUES
		('P1', 'Quincaillerie Vergnaud SARL', NULL, '86000', 'Poitiers', 'FR'),
		('P2', 'Dupont SA', NULL, '75011', 'Paris', 'FR'),
		('P3', 'Dupont SARL', NULL, '75011', 'Paris', 'FR'),
		('P4', 'Martin Outillage', '552100554', '69003', 'Lyon', 'FR')`)
	tw.exec(`INSERT INTO products (sku, product_line) VALUES ('SKU1', 'Drills')`)
	tw.exec(`INSERT INTO reference_loads VALUES ('products', 'p1', 1, now()), ('channel_db', 'c1', 4, now())`)
	overrides := filepath.Join(t.TempDir(), "overrides.csv")

	vergnaud := func(city string, n int) spellingLines {
		return spellingLines{distributor: "ACME", id: "A1", name: "QUINCAILLERIE VERGNAUD", postcode: "86000", city: city, n: n,
			amountBase: 10, sku: "SKU1"}
	}
	dupont := func(n int) spellingLines {
		return spellingLines{distributor: "ACME", id: "A2", name: "DUPONT SARL", postcode: "75011", city: "PARIS", n: n,
			amountBase: 12.5, distributorSKU: "X9"}
	}
	durand := func(n int) spellingLines {
		return spellingLines{distributor: "BETA", name: "BRICOLAGE DURAND", postcode: "33000", city: "BORDEAUX", n: n, amountBase: nil}
	}
	martin := func(n int) spellingLines {
		return spellingLines{distributor: "BETA", id: "B7", name: "MARTIN OUTILLAGE", postcode: "69003", city: "LYON",
			registration: "552100554", n: n, amountBase: 7}
	}

	cityOf := func(id string) string {
		return `SELECT first(value ORDER BY n DESC, first_line) FROM match_spelling_values
			WHERE reseller_id = '` + id + `' AND field = 'reseller_city'`
	}
	for i, tc := range []struct {
		name     string
		night    func(run int64)
		changed  Changed
		override string // the overrides file's rows after its header
		full     string // why inc reads every line; "" for the changed lines only
		logged   string // in inc's log
		scored   int64
		rescored bool
		checks   map[string]string // query on inc → its value
	}{
		{name: "first match", full: "no earlier match", scored: 3, rescored: true,
			night: func(run int64) { tw.load(run, 1, vergnaud("POITIERS", 2), dupont(3), durand(2)) },
			checks: map[string]string{
				`SELECT string_agg(DISTINCT partner_id, ',') FROM lines WHERE reseller_id = 'A1'`: "P1",
				`SELECT count(*) FROM lines WHERE product_line = 'Drills'`:                        "2",
			}},
		{name: "new lines of a known spelling", scored: 0, logged: `"lines_changed":3,"spellings":1,"spellings_restated":0`,
			night: func(run int64) { tw.load(run, 2, vergnaud("POITIER", 3)) },
			checks: map[string]string{
				`SELECT count(*) FROM lines WHERE reseller_id = 'A1' AND partner_id IS DISTINCT FROM 'P1'`: "0",
				`SELECT lines FROM partner_matches WHERE reseller_id = 'A1'`:                               "5",
				cityOf("A1"): "POITIER",
			}},
		{name: "a new spelling", scored: 1, logged: `"lines_changed":3,"spellings":2,"spellings_restated":0`,
			night: func(run int64) { tw.load(run, 3, martin(2), dupont(1)) },
			checks: map[string]string{
				`SELECT string_agg(DISTINCT partner_id, ',') FROM lines WHERE reseller_id = 'B7'`: "P4",
				`SELECT lines FROM partner_matches WHERE reseller_id = 'A2'`:                      "4",
			}},
		{name: "a restatement superseding lines", scored: 0, logged: `"lines_changed":3,"spellings":1,"spellings_restated":1`,
			night: func(run int64) {
				tw.exec(`UPDATE lines SET superseded_by = 4, changed_run = ? WHERE file_id = 2 AND line_no <= 2`, run)
				tw.load(run, 4, vergnaud("POITIERS", 1))
			},
			checks: map[string]string{
				`SELECT lines FROM partner_matches WHERE reseller_id = 'A1'`: "4",
				cityOf("A1"): "POITIERS",
			}},
		{name: "a reload deleting lines", full: "files loaded before were read again", scored: 0,
			night: func(run int64) { tw.load(run, 3, dupont(1)) },
			checks: map[string]string{
				`SELECT count(*) FROM match_spellings WHERE reseller_id = 'B7'`: "0",
			}},
		{name: "products changed", changed: Changed{Products: true}, scored: 0, logged: `"lines_changed":4,"spellings":1,"spellings_restated":1`,
			night: func(run int64) {
				tw.exec(`INSERT INTO products (sku, product_line, distributor, distributor_sku) VALUES ('SKU1', NULL, 'ACME', 'X9')`)
				tw.exec(`UPDATE reference_loads SET sha256 = 'p2' WHERE name = 'products'`)
			},
			checks: map[string]string{
				`SELECT count(*) FROM lines WHERE reseller_id = 'A2' AND sku = 'SKU1' AND product_line = 'Drills'`: "4",
			}},
		{name: "products changed by a run whose match failed", full: "most lines changed", scored: 0,
			night: func(run int64) {
				tw.exec(`UPDATE products SET product_line = 'Power tools' WHERE sku = 'SKU1'`)
				tw.exec(`UPDATE reference_loads SET sha256 = 'p3' WHERE name = 'products'`)
			},
			checks: map[string]string{
				`SELECT count(*) FROM lines WHERE product_line = 'Power tools'`: "10",
			}},
		{name: "the channel database changed", changed: Changed{ChannelDB: true}, scored: 3, rescored: true,
			night: func(run int64) {
				tw.exec(`INSERT INTO partners (partner_id, name, postcode, city, country) VALUES ('P5', 'Bricolage Durand', '33000', 'Bordeaux', 'FR')`)
				tw.exec(`UPDATE reference_loads SET sha256 = 'c2' WHERE name = 'channel_db'`)
				tw.load(run, 5, durand(1))
			},
			checks: map[string]string{
				`SELECT string_agg(DISTINCT coalesce(partner_id, '-'), ',') FROM lines WHERE reseller_name = 'BRICOLAGE DURAND'`: "P5",
			}},
		{name: "an override", scored: 3, rescored: true,
			override: "ACME,A2,DUPONT SARL,75011,partner,P2,,2026-01-20T10:00:00Z,\n",
			night:    func(run int64) { tw.load(run, 6, dupont(2), vergnaud("POITIERS", 1)) },
			checks: map[string]string{
				`SELECT string_agg(DISTINCT partner_id, ',') FROM lines WHERE reseller_id = 'A2'`: "P2",
				`SELECT count(*) FROM match_changes WHERE to_partner_id = 'P2'`:                   "1",
			}},
		{name: "exchange rates: most lines changed", full: "most lines changed", scored: 0,
			override: "ACME,A2,DUPONT SARL,75011,partner,P2,,2026-01-20T10:00:00Z,\n",
			night: func(run int64) {
				tw.exec(`UPDATE lines SET amount_base = amount * 1.1, changed_run = ?`, run)
			},
			checks: map[string]string{
				`SELECT revenue::VARCHAR FROM match_spellings WHERE reseller_name = 'BRICOLAGE DURAND'`: "33.0000",
			}},
		{name: "nothing new", scored: 0, logged: `"lines_changed":0,"spellings":0`,
			override: "ACME,A2,DUPONT SARL,75011,partner,P2,,2026-01-20T10:00:00Z,\n",
			night:    func(int64) {},
			checks:   map[string]string{`SELECT string_agg(DISTINCT partner_id, ',' ORDER BY partner_id) FROM lines`: "P1,P2,P5"}},
		{name: "lines deleted outside a reload", full: "counts did not add up", scored: 0,
			override: "ACME,A2,DUPONT SARL,75011,partner,P2,,2026-01-20T10:00:00Z,\n",
			night:    func(int64) { tw.exec(`DELETE FROM lines WHERE file_id = 1 AND reseller_id = 'A2'`) },
			checks:   map[string]string{`SELECT lines FROM partner_matches WHERE reseller_id = 'A2'`: "3"}},
	} {
		run := int64(i + 1)
		tc.night(run)
		if tc.override != "" {
			overridesFile(t, overrides, tc.override)
		}
		res := tw.run(run, tc.changed, overrides)
		if res.Scored != tc.scored || res.Rescored != tc.rescored {
			t.Errorf("%s: scored %d (all %v), want %d (all %v)", tc.name, res.Scored, res.Rescored, tc.scored, tc.rescored)
		}
		logged := tw.logged.String()
		if tc.full == "" && !strings.Contains(logged, `"message":"reseller spellings updated from the changed lines"`) ||
			tc.full != "" && !strings.Contains(logged, `"why":"`+tc.full+`"`) {
			t.Errorf("%s: want the spellings' figures from every line because %q (\"\": the changed lines only); log:\n%s", tc.name, tc.full, logged)
		}
		if !strings.Contains(logged, tc.logged) {
			t.Errorf("%s: the log does not say %s:\n%s", tc.name, tc.logged, logged)
		}
		for q, want := range tc.checks {
			if got := tw.query(q); got != want {
				t.Errorf("%s: %s = %q, want %q", tc.name, q, got, want)
			}
		}
	}
}

// overridesFile writes the analysts' decisions file.
func overridesFile(t *testing.T, path, rows string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("distributor,reseller_id,reseller_name,reseller_postcode,decision,partner_id,rejected,decided_at,note\n"+rows), 0o640); err != nil {
		t.Fatal(err)
	}
}
