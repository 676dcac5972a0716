package formats

// The tabular formats, CSV and XLSX: a header row maps columns to canonical fields.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/salesout/salesout/pipeline/canon"
)

var csvFormat = Format{
	Name:    "csv",
	Tabular: true,
	Stage:   stageCSV,
	Variables: func(s Settings) Typing {
		strip := s.CSV.Thousands
		if strip == " " {
			strip += "\u00a0\u202f" // French files use no-break spaces as often as spaces
		}
		return Typing{DateFormat: s.CSV.DateFormat, Decimal: s.CSV.Decimal, Strip: strip}
	},
}

var xlsxFormat = Format{
	Name:    "xlsx",
	Tabular: true,
	Stage:   stageXLSX,
	Variables: func(s Settings) Typing {
		// Date cells come as ISO dates, dates typed as text in the feed's format;
		// numeric cells with ".", numbers typed as text with the feed's decimal mark.
		return Typing{DateFormat: s.XLSX.DateFormat, DateFormatAlt: "%Y-%m-%d", Decimal: s.XLSX.Decimal, Strip: " \u00a0\u202f"}
	},
}

// rowReader is a reader of tabular files (CSV, XLSX): a header, then records.
type rowReader interface {
	Header() ([]string, int64, error)
	Next() (Record, error)
}

// stageCSV reads one CSV file with its feed's dialect and stages its lines.
func stageCSV(ctx context.Context, path string, s Settings, sink Sink, progress func(int64)) ([]Report, error) {
	rc, err := s.open(path)
	if err != nil {
		return nil, fileErrorf("cannot open: %v", err)
	}
	defer rc.Close()
	rd, err := NewCSVReader(rc, s.CSV.CSVDialect)
	if err != nil {
		return nil, fileErrorf("%v", err)
	}
	return nil, stageRows(ctx, rd, s, sink, true, func() {
		if progress != nil {
			progress(rd.BytesRead())
		}
	})
}

// stageXLSX reads one sheet of a workbook and stages its rows.
func stageXLSX(ctx context.Context, path string, s Settings, sink Sink, _ func(int64)) ([]Report, error) {
	rd, err := NewXLSXReader(path, s.XLSX.XLSXOptions)
	if err != nil {
		return nil, fileErrorf("%v", err)
	}
	defer rd.Close()
	return nil, stageRows(ctx, rd, s, sink, false, func() {})
}

// stageRows maps a tabular file's header to the feed's columns and stages each record.
// With width (CSV, where every line writes all its fields), a line whose number of
// fields is not the header's is a bad line (see widthProblem); a sheet's rows may leave
// their trailing cells out.
func stageRows(ctx context.Context, rd rowReader, s Settings, sink Sink, width bool, tick func()) error {
	header, headerLine, err := rd.Header()
	if err != nil {
		return fileErrorf("cannot read the header: %v", err)
	}
	idx, err := mapColumns(header, headerLine, s.Columns)
	if err != nil {
		return err
	}
	defaults := defaultValues(s)
	headerWidth := usedWidth(header)
	n := 0
	fields := make([]*string, len(canon.Fields)) // reused: the sink copies what it keeps
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if errors.Is(err, ErrBinary) {
			return fileErrorf("%v", err)
		}
		if err != nil {
			return fileErrorf("read error after line %d: %v", rec.Line, err)
		}
		clear(fields)
		line := canon.Line{LineNo: rec.Line, Raw: rec.Raw, Fields: fields}
		if rec.Err != nil {
			line.Err = rec.Err.Error()
		} else if msg := widthProblem(rec, headerWidth, s.CSV.Delimiter); width && msg != "" {
			line.Err = msg
		} else {
			for f, col := range idx {
				if col >= 0 && col < len(rec.Fields) && rec.Fields[col] != "" {
					line.Fields[f] = &rec.Fields[col]
				} else if defaults[f] != nil {
					line.Fields[f] = defaults[f]
				}
			}
		}
		if err := sink.AppendIn(line, ""); err != nil {
			return fmt.Errorf("stage line %d: %w", rec.Line, err)
		}
		if n++; n%8192 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			tick()
		}
	}
}

// usedWidth is the number of fields up to the last non-empty one.
func usedWidth(fields []string) int {
	n := len(fields)
	for n > 0 && strings.TrimSpace(fields[n-1]) == "" {
		n--
	}
	return n
}

// widthProblem is the reason of a line whose fields do not fit a header of
// headerWidth named columns (trailing empty names and fields left aside: a trailing
// delimiter is no problem): a short line (the columns after its end are missing, not
// empty) or a long one (its extra values would be dropped). "" when it fits. A line of
// one field that another delimiter would split into the header's columns says so.
func widthProblem(rec Record, headerWidth int, delim rune) string {
	n := len(rec.Fields)
	if n >= headerWidth && usedWidth(rec.Fields) <= headerWidth {
		return ""
	}
	fields := "fields"
	if n == 1 {
		fields = "field"
	}
	msg := fmt.Sprintf("line has %d %s, the header has %d", n, fields, headerWidth)
	if delim == 0 {
		delim = ','
	}
	if n == 1 && headerWidth > 1 {
		for _, d := range []rune{',', ';', '\t', '|'} {
			if d != delim && strings.Count(rec.Raw, string(d)) == headerWidth-1 {
				msg += fmt.Sprintf(" (its delimiter looks like %q, not the feed's %q)", d, delim)
				break
			}
		}
	}
	return msg
}

// mapColumns finds each mapped column in the header (trimmed, case-insensitive) and
// returns, per canonical field, the column index or -1 when the field is not mapped.
func mapColumns(header []string, headerLine int64, columns map[string]string) ([]int, error) {
	pos := map[string]int{}
	var dups []string             // mapped columns found twice
	mapped := map[string]string{} // header -> the first canonical field mapped to it
	for _, f := range canon.Fields {
		if col, ok := columns[f]; ok {
			if _, seen := mapped[normHeader(col)]; !seen {
				mapped[normHeader(col)] = f
			}
		}
	}
	for i, h := range header {
		k := normHeader(h)
		if first, dup := pos[k]; !dup {
			pos[k] = i
		} else if f, ok := mapped[k]; ok {
			dups = append(dups, fmt.Sprintf("%q (%s) is both column %d and column %d", strings.ToValidUTF8(h, "?"), f, first+1, i+1))
		}
	}
	if len(dups) > 0 {
		return nil, fileErrorf("header on line %d repeats a mapped column: %s; which one holds the values is unclear (rename one in the export)",
			headerLine, strings.Join(dups, "; "))
	}
	idx := make([]int, len(canon.Fields))
	var missing []string
	for i, f := range canon.Fields {
		idx[i] = -1
		col, ok := columns[f]
		if !ok {
			continue
		}
		p, found := pos[normHeader(col)]
		if !found {
			missing = append(missing, fmt.Sprintf("%q (%s)", col, f))
			continue
		}
		idx[i] = p
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		shown := header
		if len(shown) > 20 {
			shown = shown[:20]
		}
		return nil, fileErrorf("header on line %d lacks the mapped column(s) %s; it has: %s",
			headerLine, strings.Join(missing, ", "), quoteList(shown))
	}
	return idx, nil
}

func normHeader(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		if len(x) > 40 {
			x = x[:40] + "..."
		}
		q[i] = fmt.Sprintf("%q", strings.ToValidUTF8(x, "?"))
	}
	return strings.Join(q, ", ")
}
