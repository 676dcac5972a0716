package demo

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/salesout/salesout/pipeline/config"
)

// A small reader of feed files, written from the contract rather than from the
// generator, to check that the files are what config.yaml says they are.

// feedTable is a feed file read: its header and its data rows as records.
type feedTable struct {
	header []string
	rows   [][]string
}

// readFeedFile unwraps (.gz, .zip), decodes, skips the preamble and splits the records
// of one file of feed f.
func readFeedFile(path string, f config.Feed) (*feedTable, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	switch {
	case strings.HasSuffix(path, ".gz"):
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		if raw, err = io.ReadAll(zr); err != nil {
			return nil, err
		}
	case strings.HasSuffix(path, ".zip"):
		zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			return nil, err
		}
		if len(zr.File) != 1 {
			return nil, fmt.Errorf("%d files in the zip, want 1", len(zr.File))
		}
		rc, err := zr.File[0].Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		if raw, err = io.ReadAll(rc); err != nil {
			return nil, err
		}
	}
	text, err := decode(raw, f.CSV.Encoding)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < f.CSV.HeaderRow {
		return nil, fmt.Errorf("%d lines, header expected on line %d", len(lines), f.CSV.HeaderRow)
	}
	var records [][]string
	for _, l := range lines[f.CSV.HeaderRow-1:] {
		rec, err := splitRecord(strings.TrimSuffix(l, "\r"), f.CSV.DelimiterRune(), []rune(f.CSV.Quote)[0])
		if err != nil {
			return nil, err
		}
		records = append(records, rec)
	}
	t := &feedTable{header: records[0], rows: records[1:]}
	for field, col := range f.Columns {
		if !slices.Contains(t.header, col) {
			return nil, fmt.Errorf("no column %q (%s) in the header %q", col, field, t.header)
		}
	}
	for i, r := range t.rows {
		if len(r) != len(t.header) {
			return nil, fmt.Errorf("row %d has %d fields, the header %d", i+1, len(r), len(t.header))
		}
	}
	return t, nil
}

// decode turns raw into text; UTF-8 must be valid, its BOM is dropped.
func decode(raw []byte, encoding string) (string, error) {
	var cm *charmap.Charmap
	switch encoding {
	case "utf-8":
		if !utf8.Valid(raw) {
			return "", fmt.Errorf("not valid UTF-8")
		}
		return strings.TrimPrefix(string(raw), "\ufeff"), nil
	case "windows-1252":
		cm = charmap.Windows1252
	case "iso-8859-15":
		cm = charmap.ISO8859_15
	default:
		return "", fmt.Errorf("unknown encoding %q", encoding)
	}
	b, err := cm.NewDecoder().Bytes(raw)
	if err != nil {
		return "", err
	}
	if bytes.ContainsRune(b, utf8.RuneError) || bytes.ContainsRune(b, 0) {
		return "", fmt.Errorf("bytes that %s does not define", encoding)
	}
	return string(b), nil
}

// splitRecord splits one line into fields; a field that starts with quote runs to the
// next lone quote, a doubled quote inside standing for one.
func splitRecord(s string, delim, quote rune) ([]string, error) {
	var fields []string
	rs := []rune(s)
	for i := 0; ; {
		var b strings.Builder
		if i < len(rs) && rs[i] == quote {
			for i++; ; i++ {
				if i >= len(rs) {
					return nil, fmt.Errorf("unterminated quote in %q", s)
				}
				if rs[i] == quote {
					if i+1 < len(rs) && rs[i+1] == quote {
						b.WriteRune(quote)
						i++
						continue
					}
					i++
					break
				}
				b.WriteRune(rs[i])
			}
			if i < len(rs) && rs[i] != delim {
				return nil, fmt.Errorf("text after a closing quote in %q", s)
			}
		} else {
			for ; i < len(rs) && rs[i] != delim; i++ {
				b.WriteRune(rs[i])
			}
		}
		fields = append(fields, b.String())
		if i >= len(rs) {
			return fields, nil
		}
		i++ // the delimiter
	}
}

// value is the field of row that the feed maps to the canonical field, else its default.
func (t *feedTable) value(f config.Feed, row []string, field string) string {
	if col, ok := f.Columns[field]; ok {
		return row[slices.Index(t.header, col)]
	}
	return f.Defaults[field]
}

// parsedLine is a row typed as the loader would type it.
type parsedLine struct {
	date                   time.Time
	qty, unitPrice, amount float64
	currency               string
}

// parse types row; an error is a reason to quarantine it.
func (t *feedTable) parse(f config.Feed, row []string) (parsedLine, error) {
	var l parsedLine
	var err error
	if l.date, err = time.Parse(goLayout(f.CSV.DateFormat), t.value(f, row, "invoice_date")); err != nil {
		return l, err
	}
	if t.value(f, row, "sku")+t.value(f, row, "distributor_sku")+t.value(f, row, "gtin") == "" {
		return l, fmt.Errorf("no product")
	}
	number := func(s string) (float64, error) {
		if f.CSV.Thousands != "" {
			s = strings.ReplaceAll(s, f.CSV.Thousands, "")
		}
		return strconv.ParseFloat(strings.Replace(s, f.CSV.Decimal, ".", 1), 64)
	}
	if l.qty, err = number(t.value(f, row, "quantity")); err != nil {
		return l, err
	}
	if l.unitPrice, err = number(t.value(f, row, "unit_price")); err != nil {
		return l, err
	}
	l.amount = l.qty * l.unitPrice
	if s := t.value(f, row, "amount"); s != "" {
		if l.amount, err = number(s); err != nil {
			return l, err
		}
	}
	l.currency = t.value(f, row, "currency")
	return l, nil
}

// feedFileNames are the files of feed f under its source's folder, by name.
func feedFileNames(c *config.Config, f config.Feed) ([]string, error) {
	entries, err := os.ReadDir(c.Source(f.Source).Dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if ok, _ := filepath.Match(f.Match, e.Name()); ok {
			names = append(names, filepath.Join(c.Source(f.Source).Dir, e.Name()))
		}
	}
	return names, nil
}
