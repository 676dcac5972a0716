package iceberg

import (
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/output"
)

// BenchmarkWrite measures the Iceberg output on sales_out with N lines (default
// 2,000,000; SALESOUT_BENCH_LINES) over 20 distributors and 24 months (480 partitions),
// a folder warehouse and the SQL catalog on PostgreSQL: the first run (every
// partition), a run that adds one month for every distributor, a run that restates
// one distributor-month; next to the Parquet export of the same table in the same
// process (the reference):
//
//	go test -run '^$' -bench Write -benchtime 1x ./pipeline/output/iceberg
func BenchmarkWrite(b *testing.B) {
	n := 2_000_000
	if s := os.Getenv("SALESOUT_BENCH_LINES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	e := newEnv(b, "folder")
	e.out.Tables = []string{"sales_out"}
	e.exec(`SET memory_limit = '1GB'`) // as the README's loading benchmark
	log := zerolog.New(os.Stderr).Level(zerolog.InfoLevel)
	e.ctx = log.WithContext(e.ctx)
	var peakHeap atomic.Uint64
	done := make(chan struct{})
	defer close(done)
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peakHeap.Load() {
					peakHeap.Store(ms.HeapInuse)
				}
			}
		}
	}()
	// n lines: file f (1..20 per distributor-month batch), 24 months of 2024-2025.
	e.exec(`INSERT INTO lines (line_id, file_id, line_no, distributor, invoice_date, reseller_id, reseller_name,
			reseller_postcode, sku, quantity, unit_price, amount, currency, amount_base, partner_id)
		SELECT i, i // 100000 + 1, i % 100000 + 1, 'D' || (i % 20), DATE '2024-01-01' + CAST((i // 20) % 730 AS INTEGER),
			'R' || (i % 5000), 'Reseller ' || (i % 5000), lpad(CAST(i % 90000 AS VARCHAR), 5, '0'), 'SKU-' || (i % 800),
			1 + i % 5, 12.5, (1 + i % 5) * 12.5, 'EUR', (1 + i % 5) * 12.5, 'P' || (i % 4000)
		FROM range(?) t(i)`, n)
	for b.Loop() {
		timed := func(name string, f func()) {
			start := time.Now()
			f()
			b.ReportMetric(time.Since(start).Seconds(), name+"-s")
		}
		timed("parquet-export", func() {
			p := output.Parquet{Dir: b.TempDir()}
			if _, err := p.Write(e.ctx, e.conn, output.Run{ID: 1}); err != nil {
				b.Fatal(err)
			}
		})
		timed("first-run", e.write)
		e.exec(`INSERT INTO lines (line_id, file_id, line_no, distributor, invoice_date, quantity, amount, currency)
			SELECT 100000000 + i, 900, i + 1, 'D' || (i % 20), DATE '2026-01-01' + CAST(i % 28 AS INTEGER), 1, 10, 'EUR'
			FROM range(?) t(i)`, n/24)
		timed("new-month-run", e.write)
		e.exec(`UPDATE lines SET superseded_by = 901 WHERE distributor = 'D3' AND invoice_date BETWEEN DATE '2025-06-01' AND DATE '2025-06-30'`)
		timed("restatement-run", e.write)
		timed("unchanged-run", e.write)
	}
	b.ReportMetric(float64(peakHeap.Load())/(1<<20), "peak-Go-heap-MB")
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB")
	}
}
