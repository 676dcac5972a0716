package ingest

import (
	"context"
	"database/sql/driver"
	"fmt"
	"testing"

	"github.com/salesout/salesout/pipeline/canon"
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/formats"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// stageRowsForBench are 100,000 typical staged lines.
func stageRowsForBench() []canon.Line {
	lines := make([]canon.Line, 100_000)
	s := func(v string) *string { return &v }
	for i := range lines {
		f := make([]*string, len(canon.Fields))
		f[canon.Index("invoice_date")] = s(fmt.Sprintf("%02d/03/2026", i%28+1))
		f[canon.Index("invoice_number")] = s(fmt.Sprintf("FA-%07d", i))
		f[canon.Index("reseller_id")] = s(fmt.Sprintf("AC-%05d", i%3000))
		f[canon.Index("reseller_name")] = s("SARL DUPONT ÉLECTRICITÉ")
		f[canon.Index("reseller_registration")] = s("12345678900012")
		f[canon.Index("reseller_postcode")] = s("75002")
		f[canon.Index("reseller_city")] = s("Paris")
		f[canon.Index("sku")] = s("MK-100")
		f[canon.Index("quantity")] = s("3")
		f[canon.Index("unit_price")] = s("1 234,56")
		f[canon.Index("amount")] = s(fmt.Sprintf("%d,%02d", i, i%100))
		f[canon.Index("currency")] = s("EUR")
		lines[i] = canon.Line{LineNo: int64(i + 2), Raw: "15/03/2026;FA-0000001;AC-00001;SARL DUPONT ÉLECTRICITÉ;12345678900012;75002;Paris;MK-100;3;1 234,56;3 703,68", Fields: f}
	}
	return lines
}

// BenchmarkStage measures typing 100,000 lines and writing them into lines, the
// loader's work after the parser's, inside one transaction.
func BenchmarkStage(b *testing.B) {
	ctx := context.Background()
	lines := stageRowsForBench()
	db, err := warehouse.Open(ctx, config.Warehouse{Path: b.TempDir() + "/w.duckdb"})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	typing := formats.Typing{DateFormat: "%d/%m/%Y", Decimal: ",", Strip: " \u00a0\u202f"}
	if err := registerStagedLines(conn); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		err := conn.Raw(func(dc any) error {
			tx := rawTx{ctx: ctx, dc: dc.(driver.Conn)}
			for _, q := range stageDDL {
				if _, err := tx.exec(q); err != nil {
					return err
				}
			}
			s, err := newStager(tx, lineTarget{fileID: int64(i + 1), runID: 1, distributor: "D"}, 1<<30, typing, "EUR", nil, false, func() error { return nil })
			if err != nil {
				return err
			}
			defer s.close()
			for _, l := range lines {
				if err := s.Append(l); err != nil {
					return err
				}
			}
			return s.Flush()
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(lines)*b.N)/b.Elapsed().Seconds(), "lines/s")
}
