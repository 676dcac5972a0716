package review

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// table is a spreadsheet read back: a header and records, each with its line (CSV) or
// row (XLSX) number.
type table struct {
	path      string
	unit      string // "line" or "row"
	sheet     string // the sheet read, for XLSX
	header    []string
	headerPos int
	records   []record
}

// record is one line or row of a table, header excluded.
type record struct {
	pos    int      // line or row number
	fields []string // as read; may be shorter than the header
}

// where names a place in the table's file for an error message.
func (t *table) where(pos int) string {
	return fmt.Sprintf("%s %s %d", t.path, t.unit, pos)
}

// whereHeader names the header for an error message, with the sheet of a workbook.
func (t *table) whereHeader() string {
	if t.sheet != "" {
		return fmt.Sprintf("%s sheet %q %s %d", t.path, t.sheet, t.unit, t.headerPos)
	}
	return t.where(t.headerPos)
}

// noHeader says that t has no header.
func (t *table) noHeader() string {
	if t.sheet != "" {
		return fmt.Sprintf("%s: sheet %q is empty", t.path, t.sheet)
	}
	return fmt.Sprintf("%s: empty file", t.path)
}

// allEmpty reports whether every field of rec is empty or blank.
func allEmpty(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// findColumns maps the column names of t's header (compared trimmed and without case)
// to their index. All required columns must be there; the optional ones may be; others
// are ignored unless strict, when they are an error. A column named twice is an error.
func findColumns(t *table, required, optional []string, strict bool) (map[string]int, error) {
	if t.header == nil {
		return nil, fmt.Errorf("%s; expected a header with the columns %s", t.noHeader(), strings.Join(required, ", "))
	}
	known := append(slices.Clone(required), optional...)
	cols := make(map[string]int)
	var unknown []string
	for i, h := range t.header {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, utf8BOM)))
		if !slices.Contains(known, name) {
			if name != "" || strict {
				unknown = append(unknown, quoteShort(h))
			}
			continue
		}
		if j, dup := cols[name]; dup {
			return nil, fmt.Errorf("%s: column %s appears twice (columns %d and %d)", t.whereHeader(), name, j+1, i+1)
		}
		cols[name] = i
	}
	var missing []string
	for _, name := range required {
		if _, ok := cols[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: missing columns %s (the header has %d columns; is this the right file?)",
			t.whereHeader(), strings.Join(missing, ", "), len(t.header))
	}
	if strict && len(unknown) > 0 {
		return nil, fmt.Errorf("%s: unknown columns %s; the columns are %s", t.whereHeader(), strings.Join(unknown, ", "), strings.Join(known, ", "))
	}
	return cols, nil
}

// maxRowErrors caps the row errors reported for one file.
const maxRowErrors = 50

// rowErrors collects the row errors of a file, up to maxRowErrors.
type rowErrors struct {
	errs []error
	more int
}

// add records err at line or row pos of t.
func (e *rowErrors) add(t *table, pos int, err error) {
	if len(e.errs) == maxRowErrors {
		e.more++
		return
	}
	e.errs = append(e.errs, fmt.Errorf("%s: %w", t.where(pos), err))
}

// err joins the errors collected, or returns nil.
func (e *rowErrors) err() error {
	if len(e.errs) == 0 {
		return nil
	}
	if e.more > 0 {
		return errors.Join(append(e.errs, fmt.Errorf("and %d more errors", e.more))...)
	}
	return errors.Join(e.errs...)
}
