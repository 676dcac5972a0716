//go:build duckdb_arrow

package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/duckdb/duckdb-go/v2"

	"github.com/salesout/salesout/pipeline/canon"
)

// BenchmarkStageArrow measures staging the same lines as Arrow record batches registered
// as a view and inserted with one INSERT ... SELECT, the columnar alternative to the
// appender. It needs the duckdb_arrow build tag:
//
//	go test -tags duckdb_arrow -run '^$' -bench 'Stage' ./pipeline
func BenchmarkStageArrow(b *testing.B) {
	lines := stageRowsForBench()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	conn, _ := db.Conn(context.Background())
	defer conn.Close()
	conn.ExecContext(context.Background(), stageDDL)
	fields := []arrow.Field{{Name: "line_no", Type: arrow.PrimitiveTypes.Int64}, {Name: "raw", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "error", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "report_id", Type: arrow.BinaryTypes.String, Nullable: true}}
	for _, f := range canon.Fields {
		fields = append(fields, arrow.Field{Name: f, Type: arrow.BinaryTypes.String, Nullable: true})
	}
	schema := arrow.NewSchema(fields, nil)
	b.ResetTimer()
	for range b.N {
		err := conn.Raw(func(dc any) error {
			ar, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
			if err != nil {
				return err
			}
			bld := array.NewRecordBuilder(memory.DefaultAllocator, schema)
			defer bld.Release()
			for _, l := range lines {
				bld.Field(0).(*array.Int64Builder).Append(l.LineNo)
				bld.Field(1).(*array.StringBuilder).Append(l.Raw)
				bld.Field(2).AppendNull()
				bld.Field(3).AppendNull()
				for i := range canon.Fields {
					sb := bld.Field(4 + i).(*array.StringBuilder)
					if l.Fields[i] != nil {
						sb.Append(*l.Fields[i])
					} else {
						sb.AppendNull()
					}
				}
			}
			rec := bld.NewRecordBatch()
			defer rec.Release()
			rdr, err := array.NewRecordReader(schema, []arrow.RecordBatch{rec})
			if err != nil {
				return err
			}
			defer rdr.Release()
			release, err := ar.RegisterView(rdr, "stage_batch")
			if err != nil {
				return err
			}
			defer release()
			_, err = dc.(driver.ExecerContext).ExecContext(context.Background(), "INSERT INTO stage_lines SELECT * FROM stage_batch", nil)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		conn.ExecContext(context.Background(), "DELETE FROM stage_lines")
	}
	b.ReportMetric(float64(len(lines)*b.N)/b.Elapsed().Seconds(), "lines/s")
}
