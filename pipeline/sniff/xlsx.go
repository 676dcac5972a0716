package sniff

// Workbook samples: the sheet and its header row, then the table's analysis.

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/salesout/salesout/pipeline/formats"
)

// maxTitleRows is how far down a sheet the header row is looked for.
const maxTitleRows = 30

// sheetGuess is a sheet and how well a row of it reads as the header.
type sheetGuess struct {
	sheet  string
	row    int     // the header's row
	score  float64 // sum of the header cells' best synonym scores
	named  int     // header cells naming a field
	header []string
	rows   []tableRow
}

// sniffXLSX proposes the sheet, header row and columns of workbook samples.
func (p *proposer) sniffXLSX(ctx context.Context) error {
	var files []tableFile
	sheets := map[string]int{}
	rows := map[int]int{}
	var firstGuess sheetGuess
	for _, s := range p.samples {
		if err := ctx.Err(); err != nil {
			return err
		}
		g, err := bestSheet(s.path)
		if err != nil {
			p.warn("%s is skipped: %v", s.name, err)
			continue
		}
		if firstGuess.sheet == "" {
			firstGuess = g
		}
		sheets[g.sheet]++
		rows[g.row]++
		files = append(files, tableFile{name: s.name, header: g.header, headerLine: g.row, rows: g.rows})
	}
	if len(files) == 0 {
		return errors.New("sniff: no workbook could be read")
	}
	sheet, row := mostCommon(sheets), mostCommonInt(rows)
	f := &p.prop.Proposed
	f.XLSX.Sheet = sheet
	p.note("xlsx.sheet", sheet, 0.9, fmt.Sprintf("the sheet whose header row names the most fields (%d)", firstGuess.named))
	f.XLSX.HeaderRow = row
	why := "the first row holds the column names"
	if row > 1 {
		why = fmt.Sprintf("row %d names the fields; the rows above are titles", row)
	}
	p.note("xlsx.header_row", fmt.Sprint(row), 0.9, why)
	kept := files[:0]
	for _, tf := range files {
		if tf.headerLine == row {
			kept = append(kept, tf)
		} else {
			p.warn("%s has its header on row %d, the others on row %d: it would fail to load", tf.name, tf.headerLine, row)
		}
	}
	p.analyseTable(kept, true)
	return nil
}

// bestSheet reads every sheet's first rows and keeps the sheet and row that read best
// as a header, with the rows below it read as the loader reads them.
func bestSheet(path string) (sheetGuess, error) {
	wb, err := excelize.OpenFile(path)
	if err != nil {
		return sheetGuess{}, fmt.Errorf("open workbook: %w", err)
	}
	names := wb.GetSheetList()
	wb.Close()
	var best sheetGuess
	for _, name := range names {
		g, err := readSheet(path, name)
		if err != nil {
			continue
		}
		if g.score > best.score {
			best = g
		}
	}
	if best.sheet == "" {
		return best, errors.New("no sheet has a row of column names")
	}
	return best, nil
}

// readSheet reads a sheet through the loader's reader and finds its header row.
func readSheet(path, sheet string) (sheetGuess, error) {
	x, err := formats.NewXLSXReader(path, formats.XLSXOptions{Sheet: sheet, HeaderRow: 1})
	if err != nil {
		return sheetGuess{}, err
	}
	defer x.Close()
	first, line, err := x.Header()
	if err != nil {
		return sheetGuess{}, err
	}
	all := []tableRow{{line: int(line), cells: first}}
	for len(all) < maxRows {
		rec, err := x.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return sheetGuess{}, err
		}
		if rec.Err == nil {
			all = append(all, tableRow{line: int(rec.Line), cells: rec.Fields})
		}
	}
	g := sheetGuess{sheet: sheet}
	for i, r := range all {
		if r.line > maxTitleRows {
			break
		}
		if !looksLikeHeader(r.cells) {
			continue
		}
		score, named := 0.0, 0
		for _, c := range r.cells {
			top := 0.0
			for _, m := range matchHeader(c) {
				if m.score > top {
					top = m.score
				}
			}
			if top > 0 {
				named++
			}
			score += top
		}
		if score > g.score {
			g.score, g.named, g.row = score, named, r.line
			g.header = trimAll(r.cells)
			g.rows = all[i+1:]
		}
	}
	if g.row == 0 {
		return g, errors.New("no header row")
	}
	return g, nil
}

func mostCommon(m map[string]int) string {
	best := ""
	for k, n := range m {
		if n > m[best] || n == m[best] && k < best {
			best = k
		}
	}
	return best
}

func mostCommonInt(m map[int]int) int {
	best, n := 0, 0
	for k, c := range m {
		if c > n || c == n && k < best {
			best, n = k, c
		}
	}
	return best
}
