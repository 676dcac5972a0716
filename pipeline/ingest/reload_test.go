package ingest

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// reloadFixture is a warehouse in memory, a landing folder and one CSV feed.
type reloadFixture struct {
	t    *testing.T
	ctx  context.Context
	conn *sql.Conn
	in   *Ingest
	run  int64
}

func newReloadFixture(t *testing.T, feed config.Feed) *reloadFixture {
	t.Helper()
	ctx := context.Background()
	db, err := warehouse.Open(ctx, config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &reloadFixture{t: t, ctx: ctx, conn: conn,
		in: &Ingest{Feeds: []config.Feed{feed}, BaseCurrency: "EUR", Landing: Landing{Dir: t.TempDir()}}}
}

// receive stores content in the landing folder and records it pending, as fetch does.
func (f *reloadFixture) receive(name, content string, receivedAt time.Time) {
	f.t.Helper()
	st, err := f.in.Landing.Store(f.ctx, strings.NewReader(content), name)
	if err != nil {
		f.t.Fatal(err)
	}
	feed := f.in.Feeds[0]
	if _, err := f.conn.ExecContext(f.ctx, warehouse.Statement("ingest/record_fetched_file.sql"),
		feed.Name, feed.Distributor, "drop", name, st.Size, nil, "", st.SHA256, st.Rel, "pending", nil, receivedAt, 0); err != nil {
		f.t.Fatal(err)
	}
}

func (f *reloadFixture) setDateFormat(format string) {
	f.in.Feeds[0].CSV.DateFormat = format
}

func (f *reloadFixture) load() LoadResult {
	f.t.Helper()
	f.run++
	res, err := f.in.Load(f.ctx, f.conn, f.run)
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

func (f *reloadFixture) reload(opt ReloadOptions) (ReloadResult, error) {
	f.run++
	return f.in.Reload(f.ctx, f.conn, f.run, opt)
}

// query returns the first column of a one-row query as text.
func (f *reloadFixture) query(q string, args ...any) string {
	f.t.Helper()
	var s sql.NullString
	if err := f.conn.QueryRowContext(f.ctx, q, args...).Scan(&s); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	return s.String
}

func csvFeed(mode string) config.Feed {
	return config.Feed{Name: "acme", Distributor: "ACME", Format: "csv", Mode: mode,
		CSV: config.CSV{Delimiter: ";", DateFormat: "%m/%d/%Y"},
		Columns: map[string]string{"invoice_date": "date", "invoice_number": "invoice", "reseller_id": "account",
			"reseller_name": "company", "sku": "item", "quantity": "qty", "amount": "amount"},
		Defaults: map[string]string{"currency": "EUR"}}
}

const janFile = `date;invoice;account;company;item;qty;amount
05/01/2026;F1;C1;Alpha;SKU1;1;10
15/01/2026;F2;C2;Beta;SKU1;2;20
20/01/2026;F3;C1;Alpha;SKU2;3;30
07/01/2026;F4;C3;Gamma;SKU2;4;40
`

// A feed loaded with the wrong date format (days read as months) is repaired by a
// reload with the fixed format: every line once, with its right date, no quarantine
// left, and the history shows both loads with their settings.
func TestReloadFixesDateFormat(t *testing.T) {
	f := newReloadFixture(t, csvFeed("append"))
	f.receive("ACME_202601.csv", janFile, time.Date(2026, 2, 1, 6, 0, 0, 0, time.UTC))
	wrongPrint := f.in.Fingerprint(f.in.Feeds[0])
	if res := f.load(); res.Files != 1 || res.Lines != 2 || res.Quarantined != 2 {
		t.Fatalf("first load: %+v, want 1 file, 2 lines (misread), 2 quarantined", res)
	}
	if got := f.query(`SELECT string_agg(DISTINCT field, ',') FROM quarantine`); got != "invoice_date" {
		t.Fatalf("quarantined for %q, want invoice_date", got)
	}

	f.setDateFormat("%d/%m/%Y")
	res, err := f.reload(ReloadOptions{Feed: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	want := ReloadResult{Feed: "acme", Files: 1, Lines: 4, LinesBefore: 2, QuarantinedBefore: 2}
	if res != want {
		t.Errorf("reload: %+v, want %+v", res, want)
	}
	checks := []struct{ name, query, want string }{
		{"lines once, dated right", `SELECT string_agg(invoice_number || '@' || invoice_date, ',' ORDER BY line_no) FROM sales_out`,
			"F1@2026-01-05,F2@2026-01-15,F3@2026-01-20,F4@2026-01-07"},
		{"no line twice", `SELECT count(*) - count(DISTINCT line_id) FROM lines`, "0"},
		{"quarantine empty", `SELECT count(*) FROM quarantine`, "0"},
		{"ledger: the latest load", `SELECT status || ' ' || lines_loaded || '/' || lines_quarantined || ' run ' || run_id FROM files`, "loaded 4/0 run 2"},
		{"history: both loads", `SELECT string_agg(run_id || ':' || status || ' ' || lines_loaded || '/' || lines_quarantined, ',' ORDER BY run_id) FROM file_loads`,
			"1:loaded 2/2,2:loaded 4/0"},
		{"history: the settings of each", `SELECT string_agg(feed_fingerprint, ',' ORDER BY run_id) FROM file_loads`,
			wrongPrint + "," + f.in.Fingerprint(f.in.Feeds[0])},
	}
	for _, c := range checks {
		if got := f.query(c.query); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}

	// A second reload with the same settings changes nothing but the history.
	if res, err := f.reload(ReloadOptions{Feed: "acme"}); err != nil || res.Lines != 4 || res.LinesBefore != 4 {
		t.Errorf("second reload: %+v %v", res, err)
	}
	if got := f.query(`SELECT count(*) || ' ' || (SELECT count(*) FROM file_loads) FROM sales_out`); got != "4 3" {
		t.Errorf("after a second reload: lines and loads %q, want \"4 3\"", got)
	}
}

// A file whose lines were all quarantined (recorded failed) is retried by a reload too.
func TestReloadRetriesFailedFile(t *testing.T) {
	f := newReloadFixture(t, csvFeed("append"))
	f.setDateFormat("%Y-%m-%d")
	f.receive("ACME_202601.csv", janFile, time.Date(2026, 2, 1, 6, 0, 0, 0, time.UTC))
	if res := f.load(); res.Failed != 1 {
		t.Fatalf("first load: %+v, want the file failed", res)
	}
	f.setDateFormat("%d/%m/%Y")
	if res, err := f.reload(ReloadOptions{Feed: "acme"}); err != nil || res.Files != 1 || res.Lines != 4 || res.Quarantined != 0 {
		t.Fatalf("reload: %+v %v", res, err)
	}
	if got := f.query(`SELECT string_agg(status, ',' ORDER BY run_id) FROM file_loads`); got != "failed,loaded" {
		t.Errorf("history %q, want failed,loaded", got)
	}
	if got := f.query(`SELECT count(*) FROM quarantine`); got != "0" {
		t.Errorf("quarantine rows left: %s", got)
	}
}

// Lines a later restatement superseded stay superseded when only the earlier file is
// read again (--since selects it alone).
func TestReloadKeepsSuperseded(t *testing.T) {
	f := newReloadFixture(t, csvFeed("replace_period"))
	f.setDateFormat("%d/%m/%Y")
	f.receive("ACME_202601.csv", janFile, time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC))
	f.receive("ACME_202601_v2.csv", "date;invoice;account;company;item;qty;amount\n02/01/2026;G1;C1;Alpha;SKU1;5;50\n25/01/2026;G2;C2;Beta;SKU1;6;60\n",
		time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC))
	f.load()
	const current = `SELECT string_agg(invoice_number, ',' ORDER BY invoice_number) FROM sales_out`
	if got := f.query(current); got != "G1,G2" {
		t.Fatalf("before: sales_out %q, want the restatement's G1,G2", got)
	}
	res, err := f.reload(ReloadOptions{Feed: "acme", Since: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil || res.Files != 1 || res.Lines != 4 {
		t.Fatalf("reload of the first file: %+v %v", res, err)
	}
	if got := f.query(current); got != "G1,G2" {
		t.Errorf("after: sales_out %q, want G1,G2 (the first file's lines still superseded)", got)
	}
}

// Nothing changes when the feed is unknown or a landing copy is missing.
func TestReloadRefuses(t *testing.T) {
	f := newReloadFixture(t, csvFeed("append"))
	f.receive("ACME_202601.csv", janFile, time.Date(2026, 2, 1, 6, 0, 0, 0, time.UTC))
	f.load()
	if _, err := f.reload(ReloadOptions{Feed: "nope"}); err == nil || !strings.Contains(err.Error(), `feed "nope" is not in the config (feeds: acme)`) {
		t.Errorf("unknown feed: %v", err)
	}
	rel := f.query(`SELECT landing_path FROM files`)
	if err := os.Remove(f.in.Landing.Path(rel)); err != nil {
		t.Fatal(err)
	}
	f.setDateFormat("%d/%m/%Y")
	if _, err := f.reload(ReloadOptions{Feed: "acme"}); err == nil || !strings.Contains(err.Error(), "landing copy missing; nothing was reloaded") {
		t.Errorf("missing landing copy: %v", err)
	}
	if got := f.query(`SELECT count(*) || ' ' || (SELECT count(*) FROM quarantine) || ' ' || (SELECT count(*) FROM file_loads) FROM lines`); got != "2 2 1" {
		t.Errorf("after refusals: lines, quarantine, loads %q, want \"2 2 1\"", got)
	}
}

// Settings under which a loaded file cannot be read at all record it failed, and its
// earlier lines leave sales_out with the load they came from.
func TestReloadUnreadableFile(t *testing.T) {
	f := newReloadFixture(t, csvFeed("append"))
	f.setDateFormat("%d/%m/%Y")
	f.receive("ACME_202601.csv", janFile, time.Date(2026, 2, 1, 6, 0, 0, 0, time.UTC))
	f.load()
	f.in.Feeds[0].Columns["quantity"] = "Menge"
	res, err := f.reload(ReloadOptions{Feed: "acme"})
	if err != nil || res.Failed != 1 || res.Files != 0 || res.LinesBefore != 4 {
		t.Fatalf("reload: %+v %v", res, err)
	}
	checks := []struct{ name, query, want string }{
		{"no line left", `SELECT count(*) FROM lines`, "0"},
		{"the file's reason", `SELECT count(*) FILTER (WHERE line_no IS NULL AND reason LIKE '%"Menge"%') || '/' || count(*) FROM quarantine`, "1/1"},
		{"history", `SELECT string_agg(status, ',' ORDER BY run_id) FROM file_loads`, "loaded,failed"},
	}
	for _, c := range checks {
		if got := f.query(c.query); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
