package pipeline

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/salesout/salesout/pipeline/canon"
)

// The staging table holds one file's lines as text, one column per canonical field.
// Every format's parser fills it through a Stager; sql/normalise_lines.sql then types,
// validates and quarantines them the same way whatever the format.
var stageDDL = func() string {
	var b strings.Builder
	b.WriteString("CREATE TEMP TABLE IF NOT EXISTS stage_lines (line_no BIGINT, raw VARCHAR, error VARCHAR")
	for _, f := range canon.Fields {
		b.WriteString(", " + f + " VARCHAR")
	}
	b.WriteString(")")
	return b.String()
}()

// Stager appends staged lines through DuckDB's appender.
type Stager struct {
	app  *duckdb.Appender
	row  []driver.Value
	rows int64
}

// withStager empties the staging table, runs fill with a Stager on conn, and flushes.
func withStager(ctx context.Context, conn *sql.Conn, fill func(*Stager) error) (int64, error) {
	if _, err := conn.ExecContext(ctx, stageDDL); err != nil {
		return 0, fmt.Errorf("create staging table: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "DELETE FROM stage_lines"); err != nil {
		return 0, fmt.Errorf("empty staging table: %w", err)
	}
	var rows int64
	err := conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", "stage_lines")
		if err != nil {
			return fmt.Errorf("staging appender: %w", err)
		}
		s := &Stager{app: app, row: make([]driver.Value, 3+len(canon.Fields))}
		ferr := fill(s)
		cerr := app.Close()
		rows = s.rows
		if ferr != nil {
			return ferr
		}
		return cerr
	})
	return rows, err
}

// Append stages one line.
func (s *Stager) Append(l canon.Line) error {
	s.row[0] = l.LineNo
	s.row[1] = l.Raw
	if l.Err != "" {
		s.row[2] = l.Err
	} else {
		s.row[2] = nil
	}
	for i := range canon.Fields {
		if i < len(l.Fields) && l.Fields[i] != nil {
			s.row[3+i] = *l.Fields[i]
		} else {
			s.row[3+i] = nil
		}
	}
	s.rows++
	return s.app.AppendRow(s.row...)
}
