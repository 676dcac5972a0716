package review

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The sheets of the XLSX export.
const (
	reviewSheet = "Review"
	howToSheet  = "How to"
)

// decisionChoices are offered in the decision column's drop-down list; any other value
// (a partner id) may be typed too.
var decisionChoices = []string{"1", "2", "3", "not a partner", "none of these"}

// howToText is the "How to" sheet of the XLSX export, one line per row; a line ending
// with ":" is a heading.
var howToText = []string{
	"Review queue: how to fill it in",
	"",
	"Each row of the Review sheet is a reseller as a distributor reports it, most revenue first,",
	"with up to 3 candidate partners from the channel database, best first.",
	"Write your decision in the yellow decision column; leave it empty to decide later.",
	"",
	"Accepted decisions:",
	"1, 2 or 3: that candidate is the reseller's partner.",
	"A partner id (for example P004711): that partner, when it is not among the candidates.",
	"not a partner (or not_a_partner): the reseller is no partner of ours.",
	"none of these (or none_of_these, or none): none of the candidates is right; the reseller stays unmatched and these candidates are not proposed again.",
	"Case and surrounding spaces do not matter. A single digit always means a candidate number.",
	"",
	"Notes:",
	"The note column is free text, kept with your decision.",
	"Do not change the columns distributor, reseller_id, reseller_name and reseller_postcode: they identify the reseller.",
	"You may sort, filter, add columns and delete rows; keep the header row and the column names.",
	"Text that starts with = + - or @ is shown with a leading ' so that it can never run as a formula; leave it as it is.",
	"Save the file as an Excel workbook (.xlsx) and give it back for import (salesout review import FILE).",
}

// decisionPrompt is shown when a decision cell is selected (at most 255 characters).
const decisionPrompt = `1, 2 or 3: that candidate. A partner id: that partner. "not a partner". "none of these": none of the candidates is right. See the How to sheet.`

// WriteXLSX writes items to w as the review export in an XLSX workbook: the sheet
// "Review" with the header row frozen, an autofilter, column widths, numeric cells for
// lines, revenue and scores, every text as a string cell (never a formula; text that
// could be taken for one is also prefixed with a single quote, see the package doc), a
// yellow decision column (formatted as text, with a drop-down list of the usual
// choices that still accepts any partner id) and a note column; and a second sheet
// "How to" that lists the accepted decisions. Revenue is stored as a double, so exact
// to 15 significant digits as in any spreadsheet. Items are validated as by WriteCSV.
func WriteXLSX(w io.Writer, items []Item) (err error) {
	rows, err := exportRows(items)
	if err != nil {
		return err
	}
	if len(rows)+1 > excelize.TotalRows {
		return fmt.Errorf("review: %d items do not fit in one sheet (at most %d)", len(rows), excelize.TotalRows-1)
	}
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if err := writeReviewSheet(f, rows); err != nil {
		return fmt.Errorf("review: writing the XLSX: %w", err)
	}
	if err := writeHowToSheet(f); err != nil {
		return fmt.Errorf("review: writing the XLSX: %w", err)
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: "Review queue", Creator: "salesout"}); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

// xlsxStyles are the style ids of the Review sheet.
type xlsxStyles struct {
	header, inputHeader, text, count, money, score, input int
}

// newXLSXStyles registers the Review sheet's styles in f.
func newXLSXStyles(f *excelize.File) (s xlsxStyles, err error) {
	bottom := []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}
	text := 49 // "@": what is typed stays text (ids, postcodes)
	for _, d := range []struct {
		id    *int
		style excelize.Style
	}{
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Border: bottom,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&s.inputHeader, excelize.Style{Font: &excelize.Font{Bold: true}, Border: bottom,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFD966"}},
			Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&s.text, excelize.Style{NumFmt: text}},
		{&s.count, excelize.Style{NumFmt: 3}}, // #,##0
		{&s.money, excelize.Style{NumFmt: 4}}, // #,##0.00
		{&s.score, excelize.Style{NumFmt: 2}}, // 0.00
		{&s.input, excelize.Style{NumFmt: text, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}}}},
	} {
		if *d.id, err = f.NewStyle(&d.style); err != nil {
			return s, err
		}
	}
	return s, nil
}

// writeReviewSheet writes the rows to the first sheet of f, renamed Review. The
// autofilter and the data validation are set on the worksheet before the stream writer
// takes it over, which then writes them out with the rows.
func writeReviewSheet(f *excelize.File, rows [][]cell) error {
	if err := f.SetSheetName(f.GetSheetName(0), reviewSheet); err != nil {
		return err
	}
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	last := len(rows) + 1
	lastCol, err := excelize.ColumnNumberToName(len(exportColumns))
	if err != nil {
		return err
	}
	if err := f.AutoFilter(reviewSheet, fmt.Sprintf("A1:%s%d", lastCol, max(last, 2)), nil); err != nil {
		return err
	}
	decisionCol := ""
	for i, c := range exportColumns {
		if c.name == colDecision {
			decisionCol, _ = excelize.ColumnNumberToName(i + 1)
		}
	}
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(fmt.Sprintf("%s2:%s%d", decisionCol, decisionCol, max(last, 2)))
	if err := dv.SetDropList(decisionChoices); err != nil {
		return err
	}
	dv.ShowErrorMessage = false // a partner id is a valid decision too
	dv.SetInput("Decision", decisionPrompt)
	if err := f.AddDataValidation(reviewSheet, dv); err != nil {
		return err
	}

	sw, err := f.NewStreamWriter(reviewSheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	// Each width goes in front of those set before: set them last column first, so
	// that the <col> elements come in ascending order, as Excel wants them.
	for i := len(exportColumns) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, exportColumns[i].width); err != nil {
			return err
		}
	}
	vals := make([]any, len(exportColumns))
	for i, c := range exportColumns {
		style := st.header
		if c.kind == kindInput {
			style = st.inputHeader
		}
		vals[i] = excelize.Cell{StyleID: style, Value: c.name}
	}
	if err := sw.SetRow("A1", vals, excelize.RowOpts{Height: 20}); err != nil {
		return err
	}
	for r, row := range rows {
		for i, c := range row {
			vals[i] = xlsxCell(exportColumns[i].kind, c, st)
		}
		ref, err := excelize.CoordinatesToCellName(1, r+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref, vals); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// xlsxCell returns the stream-writer cell of c in a column of the given kind: a string
// cell for text (a Go string is always written as an inline string, never a formula),
// a number for numbers, a styled empty cell for the analyst's columns.
func xlsxCell(kind cellKind, c cell, st xlsxStyles) excelize.Cell {
	switch kind {
	case kindInput:
		return excelize.Cell{StyleID: st.input}
	case kindCount, kindMoney, kindScore:
		if c.text == "" {
			return excelize.Cell{}
		}
		style := map[cellKind]int{kindCount: st.count, kindMoney: st.money, kindScore: st.score}[kind]
		return excelize.Cell{StyleID: style, Value: c.num}
	}
	if c.text == "" {
		return excelize.Cell{StyleID: st.text}
	}
	return excelize.Cell{StyleID: st.text, Value: c.text}
}

// writeHowToSheet adds the How to sheet.
func writeHowToSheet(f *excelize.File) error {
	if _, err := f.NewSheet(howToSheet); err != nil {
		return err
	}
	if err := f.SetColWidth(howToSheet, "A", "A", 120); err != nil {
		return err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	heading, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, line := range howToText {
		if line == "" {
			continue
		}
		ref, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetCellStr(howToSheet, ref, protect(line)); err != nil {
			return err
		}
		style := 0
		switch {
		case i == 0:
			style = title
		case strings.HasSuffix(line, ":"):
			style = heading
		}
		if style != 0 {
			if err := f.SetCellStyle(howToSheet, ref, ref, style); err != nil {
				return err
			}
		}
	}
	return nil
}

// xlsxUnzipLimit bounds the decompressed size of a workbook read back.
const xlsxUnzipLimit = 1 << 30

// readXLSXTable reads the Review sheet of an .xlsx workbook (else its first sheet) with
// the header in row 1; cells come as stored (numbers unformatted: a 1 typed in the
// decision column reads "1"). Rows whose cells are all empty are skipped.
func readXLSXTable(path string) (t *table, err error) {
	defer func() {
		if r := recover(); r != nil {
			t, err = nil, fmt.Errorf("%s: not a readable xlsx workbook (the xlsx library failed: %v)", path, r)
		}
	}()
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: xlsxUnzipLimit})
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: not a readable xlsx workbook (save it as an Excel workbook, .xlsx, without a password): %w", path, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%s: the workbook has no sheet", path)
	}
	sheet := sheets[0]
	for _, s := range sheets {
		if strings.EqualFold(s, reviewSheet) {
			sheet = s
			break
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("%s: sheet %q: %w", path, sheet, err)
	}
	defer rows.Close()
	t = &table{path: path, unit: "row", sheet: sheet, headerPos: 1}
	for n := 1; rows.Next(); n++ {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("%s row %d: %w", path, n, err)
		}
		if n == 1 {
			t.header = cols
			if t.header == nil {
				t.header = []string{}
			}
			continue
		}
		if allEmpty(cols) {
			continue
		}
		t.records = append(t.records, record{pos: n, fields: cols})
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("%s: sheet %q: %w", path, sheet, err)
	}
	return t, nil
}
