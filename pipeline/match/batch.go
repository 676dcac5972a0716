package match

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/salesout/salesout/pipeline/warehouse"
)

// batch inserts rows into a table with multi-row INSERTs of bound values.
type batch struct {
	ctx   context.Context
	tx    *sql.Tx
	table string
	cols  int
	args  []any
}

// batchRows is how many rows one INSERT carries.
const batchRows = 500

func newBatch(ctx context.Context, tx *sql.Tx, table string, cols int) *batch {
	return &batch{ctx: ctx, tx: tx, table: table, cols: cols}
}

func (b *batch) add(vals ...any) error {
	if len(vals) != b.cols {
		return fmt.Errorf("insert into %s: %d values for %d columns", b.table, len(vals), b.cols)
	}
	b.args = append(b.args, vals...)
	if len(b.args) >= batchRows*b.cols {
		return b.flush()
	}
	return nil
}

func (b *batch) flush() error {
	if len(b.args) == 0 {
		return nil
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", b.cols), ", ") + ")"
	n := len(b.args) / b.cols
	q := "INSERT INTO " + warehouse.QuoteIdent(b.table) + " VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
	if _, err := b.tx.ExecContext(b.ctx, q, b.args...); err != nil {
		return fmt.Errorf("insert into %s: %w", b.table, err)
	}
	b.args = b.args[:0]
	return nil
}
