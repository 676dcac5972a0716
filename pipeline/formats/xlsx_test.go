package formats

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// The golden workbooks of testdata/xlsx are written by the builders of xlsxTestdata
// when the tests run with -update (go test -run XLSX ./pipeline/formats -update).
// The flag is shared with other tests of the package that may define it.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata")
	}
}

func xlsxUpdate() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// xlsxRec is a Record in a comparable form; err is a substring of Record.Err ("" for none).
type xlsxRec struct {
	line   int64
	fields []string
	err    string
}

// xlsxCell is a test cell with a number format: a built-in format id, or a custom code.
type xlsxCell struct {
	v      any // nil: a styled empty cell
	fmtID  int
	custom string
}

// xlsxPut writes cells into row of sheet, from column A; a nil cell is left out.
func xlsxPut(t testing.TB, f *excelize.File, sheet string, row int, cells ...any) {
	t.Helper()
	for i, c := range cells {
		if c == nil {
			continue
		}
		ref, err := excelize.CoordinatesToCellName(i+1, row)
		if err != nil {
			t.Fatal(err)
		}
		v := c
		if s, ok := c.(xlsxCell); ok {
			style := &excelize.Style{NumFmt: s.fmtID}
			if s.custom != "" {
				style.CustomNumFmt = &s.custom
			}
			id, err := f.NewStyle(style)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStyle(sheet, ref, ref, id); err != nil {
				t.Fatal(err)
			}
			v = s.v
		}
		if v != nil {
			if err := f.SetCellValue(sheet, ref, v); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// xlsxSave saves f to path and closes it.
func xlsxSave(t testing.TB, f *excelize.File, path string) {
	t.Helper()
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// Excel serial numbers (1900 date system) of the test dates.
const (
	xlsxSerial20240301 = 45352
	xlsxSerial20240315 = 45366
	xlsxSerial20240401 = 45383
	xlsxDays1900To1904 = 1462 // 1904-01-01 in the 1900 system
)

// xlsxBuildVentes writes the workbook of testdata/xlsx/ventes.xlsx: a first sheet of notes,
// then "Ventes" with two title rows above the header on row 3, date cells in the
// built-in format 14 and the custom "dd/mm/yyyy", a date written as text, numeric
// cells (integer, two decimals, negative) with display formats, numbers written as
// text with a decimal comma, an empty row in the middle and a totals row at the bottom.
func xlsxBuildVentes(t testing.TB, path string) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", "Notes"); err != nil {
		t.Fatal(err)
	}
	xlsxPut(t, f, "Notes", 1, "Les ventes sont sur la feuille Ventes")
	if _, err := f.NewSheet("Ventes"); err != nil {
		t.Fatal(err)
	}
	const s = "Ventes"
	money := xlsxCell{fmtID: 4}                              // #,##0.00
	euro := xlsxCell{custom: `#,##0.00\ "€";-#,##0.00\ "€"`} // a custom number format
	at := func(c xlsxCell, v any) xlsxCell { c.v = v; return c }
	xlsxPut(t, f, s, 1, "Rapport des ventes — mars 2024")
	if err := f.MergeCell(s, "A1", "G1"); err != nil {
		t.Fatal(err)
	}
	xlsxPut(t, f, s, 2, "Distributeur : ACME", nil, nil, nil, nil, "Édité le", xlsxCell{v: xlsxSerial20240401, fmtID: 14})
	xlsxPut(t, f, s, 3, "Date facture", "N° facture", "Code client", "Raison sociale", "Qté", "PU HT", " Montant HT ")
	xlsxPut(t, f, s, 4, xlsxCell{v: xlsxSerial20240301, fmtID: 14}, "F-0001", "C001", "Dupont SARL", 3, at(money, 19.99), at(euro, 59.97))
	xlsxPut(t, f, s, 5, xlsxCell{v: xlsxSerial20240315, custom: "dd/mm/yyyy"}, "F-0002", "C002", "Martin & Fils", -2, at(money, 1234.5), at(euro, -2469.0))
	// row 6 is empty
	xlsxPut(t, f, s, 7, "20/03/2024", "F-0003", "C003", "Café des Sports", "1,5", "10,25", "15,38")
	xlsxPut(t, f, s, 8, "Total", nil, nil, nil, 2.5, nil, at(euro, -2393.65))
	xlsxSave(t, f, path)
}

// xlsxBuildReleve writes the workbook of testdata/xlsx/releve_1904.xlsx: the 1904 date
// system, header on row 1 of the first sheet, an empty header column, booleans, a
// text "45352" in a date-formatted cell, numbers with display formats, a blank row.
func xlsxBuildReleve(t testing.TB, path string) {
	f := excelize.NewFile()
	yes := true
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
		t.Fatal(err)
	}
	const s = "Relevé"
	if err := f.SetSheetName("Sheet1", s); err != nil {
		t.Fatal(err)
	}
	xlsxPut(t, f, s, 1, "Date", "Réf", nil, "Qté", "Prix", "Actif")
	xlsxPut(t, f, s, 2, xlsxCell{v: xlsxSerial20240301 - xlsxDays1900To1904, fmtID: 14}, "A-1", nil, 10, 19.99, true)
	xlsxPut(t, f, s, 3, "  ", "\t")
	xlsxPut(t, f, s, 4, xlsxCell{v: xlsxSerial20240315 - xlsxDays1900To1904 + 0.5, custom: "d/m/yy h:mm"}, "007", nil, -3, 1.5e-7, false)
	xlsxPut(t, f, s, 5, xlsxCell{v: "45352", fmtID: 14}, "Ref,2", nil, xlsxCell{v: 0.25, fmtID: 9}, 1e15)
	xlsxPut(t, f, s, 6, xlsxCell{v: 0, fmtID: 14}, "Z", "col C", 1, xlsxCell{v: 12.345, fmtID: 2})
	if _, err := f.NewSheet("Autre"); err != nil {
		t.Fatal(err)
	}
	xlsxPut(t, f, "Autre", 1, "Autre feuille")
	xlsxSave(t, f, path)
}

// xlsxTestdata maps the files of testdata/xlsx to their builders.
var xlsxTestdata = map[string]func(testing.TB, string){
	"ventes.xlsx":      xlsxBuildVentes,
	"releve_1904.xlsx": xlsxBuildReleve,
}

// xlsxTestdataPath returns the path of a golden workbook, rewriting it first with -update.
func xlsxTestdataPath(t testing.TB, name string) string {
	t.Helper()
	path := filepath.Join("testdata", "xlsx", name)
	if xlsxUpdate() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		xlsxTestdata[name](t, path)
	}
	return path
}

// xlsxRawBook is a workbook written part by part, for cells excelize does not write
// (error and ISO date cells, exponents, rows without numbers...).
type xlsxRawBook struct {
	date1904 bool
	numFmts  []string // <numFmt> elements
	xfs      []string // <xf> elements of cellXfs; a cell's s is an index here
	sst      []string // <si> contents
	sheets   []xlsxRawSheet
}

type xlsxRawSheet struct {
	name   string
	data   string          // the content of <sheetData>
	stream func(io.Writer) // then writes more of it, when set
}

func (b xlsxRawBook) write(t testing.TB, path string) {
	t.Helper()
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	const rns = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	var types, sheets, rels strings.Builder
	for i, s := range b.sheets {
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
		fmt.Fprintf(&sheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, s.name, i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
		w, err := zw.Create(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1))
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet `+ns+` `+rns+`><sheetData>`+s.data)
		if s.stream != nil {
			s.stream(w)
		}
		io.WriteString(w, `</sheetData></worksheet>`)
	}
	n := len(b.sheets)
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`+
		`<Default Extension="xml" ContentType="application/xml"/>`+
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`+
		`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`+
		types.String()+`</Types>`)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>`+
		`</Relationships>`)
	pr := ""
	if b.date1904 {
		pr = `<workbookPr date1904="1"/>`
	}
	put("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
		`<workbook `+ns+` `+rns+`>`+pr+`<sheets>`+sheets.String()+`</sheets></workbook>`)
	fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`, n+1)
	fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`, n+2)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels.String()+`</Relationships>`)
	xfs := append([]string{`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`}, b.xfs...)
	put("xl/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
		`<styleSheet `+ns+`>`+
		fmt.Sprintf(`<numFmts count="%d">%s</numFmts>`, len(b.numFmts), strings.Join(b.numFmts, ""))+
		`<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>`+
		`<fills count="1"><fill><patternFill patternType="none"/></fill></fills>`+
		`<borders count="1"><border/></borders>`+
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>`+
		fmt.Sprintf(`<cellXfs count="%d">%s</cellXfs>`, len(xfs), strings.Join(xfs, ""))+
		`</styleSheet>`)
	var sst strings.Builder
	for _, si := range b.sst {
		sst.WriteString("<si>" + si + "</si>")
	}
	put("xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
		fmt.Sprintf(`<sst `+ns+` count="%d" uniqueCount="%d">%s</sst>`, len(b.sst), len(b.sst), sst.String()))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// xlsxXf is a cellXfs entry with number format id.
func xlsxXf(id int) string {
	return fmt.Sprintf(`<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`, id)
}

// xlsxLeapBook has date cells (style 1, format 14) around the 1900 leap-year bug and at the
// ends of Excel's calendar.
var xlsxLeapBook = xlsxRawBook{
	xfs: []string{xlsxXf(14)},
	sheets: []xlsxRawSheet{{name: "Dates", data: `<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c><c r="B1" t="inlineStr"><is><t>Note</t></is></c></row>` +
		xlsxDateRow(2, "0", "serial 0") + xlsxDateRow(3, "1", "first day") + xlsxDateRow(4, "59", "1900-02-28") +
		xlsxDateRow(5, "60", "1900-02-29 does not exist") + xlsxDateRow(6, "61", "1900-03-01") +
		xlsxDateRow(7, "45352.75", "18:00") + xlsxDateRow(8, "45352.999999999993", "rounds to the next day") +
		xlsxDateRow(9, "45352.99998", "23:59:58") + xlsxDateRow(10, "-1", "negative") +
		xlsxDateRow(11, "2958465.5", "last day") + xlsxDateRow(12, "2958466", "after the last day") +
		xlsxDateRow(13, "4.5352E4", "exponent")}},
}

func xlsxDateRow(r int, v, note string) string {
	return fmt.Sprintf(`<row r="%d"><c r="A%d" s="1"><v>%s</v></c><c r="B%d" t="inlineStr"><is><t>%s</t></is></c></row>`, r, r, v, r, note)
}

// xlsxKindsBook has a cell of every kind in column B, with its style in column A's text.
var xlsxKindsBook = xlsxRawBook{
	numFmts: []string{
		`<numFmt numFmtId="14" formatCode="0.00"/>`, // a custom format reusing a date id: not a date
		`<numFmt numFmtId="165" formatCode="[Red]#,##0.00;[Red]\-#,##0.00"/>`,
		`<numFmt numFmtId="166" formatCode="0.00&quot; m&quot;"/>`,
		`<numFmt numFmtId="167" formatCode="[$-409]d\-mmm\-yy;@"/>`,
		`<numFmt numFmtId="168" formatCode="yyyy"/>`,
		`<numFmt numFmtId="169" formatCode="_-* #,##0.00\ _€_-;\-* #,##0.00\ _€_-;_-* &quot;-&quot;??\ _€_-;_-@_-"/>`,
	},
	xfs: []string{xlsxXf(14), xlsxXf(165), xlsxXf(166), xlsxXf(167), xlsxXf(168), xlsxXf(22), xlsxXf(169), xlsxXf(49)},
	sst: []string{`<t>Kind</t>`, `<t>Value</t>`, `<r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r>`, `<t xml:space="preserve"> padded </t>`, `<t>45352</t>`},
	sheets: []xlsxRawSheet{{name: "Kinds", data: `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>` +
		xlsxKindRow(2, "error", ` t="e"`, "#N/A") +
		xlsxKindRow(3, "iso date", ` t="d"`, "2024-03-01T10:30:00Z") +
		xlsxKindRow(4, "bool", ` t="b"`, "1") +
		xlsxKindRow(5, "formula string", ` t="str"`, "abc") +
		xlsxKindRow(6, "exponent", ``, "1.5E-7") +
		xlsxKindRow(7, "big exponent", ``, "1.0000000000000001E+20") +
		xlsxKindRow(8, "17 digits", ``, "0.30000000000000004") +
		xlsxKindRow(9, "trailing zero", ``, "1234.50") +
		xlsxKindRow(10, "custom 14 = 0.00", ` s="1"`, "45352") +
		xlsxKindRow(11, "red", ` s="2"`, "-1234.567") +
		xlsxKindRow(12, "quoted m", ` s="3"`, "12.5") +
		xlsxKindRow(13, "d-mmm-yy", ` s="4"`, "45352") +
		xlsxKindRow(14, "yyyy", ` s="5"`, "45352") +
		xlsxKindRow(15, "builtin 22", ` s="6"`, "45352.5") +
		xlsxKindRow(16, "accounting", ` s="7"`, "-5") +
		xlsxKindRow(17, "text format", ` s="8"`, "42") +
		`<row r="18"><c r="A18" t="inlineStr"><is><t>rich</t></is></c><c r="B18" t="s"><v>2</v></c></row>` +
		`<row r="19"><c r="A19" t="inlineStr"><is><t>padded</t></is></c><c r="B19" t="s"><v>3</v></c></row>` +
		`<row r="20"><c r="A20" t="inlineStr"><is><t>text in date style</t></is></c><c r="B20" t="s" s="1"><v>4</v></c></row>` +
		`<row r="21"><c r="A21" t="inlineStr"><is><t>text in yyyy style</t></is></c><c r="B21" t="s" s="5"><v>4</v></c></row>` +
		`<row r="22"><c r="A22" t="inlineStr"><is><t>formula, no value</t></is></c><c r="B22"><f>1+1</f></c></row>` +
		`<row r="23"><c r="A23" t="inlineStr"><is><t>formula</t></is></c><c r="B23" s="4"><f>A1</f><v>45353</v></c></row>` +
		`<row r="24" spans="1:2"><c r="A24" s="4"/><c r="B24" s="4"/></row>` +
		`<row><c t="inlineStr"><is><t>no refs</t></is></c><c><v>7</v></c></row>` +
		`<row r="30"><c r="C30" t="inlineStr"><is><t>gap</t></is></c></row>`}},
}

func xlsxKindRow(r int, kind, attrs, v string) string {
	return fmt.Sprintf(`<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c><c r="B%d"%s><v>%s</v></c></row>`, r, r, kind, r, attrs, v)
}

type xlsxCase struct {
	name    string
	build   func(testing.TB, string) // writes the workbook; nil with file
	file    string                   // a workbook of testdata/xlsx
	o       XLSXOptions
	openErr string // substring of NewXLSXReader's error
	header  []string
	hdrLine int64
	hdrErr  string // substring of Header's error
	recs    []xlsxRec
}

var xlsxCases = []xlsxCase{
	{
		name: "titles, totals, dates, text numbers", file: "ventes.xlsx",
		o:      XLSXOptions{Sheet: "Ventes", HeaderRow: 3},
		header: []string{"Date facture", "N° facture", "Code client", "Raison sociale", "Qté", "PU HT", "Montant HT"}, hdrLine: 3,
		recs: []xlsxRec{
			{line: 4, fields: []string{"2024-03-01", "F-0001", "C001", "Dupont SARL", "3", "19.99", "59.97"}},
			{line: 5, fields: []string{"2024-03-15", "F-0002", "C002", "Martin & Fils", "-2", "1234.5", "-2469"}},
			{line: 7, fields: []string{"20/03/2024", "F-0003", "C003", "Café des Sports", "1,5", "10,25", "15,38"}},
			{line: 8, fields: []string{"Total", "", "", "", "2.5", "", "-2393.65"}},
		},
	},
	{
		name: "sheet name in another case", file: "ventes.xlsx",
		o:      XLSXOptions{Sheet: "VENTES", HeaderRow: 8},
		header: []string{"Total", "", "", "", "2.5", "", "-2393.65"}, hdrLine: 8,
	},
	{
		name: "first sheet by default", file: "ventes.xlsx",
		header: []string{"Les ventes sont sur la feuille Ventes"}, hdrLine: 1,
	},
	{
		name: "missing sheet", file: "ventes.xlsx",
		o:       XLSXOptions{Sheet: "Sales"},
		openErr: `no sheet "Sales" in the workbook; its sheets are "Notes", "Ventes"`,
	},
	{
		name: "header beyond the last row", file: "ventes.xlsx",
		o:      XLSXOptions{Sheet: "Ventes", HeaderRow: 12},
		hdrErr: `sheet "Ventes" has 8 rows, header expected on row 12`,
	},
	{
		name: "header on the empty row: the next row", file: "ventes.xlsx",
		o:      XLSXOptions{Sheet: "Ventes", HeaderRow: 6},
		header: []string{"20/03/2024", "F-0003", "C003", "Café des Sports", "1,5", "10,25", "15,38"}, hdrLine: 7,
		recs: []xlsxRec{{line: 8, fields: []string{"Total", "", "", "", "2.5", "", "-2393.65"}}},
	},
	{
		name: "1904 dates, exact numbers, booleans, blank row", file: "releve_1904.xlsx",
		header: []string{"Date", "Réf", "", "Qté", "Prix", "Actif"}, hdrLine: 1,
		recs: []xlsxRec{
			{line: 2, fields: []string{"2024-03-01", "A-1", "", "10", "19.99", "TRUE"}},
			{line: 4, fields: []string{"2024-03-15", "007", "", "-3", "0.00000015", "FALSE"}},
			{line: 5, fields: []string{"45352", "Ref,2", "", "0.25", "1000000000000000"}},
			{line: 6, fields: []string{"1904-01-01", "Z", "col C", "1", "12.345"}},
		},
	},
	{
		name: "second sheet by name", file: "releve_1904.xlsx",
		o:      XLSXOptions{Sheet: "Autre"},
		header: []string{"Autre feuille"}, hdrLine: 1,
	},
	{
		name: "1900 leap-year bug and calendar ends", build: xlsxLeapBook.write,
		header: []string{"Date", "Note"}, hdrLine: 1,
		recs: []xlsxRec{
			{line: 2, fields: []string{"0", "serial 0"}},
			{line: 3, fields: []string{"1900-01-01", "first day"}},
			{line: 4, fields: []string{"1900-02-28", "1900-02-28"}},
			{line: 5, fields: []string{"60", "1900-02-29 does not exist"}},
			{line: 6, fields: []string{"1900-03-01", "1900-03-01"}},
			{line: 7, fields: []string{"2024-03-01", "18:00"}},
			{line: 8, fields: []string{"2024-03-02", "rounds to the next day"}},
			{line: 9, fields: []string{"2024-03-01", "23:59:58"}},
			{line: 10, fields: []string{"-1", "negative"}},
			{line: 11, fields: []string{"9999-12-31", "last day"}},
			{line: 12, fields: []string{"2958466", "after the last day"}},
			{line: 13, fields: []string{"2024-03-01", "exponent"}},
		},
	},
	{
		name: "1904 date system", build: func(t testing.TB, path string) {
			b := xlsxLeapBook
			b.date1904 = true
			b.write(t, path)
		},
		header: []string{"Date", "Note"}, hdrLine: 1,
		recs: []xlsxRec{
			{line: 2, fields: []string{"1904-01-01", "serial 0"}},
			{line: 3, fields: []string{"1904-01-02", "first day"}},
			{line: 4, fields: []string{"1904-02-29", "1900-02-28"}},
			{line: 5, fields: []string{"1904-03-01", "1900-02-29 does not exist"}},
			{line: 6, fields: []string{"1904-03-02", "1900-03-01"}},
			{line: 7, fields: []string{"2028-03-02", "18:00"}},
			{line: 8, fields: []string{"2028-03-03", "rounds to the next day"}},
			{line: 9, fields: []string{"2028-03-02", "23:59:58"}},
			{line: 10, fields: []string{"-1", "negative"}},
			{line: 11, fields: []string{"2958465.5", "last day"}},
			{line: 12, fields: []string{"2958466", "after the last day"}},
			{line: 13, fields: []string{"2028-03-02", "exponent"}},
		},
	},
	{
		name: "cell kinds", build: xlsxKindsBook.write,
		header: []string{"Kind", "Value"}, hdrLine: 1,
		recs: []xlsxRec{
			{line: 2, fields: []string{"error", "#N/A"}},
			{line: 3, fields: []string{"iso date", "2024-03-01"}},
			{line: 4, fields: []string{"bool", "TRUE"}},
			{line: 5, fields: []string{"formula string", "abc"}},
			{line: 6, fields: []string{"exponent", "0.00000015"}},
			{line: 7, fields: []string{"big exponent", "100000000000000010000"}},
			{line: 8, fields: []string{"17 digits", "0.30000000000000004"}},
			{line: 9, fields: []string{"trailing zero", "1234.50"}},
			{line: 10, fields: []string{"custom 14 = 0.00", "45352"}},
			{line: 11, fields: []string{"red", "-1234.567"}},
			{line: 12, fields: []string{"quoted m", "12.5"}},
			{line: 13, fields: []string{"d-mmm-yy", "2024-03-01"}},
			{line: 14, fields: []string{"yyyy", "2024-03-01"}},
			{line: 15, fields: []string{"builtin 22", "2024-03-01"}},
			{line: 16, fields: []string{"accounting", "-5"}},
			{line: 17, fields: []string{"text format", "42"}},
			{line: 18, fields: []string{"rich", "rich text"}},
			{line: 19, fields: []string{"padded", " padded "}},
			{line: 20, fields: []string{"text in date style", "45352"}},
			{line: 21, fields: []string{"text in yyyy style", "45352"}},
			{line: 22, fields: []string{"formula, no value", ""}},
			{line: 23, fields: []string{"formula", "2024-03-02"}},
			{line: 25, fields: []string{"no refs", "7"}},
			{line: 30, fields: []string{"", "", "gap"}},
		},
	},
	{
		name: "only empty rows from the header row", build: func(t testing.TB, path string) {
			f := excelize.NewFile()
			xlsxPut(t, f, "Sheet1", 1, "Titre")
			xlsxPut(t, f, "Sheet1", 2, xlsxCell{fmtID: 14}, xlsxCell{fmtID: 14})
			xlsxPut(t, f, "Sheet1", 3, " ")
			xlsxSave(t, f, path)
		},
		o:      XLSXOptions{HeaderRow: 2},
		hdrErr: `no header: sheet "Sheet1" has only empty rows from row 2`,
	},
	{
		name: "empty sheet", build: func(t testing.TB, path string) { xlsxSave(t, excelize.NewFile(), path) },
		hdrErr: `sheet "Sheet1" has 0 rows, header expected on row 1`,
	},
	{
		name: "negative header row", build: func(t testing.TB, path string) { xlsxSave(t, excelize.NewFile(), path) },
		o:       XLSXOptions{HeaderRow: -1},
		openErr: "XLSX header row -1: must be 1 or more",
	},
	{
		name: "corrupt file", build: func(t testing.TB, path string) {
			r := rand.New(rand.NewPCG(1, 2))
			b := make([]byte, 4096)
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			xlsxWriteBytes(t, path, b)
		},
		openErr: "not an xlsx workbook: zip: not a valid zip file",
	},
	{
		name: "truncated workbook", build: func(t testing.TB, path string) {
			full := filepath.Join(t.TempDir(), "full.xlsx")
			xlsxBuildVentes(t, full)
			b, err := os.ReadFile(full)
			if err != nil {
				t.Fatal(err)
			}
			xlsxWriteBytes(t, path, b[:len(b)*2/3])
		},
		openErr: "not an xlsx workbook: zip: not a valid zip file",
	},
	{
		name: "legacy xls", build: func(t testing.TB, path string) {
			xlsxWriteBytes(t, path, append(slices.Clone(xlsxOLEMagic), make([]byte, 512)...))
		},
		openErr: "it is an OLE2 file (a legacy .xls workbook, or a password-protected one)",
	},
	{
		name: "zip without a workbook", build: func(t testing.TB, path string) {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			w, _ := zw.Create("ventes.csv")
			io.WriteString(w, "a;b\n1;2\n")
			zw.Close()
			xlsxWriteBytes(t, path, buf.Bytes())
		},
		openErr: `not an xlsx workbook: the archive has no [Content_Types].xml; it holds "ventes.csv"`,
	},
}

func xlsxWriteBytes(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// xlsxReadAll reads a whole sheet: header, then records until io.EOF.
func xlsxReadAll(t *testing.T, path string, o XLSXOptions) (header []string, hdrLine int64, recs []xlsxRec, openErr, hdrErr error) {
	t.Helper()
	x, err := NewXLSXReader(path, o)
	if err != nil {
		return nil, 0, nil, err, nil
	}
	defer func() {
		if err := x.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()
	header, hdrLine, err = x.Header()
	if err != nil {
		return nil, 0, nil, nil, err
	}
	for {
		r, err := x.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("Next after line %d: %v", r.Line, err)
		}
		if r.Err == nil && r.Raw != strings.Join(r.Fields, " | ") {
			t.Errorf("line %d: Raw %q is not the fields %q joined", r.Line, r.Raw, r.Fields)
		}
		xr := xlsxRec{line: r.Line, fields: r.Fields}
		if r.Err != nil {
			xr.err = r.Err.Error()
		}
		recs = append(recs, xr)
	}
	return header, hdrLine, recs, nil, nil
}

func (c xlsxCase) path(t *testing.T) string {
	if c.file != "" {
		return xlsxTestdataPath(t, c.file)
	}
	path := filepath.Join(t.TempDir(), "book.xlsx")
	c.build(t, path)
	return path
}

func TestXLSXReader(t *testing.T) {
	for _, c := range xlsxCases {
		t.Run(c.name, func(t *testing.T) {
			header, hdrLine, recs, openErr, hdrErr := xlsxReadAll(t, c.path(t), c.o)
			if !xlsxMatchErr(openErr, c.openErr) {
				t.Fatalf("NewXLSXReader error %v, want %q", openErr, c.openErr)
			}
			if openErr != nil {
				return
			}
			if !xlsxMatchErr(hdrErr, c.hdrErr) {
				t.Fatalf("Header error %v, want %q", hdrErr, c.hdrErr)
			}
			if !slices.Equal(header, c.header) || hdrLine != c.hdrLine {
				t.Errorf("header %q on row %d, want %q on row %d", header, hdrLine, c.header, c.hdrLine)
			}
			if len(recs) != len(c.recs) {
				t.Errorf("%d records, want %d:\n%v", len(recs), len(c.recs), recs)
			}
			for i := range min(len(recs), len(c.recs)) {
				g, w := recs[i], c.recs[i]
				if g.line != w.line || !slices.Equal(g.fields, w.fields) || !strings.Contains(g.err, w.err) || (w.err == "") != (g.err == "") {
					t.Errorf("record %d:\n got line %d %q err %q\nwant line %d %q err %q", i, g.line, g.fields, g.err, w.line, w.fields, w.err)
				}
			}
		})
	}
}

// xlsxMatchErr reports whether err is nil when want is "", else contains want.
func xlsxMatchErr(err error, want string) bool {
	if err == nil || want == "" {
		return (err == nil) == (want == "")
	}
	return strings.Contains(err.Error(), want)
}

// TestXLSXTestdataUpToDate checks that the committed workbooks read like freshly
// built ones, so that a change to a builder without -update is noticed.
func TestXLSXTestdataUpToDate(t *testing.T) {
	for name, build := range xlsxTestdata {
		t.Run(name, func(t *testing.T) {
			fresh := filepath.Join(t.TempDir(), name)
			build(t, fresh)
			committed := xlsxTestdataPath(t, name)
			for _, sheet := range []string{"", "Ventes", "Autre"} {
				o := XLSXOptions{Sheet: sheet}
				h1, l1, r1, oe1, he1 := xlsxReadAll(t, committed, o)
				h2, l2, r2, oe2, he2 := xlsxReadAll(t, fresh, o)
				if fmt.Sprint(h1, l1, r1, oe1, he1) != fmt.Sprint(h2, l2, r2, oe2, he2) {
					t.Errorf("sheet %q of %s differs from its builder's; run the tests with -update", sheet, committed)
				}
			}
		})
	}
}

func TestXLSXNextWithoutHeader(t *testing.T) {
	x, err := NewXLSXReader(xlsxTestdataPath(t, "ventes.xlsx"), XLSXOptions{Sheet: "Ventes", HeaderRow: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	r, err := x.Next()
	if err != nil || r.Line != 4 || r.Raw != "2024-03-01 | F-0001 | C001 | Dupont SARL | 3 | 19.99 | 59.97" {
		t.Fatalf("Next = %+v, %v", r, err)
	}
	if h, line, err := x.Header(); err != nil || line != 3 || len(h) != 7 {
		t.Fatalf("Header after Next = %q, %d, %v", h, line, err)
	}
	if x.Sheet() != "Ventes" {
		t.Errorf("Sheet() = %q", x.Sheet())
	}
	for range 3 {
		if _, err := x.Next(); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		if r, err := x.Next(); !errors.Is(err, io.EOF) || r.Line != 8 {
			t.Fatalf("Next at the end = %+v, %v; want io.EOF after row 8", r, err)
		}
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestXLSXLimits(t *testing.T) {
	path := xlsxTestdataPath(t, "ventes.xlsx")
	for _, c := range []struct {
		lim  xlsxLimits
		want string
	}{
		{xlsxLimits{unzipped: 1 << 10, inMemory: 1 << 30, xmlInMemory: 1 << 10}, "once decompressed, over the"},
		{xlsxLimits{unzipped: 1 << 30, inMemory: 1 << 10, xmlInMemory: 1 << 10}, "parts other than large worksheets"},
	} {
		_, err := NewXLSXReader(path, XLSXOptions{limits: &c.lim})
		if !xlsxMatchErr(err, c.want) {
			t.Errorf("limits %+v: error %v, want %q", c.lim, err, c.want)
		}
	}
	// Worksheets over xmlInMemory are read from temporary files, removed by Close.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	x, err := NewXLSXReader(path, XLSXOptions{Sheet: "Ventes", HeaderRow: 3, limits: &xlsxLimits{unzipped: 1 << 30, inMemory: 1 << 30, xmlInMemory: 16}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for ; ; n++ {
		if _, err := x.Next(); err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatal(err)
			}
			break
		}
	}
	if n != 4 {
		t.Errorf("%d records from temporary files, want 4", n)
	}
	if files, _ := filepath.Glob(filepath.Join(tmp, "*", "*")); len(files) < 2 {
		t.Errorf("temporary files while reading: %q, want the sheet's and the shared strings'", files)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if files, _ := os.ReadDir(tmp); len(files) != 0 {
		t.Errorf("temporary files left after Close: %v", files)
	}
}

func TestXLSXDateFormatCode(t *testing.T) {
	for code, want := range map[string]bool{
		"dd/mm/yyyy":                 true,
		"[$-40C]d mmmm yyyy":         true,
		"yyyy-mm-dd;@":               true,
		"h:mm":                       true,
		"[h]:mm:ss":                  true,
		"General":                    false,
		"0.00":                       false,
		"#,##0.00\\ \"€\"":           false,
		"0.00 \"days\"":              false,
		"[Red]#,##0;[Blue]-#,##0":    false,
		"_(* #,##0.00_);_(* (#,##0)": false,
		"0.00E+00":                   false,
		"@":                          false,
		"\"unterminated":             false,
		"[unterminated":              false,
		"\\d0":                       false,
		"*m0":                        false,
	} {
		if got := xlsxDateFormatCode(code); got != want {
			t.Errorf("xlsxDateFormatCode(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestXLSXPlainNumber(t *testing.T) {
	for s, want := range map[string]string{
		"12":                     "12",
		"-12.50":                 "-12.50",
		"007":                    "007",
		"1.5E-7":                 "0.00000015",
		"-1.5e-7":                "-0.00000015",
		"1.0000000000000001E+20": "100000000000000010000",
		"1.25E+1":                "12.5",
		"1.25E+2":                "125",
		"1.25E0":                 "1.25",
		"0.0015E2":               "0.15",
		"0.15E-1":                "0.015",
		".5E1":                   "5",
		"5.E-1":                  "0.5",
		"+5":                     "5",
		".5":                     "0.5",
		"1E-500":                 "0",
	} {
		v, ok := xlsxParseNumber(s)
		if !ok {
			t.Errorf("xlsxParseNumber(%q) failed", s)
			continue
		}
		if got := xlsxPlainNumber(s, v); got != want {
			t.Errorf("xlsxPlainNumber(%q) = %q, want %q", s, got, want)
		}
	}
	for _, s := range []string{"", "-", ".", "e5", "1e", "NaN", "Inf", "0x1p3", "1,5", "1 000", "1E+400"} {
		if v, ok := xlsxParseNumber(s); ok {
			t.Errorf("xlsxParseNumber(%q) = %v, want no number", s, v)
		}
	}
}

// xlsxFuzzParts are the parts of a workbook whose XML the fuzzer rewrites.
var xlsxFuzzParts = []string{"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/styles.xml", "xl/sharedStrings.xml", "xl/workbook.xml"}

// xlsxReplacePart returns the zip archive file with the part name (added if missing)
// holding content. It fails when file is not a readable zip archive.
func xlsxReplacePart(file []byte, name string, content []byte) ([]byte, bool) {
	zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil || len(zr.File) > 100 {
		return nil, false
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if f.Name != name && zw.Copy(f) != nil {
			return nil, false
		}
	}
	w, err := zw.Create(name)
	if err != nil {
		return nil, false
	}
	w.Write(content)
	if zw.Close() != nil {
		return nil, false
	}
	return buf.Bytes(), true
}

// FuzzXLSX reads arbitrary workbooks: no panic, rows in order, valid UTF-8 text, a
// live heap under 1 GiB (inputs over 1 MiB are skipped and the reader's limits are
// lowered). The input is a file, and optionally a part ("name\n" then its XML) put
// into it before reading, so that the fuzzer can change the XML inside the
// compressed, checksummed archive. The seeds are the workbooks of testdata/xlsx and
// their parts.
func FuzzXLSX(f *testing.F) {
	seed := func(file []byte, sheet string) {
		f.Add(file, []byte(nil), uint8(1), sheet)
		zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
		if err != nil {
			f.Fatal(err)
		}
		for _, zf := range zr.File {
			if !slices.Contains(xlsxFuzzParts, zf.Name) {
				continue
			}
			rc, err := zf.Open()
			if err != nil {
				f.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				f.Fatal(err)
			}
			f.Add(file, append([]byte(zf.Name+"\n"), b...), uint8(0), sheet)
		}
	}
	for name := range xlsxTestdata {
		b, err := os.ReadFile(xlsxTestdataPath(f, name))
		if err != nil {
			f.Fatal(err)
		}
		seed(b, "")
		f.Add(b, []byte(nil), uint8(2), "Ventes")
	}
	for _, b := range []xlsxRawBook{xlsxLeapBook, xlsxKindsBook} {
		path := filepath.Join(f.TempDir(), "seed.xlsx")
		b.write(f, path)
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		seed(data, "")
	}
	f.Add([]byte("PK\x03\x04 not really a zip"), []byte(nil), uint8(0), "")
	// An execution opens a workbook (milliseconds under coverage), so minimizing each
	// new input for up to the default 60 s would take all of a short -fuzztime: when
	// fuzzing without -fuzzminimizetime, minimizing stops after 2 s.
	if fl := flag.Lookup("test.fuzz"); fl != nil && fl.Value.String() != "" {
		set := false
		flag.Visit(func(fl *flag.Flag) { set = set || fl.Name == "test.fuzzminimizetime" })
		if !set {
			flag.Set("test.fuzzminimizetime", "2s")
		}
	}
	lim := xlsxLimits{unzipped: 64 << 20, inMemory: 32 << 20, xmlInMemory: 1 << 20}
	f.Fuzz(func(t *testing.T, file, part []byte, row uint8, sheet string) {
		if len(file)+len(part) > 1<<20 {
			t.Skip("over 1 MiB")
		}
		if name, content, ok := bytes.Cut(part, []byte("\n")); ok {
			if b, ok := xlsxReplacePart(file, string(name), content); ok {
				file = b
			}
		}
		path := filepath.Join(t.TempDir(), "fuzz.xlsx")
		xlsxWriteBytes(t, path, file)
		x, err := NewXLSXReader(path, XLSXOptions{Sheet: sheet, HeaderRow: int(row % 4), limits: &lim})
		if err != nil {
			return
		}
		defer x.Close()
		header, prev, err := x.Header()
		if err != nil {
			return
		}
		checkUTF8(t, "header", header...)
		var ms runtime.MemStats
		for n := 1; ; n++ {
			r, err := x.Next()
			if err != nil {
				break
			}
			if r.Line <= prev || r.Line > excelize.TotalRows {
				t.Fatalf("row %d after row %d", r.Line, prev)
			}
			prev = r.Line
			checkUTF8(t, "Raw", r.Raw)
			checkUTF8(t, "Fields", r.Fields...)
			if r.Err == nil && r.Raw != strings.Join(r.Fields, " | ") {
				t.Fatalf("row %d: Raw %q is not the fields %q joined", r.Line, r.Raw, r.Fields)
			}
			if n%4096 == 0 {
				if runtime.ReadMemStats(&ms); ms.HeapAlloc > 1<<30 {
					t.Fatalf("%d MiB of heap after %d rows", ms.HeapAlloc>>20, n)
				}
			}
		}
		if runtime.ReadMemStats(&ms); ms.HeapAlloc > 1<<30 {
			t.Fatalf("%d MiB of heap at the end", ms.HeapAlloc>>20)
		}
	})
}

// xlsxBenchRows is the number of rows of the benchmark sheets, their header included.
const xlsxBenchRows = 200_000

// xlsxBenchStyle marks the styled cells of the benchmark rows.
type xlsxBenchStyle struct {
	v     any
	money bool // built-in format 4, #,##0.00; else 14, a date
}

// xlsxBenchRow returns row i (0 is the header) of the benchmark sheets: 14 columns, a
// date cell, text, integers, an amount with two decimals.
func xlsxBenchRow(i int, row []any) []any {
	if i == 0 {
		return append(row[:0], "Date", "Facture", "Client", "Raison sociale", "TVA", "SIRET", "Adresse", "CP", "Ville", "Pays", "Référence", "Désignation", "Quantité", "Montant")
	}
	names := [...]string{"DUPONT ÉLECTRICITÉ SARL", "MARTIN & FILS", "CAFÉ DES SPORTS", "GARAGE MÜLLER", "L'ŒIL DU FAUCON"}
	cities := [...]string{"Paris", "Lyon", "Saint-Étienne", "Besançon", "Nîmes"}
	return append(row[:0],
		xlsxBenchStyle{v: xlsxSerial20240301 + i%28}, fmt.Sprintf("FAC-%06d", i/3), fmt.Sprintf("C%05d", i%5000),
		names[i%len(names)], fmt.Sprintf("FR%011d", i%5000*7919), fmt.Sprintf("%014d", i%5000*104729),
		fmt.Sprintf("%d rue de la Paix", 1+i%120), 75000+i%99, cities[i%len(cities)], "FR",
		fmt.Sprintf("REF-%03d", i%1000), fmt.Sprintf("DS-%03d", i%997), 1+i%12,
		xlsxBenchStyle{v: float64(i%100000) / 100, money: true})
}

// xlsxBuildBenchStream writes the benchmark sheet with excelize's stream writer, which
// writes text as inline strings.
func xlsxBuildBenchStream(b *testing.B, path string) {
	f := excelize.NewFile()
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		b.Fatal(err)
	}
	money, err := f.NewStyle(&excelize.Style{NumFmt: 4})
	if err != nil {
		b.Fatal(err)
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	var row []any
	for i := range xlsxBenchRows {
		row = xlsxBenchRow(i, row)
		for j, v := range row {
			if c, ok := v.(xlsxBenchStyle); ok {
				row[j] = excelize.Cell{StyleID: date, Value: c.v}
				if c.money {
					row[j] = excelize.Cell{StyleID: money, Value: c.v}
				}
			}
		}
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(ref, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	f.Close()
}

// xlsxBuildBenchShared writes the benchmark sheet as Excel saves one: text in the
// shared strings table, cells with references and styles.
func xlsxBuildBenchShared(b *testing.B, path string) {
	index := map[string]int{}
	book := xlsxRawBook{xfs: []string{xlsxXf(14), xlsxXf(4)}}
	var row []any
	for i := range xlsxBenchRows {
		row = xlsxBenchRow(i, row)
		for _, v := range row {
			if s, ok := v.(string); ok {
				if _, seen := index[s]; !seen {
					index[s] = len(book.sst)
					book.sst = append(book.sst, "<t>"+xlsxEscape(s)+"</t>")
				}
			}
		}
	}
	book.sheets = []xlsxRawSheet{{name: "Sheet1", stream: func(w io.Writer) {
		bw := bufio.NewWriter(w)
		var row []any
		for i := range xlsxBenchRows {
			fmt.Fprintf(bw, `<row r="%d">`, i+1)
			row = xlsxBenchRow(i, row)
			for j, v := range row {
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				switch v := v.(type) {
				case string:
					fmt.Fprintf(bw, `<c r="%s" t="s"><v>%d</v></c>`, ref, index[v])
				case xlsxBenchStyle:
					style := 1
					if v.money {
						style = 2
					}
					fmt.Fprintf(bw, `<c r="%s" s="%d"><v>%v</v></c>`, ref, style, v.v)
				default:
					fmt.Fprintf(bw, `<c r="%s"><v>%v</v></c>`, ref, v)
				}
			}
			bw.WriteString("</row>")
		}
		bw.Flush()
	}}}
	book.write(b, path)
}

func xlsxEscape(s string) string {
	var buf strings.Builder
	xml.EscapeText(&buf, []byte(s))
	return buf.String()
}

// BenchmarkXLSX reads generated sheets of 200,000 rows and 14 columns and reports
// rows/s and the peak of the heap (runtime.MemStats.HeapAlloc, garbage included,
// sampled every 4,096 rows while reading).
func BenchmarkXLSX(b *testing.B) {
	for _, bc := range []struct {
		name  string
		build func(*testing.B, string)
	}{
		{"shared-strings", xlsxBuildBenchShared},
		{"inline-strings", xlsxBuildBenchStream},
	} {
		b.Run(bc.name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "bench.xlsx")
			start := time.Now()
			bc.build(b, path)
			st, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("%d rows, %.1f MiB, generated in %v", xlsxBenchRows, float64(st.Size())/(1<<20), time.Since(start).Round(time.Millisecond))
			runtime.GC()
			var ms runtime.MemStats
			var peak uint64
			sample := func() {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
			loops := 0
			for ; b.Loop(); loops++ {
				x, err := NewXLSXReader(path, XLSXOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if _, _, err := x.Header(); err != nil {
					b.Fatal(err)
				}
				sample()
				n := 1
				for ; ; n++ {
					r, err := x.Next()
					if err != nil {
						if !errors.Is(err, io.EOF) {
							b.Fatal(err)
						}
						break
					}
					if r.Err != nil || len(r.Fields) != 14 || r.Fields[0][:4] != "2024" || strings.Contains(r.Fields[13], ",") {
						b.Fatalf("row %d: %v, %q", r.Line, r.Err, r.Fields)
					}
					if n%4096 == 0 {
						sample()
					}
				}
				sample()
				if n != xlsxBenchRows {
					b.Fatalf("%d rows, want %d", n, xlsxBenchRows)
				}
				x.Close()
			}
			b.ReportMetric(float64(xlsxBenchRows*loops)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}
