// Package postgres reads a table from a PostgreSQL database: it runs one query in a
// read-only transaction and streams the rows as text. salesout reads the manufacturer's
// channel database (a reference table) from the CRM's database with it.
//
// Values come as PostgreSQL writes them, with a few made portable: numeric keeps its
// exact text (no float rounding), dates are YYYY-MM-DD, timestamps RFC 3339, booleans
// true and false. bytea is refused. The transaction runs with TimeZone UTC and DateStyle
// ISO, whatever the server's or the role's defaults.
//
// The read-only transaction makes PostgreSQL refuse writes, but it is no security
// boundary: functions such as pg_terminate_backend or dblink still run. Give the DSN's
// role SELECT on what the query reads and nothing more.
//
// It must not depend on the pipeline: the pipeline uses it.
package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgtype"
)

// DefaultConnectTimeout bounds connecting (TCP, TLS, authentication) when neither
// Options.ConnectTimeout nor the DSN's connect_timeout says otherwise.
const DefaultConnectTimeout = 15 * time.Second

// Options say where the table is and how to read it.
type Options struct {
	// DSN is a libpq connection string: a URL
	// (postgres://user:password@host:5432/crm?sslmode=verify-full) or key=value pairs
	// (host=crm.example.com dbname=crm user=salesout password=...). It is a secret:
	// never logged, never in an error (String and MarshalJSON redact it). What it
	// leaves out comes from libpq's environment variables (PGHOST, PGPASSWORD...) and
	// ~/.pgpass, as with psql.
	DSN string
	// Query is one SQL statement returning rows, typically a SELECT; no parameters.
	Query string
	// ConnectTimeout bounds connecting; zero means the DSN's connect_timeout if it
	// has one, else DefaultConnectTimeout (15 s).
	ConnectTimeout time.Duration
}

// String shows the options with the DSN's passwords masked.
func (o Options) String() string {
	return fmt.Sprintf("{DSN:%s Query:%q ConnectTimeout:%s}", RedactDSN(o.DSN), o.Query, o.ConnectTimeout)
}

// GoString is String, for %#v.
func (o Options) GoString() string { return "postgres.Options" + o.String() }

// MarshalJSON writes the options with the DSN's passwords masked, for structured logs.
func (o Options) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		DSN            string
		Query          string
		ConnectTimeout string
	}{RedactDSN(o.DSN), o.Query, o.ConnectTimeout.String()})
}

// Query runs opt.Query in a read-only transaction and streams the result to fn: first
// fn(columns, nil) with the column names (even when no row follows), then
// fn(nil, row) for each row, in the order PostgreSQL sends them, with each value as
// text or nil for NULL (see the package doc for the formats). fn owns what it is
// given. Rows are not held in memory: each is read from the connection when the
// previous call of fn has returned.
//
// An error from fn stops the query (it is canceled on the server) and is returned as
// it is. Any other error is an *Error whose Kind and message say what is wrong:
// unreachable server, authentication, unknown database, PostgreSQL's refusal of the
// query with its position, a write refused, a bytea column, the context canceled.
func Query(ctx context.Context, opt Options, fn func(columns []string, row []*string) error) error {
	c, err := open(ctx, opt, "query")
	if err != nil {
		return err
	}
	qctx, cancel := context.WithCancel(ctx)
	defer func() {
		cancel() // stops a query still running (a cancel request to the server)
		c.close()
	}()
	sd, err := c.describe(qctx, "query")
	if err != nil {
		return err
	}
	if len(sd.Fields) == 0 {
		return c.noColumns(qctx, sd, "query")
	}
	columns := make([]string, len(sd.Fields))
	for i, f := range sd.Fields {
		columns[i] = f.Name
	}
	if err := fn(columns, nil); err != nil {
		return err
	}
	rr := c.conn.ExecStatement(qctx, sd, nil, nil, []int16{pgtype.TextFormatCode})
	for n := 1; rr.NextRow(); n++ {
		if ctx.Err() != nil {
			break // rows already received are not handed out once the caller gave up
		}
		values := rr.Values()
		row := make([]*string, len(values))
		for i, v := range values {
			if v == nil {
				continue
			}
			s, err := textOf(sd.Fields[i].DataTypeOID, v)
			if err != nil {
				return c.unsupported("query", sd.Fields[i].Name, fmt.Sprintf("row %d, column %q: %v", n, sd.Fields[i].Name, err))
			}
			row[i] = &s
		}
		if err := fn(nil, row); err != nil {
			return err
		}
	}
	if _, err := rr.Close(); err != nil || ctx.Err() != nil {
		return c.fail(ctx, "query", errors.Join(err, ctx.Err()))
	}
	return nil
}

// Check connects, has PostgreSQL parse and plan opt.Query and runs it with LIMIT 0,
// in a read-only transaction, for `salesout validate`: it finds what Query would find
// before the first row (connection, authentication, database, SQL errors, missing
// privileges, bytea columns) without reading any row. A statement that cannot be
// wrapped in SELECT ... LIMIT 0 (INSERT ... RETURNING, SHOW) is run instead and
// stopped at its first row. The error is an *Error, as for Query.
func Check(ctx context.Context, opt Options) error {
	c, err := open(ctx, opt, "check")
	if err != nil {
		return err
	}
	qctx, cancel := context.WithCancel(ctx)
	defer func() {
		cancel()
		c.close()
	}()
	sd, err := c.describe(qctx, "check")
	if err != nil {
		return err
	}
	if len(sd.Fields) == 0 {
		return c.noColumns(qctx, sd, "check")
	}
	// A savepoint, to go on after the wrapped query failed.
	if _, err := c.conn.Exec(qctx, "SAVEPOINT salesout_check").ReadAll(); err != nil {
		return c.fail(ctx, "check", err)
	}
	body := strings.TrimRight(opt.Query, " \t\r\n;")
	const prefix = "SELECT * FROM (\n"
	_, err = c.conn.ExecParams(qctx, prefix+body+"\n) AS salesout_check LIMIT 0", nil, nil, nil, nil).Close()
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "42601" || pe.Code == "0A000") && ctx.Err() == nil {
		// It parsed alone but cannot be a subquery (INSERT ... RETURNING, a WITH that
		// writes, SHOW, a trailing comment...): run it as it is, up to its first row.
		if _, err := c.conn.Exec(qctx, "ROLLBACK TO SAVEPOINT salesout_check").ReadAll(); err != nil {
			return c.fail(ctx, "check", err)
		}
		if sd, err = c.describe(qctx, "check"); err != nil {
			return err
		}
		return c.firstRow(ctx, sd)
	}
	if pe != nil {
		// Positions refer to the wrapped query: bring them back to the user's.
		adjusted := *pe
		adjusted.Position -= int32(utf8.RuneCountInString(prefix))
		if adjusted.Position < 1 || int(adjusted.Position) > utf8.RuneCountInString(body) {
			adjusted.Position = 0
		}
		err = &adjusted
	}
	return c.fail(ctx, "check", err)
}

// conn is an open connection inside its read-only transaction.
type conn struct {
	conn *pgconn.PgConn
	target
}

// open parses the DSN, connects and begins the read-only transaction.
func open(ctx context.Context, opt Options, op string) (*conn, error) {
	cfg, err := pgconn.ParseConfig(opt.DSN)
	if err != nil {
		return nil, parseError(opt.DSN, err)
	}
	tg := target{addr: addrOf(cfg), database: cfg.Database, password: cfg.Password, query: opt.Query}
	if strings.TrimSpace(strings.Trim(strings.TrimSpace(opt.Query), ";")) == "" {
		return nil, &Error{Op: op, Addr: tg.addr, Database: tg.database, Kind: KindSQL, msg: "the query is empty"}
	}
	switch {
	case opt.ConnectTimeout > 0:
		cfg.ConnectTimeout = opt.ConnectTimeout
	case cfg.ConnectTimeout == 0:
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	// Only parameters that poolers such as PgBouncer accept go in the startup
	// message; the rest is set inside the transaction (SET LOCAL).
	cfg.RuntimeParams["client_encoding"] = "UTF8"
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "salesout"
	}
	// A canceled context cancels the statement on the server too, and gives up on
	// the connection 2 s later if the server does not answer.
	cfg.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: pc, DeadlineDelay: 2 * time.Second}
	}
	pc, err := pgconn.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, tg.fail(ctx, "connect", err)
	}
	c := &conn{conn: pc, target: tg}
	if _, err := pc.Exec(ctx, beginSQL).ReadAll(); err != nil {
		c.close()
		return nil, tg.fail(ctx, op, err)
	}
	return c, nil
}

// beginSQL starts the read-only transaction with the settings that textOf expects:
// ISO dates, UTC for timestamptz, the shortest exact text of floats.
const beginSQL = `BEGIN TRANSACTION READ ONLY;
SET LOCAL DateStyle = 'ISO, YMD';
SET LOCAL TimeZone = 'UTC';
SET LOCAL IntervalStyle = 'postgres';
SET LOCAL extra_float_digits = 1`

// close ends the session; the transaction, read-only, is simply dropped.
func (c *conn) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c.conn.Close(ctx)
}

// describe has PostgreSQL parse and analyse the query (without running it) and
// refuses what Query cannot deliver: parameters and bytea columns.
func (c *conn) describe(ctx context.Context, op string) (*pgconn.StatementDescription, error) {
	sd, err := c.conn.Prepare(ctx, "", c.query, nil)
	if err != nil {
		return nil, c.fail(ctx, op, err)
	}
	if len(sd.ParamOIDs) > 0 {
		return nil, &Error{Op: op, Addr: c.addr, Database: c.database, Kind: KindSQL,
			msg: fmt.Sprintf("the query has %d parameter(s) ($1...): none can be given; write the values into the query", len(sd.ParamOIDs))}
	}
	for _, f := range sd.Fields {
		if f.DataTypeOID == pgtype.ByteaOID || f.DataTypeOID == pgtype.ByteaArrayOID {
			return nil, c.unsupported(op, f.Name, fmt.Sprintf("column %q is bytea (binary data), which is not read: leave it out of the query, or convert it, e.g. encode(%s, 'hex')", f.Name, quoteIdent(f.Name)))
		}
	}
	return sd, nil
}

// noColumns runs a statement that returns no columns (the read-only transaction
// refuses it if it writes) and refuses it otherwise: there is no table to read.
func (c *conn) noColumns(ctx context.Context, sd *pgconn.StatementDescription, op string) error {
	if _, err := c.conn.ExecStatement(ctx, sd, nil, nil, nil).Close(); err != nil {
		return c.fail(ctx, op, err)
	}
	return c.unsupported(op, "", "the query returns no columns: it must be a SELECT (or VALUES, TABLE, WITH ... SELECT)")
}

// firstRow runs the statement until its first row, for Check.
func (c *conn) firstRow(ctx context.Context, sd *pgconn.StatementDescription) error {
	qctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rr := c.conn.ExecStatement(qctx, sd, nil, nil, []int16{pgtype.TextFormatCode})
	if rr.NextRow() {
		cancel() // enough: the statement runs
		rr.Close()
		if ctx.Err() != nil {
			return c.fail(ctx, "check", ctx.Err())
		}
		return nil
	}
	_, err := rr.Close()
	return c.fail(ctx, "check", err)
}

// unsupported is a KindUnsupported error about column (may be empty).
func (c *conn) unsupported(op, column, msg string) error {
	return &Error{Op: op, Addr: c.addr, Database: c.database, Kind: KindUnsupported, Column: column, msg: msg}
}

// textOf turns PostgreSQL's text output of a value of type oid into ours (see the
// package doc).
func textOf(oid uint32, v []byte) (string, error) {
	s := string(v)
	switch oid {
	case pgtype.BoolOID:
		switch s {
		case "t":
			return "true", nil
		case "f":
			return "false", nil
		}
		return "", fmt.Errorf("boolean %q not understood", s)
	case pgtype.DateOID:
		if s == "infinity" || s == "-infinity" {
			return s, nil
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return "", fmt.Errorf("date %q cannot be written as YYYY-MM-DD (years 1 to 9999 only)", s)
		}
		return s, nil
	case pgtype.TimestampOID:
		if s == "infinity" || s == "-infinity" {
			return s, nil
		}
		t, err := time.Parse("2006-01-02 15:04:05.999999999", s)
		if err != nil {
			return "", fmt.Errorf("timestamp %q cannot be written as RFC 3339 (years 1 to 9999 only)", s)
		}
		// No time zone: RFC 3339's date-time without an offset, as PostgreSQL has none.
		return t.Format("2006-01-02T15:04:05.999999999"), nil
	case pgtype.TimestamptzOID:
		if s == "infinity" || s == "-infinity" {
			return s, nil
		}
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07", "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999-07:00:00"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC().Format(time.RFC3339Nano), nil
			}
		}
		return "", fmt.Errorf("timestamp %q cannot be written as RFC 3339 (years 1 to 9999 only)", s)
	}
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("value is not valid UTF-8 (the database's encoding is not UTF8?)")
	}
	return s, nil
}

// quoteIdent quotes a column name for the hint of an error message.
func quoteIdent(name string) string {
	simple := name != ""
	for i, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			simple = false
		}
	}
	if simple {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
