package iceberg

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/iceberg-go/table"

	"github.com/salesout/salesout/connectors/connectortest"
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/output"
	"github.com/salesout/salesout/pipeline/warehouse"
)

func TestMain(m *testing.M) { os.Exit(connectortest.SharePostgres(m)) }

// env is a worker's warehouse and an Iceberg output on a real PostgreSQL catalog.
type env struct {
	t    testing.TB
	ctx  context.Context
	conn *sql.Conn
	out  Output
	run  int64
}

func newEnv(t testing.TB, storage string) *env {
	t.Helper()
	ctx := context.Background()
	db, err := warehouse.Open(ctx, config.Warehouse{Path: filepath.Join(t.TempDir(), "salesout.duckdb")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	out := Output{SQLDSN: connectortest.Postgres(t), Namespace: "sales", StageDir: t.TempDir()}
	switch storage {
	case "folder":
		out.Warehouse = filepath.Join(t.TempDir(), "lake")
	case "s3":
		s3 := connectortest.StartS3(t, "lake")
		connectortest.SetAWSEnv(t, connectortest.AccessKeyID, "secret", "eu-west-3")
		out.Warehouse = "s3://lake/iceberg"
		out.S3 = S3{Region: "eu-west-3", Endpoint: s3.URL, PathStyle: true}
	}
	return &env{t: t, ctx: ctx, conn: conn, out: out}
}

func (e *env) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.conn.ExecContext(e.ctx, q, args...); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
}

// addLines adds n lines of file fileID for distributor dist, invoiced on day+i%28 of
// month (2026-MM), amount (i+1)*1.25+fileID.
func (e *env) addLines(fileID int64, dist string, month, n int) {
	e.t.Helper()
	e.exec(`INSERT INTO lines (line_id, file_id, line_no, distributor, invoice_date, reseller_id, reseller_name, sku,
			quantity, unit_price, amount, currency, amount_base)
		SELECT ? * 4294967296 + i + 1, ?, i + 1, ?, make_date(2026, ?, 1) + CAST(i % 28 AS INTEGER),
			'R' || (i % 7), 'Reseller ' || (i % 7), 'SKU-' || (i % 5),
			1 + i % 3, 1.25, (i + 1) * 1.25 + ?, 'EUR', (i + 1) * 1.25 + ?
		FROM range(?) AS t(i)`, fileID, fileID, dist, month, fileID, fileID, n)
}

// write runs the output as run number e.run+1.
func (e *env) write() {
	e.t.Helper()
	e.run++
	where, err := e.out.Write(e.ctx, e.conn, output.Run{ID: e.run, Now: time.Now()})
	if err != nil {
		e.t.Fatalf("run %d: %v", e.run, err)
	}
	if where != e.out.Warehouse {
		e.t.Errorf("wrote to %q, want %q", where, e.out.Warehouse)
	}
}

func (e *env) load(name string) *table.Table {
	e.t.Helper()
	cat, closeCat, err := e.out.open(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	defer closeCat()
	tbl, err := cat.LoadTable(e.ctx, table.Identifier{e.out.Namespace, name})
	if err != nil {
		e.t.Fatalf("load %s: %v", name, err)
	}
	return tbl
}

// partitionStats are rows and the sum of amount (in 1/10000) per distributor and
// invoice month.
type partitionStats map[string]string

// duckStats reads partitionStats from the warehouse's sales_out.
func (e *env) duckStats() partitionStats {
	e.t.Helper()
	rows, err := e.conn.QueryContext(e.ctx, `SELECT distributor || ' ' || strftime(invoice_date, '%Y-%m'),
		CAST(count(*) AS VARCHAR) || ' rows, amount ' || CAST(CAST(sum(amount * 10000) AS HUGEINT) AS VARCHAR)
		FROM sales_out GROUP BY ALL`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	st := partitionStats{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			e.t.Fatal(err)
		}
		st[k] = v
	}
	return st
}

// icebergStats reads partitionStats from the Iceberg sales_out, at a snapshot (0:
// the current one).
func (e *env) icebergStats(snapshotID int64) partitionStats {
	e.t.Helper()
	var opts []table.ScanOption
	if snapshotID != 0 {
		opts = append(opts, table.WithSnapshotID(snapshotID))
	}
	tbl := e.load("sales_out")
	at, err := tbl.Scan(opts...).ToArrowTable(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	defer at.Release()
	type acc struct {
		n   int
		sum big.Int
	}
	accs := map[string]*acc{}
	tr := array.NewTableReader(at, 0)
	defer tr.Release()
	sc := at.Schema()
	col := func(name string) int {
		idx := sc.FieldIndices(name)
		if len(idx) != 1 {
			e.t.Fatalf("column %s: %v", name, idx)
		}
		return idx[0]
	}
	di, ii, ai := col("distributor"), col("invoice_date"), col("amount")
	if typ := sc.Field(ai).Type; typ.ID() != arrow.DECIMAL128 || typ.(*arrow.Decimal128Type).Scale != 4 {
		e.t.Fatalf("amount is %s, want decimal(18, 4)", typ)
	}
	for tr.Next() {
		rec := tr.RecordBatch()
		dist := rec.Column(di).(interface{ Value(int) string })
		date := rec.Column(ii).(*array.Date32)
		amount := rec.Column(ai).(*array.Decimal128)
		for i := range int(rec.NumRows()) {
			k := dist.Value(i) + " " + date.Value(i).ToTime().Format("2006-01")
			a := accs[k]
			if a == nil {
				a = &acc{}
				accs[k] = a
			}
			a.n++
			a.sum.Add(&a.sum, amount.Value(i).BigInt())
		}
	}
	st := partitionStats{}
	for k, a := range accs {
		st[k] = fmt.Sprintf("%d rows, amount %s", a.n, a.sum.String())
	}
	return st
}

func (e *env) same(what string, got, want partitionStats) {
	e.t.Helper()
	for k, w := range want {
		if got[k] != w {
			e.t.Errorf("%s: %s: got %q, want %q", what, k, got[k], w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			e.t.Errorf("%s: %s: %q should not be there", what, k, g)
		}
	}
}

// snapshots returns the table's snapshots, oldest first.
func (e *env) snapshots(name string) []table.Snapshot {
	return e.load(name).Metadata().Snapshots()
}

// Every table of the catalog has as many rows in Iceberg as in the warehouse.
func (e *env) sameCounts() {
	e.t.Helper()
	for _, t := range output.Catalog {
		var want int64
		if err := e.conn.QueryRowContext(e.ctx, "SELECT count(*) FROM ("+t.Query+")").Scan(&want); err != nil {
			e.t.Fatal(err)
		}
		tbl := e.load(t.Name)
		var got int64
		if tbl.CurrentSnapshot() != nil {
			at, err := tbl.Scan().ToArrowTable(e.ctx)
			if err != nil {
				e.t.Fatalf("%s: %v", t.Name, err)
			}
			got = at.NumRows()
			at.Release()
		}
		if got != want {
			e.t.Errorf("%s: %d rows in Iceberg, %d in the warehouse", t.Name, got, want)
		}
	}
}

// Appends across runs, a restatement, a run with nothing new and time travel, with the
// data in a folder and on S3 (in-process server), the catalog on PostgreSQL.
func TestRunsAppendRestateAndTimeTravel(t *testing.T) {
	for _, storage := range []string{"folder", "s3"} {
		t.Run(storage, func(t *testing.T) {
			e := newEnv(t, storage)

			// Run 1: ACME January and February, B&M January; scores as of 2026-02-01.
			e.addLines(1, "ACME", 1, 120)
			e.addLines(2, "ACME", 2, 80)
			e.addLines(3, `B&M "Süd"`, 1, 50)
			e.exec(`INSERT INTO partner_scores (as_of, partner_id, revenue_12m, units_12m, active_months_12m, loyalty, score, plan)
				SELECT DATE '2026-02-01', 'P' || i, i * 10.5, i, 3, 'loyal', 50 + i, 'retention' FROM range(40) t(i)`)
			e.write()
			e.same("run 1", e.icebergStats(0), e.duckStats())
			e.sameCounts()
			if n := len(e.snapshots("sales_out")); n != 1 {
				t.Fatalf("run 1: %d snapshots, want 1", n)
			}

			// Run 2: new partitions only (ACME March, B&M February): nothing is deleted.
			e.addLines(4, "ACME", 3, 60)
			e.addLines(5, `B&M "Süd"`, 2, 30)
			e.write()
			run2 := e.duckStats()
			e.same("run 2", e.icebergStats(0), run2)
			snaps := e.snapshots("sales_out")
			if len(snaps) != 2 {
				t.Fatalf("run 2: %d snapshots, want 2", len(snaps))
			}
			s2 := snaps[1]
			if got := s2.Summary.Properties["deleted-data-files"]; got != "" && got != "0" {
				t.Errorf("run 2 deleted %s data files: an append must not rewrite other partitions", got)
			}
			if got := s2.Summary.Properties[propRunID]; got != "2" {
				t.Errorf("run 2's snapshot has run id %q", got)
			}
			if n := len(e.snapshots("partner_scores")); n != 1 {
				t.Errorf("partner_scores did not change but has %d snapshots", n)
			}

			// Run 3: ACME restates January (replace_period): the old lines are superseded,
			// 90 new ones replace them.
			e.exec(`UPDATE lines SET superseded_by = 6 WHERE distributor = 'ACME' AND invoice_date < DATE '2026-02-01'`)
			e.addLines(6, "ACME", 1, 90)
			e.write()
			run3 := e.duckStats()
			if run3["ACME 2026-01"] == run2["ACME 2026-01"] || run3["ACME 2026-01"][:8] != "90 rows," {
				t.Fatalf("the test's restatement did not change ACME January: %q", run3["ACME 2026-01"])
			}
			e.same("run 3", e.icebergStats(0), run3)
			snaps = e.snapshots("sales_out")
			if len(snaps) != 3 {
				t.Fatalf("run 3: %d snapshots, want 3", len(snaps))
			}
			if got := snaps[2].Summary.Properties["deleted-data-files"]; got != "1" {
				t.Errorf("run 3 deleted %q data files, want 1 (ACME January's)", got)
			}
			if got := snaps[2].Summary.Properties["deleted-records"]; got != "120" {
				t.Errorf("run 3 deleted %q records, want ACME January's 120", got)
			}

			// Run 4: nothing changed: no snapshot anywhere.
			e.write()
			if n := len(e.snapshots("sales_out")); n != 3 {
				t.Errorf("run 4 changed nothing but sales_out has %d snapshots", n)
			}

			// Time travel: run 2's snapshot still reads as run 2's data.
			e.same("run 2's snapshot after run 4", e.icebergStats(s2.SnapshotID), run2)
			e.sameCounts()
		})
	}
}

// Two workers, each running a shard of the feeds with its own warehouse (ACME in one,
// B&M in the other), write sales_out to one Iceberg table, one after the other and at
// the same time: each replaces its own distributors' partitions only.
func TestShardsShareOneTable(t *testing.T) {
	a := newEnv(t, "folder")
	b := newEnv(t, "folder")
	b.out = a.out // the same catalog and warehouse
	a.out.Tables, b.out.Tables = []string{"sales_out"}, []string{"sales_out"}
	union := func() partitionStats {
		st := a.duckStats()
		for k, v := range b.duckStats() {
			st[k] = v
		}
		return st
	}
	a.addLines(1, "ACME", 1, 40)
	b.addLines(1, `B&M "Süd"`, 1, 30)
	a.write()
	b.write()
	a.same("after both shards", a.icebergStats(0), union())

	// ACME restates January while B&M adds February, concurrently.
	a.exec(`UPDATE lines SET superseded_by = 2 WHERE distributor = 'ACME'`)
	a.addLines(2, "ACME", 1, 25)
	b.addLines(2, `B&M "Süd"`, 2, 10)
	errs := make(chan error, 2)
	for i, e := range []*env{a, b} {
		go func() {
			_, err := e.out.Write(e.ctx, e.conn, output.Run{ID: int64(10 + i), Now: time.Now()})
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	a.same("after concurrent runs", a.icebergStats(0), union())
	// And once more each, after the race: still the union, nothing lost.
	a.write()
	b.write()
	a.same("after the next runs", a.icebergStats(0), union())
}

// DuckDB's types become the Iceberg types of exportExpr, values intact; a column
// added by a migration is added to the Iceberg table and filled for existing rows.
func TestTypesAndNewColumns(t *testing.T) {
	e := newEnv(t, "folder")
	e.exec(`CREATE TABLE types AS SELECT
		true AS b, CAST(7 AS TINYINT) AS ti, CAST(7 AS SMALLINT) AS si, 7 AS i, CAST(7 AS BIGINT) AS bi,
		CAST(7 AS UBIGINT) AS ubi, CAST(7 AS HUGEINT) AS hi, CAST(1.5 AS FLOAT) AS f, 2.5::DOUBLE AS d,
		CAST(1234567.8912 AS DECIMAL(18,4)) AS dec, DATE '2026-01-31' AS dt, TIMESTAMP '2026-01-31 10:11:12.123456' AS ts,
		TIMESTAMPTZ '2026-01-31 10:11:12+00' AS tstz, CAST('2026-01-31 10:11:12' AS TIMESTAMP_NS) AS tsns,
		TIME '10:11:12' AS tm, 'é =x' AS s, gen_random_uuid() AS u, INTERVAL 3 DAY AS iv, ['a', 'b'] AS l,
		{'k': 1} AS st, '\x00\x01'::BLOB AS bl, CAST(NULL AS VARCHAR) AS n`)
	tb := output.Table{Name: "types", Query: "SELECT * FROM types"}
	write := func(run int64) {
		stage := t.TempDir()
		cat, closeCat, err := e.out.open(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer closeCat()
		if err := ensureNamespace(e.ctx, cat, table.Identifier{"sales"}); err != nil {
			t.Fatal(err)
		}
		w := tableWriter{cat: cat, ident: table.Identifier{"sales", "types"}, t: tb, run: output.Run{ID: run}, stage: stage}
		if _, err := w.write(e.ctx, e.conn); err != nil {
			t.Fatal(err)
		}
	}
	write(1)
	want := map[string]string{"b": "boolean", "ti": "int", "si": "int", "i": "int", "bi": "long", "ubi": "decimal(38, 0)",
		"hi": "decimal(38, 0)", "f": "float", "d": "double", "dec": "decimal(18, 4)", "dt": "date", "ts": "timestamp",
		"tstz": "timestamptz", "tsns": "timestamp", "tm": "time", "s": "string", "u": "string", "iv": "string",
		"l": "string", "st": "string", "bl": "binary", "n": "string"}
	tbl := e.load("types")
	for name, typ := range want {
		f, ok := tbl.Schema().FindFieldByName(name)
		if !ok {
			t.Errorf("column %s is missing", name)
			continue
		}
		if f.Type.String() != typ {
			t.Errorf("%s: %s, want %s", name, f.Type, typ)
		}
		if f.Required {
			t.Errorf("%s is required: every column must be optional", name)
		}
	}
	got := e.readValues("types", "dec", "ts", "tstz", "s", "l", "st")
	for col, w := range map[string]string{"dec": "1234567.8912", "ts": "2026-01-31 10:11:12.123456", "tstz": "2026-01-31 10:11:12Z",
		"s": "é =x", "l": `["a","b"]`, "st": `{"k":1}`} {
		if got[col] != w {
			t.Errorf("%s reads back as %q, want %q", col, got[col], w)
		}
	}

	e.exec(`ALTER TABLE types ADD COLUMN region VARCHAR DEFAULT 'north'`)
	write(2)
	if got := e.readValues("types", "region")["region"]; got != "north" {
		t.Errorf("the new column reads back as %q", got)
	}
	if n := len(e.snapshots("types")); n != 2 {
		t.Errorf("%d snapshots, want 2", n)
	}

	// A column dropped in DuckDB stays in the Iceberg table, NULL in the new rows.
	e.exec(`ALTER TABLE types DROP COLUMN s`)
	e.exec(`UPDATE types SET region = 'south'`)
	write(3)
	if got := e.readValues("types", "region", "s"); got["region"] != "south" || got["s"] != "(null)" {
		t.Errorf("after dropping s: %v", got)
	}
}

// readValues reads the first row's values of cols from an Iceberg table, as text.
func (e *env) readValues(name string, cols ...string) map[string]string {
	e.t.Helper()
	at, err := e.load(name).Scan(table.WithSelectedFields(cols...)).ToArrowTable(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	defer at.Release()
	if at.NumRows() != 1 {
		e.t.Fatalf("%s: %d rows, want 1", name, at.NumRows())
	}
	got := map[string]string{}
	for i, f := range at.Schema().Fields() {
		c := at.Column(i).Data().Chunk(0)
		switch a := c.(type) {
		case *array.Decimal128:
			got[f.Name] = a.Value(0).ToString(f.Type.(*arrow.Decimal128Type).Scale)
		case *array.Timestamp:
			ts := a.Value(0).ToTime(arrow.Microsecond)
			if f.Type.(*arrow.TimestampType).TimeZone != "" {
				got[f.Name] = ts.UTC().Format("2006-01-02 15:04:05Z")
			} else {
				got[f.Name] = ts.Format("2006-01-02 15:04:05.999999")
			}
		default:
			got[f.Name] = c.ValueStr(0)
		}
	}
	return got
}
