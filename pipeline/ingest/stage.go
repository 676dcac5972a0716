package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/salesout/salesout/pipeline/canon"
)

// The staging table holds a batch of one file's lines as text, one column per canonical
// field. Every format's parser fills it through a Stager; sql/normalise_lines.sql then
// types, validates and quarantines each batch the same way whatever the format.
var stageDDL = func() string {
	var b strings.Builder
	b.WriteString("CREATE TEMP TABLE IF NOT EXISTS stage_lines (line_no BIGINT, raw VARCHAR, error VARCHAR, report_id VARCHAR")
	for _, f := range canon.Fields {
		b.WriteString(", " + f + " VARCHAR")
	}
	b.WriteString(")")
	return b.String()
}()

// defaultStageBatch is the number of lines staged before a batch is normalised: large enough
// for DuckDB's parallel, vectorised work (smaller batches measured up to 2x
// slower inside the file's transaction), small enough to keep memory flat on any file size.
const defaultStageBatch = 500_000

// Stager appends canonical lines through DuckDB's appender and hands each full batch
// to flush.
type Stager struct {
	batch   int
	app     *duckdb.Appender
	row     []driver.Value
	pending int
	rows    int64
	flush   func() error
}

func newStager(dc driver.Conn, batch int, flush func() error) (*Stager, error) {
	app, err := duckdb.NewAppender(dc, "temp", "main", "stage_lines")
	if err != nil {
		return nil, fmt.Errorf("staging appender: %w", err)
	}
	if batch <= 0 {
		batch = defaultStageBatch
	}
	return &Stager{batch: batch, app: app, row: make([]driver.Value, 4+len(canon.Fields)), flush: flush}, nil
}

// Append stages one line.
func (s *Stager) Append(l canon.Line) error { return s.AppendIn(l, "") }

// AppendIn stages one line of an EDI report.
func (s *Stager) AppendIn(l canon.Line, report string) error {
	s.row[0] = l.LineNo
	s.row[1] = l.Raw
	if l.Err != "" {
		s.row[2] = l.Err
	} else {
		s.row[2] = nil
	}
	if report != "" {
		s.row[3] = report
	} else {
		s.row[3] = nil
	}
	for i := range canon.Fields {
		s.row[4+i] = nil
		if i < len(l.Fields) && l.Fields[i] != nil {
			// Trimmed here, once, for every format: the typing SQL takes empty as absent.
			if v := strings.TrimSpace(*l.Fields[i]); v != "" {
				s.row[4+i] = v
			}
		}
	}
	if err := s.app.AppendRow(s.row...); err != nil {
		return err
	}
	s.rows++
	if s.pending++; s.pending >= s.batch {
		return s.Flush()
	}
	return nil
}

// Flush hands the staged lines to the batch function.
func (s *Stager) Flush() error {
	if s.pending == 0 {
		return nil
	}
	if err := s.app.Flush(); err != nil {
		return fmt.Errorf("stage: %w", err)
	}
	s.pending = 0
	return s.flush()
}

func (s *Stager) close() error { return s.app.Close() }

// rawTx runs statements on the driver connection of a file's load, inside one explicit
// transaction that also holds the appender's rows (database/sql's Tx cannot share its
// connection with an appender).
type rawTx struct {
	ctx context.Context
	dc  driver.Conn
}

func namedValues(args []any) []driver.NamedValue {
	nv := make([]driver.NamedValue, len(args))
	for i, a := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return nv
}

func (t rawTx) exec(q string, args ...any) (int64, error) {
	res, err := t.dc.(driver.ExecerContext).ExecContext(t.ctx, q, namedValues(args))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ExecContext makes rawTx a warehouse.Execer, for the step files run inside a file's
// transaction.
func (t rawTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.dc.(driver.ExecerContext).ExecContext(ctx, q, namedValues(args))
}

// scan runs a one-row query and stores its columns into dest (*int64 or *string); a
// NULL leaves the destination as it is, a value of another type is an error.
func (t rawTx) scan(q string, args []any, dest ...any) error {
	rows, err := t.dc.(driver.QueryerContext).QueryContext(t.ctx, q, namedValues(args))
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]driver.Value, len(rows.Columns()))
	if err := rows.Next(vals); err != nil {
		if err == io.EOF {
			return nil
		}
		return err
	}
	for i, d := range dest {
		if vals[i] == nil {
			continue
		}
		ok := false
		switch p := d.(type) {
		case *int64:
			var v int64
			if v, ok = vals[i].(int64); ok {
				*p = v
			}
		case *string:
			var v string
			if v, ok = vals[i].(string); ok {
				*p = v
			}
		}
		if !ok {
			return fmt.Errorf("scan column %d: %T into %T", i+1, vals[i], d)
		}
	}
	return nil
}
