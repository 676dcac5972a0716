package review

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestWriteCSVGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, sampleItems()); err != nil {
		t.Fatal(err)
	}
	golden(t, "export.csv", buf.Bytes())
}

func TestWriteXLSXGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, sampleItems()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	golden(t, "export.xlsx.txt", []byte(dumpXLSX(t, f)))
}

// TestWriteEmpty: an empty queue is a header alone, in both formats.
func TestWriteEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, nil); err != nil {
		t.Fatal(err)
	}
	if want := utf8BOM + strings.Join(exportHeader(), ",") + "\n"; buf.String() != want {
		t.Errorf("CSV = %q, want %q", buf.String(), want)
	}
	buf.Reset()
	if err := WriteXLSX(&buf, nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(reviewSheet)
	if err != nil || len(rows) != 1 || len(rows[0]) != len(exportColumns) {
		t.Errorf("Review rows = %q, %v; want the header alone", rows, err)
	}
}

// dumpXLSX describes a workbook as text: sheets, panes, column widths, defined names,
// data validations and every cell with its type, number format and fill.
func dumpXLSX(t *testing.T, f *excelize.File) string {
	t.Helper()
	var b strings.Builder
	for _, dn := range f.GetDefinedName() {
		fmt.Fprintf(&b, "defined name %s (scope %s): %s\n", dn.Name, dn.Scope, dn.RefersTo)
	}
	for _, sheet := range f.GetSheetList() {
		fmt.Fprintf(&b, "\n== sheet %q\n", sheet)
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "panes: freeze=%v ySplit=%d topLeft=%s\n", panes.Freeze, panes.YSplit, panes.TopLeftCell)
		dvs, err := f.GetDataValidations(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, dv := range dvs {
			fmt.Fprintf(&b, "validation %s: type=%s list=%s showError=%v prompt=%q\n", dv.Sqref, dv.Type, dv.Formula1, dv.ShowErrorMessage, deref(dv.Prompt))
		}
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		width := 0
		for _, r := range rows {
			width = max(width, len(r))
		}
		var widths []string
		for c := 1; c <= width; c++ {
			name, _ := excelize.ColumnNumberToName(c)
			w, err := f.GetColWidth(sheet, name)
			if err != nil {
				t.Fatal(err)
			}
			widths = append(widths, fmt.Sprintf("%s=%g", name, w))
		}
		fmt.Fprintf(&b, "widths: %s\n", strings.Join(widths, " "))
		for r := 1; r <= len(rows); r++ {
			for c := 1; c <= width; c++ {
				ref, _ := excelize.CoordinatesToCellName(c, r)
				typ, err := f.GetCellType(sheet, ref)
				if err != nil {
					t.Fatal(err)
				}
				v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				sid, err := f.GetCellStyle(sheet, ref)
				if err != nil {
					t.Fatal(err)
				}
				if typ == excelize.CellTypeUnset && v == "" && sid == 0 {
					continue
				}
				style, err := f.GetStyle(sid)
				if err != nil {
					t.Fatal(err)
				}
				extra := ""
				if style.Font != nil && style.Font.Bold {
					extra += " bold"
				}
				if len(style.Fill.Color) > 0 {
					extra += " fill=" + style.Fill.Color[0]
				}
				fmt.Fprintf(&b, "%s %s fmt=%d%s %q\n", ref, cellTypeName[typ], style.NumFmt, extra, v)
			}
		}
	}
	return b.String()
}

var cellTypeName = map[excelize.CellType]string{
	excelize.CellTypeUnset: "unset", excelize.CellTypeBool: "bool", excelize.CellTypeDate: "date",
	excelize.CellTypeError: "error", excelize.CellTypeFormula: "formula", excelize.CellTypeInlineString: "inline",
	excelize.CellTypeNumber: "number", excelize.CellTypeSharedString: "shared",
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// colMin finds the first column of each <col> element.
var colMin = regexp.MustCompile(`<col min="([0-9]+)"`)

// formulaNames are reseller names that a spreadsheet could run.
var formulaNames = []string{
	"=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\n=1+1", "'=1+1", "''+x", "'-", "=", "-", "@",
	`=cmd|' /C calc'!A0`, `=HYPERLINK("http://x.example","x")`, "-2+3", "+49 30 1234",
}

// formulaItems puts each formula name in every text field it can take.
func formulaItems() []Item {
	var items []Item
	for i, n := range formulaNames {
		items = append(items, Item{Distributor: n, ResellerID: n, ResellerName: n, ResellerPostcode: n,
			ResellerCity: n, ResellerCountry: n, Lines: int64(i), Revenue: "-1.5", Reason: n,
			Candidates: []Candidate{{PartnerID: strings.TrimSpace(n) + "P", Name: n, Postcode: n, City: n, Score: 0.5, Evidence: n}}})
	}
	return items
}

// TestXLSXNoLiveFormula: in the XLSX no cell is a formula, every text cell is a string
// cell, and no text starts like a formula unless behind a single quote; numbers are
// numeric cells.
func TestXLSXNoLiveFormula(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, formulaItems()); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		xml, _ := io.ReadAll(rc)
		rc.Close()
		if prev, cols := 0, colMin.FindAllSubmatch(xml, -1); len(cols) > 0 {
			for _, m := range cols {
				n, _ := strconv.Atoi(string(m[1]))
				if n <= prev {
					t.Errorf("%s: <col> elements not in ascending order", zf.Name)
				}
				prev = n
			}
		}
		if bytes.Contains(xml, []byte("<f>")) || bytes.Contains(xml, []byte("<f ")) || bytes.Contains(xml, []byte(`t="str"`)) {
			t.Errorf("%s holds a formula", zf.Name)
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	numeric := map[string]bool{colLines: true, colRevenue: true}
	for n := 1; n <= MaxCandidates; n++ {
		numeric[candidateColumn(n, "score")] = true
	}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				typ, err := f.GetCellType(sheet, ref)
				if err != nil {
					t.Fatal(err)
				}
				formula, err := f.GetCellFormula(sheet, ref)
				if err != nil {
					t.Fatal(err)
				}
				if formula != "" || typ == excelize.CellTypeFormula {
					t.Errorf("%s!%s is a formula: %q", sheet, ref, formula)
				}
				if v == "" {
					continue
				}
				if sheet == reviewSheet && r > 0 && numeric[exportColumns[c].name] {
					if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
						t.Errorf("%s!%s %q: type %s, want a number", sheet, ref, v, cellTypeName[typ])
					}
					if _, err := strconv.ParseFloat(v, 64); err != nil {
						t.Errorf("%s!%s %q: not a number", sheet, ref, v)
					}
					continue
				}
				if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
					t.Errorf("%s!%s %q: type %s, want a string", sheet, ref, v, cellTypeName[typ])
				}
				if formulaStart(v[0]) {
					t.Errorf("%s!%s %q starts like a formula", sheet, ref, v)
				}
			}
		}
	}
}

// TestCSVNoLiveFormula: no CSV field starts like a formula, numbers aside (a negative
// revenue is a number to a spreadsheet, not a formula).
func TestCSVNoLiveFormula(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, formulaItems()); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte(utf8BOM)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, rec := range recs[1:] {
		for c, v := range rec {
			if v == "" || !formulaStart(v[0]) {
				continue
			}
			if exportColumns[c].name == colRevenue && decimalText.MatchString(v) {
				continue
			}
			t.Errorf("line %d, %s: %q starts like a formula", i+2, exportColumns[c].name, v)
		}
	}
}

// TestFormulaNamesRoundTrip: formula-like keys come back exactly from both formats.
func TestFormulaNamesRoundTrip(t *testing.T) {
	fixedNow(t)
	items := formulaItems()
	for _, file := range []string{"review.csv", "review.xlsx"} {
		t.Run(file, func(t *testing.T) {
			path := writeExport(t, t.TempDir(), file, items)
			fill := make(map[int]map[string]string)
			for i := range items {
				fill[i+1] = map[string]string{colDecision: "1"}
			}
			if strings.HasSuffix(file, ".xlsx") {
				xlsxEdit(t, path, xlsxSetCells(t, fill))
			} else {
				csvEdit(t, path, csvSave{bom: true}, csvSetCells(fill))
			}
			got, err := ReadDecisions(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(items) {
				t.Fatalf("%d decisions, want %d", len(got), len(items))
			}
			for i, d := range got {
				if d.Key() != keyOf(items[i]) || d.PartnerID != items[i].Candidates[0].PartnerID || d.Kind != KindPartner {
					t.Errorf("decision %d: key %v partner %q, want %v partner %q", i+1, d.Key(), d.PartnerID, keyOf(items[i]), items[i].Candidates[0].PartnerID)
				}
			}
		})
	}
}

func TestProtect(t *testing.T) {
	for _, tc := range []struct{ in, out string }{
		{"", ""}, {"Acme", "Acme"}, {"=1+1", "'=1+1"}, {"+1", "'+1"}, {"-1", "'-1"}, {"@x", "'@x"},
		{"\tx", "'\tx"}, {"\rx", "'\rx"}, {"\nx", "'\nx"}, {"\x00", "'\x00"},
		{"'=x", "''=x"}, {"''-x", "'''-x"}, {"'s-Hertogenbosch", "'s-Hertogenbosch"}, {"'", "'"}, {"''", "''"},
		{"a=b", "a=b"}, {" =x", " =x"}, {"＝x", "＝x"},
	} {
		if got := protect(tc.in); got != tc.out {
			t.Errorf("protect(%q) = %q, want %q", tc.in, got, tc.out)
		}
		if got := unprotect(tc.out); got != tc.in {
			t.Errorf("unprotect(%q) = %q, want %q", tc.out, got, tc.in)
		}
	}
	// Typed without the quote, a value reads as typed.
	for _, s := range []string{"=x", "-3", "'s", "'"} {
		if got := unprotect(s); got != s {
			t.Errorf("unprotect(%q) = %q", s, got)
		}
	}
}

func FuzzProtect(f *testing.F) {
	for _, s := range formulaNames {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := protect(s)
		if unprotect(p) != s {
			t.Errorf("unprotect(protect(%q)) = %q", s, unprotect(p))
		}
		if p != "" && formulaStart(p[0]) {
			t.Errorf("protect(%q) = %q starts like a formula", s, p)
		}
	})
}

func TestWriteErrors(t *testing.T) {
	ok := func(edit func(*Item)) []Item {
		it := Item{Distributor: "ACME", ResellerID: "R1", ResellerName: "Shop", Revenue: "1.00",
			Candidates: []Candidate{{PartnerID: "P1", Score: 0.5}}}
		edit(&it)
		return []Item{{Distributor: "ACME", ResellerName: "first"}, it}
	}
	const pre = `review: item 2 (distributor "ACME", reseller_id "R1", reseller_name "Shop"): `
	for _, tc := range []struct {
		name  string
		items []Item
		want  string
	}{
		{"no distributor", ok(func(it *Item) { it.Distributor = "" }),
			`review: item 2 (distributor "", reseller_id "R1", reseller_name "Shop"): distributor: empty`},
		{"4 candidates", ok(func(it *Item) { it.Candidates = make([]Candidate, 4) }), pre + "4 candidates, at most 3 may be shown"},
		{"candidate without id", ok(func(it *Item) { it.Candidates[0].PartnerID = "" }), pre + "candidate_1_partner_id: empty"},
		{"candidate id with spaces", ok(func(it *Item) { it.Candidates[0].PartnerID = " P1" }), pre + `candidate_1_partner_id: " P1" has leading or trailing spaces`},
		{"candidate id with control", ok(func(it *Item) { it.Candidates[0].PartnerID = "P\x01" }), pre + `candidate_1_partner_id: "P\x01" contains a tab, line break or control character`},
		{"revenue with comma", ok(func(it *Item) { it.Revenue = "1,50" }), pre + `revenue "1,50": not a decimal number such as 12345.67`},
		{"revenue with exponent", ok(func(it *Item) { it.Revenue = "1e5" }), pre + `revenue "1e5": not a decimal number such as 12345.67`},
		{"revenue formula", ok(func(it *Item) { it.Revenue = "=1+1" }), pre + `revenue "=1+1": not a decimal number such as 12345.67`},
		{"revenue huge", ok(func(it *Item) { it.Revenue = "1" + strings.Repeat("0", 400) }), pre + `revenue "1` + strings.Repeat("0", 59) + `"…: out of range`},
		{"score above 1", ok(func(it *Item) { it.Candidates[0].Score = 1.5 }), pre + "candidate_1_score: 1.5 is not between 0 and 1"},
		{"score NaN", ok(func(it *Item) { it.Candidates[0].Score = math.NaN() }), pre + "candidate_1_score: NaN is not between 0 and 1"},
		{"negative lines", ok(func(it *Item) { it.Lines = -1 }), pre + "lines: -1 is negative"},
		{"name with NUL", ok(func(it *Item) { it.ResellerName = "a\x00" }),
			`review: item 2 (distributor "ACME", reseller_id "R1", reseller_name "a\x00"): reseller_name: contains the control character U+0000`},
		{"name with CR", ok(func(it *Item) { it.ResellerName = "a\r\nb" }),
			`review: item 2 (distributor "ACME", reseller_id "R1", reseller_name "a\r\nb"): reseller_name: contains a carriage return`},
		{"id not UTF-8", ok(func(it *Item) { it.ResellerID = "\xff" }),
			`review: item 2 (distributor "ACME", reseller_id "\xff", reseller_name "Shop"): reseller_id: not valid UTF-8 text`},
		{"postcode too long", ok(func(it *Item) { it.ResellerPostcode = strings.Repeat("9", maxCellChars+1) }),
			pre + "reseller_postcode: longer than 32767 characters, the most a spreadsheet cell holds"},
		{"name too long once quoted", ok(func(it *Item) { it.ResellerName = "=" + strings.Repeat("x", maxCellChars-1) }),
			`review: item 2 (distributor "ACME", reseller_id "R1", reseller_name "=` + strings.Repeat("x", 59) + `"…): reseller_name: longer than 32767 characters, the most a spreadsheet cell holds`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, format := range []string{"csv", "xlsx"} {
				var buf bytes.Buffer
				var err error
				if format == "csv" {
					err = WriteCSV(&buf, tc.items)
				} else {
					err = WriteXLSX(&buf, tc.items)
				}
				if err == nil || err.Error() != tc.want {
					t.Errorf("%s: error\n %v\nwant\n %s", format, err, tc.want)
				}
				if buf.Len() != 0 {
					t.Errorf("%s: %d bytes written before the error", format, buf.Len())
				}
			}
		})
	}
}

// TestDisplayText: text only shown is made fit rather than refused.
func TestDisplayText(t *testing.T) {
	long := strings.Repeat("é", maxCellChars+10)
	items := []Item{{Distributor: "ACME", ResellerName: "Shop", ResellerCity: "Ci\x01ty\r\nX\xff", Reason: "=bad\x00",
		Candidates: []Candidate{{PartnerID: "P1", Evidence: long}}}}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, items); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for col, want := range map[string]string{
		colResellerCity:                "Ci\uFFFDty\nX\uFFFD",
		colReason:                      "'=bad\uFFFD",
		candidateColumn(1, "evidence"): strings.Repeat("é", maxCellChars-1) + "…",
	} {
		got, err := f.GetCellValue(reviewSheet, columnRef(t, col, 2))
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s = %q…, want %q…", col, quoteShort(got), quoteShort(want))
		}
		if utf16Len(got) > maxCellChars {
			t.Errorf("%s: %d characters", col, utf16Len(got))
		}
	}
}
