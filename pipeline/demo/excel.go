package demo

import (
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"
)

// HOTEL's Excel workbooks.

// excelEpoch is day 0 of Excel's 1900 date system, as serials count from it after
// February 1900.
var excelEpoch = time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC)

// excelSerial is the date serial of d.
func excelSerial(d time.Time) int { return int(d.Sub(excelEpoch).Hours() / 24) }

var frMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	"août", "septembre", "octobre", "novembre", "décembre"}

// workbook is ff as HOTEL's ERP exports it: a sheet of notes first; then the sheet
// Ventes with a title row and a row with the period and the export date above the
// header on row 3, a row per line (dates as date cells in format 14, quantities and
// amounts as numeric cells; a garbled date or quantity as text), and a totals row. The
// document properties carry the export time, so that the same report gives the same
// bytes.
func (def *feedDef) workbook(ff *feedFile) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	x := &sheetWriter{f: f}
	period := frMonths[ff.from.Month()-1] + " " + ff.from.Format("2006")

	x.err = f.SetSheetName("Sheet1", "Notes")
	x.row("Notes", 1, "HOTEL Distribution — relevé des ventes fabricant")
	x.row("Notes", 3, "Période : "+period)
	x.row("Notes", 4, "Les ventes sont sur la feuille « Ventes » : une ligne par ligne de facture, montants HT en euros.")
	x.row("Notes", 5, "Les avoirs figurent en quantités et montants négatifs ; la dernière ligne totalise le relevé.")
	x.row("Notes", 6, "Une question sur ce fichier : edi@hotel-distribution.example")
	if x.err == nil {
		_, x.err = f.NewSheet(xlsxSheet)
	}
	dateStyle := x.style(&excelize.Style{NumFmt: 14})
	qtyStyle := x.style(&excelize.Style{NumFmt: 3})   // #,##0
	moneyStyle := x.style(&excelize.Style{NumFmt: 4}) // #,##0.00
	bold := x.style(&excelize.Style{Font: &excelize.Font{Bold: true}})

	const s = xlsxSheet
	last, _ := excelize.ColumnNumberToName(len(def.columns))
	x.row(s, 1, "Relevé des ventes Salesout Manufacturing — "+period)
	if x.err == nil {
		x.err = f.MergeCell(s, "A1", last+"1")
	}
	x.row(s, 2, "Période du "+ff.from.Format("02/01/2006")+" au "+ff.through.Format("02/01/2006"))
	x.put(s, len(def.columns)-2, 2, "Édité le")
	x.put(s, len(def.columns)-1, 2, excelSerial(ff.sent))
	x.setStyle(s, len(def.columns)-1, 2, len(def.columns)-1, 2, dateStyle)
	header := make([]any, len(def.columns))
	for i, c := range def.columns {
		header[i] = c.header
	}
	x.row(s, def.dialect.headerRow, header...)
	x.setStyle(s, 1, def.dialect.headerRow, len(def.columns), def.dialect.headerRow, bold)

	first := def.dialect.headerRow + 1
	r := first
	var qty, total int64
	for _, l := range ff.lines {
		cells := make([]any, len(def.columns))
		for i, c := range def.columns {
			switch c.field {
			case "invoice_date":
				cells[i] = excelSerial(l.date)
				if l.bad == badDate {
					cells[i] = def.badDate(l.date)
				}
			case "quantity":
				cells[i] = l.qty
				if l.bad == badQuantity {
					cells[i] = "douze"
				}
			case "unit_price":
				cells[i] = float64(l.price) / 100
			case "amount":
				cells[i] = float64(l.amount()) / 100
			default:
				if v := def.cell(c.field, l); v != "" {
					cells[i] = v
				}
			}
		}
		x.row(s, r, cells...)
		if l.bad == good {
			qty += int64(l.qty)
			total += l.amount()
		}
		r++
	}
	if ff.totals {
		cells := make([]any, len(def.columns))
		cells[0] = "Total"
		for i, c := range def.columns {
			switch c.field {
			case "quantity":
				cells[i] = qty
			case "amount":
				cells[i] = float64(total) / 100
			}
		}
		x.row(s, r, cells...)
		x.setStyle(s, 1, r, len(def.columns), r, bold)
		r++
	}
	for i, c := range def.columns {
		style := 0
		switch c.field {
		case "invoice_date":
			style = dateStyle
		case "quantity":
			style = qtyStyle
		case "unit_price", "amount":
			style = moneyStyle
		}
		if style != 0 && r > first {
			x.setStyle(s, i+1, first, i+1, r-1, style)
		}
	}
	for _, w := range []struct {
		from, to string
		width    float64
	}{{"A", "B", 13}, {"C", "C", 34}, {"D", "D", 16}, {"E", "E", 28}, {"G", "G", 20}, {"I", "I", 40}} {
		if x.err == nil {
			x.err = f.SetColWidth(s, w.from, w.to, w.width)
		}
	}
	if x.err == nil {
		sent := ff.sent.Format(time.RFC3339)
		x.err = f.SetDocProps(&excelize.DocProperties{
			Creator: "HOTEL Distribution", LastModifiedBy: "HOTEL Distribution",
			Title: "Relevé des ventes " + period, Language: "fr-FR",
			Created: sent, Modified: sent,
		})
	}
	if x.err != nil {
		return nil, x.err
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// sheetWriter writes cells, keeping the first error.
type sheetWriter struct {
	f   *excelize.File
	err error
}

// put writes v into column col (1-based) of row; nil leaves the cell empty.
func (x *sheetWriter) put(sheet string, col, row int, v any) {
	if x.err != nil || v == nil {
		return
	}
	var ref string
	if ref, x.err = excelize.CoordinatesToCellName(col, row); x.err == nil {
		x.err = x.f.SetCellValue(sheet, ref, v)
	}
}

// row writes cells into row from column A.
func (x *sheetWriter) row(sheet string, row int, cells ...any) {
	for i, v := range cells {
		x.put(sheet, i+1, row, v)
	}
}

func (x *sheetWriter) style(s *excelize.Style) int {
	if x.err != nil {
		return 0
	}
	var id int
	id, x.err = x.f.NewStyle(s)
	return id
}

func (x *sheetWriter) setStyle(sheet string, col1, row1, col2, row2, style int) {
	if x.err != nil {
		return
	}
	from, err := excelize.CoordinatesToCellName(col1, row1)
	if err != nil {
		x.err = err
		return
	}
	to, err := excelize.CoordinatesToCellName(col2, row2)
	if err != nil {
		x.err = err
		return
	}
	if err := x.f.SetCellStyle(sheet, from, to, style); err != nil {
		x.err = fmt.Errorf("style %s:%s: %w", from, to, err)
	}
}
