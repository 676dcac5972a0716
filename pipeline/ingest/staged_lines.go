package ingest

// The table function through which a file's checked lines reach lines: the loader
// holds a batch of checked lines in Go, registers it under an id, and runs
// sql/ingest/insert_lines.sql, an INSERT ... SELECT from salesout_staged_lines(id).
// DuckDB reads the batch on its own threads, a vector of 2,048 lines at a time, and
// compresses and writes them in parallel: no per-row appender call, no staging table.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/salesout/salesout/pipeline/canon"
)

// stagedLinesFunction is the table function's name; its one argument is a batch id.
const stagedLinesFunction = "salesout_staged_lines"

// registerStagedLines makes salesout_staged_lines known to conn's database (once per
// database: DuckDB keeps the first registration, later ones change nothing).
func registerStagedLines(conn *sql.Conn) error {
	bigint, err := duckdb.NewTypeInfo(duckdb.TYPE_BIGINT)
	if err != nil {
		return err
	}
	return duckdb.RegisterTableUDF(conn, stagedLinesFunction, duckdb.ParallelChunkTableFunction{
		Config: duckdb.TableFunctionConfig{Arguments: []duckdb.TypeInfo{bigint}},
		BindArgumentsContext: func(_ context.Context, _ map[string]any, args ...any) (duckdb.ParallelChunkTableSource, error) {
			id, _ := args[0].(int64)
			b, ok := stagedBatches.Load(id)
			if !ok {
				return nil, fmt.Errorf("%s(%d): no such batch", stagedLinesFunction, id)
			}
			return b.(*stagedBatch), nil
		},
	})
}

// stagedBatches are the batches being inserted, by id.
var (
	stagedBatches sync.Map
	lastBatchID   atomic.Int64
)

// stagedBatch is a batch of checked lines as salesout_staged_lines returns them: the
// columns of lines the file can fill (the others are left to their default, NULL).
type stagedBatch struct {
	lines []checkedLine
	cols  []stagedColumn
	next  atomic.Int64 // the first line not handed to a DuckDB thread yet
}

// stagedColumn is one column of the function: its name and type, and how a line fills
// it.
type stagedColumn struct {
	info duckdb.ColumnInfo
	set  func(c duckdb.DataChunk, col, row int, l *checkedLine) error
}

// register makes the batch readable by salesout_staged_lines until the returned
// function is called.
func (b *stagedBatch) register() (id int64, unregister func()) {
	id = lastBatchID.Add(1)
	stagedBatches.Store(id, b)
	return id, func() { stagedBatches.Delete(id) }
}

// ColumnInfos implements duckdb.ParallelChunkTableSource.
func (b *stagedBatch) ColumnInfos() []duckdb.ColumnInfo {
	infos := make([]duckdb.ColumnInfo, len(b.cols))
	for i, c := range b.cols {
		infos[i] = c.info
	}
	return infos
}

// Cardinality implements duckdb.ParallelChunkTableSource.
func (b *stagedBatch) Cardinality() *duckdb.CardinalityInfo {
	return &duckdb.CardinalityInfo{Cardinality: uint(len(b.lines)), Exact: true}
}

// Init implements duckdb.ParallelChunkTableSource: as many threads as DuckDB has.
func (b *stagedBatch) Init() duckdb.ParallelTableSourceInfo {
	return duckdb.ParallelTableSourceInfo{}
}

// NewLocalState implements duckdb.ParallelChunkTableSource (no per-thread state).
func (b *stagedBatch) NewLocalState() any { return &struct{}{} }

// FillChunk implements duckdb.ParallelChunkTableSource: the next vector of lines.
func (b *stagedBatch) FillChunk(_ any, c duckdb.DataChunk) error {
	n := int64(duckdb.GetDataChunkCapacity())
	from := b.next.Add(n) - n
	if from >= int64(len(b.lines)) {
		return c.SetSize(0)
	}
	to := min(from+n, int64(len(b.lines)))
	for col, sc := range b.cols {
		for i := from; i < to; i++ {
			if err := sc.set(c, col, int(i-from), &b.lines[i]); err != nil {
				return fmt.Errorf("%s: line %d, column %s: %w", stagedLinesFunction, b.lines[i].l.lineNo, sc.info.Name, err)
			}
		}
	}
	return c.SetSize(int(to - from))
}

// stagedColumns are the columns of salesout_staged_lines for a file: line_no, the
// canonical text fields in the mask (bit i for canon.Fields[i]; country codes
// upper-cased), the typed and derived values, report_id for a format with reports.
// What is the same for every line of the file (its ids, the distributor, the run) is
// insert_lines.sql's.
func stagedColumns(mask uint32, reports bool) ([]stagedColumn, error) {
	types := map[duckdb.Type]duckdb.TypeInfo{}
	for _, ty := range []duckdb.Type{duckdb.TYPE_BIGINT, duckdb.TYPE_VARCHAR, duckdb.TYPE_DATE} {
		info, err := duckdb.NewTypeInfo(ty)
		if err != nil {
			return nil, err
		}
		types[ty] = info
	}
	dec3, err := duckdb.NewDecimalInfo(18, 3)
	if err != nil {
		return nil, err
	}
	dec4, err := duckdb.NewDecimalInfo(18, 4)
	if err != nil {
		return nil, err
	}
	col := func(name string, info duckdb.TypeInfo, set func(c duckdb.DataChunk, col, row int, l *checkedLine) error) stagedColumn {
		return stagedColumn{info: duckdb.ColumnInfo{Name: name, T: info}, set: set}
	}
	bigint := func(v func(l *checkedLine) int64) func(c duckdb.DataChunk, col, row int, l *checkedLine) error {
		return func(c duckdb.DataChunk, col, row int, l *checkedLine) error {
			return duckdb.SetChunkValue(c, col, row, v(l))
		}
	}
	null := func(c duckdb.DataChunk, col, row int) error { return duckdb.SetChunkValue[any](c, col, row, nil) }
	cols := []stagedColumn{
		col("line_no", types[duckdb.TYPE_BIGINT], bigint(func(l *checkedLine) int64 { return l.l.lineNo })),
		col("invoice_date", types[duckdb.TYPE_DATE], func(c duckdb.DataChunk, col, row int, l *checkedLine) error {
			return duckdb.SetChunkValue(c, col, row, time.Unix(int64(l.t.day)*86400, 0).UTC())
		}),
	}
	for i, f := range canon.Fields {
		switch f {
		case "invoice_date", "quantity", "unit_price", "amount", "currency":
			continue
		}
		if mask&(1<<i) == 0 {
			continue
		}
		upper := i == fResellerCountry || i == fEndCustomerCountry
		cols = append(cols, col(f, types[duckdb.TYPE_VARCHAR], func(c duckdb.DataChunk, col, row int, l *checkedLine) error {
			v, ok := l.l.get(i)
			if !ok {
				return null(c, col, row)
			}
			if upper {
				v = strings.ToUpper(v) // returns v itself when already upper-case
			}
			return duckdb.SetChunkValue(c, col, row, v)
		}))
	}
	cols = append(cols,
		col("quantity", dec3, bigint(func(l *checkedLine) int64 { return l.t.quantity })),
		col("unit_price", dec4, func(c duckdb.DataChunk, col, row int, l *checkedLine) error {
			if !l.t.hasUnitPrice {
				return null(c, col, row)
			}
			return duckdb.SetChunkValue(c, col, row, l.t.unitPrice)
		}),
		col("amount", dec4, bigint(func(l *checkedLine) int64 { return l.t.amount })),
		col("currency", types[duckdb.TYPE_VARCHAR], func(c duckdb.DataChunk, col, row int, l *checkedLine) error {
			return duckdb.SetChunkValue(c, col, row, l.t.currency)
		}),
	)
	if reports {
		cols = append(cols, col("report_id", types[duckdb.TYPE_VARCHAR], func(c duckdb.DataChunk, col, row int, l *checkedLine) error {
			if l.l.report == "" {
				return null(c, col, row)
			}
			return duckdb.SetChunkValue(c, col, row, l.l.report)
		}))
	}
	return cols, nil
}
