package iceberg

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/salesout/salesout/pipeline/output"
)

// staged are a table's rows as DuckDB wrote them to Parquet for iceberg-go.
type staged struct {
	path   string
	schema *arrow.Schema // of the rows, from DuckDB's types (exportExpr)
	rows   int64
}

// stageRows writes the rows of t (every row when full, else those of the partitions
// keys) with the columns exprs to one Parquet file under dir, sorted by partition so
// that iceberg-go can write one partition after the other. (DuckDB's PARTITION_BY, one
// folder per partition, needs no sort but took twice as long for 480 partitions.)
func stageRows(ctx context.Context, conn *sql.Conn, dir string, t output.Table, exprs []string,
	fields []partitionField, full bool, keys []string) (*staged, error) {
	st := &staged{path: filepath.Join(dir, t.Name+".parquet")}
	parts, keyParts := partitionParts(fields)
	inner := "SELECT *"
	var names, on []string
	for i, p := range parts {
		inner += ", " + p + " AS " + partName(i)
		names = append(names, "q."+partName(i))
		on = append(on, "q."+partName(i)+" IS NOT DISTINCT FROM keys."+partName(i))
	}
	q := "SELECT " + strings.Join(exprs, ", ") + " FROM (" + inner + " FROM (" + t.Query + ") AS q) AS q"
	args := []any{st.path}
	if !full && len(parts) > 0 {
		var kp []string
		for i, p := range keyParts {
			kp = append(kp, p+" AS "+partName(i))
		}
		q += " SEMI JOIN (SELECT " + strings.Join(kp, ", ") + ` FROM (SELECT unnest(from_json($2, '[["VARCHAR"]]')) AS k)) AS keys ON ` +
			strings.Join(on, " AND ")
		args = append(args, "["+strings.Join(keys, ",")+"]")
	}
	if len(parts) > 0 {
		q += " ORDER BY " + strings.Join(names, ", ")
	}
	res, err := conn.ExecContext(ctx, "COPY ("+q+") TO $1 (FORMAT parquet, COMPRESSION snappy)", args...)
	if err != nil {
		return nil, err
	}
	st.rows, _ = res.RowsAffected()
	if st.schema, err = readSchema(st.path); err != nil {
		return nil, err
	}
	return st, nil
}

func readSchema(path string) (*arrow.Schema, error) {
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		return nil, err
	}
	return fr.Schema()
}

// records yields the staged rows as record batches that the consumer releases
// (table.WriteRecords does).
func (st *staged) records(ctx context.Context) func(yield func(arrow.RecordBatch, error) bool) {
	return func(yield func(arrow.RecordBatch, error) bool) {
		if _, err := st.readFile(ctx, st.path, yield); err != nil {
			yield(nil, fmt.Errorf("read staged rows: %w", err))
		}
	}
}

func (st *staged) readFile(ctx context.Context, path string, yield func(arrow.RecordBatch, error) bool) (bool, error) {
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		return false, err
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 64 << 10}, memory.DefaultAllocator)
	if err != nil {
		return false, err
	}
	rdr, err := fr.GetRecordReader(ctx, nil, nil)
	if err != nil {
		return false, err
	}
	defer rdr.Release()
	for rdr.Next() {
		rec := rdr.RecordBatch()
		rec.Retain() // the consumer releases it
		if !yield(rec, nil) {
			return false, nil
		}
	}
	return true, rdr.Err()
}

// close removes the staged file.
func (st *staged) close() { os.Remove(st.path) }
