package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// salesInFixture is a warehouse with the channel database and products of refChannel and
// refProducts loaded, and a loaded ACME file, so that sales_in's warnings have something
// to compare with.
func salesInFixture(t *testing.T) (*warehouse.DB, string) {
	t.Helper()
	dir := t.TempDir()
	w, err := warehouse.Open(context.Background(), config.Warehouse{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	if _, err := w.Exec(`INSERT INTO files (file_id, feed, distributor, source, name, size, sha256, landing_path, status, lines_loaded, received_at)
		VALUES (1, 'acme', 'ACME', 'drop', 'acme.csv', 1, 'x', 'x', 'loaded', 10, now())`); err != nil {
		t.Fatal(err)
	}
	return w, dir
}

// loadSalesIn loads the channel database, products and the sales_in file (name, its
// content written to the folder unless it is already there) into w, logging to log.
func loadSalesIn(t *testing.T, w *warehouse.DB, dir, name, text string, log *bytes.Buffer) (RefResult, error) {
	t.Helper()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if text != "" {
			if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		return path
	}
	ref := config.Reference{
		ChannelDB: config.RefSource{File: write("channel.csv", refChannel)},
		Products:  config.RefSource{File: write("products.csv", refProducts)},
	}
	if name != "" {
		ref.SalesIn = config.RefSource{File: write(name, text)}
	}
	ctx := zerolog.New(log).WithContext(context.Background())
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := LoadReference(ctx, tx, &ref)
	if cerr := tx.Commit(); cerr != nil {
		t.Fatal(cerr)
	}
	return res, err
}

func salesInRows(t *testing.T, db *sql.DB) []string {
	t.Helper()
	return queryRows(t, db, `SELECT concat_ws('|', distributor, coalesce(sku, 'NULL'), coalesce(product_line, 'NULL'), month,
		quantity, coalesce(amount::VARCHAR, 'NULL')) FROM sales_in ORDER BY distributor, month, sku, product_line`)
}

// The months as people write them, SKU or product line rows, credit notes, amounts
// left out; the table is replaced at each load and the change is reported.
func TestSalesInLoads(t *testing.T) {
	w, dir := salesInFixture(t)
	var log bytes.Buffer
	text := "distributor,sku,product_line,month,quantity,amount\n" +
		"ACME,SKU-A,,2026-01,100,1500.50\n" +
		"ACME,,saws,2026-02-15,40,\n" + // a date in the month
		"ACME,SKU-A,,2026-02-28 00:00:00,-5,-75\n" + // a credit note; a timestamp's time is ignored
		"ACME,SKU-A,,2026-02,10,150\n" // the same month again: both rows kept, they add up
	res, err := loadSalesIn(t, w, dir, "sales_in.csv", text, &log)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows["sales_in"] != 4 || !res.Changed.SalesIn || len(res.Warnings) != 0 {
		t.Errorf("result %+v", res)
	}
	want := []string{
		"ACME|SKU-A|NULL|2026-01-01|100.000|1500.50",
		"ACME|SKU-A|NULL|2026-02-01|-5.000|-75.00",
		"ACME|SKU-A|NULL|2026-02-01|10.000|150.00",
		"ACME|NULL|saws|2026-02-01|40.000|NULL",
	}
	if got := salesInRows(t, w.DB); !slices.Equal(got, want) {
		t.Errorf("sales_in:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	// The same file again: not changed. Another file replaces the rows.
	if res, err := loadSalesIn(t, w, dir, "sales_in.csv", "", &log); err != nil || res.Changed.SalesIn {
		t.Errorf("the same file: changed %v, %v", res.Changed.SalesIn, err)
	}
	if _, err := loadSalesIn(t, w, dir, "sales_in.csv", "distributor,product_line,month,quantity\nACME,drills,2026-03,7\n", &log); err != nil {
		t.Fatal(err)
	}
	if got := salesInRows(t, w.DB); !slices.Equal(got, []string{"ACME|NULL|drills|2026-03-01|7.000|NULL"}) {
		t.Errorf("after a new file: %q", got)
	}

	// A Parquet file whose month column is a DATE.
	pq := filepath.Join(dir, "sales_in.parquet")
	if _, err := w.Exec(`COPY (SELECT 'ACME' AS distributor, 'SKU-B' AS sku, DATE '2026-04-17' AS month, 3.5 AS quantity) TO '` + pq + `' (FORMAT parquet)`); err != nil {
		t.Fatal(err)
	}
	if _, err := loadSalesIn(t, w, dir, "sales_in.parquet", "", &log); err != nil {
		t.Fatal(err)
	}
	if got := salesInRows(t, w.DB); !slices.Equal(got, []string{"ACME|SKU-B|NULL|2026-04-01|3.500|NULL"}) {
		t.Errorf("from Parquet: %q", got)
	}

	// Not configured: nothing loaded, nothing fails.
	w2, dir2 := salesInFixture(t)
	res, err = loadSalesIn(t, w2, dir2, "", "", &log)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.Rows["sales_in"]; ok || res.Changed.SalesIn {
		t.Errorf("without sales_in: %+v", res)
	}
	if got := salesInRows(t, w2.DB); len(got) != 0 {
		t.Errorf("without sales_in: %q", got)
	}
}

// Problems stop the run with the file and line of each, and leave the table as it was.
func TestSalesInProblems(t *testing.T) {
	const header = "distributor,sku,product_line,month,quantity,amount\n"
	tests := []struct {
		name, text string
		want       []string
	}{
		{
			name: "months that are not months",
			text: header + "ACME,SKU-A,,2026-13,1,\nACME,SKU-A,,March 2026,1,\nACME,SKU-A,,2026/03,1,\nACME,SKU-A,,2026-02-30,1,\nACME,SKU-A,,,1,\n",
			want: []string{
				`reference.sales_in (sales_in.csv) line 6: month is empty (required)`,
				`reference.sales_in (sales_in.csv) line 2: month "2026-13" is not a month (YYYY-MM) or a date (YYYY-MM-DD)`,
				`reference.sales_in (sales_in.csv) line 3: month "March 2026" is not a month (YYYY-MM) or a date (YYYY-MM-DD)`,
				`reference.sales_in (sales_in.csv) line 4: month "2026/03" is not a month (YYYY-MM) or a date (YYYY-MM-DD)`,
				`reference.sales_in (sales_in.csv) line 5: month "2026-02-30" is not a month (YYYY-MM) or a date (YYYY-MM-DD)`,
			},
		},
		{
			name: "quantity, amount, distributor and product",
			text: header + "ACME,SKU-A,,2026-01,ten,\nACME,SKU-A,,2026-01,,\nACME,SKU-A,,2026-01,1,1 500\n,SKU-A,,2026-01,1,\nACME,,,2026-01,1,\n",
			want: []string{
				`reference.sales_in (sales_in.csv) line 5: distributor is empty (required)`,
				`reference.sales_in (sales_in.csv) line 3: quantity is empty (required)`,
				`reference.sales_in (sales_in.csv) line 2: quantity "ten" is not a valid decimal`,
				`reference.sales_in (sales_in.csv) line 4: amount "1 500" is not a valid decimal`,
				`reference.sales_in (sales_in.csv) line 6: neither sku nor product_line is given (one is required)`,
			},
		},
		{
			name: "a missing column",
			text: "distributor,sku,month,qty\nACME,SKU-A,2026-01,1\n",
			want: []string{`reference.sales_in (sales_in.csv): missing required column(s) quantity (found: distributor, sku, month, qty)`},
		},
		{
			name: "neither sku nor product_line",
			text: "distributor,month,quantity\nACME,2026-01,1\n",
			want: []string{`reference.sales_in (sales_in.csv): missing column sku or product_line (one of them is required; found: distributor, month, quantity)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, dir := salesInFixture(t)
			var log bytes.Buffer
			if _, err := loadSalesIn(t, w, dir, "sales_in.csv", header+"ACME,SKU-A,,2026-01,1,\n", &log); err != nil {
				t.Fatal(err)
			}
			_, err := loadSalesIn(t, w, dir, "sales_in.csv", tt.text, &log)
			var re *RefError
			if !errors.As(err, &re) {
				t.Fatalf("error %v, want a RefError", err)
			}
			if !slices.Equal(re.Problems, tt.want) {
				t.Errorf("problems:\n  %s\nwant:\n  %s", strings.Join(re.Problems, "\n  "), strings.Join(tt.want, "\n  "))
			}
			if got := salesInRows(t, w.DB); !slices.Equal(got, []string{"ACME|SKU-A|NULL|2026-01-01|1.000|NULL"}) {
				t.Errorf("the previous rows were not kept: %q", got)
			}
		})
	}
}

// What is odd but may be meant is loaded, with a warning naming the file and line.
func TestSalesInWarnings(t *testing.T) {
	w, dir := salesInFixture(t)
	var log bytes.Buffer
	text := "distributor,sku,product_line,month,quantity,amount\n" +
		"ACME,SKU-A,,2026-01,10,-100\n" + // line 2: signs disagree
		"ACME,SKU-Z,,2026-01,1,\n" + // line 3: unknown SKU, no product line
		"ACME,SKU-Z,saws,2026-01,1,\n" + // an unknown SKU with a product line: fine
		"ACME,SKU-A,saws,2026-01,1,\n" + // line 5: products say drills
		"ACME,SKU-B,saws,2026-01,1,\n" + // agrees with products
		"ACME,,hammers,2026-01,1,\n" + // line 7: not a product line of products
		"ACME,SKU-Y,hammers,2026-01,1,\n" + // line 8: an unknown SKU counted in an unknown product line
		"ACME,,saws,2026-01,0,25\n" + // a quantity of 0 (a price adjustment) has no sign
		"BRAVO,,saws,2026-01,1,\n" + // line 9: a distributor without sales-out
		"BRAVO,,saws,2026-02,1,\n"
	res, err := loadSalesIn(t, w, dir, "sales_in.csv", text, &log)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`reference.sales_in (sales_in.csv) line 2: quantity 10 and amount -100 have opposite signs`,
		`reference.sales_in (sales_in.csv) line 3: sku "SKU-Z" is not in products and the row gives no product_line: left out of channel_stock`,
		`reference.sales_in (sales_in.csv) line 5: sku "SKU-A" is in product line "drills" in products, not "saws": counted in "drills"`,
		`reference.sales_in (sales_in.csv) line 7: product_line "hammers" is not a product line of products: no sales-out will count against it`,
		`reference.sales_in (sales_in.csv) line 8: product_line "hammers" is not a product line of products: no sales-out will count against it`,
		`reference.sales_in (sales_in.csv) line 10: distributor "BRAVO" has sent no sales-out lines: its channel stock will only grow (first of its rows)`,
	}
	if !slices.Equal(res.Warnings, want) {
		t.Errorf("warnings:\n  %s\nwant:\n  %s", strings.Join(res.Warnings, "\n  "), strings.Join(want, "\n  "))
	}
	if res.Rows["sales_in"] != 10 {
		t.Errorf("%d rows loaded, want all 10", res.Rows["sales_in"])
	}
	if n := strings.Count(log.String(), `"reference":"sales_in"`); n != len(want) {
		t.Errorf("%d warnings logged, want %d:\n%s", n, len(want), log.String())
	}
}
