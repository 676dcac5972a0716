package demo

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// The reference files under ref/, UTF-8 CSV with the contract's column names.

// writeCSV writes header and rows to dir/ref/name.
func writeCSV(dir, name string, header []string, rows [][]string) error {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write(header)
	cw.WriteAll(rows) // flushes
	if err := cw.Error(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	folder := filepath.Join(dir, "ref")
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(folder, name), b.Bytes(), 0o644)
}

// writeReference writes channel.csv, products.csv, fx.csv and reps.csv.
func (w *world) writeReference(dir string) error {
	var channel [][]string
	for _, p := range w.partners {
		vat := ""
		if p.vatListed {
			vat = p.vat
		}
		channel = append(channel, []string{p.id, p.name, p.registration, vat, p.address,
			p.postcode, p.city, p.country, p.region, p.territory, p.trade.name, p.sizeBand,
			strconv.FormatFloat(p.potential, 'f', 0, 64), p.rep})
	}
	if err := writeCSV(dir, "channel.csv", []string{"partner_id", "name", "registration", "vat",
		"address", "postcode", "city", "country", "region", "territory", "trade", "size_band",
		"potential", "sales_rep"}, channel); err != nil {
		return err
	}

	var products, xref [][]string
	for _, p := range w.products {
		line := productLines[p.line]
		products = append(products, []string{p.sku, line, p.gtin, p.description, "", ""})
		xref = append(xref, []string{p.sku, line, "", p.charlieDescription, feeds[charlie].code, p.charlieSKU})
	}
	if err := writeCSV(dir, "products.csv", []string{"sku", "product_line", "gtin", "description",
		"distributor", "distributor_sku"}, append(products, xref...)); err != nil {
		return err
	}

	var fx [][]string
	for i, m := range w.months {
		for c, cur := range fxCurrencies {
			fx = append(fx, []string{m.Format("2006-01-02"), cur, strconv.FormatFloat(w.fx[c][i], 'f', 6, 64)})
		}
	}
	if err := writeCSV(dir, "fx.csv", []string{"date", "currency", "rate"}, fx); err != nil {
		return err
	}

	var rs [][]string
	for _, r := range reps {
		rs = append(rs, []string{r.id, r.name, r.email, r.manager, r.territory})
		if r.territory == "BE" {
			// one row per rep and territory: rep-07 also covers Switzerland
			rs = append(rs, []string{r.id, r.name, r.email, r.manager, "CH"})
		}
	}
	return writeCSV(dir, "reps.csv", []string{"sales_rep", "name", "email", "manager_email", "territory"}, rs)
}
