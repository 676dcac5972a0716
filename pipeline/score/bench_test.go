package score

import (
	"context"
	"flag"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

var (
	benchPartners = flag.Int("bench-partners", 100_000, "partners of BenchmarkScore")
	benchLines    = flag.Int("bench-lines", 20_000_000, "sales-out lines of BenchmarkScore")
)

// BenchmarkScore runs the score step (partner model, coverage, KPI deviations) on a
// warehouse of -bench-partners partners (default 100,000) and -bench-lines lines
// (default 20 M, 26 months, 8 distributors, 40 territories, 200 reps, 5 product lines,
// targets for every scope), with DuckDB's memory_limit at 2GB and a spill folder. It
// reports the score step's seconds, the seconds to generate the data in DuckDB as the
// reference measured in the same run, and the process's peak RSS.
//
//	go test -run '^$' -bench Score -benchtime 1x -timeout 30m ./pipeline/score
func BenchmarkScore(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	db, err := warehouse.Open(ctx, config.Warehouse{Path: filepath.Join(dir, "w.duckdb"), MemoryLimit: "2GB",
		TempDir: filepath.Join(dir, "spill")})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	for _, st := range []struct {
		q    string
		args []any
	}{
		{`INSERT INTO partners (partner_id, name, postcode, city, country, territory, trade, size_band, potential, sales_rep)
		 SELECT 'P' || i, 'Partner ' || i, lpad((i % 95 + 1)::VARCHAR, 2, '0') || '000', 'Town ' || (i % 95), 'FR',
		        'T' || (i % 40), ['electrical', 'hardware', 'diy', 'garden', 'it'][i % 5 + 1], ['S', 'M', 'L'][i % 3 + 1],
		        CASE WHEN i % 7 = 0 THEN NULL ELSE 10000 + (i * 7919) % 500000 END, 'rep-' || (i % 200)
		 FROM range(?) t(i)`, []any{*benchPartners}},
		{`INSERT INTO products (sku, product_line) SELECT 'SKU-' || i, 'line-' || (i % 5) FROM range(500) t(i)`, nil},
		{`INSERT INTO reps (sales_rep, name, email, manager_email, territory)
		 SELECT 'rep-' || i, 'Rep ' || i, 'rep' || i || '@example.com', 'manager' || (i % 10) || '@example.com', 'T' || (i % 40)
		 FROM range(200) t(i)`, nil},
		// Each line: a partner drawn with a skew (big partners buy more), a day in the 26
		// months before 2026-11-15, some returns.
		{`INSERT INTO lines (line_id, file_id, line_no, distributor, invoice_date, invoice_number, reseller_id, reseller_name,
		                    reseller_postcode, sku, product_line, quantity, unit_price, amount, currency, amount_base, partner_id)
		 SELECT i, i // 100000, i % 100000, 'D' || (i % 8), DATE '2026-11-15' - ((i * 2654435761) % 790)::INTEGER,
		        'INV-' || (i // 3), 'R' || p, 'Reseller ' || p, '75000', 'SKU-' || (i % 500), 'line-' || (i % 5),
		        q, 12.5, q * 12.5, 'EUR', q * 12.5, 'P' || p
		 FROM (SELECT i, ((i * 40503) % ?) * ((i * 7) % 3 + 1) // 3 AS p,
		              CASE WHEN i % 50 = 0 THEN -2 ELSE i % 9 + 1 END AS q
		       FROM range(?) t(i))`, []any{*benchPartners, *benchLines}},
		{`INSERT INTO targets (year, scope, scope_id, kpi, target)
		 SELECT 2026, 'territory', 'T' || i, 'revenue', 2000000 FROM range(40) t(i)
		 UNION ALL SELECT 2026, 'sales_rep', 'rep-' || i, 'revenue', 400000 FROM range(200) t(i)
		 UNION ALL SELECT 2026, 'product_line', 'line-' || i, 'units', 1000000 FROM range(5) t(i)
		 UNION ALL SELECT 2026, 'distributor', 'D' || i, 'revenue', 5000000 FROM range(8) t(i)
		 UNION ALL SELECT 2026, 'partner', 'P' || i, 'revenue', 20000 FROM range(1000) t(i)`, nil},
	} {
		if _, err := db.ExecContext(ctx, st.q, st.args...); err != nil {
			b.Fatalf("%.60s: %v", st.q, err)
		}
	}
	generate := time.Since(start)
	cfg, err := config.Parse([]byte("warehouse: {path: w.duckdb, publish: a.duckdb}\nreference: {channel_db: c.csv}\nalerts: {outbox: o}\nexport: {dir: e}\n"), filepath.Join(dir, "c.yaml"), nil)
	if err != nil {
		b.Fatal(err)
	}
	s := cfg.Scoring
	asOf := time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	var res Result
	for range b.N {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		if res, err = Run(ctx, tx, asOf, s); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "score-s")
	b.ReportMetric(generate.Seconds(), "generate-s")
	b.ReportMetric(float64(res.Partners), "partners")
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-rss-MiB")
	}
}
