package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/salesout/salesout/pipeline/canon"
	"github.com/salesout/salesout/pipeline/config"
	"github.com/salesout/salesout/pipeline/formats"
)

// FileError is a problem that makes a whole file unreadable (binary content, a header
// without the mapped columns). The file is recorded failed; the run goes on.
type FileError struct{ Reason string }

func (e *FileError) Error() string { return e.Reason }

func fileErrorf(format string, args ...any) error {
	return &FileError{Reason: fmt.Sprintf(format, args...)}
}

// rowReader is a parser of tabular files (CSV, XLSX): a header, then records.
type rowReader interface {
	Header() ([]string, int64, error)
	Next() (formats.Record, error)
}

// stageCSV reads one CSV file with its feed's dialect and stages its lines.
func stageCSV(ctx context.Context, path string, feed config.Feed, s *Stager, progress func(int64)) error {
	rc, _, err := formats.Open(path)
	if err != nil {
		return fileErrorf("cannot open: %v", err)
	}
	defer rc.Close()
	rd, err := formats.NewCSVReader(rc, formats.CSVDialect{
		Delimiter: feed.CSV.DelimiterRune(),
		Quote:     []rune(feed.CSV.Quote)[0],
		Encoding:  feed.CSV.Encoding,
		HeaderRow: feed.CSV.HeaderRow,
	})
	if err != nil {
		return fileErrorf("%v", err)
	}
	return stageRows(ctx, rd, feed, s, func() {
		if progress != nil {
			progress(rd.BytesRead())
		}
	})
}

// stageXLSX reads one sheet of a workbook and stages its rows.
func stageXLSX(ctx context.Context, path string, feed config.Feed, s *Stager) error {
	rd, err := formats.NewXLSXReader(path, formats.XLSXOptions{Sheet: feed.XLSX.Sheet, HeaderRow: feed.XLSX.HeaderRow})
	if err != nil {
		return fileErrorf("%v", err)
	}
	defer rd.Close()
	return stageRows(ctx, rd, feed, s, func() {})
}

// stageRows maps a tabular file's header to the feed's columns and stages each record.
func stageRows(ctx context.Context, rd rowReader, feed config.Feed, s *Stager, tick func()) error {
	header, headerLine, err := rd.Header()
	if err != nil {
		return fileErrorf("cannot read the header: %v", err)
	}
	idx, err := mapColumns(header, headerLine, feed)
	if err != nil {
		return err
	}
	defaults := defaultValues(feed)
	n := 0
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if errors.Is(err, formats.ErrBinary) {
			return fileErrorf("%v", err)
		}
		if err != nil {
			return fileErrorf("read error after line %d: %v", rec.Line, err)
		}
		line := canon.Line{LineNo: rec.Line, Raw: rec.Raw, Fields: make([]*string, len(canon.Fields))}
		if rec.Err != nil {
			line.Err = rec.Err.Error()
		} else {
			for f, col := range idx {
				if col >= 0 && col < len(rec.Fields) && rec.Fields[col] != "" {
					line.Fields[f] = &rec.Fields[col]
				} else if defaults[f] != nil {
					line.Fields[f] = defaults[f]
				}
			}
		}
		if err := s.Append(line); err != nil {
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

// stageEDI reads an X12 867 or EDIFACT SLSRPT file and stages the lines of its reports,
// each with its report id; the lines of a cancellation are not staged (the cancellation
// removes the earlier lines of its report instead). It returns every report read.
func stageEDI(ctx context.Context, path string, feed config.Feed, s *Stager) ([]formats.Report, error) {
	rc, _, err := formats.Open(path)
	if err != nil {
		return nil, fileErrorf("cannot open: %v", err)
	}
	defer rc.Close()
	read := formats.ReadX12Reports
	if feed.Format == "edifact-slsrpt" {
		read = formats.ReadEDIFACTReports
	}
	defaults := defaultValues(feed)
	var reports []formats.Report
	var stageErr error
	n := 0
	err = read(rc, func(line canon.Line, rep *formats.Report) error {
		if rep.Purpose == formats.PurposeCancel && rep.Err == "" {
			return nil
		}
		for i := range canon.Fields {
			if i < len(line.Fields) && line.Fields[i] == nil && defaults[i] != nil {
				line.Fields[i] = defaults[i]
			}
		}
		if n++; n%8192 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := s.AppendIn(line, rep.ID); err != nil {
			stageErr = err
			return err
		}
		return nil
	}, func(rep *formats.Report, lines int) error {
		reports = append(reports, *rep)
		return nil
	})
	switch {
	case stageErr != nil:
		return nil, fmt.Errorf("stage: %w", stageErr)
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		return nil, fileErrorf("%v", err)
	}
	return reports, nil
}

// mapColumns finds each mapped column in the header (trimmed, case-insensitive) and
// returns, per canonical field, the column index or -1 when the field is not mapped.
func mapColumns(header []string, headerLine int64, feed config.Feed) ([]int, error) {
	pos := map[string]int{}
	for i, h := range header {
		k := normHeader(h)
		if _, dup := pos[k]; !dup {
			pos[k] = i
		}
	}
	idx := make([]int, len(canon.Fields))
	var missing []string
	for i, f := range canon.Fields {
		idx[i] = -1
		col, ok := feed.Columns[f]
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

// defaultValues are the feed's `defaults`, indexed like canon.Fields (nil: no default).
func defaultValues(feed config.Feed) []*string {
	defaults := make([]*string, len(canon.Fields))
	for k, v := range feed.Defaults {
		defaults[canon.Index(k)] = &v
	}
	return defaults
}
