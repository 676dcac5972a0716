package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/salesout/salesout/pipeline/canon"
)

// stageRowsForBench are 100,000 typical staged lines.
func stageRowsForBench() []canon.Line {
	lines := make([]canon.Line, 100_000)
	s := func(v string) *string { return &v }
	for i := range lines {
		f := make([]*string, len(canon.Fields))
		f[canon.Index("invoice_date")] = s("15/03/2026")
		f[canon.Index("invoice_number")] = s(fmt.Sprintf("FA-%07d", i))
		f[canon.Index("reseller_id")] = s(fmt.Sprintf("AC-%05d", i%3000))
		f[canon.Index("reseller_name")] = s("SARL DUPONT ÉLECTRICITÉ")
		f[canon.Index("reseller_registration")] = s("12345678900012")
		f[canon.Index("reseller_postcode")] = s("75002")
		f[canon.Index("reseller_city")] = s("Paris")
		f[canon.Index("sku")] = s("MK-100")
		f[canon.Index("quantity")] = s("3")
		f[canon.Index("unit_price")] = s("1 234,56")
		f[canon.Index("amount")] = s("3 703,68")
		f[canon.Index("currency")] = s("EUR")
		lines[i] = canon.Line{LineNo: int64(i + 2), Raw: "15/03/2026;FA-0000001;AC-00001;SARL DUPONT ÉLECTRICITÉ;12345678900012;75002;Paris;MK-100;3;1 234,56;3 703,68", Fields: f}
	}
	return lines
}

// BenchmarkStageAppender measures staging through DuckDB's row appender, the path the
// loader uses (reference for any columnar alternative: see stage_arrow_bench_test.go).
func BenchmarkStageAppender(b *testing.B) {
	lines := stageRowsForBench()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	conn, _ := db.Conn(context.Background())
	defer conn.Close()
	conn.ExecContext(context.Background(), stageDDL)
	b.ResetTimer()
	for range b.N {
		err := conn.Raw(func(dc any) error {
			s, err := newStager(dc.(driver.Conn), 1<<30, func() error { return nil })
			if err != nil {
				return err
			}
			for _, l := range lines {
				if err := s.Append(l); err != nil {
					return err
				}
			}
			if err := s.app.Flush(); err != nil {
				return err
			}
			return s.close()
		})
		if err != nil {
			b.Fatal(err)
		}
		conn.ExecContext(context.Background(), "DELETE FROM stage_lines")
	}
	b.ReportMetric(float64(len(lines)*b.N)/b.Elapsed().Seconds(), "lines/s")
}
