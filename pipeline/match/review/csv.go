package review

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"
)

// utf8BOM starts the CSV export, so that Excel reads it as UTF-8.
const utf8BOM = "\uFEFF"

// WriteCSV writes items to w as the review export in CSV: UTF-8 with a byte-order mark
// (Excel then reads accents right), comma-separated, LF line ends, a header line and
// one line per item in the given order; no comment lines. Text that could be taken for
// a formula is prefixed with a single quote (see the package doc). It fails, writing
// nothing, if an item is invalid: an empty distributor, more than 3 candidates, a
// candidate without partner id, a revenue that is not decimal text, a score outside
// 0-1, or key text (the key columns and candidate partner ids) that a spreadsheet
// cannot hold exactly (control characters, over 32767 characters).
func WriteCSV(w io.Writer, items []Item) error {
	rows, err := exportRows(items)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	if err := cw.Write(exportHeader()); err != nil {
		return err
	}
	rec := make([]string, len(exportColumns))
	for _, row := range rows {
		for i, c := range row {
			rec[i] = c.text
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// readCSVTable reads a CSV file: UTF-8 (a byte-order mark is skipped), fields separated
// by the first of comma, semicolon or tab found in the header line, quoted the RFC 4180
// way. Records may have fewer fields than the header. Empty lines and lines of empty
// fields are skipped. A zero-length file has no header and no records.
func readCSVTable(path string) (*table, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte(utf8BOM))
	t := &table{path: path, unit: "line", headerPos: 1}
	if len(data) == 0 {
		return t, nil
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sniffComma(data)
	r.FieldsPerRecord = -1
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s line %d: %v", path, pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		for i, f := range rec {
			if !utf8.ValidString(f) {
				l, _ := r.FieldPos(i)
				return nil, fmt.Errorf(`%s line %d: not UTF-8 text; save the file as "CSV UTF-8"`, path, l)
			}
		}
		if t.header == nil {
			t.header, t.headerPos = rec, line
			continue
		}
		if allEmpty(rec) {
			continue
		}
		t.records = append(t.records, record{pos: line, fields: rec})
	}
	return t, nil
}

// sniffComma returns the field separator of a CSV file: the first comma, semicolon or
// tab outside quotes on its first line; a comma if there is none.
func sniffComma(data []byte) rune {
	quoted := false
	for _, b := range data {
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == ',' || b == ';' || b == '\t':
			return rune(b)
		case b == '\n':
			return ','
		}
	}
	return ','
}
