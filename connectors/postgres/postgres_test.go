package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/salesout/salesout/connectors/connectortest"
	"github.com/salesout/salesout/connectors/postgres"
)

// One PostgreSQL server for the whole binary: starting one takes a second or two.
func TestMain(m *testing.M) { os.Exit(connectortest.SharePostgres(m)) }

// null stands for NULL in expected rows.
const null = "\x00NULL"

// setup runs statements as the database's owner.
func setup(t *testing.T, dsn string, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := pgconn.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	if _, err := c.Exec(ctx, sql).ReadAll(); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// scalar runs a query returning one value as the database's owner.
func scalar(t *testing.T, dsn string, sql string) string {
	t.Helper()
	var got string
	err := postgres.Query(context.Background(), postgres.Options{DSN: dsn, Query: sql}, func(_ []string, row []*string) error {
		if row != nil && row[0] != nil {
			got = *row[0]
		}
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return got
}

// collect runs Query and gathers what fn was given, NULL as null; it checks the
// order of the calls: the columns once, first, then rows only.
func collect(t *testing.T, ctx context.Context, opt postgres.Options) ([]string, [][]string, error) {
	t.Helper()
	var cols []string
	var rows [][]string
	calls := 0
	err := postgres.Query(ctx, opt, func(columns []string, row []*string) error {
		calls++
		switch {
		case calls == 1 && (columns == nil || row != nil):
			t.Errorf("first call: columns %v, row %v; want the columns alone", columns, row)
		case calls > 1 && (columns != nil || row == nil):
			t.Errorf("call %d: columns %v, row %v; want a row alone", calls, columns, row)
		}
		if calls == 1 {
			cols = columns
			return nil
		}
		r := make([]string, len(row))
		for i, v := range row {
			r[i] = null
			if v != nil {
				r[i] = *v
			}
		}
		rows = append(rows, r)
		return nil
	})
	return cols, rows, err
}

// passwordOf is the password in a URL DSN.
func passwordOf(t *testing.T, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	pw, ok := u.User.Password()
	if !ok || pw == "" {
		t.Fatalf("DSN has no password")
	}
	return pw
}

// withURL returns dsn changed by edit.
func withURL(t *testing.T, dsn string, edit func(u *url.URL)) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	edit(u)
	return u.String()
}

// checkSafe fails when an error's message shows the password or the DSN.
func checkSafe(t *testing.T, err error, dsn string) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	pw := passwordOf(t, dsn)
	for _, secret := range []string{pw, url.QueryEscape(pw), dsn} {
		if strings.Contains(msg, secret) {
			t.Errorf("error shows a secret (%q): %s", secret, msg)
		}
	}
	for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), pw) {
			t.Errorf("wrapped error shows the password: %s", e)
		}
	}
	var ce *pgconn.ConnectError
	var pce *pgconn.ParseConfigError
	if errors.As(err, &ce) || errors.As(err, &pce) {
		t.Errorf("the error wraps pgconn's config or DSN (%T)", err)
	}
	if s := fmt.Sprintf("%+v %#v", err, err); strings.Contains(s, pw) {
		t.Errorf("formatting the error shows the password: %s", s)
	}
}

func TestQueryValues(t *testing.T) {
	dsn := connectortest.Postgres(t)
	setup(t, dsn, `
CREATE TABLE channel (
	id        int PRIMARY KEY,
	"Société" text,
	revenue   numeric(18,2),
	since     date,
	active    boolean,
	seen      timestamp,
	seen_tz   timestamptz,
	score     double precision
);
INSERT INTO channel VALUES
	(1, 'Müller & Söhne GmbH', 1234567890123456.78, '2024-02-29', true, '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05+02', 0.1),
	(2, '株式会社 東京 🚚', 0.10, '0001-01-01', false, '2024-01-02 00:00:00', '2024-07-01 12:00:00.5-07:30', 1e300),
	(3, NULL, -9999999999999999.99, NULL, NULL, NULL, NULL, NULL),
	(4, '', 0.01, 'infinity', true, '9999-12-31 23:59:59.999999', '-infinity', -0.5);
`)
	cases := []struct {
		name  string
		query string
		cols  []string
		rows  [][]string
	}{
		{"nulls", `SELECT NULL::text AS a, 1 AS b UNION ALL SELECT 'x', NULL ORDER BY b NULLS LAST`,
			[]string{"a", "b"}, [][]string{{null, "1"}, {"x", null}}},
		{"numeric exact", `SELECT id, revenue, sum(revenue) OVER () AS total FROM channel ORDER BY id`,
			[]string{"id", "revenue", "total"}, [][]string{
				{"1", "1234567890123456.78", "-8765432109876543.10"},
				{"2", "0.10", "-8765432109876543.10"},
				{"3", "-9999999999999999.99", "-8765432109876543.10"},
				{"4", "0.01", "-8765432109876543.10"},
			}},
		{"numeric beyond float", `SELECT 12345678901234567890.123456789::numeric AS n, 0.1::float8 + 0.2::float8 AS f, 1e300::float8 AS big`,
			[]string{"n", "f", "big"}, [][]string{{"12345678901234567890.123456789", "0.30000000000000004", "1e+300"}}},
		{"unicode names", `SELECT id, "Société", 'Ünïcødé ✓' AS "Chiffre d'affaires €" FROM channel WHERE id IN (1, 2, 4) ORDER BY id`,
			[]string{"id", "Société", "Chiffre d'affaires €"}, [][]string{
				{"1", "Müller & Söhne GmbH", "Ünïcødé ✓"},
				{"2", "株式会社 東京 🚚", "Ünïcødé ✓"},
				{"4", "", "Ünïcødé ✓"},
			}},
		{"dates and times", `SELECT id, since, seen, seen_tz FROM channel ORDER BY id`,
			[]string{"id", "since", "seen", "seen_tz"}, [][]string{
				{"1", "2024-02-29", "2024-01-02T03:04:05.123456", "2024-01-02T01:04:05Z"},
				{"2", "0001-01-01", "2024-01-02T00:00:00", "2024-07-01T19:30:00.5Z"},
				{"3", null, null, null},
				{"4", "infinity", "9999-12-31T23:59:59.999999", "-infinity"},
			}},
		{"booleans", `SELECT active FROM channel ORDER BY id`,
			[]string{"active"}, [][]string{{"true"}, {"false"}, {null}, {"true"}}},
		{"other types as PostgreSQL writes them", `SELECT '{"a": [1, 2]}'::jsonb AS j, ARRAY[1,2] AS arr, '1 day 02:00'::interval AS i, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u, 42::bigint AS n`,
			[]string{"j", "arr", "i", "u", "n"}, [][]string{{`{"a": [1, 2]}`, "{1,2}", "1 day 02:00:00", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "42"}}},
		{"no rows", `SELECT id, "Société" FROM channel WHERE false`, []string{"id", "Société"}, nil},
		{"trailing semicolon and comment", "SELECT 1 AS one; -- the end", []string{"one"}, [][]string{{"1"}}},
		{"CTE", `WITH c AS (SELECT id FROM channel WHERE id < 3) SELECT count(*) AS n FROM c`, []string{"n"}, [][]string{{"2"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cols, rows, err := collect(t, context.Background(), postgres.Options{DSN: dsn, Query: tc.query})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(cols) != fmt.Sprint(tc.cols) {
				t.Errorf("columns %q, want %q", cols, tc.cols)
			}
			if fmt.Sprintf("%q", rows) != fmt.Sprintf("%q", tc.rows) {
				t.Errorf("rows\n%q\nwant\n%q", rows, tc.rows)
			}
			if err := postgres.Check(context.Background(), postgres.Options{DSN: dsn, Query: tc.query}); err != nil {
				t.Errorf("Check: %v", err)
			}
		})
	}
}

func TestQueryStreams100kRowsInBoundedMemory(t *testing.T) {
	dsn := connectortest.Postgres(t)
	const n, width = 100_000, 1000 // 100 MB of text in all
	query := fmt.Sprintf(`SELECT i AS id, 'partner ' || i AS name, (i * 0.01)::numeric(18,2) AS amount, repeat('x', %d) AS pad
		FROM generate_series(1, %d) AS i ORDER BY i`, width, n)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, ms.HeapAlloc
	count, total := 0, 0
	start := time.Now()
	err := postgres.Query(context.Background(), postgres.Options{DSN: dsn, Query: query}, func(cols []string, row []*string) error {
		if row == nil {
			if want := "[id name amount pad]"; fmt.Sprint(cols) != want {
				t.Errorf("columns %v, want %s", cols, want)
			}
			return nil
		}
		count++
		if got := *row[0]; got != strconv.Itoa(count) {
			return fmt.Errorf("row %d has id %s", count, got)
		}
		if want := fmt.Sprintf("%d.%02d", count/100, count%100); *row[2] != want {
			return fmt.Errorf("row %d: amount %s, want %s", count, *row[2], want)
		}
		for _, v := range row {
			total += len(*v)
		}
		if count%5000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count != n {
		t.Fatalf("%d rows, want %d", count, n)
	}
	grew := int64(peak) - int64(base)
	t.Logf("%d rows, %d MB of values in %s; heap grew by at most %d MB", count, total>>20, time.Since(start).Round(time.Millisecond), grew>>20)
	if total < n*width {
		t.Fatalf("only %d bytes of values", total)
	}
	if limit := int64(32 << 20); grew > limit {
		t.Errorf("heap grew by %d MB while streaming %d MB: rows are held in memory", grew>>20, total>>20)
	}
}

func TestQueryErrors(t *testing.T) {
	dsn := connectortest.Postgres(t)
	setup(t, dsn, `
CREATE TABLE channel (id int PRIMARY KEY, name text, logo bytea);
INSERT INTO channel VALUES (1, 'a', '\x00ff'), (2, 'b', NULL);
CREATE SEQUENCE seq;
CREATE TABLE secret (x int);
REVOKE ALL ON secret FROM salesout;
`)
	cases := []struct {
		name  string
		query string
		kind  postgres.Kind
		want  []string // in the message
		check bool     // Check finds it too (before any row)
	}{
		{"unknown table", "SELECT id,\n  name FROM nope", postgres.KindSQL,
			[]string{`relation "nope" does not exist`, "SQLSTATE 42P01", "line 2, column 13", `near "nope"`}, true},
		{"syntax error", "SELECT id FORM channel", postgres.KindSQL,
			[]string{`syntax error at or near "channel"`, "SQLSTATE 42601", "line 1, column 16"}, true},
		{"unknown column", "SELECT nme FROM channel", postgres.KindSQL,
			[]string{`column "nme" does not exist`, "line 1, column 8", "hint:"}, true},
		{"error while running", "SELECT 10 / (id - 2) FROM channel ORDER BY id", postgres.KindSQL,
			[]string{"division by zero", "SQLSTATE 22012"}, false},
		{"insert", "INSERT INTO channel (id, name) VALUES (3, 'c')", postgres.KindReadOnly,
			[]string{"cannot execute INSERT in a read-only transaction", "SQLSTATE 25006"}, true},
		{"insert returning", "INSERT INTO channel (id, name) VALUES (3, 'c') RETURNING id", postgres.KindReadOnly,
			[]string{"cannot execute INSERT in a read-only transaction"}, true},
		{"update in a CTE", "WITH u AS (UPDATE channel SET name = 'z' RETURNING id) SELECT * FROM u", postgres.KindReadOnly,
			[]string{"in a read-only transaction", "SQLSTATE 25006"}, true},
		{"delete", "DELETE FROM channel", postgres.KindReadOnly, []string{"cannot execute DELETE in a read-only transaction"}, true},
		{"create table", "CREATE TABLE t2 AS SELECT 1 AS x", postgres.KindReadOnly, []string{"read-only transaction"}, true},
		{"nextval", "SELECT nextval('seq')", postgres.KindReadOnly, []string{"cannot execute nextval() in a read-only transaction"}, false},
		{"commit escapes nothing", "COMMIT", postgres.KindUnsupported, []string{"returns no columns"}, true},
		{"two statements", "SELECT 1; DELETE FROM channel", postgres.KindSQL, []string{"cannot insert multiple commands into a prepared statement"}, true},
		{"bytea", "SELECT id, logo FROM channel", postgres.KindUnsupported, []string{`column "logo" is bytea`, "encode(logo, 'hex')"}, true},
		{"bytea array", `SELECT ARRAY[logo] AS "Logos" FROM channel`, postgres.KindUnsupported, []string{`column "Logos" is bytea`, `encode("Logos", 'hex')`}, true},
		{"permission", "SELECT * FROM secret", postgres.KindPermission, []string{"permission denied for table secret"}, true},
		{"parameters", "SELECT * FROM channel WHERE id = $1", postgres.KindSQL, []string{"1 parameter(s)"}, true},
		{"empty", " ; ", postgres.KindSQL, []string{"the query is empty"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rows := 0
			err := postgres.Query(context.Background(), postgres.Options{DSN: dsn, Query: tc.query}, func(_ []string, row []*string) error {
				if row != nil {
					rows++
				}
				return nil
			})
			expectError(t, err, tc.kind, tc.want, dsn)
			if err != nil && !strings.HasPrefix(err.Error(), "postgres 127.0.0.1:") {
				t.Errorf("the message does not name the server: %s", err)
			}
			err = postgres.Check(context.Background(), postgres.Options{DSN: dsn, Query: tc.query})
			if tc.check {
				expectError(t, err, tc.kind, tc.want, dsn)
			} else if err != nil {
				t.Errorf("Check: %v; want no error (LIMIT 0 reads no row)", err)
			}
		})
	}
	// Nothing was written.
	if got := scalar(t, dsn, "SELECT count(*) || ' ' || string_agg(name, ',' ORDER BY id) || ' ' || (SELECT count(*) FROM pg_class WHERE relname = 't2') FROM channel"); got != "2 a,b 0" {
		t.Errorf("table changed: %s", got)
	}
	if got := scalar(t, dsn, "SELECT last_value || ' ' || is_called FROM seq"); got != "1 false" {
		t.Errorf("sequence changed: %s", got)
	}
}

// expectError checks an error's type, kind, message, and that it shows no secret.
func expectError(t *testing.T, err error, kind postgres.Kind, want []string, dsn string) {
	t.Helper()
	var pe *postgres.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want a *postgres.Error", err, err)
	}
	if pe.Kind != kind {
		t.Errorf("kind %s, want %s: %v", pe.Kind, kind, err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("message lacks %q: %v", w, err)
		}
	}
	checkSafe(t, err, dsn)
}

func TestConnectErrors(t *testing.T) {
	dsn := connectortest.Postgres(t)
	pw := passwordOf(t, dsn)
	closed := connectortest.ClosedAddr(t)
	cases := []struct {
		name string
		dsn  string
		kind postgres.Kind
		want []string
	}{
		{"closed port", withURL(t, dsn, func(u *url.URL) { u.Host = closed }), postgres.KindRefused,
			[]string{"postgres " + closed + ": connection refused"}},
		{"closed port, key=value", fmt.Sprintf("host=127.0.0.1 port=%s user=salesout password='%s' dbname=x sslmode=disable", closed[strings.LastIndex(closed, ":")+1:], pw),
			postgres.KindRefused, []string{"postgres " + closed + ": connection refused"}},
		{"wrong password", withURL(t, dsn, func(u *url.URL) { u.User = url.UserPassword(connectortest.PostgresRole, pw+"-wrong") }), postgres.KindAuth,
			[]string{"authentication refused", `password authentication failed for user "salesout"`, "SQLSTATE 28P01"}},
		{"unknown user", withURL(t, dsn, func(u *url.URL) { u.User = url.UserPassword("nobody", pw) }), postgres.KindAuth,
			[]string{`password authentication failed for user "nobody"`}},
		{"no password", withURL(t, dsn, func(u *url.URL) { u.User = url.User(connectortest.PostgresRole) }), postgres.KindAuth,
			[]string{"authentication refused"}},
		{"unknown database", withURL(t, dsn, func(u *url.URL) { u.Path = "/nocrm" }), postgres.KindNoDatabase,
			[]string{`database "nocrm" does not exist`}},
		{"TLS required, server has none", withURL(t, dsn, func(u *url.URL) { u.RawQuery = "sslmode=require" }), postgres.KindTLS,
			[]string{"TLS"}},
		{"invalid DSN", strings.Replace(dsn, "127.0.0.1:", "127.0.0.1:notaport", 1), postgres.KindDSN,
			[]string{"invalid DSN", "xxxxx"}},
		{"invalid key=value DSN", "host=127.0.0.1 password='" + pw + "' port=abc", postgres.KindDSN,
			[]string{"invalid DSN", "password=xxxxx"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			called := false
			err := postgres.Query(ctx, postgres.Options{DSN: tc.dsn, Query: "SELECT 1", ConnectTimeout: 10 * time.Second}, func([]string, []*string) error {
				called = true
				return nil
			})
			if called {
				t.Error("fn was called")
			}
			expectError(t, err, tc.kind, tc.want, dsn)
			if strings.Contains(err.Error(), pw) || strings.Contains(err.Error(), tc.dsn) {
				t.Errorf("message shows the password or the DSN: %v", err)
			}
			t.Log(err)
			err = postgres.Check(ctx, postgres.Options{DSN: tc.dsn, Query: "SELECT 1"})
			expectError(t, err, tc.kind, tc.want, dsn)
		})
	}
}

func TestConnectTimeout(t *testing.T) {
	dsn := connectortest.Postgres(t)
	// A server that accepts connections and never answers.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	start := time.Now()
	err = postgres.Check(context.Background(), postgres.Options{
		DSN: withURL(t, dsn, func(u *url.URL) { u.Host = l.Addr().String() }), Query: "SELECT 1", ConnectTimeout: 300 * time.Millisecond})
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %s with a 300 ms connect timeout", d)
	}
	expectError(t, err, postgres.KindTimeout, []string{"postgres " + l.Addr().String() + ": timed out"}, dsn)
	t.Log(err)
}

func TestCancel(t *testing.T) {
	dsn := connectortest.Postgres(t)
	running := func() string {
		return scalar(t, dsn, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(3%' AND pid <> pg_backend_pid()")
	}

	t.Run("slow query", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(300*time.Millisecond, cancel)
		start := time.Now()
		err := postgres.Query(ctx, postgres.Options{DSN: dsn, Query: "SELECT pg_sleep(30) AS s"}, func([]string, []*string) error { return nil })
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("cancel took %s", d)
		}
		expectError(t, err, postgres.KindCanceled, []string{"canceled"}, dsn)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("not context.Canceled: %v", err)
		}
		// The statement was canceled on the server too.
		deadline := time.Now().Add(5 * time.Second)
		for running() != "0" {
			if time.Now().After(deadline) {
				t.Fatal("the query still runs on the server")
			}
			time.Sleep(50 * time.Millisecond)
		}
	})

	t.Run("while streaming", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		rows := 0
		var canceled time.Time
		err := postgres.Query(ctx, postgres.Options{DSN: dsn, Query: "SELECT i FROM generate_series(1, 5000000) AS i"}, func(_ []string, row []*string) error {
			if row != nil {
				rows++
				if rows == 10 {
					canceled = time.Now()
					cancel()
				}
			}
			return nil
		})
		if d := time.Since(canceled); d > 3*time.Second {
			t.Errorf("cancel took %s", d)
		}
		expectError(t, err, postgres.KindCanceled, []string{"canceled"}, dsn)
		if rows != 10 {
			t.Errorf("%d rows after cancel at the 10th", rows)
		}
	})

	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		err := postgres.Check(ctx, postgres.Options{DSN: dsn, Query: "SELECT pg_sleep(30) AS s"})
		// LIMIT 0 does not run pg_sleep: Check passes quickly or meets the deadline.
		if err != nil {
			expectError(t, err, postgres.KindCanceled, []string{"deadline"}, dsn)
		}
		err = postgres.Query(ctx, postgres.Options{DSN: dsn, Query: "SELECT pg_sleep(30) AS s"}, func([]string, []*string) error { return nil })
		expectError(t, err, postgres.KindCanceled, []string{"deadline"}, dsn)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("not context.DeadlineExceeded: %v", err)
		}
	})

	t.Run("already canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := postgres.Query(ctx, postgres.Options{DSN: dsn, Query: "SELECT 1"}, func([]string, []*string) error { return nil })
		expectError(t, err, postgres.KindCanceled, nil, dsn)
	})

	t.Run("fn's error stops the query", func(t *testing.T) {
		stop := errors.New("enough")
		rows := 0
		var stopped time.Time
		err := postgres.Query(context.Background(), postgres.Options{DSN: dsn, Query: "SELECT i FROM generate_series(1, 5000000) AS i"}, func(_ []string, row []*string) error {
			if row != nil {
				if rows++; rows == 3 {
					stopped = time.Now()
					return stop
				}
			}
			return nil
		})
		if err != stop {
			t.Errorf("error %v, want fn's own", err)
		}
		if d := time.Since(stopped); d > 3*time.Second {
			t.Errorf("stopping took %s", d)
		}
	})
	deadline := time.Now().Add(5 * time.Second)
	for scalar(t, dsn, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%generate_series(1, 5%' AND pid <> pg_backend_pid()") != "0" {
		if time.Now().After(deadline) {
			t.Fatal("a canceled query still runs on the server")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestCheckReadsNoRow(t *testing.T) {
	dsn := connectortest.Postgres(t)
	// Query fails at the 5th row; Check runs it with LIMIT 0 and passes.
	q := "SELECT 100 / (5 - i) AS x FROM generate_series(1, 10) AS i"
	if err := postgres.Check(context.Background(), postgres.Options{DSN: dsn, Query: q}); err != nil {
		t.Fatalf("Check: %v", err)
	}
	_, rows, err := collect(t, context.Background(), postgres.Options{DSN: dsn, Query: q})
	if err == nil || len(rows) != 4 {
		t.Fatalf("Query: %d rows, error %v; want 4 rows then division by zero", len(rows), err)
	}
	// A statement that cannot be a subquery is run up to its first row.
	if err := postgres.Check(context.Background(), postgres.Options{DSN: dsn, Query: "SHOW TimeZone"}); err != nil {
		t.Errorf("Check SHOW: %v", err)
	}
	if got := scalar(t, dsn, "SHOW TimeZone"); got != "UTC" {
		t.Errorf("session TimeZone %s, want UTC", got)
	}
}

func TestRedactDSN(t *testing.T) {
	cases := []struct{ in, want string }{
		{"postgres://u:s3cret@db.example.com:5432/crm?sslmode=require", "postgres://u:xxxxx@db.example.com:5432/crm?sslmode=require"},
		{"postgresql://u:p%40ss@db/crm", "postgresql://u:xxxxx@db/crm"},
		{"postgres://u:p@ss/w?rd@db/crm", "postgres://u:xxxxx@db/crm"},
		{"postgres://u@db/crm?password=s3cret&sslmode=disable", "postgres://u@db/crm?password=xxxxx&sslmode=disable"},
		{"postgres://db/crm?sslpassword=k3y&PassWord=s3cret", "postgres://db/crm?sslpassword=xxxxx&PassWord=xxxxx"},
		{"postgres://db/crm?pass%77ord=s3cret", "postgres://db/crm?pass%77ord=xxxxx"},
		{"POSTGRES://u:s3cret@db/crm", "POSTGRES://u:xxxxx@db/crm"},
		{"postgres://u@db/crm", "postgres://u@db/crm"},
		{"host=db user=u password=s3cret dbname=crm", "host=db user=u password=xxxxx dbname=crm"},
		{"host=db password = 's3 c\\'ret' dbname=crm", "host=db password = xxxxx dbname=crm"},
		{"host=db PASSWORD='unterminated s3cret", "host=db PASSWORD=xxxxx"},
		{"host=db sslpassword=k3y", "host=db sslpassword=xxxxx"},
		{"host=db dbname=crm", "host=db dbname=crm"},
	}
	for _, tc := range cases {
		if got := postgres.RedactDSN(tc.in); got != tc.want {
			t.Errorf("RedactDSN(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestOptionsNeverShowThePassword(t *testing.T) {
	o := postgres.Options{DSN: "postgres://u:s3cret@db/crm", Query: "SELECT 1"}
	j, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprint(o), fmt.Sprintf("%+v", o), fmt.Sprintf("%#v", o), fmt.Sprintf("%v", &o), string(j)} {
		if strings.Contains(s, "s3cret") || !strings.Contains(s, "postgres://u:xxxxx@db/crm") {
			t.Errorf("shows the password or no DSN: %s", s)
		}
	}
}
